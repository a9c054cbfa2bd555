//! Integration tests: the real `flor` binary run in temporary directories, on a copy of the
//! shipped corpus and on the fixtures in `tests/fixtures/`.

mod annotations;
mod citations;
mod formats;
mod performance;
mod reliability;
mod spine;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;

/// The project root, where `corpus/` and `tests/fixtures/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary working directory holding a copy of `corpus/` and an empty `index/`
/// placeholder, as a fresh clone has.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// A workspace with a copy of the shipped corpus.
    pub fn with_corpus() -> Workspace {
        let ws = Workspace::empty();
        copy_dir(&root().join("corpus"), &ws.path().join("corpus"));
        ws
    }

    /// A workspace with an index placeholder and no corpus.
    pub fn empty() -> Workspace {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let index = dir.path().join("index");
        fs::create_dir(&index).expect("create index/");
        fs::write(index.join("README.md"), "placeholder\n").expect("write placeholder");
        Workspace { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file relative to the workspace, creating its directories.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent directories");
        }
        fs::write(&path, contents).expect("write file");
        path
    }

    /// Every record of the index at `index`, as sorted JSON lines: a clean comparison of two
    /// indexes.
    pub fn dump(&self, index: &str) -> Vec<String> {
        let mut lines: Vec<String> = self
            .flor(&[
                "search",
                "*",
                "--index",
                index,
                "--limit",
                "100000000",
                "--format",
                "jsonl",
            ])
            .expect_code(0)
            .stdout()
            .lines()
            .map(String::from)
            .collect();
        lines.sort();
        lines
    }

    /// Runs `flor` with these arguments in the workspace, without colour or FLOR_INDEX.
    pub fn flor(&self, args: &[&str]) -> Run {
        self.flor_with(args, &[])
    }

    /// Runs `flor` with extra environment variables.
    pub fn flor_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flor"));
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("FLOR_INDEX")
            .env_remove("NO_COLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().expect("run flor");
        Run { output }
    }
}

/// The result of one `flor` run.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code(),
            code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Parses `--format jsonl` output into contract records.
    #[track_caller]
    pub fn records(&self) -> Vec<RecordV1> {
        self.stdout()
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("not a version 1 record: {e}\n{line}"))
            })
            .collect()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create directory");
    for entry in fs::read_dir(from).expect("read directory").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The JSON record contract, version 1, as scripts read it. Unknown fields are refused, so a
/// change to the output fails here first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordV1 {
    pub id: String,
    pub kind: String,
    pub text: String,
    pub title: Option<String>,
    pub section: Option<String>,
    pub topic: Option<String>,
    pub keywords: Vec<String>,
    pub author: Option<AuthorV1>,
    pub years: Vec<i32>,
    pub tags: Vec<String>,
    pub note: Option<String>,
    pub sources: Vec<SourceV1>,
    pub score: Option<f32>,
    pub highlights: Option<Vec<[usize; 2]>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorV1 {
    pub name: String,
    pub born: Option<i32>,
    pub died: Option<i32>,
    pub flourished: Option<i32>,
    pub circa: bool,
    pub work: Option<String>,
    pub raw: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceV1 {
    pub path: String,
    pub line_start: u32,
    pub line_end: u32,
    pub title: Option<String>,
    pub section: Option<String>,
    pub topic: Option<String>,
    pub paragraph: Option<u32>,
}
