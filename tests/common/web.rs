//! `casepaper serve` from a test: start it on a free port of loopback in a
//! test's folder, and talk HTTP to it over a plain socket, so every header
//! (Host, Origin, Cookie) is exactly what the test says.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::{BIN, Test};

#[path = "http.rs"]
mod http;
pub use http::{Response, answer, encode, head_only, parse, request};

pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`, where the test connects.
    pub addr: String,
    /// The launch's own name and port, `desk-<random>.localhost:PORT`, as
    /// the browser sends it in `Host` (browsers resolve names under
    /// `localhost` to loopback themselves; the system's resolver may not).
    pub host: String,
    pub token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The coordinator git knows the desk's user as.
const CORA: &[(&str, &str)] = &[
    ("GIT_AUTHOR_NAME", "Cora Coordinator"),
    ("GIT_AUTHOR_EMAIL", "cora@program.example"),
    ("GIT_COMMITTER_NAME", "Cora Coordinator"),
    ("GIT_COMMITTER_EMAIL", "cora@program.example"),
];

impl Server {
    /// `casepaper serve records --no-open` in the test's folder, holding
    /// rules to 2026-12-01, committing as Cora Coordinator whatever this
    /// computer's git configuration says; waits for the address it prints.
    pub fn start(test: &Test) -> Server {
        Server::start_as(test, CORA)
    }

    /// The server, for a coordinator git knows nothing of (no name, no
    /// e-mail address, in no configuration).
    pub fn start_without_git_identity(test: &Test) -> Server {
        Server::start_as(test, &[])
    }

    /// The server as `start` makes it, holding rules to `as_of` instead
    /// (the desk's today, as on that day).
    pub fn start_on(test: &Test, as_of: &str) -> Server {
        Server::launch(test.dir.path(), CORA, as_of)
    }

    fn start_as(test: &Test, identity: &[(&str, &str)]) -> Server {
        Server::launch(test.dir.path(), identity, "2026-12-01")
    }

    /// The server as `start_on` makes it, serving the records of the
    /// folder `dir` (a clone of a team's shared copy, say).
    pub fn start_in(dir: &Path, as_of: &str) -> Server {
        Server::launch(dir, CORA, as_of)
    }

    fn launch(dir: &Path, identity: &[(&str, &str)], as_of: &str) -> Server {
        let mut command = Command::new(BIN);
        for var in [
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
            "EMAIL",
        ] {
            command.env_remove(var);
        }
        let mut child = command
            .envs(identity.iter().copied())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(["serve", "records", "--no-open", "--as-of", as_of])
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("casepaper serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim();
        let rest = url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("serve printed {url:?}"));
        let (host, token) = rest
            .split_once("/?token=")
            .expect("an address with a token");
        let (name, port) = host.rsplit_once(':').expect("a port");
        assert!(
            name.starts_with("desk-") && name.ends_with(".localhost"),
            "{host}"
        );
        Server {
            child,
            addr: format!("127.0.0.1:{port}"),
            host: host.to_string(),
            token: token.to_string(),
        }
    }

    /// The first address, as `serve` printed it.
    pub fn url(&self) -> String {
        format!("http://{}/?token={}", self.host, self.token)
    }

    pub fn cookie(&self) -> String {
        format!("casepaper_token={}", self.token)
    }

    /// A request with exactly these headers (and Content-Length).
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> Response {
        http::request(&self.addr, method, path, headers, body)
    }

    /// A GET as the browser holding the cookie sends it.
    pub fn get(&self, path: &str) -> Response {
        self.raw(
            "GET",
            path,
            &[("Host", self.host.clone()), ("Cookie", self.cookie())],
            "",
        )
    }

    /// A POST of `form` as this server's own page sends it: cookie, the
    /// form token, same-origin.
    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let csrf = self.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(form);
        self.send(path, &all)
    }

    /// A POST of exactly `form` (its form token included), as a page of
    /// this server sends it.
    pub fn send(&self, path: &str, all: &[(&str, &str)]) -> Response {
        let headers = [
            ("Host", self.host.clone()),
            ("Cookie", self.cookie()),
            ("Origin", format!("http://{}", self.host)),
            ("Sec-Fetch-Site", "same-origin".to_string()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ),
        ];
        self.raw("POST", path, &headers, &encode(all))
    }

    /// The form token, as the pages' forms carry it (a contact note form
    /// of the first case on the caseload).
    pub fn csrf(&self) -> String {
        let caseload = self.get("/").text();
        let at = caseload.find("href=\"/case/").expect("a case") + "href=\"".len();
        let case = &caseload[at..at + caseload[at..].find('"').unwrap()];
        let page = self.get(&format!("{case}/contact")).text();
        let mark = "name=\"csrf\" value=\"";
        let i = page.find(mark).expect("a form token") + mark.len();
        page[i..i + 64].to_string()
    }
}

/// Text as minijinja's HTML escaping writes it into a page.
pub fn html_escaped(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            c => out.push(c),
        }
    }
    out
}

/// What a browser sends for the record form of `page` as it stands: each
/// named input's value (a box only when ticked), each text area's text,
/// each list's selected option (else its first); no button.
pub fn form_values(page: &str) -> Vec<(String, String)> {
    let start = page.find("<form method=\"post\"").expect("a form");
    let form = &page[start..start + page[start..].find("</form>").expect("the form's end")];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let tag_end = rest.find('>').expect("a tag's end");
        let tag = &rest[..=tag_end];
        let name = attribute(tag, "name");
        if tag.starts_with("<input") {
            let checkbox = attribute(tag, "type").as_deref() == Some("checkbox");
            if let Some(name) = name
                && (!checkbox || tag.contains(" checked"))
            {
                out.push((name, attribute(tag, "value").unwrap_or_default()));
            }
        } else if tag.starts_with("<textarea") {
            let body = &rest[tag_end + 1..];
            let text = &body[..body.find("</textarea>").expect("a text area's end")];
            out.push((name.expect("a named text area"), unescaped(text)));
        } else if tag.starts_with("<select") {
            let body = &rest[tag_end + 1..];
            let options = &body[..body.find("</select>").expect("a list's end")];
            let mut chosen = None;
            let mut first = None;
            for option in options.split("<option").skip(1) {
                let head = &option[..option.find('>').unwrap()];
                let value = attribute(&format!("<option{head}>"), "value").unwrap_or_default();
                first.get_or_insert(value.clone());
                if head.contains(" selected") {
                    chosen = Some(value);
                }
            }
            out.push((
                name.expect("a named list"),
                chosen.or(first).unwrap_or_default(),
            ));
        }
        rest = &rest[1..];
    }
    out
}

/// The value of attribute `name` in `tag`, unescaped.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mark = format!(" {name}=\"");
    let i = tag.find(&mark)? + mark.len();
    let end = tag[i..].find('"')?;
    Some(unescaped(&tag[i..i + end]))
}

/// Text as a browser reads it from minijinja's HTML escaping.
fn unescaped(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').expect("an entity's end");
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            hex if hex.starts_with("#x") => {
                char::from_u32(u32::from_str_radix(&hex[2..], 16).unwrap()).unwrap()
            }
            dec if dec.starts_with('#') => char::from_u32(dec[1..].parse().unwrap()).unwrap(),
            other => panic!("an entity the test does not know: {other}"),
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}
