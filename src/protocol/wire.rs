//! The seven wire protocols tracing data travels on, in one table: transport, the port receivers
//! listen on by convention, the path HTTP receivers take spans on, and a label. `send-test-span`'s
//! protocols, `listen`'s listeners and the OTLP exporter's protocol all read it.

/// How the bytes travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
}

/// One wire protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    OtlpGrpc,
    OtlpHttpProtobuf,
    OtlpHttpJson,
    JaegerUdpCompact,
    JaegerUdpBinary,
    JaegerHttp,
    Zipkin,
}

/// Where OTLP/HTTP receivers take traces.
pub const OTLP_PATH: &str = "/v1/traces";
/// Where Jaeger's thrift HTTP collector takes batches.
pub const JAEGER_HTTP_PATH: &str = "/api/traces";
/// Where Zipkin takes v2 JSON spans.
pub const ZIPKIN_PATH: &str = "/api/v2/spans";

struct Row {
    label: &'static str,
    transport: Transport,
    port: u16,
    path: Option<&'static str>,
}

const fn row(
    label: &'static str,
    transport: Transport,
    port: u16,
    path: Option<&'static str>,
) -> Row {
    Row {
        label,
        transport,
        port,
        path,
    }
}

impl Wire {
    pub const ALL: [Wire; 7] = [
        Wire::OtlpGrpc,
        Wire::OtlpHttpProtobuf,
        Wire::OtlpHttpJson,
        Wire::JaegerUdpCompact,
        Wire::JaegerUdpBinary,
        Wire::JaegerHttp,
        Wire::Zipkin,
    ];

    fn row(self) -> Row {
        use Transport::{Tcp, Udp};
        match self {
            Wire::OtlpGrpc => row("OTLP/gRPC", Tcp, 4317, None),
            Wire::OtlpHttpProtobuf => row("OTLP/HTTP protobuf", Tcp, 4318, Some(OTLP_PATH)),
            Wire::OtlpHttpJson => row("OTLP/HTTP JSON", Tcp, 4318, Some(OTLP_PATH)),
            Wire::JaegerUdpCompact => row("Jaeger thrift compact (UDP)", Udp, 6831, None),
            Wire::JaegerUdpBinary => row("Jaeger thrift binary (UDP)", Udp, 6832, None),
            Wire::JaegerHttp => row(
                "Jaeger thrift over HTTP",
                Tcp,
                14268,
                Some(JAEGER_HTTP_PATH),
            ),
            Wire::Zipkin => row("Zipkin v2 JSON", Tcp, 9411, Some(ZIPKIN_PATH)),
        }
    }

    /// What people call it, e.g. `OTLP/gRPC`.
    pub fn label(self) -> &'static str {
        self.row().label
    }

    pub fn transport(self) -> Transport {
        self.row().transport
    }

    /// The port receivers of this protocol listen on by convention.
    pub fn default_port(self) -> u16 {
        self.row().port
    }

    /// The path an HTTP receiver takes spans on; `None` for gRPC and UDP.
    pub fn path(self) -> Option<&'static str> {
        self.row().path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_protocols_have_paths_and_the_others_none() {
        for wire in Wire::ALL {
            let http = !matches!(
                wire,
                Wire::OtlpGrpc | Wire::JaegerUdpCompact | Wire::JaegerUdpBinary
            );
            assert_eq!(wire.path().is_some(), http, "{}", wire.label());
        }
    }

    #[test]
    fn the_well_known_ports_and_paths() {
        assert_eq!(Wire::OtlpGrpc.default_port(), 4317);
        assert_eq!(Wire::OtlpHttpJson.path(), Some("/v1/traces"));
        assert_eq!(Wire::JaegerUdpBinary.transport(), Transport::Udp);
        assert_eq!(Wire::Zipkin.path(), Some("/api/v2/spans"));
    }
}
