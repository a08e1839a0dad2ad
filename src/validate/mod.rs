//! Stage 2, validate: parsed files to typed case records, or findings.
//!
//! Each file states its `kind` and `version`; the matching JSON Schema checks
//! its structure and required elements, and every validator error becomes a
//! finding that names the element and points at its line and column (a
//! missing element points at the mapping that should hold it). Then the files
//! of each case are put together, and the references between them (staff ids,
//! service ids, outcome numbers, case ids) are checked. A case with any error
//! is left out of what later stages see; the others go on.

mod dates;
mod languages;
pub(crate) use languages::plain_name as language_name;
mod messages;
mod plan;
mod references;
pub mod schemas;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use crate::finding::{Finding, RecordCode, has_errors};
use crate::load::{CaseFolder, Caseload, PROGRAM_FILE, RecordFile};
use crate::model::{CaseRecord, Kind, ProgramFile};
pub use schemas::Schemas;

/// A case that passed validation, ready to check and render.
#[derive(Debug, Clone)]
pub struct ValidCase {
    pub record: CaseRecord,
    /// The case folder the record was read from.
    pub dir: PathBuf,
    /// The kinds of record among the case's files that have errors, left
    /// out of `record`: empty for a whole case.
    pub with_errors: BTreeSet<Kind>,
}

/// What validation makes of a caseload.
#[derive(Debug, Default)]
pub struct Validated {
    /// The program file, when it is valid (nothing renders without it).
    pub program: Option<ProgramFile>,
    pub cases: Vec<ValidCase>,
    /// Case folders left out because of errors, by folder.
    pub rejected: Vec<PathBuf>,
    /// Of the cases left out, those whose case file is valid, typed from
    /// their files that have no errors (a contacts file with an error is
    /// left out of it): what can still be worked out of the case, its
    /// deadlines and signatures owed, and the documents made only of its
    /// files without errors, shown beside its errors.
    pub partial: Vec<ValidCase>,
    pub findings: Vec<Finding>,
    /// The bytes of the program's logo, when it names one that can be read.
    pub logo: Option<Vec<u8>>,
    /// Checks that wait for a file with errors, in words.
    pub deferred: Vec<String>,
}

/// A record file whose kind and version are known and whose structure is valid.
struct Checked<'a> {
    file: &'a RecordFile,
    kind: Kind,
}

/// Validates everything loaded. Load findings are carried over. `languages`
/// are those the templates have translations for.
pub fn validate(
    load: &mut Caseload,
    schemas: &Schemas,
    languages: &[&str],
    prints: &(dyn Fn(char) -> bool + Sync),
) -> Validated {
    let prints = Printable::new(prints);
    let (mut validator, mut out) = Validator::new(load, schemas, languages, &prints);
    let folders = std::mem::take(&mut load.cases);
    load.cases = validator.cases(folders, &mut out);
    crate::finding::sort(&mut out.findings);
    out
}

/// Validation of a caseload that can go a batch of cases at a time: the
/// program file first, then the case folders in order, with what spans
/// cases (unique case ids) carried from one batch to the next, so batches
/// give the same findings as one pass over every case.
pub struct Validator<'a> {
    schemas: &'a Schemas,
    languages: &'a [&'a str],
    prints: &'a Printable<'a>,
    program: Option<ProgramFile>,
    /// The program file as read, for findings placed in it.
    program_file: Option<RecordFile>,
    /// The case ids seen so far, and where.
    case_ids: BTreeMap<String, PathBuf>,
}

