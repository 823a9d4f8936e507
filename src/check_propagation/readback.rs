//! `--query-url`: the spans read back from a Jaeger query service until they are complete.

use std::time::{Duration, Instant};

use super::calls::Call;
use super::inject::Sent;
use super::judge::{self, Inputs};
use super::run::{Fatal, POLL, SETTLE};
use super::spans::Store;
use crate::send::Verify;
use crate::send::verify;

/// Reads the traces of the requests and of their downstream calls back from the query service
/// until the spans are complete, nothing changed for [`SETTLE`], or the deadline.
/// `wanted`: downstream calls expected per request, when the first request was sent (Unix
/// nanoseconds), the deadline.
pub async fn read_back(
    v: &Verify,
    sent: &[Sent],
    calls: &[Call],
    wanted: (usize, u64, Instant),
    store: &mut Store,
) -> Result<(), Fatal> {
    let (expect, since_unix_nano, deadline) = wanted;
    let mut traces: Vec<u128> = sent.iter().map(|s| s.trace_id).collect();
    for c in calls {
        if let Some(seen) = c.seen.filter(|s| !traces.contains(&s.trace_id)) {
            traces.push(seen.trace_id);
        }
    }
    let mut changed = Instant::now();
    loop {
        for &t in &traces {
            let left = deadline.saturating_duration_since(Instant::now());
            let found =
                verify::read_back(v, &format!("{t:032x}"), left.min(Duration::from_secs(1)))
                    .await
                    .map_err(|e| Fatal(format!("--query-url: {e}")))?;
            if let Some(set) = found
                && store.replace(&set)
            {
                changed = Instant::now();
            }
        }
        let inputs = Inputs {
            sent,
            store,
            spans_on: true,
            calls,
            since_unix_nano,
        };
        let hops = judge::assign(&inputs, expect);
        let settled =
            (store.received > 0 || !judge::spans_expected(sent)) && changed.elapsed() >= SETTLE;
        if judge::spans_complete(&inputs, &hops) || settled || Instant::now() >= deadline {
            return Ok(());
        }
        tokio::time::sleep(POLL * 5).await;
    }
}
