//! Stage 5, output: where documents go and how they get there.
//!
//! Documents are written to `<out>/<case-id>/<kind>.pdf`. The case id is
//! checked by the schema (lowercase letters, digits, dashes) before it is ever
//! used in a path. Every file is written to a temporary file in the same
//! folder and renamed into place, so a reader (or an interrupted run) only
//! ever sees the complete old file or the complete new one.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The mode a new file gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NewFiles {
    /// What the user's umask gives a new file (0644 under the usual 022,
    /// 0600 under 077).
    #[default]
    Umask,
    /// The owner's alone, 0600, whatever the umask (`files: private:` in
    /// the program file).
    Private,
}

impl NewFiles {
    /// The mode asked for at creation; the umask then takes from it.
    #[cfg(unix)]
    fn mode(self) -> u32 {
        match self {
            NewFiles::Umask => 0o666,
            NewFiles::Private => 0o600,
        }
    }
}

/// The output folder of one case.
pub fn case_dir(out: &Path, case_id: &str) -> PathBuf {
    out.join(case_id)
}

/// Writes `bytes` to `path` atomically, creating the folder if needed.
pub fn write_atomic(path: &Path, bytes: &[u8], new: NewFiles) -> io::Result<()> {
    let tmp = written_beside(path, bytes, new)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a document into the output folder atomically (renamed into
/// place, so a reader sees the whole old file or the whole new one), but
/// without waiting for the disk: a render's documents are made durable
/// together by [`Written::settle`] before its manifest vouches for them. A
/// wait for the disk after every PDF held a rendering thread still (3-4% of
/// a render of 100 generated cases on 2 cores).
pub fn write_document(path: &Path, bytes: &[u8], written: &Written) -> io::Result<()> {
    written.before_first(path)?;
    let tmp = unsynced_beside(path, bytes, written.new)?;
    if !written.settles_at_once() {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// What a render has written into its output folder without waiting for
/// the disk. Before the first document is written, the folder's manifest
/// is removed (durably), so a run cut short (a crash, a power cut) leaves
/// no manifest vouching for a document whose bytes never reached the disk:
/// the next render makes everything again. [`Written::settle`] waits for
/// the disk once, for all of them, before the new manifest is saved.
pub struct Written {
    out: PathBuf,
    /// The mode of the documents written.
    new: NewFiles,
    first: std::sync::OnceLock<Result<(), String>>,
}

impl Written {
    pub fn new(out: &Path, new: NewFiles) -> Written {
        Written {
            out: out.to_path_buf(),
            new,
            first: std::sync::OnceLock::new(),
        }
    }

    /// Whether anything was written.
    pub fn any(&self) -> bool {
        self.first.get().is_some()
    }

    /// On Linux one `syncfs` makes every document durable at the end;
    /// elsewhere each document waits for the disk as it is written.
    fn settles_at_once(&self) -> bool {
        cfg!(target_os = "linux")
    }

    fn before_first(&self, path: &Path) -> io::Result<()> {
        self.first
            .get_or_init(|| {
                let manifest = self.out.join(MANIFEST);
                match fs::remove_file(&manifest) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
                    Err(e) => return Err(e.to_string()),
                }
                fs::File::open(&self.out)
                    .and_then(|dir| dir.sync_all())
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|e| io::Error::other(format!("{} ({e})", path.display())))
    }

    /// Waits until every document written is on the disk.
    pub fn settle(&self) -> io::Result<()> {
        if !self.any() || !self.settles_at_once() {
            return Ok(());
        }
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let dir = fs::File::open(&self.out)?;
            // SAFETY: `syncfs` only reads the descriptor, which `dir` keeps
            // open for the call.
            if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(())
    }
}

/// Writes a file that must not exist yet, atomically: the whole text
/// appears at once under its name, or nothing does, and a file that is
/// there (or appeared meanwhile) is never replaced (`AlreadyExists`). Its
/// mode is `new`'s; the folder is synced, so the new name survives a power
/// cut.
pub fn create_atomic(path: &Path, bytes: &[u8], new: NewFiles) -> io::Result<()> {
    let tmp = written_beside(path, bytes, new)?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    sync_folder(path)
}

/// Replaces the file at `path` atomically, keeping its mode (a record kept
/// private stays private), and syncs the folder after the rename.
pub fn replace_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let kept = fs::metadata(path)?.permissions();
    let tmp = unsynced_beside(path, bytes, NewFiles::Private)?;
    tmp.as_file().set_permissions(kept)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_folder(path)
}

/// Makes a rename in `path`'s folder durable.
fn sync_folder(path: &Path) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::File::open(dir)?.sync_all()
}

/// `bytes` in a temporary file in `path`'s folder (made if needed), synced,
/// with `new`'s mode: ready to be renamed to `path`.
fn written_beside(path: &Path, bytes: &[u8], new: NewFiles) -> io::Result<tempfile::NamedTempFile> {
    let tmp = unsynced_beside(path, bytes, new)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// `bytes` in a temporary file in `path`'s folder (made if needed), with
/// `new`'s mode, not yet waited for.
fn unsynced_beside(
    path: &Path,
    bytes: &[u8],
    new: NewFiles,
) -> io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Asked for at creation, so the umask applies, as to any new file.
        builder.permissions(fs::Permissions::from_mode(new.mode()));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    Ok(tmp)
}

/// Prefix and suffix of the temporary files documents are written to.
const TEMP_PREFIX: &str = ".casepaper-";
const TEMP_SUFFIX: &str = ".tmp";
/// The lock file a render holds in its output folder.
const LOCK: &str = ".casepaper.lock";

/// An output folder held by this run: no other casepaper render writes into
/// it until this is dropped (or the process ends, however it ends).
pub struct OutLock {
    _file: fs::File,
}

/// Takes the output folder for this run, creating it, and removes the
/// temporary files an interrupted run left there. Another render writing
/// into the same folder is an error, not a race.
pub fn lock_out_dir(out: &Path) -> Result<OutLock, Error> {
    let folder = || format!("the output folder {}", out.display());
    fs::create_dir_all(out).map_err(|e| Error::made(folder(), e))?;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(LOCK))
        .map_err(|e| Error::written(folder(), e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            return Err(Error::Output(format!(
                "another casepaper render is writing into {}; wait for it to finish, \
                 or choose another folder with --out",
                out.display()
            )));
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(Error::Output(format!(
                "the output folder {} cannot be locked: {e}",
                out.display()
            )));
        }
    }
    sweep_temp_files(out);
    Ok(OutLock { _file: file })
}

/// Removes temporary files left by a run that was killed between writing a
/// document and renaming it into place, in `out` and its case folders. Only
/// called with the folder locked, so none belongs to a running render.
fn sweep_temp_files(out: &Path) {
    let walker = walkdir::WalkDir::new(out).min_depth(1).max_depth(2);
    for entry in walker.into_iter().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file()
            && name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Refuses an output folder inside the records folder: rendering never writes
/// under records/.
pub fn check_out_dir(out: &Path, records_root: &Path) -> Result<(), Error> {
    if inside_records(out, records_root) {
        return Err(Error::Output(format!(
            "the output folder {} is inside the records folder {}; choose another with --out",
            out.display(),
            records_root.display()
        )));
    }
    Ok(())
}

/// Whether `path` is in the records folder `records_root` (or is it), as
/// the disk resolves both: only explicit writes change records, and no
/// output of casepaper is written among them.
pub fn inside_records(path: &Path, records_root: &Path) -> bool {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists (symlinks included); keep the rest as written.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut resolved = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
        resolved.extend(rest.iter().rev());
        resolved
    };
    absolute(path).starts_with(absolute(records_root))
}

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = ".casepaper-manifest.json";

/// What the output folder holds: for each document written (by its path in
/// the folder, `ct-2025-0117/contacts.pdf`), the stamp it was made with (its
/// fingerprint and commit). `render` skips a document whose stamp has not
/// changed and whose file is still there. The manifest is only a cache: a
/// missing or unreadable one, or one written by another casepaper binary,
/// means every document is rendered again.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// The casepaper binary that wrote it (version, size and time of the
    /// executable), so a rebuilt casepaper renders everything again.
    tool: String,
    documents: BTreeMap<String, String>,
    /// For each case folder (by its path in the records folder) whose
    /// documents were all made without a finding: a stamp of its files
    /// before parsing, so an unchanged case is not even parsed next time.
    #[serde(default)]
    cases: BTreeMap<String, CaseEntry>,
}

