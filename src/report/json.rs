//! `--format json`: the report as pretty JSON, with a final newline. Each finding (and each
//! suppressed one) carries its `context`, which the report holds as one classifier rather
//! than on every finding.

use super::Report;
use serde_json::Value;
use std::io::{self, Write};

/// The JSON value of the report: its serde form plus `context` on every finding.
pub fn value(report: &Report) -> serde_json::Result<Value> {
    let mut v = serde_json::to_value(report)?;
    let findings = report.findings.iter();
    let suppressed = report.suppressed.iter().map(|s| &s.finding);
    for (list, of) in [("findings", findings.collect::<Vec<_>>()), ("suppressed", suppressed.collect())] {
        if let Some(Value::Array(items)) = v.get_mut(list) {
            for (item, f) in items.iter_mut().zip(of) {
                let Some(obj) = item.as_object_mut() else { continue };
                let context = report.context_of(f).to_string();
                obj.insert("context".into(), Value::String(context));
            }
        }
    }
    Ok(v)
}

/// Writes the JSON contract.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // Through io::Write, so that a closed pipe stays an io::Error (exit 0).
    let text = serde_json::to_string_pretty(&value(report)?)?;
    writeln!(out, "{text}")
}
