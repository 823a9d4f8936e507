//! Reads lines in big chunks with bounded memory: a line longer than [`MAX_LINE`] is skipped and
//! reported by its length, never buffered whole.

use std::io::{self, Read};

/// The longest line that is decoded: 1 MiB.
pub const MAX_LINE: usize = 1 << 20;
/// A line still without a newline after this many bytes ends the read with an error: no text of
/// headers has one, and endless input (`< /dev/zero`) must end: 64 MiB.
pub const GIVE_UP: usize = 64 << 20;
/// Bytes read at a time; the buffer holds one maximal line plus one chunk.
const CHUNK: usize = 64 * 1024;

/// What the reader hands on: a line without its `\n`, or the length of a line it skipped.
pub enum Chunk<'a> {
    Line(&'a [u8]),
    TooLong(usize),
}

/// Calls `f` for every line of `r`, in order.
pub fn for_each_line<R, F>(mut r: R, mut f: F) -> io::Result<()>
where
    R: Read,
    F: FnMut(Chunk<'_>) -> io::Result<()>,
{
    let mut buf = vec![0u8; MAX_LINE + CHUNK];
    let (mut start, mut end) = (0, 0);
    let mut skipped: Option<usize> = None;
    loop {
        while let Some(i) = memchr::memchr(b'\n', &buf[start..end]) {
            match skipped.take() {
                Some(len) => f(Chunk::TooLong(len + i))?,
                None if i > MAX_LINE => f(Chunk::TooLong(i))?,
                None => f(Chunk::Line(&buf[start..start + i]))?,
            }
            start += i + 1;
        }
        let rest = end - start;
        if let Some(len) = skipped.as_mut() {
            *len += rest;
            start = end;
            if *len > GIVE_UP {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a line runs past 64 MiB without a newline: the input is not text of \
                     headers; pipe in one header per line (docs/limits.md)",
                ));
            }
        } else if rest > MAX_LINE {
            skipped = Some(rest);
            start = end;
        }
        buf.copy_within(start..end, 0);
        end -= start;
        start = 0;
        let n = match r.read(&mut buf[end..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let why = crate::text::io_reason(&e);
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot read the input: {why}; pipe in text, one header per line"),
                ));
            }
        };
        if n == 0 {
            return match skipped {
                Some(len) => f(Chunk::TooLong(len + end)),
                None if end > MAX_LINE => f(Chunk::TooLong(end)),
                None if end > 0 => f(Chunk::Line(&buf[..end])),
                None => Ok(()),
            };
        }
        end += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<Result<Vec<u8>, usize>> {
        let mut seen = Vec::new();
        let result = for_each_line(input, |c| {
            seen.push(match c {
                Chunk::Line(l) => Ok(l.to_vec()),
                Chunk::TooLong(n) => Err(n),
            });
            Ok(())
        });
        assert!(result.is_ok());
        seen
    }

    #[test]
    fn splits_lines_and_keeps_the_last_one_without_newline() {
        assert_eq!(
            lines(b"a\n\nbc\nd"),
            vec![
                Ok(b"a".to_vec()),
                Ok(vec![]),
                Ok(b"bc".to_vec()),
                Ok(b"d".to_vec())
            ]
        );
        assert!(lines(b"").is_empty());
    }

    #[test]
    fn endless_input_without_newlines_ends_in_an_error() {
        let endless = std::io::repeat(0);
        let err = for_each_line(endless, |_| Ok(())).err().unwrap();
        assert!(err.to_string().contains("past 64 MiB"), "{err}");
    }

    #[test]
    fn a_line_over_one_mebibyte_is_skipped_and_measured() {
        let mut input = vec![b'x'; MAX_LINE + 3 * CHUNK];
        input.extend_from_slice(b"\nok\n");
        input.extend(vec![b'y'; MAX_LINE]);
        input.extend_from_slice(b"\n");
        input.extend(vec![b'z'; MAX_LINE + 1]);
        let seen = lines(&input);
        assert_eq!(seen.len(), 4);
        assert_eq!(seen[0], Err(MAX_LINE + 3 * CHUNK));
        assert_eq!(seen[1], Ok(b"ok".to_vec()));
        assert_eq!(seen[2].as_ref().map(Vec::len), Ok(MAX_LINE));
        assert_eq!(seen[3], Err(MAX_LINE + 1));
    }
}
