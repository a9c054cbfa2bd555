//! `flor annotate ID --tag PATH --note TEXT`: the user's own tags and note on a record. They
//! are kept in the corpus's `annotations.toml` (so every later ingest applies them again) and
//! written into the index at once.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::{Global, Outcome, open_store};
use crate::annotate::{self, tags};
use crate::annotations;
use crate::cache;
use crate::config;
use crate::model::UserAnnotation;
use crate::store::{Payload, Writer};

/// Arguments of `flor annotate`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true)
    .args(["tag", "note", "remove_tag", "clear_note"])))]
pub struct Args {
    /// The record's id, as search results print it
    #[arg(value_name = "ID")]
    pub id: String,

    /// Add this tag, e.g. "theme/war" (repeatable)
    #[arg(long, value_name = "PATH")]
    pub tag: Vec<String>,

    /// Set the note
    #[arg(long, value_name = "TEXT", conflicts_with = "clear_note")]
    pub note: Option<String>,

    /// Remove this tag (repeatable)
    #[arg(long, value_name = "PATH")]
    pub remove_tag: Vec<String>,

    /// Remove the note
    #[arg(long)]
    pub clear_note: bool,
}

/// Changes the record's annotation in `annotations.toml` and in the index.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let dir = global.index_dir();
    let store = open_store(global)?;
    let id = args.id.trim();
    let Some(mut entry) = store.get(id)? else {
        eprintln!("flor: no record with id {id:?} in {}", store.path());
        return Ok(Outcome::Partial);
    };
    let manifest = store
        .payload()
        .manifest
        .as_deref()
        .and_then(|name| cache::load_manifest(&dir, name));
    // The file the index was built with, unless --corpus names another.
    let file = match (&global.corpus, &manifest) {
        (None, Some(m)) => PathBuf::from(&m.annotations_path),
        _ => global.corpus_dir().join(annotations::FILE_NAME),
    };
    let rules = match manifest.as_ref().and_then(|m| m.rules_path.as_deref()) {
        Some(path) => config::rules(path.as_ref())?,
        None => Vec::new(),
    };
    let normalize = |paths: &[String]| -> Result<Vec<String>> {
        paths
            .iter()
            .map(|p| tags::normalize(p).map_err(anyhow::Error::msg))
            .collect()
    };
    let add = normalize(&args.tag)?;
    let remove = normalize(&args.remove_tag)?;
    if args.note.as_deref().is_some_and(|n| n.trim().is_empty()) {
        bail!("the note is empty; use --clear-note to remove a note");
    }

    // The index lock is taken first: it keeps a concurrent ingest or annotate out while the
    // file and the index change together.
    let mut writer = Writer::open(&dir)?;
    let mut all = annotations::load(&file)?;
    let mut user = all.remove(id).unwrap_or_default();
    let old = user.clone();
    user.tags.retain(|t| !remove.contains(t));
    for tag in add {
        if !user.tags.contains(&tag) {
            user.tags.push(tag);
        }
    }
    user.tags.sort();
    if let Some(note) = &args.note {
        user.note = Some(note.trim().to_string());
    }
    if args.clear_note {
        user.note = None;
    }
    if !user.is_empty() {
        all.insert(id.to_string(), user.clone());
    }
    annotations::save(&file, &all)?;

    // The entry's own tags are derived again, so a removed tag that a rule or the text also
    // gives stays.
    let formats: Vec<&str> = entry
        .tags
        .iter()
        .filter_map(|t| t.strip_prefix("/format/"))
        .collect();
    let formats: Vec<&'static str> = crate::source::FORMATS
        .iter()
        .map(|f| f.name())
        .filter(|name| formats.contains(name))
        .collect();
    entry.tags = tags::derive(&entry, &formats, &rules);
    entry.note = None;
    annotate::apply(&mut entry, &user);
    writer.delete(&entry.id);
    writer.put(&entry, false)?;

    let mut payload: Payload = store.payload().clone();
    if let Some(mut manifest) = manifest {
        let text =
            std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        manifest.annotations = cache::fingerprint(&[&text]);
        payload.manifest = Some(cache::save_manifest(&dir, &manifest)?);
        writer.commit(&payload)?;
        if let Some(name) = &payload.manifest {
            cache::collect_garbage(&dir, name, &manifest);
        }
    } else {
        writer.commit(&payload)?;
    }
    describe(id, &old, &user, &file);
    Ok(Outcome::Done)
}

/// Says on stderr what the record now carries, and where it is kept.
fn describe(id: &str, old: &UserAnnotation, new: &UserAnnotation, file: &std::path::Path) {
    if old == new {
        eprintln!("flor: {id} unchanged");
        return;
    }
    let tags = if new.tags.is_empty() {
        "no tags".to_string()
    } else {
        new.tags.join(" ")
    };
    let note = new
        .note
        .as_deref()
        .map_or_else(|| "no note".to_string(), |n| format!("note {n:?}"));
    eprintln!("flor: {id}: {tags}; {note} (kept in {})", file.display());
}
