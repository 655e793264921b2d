//! Identifiers: random ones (API key, request ids) and per-process sequences for
//! response ids, which stay deterministic so tests can predict them.

use std::sync::atomic::{AtomicU64, Ordering};

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS RNG only fails on exotic platforms; a sandbox cannot run without it.
    getrandom::fill(&mut bytes).expect("OS random number generator unavailable");
    bytes
}

/// A random UUIDv4 in its canonical text form, the format Kino uses for its API key.
pub fn uuid_v4() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `len` random lowercase hex digits (`len` even).
pub fn random_hex(len: usize) -> String {
    let bytes = random_bytes::<32>();
    hex(&bytes[..len.min(64) / 2])
}

/// `len` random characters of `[A-Za-z0-9]`, the alphabet of Better Auth's ids and tokens.
pub fn random_alphanumeric(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(len);
    while out.len() < len {
        // 62 * 4 = 248: bytes from 248 up are dropped, so every character is equally likely.
        for byte in random_bytes::<64>() {
            if byte < 248 && out.len() < len {
                out.push(ALPHABET[usize::from(byte % 62)] as char);
            }
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Monotonic counters behind `chatcmpl-<n>`, `call_<n>` and `run_<n>`.
#[derive(Debug, Default)]
pub struct Sequences {
    completion: AtomicU64,
    tool_call: AtomicU64,
    run: AtomicU64,
}

impl Sequences {
    pub fn completion(&self) -> String {
        format!(
            "chatcmpl-{}",
            self.completion.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    pub fn tool_call(&self) -> String {
        format!(
            "call_{}",
            self.tool_call.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    pub fn run(&self) -> String {
        format!("run_{}", self.run.fetch_add(1, Ordering::Relaxed) + 1)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuid_has_version_and_variant() {
        let id = super::uuid_v4();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }
}
