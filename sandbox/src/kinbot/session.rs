//! KinBot's sign-in, as Better Auth answers it (wire facts §1.2): email and password give a session
//! cookie `better-auth.session_token=<token>.<signature>`, which every protected route then needs.
//!
//! The sandbox has one account, [`KINBOT_EMAIL`], whose password is the sandbox's API key (one
//! credential to print and to rotate). Sessions are rows in the database, so they outlive a restart;
//! the cookie's signature is keyed from the API key, so rotating the key signs everyone out.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::header::{COOKIE, HOST, ORIGIN, SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::state::AppState;
use crate::store::{KinBotSession, KinBotUser, KINBOT_EMAIL};
use crate::timestamp::{iso_millis, now_millis};

/// The cookie's name on an `http://` server (an `https://` KinBot prefixes it with `__Secure-`).
pub const COOKIE_NAME: &str = "better-auth.session_token";
/// Seven days, Better Auth's default session lifetime.
const LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;

/// Better Auth's flat error `{"message","code"}` (§2.1, shape 2).
fn auth_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"message": message, "code": code}))).into_response()
}

fn signature(state: &AppState, token: &str) -> String {
    let key = Sha256::digest(format!(
        "kinlink-sandbox kinbot session\0{}",
        state.api_key()
    ));
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes a key of any length");
    mac.update(token.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The cookie value for a session token: `<token>.<signature>`, URL-encoded as Better Auth sends it.
fn cookie_value(state: &AppState, token: &str) -> String {
    let signed = format!("{token}.{}", signature(state, token));
    signed
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The session token of a request's cookie, when its signature holds (a bare token does not).
fn signed_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE_NAME)?.strip_prefix('='))?;
    let decoded = percent_decode(value)?;
    let (token, given) = decoded.rsplit_once('.')?;
    let expected = signature(state, token);
    let same = given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same.then(|| token.to_owned())
}

fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The signed-in session of a request, if it carries a valid, unexpired one.
pub async fn current(state: &AppState, headers: &HeaderMap) -> Option<(KinBotSession, KinBotUser)> {
    let token = signed_token(state, headers)?;
    state.store().kinbot_session(token).await.ok().flatten()
}

/// Better Auth's origin rule: an `Origin` must be this server's own or one it trusts
/// (`--cors-origin` entries named one by one).
fn trusted_origin(state: &AppState, headers: &HeaderMap, origin: &str) -> bool {
    let own = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| origin == format!("http://{host}"));
    own || state
        .cors_origins()
        .iter()
        .any(|listed| listed.trim_end_matches('/') == origin)
}

fn user_json(user: &KinBotUser) -> Value {
    json!({
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "emailVerified": false,
        "image": null,
        "createdAt": iso_millis(user.created_ms),
        "updatedAt": iso_millis(user.created_ms),
    })
}

fn session_json(session: &KinBotSession) -> Value {
    json!({
        "id": session.id,
        "token": session.token,
        "userId": session.user_id,
        "expiresAt": iso_millis(session.expires_ms),
        "createdAt": iso_millis(session.created_ms),
        "updatedAt": iso_millis(session.created_ms),
        "ipAddress": "",
        "userAgent": session.user_agent,
    })
}

#[derive(Deserialize)]
struct SignIn {
    email: String,
    password: String,
}

fn same_secret(given: &str, key: &str) -> bool {
    let (a, b) = (given.as_bytes(), key.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `POST /api/auth/sign-in/email`.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<Value>, JsonRejection>,
) -> Response {
    // Browsers send `Sec-Fetch-*`; Better Auth then wants a trusted Origin (curl and SDKs send none).
    if headers.contains_key("sec-fetch-site") {
        let origin = headers.get(ORIGIN).and_then(|o| o.to_str().ok());
        if !origin.is_some_and(|o| trusted_origin(&state, &headers, o)) {
            return auth_error(StatusCode::FORBIDDEN, "INVALID_ORIGIN", "Invalid origin");
        }
    }
    let Ok(Json(value)) = body else {
        return auth_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", "Invalid body");
    };
    let Ok(SignIn { email, password }) = serde_json::from_value::<SignIn>(value) else {
        return auth_error(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "email and password are required",
        );
    };
    if !email.trim().eq_ignore_ascii_case(KINBOT_EMAIL) || !same_secret(&password, state.api_key())
    {
        return auth_error(
            StatusCode::UNAUTHORIZED,
            "INVALID_EMAIL_OR_PASSWORD",
            "Invalid email or password",
        );
    }
    let user = match state.store().kinbot_user().await {
        Ok(user) => user,
        Err(e) => return internal(e),
    };
    let created_ms = now_millis();
    let session = KinBotSession {
        token: crate::ids::random_alphanumeric(32),
        id: crate::ids::random_alphanumeric(32),
        user_id: user.id.clone(),
        created_ms,
        expires_ms: created_ms + LIFETIME_MS,
        user_agent: headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    };
    if let Err(e) = state.store().insert_kinbot_session(session.clone()).await {
        return internal(e);
    }
    let cookie = format!(
        "{COOKIE_NAME}={}; Max-Age={}; Path=/; HttpOnly; SameSite=Lax",
        cookie_value(&state, &session.token),
        LIFETIME_MS / 1000
    );
    let mut response = Json(json!({
        "redirect": false,
        "token": session.token,
        "user": user_json(&user),
    }))
    .into_response();
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}

/// `GET /api/auth/get-session`: the session and its user, or a literal `null` (200) when signed out.
pub async fn get_session(State(state): State<AppState>, headers: HeaderMap) -> Json<Value> {
    Json(match current(&state, &headers).await {
        Some((session, user)) => {
            json!({"session": session_json(&session), "user": user_json(&user)})
        }
        None => Value::Null,
    })
}

/// `POST /api/auth/sign-out`: revokes the session and clears Better Auth's three cookies. A request
/// carrying a cookie needs a trusted `Origin` (Better Auth's CSRF rule).
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match headers.get(ORIGIN).and_then(|o| o.to_str().ok()) {
        None | Some("null") if headers.contains_key(COOKIE) => {
            return auth_error(
                StatusCode::FORBIDDEN,
                "MISSING_OR_NULL_ORIGIN",
                "Missing or null Origin",
            )
        }
        Some(origin)
            if headers.contains_key(COOKIE) && !trusted_origin(&state, &headers, origin) =>
        {
            return auth_error(StatusCode::FORBIDDEN, "INVALID_ORIGIN", "Invalid origin")
        }
        _ => {}
    }
    if let Some(token) = signed_token(&state, &headers) {
        if let Err(e) = state.store().delete_kinbot_session(token).await {
            return internal(e);
        }
    }
    let mut response = Json(json!({"success": true})).into_response();
    for name in [
        COOKIE_NAME,
        "better-auth.session_data",
        "better-auth.dont_remember",
    ] {
        if let Ok(cookie) = HeaderValue::from_str(&format!(
            "{name}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
        )) {
            response.headers_mut().append(SET_COOKIE, cookie);
        }
    }
    response
}

fn internal(e: crate::store::StoreError) -> Response {
    eprintln!("kinlink-sandbox: KinBot session store: {e}");
    super::envelope(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_ERROR",
        "Internal server error",
    )
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decodes_cookie_values() {
        assert_eq!(percent_decode("a.b%3D").as_deref(), Some("a.b="));
        assert_eq!(percent_decode("%zz"), None);
    }
}
