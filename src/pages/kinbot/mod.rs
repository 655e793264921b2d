//! KinBot screens.

pub mod account;
