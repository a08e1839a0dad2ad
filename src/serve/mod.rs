//! `casepaper serve`: the coordinator's desk in a browser, on the
//! coordinator's own machine.
//!
//! A small HTTP server (tiny_http, a pool of threads) on loopback. Pages are
//! made on the server from minijinja templates (`templates/web/`), and work
//! without JavaScript; a vendored, pinned htmx updates the caseload in
//! place. Every page translates a request into the pipeline's runs
//! ([`crate::pipeline`]) and their answer into a typed view: the caseload
//! is `check` and `due` kept warm per case folder ([`desk`]), a case's
//! documents are an ordinary render run into the output folder (`out/`, as
//! `render`'s) with the renderer kept warm, and every form's record is
//! saved by [`crate::pipeline::save`], validated as the records would be
//! with it before it is written.
//!
//! HTTP is this file's and `guard`'s (who is let in); `router` reads a
//! request's path once; `app` is the desk's state and what every page
//! shares; then one file per page: `caseload`, `case` (and its PDFs),
//! `record` (the record forms), `sign`, `edit`, `changes`. `forms` makes
//! fields from a schema and a record from a form; `kinds` knows each kind
//! of new record.
//!
//! ```text
//! Server::bind(options)        loopback address, token, form token
//!   .run()                     threads answer requests until the process ends
//! ```

mod app;
mod case;
mod caseload;
mod changes;
mod desk;
mod edit;
mod forms;
mod guard;
mod kinds;
mod record;
mod router;
mod sign;

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::load::git::Repo;
use crate::pipeline::Warm;
use desk::Desk;
use guard::{Guard, Refusal};

/// How `serve` was started.
#[derive(Debug, Clone)]
pub struct Options {
    /// The records folder.
    pub records: PathBuf,
    /// The address to listen on: loopback unless `other_address`.
    pub address: IpAddr,
    /// 0 for any free port.
    pub port: u16,
    /// The user asked by name to listen on an address that is not
    /// loopback.
    pub other_address: bool,
    /// The day deadlines and rules are held to (default: each request's
    /// today).
    pub as_of: Option<NaiveDate>,
    /// Threads answering requests.
    pub threads: usize,
    /// Where the documents are written (default: `out` beside the
    /// records folder, where `casepaper render` writes them).
    pub out: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            records: PathBuf::from(crate::load::DEFAULT_RECORDS),
            address: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            other_address: false,
            as_of: None,
            threads: 8,
            out: None,
        }
    }
}

/// A server bound to its address, not yet answering.
pub struct Server {
    http: Arc<tiny_http::Server>,
    app: Arc<app::App>,
    threads: usize,
}

/// Largest form a browser may send (a record file is a few hundred KB).
const MAX_BODY: u64 = 4 * 1024 * 1024;

impl Server {
    /// Opens the records folder and listens on the address: loopback,
    /// unless the user named another one and said so.
    pub fn bind(options: &Options) -> Result<Server> {
        if !options.address.is_loopback() && !options.other_address {
            return Err(Error::Usage(format!(
                "{} is not this computer's own (loopback) address, so other computers could \
                 reach the child records; add --allow-other-address to listen there anyway \
                 (the token is still needed)",
                options.address
            )));
        }
        let root = crate::load::find_root(&options.records)?;
        let root = std::fs::canonicalize(&root).map_err(|e| Error::read(root.display(), e))?;
        let http = tiny_http::Server::http(SocketAddr::new(options.address, options.port))
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", options.address)))?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| Error::Usage("the server has no address".into()))?;
        let out = match &options.out {
            Some(out) => out.clone(),
            None => root.parent().unwrap_or(&root).join("out"),
        };
        crate::output::check_out_dir(&out, &root)?;
        let app = app::App {
            repo: Repo::discover(&root),
            desk: Mutex::new(Desk::new(root.clone())),
            warm: Mutex::new(Warm::default()),
            pages: app::environment(),
            guard: Guard::new(addr),
            as_of: options.as_of,
            addr,
            root,
            out,
        };
        Ok(Server {
            http: Arc::new(http),
            app: Arc::new(app),
            threads: options.threads.max(1),
        })
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.app.addr
    }

