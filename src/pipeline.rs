//! One owner of the pipeline. Each stage takes the previous one's value and returns its own;
//! the report is assembled once, at the end, and never changed afterwards:
//!
//! ```text
//! collect → detect → link          scan::detect_tree   → Detected
//! filter: selection, suppressions,  pipeline::filter   → Filtered
//!         baseline
//! assess: scores, contexts,         assess::assess     → Assessment
//!         hotspots, matrix
//! judge                             Policy::judge      → Verdict
//! Report::assemble                                     → Report
//! ```
//!
//! The CLI and an embedder call [`run`] with the same [`Run`] and get the same report. The
//! library never writes files: a baseline to record comes back in [`Outcome::written`].

use crate::assess;
use crate::baseline::Baseline;
use crate::config::Config;
use crate::context::{CodeContext, Contexts};
use crate::error::ScanError;
use crate::finding::Finding;
use crate::finding::Severity;
use crate::policy::{PathBase, Policy};
use crate::report::{BaselineSummary, Report};
use crate::rules::RuleSet;
use crate::scan::{self, Detected, ScanOptions};
use crate::selector::Selection;
use crate::suppress::{self, Problem, Suppressed};
use crate::walk::{self, AnchoredGlobs};
use std::collections::HashSet;
use std::path::PathBuf;

/// What a run reads besides the tree: which findings to look for, the baseline, the policy.
#[derive(Debug, Clone)]
pub struct Run {
    /// What to scan and how.
    pub scan: ScanOptions,
    /// Which findings are reported and scored (`--select`, `--ignore`, `[per-path]`).
    pub selection: Selection,
    /// The baseline to leave out, or to record.
    pub baseline: BaselineUse,
    /// The policy that judges the run (none: no verdict in the report).
    pub policy: Option<Policy>,
}

impl Run {
    /// A scan with every finding, no baseline and no policy.
    pub fn new(scan: ScanOptions) -> Run {
        Run { scan, selection: Selection::all(), baseline: BaselineUse::None, policy: None }
    }

    /// The run `lockin scan` and `lockin check` make of a policy file and command-line
    /// overrides: the file's `exclude`/`include` and `[contexts]` globs anchored at its
    /// folder, its selection and its policy, every selector checked against the rules.
    /// The baseline is left to the caller (`lockin` reads `lockin-baseline.json` beside the
    /// policy when it exists). Each error names where the bad entry is written.
    pub fn configured(
        mut scan: ScanOptions,
        config: Option<&Config>,
        overrides: &Overrides,
        rules: &RuleSet,
    ) -> Result<Run, Vec<String>> {
        let bases = config.map(|c| path_bases(c, &scan.paths)).unwrap_or_default();
        let mut contexts = Contexts::new().scoring(&overrides.contexts);
        if let Some(c) = config {
            scan.walk.anchored =
                Some(AnchoredGlobs { dir: c.dir.clone(), exclude: c.exclude.clone(), include: c.include.clone() });
            for (context, globs) in &c.contexts {
                contexts = contexts.with_globs(*context, globs).map_err(|e| vec![format!("{}: {e}", c.display)])?;
            }
            let bases = bases.clone();
            contexts = contexts.with_rebase(move |p| crate::policy::policy_path(&bases, p));
        }
        scan.contexts = contexts;
        let policy = Policy::new(config, overrides.fail_on, rules, bases.clone())
            .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>())?;
        let selection = crate::policy::selection(config, &overrides.select, &overrides.ignore, rules, bases)?;
        Ok(Run { scan, selection, baseline: BaselineUse::None, policy: Some(policy) })
    }
}

/// What the command line sets beside (or over) the policy file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--fail-on`: replaces `fail_on`.
    pub fail_on: Option<Severity>,
    /// `--select`: replaces `select`.
    pub select: Vec<String>,
    /// `--ignore`: added to `ignore`.
    pub ignore: Vec<String>,
    /// `--context`: the contexts the scores count (none: product code).
    pub contexts: Vec<CodeContext>,
}

/// How the policy maps each scanned root's finding paths to its own folder.
fn path_bases(config: &Config, paths: &[PathBuf]) -> Vec<PathBase> {
    let several = paths.len() > 1;
    paths
        .iter()
        .map(|p| PathBase {
            finding_prefix: if several { p.to_string_lossy().trim_end_matches('/').to_string() } else { String::new() },
            from_config: walk::anchor_prefix(&config.dir, p),
        })
        .collect()
}

/// What the run does with a baseline.
#[derive(Debug, Clone, Default)]
pub enum BaselineUse {
    /// No baseline.
    #[default]
    None,
    /// Leave out the findings it records; `shown` names it in the report.
    Read {
        /// The baseline.
        baseline: Baseline,
        /// The file as the report names it.
        shown: String,
    },
    /// Record today's reported findings, then leave them out (`--write-baseline`); the
    /// caller writes [`Outcome::written`] to the file `shown` names.
    Write {
        /// The file as the report names it.
        shown: String,
    },
}

