//! Scoring: findings in, the vendor summary, the risk assessment, per-call portability
//! and the recommendations out. Pure functions, no I/O; every weight comes from the rule
//! data (`rules/substitutes.toml`). docs/scoring.md explains and works through each factor.

use crate::finding::{Capability, Finding, Kind, Portability};
use crate::rules::substitutes::OpenModel;
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One vendor seen in the scan (spec/report-json.md `vendors`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorSummary {
    /// Vendor id.
    pub vendor: String,
    /// Whether it is proprietary.
    pub proprietary: bool,
    /// All findings of this vendor.
    pub findings: u64,
    /// `call` findings.
    pub call_sites: u64,
    /// Files with a finding of this vendor.
    pub files: u64,
    /// Share of all call sites (0..1, 4 decimals).
    pub share: f64,
    /// Capabilities of its call sites.
    pub capabilities: Vec<Capability>,
    /// Risk of this vendor alone (0..100).
    pub risk: u32,
}

/// One named factor of the risk score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// Name.
    pub name: String,
    /// Value, 0..1.
    pub value: f64,
    /// Weight in the total (for `mitigations`: the most it can take off).
    pub weight: f64,
    /// How the value was obtained, with the numbers.
    pub explanation: String,
}

/// The risk assessment (spec/report-json.md `risk`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// 0..100, higher is riskier.
    pub score: u32,
    /// `A` (least exposed) .. `F`.
    pub grade: String,
    /// Herfindahl-Hirschman index of vendor shares of capability-weighted call sites.
    pub hhi: u32,
    /// Every factor, with its value, weight and explanation.
    pub factors: Vec<Factor>,
}

/// Effort of moving one vendor capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effort {
    /// Call sites × depth (portable sites count 0).
    pub points: f64,
    /// `small`, `medium`, `large`, `very-large`.
    pub level: String,
}

/// Open substitutes for one vendor capability found in the code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// Vendor id.
    pub vendor: String,
    /// Capability.
    pub capability: Capability,
    /// Call sites of this vendor and capability.
    pub call_sites: u64,
    /// The most common portability among those call sites.
    pub portability: Portability,
    /// Effort estimate.
    pub effort: Effort,
    /// The first (default) substitute's model family.
    pub model: String,
    /// Its licence.
    pub license: String,
    /// Servers that run the substitutes.
    pub serving: Vec<String>,
    /// The migration path.
    pub migration: String,
    /// Every substitute, first is the default.
    pub substitutes: Vec<OpenModel>,
}

fn round4(x: f64) -> f64 {
    // `+ 0.0` turns -0.0 into 0.0 so that JSON never shows a negative zero.
    (x * 10000.0).round() / 10000.0 + 0.0
}

/// The module a file belongs to: its top-level folder (two levels under `src/`, `lib/`,
/// `packages/`, `apps/`, `services/`), or `.` for files at the root.
pub fn module_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        [_] => ".".into(),
        [first, second, _, ..] if matches!(*first, "src" | "lib" | "packages" | "apps" | "services") => {
            format!("{first}/{second}")
        }
        [first, ..] => first.to_string(),
        [] => ".".into(),
    }
}

/// The module of a finding path when several roots are scanned: the root it carries, then
/// the module within it, so that the same tree gives the same modules alone or beside others.
pub fn module_in(roots: &[String], path: &str) -> String {
    match crate::context::split_root(roots, path) {
        ("", rest) => module_of(rest),
        (root, rest) => format!("{root}/{}", module_of(rest)),
    }
}

/// Sets `portability` on `call` findings (rules/substitutes.toml decides).
pub fn annotate(findings: &mut [Finding], rules: &RuleSet) {
    for f in findings.iter_mut().filter(|f| f.kind == Kind::Call) {
        let api = rules.operation_by_id(&f.rule_id).map_or("", |o| o.api.as_str());
        let proprietary = rules.vendor(&f.vendor).is_none_or(|v| v.proprietary);
        f.portability = Some(rules.substitutes.portability(api, f.capability, proprietary));
    }
}

/// Reference mass of `concentration`: W / (W + self-hosted mass + 5), so five chat calls
/// with nothing self-hosted are half of it (docs/scoring.md).
pub const CONCENTRATION_REF: f64 = 5.0;
/// Reference of `exposure`: (files − 1) / (files − 1 + 10).
pub const FILES_REF: f64 = 10.0;
/// Reference of `spread`: (modules − 1) / (modules − 1 + 3).
pub const MODULES_REF: f64 = 3.0;

