//! Who may use the server: child records never leave the machine.
//!
//! - The server listens on loopback (another address only when the user
//!   asks for it by name, and then still only with the token).
//! - Every request must name the server by its own address in `Host`, so a
//!   page elsewhere cannot reach it through a name it controls (DNS
//!   rebinding).
//! - The first address carries a random token; it is swapped for an
//!   `HttpOnly; SameSite=Strict` cookie and the address without it.
//! - Every POST carries the launch's form token and, when the browser sends
//!   them, `Sec-Fetch-Site: same-origin` and the server's own `Origin`.

use std::net::SocketAddr;

/// The name of the cookie that holds the token.
pub const COOKIE: &str = "casepaper_token";

/// The launch's secrets and the addresses it answers to.
pub struct Guard {
    token: String,
    csrf: String,
    /// The `Host` values accepted: the loopback names with the port.
    hosts: Vec<String>,
    /// The origins a POST may come from.
    origins: Vec<String>,
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 401: no token, or not this launch's.
    NoToken,
    /// 403: the request names another host.
    WrongHost,
    /// 403: a POST from another site, or without the form token.
    CrossSite,
}

impl Refusal {
    pub fn status(self) -> u16 {
        match self {
            Refusal::NoToken => 401,
            Refusal::WrongHost | Refusal::CrossSite => 403,
        }
    }

    /// What the person at the browser reads.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::NoToken => {
                "This page needs the key in the address that `casepaper serve` printed when it \
                 started. Open that address (it ends in ?token=...)."
            }
            Refusal::WrongHost => {
                "This server answers only to its own address on this computer \
                 (127.0.0.1 or localhost, with its port)."
            }
            Refusal::CrossSite => {
                "This form was not sent from casepaper's own page, so nothing was changed. \
                 Reload the page and send it again."
            }
        }
    }
}

impl Guard {
    /// A guard with fresh random secrets for a server at `addr`.
    pub fn new(addr: SocketAddr) -> Guard {
        let port = addr.port();
        let mut names = vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        if !addr.ip().is_loopback() {
            names.push(addr.to_string());
        }
        let origins = names.iter().map(|h| format!("http://{h}")).collect();
        Guard {
            token: random_hex(32),
            csrf: random_hex(32),
            hosts: names,
            origins,
        }
    }

    /// The token of the first address.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The form token every POST must carry.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// The `Host` header names this server.
    pub fn host(&self, host: Option<&str>) -> Result<(), Refusal> {
        match host {
            Some(h)
                if self
                    .hosts
                    .iter()
                    .any(|ok| ok.eq_ignore_ascii_case(h.trim())) =>
            {
                Ok(())
            }
            _ => Err(Refusal::WrongHost),
        }
    }

    /// `token` (from the first address) is this launch's.
    pub fn token_is(&self, token: &str) -> bool {
        same(token.as_bytes(), self.token.as_bytes())
    }

    /// The `Cookie` header holds this launch's token.
    pub fn session(&self, cookies: Option<&str>) -> Result<(), Refusal> {
        let held = cookies
            .into_iter()
            .flat_map(|c| c.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(name, value)| name == COOKIE && self.token_is(value));
        if held { Ok(()) } else { Err(Refusal::NoToken) }
    }

    /// The cookie that stands for the token from then on.
    pub fn cookie(&self) -> String {
        format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", self.token)
    }

    /// A POST comes from this server's own page: its form token, and the
    /// fetch metadata and origin a browser sends.
    pub fn post(
        &self,
        fetch_site: Option<&str>,
        origin: Option<&str>,
        csrf: Option<&str>,
    ) -> Result<(), Refusal> {
        if fetch_site.is_some_and(|s| s != "same-origin" && s != "none") {
            return Err(Refusal::CrossSite);
        }
        if origin.is_some_and(|o| !self.origins.iter().any(|ok| ok.eq_ignore_ascii_case(o))) {
            return Err(Refusal::CrossSite);
        }
        match csrf {
            Some(sent) if same(sent.as_bytes(), self.csrf.as_bytes()) => Ok(()),
            _ => Err(Refusal::CrossSite),
        }
    }
}

