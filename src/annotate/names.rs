//! Names of people and places in a text: runs of capitalised words, joined by particles such as
//! `ibn`, `al-`, `de`, `von` or `of the` ("Khalid ibn al-Walid", "Yazdegerd III", "Battle of
//! the Bridge"), without sentence-initial common words, titles or demonyms.
//!
//! It runs on every record an ingest reads, so the word lists are hash sets built once and
//! words are lowercased on the stack.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

/// Lowercase words that join two capitalised parts of one name.
const PARTICLES: &[&str] = &[
    "ibn", "bin", "bint", "al", "el", "de", "da", "di", "du", "del", "della", "von", "van", "der",
    "den", "la", "le", "of", "the", "y",
];

/// Words after which `of` (or `of the`) continues a name: "Battle of the Bridge", "Gulf of
/// Oman". After other words it ends one: "Heraclius of the Eastern Roman Empire" is two names.
const OF_HEADS: &[&str] = &[
    "battle",
    "siege",
    "fall",
    "sack",
    "conquest",
    "treaty",
    "peace",
    "kingdom",
    "empire",
    "republic",
    "gulf",
    "sea",
    "bay",
    "cape",
    "isle",
    "isles",
    "island",
    "islands",
    "lake",
    "mount",
    "strait",
    "straits",
    "river",
    "city",
    "church",
    "university",
    "house",
    "council",
    "king",
    "queen",
    "prince",
    "princess",
    "duke",
    "duchess",
    "earl",
    "count",
    "bishop",
    "archbishop",
    "caliph",
    "emperor",
    "shah",
    "sultan",
    "khan",
    "lord",
    "lady",
    "book",
    "gospel",
    "epistle",
    "acts",
    "song",
    "wall",
    "gate",
    "gates",
    "tower",
    "dome",
    "mosque",
];

/// Titles dropped from the front of a name ("Emperor Heraclius" → "Heraclius").
const TITLES: &[&str] = &[
    "emperor",
    "empress",
    "caliph",
    "king",
    "queen",
    "prince",
    "princess",
    "president",
    "general",
    "saint",
    "st",
    "shah",
    "sultan",
    "pope",
    "prophet",
    "imam",
    "sir",
    "lord",
    "lady",
    "mr",
    "mrs",
    "ms",
    "dr",
    "captain",
    "commander",
    "governor",
    "bishop",
    "patriarch",
    "consul",
    "senator",
    "chancellor",
    "duke",
    "count",
    "marshal",
    "admiral",
    "colonel",
    "field",
];

/// Words that start sentences without naming anyone.
const COMMON: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "after",
    "afterwards",
    "again",
    "against",
    "all",
    "along",
    "already",
    "also",
    "although",
    "always",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "back",
    "be",
    "because",
    "before",
    "behind",
    "being",
    "below",
    "beneath",
    "beside",
    "besides",
    "between",
    "beyond",
    "both",
    "but",
    "by",
    "despite",
    "did",
    "do",
    "does",
    "down",
    "during",
    "each",
    "early",
    "either",
    "even",
    "eventually",
    "ever",
    "every",
    "except",
    "far",
    "few",
    "finally",
    "first",
    "following",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hence",
    "her",
    "here",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "indeed",
    "instead",
    "into",
    "is",
    "it",
    "its",
    "just",
    "last",
    "late",
    "later",
    "less",
    "like",
    "many",
    "may",
    "meanwhile",
    "might",
    "more",
    "moreover",
    "most",
    "much",
    "must",
    "my",
    "near",
    "neither",
    "never",
    "nevertheless",
    "next",
    "no",
    "nobody",
    "none",
    "nor",
    "not",
    "nothing",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "our",
    "out",
    "over",
    "perhaps",
    "rather",
    "second",
    "several",
    "she",
    "should",
    "since",
    "so",
    "some",
    "soon",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "third",
    "this",
    "those",
    "though",
    "through",
    "throughout",
    "thus",
    "to",
    "today",
    "together",
    "too",
    "toward",
    "towards",
    "two",
    "three",
    "under",
    "unlike",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yes",
    "let",
    "there's",
    "it's",
    "we'll",
    "don't",
    "all",
    "great",
    "good",
    "men",
    "man",
    "war",
    "peace",
    "love",
    "life",
    "death",
    "god",
    "history",
    "nations",
    "victory",
    "fortune",
    "whoever",
    "whatever",
    "wherever",
    "none",
    "nor",
    "everything",
    "everyone",
    "someone",
    "something",
    "anyone",
    "anything",
    "sometimes",
    "never",
    "every",
    "behold",
    "blessed",
    "truly",
    "real",
    "right",
    "put",
    "power",
    "think",
    "reinforcements",
];

