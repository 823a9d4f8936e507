//! A hasher for maps keyed by trace and span ids. The ids are random bytes already, so each
//! 8-byte word only needs folding into the state with one multiplication: far cheaper than the
//! standard SipHash, which showed in profiles of the consumer thread. The state starts from a
//! per-process random seed, so a sender cannot choose ids that all land in one bucket.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher, RandomState};

/// A map keyed by ids (fixed-size byte arrays, or tuples of them).
pub type IdMap<K, V> = HashMap<K, V, IdHash>;

/// Multiplier of the fold (the fractional part of the golden ratio, odd).
const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// The high and low halves of the 128-bit product, xored: every input bit reaches every output bit.
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// Builds [`IdHasher`]s from one random seed.
#[derive(Debug, Clone, Copy)]
pub struct IdHash {
    seed: u64,
}

impl Default for IdHash {
    fn default() -> IdHash {
        IdHash {
            seed: RandomState::new().hash_one(0u64) | 1,
        }
    }
}

impl BuildHasher for IdHash {
    type Hasher = IdHasher;

    fn build_hasher(&self) -> IdHasher {
        IdHasher { state: self.seed }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct IdHasher {
    state: u64,
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word.iter_mut().zip(chunk).for_each(|(w, b)| *w = *b);
            self.state = fold(self.state ^ u64::from_le_bytes(word), K);
        }
    }

    /// Length prefixes are skipped: the keys are fixed-size arrays.
    fn write_usize(&mut self, _: usize) {}

    fn finish(&self) -> u64 {
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differing_in_any_byte_hash_apart() {
        let build = IdHash::default();
        let base = ([7u8; 16], [9u8; 8]);
        let h = build.hash_one(base);
        assert_eq!(h, build.hash_one(base));
        for i in 0..16 {
            let mut other = base;
            other.0[i] ^= 1;
            assert_ne!(h, build.hash_one(other), "trace id byte {i}");
        }
        for i in 0..8 {
            let mut other = base;
            other.1[i] ^= 0x80;
            assert_ne!(h, build.hash_one(other), "span id byte {i}");
        }
    }

    #[test]
    fn ids_that_differ_only_in_high_bits_still_spread_over_buckets() {
        let build = IdHash::default();
        let low_bits: std::collections::HashSet<u64> = (0u8..=255)
            .map(|b| build.hash_one(([0u8; 16], [0, 0, 0, 0, 0, 0, 0, b])) & 0xff)
            .collect();
        assert!(low_bits.len() > 128, "{} buckets of 256", low_bits.len());
    }

    #[test]
    fn maps_keyed_by_ids_work() {
        let mut map: IdMap<([u8; 16], [u8; 8]), u32> = IdMap::default();
        for i in 0..1000u32 {
            let mut trace = [0u8; 16];
            trace[..4].copy_from_slice(&i.to_le_bytes());
            map.insert((trace, [1; 8]), i);
        }
        assert_eq!(map.len(), 1000);
        let mut trace = [0u8; 16];
        trace[..4].copy_from_slice(&500u32.to_le_bytes());
        assert_eq!(map.get(&(trace, [1; 8])), Some(&500));
    }
}