impl<'a> Validator<'a> {
    /// Validates the program file of `load` and takes note of the ids of
    /// the cases left unparsed; gives what that found (the load's findings
    /// too), with the typed program when it is valid.
    pub fn new(
        load: &Caseload,
        schemas: &'a Schemas,
        languages: &'a [&'a str],
        prints: &'a Printable<'a>,
    ) -> (Validator<'a>, Validated) {
        let mut out = Validated {
            findings: load.findings.clone(),
            ..Validated::default()
        };
        validate_program(load, schemas, prints, &mut out);
        // Cases render left unparsed (unchanged) still hold their ids.
        let case_ids = load
            .skipped
            .iter()
            .map(|(dir, id)| (id.clone(), dir.clone()))
            .collect();
        let validator = Validator {
            schemas,
            languages,
            prints,
            program: out.program.clone(),
            program_file: load.program.clone(),
            case_ids,
        };
        (validator, out)
    }

    /// Parses and validates `folders` (in parallel), adding to `out` their
    /// findings, their valid cases and the folders left
    /// out; gives the folders back, parsed, with their values slimmed.
    pub fn cases(&mut self, folders: Vec<CaseFolder>, out: &mut Validated) -> Vec<CaseFolder> {
        // Once a case is typed, its files' untyped values are dropped (their
        // positions come from the text when a finding needs one), so only
        // the cases in hand are ever held as values.
        let (schemas, languages, prints) = (self.schemas, self.languages, self.prints);
        let program = self.program.as_ref();
        let program_file = self.program_file.as_ref();
        let built = crate::parallel::map_owned(folders, |mut folder| {
            let mut findings = Vec::new();
            let mut deferred = Vec::new();
            folder.parse(&mut findings);
            let built = build_case(
                &folder,
                schemas,
                (program, program_file),
                languages,
                prints,
                &mut findings,
                &mut deferred,
            );
            let built = match built {
                Some(Ok((record, case_file))) => {
                    let at = folder.files.iter().position(|f| std::ptr::eq(f, case_file));
                    let id = record.case.case_id.clone();
                    Built::Whole((record, id, at))
                }
                Some(Err(partial)) => Built::Partial(partial),
                None => Built::Nothing,
            };
            // Which kind each file holds, for a case with errors to say
            // which of its records they are in.
            let kinds: Vec<(PathBuf, Kind)> = match has_errors(&findings) {
                true => (folder.files.iter())
                    .filter_map(|f| Some((f.path.clone(), record_schema(f, schemas).ok()?.0)))
                    .collect(),
                false => Vec::new(),
            };
            for file in &mut folder.files {
                file.doc.slim();
            }
            (folder, built, findings, deferred, kinds)
        });
        let mut folders = Vec::with_capacity(built.len());
        for (folder, built, findings, deferred, kinds) in built {
            let (record, partial) = match built {
                Built::Whole(record) => (Some(record), None),
                Built::Partial(record) => (None, Some(record)),
                Built::Nothing => (None, None),
            };
            out.deferred.extend(deferred);
            let before = out.findings.len();
            out.findings.extend(findings);
            if let Some((_, case_id, Some(at))) = &record {
                references::unique_case_id(
                    case_id,
                    &folder.files[*at],
                    &mut self.case_ids,
                    &mut out.findings,
                );
            }
            let case_ok = !folder.broken && !has_errors(&out.findings[before..]);
            let dir = folder.dir.clone();
            match (record, partial) {
                (Some((record, ..)), _) if case_ok && program.is_some() => {
                    let with_errors = BTreeSet::new();
                    out.cases.push(ValidCase {
                        record,
                        dir,
                        with_errors,
                    });
                }
                (Some((record, ..)), _) | (None, Some(record)) => {
                    out.rejected.push(dir.clone());
                    if program.is_some() {
                        let mut with_errors = kinds_with_errors(&kinds, &out.findings[before..]);
                        if folder.broken {
                            with_errors.insert(Kind::Case);
                        }
                        out.partial.push(ValidCase {
                            record,
                            dir,
                            with_errors,
                        });
                    }
                }
                (None, None) => out.rejected.push(dir),
            }
            folders.push(folder);
        }
        folders
    }
}

/// The kinds of record among a case's files (`kinds`) that `findings` has
/// an error in. An error on nothing of a known kind (the folder, a file
/// whose kind cannot be read) counts as the case file's. (A plan's reviews
/// wait with a plan in error; whatever reads them reads the plan too.)
fn kinds_with_errors(kinds: &[(PathBuf, Kind)], findings: &[Finding]) -> BTreeSet<Kind> {
    (findings.iter())
        .filter(|f| f.severity == crate::finding::Severity::Error)
        .map(|f| {
            let kind = kinds.iter().find(|(path, _)| *path == f.file);
            kind.map_or(Kind::Case, |(_, kind)| *kind)
        })
        .collect()
}

/// What a case folder's files make: the whole typed record, a record typed
/// from its files without errors, or nothing (its case file has errors).
enum Built {
    /// The record, its case id and the case file's place among the files.
    Whole((CaseRecord, String, Option<usize>)),
    Partial(CaseRecord),
    Nothing,
}

