"""A second, independent OTLP trace receiver built on opentelemetry-proto's generated code.

Run with .peers/venv/bin/python. Listens on 127.0.0.1 only:
  gRPC  opentelemetry.proto.collector.trace.v1.TraceService/Export
  HTTP  POST /v1/traces with application/x-protobuf (or application/protobuf) or application/json
        (gzip Content-Encoding accepted); 415 other content types, 404 other paths, 405 other methods.
Prints {"ready": true, "grpc_port": P, "http_port": P2, "pid": N} on stdout once listening, then one
JSON line per request to --out (default stdout), flushed each line. Exits on SIGTERM/SIGINT or after
--max-seconds.
"""
import argparse
import base64
import gzip
import json
import os
import signal
import sys
import threading
import time
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from google.protobuf.json_format import ParseDict
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2 as ts
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc as ts_grpc
from opentelemetry.proto.trace.v1 import trace_pb2

KIND_NAMES = {v: k for k, v in trace_pb2.Span.SpanKind.items()}
PROTOBUF_TYPES = ("application/x-protobuf", "application/protobuf")
MAX_BODY = 64 << 20


def any_value(v):
    which = v.WhichOneof("value")
    if which is None:
        return None
    if which == "array_value":
        return [any_value(x) for x in v.array_value.values]
    if which == "kvlist_value":
        return {kv.key: any_value(kv.value) for kv in v.kvlist_value.values}
    if which == "bytes_value":
        return v.bytes_value.hex()
    return getattr(v, which)


def attrs(kvs):
    return {kv.key: any_value(kv.value) for kv in kvs}


def request_to_dict(req, transport):
    """ExportTraceServiceRequest -> {"transport", "resources": [...], "spans": [...] (flat)}."""
    resources, spans = [], []
    for ri, rs in enumerate(req.resource_spans):
        rattrs = attrs(rs.resource.attributes)
        resources.append({"service_name": rattrs.get("service.name"), "attributes": rattrs,
                          "schema_url": rs.schema_url})
        for ss in rs.scope_spans:
            for s in ss.spans:
                spans.append({
                    "resource_index": ri,
                    "service_name": rattrs.get("service.name"),
                    "scope": {"name": ss.scope.name, "version": ss.scope.version},
                    "trace_id": s.trace_id.hex(),
                    "span_id": s.span_id.hex(),
                    "parent_span_id": s.parent_span_id.hex(),  # "" for a root span
                    "trace_state": s.trace_state,
                    "flags": s.flags,
                    "name": s.name,
                    "kind": s.kind,
                    "kind_name": KIND_NAMES.get(s.kind, str(s.kind)),
                    "start_time_unix_nano": s.start_time_unix_nano,
                    "end_time_unix_nano": s.end_time_unix_nano,
                    "attributes": attrs(s.attributes),
                    "events": [{"name": e.name, "time_unix_nano": e.time_unix_nano,
                                "attributes": attrs(e.attributes)} for e in s.events],
                    "links": [{"trace_id": ln.trace_id.hex(), "span_id": ln.span_id.hex(),
                               "attributes": attrs(ln.attributes)} for ln in s.links],
                    "status": {"code": s.status.code, "message": s.status.message},
                })
    return {"transport": transport, "resources": resources, "spans": spans, "span_count": len(spans)}


def parse_otlp_json(body):
    """OTLP/JSON -> protobuf. Ids are hex in OTLP/JSON but base64 in protobuf's JSON mapping."""
    doc = json.loads(body)

    def unhex(obj):
        for key in ("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"):
            if isinstance(obj.get(key), str):
                obj[key] = base64.b64encode(bytes.fromhex(obj[key])).decode()

    for rs in doc.get("resourceSpans", doc.get("resource_spans", [])) or []:
        for ss in rs.get("scopeSpans", rs.get("scope_spans", [])) or []:
            for span in ss.get("spans", []) or []:
                unhex(span)
                for link in span.get("links", []) or []:
                    unhex(link)
    return ParseDict(doc, ts.ExportTraceServiceRequest(), ignore_unknown_fields=True)


