//! Reading manifests into workloads: env precedence and expansion, valueFrom, fieldRef,
//! services, collector configs, locations.

use super::*;
use crate::deploy::{Backing, EnvValue, ProblemKind, Role, TargetPort, Transport};

const APP: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: otel-env
data:
  OTEL_SERVICE_NAME: from-configmap
  OTEL_EXPORTER_OTLP_PROTOCOL: grpc
---
apiVersion: v1
kind: Secret
metadata:
  name: otel-auth
data:
  token: czNjcjN0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: checkout
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/checkout:1.0
          envFrom:
            - configMapRef:
                name: otel-env
            - configMapRef:
                name: not-there
            - secretRef:
                name: optional-secret
                optional: true
          env:
            - name: URL
              value: http://$(HOST_IP):4317
            - name: HOST_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.hostIP
            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: http://$(HOST_IP):4317
            - name: OTEL_SERVICE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.labels['app.kubernetes.io/name']
            - name: LITERAL
              value: $$(HOST_IP) and $(NOPE) cost $5
            - name: NS
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: APP_LABEL
              valueFrom:
                fieldRef:
                  fieldPath: metadata.labels['app']
          ports:
            - name: http
              containerPort: 8080
"#;

fn read_one(text: &str) -> Deployment {
    read(
        &[Input {
            name: "m.yaml".into(),
            text: text.into(),
        }],
        "default",
    )
}

#[test]
fn env_follows_the_kubelet() {
    let text = APP.replace("namespace: shop", "namespace: default");
    let d = read_one(&text);
    assert_eq!(d.workloads.len(), 1);
    let w = &d.workloads[0];
    assert_eq!(w.id, "default/Deployment/checkout/app");
    assert_eq!((w.source.line, w.role), (28, Role::App));
    let get = |n: &str| w.var(n).unwrap_or_else(|| panic!("{n}"));
    // Defined before HOST_IP: left as written.
    assert_eq!(
        get("URL").value,
        EnvValue::Literal("http://$(HOST_IP):4317".into())
    );
    let endpoint = get("OTEL_EXPORTER_OTLP_ENDPOINT");
    assert_eq!(
        endpoint.value,
        EnvValue::Literal("http://status.hostIP:4317".into())
    );
    assert_eq!(endpoint.placeholders, ["status.hostIP"]);
    assert_eq!(endpoint.source.line, 46);
    assert_eq!(
        get("HOST_IP").value,
        EnvValue::Placeholder("status.hostIP".into())
    );
    // env beats envFrom, and remembers what it overrode; a missing label is empty.
    let service = get("OTEL_SERVICE_NAME");
    assert_eq!(service.value, EnvValue::Literal(String::new()));
    assert_eq!(
        service.overrides,
        ["envFrom ConfigMap otel-env at m.yaml:6"]
    );
    assert_eq!(get("OTEL_EXPORTER_OTLP_PROTOCOL").source.line, 7);
    assert_eq!(
        get("LITERAL").value,
        EnvValue::Literal("$(HOST_IP) and $(NOPE) cost $5".into())
    );
    assert_eq!(get("NS").value, EnvValue::Literal("default".into()));
    assert_eq!(get("APP_LABEL").value, EnvValue::Literal("checkout".into()));
    // The required ConfigMap that is not in the input is a problem; the optional Secret is not.
    assert_eq!(d.problems.len(), 1, "{:?}", d.problems);
    assert_eq!(d.problems[0].kind, ProblemKind::MissingSource);
    assert_eq!(d.problems[0].location.line, 34);
    assert_eq!(w.ports[0].container_port, 8080);
}

#[test]
fn sources_are_looked_up_in_the_workloads_namespace() {
    let d = read_one(APP);
    let w = &d.workloads[0];
    assert_eq!(w.namespace, "shop");
    assert!(w.var("OTEL_EXPORTER_OTLP_PROTOCOL").is_none());
    assert_eq!(d.problems.len(), 2, "{:?}", d.problems);
}

const COLLECTOR: &str = r#"# Source: otel/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: otel-conf
data:
  relay: |
    receivers:
      otlp:
        protocols:
          grpc:
            endpoint: ${env:MY_POD_IP}:4317
---
# Source: otel/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: otel-collector
spec:
  selector:
    app: otel
  ports:
    - name: otlp
      port: 4317
      targetPort: otlp
    - name: jaeger-compact
      port: 6831
      protocol: UDP
---
# Source: otel/templates/ds.yaml
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: otel-agent
spec:
  template:
    metadata:
      labels:
        app: otel
    spec:
      containers:
        - name: otel
          image: otel/opentelemetry-collector-k8s:0.111.0
          args: ["--config=/conf/relay.yaml"]
          ports:
            - name: otlp
              containerPort: 4317
              hostPort: 4317
          volumeMounts:
            - name: conf
              mountPath: /conf
      volumes:
        - name: conf
          configMap:
            name: otel-conf
            items:
              - key: relay
                path: relay.yaml
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: setup
              image: busybox
          containers:
            - name: job
              image: python:3.12
"#;

#[test]
fn collectors_services_and_cronjobs() {
    let d = read_one(COLLECTOR);
    let ids: Vec<_> = d.workloads.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "default/DaemonSet/otel-agent/otel",
            "default/CronJob/nightly/job",
            "default/CronJob/nightly/setup"
        ]
    );
    let otel = &d.workloads[0];
    assert_eq!(otel.role, Role::Collector);
    assert_eq!(otel.template.as_deref(), Some("otel/templates/ds.yaml"));
    assert_eq!(otel.ports[0].host_port, Some(4317));
    assert!(d.workloads[2].init);
    let input = d.collector_of(&otel.id).unwrap();
    assert_eq!(input.configs[0].first.line, 8);
    assert!(input.configs[0].text.starts_with("receivers:"));
    let svc = &d.services[0];
    assert_eq!(svc.name, "otel-collector");
    assert_eq!(svc.ports[0].target, TargetPort::Name("otlp".into()));
    assert_eq!(svc.ports[1].transport, Transport::Udp);
    assert_eq!(
        svc.backing,
        Backing::Selector(vec![("app".into(), "otel".into())])
    );
}

#[test]
fn secrets_are_decoded_and_marked() {
    let text = APP.replace("namespace: shop", "namespace: default").replace(
        "            - name: LITERAL\n",
        "            - name: OTEL_EXPORTER_OTLP_HEADERS\n              valueFrom:\n                secretKeyRef:\n                  name: otel-auth\n                  key: token\n            - name: LITERAL\n",
    );
    let d = read_one(&text);
    let v = d.workloads[0].var("OTEL_EXPORTER_OTLP_HEADERS").unwrap();
    assert!(v.secret);
    assert_eq!(v.value.text(), "s3cr3t");
}
