//! When and how long to wait before trying a request again.
//!
//! One policy for every API: 408, 409, 429, 5xx and network failures are retried, idempotent requests
//! only unless a call opts in, with exponential backoff and full jitter capped at `max_delay`. A server's
//! own `retry-after-ms` or `Retry-After` (seconds or an HTTP date) wins over the computed delay.

use std::time::{Duration, SystemTime};

use super::error::{ApiError, ErrorKind};

/// Retry settings for a client or a single call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `2` means at most three attempts).
    pub max_retries: u32,
    /// The backoff ceiling of the first retry; doubled for each later one.
    pub initial_delay: Duration,
    /// No computed wait is longer than this.
    pub max_delay: Duration,
    /// The longest server-requested wait that is honoured; a longer `Retry-After` ends the retries and
    /// returns the error, so a caller is never parked for minutes without knowing.
    pub max_server_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_server_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Whether a failed attempt is worth repeating at all.
    pub fn is_retryable(error: &ApiError) -> bool {
        match error.kind {
            ErrorKind::Network
            | ErrorKind::RateLimited
            | ErrorKind::Unavailable
            | ErrorKind::Server => {
                // 501 means the route does not exist here; asking again will not change that.
                error.status != Some(501)
            }
            ErrorKind::Conflict => true,
            ErrorKind::Timeout => error.status == Some(408),
            _ => false,
        }
    }

    /// The wait before retry number `retry` (0-based), or `None` when no retry should happen.
    ///
    /// `random` is a number in `[0, 1)` (the jitter source is injected so the schedule can be tested).
    pub fn delay(
        &self,
        retry: u32,
        error: &ApiError,
        idempotent: bool,
        random: f64,
    ) -> Option<Duration> {
        if retry >= self.max_retries || !idempotent || !Self::is_retryable(error) {
            return None;
        }
        if let Some(server) = error.retry_after {
            return (server <= self.max_server_delay).then_some(server);
        }
        let ceiling = self
            .initial_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        // Full jitter: anywhere in [0, ceiling), so clients that failed together do not retry together.
        Some(ceiling.mul_f64(random.clamp(0.0, 1.0)))
    }
}

/// The server-requested wait, from `retry-after-ms` (fractional milliseconds) or `Retry-After`
/// (delta-seconds or an HTTP date).
pub fn retry_after_from_headers(header: &dyn Fn(&str) -> Option<String>) -> Option<Duration> {
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(seconds_saturating(ms / 1000.0));
        }
    }
    parse_retry_after(&header("retry-after")?, super::backend::now())
}

/// A finite, non-negative number of seconds as a `Duration`, `Duration::MAX` past its range: a server
/// that asks for `1e300` seconds wants no retry (which the policy's `max_server_delay` then ensures),
/// and must not be able to make the client panic.
fn seconds_saturating(seconds: f64) -> Duration {
    Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX)
}

/// Parses a `Retry-After` value relative to `now`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| seconds_saturating(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: u16) -> ApiError {
        let mut e = ApiError::new(ErrorKind::from_status(status), "x");
        e.status = Some(status);
        e
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(" 1.5 ", now),
            Some(Duration::from_millis(1500))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(12));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(12)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(12));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        let headers = |name: &str| match name {
            "retry-after-ms" => Some("250".to_owned()),
            "retry-after" => Some("30".to_owned()),
            _ => None,
        };
        assert_eq!(
            retry_after_from_headers(&headers),
            Some(Duration::from_millis(250))
        );
    }

    /// Found by the `error_body` fuzz target: `retry-after-ms: 505e51` panicked in `Duration::from_secs_f64`.
    #[test]
    fn absurd_waits_saturate_instead_of_panicking() {
        let now = SystemTime::UNIX_EPOCH;
        assert_eq!(parse_retry_after("1e300", now), Some(Duration::MAX));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::MAX)
        );
        let headers = |name: &str| (name == "retry-after-ms").then(|| "505e51".to_owned());
        let wait = retry_after_from_headers(&headers);
        assert_eq!(wait, Some(Duration::MAX));
        let mut error = error(429);
        error.retry_after = wait;
        assert_eq!(
            RetryPolicy::default().delay(0, &error, true, 0.5),
            None,
            "a wait past max_server_delay is not retried"
        );
    }

    #[test]
    fn which_statuses_retry() {
        let policy = RetryPolicy::default();
        for status in [408, 409, 429, 500, 502, 503, 504, 529] {
            assert!(
                policy.delay(0, &error(status), true, 0.5).is_some(),
                "{status} should retry"
            );
        }
        for status in [400, 401, 403, 404, 422, 501] {
            assert!(
                policy.delay(0, &error(status), true, 0.5).is_none(),
                "{status} should not retry"
            );
        }
        assert!(policy
            .delay(0, &ApiError::new(ErrorKind::Network, "down"), true, 0.5)
            .is_some());
        assert!(policy
            .delay(0, &ApiError::new(ErrorKind::Aborted, "stop"), true, 0.5)
            .is_none());
        assert!(policy
            .delay(0, &ApiError::new(ErrorKind::Timeout, "slow"), true, 0.5)
            .is_none());
    }

    #[test]
    fn non_idempotent_requests_are_not_retried() {
        assert_eq!(
            RetryPolicy::default().delay(0, &error(503), false, 0.5),
            None
        );
    }

    #[test]
    fn retries_stop_after_max() {
        let policy = RetryPolicy::default();
        assert!(policy.delay(1, &error(503), true, 0.5).is_some());
        assert!(policy.delay(2, &error(503), true, 0.5).is_none());
        assert!(RetryPolicy::none()
            .delay(0, &error(503), true, 0.5)
            .is_none());
    }

    #[test]
    fn full_jitter_stays_within_the_capped_exponential_ceiling() {
        let policy = RetryPolicy {
            max_retries: 10,
            ..RetryPolicy::default()
        };
        for retry in 0..10 {
            let ceiling = policy
                .initial_delay
                .saturating_mul(1 << retry)
                .min(policy.max_delay);
            assert_eq!(
                policy.delay(retry, &error(503), true, 0.0),
                Some(Duration::ZERO)
            );
            let high = policy.delay(retry, &error(503), true, 0.999_999).unwrap();
            assert!(
                high < ceiling && high > ceiling.mul_f64(0.99),
                "retry {retry}: {high:?} vs {ceiling:?}"
            );
        }
        let capped = policy.delay(9, &error(503), true, 0.999_999).unwrap();
        assert!(capped < Duration::from_secs(8), "{capped:?}");
    }

    #[test]
    fn server_delay_wins_and_is_bounded() {
        let policy = RetryPolicy::default();
        let mut e = error(429);
        e.retry_after = Some(Duration::from_secs(2));
        assert_eq!(policy.delay(0, &e, true, 0.0), Some(Duration::from_secs(2)));
        e.retry_after = Some(Duration::from_secs(3600));
        assert_eq!(policy.delay(0, &e, true, 0.0), None);
    }
}