/// Validates the program file, reading its logo; the typed program goes
/// into `out` when it is valid.
fn validate_program(load: &Caseload, schemas: &Schemas, prints: &Printable, out: &mut Validated) {
    if let Some(file) = &load.program {
        let (checked, findings) = check_file(file, schemas, prints);
        let program_ok = !has_errors(&findings);
        out.findings.extend(findings);
        match checked {
            Some(c) if c.kind == Kind::Program && program_ok => {
                out.program = typed::<ProgramFile>(file, &mut out.findings);
                if let Some(program) = out.program.as_mut() {
                    program.mark_text_language();
                }
                // A logo that cannot be read is reported; the documents are
                // then printed without it.
                if let Some(program) = out.program.as_mut()
                    && let Some(logo) = &program.program.logo
                {
                    let read = match &load.logo {
                        Some((file, read)) if *file == logo.file => read.clone(),
                        _ => crate::load::read_asset(&load.root, &logo.file),
                    };
                    match read {
                        Ok(bytes) => out.logo = Some(bytes),
                        Err(message) => {
                            out.findings.push(
                                Finding::error(&file.path, RecordCode::UnreadableLogo, message)
                                    .at(messages::spot(file, "/program/logo/file"))
                                    .path("program.program.logo.file"),
                            );
                            program.program.logo = None;
                        }
                    }
                }
            }
            Some(c) if c.kind != Kind::Program => out.findings.push(
                Finding::error(
                    &file.path,
                    RecordCode::WrongPlace,
                    format!(
                        "{PROGRAM_FILE} must hold the program (kind: program), \
                         but this file says kind: {}",
                        c.kind
                    ),
                )
                .at(messages::spot(file, "/kind")),
            ),
            _ => {}
        }
    }
}

/// The record kind a file's `kind:` names, or the finding that says it
/// names none.
fn record_kind(
    file: &RecordFile,
    map: &serde_json::Map<String, Value>,
) -> Result<Kind, Box<Finding>> {
    let root = || messages::spot(file, "");
    let kinds = Kind::ALL.map(Kind::name).join(", ");
    match map.get("kind") {
        None => Err(Box::new(
            Finding::error(
                &file.path,
                RecordCode::MissingKind,
                format!(
                    "this file does not say what record it is: add `kind:` with one of {kinds}"
                ),
            )
            .at(root())
            .label("add `kind:` here"),
        )),
        Some(k) => match k.as_str().and_then(Kind::from_name) {
            Some(kind) => Ok(kind),
            None => Err(Box::new(
                Finding::error(
                    &file.path,
                    RecordCode::UnknownKind,
                    format!(
                        "`kind: {}` is not a record kind; the kinds are {kinds}",
                        plain(k)
                    ),
                )
                .at(messages::spot(file, "/kind"))
                .path("kind"),
            )),
        },
    }
}

/// The record kind a file says it holds and the schema of its version,
/// or the finding that says why there is none.
fn record_schema<'s>(
    file: &RecordFile,
    schemas: &'s Schemas,
) -> Result<(Kind, &'s schemas::Schema), Box<Finding>> {
    let root = || messages::spot(file, "");
    let value = &file.doc.value;
    let Value::Object(map) = value else {
        let message = if value.is_null() {
            "this file is empty; a record starts with `kind:` and `version:`".to_string()
        } else {
            "this file is not a record: a record is a mapping that starts with `kind:` and `version:`"
                .to_string()
        };
        return Err(Box::new(
            Finding::error(&file.path, RecordCode::NotARecord, message).at(root()),
        ));
    };
    let kind = record_kind(file, map)?;
    let versions = schemas
        .versions(kind)
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let version = match map.get("version") {
        None => {
            return Err(Box::new(
                Finding::error(
                    &file.path,
                    RecordCode::MissingVersion,
                    format!("this {kind} record does not give its `version:`; the supported versions are {versions}"),
                )
                .at(root())
                .path(kind.name())
                .label("add `version:` here"),
            ));
        }
        Some(v) => v,
    };
    let Some(schema) = version.as_u64().and_then(|v| schemas.get(kind, v)) else {
        return Err(Box::new(
            Finding::error(
                &file.path,
                RecordCode::UnknownVersion,
                format!(
                    "`version: {}` is not a supported version of the {kind} record; the supported versions are {versions}",
                    plain(version)
                ),
            )
            .at(messages::spot(file, "/version"))
            .path(format!("{kind}.version")),
        ));
    };
    Ok((kind, schema))
}

