//! Cursor pagination, written once for every paginated list.
//!
//! Kino's lists answer `{"results": [...], "has_more": bool, "next_cursor": "..."}` and omit
//! `next_cursor` on the last page (its design notes say `null`; both end the walk). `limit` is clamped
//! to 1..=100 like the server does, so a caller's 500 is not an error.

use std::future::Future;

use futures_util::stream;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{ApiError, BoxStream};

/// The most items one page may hold.
pub const MAX_LIMIT: u32 = 100;

/// One page of a cursor-paginated list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// The items of this page.
    #[serde(
        default = "Vec::new",
        deserialize_with = "crate::wire::null_as_default"
    )]
    pub results: Vec<T>,
    /// Whether another page follows.
    #[serde(default)]
    pub has_more: bool,
    /// The opaque cursor of the next page; absent or `null` on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The cursor to ask for next, or `None` at the end. A page that says `has_more` without a cursor
    /// ends the walk rather than fetching the first page again forever.
    pub fn next(&self) -> Option<&str> {
        self.next_cursor
            .as_deref()
            .filter(|c| self.has_more && !c.is_empty())
    }
}

/// Decodes one page body the way every paginated call does ([`Transport::json`](super::Transport::json)
/// with a [`Page`] type); `what` names the list in the error. For the fuzz targets and their corpus replay,
/// which have no server; not part of the supported API.
#[doc(hidden)]
pub fn decode_page<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<Page<T>, ApiError> {
    super::http::decode_json(body, what)
}

/// Where a page request starts and how big it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// Page size; clamped to `1..=100`, server default (25) when `None`.
    pub limit: Option<u32>,
    /// The cursor from a previous page.
    pub cursor: Option<String>,
}

impl PageRequest {
    /// The query parameters for this request.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(limit) = self.limit {
            query.push(("limit", limit.clamp(1, MAX_LIMIT).to_string()));
        }
        if let Some(cursor) = &self.cursor {
            query.push(("cursor", cursor.clone()));
        }
        query
    }
}

/// Every item of a cursor-paginated list, fetching pages as the stream is read. `fetch` gets each page
/// request; the first error ends the stream after being yielded.
pub fn paginate<T, F, Fut>(limit: Option<u32>, mut fetch: F) -> BoxStream<Result<T, ApiError>>
where
    T: MaybeSendStatic,
    F: FnMut(PageRequest) -> Fut + MaybeSendStatic,
    Fut: Future<Output = Result<Page<T>, ApiError>> + MaybeSendStatic,
{
    let first = PageRequest {
        limit,
        cursor: None,
    };
    walk(first, move |request: PageRequest| {
        let page = fetch(request.clone());
        async move {
            let page = page.await?;
            let next = page.next().map(|cursor| PageRequest {
                cursor: Some(cursor.to_owned()),
                ..request
            });
            Ok((page.results, next))
        }
    })
}

/// Every item of a list however it pages (a cursor, an offset, ...): `fetch` gets each page's request
/// and answers the page's items with the request for the next page, `None` at the end. Pages are
/// fetched as the stream is read; the first error ends the stream after being yielded.
pub fn walk<T, Q, F, Fut>(first: Q, fetch: F) -> BoxStream<Result<T, ApiError>>
where
    T: MaybeSendStatic,
    Q: MaybeSendStatic,
    F: FnMut(Q) -> Fut + MaybeSendStatic,
    Fut: Future<Output = Result<(Vec<T>, Option<Q>), ApiError>> + MaybeSendStatic,
{
    struct State<T, Q, F> {
        fetch: F,
        buffer: std::vec::IntoIter<T>,
        next: Option<Q>,
    }
    let state = State {
        fetch,
        buffer: Vec::new().into_iter(),
        next: Some(first),
    };
    Box::pin(stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.next() {
                return Some((Ok(item), state));
            }
            let request = state.next.take()?;
            match (state.fetch)(request).await {
                Ok((items, next)) => {
                    state.next = next;
                    state.buffer = items.into_iter();
                }
                Err(error) => return Some((Err(error), state)),
            }
        }
    }))
}

