use std::io::{self, IsTerminal, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use tracectl_propagation::convert::Target;
use tracectl_propagation::{Kind, Level, Options};

use crate::cli::{DataFormat, DecodeHeaderArgs, ToFormat};
use crate::decode_header::read::{self, Chunk};
use crate::decode_header::{Output, Session, Settings};
use crate::error::UsageError;
use crate::exit::ExitCode;
use crate::style::Style;

/// Hidden test hook: the current time in Unix seconds, so X-Ray epoch ages are reproducible.
const NOW_ENV: &str = "TRACECTL_NOW";

pub fn run(args: &DecodeHeaderArgs, style: Style, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let now = std::env::var(NOW_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .ok()
                .map(|d| d.as_secs())
        });
    let settings = Settings {
        opts: Options {
            level: if args.level == 1 {
                Level::One
            } else {
                Level::Two
            },
            now,
        },
        as_kind: args.as_format.as_deref().and_then(Kind::from_as),
        each_line: args.each_line,
        to: args.to.map(|t| match t {
            ToFormat::W3c => Target::W3c,
            ToFormat::B3 => Target::B3,
            ToFormat::B3multi => Target::B3Multi,
            ToFormat::Jaeger => Target::Jaeger,
            ToFormat::Xray => Target::XRay,
            ToFormat::Datadog => Target::Datadog,
        }),
        output: match (args.quiet, args.format) {
            (true, _) => Output::Quiet,
            (false, DataFormat::Human) => Output::Human { color: style.color },
            (false, DataFormat::Json) => Output::Json,
        },
    };
    let from_stdin = args.headers.is_empty() || args.headers.iter().all(|h| h == "-");
    if from_stdin && io::stdin().is_terminal() {
        return Err(UsageError::NoHeader.into());
    }
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let mut session = Session::new(settings, out, &mut err);
    if from_stdin {
        read::for_each_line(io::stdin().lock(), |chunk| match chunk {
            Chunk::Line(line) => session.line(line),
            Chunk::TooLong(len) => session.too_long(len),
        })?;
    } else {
        for arg in &args.headers {
            for line in arg.as_encoded_bytes().split(|&b| b == b'\n') {
                session.line(line)?;
            }
        }
    }
    Ok(if session.finish()? {
        ExitCode::Ok
    } else {
        ExitCode::Findings
    })
}
