//! OpenAI-compatible screens.

pub mod chat;
