"""Decode a jaeger.thrift payload from stdin with the thrift code generated inside PyPI jaeger-client.

  --agent   payload is an Agent.emitBatch oneway message (a UDP datagram for 6831/6832)
  (none)    payload is a bare Batch struct (the body POSTed to a collector's 14268 /api/traces)
  --protocol compact|binary   TCompactProtocol or TBinaryProtocol (strict: the message must carry
            the 0x8001 version word, as jaeger-agent's Go reader requires)
  --hex     stdin is hex text (whitespace ignored), e.g. the "hex" field of jaeger_udp_sink.py
Prints the batch as JSON; on a decode error prints {"error": "..."} and exits 1.
"""
import argparse
import json
import sys

from thrift.protocol.TBinaryProtocol import TBinaryProtocol
from thrift.protocol.TCompactProtocol import TCompactProtocol
from thrift.Thrift import TMessageType, TType
from thrift.transport.TTransport import TMemoryBuffer

from jaeger_client.thrift_gen.agent import Agent
from jaeger_client.thrift_gen.jaeger import ttypes

TYPE_NAMES = {v: k for k, v in vars(TType).items() if k.isupper()}
MESSAGE_TYPES = {v: k for k, v in vars(TMessageType).items() if k.isupper()}
TAG_TYPES = ttypes.TagType._VALUES_TO_NAMES
REF_TYPES = ttypes.SpanRefType._VALUES_TO_NAMES
MASK64 = (1 << 64) - 1


def recording(base):
    """Protocol subclass that notes fields the generated code skips (not in jaeger-client's IDL)."""
    class Recording(base):
        skipped = []
        _depth = 0
        _last = None

        def readFieldBegin(self):
            name, ftype, fid = super().readFieldBegin()
            self._last = (fid, ftype)
            return name, ftype, fid

        def skip(self, ftype, *rest):
            if self._depth == 0 and self._last and ftype != TType.STOP:
                self.skipped.append({"id": self._last[0], "type": TYPE_NAMES.get(ftype, ftype)})
            self._depth += 1
            try:
                super().skip(ftype, *rest)
            finally:
                self._depth -= 1
    return Recording


def hex64(v):
    return None if v is None else f"{v & MASK64:016x}"


def tag(t):
    value = {0: t.vStr, 1: t.vDouble, 2: t.vBool, 3: t.vLong,
             4: t.vBinary.hex() if isinstance(t.vBinary, (bytes, bytearray)) else t.vBinary}.get(t.vType)
    return {"key": t.key, "vType": t.vType, "vTypeName": TAG_TYPES.get(t.vType), "value": value}


def span(s):
    high = s.traceIdHigh or 0
    return {
        "traceId": f"{high & MASK64:016x}{(s.traceIdLow or 0) & MASK64:016x}",
        "traceIdLow": s.traceIdLow, "traceIdLowHex": hex64(s.traceIdLow),
        "traceIdHigh": s.traceIdHigh, "traceIdHighHex": hex64(s.traceIdHigh),
        "spanId": s.spanId, "spanIdHex": hex64(s.spanId),
        "parentSpanId": s.parentSpanId, "parentSpanIdHex": hex64(s.parentSpanId),
        "operationName": s.operationName,
        "flags": s.flags,
        "startTime": s.startTime,
        "duration": s.duration,
        "tags": [tag(t) for t in s.tags or []],
        "logs": [{"timestamp": lg.timestamp, "fields": [tag(t) for t in lg.fields or []]} for lg in s.logs or []],
        "references": [{"refType": r.refType, "refTypeName": REF_TYPES.get(r.refType),
                        "traceIdLow": r.traceIdLow, "traceIdHigh": r.traceIdHigh,
                        "traceIdHex": f"{(r.traceIdHigh or 0) & MASK64:016x}{(r.traceIdLow or 0) & MASK64:016x}",
                        "spanId": r.spanId, "spanIdHex": hex64(r.spanId)} for r in s.references or []],
    }


def decode(data, protocol, agent):
    buf = TMemoryBuffer(data)
    limit = max(len(data), 16)  # no string/list can be longer than the payload itself
    if protocol == "compact":
        proto = recording(TCompactProtocol)(buf, string_length_limit=limit, container_length_limit=limit)
    else:
        proto = recording(TBinaryProtocol)(buf, strictRead=True, string_length_limit=limit,
                                           container_length_limit=limit)
    out = {"protocol": protocol, "bytes": len(data)}
    if agent:
        name, mtype, seqid = proto.readMessageBegin()
        out["message"] = {"name": name, "type": mtype, "typeName": MESSAGE_TYPES.get(mtype), "seqid": seqid}
        if name != "emitBatch":
            raise ValueError(f"message {name!r} is not emitBatch")
        args = Agent.emitBatch_args()
        args.read(proto)
        proto.readMessageEnd()
        batch = args.batch
    else:
        batch = ttypes.Batch()
        batch.read(proto)
    if batch is None or batch.process is None:
        raise ValueError("no Batch.process decoded")
    out["process"] = {"serviceName": batch.process.serviceName, "tags": [tag(t) for t in batch.process.tags or []]}
    out["spans"] = [span(s) for s in batch.spans or []]
    out["trailingBytes"] = len(data) - buf._buffer.tell()
    out["skippedFields"] = proto.skipped
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--protocol", choices=["compact", "binary"], required=True)
    p.add_argument("--agent", action="store_true", help="payload is an Agent.emitBatch message")
    p.add_argument("--hex", action="store_true", help="stdin is hex text")
    args = p.parse_args()
    data = sys.stdin.buffer.read()
    try:
        if args.hex:
            data = bytes.fromhex("".join(data.decode("ascii").split()))
        result = decode(data, args.protocol, args.agent)
    except Exception as e:
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        sys.exit(1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
