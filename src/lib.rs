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

pub mod error;
pub mod finding;
pub mod model;
pub mod pipeline;
pub mod records;
pub mod serve;

pub(crate) mod check;
pub(crate) mod load;
pub(crate) mod output;
pub(crate) mod parallel;
pub(crate) mod provenance;
pub(crate) mod render;
pub(crate) mod validate;

pub use error::{Error, Result};

/// What the integration tests, the fuzz targets and the benchmark reach
/// below the pipeline: not the library's face, and free to change.
#[doc(hidden)]
pub mod testing {
    pub use crate::check::initial_plan_due;
    pub use crate::load::{CaseFolder, Caseload, RecordFile, load, yaml};
    pub use crate::render::escape::typst_text;
    pub use crate::render::templates::TemplateSet;
    pub use crate::render::{BODY_FOLLOWS, Glyphs, INTERNAL, Renderer};
    pub use crate::validate::schemas::Schemas;
    pub use crate::validate::{ValidCase, unprintable, validate};
}
