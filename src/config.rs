//! The corpus configuration, `corpus/florilegium.toml` (or `--rules FILE`): the user's tagging
//! rules (`[[rule]]`) and what citations say of the sources (`[[source]]`).

use std::path::Path;

use serde::Deserialize;
use thiserror::Error;

use crate::annotate::tags::{self, Rule};
use crate::model::Kind;

/// The name of the configuration file inside a corpus directory.
pub const FILE_NAME: &str = "florilegium.toml";

/// Why the configuration could not be used. Each message names the file and what to fix.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a table has the wrong shape.
    #[error("{path}: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// What the TOML parser said, with line and column.
        message: String,
    },
    /// A `[[source]]` table is unusable: a bad glob or date.
    #[error("{path}: source {number}: {message}")]
    Source {
        /// The file.
        path: String,
        /// The 1-based position of the table in the file.
        number: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A rule is unusable: a bad regex, a bad tag path or an unknown kind.
    #[error("{path}: rule {number} (tag {tag:?}): {message}")]
    Rule {
        /// The file.
        path: String,
        /// The 1-based position of the rule in the file.
        number: usize,
        /// The rule's tag as written.
        tag: String,
        /// What is wrong with it.
        message: String,
    },
}

/// A rule as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    tag: String,
    pattern: String,
    #[serde(default)]
    kind: Option<String>,
}

/// What citations say of the files a glob matches: `[[source]]` in the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    /// A glob relative to the corpus directory, e.g. `**/*.txt`.
    pub paths: String,
    /// The encyclopedia or site the pages belong to.
    pub container: Option<String>,
    /// Its publisher.
    pub publisher: Option<String>,
    /// A URL template: `{title}` and `{section}` are replaced by the page's.
    pub url: Option<String>,
    /// The date the pages were read, `YYYY-MM-DD`.
    pub accessed: Option<String>,
}

/// The `[[source]]` tables of a configuration, matched in file order.
#[derive(Debug, Default)]
pub struct Sources {
    corpus: String,
    list: Vec<(globset::GlobMatcher, SourceMeta)>,
}

impl Sources {
    /// The metadata of the first table whose glob matches a record's path (as records show it,
    /// which starts with the corpus directory).
    pub fn find(&self, path: &str) -> Option<&SourceMeta> {
        let relative = path
            .strip_prefix(&self.corpus)
            .map_or(path, |rest| rest.trim_start_matches('/'));
        self.list
            .iter()
            .find(|(glob, _)| glob.is_match(relative))
            .map(|(_, meta)| meta)
    }
}

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    rule: Vec<RuleSpec>,
    #[serde(default)]
    source: Vec<SourceMeta>,
}

/// Reads the `[[source]]` tables of the configuration in `corpus`; none when it has no
/// configuration file. `corpus` is the directory as record paths show it.
pub fn sources(corpus: &Path) -> Result<Sources, ConfigError> {
    let path = corpus.join(FILE_NAME);
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Sources::default()),
        Err(source) => {
            return Err(ConfigError::Read {
                path: shown,
                source,
            });
        }
    };
    parse_sources(&shown, &corpus.to_string_lossy(), &text)
}

/// Compiles the `[[source]]` tables of a configuration file's text.
pub fn parse_sources(path: &str, corpus: &str, text: &str) -> Result<Sources, ConfigError> {
    let file: File = toml::from_str(text).map_err(|err| ConfigError::Syntax {
        path: path.to_string(),
        message: err.to_string().trim_end().to_string(),
    })?;
    let mut list = Vec::new();
    for (at, meta) in file.source.into_iter().enumerate() {
        let fail = |message: String| ConfigError::Source {
            path: path.to_string(),
            number: at + 1,
            message,
        };
        let glob = globset::Glob::new(&meta.paths)
            .map_err(|err| fail(format!("bad paths glob {:?}: {err}", meta.paths)))?
            .compile_matcher();
        if let Some(date) = &meta.accessed {
            let valid = date.len() == 10
                && date.split('-').map(str::len).eq([4, 2, 2])
                && date.split('-').all(|part| part.parse::<u32>().is_ok());
            if !valid {
                return Err(fail(format!(
                    "accessed {date:?} is not a date like 2026-11-23"
                )));
            }
        }
        list.push((glob, meta));
    }
    Ok(Sources {
        corpus: corpus.trim_end_matches('/').to_string(),
        list,
    })
}

