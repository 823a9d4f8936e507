//! Name resolution through hickory-resolver with the system configuration (`/etc/resolv.conf`,
//! `/etc/hosts`). IP literals are returned as they are.

use std::net::IpAddr;

use hickory_resolver::Resolver;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use serde::Serialize;

use super::{Deadline, before};

/// What resolving a host name gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result", content = "detail")]
pub enum Resolution {
    /// The addresses, in the resolver's order (IP literals: that one address).
    Addrs(Vec<IpAddr>),
    /// NXDOMAIN: the name does not exist.
    NotFound,
    /// The name exists but has no A/AAAA record.
    NoAddress,
    /// No answer before the deadline.
    Timeout,
    /// Any other failure (no resolver configured, server failure…), as the resolver said it.
    Failed(String),
}

impl Resolution {
    pub fn addrs(&self) -> &[IpAddr] {
        match self {
            Resolution::Addrs(a) => a,
            _ => &[],
        }
    }
}

/// Resolves `host` (a name, an IPv4 literal, or an IPv6 literal with or without brackets).
pub async fn resolve(host: &str, deadline: Deadline) -> Resolution {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Resolution::Addrs(vec![ip]);
    }
    let resolver = match Resolver::builder_tokio().and_then(|b| b.build()) {
        Ok(r) => r,
        Err(e) => {
            return Resolution::Failed(format!(
                "cannot read the system resolver configuration: {e}"
            ));
        }
    };
    match before(deadline, resolver.lookup_ip(bare)).await {
        None => Resolution::Timeout,
        Some(Ok(found)) => {
            let addrs: Vec<IpAddr> = found.iter().collect();
            if addrs.is_empty() {
                Resolution::NoAddress
            } else {
                Resolution::Addrs(addrs)
            }
        }
        Some(Err(e)) => from_error(&e),
    }
}

fn from_error(e: &NetError) -> Resolution {
    match e {
        NetError::Dns(DnsError::NoRecordsFound(no))
            if no.response_code == ResponseCode::NXDomain =>
        {
            Resolution::NotFound
        }
        NetError::Dns(DnsError::NoRecordsFound(_)) => Resolution::NoAddress,
        NetError::Timeout => Resolution::Timeout,
        other => Resolution::Failed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn literals_skip_the_resolver() {
        let deadline = Deadline::now() + Duration::from_secs(1);
        assert_eq!(
            resolve("127.0.0.1", deadline).await,
            Resolution::Addrs(vec!["127.0.0.1".parse().unwrap()])
        );
        assert_eq!(resolve("[::1]", deadline).await.addrs().len(), 1);
    }

    #[tokio::test]
    async fn invalid_tld_does_not_resolve() {
        let deadline = Deadline::now() + Duration::from_millis(1500);
        let r = resolve("no-such-host.invalid", deadline).await;
        assert!(r.addrs().is_empty(), "{r:?}");
    }
}
