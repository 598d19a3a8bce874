#!/usr/bin/env bash
# Fetches the benchmark corpus (benches/corpus.txt) into DEST/sparse/OWNER__NAME and
# DEST/heavy/OWNER__NAME, each at its pinned commit, without history. Never commit them.
#
# usage: benches/fetch-corpus.sh DEST [MIRRORS]
#   MIRRORS  a folder of git repositories already fetched (no network needed): each one
#            MIRRORS/OWNER+NAME/repo, MIRRORS/OWNER+NAME, MIRRORS/OWNER__NAME.git or
#            MIRRORS/OWNER__NAME (bare or not) holding the pinned commit. Blobs a partial
#            mirror lacks (large files) are left out with a count.
set -euo pipefail
dest=${1:?usage: benches/fetch-corpus.sh DEST [MIRRORS]}
mirrors=${2:-}
list="$(dirname "$0")/corpus.txt"

# The git dir of REPO under MIRRORS, or nothing.
mirror_of() {
  local c
  for c in "$mirrors/${1/\//+}/repo" "$mirrors/${1/\//+}" "$mirrors/${1/\//__}.git" "$mirrors/${1/\//__}"; do
    if git --git-dir "$c" rev-parse -q --git-dir >/dev/null 2>&1; then echo "$c"; return; fi
    if git --git-dir "$c/.git" rev-parse -q --git-dir >/dev/null 2>&1; then echo "$c/.git"; return; fi
  done
}

# Writes COMMIT of git dir GD into DIR, blob by blob, leaving out the blobs GD lacks.
extract() {
  local gd=$1 commit=$2 dir=$3 missing=0 meta path mode type sha
  while IFS= read -r -d '' rec; do
    meta=${rec%%$'\t'*}
    path=${rec#*$'\t'}
    read -r mode type sha <<<"$meta"
    [ "$type" = blob ] && [ "$mode" != 120000 ] || continue
    mkdir -p "$dir/$(dirname "$path")"
    git --git-dir "$gd" cat-file blob "$sha" >"$dir/$path" 2>/dev/null || { rm -f "$dir/$path"; missing=$((missing + 1)); }
  done < <(git --git-dir "$gd" ls-tree -r -z "$commit")
  if [ "$missing" -gt 0 ]; then echo "  ($missing blobs absent from the mirror, left out)"; fi
}

grep -v '^#' "$list" | while read -r set repo commit; do
  [ -n "$set" ] || continue
  dir="$dest/$set/${repo/\//__}"
  if [ -d "$dir" ]; then echo "have $dir"; continue; fi
  gd=""
  if [ -n "$mirrors" ]; then gd=$(mirror_of "$repo"); fi
  if [ -n "$gd" ]; then
    git --git-dir "$gd" cat-file -e "$commit^{commit}" || { echo "$gd lacks $commit" >&2; exit 1; }
    rm -rf "$dir.part" && mkdir -p "$dir.part"
    if ! git --git-dir "$gd" archive "$commit" 2>/dev/null | tar -x -C "$dir.part" 2>/dev/null; then
      rm -rf "$dir.part" && mkdir -p "$dir.part"
      extract "$gd" "$commit" "$dir.part" # slower: one blob at a time
    fi
    mv "$dir.part" "$dir"
    echo "extracted $repo@$commit from $gd into $dir"
    continue
  fi
  mkdir -p "$dir"
  git -C "$dir" init -q
  git -C "$dir" fetch -q --depth 1 "https://github.com/$repo" "$commit"
  git -C "$dir" -c advice.detachedHead=false checkout -q FETCH_HEAD
  rm -rf "$dir/.git"
  echo "fetched $repo@$commit into $dir"
done
