//! The report: the one value renderers read. Its serde form *is* the JSON contract in
//! spec/report-json.md. Renderers only format; they compute nothing: what they need
//! beyond the report (rule documentation, vendor names and hosts, output options) comes
//! in a [`Context`] built once from the rule set.

pub mod cyclonedx;
pub mod escape;
pub mod github;
pub mod gitlab;
pub mod inventory;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;
pub mod verdict;

use crate::assess::{Analysis, Assessment};
use crate::context::{CodeContext, Contexts};
use crate::finding::{Finding, Kind};
use crate::pipeline::Filtered;
use crate::policy::Verdict;
use crate::rules::{explain, RuleInfo, RuleSet};
use crate::scan::Detected;
use crate::score::{Recommendation, Risk, VendorSummary};
use crate::suppress::{Problem, Suppressed};
use inventory::Inventory;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// `{path, message}`: a file that could not be read or parsed; the scan went on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileError {
    /// Relative path.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Scan statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Files of a kind lockin reads that were read (parsed or ruled out by the prefilter).
    pub files_scanned: u64,
    /// Files of a kind lockin reads that were not read: binary, over the size limit, unreadable.
    pub files_skipped: u64,
    /// Files with at least one finding.
    pub files_with_findings: u64,
    /// Bytes read.
    pub bytes_scanned: u64,
    /// Wall time of the scan.
    pub duration_ms: u64,
    /// Per-file problems.
    pub errors: Vec<FileError>,
    /// Name-resolution steps taken over all files (deterministic: a measure of work that
    /// each file bounds, see docs/report-json.md).
    #[serde(default)]
    pub resolution_steps: u64,
    /// Files of languages lockin does not read (Go, Java, C#, ...), and their manifests,
    /// per language (`go`, `java`, `csharp`, ...): what the scan did not analyse.
    #[serde(default)]
    pub unsupported: BTreeMap<String, u64>,
    /// Files the prefilter passed at each stage (see `crate::prefilter`).
    #[serde(default)]
    pub prefilter: PrefilterStats,
    /// Source files skipped as generated or minified (`--no-skip-generated` scans them).
    #[serde(default)]
    pub files_generated: u64,
}

/// How many source files each prefilter stage let through (all zero with `--no-prefilter`
/// or `--changed-since`, which parse every file they read).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefilterStats {
    /// Source files the prefilter looked at.
    pub files: u64,
    /// Passed stage 1: a literal of the rules occurs.
    pub literal: u64,
    /// Passed stage 2 (so parsed): a literal stands where it can give a finding.
    pub context: u64,
    /// Ruled out by both stages, then parsed because they name something a parsed file exports.
    pub exports: u64,
}

/// `{ "name": "lockin", "version": ... }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `lockin`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// The whole report (spec/report-json.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always 1.
    pub schema_version: u32,
    /// The tool.
    pub tool: Tool,
    /// The scanned path(s) as given.
    pub root: String,
    /// Statistics.
    pub stats: Stats,
    /// Findings, sorted.
    pub findings: Vec<Finding>,
    /// One entry per vendor seen.
    pub vendors: Vec<VendorSummary>,
    /// The risk assessment.
    pub risk: Risk,
    /// Open substitutes per vendor and capability.
    pub recommendations: Vec<Recommendation>,
    /// Findings silenced by a `lockin: ignore[...] reason` comment; not in `findings`.
    pub suppressed: Vec<Suppressed>,
    /// Suppression comments that are malformed, name unknown rules, or silence nothing.
    pub suppression_problems: Vec<Problem>,
    /// With `--baseline`: how the findings compare with the baseline file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineSummary>,
    /// The policy's verdict, when a policy file or `--fail-on` applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<Verdict>,
    /// With `--changed-since`: which files were scanned; findings and scores cover only
    /// the changed files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<DiffScope>,
    /// Where the findings are (product, test, example, ...) and which contexts the scores
    /// count.
    pub contexts: ContextSummary,
    /// SDK packages and model names found, for the bill of materials (not in the JSON
    /// contract).
    #[serde(skip)]
    pub inventory: Inventory,
    /// How paths map to contexts (not in the JSON contract: each finding's `context` is).
    #[serde(skip)]
    pub context_rules: Contexts,
    /// Hotspots, capabilities × vendors and hard-to-move calls of the counted findings,
    /// computed when the report is assessed (not in the JSON contract).
    #[serde(skip)]
    pub analysis: Analysis,
}

/// A rewrite of one finding's site (`crate::fix`), as SARIF 2.1.0 `fix` carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// One sentence: what it does.
    pub description: String,
    /// The file, relative to the scan root.
    pub path: String,
    /// Replacements in the original text, in order.
    pub replacements: Vec<Replacement>,
}

/// Replace a region of the original text (1-based lines and Unicode columns, end
/// exclusive; an empty region inserts) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// Start line.
    pub start_line: u32,
    /// Start column.
    pub start_column: u32,
    /// End line.
    pub end_line: u32,
    /// End column (exclusive).
    pub end_column: u32,
    /// The new text.
    pub text: String,
}

