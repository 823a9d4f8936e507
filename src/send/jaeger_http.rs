//! Jaeger thrift over HTTP: a binary `Batch` POSTed to a collector's `/api/traces`.

use crate::protocol::jaeger::{self, Encoding};
use crate::protocol::trace::Trace;

use super::{Delivery, Target, Transport, http};

pub async fn send(trace: &Trace, target: &Target, transport: &Transport) -> Delivery {
    let batch = jaeger::batch_from_trace(trace);
    match jaeger::encode_batch(&batch, Encoding::Binary) {
        Ok(body) => http::send_plain(target, transport, jaeger::THRIFT_CONTENT_TYPE, body).await,
        Err(e) => Delivery::failed(format!("cannot encode the batch: {e}"), 0),
    }
}
