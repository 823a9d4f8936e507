"""What the OpenTelemetry Python propagators extract from HTTP headers.

Run with .peers/venv/bin/python. Reads JSON lines from stdin, each {"headers": {...}} (an optional "id"
is echoed back). A header value may be a string or a list of strings (repeated header); repeated
keys in the JSON object are also kept, in order. Header names are matched case-insensitively.
For every input line prints one JSON line (flushed):
  {"id": ..., "w3c": X, "b3": X, "jaeger": X, "xray": X, "baggage": {...}|null}
  X = {"valid": true, "trace_id": 32hex, "span_id": 16hex, "sampled": bool, "trace_flags": int,
       "trace_state": str} or null when nothing valid was extracted.
A line that is not a JSON object with a "headers" object gives {"id": ..., "error": "..."}.
"""
import json
import logging
import sys

from opentelemetry.baggage import get_all as get_all_baggage
from opentelemetry.baggage.propagation import W3CBaggagePropagator
from opentelemetry.context import Context
from opentelemetry.propagators.aws import AwsXRayPropagator
from opentelemetry.propagators.b3 import B3MultiFormat
from opentelemetry.propagators.jaeger import JaegerPropagator
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import get_current_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

# B3MultiFormat.extract reads the single `b3` header first and falls back to X-B3-*;
# B3SingleFormat only changes inject, so one extractor covers both forms.
PROPAGATORS = {
    "w3c": TraceContextTextMapPropagator(),
    "b3": B3MultiFormat(),
    "jaeger": JaegerPropagator(),
    "xray": AwsXRayPropagator(),
}
BAGGAGE = W3CBaggagePropagator()


class HeaderGetter(Getter):
    """Carrier = {lowercase name: [values]}; lookups are case-insensitive like HTTP."""

    def get(self, carrier, key):
        return carrier.get(key.lower())

    def keys(self, carrier):
        return list(carrier)


GETTER = HeaderGetter()


def pairs_to_carrier(pairs):
    """[(name, str | [str])] -> {lowercase name: [values]}, keeping repeated names in order."""
    carrier = {}
    for name, value in pairs:
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            raise ValueError(f"header {name!r}: values must be strings")
        carrier.setdefault(name.lower(), []).extend(values)
    return carrier


def span_info(ctx):
    sc = get_current_span(ctx).get_span_context()
    if not sc.is_valid:
        return None
    return {"valid": True, "trace_id": f"{sc.trace_id:032x}", "span_id": f"{sc.span_id:016x}",
            "sampled": sc.trace_flags.sampled, "trace_flags": int(sc.trace_flags),
            "trace_state": sc.trace_state.to_header()}


def extract_all(carrier):
    out = {}
    for key, prop in PROPAGATORS.items():
        ctx = prop.extract(carrier, context=Context(), getter=GETTER)
        info = span_info(ctx)
        if info is not None and key == "jaeger":
            info["baggage"] = dict(get_all_baggage(ctx)) or None
        out[key] = info
    out["baggage"] = dict(get_all_baggage(BAGGAGE.extract(carrier, context=Context(), getter=GETTER))) or None
    return out


def parse_line(line):
    """-> (id, carrier). Objects are parsed as pair lists so repeated header names survive."""
    doc = json.loads(line, object_pairs_hook=lambda pairs: pairs)
    if not isinstance(doc, list) or (doc and not isinstance(doc[0], tuple)):
        raise ValueError("line is not a JSON object")
    fields = dict(doc)
    ident = fields.get("id")
    headers = fields.get("headers")
    if not isinstance(headers, list) or (headers and not isinstance(headers[0], tuple)):
        raise ValueError('missing "headers" object')
    return ident, pairs_to_carrier(headers)


def main():
    logging.getLogger("opentelemetry").setLevel(logging.CRITICAL)  # parse failures are reported as null
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        ident = None
        try:
            ident, carrier = parse_line(line)
            result = {"id": ident, **extract_all(carrier)}
        except Exception as e:
            result = {"id": ident if not isinstance(ident, list) else None, "error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(result) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
