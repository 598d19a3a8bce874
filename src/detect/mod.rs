//! Detection: one source file in, its findings out. Dispatches on [`FileKind`] to the
//! Python, JavaScript, Rust or Go extractor, the notebook reader or the manifest readers, and afterwards resolves
//! calls through clients that one module of the tree exports and another imports.
//! Detectors never print, never score and never render.

pub mod budget;
pub mod common;
pub mod csharp;
pub mod emit;
pub mod field;
pub mod go;
pub mod http;
pub mod inherit;
pub mod java;
pub mod javascript;
pub mod jvm;
pub mod kept;
pub mod keys;
pub mod kotlin;
pub mod lower;
pub mod manifest;
pub mod matcher;
pub mod notebook;
pub mod params;
pub mod path;
pub mod pending;
pub mod python;
pub mod resolve;
pub mod rust_lower;
pub mod settings;
pub mod spill;
pub mod spring;
pub mod tables;
pub mod template;

use crate::ecosystem::Ecosystem;
use crate::finding::{Finding, Kind};
use crate::lang::FileKind;
use crate::rules::RuleSet;
use path::{ArgValue, Path, Seg};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A 1-based span (columns in Unicode characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Start line.
    pub line: u32,
    /// Start column.
    pub column: u32,
    /// End line.
    pub end_line: u32,
    /// End column.
    pub end_column: u32,
}

/// A node's parent and grandparent, as far as they are known. A visitor that descends from
/// the root keeps its ancestors and hands them down: tree-sitter finds a node's parent by
/// descending from the root again, and asking that of every string and member of a large
/// file made its scan grow with the square of its length (issue 15).
pub type Up<'t> = [Option<tree_sitter::Node<'t>>; 2];

/// `node`'s parent and grandparent, asked of the tree (where no visitor carries them).
pub fn up_of(node: tree_sitter::Node<'_>) -> Up<'_> {
    let parent = node.parent();
    [parent, parent.and_then(|p| p.parent())]
}

/// The [`Up`] of a node visited under `ancestors` (the root first, its parent last).
pub fn up_in<'t>(ancestors: &[tree_sitter::Node<'t>]) -> Up<'t> {
    let n = ancestors.len();
    [n.checked_sub(1).map(|i| ancestors[i]), n.checked_sub(2).map(|i| ancestors[i])]
}

/// Byte offsets of line starts, for the one byte → (line, character column) conversion.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of each line's start. A line ends at `\n`, `\r\n` or a lone `\r`.
    starts: Vec<usize>,
    /// Characters before each [`BLOCK`] bytes of the source; `None` when it is all ASCII
    /// (a column is then a byte count). A column costs at most one block of counting, so
    /// positions stay linear in the file however long its lines are.
    chars: Option<Vec<usize>>,
}

/// Bytes between two character counts kept by [`LineIndex`].
const BLOCK: usize = 4096;

/// Characters starting in `bytes` (UTF-8 continuation bytes start none).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl LineIndex {
    /// Indexes `src` in one pass.
    pub fn new(src: &str) -> LineIndex {
        let bytes = src.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        let chars = (!src.is_ascii()).then(|| {
            let mut total = 0;
            let mut v = vec![0];
            for block in bytes.chunks(BLOCK) {
                total += char_starts(block);
                v.push(total);
            }
            v
        });
        LineIndex { starts, chars }
    }

    /// Characters before byte `at`.
    fn chars_before(&self, src: &str, at: usize) -> usize {
        match &self.chars {
            None => at,
            Some(blocks) => blocks[at / BLOCK] + char_starts(&src.as_bytes()[at / BLOCK * BLOCK..at]),
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, src: &str, byte: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= byte).max(1) - 1;
        let start = self.starts[line];
        let end = byte.min(src.len()).max(start);
        let col = self.chars_before(src, end) - self.chars_before(src, start);
        (line as u32 + 1, col as u32 + 1)
    }

    /// The span of a byte range.
    pub fn span(&self, src: &str, start: usize, end: usize) -> Span {
        let (line, column) = self.position(src, start);
        let (end_line, end_column) = self.position(src, end);
        Span { line, column, end_line, end_column }
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text<'s>(&self, src: &'s str, line: u32) -> &'s str {
        let i = (line as usize).saturating_sub(1);
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let end = self.starts.get(i + 1).copied().unwrap_or(src.len());
        src.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }
}

/// The snippet of a finding: the line, trimmed, at most 200 characters, key-shaped tokens
/// masked (the whole line is masked before it is cut, so that no key is cut in two).
pub fn snippet(rules: &RuleSet, line: &str) -> String {
    let redacted = matcher::redact(rules, line.trim());
    if redacted.chars().count() <= 200 {
        return redacted.into_owned();
    }
    let mut s: String = redacted.chars().take(199).collect();
    s.push('…');
    s
}

/// The first segment of a path through a type named in a comment and declared in another
/// file of the tree (a JSDoc `@typedef`, global to the project): `jsdoc:OpenAIClient`. A
/// module that declares one exports it under this name.
pub const JSDOC_GLOBAL: &str = "jsdoc:";

/// The first segment of a path through a name another file of the same Go package declares:
/// `go:` and the package's folder.
pub const GO_PACKAGE: &str = "go:";

/// How many trailing elements of a Go import path must name a folder of the tree for the
/// import to be that package, when the folder has more elements than match
/// ([`LocalModules::go_package`]).
const GO_IMPORT_MATCH: usize = 2;

/// The first segment of a path through a service a class is given by injection, by the type
/// it asks for (`service:Kernel`, `service:ChatClient.Builder`): a file that registers one
/// (`builder.Services.AddOpenAIChatClient(...)`, a Spring `@Bean` method, the provider chosen
/// in `application.yml`) exports it under this name, for the files of its project
/// ([`services_for`]).
pub const SERVICE: &str = "service:";

/// Between a service's type and the qualified name of the framework model interface it is
/// (`service:ChatModel@dev.langchain4j.model.chat.ChatModel`, rules `[[interface]]`): where
/// the project registers nothing of the type, a call through it is a call of each
/// implementation the project builds ([`IMPLEMENTATION`]).
pub const INTERFACE: &str = "@";

/// The export key prefix, followed by the client api, of a construction of a framework model
/// interface's implementation (`OpenAiChatModel.builder()...build()` under `langchain4j`).
pub const IMPLEMENTATION: &str = "\0impl:";

/// The service type a service head names, without the interface it is ([`INTERFACE`]).
fn service_key(name: &str) -> &str {
    name.split_once(INTERFACE).map_or(name, |(k, _)| k)
}

/// The framework model interface a service head names ([`INTERFACE`]).
fn interface_of(name: &str) -> Option<&str> {
    name.starts_with(SERVICE).then(|| name.split_once(INTERFACE).map(|(_, q)| q)).flatten()
}

/// Whether a source holds a string literal that starts with a URL scheme (`"https://`,
/// `'http://`, `` `https://${host}` ``, `f"https://`).
fn has_url_literal(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"http").any(|i| i > 0 && matches!(bytes[i - 1], b'"' | b'\'' | b'`'))
}

/// The export key of a module's single export (`module.exports = value` in CommonJS).
pub const MODULE_EXPORTS: &str = "module.exports";

/// The pseudo file under which [`exports_of`] gathers the tree's global type names.
const GLOBALS: &str = "\0globals";

/// A call whose path starts in another module of the scanned tree.
#[derive(Debug, Clone)]
pub struct PendingCall {
    /// The canonical path, rooted at a local module.
    pub path: Path,
    /// Where the call is.
    pub span: Span,
    /// What the call is taken for when the other module says nothing of it (an operation
    /// inferred from the file's imports).
    pub fallback: Vec<Finding>,
}

/// What detection produced for one file.
#[derive(Debug, Default)]
pub struct FileOutput {
    /// Findings, unsorted.
    pub findings: Vec<Finding>,
    /// Module-level names bound to vendor paths (`client`, `get_client()`).
    pub exports: Vec<(String, Path)>,
    /// Calls to resolve through other modules' exports, as detection finds them; packed
    /// into `packed` when the file is done ([`FileOutput::pending_calls`] reads both).
    pub pending: Vec<PendingCall>,
    packed: pending::Packed,
    /// Findings packed until linking ([`FileOutput::keep_findings`]).
    kept: Option<kept::Kept>,
    /// Top-level names bound to strings that name a vendor's host (`MOONSHOT_BASE_URL`,
    /// `Moonshot` of `Moonshot.ExampleEndpoint`): a module importing them requests that
    /// vendor without spelling its host ([`resolve::Front::url_names`]).
    pub url_names: Vec<String>,
    /// A problem that stopped detection in this file.
    pub error: Option<String>,
    /// The parser recovered from syntax errors.
    pub syntax_errors: bool,
    /// Problems that did not stop detection, said in `stats.errors`.
    pub notes: Vec<String>,
    /// Files a requirements file includes (`-r other.txt`), as written.
    pub includes: Vec<String>,
    /// Resolution steps taken ([`budget::Budget`]).
    pub resolution_steps: u64,
    rel: String,
    language: &'static str,
    ecosystem: Ecosystem,
    snippets: Vec<(u32, String)>,
    /// Snippets made so far, by line and the line's length: a line is masked once however
    /// many findings it holds.
    made: HashMap<(u32, usize), String>,
    /// The vendors of this file's import findings, in order (`common::imported_vendors`).
    imported: Vec<String>,
    /// Requests reported at a call of a function of this file (`resolve::Front::wrapped_request`):
    /// the finding's line and column, and the lines the function spans. The function's own
    /// request, read with its parameters bound to the callers' arguments, stands for them
    /// once the file is linked ([`FileOutput::drop_wrapped_duplicates`]).
    pub through_helpers: Vec<(u32, u32, std::ops::RangeInclusive<u32>)>,
}

impl FileOutput {
    /// The source line `line` as the pending calls kept it, for a finding reported there in
    /// the cross-module pass (empty when none was kept).
    fn snippet_at(&self, line: u32) -> String {
        self.snippets.iter().find(|(l, _)| *l == line).map_or(String::new(), |(_, s)| s.clone())
    }

    /// An empty output for the file at `rel`.
    pub fn new(rel: &str, language: FileKind) -> FileOutput {
        FileOutput {
            rel: rel.to_string(),
            language: language.finding_language(),
            ecosystem: language.ecosystem(),
            ..FileOutput::default()
        }
    }

