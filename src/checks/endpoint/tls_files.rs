use std::io::Read;
use std::path::Path;

use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::Resolved;

pub static CHECK: Check = Check {
    id: "END009",
    name: "otlp-tls-file-unreadable",
    family: Family::Endpoint,
    severity: Severity::Error,
    title: "Every TLS file the OTLP exporter names exists, is readable and holds PEM",
    explanation: Explanation {
        checks: "The files named by `OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE`, `_CLIENT_KEY` and \
                 `_CLIENT_CERTIFICATE` (signal-specific first): that each exists, is a readable file, \
                 and holds a PEM block (`-----BEGIN`). Relative paths are read from the directory \
                 tracectl runs in; the app resolves them from its own working directory.",
        why: "An SDK that cannot load its CA or client certificate fails to build the exporter (most \
              log one line at start-up and export nothing) or falls back to the system roots and \
              fails every TLS handshake. A path that exists on a laptop but not in the container \
              (the secret was never mounted) is the usual cause.",
        fix: "Point the variable at the mounted PEM file (`ls -l` it where the app runs), fix its \
              permissions, or convert a DER file: `openssl x509 -inform der -in ca.der -out ca.pem`.",
        example: "OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/ca.pem   # not mounted in the container",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

/// How much of a file is read to look for a PEM header.
const PEM_SNIFF_BYTES: u64 = 64 * 1024;

/// What is wrong with the file at `path`, if anything.
fn problem(path: &Path) -> Option<String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Some("does not exist".to_string());
        }
        Err(e) => return Some(format!("cannot be read ({e})")),
    };
    if !meta.is_file() {
        return Some("is not a regular file".to_string());
    }
    let mut head = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(PEM_SNIFF_BYTES).read_to_end(&mut head));
    if let Err(e) = read {
        return Some(format!("cannot be read ({e})"));
    }
    let pem = head.windows(10).any(|w| w == b"-----BEGIN");
    (!pem).then(|| "holds no PEM block (`-----BEGIN ...`): DER or another format".to_string())
}

fn run(ctx: &Context) -> Outcome {
    let otlp = &ctx.settings.otlp;
    let files: [(&str, &Option<Resolved<String>>); 3] = [
        ("CA certificate", &otlp.certificate),
        ("client key", &otlp.client_key),
        ("client certificate", &otlp.client_certificate),
    ];
    let mut evidence = Evidence::new();
    let mut drafts = Vec::new();
    for (what, file) in files {
        let Some(file) = file else { continue };
        let var = file.var.unwrap_or("OTEL_EXPORTER_OTLP_CERTIFICATE");
        let path = Path::new(file.value.trim());
        evidence = evidence.setting(var, file);
        let Some(problem) = problem(path) else {
            continue;
        };
        let relative = if path.is_relative() {
            " (a relative path: the app reads it from its own working directory)"
        } else {
            ""
        };
        drafts.push(
            Draft::new(
                var,
                format!(
                    "The {what} file `{}` named by {var} {problem}{relative}: the exporter cannot \
                     set up TLS and sends nothing.",
                    path.display()
                ),
                format!(
                    "export {var}=/path/to/{}.pem (a PEM file that exists where the app runs)",
                    what.replace(' ', "-")
                ),
            )
            .setting(var, file),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    #[test]
    fn passes_without_files_or_with_readable_pem_files() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, PEM).unwrap();
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_CERTIFICATE", ca.to_str().unwrap())]
        ));
    }

    #[test]
    fn flags_missing_directory_and_non_pem_files() {
        let dir = tempfile::tempdir().unwrap();
        let der = dir.path().join("ca.der");
        std::fs::write(&der, [0x30, 0x82, 0x01, 0x0a]).unwrap();
        let missing = dir.path().join("missing.pem");
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                (
                    "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE",
                    der.to_str().unwrap(),
                ),
                ("OTEL_EXPORTER_OTLP_CLIENT_KEY", missing.to_str().unwrap()),
                (
                    "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE",
                    dir.path().to_str().unwrap(),
                ),
            ],
        );
        assert_eq!(f.len(), 3, "{f:?}");
        assert_eq!(f[0].subject, "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE");
        assert!(f[0].message.contains("no PEM block"), "{}", f[0].message);
        assert!(f[1].message.contains("does not exist"), "{}", f[1].message);
        assert!(
            f[2].message.contains("not a regular file"),
            "{}",
            f[2].message
        );
    }
}
