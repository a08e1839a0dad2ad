//! Findings: what is wrong in the records, where, and how bad.
//!
//! Every stage that looks at records (load, validate, later check) reports a
//! `Finding`. There is one type and two printers: `human`, for a coordinator
//! at a terminal (`file:line:column: error[code]: message`, then the source
//! line with a caret), and `json`, one object per line for CI and editors.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::RuleId;
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use serde::Serialize;

/// A place in a source file: 1-based line and column (in characters), and the
/// character offset from the start of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// How serious a finding is. Errors stop a case from rendering and make the
/// command exit with 1; warnings are shown and let it through; notices say
/// what is coming due (`check`), nothing is wrong yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Notice,
}

impl Severity {
    fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }

    fn color(self) -> Color {
        match self {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
            Severity::Notice => Color::Cyan,
        }
    }
}

/// What a finding is about, by its stable short name (`missing-element`,
/// `duplicate-key`, or a rule's id), the same in both printers and on the
/// desk: a typo in a code does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// A rule over time (`check`), named by its id.
    Rule(RuleId),
    /// A problem `load` or `validate` finds.
    Record(RecordCode),
}

impl Code {
    pub fn name(self) -> &'static str {
        match self {
            Code::Rule(rule) => rule.name(),
            Code::Record(code) => code.name(),
        }
    }
}

impl From<RuleId> for Code {
    fn from(rule: RuleId) -> Code {
        Code::Rule(rule)
    }
}

impl From<RecordCode> for Code {
    fn from(code: RecordCode) -> Code {
        Code::Record(code)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The problems in a record file as `load` and `validate` name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordCode {
    BadDate,
    BadFormat,
    DateOrder,
    DuplicateCaseId,
    DuplicateId,
    DuplicateKey,
    DuplicateMeeting,
    DuplicateRecord,
    EmptyElement,
    FileTooLarge,
    MergeConflict,
    MissingCaseFile,
    MissingElement,
    MissingGrievance,
    MissingKind,
    MissingSigner,
    MissingVersion,
    NoFont,
    NoMeeting,
    NoServiceCoordination,
    NotARecord,
    NotAllowed,
    NotForClient,
    NotYetOnPlan,
    OutOfOrder,
    OutOfRange,
    ReservedCaseId,
    ReviewWithoutPlan,
    Schema,
    SplitEntry,
    TooFew,
    UnknownElement,
    UnknownKind,
    UnknownLanguage,
    UnknownOutcome,
    UnknownReference,
    UnknownVersion,
    UnprintableCharacter,
    UnreadableLogo,
    UnreadableRecord,
    Unreadable,
    Untranslated,
    WrongPlace,
    WrongType,
    YamlLimit,
    YamlSyntax,
}

impl RecordCode {
    pub const ALL: [RecordCode; 46] = [
        RecordCode::BadDate,
        RecordCode::BadFormat,
        RecordCode::DateOrder,
        RecordCode::DuplicateCaseId,
        RecordCode::DuplicateId,
        RecordCode::DuplicateKey,
        RecordCode::DuplicateMeeting,
        RecordCode::DuplicateRecord,
        RecordCode::EmptyElement,
        RecordCode::FileTooLarge,
        RecordCode::MergeConflict,
        RecordCode::MissingCaseFile,
        RecordCode::MissingElement,
        RecordCode::MissingGrievance,
        RecordCode::MissingKind,
        RecordCode::MissingSigner,
        RecordCode::MissingVersion,
        RecordCode::NoFont,
        RecordCode::NoMeeting,
        RecordCode::NoServiceCoordination,
        RecordCode::NotARecord,
        RecordCode::NotAllowed,
        RecordCode::NotForClient,
        RecordCode::NotYetOnPlan,
        RecordCode::OutOfOrder,
        RecordCode::OutOfRange,
        RecordCode::ReservedCaseId,
        RecordCode::ReviewWithoutPlan,
        RecordCode::Schema,
        RecordCode::SplitEntry,
        RecordCode::TooFew,
        RecordCode::UnknownElement,
        RecordCode::UnknownKind,
        RecordCode::UnknownLanguage,
        RecordCode::UnknownOutcome,
        RecordCode::UnknownReference,
        RecordCode::UnknownVersion,
        RecordCode::UnprintableCharacter,
        RecordCode::UnreadableLogo,
        RecordCode::UnreadableRecord,
        RecordCode::Unreadable,
        RecordCode::Untranslated,
        RecordCode::WrongPlace,
        RecordCode::WrongType,
        RecordCode::YamlLimit,
        RecordCode::YamlSyntax,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RecordCode::BadDate => "bad-date",
            RecordCode::BadFormat => "bad-format",
            RecordCode::DateOrder => "date-order",
            RecordCode::DuplicateCaseId => "duplicate-case-id",
            RecordCode::DuplicateId => "duplicate-id",
            RecordCode::DuplicateKey => "duplicate-key",
            RecordCode::DuplicateMeeting => "duplicate-meeting",
            RecordCode::DuplicateRecord => "duplicate-record",
            RecordCode::EmptyElement => "empty-element",
            RecordCode::FileTooLarge => "file-too-large",
            RecordCode::MergeConflict => "merge-conflict",
            RecordCode::MissingCaseFile => "missing-case-file",
            RecordCode::MissingElement => "missing-element",
            RecordCode::MissingGrievance => "missing-grievance",
            RecordCode::MissingKind => "missing-kind",
            RecordCode::MissingSigner => "missing-signer",
            RecordCode::MissingVersion => "missing-version",
            RecordCode::NoFont => "no-font",
            RecordCode::NoMeeting => "no-meeting",
            RecordCode::NoServiceCoordination => "no-service-coordination",
            RecordCode::NotARecord => "not-a-record",
            RecordCode::NotAllowed => "not-allowed",
            RecordCode::NotForClient => "not-for-client",
            RecordCode::NotYetOnPlan => "not-yet-on-plan",
            RecordCode::OutOfOrder => "out-of-order",
            RecordCode::OutOfRange => "out-of-range",
            RecordCode::ReservedCaseId => "reserved-case-id",
            RecordCode::ReviewWithoutPlan => "review-without-plan",
            RecordCode::Schema => "schema",
            RecordCode::SplitEntry => "split-entry",
            RecordCode::TooFew => "too-few",
            RecordCode::UnknownElement => "unknown-element",
            RecordCode::UnknownKind => "unknown-kind",
            RecordCode::UnknownLanguage => "unknown-language",
            RecordCode::UnknownOutcome => "unknown-outcome",
            RecordCode::UnknownReference => "unknown-reference",
            RecordCode::UnknownVersion => "unknown-version",
            RecordCode::UnprintableCharacter => "unprintable-character",
            RecordCode::UnreadableLogo => "unreadable-logo",
            RecordCode::UnreadableRecord => "unreadable-record",
            RecordCode::Unreadable => "unreadable",
            RecordCode::Untranslated => "untranslated",
            RecordCode::WrongPlace => "wrong-place",
            RecordCode::WrongType => "wrong-type",
            RecordCode::YamlLimit => "yaml-limit",
            RecordCode::YamlSyntax => "yaml-syntax",
        }
    }
}

/// One problem in one record file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file, as the user named it (relative to where they stand).
    pub file: PathBuf,
    /// Where in the file; `None` when the problem is the file as a whole.
    pub pos: Option<Pos>,
    pub severity: Severity,
    /// What the finding is about, by a stable short name.
    pub code: Code,
    /// The element concerned, as a coordinator reads it: `plan.services[2].frequency`.
    pub path: String,
    pub message: String,
    /// A short word under the caret, for example "add `frequency` here".
    pub label: Option<String>,
}

