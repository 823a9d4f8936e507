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

/// `mi_option_purge_delay` of mimalloc v2's `mimalloc.h` (the Rust binding does not name it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc hands pages it no longer uses back to the system 10 ms after they are freed by
/// default; at once, a fleet run (whose parse trees are freed in bursts) peaks 3 MB lower at the
/// same speed, and `listen` ingests as fast (benches/deploy_fleet.sh, benches/listen_ingest.sh).
/// `MIMALLOC_PURGE_DELAY` in the environment still decides.
fn return_freed_memory_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mi_option_set stores one integer option of the allocator, which reads its
        // options atomically; it touches no memory of ours.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    }
}

fn main() -> std::process::ExitCode {
    return_freed_memory_at_once();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_whose_default_is_10_ms() {
        // SAFETY: reads one integer option of the allocator.
        let value = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(
                value, 10,
                "option {PURGE_DELAY} is not mimalloc's purge delay"
            );
        }
    }
}
