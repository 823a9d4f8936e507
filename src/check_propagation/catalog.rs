//! The catalogue of `check-propagation`'s verdicts: every [`Verdict`] with its stable `PRP` id,
//! name, severity and explanation (the source of `tracectl explain PRP001` and
//! docs/check-propagation/), in id order.

use crate::rule::Listed;

/// Verdicts are rules listed in this catalogue.
pub type Verdict = Listed;

macro_rules! verdict {
    ($($entry:tt)*) => {
        crate::rule::listed!(TracePropagation, Service, "docs/check-propagation"; $($entry)*);
    };
}

verdict!(NOT_EXTRACTED, "PRP001", "not-extracted", Error,
    "The service continues the trace it receives",
    checks: "check-propagation sends a request with a fresh trace context. The service's server span must carry that trace id with the parent id sent; without spans, the downstream call must carry that trace id.",
    why: "A server that does not extract the incoming headers starts a new trace for every request: the caller's trace ends at the service and the service's work shows as an unrelated trace. Usual causes: the server framework is not instrumented (no middleware), the instrumentation is loaded after the app was created, or a proxy in front strips the headers.",
    fix: "Instrument the server framework (opentelemetry-instrumentation-flask/-wsgi/-django, @opentelemetry/instrumentation-http, otelhttp.NewHandler) and load it before the app is built; if a proxy sits in front, make it forward traceparent, tracestate and baggage.",
    example: "tracectl check-propagation --downstream 9100 --otlp-http 4318 http://localhost:8080/   # a Flask app without FlaskInstrumentor");

verdict!(NOT_INJECTED, "PRP002", "not-injected", Error,
    "Outgoing calls carry the trace context",
    checks: "Every request the service makes to the --downstream recorder: it must carry a trace context header (traceparent, b3, X-B3-*, uber-trace-id, X-Amzn-Trace-Id or Datadog).",
    why: "An HTTP client that does not inject the context ends the trace at the service: every service called from it starts a new trace. Usual causes: the client library has no instrumentation (Python requests or urllib3 without its instrumentor, Node's global fetch without the undici instrumentation, a Go http.Client without otelhttp.NewTransport).",
    fix: "Instrument the HTTP client library the service uses (opentelemetry-instrumentation-requests, @opentelemetry/instrumentation-undici for fetch, otelhttp.NewTransport), or inject by hand with the global propagator.",
    example: "node --require ./tracing.js app.js   # calls downstream with fetch(); only the http instrumentation is loaded");

verdict!(CONTEXT_LOST, "PRP003", "context-lost-in-service", Error,
    "The context reaches the code that calls downstream",
    checks: "The server span continues the trace sent, but the client span or the downstream call belongs to another trace.",
    why: "The service extracted the context but lost it before the outgoing call: work handed to a thread pool, goroutine, executor, callback or async task without the current context starts a new trace.",
    fix: "Carry the context into the worker: contextvars.copy_context().run or the threading instrumentation in Python, context.Context passed to goroutines in Go, Context.taskWrapping or the executor instrumentation in Java, AsyncLocalStorage-aware libraries in Node.",
    example: "executor.submit(requests.get, url)   # Python thread pool without opentelemetry-instrumentation-threading");

verdict!(PROPAGATOR_MISMATCH, "PRP004", "propagator-mismatch", Error,
    "The service reads and writes the format it is sent",
    checks: "The formats injected (--inject) against the formats that arrive downstream: when the service ignores the context sent and another format, in another trace, arrives downstream, its propagators do not include the format sent.",
    why: "Services in one trace must agree on the header format. A mesh on B3 and an app on W3C (or the reverse) each start new traces at every hop.",
    fix: "Make the service read the format its callers send: OTEL_PROPAGATORS=tracecontext,baggage (or add b3multi, jaeger, xray …), or test with the format it uses: --inject b3multi.",
    example: "OTEL_PROPAGATORS=b3multi python app.py   # callers send traceparent");

verdict!(PARENT_REWRITTEN, "PRP005", "parent-rewritten", Warning,
    "Parent ids point at spans the service exported",
    checks: "The parent id of the server span must be the one sent, and the parent id of each downstream call must be a span the service exported in the same trace.",
    why: "Something between the hops (a proxy, a mesh sidecar, a gateway) re-parents the trace with spans it does not export where the others go: the trace shows missing parents and orphaned subtrees.",
    fix: "Make the proxy forward the headers unchanged, or export its spans to the same backend so the parents it creates exist.",
    example: "a proxy that sets a new parent id in traceparent without exporting a span");