/// `Send + 'static` on native targets, just `'static` on wasm (see [`BoxStream`]).
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSendStatic: Send + 'static {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + 'static> MaybeSendStatic for T {}
/// `Send + 'static` on native targets, just `'static` on wasm (see [`BoxStream`]).
#[cfg(target_arch = "wasm32")]
pub trait MaybeSendStatic: 'static {}
#[cfg(target_arch = "wasm32")]
impl<T: 'static> MaybeSendStatic for T {}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use futures_util::{FutureExt, StreamExt};

    use super::*;
    use crate::ErrorKind;

    #[test]
    fn limit_is_clamped_and_cursor_passed() {
        let q = PageRequest {
            limit: Some(500),
            cursor: Some("abc".into()),
        }
        .query();
        assert_eq!(
            q,
            vec![("limit", "100".to_string()), ("cursor", "abc".to_string())]
        );
        assert_eq!(
            PageRequest {
                limit: Some(0),
                cursor: None
            }
            .query(),
            vec![("limit", "1".to_string())]
        );
        assert!(PageRequest::default().query().is_empty());
    }

    #[test]
    fn kino_page_shapes() {
        let last: Page<u32> = serde_json::from_str(r#"{"results":[],"has_more":false}"#).unwrap();
        assert_eq!(last.next(), None);
        let null: Page<u32> =
            serde_json::from_str(r#"{"results":[1],"has_more":false,"next_cursor":null}"#).unwrap();
        assert_eq!(null.next(), None);
        let more: Page<u32> = serde_json::from_str(r#"{"results":[1,2],"next_cursor":"eyJpZCI6NSwic29ydF92YWx1ZSI6bnVsbH0","has_more":true}"#).unwrap();
        assert_eq!(more.next(), Some("eyJpZCI6NSwic29ydF92YWx1ZSI6bnVsbH0"));
        let stuck: Page<u32> = serde_json::from_str(r#"{"results":[1],"has_more":true}"#).unwrap();
        assert_eq!(
            stuck.next(),
            None,
            "has_more without a cursor must not loop"
        );
    }

    fn pages() -> Vec<Page<u32>> {
        vec![
            Page {
                results: vec![1, 2],
                has_more: true,
                next_cursor: Some("c1".into()),
            },
            Page {
                results: vec![],
                has_more: true,
                next_cursor: Some("c2".into()),
            },
            Page {
                results: vec![3],
                has_more: false,
                next_cursor: None,
            },
        ]
    }

    #[test]
    fn walks_every_page_in_order() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let mut remaining = pages().into_iter();
        let items: Vec<u32> = paginate(Some(2), move |request| {
            log.lock().unwrap().push(request.clone());
            let page = remaining
                .next()
                .expect("no more pages were asked for than exist");
            async move { Ok(page) }
        })
        .map(Result::unwrap)
        .collect::<Vec<_>>()
        .now_or_never()
        .unwrap();
        assert_eq!(items, vec![1, 2, 3]);
        let requests = seen.lock().unwrap().clone();
        assert_eq!(
            requests
                .iter()
                .map(|r| r.cursor.clone())
                .collect::<Vec<_>>(),
            vec![None, Some("c1".into()), Some("c2".into())]
        );
        assert!(requests.iter().all(|r| r.limit == Some(2)));
    }

    #[test]
    fn an_error_is_yielded_once_then_the_stream_ends() {
        let mut calls = 0;
        let results: Vec<Result<u32, ApiError>> = paginate(None, move |_| {
            calls += 1;
            let result = if calls == 1 {
                Ok(Page {
                    results: vec![1],
                    has_more: true,
                    next_cursor: Some("x".into()),
                })
            } else {
                Err(ApiError::new(ErrorKind::Unavailable, "down"))
            };
            async move { result }
        })
        .collect::<Vec<_>>()
        .now_or_never()
        .unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().ok(), Some(&1));
        assert_eq!(
            results[1].as_ref().unwrap_err().kind,
            ErrorKind::Unavailable
        );
    }
}