    /// Drops the requests reported at calls of a function of the file whose own request the
    /// file reports with the same rule and vendor (shinkai's `handle_streaming_response(client,
    /// url, ..)` beside the helper's `client.post(url)`, reached with the caller's URL): one
    /// request, reported where it is sent. A helper whose request is out of sight (an SDK or a
    /// request object the file cannot read) keeps its callers' findings; another caller's
    /// finding inside the helper is no request of its own.
    fn drop_wrapped_duplicates(&mut self) {
        let through = std::mem::take(&mut self.through_helpers);
        let is_wrapper = |f: &Finding| through.iter().any(|(l, c, _)| f.line == *l && f.column == *c);
        let sent_inside = |w: &Finding, lines: &std::ops::RangeInclusive<u32>| {
            self.findings.iter().any(|f| {
                f.kind == w.kind
                    && f.rule_id == w.rule_id
                    && f.vendor == w.vendor
                    && lines.contains(&f.line)
                    && !is_wrapper(f)
            })
        };
        let drop: Vec<bool> = self
            .findings
            .iter()
            .map(|w| {
                w.kind == Kind::Call
                    && through.iter().any(|(l, c, lines)| w.line == *l && w.column == *c && sent_inside(w, lines))
            })
            .collect();
        let mut i = 0;
        self.findings.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
    }

    /// Records a problem: the file's error, or one more part of it.
    pub fn add_error(&mut self, message: String) {
        match &mut self.error {
            Some(e) => {
                e.push_str("; ");
                e.push_str(&message);
            }
            None => self.error = Some(message),
        }
    }

    /// Adds a finding at `span`; `line_text` is the source line of `span.line`, for the snippet.
    pub fn emit(&mut self, rules: &RuleSet, line_text: &str, span: Span, e: emit::Emit) {
        let emit::Emit { rule_id, vendor, kind, capability, severity, message, subject, configurable } = e;
        // One expression, one finding per rule and vendor: `createOpenAI({...})("gpt-4o")`
        // builds a provider and then a model from it, both starting at the same place.
        if kind == Kind::Client
            && self.findings.iter().rev().take(8).any(|f| {
                f.kind == kind
                    && f.line == span.line
                    && f.column == span.column
                    && f.rule_id == rule_id
                    && f.vendor == vendor
            })
        {
            return;
        }
        let snippet =
            self.made.entry((span.line, line_text.len())).or_insert_with(|| snippet(rules, line_text)).clone();
        let message = matcher::redact(rules, &message).into_owned();
        if kind == Kind::Import {
            let vendor = rule_id.trim_end_matches(".import");
            if !self.imported.iter().any(|v| v == vendor) {
                self.imported.push(vendor.to_string());
            }
        }
        self.findings.push(Finding {
            rule_id,
            vendor,
            kind,
            capability,
            language: self.language.to_string(),
            path: self.rel.clone(),
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            snippet,
            severity,
            message,
            portability: None,
            configurable,
            fingerprint: String::new(),
            subject,
            test_code: false,
        });
    }

    /// The ecosystem whose rules applied to the file.
    pub fn ecosystem(&self) -> Ecosystem {
        self.ecosystem
    }

    /// The file's path in the tree.
    pub fn rel(&self) -> &str {
        &self.rel
    }

    /// Every pending call: those packed when detection ended, then any pushed since.
    pub fn pending_calls(&self) -> Vec<PendingCall> {
        let mut calls = self.packed.unpack();
        calls.extend(self.pending.iter().cloned());
        calls
    }

    /// The bytes the packed pending calls and their snippet lines take (`LOCKIN_DEBUG_TIMING`).
    pub fn pending_size(&self) -> usize {
        self.packed.size() + self.snippets.iter().map(|(_, s)| s.len()).sum::<usize>()
    }

    /// Packs the findings until linking ([`kept`]): a parsed file keeps them until the whole
    /// tree is read. [`resolve_pending`] and [`FileOutput::into_findings`] unpack them.
    pub fn keep_findings(&mut self) {
        let mut findings = self.kept.take().map(kept::Kept::unpack).unwrap_or_default();
        findings.append(&mut self.findings);
        self.kept = Some(kept::Kept::pack(findings));
    }

    /// Unpacks the findings [`FileOutput::keep_findings`] packed, before any made since.
    fn restore_findings(&mut self) {
        if let Some(kept) = self.kept.take() {
            let mut findings = kept.unpack();
            findings.append(&mut self.findings);
            self.findings = findings;
        }
    }

    /// Every finding of the file, packed or not.
    pub fn into_findings(mut self) -> Vec<Finding> {
        self.restore_findings();
        self.findings
    }

    /// How many findings the file has, packed or not.
    pub fn findings_len(&self) -> usize {
        self.findings.len() + self.kept.as_ref().map_or(0, kept::Kept::len)
    }

    /// Forgets every finding, packed or not.
    pub fn clear_findings(&mut self) {
        self.findings.clear();
        self.kept = None;
    }

    /// Forgets every pending call.
    pub fn clear_pending(&mut self) {
        self.pending = Vec::new();
        self.packed = pending::Packed::default();
    }

    /// Packs the pending calls until linking: one buffer instead of a tree of allocations per
    /// call, kept by every parsed file until the whole tree is read ([`pending`]).
    fn pack_pending(&mut self) {
        if !self.pending.is_empty() {
            let mut calls = self.packed.unpack();
            calls.append(&mut self.pending);
            self.packed = pending::Packed::pack(&calls);
            self.pending = Vec::new();
        }
    }

    fn remember_snippets(&mut self, src: &str) {
        // Pending calls are matched after the source is gone: keep their lines.
        let lines = LineIndex::new(src);
        let mut wanted: Vec<u32> = self.pending.iter().map(|p| p.span.line).collect();
        wanted.sort_unstable();
        wanted.dedup();
        self.snippets = wanted.into_iter().map(|l| (l, lines.line_text(src, l).to_string())).collect();
    }
}

/// The Python modules of the scanned tree, by every dotted suffix of their name, so that
/// `from app.llm import client` finds `src/app/llm.py`.
#[derive(Debug, Default)]
pub struct LocalModules {
    by_suffix: HashMap<String, Vec<String>>,
    /// C# `global using` namespaces (and a `.csproj`'s `<Using Include>`), by the folder of
    /// the file that declares them: they apply to every C# file below it.
    cs_usings: Vec<(String, Vec<String>)>,
    /// The folders of the tree's `.csproj` files ([`LocalModules::add_csharp_projects`]).
    cs_projects: HashSet<String>,
    /// The folders of the projects each project's `<ProjectReference>`s name, by folder.
    cs_references: HashMap<String, Vec<String>>,
    /// Python files, and every folder holding one (directly or below).
    py_files: HashSet<String>,
    py_dirs: HashSet<String>,
    /// The tree's Go package folders by their last element ([`LocalModules::go_package`]).
    go_dirs: HashMap<String, Vec<String>>,
    /// Where each source file is on disk and what reads it, for constants read on demand.
    disk: HashMap<String, (std::path::PathBuf, FileKind)>,
    /// The largest file read on demand.
    max_filesize: u64,
    /// String constants of modules read on demand, by file ([`LocalModules::module_string`]).
    strings: std::sync::Mutex<HashMap<String, std::sync::Arc<ModuleStrings>>>,
    /// The literal parts of every vendor's API hosts, to tell a module that may hold a
    /// scheme-less host (`'api.anthropic.com'`) from one that cannot.
    host_words: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// URLs the tree's settings files set environment variables to ([`settings`]).
    env: std::sync::Arc<settings::TreeEnv>,
}

/// The strings a module binds at its top level, by name (`MOONSHOT_BASE_URL`) and by
/// property path for objects and enums (`Moonshot.ChatPath`), and the names it imports.
pub type ModuleStrings = HashMap<String, ModuleValue>;

/// What a module binds a top-level name to, for [`LocalModules::module_string`].
#[derive(Debug, Clone)]
pub enum ModuleValue {
    /// A string.
    Str(String),
    /// An import (or re-export): the path it names, followed where asked.
    Import(Path),
}

/// Files of one module of several (a Go package's folder) read for a name one of them binds.
const MODULE_FILES_READ: usize = 256;

/// Rust files of one crate read for the consts of a trait's implementors.
const RUST_MODULES_READ: usize = 512;

/// The largest module read for its constants alone.
const MODULE_STRINGS_MAX: u64 = 1 << 20;

