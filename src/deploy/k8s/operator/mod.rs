//! The OpenTelemetry Operator's admission webhook, simulated on the input: for every pod template
//! with an `instrumentation.opentelemetry.io/inject-<lang>` annotation (its own or its
//! namespace's), the Instrumentation it selects, the containers it targets and the env it adds,
//! each value with the layer that set it; `OpenTelemetryCollector` objects as collectors and
//! Services. What would keep the injection from working is recorded for the OPR checks.

mod choice;
mod collector;
mod inject;
mod instrumentation;
mod issues;
mod lang;
mod resource;
mod targets;

use std::collections::{HashMap, HashSet};

use super::Input;
use super::documents::{Lines, Object};
use super::pod;
use crate::collector::yaml::Node;
use crate::deploy::{Deployment, Injected};
use choice::Annotation;
use collector::CollectorCr;
use inject::{Env, Target};
use instrumentation::Instrumentation;
use lang::Lang;
use resource::PodFacts;

const INJECT: &str = "instrumentation.opentelemetry.io/inject-";
const SIDECAR: &str = "sidecar.opentelemetry.io/inject";

/// Whether the webhook acts on an annotation `key`.
fn injects(key: &str) -> bool {
    key.starts_with(INJECT) || key == SIDECAR
}

fn has_injection_key(meta: Option<&Node>) -> bool {
    meta.and_then(|m| m.get("annotations"))
        .is_some_and(|a| a.entries().iter().any(|(k, _)| injects(&k.text)))
}

/// Whether [`apply`] reads `object` other than as a pod template.
pub fn needs(object: &Object) -> bool {
    matches!(
        object.kind(),
        "Instrumentation" | "OpenTelemetryCollector" | "Namespace"
    )
}

/// The namespaces whose own annotations ask the webhook to inject: it then acts on every pod
/// template in them.
pub fn injecting_namespaces<'a>(objects: impl IntoIterator<Item = &'a Object>) -> HashSet<String> {
    objects
        .into_iter()
        .filter(|o| o.kind() == "Namespace" && has_injection_key(o.node.get("metadata")))
        .filter_map(|o| o.name().map(str::to_string))
        .collect()
}

/// Whether the webhook could act on `object`'s pod template at all: an injection annotation on
/// the template, on the object's own metadata (where it is misplaced) or on its namespace.
/// [`apply`] needs no other pod template's tree.
pub fn may_act(object: &Object, namespace: &str, injecting: &HashSet<String>) -> bool {
    injecting.contains(namespace)
        || has_injection_key(object.node.get("metadata"))
        || pod::template(object).is_some_and(|(meta, _)| has_injection_key(Some(meta)))
}

/// What the operator's objects in the input say.
struct Objects {
    instrumentations: Vec<Instrumentation>,
    collectors: Vec<CollectorCr>,
    /// Namespace annotations by namespace name.
    namespaces: HashMap<String, Vec<(String, Annotation)>>,
}

/// Applies the webhook to every pod template of `objects` and adds the operator's collectors.
pub fn apply(objects: &[Object], inputs: &[Input], namespace: &str, d: &mut Deployment) {
    let mut found = Objects {
        instrumentations: Vec::new(),
        collectors: Vec::new(),
        namespaces: HashMap::new(),
    };
    for object in objects {
        let ns = object.namespace().unwrap_or(namespace);
        found
            .instrumentations
            .extend(Instrumentation::read(object, ns));
        // Only collector objects need their file's lines (a map config is read as written).
        let text = (object.kind() == "OpenTelemetryCollector")
            .then(|| inputs.iter().find(|i| *i.name == *object.file))
            .flatten();
        if let Some(text) = text {
            found
                .collectors
                .extend(CollectorCr::read(object, ns, &Lines::new(&text.text)));
        }
        if object.kind() == "Namespace" {
            let name = object.name().unwrap_or("").to_string();
            let meta = object.node.get("metadata");
            found.namespaces.insert(name, annotations(object, meta));
        }
    }
    for c in &found.collectors {
        c.add_to(d);
    }
    for object in objects {
        let Some((meta, _)) = pod::template(object) else {
            continue;
        };
        let ns = object.namespace().unwrap_or(namespace);
        let pod = Pod {
            object,
            namespace: ns,
            group: format!("{ns}/{}/{}", object.kind(), object.name().unwrap_or("")),
            own: annotations(object, Some(meta)),
            of_namespace: found.namespaces.get(ns).cloned().unwrap_or_default(),
        };
        issues::on_object(&pod, d);
        inject_pod(&pod, &found, d);
        sidecar(&pod, &found, d);
    }
}

/// A pod template being admitted.
struct Pod<'a> {
    object: &'a Object,
    namespace: &'a str,
    /// The workload group (`ns/Kind/name`) its containers share.
    group: String,
    own: Vec<(String, Annotation)>,
    of_namespace: Vec<(String, Annotation)>,
}

