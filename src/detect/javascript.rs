//! JavaScript and TypeScript detection with tree-sitter-javascript and
//! tree-sitter-typescript (TSX too). The same two passes as the Python extractor:
//! `collect` records bindings per scope (ESM and CommonJS imports, `const`/`let`,
//! destructuring, `this.x` and class fields, typed parameters, functions and their
//! returns), then `visit` resolves calls, `new` expressions, imports, environment reads
//! and string literals to canonical paths (docs/rules.md "JavaScript and TypeScript
//! paths") and matches them with the language-neutral matcher.

use super::budget::{self, Budget, Memo};
use super::emit::{self, Emit};
use super::matcher::{self, ModuleAttrs, Served};
use super::path::{ArgValue, CallArgs, Path, Seg, HOLE};
use super::tables::{self, Matched, Resolved, Tables};
use super::{common, http, FileOutput, LineIndex, LocalModules, PendingCall, Span};
use crate::ecosystem::Ecosystem;
use crate::lang::FileKind;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use tree_sitter::{Node, Parser, Tree};

const LANG: Ecosystem = Ecosystem::JavaScript;

thread_local! {
    static PARSERS: RefCell<HashMap<u8, Parser>> = RefCell::new(HashMap::new());
}

fn parse(src: &str, language: FileKind) -> Option<Tree> {
    let (key, lang): (u8, tree_sitter::Language) = match language {
        FileKind::TypeScript | FileKind::Component => (1, tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()),
        FileKind::Tsx => (2, tree_sitter_typescript::LANGUAGE_TSX.into()),
        _ => (0, tree_sitter_javascript::LANGUAGE.into()),
    };
    PARSERS.with(|p| {
        let mut map = p.borrow_mut();
        let parser = map.entry(key).or_insert_with(|| {
            let mut parser = Parser::new();
            parser.set_language(&lang).expect("grammar matches the tree-sitter ABI");
            parser
        });
        parser.parse(src, None)
    })
}

/// The `<script>` blocks of a Vue or Svelte component, everything else blanked out so
/// that lines and columns stay those of the component file.
/// The second value says a `<script>` was not closed: it is read to the end of the file.
pub fn component_scripts(src: &str) -> (String, bool) {
    let mut out: Vec<u8> = src.bytes().map(|b| if b == b'\n' { b'\n' } else { b' ' }).collect();
    let lower = src.to_ascii_lowercase();
    let (mut from, mut unclosed) = (0, false);
    while let Some(open) = lower[from..].find("<script").map(|i| from + i) {
        let Some(body) = lower[open..].find('>').map(|i| open + i + 1) else { break };
        let close = lower[body..].find("</script").map_or(src.len(), |i| body + i);
        unclosed = close == src.len();
        out[body..close].copy_from_slice(&src.as_bytes()[body..close]);
        from = close;
    }
    (String::from_utf8(out).unwrap_or_default(), unclosed)
}

/// How a file too large to parse is read (`common::scan_text`): `process.env["X"]` names a variable.
const JS_TEXT: common::TextSyntax = common::TextSyntax { comment: "//", quotes: b"\"'`", env_calls: &["env["] };

/// Detects everything in one JavaScript or TypeScript source.
pub fn detect(src: &str, language: FileKind, rules: &RuleSet, rel: &str, locals: &LocalModules, out: &mut FileOutput) {
    if let Some(why) = budget::too_large(src) {
        out.add_error(why);
        common::scan_text(src, rules, &LineIndex::new(src), &JS_TEXT, out);
        return;
    }
    let Some(tree) = parse(src, language) else {
        out.error = Some("tree-sitter could not parse the file".into());
        return;
    };
    let root = tree.root_node();
    if root.has_error() {
        out.syntax_errors = true;
    }
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let mut a = Analyzer {
        src,
        rules,
        lines: LineIndex::new(src),
        dir,
        rel: rel.to_string(),
        locals,
        scopes: HashMap::new(),
        classes: HashMap::new(),
        funcs: HashMap::new(),
        root_id: root.id(),
        clients: Vec::new(),
        results: Memo::default(),
        bindings: Memo::default(),
        budget: Budget::default(),
        exported: HashSet::new(),
        typedefs: Vec::new(),
        types: HashMap::new(),
        tables: Tables::default(),
    };
    let ctx = Ctx { chain: Rc::from(vec![root.id()]), class: None };
    if let Some(why) = budget::tree_too_deep(root) {
        out.add_error(format!("{why}; {}", budget::LITERALS_ONLY));
        a.literals_only(root, out);
    } else {
        a.collect_types(root);
        a.collect(root, &ctx);
        budget::sort_bindings(a.scopes.values_mut().flat_map(|s| s.values_mut()));
        budget::sort_bindings(a.classes.values_mut().flat_map(|c| c.attrs.values_mut()));
        a.visit(root, &ctx, None, out);
        a.reassign_imports(out);
        a.exports(out);
    }
    a.budget.finish(out);
}

#[derive(Clone)]
struct Ctx {
    chain: Rc<[usize]>,
    class: Option<usize>,
}

#[derive(Clone)]
enum Bind<'t> {
    Import(Path),
    Expr(Node<'t>, Ctx),
    Annot(Node<'t>, Ctx),
    Func(Node<'t>),
    Class(usize),
    /// `const { a: b } = expr`: `b` is `expr.a`.
    Member(Node<'t>, Ctx, String),
    /// A type written in a JSDoc comment (`@param {OpenAI} openai`), and the id of the
    /// node it is bound at (the memo key).
    Doc(String, Ctx, usize),
    /// A type annotation read where an options object gives the instance its settings:
    /// `baseURL: "https://api.groq.com/openai/v1"` beside `models: async ({ client }: Ctx) => ...`.
    AnnotIn(Node<'t>, Ctx, Node<'t>),
    /// A value whose type another module of the tree declares (a callback's parameter typed
    /// by an imported interface): `local:factory.Opts.models.#0.client`, resolved through
    /// that module's exports.
    Typed(Path),
}

/// Where a function's parameters get their types from the context: the function is the
/// value of property `key` of an object literal whose type is known.
enum Contextual<'t> {
    /// The property's function type, declared in this file; the object literal.
    Local(Node<'t>, Node<'t>),
    /// The property in a type of another module: `local:factory.Opts(baseURL=...).models`.
    Imported(Path),
}

#[derive(Clone)]
struct Binding<'t> {
    pos: usize,
    bind: Bind<'t>,
}

impl budget::Positioned for Binding<'_> {
    fn pos(&self) -> usize {
        self.pos
    }
}

#[derive(Default)]
struct ClassInfo<'t> {
    attrs: HashMap<String, Vec<Binding<'t>>>,
    methods: HashMap<String, Node<'t>>,
    bases: Vec<(Node<'t>, Ctx)>,
}

#[derive(Default)]
struct FuncInfo<'t> {
    returns: Vec<(Node<'t>, Ctx)>,
    annotation: Option<(Node<'t>, Ctx)>,
}

#[derive(Clone)]
enum Val<'t> {
    Path(Path),
    Func(Node<'t>),
    Class(usize),
    Instance(usize),
    /// An object literal (`{ openai, apiKey }`): its properties are resolved where read.
    Object(Node<'t>, Ctx),
}

struct Analyzer<'t, 'a> {
    src: &'t str,
    rules: &'a RuleSet,
    lines: LineIndex,
    dir: String,
    rel: String,
    locals: &'a LocalModules,
    scopes: HashMap<usize, HashMap<String, Vec<Binding<'t>>>>,
    classes: HashMap<usize, ClassInfo<'t>>,
    funcs: HashMap<usize, FuncInfo<'t>>,
    root_id: usize,
    clients: Vec<(String, Served)>,
    /// Memoised `function_result` per function node.
    results: Memo<usize, Val<'t>>,
    /// Memoised values of bindings, by (value node, 0) or (annotation node, 1).
    bindings: Memo<(usize, u8), Val<'t>>,
    /// The file's resolution budget: every path into `resolve` draws from it.
    budget: Budget,
    exported: HashSet<String>,
    /// JSDoc `@typedef {T} Name` of this file: `(Name, T)`, in source order.
    typedefs: Vec<(String, String)>,
    /// Interfaces and type aliases declared in this file, by name: their body or value.
    types: HashMap<String, Node<'t>>,
    /// Tables indexed by a run-time key (`providers[name]`): see [`super::tables`].
    tables: Tables,
}

fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function"
    )
}

