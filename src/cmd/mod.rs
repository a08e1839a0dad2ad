//! The commands: each a short file that turns its options into one
//! pipeline call (`casepaper::pipeline`), then says what came of it
//! (`tell`).
//!
//! Exit status: 0 clean, 1 findings in the records (or a document that
//! failed to render), 2 an error that kept the command from running
//! (`casepaper::Error::code`).

mod check;
mod due;
mod export;
mod init;
mod log;
mod new;
mod outcome;
mod place;
mod print;
mod render;
mod serve;
mod sync;
mod tell;
mod validate;
mod verify;
mod watch;

pub use check::check;
pub use due::due;
pub use export::export;
pub use init::init;
pub use log::log;
pub use new::new;
pub use outcome::exit;
pub use print::{completions, man, schema};
pub use render::render;
pub use serve::serve;
pub use sync::{merge_records, sync};
pub use validate::validate;
pub use verify::verify;
pub use watch::watch;
