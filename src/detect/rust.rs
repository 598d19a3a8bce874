//! Rust detection with syn. One file in, its findings out. A first pass collects what is
//! visible file-wide (`use` trees, struct field types, `const`/`static` items, functions
//! and methods with their return types); a second pass walks the syntax tree with a scope
//! stack of `let` bindings and typed parameters, turns expressions into canonical paths
//! (`use async_openai::Client; let c = Client::new(); c.chat().create(req)` becomes
//! `async_openai.Client.new().chat().create()`) and matches them (matcher.rs).
//!
//! Rust specifics kept here, never in the rules: `::` is a path separator like `.`;
//! identity methods (`clone`, `unwrap`, `?`, `.await`, `&`) and wrappers (`Arc::new`,
//! `Box::new`, `Some`) keep the value they hold; builder calls inside an argument count as
//! keyword arguments (`OpenAIConfig::new().with_api_base(url)` gives `with_api_base`); a
//! value of type `Client<AzureConfig>` is the path `Client` called with the type's generic
//! arguments. Macro bodies are parsed as comma-separated expressions where they are, else
//! their string literals are read. A file syn cannot parse keeps the findings of its string
//! literals and environment reads, and its error is recorded.

use super::budget::{Budget, Memo};
use super::emit::{self, Emit};
use super::matcher::{self, Served};
use super::path::{ArgValue, CallArgs, Path, Seg};
use super::{common, http, resolve, tables, FileOutput, LineIndex, LocalModules, ModuleStrings, ModuleValue, Span};
use crate::ecosystem::Ecosystem;
use crate::rules::RuleSet;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::cell::RefCell;
use std::collections::HashMap;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, FnArg, Pat, Type};

const LANG: Ecosystem = Ecosystem::Rust;

/// Methods that return the value they are called on, as far as vendor paths go.
/// `get_or_init` and `get_or_try_init` hand out what a `OnceCell` holds.
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
    "deref",
    "get_or_init",
    "get_or_try_init",
    // A `Result`'s error adapters keep its value (`Client::new(..).map_err(Error::from)?`,
    // anyhow's `.context("..")?`).
    "map_err",
    "context",
    "with_context",
];

/// Methods of `Result` and `Option` (and anyhow's) that keep the string they hold, as far as
/// a URL goes (`base_url.join("models").map_err(Error::from)?`).
const KEEP_TEXT: &[&str] =
    &["map_err", "context", "with_context", "ok", "ok_or", "ok_or_else", "into", "to_string", "as_str", "as_deref"];

/// Types and functions that hold the value they are given.
/// `Result` too: a getter `-> Result<&Client>` returns a client.
const WRAPPERS: &[&str] = &[
    "Arc", "Rc", "Box", "Option", "Result", "Mutex", "RwLock", "RefCell", "Cell", "OnceCell", "OnceLock", "Lazy",
    "LazyLock",
];

/// Delimiter nesting and statement length past which syn is not used: its parser, its
/// tree's drop and the visitor recurse once per level (`((((...))))`, `1 + 1 + ... + 1`).
const MAX_NESTING: usize = 256;
const MAX_STATEMENT: usize = 64 * 1024;
/// How text that does not even lex is read for literals (see `common::scan_text`).
const RUST_TEXT: common::TextSyntax =
    common::TextSyntax { comment: "//", quotes: b"\"", env_calls: &["var(", "var_os(", "env!(", "option_env!("] };
/// The stack of the thread that parses and visits one file.
const STACK: usize = 64 * 1024 * 1024;

/// The prefix of a Rust file's module key in [`LocalModules`] (`rs:src/config.rs`).
pub const RS_MODULE: &str = "rs:";

/// Detects everything in one Rust source (`rel`, its path in the tree; `locals`, the tree's
/// modules, whose strings are read on demand).
pub fn detect(src: &str, rules: &RuleSet, rel: &str, locals: &LocalModules, out: &mut FileOutput) {
    if super::rust_lower::selected() {
        return super::rust_lower::detect(src, rules, rel, locals, out);
    }
    let lines = LineIndex::new(src);
    if let Some(why) = super::budget::too_large(src) {
        out.add_error(why);
        common::scan_text(src, rules, &lines, &RUST_TEXT, out);
        return;
    }
    if let Some(why) = too_deep(src) {
        out.error = Some(format!("{why}; only string literals and environment reads were scanned"));
        common::scan_text(src, rules, &lines, &RUST_TEXT, out);
        return;
    }
    // A thread of its own: a deep but accepted file must not overflow a scanning thread.
    // It reads the tree's settings files as the scanning thread does.
    let tree = super::settings::current();
    let done = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(s, || {
                super::settings::carried(tree, || detect_parsed(src, rules, &lines, Some((rel, locals)), out))
            })
            .map(|h| h.join().is_ok())
            .unwrap_or(false)
    });
    if !done {
        out.error = Some("the Rust parser failed on this file".into());
    }
}

/// Why the text is too deep for syn, if it is: a cheap scan of delimiters and of the
/// distance between `;`, `{` and `}` (string contents and comments are counted too, which
/// errs on the safe side).
fn too_deep(src: &str) -> Option<String> {
    let (mut depth, mut max, mut since) = (0usize, 0usize, 0usize);
    for b in src.bytes() {
        since += 1;
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if matches!(b, b';' | b'{' | b'}') {
            since = 0;
        }
        max = max.max(depth);
        if max > MAX_NESTING {
            return Some(format!("delimiters nested over {MAX_NESTING} deep"));
        }
        if since > MAX_STATEMENT {
            return Some(format!("a statement over {} KiB long", MAX_STATEMENT / 1024));
        }
    }
    None
}

fn detect_parsed(
    src: &str,
    rules: &RuleSet,
    lines: &LineIndex,
    module: Option<(&str, &LocalModules)>,
    out: &mut FileOutput,
) {
    match syn::parse_file(src) {
        Ok(file) => {
            let mut items = Items::default();
            items.visit_file(&file);
            let budget = Budget::default();
            let mut a = Analyzer::new(src, rules, lines, module, items, &budget, out);
            a.visit_file(&file);
            let clients = std::mem::take(&mut a.clients);
            common::reassign_imports(rules, &clients, out);
            budget.finish(out);
            mark_test_code(&file, out);
        }
        Err(e) => {
            let at = e.span().start();
            out.error = Some(format!(
                "{}:{}: Rust syntax error: {e}; only string literals and environment reads were scanned",
                at.line,
                at.column + 1
            ));
            match src.parse::<TokenStream>() {
                Ok(tokens) => scan_tokens(tokens, rules, src, lines, out),
                Err(_) => common::scan_text(src, rules, lines, &RUST_TEXT, out),
            }
        }
    }
    // proc-macro2 keeps every parsed file's text per thread for span locations.
    proc_macro2::extra::invalidate_current_thread_spans();
}

/// The 1-based span of a syn span (proc-macro2 columns are 0-based characters).
/// Marks the findings inside test code the source declares: a `#[cfg(test)]` module or
/// item, a `#[test]` (`#[tokio::test]`, ...) function. Their context is `test`.
fn mark_test_code(file: &syn::File, out: &mut FileOutput) {
    #[derive(Default)]
    struct Tests(Vec<(u32, u32)>);
    fn is_test_attr(a: &syn::Attribute) -> bool {
        let path = a.path();
        if path.segments.last().is_some_and(|s| s.ident == "test") {
            return true;
        }
        // `#[cfg(test)]`, `#[cfg(all(test, feature = "x"))]`; not `#[cfg(not(test))]`.
        path.is_ident("cfg") && {
            let tokens = match &a.meta {
                syn::Meta::List(l) => l.tokens.to_string(),
                _ => String::new(),
            };
            tokens.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "test") && !tokens.contains("not")
        }
    }
    impl Tests {
        fn note(&mut self, attrs: &[syn::Attribute], span: proc_macro2::Span) {
            if attrs.iter().any(is_test_attr) {
                self.0.push((span.start().line as u32, span.end().line as u32));
            }
        }
    }
    impl<'ast> Visit<'ast> for Tests {
        fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
            self.note(&m.attrs, m.span());
            syn::visit::visit_item_mod(self, m);
        }
        fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
            self.note(&f.attrs, f.span());
            syn::visit::visit_item_fn(self, f);
        }
        fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
            self.note(&f.attrs, f.span());
            syn::visit::visit_impl_item_fn(self, f);
        }
    }
    let mut t = Tests::default();
    t.visit_file(file);
    for f in &mut out.findings {
        if t.0.iter().any(|&(a, b)| (a..=b).contains(&f.line)) {
            f.test_code = true;
        }
    }
}

fn span_of(s: proc_macro2::Span) -> Span {
    let (a, b) = (s.start(), s.end());
    Span { line: a.line as u32, column: a.column as u32 + 1, end_line: b.line as u32, end_column: b.column as u32 + 1 }
}

/// Whether a name says its value is a model (`model`, `MODEL_NAME`, `deployment`).
fn model_named(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("model") || n == "engine" || n.contains("deployment")
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

// -------------------------------------------------------------------- pass 1: file items

/// A value a struct literal gives a field, and the body of the function holding the literal.
type FieldInit<'ast> = (&'ast Expr, Option<&'ast syn::Block>);

/// What a file declares, visible everywhere in it.
#[derive(Default)]
struct Items<'ast> {
    /// Local name → full path, from `use` trees.
    uses: HashMap<String, Vec<String>>,
    /// Modules imported with `*`.
    globs: Vec<Vec<String>>,
    /// Items declared in the file (structs, enums, functions, ...): they shadow globs.
    declared: std::collections::HashSet<String>,
    /// Struct name → field name → type.
    fields: HashMap<String, HashMap<String, &'ast Type>>,
    /// `const`/`static` name → (type, value).
    statics: HashMap<String, (&'ast Type, &'ast Expr)>,
    /// Associated `const` items (`Type::NAME`, `Trait::NAME` for a default) → value.
    assoc: HashMap<String, &'ast Expr>,
    /// Values the file gives anything named like a base URL: `const`s (module-level or
    /// associated, `DEFAULT_BASE_URL`) and struct literal fields (`Config { base_url: ... }`).
    bases: Vec<&'ast Expr>,
    /// Function name (`Type::method` for methods) → return type and body.
    returns: HashMap<String, (&'ast Type, &'ast syn::Block)>,
    /// What struct literals put in each field, by (struct, field): the value and the body of
    /// the function holding the literal (`Self { url: format!("{base}/chat") }` in `new`).
    field_inits: HashMap<(String, String), Vec<FieldInit<'ast>>>,
    /// `#[serde(default = "path")]` on a field, by (struct, field): the function named.
    serde_defaults: HashMap<(String, String), String>,
    /// Every function body (free functions and methods), in file order.
    bodies: Vec<&'ast syn::Block>,
    /// `match` arms that map an enum variant to a value (`ConfigKey::OpenAiURL => "https://..."`),
    /// with the type of the `impl` holding them.
    arms: Vec<(Option<String>, &'ast syn::Path, &'ast Expr)>,
    /// What `pub use` items re-export: (local name, `None` for a glob; full path).
    reexports: Vec<(Option<String>, Vec<String>)>,
    /// Trait bounds of generic parameters (`impl<T: ProviderConfig>`, `where T: ProviderConfig`),
    /// by parameter name, over the whole file.
    bounds: HashMap<String, Vec<String>>,
    /// Associated consts of `impl Trait for Type` blocks: (trait, type, const, value).
    trait_consts: Vec<(String, String, String, &'ast Expr)>,
    impl_type: Option<String>,
    /// The trait of the `impl` being visited (`impl ProviderConfig for GroqConfig`).
    impl_trait: Option<String>,
    /// The inline module being visited (`mod urls { ... }`).
    inline_mod: Option<String>,
    trait_name: Option<String>,
    body: Option<&'ast syn::Block>,
}

/// One name a `use` tree brings in: its local name (`None` for a glob) and full path.
fn use_leaves(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Option<String>, Vec<String>)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_leaves(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last() {
                    out.push((Some(last.clone()), prefix.clone()));
                }
            } else {
                let mut full = prefix.clone();
                full.push(name.clone());
                out.push((Some(name), full));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut full = prefix.clone();
            if r.ident != "self" {
                full.push(r.ident.to_string());
            }
            let local = r.rename.to_string();
            out.push(((local != "_").then_some(local), full));
        }
        syn::UseTree::Glob(_) => out.push((None, prefix.clone())),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_leaves(t, prefix, out);
            }
        }
    }
}

fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The type a value of `ty` holds through references and wrappers: `&Config`,
/// `Arc<Config>`, `Option<Box<Config>>` are `Config`.
fn held_type(ty: &Type) -> Option<&syn::PathSegment> {
    let mut ty = ty;
    // A type's nesting is the source's; the bound keeps a pathological one cheap.
    for _ in 0..8 {
        match ty {
            Type::Reference(r) => ty = &r.elem,
            Type::Paren(p) => ty = &p.elem,
            Type::Group(g) => ty = &g.elem,
            Type::Path(p) => {
                let last = p.path.segments.last()?;
                let inner = match &last.arguments {
                    syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
                        syn::GenericArgument::Type(t) => Some(t),
                        _ => None,
                    }),
                    _ => None,
                };
                match inner {
                    Some(t) if WRAPPERS.contains(&last.ident.to_string().as_str()) => ty = t,
                    _ => return Some(last),
                }
            }
            _ => return None,
        }
    }
    None
}

