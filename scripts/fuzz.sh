#!/usr/bin/env bash
# Coverage-guided fuzzing of lockin's front ends with cargo-afl, on the stable toolchain
# (docs/fuzzing.md). Installs cargo-afl and builds AFL++ when they are missing, builds the
# targets of fuzz/ instrumented, seeds each target's corpus from fixtures/ (and rules/,
# tests/bad_rules/, tests/fuzz_regressions/), fuzzes under `nice -n 19`, then prints
# executions, corpus size, crashes and hangs, and copies crash and hang inputs to
# fuzz/crashes/TARGET/.
#
#   scripts/fuzz.sh TARGET SECONDS    # one target (scripts/fuzz.sh list names them)
#   scripts/fuzz.sh all SECONDS       # every target in turn, SECONDS each
#   scripts/fuzz.sh list
#
# FUZZ_OUT (default fuzz/out) holds AFL's output; a run starts afresh unless FUZZ_RESUME=1.
# FUZZ_TIMEOUT_MS (default 10000) is the time one input may take before AFL calls it a hang.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$repo/fuzz"
bin="$fuzz/target/release/lockin-fuzz"
out_root=${FUZZ_OUT:-$fuzz/out}

usage() {
    echo "usage: scripts/fuzz.sh TARGET|all SECONDS | list" >&2
    exit 2
}

# cargo-afl, and AFL++ built for this toolchain (it needs make and a C compiler; LLVM
# plugins are not used: rustc instruments the Rust code itself).
setup() {
    if ! cargo afl --version >/dev/null 2>&1; then
        echo "fuzz: installing cargo-afl" >&2
        cargo install --locked cargo-afl
    fi
    for tool in make cc; do
        command -v "$tool" >/dev/null || {
            echo "fuzz: AFL++ needs '$tool' (Debian/Ubuntu: apt-get install -y build-essential)" >&2
            exit 1
        }
    done
    local said
    if ! said=$(cargo afl config --build 2>&1) && ! grep -q 'already built' <<<"$said"; then
        echo "$said" >&2
        exit 1
    fi
    (cd "$fuzz" && nice -n 19 cargo afl build --release --quiet)
}

# Copies the files under $1 matching the find(1) name patterns $3... into $2, each
# prefixed with the byte string $prefix (empty by default). Seeds over 100 KiB are left out:
# AFL is slow on large inputs and mutates small ones better.
collect() {
    local from=$1 to=$2
    shift 2
    local args=() first=1
    for p in "$@"; do
        if [ $first = 1 ]; then first=0; else args+=(-o); fi
        args+=(-name "$p")
    done
    [ -d "$from" ] || return 0
    find "$from" -type f \( "${args[@]}" \) -size -100k -print0 | sort -z | while IFS= read -r -d '' f; do
        local name
        name=$(printf '%s' "${f#"$repo"/}" | tr '/' '_')
        { printf '%s' "${prefix:-}"; cat "$f"; } >"$to/$name"
    done
}

# The seed corpus of target $1 in folder $2.
seeds() {
    local t=$1 dir=$2 fx="$repo/fixtures"
    mkdir -p "$dir"
    case $t in
        python) collect "$fx" "$dir" '*.py' '*.pyi' '*.pyw' ;;
        javascript)
            # The first byte picks the dialect (fuzz/src/lib.rs: `javascript`).
            prefix=0 collect "$fx" "$dir" '*.js' '*.jsx' '*.mjs' '*.cjs'
            prefix=1 collect "$fx" "$dir" '*.ts' '*.mts' '*.cts'
            prefix=2 collect "$fx" "$dir" '*.tsx'
            prefix=3 collect "$fx" "$dir" '*.vue' '*.svelte'
            ;;
        rust) collect "$fx" "$dir" '*.rs' ;;
        notebook) collect "$fx" "$dir" '*.ipynb' ;;
        requirements) collect "$fx" "$dir" 'requirements*.txt' '*.in' ;;
        toml) collect "$fx" "$dir" 'pyproject.toml' 'Pipfile' ;;
        setup_cfg) collect "$fx" "$dir" 'setup.cfg' ;;
        package_json) collect "$fx" "$dir" 'package.json' ;;
        cargo) collect "$fx" "$dir" 'Cargo.toml' ;;
        go) collect "$fx" "$dir" '*.go' ;;
        go_mod) collect "$fx" "$dir" 'go.mod' ;;
        java) collect "$fx" "$dir" '*.java' ;;
        pom) collect "$fx" "$dir" 'pom.xml' ;;
        gradle) collect "$fx" "$dir" 'build.gradle' 'build.gradle.kts' ;;
        csharp) collect "$fx" "$dir" '*.cs' ;;
        nuget) collect "$fx" "$dir" '*.csproj' 'Directory.Packages.props' 'packages.config' ;;
        spring) collect "$fx" "$dir" 'application*.yml' 'application*.properties' ;;
        rules)
            collect "$repo/rules" "$dir" '*.toml'
            collect "$repo/tests/bad_rules" "$dir" '*.toml'
            ;;
        policy)
            collect "$fx" "$dir" 'lockin.toml' 'pyproject.toml'
            collect "$repo/src/config" "$dir" 'template.toml'
            ;;
    esac
    # Every crash ever found for this target (tests/fuzz_regressions.rs replays them).
    collect "$repo/tests/fuzz_regressions/$t" "$dir" '*'
    if [ -z "$(ls -A "$dir")" ]; then
        echo "fuzz: no seed for $t" >&2
        exit 1
    fi
}

