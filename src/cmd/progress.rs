//! A spinner line on stderr per running probe (only on a terminal: see `Style.progress`).

use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::probe::{Progress, ProgressItem};

pub struct Spinners(MultiProgress);

impl Spinners {
    pub fn new() -> Spinners {
        Spinners(MultiProgress::new())
    }
}

/// Clears its spinner when the probe ends.
struct Line(ProgressBar);

impl Drop for Line {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Spinners {
    fn start(&self, label: String) -> ProgressItem {
        let bar = self.0.add(ProgressBar::new_spinner());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(label);
        bar.enable_steady_tick(Duration::from_millis(100));
        Box::new(Line(bar))
    }
}
