//! English stemming with a memory of the words already stemmed.
//!
//! Snowball stemming is the single largest cost of indexing text, and the words of a corpus
//! repeat: a few tens of thousands of forms make up nearly every token. `CachedStemmer` gives
//! the same stems as tantivy's `Stemmer::new(Language::English)` (the same Snowball algorithm
//! from the same crate), looking each word up before stemming it. Each tokenizer instance
//! (one per field and indexing thread) keeps its own bounded cache, so nothing is shared or
//! locked.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per tokenizer instance before the memory starts afresh: well beyond the
/// vocabulary of the shipped and benchmark corpora, and a few megabytes at most.
const CAPACITY: usize = 64 * 1024;

/// Words longer than this (in bytes) are stemmed every time instead of remembered.
const LONGEST_REMEMBERED: usize = 24;

/// A token filter that stems English words, remembering the stems it has computed.
#[derive(Clone, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            stems: Stems::default(),
        }
    }
}

/// The stems computed so far.
#[derive(Default)]
struct Stems {
    known: FxHashMap<Box<str>, Box<str>>,
}

impl Clone for Stems {
    /// A copy starts with an empty memory: tantivy clones an analyzer for each field and
    /// thread, and copying a full cache into each would cost more than it saves.
    fn clone(&self) -> Self {
        Stems::default()
    }
}

impl Stems {
    /// Replaces `word` by its stem.
    fn stem(&mut self, stemmer: &frostem::Stemmer, word: &mut String) {
        if let Some(stem) = self.known.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem: Box<str> = match stemmer.stem(word) {
            Cow::Borrowed(stem) => stem.into(),
            Cow::Owned(stem) => stem.into(),
        };
        if word.len() <= LONGEST_REMEMBERED {
            if self.known.len() >= CAPACITY {
                self.known.clear();
            }
            self.known.insert(word.as_str().into(), stem.clone());
        }
        word.clear();
        word.push_str(&stem);
    }
}

/// The tokenizer `CachedStemmer` makes of the one before it.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    stems: Stems,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            stems: &mut self.stems,
        }
    }
}

/// The token stream of `CachedStemmerFilter`.
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: frostem::Stemmer,
    stems: &'a mut Stems,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        self.stems.stem(&self.stemmer, &mut token.text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn stems_as_tantivy_does_on_every_pass_through_the_memory() {
        let text = "Armies were invading; the invasion of Persia was organised and officered, \
                    organizing armies generously, running runners ran runs. Dogs are the bests! \
                    internationalisations counterrevolutionaries armies";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedStemmer)
            .build();
        let expected = tokens(&mut plain, text);
        assert!(expected.contains(&"armi".to_string()), "{expected:?}");
        // The first pass fills the memory, the second reads from it.
        assert_eq!(tokens(&mut cached, text), expected);
        assert_eq!(tokens(&mut cached, text), expected);
    }

    #[test]
    fn a_full_memory_starts_afresh_and_stems_stay_right() {
        let mut stems = Stems::default();
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        for n in 0..CAPACITY + 10 {
            let mut word = format!("walking{n}s");
            stems.stem(&stemmer, &mut word);
            assert!(stems.known.len() <= CAPACITY);
        }
        let mut word = "walking".to_string();
        stems.stem(&stemmer, &mut word);
        stems.stem(&stemmer, &mut word);
        assert_eq!(word, "walk");
    }
}
