//! Does the port complete a TLS handshake? Certificates are not judged here (any is accepted):
//! the question is only whether the peer speaks TLS, and if not, what it sent instead.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::bytes::escape;
use super::{Deadline, before};

/// How a TLS handshake attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result")]
pub enum TlsProbe {
    /// Completed; the negotiated version and ALPN protocol.
    Handshake {
        version: String,
        alpn: Option<String>,
    },
    /// The peer answered, but not with a TLS handshake (or aborted it); `first_bytes` is what it
    /// sent (escaped), `error` what the TLS library said.
    Failed { error: String, first_bytes: Vec<u8> },
    /// The peer closed the connection without sending a byte.
    Closed,
    /// No complete handshake before the deadline.
    Timeout,
}

impl TlsProbe {
    pub fn completed(&self) -> bool {
        matches!(self, TlsProbe::Handshake { .. })
    }

    /// A one-line description for reports.
    pub fn describe(&self) -> String {
        match self {
            TlsProbe::Handshake { version, alpn } => match alpn {
                Some(a) => format!("TLS handshake completed ({version}, ALPN {a})"),
                None => format!("TLS handshake completed ({version})"),
            },
            TlsProbe::Failed { error, first_bytes } if first_bytes.is_empty() => {
                format!("TLS handshake failed: {error}")
            }
            TlsProbe::Failed { error, first_bytes } => format!(
                "TLS handshake failed: {error}; the server sent `{}`",
                escape(first_bytes)
            ),
            TlsProbe::Closed => "the server closed the connection during the TLS handshake".into(),
            TlsProbe::Timeout => "no TLS handshake before the deadline".into(),
        }
    }
}

/// Attempts a TLS handshake over `stream`, offering `alpn` (e.g. `h2`, `http/1.1`).
pub async fn handshake(
    stream: TcpStream,
    server_name: &str,
    alpn: &[&[u8]],
    deadline: Deadline,
) -> (TlsProbe, Option<TlsStream<Recorder<TcpStream>>>) {
    let config = match config(alpn) {
        Ok(c) => c,
        Err(e) => {
            let error = format!("cannot set up TLS: {e}");
            return (
                TlsProbe::Failed {
                    error,
                    first_bytes: Vec::new(),
                },
                None,
            );
        }
    };
    let connector = TlsConnector::from(Arc::new(config));
    let name = server_name_for(server_name);
    let recorder = Recorder::new(stream);
    let seen = Arc::clone(&recorder.seen);
    match before(deadline, connector.connect(name, recorder)).await {
        None => (TlsProbe::Timeout, None),
        Some(Ok(tls)) => {
            let (_, conn) = tls.get_ref();
            let version = conn
                .protocol_version()
                .and_then(|v| v.as_str())
                .unwrap_or("TLS")
                .to_string();
            let alpn = conn
                .alpn_protocol()
                .map(|p| String::from_utf8_lossy(p).into_owned());
            (TlsProbe::Handshake { version, alpn }, Some(tls))
        }
        Some(Err(e)) => {
            let first_bytes = seen.lock().map(|s| s.clone()).unwrap_or_default();
            let probe = if first_bytes.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof {
                TlsProbe::Closed
            } else {
                TlsProbe::Failed {
                    error: e.to_string(),
                    first_bytes,
                }
            };
            (probe, None)
        }
    }
}

fn server_name_for(host: &str) -> ServerName<'static> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(bare.to_string())
        .unwrap_or_else(|_| ServerName::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()))
}

fn config(alpn: &[&[u8]]) -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(config)
}

/// Accepts any certificate: this probe detects TLS, it does not authenticate the peer.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Keeps a copy of the first 64 bytes read through it, to show what a non-TLS peer sent.
pub struct Recorder<S> {
    inner: S,
    seen: Arc<std::sync::Mutex<Vec<u8>>>,
}

const RECORDED: usize = 64;

impl<S> Recorder<S> {
    fn new(inner: S) -> Self {
        Recorder {
            inner,
            seen: Arc::default(),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Recorder<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = poll {
            let new = &buf.filled()[before..];
            if let Ok(mut seen) = self.seen.lock() {
                let room = RECORDED.saturating_sub(seen.len());
                seen.extend_from_slice(&new[..new.len().min(room)]);
            }
        }
        poll
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Recorder<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::AsyncWriteExt;

    use super::*;

    #[tokio::test]
    async fn plaintext_http_server_is_not_tls() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        });
        let stream = TcpStream::connect(addr).await.unwrap();
        let deadline = Deadline::now() + Duration::from_secs(2);
        let (probe, _) = handshake(stream, "127.0.0.1", &[b"h2"], deadline).await;
        let TlsProbe::Failed { first_bytes, .. } = &probe else {
            panic!("{probe:?}")
        };
        assert!(first_bytes.starts_with(b"HTTP/1.1 400"));
        assert!(probe.describe().contains("HTTP/1.1 400"));
    }
}
