use std::io::Write;
use std::time::SystemTime;

use crate::cli::{Compression, DataFormat, SendTestSpanArgs, SpanStatusArg};
use crate::cmd::inputs::{resolve_settings, runtime};
use crate::error::UsageError;
use crate::exit::ExitCode;
use crate::protocol::trace::{Attr, Parent, Shape, Status, Trace};
use crate::send::cause::Terms;
use crate::send::{self, TlsFiles, load, output, target};
use crate::settings::Settings;
use crate::style::Style;

fn attrs(items: &[String]) -> Result<Vec<Attr>, UsageError> {
    items
        .iter()
        .map(|a| Attr::parse(a).map_err(UsageError::Invalid))
        .collect()
}

/// The service name to send as: `--service`, else the one the settings configure, else
/// `tracectl`.
fn service(args: &SendTestSpanArgs, settings: &Settings) -> String {
    let configured = (!settings.service.fallback).then(|| settings.service.effective.value.clone());
    args.service
        .clone()
        .or(configured)
        .unwrap_or_else(|| "tracectl".to_string())
}

fn shape(args: &SendTestSpanArgs, settings: &Settings) -> Result<Shape, UsageError> {
    let parent = args
        .parent
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(Parent::parse)
        .transpose()
        .map_err(UsageError::Invalid)?;
    Ok(Shape {
        service: service(args, settings),
        name: args.name.clone(),
        kind: args.kind,
        attributes: attrs(&args.attrs)?,
        resource: attrs(&args.resource_attrs)?,
        events: args.events.clone(),
        status: match args.status {
            None => Status::Unset,
            Some(SpanStatusArg::Ok) => Status::Ok,
            Some(SpanStatusArg::Error) => Status::Error,
        },
        spans: args.spans as usize,
        parent,
    })
}

/// `--rate N`: sends for `--duration` and prints the load report.
fn load_mode(
    rate: u64,
    args: &SendTestSpanArgs,
    shape: &Shape,
    target: &send::Target,
    transport: &send::Transport,
    style: Style,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if !target.protocol.is_otlp() {
        return Err(UsageError::Invalid(format!(
            "load mode (--rate) sends over OTLP only, not {}; add --protocol grpc or http/protobuf",
            target.protocol.as_str()
        ))
        .into());
    }
    let plan = load::Plan {
        rate,
        duration: args.duration,
        workers: args.workers,
    };
    let bar = style.progress.then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message("spans sent");
        bar
    });
    let report = runtime()?.block_on(load::run(shape, target, transport, &plan, |sent| {
        if let Some(bar) = &bar {
            bar.set_position(sent);
        }
    }));
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = match report {
        Ok(r) => r,
        Err(e) => anyhow::bail!("load mode against {} stopped: {e}", target.url),
    };
    match args.format {
        DataFormat::Human => output::render_load(&report, out)?,
        DataFormat::Json => output::render_json(&report, out)?,
    }
    Ok(if report.is_clean() {
        ExitCode::Ok
    } else {
        ExitCode::Findings
    })
}

/// `--verify URL` with its headers and the CA for an https query service.
fn verify_plan(
    url: &str,
    args: &SendTestSpanArgs,
    settings: &Settings,
) -> Result<send::Verify, String> {
    let headers = target::header_flags("--verify-header", &args.verify_headers)?;
    send::verify::header_map(&headers)?;
    Ok(send::Verify {
        query: send::verify::query_url(url, "--verify")?,
        within: args.verify_timeout,
        headers,
        ca: args
            .ca_file
            .clone()
            .or_else(|| target::certificate(settings)),
    })
}

pub fn run(args: &SendTestSpanArgs, style: Style, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let settings = resolve_settings(&args.settings)?;
    let shape = shape(args, &settings)?;
    let target = target::resolve(
        args.endpoint.as_deref(),
        args.protocol,
        args.insecure,
        &settings,
    )
    .map_err(UsageError::Invalid)?;
    let headers =
        target::headers(target.protocol, &settings, &args.headers).map_err(UsageError::Invalid)?;
    let transport = target::transport(
        target.protocol,
        &settings,
        headers.clone(),
        TlsFiles {
            ca: args.ca_file.clone(),
            client_cert: args.client_cert.clone(),
            client_key: args.client_key.clone(),
        },
        args.compression.map(|c| c == Compression::Gzip),
        args.timeout,
    );
    send::verify::header_map(&headers).map_err(|e| {
        UsageError::Invalid(format!(
            "{e}; fix --header or OTEL_EXPORTER_OTLP_[TRACES_]HEADERS (names are letters, digits \
             and -)"
        ))
    })?;
    if args.ca_file.is_some() || args.client_cert.is_some() || args.client_key.is_some() {
        send::check_tls(&transport.tls).map_err(UsageError::Invalid)?;
    }
    if let Some(rate) = args.rate {
        return load_mode(rate, args, &shape, &target, &transport, style, out);
    }
    let verify = args
        .verify
        .as_deref()
        .map(|url| verify_plan(url, args, &settings))
        .transpose()
        .map_err(UsageError::Invalid)?;
    let trace = Trace::synthetic(&shape, SystemTime::now());
    let receipt = runtime()?.block_on(send::prove(
        &trace,
        &target,
        &transport,
        verify.as_ref(),
        Terms::Flags,
    ));
    match args.format {
        DataFormat::Human => output::render_receipt(&receipt, style, out)?,
        DataFormat::Json => output::render_json(&receipt, out)?,
    }
    Ok(if receipt.is_success() {
        ExitCode::Ok
    } else {
        ExitCode::Findings
    })
}
