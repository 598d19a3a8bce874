#!/usr/bin/env bash
# Smoke test of .pre-commit-hooks.yaml with the real pre-commit, in a throwaway project
# whose lockin.toml denies OpenAI: `pre-commit try-repo` fails on code calling OpenAI and
# prints why; then, with the hook installed, committing the removal passes, a commit
# touching no file lockin reads skips the hook, and a commit adding a call is refused.
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

# expect STATUS COMMAND...: runs a command, prints its output indented, checks the status.
expect() {
    local expected=$1 start status
    shift
    start=$(date +%s)
    set +e
    "$@" > "$work/out.txt" 2>&1
    status=$?
    set -e
    sed 's/^/    | /' "$work/out.txt"
    echo "    -> exit $status in $(($(date +%s) - start)) s (expected $expected)"
    if [ "$status" -ne "$expected" ]; then
        echo "FAIL: expected exit $expected" >&2
        exit 1
    fi
}
# shows PATTERN: the last output contains it.
shows() { grep -q -- "$1" "$work/out.txt" || { echo "FAIL: the output lacks '$1'" >&2; exit 1; }; }

echo "1. pre-commit try-repo on a project calling OpenAI under deny = [\"openai\"]: the hook fails"
expect 1 "$pre_commit" try-repo "$work/hooks" "$hook" --all-files
shows "openai"
shows "Failed"

# The rest goes through git commit, as a team uses the hook: try-repo builds lockin anew on
# every call, an installed configuration builds it once.
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: $work/hooks
    rev: $(git -C "$work/hooks" rev-parse HEAD)
    hooks:
      - id: $hook
EOF
git add .pre-commit-config.yaml
git commit --quiet --no-verify -m "pre-commit configuration"
"$pre_commit" install > /dev/null

echo "2. git commit removing the OpenAI code: the hook passes, the commit is made"
cat > app.py <<'EOF'
def complete(prompt: str) -> str:
    return prompt
EOF
git add app.py
expect 0 git commit -m "no vendor"
shows "Passed"

echo "3. git commit touching no file lockin reads: the hook is skipped"
echo "more notes" >> README.md
git add README.md
expect 0 git commit -m "notes"
shows "Skipped"

echo "4. git commit adding a call to OpenAI: the hook fails, the commit is refused"
head=$(git rev-parse HEAD)
cat > bot.py <<'EOF'
import openai

reply = openai.OpenAI().chat.completions.create(model="gpt-4o-mini", messages=[])
EOF
git add bot.py
expect 1 git commit -m "calls OpenAI again"
shows "bot.py"
[ "$(git rev-parse HEAD)" = "$head" ] || { echo "FAIL: the commit was made" >&2; exit 1; }

echo "ok"
