//! Every output format on fixture projects: snapshots, validation against the published
//! schemas (docs/report.schema.json, SARIF 2.1.0, CycloneDX 1.6, GitLab Code Quality's
//! documented fields), the escaping of hostile input in Markdown, stable SARIF
//! fingerprints, determinism, and several formats from one scan.

mod common;

use common::{sarif_validator, shared_schema};
use lockin::baseline::Baseline;
use lockin::config::Config;
use lockin::pipeline::{self, BaselineUse, Run};
use lockin::policy::Policy;
use lockin::report::{self, Context, DiffScope, Format, Report};
use lockin::rules::{load_embedded, RuleSet};
use lockin::scan::{scan, ScanOptions};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(load_embedded)
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Scans `fixtures/<case>`; `root` is set to the relative path so outputs do not depend
/// on where the repository lives.
fn report_of(case: &str) -> Report {
    let mut r = scan(
        &ScanOptions {
            paths: vec![root().join("fixtures").join(case)],
            as_of: lockin::lifecycle::Date::parse("2026-12-06").expect("a day"),
            ..ScanOptions::default()
        },
        rules(),
    )
    .expect("fixture scans");
    r.root = format!("fixtures/{case}");
    r
}

fn render_with(report: &Report, format: Format, ctx: &Context) -> String {
    let mut out = Vec::new();
    report::render(report, format, ctx, &mut out).expect("rendering to memory cannot fail");
    String::from_utf8(out).expect("reports are UTF-8")
}

fn render(report: &Report, format: Format) -> String {
    render_with(report, format, &Context::new(rules()))
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).expect("valid JSON")
}

/// Every fixture project, as `<language>/<case>`.
fn cases() -> Vec<String> {
    let mut out = Vec::new();
    for lang in ["javascript", "python", "typescript"] {
        let Ok(dir) = fs::read_dir(root().join("fixtures").join(lang)) else { continue };
        let mut names: Vec<String> = dir
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| format!("{lang}/{}", e.file_name().to_string_lossy()))
            .collect();
        names.sort();
        out.extend(names);
    }
    out
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).take(10).collect();
    assert!(errors.is_empty(), "{what} does not match its schema:\n{}", errors.join("\n"));
}

fn snapshot_name(case: &str, format: &str) -> String {
    format!("reports__{}__{format}", case.replace('/', "__"))
}

macro_rules! snap_text {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

/// Cases whose every format is snapshotted: a Python app, a TypeScript app, and the
/// hostile Markdown case.
const SNAPSHOT_CASES: [&str; 3] = ["python/openai_app", "typescript/nextjs_app", "python/hostile_markdown"];

#[test]
fn json_snapshots() {
    for case in SNAPSHOT_CASES {
        let v = json(&render(&report_of(case), Format::Json));
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(snapshot_name(case, "json"), v, {
                ".tool.version" => "[version]",
            });
        });
    }
}

#[test]
fn sarif_snapshots() {
    for case in SNAPSHOT_CASES {
        let v = json(&render(&report_of(case), Format::Sarif));
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(snapshot_name(case, "sarif"), v, {
                ".runs[].tool.driver.version" => "[version]",
                ".runs[].tool.driver.semanticVersion" => "[version]",
            });
        });
    }
}

#[test]
fn cyclonedx_snapshots() {
    for case in SNAPSHOT_CASES.iter().copied().chain(["python/manifests", "javascript/node_scripts"]) {
        let v = json(&render(&report_of(case), Format::Cyclonedx));
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(snapshot_name(case, "cyclonedx"), v, {
                ".metadata.tools.components[].version" => "[version]",
            });
        });
    }
}

#[test]
fn gitlab_snapshots() {
    for case in SNAPSHOT_CASES {
        let v = json(&render(&report_of(case), Format::Gitlab));
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(snapshot_name(case, "gitlab"), v);
        });
    }
}

#[test]
fn markdown_snapshots() {
    let version = env!("CARGO_PKG_VERSION");
    for case in SNAPSHOT_CASES {
        let md = render(&report_of(case), Format::Markdown).replace(version, "[version]");
        snap_text!(snapshot_name(case, "markdown"), md);
    }
}