/// Checks one file's kind, version and structure.
fn check_file<'a>(
    file: &'a RecordFile,
    schemas: &Schemas,
    prints: &Printable,
) -> (Option<Checked<'a>>, Vec<Finding>) {
    let (kind, schema) = match record_schema(file, schemas) {
        Ok(found) => found,
        Err(finding) => return (None, vec![*finding]),
    };
    let value = &file.doc.value;
    let mut findings: Vec<Finding> = Vec::new();
    // Most files are valid, and the validator says so fastest when not
    // asked to explain.
    let explain = !schema.validator.is_valid(value);
    for error in explain
        .then(|| schema.validator.iter_errors(value))
        .into_iter()
        .flatten()
    {
        let finding = messages::finding(file, kind, schema, schemas, &error);
        // An empty element breaks its type and its choices at once: say so once.
        let said = findings
            .iter()
            .any(|f| f.code == finding.code && f.path == finding.path && f.pos == finding.pos);
        if !said {
            findings.push(finding);
        }
    }
    unprintable_text(file, kind, value, &mut String::new(), prints, &mut findings);
    (Some(Checked { file, kind }), findings)
}

/// Why a character cannot be printed and has no place in a record, if it
/// cannot: C0 controls but tab, line feed and carriage return, DEL and C1
/// controls (from text copied out of other programs: a terminal's colour
/// codes, a NUL from a database export); a byte-order mark inside the text;
/// the direction override and embedding controls (U+202A to U+202E);
/// private-use characters and noncharacters, which mean nothing outside the
/// program that made them and which archival PDFs forbid.
pub fn unprintable(c: char) -> Option<&'static str> {
    let n = c as u32;
    if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
        Some("a control character")
    } else if c == '\u{feff}' {
        Some("a byte-order mark")
    } else if matches!(n, 0x202A..=0x202E) {
        // Right-to-left text needs none of these (Unicode recommends
        // isolates instead); left open, they reverse the text after them,
        // and the typesetting engine fails on some of them.
        Some("a direction override or embedding control")
    } else if matches!(n, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF) {
        Some("a private-use character")
    } else if matches!(n, 0xFDD0..=0xFDEF) || n & 0xFFFE == 0xFFFE {
        Some("a noncharacter")
    } else {
        None
    }
}

/// Which characters can be printed: none that [`unprintable`] names, and
/// only those some font of the documents has. The fonts are asked once for
/// each ASCII character, so a line of plain English text is checked a byte
/// at a time.
pub struct Printable<'a> {
    fonts: &'a (dyn Fn(char) -> bool + Sync),
    /// Bit `n` set: the ASCII character `n` prints.
    ascii: u128,
}