/// What one proprietary vendor holds of the scanned code: its call sites weighed by depth,
/// and the files and modules that use it at all.
#[derive(Default)]
struct Usage<'a> {
    /// Σ depth × (1 − mitigation) for mitigated calls, Σ depth for the others.
    mass: f64,
    /// Σ depth of every call.
    raw_mass: f64,
    /// Calls through an abstraction layer or a client with a configurable base URL.
    mitigated_calls: usize,
    calls: usize,
    /// The deepest capability called, with its depth.
    deepest: Option<(f64, Capability)>,
    /// Files and modules with a call, client, import or manifest entry of the vendor.
    files: BTreeSet<&'a str>,
    modules: BTreeSet<String>,
    frameworks: BTreeSet<&'a str>,
    configurable: bool,
}

fn is_proprietary(rules: &RuleSet, vendor: &str) -> bool {
    rules.vendor(vendor).is_none_or(|v| v.proprietary)
}

/// Each proprietary vendor's usage, and the depth mass of calls to self-hosted servers.
fn usage<'a>(findings: &'a [Finding], rules: &'a RuleSet, roots: &[String]) -> (BTreeMap<&'a str, Usage<'a>>, f64) {
    let mut by: BTreeMap<&str, Usage> = BTreeMap::new();
    let mut portable = 0.0;
    let discount = rules.substitutes.scoring.mitigation;
    for f in findings {
        let depth = rules.substitutes.depth(f.capability);
        if !is_proprietary(rules, &f.vendor) {
            if f.kind == Kind::Call {
                portable += depth;
            }
            continue;
        }
        if !matches!(f.kind, Kind::Call | Kind::Client | Kind::Import | Kind::Dependency) {
            continue;
        }
        let u = by.entry(f.vendor.as_str()).or_default();
        u.files.insert(f.path.as_str());
        u.modules.insert(module_in(roots, &f.path));
        if f.kind != Kind::Call {
            continue;
        }
        let framework = rules
            .operation_by_id(&f.rule_id)
            .and_then(|o| rules.frameworks.iter().find(|fw| fw.id == o.owner))
            .map(|fw| fw.name.as_str());
        let mitigated = framework.is_some() || f.configurable;
        u.calls += 1;
        u.raw_mass += depth;
        u.mass += if mitigated { depth * (1.0 - discount) } else { depth };
        u.mitigated_calls += usize::from(mitigated);
        u.frameworks.extend(framework);
        u.configurable |= f.configurable;
        if u.deepest.is_none_or(|(d, c)| depth > d || (depth == d && f.capability < c)) {
            u.deepest = Some((depth, f.capability));
        }
    }
    // Sums of floats depend on the order of their terms in the last bits, and a score
    // rounded from them could differ between two orders of the same findings: every term
    // is a multiple of 1/1000 here, so the sums are rounded to that.
    let exact = |x: f64| (x * 1e6).round() / 1e6;
    for u in by.values_mut() {
        u.mass = exact(u.mass);
        u.raw_mass = exact(u.raw_mass);
    }
    (by, exact(portable))
}

/// Herfindahl-Hirschman index of shares given as masses: 10000 for one vendor, 5000 for two
/// equal ones, 0 when there is nothing. `extra` is portable mass: it dilutes the shares
/// but is nobody's concentration.
pub fn hhi(masses: &[f64], extra: f64) -> f64 {
    let total: f64 = masses.iter().sum::<f64>() + extra;
    if total <= 0.0 {
        return 0.0;
    }
    masses.iter().map(|m| (m / total * 100.0).powi(2)).sum()
}

/// `(n − 1) / (n − 1 + reference)`: 0 for one, one half at `reference + 1`, towards 1.
fn saturating(n: usize, reference: f64) -> f64 {
    let x = n.saturating_sub(1) as f64;
    x / (x + reference)
}

/// The four factor values of one vendor's usage, each 0..1 and each never lower when the
/// vendor gets another call, client, import or manifest entry (docs/scoring.md).
#[derive(Clone, Copy)]
struct Parts {
    concentration: f64,
    depth: f64,
    exposure: f64,
    spread: f64,
}

