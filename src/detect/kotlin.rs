//! Kotlin detection with tree-sitter-kotlin-ng: a lowering onto the shared resolver
//! ([`super::resolve`]) that reads the Java rules (the same Maven packages, classes and
//! builder setters; what Java and Kotlin share is [`super::jvm`]). Pass 1 (`collect`) records
//! imports (`import a.b.C as D` binds `D`; `import a.b.*` answers names nothing binds),
//! classes, objects and companion objects (a companion's members are its class's), their
//! properties and constructor properties (`class S(private val model: ChatModel)`), functions
//! with their returns (a `return`, an expression body, a lambda's last expression), typed
//! parameters, local `val`/`var` (and `by lazy { ... }`, whose value is the lambda's last
//! expression) and assignments. Pass 2 (`visit`) hands every call, import, environment read
//! and string literal to the shared resolution. There is no `new`: `OpenAI(token = k)` is a
//! call of the class or factory function, named arguments are keywords, and a builder chain
//! (`OpenAIOkHttpClient.builder().baseUrl(u).build()`) is one call of its root as in Java.

use super::jvm::{self, LANG};
use super::lower;
use super::path::{CallArgs, Path, Seg};
use super::resolve::{Bind, Callers, Core, Ctx, Front, FuncInfo, Piece, Pieces, Shape, Symbols, Text, Val};
use super::{common, FileOutput, LineIndex, LocalModules, ModuleStrings};
use crate::detect::field::Field;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::HashSet;
use tree_sitter::{Node, Parser, Tree};

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_kotlin_ng::LANGUAGE.into()).expect("tree-sitter-kotlin-ng matches the tree-sitter ABI");
        p
    });
}

/// How a file too large to parse is read (`common::scan_text`).
const KOTLIN_TEXT: common::TextSyntax = common::TextSyntax { comment: "//", quotes: b"\"", env_calls: &["getenv("] };

/// Statements of a trailing lambda read as keywords of its call ([`Analyzer::dsl_keywords`]).
const MAX_DSL_STATEMENTS: usize = 64;

/// Scope functions that give back their receiver (`OpenAI(k).also { log(it) }`).
const RECEIVER_SCOPE: &[&str] = &["apply", "also"];

/// Detects everything in one Kotlin source.
pub fn detect(src: &str, rules: &RuleSet, locals: &LocalModules, out: &mut FileOutput) {
    if let Some(tree) = common::parse_or_scan(src, rules, &KOTLIN_TEXT, parse, out) {
        match reparsed(src, &tree) {
            Some((blanked, tree)) => {
                out.syntax_errors = tree.root_node().has_error();
                detect_tree(&tree, &blanked, rules, locals, out);
            }
            None => detect_tree(&tree, src, rules, locals, out),
        }
    }
}

fn parse(src: &str) -> Option<Tree> {
    PARSER.with(|p| p.borrow_mut().parse(src, None))
}

/// tree-sitter-kotlin-ng 1.1 fails on a type annotation before a parenthesised function type
/// (Compose's `description: @Composable (() -> Unit) = {}`): two in one parameter list make
/// the whole class an error, and nothing in it is read. A file that does not parse cleanly is
/// parsed again with its type annotations (`@Name` or `@Name()` right after a declaration's
/// `:`) blanked byte for byte, so that every position stays the file's; lockin reads nothing
/// in them. The second parse is kept when it has fewer errors.
fn reparsed(src: &str, tree: &Tree) -> Option<(String, Tree)> {
    if !tree.root_node().has_error() {
        return None;
    }
    let blanked = without_type_annotations(src)?;
    let again = parse(&blanked)?;
    (error_count(again.root_node()) < error_count(tree.root_node())).then_some((blanked, again))
}

/// `src` with each `@Name` or `@Name()` that follows a `:` (spaces between) blanked, or `None`
/// when there is none.
fn without_type_annotations(src: &str) -> Option<String> {
    let bytes = src.as_bytes();
    let mut out = bytes.to_vec();
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b':' {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
            j += 1;
        }
        let name = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
        if j + 1 < bytes.len() && bytes[j] == b'@' && (bytes[j + 1].is_ascii_alphabetic() || bytes[j + 1] == b'_') {
            let mut end = j + 1;
            while end < bytes.len() && name(bytes[end]) {
                end += 1;
            }
            if bytes[end..].starts_with(b"()") {
                end += 2;
            }
            out[j..end].fill(b' ');
            changed = true;
            i = end;
            continue;
        }
        i = j.max(i + 1);
    }
    // (Only ASCII bytes were replaced, by ASCII spaces.)
    changed.then(|| String::from_utf8(out).ok()).flatten()
}

/// The error and missing nodes of a tree (iterative).
fn error_count(root: Node<'_>) -> usize {
    let mut cursor = root.walk();
    let mut count = 0;
    loop {
        let n = cursor.node();
        if n.is_error() || n.is_missing() {
            count += 1;
        }
        if n.has_error() && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return count;
            }
        }
    }
}

fn detect_tree(tree: &Tree, src: &str, rules: &RuleSet, locals: &LocalModules, out: &mut FileOutput) {
    let root = tree.root_node();
    let mut a = analyzer(src, rules, locals, root);
    lower::run(&mut a, root, out, passes());
}

fn analyzer<'t>(src: &'t str, rules: &'t RuleSet, locals: &'t LocalModules, root: Node<'t>) -> Analyzer<'t> {
    Analyzer {
        core: Core::new(src, rules, locals, LANG, root),
        wildcards: Vec::new(),
        folded: HashSet::new(),
        callers: Callers::default(),
    }
}

