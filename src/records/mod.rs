//! Every change to a record file, as text: the inverse of `load`. A change
//! keeps every line it does not mean to change (comments, order, quoting)
//! as the coordinator wrote it, is parsed again and must read back as the
//! value meant, and is put in place atomically, never over a change made
//! meanwhile. Pages and commands change records only through here, and
//! through the pipeline's `save`, which validates the records with the
//! change before anything is written.

pub mod entry;
pub mod meeting;
pub mod merge;
pub mod new;
pub mod patch;
pub mod read;
pub mod sign;
pub mod write;
pub mod yaml;

pub use write::{NotWritten, digest};
