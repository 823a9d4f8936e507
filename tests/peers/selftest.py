"""Run every peer script against the others, end to end, on 127.0.0.1 only.

    .peers/venv/bin/python tests/peers/selftest.py

Needs scripts/setup-peers.sh to have run. Prints one line per check and a closing
"selftest: N passed, M failed" line; exit 1 if any check failed. Takes ~10 s.
"""
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(f"{'ok  ' if cond else 'FAIL'} {name}" + ("" if cond else f"  -- {detail}"), flush=True)


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def popen(*cmd, **kw):
    return subprocess.Popen([str(c) for c in cmd], **kw)


def run(*cmd, stdin=None, timeout=20):
    r = subprocess.run([str(c) for c in cmd], input=stdin, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout, r.stderr


def run_json(*cmd, **kw):
    code, out, err = run(*cmd, **kw)
    try:
        return code, json.loads(out)
    except ValueError:
        return code, {"ok": False, "error": f"no JSON (exit {code}): {out[-300:]} {err[-300:]}"}


def wait_port(port, limit=10):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            time.sleep(0.02)
    return False


def send(port, protocol, service, *extra):
    return run_json(PY, HERE / "otel_send.py", "--endpoint", f"http://127.0.0.1:{port}",
                    "--protocol", protocol, "--service", service, "--spans", "3", *extra)


def rotel_blocks(text):
    """Parse rotel's detailed debug log into [{trace_id, parent_id, span_id, name}]."""
    pat = re.compile(r"Trace ID\s+: (\S*)\n\s+Parent ID\s+: (\S*)\n\s+ID\s+: (\S*)\n\s+Name\s+: (.*)\n")
    return [dict(zip(("trace_id", "parent_id", "span_id", "name"), m)) for m in pat.findall(text)]


def test_rotel(tmp):
    grpc_port, http_port, log = free_port(), free_port(), tmp / "rotel.log"
    t0 = time.monotonic()
    proc = popen(PY, HERE / "rotel.py", "--grpc-port", grpc_port, "--http-port", http_port, "--log", log)
    try:
        up = wait_port(grpc_port) and wait_port(http_port)
        check(f"rotel listening ({(time.monotonic() - t0) * 1000:.0f} ms)", up)
        for protocol, port in (("grpc", grpc_port), ("http/protobuf", http_port), ("http/json", http_port)):
            _, sent = send(port, protocol, f"rotel-{protocol.replace('/', '-')}")
            time.sleep(0.1)
            blocks = [b for b in rotel_blocks(log.read_text()) if b["trace_id"] == sent.get("trace_id")]
            want = {(s["span_id"], s["parent_span_id"] or "", s["name"]) for s in sent.get("spans", [])}
            got = {(b["span_id"], b["parent_id"], b["name"]) for b in blocks}
            check(f"otel_send {protocol} -> rotel", sent.get("ok") and want == got, f"{sent.get('error')} {got}")
        service_ok = "service.name: Str(rotel-grpc)" in log.read_text()
        check("rotel log shows service.name", service_ok)
    finally:
        proc.terminate()
        proc.wait(5)
    check("rotel exits 0 on SIGTERM", proc.returncode == 0, proc.returncode)


def test_receiver(tmp):
    out = tmp / "received.jsonl"
    proc = popen(PY, HERE / "otlp_receiver.py", "--out", out, "--max-seconds", "60",
                 stdout=subprocess.PIPE, text=True)
    try:
        ready = json.loads(proc.stdout.readline())
        check("otlp_receiver ready line", ready.get("ready") and ready["grpc_port"] and ready["http_port"])
        cases = [("grpc", ready["grpc_port"], "grpc", ()), ("http/protobuf", ready["http_port"], "http-protobuf", ()),
                 ("http/json", ready["http_port"], "http-json", ()),
                 ("grpc", ready["grpc_port"], "grpc", ("--compression", "gzip")),
                 ("http/protobuf", ready["http_port"], "http-protobuf", ("--compression", "gzip"))]
        sent = [(send(port, proto, f"recv-{i}", *extra)[1], transport) for i, (proto, port, transport, extra)
                in enumerate(cases)]
        base = f"http://127.0.0.1:{ready['http_port']}"
        statuses = []
        for url, data, ctype in ((base + "/v1/traces", b"x", "text/plain"), (base + "/v1/traces", None, None),
                                 (base + "/v1/logs", b"{}", "application/json"),
                                 (base + "/v1/traces", b"{bad", "application/json")):
            req = urllib.request.Request(url, data=data, headers={"Content-Type": ctype} if ctype else {})
            try:
                statuses.append(urllib.request.urlopen(req, timeout=3).status)
            except urllib.error.HTTPError as e:
                statuses.append(e.code)
        check("otlp_receiver 415/405/404/400", statuses == [415, 405, 404, 400], statuses)
        time.sleep(0.1)
        records = [json.loads(line) for line in out.read_text().splitlines()]
        for (s, transport), (proto, _, _, extra) in zip(sent, cases):
            rec = next((r for r in records if r.get("spans") and r["spans"][0]["trace_id"] == s.get("trace_id")), {})
            got = {(x["span_id"], x["parent_span_id"] or None, x["name"]) for x in rec.get("spans", [])}
            want = {(x["span_id"], x["parent_span_id"], x["name"]) for x in s.get("spans", [])}
            check(f"otel_send {proto} {' '.join(extra)} -> otlp_receiver",
                  s.get("ok") and rec.get("transport") == transport and got == want
                  and rec["spans"][0]["service_name"] == s["service"], f"{s.get('error')} {rec}")
        check("otlp_receiver logs rejected requests", sum(1 for r in records if r.get("status")) == 4)
    finally:
        proc.terminate()
        proc.wait(5)
    check("otlp_receiver exits 0 on SIGTERM", proc.returncode == 0, proc.returncode)


def test_dead_port():
    dead = free_port()
    for protocol in ("grpc", "http/protobuf", "http/json"):
        t0 = time.monotonic()
        code, res = send(dead, protocol, "dead", "--timeout", "2")
        took = time.monotonic() - t0
        check(f"otel_send {protocol} -> dead port: ok=false in {took:.1f}s", code == 1 and res["ok"] is False
              and res["error"] and took < 6, res)


def sink_capture(sender_cmd, count_timeout=1.5):
    """Start jaeger_udp_sink.py, run the sender against it, return (sender JSON, [datagram hex])."""
    sink = popen(PY, HERE / "jaeger_udp_sink.py", "--count", "0", "--timeout", count_timeout,
                 stdout=subprocess.PIPE, text=True)
    port = json.loads(sink.stdout.readline())["port"]
    _, sent = run_json(*[str(port) if a == "{port}" else a for a in sender_cmd])
    lines = [json.loads(line) for line in sink.stdout]
    sink.wait(5)
    return sent, [d["hex"] for d in lines if "hex" in d]


def decoded_spans(hexes, protocol, agent=True):
    spans, errors = [], []
    for h in hexes:
        code, dec = run_json(PY, HERE / "jaeger_decode.py", "--protocol", protocol, "--hex",
                             *(["--agent"] if agent else []), stdin=h)
        spans += dec.get("spans", [])
        if code:
            errors.append(dec.get("error"))
    return spans, errors


def same_ids(sent, spans):
    return sorted(s["spanIdHex"] for s in spans) == sorted(sent.get("span_ids", [])) and \
        {s["traceId"].lstrip("0") for s in spans} == {sent.get("trace_id", "").lstrip("0")}


def test_jaeger():
    sent, hexes = sink_capture([PY, HERE / "jaeger_send.py", "--port", "{port}", "--service", "jpy", "--spans", "12"])
    spans, errors = decoded_spans(hexes, "compact")
    check(f"jaeger_send.py -> sink ({len(hexes)} datagrams) -> decode compact",
          sent.get("ok") and not errors and same_ids(sent, spans), (sent, errors))
    _, errors = decoded_spans(hexes[:1], "binary")
    check("compact datagram fails as binary", errors and "Bad version" in errors[0], errors)

    sent, hexes = sink_capture(["node", HERE / "jaeger_send.js", "--mode", "udp", "--host", "127.0.0.1",
                                "--port", "{port}", "--service", "jjs", "--spans", "5", "--trace-id-128"])
    spans, errors = decoded_spans(hexes, "binary")
    check(f"jaeger_send.js udp -> sink ({len(hexes)} datagrams) -> decode binary",
          sent.get("ok") and not errors and same_ids(sent, spans), (sent, errors))

    bodies = []

    class Capture(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = b""
            if self.headers.get("Content-Length"):
                body = self.rfile.read(int(self.headers["Content-Length"]))
            else:  # Node's HTTPSender sends Transfer-Encoding: chunked
                while (size := int(self.rfile.readline().strip(), 16)):
                    body += self.rfile.read(size)
                    self.rfile.readline()
                self.rfile.readline()
            bodies.append((self.path, self.headers.get("Content-Type"), body))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    code, sent = run_json("node", HERE / "jaeger_send.js", "--mode", "http", "--host", "127.0.0.1",
                          "--port", server.server_address[1], "--service", "jhttp", "--spans", "4")
    server.shutdown()
    spans, errors = decoded_spans([b[2].hex() for b in bodies], "binary", agent=False)
    check("jaeger_send.js http -> /api/traces -> decode bare Batch binary",
          sent.get("ok") and bodies and bodies[0][:2] == ("/api/traces", "application/x-thrift")
          and not errors and same_ids(sent, spans), (sent, errors, [b[:2] for b in bodies]))


def test_propagators():
    lines = [
        {"id": "w3c", "headers": {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}},
        {"id": "w3c-upper", "headers": {"traceparent": "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}},
        {"id": "b3", "headers": {"b3": "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90"}},
        {"id": "jaeger", "headers": {"Uber-Trace-Id": "abc:def:0:1"}},
        {"id": "xray", "headers": {"X-Amzn-Trace-Id":
                                   "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"}},
    ]
    _, out, _ = run(PY, HERE / "propagators.py", stdin="".join(json.dumps(x) + "\n" for x in lines))
    res = {d["id"]: d for d in map(json.loads, out.splitlines())}
    check("propagators: w3c", res["w3c"]["w3c"]["span_id"] == "00f067aa0ba902b7" and res["w3c"]["b3"] is None)
    check("propagators: uppercase traceparent rejected", res["w3c-upper"]["w3c"] is None)
    check("propagators: b3 single", res["b3"]["b3"]["trace_id"] == "80f198ee56343ba864fe8b2a57d3eff7")
    check("propagators: jaeger short ids padded", res["jaeger"]["jaeger"]["trace_id"] == "0" * 29 + "abc")
    check("propagators: xray", res["xray"]["xray"]["trace_id"] == "5759e988bd862e3fe1be46a994272793")


def main():
    import tempfile
    with tempfile.TemporaryDirectory(prefix="peers-selftest-") as d:
        for test in (test_rotel, test_receiver):
            test(Path(d))
    test_dead_port()
    test_jaeger()
    test_propagators()
    passed = sum(results)
    print(f"selftest: {passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
