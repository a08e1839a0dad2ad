//! `casepaper serve` over HTTP: who is let in, what a save writes, and
//! what it never does (write something invalid, lose a concurrent edit,
//! leave a partial file). Each test starts the real binary on a free port
//! of loopback in a copy of the sample records kept in git.

use crate::common;

use std::collections::BTreeMap;
use std::io::Write;

use common::web::{Server, html_escaped};
use common::{Test, copy_dir, files, pdf_text};

const CASE: &str = "ct-2025-0117";

fn samples_in_git() -> Test {
    let test = Test::samples();
    test.write(".gitignore", "out/\n");
    test.git_init();
    test.commit("2026-11-30T12:00:00", "Records as they were");
    test
}

/// The samples in git as they stood before Eli's exit was recorded.
fn samples_before_the_exit() -> Test {
    let test = Test::samples();
    std::fs::remove_file(test.path(&format!("records/{CASE}/exit.yaml"))).unwrap();
    test.write(".gitignore", "out/\n");
    test.git_init();
    test.commit("2026-11-30T12:00:00", "Records as they were");
    test
}

/// A note the records accept, with `summary` as its summary.
fn note(summary: &str) -> Vec<(&'static str, String)> {
    [
        ("date", "2026-12-01"),
        ("start_time", "10:30"),
        ("minutes", "45"),
        ("type", "visit"),
        ("location", "Family home"),
        ("participants", "Dana Marsh (mother)\r\nEli"),
        ("outcomes", "1, 2"),
        ("next_steps", "Final visit on December 3."),
        ("signed.by", "mlopez"),
        ("signed.on", "2026-12-01"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .chain([("summary", summary.to_string())])
    .collect()
}

fn post_note(server: &Server, form: &[(&'static str, String)]) -> common::web::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    server.post(&format!("/case/{CASE}/contact"), &pairs)
}

/// The record files, without the new ones a test made.
fn records_but(test: &Test, new: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut all = files(&test.path("records"));
    all.retain(|name, _| !new.iter().any(|n| name.ends_with(n)));
    all
}

#[test]
fn without_the_token_nothing_is_let_in_and_the_token_becomes_a_cookie() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let host = || ("Host", server.host.clone());
    let bare = server.raw("GET", "/", &[host()], "");
    assert_eq!(bare.status, 401);
    assert!(
        bare.text().contains("needs the key in the address"),
        "{}",
        bare.text()
    );
    assert!(!bare.text().contains(CASE), "no record on a refused page");
    for path in [
        format!("/case/{CASE}"),
        format!("/case/{CASE}/documents/contacts.pdf"),
    ] {
        assert_eq!(
            server.raw("GET", &path, &[host()], "").status,
            401,
            "{path}"
        );
    }
    let wrong = server.raw("GET", "/?token=0123", &[host()], "");
    assert_eq!(wrong.status, 401);
    let wrong_cookie = ("Cookie", "casepaper_token=0123".to_string());
    assert_eq!(
        server.raw("GET", "/", &[host(), wrong_cookie], "").status,
        401
    );

    let first = server.raw("GET", &format!("/?token={}", server.token), &[host()], "");
    assert_eq!(first.status, 303);
    assert_eq!(
        first.header("Location"),
        Some("/"),
        "the token leaves the address"
    );
    let dated = server.raw(
        "GET",
        &format!("/case/{CASE}?token={}&as_of=2026-11-23", server.token),
        &[host()],
        "",
    );
    assert_eq!(dated.status, 303);
    assert_eq!(
        dated.header("Location"),
        Some(format!("/case/{CASE}?as_of=2026-11-23").as_str()),
        "the token leaves the address, the rest of it stays"
    );
    let cookie = first.header("Set-Cookie").expect("a cookie");
    assert!(
        cookie.starts_with(&format!("casepaper_token={};", server.token)),
        "{cookie}"
    );
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains(&format!("href=\"/case/{CASE}\"")),
        "{}",
        page.text()
    );
    let csp = page.header("Content-Security-Policy").expect("a policy");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert_eq!(page.header("Cache-Control"), Some("no-store"));
    assert_eq!(page.header("Referrer-Policy"), Some("same-origin"));
    assert!(!page.text().contains("https://"), "no outside assets");

    // A case's head names the languages its papers are made in.
    let case = server.get(&format!("/case/{CASE}")).text();
    assert!(
        case.contains("<dt>Papers in</dt><dd>English</dd>"),
        "{case}"
    );
    let both = server.get("/case/vt-2026-0077").text();
    assert!(
        both.contains("<dt>Papers in</dt><dd>English, Spanish</dd>"),
        "{both}"
    );
}

#[test]
fn a_request_naming_another_host_is_refused() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    let label = server.host.split('.').next().unwrap().to_string();
    // Cookies tell servers on this computer apart by name, not by port:
    // the plain loopback names, which every other local server shares, are
    // not this server's.
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        format!("desk-0000000000000000.localhost:{port}"),
        format!("{label}.localhost"),
        "127.0.0.1".to_string(),
        format!("127.0.0.2:{port}"),
    ] {
        let reply = server.raw(
            "GET",
            "/",
            &[("Host", host.clone()), ("Cookie", server.cookie())],
            "",
        );
        assert_eq!(reply.status, 403, "{host}");
        assert!(!reply.text().contains(CASE));
    }
    let token = server.raw(
        "GET",
        &format!("/?token={}", server.token),
        &[("Host", format!("localhost:{port}"))],
        "",
    );
    assert_eq!(
        token.status, 403,
        "not even the token gets in under another name"
    );
    assert_eq!(token.header("Set-Cookie"), None);
    let own = server.raw(
        "GET",
        "/",
        &[
            ("Host", server.host.to_uppercase()),
            ("Cookie", server.cookie()),
        ],
        "",
    );
    assert_eq!(own.status, 200, "names are not case-sensitive");

    // Two Host headers: not answered from either.
    for hosts in [
        [server.host.clone(), format!("evil.example:{port}")],
        [format!("evil.example:{port}"), server.host.clone()],
        [server.host.clone(), server.host.clone()],
    ] {
        let reply = server.raw(
            "GET",
            "/",
            &[
                ("Host", hosts[0].clone()),
                ("Host", hosts[1].clone()),
                ("Cookie", server.cookie()),
            ],
            "",
        );
        assert_eq!(reply.status, 400, "{hosts:?}");
        assert!(
            reply.text().contains("two Host headers"),
            "{}",
            reply.text()
        );
        assert!(!reply.text().contains(CASE));
    }
    // A whole address where the path belongs is not read as a path.
    let absolute = server.raw(
        "GET",
        &format!("http://{}/", server.host),
        &[("Host", server.host.clone()), ("Cookie", server.cookie())],
        "",
    );
    assert_eq!(absolute.status, 400, "{}", absolute.text());
}

#[test]
fn the_first_address_leads_only_to_this_server() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let host = || ("Host", server.host.clone());
    for (target, to) in [
        (format!("//evil.example/?token={}", server.token), "/"),
        (
            format!("/case/{CASE}?token={}", server.token),
            "/case/ct-2025-0117",
        ),
    ] {
        let reply = server.raw("GET", &target, &[host()], "");
        assert_eq!(reply.status, 303, "{target}");
        assert_eq!(reply.header("Location"), Some(to), "{target}");
    }
}

#[test]
fn a_body_too_large_to_take_is_refused_unread_and_the_server_stays() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let before = files(&test.path("records"));
    let path = format!("/case/{CASE}/contact");
    // Bodies claimed at the largest lengths, from someone without the
    // token and from the browser holding it; the claim is never allocated.
    for length in ["9223372036854775807", "18446744073709551615"] {
        for with_cookie in [false, true] {
            let mut headers = vec![("Host", server.host.clone())];
            if with_cookie {
                headers.push(("Cookie", server.cookie()));
            }
            let reply = common::web::head_only(&server.addr, "POST", &path, &headers, length);
            let expected = match (with_cookie, length) {
                // Beyond any length hyper counts: it refuses the head
                // itself (431), before casepaper sees the request.
                (_, "18446744073709551615") => 431,
                (false, _) => 401,
                (true, _) => 413,
            };
            assert_eq!(reply.status, expected, "{length}, cookie {with_cookie}");
        }
    }
    // Eight at once, as the attack sent them.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let addr = server.addr.clone();
            let headers = vec![("Host", server.host.clone()), ("Cookie", server.cookie())];
            let path = path.clone();
            std::thread::spawn(move || {
                common::web::head_only(&addr, "POST", &path, &headers, "9223372036854775807").status
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), 413);
    }
    // A body that is sent, one byte over the limit.
    let over = "a".repeat(16 * 1024 * 1024 + 1);
    let reply = server.raw(
        "POST",
        &path,
        &[("Host", server.host.clone()), ("Cookie", server.cookie())],
        &over,
    );
    assert_eq!(reply.status, 413);
    assert!(
        reply
            .text()
            .contains("The form is larger than the desk takes (16 MiB), so nothing was saved."),
        "{}",
        reply.text()
    );
    // A body of unsaid length (chunked), sent until the server stops it.
    let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\n\
         Transfer-Encoding: chunked\r\n\r\n",
        server.host,
        server.cookie()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = format!("100000\r\n{}\r\n", "a".repeat(0x100000));
    let mut sent = 0;
    while sent < 64 && stream.write_all(chunk.as_bytes()).is_ok() {
        sent += 1;
    }
    assert!(sent < 64, "the server stopped taking the body");
    let reply = common::web::parse(&common::web::answer(&mut stream));
    assert_eq!(reply.status, 413);
    assert_eq!(files(&test.path("records")), before, "nothing written");
    assert_eq!(server.get("/").status, 200, "the server still answers");
}

#[test]
fn a_record_of_a_million_non_latin_characters_is_saved_whole_from_the_editor() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let rel = format!("records/{CASE}/contacts.yaml");
    let path = format!("/case/{CASE}/edit/contacts.yaml");
    let form = server.get(&path).text();
    let mark = "name=\"base\" value=\"";
    let at = form.find(mark).unwrap() + mark.len();
    let base = form[at..at + 64].to_string();
    // Arabic text: two bytes a letter in UTF-8, six once form-encoded, so
    // a 1.6 MB file is a 4.7 MB form, over what the desk used to read.
    let words = "ملاحظة طويلة عن الزيارة ".repeat(37_000);
    let original = test.read(&rel);
    let long = original.replacen(
        "Planned the last visits",
        &format!("Planned the last visits {words}end of the note"),
        1,
    );
    assert!(long.len() > 1_600_000, "{}", long.len());
    let reply = server.post(&path, &[("base", base.as_str()), ("text", long.as_str())]);
    assert_eq!(reply.status, 303, "{}", reply.text());
    assert_eq!(test.read(&rel), long, "saved whole, its end included");
    test.assert_no_findings(&["validate", "records"]);
}

#[test]
fn dates_at_the_edge_of_the_calendar_in_the_address_are_today_and_the_server_stays() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let addr = server.addr.clone();
            let headers = vec![("Host", server.host.clone()), ("Cookie", server.cookie())];
            let day = [
                "+262142-12-31",
                "-262143-01-01",
                "+100000-01-01",
                "0000-01-01",
            ][i % 4];
            std::thread::spawn(move || {
                common::web::request(&addr, "GET", &format!("/?as_of={day}"), &headers, "").status
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), 200);
    }
    assert_eq!(
        server
            .get(&format!("/case/{CASE}?as_of=+262142-12-31"))
            .status,
        200
    );
}

#[test]
fn a_post_from_another_site_or_without_the_form_token_changes_nothing() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let before = files(&test.path("records"));
    let body = common::web::encode(&[("date", "2026-12-01"), ("minutes", "30"), ("summary", "x")]);
    let csrf = server.csrf();
    let with_csrf = format!("csrf={csrf}&{body}");
    // A token of the right length that differs in its first two
    // characters (a token that happens to start with `00` becomes `11...`).
    let other = if csrf.starts_with("00") { "11" } else { "00" };
    let another = format!("csrf={other}{}&{body}", &csrf[2..]);
    let path = format!("/case/{CASE}/contact");
    let base = |extra: &[(&'static str, String)]| {
        let mut h = vec![("Host", server.host.clone()), ("Cookie", server.cookie())];
        h.extend_from_slice(extra);
        h
    };
    let refused = [
        (base(&[]), body.clone(), "no form token"),
        (base(&[]), another, "another form token"),
        (
            base(&[("Sec-Fetch-Site", "cross-site".into())]),
            with_csrf.clone(),
            "cross-site",
        ),
        (
            base(&[("Sec-Fetch-Site", "same-site".into())]),
            with_csrf.clone(),
            "same-site",
        ),
        (
            base(&[("Origin", "http://evil.example".into())]),
            with_csrf.clone(),
            "another origin",
        ),
        (
            base(&[("Origin", "null".into())]),
            with_csrf.clone(),
            "an opaque origin",
        ),
    ];
    for (headers, body, what) in refused {
        let reply = server.raw("POST", &path, &headers, &body);
        assert_eq!(reply.status, 403, "{what}: {}", reply.text());
        assert!(reply.text().contains("nothing was changed"), "{what}");
    }
    let without_cookie = server.raw("POST", &path, &[("Host", server.host.clone())], &with_csrf);
    assert_eq!(without_cookie.status, 401);
    assert_eq!(files(&test.path("records")), before, "nothing written");
    let commit = server.raw("POST", "/changes", &base(&[]), "message=sneaky");
    assert_eq!(commit.status, 403);
}

