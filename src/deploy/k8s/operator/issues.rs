//! The sentences for what keeps the operator's injection from working, recorded on the
//! deployment for the OPR checks.

use super::choice::{Annotation, NoChoice};
use super::collector::CollectorCr;
use super::inject::Overridden;
use super::instrumentation::Instrumentation;
use super::lang::Lang;
use super::{Pod, SIDECAR};
use crate::deploy::{Deployment, Injection, InjectionIssue, Location};

fn push(
    d: &mut Deployment,
    issue: InjectionIssue,
    workload: Option<String>,
    location: Location,
    message: String,
    fix: String,
) {
    let injection = Injection {
        issue,
        workload,
        location,
        message,
        fix,
    };
    if !d.injections.contains(&injection) {
        d.injections.push(injection);
    }
}

/// Injection annotations on the workload object's own metadata that its pod template lacks.
pub fn on_object(pod: &Pod, d: &mut Deployment) {
    if pod.object.kind() == "Pod" {
        return;
    }
    let meta = pod.object.node.get("metadata");
    let own = super::annotations(pod.object, meta);
    for (key, a) in own {
        if !super::injects(&key) || pod.own.iter().any(|(k, _)| *k == key) {
            continue;
        }
        push(
            d,
            InjectionIssue::AnnotationOnObject,
            None,
            a.at.clone(),
            format!(
                "`{key}` is on the {}'s own metadata; the webhook reads only the pod template's \
                 (and the namespace's) annotations, so nothing is injected.",
                pod.object.kind()
            ),
            format!(
                "Move the annotation at {} to spec.template.metadata.annotations.",
                a.at
            ),
        );
    }
}

/// `"true"` with no single Instrumentation, or a name that is not in the input.
pub fn no_choice(
    pod: &Pod,
    key: &str,
    a: &Annotation,
    why: NoChoice,
    all: &[Instrumentation],
    d: &mut Deployment,
) {
    let ns = pod.namespace;
    let here: Vec<String> = all
        .iter()
        .filter(|i| i.namespace == ns)
        .map(|i| i.name.clone())
        .collect();
    let (issue, message, fix) = match why {
        NoChoice::Count(0) => (
            InjectionIssue::NoSingleInstrumentation,
            format!(
                "`{key}: \"true\"` needs exactly one Instrumentation in namespace {ns}, and the \
                 input has none there; the webhook injects nothing into this pod (it only logs why)."
            ),
            format!(
                "Add an Instrumentation to namespace {ns}, or name one at {}: \"<namespace>/<name>\".",
                a.at
            ),
        ),
        NoChoice::Count(n) => (
            InjectionIssue::NoSingleInstrumentation,
            format!(
                "`{key}: \"true\"` needs exactly one Instrumentation in namespace {ns}, and the \
                 input has {n} there ({}); the webhook cannot choose and injects nothing.",
                here.join(", ")
            ),
            format!(
                "At {}, name the Instrumentation to use, e.g. \"{}\".",
                a.at,
                here.first().map_or("", String::as_str)
            ),
        ),
        NoChoice::Missing(name) => (
            InjectionIssue::MissingInstrumentation,
            format!(
                "`{key}` names Instrumentation {name}, which is not in the input; unless it is \
                 created some other way, the webhook fails and the pod runs uninstrumented."
            ),
            if here.is_empty() {
                format!(
                    "Create Instrumentation {name}, or correct the name at {}.",
                    a.at
                )
            } else {
                format!(
                    "Correct the name at {} (namespace {ns} has: {}), or create {name}.",
                    a.at,
                    here.join(", ")
                )
            },
        ),
    };
    push(d, issue, None, a.at.clone(), message, fix);
}

/// The webhook skips a container or the pod.
pub fn skipped(
    d: &mut Deployment,
    workload: Option<String>,
    at: Location,
    message: String,
    fix: String,
) {
    push(d, InjectionIssue::Skipped, workload, at, message, fix);
}

/// What to change when a rewritten variable comes from `valueFrom`.
pub fn refusal_fix(lang: Lang) -> String {
    match lang.rewritten() {
        [one] => format!(
            "Give {one} a literal `value:` (the webhook extends it) or drop it from the container's env, so the {} agent is injected.",
            lang.annotation()
        ),
        _ => "Drop the variables the webhook sets from the container's env (or give them literal values) so the agent is injected.".into(),
    }
}

/// Findings that the injected env itself shows: `envFrom` values it overrides, an `https://`
/// endpoint without `exporter.tls`.
pub fn after(d: &mut Deployment, id: &str, inst: &Instrumentation, overridden: Vec<Overridden>) {
    for o in overridden {
        push(
            d,
            InjectionIssue::EnvFromOverridden,
            Some(id.to_string()),
            o.was.source.clone(),
            format!(
                "{} = {} from {} is overridden: the webhook reads only `env`, not `envFrom`, and \
                 adds its own entry {} = {} ({}, {}), which wins.",
                o.name,
                shown(&o.was),
                o.was.origin,
                o.name,
                shown(&o.by),
                o.by.origin,
                o.by.source
            ),
            format!(
                "Set {} under the container's `env` (the webhook keeps those), or change it at {}.",
                o.name, o.by.source
            ),
        );
    }
    if let Some(e) = &inst.endpoint
        && e.value.starts_with("https://")
        && inst.tls.is_none()
    {
        push(
            d,
            InjectionIssue::HttpsWithoutTls,
            None,
            e.at.clone(),
            format!(
                "Instrumentation {} exports to {} without `exporter.tls`: no CA file is mounted or \
                 set, so the SDKs trust only their image's system CAs and a cluster-issued \
                 certificate fails the handshake.",
                inst.id(),
                e.value
            ),
            "Add spec.exporter.tls (secretName or configMapName with ca_file) to the Instrumentation, or use http:// inside the cluster.".into(),
        );
    }
}

fn shown(v: &crate::deploy::EnvVar) -> String {
    if v.secret {
        crate::settings::secret::redact(v.value.text())
    } else {
        format!("\"{}\"", v.value.text())
    }
}

/// `sidecar.opentelemetry.io/inject` without the collector it needs.
pub fn no_sidecar(pod: &Pod, a: &Annotation, all: &[CollectorCr], d: &mut Deployment) {
    let ns = pod.namespace;
    let other = all
        .iter()
        .find(|c| a.value.ends_with(c.name.as_str()) && c.mode != "sidecar");
    let message = match other {
        Some(c) => format!(
            "`{SIDECAR}: \"{}\"` names OpenTelemetryCollector {}/{}, whose mode is {}, not sidecar; no collector joins the pod.",
            a.value, c.namespace, c.name, c.mode
        ),
        None if a.value.eq_ignore_ascii_case("true") => format!(
            "`{SIDECAR}: \"true\"` needs exactly one OpenTelemetryCollector with `mode: sidecar` in namespace {ns}, and the input has {}; no collector joins the pod.",
            match all
                .iter()
                .filter(|c| c.mode == "sidecar" && c.namespace == ns)
                .count()
            {
                0 => "none".to_string(),
                n => n.to_string(),
            }
        ),
        None => format!(
            "`{SIDECAR}: \"{}\"` names an OpenTelemetryCollector that is not in the input; unless it is created some other way, no collector joins the pod.",
            a.value
        ),
    };
    push(
        d,
        InjectionIssue::SidecarWithoutCollector,
        None,
        a.at.clone(),
        message,
        format!(
            "Add an OpenTelemetryCollector with `mode: sidecar` in namespace {ns} (and name it at {}), or remove the annotation.",
            a.at
        ),
    );
}
