//! `casepaper serve` in a real browser: Debian's Chromium, headless, driven
//! over WebDriver (chromium-driver) with fantoccini. A coordinator's day in
//! one walk: open the caseload with the token, narrow it to one
//! coordinator (htmx, under the server's strict policy), open a case, add
//! a contact note through the form, see what is wrong beside the fields,
//! fix it, and find the note in the contact sheet's PDF. A second walk
//! takes a new family from the referral to the signed initial plan in two
//! languages, every record through a form. A screenshot of
//! each page is kept in `target/tmp/screenshots/` (the README's come from
//! there).
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian: `apt-get
//! install chromium chromium-driver`). Without them the test says so and
//! passes, unless `CASEPAPER_BROWSER_TESTS=required` (as `.ci/run` sets),
//! when it fails.

use crate::common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::web::Server;
use common::{Test, pdf_text};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const DRIVER: &str = "/usr/bin/chromedriver";
const CASE: &str = "ct-2025-0117";

/// chromedriver, stopped when the test ends.
struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(DRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver(child, port)
}

/// Whether the browser is here; if not, whether that fails the test.
fn browser_present() -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(DRIVER).exists() {
        return true;
    }
    let required = std::env::var("CASEPAPER_BROWSER_TESTS").is_ok_and(|v| v == "required");
    assert!(
        !required,
        "CASEPAPER_BROWSER_TESTS=required, but {CHROMIUM} or {DRIVER} is missing"
    );
    eprintln!(
        "skipped: the browser tests need {CHROMIUM} and {DRIVER} \
         (apt-get install chromium chromium-driver)"
    );
    false
}

async fn browser(driver: &Driver, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.1))
        .await
        .expect("a browser session")
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Keeps a picture of the page as `name`, after checking the page with
/// axe-core: every page the desk shows has no accessibility violation.
async fn keep_screenshot(client: &Client, name: &str) {
    assert_accessible(client, name).await;
    let png = client.screenshot().await.expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "{name} is a PNG");
    std::fs::write(screenshots().join(name), png).unwrap();
}

/// axe-core 4.14.1 (vendored, MPL-2.0, tests only), run in the page as
/// WebDriver runs a script: the page's Content-Security-Policy, which
/// allows only the desk's own script, does not apply to it.
const AXE: &str = include_str!("vendor/axe-core-4.14.1/axe.min.js");

async fn assert_accessible(client: &Client, page: &str) {
    client.execute(AXE, vec![]).await.expect("axe-core loads");
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document).then(
                 r => done([r.passes.length, r.violations.map(v => `${v.id} (${v.impact}): ${v.help}; ` +
                     v.nodes.map(n => n.target.join(' ')).join(', '))]),
                 e => done([0, ['axe failed: ' + e]]));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    let (passed, violations): (usize, Vec<String>) =
        serde_json::from_value(found).expect("rules passed and violations");
    assert!(passed > 10, "{page}: axe-core checked {passed} rules");
    assert!(
        violations.is_empty(),
        "{page} has accessibility violations:\n{}",
        violations.join("\n")
    );
}

