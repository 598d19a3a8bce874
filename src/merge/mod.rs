//! `lockin merge`: the organisation view. Input: many repositories' JSON reports (the
//! contract of docs/report-json.md), read, never rescanned. Output: one [`Merged`] value
//! (its serde form is docs/merge.schema.json) that the Markdown and HTML renderers
//! (`render.rs`) only format: vendor shares across the organisation, repositories ranked by
//! risk, capabilities hard to move, models in use, lifecycle findings when the reports have
//! them, and which repositories already route through a gateway or a configurable base URL.
//!
//! A bad input (not JSON, a wrong `schema_version`, a field of the wrong type) is named
//! with its file and field in `errors`; the merge goes on with the rest.

pub mod render;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The report contract version this merge reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Hosted gateways and routers (rules/<id>.toml): calls they serve already go through one
/// endpoint in front of many vendors.
const GATEWAYS: &[&str] = &["openrouter", "portkey", "requesty", "unbound", "vercel"];

/// The vendor of self-hosted OpenAI-compatible servers (rules/openai-compatible.toml).
const SELF_HOSTED: &str = "openai-compatible";

// ---- input: the parts of the report contract the merge reads ------------------------------

#[derive(Debug, Deserialize)]
struct In {
    tool: InTool,
    root: String,
    stats: InStats,
    findings: Vec<InFinding>,
    vendors: Vec<InVendor>,
    risk: InRisk,
    #[serde(default)]
    contexts: Option<InContexts>,
}

#[derive(Debug, Deserialize)]
struct InContexts {
    scored: Vec<String>,
}

impl In {
    /// The findings in the contexts the report's scores count (all of them in a report
    /// without contexts), so that capabilities and models describe what `vendors` does.
    fn scored(&self) -> impl Iterator<Item = &InFinding> {
        self.findings.iter().filter(|f| match (&self.contexts, &f.context) {
            (Some(c), Some(ctx)) => c.scored.contains(ctx),
            _ => true,
        })
    }
}

#[derive(Debug, Deserialize)]
struct InTool {
    name: String,
    version: String,
}

#[derive(Debug, Deserialize)]
struct InStats {
    files_scanned: u64,
    #[serde(default)]
    errors: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct InFinding {
    rule_id: String,
    vendor: String,
    kind: String,
    capability: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    portability: Option<String>,
    #[serde(default)]
    context: Option<String>,
}

#[derive(Debug, Deserialize)]
struct InVendor {
    vendor: String,
    proprietary: bool,
    findings: u64,
    call_sites: u64,
}

#[derive(Debug, Deserialize)]
struct InRisk {
    score: u32,
    grade: String,
    #[serde(default)]
    factors: Vec<InFactor>,
}

#[derive(Debug, Deserialize)]
struct InFactor {
    name: String,
    value: f64,
}

// ---- output -----------------------------------------------------------------------------

/// The merged organisation report (docs/merge.schema.json).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Merged {
    /// `1`.
    pub schema_version: u32,
    /// `{ "name": "lockin", "version": ... }` of the merging binary.
    pub tool: Tool,
    /// Totals over the repositories merged.
    pub totals: Totals,
    /// Repositories ranked by risk (highest first), then by name.
    pub repositories: Vec<Repository>,
    /// Vendors by call sites across the organisation (most first), then by id.
    pub vendors: Vec<OrgVendor>,
    /// Capabilities by call sites that have no open equivalent (most first).
    pub capabilities: Vec<OrgCapability>,
    /// Model names found, by repositories then occurrences (most first).
    pub models: Vec<OrgModel>,
    /// `lifecycle.*` findings (deprecated or retired models), when the reports have them.
    pub lifecycle: Vec<OrgLifecycle>,
    /// Inputs left out, each with its file and what was wrong.
    pub errors: Vec<InputError>,
}

/// The merging tool.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Tool {
    /// `lockin`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// Totals.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Totals {
    /// Reports merged.
    pub repositories: u64,
    /// Repositories with at least one call site of a proprietary vendor.
    pub repositories_locked: u64,
    /// Call sites over every repository (the vendors' `call_sites`, scored contexts).
    pub call_sites: u64,
    /// Of those, served by proprietary vendors.
    pub proprietary_call_sites: u64,
    /// HHI of vendor shares of call sites across the organisation (0..10000).
    pub hhi: u32,
}

