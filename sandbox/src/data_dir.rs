//! The data directory and its files are readable by their owner only: `sandbox.db` holds the API
//! key, and so does the ready file.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

#[cfg(unix)]
const DIR_MODE: u32 = 0o700;
#[cfg(unix)]
const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and missing parents) with mode 0700. An existing directory is left as it is: it
/// may be shared on purpose, and every file the sandbox puts in it is 0600 anyway.
pub fn create(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(DIR_MODE);
    builder.create(dir)
}

/// Makes sure `path` exists with mode 0600, tightening an existing file's mode.
pub fn create_private_file(path: &Path) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    options.mode(FILE_MODE);
    options.open(path)?;
    restrict_if_present(path)
}

/// Sets mode 0600 on `path` if it exists.
pub fn restrict_if_present(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    match fs::set_permissions(path, fs::Permissions::from_mode(FILE_MODE)) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        other => return other,
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `contents` to `path` through a 0600 temporary file in the same directory and a rename, so
/// a reader never sees a partial file and nobody else can read it at any point.
pub fn write_private_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".tmp-{}", std::process::id()));
    let temp = std::path::PathBuf::from(temp);
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(FILE_MODE);
    let mut file = options.open(&temp)?;
    restrict_if_present(&temp)?;
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, path)
}
