//! `lockin plan`: the change list a team works through to move off proprietary vendors.
//! Input: a finished [`Report`] (its counted call findings, recommendations and inventory)
//! and the rule set; output: a [`Plan`] value (per file and capability, each call site with
//! what it does, its portability, the concrete change, the open substitute and server, and
//! its effort), and from it Markdown, JSON and CSV ([`render`]) and the gateway and serving
//! configs ([`gateway`]). It scans nothing and estimates nothing of its own: effort comes
//! from [`score::engineer_days`] and the substitutes from the report's recommendations, the
//! same figures the Markdown report's migration plan shows.

pub mod gateway;
pub mod render;

use crate::finding::{Capability, Finding, Kind, Portability, Subject};
use crate::report::Report;
use crate::rules::RuleSet;
use crate::score;
use serde::Serialize;
use std::collections::BTreeMap;

/// The plan (its serde form is docs/plan.schema.json).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Always 1.
    pub schema_version: u32,
    /// The scanned path(s) as given.
    pub root: String,
    /// The day lifecycle findings were judged on (`--as-of`).
    pub as_of: String,
    /// Totals.
    pub summary: Summary,
    /// Files with call sites to change, sorted by path.
    pub files: Vec<PlanFile>,
    /// Model names the code uses and where they should route (the gateway's table).
    pub models: Vec<ModelRoute>,
    /// Deprecated and retired models the code names.
    pub lifecycle: Vec<LifecycleItem>,
}

/// Totals of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Call sites to change.
    pub call_sites: u64,
    /// Files holding them.
    pub files: u64,
    /// Effort points (call sites × lock-in depth), as in the report's recommendations.
    pub effort_points: f64,
    /// Engineer-days, low and high.
    pub engineer_days: Days,
    /// How many call sites of each portability.
    pub by_portability: BTreeMap<Portability, u64>,
    /// What the days assume.
    pub assumptions: String,
}

/// An engineer-day range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Days {
    /// Low end.
    pub low: f64,
    /// High end.
    pub high: f64,
}

impl Days {
    fn of(points: f64) -> Days {
        let (low, high) = score::engineer_days(points);
        Days { low: round2(low), high: round2(high) }
    }
}

/// One file's call sites, grouped by capability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanFile {
    /// Relative path.
    pub path: String,
    /// Groups in capability order.
    pub groups: Vec<Group>,
}

/// The call sites of one capability in one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Capability.
    pub capability: Capability,
    /// Call sites in line order.
    pub items: Vec<Item>,
}

/// One call site and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Rule id of the call.
    pub rule_id: String,
    /// Who serves it today.
    pub vendor: String,
    /// What the call does (the rule's message).
    pub what: String,
    /// How hard it is to move.
    pub portability: Portability,
    /// The concrete change ([`change`]).
    pub change: String,
    /// The default open substitute model family.
    pub substitute: String,
    /// Its licence.
    pub license: String,
    /// Servers that run it.
    pub servers: Vec<String>,
    /// Effort points of this call (its capability's depth).
    pub effort_points: f64,
    /// Engineer-days.
    pub engineer_days: Days,
    /// The source line.
    pub snippet: String,
}

/// A model name the code uses and its open route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelRoute {
    /// The name as the code writes it.
    pub name: String,
    /// Vendors that serve it in this code.
    pub vendors: Vec<String>,
    /// What it is used for (the capability of the call that names it; chat otherwise).
    pub capability: Capability,
    /// Whether an open server can take it (false: the capability has no open equivalent).
    pub routable: bool,
}

/// A deprecated or retired model the code names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifecycleItem {
    /// `lifecycle.deprecated` or `lifecycle.retired`.
    pub rule_id: String,
    /// Relative path.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// The finding's message (dates and replacement).
    pub message: String,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

/// The concrete change for a call, worded once per portability (and, where no open
/// equivalent exists, in the capability's own words from `rules/substitutes.toml`).
pub fn change(portability: Portability, configurable: bool, migration: &str) -> String {
    match portability {
        Portability::Portable => "None: already served by a self-hosted OpenAI-compatible server.".into(),
        Portability::BaseUrlSwap if configurable => {
            "Point the configured base URL at the gateway and set the model name the gateway routes; no code change."
                .into()
        }
        Portability::BaseUrlSwap => "Make the client's base URL configurable (read it from an environment variable, \
             today's endpoint as the default) and point it at the gateway; the model name stays, the gateway maps it."
            .into(),
        Portability::Adapter => "Port the call to an OpenAI-compatible client (or LangChain, LiteLLM) behind one \
             adapter module, then point that client at the gateway; request and response shapes change."
            .into(),
        Portability::NoOpenEquivalent => format!("No open equivalent: {migration}"),
    }
}

