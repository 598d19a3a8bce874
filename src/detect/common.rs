//! What the Python and JavaScript extractors share once a file's syntax is read: the
//! findings a string literal gives, the findings of an environment read, inferring a call
//! on an unresolved receiver, and moving an SDK's import to the vendor its clients point
//! at. Language-neutral: callers pass names and text, and push the results at their node.

use super::matcher::Served;
use super::{FileOutput, LineIndex};
use crate::finding::{Capability, Kind, Severity};
use crate::rules::{kind_rule_id, ClientDef, Operation, RuleSet};
use std::collections::HashMap;

/// A finding to push at the node the caller holds.
pub struct Spec {
    /// Rule id.
    pub rule_id: String,
    /// Vendor.
    pub vendor: String,
    /// Kind.
    pub kind: Kind,
    /// Capability.
    pub capability: Capability,
    /// Severity.
    pub severity: Severity,
    /// Message.
    pub message: String,
}

/// Secrets, endpoints and model names in one string literal. `content` is its text
/// (interpolations kept as written), `literal` its value when it has no interpolation,
/// `served` the vendor of the call whose arguments hold it.
pub fn literal_findings(
    rules: &RuleSet,
    content: &str,
    literal: Option<&str>,
    in_model_context: bool,
    served: Option<&str>,
) -> Vec<Spec> {
    let mut out = Vec::new();
    if content.is_empty() {
        return out;
    }
    for (v, _) in super::matcher::secrets_in(rules, content) {
        out.push(Spec {
            rule_id: kind_rule_id(&v.id, Kind::Secret),
            vendor: v.id.clone(),
            kind: Kind::Secret,
            capability: Capability::Other,
            severity: Severity::Critical,
            message: format!("Hard-coded {} credential (redacted)", v.name),
        });
    }
    for v in super::matcher::endpoints_in(rules, content) {
        out.push(Spec {
            rule_id: kind_rule_id(&v.id, Kind::Endpoint),
            vendor: v.id.clone(),
            kind: Kind::Endpoint,
            capability: Capability::Other,
            severity: if v.proprietary { Severity::Medium } else { Severity::Info },
            message: format!("{} API endpoint in a string literal", v.name),
        });
    }
    let Some(literal) = literal else { return out };
    if let Some(v) = rules.vendor_for_model(literal, in_model_context) {
        let vendor = served.unwrap_or(&v.id);
        let proprietary = rules.vendor(vendor).is_none_or(|x| x.proprietary);
        let via = if vendor != v.id {
            rules.vendor(vendor).map_or(String::new(), |x| format!(", served by {}", x.name))
        } else {
            String::new()
        };
        let safe: String = literal.chars().filter(|c| !c.is_control()).take(80).collect();
        out.push(Spec {
            rule_id: kind_rule_id(&v.id, Kind::Model),
            vendor: vendor.to_string(),
            kind: Kind::Model,
            capability: Capability::Other,
            severity: if proprietary { Severity::Low } else { Severity::Info },
            message: format!("{} model `{safe}`{via}", v.name),
        });
    }
    out
}

/// The finding of reading environment variable `name`, if a vendor declares it. Browser
/// build prefixes (`NEXT_PUBLIC_`, `VITE_`, ...) are looked through.
pub fn env_finding(rules: &RuleSet, name: &str) -> Option<Spec> {
    let bare = ["NEXT_PUBLIC_", "VITE_", "REACT_APP_", "PUBLIC_", "EXPO_PUBLIC_", "NUXT_PUBLIC_"]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name);
    let v = rules.vendor_for_env(name).or_else(|| rules.vendor_for_env(bare))?;
    Some(Spec {
        rule_id: kind_rule_id(&v.id, Kind::Env),
        vendor: v.id.clone(),
        kind: Kind::Env,
        capability: Capability::Other,
        severity: if v.proprietary { Severity::Low } else { Severity::Info },
        message: format!("{} setting `{name}` read from the environment", v.name),
    })
}

/// Vendors whose SDK this file imports, in order of first import.
pub fn imported_vendors(out: &FileOutput) -> Vec<String> {
    out.imported.clone()
}

/// Records a client construction once per (vendor of its definition, who serves it): the
/// list feeds the import-based inference and `reassign_imports`, and a file that builds
/// thousands of clients must not make each inferred call cost that many.
pub fn note_client(clients: &mut Vec<(String, Served)>, def_vendor: &str, served: &Served) {
    if !clients.iter().any(|(d, s)| d == def_vendor && s == served) {
        clients.push((def_vendor.to_string(), served.clone()));
    }
}

