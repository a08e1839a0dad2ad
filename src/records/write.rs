//! Writing record files: a new file never replaces one, an
//! edit never replaces a change made since its form was opened, and every
//! text is read back before it is put in place, atomically.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use serde_json::Value;

use crate::output::{self, NewFiles};

/// Why a record was not written.
#[derive(Debug)]
pub enum NotWritten {
    /// The file changed on disk since the form was opened: its text now.
    Changed(String),
    /// A file of that name appeared meanwhile.
    Exists,
    /// The text would not read back as the record meant (a fault in
    /// casepaper; nothing is written).
    ReadsBackWrong(String),
    Io(std::io::Error),
}

impl std::fmt::Display for NotWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotWritten::Changed(_) => f.write_str(
                "the file was changed by someone or something else since this page was opened",
            ),
            NotWritten::Exists => f.write_str("a file of that name appeared meanwhile"),
            NotWritten::ReadsBackWrong(why) => {
                write!(f, "the text made would not read back as the record ({why})")
            }
            NotWritten::Io(e) => write!(f, "it could not be written: {e}"),
        }
    }
}

/// Held while a record file is changed (and while the records are
/// committed), so no two changes in this process interleave.
static WRITING: Mutex<()> = Mutex::new(());

/// Takes the process's one writer's place; it is let go when dropped.
/// A writer that panicked leaves nothing half-written (every write is
/// atomic), so its poisoned place is taken as it is.
pub fn lock() -> MutexGuard<'static, ()> {
    WRITING.lock().unwrap_or_else(|e| e.into_inner())
}

/// The digest of a file's text, that a form carries to tell whether the
/// file changed while the form was open.
pub fn digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::provenance::hex(&Sha256::digest(text.as_bytes()))
}

/// Writes `text` as the new file `path`, with `new`'s mode: it must read
/// back as `intended`, and no file of that name may be there.
pub fn create(path: &Path, text: &str, intended: &Value, new: NewFiles) -> Result<(), NotWritten> {
    reads_back(text, Some(intended))?;
    output::create_atomic(path, text.as_bytes(), new).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => NotWritten::Exists,
        _ => NotWritten::Io(e),
    })
}

/// Writes a file that must not exist yet, making its folder, atomically
/// (`output::create_atomic`); a file that is already there (or appeared
/// meanwhile) is never overwritten. Its mode is `new`'s.
pub fn create_new(path: &Path, bytes: &[u8], new: NewFiles) -> crate::Result<()> {
    output::create_atomic(path, bytes, new).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => crate::Error::Exists {
            what: path.display().to_string(),
            hint: " (edit the file that is there)",
        },
        _ => crate::Error::written(path.display(), e),
    })
}

/// Replaces the file `path` with `text`, keeping its mode, when its text
/// on disk still has the digest `base` the form was opened with. The
/// caller holds [`lock`], so no two changes in the process interleave.
pub fn replace(path: &Path, text: &str, base: &str) -> Result<(), NotWritten> {
    let now = std::fs::read_to_string(path).map_err(NotWritten::Io)?;
    if digest(&now) != base {
        return Err(NotWritten::Changed(now));
    }
    reads_back(text, None)?;
    output::replace_atomic(path, text.as_bytes()).map_err(NotWritten::Io)
}

fn reads_back(text: &str, intended: Option<&Value>) -> Result<(), NotWritten> {
    match crate::load::yaml::parse(text) {
        Ok(doc) if intended.is_none_or(|v| &doc.value == v) => Ok(()),
        Ok(_) => Err(NotWritten::ReadsBackWrong("another value".into())),
        Err(problems) => Err(NotWritten::ReadsBackWrong(
            problems
                .first()
                .map(|p| p.message.clone())
                .unwrap_or_default(),
        )),
    }
}
