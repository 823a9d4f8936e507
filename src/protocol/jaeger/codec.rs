//! Reading and writing the jaeger.thrift structs with any `thrift` protocol, as the IDL numbers
//! their fields. Readers skip unknown fields and fields of an unexpected type, as generated
//! thrift code does, and refuse a struct that lacks a required field.

use thrift::protocol::{
    TFieldIdentifier, TInputProtocol, TListIdentifier, TOutputProtocol, TSerializable,
    TStructIdentifier, TType,
};
use thrift::{ProtocolError, ProtocolErrorKind};

use super::model::{
    Batch, ClientStats, Log, Process, Span, SpanRef, SpanRefType, Tag, TagType, TagValue,
};

fn begin(o: &mut dyn TOutputProtocol, name: &str, ty: TType, id: i16) -> thrift::Result<()> {
    o.write_field_begin(&TFieldIdentifier::new(name, ty, id))
}

fn write_i64(o: &mut dyn TOutputProtocol, name: &str, id: i16, v: i64) -> thrift::Result<()> {
    begin(o, name, TType::I64, id)?;
    o.write_i64(v)?;
    o.write_field_end()
}

fn write_i32(o: &mut dyn TOutputProtocol, name: &str, id: i16, v: i32) -> thrift::Result<()> {
    begin(o, name, TType::I32, id)?;
    o.write_i32(v)?;
    o.write_field_end()
}

fn write_str(o: &mut dyn TOutputProtocol, name: &str, id: i16, v: &str) -> thrift::Result<()> {
    begin(o, name, TType::String, id)?;
    o.write_string(v)?;
    o.write_field_end()
}

fn write_list<T: TSerializable>(
    o: &mut dyn TOutputProtocol,
    name: &str,
    id: i16,
    items: &[T],
) -> thrift::Result<()> {
    begin(o, name, TType::List, id)?;
    let len = i32::try_from(items.len()).map_err(|_| {
        thrift::Error::Protocol(ProtocolError::new(
            ProtocolErrorKind::SizeLimit,
            format!("{name} has more than {} elements", i32::MAX),
        ))
    })?;
    o.write_list_begin(&TListIdentifier::new(TType::Struct, len))?;
    for item in items {
        item.write_to_out_protocol(o)?;
    }
    o.write_list_end()?;
    o.write_field_end()
}

fn read_list<T: TSerializable>(i: &mut dyn TInputProtocol) -> thrift::Result<Vec<T>> {
    let list = i.read_list_begin()?;
    if list.element_type != TType::Struct {
        return Err(invalid(format!(
            "a list of {} where a list of structs was expected",
            list.element_type
        )));
    }
    let mut items = Vec::with_capacity(thrift::protocol::prealloc_size(list.size));
    for _ in 0..list.size {
        items.push(T::read_from_in_protocol(i)?);
    }
    i.read_list_end()?;
    Ok(items)
}

fn invalid(message: String) -> thrift::Error {
    thrift::Error::Protocol(ProtocolError::new(ProtocolErrorKind::InvalidData, message))
}

fn required<T>(name: &str, field: Option<T>) -> thrift::Result<T> {
    field.ok_or_else(|| invalid(format!("missing required field {name}")))
}

/// Reads a struct's fields, handing each `(id, type)` to `field`, which returns false to have
/// the field skipped.
fn read_struct(
    i: &mut dyn TInputProtocol,
    mut field: impl FnMut(&mut dyn TInputProtocol, i16, TType) -> thrift::Result<bool>,
) -> thrift::Result<()> {
    i.read_struct_begin()?;
    loop {
        let ident = i.read_field_begin()?;
        if ident.field_type == TType::Stop {
            break;
        }
        let id = ident.id.unwrap_or(0);
        if !field(i, id, ident.field_type)? {
            i.skip(ident.field_type)?;
        }
        i.read_field_end()?;
    }
    i.read_struct_end()
}

