use super::shown;
use crate::checks::deploy::Shared;
use crate::checks::{Check, Context, Run};
use crate::deploy::Platform;
use crate::deploy::mesh::{Provider, Tracing};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "MSH004",
    name: "mesh-provider-service",
    family: Family::Mesh,
    severity: Severity::Error,
    title: "Each tracing provider points at a Service and port the input defines",
    explanation: Explanation {
        checks: "For each tracing provider in `extensionProviders` whose `service` is a Kubernetes \
                 name (`name.namespace.svc.cluster.local`, optionally `namespace/` before it): \
                 whether that Service exists and lists the provider's `port`. Judged only when \
                 the input holds at least one Service of that namespace; other hosts \
                 (ServiceEntry, external) are not judged. A short name (`name.namespace`) that \
                 matches a Service of the input is flagged too.",
        why: "istiod finds the provider's Service by its exact host name in its registry and \
              sends to a cluster built from that port: a short name, a missing Service or an \
              unlisted port gives the proxies no tracer, or one whose spans go nowhere.",
        fix: "Write the Service's full host name and one of the ports it lists.",
        example: "extensionProviders:\n- name: otel-tracing\n  opentelemetry:\n    service: otel-collector.observability   # needs .svc.cluster.local\n    port: 4317",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

/// A provider `service` value read as a Kubernetes name.
struct Host<'a> {
    name: &'a str,
    namespace: Option<&'a str>,
    /// `name.namespace.svc.<domain>`.
    full: bool,
    /// The `namespace/` prefix.
    prefix: Option<&'a str>,
}

fn host(service: &str) -> Option<Host<'_>> {
    let (prefix, host) = match service.split_once('/') {
        Some((ns, h)) => (Some(ns), h),
        None => (None, service),
    };
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let full = labels.len() >= 4 && labels[2] == "svc";
    let short = labels.len() <= 2 || (labels.len() == 3 && labels[2] == "svc");
    (full || short).then(|| Host {
        name: labels[0],
        namespace: labels.get(1).copied().or(prefix),
        full,
        prefix,
    })
}

fn run(ctx: &Context) -> Outcome {
    let (scope, mesh) = match shown(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let mut drafts = Vec::new();
    let mut evidence = Evidence::new();
    let providers = mesh.providers();
    for p in providers.filter(|p| p.tracing() == Tracing::Yes) {
        let Some(service) = &p.service else { continue };
        let Some(h) = host(&service.value) else {
            evidence.push(p.name.clone(), "outside the input (not judged)");
            continue;
        };
        match judge(&scope.shared, p, &h) {
            Some(draft) => drafts.push(draft),
            None => evidence.push(p.name.clone(), service.value.clone()),
        }
    }
    Outcome::from_drafts(drafts, evidence)
}

/// The finding about provider `p` whose service reads as `h`, if any.
fn judge(shared: &Shared, p: &Provider, h: &Host) -> Option<Draft> {
    let d = &shared.deployment;
    let service = p.service.as_ref()?;
    let draft = |message: String, fix: String| {
        Draft::new(p.name.clone(), message, fix)
            .evidence("provider", p.name.clone())
            .evidence("service", service.value.clone())
            .at(service.at.clone())
    };
    if !h.full {
        let found = d.services.iter().find(|s| {
            s.platform == Platform::Kubernetes
                && s.name == h.name
                && h.namespace.is_none_or(|ns| s.namespace == ns)
        })?;
        let fqdn = format!("{}.{}.svc.cluster.local", found.name, found.namespace);
        return Some(draft(
            format!(
                "Provider `{}` names service `{}`; istiod looks the provider's service up by its full host name, so it finds none and the proxies get no tracer.",
                p.name, service.value
            ),
            format!(
                "At {}, write `service: {fqdn}` (Service at {}).",
                service.at, found.source
            ),
        ));
    }
    let ns = h.namespace?;
    if let Some(prefix) = h.prefix.filter(|prefix| *prefix != ns) {
        return Some(draft(
            format!(
                "Provider `{}` names service `{}`: the `{prefix}/` prefix asks for that host in namespace {prefix}, but the host is in {ns}; istiod finds no such service.",
                p.name, service.value
            ),
            format!(
                "At {}, drop the `{prefix}/` prefix (or write `{ns}/`).",
                service.at
            ),
        ));
    }
    // Judged only when the input shows this namespace's Services.
    let services = shared.services_in(ns);
    services.clone().next()?;
    let Some(s) = services.clone().find(|s| s.name == h.name) else {
        let closest = (services.clone())
            .map(|s| (strsim::jaro_winkler(h.name, &s.name), s))
            .filter(|(score, _)| *score > 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, s)| s);
        let names: Vec<&str> = services.map(|s| s.name.as_str()).collect();
        let fix = match closest {
            Some(c) => format!(
                "At {}, write `service: {}.{ns}.svc.cluster.local` (did you mean {}? Service at {}).",
                service.at, c.name, c.name, c.source
            ),
            None => format!("At {}, name a Service of namespace {ns}.", service.at),
        };
        return Some(draft(
            format!(
                "Provider `{}` sends to Service {ns}/{}, which the input does not define (namespace {ns} has {}); the proxies' spans go nowhere.",
                p.name,
                h.name,
                names.join(", ")
            ),
            fix,
        ));
    };
    let listed: Vec<String> = s.ports.iter().map(|x| x.port.to_string()).collect();
    match &p.port {
        Some(port) if s.ports.iter().any(|x| x.port == port.value) => None,
        Some(port) => Some(
            draft(
                format!(
                    "Provider `{}` sends to port {} of Service {ns}/{}, which lists only {}; the proxies' spans go nowhere.",
                    p.name,
                    port.value,
                    s.name,
                    listed.join(", ")
                ),
                format!(
                    "At {}, use a port the Service lists ({}), or add port {} to the Service at {}.",
                    port.at,
                    listed.join(", "),
                    port.value,
                    s.source
                ),
            )
            .evidence("ports", listed.join(","))
            .at(port.at.clone()),
        ),
        None => Some(draft(
            format!(
                "Provider `{}` has no `port`; istiod needs one to build the cluster it sends to.",
                p.name
            ),
            format!(
                "Below {}, add `port:` with one of the Service's ports ({}).",
                service.at,
                listed.join(", ")
            ),
        )),
    }
}

#[cfg(test)]
mod tests;
