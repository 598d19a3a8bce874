#!/usr/bin/env bash
# Speed check against a reference: lockin's full scan versus ripgrep searching the same
# tree for the SDK names. Machines are noisy: quote the medians and the ratio, never an
# absolute time, and never put timings in tests.
#
# usage: benches/compare-ripgrep.sh DIR [DIR...]
# needs: hyperfine and ripgrep (Debian: apt-get install hyperfine ripgrep)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$PWD/target/release/lockin"
pattern='openai|anthropic|genai|generativeai|vertexai|cohere|bedrock|mistralai|OPENAI_API_KEY'
for dir in "$@"; do
  out=$(mktemp)
  hyperfine --warmup 2 --runs 10 --export-json "$out" \
    "$bin scan '$dir' --format json --quiet -o /dev/null" \
    "rg -c -i -e '$pattern' '$dir'" >/dev/null || true
  python3 - "$dir" "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))["results"]
lockin, rg = d[0]["median"], d[1]["median"]
print(f"{sys.argv[1]}: lockin median {lockin*1000:.1f} ms, ripgrep median {rg*1000:.1f} ms, ratio {lockin/rg:.1f}x")
PY
  rm -f "$out"
done