impl LocalModules {
    /// Indexes the relative paths of the tree's Python files.
    pub fn new<'a>(rel_paths: impl IntoIterator<Item = &'a str>) -> LocalModules {
        let mut by_suffix: HashMap<String, Vec<String>> = HashMap::new();
        let (mut py_files, mut py_dirs) = (HashSet::new(), HashSet::new());
        for rel in rel_paths {
            // A Rust file is a module key of its own (`rs:src/config.rs`): rust.rs finds the
            // file a crate path names ([`rust_lower::RS_MODULE`]). C# modules are not resolved
            // across files (its global usings are [`LocalModules::add_csharp_usings`]).
            if rel.ends_with(".rs") {
                by_suffix.entry(format!("{}{rel}", rust_lower::RS_MODULE)).or_default().push(rel.to_string());
                continue;
            }
            if rel.ends_with(".cs") {
                continue;
            }
            // A Go package is its folder: its files see each other's names (`go:internal/llm`).
            if let Some(stem) = rel.strip_suffix(".go") {
                let dir = stem.rsplit_once('/').map_or("", |(d, _)| d);
                by_suffix.entry(format!("{GO_PACKAGE}{dir}")).or_default().push(rel.to_string());
                continue;
            }
            if let Some(stem) = js_stem(rel) {
                // `import { client } from "./lib/openai"` → `local:lib/openai`.
                by_suffix.entry(format!("local:{stem}")).or_default().push(rel.to_string());
                if let Some(dir) = stem.strip_suffix("/index") {
                    by_suffix.entry(format!("local:{dir}")).or_default().push(rel.to_string());
                }
                continue;
            }
            if rel.ends_with(".py") {
                py_files.insert(rel.to_string());
                let mut dir = rel;
                while let Some((d, _)) = dir.rsplit_once('/') {
                    py_dirs.insert(d.to_string());
                    dir = d;
                }
            }
            let (module, _) = module_name(rel);
            let parts: Vec<&str> = module.split('.').collect();
            for i in 0..parts.len() {
                let suffix = parts[i..].join(".");
                if !suffix.is_empty() {
                    by_suffix.entry(suffix).or_default().push(rel.to_string());
                }
            }
        }
        for v in by_suffix.values_mut() {
            v.sort_by_key(|p| (p.matches('/').count(), p.clone()));
        }
        let mut go_dirs: HashMap<String, Vec<String>> = HashMap::new();
        for dir in by_suffix.keys().filter_map(|k| k.strip_prefix(GO_PACKAGE)) {
            let last = dir.rsplit('/').next().unwrap_or(dir);
            go_dirs.entry(last.to_string()).or_default().push(dir.to_string());
        }
        for v in go_dirs.values_mut() {
            v.sort();
        }
        LocalModules { by_suffix, py_files, py_dirs, go_dirs, ..LocalModules::default() }
    }

    /// The same, knowing that some scanned roots are Python packages themselves: `roots`
    /// gives each such root's prefix among the relative paths (empty for a single root) and
    /// the package's name (its folder's). Scanning `src/khoj`, whose files import
    /// `khoj.utils.helpers`, the module is `utils/helpers.py` of the tree.
    pub fn with_package_roots(mut self, roots: &[(String, String)]) -> Self {
        for (prefix, name) in roots {
            let under = |rel: &str| match prefix.as_str() {
                "" => Some(rel.to_string()),
                p => rel.strip_prefix(&format!("{p}/")).map(str::to_string),
            };
            let files: Vec<(String, String)> =
                self.py_files.iter().filter_map(|rel| under(rel).map(|inner| (rel.clone(), inner))).collect();
            for (rel, inner) in files {
                let (module, _) = module_name(&inner);
                let key = if module.is_empty() { name.clone() } else { format!("{name}.{module}") };
                let entry = self.by_suffix.entry(key).or_default();
                if !entry.contains(&rel) {
                    entry.push(rel);
                    entry.sort_by_key(|p| (p.matches('/').count(), p.clone()));
                }
            }
        }
        self
    }

    /// The same, able to read the files' string constants on demand: `files` gives each
    /// source file's path on disk and kind; none larger than `max_filesize` is read.
    pub fn with_files(
        mut self,
        files: impl IntoIterator<Item = (String, std::path::PathBuf, FileKind)>,
        max_filesize: u64,
    ) -> Self {
        self.disk = files.into_iter().map(|(rel, path, kind)| (rel, (path, kind))).collect();
        self.max_filesize = max_filesize.min(MODULE_STRINGS_MAX);
        self
    }

    /// The same, with the URLs the tree's `.env`, compose and Kubernetes files set
    /// environment variables to: every file's base URL decision reads them.
    pub fn with_env(mut self, env: settings::TreeEnv) -> Self {
        self.env = std::sync::Arc::new(env);
        self
    }

    /// The string a module of the tree binds where `path` names it
    /// (`local:app/constant.MOONSHOT_BASE_URL`, `app.settings.Mistral.BASE`), following
    /// re-exports and imports at most `hops` modules. Each module is read and collected once,
    /// on demand, for its own top-level strings (not following its imports, so one read
    /// never causes another); the answer depends only on the files, so output stays
    /// deterministic whichever thread asks first.
    pub fn module_string(&self, path: &Path, rules: &RuleSet, hops: u8) -> Option<String> {
        let mut path = path.clone();
        for _ in 0..hops {
            let n = path.0.len();
            let k = (1..n).rev().find(|&k| !path.has_call_before(k) && self.has_module(&path.dotted(k)))?;
            // A called function is bound as `name()` (what it returns).
            let names: Vec<String> = path.0[k..]
                .iter()
                .map(|s| if s.call.is_some() { format!("{}()", s.name) } else { s.name.clone() })
                .collect();
            // A module of several files (a Go package is a folder): the file that binds the name.
            // Elsewhere several files under one key are different modules whose paths end
            // alike (`utils/endpoint.py` of two plugins): the first, as the key names it.
            let binds = |s: &ModuleStrings| {
                let (name, plain) = (&names[0], &path.0[k].name);
                let under = format!("{plain}.");
                s.contains_key(name) || s.contains_key(plain) || s.keys().any(|key| key.starts_with(&under))
            };
            let files = self.files(&path.dotted(k));
            let package = files.len() > 1 && files.iter().all(|f| f.ends_with(".go"));
            let strings = match files {
                [first, ..] if !package => self.strings_of(first, rules),
                _ => files.iter().take(MODULE_FILES_READ).map(|rel| self.strings_of(rel, rules)).find(|s| binds(s))?,
            };
            // The longest prefix of the name the module binds: `Moonshot.ChatPath`, or
            // `Moonshot` imported from elsewhere, then `.ChatPath` there.
            // (An imported function is bound by its name: `access` re-exported, then `access()` there.)
            let plain: Vec<&str> = path.0[k..].iter().map(|s| s.name.as_str()).collect();
            // A class's instance reads the class's own default (`LangDBParams().base_url`:
            // `base_url: str = LANGDB_BASE_URL` in the class, bound as `LangDBParams.base_url`).
            let constructed = |i: usize| {
                (i == names.len()
                    && i >= 2
                    && path.0[k + i - 2].call.as_deref().is_some_and(|a| !a.declared)
                    && path.0[k + i - 1].call.is_none())
                .then(|| strings.get(&plain[..i].join(".")).filter(|v| matches!(v, ModuleValue::Str(_))))
                .flatten()
            };
            let (bound, i) = (1..=names.len()).rev().find_map(|i| {
                let imported = || strings.get(&plain[..i].join(".")).filter(|v| matches!(v, ModuleValue::Import(_)));
                strings.get(&names[..i].join(".")).or_else(imported).or_else(|| constructed(i)).map(|v| (v, i))
            })?;
            match bound {
                ModuleValue::Str(s) if i == names.len() => return Some(s.clone()),
                ModuleValue::Str(_) => return None,
                ModuleValue::Import(p) => {
                    let rest = path.0[k + i..].to_vec();
                    path = p.clone();
                    path.0.extend(rest);
                }
            }
        }
        None
    }

    /// Whether a text may hold a vendor's host ([`LocalModules::host_words`], built the first
    /// time a module is asked for).
    fn may_name_a_host(&self, text: &[u8], rules: &RuleSet) -> bool {
        let words = self.host_words.get_or_init(|| {
            // The longest literal run of each glob (`*.openai.azure.com` → `openai.azure.com`).
            let words: Vec<&str> = rules
                .vendors
                .iter()
                .flat_map(|v| v.hosts.iter())
                .filter_map(|h| h.split(['*', '{', '}']).map(|p| p.trim_matches('.')).max_by_key(|p| p.len()))
                .filter(|w| w.len() >= 4)
                .collect();
            aho_corasick::AhoCorasick::new(words).ok()
        });
        words.as_ref().is_none_or(|w| w.is_match(text))
    }

    /// One module's top-level strings, read and collected once ([`LocalModules::module_string`]).
    fn strings_of(&self, rel: &str, rules: &RuleSet) -> std::sync::Arc<ModuleStrings> {
        let cached = self.strings.lock().unwrap_or_else(|e| e.into_inner()).get(rel).cloned();
        if let Some(s) = cached {
            return s;
        }
        let computed = std::sync::Arc::new(self.read_strings(rel, rules).unwrap_or_default());
        let mut map = self.strings.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(rel.to_string()).or_insert(computed).clone()
    }

    /// Reads and collects one module for [`LocalModules::module_string`]. A module with no
    /// URL literal in it (no `http` right after a quote: one in a comment or a licence header
    /// is no string) and no vendor's host holds none of the strings asked for and is not parsed.
    fn read_strings(&self, rel: &str, rules: &RuleSet) -> Option<ModuleStrings> {
        let started = debug_timing().then(std::time::Instant::now);
        let found = self.read_strings_timed(rel, rules);
        if let Some(t) = started {
            eprintln!("lockin timing: module strings {rel} {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        }
        found
    }

    fn read_strings_timed(&self, rel: &str, rules: &RuleSet) -> Option<ModuleStrings> {
        let (path, kind) = self.disk.get(rel)?;
        let bytes = crate::read::bytes(path, self.max_filesize).ok()?;
        // (A Rust module may only re-export one that has: it filters for itself.)
        if *kind != FileKind::Rust && !has_url_literal(&bytes) && !self.may_name_a_host(&bytes, rules) {
            return None;
        }
        let text = crate::read::decode(bytes)?.text;
        let run = std::panic::AssertUnwindSafe(|| match kind {
            FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx => {
                javascript::module_strings(&text, *kind, rules, rel, self)
            }
            FileKind::Python => python::module_strings(&text, rules, rel, self),
            FileKind::Rust => rust_lower::module_strings(&text, rules, rel, self),
            FileKind::Go => go::module_strings(&text, rules, rel, self),
            FileKind::Java => java::module_strings(&text, rules, self),
            FileKind::Kotlin => kotlin::module_strings(&text, rules, self),
            _ => None,
        });
        std::panic::catch_unwind(run).ok().flatten()
    }

    /// Records the `global using` namespaces file `rel` declares for the C# files of its folder.
    pub fn add_csharp_usings(&mut self, rel: &str, namespaces: Vec<String>) {
        if !namespaces.is_empty() {
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
            self.cs_usings.push((dir.to_string(), namespaces));
        }
    }

    /// Indexes the tree's C# files by project: each `.cs` file is a file of module
    /// `cs:<folder>` of the nearest `.csproj` above it (`cs:` when none is), whose types and
    /// their static members every file of the project sees ([`LocalModules::csharp_project`]).
    pub fn add_csharp_projects(&mut self, projects: &[String]) {
        self.cs_projects = projects.iter().cloned().collect();
        let cs: Vec<String> = self.disk.keys().filter(|r| r.ends_with(".cs")).cloned().collect();
        for rel in cs {
            let key = csharp_project_of(&self.cs_projects, &rel);
            self.by_suffix.entry(key).or_default().push(rel);
        }
        for files in self.by_suffix.values_mut() {
            files.sort();
        }
    }

    /// Records the projects that project file `rel` references (`..\\Defaults\\Defaults.csproj`,
    /// relative to its folder) by their folders in the tree.
    pub fn add_csharp_references(&mut self, rel: &str, references: Vec<String>) {
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let folders: Vec<String> = references
            .iter()
            .map(|r| {
                let target = crate::walk::normalize_rel(&format!("{dir}/{}", r.replace('\\', "/")));
                target.rsplit_once('/').map_or("", |(d, _)| d).to_string()
            })
            .collect();
        if !folders.is_empty() {
            self.cs_references.entry(dir.to_string()).or_default().extend(folders);
        }
    }

    /// Whether the C# project in folder `from` references the project in folder `to`, directly
    /// or through at most [`MAX_REFERENCE_STEPS`] projects between.
    pub fn csharp_references(&self, from: &str, to: &str) -> bool {
        let mut seen: Vec<&str> = vec![from];
        let mut frontier: Vec<&str> = vec![from];
        for _ in 0..=MAX_REFERENCE_STEPS {
            let mut next = Vec::new();
            for p in frontier {
                for r in self.cs_references.get(p).into_iter().flatten() {
                    if r == to {
                        return true;
                    }
                    if !seen.contains(&r.as_str()) {
                        seen.push(r);
                        next.push(r.as_str());
                    }
                }
            }
            frontier = next;
        }
        false
    }

    /// The folder of the nearest `.csproj` above C# file `rel`, if any.
    pub fn csharp_project_dir(&self, rel: &str) -> Option<&str> {
        nearest_project(&self.cs_projects, rel)
    }

    /// The module of the C# project of file `rel` (`cs:src/Api`), when the tree is indexed.
    pub fn csharp_project(&self, rel: &str) -> Option<String> {
        let key = csharp_project_of(&self.cs_projects, rel);
        self.by_suffix.contains_key(&key).then_some(key)
    }

    /// The `global using` namespaces that apply to C# file `rel` (declared in its folder or above).
    pub fn csharp_usings(&self, rel: &str) -> Vec<&str> {
        let under = |dir: &str| dir.is_empty() || rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'));
        self.cs_usings.iter().filter(|(d, _)| under(d)).flat_map(|(_, ns)| ns.iter().map(String::as_str)).collect()
    }

    /// Whether `import <top>` in Python file `importer` finds a module of the tree before an
    /// installed package of that name: `<top>.py` or a `<top>/` package at the scan root
    /// (the working directory is on `sys.path`), or next to a script (a file whose folder is
    /// not a package). A local `agents/` folder is not the OpenAI Agents SDK.
    pub fn shadows(&self, importer: &str, top: &str) -> bool {
        let dir = importer.rsplit_once('/').map_or("", |(d, _)| d);
        let script_dir = !self.py_files.contains(&format!("{dir}/__init__.py"));
        let mut dirs = vec![""];
        if !dir.is_empty() && script_dir {
            dirs.push(dir);
        }
        dirs.into_iter().any(|d| {
            let base = if d.is_empty() { top.to_string() } else { format!("{d}/{top}") };
            let file = format!("{base}.py");
            (file != importer && self.py_files.contains(&file)) || self.py_dirs.contains(&base)
        })
    }

    /// Whether a path starts at a module of the tree.
    pub fn is_local_path(&self, path: &Path) -> bool {
        (1..path.0.len()).any(|end| !path.has_call_before(end) && self.by_suffix.contains_key(&path.dotted(end)))
            || (path.0.len() >= 2
                && (path.0[0].name.starts_with(JSDOC_GLOBAL)
                    || path.0[0].name.starts_with(SERVICE)
                    || (path.0[0].call.is_some() && self.by_suffix.contains_key(&path.0[0].name))))
    }

    /// Whether a path is a name exported by a module of the tree (`local:lib/models.chatModel`).
    pub fn is_local_module_path(&self, path: &Path) -> bool {
        path.0.len() >= 2 && !path.has_call_before(1) && self.by_suffix.contains_key(&path.dotted(1))
    }

    /// The package of the tree a Go import path names (`go:<folder>`): the folder whose path
    /// ends with the most elements of the import path, at least [`GO_IMPORT_MATCH`] of them
    /// or the whole folder (`github.com/acme/app/internal/config` is `internal/config`, or
    /// `config` scanned from the module's root). A tree may hold only part of its module,
    /// so the module path in go.mod is not needed. The standard library's paths (no dot in
    /// their first element: `net/url`) are never the tree's.
    pub fn go_package(&self, spec: &str) -> Option<String> {
        let elems: Vec<&str> = spec.split('/').collect();
        if !elems.first()?.contains('.') {
            return None;
        }
        let last = *elems.last()?;
        let matched = |dir: &str| {
            let d: Vec<&str> = if dir.is_empty() { Vec::new() } else { dir.split('/').collect() };
            let n = d.iter().rev().zip(elems.iter().rev()).take_while(|(a, b)| a == b).count();
            let whole = n == d.len() && n < elems.len();
            (n >= GO_IMPORT_MATCH || whole).then_some(n)
        };
        let best = self.go_dirs.get(last)?.iter().filter_map(|d| Some((matched(d)?, d))).max_by_key(|(n, _)| *n)?;
        Some(format!("{GO_PACKAGE}{}", best.1))
    }

    /// Whether a module key (`local:lib/openai`, `app.llm`) names a file of the tree.
    pub fn has_module(&self, key: &str) -> bool {
        self.by_suffix.contains_key(key)
    }

    /// The strings the Rust modules of the tree under folder `dir` bind under keys starting
    /// with `prefix` (the associated consts of a trait's implementors,
    /// [`rust_lower::module_strings`]), by file path then key; at most [`RUST_MODULES_READ`] files.
    pub fn rust_strings_under(&self, dir: &str, prefix: &str, rules: &RuleSet) -> Vec<(String, String)> {
        let inside = |rel: &str| dir.is_empty() || rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'));
        let mut files: Vec<&String> =
            self.disk.iter().filter(|(rel, (_, k))| *k == FileKind::Rust && inside(rel)).map(|(rel, _)| rel).collect();
        files.sort();
        let mut out = Vec::new();
        for rel in files.into_iter().take(RUST_MODULES_READ) {
            let strings = self.strings_of(rel, rules);
            let mut found: Vec<(String, String)> = strings
                .iter()
                .filter_map(|(k, v)| match v {
                    ModuleValue::Str(s) if k.starts_with(prefix) => Some((k.clone(), s.clone())),
                    _ => None,
                })
                .collect();
            found.sort();
            out.extend(found);
        }
        out
    }

    /// The files of the tree a module key names.
    pub fn files(&self, module: &str) -> &[String] {
        self.by_suffix.get(module).map_or(&[], Vec::as_slice)
    }
}

/// The module key of the C# project of file `rel`: `cs:` and the folder of the nearest of
/// `projects` above it, `cs:` alone when none is.
fn csharp_project_of(projects: &HashSet<String>, rel: &str) -> String {
    format!("{CSHARP_PROJECT}{}", nearest_project(projects, rel).unwrap_or(""))
}

/// Of the folders of `projects`, the nearest that holds file `rel`: its folders looked up
/// from the deepest, so that a tree of thousands of projects costs a file its depth, not
/// the number of projects (a scan of many repositories side by side spent minutes here).
fn nearest_project<'a>(projects: &'a HashSet<String>, rel: &str) -> Option<&'a str> {
    let mut dir = rel;
    while let Some((up, _)) = dir.rsplit_once('/') {
        if let Some(p) = projects.get(up) {
            return Some(p.as_str());
        }
        dir = up;
    }
    projects.get("").map(String::as_str)
}

