//! Stage 3, check: the rules a coordinator is held to across records and
//! over time (monthly contact, consent before services, reviews every six
//! months, the transition at three ...), judged on one date, `--as-of`, so a
//! check gives the same answer on any day it is rerun.
//!
//! Every rule has a stable id and a default severity in the profile of the
//! state whose rules apply (the case's `state`, else the program's); a
//! program can switch a rule off or change its severity in `rules:` of its
//! program file. Findings point at the record element that is late or
//! missing, with the same shape as `validate`'s.

mod consents;
mod deadlines;
pub mod delivery;
pub mod notices;
mod rules;
pub mod signatures;
mod staff;
pub mod transition;

use std::path::PathBuf;

use chrono::NaiveDate;

pub use deadlines::{Deadline, deadlines};
pub use staff::{Coordinated, coordinator_certificates};

use crate::finding::{Finding, Severity, dotted};
use crate::load::{CaseFolder, Caseload, RecordFile};
use crate::model::{CaseRecord, ContactNote, Kind, ProgramFile, RuleId, RuleSetting, State};
use crate::validate::ValidCase;

/// One rule: its id, what it holds a record to, and its default setting in
/// the Connecticut Birth to Three and Vermont CIS profiles.
pub struct Rule {
    pub id: RuleId,
    pub ct: RuleSetting,
    pub vt: RuleSetting,
}

use RuleSetting::{Error as E, Off, Warning as W};

/// Every rule, in the order they are run. Monthly contact and the
/// coordinator's certificates are Connecticut procedure; the postpartum and
/// age-six transitions, minimum documentation and the exit notice are
/// Vermont's; the rest are federal (34 CFR 303) and on in both.
pub const RULES: &[Rule] = &[
    Rule {
        id: RuleId::MonthlyContact,
        ct: E,
        vt: Off,
    },
    Rule {
        id: RuleId::NoteSigned,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::CoordinatorQualified,
        ct: E,
        vt: Off,
    },
    Rule {
        id: RuleId::InitialPlan45Days,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::ServicesStart,
        ct: W,
        vt: W,
    },
    Rule {
        id: RuleId::ConsentBeforeService,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::EvaluationConsent,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::InsuranceBilling,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::PriorWrittenNotice,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::MeetingNotice,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::Review6Months,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::AnnualMeeting,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::TransitionPartC,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::TransitionPostpartum,
        ct: Off,
        vt: E,
    },
    Rule {
        id: RuleId::TransitionAgeSix,
        ct: Off,
        vt: E,
    },
    Rule {
        id: RuleId::MinimumDocumentation,
        ct: Off,
        vt: E,
    },
    Rule {
        id: RuleId::ContactAttemptsOnly,
        ct: W,
        vt: Off,
    },
    Rule {
        id: RuleId::CoordinatorDirectProvider,
        ct: E,
        vt: Off,
    },
    Rule {
        id: RuleId::ServiceDelivery,
        ct: W,
        vt: W,
    },
    Rule {
        id: RuleId::ExitNotice,
        ct: W,
        vt: E,
    },
    Rule {
        id: RuleId::SignatureOwed,
        ct: W,
        vt: W,
    },
];

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
    /// An element of program.yaml.
    Program(String),
    /// An element of the review file of this date.
    Review(NaiveDate, String),
}

/// One case being checked, with everything the rules need.
pub struct CaseCheck<'a> {
    pub record: &'a CaseRecord,
    pub program: &'a ProgramFile,
    pub as_of: NaiveDate,
    folder: Option<&'a CaseFolder>,
    program_file: Option<&'a RecordFile>,
    profile: State,
    findings: Vec<Finding>,
}

impl<'a> CaseCheck<'a> {
    /// The last day the case was open on or before `as_of`: the exit date if
    /// the case has exited by then, else `as_of`.
    pub fn open_until(&self) -> NaiveDate {
        match &self.record.exit {
            Some(e) if e.exit_date <= self.as_of => e.exit_date,
            _ => self.as_of,
        }
    }

    /// True when the case has not exited by `as_of`.
    pub fn is_open(&self) -> bool {
        !matches!(&self.record.exit, Some(e) if e.exit_date <= self.as_of)
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
            At::Program(pointer) => match self.program_file {
                Some(f) => (
                    f.path.clone(),
                    Some(f.position(&pointer)),
                    dotted("program", &pointer),
                ),
                None => (self.dir(), None, "program".into()),
            },
        };
        self.findings.push(Finding {
            file,
            pos,
            severity,
            code: rule.name(),
            path,
            message,
            label: None,
        });
    }

    fn dir(&self) -> PathBuf {
        self.folder.map(|f| f.dir.clone()).unwrap_or_default()
    }
}

/// The severity of a broken rule with this setting (none when it is off).
pub fn severity_of(setting: RuleSetting) -> Option<Severity> {
    match setting {
        Off => None,
        RuleSetting::Error => Some(Severity::Error),
        RuleSetting::Warning => Some(Severity::Warning),
        RuleSetting::Notice => Some(Severity::Notice),
    }
}