fn parts(u: &Usage, portable: f64) -> Parts {
    Parts {
        concentration: u.mass / (u.mass + portable + CONCENTRATION_REF),
        depth: u.deepest.map_or(0.0, |(d, _)| ((d - 1.0) / 4.0).clamp(0.0, 1.0)),
        exposure: saturating(u.files.len(), FILES_REF),
        spread: saturating(u.modules.len(), MODULES_REF),
    }
}

fn total(p: &Parts, rules: &RuleSet) -> f64 {
    let w = &rules.substitutes.scoring;
    (w.concentration * p.concentration + w.depth * p.depth + w.exposure * p.exposure + w.spread * p.spread)
        .clamp(0.0, 1.0)
}

/// A share as a whole percent, safe on an empty total.
fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Per-vendor summary, sorted by vendor id. A proprietary vendor's `risk` is the score of
/// its own usage; the other vendors' is 0.
pub fn vendors(findings: &[Finding], rules: &RuleSet) -> Vec<VendorSummary> {
    vendors_in(findings, rules, &[])
}

/// [`vendors`] of a scan of several roots, whose finding paths start with these prefixes.
pub fn vendors_in(findings: &[Finding], rules: &RuleSet, roots: &[String]) -> Vec<VendorSummary> {
    #[derive(Default)]
    struct Acc<'a> {
        findings: u64,
        calls: u64,
        files: BTreeSet<&'a str>,
        caps: BTreeSet<Capability>,
    }
    let mut by: BTreeMap<&str, Acc> = BTreeMap::new();
    for f in findings {
        let a = by.entry(f.vendor.as_str()).or_default();
        a.findings += 1;
        a.files.insert(f.path.as_str());
        if f.kind == Kind::Call {
            a.calls += 1;
            a.caps.insert(f.capability);
        }
    }
    let total_calls: u64 = by.values().map(|a| a.calls).sum();
    let (usage, portable) = usage(findings, rules, roots);
    by.into_iter()
        .map(|(id, a)| {
            let proprietary = is_proprietary(rules, id);
            let risk = usage.get(id).map_or(0, |u| (total(&parts(u, portable), rules) * 100.0).round() as u32);
            VendorSummary {
                vendor: id.to_string(),
                proprietary,
                findings: a.findings,
                call_sites: a.calls,
                files: a.files.len() as u64,
                share: round4(ratio(a.calls, total_calls)),
                capabilities: a.caps.into_iter().collect(),
                risk,
            }
        })
        .collect()
}

/// The risk assessment: the score is the risk of the proprietary vendor the code depends on
/// most (the highest per-vendor risk; ties go to the vendor id first in order), and the
/// factors are that vendor's. `hhi` describes how the call sites are shared among vendors.
pub fn risk(findings: &[Finding], rules: &RuleSet) -> Risk {
    risk_in(findings, rules, &[])
}

