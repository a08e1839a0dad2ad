//! A synthetic, fictional caseload for benchmarks, shared by the
//! `gen-caseload` and `bench` examples. Deterministic: the same N and seed
//! give the same files, byte for byte.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }
}

const FIRST: &[&str] = &[
    "Ava", "Noah", "Mia", "Liam", "Zoe", "Owen", "Ruby", "Theo", "Ivy", "Milo", "Nora", "Ezra",
    "Lena", "Jude", "Cora", "Felix", "Hazel", "Rowan", "Iris", "Silas",
];
const PARENT: &[&str] = &[
    "Alex", "Jordan", "Sam", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Robin", "Drew",
];
const LAST: &[&str] = &[
    "Alder", "Birch", "Cedar", "Dunmore", "Ellery", "Fenwick", "Garland", "Hollis", "Ingram",
    "Jessup", "Kenyon", "Lorimer", "Marlow", "Norcott", "Oakes", "Prentice",
];
const TOWNS: &[&str] = &[
    "Preston",
    "Norwich",
    "Ledyard",
    "Griswold",
    "Montville",
    "Lisbon",
];
/// Connecticut coordinators of the sample program file.
const COORDINATORS: &[(&str, &str)] = &[("mlopez", "Marisol Lopez"), ("jokafor", "Jonah Okafor")];
const SERVICES: &[(&str, &str)] = &[
    ("Speech-language therapy", "Speech-language pathology"),
    (
        "Developmental intervention",
        "Early childhood special education",
    ),
    ("Occupational therapy", "Occupational therapy"),
    ("Physical therapy", "Physical therapy"),
    ("Feeding therapy", "Occupational therapy"),
    ("Family training", "Early childhood special education"),
    ("Audiology follow-up", "Audiology"),
    ("Vision services", "Vision"),
    ("Nutrition consultation", "Nutrition"),
    ("Assistive technology", "Occupational therapy"),
    ("Social work", "Social work"),
    ("Nursing consultation", "Nursing"),
    ("Psychology consultation", "Psychology"),
];
const OUTCOMES: &[&str] = &[
    "will tell us what he or she wants using words or signs during snack and play.",
    "will walk from the couch to the table without holding on.",
    "will feed himself or herself with a spoon at dinner.",
    "will play next to other children at the library story hour.",
    "will fall asleep in his or her own bed with a short routine.",
    "will take turns in a simple game with a brother or sister.",
    "will follow one-step directions during bath time.",
    "will try one new food each week.",
];
const SUMMARIES: &[&str] = &[
    "Home visit: practised the snack routine with signs for more and all done.",
    "Phone check-in: visits are going as planned; the family asked about summer programs.",
    "Visit at the grandmother's home: modelled waiting before handing over a toy.",
    "Reviewed the mealtime diary together; two new foods tasted this week.",
    "Email with the family about the next therapy schedule and a change of time.",
    "Team meeting at the home with the therapist; updated the strategies for outcome 2.",
];

