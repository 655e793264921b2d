//! `GET /api/v1/history`: cursor-paginated, newest first, as Kino pages it. The cursor is URL-safe
//! base64 without padding of `{"id": <int64>, "sort_value": null}` and means "ids below this one"; one
//! that does not decode is ignored (the first page comes back). `limit` is clamped to 1..=100 and
//! `next_cursor` is left out of the last page.

use axum::extract::{Query, State};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::Error;
use crate::state::AppState;
use crate::store::HistoryFilter;

#[derive(Debug, Deserialize)]
pub struct HistoryQuery {
    limit: Option<i64>,
    cursor: Option<String>,
    movie_id: Option<i64>,
    episode_id: Option<i64>,
    event_type: Option<String>,
    event_types: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    id: i64,
    sort_value: Option<String>,
}

#[derive(Serialize)]
pub struct HistoryPage {
    results: Vec<crate::store::HistoryRow>,
    has_more: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

fn decode_cursor(text: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<Cursor>(&bytes).ok().map(|c| c.id)
}

fn encode_cursor(id: i64) -> String {
    URL_SAFE_NO_PAD.encode(
        serde_json::to_vec(&Cursor {
            id,
            sort_value: None,
        })
        .expect("a cursor serializes"),
    )
}

pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<HistoryPage>, Error> {
    let limit = query.limit.unwrap_or(25).clamp(1, 100);
    let mut event_types: Vec<String> = query.event_type.into_iter().collect();
    if let Some(list) = query.event_types {
        event_types.extend(
            list.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        );
    }
    let filter = HistoryFilter {
        before_id: query.cursor.as_deref().and_then(decode_cursor),
        movie_id: query.movie_id,
        episode_id: query.episode_id,
        event_types,
    };
    // One row more than asked tells whether another page follows.
    let mut results = state.store().history(filter, limit as usize + 1).await?;
    let has_more = results.len() > limit as usize;
    results.truncate(limit as usize);
    let next_cursor = has_more
        .then(|| results.last().map(|row| encode_cursor(row.id)))
        .flatten();
    Ok(Json(HistoryPage {
        results,
        has_more,
        next_cursor,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_matches_kino() {
        assert_eq!(encode_cursor(5), "eyJpZCI6NSwic29ydF92YWx1ZSI6bnVsbH0");
        assert_eq!(
            decode_cursor("eyJpZCI6NSwic29ydF92YWx1ZSI6bnVsbH0"),
            Some(5)
        );
        assert_eq!(decode_cursor("%%%"), None);
        assert_eq!(decode_cursor("bm90IGpzb24"), None);
    }
}