/// One repository's line.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Repository {
    /// Name: the report file's stem, or its folder's name for `lockin.json`/`report.json`.
    pub name: String,
    /// The report file as given.
    pub report: String,
    /// The report's `root`.
    pub root: String,
    /// The version of lockin that wrote the report.
    pub tool_version: String,
    /// Risk score 0..100.
    pub risk: u32,
    /// Grade `A`..`F`.
    pub grade: String,
    /// The vendor with the most call sites (`""` when there are none).
    pub top_vendor: String,
    /// Call sites (scored contexts).
    pub call_sites: u64,
    /// Of those, served by proprietary vendors.
    pub proprietary_call_sites: u64,
    /// Findings listed in the report.
    pub findings: u64,
    /// Files scanned.
    pub files_scanned: u64,
    /// Call findings whose base URL comes from configuration.
    pub configurable_call_sites: u64,
    /// Call findings served by a hosted gateway or router.
    pub gateway_call_sites: u64,
    /// Call findings served by a self-hosted OpenAI-compatible server.
    pub self_hosted_call_sites: u64,
    /// The `mitigations` factor of the riskiest vendor: the share of its calls through an
    /// abstraction layer or a configurable base URL (0..1).
    pub mitigations: f64,
    /// Whether any call already goes through a gateway, a self-hosted server or a
    /// configurable base URL: the repository can move with a configuration change there.
    pub routes_through_gateway: bool,
    /// Files the scan could not read or parse (`stats.errors`).
    pub scan_errors: u64,
}

/// A vendor across the organisation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrgVendor {
    /// Vendor id.
    pub vendor: String,
    /// Proprietary.
    pub proprietary: bool,
    /// Call sites over every repository.
    pub call_sites: u64,
    /// Share of all call sites (0..1, 4 decimals).
    pub share: f64,
    /// Findings over every repository.
    pub findings: u64,
    /// Repositories with a finding of this vendor.
    pub repositories: u64,
}

/// A capability across the organisation, by portability of its call findings.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrgCapability {
    /// Capability (`chat`, `assistants`, ...).
    pub capability: String,
    /// Call findings.
    pub call_sites: u64,
    /// Of those, with no open equivalent (vendor-held state or features).
    pub no_open_equivalent: u64,
    /// Of those, needing an adapter.
    pub adapter: u64,
    /// Of those, movable by a base URL change.
    pub base_url_swap: u64,
    /// Repositories with a call of it.
    pub repositories: u64,
}

/// A model name in use.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrgModel {
    /// The model name.
    pub model: String,
    /// Vendor id of its family (`openai` for `gpt-4o`).
    pub family: String,
    /// Model findings.
    pub occurrences: u64,
    /// Repositories naming it, sorted.
    pub repositories: Vec<String>,
}

/// A lifecycle finding (`lifecycle.deprecated`, `lifecycle.retired`) across repositories.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrgLifecycle {
    /// Rule id.
    pub rule_id: String,
    /// The finding's message (it names the model and the date).
    pub message: String,
    /// Findings.
    pub occurrences: u64,
    /// Repositories, sorted.
    pub repositories: Vec<String>,
}

/// An input left out.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InputError {
    /// The file as given.
    pub file: String,
    /// What was wrong, naming the field.
    pub message: String,
}

/// The report files a list of arguments names: files as given, and the `*.json` files
/// under each folder (recursively, sorted by path).
pub fn inputs(args: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for a in args {
        if a.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(a)
                .standard_filters(false)
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(a.clone());
        }
    }
    out
}

/// Reads and merges report files.
pub fn merge_files(files: &[PathBuf]) -> Merged {
    let texts: Vec<(String, Result<String, String>)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read_to_string(f).map_err(|e| format!("cannot read it: {e}"))))
        .collect();
    merge(&texts)
}

/// Merges `(file name, text or read error)` pairs.
pub fn merge(inputs: &[(String, Result<String, String>)]) -> Merged {
    let mut errors = Vec::new();
    let mut repos: Vec<(Repository, In)> = Vec::new();
    for (file, text) in inputs {
        let parsed = text.as_ref().map_err(Clone::clone).and_then(|t| parse(t));
        match parsed {
            Ok(report) => repos.push((repository(file, &report), report)),
            Err(message) => errors.push(InputError { file: file.clone(), message }),
        }
    }
    unique_names(&mut repos);
    aggregate(repos, errors)
}

