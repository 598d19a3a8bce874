//! Rust detection with tree-sitter-rust: a lowering onto the shared resolver
//! ([`super::resolve`]). Pass 1 (`collect`) records `use` trees (globs and renames; a crate
//! path `crate::config::X` becomes the module key of its file, `rs:src/config.rs`), struct
//! types with their fields' types, `impl` blocks (methods, associated consts, `Self`),
//! functions with their parameters, return types and returns (`return e` and a block's tail
//! expression), `let` bindings, field writes (`self.client = ...`) and what struct literals
//! put in a local struct's fields. Pass 2 (`visit`) hands every call, `use`, environment
//! read and string literal to the shared resolution.
//!
//! Rust specifics kept here, never in the rules: `::` is a path separator like `.`;
//! identity methods (`clone`, `unwrap`, `?`, `.await`, `&`) and wrappers (`Arc::new`,
//! `Box::new`, `Some`) are transparent shapes; `a.unwrap_or(b)` is one of two values; builder
//! calls inside an argument count as keyword arguments (`OpenAIConfig::new().with_api_base(url)`
//! gives `with_api_base`); a value of type `Client<AzureConfig>` is the path `Client` called
//! with the type's generic arguments; `format!`/`concat!` are templates whose tokens are
//! lowered into [`Piece`]s. tree-sitter recovers from syntax errors: the good part of a file
//! still resolves.
//!
//! Other modules of the crate are read for the strings they bind ([`module_strings`]):
//! `crate::config::DEFAULT_URL`, `super::consts::API_BASE`, a name a `pub use` re-exports,
//! a generic parameter's const from the crate's implementors of its bound.

use super::emit;
use super::lower;
use super::path::{ArgValue, CallArgs, Path, Seg};
use super::resolve::{Bind, Binding, Callers, Core, Ctx, Front, FuncInfo, Piece, Pieces, Shape, Symbols, Text, Val};
use super::{budget, common, http, matcher, FileOutput, LineIndex, LocalModules, ModuleStrings, ModuleValue};
use crate::detect::field::Field;
use crate::ecosystem::Ecosystem;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use tree_sitter::{Node, Parser, Tree};

const LANG: Ecosystem = Ecosystem::Rust;

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_rust::LANGUAGE.into()).expect("tree-sitter-rust matches the tree-sitter ABI");
        p
    });
}

/// How a file too large to parse is read (`common::scan_text`).
const RUST_TEXT: common::TextSyntax =
    common::TextSyntax { comment: "//", quotes: b"\"", env_calls: &["var(", "var_os(", "env!(", "option_env!("] };

/// Methods that return the value they are called on, as far as vendor paths go.
const IDENTITY: &[&str] = &[
    "clone",
    "to_owned",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "unwrap",
    "expect",
    "lock",
    "read",
    "write",
    "deref",
    "get_or_init",
    "get_or_try_init",
    "map_err",
    "context",
    "with_context",
    // `client.into()` filling an `Arc<Client>` field.
    "into",
];

/// Methods of `Result`, `Option` and strings that keep the string they hold.
const KEEP_TEXT: &[&str] = &[
    "map_err",
    "context",
    "with_context",
    "ok",
    "ok_or",
    "ok_or_else",
    "into",
    "to_string",
    "to_owned",
    "as_str",
    "as_deref",
    // `url.as_ref()` of a `Url` or `String`: the same URL as `&str`.
    "as_ref",
    "clone",
    "unwrap",
    "expect",
    // tungstenite's `IntoClientRequest` (tungstenite 0.24 src/client.rs): a URL made a request.
    "into_client_request",
];

/// `Option`/`Result` methods that give another value when there is none.
const DEFAULTS: &[&str] = &["unwrap_or", "unwrap_or_else", "or", "or_else", "unwrap_or_default"];

/// Types and functions that hold the value they are given.
const WRAPPERS: &[&str] = &[
    "Arc", "Rc", "Box", "Option", "Result", "Mutex", "RwLock", "RefCell", "Cell", "OnceCell", "OnceLock", "Lazy",
    "LazyLock",
];

/// The prefix of a Rust file's module key in [`LocalModules`] (`rs:src/config.rs`).
pub const RS_MODULE: &str = "rs:";

/// Glob re-exports (`pub use config::*;`) a module is followed through, bound as `*0`, `*1`, ...
const GLOBS: usize = 4;
/// The key prefix of an implementor's associated const in [`ModuleStrings`]
/// (`impl:ProviderConfig:GroqConfig.DEFAULT_BASE_URL`).
const IMPL: &str = "impl:";
/// Implementors of one trait a generic parameter's consts are read from.
const IMPLEMENTORS: usize = 16;

// ------------------------------------------------------------- crate modules

/// The folder of the crate file `rel` belongs to: the nearest folder above it with a
/// `lib.rs` or `main.rs`, or named `src`; the whole tree when none is.
fn crate_dir(locals: &LocalModules, rel: &str) -> String {
    let is_file = |f: &str| locals.has_module(&format!("{RS_MODULE}{f}"));
    let mut dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    loop {
        if is_file(&join_dir(dir, "lib.rs"))
            || is_file(&join_dir(dir, "main.rs"))
            || dir == "src"
            || dir.ends_with("/src")
        {
            return dir.to_string();
        }
        match dir.rsplit_once('/') {
            Some((parent, _)) => dir = parent,
            None if !dir.is_empty() => dir = "",
            None => return String::new(),
        }
    }
}

/// The folder holding the child modules of file `rel`'s module (`src/a.rs` → `src/a`,
/// `src/a/mod.rs` → `src/a`, `src/main.rs` → `src`).
fn module_dir(rel: &str) -> String {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    match file {
        "mod.rs" | "lib.rs" | "main.rs" => dir.to_string(),
        f => join_dir(dir, f.trim_end_matches(".rs")),
    }
}

fn join_dir(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The file of the module a crate path names (`crate::config::X` → `src/config.rs`,
/// `super::consts::X`, `config::X` for a child module) and how many of `names` it took.
/// `crate` is the nearest folder above `rel` with a `lib.rs` or `main.rs` (or named `src`);
/// a tree scanned from inside a crate (`src/client`) matches the path's tail instead.
fn rust_module(locals: &LocalModules, rel: &str, names: &[String]) -> Option<(String, usize)> {
    let is_file = |f: &str| locals.has_module(&format!("{RS_MODULE}{f}"));
    let dir_file = |d: &str| {
        let mut files = vec![join_dir(d, "lib.rs"), join_dir(d, "main.rs"), join_dir(d, "mod.rs")];
        if !d.is_empty() {
            files.insert(0, format!("{d}.rs"));
        }
        files.into_iter().find(|f| is_file(f))
    };
    let parent = |d: &str| d.rsplit_once('/').map_or(String::new(), |(p, _)| p.to_string());
    let descend = |mut dir: String, mut file: Option<String>, mut i: usize| {
        while i + 1 < names.len() {
            let cand = join_dir(&dir, &names[i]);
            let Some(f) = [format!("{cand}.rs"), format!("{cand}/mod.rs")].into_iter().find(|f| is_file(f)) else {
                break;
            };
            (dir, file, i) = (cand, Some(f), i + 1);
        }
        file.map(|f| (f, i))
    };
    let own = module_dir(rel);
    match names.first()?.as_str() {
        "crate" => {
            let mut dir = rel.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string());
            loop {
                let root = is_file(&join_dir(&dir, "lib.rs")) || is_file(&join_dir(&dir, "main.rs"));
                if root || dir == "src" || dir.ends_with("/src") {
                    return descend(dir.clone(), dir_file(&dir), 1);
                }
                if dir.is_empty() {
                    break;
                }
                dir = parent(&dir);
            }
            // Scanned from inside the crate: `crate::client::common::X` from `client/`'s files.
            (1..names.len()).find_map(|j| descend(String::new(), None, j).filter(|(_, i)| *i > j))
        }
        "self" => descend(own, Some(rel.to_string()), 1),
        "super" => {
            let (mut dir, mut i) = (own, 0);
            while names.get(i).is_some_and(|n| n == "super") {
                if dir.is_empty() {
                    return None;
                }
                (dir, i) = (parent(&dir), i + 1);
            }
            let file = dir_file(&dir);
            descend(dir, file, i)
        }
        // A child module (`mod config;` then `config::X`).
        _ => descend(own, None, 0).filter(|(_, i)| *i > 0),
    }
}

/// Detects everything in one Rust source.
pub fn detect(src: &str, rules: &RuleSet, rel: &str, locals: &LocalModules, out: &mut FileOutput) {
    let parse = |s: &str| PARSER.with(|p| p.borrow_mut().parse(s, None));
    if let Some(tree) = common::parse_or_scan(src, rules, &RUST_TEXT, parse, out) {
        let bodies = macro_trees(&tree, src);
        detect_tree(&tree, &bodies, src, rules, rel, locals, out);
    }
}

/// The strings a Rust module binds, for its crate's other modules
/// ([`LocalModules::module_string`]): its `const`s and `static`s (`DEFAULT_URL`, an inline
/// module's `urls.CHAT`), associated consts (`Config.DEFAULT_BASE_URL`, a trait's default
/// `Provider.BASE`), the consts of `impl Trait for Type` blocks (`impl:Trait:Type.NAME`,
/// [`IMPL`]), what its functions and methods return (`default_base_url()`,
/// `Config.endpoint()`), what its struct literals agree a field holds
/// (`Config.default().base_url`), and its `pub use` re-exports (globs as `*0`, `*1`, ...).
/// Other modules are not read from here.
pub fn module_strings(src: &str, rules: &RuleSet, rel: &str, locals: &LocalModules) -> Option<ModuleStrings> {
    // Paths (`CHAT_PATH = "/chat/completions"`) count as well as URLs: any string, or a re-export.
    if (!src.contains('"') && !src.contains("pub use")) || budget::too_large(src).is_some() {
        return None;
    }
    let tree = PARSER.with(|p| p.borrow_mut().parse(src, None))?;
    let root = tree.root_node();
    if budget::tree_too_deep(root).is_some() {
        return None;
    }
    let trees = macro_trees(&tree, src);
    let mut a = Analyzer::new(root, macro_bodies(&trees), src, rules, rel, locals);
    a.lazy = lazy_items(&trees);
    a.core.level = 0;
    let ctx = Ctx::module(root.id());
    lower::bind(&mut a, root, &ctx, &passes());
    // Names bound at the top level (an inline module's `urls::CHAT` as `urls.CHAT`) and
    // what its functions return; imports are not the module's own (`pub use` below).
    let mut strings: ModuleStrings = a
        .module_strings()
        .into_iter()
        .filter(|(_, v)| matches!(v, ModuleValue::Str(_)))
        .map(|(k, v)| (k.replace("::", "."), v))
        .collect();
    a.item_strings(&ctx, &mut strings);
    a.reexports(root, &mut strings);
    Some(strings)
}

/// The function a `#[serde(default = "path")]` attribute names, as written.
fn serde_default_path(attr: &str) -> Option<String> {
    let inner = attr.trim().strip_prefix("#[")?.trim_end_matches(']').trim();
    let args = inner.strip_prefix("serde")?.trim_start().strip_prefix('(')?;
    let at = args.find("default")?;
    let rest = args[at + "default".len()..].trim_start().strip_prefix('=')?.trim_start().strip_prefix('"')?;
    let path = &rest[..rest.find('"')?];
    (!path.is_empty()).then(|| path.to_string())
}

/// Elements of a list a `for` loop is followed through ([`Analyzer::loop_text`]).
const LOOP_CHOICES: usize = 16;

/// How many macros deep bodies are read as Rust (`vec![json!({..})]`).
const MACRO_LEVELS: usize = 3;

/// A macro invocation's body: where its name starts, and its token tree's byte range.
type MacroSpan = (usize, usize, usize);

/// The macro invocations of a tree whose body may be Rust expressions (`println!(..)`,
/// `vec![..]`, `format!(..)`, `json!(..)`), in source order.
fn macro_spans(root: Node<'_>, src: &[u8]) -> Vec<MacroSpan> {
    let mut spans = Vec::new();
    budget::preorder(root, |n| {
        if n.kind() != "macro_invocation" {
            return true;
        }
        let name = n.field("macro");
        let tt = (0..n.named_child_count()).filter_map(|i| n.named_child(i)).find(|c| c.kind() == "token_tree");
        if let (Some(name), Some(tt)) = (name, tt) {
            let (s, e) = (tt.start_byte(), tt.end_byte());
            if e > s + 1
                && matches!(src.get(s), Some(b'(' | b'[' | b'{'))
                && matches!(src.get(e - 1), Some(b')' | b']' | b'}'))
            {
                spans.push((name.start_byte(), s, e));
            }
        }
        true
    });
    spans.sort_unstable();
    spans
}

/// Macro bodies read as Rust: a source of the file's length where each macro of `spans`
/// is written as a call at its own bytes (`println!("{}", x)` as `println ("{}", x);`) inside
/// one function, everything else blank. Its nodes have the file's byte offsets, so they
/// read as the file's own. Then the macros inside those bodies, [`MACRO_LEVELS`] deep.
fn macro_trees(tree: &Tree, src: &str) -> Vec<Tree> {
    const HEAD: &[u8] = b"fn _m(){";
    let mut trees: Vec<Tree> = Vec::new();
    let mut spans = macro_spans(tree.root_node(), src.as_bytes());
    // A `lazy_static!` body is items, read in its own tree (its macros are the tree's).
    spans.retain(|&(name, _, _)| !src.as_bytes()[name..].starts_with(b"lazy_static"));
    if let Some(lazy) = lazy_tree(tree, src) {
        let more: Vec<MacroSpan> =
            macro_spans(lazy.root_node(), src.as_bytes()).into_iter().filter(|s| !spans.contains(s)).collect();
        spans.extend(more);
        spans.sort_unstable();
        trees.push(lazy);
    }
    for _ in 0..MACRO_LEVELS {
        let bytes = src.as_bytes();
        let mut text: Vec<u8> = bytes.iter().map(|&b| if b == b'\n' { b'\n' } else { b' ' }).collect();
        if text.len() <= HEAD.len() {
            break;
        }
        text[..HEAD.len()].copy_from_slice(HEAD);
        let mut end = HEAD.len();
        let mut any = false;
        for &(name, s, e) in &spans {
            if name <= end {
                continue;
            }
            // A `;` before it ends the statement before.
            let Some(semi) = (end..name).rev().find(|&i| text[i] == b' ') else { continue };
            text[semi] = b';';
            text[name..e].copy_from_slice(&bytes[name..e]);
            // The `!` between the name and the body.
            for b in &mut text[name..s] {
                if *b == b'!' {
                    *b = b' ';
                }
            }
            text[s] = b'(';
            text[e - 1] = b')';
            end = e;
            any = true;
        }
        if !any {
            break;
        }
        text.extend_from_slice(b"\n}\n");
        let Ok(synthetic) = String::from_utf8(text) else { break };
        let Some(t) = PARSER.with(|p| p.borrow_mut().parse(&synthetic, None)) else { break };
        spans = macro_spans(t.root_node(), synthetic.as_bytes())
            .into_iter()
            .filter(|&(_, s, e)| bytes.get(s..e).is_some_and(|b| b == &synthetic.as_bytes()[s..e]))
            .collect();
        trees.push(t);
    }
    trees
}

/// Whether a macro is `lazy_static!` (`lazy_static::lazy_static!`).
fn is_lazy_static(mac: Node<'_>, src: &[u8]) -> bool {
    mac.field("macro").is_some_and(|m| src[m.byte_range()].ends_with(b"lazy_static"))
}

/// The `lazy_static! { static ref NAME: T = expr; }` bodies of a file read as items: a
/// source of the file's length where each body is written at its own bytes without its
/// braces and `ref`s (`static NAME: T = expr;`), everything else blank. The `static` items
/// at its top level are the file's ([`lazy_items`]).
fn lazy_tree(tree: &Tree, src: &str) -> Option<Tree> {
    if !src.contains("lazy_static") {
        return None;
    }
    let bytes = src.as_bytes();
    let mut text: Vec<u8> = bytes.iter().map(|&b| if b == b'\n' { b'\n' } else { b' ' }).collect();
    let mut any = false;
    budget::preorder(tree.root_node(), |n| {
        if n.kind() != "macro_invocation" || !is_lazy_static(n, bytes) {
            return true;
        }
        let tt = (0..n.named_child_count()).filter_map(|i| n.named_child(i)).find(|c| c.kind() == "token_tree");
        if let Some(tt) = tt.filter(|t| t.end_byte() > t.start_byte() + 1) {
            let (s, e) = (tt.start_byte() + 1, tt.end_byte() - 1);
            text[s..e].copy_from_slice(&bytes[s..e]);
            // `static ref NAME`: the `ref` blanked.
            let mut i = s;
            while let Some(at) = text[i..e].windows(6).position(|w| w == b"static").map(|p| p + i) {
                let mut j = at + 6;
                while j < e && text[j].is_ascii_whitespace() {
                    j += 1;
                }
                if text[j..e].starts_with(b"ref") && text.get(j + 3).is_some_and(|b| b.is_ascii_whitespace()) {
                    text[j..j + 3].copy_from_slice(b"   ");
                }
                i = at + 6;
            }
            any = true;
        }
        false
    });
    if !any {
        return None;
    }
    let text = String::from_utf8(text).ok()?;
    PARSER.with(|p| p.borrow_mut().parse(&text, None))
}

/// The `static` items of [`lazy_tree`] (the only tree of [`macro_trees`] with items at its
/// top level), in source order.
fn lazy_items(macro_trees: &[Tree]) -> Vec<Node<'_>> {
    let mut items = Vec::new();
    for t in macro_trees {
        let root = t.root_node();
        items.extend(
            (0..root.named_child_count()).filter_map(|i| root.named_child(i)).filter(|c| c.kind() == "static_item"),
        );
    }
    items
}

