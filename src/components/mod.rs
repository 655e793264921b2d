//! Pieces shared by several screens.

pub mod connection_status;
pub mod error_banner;
pub mod markdown;
pub mod page;
