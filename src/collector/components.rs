//! What tracectl knows about component types: the signals they handle and the ports receivers
//! listen on by default (field guide B1, B3).

/// A telemetry signal a pipeline carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    Traces,
    Metrics,
    Logs,
}

impl Signal {
    /// The signal of a pipeline id such as `traces` or `traces/jaeger`.
    pub fn of_pipeline(id: &str) -> Option<Signal> {
        match id.split('/').next().unwrap_or(id) {
            "traces" => Some(Signal::Traces),
            "metrics" => Some(Signal::Metrics),
            "logs" => Some(Signal::Logs),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Traces => "traces",
            Signal::Metrics => "metrics",
            Signal::Logs => "logs",
        }
    }
}

const T: &[Signal] = &[Signal::Traces];
const M: &[Signal] = &[Signal::Metrics];
const L: &[Signal] = &[Signal::Logs];
const TM: &[Signal] = &[Signal::Traces, Signal::Metrics];
const TL: &[Signal] = &[Signal::Traces, Signal::Logs];
const ML: &[Signal] = &[Signal::Metrics, Signal::Logs];
const ALL: &[Signal] = &[Signal::Traces, Signal::Metrics, Signal::Logs];

/// Signals a receiver type produces; `None` for types tracectl does not know.
pub fn receiver_signals(kind: &str) -> Option<&'static [Signal]> {
    Some(match kind {
        "otlp" | "kafka" | "datadog" | "googlecloudpubsub" | "splunk_hec" | "nop" => ALL,
        "jaeger" | "zipkin" | "awsxray" => T,
        "opencensus" | "skywalking" => TM,
        "prometheus" | "hostmetrics" | "kubeletstats" | "k8s_cluster" | "statsd"
        | "docker_stats" | "redis" | "postgresql" | "mysql" | "nginx" | "httpcheck"
        | "prometheus_simple" | "influxdb" | "carbon" | "collectd" | "sqlquery" => M,
        "filelog" | "fluentforward" | "syslog" | "journald" | "tcplog" | "udplog"
        | "k8s_events" | "windowseventlog" | "k8sobjects" => L,
        _ => return None,
    })
}

/// Signals an exporter type accepts; `None` for types tracectl does not know.
pub fn exporter_signals(kind: &str) -> Option<&'static [Signal]> {
    Some(match kind {
        "otlp" | "otlphttp" | "otlp_http" | "otlp_grpc" | "debug" | "logging" | "file"
        | "kafka" | "nop" | "googlecloud" | "datadog" | "clickhouse" | "splunk_hec"
        | "loadbalancing" | "elasticsearch" | "azuremonitor" | "coralogix" => ALL,
        "zipkin"
        | "jaeger"
        | "jaegerthrifthttp"
        | "awsxray"
        | "sapm"
        | "jaeger_storage_exporter" => T,
        "prometheus" | "prometheusremotewrite" | "carbon" | "influxdb" | "signalfx" | "awsemf" => M,
        "loki" | "awscloudwatchlogs" => L,
        "opensearch" => TL,
        _ => return None,
    })
}

/// Signals a processor type handles; `None` for types tracectl does not know.
pub fn processor_signals(kind: &str) -> Option<&'static [Signal]> {
    Some(match kind {
        "batch" | "memory_limiter" | "resource" | "attributes" | "filter" | "transform"
        | "k8sattributes" | "resourcedetection" | "routing" | "redaction" | "groupbyattrs" => ALL,
        "probabilistic_sampler" => TL,
        "tail_sampling" | "span" | "groupbytrace" => T,
        "cumulativetodelta" | "deltatocumulative" | "metricstransform" | "metricsgeneration"
        | "interval" => M,
        "logdedup" => L,
        _ => return None,
    })
}

/// The (exporter side, receiver side) signals of a connector type, e.g. `spanmetrics` turns
/// traces into metrics. `None` for types tracectl does not know or that accept any pair.
pub fn connector_signals(kind: &str) -> Option<(&'static [Signal], &'static [Signal])> {
    Some(match kind {
        "spanmetrics" | "servicegraph" => (T, M),
        "exceptions" => (T, ML),
        "count" | "sum" => (ALL, M),
        _ => return None,
    })
}

/// A listener a receiver opens when its protocol is enabled without an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultListener {
    /// The protocol key under `protocols:`, or `""` for receivers configured by `endpoint:` alone.
    pub protocol: &'static str,
    pub port: u16,
    pub udp: bool,
    /// Whether this is OTLP, and over which transport.
    pub otlp: Option<OtlpTransport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtlpTransport {
    Grpc,
    Http,
}

const fn tcp(protocol: &'static str, port: u16) -> DefaultListener {
    DefaultListener {
        protocol,
        port,
        udp: false,
        otlp: None,
    }
}

const fn udp(protocol: &'static str, port: u16) -> DefaultListener {
    DefaultListener {
        protocol,
        port,
        udp: true,
        otlp: None,
    }
}

const OTLP: &[DefaultListener] = &[
    DefaultListener {
        otlp: Some(OtlpTransport::Grpc),
        ..tcp("grpc", 4317)
    },
    DefaultListener {
        otlp: Some(OtlpTransport::Http),
        ..tcp("http", 4318)
    },
];
const JAEGER: &[DefaultListener] = &[
    tcp("grpc", 14250),
    tcp("thrift_http", 14268),
    udp("thrift_compact", 6831),
    udp("thrift_binary", 6832),
];
const ZIPKIN: &[DefaultListener] = &[tcp("", 9411)];
const OPENCENSUS: &[DefaultListener] = &[tcp("", 55678)];

/// The listeners of a receiver type with a `protocols:` section (otlp, jaeger) or a single
/// `endpoint:` (zipkin, opencensus), with their default ports.
pub fn default_listeners(kind: &str) -> &'static [DefaultListener] {
    match kind {
        "otlp" => OTLP,
        "jaeger" => JAEGER,
        "zipkin" => ZIPKIN,
        "opencensus" => OPENCENSUS,
        _ => &[],
    }
}

/// Exporter types the contrib collector removed (v0.85.0): a config naming them does not start.
pub fn removed_exporter(kind: &str) -> bool {
    matches!(kind, "jaeger" | "jaegerthrifthttp")
}
