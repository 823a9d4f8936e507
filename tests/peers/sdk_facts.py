"""Print what the installed Python OpenTelemetry SDK really does, as JSON, for tracectl's SDK
facts table (docs/sdk-facts.md): default and accepted OTEL_EXPORTER_OTLP_PROTOCOL values (the
auto-configuration's choice), the service.name fallback, the timeout unit, the propagators it
knows by name and the endpoint forms. Run with .peers/venv/bin/python; no network.
"""
import json
import os
import sys
from importlib.metadata import entry_points

from opentelemetry.sdk import _configuration as conf
from opentelemetry.sdk.resources import Resource

BY_EXPORTER = {"otlp_proto_grpc": "grpc", "otlp_proto_http": "http/protobuf"}
CANDIDATES = ["grpc", "http/protobuf", "http/json", "GRPC", "HTTP/Protobuf"]


def clear():
    for k in list(os.environ):
        if k.startswith("OTEL_"):
            del os.environ[k]


def chosen():
    return BY_EXPORTER.get(conf._get_exporter_entry_point("otlp", "traces"))


def main():
    clear()
    out = {"default_protocol": chosen(), "protocols": [], "refused": {}}
    for value in CANDIDATES:
        clear()
        os.environ["OTEL_EXPORTER_OTLP_PROTOCOL"] = value
        try:
            if chosen() == value:
                out["protocols"].append(value)
        except RuntimeError as e:
            out["refused"][value] = str(e)
    clear()
    out["fallback_service_name"] = Resource.create().attributes.get("service.name")
    out["executable"] = os.path.basename(sys.executable)

    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as Grpc
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as Http

    os.environ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "10"
    # gRPC deadlines are seconds; an SDK reading milliseconds would hold 0.01 here.
    out["timeout_unit"] = "s" if Grpc(insecure=True)._timeout == 10.0 else "ms"
    clear()
    out["propagators"] = sorted(e.name for e in entry_points(group="opentelemetry_propagator"))
    os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://c:4318"
    out["endpoint_base"] = Http()._endpoint
    clear()
    os.environ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://c:4318/custom"
    out["endpoint_signal"] = Http()._endpoint
    print(json.dumps(out))


if __name__ == "__main__":
    main()
