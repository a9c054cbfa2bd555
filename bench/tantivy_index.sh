#!/usr/bin/env bash
# Builds OUT/tantivy-index from OUT/tantivy.jsonl with tantivy-cli 0.24.0, the peer flor is
# measured against. Usage: bench/tantivy_index.sh OUT [THREADS]
set -euo pipefail

out=${1:?usage: tantivy_index.sh OUT [THREADS]}
threads=${2:-2}
bench=$(cd "$(dirname "$0")" && pwd)
tantivy=${TANTIVY:-$bench/.tools/bin/tantivy}
dir=$out/tantivy-index
[[ -f $out/tantivy.jsonl ]] || { echo "tantivy_index: no $out/tantivy.jsonl; run make_corpus.py" >&2; exit 2; }

# `tantivy new` only asks questions. Per Text field: name, type, stored, fast, indexed,
# tokenized, then (if tokenized) term frequencies and positions; then "add another field".
# Tokenized text gets tantivy's en_stem tokenizer, untokenized gets raw (kind is a keyword).
text_field() { printf '%s\nText\nY\nN\nY\nY\nY\nY\n' "$1"; }
answers() {
    text_field text;   echo Y
    printf 'kind\nText\nY\nN\nY\nN\n'; echo Y
    text_field author; echo Y
    text_field title;  echo N
}
rm -rf "$dir"   # `new` refuses an existing index
# It re-asks forever on end of input, so a wrong answer list must not hang the run.
answers | timeout 30 "$tantivy" new -i "$dir" > "$out/tantivy-new.log" \
    && grep -q '"name": "kind"' "$dir/meta.json" \
    || { echo "tantivy_index: tantivy new failed; see $out/tantivy-new.log" >&2; exit 1; }

# Documents come from stdin (or -f FILE); -m is the total indexing memory (default 1 GB),
# split between the threads. A line that does not parse is only printed, so count after.
# GNU time writes "SECONDS PEAK_RSS_KB" to tantivy-time.txt for bench/measure.py.
/usr/bin/time -f '%e %M' -o "$out/tantivy-time.txt" \
    "$tantivy" index -i "$dir" -t "$threads" < "$out/tantivy.jsonl" > "$out/tantivy-index.log"
want=$(wc -l < "$out/tantivy.jsonl")
got=$(python3 -c 'import json,sys; print(sum(s["max_doc"] for s in json.load(open(sys.argv[1]))["segments"]))' "$dir/meta.json")
[[ $got == "$want" ]] || { echo "tantivy_index: indexed $got of $want documents" >&2; exit 1; }
echo "$dir: $got documents, $(du -sh "$dir" | cut -f1)"

# `search` prints every match (stored fields as JSON, unranked, segment by segment); there is
# no limit flag: `tantivy bench` or `tantivy serve` (`/api/?q=...&nhits=10`) rank a top 10.
hits=$("$tantivy" search -i "$dir" -q 'love AND money' | wc -l)
(( hits > 0 )) || { echo "tantivy_index: search found nothing for 'love AND money'" >&2; exit 1; }
echo "tantivy search -q 'love AND money': $hits documents"