/// Months and weekdays: capitalised, but dates rather than names.
const CALENDAR: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "day",
    "night",
    "hour",
    "morning",
    "evening",
];

/// Peoples and their adjectives: capitalised, but neither a person nor a place.
const DEMONYMS: &[&str] = &[
    "muslim",
    "muslims",
    "arab",
    "arabs",
    "greek",
    "greeks",
    "turk",
    "turks",
    "jew",
    "jews",
    "christian",
    "christians",
    "roman",
    "romans",
    "persian",
    "persians",
    "islamic",
    "sasanian",
    "sasanians",
    "sassanid",
    "sassanids",
    "byzantine",
    "byzantines",
    "english",
    "french",
    "american",
    "americans",
    "european",
    "europeans",
    "national",
    "syrian",
    "syrians",
    "egyptian",
    "egyptians",
    "iranian",
    "iranians",
    "iraqi",
    "iraqis",
    "arabian",
    "armenian",
    "armenians",
    "kurdish",
    "kurds",
    "mongol",
    "mongols",
    "ottoman",
    "ottomans",
    "umayyad",
    "abbasid",
    "rashidun",
    "zoroastrian",
    "zoroastrians",
    "macedonian",
    "athenian",
    "athenians",
    "spartan",
    "spartans",
    "parthian",
    "parthians",
    "median",
    "medes",
    "bedouin",
    "bedouins",
    "mesopotamian",
    "avar",
    "avars",
    "islam",
    "eastern",
    "western",
    "northern",
    "southern",
];

/// Common nouns that are capitalised when they stand for a particular one ("the Empire"), but
/// name nothing on their own.
const GENERIC: &[&str] = &[
    "empire",
    "kingdom",
    "caliphate",
    "church",
    "state",
    "army",
    "city",
    "river",
    "emperor",
    "battle",
    "caliph",
    "king",
    "queen",
    "shah",
    "sultan",
    "god",
    "lord",
    "heaven",
    "court",
];

/// A word list as a set, built on first use.
struct List {
    words: &'static [&'static str],
    set: OnceLock<FxHashSet<&'static str>>,
}

impl List {
    const fn new(words: &'static [&'static str]) -> List {
        List {
            words,
            set: OnceLock::new(),
        }
    }

    /// True when the list holds `lower`, a lowercase word.
    fn has(&self, lower: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(lower)
    }
}

static COMMON_SET: List = List::new(COMMON);
static TITLE_SET: List = List::new(TITLES);
static CALENDAR_SET: List = List::new(CALENDAR);
static DEMONYM_SET: List = List::new(DEMONYMS);
static GENERIC_SET: List = List::new(GENERIC);
static OF_HEAD_SET: List = List::new(OF_HEADS);

/// Calls `f` with `word` lowercased: on the stack for a short ASCII word, which is nearly
/// every word, and in a new string otherwise.
fn with_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buffer = [0u8; 32];
    if word.len() <= buffer.len() && word.is_ascii() {
        let lower = &mut buffer[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(lower) {
            return f(lower);
        }
    }
    f(&word.to_lowercase())
}

/// One word of the text with what the name finder needs to know of it.
#[derive(Debug, Clone)]
struct Word<'a> {
    text: &'a str,
    /// The first word of a sentence.
    starts_sentence: bool,
    /// Punctuation other than an apostrophe or hyphen right after the word, which ends a name.
    breaks_after: bool,
}

