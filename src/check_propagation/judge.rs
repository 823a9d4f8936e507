//! The verdicts: which spans and downstream calls belong to which request (a hop), whether every
//! verdict is decided yet, and the findings of each hop.

use super::calls::Call;
use super::catalog::{
    BAGGAGE_DROPPED, CONTEXT_LOST, LINKED_NOT_PARENTED, NO_SPANS, NOT_EXTRACTED, NOT_INJECTED,
    PARENT_REWRITTEN, PROPAGATOR_MISMATCH, SAMPLED_IGNORED, TRACESTATE_DROPPED, Verdict,
};
use super::inject::{Format, Sent};
use super::spans::{Span, Store};
use crate::report::{Draft, Finding};

/// What a request led to: its server span and downstream calls.
#[derive(Debug, Clone, Default)]
pub struct Hop {
    /// Index into the store's spans.
    pub server: Option<usize>,
    /// Indexes of the downstream calls.
    pub calls: Vec<usize>,
}

/// What the run looks at.
pub struct Inputs<'a> {
    pub sent: &'a [Sent],
    pub store: &'a Store,
    /// A span receiver or query URL was given.
    pub spans_on: bool,
    pub calls: &'a [Call],
    /// When the first request was sent (Unix nanoseconds): a server span that starts a trace of
    /// its own counts for a request only if it started after.
    pub since_unix_nano: u64,
}

fn hex32(id: u128) -> String {
    format!("{id:032x}")
}

fn hex16(id: u64) -> String {
    format!("{id:016x}")
}

/// Spans and calls per request: those in the request's trace first, then the others in arrival
/// order to the requests still without one.
pub fn assign(inputs: &Inputs<'_>, expect: usize) -> Vec<Hop> {
    let mut hops = vec![Hop::default(); inputs.sent.len()];
    let mut spare_calls = Vec::new();
    for (i, call) in inputs.calls.iter().enumerate() {
        let ours = call
            .seen
            .and_then(|s| inputs.sent.iter().position(|x| x.trace_id == s.trace_id));
        match ours {
            Some(h) => hops[h].calls.push(i),
            None => spare_calls.push(i),
        }
    }
    for i in spare_calls {
        let target = hops.iter().position(|h| h.calls.len() < expect.max(1));
        if let Some(h) = target.or(hops.len().checked_sub(1)) {
            hops[h].calls.push(i);
        }
    }
    let servers: Vec<usize> = (0..inputs.store.spans.len())
        .filter(|&i| {
            let s = &inputs.store.spans[i];
            s.is_server() || (s.kind == "unspecified" && s.parent_id.is_none())
        })
        .collect();
    let mut taken = Vec::new();
    for (h, sent) in inputs.sent.iter().enumerate() {
        let own = servers.iter().copied().find(|&i| {
            let s = &inputs.store.spans[i];
            s.trace_id == sent.trace_id && (s.parent_id == Some(sent.parent_id))
        });
        let own = own.or_else(|| {
            servers
                .iter()
                .copied()
                .find(|&i| inputs.store.spans[i].trace_id == sent.trace_id)
        });
        // Read back from a query service, spans have no kind: the child of the parent sent.
        let own = own.or_else(|| {
            inputs.store.spans.iter().position(|s| {
                s.kind == "unspecified"
                    && s.trace_id == sent.trace_id
                    && s.parent_id == Some(sent.parent_id)
            })
        });
        if let Some(i) = own {
            hops[h].server = Some(i);
            taken.push(i);
        }
    }
    let ours = |s: &Span| inputs.sent.iter().any(|x| x.trace_id == s.trace_id);
    for hop in &mut hops {
        if hop.server.is_some() {
            continue;
        }
        // A server span in a trace of its own: the one in the trace of this hop's calls, else
        // the first one that is nobody's.
        let call_traces: Vec<u128> = hop
            .calls
            .iter()
            .filter_map(|&c| inputs.calls[c].seen.map(|s| s.trace_id))
            .collect();
        let free = |i: &usize| {
            let s = &inputs.store.spans[*i];
            !taken.contains(i)
                && !ours(s)
                && s.parent_id.is_none()
                && s.start_unix_nano >= inputs.since_unix_nano
        };
        let found = servers
            .iter()
            .copied()
            .filter(free)
            .find(|&i| call_traces.contains(&inputs.store.spans[i].trace_id))
            .or_else(|| servers.iter().copied().find(free));
        if let Some(i) = found {
            hop.server = Some(i);
            taken.push(i);
        }
    }
    hops
}

