//! Java detection with tree-sitter-java: a lowering onto the shared resolver ([`super::resolve`]).
//! Pass 1 (`collect`) records imports (a path of the dotted name's segments; static imports
//! bind the member, wildcard imports answer names nothing binds), classes with their fields
//! (typed, initialised, or assigned in a constructor: `this.client = ...`, or a bare field
//! name), methods with their returns and return types, typed parameters (Spring constructor
//! injection and `@Autowired` fields are typed fields), local variables (`var` included) and
//! lambdas. Pass 2 (`visit`) hands every call, import, environment read and string literal
//! to the shared resolution. A builder chain (`OpenAIOkHttpClient.builder().baseUrl(u)
//! .build()`, `new OpenAIClientBuilder().endpoint(e).buildClient()`) is lowered as one call of
//! the builder's root whose setters are keyword arguments (`baseUrl=u`), so rules name the
//! root (`...OpenAIOkHttpClient.builder`) and the setter that carries the base URL.

use super::emit;
use super::http;
use super::lower;
use super::params;
use super::path::{CallArgs, Path, Seg};
use super::resolve::{Bind, Callers, Core, Ctx, Front, FuncInfo, Piece, Pieces, Shape, Style, Symbols, Text, Val};
use super::{common, FileOutput, LineIndex, LocalModules, ModuleStrings};
use crate::detect::field::Field;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use tree_sitter::{Node, Parser, Tree};

use super::jvm::{self, LANG};

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_java::LANGUAGE.into()).expect("tree-sitter-java matches the tree-sitter ABI");
        p
    });
}

/// How a file too large to parse is read (`common::scan_text`).
const JAVA_TEXT: common::TextSyntax = common::TextSyntax { comment: "//", quotes: b"\"", env_calls: &["getenv("] };

/// Detects everything in one Java source.
pub fn detect(src: &str, rules: &RuleSet, locals: &LocalModules, out: &mut FileOutput) {
    let parse = |s: &str| PARSER.with(|p| p.borrow_mut().parse(s, None));
    if let Some(tree) = common::parse_or_scan(src, rules, &JAVA_TEXT, parse, out) {
        detect_tree(&tree, src, rules, locals, out);
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
        fields: HashMap::new(),
        folded: HashSet::new(),
        callers: Callers::default(),
        package: "",
        config_prefixes: HashMap::new(),
    }
}

fn passes<'t>() -> lower::Passes<'t, Analyzer<'t>> {
    lower::Passes::new(&JAVA_TEXT, Analyzer::collect, Analyzer::visit)
        .callers(|a| std::mem::take(&mut a.callers))
        .url_names()
}

/// The strings one Java file binds for the tree's other files ([`LocalModules::module_string`]):
/// its classes' constants and field initialisers, nested classes' too
/// (`Constants.BASE_URL`, `Providers.OpenAi.URL`); the file is the module of its public
/// class ([`jvm::module_paths`]). `None` when it cannot be parsed within budget.
pub fn module_strings(src: &str, rules: &RuleSet, locals: &LocalModules) -> Option<ModuleStrings> {
    let tree = jvm::parse_for_strings(src, |s| PARSER.with(|p| p.borrow_mut().parse(s, None)))?;
    let root = tree.root_node();
    let mut a = analyzer(src, rules, locals, root);
    a.core.level = 0;
    lower::bind(&mut a, root, &Ctx::module(root.id()), &passes());
    Some(a.module_strings())
}

struct Analyzer<'t> {
    /// Source, rules and the symbol table ([`super::resolve::Core`]).
    core: Core<'t>,
    /// Packages and classes imported with `.*`: names nothing binds are looked up there.
    wildcards: Vec<Path>,
    /// The fields each class declares, by class id: a bare name in a method may be one.
    fields: HashMap<usize, HashSet<&'t str>>,
    /// Calls inside a builder chain (the root and its setters): the chain's `build()` is
    /// the one call site.
    folded: HashSet<usize>,
    /// The file's methods by name and their calls (`ask(model, q)`, `this.ask(model, q)`):
    /// [`resolve::bind_callers`] gives a `ChatModel` parameter the model its callers pass.
    callers: Callers<'t>,
    /// The file's package (`dev.langchain4j.model.mistralai`): its classes' qualified names.
    package: &'t str,
    /// The classes annotated `@ConfigurationProperties(prefix = "deepseek")`, with their prefix:
    /// Spring binds each field from the key under it ([`Front::settings_env`]).
    config_prefixes: HashMap<usize, String>,
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

impl<'t> Analyzer<'t> {
    // ---------------------------------------------------------------- pass 1: bindings

    fn collect(&mut self, node: Node<'t>, ctx: &Ctx) {
        match node.kind() {
            "import_declaration" => return self.collect_import(node, ctx),
            "package_declaration" => {
                let mut cursor = node.walk();
                let name =
                    node.named_children(&mut cursor).find(|k| matches!(k.kind(), "scoped_identifier" | "identifier"));
                if let Some(n) = name {
                    self.package = self.core.text_at(n);
                }
                return;
            }
            "class_declaration" | "interface_declaration" | "enum_declaration" | "record_declaration" => {
                return self.collect_class(node, ctx)
            }
            "method_declaration"
            | "constructor_declaration"
            | "compact_constructor_declaration"
            | "lambda_expression" => return self.collect_function(node, ctx),
            // `try (CloseableHttpClient client = HttpClients.createDefault()) { .. }`
            "resource" => self.bind_declarator(node, node.field("type"), ctx),
            "local_variable_declaration" => {
                let t = node.field("type");
                for d in self.declarators(node) {
                    self.bind_declarator(d, t, ctx);
                }
            }
            // `model instanceof StreamingChatModel streaming`: the pattern's name is the tested value.
            "instanceof_expression" => {
                if let (Some(n), Some(left)) = (node.child_by_field_name("name"), node.child_by_field_name("left")) {
                    self.core.sym.bind(ctx, self.core.text_at(n), n.start_byte(), Bind::Expr(left, ctx.clone()));
                }
            }
            "enhanced_for_statement" => {
                if let (Some(n), Some(t)) = (node.field("name"), node.field("type")) {
                    self.core.sym.bind(ctx, self.core.text_at(n), n.start_byte(), Bind::Annot(t, ctx.clone()));
                }
            }
            "assignment_expression" => {
                let op = node.field("operator").map(|o| self.text(o));
                if let (Some("="), Some(l), Some(r)) = (op, node.field("left"), node.field("right")) {
                    self.bind_assignment(l, r, ctx);
                }
            }
            "method_invocation" if node.field("object").is_none_or(|o| o.kind() == "this") => {
                if let (Some(name), Some(args)) = (node.field("name"), node.field("arguments")) {
                    self.callers.call(self.core.text_at(name), args, ctx);
                }
            }
            "return_statement" => {
                if let (Some(value), Some(f)) = (node.named_child(0), self.core.sym.funcs.get_mut(&ctx.scope())) {
                    f.returns.push((value, ctx.clone()));
                }
            }
            _ => {}
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.collect(child, ctx);
        }
    }

