//! The policy: what makes a run fail. Compiled from the policy file (`config`) and the
//! command line, checked against the rule set (every selector must name something), then
//! judges a run's reported findings and its [`Assessment`]. Per-finding rules (`fail_on`, `deny`) look at the
//! reported findings only, so suppressed and baselined findings never fail a run;
//! `allow` exempts findings by path. Whole-tree rules (`max_risk`, `max_share`) look at
//! the scores, which count every finding. Pure: no I/O.

use crate::assess::Assessment;
use crate::config::{AllowEntry, Config, DenyEntry, Setting};
use crate::error::Location;
use crate::finding::{Capability, Finding, Kind, Severity};
use crate::rules::RuleSet;
use crate::selector::{Selection, Selector};
use globset::{GlobSet, GlobSetBuilder};
use serde::Serialize;

/// What a policy entry matches, all parts required.
#[derive(Debug, Clone)]
struct Matcher {
    vendor: Option<String>,
    rule: Option<Selector>,
    capability: Option<Capability>,
    kind: Option<Kind>,
}

impl Matcher {
    fn matches(&self, f: &Finding) -> bool {
        self.vendor.as_ref().is_none_or(|v| f.vendor == *v)
            && self.rule.as_ref().is_none_or(|r| r.matches(f))
            && self.capability.is_none_or(|c| f.capability == c)
            && self.kind.is_none_or(|k| f.kind == k)
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.rule {
            parts.push(r.text().to_string());
        }
        if let Some(v) = &self.vendor {
            parts.push(format!("vendor {v}"));
        }
        if let Some(c) = self.capability {
            parts.push(format!("capability {c}"));
        }
        if let Some(k) = self.kind {
            parts.push(format!("kind {k}"));
        }
        parts.join(", ")
    }
}

#[derive(Debug, Clone)]
struct Deny {
    matcher: Matcher,
    reason: Option<String>,
    use_instead: Option<String>,
    at: String,
}

#[derive(Debug, Clone)]
struct Allow {
    matcher: Matcher,
    paths: GlobSet,
}

/// A compiled policy.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The policy file, if any.
    pub source: Option<String>,
    fail_on: Option<Setting<Severity>>,
    fail_on_retired: Option<Setting<bool>>,
    max_risk: Option<Setting<f64>>,
    max_share: Option<Setting<f64>>,
    deny: Vec<Deny>,
    allow: Vec<Allow>,
    /// How finding paths map to paths relative to the policy file's folder, so that allow
    /// globs written relative to the file match finding paths written relative to the scan.
    bases: Vec<PathBase>,
}

/// One scanned root as the policy sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathBase {
    /// What the scan puts before the paths of this root's findings: "" for a single root,
    /// the root as given when several are scanned.
    pub finding_prefix: String,
    /// The root relative to the policy file's folder ("" when the same; `None` outside it).
    pub from_config: Option<String>,
}

/// A policy entry that names something the rule set does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// Where.
    pub at: Location,
    /// The key.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: key `{}`: {}", self.at, self.key, self.message)
    }
}

/// One way the run failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The policy key: `fail_on`, `fail_on_retired`, `max_risk`, `max_share` or `deny`.
    pub policy: String,
    /// Where it is set: `lockin.toml:7:1` or `--fail-on`.
    pub at: String,
    /// One line: what was exceeded or denied.
    pub message: String,
    /// Why it is denied (deny entries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What to use instead (deny entries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_instead: Option<String>,
    /// The offending findings (per-finding rules), by fingerprint, in report order.
    pub findings: Vec<String>,
}

/// The outcome of a policy on a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The policy file, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// No violation.
    pub passed: bool,
    /// Reported findings an `allow` entry exempts.
    pub allowed: usize,
    /// Every violation, in policy order: fail_on, deny entries, max_risk, max_share.
    pub violations: Vec<Violation>,
}

impl Policy {
    /// Compiles the policy file (if any) with command-line overrides; every unknown name is
    /// an error located in the file.
    pub fn new(
        config: Option<&Config>,
        fail_on_flag: Option<Severity>,
        rules: &RuleSet,
        bases: Vec<PathBase>,
    ) -> Result<Policy, Vec<PolicyError>> {
        let mut errors = Vec::new();
        let mut p = Policy { bases, ..Policy::default() };
        if let Some(c) = config {
            p.source = Some(c.display.clone());
            p.fail_on = c.fail_on.clone();
            p.fail_on_retired = c.fail_on_retired.clone().filter(|s| s.value);
            p.max_risk = c.max_risk.clone();
            p.max_share = c.max_share.clone();
            for (i, d) in c.deny.iter().enumerate() {
                if let Some(m) = matcher(d_parts(d), rules, &d.at, &format!("deny[{i}]"), &mut errors) {
                    p.deny.push(Deny {
                        matcher: m,
                        reason: d.reason.clone(),
                        use_instead: d.use_instead.clone(),
                        at: d.at.to_string(),
                    });
                }
            }
            for (i, a) in c.allow.iter().enumerate() {
                let key = format!("allow[{i}]");
                let Some(m) = matcher(a_parts(a), rules, &a.at, &key, &mut errors) else { continue };
                let mut b = GlobSetBuilder::new();
                for g in &a.paths {
                    // Validated by `config`; a bad one there never reaches here.
                    if let Ok(g) = globset::Glob::new(g) {
                        b.add(g);
                    }
                }
                match b.build() {
                    Ok(paths) => p.allow.push(Allow { matcher: m, paths }),
                    Err(e) => errors.push(PolicyError { at: a.at.clone(), key, message: e.to_string() }),
                }
            }
        }
        if let Some(s) = fail_on_flag {
            p.fail_on = Some(Setting { value: s, at: "--fail-on".into() });
        }
        if errors.is_empty() {
            Ok(p)
        } else {
            Err(errors)
        }
    }

