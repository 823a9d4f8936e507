"""Baseline for benches/decode_header.sh: the OpenTelemetry Python SDK's
TraceContextTextMapPropagator extracting every line of a file (one traceparent value per line).
Prints the number of values it extracted a valid span context from."""
import sys

from opentelemetry.context import Context
from opentelemetry.trace import get_current_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator


def main():
    propagator = TraceContextTextMapPropagator()
    valid = 0
    with open(sys.argv[1], encoding="ascii") as f:
        for line in f:
            ctx = propagator.extract({"traceparent": line.rstrip("\n")}, context=Context())
            valid += get_current_span(ctx).get_span_context().is_valid
    print(valid)


if __name__ == "__main__":
    main()
