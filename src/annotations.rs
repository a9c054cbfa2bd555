//! The user's hand annotations, `annotations.toml` beside the corpus: tags and a note per
//! record id. The file is the truth; every ingest applies it, so rebuilding the index never
//! loses an annotation. It is written atomically: a temporary file, fsync, rename.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::model::UserAnnotation;

/// The name of the annotations file inside a corpus directory.
pub const FILE_NAME: &str = "annotations.toml";

/// Annotations by record id, in id order (so the file diffs well).
pub type Annotations = BTreeMap<String, UserAnnotation>;

/// Reads the annotations file; a missing file holds none.
pub fn load(path: &Path) -> Result<Annotations> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Annotations::new()),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    parse(&text).with_context(|| format!("{} is not a valid annotations file", path.display()))
}

/// Parses the text of an annotations file.
pub fn parse(text: &str) -> Result<Annotations, toml::de::Error> {
    toml::from_str(text)
}

/// Writes the annotations atomically: readers see the old file or the new one, never a part.
pub fn save(path: &Path, annotations: &Annotations) -> Result<()> {
    let mut text = String::from(
        "# Hand annotations by record id, kept by `flor annotate` and applied at every ingest.\n\n",
    );
    text.push_str(&toml::to_string(annotations).context("cannot write the annotations as TOML")?);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    write_atomically(path, text.as_bytes())
}

/// Replaces `path` with `bytes` through a temporary file in the same directory, synced to disk
/// before the rename and the directory synced after it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        // The rename is durable once the directory is synced; not every system allows it.
        if let Ok(dir) = fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_atomic_replace() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join(FILE_NAME);
        assert!(load(&path).expect("missing is empty").is_empty());
        let mut annotations = Annotations::new();
        annotations.insert(
            "q-a63278945856d5ba".to_string(),
            UserAnnotation {
                tags: vec!["/theme/war".to_string()],
                note: Some("Taft on \"preparedness\"\nsecond line".to_string()),
            },
        );
        annotations.insert(
            "p-0000000000000001".to_string(),
            UserAnnotation {
                tags: Vec::new(),
                note: Some("only a note".to_string()),
            },
        );
        save(&path, &annotations).expect("save");
        assert_eq!(load(&path).expect("load"), annotations);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_broken_file_is_named() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, "[q-1\ntags = 3\n").expect("write");
        let err = load(&path).expect_err("broken");
        assert!(format!("{err:#}").contains(FILE_NAME), "{err:#}");
    }
}
