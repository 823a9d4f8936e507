//! `doctor --k8s` / `--compose`: every container of the deployment files checked with the
//! environment the platform would give it, plus the checks across workloads, in one report.

use std::sync::Arc;

use clap::ValueEnum;

use crate::checks::Check;
use crate::checks::deploy::{Shared, context};
use crate::cli::{DoctorArgs, DoctorFormat};
use crate::collector::ConfigFile;
use crate::deploy::files::{gather, glob};
use crate::deploy::{self, Role, Workload, k8s};
use crate::error::UsageError;
use crate::report::{CheckResult, Elided, Report, SdkChoice, WorkloadReport};
use crate::rule::{Family, Needs};
use crate::runner::{self, RunOptions};
use crate::settings::secret::redact;
use crate::settings::{Inputs, Sdk, Settings, is_tracing_var};
use crate::spring;

/// Reads the deployment, runs the checks per workload and across them, and builds the report.
pub fn report(
    args: &DoctorArgs,
    checks: &[&'static Check],
    options: &RunOptions,
) -> anyhow::Result<Report> {
    let mut deployment = deploy::Deployment::default();
    if !args.deploy.k8s.is_empty() {
        let inputs = gather(&args.deploy.k8s).map_err(UsageError::Invalid)?;
        deployment = k8s::read(&inputs, &args.deploy.namespace);
    }
    if !args.deploy.compose.is_empty() {
        deployment.extend(compose(args)?);
    }
    deploy::java::apply(&mut deployment);
    let sdk_for = sdk_for(&args.deploy.sdk_for)?;
    let selected: Vec<usize> = (0..deployment.workloads.len())
        .filter(|&i| {
            let id = &deployment.workloads[i].id;
            args.deploy.workload.is_empty() || args.deploy.workload.iter().any(|p| glob(p, id))
        })
        .collect();
    // Input that could not be read is reported (DEP001) even when it leaves no workload.
    let unreadable = deployment.workloads.is_empty() && !deployment.problems.is_empty();
    if selected.is_empty() && !unreadable {
        let what = if deployment.workloads.is_empty() {
            "the --k8s input has no object with a pod template (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob…) and --compose no active service".to_string()
        } else {
            format!(
                "no workload matches --workload {}; ids look like {}",
                args.deploy.workload.join(" "),
                deployment.workloads[0].id
            )
        };
        return Err(UsageError::Invalid(what).into());
    }
    let extra = super::inputs::file_and_flag_inputs(&args.settings)?;
    let spring_files = super::inputs::read_spring_files(&args.spring_config)?;
    let spring = super::inputs::spring_files(&spring_files)?;
    let mut shared = Shared::new(deployment);
    if let Some(path) = &args.collector_config {
        default_config(&mut shared, path, args.settings.no_env)?;
    }
    let job = Arc::new(Job {
        shared: Arc::new(shared),
        checks: checks.to_vec(),
        options: options.clone(),
        sdk_for,
        fallback: args.settings.sdk,
        extra,
        spring,
        probe: args.deploy.probe,
        offline: args.offline,
    });
    // The human view and GitHub annotations print findings and counts only: for them a workload
    // keeps only its failed checks, which takes a fleet run from 61 MB to 35 MB.
    let findings_only = std::iter::once(args.report.format)
        .chain(args.report.outputs.iter().map(|o| o.format))
        .all(|f| matches!(f, DoctorFormat::Human | DoctorFormat::Github));
    let runtime = super::inputs::runtime()?;
    let report = runtime.block_on(async {
        let deadline = tokio::time::Instant::now() + args.timeout;
        // Workloads are checked on every core, a bounded number at a time, and reported in
        // input order.
        let mut workloads = Vec::with_capacity(selected.len());
        let mut elided = Elided::default();
        let mut keep = |mut w: WorkloadReport| {
            if findings_only {
                w.keep_findings_only(&mut elided);
            }
            workloads.push(w);
        };
        let mut running = std::collections::VecDeque::new();
        for &i in &selected {
            let job = Arc::clone(&job);
            running.push_back(tokio::spawn(async move { job.check(i, deadline).await }));
            if running.len() >= IN_FLIGHT
                && let Some(w) = finish(&mut running).await
            {
                keep(w);
            }
        }
        while let Some(w) = finish(&mut running).await {
            keep(w);
        }
        let shared = &job.shared;
        let across: Vec<&'static Check> = checks
            .iter()
            .copied()
            .filter(|c| c.needs == Needs::Deployment)
            .collect();
        let none = Settings::resolve_for(Inputs::default(), args.settings.sdk);
        let ctx = context(shared, None, none, false, deadline);
        let mut report = runner::run(Arc::new(ctx), &across, options).await;
        report.settings.clear();
        report.elided = elided;
        report.with_workloads(workloads)
    });
    runtime.shutdown_background();
    Ok(report)
}

/// How many workloads are checked at once: enough to keep every core busy, few enough that
/// the reports waiting for an earlier one stay small.
const IN_FLIGHT: usize = 64;

/// The oldest workload's report, once its checks are done (a panic in them is re-raised here).
async fn finish(
    running: &mut std::collections::VecDeque<tokio::task::JoinHandle<WorkloadReport>>,
) -> Option<WorkloadReport> {
    let task = running.pop_front()?;
    match task.await {
        Ok(report) => Some(report),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// What every workload's checks share.
struct Job {
    shared: Arc<Shared>,
    checks: Vec<&'static Check>,
    options: RunOptions,
    sdk_for: Vec<(String, Sdk)>,
    fallback: Option<Sdk>,
    /// `--env-file` and `--set`, applied to every workload.
    extra: Inputs,
    /// The properties of the `--spring-config` files, for Java workloads.
    spring: spring::Spring,
    probe: bool,
    offline: bool,
}

impl Job {
    /// Runs the checks of workload `i` and builds its report.
    async fn check(&self, i: usize, deadline: tokio::time::Instant) -> WorkloadReport {
        let shared = &self.shared;
        let w = &shared.deployment.workloads[i];
        let sdk = choose_sdk(shared, w, &self.sdk_for, self.fallback);
        let mut inputs = deploy::inputs(w);
        inputs.extend(&self.extra);
        let settings = Settings::resolve(inputs, sdk.name);
        let known = sdk.evidence.is_some();
        let agent = go_agent(shared, w);
        let spring = spring_of(&self.spring, sdk.name, &settings.inputs);
        // Collectors, agents and backends are judged as what they are, env or not.
        let traced = agent.is_none()
            && (known || w.role != Role::App || w.env.iter().any(|v| is_tracing_var(&v.name)));
        // An app traced by Spring Boot alone reads no OTEL_* variable: only its own
        // properties are judged, besides the deployment checks.
        let spring_only = !traced && agent.is_none() && spring.is_some();
        let mut ctx = context(shared, Some(i), settings, known, deadline);
        ctx.spring = spring;
        if self.probe {
            ctx.offline = self.offline;
        }
        ctx.collector_config = own_config(shared, w);
        let mine: Vec<&'static Check> = (self.checks.iter().copied())
            .filter(|c| {
                runs_for(c, w)
                    && (traced
                        || c.family == Family::Deployment
                        || (spring_only && c.family == Family::Spring))
            })
            .collect();
        let ran = runner::run(Arc::new(ctx), &mine, &self.options).await;
        let mut report = workload_report(w, sdk, ran);
        if spring_only {
            report.note = Some(SPRING_ONLY.to_string());
        } else if !traced {
            report.note = Some(agent.unwrap_or_else(|| UNTRACED.to_string()));
        }
        report
    }
}

/// The Compose project of `--compose`, resolved as `docker compose` would resolve it. A file that
/// is not there is a usage error; a project Compose would refuse is a problem at its line.
fn compose(args: &DoctorArgs) -> Result<deploy::Deployment, UsageError> {
    let d = &args.deploy;
    let given = d.compose.iter().chain(d.compose_env_file.iter());
    if let Some(missing) = given.into_iter().find(|p| !p.is_file()) {
        return Err(UsageError::Invalid(format!(
            "{} is not a file; pass the Compose file (and --compose-env-file) as docker compose -f would take it",
            missing.display()
        )));
    }
    let process_env = (!args.settings.no_env).then(|| {
        std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect()
    });
    let options = deploy::compose::Options {
        files: d.compose.clone(),
        env_file: d.compose_env_file.clone(),
        profiles: d.profile.clone(),
        process_env,
    };
    Ok(deploy::compose::read(&options).1)
}

/// `--collector-config` is the config of every collector container the input gives none (its
/// config lives outside the files read, e.g. in Helm values); a usage error when there is none.
fn default_config(
    shared: &mut Shared,
    path: &std::path::Path,
    no_env: bool,
) -> Result<(), UsageError> {
    let file = super::inputs::load_collector_config(path, no_env)?;
    let config = file.parsed.map_err(|e| {
        UsageError::Invalid(format!(
            "{}: {e}; fix the collector config given to --collector-config",
            path.display()
        ))
    })?;
    if shared.default_config(&config) == 0 {
        return Err(UsageError::Invalid(format!(
            "--collector-config {} applies to the collector containers whose config is not in the              input, and there is none: every collector's config was found (drop the flag), or no              container is a collector (lint the file alone with tracectl doctor --collector-config)",
            path.display()
        )));
    }
    Ok(())
}

/// For an app container the operator's Go agent sidecar instruments: the note saying so (the
/// agent exports for it and its settings are checked on the agent).
fn go_agent(shared: &Shared, w: &Workload) -> Option<String> {
    let agent = shared.group(w).find(|o| {
        o.id != w.id
            && o.injected
                .as_ref()
                .is_some_and(|i| i.container == w.container)
    })?;
    Some(format!(
        "instrumented by the OpenTelemetry Operator's Go agent {}, which exports for it: its settings are checked there, and only the deployment checks ran here",
        agent.id
    ))
}

/// Spring's tracing properties of one workload: the `--spring-config` files count for Java
/// containers (whose SDK is java or javaagent), the environment form for every container.
fn spring_of(files: &spring::Spring, sdk: Sdk, inputs: &Inputs) -> Option<spring::Spring> {
    let java = matches!(sdk, Sdk::Java | Sdk::Javaagent);
    let base = if java {
        files.clone()
    } else {
        spring::Spring::default()
    };
    base.with_inputs(inputs)
}

/// Why a container traced by Spring Boot alone gets only the Spring and deployment checks.
const SPRING_ONLY: &str = "no OTEL_* or JAEGER_* variable and nothing showing an OpenTelemetry \
     SDK, but Spring Boot tracing properties: only those (SPR) and the deployment checks ran \
     (use --sdk-for to check it as an OpenTelemetry app too)";

/// Why a container with no tracing configuration gets only the deployment checks.
const UNTRACED: &str = "no OTEL_* or JAEGER_* variable and nothing showing an SDK: taken as not \
     instrumented, so only the deployment checks ran (use --sdk-for to check it as an app)";

/// Which checks run for a workload: collectors, agents and backends get the collector family
/// (on their own config) and the deployment checks; apps get every settings check, the
/// deployment checks, but not the collector family (its config is judged on the collector).
fn runs_for(check: &Check, w: &Workload) -> bool {
    if check.needs == Needs::Deployment || check.needs == Needs::Traces {
        return false;
    }
    let app_only_elsewhere = check.id == crate::checks::collector::app_protocol::CHECK.id
        || check.family == Family::Localhost;
    match w.role {
        Role::App => check.family != Family::Collector && !app_only_elsewhere,
        _ => {
            (check.family == Family::Collector && !app_only_elsewhere)
                || check.family == Family::Deployment
        }
    }
}

/// A collector's own config, with its own environment for `${env:VAR}`; a config file of it that
/// is not valid YAML is given as such, for COL001.
fn own_config(shared: &Shared, w: &Workload) -> Option<ConfigFile> {
    if let Some((file, e)) = shared.broken.get(&w.id) {
        return Some(ConfigFile {
            file: file.clone(),
            parsed: Err(e.clone()),
            env_set: Vec::new(),
        });
    }
    let config = shared.configs.get(&w.id)?;
    let env_set = config
        .env_refs
        .iter()
        .filter(|r| w.var(&r.var).is_some_and(|v| !v.value.text().is_empty()))
        .map(|r| r.var.clone())
        .collect();
    Some(ConfigFile {
        file: config.file.clone(),
        parsed: Ok(config.clone()),
        env_set,
    })
}

/// `--sdk-for PATTERN=SDK` entries.
fn sdk_for(entries: &[String]) -> Result<Vec<(String, Sdk)>, UsageError> {
    entries
        .iter()
        .map(|e| {
            let (pattern, sdk) = e.rsplit_once('=').ok_or_else(|| UsageError::NotKeyValue(e.clone()))?;
            let sdk = Sdk::from_str(sdk.trim(), true).map_err(|_| {
                UsageError::Invalid(format!(
                    "`{sdk}` in --sdk-for {e} is not an SDK; use one of spec, go, java, javaagent, python, node, dotnet, rust"
                ))
            })?;
            Ok((pattern.to_string(), sdk))
        })
        .collect()
}

/// `--sdk-for`, else what the definition shows, else `--sdk`.
fn choose_sdk(
    shared: &Shared,
    w: &Workload,
    sdk_for: &[(String, Sdk)],
    fallback: Option<Sdk>,
) -> SdkChoice {
    if let Some((pattern, sdk)) = sdk_for.iter().find(|(p, _)| glob(p, &w.id)) {
        return SdkChoice {
            name: *sdk,
            evidence: Some(format!("--sdk-for {pattern}={sdk}")),
        };
    }
    let first = shared
        .group(w)
        .find(|o| !o.init)
        .is_some_and(|o| o.id == w.id);
    if let Some(guess) = deploy::sdk::infer(w, first) {
        return SdkChoice {
            name: guess.sdk,
            evidence: Some(guess.evidence),
        };
    }
    if let Some(sdk) = fallback {
        return SdkChoice {
            name: sdk,
            evidence: (sdk != Sdk::Spec).then(|| "--sdk".to_string()),
        };
    }
    let set = |prefix: &str| {
        w.env
            .iter()
            .any(|v| v.name.starts_with(prefix) && !v.value.text().trim().is_empty())
    };
    if set("JAEGER_") && !set("OTEL_") {
        return SdkChoice {
            name: Sdk::Jaeger,
            evidence: Some("only JAEGER_* variables are set".to_string()),
        };
    }
    SdkChoice {
        name: Sdk::Spec,
        evidence: None,
    }
}

/// What of a workload's secret values must not appear anywhere: each value, and the host of
/// each value that is a URL (checks quote endpoints in other forms).
fn secret_fragments(w: &Workload) -> Vec<String> {
    let mut fragments = Vec::new();
    for v in w.env.iter().filter(|v| v.secret) {
        let text = v.value.text().trim();
        if text.is_empty() {
            continue;
        }
        fragments.push(text.to_string());
        if let Some(host) = url::Url::parse(text)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
        {
            fragments.push(host);
        }
    }
    fragments.sort_by_key(|f| std::cmp::Reverse(f.len()));
    fragments
}

fn scrub(text: &str, fragments: &[String]) -> String {
    let mut out = text.to_string();
    for f in fragments {
        if out.contains(f.as_str()) {
            out = out.replace(f.as_str(), &redact(f));
        }
    }
    out
}

fn workload_report(w: &Workload, sdk: SdkChoice, ran: Report) -> WorkloadReport {
    let secrets = secret_fragments(w);
    let hide = |s: &str| scrub(s, &secrets);
    let mut settings = ran.settings;
    for line in &mut settings {
        let var = line.var.as_deref().unwrap_or(&line.key);
        if w.var(var).is_some_and(|v| v.secret) {
            line.value = redact(&line.value);
        }
        line.value = hide(&line.value);
    }
    let checks: Vec<CheckResult> = ran
        .checks
        .into_iter()
        .map(|mut c| {
            c.evidence.map_strings(hide);
            for f in &mut c.findings {
                if f.location.is_none() {
                    f.location = w.var(&f.subject).map(|v| v.source.clone());
                }
                f.message = hide(&f.message);
                f.fix = hide(&deploy::fix::manifest_form(&f.fix, w));
                f.subject = hide(&f.subject);
                f.evidence.map_strings(hide);
            }
            c
        })
        .collect();
    WorkloadReport {
        id: w.id.clone(),
        kind: w.kind.clone(),
        namespace: w.namespace.clone(),
        name: w.name.clone(),
        container: w.container.clone(),
        role: w.role.as_str(),
        source: w.source.clone(),
        template: w.template.clone(),
        sdk,
        note: None,
        settings,
        checks,
    }
}