/// See: issue 16 point 8. Workflow commands for repositories without code scanning.
#[test]
fn github_annotation_snapshots() {
    for case in SNAPSHOT_CASES {
        let text = render(&report_of(case), Format::Github);
        assert!(text
            .lines()
            .all(|l| l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice ")));
        snap_text!(snapshot_name(case, "github"), text);
    }
}

#[test]
fn table_snapshots() {
    for case in SNAPSHOT_CASES {
        snap_text!(snapshot_name(case, "table"), render(&report_of(case), Format::Table));
    }
}

#[test]
fn markdown_links_paths_with_link_base() {
    let mut ctx = Context::new(rules());
    ctx.link_base = Some("https://github.com/acme/app/blob/0123abc/".into());
    let md = render_with(&report_of("python/openai_app"), Format::Markdown, &ctx);
    assert!(md.contains("[`app/jobs.py:7`](https://github.com/acme/app/blob/0123abc/app/jobs.py#L7)"), "{md}");
    // Hostile paths are percent-encoded in the link and escaped in its text.
    let md = render_with(&report_of("python/hostile_markdown"), Format::Markdown, &ctx);
    assert!(
        md.contains("](https://github.com/acme/app/blob/0123abc/%40here%20%60tick%60%20%5Bx%5D%28y%29/llm.py#L4)"),
        "{md}"
    );
}

/// The number of table cells in a Markdown row: `|` not escaped by a backslash.
fn cells(row: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n
}

// See: issue 5 (text from scanned code cannot break tables, ping anyone or inject markup).
#[test]
fn markdown_escapes_hostile_code() {
    let mut ctx = Context::new(rules());
    ctx.link_base = Some("https://example.com/blob/1".into());
    let report = report_of("python/hostile_markdown");
    // The fixture does carry the dangerous text into the report...
    let raw = serde_json::to_string(&report).unwrap();
    for bad in ["<script>", "](javascript:", "@here", "@channel", "@everyone", "<img", "|<"] {
        assert!(raw.contains(bad), "fixture lost {bad}");
    }
    // ...and none of it reaches the Markdown raw.
    for md in [render(&report, Format::Markdown), render_with(&report, Format::Markdown, &ctx)] {
        for bad in ["<script", "</script", "<img", "<b>", "](javascript:", "@here", "@channel", "@everyone", "`pwn`"] {
            assert!(!md.contains(bad), "raw {bad:?} in:\n{md}");
        }
        // Every row of a table has as many cells as its header.
        let mut header: Option<usize> = None;
        for line in md.lines() {
            if !line.starts_with('|') {
                header = None;
                continue;
            }
            let n = cells(line);
            match header {
                None => header = Some(n),
                Some(h) => assert_eq!(n, h, "broken row: {line}"),
            }
        }
        // The model names and the snippet are still shown, escaped.
        assert!(md.contains("<code>gpt-4o\\|&lt;script&gt;alert(1)&lt;/script&gt;</code>"), "{md}");
        assert!(md.contains("## Hard to move"), "{md}");
    }
}

#[test]
fn json_reports_match_the_published_schema() {
    let schema = json(&fs::read_to_string(root().join("docs/report.schema.json")).unwrap());
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema is valid");
    let cases = cases();
    assert!(cases.len() >= 5, "{cases:?}");
    for case in &cases {
        assert_valid(&validator, &json(&render(&report_of(case), Format::Json)), case);
    }
    // The schema rejects what the contract forbids.
    let mut bad = json(&render(&report_of("python/openai_app"), Format::Json));
    bad["findings"][0]["kind"] = "guess".into();
    assert!(!validator.is_valid(&bad));
}

/// The CI-gate fixture with its policy evaluated and a baseline holding its first three
/// findings: every optional part of the report is present.
fn gate_report() -> Report {
    let case = root().join("fixtures/python/ci_gate");
    let plain = report_of("python/ci_gate");
    let config = Config::load(&case.join("lockin.toml")).expect("the fixture's policy loads");
    let policy = Policy::new(Some(&config), None, rules(), Vec::new()).expect("the fixture's policy compiles");
    let run = Run {
        baseline: BaselineUse::Read {
            baseline: Baseline::of(&plain.findings[..3]),
            shown: "lockin-baseline.json".into(),
        },
        policy: Some(policy),
        ..Run::new(ScanOptions { paths: vec![case], ..ScanOptions::default() })
    };
    let mut r = pipeline::run(&run, rules()).expect("fixture scans").report;
    r.root = plain.root;
    r
}

#[test]
fn diff_aware_reports_say_what_was_scanned() {
    let mut r = report_of("python/openai_app");
    r.scope = Some(DiffScope {
        changed_since: "origin/main".into(),
        merge_base: "0123456789abcdef0123456789abcdef01234567".into(),
        changed_files: 1,
        deleted_files: 2,
        imported_files: 0,
        unchanged_files_not_scanned: 412,
        ..DiffScope::default()
    });
    let table = render(&r, Format::Table);
    assert!(
        table.starts_with(
            "Diff-aware: 1 file changed since origin/main (merge base 0123456) was scanned; 412 unchanged files \
             were not; 2 files deleted. Findings and scores cover the changed files only.\n\n"
        ),
        "{table}"
    );
    let md = render(&r, Format::Markdown);
    assert!(
        md.contains(
            "\n**Diff-aware:** 1 file changed since `origin/main` (merge base `0123456`) was scanned; 412 unchanged \
             files were not; 2 files deleted. Findings and scores cover the changed files only.\n"
        ),
        "{md}"
    );
    let schema = json(&fs::read_to_string(root().join("docs/report.schema.json")).unwrap());
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema is valid");
    let mut v = json(&render(&r, Format::Json));
    assert_eq!(v["scope"]["unchanged_files_not_scanned"], 412);
    assert_valid(&validator, &v, "a diff-aware report");
    v["scope"]["files"] = 3.into();
    assert!(!validator.is_valid(&v));
    // Without --changed-since there is no `scope`, and no line about it.
    r.scope = None;
    assert!(json(&render(&r, Format::Json)).get("scope").is_none());
    assert!(!render(&r, Format::Table).contains("Diff-aware"));
}

#[test]
fn gate_reports_match_the_schemas() {
    let r = gate_report();
    assert!(r.policy.as_ref().is_some_and(|p| !p.passed && !p.violations.is_empty()));
    assert!(!r.suppressed.is_empty() && !r.suppression_problems.is_empty());
    assert_eq!(r.baseline.as_ref().map(|b| b.matched), Some(3));
    let schema = json(&fs::read_to_string(root().join("docs/report.schema.json")).unwrap());
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema is valid");
    let v = json(&render(&r, Format::Json));
    assert_valid(&validator, &v, "gate report");
    assert_eq!(v["policy"]["violations"][0]["policy"], "fail_on");
    let Some(sarif) = sarif_validator() else { return };
    let mut ctx = Context::new(rules());
    ctx.show_suppressed = true;
    assert_valid(&sarif, &json(&render_with(&r, Format::Sarif, &ctx)), "gate SARIF with suppressed results");
}

#[test]
fn sarif_matches_the_sarif_2_1_0_schema() {
    let Some(validator) = sarif_validator() else { return };
    for case in cases() {
        let v = json(&render(&report_of(&case), Format::Sarif));
        assert_valid(&validator, &v, &case);
        let run = &v["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let ids: Vec<&str> =
            run["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "rules sorted by id: {ids:?}");
        for r in run["results"].as_array().unwrap() {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(r["ruleId"], ids[i]);
            assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        }
    }
    let mut bad = json(&render(&report_of("python/openai_app"), Format::Sarif));
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad), "the validator checks results");
}

#[test]
fn cyclonedx_matches_the_cyclonedx_1_6_schema() {
    let (Some(bom), Some(spdx), Some(jsf)) = (
        shared_schema("bom-1.6.schema.json"),
        shared_schema("spdx.schema.json"),
        shared_schema("jsf-0.82.schema.json"),
    ) else {
        return;
    };
    // bom-1.6 refers to the other two relatively to its `$id`; serve them from memory.
    let registry = jsonschema::Registry::new()
        .add("http://cyclonedx.org/schema/spdx.schema.json", jsonschema::Resource::from_contents(spdx))
        .and_then(|r| {
            r.add("http://cyclonedx.org/schema/jsf-0.82.schema.json", jsonschema::Resource::from_contents(jsf))
        })
        .and_then(|r| r.prepare())
        .expect("the referenced schemas load");
    let validator = jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&bom)
        .expect("the schema compiles");
    for case in cases() {
        assert_valid(&validator, &json(&render(&report_of(&case), Format::Cyclonedx)), &case);
    }
    let mut bad = json(&render(&report_of("python/openai_app"), Format::Cyclonedx));
    bad["services"][0]["endpoints"][0] = "https://exa mple.com/<x>".into();
    assert!(!validator.is_valid(&bad), "the validator checks formats");
}

/// The GitLab Code Quality report format as documented (docs.gitlab.com/ci/testing/code_quality,
/// "Code Quality report format"): an array of objects with `description`, `check_name`,
/// `fingerprint`, `severity` (`info`, `minor`, `major`, `critical`, `blocker`),
/// `location.path` and `location.lines.begin` or `location.positions.begin.line`. The
/// optional `type`, `categories` and `location.lines.end` are the Code Climate
/// specification's (spec/analyzers/SPEC.md), which the format is a subset of. Nothing
/// else is allowed, so an undocumented field fails the test.
fn gitlab_schema() -> Value {
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "array",
        "items": {
            "type": "object",
            "required": ["description", "check_name", "fingerprint", "severity", "location"],
            "additionalProperties": false,
            "properties": {
                "type": { "const": "issue" },
                // Code Climate: one line of text.
                "description": { "type": "string", "minLength": 1, "pattern": "^[^\\n\\r]*$" },
                "check_name": { "type": "string", "minLength": 1 },
                "fingerprint": { "type": "string", "minLength": 1 },
                "severity": { "enum": ["info", "minor", "major", "critical", "blocker"] },
                "categories": {
                    "type": "array",
                    "minItems": 1,
                    "items": { "enum": ["Bug Risk", "Clarity", "Compatibility", "Complexity", "Duplication",
                                        "Performance", "Security", "Style"] }
                },
                "location": {
                    "type": "object",
                    "required": ["path"],
                    "additionalProperties": false,
                    "properties": {
                        "path": { "type": "string", "minLength": 1 },
                        "lines": {
                            "type": "object",
                            "required": ["begin"],
                            "additionalProperties": false,
                            "properties": {
                                "begin": { "type": "integer", "minimum": 1 },
                                "end": { "type": "integer", "minimum": 1 }
                            }
                        },
                        "positions": {
                            "type": "object",
                            "required": ["begin"],
                            "properties": {
                                "begin": {
                                    "type": "object",
                                    "required": ["line"],
                                    "properties": { "line": { "type": "integer", "minimum": 1 } }
                                }
                            }
                        }
                    },
                    "anyOf": [{ "required": ["lines"] }, { "required": ["positions"] }]
                }
            }
        }
    })
}

