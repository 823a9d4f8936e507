//! One HTTP/1.1 request and its response, over any stream, with bounded reads: the head is read up
//! to 16 KiB, the body up to 8 KiB (and for at most 300 ms once the head has arrived). Never
//! follows redirects. Bytes that are not an HTTP/1.x response are returned as they came.

use std::time::{Duration, SystemTime};

use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::{Deadline, before};

const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 8 * 1024;
const BODY_WAIT: Duration = Duration::from_millis(300);

/// A request to send. `Connection: close` and `Content-Length` are always added.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// The `Host` header value (`host:port`).
    pub host: &'a str,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// A parsed HTTP/1.x response head and the start of its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    /// `HTTP/1.1`, `HTTP/1.0`…
    pub version: String,
    pub status: u16,
    pub reason: String,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// At most 8 KiB of the body.
    #[serde(skip)]
    pub body: Vec<u8>,
    /// Whether more body followed (or the server kept sending) past what was read.
    pub body_truncated: bool,
    /// When the request was sent and when the head arrived (for the `Date` header).
    #[serde(skip)]
    pub sent_at: SystemTime,
    #[serde(skip)]
    pub received_at: SystemTime,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn status_line(&self) -> String {
        format!("{} {} {}", self.version, self.status, self.reason)
            .trim_end()
            .to_string()
    }

    /// The body start as text, for messages (first line, at most 120 characters).
    pub fn body_text(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        text.lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(120)
            .collect()
    }
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result")]
pub enum Reply {
    Http(Response),
    /// Bytes that do not start an HTTP/1.x response (at most 64 kept).
    NotHttp {
        first_bytes: Vec<u8>,
    },
    /// An HTTP/1.x status line whose head never ended: more than 16 KiB of header lines, or
    /// the deadline or the connection's end came first.
    UnfinishedHead {
        /// The status line as sent (at most 120 characters).
        status_line: String,
        /// Bytes of head received.
        bytes: usize,
        cut: HeadCut,
    },
    /// The server closed the connection without answering.
    Closed,
    /// The connection was reset.
    Reset,
    /// Nothing arrived before the deadline.
    Silent,
    /// Writing the request failed, or another I/O error, as the OS said it.
    Failed {
        error: String,
    },
}

/// What ended an unfinished head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeadCut {
    /// [`MAX_HEAD`] bytes arrived without the blank line that ends a head.
    TooLong,
    /// The deadline passed while header lines were still arriving (or had stopped).
    Deadline,
    /// The server closed the connection in the middle of the head.
    Closed,
}

/// The most bytes of a response head that are read: 16 KiB.
pub const HEAD_LIMIT: usize = MAX_HEAD;

impl Reply {
    pub fn response(&self) -> Option<&Response> {
        match self {
            Reply::Http(r) => Some(r),
            _ => None,
        }
    }
}