/// The function `#[serde(default = "path")]` names, if a field has one.
fn serde_default(attrs: &[syn::Attribute]) -> Option<String> {
    let mut found = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") && meta.input.peek(syn::Token![=]) {
                let lit: syn::LitStr = meta.value()?.parse()?;
                found = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                // `rename = "x"` and the like: read the value to reach the next item.
                let _: Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

impl<'ast> Visit<'ast> for Items<'ast> {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut leaves = Vec::new();
        use_leaves(&u.tree, &mut Vec::new(), &mut leaves);
        if !matches!(u.vis, syn::Visibility::Inherited) {
            self.reexports.extend(leaves.iter().cloned());
        }
        for (local, full) in leaves {
            match local {
                Some(l) => {
                    self.uses.insert(l, full);
                }
                None => self.globs.push(full),
            }
        }
    }

    fn visit_item(&mut self, i: &'ast syn::Item) {
        let ident = match i {
            syn::Item::Struct(x) => Some(&x.ident),
            syn::Item::Enum(x) => Some(&x.ident),
            syn::Item::Fn(x) => Some(&x.sig.ident),
            syn::Item::Type(x) => Some(&x.ident),
            syn::Item::Trait(x) => Some(&x.ident),
            syn::Item::Mod(x) => Some(&x.ident),
            syn::Item::Union(x) => Some(&x.ident),
            syn::Item::Const(x) => Some(&x.ident),
            syn::Item::Static(x) => Some(&x.ident),
            _ => None,
        };
        if let Some(ident) = ident {
            self.declared.insert(ident.to_string());
        }
        visit::visit_item(self, i);
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        let fields = self.fields.entry(s.ident.to_string()).or_default();
        for f in s.fields.iter() {
            if let Some(name) = &f.ident {
                fields.insert(name.to_string(), &f.ty);
                if let Some(function) = serde_default(&f.attrs) {
                    self.serde_defaults.insert((s.ident.to_string(), name.to_string()), function);
                }
            }
        }
        visit::visit_item_struct(self, s);
    }

    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        let name = e.path.segments.last().map(|seg| seg.ident.to_string());
        let name = if name.as_deref() == Some("Self") { self.impl_type.clone() } else { name };
        if let Some(name) = name {
            for f in &e.fields {
                if let syn::Member::Named(field) = &f.member {
                    self.field_inits.entry((name.clone(), field.to_string())).or_default().push((&f.expr, self.body));
                }
            }
        }
        visit::visit_expr_struct(self, e);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        // Only an inline module's items are this file's (`mod urls { pub const .. }`).
        let saved = std::mem::replace(&mut self.inline_mod, m.content.as_ref().map(|_| m.ident.to_string()));
        visit::visit_item_mod(self, m);
        self.inline_mod = saved;
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        self.statics.insert(c.ident.to_string(), (&c.ty, &c.expr));
        // `urls::CHAT` for a const of an inline module, as another module of the file names it.
        if let Some(m) = &self.inline_mod {
            self.assoc.insert(format!("{m}::{}", c.ident), &c.expr);
        }
        if base_named(&c.ident.to_string()) {
            self.bases.push(&c.expr);
        }
        visit::visit_item_const(self, c);
    }

    fn visit_impl_item_const(&mut self, c: &'ast syn::ImplItemConst) {
        if let Some(t) = &self.impl_type {
            self.assoc.insert(format!("{t}::{}", c.ident), &c.expr);
            if let Some(tr) = &self.impl_trait {
                self.trait_consts.push((tr.clone(), t.clone(), c.ident.to_string(), &c.expr));
            }
        }
        if base_named(&c.ident.to_string()) {
            self.bases.push(&c.expr);
        }
        visit::visit_impl_item_const(self, c);
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        let saved = self.trait_name.replace(t.ident.to_string());
        visit::visit_item_trait(self, t);
        self.trait_name = saved;
    }

    fn visit_trait_item_const(&mut self, c: &'ast syn::TraitItemConst) {
        if let (Some(t), Some((_, e))) = (&self.trait_name, &c.default) {
            self.assoc.insert(format!("{t}::{}", c.ident), e);
            if base_named(&c.ident.to_string()) {
                self.bases.push(e);
            }
        }
        visit::visit_trait_item_const(self, c);
    }

    fn visit_field_value(&mut self, f: &'ast syn::FieldValue) {
        if let syn::Member::Named(n) = &f.member {
            if base_named(&n.to_string()) {
                self.bases.push(&f.expr);
            }
        }
        visit::visit_field_value(self, f);
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        self.statics.insert(s.ident.to_string(), (&s.ty, &s.expr));
        visit::visit_item_static(self, s);
    }

    fn visit_arm(&mut self, a: &'ast syn::Arm) {
        if let (Pat::Path(p), None) = (&a.pat, &a.guard) {
            if p.qself.is_none() && p.path.segments.len() >= 2 {
                self.arms.push((self.impl_type.clone(), &p.path, &a.body));
            }
        }
        visit::visit_arm(self, a);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if let syn::ReturnType::Type(_, ty) = &f.sig.output {
            self.returns.insert(f.sig.ident.to_string(), (ty, &f.block));
        }
        self.bodies.push(&f.block);
        let saved = self.body.replace(&f.block);
        visit::visit_item_fn(self, f);
        self.body = saved;
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let saved = self.impl_type.replace(type_name(&i.self_ty).unwrap_or_default());
        let trait_name = i.trait_.as_ref().and_then(|(_, p, _)| p.segments.last()).map(|s| s.ident.to_string());
        let saved_trait = std::mem::replace(&mut self.impl_trait, trait_name);
        visit::visit_item_impl(self, i);
        self.impl_type = saved;
        self.impl_trait = saved_trait;
    }

    fn visit_generics(&mut self, g: &'ast syn::Generics) {
        let mut bound = |name: String, bounds: &Punctuated<syn::TypeParamBound, syn::Token![+]>| {
            for b in bounds {
                if let syn::TypeParamBound::Trait(t) = b {
                    let Some(last) = t.path.segments.last() else { continue };
                    let traits = self.bounds.entry(name.clone()).or_default();
                    if !traits.contains(&last.ident.to_string()) {
                        traits.push(last.ident.to_string());
                    }
                }
            }
        };
        for p in &g.params {
            if let syn::GenericParam::Type(t) = p {
                bound(t.ident.to_string(), &t.bounds);
            }
        }
        for w in g.where_clause.iter().flat_map(|w| &w.predicates) {
            if let syn::WherePredicate::Type(t) = w {
                if let Type::Path(p) = &t.bounded_ty {
                    if let Some(id) = p.path.get_ident() {
                        bound(id.to_string(), &t.bounds);
                    }
                }
            }
        }
        visit::visit_generics(self, g);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if let (syn::ReturnType::Type(_, ty), Some(t)) = (&f.sig.output, &self.impl_type) {
            self.returns.insert(format!("{t}::{}", f.sig.ident), (ty, &f.block));
        }
        self.bodies.push(&f.block);
        let saved = self.body.replace(&f.block);
        visit::visit_impl_item_fn(self, f);
        self.body = saved;
    }
}

// -------------------------------------------------------------------- pass 2: findings

/// What a local name holds.
#[derive(Clone)]
enum Val {
    Path(Path),
    Str(String),
    Env(String),
    /// A string with unknown parts (`format!("{base}/messages")`).
    Pattern(String),
    /// A value of a type that is no vendor's: a struct of this file (`config: &Config`) or
    /// a library type (`builder: reqwest::RequestBuilder`), by its resolved dotted path.
    Typed(String),
    /// Shadowed by something unknown.
    Unknown,
    /// One value per alternative of run-time choice `id` (a `let` whose value reads a const
    /// of a generic parameter's implementors, [`Analyzer::implementor_text`]).
    Choice(usize, Vec<Val>),
}

struct Analyzer<'ast, 'a> {
    src: &'a str,
    rules: &'a RuleSet,
    lines: &'a LineIndex,
    /// The file's path and the tree's modules, for strings of other modules of the crate
    /// (`None` while reading a module for its own strings: one read never causes another).
    module: Option<(&'a str, &'a LocalModules)>,
    items: Items<'ast>,
    scopes: RefCell<Vec<HashMap<String, Val>>>,
    /// Memoised results of this file's functions.
    results: Memo<String, Path>,
    /// Memoised values of `const` and `static` items (a cycle between them ends).
    statics: Memo<String, Path>,
    /// Memoised strings returned by this file's functions (`fn responses_url(&self)`).
    texts: Memo<String, ArgValue>,
    /// The file's resolution budget, shared with the analyzers of macro bodies.
    budget: &'a Budget,
    self_type: Option<String>,
    /// The type of `Self` in the `impl` being visited (`impl Converse for Client`).
    self_ty: Option<&'ast Type>,
    /// The one base URL the file's base-URL-named items agree on, once computed.
    default_base: std::cell::OnceCell<Option<String>>,
    /// Set while the default base is computed: a base-URL field among the values asked
    /// again is unknown, not a recursion.
    default_base_busy: std::cell::Cell<bool>,
    /// Memoised strings a struct's field holds, by (struct, field).
    field_texts: Memo<(String, String), ArgValue>,
    /// The request URLs the file's functions build, once computed.
    built_urls: std::cell::OnceCell<Vec<String>>,
    /// The headers (lower case) set along the method chain being visited
    /// (`client.post(url).header("anthropic-version", v).send()`).
    chain_headers: Vec<String>,
    /// The expression being visited is the receiver of a method call of that chain.
    in_chain: bool,
    /// The literal being visited is clearly a model name (a `model(...)` argument, ...).
    model_ctx: bool,
    /// The vendor of the call whose arguments are being visited.
    served: Option<String>,
    /// (client definition vendor, served) of every construction, for `reassign_imports`.
    clients: Vec<(String, Served)>,
    /// Clients stored in struct fields by struct literals met so far (`App { llm:
    /// Arc::new(client) }`), by (struct, field); `None` where literals disagree. They
    /// decide `self.field` before the field's declared type does.
    field_values: RefCell<HashMap<(String, String), Option<Path>>>,
    /// Names a `for` loop binds to each string of a list (`for (model, key) in MODELS`), with
    /// those strings: a call given one is resolved once per string ([`Self::call_findings`]).
    choices: Vec<(String, Vec<String>)>,
    /// Findings held back while a call is resolved once per choice.
    held: Option<Vec<(Span, Emit)>>,
    /// Values chosen at run time among a trait's implementors (`T::DEFAULT_BASE_URL`): a
    /// call is resolved once per implementor, as every language does with its tables.
    tables: tables::Tables,
    /// Traits whose implementors were looked up, in the order met (a trait's index is its
    /// choice id): each implementor's type and its consts' strings, `None` for none.
    implementors: Implementors,
    /// The alternative a `let` is being evaluated for: (choice id, alternative).
    forced: std::cell::Cell<Option<(usize, usize)>>,
    /// Choices read while no alternative was in force, since the last `let`: (id, count).
    met: RefCell<Vec<(usize, usize)>>,
    /// How many times a choice was read: a memoised value whose computation read one is
    /// not kept.
    choice_reads: std::cell::Cell<usize>,
    /// Set while values that hold whichever alternative runs are computed.
    no_choice: std::cell::Cell<bool>,
    out: &'a mut FileOutput,
}

/// [`Analyzer::implementors`]: by trait, each implementor's type and consts.
type Implementors = RefCell<Vec<(String, Option<Vec<(String, HashMap<String, String>)>>)>>;

impl<'ast, 'a> Analyzer<'ast, 'a> {
    /// An analyzer of one file's items, with nothing bound yet.
    fn new(
        src: &'a str,
        rules: &'a RuleSet,
        lines: &'a LineIndex,
        module: Option<(&'a str, &'a LocalModules)>,
        items: Items<'ast>,
        budget: &'a Budget,
        out: &'a mut FileOutput,
    ) -> Self {
        Analyzer {
            src,
            rules,
            lines,
            module,
            items,
            scopes: RefCell::new(vec![HashMap::new()]),
            results: Memo::default(),
            statics: Memo::default(),
            texts: Memo::default(),
            budget,
            self_type: None,
            self_ty: None,
            default_base: std::cell::OnceCell::new(),
            default_base_busy: std::cell::Cell::new(false),
            field_texts: Memo::default(),
            built_urls: std::cell::OnceCell::new(),
            chain_headers: Vec::new(),
            in_chain: false,
            model_ctx: false,
            served: None,
            clients: Vec::new(),
            field_values: RefCell::new(HashMap::new()),
            choices: Vec::new(),
            held: None,
            tables: tables::Tables::default(),
            implementors: RefCell::new(Vec::new()),
            forced: std::cell::Cell::new(None),
            met: RefCell::new(Vec::new()),
            choice_reads: std::cell::Cell::new(0),
            no_choice: std::cell::Cell::new(false),
            out,
        }
    }
}

