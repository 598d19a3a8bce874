//! The risk model: fixture projects whose grades differ for understandable reasons, and
//! properties that must hold for any set of findings (docs/scoring.md).

use lockin::finding::{Capability, Finding, Kind, Severity};
use lockin::rules::{load_embedded, RuleSet};
use lockin::scan::{scan, ScanOptions};
use lockin::score;
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(load_embedded)
}

fn report(case: &str) -> lockin::report::Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/python").join(case);
    scan(&ScanOptions { paths: vec![path], ..ScanOptions::default() }, rules()).unwrap()
}

#[test]
fn fixture_grades_differ_for_understandable_reasons() {
    let one = report("score_one_vendor");
    let adapter = report("score_adapter");
    let local = report("score_local");
    // One vendor everywhere, with fine-tuning, assistants and vector stores: worst.
    // Two vendors behind one adapter with a configurable base URL: better.
    // An OpenAI client aimed at a local server: nothing proprietary.
    assert!(one.risk.score > adapter.risk.score, "{} vs {}", one.risk.score, adapter.risk.score);
    assert!(adapter.risk.score > local.risk.score);
    assert_eq!(one.risk.hhi, 10000);
    assert_eq!(adapter.risk.hhi, 5000);
    assert_eq!((local.risk.score, local.risk.grade.as_str()), (0, "A"));
    for (name, r) in [("one_vendor", &one), ("adapter", &adapter), ("local", &local)] {
        let v = serde_json::json!({ "risk": r.risk, "vendors": r.vendors, "recommendations": r.recommendations });
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(format!("scoring__{name}"), v);
        });
    }
}

#[test]
fn calls_get_portability_from_the_substitutes_data() {
    let r = report("score_one_vendor");
    let by_rule =
        |id: &str| r.findings.iter().find(|f| f.rule_id == id).and_then(|f| f.portability).map(|p| p.to_string());
    assert_eq!(by_rule("openai.chat-completions").as_deref(), Some("base-url-swap"));
    assert_eq!(by_rule("openai.fine-tuning").as_deref(), Some("no-open-equivalent"));
    assert_eq!(by_rule("openai.vector-stores").as_deref(), Some("no-open-equivalent"));
    let local = report("score_local");
    assert!(local.findings.iter().filter(|f| f.kind == Kind::Call).all(|f| f
        .portability
        .map(|p| p.to_string())
        .as_deref()
        == Some("portable")));
}

fn call(vendor: &str, cap: Capability, path: &str) -> Finding {
    Finding {
        rule_id: format!("{vendor}.x"),
        vendor: vendor.into(),
        kind: Kind::Call,
        capability: cap,
        language: "python".into(),
        path: path.into(),
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 2,
        snippet: String::new(),
        severity: Severity::Medium,
        message: String::new(),
        portability: None,
        configurable: false,
        fingerprint: String::new(),
        subject: None,
        test_code: false,
    }
}

fn factor(r: &score::Risk, name: &str) -> f64 {
    r.factors.iter().find(|f| f.name == name).unwrap().value
}

/// Proprietary vendors, and the self-hosted one.
const VENDORS: [&str; 5] = ["openai", "anthropic", "google", "cohere", "openai-compatible"];

/// A call, client, import or manifest entry of a vendor; calls may go through LangChain (an
/// abstraction layer) or a client whose base URL is configurable: the mitigations.
fn arb_finding() -> impl Strategy<Value = Finding> {
    (0..5usize, 0..12usize, 0..6usize, 0..4usize, 0..6usize).prop_map(|(vendor, cap, file, kind, how)| {
        let mut f = call(VENDORS[vendor], Capability::ALL[cap], &format!("m{file}/f{file}.py"));
        f.kind = [Kind::Call, Kind::Call, Kind::Client, Kind::Import][kind];
        f.configurable = how == 1;
        if how == 2 {
            f.rule_id = "langchain.chat-model".into();
        }
        f
    })
}

fn arb_findings() -> impl Strategy<Value = Vec<Finding>> {
    prop::collection::vec(arb_finding(), 0..40)
}

fn arb_calls() -> impl Strategy<Value = Vec<Finding>> {
    prop::collection::vec((0..4usize, 0..12usize, 0..6usize), 1..40).prop_map(|v| {
        v.into_iter()
            .map(|(vendor, cap, file)| call(VENDORS[vendor], Capability::ALL[cap], &format!("m{file}/f{file}.py")))
            .collect()
    })
}

fn proprietary(vendor: &str) -> bool {
    rules().vendor(vendor).is_none_or(|v| v.proprietary)
}

/// The vendor with the most proprietary call sites.
fn dominant(f: &[Finding]) -> Option<String> {
    let mut n: std::collections::BTreeMap<&str, usize> = Default::default();
    for x in f.iter().filter(|x| x.kind == Kind::Call && proprietary(&x.vendor)) {
        *n.entry(x.vendor.as_str()).or_default() += 1;
    }
    n.into_iter().max_by_key(|(v, c)| (*c, std::cmp::Reverse(*v))).map(|(v, _)| v.to_string())
}

