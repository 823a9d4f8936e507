//! The `--downstream` recorder: an HTTP/1.1 server that answers 200 to any method and path and
//! records the headers of every request. Everything is bounded: a request head over
//! [`MAX_HEAD`] is refused (431) and counted, at most [`MAX_HEADERS`] headers and
//! [`MAX_VALUE`] bytes of each value are kept, at most [`MAX_RECORDS`] requests are kept (the
//! rest are counted), and at most [`MAX_CONNECTIONS`] connections are served at once.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// The largest request head (request line and headers) read.
pub const MAX_HEAD: usize = 64 * 1024;
/// Headers kept per request.
pub const MAX_HEADERS: usize = 64;
/// Bytes kept of each header value.
pub const MAX_VALUE: usize = 4096;
/// Requests whose headers are kept.
pub const MAX_RECORDS: usize = 1000;
/// Request bodies are read and thrown away up to this size; a larger one closes the connection.
const MAX_BODY: u64 = 1024 * 1024;
const MAX_CONNECTIONS: usize = 64;
/// A connection idle this long is closed.
const IDLE: Duration = Duration::from_secs(10);

/// One request the service made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub at: Instant,
    pub method: String,
    pub path: String,
    /// Names in lower case, values as sent (cut at [`MAX_VALUE`]).
    pub headers: Vec<(String, String)>,
    /// Some headers or values were left out.
    pub truncated: bool,
}

/// What the recorder saw.
#[derive(Debug, Default)]
pub struct Recorded {
    pub records: Vec<Record>,
    /// Every request answered, kept or not.
    pub requests: u64,
    /// Requests whose head was over [`MAX_HEAD`] (refused with 431).
    pub oversize: u64,
    /// Requests that were not HTTP/1.x.
    pub malformed: u64,
    /// Connections closed at once because [`MAX_CONNECTIONS`] were open.
    pub refused_connections: u64,
}

/// The running recorder: its address and what it saw.
#[derive(Debug, Clone)]
pub struct Recorder {
    pub address: SocketAddr,
    seen: Arc<Mutex<Recorded>>,
}

impl Recorder {
    /// Binds `address` and serves until the runtime stops.
    pub async fn start(address: SocketAddr) -> std::io::Result<Recorder> {
        let tcp = TcpListener::bind(address).await?;
        let recorder = Recorder {
            address: tcp.local_addr()?,
            seen: Arc::default(),
        };
        tokio::spawn(accept(tcp, recorder.clone()));
        Ok(recorder)
    }

    /// The URL the service should call.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    fn with<T>(&self, f: impl FnOnce(&mut Recorded) -> T) -> T {
        let mut guard = match self.seen.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }

    /// A copy of what was recorded so far.
    pub fn snapshot(&self) -> (Vec<Record>, Counts) {
        self.with(|r| {
            (
                r.records.clone(),
                Counts {
                    requests: r.requests,
                    oversize: r.oversize,
                    malformed: r.malformed,
                    refused_connections: r.refused_connections,
                    kept: r.records.len() as u64,
                },
            )
        })
    }
}

/// The recorder's counters, for the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub requests: u64,
    pub kept: u64,
    pub oversize: u64,
    pub malformed: u64,
    pub refused_connections: u64,
}

async fn accept(tcp: TcpListener, recorder: Recorder) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok((stream, _)) = tcp.accept().await else {
            continue;
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            recorder.with(|r| r.refused_connections += 1);
            continue;
        };
        let recorder = recorder.clone();
        tokio::spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(60), serve(stream, &recorder)).await;
            drop(slot);
        });
    }
}

/// What one request head said.
enum Head {
    Request {
        record: Record,
        body: u64,
        chunked: bool,
        close: bool,
    },
    Oversize,
    Malformed,
}

