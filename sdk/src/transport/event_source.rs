//! A long-lived GET event stream with EventSource's reconnection rules, over fetch so it can send
//! credentials in headers: after a dropped connection it waits the server's `retry:` delay (3 s until the
//! server says otherwise), reconnects with `Last-Event-ID`, and carries on. Statuses that will not change
//! by asking again (401, 403, 404, ...) end the stream with that error, and so does a run of failed
//! reconnections, so a dead server is reported instead of retried silently forever.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{stream, StreamExt};

use super::backend;
use super::sse::{SseEvent, SseStream};
use super::{ApiError, BoxStream, ByteStream, Method, RequestOptions, RetryPolicy, Transport};

/// The delay before the first reconnection, until the server sends `retry:`.
pub const DEFAULT_RECONNECT_DELAY: Duration = Duration::from_secs(3);
/// Consecutive failed connection attempts before the stream gives up.
pub const MAX_RECONNECT_ATTEMPTS: u32 = 5;

struct State {
    transport: Arc<Transport>,
    path: String,
    options: RequestOptions,
    events: Option<SseStream<ByteStream>>,
    last_event_id: Option<String>,
    delay: Duration,
    failures: u32,
}

/// Opens `path` as an event stream that reconnects by itself; dropping the stream closes it.
pub fn event_source(
    transport: Arc<Transport>,
    path: &str,
    options: RequestOptions,
) -> BoxStream<Result<SseEvent, ApiError>> {
    let state = State {
        transport,
        path: path.to_owned(),
        // Reconnection is this stream's own loop; the request-level retries would only stack delays.
        options: RequestOptions {
            retry: Some(RetryPolicy::none()),
            ..options
        },
        events: None,
        last_event_id: None,
        delay: DEFAULT_RECONNECT_DELAY,
        failures: 0,
    };
    Box::pin(stream::unfold(Some(state), |state| async move {
        let mut state = state?;
        loop {
            if let Some(events) = state.events.as_mut() {
                let next = events.next().await;
                if let Some(ms) = events.parser().retry_ms() {
                    state.delay = Duration::from_millis(ms);
                }
                match next {
                    Some(Ok(event)) => {
                        state.last_event_id.clone_from(&event.id);
                        state.failures = 0;
                        return Some((Ok(event), Some(state)));
                    }
                    // A cut, a stall past the idle timeout, or a clean end: reconnect as EventSource does.
                    Some(Err(_)) | None => {
                        state.events = None;
                        backend::sleep(state.delay).await;
                        continue;
                    }
                }
            }
            let mut options = state.options.clone();
            if let Some(id) = &state.last_event_id {
                options.headers.push(("last-event-id", id.clone()));
            }
            options
                .headers
                .push(("cache-control", "no-cache".to_owned()));
            match state
                .transport
                .stream(Method::Get, &state.path, None::<&()>, &options)
                .await
            {
                Ok((_headers, body)) => {
                    state.events = Some(SseStream::resuming(body, state.last_event_id.clone()))
                }
                Err(error) => {
                    state.failures += 1;
                    if !RetryPolicy::is_retryable(&error) && error.kind != crate::ErrorKind::Timeout
                        || state.failures >= MAX_RECONNECT_ATTEMPTS
                    {
                        return Some((Err(error), None));
                    }
                    backend::sleep(state.delay).await;
                }
            }
        }
    }))
}
