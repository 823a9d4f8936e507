//! A workload's environment as settings inputs: every variable with the file, line and origin
//! of its winning definition; secret values stay marked.

use super::Workload;
use crate::settings::{Inputs, Source};

/// The settings inputs of `w`'s container, before `--env-file` and `--set`.
pub fn inputs(w: &Workload) -> Inputs {
    let mut inputs = Inputs::default();
    for var in &w.env {
        let source = Source::Deployment {
            file: var.source.file.to_string(),
            line: var.source.line,
            origin: var.origin.clone(),
        };
        if var.secret {
            inputs.set_secret(&var.name, var.value.text(), source);
        } else {
            inputs.set(&var.name, var.value.text(), source);
        }
    }
    dotnet_agent_protocol(w, &mut inputs);
    inputs.jvm = w.jvm.as_deref().cloned();
    inputs
}

/// The .NET auto-instrumentation the operator injects sends OTLP/HTTP when no protocol is set,
/// unlike the .NET SDK (gRPC): shown as the value it uses, with where that comes from.
fn dotnet_agent_protocol(w: &Workload, inputs: &mut Inputs) {
    let Some(i) = w.injected.as_ref().filter(|i| i.lang == "dotnet") else {
        return;
    };
    let vars = [
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
    ];
    if vars.iter().any(|v| w.var(v).is_some()) {
        return;
    }
    let source = Source::Deployment {
        file: i.annotation_at.file.to_string(),
        line: i.annotation_at.line,
        origin: "not in the env: the default of the .NET auto-instrumentation the operator injects"
            .into(),
    };
    inputs.set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", source);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::model::tests::{env, workload};

    #[test]
    fn variables_keep_their_place_and_secrets_stay_hidden() {
        let mut w = workload("app");
        let mut token = env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://user:pw@c:4318");
        token.secret = true;
        w.env = vec![token, env("OTEL_SERVICE_NAME", "app")];
        let inputs = inputs(&w);
        let v = inputs.get("OTEL_SERVICE_NAME").unwrap();
        assert_eq!(v.source.to_string(), "deploy.yaml:10 (env)");
        let secret = inputs.get("OTEL_EXPORTER_OTLP_ENDPOINT").unwrap();
        assert!(
            !secret.display_value().contains("pw"),
            "{}",
            secret.display_value()
        );
    }
}
