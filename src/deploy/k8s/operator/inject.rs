//! The env the webhook adds to one container, layer by layer in its order: `spec.<lang>.env`,
//! the pod and node IPs and `spec.env`, the language's own variables, then the service name,
//! exporter, resource, propagator and sampler variables. A layer adds a variable only when the
//! container's `env` list (not `envFrom`) and the layers before it leave it unset.

use super::instrumentation::Instrumentation;
use super::lang::Lang;
use super::resource::{self, PodFacts};
use crate::deploy::{EnvValue, EnvVar, Location};
use crate::settings::is_secret;

/// What one container is injected with.
pub struct Target<'a> {
    pub inst: &'a Instrumentation,
    pub lang: Lang,
    pub pod: &'a PodFacts<'a>,
    /// The app container the telemetry is about (for Go, not the agent the env goes to).
    pub container: &'a str,
    pub image: Option<&'a str>,
    /// Where operator defaults are shown as written: the `inject-*` annotation's line.
    pub annotation: &'a Location,
}

/// An `envFrom` value an injected `env` entry overrides: the variable, its old and new origins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overridden {
    pub name: String,
    pub was: EnvVar,
    pub by: EnvVar,
}

/// The environment being built, sorted by name like [`crate::deploy::Workload::env`].
pub struct Env<'a> {
    pub vars: &'a mut Vec<EnvVar>,
    pub overridden: Vec<Overridden>,
}

fn from_env_list(v: &EnvVar) -> bool {
    !v.origin.starts_with("envFrom")
}

/// Whether `v` comes from a `valueFrom` entry (the webhook leaves those alone or skips).
pub fn value_from(v: &EnvVar) -> bool {
    ["valueFrom", "fieldRef", "resourceFieldRef"]
        .iter()
        .any(|p| v.origin.starts_with(p))
}

impl Env<'_> {
    fn position(&self, name: &str) -> Result<usize, usize> {
        self.vars.binary_search_by(|v| v.name.as_str().cmp(name))
    }

    /// The definition the webhook sees in the container's `env` list.
    pub fn get(&self, name: &str) -> Option<&EnvVar> {
        self.position(name)
            .ok()
            .map(|i| &self.vars[i])
            .filter(|v| from_env_list(v))
    }

    /// Sets `name` whether or not it is set (the webhook's replace).
    fn put(&mut self, name: &str, value: EnvValue, source: Location, origin: String) {
        // Run-time fields the operator writes as `$(OTEL_RESOURCE_ATTRIBUTES_…)` references.
        let placeholders = ["metadata.name", "metadata.uid", "spec.nodeName"]
            .iter()
            .filter(|p| name == "OTEL_RESOURCE_ATTRIBUTES" && value.text().contains(*p))
            .map(|p| p.to_string())
            .collect();
        let mut var = EnvVar {
            name: name.to_string(),
            placeholders,
            value,
            source,
            origin,
            secret: is_secret(name),
            overrides: Vec::new(),
        };
        match self.position(name) {
            Ok(i) => {
                let old = &self.vars[i];
                if !from_env_list(old) {
                    self.overridden.push(Overridden {
                        name: name.to_string(),
                        was: old.clone(),
                        by: var.clone(),
                    });
                }
                var.overrides = vec![format!("{} at {}", old.origin, old.source)];
                var.overrides.extend(old.overrides.iter().cloned());
                var.secret |= old.secret;
                self.vars[i] = var;
            }
            Err(i) => self.vars.insert(i, var),
        }
    }

    /// Adds `name` unless the container's `env` or an earlier layer sets it.
    pub fn add(&mut self, name: &str, value: EnvValue, source: &Location, origin: &str) {
        if self.get(name).is_none() {
            self.put(name, value, source.clone(), origin.to_string());
        }
    }
}

fn literal(text: &str) -> EnvValue {
    EnvValue::Literal(text.to_string())
}

/// Why the webhook skips the container, if it does: a variable it must rewrite comes from
/// `valueFrom`, or .NET's home is already set.
pub fn refusal(t: &Target, env: &Env) -> Option<String> {
    for name in t.lang.rewritten() {
        if let Some(v) = env.get(name).filter(|v| value_from(v)) {
            return Some(format!(
                "{name} comes from {} ({}), which the webhook will not rewrite, so it skips {} injection for this container",
                v.origin,
                v.source,
                t.lang.annotation()
            ));
        }
    }
    if t.lang == Lang::DotNet {
        if let Some(v) = env.get("OTEL_DOTNET_AUTO_HOME") {
            return Some(format!(
                "OTEL_DOTNET_AUTO_HOME is already set ({}), so the webhook skips .NET injection for this container",
                v.source
            ));
        }
        if t.inst
            .lang_env("dotnet")
            .iter()
            .any(|v| v.name == "OTEL_DOTNET_AUTO_HOME")
        {
            return Some("OTEL_DOTNET_AUTO_HOME is set in spec.dotnet.env, so the webhook skips .NET injection".into());
        }
    }
    None
}

/// Applies every layer to `env`, in the webhook's order.
pub fn apply(t: &Target, env: &mut Env) {
    let id = t.inst.id();
    let default = format!("operator default ({})", t.lang.annotation());
    if let Some(key) = t.lang.spec_key() {
        let origin = format!("Instrumentation {id} spec.{key}.env");
        for v in t.inst.lang_env(key) {
            env.add(&v.name, v.value.clone(), &v.at, &origin);
        }
    }
    t.lang.before_common(env, t.annotation, &default);
    for (name, path) in [
        ("OTEL_NODE_IP", "status.hostIP"),
        ("OTEL_POD_IP", "status.podIP"),
    ] {
        env.add(
            name,
            EnvValue::Placeholder(path.into()),
            t.annotation,
            &default,
        );
    }
    let origin = format!("Instrumentation {id} spec.env");
    for v in &t.inst.env {
        env.add(&v.name, v.value.clone(), &v.at, &origin);
    }
    t.lang.defaults(env, t.container, t.annotation, &default);
    common(t, env, &id, &default);
}

