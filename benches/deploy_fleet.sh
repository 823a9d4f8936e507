#!/usr/bin/env bash
# Wall time and peak memory of `tracectl doctor --k8s` over a fleet of N Deployments + Services +
# ConfigMaps (two containers each; N=1000 is ~1.5 MB of YAML), against PyYAML's C loader merely
# parsing the same file. Targets (issue 13): tracectl's wall time <= 0.25x the Python parse, peak
# memory <= 10x the input size.
# Usage: benches/deploy_fleet.sh [N]   (default 1000). Needs python3 (PyYAML is installed into a
# temporary venv when the peers venv lacks it) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
dir=target/bench-fleet
mkdir -p "$dir"
file="$dir/fleet-$n.yaml"

cargo build --release --locked --quiet
bin=target/release/tracectl

python3 - "$file" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        ns = f"team-{i % 20}"
        name = f"svc-{i:04d}"
        proto = "grpc" if i % 2 else "http/protobuf"
        port = 4317 if i % 2 else 4318
        f.write(f"""---
# Source: fleet/templates/{name}.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-otel
  namespace: {ns}
data:
  OTEL_EXPORTER_OTLP_PROTOCOL: {proto}
  OTEL_RESOURCE_ATTRIBUTES: service.namespace={ns},deployment.environment=prod
  OTEL_TRACES_SAMPLER: parentbased_traceidratio
  OTEL_TRACES_SAMPLER_ARG: "0.25"
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  selector:
    app: {name}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
        app.kubernetes.io/name: {name}
    spec:
      containers:
        - name: app
          image: registry.example.com/{ns}/{name}:1.{i % 7}.0
          envFrom:
            - configMapRef:
                name: {name}-otel
          env:
            - name: OTEL_SERVICE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.labels['app.kubernetes.io/name']
            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: http://otel-collector.observability.svc:{port}
          ports:
            - name: http
              containerPort: 8080
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          args: ["-c", "/etc/envoy/envoy.yaml"]
          ports:
            - name: admin
              containerPort: 9901
""")
PY
bytes=$(stat -c %s "$file")
echo "input: $file, $n Deployments + Services + ConfigMaps, $((2 * n)) containers, $bytes bytes"

log="$dir/time.log"
set +e
/usr/bin/time -v "$bin" doctor --k8s "$file" --format json > "$dir/report.json" 2> "$log"
code=$?
set -e
wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
rss_kb=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
echo "tracectl doctor --k8s: exit $code, wall $wall, peak RSS $((rss_kb / 1024)) MB ($((rss_kb * 1024 / bytes))x the input)"

python=".peers/venv/bin/python"
if ! "$python" -c "import yaml; yaml.CSafeLoader" 2>/dev/null; then
    venv="$dir/pyyaml-venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyyaml
    python="$venv/bin/python"
fi
"$python" - "$file" "$log" <<'PY'
import re, sys, time, yaml
path, log = sys.argv[1], sys.argv[2]
text = open(path).read()
start = time.perf_counter()
docs = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
python = time.perf_counter() - start
wall = open(log).read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", wall)
h, mnt, s = int(m.group(1) or 0), int(m.group(2)), float(m.group(3))
tracectl = h * 3600 + mnt * 60 + s
print(f"PyYAML {yaml.__version__} CSafeLoader: {len(docs)} documents parsed in {python:.3f} s")
print(f"ratio tracectl / PyYAML parse: {tracectl / python:.2f}x (target <= 0.25x)")
PY
