//! Talking to the service: the HTTP client, the environment `--exec` gives it, waiting for
//! `--ready`, and sending the requests with their trace context.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use url::Url;

use super::downstream::Recorder;
use super::exec::Service;
use super::inject::Sent;
use super::run::{Answer, ExecPlan, Fatal, Options};
use crate::listen::Listener;

pub fn client() -> Result<reqwest::Client, Fatal> {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("tracectl/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Fatal(format!("cannot build the HTTP client: {e}")))
}

/// The environment `--exec` gives the service.
pub fn exec_env(
    plan: &ExecPlan,
    bound: &[(Listener, SocketAddr)],
    recorder: Option<&Recorder>,
) -> Vec<(String, String)> {
    let mut env = vec![("OTEL_BSP_SCHEDULE_DELAY".to_owned(), "100".to_owned())];
    let http = bound.iter().find(|(l, _)| *l == Listener::OtlpHttp);
    let grpc = bound.iter().find(|(l, _)| *l == Listener::OtlpGrpc);
    if let Some((_, a)) = http {
        env.push(("OTEL_EXPORTER_OTLP_ENDPOINT".into(), format!("http://{a}")));
        env.push(("OTEL_EXPORTER_OTLP_PROTOCOL".into(), "http/protobuf".into()));
    } else if let Some((_, a)) = grpc {
        env.push(("OTEL_EXPORTER_OTLP_ENDPOINT".into(), format!("http://{a}")));
        env.push(("OTEL_EXPORTER_OTLP_PROTOCOL".into(), "grpc".into()));
    }
    if let Some(r) = recorder {
        env.push((plan.downstream_env.clone(), r.url()));
    }
    env
}

/// Waits for `--ready` to answer 2xx, or for the service to exit.
pub async fn wait_ready(
    client: &reqwest::Client,
    ready: &Url,
    service: &mut Service,
    deadline: Instant,
) -> Result<(), Fatal> {
    loop {
        if let Some(status) = service.exited() {
            return Err(Fatal(format!(
                "the service started by --exec exited ({status}) before {ready} answered"
            )));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Fatal(format!(
                "the service never answered: {ready} (--ready) gave no 2xx answer within --timeout"
            )));
        }
        let answer = client
            .get(ready.clone())
            // Not sampled: a service that keeps its caller's decision exports no span for it.
            .header(
                "traceparent",
                format!(
                    "00-{:032x}-{:016x}-00",
                    rand::random::<u128>() | 1,
                    rand::random::<u64>() | 1
                ),
            )
            .timeout(left.min(Duration::from_secs(1)))
            .send()
            .await;
        if answer.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(25).min(left)).await;
    }
}

/// Sends every request in turn. With `retry_refused` (--exec without --ready) a refused
/// connection is tried again until the deadline.
pub async fn send_all(
    client: reqwest::Client,
    o: Options,
    sent: Vec<Sent>,
    deadline: Instant,
    retry_refused: bool,
) -> Vec<Answer> {
    let mut answers = Vec::new();
    for s in &sent {
        let answer = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let mut req = client
                .request(o.method.clone(), o.url.clone())
                .timeout(left.max(Duration::from_millis(1)));
            for (k, v) in o.headers.iter().chain(&s.headers) {
                req = req.header(k, v);
            }
            if let Some(body) = &o.data {
                req = req.body(body.clone());
            }
            match req.send().await {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let _ = tokio::time::timeout(left, r.bytes()).await;
                    break Answer::Status(status);
                }
                Err(e) if retry_refused && e.is_connect() && !left.is_zero() => {
                    tokio::time::sleep(Duration::from_millis(25)).await;
                }
                Err(e) if e.is_timeout() => {
                    break Answer::Failed(format!(
                        "no answer within --timeout ({})",
                        humantime::format_duration(o.timeout)
                    ));
                }
                Err(e) => break Answer::Failed(crate::text::error_chain(&e)),
            }
        };
        let failed = matches!(answer, Answer::Failed(_));
        answers.push(answer);
        if failed {
            break;
        }
    }
    answers
}