/// [`risk`] of a scan of several roots, whose finding paths start with these prefixes.
pub fn risk_in(findings: &[Finding], rules: &RuleSet, roots: &[String]) -> Risk {
    let (usage, portable) = usage(findings, rules, roots);
    let masses: Vec<f64> = usage.values().map(|u| u.raw_mass).collect();
    let h = hhi(&masses, portable);
    let scored: Vec<(&str, &Usage, Parts, f64)> = usage
        .iter()
        .map(|(v, u)| {
            let p = parts(u, portable);
            let t = total(&p, rules);
            (*v, u, p, t)
        })
        .collect();
    // The first vendor with the highest total: BTreeMap order makes ties deterministic.
    let top = scored.iter().fold(None::<&(&str, &Usage, Parts, f64)>, |best, x| match best {
        Some(b) if b.3 >= x.3 => Some(b),
        _ => Some(x),
    });
    let w = &rules.substitutes.scoring;
    let empty = Usage::default();
    let (vendor, u, p, t) = match top {
        Some((v, u, p, t)) => (*v, *u, *p, *t),
        None => ("", &empty, parts(&empty, portable), 0.0),
    };
    let score = (t * 100.0).round() as u32;
    let who = if vendor.is_empty() { "no proprietary vendor".to_string() } else { vendor.to_string() };
    let factors = vec![
        Factor {
            name: "concentration".into(),
            value: round4(p.concentration),
            weight: w.concentration,
            explanation: format!(
                "How much of the code's LLM work {who} holds: {} weighing {:.1} (chat 1 … fine-tuning 5, \
                 mitigated calls less) against {:.1} self-hosted, as W / (W + self-hosted + {CONCENTRATION_REF})",
                plural(u.calls, "call site"),
                u.mass,
                portable
            ),
        },
        Factor {
            name: "depth".into(),
            value: round4(p.depth),
            weight: w.depth,
            explanation: match u.deepest {
                Some((d, c)) => format!(
                    "The hardest call to move is {c} (lock-in depth {d:.0} on the 1-5 scale: chat 1, embeddings 3, fine-tuning 5), rescaled to 0-1"
                ),
                None => format!("{who}: no call resolved, so nothing deeper than an import"),
            },
        },
        Factor {
            name: "exposure".into(),
            value: round4(p.exposure),
            weight: w.exposure,
            explanation: format!(
                "{} would change (its calls, clients, imports or manifest entries): (files - 1) / (files - 1 + {FILES_REF})",
                plural(u.files.len(), "file")
            ),
        },
        Factor {
            name: "spread".into(),
            value: round4(p.spread),
            weight: w.spread,
            explanation: format!(
                "Used in {} (top-level folders): (modules - 1) / (modules - 1 + {MODULES_REF}), 0 when one module holds everything",
                plural(u.modules.len(), "module")
            ),
        },
        Factor {
            name: "mitigations".into(),
            value: round4(if u.calls == 0 { 0.0 } else { u.mitigated_calls as f64 / u.calls as f64 }),
            weight: w.mitigation,
            explanation: if u.mitigated_calls == 0 {
                format!(
                    "No call goes through an abstraction layer or a client whose base URL comes from configuration; such calls weigh {:.0}% less",
                    w.mitigation * 100.0
                )
            } else {
                let mut how = Vec::new();
                if !u.frameworks.is_empty() {
                    how.push(format!(
                        "an abstraction layer ({})",
                        u.frameworks.iter().copied().collect::<Vec<_>>().join(", ")
                    ));
                }
                if u.configurable {
                    how.push("a client whose base URL comes from configuration".to_string());
                }
                format!(
                    "{} of {} go through {}; each weighs {:.0}% less in concentration",
                    u.mitigated_calls,
                    plural(u.calls, "call site"),
                    how.join(" or "),
                    w.mitigation * 100.0
                )
            },
        },
    ];
    Risk { score, grade: grade(score).to_string(), hhi: h.round() as u32, factors }
}

/// Grade thresholds: A < 20 ≤ B < 40 ≤ C < 60 ≤ D < 80 ≤ F.
pub fn grade(score: u32) -> &'static str {
    match score {
        0..=19 => "A",
        20..=39 => "B",
        40..=59 => "C",
        60..=79 => "D",
        _ => "F",
    }
}

/// Effort level of a number of points.
pub fn effort(points: f64, rules: &RuleSet) -> Effort {
    let [m, l, v] = rules.substitutes.scoring.effort_levels;
    let level = if points < m {
        "small"
    } else if points < l {
        "medium"
    } else if points < v {
        "large"
    } else {
        "very-large"
    };
    Effort { points: round4(points), level: level.into() }
}

/// Engineer-days for effort points, `(low, high)`: a quarter of a day to a day per point
/// ([`EFFORT_ASSUMPTIONS`]). The Markdown report's migration plan and `lockin plan` both
/// use it: one estimate.
pub fn engineer_days(points: f64) -> (f64, f64) {
    (points * 0.25, points)
}

/// The assumptions behind [`engineer_days`], shown wherever days are.
pub const EFFORT_ASSUMPTIONS: &str =
    "a point is one call site × its capability's lock-in depth (chat 1 … fine-tuning 5); \
a point takes a quarter of a day to a day to change, test and review. Base-URL swaps sit at the low \
end, adapters and rebuilt vendor state (assistants, vector stores, fine-tuned models) at the high end; \
calls behind one shared client move together, so well-factored code needs less.";

