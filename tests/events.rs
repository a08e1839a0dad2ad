//! A case's later events at the desk, each through a form: every record
//! file as a form made from its schema, the meeting that changes the
//! plan, a parent's decline, the transition at three and the exit.

use crate::common;

use common::Test;
use common::web::{Server, form_values};

/// The record files of every sample case, as `case/file`.
fn sample_files(test: &Test) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for case in std::fs::read_dir(test.path("records")).unwrap() {
        let case = case.unwrap();
        if !case.file_type().unwrap().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(case.path()).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().to_string();
            if name.ends_with(".yaml") {
                out.push((case.file_name().to_string_lossy().to_string(), name));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_sample_record_file_opened_as_a_form_and_saved_unchanged_stays_byte_for_byte() {
    let test = Test::samples();
    let server = Server::start(&test);
    let files = sample_files(&test);
    assert!(files.len() >= 30, "{files:?}");
    let mut changed = Vec::new();
    for (case, file) in &files {
        let before = std::fs::read(test.path(&format!("records/{case}/{file}"))).unwrap();
        let path = format!("/case/{case}/form/{file}");
        let page = server.get(&path);
        assert_eq!(page.status, 200, "{path}: {}", page.text());
        let sent = form_values(&page.text());
        let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let answer = server.send(&path, &sent);
        let after = std::fs::read(test.path(&format!("records/{case}/{file}"))).unwrap();
        if answer.status != 303 || after != before {
            let (was, now) = (
                String::from_utf8_lossy(&before),
                String::from_utf8_lossy(&after),
            );
            let lost: Vec<&str> = was
                .lines()
                .filter(|l| !now.lines().any(|n| n == *l))
                .collect();
            let new: Vec<&str> = now
                .lines()
                .filter(|l| !was.lines().any(|n| n == *l))
                .collect();
            changed.push(format!(
                "{case}/{file}: {} {}\n- {}\n+ {}",
                answer.status,
                answer.header("location").unwrap_or_default(),
                lost.join("\n- "),
                new.join("\n+ ")
            ));
            std::fs::write(test.path(&format!("records/{case}/{file}")), &before).unwrap();
        } else {
            assert_eq!(
                answer.header("location"),
                Some(format!("/case/{case}?unchanged={file}").as_str())
            );
        }
    }
    assert!(changed.is_empty(), "{changed:#?}");
}

/// The form's fields as the page gives them, with `changes` made.
fn filled(page: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut sent = form_values(page);
    for (name, value) in changes {
        match sent.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value.to_string(),
            None => sent.push((name.to_string(), value.to_string())),
        }
    }
    sent
}

fn send(server: &Server, path: &str, sent: &[(String, String)]) -> common::web::Response {
    let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    server.send(path, &sent)
}

/// The sample family's change meeting of November 30, 2026, sent from its
/// form: the speech therapy to 45 minutes and a play group added.
fn change_meeting(server: &Server) -> common::web::Response {
    let path = "/case/ct-2026-0058/meeting";
    let page = server.get(path).text();
    let sent = filled(
        &page,
        &[
            ("meeting.date", "2026-11-30"),
            ("meeting.type", "change"),
            ("services.1.minutes", "45"),
            ("services.count", "3"),
            ("services.2.id", "juego"),
            ("services.2.service", "Grupo de juego"),
            ("services.2.provider.name", "Marisol Lopez"),
            (
                "services.2.provider.discipline",
                "Patología del habla y el lenguaje",
            ),
            ("services.2.frequency.times", "2"),
            ("services.2.frequency.per", "month"),
            ("services.2.intensity", "group"),
            ("services.2.minutes", "60"),
            ("services.2.method", "group"),
            ("services.2.location", "Biblioteca de Jewett City"),
            ("services.2.natural_environment", "true"),
            ("services.2.start_date", "2026-12-05"),
            ("services.2.end_date", "2027-06-02"),
            ("services.2.funding", "Parte C (Birth to Three)"),
            ("services.2.outcomes", "2"),
            ("progress.0.note", "Sofía dice unas 40 palabras."),
            (
                "consent.description",
                "Cambiar la terapia del habla a 45 minutos y añadir el grupo de juego.",
            ),
            ("consent.explained", "true"),
        ],
    );
    let answer = send(server, path, &sent);
    assert_eq!(answer.status, 303, "{}", answer.text());
    answer
}

#[test]
fn a_change_meeting_and_a_decline_are_written_as_the_plan_s_changes_and_its_consents() {
    let test = Test::samples();
    let server = Server::start(&test);
    let before = test.read("records/ct-2026-0058/plan.yaml");
    let answer = change_meeting(&server);
    // Then the prior written notice the change owes, pre-filled.
    assert_eq!(
        answer.header("location"),
        Some("/case/ct-2026-0058/notice?action=change&date=2026-11-30&saved=plan.yaml")
    );
    let meeting = "  - date: 2026-11-30
    type: change
    participants: [Lucía Ortega (madre), Andrés Ramírez (padre), Natalia Vega (coordinador/a de servicios)]
    signatures:
      - {role: parent, name: Lucía Ortega}
      - {role: parent, name: Andrés Ramírez}
      - {role: coordinator, name: Natalia Vega}
family_assessment:
";

    let juego = "  - id: juego
    added_on: 2026-11-30
    service: Grupo de juego
    provider: {name: Marisol Lopez, discipline: Patología del habla y el lenguaje}
    frequency: {times: 2, per: month}
    intensity: group
    minutes: 60
    method: group
    location: Biblioteca de Jewett City
    natural_environment: true
    start_date: 2026-12-05
    end_date: 2027-06-02
    funding: Parte C (Birth to Three)
    outcomes: [2]
other_services:
";
    let consent = "  - date: 2026-11-30
    action: change
    description: Cambiar la terapia del habla a 45 minutos y añadir el grupo de juego.
    explained: true
    native_language: español
    signatures:
      - {role: parent, name: Lucía Ortega}
      - {role: coordinator, name: Natalia Vega}
    services:
      - {service: habla}
      - {service: juego}
notes: \"Natalia";
    let expected = before
        .replacen("family_assessment:\n", meeting, 1)
        .replacen(
            "      - {date: 2026-10-09, review: six-month, note: Sofía usa unas 30 palabras y ya dice «más agua» y «mamá ven».}\n",
            "      - {date: 2026-10-09, review: six-month, note: Sofía usa unas 30 palabras y ya dice «más agua» y «mamá ven».}\n      - {date: 2026-11-30, review: other, note: Sofía dice unas 40 palabras.}\n",
            1,
        )
        .replacen(
            "    funding: Medicaid (HUSKY A)\n    outcomes: [1]\n",
            "    funding: Medicaid (HUSKY A)\n    outcomes: [1]\n    changes:\n      - {on: 2026-11-30, minutes: 45}\n",
            1,
        )
        .replacen("other_services:\n", juego, 1)
        .replacen("notes: \"Natalia", consent, 1);
    assert_eq!(test.read("records/ct-2026-0058/plan.yaml"), expected);

    // The parent declines the play group a week later: two clicks from
    // the case page.
    let case = server.get("/case/ct-2026-0058").text();
    let link = "/case/ct-2026-0058/decline?service=juego";
    assert!(case.contains(&format!("href=\"{link}\"")), "{case}");
    let page = server.get(link).text();
    let answer = send(&server, "/case/ct-2026-0058/decline", &filled(&page, &[]));
    assert_eq!(answer.status, 303, "{}", answer.text());
    let declined = expected
        .replacen(
            "    outcomes: [2]\nother_services:\n",
            "    outcomes: [2]\n    changes:\n      - {on: 2026-12-01, end_date: 2026-12-01}\nother_services:\n",
            1,
        )
        .replacen(
            "      - {service: juego}\n",
            "      - {service: juego}\n  - date: 2026-12-01\n    action: decline\n    description: Lucía Ortega rechazó el servicio «Grupo de juego» el 1 de diciembre de 2026; los demás servicios siguen igual.\n    services:\n      - {service: juego, decision: declined}\n    explained: true\n    native_language: español\n    signatures:\n      - {role: parent, name: Lucía Ortega, signed_on: 2026-12-01, method: paper}\n      - {role: coordinator, name: Natalia Vega, signed_on: 2026-12-01, method: paper}\n",
            1,
        );
    assert_eq!(test.read("records/ct-2026-0058/plan.yaml"), declined);
    test.run(&["validate", "records"]).assert_status(0);
    // Declined before it began, the play group is never delivered: no
    // consent is owed for it, the day it was to start or after.
    for day in ["2026-12-05", "2026-12-20"] {
        assert_eq!(
            common::findings_of(&test, day, &["consent-before-service"]),
            Vec::<String>::new(),
            "{day}"
        );
    }
    // The paper of the decline: a service declined before it started says
    // so, rather than ending before it begins.
    test.run(&["render", "records/ct-2026-0058"])
        .assert_status(0);
    let paper =
        common::normalize(&test.pdf_text("out/ct-2026-0058/consent-2026-12-01-decline.pdf"));
    assert!(
        paper.contains(
            "Lugar: Biblioteca de Jewett City Entorno natural: Sí Inicio y fin: Se canceló el 1 de diciembre de 2026, antes de \
             empezar (iba a empezar el 5 de diciembre de 2026) Financiamiento: Parte C (Birth to Three)"
        ),
        "{paper}"
    );
}

/// The items of the page's list of what the transition owes.
fn branch(page: &str) -> Vec<String> {
    let start = page.find("<section class=\"branch\"").expect("the branch");
    let section = &page[start..start + page[start..].find("</section>").unwrap()];
    section
        .split("<li>")
        .skip(1)
        .map(|li| li[..li.find("</li>").unwrap()].replace("&#x27;", "'"))
        .collect()
}

#[test]
fn the_transition_plan_starts_from_the_child_s_branch_of_303_209_and_its_dates() {
    let test = Test::samples();
    let server = Server::start(&test);
    let path = "/case/vt-2026-0077/transition";
    let page = server.get(path).text();
    assert_eq!(
        branch(&page),
        [
            "Third birthday: March 4, 2028. Part C services end on March 3, 2028, the day before.",
            "Found eligible on September 1, 2026, at least 90 days before the third birthday (303.209(b)(1)(i)).",
            "Notify the school district and the state education agency by December 5, 2027 (303.209(b)(1)(i)).",
            "With the family's approval, hold the transition conference with the school district between June 4, 2027 and December 5, 2027 (303.209(c)(1)).",
            "Write the transition plan, with its steps, between June 4, 2027 and December 5, 2027 (303.209(d)(2)).",
        ]
    );
    let sent = filled(
        &page,
        &[
            ("written_on", "2027-06-10"),
            (
                "school_district.name",
                "Bellows Falls Union School District",
            ),
            ("school_district.contact", "Ana Pratt, (802) 555-0190"),
            ("receiving.count", "1"),
            ("receiving.0.service", "Early Childhood Special Education"),
            ("receiving.0.contact", "Ana Pratt"),
            ("family_next_steps.en", "Visit the preschool in the fall."),
            ("family_next_steps.es", "Visitar el preescolar en el otoño."),
        ],
    );
    let answer = send(&server, path, &sent);
    assert_eq!(answer.status, 303, "{}", answer.text());
    assert_eq!(
        test.read("records/vt-2026-0077/transition.yaml"),
        "# yaml-language-server: $schema=../../schemas/transition.v1.yaml
kind: transition
version: 1
type: part-c
written_on: 2027-06-10
target_date: 2028-03-04
school_district:
  name: Bellows Falls Union School District
  contact: Ana Pratt, (802) 555-0190
steps:
  - step:
      en: Tell the school district and the state education agency that Owen Lachance turns three.
      es: Avisar al distrito escolar y a la agencia estatal de educación que Owen Lachance cumple tres años.
    who: {en: Tessa Quinn}
    by: 2027-12-05
  - step:
      en: Transition conference with the school district, with the family's approval.
      es: Conferencia de transición con el distrito escolar, con la aprobación de la familia.
    who: {en: Tessa Quinn}
    by: 2027-12-05
receiving:
  - {service: Early Childhood Special Education, contact: Ana Pratt}
family_next_steps: {en: Visit the preschool in the fall., es: Visitar el preescolar en el otoño.}
signatures:
  - {role: parent, name: Julie Lachance}
  - {role: parent, name: Marc Lachance}
  - {role: coordinator, name: Tessa Quinn}
"
    );
    test.run(&["validate", "records"]).assert_status(0);
    // Once written, the plan changes as a form, the branch above it.
    let answer = server.get(path);
    assert_eq!(answer.status, 303);
    assert_eq!(
        answer.header("location"),
        Some("/case/vt-2026-0077/form/transition.yaml")
    );
    let page = server.get("/case/vt-2026-0077/form/transition.yaml").text();
    assert_eq!(branch(&page).len(), 5, "{page}");
}

#[test]
fn the_exit_opened_for_its_reason_holds_what_that_reason_needs_and_its_letter_is_previewed_unsaved()
{
    let test = Test::samples();
    let server = Server::start(&test);
    // The family that could not be reached: the attempts since it was
    // last reached, from the notes (the letter noted as "other" is left
    // for the coordinator to add).
    let page = server
        .get("/case/ct-2026-0031/exit?reason=could-not-reach")
        .text();
    let attempts: Vec<(String, String)> = form_values(&page)
        .into_iter()
        .filter(|(k, _)| {
            k.starts_with("attempts.") && (k.ends_with(".date") || k.ends_with(".method"))
        })
        .collect();
    assert_eq!(
        attempts,
        [
            ("attempts.0.date", "2026-05-08"),
            ("attempts.0.method", "visit"),
            ("attempts.1.date", "2026-05-14"),
            ("attempts.1.method", "phone"),
            ("attempts.2.date", "2026-05-21"),
            ("attempts.2.method", "text"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    // A child turning three: services end the day before the birthday,
    // and the transition plan's receiving program is the next.
    let path = "/case/ct-2026-0058/exit?reason=turned-three";
    let page = server.get(path).text();
    let sent = form_values(&page);
    let value = |name: &str| {
        sent.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("reason"), "turned-three");
    // Only what the reason has: no new address, attempts or transfer.
    let elements: std::collections::BTreeSet<&str> = sent
        .iter()
        .map(|(k, _)| k.split('.').next().unwrap())
        .collect();
    assert_eq!(
        elements.into_iter().collect::<Vec<_>>(),
        [
            "csrf",
            "exit_date",
            "letter_date",
            "next_program",
            "reason",
            "reason_detail",
            "signatures"
        ]
    );
    assert_eq!(value("exit_date"), "2027-06-02");
    assert_eq!(
        value("next_program.name"),
        "Preescolar de educación especial de Griswold"
    );
    assert_eq!(value("next_program.contact"), "Paula Gil, (860) 555-0131");
    let filled = filled(
        &page,
        &[("letter_date", "2027-05-20"), ("preview", "letter")],
    );
    let preview = send(&server, "/case/ct-2026-0058/exit", &filled);
    assert_eq!(preview.status, 200, "{}", preview.text());
    assert_eq!(preview.header("content-type"), Some("application/pdf"));
    let pdf = test.path("preview.pdf");
    std::fs::write(&pdf, &preview.body).unwrap();
    let letter = common::normalize(&common::pdf_text(&pdf));
    assert!(letter.contains("2 de junio de 2027"), "{letter}");
    assert!(!test.path("records/ct-2026-0058/exit.yaml").exists());
    let sent: Vec<(String, String)> = filled.into_iter().filter(|(k, _)| k != "preview").collect();
    let saved = send(&server, "/case/ct-2026-0058/exit", &sent);
    assert_eq!(saved.status, 303, "{}", saved.text());
    test.run(&["validate", "records"]).assert_status(0);
}

#[test]
fn a_case_that_has_exited_offers_no_meeting_decline_transition_or_exit() {
    let test = Test::samples();
    let server = Server::start(&test);
    let open = server.get("/case/ct-2026-0058").text();
    let closed = server.get("/case/ct-2025-0117").text();
    for link in [
        "/meeting\"",
        "/decline?service=",
        "/transition\"",
        "/exit?reason=",
    ] {
        assert!(open.contains(link), "{link}");
        assert!(!closed.contains(link), "{link}");
    }
}

#[test]
fn the_parent_s_signature_on_a_change_consent_brings_the_decision_marked_on_each_service() {
    let test = Test::samples();
    let server = Server::start(&test);
    change_meeting(&server);
    let plan = "records/ct-2026-0058/plan.yaml";
    let before = test.read(plan);
    // The parent's row asks for a decision on each service of the consent;
    // the coordinator's does not.
    let case = server.get("/case/ct-2026-0058").text();
    let at = case
        .find("name=\"decision.habla\"")
        .expect("the decisions are asked");
    let form = &case[case[..at].rfind("<form method=\"post\"").unwrap()..];
    let row = &form[..form.find("</form>").unwrap()];
    assert!(
        row.contains("Decision on Terapia del habla y el lenguaje (habla)")
            && row.contains("Decision on Grupo de juego (juego)"),
        "{row}"
    );
    assert_eq!(case.matches("name=\"decision.habla\"").count(), 1, "{case}");
    let mut sent = form_values(form);
    let sign = |sent: &[(String, String)]| {
        let pairs: Vec<(&str, &str)> = (sent.iter())
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        server.post("/case/ct-2026-0058/sign", &pairs)
    };
    // Without the decisions, nothing is recorded and the page says why.
    let refused = sign(&sent);
    let location = refused.header("Location").unwrap_or_default().to_string();
    let problem: String = form_urlencoded::parse(
        location
            .split_once('?')
            .unwrap()
            .1
            .trim_end_matches("#signatures")
            .as_bytes(),
    )
    .find(|(k, _)| k == "problem")
    .map(|(_, v)| v.into_owned())
    .unwrap_or_default();
    assert_eq!(
        problem,
        "Nothing was recorded: give Lucía Ortega's decision on Terapia del habla y el lenguaje (habla), \
         as marked on the signed form (accepted or declined)."
    );
    assert_eq!(test.read(plan), before);
    // With them, both are written beside their services, with the signature.
    for (name, value) in sent.iter_mut() {
        match name.as_str() {
            "decision.habla" => *value = "accepted".into(),
            "decision.juego" => *value = "declined".into(),
            "signed_on" => *value = "2026-11-30".into(),
            _ => {}
        }
    }
    let reply = sign(&sent);
    assert_eq!(
        reply.header("Location"),
        Some("/case/ct-2026-0058?saved=plan.yaml")
    );
    assert_eq!(
        test.read(plan),
        before
            .replacen(
                "      - {role: parent, name: Lucía Ortega}\n      - {role: coordinator, name: Natalia Vega}\n    services:\n      - {service: habla}\n      - {service: juego}\n",
                "      - {role: parent, name: Lucía Ortega, signed_on: 2026-11-30, method: paper}\n      - {role: coordinator, name: Natalia Vega}\n    services:\n      - {service: habla, decision: accepted}\n      - {service: juego, decision: declined}\n",
                1
            )
    );
    test.run(&["validate", "records"]).assert_status(0);
    // Decided, the consent asks nothing more of the coordinator's row.
    let case = server.get("/case/ct-2026-0058").text();
    assert!(!case.contains("name=\"decision."), "{case}");
}
