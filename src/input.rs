//! Files and standard input read with a size limit, and pipes or devices under a deadline: the
//! one way every file flag is read, so `/dev/zero` or a FIFO with no writer ends in an error
//! naming the file and the limit instead of filling memory or hanging (docs/limits.md).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How much of one kind of input tracectl reads, and what it calls that input in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bytes: u64,
    /// What the file is, as an error names it: "an env file".
    pub what: &'static str,
}

/// `--env-file`: 1 MiB, a thousand times the variables an app reads.
pub const ENV_FILE: Limit = Limit {
    bytes: 1 << 20,
    what: "an env file",
};

/// `--collector-config`: 4 MiB.
pub const COLLECTOR_CONFIG: Limit = Limit {
    bytes: 4 << 20,
    what: "a collector config",
};

/// `--spring-config` and the Java agent's configuration file: 1 MiB.
pub const APP_CONFIG: Limit = Limit {
    bytes: 1 << 20,
    what: "an application config file",
};

/// `doctor --k8s`: a manifest file or standard input.
pub const MANIFEST: Limit = Limit {
    bytes: 64 << 20,
    what: "a manifest file",
};

/// `doctor --compose`: a Compose file or the env files it names.
pub const COMPOSE_FILE: Limit = Limit {
    bytes: 4 << 20,
    what: "a Compose or env file",
};

/// `--ca-file`, `--client-cert`, `--client-key` and the OTEL_EXPORTER_OTLP_*CERTIFICATE/KEY
/// files: 1 MiB, a few thousand certificates.
pub const PEM: Limit = Limit {
    bytes: 1 << 20,
    what: "a PEM file",
};

/// `analyze`'s trace export, from a file or standard input: 256 MiB.
pub const TRACE_EXPORT: Limit = Limit {
    bytes: 256 << 20,
    what: "a trace export",
};

/// How long a pipe or device may stay silent before its first byte (or end): a FIFO nobody
/// writes to is an error after this, not a hang.
pub const FIRST_BYTE_WAIT: Duration = Duration::from_secs(10);

/// `n` bytes in words: "1 MiB".
pub fn size(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

/// The error for input beyond `limit`; the caller names the file.
fn too_large(limit: Limit) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "it is larger than {}, the most tracectl reads from {} (docs/limits.md)",
            size(limit.bytes),
            limit.what
        ),
    )
}

/// Reads the whole file at `path`, at most `limit.bytes`. A regular file larger than that is
/// refused before it is read; a pipe or device is read on a thread and refused when nothing
/// arrives within [`FIRST_BYTE_WAIT`]. The errors are sentences; the caller names the path.
pub fn read_file(path: &Path, limit: Limit) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::ErrorKind::IsADirectory.into());
    }
    if meta.is_file() {
        if meta.len() > limit.bytes {
            return Err(too_large(limit));
        }
        // Sized to the file (and one byte to see its end) so a large file is read without
        // the doubling of a growing buffer.
        let capacity = usize::try_from(meta.len()).map_or(0, |n| n.saturating_add(1));
        return read_into(File::open(path)?, limit, Vec::with_capacity(capacity));
    }
    read_special(path, limit)
}

/// Reads `r` to its end, refusing more than `limit.bytes`.
pub fn read_bounded(r: impl Read, limit: Limit) -> io::Result<Vec<u8>> {
    read_into(r, limit, Vec::new())
}

fn read_into(r: impl Read, limit: Limit, mut bytes: Vec<u8>) -> io::Result<Vec<u8>> {
    r.take(limit.bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// A pipe, FIFO or device read whole, at most `limit.bytes`.
fn read_special(path: &Path, limit: Limit) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    Bounded::new(open_special(path)?, limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A pipe, FIFO or device as a stream: opening a FIFO blocks until a writer comes, so the open
/// and the first read happen on a thread, and the first byte (or the end) must come within
/// [`FIRST_BYTE_WAIT`]; the rest is read as it comes.
fn open_special(path: &Path) -> io::Result<io::Chain<io::Cursor<Vec<u8>>, File>> {
    let (tx, rx) = mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let opened = File::open(&path).and_then(|mut file| {
            let mut first = [0u8; 1];
            let n = file.read(&mut first)?;
            Ok((first[..n].to_vec(), file))
        });
        let _ = tx.send(opened);
    });
    match rx.recv_timeout(FIRST_BYTE_WAIT) {
        Ok(opened) => opened.map(|(first, file)| io::Cursor::new(first).chain(file)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(io::ErrorKind::UnexpectedEof.into()),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!(
                "it is a pipe or device and nothing arrived from it within {}s (a FIFO with no \
                 writer?)",
                FIRST_BYTE_WAIT.as_secs()
            ),
        )),
    }
}

/// A reader that fails with the limit's error once more than `limit.bytes` were read from it:
/// standard input and big files are read as a stream, never held whole.
pub struct Bounded<R> {
    inner: R,
    left: u64,
    limit: Limit,
}

impl<R: Read> Bounded<R> {
    pub fn new(inner: R, limit: Limit) -> Bounded<R> {
        Bounded {
            inner,
            left: limit.bytes,
            limit,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(too_large(self.limit)),
            };
        }
        let room = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..room])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Opens `path` as a bounded stream: a regular file larger than the limit is refused before it
/// is read; a pipe or device is streamed once its first byte came (under [`FIRST_BYTE_WAIT`]).
pub fn open(path: &Path, limit: Limit) -> io::Result<Box<dyn Read>> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        if meta.len() > limit.bytes {
            return Err(too_large(limit));
        }
        return Ok(Box::new(Bounded::new(File::open(path)?, limit)));
    }
    if meta.is_dir() {
        return Err(io::ErrorKind::IsADirectory.into());
    }
    Ok(Box::new(Bounded::new(open_special(path)?, limit)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limit = Limit {
        bytes: 8,
        what: "a test file",
    };

    #[test]
    fn sizes_read_as_words() {
        assert_eq!(size(1 << 20), "1 MiB");
        assert_eq!(size(256 << 20), "256 MiB");
        assert_eq!(size(16 << 10), "16 KiB");
        assert_eq!(size(100), "100 bytes");
    }

    #[test]
    fn files_up_to_the_limit_are_read_and_larger_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok");
        std::fs::write(&ok, b"12345678").unwrap();
        assert_eq!(read_file(&ok, SMALL).unwrap(), b"12345678");
        let big = dir.path().join("big");
        std::fs::write(&big, b"123456789").unwrap();
        let err = read_file(&big, SMALL).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert!(
            err.to_string()
                .contains("larger than 8 bytes, the most tracectl reads from a test file")
        );
        assert_eq!(
            read_file(dir.path(), SMALL).unwrap_err().kind(),
            io::ErrorKind::IsADirectory
        );
    }

    #[test]
    fn endless_devices_stop_at_the_limit() {
        let err = read_file(Path::new("/dev/zero"), SMALL).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(read_file(Path::new("/dev/null"), SMALL).unwrap(), b"");
    }

    #[test]
    fn streams_fail_past_the_limit_and_not_before() {
        let mut out = Vec::new();
        Bounded::new(&b"12345678"[..], SMALL)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"12345678");
        let err = Bounded::new(&b"123456789"[..], SMALL)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
    }
}
