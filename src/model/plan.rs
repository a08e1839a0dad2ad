//! The plan as it stood at each meeting. A service row keeps what was first
//! agreed and lists what later meetings changed; an outcome or service a
//! later meeting added says so (`added_on`); a meeting may revise the
//! family assessment, the present levels, the notes and (postpartum) her
//! health; another service is listed from the meeting that added it to the
//! one that took it off. `PlanFile::as_of` applies all
//! of that up to a date, so a consent form shows the services it approved
//! and a plan document shows the plan of its meeting, whatever was changed
//! after.

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    ChildCare, ConsentEvent, FamilyAssessment, Meeting, OtherService, Outcome, PlanFile,
    PresentLevels, ServiceChange, ServiceRow, Text,
};

/// The plan on one date: what the meetings up to then agreed.
#[derive(Debug, Clone, Serialize)]
pub struct PlanVersion<'a> {
    pub date: NaiveDate,
    pub family_assessment: &'a FamilyAssessment,
    pub present_levels: Option<&'a PresentLevels>,
    /// A postpartum plan: her health.
    pub health: Option<&'a Text>,
    /// The outcomes the plan had then, with the progress recorded by then.
    pub outcomes: Vec<Outcome>,
    pub services: Vec<ServiceRow>,
    /// The services the program does not pay for that the plan listed then.
    pub other_services: Vec<&'a OtherService>,
    /// The plan's notes as the latest meeting by then wrote them.
    pub notes: Option<&'a Text>,
    /// A child care program's plan: the program and its needs.
    pub child_care: Option<&'a ChildCare>,
}

impl PlanVersion<'_> {
    pub fn service(&self, id: &str) -> Option<&ServiceRow> {
        self.services.iter().find(|s| s.id == id)
    }
}

impl PlanFile {
    /// The date of the first meeting: what the plan's rows say by default.
    pub fn first_meeting(&self) -> Option<NaiveDate> {
        self.meetings.iter().map(|m| m.date).min()
    }

    /// The plan as it stood on `date`, after that day's meeting.
    pub fn as_of(&self, date: NaiveDate) -> PlanVersion<'_> {
        let revised_assessment = self
            .meetings_up_to(date)
            .filter_map(|m| m.family_assessment.as_ref())
            .next_back();
        let revised_levels = self
            .meetings_up_to(date)
            .filter_map(|m| m.present_levels.as_ref())
            .next_back();
        let revised_health = self
            .meetings_up_to(date)
            .filter_map(|m| m.health.as_ref())
            .next_back();
        let revised_notes = self
            .meetings_up_to(date)
            .filter_map(|m| m.notes.as_ref())
            .next_back();
        PlanVersion {
            date,
            health: revised_health.or(self.health.as_ref()),
            family_assessment: revised_assessment.unwrap_or(&self.family_assessment),
            present_levels: revised_levels.or(self.present_levels.as_ref()),
            outcomes: self
                .outcomes
                .iter()
                .filter(|o| o.added_on.is_none_or(|added| added <= date))
                .map(|o| {
                    let mut o = o.clone();
                    o.progress.retain(|p| p.date <= date);
                    o
                })
                .collect(),
            services: self.services.iter().filter_map(|s| s.as_of(date)).collect(),
            other_services: (self.other_services.iter())
                .filter(|o| o.listed_on(date))
                .collect(),
            notes: revised_notes.or(self.notes.as_ref()),
            child_care: self.child_care.as_ref(),
        }
    }

    /// Whether `change` of service `id` is the end a parent's decline put
    /// to it (303.420(d)): it only ends the service, on or before its day,
    /// and a consent of that day declines the service. Such a change needs
    /// no meeting and is not an action the program proposes.
    pub fn ends_by_decline(&self, id: &str, change: &ServiceChange) -> bool {
        change.only_ends_by(change.on)
            && self.consents.iter().any(|c| {
                c.date == change.on
                    && (c.services.iter())
                        .any(|d| d.service == id && d.decision == Some(super::Decision::Declined))
            })
    }

    /// The services the notice of the start of services proposes, with
    /// their places in `services`: those of the first plan that the parent
    /// accepted on the consent to initiate them, other than service
    /// coordination, which runs from the referral on (303.34) and starts
    /// with the plan meeting itself.
    pub fn started_by_notice(&self) -> impl Iterator<Item = (usize, &ServiceRow)> {
        let accepted = |id: &str| {
            self.consents.iter().any(|c| {
                c.action == Some(super::ConsentAction::Initiation)
                    && (c.services.iter())
                        .any(|d| d.service == id && d.decision == Some(super::Decision::Accepted))
            })
        };
        (self.services.iter().enumerate()).filter(move |(_, s)| {
            !s.service_coordination && s.added_on.is_none() && accepted(&s.id)
        })
    }

    /// The plan as the last meeting left it, with every change applied.
    pub fn current(&self) -> PlanVersion<'_> {
        self.as_of(NaiveDate::MAX)
    }

    /// The meetings held on or before `date`, oldest first.
    fn meetings_up_to(&self, date: NaiveDate) -> impl DoubleEndedIterator<Item = &Meeting> {
        let mut held: Vec<&Meeting> = self.meetings.iter().filter(|m| m.date <= date).collect();
        held.sort_by_key(|m| m.date);
        held.into_iter()
    }

    /// The latest meeting on or before `date`.
    pub fn meeting_on_or_before(&self, date: NaiveDate) -> Option<&Meeting> {
        self.meetings_up_to(date).next_back()
    }

    /// For a consent to change services: each service it covers as it was
    /// before the meeting that changed it (None for a service the meeting
    /// added) and as it is on the consent's date.
    pub fn consent_services(&self, consent: &ConsentEvent) -> Vec<ConsentedService> {
        let after = self.as_of(consent.date);
        let before = self
            .meeting_on_or_before(consent.date)
            .and_then(|m| m.date.pred_opt())
            .map(|day| self.as_of(day));
        consent
            .services
            .iter()
            .filter_map(|d| compared(&d.service, d.decision, before.as_ref(), &after))
            .collect()
    }

    /// The day the family was given the written notification about the use
    /// of public benefits or insurance (303.520(a)(3)), if it was.
    pub fn public_notification(&self) -> Option<NaiveDate> {
        self.billing.as_ref()?.public.as_ref()?.notified_on
    }

    /// The services the meeting of `date` added or changed, each as it was
    /// before (None for one it added) and as it is after.
    pub fn changed_at(&self, date: NaiveDate) -> Vec<ConsentedService> {
        let after = self.as_of(date);
        let before = date.pred_opt().map(|day| self.as_of(day));
        after
            .services
            .iter()
            .filter_map(|s| {
                compared(
                    &s.id,
                    Some(super::Decision::Accepted),
                    before.as_ref(),
                    &after,
                )
            })
            .filter(|c| c.before.is_none() || !c.changed.is_empty())
            .collect()
    }
}

