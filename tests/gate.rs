//! lockin as a CI gate, through the real binary: the policy file and each of its keys,
//! exit codes, `lockin check` and `lockin init`, baselines, inline suppressions, and
//! output for logs. Each test copies `fixtures/python/ci_gate` (an adapter module, two
//! jobs calling vendors directly, suppressions good and bad, a lockin.toml) into a
//! temporary folder and edits it there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lockin_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lockin"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A fresh copy of the fixture project; `policy` replaces its lockin.toml (None keeps it).
fn project(policy: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("support-bot");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/python/ci_gate"), &dir);
    fs::remove_file(dir.join("expected.txt")).unwrap();
    if let Some(p) = policy {
        fs::write(dir.join("lockin.toml"), p).unwrap();
    }
    (tmp, dir)
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}\n{}", out(o), err(o)))
}

fn check_json(dir: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let o = lockin_in(dir, &args);
    (o.status.code(), json(&o))
}

fn violations(report: &serde_json::Value) -> Vec<String> {
    report["policy"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| format!("{} {}", v["policy"].as_str().unwrap(), v["findings"].as_array().unwrap().len()))
        .collect()
}

fn rules_of(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{} {}", f["path"].as_str().unwrap(), f["line"], f["rule_id"].as_str().unwrap()))
        .collect()
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn check_prints_why_it_failed_on_one_screen() {
    let (_t, dir) = project(None);
    let o = lockin_in(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    assert!(text.lines().count() < 40, "one screen:\n{text}");
    snap!("gate_check_verdict", text);
}

#[test]
fn scan_with_a_policy_fails_too_and_says_why_on_stderr() {
    let (_t, dir) = project(None);
    let o = lockin_in(&dir, &["scan", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["policy"]["passed"], false);
    assert!(err(&o).contains("lockin: failed: 3 violations of policy lockin.toml"), "{}", err(&o));
}

#[test]
fn fail_on_counts_only_findings_at_or_above_the_severity() {
    let (_t, dir) = project(Some("fail_on = \"high\"\n"));
    // tune.py:9 is the one high finding (fine-tuning) left after suppressions.
    let (code, r) = check_json(&dir, &[]);
    assert_eq!((code, violations(&r)), (Some(1), vec!["fail_on 1".to_string()]));
    let (code, r) = check_json(&dir, &["--fail-on", "critical"]);
    assert_eq!(code, Some(0), "the flag overrides the file");
    assert_eq!(r["policy"]["passed"], true);
    let (code, r) = check_json(&dir, &["--fail-on", "info"]);
    assert_eq!((code, violations(&r)), (Some(1), vec![format!("fail_on {}", r["findings"].as_array().unwrap().len())]));
    assert_eq!(r["policy"]["violations"][0]["at"], "--fail-on");
}

#[test]
fn max_risk_and_max_share_judge_the_whole_tree() {
    let (_t, dir) = project(Some("max_risk = 10\nmax_share = 0.5\n"));
    let (code, r) = check_json(&dir, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(violations(&r), ["max_risk 0", "max_share 0"]);
    let msg = r["policy"]["violations"][1]["message"].as_str().unwrap();
    assert!(msg.starts_with("openai serves 6") && msg.contains("above max_share 50 %"), "{msg}");
    let (_t, dir) = project(Some("max_risk = 100\nmax_share = 1.0\n"));
    assert_eq!(check_json(&dir, &[]).0, Some(0));
}

#[test]
fn deny_entries_name_reason_and_alternative() {
    let (_t, dir) = project(Some(
        "deny = [\"anthropic.messages\", { vendor = \"openai\", capability = \"fine-tuning\", reason = \"needs sign-off\", use_instead = \"PLAT review\" }]\n",
    ));
    let (code, r) = check_json(&dir, &[]);
    assert_eq!(code, Some(1));
    // summarise.py:20 (bad suppression: no reason) and tune.py:9 (unknown rule in its suppression).
    assert_eq!(violations(&r), ["deny 1", "deny 1"]);
    let v = &r["policy"]["violations"][1];
    assert_eq!(v["at"], "lockin.toml:1:31");
    assert_eq!((v["reason"].as_str(), v["use_instead"].as_str()), (Some("needs sign-off"), Some("PLAT review")));
    let text = out(&lockin_in(&dir, &["check"]));
    assert!(text.contains("reason: needs sign-off") && text.contains("use instead: PLAT review"), "{text}");
    assert!(text.contains("src/support_bot/jobs/tune.py:9:12  openai.fine-tuning"), "{text}");
}

#[test]
fn allow_exempts_paths_modules_and_whole_folders() {
    let deny = "deny = [\"openai\"]\n";
    let (_t, dir) = project(Some(deny));
    let (_, r) = check_json(&dir, &[]);
    let denied_everywhere = r["policy"]["violations"][0]["findings"].as_array().unwrap().len();
    for allow in [
        "allow = [{ vendor = \"openai\", paths = [\"src/support_bot/llm/**\"] }]",
        "allow = [{ vendor = \"openai\", modules = [\"support_bot.llm\"] }]",
        "allow = [\"src/support_bot/llm/**\"]",
    ] {
        let (_t, dir) = project(Some(&format!("{deny}{allow}\n")));
        let (code, r) = check_json(&dir, &[]);
        assert_eq!(code, Some(1), "{allow}: the jobs still use OpenAI");
        let denied = r["policy"]["violations"][0]["findings"].as_array().unwrap().len();
        assert_eq!(r["policy"]["allowed"], 7, "{allow}");
        assert_eq!(denied, denied_everywhere - 7, "{allow}");
    }
    // Allowed for another vendor only: exempts nothing of OpenAI's.
    let (_t, dir) = project(Some(&format!("{deny}allow = [{{ vendor = \"anthropic\", paths = [\"**\"] }}]\n")));
    assert_eq!(check_json(&dir, &[]).1["policy"]["allowed"], 4);
}

#[test]
fn allow_globs_are_relative_to_the_policy_file_when_scanning_a_subfolder() {
    let (_t, dir) = project(Some(
        "deny = [\"openai\"]\nallow = [\"src/support_bot/llm/**\"]\nexclude = [\"src/support_bot/jobs/tune.py\"]\n",
    ));
    let o = lockin_in(&dir.join("src"), &["check", "support_bot", "--format", "json"]);
    let r = json(&o);
    assert_eq!(r["policy"]["config"], "../lockin.toml", "found by walking up");
    assert_eq!(r["policy"]["allowed"], 7);
    assert!(rules_of(&r).iter().all(|f| !f.contains("tune.py")), "exclude rebased: {:?}", rules_of(&r));
    assert_eq!(o.status.code(), Some(0), "{:?}", r["policy"]);
}

#[test]
fn policy_globs_hold_for_several_roots_and_file_roots() {
    let policy =
        "deny = [\"openai\"]\nallow = [\"src/support_bot/llm/**\"]\nexclude = [\"src/support_bot/jobs/tune.py\"]\n";
    let (_t, dir) = project(Some(policy));
    let (_, r) = check_json(&dir, &["src/support_bot/llm", "src/support_bot/jobs"]);
    assert_eq!(r["policy"]["allowed"], 7, "{:?}", rules_of(&r));
    assert!(rules_of(&r).iter().all(|f| !f.contains("tune.py")), "{:?}", rules_of(&r));
    assert!(rules_of(&r).iter().any(|f| f.starts_with("src/support_bot/jobs/summarise.py:")));
    let (code, r) = check_json(&dir, &["src/support_bot/llm/client.py"]);
    assert_eq!((code, r["policy"]["allowed"].as_u64()), (Some(0), Some(7)), "a file root");
}

#[test]
fn exclude_and_include_shape_the_scan() {
    let (_t, dir) = project(Some("exclude = [\"src/support_bot/jobs/**\"]\n"));
    let (_, r) = check_json(&dir, &[]);
    assert!(rules_of(&r).iter().all(|f| !f.contains("/jobs/")));
    let (_t, dir) = project(Some("include = [\"**/summarise.py\"]\n"));
    let (_, r) = check_json(&dir, &[]);
    let paths: std::collections::BTreeSet<&str> =
        r["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths.into_iter().collect::<Vec<_>>(), ["src/support_bot/jobs/summarise.py"]);
}

#[test]
fn select_ignore_and_per_path_choose_what_is_reported_and_scored() {
    // The policy file: only OpenAI, never model strings, no env reads under llm/.
    let policy = "select = [\"openai\"]\nignore = [\"model\"]\n\n[per-path]\n\"src/support_bot/llm/**\" = [\"env\"]\n";
    let (_t, dir) = project(Some(policy));
    let (_, r) = check_json(&dir, &[]);
    assert_eq!(
        rules_of(&r),
        [
            "requirements.txt:1 openai.dependency",
            "src/support_bot/jobs/tune.py:2 openai.import",
            "src/support_bot/jobs/tune.py:4 openai.client",
            "src/support_bot/jobs/tune.py:9 openai.fine-tuning",
            "src/support_bot/llm/client.py:4 openai.import",
            "src/support_bot/llm/client.py:8 openai.client",
            "src/support_bot/llm/client.py:12 openai.chat-completions",
            "src/support_bot/llm/client.py:17 openai.embeddings",
        ]
    );
    // What is not selected is not scored either: Anthropic is gone from the vendors.
    let vendors: Vec<&str> = r["vendors"].as_array().unwrap().iter().map(|v| v["vendor"].as_str().unwrap()).collect();
    assert_eq!(vendors, ["openai"]);
    // --select replaces the file's select, --ignore adds to its ignore (kinds by name or kind:).
    let (_, r) = check_json(&dir, &["--select", "anthropic,openai.fine-tuning", "--ignore", "kind:import"]);
    assert_eq!(
        rules_of(&r),
        [
            "requirements.txt:2 anthropic.dependency",
            "src/support_bot/jobs/summarise.py:6 anthropic.client",
            "src/support_bot/jobs/summarise.py:20 anthropic.messages",
            "src/support_bot/jobs/tune.py:9 openai.fine-tuning",
        ]
    );
    // A selector naming nothing is an error that says where it is written.
    let o = lockin_in(&dir, &["scan", "--ignore", "opnai"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--ignore: unknown rule `opnai`"), "{}", err(&o));
    let (_t, dir) = project(Some("[per-path]\n\"tests/**\" = [\"modle\"]\n"));
    let o = lockin_in(&dir, &["scan"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("lockin.toml:2:15: key `per-path.\"tests/**\"[0]`: unknown rule `modle`"), "{}", err(&o));
}

/// See: issue 16 point 10. An embedder building the run from the same policy file and
/// options through the library gets the report the CLI prints.
#[test]
fn an_embedder_gets_the_report_the_cli_prints() {
    use lockin::pipeline::{self, BaselineUse, Overrides, Run};
    let policy = "fail_on = \"high\"\nmax_share = 0.5\nignore = [\"env\"]\ndeny = [\"anthropic\"]\n\
                  allow = [\"src/support_bot/llm/**\"]\n\n[per-path]\n\"requirements.txt\" = [\"*\"]\n\n\
                  [contexts]\nexample = [\"src/support_bot/jobs/summarise.py\"]\n";
    let (_t, dir) = project(Some(policy));
    let write = lockin_in(&dir, &["scan", "--write-baseline", "-q"]);
    assert_eq!(write.status.code(), Some(1), "{}", err(&write));
    insert_at_top(
        &dir.join("src/support_bot/jobs/tune.py"),
        "import anthropic\nanthropic.Anthropic().messages.create(model=\"claude-3-5-haiku-latest\", messages=[])\n",
    );
    let path = dir.to_string_lossy().into_owned();
    let cli = lockin_in(&dir, &["scan", "--format", "json", "--select", "anthropic,openai", &path]);
    assert_eq!(cli.status.code(), Some(1), "{}", err(&cli));
    let cli = json(&cli);

    let rules = lockin::rules::load_embedded();
    // The embedder names the policy file as it likes; here as the CLI shows it from the
    // project's folder.
    let text = fs::read_to_string(dir.join("lockin.toml")).unwrap();
    let config = lockin::config::Config::parse(&text, "lockin.toml", fs::canonicalize(&dir).unwrap(), false)
        .expect("the policy loads");
    let overrides = Overrides { select: vec!["anthropic".into(), "openai".into()], ..Overrides::default() };
    let scan = lockin::scan::ScanOptions { paths: vec![dir.clone()], ..lockin::scan::ScanOptions::default() };
    let mut run = Run::configured(scan, Some(&config), &overrides, &rules).expect("the run is configured");
    let baseline = lockin::baseline::Baseline::read(&dir.join("lockin-baseline.json")).expect("the baseline reads");
    run.baseline = BaselineUse::Read { baseline, shown: "lockin-baseline.json".into() };
    let report = pipeline::run(&run, &rules).expect("the tree scans").report;
    let lib = lockin::report::json::value(&report).unwrap();
    assert_eq!(lib, cli);
    // The run did what it was configured to do, so the equality above means something:
    // the new Claude call is all that is not in the baseline, `ignore` and `[per-path]`
    // left out env reads and the manifest, the summarise job is example code.
    assert_eq!(cli["baseline"]["new"], 4, "{:#}", cli["baseline"]);
    assert!(rules_of(&cli).iter().all(|f| f.starts_with("src/support_bot/jobs/tune.py:")), "{:?}", rules_of(&cli));
    assert_eq!(cli["baseline"]["recorded"], 13);
    assert_eq!(violations(&cli), ["deny 4", "max_share 0"]);
    assert_eq!(cli["contexts"]["findings"]["example"], 4);
}

#[test]
fn rules_folders_in_the_policy_add_rules() {
    let (_t, dir) = project(Some("rules = [\"lockin-rules\"]\ndeny = [\"acme\"]\n"));
    fs::create_dir(dir.join("lockin-rules")).unwrap();
    fs::write(
        dir.join("lockin-rules/acme.toml"),
        "[vendor]\nid = \"acme\"\nname = \"Acme AI\"\nproprietary = true\nenv = [\"ACME_API_KEY\"]\n",
    )
    .unwrap();
    fs::write(dir.join("src/acme_job.py"), "import os\n\nkey = os.environ[\"ACME_API_KEY\"]\n").unwrap();
    let (code, r) = check_json(&dir, &[]);
    assert_eq!(code, Some(1));
    assert!(rules_of(&r).contains(&"src/acme_job.py:3 acme.env".to_string()), "{:?}", rules_of(&r));
    assert_eq!(violations(&r), ["deny 1"]);
}

#[test]
fn scoring_weights_can_be_overridden_and_are_checked() {
    let (_t, dir) = project(Some(""));
    let base = check_json(&dir, &[]).1["risk"]["score"].as_u64().unwrap();
    let (_t, dir) = project(Some("[scoring]\nconcentration = 1.0\ndepth = 0.0\nexposure = 0.0\nspread = 0.0\n"));
    let r = check_json(&dir, &[]).1;
    assert_ne!(r["risk"]["score"].as_u64().unwrap(), base);
    assert_eq!(r["risk"]["factors"][0]["weight"], 1.0);
    let (_t, dir) = project(Some("[scoring]\nconcentration = 0.9\n"));
    let o = lockin_in(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("lockin.toml:1:1: key `scoring.concentration`: weights must be in 0..1"), "{}", err(&o));
}

#[test]
fn bad_policy_files_name_file_line_and_key() {
    for (text, expected) in [
        (
            "fail_on = \"high\"\nfial_on = \"low\"\n",
            "lockin.toml:2:1: key `fial_on`: unknown field `fial_on`, expected one of `fail_on`",
        ),
        ("max_risk = \"sixty\"\n", "lockin.toml:1:12: key `max_risk`: invalid type: string \"sixty\""),
        ("fail_on = \"severe\"\n", "lockin.toml:1:11: key `fail_on`: unknown variant `severe`"),
        ("deny = [{ vendor = \"openia\" }]\n", "lockin.toml:1:9: key `deny[0].vendor`: unknown vendor `openia`"),
        ("deny = [\"openai.chat-complete\"]\n", "key `deny[0]`: unknown rule `openai.chat-complete`"),
        ("allow = [{ vendor = \"openai\" }]\n", "key `allow[0]`: give `paths`"),
        ("max_share = 80\n", "key `max_share`: 80 is not a share in 0..1"),
        ("rules = [\"nowhere\"]\n", "key `rules[0]`"),
        ("fail_on = \n", "lockin.toml:1:"),
    ] {
        let (_t, dir) = project(Some(text));
        let o = lockin_in(&dir, &["check"]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        assert!(err(&o).contains(expected), "{text}: {}", err(&o));
    }
}

#[test]
fn pyproject_tool_lockin_is_found_and_lockin_toml_wins() {
    let (_t, dir) = project(Some(""));
    fs::remove_file(dir.join("lockin.toml")).unwrap();
    fs::write(dir.join("pyproject.toml"), "[project]\nname = \"support-bot\"\n\n[tool.lockin]\nmax_risk = 5\n")
        .unwrap();
    let (code, r) = check_json(&dir, &[]);
    assert_eq!((code, r["policy"]["config"].as_str()), (Some(1), Some("pyproject.toml")));
    assert_eq!(r["policy"]["violations"][0]["at"], "pyproject.toml:5:12");
    fs::write(dir.join("pyproject.toml"), "[tool.lockin]\nmax_rsk = 5\n").unwrap();
    let o = lockin_in(&dir, &["check"]);
    assert!(
        err(&o).contains("pyproject.toml:2:1: key `tool.lockin`: unknown field `max_rsk`")
            || err(&o).contains("pyproject.toml:2:1") && err(&o).contains("max_rsk"),
        "{}",
        err(&o)
    );
    fs::write(dir.join("lockin.toml"), "max_risk = 100\n").unwrap();
    let (code, r) = check_json(&dir, &[]);
    assert_eq!((code, r["policy"]["config"].as_str()), (Some(0), Some("lockin.toml")));
}

#[test]
fn config_flag_names_a_file_and_no_config_ignores_them() {
    let (_t, dir) = project(None);
    fs::write(dir.join("strict.toml"), "max_risk = 1\n").unwrap();
    let (code, r) = check_json(&dir, &["--config", "strict.toml"]);
    assert_eq!((code, violations(&r)), (Some(1), vec!["max_risk 0".to_string()]));
    let o = lockin_in(&dir, &["check", "--no-config"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).starts_with("lockin: no policy"), "{}", out(&o));
    let o = lockin_in(&dir, &["scan", "--no-config", "--format", "json"]);
    assert_eq!((o.status.code(), json(&o).get("policy").is_none()), (Some(0), true));
    let o = lockin_in(&dir, &["check", "--config", "missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("cannot read missing.toml"), "{}", err(&o));
}

#[test]
fn init_writes_a_commented_policy_that_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let o = lockin_in(tmp.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = fs::read_to_string(tmp.path().join("lockin.toml")).unwrap();
    for key in
        ["fail_on", "max_risk", "max_share", "deny", "allow", "exclude", "include", "rules", "baseline", "[scoring]"]
    {
        assert!(text.contains(key), "{key}");
    }
    let o = lockin_in(tmp.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2), "never overwrites");
    assert!(err(&o).contains("already exists"));
    assert_eq!(lockin_in(tmp.path(), &["init", "--force"]).status.code(), Some(0));
    let o = lockin_in(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with("lockin: passed (policy lockin.toml)"), "{}", out(&o));
}

#[test]
fn exit_codes_are_zero_one_two() {
    let (_t, dir) = project(Some("max_risk = 100\n"));
    assert_eq!(lockin_in(&dir, &["check"]).status.code(), Some(0));
    let (_t, dir) = project(Some("max_risk = 1\n"));
    assert_eq!(lockin_in(&dir, &["check"]).status.code(), Some(1));
    assert_eq!(lockin_in(&dir, &["check", "no/such/dir"]).status.code(), Some(2));
    assert_eq!(lockin_in(&dir, &["check", "--baseline", "nope.json"]).status.code(), Some(2));
}

fn insert_at_top(path: &Path, lines: &str) {
    let text = fs::read_to_string(path).unwrap();
    fs::write(path, format!("{lines}{text}")).unwrap();
}

#[test]
fn baselines_survive_moved_lines_and_catch_exactly_the_new_call() {
    let (_t, dir) = project(Some("fail_on = \"info\"\n"));
    let o = lockin_in(&dir, &["scan", "--write-baseline", "lockin-baseline.json", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "a fresh baseline passes: {}", err(&o));
    assert!(err(&o).contains("wrote 16 findings to baseline lockin-baseline.json"), "{}", err(&o));
    let first = fs::read_to_string(dir.join("lockin-baseline.json")).unwrap();
    // Stable, sorted text: writing again gives the same bytes; one finding per line.
    lockin_in(&dir, &["scan", "--write-baseline", "lockin-baseline.json", "-q"]);
    assert_eq!(fs::read_to_string(dir.join("lockin-baseline.json")).unwrap(), first);
    let paths: Vec<&str> = first.lines().filter(|l| l.contains("\"path\"")).collect();
    assert_eq!(paths.len(), 16);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);

    // Unrelated edits that move every line: nothing new.
    let client = dir.join("src/support_bot/llm/client.py");
    insert_at_top(&client, "# Copyright the support-bot authors.\n# SPDX-License-Identifier: MIT\n\n");
    insert_at_top(&dir.join("src/support_bot/jobs/tune.py"), "\n\n\n\n");
    let text = fs::read_to_string(&client).unwrap().replace("temperature=0.2)", "temperature = 0.2 )");
    fs::write(&client, text).unwrap();
    let (code, r) = check_json(&dir, &["--baseline", "lockin-baseline.json"]);
    assert_eq!(code, Some(0), "{:?}", r["policy"]);
    assert_eq!(r["findings"].as_array().unwrap().len(), 0);
    assert_eq!(r["baseline"]["matched"], 16);
    assert!(r["risk"]["score"].as_u64().unwrap() > 0, "scores still count baselined findings");

    // A real new call: exactly one new finding.
    let text = fs::read_to_string(&client).unwrap()
        + "\n\ndef moderate(text):\n    return _client.moderations.create(input=text)\n";
    fs::write(&client, text).unwrap();
    let (code, r) = check_json(&dir, &["--baseline", "lockin-baseline.json"]);
    assert_eq!(code, Some(1));
    let new = rules_of(&r);
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].ends_with(" openai.moderations"), "{new:?}");
    assert_eq!((r["baseline"]["new"].as_u64(), r["baseline"]["gone"].as_u64()), (Some(1), Some(0)));

    // The same code again in the same file is a new occurrence, not a known one.
    let text = fs::read_to_string(&client).unwrap() + "\n\ndef embed_again(texts):\n    return [d.embedding for d in _client.embeddings.create(model=\"text-embedding-3-small\", input=texts).data]\n";
    fs::write(&client, text).unwrap();
    let (_, r) = check_json(&dir, &["--baseline", "lockin-baseline.json"]);
    assert_eq!(rules_of(&r).len(), 3, "{:?}", rules_of(&r));

    // The policy file can name the baseline.
    fs::write(dir.join("lockin.toml"), "fail_on = \"info\"\nbaseline = \"lockin-baseline.json\"\n").unwrap();
    let (_, r) = check_json(&dir, &[]);
    assert_eq!(r["baseline"]["path"], "lockin-baseline.json");
    assert_eq!(rules_of(&r).len(), 3);
}

#[test]
fn a_broken_baseline_is_an_error_naming_the_file() {
    let (_t, dir) = project(Some(""));
    fs::write(dir.join("b.json"), "{\"lockin_baseline\": 1, \"findings\": [{\"path\": 3}]}").unwrap();
    let o = lockin_in(&dir, &["check", "--baseline", "b.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("b.json:1:"), "{}", err(&o));
}

#[test]
fn suppressions_need_a_reason_and_known_rules() {
    let (_t, dir) = project(Some(""));
    let o = lockin_in(&dir, &["scan", "--format", "json"]);
    let r = json(&o);
    let suppressed: Vec<String> = r["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}:{} {} ({})",
                s["path"].as_str().unwrap(),
                s["line"],
                s["rule_id"].as_str().unwrap(),
                s["suppression"]["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        suppressed,
        [
            "src/support_bot/jobs/summarise.py:11 anthropic.messages (nightly job, moves to the adapter in PLAT-212)",
            "src/support_bot/jobs/tune.py:13 openai.fine-tuning (polling only, see start())",
        ]
    );
    let problems: Vec<String> = r["suppression_problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}:{}", p["path"].as_str().unwrap(), p["line"]))
        .collect();
    assert_eq!(problems, ["src/support_bot/jobs/summarise.py:20", "src/support_bot/jobs/tune.py:8"]);
    // Both still reported, and the problems are warnings on stderr.
    let found = rules_of(&r);
    assert!(found.contains(&"src/support_bot/jobs/summarise.py:20 anthropic.messages".to_string()));
    assert!(found.contains(&"src/support_bot/jobs/tune.py:9 openai.fine-tuning".to_string()));
    assert!(err(&o).contains(
        "warning: src/support_bot/jobs/summarise.py:20:103: suppression of `anthropic.messages` gives no reason"
    ));
    assert!(err(&o).contains("did you mean `openai.fine-tuning`"), "{}", err(&o));

    // An unused suppression is reported too.
    insert_at_top(&dir.join("src/support_bot/llm/client.py"), "# lockin: ignore[cohere] nothing here uses Cohere\n");
    let r = json(&lockin_in(&dir, &["scan", "--format", "json"]));
    let last = r["suppression_problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "src/support_bot/llm/client.py")
        .unwrap()
        .clone();
    assert!(last["message"].as_str().unwrap().starts_with("unused suppression"), "{last}");
}

#[test]
fn show_suppressed_lists_them_in_table_markdown_and_sarif() {
    let (_t, dir) = project(Some(""));
    let plain = out(&lockin_in(&dir, &["scan"]));
    assert!(
        plain.contains("2 findings suppressed (`--show-suppressed` lists them)") && !plain.contains("polling only")
    );
    let table = out(&lockin_in(&dir, &["scan", "--show-suppressed"]));
    assert!(table.contains("Suppressed findings") && table.contains("polling only"), "{table}");
    let md = out(&lockin_in(&dir, &["scan", "--show-suppressed", "--format", "markdown"]));
    assert!(md.contains("## Suppressed findings") && md.contains("## Suppression problems"), "{md}");
    let sarif: serde_json::Value =
        serde_json::from_slice(&lockin_in(&dir, &["scan", "--show-suppressed", "--format", "sarif"]).stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&serde_json::Value> = results.iter().filter(|r| r.get("suppressions").is_some()).collect();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    let sarif: serde_json::Value =
        serde_json::from_slice(&lockin_in(&dir, &["scan", "--format", "sarif"]).stdout).unwrap();
    assert!(sarif["runs"][0]["results"].as_array().unwrap().iter().all(|r| r.get("suppressions").is_none()));
}

#[test]
fn output_for_logs_quiet_and_color() {
    let (_t, dir) = project(None);
    let o = lockin_in(&dir, &["check", "-q"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).is_empty(), "-q silences warnings: {}", err(&o));
    assert!(out(&o).starts_with("lockin: failed"), "a failing check still says why");
    let (_t, passing) = project(Some("max_risk = 100\n"));
    let o = lockin_in(&passing, &["check", "-q"]);
    assert_eq!((o.status.code(), out(&o).as_str()), (Some(0), ""), "a passing -q check prints nothing");

    let o = lockin_in(&dir, &["scan"]);
    assert!(!err(&o).contains("scanning"), "no progress bar off a terminal: {}", err(&o));
    let plain = out(&lockin_in(&dir, &["check"]));
    assert!(!plain.contains('\u{1b}'), "no colour off a terminal");
    let coloured = out(&lockin_in(&dir, &["check", "--color", "always"]));
    assert!(coloured.contains("\u{1b}[31"), "{coloured}");
    let table = out(&lockin_in(&dir, &["scan", "--color", "always"]));
    assert!(table.contains('\u{1b}'));
    let o = Command::new(env!("CARGO_BIN_EXE_lockin"))
        .args(["check", "--color", "auto"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stdout).contains('\u{1b}'));
    let never = out(&lockin_in(&dir, &["check", "--color", "never"]));
    assert_eq!(never, plain);
}

// See: issue 16. After a failing `check`, the hint gave `lockin scan --write-baseline FILE`,
// and `check` then failed the same way until the user found the `baseline` key.
#[test]
fn the_hint_after_a_failure_is_the_one_command_that_works() {
    let (_t, dir) = project(Some("fail_on = \"info\"\n"));
    let o = lockin_in(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("accept all current findings with `lockin check --write-baseline`"), "{}", out(&o));
    let o = lockin_in(&dir, &["check", "--write-baseline"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("wrote 16 findings to baseline lockin-baseline.json"), "{}", err(&o));
    assert!(dir.join("lockin-baseline.json").is_file());
    // Later runs read it from beside the policy file, with no flag and no key.
    let (code, r) = check_json(&dir, &[]);
    assert_eq!(code, Some(0), "{:?}", r["policy"]);
    assert_eq!(r["baseline"]["path"], "lockin-baseline.json");
    assert_eq!(r["baseline"]["matched"], 16);
    // A policy's own `baseline` key is where --write-baseline writes by default.
    fs::write(dir.join("lockin.toml"), "fail_on = \"info\"\nbaseline = \"ci/known.json\"\n").unwrap();
    fs::create_dir_all(dir.join("ci")).unwrap();
    fs::write(dir.join("ci/known.json"), "{\"lockin_baseline\": 1, \"findings\": []}\n").unwrap();
    let o = lockin_in(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("`lockin check --write-baseline`"), "{}", out(&o));
    assert_eq!(lockin_in(&dir, &["check", "--write-baseline", "-q"]).status.code(), Some(0));
    assert_eq!(lockin_in(&dir, &["check", "-q"]).status.code(), Some(0));
    // Scanning another folder: the hint names it.
    let (_t2, other) = project(None);
    let o = lockin_in(other.parent().unwrap(), &["check", "support-bot", "--fail-on", "info", "--no-config"]);
    assert!(out(&o).contains("`lockin check support-bot --no-config --write-baseline`"), "{}", out(&o));
}

/// `fail_on_retired` fails the run on a model its vendor has retired, and only then.
#[test]
fn fail_on_retired_gates_on_retired_models() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "from openai import OpenAI\nclient = OpenAI()\nclient.completions.create(model=\"text-davinci-003\", prompt=\"x\")\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("lockin.toml"), "fail_on_retired = true\n").unwrap();
    let run = |as_of: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_lockin"))
            .args(["check", dir.path().to_str().unwrap(), "--as-of", as_of])
            .output()
            .unwrap()
    };
    let after = run("2024-01-04");
    assert_eq!(after.status.code(), Some(1), "{}", String::from_utf8_lossy(&after.stdout));
    let out = String::from_utf8_lossy(&after.stdout);
    assert!(out.contains("fail_on_retired") && out.contains("retired"), "{out}");
    // The day before the shutdown the model is only deprecated: the run passes.
    let before = run("2024-01-03");
    assert_eq!(before.status.code(), Some(0), "{}", String::from_utf8_lossy(&before.stdout));
}
