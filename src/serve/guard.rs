//! Who may use the server: child records never leave the machine.
//!
//! - The server listens on loopback (another address only when the user
//!   asks for it by name, and then still only with the token).
//! - The server has a name of its own for each launch, under `localhost`
//!   (`desk-<random>.localhost`, which browsers resolve to loopback
//!   themselves), so its cookie is never sent to another server on this
//!   computer: cookies tell hosts apart by name, not by port.
//! - Every request must name the server by that name and its port in one
//!   `Host` header, so a page elsewhere cannot reach it through a name it
//!   controls (DNS rebinding).
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
    /// The `Host` value accepted: the launch's name (or the address the
    /// user asked for) with the port.
    host: String,
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
    /// 400: two `Host` headers, or a whole address instead of a path.
    Malformed,
}

impl Refusal {
    pub fn status(self) -> u16 {
        match self {
            Refusal::NoToken => 401,
            Refusal::WrongHost | Refusal::CrossSite => 403,
            Refusal::Malformed => 400,
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
                "This server answers only to the address `casepaper serve` printed when it \
                 started (its own name under localhost, with its port)."
            }
            Refusal::Malformed => {
                "This request is not one a browser sends (two Host headers, or a whole \
                 address where a path belongs), so it was not read."
            }
            Refusal::CrossSite => {
                "This form was not sent from casepaper's own page, so nothing was changed. \
                 Reload the page and send it again."
            }
        }
    }
}

impl Guard {
    /// A guard with fresh random secrets for a server at `addr`, and a
    /// fresh name when `addr` is loopback.
    pub fn new(addr: SocketAddr) -> Guard {
        let host = if addr.ip().is_loopback() {
            format!("desk-{}.localhost:{}", random_hex(8), addr.port())
        } else {
            addr.to_string()
        };
        Guard {
            token: random_hex(32),
            csrf: random_hex(32),
            host,
        }
    }

    /// The server's name and port, as the browser's address holds it.
    pub fn host_name(&self) -> &str {
        &self.host
    }

    /// The origin a POST comes from.
    fn origin(&self) -> String {
        format!("http://{}", self.host)
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
            Some(h) if self.host.eq_ignore_ascii_case(h.trim()) => Ok(()),
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
        if origin.is_some_and(|o| !self.origin().eq_ignore_ascii_case(o)) {
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
    fn only_the_launch_s_own_name_with_the_port_is_a_host() {
        let g = guard();
        let name = g.host_name().to_string();
        let (label, port) = name.split_once(".localhost:").unwrap();
        assert_eq!(port, "4000");
        assert!(label.starts_with("desk-") && label.len() == 21, "{name}");
        assert_ne!(name, guard().host_name(), "a name per launch");
        assert_eq!(g.host(Some(&name)), Ok(()));
        assert_eq!(g.host(Some(&name.to_uppercase())), Ok(()));
        for other in [
            "127.0.0.1:4000",
            "localhost:4000",
            "[::1]:4000",
            &format!("{label}.localhost:4001"),
            &format!("{label}.localhost"),
            "evil.example:4000",
        ] {
            assert_eq!(g.host(Some(other)), Err(Refusal::WrongHost), "{other}");
        }
        assert_eq!(g.host(None), Err(Refusal::WrongHost));
        let other = Guard::new("192.168.1.5:4000".parse().unwrap());
        assert_eq!(
            other.host_name(),
            "192.168.1.5:4000",
            "the address asked for"
        );
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
        assert_eq!(Refusal::Malformed.status(), 400);
        assert!(Refusal::NoToken.message().contains("?token="));
        assert!(Refusal::WrongHost.message().contains("printed"));
        assert!(Refusal::Malformed.message().contains("two Host headers"));
        assert!(Refusal::CrossSite.message().contains("nothing was changed"));
    }

    #[test]
    fn a_post_needs_the_form_token_and_no_other_site() {
        let g = guard();
        let csrf = Some(g.csrf());
        assert_eq!(g.post(None, None, csrf), Ok(()));
        let own = format!("http://{}", g.host_name());
        assert_eq!(g.post(Some("same-origin"), Some(&own), csrf), Ok(()));
        assert_eq!(
            g.post(Some("cross-site"), None, csrf),
            Err(Refusal::CrossSite)
        );
        assert_eq!(
            g.post(Some("same-site"), None, csrf),
            Err(Refusal::CrossSite)
        );
        for other in ["http://127.0.0.1:4000", "http://localhost:4000", "null"] {
            assert_eq!(g.post(None, Some(other), csrf), Err(Refusal::CrossSite));
        }
        assert_eq!(g.post(None, None, None), Err(Refusal::CrossSite));
        assert_eq!(g.post(None, None, Some("0")), Err(Refusal::CrossSite));
        let same_length = "f".repeat(64);
        assert_eq!(
            g.post(None, None, Some(&same_length)),
            Err(Refusal::CrossSite)
        );
    }
}