class Sink:
    def __init__(self, path):
        self.file = open(path, "w", encoding="utf-8") if path else sys.stdout
        self.lock = threading.Lock()

    def write(self, record):
        record["received_unix_nano"] = time.time_ns()
        line = json.dumps(record, separators=(",", ":"))
        with self.lock:
            self.file.write(line + "\n")
            self.file.flush()


class TraceService(ts_grpc.TraceServiceServicer):
    def __init__(self, sink):
        self.sink = sink

    def Export(self, request, context):
        record = request_to_dict(request, "grpc")
        record["metadata"] = {k: v for k, v in context.invocation_metadata() if not k.endswith("-bin")}
        self.sink.write(record)
        return ts.ExportTraceServiceResponse()


def make_handler(sink):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10  # seconds per socket read: a stalled client cannot pin a thread forever

        def log_message(self, *a):
            pass

        def reply(self, status, body=b"", ctype="text/plain", note=None):
            self.send_response(status)
            if status == 405:
                self.send_header("Allow", "POST")
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            if status != 200:
                sink.write({"transport": "http", "method": self.command, "path": self.path,
                            "content_type": self.headers.get("Content-Type"), "status": status,
                            "error": note or body.decode("utf-8", "replace")})

        def handle_any(self):
            path = self.path.split("?", 1)[0]
            if path != "/v1/traces":
                return self.reply(404, b"not found")
            if self.command != "POST":
                return self.reply(405, b"method not allowed")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype not in PROTOBUF_TYPES and ctype != "application/json":
                return self.reply(415, b"unsupported content type")
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                return self.reply(411, b"content-length required")
            if int(length) > MAX_BODY:
                return self.reply(413, b"body too large")
            body = self.rfile.read(int(length))
            try:
                encoding = (self.headers.get("Content-Encoding") or "identity").lower()
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding != "identity":
                    raise ValueError(f"unsupported Content-Encoding {encoding}")
                if ctype == "application/json":
                    req, transport = parse_otlp_json(body), "http-json"
                else:
                    req, transport = ts.ExportTraceServiceRequest.FromString(body), "http-protobuf"
            except Exception as e:
                return self.reply(400, f"bad request: {e}".encode())
            record = request_to_dict(req, transport)
            record.update(path=path, content_type=self.headers.get("Content-Type"),
                          headers={k.lower(): v for k, v in self.headers.items()})
            sink.write(record)
            if transport == "http-json":
                self.reply(200, b"{}", "application/json")
            else:
                self.reply(200, ts.ExportTraceServiceResponse().SerializeToString(), ctype)

        do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any

    return Handler


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--grpc-port", type=int, default=0, help="0 = pick a free port")
    p.add_argument("--http-port", type=int, default=0, help="0 = pick a free port")
    p.add_argument("--out", help="file for the request lines (truncated); default stdout")
    p.add_argument("--max-seconds", type=float, default=120)
    args = p.parse_args()

    sink = Sink(args.out)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    ts_grpc.add_TraceServiceServicer_to_server(TraceService(sink), server)
    grpc_port = server.add_insecure_port(f"127.0.0.1:{args.grpc_port}")
    if grpc_port == 0:
        sys.exit(f"otlp_receiver: cannot bind gRPC port {args.grpc_port}")
    httpd = ThreadingHTTPServer(("127.0.0.1", args.http_port), make_handler(sink))
    httpd.daemon_threads = True
    server.start()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print(json.dumps({"ready": True, "grpc_port": grpc_port, "http_port": httpd.server_address[1],
                      "pid": os.getpid()}), flush=True)
    stop.wait(args.max_seconds)
    httpd.shutdown()
    server.stop(0.5).wait(2)
    sink.file.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
