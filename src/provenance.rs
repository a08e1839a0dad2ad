//! Which inputs a document was made from: a SHA-256 fingerprint over the
//! tool version, the template set (templates, translations, fonts), the
//! program file and logo, and the case's record files, plus a short digest
//! of each input. The footer prints the fingerprint's first twelve hex
//! digits; the PDF's keywords carry all of it, so `casepaper verify` can
//! say later whether a printed page still matches the records, and which
//! input changed when it does not.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::load::git::{Commit, History, Repo};
use crate::load::{CaseFolder, Caseload, slash_path};
use crate::model::Kind;

/// How many hex digits of the fingerprint the footer shows.
pub const SHORT: usize = 12;
/// How many hex digits of each input's digest the PDF keywords keep.
pub const INPUT_DIGITS: usize = 16;

/// Bytes as lowercase hexadecimal digits.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 digest of `bytes`, in hex.
pub fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// One input file of a case: a record file, by its path in the records
/// folder (`ct-2025-0117/plan.yaml`), the record kind it holds, its digest and
/// where it is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub name: String,
    pub kind: Option<Kind>,
    pub digest: String,
    pub path: PathBuf,
}

/// The inputs of one case's documents: those every document reads
/// (`casepaper`, `templates`, `program.yaml`, `logo`) and the case's record
/// files. Values are SHA-256 hex digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    shared: BTreeMap<String, String>,
    files: Vec<InputFile>,
}

/// The inputs every document reads: the casepaper version, the template
/// set's digest, the program file and the logo. Computed once per run.
pub fn shared_inputs(
    caseload: &Caseload,
    templates: &str,
    logo: Option<&[u8]>,
) -> BTreeMap<String, String> {
    let mut shared = BTreeMap::new();
    shared.insert(
        "casepaper".into(),
        digest(env!("CARGO_PKG_VERSION").as_bytes()),
    );
    shared.insert("templates".into(), templates.to_string());
    if let Some(program) = &caseload.program {
        let text = caseload.sources.get(&program.path);
        shared.insert(
            crate::load::PROGRAM_FILE.into(),
            text.map(|t| digest(t.as_bytes())).unwrap_or_default(),
        );
    }
    if let Some(logo) = logo {
        shared.insert("logo".into(), digest(logo));
    }
    shared
}

impl Inputs {
    /// The inputs of the documents of the case in `folder`.
    pub fn for_case(
        caseload: &Caseload,
        folder: &CaseFolder,
        shared: &BTreeMap<String, String>,
    ) -> Inputs {
        let files = folder
            .files
            .iter()
            .map(|file| InputFile {
                name: slash_path(file.path.strip_prefix(&caseload.root).unwrap_or(&file.path)),
                kind: file.kind(),
                digest: caseload
                    .sources
                    .get(&file.path)
                    .map(|t| digest(t.as_bytes()))
                    .unwrap_or_default(),
                path: file.path.clone(),
            })
            .collect();
        Inputs {
            shared: shared.clone(),
            files,
        }
    }

    /// The same inputs with `shared` as the inputs every case shares (for
    /// inputs worked out before those were known).
    pub fn sharing(self, shared: &BTreeMap<String, String>) -> Inputs {
        Inputs {
            shared: shared.clone(),
            ..self
        }
    }

    /// The inputs of a case folder from its files' text, before they are
    /// parsed (their record kinds are not known yet).
    pub fn from_texts(
        root: &Path,
        shared: &BTreeMap<String, String>,
        texts: &[(PathBuf, std::sync::Arc<str>)],
    ) -> Inputs {
        let files = texts
            .iter()
            .map(|(path, text)| InputFile {
                name: slash_path(path.strip_prefix(root).unwrap_or(path)),
                kind: None,
                digest: digest(text.as_bytes()),
                path: path.clone(),
            })
            .collect();
        Inputs {
            shared: shared.clone(),
            files,
        }
    }

