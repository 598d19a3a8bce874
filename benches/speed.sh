#!/usr/bin/env bash
# CI speed benchmark (issue 15): lockin against ripgrep on an AI-sparse tree and against
# ast-grep on an AI-heavy tree, run interleaved (A B A B ...), with medians, ratios, peak
# RSS (/usr/bin/time -f %M), the files each prefilter stage passed, and how the time
# grows when a tree is copied 1x, 2x, 4x, 8x. Machines are noisy: quote ratios, never
# absolute times, and never put timings in tests.
#
# usage: benches/speed.sh [--runs N] [--baseline BIN] [--growth DIR [--copies 1,2,4,8]] [--sparse DIR]... [--heavy DIR]...
#   --sparse DIR   an ordinary tree (compared with ripgrep); several are scanned together
#   --heavy DIR    an AI-heavy tree (compared with ast-grep); each is measured on its own
#   --baseline BIN another lockin binary timed in the same rounds (before/after a change)
#   --growth DIR   copy DIR 1x, 2x, 4x, 8x (hard links) and fit the growth exponent of
#                  CPU time and of wall time (--growth alone measures only that)
# Without trees it uses CORPUS/sparse/* and CORPUS/heavy/* (CORPUS defaults to
# ../lockin-corpus; fill it with benches/fetch-corpus.sh CORPUS).
# needs: ripgrep, ast-grep (pip install ast-grep-cli, or cargo install ast-grep --locked),
# GNU time (/usr/bin/time), python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
cargo build --release --quiet
exec python3 "$here/speed.py" --lockin "$PWD/target/release/lockin" --sgconfig "$here/ast-grep/sgconfig.yml" "$@"