fn parse(buf: &[u8]) -> Option<(usize, Head)> {
    let mut headers = [httparse::EMPTY_HEADER; 256];
    let mut req = httparse::Request::new(&mut headers);
    let used = match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return None,
        Err(httparse::Error::TooManyHeaders) => return Some((buf.len(), Head::Oversize)),
        Err(_) => return Some((buf.len(), Head::Malformed)),
    };
    let mut record = Record {
        at: Instant::now(),
        method: req.method.unwrap_or_default().to_owned(),
        path: req.path.unwrap_or_default().chars().take(512).collect(),
        headers: Vec::new(),
        truncated: false,
    };
    let (mut body, mut chunked, mut close) = (0, false, req.version == Some(0));
    for h in req.headers.iter() {
        let name = h.name.to_ascii_lowercase();
        let value = String::from_utf8_lossy(h.value);
        match name.as_str() {
            "content-length" => body = value.trim().parse().unwrap_or(u64::MAX),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            _ => {}
        }
        if record.headers.len() >= MAX_HEADERS {
            record.truncated = true;
            continue;
        }
        let mut value = value.into_owned();
        if value.len() > MAX_VALUE {
            let mut cut = MAX_VALUE;
            while !value.is_char_boundary(cut) {
                cut -= 1;
            }
            value.truncate(cut);
            record.truncated = true;
        }
        record.headers.push((name, value));
    }
    Some((
        used,
        Head::Request {
            record,
            body,
            chunked,
            close,
        },
    ))
}

const OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\n\r\nok\n";
const OK_CLOSE: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n";
const TOO_LARGE: &[u8] =
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
const BAD: &[u8] = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// Serves one connection: requests one after another until it closes.
async fn serve(mut stream: TcpStream, recorder: &Recorder) {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        let head = loop {
            if let Some(parsed) = parse(&buf) {
                break Some(parsed);
            }
            if buf.len() >= MAX_HEAD {
                break Some((buf.len(), Head::Oversize));
            }
            let mut chunk = [0u8; 8192];
            let room = (MAX_HEAD - buf.len()).min(chunk.len());
            match tokio::time::timeout(IDLE, stream.read(&mut chunk[..room])).await {
                Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
                _ => break None,
            }
        };
        let Some((used, head)) = head else { return };
        buf.drain(..used.min(buf.len()));
        match head {
            Head::Oversize => {
                recorder.with(|r| r.oversize += 1);
                let _ = stream.write_all(TOO_LARGE).await;
                return;
            }
            Head::Malformed => {
                recorder.with(|r| r.malformed += 1);
                let _ = stream.write_all(BAD).await;
                return;
            }
            Head::Request {
                record,
                body,
                chunked,
                close,
            } => {
                recorder.with(|r| {
                    r.requests += 1;
                    if r.records.len() < MAX_RECORDS {
                        r.records.push(record);
                    }
                });
                let close = close || chunked || body > MAX_BODY;
                if !close && !skip_body(&mut stream, &mut buf, body).await {
                    return;
                }
                let answer = if close { OK_CLOSE } else { OK };
                if stream.write_all(answer).await.is_err() || close {
                    return;
                }
            }
        }
    }
}

/// Reads and drops `len` body bytes (some may already be in `buf`).
async fn skip_body(stream: &mut TcpStream, buf: &mut Vec<u8>, len: u64) -> bool {
    let have = (buf.len() as u64).min(len);
    buf.drain(..have as usize);
    let mut left = len - have;
    let mut chunk = [0u8; 8192];
    while left > 0 {
        let room = (left as usize).min(chunk.len());
        match tokio::time::timeout(IDLE, stream.read(&mut chunk[..room])).await {
            Ok(Ok(n)) if n > 0 => left -= n as u64,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_and_cut() {
        let long = "x".repeat(MAX_VALUE + 10);
        let text = format!("GET /a HTTP/1.1\r\nHost: h\r\nTraceparent: 1\r\nX-Big: {long}\r\n\r\n");
        let Some((used, Head::Request { record, .. })) = parse(text.as_bytes()) else {
            panic!("not parsed");
        };
        assert_eq!(used, text.len());
        assert_eq!(record.headers[1], ("traceparent".into(), "1".into()));
        assert_eq!(record.headers[2].1.len(), MAX_VALUE);
        assert!(record.truncated);
        assert!(parse(b"GET / HTTP/1.1\r\nHost").is_none());
        assert!(matches!(
            parse(b"\x16\x03\x01garbage\r\n\r\n"),
            Some((_, Head::Malformed))
        ));
    }
}
