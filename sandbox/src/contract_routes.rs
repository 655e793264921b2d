//! The part of each API's router that comes from its contract: every operation's route, from the
//! generated per-tag traits, or an answer naming it as not implemented, grouped by path template.

use std::collections::BTreeMap;

use axum::http::Method;
use axum::response::Response;
use axum::routing::{on, MethodFilter, MethodRouter};

use crate::state::AppState;

/// One method router per path template of `operations` (method and path read by `key`): the route
/// `route` gives an operation, else `not_implemented`'s answer for it.
pub fn by_path<Op: Sync + 'static>(
    operations: &'static [Op],
    key: fn(&Op) -> (&'static str, &'static str),
    route: impl Fn(&'static Op) -> Option<MethodRouter<AppState>>,
    not_implemented: fn(&'static Op) -> Response,
) -> BTreeMap<&'static str, MethodRouter<AppState>> {
    let mut by_path: BTreeMap<&'static str, MethodRouter<AppState>> = BTreeMap::new();
    for op in operations {
        let (method, path) = key(op);
        let handler = route(op).unwrap_or_else(|| {
            let filter = MethodFilter::try_from(
                Method::from_bytes(method.as_bytes()).expect("contract methods are HTTP methods"),
            )
            .expect("contract methods are routable");
            on(filter, move || async move { not_implemented(op) })
        });
        let merged = match by_path.remove(path) {
            Some(existing) => existing.merge(handler),
            None => handler,
        };
        by_path.insert(path, merged);
    }
    by_path
}

/// `not_served!(Sandbox: ATags, BTags)`: the tags of which `Sandbox` serves nothing yet, each an
/// empty implementation of its generated trait (every operation answers 501).
macro_rules! not_served {
    ($sandbox:ty: $($tag:ident),* $(,)?) => {
        $(impl routes::$tag<AppState> for $sandbox {})*
    };
}