/// Checks a GitLab report field by field beyond the schema: fingerprints are lockin's own
/// (16 hex digits) and unique in the report, as GitLab requires; paths are relative and
/// `/`-separated; line ranges are not reversed.
fn assert_gitlab_issues(issues: &[Value], what: &str) {
    let mut seen = std::collections::BTreeSet::new();
    for i in issues {
        let fp = i["fingerprint"].as_str().unwrap();
        assert!(fp.len() == 16 && fp.bytes().all(|b| b.is_ascii_hexdigit()), "{what}: fingerprint {fp}");
        assert!(seen.insert(fp), "{what}: fingerprint {fp} twice");
        let path = i["location"]["path"].as_str().unwrap();
        assert!(!path.starts_with('/') && !path.starts_with("./") && !path.contains('\\'), "{what}: path {path}");
        assert!(path.split('/').all(|s| !s.is_empty() && s != "." && s != ".."), "{what}: path {path}");
        let lines = &i["location"]["lines"];
        assert!(lines["end"].as_u64().unwrap() >= lines["begin"].as_u64().unwrap(), "{what}: {lines}");
    }
}

#[test]
fn gitlab_reports_have_the_documented_fields() {
    let validator = jsonschema::options().build(&gitlab_schema()).expect("the schema compiles");
    let mut total = 0;
    for case in cases() {
        let report = report_of(&case);
        let v = json(&render(&report, Format::Gitlab));
        assert_valid(&validator, &v, &case);
        let issues = v.as_array().unwrap();
        assert_gitlab_issues(issues, &case);
        // One issue per finding, in report order, with the finding's rule, line and severity.
        assert_eq!(issues.len(), report.findings.len(), "{case}");
        for (i, f) in issues.iter().zip(&report.findings) {
            assert_eq!(i["check_name"], f.rule_id.as_str());
            assert_eq!(i["fingerprint"], f.fingerprint.as_str());
            assert_eq!(i["location"]["lines"]["begin"], f.line);
            let expected = match f.severity.to_string().as_str() {
                "info" => "info",
                "low" => "minor",
                "medium" => "major",
                "high" => "critical",
                "critical" => "blocker",
                other => panic!("unknown severity {other}"),
            };
            assert_eq!(i["severity"], expected, "{case}: {}", f.rule_id);
            let description = i["description"].as_str().unwrap();
            assert!(description.starts_with(&f.message) || f.message.chars().any(char::is_control));
            assert!(description.contains(&format!("vendor {}", f.vendor)), "{description}");
            if let Some(p) = f.portability {
                assert!(description.contains(&format!("portability {p}")), "{description}");
            }
        }
        total += issues.len();
    }
    assert!(total > 50, "the fixtures exercise the format: {total} issues");
    // The validator rejects what the format does not allow.
    let good = json(&render(&report_of("python/openai_app"), Format::Gitlab));
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 5] = [
        ("an unknown severity", |v| v[0]["severity"] = "high".into()),
        ("no line", |v| v[0]["location"] = serde_json::json!({ "path": "a.py" })),
        ("line 0", |v| v[0]["location"]["lines"]["begin"] = 0.into()),
        ("no fingerprint", |v| drop(v[0].as_object_mut().unwrap().remove("fingerprint"))),
        ("an undocumented field", |v| v[0]["engine_name"] = "lockin".into()),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(!validator.is_valid(&bad), "accepted {what}");
    }
}