/// The capability a model name is used for: that of a call whose span holds the name.
fn model_capability(f: &Finding, calls: &[&Finding]) -> Capability {
    calls
        .iter()
        .find(|c| c.path == f.path && c.line <= f.line && f.line <= c.end_line.max(c.line))
        .map_or(Capability::Chat, |c| c.capability)
}

/// Builds the plan from a report.
pub fn build(report: &Report, rules: &RuleSet, as_of: crate::lifecycle::Date) -> Plan {
    let proprietary = |v: &str| rules.vendor(v).is_none_or(|x| x.proprietary);
    let calls: Vec<&Finding> = report.counted().filter(|f| f.kind == Kind::Call && proprietary(&f.vendor)).collect();
    let mut by_file: BTreeMap<&str, BTreeMap<Capability, Vec<Item>>> = BTreeMap::new();
    let mut by_portability: BTreeMap<Portability, u64> = BTreeMap::new();
    let mut points = 0.0;
    for f in &calls {
        let rec = report.recommendations.iter().find(|r| r.vendor == f.vendor && r.capability == f.capability);
        let portability = f.portability.unwrap_or(Portability::Adapter);
        let depth = rules.substitutes.depth(f.capability);
        let migration = rules.substitutes.capabilities.get(&f.capability).map_or("", |c| c.migration.as_str());
        points += depth;
        *by_portability.entry(portability).or_default() += 1;
        let what = rules.operation_by_id(&f.rule_id).map_or_else(|| f.message.clone(), |o| o.message.clone());
        by_file.entry(f.path.as_str()).or_default().entry(f.capability).or_default().push(Item {
            line: f.line,
            column: f.column,
            rule_id: f.rule_id.clone(),
            vendor: f.vendor.clone(),
            what,
            portability,
            change: change(portability, f.configurable, migration),
            substitute: rec.map_or_else(String::new, |r| r.model.clone()),
            license: rec.map_or_else(String::new, |r| r.license.clone()),
            servers: rec.map_or_else(Vec::new, |r| r.serving.clone()),
            effort_points: depth,
            engineer_days: Days::of(depth),
            snippet: f.snippet.clone(),
        });
    }
    let files: Vec<PlanFile> = by_file
        .into_iter()
        .map(|(path, groups)| PlanFile {
            path: path.to_string(),
            groups: groups.into_iter().map(|(capability, items)| Group { capability, items }).collect(),
        })
        .collect();
    let all_calls: Vec<&Finding> = report.findings.iter().filter(|f| f.kind == Kind::Call).collect();
    let mut models: BTreeMap<String, ModelRoute> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| f.kind == Kind::Model && proprietary(&f.vendor)) {
        let Some(Subject::Model { name, .. }) = &f.subject else { continue };
        let capability = model_capability(f, &all_calls);
        let floor = rules.substitutes.capabilities.get(&capability).and_then(|c| c.floor);
        let route = models.entry(name.clone()).or_insert_with(|| ModelRoute {
            name: name.clone(),
            vendors: Vec::new(),
            capability,
            routable: floor != Some(Portability::NoOpenEquivalent),
        });
        if !route.vendors.contains(&f.vendor) {
            route.vendors.push(f.vendor.clone());
            route.vendors.sort();
        }
    }
    let lifecycle = report
        .findings
        .iter()
        .filter(|f| f.rule_id == crate::lifecycle::DEPRECATED || f.rule_id == crate::lifecycle::RETIRED)
        .map(|f| LifecycleItem {
            rule_id: f.rule_id.clone(),
            path: f.path.clone(),
            line: f.line,
            message: f.message.clone(),
        })
        .collect();
    Plan {
        schema_version: 1,
        root: report.root.clone(),
        as_of: as_of.to_string(),
        summary: Summary {
            call_sites: calls.len() as u64,
            files: files.len() as u64,
            effort_points: round2(points),
            engineer_days: Days::of(points),
            by_portability,
            assumptions: score::EFFORT_ASSUMPTIONS.to_string(),
        },
        files,
        models: models.into_values().collect(),
        lifecycle,
    }
}
