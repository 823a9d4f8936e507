//! Kubernetes manifests (plain, `helm template` output, `kubectl get -o yaml` lists, JSON) read
//! into the workload model with every fact at its file and line.
//!
//! The manifests are read as located YAML (`collector::yaml`) rather than through typed API
//! structs (k8s-openapi): the checks need the line of every key, and the input may be any
//! mix of API versions and custom kinds (Argo Rollouts, Knative Services) that share only
//! the pod template's shape.

mod collector;
mod documents;
mod env;
mod mesh;
mod operator;
mod pod;
mod service;
mod store;
mod stream;

use crate::deploy::Deployment;

/// One input file's name (as given, `-` for standard input) and text.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub text: String,
}

/// Reads every object of `inputs`. Objects without a namespace are in `namespace`. A long
/// stream is parsed on scoped threads of its own (blocking): call it outside async code, as
/// `doctor` does before its runtime starts.
pub fn read(inputs: &[Input], namespace: &str) -> Deployment {
    stream::read(inputs, namespace)
}

#[cfg(test)]
mod tests;