/// The first segment of a path through a type another file of the same C# project declares:
/// `cs:` and the project's folder.
pub const CSHARP_PROJECT: &str = "cs:";

/// The path of a JavaScript or TypeScript file without its extension.
fn js_stem(rel: &str) -> Option<&str> {
    [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".vue", ".svelte"]
        .iter()
        .find_map(|e| rel.strip_suffix(e))
}

/// The dotted module name of a Python file and whether it is a package `__init__`.
pub fn module_name(rel: &str) -> (String, bool) {
    let stem = rel
        .strip_suffix(".py")
        .or_else(|| rel.strip_suffix(".pyw"))
        .or_else(|| rel.strip_suffix(".ipynb"))
        .unwrap_or(rel);
    let mut parts: Vec<&str> = stem.split('/').collect();
    let package = parts.last() == Some(&"__init__");
    if package {
        parts.pop();
    }
    (parts.join("."), package)
}

/// `LOCKIN_DEBUG_TIMING` set: print where a scan's time goes to standard error (the
/// phases, each parsed file, each module read for its constants). Read once.
pub fn debug_timing() -> bool {
    static DEBUG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("LOCKIN_DEBUG_TIMING").is_some())
}

/// Runs the detector for one file's text. A panic inside a detector is this file's error,
/// not the scan's end.
pub fn detect(rel: &str, language: FileKind, text: &str, rules: &RuleSet, locals: &LocalModules) -> FileOutput {
    let _held = budget::in_flight(text.len());
    let run = std::panic::AssertUnwindSafe(|| {
        settings::scoped(&locals.env, || detect_unguarded(rel, language, text, rules, locals))
    });
    let mut out = guarded(rel, || std::panic::catch_unwind(run)).unwrap_or_else(|payload| {
        let mut out = FileOutput::new(rel, language);
        out.error = Some(internal_error(payload.as_ref()));
        out
    });
    // The snippet cache is kept with every output until the tree is linked: empty it.
    out.made = HashMap::new();
    out.pack_pending();
    out
}

thread_local! {
    /// The file this thread is scanning, for the panic hook.
    static SCANNING: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with `rel` named as the file being scanned: a panic inside is reported on stderr
/// as an internal error in that file (once, without a backtrace) instead of by the default hook.
fn guarded<T>(rel: &str, f: impl FnOnce() -> T) -> T {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| match SCANNING.with(|s| s.borrow().clone()) {
            Some(rel) => eprintln!("lockin: {rel:?}: {}", internal_error(info.payload())),
            None => default(info),
        }));
    });
    let previous = SCANNING.with(|s| s.replace(Some(rel.to_string())));
    let v = f();
    SCANNING.with(|s| *s.borrow_mut() = previous);
    v
}

/// The message of a panic caught while scanning a file.
pub fn internal_error(payload: &(dyn std::any::Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into());
    format!("internal error while scanning: {what}; please report")
}

