//! Every sample document carries every required element: for each sample
//! case and each PDF, the test reads the record files and the translation
//! file of the case's language (with casepaper's own YAML loader), and finds
//! each element's label and value in the text extracted from the PDF.
//! Dates are expected the way the case's language writes them.

use crate::common;

use casepaper::testing::yaml;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{Test, normalize};
use serde_json::Value;

fn load(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    yaml::parse(text.as_str())
        .unwrap_or_else(|_| panic!("{} does not parse", path.display()))
        .value
}

/// One language's translation file, whose state words fill it (`CT`,
/// `VT`, `VT-part-c`), and whether a document in it addresses more than one
/// reader (it then uses a text's `@plural` form, where there is one).
struct Words(Value, String, bool);

impl Words {
    fn for_lang(lang: &str, profile: &str, case: &Value) -> Words {
        // The family members who read the language (all of them, when none
        // does), as `CaseFile::readers` counts them.
        let family = case["family"].as_array().unwrap();
        let reads = |m: &Value| {
            m["reads"]
                .as_str()
                .unwrap_or(case["language"].as_str().unwrap())
                == lang
        };
        let readers = match family.iter().filter(|m| reads(m)).count() {
            0 => family.len(),
            n => n,
        };
        Words(
            load(&common::repo().join(format!("templates/i18n/{lang}.yaml"))),
            profile.to_string(),
            readers > 1,
        )
    }

    /// A state word, `VT-part-c` falling back to `VT`.
    fn word(&self, name: &str) -> Option<&str> {
        let words = &self.0["words"];
        words[&self.1][name]
            .as_str()
            .or_else(|| words[self.1.split('-').next().unwrap()][name].as_str())
    }

    /// The text for a dotted key, with `{name}` filled in.
    fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut v = &self.0;
        let parts: Vec<&str> = key.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            let plural = format!("{part}@plural");
            let last = i + 1 == parts.len();
            v = (v.get(&plural).filter(|_| last && self.2))
                .or_else(|| v.get(*part))
                .unwrap_or_else(|| panic!("no translation `{key}`"));
        }
        let mut text = v.as_str().unwrap().to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        for name in ["system", "plan_name", "coordinator", "Coordinator"] {
            if let Some(word) = self.word(name) {
                text = text.replace(&format!("{{{name}}}"), word);
            }
        }
        text
    }

    /// `2026-03-02` as the language writes it.
    /// A time of day (`HH:MM`) as the translations write it (`date.time`,
    /// with the 12-hour clock's `date.periods`).
    fn time(&self, hhmm: &str) -> String {
        let (h, minute) = hhmm.split_once(':').unwrap();
        let hour: u32 = h.parse().unwrap();
        let period = self.0["date"]["periods"][usize::from(hour >= 12)]
            .as_str()
            .unwrap();
        let hour12 = match hour % 12 {
            0 => 12,
            h => h,
        };
        self.t(
            "date.time",
            &[
                ("hour", &hour.to_string()),
                ("hour12", &hour12.to_string()),
                ("minute", minute),
                ("period", period),
            ],
        )
    }

    fn date(&self, iso: &str) -> String {
        let parts: Vec<u32> = iso.split('-').map(|p| p.parse().unwrap()).collect();
        let month = self.0["date"]["months"][parts[1] as usize - 1]
            .as_str()
            .unwrap();
        self.t(
            "date.format",
            &[
                ("day", &parts[2].to_string()),
                ("month", month),
                ("year", &parts[0].to_string()),
            ],
        )
    }
}

/// `HH:MM`, as a record gives a time of day.
fn is_time(s: &str) -> bool {
    s.len() == 5
        && s.chars()
            .enumerate()
            .all(|(i, c)| if i == 2 { c == ':' } else { c.is_ascii_digit() })
}

fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Every value at a pointer pattern where `*` stands for each list index.
fn at<'a>(value: &'a Value, pattern: &str) -> Vec<&'a Value> {
    let mut current = vec![value];
    for part in pattern.split('/').filter(|p| !p.is_empty()) {
        let mut next = Vec::new();
        for v in current {
            if part == "*" {
                next.extend(v.as_array().into_iter().flatten());
            } else if let Some(child) = v.get(part) {
                next.push(child);
            }
        }
        current = next;
    }
    current
}

/// One case's record files, by kind, and the language its documents use.
struct Case {
    id: String,
    files: BTreeMap<String, Value>,
    contacts: Vec<Value>,
    words: Words,
    /// What the family's documents in this language end in (`-es`), where
    /// they are made in more than one.
    suffix: String,
}

