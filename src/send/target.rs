//! Where and how to send: the flags first, then what an app configured by the same OTEL_* /
//! JAEGER_* settings would use (read by `settings`, docs/settings.md), then the protocol's default.

use std::path::PathBuf;

use url::Url;

use crate::settings::{HeaderProblemKind, OtlpProtocol, Resolved, Settings, Source, jaeger, otlp};

use super::{SendProtocol, TlsFiles, Transport};

/// A resolved destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub protocol: SendProtocol,
    /// For UDP, `udp://host:port`.
    pub url: Url,
    /// Where the URL came from: `--endpoint`, a variable's name, or `default`.
    pub from: String,
}

/// Resolves the destination, or says why the endpoint cannot be used.
pub fn resolve(
    endpoint: Option<&str>,
    protocol: Option<SendProtocol>,
    insecure: bool,
    settings: &Settings,
) -> Result<Target, String> {
    let protocol = protocol.unwrap_or_else(|| settings_protocol(settings));
    if let Some(endpoint) = endpoint {
        let url = parse_endpoint(endpoint, protocol, insecure || insecure_setting(settings))?;
        return Ok(Target {
            protocol,
            url,
            from: "--endpoint".into(),
        });
    }
    let (from, text) = match protocol {
        SendProtocol::Grpc | SendProtocol::HttpProtobuf | SendProtocol::HttpJson => {
            return otlp_target(protocol, settings);
        }
        SendProtocol::JaegerUdpCompact | SendProtocol::JaegerUdpBinary => {
            let agent = settings.jaeger.location.agent.as_ref();
            let host = agent.map(|a| &a.host).filter(|h| h.var.is_some());
            let port = agent.map(|a| &a.port).filter(|p| p.var.is_some());
            let from = match (host, port) {
                (None, None) => "default".to_owned(),
                _ => host
                    .and_then(|h| h.var)
                    .into_iter()
                    .chain(port.and_then(|p| p.var))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let host = host.map_or(jaeger::DEFAULT_AGENT_HOST, |h| h.value.as_str());
            let port = port.map_or(protocol.default_port(), |p| p.value);
            (from, format!("{host}:{port}"))
        }
        SendProtocol::JaegerHttp => settings.jaeger.location.endpoint.as_ref().map_or(
            (
                "default".into(),
                format!("http://localhost:14268{}", jaeger::COLLECTOR_PATH),
            ),
            |e| (e.var.unwrap_or(jaeger::ENDPOINT).into(), e.value.clone()),
        ),
        SendProtocol::Zipkin => {
            let e = &settings.zipkin.endpoint;
            (e.var.unwrap_or("default").into(), e.value.clone())
        }
    };
    let url = parse_endpoint(&text, protocol, false).map_err(|e| format!("{from}: {e}"))?;
    Ok(Target {
        protocol,
        url,
        from,
    })
}

/// The protocol the app would send with: a Jaeger client's sender (docs/settings.md), else the
/// OTLP exporter's protocol.
fn settings_protocol(settings: &Settings) -> SendProtocol {
    if !settings.sdk.is_jaeger_client() {
        return SendProtocol::from_otlp(settings.otlp.protocol.value);
    }
    let location = &settings.jaeger.location;
    match location.sender(settings.sdk.reads_jaeger_endpoint()) {
        jaeger::Sender::Http(_) => SendProtocol::JaegerHttp,
        jaeger::Sender::Agent(_) if location.default_port == 6832 => SendProtocol::JaegerUdpBinary,
        jaeger::Sender::Agent(_) => SendProtocol::JaegerUdpCompact,
    }
}

fn insecure_setting(settings: &Settings) -> bool {
    settings.otlp.insecure.as_ref().is_some_and(|r| r.value)
}

fn otlp_target(protocol: SendProtocol, settings: &Settings) -> Result<Target, String> {
    let wanted = match protocol {
        SendProtocol::Grpc => OtlpProtocol::Grpc,
        SendProtocol::HttpJson => OtlpProtocol::HttpJson,
        _ => OtlpProtocol::HttpProtobuf,
    };
    let resolved = if settings.otlp.protocol.value == wanted {
        settings.otlp.clone()
    } else {
        let mut inputs = settings.inputs.clone();
        inputs.set(otlp::TRACES_PROTOCOL, wanted.as_str(), Source::Flag);
        Settings::resolve(inputs, settings.sdk).otlp
    };
    let url = resolved.url.map_err(|e| {
        format!(
            "the configured OTLP endpoint cannot be used ({e}); pass --endpoint or fix {}",
            resolved.endpoint.var.unwrap_or(otlp::ENDPOINT)
        )
    })?;
    Ok(Target {
        protocol,
        url,
        from: resolved.endpoint.var.unwrap_or("default").to_owned(),
    })
}

/// Reads `--endpoint`: UDP takes `host[:port]` (or `udp://`); HTTP protocols get `http://` when no
/// scheme is given and their path when none is; gRPC without a scheme uses TLS unless insecure.
pub fn parse_endpoint(text: &str, protocol: SendProtocol, insecure: bool) -> Result<Url, String> {
    let text = text.trim();
    let has_scheme = text.contains("://");
    let with_scheme = if has_scheme {
        text.to_owned()
    } else if protocol.is_udp() {
        format!("udp://{text}")
    } else if protocol == SendProtocol::Grpc && !insecure {
        format!("https://{text}")
    } else {
        format!("http://{text}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|e| {
        format!(
            "`{text}` is not a usable endpoint ({e}); write it as e.g. http://localhost:{}",
            protocol.default_port()
        )
    })?;
    let expected: &[&str] = if protocol.is_udp() {
        &["udp"]
    } else {
        &["http", "https"]
    };
    if !expected.contains(&url.scheme()) {
        return Err(format!(
            "`{text}` has scheme {}: {} takes {}",
            url.scheme(),
            protocol.as_str(),
            expected.join(" or ")
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{text}` names no host"));
    }
    if url.port().is_none() && (protocol.is_udp() || !has_scheme) {
        let _ = url.set_port(Some(protocol.default_port()));
    }
    if matches!(url.path(), "" | "/") && !protocol.default_path().is_empty() {
        url.set_path(protocol.default_path());
    }
    Ok(url)
}

/// Headers from `OTEL_EXPORTER_OTLP_[TRACES_]HEADERS` as the settings layer parsed them (OTLP
/// only), then `--header` flags. An entry the SDK would drop is refused, naming the entry, never
/// its value.
pub fn headers(
    protocol: SendProtocol,
    settings: &Settings,
    flags: &[String],
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    if protocol.is_otlp()
        && let Some(parsed) = &settings.otlp.headers
    {
        let var = parsed.var.unwrap_or(otlp::HEADERS);
        if let Some(p) = parsed
            .value
            .problems
            .iter()
            .find(|p| p.kind != HeaderProblemKind::Quoted)
        {
            return Err(format!(
                "{var}: {}; fix it (`tracectl doctor` explains) or pass --header",
                p.detail
            ));
        }
        out.extend(
            parsed
                .value
                .headers
                .iter()
                .map(|h| (h.name.clone(), h.value.expose().to_owned())),
        );
    }
    out.extend(header_flags("--header", flags)?);
    Ok(out)
}

/// `--header`/`--verify-header` values (`name=value` or `Name: value`) as (name, value) pairs;
/// the error never quotes what was typed beyond the header name.
pub fn header_flags(flag: &str, values: &[String]) -> Result<Vec<(String, String)>, String> {
    values
        .iter()
        .map(|item| {
            crate::settings::headers::parse_flag(item).map_err(|why| {
                format!(
                    "{flag} takes name=value or 'Name: value', and one value does not parse: \
                     {why}; write it as e.g. {flag} 'Authorization: Bearer …'"
                )
            })
        })
        .collect()
}

/// The CA file of `OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE`.
pub fn certificate(settings: &Settings) -> Option<PathBuf> {
    path(&settings.otlp.certificate)
}

fn path(setting: &Option<Resolved<String>>) -> Option<PathBuf> {
    setting.as_ref().map(|r| PathBuf::from(&r.value))
}

/// TLS files and compression from the flags, else from the OTLP variables (OTLP only).
pub fn transport(
    protocol: SendProtocol,
    settings: &Settings,
    headers: Vec<(String, String)>,
    tls: TlsFiles,
    gzip: Option<bool>,
    timeout: std::time::Duration,
) -> Transport {
    let otlp = protocol.is_otlp();
    let gzip = gzip.unwrap_or_else(|| {
        otlp && settings
            .otlp
            .compression
            .as_ref()
            .is_some_and(|c| c.value.trim().eq_ignore_ascii_case("gzip"))
    });
    Transport {
        headers,
        tls: TlsFiles {
            ca: tls.ca.or_else(|| certificate(settings).filter(|_| otlp)),
            client_cert: tls
                .client_cert
                .or_else(|| path(&settings.otlp.client_certificate).filter(|_| otlp)),
            client_key: tls
                .client_key
                .or_else(|| path(&settings.otlp.client_key).filter(|_| otlp)),
        },
        gzip,
        timeout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{Inputs, Sdk};

    fn settings(vars: &[(&str, &str)]) -> Settings {
        let mut inputs = Inputs::default();
        for (k, v) in vars {
            inputs.set(*k, *v, Source::Env);
        }
        Settings::resolve(inputs, Sdk::Spec)
    }

    #[test]
    fn endpoints_get_scheme_port_and_path() {
        let p = |t, proto, insecure| parse_endpoint(t, proto, insecure).unwrap().to_string();
        assert_eq!(
            p("localhost", SendProtocol::HttpProtobuf, false),
            "http://localhost:4318/v1/traces"
        );
        assert_eq!(
            p("http://h:1", SendProtocol::HttpJson, false),
            "http://h:1/v1/traces"
        );
        assert_eq!(
            p("http://h:1/custom", SendProtocol::Zipkin, false),
            "http://h:1/custom"
        );
        assert_eq!(p("h", SendProtocol::Grpc, false), "https://h:4317/");
        assert_eq!(p("h:9", SendProtocol::Grpc, true), "http://h:9/");
        assert_eq!(
            p("agent", SendProtocol::JaegerUdpBinary, false),
            "udp://agent:6832"
        );
        assert_eq!(
            p("http://c", SendProtocol::JaegerHttp, false),
            "http://c/api/traces"
        );
        assert!(parse_endpoint("ftp://x", SendProtocol::Zipkin, false).is_err());
        assert!(parse_endpoint("http://h", SendProtocol::JaegerUdpCompact, false).is_err());
    }

    #[test]
    fn no_flags_means_the_apps_settings() {
        let s = settings(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")]);
        let t = resolve(None, None, false, &s).unwrap();
        assert_eq!(t.protocol, SendProtocol::HttpProtobuf);
        assert_eq!(t.url.as_str(), "http://c:4318/v1/traces");
        assert_eq!(t.from, "OTEL_EXPORTER_OTLP_ENDPOINT");
        let g = resolve(None, Some(SendProtocol::Grpc), false, &settings(&[])).unwrap();
        assert_eq!(g.url.as_str(), "http://localhost:4317/");
        let j = resolve(
            None,
            Some(SendProtocol::JaegerUdpCompact),
            false,
            &settings(&[("JAEGER_AGENT_HOST", "a")]),
        )
        .unwrap();
        assert_eq!(
            (j.url.as_str(), j.from.as_str()),
            ("udp://a:6831", "JAEGER_AGENT_HOST")
        );
    }

    #[test]
    fn a_jaeger_only_app_is_sent_to_as_its_client_would() {
        let inputs = |vars: &[(&str, &str)]| {
            let mut inputs = Inputs::default();
            for (k, v) in vars {
                inputs.set(*k, *v, Source::Env);
            }
            inputs
        };
        let http = Settings::resolve_for(
            inputs(&[
                ("JAEGER_AGENT_HOST", "a"),
                ("JAEGER_ENDPOINT", "http://c:14268/api/traces"),
            ]),
            None,
        );
        let t = resolve(None, None, false, &http).unwrap();
        assert_eq!(t.protocol, SendProtocol::JaegerHttp);
        assert_eq!(
            (t.url.as_str(), t.from.as_str()),
            ("http://c:14268/api/traces", "JAEGER_ENDPOINT")
        );
        let node =
            Settings::resolve_for(inputs(&[("JAEGER_AGENT_HOST", "a")]), Some(Sdk::JaegerNode));
        let t = resolve(None, None, false, &node).unwrap();
        assert_eq!(
            (t.protocol, t.url.as_str()),
            (SendProtocol::JaegerUdpBinary, "udp://a:6832")
        );
        // JAEGER_* wins over the removed OTEL_EXPORTER_JAEGER_* family as a whole.
        let mixed = settings(&[
            ("OTEL_EXPORTER_JAEGER_AGENT_HOST", "old"),
            ("JAEGER_AGENT_PORT", "7000"),
        ]);
        let t = resolve(None, Some(SendProtocol::JaegerUdpCompact), false, &mixed).unwrap();
        assert_eq!(
            (t.url.as_str(), t.from.as_str()),
            ("udp://localhost:7000", "JAEGER_AGENT_PORT")
        );
    }

    #[test]
    fn headers_come_from_the_variable_then_flags() {
        let s = settings(&[("OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b, x=1")]);
        let h = headers(SendProtocol::Grpc, &s, &["y=2".into()]).unwrap();
        assert_eq!(
            h,
            [
                ("api-key".into(), "a b".into()),
                ("x".into(), "1".into()),
                ("y".into(), "2".into())
            ]
        );
        assert!(headers(SendProtocol::Zipkin, &s, &[]).unwrap().is_empty());
        assert!(headers(SendProtocol::Zipkin, &s, &["nope".into()]).is_err());
        let broken = settings(&[("OTEL_EXPORTER_OTLP_HEADERS", "k=%zz%4-secret")]);
        let err = headers(SendProtocol::Grpc, &broken, &[]).unwrap_err();
        assert!(err.contains("OTEL_EXPORTER_OTLP_HEADERS: entry 1"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }

    #[test]
    fn uses_the_tls_files_and_compression_the_settings_resolved() {
        let s = settings(&[
            ("OTEL_EXPORTER_OTLP_CERTIFICATE", "/generic/ca.pem"),
            ("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", "/traces/ca.pem"),
            ("OTEL_EXPORTER_OTLP_CLIENT_KEY", "/k.pem"),
            ("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "gzip"),
        ]);
        let timeout = std::time::Duration::from_secs(1);
        let t = transport(
            SendProtocol::Grpc,
            &s,
            vec![],
            TlsFiles::default(),
            None,
            timeout,
        );
        assert_eq!(t.tls.ca, Some(PathBuf::from("/traces/ca.pem")));
        assert_eq!(t.tls.client_key, Some(PathBuf::from("/k.pem")));
        assert!(t.gzip);
        let zipkin = transport(
            SendProtocol::Zipkin,
            &s,
            vec![],
            TlsFiles::default(),
            None,
            timeout,
        );
        assert_eq!(zipkin.tls.ca, None);
        assert!(!zipkin.gzip);
    }
}