fn detect_unguarded(rel: &str, language: FileKind, text: &str, rules: &RuleSet, locals: &LocalModules) -> FileOutput {
    let mut out = FileOutput::new(rel, language);
    match language {
        FileKind::Python => {
            let (module, package) = module_name(rel);
            python::detect(text, rules, &module, package, locals, &mut out);
            out.remember_snippets(text);
        }
        FileKind::Notebook => notebook::detect(text, rules, rel, locals, &mut out),
        FileKind::Rust => rust_lower::detect(text, rules, rel, locals, &mut out),
        FileKind::Go => {
            go::detect(text, rules, locals, &mut out);
            out.remember_snippets(text);
        }
        FileKind::Java => {
            java::detect(text, rules, locals, &mut out);
            out.remember_snippets(text);
        }
        FileKind::Kotlin => {
            kotlin::detect(text, rules, locals, &mut out);
            out.remember_snippets(text);
        }
        FileKind::CSharp => {
            csharp::detect(text, rules, rel, locals, &mut out);
            out.remember_snippets(text);
        }
        FileKind::Requirements
        | FileKind::Toml
        | FileKind::SetupCfg
        | FileKind::PackageJson
        | FileKind::Cargo
        | FileKind::GoMod
        | FileKind::Pom
        | FileKind::Gradle
        | FileKind::NuGet => manifest::detect(rel, language, text, rules, &mut out),
        FileKind::SpringConfig => spring::detect(rel, text, rules, &mut out),
        FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx => {
            javascript::detect(text, language, rules, rel, locals, &mut out);
            out.remember_snippets(text);
        }
        FileKind::Component => {
            let (scripts, unclosed) = javascript::component_scripts(text);
            if unclosed {
                out.notes.push("a <script> block is not closed: read to the end of the file".into());
            }
            javascript::detect(&scripts, language, rules, rel, locals, &mut out);
            out.remember_snippets(text);
        }
    }
    out
}

/// Second stage: calls through clients exported by other modules of the tree
/// (`from app.llm import client; client.chat.completions.create(...)`). Returns
/// `(path, message)` for each file whose resolution panicked (the scan goes on).
pub fn resolve_pending(outputs: &mut [FileOutput], rules: &RuleSet, locals: &LocalModules) -> Vec<(String, String)> {
    let exports = exports_of(outputs);
    let subclasses = inherit::Subclasses::new(&exports, locals);
    // No exports: every pending call falls back to what it was taken for as written. Each
    // file's own calls are linked on their own (the exports are read only), so files are
    // linked in parallel; the errors come back in file order.
    use rayon::prelude::*;
    outputs
        .par_iter_mut()
        .filter_map(|out| {
            let rel = out.rel.clone();
            let run = std::panic::AssertUnwindSafe(|| {
                settings::scoped(&locals.env, || resolve_pending_in(out, &exports, &subclasses, rules, locals))
            });
            guarded(&rel, || std::panic::catch_unwind(run)).err().map(|payload| (rel, internal_error(payload.as_ref())))
        })
        .collect()
}

fn resolve_pending_in(
    out: &mut FileOutput,
    exports: &HashMap<String, Vec<(String, Path)>>,
    subclasses: &inherit::Subclasses,
    rules: &RuleSet,
    locals: &LocalModules,
) {
    let no_attrs = matcher::ModuleAttrs::new();
    // Emitting looks at the file's findings (one per rule and place): unpack them first.
    out.restore_findings();
    let pending = out.pending_calls();
    out.clear_pending();
    for call in pending {
        if call.path.0.first().is_some_and(|h| h.name.starts_with(SERVICE)) {
            injected_call(out, &call, exports, rules, locals);
            continue;
        }
        if call.path.0.first().is_some_and(|h| h.name.starts_with(inherit::INHERITED)) {
            inherit::resolve(out, &call, subclasses, rules, locals);
            continue;
        }
        if service_arg_call(out, &call, exports, rules, locals) {
            continue;
        }
        let paths = each_pick(|| {
            let path = substitute(&call.path, exports, locals, &out.rel, None).unwrap_or_else(|| call.path.clone());
            substitute_args(&path, exports, locals, &out.rel, None).or_else(|| (path != call.path).then_some(path))
        });
        let line = out.snippet_at(call.span.line);
        // Constructions are reported where they happen, in the exporting module.
        let found: Vec<tables::Matched> = paths
            .iter()
            .filter_map(|p| matcher::operation_call(rules, out.ecosystem, p, &no_attrs))
            .map(|m| tables::Matched::Request(emit::call(rules, &m)))
            .collect();
        // A request through an HTTP library's client another module builds with its base URL
        // (a Go struct of another file of the package holding `requests.NewClient(url)`).
        let found = if found.is_empty() && !paths.is_empty() {
            paths.iter().filter_map(|p| http::request(rules, out.ecosystem, p)).map(tables::Matched::Request).collect()
        } else {
            found
        };
        // A function of another module sending a request built from the call's arguments.
        let found = if found.is_empty() {
            let tried = if paths.is_empty() { std::slice::from_ref(&call.path) } else { paths.as_slice() };
            tried.iter().flat_map(|p| inherit::helper_requests(out, p, exports, rules, locals)).collect()
        } else {
            found
        };
        if found.is_empty() {
            out.findings.extend(call.fallback);
            continue;
        }
        let (emits, _) = tables::per_vendor(rules, found, tables::Choice::Alternatives);
        for e in emits {
            out.emit(rules, &line, call.span, e);
        }
    }
    out.drop_wrapped_duplicates();
}

thread_local! {
    /// Which of several exports of one name [`replace_from`] takes (a module's factory that
    /// returns one of several clients exports each), and whether it met such a name.
    static PICK: std::cell::Cell<(usize, bool)> = const { std::cell::Cell::new((0, false)) };
}

/// Exports of one name tried for a call through it.
const MAX_PICKS: usize = 8;

/// What `substitute` gives taking the first export of every name, and, when it met a name
/// exported several times, taking each later one: the distinct results, first first.
fn each_pick(substitute: impl Fn() -> Option<Path>) -> Vec<Path> {
    PICK.with(|p| p.set((0, false)));
    let mut out: Vec<Path> = substitute().into_iter().collect();
    if PICK.with(|p| p.get().1) {
        for i in 1..MAX_PICKS {
            PICK.with(|p| p.set((i, false)));
            let next = substitute();
            let forked = PICK.with(|p| p.get().1);
            match next {
                Some(q) if !out.contains(&q) => out.push(q),
                _ if !forked => break,
                _ => {}
            }
        }
    }
    PICK.with(|p| p.set((0, false)));
    out
}

/// The export of `list` named `key`: where the name is exported several times, the one
/// [`PICK`] says (the first past the last), noting that there was a choice.
fn named<'a>(list: &'a [(String, Path)], key: &str) -> Option<&'a (String, Path)> {
    let mut all = list.iter().filter(|(n, _)| n == key);
    let first = all.next()?;
    let rest: Vec<&(String, Path)> = all.collect();
    if rest.is_empty() {
        return Some(first);
    }
    PICK.with(|p| {
        let (i, _) = p.get();
        p.set((i, true));
        Some(if i == 0 { first } else { rest.get(i - 1).copied().unwrap_or(first) })
    })
}

/// The values a path headed by an injected service (`service:ModelFactory.create().chat()`)
/// may take: each registration of the service in the project of `file` (or the result of the
/// service class's method), followed a few times where a registration is itself made from
/// another injected service. Also the paths reached that are headed by a framework model
/// interface the project registers nothing for ([`INTERFACE`]), whose values are the
/// implementations the project builds ([`implemented_emits`]).
fn follow_services(
    file: &str,
    path: &Path,
    exports: &HashMap<String, Vec<(String, Path)>>,
    locals: &LocalModules,
) -> (Vec<(String, Path)>, Vec<Path>) {
    let mut interfaces: Vec<Path> = Vec::new();
    // A registration may itself be made from an injected service (a `@Bean ChatClient` built
    // from the injected `ChatClient.Builder`): followed a few times.
    let mut registrations: Vec<(String, Path)> = vec![(file.to_string(), path.clone())];
    for _ in 0..3 {
        let mut next = Vec::new();
        for (file, path) in registrations {
            match path.0.first().filter(|h| h.name.starts_with(SERVICE)) {
                Some(head) => {
                    let mut found = services_for(&head.name, exports, &file, locals);
                    let mut from = 1;
                    // A class of the tree given by injection, whose method returns a client
                    // (`factory.create(settings)`: `service:ModelFactory.create()`).
                    if found.is_empty() && path.0.len() > 1 {
                        let member = format!("{}.{}", service_key(&head.name), export_key(&path.0[1]));
                        found = services_for(&member, exports, &file, locals);
                        from = 2;
                    }
                    if found.is_empty() && interface_of(&head.name).is_some() && !interfaces.contains(&path) {
                        interfaces.push(path.clone());
                    }
                    for (f, p) in found {
                        let mut q = p.clone();
                        q.0.extend(path.0[from..].iter().cloned());
                        next.push((f.to_string(), q));
                    }
                }
                None => next.push((file, path)),
            }
        }
        next.dedup();
        registrations = next;
    }
    // What is still asked of another injected service after a few steps is not followed.
    for (_, p) in &registrations {
        let head = p.0.first().map(|h| h.name.as_str()).unwrap_or_default();
        if interface_of(head).is_some() && !interfaces.contains(p) {
            interfaces.push(p.clone());
        }
    }
    registrations.retain(|(_, p)| p.0.first().is_some_and(|h| !h.name.starts_with(SERVICE)));
    (registrations, interfaces)
}

/// A call of an SDK or framework given a model the project injects or returns from its own
/// methods (`AiServices.builder(Assistant.class).chatLanguageModel(registry.chat(id)).build()
/// .answer(q)`, the model a `service:` path): the call read with that argument replaced by each
/// value the service may take ([`follow_services`]; for a framework model interface the
/// project registers nothing for, each implementation it builds), reported once per vendor.
/// False when no reading matches.
fn service_arg_call(
    out: &mut FileOutput,
    call: &PendingCall,
    exports: &HashMap<String, Vec<(String, Path)>>,
    rules: &RuleSet,
    locals: &LocalModules,
) -> bool {
    let Some((readings, through_interface)) =
        service_arg_readings(&call.path, &out.rel, out.ecosystem, exports, rules, locals)
    else {
        return false;
    };
    let no_attrs = matcher::ModuleAttrs::new();
    let mut emits: Vec<emit::Emit> = Vec::new();
    for path in readings {
        let Some(m) = matcher::operation_call(rules, out.ecosystem, &path, &no_attrs) else { continue };
        let e = emit::call(rules, &m);
        if !emits.iter().any(|f| f.vendor == e.vendor) {
            emits.push(e);
        }
    }
    if emits.is_empty() {
        return false;
    }
    let note = if through_interface {
        implemented_note(rules, &emits)
    } else {
        " (over a model the project registers)".to_string()
    };
    let line = out.snippet_at(call.span.line);
    for e in emits {
        out.emit(rules, &line, call.span, e.noting(&note));
    }
    true
}

