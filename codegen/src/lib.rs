//! One contract per API, generated into every layer.
//!
//! The pipeline has three steps, each a pure function over JSON so it can be tested and checked:
//!
//! 1. [`derive::derive_contract`] turns a server's OpenAPI 3.1 document into a contract: operations,
//!    parameters, bodies, responses and schemas, without any of the document's prose.
//! 2. [`overlay::apply`] applies a reviewed overlay: corrections where the real server differs from
//!    its document (each citing the facts it rests on) and the API's conventions (base path, error
//!    shape, pagination, naming), which are data so a second API goes through the same generator.
//! 3. [`plan::operations`] reads each operation once for every surface; [`rust::generate`] emits the SDK's Rust types, handles and tables from the resolved contract;
//!    [`sandbox::generate`] the sandbox's operation table and the OpenAPI document it serves.
//! 4. [`js::generate`] emits the npm package's JavaScript classes and TypeScript declarations from it.
//!
//! [`run`] ties them to files on disk for `scripts/codegen`.

pub mod derive;
pub mod format;
pub mod js;
pub mod json;
pub mod naming;
pub mod overlay;
pub mod plan;
pub mod run;
pub mod rust;
pub mod sandbox;
pub mod schema;
pub mod typescript;

/// Every step reports failures as a sentence naming what was being read.
pub type Result<T> = std::result::Result<T, String>;