impl<'ast> Analyzer<'ast, '_> {
    fn lookup(&self, name: &str) -> Option<Val> {
        let v = self.scopes.borrow().iter().rev().find_map(|s| s.get(name)).cloned()?;
        Some(match v {
            Val::Choice(id, vals) => {
                self.pick(id, vals.len()).and_then(|c| vals.get(c).cloned()).unwrap_or(Val::Unknown)
            }
            v => v,
        })
    }

    /// The alternative of run-time choice `id` (of `n`) in force, if one is; else the choice
    /// is noted, for the call being resolved to be tried once per alternative.
    fn pick(&self, id: usize, n: usize) -> Option<usize> {
        if self.no_choice.get() {
            return None;
        }
        self.choice_reads.set(self.choice_reads.get() + 1);
        if let Some((f, c)) = self.forced.get() {
            if f == id {
                return Some(c);
            }
        }
        let c = self.tables.choose(id, n);
        if c.is_none() {
            self.met.borrow_mut().push((id, n));
        }
        c
    }

    /// Drops the values memoised under one alternative (tables.rs `resolve_call`'s `forget`).
    fn forget(&self) {
        self.results.clear();
        self.statics.clear();
        self.texts.clear();
        self.field_texts.clear();
    }

    /// A `let`'s value once per alternative of the first run-time choice its value read.
    fn value_per_choice(&self, e: &Expr, value: Val) -> Val {
        let Some((id, n)) = self.met.borrow().first().copied() else { return value };
        let saved = self.forced.get();
        let mut values = Vec::new();
        for c in 0..n.min(tables::MAX_KEYS) {
            self.forced.set(Some((id, c)));
            self.forget();
            values.push(self.value_of(e, 0));
        }
        self.forced.set(saved);
        self.forget();
        Val::Choice(id, values)
    }

    /// A const of a generic parameter (`T::DEFAULT_BASE_URL` in `impl<T: ProviderConfig>`),
    /// read from the crate's implementors of its bound (their own value, else the trait's
    /// default in this file). One value when they agree; else each implementor's, chosen at
    /// run time, when every one that is a URL names a vendor's or a self-hosted server.
    fn implementor_text(&self, param: &str, name: &str) -> Option<String> {
        // Only consts that may hold a URL or a path are worth reading the crate for.
        let lower = name.to_ascii_lowercase();
        if !["url", "endpoint", "path", "host", "base", "api"].iter().any(|w| lower.contains(w)) {
            return None;
        }
        let traits = self.items.bounds.get(param)?;
        traits.iter().find_map(|tr| {
            let id = self.implementors_of(tr)?;
            let default = self.items.assoc.get(&format!("{tr}::{name}")).and_then(|e| self.string_value(e, 1));
            let values: Vec<String> = {
                let list = self.implementors.borrow();
                let impls = list[id].1.as_ref()?;
                impls.iter().map(|(_, consts)| consts.get(name).or(default.as_ref()).cloned()).collect::<Option<_>>()?
            };
            let first = values.first()?.trim_end_matches('/');
            if values.iter().all(|v| v.trim_end_matches('/') == first) {
                return values.first().cloned();
            }
            if values.iter().any(|v| v.contains("://"))
                && !values.iter().all(|v| matcher::names_a_server(self.rules, v))
            {
                return None;
            }
            let c = self.pick(id, values.len())?;
            values.get(c).cloned()
        })
    }

    /// The choice id of trait `tr`: its implementors in the file's crate, read once
    /// ([`LocalModules::rust_strings_under`]); `None` when there is none, or too many.
    fn implementors_of(&self, tr: &str) -> Option<usize> {
        if let Some(id) = self.implementors.borrow().iter().position(|(t, _)| t == tr) {
            return Some(id);
        }
        let (rel, locals) = self.module?;
        let prefix = format!("{IMPL}{tr}:");
        let mut impls: Vec<(String, HashMap<String, String>)> = Vec::new();
        for (key, value) in locals.rust_strings_under(&crate_dir(locals, rel), &prefix, self.rules) {
            let Some((ty, name)) = key[prefix.len()..].split_once('.') else { continue };
            match impls.iter_mut().find(|(t, _)| t == ty) {
                Some((_, consts)) => {
                    consts.insert(name.to_string(), value);
                }
                None => impls.push((ty.to_string(), HashMap::from([(name.to_string(), value)]))),
            }
        }
        impls.sort_by(|a, b| a.0.cmp(&b.0));
        let found = (!impls.is_empty() && impls.len() <= IMPLEMENTORS).then_some(impls);
        let mut list = self.implementors.borrow_mut();
        list.push((tr.to_string(), found));
        Some(list.len() - 1)
    }

    fn bind(&self, name: String, v: Val) {
        self.scopes.borrow_mut().last_mut().expect("a scope is open").insert(name, v);
    }

    /// What a `let` initialiser gives its name.
    fn value_of(&self, e: &Expr, depth: u32) -> Val {
        match val_of(self.arg_value(e, depth)) {
            // `let myself = &*self.inner;`: a struct of this file, whose fields are followed.
            Val::Unknown => self.struct_of(e).map_or(Val::Unknown, Val::Typed),
            v => v,
        }
    }

    /// What calling a function of this file gives (`fn client() -> Client<OpenAIConfig>`):
    /// its body's last expression if that reaches a vendor (`Client::with_config(config)`
    /// with `config` bound in the body), else its return type. Parameters are unknown.
    fn function_result(&self, key: &str, depth: u32) -> Option<Path> {
        let (ty, block) = *self.items.returns.get(key)?;
        self.results.get_or(key.to_string(), || self.function_result_uncached(ty, block, depth))
    }

    fn function_result_uncached(&self, ty: &Type, block: &syn::Block, depth: u32) -> Option<Path> {
        let saved = std::mem::replace(&mut *self.scopes.borrow_mut(), vec![HashMap::new()]);
        let mut body = None;
        for stmt in &block.stmts {
            match stmt {
                syn::Stmt::Local(l) => {
                    if let Some(init) = &l.init {
                        let v = self.value_of(&init.expr, depth + 1);
                        self.bind_pat(&l.pat, v, depth + 1);
                    }
                }
                syn::Stmt::Expr(e, None) => body = self.resolve(e, depth + 1),
                syn::Stmt::Expr(Expr::Return(r), _) => {
                    body = r.expr.as_ref().and_then(|e| self.resolve(e, depth + 1));
                }
                _ => {}
            }
        }
        *self.scopes.borrow_mut() = saved;
        match body {
            Some(p) if matcher::is_vendor_path(self.rules, LANG, &p) => Some(p),
            _ => self.type_instance(ty, depth + 1),
        }
    }

    fn bind_pat(&self, pat: &Pat, v: Val, depth: u32) {
        match pat {
            Pat::Ident(i) => self.bind(i.ident.to_string(), v),
            Pat::Type(t) => {
                let typed = self.type_instance(&t.ty, depth).map_or(v.clone(), Val::Path);
                let v = if matches!(v, Val::Unknown) { typed } else { v };
                self.bind_pat(&t.pat, v, depth);
            }
            Pat::Reference(r) => self.bind_pat(&r.pat, v, depth),
            _ => {}
        }
    }

    /// A path as written, its first name resolved: a local, a `use`, a glob import.
    fn resolve_syn_path(&self, p: &syn::Path, depth: u32) -> Option<Path> {
        let names: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        let first = names.first()?;
        if names.len() == 1 {
            if let Some(v) = self.lookup(first) {
                return match v {
                    Val::Path(p) => Some(p.clone()),
                    _ => None,
                };
            }
            if let Some((ty, expr)) = self.items.statics.get(first.as_str()) {
                return self.statics.get_or(first.clone(), || {
                    self.type_instance(ty, depth + 1).or_else(|| self.resolve(expr, depth + 1))
                });
            }
        }
        let mut full: Vec<String> = match self.items.uses.get(first.as_str()) {
            Some(u) => u.clone(),
            None if p.leading_colon.is_none()
                && !matches!(first.as_str(), "crate" | "self" | "super" | "Self")
                && !self.items.declared.contains(first.as_str()) =>
            {
                // `use async_openai::*;` then `Client::new()`.
                let glob = self.items.globs.iter().find_map(|g| {
                    let path = Path::from_dotted(&format!("{}.{}", g.join("."), names.join(".")));
                    matcher::is_vendor_path(self.rules, LANG, &path).then_some(path)
                });
                if glob.is_some() || names.len() == 1 {
                    return glob;
                }
                vec![first.clone()]
            }
            None => vec![first.clone()],
        };
        full.extend(names[1..].iter().cloned());
        Some(Path::from_dotted(&full.join(".")))
    }

    /// The instance a type describes: `Client<OpenAIConfig>`, `&Client<C>`, `Arc<Client>`;
    /// only for vendor types.
    fn type_instance(&self, ty: &Type, depth: u32) -> Option<Path> {
        if depth > 8 || !self.budget.step(depth) {
            return None;
        }
        match ty {
            Type::Reference(r) => self.type_instance(&r.elem, depth + 1),
            Type::Paren(p) => self.type_instance(&p.elem, depth + 1),
            Type::Group(g) => self.type_instance(&g.elem, depth + 1),
            Type::Path(tp) => {
                let last = tp.path.segments.last()?;
                let generics: Vec<&Type> = match &last.arguments {
                    syn::PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .filter_map(|g| match g {
                            syn::GenericArgument::Type(t) => Some(t),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                if WRAPPERS.contains(&last.ident.to_string().as_str()) {
                    return generics.first().and_then(|t| self.type_instance(t, depth + 1));
                }
                let path = self.resolve_syn_path(&tp.path, depth + 1)?;
                if !matcher::is_vendor_path(self.rules, LANG, &path) {
                    return None;
                }
                let positional = generics
                    .iter()
                    .map(|t| match t {
                        Type::Path(p) => {
                            self.resolve_syn_path(&p.path, depth + 1).map_or(ArgValue::Dynamic, ArgValue::Path)
                        }
                        _ => ArgValue::Dynamic,
                    })
                    .collect();
                path.called(CallArgs { positional, ..CallArgs::default() })
            }
            _ => None,
        }
    }

    /// The canonical path of a value.
    fn resolve(&self, e: &Expr, depth: u32) -> Option<Path> {
        if !self.budget.step(depth) {
            return None;
        }
        match e {
            // `self` in `impl Trait for aws_sdk_bedrockruntime::Client` is that client.
            Expr::Path(p) if p.path.is_ident("self") => self.type_instance(self.self_ty?, depth + 1),
            Expr::Path(p) => self.resolve_syn_path(&p.path, depth + 1),
            Expr::Paren(p) => self.resolve(&p.expr, depth + 1),
            Expr::Group(g) => self.resolve(&g.expr, depth + 1),
            Expr::Reference(r) => self.resolve(&r.expr, depth + 1),
            Expr::Await(a) => self.resolve(&a.base, depth + 1),
            Expr::Try(t) => self.resolve(&t.expr, depth + 1),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.resolve(&u.expr, depth + 1),
            Expr::Field(f) => {
                let syn::Member::Named(name) = &f.member else { return None };
                if let (Expr::Path(b), Some(t)) = (&*f.base, &self.self_type) {
                    if b.path.is_ident("self") {
                        let key = (t.clone(), name.to_string());
                        if let Some(Some(p)) = self.field_values.borrow().get(&key) {
                            return Some(p.clone());
                        }
                        let ty = self.items.fields.get(t)?.get(&name.to_string())?;
                        return self.type_instance(ty, depth + 1);
                    }
                }
                Some(self.resolve(&f.base, depth + 1)?.member(&name.to_string()))
            }
            Expr::Call(c) => {
                if let Expr::Path(fp) = &*c.func {
                    let names: Vec<String> = fp.path.segments.iter().map(|s| s.ident.to_string()).collect();
                    let wrapper = match names.as_slice() {
                        [one] => matches!(one.as_str(), "Some" | "Ok"),
                        [.., ty, f] => WRAPPERS.contains(&ty.as_str()) && matches!(f.as_str(), "new" | "from"),
                        _ => false,
                    };
                    if wrapper {
                        return self.resolve(c.args.first()?, depth + 1);
                    }
                    // A function of this file returning a client.
                    if names.len() == 1 && self.lookup(&names[0]).is_none() {
                        if let Some(p) = self.function_result(&names[0], depth + 1) {
                            return Some(p);
                        }
                    }
                    if let [ty, f] = names.as_slice() {
                        if ty == "Self" {
                            let t = self.self_type.as_ref()?;
                            return self.function_result(&format!("{t}::{f}"), depth + 1);
                        }
                    }
                }
                self.call_path(e, depth)
            }
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                if IDENTITY.contains(&method.as_str()) {
                    return self.resolve(&m.receiver, depth + 1);
                }
                if let (Expr::Path(r), Some(t)) = (&*m.receiver, &self.self_type) {
                    // An SDK's own method wins over a trait method of the same name, as in Rust.
                    if r.path.is_ident("self")
                        && self.self_ty.and_then(|ty| self.type_instance(ty, depth + 1)).is_none()
                    {
                        return self.function_result(&format!("{t}::{method}"), depth + 1);
                    }
                }
                self.call_path(e, depth)
            }
            _ => None,
        }
    }

    /// The path of a call expression itself (no wrapper or identity shortcut at the top).
    fn call_path(&self, e: &Expr, depth: u32) -> Option<Path> {
        match e {
            Expr::Call(c) => {
                let f = self.resolve(&c.func, depth + 1)?;
                f.called(self.call_args(c.args.iter(), depth))
            }
            Expr::MethodCall(m) => {
                let r = self.resolve(&m.receiver, depth + 1)?;
                r.member(&m.method.to_string()).called(self.call_args(m.args.iter(), depth))
            }
            _ => None,
        }
    }

    /// Arguments in order; builder calls inside a path argument also count as keyword
    /// arguments (`with_api_base` of `OpenAIConfig::new().with_api_base(url)`).
    fn call_args<'e>(&self, args: impl Iterator<Item = &'e Expr>, depth: u32) -> CallArgs {
        let mut out = CallArgs::default();
        for a in args {
            let v = self.arg_value(a, depth + 1);
            if let ArgValue::Path(p) = &v {
                for seg in &p.0 {
                    if let Some(first) = seg.call.as_ref().and_then(|c| c.positional.first()) {
                        if matches!(first, ArgValue::Str(_) | ArgValue::Env(_)) {
                            out.keywords.push((seg.name.clone(), first.clone()));
                        }
                    }
                }
            }
            out.positional.push(v);
        }
        out
    }

    fn arg_value(&self, e: &Expr, depth: u32) -> ArgValue {
        if depth > 24 {
            return ArgValue::Dynamic;
        }
        if let Some(s) = self.string_value(e, depth) {
            return ArgValue::Str(s);
        }
        if let Some(name) = self.env_read(e, depth) {
            return ArgValue::Env(name);
        }
        // A field of a struct of this file (`self.api_endpoint`, `self.config.base_url`,
        // `config.url`): what its constructors, `Default` impl or serde default put there.
        if let Expr::Field(f) = e {
            if let syn::Member::Named(n) = &f.member {
                if let Some(v) = self.struct_of(&f.base).and_then(|t| self.field_text(&t, &n.to_string(), depth + 1)) {
                    return v;
                }
                if let Some(v) = self.foreign_text(&f.base, Seg { name: n.to_string(), call: None }) {
                    return v;
                }
            }
        }
        match e {
            // `api_base.trim_end_matches('/')`: the same host.
            Expr::MethodCall(m)
                if resolve::keeps_host(&m.method.to_string(), m.args.first().and_then(literal_text).as_deref()) =>
            {
                let v = self.arg_value(&m.receiver, depth + 1);
                // `base.trim_end_matches('/')` then `format!("{base}/chat")`: one slash.
                let trimmed = match m.args.first() {
                    Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Char(c), .. })) => Some(c.value().to_string()),
                    Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })) => Some(s.value()),
                    _ => None,
                };
                return match (trimmed.filter(|t| !t.is_empty() && m.method == "trim_end_matches"), v) {
                    (Some(t), ArgValue::Str(s)) => ArgValue::Str(s.trim_end_matches(t.as_str()).to_string()),
                    (Some(t), ArgValue::Pattern(s)) => ArgValue::Pattern(s.trim_end_matches(t.as_str()).to_string()),
                    (_, v) => v,
                };
            }
            Expr::Path(p) if p.path.segments.len() == 1 => match self.lookup(&p.path.segments[0].ident.to_string()) {
                Some(Val::Str(s)) => return ArgValue::Str(s),
                Some(Val::Env(s)) => return ArgValue::Env(s),
                Some(Val::Pattern(s)) => return ArgValue::Pattern(s),
                _ => {}
            },
            // `env::var("X").unwrap_or("http://...".into())`: the literal is the value
            // wherever the environment does not set it.
            Expr::MethodCall(m) if m.method.to_string().starts_with("unwrap_or") => {
                let default = m.args.first().and_then(|a| match a {
                    Expr::Closure(c) => self.string_value(&c.body, depth + 1),
                    a => self.string_value(a, depth + 1),
                });
                if let Some(s) = default {
                    return ArgValue::Str(s);
                }
                return self.arg_value(&m.receiver, depth + 1);
            }
            Expr::MethodCall(m) if IDENTITY.contains(&m.method.to_string().as_str()) => {
                return self.arg_value(&m.receiver, depth + 1);
            }
            Expr::MethodCall(m) if KEEP_TEXT.contains(&m.method.to_string().as_str()) => {
                let v = self.arg_value(&m.receiver, depth + 1);
                if v.text().is_some() {
                    return v;
                }
            }
            // `Url::join`: `base_url.join("chat/completions")` resolves like a browser would.
            Expr::MethodCall(m) if m.method == "join" && m.args.len() == 1 => {
                let base = self.arg_value(&m.receiver, depth + 1);
                if let Some(b) = base.text().filter(|b| b.contains("://")) {
                    let rel = self.arg_value(&m.args[0], depth + 1);
                    let joined = http::resolve(rel.text().unwrap_or(HOLE_STR), b);
                    return match (&base, &rel) {
                        (ArgValue::Str(_), ArgValue::Str(_)) => ArgValue::Str(joined),
                        _ => ArgValue::Pattern(joined),
                    };
                }
                // A configured base URL (`self.base_url.join("chat/completions")`): an unknown
                // host with a known path, which only what the request carries can name.
                let named = match &*m.receiver {
                    Expr::Field(f) => matches!(&f.member, syn::Member::Named(n) if base_named(&n.to_string())),
                    Expr::Path(p) => p.path.get_ident().is_some_and(|i| base_named(&i.to_string())),
                    _ => false,
                };
                if let (true, Some(rel)) = (named, self.string_value(&m.args[0], depth + 1)) {
                    return ArgValue::Pattern(http::join(HOLE_STR, &rel));
                }
            }
            // `Url::parse(base)`, `Url::from_str(base)`: the string parsed.
            Expr::Call(c) if c.args.len() == 1 && is_url_parse(&c.func) => {
                return self.arg_value(&c.args[0], depth + 1);
            }
            // A URL from a method of this file (`self.responses_url()?`, `Self::endpoint()`).
            Expr::MethodCall(m)
                if m.args.is_empty() && matches!(&*m.receiver, Expr::Path(r) if r.path.is_ident("self")) =>
            {
                if let Some(t) = &self.self_type {
                    let key = format!("{t}::{}", m.method);
                    if let Some(v) = self.function_text(&key, depth + 1) {
                        return v;
                    }
                }
            }
            // A getter of a field's type (`myself.client.base_url()`, the type in another module).
            Expr::MethodCall(m) if m.args.is_empty() => {
                let member = Seg { name: m.method.to_string(), call: Some(std::sync::Arc::new(CallArgs::default())) };
                if let Some(v) = self.foreign_text(&m.receiver, member) {
                    return v;
                }
            }
            // A field named like a base URL that nothing here sets (`self.config.base_url`,
            // typed in another file): the one base URL the file's constants and struct
            // literals give, its default (`const DEFAULT_BASE_URL: &str = "https://..."`).
            Expr::Field(f) if matches!(&f.member, syn::Member::Named(n) if base_named(&n.to_string())) => {
                if let Some(p) = self.resolve(e, depth + 1) {
                    return ArgValue::Path(p);
                }
                return self.default_base().map_or(ArgValue::Dynamic, ArgValue::Str);
            }
            // `if global { format!(A) } else { format!(B) }`, a `match` over providers: the
            // one string every branch gives, else the first where all name one vendor's API.
            Expr::If(_) | Expr::Match(_) => return self.branches_value(e, depth + 1),
            Expr::Block(b) if b.block.stmts.len() < 16 => return self.block_value(&b.block, depth + 1),
            Expr::Reference(r) => return self.arg_value(&r.expr, depth + 1),
            Expr::Try(t) => return self.arg_value(&t.expr, depth + 1),
            Expr::Paren(p) => return self.arg_value(&p.expr, depth + 1),
            // `base.to_string() + "/messages"`, `format!("{API_BASE}/messages")`: a string with holes.
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
                return ArgValue::concat([self.arg_value(&b.left, depth + 1), self.arg_value(&b.right, depth + 1)]);
            }
            Expr::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == "format") => {
                return self.format_value(&m.mac, depth + 1);
            }
            _ => {}
        }
        self.resolve(e, depth + 1).map_or(ArgValue::Dynamic, ArgValue::Path)
    }

    /// The string a function of this file returns (its body's last expression), if it is
    /// one or a pattern; parameters are unknown.
    fn function_text(&self, key: &str, depth: u32) -> Option<ArgValue> {
        let (_, block) = *self.items.returns.get(key)?;
        let reads = self.choice_reads.get();
        let v = self.texts.get_or(key.to_string(), || {
            let saved = std::mem::replace(&mut *self.scopes.borrow_mut(), vec![HashMap::new()]);
            let mut body = None;
            for stmt in &block.stmts {
                match stmt {
                    syn::Stmt::Local(l) => {
                        if let Some(init) = &l.init {
                            let v = self.value_of(&init.expr, depth + 1);
                            self.bind_pat(&l.pat, v, depth + 1);
                        }
                    }
                    syn::Stmt::Expr(e, None) => body = Some(self.arg_value(e, depth + 1)),
                    _ => {}
                }
            }
            *self.scopes.borrow_mut() = saved;
            body.filter(|v| v.text().is_some())
        });
        if self.choice_reads.get() != reads {
            self.texts.remove(&key.to_string());
        }
        v
    }

    /// The base URL every base-URL-named `const` and struct field of the file agrees on.
    fn default_base(&self) -> Option<String> {
        // Once set, the flag stays: later calls read the cell.
        if self.default_base_busy.replace(true) {
            return self.default_base.get().cloned().flatten();
        }
        let v = self
            .default_base
            .get_or_init(|| {
                let saved = std::mem::replace(&mut *self.scopes.borrow_mut(), vec![HashMap::new()]);
                // The file's default holds whichever alternative runs.
                let choosing = self.no_choice.replace(true);
                let mut values: Vec<String> = self
                    .items
                    .bases
                    .iter()
                    .filter_map(|e| match self.arg_value(e, 1) {
                        ArgValue::Str(s) if s.contains("://") => Some(s),
                        _ => None,
                    })
                    .collect();
                self.no_choice.set(choosing);
                *self.scopes.borrow_mut() = saved;
                // `https://api.x.com/v1` and `https://api.x.com/v1/` are one base.
                values.sort_by(|a, b| a.trim_end_matches('/').cmp(b.trim_end_matches('/')));
                values.dedup_by(|a, b| a.trim_end_matches('/') == b.trim_end_matches('/'));
                (values.len() == 1).then(|| values.remove(0))
            })
            .clone();
        v
    }

    /// Binds the `let`s at the top of a function body in the current scope, in order
    /// (parameters stay unknown).
    fn replay_lets(&self, block: &syn::Block, depth: u32) {
        for stmt in &block.stmts {
            if let syn::Stmt::Local(l) = stmt {
                if let Some(init) = &l.init {
                    let v = self.value_of(&init.expr, depth + 1);
                    self.bind_pat(&l.pat, v, depth + 1);
                }
            }
        }
    }

    /// The value of a block: its `let`s bound in a scope of its own, then its last expression.
    fn block_value(&self, b: &syn::Block, depth: u32) -> ArgValue {
        let Some(syn::Stmt::Expr(tail, None)) = b.stmts.last() else { return ArgValue::Dynamic };
        self.scopes.borrow_mut().push(HashMap::new());
        for stmt in &b.stmts {
            if let syn::Stmt::Local(l) = stmt {
                if let Some(init) = &l.init {
                    let v = self.value_of(&init.expr, depth + 1);
                    self.bind_pat(&l.pat, v, depth + 1);
                }
            }
        }
        let v = self.arg_value(tail, depth + 1);
        self.scopes.borrow_mut().pop();
        v
    }

    /// The value of an `if` chain or a `match`: the one string its branches agree on, else
    /// the first branch's when every branch is a URL naming one vendor's API (the
    /// vendor is the same whichever runs), else unknown.
    fn branches_value(&self, e: &Expr, depth: u32) -> ArgValue {
        let mut values: Vec<ArgValue> = Vec::new();
        let mut cur = e;
        // An `else if` chain is walked, not recursed into.
        loop {
            if values.len() > 32 {
                return ArgValue::Dynamic;
            }
            match cur {
                Expr::If(i) => {
                    values.push(self.block_value(&i.then_branch, depth + 1));
                    match &i.else_branch {
                        Some((_, next)) => cur = next,
                        None => return ArgValue::Dynamic,
                    }
                }
                Expr::Match(m) => {
                    values.extend(m.arms.iter().take(32).map(|a| self.arg_value(&a.body, depth + 1)));
                    break;
                }
                other => {
                    values.push(self.arg_value(other, depth + 1));
                    break;
                }
            }
        }
        if values.iter().all(|v| v.text().is_some()) {
            if let Some(v) = one_text(values.clone()) {
                return v;
            }
        }
        let vendors: Vec<Option<String>> =
            values.iter().map(|v| http::classify(self.rules, v.text()?).map(|c| c.served.vendor)).collect();
        match vendors.first() {
            Some(Some(first)) if vendors.iter().all(|v| v.as_ref() == Some(first)) => values[0].clone(),
            _ => ArgValue::Dynamic,
        }
    }

    /// The struct of this file a receiver is (`self`, `self.config`, a parameter `config:
    /// &Config`), followed through field types; its name.
    fn struct_of(&self, e: &Expr) -> Option<String> {
        self.type_of(e).filter(|ty| self.items.fields.contains_key(ty))
    }

    /// The type name a receiver holds, followed from `self` or a local of a struct of this
    /// file through field types (`&*self.inner`, `myself.client`): a struct of this file, or
    /// the last field's type as written (`OpenAICompatibleClient`, declared in another module).
    fn type_of(&self, e: &Expr) -> Option<String> {
        let mut names = Vec::new();
        let mut cur = e;
        loop {
            match cur {
                Expr::Field(f) => {
                    let syn::Member::Named(n) = &f.member else { return None };
                    names.push(n.to_string());
                    cur = &f.base;
                }
                Expr::Reference(r) => cur = &r.expr,
                Expr::Paren(p) => cur = &p.expr,
                Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => cur = &u.expr,
                Expr::MethodCall(m) if m.args.is_empty() && IDENTITY.contains(&m.method.to_string().as_str()) => {
                    cur = &m.receiver;
                }
                _ => break,
            }
            if names.len() > 8 {
                return None;
            }
        }
        let Expr::Path(p) = cur else { return None };
        let mut ty = if p.path.is_ident("self") {
            self.self_type.clone()?
        } else {
            match self.lookup(&p.path.get_ident()?.to_string())? {
                Val::Typed(t) => t,
                _ => return None,
            }
        };
        for name in names.iter().rev() {
            let field = self.items.fields.get(&ty)?.get(name)?;
            ty = held_type(field)?.ident.to_string();
        }
        Some(ty)
    }

    /// A string a getter of a receiver's type gives (`myself.client.base_url()`,
    /// `self.config.endpoint()`), or a field its `Default`/constructors agree on, where the
    /// type is declared in another module of the crate and brought in by `use`: what that
    /// module binds as `Type.method()` / `Type.default().field` ([`module_strings`]).
    fn foreign_text(&self, receiver: &Expr, member: Seg) -> Option<ArgValue> {
        let ty = self.type_of(receiver)?;
        if self.items.fields.contains_key(&ty) || !self.items.uses.contains_key(&ty) {
            return None;
        }
        let mut segs = vec![Seg { name: ty, call: None }];
        if member.call.is_none() {
            segs.push(Seg { name: "default".into(), call: Some(std::sync::Arc::new(CallArgs::default())) });
        }
        segs.push(member);
        self.module_text(&segs).map(ArgValue::Str)
    }

    /// The string a field of a struct of this file holds: the value every struct literal
    /// that sets it (with the `let`s of its function) and its serde default agree on, where
    /// they are strings (a parameter passed through is unknown and left out).
    fn field_text(&self, ty: &str, field: &str, depth: u32) -> Option<ArgValue> {
        if depth > 16 {
            return None;
        }
        let key = (ty.to_string(), field.to_string());
        let reads = self.choice_reads.get();
        let v = self.field_texts.get_or(key.clone(), || {
            let saved = std::mem::replace(&mut *self.scopes.borrow_mut(), vec![HashMap::new()]);
            let mut values = Vec::new();
            for (e, body) in self.items.field_inits.get(&key).into_iter().flatten() {
                *self.scopes.borrow_mut() = vec![HashMap::new()];
                if let Some(b) = body {
                    self.replay_lets(b, depth + 1);
                }
                values.push(self.arg_value(e, depth + 1));
            }
            *self.scopes.borrow_mut() = saved;
            if let Some(f) = self.items.serde_defaults.get(&key) {
                let f = f.strip_prefix("Self::").map_or(f.clone(), |m| format!("{ty}::{m}"));
                values.extend(self.function_text(&f, depth + 1));
            }
            one_text(values)
        });
        // A value read from a run-time choice holds for one alternative: not kept.
        if self.choice_reads.get() != reads {
            self.field_texts.remove(&key);
        }
        v
    }

    /// The request URLs this file's functions build (the values of `let`s named like a
    /// URL at the top of each body) that name a vendor's API.
    fn built_urls(&self) -> &[String] {
        self.built_urls.get_or_init(|| {
            let saved = std::mem::replace(&mut *self.scopes.borrow_mut(), vec![HashMap::new()]);
            let choosing = self.no_choice.replace(true);
            let mut urls = Vec::new();
            for body in &self.items.bodies {
                *self.scopes.borrow_mut() = vec![HashMap::new()];
                for stmt in &body.stmts {
                    let syn::Stmt::Local(l) = stmt else { continue };
                    let Some(init) = &l.init else { continue };
                    let v = self.value_of(&init.expr, 1);
                    let named = match &l.pat {
                        Pat::Ident(i) => url_named(&i.ident.to_string()),
                        _ => false,
                    };
                    match &v {
                        Val::Str(s) | Val::Pattern(s) if named && s.contains("://") => urls.push(s.clone()),
                        _ => {}
                    }
                    self.bind_pat(&l.pat, v, 1);
                }
            }
            self.no_choice.set(choosing);
            *self.scopes.borrow_mut() = saved;
            urls
        })
    }

    /// A request builder made elsewhere and sent here: `builder.send()` or
    /// `sse_stream(builder, ..)` on a parameter typed `reqwest::RequestBuilder`. Its URL
    /// is out of sight; the URLs this file builds decide ([`http::sent_elsewhere`]).
    fn sent_builder(&self, e: &Expr) -> Option<Emit> {
        let is_builder = |a: &Expr| {
            let Expr::Path(p) = a else { return false };
            let Some(id) = p.path.get_ident() else { return false };
            matches!(self.lookup(&id.to_string()), Some(Val::Typed(t)) if BUILDERS.contains(&t.as_str()))
        };
        let sent = match e {
            Expr::MethodCall(m) => m.method == "send" && is_builder(&m.receiver),
            Expr::Call(c) => {
                let Expr::Path(f) = &*c.func else { return None };
                let name = f.path.segments.last()?.ident.to_string();
                http::request_like(&name) && c.args.iter().any(is_builder)
            }
            _ => false,
        };
        if !sent {
            return None;
        }
        http::sent_elsewhere(self.rules, self.built_urls())
    }

    /// The string a `format!` builds: its literal text, and each argument's value where known.
    fn format_value(&self, mac: &syn::Macro, depth: u32) -> ArgValue {
        let Ok(args) = mac.parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated) else {
            return ArgValue::Dynamic;
        };
        let mut args = args.into_iter();
        let Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(f), .. })) = args.next() else {
            return ArgValue::Dynamic;
        };
        let (mut positional, mut named) = (Vec::new(), HashMap::new());
        for a in args {
            match a {
                Expr::Assign(x) => {
                    if let Expr::Path(p) = &*x.left {
                        if let Some(id) = p.path.get_ident() {
                            named.insert(id.to_string(), *x.right);
                        }
                    }
                }
                a => positional.push(a),
            }
        }
        let parts = format_pieces(&f.value()).into_iter().map(|piece| match piece {
            Ok(text) => ArgValue::Str(text),
            Err(Ok(i)) => positional.get(i).map_or(ArgValue::Dynamic, |e| self.arg_value(e, depth + 1)),
            Err(Err(name)) => match named.get(&name) {
                Some(e) => self.arg_value(e, depth + 1),
                // A captured variable (`{API_BASE}`).
                None => syn::parse_str::<Expr>(&name).map_or(ArgValue::Dynamic, |e| self.arg_value(&e, depth + 1)),
            },
        });
        ArgValue::concat(parts.collect::<Vec<_>>())
    }

    /// A string literal (also through `.to_string()`, `.into()`, `String::from`, a
    /// `const`) and its value.
    fn string_value(&self, e: &Expr, depth: u32) -> Option<String> {
        if depth > 24 {
            return None;
        }
        match e {
            Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
            Expr::Paren(p) => self.string_value(&p.expr, depth + 1),
            Expr::Group(g) => self.string_value(&g.expr, depth + 1),
            Expr::Reference(r) => self.string_value(&r.expr, depth + 1),
            Expr::MethodCall(m)
                if m.args.is_empty()
                    && matches!(m.method.to_string().as_str(), "to_string" | "into" | "to_owned" | "as_str") =>
            {
                self.string_value(&m.receiver, depth + 1)
            }
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let name = p.path.segments[0].ident.to_string();
                match self.lookup(&name) {
                    Some(Val::Str(s)) => Some(s),
                    Some(_) => None,
                    None => match self.items.statics.get(&name) {
                        Some((_, e)) => self.string_value(e, depth + 1),
                        None => self.module_text(&plain_segs(&p.path)),
                    },
                }
            }
            // An associated const: `GroqConfig::DEFAULT_BASE_URL`, `Self::API_BASE`.
            Expr::Path(p) if p.path.segments.len() == 2 && p.qself.is_none() => {
                let (ty, name) = (p.path.segments[0].ident.to_string(), &p.path.segments[1].ident);
                let ty = if ty == "Self" { self.self_type.clone()? } else { ty };
                match self.items.assoc.get(&format!("{ty}::{name}")) {
                    Some(e) => self.string_value(e, depth + 1),
                    None => {
                        self.implementor_text(&ty, &name.to_string()).or_else(|| self.module_text(&plain_segs(&p.path)))
                    }
                }
            }
            // Another module's: `crate::config::DEFAULT_URL`, `super::consts::API_BASE`.
            Expr::Path(p) if p.qself.is_none() => self.module_text(&plain_segs(&p.path)),
            // What another module's function returns (`config::default_base_url()`), a
            // field its `Default` gives (`Config::default().base_url`), or the string its
            // `match` maps an enum variant to, for a getter keyed by it
            // (`Config::get(ConfigKey::OpenAiURL)`).
            Expr::Call(c) if c.args.is_empty() => {
                let Expr::Path(f) = &*c.func else { return None };
                let mut segs = plain_segs(&f.path);
                segs.last_mut()?.call = Some(std::sync::Arc::new(CallArgs::default()));
                self.module_text(&segs)
            }
            Expr::Field(f) => {
                let (Expr::Call(c), syn::Member::Named(field)) = (&*f.base, &f.member) else { return None };
                let Expr::Path(func) = &*c.func else { return None };
                if !c.args.is_empty() {
                    return None;
                }
                let mut segs = plain_segs(&func.path);
                segs.last_mut()?.call = Some(std::sync::Arc::new(CallArgs::default()));
                segs.push(Seg { name: field.to_string(), call: None });
                self.module_text(&segs)
            }
            Expr::Call(c) if c.args.len() == 1 => {
                let Expr::Path(f) = &*c.func else { return None };
                let names: Vec<String> = f.path.segments.iter().map(|s| s.ident.to_string()).collect();
                if matches!(names.as_slice(), [.., t, f] if t == "String" && f == "from") {
                    return self.string_value(&c.args[0], depth + 1);
                }
                // The getter's type or module (`Config` of `Config::get`, `settings` of
                // `settings::url`, the module a `use`d function comes from) maps the variant.
                let Expr::Path(key) = &c.args[0] else { return None };
                let arm = arm_key(&key.path)?;
                if let Some(s) = self.arm_text(&names, &arm, depth + 1) {
                    return Some(s);
                }
                let mut segs = plain_segs(&f.path);
                if segs.len() == 1 {
                    let u = self.items.uses.get(&segs[0].name)?;
                    segs = u.iter().map(|n| Seg { name: n.clone(), call: None }).collect();
                }
                segs.pop();
                segs.push(Seg { name: arm, call: None });
                self.module_text(&segs).filter(|s| s.contains("://"))
            }
            _ => None,
        }
    }

    /// The URL a getter of this file maps an enum variant to (`Config::get(ConfigKey::OpenAiURL)`
    /// with `match key { ConfigKey::OpenAiURL => "https://..", .. }` in `impl Config`, or in a
    /// free function): the one its arms for that variant agree on.
    fn arm_text(&self, getter: &[String], arm: &str, depth: u32) -> Option<String> {
        let owner = match getter {
            [_] => None,
            [.., ty, _] if ty == "Self" => Some(self.self_type.clone()?),
            [.., ty, _] => Some(ty.clone()),
            [] => return None,
        };
        let values: Vec<ArgValue> = self
            .items
            .arms
            .iter()
            .filter(|(ty, p, _)| *ty == owner && arm_key(p).as_deref() == Some(arm))
            .map(|(_, _, e)| self.string_value(e, depth + 1).map_or(ArgValue::Dynamic, ArgValue::Str))
            .collect();
        if values.iter().any(|v| v.text().is_none()) {
            return None;
        }
        one_text(values).and_then(|v| v.text().map(str::to_string)).filter(|s| s.contains("://"))
    }

    /// `std::env::var("X")`, `env::var_os("X")`, `dotenvy::var("X")`, `env!("X")`,
    /// `option_env!("X")`: the variable's name.
    fn env_read(&self, e: &Expr, depth: u32) -> Option<String> {
        match e {
            Expr::Call(c) => {
                let Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })) = c.args.first() else {
                    return None;
                };
                let Expr::Path(fp) = &*c.func else { return None };
                let f = self.resolve_syn_path(&fp.path, depth + 1)?;
                let d = f.dotted(f.0.len());
                let ok = matches!(
                    d.as_str(),
                    "std.env.var" | "std.env.var_os" | "env.var" | "env.var_os" | "dotenvy.var" | "dotenv.var"
                );
                ok.then(|| s.value())
            }
            Expr::Macro(m) => env_macro(&m.mac),
            _ => None,
        }
    }

    fn span(&self, s: proc_macro2::Span) -> Span {
        span_of(s)
    }

    fn emit(&mut self, span: Span, e: Emit) {
        match &mut self.held {
            Some(held) => held.push((span, e)),
            None => self.out.emit(self.rules, self.lines.line_text(self.src, span.line), span, e),
        }
    }

    /// Client and call findings of a call expression; returns who serves it. A call given a
    /// name a `for` loop binds to each string of a list is resolved once per string and
    /// reported once per different finding, its message saying the value is chosen at run
    /// time (`for model in MODELS { client.exec_chat(model, ..) }`).
    fn call_findings(&mut self, e: &Expr) -> Option<String> {
        let args = match e {
            // `create(req).await.map_err(..)`: the call inside is reported, once.
            Expr::MethodCall(m) if IDENTITY.contains(&m.method.to_string().as_str()) => return None,
            Expr::MethodCall(m) => &m.args,
            Expr::Call(c) => &c.args,
            _ => return self.call_findings_once(e),
        };
        let chosen = args.iter().find_map(|a| {
            let Expr::Path(p) = strip_ref(a) else { return None };
            let name = p.path.get_ident()?.to_string();
            self.choices.iter().rev().find(|(n, _)| *n == name).cloned()
        });
        let Some((name, values)) = chosen else { return self.call_findings_once(e) };
        let outer = self.held.replace(Vec::new());
        for value in &values {
            self.scopes.borrow_mut().push(HashMap::from([(name.clone(), Val::Str(value.clone()))]));
            self.call_findings_once(e);
            self.scopes.borrow_mut().pop();
        }
        let found = std::mem::replace(&mut self.held, outer).unwrap_or_default();
        // One finding per vendor, worded and ordered as every language's run-time choices
        // are (tables.rs); a list whose strings reach one vendor is no choice of provider.
        let mut vendors: Vec<&str> = Vec::new();
        for (_, f) in &found {
            if !vendors.contains(&f.vendor.as_str()) {
                vendors.push(&f.vendor);
            }
        }
        let of = if vendors.len() > 1 { tables::Choice::Table(values.len()) } else { tables::Choice::Written };
        // Every value reports the same expression, at one span.
        let span = found.first()?.0;
        let matched = found.into_iter().map(|(_, f)| tables::Matched::Request(f)).collect();
        for f in tables::per_vendor(self.rules, matched, of).0 {
            self.emit(span, f);
        }
        None
    }

    fn call_findings_once(&mut self, e: &Expr) -> Option<String> {
        let span = self.span(e.span());
        // An HTTP request is reported where its method is named (`.post(url)`, `.send()`): a
        // chain that starts lines above (`let req = self` / `.client`) is one shared client.
        // An SDK call keeps the chain's first line (`let r = self.client.chat().create(..)`).
        let request_span = match e {
            Expr::MethodCall(m) => {
                Span { end_line: span.end_line, end_column: span.end_column, ..self.span(m.method.span()) }
            }
            _ => span,
        };
        // Resolved as written, and once per alternative of a value chosen at run time among
        // a trait's implementors: reported once per vendor reached (tables.rs).
        let at = std::cell::Cell::new(span);
        let resolved = {
            let this = &*self;
            tables::resolve_call(
                &this.tables,
                || this.forget(),
                || {
                    let (s, m) = this.call_match(e, span, request_span)?;
                    at.set(s);
                    Some(m)
                },
            )
        };
        match resolved {
            tables::Resolved::Report(found, of) => {
                let (emits, matched) = tables::per_vendor(self.rules, found, of);
                for (def_vendor, served) in &matched {
                    common::note_client(&mut self.clients, def_vendor, served);
                }
                for f in emits {
                    self.emit(at.get(), f);
                }
                // Who serves a client or SDK call reaches its arguments' model names.
                matched.into_iter().next().map(|(_, served)| served.vendor)
            }
            tables::Resolved::Unresolved => self.inferred_call(e, span),
            tables::Resolved::Pending(_) | tables::Resolved::Nothing => None,
        }
    }

    /// What one call expression matches under the alternatives in force, with the span to
    /// report it at; `None` when its callee does not resolve.
    fn call_match(&self, e: &Expr, span: Span, request_span: Span) -> Option<(Span, tables::Matched)> {
        if let Some(found) = self.sent_builder(e) {
            return Some((request_span, tables::Matched::Request(found)));
        }
        let Some(path) = self.call_path(e, 0) else {
            return self.untyped_request(e).map(|f| (request_span, tables::Matched::Request(f)));
        };
        if let Some(m) = matcher::construction(self.rules, LANG, &path) {
            // A framework's client (`AgentBuilder::new(model)`) is the client of the vendor it names.
            let found = emit::client(self.rules, &m, &path);
            return Some((span, tables::Matched::Found(found, m.def.vendor.clone(), m.served)));
        }
        let attrs = matcher::ModuleAttrs::new();
        if let Some(m) = matcher::operation_call(self.rules, LANG, &path, &attrs) {
            let found = emit::call(self.rules, &m);
            return Some((span, tables::Matched::Found(found, m.def.vendor.clone(), m.served)));
        }
        let found = http::request(self.rules, LANG, &path)
            .or_else(|| http::marked(self.rules, LANG, &path, &self.chain_headers));
        Some((request_span, found.map_or(tables::Matched::Nothing, tables::Matched::Request)))
    }

    /// The header names a method chain sets (`.header("x-api-key", k)`), lower case.
    fn headers_of(&self, e: &Expr) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = e;
        // A chain is walked, not recursed into; a long one is cut.
        for _ in 0..64 {
            match cur {
                Expr::MethodCall(m) => {
                    if m.method == "header" {
                        if let Some(name) = m.args.first().and_then(|a| self.string_value(a, 1)) {
                            out.push(name.to_ascii_lowercase());
                        }
                    }
                    cur = &m.receiver;
                }
                Expr::Await(a) => cur = &a.base,
                Expr::Try(t) => cur = &t.expr,
                Expr::Paren(p) => cur = &p.expr,
                _ => break,
            }
        }
        out
    }

    /// A request method (`post`, `get`) of an HTTP library, called on a receiver named like
    /// an HTTP client that this file cannot type (`self.provider.client`, a field of a
    /// struct declared in another file), with a URL that names a vendor's API: the same
    /// call as on a typed client. The URL decides; an unknown host is no call.
    fn untyped_request(&self, e: &Expr) -> Option<Emit> {
        let Expr::MethodCall(m) = e else { return None };
        let name = match &*m.receiver {
            Expr::Field(f) => match &f.member {
                syn::Member::Named(n) => n.to_string(),
                syn::Member::Unnamed(_) => return None,
            },
            Expr::Path(p) => p.path.get_ident()?.to_string(),
            _ => return None,
        };
        let lower = name.to_ascii_lowercase();
        if !(lower.contains("client") || lower.contains("http")) {
            return None;
        }
        let method = m.method.to_string();
        let def = self
            .rules
            .http_clients
            .iter()
            .find(|d| d.ecosystem == LANG && !d.modules.is_empty() && d.requests.contains(&method))?;
        // As if called on the library's module (`reqwest::get(url)`): http.rs reads the URL.
        let path = Path::from_dotted(&def.modules[0]).member(&method).called(self.call_args(m.args.iter(), 0))?;
        http::request(self.rules, LANG, &path).or_else(|| http::marked(self.rules, LANG, &path, &self.chain_headers))
    }

    /// A method chain on a receiver nothing in the file resolves (`state.client`, a
    /// closure parameter): see `common::infer_operation`.
    fn inferred_call(&mut self, e: &Expr, span: Span) -> Option<String> {
        let Expr::MethodCall(outer) = e else { return None };
        let mut names: Vec<String> = Vec::new();
        let mut cur = e;
        loop {
            // Operation paths are short; a long chain is not walked again at every call.
            if names.len() > 8 {
                return None;
            }
            match cur {
                Expr::MethodCall(m) => {
                    let name = m.method.to_string();
                    if !IDENTITY.contains(&name.as_str()) {
                        names.push(name);
                    }
                    cur = &m.receiver;
                }
                Expr::Await(a) => cur = &a.base,
                Expr::Try(t) => cur = &t.expr,
                Expr::Paren(p) => cur = &p.expr,
                Expr::Reference(r) => cur = &r.expr,
                _ => break,
            }
        }
        let base = match cur {
            Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
            Expr::Field(f) => match &f.member {
                syn::Member::Named(n) => n.to_string(),
                syn::Member::Unnamed(_) => String::new(),
            },
            _ => return None,
        };
        names.reverse();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        // A request is passed to the operation (`create(request)`).
        let llm_shaped = !outer.args.is_empty();
        let built: Vec<String> = self.clients.iter().map(|(d, _)| d.clone()).collect();
        let mut found = common::infer_operation(self.rules, LANG, &names, &base, self.out, &built, llm_shaped);
        if found.is_none() {
            // A variant method (`create_byot`, `create_stream_byot`: a client's `suffixes`).
            let last = *names.last()?;
            let stem = self
                .rules
                .clients
                .iter()
                .filter(|d| d.ecosystem == LANG)
                .flat_map(|d| &d.suffixes)
                .find_map(|suffix| last.strip_suffix(suffix.as_str()).filter(|s| !s.is_empty()));
            if let Some(stem) = stem {
                let mut names = names.clone();
                *names.last_mut()? = stem;
                found = common::infer_operation(self.rules, LANG, &names, &base, self.out, &built, llm_shaped);
            }
        }
        let (def, op) = found?;
        self.emit(span, emit::inferred_call(self.rules, def, op));
        Some(def.vendor.clone())
    }

    fn literal(&mut self, s: &syn::LitStr) {
        let value = s.value();
        let served = self.served.clone();
        let found = emit::literal(self.rules, &value, Some(&value), self.model_ctx, served.as_deref());
        let span = self.span(s.span());
        for e in found {
            self.emit(span, e);
        }
    }

    fn env_finding(&mut self, name: &str, span: proc_macro2::Span) {
        if let Some(e) = emit::env(self.rules, name) {
            let span = self.span(span);
            self.emit(span, e);
        }
    }

    /// The strings a `for` pattern's names take over a list (an array, `vec![..]`, or a
    /// `const`/`static` of the file holding one; `.iter()` and `&` are seen through): for each
    /// name (a single name, or one position of a tuple pattern) every element gives a string.
    /// At most [`LOOP_CHOICES`] elements; distinct strings in list order.
    fn loop_choices(&self, pat: &Pat, iter: &Expr) -> Vec<(String, Vec<String>)> {
        let mut e = strip_ref(iter);
        for _ in 0..4 {
            match e {
                Expr::MethodCall(m)
                    if m.args.is_empty()
                        && matches!(m.method.to_string().as_str(), "iter" | "into_iter" | "copied" | "cloned") =>
                {
                    e = strip_ref(&m.receiver);
                }
                Expr::Path(p) => match p.path.get_ident().and_then(|i| self.items.statics.get(&i.to_string())) {
                    Some((_, v)) => e = strip_ref(v),
                    None => return Vec::new(),
                },
                _ => break,
            }
        }
        let parsed;
        let elems: Vec<&Expr> = match e {
            Expr::Array(a) => a.elems.iter().collect(),
            Expr::Macro(m) if m.mac.path.is_ident("vec") => {
                let group = proc_macro2::Group::new(proc_macro2::Delimiter::Bracket, m.mac.tokens.clone());
                parsed = syn::parse2::<syn::ExprArray>(proc_macro2::TokenTree::Group(group).into());
                match &parsed {
                    Ok(a) => a.elems.iter().collect(),
                    Err(_) => return Vec::new(),
                }
            }
            _ => return Vec::new(),
        };
        if elems.is_empty() || elems.len() > LOOP_CHOICES {
            return Vec::new();
        }
        let names: Vec<(Option<usize>, String)> = match pat {
            Pat::Ident(i) => vec![(None, i.ident.to_string())],
            Pat::Tuple(t) => t
                .elems
                .iter()
                .enumerate()
                .filter_map(|(n, p)| match p {
                    Pat::Ident(i) => Some((Some(n), i.ident.to_string())),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        for (pos, name) in names {
            let mut values: Vec<String> = Vec::new();
            // Every element must give its string: one unknown makes the name unknown.
            let complete = elems.iter().all(|el| {
                let el = match (pos, strip_ref(el)) {
                    (None, el) => Some(el),
                    (Some(n), Expr::Tuple(t)) => t.elems.iter().nth(n),
                    _ => None,
                };
                let Some(v) = el.and_then(|el| self.string_value(el, 1)) else { return false };
                if !values.contains(&v) {
                    values.push(v);
                }
                true
            });
            if complete {
                out.push((name, values));
            }
        }
        out
    }

    fn with_scope(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.borrow_mut().push(HashMap::new());
        f(self);
        self.scopes.borrow_mut().pop();
    }

    fn bind_params<'p>(&mut self, inputs: impl Iterator<Item = &'p FnArg>) {
        for input in inputs {
            if let FnArg::Typed(t) = input {
                let v = match self.type_instance(&t.ty, 0) {
                    Some(p) => Val::Path(p),
                    None => self.typed(&t.ty).map_or(Val::Unknown, Val::Typed),
                };
                self.bind_pat(&t.pat, v, 0);
            }
        }
    }

    /// A parameter's type when it is a struct of this file or a request builder
    /// ([`BUILDERS`]): its name, or its dotted path.
    fn typed(&self, ty: &Type) -> Option<String> {
        let seg = held_type(ty)?;
        let name = seg.ident.to_string();
        if self.items.fields.contains_key(&name) {
            return Some(name);
        }
        let full = self.items.uses.get(&name)?.join(".");
        BUILDERS.contains(&full.as_str()).then_some(full)
    }

    /// Visits `e` with the model context and served vendor given.
    fn visit_in(&mut self, e: &'ast Expr, model: bool, served: Option<String>) {
        let saved = (self.model_ctx, self.served.clone());
        self.model_ctx = model;
        self.served = served;
        self.visit_expr(e);
        (self.model_ctx, self.served) = saved;
    }
}

// ------------------------------------------------------------- strings across modules

/// The key suffix of a `match` arm's value in [`ModuleStrings`] (`ConfigKey.OpenAiURL=>`).
const ARM: &str = "=>";
/// Glob re-exports (`pub use config::*;`) a module is followed through, bound as `*0`, `*1`, ...
pub(super) const GLOBS: usize = 4;
/// The key prefix of an implementor's associated const in [`ModuleStrings`]
/// (`impl:ProviderConfig:GroqConfig.DEFAULT_BASE_URL`).
pub(super) const IMPL: &str = "impl:";
/// Implementors of one trait a generic parameter's consts are read from.
pub(super) const IMPLEMENTORS: usize = 16;

/// The key of an enum variant in a `match` arm or an argument (`ConfigKey::OpenAiURL` →
/// `ConfigKey.OpenAiURL=>`): its last two names, the variant capitalised.
fn arm_key(p: &syn::Path) -> Option<String> {
    let n = p.segments.len();
    let (ty, variant) = (&p.segments.get(n.checked_sub(2)?)?.ident, &p.segments[n - 1].ident);
    variant.to_string().starts_with(|c: char| c.is_ascii_uppercase()).then(|| format!("{ty}.{variant}{ARM}"))
}

/// A path's names as uncalled segments.
fn plain_segs(p: &syn::Path) -> Vec<Seg> {
    p.segments.iter().map(|s| Seg { name: s.ident.to_string(), call: None }).collect()
}

impl Analyzer<'_, '_> {
    /// The string another module of the crate binds where `segs` (a path as written in this
    /// file) points: `crate::config::DEFAULT_URL`, `super::consts::API_BASE`, a name brought
    /// in by `use`, `config::Config::default().base_url`. Read through
    /// [`LocalModules::module_string`] (each module once, on demand).
    fn module_text(&self, segs: &[Seg]) -> Option<String> {
        let (rel, locals) = self.module?;
        let first = segs.first()?;
        if self.lookup(&first.name).is_some() {
            return None;
        }
        let mut full: Vec<Seg> = match self.items.uses.get(&first.name) {
            Some(u) => {
                let mut full: Vec<Seg> = u.iter().map(|n| Seg { name: n.clone(), call: None }).collect();
                full.last_mut()?.call = first.call.clone();
                full.extend(segs[1..].iter().cloned());
                full
            }
            None => segs.to_vec(),
        };
        let names: Vec<String> = full.iter().map(|s| s.name.clone()).collect();
        let (file, i) = rust_module(locals, rel, &names)?;
        if file == rel || i >= full.len() || full[..i].iter().any(|s| s.call.is_some()) {
            return None;
        }
        let rest = full.split_off(i);
        let module = Seg { name: format!("{RS_MODULE}{file}"), call: None };
        let glob = |g: usize| Seg { name: format!("*{g}"), call: None };
        std::iter::once(None).chain((0..GLOBS).map(Some)).find_map(|g| {
            let path = Path(std::iter::once(module.clone()).chain(g.map(glob)).chain(rest.iter().cloned()).collect());
            locals.module_string(&path, self.rules, 4)
        })
    }
}

/// The folder of the crate file `rel` belongs to: the nearest folder above it with a
/// `lib.rs` or `main.rs`, or named `src`; the whole tree when none is.
pub(super) fn crate_dir(locals: &LocalModules, rel: &str) -> String {
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
pub(super) fn rust_module(locals: &LocalModules, rel: &str, names: &[String]) -> Option<(String, usize)> {
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

/// The strings a Rust module binds, for its crate's other modules
/// ([`LocalModules::module_string`]): its `const`s and `static`s (`DEFAULT_URL`), associated
/// consts (`Config.DEFAULT_BASE_URL`), what its functions and methods return
/// (`default_base_url()`, `Config.endpoint()`), what its struct literals agree a field holds
/// (`Config.default().base_url`), the URL its `match` arms map an enum variant to
/// (`ConfigKey.OpenAiURL=>`), and its `pub use` re-exports (globs as `*0`, `*1`, ...).
/// Other modules are not read from here.
pub fn module_strings(src: &str, rules: &RuleSet, rel: &str, locals: &LocalModules) -> Option<ModuleStrings> {
    // Paths (`CHAT_PATH = "/chat/completions"`) count as well as URLs: any string, or a re-export.
    if !src.contains('"') && !src.contains("pub use") {
        return None;
    }
    if super::budget::too_large(src).is_some() || too_deep(src).is_some() {
        return None;
    }
    // (No span invalidation here: the reading file's tree, on this thread, is still in use.)
    let file = syn::parse_file(src).ok()?;
    let mut items = Items::default();
    items.visit_file(&file);
    let lines = LineIndex::new(src);
    let budget = Budget::default();
    let mut out = FileOutput::new(rel, crate::lang::FileKind::Rust);
    let mut a = Analyzer::new(src, rules, &lines, None, items, &budget, &mut out);
    let mut strings = ModuleStrings::new();
    let mut put = |key: String, v: Option<ArgValue>| {
        if let Some(ArgValue::Str(s)) = v {
            strings.insert(key, ModuleValue::Str(s));
        }
    };
    for (name, (_, e)) in &a.items.statics {
        put(name.clone(), a.string_value(e, 1).map(ArgValue::Str));
    }
    for (key, e) in &a.items.assoc {
        put(key.replace("::", "."), a.string_value(e, 1).map(ArgValue::Str));
    }
    for (tr, ty, name, e) in &a.items.trait_consts {
        put(format!("{IMPL}{tr}:{ty}.{name}"), a.string_value(e, 1).map(ArgValue::Str));
    }
    let mut functions: Vec<&String> = a.items.returns.keys().collect();
    functions.sort();
    for key in functions {
        a.self_type = key.split_once("::").map(|(t, _)| t.to_string());
        put(format!("{}()", key.replace("::", ".")), a.function_text(key, 1));
    }
    a.self_type = None;
    let mut fields: Vec<&(String, String)> = a.items.field_inits.keys().collect();
    fields.sort();
    for (ty, field) in fields {
        put(format!("{ty}.default().{field}"), a.field_text(ty, field, 1));
    }
    let mut arms: HashMap<String, Option<String>> = HashMap::new();
    for (ty, p, e) in &a.items.arms {
        let Some(variant) = arm_key(p) else { continue };
        let key = ty.as_ref().map_or(variant.clone(), |t| format!("{t}.{variant}"));
        let v = a.string_value(e, 1).filter(|s| s.contains("://"));
        let slot = arms.entry(key).or_insert_with(|| v.clone());
        if *slot != v {
            *slot = None;
        }
    }
    for (key, v) in arms {
        put(key, v.map(ArgValue::Str));
    }
    let mut globs = 0;
    for (local, full) in &a.items.reexports {
        // A glob names a module: its path is followed to the end (past a stand-in item).
        let names: Vec<String> = full.iter().cloned().chain(local.is_none().then(|| "*".to_string())).collect();
        let Some((file, i)) = rust_module(locals, rel, &names) else { continue };
        if local.is_none() && i != full.len() {
            continue;
        }
        let module = Seg { name: format!("{RS_MODULE}{file}"), call: None };
        let rest = full[i..].iter().map(|n| Seg { name: n.clone(), call: None });
        match local {
            Some(name) if i < full.len() => {
                strings.insert(name.clone(), ModuleValue::Import(Path(std::iter::once(module).chain(rest).collect())));
            }
            None if globs < GLOBS => {
                strings.insert(format!("*{globs}"), ModuleValue::Import(Path(vec![module])));
                globs += 1;
            }
            _ => {}
        }
    }
    Some(strings)
}

/// A literal argument as written (`'/'`, `"/"`, `0`), for [`resolve::keeps_host`].
fn literal_text(e: &Expr) -> Option<String> {
    let Expr::Lit(l) = e else { return None };
    Some(match &l.lit {
        syn::Lit::Str(s) => s.token().to_string(),
        syn::Lit::Char(c) => c.token().to_string(),
        syn::Lit::Int(i) => i.token().to_string(),
        _ => return None,
    })
}

/// Request builders of HTTP libraries, sent with `.send()`.
/// Elements of a list a `for` loop is followed through ([`Analyzer::loop_choices`]).
const LOOP_CHOICES: usize = 16;

/// `e` without `&` and parentheses.
fn strip_ref(mut e: &Expr) -> &Expr {
    loop {
        match e {
            Expr::Reference(r) => e = &r.expr,
            Expr::Paren(p) => e = &p.expr,
            Expr::Group(g) => e = &g.expr,
            _ => return e,
        }
    }
}

const BUILDERS: &[&str] = &["reqwest.RequestBuilder", "reqwest.blocking.RequestBuilder"];

/// Whether a name says its value is a request URL (`url`, `api_url`, `endpoint`).
fn url_named(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "url" || n.ends_with("_url") || n.contains("endpoint")
}

/// The one string several values agree on (`https://h/v1` and `https://h/v1/` are one);
/// values that are no string are left out, and two different strings give none.
fn one_text(values: Vec<ArgValue>) -> Option<ArgValue> {
    let mut texts: Vec<ArgValue> = values.into_iter().filter(|v| v.text().is_some()).collect();
    let first = texts.first()?.text()?.trim_end_matches('/').to_string();
    if texts.iter().any(|v| v.text().is_some_and(|t| t.trim_end_matches('/') != first)) {
        return None;
    }
    // A literal wins over a pattern of the same text.
    texts.sort_by_key(|v| !matches!(v, ArgValue::Str(_)));
    texts.into_iter().next()
}

/// [`super::path::HOLE`] as a string: a part of a URL nothing reads.
const HOLE_STR: &str = "\u{0}";

/// `Url::parse`, `url::Url::parse`, `reqwest::Url::parse`, `Url::from_str`.
fn is_url_parse(f: &Expr) -> bool {
    let Expr::Path(p) = f else { return false };
    let names: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    matches!(names.as_slice(), [.., t, f] if t == "Url" && matches!(f.as_str(), "parse" | "from_str" | "try_from"))
}

/// `env!("X")`, `option_env!("X")`, `dotenv!("X")`: the variable's name.
fn val_of(v: ArgValue) -> Val {
    match v {
        ArgValue::Str(s) => Val::Str(s),
        ArgValue::Env(s) => Val::Env(s),
        ArgValue::Path(p) => Val::Path(p),
        ArgValue::Pattern(s) => Val::Pattern(s),
        ArgValue::Dynamic => Val::Unknown,
    }
}

/// The pieces of a `format!` string: literal text, and the argument each `{...}` takes
/// (`Ok(n)` the n-th positional one, `Err(name)` a named or captured one).
fn format_pieces(f: &str) -> Vec<Result<String, Result<usize, String>>> {
    let mut out = Vec::new();
    let (mut text, mut next, mut chars) = (String::new(), 0, f.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let spec: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let name = spec.split(':').next().unwrap_or_default().trim();
                out.push(Ok(std::mem::take(&mut text)));
                out.push(Err(if name.is_empty() {
                    next += 1;
                    Ok(next - 1)
                } else {
                    name.parse::<usize>().map_err(|_| name.to_string())
                }));
            }
            c => text.push(c),
        }
    }
    out.push(Ok(text));
    out
}

fn env_macro(mac: &syn::Macro) -> Option<String> {
    let last = mac.path.segments.last()?.ident.to_string();
    if !matches!(last.as_str(), "env" | "option_env" | "dotenv") {
        return None;
    }
    let lit: syn::LitStr = mac
        .parse_body_with(|input: syn::parse::ParseStream| {
            let lit: syn::LitStr = input.parse()?;
            let _: TokenStream = input.parse()?;
            Ok(lit)
        })
        .ok()?;
    Some(lit.value())
}

impl<'ast> Visit<'ast> for Analyzer<'ast, '_> {
    // Doc comments are `#[doc = "..."]`; attributes hold no calls.
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut leaves = Vec::new();
        use_leaves(&u.tree, &mut Vec::new(), &mut leaves);
        let mut vendors: Vec<(String, String)> = Vec::new();
        for (_, full) in leaves {
            if let Some((sdk, module)) = self.rules.sdk_for_module(LANG, &full.join(".")) {
                if !vendors.iter().any(|(v, _)| *v == sdk.vendor) {
                    vendors.push((sdk.vendor.clone(), module.to_string()));
                }
            }
        }
        let span = self.span(u.span());
        for (vendor, module) in vendors {
            self.emit(span, emit::import(self.rules, LANG, &vendor, &module));
        }
    }

    fn visit_item_extern_crate(&mut self, c: &'ast syn::ItemExternCrate) {
        let module = c.ident.to_string();
        if let Some((sdk, _)) = self.rules.sdk_for_module(LANG, &module) {
            let e = emit::import(self.rules, LANG, &sdk.vendor, &module);
            let span = self.span(c.span());
            self.emit(span, e);
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let saved = self.self_type.replace(type_name(&i.self_ty).unwrap_or_default());
        let saved_ty = self.self_ty.replace(&i.self_ty);
        visit::visit_item_impl(self, i);
        self.self_type = saved;
        self.self_ty = saved_ty;
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.with_scope(|a| {
            a.bind_params(f.sig.inputs.iter());
            a.visit_block(&f.block);
        });
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.with_scope(|a| {
            a.bind_params(f.sig.inputs.iter());
            a.visit_block(&f.block);
        });
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        let model = model_named(&c.ident.to_string());
        self.visit_in(&c.expr, model, None);
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        let model = model_named(&s.ident.to_string());
        self.visit_in(&s.expr, model, None);
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        self.with_scope(|a| visit::visit_block(a, b));
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let name = match &l.pat {
            Pat::Ident(i) => Some(i.ident.to_string()),
            Pat::Type(t) => match &*t.pat {
                Pat::Ident(i) => Some(i.ident.to_string()),
                _ => None,
            },
            _ => None,
        };
        let mut value = Val::Unknown;
        if let Some(init) = &l.init {
            let model = name.as_deref().is_some_and(model_named);
            self.visit_in(&init.expr, model, None);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
            self.met.borrow_mut().clear();
            value = self.value_of(&init.expr, 0);
            value = self.value_per_choice(&init.expr, value);
        }
        self.bind_pat(&l.pat, value, 0);
    }

    /// `for model in ["gpt-4o", "claude-..."]`, `for (model, key) in MODELS` over a list of
    /// this file: each name the pattern binds to a string of every element is a choice.
    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        self.visit_expr(&f.expr);
        let bound = self.loop_choices(&f.pat, &f.expr);
        let before = self.choices.len();
        self.with_scope(|a| {
            a.bind_pat(&f.pat, Val::Unknown, 0);
            for (name, values) in bound {
                match <[String; 1]>::try_from(values) {
                    Ok([one]) => a.bind(name, Val::Str(one)),
                    Err(values) => {
                        a.bind(name.clone(), Val::Unknown);
                        a.choices.push((name, values));
                    }
                }
            }
            a.visit_block(&f.body);
        });
        self.choices.truncate(before);
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.with_scope(|a| {
            for p in &c.inputs {
                if let Pat::Type(t) = p {
                    let v = a.type_instance(&t.ty, 0).map_or(Val::Unknown, Val::Path);
                    a.bind_pat(&t.pat, v, 0);
                } else {
                    a.bind_pat(p, Val::Unknown, 0);
                }
            }
            a.visit_expr(&c.body);
        });
    }

    fn visit_expr(&mut self, e: &'ast Expr) {
        // The model context reaches a literal only through conversions and parentheses.
        let keep = match e {
            Expr::Lit(_) | Expr::Paren(_) | Expr::Group(_) | Expr::Reference(_) => true,
            Expr::MethodCall(m) => {
                m.args.is_empty() && matches!(m.method.to_string().as_str(), "to_string" | "into" | "to_owned")
            }
            _ => false,
        };
        let saved = self.model_ctx;
        if !keep {
            self.model_ctx = false;
        }
        // Only the links of a method chain share its headers.
        let saved_in = self.in_chain;
        if !matches!(e, Expr::MethodCall(_) | Expr::Await(_) | Expr::Try(_) | Expr::Paren(_) | Expr::Reference(_)) {
            self.in_chain = false;
        }
        match e {
            Expr::Call(c) => {
                let served = self.call_findings(e).or_else(|| self.served.clone());
                if let Some(name) = self.env_read(e, 0) {
                    self.env_finding(&name, e.span());
                }
                self.visit_expr(&c.func);
                for a in &c.args {
                    self.visit_in(a, false, served.clone());
                }
            }
            Expr::MethodCall(m) => {
                let top = if self.in_chain {
                    None
                } else {
                    let headers = self.headers_of(e);
                    Some(std::mem::replace(&mut self.chain_headers, headers))
                };
                let served = if keep { None } else { self.call_findings(e) }.or_else(|| self.served.clone());
                self.in_chain = true;
                self.visit_expr(&m.receiver);
                self.in_chain = false;
                let model = model_named(&m.method.to_string());
                for a in &m.args {
                    self.visit_in(a, model, served.clone());
                }
                if let Some(outer) = top {
                    self.chain_headers = outer;
                }
            }
            _ => visit::visit_expr(self, e),
        }
        self.in_chain = saved_in;
        self.model_ctx = saved;
    }

    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        let name = s.path.segments.last().map(|seg| seg.ident.to_string());
        let name = if name.as_deref() == Some("Self") { self.self_type.clone() } else { name };
        if let Some(name) = name {
            for f in &s.fields {
                let syn::Member::Named(field) = &f.member else { continue };
                let Some(p) = self.resolve(&f.expr, 0).filter(|p| matcher::is_vendor_path(self.rules, LANG, p)) else {
                    continue;
                };
                let mut values = self.field_values.borrow_mut();
                let slot = values.entry((name.clone(), field.to_string())).or_insert_with(|| Some(p.clone()));
                if slot.as_ref().is_some_and(|known| *known != p) {
                    *slot = None;
                }
            }
        }
        visit::visit_expr_struct(self, s);
    }

    fn visit_field_value(&mut self, f: &'ast syn::FieldValue) {
        let model = match &f.member {
            syn::Member::Named(n) => model_named(&n.to_string()),
            syn::Member::Unnamed(_) => false,
        };
        let served = self.served.clone();
        self.visit_in(&f.expr, model, served);
    }

    fn visit_lit_str(&mut self, s: &'ast syn::LitStr) {
        self.literal(s);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if let Some(name) = env_macro(mac) {
            self.env_finding(&name, mac.span());
            return;
        }
        // `format!`, `vec!`, `println!`, `assert_eq!`: comma-separated expressions.
        let parsed = mac.parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated);
        match parsed {
            Ok(exprs) => {
                for e in &exprs {
                    visit_owned(self, e);
                }
            }
            Err(_) => {
                let found = token_findings(mac.tokens.clone(), self.rules);
                for (span, e) in found {
                    self.emit(span, e);
                }
            }
        }
    }
}

