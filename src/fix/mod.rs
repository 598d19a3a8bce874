//! The codemod behind `lockin fix`: rewrites that keep behaviour, chosen from a scan's
//! findings and made as byte-range edits on the tree-sitter tree of each file.
//!
//! Input: a [`Report`] (its `client` and `model` findings pick the sites), the scanned
//! roots, the rules (which environment variable names a vendor's base URL) and the text of
//! each file. Output: per file, the rewritten text, one [`Change`] per finding rewritten
//! (the same edits SARIF carries as `fixes`) and a [`Note`] per site left alone with the
//! reason. Two rewrites:
//!
//! - an OpenAI-SDK client (Python `OpenAI`/`AsyncOpenAI`, LangChain `ChatOpenAI`, JS/TS
//!   `new OpenAI({...})`, `new ChatOpenAI({...})`) with a hard-coded or default endpoint
//!   reads its base URL from an environment variable, today's value as the default;
//! - with [`Options::lift_models`], a model name written at a call site (`model="gpt-4o"`)
//!   becomes one module-level setting per model, read from `LOCKIN_MODEL_<NAME>`.
//!
//! It never edits a file whose tree has ERROR or MISSING nodes, a call whose arguments are
//! spread from elsewhere (`**kwargs`, `...opts`), or a base URL that is not a literal
//! (it already comes from configuration): a second run changes nothing. Nothing here scans,
//! prints or writes files; `cli/fix_cmd.rs` does.

pub mod diff;
pub mod edit;
mod javascript;
mod python;

use crate::finding::{Finding, Kind};
use crate::lang::FileKind;
use crate::report::Report;
use crate::rules::RuleSet;
use edit::{Edit, Lines};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `lockin fix` rewrites.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Also lift model names written at call sites into module-level settings.
    pub lift_models: bool,
    /// Rewrite only code in these contexts (empty: every context).
    pub contexts: Vec<crate::context::CodeContext>,
}

/// One finding's rewrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The finding's fingerprint (SARIF results carry the change as their `fixes`).
    pub fingerprint: String,
    /// 1-based line of the finding.
    pub line: u32,
    /// 1-based column of the finding.
    pub column: u32,
    /// One sentence: what the rewrite does.
    pub description: String,
    /// The edits of this site.
    pub edits: Vec<Edit>,
    /// Edits the site needs that other sites may share (`import os`, a model constant):
    /// made once per file.
    pub shared: Vec<Edit>,
}

/// A site the codemod looked at and left alone, or a file it did not touch, with why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// Path as in the report.
    pub path: String,
    /// 1-based line (0: the whole file).
    pub line: u32,
    /// Why.
    pub message: String,
}

/// The codemod's result for one file.
#[derive(Debug, Clone)]
pub struct FileFix {
    /// Path as in the report.
    pub path: String,
    /// The file on disk.
    pub file: PathBuf,
    /// The text read.
    pub original: String,
    /// The text with every change applied.
    pub fixed: String,
    /// What changed, in source order.
    pub changes: Vec<Change>,
}

/// The codemod's result for a scan.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Files with at least one change, sorted by path.
    pub files: Vec<FileFix>,
    /// Sites and files left alone, sorted by path and line.
    pub notes: Vec<Note>,
}

/// Where a change's edits come from: a site found in the tree.
pub(crate) struct Site<'f> {
    pub finding: &'f Finding,
    /// Byte offset of the finding's start.
    pub at: usize,
}

/// What a language's rewriter is asked for one file.
pub(crate) struct Request<'a, 'f> {
    pub text: &'a str,
    pub kind: FileKind,
    pub clients: Vec<Site<'f>>,
    pub models: Vec<Site<'f>>,
    pub rules: &'a RuleSet,
}

/// What a language's rewriter answers: changes, or the reason a site is left alone.
pub(crate) type Answer = Result<Vec<Change>, String>;

/// A rewriter's answers, one per site; an error leaves the whole file alone.
pub(crate) type Answers<'f> = Result<Vec<(&'f Finding, Answer)>, String>;

/// Why a file is left alone as a whole: the line of its first ERROR or MISSING node.
/// Iterative: the walk's depth is the tree's, without recursion.
pub(crate) fn syntax_error(tree: &tree_sitter::Tree) -> Option<String> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            let what = if node.is_missing() { "a missing token" } else { "a syntax error" };
            return Some(format!(
                "not rewritten: it does not parse cleanly ({what} at line {})",
                node.start_position().row + 1
            ));
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return Some("not rewritten: it does not parse cleanly".into());
            }
        }
    }
}

