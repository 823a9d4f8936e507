use std::io::Write;

use crate::cli::{DataFormat, ListenArgs};
use crate::exit::ExitCode;
use crate::listen::Listener;
use crate::listen::conn::{HEAD_TIMEOUT, Timeouts};
use crate::listen::output::Renderer;
use crate::listen::run::{self, Options, Plan};
use crate::style::Style;

fn plan(args: &ListenArgs) -> anyhow::Result<Plan> {
    let mut listeners = Vec::new();
    for listener in Listener::ALL {
        if !args.only.is_empty() && !args.only.contains(&listener) {
            continue;
        }
        let (flag, text) = match listener {
            Listener::OtlpGrpc => ("--otlp-grpc", &args.otlp_grpc),
            Listener::OtlpHttp => ("--otlp-http", &args.otlp_http),
            Listener::JaegerCompact => ("--jaeger-compact", &args.jaeger_compact),
            Listener::JaegerBinary => ("--jaeger-binary", &args.jaeger_binary),
            Listener::JaegerHttp => ("--jaeger-http", &args.jaeger_http),
            Listener::Zipkin => ("--zipkin", &args.zipkin),
        };
        match run::parse_addr(text, args.bind) {
            Ok(Some(addr)) => listeners.push((listener, addr)),
            Ok(None) => {}
            Err(e) => anyhow::bail!("{flag}: {e}"),
        }
    }
    if listeners.is_empty() {
        anyhow::bail!("every listener is off; leave at least one on (see --only)");
    }
    Ok(Plan {
        bind: args.bind,
        listeners,
    })
}

pub fn run(args: &ListenArgs, style: Style, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let plan = plan(args)?;
    let options = Options {
        renderer: match args.format {
            DataFormat::Human => Renderer::Human(style),
            DataFormat::Json => Renderer::Json,
        },
        count: args.count,
        duration: args.duration,
        skew_threshold: args.skew_threshold,
        summary_every: args
            .summary_every
            .max(std::time::Duration::from_millis(100)),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        max_memory: usize::try_from(args.max_memory).unwrap_or(usize::MAX),
        timeouts: Timeouts {
            head: HEAD_TIMEOUT,
            idle: args.idle_timeout,
        },
        strict: args.strict,
        fail_on: args.fail_on,
    };
    let runtime = super::inputs::runtime()?;
    let mut err = std::io::stderr();
    let code = runtime.block_on(run::run(&plan, options, out, &mut err));
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    code
}
