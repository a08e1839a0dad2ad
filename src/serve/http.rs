//! A request as the desk reads it, and what a page answers: the part of
//! HTTP that does not depend on the server crate, so the fuzz target and
//! the tests drive exactly what a browser's request goes through.
//!
//! ```text
//! Head (method, target, headers)   what arrived before the body
//!   App::admit(&head)              host, token or cookie: before any body is read
//!   App::answer(head, body)        the form token of a POST, then the page
//! ```

use hyper::Method;

use super::app::App;
use super::guard::Refusal;

/// Largest form a browser may send: a record file at the default size
/// limit (5 MB), form-encoded (each byte of non-Latin text is three), with
/// room to spare. A larger one is answered 413 before it is read.
pub const MAX_BODY: u64 = 16 * 1024 * 1024;

/// What arrived before the body: the request line and the headers.
#[derive(Debug, Clone)]
pub struct Head {
    pub method: Method,
    /// The request target as sent: a path and its query.
    pub target: String,
    /// Every header, names in lowercase, in the order sent.
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// A head from its parts as text; `None` for a method HTTP does not
    /// allow (the server's parser refuses those before the desk sees them).
    pub fn of(method: &str, target: &str, headers: Vec<(String, String)>) -> Option<Head> {
        Some(Head {
            method: Method::from_bytes(method.as_bytes()).ok()?,
            target: target.to_string(),
            headers: (headers.into_iter())
                .map(|(name, value)| (name.to_ascii_lowercase(), value))
                .collect(),
        })
    }

    /// Every value of header `name`.
    fn all<'h, 'n>(&'h self, name: &'n str) -> impl Iterator<Item = &'h str> + use<'h, 'n> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.all(name).next()
    }

    /// The body's length as the request declares it, if it does.
    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length")?.trim().parse().ok()
    }

    /// The path and the query's pairs.
    fn path_and_query(&self) -> (&str, Vec<(String, String)>) {
        let (path, query) = self.target.split_once('?').unwrap_or((&self.target, ""));
        let query = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        (path, query)
    }
}

/// A request as the pages read it.
pub struct Request {
    pub method: Method,
    /// The path, without the query.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// The form sent with a POST.
    pub form: Vec<(String, String)>,
}

impl Request {
    /// A query or form value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .chain(&self.query)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_get(&self) -> bool {
        self.method == Method::GET
    }

    pub fn is_post(&self) -> bool {
        self.method == Method::POST
    }
}

/// What a page answers.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A PDF to open in the browser, named `file`.
    pub fn pdf(body: Vec<u8>, file: &str) -> Reply {
        Reply {
            status: 200,
            content_type: "application/pdf",
            body,
            headers: vec![(
                "Content-Disposition",
                format!("inline; filename=\"{file}\""),
            )],
        }
    }

    pub fn html(status: u16, body: String) -> Reply {
        Reply {
            status,
            content_type: "text/html; charset=utf-8",
            body: body.into_bytes(),
            headers: Vec::new(),
        }
    }

    /// 303 to `to`, a path of this server; anything else (`//elsewhere`,
    /// `/\elsewhere`, which browsers read as another site) goes to the
    /// caseload instead.
    pub fn see_other(to: &str) -> Reply {
        let to = if own_path(to) { to } else { "/" };
        Reply {
            status: 303,
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            headers: vec![("Location", to.to_string())],
        }
    }

    /// Every header of the answer: its own, then the ones every answer has.
    pub fn all_headers(&self) -> impl Iterator<Item = (&str, &str)> {
        std::iter::once(("Content-Type", self.content_type))
            .chain(SECURITY_HEADERS.iter().copied())
            .chain(self.headers.iter().map(|(n, v)| (*n, v.as_str())))
    }
}

/// A path a browser reads as one of this server's: one slash, then no
/// second slash or backslash, and nothing a browser strips or reads as a
/// break (white space, control characters).
fn own_path(to: &str) -> bool {
    to.starts_with('/')
        && !to.starts_with("//")
        && !to.starts_with("/\\")
        && to.bytes().all(|b| b.is_ascii_graphic())
}

/// Every answer says: nothing from elsewhere, no framing, no caching of
/// child records, no address sent to another site.
const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    // Never to another site; to its own pages the browser then sends the
    // true Origin with a form (with `no-referrer` it sends `null`).
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
];

/// What the head of a request lets through.
#[derive(Debug, PartialEq, Eq)]
pub enum Admitted {
    /// A page, once its body (for a POST) is read.
    Page,
    /// The first address, with the token: set the cookie, go to the page
    /// without the token in its address (its other parameters kept).
    Login(String),
}

