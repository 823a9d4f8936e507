use std::io::Write;
use std::sync::Arc;

mod deploy;
mod list;

use super::inputs::{
    self, checks_for, load_collector_config, resolve_settings, severity_overrides,
};
use super::outputs;
use super::progress;
use crate::checks::reachability::scan;
use crate::checks::{Context, live};
use crate::cli::{DoctorArgs, DoctorFormat};
use crate::collector::ConfigFile;
use crate::collector::components::Signal;
use crate::collector::model::{Pipeline, Ref, Section};
use crate::error::UsageError;
use crate::exit::ExitCode;
use crate::host::HostFacts;
use crate::probe::{self, udp::UdpProbe};
use crate::report::{self, CollectorView, EndpointRow};
use crate::rule::Needs;
use crate::runner::{self, RunOptions};
use crate::style::Style;

pub fn run(args: &DoctorArgs, style: Style, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if args.list_checks {
        list::list_checks(args.report.format, out)?;
        return Ok(ExitCode::Ok);
    }
    let files = !args.deploy.k8s.is_empty() || !args.deploy.compose.is_empty();
    if !files {
        for key in &args.select {
            let found = crate::registry::resolve(key)?;
            if !found.is_empty() && found.iter().all(|c| c.needs.deployment_only()) {
                return Err(UsageError::Invalid(format!(
                    "`{key}` checks deployment files: run tracectl doctor --k8s PATH --select {key} (or --compose FILE)"
                ))
                .into());
            }
        }
    }
    let checks = if files {
        checks_for(
            &args.select,
            &args.skip,
            |c| c.needs != Needs::Traces,
            ("doctor --k8s/--compose", "tracectl analyze FILE"),
        )?
    } else {
        checks_for(
            &args.select,
            &args.skip,
            |c| c.needs != Needs::Traces && !c.needs.deployment_only(),
            ("doctor", "tracectl analyze FILE"),
        )?
    };
    let options = RunOptions {
        command: "doctor",
        severity_overrides: severity_overrides(&args.severity)?,
        fail_on: Some(args.fail_on),
    };
    if files {
        let report = deploy::report(args, &checks, &options)?;
        let code = render(&report, args, style, out);
        // A fleet's report holds tens of thousands of check results and the command ends
        // here: the process hands the memory back at once, faster than freeing each piece.
        std::mem::forget(report);
        return code;
    }
    let settings = resolve_settings(&args.settings)?;
    let spring_files = inputs::read_spring_files(&args.spring_config)?;
    let spring = inputs::spring_config(&spring_files, &settings.inputs)?;
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

    let runtime = inputs::runtime()?;
    let report = runtime.block_on(async {
        let deadline = crate::probe::deadline_in(args.timeout);
        let mut ctx = Context::new(settings, deadline, args.offline).with_e2e(e2e);
        live_options(&mut ctx, args, style);
        ctx.collector_config = collector_config;
        ctx.spring = spring;
        let ctx = Arc::new(ctx);
        let mut report = runner::run(Arc::clone(&ctx), &checks, &options).await;
        report.collector = ctx.collector_config.as_ref().map(collector_view);
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

    render(&report, args, style, out)
}

/// Writes the report to standard output and each `--output` file; the exit code it gives.
fn render(
    report: &report::Report,
    args: &DoctorArgs,
    style: Style,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let detail = outputs::detail(&args.report);
    outputs::emit(
        &args.report,
        style,
        out,
        &|format, style, out| match format {
            DoctorFormat::Human => report::human::render(report, style, detail, out),
            other => outputs::render_shared(other, report, style, detail, out),
        },
    )?;
    Ok(if report.failed {
        ExitCode::Findings
    } else {
        ExitCode::Ok
    })
}

/// The collector config as the pipeline diagram shows it: the receivers and exporters of its
/// traces pipelines (every one defined when no traces pipeline names any).
fn collector_view(file: &ConfigFile) -> CollectorView {
    let mut view = CollectorView {
        file: file.file.clone(),
        ..CollectorView::default()
    };
    let Ok(config) = &file.parsed else {
        return view;
    };
    let traces: Vec<_> = config
        .pipelines
        .iter()
        .filter(|p| p.signal == Some(Signal::Traces))
        .collect();
    let named = |id: &str, pick: fn(&Pipeline) -> &Vec<Ref>| {
        traces.is_empty() || traces.iter().any(|p| pick(p).iter().any(|r| r.id == id))
    };
    for l in config.listeners() {
        if named(&l.receiver, |p| &p.receivers) {
            let protocol = match l.protocol.as_str() {
                "" => String::new(),
                p => format!(" {p}"),
            };
            view.receivers
                .push(format!("{}{protocol} {}", l.receiver, l.address()));
        }
    }
    for c in config.components_in(Section::Exporters) {
        if named(&c.id, |p| &p.exporters) {
            let target = c
                .config
                .get("endpoint")
                .and_then(|e| e.as_str())
                .unwrap_or_default();
            view.exporters.push((c.id.clone(), target.to_string()));
        }
    }
    view
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