/// The names in `text`, unique, in order of first appearance.
pub fn find(text: &str) -> Vec<String> {
    let words = words(text);
    let mut names: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_capitalised(words[i].text) {
            i += 1;
            continue;
        }
        // Gather capitalised words, and particles that sit between capitalised words.
        let start = i;
        let mut end = i + 1;
        let mut j = i;
        while !words[j].breaks_after && j + 1 < words.len() {
            let next = &words[j + 1];
            if is_capitalised(next.text) && !next.starts_sentence && !is_common(next.text) {
                end = j + 2;
                j += 1;
                continue;
            }
            // A run of particles joins only when a capitalised word follows it.
            let mut k = j + 1;
            while k < words.len()
                && is_particle(words[k].text)
                && !words[k].breaks_after
                && !words[k].starts_sentence
            {
                k += 1;
            }
            let joins = k > j + 1
                && k < words.len()
                && is_capitalised(words[k].text)
                && !words[k].starts_sentence
                && !is_common(words[k].text)
                && !with_lower(bare(words[k].text), |w| DEMONYM_SET.has(w))
                && (words[j + 1].text != "of"
                    || with_lower(bare(words[j].text), |w| OF_HEAD_SET.has(w)));
            if joins {
                end = k + 1;
                j = k;
                continue;
            }
            break;
        }
        if let Some(name) = name_of(&words[start..end]) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        i = end;
    }
    names
}

/// The name a run of words makes, after dropping a sentence-initial common word, titles,
/// and runs that are only a demonym or a calendar word.
fn name_of(run: &[Word]) -> Option<String> {
    let mut run = run;
    while let Some(first) = run.first() {
        // A common word never opens a name, wherever it stands: "How Sultan", "The pen".
        let dropped = with_lower(bare(first.text), |lower| {
            COMMON_SET.has(lower)
                || (first.starts_sentence && run.len() == 1 && is_gerund_or_adverb(lower))
                || TITLE_SET.has(lower)
        });
        if dropped || is_particle(first.text) {
            run = &run[1..];
            // The word after a dropped one starts the name as if it began the sentence.
            continue;
        }
        break;
    }
    while run.last().is_some_and(|w| is_particle(w.text)) {
        run = &run[..run.len() - 1];
    }
    let first = run.first()?;
    if run.len() == 1 {
        let alone = with_lower(bare(first.text), |lower| {
            CALENDAR_SET.has(lower)
                || DEMONYM_SET.has(lower)
                || GENERIC_SET.has(lower)
                || COMMON_SET.has(lower)
        });
        if alone || bare(first.text).chars().count() < 2 {
            return None;
        }
    }
    let parts: Vec<&str> = run.iter().map(|w| bare(w.text)).collect();
    Some(parts.join(" "))
}

/// True for a word in the list of common words, in any case.
fn is_common(word: &str) -> bool {
    with_lower(bare(word), |lower| COMMON_SET.has(lower))
}

/// "Claiming", "Finally": sentence-initial forms that are almost never names.
fn is_gerund_or_adverb(lower: &str) -> bool {
    lower.chars().count() > 5 && (lower.ends_with("ing") || lower.ends_with("ly"))
}

/// Splits text into words, marking sentence starts and breaking punctuation.
fn words(text: &str) -> Vec<Word<'_>> {
    // About one word in six bytes of English.
    let mut words = Vec::with_capacity(text.len() / 6 + 1);
    let mut sentence_start = true;
    let mut start: Option<usize> = None;
    let is_word_char = |c: char| c.is_alphanumeric() || matches!(c, '\'' | '’' | '-');
    for (at, c) in text.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(at);
            }
            continue;
        }
        if let Some(from) = start.take() {
            let word = text[from..at].trim_matches(|c| matches!(c, '\'' | '’' | '-'));
            if !word.is_empty() {
                words.push(Word {
                    text: word,
                    starts_sentence: sentence_start,
                    breaks_after: false,
                });
                sentence_start = false;
            }
        }
        if c.is_whitespace() {
            continue;
        }
        // Any other punctuation ends a name; sentence punctuation also starts a sentence.
        if let Some(last) = words.last_mut() {
            last.breaks_after = true;
        }
        if matches!(c, '.' | '!' | '?' | ':' | ';' | '"' | '“' | '”' | '(' | ')') {
            let abbreviation = c == '.'
                && words
                    .last()
                    .is_some_and(|w| w.text.chars().count() <= 2 && is_capitalised(w.text));
            let next = text[at + c.len_utf8()..].chars().next();
            let followed_by_space = next.is_none_or(char::is_whitespace);
            if !abbreviation && (c != '.' || followed_by_space) {
                sentence_start = true;
            }
        }
    }
    if let Some(from) = start {
        let word = text[from..].trim_matches(|c| matches!(c, '\'' | '’' | '-'));
        if !word.is_empty() {
            words.push(Word {
                text: word,
                starts_sentence: sentence_start,
                breaks_after: true,
            });
        }
    }
    words
}