/// The call-like nodes of `kinds` that start at byte `at`, innermost first.
pub(crate) fn calls_at<'t>(root: tree_sitter::Node<'t>, at: usize, kinds: &[&str]) -> Vec<tree_sitter::Node<'t>> {
    let mut out = Vec::new();
    let mut node = root.descendant_for_byte_range(at, at);
    while let Some(n) = node {
        if n.start_byte() != at {
            break;
        }
        if kinds.contains(&n.kind()) {
            out.push(n);
        }
        node = n.parent();
    }
    out
}

/// The quote the file writes strings with: `'` when more of its one-line string literals
/// open with it, else `"`. Iterative walk over the tree.
pub(crate) fn quote_of(root: tree_sitter::Node<'_>, text: &str) -> char {
    let (mut single, mut double) = (0u32, 0u32);
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.kind() == "string" {
            let t = text_of(node, text).trim_start_matches(|c: char| c.is_ascii_alphabetic());
            if !t.starts_with("'''") && !t.starts_with("\"\"\"") {
                match t.chars().next() {
                    Some('\'') => single += 1,
                    Some('"') => double += 1,
                    _ => {}
                }
            }
        } else if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return if single > double { '\'' } else { '"' };
            }
        }
    }
}

/// `a.b.c` of a chain of identifiers joined by `member` nodes whose name is the field
/// `property` (Python `attribute`/`attribute`, JS `member_expression`/`property`),
/// iteratively; `None` for anything else.
pub(crate) fn dotted(node: tree_sitter::Node<'_>, text: &str, member: &str, property: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut n = node;
    loop {
        match n.kind() {
            "identifier" => {
                parts.push(text_of(n, text));
                break;
            }
            k if k == member => {
                parts.push(text_of(n.child_by_field_name(property)?, text));
                n = n.child_by_field_name("object")?;
            }
            _ => return None,
        }
    }
    parts.reverse();
    Some(parts.join("."))
}

/// The imported path a dotted name stands for: `openai.OpenAI` for `OpenAI` when the
/// module binds `OpenAI` to `openai.OpenAI`.
pub(crate) fn canonical(imports: &std::collections::HashMap<String, String>, dotted: &str) -> Option<String> {
    let (first, rest) = dotted.split_once('.').map_or((dotted, None), |(a, b)| (a, Some(b)));
    let base = imports.get(first)?;
    Some(match rest {
        Some(r) => format!("{base}.{r}"),
        None => base.clone(),
    })
}

/// The byte after the newline that ends the line holding `at` (the text's end if none).
pub(crate) fn next_line(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// How a module declares a lifted model setting: where (`at`, the names it assigns
/// already), the edits every lift needs (`import os`), and the declaration's text from
/// `(setting, variable, literal)`.
pub(crate) struct Settings<'a> {
    pub at: usize,
    pub assigned: &'a [String],
    pub nl: &'a str,
    pub needs: Vec<Edit>,
    pub declare: &'a dyn Fn(&str, &str, &str) -> String,
}

/// The change that replaces the model literal `string` of a finding with its setting,
/// declared once per module; `None` for a literal that names no setting.
pub(crate) fn lift(
    finding: &Finding,
    string: tree_sitter::Node<'_>,
    literal: &str,
    s: &Settings<'_>,
) -> Option<Change> {
    let name = model_setting(plain_literal(literal)?);
    if name == "MODEL" {
        return None;
    }
    let env = format!("LOCKIN_{name}");
    let mut shared = s.needs.clone();
    if !s.assigned.contains(&name) {
        shared.push(Edit::insert(s.at, s.nl.to_string()));
        shared.push(Edit::insert(s.at, format!("{}{}", (s.declare)(&name, &env, literal), s.nl)));
    }
    Some(Change {
        fingerprint: finding.fingerprint.clone(),
        line: finding.line,
        column: finding.column,
        description: format!("lift the model name {literal} into the setting {name} (environment variable {env})"),
        edits: vec![Edit { start: string.start_byte(), end: string.end_byte(), text: name }],
        shared,
    })
}

/// Source text of a node.
pub(crate) fn text_of<'a>(node: tree_sitter::Node<'_>, text: &'a str) -> &'a str {
    &text[node.byte_range()]
}

/// The named children of a node that are not comments.
pub(crate) fn items(node: tree_sitter::Node<'_>) -> Vec<tree_sitter::Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect()
}

/// A value shortened for a note.
pub(crate) fn shown(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        format!("{}...", one.chars().take(57).collect::<String>())
    } else {
        one
    }
}

