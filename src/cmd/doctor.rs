use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use serde_json::json;

use super::progress;
use crate::checks::reachability::scan;
use crate::checks::{Check, Context, Needs, live};
use crate::cli::{DoctorArgs, DoctorFormat, SettingsArgs};
use crate::collector::ConfigFile;
use crate::error::UsageError;
use crate::exit::ExitCode;
use crate::host::HostFacts;
use crate::probe::{self, udp::UdpProbe};
use crate::registry::{self, CHECKS};
use crate::report;
use crate::report::EndpointRow;
use crate::rule::Severity;
use crate::runner::{self, RunOptions};
use crate::settings::{self, Inputs, Settings, Source};
use crate::style::Style;

pub fn run(args: &DoctorArgs, style: Style, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if args.list_checks {
        list_checks(args.format, out)?;
        return Ok(ExitCode::Ok);
    }
    let checks = checks_for(
        &args.select,
        &args.skip,
        |c| c.needs != Needs::Traces,
        ("doctor", "tracectl analyze FILE"),
    )?;
    let options = RunOptions {
        command: "doctor",
        severity_overrides: severity_overrides(&args.severity)?,
        fail_on: Some(args.fail_on),
    };
    let settings = resolve_settings(&args.settings)?;
    let collector_config = match &args.collector_config {
        Some(path) => Some(load_collector_config(path, args.settings.no_env)?),
        None => None,
    };
    let e2e = args
        .query_url
        .as_deref()
        .filter(|_| args.e2e)
        .map(|url| crate::send::verify::query_url(url, "--query-url"))
        .transpose()
        .map_err(UsageError::Invalid)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = runtime.block_on(async {
        let deadline = tokio::time::Instant::now() + args.timeout;
        let mut ctx = Context::new(settings, deadline, args.offline).with_e2e(e2e);
        live_options(&mut ctx, args, style);
        ctx.collector_config = collector_config;
        let ctx = Arc::new(ctx);
        let mut report = runner::run(Arc::clone(&ctx), &checks, &options).await;
        report.endpoints = endpoint_rows(&ctx);
        if !report.endpoints.is_empty() && report.endpoints.iter().all(|r| !r.open) {
            report.endpoints_note = Some(format!(
                "Nothing answers. To start a collector on this host: {}.",
                live::START_COLLECTOR
            ));
        }
        report
    });
    // Probes still waiting on a dead peer (or on the system resolver) must not hold the exit.
    runtime.shutdown_background();

    match args.format {
        DoctorFormat::Human => report::human::render(&report, style, out)?,
        DoctorFormat::Json => report::json::render(&report, out)?,
        DoctorFormat::Github => report::github::render(&report, out)?,
    }
    Ok(if report.failed {
        ExitCode::Findings
    } else {
        ExitCode::Ok
    })
}

/// Sets the live checks' options from the flags and the host.
fn live_options(ctx: &mut Context, args: &DoctorArgs, style: Style) {
    let host = HostFacts::detect();
    ctx.live.ntp_servers = match &args.ntp_server {
        Some(server) => vec![server.clone()],
        None => host.ntp_servers.clone(),
    };
    ctx.live.ntp_from_flag = args.ntp_server.is_some();
    ctx.live.host = host;
    ctx.live.scan = args.scan.clone();
    ctx.live.endpoints = args.endpoints.clone();
    ctx.live.probe_deadline = live::probe_deadline(ctx.deadline, args.timeout);
    if style.progress {
        ctx.probes = probe::Cache::with_progress(Arc::new(progress::Spinners::new()));
    }
}

/// The report's endpoint table, from the probes the checks ran.
fn endpoint_rows(ctx: &Context) -> Vec<EndpointRow> {
    let tcp = ctx.probes.tcp_done().into_iter().map(|fp| EndpointRow {
        endpoint: fp.target.authority(),
        transport: "tcp",
        usual: scan::usual(fp.target.port),
        answer: fp.summary(),
        open: fp.connected(),
    });
    let udp = ctx.probes.udp_done().into_iter().map(|u| EndpointRow {
        endpoint: format!("{}:{}", u.target.host, u.target.port),
        transport: "udp",
        usual: scan::usual(u.target.port),
        answer: u.summary(),
        open: matches!(u.result, Some(UdpProbe::Silent | UdpProbe::Answered(_))),
    });
    tcp.chain(udp).collect()
}

