//! One run: start the receivers, the recorder and maybe the service, send the requests, collect
//! spans and downstream calls until every verdict is decided (or --timeout), then judge.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant, SystemTime};

use url::Url;

use super::calls::Call;
use super::downstream::{self, Recorder};
use super::exec::{Exec, Service};
use super::inject::{self, Sent};
use super::judge::{self, Hop, Inputs};
use super::readback::read_back;
use super::request::{client, exec_env, send_all, wait_ready};
use super::spans::Store;
use crate::listen::Listener;
use crate::listen::budget::Budget;
use crate::listen::conn::{HEAD_TIMEOUT, Timeouts};
use crate::listen::output::Renderer;
use crate::listen::run::{Options as Receiving, Plan, start};
use crate::listen::sink::{Event, QUEUE, Sink};
use crate::report::Finding;
use crate::send::Verify;

/// Once spans have arrived, the run ends when nothing more arrived for this long even if some
/// expected span is still missing (a broken service never sends it).
pub const SETTLE: Duration = Duration::from_millis(500);
/// How often the run looks whether every verdict is decided.
pub const POLL: Duration = Duration::from_millis(20);

/// `--exec` and what goes with it.
#[derive(Debug, Clone)]
pub struct ExecPlan {
    pub argv: Vec<String>,
    pub downstream_env: String,
    pub ready: Option<Url>,
}

/// Everything the command line asks.
#[derive(Debug, Clone)]
pub struct Options {
    pub url: Url,
    pub method: reqwest::Method,
    pub headers: Vec<(String, String)>,
    pub data: Option<String>,
    pub requests: u32,
    pub inject: inject::Plan,
    pub downstream: Option<SocketAddr>,
    pub expect_downstream: u32,
    pub otlp_grpc: Option<SocketAddr>,
    pub otlp_http: Option<SocketAddr>,
    pub exec: Option<ExecPlan>,
    /// `--query-url`: read the spans back from a Jaeger query service.
    pub query: Option<Verify>,
    pub timeout: Duration,
}

/// What one request got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Status(u16),
    Failed(String),
}

/// Everything a run saw and decided.
#[derive(Debug)]
pub struct Outcome {
    pub url: String,
    pub method: String,
    pub sent: Vec<Sent>,
    pub answers: Vec<Answer>,
    pub hops: Vec<Hop>,
    pub per_hop: Vec<Vec<&'static str>>,
    pub store: Store,
    pub calls: Vec<Call>,
    pub counts: Option<downstream::Counts>,
    pub findings: Vec<Finding>,
    /// What could not be checked, as sentences.
    pub unchecked: Vec<String>,
    /// Expected downstream calls that never came.
    pub missing_calls: u64,
    /// Time from start to the verdict.
    pub elapsed: Duration,
    /// Time from sending the first request to the verdict.
    pub after_request: Duration,
    pub receivers: Vec<(Listener, SocketAddr)>,
    /// Spans were looked at (a receiver or a query URL).
    pub spans_on: bool,
    /// Where the downstream recorder listened.
    pub recorder: Option<SocketAddr>,
}

/// An error that ends the run with exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Fatal(pub String);

