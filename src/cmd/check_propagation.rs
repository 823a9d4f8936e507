//! `tracectl check-propagation`: arguments to options, the run, the report and its exit code.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};

use crate::check_propagation::inject::{self, Plan};
use crate::check_propagation::run::{self, ExecPlan, Options};
use crate::check_propagation::{output, report};
use crate::cli::{CheckPropagationArgs, DoctorFormat};
use crate::error::UsageError;
use crate::exit::ExitCode;
use crate::listen::run::parse_addr;
use crate::style::Style;

fn addr(flag: &str, text: &Option<String>) -> Result<Option<SocketAddr>, UsageError> {
    let Some(text) = text else { return Ok(None) };
    match parse_addr(text, IpAddr::from([127, 0, 0, 1])) {
        Ok(Some(a)) => Ok(Some(a)),
        Ok(None) => Ok(None),
        Err(e) => Err(UsageError::Invalid(format!("{flag}: {e}"))),
    }
}

fn url(flag: &str, text: &str) -> Result<url::Url, UsageError> {
    url::Url::parse(text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| {
            UsageError::Invalid(format!(
                "{flag}`{text}` is not an http(s) URL; write e.g. http://127.0.0.1:8080/"
            ))
        })
}

fn options(args: &CheckPropagationArgs) -> Result<Options, UsageError> {
    let headers = args
        .header
        .iter()
        .map(|h| {
            h.split_once(':')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| {
                    UsageError::Invalid(format!(
                        "-H `{h}` is not `Name: value`, e.g. -H 'x-tenant: a'"
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let baggage = args
        .baggage
        .iter()
        .map(|b| {
            crate::text::key_value(b)
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| {
                    UsageError::Invalid(format!(
                        "--baggage `{b}` is not k=v, e.g. --baggage tenant=a"
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let trace_id = args
        .trace_id
        .as_deref()
        .map(inject::parse_trace_id)
        .transpose()
        .map_err(|e| UsageError::Invalid(format!("--trace-id: {e}")))?;
    let parent_id = args
        .parent_id
        .as_deref()
        .map(inject::parse_span_id)
        .transpose()
        .map_err(|e| UsageError::Invalid(format!("--parent-id: {e}")))?;
    let method = reqwest::Method::from_bytes(args.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| UsageError::Invalid(format!("-X `{}` is not an HTTP method", args.method)))?;
    let exec = if !args.exec {
        if args.ready.is_some() {
            return Err(UsageError::Invalid(
                "--ready goes with --exec: it says when the service started by tracectl is ready"
                    .into(),
            ));
        }
        None
    } else {
        Some(ExecPlan {
            argv: args.command.clone(),
            downstream_env: args.downstream_env.clone(),
            ready: args
                .ready
                .as_deref()
                .map(|r| url("--ready ", r))
                .transpose()?,
        })
    };
    let mut formats = args.inject.clone();
    formats.dedup();
    Ok(Options {
        url: url("", &args.url)?,
        method,
        headers,
        data: args.data.clone(),
        requests: args.requests,
        inject: Plan {
            formats,
            trace_id,
            parent_id,
            sampled: args.sampled,
            tracestate: args.tracestate.clone(),
            baggage,
        },
        downstream: addr("--downstream", &args.downstream)?,
        expect_downstream: if args.downstream.is_some() {
            args.expect_downstream
        } else {
            0
        },
        otlp_grpc: addr("--otlp-grpc", &args.otlp_grpc)?,
        otlp_http: addr("--otlp-http", &args.otlp_http)?,
        exec,
        query: args
            .query_url
            .as_deref()
            .map(|q| {
                crate::send::verify::query_url(q, "--query-url").map(|query| crate::send::Verify {
                    query,
                    within: args.timeout,
                    headers: Vec::new(),
                    ca: None,
                })
            })
            .transpose()
            .map_err(UsageError::Invalid)?,
        timeout: args.timeout,
    })
}

pub fn run(
    args: &CheckPropagationArgs,
    style: Style,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let options = options(args)?;
    let runtime = super::inputs::runtime()?;
    let result = runtime.block_on(run::run(options));
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    let outcome = result?;
    super::outputs::rendered(
        &|format, style, out| match format {
            DoctorFormat::Human => output::human(&outcome, style, out),
            DoctorFormat::Json => output::json(&outcome, out),
            other => super::outputs::render_shared(
                other,
                &report::report(&outcome, args.fail_on),
                style,
                crate::report::human::Detail::Compact,
                out,
            ),
        },
        args.format,
        style,
        out,
    )?;
    let failed =
        outcome.findings.iter().any(|f| f.severity >= args.fail_on) || outcome.missing_calls > 0;
    Ok(if failed {
        ExitCode::Findings
    } else {
        ExitCode::Ok
    })
}
