//! A case's life, as its records show it by a day: when its services must
//! end, and whether, and how, its time in the program has ended. `check`
//! (what a closed case can no longer owe), `due` (what an open case owes
//! next), the documents and the desk all ask these, so a case is closed for
//! one of them exactly when it is closed for the others.
//!
//! - A Part C child's services end before the third birthday (34 CFR
//!   303.21: "under three years of age"); under Connecticut's EIS Over 3
//!   (303.211), the day before the school year begins.
//! - A case closes at its exit; a child found not eligible, once the family
//!   has the notice of it (303.322); a case whose services have all ended
//!   stops owing service coordination then, and owes its exit.

use chrono::NaiveDate;
use serde::Serialize;

use super::transition::PartCTransition;
use super::{CaseRecord, NoticeAction, ProgramFile, ServiceChange};

/// How a case's time in the program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Closing {
    /// Its exit (exit.yaml), on the exit date.
    Exit,
    /// The child was found not eligible and the family told so: on the
    /// day the notice was given (for a case without Part C's notices, the
    /// day of the finding).
    NotEligible,
    /// Its services ended and no exit is recorded yet: the case owes its
    /// exit, and nothing a case without services can owe.
    ServicesEnded,
}

/// The last day a case was open, and why it closed then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Closed {
    /// The case's last open day: the exit date, the day of the
    /// not-eligible notice, or the last day of services.
    pub last_day: NaiveDate,
    pub by: Closing,
}

impl CaseRecord {
    /// The last day a Part C child may receive Part C services: the day
    /// before the third birthday, or the day before the school year begins
    /// under EIS Over 3. None for a case outside Part C or without a child.
    pub fn services_end(&self, program: &ProgramFile) -> Option<NaiveDate> {
        PartCTransition::of(self, program).map(|t| t.services_end)
    }

    /// When services all ended: a Part C child's at the end of Part C
    /// services; a plan outside Part C (a postpartum woman, a family
    /// support plan, a child care program) on the last end date of its
    /// services, once every service has one. A Part C plan whose services
    /// lapse before three is a late review, not an end: it has none.
    pub fn services_ended(&self, program: &ProgramFile) -> Option<NaiveDate> {
        if let Some(end) = self.services_end(program) {
            return Some(end);
        }
        if self.case.part_c {
            return None;
        }
        let plan = self.plan.as_ref()?;
        let services = plan.current().services;
        let mut ends = services.iter().map(|s| s.end_date);
        let first = ends.next()??;
        ends.try_fold(first, |last, end| Some(last.max(end?)))
    }

    /// Whether, and how, the case had closed by `as_of`: its exit, if it
    /// is on or before `as_of`; else a finding of not eligible the family
    /// was told of by then; else services that ended before `as_of`. The
    /// earliest closes the case.
    pub fn closed(&self, program: &ProgramFile, as_of: NaiveDate) -> Option<Closed> {
        let exit = (self.exit.as_ref())
            .filter(|e| e.exit_date <= as_of)
            .map(|e| Closed {
                last_day: e.exit_date,
                by: Closing::Exit,
            });
        let not_eligible = self
            .not_eligible_told()
            .filter(|d| *d <= as_of)
            .map(|d| Closed {
                last_day: d,
                by: Closing::NotEligible,
            });
        let ended = (self.exit.is_none())
            .then(|| self.services_ended(program))
            .flatten()
            .filter(|end| *end < as_of)
            .map(|end| Closed {
                last_day: end,
                by: Closing::ServicesEnded,
            });
        [exit, not_eligible, ended]
            .into_iter()
            .flatten()
            .min_by_key(|c| c.last_day)
    }

    /// Whether a change of the service `id` only ends it, with no meeting
    /// and no proposal of its own: the parent declined the service that day
    /// (303.420(d); see [`super::PlanFile::ends_by_decline`]), or the case
    /// exits that day and the change ends the service by then (the exit
    /// ends every service, and has its own notice and letter).
    pub fn ends_without_meeting(&self, id: &str, change: &ServiceChange) -> bool {
        let declined = self
            .plan
            .as_ref()
            .is_some_and(|p| p.ends_by_decline(id, change));
        let exits = (self.exit.as_ref())
            .is_some_and(|e| change.on == e.exit_date && change.only_ends_by(e.exit_date));
        declined || exits
    }

    /// The day the family was told the child is not eligible: the
    /// not-eligible notice's day for a Part C child (none until it is
    /// given), the finding's day for any other case.
    fn not_eligible_told(&self) -> Option<NaiveDate> {
        if self.case.eligible != Some(false) {
            return None;
        }
        let found = self.case.eligibility_date?;
        if !self.case.part_c_rights() {
            return Some(found);
        }
        (self.notices.iter())
            .flat_map(|n| &n.prior_written)
            .filter(|n| n.action == NoticeAction::NotEligible && n.date == found)
            .map(|n| n.given_on.max(found))
            .min()
    }
}