/// Reads and compiles the rules in a configuration file.
pub fn rules(path: &Path) -> Result<Vec<Rule>, ConfigError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: shown.clone(),
        source,
    })?;
    parse_rules(&shown, &text)
}

/// Compiles the rules of a configuration file's text; `path` names it in errors.
pub fn parse_rules(path: &str, text: &str) -> Result<Vec<Rule>, ConfigError> {
    let file: File = toml::from_str(text).map_err(|err| ConfigError::Syntax {
        path: path.to_string(),
        message: err.to_string().trim_end().to_string(),
    })?;
    file.rule
        .into_iter()
        .enumerate()
        .map(|(at, spec)| {
            let fail = |message: String| ConfigError::Rule {
                path: path.to_string(),
                number: at + 1,
                tag: spec.tag.clone(),
                message,
            };
            let tag = tags::normalize(&spec.tag).map_err(&fail)?;
            let pattern = regex::Regex::new(&spec.pattern)
                .map_err(|err| fail(format!("bad pattern {:?}: {err}", spec.pattern)))?;
            let kind = match spec.kind.as_deref() {
                None => None,
                Some("passage") => Some(Kind::Passage),
                Some("quote") => Some(Kind::Quote),
                Some(other) => {
                    return Err(fail(format!(
                        "kind {other:?} is not one of \"passage\", \"quote\""
                    )));
                }
            };
            Ok(Rule { tag, pattern, kind })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_compile() {
        let rules = parse_rules(
            "f.toml",
            "[[rule]]\ntag = \"event/battle\"\npattern = '(?i)\\bbattle of [A-Z]\\w+'\nkind = \"passage\"\n\n\
             [[rule]]\ntag = \"/theme/war/\"\npattern = 'war'\n\n[[source]]\npaths = \"**/*.txt\"\n",
        )
        .expect("valid rules");
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].tag, "/event/battle");
        assert_eq!(rules[0].kind, Some(Kind::Passage));
        assert!(rules[0].pattern.is_match("the Battle of Nahavand"));
        assert_eq!(rules[1].tag, "/theme/war");
        assert_eq!(rules[1].kind, None);
    }

    #[test]
    fn a_bad_pattern_names_the_rule_and_the_regex_error() {
        let err = parse_rules(
            "corpus/florilegium.toml",
            "[[rule]]\ntag = \"ok\"\npattern = 'x'\n[[rule]]\ntag = \"event/siege\"\npattern = 'siege of ('\n",
        )
        .expect_err("a bad regex");
        let message = err.to_string();
        assert!(
            message.starts_with("corpus/florilegium.toml: rule 2 (tag \"event/siege\")"),
            "{message}"
        );
        assert!(message.contains("unclosed group"), "{message}");
    }

    #[test]
    fn other_mistakes_are_named() {
        let syntax = parse_rules("f.toml", "[[rule]\n").expect_err("bad TOML");
        assert!(syntax.to_string().starts_with("f.toml: "), "{syntax}");
        let unknown = parse_rules("f.toml", "[[rule]]\ntag='a'\npatern='x'\n").expect_err("typo");
        assert!(unknown.to_string().contains("patern"), "{unknown}");
        let kind = parse_rules("f.toml", "[[rule]]\ntag='a'\npattern='x'\nkind='poem'\n")
            .expect_err("kind");
        assert!(kind.to_string().contains("\"poem\""), "{kind}");
        let tag = parse_rules("f.toml", "[[rule]]\ntag='a//b'\npattern='x'\n").expect_err("tag");
        assert!(tag.to_string().contains("tag path"), "{tag}");
    }
}
