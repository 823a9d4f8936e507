"""Send spans with the PyPI jaeger-client Tracer: jaeger.thrift compact over UDP to an agent port.

Run with .peers/venv/bin/python. Const sampler (param 1); 1 root span + N-1 children, then
tracer.close() and a bounded wait for the flush. Prints one JSON object (see README.md).
UDP gives the sender no error, so "ok" only means the client flushed its queue.
"""
import argparse
import json
import logging
import os
import threading
import time


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True, help="agent UDP port (compact thrift)")
    p.add_argument("--service", default="tracectl-test")
    p.add_argument("--spans", type=int, default=3, help="total spans: 1 root + N-1 children")
    p.add_argument("--trace-id-128", action="store_true", help="generate 128-bit trace ids")
    p.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for the flush")
    args = p.parse_args()
    if args.spans < 1:
        p.error("--spans must be >= 1")

    def watchdog():
        print(json.dumps({"ok": False, "error": "watchdog: jaeger-client did not finish"}), flush=True)
        os._exit(2)
    timer = threading.Timer(args.timeout + 5, watchdog)
    timer.daemon = True
    timer.start()

    logging.getLogger("jaeger_tracing").addHandler(logging.NullHandler())
    from jaeger_client import Config

    config = Config(
        config={
            "sampler": {"type": "const", "param": 1},
            # sampling_port is never contacted with a const sampler; point it at the same port anyway
            # so nothing could ever reach the well-known 5778.
            "local_agent": {"reporting_host": args.host, "reporting_port": args.port,
                            "sampling_port": args.port},
            "reporter_batch_size": 10,
            "reporter_queue_size": max(100, args.spans),
            "generate_128bit_trace_id": args.trace_id_128,
            "logging": False,
            # An explicit "ip" tag stops jaeger-client probing for the host IP (its fallback
            # connect()s a UDP socket to 10.255.255.255:1); loopback keeps runs deterministic.
            "tags": {"ip": "127.0.0.1"},
        },
        service_name=args.service,
        validate=True,
    )
    tracer = config.new_tracer()
    root = tracer.start_span("root", tags={"span.kind": "server", "peer.script": "jaeger_send.py"})
    root.log_kv({"event": "started", "peer.spans": args.spans})
    spans = [root]
    for i in range(1, args.spans):
        child = tracer.start_span(f"child-{i}", child_of=root, tags={"span.kind": "client", "peer.index": i})
        child.finish()
        spans.append(child)
    root.finish()

    started = time.monotonic()
    future = tracer.close()  # flushes the reporter queue on jaeger-client's own IOLoop thread
    while not future.done() and time.monotonic() - started < args.timeout:
        time.sleep(0.01)
    done = future.done()
    error = None if done else f"flush did not complete within {args.timeout}s"
    if done and future.exception() is not None:
        error = repr(future.exception())

    bits = 128 if args.trace_id_128 else 64
    out = {
        "ok": error is None,
        "error": error,
        "service": args.service,
        "agent": f"{args.host}:{args.port}",
        "protocol": "compact",
        "trace_id": f"{root.trace_id:0{bits // 4}x}",
        "span_ids": [f"{s.span_id:016x}" for s in spans],
        "spans": [{"name": s.operation_name, "span_id": f"{s.span_id:016x}",
                   "parent_span_id": f"{s.parent_id:016x}" if s.parent_id else None} for s in spans],
        "uber_trace_id": f"{root.trace_id:x}:{root.span_id:x}:0:{root.flags:x}",
        "elapsed_ms": round((time.monotonic() - started) * 1000),
    }
    print(json.dumps(out), flush=True)
    os._exit(0 if out["ok"] else 1)


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # report, don't hang: the watchdog thread is a daemon
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
        os._exit(1)
