#!/usr/bin/env python3
"""Call recall of a lockin JSON report against hand-labelled call sites (read-only).

    score.py LABELS.csv REPORT.json [-v]

A label (path, line, vendor, how) is found when a `call` finding sits in the same file within
two lines; `vendor` may list accepted vendors separated by `|`. Prints recall overall and by
how the request is made (sdk, framework, http), and how many found labels got a vendor the
label accepts. Precision needs a person: call findings that match no label are listed.
`run.py` scores every set of `corpus.txt` through `score()`."""
import csv
import json
import sys
from collections import defaultdict

# "self-hosted" in a label is lockin's portable vendor, `openai-compatible`; "unknown" is its
# unknown-host vendor (a host, or a vendor set by configuration, no rule names).
# "sap" (cline's labels, written before the vendor file) is SAP AI Core's `sap-ai-core`.
# "ollama" is an Ollama server the user runs (localhost by default): self-hosted, so lockin's
# `openai-compatible`; Ollama's hosted service is labelled "ollama-cloud".
ALIAS = {"self-hosted": "openai-compatible", "unknown": "unknown-host", "sap": "sap-ai-core",
         "ollama": "openai-compatible"}


def near(f, r):
    return f["path"] == r["path"] and abs(f["line"] - int(r["line"])) <= 2


def score(labels, calls):
    """Returns found, right, by_how {how: [labelled, found]}, misses, wrong and unmatched."""
    by_how = defaultdict(lambda: [0, 0])
    found = right = 0
    misses, wrong = [], []
    for r in labels:
        hits = [f for f in calls if near(f, r)]
        by_how[r["how"]][0] += 1
        if not hits:
            misses.append(r)
            continue
        found += 1
        by_how[r["how"]][1] += 1
        accepted = {ALIAS.get(v, v) for v in r["vendor"].split("|")}
        if any(f["vendor"] in accepted for f in hits):
            right += 1
        else:
            wrong.append((r, sorted({f["vendor"] for f in hits})))
    unmatched = [f for f in calls if not any(near(f, r) for r in labels)]
    return {"found": found, "right": right, "by_how": dict(by_how), "misses": misses,
            "wrong": wrong, "unmatched": unmatched}


def load(labels_csv, report_json):
    labels = list(csv.DictReader(open(labels_csv)))
    calls = [f for f in json.load(open(report_json))["findings"] if f["kind"] == "call"]
    return labels, calls


def main():
    verbose = "-v" in sys.argv[3:]
    labels, calls = load(sys.argv[1], sys.argv[2])
    s = score(labels, calls)
    if verbose:
        for r, got in s["wrong"]:
            print(f"  wrong vendor {r['path']}:{r['line']} {r['vendor']}: {got}")
        for r in s["misses"]:
            print(f"  missed {r['path']}:{r['line']} {r['vendor']} ({r['how']})")
    found = s["found"]
    print(f"labelled {len(labels)} found {found} recall {found / max(1, len(labels)):.2f}; "
          f"right vendor {s['right']} of {found}")
    for how, (n, k) in sorted(s["by_how"].items()):
        print(f"  {how:10} {k}/{n}")
    print(f"call findings {len(calls)}, matching no label {len(s['unmatched'])}:")
    for f in s["unmatched"]:
        print(f"  {f['path']}:{f['line']} {f['vendor']} {f['rule_id']}")


if __name__ == "__main__":
    main()