fn passes<'t>() -> lower::Passes<'t, Analyzer<'t>> {
    lower::Passes::new(&KOTLIN_TEXT, Analyzer::collect, Analyzer::visit)
        .callers(|a| std::mem::take(&mut a.callers))
        .url_names()
}

/// The strings one Kotlin file binds for the tree's other files ([`LocalModules::module_string`]):
/// its classes' and objects' properties, constructor parameter defaults and companion
/// constants, nested classes' too (`ModelConstants.OPENAI_API_URL`, a sealed class's
/// `ProviderSetting.OpenAI.baseUrl` default); the file is the module of the class it is
/// named after ([`jvm::module_paths`]). `None` when it cannot be parsed within budget.
pub fn module_strings(src: &str, rules: &RuleSet, locals: &LocalModules) -> Option<ModuleStrings> {
    let tree = jvm::parse_for_strings(src, parse)?;
    if let Some((blanked, tree)) = reparsed(src, &tree) {
        return strings_of(&tree, &blanked, rules, locals);
    }
    strings_of(&tree, src, rules, locals)
}

fn strings_of(tree: &Tree, src: &str, rules: &RuleSet, locals: &LocalModules) -> Option<ModuleStrings> {
    let root = tree.root_node();
    let mut a = analyzer(src, rules, locals, root);
    a.core.level = 0;
    lower::bind(&mut a, root, &Ctx::module(root.id()), &passes());
    Some(a.module_strings())
}

struct Analyzer<'t> {
    /// Source, rules and the symbol table ([`super::resolve::Core`]).
    core: Core<'t>,
    /// Packages imported with `.*`: names nothing binds are looked up there.
    wildcards: Vec<Path>,
    /// Calls inside a builder chain (the root and its setters): the chain's `build()` is
    /// the one call site.
    folded: HashSet<usize>,
    /// The file's functions by name and their calls ([`resolve::bind_callers`]).
    callers: Callers<'t>,
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

/// A node's named children without comments (`.apiKey(k) // note` inside a chain).
fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    let v: Vec<Node<'t>> = node.named_children(&mut cursor).filter(|c| !is_comment(*c)).collect();
    v
}

fn child<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    named_children(node).into_iter().find(|c| c.kind() == kind)
}

/// A declared type: `T`, `a.b.T`, `T?`.
fn is_type(n: Node<'_>) -> bool {
    matches!(n.kind(), "user_type" | "nullable_type")
}

fn is_comment(n: Node<'_>) -> bool {
    matches!(n.kind(), "line_comment" | "block_comment")
}

impl<'t> Analyzer<'t> {
    // ---------------------------------------------------------------- pass 1: bindings

    fn collect(&mut self, node: Node<'t>, ctx: &Ctx) {
        match node.kind() {
            "import" => return self.collect_import(node, ctx),
            "class_declaration" | "object_declaration" => return self.collect_class(node, ctx),
            "function_declaration" | "lambda_literal" | "anonymous_function" => {
                return self.collect_function(node, ctx)
            }
            "property_declaration" => {
                if let Some((name, pos, t, v)) = self.property(node) {
                    if let Some(t) = t {
                        self.core.sym.bind(ctx, name, pos, Bind::Annot(t, ctx.clone()));
                    }
                    if let Some(v) = v {
                        self.core.sym.bind(ctx, name, pos + 1, Bind::Expr(v, ctx.clone()));
                    }
                }
            }
            "assignment" => {
                let op = node.field("operator").map(|o| self.text(o));
                if let (Some("="), Some(l), Some(r)) = (op, node.field("left"), node.field("right")) {
                    self.bind_assignment(l, r, ctx);
                }
            }
            "call_expression" => {
                let callee = node.named_child(0);
                let name = callee.and_then(|c| match c.kind() {
                    "identifier" => Some(c),
                    "navigation_expression" if c.named_child(0).is_some_and(|o| o.kind() == "this_expression") => {
                        c.named_child(1)
                    }
                    _ => None,
                });
                if let (Some(name), Some(args)) = (name, child(node, "value_arguments")) {
                    self.callers.call(self.core.text_at(name), args, ctx);
                }
            }
            "return_expression" => {
                if let (Some(value), Some(f)) = (node.named_child(0), self.core.sym.funcs.get_mut(&ctx.scope())) {
                    f.returns.push((value, ctx.clone()));
                }
            }
            _ => {}
        }
        for c in named_children(node) {
            self.collect(c, ctx);
        }
    }

    /// `import a.b.C` binds `C`; `import a.b.C as D` binds `D`; `import a.b.*` is searched
    /// for names nothing binds.
    fn collect_import(&mut self, node: Node<'t>, ctx: &Ctx) {
        let Some(name) = child(node, "qualified_identifier") else { return };
        let path = self.module_root(self.text(name));
        if self.text(node).trim_end().ends_with('*') {
            self.wildcards.push(path);
            return;
        }
        let alias = named_children(node).into_iter().find(|c| c.kind() == "identifier").map(|a| self.text(a));
        let last = path.0.last().map(|s| s.name.clone()).unwrap_or_default();
        let bound = alias.map_or(last, str::to_string);
        self.sym.bind(ctx, &bound, 0, Bind::Import(path));
    }

    /// A property: its name, where it is declared, its declared type and its value (the
    /// initialiser, or the last expression of a `by lazy { ... }` delegate).
    #[allow(clippy::type_complexity)]
    fn property(&self, node: Node<'t>) -> Option<(&'t str, usize, Option<Node<'t>>, Option<Node<'t>>)> {
        let kids = named_children(node);
        let decl = kids.iter().find(|k| k.kind() == "variable_declaration")?;
        let name = child(*decl, "identifier")?;
        let t = named_children(*decl).into_iter().find(|k| is_type(*k));
        let after = kids.iter().skip_while(|k| k.id() != decl.id()).skip(1);
        let value = after
            .filter(|k| !matches!(k.kind(), "getter" | "setter" | "type_constraints") && !is_comment(**k))
            .find_map(|k| match k.kind() {
                "property_delegate" => self.lazy_value(*k),
                _ => Some(*k),
            });
        Some((self.core.text_at(name), decl.start_byte(), t, value))
    }

