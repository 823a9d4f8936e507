//! A request's trace context, re-encoded in another format, with what cannot be carried over.

use crate::input::Header;
use crate::{Decoded, Kind};

/// The formats `--to` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    W3c,
    B3,
    B3Multi,
    Jaeger,
    XRay,
    Datadog,
}

/// What every format needs to continue a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub trace_id: u128,
    pub span_id: u64,
    pub sampled: Option<bool>,
    pub debug: bool,
    pub random: bool,
    /// The header the context was taken from.
    pub source: Kind,
}

/// Headers in the target format, and sentences on what was lost or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub headers: Vec<(&'static str, String)>,
    pub notes: Vec<String>,
}

fn first<'d>(headers: &'d [Header<'_>], kind: Kind) -> Option<&'d Decoded> {
    headers
        .iter()
        .map(|h| &h.decoded)
        .find(|d| d.kind == kind && d.is_valid())
}

/// The trace context of a request, from its first valid header in the order receivers prefer:
/// traceparent, b3, X-B3-*, uber-trace-id, X-Amzn-Trace-Id, Datadog, grpc-trace-bin, then the
/// response headers. The error says why there is none.
pub fn context(headers: &[Header<'_>]) -> Result<Context, String> {
    let single = [
        Kind::TraceParent,
        Kind::B3,
        Kind::UberTraceId,
        Kind::XRay,
        Kind::GrpcTraceBin,
        Kind::TraceResponse,
        Kind::ServerTiming,
    ];
    let from_one = |kind: Kind| {
        let d = first(headers, kind)?;
        Some(Context {
            trace_id: d.trace_id?,
            span_id: d.span_id?,
            sampled: d.sampled,
            debug: d.debug == Some(true),
            random: d.random == Some(true),
            source: kind,
        })
    };
    let b3_multi = || {
        Some(Context {
            trace_id: first(headers, Kind::B3TraceId)?.trace_id?,
            span_id: first(headers, Kind::B3SpanId)?.span_id?,
            sampled: first(headers, Kind::B3Sampled)
                .and_then(|d| d.sampled)
                .or_else(|| first(headers, Kind::B3Flags).and(Some(true))),
            debug: first(headers, Kind::B3Flags).is_some_and(|d| d.debug == Some(true)),
            random: false,
            source: Kind::B3TraceId,
        })
    };
    let datadog = || {
        Some(Context {
            trace_id: first(headers, Kind::DatadogTraceId)?.trace_id?,
            span_id: first(headers, Kind::DatadogParentId)?.span_id?,
            sampled: first(headers, Kind::DatadogSamplingPriority).and_then(|d| d.sampled),
            debug: false,
            random: false,
            source: Kind::DatadogTraceId,
        })
    };
    single
        .iter()
        .take(2)
        .find_map(|&k| from_one(k))
        .or_else(b3_multi)
        .or_else(|| single.iter().skip(2).take(2).find_map(|&k| from_one(k)))
        .or_else(datadog)
        .or_else(|| single.iter().skip(4).find_map(|&k| from_one(k)))
        .ok_or_else(|| {
            "no valid header in this request carries both a trace id and a span id, so there is \
             nothing to convert; send a valid traceparent, b3, X-B3-*, uber-trace-id, \
             X-Amzn-Trace-Id with Parent, or Datadog ids"
                .to_string()
        })
}

/// Re-encodes `ctx` for `target`. `now` (Unix seconds) lets the X-Ray note judge the epoch.
pub fn convert(ctx: &Context, target: Target, now: Option<u64>) -> Converted {
    let mut notes = Vec::new();
    let trace = format!("{:032x}", ctx.trace_id);
    let span = format!("{:016x}", ctx.span_id);
    if ctx.random && target != Target::W3c {
        notes.push(
            "the W3C random-trace-id flag has no equivalent and is dropped; receivers that \
             return to W3C will not know the id is random"
                .to_string(),
        );
    }
    let deferred = |notes: &mut Vec<String>, instead: &str| {
        if ctx.sampled.is_none() {
            notes.push(format!(
                "the sampling decision was deferred, which this format cannot say: {instead}"
            ));
        }
    };
    let headers = match target {
        Target::W3c => {
            deferred(&mut notes, "sent as not sampled (flags 00)");
            if ctx.debug {
                notes.push(
                    "W3C has no debug flag: debug is lost, the trace is sent as sampled"
                        .to_string(),
                );
            }
            let flags =
                u8::from(ctx.sampled == Some(true) || ctx.debug) | (u8::from(ctx.random) << 1);
            vec![("traceparent", format!("00-{trace}-{span}-{flags:02x}"))]
        }
        Target::B3 => {
            let state = match (ctx.debug, ctx.sampled) {
                (true, _) => "-d",
                (false, Some(true)) => "-1",
                (false, Some(false)) => "-0",
                (false, None) => "",
            };
            vec![("b3", format!("{trace}-{span}{state}"))]
        }
        Target::B3Multi => {
            let mut h = vec![("X-B3-TraceId", trace), ("X-B3-SpanId", span)];
            match (ctx.debug, ctx.sampled) {
                (true, _) => h.push(("X-B3-Flags", "1".to_string())),
                (false, Some(s)) => h.push(("X-B3-Sampled", if s { "1" } else { "0" }.to_string())),
                (false, None) => {}
            }
            h
        }
        Target::Jaeger => {
            deferred(&mut notes, "sent as not sampled (flags 0)");
            let flags = if ctx.debug {
                3
            } else {
                u8::from(ctx.sampled == Some(true))
            };
            vec![("uber-trace-id", format!("{trace}:{span}:0:{flags}"))]
        }
        Target::XRay => {
            xray_notes(ctx, now, &mut notes);
            if ctx.debug {
                notes.push("X-Ray has no debug flag: debug is lost".to_string());
            }
            deferred(&mut notes, "Sampled is left out, and the receiver decides");
            let epoch = trace.get(..8).unwrap_or_default();
            let rest = trace.get(8..).unwrap_or_default();
            let mut value = format!("Root=1-{epoch}-{rest};Parent={span}");
            if let Some(s) = ctx.sampled.or(ctx.debug.then_some(true)) {
                value.push_str(if s { ";Sampled=1" } else { ";Sampled=0" });
            }
            vec![("X-Amzn-Trace-Id", value)]
        }
        Target::Datadog => {
            let lower = ctx.trace_id as u64;
            let upper = (ctx.trace_id >> 64) as u64;
            let mut h = vec![
                ("x-datadog-trace-id", lower.to_string()),
                ("x-datadog-parent-id", ctx.span_id.to_string()),
            ];
            match (ctx.debug, ctx.sampled) {
                (true, _) => {
                    notes.push(
                        "Datadog has no debug flag: sent as user keep (priority 2)".to_string(),
                    );
                    h.push(("x-datadog-sampling-priority", "2".to_string()));
                }
                (false, Some(s)) => h.push((
                    "x-datadog-sampling-priority",
                    if s { "1" } else { "0" }.to_string(),
                )),
                (false, None) => deferred(
                    &mut notes,
                    "the priority header is left out, and the receiver decides",
                ),
            }
            if lower == 0 {
                notes.push(
                    "the lower 64 bits of the trace id are zero, and Datadog reads a zero \
                     x-datadog-trace-id as no trace at all"
                        .to_string(),
                );
            }
            if upper != 0 {
                notes.push(
                    "Datadog keeps only 64 bits in x-datadog-trace-id: the upper 64 bits travel \
                     in x-datadog-tags _dd.p.tid, which tracers without 128-bit support ignore"
                        .to_string(),
                );
                h.push(("x-datadog-tags", format!("_dd.p.tid={upper:016x}")));
            }
            h
        }
    };
    Converted { headers, notes }
}

fn xray_notes(ctx: &Context, now: Option<u64>, notes: &mut Vec<String>) {
    if ctx.source == Kind::XRay {
        return;
    }
    let epoch = (ctx.trace_id >> 96) as u64;
    let recent = now
        .is_some_and(|n| epoch <= n.saturating_add(300) && epoch.saturating_add(30 * 86_400) >= n);
    if !recent {
        notes.push(format!(
            "X-Ray needs a Unix time in the first 8 hex digits of the trace id; this id was not \
             made by an X-Ray id generator and its first 8 digits read as {}, so the X-Ray \
             backend drops it (it keeps ids from the last 30 days)",
            utc_date(epoch)
        ));
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for Unix seconds (proleptic Gregorian calendar).
pub fn utc_date(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Days to civil date, after Howard Hinnant's public-domain `civil_from_days`.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates_match_known_epochs() {
        assert_eq!(utc_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_date(0x5759_e988), "2016-06-09T22:11:20Z");
        assert_eq!(utc_date(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_date(u64::from(u32::MAX)), "2106-02-07T06:28:15Z");
    }
}