    /// The first address to open: it carries the token.
    pub fn url(&self) -> String {
        let addr = self.app.addr;
        let host = if addr.ip().is_loopback() {
            format!("127.0.0.1:{}", addr.port())
        } else {
            addr.to_string()
        };
        format!("http://{host}/?token={}", self.app.guard.token())
    }

    /// Answers requests until the process ends.
    pub fn run(self) {
        let workers: Vec<_> = (0..self.threads)
            .map(|_| {
                let http = self.http.clone();
                let app = self.app.clone();
                std::thread::spawn(move || {
                    for request in http.incoming_requests() {
                        answer(&app, request);
                    }
                })
            })
            .collect();
        for worker in workers {
            let _ = worker.join();
        }
    }
}

/// A request as the pages read it.
pub struct Request {
    pub method: tiny_http::Method,
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
}

/// What a page answers.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn html(status: u16, body: String) -> Reply {
        Reply {
            status,
            content_type: "text/html; charset=utf-8",
            body: body.into_bytes(),
            headers: Vec::new(),
        }
    }

    /// 303 to `to`, a path of this server.
    pub fn see_other(to: &str) -> Reply {
        Reply {
            status: 303,
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            headers: vec![("Location", to.to_string())],
        }
    }
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

fn answer(app: &app::App, mut request: tiny_http::Request) {
    let reply = match admit(app, &mut request) {
        Ok(Admitted::Page(req)) => app.page(&req),
        Ok(Admitted::Login(to)) => {
            let mut reply = Reply::see_other(&to);
            reply.headers.push(("Set-Cookie", app.guard.cookie()));
            reply
        }
        Err(refusal) => app.refused(refusal),
    };
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let mut add = |name: &str, value: &str| {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    };
    add("Content-Type", reply.content_type);
    for (name, value) in SECURITY_HEADERS {
        add(name, value);
    }
    for (name, value) in &reply.headers {
        add(name, value);
    }
    let _ = request.respond(response);
}

enum Admitted {
    Page(Request),
    /// The first address, with the token: set the cookie, go to the page
    /// without the token in its address (its other parameters kept).
    Login(String),
}

/// Where the first address leads once its token is in the cookie: the same
/// page with the rest of its query (`?as_of=...`), the token taken out.
fn without_token(path: &str, query: &[(String, String)]) -> String {
    let path = if path.starts_with('/') { path } else { "/" };
    let kept = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query.iter().filter(|(k, _)| k != "token"))
        .finish();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{kept}")
    }
}

/// The guard's checks, in order: the host, then the token (or the first
/// address's token), then for a POST its origin and form token.
fn admit(
    app: &app::App,
    request: &mut tiny_http::Request,
) -> std::result::Result<Admitted, Refusal> {
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let header = |name: &'static str| {
        let name = name.to_ascii_lowercase();
        headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    app.guard.host(header("Host").as_deref())?;
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let query: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if let Some((_, token)) = query.iter().find(|(k, _)| k == "token") {
        if app.guard.token_is(token) && *request.method() == tiny_http::Method::Get {
            return Ok(Admitted::Login(without_token(path, &query)));
        }
        return Err(Refusal::NoToken);
    }
    app.guard.session(header("Cookie").as_deref())?;
    let method = request.method().clone();
    let mut form = Vec::new();
    if method == tiny_http::Method::Post {
        let mut body = Vec::new();
        let read = request.as_reader().take(MAX_BODY).read_to_end(&mut body);
        if read.is_err() {
            return Err(Refusal::CrossSite);
        }
        form = form_urlencoded::parse(&body).into_owned().collect();
        let csrf = form
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        app.guard.post(
            header("Sec-Fetch-Site").as_deref(),
            header("Origin").as_deref(),
            csrf,
        )?;
    }
    // Paths are matched as sent: the pages' paths are plain names (case
    // ids, file names), and nothing else is let through.
    Ok(Admitted::Page(Request {
        method,
        path: path.to_string(),
        query,
        form,
    }))
}