    /// `by lazy { OpenAI(token = k) }`: the lambda's last expression.
    fn lazy_value(&self, delegate: Node<'t>) -> Option<Node<'t>> {
        let call = delegate.named_child(0).filter(|c| c.kind() == "call_expression")?;
        if call.named_child(0).map(|c| self.text(c)) != Some("lazy") {
            return None;
        }
        let lambda = child(call, "annotated_lambda").and_then(|a| child(a, "lambda_literal"))?;
        last_expression(lambda)
    }

    /// `x = v`, `this.client = v`, and in a method `client = v` where `client` is a property.
    fn bind_assignment(&mut self, l: Node<'t>, r: Node<'t>, ctx: &Ctx) {
        let pos = l.start_byte();
        match l.kind() {
            "identifier" => {
                let name = self.core.text_at(l);
                self.core.sym.bind(ctx, name, pos, Bind::Expr(r, ctx.clone()));
                let field = ctx.class.filter(|c| self.sym.classes.get(c).is_some_and(|i| i.attrs.contains_key(name)));
                if let Some(class) = field {
                    self.sym.bind_attr(class, name, pos, Bind::Expr(r, ctx.clone()));
                }
            }
            "navigation_expression" => {
                let kids = named_children(l);
                if let ([o, f], Some(class)) = (kids.as_slice(), ctx.class) {
                    if o.kind() == "this_expression" && f.kind() == "identifier" {
                        let f = self.core.text_at(*f);
                        self.sym.bind_attr(class, f, pos, Bind::Expr(r, ctx.clone()));
                    }
                }
            }
            _ => {}
        }
    }

    /// A class or object: its name, constructor properties, base types, properties, methods
    /// and body. A companion object's members are the class's own (`MODEL` and `Svc.MODEL`).
    fn collect_class(&mut self, node: Node<'t>, ctx: &Ctx) {
        let id = node.id();
        if let Some(n) = node.field("name") {
            self.core.sym.bind(ctx, self.core.text_at(n), 0, Bind::Class(id));
        }
        self.sym.classes.entry(id).or_default();
        let mut inner = ctx.enter(id);
        inner.class = Some(id);
        inner.self_name = None;
        for k in named_children(node) {
            match k.kind() {
                // `class S(private val model: ChatModel, key: String)`: every parameter is
                // read by the initialisers, and a `val` one by the methods too.
                "primary_constructor" => {
                    for p in child(k, "class_parameters").map(named_children).unwrap_or_default() {
                        let kids = named_children(p);
                        let (Some(n), Some(t)) = (child(p, "identifier"), kids.iter().position(|c| is_type(*c))) else {
                            continue;
                        };
                        let name = self.core.text_at(n);
                        // Read inside the class: a decorator's delegate is known as one there
                        // (`class Spark(private val delegate: ChatModel) : ChatModel`).
                        self.sym.bind_attr(id, name, 0, Bind::Annot(kids[t], inner.clone()));
                        // `val baseUrl: String = "https://api.openai.com"`: what an instance
                        // built without it holds.
                        if let Some(d) = kids.get(t + 1) {
                            self.sym.bind_attr(id, name, 0, Bind::Expr(*d, ctx.clone()));
                        }
                    }
                }
                "delegation_specifiers" => {
                    for d in named_children(k) {
                        let base = d.named_child(0).map(|b| {
                            if b.kind() == "constructor_invocation" {
                                b.named_child(0)
                            } else {
                                Some(b)
                            }
                        });
                        if let Some(Some(b)) = base {
                            self.sym.classes.entry(id).or_default().bases.push((b, ctx.clone()));
                        }
                    }
                }
                "class_body" => self.collect_body(id, k, &inner),
                _ => {}
            }
        }
    }

    fn collect_body(&mut self, id: usize, body: Node<'t>, inner: &Ctx) {
        for m in named_children(body) {
            match m.kind() {
                "property_declaration" => {
                    if let Some((name, _, t, v)) = self.property(m) {
                        if let Some(t) = t {
                            self.sym.bind_attr(id, name, 0, Bind::Annot(t, inner.clone()));
                        }
                        if let Some(v) = v {
                            self.sym.bind_attr(id, name, v.start_byte(), Bind::Expr(v, inner.clone()));
                        }
                    }
                    // Lambdas and anonymous objects in initialisers.
                    for c in named_children(m) {
                        self.collect(c, inner);
                    }
                }
                "companion_object" => {
                    if let Some(b) = child(m, "class_body") {
                        self.collect_body(id, b, inner);
                    }
                }
                "function_declaration" => {
                    if let Some(n) = m.field("name") {
                        let name = self.text(n).to_string();
                        self.sym.classes.entry(id).or_default().methods.insert(name, m);
                    }
                    self.collect(m, inner);
                }
                _ => self.collect(m, inner),
            }
        }
    }

    fn collect_function(&mut self, node: Node<'t>, ctx: &Ctx) {
        let inner = ctx.enter(node.id());
        if let Some(name) = node.field("name").filter(|_| node.kind() == "function_declaration") {
            self.callers.def(self.core.text_at(name), node);
        }
        let kids = named_children(node);
        let annotation = kids.iter().find(|k| is_type(**k)).map(|t| (*t, ctx.clone()));
        self.sym.funcs.insert(node.id(), FuncInfo { returns: Vec::new(), annotation, class: ctx.class });
        for list in kids.iter().filter(|k| k.kind() == "function_value_parameters") {
            let params = named_children(*list);
            for (i, p) in params.iter().enumerate().filter(|(_, p)| p.kind() == "parameter") {
                let Some(n) = child(*p, "identifier") else { continue };
                let name = self.core.text_at(n);
                if let Some(t) = named_children(*p).into_iter().find(|c| is_type(*c)) {
                    self.core.sym.bind(&inner, name, 0, Bind::Annot(t, ctx.clone()));
                }
                // `fun client(baseUrl: String = "https://...")`: the default follows the parameter.
                if let Some(d) = params.get(i + 1).filter(|d| !matches!(d.kind(), "parameter" | "parameter_modifiers"))
                {
                    self.core.sym.bind(&inner, name, 0, Bind::Expr(*d, ctx.clone()));
                }
            }
        }
        // An expression body (`fun f() = expr`) and a lambda's last expression are returned.
        let body = kids.iter().find(|k| k.kind() == "function_body").copied();
        let returned = match body {
            Some(b) if child(b, "block").is_none() => b.named_child(0),
            None if node.kind() == "lambda_literal" => last_expression(node),
            _ => None,
        };
        if let (Some(v), Some(f)) = (returned, self.sym.funcs.get_mut(&node.id())) {
            f.returns.push((v, inner.clone()));
        }
        for k in kids {
            self.collect(k, &inner);
        }
    }

    // ---------------------------------------------------------------- calls

    /// The callee and value arguments of a call; a builder chain's `build()` is a call of
    /// its root ([`Self::builder_chain`]).
    fn call_of(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        if node.kind() != "call_expression" {
            return None;
        }
        // `HttpClient(CIO) { .. }` parses as the lambda applied to the call `HttpClient(CIO)`:
        // one call, of `HttpClient` with `(CIO)`.
        if let Some(inner) = self.lambda_applied(node) {
            return self.call_of(inner);
        }
        // `HttpClient { defaultRequest { url(u) } }`: a trailing lambda alone is the argument
        // list, read as keywords ([`Self::dsl_keywords`]).
        let args = child(node, "value_arguments").or_else(|| child(node, "annotated_lambda"));
        let root = self.builder_chain(node).and_then(|c| c.first().copied());
        let callee = root.unwrap_or(node).named_child(0)?;
        Some((callee, args))
    }

    /// For `f(x) { .. }` parsed as a call of the call `f(x)` with only a trailing lambda: the
    /// call `f(x)`.
    fn lambda_applied(&self, node: Node<'t>) -> Option<Node<'t>> {
        if child(node, "value_arguments").is_some() || child(node, "annotated_lambda").is_none() {
            return None;
        }
        let inner = node.named_child(0).filter(|c| c.kind() == "call_expression")?;
        (child(inner, "value_arguments").is_some() && child(inner, "annotated_lambda").is_none()).then_some(inner)
    }

    /// The trailing lambda of a call: its own, or the one applied to it (`HttpClient(CIO) { .. }`,
    /// [`Self::lambda_applied`]).
    fn trailing_lambda(&self, call: Node<'t>) -> Option<Node<'t>> {
        let own = child(call, "annotated_lambda");
        let applied =
            || call.parent().filter(|p| p.kind() == "call_expression" && self.lambda_applied(*p) == Some(call));
        own.or_else(|| applied().and_then(|p| child(p, "annotated_lambda"))).and_then(|a| child(a, "lambda_literal"))
    }

    /// The method a call names (`x.create(..)` → `create`, `OpenAI(..)` → `OpenAI`) and the
    /// receiver, if any.
    fn method_of(&self, call: Node<'t>) -> Option<(Option<Node<'t>>, &'t str)> {
        let call = self.lambda_applied(call).unwrap_or(call);
        let callee = call.named_child(0)?;
        match callee.kind() {
            "identifier" => Some((None, self.text(callee))),
            "navigation_expression" => {
                let kids = named_children(callee);
                match kids.as_slice() {
                    [o, n] if n.kind() == "identifier" => Some((Some(*o), self.text(*n))),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The calls of a builder chain ending at `node` (`X.builder().a(1).b(2).build()`,
    /// `OpenAIClientBuilder().endpoint(e).buildClient()`), root first.
    fn builder_chain(&self, node: Node<'t>) -> Option<Vec<Node<'t>>> {
        let (Some(mut cur), name) = self.method_of(node)? else { return None };
        if !jvm::is_build(name) {
            return None;
        }
        let mut chain = Vec::new();
        for _ in 0..64 {
            if cur.kind() != "call_expression" {
                return None;
            }
            chain.push(cur);
            let (object, name) = self.method_of(cur)?;
            if jvm::is_builder_root(name) {
                chain.reverse();
                return Some(chain);
            }
            cur = object?;
        }
        None
    }

    /// The calls from `start` down its receivers to the deepest builder root
    /// (`Request.Builder().url(u).header(..)`, a builder not built yet), root first.
    fn chain_from(&self, start: Node<'t>) -> Option<Vec<Node<'t>>> {
        let mut chain = Vec::new();
        let mut root = None;
        let mut cur = Some(start);
        for _ in 0..64 {
            let Some(c) = cur.filter(|c| c.kind() == "call_expression") else { break };
            let (object, name) = self.method_of(c)?;
            chain.push(c);
            if jvm::is_builder_root(name) {
                root = Some(chain.len());
            }
            cur = object;
        }
        chain.truncate(root?);
        chain.reverse();
        Some(chain)
    }

    /// The URL a request object or URI is made from (rules/http.toml `[[request_object]]`,
    /// [`jvm::request_url`]): `URI(url)`, `URI.create(url)`, `HttpPost(url)`,
    /// `Request.Builder().url(url).build()`, `HttpRequest.newBuilder().uri(URI.create(u)).build()`
    /// (the wrappers unwrapped here, a few deep), so that `client.newCall(request)` is a
    /// request to it, as in Java.
    fn request_target(&self, v: Node<'t>) -> Option<Vec<Node<'t>>> {
        jvm::unwrapped_request(v, |n| self.request_target_once(n))
    }

    fn request_target_once(&self, v: Node<'t>) -> Option<Vec<Node<'t>>> {
        if v.kind() != "call_expression" {
            return None;
        }
        let args = |call: Node<'t>| -> Vec<Node<'t>> {
            self.call_arg_nodes(call).into_iter().filter(|(k, _)| k.is_none()).map(|(_, a)| a).collect()
        };
        let written = |call: Node<'t>| call.named_child(0).map(|c| self.text(c));
        let chain = self.builder_chain(v).or_else(|| self.chain_from(v));
        let Some(chain) = chain else { return jvm::request_url(self.rules, written(v)?, &args(v), None) };
        let root = *chain.first()?;
        let setters: Vec<(&'t str, Vec<Node<'t>>)> =
            chain[1..].iter().filter_map(|c| Some((self.method_of(*c)?.1, args(*c)))).collect();
        jvm::request_url(self.rules, written(root)?, &args(root), Some(&setters))
    }

    /// The arguments of a `value_arguments` list: name (for `name = value`) and value.
    fn value_args(&self, args: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        named_children(args)
            .into_iter()
            .filter(|a| a.kind() == "value_argument")
            .filter_map(|a| {
                let kids: Vec<Node<'t>> = named_children(a).into_iter().filter(|k| !is_comment(*k)).collect();
                match kids.as_slice() {
                    [n, v] if n.kind() == "identifier" => Some((Some(self.text(*n)), *v)),
                    [.., v] => Some((None, *v)),
                    [] => None,
                }
            })
            .collect()
    }

    /// The statements of a call's trailing lambda, a type-safe builder (`HttpClient {
    /// defaultRequest { url(u) } }`, `OpenAI(config) { baseUrl = u }`), as keywords named by
    /// their place in it: a one-argument call inside a nested block (`defaultRequest.url` = u)
    /// and an assignment (`baseUrl` = u). At most [`MAX_DSL_STATEMENTS`] statements are read.
    fn dsl_keywords(&self, call: Node<'t>, ctx: &Ctx, depth: u32, out: &mut CallArgs) {
        let lambda = |c: Node<'t>| child(c, "annotated_lambda").and_then(|a| child(a, "lambda_literal"));
        let Some(first) = self.trailing_lambda(call) else { return };
        let mut todo = vec![(first, String::new(), ctx.enter(first.id()))];
        let mut left = MAX_DSL_STATEMENTS;
        while let Some((block, prefix, inner)) = todo.pop() {
            for s in named_children(block) {
                if left == 0 {
                    return;
                }
                left -= 1;
                match s.kind() {
                    "call_expression" => {
                        let Some((None, name)) = self.method_of(s) else { continue };
                        let args = self.call_arg_nodes(s);
                        match (lambda(s), args.as_slice()) {
                            (Some(b), []) => todo.push((b, format!("{prefix}{name}."), inner.enter(b.id()))),
                            (None, [(_, a)]) if !prefix.is_empty() => {
                                let v = self.arg_value(*a, &inner, depth + 1, false);
                                out.keywords.push((format!("{prefix}{name}"), v));
                            }
                            _ => {}
                        }
                    }
                    "assignment" => {
                        let op = s.field("operator").map(|o| self.text(o));
                        if let (Some("="), Some(l), Some(r)) = (op, s.field("left"), s.field("right")) {
                            if l.kind() == "identifier" {
                                let v = self.arg_value(r, &inner, depth + 1, false);
                                out.keywords.push((format!("{prefix}{}", self.text(l)), v));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn call_arg_nodes(&self, call: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        child(call, "value_arguments").map(|a| self.value_args(a)).unwrap_or_default()
    }

    // ---------------------------------------------------------------- pass 2: findings

    fn visit(&mut self, node: Node<'t>, ctx: &Ctx, served: Option<&str>, out: &mut FileOutput) {
        let mut served = served.map(str::to_string);
        let mut inner = None;
        match node.kind() {
            "import" => {
                if let Some(name) = child(node, "qualified_identifier") {
                    jvm::import_finding(self, node, self.text(name), out);
                }
                return;
            }
            "package_header" | "line_comment" | "block_comment" => return,
            "call_expression" => {
                if let Some(chain) = self.builder_chain(node) {
                    self.folded.extend(chain.iter().map(|n| n.id()));
                }
                // `f(x)` of `f(x) { .. }` is the call the whole is ([`Self::lambda_applied`]).
                let applied = node.parent().is_some_and(|p| self.lambda_applied(p) == Some(node));
                // A request object or URI (`Request.Builder().url(u).build()`) sends nothing:
                // the call that sends it is the request.
                if !self.folded.contains(&node.id()) && !applied && self.request_target(node).is_none() {
                    if let Some(s) = self.call_findings(node, ctx, out) {
                        served = Some(s);
                    }
                }
                if let Some(name) = self.env_read(node, ctx, 0) {
                    if let Some(e) = super::emit::env(self.rules, &name) {
                        self.emit(out, node, e);
                    }
                }
            }
            "string_literal" | "multiline_string_literal" => {
                self.string_findings(node, served.as_deref(), out);
                // A template's `${...}` holes are code: `"Bearer ${System.getenv("KEY")}"` reads a key.
                for hole in common::children_of_kind(node, "interpolation") {
                    self.visit(hole, ctx, served.as_deref(), out);
                }
                return;
            }
            "class_declaration" | "object_declaration" => {
                self.export_ai_service(node, out);
                if let Some(n) = node.child_by_field_name("name") {
                    jvm::export_class_members(self, self.text(n), node.id(), out);
                }
                let mut c = ctx.enter(node.id());
                c.class = Some(node.id());
                c.self_name = None;
                inner = Some(c);
            }
            "function_declaration" => {
                self.export_bean(node, out);
                inner = Some(ctx.enter(node.id()))
            }
            "lambda_literal" | "anonymous_function" => inner = Some(ctx.enter(node.id())),
            _ => {}
        }
        let ctx = inner.as_ref().unwrap_or(ctx);
        for c in named_children(node) {
            self.visit(c, ctx, served.as_deref(), out);
        }
    }

    /// Whether a bare `name` read at `pos` is a property of the enclosing class: no scope
    /// binds it, the class declares it.
    fn implicit_member(&self, name: &str, ctx: &Ctx, pos: usize) -> bool {
        let declares = ctx.class.and_then(|c| self.sym.classes.get(&c)).is_some_and(|i| i.attrs.contains_key(name));
        declares && self.sym.lookup(name, ctx, pos).is_empty()
    }

    /// The annotation `name` of a declaration (`@Bean`, `@AiService(...)`), if it has one.
    fn annotation_named(&self, decl: Node<'t>, name: &str) -> Option<Node<'t>> {
        let modifiers = child(decl, "modifiers")?;
        named_children(modifiers).into_iter().filter(|a| a.kind() == "annotation").find(|a| {
            let t =
                a.named_child(0).map(|t| if t.kind() == "constructor_invocation" { t.named_child(0) } else { Some(t) });
            t.flatten().is_some_and(|t| {
                let t = self.text(t);
                t == name || t.rsplit('.').next() == Some(name)
            })
        })
    }

    /// `@Bean fun chatModel(): ChatModel = ...` ([`jvm::export_bean`]).
    fn export_bean(&self, method: Node<'t>, out: &mut FileOutput) {
        if self.annotation_named(method, "Bean").is_none() {
            return;
        }
        let Some(t) = named_children(method).into_iter().find(|k| is_type(*k)) else { return };
        let t = if t.kind() == "nullable_type" { t.named_child(0).unwrap_or(t) } else { t };
        let written = self.type_name(t);
        let name = method.field("name").map_or("", |n| self.text(n));
        jvm::export_bean(self, &written, name, method, out);
    }

    /// `@AiService interface Assistant` ([`jvm::export_ai_service`]).
    fn export_ai_service(&self, node: Node<'t>, out: &mut FileOutput) {
        let mut cursor = node.walk();
        let interface = node.children(&mut cursor).any(|k| k.kind() == "interface");
        let (Some(name), true) = (node.field("name"), interface) else { return };
        if let Some(a) = self.annotation_named(node, "AiService") {
            jvm::export_ai_service(self, self.text(name), self.text(a), out);
        }
    }

    /// A `user_type`'s name without type arguments: `ChatClient.Builder`, `a.b.C`.
    fn type_name(&self, t: Node<'t>) -> String {
        let parts: Vec<&str> =
            named_children(t).into_iter().filter(|k| k.kind() == "identifier").map(|k| self.text(k)).collect();
        parts.join(".")
    }

    fn string_findings(&self, node: Node<'t>, served: Option<&str>, out: &mut FileOutput) {
        // Annotation values (`@Value("\${spring.ai.openai.api-key}")`) are configuration keys.
        let mut up = node.parent();
        for _ in 0..4 {
            match up {
                Some(p) if p.kind() == "annotation" => return,
                Some(p) => up = p.parent(),
                None => break,
            }
        }
        let Some(content) = self.string_lit(node) else { return };
        jvm::literal(self, node, &content, self.given_to(node), served, out);
    }

    /// The parameter, method, variable or property a literal is given to (`modelName =
    /// "gemini-pro"`, `.model("gpt-4o")`, `val MODEL = "..."`).
    fn given_to(&self, node: Node<'t>) -> Option<&'t str> {
        let parent = node.parent()?;
        match parent.kind() {
            "value_argument" => {
                let kids = named_children(parent);
                match kids.as_slice() {
                    [n, _] if n.kind() == "identifier" => Some(self.text(*n)),
                    _ => {
                        let call = parent.parent()?.parent()?;
                        self.method_of(call).map(|(_, m)| m)
                    }
                }
            }
            "property_declaration" => self.property(parent).map(|(n, ..)| n),
            "assignment" => parent.field("left").map(|l| self.text(l)),
            _ => None,
        }
    }
}

/// The values of an `if` with an `else` (a block's last expression): its two branches.
fn branches(node: Node<'_>) -> Option<Vec<Node<'_>>> {
    let branches: Vec<Node<'_>> = named_children(node)
        .into_iter()
        .filter(|k| Some(*k) != node.field("condition"))
        .filter_map(|k| if k.kind() == "block" { last_expression(k) } else { Some(k) })
        .collect();
    (branches.len() == 2).then_some(branches)
}

/// A lambda's last expression (its value).
fn last_expression(lambda: Node<'_>) -> Option<Node<'_>> {
    let kids = named_children(lambda);
    kids.into_iter().rev().find(|k| !is_comment(*k) && k.kind() != "lambda_parameters")
}

/// The parts of a Kotlin string: text, and a hole for each `$name` and `${expr}`.
fn template<'t>(node: Node<'t>, src: &str) -> Vec<Piece<'t>> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut dollar = false;
    for c in named_children(node) {
        let t = &src[c.byte_range()];
        match c.kind() {
            "string_content" if t == "$" => dollar = true,
            "string_content" => {
                let mut t = t;
                if std::mem::take(&mut dollar) {
                    let end = t.find(|ch: char| !(ch.is_alphanumeric() || ch == '_')).unwrap_or(t.len());
                    if end == 0 {
                        text.push('$');
                    } else {
                        parts.push(Piece::Text(std::mem::take(&mut text)));
                        parts.push(Piece::Name(t[..end].to_string(), c.start_byte()));
                        t = &t[end..];
                    }
                }
                text.push_str(t);
            }
            "escape_sequence" => text.push_str(match t {
                "\\n" => "\n",
                "\\t" => "\t",
                "\\\"" => "\"",
                "\\\\" => "\\",
                "\\$" => "$",
                other => other,
            }),
            "interpolation" => {
                parts.push(Piece::Text(std::mem::take(&mut text)));
                parts.push(Piece::Hole(c.named_child(0)));
            }
            _ => {}
        }
    }
    if dollar {
        text.push('$');
    }
    parts.push(Piece::Text(text));
    parts
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

    fn shape(&self, node: Node<'t>, _ctx: &Ctx) -> Shape<'t> {
        let inner = |n: Option<Node<'t>>| n.map_or(Shape::Unknown, Shape::Inner);
        match node.kind() {
            "identifier" => Shape::Name(self.text(node)),
            "this_expression" => Shape::This,
            "super_expression" => Shape::Super,
            "navigation_expression" => match named_children(node).as_slice() {
                [o, n] if n.kind() == "identifier" => Shape::Member(*o, self.text(*n)),
                _ => Shape::Unknown,
            },
            "call_expression" => {
                // `OpenAI(k).apply { ... }` is the receiver.
                if let Some((Some(o), m)) = self.method_of(node) {
                    if RECEIVER_SCOPE.contains(&m) && child(node, "value_arguments").is_none() {
                        return Shape::Inner(o);
                    }
                }
                match self.call_of(node) {
                    Some((callee, args)) => Shape::Call { callee, args, new: false, chain: Vec::new() },
                    None => Shape::Unknown,
                }
            }
            "parenthesized_expression" | "annotated_lambda" => inner(node.named_child(0)),
            "as_expression" => inner(node.field("left")),
            "binary_expression" if node.field("operator").is_some_and(|o| self.text(o) == "?:") => {
                match (node.field("left"), node.field("right")) {
                    (Some(a), Some(b)) => Shape::Either(vec![a, b]),
                    _ => Shape::Unknown,
                }
            }
            "if_expression" => branches(node).map_or(Shape::Unknown, Shape::Either),
            "lambda_literal" => Shape::Function(node),
            _ => Shape::Unknown,
        }
    }

    fn text_shape(&self, v: Node<'t>, ctx: &Ctx) -> Text<'t> {
        match self.request_target(v).as_deref() {
            Some([url]) => return Text::Inner(*url),
            Some(_) => return Text::Unknown,
            None => {}
        }
        match v.kind() {
            "string_literal" | "multiline_string_literal" => match self.string_lit(v) {
                Some(s) => Text::Lit(s),
                None => Text::Unknown,
            },
            "parenthesized_expression" => v.named_child(0).map_or(Text::Unknown, Text::Inner),
            // `if (base.endsWith("/")) "${base}chat" else "$base/chat"`.
            "if_expression" => match branches(v).as_deref() {
                Some([a, b]) => Text::Either(*a, *b),
                _ => Text::Unknown,
            },
            "binary_expression" => {
                let op = v.field("operator").map(|o| self.text(o));
                match (op, v.field("left"), v.field("right")) {
                    (Some("+"), Some(l), Some(r)) => Text::Concat(l, r),
                    // `System.getenv("X") ?: "http://..."`
                    (Some("?:"), Some(_), Some(r)) => Text::Fallback(r),
                    _ => Text::Unknown,
                }
            }
            // A property of the enclosing class read without `this` (`url(baseUrl)`,
            // `post(CHAT_PATH)` of a companion object).
            "identifier" if self.implicit_member(self.text(v), ctx, v.start_byte()) => Text::Field(self.text(v)),
            "identifier" => Text::Name(self.text(v), v.start_byte()),
            "navigation_expression" => match named_children(v).as_slice() {
                [o, f] if o.kind() == "this_expression" => Text::Field(self.text(*f)),
                // `settings.baseUrl`, `ModelConstants.OPENAI_API_URL`.
                [o, f] if f.kind() == "identifier" => Text::Member(*o, self.text(*f).to_string()),
                _ => Text::Unknown,
            },
            "call_expression" => {
                let args: Vec<Node<'t>> = self.call_arg_nodes(v).into_iter().map(|(_, a)| a).collect();
                let method = self.method_of(v).map(|(_, m)| m);
                method.and_then(|m| jvm::fallback_arg(m, &args)).map_or(Text::Unknown, Text::Fallback)
            }
            _ => Text::Unknown,
        }
    }

    fn pieces(&self, v: Node<'t>) -> Pieces<'t> {
        match self.request_target(v) {
            Some(url) if url.len() == 1 => return Pieces::Inner(url[0]),
            Some(parts) => return Pieces::Join(parts),
            None => {}
        }
        match v.kind() {
            "string_literal" | "multiline_string_literal" => Pieces::Parts(template(v, self.src)),
            "binary_expression" if v.field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (v.field("left"), v.field("right")) {
                    (Some(l), Some(r)) => Pieces::Plus(l, r),
                    _ => Pieces::Unknown,
                }
            }
            "parenthesized_expression" => v.named_child(0).map_or(Pieces::Unknown, Pieces::Inner),
            "if_expression" => branches(v).map_or(Pieces::Unknown, Pieces::Branches),
            "identifier" => Pieces::Name(self.text(v), v.start_byte()),
            // A local helper (`endpoint("chat")`) may build the URL.
            "call_expression" => match v.named_child(0) {
                Some(f) if f.kind() == "identifier" => Pieces::Call(f, child(v, "value_arguments")),
                _ => Pieces::Unknown,
            },
            _ => Pieces::Unknown,
        }
    }

    fn params(&self, def: Node<'t>) -> Vec<&'t str> {
        let list = match def.kind() {
            "lambda_literal" => child(def, "lambda_parameters"),
            _ => child(def, "function_value_parameters"),
        };
        let Some(list) = list else { return Vec::new() };
        named_children(list)
            .into_iter()
            .filter_map(|p| match p.kind() {
                "parameter" => child(p, "identifier"),
                "variable_declaration" => child(p, "identifier"),
                _ => None,
            })
            .map(|n| self.text(n))
            .collect()
    }

    fn arg_nodes(&self, args: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        self.value_args(args)
    }

    /// A string with no `$name` or `${expr}` in it.
    fn string_lit(&self, n: Node<'t>) -> Option<String> {
        if !matches!(n.kind(), "string_literal" | "multiline_string_literal") {
            return None;
        }
        match template(n, self.src).as_slice() {
            [Piece::Text(t)] => Some(t.clone()),
            _ => None,
        }
    }

    /// `OpenAIClient`, `com.openai.client.OpenAIClient`, `ChatClient.Builder`, `T?`: an instance.
    fn annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.sym.budget.step(depth) {
            return None;
        }
        match t.kind() {
            "nullable_type" => self.annotation(t.named_child(0)?, ctx, depth + 1),
            "user_type" => {
                let names: Vec<Node<'t>> = named_children(t).into_iter().filter(|k| k.kind() == "identifier").collect();
                let (first, rest) = names.split_first()?;
                let resolved = match self.resolve(*first, ctx, depth + 1) {
                    Some(Val::Path(p)) => Some(Val::Path(rest.iter().fold(p, |p, n| p.member(self.text(*n))))),
                    v if rest.is_empty() => v,
                    _ => None,
                };
                jvm::declared(self, &self.type_name(t), resolved, ctx.class)
            }
            _ => None,
        }
    }

    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, callee: &Path) -> CallArgs {
        let chain = args.parent().and_then(|call| self.builder_chain(call)).map(|chain| {
            let setters = chain[1..]
                .iter()
                .filter_map(|c| {
                    let (_, name) = self.method_of(*c)?;
                    Some((name, self.call_arg_nodes(*c).first().map(|(_, a)| *a)))
                })
                .collect();
            jvm::Chain { root: chain.first().map(|r| self.call_arg_nodes(*r)).unwrap_or_default(), setters }
        });
        let mut out = jvm::call_args(self, chain, self.value_args(args), ctx, depth, callee);
        if let Some(call) = args.parent() {
            self.dsl_keywords(call, ctx, depth, &mut out);
        }
        out
    }

    /// `System.getenv("X")`.
    fn env_read(&self, n: Node<'t>, _ctx: &Ctx, _depth: u32) -> Option<String> {
        if n.kind() != "call_expression" {
            return None;
        }
        let (object, name) = self.method_of(n)?;
        if !jvm::is_getenv(object.map(|o| self.text(o)), name) {
            return None;
        }
        let (_, key) = self.call_arg_nodes(n).into_iter().next()?;
        self.string_lit(key)
    }

    fn module_root(&self, spec: &str) -> Path {
        Path(spec.split('.').map(|s| Seg { name: s.trim().trim_matches('`').to_string(), call: None }).collect())
    }

    fn is_getter(&self, _method: Node<'t>) -> bool {
        false
    }

    /// A property of the class read without `this` (`"$apiUrl/chat"`), unless a local or
    /// parameter of that name hides it.
    fn implicit_field(&self, name: &str, at: Node<'t>, ctx: &Ctx) -> bool {
        self.implicit_member(name, ctx, at.start_byte())
    }

    /// `x()` of an object calls its `operator fun invoke`.
    fn call_operator(&self) -> Option<&'static str> {
        Some("invoke")
    }

    fn module_paths(&self, path: &Path) -> Vec<Path> {
        jvm::module_paths(self, path)
    }

    fn unbound(&self, name: &str, ctx: &Ctx) -> Option<Val<'t>> {
        jvm::unbound(self, &self.wildcards, name, ctx)
    }

    fn first_arg(&self, args: Node<'t>) -> Option<Node<'t>> {
        self.value_args(args).into_iter().next().map(|(_, a)| a)
    }

    fn call_parts(&self, call: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        self.call_of(call)
    }

    /// A call on a receiver nothing in the file resolves ([`jvm::inferred_call`]).
    fn inferred_call(&mut self, node: Node<'t>, _f: Node<'t>, out: &mut FileOutput) -> Option<String> {
        let (mut cur, method) = self.method_of(node)?;
        let mut names: Vec<&'t str> = vec![method];
        let mut base = "";
        for _ in 0..64 {
            let Some(c) = cur else { break };
            match c.kind() {
                "call_expression" => {
                    let (o, m) = self.method_of(c)?;
                    names.push(m);
                    cur = o;
                }
                "navigation_expression" => match named_children(c).as_slice() {
                    [o, n] => {
                        names.push(self.text(*n));
                        cur = Some(*o);
                    }
                    _ => return None,
                },
                "identifier" => {
                    base = self.text(c);
                    break;
                }
                _ => break,
            }
        }
        // A call without a receiver (`helper(x)`) is a local function.
        cur?;
        names.reverse();
        let args = child(node, "value_arguments").map_or("", |a| self.text(a));
        jvm::inferred_call(self, node, &names, base, args, out)
    }
}
