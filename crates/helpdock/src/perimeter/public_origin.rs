//! The proxy's own origin — where browsers reach it — from configuration (`public_url`), never
//! from the request: a `Host` header is whatever name the browser used, and under DNS rebinding a
//! page at `http://evil.test:PORT` whose name resolves to the proxy sends `Host: evil.test:PORT`
//! and counts as same-origin. So a request addressed to any other authority may read the widget's
//! public files and nothing else (`403 forbidden_origin`), and only the configured origin is the
//! proxy's own for CORS.

use super::cors::normalise;
use axum::extract::Request;
use axum::http::header::HOST;
use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// `scheme://host[:port]` of the proxy as browsers address it, as browsers serialise origins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicOrigin(String);

impl PublicOrigin {
    /// The origin of `url` (`http(s)://host[:port]`, any path ignored); an error says what is wrong.
    pub fn parse(url: &str) -> Result<PublicOrigin, String> {
        let parsed = Url::parse(url.trim()).map_err(|e| format!("not a URL ({e})"))?;
        let plain = parsed.username().is_empty() && parsed.password().is_none();
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() || !plain {
            return Err("must be an http:// or https:// URL with a host and no credentials".into());
        }
        let origin = parsed.origin().ascii_serialization();
        normalise(&origin)
            .map(PublicOrigin)
            .ok_or_else(|| format!("{origin} is not an origin browsers send"))
    }

    /// `http://ADDR` for a listener bound to `addr`; an unspecified address (`0.0.0.0`, `::`)
    /// becomes the loopback one, the only name it certainly answers to.
    pub fn of_listener(addr: SocketAddr) -> PublicOrigin {
        let ip = match addr.ip() {
            IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let origin = format!("http://{}", SocketAddr::new(ip, addr.port()));
        PublicOrigin(normalise(&origin).unwrap_or(origin))
    }

    /// The origin's text, e.g. `https://support.example.com`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `authority` (`host[:port]`, from `Host` or the request line) names this origin.
    /// The scheme is ours: behind a TLS terminator the proxy itself only sees plain HTTP.
    fn is_named_by(&self, authority: &str) -> bool {
        // Browsers write our own authority exactly as normalised: that needs no parsing (and
        // normalising a normalised origin changes nothing).
        if self
            .0
            .split_once("://")
            .is_some_and(|(_, own)| own == authority)
        {
            return true;
        }
        // host[:port], nothing else: no userinfo or path to trick the URL parser.
        let sane = !authority.is_empty()
            && authority
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        let scheme = self.0.split("://").next().unwrap_or("http");
        sane && normalise(&format!("{scheme}://{authority}")).as_deref() == Some(self.as_str())
    }

    /// Whether `request` is addressed to this origin: every authority it names — the request
    /// line's (absolute form, HTTP/2's `:authority`) and its one `Host` — must be ours. Two
    /// `Host` headers are refused outright (servers disagree on which counts). A request naming
    /// none (HTTP/1.0, in-process calls) did not come from a browser, which always sends `Host`.
    pub(crate) fn addresses(&self, request: &Request) -> bool {
        let mut hosts = request.headers().get_all(HOST).iter();
        let (host, None) = (hosts.next(), hosts.next()) else {
            return false;
        };
        let host_ok = host.is_none_or(|h| h.to_str().is_ok_and(|h| self.is_named_by(h)));
        let line_ok = request
            .uri()
            .authority()
            .is_none_or(|a| self.is_named_by(a.as_str()));
        host_ok && line_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(uri: &str, hosts: &[&str]) -> Request {
        let mut builder = Request::builder().uri(uri);
        for host in hosts {
            builder = builder.header(HOST, *host);
        }
        builder.body(Body::empty()).expect("request")
    }

    #[test]
    fn parse_keeps_only_the_origin() {
        let ok = [
            (
                "https://Support.Example.com/",
                "https://support.example.com",
            ),
            (
                "https://support.example.com:443/widget",
                "https://support.example.com",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ];
        for (url, origin) in ok {
            assert_eq!(
                PublicOrigin::parse(url).map(|o| o.0),
                Ok(origin.into()),
                "{url}"
            );
        }
        for bad in [
            "support.example.com",
            "ftp://x.example",
            "https://u:p@x.example",
            "",
        ] {
            assert!(PublicOrigin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_listener_is_its_own_origin_loopback_for_any_address() {
        let of = |a: &str| PublicOrigin::of_listener(a.parse().expect("addr")).0;
        assert_eq!(of("127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(of("0.0.0.0:80"), "http://127.0.0.1");
        assert_eq!(of("[::]:8080"), "http://[::1]:8080");
    }

    #[test]
    fn addressed_only_by_its_own_authority() {
        let public = PublicOrigin::parse("https://support.example.com").expect("origin");
        // request target, Host headers, addressed to us?
        #[rustfmt::skip]
        let cases: &[(&str, &[&str], bool)] = &[
            ("/api/x", &["support.example.com"], true),
            ("/api/x", &["SUPPORT.example.com:443"], true),
            ("/api/x", &[], true),
            ("/api/x", &["evil.test"], false),
            ("/api/x", &["support.example.com:8443"], false),
            ("/api/x", &["evil.test@support.example.com"], false),
            ("/api/x", &["support.example.com", "evil.test"], false),
            ("/api/x", &["support.example.com", "support.example.com"], false),
            ("http://evil.test/api/x", &["support.example.com"], false),
            ("http://evil.test/api/x", &[], false),
            ("https://support.example.com/api/x", &["support.example.com"], true),
        ];
        for (uri, hosts, expected) in cases {
            assert_eq!(
                public.addresses(&request(uri, hosts)),
                *expected,
                "{uri} {hosts:?}"
            );
        }
    }
}
