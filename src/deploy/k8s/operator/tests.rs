//! The webhook simulation on whole manifests: namespace annotations, layers, per-language
//! variables, refusals, OpenTelemetryCollector objects.

use crate::deploy::k8s::{Input, read};
use crate::deploy::{Deployment, EnvVar, InjectionIssue, Role, TargetPort};

fn deployment(text: &str) -> Deployment {
    read(
        &[Input {
            name: "m.yaml".into(),
            text: text.into(),
        }],
        "default",
    )
}

const INST: &str = "apiVersion: opentelemetry.io/v1alpha1
kind: Instrumentation
metadata:
  name: inst
  namespace: shop
spec:
  exporter:
    endpoint: http://otel-collector:4318
  sampler:
    type: parentbased_traceidratio
    argument: \"0.1\"
---
";

/// A Deployment `web` in `shop` with pod annotations (indented 8) and container env (12).
fn app(annotations: &str, env: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      annotations:
        x: y
{annotations}    spec:
      containers:
        - name: app
          image: registry.example/web:1.0
          env:
            - name: LOG
              value: info
{env}"
    )
}

fn var<'a>(d: &'a Deployment, container: &str, name: &str) -> Option<&'a EnvVar> {
    d.workloads
        .iter()
        .find(|w| w.container == container)
        .and_then(|w| w.var(name))
}

fn value(d: &Deployment, container: &str, name: &str) -> Option<String> {
    var(d, container, name).map(|v| v.value.text().to_string())
}

#[test]
fn a_namespace_annotation_injects_unless_the_pod_says_false() {
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    instrumentation.opentelemetry.io/inject-java: \"true\"\n---\n";
    let d = deployment(&format!("{ns}{INST}{}", app("", "")));
    let agent = value(&d, "app", "JAVA_TOOL_OPTIONS").unwrap();
    assert_eq!(
        agent,
        " -javaagent:/otel-auto-instrumentation-java-app/javaagent.jar"
    );
    assert_eq!(var(&d, "app", "JAVA_TOOL_OPTIONS").unwrap().source.line, 6);
    let off = "        instrumentation.opentelemetry.io/inject-java: \"false\"\n";
    let d = deployment(&format!("{ns}{INST}{}", app(off, "")));
    assert_eq!(value(&d, "app", "JAVA_TOOL_OPTIONS"), None);
}

#[test]
fn the_sampler_is_added_only_when_the_app_sets_neither_variable() {
    let java = "        instrumentation.opentelemetry.io/inject-java: \"true\"\n";
    let d = deployment(&format!("{INST}{}", app(java, "")));
    assert_eq!(
        value(&d, "app", "OTEL_TRACES_SAMPLER").as_deref(),
        Some("parentbased_traceidratio")
    );
    assert_eq!(
        value(&d, "app", "OTEL_TRACES_SAMPLER_ARG").as_deref(),
        Some("0.1")
    );
    let arg = "            - name: OTEL_TRACES_SAMPLER_ARG\n              value: \"0.5\"\n";
    let d = deployment(&format!("{INST}{}", app(java, arg)));
    assert_eq!(value(&d, "app", "OTEL_TRACES_SAMPLER"), None);
    assert_eq!(
        var(&d, "app", "OTEL_TRACES_SAMPLER_ARG").unwrap().origin,
        "env"
    );
}

#[test]
fn java_tool_options_is_extended_and_an_envfrom_copy_is_overridden() {
    let java = "        instrumentation.opentelemetry.io/inject-java: \"true\"\n";
    let opts = "            - name: JAVA_TOOL_OPTIONS\n              value: -Xmx1g\n";
    let d = deployment(&format!("{INST}{}", app(java, opts)));
    let v = var(&d, "app", "JAVA_TOOL_OPTIONS").unwrap();
    assert_eq!(
        v.value.text(),
        "-Xmx1g -javaagent:/otel-auto-instrumentation-java-app/javaagent.jar"
    );
    assert!(v.origin.starts_with("env, -javaagent"), "{}", v.origin);
    let cm = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: jvm\n  namespace: shop\ndata:\n  JAVA_TOOL_OPTIONS: -Xmx1g\n";
    let text = format!("{INST}{}{cm}", app(java, "")).replace(
        "          env:\n",
        "          envFrom:\n            - configMapRef:\n                name: jvm\n          env:\n",
    );
    let d = deployment(&text);
    let v = var(&d, "app", "JAVA_TOOL_OPTIONS").unwrap();
    assert_eq!(v.overrides.len(), 1, "{v:?}");
    let issue = d
        .injections
        .iter()
        .find(|i| i.issue == InjectionIssue::EnvFromOverridden)
        .unwrap();
    assert!(
        issue.message.contains("JAVA_TOOL_OPTIONS"),
        "{}",
        issue.message
    );
}

