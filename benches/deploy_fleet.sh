#!/usr/bin/env bash
# Wall time and peak memory of `tracectl doctor --k8s` over a fleet of N Deployments + Services +
# ConfigMaps (two containers each; N=1000 is ~1.5 MB of YAML), against PyYAML's C loader merely
# parsing the same file. Targets (issue 13): tracectl's wall time <= 0.25x the Python parse, peak
# memory <= 10x the input size. Memory is also given above the floor: the peak RSS of the same
# run over a fleet of one, which every input pays (the binary's and libc's code pages, the
# runtime, the allocator).
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

generate() {
python3 - "$1" "$2" <<'PY'
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
}
generate "$file" "$n"
generate "$dir/fleet-1.yaml" 1
bytes=$(stat -c %s "$file")
echo "input: $file, $n Deployments + Services + ConfigMaps, $((2 * n)) containers, $bytes bytes"

# The floor: the largest peak RSS of five runs over a fleet of one.
floor=$(for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%M" "$bin" doctor --k8s "$dir/fleet-1.yaml" 2>&1 >/dev/null | tail -1
done | sort -n | tail -1)
awk -v f="$floor" 'BEGIN { printf "floor: peak RSS %.1f MB over a fleet of one Deployment\n", f / 1024 }'

# Each format is run five times; the median wall time and the largest peak RSS are reported
# (one run on a shared machine can be off by a factor of two).
measure() {
    local format=$1 log="$dir/time-$1.log" code size
    : > "$log"
    for _ in 1 2 3 4 5; do
        set +e
        /usr/bin/time -f "%e %M" -a -o "$log" "$bin" doctor --k8s "$file" --format "$format" > "$dir/report.$format"
        code=$?
        set -e
    done
    size=$(stat -c %s "$dir/report.$format")
    sort -n "$log" | awk 'NR == 3 {print $1}' > "$dir/wall-$format"
    sort -n "$log" | awk -v f="$format" -v c="$code" -v b="$bytes" -v s="$size" -v fl="$floor" '
        NR == 3 { w = $1 }
        { m = ($2 > m) ? $2 : m }
        END { printf "tracectl doctor --k8s --format %s: exit %s, median wall %.2f s, peak RSS %.1f MB (%.1fx the input; %.1f MB above the floor, %.1fx the input), output %d bytes\n", f, c, w, m / 1024, m * 1024 / b, (m - fl) / 1024, (m - fl) * 1024 / b, s }'
}
measure human
measure json

python=".peers/venv/bin/python"
if ! "$python" -c "import yaml; yaml.CSafeLoader" 2>/dev/null; then
    venv="$dir/pyyaml-venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyyaml
    python="$venv/bin/python"
fi
"$python" - "$file" "$dir" <<'PY'
import sys, time, yaml
path, dir = sys.argv[1], sys.argv[2]
text = open(path).read()
runs = []
for _ in range(3):
    start = time.perf_counter()
    docs = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    runs.append(time.perf_counter() - start)
python = sorted(runs)[1]
print(f"PyYAML {yaml.__version__} CSafeLoader: {len(docs)} documents parsed in {python:.3f} s (median of 3)")
for fmt in ("human", "json"):
    wall = float(open(f"{dir}/wall-{fmt}").read())
    print(f"ratio tracectl ({fmt}) / PyYAML parse: {wall / python:.2f}x (target <= 0.25x)")
PY
