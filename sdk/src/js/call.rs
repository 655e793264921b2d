//! The generic calls on `KinlinkClient` that the generated API classes (`generated/kino.js`) are
//! written over: every operation of a contract takes one of these paths through the Rust transport, so
//! the package does not grow with the contract. A call names the operation (method, path template,
//! path parameters, query, JSON body) and gets back the JSON text the server sent, which the caller
//! parses with `JSON.parse`; a list walker pages with the transport's pager.
//!
//! Nothing here knows an operation: credentials, retries, timeouts, error decoding and paging are the
//! transport's, and the path and query encoders are the ones the Rust API uses. No per-schema decoder
//! is involved either: a response is checked to be JSON and handed over as the text that arrived.

use futures_util::StreamExt;
use js_sys::{Object, Promise, Reflect, Uint8Array};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use super::client::{CallOptions, CallOptionsArg, JsClient};
use super::error::to_js_error;
use super::item_stream::{JsItemStream, JsItems};
use super::promise_value;
use crate::transport::path_template::fill_path;
use crate::transport::request_parts::{websocket_url, Query};
use crate::transport::{paginate, walk, Method, Multipart, Page, PageRequest, RequestBody};
use crate::{ApiError, Client, ErrorKind, RequestOptions};

#[wasm_bindgen(typescript_custom_section)]
const CALL_TS: &str = r#"
/** A query value: `undefined` or `null` leave the parameter out, a list is sent comma-separated. */
export type KinlinkQueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** One request, as the generated API classes hand it to `KinlinkClient`'s generic calls. */
export interface KinlinkRequest {
  /** The HTTP method. */
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path template, `{name}` for each path parameter, e.g. `/api/v1/movies/{id}`. */
  path: string;
  /** A value for every `{name}` of the template, each percent-encoded as one path segment. */
  pathParams?: { readonly [name: string]: string | number | boolean };
  /** The query parameters. */
  query?: { readonly [name: string]: KinlinkQueryValue };
  /** The request body: any value `JSON.stringify` accepts, sent as JSON. */
  body?: unknown;
  /** A `multipart/form-data` body instead of `body`: its parts in order. */
  form?: readonly FormPart[];
  /** A body of another media type instead of `body`: its bytes, sent as given. */
  raw?: RawBody;
  /** The media type of the body the operation takes: `application/json` (the default, `body`),
   * `multipart/form-data` (`form`) or any other (`raw`). */
  bodyType?: string;
}

/** A request body sent as given. */
export interface RawBody {
  /** The bytes, or text sent as UTF-8. */
  data: Uint8Array | ArrayBuffer | string;
  /** The `Content-Type`; default the operation's media type (`application/octet-stream` for a wildcard). */
  contentType?: string;
}

/** One part of a `multipart/form-data` body: a text field (`value`) or a file (`data`). */
export interface FormPart {
  /** The field name. */
  name: string;
  /** A text field's value. */
  value?: string;
  /** A file's bytes. */
  data?: Uint8Array | ArrayBuffer;
  /** The file name the server sees (files only). */
  filename?: string;
  /** The file's media type (files only; default `application/octet-stream`). */
  contentType?: string;
}

/** A successful response read whole, for bodies that are not JSON (archives, images, playlists). */
export interface BytesResponse {
  /** The HTTP status (a success). */
  status: number;
  /** The `Content-Type` the server sent, if any. */
  contentType: string | null;
  /** The body. */
  body: Uint8Array;
}

