#!/usr/bin/env bash
# Benchmark (not a test): OTLP/gRPC spans/s ingested without loss by `tracectl listen`, against the
# rotel collector receiving the same load on the same machine. Loopback only, ports picked here.
#   benches/listen_ingest.sh [REQUESTS] [SPANS_PER_REQUEST] [CONCURRENCY]
#   TRACECTL=path/to/tracectl benches/listen_ingest.sh ...   # another build (e.g. to compare)
#   SKIP_ROTEL=1 benches/listen_ingest.sh ...                 # listen only
#   ROTEL_VERBOSITY=detailed benches/listen_ingest.sh ...     # rotel prints every span, as listen does
#   LOAD_SECONDS=5 benches/listen_ingest.sh 0 100 16          # load from `tracectl send-test-span
#       --rate 0` (CONCURRENCY workers, each its own connection) for 5 s instead of otlp_load.py
# Needs scripts/setup-peers.sh (the venv) and builds tracectl in release mode.
# What each side does: listen decodes every request, writes every span as a JSON line to /dev/null
# and runs its diagnoses; rotel (--verbosity basic, the default here) decodes and logs span counts
# per request, or with ROTEL_VERBOSITY=detailed prints every span to its log.
# The load rate is measured by the client (an Export call returns once the receiver took the
# request); for listen, "end to end" also times writing the last span line (it stops on --count).
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
# load PORT: sends the load to 127.0.0.1:PORT and prints the client's figures on one line.
load() {
  if [ -n "${LOAD_SECONDS:-}" ]; then
    "$TRACECTL" send-test-span --endpoint "http://127.0.0.1:$1" --protocol grpc --rate 0 \
      --workers "$CONCURRENCY" --spans "$SPANS" --duration "${LOAD_SECONDS}s" | grep -E 'rate|accepted' | tr -s ' ' | paste -sd' '
  else
    $PY benches/otlp_load.py --port "$1" --requests "$REQUESTS" --spans "$SPANS" --concurrency "$CONCURRENCY"
  fi
}

if [ -z "${TRACECTL:-}" ]; then
  cargo build --release --quiet
  TRACECTL=target/release/tracectl
fi
if [ -n "${LOAD_SECONDS:-}" ]; then
  echo "load: send-test-span for ${LOAD_SECONDS}s, $SPANS spans per request, $CONCURRENCY workers ($(nproc) cores)"
  STOP=(--duration "$((LOAD_SECONDS + 3))s")
else
  echo "load: $REQUESTS Export calls x $SPANS spans = $TOTAL spans, $CONCURRENCY in flight ($(nproc) cores)"
  STOP=(--count "$TOTAL" --duration 300s)
fi

PORT=$(free_port)
# /usr/bin/time gives listen's CPU time: per span, a steadier figure than rates on a busy machine.
/usr/bin/time -f "%U %S" -o "$TMP/listen.time" "$TRACECTL" listen --only otlp-grpc --otlp-grpc 127.0.0.1:$PORT --format json \
  "${STOP[@]}" > /dev/null 2> "$TMP/listen.err" &
LISTEN=$!
wait_port $PORT
STARTED=$(date +%s.%N)
LOAD=$(load $PORT)
wait $LISTEN || true
ENDED=$(date +%s.%N)
echo "tracectl listen: $LOAD"
if [ -z "${LOAD_SECONDS:-}" ]; then
  echo "tracectl listen end to end: $(echo "$TOTAL / ($ENDED - $STARTED)" | bc) spans/s (load start to last line written)"
fi
grep '"event":"summary"' "$TMP/listen.err" | tail -1
grep '"event":"stopped"' "$TMP/listen.err"
SPANS_SEEN=$(grep '"event":"summary"' "$TMP/listen.err" | tail -1 | grep -o '"spans":[0-9]*}$' | grep -o '[0-9]*')
read -r USER_S SYS_S < "$TMP/listen.time"
echo "tracectl listen CPU: ${USER_S}s user + ${SYS_S}s sys = $(echo "($USER_S + $SYS_S) * 10^9 / $SPANS_SEEN" | bc) ns per span"

[ "${SKIP_ROTEL:-}" = 1 ] && exit 0
GRPC=$(free_port); HTTP=$(free_port)
$PY tests/peers/rotel.py --grpc-port $GRPC --http-port $HTTP --log "$TMP/rotel.log" --verbosity "${ROTEL_VERBOSITY:-basic}" --disable-batching &
ROTEL=$!
wait_port $GRPC
LOAD=$(load $GRPC)
sleep 1
kill $ROTEL; wait $ROTEL 2>/dev/null || true
echo "rotel:           $LOAD"
if [ "${ROTEL_VERBOSITY:-basic}" = detailed ]; then
  echo "rotel logged spans: $(grep -c '^Span #' "$TMP/rotel.log")"
else
  echo "rotel logged spans: $(grep -o ' spans=[0-9]*' "$TMP/rotel.log" | cut -d= -f2 | paste -sd+ | bc)"
fi
