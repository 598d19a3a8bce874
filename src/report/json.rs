//! `--format json`: the report as pretty JSON, with a final newline. Each finding (and each
//! suppressed one) carries its `context`, which the report holds as one classifier rather
//! than on every finding.
//!
//! The report is written field by field as it is serialised ([`Contract`]): a JSON tree of
//! every finding (`serde_json::Value`, several times the findings' own size) is never
//! built, so the output costs no memory that grows with the findings.

use super::Report;
use crate::finding::Finding;
use crate::suppress::Suppressed;
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

/// The JSON contract of a report (spec/report-json.md): the report's serde form, in its
/// field order, with `context` after the fields of every finding and suppressed finding.
/// A field added to [`Report`] is added here too (a test compares the two).
#[derive(Serialize)]
struct Contract<'a> {
    schema_version: u32,
    tool: &'a super::Tool,
    root: &'a str,
    stats: &'a super::Stats,
    findings: InContext<'a, Finding>,
    vendors: &'a [crate::score::VendorSummary],
    risk: &'a crate::score::Risk,
    recommendations: &'a [crate::score::Recommendation],
    suppressed: InContext<'a, Suppressed>,
    suppression_problems: &'a [crate::suppress::Problem],
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a super::BaselineSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a crate::policy::Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a super::DiffScope>,
    contexts: &'a super::ContextSummary,
}

impl<'a> Contract<'a> {
    fn of(r: &'a Report) -> Contract<'a> {
        Contract {
            schema_version: r.schema_version,
            tool: &r.tool,
            root: &r.root,
            stats: &r.stats,
            findings: InContext { report: r, items: &r.findings },
            vendors: &r.vendors,
            risk: &r.risk,
            recommendations: &r.recommendations,
            suppressed: InContext { report: r, items: &r.suppressed },
            suppression_problems: &r.suppression_problems,
            baseline: r.baseline.as_ref(),
            policy: r.policy.as_ref(),
            scope: r.scope.as_ref(),
            contexts: &r.contexts,
        }
    }
}

/// A list of findings, each written with its `context` after its own fields.
struct InContext<'a, T> {
    report: &'a Report,
    items: &'a [T],
}

/// What a list item's finding is.
trait HasFinding: Serialize {
    fn finding(&self) -> &Finding;
}

impl HasFinding for Finding {
    fn finding(&self) -> &Finding {
        self
    }
}

impl HasFinding for Suppressed {
    fn finding(&self) -> &Finding {
        &self.finding
    }
}

/// One item and its context.
#[derive(Serialize)]
struct WithContext<'a, T> {
    #[serde(flatten)]
    item: &'a T,
    context: &'static str,
}

impl<T: HasFinding> Serialize for InContext<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.items.len()))?;
        for item in self.items {
            seq.serialize_element(&WithContext { item, context: self.report.context_of(item.finding()).as_str() })?;
        }
        seq.end()
    }
}

/// The JSON value of the report: its serde form plus `context` on every finding.
pub fn value(report: &Report) -> serde_json::Result<Value> {
    serde_json::to_value(Contract::of(report))
}

/// Writes the JSON contract.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // Through io::Write, so that a closed pipe stays an io::Error (exit 0).
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &Contract::of(report))?;
    writeln!(out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{self, ScanOptions};

    /// The contract is the report's own serde form plus `context`: no field is left out,
    /// renamed or moved, whichever fields are added to [`Report`] later.
    #[test]
    fn contract_is_the_report_plus_contexts() {
        let rules = crate::rules::load_embedded();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/python/ci_gate");
        let opts = ScanOptions {
            paths: vec![dir],
            as_of: crate::lifecycle::Date::parse("2026-01-01").unwrap(),
            ..ScanOptions::default()
        };
        let mut report = scan::scan(&opts, &rules).expect("the fixture scans");
        assert!(!report.findings.is_empty() && !report.suppressed.is_empty(), "both lists are exercised");
        report.baseline =
            Some(super::super::BaselineSummary { path: "b.json".into(), recorded: 2, matched: 1, new: 3, gone: 1 });
        let derived = serde_json::to_value(&report).unwrap();
        let mut written = value(&report).unwrap();
        for list in ["findings", "suppressed"] {
            for item in written[list].as_array_mut().unwrap() {
                let context = item.as_object_mut().unwrap().shift_remove("context");
                assert!(context.is_some_and(|c| c.is_string()), "{list} items carry a context");
            }
        }
        assert_eq!(written, derived);
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&written), keys(&derived), "same fields in the same order");

        let mut bytes = Vec::new();
        render(&report, &mut bytes).unwrap();
        let text = serde_json::to_string_pretty(&value(&report).unwrap()).unwrap() + "\n";
        assert_eq!(String::from_utf8(bytes).unwrap(), text, "written as the value prints");
    }
}
