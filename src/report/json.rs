//! `--format json`: the report as pretty JSON, with a final newline. Each finding (and each
//! suppressed one) carries its `context`, which the report holds as one classifier rather
//! than on every finding.

use super::Report;
use serde_json::Value;
use std::io::{self, Write};

/// The JSON value of the report: its serde form plus `context` on every finding.
pub fn value(report: &Report) -> serde_json::Result<Value> {
    let mut v = serde_json::to_value(report)?;
    for list in ["findings", "suppressed"] {
        if let Some(Value::Array(items)) = v.get_mut(list) {
            for item in items {
                let Some(obj) = item.as_object_mut() else { continue };
                let path = obj.get("path").and_then(Value::as_str).unwrap_or_default();
                let context = report.context_rules.of(path).to_string();
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
