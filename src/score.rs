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

/// Sets `portability` on `call` findings (rules/substitutes.toml decides).
pub fn annotate(findings: &mut [Finding], rules: &RuleSet) {
    for f in findings.iter_mut().filter(|f| f.kind == Kind::Call) {
        let api = rules.operation_by_id(&f.rule_id).map_or("", |o| o.api.as_str());
        let proprietary = rules.vendor(&f.vendor).is_none_or(|v| v.proprietary);
        f.portability = Some(rules.substitutes.portability(api, f.capability, proprietary));
    }
}

/// What the scan saw beyond findings, for exposure.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Relative paths of the source files scanned.
    pub sources: Vec<String>,
}

/// A weighted site: one proprietary call (or, with no calls, one other proprietary finding).
struct Site<'a> {
    vendor: &'a str,
    path: &'a str,
    depth: f64,
}

fn sites<'a>(findings: &'a [Finding], rules: &RuleSet) -> (Vec<Site<'a>>, f64, bool) {
    let proprietary = |f: &Finding| rules.vendor(&f.vendor).is_none_or(|v| v.proprietary);
    let calls: Vec<&Finding> = findings.iter().filter(|f| f.kind == Kind::Call).collect();
    let portable_mass: f64 =
        calls.iter().filter(|f| !proprietary(f)).map(|f| rules.substitutes.depth(f.capability)).sum();
    let prop_calls: Vec<&Finding> = calls.iter().copied().filter(|f| proprietary(f)).collect();
    if !prop_calls.is_empty() {
        let s = prop_calls
            .iter()
            .map(|f| Site { vendor: &f.vendor, path: &f.path, depth: rules.substitutes.depth(f.capability) })
            .collect();
        return (s, portable_mass, true);
    }
    // No call resolved: imports, clients and manifests still show a dependency, at depth 1.
    let s = findings
        .iter()
        .filter(|f| proprietary(f) && matches!(f.kind, Kind::Import | Kind::Client | Kind::Dependency))
        .map(|f| Site { vendor: &f.vendor, path: &f.path, depth: 1.0 })
        .collect();
    (s, portable_mass, false)
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

/// Spread of `n` call sites over `f` files: 0 when they all sit in one file, 1 when each
/// has its own.
pub fn spread(calls: usize, files: usize) -> f64 {
    if calls <= 1 {
        return 0.0;
    }
    (files.max(1) - 1) as f64 / (calls - 1) as f64
}

struct Parts {
    concentration: f64,
    depth: f64,
    exposure: f64,
    spread: f64,
}

fn parts(sites: &[&Site], share: f64, scope: &Scope) -> Parts {
    let n = sites.len();
    let depth = if n == 0 { 0.0 } else { (sites.iter().map(|s| s.depth).sum::<f64>() / n as f64 - 1.0) / 4.0 };
    let files: BTreeSet<&str> = sites.iter().map(|s| s.path).collect();
    let modules: BTreeSet<String> = files.iter().map(|p| module_of(p)).collect();
    let all_modules: BTreeSet<String> = scope.sources.iter().map(|p| module_of(p)).collect();
    let file_share = ratio(files.len(), scope.sources.len().max(files.len()));
    let module_share = ratio(modules.len(), all_modules.len().max(modules.len()));
    Parts {
        concentration: share,
        depth: depth.clamp(0.0, 1.0),
        exposure: (file_share + module_share) / 2.0,
        spread: spread(n, files.len()),
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

struct Mitigations {
    value: f64,
    found: Vec<String>,
}

fn mitigations(findings: &[Finding], rules: &RuleSet) -> Mitigations {
    let calls: Vec<&Finding> = findings.iter().filter(|f| f.kind == Kind::Call).collect();
    // The frameworks whose calls were seen, named as their rule files name them.
    let frameworks: BTreeSet<&str> = calls
        .iter()
        .filter_map(|f| rules.operation_by_id(&f.rule_id))
        .filter_map(|o| rules.frameworks.iter().find(|fw| fw.id == o.owner))
        .map(|fw| fw.name.as_str())
        .collect();
    let configurable = findings.iter().any(|f| f.configurable && matches!(f.kind, Kind::Client | Kind::Call));
    let vendors: BTreeSet<&str> = calls.iter().map(|f| f.vendor.as_str()).collect();
    let second = vendors.len() >= 2;
    let mut found = Vec::new();
    if !frameworks.is_empty() {
        found.push(format!("an abstraction layer ({})", frameworks.into_iter().collect::<Vec<_>>().join(", ")));
    }
    if configurable {
        found.push("a base URL read from configuration".to_string());
    }
    if second {
        found.push("a second vendor or self-hosted server".to_string());
    }
    Mitigations { value: found.len() as f64 / 3.0, found }
}

fn total(p: &Parts, m: &Mitigations, rules: &RuleSet) -> f64 {
    let w = &rules.substitutes.scoring;
    let raw = w.concentration * p.concentration + w.depth * p.depth + w.exposure * p.exposure + w.spread * p.spread;
    (raw * (1.0 - w.mitigation * m.value)).clamp(0.0, 1.0)
}

/// Per-vendor summary, sorted by vendor id.
pub fn vendors(findings: &[Finding], rules: &RuleSet, scope: &Scope) -> Vec<VendorSummary> {
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
    let (all_sites, portable_mass, _) = sites(findings, rules);
    let mass: f64 = all_sites.iter().map(|s| s.depth).sum::<f64>() + portable_mass;
    let m = mitigations(findings, rules);
    by.into_iter()
        .map(|(id, a)| {
            let proprietary = rules.vendor(id).is_none_or(|v| v.proprietary);
            let mine: Vec<&Site> = all_sites.iter().filter(|s| s.vendor == id).collect();
            let share_w = if mass > 0.0 { mine.iter().map(|s| s.depth).sum::<f64>() / mass } else { 0.0 };
            let risk = if proprietary && !mine.is_empty() {
                (total(&parts(&mine, share_w, scope), &m, rules) * 100.0).round() as u32
            } else {
                0
            };
            VendorSummary {
                vendor: id.to_string(),
                proprietary,
                findings: a.findings,
                call_sites: a.calls,
                files: a.files.len() as u64,
                share: round4(ratio(a.calls as usize, total_calls as usize)),
                capabilities: a.caps.into_iter().collect(),
                risk,
            }
        })
        .collect()
}

/// The risk assessment.
pub fn risk(findings: &[Finding], rules: &RuleSet, scope: &Scope) -> Risk {
    let (all_sites, portable_mass, from_calls) = sites(findings, rules);
    let mut masses: BTreeMap<&str, f64> = BTreeMap::new();
    for s in &all_sites {
        *masses.entry(s.vendor).or_default() += s.depth;
    }
    let mass_list: Vec<f64> = masses.values().copied().collect();
    let h = hhi(&mass_list, portable_mass);
    let refs: Vec<&Site> = all_sites.iter().collect();
    let p = parts(&refs, h / 10000.0, scope);
    let m = mitigations(findings, rules);
    let score = (total(&p, &m, rules) * 100.0).round() as u32;
    let w = &rules.substitutes.scoring;
    let total_mass: f64 = mass_list.iter().sum::<f64>() + portable_mass;
    let shares: Vec<String> = masses
        .iter()
        .map(|(v, x)| format!("{v} {:.0}%", x / total_mass.max(f64::MIN_POSITIVE) * 100.0))
        .chain((portable_mass > 0.0).then(|| format!("portable {:.0}%", portable_mass / total_mass * 100.0)))
        .collect();
    let files: BTreeSet<&str> = all_sites.iter().map(|s| s.path).collect();
    let what = if from_calls {
        "proprietary call sites"
    } else {
        "proprietary imports, clients and manifest entries (no call resolved)"
    };
    let factors = vec![
        Factor {
            name: "concentration".into(),
            value: round4(p.concentration),
            weight: w.concentration,
            explanation: format!(
                "HHI {:.0} of capability-weighted shares ({}) over {} {what}; 10000 = one vendor",
                h,
                if shares.is_empty() { "none".to_string() } else { shares.join(", ") },
                all_sites.len()
            ),
        },
        Factor {
            name: "depth".into(),
            value: round4(p.depth),
            weight: w.depth,
            explanation: format!(
                "mean lock-in depth {:.2} on the 1-5 scale of rules/substitutes.toml (chat 1, embeddings 3, fine-tuning 5), rescaled to 0-1",
                if all_sites.is_empty() { 0.0 } else { all_sites.iter().map(|s| s.depth).sum::<f64>() / all_sites.len() as f64 }
            ),
        },
        Factor {
            name: "exposure".into(),
            value: round4(p.exposure),
            weight: w.exposure,
            explanation: format!(
                "{} of {} source files and {} of {} modules touch a proprietary vendor (mean of the two shares)",
                files.len(),
                scope.sources.len().max(files.len()),
                files.iter().map(|f| module_of(f)).collect::<BTreeSet<_>>().len(),
                scope.sources.iter().map(|f| module_of(f)).collect::<BTreeSet<_>>().len().max(1)
            ),
        },
        Factor {
            name: "spread".into(),
            value: round4(p.spread),
            weight: w.spread,
            explanation: format!(
                "{} in {}: (files - 1) / (sites - 1), 0 when one adapter module holds them all",
                plural(all_sites.len(), "site"),
                plural(files.len(), "file")
            ),
        },
        Factor {
            name: "mitigations".into(),
            value: round4(m.value),
            weight: w.mitigation,
            explanation: if m.found.is_empty() {
                "none found (an abstraction layer, a configurable base URL, a second vendor each take off a third of the weight)".into()
            } else {
                format!("found {}; the total is multiplied by 1 - weight × value", m.found.join("; "))
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

/// One recommendation per proprietary vendor × capability with call sites, sorted.
pub fn recommendations(findings: &[Finding], rules: &RuleSet) -> Vec<Recommendation> {
    let mut groups: BTreeMap<(&str, Capability), Vec<&Finding>> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.kind == Kind::Call) {
        if rules.vendor(&f.vendor).is_some_and(|v| v.proprietary) {
            groups.entry((f.vendor.as_str(), f.capability)).or_default().push(f);
        }
    }
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
            let substitutes = info.map(|i| i.models.clone()).unwrap_or_default();
            Recommendation {
                vendor: vendor.to_string(),
                capability,
                call_sites: calls.len() as u64,
                portability,
                effort: effort(calls.len() as f64 * depth, rules),
                model: substitutes.first().map(|m| m.family.clone()).unwrap_or_default(),
                license: substitutes.first().map(|m| m.license.clone()).unwrap_or_default(),
                serving: rules.substitutes.server_names(capability),
                migration: migration(info.map_or("", |i| i.migration.as_str()), portability),
                substitutes,
            }
        })
        .collect()
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
    fn spread_hand_worked() {
        assert_eq!(spread(1, 1), 0.0);
        assert_eq!(spread(5, 1), 0.0);
        assert_eq!(spread(5, 5), 1.0);
        assert_eq!(spread(5, 3), 0.5);
    }

    #[test]
    fn modules_are_top_level_folders() {
        assert_eq!(module_of("app/llm.py"), "app");
        assert_eq!(module_of("src/app/llm.py"), "src/app");
        assert_eq!(module_of("main.py"), ".");
        assert_eq!(module_of("src/main.py"), "src");
    }

    #[test]
    fn grades_have_documented_thresholds() {
        assert_eq!(
            [grade(0), grade(19), grade(20), grade(59), grade(60), grade(80), grade(100)],
            ["A", "A", "B", "C", "D", "F", "F"]
        );
    }
}