/// The argument lists standing for the macro bodies read as Rust ([`macro_trees`]), by the
/// byte where each body's token tree opens.
fn macro_bodies(macro_trees: &[Tree]) -> HashMap<usize, Node<'_>> {
    let mut bodies = HashMap::new();
    for t in macro_trees {
        budget::preorder(t.root_node(), |n| {
            if n.kind() == "arguments" && n.parent().is_some_and(|c| c.kind() == "call_expression") {
                bodies.entry(n.start_byte()).or_insert(n);
            }
            true
        });
    }
    bodies
}

impl<'t> Analyzer<'t> {
    fn new(
        root: Node<'t>,
        bodies: HashMap<usize, Node<'t>>,
        src: &'t str,
        rules: &'t RuleSet,
        rel: &str,
        locals: &'t LocalModules,
    ) -> Self {
        Analyzer {
            core: Core::new(src, rules, locals, LANG, root),
            rel: rel.to_string(),
            globs: Vec::new(),
            types: HashMap::new(),
            callers: Callers::default(),
            bodies,
            lazy: Vec::new(),
            serde_defaults: Vec::new(),
            inline_mods: Vec::new(),
            built_urls: std::cell::OnceCell::new(),
            root,
            default_base: std::cell::OnceCell::new(),
            default_base_busy: std::cell::Cell::new(false),
        }
    }
}

fn detect_tree(
    tree: &Tree,
    macro_trees: &[Tree],
    src: &str,
    rules: &RuleSet,
    rel: &str,
    locals: &LocalModules,
    out: &mut FileOutput,
) {
    let root = tree.root_node();
    let mut a = Analyzer::new(root, macro_bodies(macro_trees), src, rules, rel, locals);
    a.lazy = lazy_items(macro_trees);
    let passes = passes().export(Analyzer::exports).finish(|a, root, out| {
        if root.has_error() {
            out.add_error(syntax_error(root, a.lines(), a.src()));
        }
        mark_test_code(root, a.src(), out);
    });
    lower::run(&mut a, root, out, passes);
}

/// The Rust lowering's passes: types, then bindings and serde defaults; the file's own
/// callers; the findings.
fn passes<'t>() -> lower::Passes<'t, Analyzer<'t>> {
    lower::Passes::new(
        &RUST_TEXT,
        |a, root, ctx| {
            a.collect_types(root, ctx);
            a.collect(root, ctx);
            a.bind_serde_defaults();
        },
        Analyzer::visit,
    )
    .callers(|a| std::mem::take(&mut a.callers))
    .url_names()
}

/// Where the first syntax error is: tree-sitter recovers, and the rest of the file is read.
fn syntax_error(root: Node<'_>, lines: &LineIndex, src: &str) -> String {
    let mut at = None;
    budget::preorder(root, |n| {
        if at.is_none() && (n.is_error() || n.is_missing()) {
            at = Some(n.start_byte());
        }
        at.is_none() && n.has_error()
    });
    let span = lines.span(src, at.unwrap_or(0), at.unwrap_or(0));
    format!("{}:{}: Rust syntax error; the rest of the file was read", span.line, span.column)
}

/// Marks the findings inside test code: a `#[cfg(test)]` module or item, a `#[test]`
/// (`#[tokio::test]`, ...) function.
fn mark_test_code(root: Node<'_>, src: &str, out: &mut FileOutput) {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    budget::preorder(root, |n| {
        if is_test_item(n, src) {
            ranges.push((n.start_position().row as u32 + 1, n.end_position().row as u32 + 1));
        }
        true
    });
    for f in &mut out.findings {
        if ranges.iter().any(|&(a, b)| (a..=b).contains(&f.line)) {
            f.test_code = true;
        }
    }
}

/// Whether an attribute marks test code: `#[test]`, `#[tokio::test]`, `#[cfg(test)]`,
/// `#[cfg(all(test, ..))]`; not `#[cfg(not(test))]`.
fn is_test_attr(attr: &str) -> bool {
    let inner = attr.trim_start_matches("#[").trim_end_matches(']').trim();
    let path = inner.split('(').next().unwrap_or("").trim();
    path.rsplit("::").next() == Some("test")
        || (path == "cfg"
            && inner.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "test")
            && !inner.contains("not"))
}

/// Whether an item (a function, a module) carries a test attribute.
fn is_test_item(item: Node<'_>, src: &str) -> bool {
    if !matches!(item.kind(), "function_item" | "mod_item" | "impl_item") {
        return false;
    }
    let mut prev = item.prev_named_sibling();
    while let Some(a) = prev.filter(|a| matches!(a.kind(), "attribute_item" | "line_comment" | "block_comment")) {
        if a.kind() == "attribute_item" && is_test_attr(&src[a.byte_range()]) {
            return true;
        }
        prev = a.prev_named_sibling();
    }
    false
}

struct Analyzer<'t> {
    core: Core<'t>,
    /// The file's path in the tree (for crate paths).
    rel: String,
    /// Modules imported with `*`, as full paths.
    globs: Vec<Vec<String>>,
    /// Types the file declares or implements (structs, enums, `impl` targets): class ids.
    types: HashMap<&'t str, usize>,
    /// The file's functions and methods by name and their calls ([`super::resolve::bind_callers`]).
    callers: Callers<'t>,
    /// Macro bodies read as Rust ([`macro_trees`]): by the byte where the token tree opens,
    /// the argument list standing for it.
    bodies: HashMap<usize, Node<'t>>,
    /// The `static ref` items of the file's `lazy_static!` bodies read as `static`s ([`lazy_tree`]).
    lazy: Vec<Node<'t>>,
    /// Fields with a serde default: (class, field, the function named).
    serde_defaults: Vec<(usize, &'t str, &'t str)>,
    /// The inline modules being collected (`mod urls { .. }`): their items are also bound
    /// in the file's scope by their path (`urls::OPENAI`).
    inline_mods: Vec<&'t str>,
    /// The request URLs the file's functions build ([`Analyzer::built_urls`]), once computed.
    built_urls: std::cell::OnceCell<Vec<String>>,
    /// The tree's root.
    root: Node<'t>,
    /// The file's default base URL ([`Analyzer::default_base`]), once computed.
    default_base: std::cell::OnceCell<Option<String>>,
    /// Set while the default base is computed: a base-URL field read again is unknown.
    default_base_busy: std::cell::Cell<bool>,
}

impl<'t> std::ops::Deref for Analyzer<'t> {
    type Target = Core<'t>;
    fn deref(&self) -> &Core<'t> {
        &self.core
    }
}

impl std::ops::DerefMut for Analyzer<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.core
    }
}

/// The last name of a type as written (`&Arc<Config>` is `Config`, `crate::a::Svc<T>` is `Svc`).
fn type_name(t: &str) -> &str {
    let t = t.trim().trim_start_matches('&').trim_start_matches("mut ").trim();
    let t = t.split('<').next().unwrap_or(t);
    t.rsplit("::").next().unwrap_or(t).trim()
}

impl<'t> Analyzer<'t> {
    // ---------------------------------------------------------------- pass 1: bindings

    /// Types first: methods, struct literals and `Self` refer to them from anywhere.
    fn collect_types(&mut self, root: Node<'t>, ctx: &Ctx) {
        budget::preorder(root, |n| {
            let name = match n.kind() {
                "struct_item" | "enum_item" | "union_item" => n.field("name").map(|t| self.text(t)),
                "impl_item" => n.field("type").map(|t| type_name(self.text(t))),
                _ => None,
            };
            if let Some(name) = name.filter(|s| !s.is_empty()) {
                if !self.types.contains_key(name) {
                    self.types.insert(name, n.id());
                    if n.kind() != "impl_item" {
                        self.core.sym.bind(ctx, name, 0, Bind::Class(n.id()));
                    }
                    self.sym.classes.entry(n.id()).or_default();
                }
            }
            true
        });
    }

    /// A `use` path's names as the canonical path they stand for: a module of the crate is
    /// its file's key (`crate::config::X` → `rs:src/config.rs.X`).
    fn crate_path(&self, names: &[String]) -> Path {
        if let Some((key, taken)) = rust_module(self.locals, &self.rel, names).filter(|(f, _)| *f != self.rel) {
            let mut segs = vec![Seg { name: format!("{RS_MODULE}{key}"), call: None }];
            segs.extend(names[taken..].iter().filter(|n| !n.is_empty()).map(|n| Seg { name: n.clone(), call: None }));
            return Path(segs);
        }
        let names: Vec<&str> = names.iter().map(String::as_str).filter(|n| !n.is_empty()).collect();
        Path::from_dotted(&names.join("."))
    }

    /// The names of a path as written (`a::b::c`, `crate::x`).
    fn path_names(&self, n: Node<'t>) -> Vec<String> {
        self.text(n).split("::").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
    }

    /// One name a `use` tree brings in: its local name (`None` for a glob) and full path.
    fn use_leaves(&self, n: Node<'t>, prefix: &[String], out: &mut Vec<(Option<String>, Vec<String>)>) {
        let join = |rest: Vec<String>| {
            let mut full = prefix.to_vec();
            full.extend(rest);
            full
        };
        match n.kind() {
            "identifier" | "scoped_identifier" | "crate" | "super" | "self" => {
                let full = join(self.path_names(n));
                if full.last().is_some_and(|l| l == "self") {
                    let full = full[..full.len() - 1].to_vec();
                    if let Some(last) = full.last() {
                        out.push((Some(last.clone()), full.clone()));
                    }
                } else if let Some(last) = full.last() {
                    out.push((Some(last.clone()), full.clone()));
                }
            }
            "use_as_clause" => {
                let (Some(p), Some(alias)) = (n.field("path"), n.field("alias")) else {
                    return;
                };
                let mut full = join(self.path_names(p));
                if full.last().is_some_and(|l| l == "self") {
                    full.pop();
                }
                let alias = self.text(alias);
                out.push(((alias != "_").then(|| alias.to_string()), full));
            }
            "scoped_use_list" => {
                let full = join(n.field("path").map(|p| self.path_names(p)).unwrap_or_default());
                if let Some(list) = n.field("list") {
                    self.use_leaves(list, &full, out);
                }
            }
            "use_list" => {
                let mut cursor = n.walk();
                for c in n.named_children(&mut cursor) {
                    self.use_leaves(c, prefix, out);
                }
            }
            "use_wildcard" => {
                let full = join(n.named_child(0).map(|p| self.path_names(p)).unwrap_or_default());
                out.push((None, full));
            }
            _ => {}
        }
    }

    fn pos(&self, ctx: &Ctx, node: Node<'t>) -> usize {
        // Items are visible in their whole scope, whatever their order.
        if ctx.scope() == self.sym.root_id {
            0
        } else {
            node.start_byte()
        }
    }

    fn collect(&mut self, node: Node<'t>, ctx: &Ctx) {
        // Calls in test code configure no product: their arguments are not callers' values.
        if is_test_item(node, self.src) {
            let callers = std::mem::take(&mut self.callers.calls);
            self.collect_item(node, ctx);
            self.callers.calls = callers;
            return;
        }
        self.collect_item(node, ctx);
    }