#[test]
fn a_valid_note_is_a_new_file_validate_accepts_and_its_contact_sheet_shows_it() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let before = files(&test.path("records"));
    let summary = "Talked about the last visits; Dana asked for the district's phone number.";
    let reply = post_note(&server, &note(summary));
    assert_eq!(reply.status, 303, "{}", reply.text());
    let new = "contacts-2026-12-01-mlopez.yaml";
    assert_eq!(
        reply.header("Location"),
        Some(format!("/case/{CASE}?saved={new}").as_str())
    );
    assert_eq!(
        records_but(&test, &[new]),
        before,
        "every other file as it was, byte for byte"
    );
    let written = test.read(&format!("records/{CASE}/{new}"));
    assert!(
        written.contains("summary: Talked about the last visits;"),
        "{written}"
    );
    assert!(
        written.contains("participants: [Dana Marsh (mother), Eli]"),
        "{written}"
    );
    test.assert_no_findings(&["validate", "records"]);

    let page = server.get(&format!("/case/{CASE}?saved={new}"));
    let beside = test.path(&format!("out/{CASE}/contacts.pdf"));
    assert!(
        beside.is_file(),
        "the documents are in out/, where `render` puts them"
    );
    assert!(
        page.text().contains(&format!("Saved {CASE}/{new}")),
        "{}",
        page.text()
    );
    let pdf = server.get(&format!("/case/{CASE}/documents/contacts.pdf"));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("Content-Type"), Some("application/pdf"));
    assert!(
        pdf.header("Content-Disposition")
            .is_some_and(|d| d.starts_with("inline"))
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let path = elsewhere.path().join("contacts.pdf");
    std::fs::write(&path, &pdf.body).unwrap();
    let text = common::normalize(&pdf_text(&path));
    assert!(
        text.contains("Dana asked for the district's phone number."),
        "{text}"
    );

    let changes = server.get("/changes");
    let listed = html_escaped(&format!("{CASE}/{new}"));
    assert!(changes.text().contains(&listed), "{}", changes.text());
    let committed = server.post("/changes", &[("message", "Contact note of December 1")]);
    assert_eq!(committed.status, 303, "{}", committed.text());
    assert!(
        test.git(&["log", "-1", "--format=%s"])
            .contains("Contact note of December 1")
    );
    assert_eq!(
        test.git(&["status", "--porcelain"]).trim(),
        "",
        "all committed"
    );
    let log = server.get(&format!("/case/{CASE}"));
    assert!(
        log.text().contains("Contact note of December 1"),
        "the case's history shows it"
    );
}

#[test]
fn a_note_saved_for_a_program_that_asks_for_private_files_is_its_owner_s_alone() {
    use std::os::unix::fs::PermissionsExt;
    let test = samples_in_git();
    test.edit(
        "records/program.yaml",
        "\nprogram:\n",
        "\nfiles:\n  private: true\nprogram:\n",
    );
    let server = Server::start(&test);
    let reply = post_note(&server, &note("A note kept private."));
    assert_eq!(reply.status, 303, "{}", reply.text());
    let made = test.path(&format!("records/{CASE}/contacts-2026-12-01-mlopez.yaml"));
    let mode = std::fs::metadata(made).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_note_new_contact_wrote_and_a_person_filled_in_changes_in_its_form() {
    let test = samples_in_git();
    test.run(&[
        "new",
        "contact",
        CASE,
        "--date",
        "2026-12-01",
        "--kind",
        "phone",
        "--records",
        "records",
    ])
    .assert_status(0);
    let rel = format!("records/{CASE}/contacts-2026-12-01-mlopez.yaml");
    // Filled in an editor, values typed after the keys, casepaper's help
    // comments left where they were.
    for (key, value) in [
        ("minutes:", "minutes: 15"),
        ("participants:", "participants: [Dana Marsh (mother)]"),
        ("summary:", "summary: Called about the last visit."),
        ("by:", "by: mlopez"),
        ("on:", "on: 2026-12-01"),
    ] {
        test.edit(&rel, &format!("{key}  #"), &format!("{value}  #"));
    }
    test.edit(&rel, "notes:  #", "# The family's calls\nnotes:  #");
    let filled = test.read(&rel);
    test.assert_no_findings(&["validate", "records"]);
    let path = format!("/case/{CASE}/note/contacts-2026-12-01-mlopez.yaml/0");
    let form = server_form(&test, &path);
    let (server, base) = form;
    let reply = server.post(
        &path,
        &[
            ("base", base.as_str()),
            ("date", "2026-12-01"),
            ("minutes", "20"),
            ("type", "phone"),
            ("participants", "Dana Marsh (mother)"),
            ("summary", "Called about the last visit."),
            ("signed.by", "mlopez"),
            ("signed.on", "2026-12-01"),
        ],
    );
    assert_eq!(reply.status, 303, "{}", reply.text());
    let changed = test.read(&rel);
    // The file's own lines and comments stay; the entry is written anew,
    // without the help that was written for its empty values.
    let head = filled.split("  - date").next().unwrap();
    assert!(changed.starts_with(head), "{changed}");
    assert!(changed.contains("minutes: 20"), "{changed}");
    assert!(!changed.contains("How long the contact took"), "{changed}");
    assert!(changed.contains("# The family's calls"), "{changed}");
    test.assert_no_findings(&["validate", "records"]);
}

/// A server on the test's records, and the `base` of the form at `path`.
fn server_form(test: &Test, path: &str) -> (Server, String) {
    let server = Server::start(test);
    let form = server.get(path).text();
    let mark = "name=\"base\" value=\"";
    let at = form.find(mark).unwrap_or_else(|| panic!("{form}")) + mark.len();
    let base = form[at..at + 64].to_string();
    (server, base)
}

#[test]
fn a_date_the_browser_cannot_show_is_shown_as_written_and_date_fields_take_four_digit_years() {
    let test = samples_in_git();
    let rel = format!("records/{CASE}/contacts.yaml");
    test.edit(&rel, "  - date: 2025-10-09", "  - date: 2025-13-09");
    let server = Server::start(&test);
    let form = server
        .get(&format!("/case/{CASE}/note/contacts.yaml/0"))
        .text();
    assert!(
        form.contains(
            "<input id=\"f-date\" name=\"date\" value=\"2025-13-09\" aria-describedby=\"h-date\"\n    type=\"text\">"
        ),
        "{form}"
    );
    let good = server
        .get(&format!("/case/{CASE}/note/contacts.yaml/1"))
        .text();
    assert!(
        good.contains(
            "<input id=\"f-date\" name=\"date\" value=\"2025-11-14\" aria-describedby=\"h-date\"\n    type=\"date\" min=\"1900-01-01\" max=\"2199-12-31\">"
        ),
        "{good}"
    );
    // The help beside a time field says what it is, not how a file writes it.
    assert!(
        good.contains("<p class=\"help\" id=\"h-start_time\">When the contact started.</p>"),
        "{good}"
    );
}

/// The titles and files a case's page lists under Documents, in order.
fn documents_listed(page: &str) -> Vec<(String, String)> {
    let start = page
        .find("<h2 id=\"documents\">")
        .expect("a Documents section");
    let section = &page[start..page[start..].find("</section>").unwrap() + start];
    section
        .split("<li>")
        .skip(1)
        .map(|item| {
            let title = item.split("rel=\"noopener\">").nth(1).unwrap();
            let title = title.split("</a>").next().unwrap();
            let file = item.split("<span class=\"quiet\">").nth(1).unwrap();
            let file = file.split("</span>").next().unwrap();
            (title.to_string(), file.to_string())
        })
        .collect()
}

#[test]
fn documents_are_listed_in_people_s_words_with_their_files() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let page = server.get("/case/ct-2026-0102").text();
    let listed = documents_listed(&page);
    let expected = [
        (
            "Consent for Evaluation and Assessment, October 20, 2026",
            "consent-2026-10-20-evaluation.pdf",
        ),
        ("Service Coordination Contact Sheet", "contacts.pdf"),
        (
            "Prior Written Notice: evaluation and assessment, November 2, 2026",
            "notice-2026-11-02-evaluation.pdf",
        ),
        (
            "Prior Written Notice: finding that the child is not eligible, November 2, 2026",
            "notice-2026-11-02-not-eligible.pdf",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(t, f)| (t.to_string(), f.to_string()))
        .collect();
    assert_eq!(listed, expected);
    // Papers in two languages: each named by its language.
    let both = documents_listed(&server.get("/case/vt-2026-0077").text());
    assert_eq!(both.len(), 19, "{both:?}");
    assert_eq!(
        both[..2],
        [
            (
                "Consent for Evaluation and Assessment, August 20, 2026 (English)".to_string(),
                "consent-2026-08-20-evaluation-en.pdf".to_string()
            ),
            (
                "Consent for Evaluation and Assessment, August 20, 2026 (Spanish)".to_string(),
                "consent-2026-08-20-evaluation-es.pdf".to_string()
            ),
        ]
    );
    assert!(
        both.contains(&(
            "Service Coordination Contact Sheet".to_string(),
            "contacts.pdf".to_string()
        )),
        "the contact sheet is the program's own, in one language: {both:?}"
    );
    for (title, file) in &both {
        let html = server.get(&format!("/case/vt-2026-0077/documents/{file}"));
        assert_eq!(html.status, 200, "{title}");
    }
}

#[test]
fn a_case_with_nothing_to_print_yet_says_so_and_one_with_errors_says_why() {
    let test = samples_in_git();
    // A referral just taken: the case file alone, before any consent,
    // note, notice or plan.
    let referral = test.read("records/ct-2026-0102/case.yaml");
    let referral = referral[..referral.find("evaluation_date:").unwrap()]
        .replace("ct-2026-0102", "ct-2026-0200");
    test.write("records/ct-2026-0200/case.yaml", &referral);
    test.assert_no_findings(&["validate", "records/ct-2026-0200"]);
    let server = Server::start(&test);
    let new = server.get("/case/ct-2026-0200").text();
    assert!(
        new.contains(
            "No documents yet: the case has nothing to print until its first consent, note, \
             notice or plan is recorded."
        ),
        "{new}"
    );
    // A note with an error: every document but the contact sheet is still
    // made from the files without errors, and says so; the contact sheet
    // waits (an old one is neither listed nor given).
    let files = |page: &str| -> Vec<String> {
        documents_listed(page).into_iter().map(|(_, f)| f).collect()
    };
    let whole = files(&server.get(&format!("/case/{CASE}")).text());
    assert!(whole.contains(&"contacts.pdf".to_string()), "{whole:?}");
    test.edit(
        &format!("records/{CASE}/contacts.yaml"),
        "    minutes: 45\n",
        "    minutes: forty-five\n",
    );
    let broken = server.get(&format!("/case/{CASE}")).text();
    let without_notes: Vec<String> = whole
        .iter()
        .filter(|f| *f != "contacts.pdf")
        .cloned()
        .collect();
    assert_eq!(files(&broken), without_notes);
    assert!(
        broken.contains(
            "Only the documents made of files without errors; the others are made once the \
             errors above are fixed."
        ),
        "{broken}"
    );
    let plan = server.get(&format!("/case/{CASE}/documents/{}", without_notes[0]));
    assert_eq!(plan.status, 200);
    let sheet = server.get(&format!("/case/{CASE}/documents/contacts.pdf"));
    assert_eq!(sheet.status, 404);
    // A plan with an error as well: what reads neither the plan nor the
    // notes (the exit letter, the transition plan) is still made.
    test.edit(
        &format!("records/{CASE}/plan.yaml"),
        "    type: six-month-review\n",
        "    type: half-year\n",
    );
    let worse = server.get(&format!("/case/{CASE}")).text();
    assert_eq!(
        files(&worse),
        ["exit-letter.pdf", "transition.pdf"],
        "{worse}"
    );
    // Its family is still shown, from its case file.
    assert!(
        broken.contains("<dt>Papers in</dt><dd>English</dd>"),
        "{broken}"
    );
    assert!(broken.contains("<td>Dana Marsh</td>"), "{broken}");
    assert!(broken.contains("37 Quarry Hill Lane"), "{broken}");
}

/// The value of the input `id` on a page.
fn input_value(page: &str, id: &str) -> String {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}: {page}"));
    let rest = &page[at..];
    let mark = "value=\"";
    let start = rest.find(mark).unwrap() + mark.len();
    rest[start..start + rest[start..].find('"').unwrap()].to_string()
}

#[test]
fn a_commit_takes_every_changed_file_of_the_repository_but_the_documents() {
    let test = samples_in_git();
    // The desk's documents are not ignored in this repository: the commit
    // still leaves them out.
    test.write(".gitignore", "");
    test.commit("2026-11-30T12:00:00", "No ignore file");
    let server = Server::start(&test);
    assert_eq!(
        server.get(&format!("/case/{CASE}")).status,
        200,
        "documents made"
    );
    assert!(test.path(&format!("out/{CASE}/contacts.pdf")).exists());
    let saved = post_note(&server, &note("A visit, committed with the staff notes."));
    assert_eq!(saved.status, 303, "{}", saved.text());
    test.write("README.md", "# Case records\n\nStaff notes changed.\n");
    let page = server.get("/changes").text();
    let listed: Vec<&str> = page
        .split("<li><code>")
        .skip(1)
        .map(|item| item.split("</code>").next().unwrap())
        .collect();
    assert_eq!(
        listed,
        [
            "README.md".to_string(),
            html_escaped(&format!("records/{CASE}/contacts-2026-12-01-mlopez.yaml"))
        ],
        "{page}"
    );
    let committed = server.post(
        "/changes",
        &[("message", "Note of December 1; staff notes")],
    );
    assert_eq!(committed.status, 303, "{}", committed.text());
    let status = test.git(&["status", "--porcelain", "--untracked-files=all"]);
    let left: Vec<&str> = status.lines().collect();
    assert!(left.iter().all(|l| l.starts_with("?? out/")), "{status}");
    assert!(!left.is_empty(), "the documents are left out of the commit");
    let page = server.get("/changes").text();
    assert!(!page.contains("README.md"), "{page}");
}

