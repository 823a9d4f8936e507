//! Binds the listeners, then shows what arrives until --count spans arrived, --duration passed,
//! or Ctrl-C.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::net::{TcpListener, UdpSocket};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};

use super::budget::Budget;
use super::conn::Timeouts;
use super::diagnosis::Diagnoser;
use super::http::{self, Ctx};
use super::limit::LimitedListener;
use super::output::{Bound, End, Failed, Renderer, Stats};
use super::sink::{Event, QUEUE, Sink};
use super::{Counts, Listener, jaeger_http, jaeger_udp, otlp_grpc, otlp_http, zipkin};
use crate::exit::ExitCode;
use crate::probe::deadline_in;
use crate::report::Finding;
use crate::rule::Severity;

/// Where each enabled listener binds.
#[derive(Debug, Clone)]
pub struct Plan {
    pub bind: IpAddr,
    pub listeners: Vec<(Listener, SocketAddr)>,
}

/// Parses a listener's address: `off`, a port (on the bind address), or `HOST:PORT` with an IP
/// or `localhost`. `Ok(None)` means disabled.
pub fn parse_addr(text: &str, bind: IpAddr) -> Result<Option<SocketAddr>, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    if let Ok(port) = text.parse::<u16>() {
        return Ok(Some(SocketAddr::new(bind, port)));
    }
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(Some(addr));
    }
    if let Some(port) = text
        .strip_prefix("localhost:")
        .and_then(|p| p.parse::<u16>().ok())
    {
        return Ok(Some(SocketAddr::from(([127, 0, 0, 1], port))));
    }
    Err(format!(
        "`{text}` is not an address to listen on; write a port (4317), IP:PORT (127.0.0.1:4317, [::1]:4317) or off"
    ))
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub renderer: Renderer,
    pub count: Option<u64>,
    pub duration: Option<Duration>,
    pub skew_threshold: Duration,
    pub summary_every: Duration,
    /// The most TCP connections each listener holds open at once.
    pub max_connections: usize,
    /// The memory budget: 5/8 for requests in flight and queued, 3/8 for the parent/child checks.
    pub max_memory: usize,
    /// How long connections may go without a request, or idle after one.
    pub timeouts: Timeouts,
    /// Answer traffic for another protocol as a real receiver would.
    pub strict: bool,
    /// The lowest severity of a finding that makes listen exit 1.
    pub fail_on: Severity,
}

impl Options {
    /// The bytes requests in flight and queued may hold.
    pub fn request_memory(&self) -> usize {
        self.max_memory / 8 * 5
    }

    /// The bytes the parent/child checks may hold.
    pub fn lineage_memory(&self) -> usize {
        self.max_memory / 8 * 3
    }
}

fn bind_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => "the address is already in use (a collector, a Jaeger agent or another tracectl listen?); move this listener with its flag or leave it out of --only".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied (ports below 1024 need privileges); pick another port".into(),
        std::io::ErrorKind::AddrNotAvailable => "no local interface has that address".into(),
        _ => e.to_string(),
    }
}

/// The TCP servers started, and how to stop them.
pub struct Servers {
    tasks: Vec<JoinHandle<()>>,
    stop: watch::Sender<bool>,
}

impl Servers {
    /// Stops accepting and lets the requests in flight be answered, for at most [`STOP_GRACE`]:
    /// a sender whose spans completed --count still gets its answer.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(STOP_GRACE, futures_util::future::join_all(self.tasks)).await;
    }
}

/// How long requests in flight have to be answered once listen stops.
const STOP_GRACE: Duration = Duration::from_millis(500);