/// Service `id` as `after` has it, with what `before` had and what differs.
fn compared(
    id: &str,
    decision: Option<super::Decision>,
    before: Option<&PlanVersion>,
    after: &PlanVersion,
) -> Option<ConsentedService> {
    let now = after.service(id)?.clone();
    let was = before.and_then(|b| b.service(id)).cloned();
    let changed = match &was {
        Some(was) => was.differences(&now),
        None => Vec::new(),
    };
    Some(ConsentedService {
        id: id.to_string(),
        decision,
        service: now,
        before: was,
        changed,
    })
}

/// A service on a consent form: as it stands on the consent's date, and
/// for a change consent, as it was before and which elements changed.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentedService {
    pub id: String,
    /// The parent's decision, once given.
    pub decision: Option<super::Decision>,
    pub service: ServiceRow,
    pub before: Option<ServiceRow>,
    /// What differs from `before` (see `ServiceRow::differences`).
    pub changed: Vec<&'static str>,
}

impl ServiceChange {
    /// The change sets only the service's end date, to `day` or before.
    pub(super) fn only_ends_by(&self, day: NaiveDate) -> bool {
        let ServiceChange {
            on: _,
            provider,
            frequency,
            intensity,
            minutes,
            method,
            location,
            natural_environment,
            justification,
            start_date,
            end_date,
            duration,
            funding,
            outcomes,
        } = self;
        end_date.is_some_and(|end| end <= day)
            && provider.is_none()
            && frequency.is_none()
            && intensity.is_none()
            && minutes.is_none()
            && method.is_none()
            && location.is_none()
            && natural_environment.is_none()
            && justification.is_none()
            && start_date.is_none()
            && duration.is_none()
            && funding.is_none()
            && outcomes.is_none()
    }
}

impl ServiceRow {
    /// The service as it stood on `date`: None before the meeting that
    /// added it, else the row with every change agreed on or before `date`.
    pub fn as_of(&self, date: NaiveDate) -> Option<ServiceRow> {
        if self.added_on.is_some_and(|added| added > date) {
            return None;
        }
        let mut row = self.clone();
        row.changes.clear();
        for change in self.changes.iter().filter(|c| c.on <= date) {
            row.apply(change);
        }
        Some(row)
    }

    /// The service with every change applied.
    pub fn current(&self) -> ServiceRow {
        let mut row = self.clone();
        row.changes.clear();
        for change in &self.changes {
            row.apply(change);
        }
        row
    }

