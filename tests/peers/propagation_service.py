"""A small instrumented HTTP service for `tracectl check-propagation` tests.

A WSGI server (OpenTelemetry WSGI middleware) that, on every request, calls the URL in
$DOWNSTREAM_URL (or the variable named by --downstream-env) with `requests` (OpenTelemetry requests
instrumentation), and exports its spans with the SDK over OTLP/HTTP (OTEL_EXPORTER_OTLP_* and
OTEL_PROPAGATORS are read by the SDK as usual). Switches break one piece at a time:

  --no-server-instrumentation   the server does not extract the incoming context
  --no-client-instrumentation   `requests` does not inject the context downstream
  --thread-pool                 the downstream call runs in a thread pool, context not carried over
  --calls N                     call the downstream N times per request (default 1)
  --never-answer                accept requests and never answer

Prints `listening on PORT` once it accepts connections (--port 0 picks a free port).
"""

import argparse
import os
import socketserver
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--downstream-env", default="DOWNSTREAM_URL")
    p.add_argument("--no-server-instrumentation", action="store_true")
    p.add_argument("--no-client-instrumentation", action="store_true")
    p.add_argument("--thread-pool", action="store_true")
    p.add_argument("--calls", type=int, default=1)
    p.add_argument("--never-answer", action="store_true")
    args = p.parse_args()

    provider = TracerProvider(resource=Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "propagation-service")}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)

    import requests

    if not args.no_client_instrumentation:
        from opentelemetry.instrumentation.requests import RequestsInstrumentor

        RequestsInstrumentor().instrument()

    pool = ThreadPoolExecutor(max_workers=2)
    session = requests.Session()

    def call_downstream():
        url = os.environ.get(args.downstream_env)
        if not url:
            return
        for _ in range(args.calls):
            session.get(url, timeout=5)

    def app(environ, start_response):
        if args.never_answer:
            time.sleep(3600)
        if environ.get("PATH_INFO") == "/ready":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ready\n"]
        if args.thread_pool:
            pool.submit(call_downstream).result()
        else:
            call_downstream()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok\n"]

    if not args.no_server_instrumentation:
        from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware

        app = OpenTelemetryMiddleware(app)

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, *a):
            pass

    server = make_server("127.0.0.1", args.port, app, server_class=Server, handler_class=Quiet)
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        provider.shutdown()


if __name__ == "__main__":
    sys.exit(main())
