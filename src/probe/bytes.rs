//! What the first bytes a server sends look like: HTTP/1.x status line, an HTTP/2 frame, a TLS
//! record, printable text (an HTTP/0.9-style reply) or binary.

use serde::Serialize;

/// A description of the first bytes of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Shape {
    /// Starts with `HTTP/1.` or `HTTP/2`: an HTTP/1.x status line.
    Http1,
    /// A 9-byte HTTP/2 frame header; `frame_type` 4 is SETTINGS (a server preface).
    H2Frame { frame_type: u8 },
    /// A TLS record header; `content_type` 21 is an alert, 22 a handshake.
    TlsRecord { content_type: u8 },
    /// Printable text that is not an HTTP status line (HTTP/0.9-style reply, banner, error text).
    Text,
    /// Anything else.
    Binary,
}

/// Classifies the first bytes of a reply (at least one byte).
pub fn shape(first: &[u8]) -> Shape {
    if first.starts_with(b"HTTP/1.") || first.starts_with(b"HTTP/2") {
        return Shape::Http1;
    }
    if let [0x14..=0x17, 0x03, 0x00..=0x04, ..] = first {
        return Shape::TlsRecord {
            content_type: first[0],
        };
    }
    if let [l0, _, _, frame_type @ 0..=9, _, s0, ..] = first {
        // Frame length < 2^16 in practice for a preface, stream id's reserved bit clear.
        if *l0 == 0 && s0 & 0x80 == 0 {
            return Shape::H2Frame {
                frame_type: *frame_type,
            };
        }
    }
    let printable = first
        .iter()
        .take(64)
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
    if printable {
        Shape::Text
    } else {
        Shape::Binary
    }
}

/// Up to 32 bytes as printable text, other bytes as `\xNN`: safe to put in a report.
pub fn escape(first: &[u8]) -> String {
    let mut out = String::new();
    for &b in first.iter().take(32) {
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            b' '..=b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    if first.len() > 32 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_known_replies() {
        assert_eq!(shape(b"HTTP/1.1 200 OK\r\n"), Shape::Http1);
        assert_eq!(
            shape(&[0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 5]),
            Shape::H2Frame { frame_type: 4 }
        );
        assert_eq!(
            shape(&[0x15, 3, 3, 0, 2, 2, 40]),
            Shape::TlsRecord { content_type: 21 }
        );
        assert_eq!(shape(b"hello world\n"), Shape::Text);
        assert_eq!(shape(&[0xde, 0xad, 0xbe, 0xef]), Shape::Binary);
        assert_eq!(shape(&[0x15]), Shape::Binary);
    }

    #[test]
    fn escape_is_bounded_and_printable() {
        assert_eq!(escape(b"a\r\n\x00"), "a\\r\\n\\x00");
        assert!(escape(&[b'x'; 100]).ends_with('…'));
    }
}