export interface KinlinkClient {
  /**
   * Sends one request through the client (credentials, retries, timeouts; a non-2xx answer rejects
   * with a `KinlinkError`) and resolves with the response's JSON text as the server sent it. With
   * `jsonStatuses`, only those statuses carry JSON and the other successes resolve with `null`.
   * The generated API classes call this; it is public for what they do not cover.
   */
  request(request: KinlinkRequest & { jsonStatuses?: undefined }, options?: CallOptions): Promise<string>;
  request(request: KinlinkRequest & { jsonStatuses: readonly number[] }, options?: CallOptions): Promise<string | null>;
  /** Like `request` for a success without a body worth reading: the body is read and dropped. */
  requestEmpty(request: KinlinkRequest, options?: CallOptions): Promise<void>;
  /** Like `request`, resolving with the whole body and its content type; `accept` is sent as `Accept`. */
  requestBytes(request: KinlinkRequest & { accept?: string }, options?: CallOptions): Promise<BytesResponse>;
  /**
   * Every item of a cursor-paginated list, fetched page by page as the loop reads, each parsed with
   * `JSON.parse`; `query.limit` is the page size (clamped to 1..100) and each page's cursor replaces
   * `query.cursor`.
   */
  requestPages(request: KinlinkRequest, options?: CallOptions): AsyncItemStream<unknown>;
  /** The `ws://` or `wss://` URL of a path on this server (path parameters only). */
  websocketUrl(request: KinlinkRequest): string;
}
"#;

/// A request ready for the transport.
pub(super) struct Prepared {
    method: Method,
    /// The path with its parameters filled in.
    path: String,
    query: Map<String, Value>,
    body: Option<RequestBody>,
    json_statuses: Option<Vec<u16>>,
    accept: Option<String>,
    /// How a walker's pages go on, when not by cursor.
    paging: Option<OffsetPaging>,
}

/// A list that pages by `limit`/`offset` with its items under a wrapper key (KinBot's).
#[derive(Debug, Clone, serde::Deserialize)]
struct OffsetPaging {
    /// The wrapper's key holding the items.
    items: String,
    /// The wrapper's key saying whether more follow; without one, a short page is the last.
    #[serde(rename = "hasMore")]
    has_more: Option<String>,
    offset: String,
    limit: String,
}

