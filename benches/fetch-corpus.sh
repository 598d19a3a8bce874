#!/usr/bin/env bash
# Fetches the benchmark corpus (benches/corpus.txt) into DEST/sparse/OWNER__NAME and
# DEST/heavy/OWNER__NAME, each at its pinned commit, without history. Never commit them.
#
# usage: benches/fetch-corpus.sh DEST
set -euo pipefail
dest=${1:?usage: benches/fetch-corpus.sh DEST}
list="$(dirname "$0")/corpus.txt"
grep -v '^#' "$list" | while read -r set repo commit; do
  [ -n "$set" ] || continue
  dir="$dest/$set/${repo/\//__}"
  if [ -d "$dir" ]; then echo "have $dir"; continue; fi
  mkdir -p "$dir"
  git -C "$dir" init -q
  git -C "$dir" fetch -q --depth 1 "https://github.com/$repo" "$commit"
  git -C "$dir" -c advice.detachedHead=false checkout -q FETCH_HEAD
  rm -rf "$dir/.git"
  echo "fetched $repo@$commit into $dir"
done
