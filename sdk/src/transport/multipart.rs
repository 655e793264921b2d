//! `multipart/form-data` request bodies (RFC 7578), encoded here rather than by the HTTP library so
//! both backends (reqwest and `fetch`) send the same bytes and retries resend them unchanged.

use super::{ApiError, ErrorKind};

/// A request body with the media type it is sent as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBody {
    /// The `Content-Type` header.
    pub content_type: String,
    /// The encoded body.
    pub bytes: Vec<u8>,
}

impl RequestBody {
    /// `value` as JSON.
    pub fn json(value: &(impl serde::Serialize + ?Sized)) -> Result<RequestBody, ApiError> {
        let bytes = serde_json::to_vec(value).map_err(|e| {
            ApiError::new(
                ErrorKind::InvalidArgument,
                format!("the request body could not be serialized: {e}"),
            )
        })?;
        Ok(RequestBody {
            content_type: "application/json".to_owned(),
            bytes,
        })
    }
}

/// One part of a [`Multipart`] form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

/// A `multipart/form-data` form: text fields and files, in the order they are added.
///
/// ```
/// use kinlink::transport::Multipart;
/// let form = Multipart::new()
///     .text("note", "nightly")
///     .file("file", "backup.tar.gz", "application/gzip", vec![0x1f, 0x8b]);
/// assert_eq!(form.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Multipart {
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: None,
            data: value.into().into_bytes(),
        });
        self
    }

    /// Adds a file: its field name, the file name the server sees, its media type and its bytes.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Vec<u8>>,
    ) -> Multipart {
        self.parts.push(Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// How many parts the form has.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the form has no parts.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The encoded body. Names, file names and media types are header text: a CR, LF or NUL in one
    /// would let a caller's value forge headers or parts, so it is refused; quotes and backslashes
    /// are escaped. The boundary is random and checked against the content.
    pub fn encode(&self) -> Result<RequestBody, ApiError> {
        let invalid = |why: String| ApiError::new(ErrorKind::InvalidArgument, why);
        for part in &self.parts {
            let header_texts = [
                Some(&part.name),
                part.filename.as_ref(),
                part.content_type.as_ref(),
            ];
            if let Some(text) = header_texts
                .into_iter()
                .flatten()
                .find(|text| text.contains(['\r', '\n', '\0']))
            {
                return Err(invalid(format!(
                    "a form part's name, file name or type may not contain a line break: {text:?}"
                )));
            }
        }
        let boundary = loop {
            let candidate: String = std::iter::repeat_with(fastrand::alphanumeric)
                .take(32)
                .collect();
            let candidate = format!("kinlink-{candidate}");
            let needle = candidate.as_bytes();
            if !self
                .parts
                .iter()
                .any(|part| part.data.windows(needle.len()).any(|w| w == needle))
            {
                break candidate;
            }
        };
        let mut bytes = Vec::new();
        for part in &self.parts {
            bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("form-data; name=\"{}\"", quoted(&part.name));
            if let Some(filename) = &part.filename {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(filename)));
            }
            bytes.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if let Some(content_type) = &part.content_type {
                bytes.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            bytes.extend_from_slice(b"\r\n");
            bytes.extend_from_slice(&part.data);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok(RequestBody {
            content_type: format!("multipart/form-data; boundary={boundary}"),
            bytes,
        })
    }
}

/// A quoted-string's content: `"` and `\` escaped, as browsers' form encoders do.
fn quoted(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_one_boundary() {
        let body = Multipart::new()
            .text("note", "a \"quoted\" note")
            .file(
                "file",
                "b\"ad.bin",
                "application/octet-stream",
                vec![0, 1, 2],
            )
            .encode()
            .unwrap();
        let boundary = body
            .content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let text = String::from_utf8_lossy(&body.bytes);
        assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\na \"quoted\" note\r\n")), "{text}");
        assert!(text.contains("name=\"file\"; filename=\"b\\\"ad.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"), "{text}");
        assert!(body
            .bytes
            .ends_with(format!("\r\n--{boundary}--\r\n").as_bytes()));
        assert_eq!(text.matches(boundary).count(), 3);
    }

    #[test]
    fn header_injection_is_refused() {
        let error = Multipart::new()
            .text("x\r\nContent-Type: text/html", "v")
            .encode()
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
        let error = Multipart::new()
            .file("file", "a.txt", "text/plain\r\nX: y", vec![])
            .encode()
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
    }
}
