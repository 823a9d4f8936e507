//! `tracectl doctor`: check the settings an app would run with.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{host_port, optional_host, timeout};
use crate::rule::Severity;
use crate::settings::Sdk;
use crate::settings::env_file::EnvFileFormat;

pub(super) const DOCTOR_HELP: &str = "\
Settings are read like an app reads them: the process environment, then each --env-file in order,
then --set flags; later sources win. A Java app's -Dotel.* system properties (JAVA_TOOL_OPTIONS,
JAVA_OPTS, --java-options, _JAVA_OPTIONS) win over them all, as in the Java agent. Every value in
the report says where it came from.

Examples:
  tracectl doctor
  tracectl doctor --env-file .env --sdk python
  tracectl doctor --set OTEL_EXPORTER_OTLP_PROTOCOL=grpc --offline
  tracectl doctor --format json --fail-on warning
  tracectl doctor --select service-name --skip SVC004
  tracectl doctor --format github      # annotations in a GitHub Actions log
  tracectl doctor --output sarif=tracectl.sarif --output junit=tracectl.xml
  tracectl doctor --format markdown >> $GITHUB_STEP_SUMMARY
  tracectl doctor --verbose            # every check, passing and skipped ones too
  tracectl doctor --list-checks
  tracectl doctor --scan               # what answers on localhost's tracing ports
  tracectl doctor --scan collector --endpoint http://collector:16686
  tracectl doctor --ntp-server pool.ntp.org --timeout 2s
  tracectl doctor --collector-config otel-collector.yaml --set OTEL_EXPORTER_OTLP_PROTOCOL=grpc
  tracectl doctor --java-options \"-javaagent:/otel.jar -Dotel.service.name='my app'\"
  tracectl doctor --spring-config application.yaml --spring-config application-prod.yaml
  tracectl doctor --e2e --query-url http://jaeger:16686 --timeout 30s
  tracectl doctor --k8s manifests/ --workload 'shop/*'
  helm template demo ./chart | tracectl doctor --k8s - --format github
  tracectl doctor --compose compose.yaml --compose compose.prod.yaml --profile tracing

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, unreadable env file, collector config, --k8s or --compose path, an --output
     file that cannot be written, or internal error

With --k8s, every container of the manifests is checked with the environment the platform
would give it (env, envFrom, valueFrom, $(VAR) expansion), plus checks across workloads:
Services, ports, node-local collectors, collector receivers. Findings point at file:line.
With --compose, every service is checked with the environment Compose gives its container
(.env and the shell for ${VAR}, env_file, environment, overlays merged in order, profiles).";

/// Output format of `doctor` and `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DoctorFormat {
    /// Aligned text for people: failing checks in full, passing families one line each.
    Human,
    /// One JSON document (schema in docs/output.md).
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML: one testsuite per family, one testcase per check (GitLab, Jenkins).
    Junit,
    /// Markdown for a pull-request comment or CI job summary, with a Mermaid pipeline diagram.
    Markdown,
}

/// One `--output FORMAT=FILE`: a report written to a file besides standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTarget {
    pub format: DoctorFormat,
    pub path: PathBuf,
}

fn output_target(value: &str) -> Result<OutputTarget, String> {
    let (format, path) = value
        .split_once('=')
        .filter(|(_, p)| !p.is_empty())
        .ok_or_else(|| format!("expected FORMAT=FILE, e.g. sarif=tracectl.sarif, got `{value}`"))?;
    let format = DoctorFormat::from_str(format, true).map_err(|_| {
        format!("unknown format `{format}`: one of human, json, github, sarif, junit, markdown")
    })?;
    Ok(OutputTarget {
        format,
        path: PathBuf::from(path),
    })
}

