//! English stemming with a memory of the words already stemmed.
//!
//! Snowball stemming is the single largest cost of indexing text, and the words of a corpus
//! repeat: a few tens of thousands of forms make up nearly every token. `Stems` gives the same
//! stems as tantivy's `Stemmer::new(Language::English)` (the same Snowball algorithm from the
//! same crate), looking each word up before stemming it.
//!
//! The memory is a table of 64-byte sets, one cache line each, of two slots that hold a word
//! and its stem inline: a lookup reads one line and copies the stem, with no pointer to follow.
//! A new word takes the first slot of its set and moves the word there to the second, and a
//! word found in the second slot moves back to the first, so the words met most often stay.
//! A table starts at 4 KB and grows to at most 512 KB as it fills, so a query or a title
//! field never pays for a large one. Each tokenizer instance (one per field and indexing
//! thread) keeps its own table, so nothing is shared or locked.

/// The longest word (in bytes) remembered: nearly every English word. Longer words are
/// stemmed every time.
const LONGEST_WORD: usize = 16;

/// The longest stem remembered; a word with a longer stem is stemmed every time.
const LONGEST_STEM: usize = 14;

/// Sets in a full table: a power of two. 512 KB of table remembers 16,384 words, the words that
/// make up nearly every token, and stays in the core's cache beside tantivy's own tables.
const SETS: usize = 1 << 13;

/// Sets in a new table: 4 KB, all a query or a title field needs. A table grows fourfold,
/// up to `SETS`, each time it has stemmed twice as many words as it has slots (see
/// `Stems::grow`).
const FIRST_SETS: usize = 1 << 5;

/// Words of a slot: the word (16 bytes, zero-padded), then the stem (14 bytes, zero-padded),
/// the word's length and the stem's length. An empty slot has length 0, which no word has.
const SLOT: usize = 4;

/// A Snowball English stemmer with a memory of the stems it has computed.
pub struct Stems {
    stemmer: frostem::Stemmer,
    /// Sets of two slots, allocated at the first word: `FIRST_SETS`, then `SETS`.
    table: Vec<u64>,
    /// Words stemmed (not found in the table) since it was allocated.
    misses: usize,
}

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            table: Vec::new(),
            misses: 0,
        }
    }
}

impl Clone for Stems {
    /// A copy starts with an empty memory: tantivy clones an analyzer for each field and
    /// thread, and copying a full table into each would cost more than it saves.
    fn clone(&self) -> Self {
        Stems::default()
    }
}

/// A word short enough to be remembered, as two little-endian words, zero-padded.
pub struct Key {
    words: [u64; 2],
    len: usize,
}

/// 16 bytes as two little-endian words.
fn pack(bytes: [u8; 16]) -> [u64; 2] {
    let (low, high) = bytes.split_at(8);
    let word = |half: &[u8]| {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(half);
        u64::from_le_bytes(eight)
    };
    [word(low), word(high)]
}

/// Two little-endian words as 16 bytes.
fn unpack(words: [u64; 2]) -> [u8; 16] {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&words[0].to_le_bytes());
    bytes[8..].copy_from_slice(&words[1].to_le_bytes());
    bytes
}

impl Key {
    /// `word` as a key, if it is short enough to be remembered.
    pub fn new(word: &str) -> Option<Key> {
        let mut bytes = [0u8; 16];
        bytes
            .get_mut(..word.len())?
            .copy_from_slice(word.as_bytes());
        Some(Key {
            words: pack(bytes),
            len: word.len(),
        })
    }

    /// `word`, ASCII, lowercased, as a key, if it is short enough to be remembered.
    pub fn ascii_lowercase(word: &[u8]) -> Option<Key> {
        if word.len() > LONGEST_WORD || !word.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 16];
        for (to, from) in bytes.iter_mut().zip(word) {
            *to = from.to_ascii_lowercase();
        }
        Some(Key {
            words: pack(bytes),
            len: word.len(),
        })
    }

    /// The word.
    fn word(&self) -> String {
        let bytes = unpack(self.words);
        String::from_utf8_lossy(&bytes[..self.len]).into_owned()
    }

    /// The set of the word in a table of `sets` sets (a power of two).
    fn set(&self, sets: usize) -> usize {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let hash = ((self.len as u64) ^ self.words[0]).wrapping_mul(K);
        let hash = (hash.rotate_left(29) ^ self.words[1]).wrapping_mul(K);
        (hash >> (64 - sets.trailing_zeros())) as usize
    }
}

impl Stems {
    /// Appends the stem of `word`, a lowercase word, to `out`.
    pub fn stem_into(&mut self, word: &str, out: &mut String) {
        match Key::new(word) {
            Some(key) => self.stem_key(&key, out),
            None => out.push_str(&self.stemmer.stem(word)),
        }
    }

