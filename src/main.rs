use std::io::{self, Write};

use clap::Parser;

use tracectl::cli::Cli;
use tracectl::exit::ExitCode;
use tracectl::settings::secret::redact_urls;
use tracectl::style::Style;

/// mimalloc instead of the system allocator: a fleet run allocates millions of small strings
/// across threads, which glibc's allocator serves slower and with a larger resident set.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // reqwest and tonic are built without a default TLS provider; install ring once, first.
    let _ = rustls::crypto::ring::default_provider().install_default();

    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if e.use_stderr() {
                // Values clap quotes back (an unparsable --endpoint) may carry a URL password.
                eprint!("{}", redact_urls(&e.render().to_string()));
            } else {
                let _ = e.print();
            }
            return std::process::ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let style = Style::detect(cli.color);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match tracectl::cmd::run(cli, style, &mut out) {
        Ok(code) => code.into(),
        Err(e) if is_broken_pipe(&e) => ExitCode::Ok.into(),
        Err(e) => {
            let _ = out.flush();
            eprintln!("error: {}", redact_urls(&format!("{e:#}")));
            ExitCode::Usage.into()
        }
    }
}

/// A reader that went away (`tracectl man | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
