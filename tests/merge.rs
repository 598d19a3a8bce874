//! `lockin merge`: ten reports of generated projects (scanned here), three reports of real
//! repositories (tests/merge_inputs/: cline, anything-llm and pydantic-ai scanned with the
//! release binary, kept as derived facts: call, client and model findings without snippets,
//! vendors, risk and stats), and three bad inputs, merged through the binary. The merge must
//! add up to its inputs, validate against docs/merge.schema.json, name each bad input with
//! its field, and render an HTML page with no script and every text escaped.

mod common;

use common::lockin_in;
use lockin::report::Format;
use lockin::scan::{scan, ScanOptions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A small project of kind `i % 4`, with `i % 3 + 1` chat calls.
fn project(dir: &Path, i: usize) {
    let calls = i % 3 + 1;
    match i % 4 {
        0 => {
            let mut s = String::from("from openai import OpenAI\n\nclient = OpenAI()\n");
            for n in 0..calls {
                s += &format!("r{n} = client.chat.completions.create(model=\"gpt-4o\", messages=[])\n");
            }
            s += "a = client.beta.assistants.create(model=\"gpt-4o-mini\")\n";
            fs::write(dir.join("app.py"), s).unwrap();
        }
        1 => {
            let mut s = String::from("import anthropic\n\nclient = anthropic.Anthropic()\n");
            for n in 0..calls {
                s += &format!(
                    "m{n} = client.messages.create(model=\"claude-3-5-sonnet-20241022\", max_tokens=9, messages=[])\n"
                );
            }
            fs::write(dir.join("bot.py"), s).unwrap();
        }
        2 => {
            let mut s = String::from(
                "import OpenAI from \"openai\";\nconst client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL });\n",
            );
            for n in 0..calls {
                s += &format!("export const r{n} = await client.chat.completions.create({{ model: \"gpt-4o\", messages: [] }});\n");
            }
            fs::write(dir.join("index.ts"), s).unwrap();
        }
        _ => {
            let s =
                "from openai import OpenAI\n\nlocal = OpenAI(base_url=\"http://localhost:11434/v1\", api_key=\"x\")\n\
                     e = local.embeddings.create(model=\"nomic-embed-text\", input=\"hi\")\n\
                     g = OpenAI(base_url=\"https://openrouter.ai/api/v1\")\n\
                     c = g.chat.completions.create(model=\"openai/gpt-4o\", messages=[])\n";
            fs::write(dir.join("app.py"), s).unwrap();
        }
    }
}

/// Ten generated reports, three real ones and three bad inputs in one folder.
fn inputs() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let rules = lockin::rules::load_embedded();
    for i in 0..10 {
        let src = tempfile::tempdir().unwrap();
        project(src.path(), i);
        let report = scan(
            &ScanOptions { paths: vec![src.path().to_path_buf()], threads: Some(1), ..ScanOptions::default() },
            &rules,
        )
        .expect("the scan runs");
        let mut buf = Vec::new();
        lockin::report::render(&report, Format::Json, &lockin::report::Context::new(&rules), &mut buf).unwrap();
        let mut v: Value = serde_json::from_slice(&buf).unwrap();
        v["root"] = format!("repo-{i:02}").into();
        if i == 0 {
            // A finding of the lifecycle rules another part of lockin adds (issue 18, point 4).
            let mut f = v["findings"][0].clone();
            f["rule_id"] = "lifecycle.retired".into();
            f["message"] = "OpenAI retired `gpt-4-0314` on 2024-06-13".into();
            v["findings"].as_array_mut().unwrap().push(f);
        }
        fs::write(out.path().join(format!("repo-{i:02}.json")), serde_json::to_string_pretty(&v).unwrap()).unwrap();
    }
    let real = root().join("tests/merge_inputs");
    for name in ["cline", "anything-llm", "pydantic-ai"] {
        fs::copy(real.join(format!("{name}.json")), out.path().join(format!("{name}.json"))).unwrap();
    }
    fs::write(out.path().join("notes.json"), "this is not JSON").unwrap();
    fs::write(out.path().join("future.json"), r#"{"schema_version": 2, "findings": []}"#).unwrap();
    let mut wrong: Value = serde_json::from_str(&fs::read_to_string(real.join("cline.json")).unwrap()).unwrap();
    wrong["vendors"][0]["call_sites"] = "many".into();
    fs::write(out.path().join("<img src=x onerror=alert(1)>.json"), wrong.to_string()).unwrap();
    out
}

fn merged(dir: &Path, format: &str) -> (String, String) {
    let run = lockin_in(dir, &["merge", ".", "--format", format]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    (String::from_utf8(run.stdout).unwrap(), run.stderr)
}

#[test]
fn merges_thirteen_reports_and_names_the_bad_ones() {
    let dir = inputs();
    let (json, stderr) = merged(dir.path(), "json");
    let m: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(m["totals"]["repositories"], 13);
    let errors = m["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let error_of =
        |file: &str| errors.iter().find(|e| e["file"] == file).map(|e| e["message"].as_str().unwrap().to_string());
    assert!(error_of("./notes.json").unwrap().starts_with("not JSON"), "{errors:#?}");
    assert_eq!(error_of("./future.json").unwrap(), "field `schema_version`: expected 1, found 2");
    assert!(error_of("./<img src=x onerror=alert(1)>.json").unwrap().starts_with("field `vendors[0].call_sites`"));
    assert!(stderr.contains("future.json: field `schema_version`"), "{stderr}");

    // The vendors add up to the inputs' vendors.
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    let mut files: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        let Ok(v) = serde_json::from_str::<Value>(&fs::read_to_string(&f).unwrap()) else { continue };
        if v["schema_version"] != 1 || v["vendors"][0]["call_sites"].is_string() {
            continue;
        }
        for vendor in v["vendors"].as_array().unwrap() {
            *expected.entry(vendor["vendor"].as_str().unwrap().into()).or_default() +=
                vendor["call_sites"].as_u64().unwrap();
        }
    }
    let got: BTreeMap<String, u64> = m["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["vendor"].as_str().unwrap().to_string(), v["call_sites"].as_u64().unwrap()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(m["totals"]["call_sites"].as_u64().unwrap(), expected.values().sum::<u64>());

    // Ranked by risk, highest first.
    let repos = m["repositories"].as_array().unwrap();
    let risks: Vec<u64> = repos.iter().map(|r| r["risk"].as_u64().unwrap()).collect();
    assert!(risks.windows(2).all(|w| w[0] >= w[1]), "{risks:?}");
    let repo = |name: &str| repos.iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name} merged"));
    // Projects of kind 2 read their base URL from the environment; kind 3 calls a local
    // server and OpenRouter; kind 0 calls OpenAI's default endpoint.
    assert_eq!(repo("repo-02")["routes_through_gateway"], true);
    assert!(repo("repo-02")["configurable_call_sites"].as_u64().unwrap() > 0);
    assert_eq!(repo("repo-03")["self_hosted_call_sites"], 1);
    assert_eq!(repo("repo-03")["gateway_call_sites"], 1);
    assert_eq!(repo("repo-00")["routes_through_gateway"], false);
    // Derived facts of the real repositories (their reports are in tests/merge_inputs).
    for (name, calls, risk, grade) in
        [("cline", 9, 33, "B"), ("anything-llm", 474, 51, "C"), ("pydantic-ai", 19, 50, "C")]
    {
        let r = repo(name);
        assert_eq!(
            (r["call_sites"].as_u64(), r["risk"].as_u64(), r["grade"].as_str()),
            (Some(calls), Some(risk), Some(grade))
        );
    }
    // Assistants have no open equivalent: that capability ranks before chat.
    let caps: Vec<&str> =
        m["capabilities"].as_array().unwrap().iter().map(|c| c["capability"].as_str().unwrap()).collect();
    assert_eq!(caps[0], "assistants", "{caps:?}");
    let gpt4o = m["models"].as_array().unwrap().iter().find(|x| x["model"] == "gpt-4o").expect("gpt-4o in use");
    assert!(gpt4o["repositories"].as_array().unwrap().len() >= 5);
    assert_eq!(m["lifecycle"][0]["rule_id"], "lifecycle.retired");
    assert_eq!(m["lifecycle"][0]["repositories"], serde_json::json!(["repo-00"]));

    // The schema.
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(root().join("docs/merge.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::options().build(&schema).expect("the schema compiles");
    let problems: Vec<String> = validator.iter_errors(&m).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let mut bad = m.clone();
    bad["repositories"][0]["surprise"] = 1.into();
    assert!(!validator.is_valid(&bad), "the schema rejects unknown fields");
}

#[test]
fn html_is_self_contained_and_escaped() {
    let dir = inputs();
    let (html, _) = merged(dir.path(), "html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("default-src 'none'"));
    assert!(html.matches("<svg").count() >= 2, "two charts");
    for banned in ["<script", " src=\"", " href=\"", "url(", "@import", "<link", "<iframe"] {
        assert!(!html.contains(banned), "{banned} in the page");
    }
    // The bad input's file name is shown escaped in the "left out" table.
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.json"));
    assert!(!html.contains("<img"));
}

#[test]
fn markdown_matches_snapshot() {
    let dir = inputs();
    let (md, _) = merged(dir.path(), "markdown");
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("merge__markdown", md);
    });
}

#[test]
fn reports_merge_in_any_order_to_the_same_bytes() {
    let dir = inputs();
    let mut files: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("repo-") || ["cline.json", "pydantic-ai.json"].contains(&n.as_str()))
        .collect();
    files.sort();
    let args = |files: &[String]| {
        let mut a = vec!["merge".to_string(), "--format".into(), "json".into()];
        a.extend(files.iter().cloned());
        a
    };
    let forward = lockin_in(dir.path(), &args(&files).iter().map(String::as_str).collect::<Vec<_>>());
    files.reverse();
    let backward = lockin_in(dir.path(), &args(&files).iter().map(String::as_str).collect::<Vec<_>>());
    let strip = |out: &[u8]| {
        let mut v: Value = serde_json::from_slice(out).unwrap();
        for r in v["repositories"].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("report");
        }
        v
    };
    assert_eq!(strip(&forward.stdout), strip(&backward.stdout));
}

#[test]
fn no_readable_report_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.json"), "[]").unwrap();
    let run = lockin_in(dir.path(), &["merge", "a.json"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("a.json: not a lockin JSON report"), "{}", run.stderr);
}