impl<'a> Printable<'a> {
    pub fn new(fonts: &'a (dyn Fn(char) -> bool + Sync)) -> Printable<'a> {
        let ascii = (0u8..128)
            .map(char::from)
            .filter(|&c| unprintable(c).is_none() && fonts(c))
            .fold(0u128, |mask, c| mask | 1 << (c as u32));
        Printable { fonts, ascii }
    }

    fn prints(&self, c: char) -> bool {
        match c as u32 {
            n @ 0..128 => self.ascii & (1 << n) != 0,
            _ => unprintable(c).is_none() && (self.fonts)(c),
        }
    }

    /// The first character of `text` that cannot be printed, with its
    /// place (counted in characters from 1).
    fn first_unprintable(&self, text: &str) -> Option<(usize, char)> {
        if text.bytes().all(|b| b < 128 && self.ascii & (1 << b) != 0) {
            return None;
        }
        let (at, c) = text.chars().enumerate().find(|(_, c)| !self.prints(*c))?;
        Some((at + 1, c))
    }
}

/// Reports every text value (and key) holding a control character, or a
/// character none of the documents' fonts has (`prints`): either would
/// print as nothing or as a box, and Typst refuses the latter in an
/// archival PDF. `pointer` is the value's JSON pointer; it is grown and
/// cut back as the walk goes down and up, so no pointer is made for an
/// element with nothing to report.
fn unprintable_text(
    file: &RecordFile,
    kind: Kind,
    value: &Value,
    pointer: &mut String,
    prints: &Printable,
    findings: &mut Vec<Finding>,
) {
    let report = |text: &str, pointer: &str, findings: &mut Vec<Finding>| {
        let Some((at, c)) = prints.first_unprintable(text) else {
            return;
        };
        let element = messages::display_path(kind, pointer);
        let (code, message) = if let Some(what) = unprintable(c) {
            (
                RecordCode::UnprintableCharacter,
                format!(
                    "`{element}` holds {what} (U+{:04X}) at character {at}, which cannot be printed; \
                     delete it and type the text again (it usually comes from text copied out of another program)",
                    c as u32,
                ),
            )
        } else {
            (
                RecordCode::NoFont,
                format!(
                    "`{element}` has a character no font of the documents has: {c} (U+{:04X}), at character {at}; \
                     it cannot be printed. Add a font that has it to the program's templates/fonts/ folder, \
                     or write the text without it",
                    c as u32,
                ),
            )
        };
        findings.push(
            Finding::error(&file.path, code, message)
                .at(messages::spot(file, pointer))
                .path(element),
        );
    };
    let parent = pointer.len();
    match value {
        Value::String(text) => report(text, pointer, findings),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let _ = write!(pointer, "/{i}");
                unprintable_text(file, kind, item, pointer, prints, findings);
                pointer.truncate(parent);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                crate::load::yaml::push_key(pointer, key);
                report(key, pointer, findings);
                unprintable_text(file, kind, item, pointer, prints, findings);
                pointer.truncate(parent);
            }
        }
        _ => {}
    }
}

/// Puts a case folder's files together into one typed record. Every
/// finding a file can have comes in one pass: where some files have errors,
/// the checks across files still run on those without (a contact note's
/// staff id, the plan's service ids and outcome numbers), and what cannot
/// run until a file is fixed is said in `deferred`.
fn build_case<'a>(
    folder: &'a CaseFolder,
    schemas: &Schemas,
    (program, program_file): (Option<&ProgramFile>, Option<&RecordFile>),
    languages: &[&str],
    prints: &Printable,
    findings: &mut Vec<Finding>,
    deferred: &mut Vec<String>,
) -> Option<Result<(CaseRecord, &'a RecordFile), CaseRecord>> {
    let mut checked = Vec::new();
    let mut failed = BTreeSet::new();
    for file in &folder.files {
        let (c, file_findings) = check_file(file, schemas, prints);
        let ok = !has_errors(&file_findings);
        findings.extend(file_findings);
        if let Some(c) = c {
            if !ok {
                failed.insert(c.kind);
            }
            checked.push((c, ok));
        } else if !ok {
            failed.insert(Kind::Case);
        }
    }
    let mut by_kind: ByKind = BTreeMap::new();
    let mut valid: ByKind = BTreeMap::new();
    let mut with_errors: ByKind = BTreeMap::new();
    for (c, ok) in &checked {
        by_kind.entry(c.kind).or_default().push(c.file);
        if !*ok {
            with_errors.entry(c.kind).or_default().push(c.file);
        }
        // A review is folded into the plan: it waits for a plan with errors.
        if *ok && !(c.kind == Kind::Review && failed.contains(&Kind::Plan)) {
            valid.entry(c.kind).or_default().push(c.file);
        }
    }
    misplaced(&by_kind, findings);
    let Some(case_file) = by_kind.get(&Kind::Case).and_then(|f| f.first().copied()) else {
        if failed.is_empty() && !folder.broken {
            findings.push(Finding::error(
                &folder.dir,
                RecordCode::MissingCaseFile,
                "this case folder has no case record; add case.yaml with `kind: case` \
                 (the child, family, coordinator and referral date)",
            ));
        }
        return None;
    };
    let Some(valid_case) = valid.get(&Kind::Case).and_then(|f| f.first().copied()) else {
        // What the plan says of itself needs nothing of the case file; a
        // plan that reviews change waits with the rest.
        let plan_file = valid.get(&Kind::Plan).and_then(|f| f.first().copied());
        if let (Some(program), Some(plan_file), false) =
            (program, plan_file, by_kind.contains_key(&Kind::Review))
            && let Some(plan) = typed::<crate::model::PlanFile>(plan_file, findings)
        {
            // Notes are read as written, those with errors too.
            let mut contacts: Vec<&RecordFile> =
                (by_kind.get(&Kind::Contacts).into_iter().flatten().copied()).collect();
            contacts.sort_by(|a, b| a.path.cmp(&b.path));
            references::plan_alone(&plan, plan_file, &contacts, program, findings);
        }
        deferred.push(format!(
            "how {} fits the program file and the case's other files (the coordinator, \
             signers, dates, languages); that runs once it has no errors",
            case_file.path.display()
        ));
        return None;
    };
    let mut record = typed_record(&valid, valid_case, findings)?;
    let program_with_file = program.zip(program_file);
    let files = (&valid, &with_errors);
    across_files(
        &record,
        files,
        schemas,
        program_with_file,
        languages,
        findings,
    );
    if let Some(program) = program {
        record.list_plan_signers(program);
    }
    if !failed.is_empty() {
        // The files with errors themselves: another file of the same kind
        // that has none (a second contacts file) is not waited for.
        let waiting: Vec<String> = with_errors
            .iter()
            .filter(|(kind, _)| **kind != Kind::Case)
            .flat_map(|(_, files)| files.iter().map(|f| f.path.display().to_string()))
            .collect();
        if failed.contains(&Kind::Plan) || !waiting.is_empty() {
            let (them, have) = match waiting.len() {
                1 => ("it", "has"),
                _ => ("they", "have"),
            };
            deferred.push(format!(
                "how {} {} the rest of the case (service ids, outcome numbers, dates); that runs \
                 once {them} {have} no errors",
                waiting.join(" and "),
                if waiting.len() == 1 { "fits" } else { "fit" },
            ));
        }
        return Some(Err(record));
    }
    Some(Ok((record, case_file)))
}