#[test]
fn a_coordinator_git_does_not_know_gives_her_name_and_her_message_is_kept() {
    let test = samples_in_git();
    let server = Server::start_without_git_identity(&test);
    let saved = post_note(&server, &note("A visit by a new coordinator."));
    assert_eq!(saved.status, 303, "{}", saved.text());
    let message = "First note of a new coordinator";
    let asked = server.post("/changes", &[("message", message)]);
    assert_eq!(asked.status, 422, "{}", asked.text());
    let page = asked.text();
    assert!(
        page.contains("Nothing was committed yet: git does not know who you are on this computer."),
        "{page}"
    );
    assert_eq!(
        input_value(&page, "message"),
        message,
        "what she typed is kept"
    );
    assert!(
        page.contains("<label for=\"email\">Your e-mail address</label>"),
        "{page}"
    );
    let committed = server.post(
        "/changes",
        &[
            ("message", message),
            ("name", "Nadia Reyes"),
            ("email", "nreyes@program.example"),
        ],
    );
    assert_eq!(committed.status, 303, "{}", committed.text());
    assert_eq!(
        test.git(&["log", "-1", "--format=%an <%ae>|%s"]).trim(),
        format!("Nadia Reyes <nreyes@program.example>|{message}")
    );
    assert_eq!(
        test.git(&["config", "--local", "user.name"]).trim(),
        "Nadia Reyes"
    );
    // Known from then on: the page asks no more.
    assert!(
        !server
            .get("/changes")
            .text()
            .contains("Your e-mail address")
    );
}

#[test]
fn a_commit_git_refuses_keeps_the_message_and_says_what_git_said() {
    use std::os::unix::fs::PermissionsExt;
    let test = samples_in_git();
    test.write(
        ".git/hooks/pre-commit",
        "#!/bin/sh\necho 'the program checks every commit first' >&2\nexit 1\n",
    );
    std::fs::set_permissions(
        test.path(".git/hooks/pre-commit"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let server = Server::start(&test);
    let saved = post_note(&server, &note("A visit before a refused commit."));
    assert_eq!(saved.status, 303, "{}", saved.text());
    let message = "Note of December 1";
    let refused = server.post("/changes", &[("message", message)]);
    assert_eq!(refused.status, 500, "{}", refused.text());
    let page = refused.text();
    assert!(
        page.contains("Nothing was committed: git refused the commit, with the words below."),
        "{page}"
    );
    assert!(
        page.contains("the program checks every commit first"),
        "{page}"
    );
    assert_eq!(input_value(&page, "message"), message);
    assert_eq!(
        test.git(&["log", "-1", "--format=%s"]).trim(),
        "Records as they were"
    );
}

#[test]
fn the_example_case_init_wrote_is_removed_from_the_desk_and_no_family_s_case_can_be() {
    let test = Test::empty();
    test.run(&["init", "."]).assert_status(0);
    test.git_init();
    test.commit("2026-11-30T12:00:00", "Started");
    let example = "ct-example-0001";
    let server = Server::start(&test);
    let page = server.get(&format!("/case/{example}")).text();
    assert!(
        page.contains(
            "<button type=\"submit\" class=\"secondary\">Remove the example case</button>"
        ),
        "{page}"
    );
    let removed = server.post(&format!("/case/{example}/remove"), &[]);
    assert_eq!(removed.status, 303, "{}", removed.text());
    assert_eq!(
        removed.header("Location"),
        Some(format!("/?removed={example}").as_str())
    );
    assert!(!test.path(&format!("records/{example}")).exists());
    let caseload = server.get(&format!("/?removed={example}")).text();
    assert!(
        caseload.contains(&format!(
            "Removed the example case {example}. Commit the change"
        )),
        "{caseload}"
    );
    assert!(
        !caseload.contains(&format!("href=\"/case/{example}\"")),
        "{caseload}"
    );
    // A family's case is never removed this way.
    let test = samples_in_git();
    let server = Server::start(&test);
    assert!(
        !server
            .get(&format!("/case/{CASE}"))
            .text()
            .contains("Remove the example case")
    );
    let refused = server.post(&format!("/case/{CASE}/remove"), &[]);
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(test.path(&format!("records/{CASE}/case.yaml")).exists());
}

#[test]
fn a_commit_message_longer_than_a_command_line_is_committed_whole() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let saved = post_note(&server, &note("A visit before a long commit message."));
    assert_eq!(saved.status, 303, "{}", saved.text());
    // Over Linux's 128 KB limit for one argument of a command line.
    // A line that starts with # is the coordinator's too, as with -m.
    let message = format!(
        "#12 Contact note of December 1. {}",
        "Long words. ".repeat(20_000)
    );
    let committed = server.post("/changes", &[("message", message.as_str())]);
    assert_eq!(committed.status, 303, "{}", committed.text());
    assert_eq!(
        test.git(&["log", "-1", "--format=%B"]).trim_end(),
        message.trim_end()
    );
}

#[test]
fn an_invalid_note_shows_each_error_beside_its_field_and_writes_nothing() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let before = files(&test.path("records"));
    let mut form = note("");
    for (k, v) in form.iter_mut() {
        match *k {
            "minutes" => *v = "forty".into(),
            "date" => *v = "12/01/2026".into(),
            "signed.by" => *v = "nobody".into(),
            _ => {}
        }
    }
    let reply = post_note(&server, &form);
    assert_eq!(reply.status, 422);
    let page = reply.text();
    let beside = |field: &str| {
        let at = page
            .find(&format!("<ul class=\"errors\" id=\"e-{field}\">"))
            .unwrap_or_else(|| panic!("no error beside {field}:\n{page}"));
        page[at..at + page[at..].find("</ul>").unwrap()].to_string()
    };
    assert!(
        beside("minutes").contains("should be a whole number, not `forty`"),
        "{}",
        beside("minutes")
    );
    assert!(
        beside("summary").contains("This is required."),
        "{}",
        beside("summary")
    );
    assert!(
        beside("date").contains("is not a date"),
        "{}",
        beside("date")
    );
    assert!(
        beside("signed.by").contains("is not a staff id"),
        "{}",
        beside("signed.by")
    );
    assert!(
        !page.contains("id=\"e-location\""),
        "no error beside a good field"
    );
    assert!(page.contains("value=\"forty\""), "what was typed is kept");
    assert!(page.contains("Nothing was saved yet"));
    assert_eq!(files(&test.path("records")), before, "nothing written");
}

#[test]
fn an_edit_over_a_change_made_meanwhile_is_refused_and_both_versions_are_shown() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let rel = format!("records/{CASE}/contacts.yaml");
    let form = server
        .get(&format!("/case/{CASE}/edit/contacts.yaml"))
        .text();
    let mark = "name=\"base\" value=\"";
    let at = form.find(mark).unwrap() + mark.len();
    let base = form[at..at + 64].to_string();
    let original = test.read(&rel);
    // Someone else saves the file while the form is open.
    let theirs = original.replace(
        "Final visit on December 3.",
        "Final visit moved to December 4.",
    );
    test.write(&rel, &theirs);
    let mine = original.replace("Planned the last visits", "Planned the last two visits");
    let path = format!("/case/{CASE}/edit/contacts.yaml");
    let reply = server.post(&path, &[("base", base.as_str()), ("text", mine.as_str())]);
    assert_eq!(reply.status, 409, "{}", reply.text());
    assert_eq!(test.read(&rel), theirs, "their edit is kept");
    let page = reply.text();
    assert!(page.contains("Nothing was saved"), "{page}");
    assert!(
        page.contains(&html_escaped("Planned the last two visits")),
        "my version shown"
    );
    assert!(
        page.contains(&html_escaped("Final visit moved to December 4.")),
        "theirs shown"
    );

    // Saved again from that page (which now carries the file's new digest).
    let at = page.find(mark).unwrap() + mark.len();
    let base = page[at..at + 64].to_string();
    let merged = theirs.replace("Planned the last visits", "Planned the last two visits");
    let again = server.post(&path, &[("base", base.as_str()), ("text", merged.as_str())]);
    assert_eq!(again.status, 303, "{}", again.text());
    assert_eq!(test.read(&rel), merged);
    assert!(
        test.read(&rel)
            .starts_with("# yaml-language-server: $schema="),
        "the file's comments are kept"
    );

    // An edit that makes the file invalid is shown with its line; nothing is written.
    let bad = merged.replace("minutes: 15", "minutes: fifteen");
    let now = server.get(&path).text();
    let at = now.find(mark).unwrap() + mark.len();
    let base = now[at..at + 64].to_string();
    let refused = server.post(&path, &[("base", base.as_str()), ("text", bad.as_str())]);
    assert_eq!(refused.status, 422);
    let line = bad.lines().position(|l| l.contains("fifteen")).unwrap() + 1;
    assert!(
        refused.text().contains(&format!("line {line}: ")),
        "{}",
        refused.text()
    );
    assert_eq!(test.read(&rel), merged);
}

#[test]
fn a_case_page_waits_for_a_render_finishing_in_the_same_output_folder() {
    let test = samples_in_git();
    let server = Server::start(&test);
    // Another render holds the output folder for a moment.
    std::fs::create_dir_all(test.path("out")).unwrap();
    let lock = std::fs::File::create(test.path("out/.casepaper.lock")).unwrap();
    lock.lock().unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(600));
        lock.unlock().unwrap();
    });
    let page = server.get(&format!("/case/{CASE}"));
    release.join().unwrap();
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("contacts.pdf"), "{}", page.text());
}

#[test]
fn a_note_is_saved_while_another_file_of_the_case_has_an_error() {
    let test = samples_in_git();
    let plan = format!("records/{CASE}/plan.yaml");
    test.edit(
        &plan,
        "version: 1\n",
        "version: 1\nfavourite_colour: blue\n",
    );
    let server = Server::start(&test);
    let saved = post_note(&server, &note("A visit while the plan is being fixed."));
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(
        saved.header("Location"),
        Some(format!("/case/{CASE}?saved=contacts-2026-12-01-mlopez.yaml").as_str())
    );
    let written = test.read(&format!("records/{CASE}/contacts-2026-12-01-mlopez.yaml"));
    assert!(
        written.contains("A visit while the plan is being fixed."),
        "{written}"
    );
    // The plan's own error is still there, and still stops the case.
    test.run(&["validate", "records"])
        .assert_status(1)
        .stderr_has("favourite_colour");
}

