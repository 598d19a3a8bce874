#!/usr/bin/env python3
"""Call recall of a lockin JSON report against hand-labelled call sites (read-only).

    score.py LABELS.csv REPORT.json

A label (path, line, vendor, how) is found when a `call` finding sits in the same file within
two lines; `vendor` may list accepted vendors separated by `|`. Prints recall overall and by
how the request is made (sdk, framework, http), and how many found labels got a vendor the
label accepts. Precision needs a person: call findings that match no label are listed."""
import csv
import json
import sys
from collections import defaultdict

VERBOSE = "-v" in sys.argv[3:]
labels = list(csv.DictReader(open(sys.argv[1])))
calls = [f for f in json.load(open(sys.argv[2]))["findings"] if f["kind"] == "call"]


def near(f, r):
    return f["path"] == r["path"] and abs(f["line"] - int(r["line"])) <= 2


by_how = defaultdict(lambda: [0, 0])
found = right = 0
for r in labels:
    hits = [f for f in calls if near(f, r)]
    by_how[r["how"]][0] += 1
    if hits:
        found += 1
        by_how[r["how"]][1] += 1
        # "self-hosted" in a label is lockin's portable vendor, `openai-compatible`; "unknown"
        # is its unknown-host vendor (a host, or a vendor set by configuration, no rule names).
        alias = {"self-hosted": "openai-compatible", "unknown": "unknown-host"}
        accepted = {alias.get(v, v) for v in r["vendor"].split("|")}
        ok = any(f["vendor"] in accepted for f in hits)
        right += ok
        if VERBOSE and not ok:
            print(f"  wrong vendor {r['path']}:{r['line']} {r['vendor']}: {sorted({f['vendor'] for f in hits})}")
    elif VERBOSE:
        print(f"  missed {r['path']}:{r['line']} {r['vendor']} ({r['how']})")
print(f"labelled {len(labels)} found {found} recall {found / max(1, len(labels)):.2f}; right vendor {right} of {found}")
for how, (n, k) in sorted(by_how.items()):
    print(f"  {how:10} {k}/{n}")
unmatched = [f for f in calls if not any(near(f, r) for r in labels)]
print(f"call findings {len(calls)}, matching no label {len(unmatched)}:")
for f in unmatched:
    print(f"  {f['path']}:{f['line']} {f['vendor']} {f['rule_id']}")
