//! `cargo fuzz run error_body`: see `kinlink_fuzz::error_body` (fuzz/checks.rs) for what it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kinlink_fuzz::error_body(data));
