//! Is the local clock right: SNTP against a time server, and the `Date` header of the endpoints.

pub mod http_date;
pub mod ntp_offset;
