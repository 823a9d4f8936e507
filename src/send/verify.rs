//! Reading a trace back from a Jaeger query service: `GET /api/v3/traces/{id}` (OTLP JSON), else
//! `GET /api/traces/{id}` (the UI's JSON), polled with backoff until the span ids sent arrive or
//! the time is up.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;
use url::Url;

use super::http::excerpt;
use super::{TlsFiles, Verify, error_chain, tls};
use crate::report::redact;

/// At most this much of a query reply is read.
const MAX_BODY: usize = 16 * 1024 * 1024;
/// The end of the error when the query service refuses without credentials.
const DENIED: &str = "the query service wants credentials";
const NOT_ACCEPTING: &str = "the query service does not accept connections";
const FIRST_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(1);

/// What the read-back found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Found {
    /// Every span id sent is in the stored trace.
    Complete,
    /// The trace is stored but some span ids sent are not in it.
    Incomplete,
    /// The query service does not have the trace.
    NotFound,
    /// No usable answer from the query service.
    Unreachable,
}

/// One span of the sent trace that the query service returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Arrived {
    pub span_id: String,
    /// The service name the backend stored for it.
    pub service: String,
}

/// The read-back, for the receipt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    pub found: Found,
    /// The query service's base URL.
    pub query_url: String,
    /// The path that answered: `/api/v3/traces` or `/api/traces`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<&'static str>,
    pub attempts: u32,
    pub waited_ms: f64,
    pub arrived: Vec<Arrived>,
    pub missing: Vec<String>,
    /// `--verify-header` names with redacted values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// Why the query service gave no usable answer (last attempt).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Verification {
    pub fn is_complete(&self) -> bool {
        self.found == Found::Complete
    }

    /// The distinct service names stored, in order of first appearance.
    pub fn services(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for a in &self.arrived {
            if !out.contains(&a.service.as_str()) {
                out.push(&a.service);
            }
        }
        out
    }

    /// What to look at when the trace did not come back whole; `query_flag` and `timeout_flag`
    /// are the command's flags for the query URL and the time allowed.
    pub fn fix(&self, query_flag: &str, timeout_flag: &str) -> Option<String> {
        match self.found {
            Found::Complete => None,
            Found::Incomplete | Found::NotFound => Some(format!(
                "the receiver took the spans but the backend did not store them in time: check the \
                 collector's trace pipeline and exporter (its log), its sampling, that {query_flag} \
                 names the query service of the backend it exports to, and raise {timeout_flag} for \
                 slow batching"
            )),
            Found::Unreachable if self.error.as_deref().is_some_and(|e| e.contains(DENIED)) => {
                Some(
                    "send the query service's credentials: send-test-span --verify-header \
                     authorization=... (the values are redacted in the receipt)"
                        .into(),
                )
            }
            Found::Unreachable => Some(format!(
                "point {query_flag} at the Jaeger query service (the UI port, 16686 by default), \
                 e.g. {query_flag} http://jaeger:16686"
            )),
        }
    }

    /// One line for people: what arrived, under which service, after how long.
    pub fn summary(&self) -> String {
        let sent = self.arrived.len() + self.missing.len();
        let services = self.services().join(", ");
        match self.found {
            Found::Complete => format!(
                "all {sent} span(s) stored under service {services:?}, found after {:.1} s ({} attempt(s))",
                self.waited_ms / 1e3,
                self.attempts
            ),
            Found::Incomplete => format!(
                "{} of {sent} span(s) stored (service {services:?}); missing {} after {:.1} s",
                self.arrived.len(),
                self.missing.join(" "),
                self.waited_ms / 1e3
            ),
            Found::NotFound => format!(
                "the trace was not found at {} after {:.1} s ({} attempt(s))",
                self.query_url,
                self.waited_ms / 1e3,
                self.attempts
            ),
            Found::Unreachable => format!(
                "the query service at {} gave no usable answer: {}",
                self.query_url,
                self.error.as_deref().unwrap_or("no reply")
            ),
        }
    }
}

impl Verification {
    /// Whether polling cannot help: the query service refuses connections or wants credentials.
    /// Polling waits for spans to be stored, not for the query service to come up.
    fn gave_up(&self) -> bool {
        self.found == Found::Unreachable
            && self
                .error
                .as_deref()
                .is_some_and(|e| e.contains(NOT_ACCEPTING) || e.contains(DENIED))
    }

