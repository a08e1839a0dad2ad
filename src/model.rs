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

pub mod life;
pub mod plan;
pub mod text;
pub mod transition;
pub use plan::{ConsentedService, PlanVersion};
pub use text::Text;

/// A value the schemas enumerate ([`SchemaEnum`]), as a Rust enum: each variant with the
/// word the schema lists for it (the schema stays the single source; a
/// test holds `ALL` equal to the schema's `enum`), `name()` giving that
/// word, and serde reading and writing it.
pub trait SchemaEnum: Copy + 'static {
    /// Every value, in the schema's order.
    const ALL: &'static [Self];
    /// The value as the records write it.
    fn name(self) -> &'static str;
}

macro_rules! schema_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in the schema's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as the records write it.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl SchemaEnum for $name {
            const ALL: &'static [$name] = $name::ALL;
            fn name(self) -> &'static str {
                $name::name(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

/// Names Windows keeps for devices: no folder can take them there, so no
/// case can, wherever its records may be copied.
const WINDOWS_DEVICES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why a text cannot be a case id (and name the case's folder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseIdProblem {
    /// Not what the case schema's pattern allows (`^[a-z0-9][a-z0-9-]{0,62}$`).
    Shape,
    /// A name Windows keeps for a device.
    WindowsDevice,
}

impl CaseIdProblem {
    /// In words that follow "`ID` cannot be a case id: ".
    pub fn words(self) -> &'static str {
        match self {
            CaseIdProblem::Shape => {
                "use lowercase letters, digits and dashes (up to 63), starting with a letter \
                 or digit, for example ct-2026-0100"
            }
            CaseIdProblem::WindowsDevice => {
                "Windows keeps this name for a device, so the case's folder could not be made \
                 there; use the program's prefix and a number, for example ct-2026-0100"
            }
        }
    }
}

/// Why `id` cannot be a case id, or `None` when it can.
pub fn case_id_problem(id: &str) -> Option<CaseIdProblem> {
    let mut chars = id.chars();
    let shaped = matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && id.len() <= 63
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    match shaped {
        false => Some(CaseIdProblem::Shape),
        true => WINDOWS_DEVICES
            .contains(&id)
            .then_some(CaseIdProblem::WindowsDevice),
    }
}

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
    Notices,
    Access,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Program,
        Kind::Case,
        Kind::Plan,
        Kind::Contacts,
        Kind::Transition,
        Kind::Exit,
        Kind::Review,
        Kind::Notices,
        Kind::Access,
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
            Kind::Notices => "notices",
            Kind::Access => "access",
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

schema_enum! {
    /// Who signs: `signature.role` in common.v1.
    SignerRole {
        Parent = "parent",
        Guardian = "guardian",
        Director = "director",
        Coordinator = "coordinator",
        Provider = "provider",
        Other = "other",
    }
}

impl SignerRole {
    /// The role in words, for messages to coordinators.
    pub fn words(self) -> &'static str {
        match self {
            SignerRole::Parent => "parent",
            SignerRole::Guardian => "guardian",
            SignerRole::Director => "director of the child care program",
            SignerRole::Coordinator => "service coordinator",
            SignerRole::Provider => "provider",
            SignerRole::Other => "other",
        }
    }

    /// Whether this signer gives a consent (and with it decides on each
    /// service): a parent, a guardian or a child care program's director.
    pub fn gives_consent(self) -> bool {
        matches!(
            self,
            SignerRole::Parent | SignerRole::Guardian | SignerRole::Director
        )
    }
}

schema_enum! {
    /// How a signature was given: `signature.method` in common.v1.
    SignatureMethod {
        Paper = "paper",
        Electronic = "electronic",
    }
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
    pub rules: std::collections::BTreeMap<RuleId, RuleSetting>,
    /// How `check` counts what its rules look at.
    #[serde(default)]
    pub check: CheckSettings,
    /// How the files casepaper writes are kept.
    #[serde(default)]
    pub files: FileSettings,
}

/// How the files casepaper writes are kept (`files:` in program.yaml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSettings {
    /// New record files and documents are the owner's alone (0600).
    #[serde(default)]
    pub private: bool,
}

impl FileSettings {
    /// The settings a program file's value gives (as read, before
    /// validation): the default when it has none, or none that reads.
    pub fn of_program(program: &serde_json::Value) -> FileSettings {
        (program.get("files").cloned())
            .and_then(|files| serde_json::from_value(files).ok())
            .unwrap_or_default()
    }

    /// The mode a new file gets.
    pub fn new_files(self) -> crate::output::NewFiles {
        match self.private {
            true => crate::output::NewFiles::Private,
            false => crate::output::NewFiles::Umask,
        }
    }
}

/// How `check` counts what its rules look at (`check:` in program.yaml).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CheckSettings {
    /// An attempt that reached no one counts as the month's contact.
    #[serde(default)]
    pub attempts_count_as_contact: bool,
    /// The state lets parents opt out of the transition notification.
    #[serde(default)]
    pub notification_opt_out: bool,
    /// How far below the plan deliveries may fall, in percent (default 25).
    pub delivery_shortfall_percent: Option<u32>,
    /// The longest time without a delivery, in days (default 45).
    pub delivery_gap_days: Option<u32>,
    /// Days before its action a prior written notice is given at the latest.
    pub notice_days: Option<u32>,
    /// Days before a plan meeting its notice is given at the latest (default 7).
    pub meeting_notice_days: Option<u32>,
    /// Days an owed signature is a notice before it is a warning (default 30).
    pub signature_warning_days: Option<u32>,
}

impl CheckSettings {
    pub fn shortfall_percent(&self) -> u32 {
        self.delivery_shortfall_percent.unwrap_or(25)
    }

    pub fn gap_days(&self) -> u32 {
        self.delivery_gap_days.unwrap_or(45)
    }

    /// Days before its action a prior written notice is given at the latest:
    /// the program's setting, else the state profile's (Connecticut 5, Conn.
    /// Agencies Regs. 17a-248-7(a); Vermont sets no number, so 0).
    pub fn notice_days(&self, state: State) -> u32 {
        self.notice_days.unwrap_or(match state {
            State::CT => 5,
            State::VT => 0,
        })
    }

    pub fn meeting_notice_days(&self) -> u32 {
        self.meeting_notice_days.unwrap_or(7)
    }

