//! The assess stage: the findings the scores count in, everything the report says about
//! them out: the vendor summary, the risk, the recommendations, how the findings fall into
//! contexts, and the views every format shares (hotspots, capabilities × vendors, the calls
//! that are hard to move). Computed once here so that renderers only format. Pure: no I/O.

use crate::context::{CodeContext, Contexts};
use crate::finding::{Capability, Finding, Kind, Portability};
use crate::rules::RuleSet;
use crate::score::{self, module_in, Recommendation, Risk, VendorSummary};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// `contexts` in the JSON report: which contexts the scores count and how many findings
/// and call sites each context holds (every finding of the scan, suppressed and baselined
/// ones included, like the scores).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContextSummary {
    /// The contexts `vendors`, `risk` and `recommendations` count (`--context`).
    pub scored: Vec<CodeContext>,
    /// Findings per context; contexts without findings are left out.
    pub findings: BTreeMap<CodeContext, u64>,
    /// `call` findings per context; contexts without calls are left out.
    pub call_sites: BTreeMap<CodeContext, u64>,
}

impl ContextSummary {
    /// Findings in contexts the scores do not count.
    pub fn findings_left_out(&self) -> u64 {
        self.findings.iter().filter(|(c, _)| !self.scored.contains(c)).map(|(_, n)| n).sum()
    }

    /// Call sites in contexts the scores do not count.
    pub fn calls_left_out(&self) -> u64 {
        self.call_sites.iter().filter(|(c, _)| !self.scored.contains(c)).map(|(_, n)| n).sum()
    }

    /// The contexts left out that hold findings, in declaration order.
    pub fn left_out(&self) -> Vec<CodeContext> {
        self.findings.keys().copied().filter(|c| !self.scored.contains(c)).collect()
    }
}

/// Capabilities whose state or weights stay at the vendor (docs/scoring.md, depth 3–5).
pub const HARD: [Capability; 4] =
    [Capability::FineTuning, Capability::Assistants, Capability::Files, Capability::Realtime];

/// Whether a finding is a call that a migration rebuilds rather than repoints.
pub fn is_hard(f: &Finding) -> bool {
    f.kind == Kind::Call && (HARD.contains(&f.capability) || f.portability == Some(Portability::NoOpenEquivalent))
}

/// A file holding proprietary call sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHotspot {
    /// The file.
    pub path: String,
    /// Its proprietary call sites.
    pub call_sites: usize,
    /// The vendors serving them, sorted.
    pub vendors: Vec<String>,
}

/// A module holding proprietary call sites ([`score::module_of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleHotspot {
    /// The module.
    pub module: String,
    /// Its proprietary call sites.
    pub call_sites: usize,
    /// Files among them.
    pub files: usize,
}

/// One vendor's row of call sites per capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// Vendor id.
    pub vendor: String,
    /// Call sites per capability (capabilities without calls are absent).
    pub cells: BTreeMap<Capability, usize>,
    /// All its call sites.
    pub total: usize,
}

/// The views of the counted call sites every format may show (not in the JSON contract).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Files by proprietary call sites, most first (ties by path).
    pub hotspot_files: Vec<FileHotspot>,
    /// Modules by proprietary call sites, most first (ties by name).
    pub hotspot_modules: Vec<ModuleHotspot>,
    /// Vendors by call sites, most first (ties by id), every vendor with calls.
    pub matrix: Vec<MatrixRow>,
    /// Calls that keep state or weights at the vendor ([`is_hard`]), in finding order.
    pub hard: Vec<Finding>,
}

impl Analysis {
    /// The capabilities with at least one call site, in declaration order.
    pub fn capabilities(&self) -> Vec<Capability> {
        Capability::ALL.into_iter().filter(|c| self.matrix.iter().any(|r| r.cells.contains_key(c))).collect()
    }
}

/// Everything the scores say about the counted findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// One entry per vendor of the counted findings.
    pub vendors: Vec<VendorSummary>,
    /// The risk.
    pub risk: Risk,
    /// Open substitutes per vendor and capability.
    pub recommendations: Vec<Recommendation>,
    /// Findings and call sites per context.
    pub contexts: ContextSummary,
    /// Hotspots, capabilities × vendors, hard-to-move calls.
    pub analysis: Analysis,
}

/// Assesses the findings (sorted; suppressed and baselined ones included): the scores
/// count those in the contexts `contexts` selects, the context summary counts them all.
pub fn assess(findings: &[Finding], rules: &RuleSet, contexts: &Contexts) -> Assessment {
    let mut summary = ContextSummary { scored: contexts.scored().to_vec(), ..ContextSummary::default() };
    for f in findings {
        let c = contexts.of_code(&f.path, f.test_code);
        *summary.findings.entry(c).or_default() += 1;
        if f.kind == Kind::Call {
            *summary.call_sites.entry(c).or_default() += 1;
        }
    }
    let counted: Vec<Finding>;
    let scored: &[Finding] = if contexts.counts_all() {
        findings
    } else {
        counted = findings.iter().filter(|f| contexts.counts_code(&f.path, f.test_code)).cloned().collect();
        &counted
    };
    let vendors = score::vendors_in(scored, rules, contexts.roots());
    Assessment {
        risk: score::risk_in(scored, rules, contexts.roots()),
        recommendations: score::recommendations(scored, rules),
        analysis: analyse(scored, &vendors, contexts.roots()),
        vendors,
        contexts: summary,
    }
}