/// What a run produces.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The report.
    pub report: Report,
    /// With [`BaselineUse::Write`]: the baseline to write.
    pub written: Option<Baseline>,
}

/// What the filter stage keeps and takes out.
#[derive(Debug, Clone, Default)]
pub struct Filtered {
    /// The selected findings, suppressed and baselined ones included: what the scores count.
    pub scored: Vec<Finding>,
    /// The findings reported: selected, not suppressed, not in the baseline.
    pub reported: Vec<Finding>,
    /// Findings silenced by a comment.
    pub suppressed: Vec<Suppressed>,
    /// Suppression comments that are malformed, name unknown rules or silence nothing.
    pub problems: Vec<Problem>,
    /// How the findings compare with the baseline.
    pub baseline: Option<BaselineSummary>,
    /// The baseline recorded ([`BaselineUse::Write`]).
    pub written: Option<Baseline>,
}

/// Runs every stage and assembles the report.
pub fn run(run: &Run, rules: &RuleSet) -> Result<Outcome, ScanError> {
    let mut detected = scan::detect_tree(&run.scan, rules)?;
    // The findings move on to the filter stage: one copy fewer held while the report is made.
    let findings = std::mem::take(&mut detected.findings);
    let filtered = filter_findings(findings, &detected, &run.selection, &run.baseline, rules);
    let assessment = assess::assess(&filtered.scored, rules, &detected.contexts);
    let verdict = run.policy.as_ref().filter(|p| !p.is_empty()).map(|p| p.judge(&filtered.reported, &assessment));
    let written = filtered.written.clone();
    if crate::detect::debug_timing() {
        eprintln!("lockin timing: filtered and assessed, {}", scan::memory_in_use());
    }
    Ok(Outcome { report: Report::assemble(detected, filtered, assessment, verdict), written })
}

/// The filter stage: the selection takes findings out of everything (the scores too);
/// suppressions and the baseline take them out of the reported list only, so that
/// acknowledging lock-in never hides it from the scores (docs/configuration.md).
pub fn filter(detected: &Detected, selection: &Selection, baseline: &BaselineUse, rules: &RuleSet) -> Filtered {
    filter_findings(detected.findings.clone(), detected, selection, baseline, rules)
}

/// [`filter`] of `findings`, the detected findings taken out of `detected`.
fn filter_findings(
    findings: Vec<Finding>,
    detected: &Detected,
    selection: &Selection,
    baseline: &BaselineUse,
    rules: &RuleSet,
) -> Filtered {
    // Suppressions see every finding, so that a comment silencing a finding the selection
    // leaves out is not reported as unused.
    let applied = suppress::apply(findings.clone(), &detected.suppressions, rules);
    let (mut reported, mut suppressed) = (applied.reported, applied.suppressed);
    let scored = if selection.is_all() {
        findings
    } else {
        reported.retain(|f| selection.keeps(f));
        suppressed.retain(|s| selection.keeps(&s.finding));
        findings.into_iter().filter(|f| selection.keeps(f)).collect()
    };
    let (baseline, written) = match baseline {
        BaselineUse::None => (None, None),
        BaselineUse::Read { baseline, shown } => {
            (Some(leave_out(&mut reported, &suppressed, baseline, shown, detected)), None)
        }
        BaselineUse::Write { shown } => {
            let b = Baseline::of(&reported);
            (Some(leave_out(&mut reported, &suppressed, &b, shown, detected)), Some(b))
        }
    };
    Filtered { scored, reported, suppressed, problems: applied.problems, baseline, written }
}

/// Leaves out of `reported` the findings the baseline records, and says how they compare.
fn leave_out(
    reported: &mut Vec<Finding>,
    suppressed: &[Suppressed],
    baseline: &Baseline,
    shown: &str,
    detected: &Detected,
) -> BaselineSummary {
    let gone = {
        let current: HashSet<&str> =
            reported.iter().chain(suppressed.iter().map(|s| &s.finding)).map(|f| f.fingerprint.as_str()).collect();
        // With --changed-since, a recorded finding in a file not looked at is not gone.
        let looked_at = |path: &str| detected.scope.as_ref().is_none_or(|s| s.covers(path));
        baseline.findings.iter().filter(|e| looked_at(&e.path) && !current.contains(e.fingerprint.as_str())).count()
    };
    let known = baseline.fingerprints();
    let before = reported.len();
    reported.retain(|f| !known.contains(f.fingerprint.as_str()));
    BaselineSummary {
        path: shown.to_string(),
        recorded: baseline.findings.len(),
        matched: before - reported.len(),
        new: reported.len(),
        gone,
    }
}
