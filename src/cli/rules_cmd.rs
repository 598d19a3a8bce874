//! `lockin rules list` and `lockin rules explain`.

use super::{load_rules, ListFormat, RulesCommand, Status};
use crate::rules::explain;
use std::io::{self, Write};

pub(super) fn run_rules(cmd: RulesCommand) -> anyhow::Result<Status> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match cmd {
        RulesCommand::List { format, rules } => {
            let set = load_rules(&rules)?;
            let list = set.rules();
            match format {
                ListFormat::Json => {
                    let v: Vec<serde_json::Value> = list.iter().map(explain::rule_json).collect();
                    serde_json::to_writer_pretty(&mut out, &v)?;
                    writeln!(out)?;
                }
                ListFormat::Table => {
                    let mut t = comfy_table::Table::new();
                    t.load_preset(comfy_table::presets::NOTHING);
                    t.set_header(["id", "vendor", "kind", "capability", "severity"]);
                    for r in &list {
                        t.add_row([
                            r.id.clone(),
                            r.owner.clone(),
                            r.kind.to_string(),
                            r.capability.to_string(),
                            r.severity.to_string(),
                        ]);
                    }
                    writeln!(out, "{t}")?;
                }
            }
            Ok(Status::Clean)
        }
        RulesCommand::Explain { id, format, rules } => {
            let set = load_rules(&rules)?;
            let Some(rule) = set.rule(&id) else {
                anyhow::bail!("no rule `{id}` (see `lockin rules list`)");
            };
            match format {
                ListFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &explain::rule_json(&rule))?;
                    writeln!(out)?;
                }
                ListFormat::Table => write!(out, "{}", explain::explain_text(&rule, &set.substitutes))?,
            }
            Ok(Status::Clean)
        }
    }
}
