//! `decode-header` beyond the parsing: reading input in requests, and rendering decoded headers
//! and conversions as human text or JSON lines. The parsing itself lives in the
//! `tracectl-propagation` crate.

mod human;
mod json;
pub mod read;

use std::borrow::Cow;
use std::io::{self, Write};

use tracectl_propagation::convert::{self, Target};
use tracectl_propagation::input::Header;
use tracectl_propagation::{
    Decoded, Finding, Kind, Options, decode_line, is_plain_valid_traceparent, request,
};

use crate::text::plural;

/// The most headers one request holds; a longer run of lines is split into several requests.
pub const MAX_REQUEST_HEADERS: usize = 1024;

/// How results are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Nothing: the exit code answers.
    Quiet,
    /// Tables for people; colour when `true`.
    Human { color: bool },
    /// One JSON object per line.
    Json,
}

/// Everything a run decides up front.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub opts: Options,
    /// `--as`: the kind of bare values.
    pub as_kind: Option<Kind>,
    /// Every line is its own request, decoded without the cross-header checks.
    pub each_line: bool,
    pub to: Option<Target>,
    pub output: Output,
}

/// One run over any number of requests: feed it lines, then [`Session::finish`].
pub struct Session<'w> {
    settings: Settings,
    out: &'w mut dyn Write,
    err: &'w mut dyn Write,
    requests: usize,
    /// Requests with an invalid header (or, with `--to`, nothing to convert).
    invalid: usize,
    /// Input lines seen so far: the 1-based number of the line being read.
    line_no: usize,
    /// The lines of the request being read (grouped mode), each ending in `\n`.
    pending: Vec<u8>,
    pending_lines: usize,
    /// The input line number of each pending line.
    pending_numbers: Vec<usize>,
    /// One rendered JSON object, reused.
    json: Vec<u8>,
}

impl<'w> Session<'w> {
    /// A session writing results to `out` and, for `--to`, notes to `err`.
    pub fn new(settings: Settings, out: &'w mut dyn Write, err: &'w mut dyn Write) -> Self {
        Session {
            settings,
            out,
            err,
            requests: 0,
            invalid: 0,
            line_no: 0,
            pending: Vec::new(),
            pending_lines: 0,
            pending_numbers: Vec::new(),
            json: Vec::new(),
        }
    }

    /// Takes one input line (without its newline).
    pub fn line(&mut self, line: &[u8]) -> io::Result<()> {
        self.line_no += 1;
        let blank = line.iter().all(u8::is_ascii_whitespace);
        if self.settings.each_line {
            if blank {
                return Ok(());
            }
            if self.settings.output == Output::Quiet
                && self.settings.to.is_none()
                && matches!(self.settings.as_kind, None | Some(Kind::TraceParent))
                && is_plain_valid_traceparent(line)
            {
                self.requests += 1;
                return Ok(());
            }
            let number = self.line_no;
            return match decode_line(line, self.settings.as_kind, &self.settings.opts) {
                Some(header) => self.request(&mut [header], &[number]),
                None => Ok(()),
            };
        }
        if blank {
            return self.end_request();
        }
        if self.pending_lines == MAX_REQUEST_HEADERS {
            self.end_request()?;
        }
        self.pending.extend_from_slice(line);
        self.pending.push(b'\n');
        self.pending_lines += 1;
        self.pending_numbers.push(self.line_no);
        Ok(())
    }

    /// Reports a line that was too long to decode, as a request of its own.
    pub fn too_long(&mut self, len: usize) -> io::Result<()> {
        self.end_request()?;
        self.line_no += 1;
        let mut decoded = Decoded::new(Kind::Unknown);
        decoded.errors.push(Finding {
            code: "line-too-long",
            message: format!(
                "the line is {len} bytes; lines over {} bytes are not decoded (no header is \
                 that long)",
                read::MAX_LINE
            ),
            column: None,
        });
        let header = Header {
            name: None,
            value: Cow::Borrowed(""),
            decoded,
        };
        self.request(&mut [header], &[self.line_no])
    }

