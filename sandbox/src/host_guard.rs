//! DNS-rebinding guard. A page on an attacker's domain can make a browser resolve that domain to
//! 127.0.0.1 and then read the sandbox's answers as same-origin. Such requests carry the attacker's
//! name in `Host`, so while bound to loopback only loopback names (and `--allow-host` names) are
//! served. Requests without `Host` (HTTP/1.0 tools) come from no browser and pass.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::header::HOST;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !state.loopback_only() {
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(HOST)
        .map(|v| v.to_str().unwrap_or("\u{fffd}"));
    match host {
        Some(host) if !allowed(host, state.allowed_hosts()) => crate::refusal::refuse(
            req.uri().path(),
            StatusCode::FORBIDDEN,
            "forbidden",
            "forbidden: this server answers only requests addressed to a loopback host name",
        ),
        _ => next.run(req).await,
    }
}

/// Whether a `Host` value names this server.
fn allowed(host: &str, extra: &[String]) -> bool {
    let name = host_name(host);
    if name.eq_ignore_ascii_case("localhost")
        || name.to_ascii_lowercase().ends_with(".localhost")
        || name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
    {
        return true;
    }
    extra
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name) || h.eq_ignore_ascii_case(host))
}

/// The name part of `name[:port]` or `[v6][:port]`.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_pass_and_others_do_not() {
        for host in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1:9",
            "127.1.2.3",
            "[::1]:8080",
            "app.localhost:1",
        ] {
            assert!(allowed(host, &[]), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "10.0.0.1:80",
            "[::2]",
            "",
        ] {
            assert!(!allowed(host, &[]), "{host}");
        }
        assert!(allowed("kinlink.lan:8080", &["kinlink.lan".to_owned()]));
    }
}