impl Finding {
    pub fn error(file: &Path, code: impl Into<Code>, message: impl Into<String>) -> Finding {
        Finding {
            file: file.to_path_buf(),
            pos: None,
            severity: Severity::Error,
            code: code.into(),
            path: String::new(),
            message: message.into(),
            label: None,
        }
    }

    pub fn at(mut self, pos: Pos) -> Finding {
        self.pos = Some(pos);
        self
    }

    pub fn path(mut self, path: impl Into<String>) -> Finding {
        self.path = path.into();
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Finding {
        self.label = Some(label.into());
        self
    }
}

/// A JSON pointer as a dotted path after `prefix`: `/a/0/b` reads `prefix.a[0].b`.
pub fn dotted(prefix: &str, pointer: &str) -> String {
    let mut out = prefix.to_string();
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        if segment.bytes().all(|b| b.is_ascii_digit()) && !segment.is_empty() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

/// True when any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Sorts findings as a reader expects: by file, then line, then column.
/// The sort is stable: findings at one place keep the order they were found
/// in (missing months oldest first), which is the same on every run.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.pos.map(|p| (p.line, p.column)))
            .cmp(&(&b.file, b.pos.map(|p| (p.line, p.column))))
    });
}

/// The text of the record files, so findings can quote their lines.
pub type Sources = HashMap<PathBuf, Arc<str>>;

