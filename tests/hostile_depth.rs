//! Deep and self-referring code (issue 12, item 1): every front end finishes, bounded in
//! resolution steps, with the file cut short named in `stats.errors` and what could be
//! found still found. Inputs are generated here; nothing large is committed.
mod common;

use common::{lockin_in, Scan, Tree};
use serde_json::Value;

/// The resolution steps the report counts.
fn steps(s: &Scan) -> u64 {
    s.json["stats"]["resolution_steps"].as_u64().expect("stats.resolution_steps")
}

fn rules_in(s: &Scan, path: &str) -> Vec<String> {
    s.findings_in(path).into_iter().map(|(_, _, r)| r).collect()
}

/// `(path, line, rule)` of every finding, paths without `prefix/`.
fn all_findings(json: &Value, prefix: &str) -> Vec<(String, u64, String)> {
    let mut v: Vec<_> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| {
            let p = f["path"].as_str()?;
            let p = if prefix.is_empty() { p } else { p.strip_prefix(prefix)?.strip_prefix('/')? };
            Some((p.to_string(), f["line"].as_u64()?, f["rule_id"].as_str()?.to_string()))
        })
        .collect();
    v.sort();
    v
}

fn json_of(cwd: &std::path::Path, args: &[&str]) -> Value {
    let run = lockin_in(cwd, args);
    run.completed();
    run.json()
}

/// Scans `text` at `rel` beside the good file: it completes, nothing is cut short, and
/// resolution takes few steps.
fn self_referring(rel: &str, text: &str) -> Vec<String> {
    let t = Tree::new();
    t.write(rel, text);
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert!(s.errors_for(rel).is_empty(), "nothing was cut short: {:?}", s.errors_for(rel));
    assert!(steps(&s) < 1_000, "{} steps", steps(&s));
    rules_in(&s, rel)
}

#[test]
fn an_assignment_that_refers_to_itself_through_a_call_argument() {
    let text = "import openai, re\ndef f(text):\n    text = re.sub(\"a\", \"b\", text.replace(\" \", \"-\"))\n";
    assert_eq!(self_referring("text.py", text), ["openai.import"]);
}

#[test]
fn an_attribute_that_refers_to_itself_through_a_call_argument() {
    let text = "import openai\nfrom urllib.parse import quote\n\nclass C:\n    def __init__(self, url):\n        self.url = url\n        self.url = quote(self.url.strip(\"/\"))\n        self.client = openai.OpenAI(base_url=self.url)\n";
    assert_eq!(self_referring("url.py", text), ["openai.import", "openai.client"]);
}

/// A small project whose modules export a client under names another copy exports too,
/// with a file that only the cross-module pass parses (no vendor literal) holding the
/// self-referring pattern.
fn project(t: &Tree, dir: &str) {
    t.write(&format!("{dir}/app/__init__.py"), "");
    t.write(&format!("{dir}/app/llm.py"), "from openai import OpenAI\n\nclient = OpenAI()\n");
    t.write(&format!("{dir}/web/client.ts"), "import OpenAI from \"openai\";\nexport const client = new OpenAI();\n");
    t.write(
        &format!("{dir}/web/chat.ts"),
        "import { client } from \"./client\";\nexport const r = client.chat.completions.create({ model: \"x\", messages: [] });\n",
    );
    t.write(
        &format!("{dir}/app/use.py"),
        "import re\nfrom app.llm import client\n\ndef ask(text):\n    text = re.sub(\"a\", \"b\", text.replace(\" \", \"-\"))\n    return client.chat.completions.create(model=\"x\", messages=[text])\n",
    );
}

#[test]
fn two_copies_with_colliding_exports_find_what_each_finds_alone() {
    let t = Tree::empty();
    project(&t, "one");
    project(&t, "two");
    let alone = json_of(&t.at("one"), &["scan", ".", "--format", "json"]);
    let alone = all_findings(&alone, "");
    assert!(alone.contains(&("app/use.py".into(), 6, "openai.chat-completions".into())), "{alone:?}");
    assert!(alone.contains(&("web/chat.ts".into(), 2, "openai.chat-completions".into())), "{alone:?}");
    let both = json_of(t.path(), &["scan", "one", "two", "--format", "json"]);
    assert_eq!(all_findings(&both, "one"), alone);
    assert_eq!(all_findings(&both, "two"), alone);
    // Absolute roots name their files by absolute paths: relative imports still resolve.
    let (one, two) = (t.at("one").display().to_string(), t.at("two").display().to_string());
    let both = json_of(t.path(), &["scan", &one, &two, "--format", "json"]);
    assert_eq!(all_findings(&both, &one), alone);
    assert_eq!(all_findings(&both, &two), alone);
}