    /// Whether the policy can fail a run at all.
    pub fn is_empty(&self) -> bool {
        self.fail_on.is_none()
            && self.fail_on_retired.is_none()
            && self.max_risk.is_none()
            && self.max_share.is_none()
            && self.deny.is_empty()
            && self.source.is_none()
    }

    /// The finding's path relative to the policy file's folder, as far as it is known.
    fn policy_path(&self, f: &Finding) -> String {
        policy_path(&self.bases, &f.path)
    }

    fn allowed(&self, f: &Finding) -> bool {
        let path = self.policy_path(f);
        self.allow.iter().any(|a| a.matcher.matches(f) && a.paths.is_match(&path))
    }

    /// Judges a run: per-finding rules look at the reported findings (selected, not
    /// suppressed, not baselined), whole-tree rules at the assessment.
    pub fn judge(&self, reported: &[Finding], assessment: &Assessment) -> Verdict {
        let candidates: Vec<&Finding> = reported.iter().filter(|f| !self.allowed(f)).collect();
        let allowed = reported.len() - candidates.len();
        let mut violations = Vec::new();
        if let Some(t) = &self.fail_on {
            let hits: Vec<String> =
                candidates.iter().filter(|f| f.severity >= t.value).map(|f| f.fingerprint.clone()).collect();
            if !hits.is_empty() {
                violations.push(Violation {
                    policy: "fail_on".into(),
                    at: t.at.clone(),
                    message: format!("{} of severity {} or higher", findings(hits.len()), t.value),
                    reason: None,
                    use_instead: None,
                    findings: hits,
                });
            }
        }
        if let Some(t) = &self.fail_on_retired {
            let hits: Vec<String> = candidates
                .iter()
                .filter(|f| f.rule_id == crate::lifecycle::RETIRED)
                .map(|f| f.fingerprint.clone())
                .collect();
            if !hits.is_empty() {
                violations.push(Violation {
                    policy: "fail_on_retired".into(),
                    at: t.at.clone(),
                    message: format!("{} naming a model its vendor has retired", findings(hits.len())),
                    reason: None,
                    use_instead: None,
                    findings: hits,
                });
            }
        }
        for d in &self.deny {
            let selected: Vec<&&Finding> = candidates.iter().filter(|f| d.matcher.matches(f)).collect();
            let hits: Vec<String> = selected.iter().map(|f| f.fingerprint.clone()).collect();
            if !hits.is_empty() {
                let files: std::collections::BTreeSet<&str> = selected.iter().map(|f| f.path.as_str()).collect();
                let files = if files.len() == 1 { "1 file".to_string() } else { format!("{} files", files.len()) };
                violations.push(Violation {
                    policy: "deny".into(),
                    at: d.at.clone(),
                    message: format!("{} denied: {} in {files}", d.matcher.describe(), findings(hits.len())),
                    reason: d.reason.clone(),
                    use_instead: d.use_instead.clone(),
                    findings: hits,
                });
            }
        }
        if let Some(m) = &self.max_risk {
            if f64::from(assessment.risk.score) > m.value {
                violations.push(Violation {
                    policy: "max_risk".into(),
                    at: m.at.clone(),
                    message: format!(
                        "risk score {} (grade {}) is above max_risk {}",
                        assessment.risk.score, assessment.risk.grade, m.value
                    ),
                    reason: None,
                    use_instead: None,
                    findings: Vec::new(),
                });
            }
        }
        if let Some(m) = &self.max_share {
            for v in assessment.vendors.iter().filter(|v| v.proprietary && v.share > m.value) {
                violations.push(Violation {
                    policy: "max_share".into(),
                    at: m.at.clone(),
                    message: format!(
                        "{} serves {:.0} % of LLM call sites ({} of them), above max_share {:.0} %",
                        v.vendor,
                        v.share * 100.0,
                        v.call_sites,
                        m.value * 100.0
                    ),
                    reason: None,
                    use_instead: None,
                    findings: Vec::new(),
                });
            }
        }
        Verdict { config: self.source.clone(), passed: violations.is_empty(), allowed, violations }
    }
}