#[test]
fn fifty_requests_at_once_while_notes_are_saved_all_answer_rightly() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let before = files(&test.path("records"));
    let results: Vec<(usize, u16, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..50)
            .map(|i| {
                let server = &server;
                s.spawn(move || match i % 5 {
                    0 => {
                        let r = post_note(server, &note(&format!("Concurrent note number {i}.")));
                        (i, r.status, r.text())
                    }
                    1 => {
                        let r = server.get(&format!("/case/{CASE}"));
                        (i, r.status, r.text())
                    }
                    2 => {
                        let r = server.get(&format!("/case/{CASE}/documents/contacts.pdf"));
                        let whole = r.body.starts_with(b"%PDF-")
                            && r.body.trim_ascii_end().ends_with(b"%%EOF");
                        let said = if whole {
                            "pdf".to_string()
                        } else {
                            format!(
                                "not a whole PDF: {:?}",
                                String::from_utf8_lossy(&r.body[..r.body.len().min(300)])
                            )
                        };
                        (i, r.status, said)
                    }
                    _ => {
                        let r = server.get("/");
                        (i, r.status, r.text())
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, status, text) in &results {
        match i % 5 {
            0 => assert_eq!(*status, 303, "note {i}: {text}"),
            2 => assert_eq!((*status, text.as_str()), (200, "pdf"), "request {i}"),
            1 => assert!(
                *status == 200 && text.contains("Documents"),
                "request {i}: {status}"
            ),
            _ => assert!(
                *status == 200 && text.contains(CASE),
                "request {i}: {status}"
            ),
        }
    }
    let dir = test.path(&format!("records/{CASE}"));
    let mut new: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("contacts-2026-12-01"))
        .collect();
    new.sort();
    assert_eq!(new.len(), 10, "one new file per note: {new:?}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );
    let names: Vec<&str> = new.iter().map(String::as_str).collect();
    assert_eq!(records_but(&test, &names), before);
    for i in (0..50).step_by(5) {
        let found = new
            .iter()
            .filter(|n| {
                test.read(&format!("records/{CASE}/{n}"))
                    .contains(&format!("number {i}.\n"))
            })
            .count();
        assert_eq!(found, 1, "note {i} is in exactly one file, whole");
    }
    test.assert_no_findings(&["validate", "records"]);
}

#[test]
fn paths_from_the_browser_never_leave_the_records_folder() {
    let test = samples_in_git();
    test.write("secret.yaml", "kind: case\n");
    let server = Server::start(&test);
    for path in [
        "/case/../secret.yaml".to_string(),
        format!("/case/{CASE}/edit/..%2F..%2Fsecret.yaml"),
        format!("/case/{CASE}/edit/../../secret.yaml"),
        format!("/case/{CASE}/edit/.git"),
        format!("/case/{CASE}/documents/..%2Fcontacts.pdf"),
        "/case/%2e%2e/edit/program.yaml".to_string(),
        "/static/../Cargo.toml".to_string(),
        format!("/case/{CASE}/edit/missing.yaml"),
    ] {
        let reply = server.get(&path);
        assert_eq!(reply.status, 404, "{path}: {}", reply.text());
    }
    std::os::unix::fs::symlink(
        test.path("secret.yaml"),
        test.path(&format!("records/{CASE}/link.yaml")),
    )
    .unwrap();
    assert_eq!(
        server.get(&format!("/case/{CASE}/edit/link.yaml")).status,
        404,
        "a link out is not followed"
    );
}

#[test]
fn a_case_folder_that_links_out_of_the_records_is_not_served() {
    let test = samples_in_git();
    copy_dir(
        &test.path(&format!("records/{CASE}")),
        &test.path("elsewhere"),
    );
    std::os::unix::fs::symlink(test.path("elsewhere"), test.path("records/linked")).unwrap();
    let server = Server::start(&test);
    for path in [
        "/case/linked".to_string(),
        "/case/linked/edit/case.yaml".to_string(),
        "/case/linked/documents/contacts.pdf".to_string(),
    ] {
        assert_eq!(server.get(&path).status, 404, "{path}");
    }
    let before = files(&test.path("elsewhere"));
    let sent = server.post(
        "/case/linked/edit/case.yaml",
        &[("text", "x: 1\n"), ("base", "")],
    );
    assert_eq!(sent.status, 404);
    assert_eq!(
        files(&test.path("elsewhere")),
        before,
        "nothing written out"
    );
}

#[test]
fn the_browser_is_given_a_private_page_and_no_command_line_holds_the_key() {
    use std::io::BufRead;
    use std::os::unix::fs::PermissionsExt;
    let test = samples_in_git();
    // A desktop whose opener notes what it was given.
    let seen = test.path("seen");
    std::fs::create_dir(&seen).unwrap();
    test.write(
        "bin/xdg-open",
        "#!/bin/sh\n\
         printf '%s\\n' \"$@\" > \"$SEEN/args.tmp\"\n\
         stat -c %a \"$1\" > \"$SEEN/mode\"\n\
         stat -c %a \"$(dirname \"$1\")\" > \"$SEEN/folder\"\n\
         cat \"$1\" > \"$SEEN/page\"\n\
         mv \"$SEEN/args.tmp\" \"$SEEN/args\"\n",
    );
    let opener = test.path("bin/xdg-open");
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        test.path("bin").display(),
        std::env::var("PATH").unwrap()
    );
    let mut child = std::process::Command::new(common::BIN)
        .args(["serve", "records"])
        .current_dir(test.dir.path())
        .env("PATH", path)
        .env("SEEN", &seen)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_string();
    let start = std::time::Instant::now();
    while !seen.join("args").exists() && start.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let token = url.split("?token=").nth(1).unwrap();
    let args = std::fs::read_to_string(seen.join("args")).expect("the opener ran");
    assert!(
        !args.contains(token),
        "the key is not on the command line: {args}"
    );
    assert!(
        args.trim().ends_with("/open-the-desk.html"),
        "a page is opened: {args}"
    );
    let read = |name: &str| std::fs::read_to_string(seen.join(name)).unwrap();
    assert_eq!(read("mode").trim(), "600", "only this user reads the page");
    assert_eq!(read("folder").trim(), "700", "nor enters its folder");
    assert_eq!(
        read("page"),
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"refresh\" content=\"0; url={url}\">\
             <title>casepaper</title></head>\
             <body><p><a href=\"{url}\">Open the casepaper desk</a></p></body></html>\n"
        )
    );
}

#[test]
fn serve_refuses_an_address_other_computers_can_reach_unless_told() {
    let test = samples_in_git();
    let run = test.run(&["serve", "records", "--no-open", "--address", "0.0.0.0"]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--allow-other-address"),
        "{}",
        run.stderr
    );
}

/// The form's free-text fields a hostile string goes into.
const TEXT_FIELDS: [&str; 3] = ["location", "summary", "next_steps"];

/// Every string of the hostile corpus (Typst and template syntax, YAML
/// look-alikes, bidi controls, control characters, 10,000-character lines)
/// through the note form's free-text fields, three strings a note, one in
/// each field. Sent back with an error elsewhere, each field shows its
/// string as itself. Sent as a good note, each string is saved exactly (or
/// refused by validation, which says why), and prints in the contact
/// sheet. A form trims the white space around what is typed and takes a
/// browser's line breaks (CRLF) as line breaks. (How each string prints,
/// character by character, in every document, is `tests/hostile.rs`; here
/// the strings share one sheet, where a glyph reads back as the text it
/// was first used for, so the sheet is read for the ASCII ones.)
#[test]
fn hostile_text_through_every_form_field_shows_as_itself_in_the_page_and_the_pdf() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let corpus = common::corpus();
    assert_eq!(corpus.len(), 285);
    let typed = |s: &str| s.trim().replace("\r\n", "\n");
    let with = |texts: &[&String], minutes: &str| {
        let mut form = note("");
        for (k, v) in form.iter_mut() {
            if let Some(i) = TEXT_FIELDS.iter().position(|f| f == k) {
                *v = texts[i % texts.len()].to_string();
            }
            if *k == "minutes" {
                *v = minutes.to_string();
            }
        }
        form
    };
    let mut saved = Vec::new();
    for three in corpus.chunks(3) {
        let three: Vec<&String> = three.iter().collect();
        // With an error elsewhere, each field gives its string back as typed.
        let reply = post_note(&server, &with(&three, "not a number"));
        assert_eq!(reply.status, 422);
        let page = reply.text();
        for (i, field) in TEXT_FIELDS.iter().enumerate() {
            let s = three[i % three.len()];
            let at = page.find(&format!("name=\"{field}\"")).unwrap();
            let end = at + page[at..].find("</div>").unwrap();
            assert!(
                page[at..end].contains(&html_escaped(&typed(s))),
                "{field} does not show {s:?}"
            );
        }
        // As a good note: saved, or each string tried alone.
        if post_note(&server, &with(&three, "30")).status == 303 {
            saved.extend(three.iter().map(|s| typed(s)));
            continue;
        }
        for s in three {
            let reply = post_note(&server, &with(&[s], "30"));
            match reply.status {
                303 => saved.push(typed(s)),
                422 => assert!(
                    reply.text().contains("class=\"errors\""),
                    "{s:?} refused, but no field says why"
                ),
                other => panic!("{s:?}: {other}"),
            }
        }
    }
    assert!(
        saved.len() > 200,
        "only {} of the strings were saved",
        saved.len()
    );
    let mut written = Vec::new();
    for entry in std::fs::read_dir(test.path(&format!("records/{CASE}"))).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("contacts-2026-12-01")
        {
            let text = std::fs::read_to_string(&path).unwrap();
            let doc = casepaper::testing::yaml::parse(text).unwrap();
            for field in TEXT_FIELDS {
                written.push(doc.value["notes"][0][field].as_str().unwrap().to_string());
            }
        }
    }
    for s in &saved {
        assert!(written.contains(s), "{s:?} is not saved exactly");
    }
    test.assert_no_findings(&["validate", "records"]);
    let pdf = server.get(&format!("/case/{CASE}/documents/contacts.pdf"));
    assert_eq!(pdf.status, 200);
    let elsewhere = tempfile::tempdir().unwrap();
    let path = elsewhere.path().join("contacts.pdf");
    std::fs::write(&path, &pdf.body).unwrap();
    let text = common::squeeze(&pdf_text(&path));
    let ascii: Vec<&String> = saved
        .iter()
        .filter(|s| s.is_ascii() && s.len() < 2000)
        .collect();
    assert!(ascii.len() > 100, "{}", ascii.len());
    for s in ascii {
        assert!(
            text.contains(&common::squeeze(s)),
            "the contact sheet does not print {s:?}"
        );
    }
}

/// The hidden value `name` of the first form on `page` that has it.
fn hidden(page: &str, name: &str) -> String {
    let mark = format!("name=\"{name}\" value=\"");
    let at = page
        .find(&mark)
        .unwrap_or_else(|| panic!("no {name} in the page"))
        + mark.len();
    // As the browser reads the attribute.
    page[at..at + page[at..].find('"').unwrap()]
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

#[test]
fn a_plan_that_lists_no_one_to_sign_it_gets_its_list_with_the_first_signature() {
    let test = Test::fixture("minimal");
    let rel = "records/case-a/plan.yaml";
    test.edit(rel, common::MEETING_SIGNED, "");
    test.git_init();
    test.commit("2025-02-04T12:00:00", "Records as they were");
    let server = Server::start(&test);
    let before = test.read(rel);
    let page = server.get("/case/case-a").text();
    let owed = &page[page
        .find("id=\"signatures\"")
        .expect("signatures owed are listed")..];
    assert!(
        owed.contains("the plan of the meeting of 2025-02-03"),
        "{owed}"
    );
    // The coordinator's line, the second of the two the plan prints.
    let form_at = owed
        .find("Cora Lind")
        .and_then(|at| owed[at..].find("<form").map(|f| at + f));
    let form = &owed[form_at.expect("a form for the coordinator")..];
    let fields: Vec<(String, String)> = ["file", "pointer", "base"]
        .iter()
        .map(|n| (n.to_string(), hidden(form, n)))
        .collect();
    assert_eq!(fields[1].1, "/meetings/0/signatures/1");
    let mut sent: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    sent.extend([("signed_on", "2025-02-03"), ("method", "paper")]);
    let reply = server.post("/case/case-a/sign", &sent);
    assert_eq!(
        reply.header("Location"),
        Some("/case/case-a?saved=plan.yaml")
    );
    assert_eq!(
        test.read(rel),
        before.replace(
            "    type: initial\n",
            "    type: initial\n    signatures:\n      - {role: parent, name: Bea Test}\n      \
             - {role: coordinator, name: Cora Lind, signed_on: 2025-02-03, method: paper}\n"
        ),
        "the meeting's list, and nothing else"
    );
    // The parent's signature is still owed, now at its entry.
    let page = server.get("/case/case-a").text();
    let owed = &page[page.find("id=\"signatures\"").expect("one still owed")..];
    assert!(
        owed.contains("Bea Test") && !owed.contains("Cora Lind"),
        "{owed}"
    );
    test.run(&["check", "records", "--as-of", "2025-02-03"])
        .stderr_has("records/case-a/plan.yaml:7:9: notice[signature-owed]: the plan of the meeting of 2025-02-03 is not signed by Bea Test (parent) yet");
}

#[test]
fn a_signature_received_is_recorded_in_its_entry_and_nothing_else_changes() {
    let test = Test::samples();
    let rel = format!("records/{CASE}/plan.yaml");
    let signed = "{role: parent, name: Robert Marsh, signed_on: 2026-11-10, method: paper}";
    test.edit(&rel, signed, "{role: parent, name: Robert Marsh}");
    test.git_init();
    test.commit("2026-11-30T12:00:00", "Records as they were");
    let server = Server::start(&test);
    let before = test.read(&rel);
    let page = server.get(&format!("/case/{CASE}")).text();
    let at = page
        .find("id=\"signatures\"")
        .expect("signatures owed are listed");
    let owed = &page[at..];
    assert!(owed.contains("Robert Marsh"), "{owed}");
    assert!(
        owed.contains("the plan of the meeting of 2026-11-10"),
        "{owed}"
    );
    let form = &owed[owed.find("<form").unwrap()..];
    let fields: Vec<(String, String)> = ["file", "pointer", "base"]
        .iter()
        .map(|n| (n.to_string(), hidden(form, n)))
        .collect();
    assert_eq!(fields[0].1, "plan.yaml");
    let mut sent: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // A date that is not one is refused, and nothing is written.
    sent.extend([("signed_on", "11/30/2026"), ("method", "paper")]);
    let refused = server.post(&format!("/case/{CASE}/sign"), &sent);
    assert_eq!(refused.status, 303);
    assert!(
        refused.header("Location").unwrap().contains("problem="),
        "{:?}",
        refused.headers
    );
    assert_eq!(test.read(&rel), before);
    sent.truncate(3);
    sent.extend([("signed_on", "2026-11-30"), ("method", "paper")]);
    let reply = server.post(&format!("/case/{CASE}/sign"), &sent);
    assert_eq!(
        reply.header("Location"),
        Some(format!("/case/{CASE}?saved=plan.yaml").as_str())
    );
    assert_eq!(
        test.read(&rel),
        before.replace(
            "{role: parent, name: Robert Marsh}",
            "{role: parent, name: Robert Marsh, signed_on: 2026-11-30, method: paper}"
        ),
        "only the signer's entry changed"
    );
    test.assert_no_findings(&["validate", "records"]);
    let page = server.get(&format!("/case/{CASE}")).text();
    assert!(!page.contains("id=\"signatures\""), "nothing owed any more");
    // The same form again, with the old digest: the file changed meanwhile.
    let again = server.post(&format!("/case/{CASE}/sign"), &sent);
    assert!(
        again
            .header("Location")
            .unwrap()
            .contains("problem=Nothing+was+recorded")
    );
}

#[test]
fn a_review_is_made_in_a_form_whose_lists_grow_and_shrink_without_script() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let page = server.get(&format!("/case/{CASE}/review")).text();
    // One progress entry per outcome of the plan; the parent and the
    // coordinator to sign.
    assert_eq!(hidden(&page, "progress.count"), "2");
    assert_eq!(hidden(&page, "signatures.count"), "2");
    assert!(
        page.contains("name=\"progress.1.outcome\" value=\"2\""),
        "{page}"
    );
    assert!(page.contains("name=\"signatures.1.name\" value=\"Marisol Lopez\""));
    // In the schema's order: the date first, the signatures last.
    let place = |name: &str| page.find(&format!("name=\"{name}\"")).unwrap();
    assert!(place("date") < place("type") && place("progress.count") < place("signatures.count"));
    let mut form: Vec<(&str, String)> = vec![
        ("date", "2026-12-01".into()),
        ("type", "six-month-review".into()),
        (
            "participants",
            "Dana Marsh (mother)\r\nMarisol Lopez (service coordinator)".into(),
        ),
        ("progress.count", "2".into()),
        ("progress.0.outcome", "1".into()),
        ("progress.0.note", "Uses two-word phrases every day.".into()),
        ("progress.1.outcome", "2".into()),
        (
            "progress.1.note",
            "Visited the preschool classroom twice.".into(),
        ),
        ("signatures.count", "2".into()),
        ("signatures.0.role", "parent".into()),
        ("signatures.0.name", "Dana Marsh".into()),
        ("signatures.1.role", "coordinator".into()),
        ("signatures.1.name", "Marisol Lopez".into()),
    ];
    let send = |form: &[(&str, String)]| {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        server.post(&format!("/case/{CASE}/review"), &pairs)
    };
    // Add: a third signature entry, what was typed kept, nothing written.
    let mut add = form.clone();
    add.push(("add", "signatures".into()));
    let added = send(&add);
    assert_eq!(added.status, 200);
    assert_eq!(hidden(&added.text(), "signatures.count"), "3");
    assert!(
        added
            .text()
            .contains("Visited the preschool classroom twice.")
    );
    // Remove the first progress entry: the second moves up.
    let mut remove = form.clone();
    remove.push(("remove", "progress.0".into()));
    let removed = send(&remove).text();
    assert_eq!(hidden(&removed, "progress.count"), "1");
    assert!(
        removed.contains("name=\"progress.0.outcome\" value=\"2\""),
        "{removed}"
    );
    assert!(!removed.contains("Uses two-word phrases"), "{removed}");
    assert!(
        !test
            .path(&format!("records/{CASE}/review-2026-12-01-mlopez.yaml"))
            .exists()
    );

    // A note left out, then an outcome the plan does not have: each
    // beside its field.
    form[5].1 = String::new();
    let refused = send(&form);
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text()
            .contains("<ul class=\"errors\" id=\"e-progress.0.note\"><li>This is required.")
    );
    form[5].1 = "Uses two-word phrases every day.".into();
    form[6].1 = "7".into();
    let refused = send(&form).text();
    let at = refused
        .find("id=\"e-progress.1.outcome\"")
        .expect("the error beside the outcome");
    assert!(
        refused[at..].contains("the plan has no outcome 7"),
        "{refused}"
    );
    form[6].1 = "2".into();
    let saved = send(&form);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let text = test.read(&format!("records/{CASE}/review-2026-12-01-mlopez.yaml"));
    assert!(
        text.contains("progress:\n  - {outcome: 1, note: Uses two-word phrases every day.}\n"),
        "{text}"
    );
    test.assert_no_findings(&["validate", "records"]);
}