/// `n` random bytes from the operating system, in hex.
fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    crate::provenance::hex(&bytes)
}

/// Equal, in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard::new("127.0.0.1:4000".parse().unwrap())
    }

    #[test]
    fn only_the_loopback_names_with_the_port_are_hosts() {
        let g = guard();
        assert_eq!(g.host(Some("127.0.0.1:4000")), Ok(()));
        assert_eq!(g.host(Some("LOCALHOST:4000")), Ok(()));
        assert_eq!(g.host(Some("localhost:4001")), Err(Refusal::WrongHost));
        assert_eq!(g.host(Some("evil.example:4000")), Err(Refusal::WrongHost));
        assert_eq!(g.host(None), Err(Refusal::WrongHost));
    }

    #[test]
    fn the_cookie_must_hold_this_launchs_token() {
        let g = guard();
        let good = format!("a=b; {COOKIE}={}", g.token());
        assert_eq!(g.session(Some(&good)), Ok(()));
        assert_eq!(
            g.session(Some(&format!("{COOKIE}=x"))),
            Err(Refusal::NoToken)
        );
        assert_eq!(g.session(None), Err(Refusal::NoToken));
        assert_ne!(g.token(), guard().token(), "a token per launch");
        assert_eq!(g.token().len(), 64);
        // A guess of the right length is no better than any other.
        let guess = format!("{COOKIE}={}", "0".repeat(64));
        assert_eq!(g.session(Some(&guess)), Err(Refusal::NoToken));
        let one_off: String =
            g.token()[..63].to_string() + if g.token().ends_with('0') { "1" } else { "0" };
        assert!(!g.token_is(&one_off));
        assert!(g.token_is(g.token()));
        let cookie = g.cookie();
        assert!(
            cookie.starts_with(&format!("{COOKIE}={};", g.token())),
            "{cookie}"
        );
        for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(
                cookie.split("; ").any(|p| p == part),
                "{cookie} lacks {part}"
            );
        }
    }

    #[test]
    fn equal_means_every_byte_equal() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abd", b"abc"));
        assert!(!same(b"xbc", b"abc"));
        assert!(!same(b"abc", b"abcd"));
        assert!(!same(b"ab", b"ba"), "two differences do not cancel out");
        assert!(same(b"", b""));
    }

    #[test]
    fn refusals_say_their_status_and_what_to_do() {
        assert_eq!(Refusal::NoToken.status(), 401);
        assert_eq!(Refusal::WrongHost.status(), 403);
        assert_eq!(Refusal::CrossSite.status(), 403);
        assert!(Refusal::NoToken.message().contains("?token="));
        assert!(Refusal::WrongHost.message().contains("127.0.0.1"));
        assert!(Refusal::CrossSite.message().contains("nothing was changed"));
    }

    #[test]
    fn a_post_needs_the_form_token_and_no_other_site() {
        let g = guard();
        let csrf = Some(g.csrf());
        assert_eq!(g.post(None, None, csrf), Ok(()));
        let same_site = (Some("same-origin"), Some("http://127.0.0.1:4000"));
        assert_eq!(g.post(same_site.0, same_site.1, csrf), Ok(()));
        assert_eq!(
            g.post(Some("cross-site"), None, csrf),
            Err(Refusal::CrossSite)
        );
        assert_eq!(
            g.post(Some("same-site"), None, csrf),
            Err(Refusal::CrossSite)
        );
        let other = Some("http://127.0.0.1:4001");
        assert_eq!(g.post(None, other, csrf), Err(Refusal::CrossSite));
        assert_eq!(g.post(None, None, None), Err(Refusal::CrossSite));
        assert_eq!(g.post(None, None, Some("0")), Err(Refusal::CrossSite));
        let same_length = "f".repeat(64);
        assert_eq!(
            g.post(None, None, Some(&same_length)),
            Err(Refusal::CrossSite)
        );
    }
}
