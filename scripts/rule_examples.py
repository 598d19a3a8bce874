#!/usr/bin/env python3
"""Rewrite the `example` of every call rule (`[[operation]]` in rules/*.toml) whose example
does not produce its rule, from the rule data: the import and construction of a client of
the operation's API (its first constructor, or its module when the module is the client)
followed by the call, either the existing call line with its receiver bound to the client or
the rule's first `on_client` path called. Each candidate is scanned with the lockin binary and
the first whose last line (not counting closing brackets) produces the rule is written, with
`example_language` when it is not Python. tests/rule_examples.rs is the check; this script
only proposes text, and what it cannot make pass it lists.

usage: scripts/rule_examples.py [--write] [--lockin target/debug/lockin]
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = {"python": "app.py", "javascript": "app.ts", "rust": "main.rs", "go": "main.go", "java": "App.java", "csharp": "Program.cs"}
AS_OF = "2026-12-06"


def marked_line(text):
    lines = text.split("\n")
    for i in range(len(lines) - 1, -1, -1):
        t = lines[i].strip()
        if not (t.startswith("</") or t in ("...", "pass") or all(c.isspace() or c in "})];," for c in t)):
            return i + 1
    return 1


def load():
    ops, clients, sdks = [], [], []
    for f in sorted((ROOT / "rules").glob("*.toml")):
        d = tomllib.loads(f.read_text())
        owner = (d.get("vendor") or d.get("framework") or {}).get("id")
        if owner is None:
            continue
        for c in d.get("client", []):
            c = dict(c)
            c.setdefault("api", owner)
            c["vendor"] = owner
            clients.append(c)
        for s in d.get("sdk", []):
            sdks.append(s)
        for o in d.get("operation", []):
            o = dict(o)
            o.setdefault("api", owner)
            o["file"] = f
            ops.append(o)
    return ops, clients, sdks


def module_of(path, lang, sdks):
    known = [m for s in sdks if s["language"] == lang for m in s.get("modules", []) if path.startswith(m + ".")]
    if known:
        return max(known, key=len)
    segs = path.split(".")
    for i, s in enumerate(segs):
        if i > 0 and s[:1].isupper():
            return ".".join(segs[:i])
    return ".".join(segs[:-1])


def go_name(module):
    last = module.rsplit("/", 1)[-1]
    for p in ("go-",):
        if last.startswith(p):
            last = last[len(p):]
    for s in ("-go", "-sdk"):
        if last.endswith(s):
            last = last[: -len(s)]
    return last.replace("-", "")


def prelude(c, var, sdks):
    """Import and construction lines binding `var`, or None; and the receiver name."""
    lang = c["language"]
    arg = '"%s"' % c["first_arg"][0] if c.get("first_arg") and "." not in c["first_arg"][0] else ""
    out = []
    for path in c.get("constructors", [])[:3]:
        module = module_of(path, lang, sdks)
        rest = path[len(module) + 1:] if path.startswith(module + ".") else ""
        head = rest.split(".")[0] if rest else ""
        if lang == "python":
            if not rest or not head[:1].isupper():
                call = f"{module}.{rest}" if rest else module
                out.append((f"import {module}\n\n{var} = {call}({arg})", var))
            else:
                out.append((f"from {module} import {head}\n\n{var} = {rest}({arg})", var))
        elif lang == "javascript":
            new = "new " if rest.split(".")[-1][:1].isupper() else ""
            if not rest:
                out.append((f'const sdk = require("{module}");\n\nconst {var} = new sdk({arg});', var))
            elif head == "default":
                name = rest.replace("default", "Client", 1)
                out.append((f'import Client from "{module}";\n\nconst {var} = {new}{name}({arg});', var))
            else:
                out.append((f'import {{ {head} }} from "{module}";\n\nconst {var} = {new}{rest}({arg});', var))
        elif lang == "python" and False:
            pass
        elif lang == "go":
            pkg = go_name(module)
            out.append((f'package main\n\nimport "{module}"\n\nfunc main() {{\n\t{var} := {pkg}.{rest}({arg})', var))
        elif lang == "csharp":
            out.append((f"using {module};\n\nvar {var} = new {rest}({arg});", var))
        elif lang == "rust":
            name = rest.replace(".", "::")
            first = name.split("::")[0]
            out.append((f"use {module.replace('.', '::')}::{first};\n\nasync fn run() -> anyhow::Result<()> {{\n    let {var} = {name}({arg});", var))
        elif lang == "java":
            segs = path.split(".")
            ci = next((i for i, s in enumerate(segs) if s[:1].isupper()), len(segs) - 1)
            imp = ".".join(segs[: ci + 1])
            tail = ".".join(segs[ci:])
            call = f"new {tail}({arg})" if ci == len(segs) - 1 else f"{tail}({arg}).build()"
            out.append((f"import {imp};\n\nclass App {{\n    void run() {{\n        var {var} = {call};", var))
    for m in c.get("modules", [])[:2]:
        if lang == "python":
            top = m.split(".")[0]
            out.append((f"import {m}\n", m if "." not in m else m))
            del top
        elif lang == "javascript":
            name = re.sub(r"\W", "_", m.rsplit("/", 1)[-1])
            out.append((f'import {name} from "{m}";\n', name))
    return out


CLOSE = {"python": "", "javascript": "", "go": "\n}", "csharp": "", "rust": "\n    Ok(())\n}", "java": "\n    }\n}"}
INDENT = {"python": "", "javascript": "", "go": "\t", "csharp": "", "rust": "    ", "java": "        "}
END = {"python": "", "javascript": ";", "go": "", "csharp": ";", "rust": ";", "java": ";"}


def call_of(path, lang):
    segs = [s for s in path.split(".") if s != "__call__"]
    if lang in ("rust",):
        return "." + "().".join(segs) + "()" if segs else "()"
    if lang == "java":
        return "." + "().".join(segs) + "()"
    return ("." + ".".join(segs) if segs else "") + "()"


def candidates(op, clients, sdks):
    ex = op.get("docs", {}).get("example", "")
    line = ex.strip().split("\n")[-1] if ex.strip() else ""
    m = re.match(r"^(await\s+|let \w+ = |const \w+ = |\w+ = )?([A-Za-z_]\w*)\.", line)
    recv = m.group(2) if m else None
    out = []
    guess = "python"
    if "::" in line or ".await" in line:
        guess = "rust"
    elif re.search(r"\bnew \w+\(.*\)\.\w+Async\(|Async\(", line):
        guess = "csharp"
    elif ".builder()" in line:
        guess = "java"
    elif line.startswith("await ") or "new " in line or line.endswith(";") or "=>" in line:
        guess = "javascript"
    owner = op["id"].split(".")[0]
    mine = [c for c in clients if c.get("api") == op["api"] and not c.get("requests")]
    named = (recv or "").lower()
    mine.sort(key=lambda c: (c["language"] != guess, c["vendor"] != owner, named not in " ".join(c.get("constructors", [])).lower()))
    # A line that constructs its own client needs only the import of that constructor.
    for c in mine:
        lang = c["language"]
        for path in c.get("constructors", []):
            module = module_of(path, lang, sdks)
            rest = path[len(module) + 1:] if path.startswith(module + ".") else ""
            head = rest.split(".")[0] if rest else ""
            if not head or not re.search(r"\b%s\b" % re.escape(rest if lang != "rust" else rest.replace(".", "::")), line):
                continue
            imp = {
                "python": f"from {module} import {head}\n",
                "javascript": f'import {{ {head} }} from "{module}";\n',
                "csharp": f"using {module};\n",
                "java": "import %s;\n" % ".".join(path.split(".")[: next((i for i, x in enumerate(path.split(".")) if x[:1].isupper()), 0) + 1]),
                "rust": f"use {module.replace('.', '::')}::{head};\n",
                "go": f'package main\n\nimport "{module}"\n',
            }[lang]
            if lang in ("python", "javascript", "csharp"):
                out.append((lang, imp + "\n" + line + ("" if lang == "python" or line.endswith(";") else ";")))
            elif lang == "java":
                out.append((lang, imp + "\nclass App {\n    void run() {\n        " + line + ";\n    }\n}"))
            elif lang == "rust":
                out.append((lang, imp + "\nasync fn run() -> anyhow::Result<()> {\n    " + line + ";\n    Ok(())\n}"))
    # A receiver that is a module (`dspy.configure(...)`, `genai.embed_content(...)`) or a
    # class (`TextGenerationModel.from_pretrained(...)`) needs only its import.
    if recv and guess == "python":
        for m in [m for s_ in sdks if s_["language"] == "python" for m in s_.get("modules", [])]:
            if m.split(".")[-1] == recv:
                imp = f"import {m}" if m == recv else f"import {m} as {recv}"
                out.append(("python", imp + "\n\n" + line))
        for c in clients:
            for path in c.get("constructors", []) if c["language"] == "python" else []:
                segs = path.split(".")
                if recv[:1].isupper() and recv in segs[1:]:
                    i = segs.index(recv)
                    out.append(("python", "from %s import %s\n\n%s" % (".".join(segs[:i]), recv, line)))
    for c in mine:
        lang = c["language"]
        for pre, var in prelude(c, recv or "client", sdks):
            ind, end = INDENT[lang], END[lang]
            if recv and line:
                body = line if var == recv else line.replace(recv + ".", var + ".", 1)
                if end and not body.endswith((end, "{", ":")):
                    body += end
                out.append((lang, pre + "\n" + ind + body + CLOSE[lang]))
            paths = [p for p in op.get("on_client", []) if lang != "python" or p == p.lower()]
            for p in paths[:2]:
                out.append((lang, pre + "\n" + ind + var + call_of(p, lang) + end + CLOSE[lang]))
    return out


def scan(lockin, cases):
    """cases: list of (key, lang, text) -> set of keys whose rule fires at the marked line."""
    ok = set()
    with tempfile.TemporaryDirectory() as d:
        for i, (key, lang, text) in enumerate(cases):
            p = Path(d) / f"c{i:05}"
            p.mkdir()
            (p / FILES[lang]).write_text(text)
        r = subprocess.run([lockin, "scan", d, "--format", "json", "--no-config", "--as-of", AS_OF, "-q"], capture_output=True, text=True)
        found = set()
        for f in json.loads(r.stdout)["findings"]:
            found.add((f["path"].split("/")[0], f["line"], f["rule_id"]))
        for i, (key, lang, text) in enumerate(cases):
            if (f"c{i:05}", marked_line(text), key[0]) in found:
                ok.add(key)
    return ok


def toml_string(s):
    if "\n" not in s and "'" not in s:
        return "'%s'" % s
    if "'''" not in s:
        return "'''\n%s'''" % s
    return json.dumps(s)


def write(op, text, lang):
    f = op["file"]
    src = f.read_text()
    at = src.index('id = "%s"' % op["id"])
    ex = re.compile(r"^example = ('''.*?'''|'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\")\n(example_language = .*\n)?", re.S | re.M)
    m = ex.search(src, at)
    new = "example = %s\n" % toml_string(text)
    if lang != "python":
        new += 'example_language = "%s"\n' % lang
    src = src[: m.start()] + new + src[m.end():]
    f.write_text(src)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--lockin", default=str(ROOT / "target/debug/lockin"))
    a = ap.parse_args()
    ops, clients, sdks = load()
    current = [((o["id"], 0), o.get("docs", {}).get("example_language", "python"), o.get("docs", {}).get("example", "")) for o in ops]
    passing = {k[0] for k in scan(a.lockin, current)}
    failing = [o for o in ops if o["id"] not in passing]
    print(f"{len(ops) - len(failing)} of {len(ops)} call-rule examples pass", file=sys.stderr)
    cases = []
    for o in failing:
        for j, (lang, text) in enumerate(candidates(o, clients, sdks)):
            cases.append(((o["id"], j), lang, text))
    ok = scan(a.lockin, cases)
    left = []
    for o in failing:
        mine = sorted(k[1] for k in ok if k[0] == o["id"])
        if not mine:
            left.append(o["id"])
            continue
        key = (o["id"], mine[0])
        lang, text = next((c[1], c[2]) for c in cases if c[0] == key)
        print(f"== {o['id']} ({lang})\n{text}\n")
        if a.write:
            write(o, text, lang)
    print(f"no candidate for {len(left)}: {' '.join(left)}", file=sys.stderr)


if __name__ == "__main__":
    main()