    fn apply(&mut self, change: &ServiceChange) {
        fn set<T: Clone>(slot: &mut T, new: &Option<T>) {
            if let Some(value) = new {
                *slot = value.clone();
            }
        }
        fn set_opt<T: Clone>(slot: &mut Option<T>, new: &Option<T>) {
            if new.is_some() {
                slot.clone_from(new);
            }
        }
        set(&mut self.provider, &change.provider);
        set(&mut self.frequency, &change.frequency);
        set(&mut self.intensity, &change.intensity);
        set(&mut self.minutes, &change.minutes);
        set(&mut self.method, &change.method);
        set(&mut self.location, &change.location);
        set(&mut self.natural_environment, &change.natural_environment);
        set_opt(&mut self.justification, &change.justification);
        set(&mut self.start_date, &change.start_date);
        set_opt(&mut self.end_date, &change.end_date);
        set_opt(&mut self.duration, &change.duration);
        set(&mut self.funding, &change.funding);
        set(&mut self.outcomes, &change.outcomes);
        if change.natural_environment == Some(true) && change.justification.is_none() {
            self.justification = None;
        }
        if change.end_date.is_some() && change.duration.is_none() {
            self.duration = None;
        }
        if change.duration.is_some() && change.end_date.is_none() {
            self.end_date = None;
        }
    }