/// The file a report path names: below the one root, or the root itself when it is a file;
/// with several roots paths already start with the root as given.
pub fn file_of(roots: &[PathBuf], path: &str) -> PathBuf {
    match roots {
        [root] if root.is_file() => root.clone(),
        [root] => root.join(path),
        _ => PathBuf::from(path),
    }
}

/// Plans the rewrites for every file of `report` that has a candidate site.
pub fn plan(report: &Report, roots: &[PathBuf], rules: &RuleSet, opts: Options) -> Plan {
    let mut by_path: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        let kind = f.kind == Kind::Client || (opts.lift_models && f.kind == Kind::Model);
        let wanted = kind && (opts.contexts.is_empty() || opts.contexts.contains(&report.context_of(f)));
        if wanted {
            by_path.entry(f.path.as_str()).or_default().push(f);
        }
    }
    let mut out = Plan::default();
    for (path, findings) in by_path {
        let file = file_of(roots, path);
        match plan_file(path, &file, &findings, rules) {
            Ok((fix, notes)) => {
                out.notes.extend(notes);
                if let Some(fix) = fix {
                    out.files.push(fix);
                }
            }
            Err(message) => out.notes.push(Note { path: path.to_string(), line: 0, message }),
        }
    }
    out.notes.sort();
    out
}

/// One file: read, parse, ask the language's rewriter, apply.
fn plan_file(
    path: &str,
    file: &Path,
    findings: &[&Finding],
    rules: &RuleSet,
) -> Result<(Option<FileFix>, Vec<Note>), String> {
    let Some(kind) = FileKind::from_path(file).filter(|k| rewritable(*k)) else {
        return Ok((None, Vec::new()));
    };
    let text = std::fs::read_to_string(file).map_err(|e| format!("not rewritten: cannot read it as UTF-8 ({e})"))?;
    let (fix, notes) = plan_text(path, kind, &text, findings, rules)?;
    Ok((
        fix.map(|t| FileFix {
            path: path.into(),
            file: file.into(),
            original: text,
            fixed: t.fixed,
            changes: t.changes,
        }),
        notes,
    ))
}

/// The languages the codemod writes.
fn rewritable(kind: FileKind) -> bool {
    matches!(kind, FileKind::Python | FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx)
}

/// A file's text with its changes applied.
#[derive(Debug, Clone)]
pub struct TextFix {
    /// The rewritten text.
    pub fixed: String,
    /// The changes made, in source order.
    pub changes: Vec<Change>,
}

/// The rewrite of one file's text: `(fixed text, changes)` when anything changes, and the
/// notes on sites left alone; an error when the file is left alone as a whole.
pub fn plan_text(
    path: &str,
    kind: FileKind,
    text: &str,
    findings: &[&Finding],
    rules: &RuleSet,
) -> Result<(Option<TextFix>, Vec<Note>), String> {
    if crate::detect::budget::too_large(text).is_some() {
        return Err("not rewritten: larger than the parse limit (2 MiB)".into());
    }
    let lines = Lines::new(text);
    let mut req = Request { text, kind, clients: Vec::new(), models: Vec::new(), rules };
    for f in findings {
        let Some(at) = lines.offset(f.line, f.column) else { continue };
        let site = Site { finding: f, at };
        match f.kind {
            Kind::Client => req.clients.push(site),
            Kind::Model => req.models.push(site),
            _ => {}
        }
    }
    let answers = match kind {
        FileKind::Python => python::rewrite(&req)?,
        _ => javascript::rewrite(&req)?,
    };
    let mut notes = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    let mut taken: Vec<Edit> = Vec::new();
    for (finding, answer) in answers {
        match answer {
            Ok(found) => {
                for c in found {
                    if c.edits.iter().any(|e| edit::overlaps(e, &taken)) {
                        notes.push(note(path, finding, "left alone: it overlaps another rewrite of this file".into()));
                        continue;
                    }
                    taken.extend(c.edits.iter().cloned());
                    changes.push(c);
                }
            }
            Err(why) => notes.push(note(path, finding, why)),
        }
    }
    if changes.is_empty() {
        return Ok((None, notes));
    }
    changes.sort_by_key(|c| (c.line, c.column));
    let mut all: Vec<Edit> = Vec::new();
    let mut shared: Vec<Edit> = Vec::new();
    for c in &changes {
        all.extend(c.edits.iter().cloned());
        for s in &c.shared {
            if !shared.contains(s) {
                shared.push(s.clone());
            }
        }
    }
    // Shared insertions first at their point: `import os` before the constants after it.
    let mut ordered = shared;
    ordered.extend(all);
    Ok((Some(TextFix { fixed: edit::apply(text, &ordered), changes }), notes))
}

