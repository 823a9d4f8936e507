use crate::checks::live;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::secret::redact;

pub static CHECK: Check = Check {
    id: "NET002",
    name: "proxy-variables",
    family: Family::Reachability,
    severity: Severity::Info,
    title: "No proxy variable diverts the exporter's traffic",
    explanation: Explanation {
        checks: "Whether `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` or `GRPC_PROXY` (either case) are set in \
                 doctor's environment without a `NO_PROXY` entry covering the configured endpoints' hosts.",
        why: "Exporters built on common HTTP and gRPC stacks honour these variables, so spans go through the \
              proxy, which may not allow the collector's host or may not speak HTTP/2. doctor's own probes \
              connect directly, so a collector it reaches may still be unreachable for the app.",
        fix: "Add the collector's host to `NO_PROXY`, or unset the proxy variables in the app's environment.",
        example: "HTTPS_PROXY=http://proxy.corp:3128\nOTEL_EXPORTER_OTLP_ENDPOINT=https://otel.example.com",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let proxies = &ctx.live.host.proxies;
    let no_proxy: Vec<String> = proxies
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("NO_PROXY"))
        .flat_map(|(_, v)| {
            v.split(',')
                .map(|h| h.trim().trim_start_matches('.').to_ascii_lowercase())
        })
        .filter(|h| !h.is_empty())
        .collect();
    let set: Vec<&(String, String)> = proxies
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("NO_PROXY"))
        .collect();
    let mut evidence = Evidence::new();
    for (k, v) in proxies {
        evidence.push(k.clone(), shown(v));
    }
    if set.is_empty() {
        return Outcome::Pass(evidence.with("proxies", "none set"));
    }
    let covered = |host: &str| {
        let host = host.to_ascii_lowercase();
        no_proxy
            .iter()
            .any(|n| n == "*" || host == *n || host.ends_with(&format!(".{n}")))
    };
    let drafts = live::configured(ctx)
        .into_iter()
        .filter(|c| !covered(&c.target.host))
        .map(|c| {
            let names: Vec<&str> = set.iter().map(|(k, _)| k.as_str()).collect();
            let mut d = Draft::new(
                c.subject.clone(),
                format!(
                    "{} set in this environment: an exporter that honours it sends to {} through the proxy, while doctor's probes connect directly.",
                    names.join(", "),
                    c.target.authority()
                ),
                format!("NO_PROXY={}", no_proxy.iter().cloned().chain([c.target.host.clone()]).collect::<Vec<_>>().join(",")),
            );
            for (k, v) in &set {
                d = d.evidence(k.clone(), shown(v));
            }
            d
        })
        .collect();
    Outcome::from_drafts(drafts, evidence)
}

/// Proxy URLs may carry credentials (`http://user:pass@proxy`): show them redacted.
fn shown(value: &str) -> String {
    if value.contains('@') {
        redact(value)
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{context, run_in};
    use crate::report::Outcome;
    use crate::settings::Sdk;

    fn with(proxies: &[(&str, &str)]) -> Outcome {
        let mut ctx = context(
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")],
        );
        ctx.live.host.proxies = proxies
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        run_in(&super::CHECK, &ctx)
    }

    #[test]
    fn passes_without_proxy_or_when_no_proxy_covers_the_host() {
        assert!(matches!(with(&[]), Outcome::Pass(_)));
        assert!(matches!(
            with(&[
                ("HTTPS_PROXY", "http://p:3128"),
                ("NO_PROXY", "localhost,collector")
            ]),
            Outcome::Pass(_)
        ));
    }

    #[test]
    fn reports_a_proxy_that_would_divert_the_exporter() {
        let Outcome::Findings(f) = with(&[("http_proxy", "http://user:secret-pass@p:3128")]) else {
            panic!()
        };
        assert_eq!(f[0].fix, "NO_PROXY=collector");
        assert!(!format!("{:?}", f[0].evidence).contains("secret-pass"));
    }
}