    /// `import a.b.C;` binds `C`; `import static a.b.C.m;` binds `m`; `import a.b.*;` and
    /// `import static a.b.C.*;` are searched for names nothing binds.
    fn collect_import(&mut self, node: Node<'t>, ctx: &Ctx) {
        let mut cursor = node.walk();
        let kids: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        let Some(name) = kids.iter().find(|k| matches!(k.kind(), "scoped_identifier" | "identifier")) else { return };
        let path = self.module_root(self.text(*name));
        if kids.iter().any(|k| k.kind() == "asterisk") {
            self.wildcards.push(path);
            return;
        }
        let last = path.0.last().map(|s| s.name.clone()).unwrap_or_default();
        self.sym.bind(ctx, &last, 0, Bind::Import(path));
    }

    fn declarators(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut cursor = node.walk();
        let v: Vec<Node<'t>> = node.children_by_field_name("declarator", &mut cursor).collect();
        v
    }

    /// `T x = value;`: the value, and the declared type where the value says nothing.
    fn bind_declarator(&mut self, d: Node<'t>, t: Option<Node<'t>>, ctx: &Ctx) {
        let Some(n) = d.field("name") else { return };
        let name = self.core.text_at(n);
        let pos = d.start_byte();
        if let Some(t) = t.filter(|t| self.text(*t) != "var") {
            self.core.sym.bind(ctx, name, pos, Bind::Annot(t, ctx.clone()));
        }
        if let Some(v) = d.field("value") {
            self.core.sym.bind(ctx, name, pos + 1, Bind::Expr(v, ctx.clone()));
        }
    }

    /// `x = v`, `this.client = v`, and in a method `client = v` where `client` is a field.
    fn bind_assignment(&mut self, l: Node<'t>, r: Node<'t>, ctx: &Ctx) {
        let pos = l.start_byte();
        match l.kind() {
            "identifier" => {
                let name = self.core.text_at(l);
                self.core.sym.bind(ctx, name, pos, Bind::Expr(r, ctx.clone()));
                if let Some(class) = ctx.class.filter(|c| self.fields.get(c).is_some_and(|f| f.contains(name))) {
                    self.sym.bind_attr(class, name, pos, Bind::Expr(r, ctx.clone()));
                }
            }
            "field_access" => {
                let (Some(o), Some(f), Some(class)) = (l.field("object"), l.field("field"), ctx.class) else {
                    return;
                };
                if o.kind() == "this" {
                    let f = self.core.text_at(f);
                    self.sym.bind_attr(class, f, pos, Bind::Expr(r, ctx.clone()));
                }
            }
            _ => {}
        }
    }

    /// A class: its name, fields (typed at position 0, so an assignment says more), methods,
    /// base class and body.
    fn collect_class(&mut self, node: Node<'t>, ctx: &Ctx) {
        let id = node.id();
        if let Some(n) = node.field("name") {
            self.core.sym.bind(ctx, self.core.text_at(n), 0, Bind::Class(id));
        }
        self.sym.classes.entry(id).or_default();
        if let Some(prefix) = self.annotation_string(node, "ConfigurationProperties", &["prefix", "value"]) {
            self.config_prefixes.insert(id, prefix);
        }
        let mut inner = ctx.enter(id);
        inner.class = Some(id);
        inner.self_name = None;
        if let Some(base) = node.field("superclass").and_then(|s| s.named_child(0)) {
            self.sym.classes.entry(id).or_default().bases.push((base, ctx.clone()));
        }
        // `implements ChatModel, Closeable`: `super_interfaces` holds one `type_list`.
        if let Some(list) = node.field("interfaces").and_then(|s| s.named_child(0)) {
            let mut cursor = list.walk();
            let types: Vec<Node<'t>> = list.named_children(&mut cursor).collect();
            self.sym.classes.entry(id).or_default().interfaces.extend(types.into_iter().map(|t| (t, ctx.clone())));
        }
        // A record's components are its fields.
        if let Some(params) = node.field("parameters") {
            for (name, t) in self.formal(params) {
                self.fields.entry(id).or_default().insert(name);
                self.sym.bind_attr(id, name, 0, Bind::Annot(t, ctx.clone()));
            }
        }
        let Some(body) = node.field("body") else { return };
        let mut cursor = body.walk();
        let members: Vec<Node<'t>> = body.named_children(&mut cursor).collect();
        for m in &members {
            if m.kind() != "field_declaration" {
                continue;
            }
            let t = m.field("type");
            for d in self.declarators(*m) {
                let Some(n) = d.field("name") else { continue };
                let name = self.core.text_at(n);
                self.fields.entry(id).or_default().insert(name);
                if let Some(t) = t {
                    self.sym.bind_attr(id, name, 0, Bind::Annot(t, inner.clone()));
                }
                if let Some(v) = d.field("value") {
                    self.sym.bind_attr(id, name, v.start_byte(), Bind::Expr(v, inner.clone()));
                }
            }
        }
        for m in &members {
            if m.kind() == "constructor_declaration" {
                self.note_constructor(id, *m);
            }
        }
        for m in members {
            if m.kind() == "method_declaration" {
                if let Some(n) = m.field("name") {
                    let name = self.text(n).to_string();
                    self.sym.classes.entry(id).or_default().methods.insert(name, m);
                }
            }
            if m.kind() != "field_declaration" {
                self.collect(m, &inner);
            } else {
                // Lambdas and anonymous classes in initialisers.
                self.collect_children(m, &inner);
            }
        }
    }

