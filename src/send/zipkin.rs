//! Zipkin v2 JSON POSTed to `/api/v2/spans`.

use crate::protocol::trace::Trace;
use crate::protocol::zipkin;

use super::{Delivery, Target, Transport, http};

pub async fn send(trace: &Trace, target: &Target, transport: &Transport) -> Delivery {
    match zipkin::encode(&zipkin::spans_from_trace(trace)) {
        Ok(body) => http::send_plain(target, transport, "application/json", body).await,
        Err(e) => Delivery::failed(format!("cannot encode the spans: {e}"), 0),
    }
}
