//! The tokenizer of florilegium's text fields, in one pass.
//!
//! `Words` gives exactly the tokens (text, offsets, positions) of tantivy's chain
//! `SimpleTokenizer` → `RemoveLongFilter::limit(40)` → `LowerCaser` → `AsciiFoldingFilter`,
//! followed by English stemming when asked. The chain copies each word into a token, then
//! scans, lowercases, scans for non-ASCII and stems it, filter by filter; `Words` lowercases an
//! ASCII word once, straight from the text, and looks its stem up in `Stems`. A word with
//! non-ASCII letters takes tantivy's own filters, so Unicode lowercasing and folding stay
//! tantivy's.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

use super::stem::{Key, Stems};

/// Words of this many bytes or more are dropped, as `RemoveLongFilter::limit(40)` does.
const TOO_LONG: usize = 40;

/// The text tokenizer: words, lowercased, accents folded, stemmed when `stems` is set.
#[derive(Clone)]
pub struct Words {
    token: Token,
    stems: Option<Stems>,
    /// Lowercases and folds a word with non-ASCII letters, as the chain does.
    unicode: TextAnalyzer,
    /// The lowercased word before stemming.
    lower: String,
}

impl Words {
    /// Words, lowercased and folded; stemmed in English when `stem` is true.
    pub fn new(stem: bool) -> Words {
        Words {
            token: Token::default(),
            stems: stem.then(Stems::default),
            unicode: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
            lower: String::new(),
        }
    }
}

impl Tokenizer for Words {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            words: self,
        }
    }
}

/// The token stream of `Words`.
pub struct WordStream<'a> {
    text: &'a str,
    /// Where the next word is looked for.
    at: usize,
    words: &'a mut Words,
}

/// Where the first alphanumeric character at or after `at` starts.
fn next_start(text: &str, mut at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                return Some(at);
            }
            at += 1;
        } else {
            let c = text.get(at..)?.chars().next()?;
            if c.is_alphanumeric() {
                return Some(at);
            }
            at += c.len_utf8();
        }
    }
    None
}

/// The end of the word starting at `at`, and whether it is all ASCII.
fn word_end(text: &str, mut at: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut ascii = true;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            at += 1;
        } else {
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            if !c.is_alphanumeric() {
                break;
            }
            ascii = false;
            at += c.len_utf8();
        }
    }
    (at, ascii)
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let words = &mut *self.words;
        loop {
            let Some(start) = next_start(self.text, self.at) else {
                self.at = self.text.len();
                return false;
            };
            let (end, ascii) = word_end(self.text, start);
            self.at = end;
            // Every word counts a position, the dropped ones too, as in the chain.
            words.token.position = words.token.position.wrapping_add(1);
            if end - start >= TOO_LONG {
                continue;
            }
            let Some(word) = self.text.get(start..end) else {
                continue;
            };
            words.token.offset_from = start;
            words.token.offset_to = end;
            words.token.text.clear();
            // The common case: a short ASCII word, lowercased into its key for the stems.
            if let Some(stems) = &mut words.stems {
                if let Some(key) = Key::ascii_lowercase(word.as_bytes()) {
                    stems.stem_key(&key, &mut words.token.text);
                    return true;
                }
            }
            words.lower.clear();
            if ascii {
                words.lower.push_str(word);
                words.lower.make_ascii_lowercase();
            } else {
                let mut folded = words.unicode.token_stream(word);
                if folded.advance() {
                    words.lower.push_str(&folded.token().text);
                }
            }
            match &mut words.stems {
                Some(stems) => stems.stem_into(&words.lower, &mut words.token.text),
                None => words.token.text.push_str(&words.lower),
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.words.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.words.token
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tantivy::tokenizer::{Language, RemoveLongFilter, SimpleTokenizer, Stemmer};

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    /// The chain `Words` stands for.
    fn chain(stem: bool) -> TextAnalyzer {
        let builder = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(TOO_LONG))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        if stem {
            builder.filter(Stemmer::new(Language::English)).build()
        } else {
            builder.build()
        }
    }

    fn same_as_the_chain(text: &str) {
        for stem in [true, false] {
            let mut words = TextAnalyzer::from(Words::new(stem));
            let expected = tokens(&mut chain(stem), text);
            // The first pass fills the stem memory, the second reads from it.
            assert_eq!(tokens(&mut words, text), expected, "stem {stem}: {text:?}");
            assert_eq!(tokens(&mut words, text), expected, "stem {stem}: {text:?}");
        }
    }

    #[test]
    fn gives_the_tokens_of_tantivys_chain() {
        same_as_the_chain("");
        same_as_the_chain("Armies were INVADING; the invasion of Persia (636) was organised!");
        same_as_the_chain("Taft’s army, Ærøskøbing café naïve ŒUVRE İstanbul straße ﬁnancial");
        same_as_the_chain("x1 2nd a-b it's ΑΘΗΝΑ Москва 東京 ١٢٣ e\u{301}clair");
        same_as_the_chain(&format!(
            "short {} long {} end",
            "a".repeat(39),
            "b".repeat(40)
        ));
        same_as_the_chain(&format!("{} ünïcödé {}", "é".repeat(19), "é".repeat(20)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_text_gives_the_tokens_of_tantivys_chain(
            text in "([a-zA-Z0-9 ,.;'’\\-]|[À-ɏ]|[Α-ω]|[Ѐ-ӿ]|ﬁ|İ|ß|\u{301}|東){0,80}"
        ) {
            same_as_the_chain(&text);
        }
    }
}