    /// A constructor taking parameters is the class's `constructor`, whose parameters a
    /// call the instance makes is probed with ([`super::inherit::probed_call`]): the first
    /// one, or the one built from a builder (`Client(Builder builder)`).
    fn note_constructor(&mut self, class: usize, ctor: Node<'t>) {
        let Some(params) = ctor.field("parameters") else { return };
        let formal = self.formal(params);
        if formal.is_empty() {
            return;
        }
        let from_builder = self.builder_param(&formal);
        let info = self.sym.classes.entry(class).or_default();
        if from_builder || !info.methods.contains_key("constructor") {
            info.methods.insert("constructor".to_string(), ctor);
        }
    }

    /// Whether a parameter list is one builder (`Client(Builder builder)`,
    /// `JinaClient(JinaClientBuilder builder)`): its fields are what the builder was given.
    fn builder_param(&self, formal: &[(&'t str, Node<'t>)]) -> bool {
        // (The client's own builder first, then what is not its configuration:
        // `Client(Builder builder, OkHttpClient.Builder httpClientBuilder)`.)
        let Some((_, t)) = formal.first() else { return false };
        let written = self.text(*t).split('<').next().unwrap_or_default();
        jvm::is_builder_root(written.rsplit('.').next().unwrap_or(written))
    }

    /// The qualified name of a class as written at `n` (`MistralAiClient`, a base type):
    /// its import's, else this file's package's.
    fn qualified_class(&self, n: Node<'t>, ctx: &Ctx) -> Option<String> {
        let n = if n.kind() == "generic_type" { n.named_child(0)? } else { n };
        let written = self.text(n);
        if !written.rsplit('.').next()?.starts_with(|c: char| c.is_ascii_uppercase()) {
            return None;
        }
        // A class of this package comes before a wildcard import's (`import a.b.*;`).
        let here = format!("{}.{written}", self.package);
        if !written.contains('.') && !self.package.is_empty() && self.in_tree(&here) {
            return Some(here);
        }
        match self.resolve(n, ctx, 1) {
            Some(Val::Path(p)) => Some(p.dotted(p.0.len())),
            _ if written.contains('.') => Some(written.to_string()),
            _ if self.package.is_empty() => Some(written.to_string()),
            _ => Some(format!("{}.{written}", self.package)),
        }
    }

    /// Whether a qualified class name is a class of the scanned tree (`Name.java`, `Name.kt`).
    fn in_tree(&self, qualified: &str) -> bool {
        jvm::class_file(self.locals, qualified).is_some()
    }