/// One report: JSON, then `schema_version`, then the fields the merge reads, each error
/// naming its field path.
fn parse(text: &str) -> Result<In, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    match value.get("schema_version") {
        Some(v) if v.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
        Some(v) => return Err(format!("field `schema_version`: expected {SCHEMA_VERSION}, found {v}")),
        None if value.is_object() => return Err("field `schema_version`: missing (not a lockin JSON report)".into()),
        None => return Err("not a lockin JSON report: expected an object".into()),
    }
    let report: In = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        format!("field `{path}`: {}", e.inner())
    })?;
    if report.tool.name != "lockin" {
        return Err(format!("field `tool.name`: expected \"lockin\", found {:?}", report.tool.name));
    }
    Ok(report)
}

/// The repository name a report file stands for.
fn repo_name(file: &str) -> String {
    let p = Path::new(file);
    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let generic = ["lockin", "report", "lockin-report", "lockin.report"].contains(&stem.as_str());
    match p.parent().and_then(Path::file_name) {
        Some(dir) if generic => dir.to_string_lossy().into_owned(),
        _ => stem.strip_suffix(".lockin").unwrap_or(&stem).to_string(),
    }
}

fn unique_names(repos: &mut [(Repository, In)]) {
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for (r, _) in repos.iter_mut() {
        let n = seen.entry(r.name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            r.name = format!("{} ({})", r.name, n);
        }
    }
}

