//! Datadog: decimal `x-datadog-trace-id` / `x-datadog-parent-id`, sampling priority, origin and
//! `x-datadog-tags` (with `_dd.p.tid`, the upper 64 bits of a 128-bit trace id).

use crate::hex::{self, char_at};
use crate::{Decoded, Details, Kind, Member};

/// The default `DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH`.
const TAGS_MAX: usize = 512;

pub(crate) fn decode(kind: Kind, v: &str, d: &mut Decoded) {
    match kind {
        Kind::DatadogTraceId | Kind::DatadogParentId => {
            let what = if kind == Kind::DatadogTraceId {
                "trace id"
            } else {
                "parent id"
            };
            let Some(id) = hex::parse_u64(v) else {
                let col = v.bytes().position(|c| !c.is_ascii_digit()).unwrap_or(0);
                d.error(
                    "not-decimal",
                    Some(col),
                    format!(
                        "the Datadog {what} `{v}` is not an unsigned 64-bit decimal number \
                         (0 to 18446744073709551615); Datadog ids are decimal, not hex"
                    ),
                );
                return;
            };
            if id == 0 {
                d.error(
                    if kind == Kind::DatadogTraceId {
                        "zero-trace-id"
                    } else {
                        "zero-span-id"
                    },
                    Some(0),
                    format!("the Datadog {what} is zero, which is invalid"),
                );
            }
            if kind == Kind::DatadogTraceId {
                d.trace_id = Some(u128::from(id));
            } else {
                d.span_id = Some(id);
            }
            d.details = Details::DatadogId(id);
        }
        Kind::DatadogSamplingPriority => match v.parse::<i64>() {
            Ok(p) => {
                d.sampled = Some(p > 0);
                if !(-1..=2).contains(&p) {
                    d.warn(
                        "unknown-priority",
                        Some(0),
                        format!(
                            "sampling priority {p} is none of -1 (user reject), 0 (auto reject), \
                             1 (auto keep), 2 (user keep); tracers read >0 as keep"
                        ),
                    );
                }
                d.details = Details::DatadogPriority(p);
            }
            Err(_) => d.error(
                "not-decimal",
                Some(0),
                format!("the sampling priority `{v}` is not an integer; expected -1, 0, 1 or 2"),
            ),
        },
        Kind::DatadogOrigin => {
            if v.is_empty() {
                d.error(
                    "empty-value",
                    None,
                    "x-datadog-origin is empty; expected e.g. synthetics or rum".to_string(),
                );
            }
            d.details = Details::DatadogOrigin(v.to_string());
        }
        _ => tags(v, d),
    }
}

fn tags(v: &str, d: &mut Decoded) {
    if v.len() > TAGS_MAX {
        d.error(
            "tags-too-long",
            Some(TAGS_MAX),
            format!(
                "x-datadog-tags is {} characters; tracers drop tags over {TAGS_MAX} \
                 (_dd.propagation_error=extract_max_size) unless DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH is raised",
                v.len()
            ),
        );
    }
    let mut members = Vec::new();
    let mut tid = None;
    let mut off = 0;
    for raw in v.split(',') {
        let col = off;
        off += raw.len() + 1;
        if raw.is_empty() {
            continue;
        }
        let Some((key, value)) = raw.split_once('=') else {
            d.error(
                "missing-equals",
                Some(col),
                format!("tag `{raw}` has no `=`; expected _dd.p.<name>=<value>"),
            );
            continue;
        };
        if !key.starts_with("_dd.p.") {
            d.warn(
                "not-propagated-tag",
                Some(col),
                format!("tag `{key}` does not start with _dd.p., so tracers do not propagate it"),
            );
        }
        if key == "_dd.p.tid" {
            let value_col = col + key.len() + 1;
            let bad = value.len() != 16
                || value
                    .bytes()
                    .any(|c| !(c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
            if bad {
                let at = value
                    .bytes()
                    .position(|c| !(c.is_ascii_digit() || (b'a'..=b'f').contains(&c)))
                    .unwrap_or(0);
                d.error(
                    "malformed-tid",
                    Some(value_col + at),
                    format!(
                        "_dd.p.tid `{value}` is not exactly 16 lowercase hex digits (near `{}`); \
                         tracers drop it (_dd.propagation_error=malformed_tid) and keep 64 bits",
                        char_at(value, at).escape_debug()
                    ),
                );
            } else {
                tid = hex::parse(value).and_then(|n| u64::try_from(n).ok());
            }
        }
        members.push(Member {
            key: key.to_string(),
            value: value.to_string(),
        });
    }
    d.details = Details::DatadogTags { tags: members, tid };
}