/// Visits an expression parsed from a macro body, which lives shorter than the file's
/// tree: a second analyzer with the same bindings and `use` names (struct fields, statics
/// and return types hold references into the file and are left out).
fn visit_owned(a: &mut Analyzer<'_, '_>, e: &Expr) {
    let mut inner = Analyzer {
        src: a.src,
        rules: a.rules,
        lines: a.lines,
        module: a.module,
        items: Items::default(),
        scopes: RefCell::new(a.scopes.take()),
        results: Memo::default(),
        statics: Memo::default(),
        texts: Memo::default(),
        budget: a.budget,
        self_type: a.self_type.clone(),
        self_ty: a.self_ty,
        default_base: std::cell::OnceCell::new(),
        default_base_busy: std::cell::Cell::new(false),
        field_texts: Memo::default(),
        built_urls: std::cell::OnceCell::new(),
        chain_headers: a.chain_headers.clone(),
        in_chain: a.in_chain,
        model_ctx: false,
        served: a.served.clone(),
        clients: Vec::new(),
        field_values: RefCell::new(a.field_values.take()),
        choices: a.choices.clone(),
        held: a.held.take(),
        tables: tables::Tables::default(),
        implementors: RefCell::new(Vec::new()),
        forced: std::cell::Cell::new(a.forced.get()),
        met: RefCell::new(Vec::new()),
        choice_reads: std::cell::Cell::new(0),
        no_choice: std::cell::Cell::new(a.no_choice.get()),
        out: &mut *a.out,
    };
    inner.items.uses = a.items.uses.clone();
    inner.items.globs = a.items.globs.clone();
    inner.visit_expr(e);
    a.scopes = RefCell::new(inner.scopes.take());
    a.field_values = RefCell::new(inner.field_values.take());
    a.held = inner.held.take();
    let clients = std::mem::take(&mut inner.clients);
    a.clients.extend(clients);
}

