//! The rule catalogue: ids unique and well formed, docs complete, every API surface and
//! vendor exercised by a fixture marker, `rules explain` non-empty for every rule.

use lockin::rules::{explain, load_embedded};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn marker_ids() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut BTreeSet<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
                continue;
            }
            let Ok(text) = fs::read_to_string(&p) else {
                continue;
            };
            for line in text.lines() {
                let rest =
                    line.split_once("# expect:").or_else(|| line.split_once("// expect:")).map(|(_, r)| r).or_else(
                        || {
                            (p.ends_with("expected.txt") && !line.starts_with('#'))
                                .then(|| line.split_once(' ').map_or("", |(_, r)| r))
                        },
                    );
                for id in rest.unwrap_or("").split(',') {
                    if !id.trim().is_empty() {
                        out.insert(id.trim().to_string());
                    }
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"), &mut out);
    out
}

#[test]
fn rule_ids_are_unique_well_formed_and_prefixed() {
    let rules = load_embedded();
    let list = rules.rules();
    let mut seen = BTreeSet::new();
    for r in &list {
        assert!(seen.insert(r.id.clone()), "duplicate rule id {}", r.id);
        let (owner, name) = r.id.split_once('.').expect("vendor.name");
        assert_eq!(owner, r.owner, "{} starts with its owner's id", r.id);
        assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{}", r.id);
    }
}

#[test]
fn every_rule_explains_itself() {
    let rules = load_embedded();
    for r in rules.rules() {
        for (section, body) in
            [("what", &r.docs.what), ("why", &r.docs.why), ("example", &r.docs.example), ("instead", &r.docs.instead)]
        {
            assert!(!body.trim().is_empty(), "{}: empty `{section}`", r.id);
        }
        let text = explain::explain_text(&r, &rules.substitutes);
        for heading in ["## What it does", "## Why it matters", "## Example", "## Instead"] {
            assert!(text.contains(heading), "{}: no {heading}", r.id);
        }
        if r.kind == lockin::finding::Kind::Call {
            assert!(text.contains("## Open substitutes") && text.contains("Served by:"), "{}: no substitutes", r.id);
        }
    }
}

#[test]
fn every_api_surface_and_major_vendor_is_exercised_by_a_fixture() {
    let rules = load_embedded();
    let markers = marker_ids();
    for (api, ops) in rules.apis() {
        assert!(ops.iter().any(|op| markers.contains(&op.id)), "no fixture marker hits any operation of api `{api}`");
    }
    for v in ["openai", "azure-openai", "anthropic", "google", "cohere", "aws-bedrock", "mistral"] {
        assert!(markers.iter().any(|m| m.starts_with(&format!("{v}."))), "no fixture marker for vendor {v}");
    }
}

#[test]
fn exactly_one_portable_vendor() {
    let rules = load_embedded();
    let portable: Vec<_> = rules.vendors.iter().filter(|v| v.portable).collect();
    assert_eq!(portable.len(), 1);
    assert!(!portable[0].proprietary);
}

#[test]
fn model_string_clients_share_litellm_prefixes() {
    // DSPy and the Agents SDK hand their model strings to LiteLLM: the same prefix table.
    let rules = load_embedded();
    let by_ctor = |ctor: &str| rules.clients.iter().find(|c| c.constructors.iter().any(|k| k == ctor)).unwrap();
    let litellm = rules.clients.iter().find(|c| c.modules.iter().any(|m| m == "litellm")).unwrap();
    for ctor in ["dspy.LM", "dspy.Embedder", "agents.extensions.models.litellm_model.LitellmModel"] {
        assert_eq!(by_ctor(ctor).vendor_prefixes, litellm.vendor_prefixes, "{ctor}");
    }
    // `Agent(model="litellm/anthropic/...")`: past `litellm/` or `any-llm/`, a LiteLLM string.
    let mut agent = by_ctor("agents.Agent").vendor_prefixes.clone();
    assert_eq!(agent.remove("litellm").as_deref(), Some(""));
    assert_eq!(agent.remove("any-llm").as_deref(), Some(""));
    assert_eq!(agent, litellm.vendor_prefixes);
}

/// Every lifecycle entry cites the vendor's own deprecation page (the loader already refuses
/// an entry without a source: tests/bad_rules/lifecycle_entries.toml).
#[test]
fn lifecycle_entries_cite_the_vendors_page() {
    let rules = load_embedded();
    let entries = &rules.lifecycle.entries;
    assert!(entries.len() >= 10, "{}", entries.len());
    let domains = [
        ("openai", "platform.openai.com/docs/deprecations"),
        ("anthropic", "docs.anthropic.com/"),
        ("google", ".google.com/"),
        ("google", "ai.google.dev/"),
        ("azure-openai", "learn.microsoft.com/"),
        ("aws-bedrock", "docs.aws.amazon.com/bedrock/"),
        ("cohere", "docs.cohere.com/"),
        ("mistral", "docs.mistral.ai/"),
    ];
    for e in entries {
        assert!(
            domains.iter().any(|(v, d)| *v == e.vendor && e.source.contains(d)),
            "{}: {:?} cites {} (not the vendor's own page)",
            e.at,
            e.models,
            e.source
        );
        assert!(!e.replacement.is_empty() && (e.deprecated.is_some() || e.retired.is_some()), "{}", e.at);
    }
    let vendors: BTreeSet<&str> = entries.iter().map(|e| e.vendor.as_str()).collect();
    for v in ["openai", "anthropic", "google", "azure-openai", "aws-bedrock", "cohere", "mistral"] {
        assert!(vendors.contains(v), "no lifecycle entry for {v}");
    }
}
