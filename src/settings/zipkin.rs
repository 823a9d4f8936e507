//! The Zipkin exporter's endpoint (OTEL_EXPORTER_ZIPKIN_ENDPOINT, deprecated in the spec): a
//! full URL used as-is, `http://localhost:9411/api/v2/spans` by default.

use serde::Serialize;

use super::{Inputs, Resolved, Source};

pub const ENDPOINT: &str = "OTEL_EXPORTER_ZIPKIN_ENDPOINT";
pub const DEFAULT_ENDPOINT: &str = "http://localhost:9411/api/v2/spans";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Zipkin {
    /// The endpoint as written, or the spec's default.
    pub endpoint: Resolved<String>,
}

impl Zipkin {
    pub fn resolve(inputs: &Inputs) -> Zipkin {
        let endpoint = inputs.first_set(&[ENDPOINT]).unwrap_or_else(|| Resolved {
            value: DEFAULT_ENDPOINT.to_string(),
            var: None,
            source: Source::SpecDefault,
        });
        Zipkin { endpoint }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_wins_over_the_default() {
        let mut inputs = Inputs::default();
        assert_eq!(Zipkin::resolve(&inputs).endpoint.value, DEFAULT_ENDPOINT);
        inputs.set(ENDPOINT, "http://z:9411/api/v2/spans", Source::Env);
        let e = Zipkin::resolve(&inputs).endpoint;
        assert_eq!(
            (e.value.as_str(), e.var),
            ("http://z:9411/api/v2/spans", Some(ENDPOINT))
        );
    }
}