pub use crate::assess::ContextSummary;

impl Report {
    /// Assembles the report from the stages' values ([`crate::pipeline`]): the one place a
    /// report is made. Key-shaped tokens are masked here, so no caller can forget it.
    pub fn assemble(detected: Detected, filtered: Filtered, assessment: Assessment, policy: Option<Verdict>) -> Report {
        let inventory = Inventory::new(&filtered.scored);
        let mut report = Report {
            schema_version: 1,
            tool: Tool { name: "lockin".into(), version: env!("CARGO_PKG_VERSION").into() },
            root: detected.root,
            stats: detected.stats,
            findings: filtered.reported,
            vendors: assessment.vendors,
            risk: assessment.risk,
            recommendations: assessment.recommendations,
            suppressed: filtered.suppressed,
            suppression_problems: filtered.problems,
            baseline: filtered.baseline,
            policy,
            scope: detected.scope,
            contexts: assessment.contexts,
            inventory,
            context_rules: detected.contexts,
            analysis: assessment.analysis,
        };
        report.mask_keys();
        report
    }

    /// The context of a finding.
    pub fn context_of(&self, f: &Finding) -> CodeContext {
        self.context_rules.of_code(&f.path, f.test_code)
    }

    /// Whether a finding counts in the scores (its context is one `--context` selects).
    pub fn counts(&self, f: &Finding) -> bool {
        self.context_rules.counts_code(&f.path, f.test_code)
    }

    /// The reported findings that count in the scores.
    pub fn counted(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| self.counts(f))
    }

    /// Masks key-shaped tokens ([`crate::detect::keys`]) in every text of the report that
    /// comes from the scanned tree: snippets and messages (masked when made; again here, at
    /// no cost, so that no path can miss it), suppression reasons, suppression problems and
    /// per-file errors (a parser may quote the line it stopped at).
    fn mask_keys(&mut self) {
        use crate::detect::keys::mask_in_place;
        let findings = self.findings.iter_mut().chain(self.suppressed.iter_mut().map(|s| &mut s.finding));
        for f in findings {
            mask_in_place(&mut f.snippet);
            mask_in_place(&mut f.message);
        }
        for s in &mut self.suppressed {
            mask_in_place(&mut s.suppression.reason);
        }
        for p in &mut self.suppression_problems {
            mask_in_place(&mut p.message);
        }
        for e in &mut self.stats.errors {
            mask_in_place(&mut e.message);
        }
    }
}

/// `--changed-since REF`: the report covers the files changed since the merge base of REF
/// and HEAD. `changed_files + imported_files + unchanged_files_not_scanned` is the number
/// of files a full scan of the same paths would read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffScope {
    /// The ref as given.
    pub changed_since: String,
    /// The merge base of the ref and HEAD, a full commit id.
    pub merge_base: String,
    /// Files lockin reads that were added, modified or left untracked (not ignored) since the
    /// merge base: the files scanned, the only ones whose findings are reported.
    pub changed_files: u64,
    /// Files of a kind lockin reads deleted since the merge base: counted, not scanned.
    pub deleted_files: u64,
    /// Unchanged files read only to resolve the clients changed files import from them;
    /// none of their own findings is reported.
    pub imported_files: u64,
    /// Unchanged files lockin would read in a full scan and did not.
    pub unchanged_files_not_scanned: u64,
    /// The changed and deleted files, as findings name them, sorted (not in the JSON
    /// contract): what a baseline is compared with.
    #[serde(skip)]
    pub paths: Vec<String>,
}

impl DiffScope {
    /// Whether the scan looked at `path` (a changed or a deleted file).
    pub fn covers(&self, path: &str) -> bool {
        self.paths.binary_search_by(|p| p.as_str().cmp(path)).is_ok()
    }

    /// The sentence the table and Markdown print after `Diff-aware: `; `quote` formats the
    /// ref and the commit (a code span in Markdown).
    pub fn summary(&self, quote: impl Fn(&str) -> String) -> String {
        let files = |n: u64| if n == 1 { "file" } else { "files" };
        let were = |n: u64| if n == 1 { "was" } else { "were" };
        let (changed, unchanged) = (self.changed_files, self.imported_files + self.unchanged_files_not_scanned);
        let mut s = format!(
            "{changed} {} changed since {} (merge base {}) {} scanned; {unchanged} unchanged {} {} not",
            files(changed),
            quote(&self.changed_since),
            quote(self.merge_base.get(..7).unwrap_or(&self.merge_base)),
            were(changed),
            files(unchanged),
            were(unchanged)
        );
        if self.imported_files > 0 {
            s.push_str(&format!(" ({} read only to resolve the clients changed files import)", self.imported_files));
        }
        if self.deleted_files > 0 {
            s.push_str(&format!("; {} {} deleted", self.deleted_files, files(self.deleted_files)));
        }
        s.push_str(". Findings and scores cover the changed files only.");
        s
    }
}