// -------------------------------------------------------------------- token scanning

/// Findings of string literals and environment reads in a token stream (a macro body
/// that is not expressions, `json!({"model": "gpt-4o"})`; a file syn cannot parse).
fn token_findings(tokens: TokenStream, rules: &RuleSet) -> Vec<(Span, Emit)> {
    let mut out = Vec::new();
    walk_tokens(tokens, rules, &mut out);
    out
}

fn walk_tokens(tokens: TokenStream, rules: &RuleSet, out: &mut Vec<(Span, Emit)>) {
    let toks: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, t) in toks.iter().enumerate() {
        match t {
            TokenTree::Group(g) => {
                // `var("X")`, `env!("X")`: an environment read.
                let called = match (i.checked_sub(2).map(|j| &toks[j]), i.checked_sub(1).map(|j| &toks[j])) {
                    (Some(TokenTree::Ident(id)), Some(TokenTree::Punct(p))) if p.as_char() == '!' => {
                        matches!(id.to_string().as_str(), "env" | "option_env" | "dotenv")
                    }
                    (_, Some(TokenTree::Ident(id))) => matches!(id.to_string().as_str(), "var" | "var_os"),
                    _ => false,
                };
                if called && g.delimiter() == Delimiter::Parenthesis {
                    if let Some(TokenTree::Literal(l)) = g.stream().into_iter().next() {
                        if let syn::Lit::Str(s) = syn::Lit::new(l) {
                            if let Some(e) = emit::env(rules, &s.value()) {
                                let start = toks[i - 1].span();
                                let span = start.join(g.span()).unwrap_or(g.span());
                                out.push((span_of(span), e));
                                continue;
                            }
                        }
                    }
                }
                walk_tokens(g.stream(), rules, out);
            }
            TokenTree::Literal(l) => {
                let syn::Lit::Str(s) = syn::Lit::new(l.clone()) else { continue };
                // `"model": "gpt-4o"`, `model = "gpt-4o"`: the previous key names a model.
                let model = i >= 2
                    && matches!(&toks[i - 1], TokenTree::Punct(p) if matches!(p.as_char(), ':' | '='))
                    && match &toks[i - 2] {
                        TokenTree::Ident(id) => model_named(&id.to_string()),
                        TokenTree::Literal(k) => {
                            matches!(syn::Lit::new(k.clone()), syn::Lit::Str(k) if model_named(&k.value()))
                        }
                        _ => false,
                    };
                let value = s.value();
                for e in emit::literal(rules, &value, Some(&value), model, None) {
                    out.push((span_of(s.span()), e));
                }
            }
            _ => {}
        }
    }
}

