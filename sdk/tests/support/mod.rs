//! What the contract tests of every API share.
#![allow(dead_code)] // each test binary uses a different part

#[macro_use]
pub mod operations;
