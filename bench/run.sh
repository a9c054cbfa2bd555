#!/usr/bin/env bash
# The benchmark: flor against tantivy-cli 0.24.0, ripgrep and a bare tantivy baseline, on
# Debian's fortunes and the Brown corpus at 1x (≈ 8.6 MB of text) and scaled to ≈ 200 MB.
#
#   bench/run.sh              both sizes
#   bench/run.sh 1x           one size (1x or 200mb)
#
# Environment: RUNS (ingest rounds, default 3 at 1x and 1 at 200 MB), MEMORY (MB of indexing
# memory for flor and the baseline, default 512). Results go to bench/.work/SIZE/results.json
# and report.md; BENCHMARKS.md is written from them.
set -euo pipefail

bench=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$bench")
sizes=("$@")
(( ${#sizes[@]} )) || sizes=(1x 200mb)
memory=${MEMORY:-512}

"$bench/setup.sh"
cd "$root"
cargo build --release --quiet
flor=$root/target/release/flor
# The baseline is a harness-less cargo bench; its executable is named in cargo's JSON output.
baseline=$(cargo bench --bench baseline --no-run --message-format=json 2>/dev/null \
    | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "baseline" and m.get("executable"):
        print(m["executable"])')
[[ -x $baseline ]] || { echo "run.sh: the baseline bench did not build" >&2; exit 1; }

for size in "${sizes[@]}"; do
    case $size in
        1x) scale=1; runs=${RUNS:-3} ;;
        200mb) scale=23; runs=${RUNS:-1} ;;
        *) echo "run.sh: unknown size $size (1x or 200mb)" >&2; exit 2 ;;
    esac
    out=$bench/.work/$size
    if ! python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["scale"] != int(sys.argv[2]))' \
            "$out/stats.json" "$scale" 2>/dev/null; then
        python3 "$bench/make_corpus.py" --scale "$scale" --out "$out"
    fi
    python3 "$bench/measure.py" --out "$out" --flor "$flor" --baseline "$baseline" \
        --tantivy "$bench/.tools/bin/tantivy" --runs "$runs" --memory "$memory"
done