/// The findings a run reports ([`Selection`]): the policy's `select` (replaced by
/// `--select` when given), its `ignore` and `--ignore` together, and its `[per-path]`
/// ignores. Every selector must name something; the errors say where each is written.
pub fn selection(
    config: Option<&Config>,
    select_flag: &[String],
    ignore_flag: &[String],
    rules: &RuleSet,
    bases: Vec<PathBase>,
) -> Result<Selection, Vec<String>> {
    let mut errors = Vec::new();
    let mut parse = |text: &str, at: &str| match Selector::parse(text, rules) {
        Ok(s) => Some(s),
        Err(message) => {
            errors.push(format!("{at}: {message}"));
            None
        }
    };
    let written = |key: &str, l: &[Setting<String>]| -> Vec<(String, String)> {
        l.iter().enumerate().map(|(i, s)| (s.value.clone(), format!("{}: key `{key}[{i}]`", s.at))).collect()
    };
    let flags = |flag: &str, l: &[String]| -> Vec<(String, String)> {
        l.iter().map(|s| (s.clone(), flag.to_string())).collect()
    };
    let select = if select_flag.is_empty() {
        config.map(|c| written("select", &c.select)).unwrap_or_default()
    } else {
        flags("--select", select_flag)
    };
    let mut ignore = config.map(|c| written("ignore", &c.ignore)).unwrap_or_default();
    ignore.extend(flags("--ignore", ignore_flag));
    let select = select.iter().filter_map(|(t, at)| parse(t, at)).collect();
    let ignore = ignore.iter().filter_map(|(t, at)| parse(t, at)).collect();
    let mut out = Selection::new(select, ignore);
    for (glob, list) in config.map(|c| c.per_path.as_slice()).unwrap_or_default() {
        let key = format!("per-path.\"{glob}\"");
        let selectors = written(&key, list).iter().filter_map(|(t, at)| parse(t, at)).collect();
        // The glob was checked when the file was read.
        if let Ok(s) = out.clone().ignore_in(std::slice::from_ref(glob), selectors) {
            out = s;
        }
    }
    if errors.is_empty() {
        Ok(out.with_bases(bases))
    } else {
        Err(errors)
    }
}

/// A finding path (relative to the scanned root, prefixed by the root when several are
/// scanned) as a path relative to the policy file's folder, as far as it is known: what the
/// globs of `allow` and `[contexts]` are matched against.
pub fn policy_path(bases: &[PathBase], path: &str) -> String {
    let base = bases
        .iter()
        .filter(|b| {
            b.finding_prefix.is_empty()
                || path.strip_prefix(b.finding_prefix.as_str()).is_some_and(|r| r.starts_with('/'))
        })
        .max_by_key(|b| b.finding_prefix.len());
    let Some(base) = base else { return path.to_string() };
    let rest = if base.finding_prefix.is_empty() { path } else { &path[base.finding_prefix.len() + 1..] };
    match base.from_config.as_deref() {
        Some(p) if !p.is_empty() => format!("{p}/{rest}"),
        _ => rest.to_string(),
    }
}

fn findings(n: usize) -> String {
    if n == 1 {
        "1 finding".into()
    } else {
        format!("{n} findings")
    }
}

type Parts<'a> = (Option<&'a String>, Option<&'a String>, Option<Capability>, Option<Kind>);

fn d_parts(d: &DenyEntry) -> Parts<'_> {
    (d.vendor.as_ref(), d.rule.as_ref(), d.capability, d.kind)
}

fn a_parts(a: &AllowEntry) -> Parts<'_> {
    (a.vendor.as_ref(), a.rule.as_ref(), a.capability, a.kind)
}

fn matcher(
    parts: Parts<'_>,
    rules: &RuleSet,
    at: &Location,
    key: &str,
    errors: &mut Vec<PolicyError>,
) -> Option<Matcher> {
    let (vendor, rule, capability, kind) = parts;
    let mut ok = true;
    if let Some(v) = vendor {
        if rules.vendor(v).is_none() {
            let known: Vec<&str> = rules.vendors.iter().map(|v| v.id.as_str()).collect();
            errors.push(PolicyError {
                at: at.clone(),
                key: format!("{key}.vendor"),
                message: format!("unknown vendor `{v}`, expected one of {}", known.join(", ")),
            });
            ok = false;
        }
    }
    let rule = match rule.map(|r| Selector::parse(r, rules)) {
        Some(Ok(s)) => Some(s),
        Some(Err(message)) => {
            errors.push(PolicyError { at: at.clone(), key: key.to_string(), message });
            ok = false;
            None
        }
        None => None,
    };
    ok.then(|| Matcher { vendor: vendor.cloned(), rule, capability, kind })
}