/// Whether any request was sent sampled: a service that keeps its caller's decision exports no
/// span for the others, so only then must spans arrive (PRP009).
pub fn spans_expected(sent: &[Sent]) -> bool {
    sent.iter().any(|s| s.sampled)
}

/// Whether the spans of every hop are in: its server span, and the span each downstream call
/// names as its parent.
pub fn spans_complete(inputs: &Inputs<'_>, hops: &[Hop]) -> bool {
    inputs.sent.iter().zip(hops).all(|(sent, hop)| {
        sent.sampled
            && hop.server.is_some()
            && hop.calls.iter().all(|&c| match inputs.calls[c].seen {
                Some(s) => inputs.store.find(s.trace_id, s.parent_id).is_some(),
                None => true,
            })
    })
}

/// One hop's findings.
fn judge_hop(
    inputs: &Inputs<'_>,
    sent: &Sent,
    hop: &Hop,
    out: &mut Vec<(&'static Verdict, Draft)>,
) {
    let store = inputs.store;
    let trace = sent.trace_id;
    let server = hop.server.map(|i| &store.spans[i]);
    let subject = "the service";
    let ours = |d: Draft| {
        d.evidence("sent_trace_id", hex32(trace))
            .evidence("sent_parent_id", hex16(sent.parent_id))
    };
    let with_server = |d: Draft| match server {
        Some(s) => d
            .evidence("server_span_trace_id", hex32(s.trace_id))
            .evidence("server_span_parent_id", s.parent_id.map(hex16))
            .evidence("server_span", s.name.clone()),
        None => d,
    };
    let injected: Vec<&str> = sent.formats.iter().map(|f| f.as_str()).collect();
    let foreign_format = |c: &Call| {
        c.seen.is_some_and(|s| s.trace_id != trace)
            && !c
                .formats
                .iter()
                .any(|f| *f != "baggage" && injected.contains(f))
    };
    let calls: Vec<&Call> = hop.calls.iter().map(|&c| &inputs.calls[c]).collect();
    let server_ours = server.is_some_and(|s| s.trace_id == trace);
    let mismatch = calls.iter().copied().find(|c| foreign_format(c));
    // The way in.
    if let Some(c) = mismatch.filter(|_| !server_ours) {
        let other = c
            .formats
            .iter()
            .find(|f| **f != "baggage")
            .copied()
            .unwrap_or("another format");
        out.push((&PROPAGATOR_MISMATCH, with_server(ours(Draft::new(
            subject,
            format!(
                "the {} context sent was ignored and the downstream call carries {other} headers in another trace: the service's propagators do not read what it is sent",
                injected.join("+")
            ),
            format!(
                "set OTEL_PROPAGATORS={} on the service (add {other} if its other callers need it), or test the format it uses: --inject {other}",
                injected.join(",")
            ),
        ))).evidence("downstream_format", other).evidence("downstream_headers", c.headers_json())));
    } else if let Some(s) = server.filter(|s| s.trace_id != trace) {
        if s.links.iter().any(|(t, _)| *t == trace) {
            out.push((&LINKED_NOT_PARENTED, with_server(ours(Draft::new(
                subject,
                "the server span starts a new trace and only links to the trace sent",
                "parent the server span on the incoming context (the framework's extraction) instead of linking to it",
            )))));
        } else {
            out.push((&NOT_EXTRACTED, with_server(ours(Draft::new(
                subject,
                "the server span starts a new trace instead of continuing the trace sent",
                "instrument the server framework (or load its instrumentation before the app is created), and make any proxy in front forward traceparent",
            )))));
        }
    } else if server.is_none() {
        let new = calls
            .iter()
            .find(|c| c.seen.is_some_and(|s| s.trace_id != trace));
        if let Some(c) = new {
            let why = if inputs.spans_on {
                "no server span was exported and the downstream call carries a new trace id: the server does not extract the context"
            } else {
                "the downstream call carries a new trace id (without spans, a server that does not extract cannot be told from context lost inside the service: add --otlp-http to tell)"
            };
            out.push((&NOT_EXTRACTED, ours(Draft::new(
                subject,
                why,
                "instrument the server framework (or load its instrumentation before the app is created), and make any proxy in front forward traceparent",
            )).evidence("downstream_headers", c.headers_json())));
        }
    } else if let Some(s) = server.filter(|s| s.parent_id != Some(sent.parent_id)) {
        let known = s.parent_id.is_some_and(|p| store.find(trace, p).is_some());
        if !known {
            out.push((&PARENT_REWRITTEN, with_server(ours(Draft::new(
                subject,
                "the server span is in the trace sent but its parent is not the parent id sent: something in between rewrote it",
                "make the proxy in front forward traceparent unchanged, or export its spans where the service's go",
            )))));
        }
    }
    // The way out.
    if let Some(c) = calls.iter().find(|c| c.seen.is_none()) {
        out.push((&NOT_INJECTED, with_server(ours(Draft::new(
            subject,
            format!(
                "{} of {} downstream calls carry no trace context header",
                calls.iter().filter(|c| c.seen.is_none()).count(),
                calls.len()
            ),
            "instrument the HTTP client library the service calls downstream with (requests/urllib3, undici for fetch, otelhttp.NewTransport)",
        )))
        .evidence("downstream_headers", c.headers_json())));
    }
    for c in &calls {
        let Some(seen) = c.seen else { continue };
        if seen.trace_id != trace {
            if server_ours && !foreign_format(c) {
                let client = store.find(seen.trace_id, seen.parent_id);
                let mut d = with_server(ours(Draft::new(
                    subject,
                    "the server span continues the trace sent, but the downstream call belongs to another trace: the context was lost inside the service",
                    "carry the context into the code that calls downstream (thread pools, executors, goroutines, async tasks)",
                )))
                .evidence("downstream_trace_id", hex32(seen.trace_id))
                .evidence("downstream_parent_id", hex16(seen.parent_id));
                if let Some(span) = client {
                    d = d.evidence("client_span", span.name.clone());
                }
                out.push((
                    &CONTEXT_LOST,
                    d.evidence("downstream_headers", c.headers_json()),
                ));
            }
            continue;
        }
        if inputs.spans_on
            && sent.sampled
            && store.received > 0
            && store.find(trace, seen.parent_id).is_none()
        {
            out.push((&PARENT_REWRITTEN, ours(Draft::new(
                subject,
                "the downstream call's parent id is not a span the service exported",
                "make the proxy or sidecar between the service and its downstream forward traceparent unchanged, or export its spans where the service's go",
            ))
            .evidence("downstream_parent_id", hex16(seen.parent_id))
            .evidence("downstream_headers", c.headers_json())));
        }
        if seen.sampled.is_some_and(|s| s != sent.sampled) {
            out.push((
                &SAMPLED_IGNORED,
                ours(Draft::new(
                    subject,
                    format!(
                        "the request was sent {} but the downstream call says {}",
                        if sent.sampled {
                            "sampled"
                        } else {
                            "not sampled"
                        },
                        if sent.sampled {
                            "not sampled"
                        } else {
                            "sampled"
                        }
                    ),
                    "use a parent-based sampler: OTEL_TRACES_SAMPLER=parentbased_always_on",
                ))
                .evidence("downstream_headers", c.headers_json()),
            ));
        }
        if let Some(ts) = &sent.tracestate
            && sent.injects(Format::Tracecontext)
            && seen.format == "tracecontext"
        {
            let got = c.tracestate.clone().unwrap_or_default();
            let kept = ts
                .split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .all(|m| got.contains(m));
            if !kept {
                out.push((&TRACESTATE_DROPPED, ours(Draft::new(
                    subject,
                    "the downstream call continues the trace but lost the tracestate entries sent",
                    "use the W3C tracecontext propagator everywhere and make proxies forward tracestate",
                ))
                .evidence("sent_tracestate", ts.clone())
                .evidence("downstream_tracestate", c.tracestate.clone())));
            }
        }
        if !sent.baggage.is_empty() {
            let got = c.baggage.clone().unwrap_or_default();
            let members: Vec<&str> = got
                .split(',')
                .map(|m| m.split(';').next().unwrap_or_default().trim())
                .collect();
            let missing: Vec<String> = sent
                .baggage
                .iter()
                .filter(|(k, v)| {
                    !members.iter().any(|m| {
                        m.split_once('=')
                            .is_some_and(|(mk, mv)| mk.trim() == k && mv.trim() == v)
                    })
                })
                .map(|(k, _)| k.clone())
                .collect();
            if !missing.is_empty() {
                out.push((&BAGGAGE_DROPPED, ours(Draft::new(
                    subject,
                    format!("the downstream call continues the trace but lost the baggage sent ({})", missing.join(", ")),
                    "add the baggage propagator: OTEL_PROPAGATORS=tracecontext,baggage",
                ))
                .evidence("downstream_baggage", c.baggage.clone())));
            }
        }
    }
    if !sent.sampled && inputs.spans_on {
        let exported = store.in_trace(trace).count();
        if exported > 0 {
            out.push((&SAMPLED_IGNORED, ours(Draft::new(
                subject,
                format!("the request was sent not sampled, yet the service exported {exported} span(s) in its trace"),
                "use a parent-based sampler: OTEL_TRACES_SAMPLER=parentbased_always_on",
            ))));
        }
    }
}

/// Every finding, each verdict once (the first hop that showed it, with how many did).
pub fn judge(inputs: &Inputs<'_>, hops: &[Hop]) -> (Vec<Finding>, Vec<Vec<&'static str>>) {
    let mut all: Vec<(&'static Verdict, Draft, usize)> = Vec::new();
    let mut per_hop = Vec::new();
    let no_spans = inputs.spans_on && inputs.store.received == 0 && spans_expected(inputs.sent);
    if no_spans {
        all.push((&NO_SPANS, Draft::new(
            "the service",
            "no span arrived before the timeout, so the spans could not be checked",
            "run tracectl doctor with the service's environment to see why its exporter sends nothing here; with --exec, check that it reads OTEL_EXPORTER_OTLP_ENDPOINT",
        ), 1));
    }
    for (sent, hop) in inputs.sent.iter().zip(hops) {
        let mut out = Vec::new();
        judge_hop(inputs, sent, hop, &mut out);
        let mut ids = Vec::new();
        for (v, d) in out {
            if !ids.contains(&v.id) {
                ids.push(v.id);
            }
            match all.iter_mut().find(|(x, _, _)| x.id == v.id) {
                Some(entry) => entry.2 += 1,
                None => all.push((v, d, 1)),
            }
        }
        if no_spans {
            ids.push(NO_SPANS.id);
        }
        per_hop.push(ids);
    }
    all.sort_by_key(|(v, _, _)| v.id);
    let findings = all
        .into_iter()
        .map(|(v, d, n)| {
            let d = if inputs.sent.len() > 1 {
                d.evidence("requests_showing_it", n)
            } else {
                d
            };
            Finding::of(v.rule(), d)
        })
        .collect();
    (findings, per_hop)
}

#[cfg(test)]
mod tests;
