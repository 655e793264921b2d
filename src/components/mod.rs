//! Pieces shared by several screens.

pub mod error_banner;
pub mod markdown;
