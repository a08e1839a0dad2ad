//! The typed case record: what validation hands to checking and rendering.
//!
//! Each struct mirrors one schema in `schemas/` (the schemas are the single
//! source of truth; these types only give the validated data names and types).
//! Field names are the coordinators' words. Nothing here is filled in by
//! guesswork: a value that the schema makes optional is an `Option`.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The kinds of record file, each with its own schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Program,
    Case,
    Plan,
    Contacts,
    Transition,
    Exit,
    Review,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Program,
        Kind::Case,
        Kind::Plan,
        Kind::Contacts,
        Kind::Transition,
        Kind::Exit,
        Kind::Review,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Program => "program",
            Kind::Case => "case",
            Kind::Plan => "plan",
            Kind::Contacts => "contacts",
            Kind::Transition => "transition",
            Kind::Exit => "exit",
            Kind::Review => "review",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignerRole {
    Parent,
    Guardian,
    Coordinator,
    Provider,
    Other,
}

impl SignerRole {
    /// The role in words, for messages to coordinators.
    pub fn words(self) -> &'static str {
        match self {
            SignerRole::Parent => "parent",
            SignerRole::Guardian => "guardian",
            SignerRole::Coordinator => "service coordinator",
            SignerRole::Provider => "provider",
            SignerRole::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureMethod {
    Paper,
    Electronic,
}

/// Someone who must sign a document, and when and how they did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Signature {
    pub role: SignerRole,
    pub name: String,
    pub signed_on: Option<NaiveDate>,
    pub method: Option<SignatureMethod>,
}

// ---- program.yaml ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgramFile {
    pub program: Program,
    pub staff: Vec<Staff>,
    /// Per-rule settings for `check`, over the state profile's defaults.
    #[serde(default)]
    pub rules: std::collections::BTreeMap<String, RuleSetting>,
}

/// What a program makes of one `check` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Off,
    Error,
    Warning,
    Notice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum State {
    CT,
    VT,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Program {
    pub name: String,
    pub state: State,
    pub address: Address,
    pub phone: String,
    pub email: Option<String>,
    pub complaints: String,
    /// Where families of another state take a complaint, by state.
    #[serde(default)]
    pub complaints_by_state: BTreeMap<State, String>,
    pub logo: Option<Logo>,
}

impl Program {
    /// Where a family of the case's state (the program's, when the case
    /// names none) takes a complaint.
    pub fn complaints_for(&self, state: Option<State>) -> &str {
        state
            .and_then(|s| self.complaints_by_state.get(&s))
            .unwrap_or(&self.complaints)
    }
}

/// The program's logo: an image in the records folder and its alternative text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Logo {
    pub file: String,
    pub description: String,
}