/// An unchanged case: its stamp, its id and the files made from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseEntry {
    pub stamp: String,
    pub case_id: String,
    /// Its files in the output folder (PDFs, and Typst sources with --emit).
    pub files: Vec<String>,
}

/// Why a manifest was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestState {
    Used,
    Missing,
    Unreadable,
    OtherTool,
}

/// The running binary, as the manifest names it.
fn tool() -> String {
    let exe = std::env::current_exe()
        .and_then(fs::metadata)
        .map(|m| {
            let time = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {time}", m.len())
        })
        .unwrap_or_default();
    format!("casepaper {} {exe}", env!("CARGO_PKG_VERSION"))
}

impl Manifest {
    /// The manifest of the output folder `out`, and whether it could be used.
    pub fn open(out: &Path) -> (Manifest, ManifestState) {
        let empty = Manifest {
            tool: tool(),
            ..Manifest::default()
        };
        let bytes = match fs::read(out.join(MANIFEST)) {
            Ok(bytes) => bytes,
            Err(_) => return (empty, ManifestState::Missing),
        };
        match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(m) if m.tool == empty.tool => (m, ManifestState::Used),
            Ok(_) => (empty, ManifestState::OtherTool),
            Err(_) => (empty, ManifestState::Unreadable),
        }
    }

    /// Whether `file` (a path in the output folder) was made with `stamp`
    /// and all of `files` are still there.
    pub fn is_current(&self, out: &Path, file: &str, stamp: &str, files: &[&str]) -> bool {
        self.documents.get(file).is_some_and(|s| s == stamp)
            && files.iter().all(|f| out.join(f).is_file())
    }

    /// The case at `dir` (its path in the records folder), when it was last
    /// made with `stamp` and every file made from it is still there.
    pub fn current_case(&self, out: &Path, dir: &str, stamp: &str) -> Option<&CaseEntry> {
        self.cases.get(dir).filter(|entry| {
            entry.stamp == stamp
                && entry.files.iter().all(|f| {
                    (!f.ends_with(".pdf") || self.documents.contains_key(f))
                        && out.join(f).is_file()
                })
        })
    }

    pub fn case(&self, dir: &str) -> Option<&CaseEntry> {
        self.cases.get(dir)
    }

    pub fn set_case(&mut self, dir: String, entry: CaseEntry) {
        self.cases.insert(dir, entry);
    }

    pub fn remove_case(&mut self, dir: &str) {
        self.cases.remove(dir);
    }

    /// Removes from the output folder each document an earlier render
    /// wrote that `stale` says no record makes any more (its PDF, and its
    /// Typst source if one was written), and forgets it; gives their names.
    pub fn remove_stale(&mut self, out: &Path, stale: impl Fn(&str) -> bool) -> Vec<String> {
        let gone: Vec<String> = self
            .documents
            .keys()
            .filter(|f| f.ends_with(".pdf") && stale(f))
            .cloned()
            .collect();
        for file in &gone {
            let _ = fs::remove_file(out.join(file));
            let _ = fs::remove_file(out.join(file.replace(".pdf", ".typ")));
            self.documents.remove(file);
            // A case folder left empty goes too.
            if let Some(dir) = out.join(file).parent() {
                let _ = fs::remove_dir(dir);
            }
        }
        gone
    }

    /// The case id of each case folder (by its path in the records folder)
    /// a render kept whole.
    pub fn case_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.cases
            .iter()
            .map(|(dir, entry)| (dir.as_str(), entry.case_id.as_str()))
    }

    pub fn set(&mut self, file: String, stamp: String) {
        self.documents.insert(file, stamp);
    }

    pub fn remove(&mut self, file: &str) {
        self.documents.remove(file);
    }

    /// Writes the manifest atomically, leaving out documents whose file is
    /// gone.
    pub fn save(&mut self, out: &Path) -> io::Result<()> {
        self.documents.retain(|file, _| out.join(file).is_file());
        let documents = &self.documents;
        self.cases.retain(|_, entry| {
            entry
                .files
                .iter()
                .all(|f| !f.ends_with(".pdf") || documents.contains_key(f))
        });
        let json = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        write_atomic(&out.join(MANIFEST), &json, NewFiles::Umask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.pdf");
        write_atomic(&path, b"one", NewFiles::Umask).unwrap();
        write_atomic(&path, b"two", NewFiles::Umask).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn the_first_document_written_takes_the_manifest_away_until_the_render_settles() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join(MANIFEST);
        fs::write(&manifest, b"{}").unwrap();
        let written = Written::new(dir.path(), NewFiles::Umask);
        // Nothing written: settling leaves the manifest where it is.
        written.settle().unwrap();
        assert!(!written.any());
        assert!(manifest.is_file());
        let pdf = dir.path().join("ct-1/plan.pdf");
        write_document(&pdf, b"one", &written).unwrap();
        assert!(written.any());
        assert!(
            !manifest.exists(),
            "a manifest must not vouch for documents not yet on the disk"
        );
        // The second document finds it gone and carries on.
        write_document(&dir.path().join("ct-1/consent.pdf"), b"two", &written).unwrap();
        write_document(&pdf, b"three", &written).unwrap();
        written.settle().unwrap();
        assert_eq!(fs::read(&pdf).unwrap(), b"three");
        let names: Vec<_> = fs::read_dir(dir.path().join("ct-1"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    #[test]
    fn a_document_is_not_written_when_the_manifest_cannot_be_taken_away() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the manifest should be cannot be removed as a file.
        fs::create_dir(dir.path().join(MANIFEST)).unwrap();
        let written = Written::new(dir.path(), NewFiles::Umask);
        let pdf = dir.path().join("ct-1/plan.pdf");
        let error = write_document(&pdf, b"one", &written).unwrap_err();
        assert!(error.to_string().contains("plan.pdf"), "{error}");
        assert!(!pdf.exists());
    }

    #[test]
    fn out_inside_records_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let records = dir.path().join("records");
        fs::create_dir(&records).unwrap();
        assert!(check_out_dir(&records.join("out"), &records).is_err());
        assert!(check_out_dir(&dir.path().join("out"), &records).is_ok());
    }
}