fn scan_tokens(tokens: TokenStream, rules: &RuleSet, src: &str, lines: &LineIndex, out: &mut FileOutput) {
    for (span, e) in token_findings(tokens, rules) {
        out.emit(rules, lines.line_text(src, span.line), span, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> FileOutput {
        let rules = crate::rules::load_embedded();
        let mut out = FileOutput::new("src/main.rs", crate::lang::FileKind::Rust);
        detect(src, &rules, "src/main.rs", &LocalModules::default(), &mut out);
        out
    }

    #[test]
    fn columns_are_characters_and_one_based() {
        let out = run("fn main() { let é = 1; let k = std::env::var(\"OPENAI_API_KEY\"); }\n");
        let f = out.findings.iter().find(|f| f.rule_id == "openai.env").expect("env finding");
        // `é` is two bytes and one character.
        assert_eq!((f.line, f.column), (1, 32));
    }

    #[test]
    fn syntax_errors_are_recorded_and_literals_still_read() {
        let out = run("fn main() {\n    let m = \"gpt-4o\";\n    let x = ;\n}\n");
        assert!(out.error.as_deref().is_some_and(|e| e.starts_with("3:")), "{:?}", out.error);
        assert!(out.findings.iter().any(|f| f.rule_id == "openai.model" && f.line == 2));
    }

    #[test]
    fn deep_text_is_not_given_to_syn() {
        let src = format!("fn main() {{ let m = \"gpt-4o\"; let x = 1{}; }}\n", " + 1".repeat(20_000));
        let out = run(&src);
        assert!(out.error.as_deref().is_some_and(|e| e.contains("KiB")), "{:?}", out.error);
        assert_eq!(out.findings.len(), 1);
        let nested = format!("fn main() {{ let x = {}1{}; }}\n", "(".repeat(300), ")".repeat(300));
        assert!(run(&nested).error.is_some_and(|e| e.contains("nested")));
    }

    #[test]
    fn unbalanced_text_is_scanned_line_by_line() {
        let out = run("fn main() {\n    let m = \"gpt-4o\"; // \"gpt-4\"\n");
        assert!(out.error.is_some());
        let lines: Vec<u32> = out.findings.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![2]);
    }
}