#[test]
fn an_exit_for_a_family_not_reached_needs_its_attempts() {
    let test = samples_before_the_exit();
    let server = Server::start(&test);
    let page = server.get(&format!("/case/{CASE}/exit")).text();
    assert_eq!(
        hidden(&page, "attempts.count"),
        "0",
        "attempts are asked for only when needed"
    );
    let mut form: Vec<(&str, String)> = vec![
        ("reason", "could-not-reach".into()),
        ("exit_date", "2026-12-01".into()),
        ("letter_date", "2026-12-01".into()),
        ("attempts.count", "0".into()),
        ("signatures.count", "1".into()),
        ("signatures.0.role", "coordinator".into()),
        ("signatures.0.name", "Marisol Lopez".into()),
    ];
    let send = |form: &[(&str, String)]| {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        server.post(&format!("/case/{CASE}/exit"), &pairs)
    };
    let refused = send(&form);
    assert_eq!(refused.status, 422);
    assert!(
        refused.text().contains("id=\"e-attempts\""),
        "{}",
        refused.text()
    );
    assert!(!test.path(&format!("records/{CASE}/exit.yaml")).exists());
    form[3].1 = "2".into();
    form.extend([
        ("attempts.0.date", "2026-11-20".to_string()),
        ("attempts.0.method", "phone".to_string()),
        ("attempts.1.date", "2026-11-25".to_string()),
        ("attempts.1.method", "letter".to_string()),
        (
            "attempts.1.detail",
            "Letter to the home address.".to_string(),
        ),
    ]);
    let saved = send(&form);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let text = test.read(&format!("records/{CASE}/exit.yaml"));
    assert!(
        text.contains(
            "  - {date: 2026-11-25, method: letter, detail: Letter to the home address.}\n"
        ),
        "{text}"
    );
    // A second exit is refused: the file is there.
    let again = send(&form);
    assert_eq!(again.status, 409);
    assert!(
        again.text().contains("Nothing was saved: exit.yaml"),
        "{}",
        again.text()
    );
}

#[test]
fn a_contact_note_is_changed_in_its_form_and_the_rest_of_its_file_stays_as_written() {
    let test = samples_in_git();
    let rel = format!("records/{CASE}/contacts.yaml");
    let before = test.read(&rel);
    let server = Server::start(&test);
    let case = server.get(&format!("/case/{CASE}")).text();
    assert!(case.contains("Newest contact notes"), "{case}");
    let notes = before.matches("\n  - date: ").count();
    let last = notes - 1;
    let link = format!("/case/{CASE}/note/contacts.yaml/{last}");
    assert!(case.contains(&format!("href=\"{link}\"")), "{case}");
    let page = server.get(&link).text();
    assert!(
        page.contains("value=\"2026-11-10\""),
        "the note of November 10 is in the form"
    );
    let base = hidden(&page, "base");
    let form = |summary: &str, base: &str| -> Vec<(&'static str, String)> {
        vec![
            ("base", base.to_string()),
            ("date", "2026-11-10".into()),
            ("start_time", "15:30".into()),
            ("minutes", "20".into()),
            ("type", "phone".into()),
            ("participants", "Dana Marsh (mother)".into()),
            ("summary", summary.into()),
            ("next_steps", "Final visit on December 3.".into()),
            ("signed.by", "mlopez".into()),
            ("signed.on", "2026-11-10".into()),
        ]
    };
    let send = |form: &[(&str, String)]| {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        server.post(&link, &pairs)
    };
    let saved = send(&form("Planned the last visits and the exit.", &base));
    assert_eq!(saved.status, 303, "{}", saved.text());
    let after = test.read(&rel);
    let cut = |text: &str| text[..text.rfind("\n  - date: ").unwrap()].to_string();
    assert_eq!(
        cut(&after),
        cut(&before),
        "every note before it is as written, comments too"
    );
    assert!(after.ends_with(
        "  - date: 2026-11-10\n    start_time: \"15:30\"\n    minutes: 20\n    type: phone\n    \
         participants: [Dana Marsh (mother)]\n    summary: Planned the last visits and the exit.\n    \
         next_steps: Final visit on December 3.\n    signed: {by: mlopez, on: 2026-11-10}\n"
    ), "{after}");
    test.assert_no_findings(&["validate", "records"]);
    // The same form sent again, from before that save: refused, both shown.
    let stale = send(&form("Another version.", &base));
    assert_eq!(stale.status, 409);
    let page = stale.text();
    assert!(
        page.contains("Another version."),
        "mine is kept in the form"
    );
    assert!(
        page.contains(&html_escaped("Planned the last visits and the exit.")),
        "theirs is shown"
    );
    assert_eq!(test.read(&rel), after, "nothing written");
    // A note made invalid: the error beside its field, nothing written.
    let now = hidden(&server.get(&link).text(), "base");
    let mut bad = form("Planned.", &now);
    bad[3].1 = "0".into();
    let refused = send(&bad);
    assert_eq!(refused.status, 422);
    assert!(
        refused.text().contains("id=\"e-minutes\""),
        "{}",
        refused.text()
    );
    assert_eq!(test.read(&rel), after);
}

/// The caseload page lists a case whose records have errors by its child's
/// name and coordinator, as written in its case file, with the count of
/// its errors; the valid cases beside it keep their own.
#[test]
fn a_case_with_errors_is_listed_by_its_child_s_name_with_its_errors() {
    let test = samples_before_the_exit();
    test.edit(
        &format!("records/{CASE}/contacts.yaml"),
        "    minutes: 15\n",
        "    minutes: fifteen\n",
    );
    let server = Server::start(&test);
    let page = server.get("/?as_of=2026-12-01").text();
    let row = |case: &str| {
        let at = page.find(&format!(">{case}</a>")).expect(case);
        let end = at + page[at..].find("</tr>").unwrap();
        page[at..end].to_string()
    };
    let eli = row(CASE);
    assert!(eli.contains("<td>Eli Marsh</td>"), "{eli}");
    assert!(eli.contains("1 error<"), "{eli}");
    // Its deadlines, as far as its files without errors give them.
    assert!(
        eli.contains(
            "<td><p class=\"error\">The case has errors; from its files without errors:</p>\
             <ul class=\"deadlines\"><li><time datetime=\"2026-12-07\">December 7, 2026</time> \
             record the exit and send its letter: Part C services end (the day before the third \
             birthday)</li></ul></td>"
        ),
        "{eli}"
    );
    assert!(!eli.contains("nothing due"), "{eli}");
    // And on its page: the family, the deadlines with what they leave out.
    let case = server.get(&format!("/case/{CASE}?as_of=2026-12-01")).text();
    assert!(case.contains("<dt>Born</dt><dd>December 8, 2023"), "{case}");
    assert!(
        case.contains(
            "<p class=\"quiet\">Worked out from the case's files without errors; a file with errors \
             is left out until it is fixed.</p>"
        ),
        "{case}"
    );
    assert!(
        case.contains("record the exit and send its letter: Part C services end (the day before the third birthday)</li>"),
        "{case}"
    );
    let coordinator_of = |case: &str| {
        let before = &page[..page.find(&format!(">{case}</a>")).unwrap()];
        let section = &before[before.rfind("<section").unwrap()..];
        section[..section.find("</h2>").unwrap()].to_string()
    };
    assert!(coordinator_of(CASE).contains("Marisol Lopez"));
    // A valid case: its coordinator, its deadlines, no findings.
    let owen = row("vt-2026-0077");
    assert!(owen.contains("<td>Owen Lachance</td>"), "{owen}");
    assert!(
        owen.contains("March 15, 2027</time> six-month plan review"),
        "{owen}"
    );
    assert!(owen.contains("<span class=\"quiet\">none</span>"), "{owen}");
    assert!(coordinator_of("vt-2026-0077").contains("Tessa Quinn"));
}

/// The rule about a coordinator's certificates spans every case they
/// coordinate; after a save, when only the saved case is read again, the
/// caseload page's finding still names every one of them.
#[test]
fn a_coordinator_s_late_certificate_names_all_her_cases_after_a_save() {
    let test = samples_in_git();
    test.edit(
        "records/program.yaml",
        "service_coordinator: 2019-09-20",
        "service_coordinator: 2026-12-01",
    );
    let server = Server::start(&test);
    let both = "the notes signed before it are in cases ct-2025-0117 (from";
    let general = |page: &str| {
        let at = page.find("<ul>").expect("the program's findings");
        page[at..at + page[at..].find("</ul>").unwrap()].to_string()
    };
    let page = server.get("/?as_of=2026-12-01").text();
    assert!(
        general(&page).contains("Marisol Lopez signed a note as coordinator"),
        "{page}"
    );
    assert!(general(&page).contains(both), "{page}");
    assert!(general(&page).contains("and ct-2026-0102 (from"), "{page}");
    let reply = post_note(&server, &note("Called to plan the last visit."));
    assert_eq!(reply.status, 303, "{}", reply.text());
    let page = server.get("/?as_of=2026-12-01").text();
    assert!(general(&page).contains(both), "{page}");
    assert!(general(&page).contains("and ct-2026-0102 (from"), "{page}");
}

#[test]
fn a_finding_links_to_its_file_where_its_line_is_shown_with_the_message() {
    let test = samples_in_git();
    let rel = format!("records/{CASE}/contacts.yaml");
    test.edit(&rel, "    minutes: 15\n", "    minutes: fifteen\n");
    let line = test
        .read(&rel)
        .lines()
        .position(|l| l.contains("fifteen"))
        .unwrap()
        + 1;
    let server = Server::start(&test);
    let case = server.get(&format!("/case/{CASE}")).text();
    let link = format!("/case/{CASE}/edit/contacts.yaml?line={line}");
    assert!(case.contains(&format!("href=\"{link}\"")), "{case}");
    let listed: Vec<(String, String)> = documents_listed(&case);
    assert!(
        !listed.is_empty() && !listed.iter().any(|(_, file)| file == "contacts.pdf"),
        "a note with an error keeps the contact sheet back, not the rest: {listed:?}"
    );
    let page = server.get(&link).text();
    let at = page
        .find("What is wrong in this file")
        .expect("the file's findings");
    let first = &page[at..at + page[at..].find("</li>").unwrap()];
    assert!(first.contains("class=\"error here\""), "{first}");
    assert!(
        first.contains(&format!("line {line}: <code>    minutes: fifteen</code>")),
        "{first}"
    );
    assert!(first.contains("should be a whole number"), "{first}");
}

