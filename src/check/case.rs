//! The shared base of the rules: one case being checked ([`CaseCheck`]),
//! where a finding points ([`At`]), how near is "soon", and the dates and
//! meetings every topic counts with. Every topic file builds on this one;
//! it imports none of them.

use std::path::PathBuf;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::settings::{setting, severity_of};
use crate::finding::{Finding, Severity, dotted};
use crate::load::{CaseFolder, RecordFile};
use crate::model::life::Closed;
use crate::model::{
    CaseRecord, ContactNote, Kind, MeetingType, ProgramFile, RuleId, RuleSetting, State,
};

pub use crate::model::day;

/// How near a date must be for a "due soon" notice.
pub(super) const SOON_DAYS: u64 = 30;

/// Whether a finding is a broken rule or a date coming up.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The rule is broken: reported at the rule's configured severity.
    Broken,
    /// Nothing is wrong yet, but a date is near: a notice.
    Soon,
}

/// Where in the records a finding points.
#[derive(Debug, Clone)]
pub enum At<'a> {
    /// An element of one of the case's record files, by JSON pointer.
    File(Kind, String),
    /// An element of one contact note.
    Note(&'a ContactNote, &'static str),
    /// An element of the review file of this date.
    Review(NaiveDate, String),
}

/// One case being checked, with everything the rules need.
pub struct CaseCheck<'a> {
    pub record: &'a CaseRecord,
    pub program: &'a ProgramFile,
    pub as_of: NaiveDate,
    folder: Option<&'a CaseFolder>,
    profile: State,
    closed: Option<Closed>,
    findings: Vec<Finding>,
}

impl<'a> CaseCheck<'a> {
    /// The case `record` (its files in `folder`) of `program`, to be
    /// checked as of `as_of`.
    pub fn new(
        record: &'a CaseRecord,
        program: &'a ProgramFile,
        as_of: NaiveDate,
        folder: Option<&'a CaseFolder>,
    ) -> CaseCheck<'a> {
        CaseCheck {
            record,
            program,
            as_of,
            folder,
            profile: record.profile(program),
            closed: record.closed(program, as_of),
            findings: Vec::new(),
        }
    }

    /// What the rules found.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// The last day the case was open on or before `as_of`: the day it
    /// closed (its exit, the not-eligible notice, the end of its services)
    /// if it had by then, else `as_of`.
    pub fn open_until(&self) -> NaiveDate {
        self.closed.map_or(self.as_of, |c| c.last_day)
    }

    /// True when the case had not closed by `as_of`.
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    fn setting(&self, rule: RuleId) -> RuleSetting {
        setting(self.program, self.profile, rule)
    }

    fn file(&self, kind: Kind) -> Option<&'a RecordFile> {
        self.folder?.files.iter().find(|f| f.kind() == Some(kind))
    }

    /// Reports a finding of `rule` unless the program switched it off.
    pub fn report(&mut self, rule: RuleId, level: Level, at: At<'_>, message: String) {
        let severity = match (severity_of(self.setting(rule)), level) {
            (None, _) => return,
            (Some(_), Level::Soon) => Severity::Notice,
            (Some(severity), Level::Broken) => severity,
        };
        let (file, pos, path) = match at {
            At::File(kind, pointer) => match self.file(kind) {
                Some(f) => (
                    f.path.clone(),
                    Some(f.position(&pointer)),
                    dotted(kind.name(), &pointer),
                ),
                // The element's file does not exist: point at the case file.
                None => match self.file(Kind::Case) {
                    Some(f) => (f.path.clone(), Some(f.position("")), kind.name().into()),
                    None => (self.dir(), None, kind.name().into()),
                },
            },
            At::Note(note, element) => match &note.source {
                Some(src) => {
                    let pointer = format!("/notes/{}{element}", src.index);
                    let file = self
                        .folder
                        .and_then(|f| f.files.iter().find(|r| *r.path == *src.file));
                    (
                        src.file.to_path_buf(),
                        file.map(|f| f.position(&pointer)),
                        dotted("contacts", &pointer),
                    )
                }
                None => (self.dir(), None, "contacts".into()),
            },
            At::Review(date, pointer) => {
                let date = date.to_string();
                let file = self.folder.and_then(|f| {
                    f.files.iter().find(|r| {
                        r.kind() == Some(Kind::Review)
                            && r.doc.value.get("date").and_then(|v| v.as_str()) == Some(&date)
                    })
                });
                match file {
                    Some(f) => (
                        f.path.clone(),
                        Some(f.position(&pointer)),
                        dotted("review", &pointer),
                    ),
                    None => (self.dir(), None, "review".into()),
                }
            }
        };
        self.findings.push(Finding {
            file,
            pos,
            severity,
            code: rule.into(),
            path,
            message,
            label: None,
        });
    }

    fn dir(&self) -> PathBuf {
        self.folder.map(|f| f.dir.clone()).unwrap_or_default()
    }
}

/// Whether `due` is today or within the next [`SOON_DAYS`] days.
pub fn soon(c: &CaseCheck, due: NaiveDate) -> bool {
    c.as_of <= due && due <= c.as_of + Days::new(SOON_DAYS)
}

/// A date passed while the case was open, or coming up soon.
pub fn late_or_near(c: &CaseCheck, due: NaiveDate) -> bool {
    c.open_until() > due || (c.is_open() && soon(c, due))
}

/// A missing Part C step: at its place in the transition plan, or at the date
/// of birth (which sets the deadlines) when there is no plan yet.
pub fn in_plan_or_birth(has_plan: bool, pointer: &str) -> At<'static> {
    if has_plan {
        At::File(Kind::Transition, pointer.into())
    } else {
        At::File(Kind::Case, "/child/date_of_birth".into())
    }
}

/// Whether a meeting type counts as a review / as an annual meeting.
pub const REVIEW_MEETINGS: &[MeetingType] = &[
    MeetingType::Initial,
    MeetingType::SixMonthReview,
    MeetingType::Annual,
    MeetingType::Change,
];
pub const ANNUAL_MEETINGS: &[MeetingType] = &[MeetingType::Initial, MeetingType::Annual];

/// `months` calendar months after `date`, clamped to the month's end (six
/// months after 31 March is 30 September).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months))
        .unwrap_or(date)
}

/// `March 2026`.
pub fn month(date: NaiveDate) -> String {
    date.format("%B %Y").to_string()
}

/// One date to meet.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Deadline {
    pub case_id: String,
    /// The coordinator's staff id.
    pub coordinator: String,
    pub date: NaiveDate,
    /// What is due, in a coordinator's words.
    pub what: String,
    /// The `check` rule that sets this date.
    pub rule: RuleId,
    /// The date has passed and it is not done.
    pub overdue: bool,
}

/// The deadlines of one case being gathered.
pub struct DueDates<'a> {
    pub program: &'a ProgramFile,
    pub state: State,
    pub record: &'a CaseRecord,
    pub as_of: NaiveDate,
    /// The last day `due` looks ahead to (a date that recurs, such as the
    /// monthly contact, is listed each time it falls by then).
    pub until: NaiveDate,
    pub out: Vec<Deadline>,
}

impl DueDates<'_> {
    /// A deadline of `rule`, unless the case's profile or the program
    /// switches the rule off.
    pub fn add(&mut self, rule: RuleId, date: NaiveDate, what: String) {
        if setting(self.program, self.state, rule) == RuleSetting::Off {
            return;
        }
        self.out.push(Deadline {
            case_id: self.record.case.case_id.clone(),
            coordinator: self.record.case.coordinator.clone(),
            date,
            what,
            rule,
            overdue: date < self.as_of,
        });
    }
}
