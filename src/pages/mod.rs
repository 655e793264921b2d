//! One module per screen, grouped by API.

pub mod connect;
pub mod kino;
pub mod not_found;
pub mod openai;
