//! `ports` and `expose`, read as Compose reads them: the short syntax
//! `[HOST_IP:][HOST[-HOST]:]CONTAINER[-CONTAINER][/PROTOCOL]` (docker's `nat.ParsePortSpec`) and
//! the long syntax `{target, published, host_ip, protocol}`.

use std::net::IpAddr;

use super::tree::{At, Node, Value};

/// One published (or only declared) container port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// The port inside the container.
    pub target: u16,
    /// The host port or host port range, when published.
    pub published: Option<String>,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
    pub host_ip: Option<String>,
    /// The entry as written (short syntax), for evidence.
    pub written: Option<String>,
    pub at: At,
}

impl Port {
    /// Compose's key for removing duplicates after overlays are merged.
    pub fn unicity_key(&self) -> String {
        format!(
            "{}:{}:{}/{}",
            self.host_ip.as_deref().unwrap_or("0.0.0.0"),
            self.published.as_deref().unwrap_or_default(),
            self.target,
            self.protocol
        )
    }
}

/// The most ports one service's `ports` may expand to (ranges included).
pub const MAX_PORTS: usize = 65_536;

/// Reads the `ports` list of a service.
pub fn read(node: &Node) -> Result<Vec<Port>, (At, String)> {
    let Value::Seq(items) = &node.value else {
        return Err((
            node.at,
            format!("`ports` must be a list, not {}", node.kind()),
        ));
    };
    let mut ports = Vec::new();
    for item in items {
        match &item.value {
            Value::Scalar(s) => {
                ports.extend(short(&s.text, item.at).map_err(|e| (item.at, e))?);
            }
            Value::Map(_) => ports.push(long(item)?),
            _ => {
                return Err((
                    item.at,
                    format!("a port must be a string or a mapping, not {}", item.kind()),
                ));
            }
        }
        if ports.len() > MAX_PORTS {
            return Err((
                item.at,
                format!("the port ranges add up to more than {MAX_PORTS} ports"),
            ));
        }
    }
    Ok(ports)
}

/// The short syntax; a range gives one port per container port, ordered as Compose orders them
/// (by the text `PORT/PROTOCOL`).
pub fn short(spec: &str, at: At) -> Result<Vec<Port>, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => ("", "", *c),
        [h, c] => ("", *h, *c),
        [ip, h, c] => (*ip, *h, *c),
        [.., h, c] => (&spec[..spec.len() - h.len() - c.len() - 2], *h, *c),
        [] => ("", "", ""),
    };
    let (container, protocol) = match container.split_once('/') {
        Some((port, proto)) if !proto.is_empty() => (port, proto.to_ascii_lowercase()),
        Some((port, _)) => (port, "tcp".to_string()),
        None => (container, "tcp".to_string()),
    };
    if container.is_empty() {
        return Err(format!("no container port in `{spec}`"));
    }
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("`{protocol}` in `{spec}` is not tcp, udp or sctp"));
    }
    let ip = ip
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(ip);
    if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
        return Err(format!("`{ip}` in `{spec}` is not an IP address"));
    }
    let (start, end) = range(container)
        .ok_or_else(|| format!("`{container}` in `{spec}` is not a container port or range"))?;
    let host_range = if host.is_empty() {
        None
    } else {
        let (hs, he) = range(host)
            .ok_or_else(|| format!("`{host}` in `{spec}` is not a host port or range"))?;
        if end - start != he - hs && end != start {
            return Err(format!(
                "`{spec}` maps {} container ports to {} host ports",
                end - start + 1,
                he - hs + 1
            ));
        }
        Some((hs, he))
    };
    let count = u32::from(end - start) + 1;
    let mut ports: Vec<Port> = (0..count)
        .map(|i| {
            let target = u16::try_from(u32::from(start) + i).unwrap_or(end);
            let published = host_range.map(|(hs, he)| {
                let first = u32::from(hs) + i;
                if count == 1 && hs != he {
                    format!("{first}-{he}")
                } else {
                    first.to_string()
                }
            });
            Port {
                target,
                published,
                protocol: protocol.clone(),
                host_ip: (!ip.is_empty()).then(|| ip.to_string()),
                written: Some(spec.to_string()),
                at,
            }
        })
        .collect();
    ports.sort_by_key(|p| format!("{}/{}", p.target, p.protocol));
    Ok(ports)
}

fn range(text: &str) -> Option<(u16, u16)> {
    let (start, end) = match text.split_once('-') {
        Some((s, e)) => (s.parse().ok()?, e.parse().ok()?),
        None => {
            let p = text.parse().ok()?;
            (p, p)
        }
    };
    (start <= end).then_some((start, end))
}

fn long(node: &Node) -> Result<Port, (At, String)> {
    let field = |name: &str| node.get(name).and_then(Node::as_str).map(str::to_string);
    let target = field("target")
        .ok_or_else(|| (node.at, "a long-syntax port needs `target`".to_string()))?;
    let target = target
        .parse::<u16>()
        .map_err(|_| (node.at, format!("`target: {target}` is not a port number")))?;
    let protocol = field("protocol").unwrap_or_else(|| "tcp".to_string());
    Ok(Port {
        target,
        published: field("published").filter(|p| !p.is_empty()),
        protocol: protocol.to_ascii_lowercase(),
        host_ip: field("host_ip").filter(|h| !h.is_empty()),
        written: None,
        at: node.at,
    })
}

/// Reads `expose`: container ports (or ranges) other services may reach, published nowhere.
pub fn expose(node: &Node) -> Result<Vec<(String, At)>, (At, String)> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(|s| (s.to_string(), item.at))
                    .ok_or_else(|| {
                        (
                            item.at,
                            format!("an `expose` entry must be a port, not {}", item.kind()),
                        )
                    })
            })
            .collect(),
        _ => Err((
            node.at,
            format!("`expose` must be a list, not {}", node.kind()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: At = At { file: 0, line: 1 };

    fn one(spec: &str) -> (u16, Option<String>, String, Option<String>) {
        let p = short(spec, AT).unwrap().remove(0);
        (p.target, p.published, p.protocol, p.host_ip)
    }

    #[test]
    fn short_syntax() {
        assert_eq!(one("4317"), (4317, None, "tcp".into(), None));
        assert_eq!(
            one("8080:80"),
            (80, Some("8080".into()), "tcp".into(), None)
        );
        assert_eq!(
            one("6831:6831/udp"),
            (6831, Some("6831".into()), "udp".into(), None)
        );
        assert_eq!(
            one("127.0.0.1:4318:4318"),
            (
                4318,
                Some("4318".into()),
                "tcp".into(),
                Some("127.0.0.1".into())
            )
        );
        assert_eq!(
            one("[::1]:80:80/TCP"),
            (80, Some("80".into()), "tcp".into(), Some("::1".into()))
        );
        assert_eq!(one("::1:80:80").3, Some("::1".into()));
        assert_eq!(one("8000-8010:80").1, Some("8000-8010".into()));
    }

    #[test]
    fn ranges_expand_in_composes_order() {
        let ports = short("8-10:8-10/udp", AT).unwrap();
        let got: Vec<_> = ports
            .iter()
            .map(|p| (p.target, p.published.clone().unwrap()))
            .collect();
        assert_eq!(got, [(10, "10".into()), (8, "8".into()), (9, "9".into())]);
    }

    #[test]
    fn bad_specs_are_errors() {
        for spec in [
            "",
            "80/quic",
            "a:80",
            "1.2.3:80:80",
            "90-80",
            "1-3:1-2",
            "70000",
        ] {
            assert!(short(spec, AT).is_err(), "{spec}");
        }
    }
}