impl Prepared {
    /// Reads a `KinlinkRequest`: its strings as they are, its other members through their
    /// `JSON.stringify` text (so `undefined` members drop out, as JS callers expect, and one JSON decoder
    /// serves every operation).
    fn from_js(request: &JsValue) -> Result<Prepared, ApiError> {
        if !request.is_object() {
            return Err(invalid("a request must be an object".into()));
        }
        let member = |name: &str| Reflect::get(request, &name.into()).unwrap_or(JsValue::UNDEFINED);
        let text = |name: &str| -> Result<Option<String>, ApiError> {
            let value = member(name);
            if value.is_undefined() || value.is_null() {
                return Ok(None);
            }
            value
                .as_string()
                .map(Some)
                .ok_or_else(|| invalid(format!("request.{name} must be a string")))
        };
        let json = |name: &str| -> Result<Option<String>, ApiError> {
            let value = member(name);
            if value.is_undefined() {
                return Ok(None);
            }
            json_text(&value)
                .map(Some)
                .ok_or_else(|| invalid(format!("request.{name} cannot be sent as JSON")))
        };
        let object = |name: &str| -> Result<Map<String, Value>, ApiError> {
            match json(name)? {
                None => Ok(Map::new()),
                Some(text) => serde_json::from_slice(text.as_bytes())
                    .map_err(|_| invalid(format!("request.{name} must be an object"))),
            }
        };
        let method = text("method")?.unwrap_or_default();
        let path = text("path")?.ok_or_else(|| invalid("request.path is missing".into()))?;
        let http_method = match method.as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            other => return Err(invalid(format!("unknown HTTP method {other:?}"))),
        };
        let body_type = text("bodyType")?;
        let body = match body_type.as_deref() {
            None | Some("application/json") => json("body")?
                .map(|text| {
                    // Checked like a response body (`from_slice`), so the package carries one JSON reader.
                    serde_json::from_slice::<&RawValue>(text.as_bytes())
                        .map_err(|e| invalid(format!("request.body is not JSON: {e}")))?;
                    Ok::<_, ApiError>(RequestBody {
                        content_type: "application/json".to_owned(),
                        bytes: text.into_bytes(),
                    })
                })
                .transpose()?,
            Some("multipart/form-data") => Some(form(&member("form"))?.encode()?),
            Some(media_type) => Some(raw(&member("raw"), media_type)?),
        };
        let json_statuses = json("jsonStatuses")?
            .map(|text| {
                serde_json::from_slice::<Vec<u16>>(text.as_bytes())
                    .map_err(|_| invalid("request.jsonStatuses must list HTTP statuses".into()))
            })
            .transpose()?;
        Ok(Prepared {
            method: http_method,
            path: fill_path(&path, &object("pathParams")?)?,
            query: object("query")?,
            body,
            json_statuses,
            accept: text("accept")?,
            paging: json("paging")?
                .map(|text| {
                    serde_json::from_str::<OffsetPaging>(&text)
                        .map_err(|e| invalid(format!("request.paging: {e}")))
                })
                .transpose()?,
        })
    }

    /// The query as the transport takes it, through the one query encoder.
    fn query(&self) -> Result<Query, ApiError> {
        Query::encode(&self.query)
    }

    /// The success body's JSON text (`null` for a success outside `json_statuses`).
    pub(super) async fn json(
        self,
        client: &Client,
        options: &RequestOptions,
    ) -> Result<Option<Box<RawValue>>, ApiError> {
        let query = self.query()?;
        let transport = client.transport();
        let (method, path, body) = (self.method, &self.path, self.body);
        match &self.json_statuses {
            None => transport
                .json_with(method, path, &query.pairs(), body, options)
                .await
                .map(Some),
            Some(statuses) => transport
                .bytes_with(
                    method,
                    path,
                    &query.pairs(),
                    body,
                    "application/json",
                    options,
                )
                .await?
                .json_when(statuses),
        }
    }

    /// Every item of the list, fetched page by page with the transport's pager.
    pub(super) fn pages(
        self,
        client: &Client,
        options: RequestOptions,
    ) -> Result<JsItems, ApiError> {
        if self.body.is_some() {
            return Err(invalid("a paginated list takes no request body".into()));
        }
        if let Some(paging) = self.paging.clone() {
            return Ok(self.offset_pages(paging, client, options));
        }
        let first = page_size(&self.query)?;
        let client = client.clone();
        let pages = paginate(first, move |page: PageRequest| {
            let (client, options) = (client.clone(), options.clone());
            let (method, path) = (self.method, self.path.clone());
            let query = page_query(&self.query, &page);
            async move {
                let query = Query::encode(&query)?;
                let page: Page<Box<RawValue>> = client
                    .transport()
                    .json(method, &path, &query.pairs(), None::<&RawValue>, &options)
                    .await?;
                Ok(page)
            }
        });
        Ok(Box::pin(pages.map(|item| item.and_then(|raw| parse(&raw)))))
    }
}

