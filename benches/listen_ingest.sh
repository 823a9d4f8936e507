#!/usr/bin/env bash
# Benchmark (not a test): OTLP/gRPC spans/s ingested without loss by `tracectl listen`, against the
# rotel collector receiving the same load on the same machine. Loopback only, ports picked here.
#   benches/listen_ingest.sh [REQUESTS] [SPANS_PER_REQUEST] [CONCURRENCY]
# Needs scripts/setup-peers.sh (the venv) and builds tracectl in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-2000}
SPANS=${2:-100}
CONCURRENCY=${3:-8}
TOTAL=$((REQUESTS * SPANS))
PY=.peers/venv/bin/python
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; return 1; }

cargo build --release --quiet
echo "load: $REQUESTS Export calls x $SPANS spans = $TOTAL spans, $CONCURRENCY in flight ($(nproc) cores)"

PORT=$(free_port)
target/release/tracectl listen --only otlp-grpc --otlp-grpc 127.0.0.1:$PORT --format json \
  --count $TOTAL --duration 300s > /dev/null 2> "$TMP/listen.err" &
LISTEN=$!
wait_port $PORT
LOAD=$($PY benches/otlp_load.py --port $PORT --requests $REQUESTS --spans $SPANS --concurrency $CONCURRENCY)
wait $LISTEN || true
echo "tracectl listen: $LOAD"
grep '"event":"summary"' "$TMP/listen.err" | tail -1
grep '"event":"stopped"' "$TMP/listen.err"

GRPC=$(free_port); HTTP=$(free_port)
$PY tests/peers/rotel.py --grpc-port $GRPC --http-port $HTTP --log "$TMP/rotel.log" --verbosity basic --disable-batching &
ROTEL=$!
wait_port $GRPC
LOAD=$($PY benches/otlp_load.py --port $GRPC --requests $REQUESTS --spans $SPANS --concurrency $CONCURRENCY)
sleep 1
kill $ROTEL; wait $ROTEL 2>/dev/null || true
echo "rotel:           $LOAD"
echo "rotel logged spans: $(grep -o ' spans=[0-9]*' "$TMP/rotel.log" | cut -d= -f2 | paste -sd+ | bc)"