/// The text of the element `css`; asked again when the element was
/// swapped out while it was read (htmx replaces the caseload).
async fn text_of(client: &Client, css: &str) -> String {
    for _ in 0..50 {
        let found = client.find(Locator::Css(css)).await;
        if let Ok(text) = async { found?.text().await }.await {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no {css} on the page");
}

async fn fill(client: &Client, name: &str, text: &str) {
    let field = client
        .find(Locator::Css(&format!("[name=\"{name}\"]")))
        .await
        .unwrap_or_else(|e| panic!("no field {name}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Waits until `css` is on the page (htmx swaps after a request).
async fn wait_for(client: &Client, css: &str) {
    let start = Instant::now();
    while client.find(Locator::Css(css)).await.is_err() {
        if start.elapsed() > Duration::from_secs(10) {
            let source = client.source().await.unwrap_or_default();
            let main = source
                .find("<main")
                .map(|i| &source[i..])
                .unwrap_or(&source);
            panic!("{css} never appeared on the page:\n{main}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The sample records in git, served, and a browser of its own.
struct Desk {
    test: Test,
    server: Server,
    client: Client,
    /// The browser's profile, where it saves what it downloads.
    profile: tempfile::TempDir,
    _driver: Driver,
}

/// The desk for a test; `None` (the test passes, having said why) where
/// there is no browser.
async fn desk() -> Option<Desk> {
    if !browser_present() {
        return None;
    }
    let test = Test::samples();
    test.git_init();
    test.commit("2026-11-30T12:00:00", "Records as they were");
    let server = Server::start(&test);
    let driver = driver();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path()).await;
    Some(Desk {
        test,
        server,
        client,
        profile,
        _driver: driver,
    })
}

#[tokio::test(flavor = "current_thread")]
async fn a_coordinator_adds_a_contact_note_in_the_browser() {
    let Some(Desk {
        test,
        server,
        client,
        profile,
        _driver,
    }) = desk().await
    else {
        return;
    };

    // The caseload, reached with the token; the address loses it.
    client.goto(&server.url()).await.unwrap();
    assert_eq!(text_of(&client, "h1").await, "Caseload");
    let url = client.current_url().await.unwrap();
    assert!(!url.as_str().contains("token"), "{url}");
    let page = text_of(&client, "#cases").await;
    assert!(
        page.contains("Marisol Lopez") && page.contains("Hannah Brandt"),
        "{page}"
    );
    keep_screenshot(&client, "caseload.png").await;

    // One coordinator's cases: htmx swaps the list in place.
    let select = client.find(Locator::Id("coordinator")).await.unwrap();
    select.select_by_value("hbrandt").await.unwrap();
    let start = Instant::now();
    loop {
        let page = text_of(&client, "#cases").await;
        if !page.contains("Marisol Lopez") {
            assert!(
                page.contains("Hannah Brandt") && page.contains("vt-2026-0019"),
                "{page}"
            );
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the filter did not apply"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let url = client.current_url().await.unwrap();
    assert!(
        url.as_str().contains("coordinator=hbrandt"),
        "the address says the filter: {url}"
    );
    client
        .goto(&format!("http://{}/", server.host))
        .await
        .unwrap();

    // A case.
    client
        .find(Locator::LinkText(CASE))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "#documents").await;
    assert!(text_of(&client, "h1").await.starts_with("Eli Marsh"));
    let documents = text_of(&client, "ul.documents").await;
    assert!(documents.contains("contacts.pdf"), "{documents}");
    keep_screenshot(&client, "case.png").await;
    // Further down, the case's life: each event with its record and papers.
    let life = text_of(&client, "table.timeline").await;
    assert!(
        life.contains("Robert Marsh asked to see the record"),
        "{life}"
    );
    client
        .execute(
            "document.getElementById('life').scrollIntoView({block: 'start'})",
            vec![],
        )
        .await
        .unwrap();
    keep_screenshot(&client, "case-life.png").await;

    // A note with mistakes: each is said beside its field, nothing saved.
    client
        .find(Locator::LinkText("Add a contact note"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "form.record").await;
    keep_screenshot(&client, "contact-form.png").await;
    fill(&client, "minutes", "4").await;
    client
        .find(Locator::Id("f-type"))
        .await
        .unwrap()
        .select_by_value("phone")
        .await
        .unwrap();
    fill(&client, "participants", "Dana Marsh (mother)").await;
    client
        .find(Locator::Css("form.record button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "#e-summary").await;
    assert!(
        text_of(&client, "#e-summary")
            .await
            .contains("This is required.")
    );
    assert!(
        text_of(&client, "[role=alert]")
            .await
            .contains("Nothing was saved yet")
    );
    let before = std::fs::read_dir(test.path(&format!("records/{CASE}")))
        .unwrap()
        .count();
    assert_eq!(before, 7, "nothing written");
    let summary = client.find(Locator::Id("f-summary")).await.unwrap();
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'})",
            vec![serde_json::to_value(&summary).unwrap()],
        )
        .await
        .unwrap();
    keep_screenshot(&client, "contact-errors.png").await;

    // Fixed and saved: the case page says so, and the contact sheet has it.
    summary
        .send_keys("Called Dana about the final visit; she asked for the district's start date.")
        .await
        .unwrap();
    client
        .find(Locator::Css("form.record button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "p.saved").await;
    let saved = text_of(&client, "p.saved").await;
    assert!(
        saved.contains(&format!("Saved {CASE}/contacts-2026-12-01-mlopez.yaml")),
        "{saved}"
    );
    keep_screenshot(&client, "saved.png").await;

    // The desk's other pages, each checked for accessibility as it is
    // kept: the review and exit forms, a record as text, the changes to
    // commit, and a case whose records have an error.
    for (path, ready, name) in [
        (
            format!("/case/{CASE}/review"),
            "form.record",
            "review-form.png",
        ),
        (format!("/case/{CASE}/exit"), "form.record", "exit-form.png"),
        (
            format!("/case/{CASE}/edit/plan.yaml"),
            "textarea",
            "edit.png",
        ),
        ("/changes".to_string(), "#message", "changes.png"),
    ] {
        client
            .goto(&format!("http://{}{path}", server.host))
            .await
            .unwrap();
        wait_for(&client, ready).await;
        keep_screenshot(&client, name).await;
    }
    test.edit(
        &format!("records/{CASE}/contacts.yaml"),
        "    minutes: 45\n",
        "    minutes: forty-five\n",
    );
    client
        .goto(&format!("http://{}/case/{CASE}", server.host))
        .await
        .unwrap();
    wait_for(&client, "#documents").await;
    keep_screenshot(&client, "case-with-errors.png").await;
    client
        .goto(&format!("http://{}/", server.host))
        .await
        .unwrap();
    wait_for(&client, "#cases").await;
    keep_screenshot(&client, "caseload-with-errors.png").await;
    test.edit(
        &format!("records/{CASE}/contacts.yaml"),
        "    minutes: forty-five\n",
        "    minutes: 45\n",
    );
    client.close().await.unwrap();

    let pdf = server.get(&format!("/case/{CASE}/documents/contacts.pdf"));
    assert_eq!(pdf.status, 200);
    let path = profile.path().join("contacts.pdf");
    std::fs::write(&path, &pdf.body).unwrap();
    let text = common::normalize(&pdf_text(&path));
    assert!(
        text.contains("she asked for the district's start date."),
        "{text}"
    );
    test.assert_no_findings(&["validate", "records"]);
}

/// Sets a date or choice field as the browser's own picker would (typing
/// into a date field depends on the browser's locale).
async fn set(client: &Client, name: &str, value: &str) {
    client
        .execute(
            "const f = document.querySelector(`[name=\"${arguments[0]}\"]`);
             f.value = arguments[1]; f.dispatchEvent(new Event('change'));",
            vec![json!(name), json!(value)],
        )
        .await
        .unwrap_or_else(|e| panic!("no field {name}: {e}"));
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Goes to `path` of the desk and waits for `ready`.
async fn open(client: &Client, server: &Server, path: &str, ready: &str) {
    client
        .goto(&format!("http://{}{path}", server.host))
        .await
        .unwrap();
    wait_for(client, ready).await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_new_family_s_first_papers_are_recorded_in_the_browser_in_two_languages() {
    const NEW: &str = "ct-2026-0140";
    let Some(Desk {
        test,
        server,
        client,
        profile: _profile,
        _driver,
    }) = desk().await
    else {
        return;
    };
    client.goto(&server.url()).await.unwrap();
    wait_for(&client, "#cases").await;

    // The case: a mother who reads Spanish, a father who reads English.
    click(&client, "a[href=\"/new-case\"]").await;
    wait_for(&client, "form.record").await;
    fill(&client, "case_id", NEW).await;
    set(&client, "language", "es").await;
    fill(&client, "child.name", "Lucas Ferreira").await;
    set(&client, "child.date_of_birth", "2025-06-14").await;
    click(&client, "button[name=add][value=family]").await;
    wait_for(&client, "[name=\"family.1.name\"]").await;
    for (n, name, en, es, phone, language, reads) in [
        (
            0,
            "Camila Ferreira",
            "mother",
            "madre",
            "(860) 555-0170",
            "Spanish",
            "",
        ),
        (
            1,
            "Daniel Ferreira",
            "father",
            "padre",
            "(860) 555-0171",
            "English",
            "en",
        ),
    ] {
        fill(&client, &format!("family.{n}.name"), name).await;
        fill(&client, &format!("family.{n}.relationship.en"), en).await;
        fill(&client, &format!("family.{n}.relationship.es"), es).await;
        fill(&client, &format!("family.{n}.phone"), phone).await;
        fill(&client, &format!("family.{n}.language"), language).await;
        set(&client, &format!("family.{n}.reads"), reads).await;
        set(&client, &format!("family.{n}.interpreter"), "false").await;
    }
    fill(&client, "address.street", "9 Mill Street").await;
    fill(&client, "address.city", "Norwich").await;
    fill(&client, "address.state", "CT").await;
    fill(&client, "address.postal_code", "06360").await;
    set(&client, "coordinator", "mlopez").await;
    set(&client, "referral_date", "2026-11-02").await;
    keep_screenshot(&client, "new-case-form.png").await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    assert!(text_of(&client, "h1").await.starts_with("Lucas Ferreira"));
    assert!(
        text_of(&client, "dl.family")
            .await
            .contains("Spanish, English")
    );

    // The evaluation consent, its words in each language side by side.
    click(&client, &format!("a[href=\"/case/{NEW}/consent\"]")).await;
    wait_for(&client, "fieldset.languages").await;
    set(&client, "date", "2026-11-10").await;
    fill(
        &client,
        "description.es",
        "La evaluación del desarrollo de Lucas el 20 de noviembre de 2026.",
    )
    .await;
    fill(
        &client,
        "description.en",
        "The evaluation of Lucas's development on November 20, 2026.",
    )
    .await;
    // The language it is given in, which the form starts from the
    // mother's, in English too.
    fill(&client, "native_language.en", "Spanish").await;
    set(&client, "evaluation", "true").await;
    click(&client, "#f-explained").await;
    keep_screenshot(&client, "consent-form.png").await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;

    // The evaluation and the finding.
    open(
        &client,
        &server,
        &format!("/case/{NEW}/evaluation"),
        "form.record",
    )
    .await;
    set(&client, "evaluation_date", "2026-11-20").await;
    set(&client, "eligibility_date", "2026-11-20").await;
    // The family chose this program among those of its area.
    set(&client, "program_choice.chosen_on", "2026-11-20").await;
    set(
        &client,
        "program_choice.program",
        "River Valley Family Services",
    )
    .await;
    keep_screenshot(&client, "evaluation-form.png").await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;

    // The notices the case now owes, each opened from the case page.
    let owed = text_of(&client, "ul.notices").await;
    assert_eq!(
        owed,
        "Prior written notice of the evaluation and assessment, November 20, 2026\n\
         Prior written notice of the finding of eligibility, November 20, 2026",
    );
    for (given, es, en) in [
        (
            "2026-11-10",
            "Camila pidió una evaluación porque Lucas no dice palabras todavía.",
            "Camila asked for an evaluation because Lucas does not say words yet.",
        ),
        (
            "2026-11-20",
            "La evaluación encontró un retraso en la comunicación de Lucas.",
            "The evaluation found a delay in Lucas's communication.",
        ),
    ] {
        click(&client, "ul.notices a").await;
        wait_for(&client, "fieldset.languages").await;
        set(&client, "given_on", given).await;
        fill(&client, "reasons.es", es).await;
        fill(&client, "reasons.en", en).await;
        if given == "2026-11-10" {
            keep_screenshot(&client, "notice-form.png").await;
        }
        click(&client, "button.save").await;
        wait_for(&client, "p.saved").await;
    }
    assert!(client.find(Locator::Css("ul.notices")).await.is_err());
    keep_screenshot(&client, "new-case.png").await;

    // A note begun and kept as a draft, listed on the case page, then
    // discarded.
    open(
        &client,
        &server,
        &format!("/case/{NEW}/contact"),
        "form.record",
    )
    .await;
    fill(
        &client,
        "summary",
        "Called Camila; to finish after the visit.",
    )
    .await;
    click(&client, "button[name=keep]").await;
    wait_for(&client, "table.drafts").await;
    assert!(
        text_of(&client, "table.drafts")
            .await
            .contains("New contact note")
    );
    keep_screenshot(&client, "case-with-draft.png").await;
    click(&client, "table.drafts button[type=submit]").await;
    wait_for(&client, "#documents").await;
    assert!(client.find(Locator::Css("table.drafts")).await.is_err());

    // The plan meeting: two outcomes, three services, the consent to start
    // them with the parent's decisions.
    click(&client, &format!("a[href=\"/case/{NEW}/plan\"]")).await;
    wait_for(&client, "form.record").await;
    for list in ["outcomes", "services", "services"] {
        click(&client, &format!("button[name=add][value=\"{list}\"]")).await;
        wait_for(&client, "form.record").await;
    }
    let both = |name: &str, es: &str, en: &str| {
        [
            (format!("{name}.es"), es.to_string()),
            (format!("{name}.en"), en.to_string()),
        ]
    };
    let mut plan: Vec<(String, String)> = vec![("meetings.0.date".into(), "2026-11-30".into())];
    plan.extend(both(
        "meetings.0.participants",
        "Camila Ferreira (madre)\nDaniel Ferreira (padre)\nMarisol Lopez (coordinadora de servicios)",
        "Camila Ferreira (mother)\nDaniel Ferreira (father)\nMarisol Lopez (service coordinator)",
    ));
    for (area, es, en) in [
        (
            "family_assessment.concerns",
            "Lucas dice pocas palabras.",
            "Lucas says few words.",
        ),
        (
            "family_assessment.priorities",
            "Que Lucas pida lo que quiere.",
            "Lucas asking for what he wants.",
        ),
        (
            "family_assessment.resources",
            "Su abuela lo cuida los lunes.",
            "His grandmother cares for him on Mondays.",
        ),
        (
            "present_levels.physical",
            "Camina y sube escaleras.",
            "Walks and climbs stairs.",
        ),
        (
            "present_levels.cognitive",
            "Hace rompecabezas sencillos.",
            "Does simple puzzles.",
        ),
        (
            "present_levels.communication",
            "Usa gestos y algunos sonidos.",
            "Uses gestures and some sounds.",
        ),
        (
            "present_levels.social_emotional",
            "Juega al lado de otros niños.",
            "Plays beside other children.",
        ),
        (
            "present_levels.adaptive",
            "Come solo con los dedos.",
            "Feeds himself with his fingers.",
        ),
    ] {
        plan.extend(both(area, es, en));
    }
    for (n, es, en) in [
        (
            "0",
            "Lucas pedirá su merienda con palabras.",
            "Lucas will ask for his snack with words.",
        ),
        (
            "1",
            "Lucas jugará con otros niños.",
            "Lucas will play with other children.",
        ),
    ] {
        plan.push((
            format!("outcomes.{n}.number"),
            format!("{}", n.parse::<u8>().unwrap() + 1),
        ));
        plan.extend(both(&format!("outcomes.{n}.outcome"), es, en));
        plan.extend(both(
            &format!("outcomes.{n}.criteria"),
            "Diez palabras al día.",
            "Ten words a day.",
        ));
        plan.extend(both(
            &format!("outcomes.{n}.procedures"),
            "Registro de los padres.",
            "Parents' log.",
        ));
        plan.push((format!("outcomes.{n}.target_date"), "2027-05-30".into()));
        plan.extend(both(
            &format!("outcomes.{n}.strategies"),
            "Esperar antes de darle la merienda.\nNombrar dos opciones.",
            "Wait before handing him his snack.\nName two choices.",
        ));
        plan.extend(both(
            &format!("outcomes.{n}.who_helps"),
            "Camila Ferreira\nMarisol Lopez",
            "Camila Ferreira\nMarisol Lopez",
        ));
    }
    // The parent's decision on each service, given once the services are
    // written (the consent picks among them).
    let mut decisions: Vec<(String, String)> = Vec::new();
    let marisol = (
        "Marisol Lopez",
        "mlopez",
        (
            "Patología del habla y el lenguaje",
            "Speech-language pathology",
        ),
    );
    let jonah = (
        "Jonah Okafor",
        "jokafor",
        (
            "Educación especial de la primera infancia",
            "Early childhood special education",
        ),
    );
    for (n, id, es, en, who, per, outcomes) in [
        (
            "0",
            "service-coordination",
            "Coordinación de servicios",
            "Service coordination",
            marisol,
            "month",
            "1, 2",
        ),
        (
            "1",
            "speech",
            "Terapia del habla",
            "Speech-language therapy",
            marisol,
            "week",
            "1",
        ),
        (
            "2",
            "play",
            "Intervención del desarrollo",
            "Developmental intervention",
            jonah,
            "week",
            "2",
        ),
    ] {
        let row = |k: &str, v: &str| (format!("services.{n}.{k}"), v.to_string());
        plan.extend([
            row("id", id),
            row("provider.name", who.0),
            row("provider.staff", who.1),
            row("frequency.times", "1"),
            row("frequency.per", per),
            row("intensity", "individual"),
            row("minutes", "60"),
            row("method", "home-visit"),
            row("natural_environment", "true"),
            row("start_date", "2026-12-07"),
            row("end_date", "2027-05-30"),
            row("outcomes", outcomes),
        ]);
        let (discipline_es, discipline_en) = who.2;
        plan.extend(both(
            &format!("services.{n}.provider.discipline"),
            discipline_es,
            discipline_en,
        ));
        plan.extend(both(
            &format!("services.{n}.funding"),
            "Parte C (Birth to Three)",
            "Part C (Birth to Three)",
        ));
        plan.extend(both(&format!("services.{n}.service"), es, en));
        plan.extend(both(
            &format!("services.{n}.location"),
            "El hogar de la familia",
            "The family home",
        ));
        decisions.push((format!("consents.0.services.{n}.service"), id.to_string()));
        decisions.push((
            format!("consents.0.services.{n}.decision"),
            if id == "play" { "declined" } else { "accepted" }.to_string(),
        ));
    }
    plan.push(("consents.0.date".to_string(), "2026-11-30".to_string()));
    plan.extend(both("consents.0.native_language", "Español", "Spanish"));
    plan.extend(both(
        "consents.0.description",
        "Los servicios del primer plan de Lucas.",
        "The services of Lucas's first plan.",
    ));
    for (name, value) in &plan {
        set(&client, name, value).await;
    }
    // A row for each service's decision: the form, sent back with what is
    // typed so far, offers the services written above by their English names (the desk's language).
    for _ in 0..2 {
        click(&client, "button[name=add][value=\"consents.0.services\"]").await;
        wait_for(&client, "form.record").await;
    }
    let offered = client
        .execute(
            "return [...document.querySelectorAll('[name=\"consents.0.services.2.service\"] option')]
                 .map(o => o.value + ' = ' + o.textContent);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        offered,
        json!([
            " = Choose...",
            "service-coordination = Service coordination (service-coordination)",
            "speech = Speech-language therapy (speech)",
            "play = Developmental intervention (play)"
        ])
    );
    for (name, value) in &decisions {
        set(&client, name, value).await;
    }
    click(&client, "#f-consents\\.0\\.explained").await;
    keep_screenshot(&client, "plan-form.png").await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;

    // What the plan now owes: the meeting's notice and the notice of the
    // start of services, each from the case page.
    assert_eq!(
        text_of(&client, "ul.notices").await,
        "Prior written notice of the start of services, December 7, 2026\n\
         Notice of the plan meeting of November 30, 2026",
    );
    click(&client, "ul.notices a").await;
    wait_for(&client, "fieldset.languages").await;
    set(&client, "given_on", "2026-11-30").await;
    set(
        &client,
        "reasons.es",
        "En la reunión del 30 de noviembre la familia aceptó el plan.",
    )
    .await;
    set(
        &client,
        "reasons.en",
        "At the meeting of November 30 the family agreed to the plan.",
    )
    .await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    click(&client, "ul.notices a").await;
    wait_for(&client, "fieldset.languages").await;
    for (name, value) in [
        ("given_on", "2026-11-20"),
        ("time", "10:00"),
        ("place.es", "El hogar de la familia"),
        ("place.en", "The family home"),
        (
            "invited.es",
            "Camila Ferreira (madre)\nDaniel Ferreira (padre)",
        ),
        (
            "invited.en",
            "Camila Ferreira (mother)\nDaniel Ferreira (father)",
        ),
    ] {
        set(&client, name, value).await;
    }
    keep_screenshot(&client, "meeting-notice-form.png").await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    assert!(client.find(Locator::Css("ul.notices")).await.is_err());

    // A signature received, recorded from the case page.
    let owed = text_of(&client, "table.owed").await;
    assert!(owed.contains("Daniel Ferreira"), "{owed}");
    // The case page still shows the last save's message: wait until the
    // click has left it (its message gone stale), then for the new one.
    let last = client.find(Locator::Css("p.saved")).await.unwrap();
    click(&client, "table.owed button[type=submit]").await;
    let start = Instant::now();
    while last.text().await.is_ok() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the page never left the last save's message"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait_for(&client, "p.saved").await;

    // The commit: every file of the new case, the message as typed.
    open(&client, &server, "/changes", "#message").await;
    fill(
        &client,
        "message",
        "Lucas Ferreira: referral to the first plan",
    )
    .await;
    click(&client, "form.record button[type=submit]").await;
    wait_for(&client, "p.saved, .saved, [role=status]").await;
    client.close().await.unwrap();
    assert_eq!(test.git(&["status", "--porcelain", "records"]), "");
    let log = test.git(&["log", "-1", "--format=%s", "--name-only"]);
    assert_eq!(
        log.trim(),
        format!(
            "Lucas Ferreira: referral to the first plan\n\nrecords/{NEW}/case.yaml\n\
             records/{NEW}/notices.yaml\nrecords/{NEW}/plan.yaml"
        )
    );

    test.assert_no_findings(&["validate", "records"]);
    let notices = test.read(&format!("records/{NEW}/notices.yaml"));
    assert!(
        notices.contains(
            "  - action: eligibility\n    date: 2026-11-20\n    given_on: 2026-11-20\n    \
             reasons:\n      es: La evaluación encontró un retraso en la comunicación de Lucas.\n"
        ),
        "{notices}"
    );
    // The family's papers: the consent and each notice, in both languages.
    test.run(&["render", "records"]).assert_status(0);
    let out = test.path(&format!("out/{NEW}"));
    let mut made: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    made.sort();
    assert_eq!(
        made,
        [
            "consent-2026-11-10-evaluation-en.pdf",
            "consent-2026-11-10-evaluation-es.pdf",
            "consent-2026-11-30-initiation-en.pdf",
            "consent-2026-11-30-initiation-es.pdf",
            "meeting-notice-2026-11-30-en.pdf",
            "meeting-notice-2026-11-30-es.pdf",
            "notice-2026-11-20-eligibility-en.pdf",
            "notice-2026-11-20-eligibility-es.pdf",
            "notice-2026-11-20-evaluation-en.pdf",
            "notice-2026-11-20-evaluation-es.pdf",
            "notice-2026-12-07-services-en.pdf",
            "notice-2026-12-07-services-es.pdf",
            "outcomes-en.pdf",
            "outcomes-es.pdf",
            "plan-2026-11-30-en.pdf",
            "plan-2026-11-30-es.pdf",
            "services-grid-en.pdf",
            "services-grid-es.pdf",
        ]
    );
    // What `check` still says of the case: only the signatures owed and
    // what is due next, nothing broken.
    let check = test.run(&["check", "records", "--as-of", "2026-12-01"]);
    let said: Vec<&str> = (check.stderr.lines().chain(check.stdout.lines()))
        .filter(|l| l.contains(NEW) && (l.contains(": error[") || l.contains(": warning[")))
        .collect();
    assert_eq!(said, Vec::<&str>::new(), "{}{}", check.stdout, check.stderr);
    // Kept beside the screenshots, to be looked at.
    for pdf in [
        "plan-2026-11-30-es.pdf",
        "services-grid-en.pdf",
        "meeting-notice-2026-11-30-es.pdf",
    ] {
        std::fs::copy(out.join(pdf), screenshots().join(pdf)).unwrap();
    }
    let plan = common::normalize(&pdf_text(&out.join("plan-2026-11-30-es.pdf")));
    assert!(
        plan.contains("Lucas pedirá su merienda con palabras."),
        "{plan}"
    );
    let spanish = common::normalize(&pdf_text(&out.join("notice-2026-11-20-evaluation-es.pdf")));
    assert!(
        spanish.contains("Camila pidió una evaluación porque Lucas no dice palabras todavía."),
        "{spanish}"
    );
}

/// The Enter key, as WebDriver sends it.
const ENTER: &str = "\u{e007}";

#[tokio::test(flavor = "current_thread")]
async fn a_note_is_written_and_saved_with_the_keyboard_alone() {
    let Some(Desk {
        test,
        server,
        client,
        profile: _profile,
        _driver,
    }) = desk().await
    else {
        return;
    };
    client.goto(&server.url()).await.unwrap();
    wait_for(&client, "#cases").await;
    open(
        &client,
        &server,
        &format!("/case/{CASE}/contact"),
        "form.record",
    )
    .await;
    // Typed as a person types into the browser's own fields (mm/dd/yyyy,
    // hh:mm AM): over the date already there, the year stays four digits.
    let date = client.find(Locator::Id("f-date")).await.unwrap();
    date.send_keys("11302026").await.unwrap();
    // Each field in the form's order, as Tab reaches them.
    for (id, keys) in [
        ("f-start_time", "1030AM"),
        ("f-minutes", "45"),
        ("f-type", "Phone"),
        ("f-location", "Family home"),
        ("f-participants", "Dana Marsh (mother)"),
        ("f-outcomes", "1"),
        ("f-summary", "Called Dana about the visit."),
    ] {
        let field = client.find(Locator::Id(id)).await.unwrap();
        field.send_keys(keys).await.unwrap();
    }
    let value = |id: &'static str| {
        let client = client.clone();
        async move {
            let field = client.find(Locator::Id(id)).await.unwrap();
            field.prop("value").await.unwrap().unwrap_or_default()
        }
    };
    assert_eq!(value("f-date").await, "2026-11-30");
    assert_eq!(value("f-start_time").await, "10:30");
    assert_eq!(value("f-type").await, "phone");
    // Enter in a field (not a text of several lines) saves the form.
    client
        .find(Locator::Id("f-location"))
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    wait_for(&client, "p.saved").await;
    client.close().await.unwrap();
    let note = test.read(&format!("records/{CASE}/contacts-2026-11-30-mlopez.yaml"));
    assert!(
        note.contains(
            "  - date: 2026-11-30\n    start_time: \"10:30\"\n    minutes: 45\n    type: phone\n"
        ),
        "{note}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_parents_request_to_see_the_record_is_recorded_in_the_browser() {
    let Some(Desk {
        test,
        server,
        client,
        profile: _profile,
        _driver,
    }) = desk().await
    else {
        return;
    };
    client.goto(&server.url()).await.unwrap();
    wait_for(&client, "#cases").await;
    open(&client, &server, &format!("/case/{CASE}"), "#documents").await;
    client
        .find(Locator::LinkText("Record a request to see the record"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "form.record").await;
    set(&client, "requested_on", "2026-11-30").await;
    fill(&client, "records", "The contact notes of November").await;
    keep_screenshot(&client, "access-request-form.png").await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    // The record of access is among the case's papers, and says so.
    let documents = text_of(&client, "ul.documents").await;
    assert!(documents.contains("record-of-access.pdf"), "{documents}");
    client.close().await.unwrap();
    let access = test.read(&format!("records/{CASE}/access.yaml"));
    assert!(
        access.ends_with(
            // The entry before it as written, the new one under it.
            "    met_on: 2026-10-20\n    how: Robert read the record with Marisol Lopez at the home visit and took copies of the evaluation reports.\n  - by: Dana Marsh\n    requested_on: 2026-11-30\n    records: The contact notes of November\n"
        ),
        "{access}"
    );
}

/// The desk as it opens on `day` (its today), in the same browser.
async fn desk_on(test: &Test, client: &Client, day: &str) -> Server {
    let server = Server::start_on(test, day);
    client.goto(&server.url()).await.unwrap();
    wait_for(client, "#cases").await;
    server
}

/// A monthly contact note of the desk's today, through its form.
async fn add_note(client: &Client, server: &Server, case: &str, summary: &str) {
    open(
        client,
        server,
        &format!("/case/{case}/contact"),
        "form.record",
    )
    .await;
    for (name, value) in [("start_time", "10:00"), ("type", "phone")] {
        set(client, name, value).await;
    }
    for (name, value) in [
        ("minutes", "20"),
        ("participants", "Lucía Ortega (madre)"),
        ("summary", summary),
    ] {
        fill(client, name, value).await;
    }
    click(client, "button.save").await;
    wait_for(client, "p.saved").await;
}

/// Records every signature the case page lists as received today, on
/// paper, one row at a time (each save reloads the page).
async fn sign_all(client: &Client) -> Vec<String> {
    let mut signed = Vec::new();
    while let Ok(row) = client.find(Locator::Css("table.owed tbody tr")).await {
        let cells = row.find_all(Locator::Css("td")).await.unwrap();
        let (document, who) = (
            cells[0].text().await.unwrap(),
            cells[1].text().await.unwrap(),
        );
        // The parent's decisions come with the consent's signature: as
        // marked on the form, each service accepted.
        let mut said = format!("{document}: {who}");
        for decision in row
            .find_all(Locator::Css("select[name^=\"decision.\"]"))
            .await
            .unwrap()
        {
            let name = decision.attr("name").await.unwrap().unwrap_or_default();
            said.push_str(&format!(", {name} accepted"));
            decision.select_by_value("accepted").await.unwrap();
        }
        signed.push(said);
        let button = row.find(Locator::Css("button[type=submit]")).await.unwrap();
        button.click().await.unwrap();
        // Wait until the page that held the row has gone.
        let start = Instant::now();
        while row.text().await.is_ok() {
            assert!(start.elapsed() < Duration::from_secs(10), "{signed:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        wait_for(client, "#documents").await;
        assert!(
            signed.len() < 12,
            "signatures never stop: {signed:?}\n{}",
            client.source().await.unwrap_or_default()
        );
    }
    signed
}

#[tokio::test(flavor = "current_thread")]
async fn an_annual_review_a_decline_the_transition_and_the_exit_at_three_are_recorded_in_the_browser()
 {
    let Some(Desk {
        test,
        server,
        client,
        profile: _profile,
        _driver,
    }) = desk().await
    else {
        return;
    };
    const SOFIA: &str = "ct-2026-0058";
    let case = format!("/case/{SOFIA}");
    test.run(&["render", "records", "--out", "before"])
        .assert_status(0);
    // December 1, 2026: the month's contact, and the father's signature on
    // the transition plan, brought back from the conference.
    client.goto(&server.url()).await.unwrap();
    wait_for(&client, "#cases").await;
    add_note(
        &client,
        &server,
        SOFIA,
        "Llamé a Lucía; la terapia va bien.",
    )
    .await;
    assert_eq!(
        sign_all(&client).await,
        ["the transition plan: Andrés Ramírez (parent)"]
    );
    drop(server);
    for (day, summary) in [
        ("2027-01-14", "Visita: Sofía dice unas 35 palabras."),
        (
            "2027-02-10",
            "El distrito evaluó a Sofía; hablamos del resultado.",
        ),
    ] {
        let server = desk_on(&test, &client, day).await;
        add_note(&client, &server, SOFIA, summary).await;
    }

    // March 25, 2027: the annual review changes the speech therapy and adds
    // a play group.
    let server = desk_on(&test, &client, "2027-03-25").await;
    open(&client, &server, &case, "#services").await;
    keep_screenshot(&client, "case-services.png").await;
    client
        .find(Locator::LinkText("Record a plan meeting"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "form.record").await;
    set(&client, "meeting.type", "annual").await;
    fill(&client, "services.1.minutes", "45").await;
    // A service added: the form grows an entry, keeping what was typed.
    click(&client, "button[name=\"add\"][value=\"services\"]").await;
    wait_for(&client, "[name=\"services.2.id\"]").await;
    for (name, value) in [
        ("services.2.id", "juego"),
        ("services.2.service", "Grupo de juego"),
        ("services.2.provider.name", "Marisol Lopez"),
        (
            "services.2.provider.discipline",
            "Patología del habla y el lenguaje",
        ),
        ("services.2.frequency.times", "2"),
        ("services.2.minutes", "60"),
        ("services.2.location", "Biblioteca de Jewett City"),
        ("services.2.start_date", "2027-04-03"),
        ("services.2.end_date", "2027-06-02"),
        ("services.2.funding", "Parte C (Birth to Three)"),
        ("services.2.outcomes", "2"),
        ("progress.0.note", "Sofía dice unas 45 palabras."),
        ("progress.1.note", "Juega ocho minutos con su primo."),
        (
            "consent.description",
            "Cambiar la terapia del habla a 45 minutos y añadir el grupo de juego.",
        ),
    ] {
        if name.ends_with("date") {
            set(&client, name, value).await;
        } else {
            fill(&client, name, value).await;
        }
    }
    for (name, value) in [
        ("services.2.frequency.per", "month"),
        ("services.2.intensity", "group"),
        ("services.2.method", "group"),
        ("services.2.natural_environment", "true"),
    ] {
        set(&client, name, value).await;
    }
    assert_eq!(
        client
            .find(Locator::Css("[name=\"services.1.minutes\"]"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default(),
        "45"
    );
    click(&client, "[name=\"consent.explained\"]").await;
    client
        .execute("window.scrollTo(0, 0)", vec![])
        .await
        .unwrap();
    keep_screenshot(&client, "meeting-form.png").await;
    click(&client, "button.save").await;
    // The change owes a prior written notice: its form, pre-filled.
    wait_for(&client, "#f-action").await;
    let value = |id: &'static str| {
        let client = client.clone();
        async move {
            let field = client.find(Locator::Id(id)).await.unwrap();
            field.prop("value").await.unwrap().unwrap_or_default()
        }
    };
    assert_eq!(value("f-action").await, "change");
    assert_eq!(value("f-date").await, "2027-03-25");
    // Given with the meeting's notice, the days the program sets before.
    set(&client, "given_on", "2027-03-11").await;
    fill(
        &client,
        "reasons",
        "La familia pidió más tiempo de terapia del habla y un grupo de juego; el equipo lo propone para la revisión anual.",
    )
    .await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    // The meeting's notice, given two weeks before, is what the case page
    // still asks for.
    assert_eq!(
        text_of(&client, "ul.notices").await,
        "Notice of the plan meeting of March 25, 2027"
    );
    click(&client, "ul.notices a").await;
    wait_for(&client, "#f-place").await;
    for (name, value) in [
        ("given_on", "2027-03-11"),
        ("time", "17:30"),
        (
            "place",
            "El hogar de la familia, 12 Bayberry Lane, Jewett City",
        ),
        (
            "invited",
            "Lucía Ortega (madre)\nAndrés Ramírez (padre)\nMarisol Lopez (terapeuta del habla)",
        ),
    ] {
        set(&client, name, value).await;
    }
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    assert!(client.find(Locator::Css("ul.notices")).await.is_err());
    // The plan and the consent, signed at the meeting; the consent's
    // signature brings the parent's decision on each service.
    open(
        &client,
        &server,
        &format!("{case}#signatures"),
        "table.owed",
    )
    .await;
    keep_screenshot(&client, "signatures-owed.png").await;
    assert_eq!(
        sign_all(&client).await,
        [
            "the consent of 2027-03-25 (change): Lucía Ortega (parent), decision.habla accepted, decision.juego accepted",
            "the consent of 2027-03-25 (change): Natalia Vega (service coordinator)",
            "the plan of the meeting of 2027-03-25: Lucía Ortega (parent)",
            "the plan of the meeting of 2027-03-25: Andrés Ramírez (parent)",
            "the plan of the meeting of 2027-03-25: Natalia Vega (service coordinator)",
        ]
    );
    add_note(&client, &server, SOFIA, "Revisión anual en el hogar.").await;
    drop(server);

    // April 15, 2027: the parent declines the play group, two clicks from
    // the case page.
    let server = desk_on(&test, &client, "2027-04-15").await;
    open(&client, &server, &case, "#services").await;
    click(
        &client,
        &format!("a[href=\"/case/{SOFIA}/decline?service=juego\"]"),
    )
    .await;
    wait_for(&client, "form.record").await;
    keep_screenshot(&client, "decline-form.png").await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    let services = text_of(&client, "#services + table").await;
    assert!(!services.contains("Grupo de juego"), "{services}");
    add_note(
        &client,
        &server,
        SOFIA,
        "Lucía decidió dejar el grupo de juego.",
    )
    .await;
    drop(server);

    // May 20, 2027: the transition plan's steps done, the exit at three and
    // its notice.
    let server = desk_on(&test, &client, "2027-05-20").await;
    open(&client, &server, &case, "#services").await;
    // The transition: its plan under the child's branch of 303.209, the
    // district's evaluation and the visit to the classroom done, each a
    // field of the file's form.
    client
        .find(Locator::LinkText("The transition plan"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "section.branch").await;
    let branch = text_of(&client, "section.branch").await;
    assert!(
        branch.contains("hold the transition conference with the school district between September 3, 2026 and March 5, 2027"),
        "{branch}"
    );
    set(&client, "steps.1.done_on", "2027-02-10").await;
    set(&client, "steps.2.done_on", "2027-04-28").await;
    keep_screenshot(&client, "file-form.png").await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    // The exit at three, by its reason: the dates and the next program
    // filled in from the branch and the transition plan.
    click(
        &client,
        &format!("a[href=\"/case/{SOFIA}/exit?reason=turned-three\"]"),
    )
    .await;
    wait_for(&client, "form.record").await;
    keep_screenshot(&client, "exit-form.png").await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    // The end of services owes its prior written notice.
    assert_eq!(
        text_of(&client, "ul.notices").await,
        "Prior written notice of the exit, June 2, 2027"
    );
    click(&client, "ul.notices a").await;
    wait_for(&client, "#f-reasons").await;
    set(&client, "given_on", "2027-05-20").await;
    fill(
        &client,
        "reasons",
        "Sofía cumple tres años el 3 de junio de 2027; los servicios de Birth to Three terminan el 2 de junio y el preescolar de Griswold la recibe.",
    )
    .await;
    click(&client, "button.save").await;
    wait_for(&client, "p.saved").await;
    assert_eq!(
        sign_all(&client).await,
        ["the exit letter: Natalia Vega (service coordinator)"]
    );
    add_note(
        &client,
        &server,
        SOFIA,
        "Entregué la carta de salida a Lucía.",
    )
    .await;
    client.close().await.unwrap();
    assert_eq!(
        test.read(&format!("records/{SOFIA}/exit.yaml")),
        "# yaml-language-server: $schema=../../schemas/exit.v1.yaml
kind: exit
version: 1
reason: turned-three
next_program:
  name: Preescolar de educación especial de Griswold
  contact: Paula Gil, (860) 555-0131
exit_date: 2027-06-02
letter_date: 2027-05-20
signatures:
  - {role: coordinator, name: Natalia Vega, signed_on: 2027-05-20, method: paper}
"
    );
    let transition = test.read(&format!("records/{SOFIA}/transition.yaml"));
    assert!(
        transition.contains("    by: 2027-02-15\n    done_on: 2027-02-10\n")
            && transition.contains("    by: 2027-04-30\n    done_on: 2027-04-28\n"),
        "{transition}"
    );
    let plan = test.read(&format!("records/{SOFIA}/plan.yaml"));
    assert!(
        plan.contains("    outcomes: [1]\n    changes:\n      - {on: 2027-03-25, minutes: 45}\n  - id: juego\n    added_on: 2027-03-25\n"),
        "{plan}"
    );
    assert!(
        plan.contains(
            "    outcomes: [2]\n    changes:\n      - {on: 2027-04-15, end_date: 2027-04-15}\n"
        ),
        "{plan}"
    );
    // What the records say the day after services end: nothing owed.
    test.run(&["validate", "records"]).assert_status(0);
    let check = test.run(&["check", "records", "--as-of", "2027-06-03"]);
    let said: Vec<&str> = (check.stderr.lines().chain(check.stdout.lines()))
        .filter(|l| l.contains(SOFIA))
        .collect();
    assert_eq!(said, Vec::<&str>::new(), "{}{}", check.stdout, check.stderr);
    // Once the work is committed, the papers of the earlier meetings,
    // consents and notices are byte for byte as they were.
    test.commit(
        "2027-06-01T12:00:00",
        "The annual review, the decline, the transition and the exit",
    );
    test.run(&["render", "records", "--out", "after"])
        .assert_status(0);
    let before = common::files(&test.path(&format!("before/{SOFIA}")));
    let after = common::files(&test.path(&format!("after/{SOFIA}")));
    let dated: Vec<&String> = (before.keys())
        .filter(|name| {
            (0..name.len().saturating_sub(9)).any(|i| {
                (name.get(i..i + 10)).is_some_and(|w| w.parse::<chrono::NaiveDate>().is_ok())
            })
        })
        .collect();
    assert!(dated.len() >= 8, "{:?}", before.keys());
    for name in dated {
        assert!(before[name] == after[name], "{name} changed");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_service_two_coordinators_changed_two_ways_is_chosen_side_by_side_on_the_desk() {
    use common::team::{shared_head, team};
    if !browser_present() {
        return;
    }
    const PLAN: &str = "records/ct-2026-0058/plan.yaml";
    const WEEKLY: &str = "    frequency: {times: 1, per: week}\n    intensity: individual\n    minutes: 60\n    method: home-visit\n    location: Hogar de la abuela";
    let test = Test::empty();
    let (shared, natalia, marisol) = team(&test);
    natalia.edit(PLAN, WEEKLY, &WEEKLY.replace("times: 1", "times: 2"));
    assert_eq!(natalia.sync(Some("Speech twice a week")).0, 0);
    let sent = shared_head(&shared);
    marisol.edit(PLAN, WEEKLY, &WEEKLY.replace("times: 1", "times: 3"));
    let (status, said) = marisol.sync(Some("Speech three times a week"));
    assert_eq!(status, 1, "{said}");
    let mine = marisol.git(&["rev-parse", "HEAD"]);
    let marked = marisol.read(PLAN);

    let server = Server::start_in(&marisol.dir, "2026-12-10");
    let driver = driver();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path()).await;
    client.goto(&server.url()).await.unwrap();
    wait_for(&client, "#cases").await;
    click(&client, "nav a[href='/sync']").await;
    wait_for(&client, "#choose").await;
    assert_eq!(
        text_of(&client, "#choose + p").await,
        "Two people changed the same thing in this file. Open each to see both versions side by side and keep what is right; then sync again."
    );
    keep_screenshot(&client, "sync-to-choose.png").await;
    click(&client, &format!("a[href='/conflict?file={PLAN}']")).await;
    wait_for(&client, "table.sides").await;
    // Both versions, the lines that differ marked.
    let differs = client
        .find_all(Locator::Css("table.sides tr.differs"))
        .await
        .unwrap();
    assert_eq!(differs.len(), 1);
    assert_eq!(
        differs[0].text().await.unwrap(),
        "≠\ndiffers\n    frequency: {times: 3, per: week}     frequency: {times: 2, per: week}"
    );
    keep_screenshot(&client, "conflict.png").await;

    // What is written by hand is checked before it is kept.
    let text = client.find(Locator::Css("#text")).await.unwrap();
    let yours = text.prop("value").await.unwrap().unwrap();
    assert!(
        yours.contains("frequency: {times: 3, per: week}"),
        "{yours}"
    );
    fill(
        &client,
        "text",
        &yours.replace(
            "frequency: {times: 3, per: week}",
            "frequency: {times: twice, per: week}",
        ),
    )
    .await;
    click(&client, "button[value='written']").await;
    wait_for(&client, ".problems").await;
    let problems = text_of(&client, ".problems").await;
    assert!(
        problems.starts_with("Nothing was saved yet:\nline "),
        "{problems}"
    );
    assert_eq!(marisol.read(PLAN), marked, "nothing was written");

    // The two agreed on twice a week: the shared copy's.
    click(&client, "button[value='theirs']").await;
    wait_for(&client, "p.saved").await;
    assert_eq!(
        text_of(&client, "p.saved").await,
        format!(
            "Kept your choice for {PLAN}. Sync again to finish joining the shared copy's changes."
        )
    );
    let chosen = marisol.read(PLAN);
    assert!(!chosen.contains("<<<<<<<"), "{chosen}");
    assert!(chosen.contains("    frequency: {times: 2, per: week}\n    intensity: individual\n    minutes: 60\n    method: home-visit\n    location: Hogar de la abuela"));
    click(&client, "form.record button[type='submit']").await;
    wait_for(&client, "p.saved").await;
    assert_eq!(
        text_of(&client, "p.saved").await,
        "Synced: sent 2 commits to the shared copy; this computer and the shared copy now hold the same records."
    );
    keep_screenshot(&client, "sync.png").await;
    let joined = marisol.git(&["rev-parse", "HEAD"]);
    assert_eq!(shared_head(&shared), joined);
    assert_eq!(marisol.git(&["rev-parse", "HEAD^1"]), mine);
    assert_eq!(marisol.git(&["rev-parse", "HEAD^2"]), sent);
    assert_eq!(natalia.sync(None).0, 0);
    assert_eq!(natalia.read(PLAN), marisol.read(PLAN));
    client.close().await.unwrap();
}
