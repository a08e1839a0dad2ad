//! Stage 1, load: record files on disk to parsed YAML with positions.
//!
//! A records folder holds `program.yaml` at its root and one folder per case,
//! each with YAML files (`case.yaml`, `plan.yaml`, `contacts*.yaml`, ...). This
//! stage finds them, reads them (refusing what is too large or not text), and
//! parses each into a value with the position of every element. It knows
//! nothing of record kinds: that is `validate`'s job. A file that cannot be
//! read or parsed becomes a finding and its case is marked broken; every other
//! case goes on.

pub mod git;
pub mod yaml;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::finding::{Finding, RecordCode, Sources};
use yaml::YamlDoc;

/// The program file's name at the root of a records folder.
pub const PROGRAM_FILE: &str = "program.yaml";
/// Largest record file read unless the program file raises it
/// (`limits: record_file_mb:`). Real records are a few hundred kilobytes.
pub const MAX_FILE_MB: u64 = 5;
/// Highest limit the program file may set.
pub const MAX_FILE_MB_CEILING: u64 = 1024;

/// One parsed record file.
#[derive(Debug, Clone)]
pub struct RecordFile {
    /// The path as the user would name it (relative when they gave a relative folder).
    pub path: PathBuf,
    pub doc: YamlDoc,
}

impl RecordFile {
    /// The position of the element at `pointer` (its key, for a mapping
    /// entry), or of its nearest present parent.
    pub fn position(&self, pointer: &str) -> yaml::Pos {
        if let Some(spot) = self.doc.spot(pointer) {
            return spot.key.unwrap_or(spot.value);
        }
        let mut p = pointer;
        loop {
            if let Some(spot) = self.doc.spots().get(p) {
                return spot.key.unwrap_or(spot.value);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => {
                    return yaml::Pos {
                        line: 1,
                        column: 1,
                        offset: 0,
                    };
                }
            }
        }
    }

    /// The record kind the file says it holds (`kind:`), if it names
    /// one.
    pub fn kind(&self) -> Option<crate::model::Kind> {
        crate::model::Kind::from_name(self.doc.value.get("kind")?.as_str()?)
    }
}

/// A case folder and the record files it holds. `broken` is set when a file
/// could not be read or parsed, so the case must not be rendered.
///
/// A folder is read before it is parsed: `unparsed` holds the texts read
/// and not parsed yet, and [`CaseFolder::parse`] turns them into `files`.
/// Validation parses each case just before it checks it and drops the
/// case's untyped values once its typed record is made, so a whole
/// caseload's values are never held at once.
///
/// A folder read to be parsed later ([`Opened::read_cases_later`]) holds no
/// texts until then: `unread` is the largest file it may read (in MB), and
/// `parse` reads its files again, keeping in `reread` the texts it read.
#[derive(Debug, Clone, Default)]
pub struct CaseFolder {
    pub dir: PathBuf,
    pub files: Vec<RecordFile>,
    pub broken: bool,
    pub unparsed: Vec<(PathBuf, Arc<str>)>,
    pub unread: Option<u64>,
    pub reread: Option<Vec<(PathBuf, Arc<str>)>>,
}

impl CaseFolder {
    /// Parses the texts read and not parsed yet into `files` (reading them
    /// first when the folder's texts were let go); a file that cannot be
    /// read or parsed is a finding, and marks the case broken.
    pub fn parse(&mut self, findings: &mut Vec<Finding>) {
        if let Some(limit_mb) = self.unread.take() {
            let mut part = Caseload::default();
            let (texts, complete) = read_case_texts(&self.dir, limit_mb, &mut part);
            findings.extend(part.findings);
            self.broken |= !complete;
            self.reread = Some(texts.clone());
            self.unparsed = texts;
        }
        for (path, text) in std::mem::take(&mut self.unparsed) {
            match parse_text(path, text, findings) {
                Some(record) => self.files.push(record),
                None => self.broken = true,
            }
        }
    }
}

/// Everything loaded from one records folder.
#[derive(Debug, Default)]
pub struct Caseload {
    /// The records folder (holding `program.yaml`).
    pub root: PathBuf,
    pub program: Option<RecordFile>,
    pub cases: Vec<CaseFolder>,
    /// Case folders not parsed because render found their documents
    /// current, with their case ids.
    pub skipped: Vec<(PathBuf, String)>,
    /// The text of every file read, for quoting lines in findings.
    pub sources: Sources,
    pub findings: Vec<Finding>,
    /// The image the program file names as its logo (`program.logo.file`),
    /// read once when the folder is opened: its name and its bytes, or why
    /// it cannot be read (validation reports that at the element).
    pub logo: Option<(String, Result<Vec<u8>, String>)>,
}