/// Text a record gives by language (a mapping of language codes to text)
/// as a document in `lang` prints it: in `lang`, else the case's language.
fn in_language(value: &Value, lang: &str, case_lang: &str) -> Value {
    match value {
        Value::Object(map) => {
            let by_language = !map.is_empty()
                && map.iter().all(|(k, v)| {
                    k.len() == 2 && k.bytes().all(|b| b.is_ascii_lowercase()) && v.is_string()
                });
            if by_language {
                return map
                    .get(lang)
                    .or_else(|| map.get(case_lang))
                    .unwrap()
                    .clone();
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), in_language(v, lang, case_lang)))
                    .collect(),
            )
        }
        Value::Array(list) => Value::Array(
            list.iter()
                .map(|v| in_language(v, lang, case_lang))
                .collect(),
        ),
        other => other.clone(),
    }
}

impl Case {
    /// The case as each language's documents print it: the case's
    /// language, then each family member's `reads`.
    fn read_each_language(dir: &Path) -> Vec<Case> {
        let case = Case::read(dir);
        let case_lang = case.files["case"]["language"].as_str().unwrap().to_string();
        let mut languages = vec![case_lang.clone()];
        for m in case.files["case"]["family"].as_array().unwrap() {
            if let Some(reads) = m["reads"].as_str()
                && !languages.iter().any(|l| l == reads)
            {
                languages.push(reads.to_string());
            }
        }
        if languages.len() == 1 {
            return vec![case];
        }
        languages
            .iter()
            .map(|lang| Case {
                id: case.id.clone(),
                files: case
                    .files
                    .iter()
                    .map(|(k, v)| (k.clone(), in_language(v, lang, &case_lang)))
                    .collect(),
                contacts: case.contacts.clone(),
                words: Words::for_lang(lang, &case.words.1, &case.files["case"]),
                suffix: format!("-{lang}"),
            })
            .collect()
    }