#[test]
fn gitlab_fingerprints_are_unique_for_repeated_code() {
    // The same call twice in a file, and the same file in two folders: four findings of
    // each rule on identical code, four fingerprints.
    let dir = tempfile::tempdir().unwrap();
    let code = "from openai import OpenAI\nclient = OpenAI()\n\
                client.embeddings.create(model=\"text-embedding-3-small\", input=[])\n\
                client.embeddings.create(model=\"text-embedding-3-small\", input=[])\n";
    for sub in ["a", "b"] {
        fs::create_dir(dir.path().join(sub)).unwrap();
        fs::write(dir.path().join(sub).join("embed.py"), code).unwrap();
    }
    let o = lockin(&["scan", dir.path().to_str().unwrap(), "--format", "gitlab"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v = json(&String::from_utf8(o.stdout).unwrap());
    let issues = v.as_array().unwrap();
    assert_gitlab_issues(issues, "repeated code");
    let calls: Vec<&Value> = issues.iter().filter(|i| i["check_name"] == "openai.embeddings").collect();
    assert_eq!(calls.len(), 4, "{v:#}");
    let paths: Vec<&str> = calls.iter().map(|i| i["location"]["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["a/embed.py", "a/embed.py", "b/embed.py", "b/embed.py"]);
}

#[test]
fn gitlab_format_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (j, g) = (dir.path().join("r.json"), dir.path().join("gl-code-quality-report.json"));
    let fixture = root().join("fixtures/typescript/nextjs_app").display().to_string();
    let o =
        lockin(&["scan", &fixture, "-f", "json", "-o", j.to_str().unwrap(), "-f", "gitlab", "-o", g.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let report = json(&fs::read_to_string(&j).unwrap());
    let text = fs::read_to_string(&g).unwrap();
    assert!(text.starts_with('[') && text.ends_with("]\n"), "an array, no byte order mark");
    let issues = json(&text);
    let from_json: Vec<&Value> = report["findings"].as_array().unwrap().iter().map(|f| &f["fingerprint"]).collect();
    let from_gitlab: Vec<&Value> = issues.as_array().unwrap().iter().map(|i| &i["fingerprint"]).collect();
    assert!(!from_gitlab.is_empty());
    assert_eq!(from_json, from_gitlab, "one issue per finding, same fingerprints, same order");
    // A scan without findings is an empty array, which GitLab reads as "no issues".
    let clean = root().join("fixtures/python/negative").display().to_string();
    let o = lockin(&["scan", &clean, "--format", "gitlab"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "[]\n");
}

#[test]
fn cyclonedx_lists_sdks_models_and_services() {
    let node = json(&render(&report_of("javascript/node_scripts"), Format::Cyclonedx));
    let purls: Vec<&str> = node["components"].as_array().unwrap().iter().filter_map(|c| c["purl"].as_str()).collect();
    assert!(purls.contains(&"pkg:npm/%40anthropic-ai/sdk"), "{purls:?}");
    assert!(purls.contains(&"pkg:npm/openai"), "{purls:?}");
    let app = json(&render(&report_of("python/openai_app"), Format::Cyclonedx));
    let components = app["components"].as_array().unwrap();
    assert!(components.iter().any(|c| c["purl"] == "pkg:pypi/openai"));
    assert!(components.iter().any(|c| c["type"] == "machine-learning-model" && c["name"] == "gpt-4o-mini"));
    let services = app["services"].as_array().unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0]["endpoints"][0], "https://api.openai.com");
}

#[test]
fn cyclonedx_names_each_package_in_its_own_registry() {
    // A crate is a crate: `async-openai` in Cargo.toml was once listed as `pkg:pypi/openai`.
    let crate_app = json(&render(&report_of("rust/async_openai_app"), Format::Cyclonedx));
    let purls: Vec<&str> =
        crate_app["components"].as_array().unwrap().iter().filter_map(|c| c["purl"].as_str()).collect();
    assert!(purls.contains(&"pkg:cargo/async-openai"), "{purls:?}");
    assert!(purls.iter().all(|p| p.starts_with("pkg:cargo/")), "{purls:?}");
    let python = json(&render(&report_of("python/manifests"), Format::Cyclonedx));
    let purls: Vec<&str> = python["components"].as_array().unwrap().iter().filter_map(|c| c["purl"].as_str()).collect();
    assert!(!purls.is_empty() && purls.iter().all(|p| p.starts_with("pkg:pypi/")), "{purls:?}");
}

#[test]
fn every_format_is_deterministic() {
    for format in [Format::Table, Format::Json, Format::Markdown, Format::Sarif, Format::Cyclonedx, Format::Gitlab] {
        for case in ["python/openai_app", "typescript/providers"] {
            let run = || render(&report_of(case), format);
            assert_eq!(run(), run(), "{format:?} on {case}");
        }
    }
}

fn fingerprints(report: &Report) -> Vec<(String, String)> {
    let v = json(&render(report, Format::Sarif));
    let mut out: Vec<(String, String)> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["lockin/v1"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn sarif_fingerprints_survive_line_moves() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("fixtures/python/openai_app/app/jobs.py");
    let text = fs::read_to_string(&src).unwrap();
    let path = dir.path().join("jobs.py");
    fs::write(&path, &text).unwrap();
    let opts = ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        as_of: lockin::lifecycle::Date::parse("2026-12-06").expect("a day"),
        ..ScanOptions::default()
    };
    let before = scan(&opts, rules()).unwrap();
    fs::write(&path, format!("\n\n# a comment that moves everything down\n\n{text}")).unwrap();
    let after = scan(&opts, rules()).unwrap();
    assert_ne!(before.findings[0].line, after.findings[0].line);
    let fps = fingerprints(&before);
    assert_eq!(fps, fingerprints(&after));
    let unique: std::collections::BTreeSet<&String> = fps.iter().map(|(_, f)| f).collect();
    assert_eq!(unique.len(), fps.len(), "fingerprints tell findings apart");
}

fn lockin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lockin")).args(args).env_remove("NO_COLOR").output().expect("the binary runs")
}

#[test]
fn several_formats_from_one_scan() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| -> PathBuf { dir.path().join(name) };
    let fixture = root().join("fixtures/python/openai_app").display().to_string();
    let (j, m, s, c) = (out("r.json"), out("r.md"), out("r.sarif"), out("r.cdx.json"));
    let o = lockin(&[
        "scan",
        &fixture,
        "--format",
        "json",
        "-o",
        j.to_str().unwrap(),
        "--format",
        "markdown",
        "-o",
        m.to_str().unwrap(),
        "-f",
        "sarif",
        "-o",
        s.to_str().unwrap(),
        "-f",
        "cyclonedx",
        "-o",
        c.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    let report = json(&fs::read_to_string(&j).unwrap());
    assert_eq!(report["schema_version"], 1);
    assert!(fs::read_to_string(&m).unwrap().starts_with("# LLM vendor lock-in report"));
    assert_eq!(json(&fs::read_to_string(&s).unwrap())["version"], "2.1.0");
    assert_eq!(json(&fs::read_to_string(&c).unwrap())["bomFormat"], "CycloneDX");
    // One format still goes to standard output.
    let o = lockin(&["scan", &fixture, "--format", "markdown"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("# LLM vendor lock-in report"));
}

#[test]
fn several_formats_need_one_output_each() {
    let fixture = root().join("fixtures/python/openai_app").display().to_string();
    let o = lockin(&["scan", &fixture, "--format", "json", "--format", "markdown", "-o", "only-one.json"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("one -o FILE for each"), "{err}");
    assert!(!Path::new("only-one.json").exists());
}

/// See: issue 16 points 1 and 4. Vendors named only by a model string or an import come
/// after a fold in Markdown and on one line in the table, so the vendors whose calls the
/// plan moves are what a reader sees first.
#[test]
fn vendors_without_call_sites_are_folded_in_markdown_and_the_table() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("app.py"),
        "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n",
    )
    .unwrap();
    fs::write(tmp.path().join("settings.py"), "FALLBACK_MODEL = \"claude-3-5-sonnet-latest\"\n").unwrap();
    let r = scan(&ScanOptions { paths: vec![tmp.path().to_path_buf()], ..ScanOptions::default() }, rules())
        .expect("the tree scans");
    let quiet: Vec<&str> = r.vendors.iter().filter(|v| v.call_sites == 0).map(|v| v.vendor.as_str()).collect();
    assert_eq!(quiet, ["anthropic"], "{:?}", r.vendors);
    let md = render(&r, Format::Markdown);
    let vendors = &md[md.find("## Vendors").unwrap()..md.find("## Migration plan").unwrap()];
    let fold = vendors.find("<details><summary>1 more vendor with no call site").expect(vendors);
    assert!(vendors.find("| OpenAI |").unwrap() < fold && vendors.find("| Anthropic |").unwrap() > fold, "{vendors}");
    let table = render(&r, Format::Table);
    assert!(
        table.contains(
            "\n  + 1 vendor with no call site (imports, model names, settings only): anthropic; `--all` lists them.\n"
        ),
        "{table}"
    );
    assert!(!table.lines().any(|l| l.starts_with("  anthropic ")), "{table}");
    let mut all = Context::new(rules());
    all.all = true;
    let table = render_with(&r, Format::Table, &all);
    assert!(table.lines().any(|l| l.starts_with("  anthropic ")) && !table.contains("with no call site"), "{table}");
}
