//! `lockin rules list` and `lockin rules explain`.

use super::{load_rules, ListFormat, RulesCommand, Status};
use crate::rules::explain;
use std::io::{self, Write};

pub(super) fn run_rules(cmd: RulesCommand) -> anyhow::Result<Status> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match cmd {
        RulesCommand::List { format, vendors: true, rules } => {
            let set = load_rules(&rules)?;
            match format {
                ListFormat::Json => {
                    let v: Vec<serde_json::Value> = set.vendors.iter().map(explain::vendor_json).collect();
                    writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
                }
                ListFormat::Table => {
                    let mut t = comfy_table::Table::new();
                    t.load_preset(comfy_table::presets::NOTHING);
                    t.set_header(["id", "name", "kind", "hosts"]);
                    for v in &set.vendors {
                        t.add_row([
                            v.id.clone(),
                            v.name.clone(),
                            explain::vendor_kind(v).to_string(),
                            v.hosts.join(" "),
                        ]);
                    }
                    writeln!(out, "{t}")?;
                }
            }
            Ok(Status::Clean)
        }
        RulesCommand::List { format, vendors: false, rules } => {
            let set = load_rules(&rules)?;
            let list = set.rules();
            match format {
                ListFormat::Json => {
                    let v: Vec<serde_json::Value> = list.iter().map(explain::rule_json).collect();
                    // Through io::Write, so that a closed pipe stays an io::Error (exit 0).
                    let text = serde_json::to_string_pretty(&v)?;
                    writeln!(out, "{text}")?;
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
                let ids: Vec<String> = set.rules().into_iter().map(|r| r.id).collect();
                let mut close: Vec<(f64, &String)> =
                    ids.iter().map(|r| (strsim::jaro_winkler(&id, r), r)).filter(|(s, _)| *s > 0.8).collect();
                close.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
                let hint = match close.as_slice() {
                    [] => String::new(),
                    [(_, one), ..] => format!("; did you mean `{one}`?"),
                };
                anyhow::bail!("no rule `{id}`{hint} (see `lockin rules list`)");
            };
            match format {
                ListFormat::Json => {
                    let text = serde_json::to_string_pretty(&explain::rule_json(&rule))?;
                    writeln!(out, "{text}")?;
                }
                ListFormat::Table => write!(out, "{}", explain::explain_text(&rule, &set.substitutes))?,
            }
            Ok(Status::Clean)
        }
    }
}