impl Caseload {
    /// The case folder at `dir`, as it was loaded.
    pub fn folder(&self, dir: &Path) -> Option<&CaseFolder> {
        self.cases.iter().find(|f| f.dir == dir)
    }
}

/// A relative path with `/` between its names on every platform, as record
/// files are named in fingerprints and in git (`ct-2025-0117/plan.yaml`).
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A problem with the command's paths themselves (exit status 2).
#[derive(Debug)]
pub struct PathError(pub String);

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<PathError> for crate::Error {
    fn from(e: PathError) -> crate::Error {
        crate::Error::Records(e.0)
    }
}

/// The folder commands use when none is named.
pub const DEFAULT_RECORDS: &str = "records";

/// The paths a command works on: as given, except that the default
/// `records`, when there is no such folder here but the current folder is
/// in a records folder (the user stands in it or in a case folder), is `.`.
pub fn records_or_here(paths: &[PathBuf]) -> Vec<PathBuf> {
    let default = [PathBuf::from(DEFAULT_RECORDS)];
    if paths == default && !default[0].exists() && find_root(Path::new(".")).is_ok() {
        return vec![PathBuf::from(".")];
    }
    paths.to_vec()
}

/// Finds the records folder a path belongs to: the path itself or the nearest
/// folder above it that holds `program.yaml`.
pub fn find_root(path: &Path) -> Result<PathBuf, PathError> {
    if !path.exists() {
        return Err(PathError(format!("{} does not exist", path.display())));
    }
    for dir in path.ancestors() {
        let probe = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if probe.join(PROGRAM_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    // A path such as `.` or `..` names no folder above it: go up with `..`,
    // so the records folder is still named relative to where the user is.
    let levels = std::fs::canonicalize(path).map_or(0, |p| p.ancestors().count() - 1);
    let mut up = if path == Path::new(".") {
        PathBuf::new()
    } else {
        path.to_path_buf()
    };
    for _ in 0..levels {
        up.push("..");
        if up.join(PROGRAM_FILE).is_file() {
            return Ok(up);
        }
    }
    Err(PathError(format!(
        "{} is not in a records folder: no {PROGRAM_FILE} was found there or in a folder above it",
        path.display()
    )))
}

/// Loads the records the paths name: a whole records folder, or some of its
/// case folders, every file parsed. All paths must belong to the same
/// records folder.
pub fn load(paths: &[PathBuf]) -> Result<Caseload, PathError> {
    let mut caseload = open(paths)?.read_cases(|_, _| None);
    for folder in &mut caseload.cases {
        folder.parse(&mut caseload.findings);
    }
    Ok(caseload)
}

/// A records folder with its program file read, before its cases are.
pub struct Opened {
    pub caseload: Caseload,
    case_dirs: Vec<PathBuf>,
    /// Largest case record file read, in MB.
    limit_mb: u64,
    /// The whole folder was named, not single cases.
    everything: bool,
    /// Texts read in place of the files on disk (or beside them, for a
    /// file not written yet): a form's record, validated before it is saved.
    proposed: Vec<(PathBuf, Arc<str>)>,
}

impl Opened {
    /// Reads `text` as the file at `path` (in one of the case folders),
    /// instead of what is on disk: the records as they would be with it.
    pub fn propose(&mut self, path: PathBuf, text: &str) {
        self.proposed.retain(|(p, _)| p != &path);
        self.proposed.push((path, Arc::from(text)));
    }
}

/// Finds the records folder and case folders the paths name, and reads the
/// program file.
pub fn open(paths: &[PathBuf]) -> Result<Opened, PathError> {
    let paths = records_or_here(paths);
    let paths = paths.as_slice();
    let mut root: Option<PathBuf> = None;
    let mut selected: Vec<PathBuf> = Vec::new();
    let mut everything = false;
    for path in paths {
        let path_root = find_root(path)?;
        match &root {
            Some(r) if r != &path_root => {
                return Err(PathError(format!(
                    "{} and {} are in different records folders; run once per folder",
                    r.display(),
                    path_root.display()
                )));
            }
            _ => root = Some(path_root.clone()),
        }
        match case_dir_of(&path_root, path) {
            Some(dir) => selected.push(dir),
            None => everything = true,
        }
    }
    let root = root.unwrap_or_else(|| PathBuf::from("."));
    let mut caseload = Caseload {
        root: root.clone(),
        ..Caseload::default()
    };

    let program_path = root.join(PROGRAM_FILE);
    caseload.program = read_record(&program_path, MAX_FILE_MB, &mut caseload);
    // The limit is read from the raw value; an invalid one is left to
    // validation to report, and the default holds meanwhile.
    let limit_mb = caseload
        .program
        .as_ref()
        .and_then(|p| p.doc.value.pointer("/limits/record_file_mb"))
        .and_then(|v| v.as_u64())
        .filter(|mb| (1..=MAX_FILE_MB_CEILING).contains(mb))
        .unwrap_or(MAX_FILE_MB);
    caseload.logo = caseload
        .program
        .as_ref()
        .and_then(|p| p.doc.value.pointer("/program/logo/file")?.as_str())
        .map(|file| (file.to_string(), read_asset(&root, file)));

    let case_dirs = if everything {
        list_case_dirs(&root, &mut caseload)
    } else {
        selected.sort();
        selected.dedup();
        selected
    };
    Ok(Opened {
        caseload,
        case_dirs,
        limit_mb,
        everything,
        proposed: Vec::new(),
    })
}

/// Tells, from a case folder's texts, the case id of a case that need not
/// be parsed again (see [`Opened::read_cases`]).
pub type Unchanged<'a> = dyn Fn(&Path, &[(PathBuf, Arc<str>)]) -> Option<String> + Sync + 'a;

impl Opened {
    /// Reads the case folders, in parallel, gathered in order; their files
    /// are parsed later ([`CaseFolder::parse`]). A folder whose files all read and for which `unchanged(dir, files)`
    /// gives the case id it had is not parsed: it is listed in `skipped`
    /// (render uses this for cases whose documents are all current).
    pub fn read_cases(
        self,
        unchanged: impl Fn(&Path, &[(PathBuf, Arc<str>)]) -> Option<String> + Sync,
    ) -> Caseload {
        self.read_cases_keeping(Some(&unchanged), true)
    }

    /// Reads the case folders as [`Opened::read_cases`] does when there is
    /// an `unchanged` to see each folder's texts, but lets go of the texts
    /// of the folders to parse; without one, only lists each folder's
    /// files. [`CaseFolder::parse`] reads them (again), so a caseload
    /// validated a batch at a time never holds every case's text. (A
    /// folder with a proposed text keeps its texts.)
    pub fn read_cases_later(self, unchanged: Option<&Unchanged<'_>>) -> Caseload {
        self.read_cases_keeping(unchanged, false)
    }

    fn read_cases_keeping(self, unchanged: Option<&Unchanged<'_>>, keep_texts: bool) -> Caseload {
        let Opened {
            mut caseload,
            case_dirs,
            limit_mb,
            everything,
            proposed,
        } = self;
        let read = crate::parallel::map(&case_dirs, |dir| {
            let mut part = Caseload::default();
            let proposes = proposed.iter().any(|(p, _)| p.parent() == Some(dir));
            if !keep_texts && !proposes && unchanged.is_none() {
                // Nothing to see in the texts yet: read when parsed. (A
                // folder that cannot be listed is read, and said, then.)
                let folder = CaseFolder {
                    dir: dir.clone(),
                    unread: lists_records(dir).then_some(limit_mb),
                    ..CaseFolder::default()
                };
                return (Ok(folder), part);
            }
            let (mut texts, complete) = read_case_texts(dir, limit_mb, &mut part);
            for (path, text) in proposed.iter().filter(|(p, _)| p.parent() == Some(dir)) {
                texts.retain(|(p, _)| p != path);
                texts.push((path.clone(), text.clone()));
                texts.sort_by(|a, b| a.0.cmp(&b.0));
            }
            let kept = (complete && !texts.is_empty())
                .then(|| unchanged.and_then(|unchanged| unchanged(dir, &texts)))
                .flatten();
            let folder = match kept {
                Some(case_id) => Err(case_id),
                // Not a case: no record files at all (see below).
                None if texts.is_empty() && complete => Ok(CaseFolder {
                    dir: dir.clone(),
                    ..CaseFolder::default()
                }),
                // Read again when parsed; what reading found is found then.
                None if !keep_texts && !proposes => {
                    part.findings.clear();
                    Ok(CaseFolder {
                        dir: dir.clone(),
                        unread: Some(limit_mb),
                        ..CaseFolder::default()
                    })
                }
                None => {
                    for (path, text) in &texts {
                        part.sources.insert(path.clone(), text.clone());
                    }
                    Ok(CaseFolder {
                        dir: dir.clone(),
                        broken: !complete,
                        unparsed: texts,
                        ..CaseFolder::default()
                    })
                }
            };
            (folder, part)
        });
        for ((folder, part), dir) in read.into_iter().zip(case_dirs) {
            caseload.findings.extend(part.findings);
            caseload.sources.extend(part.sources);
            let folder = match folder {
                Ok(folder) => folder,
                Err(case_id) => {
                    caseload.skipped.push((dir, case_id));
                    continue;
                }
            };
            // A folder with no record files at all (images for the
            // letterhead, say) is not a case; one named on the command line
            // still is.
            if everything && folder.unparsed.is_empty() && folder.unread.is_none() && !folder.broken
            {
                continue;
            }
            caseload.cases.push(folder);
        }
        caseload
    }
}

/// The case folder (a direct child of `root`) that `path` is in, if any.
fn case_dir_of(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = match path.strip_prefix(root) {
        Ok(rel) => rel.to_path_buf(),
        // `.` inside a case folder, whose records folder is `..`.
        Err(_) => {
            let (path, root) = (
                std::fs::canonicalize(path).ok()?,
                std::fs::canonicalize(root).ok()?,
            );
            path.strip_prefix(root).ok()?.to_path_buf()
        }
    };
    let first = rel.components().next()?;
    let dir = root.join(first);
    dir.is_dir().then_some(dir)
}

fn list_case_dirs(root: &Path, load: &mut Caseload) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let walker = WalkDir::new(root)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_dir() => {
                let name = entry.file_name().to_string_lossy();
                if !name.starts_with('.') && name != "templates" {
                    dirs.push(entry.into_path());
                }
            }
            // A link to a folder is not read, but never hidden either.
            Ok(entry) if entry.path_is_symlink() && entry.path().is_dir() => {
                let name = entry.file_name().to_string_lossy();
                if !name.starts_with('.') {
                    let target = fs::read_link(entry.path()).unwrap_or_default();
                    load.findings.push(Finding::error(
                        entry.path(),
                        RecordCode::Unreadable,
                        format!(
                            "this case folder is a link to {}; casepaper reads no folder a \
                             link points to (move the case folder into the records folder)",
                            target.display()
                        ),
                    ));
                }
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                load.findings.push(Finding::error(
                    &path,
                    RecordCode::Unreadable,
                    format!("this folder could not be read: {err}"),
                ));
            }
        }
    }
    dirs
}

