//! Can the endpoints be reached at all: DNS, TCP, TLS, a first byte; proxies; the port scan.

pub mod endpoint_reachable;
pub mod proxy_variables;
pub mod scan;
