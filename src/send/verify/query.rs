//! Polling the query service: its client (headers, CA), the trace URL of each API, and GETs with
//! backoff until the span ids sent arrive or the time is up.

use std::time::{Duration, Instant};

use url::Url;

use super::reply::{self, Api, Lookup, describe};
use super::{DENIED, Found, NOT_ACCEPTING, Verification};
use crate::send::{TlsFiles, Verify, error_chain, tls};
use crate::settings::secret::redact;
use crate::trace::TraceSet;

/// At most this much of a query reply is read.
const MAX_BODY: usize = 16 * 1024 * 1024;
const FIRST_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(1);

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

/// Polls `v.query` for `trace_id` until every id in `span_ids` arrived or `within` is spent.
pub async fn verify(
    v: &Verify,
    trace_id: &str,
    span_ids: &[String],
    within: Duration,
) -> Verification {
    let query = &v.query;
    let started = Instant::now();
    let deadline = crate::probe::later(started, within);
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
        if result.found == Found::Complete
            || result.gave_up()
            || crate::probe::later(Instant::now(), delay) >= deadline
        {
            return result;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(MAX_DELAY);
    }
}

/// Polls `v.query` for `trace_id` until the query service has it or `within` is spent: the
/// whole stored trace (`None` when it never came), or why no usable answer came.
pub async fn read_back(
    v: &Verify,
    trace_id: &str,
    within: Duration,
) -> Result<Option<TraceSet>, String> {
    let deadline = Instant::now() + within;
    let client = client(v)?;
    let mut delay = FIRST_DELAY;
    loop {
        let mut reasons = Vec::new();
        for api in [Api::V3, Api::V1] {
            let limit = deadline.saturating_duration_since(Instant::now());
            let url = trace_url(&v.query, api, trace_id);
            let (status, body) = get(&client, &url, limit).await?;
            match reply::read_trace(api, status, &body) {
                Ok(Some(set)) => return Ok(Some(set)),
                Ok(None) => break,
                Err(why) => reasons.push(format!("{url} answered {why}")),
            }
        }
        if reasons.len() == 2 {
            return Err(format!(
                "{}; is this a Jaeger query service (port 16686)?",
                reasons.join("; ")
            ));
        }
        if Instant::now() + delay >= deadline {
            return Ok(None);
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
        match reply::read(candidate, status, &body) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