impl Logo {
    /// The name the image is served under to the templates, e.g. `program-logo.svg`.
    pub fn asset_name(&self) -> String {
        let ext = self
            .file
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        format!("program-logo.{ext}")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub credential: String,
    pub discipline: String,
    pub phone: String,
    pub email: Option<String>,
    pub certificates: Option<Certificates>,
    #[serde(default)]
    pub trained_before_2018: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Certificates {
    pub initial: Option<NaiveDate>,
    pub service_coordinator: Option<NaiveDate>,
}

impl ProgramFile {
    pub fn staff(&self, id: &str) -> Option<&Staff> {
        self.staff.iter().find(|s| s.id == id)
    }
}

// ---- case.yaml ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Client {
    Child,
    Postpartum,
    ChildCareProgram,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseFile {
    pub case_id: String,
    pub client: Client,
    pub state: Option<State>,
    #[serde(default)]
    pub part_c: bool,
    pub language: String,
    pub child: Option<Child>,
    pub woman: Option<Woman>,
    pub child_care_program: Option<String>,
    pub family: Vec<FamilyMember>,
    pub address: Address,
    pub coordinator: String,
    pub referral_date: NaiveDate,
    pub eligibility_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Child {
    pub name: String,
    pub date_of_birth: NaiveDate,
}

impl Child {
    /// The third birthday, when Part C services end. A child born on
    /// 29 February turns three on 28 February (chrono clamps to the month's end).
    pub fn third_birthday(&self) -> NaiveDate {
        self.date_of_birth
            .checked_add_months(Months::new(36))
            .unwrap_or(self.date_of_birth)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Woman {
    pub name: String,
    pub delivery_date: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FamilyMember {
    pub name: String,
    pub relationship: String,
    pub phone: String,
    pub email: Option<String>,
    pub language: String,
    pub interpreter: bool,
}

impl CaseFile {
    /// The person the paperwork is about, as printed in the identification block.
    pub fn client_name(&self) -> &str {
        match self.client {
            Client::Child => self.child.as_ref().map(|c| c.name.as_str()),
            Client::Postpartum => self.woman.as_ref().map(|w| w.name.as_str()),
            Client::ChildCareProgram => self.child_care_program.as_deref(),
        }
        .unwrap_or_default()
    }
}

// ---- plan.yaml ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanFile {
    pub meetings: Vec<Meeting>,
    pub family_assessment: FamilyAssessment,
    pub present_levels: PresentLevels,
    pub outcomes: Vec<Outcome>,
    pub services: Vec<ServiceRow>,
    #[serde(default)]
    pub other_services: Vec<OtherService>,
    pub consents: Vec<ConsentEvent>,
    pub notes: Option<String>,
    pub family_delay: Option<FamilyDelay>,
}

/// A delay of the initial plan meeting that the family asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FamilyDelay {
    pub requested_on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meeting {
    pub date: NaiveDate,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub participants: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FamilyAssessment {
    pub concerns: String,
    pub priorities: String,
    pub resources: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PresentLevels {
    pub physical: String,
    pub cognitive: String,
    pub communication: String,
    pub social_emotional: String,
    pub adaptive: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    pub number: u32,
    pub outcome: String,
    pub criteria: String,
    pub procedures: String,
    pub target_date: NaiveDate,
    pub strategies: Vec<String>,
    pub who_helps: Vec<String>,
    #[serde(default)]
    pub progress: Vec<ProgressEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgressEntry {
    pub date: NaiveDate,
    pub review: String,
    pub note: String,
}

/// One row of the services grid.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceRow {
    pub id: String,
    pub service: String,
    pub provider: Provider,
    pub frequency: Frequency,
    pub intensity: String,
    pub minutes: u32,
    pub method: String,
    pub location: String,
    pub natural_environment: bool,
    pub justification: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub duration: Option<String>,
    pub funding: String,
    pub outcomes: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Provider {
    pub name: String,
    pub staff: Option<String>,
    pub agency: Option<String>,
    pub discipline: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Frequency {
    pub times: u32,
    pub per: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtherService {
    pub service: String,
    pub provider: Option<String>,
    pub steps: String,
}

/// A consent for initiation, change or continuation of services.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsentEvent {
    pub date: NaiveDate,
    pub action: String,
    pub description: String,
    pub services: Vec<ServiceDecision>,
    pub evaluation: Option<bool>,
    pub insurance: Option<InsuranceConsent>,
    #[serde(default)]
    pub release: Vec<Release>,
    pub explained: bool,
    pub native_language: String,
    pub signatures: Vec<Signature>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceDecision {
    pub service: String,
    pub decision: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InsuranceConsent {
    pub public: Option<String>,
    pub private: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Release {
    pub recipient: String,
    pub records: String,
}

// ---- review files ----

/// One plan review meeting kept in a file of its own. Validation folds it
/// into the plan: its meeting joins the plan's meetings and its progress
/// entries the outcomes' progress, so documents and checks see one plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewFile {
    pub date: NaiveDate,
    #[serde(rename = "type")]
    pub kind: String,
    pub participants: Vec<String>,
    pub progress: Vec<ReviewProgress>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewProgress {
    pub outcome: u32,
    pub note: String,
}

impl ReviewFile {
    /// The name a progress entry gives this meeting (`review` in the plan's
    /// progress entries).
    pub fn progress_review(&self) -> &'static str {
        match self.kind.as_str() {
            "six-month-review" => "six-month",
            _ => "annual",
        }
    }
}

// ---- contacts*.yaml ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContactsFile {
    pub notes: Vec<ContactNote>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContactNote {
    pub date: NaiveDate,
    pub written_on: Option<NaiveDate>,
    pub start_time: Option<String>,
    pub minutes: u32,
    #[serde(rename = "type")]
    pub kind: String,
    pub location: Option<String>,
    pub participants: Vec<String>,
    pub summary: String,
    #[serde(default)]
    pub outcomes: Vec<u32>,
    #[serde(default)]
    pub resources: Vec<String>,
    pub next_steps: Option<String>,
    pub signed: NoteSignature,
    /// Which file and which entry of its `notes` this note came from, so a
    /// rule can point at it after notes from several files are merged.
    #[serde(skip)]
    pub source: Option<NoteSource>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSource {
    pub file: std::path::PathBuf,
    pub index: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoteSignature {
    pub by: String,
    pub on: NaiveDate,
}

// ---- transition.yaml ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransitionPlan {
    #[serde(rename = "type")]
    pub kind: String,
    pub written_on: NaiveDate,
    pub target_date: NaiveDate,
    pub school_district: Option<SchoolDistrict>,
    pub conference: Option<Conference>,
    pub potentially_eligible_part_b: Option<bool>,
    pub steps: Vec<TransitionStep>,
    #[serde(default)]
    pub program_options: Vec<String>,
    pub parent_training: Option<String>,
    pub preparing_child: Option<String>,
    #[serde(default)]
    pub records_sent: Vec<RecordsSent>,
    pub receiving: Vec<Receiving>,
    pub outcomes_status: Option<String>,
    pub family_next_steps: String,
    pub family_participation: Option<String>,
    pub signatures: Vec<Signature>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SchoolDistrict {
    pub name: String,
    pub contact: String,
    pub notified_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Conference {
    pub date: NaiveDate,
    #[serde(default)]
    pub participants: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransitionStep {
    pub step: String,
    pub who: String,
    pub by: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordsSent {
    pub records: String,
    pub to: String,
    pub consent_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Receiving {
    pub service: String,
    pub contact: String,
}

// ---- exit.yaml ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExitRecord {
    pub reason: String,
    pub reason_detail: Option<String>,
    pub exit_date: NaiveDate,
    pub letter_date: NaiveDate,
    #[serde(default)]
    pub attempts: Vec<ContactAttempt>,
    pub signatures: Vec<Signature>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContactAttempt {
    pub date: NaiveDate,
    pub method: String,
    pub detail: Option<String>,
}

// ---- a whole case ----

/// Everything validated about one case: what rendering and checking work on.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub case: CaseFile,
    pub plan: Option<PlanFile>,
    /// All contact notes from all contact files, oldest first.
    pub contacts: Vec<ContactNote>,
    pub transition: Option<TransitionPlan>,
    pub exit: Option<ExitRecord>,
}

impl CaseRecord {
    /// The newest date in the record files of the kinds `kinds`: the date of
    /// the record data a document is made from, printed in its footer and its
    /// creation date when the records are not in git.
    pub fn newest_date(&self, kinds: &[Kind]) -> NaiveDate {
        let record = self;
        let has = |kind: Kind| kinds.contains(&kind);
        let mut dates = vec![record.case.referral_date];
        dates.extend(record.case.eligibility_date);
        dates.extend(
            record
                .contacts
                .iter()
                .filter(|_| has(Kind::Contacts))
                .flat_map(|n| [Some(n.date), Some(n.signed.on), n.written_on])
                .flatten(),
        );
        if let Some(plan) = record.plan.as_ref().filter(|_| has(Kind::Plan)) {
            dates.extend(plan.meetings.iter().map(|m| m.date));
            dates.extend(plan.consents.iter().map(|c| c.date));
            dates.extend(
                plan.consents
                    .iter()
                    .flat_map(|c| &c.signatures)
                    .filter_map(|s| s.signed_on),
            );
            dates.extend(
                plan.outcomes
                    .iter()
                    .flat_map(|o| &o.progress)
                    .map(|p| p.date),
            );
        }
        if let Some(t) = record.transition.as_ref().filter(|_| has(Kind::Transition)) {
            dates.push(t.written_on);
            dates.extend(t.signatures.iter().filter_map(|s| s.signed_on));
            dates.extend(t.steps.iter().filter_map(|s| s.done_on));
        }
        if let Some(e) = record.exit.as_ref().filter(|_| has(Kind::Exit)) {
            dates.push(e.letter_date);
            dates.extend(e.signatures.iter().filter_map(|s| s.signed_on));
        }
        dates.into_iter().max().unwrap_or(record.case.referral_date)
    }
}

/// The dates of a Part C transition, all computed from the date of birth
/// (34 CFR 303.209): never typed in, so they cannot disagree with it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PartCDates {
    pub third_birthday: NaiveDate,
    /// Notify the school district and state education agency by this date (90 days before).
    pub notify_by: NaiveDate,
    /// The transition conference may be held from this date (9 months before)...
    pub conference_from: NaiveDate,
    /// ...until this date (90 days before).
    pub conference_by: NaiveDate,
}

impl PartCDates {
    pub fn for_child(child: &Child) -> PartCDates {
        let third = child.third_birthday();
        let ninety_before = third - chrono::Days::new(90);
        PartCDates {
            third_birthday: third,
            notify_by: ninety_before,
            conference_from: third.checked_sub_months(Months::new(9)).unwrap_or(third),
            conference_by: ninety_before,
        }
    }
}

/// The first day of the month a date falls in.
pub fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn part_c_dates_from_birth() {
        let child = Child {
            name: "x".into(),
            date_of_birth: d("2023-05-20"),
        };
        let dates = PartCDates::for_child(&child);
        assert_eq!(dates.third_birthday, d("2026-05-20"));
        assert_eq!(dates.notify_by, d("2026-02-19"));
        assert_eq!(dates.conference_from, d("2025-08-20"));
    }

    #[test]
    fn leap_day_birthday_turns_three_on_28_february() {
        let child = Child {
            name: "x".into(),
            date_of_birth: d("2024-02-29"),
        };
        assert_eq!(child.third_birthday(), d("2027-02-28"));
    }
}