/// Whether the case folder `dir` holds a record file (or cannot be listed).
fn lists_records(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return true;
    };
    entries
        .into_iter()
        .any(|entry| entry.map_or(true, |e| is_record_file(&e.path())))
}

/// Whether `path` is named as a record file (`.yaml` or `.yml`).
pub fn is_record_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// The text of every YAML file in a case folder that could be read, by
/// path, and whether all could (the findings say why not).
fn read_case_texts(
    dir: &Path,
    limit_mb: u64,
    load: &mut Caseload,
) -> (Vec<(PathBuf, Arc<str>)>, bool) {
    let mut texts = Vec::new();
    let mut complete = true;
    let walker = WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                load.findings.push(Finding::error(
                    dir,
                    RecordCode::Unreadable,
                    format!("this case folder could not be read: {err}"),
                ));
                complete = false;
                continue;
            }
        };
        let path = entry.into_path();
        if !is_record_file(&path) {
            continue;
        }
        match read_text(&path, limit_mb) {
            Ok(text) => texts.push((path, Arc::from(text))),
            Err((code, message)) => {
                load.findings.push(Finding::error(&path, code, message));
                complete = false;
            }
        }
    }
    (texts, complete)
}

/// Reads and parses one file. Returns the record when it could be read and
/// parsed; otherwise the problems are findings.
fn read_record(path: &Path, limit_mb: u64, load: &mut Caseload) -> Option<RecordFile> {
    match read_text(path, limit_mb) {
        Ok(text) => {
            let text: Arc<str> = Arc::from(text);
            load.sources.insert(path.to_path_buf(), text.clone());
            parse_text(path.to_path_buf(), text, &mut load.findings)
        }
        Err((code, message)) => {
            load.findings.push(Finding::error(path, code, message));
            None
        }
    }
}

