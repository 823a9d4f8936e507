"""The OpenTelemetry Python SDK as fast as it goes: traces of N spans (one root, N-1 children),
BatchSpanProcessor exporting over OTLP/gRPC, for S seconds; prints spans/s after a final flush."""
import argparse
import time

from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

p = argparse.ArgumentParser()
p.add_argument("--endpoint", required=True)
p.add_argument("--seconds", type=float, default=5)
p.add_argument("--spans", type=int, default=512)
a = p.parse_args()
provider = TracerProvider(resource=Resource.create({"service.name": "tracectl"}))
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=a.endpoint, insecure=True),
                                               max_queue_size=1 << 20, max_export_batch_size=512))
tracer = provider.get_tracer("bench")
n = 0
start = time.monotonic()
while time.monotonic() - start < a.seconds:
    with tracer.start_as_current_span("tracectl test span"):
        for i in range(1, a.spans):
            with tracer.start_as_current_span(f"tracectl test span child {i}"):
                pass
    n += a.spans
provider.force_flush()
elapsed = time.monotonic() - start
provider.shutdown()
print(f"python sdk: {n} spans in {elapsed:.2f} s = {n / elapsed:.0f} spans/s")