/// A rule's setting: the program's own, else its state profile's default.
pub fn setting(program: &ProgramFile, profile: State, rule: RuleId) -> RuleSetting {
    if let Some(s) = program.rules.get(&rule) {
        return *s;
    }
    RULES
        .iter()
        .find(|r| r.id == rule)
        .map_or(Off, |r| match profile {
            State::CT => r.ct,
            State::VT => r.vt,
        })
}

/// The state whose rules apply to a case.
pub fn profile(program: &ProgramFile, record: &CaseRecord) -> State {
    record.case.state.unwrap_or(program.program.state)
}

/// The rules over time, run a batch of cases at a time: the rules about
/// one case as each batch comes, the rules about staff (across every case
/// they coordinate) once every batch is in.
pub struct Checker {
    as_of: NaiveDate,
    coordinated: Vec<staff::Coordinated>,
}

impl Checker {
    pub fn new(as_of: NaiveDate) -> Checker {
        Checker {
            as_of,
            coordinated: Vec::new(),
        }
    }

    /// The findings of the rules about each case of `cases` (the cases of
    /// `caseload`); an example case (`example: true`) is not checked.
    pub fn cases(
        &mut self,
        caseload: &Caseload,
        program: &ProgramFile,
        cases: &[ValidCase],
    ) -> Vec<Finding> {
        let mut findings = Vec::new();
        for case in cases.iter().filter(|c| !c.record.case.example) {
            let mut c = CaseCheck {
                record: &case.record,
                program,
                as_of: self.as_of,
                folder: caseload.folder(&case.dir),
                program_file: caseload.program.as_ref(),
                profile: profile(program, &case.record),
                findings: Vec::new(),
            };
            rules::run(&mut c);
            findings.append(&mut c.findings);
            self.coordinated
                .extend(staff::Coordinated::of(program, case));
        }
        findings
    }

    /// The findings of the rules about staff, over every case checked.
    pub fn staff(self, caseload: &Caseload, program: &ProgramFile) -> Vec<Finding> {
        staff::coordinator_certificates(caseload, program, &self.coordinated)
    }
}

/// When the initial plan meeting is due (34 CFR 303.310): 45 days after the
/// referral, the timeline not running during each documented exception
/// that began by then (303.310(b)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitialPlanDue {
    pub date: NaiveDate,
    /// Days the timeline did not run.
    pub paused_days: i64,
}

impl InitialPlanDue {
    /// How the due date is counted, for a message: `within 45 days`, or
    /// `within 45 days, plus 12 days of documented exceptions`.
    pub fn counted(&self) -> String {
        match self.paused_days {
            0 => "within 45 days".into(),
            1 => "within 45 days, plus 1 day of a documented exception".into(),
            n => format!("within 45 days, plus {n} days of documented exceptions"),
        }
    }
}

/// The initial plan meeting's due date, for `check` and `due` alike. None
/// when the 45-day rule does not hold: a case outside Part C, a delay the
/// family asked for (`family_delay` on the plan), or an exception still
/// running on `as_of` (the meeting is then held as soon as possible after
/// it ends, 303.310(c)); one with no end lasted until the initial meeting.
/// Nor for a child referred fewer than 45 days before the third birthday.
pub fn initial_plan_due(record: &CaseRecord, as_of: NaiveDate) -> Option<InitialPlanDue> {
    let case = &record.case;
    // A child found not eligible has no plan to write.
    if !case.part_c
        || case.eligible == Some(false)
        || record
            .plan
            .as_ref()
            .is_some_and(|p| p.family_delay.is_some())
    {
        return None;
    }
    // Referred fewer than 45 days before the third birthday: no evaluation,
    // assessment or initial plan meeting is required (303.209(b)(1)(iii)).
    if transition::PartCTransition::timing_of(record)
        .is_some_and(|(_, _, timing)| timing == transition::Timing::ReferOnly)
    {
        return None;
    }
    let held = record.plan.as_ref().and_then(|p| {
        p.meetings
            .iter()
            .filter(|m| m.kind == crate::model::MeetingType::Initial)
            .map(|m| m.date)
            .min()
    });
    let mut exceptions: Vec<_> = case.timeline_exceptions.iter().collect();
    exceptions.sort_by_key(|e| e.from);
    let mut due = case.referral_date + chrono::Days::new(45);
    let mut paused = 0;
    // The first day not yet counted as paused.
    let mut counted_to = case.referral_date;
    for e in exceptions {
        if e.from > due {
            break;
        }
        // An exception with no end lasted until the initial meeting.
        let until = match e.until.or_else(|| held.map(|d| d - chrono::Days::new(1))) {
            Some(until) if until < as_of => until,
            _ => return None,
        };
        let from = e.from.max(counted_to);
        if until >= from {
            let days = (until - from).num_days() + 1;
            paused += days;
            due = due + chrono::Days::new(days as u64);
            counted_to = until + chrono::Days::new(1);
        }
    }
    Some(InitialPlanDue {
        date: due,
        paused_days: paused,
    })
}

/// `months` calendar months after `date`, clamped to the month's end (six
/// months after 31 March is 30 September).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months))
        .unwrap_or(date)
}

pub use crate::model::day;

/// `March 2026`.
pub fn month(date: NaiveDate) -> String {
    date.format("%B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_table_gives_every_rule_its_defaults_once_in_the_schema_order() {
        let ids: Vec<RuleId> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, RuleId::ALL);
    }
}