/// Gathers the app's settings: environment, then env files, then `--set`.
pub fn resolve_settings(args: &SettingsArgs) -> anyhow::Result<Settings> {
    let mut inputs = Inputs::default();
    if !args.no_env {
        inputs.add_env(std::env::vars_os());
    }
    for path in &args.env_file {
        let text = std::fs::read(path).map_err(|error| UsageError::EnvFile {
            path: path.clone(),
            error,
        })?;
        if text.starts_with(&[0xff, 0xfe]) || text.starts_with(&[0xfe, 0xff]) || text.contains(&0) {
            return Err(UsageError::Invalid(format!(
                "env file {} is UTF-16 or binary, not text of KEY=VALUE lines; save it as UTF-8, \
                 e.g. iconv -f UTF-16 -t UTF-8",
                path.display()
            ))
            .into());
        }
        settings::env_file::load(
            &mut inputs,
            path,
            &String::from_utf8_lossy(&text),
            args.env_file_format,
        )
        .map_err(UsageError::from)?;
    }
    for kv in &args.set {
        let (k, v) = kv
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| UsageError::NotKeyValue(kv.clone()))?;
        inputs.set(k.trim(), v, Source::Flag);
    }
    Ok(Settings::resolve(inputs, args.sdk))
}

/// Reads and parses `--collector-config`; a syntax error is a finding (COL001), not an error.
fn load_collector_config(path: &Path, no_env: bool) -> Result<ConfigFile, UsageError> {
    let bytes = std::fs::read(path).map_err(|error| UsageError::CollectorConfig {
        path: path.to_path_buf(),
        error,
    })?;
    let mut file = ConfigFile::parse(
        &path.display().to_string(),
        &String::from_utf8_lossy(&bytes),
    );
    if !no_env {
        file.note_env(|var| std::env::var(var).ok());
    }
    Ok(file)
}

/// The checks a command runs: `--select` (or every check) minus `--skip`, kept to those `runs`
/// accepts. A `--select` entry naming only checks of the other command is an error naming it:
/// `this` is this command's name, `other` how the other command is run.
pub(crate) fn checks_for(
    select: &[String],
    skip: &[String],
    runs: fn(&Check) -> bool,
    (this, other): (&str, &str),
) -> Result<Vec<&'static Check>, UsageError> {
    for key in select {
        if !registry::resolve(key)?.into_iter().any(runs) {
            return Err(UsageError::Invalid(format!(
                "`{key}` is checked by `{other}`, not by {this}: run {other} --select {key}"
            )));
        }
    }
    let mut checks = registry::selection(select, skip)?;
    checks.retain(|c| runs(c));
    Ok(checks)
}

pub(crate) fn severity_overrides(
    entries: &[String],
) -> Result<HashMap<&'static str, Severity>, UsageError> {
    let mut overrides = HashMap::new();
    for entry in entries {
        let (key, level) = entry
            .split_once('=')
            .ok_or_else(|| UsageError::NotKeyValue(entry.clone()))?;
        let severity = Severity::parse(level.trim()).ok_or_else(|| UsageError::BadSeverity {
            check: key.to_string(),
            given: level.to_string(),
        })?;
        for check in registry::resolve(key)? {
            overrides.insert(check.id, severity);
        }
    }
    Ok(overrides)
}

fn list_checks(format: DoctorFormat, out: &mut dyn Write) -> anyhow::Result<()> {
    match format {
        DoctorFormat::Json => {
            let checks: Vec<_> = CHECKS.iter().map(|c| check_json(c)).collect();
            let doc = json!({ "schema_version": report::SCHEMA_VERSION, "checks": checks });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        DoctorFormat::Human | DoctorFormat::Github => {
            let w = |f: fn(&Check) -> usize| CHECKS.iter().map(|c| f(c)).max().unwrap_or(0);
            let (idw, namew, famw) = (
                w(|c| c.id.len()),
                w(|c| c.name.len()),
                w(|c| c.family.as_str().len()),
            );
            for c in CHECKS {
                writeln!(
                    out,
                    "{:idw$}  {:namew$}  {:famw$}  {:7}  {}",
                    c.id,
                    c.name,
                    c.family.as_str(),
                    c.severity.as_str(),
                    c.title
                )?;
            }
        }
    }
    Ok(())
}

fn check_json(c: &Check) -> serde_json::Value {
    json!({
        "id": c.id,
        "name": c.name,
        "family": c.family,
        "severity": c.severity,
        "title": c.title,
        "needs": c.needs,
        "docs": c.docs_path(),
    })
}
