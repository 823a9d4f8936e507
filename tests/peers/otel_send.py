"""Send one small trace with the official OpenTelemetry Python SDK and report what was sent.

Run with .peers/venv/bin/python. Prints one JSON object to stdout (see README.md).
Exit code 0 when the export succeeded, 1 when it failed, 2 on the watchdog.
"""
import argparse
import base64
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from google.protobuf.json_format import MessageToDict
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import SpanKind, set_span_in_context


def to_otlp_json(request):
    """ExportTraceServiceRequest -> OTLP/JSON dict (camelCase keys, enums as ints,
    int64 as strings, ids as lowercase hex instead of protobuf JSON's base64)."""
    doc = MessageToDict(request, use_integers_for_enums=True)
    ids = ("traceId", "spanId", "parentSpanId")

    def hexify(obj):
        for key in ids:
            if key in obj:
                obj[key] = base64.b64decode(obj[key]).hex()

    for rs in doc.get("resourceSpans", []):
        for ss in rs.get("scopeSpans", []):
            for span in ss.get("spans", []):
                hexify(span)
                for link in span.get("links", []):
                    hexify(link)
    return doc


class JsonHttpExporter(SpanExporter):
    """OTLP/HTTP with a JSON body: the SDK's own protobuf encoder, posted with urllib."""

    def __init__(self, url, timeout, headers, log):
        self.url, self.timeout, self.headers, self.log = url, timeout, headers, log

    def export(self, spans):
        body = json.dumps(to_otlp_json(encode_spans(spans))).encode()
        req = urllib.request.Request(self.url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **self.headers})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
            return SpanExportResult.SUCCESS
        except urllib.error.HTTPError as e:
            self.log.error("HTTP %s from %s: %s", e.code, self.url, e.read()[:200].decode("utf-8", "replace"))
        except Exception as e:  # connection refused, timeout, bad URL ...
            self.log.error("POST %s failed: %s", self.url, e)
        return SpanExportResult.FAILURE


class Recorder(SpanExporter):
    """Wraps the real exporter and remembers every export result."""

    def __init__(self, inner):
        self.inner, self.results = inner, []

    def export(self, spans):
        result = self.inner.export(spans)
        self.results.append(result)
        return result

    def shutdown(self):
        self.inner.shutdown()


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage().splitlines()[0])


