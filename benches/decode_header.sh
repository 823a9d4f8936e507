#!/usr/bin/env bash
# Benchmark of `tracectl decode-header` (not a test; run by hand on an idle machine):
#   1. throughput of `--each-line --quiet` and `--each-line --format json` on a 1,000,000-line file
#      of traceparent values (generated once into target/bench/, deterministic), in values/s;
#   2. the same file through the OpenTelemetry Python SDK's TraceContextTextMapPropagator
#      (benches/python_traceparent.py, needs .peers/venv from scripts/setup-peers.sh);
#   3. the wall time of one invocation against `true` (process spawn).
# Needs hyperfine (apt-get install hyperfine) and a release build, which it makes.
# Env: LINES (default 1000000), RUNS (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."

lines="${LINES:-1000000}"
runs="${RUNS:-10}"
bin=target/release/tracectl
dir=target/bench
data="$dir/traceparent-$lines.txt"
python=.peers/venv/bin/python

cargo build --release --locked --quiet
mkdir -p "$dir"
if [[ ! -f "$data" ]]; then
  python3 - "$lines" "$data" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261121)
with open(path, "w") as f:
    for _ in range(n):
        f.write(f"00-{rng.getrandbits(128) | 1:032x}-{rng.getrandbits(64) | 1:016x}-{rng.choice(('00', '01', '03'))}\n")
PY
fi

"$bin" decode-header --each-line --quiet < "$data" || { echo "bench: the file does not decode as valid" >&2; exit 1; }

rate() { # hyperfine JSON export -> values/s per command, by wall time and by CPU (user+sys) time
  python3 - "$1" "$lines" <<'PY'
import json, sys
doc, n = json.load(open(sys.argv[1])), int(sys.argv[2])
for r in doc["results"]:
    cpu = r["user"] + r["system"]
    print(f"{r['command']}\n    wall {r['mean']:.4f} s ± {r['stddev'] or 0:.4f} -> {n / r['mean']:,.0f} values/s;"
          f" cpu {cpu:.4f} s -> {n / cpu:,.0f} values/s")
PY
}

echo "== tracectl, $lines traceparent values"
hyperfine --warmup 2 --runs "$runs" --export-json "$dir/tracectl.json" \
  "$bin decode-header --each-line --quiet < $data" \
  "$bin decode-header --each-line --format json < $data > /dev/null"
rate "$dir/tracectl.json"

if [[ -x "$python" ]]; then
  echo "== OpenTelemetry Python SDK TraceContextTextMapPropagator, same file"
  hyperfine --runs 2 --export-json "$dir/python.json" "$python benches/python_traceparent.py $data"
  rate "$dir/python.json"
else
  echo "== skipped the Python baseline: $python is missing (run scripts/setup-peers.sh)"
fi

echo "== one invocation against process spawn"
hyperfine -N --warmup 50 --runs 500 --export-json "$dir/spawn.json" \
  "$bin decode-header --quiet 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" "true"
python3 - "$dir/spawn.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"decode-header {r[0]['mean'] * 1e3:.2f} ms, true {r[1]['mean'] * 1e3:.2f} ms, "
      f"difference {(r[0]['mean'] - r[1]['mean']) * 1e3:.2f} ms")
PY