    pub fn signature_warning_days(&self) -> u32 {
        self.signature_warning_days.unwrap_or(30)
    }

    /// Whether a note counts as a month's service coordination contact:
    /// one that reached the family, or any note when the program counts
    /// attempts. `check` and `due` both ask this.
    pub fn counts_as_contact(&self, note: &ContactNote) -> bool {
        note.reached() || self.attempts_count_as_contact
    }
}

schema_enum! {
    /// Every rule `check` holds records to, by its id: the keys of `rules`
    /// in program.v1, so an unknown id in a program file is a validation
    /// error at its line. `check::RULES` gives each its defaults.
    RuleId {
        MonthlyContact = "monthly-contact",
        NoteSigned = "note-signed",
        CoordinatorQualified = "coordinator-qualified",
        InitialPlan45Days = "initial-plan-45-days",
        ServicesStart = "services-start",
        ConsentBeforeService = "consent-before-service",
        EvaluationConsent = "evaluation-consent",
        InsuranceBilling = "insurance-billing",
        PriorWrittenNotice = "prior-written-notice",
        MeetingNotice = "meeting-notice",
        Review6Months = "review-6-months",
        AnnualMeeting = "annual-meeting",
        TransitionPartC = "transition-part-c",
        TransitionPostpartum = "transition-postpartum",
        TransitionAgeSix = "transition-age-six",
        MinimumDocumentation = "minimum-documentation",
        ContactAttemptsOnly = "contact-attempts-only",
        CoordinatorDirectProvider = "coordinator-direct-provider",
        ServiceDelivery = "service-delivery",
        ExitRecorded = "exit-recorded",
        ServicesEnd = "services-end",
        ExitNotice = "exit-notice",
        TransferRecords = "transfer-records",
        ProgramChoice = "program-choice",
        RecordsRelease = "records-release",
        RecordAccess = "record-access",
        SignatureOwed = "signature-owed",
    }
}

schema_enum! {
    /// What a program makes of one `check` rule: `$defs.setting` in program.v1.
    RuleSetting {
        Off = "off",
        Error = "error",
        Warning = "warning",
        Notice = "notice",
    }
}

