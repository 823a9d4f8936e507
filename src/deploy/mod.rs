//! A deployment read from files: the workloads (one per container) with the environment each
//! would run with, the network names they can reach, and the collectors' configs. Kubernetes
//! manifests and Compose files are both read into this one model, which the deploy checks judge.

pub mod compose;
pub mod config_args;
pub mod files;
pub mod fix;
mod inputs;
pub mod java;
pub mod k8s;
pub mod mesh;
pub mod model;
pub mod role;
pub mod sdk;

pub use inputs::inputs;
pub use model::{
    Backing, CollectorInput, ConfigText, Deployment, EnvValue, EnvVar, Injected, Injection,
    InjectionIssue, Location, Network, Platform, Port, Problem, ProblemKind, Role, Service,
    ServicePort, TargetPort, Transport, Workload,
};
pub use sdk::SdkGuess;
