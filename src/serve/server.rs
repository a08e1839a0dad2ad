//! The HTTP server: hyper 1 on a tokio runtime, on loopback.
//!
//! One thread reads and writes every connection; each page is made on a
//! thread of tokio's blocking pool (as many as `Options::threads`), so a
//! slow render never stops the others being read. What a connection may
//! cost is bounded before any page sees it: the head must arrive within
//! [`Limits::head`] (an idle connection is closed after as long) and be at
//! most 64 KiB; the guard's checks on the head pass before a byte of the
//! body is read; a body declared or sent larger than
//! [`http::MAX_BODY`](super::http::MAX_BODY) is answered 413 and never
//! read; a body must arrive within [`Limits::body`]; at most
//! [`MAX_CONNECTIONS`] are open at once. A page that panics fails alone:
//! its request is answered 500 and the server goes on.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};

use super::app::{self, App};
use super::desk::Desk;
use super::guard::Guard;
use super::http::{Admitted, Head, MAX_BODY, Reply};
use crate::error::{Error, Result};
use crate::load::git::Repo;
use crate::pipeline::Warm;

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
    /// Threads making pages.
    pub threads: usize,
    /// Where the documents are written (default: `out` beside the
    /// records folder, where `casepaper render` writes them).
    pub out: Option<PathBuf>,
    /// How long a request may take to arrive.
    pub limits: Limits,
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
            limits: Limits::default(),
        }
    }
}

/// How long a client may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// To send a request's head; also how long a connection may sit idle
    /// between requests.
    pub head: Duration,
    /// To send a request's body, once its head has arrived.
    pub body: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            head: Duration::from_secs(20),
            body: Duration::from_secs(60),
        }
    }
}

/// Connections open at once; the next waits until one closes.
pub const MAX_CONNECTIONS: usize = 256;

/// A server bound to its address, not yet answering.
pub struct Server {
    listener: std::net::TcpListener,
    app: Arc<App>,
    threads: usize,
    limits: Limits,
}

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
        let listener = std::net::TcpListener::bind(SocketAddr::new(options.address, options.port))
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", options.address)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("the server has no address: {e}")))?;
        let out = match &options.out {
            Some(out) => out.clone(),
            None => root.parent().unwrap_or(&root).join("out"),
        };
        crate::output::check_out_dir(&out, &root)?;
        let app = App {
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
            listener,
            app: Arc::new(app),
            threads: options.threads.max(1),
            limits: options.limits,
        })
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.app.addr
    }

    /// The first address to open: this launch's own name for the server,
    /// and the token.
    pub fn url(&self) -> String {
        format!(
            "http://{}/?token={}",
            self.app.guard.host_name(),
            self.app.guard.token()
        )
    }

    /// The answer to one request, as the server gives it once the request
    /// has arrived (for the fuzz target: no socket, no timeouts).
    pub fn answer(&self, head: &Head, body: &[u8]) -> Reply {
        self.app.answer(head, body)
    }

    /// Answers requests until the process ends.
    pub fn run(self) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .max_blocking_threads(self.threads)
            .build()
            .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
        runtime.block_on(self.accept())
    }

    async fn accept(self) -> Result<()> {
        let listener = tokio::net::TcpListener::from_std(self.listener)
            .map_err(|e| Error::Usage(format!("cannot listen: {e}")))?;
        let open = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        loop {
            let Ok(permit) = open.clone().acquire_owned().await else {
                return Ok(());
            };
            // A failed accept (too many open files, a reset) is that
            // connection's; the server goes on.
            let Ok((stream, _)) = listener.accept().await else {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            };
            let app = self.app.clone();
            let limits = self.limits;
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let app = app.clone();
                    async move { Ok::<_, std::convert::Infallible>(respond(app, limits, request).await) }
                });
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.head)
                    .max_buf_size(64 * 1024)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                drop(permit);
            });
        }
    }
}

