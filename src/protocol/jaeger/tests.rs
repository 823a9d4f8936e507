use std::time::SystemTime;

use proptest::prelude::*;

use super::*;
use crate::protocol::trace::{Attr, AttrValue, Shape, SpanKind, Status, Trace};

fn sample_batch() -> Batch {
    let shape = Shape {
        service: "checkout".into(),
        name: "GET /cart".into(),
        kind: SpanKind::Server,
        attributes: vec![
            Attr::new("s", AttrValue::String("x".into())),
            Attr::new("i", AttrValue::Int(-7)),
            Attr::new("f", AttrValue::Double(1.5)),
            Attr::new("b", AttrValue::Bool(true)),
        ],
        resource: vec![Attr::new("host.name", AttrValue::String("h1".into()))],
        events: vec!["cache miss".into()],
        status: Status::Error,
        spans: 3,
        parent: None,
    };
    let mut batch = batch_from_trace(&Trace::synthetic(&shape, SystemTime::now()));
    batch.seq_no = Some(9);
    batch.stats = Some(ClientStats {
        full_queue_dropped_spans: 1,
        too_large_dropped_spans: 2,
        failed_to_emit_spans: 3,
    });
    batch.spans[0]
        .tags
        .get_or_insert_with(Vec::new)
        .push(Tag::new("bin", TagValue::Binary(vec![0, 1, 255])));
    batch.spans[1].incomplete = Some(false);
    batch
}

#[test]
fn batches_round_trip_in_both_encodings() {
    let batch = sample_batch();
    for enc in [Encoding::Compact, Encoding::Binary] {
        let bytes = encode_batch(&batch, enc).unwrap();
        assert_eq!(decode_batch(&bytes, enc).unwrap(), batch, "{enc:?}");
    }
}

#[test]
fn emit_batch_messages_round_trip_and_are_detected() {
    let batch = sample_batch();
    for enc in [Encoding::Compact, Encoding::Binary] {
        let bytes = encode_emit_batch(&batch, enc, 42).unwrap();
        assert_eq!(detect(&bytes), Some(enc));
        let msg = decode_emit_batch(&bytes).unwrap();
        assert_eq!(msg.encoding, enc);
        assert_eq!(msg.message_type, "oneway");
        assert_eq!(msg.seq_id, 42);
        assert_eq!(msg.batch, batch);
    }
}

#[test]
fn a_tag_is_written_as_the_specs_say() {
    let tag = Tag::new("k", TagValue::String("v".into()));
    let batch = |t: &Tag, enc| {
        let mut buf = Vec::new();
        with_output(&mut buf, enc, |o| t.write_to_out_protocol(o)).unwrap();
        buf
    };
    // Compact: field header = (id delta << 4) | type (8 binary, 5 i32), varint lengths,
    // zigzag ints, 0 stop.
    assert_eq!(
        batch(&tag, Encoding::Compact),
        [0x18, 1, b'k', 0x15, 0, 0x18, 1, b'v', 0]
    );
    // Binary: type byte (11 string, 8 i32), big-endian i16 id, i32 length, 0 stop.
    assert_eq!(
        batch(&tag, Encoding::Binary),
        [
            11, 0, 1, 0, 0, 0, 1, b'k', 8, 0, 2, 0, 0, 0, 0, 11, 0, 3, 0, 0, 0, 1, b'v', 0
        ]
    );
}

#[test]
fn message_headers_are_written_as_the_specs_say() {
    let batch = Batch {
        process: Process {
            service_name: "s".into(),
            tags: None,
        },
        spans: vec![],
        seq_no: None,
        stats: None,
    };
    let compact = encode_emit_batch(&batch, Encoding::Compact, 3).unwrap();
    // 0x82 protocol id, 0x81 = oneway (4) << 5 | version 1, varint seq id, varint name length.
    assert_eq!(&compact[..4], [0x82, 0x81, 3, 9]);
    assert_eq!(&compact[4..13], b"emitBatch");
    let binary = encode_emit_batch(&batch, Encoding::Binary, 3).unwrap();
    // Strict: 0x8001 version, 0x0004 oneway, i32 name length, name, i32 seq id.
    assert_eq!(&binary[..8], [0x80, 1, 0, 4, 0, 0, 0, 9]);
    assert_eq!(&binary[8..17], b"emitBatch");
    assert_eq!(&binary[17..21], [0, 0, 0, 3]);
}

#[test]
fn ids_keep_all_128_bits() {
    let batch = sample_batch();
    let span = &batch.spans[1];
    assert_eq!(span.trace_id_hex().len(), 32);
    assert_eq!(
        span.parent_span_id, batch.spans[0].span_id,
        "children point at the root"
    );
    assert_eq!(
        span.references.as_ref().unwrap()[0].ref_type,
        SpanRefType::ChildOf
    );
}

#[test]
fn a_missing_required_field_is_an_error_not_a_default() {
    // Compact: Batch { 1: Process { 1: "k" } } and no spans list.
    let err = decode_batch(&[0x1c, 0x18, 1, b'k', 0, 0], Encoding::Compact).unwrap_err();
    assert!(err.to_string().contains("Batch.spans"), "{err}");
}

#[test]
fn foreign_datagrams_are_not_detected() {
    assert_eq!(detect(b"GET / HTTP/1.1"), None);
    assert_eq!(detect(&[]), None);
    assert!(decode_emit_batch(b"{}").is_err());
}

proptest! {
    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode_emit_batch(&bytes);
        let _ = decode_batch(&bytes, Encoding::Compact);
        let _ = decode_batch(&bytes, Encoding::Binary);
    }

    #[test]
    fn truncations_never_panic(cut in 0usize..400) {
        let bytes = encode_emit_batch(&sample_batch(), Encoding::Compact, 1).unwrap();
        let _ = decode_emit_batch(&bytes[..cut.min(bytes.len())]);
    }
}