/// Parses one file's text; the problems are findings.
fn parse_text(path: PathBuf, text: Arc<str>, findings: &mut Vec<Finding>) -> Option<RecordFile> {
    match yaml::parse(text) {
        Ok(doc) => Some(RecordFile { path, doc }),
        Err(problems) => {
            for p in problems {
                findings.push(
                    Finding::error(&path, p.code, p.message)
                        .at(p.pos)
                        .path(crate::finding::dotted("", &p.pointer)),
                );
            }
            None
        }
    }
}

/// Largest image (the program's logo) read from the records folder.
pub const MAX_ASSET_BYTES: u64 = 1024 * 1024;

/// Reads a file a record names (the logo), by its path relative to the
/// records folder. Refuses anything that resolves outside the folder.
pub fn read_asset(root: &Path, rel: &str) -> Result<Vec<u8>, String> {
    let base = fs::canonicalize(if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    })
    .map_err(|e| format!("the records folder cannot be read: {e}"))?;
    let real = fs::canonicalize(base.join(rel))
        .map_err(|e| format!("`{rel}` cannot be read from the records folder: {e}"))?;
    if !real.starts_with(&base) {
        return Err(format!("`{rel}` is outside the records folder"));
    }
    let meta = fs::metadata(&real).map_err(|e| format!("`{rel}` cannot be read: {e}"))?;
    if !meta.is_file() {
        return Err(format!("`{rel}` is not a file"));
    }
    if meta.len() > MAX_ASSET_BYTES {
        return Err(format!(
            "`{rel}` is {} KB, more than the {} KB a logo may be",
            meta.len() / 1024,
            MAX_ASSET_BYTES / 1024
        ));
    }
    fs::read(&real).map_err(|e| format!("`{rel}` cannot be read: {e}"))
}