impl TSerializable for Tag {
    fn read_from_in_protocol(i: &mut dyn TInputProtocol) -> thrift::Result<Tag> {
        let (mut key, mut v_type) = (None, None);
        let (mut v_str, mut v_double, mut v_bool, mut v_long, mut v_binary) =
            (None, None, None, None, None);
        read_struct(i, |i, id, ty| {
            match (id, ty) {
                (1, TType::String) => key = Some(i.read_string()?),
                (2, TType::I32) => v_type = Some(i.read_i32()?),
                (3, TType::String) => v_str = Some(i.read_string()?),
                (4, TType::Double) => v_double = Some(i.read_double()?),
                (5, TType::Bool) => v_bool = Some(i.read_bool()?),
                (6, TType::I64) => v_long = Some(i.read_i64()?),
                (7, TType::String) => v_binary = Some(i.read_bytes()?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let key = required("Tag.key", key)?;
        let raw = required("Tag.vType", v_type)?;
        let v_type = TagType::try_from(raw)
            .map_err(|v| invalid(format!("tag {key:?} has vType {v}, which is not a TagType")))?;
        let missing =
            |field: &str| invalid(format!("tag {key:?} is {v_type:?} but has no {field}"));
        let value = match v_type {
            TagType::String => TagValue::String(v_str.ok_or_else(|| missing("vStr"))?),
            TagType::Double => TagValue::Double(v_double.ok_or_else(|| missing("vDouble"))?),
            TagType::Bool => TagValue::Bool(v_bool.ok_or_else(|| missing("vBool"))?),
            TagType::Long => TagValue::Long(v_long.ok_or_else(|| missing("vLong"))?),
            TagType::Binary => TagValue::Binary(v_binary.ok_or_else(|| missing("vBinary"))?),
        };
        Ok(Tag { key, value })
    }

    fn write_to_out_protocol(&self, o: &mut dyn TOutputProtocol) -> thrift::Result<()> {
        o.write_struct_begin(&TStructIdentifier::new("Tag"))?;
        write_str(o, "key", 1, &self.key)?;
        write_i32(o, "vType", 2, self.value.tag_type() as i32)?;
        match &self.value {
            TagValue::String(s) => write_str(o, "vStr", 3, s)?,
            TagValue::Double(d) => {
                begin(o, "vDouble", TType::Double, 4)?;
                o.write_double(*d)?;
                o.write_field_end()?;
            }
            TagValue::Bool(b) => {
                begin(o, "vBool", TType::Bool, 5)?;
                o.write_bool(*b)?;
                o.write_field_end()?;
            }
            TagValue::Long(l) => write_i64(o, "vLong", 6, *l)?,
            TagValue::Binary(b) => {
                begin(o, "vBinary", TType::String, 7)?;
                o.write_bytes(b)?;
                o.write_field_end()?;
            }
        }
        o.write_field_stop()?;
        o.write_struct_end()
    }
}

impl TSerializable for Log {
    fn read_from_in_protocol(i: &mut dyn TInputProtocol) -> thrift::Result<Log> {
        let (mut timestamp, mut fields) = (None, None);
        read_struct(i, |i, id, ty| {
            match (id, ty) {
                (1, TType::I64) => timestamp = Some(i.read_i64()?),
                (2, TType::List) => fields = Some(read_list(i)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Log {
            timestamp: required("Log.timestamp", timestamp)?,
            fields: required("Log.fields", fields)?,
        })
    }

    fn write_to_out_protocol(&self, o: &mut dyn TOutputProtocol) -> thrift::Result<()> {
        o.write_struct_begin(&TStructIdentifier::new("Log"))?;
        write_i64(o, "timestamp", 1, self.timestamp)?;
        write_list(o, "fields", 2, &self.fields)?;
        o.write_field_stop()?;
        o.write_struct_end()
    }
}

impl TSerializable for SpanRef {
    fn read_from_in_protocol(i: &mut dyn TInputProtocol) -> thrift::Result<SpanRef> {
        let (mut ref_type, mut low, mut high, mut span_id) = (None, None, None, None);
        read_struct(i, |i, id, ty| {
            match (id, ty) {
                (1, TType::I32) => ref_type = Some(i.read_i32()?),
                (2, TType::I64) => low = Some(i.read_i64()?),
                (3, TType::I64) => high = Some(i.read_i64()?),
                (4, TType::I64) => span_id = Some(i.read_i64()?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let raw = required("SpanRef.refType", ref_type)?;
        Ok(SpanRef {
            ref_type: SpanRefType::try_from(raw)
                .map_err(|v| invalid(format!("refType {v} is not a SpanRefType")))?,
            trace_id_low: required("SpanRef.traceIdLow", low)?,
            trace_id_high: required("SpanRef.traceIdHigh", high)?,
            span_id: required("SpanRef.spanId", span_id)?,
        })
    }

    fn write_to_out_protocol(&self, o: &mut dyn TOutputProtocol) -> thrift::Result<()> {
        o.write_struct_begin(&TStructIdentifier::new("SpanRef"))?;
        write_i32(o, "refType", 1, self.ref_type as i32)?;
        write_i64(o, "traceIdLow", 2, self.trace_id_low)?;
        write_i64(o, "traceIdHigh", 3, self.trace_id_high)?;
        write_i64(o, "spanId", 4, self.span_id)?;
        o.write_field_stop()?;
        o.write_struct_end()
    }
}

impl TSerializable for Span {
    fn read_from_in_protocol(i: &mut dyn TInputProtocol) -> thrift::Result<Span> {
        let (mut low, mut high, mut span_id, mut parent) = (None, None, None, None);
        let (mut name, mut refs, mut flags, mut start, mut duration) =
            (None, None, None, None, None);
        let (mut tags, mut logs, mut incomplete) = (None, None, None);
        read_struct(i, |i, id, ty| {
            match (id, ty) {
                (1, TType::I64) => low = Some(i.read_i64()?),
                (2, TType::I64) => high = Some(i.read_i64()?),
                (3, TType::I64) => span_id = Some(i.read_i64()?),
                (4, TType::I64) => parent = Some(i.read_i64()?),
                (5, TType::String) => name = Some(i.read_string()?),
                (6, TType::List) => refs = Some(read_list(i)?),
                (7, TType::I32) => flags = Some(i.read_i32()?),
                (8, TType::I64) => start = Some(i.read_i64()?),
                (9, TType::I64) => duration = Some(i.read_i64()?),
                (10, TType::List) => tags = Some(read_list(i)?),
                (11, TType::List) => logs = Some(read_list(i)?),
                (12, TType::Bool) => incomplete = Some(i.read_bool()?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Span {
            trace_id_low: required("Span.traceIdLow", low)?,
            trace_id_high: required("Span.traceIdHigh", high)?,
            span_id: required("Span.spanId", span_id)?,
            parent_span_id: required("Span.parentSpanId", parent)?,
            operation_name: required("Span.operationName", name)?,
            references: refs,
            flags: required("Span.flags", flags)?,
            start_time: required("Span.startTime", start)?,
            duration: required("Span.duration", duration)?,
            tags,
            logs,
            incomplete,
        })
    }

    fn write_to_out_protocol(&self, o: &mut dyn TOutputProtocol) -> thrift::Result<()> {
        o.write_struct_begin(&TStructIdentifier::new("Span"))?;
        write_i64(o, "traceIdLow", 1, self.trace_id_low)?;
        write_i64(o, "traceIdHigh", 2, self.trace_id_high)?;
        write_i64(o, "spanId", 3, self.span_id)?;
        write_i64(o, "parentSpanId", 4, self.parent_span_id)?;
        write_str(o, "operationName", 5, &self.operation_name)?;
        if let Some(refs) = &self.references {
            write_list(o, "references", 6, refs)?;
        }
        write_i32(o, "flags", 7, self.flags)?;
        write_i64(o, "startTime", 8, self.start_time)?;
        write_i64(o, "duration", 9, self.duration)?;
        if let Some(tags) = &self.tags {
            write_list(o, "tags", 10, tags)?;
        }
        if let Some(logs) = &self.logs {
            write_list(o, "logs", 11, logs)?;
        }
        if let Some(incomplete) = self.incomplete {
            begin(o, "incomplete", TType::Bool, 12)?;
            o.write_bool(incomplete)?;
            o.write_field_end()?;
        }
        o.write_field_stop()?;
        o.write_struct_end()
    }
}

impl TSerializable for Process {
    fn read_from_in_protocol(i: &mut dyn TInputProtocol) -> thrift::Result<Process> {
        let (mut service_name, mut tags) = (None, None);
        read_struct(i, |i, id, ty| {
            match (id, ty) {
                (1, TType::String) => service_name = Some(i.read_string()?),
                (2, TType::List) => tags = Some(read_list(i)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Process {
            service_name: required("Process.serviceName", service_name)?,
            tags,
        })
    }

    fn write_to_out_protocol(&self, o: &mut dyn TOutputProtocol) -> thrift::Result<()> {
        o.write_struct_begin(&TStructIdentifier::new("Process"))?;
        write_str(o, "serviceName", 1, &self.service_name)?;
        if let Some(tags) = &self.tags {
            write_list(o, "tags", 2, tags)?;
        }
        o.write_field_stop()?;
        o.write_struct_end()
    }
}

impl TSerializable for ClientStats {
    fn read_from_in_protocol(i: &mut dyn TInputProtocol) -> thrift::Result<ClientStats> {
        let (mut full, mut large, mut failed) = (None, None, None);
        read_struct(i, |i, id, ty| {
            match (id, ty) {
                (1, TType::I64) => full = Some(i.read_i64()?),
                (2, TType::I64) => large = Some(i.read_i64()?),
                (3, TType::I64) => failed = Some(i.read_i64()?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(ClientStats {
            full_queue_dropped_spans: required("ClientStats.fullQueueDroppedSpans", full)?,
            too_large_dropped_spans: required("ClientStats.tooLargeDroppedSpans", large)?,
            failed_to_emit_spans: required("ClientStats.failedToEmitSpans", failed)?,
        })
    }

    fn write_to_out_protocol(&self, o: &mut dyn TOutputProtocol) -> thrift::Result<()> {
        o.write_struct_begin(&TStructIdentifier::new("ClientStats"))?;
        write_i64(o, "fullQueueDroppedSpans", 1, self.full_queue_dropped_spans)?;
        write_i64(o, "tooLargeDroppedSpans", 2, self.too_large_dropped_spans)?;
        write_i64(o, "failedToEmitSpans", 3, self.failed_to_emit_spans)?;
        o.write_field_stop()?;
        o.write_struct_end()
    }
}

impl TSerializable for Batch {
    fn read_from_in_protocol(i: &mut dyn TInputProtocol) -> thrift::Result<Batch> {
        let (mut process, mut spans, mut seq_no, mut stats) = (None, None, None, None);
        read_struct(i, |i, id, ty| {
            match (id, ty) {
                (1, TType::Struct) => process = Some(Process::read_from_in_protocol(i)?),
                (2, TType::List) => spans = Some(read_list(i)?),
                (3, TType::I64) => seq_no = Some(i.read_i64()?),
                (4, TType::Struct) => stats = Some(ClientStats::read_from_in_protocol(i)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Batch {
            process: required("Batch.process", process)?,
            spans: required("Batch.spans", spans)?,
            seq_no,
            stats,
        })
    }

    fn write_to_out_protocol(&self, o: &mut dyn TOutputProtocol) -> thrift::Result<()> {
        o.write_struct_begin(&TStructIdentifier::new("Batch"))?;
        begin(o, "process", TType::Struct, 1)?;
        self.process.write_to_out_protocol(o)?;
        o.write_field_end()?;
        write_list(o, "spans", 2, &self.spans)?;
        if let Some(seq_no) = self.seq_no {
            write_i64(o, "seqNo", 3, seq_no)?;
        }
        if let Some(stats) = &self.stats {
            begin(o, "stats", TType::Struct, 4)?;
            stats.write_to_out_protocol(o)?;
            o.write_field_end()?;
        }
        o.write_field_stop()?;
        o.write_struct_end()
    }
}

/// agent.thrift `Agent.emitBatch` arguments: `1: jaeger.Batch batch`.
pub(super) struct EmitBatchArgs(pub Batch);

impl TSerializable for EmitBatchArgs {
    fn read_from_in_protocol(i: &mut dyn TInputProtocol) -> thrift::Result<EmitBatchArgs> {
        let mut batch = None;
        read_struct(i, |i, id, ty| {
            if (id, ty) == (1, TType::Struct) {
                batch = Some(Batch::read_from_in_protocol(i)?);
                return Ok(true);
            }
            Ok(false)
        })?;
        Ok(EmitBatchArgs(required("emitBatch_args.batch", batch)?))
    }

    fn write_to_out_protocol(&self, o: &mut dyn TOutputProtocol) -> thrift::Result<()> {
        o.write_struct_begin(&TStructIdentifier::new("emitBatch_args"))?;
        begin(o, "batch", TType::Struct, 1)?;
        self.0.write_to_out_protocol(o)?;
        o.write_field_end()?;
        o.write_field_stop()?;
        o.write_struct_end()
    }
}
