use std::time::SystemTime;

use futures_util::future::join_all;

use crate::checks::live;
use crate::checks::{Check, CheckFuture, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "CLK002",
    name: "clock-offset-http-date",
    family: Family::Clock,
    severity: Severity::Warning,
    title: "The local clock agrees with the endpoints' HTTP Date headers within 2 s",
    explanation: Explanation {
        checks: "The `Date` header of any HTTP response from the configured endpoints against the local clock \
                 at the middle of the exchange. `Date` has a one-second resolution, so only differences over \
                 2 s count.",
        why: "A coarse check when no NTP server is reachable: a clock seconds off from the collector's host \
              skews every span this host sends against the others.",
        fix: "Enable time synchronisation on whichever host is off: `timedatectl set-ntp true`, or chrony.",
        example: "tracectl doctor   # with a reachable OTLP/HTTP endpoint",
    },
    needs: Needs::Network,
    run: Run::Async(run),
};

const LIMIT_SECS: f64 = 2.0;

fn run(ctx: &Context) -> CheckFuture<'_> {
    Box::pin(async move {
        let targets = live::configured(ctx);
        let fps = join_all(
            targets
                .iter()
                .map(|c| ctx.probes.tcp(&c.target, ctx.live.probe_deadline)),
        )
        .await;
        let Some((fp, (server, local))) = fps.iter().find_map(|fp| fp.date().map(|d| (fp, d)))
        else {
            return Outcome::skip("no endpoint answered HTTP with a Date header");
        };
        let skew = seconds_between(server, local);
        let evidence = Evidence::new()
            .with("endpoint", fp.target.authority())
            .with("offset_s", (skew * 10.0).round() / 10.0);
        if skew.abs() <= LIMIT_SECS {
            return Outcome::Pass(evidence);
        }
        let direction = if skew > 0.0 { "behind" } else { "ahead of" };
        Outcome::Findings(vec![Draft::new(
            "clock",
            format!("The local clock is about {:.0} s {direction} {}'s HTTP Date header: one of the two clocks is off.", skew.abs(), fp.target.authority()),
            "Enable time synchronisation on both hosts (`timedatectl set-ntp true` or chrony), then run with --ntp-server to see which one is off.",
        )
        .evidence("endpoint", fp.target.authority())
        .evidence("offset_s", (skew * 10.0).round() / 10.0)])
    })
}

/// `server − local` in seconds; `Date` truncates to the second, so half a second is added.
fn seconds_between(server: SystemTime, local: SystemTime) -> f64 {
    let server = server
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
        + 0.5;
    let local = local
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    server - local
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{live_context, run_async};
    use crate::report::Outcome;

    async fn with_date(date: String) -> Outcome {
        let reply = format!("HTTP/1.1 404 Not Found\r\nDate: {date}\r\nContent-Length: 0\r\n\r\n");
        let addr =
            crate::probe::testing::replying(Box::leak(reply.into_boxed_str()).as_bytes()).await;
        let ctx = live_context(
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", &format!("http://{addr}"))],
            1000,
        );
        run_async(&super::CHECK, &ctx).await
    }

    fn imf(t: std::time::SystemTime) -> String {
        let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let days = secs / 86400;
        let (y, m, d) = civil(days as i64);
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!(
            "Mon, {d:02} {} {y} {:02}:{:02}:{:02} GMT",
            months[(m - 1) as usize],
            secs % 86400 / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }

    fn civil(z: i64) -> (i64, i64, i64) {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    #[tokio::test]
    async fn current_date_passes() {
        assert!(matches!(
            with_date(imf(std::time::SystemTime::now())).await,
            Outcome::Pass(_)
        ));
    }

    #[tokio::test]
    async fn a_date_a_minute_off_is_reported() {
        let off = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        let Outcome::Findings(f) = with_date(imf(off)).await else {
            panic!()
        };
        assert!(f[0].message.contains("behind"), "{}", f[0].message);
    }
}