    /// Allocates the first table, or replaces a small one that has stemmed twice as many
    /// words as it has slots by one four times as large: a field of many words soon pays for
    /// 512 KB, a query or the snippets of ten hits stay within a few pages.
    fn grow(&mut self) {
        let sets = self.table.len() / (2 * SLOT);
        if sets == 0 || (sets < SETS && self.misses > 4 * sets) {
            let sets = if sets == 0 {
                FIRST_SETS
            } else {
                (sets * 4).min(SETS)
            };
            self.table = vec![0u64; sets * 2 * SLOT];
            self.misses = 0;
        }
    }

    /// Appends the stem of the word `key` holds, a lowercase word, to `out`.
    pub fn stem_key(&mut self, key: &Key, out: &mut String) {
        self.grow();
        let at = key.set(self.table.len() / (2 * SLOT)) * 2 * SLOT;
        let Some(set) = self.table.get_mut(at..at + 2 * SLOT) else {
            out.push_str(&self.stemmer.stem(&key.word()));
            return;
        };
        for way in 0..2 {
            let slot = &set[way * SLOT..(way + 1) * SLOT];
            let stem = unpack([slot[2], slot[3]]);
            if slot[..2] == key.words && usize::from(stem[14]) == key.len {
                let len = usize::from(stem[15]).min(LONGEST_STEM);
                // Only whole stems are stored, so the bytes are always UTF-8.
                if let Ok(stem) = std::str::from_utf8(&stem[..len]) {
                    out.push_str(stem);
                    if way == 1 {
                        let (first, second) = set.split_at_mut(SLOT);
                        first.swap_with_slice(second);
                    }
                    return;
                }
            }
        }
        self.misses += 1;
        let word = key.word();
        let stem = self.stemmer.stem(&word);
        if stem.len() <= LONGEST_STEM {
            let mut bytes = [0u8; 16];
            bytes[..stem.len()].copy_from_slice(stem.as_bytes());
            bytes[14] = key.len as u8;
            bytes[15] = stem.len() as u8;
            let [low, high] = pack(bytes);
            set.copy_within(0..SLOT, SLOT);
            set[..SLOT].copy_from_slice(&[key.words[0], key.words[1], low, high]);
        }
        out.push_str(&stem);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stem tantivy's stemmer gives.
    fn stem_once(word: &str) -> String {
        frostem::Stemmer::new(frostem::Algorithm::English)
            .stem(word)
            .into_owned()
    }

    /// The stem `stems` gives.
    fn stem(stems: &mut Stems, word: &str) -> String {
        let mut out = String::new();
        stems.stem_into(word, &mut out);
        out
    }

    #[test]
    fn remembered_stems_are_the_stems() {
        let mut stems = Stems::default();
        let words = [
            "armies",
            "invading",
            "generously",
            "internationalisations",
            "counterrevolutionaries",
            "a",
            "news",
            "dying",
            "café",
        ];
        for pass in 0..3 {
            for word in words {
                assert_eq!(
                    stem(&mut stems, word),
                    stem_once(word),
                    "{word} on pass {pass}"
                );
            }
        }
    }

    #[test]
    fn words_sharing_a_slot_replace_each_other_and_stay_right() {
        let mut stems = Stems::default();
        // Far more words than slots: every slot is overwritten many times.
        for n in 0..SETS * 6 {
            let word = format!("walking{n}s");
            assert_eq!(stem(&mut stems, &word), stem_once(&word));
        }
        assert_eq!(stem(&mut stems, "walking"), "walk");
        assert_eq!(stem(&mut stems, "walking"), "walk");
    }

    #[test]
    fn a_table_starts_small_and_grows_once_it_is_busy() {
        let mut stems = Stems::default();
        assert!(stems.table.is_empty());
        stem(&mut stems, "armies");
        assert_eq!(stems.table.len(), FIRST_SETS * 2 * SLOT);
        for n in 0..FIRST_SETS * 4 + 2 {
            stem(&mut stems, &format!("word{n}s"));
        }
        assert_eq!(stems.table.len(), FIRST_SETS * 4 * 2 * SLOT);
        for n in 0..SETS * 6 {
            stem(&mut stems, &format!("walking{n}s"));
        }
        assert_eq!(stems.table.len(), SETS * 2 * SLOT);
        assert_eq!(stem(&mut stems, "armies"), "armi");
    }

    #[test]
    fn words_longer_than_the_memory_are_stemmed_every_time() {
        let mut stems = Stems::default();
        let long = "antidisestablishmentarianisms";
        assert!(long.len() > LONGEST_WORD);
        assert_eq!(stem(&mut stems, long), stem_once(long));
    }
}
