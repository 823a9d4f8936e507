//! The trace context sent to the service: fresh ids (or the ones given), and its headers in every
//! format of `--inject`, written by the propagation crate's encoders.

use serde::Serialize;
use tracectl_propagation::Kind;
use tracectl_propagation::convert::{self, Context, Target};

/// A header format `--inject` writes, named as in `OTEL_PROPAGATORS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Tracecontext,
    Baggage,
    B3,
    B3multi,
    Jaeger,
    Xray,
    Datadog,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Tracecontext => "tracecontext",
            Format::Baggage => "baggage",
            Format::B3 => "b3",
            Format::B3multi => "b3multi",
            Format::Jaeger => "jaeger",
            Format::Xray => "xray",
            Format::Datadog => "datadog",
        }
    }

    fn target(self) -> Option<Target> {
        match self {
            Format::Tracecontext => Some(Target::W3c),
            Format::Baggage => None,
            Format::B3 => Some(Target::B3),
            Format::B3multi => Some(Target::B3Multi),
            Format::Jaeger => Some(Target::Jaeger),
            Format::Xray => Some(Target::XRay),
            Format::Datadog => Some(Target::Datadog),
        }
    }

    /// The `OTEL_PROPAGATORS` name of the format a trace context header belongs to.
    pub fn name_of(kind: Kind) -> &'static str {
        match kind {
            Kind::TraceParent | Kind::TraceState => "tracecontext",
            Kind::Baggage => "baggage",
            Kind::B3 => "b3",
            Kind::B3TraceId
            | Kind::B3SpanId
            | Kind::B3ParentSpanId
            | Kind::B3Sampled
            | Kind::B3Flags => "b3multi",
            Kind::UberTraceId | Kind::UberCtx => "jaeger",
            Kind::XRay => "xray",
            Kind::DatadogTraceId
            | Kind::DatadogParentId
            | Kind::DatadogSamplingPriority
            | Kind::DatadogOrigin
            | Kind::DatadogTags => "datadog",
            other => other.format(),
        }
    }
}

/// The baggage member sent when `--baggage` is not given.
pub const DEFAULT_BAGGAGE: (&str, &str) = ("tracectl.check", "1");

/// What one request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub trace_id: u128,
    pub parent_id: u64,
    pub sampled: bool,
    pub tracestate: Option<String>,
    pub baggage: Vec<(String, String)>,
    pub formats: Vec<Format>,
    pub headers: Vec<(String, String)>,
}

impl Sent {
    pub fn trace_hex(&self) -> String {
        format!("{:032x}", self.trace_id)
    }

    pub fn parent_hex(&self) -> String {
        format!("{:016x}", self.parent_id)
    }

    pub fn injects(&self, format: Format) -> bool {
        self.formats.contains(&format)
    }
}

/// What `--inject`, `--trace-id`, `--parent-id`, `--sampled`, `--tracestate` and `--baggage` ask.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub formats: Vec<Format>,
    pub trace_id: Option<u128>,
    pub parent_id: Option<u64>,
    pub sampled: bool,
    pub tracestate: Option<String>,
    pub baggage: Vec<(String, String)>,
}

/// A trace id: random, with the current Unix time in its first 32 bits when X-Ray is injected
/// (X-Ray drops ids without a recent epoch there).
fn fresh_trace_id(xray: bool, now: u64) -> u128 {
    let id = loop {
        let id: u128 = rand::random();
        if id != 0 {
            break id;
        }
    };
    if xray {
        (u128::from(now as u32) << 96) | (id & ((1u128 << 96) - 1)) | 1
    } else {
        id
    }
}

fn fresh_span_id() -> u64 {
    loop {
        let id: u64 = rand::random();
        if id != 0 {
            return id;
        }
    }
}

