//! One module per screen, grouped by API.

pub mod connect;
pub mod kinbot;
pub mod kino;
pub mod not_found;
pub mod openai;