fn receivers(o: &Options) -> Vec<(Listener, SocketAddr)> {
    let mut out = Vec::new();
    if let Some(a) = o.otlp_grpc {
        out.push((Listener::OtlpGrpc, a));
    }
    if let Some(a) = o.otlp_http {
        out.push((Listener::OtlpHttp, a));
    }
    out
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// listen's receivers as this check runs them: JSON events, at most 64 connections each, listen's
/// memory budget and timeouts, answering as listen does by default.
fn receiving() -> Receiving {
    Receiving {
        renderer: Renderer::Json,
        count: None,
        duration: None,
        skew_threshold: Duration::from_millis(100),
        summary_every: Duration::from_secs(3600),
        max_connections: 64,
        max_memory: usize::try_from(crate::listen::DEFAULT_MAX_MEMORY).unwrap_or(usize::MAX),
        timeouts: Timeouts {
            head: HEAD_TIMEOUT,
            idle: Duration::from_secs(30),
        },
        strict: false,
        fail_on: crate::rule::Severity::Error,
    }
}

/// Stops the `--exec` service's process group on a blocking thread: stopping waits up to 500 ms
/// for it to exit, which must not hold a runtime thread.
async fn stop(mut service: Service) {
    let _ = tokio::task::spawn_blocking(move || service.stop(Duration::from_millis(500))).await;
}

/// Runs the check. `Err(Fatal)` is exit code 2.
pub async fn run(o: Options) -> Result<Outcome, Fatal> {
    let started = Instant::now();
    let deadline = started + o.timeout;
    let wanted = receivers(&o);
    let receiving = receiving();
    let budget = Budget::new(receiving.request_memory());
    let (sink, mut rx) = Sink::channel(QUEUE, Renderer::Json, budget);
    let plan = Plan {
        bind: IpAddr::from([127, 0, 0, 1]),
        listeners: wanted.clone(),
    };
    let (bound, failed, servers) = start(&plan, &sink, &receiving).await;
    if let Some(f) = failed.first() {
        return Err(Fatal(format!(
            "the {} receiver could not start on {}: {}",
            f.listener,
            f.address,
            // listen's advice names its own --only; here the flag takes another port or 0.
            f.error.replace(
                "move this listener with its flag or leave it out of --only",
                &format!("give --{} another port, or 0 for a free one", f.listener)
            )
        )));
    }
    let bound: Vec<(Listener, SocketAddr)> =
        bound.iter().map(|b| (b.listener, b.address)).collect();
    let recorder = match o.downstream {
        Some(a) => Some(Recorder::start(a).await.map_err(|e| {
            Fatal(format!(
                "the --downstream recorder could not start on {a}: {}",
                crate::text::io_reason(&e)
            ))
        })?),
        None => None,
    };
    let client = client()?;
    let mut service = match &o.exec {
        Some(plan) => {
            let env = exec_env(plan, &bound, recorder.as_ref());
            let mut service = Service::start(&Exec {
                argv: plan.argv.clone(),
                env,
            })
            .map_err(Fatal)?;
            if let Some(ready) = &plan.ready
                && let Err(e) = wait_ready(&client, ready, &mut service, deadline).await
            {
                stop(service).await;
                return Err(e);
            }
            Some(service)
        }
        None => None,
    };
    let now = now_unix();
    let since_unix_nano = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    let sent: Vec<Sent> = (0..o.requests.max(1))
        .map(|_| inject::build(&o.inject, now))
        .collect();
    let sending = Instant::now();
    let retry = o.exec.as_ref().is_some_and(|e| e.ready.is_none());
    let mut requests = tokio::spawn(send_all(client, o.clone(), sent.clone(), deadline, retry));
    let mut answers = None;
    let mut store = Store::default();
    let mut last = Instant::now();
    let spans_on = !bound.is_empty() || o.query.is_some();
    let expect_calls = u64::from(o.expect_downstream) * sent.len() as u64;
    loop {
        tokio::select! {
            event = rx.recv() => {
                if let Some(Event::Spans { received, .. }) = event {
                    store.add(&received);
                    last = Instant::now();
                }
            }
            done = &mut requests, if answers.is_none() => {
                answers = Some(done.unwrap_or_else(|e| vec![Answer::Failed(e.to_string())]));
                last = Instant::now();
            }
            () = tokio::time::sleep(POLL) => {}
        }
        if Instant::now() >= deadline {
            break;
        }
        let Some(answered) = &answers else { continue };
        if answered.iter().any(|a| matches!(a, Answer::Failed(_))) {
            break;
        }
        let (records, counts) = recorder
            .as_ref()
            .map(Recorder::snapshot)
            .unwrap_or_default();
        if recorder.is_some() && counts.requests + counts.oversize < expect_calls {
            continue;
        }
        if bound.is_empty() {
            break;
        }
        let calls: Vec<Call> = records.iter().map(Call::read).collect();
        let inputs = Inputs {
            sent: &sent,
            store: &store,
            spans_on,
            calls: &calls,
            since_unix_nano,
        };
        let hops = judge::assign(&inputs, o.expect_downstream as usize);
        let quiet =
            (store.received > 0 || !judge::spans_expected(&sent)) && last.elapsed() >= SETTLE;
        if judge::spans_complete(&inputs, &hops) || quiet {
            break;
        }
    }
    let answered = answers
        .as_ref()
        .is_some_and(|a| a.iter().all(|x| matches!(x, Answer::Status(_))));
    if let (Some(v), true) = (&o.query, answered) {
        let calls: Vec<Call> = recorder
            .as_ref()
            .map(|r| r.snapshot().0.iter().map(Call::read).collect())
            .unwrap_or_default();
        let wanted = (o.expect_downstream as usize, since_unix_nano, deadline);
        read_back(v, &sent, &calls, wanted, &mut store).await?;
    }
    let elapsed = started.elapsed();
    let after_request = sending.elapsed();
    while let Ok(event) = rx.try_recv() {
        if let Event::Spans { received, .. } = event {
            store.add(&received);
        }
    }
    if let Some(s) = service.take() {
        stop(s).await;
    }
    servers.stop().await;
    if answers.is_none() {
        requests.abort();
    }
    let answers = answers.unwrap_or_else(|| {
        vec![Answer::Failed(format!(
            "no answer within --timeout ({})",
            humantime::format_duration(o.timeout)
        ))]
    });
    if let Some(Answer::Failed(why)) = answers.iter().find(|a| matches!(a, Answer::Failed(_))) {
        return Err(Fatal(format!(
            "the service never answered: {} {}: {why}",
            o.method, o.url
        )));
    }
    let (records, counts) = match &recorder {
        Some(r) => {
            let (records, counts) = r.snapshot();
            (records, Some(counts))
        }
        None => (Vec::new(), None),
    };
    let calls: Vec<Call> = records.iter().map(Call::read).collect();
    let inputs = Inputs {
        sent: &sent,
        store: &store,
        spans_on,
        calls: &calls,
        since_unix_nano,
    };
    let hops = judge::assign(&inputs, o.expect_downstream as usize);
    let (findings, per_hop) = judge::judge(&inputs, &hops);
    let mut unchecked = Vec::new();
    if !spans_on {
        unchecked.push("spans: no --otlp-grpc, --otlp-http or --query-url, so whether the server span continues the trace (PRP001 and PRP010 from spans, PRP003, PRP005, PRP006, PRP009) was not checked".to_owned());
    }
    if recorder.is_none() {
        unchecked.push("downstream calls: no --downstream, so injection (PRP002, PRP004, PRP007, PRP008) was not checked".to_owned());
    }
    let arrived = counts.map_or(0, |c| c.requests + c.oversize);
    let missing_calls = if recorder.is_some() {
        expect_calls.saturating_sub(arrived)
    } else {
        0
    };
    if missing_calls > 0 {
        unchecked.push(format!(
            "{missing_calls} of {expect_calls} expected downstream calls never arrived at {}: is the service configured to call it?",
            recorder.as_ref().map(Recorder::url).unwrap_or_default()
        ));
    }
    if store.forgotten > 0 {
        unchecked.push(format!(
            "{} spans were over the limit of {} kept and were only counted",
            store.forgotten,
            super::spans::MAX_SPANS
        ));
    }
    if let Some(c) = counts.filter(|c| c.oversize > 0 || c.requests > c.kept) {
        unchecked.push(format!(
            "the downstream recorder kept the headers of {} of {} calls ({} refused for headers over {} KiB)",
            c.kept, c.requests + c.oversize, c.oversize, downstream::MAX_HEAD / 1024
        ));
    }
    Ok(Outcome {
        url: o.url.to_string(),
        method: o.method.to_string(),
        sent,
        answers,
        hops,
        per_hop,
        store,
        calls,
        counts,
        findings,
        unchecked,
        missing_calls,
        elapsed,
        after_request,
        receivers: bound,
        spans_on,
        recorder: recorder.as_ref().map(|r| r.address),
    })
}