/// Binds every listener of `plan`, feeding `sink`: what bound, what failed, and the servers.
pub async fn start(
    plan: &Plan,
    sink: &Sink,
    options: &Options,
) -> (Vec<Bound>, Vec<Failed>, Servers) {
    let (stop_tx, stop) = watch::channel(false);
    let mut servers = Vec::new();
    let mut bound = Vec::new();
    let mut failed = Vec::new();
    for &(listener, address) in &plan.listeners {
        let result = if listener.udp() {
            UdpSocket::bind(address).await.and_then(|socket| {
                let local = socket.local_addr()?;
                tokio::spawn(jaeger_udp::serve(
                    socket,
                    listener,
                    sink.clone(),
                    options.strict,
                ));
                Ok(local)
            })
        } else {
            TcpListener::bind(address).await.and_then(|tcp| {
                let local = tcp.local_addr()?;
                let ctx = Ctx {
                    listener,
                    port: local.port(),
                    sink: sink.clone(),
                    strict: options.strict,
                };
                let tcp = LimitedListener::new(
                    tcp,
                    options.max_connections,
                    options.timeouts,
                    sink.clone(),
                );
                match listener {
                    Listener::OtlpGrpc => {
                        servers.push(tokio::spawn(otlp_grpc::serve(
                            tcp,
                            sink.clone(),
                            stop.clone(),
                        )));
                    }
                    Listener::OtlpHttp => {
                        servers.push(tokio::spawn(http::serve(
                            tcp,
                            ctx,
                            otlp_http::handler,
                            stop.clone(),
                        )));
                    }
                    Listener::JaegerHttp => {
                        servers.push(tokio::spawn(http::serve(
                            tcp,
                            ctx,
                            jaeger_http::handler,
                            stop.clone(),
                        )));
                    }
                    _ => {
                        servers.push(tokio::spawn(http::serve(
                            tcp,
                            ctx,
                            zipkin::handler,
                            stop.clone(),
                        )));
                    }
                }
                Ok(local)
            })
        };
        match result {
            Ok(local) => bound.push(Bound {
                listener,
                transport: if listener.udp() { "udp" } else { "tcp" },
                address: local,
                port: local.port(),
            }),
            Err(e) => failed.push(Failed {
                listener,
                address,
                error: bind_error(&e),
            }),
        }
    }
    (
        bound,
        failed,
        Servers {
            tasks: servers,
            stop: stop_tx,
        },
    )
}