impl RuleSetting {
    /// The stricter of two settings (error over warning over notice over off).
    pub fn max_severity(self, other: RuleSetting) -> RuleSetting {
        let rank = |s: RuleSetting| match s {
            RuleSetting::Off => 0,
            RuleSetting::Notice => 1,
            RuleSetting::Warning => 2,
            RuleSetting::Error => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

schema_enum! {
    /// A state whose rules a program or case follows.
    State {
        CT = "CT",
        VT = "VT",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Program {
    pub name: String,
    pub state: State,
    pub address: Address,
    pub phone: String,
    pub email: Option<String>,
    /// The language of the program file's text where an element gives it
    /// once (`en` when not given).
    pub language: Option<String>,
    pub complaints: Text,
    /// Where families of another state take a complaint, by state.
    #[serde(default)]
    pub complaints_by_state: BTreeMap<State, Text>,
    /// The state program's grievance process, for families outside Part C.
    pub grievance: Option<Text>,
    #[serde(default)]
    pub grievance_by_state: BTreeMap<State, Text>,
    /// Years the records are kept after an exit (303.416).
    pub retention_years: Option<u32>,
    pub logo: Option<Logo>,
    /// The program offers Connecticut's EIS Over 3 (303.211).
    #[serde(default)]
    pub offers_eis_over_3: bool,
    /// The Birth to Three programs serving the program's area, this one
    /// among them, which a Connecticut family found eligible chooses from
    /// (seed 000).
    #[serde(default)]
    pub area_programs: Vec<String>,
    /// The state's choices that a family's papers print.
    #[serde(default)]
    pub policies: Policies,
    /// The same, for families of another state, by state.
    #[serde(default)]
    pub policies_by_state: BTreeMap<State, Policies>,
}

/// A state's choices in its procedural safeguards and its system of
/// payments, as the family's papers print them; each one left out falls
/// back on the program's `policies` (see `Program::policy`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Policies {
    /// Days from a due process complaint to the hearing decision: 30, or 45
    /// where the state adopted Part B's procedures (303.430(d)(2)).
    pub due_process_days: Option<u32>,
    /// Where a family asks for mediation (303.431).
    pub mediation: Option<Text>,
    /// Where a family files a due process complaint (303.430(d)).
    pub due_process: Option<Text>,
    /// The state's system of payments: the costs a family may have from
    /// the use of public benefits or insurance (303.520(a)(4)) or of
    /// private insurance (303.520(b)(1)(iii)), in the family's words.
    pub payments: Option<Text>,
    /// Advocacy services a family may call on.
    pub advocacy: Option<Text>,
}

impl Policies {
    /// The days a due process decision takes when the program file names none.
    pub const DUE_PROCESS_DAYS: u32 = 30;

    /// Each text a family reads, by its name in the file.
    fn texts_mut(&mut self) -> impl Iterator<Item = &mut Text> {
        [
            &mut self.mediation,
            &mut self.due_process,
            &mut self.payments,
            &mut self.advocacy,
        ]
        .into_iter()
        .flatten()
    }
}

impl Program {
    /// Where a family of the case's state (the program's, when the case
    /// names none) takes a complaint.
    pub fn complaints_for(&self, state: Option<State>) -> &Text {
        self.complaints_pointer(state).1
    }

    /// Where the program file gives the complaint office of the case's
    /// state (a JSON pointer), and what it says.
    pub fn complaints_pointer(&self, state: Option<State>) -> (String, &Text) {
        match state.and_then(|s| Some((s, self.complaints_by_state.get(&s)?))) {
            Some((s, text)) => (format!("/program/complaints_by_state/{s}"), text),
            None => ("/program/complaints".into(), &self.complaints),
        }
    }

    /// The grievance process of the case's state program, if the program
    /// file gives one.
    pub fn grievance_for(&self, state: Option<State>) -> Option<&Text> {
        self.grievance_pointer(state).map(|(_, text)| text)
    }

    /// Where the program file gives the grievance process of the case's
    /// state program (a JSON pointer), and what it says.
    pub fn grievance_pointer(&self, state: Option<State>) -> Option<(String, &Text)> {
        match state.and_then(|s| Some((s, self.grievance_by_state.get(&s)?))) {
            Some((s, text)) => Some((format!("/program/grievance_by_state/{s}"), text)),
            None => Some(("/program/grievance".into(), self.grievance.as_ref()?)),
        }
    }

    /// One of the state's choices for a family of `state` (the program's
    /// own state when the case names none): where the program file gives
    /// it (a JSON pointer) and what it says, from `policies_by_state`, else
    /// from `policies`.
    pub fn policy<'a, T: ?Sized>(
        &'a self,
        state: Option<State>,
        field: &str,
        get: impl Fn(&'a Policies) -> Option<&'a T>,
    ) -> Option<(String, &'a T)> {
        if let Some((s, value)) =
            state.and_then(|s| Some((s, get(self.policies_by_state.get(&s)?)?)))
        {
            return Some((format!("/program/policies_by_state/{s}/{field}"), value));
        }
        get(&self.policies).map(|value| (format!("/program/policies/{field}"), value))
    }

    /// The texts of the state's choices a family of `state` reads, with
    /// where the program file gives them.
    pub fn policy_texts(&self, state: Option<State>) -> Vec<(String, &Text)> {
        [
            self.policy(state, "mediation", |p| p.mediation.as_ref()),
            self.policy(state, "due_process", |p| p.due_process.as_ref()),
            self.policy(state, "payments", |p| p.payments.as_ref()),
            self.policy(state, "advocacy", |p| p.advocacy.as_ref()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The days from a due process complaint to its decision for a family
    /// of `state`.
    pub fn due_process_days(&self, state: Option<State>) -> u32 {
        self.policy(state, "due_process_days", |p| p.due_process_days.as_ref())
            .map_or(Policies::DUE_PROCESS_DAYS, |(_, days)| *days)
    }

    /// The language of the program file's text written once.
    pub fn text_language(&self) -> &str {
        self.language.as_deref().unwrap_or("en")
    }
}

impl ProgramFile {
    /// Marks each text a family reads that the program file gives once
    /// with the program's language (see `Program::text_language`), so
    /// that a document in another language knows it is not in its own.
    pub fn mark_text_language(&mut self) {
        let lang = self.program.text_language().to_string();
        let program = &mut self.program;
        let texts = std::iter::once(&mut program.complaints)
            .chain(program.complaints_by_state.values_mut())
            .chain(program.grievance.iter_mut())
            .chain(program.grievance_by_state.values_mut())
            .chain(program.policies.texts_mut())
            .chain((program.policies_by_state.values_mut()).flat_map(|p| p.texts_mut()))
            .chain(self.staff.iter_mut().map(|s| &mut s.credential));
        for text in texts {
            text.written_in(&lang);
        }
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
    pub credential: Text,
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

schema_enum! {
    /// Who receives services: `client` in case.v1.
    Client {
        Child = "child",
        Postpartum = "postpartum",
        ChildCareProgram = "child-care-program",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseFile {
    pub case_id: String,
    /// An example case (the one `init` writes): validated and rendered,
    /// but `check` and `due` pass over it.
    #[serde(default)]
    pub example: bool,
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
    /// The day `coordinator` took the family over, when it changed.
    pub coordinator_since: Option<NaiveDate>,
    pub referral_date: NaiveDate,
    pub eligibility_date: Option<NaiveDate>,
    /// False when the child was found not eligible.
    pub eligible: Option<bool>,
    pub screening_date: Option<NaiveDate>,
    pub evaluation_date: Option<NaiveDate>,
    /// Consents given before there is a plan (evaluation, release).
    #[serde(default)]
    pub consents: Vec<ConsentEvent>,
    /// The referral to the school district, with the parent's consent.
    pub district_referral: Option<DistrictReferral>,
    /// Periods the 45-day timeline does not run (303.310(b)).
    #[serde(default)]
    pub timeline_exceptions: Vec<TimelineException>,
    /// The program the family chose after the finding of eligibility.
    pub program_choice: Option<ProgramChoice>,
}

/// A Connecticut family's choice of program among those of its area,
/// after the finding of eligibility (seed 000).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgramChoice {
    pub chosen_on: NaiveDate,
    pub program: String,
}

schema_enum! {
    /// Why the 45-day timeline does not run for a while:
    /// `timeline_exceptions[].reason` in case.v1.
    ExceptionReason {
        FamilyCircumstances = "family-circumstances",
        ConsentNotGiven = "consent-not-given",
    }
}

/// A referral to the school district and state education agency (303.414).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DistrictReferral {
    pub consent_on: NaiveDate,
    pub referred_on: Option<NaiveDate>,
}

/// A documented period the 45-day timeline does not run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelineException {
    pub reason: ExceptionReason,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub detail: Text,
    #[serde(default)]
    pub attempts: Vec<NaiveDate>,
    pub interim_plan: Option<Text>,
}

impl CaseFile {
    /// The family has the Part C procedural safeguards: a Part C child
    /// (one served past three under EIS Over 3 stays a Part C child). A
    /// postpartum woman, a child outside Part C and a child care program
    /// have the state program's grievance process instead.
    pub fn part_c_rights(&self) -> bool {
        self.part_c && self.client == Client::Child
    }
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
    pub relationship: Text,
    pub phone: String,
    pub email: Option<String>,
    pub language: String,
    /// The code of the language this person reads the family's papers in,
    /// when not the case's: they are made in it too.
    pub reads: Option<String>,
    pub interpreter: bool,
}

impl CaseFile {
    /// The languages the family's papers are made in: the case's, then each
    /// other language a family member reads, in the order they are listed.
    pub fn document_languages(&self) -> Vec<&str> {
        let mut languages = vec![self.language.as_str()];
        for reads in self.family.iter().filter_map(|m| m.reads.as_deref()) {
            if !languages.contains(&reads) {
                languages.push(reads);
            }
        }
        languages
    }

    /// The family members a paper in `lang` is made for: those who read it
    /// (the case's language for those who give none), else everyone.
    pub fn readers(&self, lang: &str) -> Vec<&FamilyMember> {
        let reads = |m: &FamilyMember| m.reads.as_deref().unwrap_or(&self.language) == lang;
        let readers: Vec<&FamilyMember> = self.family.iter().filter(|m| reads(m)).collect();
        if readers.is_empty() {
            self.family.iter().collect()
        } else {
            readers
        }
    }

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

schema_enum! {
    /// A plan meeting: `meetings[].type` in plan.v1.
    MeetingType {
        Initial = "initial",
        SixMonthReview = "six-month-review",
        Annual = "annual",
        Change = "change",
    }
}

impl MeetingType {
    /// The name a progress entry written at a meeting of this type gives
    /// it (`review` in the plan's progress entries).
    pub fn progress_review(self) -> ProgressReview {
        match self {
            MeetingType::Initial => ProgressReview::Initial,
            MeetingType::SixMonthReview => ProgressReview::SixMonth,
            MeetingType::Annual => ProgressReview::Annual,
            MeetingType::Change => ProgressReview::Other,
        }
    }
}

schema_enum! {
    /// Which review a progress entry was written at: `outcomes[].progress[].review`.
    ProgressReview {
        Initial = "initial",
        SixMonth = "six-month",
        Annual = "annual",
        Other = "other",
    }
}

schema_enum! {
    /// How often a service's sessions are counted: `services[].frequency.per`.
    Per {
        Week = "week",
        Month = "month",
    }
}

schema_enum! {
    /// Individual or group sessions: `services[].intensity`.
    Intensity {
        Individual = "individual",
        Group = "group",
    }
}

schema_enum! {
    /// How a service is given: `services[].method`.
    ServiceMethod {
        HomeVisit = "home-visit",
        Telehealth = "telehealth",
        Group = "group",
        CommunityVisit = "community-visit",
        Office = "office",
    }
}

schema_enum! {
    /// What a consent is for: `consents[].action`.
    ConsentAction {
        Initiation = "initiation",
        Change = "change",
        Continuation = "continuation",
        Decline = "decline",
    }
}

schema_enum! {
    /// A parent's answer for one service: `consents[].services[].decision`.
    Decision {
        Accepted = "accepted",
        Declined = "declined",
    }
}

schema_enum! {
    /// A parent's answer on the use of insurance: `consents[].insurance.public` and `.private`.
    InsuranceChoice {
        Consented = "consented",
        Declined = "declined",
        NotApplicable = "not-applicable",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanFile {
    pub meetings: Vec<Meeting>,
    pub family_assessment: FamilyAssessment,
    /// A child's present levels (a postpartum plan may give the baby's).
    pub present_levels: Option<PresentLevels>,
    /// A postpartum plan: her health.
    pub health: Option<Text>,
    /// A child care program's plan: the program and its needs.
    pub child_care: Option<ChildCare>,
    pub outcomes: Vec<Outcome>,
    pub services: Vec<ServiceRow>,
    #[serde(default)]
    pub other_services: Vec<OtherService>,
    pub consents: Vec<ConsentEvent>,
    pub billing: Option<Billing>,
    /// The notes of the plan written at the first meeting (a later meeting
    /// revises them with its own `notes`).
    pub notes: Option<Text>,
    pub family_delay: Option<FamilyDelay>,
}

/// A child care program's plan: the program and what it needs support with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildCare {
    pub setting: Text,
    pub needs: Text,
}

/// When the family's insurance was first billed (303.520).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Billing {
    pub public: Option<PublicBilling>,
    pub private: Option<PrivateBilling>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PublicBilling {
    /// The written notification, which comes before the first bill.
    pub notified_on: Option<NaiveDate>,
    pub first_billed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrivateBilling {
    pub first_billed_on: NaiveDate,
}

/// A delay of the initial plan meeting that the family asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FamilyDelay {
    pub requested_on: NaiveDate,
    pub until: Option<NaiveDate>,
    pub reason: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meeting {
    pub date: NaiveDate,
    #[serde(rename = "type")]
    pub kind: MeetingType,
    #[serde(default)]
    pub participants: Vec<Text>,
    /// The family assessment as revised at this meeting.
    pub family_assessment: Option<FamilyAssessment>,
    /// The present levels as revised at this meeting.
    pub present_levels: Option<PresentLevels>,
    /// A postpartum plan: her health as revised at this meeting.
    pub health: Option<Text>,
    /// The plan's notes as revised at this meeting.
    pub notes: Option<Text>,
    /// Who signs the plan of this meeting.
    #[serde(default)]
    pub signatures: Vec<Signature>,
    /// The record lists no one to sign this meeting's plan: `signatures`
    /// holds those who sign it (see `CaseRecord::list_plan_signers`), none
    /// signed yet, and the record is to list them.
    #[serde(skip)]
    pub signers_unlisted: bool,
    /// The meeting is kept in a review file of its own.
    #[serde(skip)]
    pub from_review: bool,
    /// Its place in plan.yaml's `meetings` (meetings are kept in date order,
    /// with the review files' among them).
    #[serde(skip)]
    pub in_file: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyAssessment {
    pub concerns: Text,
    pub priorities: Text,
    pub resources: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PresentLevels {
    pub physical: Text,
    pub cognitive: Text,
    pub communication: Text,
    pub social_emotional: Text,
    pub adaptive: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    pub number: u32,
    /// The meeting that added it, when not the first.
    pub added_on: Option<NaiveDate>,
    pub outcome: Text,
    pub criteria: Text,
    pub procedures: Text,
    pub target_date: NaiveDate,
    pub strategies: Vec<Text>,
    pub who_helps: Vec<Text>,
    #[serde(default)]
    pub progress: Vec<ProgressEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgressEntry {
    pub date: NaiveDate,
    pub review: ProgressReview,
    pub note: Text,
    /// The entry is kept in a review file.
    #[serde(skip)]
    pub from_review: bool,
}

/// One row of the services grid: as first agreed, with what later
/// meetings changed in `changes` (see `ServiceRow::as_of`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub id: String,
    /// The meeting that added it, when not the first.
    pub added_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ServiceChange>,
    pub service: Text,
    pub provider: Provider,
    pub frequency: Frequency,
    pub intensity: Intensity,
    pub minutes: u32,
    pub method: ServiceMethod,
    pub location: Text,
    /// The service coordination row, the coordinator's own service.
    #[serde(default)]
    pub service_coordination: bool,
    pub natural_environment: bool,
    pub justification: Option<Text>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub duration: Option<Text>,
    pub funding: Text,
    pub outcomes: Vec<u32>,
}

/// What one meeting changed in a service: only the elements given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceChange {
    pub on: NaiveDate,
    pub provider: Option<Provider>,
    pub frequency: Option<Frequency>,
    pub intensity: Option<Intensity>,
    pub minutes: Option<u32>,
    pub method: Option<ServiceMethod>,
    pub location: Option<Text>,
    pub natural_environment: Option<bool>,
    pub justification: Option<Text>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub duration: Option<Text>,
    pub funding: Option<Text>,
    pub outcomes: Option<Vec<u32>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    pub name: String,
    pub staff: Option<String>,
    pub agency: Option<String>,
    pub discipline: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Frequency {
    pub times: u32,
    pub per: Per,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtherService {
    pub service: Text,
    pub provider: Option<Text>,
    pub steps: Text,
    /// The meeting that added it, when not the first.
    pub added_on: Option<NaiveDate>,
    /// The meeting that took it off the plan.
    pub ended_on: Option<NaiveDate>,
}

impl OtherService {
    /// Whether the plan lists it on `date`.
    pub fn listed_on(&self, date: NaiveDate) -> bool {
        self.added_on.is_none_or(|added| added <= date)
            && self.ended_on.is_none_or(|ended| ended > date)
    }
}

/// A consent for initiation, change or continuation of services.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsentEvent {
    pub date: NaiveDate,
    /// For a consent to services (with `services`).
    pub action: Option<ConsentAction>,
    pub description: Text,
    #[serde(default)]
    pub services: Vec<ServiceDecision>,
    pub evaluation: Option<bool>,
    pub insurance: Option<InsuranceConsent>,
    #[serde(default)]
    pub release: Vec<Release>,
    pub explained: bool,
    pub native_language: Text,
    pub signatures: Vec<Signature>,
}

impl ConsentEvent {
    /// Whether the family's decisions on it are given: every signature of a
    /// parent, guardian or (for a child care program) director is given.
    /// Until then its form is a draft the family decides on, with no
    /// decision ticked, whatever the record holds.
    pub fn decided(&self) -> bool {
        self.signatures
            .iter()
            .filter(|s| s.role.gives_consent())
            .all(|s| s.signed_on.is_some())
    }

    /// The services (with their places in `services`) whose decision the
    /// signature `i` brings: none is written and `i` is the last signature
    /// giving the consent still owed (with it the consent is decided).
    pub fn undecided_by(&self, i: usize) -> Vec<(usize, &ServiceDecision)> {
        let gives = |(_, s): &(usize, &Signature)| s.role.gives_consent() && s.signed_on.is_none();
        let owed: Vec<usize> = self
            .signatures
            .iter()
            .enumerate()
            .filter(gives)
            .map(|(j, _)| j)
            .collect();
        if owed != [i] {
            return Vec::new();
        }
        (self.services.iter().enumerate())
            .filter(|(_, d)| d.decision.is_none())
            .collect()
    }

    /// What the form is named by: the action of a consent to services, else
    /// the first of evaluation, insurance and release it gives.
    pub fn subject(&self) -> &'static str {
        match self.action {
            Some(action) => action.name(),
            None if self.evaluation.is_some() => "evaluation",
            None if self.insurance.is_some() => "insurance",
            None => "release",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceDecision {
    pub service: String,
    /// None until the parent decides.
    pub decision: Option<Decision>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InsuranceConsent {
    pub public: Option<InsuranceChoice>,
    pub private: Option<InsuranceChoice>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Release {
    pub recipient: Text,
    pub records: Text,
}

// ---- review files ----

schema_enum! {
    /// Which review meeting a review file records: `type` in review.v1.
    ReviewType {
        SixMonthReview = "six-month-review",
        Annual = "annual",
    }
}

impl ReviewType {
    /// The plan meeting it is.
    pub fn meeting(self) -> MeetingType {
        match self {
            ReviewType::SixMonthReview => MeetingType::SixMonthReview,
            ReviewType::Annual => MeetingType::Annual,
        }
    }

    /// The name a progress entry gives this meeting (`review` in the
    /// plan's progress entries).
    pub fn progress_review(self) -> ProgressReview {
        match self {
            ReviewType::SixMonthReview => ProgressReview::SixMonth,
            ReviewType::Annual => ProgressReview::Annual,
        }
    }
}

/// One plan review meeting kept in a file of its own. Validation folds it
/// into the plan: its meeting joins the plan's meetings and its progress
/// entries the outcomes' progress, so documents and checks see one plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewFile {
    pub date: NaiveDate,
    #[serde(rename = "type")]
    pub kind: ReviewType,
    pub participants: Vec<Text>,
    pub progress: Vec<ReviewProgress>,
    /// A postpartum plan: her health as revised at this meeting.
    pub health: Option<Text>,
    /// The plan's notes as revised at this meeting.
    pub notes: Option<Text>,
    /// Who signs the plan of this meeting.
    #[serde(default)]
    pub signatures: Vec<Signature>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewProgress {
    pub outcome: u32,
    pub note: Text,
}

// ---- contacts*.yaml ----

schema_enum! {
    /// What happened when a contact note is an attempt that reached no one:
    /// `notes[].attempt` in contacts.v1.
    Attempt {
        NoAnswer = "no-answer",
        MessageLeft = "message-left",
        NumberNotInService = "number-not-in-service",
        NoOneHome = "no-one-home",
        MailReturned = "mail-returned",
        NoReply = "no-reply",
    }
}

impl Attempt {
    /// What happened, in words for a message.
    pub fn words(self) -> &'static str {
        match self {
            Attempt::NoAnswer => "no answer",
            Attempt::MessageLeft => "message left",
            Attempt::NumberNotInService => "number not in service",
            Attempt::NoOneHome => "no one home",
            Attempt::MailReturned => "mail returned",
            Attempt::NoReply => "no reply",
        }
    }
}

schema_enum! {
    /// What kind of contact a note records: `notes[].type` in contacts.v1.
    ContactKind {
        Visit = "visit",
        Phone = "phone",
        Email = "email",
        Text = "text",
        Meeting = "meeting",
        Other = "other",
    }
}

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
    pub kind: ContactKind,
    /// For an attempt that reached no one, what happened.
    pub attempt: Option<Attempt>,
    /// The plan service this contact delivered, by id.
    pub service: Option<String>,
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

impl ContactNote {
    /// An attempt that reached no one, as the exit lists it: its day and
    /// how the program tried (a returned letter is a letter); none for a
    /// contact that reached the family, or a meeting.
    pub fn exit_attempt(&self) -> Option<(NaiveDate, AttemptMethod)> {
        let attempt = self.attempt?;
        let method = match (attempt, self.kind) {
            (Attempt::MailReturned, _) => AttemptMethod::Letter,
            (_, ContactKind::Visit) => AttemptMethod::Visit,
            (_, ContactKind::Phone) => AttemptMethod::Phone,
            (_, ContactKind::Email) => AttemptMethod::Email,
            (_, ContactKind::Text) => AttemptMethod::Text,
            (_, ContactKind::Meeting | ContactKind::Other) => return None,
        };
        Some((self.date, method))
    }

    /// The contact reached the family (it is not an attempt).
    pub fn reached(&self) -> bool {
        self.attempt.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSource {
    /// Shared by every note of the file.
    pub file: std::sync::Arc<std::path::Path>,
    pub index: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoteSignature {
    pub by: String,
    pub on: NaiveDate,
}

// ---- transition.yaml ----

schema_enum! {
    /// Which transition a plan is for: `type` in transition.v1.
    TransitionKind {
        PartC = "part-c",
        Postpartum = "postpartum",
        BeyondAgeSix = "beyond-age-six",
        ChildCareProgram = "child-care-program",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransitionPlan {
    #[serde(rename = "type")]
    pub kind: TransitionKind,
    pub written_on: NaiveDate,
    pub target_date: NaiveDate,
    pub school_district: Option<SchoolDistrict>,
    pub conference: Option<Conference>,
    pub potentially_eligible_part_b: Option<bool>,
    pub notification_opt_out: Option<OptOut>,
    pub eis_over_3: Option<EisOver3>,
    pub steps: Vec<TransitionStep>,
    #[serde(default)]
    pub program_options: Vec<Text>,
    pub parent_training: Option<Text>,
    pub preparing_child: Option<Text>,
    #[serde(default)]
    pub records_sent: Vec<RecordsSent>,
    pub receiving: Vec<Receiving>,
    pub outcomes_status: Option<Text>,
    pub family_next_steps: Text,
    pub family_participation: Option<Text>,
    pub signatures: Vec<Signature>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SchoolDistrict {
    pub name: String,
    pub contact: String,
    pub notified_on: Option<NaiveDate>,
    pub sea_notified_on: Option<NaiveDate>,
}

/// One of the two the transition notification goes to (303.209(b)(1)(i)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notified {
    /// Who, in a coordinator's words.
    pub who: &'static str,
    /// The element that holds the day, in `school_district`.
    pub element: &'static str,
    pub on: Option<NaiveDate>,
}

impl SchoolDistrict {
    /// The school district (the local education agency) and the state
    /// education agency, each with the day it was notified: the lead agency
    /// notifies both (303.209(b)(1)(i)).
    pub fn notifications(&self) -> [Notified; 2] {
        [
            Notified {
                who: "the school district",
                element: "notified_on",
                on: self.notified_on,
            },
            Notified {
                who: "the state education agency",
                element: "sea_notified_on",
                on: self.sea_notified_on,
            },
        ]
    }

    /// The day both were notified by: the later of the two, once both are.
    pub fn both_notified(&self) -> Option<NaiveDate> {
        Some(self.notified_on?.max(self.sea_notified_on?))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Conference {
    pub date: NaiveDate,
    pub family_approved_on: Option<NaiveDate>,
    #[serde(default)]
    pub participants: Vec<String>,
}

/// The parents' written choice of Birth to Three services until the school
/// year begins (EIS Over 3, 303.211).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EisOver3 {
    pub part_b_eligible_on: NaiveDate,
    pub chosen_in_writing_on: NaiveDate,
    pub school_year_starts: NaiveDate,
    pub annual_notice_on: Option<NaiveDate>,
}

/// The family's opt-out of the transition notification.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OptOut {
    pub on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransitionStep {
    pub step: Text,
    pub who: Text,
    pub by: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordsSent {
    pub records: Text,
    pub to: Text,
    pub consent_on: NaiveDate,
    /// The day they were sent, on or after the consent.
    pub sent_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Receiving {
    pub service: String,
    pub contact: String,
}

// ---- exit.yaml ----

schema_enum! {
    /// Why services end: `reason` in exit.v1.
    ExitReason {
        CouldNotReach = "could-not-reach",
        Completed = "completed",
        Moved = "moved",
        FamilyChoice = "family-choice",
        Transferred = "transferred",
        TurnedThree = "turned-three",
        Other = "other",
    }
}

impl ExitReason {
    /// The reason in the desk's words, finishing "The case ends: ...".
    pub fn words(self) -> &'static str {
        match self {
            ExitReason::CouldNotReach => "the family could not be reached",
            ExitReason::Completed => "the outcomes are met",
            ExitReason::Moved => "the family moved",
            ExitReason::FamilyChoice => "the family chose to leave",
            ExitReason::Transferred => "transferred to another program",
            ExitReason::TurnedThree => "the child turned three",
            ExitReason::Other => "another reason",
        }
    }

    /// Whether an exit for this reason has the optional element `element`
    /// of exit.v1: the attempts for a family that could not be reached,
    /// the new address for one that moved, the transfer for one that went
    /// to another program; the program that takes the child next for any
    /// reason but those two.
    pub fn uses(self, element: &str) -> bool {
        match element {
            "attempts" => self == ExitReason::CouldNotReach,
            "new_address" => self == ExitReason::Moved,
            "transfer" => self == ExitReason::Transferred,
            "next_program" => self != ExitReason::CouldNotReach,
            _ => true,
        }
    }
}

schema_enum! {
    /// How the program tried to reach a family: `attempts[].method` in exit.v1.
    AttemptMethod {
        Phone = "phone",
        Letter = "letter",
        Email = "email",
        Text = "text",
        Visit = "visit",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExitRecord {
    pub reason: ExitReason,
    pub reason_detail: Option<Text>,
    pub exit_date: NaiveDate,
    pub letter_date: NaiveDate,
    /// A family that moved: where the letter goes.
    pub new_address: Option<Address>,
    pub next_program: Option<NextProgram>,
    pub transfer: Option<Transfer>,
    #[serde(default)]
    pub attempts: Vec<ContactAttempt>,
    pub signatures: Vec<Signature>,
}

/// The program a family goes on to: where it moved, or the one it chose.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NextProgram {
    pub name: String,
    pub phone: Option<String>,
    pub contact: Option<String>,
}

/// A transfer to another program: the release it rests on and what was
/// handed over.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Transfer {
    pub release_on: NaiveDate,
    pub records: Text,
    pub sent_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContactAttempt {
    pub date: NaiveDate,
    pub method: AttemptMethod,
    pub detail: Option<Text>,
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
    pub notices: Option<NoticesFile>,
    pub access: Option<AccessFile>,
}

// ---- access.yaml ----

/// Who saw the family's records (303.406) and the parent's requests to see
/// them (303.405).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessFile {
    #[serde(default)]
    pub access: Vec<AccessEntry>,
    #[serde(default)]
    pub requests: Vec<AccessRequest>,
}

/// A party outside the program that obtained access to the records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessEntry {
    pub party: Text,
    pub date: NaiveDate,
    pub purpose: Text,
    pub records: Text,
    /// The parent's consent to release the records that it rests on.
    pub consent_on: Option<NaiveDate>,
}

/// A parent's request to inspect and review the record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessRequest {
    pub by: String,
    pub requested_on: NaiveDate,
    pub records: Option<Text>,
    pub met_on: Option<NaiveDate>,
    pub how: Option<Text>,
}

impl AccessRequest {
    /// The days within which a request to see the record is met (303.405(a)).
    pub const DAYS: u64 = 10;

    /// The day the request must be met by: 10 days after it, or before an
    /// earlier plan meeting of `plan` (303.405(a): "before any meeting
    /// regarding an IFSP"), whichever comes first.
    pub fn due_by(&self, plan: Option<&PlanFile>) -> (NaiveDate, Option<NaiveDate>) {
        let ten = self.requested_on + chrono::Days::new(Self::DAYS);
        let meeting = (plan.iter().flat_map(|p| &p.meetings))
            .map(|m| m.date)
            .filter(|d| *d > self.requested_on && *d <= ten)
            .min();
        match meeting {
            Some(m) => (m.pred_opt().unwrap_or(m), Some(m)),
            None => (ten, None),
        }
    }
}

// ---- notices.yaml ----

schema_enum! {
    /// What a prior written notice is about: `prior_written[].action` in notices.v1.
    NoticeAction {
        Screening = "screening",
        Evaluation = "evaluation",
        Eligibility = "eligibility",
        NotEligible = "not-eligible",
        Services = "services",
        Change = "change",
        Refusal = "refusal",
        Exit = "exit",
    }
}

impl NoticeAction {
    /// A finding of eligibility follows the evaluation: its notice is dated
    /// on or after the finding, not before.
    pub fn is_finding(self) -> bool {
        matches!(self, NoticeAction::Eligibility | NoticeAction::NotEligible)
    }

    /// The action in words, for messages.
    pub fn words(self) -> &'static str {
        match self {
            NoticeAction::Screening => "screening",
            NoticeAction::Evaluation => "evaluation and assessment",
            NoticeAction::Eligibility => "finding of eligibility",
            NoticeAction::NotEligible => "finding that the child is not eligible",
            NoticeAction::Services => "start of services",
            NoticeAction::Change => "change of services",
            NoticeAction::Refusal => "refusal",
            NoticeAction::Exit => "exit",
        }
    }
}

/// The written notices the family was given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NoticesFile {
    #[serde(default)]
    pub prior_written: Vec<PriorWrittenNotice>,
    #[serde(default)]
    pub meetings: Vec<MeetingNotice>,
}

/// A prior written notice (303.421).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PriorWrittenNotice {
    pub action: NoticeAction,
    pub date: NaiveDate,
    pub given_on: NaiveDate,
    pub reasons: Text,
    pub request: Option<Text>,
    pub translated: Option<Translated>,
}

/// How a notice was given where the parent's language is not written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Translated {
    pub how: String,
    pub by: String,
    pub on: NaiveDate,
    pub understood: bool,
}

/// The written notice of a plan meeting (303.342(d)(2)).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeetingNotice {
    pub date: NaiveDate,
    pub given_on: NaiveDate,
    pub time: String,
    pub place: Text,
    pub invited: Vec<Text>,
}

/// Which record a list of signatures belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// A consent occasion, by its place in `CaseRecord::consents`.
    Consent(usize),
    /// A plan meeting's plan, by the meeting's place in the plan.
    Meeting(usize),
    Transition,
    Exit,
}

/// The signatures one document lists, where the record keeps them, and the
/// day they were asked for.
pub struct SignatureList<'a> {
    pub signed: Signed,
    /// The record lists these signatures (false for a meeting that lists
    /// no one: `signatures` are then those who sign its plan).
    pub listed: bool,
    /// The document in a coordinator's words: "the consent of 2026-03-27 (evaluation)".
    pub document: String,
    /// The document's date: from then a signature it lists is owed.
    pub since: NaiveDate,
    pub file: Kind,
    /// The JSON pointer of the list in `file`.
    pub pointer: String,
    /// For a meeting kept in a review file: that file's date.
    pub review: Option<NaiveDate>,
    pub signatures: &'a [Signature],
}

impl<'a> SignatureList<'a> {
    /// Where the record keeps the signer `j` of the list: its entry, or,
    /// for a meeting that lists no one, the meeting that is to.
    pub fn entry_pointer(&self, j: usize) -> String {
        match self.listed {
            true => format!("{}/{j}", self.pointer),
            false => (self.pointer.strip_suffix("/signatures"))
                .unwrap_or(&self.pointer)
                .to_string(),
        }
    }

    /// How a signature received is written in the record, in a
    /// coordinator's words (a clause, to begin a sentence or follow one).
    pub fn how_to_record(&self) -> &'static str {
        match self.listed {
            true => "once signed, add `signed_on` and `method` to this entry",
            false => {
                "the meeting lists no one to sign its plan: add `signatures` to it, an entry for each \
                 signer (role and name) with `signed_on` and `method` once signed"
            }
        }
    }

    /// The signatures not given yet, with their places in the list.
    pub fn owed(&self) -> impl Iterator<Item = (usize, &'a Signature)> + use<'a> {
        let signatures: &'a [Signature] = self.signatures;
        signatures
            .iter()
            .enumerate()
            .filter(|(_, s)| s.signed_on.is_none())
    }
}

impl CaseRecord {
    /// Gives each plan meeting that lists no one to sign its plan those who
    /// sign it, none signed yet: the first family member (a child care
    /// program's director) and the coordinator. Its plan then prints their
    /// lines and is a draft until the record lists them signed.
    pub fn list_plan_signers(&mut self, program: &ProgramFile) {
        let blank = |role, name: &str| Signature {
            role,
            name: name.to_string(),
            signed_on: None,
            method: None,
        };
        let mut signers = Vec::new();
        if let Some(first) = self.case.family.first() {
            let role = match self.case.client {
                Client::ChildCareProgram => SignerRole::Director,
                _ => SignerRole::Parent,
            };
            signers.push(blank(role, &first.name));
        }
        if let Some(staff) = program.staff(&self.case.coordinator) {
            signers.push(blank(SignerRole::Coordinator, &staff.name));
        }
        let meetings = self.plan.iter_mut().flat_map(|p| &mut p.meetings);
        for meeting in meetings.filter(|m| m.signatures.is_empty()) {
            meeting.signatures = signers.clone();
            meeting.signers_unlisted = true;
        }
    }

    /// The state whose rules and words apply to the case: its own
    /// `state`, else its program's.
    pub fn profile(&self, program: &ProgramFile) -> State {
        self.case.state.unwrap_or(program.program.state)
    }

    /// Whose words the case's documents use: its state's (`CT`, `VT`), and
    /// for a Vermont Part C child, CIS Early Intervention's (`VT-part-c`).
    pub fn words_profile(&self, program: &ProgramFile) -> String {
        let state = self.profile(program);
        if self.case.part_c && state == State::VT {
            format!("{state}-part-c")
        } else {
            state.to_string()
        }
    }

    /// Every list of signatures a document of the case prints: each
    /// consent occasion, each meeting's plan, the transition plan and the
    /// exit letter. `render --final`, `check` and `due` all ask this.
    pub fn signature_lists(&self) -> Vec<SignatureList<'_>> {
        let mut lists = Vec::new();
        for (n, (kind, i, c)) in self.consents().enumerate() {
            lists.push(SignatureList {
                signed: Signed::Consent(n),
                listed: true,
                document: format!("the consent of {} ({})", c.date, c.subject()),
                since: c.date,
                file: kind,
                pointer: format!("/consents/{i}/signatures"),
                review: None,
                signatures: &c.signatures,
            });
        }
        for (i, m) in self.plan.iter().flat_map(|p| &p.meetings).enumerate() {
            let (file, pointer) = if m.from_review {
                (Kind::Review, "/signatures".to_string())
            } else {
                (Kind::Plan, format!("/meetings/{}/signatures", m.in_file))
            };
            lists.push(SignatureList {
                signed: Signed::Meeting(i),
                listed: !m.signers_unlisted,
                document: format!("the plan of the meeting of {}", m.date),
                since: m.date,
                file,
                pointer,
                review: m.from_review.then_some(m.date),
                signatures: &m.signatures,
            });
        }
        if let Some(t) = &self.transition {
            lists.push(SignatureList {
                signed: Signed::Transition,
                listed: true,
                document: "the transition plan".into(),
                since: t.written_on,
                file: Kind::Transition,
                pointer: "/signatures".into(),
                review: None,
                signatures: &t.signatures,
            });
        }
        if let Some(e) = &self.exit {
            lists.push(SignatureList {
                signed: Signed::Exit,
                listed: true,
                document: "the exit letter".into(),
                since: e.letter_date,
                file: Kind::Exit,
                pointer: "/signatures".into(),
                review: None,
                signatures: &e.signatures,
            });
        }
        lists
    }

    /// Every consent occasion, the case file's (before a plan) first, then
    /// the plan's: the record kind that holds it, its position there, and
    /// the consent.
    pub fn consents(&self) -> impl Iterator<Item = (Kind, usize, &ConsentEvent)> {
        let case = self
            .case
            .consents
            .iter()
            .enumerate()
            .map(|(i, c)| (Kind::Case, i, c));
        let plan = self.plan.iter().flat_map(|p| {
            p.consents
                .iter()
                .enumerate()
                .map(|(i, c)| (Kind::Plan, i, c))
        });
        case.chain(plan)
    }

    /// The newest date in the record files of the kinds `kinds`: the date of
    /// the record data a document is made from, printed in its footer and its
    /// creation date when the records are not in git.
    pub fn newest_date(&self, kinds: &[Kind]) -> NaiveDate {
        let record = self;
        let has = |kind: Kind| kinds.contains(&kind);
        let mut dates = vec![record.case.referral_date];
        dates.extend(record.case.eligibility_date);
        for c in &record.case.consents {
            dates.push(c.date);
            dates.extend(c.signatures.iter().filter_map(|s| s.signed_on));
        }
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
            dates.extend(
                plan.meetings
                    .iter()
                    .flat_map(|m| &m.signatures)
                    .filter_map(|s| s.signed_on),
            );
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
        if let Some(a) = record.access.as_ref().filter(|_| has(Kind::Access)) {
            dates.extend(a.access.iter().map(|e| e.date));
            dates.extend(
                a.requests
                    .iter()
                    .flat_map(|r| [Some(r.requested_on), r.met_on])
                    .flatten(),
            );
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

/// The days casepaper works with: a day a command or a page is asked to
/// hold the records to lies in them, so every date counted from it (a
/// month, a year, 45 days on) is a real day of the calendar.
pub const DAYS: std::ops::RangeInclusive<NaiveDate> = NaiveDate::from_ymd_opt(1900, 1, 1)
    .expect("a day")
    ..=NaiveDate::from_ymd_opt(2199, 12, 31).expect("a day");

/// The day on this computer's clock: what a command or page is held to
/// when no `--as-of` names another.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A date in a coordinator's words, for messages: `March 2, 2026`.
pub fn day(date: NaiveDate) -> String {
    date.format("%B %-d, %Y").to_string()
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

    #[test]
    fn a_review_meeting_is_a_plan_meeting_and_names_its_progress_entries() {
        for review in ReviewType::ALL {
            assert_eq!(review.meeting().name(), review.name());
        }
        assert_eq!(
            ReviewType::SixMonthReview.progress_review(),
            ProgressReview::SixMonth
        );
        assert_eq!(ReviewType::Annual.progress_review(), ProgressReview::Annual);
    }
}
