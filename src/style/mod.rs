//! Colour and terminal decisions, made once at start-up and applied to every colour stack
//! (clap, colored, console/indicatif).

use std::io::IsTerminal;

use colored::{Color, Colorize};

mod wrap;

pub use wrap::{fill, wrap};

/// `--color`: colour on a terminal (`auto`, never with NO_COLOR), always, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How output is styled for this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours on stdout.
    pub color: bool,
    /// Progress spinners on stderr.
    pub progress: bool,
    /// Columns human output wraps at: `COLUMNS` when set, else the terminal's width when stdout
    /// is a terminal; `None` (no wrapping) for pipes and files, so each finding stays one line.
    pub width: Option<usize>,
}

impl Style {
    /// A style with no colour and no progress: tests, pipes, files.
    pub const PLAIN: Style = Style {
        color: false,
        progress: false,
        width: None,
    };

    /// Decides from `--color`, NO_COLOR (any non-empty value) and whether the streams are terminals.
    pub fn detect(choice: ColorChoice) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_tty && !no_color,
        };
        let stderr_color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stderr_tty && !no_color,
        };
        colored::control::set_override(color);
        console::set_colors_enabled(color);
        console::set_colors_enabled_stderr(stderr_color);
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok());
        let terminal = stdout_tty
            .then(|| {
                console::Term::stdout()
                    .size_checked()
                    .map(|(_, c)| usize::from(c))
            })
            .flatten();
        Style {
            color,
            progress: stderr_tty,
            width: columns.or(terminal).filter(|w| *w > 0),
        }
    }
}

impl Style {
    /// A plain style that colours when `color` is true (renderers that only know that).
    pub fn colored(color: bool) -> Style {
        Style {
            color,
            ..Style::PLAIN
        }
    }

    /// `text` in lines that fit after `indent` columns; one line when output is not wrapped.
    pub fn lines(&self, text: &str, indent: usize) -> Vec<String> {
        match self.width {
            Some(width) => wrap(text, width.saturating_sub(indent).max(30)),
            None => vec![text.to_string()],
        }
    }

    /// `text` in `color` when this run uses colour.
    pub fn paint(&self, text: &str, color: Color) -> String {
        if self.color {
            text.color(color).to_string()
        } else {
            text.to_string()
        }
    }

    /// `text` in bold `color` when this run uses colour: verdicts.
    pub fn strong(&self, text: &str, color: Color) -> String {
        if self.color {
            text.color(color).bold().to_string()
        } else {
            text.to_string()
        }
    }

    /// `text` in bold when this run uses colour.
    pub fn bold(&self, text: &str) -> String {
        if self.color {
            text.bold().to_string()
        } else {
            text.to_string()
        }
    }

    /// `text` dimmed when this run uses colour.
    pub fn dim(&self, text: &str) -> String {
        if self.color {
            text.dimmed().to_string()
        } else {
            text.to_string()
        }
    }
}
