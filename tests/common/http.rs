//! A plain HTTP/1.1 client over a socket, for talking to `casepaper serve`
//! with exactly the headers a caller gives (the tests and the benchmark).

use std::io::{Read, Write};
use std::net::TcpStream;

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

/// One request on its own connection; the whole response.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &str,
) -> Response {
    let length = body.len().to_string();
    exchange(addr, &head(method, path, headers, &length), body)
}

/// A request's head, declaring a body of `length` bytes.
fn head(method: &str, path: &str, headers: &[(&str, String)], length: &str) -> String {
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str(&format!("Content-Length: {length}\r\n\r\n"));
    req
}

/// `head` and `body` sent on a new connection; the whole response.
fn exchange(addr: &str, head: &str, body: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("the server accepts");
    // A server may answer (413) and close before it takes the whole body.
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()));
    parse(&answer(&mut stream))
}

/// What the server sent before it closed the connection (or reset it,
/// as it does when it closes without reading all that was sent).
pub fn answer(stream: &mut TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut buf = [0; 64 * 1024];
    while let Ok(n @ 1..) = stream.read(&mut buf) {
        bytes.extend_from_slice(&buf[..n]);
    }
    bytes
}

/// A request's head alone, declaring a body of `length` bytes that is
/// never sent; the whole response.
#[allow(dead_code)] // the tests', not the benchmark's
pub fn head_only(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    length: &str,
) -> Response {
    exchange(addr, &head(method, path, headers, length), "")
}

pub fn encode(form: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}

pub fn parse(bytes: &[u8]) -> Response {
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
