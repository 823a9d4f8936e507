//! Decoded headers as JSON lines, written directly into a line buffer (no `serde_json::Value`
//! tree): one object per header, or per request with `--to`. Schema: docs/decode-header.md.

use std::io::{self, Write};

use tracectl_propagation::convert::{Converted, Target, utc_date};
use tracectl_propagation::input::Header;
use tracectl_propagation::{Details, Finding, Member, names};

use super::human::shown_name;
use super::target_name;

/// Writes `s` as a JSON string.
fn string(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.write_all(&bytes[start..i])?;
                write!(out, "\\u{b:04x}")?;
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(escaped)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
}

/// A key and the separator before it.
fn key(out: &mut Vec<u8>, k: &str) -> io::Result<()> {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(k.as_bytes());
    out.extend_from_slice(b"\":");
    Ok(())
}

fn opt_hex(out: &mut Vec<u8>, k: &str, v: Option<u128>, width: usize) -> io::Result<()> {
    key(out, k)?;
    match v {
        Some(v) => {
            out.push(b'"');
            hex(out, v, width);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    Ok(())
}

/// `v` as `width` lowercase hex digits (the low ones), without the formatting machinery.
fn hex(out: &mut Vec<u8>, v: u128, width: usize) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for i in (0..width).rev() {
        let nibble = (v >> (4 * i)) & 0xf;
        out.push(DIGITS[nibble as usize]);
    }
}

fn opt_bool(out: &mut Vec<u8>, k: &str, v: Option<bool>) -> io::Result<()> {
    key(out, k)?;
    match v {
        Some(true) => out.write_all(b"true"),
        Some(false) => out.write_all(b"false"),
        None => out.write_all(b"null"),
    }
}

fn str_field(out: &mut Vec<u8>, k: &str, v: &str) -> io::Result<()> {
    key(out, k)?;
    string(out, v)
}

fn members(out: &mut Vec<u8>, k: &str, items: &[Member]) -> io::Result<()> {
    key(out, k)?;
    out.write_all(b"[")?;
    for (i, m) in items.iter().enumerate() {
        out.write_all(if i == 0 { b"{\"key\":" } else { b",{\"key\":" })?;
        string(out, &m.key)?;
        str_field(out, "value", &m.value)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]")
}

fn findings(out: &mut Vec<u8>, k: &str, items: &[Finding]) -> io::Result<()> {
    key(out, k)?;
    out.write_all(b"[")?;
    for (i, f) in items.iter().enumerate() {
        out.write_all(if i == 0 {
            b"{\"code\":"
        } else {
            b",{\"code\":"
        })?;
        string(out, f.code)?;
        str_field(out, "message", &f.message)?;
        key(out, "column")?;
        match f.column {
            Some(c) => write!(out, "{}", c + 1)?,
            None => out.write_all(b"null")?,
        }
        out.write_all(b"}")?;
    }
    out.write_all(b"]")
}

/// One header as one line.
pub(super) fn header(
    request: usize,
    line: usize,
    h: &Header<'_>,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let d = &h.decoded;
    write!(out, "{{\"request\":{request},\"line\":{line}")?;
    key(out, "header")?;
    match (h.name, d.kind.header()) {
        (Some(n), _) => string(out, n)?,
        (None, "") => out.write_all(b"null")?,
        (None, canonical) => string(out, canonical)?,
    }
    str_field(out, "format", d.kind.format())?;
    opt_bool(out, "assumed", Some(d.assumed))?;
    opt_bool(out, "valid", Some(d.is_valid()))?;
    str_field(out, "value", &h.value)?;
    opt_hex(out, "version", d.version.map(u128::from), 2)?;
    opt_hex(out, "trace_id", d.trace_id, 32)?;
    opt_hex(out, "span_id", d.span_id.map(u128::from), 16)?;
    opt_hex(out, "parent_span_id", d.parent_span_id.map(u128::from), 16)?;
    opt_bool(out, "sampled", d.sampled)?;
    opt_hex(out, "flags", d.flags.map(u128::from), 2)?;
    opt_bool(out, "random", d.random)?;
    opt_bool(out, "debug", d.debug)?;
    key(out, "timestamp")?;
    match d.timestamp {
        Some(t) => string(out, &utc_date(t))?,
        None => out.write_all(b"null")?,
    }
    details(out, &d.details)?;
    if let Details::Misspelled { meant } = d.details {
        let name = h.name.unwrap_or_default();
        str_field(out, "did_you_mean", &names::suggestion(name, meant))?;
    }
    findings(out, "errors", &d.errors)?;
    findings(out, "warnings", &d.warnings)?;
    out.write_all(b"}\n")
}

fn details(out: &mut Vec<u8>, details: &Details) -> io::Result<()> {
    match details {
        Details::None | Details::Misspelled { .. } => Ok(()),
        Details::TraceState(m) => members(out, "members", m),
        Details::Baggage(m) => {
            key(out, "members")?;
            out.write_all(b"[")?;
            for (i, m) in m.iter().enumerate() {
                out.write_all(if i == 0 { b"{\"key\":" } else { b",{\"key\":" })?;
                string(out, &m.key)?;
                str_field(out, "value", &m.value)?;
                key(out, "properties")?;
                out.write_all(b"[")?;
                for (j, p) in m.properties.iter().enumerate() {
                    if j > 0 {
                        out.write_all(b",")?;
                    }
                    string(out, p)?;
                }
                out.write_all(b"]}")?;
            }
            out.write_all(b"]")
        }
        Details::Jaeger {
            firehose,
            url_decoded,
        } => {
            opt_bool(out, "firehose", Some(*firehose))?;
            key(out, "url_decoded")?;
            match url_decoded {
                Some(v) => string(out, v),
                None => out.write_all(b"null"),
            }
        }
        Details::UberCtx { key: k, value } => {
            str_field(out, "baggage_key", k)?;
            str_field(out, "baggage_value", value)
        }
        Details::DebugId(v) => str_field(out, "debug_id", v),
        Details::XRay { lineage, others } => {
            key(out, "lineage")?;
            match lineage {
                Some(l) => string(out, l)?,
                None => out.write_all(b"null")?,
            }
            members(out, "extra", others)
        }
        Details::DatadogId(n) => str_field(out, "decimal", &n.to_string()),
        Details::DatadogPriority(p) => {
            key(out, "sampling_priority")?;
            write!(out, "{p}")
        }
        Details::DatadogOrigin(o) => str_field(out, "origin", o),
        Details::DatadogTags { tags, tid } => {
            members(out, "tags", tags)?;
            opt_hex(out, "tid", tid.map(u128::from), 16)
        }
        Details::GrpcTraceBin { unknown_field } => {
            key(out, "unknown_field")?;
            match unknown_field {
                Some(f) => write!(out, "{f}"),
                None => out.write_all(b"null"),
            }
        }
        Details::Sw8(s) => {
            key(out, "sw8")?;
            out.write_all(b"{\"trace_id\":")?;
            string(out, &s.trace_id)?;
            str_field(out, "parent_segment_id", &s.parent_segment_id)?;
            key(out, "parent_span_id")?;
            write!(out, "{}", s.parent_span_id)?;
            str_field(out, "parent_service", &s.parent_service)?;
            str_field(out, "parent_service_instance", &s.parent_service_instance)?;
            str_field(out, "parent_endpoint", &s.parent_endpoint)?;
            str_field(out, "target_address", &s.target_address)?;
            out.write_all(b"}")
        }
    }
}

/// `--to`: one object per request.
pub(super) fn conversion(
    (request, line): (usize, usize),
    headers: &[Header<'_>],
    target: Target,
    converted: &Result<Converted, String>,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    write!(out, "{{\"request\":{request},\"line\":{line}")?;
    str_field(out, "to", target_name(target))?;
    let valid = converted.is_ok() && headers.iter().all(|h| h.decoded.is_valid());
    opt_bool(out, "valid", Some(valid))?;
    key(out, "headers")?;
    out.write_all(b"[")?;
    if let Ok(c) = converted {
        for (i, (name, value)) in c.headers.iter().enumerate() {
            out.write_all(if i == 0 {
                b"{\"name\":"
            } else {
                b",{\"name\":"
            })?;
            string(out, name)?;
            str_field(out, "value", value)?;
            out.write_all(b"}")?;
        }
    }
    out.write_all(b"]")?;
    key(out, "notes")?;
    out.write_all(b"[")?;
    if let Ok(c) = converted {
        for (i, note) in c.notes.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            string(out, note)?;
        }
    }
    out.write_all(b"]")?;
    key(out, "error")?;
    match converted {
        Ok(_) => out.write_all(b"null")?,
        Err(reason) => string(out, reason)?,
    }
    key(out, "header_errors")?;
    out.write_all(b"[")?;
    let mut first = true;
    for h in headers {
        for f in &h.decoded.errors {
            out.write_all(if first {
                b"{\"header\":"
            } else {
                b",{\"header\":"
            })?;
            first = false;
            string(out, shown_name(h))?;
            str_field(out, "code", f.code)?;
            str_field(out, "message", &f.message)?;
            out.write_all(b"}")?;
        }
    }
    out.write_all(b"]}\n")
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn strings_are_escaped() {
        let mut out = Vec::new();
        assert!(string(&mut out, "a\"b\\c\nd\u{1}é").is_ok());
        assert_eq!(String::from_utf8_lossy(&out), r#""a\"b\\c\nd\u0001é""#);
        let parsed: Result<String, _> = serde_json::from_slice(&out);
        assert_eq!(parsed.ok().as_deref(), Some("a\"b\\c\nd\u{1}é"));
    }
}