impl Pod<'_> {
    /// The value the webhook acts on for `key`.
    fn annotation(&self, key: &str) -> Option<Annotation> {
        let get = |list: &[(String, Annotation)]| {
            list.iter().find(|(k, _)| k == key).map(|(_, a)| a.clone())
        };
        choice::effective(get(&self.own), get(&self.of_namespace))
    }
}

fn annotations(object: &Object, meta: Option<&Node>) -> Vec<(String, Annotation)> {
    meta.and_then(|m| m.get("annotations"))
        .map(|a| {
            a.entries()
                .iter()
                .map(|(k, v)| {
                    let value = v.as_str().unwrap_or("").trim().to_string();
                    (
                        k.text.to_string(),
                        Annotation {
                            value,
                            at: object.at(k.line),
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Chooses the Instrumentations, the containers, and injects each.
fn inject_pod(pod: &Pod, found: &Objects, d: &mut Deployment) {
    let mut chosen = Vec::new();
    let mut refused = false;
    for lang in lang::ALL {
        let key = format!("{INJECT}{}", lang.annotation());
        let Some(a) = pod.annotation(&key) else {
            continue;
        };
        match choice::choose(&a.value, pod.namespace, &found.instrumentations) {
            Ok(Some(inst)) => chosen.push((lang, inst, a)),
            Ok(None) => {}
            Err(why) => {
                refused = true;
                issues::no_choice(pod, &key, &a, why, &found.instrumentations, d);
            }
        }
    }
    if refused || chosen.is_empty() {
        return;
    }
    let common = pod.annotation("instrumentation.opentelemetry.io/container-names");
    let own: Vec<(String, Option<Annotation>)> = chosen
        .iter()
        .map(|(lang, _, _)| {
            let key = format!(
                "instrumentation.opentelemetry.io/{}-container-names",
                lang.annotation()
            );
            (lang.annotation().to_string(), pod.annotation(&key))
        })
        .collect();
    let langs: Vec<(&str, Option<&str>)> = own
        .iter()
        .map(|(l, a)| (l.as_str(), a.as_ref().map(|a| a.value.as_str())))
        .collect();
    let lists = match targets::lists(common.as_ref().map(|a| a.value.as_str()), &langs) {
        Ok(lists) => lists,
        Err(why) => {
            let at = common.map_or_else(|| chosen[0].2.at.clone(), |a| a.at);
            issues::skipped(d, None, at, format!("The webhook injects nothing into this pod: {why}."),
                "Give each injected language its container names as a comma-separated list without spaces (instrumentation.opentelemetry.io/<lang>-container-names).".into());
            return;
        }
    };
    let containers: Vec<(String, bool)> = d
        .workloads
        .iter()
        .filter(|w| w.network.group == pod.group)
        .map(|w| (w.container.clone(), w.init))
        .collect();
    for ((lang, inst, a), list) in chosen.into_iter().zip(lists) {
        let names = targets::resolve(&list, &containers);
        if lang == Lang::Go {
            go(pod, inst, &a, &list, &names, d);
            continue;
        }
        for name in names {
            into_container(pod, inst, lang, &a, &name, d);
        }
    }
}

/// What the webhook reads of the pod for names, from its first container's copy.
fn facts<'a>(pod: &'a Pod, d: &'a Deployment) -> Option<PodFacts<'a>> {
    let w = d.workloads.iter().find(|w| w.network.group == pod.group)?;
    Some(PodFacts {
        kind: &w.kind,
        name: &w.name,
        namespace: pod.namespace,
        labels: &w.labels,
        annotations: &w.annotations,
    })
}

fn injected(lang: Lang, inst: &Instrumentation, a: &Annotation, container: &str) -> Injected {
    Injected {
        lang: lang.annotation().to_string(),
        instrumentation: inst.id(),
        at: inst.at.clone(),
        annotation: format!("{INJECT}{}: \"{}\"", lang.annotation(), a.value),
        annotation_at: a.at.clone(),
        container: container.to_string(),
    }
}

fn into_container(
    pod: &Pod,
    inst: &Instrumentation,
    lang: Lang,
    a: &Annotation,
    name: &str,
    d: &mut Deployment,
) {
    let id = format!("{}/{name}", pod.group);
    let Some(index) = d.workloads.iter().position(|w| w.id == id) else {
        return;
    };
    let mut vars = d.workloads[index].env.clone();
    let (image, container) = (d.workloads[index].image.clone(), name.to_string());
    let Some(p) = facts(pod, d) else { return };
    let target = Target {
        inst,
        lang,
        pod: &p,
        container: &container,
        image: image.as_deref(),
        annotation: &a.at,
    };
    let mut env = Env {
        vars: &mut vars,
        overridden: Vec::new(),
    };
    if let Some(why) = inject::refusal(&target, &env) {
        let at = lang
            .rewritten()
            .iter()
            .find_map(|n| env.get(n).map(|v| v.source.clone()))
            .unwrap_or_else(|| a.at.clone());
        issues::skipped(
            d,
            Some(id),
            at,
            format!("{why}."),
            issues::refusal_fix(lang),
        );
        return;
    }
    inject::apply(&target, &mut env);
    let overridden = std::mem::take(&mut env.overridden);
    issues::after(d, &id, inst, overridden);
    let w = &mut d.workloads[index];
    w.env = vars;
    w.injected = Some(Box::new(injected(lang, inst, a, name)));
}

/// Go's agent runs as a sidecar container `opentelemetry-auto-instrumentation` next to the
/// one app container, with the env; it needs `OTEL_GO_AUTO_TARGET_EXE`.
fn go(
    pod: &Pod,
    inst: &Instrumentation,
    a: &Annotation,
    list: &[String],
    names: &[String],
    d: &mut Deployment,
) {
    let skip = |d: &mut Deployment, why: &str, fix: &str| {
        issues::skipped(
            d,
            None,
            a.at.clone(),
            format!("The webhook skips Go injection: {why}."),
            fix.into(),
        );
    };
    if list.len() > 1 {
        return skip(
            d,
            "Go instrumentation serves one container and several are named",
            "Name one container for Go.",
        );
    }
    let Some(app) = names.first() else { return };
    let Some(base) = d
        .workloads
        .iter()
        .find(|w| w.network.group == pod.group && &w.container == app)
    else {
        return;
    };
    if base.init {
        return skip(
            d,
            "the named container is an init container",
            "Name an app container for Go.",
        );
    }
    let mut agent = base.clone();
    agent.id = format!("{}/opentelemetry-auto-instrumentation", pod.group);
    agent.container = "opentelemetry-auto-instrumentation".into();
    agent.image = None;
    agent.command.clear();
    agent.args.clear();
    agent.ports.clear();
    agent.source = a.at.clone();
    let mut vars = Vec::new();
    let exe = pod
        .own
        .iter()
        .find(|(k, _)| k == "instrumentation.opentelemetry.io/otel-go-auto-target-exe");
    let Some(p) = facts(pod, d) else { return };
    let mut env = Env {
        vars: &mut vars,
        overridden: Vec::new(),
    };
    if let Some((key, exe)) = exe {
        let value = crate::deploy::EnvValue::Literal(exe.value.clone());
        env.add(
            "OTEL_GO_AUTO_TARGET_EXE",
            value,
            &exe.at,
            &format!("annotation {key}"),
        );
    }
    let target = Target {
        inst,
        lang: Lang::Go,
        pod: &p,
        container: app,
        image: base.image.as_deref(),
        annotation: &a.at,
    };
    inject::apply(&target, &mut env);
    if env.get("OTEL_GO_AUTO_TARGET_EXE").is_none() {
        return skip(
            d,
            "OTEL_GO_AUTO_TARGET_EXE is set neither by the instrumentation.opentelemetry.io/otel-go-auto-target-exe annotation nor by the Instrumentation",
            "Add the annotation instrumentation.opentelemetry.io/otel-go-auto-target-exe with the path of the app's executable.",
        );
    }
    agent.env = vars;
    agent.injected = Some(Box::new(injected(Lang::Go, inst, a, app)));
    d.workloads.push(agent);
}

/// `sidecar.opentelemetry.io/inject`: the sidecar-mode collector joins the pod, or the
/// annotation names none.
fn sidecar(pod: &Pod, found: &Objects, d: &mut Deployment) {
    let Some(a) = pod
        .annotation(SIDECAR)
        .filter(|a| !a.value.eq_ignore_ascii_case("false"))
    else {
        return;
    };
    let sidecars: Vec<&CollectorCr> = found
        .collectors
        .iter()
        .filter(|c| c.mode == "sidecar")
        .collect();
    let chosen: Option<&CollectorCr> = if a.value.eq_ignore_ascii_case("true") {
        let here: Vec<_> = sidecars
            .iter()
            .filter(|c| c.namespace == pod.namespace)
            .collect();
        (here.len() == 1).then(|| *here[0])
    } else {
        let (ns, name) = a.value.split_once('/').unwrap_or((pod.namespace, &a.value));
        sidecars
            .iter()
            .find(|c| c.namespace == ns && c.name == name)
            .copied()
    };
    let Some(c) = chosen else {
        return issues::no_sidecar(pod, &a, &found.collectors, d);
    };
    let Some(first) = d.workloads.iter().find(|w| w.network.group == pod.group) else {
        return;
    };
    let (kind, name) = (first.kind.clone(), first.name.clone());
    let (w, input) = c.workload(&pod.group, &kind, &name);
    d.workloads.push(w);
    d.collectors.extend(input);
}

#[cfg(test)]
mod tests;
