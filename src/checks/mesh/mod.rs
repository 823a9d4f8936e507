//! Checks of Istio mesh tracing read from `doctor --k8s` input: the providers Telemetry objects
//! and `defaultProviders` name, what those providers are and where they send, the sampling
//! percentage, and the trace headers the proxies use against the apps' propagators. Each
//! finding points at the file and line to change.

pub mod no_provider;
pub mod propagation;
pub mod protocol_port;
pub mod provider_kind;
pub mod provider_service;
pub mod sampling_zero;
pub mod undefined_provider;

use super::Context;
use super::deploy::{Scope, deployment};
use crate::deploy::mesh::{At, Mesh};
use crate::report::Outcome;

/// The deployment and its mesh, or the skip outcome.
pub fn mesh(ctx: &Context) -> Result<(&Scope, &Mesh), Outcome> {
    let scope = deployment(ctx)?;
    let mesh = scope
        .deployment()
        .mesh
        .as_ref()
        .ok_or_else(|| Outcome::skip("the deployment input holds no Istio object"))?;
    Ok((scope, mesh))
}

/// Like [`mesh`], when the check needs the mesh config (IstioOperator or the `istio`
/// ConfigMap) to judge anything.
pub fn shown(ctx: &Context) -> Result<(&Scope, &Mesh), Outcome> {
    let (scope, mesh) = mesh(ctx)?;
    if !mesh.shown() {
        return Err(Outcome::skip(
            "the input has no mesh config (an IstioOperator or the ConfigMap istio with a `mesh` key): pass it with another --k8s to judge the providers",
        ));
    }
    Ok((scope, mesh))
}

/// The names of the providers that trace (`opentelemetry`, `zipkin`, …), in definition order.
pub fn tracer_names(mesh: &Mesh) -> Vec<&str> {
    mesh.providers()
        .filter(|p| p.tracing() == crate::deploy::mesh::Tracing::Yes)
        .map(|p| p.name.as_str())
        .collect()
}

/// Every provider name the mesh selects for tracing, with what names it: Telemetry
/// `spec.tracing[].providers[].name` and `defaultProviders.tracing[]`.
pub fn tracing_names(mesh: &Mesh) -> Vec<(&At<String>, String)> {
    let mut names: Vec<(&At<String>, String)> = mesh
        .default_tracing()
        .map(|n| (n, "defaultProviders.tracing".to_string()))
        .collect();
    for t in &mesh.telemetries {
        for rule in &t.tracing {
            for p in &rule.providers {
                names.push((p, format!("Telemetry {}/{}", t.namespace, t.name)));
            }
        }
    }
    names
}

#[cfg(test)]
pub mod testing;