def make_exporter(args, log):
    headers = dict(h.split("=", 1) for h in args.header)
    if args.protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.exporter import Compression
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
        comp = Compression.Gzip if args.compression == "gzip" else Compression.NoCompression
        return OTLPSpanExporter(endpoint=args.endpoint, insecure=True, timeout=args.timeout,
                                headers=headers or None, compression=comp)
    url = args.endpoint
    if urllib.parse.urlparse(url).path in ("", "/"):
        url = url.rstrip("/") + "/v1/traces"
    if args.protocol == "http/protobuf":
        from opentelemetry.exporter.otlp.proto.http import Compression
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        comp = Compression.Gzip if args.compression == "gzip" else Compression.NoCompression
        return OTLPSpanExporter(endpoint=url, timeout=args.timeout, headers=headers, compression=comp)
    return JsonHttpExporter(url, args.timeout, headers, log)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--endpoint", required=True,
                   help="grpc: http://127.0.0.1:P; http: http://127.0.0.1:P (adds /v1/traces) or a full URL")
    p.add_argument("--protocol", required=True, choices=["grpc", "http/protobuf", "http/json"])
    p.add_argument("--service", default="tracectl-test", help='"" = no service.name (SDK falls back to unknown_service)')
    p.add_argument("--spans", type=int, default=3, help="total spans: 1 root + N-1 children")
    p.add_argument("--timeout", type=float, default=3.0, help="export timeout in seconds")
    p.add_argument("--compression", choices=["none", "gzip"], default="none")
    p.add_argument("--header", action="append", default=[], metavar="K=V", help="extra export header")
    p.add_argument("--resource-attr", action="append", default=[], metavar="K=V")
    # Deliberately wrong setups, for the failure modes tracectl diagnoses.
    p.add_argument("--orphan-children", action="store_true", help="children start new traces (broken propagation)")
    p.add_argument("--skew-ms", type=int, default=0, help="children start this many ms before their parent")
    p.add_argument("--no-flush", action="store_true", help="exit without flushing: spans are lost")
    args = p.parse_args()
    if args.spans < 1:
        p.error("--spans must be >= 1")

    # Hard stop in case anything in the SDK blocks longer than its timeouts.
    def watchdog():
        print(json.dumps({"ok": False, "error": "watchdog: export did not finish"}), flush=True)
        os._exit(2)
    timer = threading.Timer(args.timeout * 3 + 5, watchdog)
    timer.daemon = True
    timer.start()

    log = logging.getLogger("otel_send")
    collect = Collect()
    for name in ("opentelemetry", "otel_send"):
        logging.getLogger(name).addHandler(collect)
        logging.getLogger(name).propagate = False

    attrs = dict(a.split("=", 1) for a in args.resource_attr)
    if args.service:
        attrs["service.name"] = args.service
    # Resource.create merges OTEL_* env + SDK defaults; with no service.name it yields unknown_service.
    resource = Resource.create(attrs)
    recorder = Recorder(make_exporter(args, log))
    provider = TracerProvider(resource=resource, shutdown_on_exit=False)
    batch = max(512, args.spans)
    provider.add_span_processor(BatchSpanProcessor(
        recorder, max_queue_size=max(2048, batch), max_export_batch_size=batch,
        schedule_delay_millis=60_000, export_timeout_millis=int(args.timeout * 1000)))
    tracer = provider.get_tracer("tracectl.peers.otel_send", "0.1.0")

    t0 = time.time_ns()
    spans = []
    root = tracer.start_span("root", kind=SpanKind.SERVER, start_time=t0,
                             attributes={"peer.script": "otel_send.py", "peer.protocol": args.protocol})
    spans.append(root)
    ctx = set_span_in_context(root)
    for i in range(1, args.spans):
        start = t0 + i * 1_000_000 - args.skew_ms * 1_000_000
        child = tracer.start_span(f"child-{i}", context=None if args.orphan_children else ctx,
                                  kind=SpanKind.CLIENT, start_time=start, attributes={"peer.index": i})
        child.end(end_time=start + 500_000)
        spans.append(child)
    root.end(end_time=t0 + args.spans * 1_000_000)

    out = {"protocol": args.protocol, "endpoint": args.endpoint,
           "service": resource.attributes.get("service.name")}
    info = []
    for s in spans:
        c = s.get_span_context()
        info.append({"name": s.name, "trace_id": f"{c.trace_id:032x}", "span_id": f"{c.span_id:016x}",
                     "parent_span_id": f"{s.parent.span_id:016x}" if s.parent else None})
    out["trace_id"] = info[0]["trace_id"]
    out["span_ids"] = [s["span_id"] for s in info]
    out["spans"] = info

    started = time.monotonic()
    if args.no_flush:
        out.update(ok=False, error="not flushed (--no-flush): spans dropped on exit")
    else:
        flushed = provider.force_flush(int(args.timeout * 1000) + 1000)
        provider.shutdown()
        ok = flushed and bool(recorder.results) and all(r == SpanExportResult.SUCCESS for r in recorder.results)
        error = "; ".join(dict.fromkeys(collect.messages)) or (None if ok else "export failed")
        out.update(ok=ok, error=None if ok else error)
    out["elapsed_ms"] = round((time.monotonic() - started) * 1000)
    print(json.dumps(out), flush=True)
    os._exit(0 if out["ok"] else 1)


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # report, don't hang: the watchdog thread is a daemon
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
        os._exit(1)
