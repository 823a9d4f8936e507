#!/usr/bin/env bash
# Benchmark (not a test) of `tracectl doctor`'s network checks, two figures:
#   1. wall time against 20 blackholed endpoints (listeners on 127.0.0.1 that accept into their
#      backlog and never answer) divided by --timeout; target <= 1.15
#   2. wall time against a healthy rotel collector on loopback (OTLP/gRPC configured); target < 150 ms
# Usage: benches/doctor_live.sh [RUNS]   (default 10 runs each; needs scripts/setup-peers.sh for rotel)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
timeout_ms=1000
cargo build --release --quiet
bin="$PWD/target/release/tracectl"
py="${PYTHON:-python3}"
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

now_ns() { date +%s%N; }
# Runs "$@" $runs times; prints the median wall time in ms.
median_ms() {
  local samples=()
  for _ in $(seq "$runs"); do
    local t0; t0=$(now_ns)
    "$@" >/dev/null 2>&1 || true
    samples+=($(( ($(now_ns) - t0) / 1000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f\n", m/1000}'
}

# 20 blackholes: listen(), never accept(), never read.
"$py" - "$tmp/ports" <<'PY' &
import socket, sys, time
socks = []
for _ in range(20):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64); socks.append(s)
open(sys.argv[1], "w").write(" ".join(str(s.getsockname()[1]) for s in socks))
time.sleep(3600)
PY
pids+=($!)
for _ in $(seq 50); do [[ -s "$tmp/ports" ]] && break; sleep 0.1; done
endpoints=()
for p in $(cat "$tmp/ports"); do endpoints+=(--endpoint "http://127.0.0.1:$p"); done
first=$(cut -d' ' -f1 "$tmp/ports")
blackhole_ms=$(median_ms env -i PATH="$PATH" TRACECTL_TEST_NO_HOST=1 OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$first" \
  "$bin" doctor --timeout "${timeout_ms}ms" "${endpoints[@]}")
ratio=$(awk -v a="$blackhole_ms" -v t="$timeout_ms" 'BEGIN {printf "%.3f", a/t}')
echo "blackholed: 20 endpoints, --timeout ${timeout_ms}ms: median ${blackhole_ms} ms over $runs runs; ratio ${ratio} (target <= 1.15)"

venv=.peers/venv/bin/python
if [[ ! -x "$venv" ]]; then echo "healthy rotel: skipped (run scripts/setup-peers.sh)"; exit 0; fi
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
gp=$(free_port); hp=$(free_port)
"$venv" tests/peers/rotel.py --grpc-port "$gp" --http-port "$hp" --log "$tmp/rotel.log" &
pids+=($!)
for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$hp") 2>/dev/null && break; sleep 0.1; done
healthy_ms=$(median_ms env -i PATH="$PATH" TRACECTL_TEST_NO_HOST=1 OTEL_SERVICE_NAME=bench OTEL_EXPORTER_OTLP_PROTOCOL=grpc \
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$gp" "$bin" doctor --timeout 3s)
echo "healthy rotel: OTLP/gRPC 127.0.0.1:$gp, all checks: median ${healthy_ms} ms over $runs runs (target < 150 ms)"