/// Prints findings for a person: one `file:line:column: severity[code]: message`
/// line each, then the source line with a caret under the column.
pub fn print_human(
    out: &mut dyn WriteColor,
    findings: &[Finding],
    sources: &Sources,
) -> io::Result<()> {
    let mut files = SimpleFiles::new();
    let mut ids = HashMap::new();
    for finding in findings {
        let severity = finding.severity;
        let location = match finding.pos {
            Some(pos) => format!("{}:{}:{}", finding.file.display(), pos.line, pos.column),
            None => finding.file.display().to_string(),
        };
        out.set_color(ColorSpec::new().set_bold(true))?;
        write!(out, "{location}: ")?;
        out.set_color(
            ColorSpec::new()
                .set_bold(true)
                .set_fg(Some(severity.color())),
        )?;
        write!(out, "{}[{}]", severity.word(), finding.code)?;
        out.set_color(ColorSpec::new().set_bold(true))?;
        writeln!(out, ": {}", finding.message)?;
        out.reset()?;

        let (Some(pos), Some(text)) = (finding.pos, sources.get(&finding.file)) else {
            continue;
        };
        let id = *ids
            .entry(finding.file.clone())
            .or_insert_with(|| files.add(finding.file.display().to_string(), text.clone()));
        let Ok(range) = files.line_range(id, pos.line.saturating_sub(1)) else {
            continue;
        };
        let line = files.source(id).map(|s| s[range].trim_end().to_string());
        let Ok(line) = line else { continue };
        let number = pos.line.to_string();
        let gutter = " ".repeat(number.len());
        let dim = ColorSpec::new()
            .set_fg(Some(Color::Blue))
            .set_bold(true)
            .clone();
        out.set_color(&dim)?;
        write!(out, "{number} | ")?;
        out.reset()?;
        let (line, column) = window(&line.replace('\t', " "), pos.column);
        writeln!(out, "{line}")?;
        out.set_color(&dim)?;
        write!(out, "{gutter} | ")?;
        out.set_color(
            ColorSpec::new()
                .set_fg(Some(severity.color()))
                .set_bold(true),
        )?;
        let pad = " ".repeat(column.saturating_sub(1));
        match &finding.label {
            Some(label) => writeln!(out, "{pad}^ {label}")?,
            None => writeln!(out, "{pad}^")?,
        }
        out.reset()?;
        if !finding.path.is_empty() {
            out.set_color(&dim)?;
            write!(out, "{gutter} = ")?;
            out.reset()?;
            writeln!(out, "element: {}", finding.path)?;
        }
    }
    Ok(())
}

/// Widest source line quoted under a finding, in characters.
const QUOTE_WIDTH: usize = 100;

/// The part of a long line around `column` that is quoted, with `…` where
/// it is cut, and the column within it: a 20,000-character line is not
/// printed whole.
fn window(line: &str, column: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= QUOTE_WIDTH {
        return (line.to_string(), column);
    }
    let start = column
        .saturating_sub(1)
        .saturating_sub(QUOTE_WIDTH / 2)
        .min(count - QUOTE_WIDTH);
    let mut quoted: String = line.chars().skip(start).take(QUOTE_WIDTH).collect();
    if start + QUOTE_WIDTH < count {
        quoted.push('…');
    }
    match start {
        0 => (quoted, column),
        _ => (format!("…{quoted}"), column - start + 1),
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    severity: Severity,
    code: &'a str,
    path: &'a str,
    message: &'a str,
}

/// Prints one JSON object per finding and line, for CI and editors.
pub fn print_json(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    for f in findings {
        let record = JsonFinding {
            file: f.file.display().to_string(),
            line: f.pos.map(|p| p.line),
            column: f.pos.map(|p| p.column),
            severity: f.severity,
            code: f.code.name(),
            path: &f.path,
            message: &f.message,
        };
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    Ok(())
}

/// A one-line count for the end of a run: "2 errors and 1 warning in 3 files".
pub fn summary(findings: &[Finding]) -> String {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut files: Vec<_> = findings.iter().map(|f| &f.file).collect();
    files.sort();
    files.dedup();
    let notices = count(Severity::Notice);
    if notices == 0 {
        format!(
            "{} and {} in {}",
            plural(count(Severity::Error), "error"),
            plural(count(Severity::Warning), "warning"),
            plural(files.len(), "file")
        )
    } else {
        format!(
            "{}, {} and {} in {}",
            plural(count(Severity::Error), "error"),
            plural(count(Severity::Warning), "warning"),
            plural(notices, "notice"),
            plural(files.len(), "file")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{Code, RecordCode, RuleId, window};

    #[test]
    fn every_code_has_its_own_name_and_none_is_a_rules_id() {
        let mut names: Vec<&str> = RecordCode::ALL.iter().map(|c| c.name()).collect();
        names.extend(RuleId::ALL.iter().map(|r| Code::Rule(*r).name()));
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert!(names.iter().all(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }));
        assert_eq!(
            Code::from(RecordCode::MissingElement).to_string(),
            "missing-element"
        );
        assert_eq!(
            Code::from(RuleId::SignatureOwed).to_string(),
            "signature-owed"
        );
    }

    #[test]
    fn a_short_line_is_quoted_whole() {
        assert_eq!(window("notes: [a, b]", 9), ("notes: [a, b]".to_string(), 9));
    }

    #[test]
    fn a_long_line_is_quoted_around_the_column() {
        let line = format!("notes: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let (quoted, column) = window(&line, 263);
        assert_eq!(quoted.chars().count(), 102);
        assert!(quoted.starts_with('…') && quoted.ends_with('…'));
        // The caret still points at the character the finding is about.
        let original: Vec<char> = line.chars().collect();
        let shown: Vec<char> = quoted.chars().collect();
        assert_eq!(shown[column - 1], original[262]);
        assert_eq!(column, 52);
    }

    #[test]
    fn a_column_near_the_end_of_a_long_line_is_shown() {
        let line = "x".repeat(300) + "!";
        let (quoted, column) = window(&line, 301);
        assert_eq!(quoted.chars().nth(column - 1), Some('!'));
        assert!(!quoted.ends_with('…'));
    }
}
