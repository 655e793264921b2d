//! `cargo fuzz run chat_stream`: see `kinlink_fuzz::chat_stream` (fuzz/checks.rs) for what it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kinlink_fuzz::chat_stream(data));