    fn collect_item(&mut self, node: Node<'t>, ctx: &Ctx) {
        match node.kind() {
            "use_declaration" => {
                let Some(arg) = node.field("argument") else { return };
                let mut leaves = Vec::new();
                self.use_leaves(arg, &[], &mut leaves);
                for (local, full) in leaves {
                    match local {
                        Some(l) => {
                            let path = self.crate_path(&full);
                            self.sym.bind(ctx, &l, 0, Bind::Import(path));
                        }
                        None => self.globs.push(full),
                    }
                }
                return;
            }
            "function_item" | "closure_expression" => {
                self.collect_function(node, ctx);
                return;
            }
            "impl_item" => {
                let inner = self.impl_ctx(node, ctx);
                match (inner.class, node.field("type")) {
                    (Some(class), _) => self.sym.bind(&inner, "Self", 0, Bind::Class(class)),
                    // `impl Converse for aws_sdk_bedrockruntime::Client`: `self` is that client;
                    // `impl Router` of `use super::Router`: an instance of another module's type.
                    (None, Some(t)) => {
                        let local =
                            self.imported(type_name(self.text(t)), ctx).filter(|p| self.locals.is_local_module_path(p));
                        match local.and_then(|p| p.called(CallArgs::default())) {
                            Some(p) => self.sym.bind(&inner, "self", 0, Bind::Typed(p)),
                            None => self.sym.bind(&inner, "self", 0, Bind::Annot(t, ctx.clone())),
                        }
                        self.sym.bind(&inner, "Self", 0, Bind::Expr(t, ctx.clone()));
                    }
                    _ => {}
                }
                if let Some(body) = node.field("body") {
                    self.collect(body, &inner);
                }
                return;
            }
            "struct_item" => self.collect_struct(node, ctx),
            "enum_item" => self.collect_enum(node, ctx),
            // `Provider::OpenAI(client) => client.chat()...`: the arm is a scope of its own,
            // where the pattern's name holds what the variant carries (arms binding the same
            // name are not alternatives of one variable).
            "match_arm" | "if_expression" => {
                if let Some((p, one)) = self.variant_scope(node) {
                    let inner = ctx.enter(node.id());
                    self.bind_variant(p, one, node.start_byte(), ctx, &inner);
                    for child in self.children(node) {
                        self.collect(child, &inner);
                    }
                    return;
                }
            }
            // `lazy_static! { static ref URL: String = ...; }`: its items are `static`s.
            "macro_invocation" if is_lazy_static(node, self.src.as_bytes()) => {
                for item in self.lazy_in(node) {
                    self.collect_item(item, ctx);
                }
                return;
            }
            "mod_item" => {
                if let (Some(name), Some(body)) = (node.field("name"), node.field("body")) {
                    self.inline_mods.push(self.core.text_at(name));
                    self.collect(body, ctx);
                    self.inline_mods.pop();
                }
                return;
            }
            "const_item" | "static_item" => {
                let Some(name) = node.field("name") else { return };
                let name = self.core.text_at(name);
                let pos = self.pos(ctx, node);
                let bind = match (node.field("value"), node.field("type")) {
                    (Some(v), _) => Bind::Expr(v, ctx.clone()),
                    (None, Some(t)) => Bind::Annot(t, ctx.clone()),
                    _ => return,
                };
                // An associated const (`impl Config { const BASE_URL: &str = "..." }`) is a
                // member of the type.
                let in_impl = node.parent().and_then(|p| p.parent()).is_some_and(|p| p.kind() == "impl_item");
                if !self.inline_mods.is_empty() && !in_impl {
                    let full = format!("{}::{name}", self.inline_mods.join("::"));
                    self.core.sym.bind(&Ctx::module(self.sym.root_id), &full, 0, bind.clone());
                }
                match ctx.class {
                    Some(class) if in_impl => self.sym.bind_attr(class, name, 0, bind),
                    _ => self.core.sym.bind(ctx, name, pos, bind),
                }
            }
            "let_declaration" => {
                if let Some(p) = node.field("pattern") {
                    let pos = node.end_byte();
                    match (node.field("value"), node.field("type")) {
                        (Some(v), t) => {
                            self.bind_pattern(p, pos, Bind::Expr(v, ctx.clone()), ctx);
                            if let Some(t) = t {
                                self.bind_pattern(p, pos, Bind::Annot(t, ctx.clone()), ctx);
                            }
                        }
                        (None, Some(t)) => self.bind_pattern(p, pos, Bind::Annot(t, ctx.clone()), ctx),
                        _ => {}
                    }
                }
            }
            "let_condition" => {
                if let (Some(p), Some(v)) = (node.field("pattern"), node.field("value")) {
                    // (A variant's pattern is bound by its `if`: [`Analyzer::variant_scope`].)
                    if self.variant_of(p).is_none() {
                        self.bind_pattern(p, node.end_byte(), Bind::Expr(v, ctx.clone()), ctx);
                    }
                }
            }
            "assignment_expression" => {
                if let (Some(l), Some(r)) = (node.field("left"), node.field("right")) {
                    self.bind_target(l, r, node.end_byte(), ctx);
                }
            }
            "struct_expression" => self.collect_literal(node, ctx),
            // `for x in xs`: a name of this scope whose value is not followed.
            // `for x in xs`, `for (model, key) in MODELS`: each name the pattern binds is its
            // own node, read as the element of a list the code spells ([`Analyzer::loop_text`]).
            "for_expression" => {
                if let Some(p) = node.field("pattern") {
                    let mut names = Vec::new();
                    budget::preorder(p, |n| {
                        if n.kind() == "identifier" {
                            names.push(n);
                        }
                        true
                    });
                    for n in names {
                        self.bind_pattern(n, node.start_byte(), Bind::Expr(n, ctx.clone()), ctx);
                    }
                }
            }
            "call_expression" => {
                let name = node.field("function").and_then(|f| match f.kind() {
                    "identifier" => Some(f),
                    "field_expression" => f.field("field"),
                    "scoped_identifier" => f.field("name"),
                    _ => None,
                });
                if let (Some(name), Some(args)) = (name, node.field("arguments")) {
                    self.callers.call(self.core.text_at(name), args, ctx);
                }
                // `client.set_base_url(url);` on a `let mut client`: the client from here on is
                // the one the setter configured, as in a builder chain.
                if let Some((recv, method)) = self.method(node) {
                    let statement = node.parent().is_some_and(|p| p.kind() == "expression_statement");
                    if statement && recv.kind() == "identifier" && self.core.rules.is_base_url_setter(LANG, method) {
                        let name = self.core.text_at(recv).to_string();
                        self.core.sym.bind(ctx, &name, node.end_byte(), Bind::Expr(node, ctx.clone()));
                    }
                }
            }
            "return_expression" => {
                // The function the `return` is in: the innermost of the chain (a match arm is
                // a scope inside it).
                let func = ctx.chain.iter().rev().find(|id| self.sym.funcs.contains_key(id)).copied();
                if let (Some(value), Some(f)) = (node.named_child(0), func.and_then(|id| self.sym.funcs.get_mut(&id))) {
                    f.returns.push((value, ctx.clone()));
                }
            }
            _ => {}
        }
        for child in self.children(node) {
            self.collect(child, ctx);
        }
    }

    /// A node's named children; of a macro read as Rust, its body's expressions.
    fn children(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let body = self.macro_parts(node).and_then(|(_, tt)| self.bodies.get(&tt.start_byte()).copied());
        let node = body.unwrap_or(node);
        let mut cursor = node.walk();
        let v: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        v
    }

    /// Binds the names a pattern introduces (`x`, `mut x`, `&x`, `Some(x)`, `(a, b)` gives
    /// each the whole value, as far as a vendor path goes).
    fn bind_pattern(&mut self, p: Node<'t>, pos: usize, bind: Bind<'t>, ctx: &Ctx) {
        match p.kind() {
            "identifier" => {
                let name = self.core.text_at(p);
                if name != "_" {
                    self.core.sym.bind(ctx, name, pos, bind);
                }
            }
            "mut_pattern" | "reference_pattern" | "ref_pattern" | "tuple_struct_pattern" => {
                let mut cursor = p.walk();
                let inner: Vec<Node<'t>> =
                    p.named_children(&mut cursor).filter(|c| c.kind() != "mutable_specifier").collect();
                // `Some(x)`, `Ok(x)`: the pattern's type comes first.
                let skip = usize::from(p.kind() == "tuple_struct_pattern");
                if inner.len() == 1 + skip {
                    self.bind_pattern(inner[skip], pos, bind, ctx);
                }
            }
            _ => {}
        }
    }

    /// `Kind::Variant(x)` matched (`if let`, a `match` arm): `x` holds what the variant
    /// carries, which the enum declares ([`Analyzer::collect_enum`]), whatever value is
    /// matched (`ClientType::default()` built in another module), bound in `inner`, the
    /// arm's or the `if`'s own scope (arms binding one name are not alternatives of one
    /// variable).
    fn bind_variant(&mut self, variant: Node<'t>, one: Node<'t>, pos: usize, ctx: &Ctx, inner: &Ctx) {
        self.bind_pattern(one, pos, Bind::Expr(variant, ctx.clone()), inner);
    }

    /// `Kind::Variant(x)`: the variant's path and the one pattern inside (not `Some`, `Ok`,
    /// `Err`, which hold the value itself as far as a vendor path goes).
    fn variant_of(&self, p: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        if p.kind() != "tuple_struct_pattern" {
            return None;
        }
        let t = p.field("type")?;
        let name = match t.kind() {
            "scoped_identifier" => t.field("name")?,
            "identifier" => t,
            _ => return None,
        };
        let mut cursor = p.walk();
        let inner: Vec<Node<'t>> = p.named_children(&mut cursor).skip(1).collect();
        match inner.as_slice() {
            [one] if !matches!(self.text(name), "Some" | "Ok" | "Err") => Some((t, *one)),
            _ => None,
        }
    }

    /// A match arm whose pattern is an enum variant carrying one value, or an `if let` of
    /// one: the variant's path and the pattern inside ([`Analyzer::bind_variant`]).
    fn variant_scope(&self, node: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
        let p = match node.kind() {
            "match_arm" => node.field("pattern")?.named_child(0)?,
            "if_expression" => node.field("condition").filter(|c| c.kind() == "let_condition")?.field("pattern")?,
            _ => return None,
        };
        self.variant_of(p)
    }

    /// `enum ClientType { Gemini(gems::Client), .. }`: a variant carrying one value is a
    /// member of the enum holding an instance of that type, as a struct's field is.
    fn collect_enum(&mut self, node: Node<'t>, ctx: &Ctx) {
        let Some(&class) = node.field("name").and_then(|n| self.types.get(self.text(n))) else { return };
        let Some(body) = node.field("body") else { return };
        for variant in self.children(body).into_iter().filter(|v| v.kind() == "enum_variant") {
            let (Some(name), Some(fields)) = (variant.field("name"), variant.field("body")) else { continue };
            if fields.kind() != "ordered_field_declaration_list" {
                continue;
            }
            let mut cursor = fields.walk();
            let types: Vec<Node<'t>> = fields.children_by_field_name("type", &mut cursor).collect();
            if let [t] = types.as_slice() {
                self.core.sym.bind_attr(class, self.core.text_at(name), 0, Bind::Annot(*t, ctx.clone()));
            }
        }
    }

    /// `x = value`, `self.client = value`.
    fn bind_target(&mut self, l: Node<'t>, value: Node<'t>, pos: usize, ctx: &Ctx) {
        match l.kind() {
            "identifier" => self.core.sym.bind(ctx, self.core.text_at(l), pos, Bind::Expr(value, ctx.clone())),
            "field_expression" => {
                let (Some(obj), Some(field)) = (l.field("value"), l.field("field")) else {
                    return;
                };
                if let (Some(class), "self") = (ctx.class, obj.kind()) {
                    self.core.sym.bind_attr(class, self.core.text_at(field), pos, Bind::Expr(value, ctx.clone()));
                }
            }
            _ => {}
        }
    }

    /// `Svc { client: Client::new(), url }`: the fields of a local struct hold the values.
    fn collect_literal(&mut self, node: Node<'t>, ctx: &Ctx) {
        let Some(name) = node.field("name") else { return };
        let name = type_name(self.text(name));
        let class = if name == "Self" { ctx.class } else { self.types.get(name).copied() };
        let Some(class) = class else { return };
        for (key, value) in self.literal_fields(node) {
            self.sym.bind_attr(class, key, value.start_byte(), Bind::Expr(value, ctx.clone()));
        }
    }

    /// The `field: value` and shorthand `field` initializers of a struct literal.
    fn literal_fields(&self, node: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
        let body = if node.kind() == "field_initializer_list" { Some(node) } else { node.field("body") };
        let Some(body) = body else { return Vec::new() };
        let mut cursor = body.walk();
        let fields: Vec<Node<'t>> = body.named_children(&mut cursor).collect();
        fields
            .into_iter()
            .filter_map(|f| match f.kind() {
                "field_initializer" => Some((self.text(f.field("field")?), f.field("value")?)),
                "shorthand_field_initializer" => {
                    let id = f.named_child(0).filter(|c| c.kind() == "identifier")?;
                    Some((self.text(id), id))
                }
                _ => None,
            })
            .collect()
    }

    /// A struct's fields, with their types (at position 0: a literal elsewhere says more).
    fn collect_struct(&mut self, node: Node<'t>, ctx: &Ctx) {
        let Some(&class) = node.field("name").and_then(|n| self.types.get(self.text(n))) else { return };
        let Some(body) = node.field("body") else { return };
        let mut cursor = body.walk();
        let fields: Vec<Node<'t>> = body.named_children(&mut cursor).collect();
        let mut index = 0;
        for f in fields {
            match f.kind() {
                "field_declaration" => {
                    if let (Some(n), Some(t)) = (f.field("name"), f.field("type")) {
                        self.core.sym.bind_attr(class, self.core.text_at(n), 0, Bind::Annot(t, ctx.clone()));
                        if let Some(default) = self.serde_default(f) {
                            self.serde_defaults.push((class, self.core.text_at(n), default));
                        }
                    }
                }
                // `struct Tool(Agent)`: fields `0`, `1`, ...
                "visibility_modifier" | "attribute_item" | "line_comment" | "block_comment" => {}
                _ if body.kind() == "ordered_field_declaration_list" => {
                    self.sym.bind_attr(class, &index.to_string(), 0, Bind::Annot(f, ctx.clone()));
                    index += 1;
                }
                _ => {}
            }
        }
    }

