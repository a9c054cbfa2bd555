//! English stemming with a memory of the words already stemmed.
//!
//! Snowball stemming is the single largest cost of indexing text, and the words of a corpus
//! repeat: a few tens of thousands of forms make up nearly every token. `Stems` gives the same
//! stems as tantivy's `Stemmer::new(Language::English)` (the same Snowball algorithm from the
//! same crate), looking each word up before stemming it.
//!
//! The memory is a direct-mapped table whose slots hold a word and its stem inline, one cache
//! line each: a lookup reads one line and copies the stem, with no pointer to follow. A word
//! whose slot is taken replaces the word there, so frequent words stay and the memory never
//! grows. Each tokenizer instance (one per field and indexing thread) keeps its own table, so
//! nothing is shared or locked, and the table is allocated zeroed, so the pages of a table that
//! stays nearly empty (a title field's) are never touched.

/// The longest word (in bytes) remembered; longer words, and words whose stem is longer, are
/// stemmed every time.
const LONGEST: usize = 24;

/// Words of a slot: the word (three words of bytes, zero-padded), the lengths, the stem.
const SLOT_WORDS: usize = 8;

/// Slots in a table: a power of two. 512 KB of table holds the words that make up nearly
/// every token, and stays in the core's cache beside tantivy's own tables.
const SLOTS: usize = 1 << 13;

/// A Snowball English stemmer with a memory of the stems it has computed.
pub struct Stems {
    stemmer: frostem::Stemmer,
    /// `SLOTS` slots of `SLOT_WORDS` words, allocated at the first word: `[key; 3]`,
    /// `key_len | stem_len << 8`, `[stem; 3]`, unused. An empty slot has `key_len` 0, which no
    /// word has.
    table: Vec<u64>,
}

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            table: Vec::new(),
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

/// A word of at most `LONGEST` bytes, zero-padded, and its length.
pub struct Key {
    bytes: [u8; LONGEST],
    len: usize,
}

impl Key {
    /// `word` as a key, if it is short enough to be remembered.
    pub fn new(word: &str) -> Option<Key> {
        let mut bytes = [0u8; LONGEST];
        bytes
            .get_mut(..word.len())?
            .copy_from_slice(word.as_bytes());
        Some(Key {
            bytes,
            len: word.len(),
        })
    }

    /// `word`, ASCII, lowercased, as a key, if it is short enough to be remembered.
    pub fn ascii_lowercase(word: &[u8]) -> Option<Key> {
        if word.len() > LONGEST || !word.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; LONGEST];
        for (to, from) in bytes.iter_mut().zip(word) {
            *to = from.to_ascii_lowercase();
        }
        Some(Key {
            bytes,
            len: word.len(),
        })
    }

    /// The word.
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }

    /// The word as three little-endian words.
    fn packed(&self) -> [u64; 3] {
        pack(&self.bytes)
    }
}

/// `LONGEST` bytes as three little-endian words.
fn pack(bytes: &[u8; LONGEST]) -> [u64; 3] {
    let mut words = [0u64; 3];
    for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        *word = u64::from_le_bytes(eight);
    }
    words
}

/// The slot of a packed word.
fn slot_of(key: &[u64; 3], len: usize) -> usize {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut hash = (len as u64).wrapping_mul(K);
    for word in key {
        hash = (hash.rotate_left(23) ^ word).wrapping_mul(K);
    }
    (hash >> (64 - SLOTS.trailing_zeros())) as usize
}

impl Stems {
    /// Appends the stem of `word`, a lowercase word, to `out`.
    pub fn stem_into(&mut self, word: &str, out: &mut String) {
        match Key::new(word) {
            Some(key) => self.stem_key(&key, out),
            None => out.push_str(&self.stemmer.stem(word)),
        }
    }

    /// Appends the stem of the word `key` holds, a lowercase word, to `out`.
    pub fn stem_key(&mut self, key: &Key, out: &mut String) {
        let packed = key.packed();
        let slot = slot_of(&packed, key.len) * SLOT_WORDS;
        if self.table.is_empty() {
            self.table = vec![0u64; SLOTS * SLOT_WORDS];
        }
        let Some(entry) = self.table.get_mut(slot..slot + SLOT_WORDS) else {
            out.push_str(&self.stemmer.stem(key.as_str()));
            return;
        };
        let lengths = entry[3];
        if (lengths & 0xff) as usize == key.len && entry[..3] == packed {
            let stem_len = ((lengths >> 8) & 0xff) as usize;
            let mut bytes = [0u8; LONGEST];
            for (chunk, word) in bytes.chunks_exact_mut(8).zip(&entry[4..7]) {
                chunk.copy_from_slice(&word.to_le_bytes());
            }
            // Only whole stems are stored, so the bytes are always UTF-8.
            if let Ok(stem) = std::str::from_utf8(&bytes[..stem_len]) {
                out.push_str(stem);
                return;
            }
        }
        let stem = self.stemmer.stem(key.as_str());
        if let Some(stem_key) = Key::new(&stem) {
            entry[..3].copy_from_slice(&packed);
            entry[3] = key.len as u64 | (stem_key.len as u64) << 8;
            entry[4..7].copy_from_slice(&stem_key.packed());
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
        for n in 0..SLOTS * 3 {
            let word = format!("walking{n}s");
            assert_eq!(stem(&mut stems, &word), stem_once(&word));
        }
        assert_eq!(stem(&mut stems, "walking"), "walk");
        assert_eq!(stem(&mut stems, "walking"), "walk");
    }

    #[test]
    fn words_longer_than_the_memory_are_stemmed_every_time() {
        let mut stems = Stems::default();
        let long = "antidisestablishmentarianisms";
        assert!(long.len() > LONGEST);
        assert_eq!(stem(&mut stems, long), stem_once(long));
    }
}