    /// Gives each input file the record kind parsing found in it (inputs
    /// worked out from the files' text before they were parsed have none).
    pub fn learn_kinds(&mut self, folder: &CaseFolder) {
        for input in &mut self.files {
            input.kind = folder
                .files
                .iter()
                .find(|f| f.path == input.path)
                .and_then(|f| f.kind());
        }
    }

    /// A stamp of the whole case: it changes whenever the inputs, the git
    /// version or the fingerprint of any of the case's documents could.
    /// `options` are the render options that choose the documents.
    pub fn case_stamp(&self, git: Option<(&GitState, &CaseGit)>, options: &str) -> String {
        let mut h = Sha256::new();
        h.update(fingerprint(options, &self.shared).as_bytes());
        if let Some((g, c)) = git {
            h.update([1]);
            h.update(g.version(c, std::iter::empty()).label().as_bytes());
        }
        for file in &self.files {
            h.update([2]);
            h.update(file.name.as_bytes());
            h.update([0]);
            h.update(file.digest.as_bytes());
            if let Some((g, c)) = git {
                h.update([0]);
                h.update(g.version(c, std::iter::once(file)).label().as_bytes());
            }
        }
        hex(&h.finalize())
    }

    /// The record files a document that reads the record kinds `reads` is
    /// made from (a file of no known kind counts for every document).
    pub fn files_of<'a>(&'a self, reads: &'a [Kind]) -> impl Iterator<Item = &'a InputFile> {
        self.files
            .iter()
            .filter(move |f| f.kind.is_none_or(|k| reads.contains(&k)))
    }

    /// The inputs a document's fingerprint covers, by name, with their
    /// digests: the casepaper version, the template set and the logo, and
    /// [`CONTENT`], the digest of what the document prints from the
    /// records (see [`content_digest`]). Record files are not among them,
    /// so a later meeting written in the same plan file leaves an earlier
    /// consent's fingerprint as it was; the program file neither, as what a
    /// document prints of it is in the content.
    pub fn of_document(&self, content: &str) -> BTreeMap<String, String> {
        let mut all: BTreeMap<String, String> = (self.shared.iter())
            .filter(|(name, _)| name.as_str() != crate::load::PROGRAM_FILE)
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        all.insert(CONTENT.into(), content.to_string());
        all
    }

    /// The fingerprint of the document `stem` (its file name without
    /// `.pdf`) whose content digest is `content`.
    pub fn fingerprint(&self, stem: &str, content: &str) -> String {
        fingerprint(stem, &self.of_document(content))
    }

    /// The PDF keywords of the document `doc` of case `case_id`: the
    /// fingerprint, the commit (for a document that follows the case) and
    /// each input's digest; a document that follows the case also names
    /// the record files it `reads`, so that `verify` can say which changed.
    pub fn keywords(
        &self,
        case_id: &str,
        doc: &DocumentInputs<'_>,
        version: &Version,
    ) -> Vec<String> {
        let mut words = vec![
            format!(
                "casepaper-fingerprint={}",
                self.fingerprint(doc.stem, doc.content)
            ),
            format!("case={case_id}"),
            format!("document={}", doc.stem),
        ];
        match version {
            Version::Commit(c) => words.push(format!("commit={}", c.id)),
            Version::Uncommitted => words.push("commit=uncommitted".into()),
            Version::NotInGit | Version::Committed => {}
        }
        let mut inputs = self.of_document(doc.content);
        if let Some(reads) = doc.files {
            inputs.extend(
                self.files_of(reads)
                    .map(|f| (f.name.clone(), f.digest.clone())),
            );
        }
        words.extend(inputs.iter().map(|(name, value)| {
            format!("input:{name}={}", &value[..value.len().min(INPUT_DIGITS)])
        }));
        words
    }
}

/// What the keywords of one document are made of.
pub struct DocumentInputs<'a> {
    /// Its file name without `.pdf`.
    pub stem: &'a str,
    /// The digest of what it prints (see [`content_digest`]).
    pub content: &'a str,
    /// The record kinds it reads, for a document that follows the case
    /// (`None` for a dated one, whose keywords name no record file).
    pub files: Option<&'a [Kind]>,
}