/// The word without a possessive `'s`.
fn bare(word: &str) -> &str {
    word.strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .unwrap_or(word)
}

/// True for `Heraclius`, `III`, `al-Walid`, `O'Neill`: an uppercase letter opens the word or
/// follows a lowercase `al-`/`el-` prefix.
fn is_capitalised(word: &str) -> bool {
    // Nearly every word's first byte settles it; only `a…` and `e…` can be `al-…` or `el-…`.
    match word.as_bytes().first() {
        None => return false,
        Some(b'A'..=b'Z') => return true,
        Some(b'a' | b'e') => {}
        Some(b) if b.is_ascii() => return false,
        Some(_) => {}
    }
    let word = word
        .strip_prefix("al-")
        .or_else(|| word.strip_prefix("el-"))
        .or_else(|| word.strip_prefix("ad-"))
        .or_else(|| word.strip_prefix("as-"))
        .unwrap_or(word);
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::find;

    const REFERENCE: &str = "According to the will of Abu Bakr, Umar was to continue the conquest of Syria and Mesopotamia. On the northeastern borders of the Empire, in Mesopotamia, the situation was deteriorating day by day. During Abu Bakr’s era, Khalid ibn al-Walid had been sent to the Syrian front to command the Islamic armies there. As soon as Khalid had left Mesopotamia with half his army of 9000 soldiers, the Persians decided to take back their lost territory. The Muslim army was forced to leave the conquered areas and concentrate on the border areas. Umar immediately sent reinforcements to aid Misna ibn Haris in Mesopotamia under the command of Abu Ubaid al Saqafi. The Persian forces defeated Abu Ubaid in the Battle of Bridge. However, later Persian forces were defeated by Misnah bin harisah in the Battle of Baiyoub. In 635 Yazdgerd III sought alliance with Emperor Heraclius of the Eastern Roman Empire. Heraclius married his daughter (according to traditions, his grand daughter) to Yazdegerd III, an old Roman tradition to show alliance.";

    #[test]
    fn common_words_particles_and_peoples_do_not_make_names() {
        let text = "Claiming to avenge his benefactor, Khosrow opened a war. With Jalula the \
                    Mesopotamian lowland passed to the Arabs. The Persians as the Muslims saw it. \
                    Night and Day, How Sultan after Sultan went his way. Beneath the rule of men \
                    entirely great, The pen is mightier.";
        let names = find(text);
        assert_eq!(names, vec!["Khosrow", "Jalula"], "{names:?}");
    }

    #[test]
    fn reference_names() {
        let names = find(REFERENCE);
        for expected in [
            "Abu Bakr",
            "Umar",
            "Syria",
            "Mesopotamia",
            "Khalid ibn al-Walid",
            "Khalid",
            "Misna ibn Haris",
            "Abu Ubaid al Saqafi",
            "Abu Ubaid",
            "Battle of Bridge",
            "Battle of Baiyoub",
            "Yazdgerd III",
            "Yazdegerd III",
            "Heraclius",
            "Eastern Roman Empire",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected:?} not in {names:?}"
            );
        }
        for wrong in [
            "Empire",
            "Heraclius of the Eastern Roman Empire",
            "According",
            "On",
            "During",
            "As",
            "The",
            "However",
            "In",
            "Persian",
            "Muslim",
            "Persians",
            "Islamic",
            "Syrian",
        ] {
            assert!(!names.iter().any(|n| n == wrong), "{wrong:?} in {names:?}");
        }
    }

    #[test]
    fn titles_and_possessives_are_dropped() {
        assert_eq!(find("He met Emperor Heraclius there."), vec!["Heraclius"]);
        assert_eq!(find("It was in Abu Bakr’s era."), vec!["Abu Bakr"]);
        assert_eq!(find("the army of Caliph Umar"), vec!["Umar"]);
    }

    #[test]
    fn particles_join_only_between_capitals() {
        assert_eq!(
            find("the poems of Johann Wolfgang von Goethe were read"),
            vec!["Johann Wolfgang von Goethe"]
        );
        assert_eq!(find("then Rustam of the"), vec!["Rustam"]);
        assert!(find("nothing here at all.").is_empty());
    }

    #[test]
    fn punctuation_ends_a_name() {
        assert_eq!(
            find("Syria, Mesopotamia and Egypt fell"),
            vec!["Syria", "Mesopotamia", "Egypt"]
        );
    }
}