/// A `RawBody` as the bytes it carries; a media type with a wildcard is no `Content-Type` to send.
fn raw(body: &JsValue, media_type: &str) -> Result<RequestBody, ApiError> {
    let member = |name: &str| Reflect::get(body, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let data = member("data");
    let bytes = if let Some(text) = data.as_string() {
        text.into_bytes()
    } else if data.is_instance_of::<Uint8Array>() || data.is_instance_of::<js_sys::ArrayBuffer>() {
        Uint8Array::new(&data).to_vec()
    } else {
        return Err(invalid(
            "request.raw.data must be a string, a Uint8Array or an ArrayBuffer".into(),
        ));
    };
    let content_type = match member("contentType").as_string() {
        Some(given) if given.contains(['\r', '\n']) => {
            return Err(invalid(
                "request.raw.contentType may not contain a line break".into(),
            ))
        }
        Some(given) => given,
        None if media_type.contains('*') => "application/octet-stream".to_owned(),
        None => media_type.to_owned(),
    };
    Ok(RequestBody {
        content_type,
        bytes,
    })
}

/// A `FormPart[]` as a [`Multipart`] form.
fn form(parts: &JsValue) -> Result<Multipart, ApiError> {
    let parts = parts
        .dyn_ref::<js_sys::Array>()
        .ok_or_else(|| invalid("request.form must be an array of parts".into()))?;
    let mut form = Multipart::new();
    for part in parts.iter() {
        let member = |name: &str| Reflect::get(&part, &name.into()).unwrap_or(JsValue::UNDEFINED);
        let name = member("name")
            .as_string()
            .ok_or_else(|| invalid("each form part needs a string name".into()))?;
        let data = member("data");
        form = if let Some(value) = member("value").as_string() {
            form.text(name, value)
        } else if data.is_instance_of::<Uint8Array>()
            || data.is_instance_of::<js_sys::ArrayBuffer>()
        {
            let filename = member("filename")
                .as_string()
                .unwrap_or_else(|| name.clone());
            let content_type = member("contentType")
                .as_string()
                .unwrap_or_else(|| "application/octet-stream".to_owned());
            form.file(
                name,
                filename,
                content_type,
                Uint8Array::new(&data).to_vec(),
            )
        } else {
            return Err(invalid(format!(
                "form part {name:?} needs a string value or data as a Uint8Array or ArrayBuffer"
            )));
        };
    }
    Ok(form)
}

impl Prepared {
    /// Every item of a `limit`/`offset` list: the items under `paging.items` of each page, the
    /// offset advanced by each page's length while the page says more follow.
    fn offset_pages(
        self,
        paging: OffsetPaging,
        client: &Client,
        options: RequestOptions,
    ) -> JsItems {
        let client = client.clone();
        let (method, path) = (self.method, self.path);
        let pages = walk(self.query, move |query: Map<String, Value>| {
            let (client, options, paging, path) = (
                client.clone(),
                options.clone(),
                paging.clone(),
                path.clone(),
            );
            async move {
                let encoded = Query::encode(&query)?;
                let page: std::collections::HashMap<String, Box<RawValue>> = client
                    .transport()
                    .json(method, &path, &encoded.pairs(), None::<&RawValue>, &options)
                    .await?;
                let items: Vec<Box<RawValue>> = match page.get(&paging.items) {
                    Some(raw) => serde_json::from_str(raw.get()).map_err(|e| {
                        ApiError::new(
                            ErrorKind::Decode,
                            format!("{path}: `{}` is not a list: {e}", paging.items),
                        )
                    })?,
                    None => Vec::new(),
                };
                let count = items.len() as u64;
                let more = match &paging.has_more {
                    Some(key) => page.get(key).is_some_and(|raw| raw.get() == "true"),
                    None => query
                        .get(&paging.limit)
                        .and_then(Value::as_u64)
                        .is_none_or(|limit| count >= limit),
                };
                let next = (more && count > 0).then(|| {
                    let mut next = query.clone();
                    let offset = query
                        .get(&paging.offset)
                        .and_then(Value::as_u64)
                        .unwrap_or(0);
                    next.insert(paging.offset.clone(), Value::from(offset + count));
                    next
                });
                Ok((items, next))
            }
        });
        Box::pin(pages.map(|item| item.and_then(|raw| parse(&raw))))
    }
}

fn invalid(message: String) -> ApiError {
    ApiError::new(ErrorKind::InvalidArgument, message)
}

/// `JSON.stringify` of a value, or `None` when it has no JSON form (a function, a `BigInt`, a cycle).
fn json_text(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok()?.as_string()
}

/// `JSON.parse` of text the transport has already checked to be JSON.
pub(super) fn parse(raw: &RawValue) -> Result<JsValue, ApiError> {
    js_sys::JSON::parse(raw.get())
        .map_err(|_| ApiError::new(ErrorKind::Decode, "JSON.parse refused the response"))
}

/// The page size a walk starts with: the query's `limit`, if it has one.
fn page_size(query: &Map<String, Value>) -> Result<Option<u32>, ApiError> {
    match query.get("limit") {
        None | Some(Value::Null) => Ok(None),
        Some(limit) => limit
            .as_u64()
            .map(|n| Some(u32::try_from(n).unwrap_or(u32::MAX)))
            .ok_or_else(|| invalid(format!("limit must be a whole number, not {limit}"))),
    }
}

/// The query of one page: the caller's, with the pager's cursor and (clamped) limit in place of theirs.
fn page_query(query: &Map<String, Value>, page: &PageRequest) -> Map<String, Value> {
    let mut sent: Map<String, Value> = query
        .iter()
        .filter(|(name, _)| *name != "cursor" && *name != "limit")
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    for (name, value) in page.query() {
        sent.insert(name.to_owned(), Value::String(value));
    }
    sent
}

#[wasm_bindgen(js_class = KinlinkClient)]
impl JsClient {
    /// See `KinlinkClient.request` in the TypeScript declarations.
    #[wasm_bindgen(skip_typescript)]
    pub fn request(&self, request: JsValue, options: Option<CallOptionsArg>) -> Promise {
        let client = self.inner.clone();
        promise_value(options, move |options| async move {
            let text = Prepared::from_js(&request)?.json(&client, &options).await?;
            Ok(match text {
                Some(raw) => JsValue::from_str(raw.get()),
                None => JsValue::NULL,
            })
        })
    }

    /// See `KinlinkClient.requestEmpty` in the TypeScript declarations.
    #[wasm_bindgen(js_name = requestEmpty, skip_typescript)]
    pub fn request_empty(&self, request: JsValue, options: Option<CallOptionsArg>) -> Promise {
        let client = self.inner.clone();
        promise_value(options, move |options| async move {
            let request = Prepared::from_js(&request)?;
            let query = request.query()?;
            client
                .transport()
                .read_body(
                    request.method,
                    &request.path,
                    &query.pairs(),
                    request.body,
                    &options,
                )
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// See `KinlinkClient.requestBytes` in the TypeScript declarations.
    #[wasm_bindgen(js_name = requestBytes, skip_typescript)]
    pub fn request_bytes(&self, request: JsValue, options: Option<CallOptionsArg>) -> Promise {
        let client = self.inner.clone();
        promise_value(options, move |options| async move {
            let request = Prepared::from_js(&request)?;
            let query = request.query()?;
            let accept = request.accept.as_deref().unwrap_or("*/*");
            let response = client
                .transport()
                .bytes_with(
                    request.method,
                    &request.path,
                    &query.pairs(),
                    request.body,
                    accept,
                    &options,
                )
                .await?;
            let content_type = match &response.content_type {
                Some(value) => JsValue::from_str(value),
                None => JsValue::NULL,
            };
            let object = Object::new();
            // Setting properties on a fresh plain object cannot throw.
            let _ = Reflect::set(&object, &"status".into(), &response.status.into());
            let _ = Reflect::set(&object, &"contentType".into(), &content_type);
            let body = Uint8Array::from(response.body.as_slice());
            let _ = Reflect::set(&object, &"body".into(), &body);
            Ok(object.into())
        })
    }

    /// See `KinlinkClient.requestPages` in the TypeScript declarations.
    #[wasm_bindgen(js_name = requestPages, skip_typescript)]
    pub fn request_pages(
        &self,
        request: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let options = CallOptions::from_js(options)?;
        let items = Prepared::from_js(&request)
            .and_then(|request| request.pages(&self.inner, options.request))
            .map_err(|e| to_js_error(&e))?;
        Ok(JsItemStream::wrap(items, options.signal))
    }

    /// See `KinlinkClient.websocketUrl` in the TypeScript declarations.
    #[wasm_bindgen(js_name = websocketUrl, skip_typescript)]
    pub fn websocket_url(&self, request: JsValue) -> Result<String, JsValue> {
        let request = Prepared::from_js(&request).map_err(|e| to_js_error(&e))?;
        if !request.query.is_empty() || request.body.is_some() {
            let error = invalid("a WebSocket URL takes path parameters only".into());
            return Err(to_js_error(&error));
        }
        Ok(websocket_url(self.inner.base_url(), &request.path))
    }
}
