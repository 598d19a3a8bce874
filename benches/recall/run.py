#!/usr/bin/env python3
"""Scores lockin on every labelled code set of corpus.txt (or those selected), end to end.

    run.py [--bin LOCKIN] [--mirrors DIR] [--trees DIR] [--out DIR] [-v] [SELECT ...]

For each set: finds the repository's git directory under --mirrors (as the `fetch` tool
leaves it, MIRRORS/OWNER+NAME/repo, or a bare or plain clone named OWNER__NAME), writes the
pinned commit's files (all of them, or only the folders the set's note says were extracted)
into --trees/NAME once, scans the set's folder with --no-config, keeps the JSON report in
--out/NAME.json and scores it with score.py. SELECT keeps sets whose language or name matches
(a language, a set name, or a suffix such as x28). Prints a line per set and totals per
language: labelled, found, right vendor, raw-HTTP found/labelled, call findings matching no
label. -v lists misses and wrong vendors. Sets whose mirror is absent are listed as skipped.
The repositories' code is never committed; trees live outside the checkout."""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from score import load, score  # noqa: E402


def parse_corpus(path):
    sets = []
    for line in open(path):
        if not line.strip() or line.startswith("#"):
            continue
        name, repo, commit, lang, rest = (line.rstrip("\n").split(None, 4) + [""])[:5]
        head, _, note = rest.partition("(")
        folders = head.split()
        excludes = re.findall(r"--exclude (\S+)", note)
        only = None
        if re.search(r"\bonly\b[^;]*\bextracted", note):
            explicit = re.search(r"only (\S+/\S*) extracted", note)
            base = folders[0] if folders else "."
            if explicit:
                only = [explicit.group(1).rstrip("/,")]
            elif len(folders) > 1:
                only = [os.path.normpath(os.path.join(base, f)) for f in folders[1:]]
            else:
                only = [base]
        sets.append({"name": name, "repo": repo, "commit": commit, "lang": lang,
                     "scan": folders[0] if folders else ".", "only": only,
                     "excludes": excludes})
    return sets


def git_dir(mirrors, repo):
    owner_name = repo.replace("/", "+")
    flat = repo.replace("/", "__")
    for c in (f"{mirrors}/{owner_name}/repo", f"{mirrors}/{owner_name}",
              f"{mirrors}/{flat}.git", f"{mirrors}/{flat}"):
        for g in (c, f"{c}/.git"):
            if os.path.isdir(g) and subprocess.run(
                    ["git", "--git-dir", g, "rev-parse", "-q", "--git-dir"],
                    capture_output=True).returncode == 0:
                return g
    return None


def extract(gd, s, dest):
    """Writes the set's files at its commit into dest, once (a marker records it). Blobs a
    partial mirror lacks (large media, mostly) are left out with a count."""
    marker = os.path.join(dest, ".lockin-recall-extracted")
    if os.path.exists(marker):
        return True
    listing = subprocess.run(["git", "--git-dir", gd, "ls-tree", "-r", "-z", s["commit"], "--"]
                             + (s["only"] or []), capture_output=True)
    if listing.returncode != 0:
        print(f"  {s['name']}: {listing.stderr.decode(errors='replace').strip()}", file=sys.stderr)
        return False
    entries = []
    for rec in listing.stdout.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode != b"120000":
            entries.append((path.decode(errors="replace"), sha))
    if not entries:
        print(f"  {s['name']}: nothing at {s['commit'][:10]} under {s['only']}", file=sys.stderr)
        return False
    batch = subprocess.Popen(["git", "--git-dir", gd, "cat-file", "--batch"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    missing = 0
    for path, sha in entries:
        batch.stdin.write(sha + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            missing += 1
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)
        out = os.path.join(dest, path)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "wb") as f:
            f.write(data)
    batch.stdin.close()
    batch.wait()
    if missing:
        print(f"  {s['name']}: {missing} blobs absent from the mirror, left out", file=sys.stderr)
    open(marker, "w").close()
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="lockin")
    ap.add_argument("--mirrors", default=os.environ.get("LOCKIN_MIRRORS", "/work/.mirror"))
    ap.add_argument("--trees", default=os.environ.get("LOCKIN_TREES", "/tmp/lockin-recall/trees"))
    ap.add_argument("--out", default="/tmp/lockin-recall/out")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus.txt"))
    ap.add_argument("-v", action="store_true")
    ap.add_argument("select", nargs="*")
    a = ap.parse_args()
    if os.sep in a.bin:
        a.bin = os.path.abspath(a.bin)  # each set is scanned from its own folder
    os.makedirs(a.out, exist_ok=True)
    sets = parse_corpus(a.corpus)
    if a.select:
        sets = [s for s in sets if any(x == s["lang"] or x == s["name"] or
                                       s["name"].endswith("-" + x.lstrip("-"))
                                       for x in a.select)]
    totals = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    print(f"{'set':32} {'lang':7} {'labelled':>8} {'found':>6} {'right':>6} {'http':>9} {'other':>6}")
    for s in sets:
        labels_csv = os.path.join(HERE, "labels", s["name"] + ".csv")
        if not os.path.exists(labels_csv):
            print(f"{s['name']:32} skipped: no labels")
            continue
        gd = git_dir(a.mirrors, s["repo"])
        if gd is None:
            print(f"{s['name']:32} skipped: no mirror of {s['repo']} under {a.mirrors}")
            continue
        tree = os.path.join(a.trees, s["name"])
        if not extract(gd, s, tree):
            print(f"{s['name']:32} skipped: commit {s['commit'][:10]} not extracted")
            continue
        report = os.path.join(os.path.abspath(a.out), s["name"] + ".json")
        cmd = [a.bin, "scan", ".", "--format", "json", "-o", report, "--no-config", "-q"]
        for x in s["excludes"]:
            cmd += ["--exclude", x]
        run = subprocess.run(cmd, cwd=os.path.join(tree, s["scan"]), capture_output=True, text=True)
        if not os.path.exists(report) or run.returncode not in (0, 1):
            print(f"{s['name']:32} failed: exit {run.returncode}: {run.stderr.strip()[:200]}")
            continue
        labels, calls = load(labels_csv, report)
        r = score(labels, calls)
        hn, hk = r["by_how"].get("http", [0, 0])
        t = totals[s["lang"]]
        for i, v in enumerate((len(labels), r["found"], r["right"], hk, hn, len(r["unmatched"]))):
            t[i] += v
        print(f"{s['name']:32} {s['lang']:7} {len(labels):8} {r['found']:6} {r['right']:6} "
              f"{hk:4}/{hn:<4} {len(r['unmatched']):6}", flush=True)
        if a.v:
            for lab, got in r["wrong"]:
                print(f"    wrong vendor {lab['path']}:{lab['line']} {lab['vendor']}: {got}")
            for lab in r["misses"]:
                print(f"    missed {lab['path']}:{lab['line']} {lab['vendor']} ({lab['how']})")
    print()
    for lang, (n, f, right, hk, hn, other) in sorted(totals.items()):
        print(f"{'total':32} {lang:7} {n:8} {f:6} {right:6} {hk:4}/{hn:<4} {other:6}"
              f"   recall {f / max(1, n):.2f}")
    json.dump(totals, open(os.path.join(a.out, "totals.json"), "w"), indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