stat_of() { sed -n "s/^$1 *: *//p" "$2"; }

fuzz_one() {
    local t=$1 secs=$2 out="$out_root/$1" work
    work=$(mktemp -d "${TMPDIR:-/tmp}/lockin-fuzz-seeds.XXXXXX")
    seeds "$t" "$work/$t"
    if [ "${FUZZ_RESUME:-0}" != 1 ]; then rm -rf "$out"; fi
    mkdir -p "$out"
    echo "fuzz: $t for ${secs}s, $(ls "$work/$t" | wc -l) seeds, output in $out" >&2
    # AFL_SKIP_CPUFREQ, AFL_NO_AFFINITY: a shared machine, no CPU set aside;
    # AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES: core dumps may go to a handler. Seeds that crash
    # (regression inputs not fixed yet) are skipped by AFL with a warning in afl.log.
    AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
        AFL_AUTORESUME=1 \
        nice -n 19 cargo afl fuzz -i "$work/$t" -o "$out" -V "$secs" -t "${FUZZ_TIMEOUT_MS:-10000}" \
        -- "$bin" "$t" >"$out/afl.log" 2>&1 || {
        tail -20 "$out/afl.log" >&2
        rm -rf "$work"
        return 1
    }
    rm -rf "$work"
    local stats="$out/default/fuzzer_stats" keep="$fuzz/crashes/$t"
    local crashes hangs
    crashes=$(stat_of saved_crashes "$stats")
    hangs=$(stat_of saved_hangs "$stats")
    printf '%-13s %10s execs  %8s execs/s  %6s paths  %3s crashes  %3s hangs  %5ss\n' "$t" \
        "$(stat_of execs_done "$stats")" "$(stat_of execs_per_sec "$stats")" "$(stat_of corpus_count "$stats")" \
        "$crashes" "$hangs" "$(stat_of run_time "$stats")"
    if [ "$crashes$hangs" != 00 ]; then
        mkdir -p "$keep"
        for f in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
            [ -e "$f" ] && cp "$f" "$keep/$(basename "$(dirname "$f")")-$(basename "$f" | cut -d, -f1 | tr ':' '-')"
        done
        echo "fuzz: $t: inputs copied to $keep (minimise: cargo afl tmin -i IN -o OUT -- $bin $t)" >&2
    fi
}

[ $# -ge 1 ] || usage
if [ "$1" = list ]; then
    setup
    "$bin" --list
    exit 0
fi
[ $# = 2 ] || usage
target=$1 secs=$2
setup
if [ "$target" = all ]; then
    for t in $("$bin" --list); do fuzz_one "$t" "$secs"; done
else
    # The list is read whole first: `grep -q` would close the pipe on the first match.
    targets=$("$bin" --list)
    grep -qx "$target" <<<"$targets" || {
        echo "fuzz: unknown target $target; one of: $("$bin" --list | tr '\n' ' ')" >&2
        exit 2
    }
    fuzz_one "$target" "$secs"
fi