/// The readings of `path` (a call written in, or registered by, file `from`) with its first
/// argument that is an injected service or a model the project returns from its own methods
/// (`ChatClient.builder(registry.chat(id))`, a `service:` path) replaced by each value that
/// service may take ([`follow_services`]; for a framework model interface the project
/// registers nothing for, each implementation it builds, then `true`), at most
/// [`MAX_IMPLEMENTATIONS`]. `None` when no argument is such a service.
fn service_arg_readings(
    path: &Path,
    from: &str,
    lang: Ecosystem,
    exports: &HashMap<String, Vec<(String, Path)>>,
    rules: &RuleSet,
    locals: &LocalModules,
) -> Option<(Vec<Path>, bool)> {
    let service =
        |v: &ArgValue| matches!(v, ArgValue::Path(p) if p.0.first().is_some_and(|h| h.name.starts_with(SERVICE)));
    // The first segment with an injected argument: a keyword's index, or a positional one's.
    let (i, k, keyword) = path.0.iter().enumerate().find_map(|(i, seg)| {
        let a = seg.call.as_ref()?;
        match a.keywords.iter().position(|(_, v)| service(v)) {
            Some(k) => Some((i, k, true)),
            None => a.positional.iter().position(service).map(|k| (i, k, false)),
        }
    })?;
    let args = path.0[i].call.as_ref()?;
    let arg = if keyword { &args.keywords[k].1 } else { &args.positional[k] };
    let ArgValue::Path(arg) = arg else { return None };
    let (registrations, interfaces) = follow_services(from, arg, exports, locals);
    let through_interface = registrations.is_empty();
    let mut values: Vec<Path> = registrations.into_iter().map(|(_, p)| p).collect();
    if through_interface {
        for p in &interfaces {
            let Some(interface) = p.0.first().and_then(|h| interface_of(&h.name)) else { continue };
            for imp in implementations(interface, lang, exports, from, rules, locals) {
                let mut q = imp.clone();
                q.0.extend(p.0[1..].iter().cloned());
                values.push(q);
            }
        }
    }
    let readings = values
        .into_iter()
        .take(MAX_IMPLEMENTATIONS)
        .map(|v| {
            let mut a = (**args).clone();
            if keyword {
                a.keywords[k].1 = ArgValue::Path(v);
            } else {
                a.positional[k] = ArgValue::Path(v);
            }
            let mut q = path.clone();
            q.0[i].call = Some(std::sync::Arc::new(a));
            q
        })
        .collect();
    Some((readings, through_interface))
}

/// A call on a service given by injection (`service:Kernel.InvokePrompt()`): resolved through
/// each registration of that service in the caller's project, and reported once per vendor
/// reached. A registration in code wins over the provider chosen in configuration (Spring
/// Boot's auto-configuration backs off when the application declares the bean), and a
/// provider chosen in configuration is taken only when the project's files agree on one.
fn injected_call(
    out: &mut FileOutput,
    call: &PendingCall,
    exports: &HashMap<String, Vec<(String, Path)>>,
    rules: &RuleSet,
    locals: &LocalModules,
) {
    let no_attrs = matcher::ModuleAttrs::new();
    let mut found: Vec<(String, emit::Emit)> = Vec::new();
    let (registrations, interfaces) = follow_services(&out.rel, &call.path, exports, locals);
    // A framework's model interface the project registers nothing for, reached directly or
    // through the project's own methods (`registry.chat(id)` returning a `ChatModel` from a
    // map): each implementation the project builds.
    if registrations.is_empty() {
        let mut emits = Vec::new();
        for p in &interfaces {
            let Some(interface) = p.0.first().and_then(|h| interface_of(&h.name)) else { continue };
            for e in implemented_emits(interface, &p.0[1..], out.ecosystem, &out.rel, exports, rules, locals) {
                if !emits.iter().any(|f: &emit::Emit| f.vendor == e.vendor) {
                    emits.push(e);
                }
            }
        }
        let line = out.snippet_at(call.span.line);
        for e in emits {
            out.emit(rules, &line, call.span, e);
        }
        return;
    }
    // A registration built over other injected services (an `@AiService` interface over the
    // project's `ChatModel`) takes each registration of those in their place.
    let mut registrations: Vec<(String, Path)> = registrations
        .into_iter()
        .flat_map(|(file, p)| injected_args(&p, exports, &file, locals).into_iter().map(move |q| (file.clone(), q)))
        .collect();
    registrations.sort_by(|a, b| a.0.cmp(&b.0));
    registrations.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    // Code wins over configuration, configuration over a build file's starter.
    let best = registrations.iter().map(|(f, _)| spring::registration_rank(f)).min().unwrap_or(0);
    let in_code = best == 0;
    for (file, path) in registrations {
        if spring::registration_rank(&file) > best {
            continue;
        }
        let path = substitute(&path, exports, locals, &file, None).unwrap_or(path);
        // A registration that is a framework client over a model the project builds or returns
        // from its own methods (`return ChatClient.builder(factory.createChatModel(cfg)).build()`
        // in a registry's getter): read with each value that model may take.
        let readings = service_arg_readings(&path, &file, out.ecosystem, exports, rules, locals);
        let over: Vec<emit::Emit> = readings
            .into_iter()
            .flat_map(|(r, _)| r)
            .filter_map(|p| matcher::operation_call(rules, out.ecosystem, &p, &no_attrs))
            .map(|m| emit::call(rules, &m))
            .collect();
        if !over.is_empty() {
            for e in over {
                if !found.iter().any(|(_, f)| f.vendor == e.vendor) {
                    found.push((file.clone(), e));
                }
            }
            continue;
        }
        // An SDK's operation, or a request through an HTTP library's client the service
        // returns (`networkClient().preparePost(url)`, a Ktor `HttpClient`).
        let e = match matcher::operation_call(rules, out.ecosystem, &path, &no_attrs) {
            Some(m) => emit::call(rules, &m),
            None => match http::request(rules, out.ecosystem, &path) {
                Some(e) => e,
                None => continue,
            },
        };
        if !found.iter().any(|(_, f)| f.vendor == e.vendor) {
            found.push((file, e));
        }
    }
    if !in_code && found.len() > 1 {
        return;
    }
    let names: Vec<&str> =
        found.iter().map(|(_, e)| rules.vendor(&e.vendor).map_or(e.vendor.as_str(), |v| v.name.as_str())).collect();
    let line = out.snippet_at(call.span.line);
    let several = names.len() > 1;
    let mut emits = Vec::new();
    for (file, e) in &found {
        let note = if spring::is_build_path(file) {
            format!(" (provider chosen by the Spring AI starter in {file})")
        } else if !in_code {
            format!(" (provider chosen by configuration in {file})")
        } else if several {
            format!(" (injected; services registered in the project reach {})", names.join(", "))
        } else {
            format!(" (injected; registered in {file})")
        };
        emits.push(e.clone().noting(&note));
    }
    for e in emits {
        out.emit(rules, &line, call.span, e);
    }
}

/// A call through a framework model interface the project registers nothing for
/// (`chatModel.chat(messages)` on a `ChatModel` parameter, `tail` being `.chat(messages)`): a
/// call of each implementation the project of file `from` builds (`OpenAiChatModel.builder()
/// ...build()` in one factory, `OllamaChatModel` in another), once per vendor, noted as the
/// provider chosen at run time. Nothing when the project builds none.
fn implemented_emits(
    interface: &str,
    tail: &[Seg],
    lang: Ecosystem,
    from: &str,
    exports: &HashMap<String, Vec<(String, Path)>>,
    rules: &RuleSet,
    locals: &LocalModules,
) -> Vec<emit::Emit> {
    let no_attrs = matcher::ModuleAttrs::new();
    let mut found: Vec<emit::Emit> = Vec::new();
    for p in implementations(interface, lang, exports, from, rules, locals) {
        let mut q = p.clone();
        q.0.extend(tail.iter().cloned());
        let Some(m) = matcher::operation_call(rules, lang, &q, &no_attrs) else { continue };
        let e = emit::call(rules, &m);
        if !found.iter().any(|f| f.vendor == e.vendor) {
            found.push(e);
        }
    }
    let note = implemented_note(rules, &found);
    found.into_iter().map(|e| e.noting(&note)).collect()
}

/// The note of calls through a framework's interface reaching the vendors of `found`.
fn implemented_note(rules: &RuleSet, found: &[emit::Emit]) -> String {
    let mut names: Vec<&str> =
        found.iter().map(|e| rules.vendor(&e.vendor).map_or(e.vendor.as_str(), |v| v.name.as_str())).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() > 1 {
        format!(
            " (through the framework's interface; provider chosen at run time among those the project builds: {})",
            names.join(", ")
        )
    } else {
        " (through the framework's interface; the one implementation the project builds)".to_string()
    }
}

/// Implementations of a framework model interface tried for one call.
const MAX_IMPLEMENTATIONS: usize = 64;

/// The constructions of the implementations of framework model interface `interface` (rules
/// `[[interface]]`) made in the project of file `from` ([`service_root`]: a Maven or Gradle
/// module, a C# project, a Rust crate), in path order.
fn implementations<'a>(
    interface: &str,
    lang: Ecosystem,
    exports: &'a HashMap<String, Vec<(String, Path)>>,
    from: &str,
    rules: &RuleSet,
    locals: &LocalModules,
) -> Vec<&'a Path> {
    let Some(def) = rules.interface(lang, interface) else { return Vec::new() };
    // A test's model is a mock or a fake (`@Mock ChatModel chatModel`, `when(chatModel.call(..))`),
    // not what the project builds for its product code.
    if crate::context::classify(from) == crate::context::CodeContext::Test {
        return Vec::new();
    }
    let keys: Vec<String> = def.apis.iter().map(|a| format!("{IMPLEMENTATION}{a}")).collect();
    let mut files: Vec<&String> = exports
        .keys()
        .filter(|file| {
            let root = project_root(file, locals);
            root.is_empty() || from.starts_with(&format!("{root}/"))
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        for (k, p) in &exports[file] {
            if keys.contains(k) && out.len() < MAX_IMPLEMENTATIONS && def.implemented_by(built_class(p)) {
                out.push(p);
            }
        }
    }
    out
}