    /// [`module_strings`] of the file's types and traits: associated consts (also under
    /// [`IMPL`] for a trait's implementor), a trait's default consts, what methods return,
    /// and what struct literals agree a field holds.
    fn item_strings(&self, root_ctx: &Ctx, out: &mut ModuleStrings) {
        fn put(out: &mut ModuleStrings, key: String, v: Option<String>) {
            if let Some(s) = v {
                out.entry(key).or_insert(ModuleValue::Str(s));
            }
        }
        let mut items: Vec<Node<'t>> = Vec::new();
        budget::preorder(self.root, |n| match n.kind() {
            "impl_item" | "trait_item" => {
                items.push(n);
                false
            }
            "function_item" => false,
            _ => true,
        });
        for item in items {
            let Some(ty) = item.field(if item.kind() == "trait_item" { "name" } else { "type" }) else { continue };
            let ty = type_name(self.text(ty));
            let tr = item.field("trait").map(|t| type_name(self.text(t)));
            let ctx = if item.kind() == "impl_item" { self.impl_ctx(item, root_ctx) } else { root_ctx.clone() };
            let Some(body) = item.field("body") else { continue };
            for c in self.children(body) {
                match c.kind() {
                    "const_item" => {
                        let (Some(name), Some(v)) = (c.field("name"), c.field("value")) else { continue };
                        let name = self.text(name);
                        let value = self.string_value(v, &ctx, 0);
                        if let Some(tr) = tr {
                            put(out, format!("{IMPL}{tr}:{ty}.{name}"), value.clone());
                        }
                        put(out, format!("{ty}.{name}"), value);
                    }
                    "function_item" => {
                        if let Some(name) = c.field("name") {
                            let mut found = ModuleStrings::new();
                            self.returns_under(c, &format!("{ty}.{}", self.text(name)), &mut found);
                            for (k, v) in found {
                                out.entry(k).or_insert(v);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        self.serde_defaults(out);
        let mut types: Vec<(&&'t str, &usize)> = self.types.iter().collect();
        types.sort();
        for (ty, class) in types {
            let Some(info) = self.sym.classes.get(class) else { continue };
            let mut fields: Vec<&String> = info
                .attrs
                .iter()
                .filter(|(_, binds)| {
                    binds.iter().any(|b| {
                        matches!(b.bind, Bind::Expr(n, _) if n.parent().is_some_and(|p| {
                            matches!(p.kind(), "field_initializer" | "shorthand_field_initializer")
                        }))
                    })
                })
                .map(|(k, _)| k)
                .collect();
            fields.sort();
            for field in fields {
                if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(format!("{ty}.default().{field}")) {
                    if let Some(s) = self.field_string(*class, field, self.root, 0, 0) {
                        slot.insert(ModuleValue::Str(s));
                    }
                }
            }
        }
    }

    /// What a deserialized instance of a struct of the file holds in a field the input may
    /// leave out: `#[serde(default = "Config::default_url")]` on the field names the function
    /// whose result it then holds (https://serde.rs/field-attrs.html#default--path), bound
    /// as `Config().url` (the value read through a `config: Config` parameter), whatever
    /// configuration may set instead. Read after the functions' returns are in `out`.
    fn serde_defaults(&self, out: &mut ModuleStrings) {
        let mut found: Vec<(String, String)> = Vec::new();
        budget::preorder(self.root, |n| {
            if n.kind() != "struct_item" {
                return !matches!(n.kind(), "function_item" | "impl_item");
            }
            let (Some(name), Some(body)) = (n.field("name"), n.field("body")) else { return false };
            let ty = self.text(name);
            let mut default = None;
            for c in self.children(body) {
                match c.kind() {
                    "attribute_item" => default = serde_default_path(self.text(c)).or(default),
                    "field_declaration" => {
                        if let (Some(f), Some(path)) = (c.field("name"), default.take()) {
                            // `Self::f`, `Config::f`, `crate::config::f`, `f`: the key its
                            // function's returns are bound under.
                            let path = path.replace("Self::", &format!("{ty}::")).replace("::", ".");
                            let path = path.trim_start_matches("crate.").trim_start_matches("self.");
                            found.push((format!("{ty}().{}", self.text(f)), format!("{path}()")));
                        }
                    }
                    _ => default = None,
                }
            }
            false
        });
        for (key, function) in found {
            // (A function of another module, `crate::defaults::url`, is read by its last names.)
            let tail = function.rsplit('.').take(2).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(".");
            let last = function.rsplit('.').next().unwrap_or_default().to_string();
            let value = [function.as_str(), tail.as_str(), last.as_str()].into_iter().find_map(|k| match out.get(k) {
                Some(ModuleValue::Str(s)) => Some(s.clone()),
                _ => None,
            });
            if let Some(v) = value {
                out.entry(key).or_insert(ModuleValue::Str(v));
            }
        }
    }

    /// [`module_strings`] of the file's `pub use` items: a name re-exported from a module of
    /// the crate as that module's path, a glob as `*0`, `*1`, ... (at most [`GLOBS`]).
    fn reexports(&self, root: Node<'t>, out: &mut ModuleStrings) {
        let mut globs = 0;
        for item in self.children(root) {
            let public = self.children(item).iter().any(|c| c.kind() == "visibility_modifier");
            let Some(arg) = item.field("argument").filter(|_| item.kind() == "use_declaration" && public) else {
                continue;
            };
            let mut leaves = Vec::new();
            self.use_leaves(arg, &[], &mut leaves);
            for (local, full) in leaves {
                // A glob names a module: its path is followed to the end (past a stand-in item).
                let names: Vec<String> = full.iter().cloned().chain(local.is_none().then(|| "*".to_string())).collect();
                let Some((file, i)) = rust_module(self.locals, &self.rel, &names) else { continue };
                if local.is_none() && i != full.len() {
                    continue;
                }
                let module = Seg { name: format!("{RS_MODULE}{file}"), call: None };
                let rest = full[i..].iter().map(|n| Seg { name: n.clone(), call: None });
                match local {
                    Some(name) if i < full.len() => {
                        out.insert(name, ModuleValue::Import(Path(std::iter::once(module).chain(rest).collect())));
                    }
                    None if globs < GLOBS => {
                        out.insert(format!("*{globs}"), ModuleValue::Import(Path(vec![module])));
                        globs += 1;
                    }
                    _ => {}
                }
            }
        }
    }

    /// The path a name is imported as, if a `use` binds it.
    fn imported(&self, name: &str, ctx: &Ctx) -> Option<Path> {
        self.lookup(name, ctx, usize::MAX).into_iter().find_map(|b| match &b.bind {
            Bind::Import(p) => Some(p.clone()),
            _ => None,
        })
    }

    /// What other modules of the crate may read: the fields and methods of the file's
    /// structs (`Router().client`) and what its functions return (`make_client()`), where
    /// they hold or return a vendor's client.
    fn exports(&self, out: &mut FileOutput) {
        if !self.locals.has_module(&format!("{RS_MODULE}{}", self.rel)) {
            return;
        }
        let ctx = Ctx::module(self.sym.root_id);
        let mut found: Vec<(String, Option<Val<'t>>)> = Vec::new();
        if let Some(scope) = self.sym.scopes.get(&self.sym.root_id) {
            for name in scope.keys() {
                let binds = self.lookup(name, &ctx, usize::MAX);
                match binds.first().map(|b| &b.bind) {
                    Some(Bind::Func(def)) => found.push((format!("{name}()"), self.function_result(*def, 0))),
                    Some(Bind::Expr(..)) => found.push((name.clone(), self.first_resolved(binds, 0))),
                    _ => {}
                }
            }
        }
        for (t, class) in &self.types {
            found.extend(self.type_exports(t, *class, false));
            found.extend(self.type_exports(t, *class, true));
        }
        self.export_vendor_paths(found, out);
    }

    /// The function `#[serde(default = "path")]` names on a field, if it has one.
    fn serde_default(&self, field: Node<'t>) -> Option<&'t str> {
        let mut prev = field.prev_named_sibling();
        while let Some(a) = prev.filter(|a| matches!(a.kind(), "attribute_item" | "line_comment" | "block_comment")) {
            let t = self.text(a);
            if let Some(at) = t.find("default").filter(|_| t.contains("serde")) {
                let rest = t[at + "default".len()..].trim_start();
                if let Some(rest) = rest.strip_prefix('=') {
                    let rest = rest.trim_start().strip_prefix('"')?;
                    let name = &rest[..rest.find('"')?];
                    return Some(name.rsplit("::").next().unwrap_or(name));
                }
            }
            prev = a.prev_named_sibling();
        }
        None
    }

    /// A serde default is what the field holds when the settings leave it out: what the
    /// named function returns.
    fn bind_serde_defaults(&mut self) {
        let root = Ctx::module(self.sym.root_id);
        for (class, field, func) in std::mem::take(&mut self.serde_defaults) {
            let def = self.lookup(func, &root, usize::MAX).into_iter().find_map(|b| match b.bind {
                Bind::Func(d) => Some(d),
                _ => None,
            });
            let returns = def.and_then(|d| self.sym.funcs.get(&d.id())).map(|f| f.returns.clone()).unwrap_or_default();
            for (n, c) in returns {
                self.sym.bind_attr(class, field, 0, Bind::Expr(n, c));
            }
        }
    }

    /// The context inside an `impl` block: the class of its type, unless the type is
    /// imported (an SDK's client the crate implements a trait for).
    fn impl_ctx(&self, node: Node<'t>, ctx: &Ctx) -> Ctx {
        let mut inner = ctx.enter(node.id());
        let name = node.field("type").map(|t| type_name(self.text(t)));
        let imported =
            name.is_some_and(|n| self.lookup(n, ctx, usize::MAX).iter().any(|b| matches!(b.bind, Bind::Import(_))));
        if !imported {
            inner.class = name.and_then(|n| self.types.get(n).copied());
        }
        inner
    }

    /// The context inside a function or closure.
    fn inner_ctx(&self, node: Node<'t>, ctx: &Ctx) -> Ctx {
        let mut inner = ctx.enter(node.id());
        let has_self = node.field("parameters").is_some_and(|p| {
            (0..p.named_child_count()).any(|i| p.named_child(i).is_some_and(|c| c.kind() == "self_parameter"))
        });
        if has_self {
            inner.self_name = Some(Rc::from("self"));
        }
        inner
    }

    fn collect_function(&mut self, node: Node<'t>, ctx: &Ctx) {
        let inner = self.inner_ctx(node, ctx);
        if let Some(name) = node.field("name") {
            let name = self.core.text_at(name);
            self.callers.def(name, node);
            match ctx.class {
                Some(class) if node.parent().and_then(|p| p.parent()).is_some_and(|p| p.kind() == "impl_item") => {
                    self.sym.classes.entry(class).or_default().methods.insert(name.to_string(), node);
                }
                _ => {
                    let pos = self.pos(ctx, node);
                    self.core.sym.bind(ctx, name, pos, Bind::Func(node));
                    if !self.inline_mods.is_empty() {
                        let full = format!("{}::{name}", self.inline_mods.join("::"));
                        self.core.sym.bind(&Ctx::module(self.sym.root_id), &full, 0, Bind::Func(node));
                    }
                }
            }
        }
        let annotation = node.field("return_type").map(|t| (t, ctx.clone()));
        let mut info = FuncInfo { returns: Vec::new(), annotation, class: ctx.class };
        let body = node.field("body");
        if let Some(tail) = body.and_then(|b| self.tail(b)) {
            info.returns.push((tail, inner.clone()));
        }
        self.sym.funcs.insert(node.id(), info);
        if let Some(params) = node.field("parameters") {
            let mut cursor = params.walk();
            let list: Vec<Node<'t>> = params.named_children(&mut cursor).collect();
            for p in list {
                match p.kind() {
                    "parameter" => {
                        if let (Some(pat), Some(t)) = (p.field("pattern"), p.field("type")) {
                            self.bind_pattern(pat, p.start_byte(), Bind::Annot(t, ctx.clone()), &inner);
                        }
                    }
                    "identifier" => {
                        self.core.sym.bind(&inner, self.core.text_at(p), p.start_byte(), Bind::Expr(node, ctx.clone()));
                    }
                    _ => {}
                }
            }
        }
        if let Some(body) = body {
            self.collect(body, &inner);
        }
    }

    /// A block's value: its tail expression (a block-like expression statement last too).
    fn tail(&self, block: Node<'t>) -> Option<Node<'t>> {
        if block.kind() != "block" {
            // A closure's expression body.
            return Some(block);
        }
        let mut last = None;
        let mut cursor = block.walk();
        for c in block.named_children(&mut cursor) {
            if !matches!(c.kind(), "line_comment" | "block_comment") {
                last = Some(c);
            }
        }
        let last = last?;
        match last.kind() {
            "expression_statement" => {
                let inner = last.named_child(0)?;
                let block_like = matches!(
                    inner.kind(),
                    "if_expression" | "match_expression" | "block" | "unsafe_block" | "async_block"
                );
                let semi = self.text(last).trim_end().ends_with(';');
                (block_like && !semi).then_some(inner)
            }
            "let_declaration" | "use_declaration" | "function_item" | "const_item" | "static_item" => None,
            _ if last.kind().ends_with("_item") => None,
            _ => Some(last),
        }
    }

    // ---------------------------------------------------------------- arguments

    fn list_args(&self, args: Node<'t>) -> Vec<Node<'t>> {
        let mut cursor = args.walk();
        let v: Vec<Node<'t>> = args
            .named_children(&mut cursor)
            .filter(|c| !matches!(c.kind(), "line_comment" | "block_comment" | "attribute_item"))
            .collect();
        v
    }

    /// The callee of a call as a method name and receiver (`a.b(..)` → (`a`, `b`)).
    fn method(&self, call: Node<'t>) -> Option<(Node<'t>, &'t str)> {
        let f = call.field("function")?;
        let f = if f.kind() == "generic_function" { f.field("function")? } else { f };
        (f.kind() == "field_expression").then(|| Some((f.field("value")?, self.text(f.field("field")?))))?
    }

    /// `Arc::new(x)`, `Box::new(x)`, `Some(x)`, `Ok(x)`, `String::from(x)`: the wrapped value.
    fn wrapped(&self, call: Node<'t>) -> Option<Node<'t>> {
        let f = call.field("function")?;
        let names = self.path_names(f);
        let wrapper = match names.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            [one] => matches!(*one, "Some" | "Ok"),
            [.., ty, f] => {
                let ty = ty.split('<').next().unwrap_or(ty);
                WRAPPERS.contains(&ty) && matches!(*f, "new" | "from")
            }
            _ => false,
        };
        if !wrapper || !matches!(f.kind(), "identifier" | "scoped_identifier") {
            return None;
        }
        let arg = self.list_args(call.field("arguments")?).into_iter().next()?;
        // `Lazy::new(|| expr)`, `LazyLock::new(|| expr)`: what the closure gives.
        let lazy =
            matches!(names.iter().rev().nth(1).map(|t| t.split('<').next().unwrap_or(t)), Some("Lazy" | "LazyLock"));
        let no_params = arg.field("parameters").is_some_and(|p| p.named_child_count() == 0);
        match arg.field("body") {
            Some(body) if lazy && arg.kind() == "closure_expression" && no_params => Some(body),
            _ => Some(arg),
        }
    }

    /// The expression whose string `v` is, past everything that keeps a string as it is:
    /// parentheses, `?`, `.await`, `&`, wrappers (`Some(x)`, `Arc::new(x)`), `x.to_string()`
    /// and the like ([`KEEP_TEXT`]), `Url::parse(x)` (`Url::parse(&base)?` is `base`): read
    /// in one step of the resolver's depth, so that a
    /// URL behind a struct field, a fallback and a generic parameter's const stays in reach.
    fn peel(&self, mut v: Node<'t>) -> Node<'t> {
        for _ in 0..16 {
            let next = match v.kind() {
                "parenthesized_expression" | "try_expression" | "await_expression" => v.named_child(0),
                "reference_expression" => v.field("value"),
                // `*URL` of a `lazy_static!` or `Lazy` static: the string it derefs to.
                "unary_expression" if v.child(0).is_some_and(|o| o.kind() == "*") => v.named_child(0),
                "call_expression" => self.wrapped(v).or_else(|| self.url_parsed(v)).or_else(|| match self.method(v) {
                    Some((recv, m)) if KEEP_TEXT.contains(&m) => Some(recv),
                    _ => None,
                }),
                _ => None,
            };
            match next {
                Some(n) => v = n,
                None => break,
            }
        }
        v
    }

    /// `Url::parse(x)`, `reqwest::Url::parse(x)`, `Url::from_str(x)`: the URL string `x`.
    fn url_parsed(&self, call: Node<'t>) -> Option<Node<'t>> {
        let f = call.field("function").filter(|f| f.kind() == "scoped_identifier")?;
        let names = self.path_names(f);
        match names.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            [.., "Url", "parse" | "from_str" | "try_from"] => {
                self.list_args(call.field("arguments")?).into_iter().next()
            }
            _ => None,
        }
    }

    /// A request to a configured endpoint whose chain says whose API it speaks: a vendor's
    /// own header (`.header("anthropic-version", ..)`) or path ([`http::marked`]). Read at
    /// the chain's outermost call only.
    fn marked_request(&self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) {
        let mut up = node.parent();
        while let Some(p) = up.filter(|p| matches!(p.kind(), "await_expression" | "try_expression")) {
            up = p.parent();
        }
        if up.is_some_and(|p| p.kind() == "field_expression") {
            return;
        }
        let mut headers = Vec::new();
        let mut cur = node;
        for _ in 0..64 {
            let Some((recv, m)) = self.method(cur) else { break };
            if m == "header" {
                let first = cur.field("arguments").and_then(|a| self.first_arg(a));
                if let Some(name) = first.and_then(|a| self.string_value(a, ctx, 0)) {
                    headers.push(name.to_ascii_lowercase());
                }
            }
            cur = recv;
            while matches!(cur.kind(), "await_expression" | "try_expression" | "parenthesized_expression") {
                match cur.named_child(0) {
                    Some(c) => cur = c,
                    None => break,
                }
            }
        }
        // The request is the call naming the method (`post(url)`); the headers follow it.
        let Some(call) = self.request_method(node).and_then(|m| m.parent()).and_then(|f| f.parent()) else { return };
        let Some((f, args)) = self.call_parts(call) else { return };
        let Some(Val::Path(p)) = self.resolve(f, ctx, 0) else { return };
        let args = args.map(|a| self.call_args(a, ctx, 0, &p)).unwrap_or_default();
        let Some(path) = p.called(args) else { return };
        if let Some(e) = http::marked(self.rules, LANG, &path, &headers) {
            self.emit(out, node, e);
        }
    }

    /// The branches of an `if` chain (walked, not recursed into) or a `match`: each one's
    /// block or expression; `None` for an `if` without `else`, or too many.
    fn branches(&self, v: Node<'t>) -> Option<Vec<Node<'t>>> {
        let mut out = Vec::new();
        let mut cur = v;
        while out.len() <= 32 {
            match cur.kind() {
                "if_expression" => {
                    out.push(cur.child_by_field_name("consequence")?);
                    let alt = cur.child_by_field_name("alternative")?;
                    cur = alt.named_child(0)?;
                }
                "match_expression" => {
                    let body = cur.child_by_field_name("body")?;
                    let arms = self.children(body).into_iter().filter(|a| a.kind() == "match_arm");
                    out.extend(arms.filter_map(|a| a.child_by_field_name("value")));
                    return (out.len() <= 32).then_some(out);
                }
                _ => {
                    out.push(cur);
                    return Some(out);
                }
            }
        }
        None
    }

    /// A request builder made elsewhere and sent here: `builder.send()` or
    /// `sse_stream(builder, ..)` on a parameter typed `reqwest::RequestBuilder`. Its URL
    /// is out of sight; the URLs this file builds decide ([`http::sent_elsewhere`]).
    fn sent_builder(&self, call: Node<'t>, ctx: &Ctx) -> Option<emit::Emit> {
        let is_builder = |a: Node<'t>| {
            a.kind() == "identifier"
                && self.lookup(self.text(a), ctx, a.start_byte()).first().is_some_and(|b| match &b.bind {
                    Bind::Annot(t, tctx) => self.is_request_builder(*t, tctx),
                    _ => false,
                })
        };
        let sent = match self.method(call) {
            Some((recv, m)) => m == "send" && is_builder(recv),
            None => {
                let f = call.child_by_field_name("function")?;
                let name = self.path_names(f).pop()?;
                let args = call.child_by_field_name("arguments")?;
                http::request_like(&name) && self.list_args(args).into_iter().any(is_builder)
            }
        };
        if !sent {
            return None;
        }
        http::sent_elsewhere(self.rules, self.built_urls())
    }

    /// Whether a type as written is reqwest's request builder (through `&`, `mut`).
    fn is_request_builder(&self, t: Node<'t>, ctx: &Ctx) -> bool {
        let written = self.text(t).trim_start_matches('&').trim_start_matches("mut ").trim();
        let full = match written.split_once("::") {
            Some(_) => written.replace("::", "."),
            None => match self.imported(written, ctx) {
                Some(p) => p.dotted(p.0.len()),
                None => return false,
            },
        };
        BUILDERS.contains(&full.as_str())
    }

    /// Every node of the tree with the context it is read in (a work list, in no order).
    fn each_node(&self, mut f: impl FnMut(Node<'t>, &Ctx)) {
        let mut work = vec![(self.root, Ctx::module(self.sym.root_id))];
        while let Some((node, ctx)) = work.pop() {
            let ctx = match node.kind() {
                "function_item" | "closure_expression" => self.inner_ctx(node, &ctx),
                "impl_item" => self.impl_ctx(node, &ctx),
                _ => ctx,
            };
            f(node, &ctx);
            for c in self.children(node) {
                work.push((c, ctx.clone()));
            }
        }
    }

    /// The request URLs this file's functions build (the values of `let`s named like a URL
    /// in each function body) that name a scheme: what a builder sent elsewhere may carry.
    fn built_urls(&self) -> &[String] {
        self.built_urls.get_or_init(|| {
            let mut urls = Vec::new();
            self.each_node(|stmt, ctx| {
                let in_body = stmt.parent().and_then(|b| b.parent()).is_some_and(|f| f.kind() == "function_item");
                if stmt.kind() != "let_declaration" || !in_body {
                    return;
                }
                let (Some(pat), Some(value)) = (stmt.child_by_field_name("pattern"), stmt.child_by_field_name("value"))
                else {
                    return;
                };
                if pat.kind() != "identifier" || !url_named(self.text(pat)) {
                    return;
                }
                if let ArgValue::Str(s) | ArgValue::Pattern(s) = self.arg_value(value, ctx, 0, false) {
                    if s.contains("://") {
                        urls.push(s);
                    }
                }
            });
            urls.sort();
            urls
        })
    }

    /// The traits bounding generic parameter `param` where `at` reads it: the bounds of the
    /// enclosing `impl` or functions (`impl<T: ProviderConfig>`, `where T: ProviderConfig`).
    fn bounds_of(&self, param: &str, at: Node<'t>) -> Vec<&'t str> {
        let mut out = Vec::new();
        // A node of a macro body read as Rust (`format!("{}", T::BASE)`): its items are the
        // file's, around the same bytes.
        let at = self.root.descendant_for_byte_range(at.start_byte(), at.end_byte()).unwrap_or(at);
        let mut up = at.parent();
        while let Some(item) = up {
            if matches!(item.kind(), "impl_item" | "function_item" | "struct_item" | "trait_item") {
                let lists = [
                    item.child_by_field_name("type_parameters"),
                    self.children(item).into_iter().find(|c| c.kind() == "where_clause"),
                ];
                for list in lists.into_iter().flatten() {
                    for c in self.children(list) {
                        let (name, bounds) = match c.kind() {
                            "type_parameter" => (c.child_by_field_name("name"), c.child_by_field_name("bounds")),
                            "where_predicate" => (c.child_by_field_name("left"), c.child_by_field_name("bounds")),
                            _ => continue,
                        };
                        if name.is_none_or(|n| self.text(n) != param) {
                            continue;
                        }
                        for b in bounds.map(|b| self.children(b)).unwrap_or_default() {
                            out.push(type_name(self.text(b)));
                        }
                    }
                }
            }
            up = item.parent();
        }
        out
    }

    /// A const of a generic parameter (`T::DEFAULT_BASE_URL` in `impl<T: ProviderConfig>`),
    /// read from the crate's implementors of its bound (their own value, else the trait's
    /// default). One value when they agree; else each implementor's, chosen at run time
    /// ([`Front::one_of`]), when every one that is a URL names a vendor's or a self-hosted
    /// server.
    fn implementor_text(&self, param: Node<'t>, name: &str) -> Option<String> {
        // Only consts that may hold a URL or a path are worth reading the crate for; a module
        // read for its strings reads no other ([`Core::level`]).
        let lower = name.to_ascii_lowercase();
        if self.level == 0 {
            return None;
        }
        if !["url", "endpoint", "path", "host", "base", "api"].iter().any(|w| lower.contains(w)) {
            return None;
        }
        let traits = self.bounds_of(self.text(param), param);
        traits.into_iter().find_map(|tr| {
            let prefix = format!("{IMPL}{tr}:");
            let mut impls: Vec<(String, HashMap<String, String>)> = Vec::new();
            for (key, value) in self.locals.rust_strings_under(&crate_dir(self.locals, &self.rel), &prefix, self.rules)
            {
                let Some((ty, name)) = key[prefix.len()..].split_once('.') else { continue };
                match impls.iter_mut().find(|(t, _)| t == ty) {
                    Some((_, consts)) => {
                        consts.insert(name.to_string(), value);
                    }
                    None => impls.push((ty.to_string(), HashMap::from([(name.to_string(), value)]))),
                }
            }
            if impls.is_empty() || impls.len() > IMPLEMENTORS {
                return None;
            }
            impls.sort_by(|a, b| a.0.cmp(&b.0));
            // An implementor that leaves the const out has the trait's default (`Backend.CHAT_PATH`).
            let key = format!("{tr}.{name}");
            let default = self
                .locals
                .rust_strings_under(&crate_dir(self.locals, &self.rel), &key, self.rules)
                .into_iter()
                .find_map(|(k, v)| (k == key).then_some(v));
            let values: Vec<String> =
                impls.iter().map(|(_, c)| c.get(name).cloned().or_else(|| default.clone())).collect::<Option<_>>()?;
            let first = values.first()?.trim_end_matches('/');
            if values.iter().all(|v| v.trim_end_matches('/') == first) {
                return values.first().cloned();
            }
            if values.iter().any(|v| v.contains("://"))
                && !values.iter().all(|v| matcher::names_a_server(self.rules, v))
            {
                return None;
            }
            // One choice per trait and constant, wherever it is read.
            let id = self.sym.root_id ^ (usize::MAX >> 1) ^ fxhash(&format!("{tr}::{name}"));
            self.one_of(id, values.into_iter().map(ArgValue::Str).collect())?.text().map(str::to_string)
        })
    }

    /// The one base URL the file's constants and struct literals named like a base URL
    /// (`const DEFAULT_BASE_URL: &str = "https://..."`, `Config { base_url: .. }`) agree on.
    fn default_base(&self) -> Option<String> {
        if self.default_base_busy.replace(true) {
            return self.default_base.get().cloned().flatten();
        }
        self.default_base
            .get_or_init(|| {
                let mut values: Vec<String> = Vec::new();
                self.each_node(|n, ctx| {
                    let (name, value) = match n.kind() {
                        "const_item" | "static_item" => ("name", "value"),
                        "field_initializer" => ("field", "value"),
                        _ => return,
                    };
                    let (Some(name), Some(value)) = (n.child_by_field_name(name), n.child_by_field_name(value)) else {
                        return;
                    };
                    if !base_named(self.text(name)) {
                        return;
                    }
                    if let Some(s) = self.string_value(value, ctx, 1).filter(|s| s.contains("://")) {
                        values.push(s);
                    }
                });
                values.sort_by(|a, b| a.trim_end_matches('/').cmp(b.trim_end_matches('/')));
                values.dedup_by(|a, b| a.trim_end_matches('/') == b.trim_end_matches('/'));
                (values.len() == 1).then(|| values.remove(0))
            })
            .clone()
    }

    /// The name of the request method (`post` of `.post(url)`) in a call chain, the
    /// innermost one an HTTP library names.
    fn request_method(&self, call: Node<'t>) -> Option<Node<'t>> {
        let mut found = None;
        let mut cur = call;
        for _ in 0..64 {
            match cur.kind() {
                "call_expression" => {
                    let f = cur.field("function")?;
                    let f = if f.kind() == "generic_function" { f.field("function")? } else { f };
                    if f.kind() != "field_expression" {
                        break;
                    }
                    let name = f.field("field")?;
                    let method = self.text(name);
                    let request = self
                        .rules
                        .http_clients
                        .iter()
                        .any(|d| d.ecosystem == LANG && d.requests.iter().any(|r| r == method));
                    if request {
                        found = Some(name);
                    }
                    cur = f.field("value")?;
                }
                "try_expression" | "await_expression" | "parenthesized_expression" | "reference_expression" => {
                    cur = cur.named_child(0)?
                }
                "field_expression" => cur = cur.field("value")?,
                _ => break,
            }
        }
        found
    }

    /// The `static ref` items of a `lazy_static!` invocation ([`lazy_tree`]).
    fn lazy_in(&self, mac: Node<'t>) -> Vec<Node<'t>> {
        let range = mac.byte_range();
        self.lazy.iter().copied().filter(|i| range.start <= i.start_byte() && i.end_byte() <= range.end).collect()
    }

    /// The macro a node invokes (`format`, `concat`, `env`), and its token tree.
    fn macro_parts(&self, n: Node<'t>) -> Option<(&'t str, Node<'t>)> {
        if n.kind() != "macro_invocation" {
            return None;
        }
        let name = n.field("macro")?;
        let tt = (0..n.named_child_count()).filter_map(|i| n.named_child(i)).find(|c| c.kind() == "token_tree")?;
        Some((self.text(name).rsplit("::").next().unwrap_or_default(), tt))
    }

    /// A macro's arguments: its tokens split at top-level commas.
    fn macro_args(&self, tt: Node<'t>) -> Vec<Vec<Node<'t>>> {
        if let Some(body) = self.bodies.get(&tt.start_byte()) {
            return self
                .list_args(*body)
                .into_iter()
                .map(|a| {
                    if a.kind() == "assignment_expression" {
                        let mut cursor = a.walk();
                        let v: Vec<Node<'t>> = a.children(&mut cursor).collect();
                        v
                    } else {
                        vec![a]
                    }
                })
                .collect();
        }
        let mut args: Vec<Vec<Node<'t>>> = vec![Vec::new()];
        let mut cursor = tt.walk();
        for c in tt.children(&mut cursor) {
            match c.kind() {
                "," => args.push(Vec::new()),
                "(" | ")" | "[" | "]" | "{" | "}" if c.parent() == Some(tt) && !c.is_named() => {}
                "line_comment" | "block_comment" => {}
                _ => args.last_mut().expect("one list").push(c),
            }
        }
        args.retain(|a| !a.is_empty());
        args
    }

    /// The node standing for a macro argument's tokens: a single token, or the last
    /// identifier of a field chain (`self.base_url`, read as a member by [`Front::shape`]).
    fn token_arg(&self, tokens: &[Node<'t>]) -> Option<Node<'t>> {
        match tokens {
            [one] => Some(*one),
            [.., last]
                if last.kind() == "identifier"
                    && tokens.iter().all(|t| matches!(t.kind(), "identifier" | "self" | ".")) =>
            {
                Some(*last)
            }
            // `name = value` of `format!("{name}", name = value)`.
            _ => None,
        }
    }

    /// `format!("{}/chat/{model}", base)` as a template: literal text and holes, an inline
    /// name (`{base}`) read where the macro is.
    fn format_pieces(&self, mac: Node<'t>, tt: Node<'t>) -> Option<Vec<Piece<'t>>> {
        let args = self.macro_args(tt);
        let format = args.first().and_then(|a| a.first()).and_then(|f| self.string_lit(*f))?;
        let positional: Vec<Option<Node<'t>>> = args[1..]
            .iter()
            .filter(|a| !(a.len() >= 2 && a[1].kind() == "=" && a[0].kind() == "identifier"))
            .map(|a| self.token_arg(a))
            .collect();
        let named: HashMap<&str, Option<Node<'t>>> = args[1..]
            .iter()
            .filter(|a| a.len() >= 3 && a[1].kind() == "=" && a[0].kind() == "identifier")
            .map(|a| (self.text(a[0]), self.token_arg(&a[2..])))
            .collect();
        Some(super::template::braces(&format, &positional, &named, mac.start_byte()))
    }

    // ---------------------------------------------------------------- pass 2: findings

    fn visit(&mut self, node: Node<'t>, ctx: &Ctx, served: Option<&str>, out: &mut FileOutput) {
        let mut served = served.map(str::to_string);
        let mut inner = None;
        match node.kind() {
            "use_declaration" => return self.import_finding(node, out),
            "extern_crate_declaration" => return self.import_finding(node, out),
            "call_expression" => {
                let before = out.findings.len();
                if let Some(s) = self.call_findings(node, ctx, out) {
                    served = Some(s);
                }
                if out.findings.len() == before {
                    match self.sent_builder(node, ctx) {
                        Some(e) => self.emit(out, node, e),
                        None => self.marked_request(node, ctx, out),
                    }
                }
                if let Some(name) = self.env_read(node, ctx, 0) {
                    if let Some(e) = emit::env(self.rules, &name) {
                        self.emit(out, node, e);
                    }
                }
            }
            "macro_invocation" if is_lazy_static(node, self.src.as_bytes()) => {
                for item in self.lazy_in(node) {
                    self.visit(item, ctx, served.as_deref(), out);
                }
                return;
            }
            "macro_invocation" => {
                if let Some(name) = self.env_read(node, ctx, 0) {
                    if let Some(e) = emit::env(self.rules, &name) {
                        self.emit(out, node, e);
                    }
                }
            }
            "string_literal" | "raw_string_literal" => return self.string_findings(node, served.as_deref(), out),
            "function_item" | "closure_expression" => inner = Some(self.inner_ctx(node, ctx)),
            "impl_item" => inner = Some(self.impl_ctx(node, ctx)),
            "match_arm" | "if_expression" if self.variant_scope(node).is_some() => inner = Some(ctx.enter(node.id())),
            "line_comment" | "block_comment" | "attribute_item" | "inner_attribute_item" => return,
            _ => {}
        }
        let ctx = inner.as_ref().unwrap_or(ctx);
        for child in self.children(node) {
            self.visit(child, ctx, served.as_deref(), out);
        }
    }

    /// A `use` of a vendor's crate or module (once per vendor), an `extern crate`.
    fn import_finding(&self, node: Node<'t>, out: &mut FileOutput) {
        let mut leaves = Vec::new();
        match node.kind() {
            "extern_crate_declaration" => {
                if let Some(n) = node.field("name") {
                    leaves.push((None, vec![self.text(n).to_string()]));
                }
            }
            _ => {
                if let Some(arg) = node.field("argument") {
                    self.use_leaves(arg, &[], &mut leaves);
                }
            }
        }
        let mut vendors: Vec<(String, String)> = Vec::new();
        for (_, full) in leaves {
            if let Some((sdk, module)) = self.rules.sdk_for_module(LANG, &full.join(".")) {
                if !vendors.iter().any(|(v, _)| *v == sdk.vendor) {
                    vendors.push((sdk.vendor.clone(), module.to_string()));
                }
            }
        }
        for (vendor, module) in vendors {
            self.emit(out, node, emit::import(self.rules, LANG, &vendor, &module));
        }
    }

    fn string_findings(&self, node: Node<'t>, served: Option<&str>, out: &mut FileOutput) {
        if node.parent().is_some_and(|p| matches!(p.kind(), "attribute" | "attribute_item" | "token_tree"))
            && self.in_attribute(node)
        {
            return;
        }
        let Some(content) = self.string_lit(node) else { return };
        let in_context = self.in_model_context(node);
        for e in emit::literal(self.rules, &content, Some(&content), in_context, served) {
            self.emit(out, node, e);
        }
    }

    fn in_attribute(&self, node: Node<'t>) -> bool {
        let mut cur = node.parent();
        for _ in 0..6 {
            match cur {
                Some(c) if matches!(c.kind(), "attribute_item" | "inner_attribute_item") => return true,
                Some(c) => cur = c.parent(),
                None => return false,
            }
        }
        false
    }

    /// A literal is clearly a model name as the value of a `model`-like field, variable or
    /// constant, or the argument of a `*model*` method (`.model("...")`).
    fn in_model_context(&self, node: Node<'t>) -> bool {
        let mut cur = node;
        for _ in 0..3 {
            let Some(parent) = cur.parent() else { return false };
            let name = match parent.kind() {
                "field_initializer" => parent.field("field").map(|f| self.text(f)),
                "let_declaration" => parent.field("pattern").map(|p| self.text(p)),
                "const_item" | "static_item" => parent.field("name").map(|p| self.text(p)),
                "arguments" => parent.parent().and_then(|c| c.field("function")).map(|f| {
                    let t = self.text(f);
                    t.rsplit(['.', ':']).next().unwrap_or(t)
                }),
                "call_expression" | "reference_expression" | "field_expression" | "token_tree" => {
                    cur = parent;
                    continue;
                }
                _ => None,
            };
            return name.is_some_and(model_named);
        }
        false
    }

    /// Whether a path names an item of an inline module of the file (`urls::OPENAI`).
    fn in_inline_mod(&self, n: Node<'t>) -> bool {
        self.sym.scopes.get(&self.sym.root_id).is_some_and(|s| s.contains_key(self.text(n)))
    }

    /// A name of a glob import (`use async_openai::*;` then `Client::new()`).
    fn glob_path(&self, name: &str) -> Option<Path> {
        self.globs.iter().find_map(|g| {
            let mut names = g.clone();
            names.push(name.to_string());
            let p = self.crate_path(&names);
            self.is_vendor_path(&p).then_some(p)
        })
    }

    /// The glob-imported path of `name`, the head of path `head` (`EmbeddingsBuilder` of
    /// `EmbeddingsBuilder::new`), when a glob with the whole path names a vendor's
    /// (`rig.prelude.EmbeddingsBuilder.new`).
    fn glob_path_of(&self, head: Node<'t>, name: &str) -> Option<Path> {
        let mut top = head;
        while let Some(p) = top.parent().filter(|p| {
            matches!(p.kind(), "scoped_identifier" | "scoped_type_identifier") && p.field("path") == Some(top)
        }) {
            top = p;
        }
        if top == head {
            return None;
        }
        let names = self.path_names(top);
        self.globs.iter().find_map(|g| {
            let full = Path::from_dotted(&g.iter().chain(&names).cloned().collect::<Vec<_>>().join("."));
            self.is_vendor_path(&full).then(|| {
                let mut own = g.clone();
                own.push(name.to_string());
                self.crate_path(&own)
            })
        })
    }

    /// The `for` loop whose pattern binds identifier `n`, and `n`'s index in the pattern's
    /// tuple (`model` of `for (model, key) in ..` is 0; `None` for a plain name).
    fn loop_binding(&self, n: Node<'t>) -> Option<(Node<'t>, Option<usize>)> {
        let mut index = None;
        let mut cur = n;
        for _ in 0..8 {
            let parent = cur.parent()?;
            match parent.kind() {
                "for_expression" => return (parent.field("pattern") == Some(cur)).then_some((parent, index)),
                "tuple_pattern" if index.is_none() => {
                    index = self.children(parent).iter().position(|c| *c == cur);
                }
                "mut_pattern" | "reference_pattern" | "ref_pattern" => {}
                _ => return None,
            }
            cur = parent;
        }
        None
    }

    /// The string a loop name holds (`for (model, key) in MODELS`): the element (or the
    /// tuple element at `index`) of each item of a list the file spells (an array, `vec![..]`,
    /// a `const` or `static` holding one, through `&`, `.iter()`, `.into_iter()`; its
    /// elements string literals or names of `const`s holding one), each one
    /// chosen at run time ([`super::tables::Tables::choose`]: the call is resolved once per
    /// element). `None` unless every element gives a string literal.
    fn loop_text(&self, for_node: Node<'t>, index: Option<usize>, ctx: &Ctx) -> Option<String> {
        let mut list = for_node.field("value")?;
        for _ in 0..8 {
            list = match list.kind() {
                "reference_expression" => list.field("value")?,
                "parenthesized_expression" => list.named_child(0)?,
                "call_expression" => match self.method(list) {
                    Some((recv, "iter" | "into_iter" | "copied" | "cloned")) => recv,
                    _ => return None,
                },
                "identifier" => {
                    self.lookup(self.text(list), ctx, list.start_byte()).into_iter().find_map(|b| match b.bind {
                        // A const, a static, or a `let` that is not `mut` (nothing pushes onto it).
                        Bind::Expr(v, _)
                            if v.parent().is_some_and(|p| {
                                matches!(p.kind(), "const_item" | "static_item")
                                    || (p.kind() == "let_declaration"
                                        && p.field("pattern").is_some_and(|pat| pat.kind() == "identifier")
                                        && !self.children(p).iter().any(|c| c.kind() == "mutable_specifier"))
                            }) =>
                        {
                            Some(v)
                        }
                        _ => None,
                    })?
                }
                _ => break,
            };
        }
        let elements: Vec<Node<'t>> = match list.kind() {
            "array_expression" => self.children(list),
            "macro_invocation" if self.macro_parts(list).is_some_and(|(m, _)| m == "vec") => self.children(list),
            _ => return None,
        };
        let elements: Vec<Node<'t>> =
            elements.into_iter().filter(|e| !matches!(e.kind(), "line_comment" | "block_comment")).collect();
        if elements.is_empty() || elements.len() > LOOP_CHOICES {
            return None;
        }
        let mut values: Vec<String> = Vec::new();
        for e in elements {
            let e = if e.kind() == "reference_expression" { e.field("value")? } else { e };
            let e = match index {
                None => e,
                Some(i) if e.kind() == "tuple_expression" => *self.children(e).get(i)?,
                Some(_) => return None,
            };
            // A literal or a `const` naming one; anything read at run time says nothing.
            let s = match self.string_lit(e) {
                Some(s) => s,
                None if matches!(e.kind(), "identifier" | "scoped_identifier") => self.string_value(e, ctx, 1)?,
                None => return None,
            };
            if !values.contains(&s) {
                values.push(s);
            }
        }
        if values.len() == 1 {
            return values.pop();
        }
        let i = self.sym.tables.choose(for_node.id(), values.len()).unwrap_or(0);
        values.into_iter().nth(i)
    }

    /// Whether identifier `n` is the first name of a path (`async_openai` of
    /// `async_openai::Client::new`).
    fn is_path_head(&self, n: Node<'t>) -> bool {
        n.parent().is_some_and(|p| {
            matches!(p.kind(), "scoped_identifier" | "scoped_type_identifier") && p.field("path") == Some(n)
        })
    }
}

/// Starts and separates the names of an imported path handed to [`Front::module_root`] as
/// a module spec (a path head shadowed by a local or a function of the same name).
const IMPORTED: &str = "\u{1}";

/// reqwest's request builders, by path.
const BUILDERS: &[&str] = &["reqwest.RequestBuilder", "reqwest.blocking.RequestBuilder"];

/// A stable hash of a name (a choice id).
fn fxhash(s: &str) -> usize {
    s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)) as usize
}

/// Whether a name says its value is a base URL (`base_url`, `API_BASE`, `DEFAULT_BASE_URL`,
/// `api_url`, `endpoint`).
fn base_named(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("base_url")
        || n.contains("baseurl")
        || n.contains("api_base")
        || n.ends_with("_base")
        || n == "base"
        || n == "api_url"
        || n.contains("endpoint")
}

/// Whether a name says its value is a request URL (`url`, `api_url`, `endpoint`).
fn url_named(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "url" || n.ends_with("_url") || n.contains("endpoint")
}

/// Whether a name says its value is a model (`model`, `MODEL_NAME`, `deployment`).
fn model_named(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("model") || n.contains("deployment") || n.contains("engine")
}

/// The text of a Rust string literal: raw strings as written, others with their common
/// escapes decoded.
fn string_text(node: Node<'_>, src: &str) -> Option<String> {
    let mut s = String::new();
    let mut cursor = node.walk();
    for c in node.named_children(&mut cursor) {
        let t = &src[c.byte_range()];
        match c.kind() {
            "string_content" => s.push_str(t),
            "escape_sequence" => s.push_str(match t {
                "\\n" => "\n",
                "\\t" => "\t",
                "\\\"" => "\"",
                "\\\\" => "\\",
                "\\'" => "'",
                other if other.starts_with("\\\n") => "",
                other => other,
            }),
            _ => {}
        }
    }
    Some(s)
}

// -------------------------------------------------------------------- the lowering

impl<'t> Front<'t> for Analyzer<'t> {
    fn core(&self) -> &Core<'t> {
        &self.core
    }

    fn sym_mut(&mut self) -> &mut Symbols<'t> {
        &mut self.core.sym
    }

    fn lines(&self) -> &LineIndex {
        &self.core.lines
    }

    /// An HTTP request chain spread over lines is reported where its request method is named
    /// (`.post(url)`), not at the chain's first line (`let resp = self` / `.http`) nor at its
    /// `.send()`; other calls where the shared [`Front::finding_span`] puts them.
    fn emit(&self, out: &mut FileOutput, n: Node<'t>, e: emit::Emit) {
        let at = if e.message.contains(" over HTTP") { self.request_method(n) } else { None };
        let span = match at {
            Some(m) => {
                let s = self.span(n);
                super::Span { end_line: s.end_line, end_column: s.end_column, ..self.span(m) }
            }
            None => self.finding_span(n, &e),
        };
        out.emit(self.rules(), self.lines().line_text(self.src(), span.line), span, e);
    }

    fn shape(&self, node: Node<'t>, ctx: &Ctx) -> Shape<'t> {
        let field = |f: &'static str| node.field(f);
        let inner = |n: Option<Node<'t>>| n.map_or(Shape::Unknown, Shape::Inner);
        match node.kind() {
            "self" => {
                if ctx.class.is_some() {
                    Shape::This
                } else {
                    Shape::Name("self")
                }
            }
            "identifier" | "type_identifier" => {
                let name = self.text(node);
                // A name a `for` pattern binds: its string only ([`Analyzer::loop_text`]).
                if self.loop_binding(node).is_some() {
                    return Shape::Unknown;
                }
                // Inside a macro's tokens: `self.base_url`, `config.url` read as members.
                if node.parent().is_some_and(|p| p.kind() == "token_tree") {
                    let dot = node.prev_sibling().filter(|d| d.kind() == ".");
                    if let Some(obj) = dot.and_then(|d| d.prev_sibling()) {
                        if matches!(obj.kind(), "identifier" | "self") {
                            return Shape::Member(obj, name);
                        }
                    }
                }
                if self.is_path_head(node) && self.sym.unbound_everywhere(name) {
                    if self.glob_path(name).is_some() {
                        return Shape::Load(format!("*::{name}"));
                    }
                    // `use rig::prelude::*;` then `EmbeddingsBuilder::new(model)`: the glob
                    // whose path with the whole of this one is a vendor's.
                    return match self.glob_path_of(node, name) {
                        Some(p) => {
                            let names: Vec<&str> = p.0.iter().map(|s| s.name.as_str()).collect();
                            Shape::Load(format!("{IMPORTED}{}", names.join(IMPORTED)))
                        }
                        None => Shape::Load(format!("{name}::")),
                    };
                }
                // A path's head names a module or type, never a local or a function
                // (`gemini::Client` beside an `async fn gemini`): the `use` binding it.
                if self.is_path_head(node) {
                    let nearest = self.lookup(name, ctx, node.start_byte());
                    if nearest.first().is_some_and(|b| !matches!(b.bind, Bind::Import(_))) {
                        if let Some(p) = self.imported(name, ctx) {
                            let names: Vec<&str> = p.0.iter().map(|s| s.name.as_str()).collect();
                            return Shape::Load(format!("{IMPORTED}{}", names.join(IMPORTED)));
                        }
                    }
                }
                Shape::Name(name)
            }
            "scoped_identifier" | "scoped_type_identifier" if self.in_inline_mod(node) => Shape::Name(self.text(node)),
            "scoped_identifier" | "scoped_type_identifier" => match (field("path"), field("name")) {
                (Some(p), Some(n)) => {
                    // `crate::config::X`, `super::X`, `config::X` of a child module: the file's key.
                    let names = self.path_names(node);
                    let head = names.first().map(String::as_str).unwrap_or_default();
                    let crate_head = matches!(head, "crate" | "super" | "self");
                    if (crate_head || self.sym.unbound_everywhere(head)) && !self.text(node).contains('<') {
                        let p = self.crate_path(&names);
                        if crate_head || p.0.first().is_some_and(|s| s.name.starts_with(RS_MODULE)) {
                            // In a path's module position (`super::paths` of `super::paths::X`)
                            // every name is a module: a trailing empty name says so.
                            let tail = if self.is_path_head(node) { "::" } else { "" };
                            return Shape::Load(format!("{}{tail}", names.join("::")));
                        }
                    }
                    Shape::Member(p, self.text(n))
                }
                (None, Some(n)) => Shape::Load(self.text(n).to_string()),
                _ => Shape::Unknown,
            },
            "field_expression" => match (field("value"), field("field")) {
                (Some(o), Some(f)) => Shape::Member(o, self.text(f)),
                _ => Shape::Unknown,
            },
            "call_expression" => {
                if let Some(w) = self.wrapped(node) {
                    return Shape::Inner(w);
                }
                if let Some((recv, m)) = self.method(node) {
                    if IDENTITY.contains(&m) {
                        return Shape::Inner(recv);
                    }
                    if DEFAULTS.contains(&m) {
                        let mut alts = vec![recv];
                        if let Some(a) = field("arguments").and_then(|a| self.list_args(a).into_iter().next()) {
                            alts.push(if a.kind() == "closure_expression" { a.field("body").unwrap_or(a) } else { a });
                        }
                        return Shape::Either(alts);
                    }
                }
                match field("function") {
                    Some(callee) => Shape::Call { callee, args: field("arguments"), new: false, chain: Vec::new() },
                    None => Shape::Unknown,
                }
            }
            // `OpenAIConfig { api_base: url, .. }`, `Svc { .. }`: the type called with its fields.
            "struct_expression" => match field("name") {
                Some(callee) if type_name(self.text(callee)) == "Self" => match ctx.class {
                    Some(_) => Shape::Call { callee, args: field("body"), new: false, chain: Vec::new() },
                    None => Shape::Unknown,
                },
                Some(callee) => Shape::Call { callee, args: field("body"), new: false, chain: Vec::new() },
                None => Shape::Unknown,
            },
            "generic_function" => inner(field("function")),
            "generic_type" | "generic_type_with_turbofish" => inner(field("type")),
            "reference_expression" => inner(field("value")),
            "reference_type" => inner(field("type")),
            "parenthesized_expression" | "try_expression" | "await_expression" | "unary_expression" => {
                inner(node.named_child(0))
            }
            "type_cast_expression" => inner(field("value")),
            "block" | "unsafe_block" | "async_block" => {
                let b = if node.kind() == "block" { Some(node) } else { node.named_child(0) };
                b.and_then(|b| self.tail(b)).map_or(Shape::Unknown, Shape::Inner)
            }
            "if_expression" => {
                let mut alts = Vec::new();
                alts.extend(field("consequence"));
                if let Some(e) = field("alternative").and_then(|e| e.named_child(0)) {
                    alts.push(e);
                }
                Shape::Either(alts)
            }
            "match_expression" => {
                let Some(body) = field("body") else { return Shape::Unknown };
                let mut cursor = body.walk();
                let arms: Vec<Node<'t>> = body
                    .named_children(&mut cursor)
                    .filter(|a| a.kind() == "match_arm")
                    .filter_map(|a| a.field("value"))
                    .take(8)
                    .collect();
                Shape::Either(arms)
            }
            "index_expression" => match (node.named_child(0), node.named_child(1)) {
                (Some(object), Some(index)) => Shape::Index { object, index, generic: false },
                _ => Shape::Unknown,
            },
            "closure_expression" => Shape::Function(node),
            "macro_invocation" => Shape::Unknown,
            _ => Shape::Unknown,
        }
    }

    fn text_shape(&self, v: Node<'t>, ctx: &Ctx) -> Text<'t> {
        let field = |f: &'static str| v.field(f);
        // Everything that keeps a string as it is, in one step.
        let kept = self.peel(v);
        if kept != v {
            return Text::Inner(kept);
        }
        match v.kind() {
            "string_literal" | "raw_string_literal" => self.string_lit(v).map_or(Text::Unknown, Text::Lit),
            "parenthesized_expression" | "try_expression" | "await_expression" => {
                v.named_child(0).map_or(Text::Unknown, Text::Inner)
            }
            "reference_expression" => field("value").map_or(Text::Unknown, Text::Inner),
            "binary_expression" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Text::Concat(l, r),
                    _ => Text::Unknown,
                }
            }
            "identifier" if self.loop_binding(v).is_some() => match self.loop_binding(v) {
                Some((for_node, index)) => self.loop_text(for_node, index, ctx).map_or(Text::Unknown, Text::Lit),
                None => Text::Unknown,
            },
            "identifier" => match self.shape(v, ctx) {
                Shape::Member(obj, name) if obj.kind() == "self" && ctx.class.is_some() => Text::Field(name),
                Shape::Member(obj, name) => Text::Member(obj, name.to_string()),
                _ => Text::Name(self.text(v), v.start_byte()),
            },
            "field_expression" => match (field("value"), field("field")) {
                (Some(o), Some(f)) if o.kind() == "self" && ctx.class.is_some() => Text::Field(self.text(f)),
                (Some(o), Some(f)) => Text::Member(o, self.text(f).to_string()),
                _ => Text::Unknown,
            },
            "scoped_identifier" if self.in_inline_mod(v) => Text::Name(self.text(v), v.start_byte()),
            "scoped_identifier" => match (field("path"), field("name")) {
                (Some(p), Some(n)) => Text::Member(p, self.text(n).to_string()),
                _ => Text::Unknown,
            },
            "call_expression" => {
                if let Some(w) = self.wrapped(v).or_else(|| self.url_parsed(v)) {
                    return Text::Inner(w);
                }
                match self.method(v) {
                    Some((recv, m)) if KEEP_TEXT.contains(&m) => Text::Inner(recv),
                    Some((_, m)) if DEFAULTS.contains(&m) => {
                        match field("arguments").and_then(|a| self.list_args(a).into_iter().next()) {
                            Some(a) if a.kind() == "closure_expression" => {
                                a.field("body").map_or(Text::Unknown, |b| Text::Fallback(self.peel(b)))
                            }
                            Some(a) => Text::Fallback(self.peel(a)),
                            None => Text::Unknown,
                        }
                    }
                    _ => Text::Unknown,
                }
            }
            "block" => self.tail(v).map_or(Text::Unknown, Text::Inner),
            "if_expression" => match (field("consequence"), field("alternative").and_then(|e| e.named_child(0))) {
                (Some(a), Some(b)) => Text::Either(a, b),
                _ => Text::Unknown,
            },
            "macro_invocation" => match self.macro_parts(v) {
                Some(("format" | "concat", tt)) => match self.format_pieces(v, tt) {
                    Some(parts) if parts.iter().all(|p| matches!(p, Piece::Text(_))) => Text::Lit(
                        parts
                            .into_iter()
                            .map(|p| match p {
                                Piece::Text(s) => s,
                                _ => String::new(),
                            })
                            .collect(),
                    ),
                    _ => Text::Unknown,
                },
                _ => Text::Unknown,
            },
            _ => Text::Unknown,
        }
    }

    fn pieces(&self, v: Node<'t>) -> Pieces<'t> {
        let field = |f: &'static str| v.field(f);
        match v.kind() {
            "string_literal" | "raw_string_literal" => {
                self.string_lit(v).map_or(Pieces::Unknown, |s| Pieces::Parts(vec![Piece::Text(s)]))
            }
            "binary_expression" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Pieces::Plus(l, r),
                    _ => Pieces::Unknown,
                }
            }
            "parenthesized_expression" | "try_expression" | "await_expression" => {
                v.named_child(0).map_or(Pieces::Unknown, Pieces::Inner)
            }
            "reference_expression" => field("value").map_or(Pieces::Unknown, Pieces::Inner),
            "block" => self.tail(v).map_or(Pieces::Unknown, Pieces::Inner),
            "if_expression" | "match_expression" => self.branches(v).map_or(Pieces::Unknown, Pieces::Branches),
            "identifier"
                if v.parent().is_some_and(|p| p.kind() == "token_tree")
                    && v.prev_sibling().is_some_and(|d| d.kind() == ".") =>
            {
                Pieces::Unknown
            }
            "identifier" => match self.loop_binding(v) {
                // (Read in its loop's scope: the pattern's names are bound there.)
                Some((for_node, index)) => match self.loop_text(for_node, index, &Ctx::module(self.sym.root_id)) {
                    Some(s) => Pieces::Parts(vec![Piece::Text(s)]),
                    None => Pieces::Unknown,
                },
                None => Pieces::Name(self.text(v), v.start_byte()),
            },
            "scoped_identifier" if self.in_inline_mod(v) => Pieces::Name(self.text(v), v.start_byte()),
            "macro_invocation" => match self.macro_parts(v) {
                Some(("format" | "concat", tt)) => self.format_pieces(v, tt).map_or(Pieces::Unknown, Pieces::Parts),
                _ => Pieces::Unknown,
            },
            "call_expression" => {
                if let Some(w) = self.wrapped(v).or_else(|| self.url_parsed(v)) {
                    return Pieces::Inner(w);
                }
                match self.method(v) {
                    Some((recv, m)) if KEEP_TEXT.contains(&m) => Pieces::Inner(recv),
                    // `base.join("chat/completions")` of `url::Url`.
                    Some((recv, "join")) => match field("arguments").and_then(|a| self.list_args(a).into_iter().next())
                    {
                        Some(a) => Pieces::Url(a, Some(recv)),
                        None => Pieces::Unknown,
                    },
                    _ => field("function").map_or(Pieces::Unknown, |f| Pieces::Call(f, field("arguments"))),
                }
            }
            _ => Pieces::Unknown,
        }
    }

    fn params(&self, def: Node<'t>) -> Vec<&'t str> {
        let Some(params) = def.field("parameters") else { return Vec::new() };
        let mut names = Vec::new();
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            match p.kind() {
                "parameter" => {
                    let pat = p.field("pattern");
                    names.push(pat.map_or("_", |n| self.text(n).trim_start_matches("mut ").trim()));
                }
                "identifier" => names.push(self.text(p)),
                _ => {}
            }
        }
        names
    }

    fn arg_nodes(&self, args: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        if args.kind() == "field_initializer_list" {
            return self.literal_fields(args).into_iter().map(|(k, v)| (Some(k), v)).collect();
        }
        self.list_args(args).into_iter().map(|a| (None, a)).collect()
    }

    fn string_lit(&self, n: Node<'t>) -> Option<String> {
        match n.kind() {
            "string_literal" | "raw_string_literal" => string_text(n, self.src),
            _ => None,
        }
    }

    /// `Client<OpenAIConfig>`, `&Client`, `Arc<Mutex<Client>>`, `Svc`: an instance of the type.
    fn annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.sym.budget.step(depth) {
            return None;
        }
        match t.kind() {
            "reference_type" => self.annotation(t.field("type")?, ctx, depth + 1),
            "generic_type" => {
                let base = t.field("type")?;
                let args = t.field("type_arguments");
                let types: Vec<Node<'t>> = args
                    .map(|a| {
                        let mut cursor = a.walk();
                        let v: Vec<Node<'t>> =
                            a.named_children(&mut cursor).filter(|c| c.kind() != "lifetime").collect();
                        v
                    })
                    .unwrap_or_default();
                if WRAPPERS.contains(&type_name(self.text(base))) {
                    return self.annotation(*types.first()?, ctx, depth + 1);
                }
                match self.resolve(base, ctx, depth + 1)? {
                    Val::Path(p) if self.locals.is_local_module_path(&p) => {
                        p.called(CallArgs::default()).map(Val::Path)
                    }
                    Val::Path(p) if self.is_vendor_path(&p) => {
                        let positional = types
                            .iter()
                            .map(|g| match self.resolve(*g, ctx, depth + 1) {
                                Some(Val::Path(p)) => ArgValue::Path(p),
                                _ => ArgValue::Dynamic,
                            })
                            .collect();
                        p.called(CallArgs { positional, ..CallArgs::default() }).map(Val::Path)
                    }
                    Val::Class(c) => Some(Val::Instance(c)),
                    _ => None,
                }
            }
            "scoped_type_identifier" | "type_identifier" => match self.resolve(t, ctx, depth + 1)? {
                Val::Path(p) if self.is_vendor_path(&p) || self.locals.is_local_module_path(&p) => {
                    p.called(CallArgs::default()).map(Val::Path)
                }
                Val::Class(c) => Some(Val::Instance(c)),
                _ => None,
            },
            // `dyn Trait`, `impl Trait`: nothing known.
            _ => None,
        }
    }

    /// Arguments in order; builder calls inside a path argument also count as keyword
    /// arguments (`with_api_base` of `OpenAIConfig::new().with_api_base(url)`); the fields of
    /// a struct literal are keywords.
    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, _callee: &Path) -> CallArgs {
        let mut out = CallArgs::default();
        if args.kind() == "field_initializer_list" {
            for (k, v) in self.literal_fields(args) {
                out.keywords.push((k.to_string(), self.arg_value(v, ctx, depth + 1, true)));
            }
            return out;
        }
        for a in self.list_args(args) {
            let v = self.arg_value(a, ctx, depth + 1, true);
            if let ArgValue::Path(p) = &v {
                for seg in &p.0 {
                    if let Some(first) = seg.call.as_ref().and_then(|c| c.positional.first()) {
                        if matches!(first, ArgValue::Str(_) | ArgValue::Env(_)) {
                            out.keywords.push((seg.name.clone(), first.clone()));
                        }
                    }
                    if let Some(call) = seg.call.as_ref() {
                        out.keywords.extend(call.keywords.iter().cloned());
                    }
                }
            }
            out.positional.push(v);
        }
        out
    }

    /// `std::env::var("X")`, `env::var_os("X")`, `dotenvy::var("X")`, `env!("X")`.
    fn env_read(&self, n: Node<'t>, ctx: &Ctx, depth: u32) -> Option<String> {
        if let Some((name, tt)) = self.macro_parts(n) {
            if !matches!(name, "env" | "option_env") {
                return None;
            }
            let first = self.macro_args(tt).into_iter().next()?;
            return self.string_lit(*first.first()?);
        }
        if n.kind() != "call_expression" {
            return None;
        }
        let key = n.field("arguments").and_then(|a| self.list_args(a).into_iter().next())?;
        let name = self.string_lit(key)?;
        let f = n.field("function")?;
        let dotted = match self.resolve(f, ctx, depth + 1) {
            Some(Val::Path(p)) => p.dotted(p.0.len()),
            _ => self.text(f).replace("::", "."),
        };
        let ok = ["env.var", "env.var_os", "dotenv.var", "dotenvy.var"].iter().any(|s| dotted.ends_with(s));
        ok.then_some(name)
    }

    /// A Rust path as written (`a::b::c`; `*::Client` a name of a glob import).
    fn module_root(&self, spec: &str) -> Path {
        if let Some(names) = spec.strip_prefix(IMPORTED) {
            return Path(names.split(IMPORTED).map(|n| Seg { name: n.to_string(), call: None }).collect());
        }
        if let Some(name) = spec.strip_prefix("*::") {
            return self.glob_path(name).unwrap_or_else(|| Path::from_dotted(name));
        }
        let names: Vec<String> = spec.split("::").map(str::to_string).collect();
        self.crate_path(&names)
    }

    fn is_getter(&self, _method: Node<'t>) -> bool {
        false
    }

    /// A crate path, and the same through the module's glob re-exports (`pub use defaults::*`
    /// keeps its names under `*0`, `*1`, ... in [`module_strings`]).
    fn module_paths(&self, path: &Path) -> Vec<Path> {
        let mut paths = vec![path.clone()];
        if path.0.first().is_some_and(|s| s.name.starts_with(RS_MODULE)) {
            // `Config().endpoint()`, an instance's method, is kept as the type's, `Config.endpoint()`.
            if path.0.get(1).is_some_and(|s| s.call.as_deref().is_some_and(|c| *c == CallArgs::default())) {
                let mut p = path.clone();
                p.0[1].call = None;
                paths.push(p);
            }
            for g in 0..GLOBS {
                let mut p = path.clone();
                p.0.insert(1, Seg { name: format!("*{g}"), call: None });
                paths.push(p);
            }
        }
        paths
    }

    /// A method chain on any receiver: a call through another module's value
    /// (`state.llm_client.responses().create(..)`) keeps the call inferred from the file's
    /// imports for when that module says nothing.
    fn on_this(&self, n: Node<'t>, ctx: &Ctx) -> bool {
        matches!(self.shape(n, ctx), Shape::Member(..))
    }

    /// A `match` arm or `if let` binding what a variant carries is a scope of its own (as
    /// `collect` and `visit` enter it): its value is read inside it.
    fn branch_ctx(&self, branch: Node<'t>, ctx: &Ctx) -> Ctx {
        match branch.parent() {
            Some(p) if !ctx.chain.contains(&p.id()) && self.variant_scope(p).is_some() => ctx.enter(p.id()),
            _ => ctx.clone(),
        }
    }

    fn unbound(&self, name: &str, _ctx: &Ctx) -> Option<Val<'t>> {
        if !self.sym.unbound_everywhere(name) {
            return None;
        }
        self.glob_path(name).map(Val::Path)
    }

    fn first_arg(&self, args: Node<'t>) -> Option<Node<'t>> {
        self.list_args(args).into_iter().next()
    }

    /// A `let` shadows: the value of a name is never that of a binding older than the
    /// nearest `let` of it (`let client = async_anthropic::Client::builder()...;` then
    /// `let client = wrapper_builder.build()?;`: the wrapper, even when nothing resolves it).
    /// (Strings and environment reads still follow the older bindings.)
    fn resolve_name(&self, name: &str, ctx: &Ctx, pos: usize, depth: u32) -> Option<Val<'t>> {
        let mut binds = self.lookup(name, ctx, pos);
        // (So does a statement setting the client's base URL, `client.set_base_url(url);`,
        // for what is read after it only.)
        let setter = |b: &Binding<'t>| {
            matches!(&b.bind, Bind::Expr(n, _) if n.kind() == "call_expression"
                && n.parent().is_some_and(|p| p.kind() == "expression_statement"))
        };
        binds.retain(|b| !(setter(b) && b.pos > pos));
        let by_let = |b: &Binding<'t>| match &b.bind {
            Bind::Expr(n, _) | Bind::Annot(n, _) => n.parent().is_some_and(|p| p.kind() == "let_declaration"),
            _ => false,
        } || setter(b);
        if let Some(at) = binds.iter().find(|b| b.pos < pos && by_let(b)).map(|b| b.pos) {
            binds.retain(|b| b.pos >= at);
        }
        self.first_resolved(binds, depth)
    }

    fn out_of_sight(&self, bound: Node<'t>, read: Node<'t>) -> bool {
        self.loop_binding(bound).is_some_and(|(for_node, _)| {
            !for_node
                .field("body")
                .is_some_and(|b| b.start_byte() <= read.start_byte() && read.end_byte() <= b.end_byte())
        })
    }

    fn unset_field(&self, obj: Option<Node<'t>>, name: &str) -> Option<String> {
        if let Some(o) = obj.filter(|o| matches!(o.kind(), "identifier" | "type_identifier")) {
            if let Some(v) = self.implementor_text(o, name) {
                return Some(v);
            }
        }
        base_named(name).then(|| self.default_base()).flatten()
    }

    fn library_request(&self, call: Node<'t>) -> bool {
        let Some((recv, method)) = self.method(call) else { return false };
        let name = match recv.kind() {
            "field_expression" => recv.child_by_field_name("field").map_or("", |f| self.text(f)),
            "identifier" => self.text(recv),
            _ => "",
        };
        let lower = name.to_ascii_lowercase();
        (lower.contains("client") || lower.contains("http"))
            && self
                .rules
                .http_clients
                .iter()
                .any(|d| d.ecosystem == LANG && !d.modules.is_empty() && d.requests.iter().any(|r| r == method))
    }

    fn call_parts(&self, call: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        (call.kind() == "call_expression").then(|| Some((call.field("function")?, call.field("arguments"))))?
    }

    /// A call on a receiver nothing in the file resolves: see `common::infer_operation`.
    /// Reported at the call that sends (`.create(req)`), not at an unwrapping call after it
    /// (`.create(req).await.map_err(..)`), which the names go through.
    fn inferred_call(&mut self, node: Node<'t>, f: Node<'t>, out: &mut FileOutput) -> Option<String> {
        let mut names: Vec<&'t str> = Vec::new();
        let mut sender = None;
        let mut cur = f;
        for _ in 0..32 {
            match cur.kind() {
                "generic_function" => cur = cur.field("function")?,
                "field_expression" => {
                    let name = self.text(cur.field("field")?);
                    if sender.is_none() && !IDENTITY.contains(&name) {
                        sender = cur.parent().filter(|p| matches!(p.kind(), "call_expression" | "generic_function"));
                    }
                    names.push(name);
                    cur = cur.field("value")?;
                }
                "call_expression" => cur = cur.field("function")?,
                "try_expression" | "await_expression" | "reference_expression" | "parenthesized_expression" => {
                    cur = cur.named_child(0)?
                }
                _ => break,
            }
        }
        let base = if matches!(cur.kind(), "identifier" | "self") { self.text(cur) } else { "" };
        names.reverse();
        names.retain(|n| !IDENTITY.contains(n));
        if names.is_empty() {
            return None;
        }
        let llm_shaped = node.field("arguments").is_some_and(|a| {
            let t = self.text(a);
            ["model", "messages", "request"].iter().any(|k| t.contains(k))
        });
        let built: Vec<String> = self.sym.clients.iter().map(|(d, _)| d.clone()).collect();
        let (def, op) = common::infer_operation(self.rules, LANG, &names, base, out, &built, llm_shaped)?;
        let at = sender.map(|s| if s.kind() == "generic_function" { s.parent().unwrap_or(node) } else { s });
        self.emit(out, at.unwrap_or(node), emit::inferred_call(self.rules, def, op));
        Some(def.vendor.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys another module of the crate reads (`crate::config::X`), as the resolver
    /// asks for them ([`LocalModules::module_string`]).
    #[test]
    fn module_strings_bind_consts_methods_fields_implementors_and_reexports() {
        let src = r#"
pub use crate::urls::*;
pub use crate::paths::CHAT;
use crate::private::Hidden;
pub const DEFAULT_URL: &str = "https://api.mistral.ai/v1";
static ANTHROPIC: &str = "https://api.anthropic.com";
mod urls { pub const GROQ: &str = "https://api.groq.com/openai/v1"; }
pub fn default_base_url() -> String { format!("{}/", DEFAULT_URL) }
pub trait Provider { const BASE: &'static str = "https://api.openai.com/v1"; }
pub struct Groq;
impl Provider for Groq { const BASE: &'static str = "https://api.groq.com/openai/v1"; }
pub struct Config { pub base_url: String }
impl Config {
    pub const CHAT: &'static str = "/chat/completions";
    pub fn endpoint(&self) -> String { format!("{}{}", DEFAULT_URL, Self::CHAT) }
}
impl Default for Config {
    fn default() -> Self { Config { base_url: "https://api.deepseek.com".to_string() } }
}
"#;
        let rules = crate::rules::load_embedded();
        let locals =
            LocalModules::new(["src/main.rs", "src/config.rs", "src/urls.rs", "src/paths.rs", "src/private.rs"]);
        let strings = module_strings(src, &rules, "src/config.rs", &locals).expect("parsed");
        let text = |k: &str| match strings.get(k) {
            Some(ModuleValue::Str(s)) => s.clone(),
            other => panic!("{k}: {other:?} in {strings:?}"),
        };
        assert_eq!(text("DEFAULT_URL"), "https://api.mistral.ai/v1");
        assert_eq!(text("ANTHROPIC"), "https://api.anthropic.com");
        assert_eq!(text("urls.GROQ"), "https://api.groq.com/openai/v1");
        assert_eq!(text("default_base_url()"), "https://api.mistral.ai/v1/");
        assert_eq!(text("Provider.BASE"), "https://api.openai.com/v1");
        assert_eq!(text("Groq.BASE"), "https://api.groq.com/openai/v1");
        assert_eq!(text("impl:Provider:Groq.BASE"), "https://api.groq.com/openai/v1");
        assert_eq!(text("Config.CHAT"), "/chat/completions");
        assert_eq!(text("Config.endpoint()"), "https://api.mistral.ai/v1/chat/completions");
        assert_eq!(text("Config.default().base_url"), "https://api.deepseek.com");
        let import = |k: &str| match strings.get(k) {
            Some(ModuleValue::Import(p)) => p.0.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join("."),
            other => panic!("{k}: {other:?}"),
        };
        assert_eq!(import("*0"), "rs:src/urls.rs");
        assert_eq!(import("CHAT"), "rs:src/paths.rs.CHAT");
        // A private `use` is not the module's to re-export.
        assert!(!strings.contains_key("Hidden"));
    }
}