/// The checks across a case's files, on those that are valid (`by_kind`);
/// what a file with errors (`failed`) still says plainly is used too.
fn across_files(
    record: &CaseRecord,
    (by_kind, failed): (&ByKind, &ByKind),
    schemas: &Schemas,
    program: Option<(&ProgramFile, &RecordFile)>,
    languages: &[&str],
    findings: &mut Vec<Finding>,
) {
    let Some(case_file) = by_kind.get(&Kind::Case).and_then(|f| f.first().copied()) else {
        return;
    };
    languages::known(record, by_kind, languages, findings);
    languages::untranslated(record, by_kind, schemas, languages, findings);
    if let Some((program, program_file)) = program {
        languages::untranslated_program(record, program, program_file, languages, findings);
        references::check(record, program, by_kind, failed, findings);
        references::grievance(record, case_file, program, findings);
    }
    plan::case_consents(record, case_file, findings);
    dates::check(record, by_kind, findings);
    if let (Some(plan), Some(plan_file)) = (
        &record.plan,
        by_kind.get(&Kind::Plan).and_then(|f| f.first()),
    ) {
        plan::check(record, plan, plan_file, findings);
    }
}

/// A case's structurally valid files, by record kind.
type ByKind<'a> = BTreeMap<Kind, Vec<&'a RecordFile>>;

/// A program record in a case folder, and a second record of a kind a
/// case has one of, are errors.
fn misplaced(by_kind: &ByKind, findings: &mut Vec<Finding>) {
    for (kind, files) in by_kind {
        match kind {
            Kind::Program => {
                for f in files {
                    findings.push(
                        Finding::error(
                            &f.path,
                            RecordCode::WrongPlace,
                            format!("the program record belongs in {PROGRAM_FILE} at the root of the records folder, not in a case folder"),
                        )
                        .at(messages::spot(f, "/kind")),
                    );
                }
            }
            Kind::Contacts | Kind::Review => {}
            _ if files.len() > 1 => {
                for f in &files[1..] {
                    findings.push(
                        Finding::error(
                            &f.path,
                            RecordCode::DuplicateRecord,
                            format!(
                                "this case already has a {kind} record in {}; a case has one {kind} record",
                                files[0].path.display()
                            ),
                        )
                        .at(messages::spot(f, "/kind")),
                    );
                }
            }
            _ => {}
        }
    }
}

