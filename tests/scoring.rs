//! The risk model: fixture projects whose grades differ for understandable reasons, and
//! properties that must hold for any set of findings (docs/scoring.md).

use lockin::finding::{Capability, Finding, Kind, Severity};
use lockin::rules::{load_embedded, RuleSet};
use lockin::scan::{scan, ScanOptions};
use lockin::score::{self, Scope};
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
    }
}

fn factor(r: &score::Risk, name: &str) -> f64 {
    r.factors.iter().find(|f| f.name == name).unwrap().value
}

const VENDORS: [&str; 4] = ["openai", "anthropic", "google", "cohere"];

fn arb_calls() -> impl Strategy<Value = Vec<Finding>> {
    prop::collection::vec((0..4usize, 0..12usize, 0..6usize), 1..40).prop_map(|v| {
        v.into_iter()
            .map(|(vendor, cap, file)| call(VENDORS[vendor], Capability::ALL[cap], &format!("m{file}/f{file}.py")))
            .collect()
    })
}

fn scope() -> Scope {
    Scope { sources: (0..8).map(|i| format!("m{i}/f{i}.py")).collect() }
}

proptest! {
    #[test]
    fn adding_a_second_vendor_never_raises_concentration(n in 1..20usize, m in 1..20usize, cap in 0..12usize) {
        let mut f: Vec<Finding> = (0..n).map(|i| call("openai", Capability::ALL[cap], &format!("m{i}/f{i}.py"))).collect();
        let before = factor(&score::risk(&f, rules(), &scope()), "concentration");
        f.extend((0..m).map(|i| call("anthropic", Capability::ALL[(cap + i) % 12], &format!("m{i}/f{i}.py"))));
        let after = factor(&score::risk(&f, rules(), &scope()), "concentration");
        prop_assert!(after <= before, "{after} > {before}");
    }

    #[test]
    fn moving_calls_behind_one_module_never_raises_spread(f in arb_calls()) {
        let before = score::risk(&f, rules(), &scope());
        let moved: Vec<Finding> = f.iter().cloned().map(|mut x| { x.path = "llm/adapter.py".into(); x }).collect();
        let after = score::risk(&moved, rules(), &scope());
        prop_assert!(factor(&after, "spread") <= factor(&before, "spread"));
        prop_assert!(factor(&after, "exposure") <= factor(&before, "exposure") + 1e-9);
    }

    #[test]
    fn scores_stay_in_range(f in arb_calls()) {
        let r = score::risk(&f, rules(), &scope());
        prop_assert!(r.score <= 100 && r.hhi <= 10000);
        for x in &r.factors {
            prop_assert!((0.0..=1.0).contains(&x.value), "{} = {}", x.name, x.value);
        }
        for v in score::vendors(&f, rules(), &scope()) {
            prop_assert!(v.risk <= 100 && (0.0..=1.0).contains(&v.share));
        }
    }

    #[test]
    fn result_does_not_depend_on_file_order(f in arb_calls(), seed in 0..1000u64) {
        let mut shuffled = f.clone();
        // A deterministic shuffle from the seed.
        let len = shuffled.len();
        for i in 0..len {
            let j = ((seed as usize).wrapping_mul(31).wrapping_add(i * 17)) % len;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(score::risk(&f, rules(), &scope()), score::risk(&shuffled, rules(), &scope()));
        prop_assert_eq!(score::vendors(&f, rules(), &scope()), score::vendors(&shuffled, rules(), &scope()));
    }
}
