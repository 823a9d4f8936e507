//! Base64-carried formats: OpenCensus `grpc-trace-bin` and SkyWalking `sw8`.

use crate::hex::char_at;
use crate::{Decoded, Details, Sw8};

/// Decodes standard base64, padded or not; the error is the offset of the first bad character.
pub(crate) fn base64(s: &str) -> Result<Vec<u8>, usize> {
    let body = s.trim_end_matches('=');
    let pad = s.len() - body.len();
    let bad_length = pad > 2 || body.len() % 4 == 1 || (pad > 0 && !s.len().is_multiple_of(4));
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in body.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(i),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    if bad_length {
        return Err(body.len());
    }
    Ok(out)
}

/// Field ids of the OpenCensus binary format.
const TRACE_ID_FIELD: u8 = 0;
const SPAN_ID_FIELD: u8 = 1;
const OPTIONS_FIELD: u8 = 2;

/// `grpc-trace-bin`: base64 of version 0, then fields 0 (16-byte trace id), 1 (8-byte span id),
/// 2 (1-byte options); decoding stops at the first unknown field.
pub(crate) fn grpc_trace_bin(v: &str, d: &mut Decoded) {
    let bytes = match base64(v) {
        Ok(b) => b,
        Err(i) => {
            d.error(
                "bad-base64",
                Some(i),
                format!(
                    "the value is not base64 (near `{}`); gRPC -bin metadata is standard base64, \
                     padded or not",
                    char_at(v, i).escape_debug()
                ),
            );
            return;
        }
    };
    let Some((&version, mut rest)) = bytes.split_first() else {
        d.error(
            "truncated",
            None,
            "the value decodes to no bytes; expected 29".to_string(),
        );
        return;
    };
    d.version = Some(version);
    if version != 0 {
        d.error(
            "bad-version",
            None,
            format!("binary format version {version} is unknown; only 0 exists"),
        );
        return;
    }
    let mut unknown_field = None;
    while let Some((&field, tail)) = rest.split_first() {
        let len = match field {
            TRACE_ID_FIELD => 16,
            SPAN_ID_FIELD => 8,
            OPTIONS_FIELD => 1,
            other => {
                unknown_field = Some(other);
                break;
            }
        };
        let Some((value, after)) = tail.split_at_checked(len) else {
            d.error(
                "truncated",
                None,
                format!(
                    "field {field} needs {len} bytes but only {} remain; the value decodes to {} \
                     bytes, a complete one to 29",
                    tail.len(),
                    bytes.len()
                ),
            );
            return;
        };
        let n = value
            .iter()
            .fold(0u128, |acc, &b| (acc << 8) | u128::from(b));
        match field {
            TRACE_ID_FIELD => d.trace_id = Some(n),
            SPAN_ID_FIELD => d.span_id = u64::try_from(n).ok(),
            _ => {
                let f = u8::try_from(n).unwrap_or_default();
                d.flags = Some(f);
                d.sampled = Some(f & 1 != 0);
            }
        }
        rest = after;
    }
    match d.trace_id {
        None => d.error(
            "missing-trace-id",
            None,
            "there is no trace id field (0)".to_string(),
        ),
        Some(0) => d.error(
            "zero-trace-id",
            None,
            "the trace id is all zeros, which is invalid".to_string(),
        ),
        Some(_) => {}
    }
    match d.span_id {
        None => d.error(
            "missing-span-id",
            None,
            "there is no span id field (1)".to_string(),
        ),
        Some(0) => d.error(
            "zero-span-id",
            None,
            "the span id is all zeros, which is invalid".to_string(),
        ),
        Some(_) => {}
    }
    d.details = Details::GrpcTraceBin { unknown_field };
}

/// SkyWalking v3 `sw8`: 8 `-`-separated fields, strings base64-encoded.
pub(crate) fn sw8(v: &str, d: &mut Decoded) {
    let fields: Vec<&str> = v.split('-').collect();
    let [
        sample,
        trace,
        segment,
        span,
        service,
        instance,
        endpoint,
        target,
    ] = fields.as_slice()
    else {
        d.error(
            "field-count",
            None,
            format!(
                "expected 8 fields separated by `-` (sample-traceId-segmentId-spanId-service-\
                 instance-endpoint-target), found {}",
                fields.len()
            ),
        );
        return;
    };
    let mut cols = Vec::with_capacity(8);
    let mut off = 0;
    for f in &fields {
        cols.push(off);
        off += f.len() + 1;
    }
    let col = |i: usize| cols.get(i).copied();
    match *sample {
        "0" | "1" => d.sampled = Some(*sample == "1"),
        _ => d.error(
            "bad-sampled",
            col(0),
            format!("the sample field `{sample}` is not 0 or 1"),
        ),
    }
    let text = |i: usize, s: &str, what: &str, d: &mut Decoded| -> String {
        match base64(s).map(|b| String::from_utf8_lossy(&b).into_owned()) {
            Ok(t) if !t.is_empty() => t,
            Ok(_) => {
                d.error("empty-field", col(i), format!("the {what} is empty"));
                String::new()
            }
            Err(at) => {
                d.error(
                    "bad-base64",
                    col(i).map(|c| c + at),
                    format!(
                        "the {what} is not base64; every string field of sw8 is base64-encoded"
                    ),
                );
                String::new()
            }
        }
    };
    let mut sw = Sw8 {
        trace_id: text(1, trace, "trace id", d),
        parent_segment_id: text(2, segment, "parent segment id", d),
        parent_span_id: 0,
        parent_service: text(4, service, "parent service", d),
        parent_service_instance: text(5, instance, "parent service instance", d),
        parent_endpoint: text(6, endpoint, "parent endpoint", d),
        target_address: text(7, target, "target address", d),
    };
    match span.parse::<i64>() {
        Ok(n) if n >= 0 => sw.parent_span_id = n,
        _ => d.error(
            "bad-span-id",
            col(3),
            format!("the parent span id `{span}` is not a non-negative integer"),
        ),
    }
    let limits = [
        (sw.parent_service.len(), 50, "parent service"),
        (
            sw.parent_service_instance.len(),
            50,
            "parent service instance",
        ),
        (sw.parent_endpoint.len(), 149, "parent endpoint"),
    ];
    for (len, max, what) in limits {
        if len > max {
            d.warn(
                "field-too-long",
                None,
                format!("the {what} is {len} characters; SkyWalking keeps at most {max}"),
            );
        }
    }
    if v.len() >= 2048 {
        d.warn(
            "value-too-long",
            None,
            format!("sw8 is {} bytes; SkyWalking expects under 2 KB", v.len()),
        );
    }
    d.details = Details::Sw8(Box::new(sw));
}
