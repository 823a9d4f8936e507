//! The bounded memory of the parent/child checks: the spans seen recently, in two generations
//! (the older one forgotten first), and the span and service names they share.

use std::collections::HashSet;
use std::rc::Rc;

use super::id_hash::IdMap;

/// The most distinct span and service names kept for messages; the set is cleared when full.
const MAX_NAMES: usize = 10_000;
/// The most bytes of a span or service name kept (cut at a character boundary): senders choose
/// names, and a remembered span must not hold a 4 KiB one.
pub const MAX_NAME: usize = 128;
/// What remembering one span costs at most: its key and fields in a hash table (with the
/// table's slack) and names of [`MAX_NAME`] bytes it may hold alone.
pub const REMEMBERED_BYTES: usize = 160 + 2 * (MAX_NAME + 32);

/// A trace id and a span id.
pub type SpanKey = ([u8; 16], [u8; 8]);

/// What the parent/child checks keep of a span.
#[derive(Debug, Clone)]
pub struct Remembered {
    pub start: u64,
    pub service: Rc<str>,
    pub name: Rc<str>,
}

/// Span and service names shared by the remembered spans, so remembering one allocates nothing.
/// (`Rc`: the diagnoser stays on one thread, so counting references needs no atomics.)
#[derive(Debug, Default)]
pub struct Names {
    set: HashSet<Rc<str>>,
    /// The names returned last, compared before hashing: the spans of a batch mostly share them.
    recent: [Option<Rc<str>>; RECENT_NAMES],
    next: usize,
}

/// How many names [`Names`] compares before looking in its set.
const RECENT_NAMES: usize = 4;

impl Names {
    pub fn get(&mut self, text: &str) -> Rc<str> {
        let text = cut(text);
        if let Some(name) = self.recent.iter().flatten().find(|n| ***n == *text) {
            return name.clone();
        }
        let name = match self.set.get(text) {
            Some(name) => name.clone(),
            None => {
                if self.set.len() >= MAX_NAMES {
                    self.set.clear();
                }
                let name: Rc<str> = Rc::from(text);
                self.set.insert(name.clone());
                name
            }
        };
        if let Some(slot) = self.recent.get_mut(self.next % RECENT_NAMES) {
            *slot = Some(name.clone());
        }
        self.next = self.next.wrapping_add(1);
        name
    }
}

/// `text` cut to at most [`MAX_NAME`] bytes, at a character boundary.
fn cut(text: &str) -> &str {
    let mut end = text.len().min(MAX_NAME);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// The spans seen recently, for parent lookups: bounded, the older generation forgotten first.
#[derive(Debug)]
pub struct Memory {
    current: IdMap<SpanKey, Remembered>,
    previous: IdMap<SpanKey, Remembered>,
    /// The most spans remembered, in two generations: when the newer one is full, the older
    /// one is forgotten (and counted).
    max: usize,
}

impl Memory {
    pub fn new(max: usize) -> Memory {
        Memory {
            current: IdMap::default(),
            previous: IdMap::default(),
            max: max.max(2),
        }
    }

    /// Remembers a span; returns how many older spans were forgotten to make room.
    pub fn insert(&mut self, key: SpanKey, span: Remembered) -> u64 {
        let mut forgotten = 0;
        if self.current.len() >= self.max / 2 {
            std::mem::swap(&mut self.current, &mut self.previous);
            forgotten = self.current.len() as u64;
            self.current.clear();
        }
        self.current.insert(key, span);
        forgotten
    }

    pub fn get(&self, key: &SpanKey) -> Option<&Remembered> {
        self.current.get(key).or_else(|| self.previous.get(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kept_cut_at_a_character_boundary() {
        let mut names = Names::default();
        assert_eq!(names.get(&"n".repeat(4096)).len(), MAX_NAME);
        let wide = "é".repeat(100);
        let kept = names.get(&wide);
        assert!(kept.len() <= MAX_NAME && wide.starts_with(&*kept));
        assert_eq!(&*names.get("short"), "short");
    }
}
