//! The web console: static files from `--static DIR` with an SPA fallback to
//! `index.html`, or a short note when no console is being served.

use std::path::{Component, Path, PathBuf};

use axum::extract::State;
use axum::http::header::{
    ACCEPT_ENCODING, ALLOW, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// The console's policy; `{scripts}` becomes the hashes of the page's inline scripts
/// (Trunk boots the wasm from an inline module script).
const CSP_TEMPLATE: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
style-src 'self'; img-src 'self' data: blob:; connect-src 'self' http: https: ws: wss:; \
frame-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

const NO_CONSOLE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Kinlink sandbox</title></head><body><h1>Kinlink sandbox</h1>\
<p>No console is being served. Start the sandbox with <code>--static DIR</code> to serve one.</p>\
<p>APIs: <code>/api/v1</code> (Kino) and <code>/v1</code> (OpenAI-compatible).</p></body></html>\n";

#[derive(Debug)]
pub struct Console {
    root: PathBuf,
    startup_csp: String,
}

impl Console {
    /// Reads `index.html` once so HTML responses not built from a file still get the
    /// page's hashes. Served HTML files get a policy computed from their own bytes, so a
    /// console rebuilt while the sandbox runs keeps working.
    pub fn new(root: &Path) -> Console {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let index = std::fs::read_to_string(root.join("index.html")).unwrap_or_else(|e| {
            eprintln!(
                "kinlink-sandbox: warning: cannot read {}: {e}",
                root.join("index.html").display()
            );
            String::new()
        });
        Console {
            startup_csp: csp_for(&index),
            root,
        }
    }

    pub fn startup_csp(&self) -> &str {
        &self.startup_csp
    }

    /// The file for a URL path, if it exists inside the root.
    async fn resolve(&self, url_path: &str) -> Option<PathBuf> {
        let decoded = percent_decode(url_path)?;
        let relative = Path::new(decoded.trim_start_matches('/'));
        // Dot files (`.trunk-lock`, an editor's `.swp`) are build leftovers, never the console.
        if relative.components().any(|c| match c {
            Component::Normal(name) => name.to_string_lossy().starts_with('.'),
            _ => true,
        }) || decoded.contains('\\')
        {
            return None;
        }
        let mut path = self.root.join(relative);
        if tokio::fs::metadata(&path).await.ok()?.is_dir() {
            path.push("index.html");
        }
        // Refuse symlinks that lead outside the served directory.
        let real = tokio::fs::canonicalize(&path).await.ok()?;
        (real.starts_with(&self.root) && tokio::fs::metadata(&real).await.ok()?.is_file())
            .then_some(real)
    }
}

/// The full policy for an HTML document.
pub fn csp_for(html: &str) -> String {
    let scripts: String = inline_scripts(html)
        .into_iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    CSP_TEMPLATE.replace("{scripts}", &scripts)
}

/// The exact text of every `<script>` without a `src` attribute, as CSP hashes it.
fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<script").map(|i| at + i) {
        let after_name = start + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if !lower[after_name..]
            .starts_with(|c: char| c == '>' || c.is_ascii_whitespace() || c == '/')
        {
            at = after_name;
            continue;
        }
        let Some(tag_end) = tag_end(&lower, after_name) else {
            break;
        };
        let body_start = tag_end + 1;
        let Some(body_end) = lower[body_start..].find("</script").map(|i| body_start + i) else {
            break;
        };
        if !has_src(&lower[after_name..tag_end]) {
            scripts.push(&html[body_start..body_end]);
        }
        at = body_end;
    }
    scripts
}

/// Index of the `>` closing a start tag, skipping quoted attribute values.
fn tag_end(lower: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in lower[from..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// Whether the attributes of a start tag include `src`.
fn has_src(attributes: &str) -> bool {
    let mut rest = attributes;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return false;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        if &rest[..name_len] == "src" {
            return true;
        }
        rest = rest[name_len..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            rest = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].find(q).map_or("", |end| &value[end + 2..]),
                _ => value
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or("", |end| &value[end..]),
            };
        }
    }
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    (!decoded.contains('\0')).then_some(decoded)
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Fallback for every path no API router claims.
pub async fn serve(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(ALLOW, "GET, HEAD")],
            "Method Not Allowed",
        )
            .into_response();
    }
    let Some(console) = state.console() else {
        return if uri.path() == "/" {
            Html(NO_CONSOLE).into_response()
        } else {
            (StatusCode::NOT_FOUND, "Not Found").into_response()
        };
    };
    let path = match console.resolve(uri.path()).await {
        Some(path) => path,
        // A missing file (`/app.js`) is a 404, or a broken build would load HTML as script.
        None if has_extension(uri.path()) => {
            return (StatusCode::NOT_FOUND, "Not Found").into_response()
        }
        // SPA fallback: client-side routes are served the app shell.
        None => console.root.join("index.html"),
    };
    let accepted = accepted_encodings(&headers);
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let encoded = precompressed(&path, accepted).await;
            file_response(&path, bytes, encoded)
        }
        Err(_) => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}

/// A content coding the build may have precompressed a file into (`app.wasm.br`, `app.wasm.gz`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    /// Best first: brotli is smaller for the console's wasm and text.
    const PREFERRED: [Coding; 2] = [Coding::Brotli, Coding::Gzip];

    fn token(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gz",
        }
    }
}