    /// A builder chain of a class of the tree (`MistralAiClient.builder()...build()`, `new
    /// Client.Builder()...build()`), exported for the calls that class's instances make from
    /// what the builder holds ([`super::inherit::built_export`]).
    fn export_built(&self, node: Node<'t>, chain: &[Node<'t>], ctx: &Ctx, out: &mut FileOutput) {
        let Some(root) = chain.first() else { return };
        let (class, method) = match root.kind() {
            "method_invocation" => match (root.field("object"), root.field("name")) {
                (Some(o), Some(m)) if self.text(m) == "builder" => (o, "builder"),
                _ => return,
            },
            "object_creation_expression" => match root.field("type") {
                Some(t) if t.kind() == "scoped_type_identifier" && self.text(t).ends_with(".Builder") => {
                    match t.named_child(0) {
                        Some(o) => (o, "Builder"),
                        None => return,
                    }
                }
                _ => return,
            },
            _ => return,
        };
        let Some(q) = self.qualified_class(class, ctx).filter(|q| self.in_tree(q)) else { return };
        let callee = Path::from_dotted(&q).member(method);
        let Some(args) = node.field("arguments") else { return };
        let args = self.call_args(args, ctx, 0, &callee);
        if let Some(e) = callee.called(args).and_then(|p| super::inherit::built_export(&q, p)) {
            out.exports.push(e);
        }
    }

    fn collect_children(&mut self, node: Node<'t>, ctx: &Ctx) {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.collect(child, ctx);
        }
    }

    /// The typed parameters of a `formal_parameters` list: name and type.
    fn formal(&self, params: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
        let mut out = Vec::new();
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            match p.kind() {
                "formal_parameter" => {
                    if let (Some(n), Some(t)) = (p.field("name"), p.field("type")) {
                        out.push((self.text(n), t));
                    }
                }
                "spread_parameter" => {
                    let mut c = p.walk();
                    let kids: Vec<Node<'t>> = p.named_children(&mut c).collect();
                    let t = kids.iter().find(|k| !matches!(k.kind(), "modifiers" | "variable_declarator"));
                    let d = kids.iter().find(|k| k.kind() == "variable_declarator");
                    if let (Some(t), Some(n)) = (t, d.and_then(|d| d.field("name"))) {
                        out.push((self.text(n), *t));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn collect_function(&mut self, node: Node<'t>, ctx: &Ctx) {
        let inner = ctx.enter(node.id());
        if let Some(name) = node.field("name").filter(|_| node.kind() == "method_declaration") {
            self.callers.def(self.core.text_at(name), node);
        }
        let annotation = node.field("type").map(|t| (t, ctx.clone()));
        self.sym.funcs.insert(node.id(), FuncInfo { returns: Vec::new(), annotation, class: ctx.class });
        if let Some(params) = node.field("parameters") {
            if params.kind() == "formal_parameters" {
                for (name, t) in self.formal(params) {
                    self.core.sym.bind(&inner, name, 0, Bind::Annot(t, ctx.clone()));
                }
            }
        }
        if let Some(body) = node.field("body") {
            if node.kind() == "lambda_expression" && body.kind() != "block" {
                if let Some(f) = self.sym.funcs.get_mut(&node.id()) {
                    f.returns.push((body, inner.clone()));
                }
            }
            self.collect(body, &inner);
        }
    }

    // ---------------------------------------------------------------- builder chains

    /// The calls of a builder chain ending at `node` (`X.builder().a(1).b(2).build()`), root
    /// first, when `node` is a `build*()` call over a chain that starts at `X.builder(...)` or
    /// at `new XBuilder(...)`.
    fn builder_chain(&self, node: Node<'t>) -> Option<Vec<Node<'t>>> {
        if node.kind() != "method_invocation" || !jvm::is_build(self.text(node.field("name")?)) {
            return None;
        }
        self.chain_from(node.field("object")?)
    }

    /// The calls from `start` down to its chain's root, root first: the deepest
    /// `X.builder()`, `newBuilder()` or `new XBuilder()` (a setter named like one,
    /// `.httpClientBuilder(b)`, is no root when one lies below it).
    fn chain_from(&self, start: Node<'t>) -> Option<Vec<Node<'t>>> {
        let mut chain = Vec::new();
        let mut root = None;
        let mut cur = start;
        for _ in 0..64 {
            chain.push(cur);
            match cur.kind() {
                "method_invocation" => {
                    if jvm::is_builder_root(self.text(cur.field("name")?)) {
                        root = Some(chain.len());
                    }
                    match cur.field("object") {
                        Some(o) if matches!(o.kind(), "method_invocation" | "object_creation_expression") => cur = o,
                        _ => break,
                    }
                }
                "object_creation_expression" => {
                    let t = self.text(cur.field("type")?);
                    if jvm::is_builder_root(t.split('<').next().unwrap_or(t)) {
                        root = Some(chain.len());
                    }
                    break;
                }
                _ => break,
            }
        }
        chain.truncate(root?);
        chain.reverse();
        Some(chain)
    }

    /// A request builder held in a local and built later (`var builder =
    /// HttpRequest.builder().url(url); ...; return builder.build();`): the chain the local was
    /// declared with, read for the request's URL ([`Self::request_target`]).
    fn local_builder_chain(&self, node: Node<'t>) -> Option<Vec<Node<'t>>> {
        if node.kind() != "method_invocation" || !jvm::is_build(self.text(node.field("name")?)) {
            return None;
        }
        // The setters called on the local here (`builder.body(json).build()`), outermost first.
        let mut upper = Vec::new();
        let mut local = node.field("object")?;
        for _ in 0..64 {
            if local.kind() != "method_invocation" {
                break;
            }
            upper.push(local);
            local = local.field("object")?;
        }
        if local.kind() != "identifier" {
            return None;
        }
        let name = self.text(local);
        // The declaration before the use, in a block around it (syntax only).
        let mut up = node.parent();
        for _ in 0..64 {
            let block = up?;
            if block.kind() == "block" {
                let mut cursor = block.walk();
                let found = block
                    .named_children(&mut cursor)
                    .filter(|st| st.kind() == "local_variable_declaration" && st.end_byte() <= node.start_byte())
                    .flat_map(|st| self.declarators(st))
                    .filter(|d| d.field("name").is_some_and(|n| self.text(n) == name))
                    .last();
                if let Some(d) = found {
                    let mut chain = self.chain_from(d.field("value")?)?;
                    chain.extend(upper.into_iter().rev());
                    return Some(chain);
                }
            }
            if matches!(block.kind(), "method_declaration" | "constructor_declaration" | "lambda_expression") {
                return None;
            }
            up = block.parent();
        }
        None
    }

    /// A call node's callee, argument list and whether it is a `new`: a builder chain's
    /// `build()` is a call of its root, with the chain's setters as keywords ([`Self::call_args`]).
    fn call_of(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>, bool)> {
        let root = self.builder_chain(node).and_then(|c| c.first().copied());
        let args = node.field("arguments");
        match (node.kind(), root) {
            (_, Some(r)) if r.kind() == "object_creation_expression" => Some((r.field("type")?, args, true)),
            (_, Some(r)) => Some((r.field("name")?, args, false)),
            ("method_invocation", None) => Some((node.field("name")?, args, false)),
            ("object_creation_expression", None) => Some((node.field("type")?, args, true)),
            _ => None,
        }
    }

    /// The URL a request object or URI is made from (rules/http.toml `[[request_object]]`,
    /// [`http::request_object`]): `new HttpPost(url)`, `URI.create(url)`,
    /// `HttpRequest.newBuilder().uri(u).build()`, `new Request.Builder().url(url).build()`; two
    /// nodes where a setter joins a base and a path (`.url(baseUrl, "messages")`).
    /// The wrappers are unwrapped here, not one resolution step each (`.uri(URI.create(url))`).
    fn request_target(&self, v: Node<'t>) -> Option<Vec<Node<'t>>> {
        jvm::unwrapped_request(v, |n| self.request_target_once(n))
    }

    fn request_target_once(&self, v: Node<'t>) -> Option<Vec<Node<'t>>> {
        let args = |call: Node<'t>| call.field("arguments").map(|a| self.list_args(a)).unwrap_or_default();
        match v.kind() {
            "object_creation_expression" => jvm::request_url(self.rules, self.text(v.field("type")?), &args(v), None),
            "method_invocation" => {
                let name = self.text(v.field("name")?);
                if let Some(o) = v.field("object") {
                    let factory = format!("{}.{name}", self.text(o));
                    if let Some(url) = jvm::request_url(self.rules, &factory, &args(v), None) {
                        return Some(url);
                    }
                }
                // (A builder not built yet, `new Request.Builder().url(u).header(..)`, that a
                // helper returns for its callers to finish, is the request it will build.)
                let chain =
                    self.builder_chain(v).or_else(|| self.local_builder_chain(v)).or_else(|| self.chain_from(v));
                let Some(chain) = chain else { return self.helper_builder(v) };
                let root = *chain.first()?;
                let written = match root.kind() {
                    "object_creation_expression" => self.text(root.field("type")?).to_string(),
                    _ => format!("{}.{}", self.text(root.field("object")?), self.text(root.field("name")?)),
                };
                let setters: Vec<(&'t str, Vec<Node<'t>>)> =
                    chain[1..].iter().filter_map(|c| Some((self.text(c.field("name")?), args(*c)))).collect();
                jvm::request_url(self.rules, &written, &args(root), Some(&setters))
            }
            _ => None,
        }
    }

    /// A request finished from a builder a method of the class returns
    /// (`httpClient.newCall(defaultRequest(path).post(body).build())`, `defaultRequest` declared
    /// to return `Request.Builder`): the URL is what that method's builder is given, so the
    /// helper's call stands for it ([`Front::pieces`] reads it as the call it is). `None`
    /// unless the helper's declared return type is a request object's builder and no setter
    /// above it gives the URL.
    fn helper_builder(&self, v: Node<'t>) -> Option<Vec<Node<'t>>> {
        if !jvm::is_build(self.text(v.field("name")?)) {
            return None;
        }
        let mut cur = v.field("object")?;
        for _ in 0..64 {
            if cur.kind() != "method_invocation" {
                return None;
            }
            match cur.field("object") {
                Some(o) if o.kind() == "method_invocation" => cur = o,
                Some(o) if o.kind() != "this" => return None,
                _ => break,
            }
        }
        let setter = self.returned_builder(cur)?.url_setter.as_deref()?;
        // (A setter between the helper and `build()` gives the URL itself.)
        let mut above = v.field("object");
        while let Some(c) = above.filter(|c| c.id() != cur.id()) {
            if c.field("name").is_some_and(|n| self.text(n) == setter) {
                return None;
            }
            above = c.field("object");
        }
        Some(vec![cur])
    }

    /// The request object whose builder a call of a method of the enclosing class is declared
    /// to return (`private Request.Builder defaultRequest(String url)`): such a call builds a
    /// request and sends nothing.
    fn returned_builder(&self, call: Node<'t>) -> Option<&'t crate::rules::RequestObject> {
        if call.kind() != "method_invocation" || call.field("object").is_some_and(|o| o.kind() != "this") {
            return None;
        }
        let name = self.text(call.field("name")?);
        let mut up = call.parent();
        while let Some(n) =
            up.filter(|n| !matches!(n.kind(), "class_declaration" | "enum_declaration" | "record_declaration"))
        {
            up = n.parent();
        }
        let method = *self.sym.classes.get(&up?.id())?.methods.get(name)?;
        let returned = self.text(method.field("type")?);
        http::request_object(self.rules, LANG, returned.split('<').next().unwrap_or(returned))
    }

    fn list_args(&self, args: Node<'t>) -> Vec<Node<'t>> {
        let mut cursor = args.walk();
        let v: Vec<Node<'t>> = args.named_children(&mut cursor).filter(|c| !is_comment(*c)).collect();
        v
    }

    // ---------------------------------------------------------------- pass 2: findings

    fn visit(&mut self, node: Node<'t>, ctx: &Ctx, served: Option<&str>, out: &mut FileOutput) {
        let mut served = served.map(str::to_string);
        let mut inner = None;
        match node.kind() {
            "import_declaration" => return self.import_finding(node, out),
            "package_declaration" | "line_comment" | "block_comment" => return,
            "method_invocation" | "object_creation_expression" => {
                if let Some(chain) = self.builder_chain(node) {
                    self.folded.extend(chain.iter().map(|n| n.id()));
                    self.export_built(node, &chain, ctx, out);
                }
                // A request object or URI (`new HttpPost(url)`) sends nothing: the call that
                // sends it is the request.
                if !self.folded.contains(&node.id())
                    && self.request_target(node).is_none()
                    && self.returned_builder(node).is_none()
                {
                    if let Some(s) = self.call_findings(node, ctx, out) {
                        served = Some(s);
                    }
                }
                if let Some(name) = self.env_read(node, ctx, 0) {
                    if let Some(e) = emit::env(self.rules, &name) {
                        self.emit(out, node, e);
                    }
                }
            }
            "string_literal" => return self.string_findings(node, served.as_deref(), out),
            "class_declaration" | "interface_declaration" | "enum_declaration" | "record_declaration" => {
                if node.kind() == "interface_declaration" {
                    self.export_ai_service(node, out);
                }
                if let Some(n) = node.child_by_field_name("name") {
                    jvm::export_class_members(self, self.text(n), node.id(), out);
                }
                let mut c = ctx.enter(node.id());
                c.class = Some(node.id());
                c.self_name = None;
                inner = Some(c);
            }
            "method_declaration" => {
                self.export_bean(node, out);
                inner = Some(ctx.enter(node.id()))
            }
            "constructor_declaration" | "compact_constructor_declaration" | "lambda_expression" => {
                inner = Some(ctx.enter(node.id()))
            }
            _ => {}
        }
        let ctx = inner.as_ref().unwrap_or(ctx);
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.visit(child, ctx, served.as_deref(), out);
        }
    }

    /// A Spring `@Bean` method returning a vendor-neutral type ([`jvm::export_bean`]).
    fn export_bean(&self, method: Node<'t>, out: &mut FileOutput) {
        let Some(t) = method.field("type").filter(|_| self.annotated(method, "Bean")) else { return };
        let t = if t.kind() == "generic_type" { t.named_child(0).unwrap_or(t) } else { t };
        let name = method.field("name").map_or("", |n| self.text(n));
        jvm::export_bean(self, self.text(t), name, method, out);
    }

    /// Whether a declaration carries annotation `name` (`@Bean`, `@AiService(...)`).
    fn annotated(&self, decl: Node<'t>, name: &str) -> bool {
        let mut cursor = decl.walk();
        let found = decl.named_children(&mut cursor).filter(|k| k.kind() == "modifiers").any(|m| {
            let mut c = m.walk();
            let found = m.named_children(&mut c).any(|a| {
                matches!(a.kind(), "marker_annotation" | "annotation")
                    && a.field("name").is_some_and(|n| {
                        let t = self.text(n);
                        t == name || t.rsplit('.').next() == Some(name)
                    })
            });
            found
        });
        found
    }

    /// The string an annotation `name` of a declaration gives as its single value or under one
    /// of `keys` (`@ConfigurationProperties(prefix = "deepseek")`, `@ConfigurationProperties("ai")`).
    fn annotation_string(&self, decl: Node<'t>, name: &str, keys: &[&str]) -> Option<String> {
        let mut cursor = decl.walk();
        let modifiers: Vec<Node<'t>> = decl.named_children(&mut cursor).filter(|k| k.kind() == "modifiers").collect();
        modifiers.into_iter().find_map(|m| {
            let mut c = m.walk();
            let annotations: Vec<Node<'t>> = m.named_children(&mut c).filter(|a| a.kind() == "annotation").collect();
            annotations.into_iter().find_map(|a| {
                let named = a.field("name").is_some_and(|n| self.text(n).rsplit('.').next() == Some(name));
                let args = a.field("arguments").filter(|_| named)?;
                let mut c = args.walk();
                let values: Vec<Node<'t>> = args.named_children(&mut c).collect();
                values.into_iter().find_map(|v| match v.kind() {
                    "element_value_pair" => {
                        let key = v.field("key").map(|k| self.text(k))?;
                        v.field("value").filter(|_| keys.contains(&key)).and_then(|s| self.string_lit(s))
                    }
                    _ => self.string_lit(v),
                })
            })
        })
    }

    /// An interface annotated `@AiService` ([`jvm::export_ai_service`]).
    fn export_ai_service(&self, node: Node<'t>, out: &mut FileOutput) {
        let Some(name) = node.field("name").filter(|_| self.annotated(node, "AiService")) else {
            return;
        };
        let mut cursor = node.walk();
        let modifiers: Vec<&str> =
            node.named_children(&mut cursor).filter(|m| m.kind() == "modifiers").map(|m| self.text(m)).collect();
        jvm::export_ai_service(self, self.text(name), &modifiers.concat(), out);
    }

    fn import_finding(&self, node: Node<'t>, out: &mut FileOutput) {
        let mut cursor = node.walk();
        let name = node.named_children(&mut cursor).find(|k| matches!(k.kind(), "scoped_identifier" | "identifier"));
        if let Some(name) = name {
            jvm::import_finding(self, node, self.text(name), out);
        }
    }

    fn string_findings(&self, node: Node<'t>, served: Option<&str>, out: &mut FileOutput) {
        // Annotation values (`@Value("${spring.ai.openai.api-key}")`) are configuration keys.
        if node.parent().is_some_and(|p| p.kind() == "element_value_pair" || p.kind() == "annotation_argument_list") {
            return;
        }
        let Some(content) = self.string_lit(node) else { return };
        jvm::literal(self, node, &content, self.given_to(node), served, out);
    }

    /// The method, variable or field a literal is given to (`.modelName("gpt-4o")`,
    /// `String MODEL = "..."`): a model name is certain there when it says so ([`jvm::literal`]).
    fn given_to(&self, node: Node<'t>) -> Option<&'t str> {
        let parent = node.parent()?;
        let name = match parent.kind() {
            "argument_list" => {
                parent.parent().filter(|c| c.kind() == "method_invocation").and_then(|c| c.field("name"))
            }
            "variable_declarator" => parent.field("name"),
            "assignment_expression" => parent.field("left"),
            _ => None,
        };
        name.map(|n| self.text(n))
    }
}

fn is_comment(n: Node<'_>) -> bool {
    matches!(n.kind(), "line_comment" | "block_comment")
}

/// The text of a Java string literal or text block, common escapes decoded.
fn string_text(node: Node<'_>, src: &str) -> String {
    let mut s = String::new();
    let mut cursor = node.walk();
    for c in node.named_children(&mut cursor) {
        let t = &src[c.byte_range()];
        match c.kind() {
            "string_fragment" | "multiline_string_fragment" => s.push_str(t),
            "escape_sequence" => s.push_str(match t {
                "\\n" => "\n",
                "\\t" => "\t",
                "\\\"" => "\"",
                "\\\\" => "\\",
                other => other,
            }),
            _ => {}
        }
    }
    s
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
        let field = |f: &'static str| node.field(f);
        let inner = |n: Option<Node<'t>>| n.map_or(Shape::Unknown, Shape::Inner);
        match node.kind() {
            "identifier" => {
                // The name of a method call is its callee: `object.name` or a bare `name`.
                if let Some(call) = node.parent().filter(|p| p.kind() == "method_invocation") {
                    if call.field("name") == Some(node) {
                        return match call.field("object") {
                            Some(o) => Shape::Member(o, self.text(node)),
                            None => Shape::Name(self.text(node)),
                        };
                    }
                }
                Shape::Name(self.text(node))
            }
            "type_identifier" => Shape::Name(self.text(node)),
            "this" => Shape::This,
            "super" => Shape::Super,
            "scoped_identifier" => match (field("scope"), field("name")) {
                (Some(s), Some(n)) => Shape::Member(s, self.text(n)),
                _ => Shape::Unknown,
            },
            "scoped_type_identifier" => {
                let n = node.named_child_count();
                match (node.named_child(0), n.checked_sub(1).and_then(|i| node.named_child(i))) {
                    (Some(s), Some(last)) if n > 1 => Shape::Member(s, self.text(last)),
                    _ => Shape::Unknown,
                }
            }
            "generic_type" => inner(node.named_child(0)),
            "field_access" => match (field("object"), field("field")) {
                (Some(o), Some(f)) => Shape::Member(o, self.text(f)),
                _ => Shape::Unknown,
            },
            "method_invocation" | "object_creation_expression" => match self.call_of(node) {
                Some((callee, args, new)) => Shape::Call { callee, args, new, chain: Vec::new() },
                None => Shape::Unknown,
            },
            "parenthesized_expression" => inner(node.named_child(0)),
            "cast_expression" => inner(field("value")),
            "ternary_expression" => match (field("consequence"), field("alternative")) {
                (Some(a), Some(b)) => Shape::Either(vec![a, b]),
                _ => Shape::Unknown,
            },
            // `switch (type) { case OPENAI -> openAi(); case OLLAMA -> ollama(); }`: one of the
            // arms' values (a rule's expression; a block or `throw` gives none).
            "switch_expression" => {
                let arms: Vec<Node<'t>> = field("body")
                    .map(|b| {
                        let mut c = b.walk();
                        b.named_children(&mut c)
                            .filter(|r| r.kind() == "switch_rule")
                            .filter_map(|r| {
                                let mut c = r.walk();
                                let e = r.named_children(&mut c).find(|x| x.kind() == "expression_statement");
                                e.and_then(|e| e.named_child(0))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if arms.is_empty() {
                    Shape::Unknown
                } else {
                    Shape::Either(arms)
                }
            }
            "array_access" => match (field("array"), field("index")) {
                (Some(object), Some(index)) => Shape::Index { object, index, generic: false },
                _ => Shape::Unknown,
            },
            "lambda_expression" => Shape::Function(node),
            _ => Shape::Unknown,
        }
    }

    fn text_shape(&self, v: Node<'t>, ctx: &Ctx) -> Text<'t> {
        let field = |f: &'static str| v.field(f);
        match self.request_target(v).as_deref() {
            Some([url]) => return Text::Inner(*url),
            Some(_) => return Text::Unknown,
            None => {}
        }
        match v.kind() {
            "string_literal" => Text::Lit(string_text(v, self.src)),
            "parenthesized_expression" => v.named_child(0).map_or(Text::Unknown, Text::Inner),
            "binary_expression" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Text::Concat(l, r),
                    _ => Text::Unknown,
                }
            }
            "ternary_expression" => match (field("consequence"), field("alternative")) {
                (Some(a), Some(b)) => Text::Either(a, b),
                _ => Text::Unknown,
            },
            // A field of the class read without `this.` (`BASE_URL + "/v1/messages"`).
            "identifier" => {
                let name = self.text(v);
                let field_of = |c: usize| self.fields.get(&c).is_some_and(|f| f.contains(name));
                if ctx.class.is_some_and(field_of) && self.sym.lookup(name, ctx, v.start_byte()).is_empty() {
                    Text::Field(name)
                } else {
                    Text::Name(name, v.start_byte())
                }
            }
            "field_access" => match (field("object"), field("field")) {
                (Some(o), Some(f)) if o.kind() == "this" => Text::Field(self.text(f)),
                // `builder.baseUrl`, `GeminiService.GEMINI_AI_ENDPOINT`.
                (Some(o), Some(f)) => Text::Member(o, self.text(f).to_string()),
                _ => Text::Unknown,
            },
            // `Optional.ofNullable(System.getenv("X")).orElse("http://...")`,
            // `System.getenv().getOrDefault("X", "http://...")`: the literal is the value
            // wherever configuration does not override it.
            "method_invocation" => {
                let name = field("name").map(|n| self.text(n));
                let args = field("arguments").map(|a| self.list_args(a)).unwrap_or_default();
                if let Some(arg) = name.and_then(|n| jvm::passthrough_arg(n, &args)) {
                    return Text::Inner(arg);
                }
                name.and_then(|n| jvm::fallback_arg(n, &args)).map_or(Text::Unknown, Text::Fallback)
            }
            _ => Text::Unknown,
        }
    }

    fn pieces(&self, v: Node<'t>) -> Pieces<'t> {
        let field = |f: &'static str| v.field(f);
        match self.request_target(v) {
            Some(url) if url.len() == 1 => return Pieces::Inner(url[0]),
            Some(parts) => return Pieces::Join(parts),
            None => {}
        }
        match v.kind() {
            "string_literal" => Pieces::Parts(vec![Piece::Text(string_text(v, self.src))]),
            "binary_expression" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Pieces::Plus(l, r),
                    _ => Pieces::Unknown,
                }
            }
            "parenthesized_expression" => v.named_child(0).map_or(Pieces::Unknown, Pieces::Inner),
            // `base.endsWith("/") ? base + "chat" : base + "/chat"`.
            "ternary_expression" => match (field("consequence"), field("alternative")) {
                (Some(a), Some(b)) => Pieces::Branches(vec![a, b]),
                _ => Pieces::Unknown,
            },
            "identifier" => Pieces::Name(self.text(v), v.start_byte()),
            // `String.format("%s/chat/completions", base)`: the format with its verbs as holes.
            "method_invocation"
                if field("name").is_some_and(|n| self.text(n) == "format")
                    && field("object").is_some_and(|o| self.text(o) == "String") =>
            {
                let args = field("arguments").map(|a| self.list_args(a)).unwrap_or_default();
                let Some(first) = args.first() else { return Pieces::Unknown };
                match self.string_lit(*first) {
                    Some(format) => Pieces::Parts(super::template::printf(&format, &args[1..])),
                    // (`String.format(BASE_URL, resource)`: the constant read as the format.)
                    None => Pieces::Format(*first, args[1..].to_vec(), Style::Printf),
                }
            }
            // A local helper (`endpoint("chat")`, `this.url(path)`) may build the URL.
            "method_invocation" if field("object").is_none_or(|o| o.kind() == "this") => {
                field("name").map_or(Pieces::Unknown, |f| Pieces::Call(f, field("arguments")))
            }
            _ => Pieces::Unknown,
        }
    }

    fn params(&self, def: Node<'t>) -> Vec<&'t str> {
        match def.field("parameters") {
            Some(p) if p.kind() == "formal_parameters" => self.formal(p).into_iter().map(|(n, _)| n).collect(),
            _ => Vec::new(),
        }
    }

    fn arg_nodes(&self, args: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        self.list_args(args).into_iter().map(|a| (None, a)).collect()
    }

    fn string_lit(&self, n: Node<'t>) -> Option<String> {
        (n.kind() == "string_literal").then(|| string_text(n, self.src))
    }

    /// `OpenAIClient`, `com.openai.client.OpenAIClient`, `List<T>`'s raw type: an instance.
    fn annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.sym.budget.step(depth) {
            return None;
        }
        match t.kind() {
            "generic_type" => self.annotation(t.named_child(0)?, ctx, depth + 1),
            "type_identifier" | "scoped_type_identifier" => {
                let resolved = self.resolve(t, ctx, depth + 1);
                jvm::declared(self, self.text(t), resolved, ctx.class)
            }
            _ => None,
        }
    }

    /// Positional arguments; for a builder chain's `build()`, the root's arguments are
    /// positional and each setter (`.baseUrl(u)`, `.endpoint(e)`) a keyword named after it.
    /// A configuration object passed whole gives its own keywords.
    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, callee: &Path) -> CallArgs {
        let unnamed = |list: Vec<Node<'t>>| list.into_iter().map(|a| (None, a)).collect::<Vec<_>>();
        let chain = args.parent().and_then(|call| self.builder_chain(call)).map(|chain| {
            let args_of = |c: &Node<'t>| c.field("arguments").map(|l| self.list_args(l)).unwrap_or_default();
            let setters = chain[1..]
                .iter()
                .filter_map(|c| Some((self.text(c.field("name")?), args_of(c).first().copied())))
                .collect();
            jvm::Chain { root: unnamed(chain.first().map(args_of).unwrap_or_default()), setters }
        });
        jvm::call_args(self, chain, unnamed(self.list_args(args)), ctx, depth, callee)
    }

    /// `System.getenv("X")`.
    fn env_read(&self, n: Node<'t>, _ctx: &Ctx, _depth: u32) -> Option<String> {
        if n.kind() != "method_invocation" {
            return None;
        }
        let name = self.text(n.field("name")?);
        let object = n.field("object").map(|o| self.text(o));
        if !jvm::is_getenv(object, name) {
            return None;
        }
        let key = n.field("arguments").and_then(|a| self.list_args(a).into_iter().next())?;
        self.string_lit(key)
    }

    fn module_root(&self, spec: &str) -> Path {
        Path(spec.split('.').map(|s| Seg { name: s.trim().to_string(), call: None }).collect())
    }

    fn is_getter(&self, _method: Node<'t>) -> bool {
        false
    }

    /// A field of a Spring `@ConfigurationProperties(prefix = "deepseek")` class, or its getter
    /// (`getApiHost()`, Lombok's or written), is the key `deepseek.api-host`: Spring Boot binds
    /// each field from the key under the prefix, in its canonical kebab-case form
    /// (docs.spring.io/spring-boot/reference/features/external-config.html, "Type-safe
    /// Configuration Properties" and "Relaxed Binding"), also settable as `DEEPSEEK_APIHOST`.
    fn settings_env(&self, class: usize, name: &str, _depth: u32) -> Option<String> {
        let prefix = self.config_prefixes.get(&class)?;
        let fields = self.fields.get(&class)?;
        let field = if fields.contains(name) {
            name.to_string()
        } else {
            let bare = name.strip_prefix("get").or_else(|| name.strip_prefix("is"))?;
            let mut chars = bare.chars();
            let first = chars.next().filter(char::is_ascii_uppercase)?;
            format!("{}{}", first.to_ascii_lowercase(), chars.as_str())
        };
        if !fields.contains(field.as_str()) {
            return None;
        }
        let kebab = super::matcher::name_words(&field).join("-").to_ascii_lowercase();
        Some(format!("{prefix}.{kebab}"))
    }

    /// A name no scope binds: a field or method of the enclosing class (Java needs no
    /// `this.`), else a class a wildcard import brings in, else the first segment of a
    /// fully qualified SDK name (`com.openai.client.okhttp.OpenAIOkHttpClient.builder()`).
    fn module_paths(&self, path: &Path) -> Vec<Path> {
        jvm::module_paths(self, path)
    }

    fn unbound(&self, name: &str, ctx: &Ctx) -> Option<Val<'t>> {
        let found = jvm::unbound(self, &self.wildcards, name, ctx);
        // A class of this package, named without an import (`GptClients.getInstance()`).
        let here = || {
            let q = format!("{}.{name}", self.package);
            let class = name.starts_with(|c: char| c.is_ascii_uppercase()) && !self.package.is_empty();
            (class && self.in_tree(&q)).then(|| Val::Path(Path::from_dotted(&q)))
        };
        found.or_else(here)
    }

    /// A static method of a class of the tree (`pkg.HttpClientProvider.getClient()`): the
    /// class's members exported for it (`service:HttpClientProvider.getClient()`,
    /// [`jvm::export_class_members`]).
    fn static_path(&self, callee: Path) -> Path {
        jvm::static_path(self.locals, callee)
    }

    fn first_arg(&self, args: Node<'t>) -> Option<Node<'t>> {
        self.list_args(args).into_iter().next()
    }

    /// `Call call = client.newCall(request);` (or `call = ..`), then `call.execute()` or
    /// `call.enqueue(cb)` later in the same method or lambda: those calls, in written order.
    fn result_calls(&self, made: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
        let Some(parent) = made.parent() else { return Vec::new() };
        let var = match parent.kind() {
            "variable_declarator" if parent.field("value") == Some(made) => parent.field("name"),
            "assignment_expression" if parent.field("right") == Some(made) => {
                parent.field("left").filter(|l| l.kind() == "identifier")
            }
            _ => None,
        };
        let Some(var) = var.map(|v| self.text(v)) else { return Vec::new() };
        let bodies = ["method_declaration", "constructor_declaration", "lambda_expression"];
        let on_var = |n: Node<'t>| n.field("object").is_some_and(|o| o.kind() == "identifier" && self.text(o) == var);
        common::later_calls(parent, made, &bodies, "method_invocation", |n| on_var(n) && n.field("name").is_some())
            .into_iter()
            .filter_map(|n| Some((self.text(n.field("name")?), n)))
            .collect()
    }

    /// The qualified names of a top-level class and of its base class.
    fn built_names(&self, class: usize) -> Vec<String> {
        let Some(name) = super::inherit::class_name(self, class) else { return Vec::new() };
        let own = if self.package.is_empty() { name } else { format!("{}.{name}", self.package) };
        let mut names = vec![own];
        if let Some(info) = self.sym.classes.get(&class) {
            names.extend(info.bases.iter().filter_map(|(b, c)| self.qualified_class(*b, c)));
        }
        names
    }

    /// A field of the class read without `this` (`httpClient.execute(request)`), unless a
    /// local or parameter of that name hides it.
    fn implicit_field(&self, name: &str, at: Node<'t>, ctx: &Ctx) -> bool {
        let field = ctx.class.is_some_and(|c| self.fields.get(&c).is_some_and(|f| f.contains(name)));
        field && self.sym.lookup(name, ctx, at.start_byte()).is_empty()
    }

    /// A constructor's parameters: one builder (`Client(Builder builder)`) is the options
    /// object whose fields are the setters its callers call (`builder.baseUrl` is what
    /// `.baseUrl(u)` gave); others by name or position. A parameter declared as an HTTP
    /// library's or an SDK's type (`OkHttpClient.Builder httpClientBuilder`) is no setting a
    /// caller fills: it is what its type says.
    fn probe_keys(&self, def: Node<'t>) -> HashMap<String, String> {
        let Some(params) = def.field("parameters").filter(|p| p.kind() == "formal_parameters") else {
            return HashMap::new();
        };
        let formal = self.formal(params);
        let module = Ctx::module(self.sym.root_id);
        let typed = |t: Node<'t>| match self.annotation(t, &module, 0) {
            Some(Val::Path(p)) => http::is_library(self.rules, LANG, &p) || self.is_vendor_path(&p),
            _ => false,
        };
        if self.builder_param(&formal) {
            return formal.into_iter().take(1).map(|(n, _)| (n.to_string(), String::new())).collect();
        }
        formal
            .into_iter()
            .enumerate()
            .filter(|(_, (_, t))| !typed(*t))
            .map(|(i, (n, _))| (n.to_string(), params::by_name_or_position(n, i)))
            .collect()
    }

    fn call_parts(&self, call: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        self.call_of(call).map(|(callee, args, _)| (callee, args))
    }

    /// A call on a receiver nothing in the file resolves: see `common::infer_operation`.
    fn inferred_call(&mut self, node: Node<'t>, f: Node<'t>, out: &mut FileOutput) -> Option<String> {
        if node.kind() != "method_invocation" {
            return None;
        }
        let mut names: Vec<&'t str> = vec![self.text(f)];
        let mut cur = node.field("object")?;
        while cur.kind() == "method_invocation" || cur.kind() == "field_access" {
            let (name, next) = match cur.kind() {
                "method_invocation" => (cur.field("name")?, cur.field("object")?),
                _ => (cur.field("field")?, cur.field("object")?),
            };
            names.push(self.text(name));
            cur = next;
        }
        let base = if cur.kind() == "identifier" { self.text(cur) } else { "" };
        names.reverse();
        let args = node.field("arguments").map_or("", |a| self.text(a));
        jvm::inferred_call(self, node, &names, base, args, out)
    }
}