fn common(t: &Target, env: &mut Env, id: &str, default: &str) {
    let existing = env
        .get("OTEL_RESOURCE_ATTRIBUTES")
        .map(|v| v.value.text().to_string());
    let (name, why) = resource::service_name(t.pod, t.inst, t.container);
    env.add(
        "OTEL_SERVICE_NAME",
        name,
        t.annotation,
        &format!("operator default: {why}"),
    );
    if let Some(e) = &t.inst.endpoint {
        let origin = format!("Instrumentation {id} spec.exporter.endpoint");
        env.add(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            literal(&e.value),
            &e.at,
            &origin,
        );
    }
    if let Some((tls, at)) = &t.inst.tls {
        let origin = format!("Instrumentation {id} spec.exporter.tls");
        let secret_dir = format!("/otel-auto-instrumentation-secret-{}", tls.secret);
        let ca_dir = if tls.config_map.is_empty() {
            secret_dir.clone()
        } else {
            format!("/otel-auto-instrumentation-configmap-{}", tls.config_map)
        };
        let path = |dir: &str, file: &str| {
            if file.starts_with('/') {
                file.to_string()
            } else {
                format!("{dir}/{file}")
            }
        };
        for (name, dir, file) in [
            ("OTEL_EXPORTER_OTLP_CERTIFICATE", &ca_dir, &tls.ca),
            (
                "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE",
                &secret_dir,
                &tls.cert,
            ),
            ("OTEL_EXPORTER_OTLP_CLIENT_KEY", &secret_dir, &tls.key),
        ] {
            if !file.is_empty() {
                env.add(name, literal(&path(dir, file)), at, &origin);
            }
        }
    }
    let fields = [
        ("OTEL_RESOURCE_ATTRIBUTES_POD_NAME", "metadata.name", true),
        (
            "OTEL_RESOURCE_ATTRIBUTES_POD_UID",
            "metadata.uid",
            t.inst.uid_attributes,
        ),
        ("OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", "spec.nodeName", true),
    ];
    for (name, path, wanted) in fields {
        if wanted {
            env.add(
                name,
                EnvValue::Placeholder(path.into()),
                t.annotation,
                default,
            );
        }
    }
    let attrs = resource::attributes(
        t.pod,
        t.inst,
        t.container,
        t.image,
        existing.as_deref().unwrap_or(""),
    );
    match env.get("OTEL_RESOURCE_ATTRIBUTES").cloned() {
        Some(old) => {
            let text = old.value.text();
            let sep = if text.ends_with(',') { "" } else { "," };
            let origin = format!("{}, k8s attributes appended by the operator", old.origin);
            env.put(
                "OTEL_RESOURCE_ATTRIBUTES",
                literal(&format!("{text}{sep}{attrs}")),
                old.source,
                origin,
            );
        }
        None => env.add(
            "OTEL_RESOURCE_ATTRIBUTES",
            literal(&attrs),
            t.annotation,
            default,
        ),
    }
    if let Some(p) = &t.inst.propagators {
        let origin = format!("Instrumentation {id} spec.propagators");
        env.add("OTEL_PROPAGATORS", literal(&p.value), &p.at, &origin);
    }
    let app_samples =
        env.get("OTEL_TRACES_SAMPLER").is_some() || env.get("OTEL_TRACES_SAMPLER_ARG").is_some();
    if let (Some(kind), false) = (&t.inst.sampler_type, app_samples) {
        let origin = format!("Instrumentation {id} spec.sampler");
        env.add(
            "OTEL_TRACES_SAMPLER",
            literal(&kind.value),
            &kind.at,
            &origin,
        );
        if let Some(arg) = &t.inst.sampler_argument {
            env.add(
                "OTEL_TRACES_SAMPLER_ARG",
                literal(&arg.value),
                &arg.at,
                &origin,
            );
        }
    }
}

/// Sets `name` to the container's own value (when its `env` has one) with `suffix` appended,
/// or to `suffix` alone.
pub fn append(env: &mut Env, name: &str, suffix: &str, at: &Location, default: &str) {
    match env.get(name).cloned() {
        Some(old) if value_from(&old) => {}
        Some(old) => {
            let origin = format!("{}, {} appended by the operator", old.origin, suffix.trim());
            let value = format!("{}{suffix}", old.value.text());
            env.put(name, literal(&value), old.source, origin);
        }
        None => env.put(name, literal(suffix), at.clone(), default.to_string()),
    }
}

/// Sets `name` around the container's own value (`prefix:old:suffix`), or to `fresh`.
pub fn wrap(env: &mut Env, name: &str, parts: (&str, &str, &str), at: &Location, default: &str) {
    let (prefix, fresh, suffix) = parts;
    match env.get(name).cloned() {
        Some(old) => {
            let value = format!("{prefix}{}{suffix}", old.value.text());
            let origin = format!("{}, wrapped by the operator", old.origin);
            env.put(name, literal(&value), old.source, origin);
        }
        None => env.put(name, literal(fresh), at.clone(), default.to_string()),
    }
}