/// A call on a receiver nothing in the file resolves (a parameter without a type,
/// `self.client` set from one) whose trailing names are an operation of an SDK this file
/// imports. `names` are the attribute names after the receiver expression `base`.
/// Three names or more qualify (`chat.completions.create`); two (`messages.create`) only
/// on a receiver named like a client and with an LLM-shaped argument (`model=`,
/// `messages=`). When several SDKs offer the path, only one whose client the file builds
/// decides; otherwise nothing is reported.
pub fn infer_operation<'r>(
    rules: &'r RuleSet,
    lang: &str,
    names: &[&str],
    base: &str,
    out: &FileOutput,
    built: &[String],
    llm_shaped: bool,
) -> Option<(&'r ClientDef, &'r Operation)> {
    if names.len() < 2 {
        return None;
    }
    let imported = imported_vendors(out);
    for start in 0..names.len() - 1 {
        let receiver = if start == 0 { base } else { names[start - 1] };
        let lower = receiver.to_ascii_lowercase();
        let mut found: Vec<(&ClientDef, &Operation)> = Vec::new();
        for vendor in &imported {
            let vendor_named = lower.contains(&vendor.replace('-', "_"));
            let named = lower.contains("client") || lower.contains("llm") || vendor_named;
            if names.len() - start < 3 && !(llm_shaped && named) {
                continue;
            }
            let defs =
                rules.clients.iter().filter(|d| d.language == lang && d.vendor == *vendor && d.vendor_from.is_none());
            for def in defs {
                let rest: Vec<&str> =
                    names[start..].iter().copied().filter(|s| !def.transparent.iter().any(|t| t == s)).collect();
                if let Some(op) = rules.operation(&def.api, &rest.join(".")) {
                    if !found.iter().any(|(d, _)| d.vendor == def.vendor) {
                        found.push((def, op));
                    }
                }
            }
        }
        if found.is_empty() {
            continue;
        }
        if found.len() > 1 {
            found.retain(|(d, _)| built.contains(&d.vendor));
            if found.len() != 1 {
                return None;
            }
        }
        return Some(found[0]);
    }
    None
}

/// The message of an inferred call.
pub fn inferred_message(base: &str, def: &ClientDef) -> String {
    format!("{base}; client inferred from the `{}` import in this file", def.vendor)
}

/// An SDK imported here whose clients all point at one other vendor (a base URL to a
/// self-hosted server, Azure module settings) is that vendor's import too.
pub fn reassign_imports(rules: &RuleSet, clients: &[(String, Served)], out: &mut FileOutput) {
    let mut by_def: HashMap<&str, Vec<&Served>> = HashMap::new();
    for (def_vendor, served) in clients {
        by_def.entry(def_vendor.as_str()).or_default().push(served);
    }
    let mut defs: Vec<(&str, Vec<&Served>)> = by_def.into_iter().collect();
    defs.sort_by(|a, b| a.0.cmp(b.0));
    for (def_vendor, served) in defs {
        let first = &served[0].vendor;
        if first == def_vendor || served.iter().any(|s| &s.vendor != first) {
            continue;
        }
        if out.findings.iter().any(|f| f.kind == Kind::Call && f.vendor == def_vendor) {
            continue;
        }
        let import_id = kind_rule_id(def_vendor, Kind::Import);
        let name = rules.vendor(first).map_or(first.as_str(), |v| v.name.as_str());
        let proprietary = rules.vendor(first).is_none_or(|v| v.proprietary);
        for f in out.findings.iter_mut().filter(|f| f.rule_id == import_id) {
            f.vendor = first.clone();
            f.message = format!("{}; its clients here point at {name}", f.message);
            if !proprietary {
                f.severity = Severity::Info;
            }
        }
    }
}

/// How [`scan_text`] reads one language's lines.
pub struct TextSyntax {
    /// Where a line comment starts (the rest of the line is skipped).
    pub comment: &'static str,
    /// Characters that open and close a string literal on one line.
    pub quotes: &'static [u8],
    /// What precedes a literal that names an environment variable (`var(`, `getenv(`).
    pub env_calls: &'static [&'static str],
}

/// The findings of text that is not parsed (it does not lex, or is too deep for the
/// parser): each line's quoted literals outside comments, as model names, endpoints,
/// secrets or environment variable names. Lines and columns are those of `src`.
pub fn scan_text(src: &str, rules: &RuleSet, lines: &LineIndex, syntax: &TextSyntax, out: &mut FileOutput) {
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i..].starts_with(syntax.comment.as_bytes()) {
                break;
            }
            let quote = bytes[i];
            if !syntax.quotes.contains(&quote) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != quote {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = j.min(bytes.len());
            // An escape before a multi-byte character can end between its bytes: no value then.
            let value = line.get(i + 1..end).unwrap_or_default();
            let span = lines.span(src, start + i, start + (end + 1).min(line.len()));
            let before = line[..i].trim_end();
            let specs = match syntax.env_calls.iter().any(|c| before.ends_with(c)) {
                true => env_finding(rules, value).into_iter().collect(),
                false => literal_findings(rules, value, Some(value), false, None),
            };
            for s in specs {
                let text = lines.line_text(src, span.line);
                out.push_finding(rules, text, span, s.rule_id, &s.vendor, s.kind, s.capability, s.severity, s.message);
            }
            i = end + 1;
        }
    }
}