impl App {
    /// The guard's checks on the head, in order: one host, this server's;
    /// a path; then the token (or the first address's token). Nothing of
    /// the body is read before these pass.
    pub fn admit(&self, head: &Head) -> Result<Admitted, Refusal> {
        let mut hosts = head.all("host");
        let host = hosts.next();
        if hosts.next().is_some() {
            return Err(Refusal::Malformed);
        }
        self.guard.host(host)?;
        // A path: never a whole address (`GET http://elsewhere/`) or `*`.
        if !head.target.starts_with('/') {
            return Err(Refusal::Malformed);
        }
        let (path, query) = head.path_and_query();
        if let Some((_, token)) = query.iter().find(|(k, _)| k == "token") {
            if self.guard.token_is(token) && head.method == Method::GET {
                return Ok(Admitted::Login(without_token(path, &query)));
            }
            return Err(Refusal::NoToken);
        }
        self.guard.session(head.header("cookie"))?;
        Ok(Admitted::Page)
    }

    /// The answer to a request: its head admitted, then [`App::admitted`].
    pub fn answer(&self, head: &Head, body: &[u8]) -> Reply {
        match self.admit(head) {
            Ok(admitted) => self.admitted(admitted, head, body),
            Err(refusal) => self.refused(refusal),
        }
    }

    /// The answer to a head [`App::admit`] let through, with its body: the
    /// first address sets the cookie; a page's POST is checked for its
    /// origin and form token, then the page is made.
    pub fn admitted(&self, admitted: Admitted, head: &Head, body: &[u8]) -> Reply {
        match admitted {
            Admitted::Login(to) => {
                let mut reply = Reply::see_other(&to);
                reply.headers.push(("Set-Cookie", self.guard.cookie()));
                reply
            }
            Admitted::Page => match self.request(head, body) {
                Ok(req) => self.page(&req),
                Err(refusal) => self.refused(refusal),
            },
        }
    }

    /// The request a page reads; a POST only from this server's page.
    fn request(&self, head: &Head, body: &[u8]) -> Result<Request, Refusal> {
        let (path, query) = head.path_and_query();
        let mut form = Vec::new();
        if head.method == Method::POST {
            form = form_urlencoded::parse(body).into_owned().collect();
            let csrf = form
                .iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v.as_str());
            self.guard
                .post(head.header("sec-fetch-site"), head.header("origin"), csrf)?;
        }
        // Paths are matched as sent: the pages' paths are plain names (case
        // ids, file names), and nothing else is let through.
        Ok(Request {
            method: head.method.clone(),
            path: path.to_string(),
            query,
            form,
        })
    }
}

/// Where the first address leads once its token is in the cookie: the same
/// page with the rest of its query (`?as_of=...`), the token taken out.
fn without_token(path: &str, query: &[(String, String)]) -> String {
    let path = if own_path(path) { path } else { "/" };
    let kept = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query.iter().filter(|(k, _)| k != "token"))
        .finish();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{kept}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_stays_on_this_server() {
        for (to, went) in [
            ("/case/ct-1", "/case/ct-1"),
            ("/?as_of=2026-12-01", "/?as_of=2026-12-01"),
            ("//evil.example/", "/"),
            ("/\\evil.example/", "/"),
            ("/\t/evil.example/", "/"),
            ("/ /x", "/"),
            ("https://evil.example/", "/"),
            ("evil", "/"),
            ("", "/"),
        ] {
            let reply = Reply::see_other(to);
            assert_eq!(reply.status, 303);
            assert_eq!(reply.headers, [("Location", went.to_string())], "{to:?}");
        }
    }

    #[test]
    fn the_token_is_taken_out_of_the_address_and_the_rest_kept() {
        let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(without_token("/", &q(&[("token", "t")])), "/");
        assert_eq!(
            without_token("/case/a", &q(&[("token", "t"), ("as_of", "2026-12-01")])),
            "/case/a?as_of=2026-12-01"
        );
        assert_eq!(without_token("//evil.example/", &q(&[("token", "t")])), "/");
    }

    #[test]
    fn every_answer_carries_the_security_headers_after_its_type() {
        let mut reply = Reply::html(200, "x".into());
        reply.headers.push(("Set-Cookie", "a=b".into()));
        let names: Vec<&str> = reply.all_headers().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "Content-Type",
                "Content-Security-Policy",
                "Cache-Control",
                "X-Content-Type-Options",
                "X-Frame-Options",
                "Referrer-Policy",
                "Cross-Origin-Opener-Policy",
                "Cross-Origin-Resource-Policy",
                "Set-Cookie"
            ]
        );
    }
}
