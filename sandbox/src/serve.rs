//! Accepting and serving connections with limits a public server needs: a cap on open
//! connections, a deadline for request headers (which also closes idle keep-alive connections,
//! since hyper starts it whenever a connection waits for a request), a deadline between pieces of a
//! request body, and a graceful shutdown that lets in-flight responses finish.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch, Semaphore};
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// Connection-level limits; the CLI can change each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// How long a connection may take to send a request's headers, counted from when it starts
    /// waiting for them: a silent or idle connection is closed after this.
    pub header_read_timeout: Duration,
    /// The longest pause allowed between two pieces of a request body.
    pub body_idle_timeout: Duration,
    /// Connections served at once; further ones wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_read_timeout: Duration::from_secs(15),
            body_idle_timeout: Duration::from_secs(15),
            max_connections: 512,
        }
    }
}

/// A pause after a failed `accept` (out of file descriptors, say), so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Serves `router` on `listener` until `stop` fires, then stops accepting, asks every connection to
/// close after its current response, and waits up to `grace` for them.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    stop: oneshot::Receiver<()>,
    grace: Duration,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (closing, closing_rx) = watch::channel(false);
    let mut stop = stop;
    loop {
        let slot = tokio::select! {
            _ = &mut stop => break,
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let (socket, peer) = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    eprintln!("kinlink-sandbox: accept failed: {e}");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        let _ = socket.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let mut req =
                req.map(|body| Body::new(TimeoutBody::new(limits.body_idle_timeout, body)));
            req.extensions_mut().insert(ConnectInfo(peer));
            let router = router.clone();
            async move { Ok::<_, Infallible>(router.oneshot(req).await.unwrap_infallible()) }
        });
        let mut closing = closing_rx.clone();
        tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout)
                .serve_connection(TokioIo::new(socket), service)
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            let closed_early = tokio::select! {
                _ = connection.as_mut() => true,
                _ = async { closing.wait_for(|closing| *closing).await.map(|_| ()) } => false,
            };
            if !closed_early {
                connection.as_mut().graceful_shutdown();
                let _ = connection.await;
            }
            drop(slot);
        });
    }
    drop(listener);
    closing.send_replace(true);
    // Every connection holds a slot until it ends, so taking them all means none is left.
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(grace, slots.acquire_many(all)).await;
    Ok(())
}

/// `Result<T, Infallible>` unwrapped without a panic path.
trait UnwrapInfallible<T> {
    fn unwrap_infallible(self) -> T;
}

impl<T> UnwrapInfallible<T> for Result<T, Infallible> {
    fn unwrap_infallible(self) -> T {
        match self {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }
}
