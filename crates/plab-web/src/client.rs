//! The client's address, for sign-in throttling: the TCP peer, or, when the
//! peer is a proxy named in the configuration, the last address that proxy
//! chain added to `X-Forwarded-For` before reaching a trusted proxy. A
//! forwarded header from anyone else is ignored, so it cannot be forged to
//! spread guesses over invented addresses.
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// `None` when the server was reached without a socket (in-process tests).
pub struct ClientAddr(pub Option<String>);

impl ClientAddr {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            return Ok(ClientAddr(None));
        };
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        Ok(ClientAddr(Some(client_of(peer.ip(), forwarded, &state.trusted_proxies).to_string())))
    }
}

/// Walks `X-Forwarded-For` from the right while the hop is a trusted proxy.
fn client_of<'a>(peer: IpAddr, forwarded: impl Iterator<Item = &'a str>, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(&client) {
        return client;
    }
    let hops: Vec<&str> = forwarded.flat_map(|v| v.split(',')).map(str::trim).collect();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted.contains(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::client_of;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn a_forwarded_header_from_an_untrusted_peer_is_ignored() {
        assert_eq!(client_of(ip("203.0.113.9"), ["10.9.9.9"].into_iter(), &[]), ip("203.0.113.9"));
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_forged_entries_to_its_left_are_ignored() {
        let proxy = ip("127.0.0.1");
        let header = ["1.1.1.1, 198.51.100.7"];
        assert_eq!(client_of(proxy, header.into_iter(), &[proxy]), ip("198.51.100.7"));
        let chain = ["1.1.1.1, 198.51.100.7, 10.0.0.2"];
        assert_eq!(client_of(proxy, chain.into_iter(), &[proxy, ip("10.0.0.2")]), ip("198.51.100.7"));
    }

    #[test]
    fn a_trusted_proxy_without_a_header_is_the_client() {
        let proxy = ip("127.0.0.1");
        assert_eq!(client_of(proxy, std::iter::empty(), &[proxy]), proxy);
    }
}
