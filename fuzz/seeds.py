"""Writes the binary seed files of the library fuzz targets with the real peers' own encoders.

Run with the peers' Python: .peers/venv/bin/python fuzz/seeds.py (the text seeds are copies of
tests/fixtures). The files are small on purpose: the fuzzer mutates them, CI replays them.
"""
import pathlib

from jaeger_client.thrift_gen.agent import Agent
from jaeger_client.thrift_gen.jaeger import ttypes as j
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2 as svc
from opentelemetry.proto.common.v1 import common_pb2 as common
from opentelemetry.proto.resource.v1 import resource_pb2 as resource
from opentelemetry.proto.trace.v1 import trace_pb2 as trace
from thrift.Thrift import TMessageType
from thrift.protocol import TBinaryProtocol, TCompactProtocol
from thrift.transport import TTransport

CORPUS = pathlib.Path(__file__).parent / "corpus"


def jaeger_batch():
    tags = [
        j.Tag(key="s", vType=j.TagType.STRING, vStr="v"),
        j.Tag(key="d", vType=j.TagType.DOUBLE, vDouble=1.5),
        j.Tag(key="b", vType=j.TagType.BOOL, vBool=True),
        j.Tag(key="l", vType=j.TagType.LONG, vLong=-7),
        j.Tag(key="y", vType=j.TagType.BINARY, vBinary="\x01bin"),
    ]
    span = j.Span(
        traceIdLow=0x0102030405060708, traceIdHigh=0x1112131415161718, spanId=2,
        parentSpanId=1, operationName="op", flags=1, startTime=1700000000000000, duration=1500,
        tags=tags, logs=[j.Log(timestamp=1700000000000100, fields=tags[:1])],
        references=[j.SpanRef(refType=j.SpanRefType.CHILD_OF, traceIdLow=1, traceIdHigh=0, spanId=1)],
    )
    return j.Batch(process=j.Process(serviceName="svc", tags=tags[:2]), spans=[span])


def thrift_bytes(protocol, write):
    buf = TTransport.TMemoryBuffer()
    write(protocol(buf))
    return buf.getvalue()


def emit_batch(protocol):
    def write(p):
        p.writeMessageBegin("emitBatch", TMessageType.ONEWAY, 0)
        Agent.emitBatch_args(batch=jaeger_batch()).write(p)
        p.writeMessageEnd()
    return thrift_bytes(protocol, write)


def otlp_request():
    attrs = [
        common.KeyValue(key="s", value=common.AnyValue(string_value="v")),
        common.KeyValue(key="i", value=common.AnyValue(int_value=-3)),
        common.KeyValue(key="d", value=common.AnyValue(double_value=0.5)),
        common.KeyValue(key="b", value=common.AnyValue(bool_value=True)),
        common.KeyValue(key="y", value=common.AnyValue(bytes_value=b"\x01")),
        common.KeyValue(key="a", value=common.AnyValue(array_value=common.ArrayValue(
            values=[common.AnyValue(int_value=1)]))),
        common.KeyValue(key="m", value=common.AnyValue(kvlist_value=common.KeyValueList(
            values=[common.KeyValue(key="k", value=common.AnyValue(string_value="x"))]))),
    ]
    span = trace.Span(
        trace_id=bytes(range(1, 17)), span_id=bytes(range(1, 9)), parent_span_id=bytes(8),
        name="op", kind=trace.Span.SPAN_KIND_SERVER, start_time_unix_nano=1700000000000000000,
        end_time_unix_nano=1700000000001000000, attributes=attrs,
        events=[trace.Span.Event(name="e", time_unix_nano=1, attributes=attrs[:1])],
        links=[trace.Span.Link(trace_id=bytes(range(1, 17)), span_id=bytes(range(2, 10)))],
        status=trace.Status(code=trace.Status.STATUS_CODE_ERROR, message="boom"),
    )
    rs = trace.ResourceSpans(
        resource=resource.Resource(attributes=[common.KeyValue(
            key="service.name", value=common.AnyValue(string_value="svc"))]),
        scope_spans=[trace.ScopeSpans(scope=common.InstrumentationScope(name="s"), spans=[span])],
    )
    return svc.ExportTraceServiceRequest(resource_spans=[rs])


def main():
    out = {
        "jaeger_thrift/emit-batch-compact": emit_batch(TCompactProtocol.TCompactProtocol),
        "jaeger_thrift/emit-batch-binary": emit_batch(TBinaryProtocol.TBinaryProtocol),
        "jaeger_thrift/batch-binary": thrift_bytes(
            TBinaryProtocol.TBinaryProtocol, lambda p: jaeger_batch().write(p)),
        "jaeger_thrift/batch-compact": thrift_bytes(
            TCompactProtocol.TCompactProtocol, lambda p: jaeger_batch().write(p)),
        "otlp_protobuf/request": otlp_request().SerializeToString(),
        "otlp_protobuf/empty-span": svc.ExportTraceServiceRequest(resource_spans=[
            trace.ResourceSpans(scope_spans=[trace.ScopeSpans(spans=[trace.Span()])])]
        ).SerializeToString(),
    }
    for name, data in out.items():
        (CORPUS / name).write_bytes(data)


if __name__ == "__main__":
    main()