/// The case's typed record, from its files: the plan with its reviews
/// folded in, and the notes of every contacts file, oldest first.
fn typed_record(
    by_kind: &ByKind,
    case_file: &RecordFile,
    findings: &mut Vec<Finding>,
) -> Option<CaseRecord> {
    let first = |kind: Kind| by_kind.get(&kind).and_then(|f| f.first().copied());
    let case = typed(case_file, findings)?;
    let mut plan = match first(Kind::Plan) {
        Some(f) => Some(typed(f, findings)?),
        None => None,
    };
    let reviews = by_kind
        .get(&Kind::Review)
        .map(Vec::as_slice)
        .unwrap_or_default();
    fold_reviews(plan.as_mut(), reviews, findings)?;
    let transition = match first(Kind::Transition) {
        Some(f) => Some(typed(f, findings)?),
        None => None,
    };
    let exit = match first(Kind::Exit) {
        Some(f) => Some(typed(f, findings)?),
        None => None,
    };
    let notices = match first(Kind::Notices) {
        Some(f) => Some(typed(f, findings)?),
        None => None,
    };
    let access = match first(Kind::Access) {
        Some(f) => Some(typed(f, findings)?),
        None => None,
    };
    let mut contacts = Vec::new();
    for f in by_kind.get(&Kind::Contacts).into_iter().flatten() {
        let file: crate::model::ContactsFile = typed(f, findings)?;
        let path: std::sync::Arc<std::path::Path> = Arc::from(f.path.as_path());
        contacts.extend(file.notes.into_iter().enumerate().map(|(index, mut note)| {
            note.source = Some(crate::model::NoteSource {
                file: path.clone(),
                index,
            });
            note
        }));
    }
    contacts.sort_by_key(|n| (n.date, n.start_time.clone()));
    Some(CaseRecord {
        case,
        plan,
        contacts,
        transition,
        exit,
        notices,
        access,
    })
}

/// Folds each review file into the plan: its meeting joins the plan's
/// meetings, its progress entries the outcomes' progress (all kept oldest
/// first). A review needs a plan, and each entry an outcome the plan has.
fn fold_reviews(
    plan: Option<&mut crate::model::PlanFile>,
    reviews: &[&RecordFile],
    findings: &mut Vec<Finding>,
) -> Option<()> {
    let mut plan = plan;
    // Before the review files' meetings join them in date order.
    for (i, meeting) in plan
        .iter_mut()
        .flat_map(|p| p.meetings.iter_mut())
        .enumerate()
    {
        meeting.in_file = i;
    }
    if reviews.is_empty() {
        return Some(());
    }
    let Some(plan) = plan else {
        for f in reviews {
            findings.push(
                Finding::error(
                    &f.path,
                    RecordCode::ReviewWithoutPlan,
                    "this review belongs to the case's plan, but the case has no plan record; \
                     add plan.yaml (kind: plan) first",
                )
                .at(messages::spot(f, "/kind")),
            );
        }
        return None;
    };
    let mut ok = true;
    for f in reviews {
        let review: crate::model::ReviewFile = typed(f, findings)?;
        ok &= fold_review(plan, f, &review, findings);
    }
    plan.meetings.sort_by_key(|m| m.date);
    for outcome in &mut plan.outcomes {
        outcome.progress.sort_by_key(|p| p.date);
    }
    ok.then_some(())
}