/// Hotspots, the capability matrix and the hard-to-move calls of the counted findings.
pub fn analyse(counted: &[Finding], vendors: &[VendorSummary], roots: &[String]) -> Analysis {
    let calls: Vec<&Finding> = counted.iter().filter(|f| f.kind == Kind::Call).collect();
    let proprietary = |f: &&&Finding| vendors.iter().any(|v| v.vendor == f.vendor && v.proprietary);
    let mut files: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    let mut modules: BTreeMap<String, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for f in calls.iter().filter(proprietary) {
        let e = files.entry(f.path.as_str()).or_default();
        e.0 += 1;
        e.1.insert(f.vendor.as_str());
        let m = modules.entry(module_in(roots, &f.path)).or_default();
        m.0 += 1;
        m.1.insert(f.path.as_str());
    }
    let mut hotspot_files: Vec<FileHotspot> = files
        .into_iter()
        .map(|(path, (n, vs))| FileHotspot {
            path: path.to_string(),
            call_sites: n,
            vendors: vs.into_iter().map(str::to_string).collect(),
        })
        .collect();
    hotspot_files.sort_by(|a, b| b.call_sites.cmp(&a.call_sites).then(a.path.cmp(&b.path)));
    let mut hotspot_modules: Vec<ModuleHotspot> =
        modules.into_iter().map(|(module, (n, fs))| ModuleHotspot { module, call_sites: n, files: fs.len() }).collect();
    hotspot_modules.sort_by(|a, b| b.call_sites.cmp(&a.call_sites).then(a.module.cmp(&b.module)));
    let mut rows: BTreeMap<&str, MatrixRow> = BTreeMap::new();
    for f in &calls {
        let row = rows.entry(f.vendor.as_str()).or_insert_with(|| MatrixRow {
            vendor: f.vendor.clone(),
            cells: BTreeMap::new(),
            total: 0,
        });
        *row.cells.entry(f.capability).or_default() += 1;
        row.total += 1;
    }
    let mut matrix: Vec<MatrixRow> = rows.into_values().collect();
    matrix.sort_by(|a, b| b.total.cmp(&a.total).then(a.vendor.cmp(&b.vendor)));
    let hard = calls.iter().filter(|f| is_hard(f)).map(|f| (*f).clone()).collect();
    Analysis { hotspot_files, hotspot_modules, matrix, hard }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::test_finding;

    fn call(path: &str, vendor: &str, capability: Capability) -> Finding {
        Finding { path: path.into(), vendor: vendor.into(), capability, kind: Kind::Call, ..test_finding("x.y") }
    }

    fn vendor(id: &str, proprietary: bool) -> VendorSummary {
        VendorSummary {
            vendor: id.into(),
            proprietary,
            findings: 0,
            call_sites: 0,
            files: 0,
            share: 0.0,
            capabilities: Vec::new(),
            risk: 0,
        }
    }

    #[test]
    fn hotspots_count_proprietary_calls_and_the_matrix_every_call() {
        let calls = [
            call("src/app/a.py", "openai", Capability::Chat),
            call("src/app/a.py", "openai", Capability::FineTuning),
            call("src/app/b.py", "anthropic", Capability::Chat),
            call("lib.py", "openai-compatible", Capability::Chat),
            call("lib.py", "openai-compatible", Capability::Chat),
            call("lib.py", "openai-compatible", Capability::Chat),
        ];
        let vendors = [vendor("openai", true), vendor("anthropic", true), vendor("openai-compatible", false)];
        let a = analyse(&calls, &vendors, &[]);
        let files: Vec<(&str, usize)> = a.hotspot_files.iter().map(|h| (h.path.as_str(), h.call_sites)).collect();
        assert_eq!(files, [("src/app/a.py", 2), ("src/app/b.py", 1)]);
        assert_eq!(a.hotspot_modules, [ModuleHotspot { module: "src/app".into(), call_sites: 3, files: 2 }]);
        let rows: Vec<(&str, usize)> = a.matrix.iter().map(|r| (r.vendor.as_str(), r.total)).collect();
        assert_eq!(rows, [("openai-compatible", 3), ("openai", 2), ("anthropic", 1)]);
        assert_eq!(a.capabilities(), [Capability::Chat, Capability::FineTuning]);
        assert_eq!(a.hard.len(), 1);
        assert_eq!(a.hard[0].capability, Capability::FineTuning);
    }
}
