//! Jaeger's thrift protocols: jaeger.thrift structs and agent.thrift's `emitBatch` message, in
//! the compact and binary encodings, both ways.
//!
//! - UDP agents (6831 compact, 6832 binary) take one `Agent.emitBatch` oneway message per
//!   datagram: [`encode_emit_batch`] / [`decode_emit_batch`], with [`detect`] telling the two
//!   encodings apart from a datagram's first bytes.
//! - The collector's HTTP endpoint (14268 `/api/traces`) takes a bare binary `Batch`:
//!   [`encode_batch`] / [`decode_batch`].

mod codec;
mod convert;
mod model;

pub use convert::batch_from_trace;
pub use model::{
    Batch, ClientStats, Log, Process, Span, SpanRef, SpanRefType, Tag, TagType, TagValue,
};

use serde::Serialize;
use thrift::protocol::{
    TBinaryInputProtocol, TBinaryOutputProtocol, TCompactInputProtocol, TCompactOutputProtocol,
    TInputProtocol, TMessageIdentifier, TMessageType, TOutputProtocol, TSerializable,
};
use thrift::{ProtocolError, ProtocolErrorKind, TConfiguration};

use codec::EmitBatchArgs;

/// Why thrift bytes could not be read or written, with the thrift crate's message kept (its own
/// `Display` shows only the error kind).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Error(String);

impl From<thrift::Error> for Error {
    fn from(e: thrift::Error) -> Error {
        let (kind, message) = match &e {
            thrift::Error::Transport(t) => (e.to_string(), t.message.clone()),
            thrift::Error::Protocol(p) => (e.to_string(), p.message.clone()),
            thrift::Error::Application(a) => (e.to_string(), a.message.clone()),
            thrift::Error::User(u) => (e.to_string(), u.to_string()),
        };
        if message.is_empty() || message == kind {
            Error(kind)
        } else {
            Error(format!("{kind}: {message}"))
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// The largest datagram a Jaeger agent reads (its UDP server's buffer).
pub const MAX_DATAGRAM: usize = 65000;

/// The collector's HTTP Content-Type for a binary thrift `Batch`.
pub const THRIFT_CONTENT_TYPE: &str = "application/x-thrift";

/// A thrift encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    Compact,
    Binary,
}

impl Encoding {
    /// The agent's conventional UDP port for this encoding.
    pub fn agent_port(self) -> u16 {
        match self {
            Encoding::Compact => super::wire::Wire::JaegerUdpCompact.default_port(),
            Encoding::Binary => super::wire::Wire::JaegerUdpBinary.default_port(),
        }
    }
}

/// The encoding a message starts with: compact messages open with the protocol id 0x82 and
/// version 1; strict binary ones with the version word 0x8001. `None` for anything else.
pub fn detect(bytes: &[u8]) -> Option<Encoding> {
    match bytes {
        [0x82, second, ..] if second & 0x1f == 1 => Some(Encoding::Compact),
        [0x80, 0x01, ..] => Some(Encoding::Binary),
        _ => None,
    }
}

/// The bare `Batch`, as POSTed to a collector's `/api/traces` (binary) or nested in a message.
pub fn encode_batch(batch: &Batch, encoding: Encoding) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    with_output(&mut buf, encoding, |o| batch.write_to_out_protocol(o))?;
    Ok(buf)
}

pub fn decode_batch(bytes: &[u8], encoding: Encoding) -> Result<Batch> {
    Ok(with_input(bytes, encoding, |i| {
        Batch::read_from_in_protocol(i)
    })?)
}

/// An `Agent.emitBatch` oneway message: one UDP datagram for an agent.
pub fn encode_emit_batch(batch: &Batch, encoding: Encoding, seq_id: i32) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    with_output(&mut buf, encoding, |o| {
        o.write_message_begin(&TMessageIdentifier::new(
            "emitBatch",
            TMessageType::OneWay,
            seq_id,
        ))?;
        EmitBatchArgs(batch.clone()).write_to_out_protocol(o)?;
        o.write_message_end()?;
        o.flush()
    })?;
    Ok(buf)
}

/// A datagram an agent would accept: the encoding it was detected in, the message header and
/// the batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmitBatch {
    pub encoding: Encoding,
    pub message_type: &'static str,
    pub seq_id: i32,
    pub batch: Batch,
}

/// Reads an `Agent.emitBatch` datagram in whichever encoding it is in.
pub fn decode_emit_batch(bytes: &[u8]) -> Result<EmitBatch> {
    let encoding = detect(bytes).ok_or_else(|| {
        Error(format!(
            "the datagram starts with {}, which is neither thrift compact (82) nor strict binary (80 01)",
            hex::encode(bytes.get(..2).unwrap_or(bytes))
        ))
    })?;
    let message = with_input(bytes, encoding, |i| {
        let ident = i.read_message_begin()?;
        if ident.name != "emitBatch" {
            return Err(protocol_error(format!(
                "the message calls {:?}, not emitBatch",
                ident.name
            )));
        }
        let message_type = match ident.message_type {
            TMessageType::OneWay => "oneway",
            TMessageType::Call => "call",
            TMessageType::Reply => "reply",
            TMessageType::Exception => "exception",
        };
        let args = EmitBatchArgs::read_from_in_protocol(i)?;
        i.read_message_end()?;
        Ok(EmitBatch {
            encoding,
            message_type,
            seq_id: ident.sequence_number,
            batch: args.0,
        })
    })?;
    Ok(message)
}

fn protocol_error(message: String) -> thrift::Error {
    thrift::Error::Protocol(ProtocolError::new(ProtocolErrorKind::InvalidData, message))
}

fn with_output<R>(
    buf: &mut Vec<u8>,
    encoding: Encoding,
    f: impl FnOnce(&mut dyn TOutputProtocol) -> thrift::Result<R>,
) -> thrift::Result<R> {
    match encoding {
        Encoding::Compact => f(&mut TCompactOutputProtocol::new(buf)),
        Encoding::Binary => f(&mut TBinaryOutputProtocol::new(buf, true)),
    }
}

/// Reads with limits no larger than the input: no string or list can claim more than it holds.
fn with_input<R>(
    bytes: &[u8],
    encoding: Encoding,
    f: impl FnOnce(&mut dyn TInputProtocol) -> thrift::Result<R>,
) -> thrift::Result<R> {
    let config = TConfiguration::builder()
        .max_message_size(Some(bytes.len()))
        .max_frame_size(Some(bytes.len()))
        .max_string_size(Some(bytes.len()))
        .max_container_size(Some(bytes.len()))
        .build()?;
    match encoding {
        Encoding::Compact => f(&mut TCompactInputProtocol::with_config(bytes, config)),
        Encoding::Binary => f(&mut TBinaryInputProtocol::with_config(bytes, true, config)),
    }
}

#[cfg(test)]
mod tests;