/// One request's answer: the head checked, the body read within bounds,
/// the page made off the connection thread.
async fn respond(
    app: Arc<App>,
    limits: Limits,
    request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let head = head_of(&parts);
    let reply = match app.admit(&head) {
        Err(refusal) => app.refused(refusal),
        Ok(login @ Admitted::Login(_)) => app.admitted(login, &head, &[]),
        Ok(Admitted::Page) => match read_body(&head, body, limits).await {
            Err(status) => body_refused(&app, status),
            Ok(body) => {
                let work = app.clone();
                contain(&app, move || work.admitted(Admitted::Page, &head, &body)).await
            }
        },
    };
    http_response(reply)
}

/// The head as the desk reads it.
fn head_of(parts: &hyper::http::request::Parts) -> Head {
    let target = match parts.uri.authority() {
        // A whole address in the request line: kept whole, and refused.
        Some(_) => parts.uri.to_string(),
        None => parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.to_string(), |p| p.as_str().to_string()),
    };
    Head {
        method: parts.method.clone(),
        target,
        headers: (parts.headers.iter())
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_string(), value)
            })
            .collect(),
    }
}

/// A POST's body, if it is no larger than [`MAX_BODY`] and arrives in
/// time; other methods' bodies are not read. The status is why not.
async fn read_body(
    head: &Head,
    body: Incoming,
    limits: Limits,
) -> std::result::Result<Vec<u8>, StatusCode> {
    if head.method != Method::POST {
        return Ok(Vec::new());
    }
    if head.content_length().is_some_and(|n| n > MAX_BODY) {
        return Err(StatusCode::PAYLOAD_TOO_LARGE);
    }
    let limited = Limited::new(body, MAX_BODY as usize);
    match tokio::time::timeout(limits.body, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes().to_vec()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(StatusCode::PAYLOAD_TOO_LARGE)
        }
        Ok(Err(_)) => Err(StatusCode::BAD_REQUEST),
        Err(_) => Err(StatusCode::REQUEST_TIMEOUT),
    }
}

/// The page for a body that was not read.
fn body_refused(app: &App, status: StatusCode) -> Reply {
    let text = match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "The form is larger than the desk takes ({} MiB), so nothing was saved. \
             A record this large is edited in a text editor.",
            MAX_BODY / (1024 * 1024)
        ),
        StatusCode::REQUEST_TIMEOUT => {
            "The form took too long to arrive, so nothing was saved. Send it again.".to_string()
        }
        _ => "The form arrived broken, so nothing was saved. Send it again.".to_string(),
    };
    app.message(status.as_u16(), "Nothing was saved", &text)
}

/// `page` made on a thread of the blocking pool; a panic in it is that
/// request's 500, and the server goes on.
async fn contain(app: &App, page: impl FnOnce() -> Reply + Send + 'static) -> Reply {
    match tokio::task::spawn_blocking(page).await {
        Ok(reply) => reply,
        Err(_) => app.message(
            500,
            "Something went wrong",
            "This page failed because of a fault in casepaper; nothing else was affected and \
             the desk is still running. Please tell whoever looks after casepaper which page \
             it was.",
        ),
    }
}