/// The links of the case page's "Notices to give", as the browser reads
/// them, with what each is for.
fn notices_to_give(page: &str) -> Vec<(String, String)> {
    let Some(start) = page.find("<ul class=\"notices\">") else {
        return Vec::new();
    };
    let list = &page[start..start + page[start..].find("</ul>").unwrap()];
    list.split("<li>")
        .skip(1)
        .map(|item| {
            let href = &item[item.find("href=\"").unwrap() + 6..];
            let what = href[href.find('>').unwrap() + 1..href.find("</a>").unwrap()].to_string();
            let href = href[..href.find('"').unwrap()]
                .replace("&#x2f;", "/")
                .replace("&amp;", "&");
            (what, href)
        })
        .collect()
}

#[test]
fn a_notice_the_case_owes_is_recorded_from_its_case_page_and_makes_notices_yaml() {
    const NOT_ELIGIBLE: &str = "ct-2026-0102";
    let test = samples_in_git();
    std::fs::remove_file(test.path(&format!("records/{NOT_ELIGIBLE}/notices.yaml"))).unwrap();
    let server = Server::start(&test);
    let case = format!("/case/{NOT_ELIGIBLE}");
    let owed = notices_to_give(&server.get(&case).text());
    assert_eq!(
        owed,
        [
            (
                "Prior written notice of the evaluation and assessment, November 2, 2026"
                    .to_string(),
                format!("{case}/notice?action=evaluation&date=2026-11-02")
            ),
            (
                "Prior written notice of the finding that the child is not eligible, November 2, 2026"
                    .to_string(),
                format!("{case}/notice?action=not-eligible&date=2026-11-02")
            ),
        ]
    );
    // The form opens on the action and its date, given today.
    let page = server.get(&owed[0].1).text();
    assert!(
        page.contains("<option value=\"evaluation\" selected>"),
        "{page}"
    );
    assert_eq!(input_value(&page, "f-date"), "2026-11-02");
    assert_eq!(input_value(&page, "f-given_on"), "2026-12-01");
    // A family with one language writes its reasons once.
    assert!(
        page.contains("<textarea id=\"f-reasons\" name=\"reasons\""),
        "{page}"
    );
    let send = |form: &[(&str, &str)]| server.post(&format!("{case}/notice"), form);
    let mut form = vec![
        ("action", "evaluation"),
        ("date", "2026-11-02"),
        ("given_on", "2026-10-20"),
        ("reasons", ""),
    ];
    let refused = send(&form);
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text()
            .contains("<ul class=\"errors\" id=\"e-reasons\"><li>This is required."),
        "{}",
        refused.text()
    );
    assert!(
        !test
            .path(&format!("records/{NOT_ELIGIBLE}/notices.yaml"))
            .exists()
    );
    form[3].1 = "Teresa asked whether Mia's talking is on track; an evaluation will tell.";
    let saved = send(&form);
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(
        test.read(&format!("records/{NOT_ELIGIBLE}/notices.yaml")),
        "# yaml-language-server: $schema=../../schemas/notices.v1.yaml\n\
         kind: notices\nversion: 1\nprior_written:\n  - action: evaluation\n    \
         date: 2026-11-02\n    given_on: 2026-10-20\n    \
         reasons: Teresa asked whether Mia's talking is on track; an evaluation will tell.\n"
    );
    // The second goes under the first, and the case owes no notice.
    let saved = send(&[
        ("action", "not-eligible"),
        ("date", "2026-11-02"),
        ("given_on", "2026-11-04"),
        (
            "reasons",
            "The evaluation found Mia's development in the typical range.",
        ),
    ]);
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert!(
        test.read(&format!("records/{NOT_ELIGIBLE}/notices.yaml"))
            .ends_with(
                "tell.\n  - action: not-eligible\n    date: 2026-11-02\n    \
         given_on: 2026-11-04\n    \
         reasons: The evaluation found Mia's development in the typical range.\n"
            )
    );
    assert_eq!(notices_to_give(&server.get(&case).text()), []);
    test.assert_no_findings(&["validate", "records"]);
    let check = test.run(&["check", "records", "--as-of", "2026-12-01"]);
    assert!(!check.stdout.contains(NOT_ELIGIBLE), "{}", check.stdout);
}

#[test]
fn a_consent_for_a_family_reading_two_languages_has_its_words_in_each_side_by_side() {
    const TWO_LANGUAGES: &str = "vt-2026-0077";
    let test = samples_in_git();
    let server = Server::start(&test);
    let path = format!("/case/{TWO_LANGUAGES}/consent");
    let page = server.get(&path).text();
    // The description, the family's words, once in each language.
    let languages = page
        .find("<fieldset id=\"f-description\" class=\"languages\"")
        .expect(&page);
    let english = page.find("name=\"description.en\"").unwrap();
    let spanish = page.find("name=\"description.es\"").unwrap();
    assert!(
        languages < english && english < spanish,
        "the case's language first"
    );
    assert!(page.contains("<label for=\"f-description.es\">Description (Spanish)</label>"));
    // A consent given before a plan: no services to decide, the
    // evaluation consented to, the parent and coordinator to sign.
    assert!(!page.contains("name=\"services"), "{page}");
    assert!(
        page.contains(
            "<option value=\"\" selected>(none)</option><option value=\"true\">Yes</option>"
        ),
        "the parent's decision is not made for her: {page}"
    );
    assert!(
        page.contains("type=\"checkbox\" value=\"true\""),
        "explained is ticked by hand"
    );
    assert_eq!(hidden(&page, "signatures.count"), "2");
    let before = test.read(&format!("records/{TWO_LANGUAGES}/case.yaml"));
    let mut form = vec![
        ("date", "2026-11-30"),
        ("description.en", "Records from Owen's pediatrician."),
        ("description.es", "Los informes del pediatra de Owen."),
        ("evaluation", "true"),
        ("native_language.en", "English"),
        ("native_language.es", "Inglés"),
        ("signatures.count", "1"),
        ("signatures.0.role", "parent"),
        ("signatures.0.name", "Julie Lachance"),
    ];
    let refused = server.post(&path, &form);
    assert_eq!(refused.status, 422, "{}", refused.text());
    let refused = refused.text();
    assert!(
        refused.contains("<ul class=\"errors\" id=\"e-explained\"><li>This is required."),
        "{refused}"
    );
    assert!(
        refused.contains(
            "<ul class=\"errors\" id=\"e-signatures\"><li>This needs a signature entry for the \
             service coordinator (role coordinator)</li>"
        ),
        "{refused}"
    );
    assert_eq!(
        test.read(&format!("records/{TWO_LANGUAGES}/case.yaml")),
        before
    );
    form.extend([
        ("explained", "true"),
        ("signatures.count", "2"),
        ("signatures.1.role", "coordinator"),
        ("signatures.1.name", "Tessa Quinn"),
    ]);
    form.retain(|(k, v)| *k != "signatures.count" || *v == "2");
    let saved = server.post(&path, &form);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let after = test.read(&format!("records/{TWO_LANGUAGES}/case.yaml"));
    assert!(after.starts_with(&before), "every line before stays");
    assert_eq!(
        &after[before.len()..],
        "  - date: 2026-11-30
    description: {en: Records from Owen's pediatrician., es: Los informes del pediatra de Owen.}
    evaluation: true
    explained: true
    native_language: {en: English, es: Inglés}
    signatures:
      - {role: parent, name: Julie Lachance}
      - {role: coordinator, name: Tessa Quinn}
"
    );
    test.assert_no_findings(&["validate", "records"]);
}

#[test]
fn the_evaluation_and_eligibility_are_written_into_the_case_file_where_they_go() {
    const CASE: &str = "ct-2026-0102";
    let test = samples_in_git();
    let file = format!("records/{CASE}/case.yaml");
    let written = test.read(&file);
    let found = "evaluation_date: 2026-11-02\neligibility_date: 2026-11-02\neligible: false\n";
    assert!(written.contains(found));
    test.write(&file, &written.replace(found, ""));
    let before = test.read(&file);
    let server = Server::start(&test);
    let path = format!("/case/{CASE}/evaluation");
    let page = server.get(&path).text();
    assert_eq!(input_value(&page, "f-evaluation_date"), "");
    assert!(
        page.contains("<option value=\"\" selected>(none)</option>"),
        "{page}"
    );
    let base = hidden(&page, "base");
    let send = |form: &[(&str, &str)]| server.post(&path, form);
    // The finding cannot come before the referral.
    let refused = send(&[
        ("base", &base),
        ("eligibility_date", "2026-11-02"),
        ("eligible", "false"),
        ("evaluation_date", "2026-11-31"),
    ]);
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(
        refused.text().contains("id=\"e-evaluation_date\""),
        "{}",
        refused.text()
    );
    assert_eq!(test.read(&file), before);
    let saved = send(&[
        ("base", &base),
        ("eligibility_date", "2026-11-02"),
        ("eligible", "false"),
        ("evaluation_date", "2026-11-02"),
    ]);
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(
        test.read(&file),
        before.replace(
            "referral_date: 2026-10-08\n",
            "referral_date: 2026-10-08\neligibility_date: 2026-11-02\neligible: false\n\
             evaluation_date: 2026-11-02\n"
        )
    );
    test.assert_no_findings(&["validate", "records"]);
    // A form opened before a change made meanwhile writes nothing.
    let stale = send(&[("base", &base), ("eligibility_date", "2026-11-03")]);
    assert_eq!(stale.status, 409);
    // Found eligible after all: the finding left out, one line less.
    let page = server.get(&path).text();
    assert!(page.contains("<option value=\"false\" selected>No</option>"));
    let base = hidden(&page, "base");
    let saved = send(&[
        ("base", &base),
        ("eligibility_date", "2026-11-02"),
        ("eligible", ""),
        ("evaluation_date", "2026-11-02"),
    ]);
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert!(!test.read(&file).contains("\neligible:"));
}

#[test]
fn a_case_is_started_in_a_form_and_nothing_is_made_of_one_that_is_not_valid() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let page = server.get("/new-case").text();
    assert!(
        page.contains("<option value=\"mlopez\">Marisol Lopez (mlopez)</option>"),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"es\">Spanish</option>"),
        "{page}"
    );
    assert_eq!(input_value(&page, "f-referral_date"), "2026-12-01");
    assert_eq!(hidden(&page, "family.count"), "1");
    // The language a parent speaks is in words; the one they read, a choice.
    assert!(page.contains("<input id=\"f-family.0.language\" name=\"family.0.language\""));
    assert!(page.contains("<select id=\"f-family.0.reads\" name=\"family.0.reads\""));
    let mut form: Vec<(&str, &str)> = vec![
        ("case_id", "ct-2026-0140"),
        ("client", "child"),
        ("part_c", "true"),
        ("language", "es"),
        ("child.name", "Lucas Ferreira"),
        ("child.date_of_birth", "2025-06-14"),
        ("family.count", "2"),
        ("family.0.name", "Camila Ferreira"),
        ("family.0.relationship.en", "mother"),
        ("family.0.relationship.es", "madre"),
        ("family.0.phone", "(860) 555-0170"),
        ("family.0.language", "Spanish"),
        ("family.0.interpreter", "false"),
        ("family.1.name", "Daniel Ferreira"),
        ("family.1.relationship.en", "father"),
        ("family.1.relationship.es", "padre"),
        ("family.1.phone", "(860) 555-0171"),
        ("family.1.language", "English"),
        ("family.1.reads", "en"),
        ("family.1.interpreter", "false"),
        ("address.street", "9 Mill Street"),
        ("address.city", "Norwich"),
        ("address.state", "CT"),
        ("address.postal_code", "06360"),
        ("coordinator", "mlopez"),
        ("referral_date", "2026-11-30"),
    ];
    // Without the child's birth date: said beside it, nothing made.
    let mut without = form.clone();
    without.retain(|(k, _)| *k != "child.date_of_birth");
    let refused = server.post("/new-case", &without);
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text()
            .contains("<ul class=\"errors\" id=\"e-child.date_of_birth\"><li>This is required."),
        "{}",
        refused.text()
    );
    assert!(!test.path("records/ct-2026-0140").exists());
    // An id that cannot name a folder.
    form[0].1 = "../ct";
    let refused = server.post("/new-case", &form);
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("id=\"e-case_id\""));
    // An id taken.
    form[0].1 = "ct-2025-0117";
    let taken = server.post("/new-case", &form);
    assert_eq!(taken.status, 409);
    assert!(
        taken
            .text()
            .contains("there is already a case ct-2025-0117")
    );
    form[0].1 = "ct-2026-0140";
    let saved = server.post("/new-case", &form);
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(
        test.read("records/ct-2026-0140/case.yaml"),
        "# yaml-language-server: $schema=../../schemas/case.v1.yaml
kind: case
version: 1
case_id: ct-2026-0140
client: child
part_c: true
language: es
child: {name: Lucas Ferreira, date_of_birth: 2025-06-14}
family:
  - name: Camila Ferreira
    relationship: {en: mother, es: madre}
    phone: (860) 555-0170
    language: Spanish
    interpreter: false
  - name: Daniel Ferreira
    relationship: {en: father, es: padre}
    phone: (860) 555-0171
    language: English
    reads: en
    interpreter: false
address: {street: 9 Mill Street, city: Norwich, state: CT, postal_code: \"06360\"}
coordinator: mlopez
referral_date: 2026-11-30
"
    );
    let case = server.get("/case/ct-2026-0140").text();
    assert!(case.contains("Lucas Ferreira"), "{case}");
    test.assert_no_findings(&["validate", "records"]);
}