impl<'t> Analyzer<'t, '_> {
    fn text(&self, n: Node<'t>) -> &'t str {
        &self.src[n.byte_range()]
    }

    fn bind(&mut self, ctx: &Ctx, name: &str, b: Binding<'t>) {
        let scope = *ctx.chain.last().expect("chain has the program");
        self.scopes.entry(scope).or_default().entry(name.to_string()).or_default().push(b);
    }

    /// The canonical first segment of an import specifier: a module of the scanned tree
    /// becomes `local:<path>`, others stay as written.
    fn module_root(&self, spec: &str) -> Path {
        let local = if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
            // Files under an absolute root (several roots scanned) keep the leading `/`.
            let root = if self.dir.starts_with('/') { "/" } else { "" };
            Some(format!("{root}{}", crate::walk::normalize_rel(&format!("{}/{spec}", self.dir))))
        } else {
            spec.strip_prefix("@/").or_else(|| spec.strip_prefix("~/")).map(str::to_string)
        };
        if let Some(l) = local {
            let l = strip_ext(&l);
            // A path alias (`~/server/x`, `@/lib/x`) is rooted at the scan root, its `src/`,
            // or a package folder above the importing file (`api/` in a monorepo): the
            // outermost that holds the module.
            let mut roots = vec![String::new()];
            if !spec.starts_with('.') {
                let mut acc = String::new();
                for part in self.dir.split('/').filter(|p| !p.is_empty()) {
                    acc = if acc.is_empty() { part.to_string() } else { format!("{acc}/{part}") };
                    roots.push(format!("{acc}/"));
                }
            }
            for root in roots {
                for candidate in [format!("{root}{l}"), format!("{root}src/{l}")] {
                    let key = format!("local:{candidate}");
                    if self.locals.has_module(&key) {
                        return Path(vec![Seg { name: key, call: None }]);
                    }
                }
            }
        }
        let spec = sdk_entry(self.rules, spec).unwrap_or(spec);
        Path(vec![Seg { name: spec.to_string(), call: None }])
    }

    /// Whether `name` is bound nowhere in the file (no scope declares it): a global.
    fn ecma_global(&self, name: &str) -> bool {
        !self.scopes.values().any(|sc| sc.contains_key(name))
    }

    fn string_lit(&self, n: Node<'t>) -> Option<String> {
        plain_string(n, self.src)
    }

    // ---------------------------------------------------------------- pass 1

    fn bind_pattern(&mut self, pattern: Node<'t>, value: Option<Node<'t>>, ctx: &Ctx, pos: usize) {
        match pattern.kind() {
            "identifier" => {
                if let Some(v) = value {
                    let name = self.text(pattern).to_string();
                    self.bind(ctx, &name, Binding { pos, bind: Bind::Expr(v, ctx.clone()) });
                }
            }
            "object_pattern" => {
                let Some(v) = value else { return };
                let mut cursor = pattern.walk();
                for p in pattern.named_children(&mut cursor) {
                    match p.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let name = self.text(p).to_string();
                            self.bind(ctx, &name, Binding { pos, bind: Bind::Member(v, ctx.clone(), name.clone()) });
                        }
                        "pair_pattern" => {
                            let key = p
                                .child_by_field_name("key")
                                .map(|k| self.text(k).trim_matches(['"', '\'']).to_string());
                            let target = p.child_by_field_name("value");
                            if let (Some(key), Some(t)) = (key, target) {
                                let t = if t.kind() == "assignment_pattern" {
                                    t.child_by_field_name("left").unwrap_or(t)
                                } else {
                                    t
                                };
                                if t.kind() == "identifier" {
                                    let name = self.text(t).to_string();
                                    self.bind(ctx, &name, Binding { pos, bind: Bind::Member(v, ctx.clone(), key) });
                                }
                            }
                        }
                        "object_assignment_pattern" => {
                            if let Some(l) = p.child_by_field_name("left") {
                                let name = self.text(l).to_string();
                                self.bind(
                                    ctx,
                                    &name,
                                    Binding { pos, bind: Bind::Member(v, ctx.clone(), name.clone()) },
                                );
                            }
                        }
                        _ => {}
                    }
                }
            }
            "member_expression" => {
                // `this.client = new OpenAI()`.
                let obj = pattern.child_by_field_name("object");
                let prop = pattern.child_by_field_name("property");
                if let (Some(obj), Some(prop), Some(class), Some(v)) = (obj, prop, ctx.class, value) {
                    if obj.kind() == "this" {
                        let name = self.text(prop).to_string();
                        self.classes
                            .entry(class)
                            .or_default()
                            .attrs
                            .entry(name)
                            .or_default()
                            .push(Binding { pos, bind: Bind::Expr(v, ctx.clone()) });
                    }
                }
            }
            _ => {}
        }
    }

    fn collect(&mut self, node: Node<'t>, ctx: &Ctx) {
        match node.kind() {
            "import_statement" => {
                for (local, path) in self.import_bindings(node) {
                    self.bind(ctx, &local, Binding { pos: node.start_byte(), bind: Bind::Import(path) });
                }
                return;
            }
            "export_statement" => {
                self.note_exports(node, ctx);
            }
            "variable_declarator" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let value = node.child_by_field_name("value");
                    if let (Some(v), "identifier") = (value, name.kind()) {
                        if is_function(v.kind()) {
                            let n = self.text(name).to_string();
                            self.bind(ctx, &n, Binding { pos: node.start_byte(), bind: Bind::Func(v) });
                        }
                    }
                    self.bind_pattern(name, value, ctx, node.start_byte());
                    if let (Some(t), "identifier") = (node.child_by_field_name("type"), name.kind()) {
                        let n = self.text(name).to_string();
                        self.bind(ctx, &n, Binding { pos: node.start_byte(), bind: Bind::Annot(t, ctx.clone()) });
                    }
                }
            }
            "assignment_expression" => {
                if let (Some(l), Some(r)) = (node.child_by_field_name("left"), node.child_by_field_name("right")) {
                    self.bind_pattern(l, Some(r), ctx, node.start_byte());
                    self.commonjs_export(l, r, ctx, node.start_byte());
                }
            }
            "comment" => {
                let text = self.text(node);
                if text.starts_with("/**") {
                    for tag in jsdoc_tags(text).into_iter().filter(|t| t.tag == "typedef") {
                        if let (Some(ty), Some(name)) = (tag.ty, tag.name) {
                            self.typedefs.push((name, ty));
                        }
                    }
                }
                return;
            }
            "interface_declaration" | "type_alias_declaration" => {
                let name = node.child_by_field_name("name").map(|n| self.text(n).to_string());
                let body = node.child_by_field_name("body").or_else(|| node.child_by_field_name("value"));
                if let (Some(name), Some(body)) = (name, body) {
                    self.types.insert(name, body);
                }
                return;
            }
            "return_statement" => {
                if let (Some(v), Some(&f)) = (node.named_child(0), ctx.chain.last()) {
                    if let Some(info) = self.funcs.get_mut(&f) {
                        info.returns.push((v, ctx.clone()));
                    }
                }
            }
            "class_declaration" | "class" | "abstract_class_declaration" => {
                self.collect_class(node, ctx);
                return;
            }
            k if is_function(k) => {
                self.collect_function(node, ctx);
                return;
            }
            _ => {}
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.collect(child, ctx);
        }
    }

    /// The module's interfaces and type aliases, before anything reads them: a function
    /// may be declared above the interface that types its parameter.
    fn collect_types(&mut self, root: Node<'t>) {
        let mut cursor = root.walk();
        let top: Vec<Node<'t>> = root.named_children(&mut cursor).collect();
        for n in top {
            let decl = if n.kind() == "export_statement" { n.child_by_field_name("declaration") } else { Some(n) };
            if let Some(d) = decl.filter(|d| matches!(d.kind(), "interface_declaration" | "type_alias_declaration")) {
                let name = d.child_by_field_name("name").map(|x| self.text(x).to_string());
                let body = d.child_by_field_name("body").or_else(|| d.child_by_field_name("value"));
                if let (Some(name), Some(body)) = (name, body) {
                    self.types.insert(name, body);
                }
            }
        }
    }

    /// CommonJS exports: `module.exports = value` binds `module.exports` (and `default`, as
    /// an ES import of the module reads it) at the top level; `module.exports = { name: value }`,
    /// `exports.name = value` and `module.exports.name = value` bind `name` there.
    fn commonjs_export(&mut self, left: Node<'t>, right: Node<'t>, ctx: &Ctx, pos: usize) {
        if left.kind() != "member_expression" {
            return;
        }
        let target: String = self.text(left).chars().filter(|c| !c.is_whitespace()).collect();
        let root = Ctx { chain: Rc::from(vec![self.root_id]), class: None };
        let bind = |v: Node<'t>| if is_function(v.kind()) { Bind::Func(v) } else { Bind::Expr(v, ctx.clone()) };
        if target == super::MODULE_EXPORTS {
            self.bind(&root, super::MODULE_EXPORTS, Binding { pos, bind: bind(right) });
            self.bind(&root, "default", Binding { pos, bind: bind(right) });
            if right.kind() == "object" {
                let mut cursor = right.walk();
                let pairs: Vec<Node<'t>> = right.named_children(&mut cursor).filter(|p| p.kind() == "pair").collect();
                for p in pairs {
                    let (Some(k), Some(v)) = (p.child_by_field_name("key"), p.child_by_field_name("value")) else {
                        continue;
                    };
                    let key = self.property_key(k);
                    if self.text(v) != key {
                        self.bind(&root, &key, Binding { pos, bind: bind(v) });
                    }
                }
            }
            return;
        }
        let name = target.strip_prefix("module.exports.").or_else(|| target.strip_prefix("exports."));
        if let Some(name) = name.filter(|n| !n.contains('.') && !n.is_empty()) {
            if self.text(right) != name {
                self.bind(&root, name, Binding { pos, bind: bind(right) });
            }
        }
    }

    /// `export default <expr>` and `export { a as b }` bind `default` and `b` at the top
    /// level, so that other modules importing them find the client (`exports`).
    fn note_exports(&mut self, node: Node<'t>, ctx: &Ctx) {
        if node.child_by_field_name("source").is_some() {
            return;
        }
        let pos = node.start_byte();
        if self.text(node).starts_with("export default") {
            let value = node.child_by_field_name("value").or_else(|| node.child_by_field_name("declaration"));
            if let Some(v) = value {
                let bind = match v.kind() {
                    k if is_function(k) => Bind::Func(v),
                    "class_declaration" | "class" => return,
                    _ => Bind::Expr(v, ctx.clone()),
                };
                self.bind(ctx, "default", Binding { pos, bind });
            }
            return;
        }
        let mut cursor = node.walk();
        for clause in node.named_children(&mut cursor).filter(|c| c.kind() == "export_clause") {
            let mut cc = clause.walk();
            for spec in clause.named_children(&mut cc).filter(|c| c.kind() == "export_specifier") {
                let (Some(name), Some(alias)) = (spec.child_by_field_name("name"), spec.child_by_field_name("alias"))
                else {
                    continue;
                };
                let alias = self.text(alias).to_string();
                if alias != self.text(name) {
                    self.bind(ctx, &alias, Binding { pos, bind: Bind::Expr(name, ctx.clone()) });
                }
            }
        }
    }

    fn collect_function(&mut self, node: Node<'t>, ctx: &Ctx) {
        let id = node.id();
        if let Some(name) = node.child_by_field_name("name") {
            let name = self.text(name).to_string();
            if node.kind() == "method_definition" {
                if let Some(class) = ctx.class {
                    self.classes.entry(class).or_default().methods.insert(name, node);
                }
            } else {
                self.bind(ctx, &name, Binding { pos: node.start_byte(), bind: Bind::Func(node) });
            }
        }
        let mut chain = ctx.chain.to_vec();
        chain.push(id);
        let inner = Ctx { chain: Rc::from(chain), class: ctx.class };
        self.funcs.insert(
            id,
            FuncInfo {
                returns: Vec::new(),
                annotation: node.child_by_field_name("return_type").map(|t| (t, ctx.clone())),
            },
        );
        let params = node.child_by_field_name("parameters").or_else(|| node.child_by_field_name("parameter"));
        if let Some(params) = params {
            let list: Vec<Node<'t>> = if params.kind() == "identifier" {
                vec![params]
            } else {
                let mut cursor = params.walk();
                params.named_children(&mut cursor).filter(|p| p.kind() != "comment").collect()
            };
            let doc = self.doc_params(node);
            let contextual = self.contextual(node, ctx);
            let options =
                node.parent().filter(|p| p.kind() == "pair").and_then(|p| p.parent()).filter(|o| o.kind() == "object");
            for (i, p) in list.into_iter().enumerate() {
                self.collect_param(p, &inner, &doc, i, options);
                let (pattern, own_type) = match p.kind() {
                    "required_parameter" | "optional_parameter" => {
                        (p.child_by_field_name("pattern"), p.child_by_field_name("type"))
                    }
                    _ => (Some(p), None),
                };
                if let (Some(c), Some(pattern), None) = (&contextual, pattern, own_type) {
                    if pattern.kind() == "object_pattern" {
                        self.bind_contextual(pattern, c, &inner, i);
                    }
                }
            }
        }
        if let Some(body) = node.child_by_field_name("body") {
            if node.kind() == "arrow_function" && body.kind() != "statement_block" {
                if let Some(info) = self.funcs.get_mut(&id) {
                    info.returns.push((body, inner.clone()));
                }
            }
            self.collect(body, &inner);
        }
    }

    fn collect_param(&mut self, p: Node<'t>, ctx: &Ctx, doc: &DocParams, index: usize, options: Option<Node<'t>>) {
        let pos = p.start_byte();
        let (pattern, ty) = match p.kind() {
            "required_parameter" | "optional_parameter" => {
                (p.child_by_field_name("pattern"), p.child_by_field_name("type"))
            }
            "identifier" | "object_pattern" => (Some(p), None),
            "assignment_pattern" => {
                if let (Some(l), Some(r)) = (p.child_by_field_name("left"), p.child_by_field_name("right")) {
                    self.bind_pattern(l, Some(r), ctx, pos);
                    if l.kind() == "object_pattern" {
                        self.bind_typed_pattern(l, None, ctx, doc, index, options);
                    } else if let Some(t) = doc.of_param(index, self.text(l)) {
                        let name = self.text(l).to_string();
                        self.bind(ctx, &name, Binding { pos, bind: Bind::Doc(t, ctx.clone(), l.id()) });
                    }
                }
                return;
            }
            _ => (None, None),
        };
        let Some(pattern) = pattern else { return };
        if pattern.kind() == "object_pattern" {
            // `({ client }: { client: OpenAI })`, `/** @param {{ openai: OpenAI }} p */ ({ openai })`.
            self.bind_typed_pattern(pattern, ty, ctx, doc, index, options);
            return;
        }
        if pattern.kind() != "identifier" {
            return;
        }
        let name = self.text(pattern).to_string();
        if let (None, Some(t)) = (ty, doc.of_param(index, &name)) {
            self.bind(ctx, &name, Binding { pos, bind: Bind::Doc(t, ctx.clone(), pattern.id()) });
        }
        if let Some(t) = ty {
            self.bind(ctx, &name, Binding { pos, bind: Bind::Annot(t, ctx.clone()) });
            // `constructor(private client: OpenAI)` is also `this.client`.
            let mut cursor = p.walk();
            let is_property =
                p.children(&mut cursor).any(|c| c.kind() == "accessibility_modifier" || c.kind() == "readonly");
            if let (true, Some(class)) = (is_property, ctx.class) {
                self.classes
                    .entry(class)
                    .or_default()
                    .attrs
                    .entry(name.clone())
                    .or_default()
                    .push(Binding { pos, bind: Bind::Annot(t, ctx.clone()) });
            }
        }
        if let Some(v) = p.child_by_field_name("value") {
            self.bind(ctx, &name, Binding { pos, bind: Bind::Expr(v, ctx.clone()) });
        }
    }

    /// The names a destructured parameter binds, typed by its annotation (an object type,
    /// or an interface or type alias of this file) or by its JSDoc (`@param {{ openai:
    /// OpenAI }} params`, `@param {OpenAI} params.openai`).
    fn bind_typed_pattern(
        &mut self,
        pattern: Node<'t>,
        ty: Option<Node<'t>>,
        ctx: &Ctx,
        doc: &DocParams,
        index: usize,
        options: Option<Node<'t>>,
    ) {
        let mut cursor = pattern.walk();
        let props: Vec<Node<'t>> = pattern.named_children(&mut cursor).collect();
        for p in props {
            let Some((key, local)) = self.pattern_property(p) else { continue };
            let name = self.text(local).to_string();
            let pos = p.start_byte();
            if let Some(t) = ty.and_then(|t| self.property_type(t, &key, 0)) {
                let bind = match options {
                    Some(o) => Bind::AnnotIn(t, ctx.clone(), o),
                    None => Bind::Annot(t, ctx.clone()),
                };
                self.bind(ctx, &name, Binding { pos, bind });
            } else if let Some(t) = doc.of_property(index, &key) {
                self.bind(ctx, &name, Binding { pos, bind: Bind::Doc(t, ctx.clone(), local.id()) });
            }
        }
    }

    /// The names a destructured parameter without a type binds, typed by the context.
    fn bind_contextual(&mut self, pattern: Node<'t>, c: &Contextual<'t>, ctx: &Ctx, index: usize) {
        let param_type = match c {
            Contextual::Local(f, obj) => {
                let params = f.child_by_field_name("parameters");
                let p = params.and_then(|ps| {
                    let mut cursor = ps.walk();
                    let found = ps.named_children(&mut cursor).filter(|p| p.kind() != "comment").nth(index);
                    found
                });
                match p.and_then(|p| p.child_by_field_name("type")) {
                    Some(t) => Some((t, *obj)),
                    None => return,
                }
            }
            Contextual::Imported(_) => None,
        };
        let mut cursor = pattern.walk();
        let props: Vec<Node<'t>> = pattern.named_children(&mut cursor).collect();
        for p in props {
            let Some((key, local)) = self.pattern_property(p) else { continue };
            let name = self.text(local).to_string();
            let pos = p.start_byte();
            let bind = match (&param_type, c) {
                (Some((t, obj)), _) => match self.property_type(*t, &key, 0) {
                    Some(pt) => Bind::AnnotIn(pt, ctx.clone(), *obj),
                    None => continue,
                },
                (None, Contextual::Imported(path)) => Bind::Typed(path.member(&format!("#{index}")).member(&key)),
                _ => continue,
            };
            self.bind(ctx, &name, Binding { pos, bind });
        }
    }

    /// A property of an object pattern: its key and the identifier it binds
    /// (`{ client }`, `{ client = x }`, `{ client: c }`).
    fn pattern_property(&self, p: Node<'t>) -> Option<(String, Node<'t>)> {
        match p.kind() {
            "shorthand_property_identifier_pattern" => Some((self.text(p).to_string(), p)),
            "object_assignment_pattern" => p.child_by_field_name("left").map(|l| (self.text(l).to_string(), l)),
            "pair_pattern" => {
                let (k, v) = (p.child_by_field_name("key")?, p.child_by_field_name("value")?);
                let v = if v.kind() == "assignment_pattern" { v.child_by_field_name("left").unwrap_or(v) } else { v };
                (v.kind() == "identifier").then(|| (self.property_key(k), v))
            }
            _ => None,
        }
    }

    /// The annotated type of property `key` in an object type, or in the interface or type
    /// alias of this file a type names. Interfaces declared later in the file are not yet
    /// known here; `types` is filled before functions only when declared above them.
    fn property_type(&self, t: Node<'t>, key: &str, depth: u32) -> Option<Node<'t>> {
        if depth > 4 {
            return None;
        }
        match t.kind() {
            "type_annotation" | "parenthesized_type" => self.property_type(t.named_child(0)?, key, depth + 1),
            "type_identifier" => self.property_type(*self.types.get(self.text(t))?, key, depth + 1),
            "object_type" | "interface_body" => {
                let mut cursor = t.walk();
                let found = t.named_children(&mut cursor).find(|m| {
                    m.kind() == "property_signature"
                        && m.child_by_field_name("name").is_some_and(|n| self.property_key(n) == key)
                });
                found.and_then(|m| m.child_by_field_name("type"))
            }
            "intersection_type" | "union_type" => {
                let mut cursor = t.walk();
                let parts: Vec<Node<'t>> = t.named_children(&mut cursor).collect();
                parts.into_iter().find_map(|p| self.property_type(p, key, depth + 1))
            }
            _ => None,
        }
    }

    /// The string-valued properties of an options object (`baseURL: "https://..."`), as the
    /// keyword arguments of the instance a type annotation stands for.
    fn literal_options(&self, obj: Node<'t>, ctx: &Ctx) -> CallArgs {
        let mut out = CallArgs::default();
        let mut cursor = obj.walk();
        for p in obj.named_children(&mut cursor).filter(|p| p.kind() == "pair") {
            let (Some(k), Some(v)) = (p.child_by_field_name("key"), p.child_by_field_name("value")) else { continue };
            let value = match self.string_lit(v) {
                Some(s) => Some(s),
                None if v.kind() == "identifier" => self.string_of_name(self.text(v), ctx, v.start_byte()),
                None => None,
            };
            if let Some(s) = value {
                out.keywords.push((self.property_key(k), ArgValue::Str(s)));
            }
        }
        out
    }

    /// The contextual type of a function that is the value of a property of an object
    /// literal: the literal's declared type (`{ ... } satisfies Opts`, `const o: Opts = { ... }`,
    /// `{ ... } as Opts`) or the type of the parameter it is passed to (`makeRuntime({ ... })`
    /// with `makeRuntime(o: Opts)`), looked up in this file or, through the exports of the
    /// module that declares it, in another.
    fn contextual(&self, func: Node<'t>, ctx: &Ctx) -> Option<Contextual<'t>> {
        let pair = func.parent().filter(|p| p.kind() == "pair")?;
        let key = self.property_key(pair.child_by_field_name("key")?);
        let obj = pair.parent().filter(|o| o.kind() == "object")?;
        let holder = obj.parent()?;
        let (ty, callee_param) = match holder.kind() {
            "satisfies_expression" | "as_expression" => (holder.named_child(1), None),
            "variable_declarator" => (holder.child_by_field_name("type"), None),
            "arguments" => {
                let mut cursor = holder.walk();
                let index = holder.named_children(&mut cursor).position(|a| a == obj)?;
                (None, Some((holder.parent()?.child_by_field_name("function")?, index)))
            }
            _ => return None,
        };
        let options = self.literal_options(obj, ctx);
        let imported = |p: Path| {
            let mut p = p;
            p.0.last_mut()?.call = Some(std::sync::Arc::new(options.clone()));
            Some(Contextual::Imported(p.member(&key)))
        };
        let ty = match (ty, callee_param) {
            (Some(t), _) => t,
            // Read while bindings are still being collected: only what a name is bound to
            // directly (a function, an import), never a memoised resolution.
            (None, Some((callee, index))) => match self.direct_binding(callee, ctx)? {
                Val::Func(f) => {
                    let params = f.child_by_field_name("parameters")?;
                    let mut cursor = params.walk();
                    let p = params.named_children(&mut cursor).filter(|p| p.kind() != "comment").nth(index)?;
                    p.child_by_field_name("type")?
                }
                Val::Path(p) if self.locals.is_local_module_path(&p) => {
                    return imported(p.member(&format!("#{index}")))
                }
                _ => return None,
            },
            _ => return None,
        };
        let ty = if ty.kind() == "type_annotation" { ty.named_child(0)? } else { ty };
        let name_node = if ty.kind() == "generic_type" { ty.child_by_field_name("name")? } else { ty };
        if name_node.kind() == "type_identifier" && !self.types.contains_key(self.text(name_node)) {
            return match self.direct_binding(name_node, ctx)? {
                Val::Path(p) if self.locals.is_local_module_path(&p) => imported(p),
                _ => None,
            };
        }
        let prop = self.property_type(ty, &key, 0)?;
        Some(Contextual::Local(function_type(prop)?, obj))
    }

    /// What a name is bound to without resolving anything: a function or an import.
    fn direct_binding(&self, name: Node<'t>, ctx: &Ctx) -> Option<Val<'t>> {
        if !matches!(name.kind(), "identifier" | "type_identifier") {
            return None;
        }
        self.lookup(self.text(name), ctx, name.start_byte()).into_iter().find_map(|b| match &b.bind {
            Bind::Func(f) => Some(Val::Func(*f)),
            Bind::Import(p) => Some(Val::Path(p.clone())),
            _ => None,
        })
    }

    /// The `@param` types of a function's JSDoc comment.
    fn doc_params(&self, func: Node<'t>) -> DocParams {
        let mut out = DocParams::default();
        let Some(comment) = doc_comment(func, self.src) else { return out };
        for tag in jsdoc_tags(self.text(comment))
            .into_iter()
            .filter(|t| matches!(t.tag.as_str(), "param" | "arg" | "argument"))
        {
            let (Some(ty), Some(name)) = (tag.ty, tag.name) else { continue };
            match name.split_once('.') {
                Some((base, prop)) => out.props.push((base.to_string(), prop.to_string(), ty)),
                None => out.params.push((name, ty)),
            }
        }
        out
    }

    /// The value of a type written in a JSDoc comment: `OpenAI` (a name of this file, a
    /// `@typedef` of this file, else a global type another file of the tree declares),
    /// `import('openai').OpenAI`, `A | B`, `A & B` (the first that resolves).
    fn resolve_doc_type(&self, ty: &str, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.budget.step(depth) {
            return None;
        }
        let t = ty.trim().trim_start_matches(['?', '!']).trim_end_matches('=').trim();
        let parts = split_top(t, &['|', '&']);
        if parts.len() > 1 {
            return self.best(parts.iter().map(|p| self.resolve_doc_type(p, ctx, depth + 1)));
        }
        if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            return self.resolve_doc_type(inner, ctx, depth + 1);
        }
        if let Some(rest) = t.strip_prefix("import(") {
            let (spec, tail) = rest.split_once(')')?;
            let spec = spec.trim().trim_matches(['"', '\'', '`']);
            let p = tail
                .trim_start_matches('.')
                .split('.')
                .filter(|s| !s.is_empty())
                .fold(self.module_root(spec), |acc, s| acc.member(s.trim()));
            return p.called(CallArgs::default()).map(Val::Path);
        }
        if !t.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') || t.is_empty() {
            return None;
        }
        let mut names = t.split('.');
        let first = names.next()?;
        let rest: Vec<&str> = names.collect();
        let members = |p: Path| rest.iter().fold(p, |acc, s| acc.member(s));
        if let Some((_, def)) = self.typedefs.iter().find(|(n, _)| n == first) {
            let root = Ctx { chain: Rc::from(vec![self.root_id]), class: None };
            return match self.resolve_doc_type(def, &root, depth + 1)? {
                Val::Path(p) if rest.is_empty() => Some(Val::Path(p)),
                _ => None,
            };
        }
        match self.resolve_name(first, ctx, usize::MAX, depth + 1) {
            Some(Val::Path(p)) => members(p).called(CallArgs::default()).map(Val::Path),
            Some(Val::Class(c)) if rest.is_empty() => Some(Val::Instance(c)),
            Some(_) => None,
            // A type declared in another file of the tree (JSDoc typedefs are global).
            None if first.starts_with(|c: char| c.is_ascii_uppercase()) && !is_builtin_type(first) => {
                Some(Val::Path(members(Path::from_dotted(&format!("{}{first}", super::JSDOC_GLOBAL)))))
            }
            None => None,
        }
    }

    fn collect_class(&mut self, node: Node<'t>, ctx: &Ctx) {
        let id = node.id();
        if let Some(name) = node.child_by_field_name("name") {
            let name = self.text(name).to_string();
            self.bind(ctx, &name, Binding { pos: node.start_byte(), bind: Bind::Class(id) });
        }
        let info = self.classes.entry(id).or_default();
        let mut cursor = node.walk();
        for c in node.named_children(&mut cursor) {
            if c.kind() == "class_heritage" {
                let mut cc = c.walk();
                for e in c.named_children(&mut cc) {
                    let target = if e.kind() == "extends_clause" {
                        e.child_by_field_name("value").or_else(|| e.named_child(0))
                    } else {
                        Some(e)
                    };
                    if let Some(t) = target {
                        info.bases.push((t, ctx.clone()));
                    }
                }
            }
        }
        let inner = Ctx { chain: ctx.chain.clone(), class: Some(id) };
        let Some(body) = node.child_by_field_name("body") else { return };
        let mut cursor = body.walk();
        let members: Vec<Node<'t>> = body.named_children(&mut cursor).collect();
        for m in members {
            match m.kind() {
                "public_field_definition" | "field_definition" => {
                    let name = m.child_by_field_name("name").or_else(|| m.child_by_field_name("property"));
                    if let Some(name) = name {
                        let name = self.text(name).to_string();
                        let attrs = &mut self.classes.entry(id).or_default().attrs;
                        if let Some(v) = m.child_by_field_name("value") {
                            attrs
                                .entry(name.clone())
                                .or_default()
                                .push(Binding { pos: m.start_byte(), bind: Bind::Expr(v, inner.clone()) });
                            self.collect(v, &inner);
                        }
                        if let Some(t) = m.child_by_field_name("type") {
                            let attrs = &mut self.classes.entry(id).or_default().attrs;
                            attrs
                                .entry(name)
                                .or_default()
                                .push(Binding { pos: m.start_byte(), bind: Bind::Annot(t, inner.clone()) });
                        }
                    }
                }
                _ => self.collect(m, &inner),
            }
        }
    }

    /// `(local name, canonical path)` for each name an import binds.
    fn import_bindings(&self, node: Node<'t>) -> Vec<(String, Path)> {
        let mut out = Vec::new();
        let Some(spec) = node.child_by_field_name("source").and_then(|s| self.string_lit(s)) else { return out };
        let root = self.module_root(&spec);
        let mut cursor = node.walk();
        for clause in node.named_children(&mut cursor).filter(|c| c.kind() == "import_clause") {
            let mut cc = clause.walk();
            for item in clause.named_children(&mut cc) {
                match item.kind() {
                    "identifier" => out.push((self.text(item).to_string(), root.member("default"))),
                    "namespace_import" => {
                        if let Some(id) = item.named_child(0) {
                            out.push((self.text(id).to_string(), root.clone()));
                        }
                    }
                    "named_imports" => {
                        let mut ic = item.walk();
                        for s in item.named_children(&mut ic).filter(|s| s.kind() == "import_specifier") {
                            let name = s
                                .child_by_field_name("name")
                                .map(|n| self.text(n).trim_matches(['"', '\'']).to_string());
                            let alias = s.child_by_field_name("alias").map(|n| self.text(n).to_string());
                            if let Some(name) = name {
                                out.push((alias.unwrap_or_else(|| name.clone()), root.member(&name)));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    // ---------------------------------------------------------------- resolution

    fn lookup(&self, name: &str, ctx: &Ctx, pos: usize) -> Vec<&Binding<'t>> {
        for (i, scope) in ctx.chain.iter().rev().enumerate() {
            let Some(binds) = self.scopes.get(scope).and_then(|s| s.get(name)) else { continue };
            return budget::candidates(binds, if i == 0 { Some(pos) } else { None }).collect();
        }
        Vec::new()
    }

    fn resolve_binding(&self, b: &Binding<'t>, depth: u32) -> Option<Val<'t>> {
        match &b.bind {
            Bind::Import(p) => Some(Val::Path(p.clone())),
            Bind::Expr(n, c) => self.cached((n.id(), 0), || self.resolve(*n, c, depth + 1)),
            Bind::Annot(t, c) => self.bindings.get_or((t.id(), 1), || self.resolve_annotation(*t, c, depth + 1)),
            Bind::Func(f) => Some(Val::Func(*f)),
            Bind::Class(c) => Some(Val::Class(*c)),
            Bind::Typed(p) => Some(Val::Path(p.clone())),
            Bind::AnnotIn(t, c, obj) => {
                self.bindings.get_or((t.id(), 3), || match self.resolve_annotation(*t, c, depth + 1)? {
                    Val::Path(mut p) if p.0.last().is_some_and(|s| s.call.as_deref() == Some(&CallArgs::default())) => {
                        let args = self.literal_options(*obj, c);
                        if let Some(last) = p.0.last_mut() {
                            last.call = Some(std::sync::Arc::new(args));
                        }
                        Some(Val::Path(p))
                    }
                    v => Some(v),
                })
            }
            Bind::Doc(t, c, id) => self.bindings.get_or((*id, 2), || self.resolve_doc_type(t, c, depth + 1)),
            Bind::Member(n, c, name) => {
                let v = self.cached((n.id(), 0), || self.resolve(*n, c, depth + 1))?;
                self.member_of(v, name, depth + 1)
            }
        }
    }

    /// The value of a name from its bindings, nearest first: the first a vendor serves, as
    /// a variable assigned in two branches (`result = await a()` / `result = await b()`)
    /// may hold either ([`Self::best`]).
    fn first_resolved(&self, binds: Vec<&Binding<'t>>, depth: u32) -> Option<Val<'t>> {
        if binds.len() == 1 {
            return self.resolve_binding(binds[0], depth);
        }
        self.best(binds.into_iter().map(|b| self.resolve_binding(b, depth)))
    }

    fn resolve_annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.budget.step(depth) {
            return None;
        }
        match t.kind() {
            "type_annotation" | "parenthesized_type" => self.resolve_annotation(t.named_child(0)?, ctx, depth + 1),
            "type_identifier" | "identifier" => {
                match self.resolve_name(self.text(t), ctx, t.start_byte(), depth + 1)? {
                    Val::Path(p) => p.called(CallArgs::default()).map(Val::Path),
                    Val::Class(c) => Some(Val::Instance(c)),
                    _ => None,
                }
            }
            "nested_type_identifier" | "member_expression" => {
                let p = self.resolve(t, ctx, depth + 1).or_else(|| {
                    let text = self.text(t);
                    let (first, rest) = text.split_once('.')?;
                    match self.resolve_name(first, ctx, t.start_byte(), depth + 1)? {
                        Val::Path(p) => Some(Val::Path(rest.split('.').fold(p, |acc, s| acc.member(s.trim())))),
                        _ => None,
                    }
                })?;
                match p {
                    Val::Path(p) => p.called(CallArgs::default()).map(Val::Path),
                    _ => None,
                }
            }
            "union_type" | "generic_type" => {
                let mut cursor = t.walk();
                let children: Vec<Node<'t>> = t.named_children(&mut cursor).collect();
                children.into_iter().find_map(|c| self.resolve_annotation(c, ctx, depth + 1))
            }
            _ => None,
        }
    }

    fn resolve_name(&self, name: &str, ctx: &Ctx, pos: usize, depth: u32) -> Option<Val<'t>> {
        self.first_resolved(self.lookup(name, ctx, pos), depth)
    }

    fn resolve(&self, node: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        // One budget per file keeps pathological code linear; past it, names stay unresolved.
        if !self.budget.step(depth) {
            return None;
        }
        match node.kind() {
            "identifier" => {
                let name = self.text(node);
                self.resolve_name(name, ctx, node.start_byte(), depth).or_else(|| {
                    // An unbound name an HTTP library rule declares is the global (`fetch`, `window`).
                    let global = self
                        .rules
                        .http_clients
                        .iter()
                        .flat_map(|c| &c.modules)
                        .any(|m| m == name || m.strip_prefix(name).is_some_and(|r| r.starts_with('.')));
                    (global && self.lookup(name, ctx, usize::MAX).is_empty() && self.ecma_global(name))
                        .then(|| Val::Path(Path::from_dotted(name)))
                })
            }
            "this" => ctx.class.map(Val::Instance),
            "member_expression" => {
                let obj = node.child_by_field_name("object")?;
                let prop = self.text(node.child_by_field_name("property")?);
                let v = self.resolve(obj, ctx, depth + 1)?;
                self.member_of(v, prop, depth)
            }
            "subscript_expression" => {
                let obj = node.child_by_field_name("object")?;
                let Some(key) = self.string_lit(node.child_by_field_name("index")?) else {
                    return self.table_entry(node, obj, ctx, depth);
                };
                match self.resolve(obj, ctx, depth + 1)? {
                    v @ (Val::Path(_) | Val::Object(..)) => self.member_of(v, &key, depth),
                    _ => None,
                }
            }
            "call_expression" => {
                let f = node.child_by_field_name("function")?;
                // `require("openai")` and `await import("openai")`.
                if let Some(spec) = self.required_module(node) {
                    return Some(Val::Path(self.module_root(&spec)));
                }
                // LangChain chains: `prompt.pipe(llm)`, `RunnableSequence.from([prompt, llm])`
                // are runnables of the model inside them.
                if let Some(v) = self.chain_model(node, f, ctx, depth) {
                    return Some(v);
                }
                match self.resolve(f, ctx, depth + 1)? {
                    Val::Path(p) if self.rules.is_passthrough(&p.dotted(p.0.len())) => {
                        // As in Python: the wrapped client, seen through the wrapper's own
                        // operations when it declares some (`instructor.from_openai`).
                        let first = node.child_by_field_name("arguments")?.named_child(0)?;
                        match (
                            self.resolve(first, ctx, depth + 1)?,
                            self.rules.passthrough_marker(&p.dotted(p.0.len())),
                        ) {
                            (Val::Path(w), Some(marker)) => Some(Val::Path(w.member(&marker))),
                            (v, _) => Some(v),
                        }
                    }
                    Val::Path(p) => {
                        let args = node
                            .child_by_field_name("arguments")
                            .map(|a| self.call_args(a, ctx, depth))
                            .unwrap_or_default();
                        p.called(args).map(Val::Path)
                    }
                    Val::Func(def) => self.function_result(def, depth),
                    Val::Class(c) => Some(Val::Instance(c)),
                    Val::Instance(_) | Val::Object(..) => None,
                }
            }
            "new_expression" => {
                let f = node.child_by_field_name("constructor")?;
                match self.resolve(f, ctx, depth + 1)? {
                    Val::Path(p) => {
                        let args = node
                            .child_by_field_name("arguments")
                            .map(|a| self.call_args(a, ctx, depth))
                            .unwrap_or_default();
                        p.called(args).map(Val::Path)
                    }
                    Val::Class(c) => Some(Val::Instance(c)),
                    _ => None,
                }
            }
            "await_expression"
            | "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression"
            | "type_assertion" => self.resolve(node.named_child(0)?, ctx, depth + 1),
            "binary_expression" => {
                // `client ?? new OpenAI()`, `a || b`.
                let l = node.child_by_field_name("left");
                let r = node.child_by_field_name("right");
                self.best([l, r].into_iter().flatten().map(|n| self.resolve(n, ctx, depth + 1)))
            }
            "ternary_expression" => {
                // `isTest ? mockModel : gateway.languageModel(...)`: the branch a vendor serves.
                let c = node.child_by_field_name("consequence");
                let a = node.child_by_field_name("alternative");
                self.best([c, a].into_iter().flatten().map(|n| self.resolve(n, ctx, depth + 1)))
            }
            "object" => Some(Val::Object(node, ctx.clone())),
            k if is_function(k) => Some(Val::Func(node)),
            _ => None,
        }
    }

    fn chain_model(&self, call: Node<'t>, f: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if f.kind() != "member_expression" {
            return None;
        }
        let method = self.text(f.child_by_field_name("property")?);
        let args = call.child_by_field_name("arguments")?;
        let candidates: Vec<Node<'t>> = match method {
            "pipe" => {
                let mut v = vec![f.child_by_field_name("object")?];
                v.extend(args.named_child(0));
                v
            }
            "from" if self.text(f.child_by_field_name("object")?) == "RunnableSequence" => {
                let list = args.named_child(0).filter(|a| a.kind() == "array")?;
                let mut cursor = list.walk();
                list.named_children(&mut cursor).collect()
            }
            _ => return None,
        };
        candidates.into_iter().find_map(|c| match self.resolve(c, ctx, depth + 1) {
            Some(Val::Path(p)) if is_vendor_path(self.rules, &p) => Some(Val::Path(p)),
            _ => None,
        })
    }

    fn required_module(&self, call: Node<'t>) -> Option<String> {
        let f = call.child_by_field_name("function")?;
        let is_require = (f.kind() == "identifier" && self.text(f) == "require") || f.kind() == "import";
        if !is_require {
            return None;
        }
        self.string_lit(call.child_by_field_name("arguments")?.named_child(0)?)
    }

    /// What calling a local function gives, computed once per function: recursion and
    /// functions with many returns would otherwise make resolution exponential.
    fn function_result(&self, def: Node<'t>, depth: u32) -> Option<Val<'t>> {
        let mark = self.tables.mark();
        let v = self.results.get_or(def.id(), || self.function_result_uncached(def, depth));
        self.tables.remember((def.id(), u8::MAX), mark);
        v
    }

    /// A binding's value, computed once, and the run-time tables it went through noted
    /// again on every use, so that a call reading a cached value still knows them.
    fn cached(&self, key: (usize, u8), f: impl FnOnce() -> Option<Val<'t>>) -> Option<Val<'t>> {
        let mark = self.tables.mark();
        let v = self.bindings.get_or(key, f);
        self.tables.remember(key, mark);
        v
    }

    fn function_result_uncached(&self, def: Node<'t>, depth: u32) -> Option<Val<'t>> {
        let info = self.funcs.get(&def.id())?;
        // Of several returns (`if (isTest) return mock; return gateway.languageModel(...)`),
        // the one a vendor serves.
        self.best(info.returns.iter().map(|(n, c)| match self.resolve(*n, c, depth + 1) {
            Some(Val::Func(_)) | None => None,
            v => v,
        }))
        .or_else(|| info.annotation.as_ref().and_then(|(t, c)| self.resolve_annotation(*t, c, depth + 1)))
    }

    /// Of alternative values (the branches of `a ? b : c`, a function's returns), the first
    /// that a vendor serves (a client or a model object), else the first vendor path, else
    /// the first value: a mock or a local helper in one branch does not hide the SDK in another.
    fn best(&self, vals: impl Iterator<Item = Option<Val<'t>>>) -> Option<Val<'t>> {
        let rank = |v: &Val<'t>| match v {
            Val::Path(p) if matcher::client_behind(self.rules, LANG, p).is_some() => 3,
            Val::Path(p) if is_vendor_path(self.rules, p) => 2,
            Val::Path(p) if self.locals.is_local_path(p) || self.locals.is_local_module_path(p) => 1,
            Val::Object(..) => 1,
            _ => 0,
        };
        let mut best: Option<(u8, Val<'t>)> = None;
        for v in vals.flatten() {
            let r = rank(&v);
            if best.as_ref().is_none_or(|(b, _)| r > *b) {
                best = Some((r, v));
            }
        }
        best.map(|(_, v)| v)
    }

    /// `value.name`: a path's member, a class member, an object literal's property.
    fn member_of(&self, v: Val<'t>, name: &str, depth: u32) -> Option<Val<'t>> {
        match v {
            Val::Path(p) => Some(Val::Path(p.member(name))),
            Val::Instance(c) | Val::Class(c) => self.class_member(c, name, depth, 0),
            Val::Object(obj, ctx) => self.object_property(obj, &ctx, name, depth + 1),
            Val::Func(_) => None,
        }
    }

    /// The value of property `name` of an object literal (`{ openai }`, `{ client: c }`,
    /// `{ ...base }`), resolved in the literal's scope.
    fn object_property(&self, obj: Node<'t>, ctx: &Ctx, name: &str, depth: u32) -> Option<Val<'t>> {
        if !self.budget.step(depth) {
            return None;
        }
        let mut cursor = obj.walk();
        let props: Vec<Node<'t>> = obj.named_children(&mut cursor).collect();
        for p in props.into_iter().rev() {
            match p.kind() {
                "shorthand_property_identifier" if self.text(p) == name => {
                    return self.resolve_name(name, ctx, p.start_byte(), depth + 1);
                }
                "pair" if p.child_by_field_name("key").is_some_and(|k| self.property_key(k) == name) => {
                    return self.resolve(p.child_by_field_name("value")?, ctx, depth + 1);
                }
                "method_definition" if p.child_by_field_name("name").is_some_and(|k| self.text(k) == name) => {
                    return Some(Val::Func(p));
                }
                "spread_element" => {
                    if let Some(Val::Object(o, c)) = p.named_child(0).and_then(|e| self.resolve(e, ctx, depth + 1)) {
                        if let Some(v) = self.object_property(o, &c, name, depth + 1) {
                            return Some(v);
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// `table[key]` with a key known only at run time, on an object literal: the entry of
    /// the key assumed for this subscript, if one is; otherwise the table is noted (so the
    /// call is resolved again once per key) and the value is unknown.
    fn table_entry(&self, node: Node<'t>, obj: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        let Val::Object(table, tctx) = self.resolve(obj, ctx, depth + 1)? else { return None };
        if let Some(key) = self.tables.assumed(node.id()) {
            return self.object_property(table, &tctx, &key, depth + 1);
        }
        let mut cursor = table.walk();
        let keys: Vec<String> = table
            .named_children(&mut cursor)
            .filter_map(|p| match p.kind() {
                "shorthand_property_identifier" => Some(self.text(p).to_string()),
                "pair" => p.child_by_field_name("key").map(|k| self.property_key(k)),
                _ => None,
            })
            .collect();
        self.tables.note(node.id(), keys);
        None
    }

    /// The name of an object key: `a`, `"a"`, `'a'`.
    fn property_key(&self, k: Node<'t>) -> String {
        self.string_lit(k).unwrap_or_else(|| self.text(k).to_string())
    }

    fn class_member(&self, class: usize, attr: &str, depth: u32, inherit: u32) -> Option<Val<'t>> {
        let info = self.classes.get(&class)?;
        if let Some(binds) = info.attrs.get(attr) {
            if let Some(x) = self.first_resolved(budget::candidates(binds, None).collect(), depth + 1) {
                return Some(x);
            }
        }
        if let Some(m) = info.methods.get(attr) {
            let is_getter = {
                let mut c = m.walk();
                let found = m.children(&mut c).any(|ch| ch.kind() == "get");
                found
            };
            if is_getter {
                return self.function_result(*m, depth + 1);
            }
            return Some(Val::Func(*m));
        }
        if inherit > 4 {
            return None;
        }
        info.bases.iter().find_map(|(b, c)| match self.resolve(*b, c, depth + 1) {
            Some(Val::Class(base)) => self.class_member(base, attr, depth + 1, inherit + 1),
            _ => None,
        })
    }

    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32) -> CallArgs {
        let mut out = CallArgs::default();
        let mut cursor = args.walk();
        for (i, a) in args.named_children(&mut cursor).enumerate() {
            if a.kind() == "comment" {
                continue;
            }
            if a.kind() == "object" && i == 0 {
                self.object_keywords(a, ctx, "", depth, &mut out.keywords);
            } else if i == 0 && a.kind() == "identifier" && depth < 8 {
                // An options object built beforehand: `const options = { model, prompt }; streamText(options)`.
                if let Some(Val::Object(obj, octx)) = self.resolve(a, ctx, depth + 1) {
                    self.object_keywords(obj, &octx, "", depth + 1, &mut out.keywords);
                }
            }
            out.positional.push(self.arg_value(a, ctx, depth));
        }
        out
    }

    /// Properties of an options object as keyword arguments, nested ones dotted.
    fn object_keywords(&self, obj: Node<'t>, ctx: &Ctx, prefix: &str, depth: u32, out: &mut Vec<(String, ArgValue)>) {
        let mut cursor = obj.walk();
        for p in obj.named_children(&mut cursor) {
            let (key, value) = match p.kind() {
                "pair" => {
                    let key = p
                        .child_by_field_name("key")
                        .map(|k| self.string_lit(k).unwrap_or_else(|| self.text(k).to_string()));
                    (key, p.child_by_field_name("value"))
                }
                "shorthand_property_identifier" => (Some(self.text(p).to_string()), Some(p)),
                _ => (None, None),
            };
            let (Some(key), Some(value)) = (key, value) else { continue };
            let name = if prefix.is_empty() { key } else { format!("{prefix}.{key}") };
            if value.kind() == "object" && prefix.is_empty() {
                self.object_keywords(value, ctx, &name, depth, out);
            }
            let v = if value.kind() == "shorthand_property_identifier" {
                match self.string_value(value, ctx, 0) {
                    Some(s) => ArgValue::Str(s),
                    None => match self.resolve_name(self.text(value), ctx, value.start_byte(), depth + 1) {
                        Some(Val::Path(p)) => ArgValue::Path(p),
                        _ => ArgValue::Dynamic,
                    },
                }
            } else {
                self.arg_value(value, ctx, depth)
            };
            out.push((name, v));
        }
    }

    fn arg_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> ArgValue {
        if let Some(s) = self.string_value(v, ctx, 0) {
            return ArgValue::Str(s);
        }
        if depth < 8 {
            if let Some(p) = self.pattern_value(v, ctx, depth) {
                return p;
            }
        }
        if let Some(name) = self.env_read(v) {
            return ArgValue::Env(name);
        }
        if depth < 8 {
            if let Some(Val::Path(p)) = self.resolve(v, ctx, depth + 4) {
                return ArgValue::Path(p);
            }
        }
        ArgValue::Dynamic
    }

    /// A string built from parts (a template, `a + b`, `new URL(path, base)`, or a name bound
    /// to one): its known text with holes, for request URLs.
    fn pattern_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<ArgValue> {
        let part = |n: Option<Node<'t>>| n.map_or(ArgValue::Dynamic, |n| self.arg_value(n, ctx, depth + 1));
        let value = match v.kind() {
            "template_string" => {
                let mut parts = Vec::new();
                let mut cursor = v.walk();
                for c in v.named_children(&mut cursor) {
                    parts.push(match c.kind() {
                        "string_fragment" | "escape_sequence" => ArgValue::Str(self.text(c).to_string()),
                        "template_substitution" => part(c.named_child(0)),
                        _ => continue,
                    });
                }
                ArgValue::concat(parts)
            }
            "binary_expression" if v.child_by_field_name("operator").is_some_and(|o| self.text(o) == "+") => {
                ArgValue::concat([part(v.child_by_field_name("left")), part(v.child_by_field_name("right"))])
            }
            "new_expression" if v.child_by_field_name("constructor").is_some_and(|c| self.text(c) == "URL") => {
                let args = v.child_by_field_name("arguments")?;
                let rel = part(args.named_child(0));
                match part(args.named_child(1)).text() {
                    Some(base) => {
                        let joined = http::resolve(rel.text()?, base);
                        if joined.contains(HOLE) {
                            ArgValue::Pattern(joined)
                        } else {
                            ArgValue::Str(joined)
                        }
                    }
                    None => rel,
                }
            }
            "identifier" => {
                let binds = self.lookup(self.text(v), ctx, v.start_byte());
                let (n, c) = binds.into_iter().find_map(|b| match &b.bind {
                    Bind::Expr(n, c) if n.id() != v.id() => Some((*n, c.clone())),
                    _ => None,
                })?;
                matches!(n.kind(), "template_string" | "binary_expression" | "new_expression")
                    .then(|| self.arg_value(n, &c, depth + 1))?
            }
            "parenthesized_expression" | "await_expression" | "as_expression" | "non_null_expression" => {
                part(v.named_child(0))
            }
            _ => return None,
        };
        value.text().is_some().then_some(value)
    }

    /// `this.baseURL` where the class declares `baseURL = COPILOT_BASE_URL` (or a literal),
    /// and no method assigns it anything else.
    fn string_of_field(&self, v: Node<'t>, ctx: &Ctx) -> Option<String> {
        let (obj, prop) = (v.child_by_field_name("object")?, v.child_by_field_name("property")?);
        if v.kind() != "member_expression" || obj.kind() != "this" {
            return None;
        }
        let binds = self.classes.get(&ctx.class?)?.attrs.get(self.text(prop))?;
        let mut values = binds.iter().map(|b| match &b.bind {
            Bind::Expr(n, c) => self.string_lit(*n).or_else(|| {
                (n.kind() == "identifier").then(|| self.string_of_name(self.text(*n), c, n.start_byte()))?
            }),
            _ => None,
        });
        let first = values.next()??;
        values.all(|v| v.as_deref() == Some(first.as_str())).then_some(first)
    }

    fn string_of_name(&self, name: &str, ctx: &Ctx, pos: usize) -> Option<String> {
        self.lookup(name, ctx, pos).into_iter().find_map(|b| match &b.bind {
            Bind::Expr(n, _) => self.string_lit(*n),
            _ => None,
        })
    }

    /// The string an expression holds where the code says it: a literal; the literal
    /// fallback of `a || "..."`, `a ?? "..."` or `c ? a : "..."` (the value wherever
    /// configuration does not override it); `a + b` when both sides are known; a name or a
    /// `this` field bound to one of these. At most a few names deep.
    fn string_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<String> {
        if depth > 4 {
            return None;
        }
        if let Some(s) = self.string_lit(v) {
            return Some(s);
        }
        match v.kind() {
            "parenthesized_expression" => self.string_value(v.named_child(0)?, ctx, depth + 1),
            "binary_expression" => {
                let op = v.child_by_field_name("operator").map(|o| self.text(o))?;
                let right = v.child_by_field_name("right")?;
                match op {
                    // `process.env.X ?? ""`: an empty fallback says nothing; the variable decides.
                    "||" | "??" => self.string_value(right, ctx, depth + 1).filter(|s| !s.is_empty()),
                    "+" => {
                        let left = self.string_value(v.child_by_field_name("left")?, ctx, depth + 1)?;
                        Some(left + &self.string_value(right, ctx, depth + 1)?)
                    }
                    _ => None,
                }
            }
            "ternary_expression" => {
                let branch = |f: &str| v.child_by_field_name(f).and_then(|n| self.string_value(n, ctx, depth + 1));
                matcher::either_value(self.rules, branch("consequence"), branch("alternative"))
            }
            "identifier" | "shorthand_property_identifier" => {
                self.lookup(self.text(v), ctx, v.start_byte()).into_iter().find_map(|b| match &b.bind {
                    Bind::Expr(n, c) => self.string_value(*n, c, depth + 1),
                    _ => None,
                })
            }
            "member_expression" => self.string_of_field(v, ctx),
            _ => None,
        }
    }

    /// `process.env.X`, `process.env["X"]`, `import.meta.env.X`: the variable, with the
    /// framework prefixes (`NEXT_PUBLIC_`, `VITE_`, ...) that expose it to the browser.
    fn env_read(&self, node: Node<'t>) -> Option<String> {
        let (obj, name) = match node.kind() {
            "member_expression" => {
                (node.child_by_field_name("object")?, self.text(node.child_by_field_name("property")?).to_string())
            }
            "subscript_expression" => {
                (node.child_by_field_name("object")?, self.string_lit(node.child_by_field_name("index")?)?)
            }
            _ => return None,
        };
        let obj_text: String = self.text(obj).chars().filter(|c| !c.is_whitespace()).collect();
        matches!(obj_text.as_str(), "process.env" | "import.meta.env" | "Deno.env" | "Bun.env").then_some(name)
    }

    // ---------------------------------------------------------------- pass 2

    /// A tree too deep for `collect` and `visit`: its imports, environment reads and string
    /// literals, found without recursion (`budget::preorder`).
    fn literals_only(&mut self, root: Node<'t>, out: &mut FileOutput) {
        budget::preorder(root, |n| match n.kind() {
            "import_statement" => {
                self.import_findings(n, out);
                false
            }
            "export_statement" if n.child_by_field_name("source").is_some() => {
                self.import_findings(n, out);
                false
            }
            "call_expression" => {
                if let Some(spec) = self.required_module(n) {
                    self.import_finding_for(n, &spec, &[], out);
                }
                true
            }
            "member_expression" | "subscript_expression" => match self.env_read(n) {
                Some(name) => {
                    self.env_finding(n, &name, out);
                    false
                }
                None => true,
            },
            "string" | "template_string" => {
                self.string_findings(n, None, out);
                false
            }
            _ => true,
        });
    }

    fn visit(&mut self, node: Node<'t>, ctx: &Ctx, served: Option<&str>, out: &mut FileOutput) {
        let mut served = served.map(str::to_string);
        let mut inner = None;
        match node.kind() {
            "import_statement" => self.import_findings(node, out),
            "export_statement" if node.child_by_field_name("source").is_some() => self.import_findings(node, out),
            "call_expression" | "new_expression" => {
                if let Some(spec) = (node.kind() == "call_expression").then(|| self.required_module(node)).flatten() {
                    self.import_finding_for(node, &spec, &[], out);
                } else if let Some(s) = self.call_findings(node, ctx, out) {
                    served = Some(s);
                }
            }
            "member_expression" | "subscript_expression" => {
                if let Some(name) = self.env_read(node) {
                    self.env_finding(node, &name, out);
                    return;
                }
                if node.kind() == "member_expression" && is_passed_on(node) && !self.is_test_double_arg(node) {
                    self.reference_finding(node, ctx, out);
                }
            }
            "string" | "template_string" => {
                self.string_findings(node, served.as_deref(), out);
                return;
            }
            "class_declaration" | "class" | "abstract_class_declaration" => {
                inner = Some(Ctx { chain: ctx.chain.clone(), class: Some(node.id()) });
            }
            k if is_function(k) => {
                let mut chain = ctx.chain.to_vec();
                chain.push(node.id());
                inner = Some(Ctx { chain: Rc::from(chain), class: ctx.class });
            }
            "comment" => return,
            _ => {}
        }
        let ctx = inner.as_ref().unwrap_or(ctx);
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.visit(child, ctx, served.as_deref(), out);
        }
    }

    fn span(&self, node: Node<'t>) -> Span {
        self.lines.span(self.src, node.start_byte(), node.end_byte())
    }

    fn emit(&self, out: &mut FileOutput, node: Node<'t>, e: Emit) {
        let span = self.span(node);
        out.emit(self.rules, self.lines.line_text(self.src, span.line), span, e);
    }

    fn import_findings(&self, node: Node<'t>, out: &mut FileOutput) {
        let Some(spec) = node.child_by_field_name("source").and_then(|s| self.string_lit(s)) else { return };
        let names: Vec<String> =
            self.import_bindings(node).into_iter().filter_map(|(_, p)| p.0.last().map(|s| s.name.clone())).collect();
        self.import_finding_for(node, &spec, &names, out);
    }

    /// One `import` finding per vendor an import statement (or `require`) brings in.
    fn import_finding_for(&self, node: Node<'t>, spec: &str, names: &[String], out: &mut FileOutput) {
        let mut vendors: Vec<String> = Vec::new();
        for name in names {
            let full = format!("{spec}.{name}");
            let ctor = self
                .rules
                .clients_constructed_by(LANG, &full)
                .iter()
                .map(|&i| &self.rules.clients[i])
                .find(|d| d.vendor_from.is_none());
            let module = self
                .rules
                .module_clients(LANG, &full)
                .iter()
                .map(|&i| &self.rules.clients[i])
                .find(|d| d.vendor_from.is_none());
            if let Some(d) = ctor.or(module) {
                if !vendors.contains(&d.vendor) {
                    vendors.push(d.vendor.clone());
                }
            }
        }
        if vendors.is_empty() {
            if let Some(sdk) = sdk_for_specifier(self.rules, spec) {
                vendors.push(sdk);
            }
        }
        for vendor in vendors {
            self.emit(out, node, emit::import(self.rules, LANG, &vendor, spec));
        }
    }

    fn call_findings(&mut self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) -> Option<String> {
        let f = node.child_by_field_name("function").or_else(|| node.child_by_field_name("constructor"))?;
        let forget = || {
            self.results.clear();
            self.bindings.clear();
        };
        match tables::resolve_call(&self.tables, forget, || self.match_call(node, f, ctx)) {
            Resolved::Report(found, of) => {
                let (emits, first) = tables::report(self.rules, found, of, &mut self.clients);
                emits.into_iter().for_each(|e| self.emit(out, node, e));
                first
            }
            Resolved::Unresolved => self.inferred_call(node, f, out),
            Resolved::Pending(path) => {
                out.pending.push(PendingCall { path, span: self.span(node) });
                None
            }
            Resolved::Nothing => None,
        }
    }

    /// What a call node is, resolved under the current assumptions: `None` when its callee
    /// does not resolve (the caller may infer it from the file's imports).
    fn match_call(&self, node: Node<'t>, f: Node<'t>, ctx: &Ctx) -> Option<Matched> {
        let callee = match self.resolve(f, ctx, 0)? {
            Val::Path(p) => p,
            _ => return Some(Matched::Nothing),
        };
        if self.rules.is_passthrough(&callee.dotted(callee.0.len())) {
            return Some(Matched::Nothing);
        }
        let args = node.child_by_field_name("arguments").map(|a| self.call_args(a, ctx, 0)).unwrap_or_default();
        let Some(path) = callee.called(args) else { return Some(Matched::Nothing) };
        if let Some(m) = matcher::construction(self.rules, LANG, &path) {
            let e = emit::client(self.rules, &m, &path);
            return Some(Matched::Found(e, m.def.vendor.clone(), m.served));
        }
        if let Some(m) = matcher::operation_call(self.rules, LANG, &path, &ModuleAttrs::new()) {
            let e = emit::call(self.rules, &m);
            return Some(Matched::Found(e, m.def.vendor.clone(), m.served));
        }
        if let Some(e) = http::request(self.rules, LANG, &path) {
            return Some(Matched::Request(e));
        }
        let local_arg = path.0.last().and_then(|s| s.call.as_ref()).is_some_and(|a| {
            a.keywords.iter().any(|(_, v)| matches!(v, ArgValue::Path(p) if self.locals.is_local_path(p) || self.locals.is_local_module_path(p)))
        });
        if self.locals.is_local_path(&path) || local_arg {
            return Some(Matched::Pending(path));
        }
        Some(Matched::Nothing)
    }

    /// A call on a receiver nothing in the file resolves: see `common::infer_operation`.
    fn inferred_call(&mut self, node: Node<'t>, f: Node<'t>, out: &mut FileOutput) -> Option<String> {
        let mut names: Vec<&'t str> = Vec::new();
        let mut cur = f;
        while cur.kind() == "member_expression" {
            names.push(self.text(cur.child_by_field_name("property")?));
            cur = cur.child_by_field_name("object")?;
        }
        let base = match cur.kind() {
            "identifier" => self.text(cur),
            "this" => "this",
            _ => "",
        };
        names.reverse();
        // A receiver bound to a local object or array literal is nobody's SDK client.
        if cur.kind() == "identifier" {
            let local_object = self
                .lookup(base, &Ctx { chain: Rc::from(vec![self.root_id]), class: None }, usize::MAX)
                .iter()
                .chain(self.scopes.values().filter_map(|sc| sc.get(base)).flatten().collect::<Vec<_>>().iter())
                .any(|b| matches!(&b.bind, Bind::Expr(n, _) if matches!(n.kind(), "object" | "array")));
            if local_object {
                return None;
            }
        }
        // An LLM request names its model or messages in its options object.
        let llm_shaped = node.child_by_field_name("arguments").and_then(|a| a.named_child(0)).is_some_and(|o| {
            o.kind() == "object" && {
                let text = self.text(o);
                ["model", "messages", "modelId", "contents", "input"].iter().any(|k| text.contains(k))
            }
        });
        let built: Vec<String> = self.clients.iter().map(|(d, _)| d.clone()).collect();
        let (def, op) = common::infer_operation(self.rules, LANG, &names, base, out, &built, llm_shaped)?;
        self.emit(out, node, emit::inferred_call(self.rules, def, op));
        Some(def.vendor.clone())
    }

    /// An operation passed on uncalled (`retry(client.messages.create)`, `.bind(...)`-less
    /// references, `return client.chat.completions.create`): the reference is the call site.
    fn reference_finding(&mut self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) {
        let Some(Val::Path(p)) = self.resolve(node, ctx, 0) else { return };
        let Some(path) = p.called(CallArgs::default()) else { return };
        if let Some(m) = matcher::operation_call(self.rules, LANG, &path, &ModuleAttrs::new()) {
            self.emit(out, node, emit::call(self.rules, &m).noting(" (passed on as a reference)"));
        }
    }

    /// A method handed to a test or mocking helper (`expect(client.images.generate)`,
    /// `vi.mocked(client.chat.completions.create)`, `jest.spyOn(...)`, `sinon.stub(...)`):
    /// the test inspects or replaces it, it does not call the vendor.
    fn is_test_double_arg(&self, node: Node<'t>) -> bool {
        let Some(call) = node.parent().filter(|p| p.kind() == "arguments").and_then(|a| a.parent()) else {
            return false;
        };
        let Some(f) = call.child_by_field_name("function") else { return false };
        let text: String = self.text(f).chars().filter(|c| !c.is_whitespace()).collect();
        let root = text.split(['.', '(']).next().unwrap_or_default();
        let last = text.rsplit('.').next().unwrap_or_default();
        matches!(root, "expect" | "vi" | "jest" | "sinon" | "td" | "assert" | "chai")
            || matches!(last, "mocked" | "spyOn" | "spy" | "stub" | "mock" | "fn" | "when" | "verify" | "expect")
    }

    fn env_finding(&self, node: Node<'t>, name: &str, out: &mut FileOutput) {
        // `process.env.X = ...` writes the variable; only reads are findings.
        let written = node.parent().is_some_and(|p| {
            (p.kind() == "assignment_expression" && p.child_by_field_name("left") == Some(node))
                || (p.kind() == "unary_expression" && self.text(p).starts_with("delete"))
        });
        if written {
            return;
        }
        if let Some(e) = emit::env(self.rules, name) {
            self.emit(out, node, e);
        }
    }

    fn string_findings(&self, node: Node<'t>, served: Option<&str>, out: &mut FileOutput) {
        // Import specifiers are not literals of interest.
        if node.parent().is_some_and(|p| matches!(p.kind(), "import_statement" | "export_statement")) {
            return;
        }
        let content = string_content(node, self.src);
        let literal = plain_string(node, self.src);
        let in_context = literal.is_some() && self.in_model_context(node);
        for e in emit::literal(self.rules, &content, literal.as_deref(), in_context, served) {
            self.emit(out, node, e);
        }
    }

    fn in_model_context(&self, node: Node<'t>) -> bool {
        let Some(parent) = node.parent() else { return false };
        let name = match parent.kind() {
            "pair" => parent.child_by_field_name("key").map(|k| self.text(k).trim_matches(['"', '\'']).to_string()),
            "variable_declarator" => parent.child_by_field_name("name").map(|n| self.text(n).to_string()),
            "assignment_expression" => parent.child_by_field_name("left").map(|n| self.text(n).to_string()),
            "arguments" => {
                parent.parent().and_then(|c| c.child_by_field_name("function")).map(|f| self.text(f).to_string())
            }
            _ => None,
        };
        name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.contains("model") || n.contains("deployment")
        })
    }

    fn reassign_imports(&self, out: &mut FileOutput) {
        common::reassign_imports(self.rules, &self.clients, out);
    }

    /// Top-level names bound to vendor paths, and top-level functions returning them.
    fn exports(&self, out: &mut FileOutput) {
        let ctx = Ctx { chain: Rc::from(vec![self.root_id]), class: None };
        let mut names: Vec<&String> = self.scopes.get(&self.root_id).map(|s| s.keys().collect()).unwrap_or_default();
        names.sort();
        for name in names {
            let binds = self.lookup(name, &ctx, usize::MAX);
            let (key, val) = match binds.first().map(|b| &b.bind) {
                Some(Bind::Func(def)) => (format!("{name}()"), self.function_result(*def, 0)),
                Some(Bind::Import(_)) => continue,
                _ => match self.first_resolved(binds, 0) {
                    // `module.exports = initializeClient`, `const f = g`: the function's result.
                    Some(Val::Func(def)) => (format!("{name}()"), self.function_result(def, 0)),
                    v => (name.clone(), v),
                },
            };
            match val {
                Some(Val::Path(p)) if self.exportable(&p) => out.exports.push((key, p)),
                // `return { openai, apiKey }`: each property that is a client, as `f().openai`.
                Some(Val::Object(obj, c)) => {
                    let mut cursor = obj.walk();
                    let props: Vec<Node<'t>> = obj.named_children(&mut cursor).collect();
                    for prop in props {
                        let pname = match prop.kind() {
                            "shorthand_property_identifier" => self.text(prop).to_string(),
                            "pair" => match prop.child_by_field_name("key") {
                                Some(k) => self.property_key(k),
                                None => continue,
                            },
                            _ => continue,
                        };
                        if let Some(Val::Path(p)) = self.object_property(obj, &c, &pname, 1) {
                            if self.exportable(&p) {
                                out.exports.push((format!("{key}.{pname}"), p));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        self.type_exports(&ctx, out);
        for (name, ty) in &self.typedefs {
            if let Some(Val::Path(p)) = self.resolve_doc_type(ty, &ctx, 0) {
                if is_vendor_path(self.rules, &p) {
                    out.exports.push((format!("{}{name}", super::JSDOC_GLOBAL), p));
                }
            }
        }
        let _ = &self.exported;
    }

    /// What other modules need to type a value by this module's declarations: each
    /// property of an interface or type alias that is a client (`Opts.client`), each
    /// client-typed property of a parameter of a function-typed property
    /// (`Opts.models.#0.client` for `models: (p: { client: OpenAI }) => ...`), and the
    /// declared type of each top-level function's parameters (`makeRuntime.#0` is `Opts`).
    fn type_exports(&self, ctx: &Ctx, out: &mut FileOutput) {
        let mut names: Vec<(&String, &Node<'t>)> = self.types.iter().collect();
        names.sort_by_key(|(n, _)| n.as_str());
        let client = |t: Node<'t>| match self.resolve_annotation(t, ctx, 1) {
            Some(Val::Path(p)) if is_vendor_path(self.rules, &p) => Some(p),
            _ => None,
        };
        for (name, body) in names {
            for (prop, t) in self.property_types(*body) {
                if let Some(p) = client(t) {
                    out.exports.push((format!("{name}.{prop}"), p));
                }
                let Some(f) = function_type(t) else { continue };
                let Some(params) = f.child_by_field_name("parameters") else { continue };
                let mut cursor = params.walk();
                let list: Vec<Node<'t>> =
                    params.named_children(&mut cursor).filter(|p| p.kind() != "comment").collect();
                for (i, param) in list.into_iter().enumerate() {
                    let Some(pt) = param.child_by_field_name("type") else { continue };
                    for (q, qt) in self.property_types(pt) {
                        if let Some(p) = client(qt) {
                            out.exports.push((format!("{name}.{prop}.#{i}.{q}"), p));
                        }
                    }
                }
            }
        }
        let Some(module) = self.self_module() else { return };
        let Some(scope) = self.scopes.get(&self.root_id) else { return };
        let mut funcs: Vec<(&String, Node<'t>)> = scope
            .iter()
            .filter_map(|(n, b)| match b.first().map(|b| &b.bind) {
                Some(Bind::Func(f)) => Some((n, *f)),
                _ => None,
            })
            .collect();
        funcs.sort_by_key(|(n, _)| n.as_str());
        for (name, f) in funcs {
            let Some(params) = f.child_by_field_name("parameters") else { continue };
            let mut cursor = params.walk();
            let list: Vec<Node<'t>> = params.named_children(&mut cursor).filter(|p| p.kind() != "comment").collect();
            for (i, param) in list.into_iter().enumerate() {
                let Some(t) = param.child_by_field_name("type").and_then(|t| t.named_child(0)) else { continue };
                let t = if t.kind() == "generic_type" { t.child_by_field_name("name").unwrap_or(t) } else { t };
                if t.kind() == "type_identifier" && self.types.contains_key(self.text(t)) {
                    out.exports.push((format!("{name}.#{i}"), module.member(self.text(t))));
                }
            }
        }
    }

    /// `(name, type)` of each property signature of an object type, or of the interface or
    /// type alias of this file a type names.
    fn property_types(&self, t: Node<'t>) -> Vec<(String, Node<'t>)> {
        let mut t = t;
        for _ in 0..4 {
            t = match t.kind() {
                "type_annotation" | "parenthesized_type" => match t.named_child(0) {
                    Some(c) => c,
                    None => return Vec::new(),
                },
                "type_identifier" => match self.types.get(self.text(t)) {
                    Some(b) => *b,
                    None => return Vec::new(),
                },
                _ => break,
            };
        }
        if !matches!(t.kind(), "object_type" | "interface_body") {
            return Vec::new();
        }
        let mut cursor = t.walk();
        let members: Vec<Node<'t>> =
            t.named_children(&mut cursor).filter(|m| m.kind() == "property_signature").collect();
        members
            .into_iter()
            .filter_map(|m| Some((self.property_key(m.child_by_field_name("name")?), m.child_by_field_name("type")?)))
            .collect()
    }

    /// This module's own path (`local:core/factory`), as other modules import it.
    fn self_module(&self) -> Option<Path> {
        let stem = strip_ext(&self.rel);
        let key = format!("local:{stem}");
        self.locals.has_module(&key).then(|| Path(vec![Seg { name: key, call: None }]))
    }

    /// Whether a module-level value is worth exporting: a vendor path, or a path into
    /// another module of the tree (a re-export, resolved when that module's exports are known).
    fn exportable(&self, p: &Path) -> bool {
        is_vendor_path(self.rules, p)
            || self.locals.is_local_path(p)
            || self.locals.is_local_module_path(p)
            || (p.0.len() == 1 && self.locals.has_module(&p.0[0].name))
    }
}

/// The function type in a property's type: `(p: { client: OpenAI }) => ...`, also inside
/// parentheses, a union (`F | { transformModel?: ... }`) or an optional type.
fn function_type(t: Node<'_>) -> Option<Node<'_>> {
    match t.kind() {
        "function_type" => Some(t),
        "type_annotation" | "parenthesized_type" | "optional_type" => function_type(t.named_child(0)?),
        "union_type" => {
            let mut cursor = t.walk();
            let parts: Vec<Node<'_>> = t.named_children(&mut cursor).collect();
            parts.into_iter().find_map(function_type)
        }
        _ => None,
    }
}

/// The `@param` types of one function's JSDoc.
#[derive(Default)]
struct DocParams {
    /// `@param {T} name`, in order.
    params: Vec<(String, String)>,
    /// `@param {T} name.prop`.
    props: Vec<(String, String, String)>,
}

impl DocParams {
    /// The type of the parameter at `index` named `name`.
    fn of_param(&self, index: usize, name: &str) -> Option<String> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .or_else(|| self.params.get(index).filter(|(n, _)| n == name))
            .map(|(_, t)| t.clone())
    }

    /// The type of property `key` of the destructured parameter at `index`, whatever the
    /// JSDoc calls it: `@param {T} params.key`, or `@param {{ key: T }} params`.
    fn of_property(&self, index: usize, key: &str) -> Option<String> {
        let base = self.params.get(index).map(|(n, _)| n.as_str());
        if let Some((_, _, t)) = self.props.iter().find(|(b, p, _)| p == key && base.is_none_or(|x| x == b)) {
            return Some(t.clone());
        }
        let (_, ty) = self.params.get(index)?;
        object_type_property(ty, key)
    }
}

/// One tag of a JSDoc comment: `@param {OpenAI} [params.openai]`.
struct DocTag {
    tag: String,
    ty: Option<String>,
    name: Option<String>,
}

/// The tags of a JSDoc comment, with their `{type}` (braces balanced) and name.
fn jsdoc_tags(comment: &str) -> Vec<DocTag> {
    let mut out = Vec::new();
    let b = comment.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'@' || (i > 0 && !matches!(b[i - 1], b' ' | b'\t' | b'*' | b'\n')) {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        let tag = comment[start..j].to_string();
        while j < b.len() && matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        let mut ty = None;
        if j < b.len() && b[j] == b'{' {
            let open = j;
            let mut level = 0;
            while j < b.len() {
                match b[j] {
                    b'{' => level += 1,
                    b'}' => {
                        level -= 1;
                        if level == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let body = comment.get(open + 1..j.min(b.len())).unwrap_or_default();
            // Continuation lines of a long type start with `*`.
            ty = Some(body.lines().map(|l| l.trim().trim_start_matches('*')).collect::<Vec<_>>().join(" "));
            j += 1;
        }
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'[') {
            j += 1;
        }
        let n0 = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'_' | b'$' | b'.')) {
            j += 1;
        }
        let name = (j > n0).then(|| comment[n0..j].trim_end_matches('.').to_string());
        out.push(DocTag { tag, ty, name });
        i = j.max(i + 1);
    }
    out
}

/// The JSDoc comment (`/** ... */`) right before a function, or before the declaration,
/// assignment, export or property that holds it.
fn doc_comment<'t>(func: Node<'t>, src: &str) -> Option<Node<'t>> {
    let mut cur = func;
    for _ in 0..5 {
        if let Some(prev) = cur.prev_named_sibling() {
            if prev.kind() == "comment" {
                return src[prev.byte_range()].starts_with("/**").then_some(prev);
            }
        }
        let parent = cur.parent()?;
        if !matches!(
            parent.kind(),
            "variable_declarator"
                | "lexical_declaration"
                | "variable_declaration"
                | "export_statement"
                | "assignment_expression"
                | "expression_statement"
                | "pair"
                | "parenthesized_expression"
        ) {
            return None;
        }
        cur = parent;
    }
    None
}

/// `s` split at the top-level occurrences of `seps` (not inside `<>`, `{}`, `()`, `[]`).
fn split_top(s: &str, seps: &[char]) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut level, mut cur) = (0i32, String::new());
    for c in s.chars() {
        match c {
            '<' | '{' | '(' | '[' => level += 1,
            '>' | '}' | ')' | ']' => level -= 1,
            _ => {}
        }
        if level == 0 && seps.contains(&c) {
            parts.push(std::mem::take(&mut cur).trim().to_string());
            continue;
        }
        cur.push(c);
    }
    parts.push(cur.trim().to_string());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The type of `key` in a JSDoc object type `{ openai: OpenAI, threadId: string }`.
fn object_type_property(ty: &str, key: &str) -> Option<String> {
    let inner = ty.trim().strip_prefix('{')?.strip_suffix('}')?;
    split_top(inner, &[',', ';']).into_iter().find_map(|field| {
        let (k, v) = field.split_once(':')?;
        (k.trim().trim_end_matches('?').trim_matches(['"', '\'']) == key).then(|| v.trim().to_string())
    })
}

/// Names of JavaScript's own types, never a type another file declares.
fn is_builtin_type(name: &str) -> bool {
    matches!(
        name,
        "Object"
            | "Array"
            | "Promise"
            | "String"
            | "Number"
            | "Boolean"
            | "Function"
            | "Date"
            | "Map"
            | "Set"
            | "Record"
            | "Partial"
            | "Error"
            | "RegExp"
            | "Buffer"
            | "Symbol"
            | "BigInt"
            | "Uint8Array"
            | "ArrayBuffer"
            | "Blob"
            | "File"
            | "Response"
            | "Request"
            | "Headers"
            | "URL"
            | "ReadableStream"
            | "AbortSignal"
            | "AbortController"
            | "Readonly"
            | "Pick"
            | "Omit"
            | "ReturnType"
            | "Awaited"
            | "NodeJS"
            | "Express"
            | "Window"
            | "Document"
            | "Element"
            | "Event"
            | "JSON"
            | "Math"
            | "Iterable"
    )
}

/// A member expression handed on rather than called: a call argument, an object
/// property's value, or a returned value.
fn is_passed_on(node: Node<'_>) -> bool {
    let Some(parent) = node.parent() else { return false };
    match parent.kind() {
        "arguments" | "return_statement" => true,
        "pair" => parent.child_by_field_name("value") == Some(node),
        _ => false,
    }
}

fn is_vendor_path(rules: &RuleSet, p: &Path) -> bool {
    (1..=p.0.len()).any(|end| {
        let d = p.dotted(end);
        !rules.clients_constructed_by(LANG, &d).is_empty() || !rules.module_clients(LANG, &d).is_empty()
    }) || p.0.first().is_some_and(|s| sdk_for_specifier(rules, &s.name).is_some())
}

/// The vendor whose JavaScript SDK module is `spec` or a parent of it (`openai/helpers/zod`).
fn sdk_for_specifier(rules: &RuleSet, spec: &str) -> Option<String> {
    rules
        .sdks
        .iter()
        .filter(|s| s.ecosystem == LANG)
        .flat_map(|s| s.modules.iter().map(move |m| (s, m)))
        .filter(|(_, m)| {
            spec == m.as_str() || (spec.starts_with(m.as_str()) && spec.as_bytes().get(m.len()) == Some(&b'/'))
        })
        .max_by_key(|(_, m)| m.len())
        .map(|(s, _)| s.vendor.clone())
}

/// The SDK module an entry-point subpath of it stands for: `openai/index`,
/// `openai/index.mjs`, `@anthropic-ai/sdk/client`, `openai/resources` export what the
/// package root exports, so `new OpenAI()` imported from them is the SDK's client. Other
/// subpaths (`openai/realtime/ws`) are modules of their own and stay as written.
fn sdk_entry<'s>(rules: &RuleSet, spec: &'s str) -> Option<&'s str> {
    const ENTRIES: &[&str] =
        &["index", "src/index", "dist/index", "lib/index", "client", "core", "resources", "resources/index"];
    rules
        .sdks
        .iter()
        .filter(|s| s.ecosystem == LANG)
        .flat_map(|s| s.modules.iter())
        .filter_map(|m| {
            let rest = spec.strip_prefix(m.as_str())?.strip_prefix('/')?;
            ENTRIES.contains(&strip_ext(rest)).then(|| &spec[..m.len()])
        })
        .max_by_key(|m| m.len())
}

fn strip_ext(p: &str) -> &str {
    for ext in [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"] {
        if let Some(s) = p.strip_suffix(ext) {
            return s;
        }
    }
    p
}

/// The text of a string or template literal, substitutions kept as written.
fn string_content(node: Node<'_>, src: &str) -> String {
    let text = &src[node.byte_range()];
    text.trim_matches(|c| c == '"' || c == '\'' || c == '`').to_string()
}

/// A string literal (or a template without substitutions), unquoted.
fn plain_string(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "string" => {
            let mut s = String::new();
            let mut cursor = node.walk();
            for c in node.named_children(&mut cursor) {
                if matches!(c.kind(), "string_fragment" | "escape_sequence") {
                    s.push_str(&src[c.byte_range()]);
                }
            }
            Some(s)
        }
        "template_string" => {
            let mut cursor = node.walk();
            if node.named_children(&mut cursor).any(|c| c.kind() == "template_substitution") {
                return None;
            }
            Some(src[node.byte_range()].trim_matches('`').to_string())
        }
        _ => None,
    }
}
