//! `doctor`'s deployment-file arguments: `--k8s`, `--compose` and what narrows or completes a
//! run over many workloads.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Default, Args)]
pub struct DeployArgs {
    /// Check every container of these Kubernetes manifests as a workload: a file, a directory
    /// (recursively *.yaml, *.yml, *.json) or - for standard input; repeatable. `helm template`
    /// and `kubectl get -o yaml` output are read as they are.
    #[arg(long = "k8s", value_name = "PATH")]
    pub k8s: Vec<PathBuf>,

    /// Check every service of this Docker Compose file as a workload; repeatable, merged in order
    /// like `docker compose -f A -f B`. The first file's directory is the project directory; its
    /// `.env` and the process environment (unless --no-env) feed `${VAR}`, as in Compose. Files
    /// over 4 MiB are refused; `extends` and `include` are not resolved.
    #[arg(long = "compose", value_name = "FILE")]
    pub compose: Vec<PathBuf>,

    /// With --compose: read the project's variables from this file instead of the project
    /// directory's `.env` (docker compose --env-file).
    #[arg(long = "compose-env-file", value_name = "FILE", requires = "compose")]
    pub compose_env_file: Option<PathBuf>,

    /// With --compose: activate this profile (docker compose --profile); repeatable. Without it,
    /// COMPOSE_PROFILES from the project's variables, as in Compose.
    #[arg(long = "profile", value_name = "NAME", requires = "compose")]
    pub profile: Vec<String>,

    /// With --k8s: the namespace of objects that name none.
    #[arg(long, value_name = "NAMESPACE", default_value = "default")]
    pub namespace: String,

    /// With --k8s or --compose: check only workloads whose id (namespace/kind/name/container, or
    /// the Compose service name) matches this glob (`*` and `?`); repeatable. Checks across workloads still see every workload.
    #[arg(long = "workload", value_name = "PATTERN")]
    pub workload: Vec<String>,

    /// With --k8s or --compose: apply SDK's defaults to workloads matching PATTERN, over what their
    /// definition shows, e.g. --sdk-for 'shop/*=javaagent'; repeatable, the first match wins.
    /// --sdk applies where neither this nor the definition names an SDK.
    #[arg(long = "sdk-for", value_name = "PATTERN=SDK")]
    pub sdk_for: Vec<String>,

    /// With --k8s or --compose: run the network checks from this machine anyway (names inside
    /// the cluster or Compose network usually do not resolve here).
    #[arg(long)]
    pub probe: bool,
}
