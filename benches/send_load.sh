#!/usr/bin/env bash
# Load mode into one rotel over OTLP/gRPC, against the OpenTelemetry Python SDK (BatchSpanProcessor)
# exporting the same span shape to the same rotel. Prints both rates.
#   benches/send_load.sh [SECONDS] [SPANS_PER_TRACE] [WORKERS]
# 16 workers (connections): one gRPC connection into rotel is latency-bound (about a third of the
# requests wait ~40 ms for rotel's side of the HTTP/2 exchange, a delayed-ACK pattern; HTTP/1.1 does
# not show it), so more connections keep rotel busy; tracectl itself uses under a core.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-5}
SPANS=${2:-512}
WORKERS=${3:-16}
PY=.peers/venv/bin/python
cargo build --release --quiet
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
GP=$(port); HP=$(port)
LOG=$(mktemp)
$PY tests/peers/rotel.py --grpc-port "$GP" --http-port "$HP" --log "$LOG" --verbosity basic &
ROTEL=$!
trap 'kill $ROTEL 2>/dev/null; rm -f "$LOG"' EXIT
until (echo >/dev/tcp/127.0.0.1/"$GP") 2>/dev/null; do sleep 0.05; done
echo "== tracectl load mode ($SECONDS_RUN s, $SPANS spans/request, $WORKERS workers)"
env -i PATH="$PATH" target/release/tracectl send-test-span --protocol grpc \
  --endpoint "http://127.0.0.1:$GP" --rate 0 --duration "${SECONDS_RUN}s" --workers "$WORKERS" --spans "$SPANS"
echo "== OpenTelemetry Python SDK, BatchSpanProcessor ($SECONDS_RUN s)"
env -i PATH="$PATH" "$PY" benches/otel_python_load.py --endpoint "http://127.0.0.1:$GP" \
  --seconds "$SECONDS_RUN" --spans "$SPANS"