/// Folds one review (read from `f`) into the plan; false when it cannot be
/// folded whole.
fn fold_review(
    plan: &mut crate::model::PlanFile,
    f: &RecordFile,
    review: &crate::model::ReviewFile,
    findings: &mut Vec<Finding>,
) -> bool {
    let mut ok = true;
    // Kept in both places, the meeting and its progress would print twice.
    if plan
        .meetings
        .iter()
        .any(|m| m.date == review.date && m.kind == review.kind.meeting())
    {
        findings.push(
            Finding::error(
                &f.path,
                RecordCode::DuplicateMeeting,
                format!(
                    "the {} of {} is recorded here and in the plan's meetings too; \
                     keep it in one of the two (documents would list it twice)",
                    review.kind, review.date
                ),
            )
            .at(messages::spot(f, "/date"))
            .path("review.date"),
        );
        ok = false;
    }
    for (i, entry) in review.progress.iter().enumerate() {
        let Some(outcome) = plan.outcomes.iter_mut().find(|o| o.number == entry.outcome) else {
            let numbers: Vec<String> = plan.outcomes.iter().map(|o| o.number.to_string()).collect();
            findings.push(
                Finding::error(
                    &f.path,
                    RecordCode::UnknownOutcome,
                    format!(
                        "the plan has no outcome {}; its outcomes are numbered {}",
                        entry.outcome,
                        numbers.join(", ")
                    ),
                )
                .at(messages::spot(f, &format!("/progress/{i}/outcome")))
                .path(format!("review.progress[{i}].outcome")),
            );
            ok = false;
            continue;
        };
        outcome.progress.push(crate::model::ProgressEntry {
            date: review.date,
            review: review.kind.progress_review(),
            note: entry.note.clone(),
            from_review: true,
        });
    }
    plan.meetings.push(crate::model::Meeting {
        date: review.date,
        kind: review.kind.meeting(),
        participants: review.participants.clone(),
        family_assessment: None,
        present_levels: None,
        health: review.health.clone(),
        notes: review.notes.clone(),
        signatures: review.signatures.clone(),
        signers_unlisted: false,
        from_review: true,
        in_file: 0,
    });
    ok
}

/// Turns a structurally valid file into its typed record. The schemas and the
/// types agree, so a failure here is a defect in casepaper; it is still
/// reported as a finding rather than a crash.
fn typed<T: for<'de> Deserialize<'de>>(
    file: &RecordFile,
    findings: &mut Vec<Finding>,
) -> Option<T> {
    match T::deserialize(&file.doc.value) {
        Ok(value) => Some(value),
        Err(err) => {
            findings.push(Finding::error(
                &file.path,
                RecordCode::UnreadableRecord,
                format!("this record passed its schema but could not be read ({err}); please report this to the casepaper maintainers"),
            ));
            None
        }
    }
}

/// A value as the user wrote it, for quoting in messages.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_unprintable_character_is_found_and_counted_in_characters() {
        // Fonts with every character but `x` and `ñ`.
        let fonts = |c: char| c != 'x' && c != 'ñ';
        let printable = Printable::new(&fonts);
        assert_eq!(
            printable.first_unprintable("plain words, tabs\tand\nlines"),
            None
        );
        assert_eq!(
            printable.first_unprintable("a\u{1b}[31m"),
            Some((2, '\u{1b}'))
        );
        assert_eq!(
            printable.first_unprintable("del\u{7f}"),
            Some((4, '\u{7f}'))
        );
        assert_eq!(printable.first_unprintable("box"), Some((3, 'x')));
        // After a character of two bytes the place is still in characters.
        assert_eq!(printable.first_unprintable("é b\u{0}"), Some((4, '\u{0}')));
        assert_eq!(printable.first_unprintable("año"), Some((2, 'ñ')));
        assert_eq!(printable.first_unprintable("canción"), None);
        assert_eq!(
            printable.first_unprintable("\u{202e}"),
            Some((1, '\u{202e}'))
        );
        // Text of nothing but unprintable ASCII.
        assert_eq!(printable.first_unprintable("\u{7}"), Some((1, '\u{7}')));
        assert_eq!(printable.first_unprintable("xx"), Some((1, 'x')));
    }

    #[test]
    fn an_unprintable_value_is_reported_at_its_own_element() {
        let text = "kind: contacts\n\"a/b~\":\n  - x\n  - \"ok\\u0007\"\n";
        let file = RecordFile {
            path: PathBuf::from("c.yaml"),
            doc: crate::load::yaml::parse(text).unwrap(),
        };
        let fonts = |_: char| true;
        let mut findings = Vec::new();
        let mut pointer = String::new();
        unprintable_text(
            &file,
            Kind::Contacts,
            &file.doc.value,
            &mut pointer,
            &Printable::new(&fonts),
            &mut findings,
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.name(), "unprintable-character");
        assert_eq!(findings[0].pos.map(|p| (p.line, p.column)), Some((4, 5)));
        assert!(
            findings[0].message.contains("(U+0007) at character 3"),
            "{}",
            findings[0].message
        );
        assert!(
            pointer.is_empty(),
            "the walk leaves the pointer as it found it"
        );
    }
}