/// The name of the input that is what a document prints from the records.
pub const CONTENT: &str = "content";

/// The digest of a document's content: its Typst source as made with a
/// blank stamp (no fingerprint, commit or keywords), which is everything
/// it prints from the records, the program file and the translations, and
/// nothing it does not.
pub fn content_digest(source: &str) -> String {
    digest(source.as_bytes())
}

/// The fingerprint of the document `stem` made from `inputs`.
fn fingerprint(stem: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut h = Sha256::new();
    h.update(stem.as_bytes());
    for (name, value) in inputs {
        h.update([0]);
        h.update(name.as_bytes());
        h.update([0]);
        h.update(value.as_bytes());
    }
    hex(&h.finalize())
}

/// Where the records a document was made from stand in git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// The records are not in a git repository.
    NotInGit,
    /// Every input is committed: the newest commit that changed one of them.
    Commit(Commit),
    /// Every input is committed, and the document is a dated one (see
    /// `DocKind::dated`): it names no commit, since a later commit that
    /// leaves what it prints as it was must leave the copy as it was too;
    /// its fingerprint says what it was made from.
    Committed,
    /// An input has changes not committed yet (or was never committed).
    Uncommitted,
}

impl Version {
    /// What the footer says, and what the manifest keys on.
    pub fn label(&self) -> String {
        match self {
            Version::NotInGit => String::new(),
            Version::Commit(c) => c.short().to_string(),
            Version::Committed => "committed".into(),
            Version::Uncommitted => "uncommitted".into(),
        }
    }
}

/// The git history of the records in one run, asked once: which commit last
/// changed each input and which inputs have uncommitted changes.
pub struct GitState {
    repo: Repo,
    history: History,
    uncommitted: BTreeSet<String>,
    /// The newest commit that changed an input every document reads
    /// (program file, logo, the templates folder).
    shared_newest: Option<usize>,
    shared_uncommitted: bool,
}

/// A case folder's part of the git state: its deleted files count for every
/// document of the case.
pub struct CaseGit {
    /// Each input file's path in the repository, found once per case
    /// (absent when the file is outside the repository).
    paths: HashMap<PathBuf, String>,
    deleted_newest: Option<usize>,
    /// The case folder is outside the repository, or a file of it was
    /// deleted without a commit.
    uncommitted: bool,
}

impl GitState {
    /// Reads the history of the records folder (and of the templates folder
    /// beside it, when there is one).
    pub fn read(
        repo: Repo,
        records: &Path,
        templates: Option<&Path>,
        logo: Option<&str>,
    ) -> Result<GitState, Error> {
        let root = repo
            .path_of(if records.as_os_str().is_empty() {
                Path::new(".")
            } else {
                records
            })
            .ok_or_else(|| Error::Git("the records folder is not inside the repository".into()))?;
        let templates = templates.and_then(|t| repo.path_of(t));
        let mut specs = vec![if root.is_empty() {
            ".".into()
        } else {
            root.clone()
        }];
        specs.extend(templates.clone());
        let history = repo.history(&specs)?;
        let uncommitted = repo.uncommitted(&specs)?;
        let join = |name: &str| {
            if root.is_empty() {
                name.to_string()
            } else {
                format!("{root}/{name}")
            }
        };
        let mut shared = vec![join(crate::load::PROGRAM_FILE)];
        shared.extend(logo.map(join));
        let mut shared_newest = shared.iter().filter_map(|p| history.newest_of(p)).min();
        let mut shared_uncommitted = shared.iter().any(|p| uncommitted.contains(p));
        if let Some(t) = &templates {
            shared_newest = [shared_newest, history.newest_under(t, |_| true)]
                .into_iter()
                .flatten()
                .min();
            let prefix = format!("{t}/");
            shared_uncommitted |= uncommitted.iter().any(|p| p.starts_with(&prefix));
        }
        Ok(GitState {
            repo,
            history,
            uncommitted,
            shared_newest,
            shared_uncommitted,
        })
    }