    /// Ends the request being read, if any.
    pub fn end_request(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let buf = std::mem::take(&mut self.pending);
        let numbers = std::mem::take(&mut self.pending_numbers);
        let (mut headers, mut lines) = (Vec::new(), Vec::new());
        for (l, &number) in buf.split(|&b| b == b'\n').zip(&numbers) {
            if let Some(h) = decode_line(l, self.settings.as_kind, &self.settings.opts) {
                headers.push(h);
                lines.push(number);
            }
        }
        let result = self.request(&mut headers, &lines);
        drop(headers);
        self.pending = buf;
        self.pending.clear();
        self.pending_numbers = numbers;
        self.pending_numbers.clear();
        self.pending_lines = 0;
        result
    }

    /// One request: its headers and the input line of each.
    fn request(&mut self, headers: &mut [Header<'_>], lines: &[usize]) -> io::Result<()> {
        if headers.is_empty() {
            return Ok(());
        }
        if !self.settings.each_line {
            request::check(headers);
        }
        self.requests += 1;
        let mut invalid = headers.iter().any(|h| !h.decoded.is_valid());
        let n = self.requests;
        let first_line = lines.first().copied().unwrap_or(self.line_no);
        // With --each-line a request is a line, and is named by its line number.
        let label = if self.settings.each_line {
            format!("line {first_line}")
        } else {
            format!("request {n}")
        };
        match self.settings.to {
            None => match self.settings.output {
                Output::Quiet => {}
                Output::Human { color } => {
                    let heading = (self.settings.each_line || n > 1).then_some(label.as_str());
                    human::request(heading, headers, color, self.out)?;
                }
                Output::Json => {
                    for (header, &line) in headers.iter().zip(lines) {
                        self.json.clear();
                        json::header(n, line, header, &mut self.json)?;
                        self.out.write_all(&self.json)?;
                    }
                }
            },
            Some(target) => {
                let converted = convert::context(headers)
                    .map(|ctx| convert::convert(&ctx, target, self.settings.opts.now));
                invalid |= converted.is_err();
                match self.settings.output {
                    Output::Quiet => {}
                    Output::Json => {
                        self.json.clear();
                        json::conversion(
                            (n, first_line),
                            headers,
                            target,
                            &converted,
                            &mut self.json,
                        )?;
                        self.out.write_all(&self.json)?;
                    }
                    Output::Human { .. } => {
                        human::conversion(&label, headers, &converted, self.out, self.err)?;
                    }
                }
            }
        }
        self.invalid += usize::from(invalid);
        Ok(())
    }

    /// Ends the last request and answers: did every header decode as valid?
    pub fn finish(mut self) -> io::Result<bool> {
        self.end_request()?;
        if self.requests == 0 && self.settings.output != Output::Quiet {
            writeln!(
                self.err,
                "error: the input held no header; pass `Name: value` or a bare value, or pipe \
                 headers in, one per line"
            )?;
        }
        if self.settings.each_line && self.requests > 0 {
            let count = format!(
                "{} on {}: {} valid, {} invalid",
                plural(self.requests, "value", "values"),
                plural(self.line_no, "line", "lines"),
                self.requests - self.invalid,
                self.invalid
            );
            match self.settings.output {
                Output::Quiet => {}
                Output::Human { .. } if self.settings.to.is_none() => {
                    writeln!(self.out, "{count}")?
                }
                Output::Human { .. } | Output::Json => writeln!(self.err, "{count}")?,
            }
        }
        self.out.flush()?;
        Ok(self.invalid == 0 && self.requests > 0)
    }
}

/// The `--to` target names, as the output shows them.
pub fn target_name(target: Target) -> &'static str {
    match target {
        Target::W3c => "w3c",
        Target::B3 => "b3",
        Target::B3Multi => "b3multi",
        Target::Jaeger => "jaeger",
        Target::XRay => "xray",
        Target::Datadog => "datadog",
    }
}
