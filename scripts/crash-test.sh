#!/usr/bin/env bash
# Crash safety: kill `flor ingest` with SIGKILL at random moments and check that the index
# still opens (holding the previous state or the new one), and that the next ingest ends with
# exactly the right records: none duplicated, none missing.
#
#   scripts/crash-test.sh [KILLS] [MEGABYTES]     (defaults: 50 kills, 8 MB of text)
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
megabytes=${2:-8}

cargo build --release --quiet
flor="$PWD/target/release/flor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"

# A corpus of several MB: the shipped pages, Debian's fortunes when installed, and generated
# prose and fortunes up to the size asked for.
cp corpus/*.txt "$work/corpus/"
if [ -d /usr/share/games/fortunes ]; then
  mkdir -p "$work/corpus/fortunes"
  find /usr/share/games/fortunes -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' \
    -exec cp {} "$work/corpus/fortunes/" \;
fi
python3 - "$work/corpus" "$megabytes" <<'PY'
import os, random, sys
root, megabytes = sys.argv[1], int(sys.argv[2])
random.seed(7)
words = "army empire war peace caliph river battle siege king city desert horse law money".split()
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(root) for f in fs)
n = 0
while size < megabytes * 1024 * 1024:
    path = os.path.join(root, f"gen{n:03d}.txt" if n % 2 else f"gen{n:03d}")
    with open(path, "w") as out:
        for i in range(2000):
            text = " ".join(random.choice(words) for _ in range(random.randint(8, 30)))
            if n % 2:
                out.write(f"Paragraph {n}.{i}: {text}.\n\n")
            else:
                out.write(f"Saying {n}.{i}: {text}.\n\t\t-- Author {i % 300}\n%\n")
    size += os.path.getsize(path)
    n += 1
PY
echo "corpus: $(du -sh "$work/corpus" | cut -f1) in $(find "$work/corpus" -type f | wc -l) files"

dump() { "$flor" search '*' --index "$1" --limit 100000000 --format jsonl | sort; }

start=$(date +%s%N)
"$flor" ingest "$work/corpus" --index "$work/reference" 2>/dev/null
took=$(( ($(date +%s%N) - start) / 1000000 ))
dump "$work/reference" > "$work/reference.jsonl"
echo "a full ingest takes ${took} ms; $(wc -l < "$work/reference.jsonl") records"

survived=0
opened_previous=0
for i in $(seq 1 "$kills"); do
  # Every other run reads everything again, so that most kills land in real work.
  flags=()
  if (( i % 2 == 0 )); then flags=(--rebuild); fi
  "$flor" ingest "$work/corpus" --index "$work/index" "${flags[@]}" >/dev/null 2>&1 &
  pid=$!
  delay=$(( RANDOM * took / 32768 ))
  sleep "$(printf '0.%03d' $(( delay % 1000 )))"
  sleep $(( delay / 1000 ))
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true

  ok=true
  if "$flor" search '*' --index "$work/index" --limit 1 >/dev/null 2>"$work/err"; then
    opened_previous=$((opened_previous + 1))
  elif ! grep -q "no index at" "$work/err"; then
    echo "kill $i after ${delay} ms: the index does not open: $(cat "$work/err")"
    ok=false
  fi
  if ! "$flor" ingest "$work/corpus" --index "$work/index" >/dev/null 2>"$work/err"; then
    echo "kill $i: the next ingest failed: $(cat "$work/err")"
    ok=false
  fi
  if ! dump "$work/index" | cmp -s - "$work/reference.jsonl"; then
    echo "kill $i after ${delay} ms: the records differ from a clean ingest"
    ok=false
  fi
  $ok && survived=$((survived + 1))
done
echo "crash-test: $kills kills, $survived survived ($opened_previous with an index that opened at once), corpus $megabytes MB"
[ "$survived" -eq "$kills" ]
