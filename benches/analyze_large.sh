#!/usr/bin/env bash
# Time and peak memory of `tracectl analyze` on ~100 MB trace exports (one OTLP JSON document, one
# Jaeger JSON document, and span lines), generated under target/bench-traces/.
# Usage: benches/analyze_large.sh [SIZE_MB]   (default 100). Needs python3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-100}"
dir=target/bench-traces
mkdir -p "$dir"

cargo build --release --locked --quiet
bin=target/release/tracectl

python3 - "$dir" "$size_mb" <<'PY'
import json, os, random, sys
out, size = sys.argv[1], int(sys.argv[2]) * 1_000_000
rnd = random.Random(7)
T0 = 1_700_000_000_000_000_000
SERVICES = [("frontend", "10.0.0.1"), ("cart", "10.0.0.2"), ("payments", "10.0.0.3")]

def trace(n):
    """One trace of 10 spans over three hosts; cart's clock runs 30 ms behind in 1 trace of 5."""
    tid = "%032x" % rnd.getrandbits(128)
    base = T0 + n * 1_000_000_000
    skew = -30_000_000 if n % 5 == 0 else 0
    spans, parent = [], ""
    for i in range(10):
        svc, ip = SERVICES[i % 3]
        sid = "%016x" % rnd.getrandbits(64)
        start = base + i * 1_000_000 + (skew if svc == "cart" else 0)
        spans.append((tid, sid, parent, svc, ip, f"op-{i}", start, start + (20 - i) * 1_000_000))
        parent = sid
    return spans

ATTRS = {"http.method": "GET", "http.route": "/api/v1/items/{id}", "http.status_code": 200,
         "net.peer.name": "backend.internal", "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64)",
         "thread.name": "worker-17", "code.function": "handle_request", "db.system": "postgresql"}

def otlp_attrs(d):
    return [{"key": k, "value": {"intValue": str(v)} if isinstance(v, int) else {"stringValue": v}} for k, v in d.items()]

def write(name, head, tail, sep, items):
    """Writes head, items joined by sep until the file reaches the size, then tail."""
    path = os.path.join(out, name)
    with open(path, "w") as f:
        f.write(head)
        written, n = 0, 0
        while written < size:
            for text in items(n):
                text = (sep if written else "") + text
                f.write(text)
                written += len(text)
            n += 1
        f.write(tail)
    print(f"{path}: {os.path.getsize(path)} bytes, {n} traces, {n * 10} spans")

def otlp(n):
    for tid, sid, parent, svc, ip, name, start, end in trace(n):
        yield json.dumps({"resource": {"attributes": otlp_attrs({"service.name": svc, "host.ip": ip})},
              "scopeSpans": [{"scope": {"name": "bench"}, "spans": [{
                  "traceId": tid, "spanId": sid, "parentSpanId": parent, "name": name, "kind": 2,
                  "startTimeUnixNano": str(start), "endTimeUnixNano": str(end),
                  "attributes": otlp_attrs(ATTRS), "status": {}}]}]})

def jaeger(n):
    spans, procs = [], {}
    for tid, sid, parent, svc, ip, name, start, end in trace(n):
        pid = "p" + str(SERVICES.index((svc, ip)) + 1)
        procs[pid] = {"serviceName": svc, "tags": [{"key": "ip", "type": "string", "value": ip}]}
        spans.append({"traceID": tid, "spanID": sid, "operationName": name,
                      "references": [{"refType": "CHILD_OF", "traceID": tid, "spanID": parent}] if parent else [],
                      "startTime": start // 1000, "duration": (end - start) // 1000,
                      "tags": [{"key": k, "type": "string", "value": str(v)} for k, v in ATTRS.items()],
                      "logs": [], "processID": pid, "warnings": None})
    yield json.dumps({"traceID": spans[0]["traceID"], "spans": spans, "processes": procs})

def span_lines(n):
    for tid, sid, parent, svc, ip, name, start, end in trace(n):
        yield json.dumps({"service": svc, "name": name, "trace_id": tid, "span_id": sid,
                          "parent_span_id": parent, "start_unix_nano": start, "end_unix_nano": end,
                          "attributes": ATTRS, "resource": {"service.name": svc, "host.ip": ip},
                          "protocol": "otlp-grpc", "port": 4317}) + "\n"

write("large.otlp.json", '{"resourceSpans":[', "]}", ",", otlp)
write("large.jaeger.json", '{"data":[', "]}", ",", jaeger)
write("large.spans.jsonl", "", "", "", span_lines)
PY

for file in "$dir"/large.otlp.json "$dir"/large.jaeger.json "$dir"/large.spans.jsonl; do
    log="$dir/time.log"
    set +e
    /usr/bin/time -v "$bin" analyze "$file" --format json --trees 0 > "$dir/report.json" 2> "$log"
    code=$?
    set -e
    elapsed=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
    rss_kb=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
    spans=$(python3 -c "import json;d=json.load(open('$dir/report.json'));print(d['input']['spans'])")
    echo "$(basename "$file"): $(du -m "$file" | cut -f1) MB, $spans spans, exit $code, wall $elapsed, peak RSS $((rss_kb / 1024)) MB"
done