verdict!(LINKED_NOT_PARENTED, "PRP006", "linked-not-parented", Warning,
    "The service parents its span on the caller's span",
    checks: "A server span in a new trace that links to the trace and span sent instead of being its child.",
    why: "Linking starts a separate trace for each request: the caller's trace view stops at the call. Messaging instrumentation and some frameworks do this on purpose; for a synchronous HTTP call it is usually a misconfiguration.",
    fix: "Use the framework's parent-based extraction for synchronous calls; keep links for batch and messaging consumers.",
    example: "a handler that starts its span with links=[incoming context] and no parent");

verdict!(TRACESTATE_DROPPED, "PRP007", "tracestate-dropped", Warning,
    "tracestate travels with traceparent",
    checks: "With --tracestate, every downstream call in the trace sent must carry the tracestate entries sent.",
    why: "Vendors keep sampling and routing data in tracestate; a hop that drops it breaks their decisions downstream.",
    fix: "Use the W3C tracecontext propagator everywhere (it keeps tracestate), and make proxies forward the tracestate header.",
    example: "a hand-written propagator that copies only traceparent");

verdict!(BAGGAGE_DROPPED, "PRP008", "baggage-dropped", Warning,
    "Baggage travels with the trace",
    checks: "When baggage is injected (--inject baggage, the default), every downstream call in the trace sent must carry the baggage members sent.",
    why: "Baggage carries request-scoped values (tenant, feature flags) across services; a service whose propagators lack baggage silently drops them.",
    fix: "Add the baggage propagator: OTEL_PROPAGATORS=tracecontext,baggage (the SDK default).",
    example: "OTEL_PROPAGATORS=tracecontext python app.py");

verdict!(NO_SPANS, "PRP009", "no-spans-exported", Error,
    "The service exports its spans",
    checks: "With --otlp-grpc, --otlp-http or --query-url: at least one span of the service arrives before --timeout.",
    why: "Without spans the trace cannot be checked at all, and the backend shows nothing for this service: the exporter is off, pointed elsewhere, speaking the wrong protocol, or the spans are held in a batch longer than the timeout.",
    fix: "Run tracectl doctor with the service's environment to find what is wrong with its exporter; with --exec, check that the service reads OTEL_EXPORTER_OTLP_ENDPOINT.",
    example: "OTEL_TRACES_EXPORTER=none python app.py");

verdict!(SAMPLED_IGNORED, "PRP010", "sampled-flag-not-respected", Warning,
    "The service keeps the caller's sampling decision",
    checks: "The sampled flag sent (--sampled) against the flag on the downstream calls, and, for a not-sampled request, whether the service still exported spans in that trace.",
    why: "Sampling must be decided once, at the root: a service that ignores the parent's decision makes incomplete traces (spans missing above or below it) and costs storage for traces nobody keeps.",
    fix: "Use a parent-based sampler: OTEL_TRACES_SAMPLER=parentbased_always_on or parentbased_traceidratio.",
    example: "OTEL_TRACES_SAMPLER=always_on python app.py   # records and exports requests sent with flags 00");

/// Every verdict, in id order.
pub static VERDICTS: &[&Verdict] = &[
    &NOT_EXTRACTED,
    &NOT_INJECTED,
    &CONTEXT_LOST,
    &PROPAGATOR_MISMATCH,
    &PARENT_REWRITTEN,
    &LINKED_NOT_PARENTED,
    &TRACESTATE_DROPPED,
    &BAGGAGE_DROPPED,
    &NO_SPANS,
    &SAMPLED_IGNORED,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_in_order_and_every_verdict_is_explained() {
        for (i, v) in VERDICTS.iter().enumerate() {
            assert_eq!(v.id, format!("PRP{:03}", i + 1));
            let e = &v.explanation;
            for text in [e.checks, e.why, e.fix, e.example, v.title] {
                assert!(!text.trim().is_empty(), "{}", v.id);
            }
            let found = crate::registry::find_rule(&v.name.to_uppercase()).unwrap();
            assert_eq!(found.id, v.id);
        }
    }
}
