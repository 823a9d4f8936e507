//! A bound on the TCP connections each listener holds open, and on how long they may hold a slot
//! without progress. A connection that sends no request within the head timeout, or nothing for
//! the idle timeout after one, is closed. When the listener is full, the connection that made
//! progress least recently (for at least [`EVICT_AFTER`]) is closed to make room, so silent or
//! slow connections cannot lock out a sender that sends; only when every connection is busy is
//! the new one closed as soon as it is accepted and counted ([`Sink::refuse_connection`]).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

use super::conn::{ConnState, Timeouts};
use super::sink::Sink;

/// How long a connection must have gone without progress before it may be closed to make room.
pub const EVICT_AFTER: Duration = Duration::from_secs(1);
/// How long a new connection waits for the slot of the one closed to make room.
const EVICT_WAIT: Duration = Duration::from_secs(1);

/// An accepted connection; its slot under the limit is freed when it is dropped.
#[derive(Debug)]
pub struct Limited {
    stream: TcpStream,
    _slot: OwnedSemaphorePermit,
    state: Arc<ConnState>,
    timeouts: Timeouts,
    timer: Pin<Box<Sleep>>,
    sink: Sink,
    peer: SocketAddr,
}

impl Limited {
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    pub fn state(&self) -> &Arc<ConnState> {
        &self.state
    }

    /// An error once the connection was asked to close or went past its deadline.
    fn check(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        if self.state.closing() {
            return Some(io::ErrorKind::ConnectionAborted.into());
        }
        let deadline = self.state.deadline(self.timeouts);
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        if self.timer.as_mut().poll(cx).is_ready() {
            self.sink.close_idle();
            self.state.close();
            return Some(io::ErrorKind::TimedOut.into());
        }
        self.state.park(cx.waker());
        None
    }
}

/// A TCP listener that holds at most `max` connections open.
#[derive(Debug)]
pub struct LimitedListener {
    tcp: TcpListener,
    slots: Arc<Semaphore>,
    conns: Mutex<Vec<Weak<ConnState>>>,
    timeouts: Timeouts,
    sink: Sink,
}

impl LimitedListener {
    pub fn new(tcp: TcpListener, max: usize, timeouts: Timeouts, sink: Sink) -> LimitedListener {
        LimitedListener {
            tcp,
            slots: Arc::new(Semaphore::new(max.max(1))),
            conns: Mutex::new(Vec::new()),
            timeouts,
            sink,
        }
    }

    /// Closes the open connection that made progress least recently, if it has been without
    /// progress for [`EVICT_AFTER`]; `true` when one was.
    fn evict(&self) -> bool {
        let Ok(mut conns) = self.conns.lock() else {
            return false;
        };
        conns.retain(|c| c.upgrade().is_some_and(|c| !c.closing()));
        let now = Instant::now();
        let oldest = conns
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|c| now.saturating_duration_since(c.progress()) >= EVICT_AFTER)
            .min_by_key(|c| c.progress());
        oldest.is_some_and(|c| {
            c.close();
            self.sink.close_idle();
            true
        })
    }

    async fn slot(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(slot) = self.slots.clone().try_acquire_owned() {
            return Some(slot);
        }
        if !self.evict() {
            return None;
        }
        tokio::time::timeout(EVICT_WAIT, self.slots.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
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
            let Some(slot) = self.slot().await else {
                self.sink.refuse_connection();
                drop(stream);
                continue;
            };
            let _ = stream.set_nodelay(true);
            let state = ConnState::new();
            if let Ok(mut conns) = self.conns.lock() {
                conns.push(Arc::downgrade(&state));
            }
            let deadline = state.deadline(self.timeouts);
            return (
                Limited {
                    stream,
                    _slot: slot,
                    state,
                    timeouts: self.timeouts,
                    timer: Box::pin(tokio::time::sleep_until(deadline)),
                    sink: self.sink.clone(),
                    peer,
                },
                peer,
            );
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

/// The sender's address and its connection, as the handlers see them.
#[derive(Debug, Clone)]
pub struct Peer {
    pub addr: SocketAddr,
    pub conn: Arc<ConnState>,
}

impl Connected<IncomingStream<'_, LimitedListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, LimitedListener>) -> Peer {
        Peer {
            addr: *stream.remote_addr(),
            conn: stream.io().state.clone(),
        }
    }
}

impl tonic::transport::server::Connected for Limited {
    type ConnectInfo = Peer;

    fn connect_info(&self) -> Peer {
        Peer {
            addr: self.peer,
            conn: self.state.clone(),
        }
    }
}

impl AsyncRead for Limited {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.stream).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() > before => {
                if self.state.closing() {
                    return Poll::Ready(Err(io::ErrorKind::ConnectionAborted.into()));
                }
                // Bytes that never make a request do not extend the head deadline.
                let now = Instant::now();
                if now >= self.state.deadline(self.timeouts) {
                    self.sink.close_idle();
                    self.state.close();
                    return Poll::Ready(Err(io::ErrorKind::TimedOut.into()));
                }
                self.state.read(now);
                Poll::Ready(Ok(()))
            }
            Poll::Pending => match self.check(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
            ready => ready,
        }
    }
}

impl AsyncWrite for Limited {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.state.closing() {
            return Poll::Ready(Err(io::ErrorKind::ConnectionAborted.into()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.state.closing() {
            return Poll::Ready(Err(io::ErrorKind::ConnectionAborted.into()));
        }
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
