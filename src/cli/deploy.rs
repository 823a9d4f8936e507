//! `doctor`'s deployment-file arguments: `--k8s` and what narrows or completes a run over
//! many workloads.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Default, Args)]
pub struct DeployArgs {
    /// Check every container of these Kubernetes manifests as a workload: a file, a directory
    /// (recursively *.yaml, *.yml, *.json) or - for standard input; repeatable. `helm template`
    /// and `kubectl get -o yaml` output are read as they are.
    #[arg(long = "k8s", value_name = "PATH")]
    pub k8s: Vec<PathBuf>,

    /// With --k8s: the namespace of objects that name none.
    #[arg(long, value_name = "NAMESPACE", default_value = "default")]
    pub namespace: String,

    /// With --k8s: check only workloads whose id (namespace/kind/name/container) matches this
    /// glob (`*` and `?`); repeatable. Checks across workloads still see every workload.
    #[arg(long = "workload", value_name = "PATTERN")]
    pub workload: Vec<String>,

    /// With --k8s: apply SDK's defaults to workloads matching PATTERN, over what their
    /// definition shows, e.g. --sdk-for 'shop/*=javaagent'; repeatable, the first match wins.
    /// --sdk applies where neither this nor the definition names an SDK.
    #[arg(long = "sdk-for", value_name = "PATTERN=SDK")]
    pub sdk_for: Vec<String>,

    /// With --k8s: run the network checks from this machine anyway (names inside the cluster
    /// usually do not resolve here).
    #[arg(long)]
    pub probe: bool,
}