fn note(path: &str, f: &Finding, message: String) -> Note {
    Note { path: path.to_string(), line: f.line, message }
}

/// The environment variable that names a vendor's base URL: `<VENDOR>_BASE_URL` when the
/// vendor's rules declare it, else the first `*_BASE_URL` they declare, else
/// `<VENDOR>_BASE_URL` (the name the OpenAI SDKs themselves read for `openai`).
pub fn base_url_env(rules: &RuleSet, vendor: &str) -> String {
    let wanted = format!("{}_BASE_URL", vendor.to_ascii_uppercase().replace(['-', '.'], "_"));
    let declared = rules.vendor(vendor).map(|v| v.env.as_slice()).unwrap_or_default();
    if declared.contains(&wanted) {
        return wanted;
    }
    declared.iter().find(|e| e.ends_with("_BASE_URL")).cloned().unwrap_or(wanted)
}

/// The setting a lifted model name gets: `MODEL_GPT_4O`, read from `LOCKIN_MODEL_GPT_4O`.
pub fn model_setting(model: &str) -> String {
    let mut s = String::from("MODEL_");
    let mut last_underscore = true;
    for c in model.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_uppercase());
            last_underscore = false;
        } else if !last_underscore {
            s.push('_');
            last_underscore = true;
        }
    }
    s.trim_end_matches('_').to_string()
}

/// The URL an OpenAI-SDK client uses when no base URL is given: the SDKs' default
/// (openai-python `_client.py`, openai-node `client.ts`: `https://api.openai.com/v1`).
pub const OPENAI_DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

/// A string literal's value when it is plain (quoted, no prefix, escape or interpolation).
pub(crate) fn plain_literal(source: &str) -> Option<&str> {
    let q = source.chars().next()?;
    if !matches!(q, '"' | '\'' | '`') || source.len() < 2 || !source.ends_with(q) {
        return None;
    }
    let inner = &source[1..source.len() - 1];
    let interpolated = q == '`' && inner.contains("${");
    (!inner.contains(['\\', q, '\n']) && !interpolated).then_some(inner)
}

/// The SARIF `fixes` of a plan: per finding fingerprint, `(description, path, replacements)`
/// with 1-based line/column regions of the original text. A change whose text holds a
/// key-shaped token is left out: reports never print a secret, and a masked fix would
/// write the mask into the code.
pub fn sarif_fixes(plan: &Plan) -> BTreeMap<String, crate::report::Fix> {
    let mut out = BTreeMap::new();
    for file in &plan.files {
        let lines = Lines::new(&file.original);
        for c in &file.changes {
            let mut edits: Vec<&Edit> = c.shared.iter().chain(&c.edits).collect();
            let has_key = |s: &str| !crate::detect::keys::key_ranges(s).is_empty();
            if has_key(&c.description) || edits.iter().any(|e| has_key(&e.text)) {
                continue;
            }
            edits.sort_by_key(|e| (e.start, e.end));
            let replacements = edits
                .iter()
                .map(|e| {
                    let (start_line, start_column) = lines.position(e.start);
                    let (end_line, end_column) = lines.position(e.end);
                    crate::report::Replacement { start_line, start_column, end_line, end_column, text: e.text.clone() }
                })
                .collect();
            let fix = crate::report::Fix { description: c.description.clone(), path: file.path.clone(), replacements };
            out.insert(c.fingerprint.clone(), fix);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_model_settings() {
        assert_eq!(model_setting("gpt-4o"), "MODEL_GPT_4O");
        assert_eq!(model_setting("claude-3-5-sonnet-20241022"), "MODEL_CLAUDE_3_5_SONNET_20241022");
        assert_eq!(model_setting("openai/gpt-4.1-mini"), "MODEL_OPENAI_GPT_4_1_MINI");
    }

    #[test]
    fn reads_only_plain_literals() {
        assert_eq!(plain_literal("\"gpt-4o\""), Some("gpt-4o"));
        assert_eq!(plain_literal("'x'"), Some("x"));
        assert_eq!(plain_literal("f\"x{y}\""), None);
        assert_eq!(plain_literal("`a${b}`"), None);
        assert_eq!(plain_literal("\"a\\n\""), None);
    }

    #[test]
    fn picks_the_declared_base_url_variable() {
        let rules = crate::rules::load_embedded();
        assert_eq!(base_url_env(&rules, "anthropic"), "ANTHROPIC_BASE_URL");
        assert_eq!(base_url_env(&rules, "openai"), "OPENAI_BASE_URL");
        assert_eq!(base_url_env(&rules, "azure-openai"), "AZURE_OPENAI_BASE_URL");
    }
}
