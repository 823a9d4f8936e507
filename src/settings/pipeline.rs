//! What the SDK does with spans: whether it runs, how it samples, where it exports, how it
//! propagates context. Empty values count as unset; enum values are compared in lower case.

use serde::Serialize;

use super::{Inputs, Resolved, Source};

pub const SDK_DISABLED: &str = "OTEL_SDK_DISABLED";
pub const TRACES_EXPORTER: &str = "OTEL_TRACES_EXPORTER";
pub const PROPAGATORS: &str = "OTEL_PROPAGATORS";
pub const TRACES_SAMPLER: &str = "OTEL_TRACES_SAMPLER";
pub const TRACES_SAMPLER_ARG: &str = "OTEL_TRACES_SAMPLER_ARG";

/// OTEL_TRACES_EXPORTER values an SDK knows, including the removed and deprecated ones other
/// checks report (`jaeger`, `zipkin`, `logging`).
pub const KNOWN_EXPORTERS: &[&str] = &[
    "otlp",
    "console",
    "logging",
    "otlp/stdout",
    "zipkin",
    "jaeger",
    "none",
];
/// OTEL_PROPAGATORS values the spec and the contrib propagators define.
pub const KNOWN_PROPAGATORS: &[&str] = &[
    "tracecontext",
    "baggage",
    "b3",
    "b3multi",
    "jaeger",
    "xray",
    "xray-lambda",
    "ottrace",
    "none",
];
/// OTEL_TRACES_SAMPLER values the spec defines.
pub const KNOWN_SAMPLERS: &[&str] = &[
    "always_on",
    "always_off",
    "traceidratio",
    "parentbased_always_on",
    "parentbased_always_off",
    "parentbased_traceidratio",
    "parentbased_jaeger_remote",
    "jaeger_remote",
    "xray",
];
/// The sampler SDKs use when OTEL_TRACES_SAMPLER is unset or unknown.
pub const DEFAULT_SAMPLER: &str = "parentbased_always_on";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pipeline {
    /// OTEL_SDK_DISABLED: true only for a case-insensitive `true`.
    pub sdk_disabled: Resolved<bool>,
    /// OTEL_TRACES_EXPORTER as a list, lower case (default `otlp`).
    pub exporters: Resolved<Vec<String>>,
    /// OTEL_PROPAGATORS as a list, lower case, duplicates removed (default `tracecontext,baggage`).
    pub propagators: Resolved<Vec<String>>,
    pub sampler: Sampler,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sampler {
    /// OTEL_TRACES_SAMPLER, lower case (default `parentbased_always_on`).
    pub name: Resolved<String>,
    /// OTEL_TRACES_SAMPLER_ARG as written, when set.
    pub arg: Option<Resolved<String>>,
}

impl Sampler {
    /// Whether the sampler name is one the spec defines (an unknown one falls back to the default).
    pub fn known(&self) -> bool {
        KNOWN_SAMPLERS.contains(&self.name.value.as_str())
    }

    /// Whether the sampler reads a ratio from its argument.
    pub fn takes_ratio(&self) -> bool {
        matches!(
            self.name.value.as_str(),
            "traceidratio" | "parentbased_traceidratio"
        )
    }

    /// The ratio argument as the SDK parses it, when the sampler takes one and it is set.
    pub fn ratio(&self) -> Option<Result<f64, String>> {
        if !self.takes_ratio() {
            return None;
        }
        let arg = self.arg.as_ref()?;
        Some(
            arg.value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|r| r.is_finite())
                .ok_or_else(|| format!("`{}` is not a number", arg.value)),
        )
    }
}

impl Pipeline {
    pub fn resolve(inputs: &Inputs) -> Pipeline {
        let sdk_disabled = read(inputs, SDK_DISABLED)
            .map(|r| Resolved {
                value: r.value.trim().eq_ignore_ascii_case("true"),
                var: r.var,
                source: r.source,
            })
            .unwrap_or_else(|| default(false));
        let exporters = list(inputs, TRACES_EXPORTER, &["otlp"]);
        let mut propagators = list(inputs, PROPAGATORS, &["tracecontext", "baggage"]);
        let mut seen = Vec::new();
        propagators.value.retain(|p| {
            let new = !seen.contains(p);
            seen.push(p.clone());
            new
        });
        let name = read(inputs, TRACES_SAMPLER)
            .map(|r| Resolved {
                value: r.value.trim().to_ascii_lowercase(),
                ..r
            })
            .unwrap_or_else(|| default(DEFAULT_SAMPLER.to_string()));
        Pipeline {
            sdk_disabled,
            exporters,
            propagators,
            sampler: Sampler {
                name,
                arg: read(inputs, TRACES_SAMPLER_ARG),
            },
        }
    }
}

fn default<T>(value: T) -> Resolved<T> {
    Resolved {
        value,
        var: None,
        source: Source::SpecDefault,
    }
}

/// A variable as written, when set and not empty.
pub(super) fn read(inputs: &Inputs, var: &'static str) -> Option<Resolved<String>> {
    inputs.first_set(&[var])
}

fn list(inputs: &Inputs, var: &'static str, default_items: &[&str]) -> Resolved<Vec<String>> {
    match read(inputs, var) {
        Some(r) => Resolved {
            value: r
                .value
                .split(',')
                .map(|item| item.trim().to_ascii_lowercase())
                .filter(|item| !item.is_empty())
                .collect(),
            var: r.var,
            source: r.source,
        },
        None => default(default_items.iter().map(|s| s.to_string()).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline(vars: &[(&str, &str)]) -> Pipeline {
        let mut inputs = Inputs::default();
        for (k, v) in vars {
            inputs.set(*k, *v, Source::Env);
        }
        Pipeline::resolve(&inputs)
    }

    #[test]
    fn defaults_follow_the_spec() {
        let p = pipeline(&[(TRACES_EXPORTER, ""), (SDK_DISABLED, "")]);
        assert!(!p.sdk_disabled.value);
        assert_eq!(p.exporters.value, ["otlp"]);
        assert_eq!(p.exporters.source, Source::SpecDefault);
        assert_eq!(p.propagators.value, ["tracecontext", "baggage"]);
        assert_eq!(p.sampler.name.value, "parentbased_always_on");
        assert_eq!(p.sampler.ratio(), None);
    }

    #[test]
    fn lists_are_trimmed_lowercased_and_deduplicated() {
        let p = pipeline(&[
            (TRACES_EXPORTER, " OTLP , console,"),
            (PROPAGATORS, "b3,B3 ,tracecontext"),
            (TRACES_SAMPLER, "TraceIdRatio"),
            (TRACES_SAMPLER_ARG, " 0.25 "),
            (SDK_DISABLED, "TRUE"),
        ]);
        assert!(p.sdk_disabled.value);
        assert_eq!(p.exporters.value, ["otlp", "console"]);
        assert_eq!(p.propagators.value, ["b3", "tracecontext"]);
        assert_eq!(p.sampler.ratio(), Some(Ok(0.25)));
        let bad = pipeline(&[
            (TRACES_SAMPLER, "traceidratio"),
            (TRACES_SAMPLER_ARG, "NaN"),
        ]);
        assert!(matches!(bad.sampler.ratio(), Some(Err(_))));
    }
}
