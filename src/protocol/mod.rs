//! Wire formats for spans, as a library: every encoder has its decoder, so `send-test-span`
//! writes with the same code a local receiver reads with.
//!
//! - [`trace`]: the protocol-neutral synthetic trace (service, spans, attributes, events).
//! - [`otlp`]: OTLP requests from the official `opentelemetry-proto` types; protobuf and OTLP/JSON.
//! - [`jaeger`]: jaeger.thrift and agent.thrift over the `thrift` crate's compact and binary
//!   protocols, with datagram protocol detection.
//! - [`zipkin`]: the Zipkin v2 JSON span model.
//! - [`wire`]: the table of wire protocols (transport, default port, path).

pub mod jaeger;
pub mod otlp;
pub mod trace;
pub mod wire;
pub mod zipkin;
