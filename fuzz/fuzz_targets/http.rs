//! The desk's request path on arbitrary requests: a head (method, target,
//! headers) and a body, through the guard's checks, the form parser and
//! whatever page they reach, as `casepaper serve` answers them once they
//! have arrived (`Server::answer`: hyper's own parsing and the limits on
//! size and time come before it and are tested in `tests/serve.rs`).
//!
//! The input is a request as text: the first line `METHOD TARGET`, then
//! `Name: value` lines, an empty line, and the body. `HOST`, `TOKEN` and
//! `CSRF` in it stand for the server's name, its token and its form token,
//! so inputs reach the pages behind the guard. Nothing may panic; no answer
//! may be other than the desk's statuses; a request that does not name the
//! server in one `Host` header, or lacks the token, gets no page.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use casepaper::serve::{Head, Options, Server};
use libfuzzer_sys::fuzz_target;

struct Setup {
    server: Server,
    host: String,
    token: String,
    csrf: String,
}

static SETUP: LazyLock<Setup> = LazyLock::new(|| {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/minimal");
    let dir = tempfile::tempdir().unwrap().keep();
    let records = dir.join("records");
    copy(&fixture, &records);
    let server = Server::bind(&Options {
        records,
        out: Some(dir.join("out")),
        as_of: Some("2025-06-01".parse().unwrap()),
        ..Options::default()
    })
    .expect("a server on the fixture");
    let url = server.url();
    let rest = url.strip_prefix("http://").unwrap();
    let (host, token) = rest.split_once("/?token=").unwrap();
    let (host, token) = (host.to_string(), token.to_string());
    let page = server.answer(
        &Head::of(
            "GET",
            "/case/case-a/contact",
            vec![
                ("Host".into(), host.clone()),
                ("Cookie".into(), format!("casepaper_token={token}")),
            ],
        )
        .unwrap(),
        b"",
    );
    let page = String::from_utf8(page.body).unwrap();
    let mark = "name=\"csrf\" value=\"";
    let at = page.find(mark).expect("a form with its token") + mark.len();
    let csrf = page[at..at + 64].to_string();
    Setup {
        server,
        host,
        token,
        csrf,
    }
});

fn copy(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

const STATUSES: &[u16] = &[200, 303, 400, 401, 403, 404, 409, 422, 500];

fuzz_target!(|data: &[u8]| {
    let setup = &*SETUP;
    let text = String::from_utf8_lossy(data)
        .replace("HOST", &setup.host)
        .replace("TOKEN", &setup.token)
        .replace("CSRF", &setup.csrf);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let first = lines.next().unwrap_or_default();
    let (method, target) = first.split_once(' ').unwrap_or((first, "/"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let Some(head) = Head::of(method, target, headers.clone()) else {
        return;
    };
    let reply = setup.server.answer(&head, body.as_bytes());
    assert!(
        STATUSES.contains(&reply.status),
        "status {} for {text:?}",
        reply.status
    );
    let hosts: Vec<&str> = (headers.iter())
        .filter(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.as_str())
        .collect();
    let named = hosts.len() == 1 && hosts[0].eq_ignore_ascii_case(&setup.host);
    let keyed = text.contains(&setup.token);
    if !named || !keyed {
        assert!(
            matches!(reply.status, 400 | 401 | 403),
            "let in without its name or token: {} for {text:?}",
            reply.status
        );
        let page = String::from_utf8_lossy(&reply.body);
        assert!(!page.contains("case-a"), "a record on a refused page: {text:?}");
    }
    // Every redirect stays on the desk.
    for (name, value) in &reply.headers {
        if *name == "Location" {
            assert!(
                value.starts_with('/') && !value.starts_with("//") && !value.starts_with("/\\"),
                "a redirect off the desk: {value:?} for {text:?}"
            );
        }
    }
});
