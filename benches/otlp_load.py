"""OTLP/gRPC load for benches/listen_ingest.sh: REQUESTS unary Export calls of SPANS spans each,
CONCURRENCY in flight, to 127.0.0.1:PORT. Prints one JSON line: spans sent, seconds, spans/s.
Run with .peers/venv/bin/python (grpcio + opentelemetry-proto)."""
import argparse
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2


def request(spans):
    now = time.time_ns()
    trace_id = os.urandom(16)
    out = []
    for i in range(spans):
        out.append(trace_pb2.Span(
            trace_id=trace_id, span_id=os.urandom(8), name=f"load-{i}", kind=2,
            start_time_unix_nano=now - 1_000_000, end_time_unix_nano=now,
            attributes=[common_pb2.KeyValue(key="i", value=common_pb2.AnyValue(int_value=i))]))
    service = common_pb2.KeyValue(key="service.name", value=common_pb2.AnyValue(string_value="load"))
    return trace_service_pb2.ExportTraceServiceRequest(resource_spans=[trace_pb2.ResourceSpans(
        resource=resource_pb2.Resource(attributes=[service]),
        scope_spans=[trace_pb2.ScopeSpans(spans=out)])])


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--spans", type=int, default=100)
    p.add_argument("--concurrency", type=int, default=8)
    args = p.parse_args()
    channel = grpc.insecure_channel(f"127.0.0.1:{args.port}")
    grpc.channel_ready_future(channel).result(timeout=10)
    stub = trace_service_pb2_grpc.TraceServiceStub(channel)
    req = request(args.spans)
    failed = 0

    def send(_):
        try:
            stub.Export(req, timeout=10)
            return 0
        except grpc.RpcError:
            return 1

    started = time.monotonic()
    with ThreadPoolExecutor(args.concurrency) as pool:
        failed = sum(pool.map(send, range(args.requests)))
    elapsed = time.monotonic() - started
    sent = (args.requests - failed) * args.spans
    print(json.dumps({"spans": sent, "failed_requests": failed, "seconds": round(elapsed, 3),
                      "spans_per_second": round(sent / elapsed)}))


if __name__ == "__main__":
    main()
