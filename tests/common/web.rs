//! `casepaper serve` from a test: start it on a free port of loopback in a
//! test's folder, and talk HTTP to it over a plain socket, so every header
//! (Host, Origin, Cookie) is exactly what the test says.

use std::io::{BufRead, BufReader};
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

impl Server {
    /// `casepaper serve records --no-open` in the test's folder, holding
    /// rules to 2026-12-01, committing as Cora Coordinator whatever this
    /// computer's git configuration says; waits for the address it prints.
    pub fn start(test: &Test) -> Server {
        Server::start_as(
            test,
            &[
                ("GIT_AUTHOR_NAME", "Cora Coordinator"),
                ("GIT_AUTHOR_EMAIL", "cora@program.example"),
                ("GIT_COMMITTER_NAME", "Cora Coordinator"),
                ("GIT_COMMITTER_EMAIL", "cora@program.example"),
            ],
        )
    }

    /// The server, for a coordinator git knows nothing of (no name, no
    /// e-mail address, in no configuration).
    pub fn start_without_git_identity(test: &Test) -> Server {
        Server::start_as(test, &[])
    }

    /// The server as `start` makes it, holding rules to `as_of` instead.
    pub fn start_on(test: &Test, as_of: &str) -> Server {
        Server::launch(test, &[], as_of)
    }

    fn start_as(test: &Test, identity: &[(&str, &str)]) -> Server {
        Server::launch(test, identity, "2026-12-01")
    }

    fn launch(test: &Test, identity: &[(&str, &str)], as_of: &str) -> Server {
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
            .current_dir(test.dir.path())
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
        self.raw("POST", path, &headers, &encode(&all))
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