    /// How `after` provides more of the service than this row: in
    /// frequency (sessions a year), length (minutes), duration (a later
    /// end) or intensity (individual sessions in place of group ones), the
    /// increases that need a private insurance consent again
    /// (303.520(b)(1)(i)(B)).
    pub fn increases(&self, after: &ServiceRow) -> Vec<&'static str> {
        let yearly = |s: &ServiceRow| {
            s.frequency.times
                * match s.frequency.per {
                    super::Per::Week => 52,
                    super::Per::Month => 12,
                }
        };
        let longer = match (self.end_date, after.end_date) {
            (Some(before), Some(now)) => now > before,
            _ => false,
        };
        [
            ("frequency", yearly(after) > yearly(self)),
            ("length", after.minutes > self.minutes),
            ("duration", longer),
            (
                "intensity",
                self.intensity == super::Intensity::Group
                    && after.intensity == super::Intensity::Individual,
            ),
        ]
        .into_iter()
        .filter(|(_, more)| *more)
        .map(|(what, _)| what)
        .collect()
    }

    /// What differs in `other`, by the groups a consent form prints:
    /// provider, frequency (with intensity and length), method, location,
    /// natural_environment (with its justification), dates (start, end or
    /// duration), funding, outcomes.
    pub fn differences(&self, other: &ServiceRow) -> Vec<&'static str> {
        let a = self;
        let b = other;
        [
            ("provider", a.provider == b.provider),
            (
                "frequency",
                (a.frequency, a.intensity, a.minutes) == (b.frequency, b.intensity, b.minutes),
            ),
            ("method", a.method == b.method),
            ("location", a.location == b.location),
            (
                "natural_environment",
                (a.natural_environment, &a.justification)
                    == (b.natural_environment, &b.justification),
            ),
            (
                "dates",
                (a.start_date, a.end_date, &a.duration) == (b.start_date, b.end_date, &b.duration),
            ),
            ("funding", a.funding == b.funding),
            ("outcomes", a.outcomes == b.outcomes),
        ]
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(name, _)| name)
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Frequency, Intensity, Per, Provider, ServiceMethod};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row() -> ServiceRow {
        ServiceRow {
            id: "speech".into(),
            added_on: None,
            changes: Vec::new(),
            service: "Speech".into(),
            provider: Provider {
                name: "Ida".into(),
                staff: None,
                agency: None,
                discipline: "SLP".into(),
            },
            frequency: Frequency {
                times: 1,
                per: Per::Week,
            },
            intensity: Intensity::Individual,
            minutes: 60,
            method: ServiceMethod::HomeVisit,
            location: "Home".into(),
            service_coordination: false,
            natural_environment: true,
            justification: None,
            start_date: day("2025-02-10"),
            end_date: Some(day("2025-12-31")),
            duration: None,
            funding: "Part C".into(),
            outcomes: vec![1],
        }
    }

    #[test]
    fn an_increase_counts_sessions_a_year_across_weeks_and_months() {
        let weekly = row();
        let monthly = |times| ServiceRow {
            frequency: Frequency {
                times,
                per: Per::Month,
            },
            ..row()
        };
        // Once a week is 52 sessions a year: five a month (60) is more,
        // four a month (48) is fewer; three a month to weekly is more.
        assert_eq!(weekly.increases(&monthly(5)), ["frequency"]);
        assert_eq!(weekly.increases(&monthly(4)), Vec::<&str>::new());
        assert_eq!(monthly(3).increases(&weekly), ["frequency"]);
        // A shorter session and an earlier end are no increase; the end
        // moved later, longer sessions and individual for group are.
        let shorter = ServiceRow {
            minutes: 45,
            end_date: Some(day("2025-11-30")),
            ..row()
        };
        assert_eq!(weekly.increases(&shorter), Vec::<&str>::new());
        assert_eq!(shorter.increases(&weekly), ["length", "duration"]);
        let group = ServiceRow {
            intensity: Intensity::Group,
            ..row()
        };
        assert_eq!(group.increases(&weekly), ["intensity"]);
        assert_eq!(weekly.increases(&group), Vec::<&str>::new());
    }

    fn change(on: &str) -> ServiceChange {
        ServiceChange {
            on: day(on),
            provider: None,
            frequency: None,
            intensity: None,
            minutes: None,
            method: None,
            location: None,
            natural_environment: None,
            justification: None,
            start_date: None,
            end_date: None,
            duration: None,
            funding: None,
            outcomes: None,
        }
    }

    #[test]
    fn a_change_holds_from_its_meeting_on_and_not_the_day_before() {
        let mut s = row();
        s.changes.push(ServiceChange {
            minutes: Some(45),
            location: Some("Grandmother's home".into()),
            ..change("2025-08-05")
        });
        assert_eq!(s.as_of(day("2025-08-04")).unwrap(), row());
        let after = s.as_of(day("2025-08-05")).unwrap();
        assert_eq!(after.minutes, 45);
        assert_eq!(after.location, "Grandmother's home");
        assert!(after.changes.is_empty());
        assert_eq!(after.frequency, row().frequency);
        assert_eq!(s.current(), after);
        assert_eq!(row().differences(&after), ["frequency", "location"]);
    }

    #[test]
    fn a_service_added_later_is_not_on_the_plan_before_its_meeting() {
        let mut s = row();
        s.added_on = Some(day("2025-08-05"));
        assert!(s.as_of(day("2025-08-04")).is_none());
        assert!(s.as_of(day("2025-08-05")).is_some());
    }

    #[test]
    fn an_end_date_replaces_a_duration_and_a_duration_an_end_date() {
        let mut s = row();
        s.changes.push(ServiceChange {
            duration: Some("Until the annual meeting".into()),
            ..change("2025-06-01")
        });
        s.changes.push(ServiceChange {
            natural_environment: Some(false),
            justification: Some("Clinic pool".into()),
            ..change("2025-07-01")
        });
        s.changes.push(ServiceChange {
            end_date: Some(day("2025-09-30")),
            natural_environment: Some(true),
            ..change("2025-08-01")
        });
        let june = s.as_of(day("2025-06-01")).unwrap();
        assert_eq!(
            (june.end_date, june.duration.as_ref().map(|t| t.first())),
            (None, Some("Until the annual meeting"))
        );
        let july = s.as_of(day("2025-07-01")).unwrap();
        assert_eq!(
            july.justification.as_ref().map(|t| t.first()),
            Some("Clinic pool")
        );
        assert_eq!(june.differences(&july), ["natural_environment"]);
        let august = s.current();
        assert_eq!(
            (august.end_date, august.duration.as_ref().map(|t| t.first())),
            (Some(day("2025-09-30")), None)
        );
        assert_eq!(august.justification, None);
        assert_eq!(july.differences(&august), ["natural_environment", "dates"]);
    }

    #[test]
    fn a_change_of_something_else_keeps_the_justification() {
        let mut s = row();
        s.natural_environment = false;
        s.justification = Some("Clinic pool".into());
        s.changes.push(ServiceChange {
            minutes: Some(30),
            ..change("2025-06-01")
        });
        assert_eq!(
            s.current().justification.as_ref().map(|t| t.first()),
            Some("Clinic pool")
        );
    }

    #[test]
    fn every_element_a_change_names_is_applied() {
        let mut s = row();
        let provider = Provider {
            name: "Jo".into(),
            staff: Some("jo".into()),
            agency: None,
            discipline: "OT".into(),
        };
        s.changes.push(ServiceChange {
            provider: Some(provider.clone()),
            frequency: Some(Frequency {
                times: 2,
                per: Per::Month,
            }),
            intensity: Some(Intensity::Group),
            method: Some(ServiceMethod::Telehealth),
            start_date: Some(day("2025-03-01")),
            funding: Some("Medicaid".into()),
            outcomes: Some(vec![1, 2]),
            ..change("2025-02-20")
        });
        let now = s.current();
        assert_eq!(now.provider, provider);
        assert_eq!(now.frequency.times, 2);
        assert_eq!(now.intensity, Intensity::Group);
        assert_eq!(now.method, ServiceMethod::Telehealth);
        assert_eq!(now.start_date, day("2025-03-01"));
        assert_eq!(now.funding, "Medicaid");
        assert_eq!(now.outcomes, [1, 2]);
        assert_eq!(
            row().differences(&now),
            [
                "provider",
                "frequency",
                "method",
                "dates",
                "funding",
                "outcomes"
            ]
        );
    }
}