    fn read(dir: &Path) -> Case {
        let mut files = BTreeMap::new();
        let mut contacts = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let value = load(&entry.unwrap().path());
            let kind = value["kind"].as_str().unwrap().to_string();
            if kind == "contacts" {
                contacts.extend(value["notes"].as_array().unwrap().iter().cloned());
            } else {
                files.insert(kind, value);
            }
        }
        let lang = files["case"]["language"].as_str().unwrap().to_string();
        // The case's state, else the program's; a Vermont Part C child's
        // words are CIS Early Intervention's.
        let program = load(&dir.parent().unwrap().join("program.yaml"));
        let state = files["case"]
            .get("state")
            .unwrap_or(&program["program"]["state"])
            .as_str()
            .unwrap()
            .to_string();
        let profile = if state == "VT" && files["case"]["part_c"] == true {
            "VT-part-c".to_string()
        } else {
            state
        };
        let words = Words::for_lang(&lang, &profile, &files["case"]);
        Case {
            id: files["case"]["case_id"].as_str().unwrap().to_string(),
            files,
            contacts,
            words,
            suffix: String::new(),
        }
    }

    fn file(&self, kind: &str) -> &Value {
        &self.files[kind]
    }

    /// A record value as the document prints it.
    fn printed(&self, value: &Value) -> Option<String> {
        match value {
            Value::String(s) if is_date(s) => Some(self.words.date(s)),
            Value::String(s) if is_time(s) => Some(self.words.time(s)),
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// Collects what a document must show and reports everything it lacks.
struct Expect<'a> {
    case: &'a Case,
    pdf: String,
    text: String,
    /// The text without its page footers: a sentence a page break cuts.
    body: String,
    missing: Vec<String>,
}

impl<'a> Expect<'a> {
    fn new(test: &Test, case: &'a Case, pdf: &str) -> Expect<'a> {
        let rel = format!("out/{}/{pdf}", case.id);
        let text = test.pdf_text(&rel);
        Expect {
            case,
            body: common::without_page_footers(&text, &case.id),
            text,
            pdf: rel,
            missing: Vec::new(),
        }
    }

    fn text(&mut self, expected: &str) {
        let expected = normalize(expected);
        if !self.text.contains(&expected) && !self.body.contains(&expected) {
            self.missing.push(expected);
        }
    }

    /// The translated label (the key in the case's language).
    fn label(&mut self, key: &str) {
        let label = self.case.words.t(key, &[]);
        self.text(label.trim_end_matches(':'));
    }

    fn labels(&mut self, keys: &[&str]) {
        for key in keys {
            self.label(key);
        }
    }

    /// Every value at each pointer pattern of a record value.
    fn values(&mut self, value: &Value, patterns: &[&str]) {
        for pattern in patterns {
            let found = at(value, pattern);
            assert!(!found.is_empty(), "{}: nothing at {pattern}", self.pdf);
            for v in found {
                if let Some(p) = self.case.printed(v) {
                    self.text(&p);
                }
            }
        }
    }

    /// Each signature: "Signed by ..." once given, else the blank line's label.
    fn signatures(&mut self, list: &Value) {
        let w = &self.case.words;
        for s in list.as_array().unwrap() {
            let name = s["name"].as_str().unwrap();
            // A parent's line gives the relationship the case records.
            let relationship = self.case.files["case"]["family"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["name"] == name && s["role"] == "parent")
                .map(|m| m["relationship"].as_str().unwrap().to_string());
            let role = relationship
                .unwrap_or_else(|| w.t(&format!("role.{}", s["role"].as_str().unwrap()), &[]));
            let expected = match s.get("signed_on") {
                Some(on) => w.t(
                    "signatures.signed",
                    &[
                        ("name", name),
                        ("role", &role),
                        ("date", &w.date(on.as_str().unwrap())),
                        (
                            "method",
                            &w.t(&format!("method.{}", s["method"].as_str().unwrap()), &[]),
                        ),
                    ],
                ),
                None => w.t("signatures.name_line", &[("role", &role), ("name", name)]),
            };
            self.text(&expected);
        }
    }

    fn done(self) -> Vec<String> {
        self.missing
            .into_iter()
            .map(|m| format!("{} lacks {m:?}", self.pdf))
            .collect()
    }
}

/// The letterhead, identification block and footer every document has.
fn common_parts(e: &mut Expect, program: &Value) {
    let case = e.case.file("case").clone();
    e.values(program, &["/program/name", "/program/phone"]);
    e.values(
        &case,
        &["/case_id", "/family/*/name", "/family/*/relationship"],
    );
    for key in ["id.family", "id.record", "id.coordinator"] {
        e.label(key);
    }
    if case["client"] == "child" {
        e.values(&case, &["/child/name", "/child/date_of_birth"]);
        e.labels(&["id.child", "id.date_of_birth"]);
    }
    let page = e.case.words.t("page.of", &[("page", "1"), ("pages", "")]);
    e.text(page.trim_end());
}

/// A service row as the plan had it on `date` (an ISO date): every change
/// agreed on or before it applied over the row.
fn service_as_of(service: &Value, date: &str) -> Value {
    let mut row = service.clone();
    for change in service
        .get("changes")
        .and_then(|c| c.as_array())
        .into_iter()
        .flatten()
    {
        if change["on"].as_str().unwrap() <= date {
            for (key, value) in change.as_object().unwrap() {
                if key != "on" {
                    row[key] = value.clone();
                }
            }
        }
    }
    row
}

/// The plan's service with this id, as of `date`.
fn plan_service(plan: &Value, id: &Value, date: &str) -> Value {
    let service = plan["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == *id)
        .unwrap();
    service_as_of(service, date)
}

/// What a consent form is named and titled by.
fn consent_subject(c: &Value) -> &str {
    if let Some(action) = c.get("action") {
        action.as_str().unwrap()
    } else if c.get("evaluation").is_some() {
        "evaluation"
    } else if c.get("insurance").is_some() {
        "insurance"
    } else {
        "release"
    }
}

/// A consent form; `index` 1000 and above is a consent of the case file.
fn consent(e: &mut Expect, index: usize) {
    let plan = e.case.files.get("plan").cloned().unwrap_or(Value::Null);
    let c = &if index >= 1000 {
        e.case.file("case")["consents"][index - 1000].clone()
    } else {
        plan["consents"][index].clone()
    };
    e.label(&format!("consent.title.{}", consent_subject(c)));
    e.labels(&[
        "consent.date",
        "consent.asked.heading",
        "consent.statements.voluntary",
        "signatures.heading",
    ]);
    e.values(c, &["/date", "/description"]);
    let language = e.case.words.t(
        "consent.statements.language",
        &[("language", c["native_language"].as_str().unwrap())],
    );
    e.text(&language);
    let date = c["date"].as_str().unwrap();
    if let Some(decisions) = c.get("services") {
        e.labels(&[
            "consent.services.heading",
            "consent.services.accept",
            "consent.services.decline",
            "consent.statements.explained",
        ]);
        // Each service as the plan had it on the consent's date.
        for d in decisions.as_array().unwrap() {
            let service = plan_service(&plan, &d["service"], date);
            e.values(
                &service,
                &[
                    "/service",
                    "/provider/name",
                    "/location",
                    "/funding",
                    "/start_date",
                ],
            );
        }
    } else {
        e.label("consent.statements.explained_activity");
    }
    if c.get("evaluation").is_some() {
        e.label("consent.evaluation.heading");
    }
    if let Some(insurance) = c.get("insurance") {
        e.label("consent.insurance.heading");
        for (which, key) in [
            ("private", "private_insurance"),
            ("public", "public_insurance"),
        ] {
            if let Some(choice) = insurance.get(which) {
                e.label(&format!("consent.other.{key}"));
                e.label(&format!("insurance.{}", choice.as_str().unwrap()));
            }
        }
    }
    if c.get("release").is_some() {
        e.label("consent.release.heading");
        e.values(c, &["/release/*/recipient", "/release/*/records"]);
    }
    e.signatures(&c["signatures"]);
}

/// The plan of one meeting: its date and type, the coordinator, who took
/// part, the family's information, outcomes and services as of that
/// meeting, and its signatures.
fn plan_document(e: &mut Expect, meeting: &Value, program: &Value) {
    let plan = e.case.file("plan").clone();
    let case = e.case.file("case").clone();
    let state = case
        .get("state")
        .unwrap_or(&program["program"]["state"])
        .as_str()
        .unwrap()
        .to_string();
    e.label(&format!("plan.title.{state}"));
    let date = meeting["date"].as_str().unwrap();
    let kind = e.case.words.t(
        &format!("meeting.{}", meeting["type"].as_str().unwrap()),
        &[],
    );
    let when = e.case.words.t(
        "plan.meeting_value",
        &[("date", &e.case.words.date(date)), ("type", &kind)],
    );
    e.text(&when);
    e.labels(&[
        "plan.meeting",
        "plan.coordinator",
        "plan.team.heading",
        "plan.services.heading",
    ]);
    e.values(meeting, &["/participants/*"]);
    e.values(
        &plan,
        &[
            "/family_assessment/concerns",
            "/family_assessment/priorities",
            "/family_assessment/resources",
        ],
    );
    for o in plan["outcomes"].as_array().unwrap() {
        if o.get("added_on")
            .is_none_or(|a| a.as_str().unwrap() <= date)
        {
            e.values(o, &["/outcome", "/criteria", "/target_date"]);
        }
    }
    for s in plan["services"].as_array().unwrap() {
        if s.get("added_on")
            .is_none_or(|a| a.as_str().unwrap() <= date)
        {
            let s = service_as_of(s, date);
            e.values(&s, &["/service", "/provider/name", "/location", "/funding"]);
        }
    }
    if let Some(signatures) = meeting.get("signatures") {
        e.signatures(signatures);
    } else {
        e.label("signatures.heading");
    }
}

fn services_grid(e: &mut Expect) {
    let plan = e.case.file("plan").clone();
    e.labels(&[
        "document.services-grid",
        "grid.service",
        "grid.frequency",
        "grid.method",
        "grid.location",
        "grid.natural",
        "grid.dates",
        "grid.funding",
        "grid.outcomes",
    ]);
    for s in plan["services"].as_array().unwrap() {
        // As the last meeting left it.
        let s = &service_as_of(s, "9999-12-31");
        e.values(
            s,
            &[
                "/service",
                "/provider/name",
                "/provider/discipline",
                "/location",
                "/start_date",
                "/funding",
            ],
        );
        let w = &e.case.words;
        let once = if s["frequency"]["times"] == 1 {
            "_one"
        } else {
            ""
        };
        let frequency = w.t(
            &format!("grid.frequency_value{once}"),
            &[
                ("times", &s["frequency"]["times"].to_string()),
                (
                    "per",
                    &w.t(
                        &format!("per.{}", s["frequency"]["per"].as_str().unwrap()),
                        &[],
                    ),
                ),
                (
                    "intensity",
                    &w.t(
                        &format!("intensity.{}", s["intensity"].as_str().unwrap()),
                        &[],
                    ),
                ),
                ("minutes", &s["minutes"].to_string()),
            ],
        );
        let method = w.t(
            &format!("service_method.{}", s["method"].as_str().unwrap()),
            &[],
        );
        e.text(&frequency);
        e.text(&method);
        if s.get("end_date").is_some() {
            e.values(s, &["/end_date"]);
        } else {
            e.values(s, &["/duration"]);
        }
        if s["natural_environment"] == false {
            e.values(s, &["/justification"]);
        }
    }
    if plan.get("other_services").is_some() {
        e.label("grid.other.heading");
        e.values(
            &plan,
            &["/other_services/*/service", "/other_services/*/steps"],
        );
    }
}

fn outcomes(e: &mut Expect) {
    let plan = e.case.file("plan").clone();
    e.labels(&[
        "document.outcomes",
        "outcomes.family.concerns",
        "outcomes.family.priorities",
        "outcomes.family.resources",
        "outcomes.list.criteria",
        "outcomes.list.procedures",
        "outcomes.list.target_date",
        "outcomes.list.who_helps",
        "outcomes.list.strategies",
    ]);
    e.values(
        &plan,
        &[
            "/family_assessment/concerns",
            "/family_assessment/priorities",
            "/family_assessment/resources",
            "/outcomes/*/outcome",
            "/outcomes/*/criteria",
            "/outcomes/*/procedures",
            "/outcomes/*/target_date",
            "/outcomes/*/strategies/*",
            "/outcomes/*/who_helps/*",
        ],
    );
    // A child's present levels, as the latest meeting revised them.
    let revised = plan["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.get("present_levels"))
        .next_back()
        .or(plan.get("present_levels"))
        .cloned();
    if let Some(levels) = revised {
        e.labels(&[
            "outcomes.levels.heading",
            "outcomes.levels.physical",
            "outcomes.levels.cognitive",
            "outcomes.levels.communication",
            "outcomes.levels.social_emotional",
            "outcomes.levels.adaptive",
        ]);
        e.values(
            &levels,
            &[
                "/physical",
                "/cognitive",
                "/communication",
                "/social_emotional",
                "/adaptive",
            ],
        );
    }
    if let Some(health) = plan.get("health") {
        e.label("outcomes.health.heading");
        if e.case
            .files
            .get("review")
            .and_then(|r| r.get("health"))
            .is_none()
        {
            e.text(health.as_str().unwrap());
        }
    }
    for o in plan["outcomes"].as_array().unwrap() {
        let heading = e.case.words.t(
            "outcomes.list.outcome",
            &[("number", &o["number"].to_string())],
        );
        e.text(&format!("{heading} {}", o["outcome"].as_str().unwrap()));
        if o.get("progress").is_some() {
            e.values(o, &["/progress/*/date", "/progress/*/note"]);
        }
    }
}

fn contacts(e: &mut Expect, program: &Value) {
    e.label("document.contacts");
    let notes = e.case.contacts.clone();
    for n in &notes {
        e.values(n, &["/date", "/summary", "/participants/*", "/signed/on"]);
        let w = &e.case.words;
        let kind = w.t(
            &format!("contact_type.{}", n["type"].as_str().unwrap()),
            &[],
        );
        let minutes = w.t(
            "contacts.minutes",
            &[("minutes", &n["minutes"].to_string())],
        );
        e.text(&kind);
        e.text(&minutes);
        let staff = program["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == n["signed"]["by"])
            .unwrap();
        let signed = e.case.words.t(
            "contacts.signed",
            &[
                ("name", staff["name"].as_str().unwrap()),
                ("credential", staff["credential"].as_str().unwrap()),
                (
                    "date",
                    &e.case.words.date(n["signed"]["on"].as_str().unwrap()),
                ),
            ],
        );
        e.text(&signed);
    }
}

fn transition(e: &mut Expect) {
    let t = e.case.file("transition").clone();
    let case = e.case.file("case").clone();
    e.label(&format!("transition.title.{}", t["type"].as_str().unwrap()));
    e.labels(&[
        "transition.written_on",
        "transition.target_date",
        "transition.steps.heading",
        "transition.receiving.heading",
        "transition.family.next_steps",
    ]);
    e.values(
        &t,
        &[
            "/written_on",
            "/target_date",
            "/steps/*/step",
            "/steps/*/who",
            "/steps/*/by",
            "/receiving/*/service",
            "/receiving/*/contact",
            "/family_next_steps",
        ],
    );
    if t["type"] == "part-c" {
        e.labels(&[
            "transition.dates.birthday",
            "transition.dates.notify_by",
            "transition.district.heading",
        ]);
        e.values(&t, &["/school_district/name", "/school_district/contact"]);
        // The third birthday is computed from the date of birth, and the
        // last day of services is the day before it.
        let birthday = third_birthday(&case);
        let line = format!(
            "{} {} {} {}",
            e.case.words.t("transition.dates.birthday_only", &[]),
            e.case.words.date(&birthday.to_string()),
            e.case.words.t("transition.dates.birthday", &[]),
            e.case.words.date(&birthday.pred_opt().unwrap().to_string())
        );
        e.text(&line);
    }
    e.signatures(&t["signatures"]);
}

/// The family's rights: a Part C child's the safeguards in full, anyone
/// else's the state program's grievance process, with no hearing; and the
/// complaint office of the case's state.
fn rights(e: &mut Expect, program: &Value) {
    let case = e.case.file("case").clone();
    let by_state = |key: &str| {
        case["state"]
            .as_str()
            .map(|st| format!("/program/{key}_by_state/{st}"))
            .filter(|p| !at(program, p).is_empty())
            .unwrap_or(format!("/program/{key}"))
    };
    if case["part_c"] == true && case["client"] == "child" {
        e.labels(&[
            "safeguards.heading",
            "safeguards.intro",
            "safeguards.contact",
        ]);
        for part in ["consent", "record", "disagree"] {
            e.label(&format!("safeguards.part.{part}"));
        }
        for part in [
            "consent",
            "decline",
            "notice",
            "confidentiality",
            "surrogate",
            "record",
            "access_log",
            "copies",
            "amend",
            "destruction",
            "mediation",
            "complaint",
            "hearing",
            "stay",
        ] {
            e.label(&format!("safeguards.{part}.title"));
            e.label(&format!("safeguards.{part}.text"));
        }
        let days = at(program, "/program/policies/due_process_days")
            .first()
            .and_then(|d| d.as_u64())
            .unwrap_or(30)
            .to_string();
        let due_process = e
            .case
            .words
            .t("safeguards.due_process.text", &[("days", &days)]);
        e.text(&due_process);
        e.labels(&[
            "safeguards.mediation.contact",
            "safeguards.due_process.contact",
        ]);
    } else {
        e.labels(&[
            "state_rights.heading",
            "state_rights.intro",
            "state_rights.record",
        ]);
        e.values(program, &[&by_state("grievance")]);
        let hearing = e.case.words.t("safeguards.hearing.title", &[]);
        if e.text.contains(hearing.trim_end_matches('.')) {
            e.missing
                .push(format!("no {hearing:?} for a family outside Part C"));
        }
    }
    e.values(program, &[&by_state("complaints")]);
}

/// A prior written notice: what is proposed and why, and the rights.
fn notice(e: &mut Expect, index: usize, program: &Value) {
    let n = e.case.file("notices")["prior_written"][index].clone();
    e.labels(&[
        "notice.title",
        "notice.given_on",
        "notice.why",
        "notice.contact.heading",
    ]);
    e.values(&n, &["/given_on", "/reasons"]);
    if n["action"] == "refusal" {
        e.values(&n, &["/request"]);
    }
    rights(e, program);
}

/// A plan meeting's notice: when, where, who is invited.
fn meeting_notice(e: &mut Expect, index: usize) {
    let n = e.case.file("notices")["meetings"][index].clone();
    e.labels(&[
        "meeting_notice.title",
        "meeting_notice.date",
        "meeting_notice.time",
        "meeting_notice.place",
        "meeting_notice.invited",
        "meeting_notice.copy",
    ]);
    e.values(&n, &["/date", "/given_on", "/time", "/place", "/invited/*"]);
}

/// A child's third birthday, from the case file's date of birth (29
/// February turns three on 28 February).
fn third_birthday(case: &Value) -> chrono::NaiveDate {
    let dob: chrono::NaiveDate = case["child"]["date_of_birth"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    dob.checked_add_months(chrono::Months::new(36)).unwrap()
}

fn exit_letter(e: &mut Expect, program: &Value) {
    let x = e.case.file("exit").clone();
    let case = e.case.file("case").clone();
    e.values(&x, &["/letter_date", "/exit_date"]);
    e.values(&case, &["/address/street", "/address/city"]);
    let w = &e.case.words;
    // A "turned three" letter written before the birthday says the child
    // turns three then.
    let reason = x["reason"].as_str().unwrap();
    let birthday = (case["child"].is_object()).then(|| third_birthday(&case));
    let ahead = reason == "turned-three"
        && birthday.is_some_and(|b| x["letter_date"].as_str().unwrap() < b.to_string().as_str());
    let birthday_words = birthday.map(|b| w.date(&b.to_string())).unwrap_or_default();
    let body = w.t(
        &format!("exit.body.{reason}{}", if ahead { "-ahead" } else { "" }),
        &[
            ("program", program["program"]["name"].as_str().unwrap()),
            ("date", &w.date(x["exit_date"].as_str().unwrap())),
            ("birthday", &birthday_words),
        ],
    );
    e.text(&body);
    e.labels(&[
        "exit.back.heading",
        "exit.rights.notice",
        "exit.coordinator.heading",
    ]);
    rights(e, program);
    if x["reason"] == "could-not-reach" {
        e.values(&x, &["/attempts/*/date", "/attempts/*/detail"]);
    }
    e.signatures(&x["signatures"]);
}

/// The notification about public benefits: every statement of
/// 303.520(a)(3), and the state's system of payments as the costs.
fn public_benefits(e: &mut Expect, program: &Value) {
    e.labels(&[
        "document.public-benefits-notice",
        "notice.given_on",
        "public_benefits.consent.heading",
        "public_benefits.consent.text",
        "public_benefits.protections.heading",
        "public_benefits.protections.enroll",
        "public_benefits.protections.cost",
        "public_benefits.protections.services",
        "public_benefits.withdraw.heading",
        "public_benefits.withdraw.text",
        "public_benefits.costs.heading",
        "public_benefits.costs.intro",
    ]);
    let case = e.case.file("case").clone();
    let payments = case["state"]
        .as_str()
        .map(|st| format!("/program/policies_by_state/{st}/payments"))
        .filter(|p| !at(program, p).is_empty())
        .unwrap_or("/program/policies/payments".into());
    e.values(program, &[&payments]);
}

/// The record of access: each party, its date and purpose, each release
/// the consents give, each request of the parent.
fn record_of_access(e: &mut Expect) {
    e.labels(&[
        "document.record-of-access",
        "access.parties.heading",
        "access.releases.heading",
        "access.requests.heading",
        "access.rights",
    ]);
    if let Some(access) = e.case.files.get("access").cloned() {
        e.values(
            &access,
            &[
                "/access/*/party",
                "/access/*/date",
                "/access/*/purpose",
                "/access/*/records",
            ],
        );
        e.values(&access, &["/requests/*/by", "/requests/*/requested_on"]);
    }
    for file in ["case", "plan"] {
        if let Some(f) = e.case.files.get(file).cloned()
            && !at(&f, "/consents/*/release/*/recipient").is_empty()
        {
            e.values(
                &f,
                &[
                    "/consents/*/release/*/recipient",
                    "/consents/*/release/*/records",
                ],
            );
        }
    }
}

#[test]
fn every_sample_document_shows_every_required_element() {
    let test = Test::samples();
    test.run(&["render", "records"]).assert_status(0);
    let program_file = load(&test.path("records/program.yaml"));
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut dirs: Vec<_> = fs::read_dir(test.path("records"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for case in dirs.iter().flat_map(|dir| Case::read_each_language(dir)) {
        // The program file's text as this copy prints it (text written
        // once is the program's language, English).
        let lang = match case.suffix.strip_prefix('-') {
            Some(lang) => lang.to_string(),
            None => case.files["case"]["language"].as_str().unwrap().to_string(),
        };
        let program = &in_language(&program_file, &lang, "en");
        let mut pdfs = Vec::new();
        if let Some(notices) = case.files.get("notices") {
            for (i, n) in notices["prior_written"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let name = format!(
                    "notice-{}-{}.pdf",
                    n["date"].as_str().unwrap(),
                    n["action"].as_str().unwrap()
                );
                pdfs.push((name, Some(i)));
            }
            for (i, n) in notices["meetings"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                pdfs.push((
                    format!("meeting-notice-{}.pdf", n["date"].as_str().unwrap()),
                    Some(i),
                ));
            }
        }
        let case_consents = case.files["case"]["consents"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (i, c) in case_consents.iter().enumerate() {
            let name = format!(
                "consent-{}-{}.pdf",
                c["date"].as_str().unwrap(),
                consent_subject(c)
            );
            pdfs.push((name, Some(1000 + i)));
        }
        if let Some(plan) = case.files.get("plan") {
            for (i, c) in plan["consents"].as_array().unwrap().iter().enumerate() {
                let name = format!(
                    "consent-{}-{}.pdf",
                    c["date"].as_str().unwrap(),
                    consent_subject(c)
                );
                pdfs.push((name, Some(i)));
            }
            let mut meetings: Vec<Value> = plan["meetings"].as_array().unwrap().clone();
            meetings.extend(case.files.get("review").cloned());
            for (i, m) in meetings.iter().enumerate() {
                pdfs.push((format!("plan-{}.pdf", m["date"].as_str().unwrap()), Some(i)));
            }
            pdfs.push(("services-grid.pdf".into(), None));
            pdfs.push(("outcomes.pdf".into(), None));
        }
        if !case.contacts.is_empty() {
            pdfs.push(("contacts.pdf".into(), None));
        }
        if case.files.contains_key("transition") {
            pdfs.push(("transition.pdf".into(), None));
        }
        if case.files.contains_key("exit") {
            pdfs.push(("exit-letter.pdf".into(), None));
        }
        let notified = case
            .files
            .get("plan")
            .map(|p| at(p, "/billing/public/notified_on"));
        for on in notified.into_iter().flatten() {
            pdfs.push((
                format!("public-benefits-notice-{}.pdf", on.as_str().unwrap()),
                None,
            ));
        }
        let releases = [case.files.get("case"), case.files.get("plan")]
            .into_iter()
            .flatten()
            .any(|f| !at(f, "/consents/*/release/*/recipient").is_empty());
        if case.files.contains_key("access") || releases {
            pdfs.push(("record-of-access.pdf".into(), None));
        }
        for (pdf, consent_index) in pdfs {
            if pdf == "contacts.pdf"
                && !case.suffix.is_empty()
                && case.suffix != format!("-{}", case.files["case"]["language"].as_str().unwrap())
            {
                // The contact sheet is the program's, in the case's language only.
                continue;
            }
            let file = match pdf.as_str() {
                "contacts.pdf" => pdf.clone(),
                _ => pdf.replace(".pdf", &format!("{}.pdf", case.suffix)),
            };
            let mut e = Expect::new(&test, &case, &file);
            common_parts(&mut e, program);
            match pdf.as_str() {
                "services-grid.pdf" => services_grid(&mut e),
                "outcomes.pdf" => outcomes(&mut e),
                "contacts.pdf" => contacts(&mut e, program),
                "transition.pdf" => transition(&mut e),
                "exit-letter.pdf" => exit_letter(&mut e, program),
                "record-of-access.pdf" => record_of_access(&mut e),
                p if p.starts_with("public-benefits-notice-") => public_benefits(&mut e, program),
                p if p.starts_with("notice-") => notice(&mut e, consent_index.unwrap(), program),
                p if p.starts_with("meeting-notice-") => {
                    meeting_notice(&mut e, consent_index.unwrap())
                }
                p if p.starts_with("plan-") => {
                    let plan = case.file("plan");
                    let mut meetings: Vec<Value> = plan["meetings"].as_array().unwrap().clone();
                    meetings.extend(case.files.get("review").cloned());
                    plan_document(&mut e, &meetings[consent_index.unwrap()], program);
                }
                _ => consent(&mut e, consent_index.unwrap()),
            }
            problems.extend(e.done());
            checked += 1;
        }
    }
    assert_eq!(checked, 94, "every sample document was checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_spanish_family_gets_spanish_text_and_dates() {
    let test = Test::samples();
    test.run(&["render", "records", "--only", "transition,consent"])
        .assert_status(0);
    let text = test.pdf_text("out/ct-2026-0058/transition.pdf");
    for expected in [
        "Plan de transición: salida de Birth to Three a los tres años",
        "Fecha de redacción: 10 de noviembre de 2026",
        "Tercer cumpleaños 3 de junio de 2027 Último día de los servicios de Birth to Three: el día anterior al \
         tercer cumpleaños (los servicios son para niños menores de tres años) 2 de junio de 2027",
        // One signer owed: "lo firme", and his recorded relationship.
        "BORRADOR: no es definitivo hasta que lo firme Andrés Ramírez (padre)",
        "Página 1 de 2",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
    for english in [
        "Date written",
        "Page 1",
        "DRAFT",
        "Signed by",
        "January",
        "June",
        "madre o padre",
    ] {
        assert!(!text.contains(english), "English {english:?} in\n{text}");
    }
    let consent = test.pdf_text("out/ct-2026-0058/consent-2026-04-10-initiation.pdf");
    assert!(
        consent.contains("Firmado por Lucía Ortega (madre) el 10 de abril de 2026, en papel."),
        "{consent}"
    );
}