    /// Takes one lookup's answer: what arrived, or why nothing usable came back. An incomplete
    /// trace stays incomplete when a later lookup fails.
    fn record(&mut self, answer: Result<Lookup, String>, span_ids: &[String]) {
        match answer {
            Ok(Lookup::Trace(stored)) if !stored.is_empty() => {
                self.error = None;
                let service = |id: &String| {
                    stored
                        .iter()
                        .find(|(s, _)| s == id)
                        .map(|(_, service)| service.clone())
                };
                self.arrived = span_ids
                    .iter()
                    .filter_map(|id| {
                        service(id).map(|service| Arrived {
                            span_id: id.clone(),
                            service,
                        })
                    })
                    .collect();
                self.missing = span_ids
                    .iter()
                    .filter(|id| service(id).is_none())
                    .cloned()
                    .collect();
                self.found = if self.missing.is_empty() {
                    Found::Complete
                } else {
                    Found::Incomplete
                };
            }
            Ok(Lookup::Trace(_) | Lookup::NotFound) => {
                self.error = None;
                if self.found != Found::Incomplete {
                    self.found = Found::NotFound;
                }
            }
            Ok(Lookup::Unsupported(e)) | Err(e) => {
                self.error = Some(e);
                if self.found != Found::Incomplete {
                    self.found = Found::Unreachable;
                }
            }
        }
    }
}

/// A query service URL given as `flag`: http(s) with a host.
pub fn query_url(text: &str, flag: &str) -> Result<Url, String> {
    Url::parse(text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| {
            format!(
                "{flag} `{text}` is not an http(s) URL; give the Jaeger query service, e.g. {flag} http://jaeger:16686"
            )
        })
}

/// The headers sent to the query service; Err names one that HTTP cannot carry.
pub fn header_map(headers: &[(String, String)]) -> Result<reqwest::header::HeaderMap, String> {
    let mut map = reqwest::header::HeaderMap::new();
    for (k, v) in headers {
        let name = reqwest::header::HeaderName::from_bytes(k.as_bytes())
            .map_err(|_| format!("`{k}` cannot be an HTTP header name"))?;
        let value = reqwest::header::HeaderValue::from_str(v)
            .map_err(|_| format!("the value of header `{k}` cannot be sent in HTTP"))?;
        map.append(name, value);
    }
    Ok(map)
}

/// A client for the query service: its headers, and the CA for https.
fn client(v: &Verify) -> Result<reqwest::Client, String> {
    let pems = tls::Pems::load(&TlsFiles {
        ca: v.ca.clone(),
        ..TlsFiles::default()
    })?;
    tls::reqwest_builder(&pems)?
        .user_agent(concat!("tracectl/", env!("CARGO_PKG_VERSION")))
        .default_headers(header_map(&v.headers)?)
        .build()
        .map_err(|e| error_chain(&e))
}

/// Which query API answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    V3,
    V1,
}

impl Api {
    fn path(self) -> &'static str {
        match self {
            Api::V3 => "/api/v3/traces",
            Api::V1 => "/api/traces",
        }
    }
}

/// One lookup's result.
#[derive(Debug, PartialEq)]
enum Lookup {
    /// (span id as 16 hex digits, service name) for every stored span.
    Trace(Vec<(String, String)>),
    NotFound,
    /// This API is not there (or not a Jaeger query API): the reason.
    Unsupported(String),
}

