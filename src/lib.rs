//! casepaper: early-intervention case records (YAML in git) to the signed
//! paperwork families receive, as PDFs.
//!
//! The data flows one way through one module per stage:
//! `load` -> `validate` -> `check` -> `render` -> `output`. The binary
//! (`main.rs`) only parses the command line and dispatches to `cmd`; the
//! library exists so that tests and fuzz targets can drive single stages.

pub mod check;
pub mod cli;
pub mod cmd;
pub mod finding;
pub mod load;
pub mod model;
pub mod output;
pub mod parallel;
pub mod provenance;
pub mod render;
pub mod validate;
