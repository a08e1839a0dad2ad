//! `casepaper serve` from a test: start it on a free port of loopback in a
//! test's folder, and talk HTTP to it over a plain socket, so every header
//! (Host, Origin, Cookie) is exactly what the test says.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use super::{BIN, Test};

pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    pub token: String,
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// `casepaper serve records --no-open` in the test's folder, holding
    /// rules to 2026-12-01; waits for the address it prints.
    pub fn start(test: &Test) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "records", "--no-open", "--as-of", "2026-12-01"])
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
        let (addr, token) = rest
            .split_once("/?token=")
            .expect("an address with a token");
        Server {
            child,
            addr: addr.to_string(),
            token: token.to_string(),
        }
    }

    /// The first address, as `serve` printed it.
    pub fn url(&self) -> String {
        format!("http://{}/?token={}", self.addr, self.token)
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
        let mut stream = TcpStream::connect(&self.addr).expect("the server accepts");
        let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        for (name, value) in headers {
            req.push_str(&format!("{name}: {value}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        stream.write_all(req.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        parse(&bytes)
    }

    /// A GET as the browser holding the cookie sends it.
    pub fn get(&self, path: &str) -> Response {
        self.raw(
            "GET",
            path,
            &[("Host", self.addr.clone()), ("Cookie", self.cookie())],
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
            ("Host", self.addr.clone()),
            ("Cookie", self.cookie()),
            ("Origin", format!("http://{}", self.addr)),
            ("Sec-Fetch-Site", "same-origin".to_string()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ),
        ];
        self.raw("POST", path, &headers, &encode(&all))
    }

    /// The form token, as the pages' forms carry it.
    pub fn csrf(&self) -> String {
        let page = self.get("/case/ct-2025-0117/contact").text();
        let mark = "name=\"csrf\" value=\"";
        let i = page.find(mark).expect("a form token") + mark.len();
        page[i..i + 64].to_string()
    }
}

pub fn encode(form: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}

fn parse(bytes: &[u8]) -> Response {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole response");
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let mut response = Response {
        status,
        headers,
        body: bytes[split + 4..].to_vec(),
    };
    if response.header("Transfer-Encoding") == Some("chunked") {
        response.body = dechunk(&response.body);
    }
    response
}

/// A chunked body as its bytes: each chunk is its size in hex, CRLF, the
/// bytes, CRLF; a chunk of size 0 ends it.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size");
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16)
            .expect("a chunk size in hex");
        if size == 0 {
            return body;
        }
        let start = end + 2;
        body.extend_from_slice(&rest[start..start + size]);
        rest = &rest[start + size + 2..];
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
