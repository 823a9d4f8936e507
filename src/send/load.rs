//! Load mode: workers send traces over OTLP (gRPC, or HTTP with keep-alive), each on its own
//! connection, at a shared rate, counting spans sent, accepted, rejected and failed, and the
//! latency of every request.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::protocol::otlp;
use crate::protocol::trace::{Shape, Trace};

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_client::TraceServiceClient;
use tonic::transport::Channel;

use super::{Delivery, SendProtocol, Target, Transport, Verdict, http, otlp_grpc, otlp_http};

/// One worker's connection.
enum Exporter {
    Grpc(TraceServiceClient<Channel>),
    Http(reqwest::Client),
}

impl Exporter {
    async fn connect(target: &Target, transport: &Transport) -> Result<Exporter, String> {
        match target.protocol {
            SendProtocol::Grpc => Ok(Exporter::Grpc(otlp_grpc::connect(target, transport).await?)),
            SendProtocol::HttpProtobuf | SendProtocol::HttpJson => {
                Ok(Exporter::Http(http::client(transport)?))
            }
            other => Err(format!(
                "load mode sends over OTLP only, not {}; add --protocol grpc or http/protobuf",
                other.as_str()
            )),
        }
    }

    /// Sends one request; Err when the request cannot be built at all (e.g. a bad header).
    async fn export(
        &mut self,
        body: otlp::ExportTraceServiceRequest,
        target: &Target,
        transport: &Transport,
    ) -> Result<Delivery, String> {
        match self {
            Exporter::Grpc(client) => {
                let request = otlp_grpc::request(body, transport)?;
                Ok(otlp_grpc::delivery(client.export(request).await, 0))
            }
            Exporter::Http(client) => Ok(otlp_http::export(client, body, target, transport).await),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    /// Spans per second over all workers; 0 = unlimited.
    pub rate: u64,
    pub duration: Duration,
    pub workers: u32,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadReport {
    pub protocol: &'static str,
    pub url: String,
    pub workers: u32,
    pub spans_per_request: usize,
    pub elapsed_s: f64,
    pub requests: u64,
    pub spans_sent: u64,
    pub spans_accepted: u64,
    pub spans_rejected: u64,
    pub spans_failed: u64,
    pub spans_per_second: f64,
    pub latency_ms: Percentiles,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

impl Percentiles {
    fn of(mut micros: Vec<u64>) -> Percentiles {
        micros.sort_unstable();
        let at = |q: f64| {
            let i = ((micros.len() as f64 - 1.0) * q).round() as usize;
            micros.get(i).map_or(0.0, |v| *v as f64 / 1000.0)
        };
        Percentiles {
            p50: at(0.5),
            p90: at(0.9),
            p99: at(0.99),
            max: at(1.0),
        }
    }
}

#[derive(Default)]
struct Counters {
    sent: AtomicU64,
    accepted: AtomicU64,
    rejected: AtomicU64,
    failed: AtomicU64,
    requests: AtomicU64,
}

impl Counters {
    /// Counts one request of `n` spans by what the receiver answered.
    fn record(&self, delivery: &Delivery, n: u64) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.sent.fetch_add(n, Ordering::Relaxed);
        let rejected = delivery
            .answer
            .partial_success
            .as_ref()
            .map_or(0, |p| u64::try_from(p.rejected_spans).unwrap_or(0).min(n));
        match delivery.verdict {
            Verdict::Accepted | Verdict::Sent | Verdict::PartiallyRejected => {
                self.accepted.fetch_add(n - rejected, Ordering::Relaxed);
                self.rejected.fetch_add(rejected, Ordering::Relaxed);
            }
            Verdict::Rejected => {
                self.rejected.fetch_add(n, Ordering::Relaxed);
            }
            Verdict::Unreachable | Verdict::NoAnswer => {
                self.failed.fetch_add(n, Ordering::Relaxed);
            }
        }
    }
}

/// What one worker sends, and until when.
struct Job<'a> {
    shape: &'a Shape,
    target: &'a Target,
    transport: &'a Transport,
    /// Between requests, for a limited rate.
    interval: Option<Duration>,
    end: Instant,
}

/// One worker's loop: sends fresh traces until `job.end`; returns every request's latency (µs)
/// and the first error.
async fn work(
    exporter: &mut Exporter,
    job: &Job<'_>,
    counters: &Counters,
) -> (Vec<u64>, Option<String>) {
    let n = job.shape.spans.max(1) as u64;
    let mut latencies = Vec::new();
    let mut first_error = None;
    let mut next = Instant::now();
    while Instant::now() < job.end {
        if let Some(interval) = job.interval {
            tokio::time::sleep_until(next.into()).await;
            next += interval;
        }
        let body = otlp::request_from_trace(&Trace::synthetic(job.shape, SystemTime::now()));
        let t = Instant::now();
        let delivery = match exporter.export(body, job.target, job.transport).await {
            Ok(d) => d,
            Err(e) => return (latencies, Some(e)),
        };
        latencies.push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
        counters.record(&delivery, n);
        if first_error.is_none() && !delivery.verdict.is_success() {
            first_error = Some(
                delivery
                    .error
                    .or(delivery.answer.grpc_message)
                    .unwrap_or_else(|| format!("{:?}", delivery.verdict)),
            );
        }
    }
    (latencies, first_error)
}

/// Runs the plan; `on_progress` gets the spans sent so far about ten times a second.
pub async fn run(
    shape: &Shape,
    target: &Target,
    transport: &Transport,
    plan: &Plan,
    on_progress: impl Fn(u64),
) -> Result<LoadReport, String> {
    let per_request = shape.spans.max(1);
    let counters = Arc::new(Counters::default());
    let started = Instant::now();
    let end = crate::probe::later(started, plan.duration);
    let mut exporters = Vec::new();
    for _ in 0..plan.workers {
        match Exporter::connect(target, transport).await {
            Ok(exporter) => exporters.push(exporter),
            // Nothing was sent: the report says why, and the run counts as not accepted.
            Err(e) => {
                return Ok(LoadReport {
                    protocol: target.protocol.as_str(),
                    url: target.url.to_string(),
                    workers: plan.workers,
                    spans_per_request: per_request,
                    first_error: Some(format!("could not connect: {e}")),
                    ..LoadReport::default()
                });
            }
        }
    }
    let mut handles = Vec::new();
    for mut exporter in exporters {
        let target = target.clone();
        let counters = counters.clone();
        let shape = shape.clone();
        let transport = transport.clone();
        // Each worker sends its share of the rate, spacing requests evenly.
        let interval = (plan.rate > 0).then(|| {
            Duration::from_secs_f64(per_request as f64 * f64::from(plan.workers) / plan.rate as f64)
        });
        handles.push(tokio::spawn(async move {
            let job = Job {
                shape: &shape,
                target: &target,
                transport: &transport,
                interval,
                end,
            };
            work(&mut exporter, &job, &counters).await
        }));
    }
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    while handles.iter().any(|h| !h.is_finished()) {
        ticker.tick().await;
        on_progress(counters.sent.load(Ordering::Relaxed));
    }
    let mut latencies = Vec::new();
    let mut first_error = None;
    for h in handles {
        let (l, e) = h.await.map_err(|e| format!("a load worker failed: {e}"))?;
        latencies.extend(l);
        first_error = first_error.or(e);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let sent = counters.sent.load(Ordering::Relaxed);
    Ok(LoadReport {
        protocol: target.protocol.as_str(),
        url: target.url.to_string(),
        workers: plan.workers,
        spans_per_request: per_request,
        elapsed_s: (elapsed * 1000.0).round() / 1000.0,
        requests: counters.requests.load(Ordering::Relaxed),
        spans_sent: sent,
        spans_accepted: counters.accepted.load(Ordering::Relaxed),
        spans_rejected: counters.rejected.load(Ordering::Relaxed),
        spans_failed: counters.failed.load(Ordering::Relaxed),
        spans_per_second: (sent as f64 / elapsed.max(1e-9)).round(),
        latency_ms: Percentiles::of(latencies),
        first_error,
    })
}

impl LoadReport {
    pub fn is_clean(&self) -> bool {
        self.spans_sent > 0 && self.spans_accepted == self.spans_sent
    }
}