/// The codings `Accept-Encoding` allows (RFC 9110 §12.5.3): listed with a q-value above zero, or
/// covered by `*`.
fn accepted_encodings(headers: &HeaderMap) -> Vec<Coding> {
    let mut named: Vec<(String, bool)> = Vec::new();
    for value in headers.get_all(ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if !name.is_empty() {
                named.push((name, !refused));
            }
        }
    }
    let verdict = |token: &str| {
        named
            .iter()
            .find(|(name, _)| name == token)
            .or_else(|| named.iter().find(|(name, _)| name == "*"))
            .is_some_and(|(_, ok)| *ok)
    };
    Coding::PREFERRED
        .into_iter()
        .filter(|coding| verdict(coding.token()))
        .collect()
}

/// The precompressed sibling for the first accepted coding that has one no older than the file.
async fn precompressed(path: &Path, accepted: Vec<Coding>) -> Option<(Coding, Vec<u8>)> {
    let modified = tokio::fs::metadata(path).await.ok()?.modified().ok()?;
    for coding in accepted {
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(coding.suffix());
        let sibling = PathBuf::from(name);
        let fresh = tokio::fs::metadata(&sibling)
            .await
            .ok()
            .and_then(|m| m.modified().ok())
            .is_some_and(|m| m >= modified);
        if fresh {
            if let Ok(bytes) = tokio::fs::read(&sibling).await {
                return Some((coding, bytes));
            }
        }
    }
    None
}

/// Whether a file name carries Trunk's content hash (`app-1f312d136e8d5865.js`,
/// `app-19cad241a378e3e7_bg.wasm`): its content never changes under that name.
fn is_hashed(path: &Path) -> bool {
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.split('.').next().unwrap_or(n))
        .unwrap_or("");
    stem.split(['-', '_'])
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether the last segment of a URL path looks like a file name (`x.js`, not `settings`).
fn has_extension(url_path: &str) -> bool {
    let last = url_path.rsplit('/').next().unwrap_or("");
    last.rfind('.').is_some_and(|dot| dot + 1 < last.len())
}

/// The file's response: its precompressed form when one was accepted, a policy computed from the
/// HTML itself, and caching by name (hashed names forever, anything else revalidated each time).
fn file_response(path: &Path, bytes: Vec<u8>, encoded: Option<(Coding, Vec<u8>)>) -> Response {
    let kind = content_type(path);
    let csp = kind
        .starts_with("text/html")
        .then(|| csp_for(&String::from_utf8_lossy(&bytes)));
    let (coding, body) = match encoded {
        Some((coding, encoded)) => (Some(coding), encoded),
        None => (None, bytes),
    };
    let mut response = ([(CONTENT_TYPE, kind)], body).into_response();
    let headers = response.headers_mut();
    if let Some(coding) = coding {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static(coding.token()));
    }
    headers.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
    let cache = if csp.is_none() && is_hashed(path) {
        "public, max-age=31536000, immutable"
    } else {
        // The shell names the hashed wasm/js of the current build, so it is always revalidated.
        "no-cache"
    };
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Some(csp) = csp.and_then(|csp| HeaderValue::from_str(&csp).ok()) {
        headers.insert(CONTENT_SECURITY_POLICY, csp);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_scripts_only() {
        let html = r#"<html><head><script src="/a.js"></script>
<SCRIPT type="module">import init from '/x.js';init();</SCRIPT>
<script data-x='a>b' type=module>let s = "<scripts>";</script><scripts></scripts></head></html>"#;
        assert_eq!(
            inline_scripts(html),
            ["import init from '/x.js';init();", "let s = \"<scripts>\";"]
        );
        assert!(has_src(r#" type="module" src="/x.js""#));
        assert!(!has_src(r#" data-src="x" type=module"#));
    }

    #[test]
    fn csp_hash_matches_known_value() {
        // sha256("alert(1)") in base64, as browsers compute it for <script>alert(1)</script>.
        let csp = csp_for("<script>alert(1)</script>");
        assert!(
            csp.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"),
            "{csp}"
        );
    }

    #[test]
    fn negotiates_codings() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
            accepted_encodings(&headers)
        };
        assert_eq!(with("gzip, deflate, br"), [Coding::Brotli, Coding::Gzip]);
        assert_eq!(with("br;q=0, gzip;q=0.5"), [Coding::Gzip]);
        assert_eq!(with("*"), [Coding::Brotli, Coding::Gzip]);
        assert_eq!(with("*;q=0, identity"), []);
        assert_eq!(accepted_encodings(&HeaderMap::new()), []);
    }

    #[test]
    fn knows_hashed_names() {
        assert!(is_hashed(Path::new(
            "/d/kinlink-console-1f312d136e8d5865.js"
        )));
        assert!(is_hashed(Path::new(
            "/d/kinlink-console-19cad241a378e3e7_bg.wasm"
        )));
        assert!(!is_hashed(Path::new("/d/index.html")));
        assert!(!is_hashed(Path::new("/d/favicon.svg")));
    }

    #[test]
    fn decodes_and_rejects_traversal_inputs() {
        assert_eq!(percent_decode("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode("/%00"), None);
        assert_eq!(percent_decode("/%zz"), None);
    }
}