fn http_response(reply: Reply) -> hyper::Response<Full<Bytes>> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = hyper::Response::new(Full::new(Bytes::new()));
    for (name, value) in reply.all_headers() {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    *response.status_mut() = status;
    *response.body_mut() = Full::new(Bytes::from(reply.body));
    response
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Instant;

    use super::*;

    /// A server on the minimal fixture, answering on its own thread.
    fn started(limits: Limits) -> (SocketAddr, String, String) {
        let records = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let out = tempfile::tempdir().unwrap().keep();
        let server = Server::bind(&Options {
            records,
            out: Some(out),
            limits,
            ..Options::default()
        })
        .unwrap();
        let addr = server.addr();
        let host = server.app.guard.host_name().to_string();
        let cookie = server.app.guard.cookie();
        let cookie = cookie.split(';').next().unwrap().to_string();
        std::thread::spawn(move || server.run());
        (addr, host, cookie)
    }

    /// Whatever the server sends on `stream` until it closes it.
    fn rest(stream: &mut TcpStream) -> String {
        let mut text = String::new();
        let _ = stream.read_to_string(&mut text);
        text
    }

    /// An app on no records, for what happens before a page is made.
    fn bare_app() -> App {
        App {
            repo: None,
            desk: Mutex::new(Desk::new(PathBuf::from("."))),
            warm: Mutex::new(Warm::default()),
            pages: app::environment(),
            guard: Guard::new("127.0.0.1:1".parse().unwrap()),
            as_of: None,
            addr: "127.0.0.1:1".parse().unwrap(),
            root: PathBuf::from("."),
            out: PathBuf::from("out"),
        }
    }

    #[test]
    fn the_head_is_let_in_by_its_one_host_its_path_and_its_token_or_cookie() {
        use super::super::guard::Refusal;
        let app = bare_app();
        let host = app.guard.host_name().to_string();
        let token = app.guard.token().to_string();
        let head = |method: &str, target: &str, headers: &[(&str, &str)]| {
            let headers = headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            Head::of(method, target, headers).unwrap()
        };
        let cookie = format!("casepaper_token={token}");
        let login = format!("/case/a?token={token}&as_of=2026-12-01");
        assert_eq!(
            app.admit(&head("GET", &login, &[("Host", &host)])),
            Ok(Admitted::Login("/case/a?as_of=2026-12-01".into()))
        );
        for (what, request, refusal) in [
            (
                "a POST with the token",
                head("POST", &login, &[("Host", &host)]),
                Refusal::NoToken,
            ),
            (
                "another token",
                head("GET", "/?token=00", &[("Host", &host)]),
                Refusal::NoToken,
            ),
            (
                "no cookie",
                head("GET", "/", &[("Host", &host)]),
                Refusal::NoToken,
            ),
            (
                "no host",
                head("GET", "/", &[("Cookie", &cookie)]),
                Refusal::WrongHost,
            ),
            (
                "two hosts",
                head(
                    "GET",
                    "/",
                    &[("Host", &host), ("host", &host), ("Cookie", &cookie)],
                ),
                Refusal::Malformed,
            ),
            (
                "a whole address",
                head(
                    "GET",
                    &format!("http://{host}/"),
                    &[("Host", &host), ("Cookie", &cookie)],
                ),
                Refusal::Malformed,
            ),
        ] {
            assert_eq!(app.admit(&request), Err(refusal), "{what}");
        }
        let page = head("GET", "/", &[("HOST", &host), ("Cookie", &cookie)]);
        assert_eq!(app.admit(&page), Ok(Admitted::Page));
        let sent = head("POST", "/x", &[("Content-Length", " 12 ")]);
        assert_eq!(sent.content_length(), Some(12));
        assert_eq!(head("GET", "/", &[]).content_length(), None);
        assert!(Head::of("GE T", "/", Vec::new()).is_none(), "not a method");
        assert_eq!(MAX_BODY, 16_777_216);
    }

    #[test]
    fn a_page_that_panics_is_a_500_and_the_next_page_is_made() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let app = bare_app();
        let failed = runtime.block_on(contain(&app, || panic!("a fault in a page")));
        assert_eq!(failed.status, 500);
        let text = String::from_utf8(failed.body).unwrap();
        assert!(text.contains("the desk is still running"), "{text}");
        let next = runtime.block_on(contain(&app, || Reply::html(200, "fine".into())));
        assert_eq!((next.status, next.body), (200, b"fine".to_vec()));
    }

    #[test]
    fn a_head_not_sent_in_time_closes_its_connection() {
        let limits = Limits {
            head: Duration::from_millis(300),
            body: Duration::from_millis(300),
        };
        let (addr, host, cookie) = started(limits);
        let mut idle = TcpStream::connect(addr).unwrap();
        let mut slow_head = TcpStream::connect(addr).unwrap();
        slow_head.write_all(b"GET / HTTP/1.1\r\nHost: ").unwrap();
        let mut slow_body = TcpStream::connect(addr).unwrap();
        let post = format!(
            "POST /changes HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\
             Content-Length: 100\r\n\r\nmessage="
        );
        slow_body.write_all(post.as_bytes()).unwrap();
        let started = Instant::now();
        assert_eq!(rest(&mut idle), "", "an idle connection is closed");
        assert_eq!(rest(&mut slow_head), "", "a head cut short is closed");
        let answer = rest(&mut slow_body);
        assert!(
            answer.starts_with("HTTP/1.1 408 "),
            "a body cut short is 408: {answer}"
        );
        assert!(answer.contains("took too long to arrive"), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