fn repository(file: &str, r: &In) -> Repository {
    let calls = r.scored().filter(|f| f.kind == "call");
    let (mut configurable, mut gateway, mut self_hosted) = (0, 0, 0);
    for f in calls {
        // docs/report-json.md: a call whose base URL comes from configuration says so
        // ("configurable: set X to move", "base URL set at run time (configurable)").
        if f.message.contains("configurable") {
            configurable += 1;
        }
        if GATEWAYS.contains(&f.vendor.as_str()) {
            gateway += 1;
        }
        if f.vendor == SELF_HOSTED {
            self_hosted += 1;
        }
    }
    let top = r
        .vendors
        .iter()
        .filter(|v| v.call_sites > 0)
        .max_by(|a, b| a.call_sites.cmp(&b.call_sites).then_with(|| b.vendor.cmp(&a.vendor)));
    let mitigations = r.risk.factors.iter().find(|f| f.name == "mitigations").map_or(0.0, |f| f.value);
    Repository {
        name: repo_name(file),
        report: file.to_string(),
        root: r.root.clone(),
        tool_version: r.tool.version.clone(),
        risk: r.risk.score,
        grade: r.risk.grade.clone(),
        top_vendor: top.map(|v| v.vendor.clone()).unwrap_or_default(),
        call_sites: r.vendors.iter().map(|v| v.call_sites).sum(),
        proprietary_call_sites: r.vendors.iter().filter(|v| v.proprietary).map(|v| v.call_sites).sum(),
        findings: r.findings.len() as u64,
        files_scanned: r.stats.files_scanned,
        configurable_call_sites: configurable,
        gateway_call_sites: gateway,
        self_hosted_call_sites: self_hosted,
        mitigations: round4(mitigations),
        routes_through_gateway: configurable + gateway + self_hosted > 0,
        scan_errors: r.stats.errors.len() as u64,
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The model name a model finding's message quotes (emit.rs: "<Vendor> model `name`").
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn aggregate(mut repos: Vec<(Repository, In)>, errors: Vec<InputError>) -> Merged {
    #[derive(Default)]
    struct V {
        proprietary: bool,
        calls: u64,
        findings: u64,
        repos: u64,
    }
    let mut vendors: BTreeMap<String, V> = BTreeMap::new();
    let mut caps: BTreeMap<String, (OrgCapability, BTreeSet<usize>)> = BTreeMap::new();
    let mut models: BTreeMap<(String, String), (u64, BTreeSet<String>)> = BTreeMap::new();
    let mut lifecycle: BTreeMap<(String, String), (u64, BTreeSet<String>)> = BTreeMap::new();
    for (i, (repo, r)) in repos.iter().enumerate() {
        for v in &r.vendors {
            let e = vendors.entry(v.vendor.clone()).or_default();
            e.proprietary |= v.proprietary;
            e.calls += v.call_sites;
            e.findings += v.findings;
            e.repos += 1;
        }
        for f in r.scored() {
            if f.kind == "call" {
                let (c, seen) = caps.entry(f.capability.clone()).or_insert_with(|| {
                    let c = OrgCapability {
                        capability: f.capability.clone(),
                        call_sites: 0,
                        no_open_equivalent: 0,
                        adapter: 0,
                        base_url_swap: 0,
                        repositories: 0,
                    };
                    (c, BTreeSet::new())
                });
                c.call_sites += 1;
                match f.portability.as_deref() {
                    Some("no-open-equivalent") => c.no_open_equivalent += 1,
                    Some("adapter") => c.adapter += 1,
                    Some("base-url-swap") => c.base_url_swap += 1,
                    _ => {}
                }
                seen.insert(i);
            }
            if f.kind == "model" {
                if let Some(name) = quoted(&f.message) {
                    let family = f.rule_id.strip_suffix(".model").unwrap_or(&f.rule_id).to_string();
                    let e = models.entry((name.to_string(), family)).or_default();
                    e.0 += 1;
                    e.1.insert(repo.name.clone());
                }
            }
            if f.rule_id.starts_with("lifecycle.") {
                let e = lifecycle.entry((f.rule_id.clone(), f.message.clone())).or_default();
                e.0 += 1;
                e.1.insert(repo.name.clone());
            }
        }
    }
    let total: u64 = vendors.values().map(|v| v.calls).sum();
    let share = |calls: u64| if total == 0 { 0.0 } else { calls as f64 / total as f64 };
    let hhi: f64 = vendors.values().map(|v| (share(v.calls) * 100.0).powi(2)).sum();
    let mut org_vendors: Vec<OrgVendor> = vendors
        .iter()
        .map(|(id, v)| OrgVendor {
            vendor: id.clone(),
            proprietary: v.proprietary,
            call_sites: v.calls,
            share: round4(share(v.calls)),
            findings: v.findings,
            repositories: v.repos,
        })
        .collect();
    org_vendors.sort_by(|a, b| {
        b.call_sites.cmp(&a.call_sites).then(b.findings.cmp(&a.findings)).then(a.vendor.cmp(&b.vendor))
    });
    let mut capabilities: Vec<OrgCapability> = caps
        .into_values()
        .map(|(mut c, seen)| {
            c.repositories = seen.len() as u64;
            c
        })
        .collect();
    capabilities.sort_by(|a, b| {
        (b.no_open_equivalent, b.adapter, b.call_sites)
            .cmp(&(a.no_open_equivalent, a.adapter, a.call_sites))
            .then(a.capability.cmp(&b.capability))
    });
    let mut org_models: Vec<OrgModel> = models
        .into_iter()
        .map(|((model, family), (n, rs))| OrgModel {
            model,
            family,
            occurrences: n,
            repositories: rs.into_iter().collect(),
        })
        .collect();
    org_models.sort_by(|a, b| {
        (b.repositories.len(), b.occurrences).cmp(&(a.repositories.len(), a.occurrences)).then(a.model.cmp(&b.model))
    });
    let org_lifecycle: Vec<OrgLifecycle> = lifecycle
        .into_iter()
        .map(|((rule_id, message), (n, rs))| OrgLifecycle {
            rule_id,
            message,
            occurrences: n,
            repositories: rs.into_iter().collect(),
        })
        .collect();
    let totals = Totals {
        repositories: repos.len() as u64,
        repositories_locked: repos.iter().filter(|(r, _)| r.proprietary_call_sites > 0).count() as u64,
        call_sites: total,
        proprietary_call_sites: vendors.values().filter(|v| v.proprietary).map(|v| v.calls).sum(),
        hhi: hhi.round() as u32,
    };
    repos.sort_by(|(a, _), (b, _)| b.risk.cmp(&a.risk).then(b.call_sites.cmp(&a.call_sites)).then(a.name.cmp(&b.name)));
    Merged {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "lockin".into(), version: env!("CARGO_PKG_VERSION").into() },
        totals,
        repositories: repos.into_iter().map(|(r, _)| r).collect(),
        vendors: org_vendors,
        capabilities,
        models: org_models,
        lifecycle: org_lifecycle,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_repositories_after_their_report() {
        assert_eq!(repo_name("reports/cline.json"), "cline");
        assert_eq!(repo_name("reports/cline/lockin.json"), "cline");
        assert_eq!(repo_name("x/api.lockin.json"), "api");
    }

    #[test]
    fn names_the_field_of_a_bad_report() {
        let e = parse("{\"schema_version\": 2}").unwrap_err();
        assert_eq!(e, "field `schema_version`: expected 1, found 2");
        let e = parse("[1]").unwrap_err();
        assert!(e.contains("expected an object"), "{e}");
        let text = r#"{"schema_version":1,"tool":{"name":"lockin","version":"0"},"root":".",
            "stats":{"files_scanned":"many"},"findings":[],"vendors":[],"risk":{"score":0,"grade":"A"}}"#;
        let e = parse(text).unwrap_err();
        assert!(e.starts_with("field `stats.files_scanned`:"), "{e}");
    }
}