/// Sends `req` on `stream` and reads the response.
pub async fn exchange<S>(mut stream: S, req: &Request<'_>, deadline: Deadline) -> Reply
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: tracectl/{}\r\nAccept: */*\r\nConnection: close\r\nContent-Length: {}\r\n",
        req.method,
        req.path,
        req.host,
        env!("CARGO_PKG_VERSION"),
        req.body.len()
    );
    if let Some(ct) = req.content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    let sent_at = SystemTime::now();
    let mut wire = head.into_bytes();
    wire.extend_from_slice(req.body);
    match before(deadline, stream.write_all(&wire)).await {
        None => return Reply::Silent,
        Some(Err(e)) => return io_reply(&e, &[]),
        Some(Ok(())) => {}
    }
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            break end + 4;
        }
        if buf.len() >= 5 && !buf.starts_with(b"HTTP/") {
            return Reply::NotHttp {
                first_bytes: keep(&buf),
            };
        }
        if buf.len() >= MAX_HEAD {
            return unfinished(&buf, HeadCut::TooLong);
        }
        match before(deadline, stream.read(&mut chunk)).await {
            None if buf.is_empty() => return Reply::Silent,
            None => return unfinished(&buf, HeadCut::Deadline),
            Some(Ok(0)) if buf.is_empty() => return Reply::Closed,
            Some(Ok(0)) => return unfinished(&buf, HeadCut::Closed),
            Some(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
            Some(Err(e)) => return io_reply(&e, &buf),
        }
    };
    let received_at = SystemTime::now();
    let Some(mut response) = parse_head(&buf[..head_end], sent_at, received_at) else {
        return Reply::NotHttp {
            first_bytes: keep(&buf),
        };
    };
    let mut body = buf[head_end..].to_vec();
    let wanted = response
        .header("content-length")
        .and_then(|v| v.trim().parse::<usize>().ok());
    let body_deadline = deadline.min(Deadline::now() + BODY_WAIT);
    let mut ended = false;
    while body.len() < MAX_BODY && wanted.is_none_or(|w| body.len() < w) {
        match before(body_deadline, stream.read(&mut chunk)).await {
            Some(Ok(n)) if n > 0 => body.extend_from_slice(&chunk[..n]),
            Some(Ok(_)) | Some(Err(_)) => {
                ended = true;
                break;
            }
            None => break,
        }
    }
    let complete = ended || wanted.is_some_and(|w| body.len() >= w);
    response.body_truncated = !complete || wanted.is_some_and(|w| body.len() > w.min(MAX_BODY));
    body.truncate(MAX_BODY);
    if let Some(w) = wanted {
        body.truncate(w);
    }
    response.body = body;
    Reply::Http(response)
}

/// A head cut short by `cut`: [`Reply::UnfinishedHead`] when it starts with a status line,
/// else the bytes as they came.
fn unfinished(buf: &[u8], cut: HeadCut) -> Reply {
    let first_line = buf.split(|&b| b == b'\n').next().unwrap_or_default();
    if !buf.starts_with(b"HTTP/") || first_line.len() == buf.len() {
        return Reply::NotHttp {
            first_bytes: keep(buf),
        };
    }
    Reply::UnfinishedHead {
        status_line: String::from_utf8_lossy(first_line)
            .trim_end()
            .chars()
            .take(120)
            .collect(),
        bytes: buf.len(),
        cut,
    }
}

fn keep(buf: &[u8]) -> Vec<u8> {
    buf[..buf.len().min(64)].to_vec()
}

fn io_reply(e: &std::io::Error, buf: &[u8]) -> Reply {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionReset | ConnectionAborted | BrokenPipe if buf.is_empty() => Reply::Reset,
        _ if !buf.is_empty() => Reply::NotHttp {
            first_bytes: keep(buf),
        },
        _ => Reply::Failed {
            error: e.to_string(),
        },
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &[u8], sent_at: SystemTime, received_at: SystemTime) -> Option<Response> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next()?.to_string();
    let status = parts.next()?.parse::<u16>().ok()?;
    let reason = parts.next().unwrap_or("").to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Response {
        version,
        status,
        reason,
        headers,
        body: Vec::new(),
        body_truncated: false,
        sent_at,
        received_at,
    })
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form servers send in `Date`.
pub fn parse_http_date(value: &str) -> Option<SystemTime> {
    let rest = value.trim().split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: u64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT"
        || !(1..=31).contains(&day)
        || h > 23
        || m > 59
        || s > 60
        || year < 1970
    {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    let secs = days.checked_mul(86_400)? + h * 3600 + m * 60 + s;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u64, day: u64) -> Option<u64> {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + i64::try_from(doy).ok()?;
    u64::try_from(era * 146_097 + doe - 719_468).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_imf_fixdate() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            784_111_777
        );
        assert!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT").is_none());
        assert!(parse_http_date("garbage").is_none());
        assert!(parse_http_date("Sun, 99 Nov 1994 08:49:37 GMT").is_none());
    }

    async fn serve(reply: &'static [u8]) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut b = [0u8; 1024];
            let _ = s.read(&mut b).await;
            let _ = s.write_all(reply).await;
        });
        addr
    }

    fn get() -> Request<'static> {
        Request {
            method: "GET",
            path: "/",
            host: "x",
            content_type: None,
            body: b"",
        }
    }

    #[tokio::test]
    async fn reads_status_headers_and_bounded_body() {
        let addr = serve(b"HTTP/1.1 404 Not Found\r\nContent-Length: 19\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n404 page not found\n").await;
        let s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let deadline = Deadline::now() + Duration::from_secs(2);
        let Reply::Http(r) = exchange(s, &get(), deadline).await else {
            panic!()
        };
        assert_eq!(r.status, 404);
        assert_eq!(r.body_text(), "404 page not found");
        assert!(!r.body_truncated);
        assert!(r.header("DATE").is_some());
    }

    #[tokio::test]
    async fn endless_header_lines_are_a_head_too_long() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\n").await;
            while s.write_all(b"X-Filler: 0123456789\r\n").await.is_ok() {}
        });
        let s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let deadline = Deadline::now() + Duration::from_secs(2);
        let reply = exchange(s, &get(), deadline).await;
        let Reply::UnfinishedHead {
            status_line,
            bytes,
            cut,
        } = reply
        else {
            panic!("{reply:?}")
        };
        assert_eq!(status_line, "HTTP/1.1 200 OK");
        assert!(bytes >= HEAD_LIMIT);
        assert_eq!(cut, HeadCut::TooLong);
    }

    #[tokio::test]
    async fn a_head_cut_by_the_deadline_says_so() {
        let addr = serve(b"HTTP/1.1 200 OK\r\nX-A: 1\r\n").await;
        let s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let deadline = Deadline::now() + Duration::from_millis(300);
        let reply = exchange(s, &get(), deadline).await;
        assert!(
            matches!(
                reply,
                Reply::UnfinishedHead {
                    cut: HeadCut::Deadline | HeadCut::Closed,
                    ..
                }
            ),
            "{reply:?}"
        );
    }

    #[tokio::test]
    async fn h2_settings_frame_is_not_http1() {
        let addr = serve(&[0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0x40, 0]).await;
        let s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let deadline = Deadline::now() + Duration::from_secs(2);
        let reply = exchange(s, &get(), deadline).await;
        assert!(
            matches!(reply, Reply::NotHttp { ref first_bytes } if first_bytes[3] == 4),
            "{reply:?}"
        );
    }
}
