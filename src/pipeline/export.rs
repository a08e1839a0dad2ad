//! A case handed over to another program (an exit with reason
//! `transferred`; seed procedure 000: "the initial service coordinator is
//! responsible for transferring all information to the new service
//! coordinator"): one new folder the receiving program can read without
//! casepaper, with
//!
//! - `records/`: the case's record files, byte for byte as they are;
//! - `documents/`: every document of the case, made now (each PDF carries
//!   its fingerprint, and one that follows the case the records' commit,
//!   so `casepaper verify` can say whether it still matches);
//! - `contents.txt`: what the folder holds, each file with its SHA-256
//!   digest, so what was handed over can be told later.
//!
//! Only a case without errors is exported: the new program gets whole
//! documents. Nothing in the records is written, and a folder that exists
//! already is never written into.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::execute::Warm;
use super::run::{Made, RenderConfig, RenderRun};
use crate::error::{Error, Result};
use crate::finding::has_errors;
use crate::load::find_root;
use crate::output;
use crate::provenance::{hex, read_stamp};

/// The file that lists what an export folder holds.
pub const CONTENTS: &str = "contents.txt";

/// What `export` made of one case folder.
pub struct Exported {
    /// The render of the case: its findings, and what was made.
    pub made: Made,
    /// The folder written, with every file in it; none when the case has
    /// errors (nothing is written then).
    pub folder: Option<ExportFolder>,
}

/// The folder handed over: where it is and each file it holds.
pub struct ExportFolder {
    pub dir: PathBuf,
    pub case_id: String,
    /// Each file's path in the folder (`records/plan.yaml`) and its SHA-256
    /// digest, records first, then documents, each by name.
    pub files: Vec<(String, String)>,
    /// The commit the documents were made from, `uncommitted`, or none
    /// (outside git, or only dated documents, which name no commit).
    pub commit: Option<String>,
}

/// Exports the case at `case_dir` into a new folder named by its case id
/// inside `to` (made if needed), its documents made with the renderer
/// `warm` keeps.
pub fn export(case_dir: &Path, to: &Path, warm: &mut Warm) -> Result<Exported> {
    let root = find_root(case_dir)?;
    if output::inside_records(to, &root) {
        return Err(Error::Output(format!(
            "{} is inside the records folder {}; export into another folder with --to",
            to.display(),
            root.display()
        )));
    }
    fs::create_dir_all(to).map_err(|e| Error::made(to.display(), e))?;
    let staging = tempfile::Builder::new()
        .prefix(".casepaper-export-")
        .tempdir_in(to)
        .map_err(|e| Error::made(to.display(), e))?;
    let mut config = RenderConfig::desk(vec![case_dir.to_path_buf()], staging.path().into());
    config.options.force = true;
    let mut made = RenderRun::start(&config)?.render(warm, &())?;
    if let Some(error) = made.report.write_error.take() {
        return Err(error);
    }
    // Whole: no finding is an error (the program file's among them) and
    // every document was made.
    let whole = made.report.failed.is_empty() && !has_errors(made.valid.findings());
    // The one case made: the folder its documents went to (the run keeps
    // no case once its batch is made).
    let case = fs::read_dir(staging.path())
        .map_err(|e| Error::read(staging.path().display(), e))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .next();
    let (true, Some(case_id)) = (whole, case) else {
        return Ok(Exported { made, folder: None });
    };
    let dir = to.join(&case_id);
    if dir.exists() {
        return Err(Error::Exists {
            what: dir.display().to_string(),
            hint: " (move it away, or export into another folder with --to)",
        });
    }
    let made_dir = staging.path().join(&case_id);
    // Made beside, then moved into place: the folder appears whole or not
    // at all.
    let building = staging.path().join("export");
    let mut files = Vec::new();
    let mut commit = None;
    for (from, sub, extension) in [
        (case_dir, "records", "yaml"),
        (made_dir.as_path(), "documents", "pdf"),
    ] {
        let into = building.join(sub);
        fs::create_dir_all(&into).map_err(|e| Error::made(into.display(), e))?;
        for (name, bytes) in files_of(from, extension)? {
            // A document made from uncommitted records says so; a dated
            // one names no commit (see `DocKind::dated`).
            match read_stamp(&bytes).and_then(|s| s.commit) {
                Some(c) if c == "uncommitted" || commit.is_none() => commit = Some(c),
                _ => {}
            }
            let path = into.join(&name);
            fs::write(&path, &bytes).map_err(|e| Error::written(path.display(), e))?;
            files.push((format!("{sub}/{name}"), hex(&Sha256::digest(&bytes))));
        }
    }
    let folder = ExportFolder {
        dir: dir.clone(),
        case_id,
        files,
        commit,
    };
    let contents = building.join(CONTENTS);
    fs::write(&contents, folder.contents()).map_err(|e| Error::written(contents.display(), e))?;
    fs::rename(&building, &dir).map_err(|e| Error::written(dir.display(), e))?;
    Ok(Exported {
        made,
        folder: Some(folder),
    })
}

/// The regular files of `dir` whose names end in `.extension`, by name,
/// with their bytes; links are not followed.
fn files_of(dir: &Path, extension: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let entries = fs::read_dir(dir).map_err(|e| Error::read(dir.display(), e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::read(dir.display(), e))?;
        let path = entry.path();
        let is_file = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_file || path.extension().is_none_or(|e| e != extension) {
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| Error::read(path.display(), e))?;
        files.push((name, bytes));
    }
    files.sort();
    Ok(files)
}

impl ExportFolder {
    /// The text of `contents.txt`: what the folder is, and each file with
    /// its digest.
    pub fn contents(&self) -> String {
        let version = match self.commit.as_deref() {
            Some("uncommitted") => {
                "records with changes not yet committed to the program's history".to_string()
            }
            Some(commit) => format!("the records at commit {commit}"),
            None => {
                "the records as they are (each document's fingerprint says what it was made from)"
                    .to_string()
            }
        };
        let mut text = format!(
            "The records of case {} as handed over to the program the family chose.\n\
             records/ holds the record files as they are; documents/ the documents made from \
             {version}.\n\
             Each file's SHA-256 digest:\n\n",
            self.case_id
        );
        for (path, digest) in &self.files {
            text.push_str(&format!("{digest}  {path}\n"));
        }
        text
    }
}