/// How the report is written: the format on standard output, files in other formats, detail.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format on standard output.
    #[arg(long, short = 'f', value_enum, default_value_t = DoctorFormat::Human)]
    pub format: DoctorFormat,

    /// Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=tracectl.sarif
    /// keeps the human report on the terminal and writes SARIF for upload. Human output in a
    /// file is plain text, never coloured or wrapped.
    #[arg(long = "output", short = 'o', value_name = "FORMAT=FILE", value_parser = output_target)]
    pub outputs: Vec<OutputTarget>,

    /// Human output: show every check, passing and skipped, with its own line.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub report: ReportArgs,

    /// List the checks instead of running them (--format human, json or markdown).
    #[arg(long)]
    pub list_checks: bool,

    #[command(flatten)]
    pub settings: SettingsArgs,

    #[command(flatten)]
    pub deploy: super::DeployArgs,

    /// Deadline for the whole run, network probes included (e.g. 500ms, 3s, 1m; 10ms to 1h).
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = timeout)]
    pub timeout: Duration,

    /// Skip every check that needs the network, saying so in the report.
    #[arg(long)]
    pub offline: bool,

    /// Also lint this OpenTelemetry Collector (or Jaeger v2) config YAML, and check it against the
    /// app's settings. With --k8s / --compose: the config of each collector container whose
    /// config is not in the input.
    #[arg(long, value_name = "FILE")]
    pub collector_config: Option<PathBuf>,

    /// A Spring Boot application.yaml, .yml or .properties file of the app (repeatable, later
    /// files win; below MANAGEMENT_* variables and -Dmanagement.* properties, as in Spring). Its
    /// management.otlp.tracing.* / management.opentelemetry.* / management.tracing.* properties
    /// are checked (SPR001–SPR005). With --k8s / --compose: for every Java container.
    #[arg(long, value_name = "FILE")]
    pub spring_config: Vec<PathBuf>,

    /// Run only these checks: ids, names or family names, comma-separated or repeated.
    #[arg(long, value_name = "CHECK", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not run these checks: ids, names or family names, comma-separated or repeated.
    #[arg(long, value_name = "CHECK", value_delimiter = ',')]
    pub skip: Vec<String>,

    /// Change a check's severity, e.g. --severity SVC004=info (id or name; repeatable).
    #[arg(long, value_name = "CHECK=LEVEL")]
    pub severity: Vec<String>,

    /// The lowest severity that makes the run exit 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Severity::Error)]
    pub fail_on: Severity,

    /// Probe the well-known tracing ports (4317, 4318, 6831/udp, 14250, 16686…) of HOST and show what
    /// answers where; HOST defaults to the OTLP endpoint's host, else localhost.
    #[arg(long, value_name = "HOST", num_args = 0..=1, default_missing_value = "", value_parser = optional_host)]
    pub scan: Option<String>,

    /// Also probe this endpoint, e.g. --endpoint http://collector:14268 (repeatable).
    #[arg(long = "endpoint", value_name = "URL")]
    pub endpoints: Vec<url::Url>,

    /// Measure the local clock against this SNTP server (HOST or HOST:PORT) instead of the servers
    /// in the host's chrony/ntp/timesyncd configuration.
    #[arg(long, value_name = "HOST", value_parser = host_port)]
    pub ntp_server: Option<String>,
    /// Run the end-to-end check (PPL001): send one test span where the settings point and read it
    /// back through --query-url before the --timeout deadline.
    #[arg(long, requires = "query_url")]
    pub e2e: bool,

    /// The Jaeger query service for --e2e (the UI port), e.g. http://jaeger:16686.
    #[arg(long, value_name = "URL", requires = "e2e")]
    pub query_url: Option<String>,
}

/// Where the app's settings come from.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable,
    /// later files win.
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,

    /// How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker
    /// (`docker run --env-file`: the value is everything after `=`, quotes included).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = EnvFileFormat::Dotenv)]
    pub env_file_format: EnvFileFormat,

    /// Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable,
    /// wins over the environment and env files.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// The app's JVM options, e.g. --java-options "-javaagent:/otel.jar -Dotel.service.name='my app'"
    /// (repeatable; words split as the JVM splits JAVA_TOOL_OPTIONS). Read at the place of the
    /// `java` command line: after JAVA_TOOL_OPTIONS and JAVA_OPTS, before _JAVA_OPTIONS. Each
    /// -Dotel.* property wins over its OTEL_* variable, as in the Java agent. With --k8s /
    /// --compose each container's own options (env, command, args) are read instead.
    #[arg(long, value_name = "OPTIONS", allow_hyphen_values = true)]
    pub java_options: Vec<String>,

    /// Ignore this process's environment: only --env-file and --set count.
    #[arg(long)]
    pub no_env: bool,

    /// Apply this SDK's or Jaeger client's documented defaults where they differ from the spec
    /// (default protocol, service name variable and fallback, timeout units, agent port). Without
    /// it, an app with only JAEGER_* variables is judged as a Jaeger client (the report says so),
    /// any other by the spec's defaults.
    #[arg(long, value_enum)]
    pub sdk: Option<Sdk>,
}