/// The context of one request and its headers. `now` is Unix seconds.
pub fn build(plan: &Plan, now: u64) -> Sent {
    let trace_id = plan
        .trace_id
        .unwrap_or_else(|| fresh_trace_id(plan.formats.contains(&Format::Xray), now));
    let parent_id = plan.parent_id.unwrap_or_else(fresh_span_id);
    let ctx = Context {
        trace_id,
        span_id: parent_id,
        sampled: Some(plan.sampled),
        debug: false,
        random: false,
        source: Kind::TraceParent,
    };
    let baggage = if plan.baggage.is_empty() {
        vec![(DEFAULT_BAGGAGE.0.to_owned(), DEFAULT_BAGGAGE.1.to_owned())]
    } else {
        plan.baggage.clone()
    };
    let mut headers = Vec::new();
    for &format in &plan.formats {
        match format.target() {
            Some(target) => {
                for (name, value) in convert::convert(&ctx, target, Some(now)).headers {
                    headers.push((name.to_ascii_lowercase(), value));
                }
                if format == Format::Tracecontext
                    && let Some(ts) = &plan.tracestate
                {
                    headers.push(("tracestate".to_owned(), ts.clone()));
                }
            }
            None => {
                let members: Vec<String> =
                    baggage.iter().map(|(k, v)| format!("{k}={v}")).collect();
                headers.push(("baggage".to_owned(), members.join(",")));
            }
        }
    }
    Sent {
        trace_id,
        parent_id,
        sampled: plan.sampled,
        tracestate: plan.tracestate.clone(),
        baggage: if plan.formats.contains(&Format::Baggage) {
            baggage
        } else {
            Vec::new()
        },
        formats: plan.formats.clone(),
        headers,
    }
}

/// A `--trace-id`: 32 hex digits, not all zero.
pub fn parse_trace_id(text: &str) -> Result<u128, String> {
    let text = text.trim();
    match u128::from_str_radix(text, 16) {
        Ok(id) if id != 0 && text.len() == 32 => Ok(id),
        _ => Err(format!(
            "`{text}` is not a trace id; write 32 hex digits, not all zero, e.g. 4bf92f3577b34da6a3ce929d0e0e4736"
        )),
    }
}

/// A `--parent-id`: 16 hex digits, not all zero.
pub fn parse_span_id(text: &str) -> Result<u64, String> {
    let text = text.trim();
    match u64::from_str_radix(text, 16) {
        Ok(id) if id != 0 && text.len() == 16 => Ok(id),
        _ => Err(format!(
            "`{text}` is not a span id; write 16 hex digits, not all zero, e.g. 00f067aa0ba902b7"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(formats: &[Format]) -> Plan {
        Plan {
            formats: formats.to_vec(),
            trace_id: Some(0x4bf9_2f35_77b3_4da6_a3ce_929d_0e0e_4736),
            parent_id: Some(0x00f0_67aa_0ba9_02b7),
            sampled: true,
            tracestate: Some("rojo=00f067aa0ba902b7".into()),
            baggage: vec![],
        }
    }

    #[test]
    fn every_format_is_written_by_the_propagation_crate() {
        let sent = build(
            &plan(&[Format::Tracecontext, Format::Baggage, Format::B3multi]),
            1_700_000_000,
        );
        let names: Vec<&str> = sent.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "traceparent",
                "tracestate",
                "baggage",
                "x-b3-traceid",
                "x-b3-spanid",
                "x-b3-sampled"
            ]
        );
        assert_eq!(
            sent.headers[0].1,
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        );
        assert_eq!(sent.headers[2].1, "tracectl.check=1");
    }

    #[test]
    fn fresh_xray_ids_start_with_the_time() {
        let now = 1_700_000_000;
        let id = fresh_trace_id(true, now);
        assert_eq!((id >> 96) as u64, now);
        assert_ne!(fresh_trace_id(false, now), 0);
    }

    #[test]
    fn ids_are_checked() {
        assert!(parse_trace_id("4bf92f3577b34da6a3ce929d0e0e4736").is_ok());
        assert!(parse_trace_id("0".repeat(32).as_str()).is_err());
        assert!(parse_span_id("00f067aa0ba902b7").is_ok());
        assert!(parse_span_id("xyz").unwrap_err().contains("16 hex"));
    }
}