#[test]
fn an_initial_plan_with_two_outcomes_and_three_services_and_its_consent_are_made_in_forms() {
    const NEW: &str = "ct-2026-0102";
    let test = samples_in_git();
    // Found eligible, in this test: the plan follows.
    test.edit(&format!("records/{NEW}/case.yaml"), "eligible: false\n", "");
    std::fs::remove_file(test.path(&format!("records/{NEW}/notices.yaml"))).unwrap();
    let server = Server::start(&test);
    let case = server.get(&format!("/case/{NEW}")).text();
    assert!(
        case.contains(&format!("href=\"/case/{NEW}/plan\"")),
        "{case}"
    );
    let page = server.get(&format!("/case/{NEW}/plan")).text();
    // The meeting with the family and the coordinator, the coordinator's
    // own service row, one outcome to write.
    assert_eq!(hidden(&page, "meetings.0.signatures.count"), "2");
    assert!(
        page.contains(
            ">Teresa Castellano (mother)\nMarisol Lopez (service coordinator)</textarea>"
        ),
        "{page}"
    );
    assert_eq!(
        input_value(&page, "f-services.0.id"),
        "service-coordination"
    );
    assert!(page.contains("<option value=\"jokafor\">Jonah Okafor (jokafor)</option>"));
    // The consent to start services, given at the meeting: each
    // service's decision is left to the parent.
    assert_eq!(hidden(&page, "consents.0.services.count"), "1");
    assert!(
        !page.contains("<option value=\"accepted\" selected>"),
        "{page}"
    );
    assert!(!page.contains("name=\"consents.0.evaluation"));
    let service = |n: &str,
                   id: &str,
                   what: &str,
                   who: (&str, &str, &str),
                   per: &str,
                   minutes: &str,
                   outcomes: &str| {
        [
            (format!("services.{n}.id"), id.to_string()),
            (format!("services.{n}.service"), what.to_string()),
            (format!("services.{n}.provider.name"), who.0.to_string()),
            (format!("services.{n}.provider.staff"), who.1.to_string()),
            (
                format!("services.{n}.provider.discipline"),
                who.2.to_string(),
            ),
            (format!("services.{n}.frequency.times"), "1".to_string()),
            (format!("services.{n}.frequency.per"), per.to_string()),
            (format!("services.{n}.intensity"), "individual".to_string()),
            (format!("services.{n}.minutes"), minutes.to_string()),
            (format!("services.{n}.method"), "home-visit".to_string()),
            (format!("services.{n}.location"), "Family home".to_string()),
            (
                format!("services.{n}.natural_environment"),
                "true".to_string(),
            ),
            (format!("services.{n}.start_date"), "2026-12-14".to_string()),
            (format!("services.{n}.end_date"), "2027-06-10".to_string()),
            (
                format!("services.{n}.funding"),
                "Part C (Birth to Three)".to_string(),
            ),
            (format!("services.{n}.outcomes"), outcomes.to_string()),
        ]
    };
    let marisol = ("Marisol Lopez", "mlopez", "Speech-language pathology");
    let jonah = (
        "Jonah Okafor",
        "jokafor",
        "Early childhood special education",
    );
    let mut form: Vec<(String, String)> = [
        ("meetings.count", "1"),
        ("meetings.0.date", "2026-12-10"),
        ("meetings.0.type", "initial"),
        (
            "meetings.0.participants",
            "Teresa Castellano (mother)\r\nMarisol Lopez (service coordinator)",
        ),
        ("meetings.0.signatures.count", "2"),
        ("meetings.0.signatures.0.role", "parent"),
        ("meetings.0.signatures.0.name", "Teresa Castellano"),
        ("meetings.0.signatures.1.role", "coordinator"),
        ("meetings.0.signatures.1.name", "Marisol Lopez"),
        ("family_assessment.concerns", "Mia says few words."),
        (
            "family_assessment.priorities",
            "Mia asking for what she wants.",
        ),
        (
            "family_assessment.resources",
            "Her grandmother cares for her two days a week.",
        ),
        ("present_levels.physical", "Walks and climbs."),
        ("present_levels.cognitive", "Does simple puzzles."),
        (
            "present_levels.communication",
            "Uses gestures and a few sounds.",
        ),
        (
            "present_levels.social_emotional",
            "Plays beside other children.",
        ),
        ("present_levels.adaptive", "Feeds herself."),
        ("outcomes.count", "2"),
        ("outcomes.0.number", "1"),
        ("outcomes.0.outcome", "Mia will ask for snacks with words."),
        ("outcomes.0.criteria", "Ten words a day for two weeks."),
        ("outcomes.0.procedures", "Parent log."),
        ("outcomes.0.target_date", "2027-06-10"),
        (
            "outcomes.0.strategies",
            "Wait before handing a snack.\r\nName two choices.",
        ),
        ("outcomes.0.who_helps", "Teresa Castellano\r\nMarisol Lopez"),
        ("outcomes.1.number", "2"),
        ("outcomes.1.outcome", "Mia will play with other children."),
        (
            "outcomes.1.criteria",
            "Plays with a child for five minutes.",
        ),
        ("outcomes.1.procedures", "Observation at the library."),
        ("outcomes.1.target_date", "2027-06-10"),
        ("outcomes.1.strategies", "Go to story hour each week."),
        ("outcomes.1.who_helps", "Jonah Okafor"),
        ("services.count", "3"),
        ("other_services.count", "0"),
        ("consents.count", "1"),
        ("consents.0.date", "2026-12-10"),
        ("consents.0.action", "initiation"),
        (
            "consents.0.description",
            "The services of Mia's first plan.",
        ),
        ("consents.0.native_language", "English"),
        ("consents.0.explained", "true"),
        ("consents.0.services.count", "3"),
        ("consents.0.services.0.service", "service-coordination"),
        ("consents.0.services.0.decision", "accepted"),
        ("consents.0.services.1.service", "speech"),
        ("consents.0.services.1.decision", "accepted"),
        ("consents.0.services.2.service", "play"),
        ("consents.0.services.2.decision", "declined"),
        ("consents.0.signatures.count", "2"),
        ("consents.0.signatures.0.role", "parent"),
        ("consents.0.signatures.0.name", "Teresa Castellano"),
        ("consents.0.signatures.1.role", "coordinator"),
        ("consents.0.signatures.1.name", "Marisol Lopez"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    form.extend(service(
        "0",
        "service-coordination",
        "Service coordination",
        marisol,
        "month",
        "30",
        "1, 2",
    ));
    form.push(("services.0.service_coordination".into(), "true".into()));
    form.extend(service(
        "1",
        "speech",
        "Speech-language therapy",
        marisol,
        "week",
        "60",
        "1",
    ));
    form.extend(service(
        "2",
        "play",
        "Developmental intervention",
        jonah,
        "week",
        "60",
        "2",
    ));
    let send = |path: &str, form: &[(String, String)]| {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        server.post(path, &pairs)
    };
    let plan_path = format!("/case/{NEW}/plan");
    // An outcome number a service names that the plan does not have.
    let mut wrong = form.clone();
    wrong
        .iter_mut()
        .find(|(k, _)| k == "services.2.outcomes")
        .unwrap()
        .1 = "3".into();
    let refused = send(&plan_path, &wrong);
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(
        refused.text().contains("id=\"e-services.2.outcomes\""),
        "{}",
        refused.text()
    );
    assert!(!test.path(&format!("records/{NEW}/plan.yaml")).exists());
    let saved = send(&plan_path, &form);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let plan = test.read(&format!("records/{NEW}/plan.yaml"));
    assert!(
        plan.starts_with(
            "# yaml-language-server: $schema=../../schemas/plan.v1.yaml\nkind: plan\nversion: 1\n\
         meetings:\n  - date: 2026-12-10\n    type: initial\n"
        ),
        "{plan}"
    );
    assert!(
        plan.contains("    strategies: [Wait before handing a snack., Name two choices.]\n"),
        "{plan}"
    );

    // The consent: each service listed, the parent's decision hers to give.
    let consent_path = format!("/case/{NEW}/services-consent");
    let page = server.get(&consent_path).text();
    assert_eq!(hidden(&page, "services.count"), "3");
    assert!(
        page.contains("<option value=\"play\" selected>Developmental intervention (play)</option>"),
        "{page}"
    );
    assert!(
        !page.contains("<option value=\"accepted\" selected>"),
        "{page}"
    );
    let mut consent: Vec<(String, String)> = [
        ("date", "2026-12-20"),
        ("action", "initiation"),
        ("description", "Speech-language therapy after all."),
        ("native_language", "English"),
        ("explained", "true"),
        ("services.count", "3"),
        ("services.0.service", "service-coordination"),
        ("services.0.decision", "accepted"),
        ("services.1.service", "speech"),
        ("services.1.decision", "accepted"),
        ("services.2.service", "play"),
        ("signatures.count", "2"),
        ("signatures.0.role", "parent"),
        ("signatures.0.name", "Teresa Castellano"),
        ("signatures.1.role", "coordinator"),
        ("signatures.1.name", "Marisol Lopez"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // A decision is left out until the parent decides; once the parent
    // has signed, each service needs the one the parent marked.
    let mut signed = consent.clone();
    signed.extend([
        (
            "signatures.0.signed_on".to_string(),
            "2026-12-20".to_string(),
        ),
        ("signatures.0.method".to_string(), "paper".to_string()),
    ]);
    let refused = send(&consent_path, &signed);
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text()
            .contains("<ul class=\"errors\" id=\"e-services.2.decision\"><li>This is required."),
        "{}",
        refused.text()
    );
    consent.push(("services.2.decision".into(), "accepted".into()));
    let before = test.read(&format!("records/{NEW}/plan.yaml"));
    let saved = send(&consent_path, &consent);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let plan = test.read(&format!("records/{NEW}/plan.yaml"));
    assert!(plan.starts_with(&before), "every line before stays");
    assert!(
        plan[before.len()..].starts_with("  - date: 2026-12-20\n    action: initiation\n"),
        "{plan}"
    );
    test.assert_no_findings(&["validate", "records"]);
    test.run(&["render", "records"]).assert_status(0);
    let grid = pdf_text(&test.path(&format!("out/{NEW}/services-grid.pdf")));
    assert!(grid.contains("Developmental intervention"), "{grid}");
}

#[test]
fn a_case_with_errors_still_shows_the_signatures_its_other_files_owe() {
    const CASE: &str = "ct-2026-0058";
    let test = samples_in_git();
    let contacts = format!("records/{CASE}/contacts.yaml");
    let text = test.read(&contacts);
    let first = text.find("minutes: ").unwrap();
    let line_end = first + text[first..].find('\n').unwrap();
    test.write(
        &contacts,
        &format!("{}minutes: many{}", &text[..first], &text[line_end..]),
    );
    let server = Server::start(&test);
    let page = server.get(&format!("/case/{CASE}")).text();
    let owed = &page[page.find("<table class=\"owed\">").expect(&page)..];
    let owed = &owed[..owed.find("</table>").unwrap()];
    assert!(
        owed.contains("<td>Andrés Ramírez <span class=\"quiet\">(parent)</span></td>"),
        "{owed}"
    );
    // Recorded as received while the contacts file still has its error.
    let base = hidden(owed, "base");
    let pointer = hidden(owed, "pointer");
    let file = hidden(owed, "file");
    let sent = server.post(
        &format!("/case/{CASE}/sign"),
        &[
            ("file", &file),
            ("pointer", &pointer),
            ("base", &base),
            ("signed_on", "2026-12-01"),
            ("method", "paper"),
        ],
    );
    assert_eq!(sent.status, 303, "{}", sent.text());
    assert!(
        test.read(&format!("records/{CASE}/{file}"))
            .contains("signed_on: 2026-12-01")
    );
}

#[test]
fn an_unfinished_form_is_kept_as_a_draft_outside_the_records_and_finished_later() {
    let test = samples_in_git();
    let before = files(&test.path("records"));
    let server = Server::start(&test);
    let path = format!("/case/{CASE}/review");
    // Half a review, with a date that is not one: kept as typed, nothing
    // checked or written to the records.
    let half = [
        ("date", "2026-13-01"),
        ("type", "six-month-review"),
        ("progress.count", "1"),
        ("progress.0.outcome", "1"),
        (
            "progress.0.note",
            "Uses two-word phrases; ask Dana about daycare.",
        ),
        ("keep", "draft"),
    ];
    let kept = server.post(&path, &half);
    assert_eq!(kept.status, 303, "{}", kept.text());
    assert_eq!(
        kept.header("Location"),
        Some("/case/ct-2025-0117?kept=review")
    );
    assert_eq!(
        files(&test.path("records")),
        before,
        "nothing written to the records"
    );
    assert_eq!(
        test.git(&["status", "--porcelain"]),
        "",
        "and nothing for git to commit"
    );
    let page = server.get(&format!("/case/{CASE}?kept=review")).text();
    assert!(
        page.contains("Kept as a draft, outside the records"),
        "{page}"
    );
    let table = &page[page.find("<table class=\"drafts\">").expect(&page)..];
    let row = &table[..table.find("</tr></tbody>").unwrap()];
    assert!(
        row.contains(">New plan review</a></td><td>Cora Coordinator</td>"),
        "{row}"
    );
    let at = row.find("?draft=").unwrap() + 7;
    let id = row[at..at + row[at..].find('"').unwrap()].to_string();
    assert!(id.starts_with("review-"), "{id}");
    // Resumed: the form as it was kept, the draft named in it.
    let resumed = server.get(&format!("{path}?draft={id}")).text();
    assert!(resumed.contains("ask Dana about daycare."), "{resumed}");
    assert_eq!(hidden(&resumed, "draft"), id);
    assert!(
        resumed.contains("value=\"2026-13-01\""),
        "the bad date as typed: {resumed}"
    );
    // Saved once finished: the review written, the draft gone.
    let finished = [
        ("draft", id.as_str()),
        ("date", "2026-12-01"),
        ("type", "six-month-review"),
        (
            "participants",
            "Dana Marsh (mother)\r\nMarisol Lopez (service coordinator)",
        ),
        ("progress.count", "2"),
        ("progress.0.outcome", "1"),
        ("progress.0.note", "Uses two-word phrases."),
        ("progress.1.outcome", "2"),
        ("progress.1.note", "Visited the preschool."),
        ("signatures.count", "1"),
        ("signatures.0.role", "coordinator"),
        ("signatures.0.name", "Marisol Lopez"),
    ];
    let saved = server.post(&path, &finished);
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert!(
        test.path(&format!("records/{CASE}/review-2026-12-01-mlopez.yaml"))
            .exists()
    );
    assert!(
        !server
            .get(&format!("/case/{CASE}"))
            .text()
            .contains("class=\"drafts\"")
    );
    // A draft can also be discarded.
    server.post(&path, &half);
    let page = server.get(&format!("/case/{CASE}")).text();
    let at = page.find("?draft=").unwrap() + 7;
    let id = page[at..at + page[at..].find('"').unwrap()].to_string();
    let gone = server.post(&format!("/case/{CASE}/drafts/{id}"), &[]);
    assert_eq!(gone.status, 303);
    assert!(
        !server
            .get(&format!("/case/{CASE}"))
            .text()
            .contains("class=\"drafts\"")
    );
}

#[test]
fn a_plan_meeting_without_its_notice_is_listed_and_recorded_and_a_case_without_part_c_owes_none() {
    let test = samples_in_git();
    let file = format!("records/{CASE}/notices.yaml");
    test.edit(
        &file,
        "  - date: 2026-05-12\n    given_on: 2026-05-01\n    time: \"10:00\"\n    \
         place: The family home, 37 Quarry Hill Lane, Preston\n    \
         invited: [Dana Marsh (mother), Robert Marsh (father), \"Marisol Lopez (service coordinator, SLP)\", \
         Jonah Okafor (early intervention specialist)]\n",
        "",
    );
    let server = Server::start(&test);
    let case = format!("/case/{CASE}");
    assert_eq!(
        notices_to_give(&server.get(&case).text()),
        [(
            "Notice of the plan meeting of May 12, 2026".to_string(),
            format!("{case}/meeting-notice?date=2026-05-12")
        )]
    );
    let page = server
        .get(&format!("{case}/meeting-notice?date=2026-05-12"))
        .text();
    assert_eq!(input_value(&page, "f-date"), "2026-05-12");
    let saved = server.post(
        &format!("{case}/meeting-notice"),
        &[
            ("date", "2026-05-12"),
            ("given_on", "2026-05-01"),
            ("time", "10:00"),
            ("place", "The family home"),
            ("invited", "Dana Marsh (mother)\r\nRobert Marsh (father)"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert!(
        test.read(&file).ends_with(
            "  - date: 2026-05-12\n    given_on: 2026-05-01\n    time: \"10:00\"\n    \
         place: The family home\n    invited: [Dana Marsh (mother), Robert Marsh (father)]\n"
        ),
        "{}",
        test.read(&file)
    );
    assert_eq!(notices_to_give(&server.get(&case).text()), []);
    // A child served outside Part C: its plan meetings owe no such notice.
    let other = server.get("/case/vt-2026-0042").text();
    assert!(other.contains("<h2 id=\"documents\">"), "{other}");
    assert_eq!(notices_to_give(&other), []);
}

/// The case page asks for the notice of the end of services at three once
/// the day to give it is a month off, not years ahead; and lists this
/// month's contact from its first day.
#[test]
fn the_case_page_asks_for_the_notice_of_the_end_of_services_when_it_is_near() {
    let test = samples_before_the_exit();
    // Without the notice the samples record: it is owed by December 2.
    let notices = test.read(&format!("records/{CASE}/notices.yaml"));
    let start = notices.find("  - action: exit\n").unwrap();
    let end = start + notices[start..].find("meetings:\n").unwrap();
    test.write(
        &format!("records/{CASE}/notices.yaml"),
        &format!("{}{}", &notices[..start], &notices[end..]),
    );
    let owed = |as_of: &str| {
        let server = Server::start_on(&test, as_of);
        let page = server.get(&format!("/case/{CASE}")).text();
        let list = page.find("<ul class=\"notices\">").map(|at| {
            let list = &page[at..];
            list[..list.find("</ul>").unwrap()].to_string()
        });
        (list, page)
    };
    assert_eq!(owed("2026-11-01").0, None);
    assert_eq!(
        owed("2026-11-02").0.as_deref(),
        Some(
            "<ul class=\"notices\"><li><a href=\"&#x2f;case&#x2f;ct-2025-0117&#x2f;notice?action=exit&amp;\
             date=2026-12-07\">Prior written notice of the exit, December 7, 2026</a></li>"
        )
    );
    // This month's contact is on the page from the month's first day, as
    // the case has none yet (the list of deadlines looks no further).
    let (_, page) = owed("2026-11-01");
    assert!(
        page.contains("</time> service coordination contact for November 2026</li>"),
        "{page}"
    );
}

#[test]
fn a_parents_request_to_see_the_record_and_who_saw_it_are_recorded_from_the_case_page() {
    const CASE: &str = "ct-2026-0102";
    let test = samples_in_git();
    let server = Server::start(&test);
    let case = format!("/case/{CASE}");
    let page = server.get(&case).text();
    for link in ["access-request", "access"] {
        assert!(page.contains(&format!("href=\"{case}/{link}\"")), "{page}");
    }
    // Asked today by the first parent, until the coordinator says otherwise.
    let form = server.get(&format!("{case}/access-request")).text();
    assert_eq!(input_value(&form, "f-by"), "Teresa Castellano");
    assert_eq!(input_value(&form, "f-requested_on"), "2026-12-01");
    let saved = server.post(
        &format!("{case}/access-request"),
        &[
            ("by", "Teresa Castellano"),
            ("requested_on", "2026-11-25"),
            ("records", "The evaluation report"),
            ("met_on", ""),
            ("how", ""),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(
        test.read(&format!("records/{CASE}/access.yaml")),
        "# yaml-language-server: $schema=../../schemas/access.v1.yaml\n\
         kind: access\nversion: 1\nrequests:\n  - by: Teresa Castellano\n    \
         requested_on: 2026-11-25\n    records: The evaluation report\n"
    );
    // Open, and due by December 5: a notice now, listed by `due`.
    assert_eq!(
        common::findings_of(&test, "2026-12-01", &["record-access"]),
        [format!(
            "records/{CASE}/access.yaml:5:5: notice[record-access]: Teresa Castellano asked to see the record \
             on November 25, 2026: show it by December 5, 2026 (within 10 days of the request) and give the day \
             as `met_on` (303.405(a))"
        )]
    );
    // Who saw the records goes into the same file, under its own list.
    let saved = server.post(
        &format!("{case}/access"),
        &[
            ("party", "Norwich Public Schools (Ann Lee)"),
            ("date", "2026-11-30"),
            ("purpose", "Child find: the district's screening list"),
            ("records", "The evaluation report"),
            ("consent_on", ""),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert!(
        test.read(&format!("records/{CASE}/access.yaml")).ends_with(
            "access:\n  - party: Norwich Public Schools (Ann Lee)\n    date: 2026-11-30\n    \
             purpose: \"Child find: the district's screening list\"\n    records: The evaluation report\n"
        ),
        "{}",
        test.read(&format!("records/{CASE}/access.yaml"))
    );
    test.assert_no_findings(&["validate", "records"]);
    test.run(&["render", "records"]).assert_status(0);
    let text = test.pdf_text(&format!("out/{CASE}/record-of-access.pdf"));
    for expected in [
        "November 30, 2026 Norwich Public Schools (Ann Lee) Child find: the district's screening list The evaluation report",
        "November 25, 2026 Teresa Castellano The evaluation report Not yet: the program shows it within 10 days of the request, and before any plan meeting.",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}\n{text}");
    }
}

/// The rows of the case page's timeline, each as its text reads.
fn timeline_rows(page: &str) -> Vec<String> {
    let Some(start) = page.find("<table class=\"timeline\">") else {
        return Vec::new();
    };
    let table = &page[start..];
    let mut table = table[..table.find("</table>").unwrap()].to_string();
    // What a screen reader hears beside a link, not what the row shows.
    while let Some(at) = table.find("<span class=\"visually-hidden\">") {
        let end = at + table[at..].find("</span>").unwrap() + "</span>".len();
        table.replace_range(at..end, "");
    }
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let mut text = String::new();
            let mut inside = false;
            for c in row.chars() {
                match c {
                    '<' => {
                        inside = true;
                        text.push(' ');
                    }
                    '>' => inside = false,
                    c if !inside => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

#[test]
fn a_case_page_reads_as_the_case_s_life_each_event_linked_to_its_record_and_documents() {
    let test = samples_in_git();
    let server = Server::start(&test);
    let page = server.get("/case/ct-2025-0117").text();
    // Every event the records show, oldest first, with its record file and
    // the documents made of it.
    assert_eq!(
        timeline_rows(&page),
        [
            "October 6, 2025 Referral case.yaml",
            "October 9, 2025 Consent to evaluation and assessment case.yaml Consent for Evaluation and Assessment, October 9, 2025",
            "October 9, 2025 Prior written notice given: evaluation and assessment notices.yaml Prior Written Notice: evaluation and assessment, October 27, 2025",
            "October 27, 2025 Evaluation and assessment case.yaml",
            "October 27, 2025 Found eligible case.yaml",
            "October 27, 2025 Prior written notice given: finding of eligibility notices.yaml Prior Written Notice: finding of eligibility, October 27, 2025",
            "October 30, 2025 The family chose River Valley Family Services case.yaml",
            "November 3, 2025 Notice given of the meeting of November 14, 2025 notices.yaml Notice of a Plan Meeting, November 14, 2025",
            "November 14, 2025 Initial plan meeting plan.yaml Plan, November 14, 2025",
            "November 14, 2025 Consent to start services plan.yaml Consent for Initiation of Services, November 14, 2025",
            "November 14, 2025 Prior written notice given: start of services notices.yaml Prior Written Notice: start of services, November 20, 2025",
            "April 16, 2026 The family approved the transition conference transition.yaml",
            "May 1, 2026 Prior written notice given: change of services notices.yaml Prior Written Notice: change of services, May 12, 2026",
            "May 1, 2026 Notice given of the meeting of May 12, 2026 notices.yaml Notice of a Plan Meeting, May 12, 2026",
            "May 12, 2026 Six-month review plan.yaml Plan, May 12, 2026",
            "May 12, 2026 Consent to a change of services plan.yaml Consent for Change of Services, May 12, 2026",
            "June 8, 2026 Preston Public Schools notified of the transition transition.yaml",
            "June 8, 2026 State education agency notified of the transition transition.yaml",
            "June 8, 2026 Transition step done: Notify the school district and the state education agency that Eli may be eligible for preschool special education. transition.yaml",
            "July 6, 2026 Notice given of the meeting of July 21, 2026 notices.yaml Notice of a Plan Meeting, July 21, 2026",
            "July 21, 2026 Consent to release records plan.yaml Consent to Release Records, July 21, 2026",
            "July 21, 2026 Transition conference transition.yaml",
            "July 21, 2026 Transition plan written transition.yaml Transition Plan",
            "July 23, 2026 Records sent to Preston Public Schools transition.yaml",
            "July 23, 2026 Records seen by Preston Public Schools (Carla Nunes, preschool coordinator) access.yaml Who Has Seen Your Records (Record of Access)",
            "October 9, 2026 Transition step done: District evaluation for preschool special education. transition.yaml",
            "October 13, 2026 Robert Marsh asked to see the record access.yaml Who Has Seen Your Records (Record of Access)",
            "October 20, 2026 Transition step done: Visit the preschool classroom with Eli. transition.yaml",
            "October 20, 2026 Robert Marsh saw the record access.yaml Who Has Seen Your Records (Record of Access)",
            "October 27, 2026 Notice given of the meeting of November 10, 2026 notices.yaml Notice of a Plan Meeting, November 10, 2026",
            "November 10, 2026 Annual meeting plan.yaml Plan, November 10, 2026",
            "November 10, 2026 Consent to continue services plan.yaml Consent for Continuation of Services, November 10, 2026",
            "November 10, 2026 Prior written notice given: exit notices.yaml Prior Written Notice: exit, December 7, 2026",
            "December 7, 2026 Exit: turned three exit.yaml Notice of Exit from Services",
        ]
    );
    // Each links to its record file and opens its documents.
    for link in [
        "href=\"/case/ct-2025-0117/edit/access.yaml\"",
        "href=\"/case/ct-2025-0117/documents/record-of-access.pdf\"",
        "href=\"/case/ct-2025-0117/documents/plan-2026-05-12.pdf\"",
    ] {
        assert!(page.contains(link), "{link}");
    }
    // A family reading two languages: each copy of a paper is linked.
    let page = server.get("/case/vt-2026-0077").text();
    assert!(
        timeline_rows(&page).contains(
            &"September 15, 2026 Consent to start services plan.yaml Consent for Initiation of Services, September 15, 2026 (English) Consent for Initiation of Services, September 15, 2026 (Spanish)".to_string()
        ),
        "{:?}",
        timeline_rows(&page)
    );
}