/// The simple name of the class a construction builds: `OpenAiChatModel` of
/// `dev.langchain4j.model.openai.OpenAiChatModel.builder()...build()` or of
/// `new OpenAiChatModel(..)`, `swiftide.integrations.ollama.Ollama` of `Ollama::builder()`.
fn built_class(p: &Path) -> &str {
    let first_call = p.0.iter().position(|s| s.call.is_some()).unwrap_or(p.0.len().saturating_sub(1));
    let seg = &p.0[first_call];
    let factory = seg.name.starts_with(|c: char| c.is_ascii_lowercase()) && first_call > 0;
    if factory {
        &p.0[first_call - 1].name
    } else {
        &seg.name
    }
}

/// The ways of reading `path` with each argument that is an injected service
/// (`service:ChatModel`) replaced by a registration of that service in the project of `file`
/// ([`services_for`]): `path` itself when no argument is one, at most [`MAX_INJECTED_ARGS`].
fn injected_args(
    path: &Path,
    exports: &HashMap<String, Vec<(String, Path)>>,
    file: &str,
    locals: &LocalModules,
) -> Vec<Path> {
    let injected =
        |v: &ArgValue| matches!(v, ArgValue::Path(p) if p.0.first().is_some_and(|h| h.name.starts_with(SERVICE)));
    let mut done = Vec::new();
    let mut todo = vec![path.clone()];
    while let Some(cur) = todo.pop() {
        // The first segment with an injected argument, and which argument.
        let found = cur.0.iter().enumerate().find_map(|(i, seg)| {
            let args = seg.call.as_ref()?;
            args.keywords.iter().position(|(_, v)| injected(v)).map(|k| (i, k))
        });
        let Some((i, k)) = found else {
            done.push(cur);
            continue;
        };
        let mut args = (**cur.0[i].call.as_ref().expect("found above")).clone();
        let ArgValue::Path(service) = args.keywords[k].1.clone() else { continue };
        let registered = services_for(&service.0[0].name, exports, file, locals);
        // An argument nothing registers says nothing of the call.
        args.keywords[k].1 = ArgValue::Dynamic;
        let mut options: Vec<ArgValue> = registered
            .into_iter()
            .map(|(_, p)| {
                // A registration made from yet another injected service is not followed here.
                if p.0.first().is_some_and(|h| h.name.starts_with(SERVICE)) {
                    return ArgValue::Dynamic;
                }
                let mut q = p.clone();
                q.0.extend(service.0[1..].iter().cloned());
                ArgValue::Path(q)
            })
            .collect();
        if options.is_empty() {
            options.push(ArgValue::Dynamic);
        }
        for v in options {
            if done.len() + todo.len() >= MAX_INJECTED_ARGS {
                break;
            }
            let mut next = cur.clone();
            let mut a = args.clone();
            a.keywords[k].1 = v;
            next.0[i].call = Some(std::sync::Arc::new(a));
            todo.push(next);
        }
    }
    done
}

/// The readings of one registration over injected services that are followed.
const MAX_INJECTED_ARGS: usize = 8;

/// Projects between a C# project and one it references through them
/// ([`LocalModules::csharp_references`]).
const MAX_REFERENCE_STEPS: usize = 3;

/// Files of one project registering the same service type past which only a file's own
/// registrations apply to it ([`services_for`]).
const MAX_REGISTERING_FILES: usize = 1;

/// Where a registration for injection applies: the project of the file that makes it, the
/// folder of a C# file's `.csproj`, the folder above a Maven/Gradle `src/main/` (a Spring
/// `@Bean` class, `application.yml`), else the file's own folder.
fn service_root<'a>(rel: &'a str, locals: &'a LocalModules) -> &'a str {
    // A C# file's project is the folder of its `.csproj`.
    if rel.ends_with(".cs") {
        if let Some(dir) = locals.csharp_project_dir(rel) {
            return dir;
        }
    }
    // A Rust file's crate is the folder above its `src/`.
    let sources = if rel.ends_with(".rs") { "src/" } else { "src/main/" };
    let maven = rel.match_indices(sources).map(|(i, _)| i).find(|&i| i == 0 || rel.as_bytes()[i - 1] == b'/');
    match maven {
        Some(i) => rel[..i].trim_end_matches('/'),
        None => rel.rsplit_once('/').map_or("", |(d, _)| d),
    }
}

/// The project of a file, as [`service_root`] finds it where the file says (a C# project's
/// folder, a Maven or Gradle module, a Rust crate), else the scanned tree: the scope of the
/// implementations of a framework's interface a call through it may reach ([`implementations`]).
fn project_root<'a>(rel: &'a str, locals: &'a LocalModules) -> &'a str {
    let root = service_root(rel, locals);
    let folder = rel.rsplit_once('/').map_or("", |(d, _)| d);
    if root == folder && !(rel.ends_with(".cs") && locals.csharp_project_dir(rel).is_some()) {
        return "";
    }
    root
}

/// The registrations of service `key` a file `from` may be given: those whose project
/// ([`service_root`]) holds `from`, of the nearest such project, in path order; when none
/// does, those of the C# projects `from`'s project references.
fn services_for<'a>(
    key: &str,
    exports: &'a HashMap<String, Vec<(String, Path)>>,
    from: &str,
    locals: &'a LocalModules,
) -> Vec<(&'a str, &'a Path)> {
    let mut found: Vec<(usize, &'a str, &'a Path)> = Vec::new();
    // A C# project also gets what the projects it references register (an `AddXxx` extension
    // method of a shared ServiceDefaults project), after its own.
    let from_project = if from.ends_with(".cs") { locals.csharp_project_dir(from) } else { None };
    // A JVM file of a tree that shows no module layout (scanned from inside its packages,
    // `service/llm/` of `com.acme.service.llm`) is of the scanned tree's one project, as
    // [`project_root`] says: its package's folder is no project, so a class of a sibling
    // package (`service/aimodelconfig/`) is reached, after what its own folder registers.
    let jvm = |f: &str| f.ends_with(".java") || f.ends_with(".kt");
    let unlaid = |f: &str| jvm(f) && project_root(f, locals).is_empty();
    let tree_wide = unlaid(from);
    for (file, list) in exports {
        let root = service_root(file, locals);
        let rank = if root.is_empty() || from.starts_with(&format!("{root}/")) {
            root.len() + 1
        } else if from_project.is_some_and(|p| file.ends_with(".cs") && locals.csharp_references(p, root))
            || (tree_wide && unlaid(file))
        {
            0
        } else {
            continue;
        };
        for (k, p) in list {
            if k == service_key(key) {
                found.push((rank, file.as_str(), p));
            }
        }
    }
    let nearest = found.iter().map(|(r, _, _)| *r).max().unwrap_or(0);
    let mut out: Vec<(&str, &Path)> =
        found.into_iter().filter(|(r, _, _)| *r == nearest).map(|(_, f, p)| (f, p)).collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    // A project whose files register one service type many times is a collection of
    // programs (samples, tests): one file's registration says nothing of another's classes.
    // (A provider chosen in configuration is no program's own registration, nor is one made
    // from another injected service: `AddScoped<Kernel>(sp => sp.GetRequiredService<Provider>()
    // .GetKernel())` hands on what the project registers elsewhere.)
    let mut files: Vec<&str> = out
        .iter()
        .filter(|(f, p)| spring::registration_rank(f) == 0 && !p.0.first().is_some_and(|h| h.name.starts_with(SERVICE)))
        .map(|(f, _)| *f)
        .collect();
    files.dedup();
    if files.len() > MAX_REGISTERING_FILES {
        out.retain(|(f, _)| *f == from || spring::registration_rank(f) > 0);
    }
    out
}

/// The exports of each file that has some, by relative path, and under [`GLOBALS`] the
/// global type names the tree declares (the first file in path order wins).
fn exports_of(outputs: &[FileOutput]) -> HashMap<String, Vec<(String, Path)>> {
    let mut map: HashMap<String, Vec<(String, Path)>> =
        outputs.iter().filter(|o| !o.exports.is_empty()).map(|o| (o.rel.clone(), o.exports.clone())).collect();
    let mut files: Vec<&String> = map.keys().collect();
    files.sort();
    let mut globals: Vec<(String, Path)> = Vec::new();
    for f in files {
        for (k, p) in &map[f] {
            if k.starts_with(JSDOC_GLOBAL) && !globals.iter().any(|(g, _)| g == k) {
                globals.push((k.clone(), p.clone()));
            }
        }
    }
    if !globals.is_empty() {
        map.insert(GLOBALS.to_string(), globals);
    }
    map
}

/// The files of the tree that resolution looked in without having read them.
struct Probe<'a> {
    /// Files with an output (read, whether or not they export anything).
    read: HashSet<&'a str>,
    /// Files resolution looked for among the exports and that are not read.
    missing: BTreeSet<String>,
}

/// `--changed-since` reads only some files: those of `outputs`. This runs the lookups of
/// [`resolve_pending`] on their pending calls and returns, for each call, the first file
/// of the tree it looked in that is not in `outputs`. Read those (their exports are
/// enough), add their outputs and ask again until nothing is returned: `resolve_pending`
/// then resolves every pending call as it would with the whole tree read, since it looks
/// in no file left unread.
pub fn unread_imports(outputs: &[FileOutput], locals: &LocalModules) -> BTreeSet<String> {
    let exports = exports_of(outputs);
    let mut probe = Probe { read: outputs.iter().map(|o| o.rel.as_str()).collect(), missing: BTreeSet::new() };
    for out in outputs {
        for call in &out.pending_calls() {
            let path = substitute(&call.path, &exports, locals, &out.rel, Some(&mut probe))
                .unwrap_or_else(|| call.path.clone());
            substitute_args(&path, &exports, locals, &out.rel, Some(&mut probe));
        }
    }
    probe.missing
}