fn d(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Writes `n` cases and the program file into `dir`; returns how many
/// record files were written.
pub fn write(dir: &Path, n: usize, seed: u64) -> Result<usize, String> {
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .next()
            .is_some()
    {
        return Err(format!("{} is not empty", dir.display()));
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    fs::write(
        dir.join("program.yaml"),
        include_str!("../../records/program.yaml"),
    )
    .map_err(|e| e.to_string())?;
    fs::write(
        dir.join("logo.svg"),
        include_bytes!("../../records/logo.svg"),
    )
    .map_err(|e| e.to_string())?;
    let mut files = 1;
    for i in 0..n {
        let mut rng = Rng(seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
        for (name, text) in case(i, &mut rng) {
            let folder = dir.join(format!("gen-{i:06}"));
            fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
            fs::write(folder.join(name), text).map_err(|e| e.to_string())?;
            files += 1;
        }
    }
    Ok(files)
}

/// The record files of case number `i`.
fn case(i: usize, rng: &mut Rng) -> Vec<(&'static str, String)> {
    let id = format!("gen-{i:06}");
    let child = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
    let surname = child.split(' ').nth(1).unwrap_or("Doe").to_string();
    let parent = format!("{} {surname}", rng.pick(PARENT));
    let (coord, coord_name) = *rng.pick(COORDINATORS);
    let exits = i % 5 == 4;
    let transitions = i.is_multiple_of(2);
    // A child without a transition plan is young enough not to need one yet.
    let months = rng.range(12, if transitions { 30 } else { 24 });
    let end = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let referral = (end - Months::new(months))
        .with_day(rng.range(1, 10))
        .unwrap();
    let born = referral
        - Months::new(rng.range(1, if transitions { 6 } else { 2 }))
        - chrono::Days::new(rng.range(0, 27).into());
    let third = born + Months::new(36);
    let eligibility = referral + chrono::Days::new(rng.range(10, 25).into());
    let evaluation_consent = referral + chrono::Days::new(3);
    let initial = referral + chrono::Days::new(rng.range(30, 44).into());
    // Services start a week after the plan meeting, service coordination first.
    let services_start = initial + chrono::Days::new(7);

    // Contact notes: 2 to 6 a month, every month from the referral.
    let mut notes = String::new();
    let mut last_note = referral;
    for m in 0..months {
        let month = (referral - chrono::Days::new(u64::from(referral.day() - 1))) + Months::new(m);
        let first_day = if m == 0 { referral.day() + 1 } else { 1 };
        let count = rng.range(2, 6);
        let mut days: Vec<u32> = (0..count).map(|_| rng.range(first_day, 28)).collect();
        days.sort_unstable();
        days.dedup();
        for day in days {
            let date = month.with_day(day).unwrap();
            last_note = date;
            let kind = *rng.pick(&["visit", "phone", "email", "meeting", "visit"]);
            let _ = write!(
                notes,
                "  - date: {}\n    start_time: \"{:02}:{}\"\n    minutes: {}\n    type: {kind}\n    participants: [\"{parent} (parent)\"]\n    summary: \"{}\"\n    next_steps: \"Next visit as planned.\"\n    signed: {{by: {coord}, on: {}}}\n",
                d(date),
                rng.range(8, 17),
                *rng.pick(&["00", "30"]),
                rng.range(2, 9) * 10,
                rng.pick(SUMMARIES),
                d(date),
            );
        }
    }
    let exit_date = last_note + chrono::Days::new(5);

    let mut files = vec![
        (
            "case.yaml",
            format!(
                "kind: case\nversion: 1\ncase_id: {id}\nclient: child\npart_c: true\nlanguage: en\nchild:\n  name: {child}\n  date_of_birth: {}\nfamily:\n  - name: {parent}\n    relationship: parent\n    phone: (860) 555-{:04}\n    language: English\n    interpreter: false\naddress:\n  street: {} Main Street\n  city: {}\n  state: CT\n  postal_code: \"06365\"\ncoordinator: {coord}\nreferral_date: {}\nevaluation_date: {e}\neligibility_date: {e}\nprogram_choice: {{chosen_on: {e}, program: River Valley Family Services}}\nconsents:\n  - date: {c}\n    description: The evaluation and assessment of the child's development.\n    evaluation: true\n    explained: true\n    native_language: English\n    signatures:\n      - {{role: parent, name: {parent}, signed_on: {c}, method: paper}}\n      - {{role: coordinator, name: {coord_name}, signed_on: {c}, method: paper}}\n",
                d(born),
                rng.range(0, 9999),
                rng.range(1, 400),
                rng.pick(TOWNS),
                d(referral),
                e = d(eligibility),
                c = d(evaluation_consent),
            ),
        ),
        (
            "contacts.yaml",
            format!("kind: contacts\nversion: 1\nnotes:\n{notes}"),
        ),
    ];

    // The plan: meetings every six months, outcomes, services, consents.
    let mut reviews = Vec::new();
    let mut next = initial + Months::new(6);
    while next < last_note {
        reviews.push(next);
        next = next + Months::new(6);
    }
    let mut plan = String::from("kind: plan\nversion: 1\nmeetings:\n");
    // Each meeting's plan signed on the day by the parent and the coordinator.
    let signed = |day: NaiveDate| {
        format!(
            "    signatures:\n      - {{role: parent, name: \"{parent}\", signed_on: {0}, method: paper}}\n      \
             - {{role: coordinator, name: \"{coord_name}\", signed_on: {0}, method: paper}}",
            d(day)
        )
    };
    let _ = writeln!(
        plan,
        "  - date: {}\n    type: initial\n    participants: [\"{parent} (parent)\", \"{coord_name} (service coordinator)\"]\n{}",
        d(initial),
        signed(initial)
    );
    for (k, r) in reviews.iter().enumerate() {
        let kind = if k % 2 == 1 {
            "annual"
        } else {
            "six-month-review"
        };
        let _ = writeln!(
            plan,
            "  - date: {}\n    type: {kind}\n    participants: [\"{parent} (parent)\", \"{coord_name} (service coordinator)\"]\n{}",
            d(*r),
            signed(*r)
        );
    }
    plan.push_str(
        "family_assessment:\n  concerns: The family is worried about words and meals.\n  priorities: Telling us what the child wants; calmer mealtimes.\n  resources: Grandparents nearby; the library story hour.\npresent_levels:\n  physical: Walks with one hand held.\n  cognitive: Completes a four-piece puzzle.\n  communication: About ten words.\n  social_emotional: Warm with family.\n  adaptive: Feeds self finger foods.\noutcomes:\n",
    );
    let outcome_count = rng.range(4, 8);
    for o in 1..=outcome_count {
        let _ = write!(
            plan,
            "  - number: {o}\n    outcome: {} {}\n    criteria: Seen on five of seven days over two weeks of family notes.\n    procedures: Family log and observation at visits.\n    target_date: {}\n    strategies:\n      - Wait with an expectant look before helping.\n      - Offer a choice of two and name both.\n    who_helps: [\"{parent}\", \"{coord_name}\"]\n",
            child.split(' ').next().unwrap_or("The child"),
            rng.pick(OUTCOMES),
            d(initial + Months::new(12)),
        );
        if !reviews.is_empty() {
            plan.push_str("    progress:\n");
            for r in &reviews {
                let _ = write!(
                    plan,
                    "      - date: {}\n        review: six-month\n        note: Steady progress; the family uses the strategies most days.\n",
                    d(*r)
                );
            }
        }
    }
    plan.push_str("services:\n");
    let service_count = rng.range(8, 14);
    let service_end = if exits {
        exit_date
    } else {
        third - chrono::Days::new(1)
    };
    let mut ids = Vec::new();
    for s in 0..service_count {
        let (name, discipline, provider) = if s == 0 {
            (
                "Service coordination",
                "Speech-language pathology",
                coord_name,
            )
        } else {
            let (n, dsc) = SERVICES[(s as usize - 1) % SERVICES.len()];
            // The coordinator is one of the family's direct providers.
            let provider = match s {
                1 => coord_name,
                _ => *rng.pick(&["Jonah Okafor", "Hannah Brandt", "Marisol Lopez"]),
            };
            (n, dsc, provider)
        };
        let sid = format!("service-{s}");
        let (staff, coordination) = if s == 1 {
            (format!(", staff: {coord}"), "")
        } else if s == 0 {
            (
                format!(", staff: {coord}"),
                "    service_coordination: true\n",
            )
        } else {
            (String::new(), "")
        };
        let _ = write!(
            plan,
            "  - id: {sid}\n    service: {name}\n    provider: {{name: {provider}{staff}, discipline: {discipline}}}\n    frequency: {{times: {}, per: {}}}\n    intensity: individual\n    minutes: {}\n    method: home-visit\n    location: Family home\n{coordination}    natural_environment: true\n    start_date: {}\n    end_date: {}\n    funding: Part C (Birth to Three)\n    outcomes: [{}]\n",
            rng.range(1, 4),
            rng.pick(&["week", "month"]),
            rng.range(3, 6) * 10,
            d(services_start),
            d(service_end),
            rng.range(1, outcome_count),
        );
        ids.push(sid);
    }
    plan.push_str("consents:\n");
    for (k, date) in std::iter::once(initial)
        .chain(reviews.iter().copied())
        .enumerate()
    {
        let action = if k == 0 { "initiation" } else { "continuation" };
        let _ = write!(
            plan,
            "  - date: {}\n    action: {action}\n    description: Services on the plan of {}.\n    services:\n",
            d(date),
            d(date)
        );
        for sid in &ids {
            let _ = writeln!(plan, "      - {{service: {sid}, decision: accepted}}");
        }
        if k == 0 {
            plan.push_str("    insurance: {public: not-applicable, private: consented}\n    release:\n      - recipient: The child's pediatrician\n        records: Evaluation report and plan (IFSP)\n");
        }
        let _ = write!(
            plan,
            "    explained: true\n    native_language: English\n    signatures:\n      - {{role: parent, name: {parent}, signed_on: {}, method: paper}}\n      - {{role: coordinator, name: {coord_name}, signed_on: {}, method: paper}}\n",
            d(date),
            d(date)
        );
    }
    files.push(("plan.yaml", plan));

    // The transition conference is a plan meeting too, with its notice.
    let conference = transitions.then(|| third - Months::new(6));
    if let Some(conference) = conference {
        files.push((
            "transition.yaml",
            format!(
                "kind: transition\nversion: 1\ntype: part-c\nwritten_on: {c}\ntarget_date: {t}\nschool_district:\n  name: {town} Public Schools\n  contact: Preschool coordinator, (860) 555-0123\n  notified_on: {notified}\n  sea_notified_on: {notified}\nconference:\n  date: {c}\n  family_approved_on: {approved}\n  participants: [\"{parent} (parent)\", \"{coord_name} (service coordinator)\"]\npotentially_eligible_part_b: true\nsteps:\n  - step: Notify the school district and the state education agency.\n    who: {coord_name}\n    by: {notify_by}\n    done_on: {notified}\n  - step: Eligibility and IEP meeting before the third birthday.\n    who: {town} Public Schools\n    by: {before}\nreceiving:\n  - service: {town} Public Schools preschool special education\n    contact: Preschool coordinator, (860) 555-0123\nfamily_next_steps: We will go to the IEP meeting.\nsignatures:\n  - {{role: parent, name: {parent}, signed_on: {c}, method: paper}}\n  - {{role: coordinator, name: {coord_name}, signed_on: {c}, method: paper}}\n",
                c = d(conference),
                t = d(third),
                town = rng.pick(TOWNS),
                notified = d(conference - chrono::Days::new(14)),
                approved = d(conference - chrono::Days::new(21)),
                notify_by = d(third - chrono::Days::new(90)),
                before = d(third - chrono::Days::new(1)),
            ),
        ));
    }
    // The notices each event owes: prior written notice of the evaluation,
    // the finding of eligibility, the start of services and an exit, and
    // the written notice of each plan meeting, ten days before.
    let mut notices = String::from("kind: notices\nversion: 1\nprior_written:\n");
    let mut notice = |action: &str, date: NaiveDate, given: NaiveDate| {
        let _ = write!(
            notices,
            "  - action: {action}\n    date: {}\n    given_on: {}\n    reasons: The team and the family agreed on this at their last meeting.\n",
            d(date),
            d(given)
        );
    };
    notice("evaluation", eligibility, evaluation_consent);
    notice("eligibility", eligibility, eligibility);
    notice("services", services_start, initial);
    if exits {
        notice("exit", exit_date, exit_date - chrono::Days::new(7));
    }
    notices.push_str("meetings:\n");
    let mut meetings: Vec<NaiveDate> = std::iter::once(initial)
        .chain(reviews.iter().copied())
        .collect();
    meetings.extend(conference.filter(|c| !meetings.contains(c)));
    for date in meetings {
        let _ = write!(
            notices,
            "  - date: {}\n    given_on: {}\n    time: \"10:00\"\n    place: The family home\n    invited: [\"{parent} (parent)\", \"{coord_name} (service coordinator)\"]\n",
            d(date),
            d(date - chrono::Days::new(10)),
        );
    }
    files.push(("notices.yaml", notices));

    if exits {
        let reason = *rng.pick(&["completed", "moved", "family-choice", "could-not-reach"]);
        let attempts = if reason == "could-not-reach" {
            format!(
                "attempts:\n  - {{date: {}, method: phone, detail: No answer; message left.}}\n  - {{date: {}, method: letter, detail: Letter asking the family to call.}}\n",
                d(last_note + chrono::Days::new(1)),
                d(last_note + chrono::Days::new(2))
            )
        } else {
            String::new()
        };
        files.push((
            "exit.yaml",
            format!(
                "kind: exit\nversion: 1\nreason: {reason}\nexit_date: {}\nletter_date: {}\n{attempts}signatures:\n  - {{role: coordinator, name: {coord_name}, signed_on: {}, method: paper}}\n",
                d(exit_date),
                d(last_note + chrono::Days::new(3)),
                d(last_note + chrono::Days::new(3)),
            ),
        ));
    }
    files
}
