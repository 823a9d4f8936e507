//! A bound on the TCP connections each listener holds open at once. A connection over the limit
//! is closed as soon as it is accepted and counted ([`Sink::refuse_connection`]), so a sender that
//! opens connections without end cannot exhaust listen's file descriptors or memory.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tonic::transport::server::TcpConnectInfo;

use super::sink::Sink;

/// An accepted connection; its slot under the limit is freed when it is dropped.
#[derive(Debug)]
pub struct Limited {
    stream: TcpStream,
    _slot: OwnedSemaphorePermit,
}

impl Limited {
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }
}

/// A TCP listener that holds at most `max` connections open.
#[derive(Debug)]
pub struct LimitedListener {
    tcp: TcpListener,
    slots: Arc<Semaphore>,
    sink: Sink,
}

impl LimitedListener {
    pub fn new(tcp: TcpListener, max: usize, sink: Sink) -> LimitedListener {
        LimitedListener {
            tcp,
            slots: Arc::new(Semaphore::new(max.max(1))),
            sink,
        }
    }

    /// The next connection under the limit; those over it are closed and counted meanwhile.
    pub async fn next(&self) -> (Limited, SocketAddr) {
        loop {
            let (stream, peer) = match self.tcp.accept().await {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Out of file descriptors or a connection reset before accept: try again.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            };
            match self.slots.clone().try_acquire_owned() {
                Ok(slot) => {
                    let _ = stream.set_nodelay(true);
                    return (
                        Limited {
                            stream,
                            _slot: slot,
                        },
                        peer,
                    );
                }
                Err(_) => {
                    self.sink.refuse_connection();
                    drop(stream);
                }
            }
        }
    }
}

impl axum::serve::Listener for LimitedListener {
    type Io = Limited;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Limited, SocketAddr) {
        self.next().await
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// The sender's address, as the HTTP handlers see it.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl Connected<IncomingStream<'_, LimitedListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, LimitedListener>) -> Peer {
        Peer(*stream.remote_addr())
    }
}

impl tonic::transport::server::Connected for Limited {
    type ConnectInfo = TcpConnectInfo;

    fn connect_info(&self) -> TcpConnectInfo {
        self.stream.connect_info()
    }
}

impl AsyncRead for Limited {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Limited {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