    /// The inputs with changes not committed, as paths in the repository.
    pub fn uncommitted(&self) -> &BTreeSet<String> {
        &self.uncommitted
    }

    /// The git state of the case folder `dir`, whose inputs are `inputs`.
    pub fn case(&self, dir: &Path, inputs: &Inputs) -> CaseGit {
        let paths = inputs
            .files
            .iter()
            .filter_map(|f| Some((f.path.clone(), self.repo.path_of(&f.path)?)))
            .collect();
        let Some(rel) = self.repo.path_of(dir) else {
            return CaseGit {
                paths,
                deleted_newest: None,
                uncommitted: true,
            };
        };
        let gone = |p: &str| !self.repo.exists(p);
        let prefix = format!("{rel}/");
        CaseGit {
            paths,
            deleted_newest: self.history.newest_under(&rel, gone),
            uncommitted: self
                .uncommitted
                .iter()
                .any(|p| p.starts_with(&prefix) && gone(p)),
        }
    }

    /// The version of a document of the case `case` made from `files`.
    pub fn version<'a>(
        &self,
        case: &CaseGit,
        files: impl Iterator<Item = &'a InputFile>,
    ) -> Version {
        if case.uncommitted || self.shared_uncommitted {
            return Version::Uncommitted;
        }
        let mut newest = [self.shared_newest, case.deleted_newest]
            .into_iter()
            .flatten()
            .min();
        for file in files {
            let Some(rel) = case.paths.get(&file.path) else {
                return Version::Uncommitted;
            };
            if self.uncommitted.contains(rel) {
                return Version::Uncommitted;
            }
            match self.history.newest_of(rel) {
                Some(i) => newest = Some(newest.map_or(i, |n| n.min(i))),
                // Tracked by no commit: never committed (or ignored).
                None => return Version::Uncommitted,
            }
        }
        match newest {
            Some(i) => Version::Commit(self.history.commits[i].clone()),
            None => Version::Uncommitted,
        }
    }
}

/// What a PDF's keywords say about how it was made.
#[derive(Debug, Default)]
pub struct Stamp {
    pub fingerprint: String,
    pub case_id: String,
    pub stem: String,
    /// The commit the records were at (`uncommitted` when they had changes).
    pub commit: Option<String>,
    /// Input name to the first 16 hex digits of its digest.
    pub inputs: BTreeMap<String, String>,
}

/// Reads the stamp from a PDF's bytes (its document information keywords).
pub fn read_stamp(pdf: &[u8]) -> Option<Stamp> {
    let start = find(pdf, b"/Keywords(")? + b"/Keywords(".len();
    let len = find(&pdf[start..], b")")?;
    let keywords = std::str::from_utf8(&pdf[start..start + len]).ok()?;
    let mut stamp = Stamp::default();
    for word in keywords.split(", ") {
        if let Some(v) = word.strip_prefix("casepaper-fingerprint=") {
            stamp.fingerprint = v.to_string();
        } else if let Some(v) = word.strip_prefix("case=") {
            stamp.case_id = v.to_string();
        } else if let Some(v) = word.strip_prefix("commit=") {
            stamp.commit = Some(v.to_string());
        } else if let Some(v) = word.strip_prefix("document=") {
            stamp.stem = v.to_string();
        } else if let Some((name, v)) = word.strip_prefix("input:").and_then(|w| w.rsplit_once('='))
        {
            stamp.inputs.insert(name.to_string(), v.to_string());
        }
    }
    (!stamp.fingerprint.is_empty()).then_some(stamp)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_changes_with_any_input_and_the_document() {
        let mut inputs = BTreeMap::from([
            ("a/case.yaml".to_string(), digest(b"one")),
            ("templates".to_string(), digest(b"t")),
        ]);
        let contacts = fingerprint("contacts", &inputs);
        assert_eq!(contacts, fingerprint("contacts", &inputs));
        assert_ne!(contacts, fingerprint("outcomes", &inputs));
        inputs.insert("a/case.yaml".into(), digest(b"two"));
        assert_ne!(contacts, fingerprint("contacts", &inputs));
    }
}
