#!/usr/bin/env bash
# Smoke test of .pre-commit-hooks.yaml with the real pre-commit: a throwaway project that
# calls OpenAI under a policy denying OpenAI must fail the hook, with the verdict printed;
# the same project without the call must pass; a commit touching no file lockin reads must
# skip the hook.
#
# Not run by `cargo test`: it needs the network (pip install pre-commit; the `lockin` hook
# builds lockin with `cargo install`, in release, which takes several minutes on 2 cores).
# The hook repository is this checkout's HEAD: commit .pre-commit-hooks.yaml first.
#
#   scripts/pre-commit-smoke.sh                 # the `lockin` hook (language: rust)
#   HOOK=lockin-system scripts/pre-commit-smoke.sh   # the lockin on PATH
#
# LOCKIN_SMOKE_ENTRY replaces the hooks' entry in the tried copy (e.g.
# "lockin scan --fail-on info" for a lockin without `check`); PRE_COMMIT_VERSION pins
# pre-commit; KEEP=1 keeps the work folder.
set -euo pipefail

hook=${HOOK:-lockin}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/lockin-pre-commit.XXXXXX")
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "pre-commit${PRE_COMMIT_VERSION:+==$PRE_COMMIT_VERSION}"
pre_commit="$work/venv/bin/pre-commit"
echo "pre-commit $("$pre_commit" --version | cut -d' ' -f2), hook $hook, lockin at $(git -C "$repo" rev-parse --short HEAD)"
# A store of its own, so the hook is built from this commit, not taken from an earlier run.
export PRE_COMMIT_HOME="$work/store"

# The hook repository: this checkout's HEAD (committed files only, as pre-commit reads them).
git clone --quiet --no-checkout "$repo" "$work/hooks"
git -C "$work/hooks" checkout --quiet --detach "$(git -C "$repo" rev-parse HEAD)"
if [ -n "${LOCKIN_SMOKE_ENTRY:-}" ]; then
    python3 - "$work/hooks/.pre-commit-hooks.yaml" "$LOCKIN_SMOKE_ENTRY" <<'EOF'
import re, sys
path, entry = sys.argv[1], sys.argv[2]
text = open(path).read()
open(path, "w").write(re.sub(r"(?m)^(\s+entry:).*$", lambda m: f"{m.group(1)} {entry}", text))
EOF
    git -C "$work/hooks" -c user.name=smoke -c user.email=smoke@example.invalid commit --quiet -am "entry: $LOCKIN_SMOKE_ENTRY"
    echo "entry replaced by: $LOCKIN_SMOKE_ENTRY"
fi

# The project under test.
project="$work/project"
mkdir -p "$project"
cd "$project"
git init --quiet
git config user.name smoke
git config user.email smoke@example.invalid
cat > lockin.toml <<'EOF'
deny = ["openai"]
EOF
cat > app.py <<'EOF'
from openai import OpenAI

client = OpenAI()
client.chat.completions.create(model="gpt-4o", messages=[])
EOF
echo "# notes" > README.md
git add -A
git commit --quiet -m "calls OpenAI"

# try EXPECTED_STATUS ARGS...: runs the hook, prints its output, checks the status.
try() {
    local expected=$1 start status
    shift
    start=$(date +%s)
    set +e
    "$pre_commit" try-repo "$work/hooks" "$hook" "$@" > "$work/out.txt" 2>&1
    status=$?
    set -e
    sed 's/^/    | /' "$work/out.txt"
    echo "    -> exit $status in $(($(date +%s) - start)) s (expected $expected)"
    if [ "$status" -ne "$expected" ]; then
        echo "FAIL: expected exit $expected" >&2
        exit 1
    fi
}

echo "1. a call to OpenAI under deny = [\"openai\"]: the hook fails"
try 1 --all-files
grep -q "openai" "$work/out.txt" || { echo "FAIL: the report does not name openai" >&2; exit 1; }

echo "2. only README.md changed: the hook is skipped"
try 0 --files README.md
grep -q "Skipped" "$work/out.txt" || { echo "FAIL: the hook was not skipped" >&2; exit 1; }

echo "3. the OpenAI code removed: the hook passes"
cat > app.py <<'EOF'
def complete(prompt: str) -> str:
    return prompt
EOF
git commit --quiet -am "no vendor"
try 0 --all-files
grep -q "Passed" "$work/out.txt" || { echo "FAIL: the hook did not pass" >&2; exit 1; }

echo "ok"