/// `--baseline`: the findings the baseline file already records are left out of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaselineSummary {
    /// The baseline file as given.
    pub path: String,
    /// Findings the baseline records.
    pub recorded: usize,
    /// Current findings the baseline records (left out of `findings`).
    pub matched: usize,
    /// Current findings it does not record (the ones in `findings`).
    pub new: usize,
    /// Recorded findings no longer found (fixed, or edited beyond recognition).
    pub gone: usize,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for terminals.
    Table,
    /// The JSON contract (docs/report-json.md, docs/report.schema.json).
    Json,
    /// A Markdown risk report for a pull request, a wiki page or a review.
    #[value(alias = "md")]
    Markdown,
    /// SARIF 2.1.0 for code scanning (GitHub, GitLab, IDEs).
    Sarif,
    /// A CycloneDX 1.6 JSON AI bill of materials.
    Cyclonedx,
    /// A GitLab Code Quality report for merge requests (a `codequality` artifact).
    Gitlab,
    /// GitHub Actions workflow commands: an annotation per call site, for repositories without code scanning.
    Github,
}

/// A rule as renderers show it: its catalogue entry and its `rules explain` text.
#[derive(Debug, Clone)]
pub struct RuleDoc {
    /// The rule.
    pub info: RuleInfo,
    /// `lockin rules explain <id>` (Markdown), substitutes included for call rules.
    pub explain: String,
}

/// A vendor as renderers show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorInfo {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether depending on it is a lock-in risk.
    pub proprietary: bool,
    /// API host globs (`api.openai.com`, `*.openai.azure.com`).
    pub hosts: Vec<String>,
}

/// What renderers need besides the report: documentation and names from the rule set,
/// and output options. Built once per run; renderers only read it.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Every rule, sorted by id.
    pub rules: Vec<RuleDoc>,
    /// Every vendor, sorted by id.
    pub vendors: Vec<VendorInfo>,
    /// `--link-base`: Markdown paths become links to `URL/path#Lline`.
    pub link_base: Option<String>,
    /// Colour in the table (only on a terminal, never with `NO_COLOR`; the CLI decides).
    pub color: bool,
    /// `--show-suppressed`: list suppressed findings too (table, Markdown, SARIF).
    pub show_suppressed: bool,
    /// Table, `--kind`: the kinds of finding listed (none: call sites).
    pub kinds: Vec<Kind>,
    /// Table, `--all`: every finding of every kind, grouped by file.
    pub all: bool,
    /// Table, `--statistics`: counts per rule instead of a listing.
    pub statistics: bool,
    /// The command that accepts today's findings into the baseline this run reads (the
    /// verdict's hint); the CLI knows the paths and the policy.
    pub accept_command: Option<String>,
    /// Markdown, `--max-bytes`: the size budget; the summary stays whole, folded sections
    /// and the findings appendix are cut to fit, and the report says what it left out.
    pub max_bytes: Option<usize>,
    /// Rewrites `lockin fix` would make, by finding fingerprint: SARIF results carry them
    /// as `fixes` (filled by the CLI only when SARIF is written).
    pub fixes: BTreeMap<String, Fix>,
}

impl Context {
    /// The documentation and vendor names of a rule set, with default options.
    pub fn new(rules: &RuleSet) -> Context {
        let docs = rules
            .rules()
            .into_iter()
            .map(|info| RuleDoc { explain: explain::explain_text(&info, &rules.substitutes), info })
            .collect();
        let vendors = rules
            .vendors
            .iter()
            .map(|v| VendorInfo {
                id: v.id.clone(),
                name: v.name.clone(),
                proprietary: v.proprietary,
                hosts: v.hosts.clone(),
            })
            .collect();
        Context { rules: docs, vendors, ..Context::default() }
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&RuleDoc> {
        self.rules.binary_search_by(|r| r.info.id.as_str().cmp(id)).ok().map(|i| &self.rules[i])
    }

    /// The vendor with this id.
    pub fn vendor(&self, id: &str) -> Option<&VendorInfo> {
        self.vendors.binary_search_by(|v| v.id.as_str().cmp(id)).ok().map(|i| &self.vendors[i])
    }

    /// A vendor's display name, or its id when the rule set does not know it.
    pub fn vendor_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.vendor(id).map_or(id, |v| v.name.as_str())
    }
}

/// `1 call site`, `2 call sites`: the count and the word, singular for one.
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Renders a report in a format.
pub fn render(report: &Report, format: Format, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, ctx, out),
        Format::Json => json::render(report, out),
        Format::Markdown => markdown::render(report, ctx, out),
        Format::Sarif => sarif::render(report, ctx, out),
        Format::Cyclonedx => cyclonedx::render(report, ctx, out),
        Format::Gitlab => gitlab::render(report, out),
        Format::Github => github::render(report, out),
    }
}
