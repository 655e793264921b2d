//! rustfmt over generated source, so committed output is what `cargo fmt` would leave and `--check`
//! compares like with like.

use std::io::Write;
use std::process::{Command, Stdio};

/// The source formatted by `rustfmt --edition 2021` (read from stdin, written to stdout).
pub fn rustfmt(source: &str, what: &str) -> crate::Result<String> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start rustfmt to format {what}: {e}"))?;
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(source.as_bytes())
        .map_err(|e| format!("could not send {what} to rustfmt: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt did not finish on {what}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected the generated {what} (a generator bug):\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt wrote non-UTF-8 for {what}: {e}"))
}
