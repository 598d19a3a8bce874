//! What the language front ends share once a file's syntax is read: inferring a call on an
//! unresolved receiver, moving an SDK's import to the vendor its clients point at, and
//! reading literals from text that is not parsed. Language-neutral: callers pass names and
//! text; findings are worded in [`super::emit`].

use super::matcher::Served;
use super::{emit, FileOutput, LineIndex};
use crate::ecosystem::Ecosystem;
use crate::finding::{Kind, Severity};
use crate::rules::{kind_rule_id, ClientDef, Operation, RuleSet};
use std::collections::HashMap;

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
    lang: Ecosystem,
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
                rules.clients.iter().filter(|d| d.ecosystem == lang && d.vendor == *vendor && d.vendor_from.is_none());
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

/// The syntax tree of a source, parsed with `parse`; `None` once the source was scanned as
/// text instead (too large to parse, [`super::budget::too_large`]) or the parser gave up, which
/// `out` then says. A tree with syntax errors is returned and noted.
pub fn parse_or_scan(
    src: &str,
    rules: &RuleSet,
    syntax: &TextSyntax,
    parse: impl FnOnce(&str) -> Option<tree_sitter::Tree>,
    out: &mut FileOutput,
) -> Option<tree_sitter::Tree> {
    if let Some(why) = super::budget::too_large(src) {
        out.add_error(why);
        scan_text(src, rules, &LineIndex::new(src), syntax, out);
        return None;
    }
    let Some(tree) = parse(src) else {
        out.add_error("tree-sitter could not parse the file".into());
        return None;
    };
    if tree.root_node().has_error() {
        out.syntax_errors = true;
    }
    Some(tree)
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
            let found = match syntax.env_calls.iter().any(|c| before.ends_with(c)) {
                true => emit::env(rules, value).into_iter().collect(),
                false => emit::literal(rules, value, Some(value), false, None),
            };
            for e in found {
                out.emit(rules, lines.line_text(src, span.line), span, e);
            }
            i = end + 1;
        }
    }
}

/// The calls (nodes of kind `call`) that start after `made` ends inside the innermost function
/// body enclosing `from` (its first ancestor of a kind in `bodies`), in written order, that
/// `keep` accepts: the later sends of a request or call object that a language keeps in a
/// variable (Go's `client.Do(req)` after `req, _ := http.NewRequest(..)`, Java's
/// `call.execute()` after `Call call = client.newCall(request);`). An explicit work list: no
/// recursion grows with the body.
pub fn later_calls<'t>(
    from: tree_sitter::Node<'t>,
    made: tree_sitter::Node<'t>,
    bodies: &[&str],
    call: &str,
    mut keep: impl FnMut(tree_sitter::Node<'t>) -> bool,
) -> Vec<tree_sitter::Node<'t>> {
    let mut body = Some(from);
    while let Some(b) = body.filter(|b| !bodies.contains(&b.kind())) {
        body = b.parent();
    }
    let Some(body) = body else { return Vec::new() };
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if n.kind() == call && n.start_byte() > made.end_byte() && keep(n) {
            out.push(n);
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    out.sort_by_key(|n| n.start_byte());
    out
}

/// The named children of `node` of one kind: a template's or f-string's holes
/// (`template_substitution`, `interpolation`), which each front end visits as code.
pub fn children_of_kind<'t>(node: tree_sitter::Node<'t>, kind: &str) -> Vec<tree_sitter::Node<'t>> {
    let mut cursor = node.walk();
    let v: Vec<tree_sitter::Node<'t>> = node.named_children(&mut cursor).filter(|c| c.kind() == kind).collect();
    v
}