/// The capability's migration path, prefixed when this vendor's API is not one open
/// servers speak (the capability text assumes an OpenAI-shaped client).
fn migration(text: &str, portability: Portability) -> String {
    if portability == Portability::Adapter && text.starts_with("Base URL swap") {
        return format!(
            "Adapter: open servers do not speak this SDK's API, so first port the calls to an OpenAI-compatible client (or LangChain, LiteLLM); then {}",
            text.replacen("Base URL swap", "a base URL swap", 1)
        );
    }
    text.to_string()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// One recommendation per proprietary vendor × capability with call sites, sorted. When
/// most of the group's calls name a model of one class (rules/substitutes.toml `[[class]]`:
/// a small model, a reasoning model, an embedding model of some dimension, an open-weight
/// model a vendor hosts), that class's substitutes come first and its reason leads the
/// migration path.
pub fn recommendations(findings: &[Finding], rules: &RuleSet) -> Vec<Recommendation> {
    let mut groups: BTreeMap<(&str, Capability), Vec<&Finding>> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.kind == Kind::Call) {
        if rules.vendor(&f.vendor).is_some_and(|v| v.proprietary) {
            groups.entry((f.vendor.as_str(), f.capability)).or_default().push(f);
        }
    }
    let models = models_by_path(findings);
    groups
        .into_iter()
        .map(|((vendor, capability), calls)| {
            let info = rules.substitutes.capabilities.get(&capability);
            let mut counts: BTreeMap<Portability, usize> = BTreeMap::new();
            for f in &calls {
                *counts.entry(f.portability.unwrap_or(Portability::Adapter)).or_default() += 1;
            }
            // Most common; ties go to the harder move (declaration order is easiest first).
            let portability = counts.iter().max_by_key(|(p, n)| (**n, **p)).map_or(Portability::Adapter, |(p, _)| *p);
            let depth = rules.substitutes.depth(capability);
            let mut substitutes = info.map(|i| i.models.clone()).unwrap_or_default();
            let mut migration = migration(info.map_or("", |i| i.migration.as_str()), portability);
            if let Some(class) = class_of_calls(&calls, &models, rules) {
                let mut first = class.substitutes.clone();
                first.extend(
                    substitutes.into_iter().filter(|m| !class.substitutes.iter().any(|c| c.family == m.family)),
                );
                substitutes = first;
                migration = format!("{} {}", class.why, class.migration.as_deref().unwrap_or(&migration));
            }
            Recommendation {
                vendor: vendor.to_string(),
                capability,
                call_sites: calls.len() as u64,
                portability,
                effort: effort(calls.len() as f64 * depth, rules),
                model: substitutes.first().map(|m| m.family.clone()).unwrap_or_default(),
                license: substitutes.first().map(|m| m.license.clone()).unwrap_or_default(),
                serving: rules.substitutes.server_names(capability),
                migration,
                substitutes,
            }
        })
        .collect()
}

/// Model names per file, with their positions (line, column), sorted.
type Models<'a> = BTreeMap<&'a str, Vec<((u32, u32), &'a str)>>;

fn models_by_path(findings: &[Finding]) -> Models<'_> {
    let mut out: Models<'_> = BTreeMap::new();
    for f in findings {
        if let (Kind::Model, Some(crate::finding::Subject::Model { name, .. })) = (f.kind, &f.subject) {
            out.entry(f.path.as_str()).or_default().push(((f.line, f.column), name.as_str()));
        }
    }
    for list in out.values_mut() {
        list.sort();
    }
    out
}