/// A call whose arguments hold a value from another module (`generateText({ model })`
/// with `model` exported by `lib/models.ts`): the argument paths substituted.
fn substitute_args(
    path: &Path,
    exports: &HashMap<String, Vec<(String, Path)>>,
    locals: &LocalModules,
    from: &str,
    mut probe: Option<&mut Probe>,
) -> Option<Path> {
    let last = path.0.last()?;
    let args = last.call.as_ref()?;
    let mut new_args = (**args).clone();
    let mut changed = false;
    for (_, v) in new_args.keywords.iter_mut() {
        if let ArgValue::Path(p) = v {
            if let Some(q) = substitute_at(p, exports, locals, from, true, probe.as_deref_mut()) {
                *p = q;
                changed = true;
            }
        }
    }
    if !changed {
        return None;
    }
    let mut out = path.clone();
    out.0.last_mut()?.call = Some(std::sync::Arc::new(new_args));
    Some(out)
}

/// Replaces the longest module-rooted prefix of `path` by what that module exports,
/// repeatedly (a module may re-export another's client).
fn substitute(
    path: &Path,
    exports: &HashMap<String, Vec<(String, Path)>>,
    locals: &LocalModules,
    from: &str,
    probe: Option<&mut Probe>,
) -> Option<Path> {
    substitute_at(path, exports, locals, from, false, probe)
}

fn substitute_at(
    path: &Path,
    exports: &HashMap<String, Vec<(String, Path)>>,
    locals: &LocalModules,
    from: &str,
    replace_last: bool,
    mut probe: Option<&mut Probe>,
) -> Option<Path> {
    let from_dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let mut cur = path.clone();
    let mut changed = false;
    'outer: for _ in 0..6 {
        // The last segment is never replaced: calling an exported function that itself
        // makes an API call is not another call site (its body is reported where it is).
        let upto = if replace_last { cur.0.len() } else { cur.0.len().saturating_sub(1) };
        // A global type name, or a module that is itself a function (`require("./init")(...)`).
        if upto >= 1 {
            if let Some(rep) = substitute_head(&cur, exports, locals) {
                cur = rep;
                changed = true;
                continue 'outer;
            }
        }
        for k in (1..upto).rev() {
            if cur.has_call_before(k) {
                continue;
            }
            let module = cur.dotted(k);
            let mut files: Vec<&String> = locals.files(&module).iter().collect();
            if module == "conftest" {
                // pytest fixtures come from the conftest.py files of the test's own folder
                // and its parents, nearest first.
                files.retain(|f| {
                    let dir = f.rsplit_once('/').map_or("", |(d, _)| d);
                    dir.is_empty() || from_dir == dir || from_dir.starts_with(&format!("{dir}/"))
                });
                files.sort_by_key(|f| std::cmp::Reverse(f.len()));
            }
            for file in files {
                let Some(list) = exports.get(file) else {
                    if let Some(p) = probe.as_deref_mut() {
                        if !p.read.contains(file.as_str()) {
                            // What it exports decides what is looked up next: read it first.
                            p.missing.insert(file.clone());
                            return changed.then_some(cur);
                        }
                    }
                    continue;
                };
                let names: Vec<String> = cur.0[k..upto].iter().map(export_key).collect();
                if let Some(rep) = replace_from(&cur, k, &names, list) {
                    cur = rep;
                    changed = true;
                    continue 'outer;
                }
            }
        }
        break;
    }
    changed.then_some(cur)
}

/// How a segment is named among exports: `client`, or `get_client()` when called.
fn export_key(seg: &path::Seg) -> String {
    match seg.call {
        Some(_) => format!("{}()", seg.name),
        None => seg.name.clone(),
    }
}

/// `cur` with segments `at..` replaced by the longest run of `names` (their export keys)
/// that `list` exports: `get_client().openai` before `get_client()`. An uncalled export
/// called here (`f` exported as a client factory path) takes this call's arguments.
///
/// Keys through a type's members (`Opts.models.#0.client`: a callback's parameter, `#0`
/// its first) match whatever calls the path carries, and an instance they name takes the
/// options the path carries (`Opts(baseURL="https://api.groq.com/openai/v1")`, the object
/// literal the type was read from): its base URL decides who serves it.
fn replace_from(cur: &Path, at: usize, names: &[String], list: &[(String, Path)]) -> Option<Path> {
    for m in (1..=names.len()).rev() {
        let key = names[..m].join(".");
        let run = &cur.0[at..at + m];
        let bare = || run.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(".");
        let found = named(list, &key).or_else(|| {
            let bare = bare();
            bare.contains(".#").then(|| list.iter().find(|(n, _)| *n == bare && n.contains(".#"))).flatten()
        });
        if let Some((_, p)) = found {
            let mut rep = p.clone();
            // A class's member built from its constructor's parameters: filled with the
            // arguments this path builds it with (`Base(baseURL="https://api.x.ai/v1").client`).
            if params::path_has_markers(&rep) {
                let args = run.iter().find_map(|s| s.call.as_deref()).cloned().unwrap_or_default();
                rep = params::fill(&rep, &args);
            }
            let options = run.iter().filter_map(|s| s.call.as_ref()).find(|a| !a.keywords.is_empty());
            if let (Some(options), true) = (options, bare().contains('#')) {
                match rep.0.last_mut() {
                    Some(last) if last.call.as_ref().is_some_and(|a| a.is_bare()) => {
                        last.call = Some(options.clone());
                    }
                    Some(last) if last.call.is_none() => last.call = Some(options.clone()),
                    _ => {}
                }
            }
            rep.0.extend(cur.0[at + m..].iter().cloned());
            return Some(rep);
        }
    }
    let seg = &cur.0[at];
    let args = seg.call.as_ref()?;
    let (_, p) = named(list, &seg.name)?;
    let mut rep = p.called((**args).clone())?;
    rep.0.extend(cur.0[at + 1..].iter().cloned());
    Some(rep)
}

/// The first segment replaced: a global type name (`jsdoc:OpenAIClient`) by its declaration,
/// or a called module (`local:x()`, a CommonJS module whose export is a function) by what
/// that function returns (`module.exports()`).
fn substitute_head(cur: &Path, exports: &HashMap<String, Vec<(String, Path)>>, locals: &LocalModules) -> Option<Path> {
    let head = cur.0.first()?;
    if head.name.starts_with(JSDOC_GLOBAL) {
        return replace_from(cur, 0, &[export_key(head)], exports.get(GLOBALS)?);
    }
    head.call.as_ref()?;
    let mut names = vec![format!("{MODULE_EXPORTS}()")];
    names.extend(cur.0[1..].iter().map(export_key));
    locals.files(&head.name).iter().filter_map(|f| exports.get(f)).find_map(|list| {
        // The keys name `module.exports()`; the path has the module's own name there.
        let mut shifted = cur.clone();
        shifted.0[0] = path::Seg { name: MODULE_EXPORTS.into(), call: head.call.clone() };
        replace_from(&shifted, 0, &names, list)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_project_is_the_deepest_folder_above() {
        let projects: HashSet<String> =
            ["", "src/Api", "src/Api/Plugins", "srcx"].iter().map(|s| s.to_string()).collect();
        assert_eq!(nearest_project(&projects, "src/Api/Plugins/Chat.cs"), Some("src/Api/Plugins"));
        assert_eq!(nearest_project(&projects, "src/Api/Program.cs"), Some("src/Api"));
        assert_eq!(nearest_project(&projects, "src/ApiX/Program.cs"), Some(""));
        assert_eq!(nearest_project(&projects, "Program.cs"), Some(""));
        let no_root: HashSet<String> = ["src/Api".to_string()].into_iter().collect();
        assert_eq!(nearest_project(&no_root, "tools/Gen.cs"), None);
    }

    #[test]
    fn columns_count_characters() {
        let src = "x = 'é'; openai\n";
        let idx = LineIndex::new(src);
        let byte = src.find("openai").unwrap();
        assert_eq!(idx.position(src, byte), (1, 10));
    }

    #[test]
    fn columns_on_long_lines_and_every_line_end() {
        // Past several count blocks on one line, the column is still the character count.
        let src = format!("{}openai\r\na\rb\n", "é".repeat(3 * BLOCK));
        let idx = LineIndex::new(&src);
        assert_eq!(idx.position(&src, src.find("openai").unwrap()), (1, 3 * BLOCK as u32 + 1));
        assert_eq!(idx.position(&src, src.find("\na").unwrap() + 1), (2, 1));
        assert_eq!(idx.position(&src, src.find("\rb").unwrap() + 1), (3, 1));
        assert_eq!(idx.line_text(&src, 1).len(), src.find("\r\n").unwrap());
        assert_eq!(idx.line_text(&src, 2), "a");
    }

    #[test]
    fn module_names() {
        assert_eq!(module_name("src/app/llm.py"), ("src.app.llm".to_string(), false));
        assert_eq!(module_name("app/__init__.py"), ("app".to_string(), true));
    }

    #[test]
    fn local_modules_shadow_packages_at_the_root_and_next_to_scripts() {
        let locals =
            LocalModules::new(["agents/__init__.py", "bot/agents.py", "bot/run.py", "app/__init__.py", "app/x.py"]);
        assert!(locals.shadows("main.py", "agents"));
        assert!(locals.shadows("bot/run.py", "agents"));
        assert!(!locals.shadows("main.py", "openai"));
        let locals = LocalModules::new(["bot/agents.py", "bot/run.py", "app/__init__.py", "app/agents.py", "app/x.py"]);
        assert!(locals.shadows("bot/run.py", "agents"));
        // Inside a package, a sibling module is not on `sys.path`.
        assert!(!locals.shadows("app/x.py", "agents"));
        assert!(!locals.shadows("main.py", "agents"));
    }

    #[test]
    fn a_panic_is_the_files_error() {
        let caught = guarded("x.py", || std::panic::catch_unwind(|| panic!("boom {}", 1)));
        let message = internal_error(caught.expect_err("caught").as_ref());
        assert_eq!(message, "internal error while scanning: boom 1; please report");
        assert!(SCANNING.with(|s| s.borrow().is_none()), "the file is no longer named");
    }

    #[test]
    fn long_snippets_are_cut() {
        let rules = crate::rules::load_embedded();
        let s = snippet(&rules, &"a".repeat(300));
        assert_eq!(s.chars().count(), 200);
    }
}
