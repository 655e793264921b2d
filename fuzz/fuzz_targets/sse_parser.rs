//! `cargo fuzz run sse_parser`: see `kinlink_fuzz::sse_parser` (fuzz/checks.rs) for what it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kinlink_fuzz::sse_parser(data));
