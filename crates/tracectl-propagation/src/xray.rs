//! AWS X-Ray: `X-Amzn-Trace-Id: Root=1-{epoch}-{24 hex};Parent={16 hex};Sampled=1`.

use crate::hex;
use crate::{Decoded, Details, Member, Options};

/// How old an epoch may be before the X-Ray backend is likely to drop the trace.
const MAX_AGE_SECS: u64 = 30 * 24 * 3600;
/// How far in the future an epoch may be before it is suspicious.
const MAX_AHEAD_SECS: u64 = 5 * 60;

pub(crate) fn decode(v: &str, d: &mut Decoded, opts: &Options) {
    let mut lineage = None;
    let mut others = Vec::new();
    let mut seen_root = false;
    let mut off = 0;
    for raw in v.split(';') {
        let start = off;
        off += raw.len() + 1;
        let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let part = raw.trim_matches([' ', '\t']);
        if part.is_empty() {
            continue;
        }
        let col = start + lead;
        let Some((key, value)) = part.split_once('=') else {
            d.error(
                "missing-equals",
                Some(col),
                format!("`{part}` has no `=`; expected Key=Value pairs separated by `;`"),
            );
            continue;
        };
        let value_col = col + key.len() + 1;
        match key {
            "Root" if !seen_root => {
                seen_root = true;
                root(value, value_col, d, opts);
            }
            "Parent" if d.span_id.is_none() => {
                let id = hex::lower_field(d, value, value_col, "Parent", &[16])
                    .and_then(|n| u64::try_from(n).ok());
                if id == Some(0) {
                    d.error(
                        "zero-span-id",
                        Some(value_col),
                        "the Parent id is all zeros, which is invalid".to_string(),
                    );
                }
                d.span_id = id;
            }
            "Sampled" if d.sampled.is_none() => match value {
                "1" | "0" => d.sampled = Some(value == "1"),
                "?" => d.warn(
                    "deferred-sampling",
                    Some(value_col),
                    "Sampled=? asks the receiver to decide; OpenTelemetry Java ignores the whole \
                     header for it"
                        .to_string(),
                ),
                _ => d.error(
                    "bad-sampled",
                    Some(value_col),
                    format!("Sampled=`{value}` is not 1, 0 or ?"),
                ),
            },
            "Lineage" => {
                if !lineage_ok(value) {
                    d.warn(
                        "lineage-format",
                        Some(value_col),
                        format!(
                            "Lineage `{value}` is not <loop 0-32767>:<8 hex>:<request 0-255>; \
                             OpenTelemetry Java drops it"
                        ),
                    );
                }
                lineage = Some(value.to_string());
            }
            "Root" | "Parent" | "Sampled" => d.warn(
                "duplicate-key",
                Some(col),
                format!("{key} appears twice; receivers use the first"),
            ),
            _ => others.push(Member {
                key: key.to_string(),
                value: value.to_string(),
            }),
        }
    }
    if !seen_root {
        d.error(
            "missing-root",
            None,
            "there is no Root=1-<8 hex epoch>-<24 hex>; receivers ignore the header".to_string(),
        );
    }
    if d.sampled.is_none() && seen_root && !d.warnings.iter().any(|w| w.code == "deferred-sampling")
    {
        d.warn(
            "deferred-sampling",
            None,
            "there is no Sampled=1|0: the receiver decides, so services may disagree about keeping the trace"
                .to_string(),
        );
    }
    d.details = Details::XRay { lineage, others };
}

fn root(v: &str, col: usize, d: &mut Decoded, opts: &Options) {
    let mut parts = v.splitn(3, '-');
    let (Some(version), Some(epoch), Some(rest)) = (parts.next(), parts.next(), parts.next())
    else {
        d.error(
            "bad-root",
            Some(col),
            format!("Root `{v}` is not 1-<8 hex epoch>-<24 hex>, e.g. 1-5759e988-bd862e3fe1be46a994272793"),
        );
        return;
    };
    if version != "1" {
        d.error(
            "bad-root",
            Some(col),
            format!("the Root version is `{version}`; only 1 exists"),
        );
    }
    let epoch_col = col + version.len() + 1;
    let epoch_value = if epoch.len() < 8 && !epoch.is_empty() {
        d.warn(
            "short-epoch",
            Some(epoch_col),
            format!(
                "the Root epoch has {} hex digits instead of 8; OpenTelemetry Java left-pads it, \
                 other readers reject it",
                epoch.len()
            ),
        );
        hex::check_lower(d, epoch, epoch_col, "Root epoch");
        hex::parse(epoch)
    } else {
        hex::lower_field(d, epoch, epoch_col, "Root epoch", &[8])
    };
    let rest_col = epoch_col + epoch.len() + 1;
    let random = hex::lower_field(d, rest, rest_col, "Root unique id", &[24]);
    let (Some(epoch), Some(random)) = (epoch_value, random) else {
        return;
    };
    let id = (epoch << 96) | random;
    if id == 0 {
        d.error(
            "zero-trace-id",
            Some(col),
            "the Root is all zeros, which is invalid".to_string(),
        );
    }
    d.trace_id = Some(id);
    let epoch = u64::try_from(epoch).unwrap_or(u64::MAX);
    d.timestamp = Some(epoch);
    if let Some(now) = opts.now {
        if epoch.saturating_add(MAX_AGE_SECS) < now {
            d.warn(
                "old-epoch",
                Some(epoch_col),
                format!(
                    "the Root epoch is {} days old; the X-Ray backend drops traces whose epoch is \
                     older than about 30 days (the collector's awsxray exporter: 28)",
                    (now - epoch) / 86_400
                ),
            );
        } else if epoch > now.saturating_add(MAX_AHEAD_SECS) {
            d.warn(
                "future-epoch",
                Some(epoch_col),
                "the Root epoch is in the future; check the sender's clock".to_string(),
            );
        }
    }
}

/// Lineage v2: `<loop 0..32767>:<8 hex hash>:<request 0..255>`.
fn lineage_ok(v: &str) -> bool {
    let mut parts = v.split(':');
    let (Some(a), Some(h), Some(b), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let small = |s: &str, max: u64| hex::parse_u64(s).is_some_and(|n| n <= max);
    small(a, 32_767) && h.len() == 8 && hex::parse(h).is_some() && small(b, 255)
}