/// Polls `v.query` for `trace_id` until every id in `span_ids` arrived or `within` is spent.
pub async fn verify(
    v: &Verify,
    trace_id: &str,
    span_ids: &[String],
    within: Duration,
) -> Verification {
    let query = &v.query;
    let started = Instant::now();
    let deadline = started + within;
    let mut result = Verification {
        found: Found::Unreachable,
        query_url: query.to_string(),
        api: None,
        attempts: 0,
        waited_ms: 0.0,
        arrived: Vec::new(),
        missing: span_ids.to_vec(),
        headers: v
            .headers
            .iter()
            .map(|(k, x)| (k.clone(), redact(x)))
            .collect(),
        error: None,
    };
    let client = match client(v) {
        Ok(c) => c,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    let mut api = None;
    let mut delay = FIRST_DELAY;
    loop {
        result.attempts += 1;
        let limit = deadline.saturating_duration_since(Instant::now());
        let answer = lookup(&client, query, trace_id, &mut api, limit).await;
        result.record(answer, span_ids);
        result.api = api.map(Api::path);
        result.waited_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1e3;
        if result.found == Found::Complete || result.gave_up() || Instant::now() + delay >= deadline
        {
            return result;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(MAX_DELAY);
    }
}

/// Asks the API known to work, or v3 then v1 while none is known yet.
async fn lookup(
    client: &reqwest::Client,
    query: &Url,
    trace_id: &str,
    api: &mut Option<Api>,
    limit: Duration,
) -> Result<Lookup, String> {
    let candidates: &[Api] = match api {
        Some(Api::V3) => &[Api::V3],
        Some(Api::V1) => &[Api::V1],
        None => &[Api::V3, Api::V1],
    };
    let mut reasons = Vec::new();
    for &candidate in candidates {
        let url = trace_url(query, candidate, trace_id);
        let (status, body) = get(client, &url, limit).await?;
        if matches!(status, 401 | 403) {
            return Err(format!(
                "{url} answered {}: {DENIED}",
                describe(status, &body)
            ));
        }
        let lookup = match candidate {
            Api::V3 => parse_v3(status, &body),
            Api::V1 => parse_v1(status, &body),
        };
        match lookup {
            Lookup::Unsupported(why) => reasons.push(format!("{url} answered {why}")),
            found => {
                *api = Some(candidate);
                return Ok(found);
            }
        }
    }
    Ok(Lookup::Unsupported(format!(
        "{}; is this a Jaeger query service (port 16686)?",
        reasons.join("; ")
    )))
}

fn trace_url(query: &Url, api: Api, trace_id: &str) -> Url {
    let mut url = query.clone();
    let base = query.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{base}{}/{trace_id}", api.path()));
    url.set_query(None);
    url
}

/// GET with a bounded body; Err says why no reply came back.
async fn get(
    client: &reqwest::Client,
    url: &Url,
    limit: Duration,
) -> Result<(u16, Vec<u8>), String> {
    let request = client
        .get(url.clone())
        .timeout(limit.max(Duration::from_millis(1)));
    let mut response = request.send().await.map_err(|e| {
        if e.is_connect() {
            format!("{url}: {NOT_ACCEPTING} ({})", innermost(&e))
        } else {
            error_chain(&e)
        }
    })?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| error_chain(&e))? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(format!(
                "{url} answered more than {} MiB; not a single trace",
                MAX_BODY >> 20
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body))
}

/// The deepest cause of an error: what the OS said, without the layers above it.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn describe(status: u16, body: &[u8]) -> String {
    let cut = excerpt(body, 120).unwrap_or_default();
    format!("HTTP {status} {cut:?}")
}