// docs/scoring.md "Properties": the score never rewards more lock-in.
proptest! {
    #[test]
    fn more_call_sites_of_the_dominant_vendor_never_lower_the_risk(
        f in arb_findings(), extra in prop::collection::vec(arb_finding(), 1..10)
    ) {
        let Some(v) = dominant(&f) else { return Ok(()) };
        let before = score::risk(&f, rules());
        let mut more = f.clone();
        more.extend(extra.into_iter().map(|mut x| { x.vendor = v.clone(); x.kind = Kind::Call; x }));
        let after = score::risk(&more, rules());
        prop_assert!(after.score >= before.score, "{} -> {} adding {v} calls", before.score, after.score);
    }

    #[test]
    fn more_proprietary_findings_of_any_vendor_never_lower_the_risk(f in arb_findings(), extra in arb_finding()) {
        prop_assume!(proprietary(&extra.vendor));
        let before = score::risk(&f, rules()).score;
        let mut more = f.clone();
        more.push(extra);
        prop_assert!(score::risk(&more, rules()).score >= before);
    }

    #[test]
    fn removing_the_last_call_of_a_vendor_never_raises_the_risk(f in arb_findings(), pick in 0..4usize) {
        let vendor = VENDORS[pick];
        let before = score::risk(&f, rules()).score;
        let without: Vec<Finding> =
            f.iter().filter(|x| !(x.vendor == vendor && x.kind == Kind::Call)).cloned().collect();
        prop_assert!(score::risk(&without, rules()).score <= before);
        // And the vendor's own risk never exceeds the score.
        for s in score::vendors(&f, rules()) {
            prop_assert!(s.risk <= before);
        }
    }

    #[test]
    fn findings_that_are_not_usage_never_change_the_risk(f in arb_findings(), file in 0..50usize) {
        // Files holding only model names, endpoints or credential reads change nothing;
        // nor does a file with no finding at all (the score never sees it).
        let before = score::risk(&f, rules());
        let mut more = f.clone();
        for kind in [Kind::Model, Kind::Endpoint, Kind::Env] {
            let mut x = call("openai", Capability::Chat, &format!("extra{file}/x.py"));
            x.kind = kind;
            more.push(x);
        }
        prop_assert_eq!(score::risk(&more, rules()), before);
    }

    #[test]
    fn adding_a_second_vendor_never_raises_hhi(n in 1..20usize, m in 1..20usize, cap in 0..12usize) {
        let mut f: Vec<Finding> = (0..n).map(|i| call("openai", Capability::ALL[cap], &format!("m{i}/f{i}.py"))).collect();
        let before = score::risk(&f, rules()).hhi;
        f.extend((0..m).map(|i| call("anthropic", Capability::ALL[(cap + i) % 12], &format!("m{i}/f{i}.py"))));
        prop_assert!(score::risk(&f, rules()).hhi <= before);
    }

    #[test]
    fn moving_calls_behind_one_module_never_raises_the_risk(f in arb_calls()) {
        let before = score::risk(&f, rules());
        let moved: Vec<Finding> = f.iter().cloned().map(|mut x| { x.path = "llm/adapter.py".into(); x }).collect();
        let after = score::risk(&moved, rules());
        prop_assert!(factor(&after, "spread") <= factor(&before, "spread"));
        prop_assert!(factor(&after, "exposure") <= factor(&before, "exposure") + 1e-9);
        prop_assert!(after.score <= before.score);
    }

    #[test]
    fn scores_stay_in_range(f in arb_findings()) {
        let r = score::risk(&f, rules());
        prop_assert!(r.score <= 100 && r.hhi <= 10000);
        for x in &r.factors {
            prop_assert!((0.0..=1.0).contains(&x.value), "{} = {}", x.name, x.value);
        }
        for v in score::vendors(&f, rules()) {
            prop_assert!(v.risk <= 100 && (0.0..=1.0).contains(&v.share));
        }
    }

    #[test]
    fn result_does_not_depend_on_file_order(f in arb_findings(), seed in 0..1000u64) {
        let mut shuffled = f.clone();
        // A deterministic shuffle from the seed.
        let len = shuffled.len();
        for i in 0..len {
            let j = ((seed as usize).wrapping_mul(31).wrapping_add(i * 17)) % len;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(score::risk(&f, rules()), score::risk(&shuffled, rules()));
        prop_assert_eq!(score::vendors(&f, rules()), score::vendors(&shuffled, rules()));
    }
}

/// The score of a tree does not change when files without findings are added to it, or
/// when another project with no finding is scanned alongside it (issue 16: 42 became 47).
#[test]
fn adding_files_without_findings_never_changes_the_score() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |rel: &str, text: &str| {
        let p = d.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "app/llm.py",
        "from openai import OpenAI\nc = OpenAI()\nc.chat.completions.create(model='gpt-4o', messages=[])\n",
    );
    write(
        "jobs/tune.py",
        "import openai\nopenai.OpenAI().fine_tuning.jobs.create(training_file='f', model='gpt-4o-mini')\n",
    );
    let scan_dir =
        |p: &Path| scan(&ScanOptions { paths: vec![p.to_path_buf()], ..ScanOptions::default() }, rules()).unwrap();
    let before = scan_dir(d);
    for i in 0..30 {
        write(&format!("pkg{i}/mod{i}.py"), "def f(x):\n    return x + 1\n");
        write(&format!("web/c{i}.ts"), "export const x = 1;\n");
    }
    let after = scan_dir(d);
    assert_eq!(before.risk, after.risk);
    assert_eq!(before.vendors, after.vendors);
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("util.py"), "print('hello')\n").unwrap();
    let both = scan(
        &ScanOptions { paths: vec![d.to_path_buf(), other.path().to_path_buf()], ..ScanOptions::default() },
        rules(),
    )
    .unwrap();
    assert_eq!(both.risk.score, before.risk.score);
}
