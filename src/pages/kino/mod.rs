//! Kino screens.

pub mod status;