#[test]
fn dotnet_refuses_a_preset_home_and_two_languages_need_container_names() {
    let dotnet = "        instrumentation.opentelemetry.io/inject-dotnet: \"true\"\n";
    let home = "            - name: OTEL_DOTNET_AUTO_HOME\n              value: /custom\n";
    let d = deployment(&format!("{INST}{}", app(dotnet, home)));
    assert_eq!(value(&d, "app", "CORECLR_ENABLE_PROFILING"), None);
    assert!(
        d.injections
            .iter()
            .any(|i| i.issue == InjectionIssue::Skipped)
    );
    let d = deployment(&format!("{INST}{}", app(dotnet, "")));
    assert_eq!(
        value(&d, "app", "CORECLR_ENABLE_PROFILING").as_deref(),
        Some("1")
    );
    assert_eq!(
        value(&d, "app", "DOTNET_STARTUP_HOOKS").as_deref(),
        Some(
            "/otel-auto-instrumentation-dotnet/net/OpenTelemetry.AutoInstrumentation.StartupHook.dll"
        )
    );
    let both =
        format!("{dotnet}        instrumentation.opentelemetry.io/inject-python: \"true\"\n");
    let d = deployment(&format!("{INST}{}", app(&both, "")));
    assert_eq!(value(&d, "app", "OTEL_SERVICE_NAME"), None);
    assert!(
        d.injections
            .iter()
            .any(|i| i.message.contains("several languages"))
    );
}

#[test]
fn the_service_name_annotation_and_pods_name_the_service() {
    let ann = "        instrumentation.opentelemetry.io/inject-sdk: \"true\"\n        resource.opentelemetry.io/service.name: storefront\n";
    let d = deployment(&format!("{INST}{}", app(ann, "")));
    let v = var(&d, "app", "OTEL_SERVICE_NAME").unwrap();
    assert_eq!(v.value.text(), "storefront");
    assert!(v.origin.contains("annotation"), "{}", v.origin);
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: one-off\n  namespace: shop\n  annotations:\n    instrumentation.opentelemetry.io/inject-sdk: \"true\"\nspec:\n  containers:\n    - name: c\n      image: x:1\n";
    let d = deployment(&format!("{INST}{pod}"));
    assert_eq!(
        value(&d, "c", "OTEL_SERVICE_NAME").as_deref(),
        Some("one-off")
    );
    assert!(
        value(&d, "c", "OTEL_RESOURCE_ATTRIBUTES")
            .unwrap()
            .contains("k8s.pod.name=one-off")
    );
}

#[test]
fn a_string_config_collector_gets_its_service_and_a_sidecar_joins_its_pod() {
    let cr = "apiVersion: opentelemetry.io/v1alpha1
kind: OpenTelemetryCollector
metadata:
  name: gw
  namespace: shop
spec:
  config: |
    receivers:
      otlp:
        protocols:
          http:
            endpoint: 0.0.0.0:4318
    exporters:
      debug: {}
    service:
      pipelines:
        traces: {receivers: [otlp], exporters: [debug]}
---
";
    let d = deployment(&format!("{cr}{INST}{}", app("", "")));
    let s = d
        .services
        .iter()
        .find(|s| s.name == "gw-collector")
        .unwrap();
    assert_eq!(s.ports.len(), 1);
    assert_eq!(s.ports[0].target, TargetPort::Number(4318));
    let c = d
        .collectors
        .iter()
        .find(|c| c.workload.ends_with("gw/otc-container"))
        .unwrap();
    assert_eq!(c.configs[0].first.line, 8);
    assert!(c.configs[0].text.starts_with("receivers:"));
    let sidecar = cr.replace("spec:\n  config", "spec:\n  mode: sidecar\n  config");
    let ann = "        sidecar.opentelemetry.io/inject: \"true\"\n";
    let d = deployment(&format!("{sidecar}{INST}{}", app(ann, "")));
    assert!(d.services.iter().all(|s| s.name != "gw-collector"));
    let joined = d
        .workloads
        .iter()
        .find(|w| w.id == "shop/Deployment/web/otc-container")
        .unwrap();
    assert_eq!(joined.role, Role::Collector);
    assert!(d.injections.is_empty(), "{:?}", d.injections);
}

#[test]
fn a_map_config_keeps_its_lines() {
    let cr = "kind: OpenTelemetryCollector
metadata:
  name: gw
spec:
  config:
    receivers:
      otlp:
        protocols:
          grpc:
            endpoint: 0.0.0.0:4317

    exporters:
      debug: {}
  mode: statefulset
";
    let d = deployment(cr);
    let c = &d.collectors[0];
    assert_eq!(c.configs[0].first.line, 6);
    assert!(c.configs[0].text.contains("debug: {}"));
    assert!(!c.configs[0].text.contains("mode:"));
    assert_eq!(d.services[0].ports[0].port, 4317);
}

#[test]
fn odd_shapes_are_read_without_panicking() {
    let odd = [
        "kind: Instrumentation\nmetadata: {name: i}\nspec: []\n",
        "kind: Instrumentation\nmetadata: {name: i}\nspec: {env: 5, python: {env: [x, {name: [1]}]}, propagators: {a: b}, exporter: {tls: 3}}\n",
        "kind: OpenTelemetryCollector\nmetadata: {name: c}\nspec: {config: [1, 2], mode: [x]}\n",
        "kind: OpenTelemetryCollector\nmetadata: {name: c}\nspec:\n  config: {receivers: {otlp: {protocols: {grpc: {}}}}}\n",
        "kind: OpenTelemetryCollector\nmetadata: {name: c}\nspec:\n  config:\n",
        "kind: Namespace\nmetadata: {name: shop, annotations: [x]}\n",
    ];
    let pod = app(
        "        instrumentation.opentelemetry.io/inject-python: \"i\"\n        instrumentation.opentelemetry.io/container-names: \",,\"\n        sidecar.opentelemetry.io/inject: \"c\"\n",
        "",
    )
    .replace("namespace: shop", "namespace: default");
    for text in odd {
        let d = deployment(&format!("{text}---\n{pod}"));
        assert!(!d.workloads.is_empty(), "{text}");
    }
}
