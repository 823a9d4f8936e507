use super::workload;
use crate::checks::{Check, Context, Run};
use crate::deploy::{Platform, Port, Transport};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "DEP012",
    name: "compose-agent-port-without-udp",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "Jaeger agent ports are published over UDP",
    explanation: Explanation {
        checks: "For each Compose service, whether a Jaeger agent port (6831 compact thrift, 6832 \
                 binary thrift, 5775 zipkin thrift) is published on the host (`ports`) without \
                 `/udp` and with no UDP entry for the same port.",
        why: "A short-syntax port is TCP unless it ends in `/udp`. Jaeger clients send spans to \
              these ports over UDP only, so `6831:6831` publishes a port no client uses: every span \
              sent to the host's 6831 is dropped without an error on either side \
              (jaeger-client-node #121).",
        fix: "Publish the port as `6831:6831/udp` (long syntax: `protocol: udp`).",
        example: "ports:\n  - \"6831:6831\"   # TCP: UDP spans to the host are dropped",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

/// The Jaeger client ports that only ever carry UDP.
const AGENT_PORTS: [u16; 3] = [5775, 6831, 6832];

fn run(ctx: &Context) -> Outcome {
    let (_, w) = match workload(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    if w.platform != Platform::Compose {
        return Outcome::skip("Compose services only; Kubernetes Service transports are DEP003's");
    }
    let published = |p: &&Port| p.host_port.is_some() && AGENT_PORTS.contains(&p.container_port);
    let mut evidence = Evidence::new();
    let mut drafts = Vec::new();
    for p in w.ports.iter().filter(published) {
        let udp = w
            .ports
            .iter()
            .filter(published)
            .any(|q| q.container_port == p.container_port && q.transport == Transport::Udp);
        if udp {
            evidence.push(format!("port {}", p.container_port), "udp");
            continue;
        }
        let host = p.host_port.unwrap_or(p.container_port);
        let ip = p
            .host_ip
            .as_deref()
            .map(|ip| format!("{ip}:"))
            .unwrap_or_default();
        let fixed = format!("\"{ip}{host}:{}/udp\"", p.container_port);
        drafts.push(
            Draft::new(
                w.id.clone(),
                format!(
                    "Service {} publishes Jaeger agent port {} as {} only: UDP spans sent to the host's port {host} are dropped.",
                    w.name,
                    p.container_port,
                    p.transport.as_str()
                ),
                format!("At {}, publish it as {fixed}.", p.source),
            )
            .evidence("port", format!("{ip}{host}:{}/{}", p.container_port, p.transport.as_str().to_ascii_lowercase()))
            .at(p.source.clone()),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::compose_testing::{compose, findings, passes};

    const JAEGER: &str =
        "services:\n  jaeger:\n    image: jaegertracing/all-in-one:1.66.0\n    ports:\n";

    #[test]
    fn passes_when_agent_ports_are_udp() {
        let p = compose(&format!(
            "{JAEGER}      - \"6831:6831/udp\"\n      - target: 6832\n        published: \"6832\"\n        protocol: udp\n      - \"16686:16686\"\n"
        ));
        assert!(passes(&CHECK, &p, Some("jaeger")));
    }

    #[test]
    fn flags_an_agent_port_published_as_tcp_at_its_line() {
        let p = compose(&format!(
            "{JAEGER}      - \"16686:16686\"\n      - \"127.0.0.1:6831:6831\"\n      - \"6832:6832/udp\"\n"
        ));
        let f = findings(&CHECK, &p, Some("jaeger"));
        assert_eq!(f.len(), 1, "{f:#?}");
        let at = f[0].location.clone().unwrap();
        assert!(at.file.ends_with("compose.yaml") && at.line == 6, "{at:?}");
        assert!(
            f[0].fix.contains("\"127.0.0.1:6831:6831/udp\""),
            "{}",
            f[0].fix
        );
        assert!(f[0].message.contains("as TCP only"), "{}", f[0].message);
    }

    #[test]
    fn an_unpublished_or_doubled_port_is_fine() {
        let p = compose(&format!(
            "{JAEGER}      - \"6831\"\n      - \"6832:6832\"\n      - \"6832:6832/udp\"\n"
        ));
        assert!(passes(&CHECK, &p, Some("jaeger")));
    }
}