/// Runs until a stop condition; the exit code says whether the expected spans arrived.
pub async fn run(
    plan: &Plan,
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let budget = Budget::new(options.request_memory());
    let (sink, mut rx) = Sink::channel(QUEUE, options.renderer, budget);
    let (bound, failed, servers) = start(plan, &sink, &options).await;
    let r = options.renderer;
    r.banner(&plan.bind.to_string(), &bound, &failed, err)?;
    if bound.is_empty() {
        anyhow::bail!(
            "no listener could start: {}",
            failed
                .iter()
                .map(|f| format!("{} on {}: {}", f.listener, f.address, f.error))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let expected = options.count.unwrap_or(1);
    let deadline = options.duration.map(deadline_in);
    let mut tick =
        tokio::time::interval_at(deadline_in(options.summary_every), options.summary_every);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut diagnoser = Diagnoser::new(options.skew_threshold)
        .with_ports(bound.iter().map(|b| (b.listener, b.port)).collect())
        .with_memory(options.lineage_memory());
    let mut stats = Stats::default();
    let mut shown = Shown::default();
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let reason = loop {
        tokio::select! {
            event = rx.recv() => {
                let Some(event) = event else { break "closed" };
                handle(event, r, &mut diagnoser, &mut stats, &mut shown, out, err)?;
                if rx.is_empty() {
                    out.flush()?;
                }
                if options.count.is_some_and(|n| stats.spans >= n) {
                    break "count";
                }
            }
            () = sleep_until(deadline) => {
                drain(&mut rx, r, &mut diagnoser, &mut stats, &mut shown, out, err)?;
                break "duration";
            }
            _ = &mut ctrl_c => break "interrupted",
            _ = tick.tick() => {
                let counts = counts(&sink, &diagnoser);
                for f in diagnoser.orphans(false).iter().chain(diagnoser.dropped(&counts).iter()) {
                    shown.finding(f, r, out, err)?;
                }
                if stats.spans != shown.summary.0 {
                    shown.summary(&stats, &counts, r, out, err)?;
                }
            }
        }
    };
    servers.stop().await;
    if reason != "count" {
        drain(&mut rx, r, &mut diagnoser, &mut stats, &mut shown, out, err)?;
    }
    let counts = counts(&sink, &diagnoser);
    for f in diagnoser
        .orphans(reason != "count")
        .iter()
        .chain(diagnoser.dropped(&counts).iter())
    {
        shown.finding(f, r, out, err)?;
    }
    // Once: not again when the last periodic summary already said the same.
    if shown.summary != (stats.spans, Some(counts)) {
        shown.summary(&stats, &counts, r, out, err)?;
    }
    let failing = shown.failing(options.fail_on);
    let ok = stats.spans >= expected && failing == 0;
    let end = End {
        reason,
        spans: stats.spans,
        expected,
        failing,
        fail_on: options.fail_on,
        ok,
    };
    r.stopped(&end, err)?;
    Ok(if ok { ExitCode::Ok } else { ExitCode::Findings })
}

/// What was shown so far: findings by severity, and the last summary's figures.
#[derive(Debug, Default)]
struct Shown {
    /// Findings shown per severity: info, warning, error.
    findings: [u64; 3],
    summary: (u64, Option<Counts>),
}

fn rank(s: Severity) -> usize {
    match s {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

impl Shown {
    fn finding(
        &mut self,
        f: &Finding,
        r: Renderer,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> anyhow::Result<()> {
        if let Some(n) = self.findings.get_mut(rank(f.severity)) {
            *n += 1;
        }
        r.finding(f, out, err)?;
        Ok(())
    }

    fn summary(
        &mut self,
        stats: &Stats,
        counts: &Counts,
        r: Renderer,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> anyhow::Result<()> {
        self.summary = (stats.spans, Some(*counts));
        r.summary(stats, counts, out, err)?;
        Ok(())
    }

    /// Findings at or above `level`.
    fn failing(&self, level: Severity) -> u64 {
        self.findings.iter().skip(rank(level)).sum()
    }
}

fn counts(sink: &Sink, diagnoser: &Diagnoser) -> Counts {
    Counts {
        forgotten_spans: diagnoser.forgotten(),
        unreported_findings: diagnoser.unreported(),
        ..sink.counts()
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

fn handle(
    event: Event,
    r: Renderer,
    diagnoser: &mut Diagnoser,
    stats: &mut Stats,
    shown: &mut Shown,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    match event {
        Event::Spans { received, text, .. } => {
            out.write_all(text.as_bytes())?;
            received.batch.for_each(|span| stats.add(&span));
            for f in diagnoser.spans(&received) {
                shown.finding(&f, r, out, err)?;
            }
        }
        Event::Observation(o) => {
            if let Some(f) = diagnoser.observation(&o) {
                shown.finding(&f, r, out, err)?;
            }
        }
    }
    Ok(())
}

/// Shows what is already queued.
fn drain(
    rx: &mut mpsc::Receiver<Event>,
    r: Renderer,
    diagnoser: &mut Diagnoser,
    stats: &mut Stats,
    shown: &mut Shown,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    while let Ok(event) = rx.try_recv() {
        handle(event, r, diagnoser, stats, shown, out, err)?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_ports_ip_ports_or_off() {
        let lo = IpAddr::from([127, 0, 0, 1]);
        assert_eq!(parse_addr("off", lo), Ok(None));
        assert_eq!(
            parse_addr("4317", lo),
            Ok(Some("127.0.0.1:4317".parse().unwrap()))
        );
        assert_eq!(
            parse_addr("0.0.0.0:1", lo),
            Ok(Some("0.0.0.0:1".parse().unwrap()))
        );
        assert_eq!(
            parse_addr("[::1]:2", lo),
            Ok(Some("[::1]:2".parse().unwrap()))
        );
        assert_eq!(
            parse_addr("localhost:3", lo),
            Ok(Some("127.0.0.1:3".parse().unwrap()))
        );
        assert!(
            parse_addr("example.com:1", lo)
                .unwrap_err()
                .contains("IP:PORT")
        );
    }
}
