//! casepaper: early-intervention case records (YAML in git) to the signed
//! paperwork families receive, as PDFs.
//!
//! The data flows one way through one module per stage:
//! `load` -> `validate` -> `check` -> `render` -> `output`, and [`pipeline`]
//! is the one face over them that a command, a test or a server uses:
//!
//! ```
//! use casepaper::pipeline::Records;
//!
//! let valid = Records::open(&["records".into()])?.load(None).validate();
//! assert!(valid.findings().is_empty());
//! let as_of = "2026-11-23".parse()?;
//! // Nothing wrong on that day: only notices (a signature still owed).
//! assert!(!casepaper::finding::has_errors(&valid.check(as_of)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The binary (`main.rs`) parses the command line and dispatches to its
//! commands (`cmd/`), each a short list of these steps.

pub mod check;
pub mod error;
pub mod finding;
pub mod load;
pub mod model;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod provenance;
pub mod records;
pub mod render;
pub mod serve;
pub mod validate;

pub use error::{Error, Result};