#[test]
fn long_import_chains_and_cycles_end() {
    let t = Tree::new();
    t.write("chain/m0.py", "from openai import OpenAI\nclient = OpenAI()\n");
    for i in 1..300 {
        t.write(&format!("chain/m{i}.py"), format!("from m{} import client\nclient = client\n", i - 1));
    }
    t.write("chain/use.py", "from m299 import client\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n");
    let alone = json_of(&t.at("chain"), &["scan", ".", "--format", "json"]);
    // Cycles: modules importing each other's client, each naming the vendor.
    for i in 0..50 {
        t.write(
            &format!("cycle/c{i}.py"),
            format!("import openai\nfrom c{} import client\nclient = client or openai.OpenAI()\n", (i + 1) % 50),
        );
    }
    t.write(
        "cycle/a.ts",
        "import OpenAI from \"openai\";\nimport { client } from \"./b\";\nexport const c = client;\n",
    );
    t.write("cycle/b.ts", "import { c } from \"./a\";\nexport const client = c;\n");
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert_eq!(all_findings(&s.json, "chain"), all_findings(&alone, ""));
    let cycle = rules_in(&s, "cycle/c7.py");
    assert!(cycle.contains(&"openai.client".to_string()), "{cycle:?}");
}

/// Writes `rel` holding `text` beside the good file, scans, and checks the common promises:
/// the scan completes, the good file is intact, `rel` is in `stats.errors` as cut short for
/// its nesting, and the vendor import on its first line is still found. Returns its rules.
fn deep_case(rel: &str, text: String) -> Vec<String> {
    let t = Tree::new();
    t.write(rel, text);
    // One nested line of thousands of brackets reads as minified: scan it anyway.
    let s = t.scan(&["--no-skip-generated"]);
    s.assert_good_intact();
    let errors = s.assert_error(rel);
    assert!(errors.iter().any(|e| e.contains("nested over")), "{errors:?}");
    let found = s.findings_in(rel);
    assert!(found.iter().any(|(_, line, r)| *line == 1 && r == "openai.import"), "{found:?}");
    found.into_iter().map(|(_, line, r)| format!("{line} {r}")).collect()
}

/// `inner` wrapped `n` times in `open` ... `close`.
fn nest(open: &str, inner: &str, close: &str, n: usize) -> String {
    format!("{}{inner}{}", open.repeat(n), close.repeat(n))
}

const PY: &str = "import openai\n";
const JS: &str = "import OpenAI from \"openai\";\n";

#[test]
fn nested_parentheses() {
    deep_case("parens.py", format!("{PY}x = {}\n", nest("(", "1", ")", 2_500)));
}

#[test]
fn a_long_string_concatenation_beside_a_vendor_import() {
    let terms = vec!["\"s\""; 3_000].join(" + ");
    let text = format!("{PY}model = \"gpt-4o\"\nx = {terms}\n");
    assert!(deep_case("concat.py", text).contains(&"2 openai.model".to_string()), "literals are still read");
}

#[test]
fn nested_javascript_functions_and_arrows() {
    let functions = format!("{JS}{}\n", nest("function f() {", "", "}", 10_000));
    deep_case("functions.js", functions);
    let arrows =
        format!("{JS}const key = process.env.OPENAI_API_KEY;\nconst f = {};\n", nest("() => ", "1", "", 10_000));
    assert!(deep_case("arrows.js", arrows).contains(&"2 openai.env".to_string()), "env reads are still read");
}

#[test]
fn deep_typescript_generic_types_and_jsx() {
    let types = format!("{JS}type T = {};\n", nest("A<", "number", ">", 2_000));
    deep_case("types.ts", types);
    let jsx = format!("{JS}export const x = {};\n", nest("<div>{", "\"gpt-4o\"", "}</div>", 2_000));
    deep_case("page.tsx", jsx);
}

#[test]
fn a_thousand_nested_python_defs() {
    let n = 1_000;
    let mut text = String::from("import openai\n");
    for i in 0..n {
        text.push_str(&format!("{}def f{i}():\n", " ".repeat(i)));
    }
    text.push_str(&format!("{}model = \"gpt-4o\"\n", " ".repeat(n)));
    let found = deep_case("defs.py", text);
    // Lines past the indentation limit are kept from the parser and read for literals.
    assert!(found.contains(&format!("{} openai.model", n + 2)), "{found:?}");
}

#[test]
fn a_deeply_nested_rust_expression() {
    let text = format!("use async_openai::Client;\nfn main() {{ let x = {}; }}\n", nest("(", "1", ")", 5_000));
    let t = Tree::new();
    t.write("deep.rs", text);
    let s = t.scan(&[]);
    s.assert_good_intact();
    let errors = s.assert_error("deep.rs");
    assert!(errors.iter().any(|e| e.contains("nested over")), "{errors:?}");
}

/// `x = x.trim()` repeated: resolution steps grow about linearly with the chain, not
/// exponentially (each binding is resolved once).
#[test]
fn a_typescript_self_reassignment_chain_is_bounded_in_steps() {
    let chain = |n: usize| {
        let t = Tree::empty();
        let text = format!(
            "import OpenAI from \"openai\";\nlet x = process.argv[2];\n{}const client = new OpenAI();\n",
            "x = x.trim();\n".repeat(n)
        );
        t.write("chain.ts", text);
        let s = t.scan(&[]);
        assert!(s.errors_for("chain.ts").is_empty(), "{:?}", s.errors_for("chain.ts"));
        assert!(rules_in(&s, "chain.ts").contains(&"openai.client".to_string()));
        steps(&s)
    };
    let (five, fifty) = (chain(5), chain(50));
    assert!(five < 500, "{five} steps for 5 reassignments");
    assert!(fifty < 20 * five, "{fifty} steps for 50 reassignments, {five} for 5");
}