/// `/api/v3/traces/{id}`: `{"result":{"resourceSpans":[…]}}`; 404 `{"error":{…}}`.
fn parse_v3(status: u16, body: &[u8]) -> Lookup {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let Some(json) = json else {
        return Lookup::Unsupported(describe(status, body));
    };
    if status == 404 && json.get("error").is_some_and(Value::is_object) {
        return Lookup::NotFound;
    }
    let Some(resource_spans) = (status == 200)
        .then(|| json.pointer("/result/resourceSpans"))
        .flatten()
        .and_then(Value::as_array)
    else {
        return Lookup::Unsupported(describe(status, body));
    };
    let mut spans = Vec::new();
    for rs in resource_spans {
        let service = rs
            .pointer("/resource/attributes")
            .and_then(Value::as_array)
            .and_then(|attrs| {
                attrs
                    .iter()
                    .find(|a| a.get("key").and_then(Value::as_str) == Some("service.name"))
            })
            .and_then(|a| a.pointer("/value/stringValue"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let scopes = rs
            .get("scopeSpans")
            .or_else(|| rs.get("instrumentationLibrarySpans"))
            .and_then(Value::as_array);
        for scope in scopes.into_iter().flatten() {
            let ids = scope.get("spans").and_then(Value::as_array);
            for span in ids.into_iter().flatten() {
                if let Some(id) = span.get("spanId").and_then(Value::as_str).and_then(span_id) {
                    spans.push((id, service.to_owned()));
                }
            }
        }
    }
    Lookup::Trace(spans)
}

/// `/api/traces/{id}`: `{"data":[{"spans":[{"spanID","processID"}],"processes":{…}}]}`;
/// 404 `{"errors":[{"code":404,…}]}`.
fn parse_v1(status: u16, body: &[u8]) -> Lookup {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let Some(json) = json else {
        return Lookup::Unsupported(describe(status, body));
    };
    let errors = json.get("errors").and_then(Value::as_array);
    if status == 404 && errors.is_some() {
        return Lookup::NotFound;
    }
    let Some(data) = (status == 200)
        .then(|| json.get("data"))
        .flatten()
        .and_then(Value::as_array)
    else {
        return Lookup::Unsupported(describe(status, body));
    };
    let mut spans = Vec::new();
    for trace in data {
        let processes = trace.get("processes");
        let list = trace.get("spans").and_then(Value::as_array);
        for span in list.into_iter().flatten() {
            let Some(id) = span.get("spanID").and_then(Value::as_str).and_then(span_id) else {
                continue;
            };
            let service = span
                .get("processID")
                .and_then(Value::as_str)
                .and_then(|p| processes?.get(p)?.get("serviceName")?.as_str())
                .or_else(|| span.pointer("/process/serviceName").and_then(Value::as_str))
                .unwrap_or_default();
            spans.push((id, service.to_owned()));
        }
    }
    Lookup::Trace(spans)
}

/// A span id as 16 lowercase hex digits, from hex (leading zeros may be dropped) or base64.
fn span_id(text: &str) -> Option<String> {
    let text = text.trim();
    if !text.is_empty() && text.len() <= 16 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(format!("{:0>16}", text.to_ascii_lowercase()));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    (bytes.len() == 8).then(|| hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_reads_span_ids_and_the_service_name() {
        let body = br#"{"result":{"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"checkout"}}]},
            "scopeSpans":[{"spans":[{"spanId":"00f067aa0ba902b7"},{"spanId":"AAECAwQFBgc="}]}]}]}}"#;
        assert_eq!(
            parse_v3(200, body),
            Lookup::Trace(vec![
                ("00f067aa0ba902b7".into(), "checkout".into()),
                ("0001020304050607".into(), "checkout".into()),
            ])
        );
    }

    #[test]
    fn v3_404_with_an_error_object_is_not_found_and_html_is_unsupported() {
        let not_found = br#"{"error":{"httpCode":404,"message":"trace not found"}}"#;
        assert_eq!(parse_v3(404, not_found), Lookup::NotFound);
        assert!(matches!(
            parse_v3(200, b"<html>jaeger ui</html>"),
            Lookup::Unsupported(_)
        ));
        assert!(matches!(
            parse_v3(404, b"404 page not found"),
            Lookup::Unsupported(_)
        ));
    }

    #[test]
    fn v1_reads_span_ids_with_their_process_service() {
        let body = br#"{"data":[{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736",
            "spans":[{"spanID":"f067aa0ba902b7","processID":"p1"}],
            "processes":{"p1":{"serviceName":"billing"}}}]}"#;
        assert_eq!(
            parse_v1(200, body),
            Lookup::Trace(vec![("00f067aa0ba902b7".into(), "billing".into())])
        );
        let missing = br#"{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}"#;
        assert_eq!(parse_v1(404, missing), Lookup::NotFound);
        assert!(matches!(parse_v1(500, b"{}"), Lookup::Unsupported(_)));
    }

    #[test]
    fn hostile_bodies_do_not_panic() {
        for body in [
            &b"null"[..],
            b"[]",
            br#"{"result":{"resourceSpans":[1,"x",{"scopeSpans":7}]}}"#,
            br#"{"data":[{"spans":[{"spanID":12}],"processes":[]}]}"#,
            b"\xff\xfe",
        ] {
            let _ = parse_v3(200, body);
            let _ = parse_v1(200, body);
        }
        assert_eq!(span_id("not an id"), None);
        assert_eq!(span_id(""), None);
    }

    #[test]
    fn trace_urls_keep_a_base_path() {
        let base = Url::parse("http://jaeger:16686/jaeger/").unwrap();
        assert_eq!(
            trace_url(&base, Api::V3, "ab").as_str(),
            "http://jaeger:16686/jaeger/api/v3/traces/ab"
        );
        let bare = Url::parse("http://jaeger:16686").unwrap();
        assert_eq!(
            trace_url(&bare, Api::V1, "ab").as_str(),
            "http://jaeger:16686/api/traces/ab"
        );
    }
}