/// The class most of these calls' models belong to, when classified calls are at least
/// half of them (ties: the class first in the data). A call's model is a model name
/// inside the span of the call.
fn class_of_calls<'a>(
    calls: &[&Finding],
    models: &Models<'_>,
    rules: &'a RuleSet,
) -> Option<&'a crate::rules::substitutes::ModelClass> {
    let classes = &rules.substitutes.classes;
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    // Calls of one group share a capability, so a model name's class is looked up once.
    let mut class_by_name: std::collections::HashMap<&str, Option<&str>> = std::collections::HashMap::new();
    for f in calls {
        // Sorted by position: the models inside the call's span are one slice.
        let in_file = models.get(f.path.as_str()).map_or(&[][..], Vec::as_slice);
        let from = in_file.partition_point(|(at, _)| *at < (f.line, f.column));
        let to = in_file.partition_point(|(at, _)| *at <= (f.end_line, f.end_column)).max(from);
        let class = in_file[from..to].iter().find_map(|(_, m)| {
            *class_by_name.entry(m).or_insert_with(|| rules.model_class(m, f.capability).map(|c| c.id.as_str()))
        });
        if let Some(c) = class.and_then(|id| classes.iter().position(|x| x.id == id)) {
            *counts.entry(c).or_default() += 1;
        }
    }
    let classified: usize = counts.values().sum();
    if classified * 2 < calls.len() {
        return None;
    }
    let (best, _) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    classes.get(*best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hhi_hand_worked() {
        assert_eq!(hhi(&[7.0], 0.0), 10000.0);
        assert_eq!(hhi(&[3.0, 3.0], 0.0), 5000.0);
        assert_eq!(hhi(&[], 0.0), 0.0);
        // 3 of 4 and 1 of 4: 75² + 25² = 6250.
        assert_eq!(hhi(&[3.0, 1.0], 0.0), 6250.0);
        // Half the mass portable: 50² = 2500.
        assert_eq!(hhi(&[2.0], 2.0), 2500.0);
    }

    #[test]
    fn saturating_factors_hand_worked() {
        assert_eq!(saturating(0, 10.0), 0.0);
        assert_eq!(saturating(1, 10.0), 0.0);
        assert_eq!(saturating(11, 10.0), 0.5);
        assert_eq!(saturating(4, 3.0), 0.5);
    }

    #[test]
    fn modules_are_top_level_folders() {
        assert_eq!(module_of("app/llm.py"), "app");
        assert_eq!(module_of("src/app/llm.py"), "src/app");
        assert_eq!(module_of("main.py"), ".");
        assert_eq!(module_of("src/main.py"), "src");
    }

    /// A call at `line` (spanning `lines`) and the model it names.
    fn call_naming(vendor: &str, capability: Capability, line: u32, model: &str) -> [Finding; 2] {
        use crate::finding::{test_finding, Subject};
        let call = Finding { vendor: vendor.into(), capability, line, end_line: line + 2, ..test_finding("x.call") };
        let named = Finding {
            kind: Kind::Model,
            line: line + 1,
            subject: Some(Subject::Model { name: model.into(), family: vendor.into() }),
            ..call.clone()
        };
        [call, named]
    }

    fn first_substitute(findings: &[Finding]) -> (String, String) {
        let rules = crate::rules::load_embedded();
        let r = recommendations(findings, &rules);
        assert_eq!(r.len(), 1, "{r:?}");
        (r[0].model.clone(), r[0].migration.clone())
    }

    #[test]
    fn substitutes_match_the_models_the_calls_name() {
        let small: Vec<Finding> =
            [1, 10].iter().flat_map(|&l| call_naming("openai", Capability::Chat, l, "gpt-4o-mini")).collect();
        let (model, why) = first_substitute(&small);
        assert_eq!(model, "Qwen3 (4B, 8B, 14B)");
        assert!(why.starts_with("These calls use a small, fast model"), "{why}");
        let (model, _) = first_substitute(&call_naming("openai", Capability::Chat, 1, "o3-mini"));
        assert_eq!(model, "DeepSeek-R1");
        let (model, why) = first_substitute(&call_naming("groq", Capability::Chat, 1, "llama-3.3-70b-versatile"));
        assert_eq!(model, "Llama 3.x (the same weights)");
        assert!(why.starts_with("Already an open model"), "{why}");
        let (model, _) = first_substitute(&call_naming("openai", Capability::Embeddings, 1, "text-embedding-3-small"));
        assert_eq!(model, "Qwen3-Embedding-4B");
        // A class applies to its capability only: a small chat model named by an embedding call is not.
        let (model, _) = first_substitute(&call_naming("openai", Capability::Embeddings, 1, "gpt-4o-mini"));
        assert_eq!(model, "Qwen3-Embedding");
        // Most calls name no class: the capability's default stays first.
        let mut mixed: Vec<Finding> = call_naming("openai", Capability::Chat, 1, "gpt-4o-mini").to_vec();
        mixed.extend(call_naming("openai", Capability::Chat, 10, "gpt-4o"));
        mixed.extend(call_naming("openai", Capability::Chat, 20, "gpt-4o"));
        let (model, why) = first_substitute(&mixed);
        assert_eq!(model, "Qwen3");
        assert!(!why.starts_with("These calls"), "{why}");
    }

    #[test]
    fn grades_have_documented_thresholds() {
        assert_eq!(
            [grade(0), grade(19), grade(20), grade(59), grade(60), grade(80), grade(100)],
            ["A", "A", "B", "C", "D", "F", "F"]
        );
    }
}