/// Reads a file as UTF-8 text, with a message a coordinator can act on when it
/// cannot be. Files over `limit_mb` are refused before they are read.
/// A refusal is a finding's code and message.
fn read_text(path: &Path, limit_mb: u64) -> Result<String, (RecordCode, String)> {
    let unreadable = |e: std::io::Error| (RecordCode::Unreadable, why_unreadable(path, &e));
    let limit = limit_mb * 1024 * 1024;
    // Nothing follows a link out of the records: a link is refused (a
    // dangling one says so), and only a regular file is read.
    let own = fs::symlink_metadata(path).map_err(unreadable)?;
    if own.file_type().is_symlink() {
        let target = fs::metadata(path)
            .map_err(unreadable)
            .map(|_| fs::read_link(path));
        let target = target?.map_err(unreadable)?;
        return Err((
            RecordCode::Unreadable,
            format!(
                "this file is a link to {}; casepaper reads only the record files kept in the \
                 case folder itself (copy the file in, or remove the link)",
                target.display()
            ),
        ));
    }
    let meta = own;
    if meta.is_dir() {
        return Err((
            RecordCode::Unreadable,
            "this is a folder named like a record file; rename it or move it out of the case folder"
                .into(),
        ));
    }
    if !meta.is_file() {
        return Err((
            RecordCode::Unreadable,
            "this is not a file but a pipe or a device named like a record file; remove it \
             from the case folder"
                .into(),
        ));
    }
    let too_large = |size: u64| {
        (
            RecordCode::FileTooLarge,
            format!(
                "this file is {} MB, more than the {limit_mb} MB a record file may be; split it \
             (contact notes can be kept in several files), or raise the limit in \
             {PROGRAM_FILE} with `limits: record_file_mb:`",
                size.div_ceil(1024 * 1024),
            ),
        )
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    // It grew while being read.
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        (
            RecordCode::Unreadable,
            format!(
                "this file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text))
}

/// Why a file could not be read, in words a coordinator can act on.
fn why_unreadable(path: &Path, err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    if err.kind() == ErrorKind::NotFound
        && let Ok(target) = fs::read_link(path)
    {
        return format!(
            "this file is a link to {}, which does not exist; \
             remove the link or restore the file",
            target.display()
        );
    }
    match err.kind() {
        ErrorKind::PermissionDenied => {
            "this file could not be read: permission to read it was denied; \
             ask whoever looks after the records folder to let you read it"
                .into()
        }
        ErrorKind::NotFound => "this file disappeared while it was being read".into(),
        _ => format!("this file could not be read: {err}"),
    }
}

/// `STEM-DATE-BY.yaml` in `dir` (`BY`: the staff id of who writes it, so
/// two people working apart never make the same file), or `-2`, `-3`, ...
/// after it when taken. Without a usable staff id, `STEM-DATE.yaml`.
/// Readers take a file by its `kind`, so older names read as well.
pub fn dated_path(dir: &Path, stem: &str, date: &str, by: Option<&str>) -> PathBuf {
    let by = by.filter(|id| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    });
    let base = match by {
        Some(by) => format!("{stem}-{date}-{by}"),
        None => format!("{stem}-{date}"),
    };
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{base}.yaml")),
            n => dir.join(format!("{base}-{n}.yaml")),
        })
        .find(|p| !p.exists())
        .expect("a free name")
}
