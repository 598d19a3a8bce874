//! JavaScript and TypeScript detection with tree-sitter-javascript and
//! tree-sitter-typescript (TSX too). The same two passes as the Python extractor:
//! `collect` records bindings per scope (ESM and CommonJS imports, `const`/`let`,
//! destructuring, `this.x` and class fields, typed parameters, functions and their
//! returns), then `visit` resolves calls, `new` expressions, imports, environment reads
//! and string literals to canonical paths (docs/rules.md "JavaScript and TypeScript
//! paths") and matches them with the language-neutral matcher.

use super::budget;
use super::emit;
use super::lower;
use super::matcher;
use super::path::{ArgValue, CallArgs, Path, Seg};
use super::resolve::{
    Bind, Callers, Core, Ctx, Entry, Front, FuncInfo, ParamProps, Piece, Pieces, Shape, Symbols, Text, Val,
};
use super::{common, up_of, FileOutput, LineIndex, LocalModules, ModuleStrings, Up};
use crate::detect::field::Field;
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
    let mut a = Analyzer::new(src, rules, rel, locals, root);
    let passes = lower::Passes::new(
        &JS_TEXT,
        |a, root, ctx| {
            a.collect_types(root);
            a.collect(root, ctx);
        },
        Analyzer::visit,
    )
    .callers(|a| std::mem::take(&mut a.callers))
    .export(Analyzer::exports)
    .literals(|a, root, _, out| a.literals_only(root, out))
    .url_names();
    lower::run(&mut a, root, out, passes);
}

/// The strings this module binds at its top level, its imports kept as references
/// ([`LocalModules::module_string`]); `None` when it cannot be parsed within budget.
pub fn module_strings(
    src: &str,
    language: FileKind,
    rules: &RuleSet,
    rel: &str,
    locals: &LocalModules,
) -> Option<ModuleStrings> {
    if budget::too_large(src).is_some() {
        return None;
    }
    let tree = parse(src, language)?;
    let root = tree.root_node();
    if budget::tree_too_deep(root).is_some() {
        return None;
    }
    let mut a = Analyzer::new(src, rules, rel, locals, root);
    a.core.level = 0;
    a.collect_types(root);
    a.collect(root, &Ctx::module(root.id()));
    a.sym.sort();
    Some(a.module_strings())
}

/// Where a function's parameters get their types from the context: the function is the
/// value of property `key` of an object literal whose type is known.
enum Contextual<'t> {
    /// The property's function type, declared in this file; the object literal.
    Local(Node<'t>, Node<'t>),
    /// The property in a type of another module: `local:factory.Opts(baseURL=...).models`.
    Imported(Path),
}

struct Analyzer<'t> {
    /// Source, rules and the symbol table ([`super::resolve::Core`]).
    core: Core<'t>,
    dir: String,
    rel: String,
    exported: HashSet<String>,
    /// JSDoc `@typedef {T} Name` of this file: `(Name, T)`, in source order.
    typedefs: Vec<(String, String)>,
    /// Interfaces and type aliases declared in this file, by name: their body or value.
    types: HashMap<String, Node<'t>>,
    /// Properties assigned to a name after it is bound (`options.baseURL = url`), by name:
    /// the property, the value, where it is read, and the assignment's position.
    assigned: HashMap<String, Vec<(String, Node<'t>, Ctx, usize)>>,
    /// The file's functions and methods by name and their calls (`helper(client)`,
    /// `this.build(model, this.pick(model))`): [`super::resolve::bind_callers`] gives a
    /// parameter the file calls or constructs (`resolver(cfg)`, `new ModelClass(config)`)
    /// the function or class its callers pass.
    callers: Callers<'t>,
    /// The ancestors of the node [`Analyzer::visit`] is at, nearest last ([`super::Up`]).
    ancestors: Vec<Node<'t>>,
}

/// The name of the class whose body holds `node`, if one does.
fn enclosing_class_name<'t>(node: Node<'t>, src: &'t str) -> Option<&'t str> {
    let mut n = node.parent();
    while let Some(p) = n {
        if matches!(p.kind(), "class_declaration" | "class" | "abstract_class_declaration") {
            return p.field("name").map(|name| &src[name.byte_range()]);
        }
        n = p.parent();
    }
    None
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
    fn new(src: &'t str, rules: &'t RuleSet, rel: &str, locals: &'t LocalModules, root: Node<'t>) -> Self {
        Analyzer {
            core: Core::new(src, rules, locals, LANG, root),
            dir: rel.rsplit_once('/').map_or("", |(d, _)| d).to_string(),
            rel: rel.to_string(),
            exported: HashSet::new(),
            typedefs: Vec::new(),
            assigned: HashMap::new(),
            types: HashMap::new(),
            callers: Callers { only: Some(HashSet::new()), ..Callers::default() },
            ancestors: Vec::new(),
        }
    }

    /// Whether an augmented assignment appends (`x += "/"`).
    fn appends(&self, node: Node<'t>) -> bool {
        node.field("operator").is_some_and(|o| self.text(o) == "+=")
    }

    /// The canonical first segment of an import specifier: a module of the scanned tree
    /// becomes `local:<path>`, others stay as written.
    /// The parts of `[a, b].join(sep)`: the elements with the separator between them.
    fn joined(&self, call: Node<'t>) -> Option<Vec<Piece<'t>>> {
        let f = call.field("function").filter(|f| f.kind() == "member_expression")?;
        let array = f.field("object").filter(|o| o.kind() == "array")?;
        if self.text(f.field("property")?) != "join" {
            return None;
        }
        let sep = match call.field("arguments").and_then(|a| a.named_child(0)) {
            Some(a) => self.string_lit(a)?,
            None => ",".to_string(),
        };
        let mut parts = Vec::new();
        let mut cursor = array.walk();
        for (i, e) in array.named_children(&mut cursor).filter(|e| e.kind() != "comment").enumerate() {
            if i > 0 {
                parts.push(Piece::Text(sep.clone()));
            }
            parts.push(Piece::Hole(Some(e)));
        }
        Some(parts)
    }

    fn module_path(&self, spec: &str) -> Path {
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
        let spec = sdk_entry(self.rules, spec).unwrap_or_else(|| spec.to_string());
        Path(vec![Seg { name: spec, call: None }])
    }

    // ---------------------------------------------------------------- pass 1

    /// The values an array destructuring takes apart, by place: an array literal, or one
    /// awaited through `Promise.all([...])` (each element's awaited value). `None` for any
    /// other value; `None` at a place a spread makes unknown, and at every place after it.
    fn listed_values(&self, v: Node<'t>) -> Option<Vec<Option<Node<'t>>>> {
        let mut v = v;
        for _ in 0..4 {
            v = match v.kind() {
                "await_expression" | "parenthesized_expression" => v.named_child(0)?,
                _ => break,
            };
        }
        let array = match v.kind() {
            "array" => v,
            "call_expression" => {
                let f = v.field("function")?;
                if !matches!(self.text(f), "Promise.all") {
                    return None;
                }
                let args = v.field("arguments")?;
                let mut c = args.walk();
                let first = args.named_children(&mut c).find(|a| a.kind() != "comment")?;
                (first.kind() == "array").then_some(first)?
            }
            _ => return None,
        };
        let mut out = elements(array);
        if let Some(i) = out.iter().position(|e| e.is_some_and(|e| e.kind() == "spread_element")) {
            out.truncate(i);
        }
        Some(out)
    }

    fn bind_pattern(&mut self, pattern: Node<'t>, value: Option<Node<'t>>, ctx: &Ctx, pos: usize) {
        match pattern.kind() {
            "identifier" => {
                if let Some(v) = value {
                    let name = self.text(pattern).to_string();
                    self.sym.bind(ctx, &name, pos, Bind::Expr(v, ctx.clone()));
                }
            }
            "object_pattern" => {
                let Some(v) = value else { return };
                let mut cursor = pattern.walk();
                for p in pattern.named_children(&mut cursor) {
                    match p.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let name = self.text(p).to_string();
                            self.sym.bind(ctx, &name, pos, Bind::Member(v, ctx.clone(), name.clone()));
                        }
                        "pair_pattern" => {
                            let key = p.field("key").map(|k| self.text(k).trim_matches(['"', '\'']).to_string());
                            let target = p.field("value");
                            if let (Some(key), Some(t)) = (key, target) {
                                let t = if t.kind() == "assignment_pattern" { t.field("left").unwrap_or(t) } else { t };
                                if t.kind() == "identifier" {
                                    let name = self.text(t).to_string();
                                    self.sym.bind(ctx, &name, pos, Bind::Member(v, ctx.clone(), key));
                                }
                            }
                        }
                        "object_assignment_pattern" => {
                            if let Some(l) = p.field("left") {
                                let name = self.text(l).to_string();
                                self.sym.bind(ctx, &name, pos, Bind::Member(v, ctx.clone(), name.clone()));
                            }
                        }
                        _ => {}
                    }
                }
                self.bind_defaults(pattern, ctx, pos);
            }
            // `const [{ ConverseCommand }, client] = await Promise.all([this.getSDK(), this.getClient()])`,
            // `const [a, b] = [x, y]`: each element is bound to the value at its place. An element
            // that is itself an array pattern, or a spread on either side, is not followed.
            "array_pattern" => {
                let Some(items) = value.and_then(|v| self.listed_values(v)) else { return };
                for (i, target) in elements(pattern).into_iter().enumerate() {
                    let (Some(target), Some(Some(v))) = (target, items.get(i)) else { continue };
                    let target = if target.kind() == "assignment_pattern" {
                        target.field("left").unwrap_or(target)
                    } else {
                        target
                    };
                    if matches!(target.kind(), "identifier" | "object_pattern") {
                        self.bind_pattern(target, Some(*v), ctx, pos);
                    }
                }
            }
            "member_expression" => {
                // `this.client = new OpenAI()`.
                let obj = pattern.field("object");
                let prop = pattern.field("property");
                if let (Some(obj), Some(prop), Some(class), Some(v)) = (obj, prop, ctx.class, value) {
                    if obj.kind() == "this" {
                        let name = self.text(prop).to_string();
                        self.sym.bind_attr(class, &name, pos, Bind::Expr(v, ctx.clone()));
                    } else if let Some(field) = this_field(obj, self.src) {
                        // `this.options.apiHost = "https://..."`: a field of a field, read as one.
                        let name = format!("{field}.{}", self.text(prop));
                        self.sym.bind_attr(class, &name, pos, Bind::Expr(v, ctx.clone()));
                    } else if obj.kind() == "identifier"
                        && enclosing_class_name(pattern, self.src) == Some(self.text(obj))
                    {
                        // `Manager.chatModel = model` in a method of `Manager`: its static field.
                        let name = self.text(prop).to_string();
                        self.sym.bind_attr(class, &name, pos, Bind::Expr(v, ctx.clone()));
                    }
                }
                // `clientOptions.baseURL = config.baseURL` before `new OpenAI(clientOptions)`.
                if let (Some(obj), Some(prop), Some(v)) = (obj, prop, value) {
                    if obj.kind() == "identifier" && prop.kind() == "property_identifier" {
                        let entry = (self.text(prop).to_string(), v, ctx.clone(), pos);
                        self.assigned.entry(self.text(obj).to_string()).or_default().push(entry);
                    }
                }
            }
            _ => {}
        }
    }

    /// Notes a call of a function or method of the file (`helper(client)`,
    /// `this.build(model, ctor)`) for [`super::resolve::bind_callers`], and the names the file
    /// calls or constructs. Apart from [`Analyzer::collect`], whose frame is one per level of
    /// the tree's nesting (an unoptimised build's frames are large: `budget`'s stack test).
    #[inline(never)]
    fn note_caller(&mut self, node: Node<'t>, ctx: &Ctx) {
        if node.kind() == "new_expression" {
            if let Some(c) = node.field("constructor").filter(|c| c.kind() == "identifier") {
                self.callers.only.get_or_insert_default().insert(self.core.text_at(c));
            }
            return;
        }
        let name = node.field("function").and_then(|f| match f.kind() {
            "identifier" => Some(f),
            "member_expression" if f.field("object").is_some_and(|o| o.kind() == "this") => f.field("property"),
            _ => None,
        });
        if let (Some(name), Some(args)) = (name, node.field("arguments")) {
            if args.kind() == "arguments" {
                self.callers.call(self.core.text_at(name), args, ctx);
            }
        }
        if let Some(f) = node.field("function").filter(|f| f.kind() == "identifier") {
            self.callers.only.get_or_insert_default().insert(self.core.text_at(f));
        }
    }

    fn collect(&mut self, node: Node<'t>, ctx: &Ctx) {
        match node.kind() {
            "import_statement" => {
                for (local, path) in self.import_bindings(node) {
                    self.sym.bind(ctx, &local, node.start_byte(), Bind::Import(path));
                }
                return;
            }
            "export_statement" => {
                self.note_exports(node, ctx);
            }
            "variable_declarator" => {
                if let Some(name) = node.field("name") {
                    let value = node.field("value");
                    if let (Some(v), "identifier") = (value, name.kind()) {
                        if is_function(v.kind()) {
                            let n = self.text(name).to_string();
                            self.sym.bind(ctx, &n, node.start_byte(), Bind::Func(v));
                            self.callers.def(self.core.text_at(name), v);
                        }
                    }
                    self.bind_pattern(name, value, ctx, node.start_byte());
                    if let (Some(t), "identifier") = (node.field("type"), name.kind()) {
                        let n = self.text(name).to_string();
                        self.sym.bind(ctx, &n, node.start_byte(), Bind::Annot(t, ctx.clone()));
                    }
                }
            }
            "assignment_expression" => {
                if let (Some(l), Some(r)) = (node.field("left"), node.field("right")) {
                    self.bind_pattern(l, Some(r), ctx, node.start_byte());
                    self.commonjs_export(l, r, ctx, node.start_byte());
                }
            }
            // `this.apiBase += "/"`: the name is bound to the whole, read as the concatenation.
            "augmented_assignment_expression" if self.appends(node) => {
                if let Some(l) = node.field("left") {
                    self.bind_pattern(l, Some(node), ctx, node.start_byte());
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
                let name = node.field("name").map(|n| self.text(n).to_string());
                let body = node.field("body").or_else(|| node.field("value"));
                if let (Some(name), Some(body)) = (name, body) {
                    self.types.insert(name, body);
                }
                return;
            }
            "call_expression" if ctx.class.is_some() && node.field("function").is_some_and(|f| f.kind() == "super") => {
                if let (Some(class), Some(args)) = (ctx.class, node.field("arguments")) {
                    self.sym.classes.entry(class).or_default().super_args.get_or_insert((args, ctx.clone()));
                }
            }
            // `helper(client)`, `this.build(model, ctor)`: a call of a function or method of the file.
            "call_expression" | "new_expression" => self.note_caller(node, ctx),
            "return_statement" => {
                if let (Some(v), Some(&f)) = (node.named_child(0), ctx.chain.last()) {
                    if let Some(info) = self.sym.funcs.get_mut(&f) {
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
            // `enum ApiPath { OpenAI = "/api/openai" }`: an object of its members.
            "enum_declaration" => {
                if let (Some(name), Some(body)) = (node.field("name"), node.field("body")) {
                    let name = self.text(name).to_string();
                    self.sym.bind(ctx, &name, node.start_byte(), Bind::Expr(body, ctx.clone()));
                }
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
            let decl = if n.kind() == "export_statement" { n.field("declaration") } else { Some(n) };
            if let Some(d) = decl.filter(|d| matches!(d.kind(), "interface_declaration" | "type_alias_declaration")) {
                let name = d.field("name").map(|x| self.text(x).to_string());
                let body = d.field("body").or_else(|| d.field("value"));
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
        let root = Ctx::module(self.sym.root_id);
        let bind = |v: Node<'t>| if is_function(v.kind()) { Bind::Func(v) } else { Bind::Expr(v, ctx.clone()) };
        if target == super::MODULE_EXPORTS {
            self.sym.bind(&root, super::MODULE_EXPORTS, pos, bind(right));
            self.sym.bind(&root, "default", pos, bind(right));
            if right.kind() == "object" {
                let mut cursor = right.walk();
                let pairs: Vec<Node<'t>> = right.named_children(&mut cursor).filter(|p| p.kind() == "pair").collect();
                for p in pairs {
                    let (Some(k), Some(v)) = (p.field("key"), p.field("value")) else {
                        continue;
                    };
                    let key = self.property_key(k);
                    if self.text(v) != key {
                        self.sym.bind(&root, &key, pos, bind(v));
                    }
                }
            }
            return;
        }
        let name = target.strip_prefix("module.exports.").or_else(|| target.strip_prefix("exports."));
        if let Some(name) = name.filter(|n| !n.contains('.') && !n.is_empty()) {
            if self.text(right) != name {
                self.sym.bind(&root, name, pos, bind(right));
            }
        }
    }

    /// `export default <expr>` and `export { a as b }` bind `default` and `b` at the top
    /// level, so that other modules importing them find the client (`exports`).
    fn note_exports(&mut self, node: Node<'t>, ctx: &Ctx) {
        if node.field("source").is_some() {
            return;
        }
        let pos = node.start_byte();
        if self.text(node).starts_with("export default") {
            let value = node.field("value").or_else(|| node.field("declaration"));
            if let Some(v) = value {
                let bind = match v.kind() {
                    k if is_function(k) => Bind::Func(v),
                    "class_declaration" | "class" => return,
                    _ => Bind::Expr(v, ctx.clone()),
                };
                self.sym.bind(ctx, "default", pos, bind);
            }
            return;
        }
        let mut cursor = node.walk();
        for clause in node.named_children(&mut cursor).filter(|c| c.kind() == "export_clause") {
            let mut cc = clause.walk();
            for spec in clause.named_children(&mut cc).filter(|c| c.kind() == "export_specifier") {
                let (Some(name), Some(alias)) = (spec.field("name"), spec.field("alias")) else {
                    continue;
                };
                let alias = self.text(alias).to_string();
                if alias != self.text(name) {
                    self.sym.bind(ctx, &alias, pos, Bind::Expr(name, ctx.clone()));
                }
            }
        }
    }

    fn collect_function(&mut self, node: Node<'t>, ctx: &Ctx) {
        let id = node.id();
        if let Some(name) = node.field("name") {
            if matches!(node.kind(), "method_definition" | "function_declaration" | "generator_function_declaration") {
                self.callers.def(self.core.text_at(name), node);
            }
            let name = self.text(name).to_string();
            if node.kind() == "method_definition" {
                if let Some(class) = ctx.class {
                    self.sym.classes.entry(class).or_default().methods.insert(name, node);
                }
            } else {
                self.sym.bind(ctx, &name, node.start_byte(), Bind::Func(node));
            }
        }
        let mut chain = ctx.chain.to_vec();
        chain.push(id);
        let inner = Ctx { chain: Rc::from(chain), class: ctx.class, self_name: None };
        self.sym.funcs.insert(
            id,
            FuncInfo {
                returns: Vec::new(),
                annotation: node.field("return_type").map(|t| (t, ctx.clone())),
                class: ctx.class,
            },
        );
        let params = node.field("parameters").or_else(|| node.field("parameter"));
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
            let promise = self.then_promise(node);
            for (i, p) in list.into_iter().enumerate() {
                // The callback of `promise.then(...)` receives the promise's value.
                if let (0, Some(v)) = (i, promise) {
                    let pattern = match p.kind() {
                        "required_parameter" => p.child_by_field_name("pattern"),
                        _ => Some(p),
                    };
                    if let Some(pattern) = pattern.filter(|q| matches!(q.kind(), "identifier" | "object_pattern")) {
                        self.bind_pattern(pattern, Some(v), &inner, p.start_byte());
                    }
                }
                self.collect_param(p, &inner, &doc, i, options);
                let (pattern, own_type) = match p.kind() {
                    "required_parameter" | "optional_parameter" => (p.field("pattern"), p.field("type")),
                    _ => (Some(p), None),
                };
                if let (Some(c), Some(pattern), None) = (&contextual, pattern, own_type) {
                    if pattern.kind() == "object_pattern" {
                        self.bind_contextual(pattern, c, &inner, i);
                    }
                }
            }
        }
        if let Some(body) = node.field("body") {
            if node.kind() == "arrow_function" && body.kind() != "statement_block" {
                if let Some(info) = self.sym.funcs.get_mut(&id) {
                    info.returns.push((body, inner.clone()));
                }
            }
            self.collect(body, &inner);
        }
    }

    /// The callback of `promise.then(callback)` when it is a function written there.
    fn then_callback(&self, call: Node<'t>) -> Option<Node<'t>> {
        let callee = call.child_by_field_name("function").filter(|c| c.kind() == "member_expression")?;
        if callee.child_by_field_name("property").map(|p| self.text(p)) != Some("then") {
            return None;
        }
        let first = call.child_by_field_name("arguments")?.named_child(0)?;
        is_function(first.kind()).then_some(first)
    }

    /// The promise of `promise.catch(handler)` or `promise.finally(handler)` when the
    /// handler is a function written there.
    fn caught_promise(&self, call: Node<'t>) -> Option<Node<'t>> {
        let callee = call.child_by_field_name("function").filter(|c| c.kind() == "member_expression")?;
        if !matches!(callee.child_by_field_name("property").map(|p| self.text(p)), Some("catch" | "finally")) {
            return None;
        }
        let first = call.child_by_field_name("arguments")?.named_child(0)?;
        is_function(first.kind()).then_some(())?;
        callee.child_by_field_name("object")
    }

    /// The promise whose value `function`'s first parameter receives, when `function` is the
    /// callback of `promise.then(function)` (`import("openai").then(({ OpenAI }) => ...)`).
    fn then_promise(&self, function: Node<'t>) -> Option<Node<'t>> {
        let call = function.parent().filter(|a| a.kind() == "arguments")?.parent()?;
        if self.then_callback(call).map(|f| f.id()) != Some(function.id()) {
            return None;
        }
        call.child_by_field_name("function")?.child_by_field_name("object")
    }

    fn collect_param(&mut self, p: Node<'t>, ctx: &Ctx, doc: &DocParams, index: usize, options: Option<Node<'t>>) {
        let pos = p.start_byte();
        let (pattern, ty) = match p.kind() {
            "required_parameter" | "optional_parameter" => (p.field("pattern"), p.field("type")),
            "identifier" | "object_pattern" => (Some(p), None),
            "assignment_pattern" => {
                if let (Some(l), Some(r)) = (p.field("left"), p.field("right")) {
                    self.bind_pattern(l, Some(r), ctx, pos);
                    if l.kind() == "object_pattern" {
                        self.bind_typed_pattern(l, None, ctx, doc, index, options);
                    } else if let Some(t) = doc.of_param(index, self.text(l)) {
                        let name = self.text(l).to_string();
                        self.sym.bind(ctx, &name, pos, Bind::Doc(t, ctx.clone(), l.id()));
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
            self.bind_defaults(pattern, ctx, pos);
            return;
        }
        if pattern.kind() != "identifier" {
            return;
        }
        let name = self.text(pattern).to_string();
        if let (None, Some(t)) = (ty, doc.of_param(index, &name)) {
            self.sym.bind(ctx, &name, pos, Bind::Doc(t, ctx.clone(), pattern.id()));
        }
        if let Some(t) = ty {
            self.sym.bind(ctx, &name, pos, Bind::Annot(t, ctx.clone()));
            // `constructor(private client: OpenAI)` is also `this.client`.
            let mut cursor = p.walk();
            let is_property =
                p.children(&mut cursor).any(|c| c.kind() == "accessibility_modifier" || c.kind() == "readonly");
            if let (true, Some(class)) = (is_property, ctx.class) {
                self.sym.bind_attr(class, &name, pos, Bind::Annot(t, ctx.clone()));
            }
        }
        if let Some(v) = p.field("value") {
            self.sym.bind(ctx, &name, pos, Bind::Expr(v, ctx.clone()));
        }
    }

    /// The defaults of a destructuring pattern (`{ baseUrl = "https://..." }`): what each
    /// name holds where the object leaves it unset.
    fn bind_defaults(&mut self, pattern: Node<'t>, ctx: &Ctx, pos: usize) {
        let mut cursor = pattern.walk();
        let props: Vec<Node<'t>> = pattern.named_children(&mut cursor).collect();
        for p in props {
            let (l, r) = match p.kind() {
                "object_assignment_pattern" => (p.field("left"), p.field("right")),
                "pair_pattern" => match p.field("value").filter(|v| v.kind() == "assignment_pattern") {
                    Some(a) => (a.field("left"), a.field("right")),
                    None => continue,
                },
                _ => continue,
            };
            if let (Some(l), Some(r)) = (l.filter(|l| l.kind() != "object_pattern"), r) {
                let name = self.text(l).to_string();
                self.sym.bind(ctx, &name, pos, Bind::Expr(r, ctx.clone()));
            }
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
                self.sym.bind(ctx, &name, pos, bind);
            } else if let Some(t) = doc.of_property(index, &key) {
                self.sym.bind(ctx, &name, pos, Bind::Doc(t, ctx.clone(), local.id()));
            }
        }
    }

    /// The names a destructured parameter without a type binds, typed by the context.
    fn bind_contextual(&mut self, pattern: Node<'t>, c: &Contextual<'t>, ctx: &Ctx, index: usize) {
        let param_type = match c {
            Contextual::Local(f, obj) => {
                let params = f.field("parameters");
                let p = params.and_then(|ps| {
                    let mut cursor = ps.walk();
                    let found = ps.named_children(&mut cursor).filter(|p| p.kind() != "comment").nth(index);
                    found
                });
                match p.and_then(|p| p.field("type")) {
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
            self.sym.bind(ctx, &name, pos, bind);
        }
    }

    /// A property of an object pattern: its key and the identifier it binds
    /// (`{ client }`, `{ client = x }`, `{ client: c }`).
    fn pattern_property(&self, p: Node<'t>) -> Option<(String, Node<'t>)> {
        match p.kind() {
            "shorthand_property_identifier_pattern" => Some((self.text(p).to_string(), p)),
            "object_assignment_pattern" => p.field("left").map(|l| (self.text(l).to_string(), l)),
            "pair_pattern" => {
                let (k, v) = (p.field("key")?, p.field("value")?);
                let v = if v.kind() == "assignment_pattern" { v.field("left").unwrap_or(v) } else { v };
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
                    m.kind() == "property_signature" && m.field("name").is_some_and(|n| self.property_key(n) == key)
                });
                found.and_then(|m| m.field("type"))
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
            let (Some(k), Some(v)) = (p.field("key"), p.field("value")) else { continue };
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
        let key = self.property_key(pair.field("key")?);
        let obj = pair.parent().filter(|o| o.kind() == "object")?;
        let holder = obj.parent()?;
        let (ty, callee_param) = match holder.kind() {
            "satisfies_expression" | "as_expression" => (holder.named_child(1), None),
            "variable_declarator" => (holder.field("type"), None),
            "arguments" => {
                let mut cursor = holder.walk();
                let index = holder.named_children(&mut cursor).position(|a| a == obj)?;
                (None, Some((holder.parent()?.field("function")?, index)))
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
                    let params = f.field("parameters")?;
                    let mut cursor = params.walk();
                    let p = params.named_children(&mut cursor).filter(|p| p.kind() != "comment").nth(index)?;
                    p.field("type")?
                }
                Val::Path(p) if self.locals.is_local_module_path(&p) => {
                    return imported(p.member(&format!("#{index}")))
                }
                _ => return None,
            },
            _ => return None,
        };
        let ty = if ty.kind() == "type_annotation" { ty.named_child(0)? } else { ty };
        let name_node = if ty.kind() == "generic_type" { ty.field("name")? } else { ty };
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
        if !self.sym.budget.step(depth) {
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
            return p.declared().map(Val::Path);
        }
        if !t.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') || t.is_empty() {
            return None;
        }
        let mut names = t.split('.');
        let first = names.next()?;
        let rest: Vec<&str> = names.collect();
        let members = |p: Path| rest.iter().fold(p, |acc, s| acc.member(s));
        if let Some((_, def)) = self.typedefs.iter().find(|(n, _)| n == first) {
            let root = Ctx::module(self.sym.root_id);
            return match self.resolve_doc_type(def, &root, depth + 1)? {
                Val::Path(p) if rest.is_empty() => Some(Val::Path(p)),
                _ => None,
            };
        }
        match self.resolve_name(first, ctx, usize::MAX, depth + 1) {
            Some(Val::Path(p)) => members(p).declared().map(Val::Path),
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
        if let Some(name) = node.field("name") {
            let name = self.text(name).to_string();
            self.sym.bind(ctx, &name, node.start_byte(), Bind::Class(id));
        }
        let info = self.sym.classes.entry(id).or_default();
        info.is_abstract = node.kind() == "abstract_class_declaration";
        let mut cursor = node.walk();
        for c in node.named_children(&mut cursor) {
            if c.kind() == "class_heritage" {
                let mut cc = c.walk();
                for e in c.named_children(&mut cc) {
                    let target = if e.kind() == "extends_clause" {
                        e.field("value").or_else(|| e.named_child(0))
                    } else {
                        Some(e)
                    };
                    if let Some(t) = target {
                        info.bases.push((t, ctx.clone()));
                    }
                }
            }
        }
        let inner = Ctx { chain: ctx.chain.clone(), class: Some(id), self_name: None };
        let Some(body) = node.field("body") else { return };
        let mut cursor = body.walk();
        let members: Vec<Node<'t>> = body.named_children(&mut cursor).collect();
        for m in members {
            match m.kind() {
                "public_field_definition" | "field_definition" => {
                    let name = m.field("name").or_else(|| m.field("property"));
                    if let Some(name) = name {
                        let name = self.text(name).to_string();
                        if let Some(v) = m.field("value") {
                            self.sym.bind_attr(id, &name, m.start_byte(), Bind::Expr(v, inner.clone()));
                            self.collect(v, &inner);
                        }
                        if let Some(t) = m.field("type") {
                            self.sym.bind_attr(id, &name, m.start_byte(), Bind::Annot(t, inner.clone()));
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
        let Some(spec) = node.field("source").and_then(|s| self.string_lit(s)) else { return out };
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
                            let name = s.field("name").map(|n| self.text(n).trim_matches(['"', '\'']).to_string());
                            let alias = s.field("alias").map(|n| self.text(n).to_string());
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

    fn resolve_annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.sym.budget.step(depth) {
            return None;
        }
        match t.kind() {
            "type_annotation" | "parenthesized_type" => self.resolve_annotation(t.named_child(0)?, ctx, depth + 1),
            "type_identifier" | "identifier" => {
                match self.resolve_name(self.text(t), ctx, t.start_byte(), depth + 1)? {
                    Val::Path(p) => p.declared().map(Val::Path),
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
                    Val::Path(p) => p.declared().map(Val::Path),
                    _ => None,
                }
            }
            // `ReturnType<typeof anthropicAccess>` (TypeScript's utility type): what calling
            // the function gives.
            "generic_type" if self.returned_type(t, ctx).is_some() => {
                let f = self.returned_type(t, ctx)?;
                match self.resolve(f, ctx, depth + 1)? {
                    Val::Path(p) => p.called(CallArgs::default()).map(Val::Path),
                    Val::Func(def) => self.function_result(def, depth + 1),
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

    /// The function whose result type `ReturnType<typeof f>` names (`f`), unless the file
    /// declares a `ReturnType` of its own.
    fn returned_type(&self, t: Node<'t>, ctx: &Ctx) -> Option<Node<'t>> {
        let name = t.field("name")?;
        if self.text(name) != "ReturnType" || !self.lookup("ReturnType", ctx, t.start_byte()).is_empty() {
            return None;
        }
        let args = t.field("type_arguments")?;
        let query = args.named_child(0).filter(|q| q.kind() == "type_query")?;
        query.named_child(0).filter(|f| matches!(f.kind(), "identifier" | "member_expression"))
    }

    /// The name of an object key: `a`, `"a"`, `'a'`.
    fn property_key(&self, k: Node<'t>) -> String {
        self.string_lit(k).unwrap_or_else(|| self.text(k).to_string())
    }

    /// `process.env.X`, `process.env["X"]`, `import.meta.env.X`: the variable, with the
    /// framework prefixes (`NEXT_PUBLIC_`, `VITE_`, ...) that expose it to the browser.
    fn env_name(&self, node: Node<'t>) -> Option<String> {
        let (obj, name) = match node.kind() {
            "member_expression" => (node.field("object")?, self.text(node.field("property")?).to_string()),
            "subscript_expression" => (node.field("object")?, self.string_lit(node.field("index")?)?),
            _ => return None,
        };
        let obj_text: String = self.text(obj).chars().filter(|c| !c.is_whitespace()).collect();
        matches!(obj_text.as_str(), "process.env" | "import.meta.env" | "Deno.env" | "Bun.env").then_some(name)
    }
    /// The module a `require("x")` or `import("x")` call loads.
    fn loaded_module(&self, call: Node<'t>) -> Option<String> {
        match self.shape(call, &Ctx::module(self.sym.root_id)) {
            Shape::Load(spec) => Some(spec),
            _ => None,
        }
    }

    /// The operands of a runnable chain call whose model the result is: `prompt.pipe(llm)`,
    /// `RunnableSequence.from([prompt, llm])`.
    fn chain_operands(&self, f: Node<'t>, args: Option<Node<'t>>) -> Vec<Node<'t>> {
        let (Some(args), "member_expression") = (args, f.kind()) else { return Vec::new() };
        let (Some(obj), Some(prop)) = (f.field("object"), f.field("property")) else {
            return Vec::new();
        };
        match self.text(prop) {
            "pipe" => std::iter::once(obj).chain(args.named_child(0)).collect(),
            "from" if self.text(obj) == "RunnableSequence" => {
                let Some(list) = args.named_child(0).filter(|a| a.kind() == "array") else { return Vec::new() };
                let mut cursor = list.walk();
                let items = list.named_children(&mut cursor).collect();
                items
            }
            _ => Vec::new(),
        }
    }

    /// Properties assigned to options object `name` before it is passed, in the same function
    /// (`if (config.baseURL) { clientOptions.baseURL = config.baseURL }`, `config.baseURL =
    /// "https://..."; super(config)`), as keyword arguments: the last assignment wins over the
    /// literal's property.
    fn assigned_keywords(&self, name: Node<'t>, ctx: &Ctx, depth: u32, out: &mut CallArgs) {
        for (prop, v, c) in self.assigned_props(self.text(name), ctx, name.start_byte()) {
            let value = self.arg_value(v, &c, depth, true);
            out.keywords.retain(|(k, _)| *k != prop);
            out.keywords.push((prop, value));
        }
    }

    /// Properties of an options object as keyword arguments, nested ones dotted; objects
    /// spread in are followed, the property written last wins ([`Front::spread_entries`]).
    fn object_keywords(&self, obj: Node<'t>, ctx: &Ctx, prefix: &str, depth: u32, out: &mut CallArgs) {
        for (entry, ctx) in self.spread_entries(obj, ctx, depth) {
            let ctx = &ctx;
            let (key, value) = match entry {
                Entry::Pair(k, v) | Entry::Shorthand(k, v) => (k, v),
                _ => continue,
            };
            let name = if prefix.is_empty() { key } else { format!("{prefix}.{key}") };
            if value.kind() == "object" && prefix.is_empty() {
                self.object_keywords(value, ctx, &name, depth, out);
            }
            let v = if value.kind() == "shorthand_property_identifier" {
                match self.string_value(value, ctx, 0) {
                    Some(s) => ArgValue::Str(s),
                    None => match self.resolve_name(self.text(value), ctx, value.start_byte(), depth + 1) {
                        Some(Val::Path(p)) => ArgValue::Path(p),
                        // `const baseURL = config.baseURL || process.env.X; new OpenAI({ baseURL })`
                        _ => self.arg_value(value, ctx, depth, false),
                    },
                }
            } else {
                self.arg_value(value, ctx, depth, true)
            };
            let base_url_key =
                || self.rules().clients.iter().any(|c| c.ecosystem == LANG && c.base_url.contains(&name));
            if matches!(v, ArgValue::Str(_)) && base_url_key() {
                if let Some(var) = self.env_value(value, ctx, 0) {
                    out.env_defaults.push((name.clone(), var));
                }
            }
            out.keywords.push((name, v));
        }
    }

    fn string_of_name(&self, name: &str, ctx: &Ctx, pos: usize) -> Option<String> {
        self.lookup(name, ctx, pos).into_iter().find_map(|b| match &b.bind {
            Bind::Expr(n, _) => self.string_lit(*n),
            _ => None,
        })
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
            "export_statement" if n.field("source").is_some() => {
                self.import_findings(n, out);
                false
            }
            "call_expression" => {
                if let Some(spec) = self.loaded_module(n) {
                    self.import_finding_for(n, &spec, &[], out);
                }
                true
            }
            "member_expression" | "subscript_expression" => match self.env_name(n) {
                Some(name) => {
                    self.env_finding(n, n.parent(), &name, out);
                    false
                }
                None => true,
            },
            "string" => {
                self.string_findings(n, up_of(n), None, out);
                false
            }
            // (And its substitutions, below.)
            "template_string" => {
                self.string_findings(n, up_of(n), None, out);
                true
            }
            _ => true,
        });
    }

    fn visit(&mut self, node: Node<'t>, ctx: &Ctx, served: Option<&str>, out: &mut FileOutput) {
        let mut served = served.map(str::to_string);
        let mut inner = None;
        let up = super::up_in(&self.ancestors);
        match node.kind() {
            "import_statement" => self.import_findings(node, out),
            "export_statement" if node.field("source").is_some() => self.import_findings(node, out),
            "call_expression" | "new_expression" => {
                if let Some(spec) = (node.kind() == "call_expression").then(|| self.loaded_module(node)).flatten() {
                    self.import_finding_for(node, &spec, &[], out);
                } else if let Some(s) = self.call_findings(node, ctx, out) {
                    served = Some(s);
                }
            }
            "member_expression" | "subscript_expression" => {
                if let Some(name) = self.env_name(node) {
                    self.env_finding(node, up[0], &name, out);
                    return;
                }
                if node.kind() == "member_expression" && is_passed_on(node, up[0]) && !self.is_test_double_arg(up) {
                    self.reference_finding(node, ctx, out);
                }
            }
            "string" | "template_string" => {
                self.string_findings(node, up, served.as_deref(), out);
                // A template's substitutions are code: `Bearer ${process.env.GROQ_API_KEY}` reads a key.
                self.ancestors.push(node);
                for hole in super::common::children_of_kind(node, "template_substitution") {
                    self.visit(hole, ctx, served.as_deref(), out);
                }
                self.ancestors.pop();
                return;
            }
            "class_declaration" | "class" | "abstract_class_declaration" => {
                inner = Some(Ctx { chain: ctx.chain.clone(), class: Some(node.id()), self_name: None });
            }
            k if is_function(k) => {
                let mut chain = ctx.chain.to_vec();
                chain.push(node.id());
                inner = Some(Ctx { chain: Rc::from(chain), class: ctx.class, self_name: None });
            }
            "comment" => return,
            _ => {}
        }
        let ctx = inner.as_ref().unwrap_or(ctx);
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        self.ancestors.push(node);
        for child in children {
            self.visit(child, ctx, served.as_deref(), out);
        }
        self.ancestors.pop();
    }

    fn import_findings(&self, node: Node<'t>, out: &mut FileOutput) {
        let Some(spec) = node.field("source").and_then(|s| self.string_lit(s)) else { return };
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
            if let Some(sdk) = matcher::sdk_for_specifier(self.rules, LANG, spec) {
                vendors.push(sdk);
            }
        }
        for vendor in vendors {
            self.emit(out, node, emit::import(self.rules, LANG, &vendor, spec));
        }
    }

    /// A method handed to a test or mocking helper (`expect(client.images.generate)`,
    /// `vi.mocked(client.chat.completions.create)`, `jest.spyOn(...)`, `sinon.stub(...)`):
    /// the test inspects or replaces it, it does not call the vendor.
    fn is_test_double_arg(&self, [parent, grand]: Up<'t>) -> bool {
        let Some(call) = parent.filter(|p| p.kind() == "arguments").and(grand) else {
            return false;
        };
        let Some(f) = call.field("function") else { return false };
        let text: String = self.text(f).chars().filter(|c| !c.is_whitespace()).collect();
        let root = text.split(['.', '(']).next().unwrap_or_default();
        let last = text.rsplit('.').next().unwrap_or_default();
        matches!(root, "expect" | "vi" | "jest" | "sinon" | "td" | "assert" | "chai")
            || matches!(last, "mocked" | "spyOn" | "spy" | "stub" | "mock" | "fn" | "when" | "verify" | "expect")
    }

    fn env_finding(&self, node: Node<'t>, parent: Option<Node<'t>>, name: &str, out: &mut FileOutput) {
        // `process.env.X = ...` writes the variable; only reads are findings.
        let written = parent.is_some_and(|p| {
            (p.kind() == "assignment_expression" && p.field("left") == Some(node))
                || (p.kind() == "unary_expression" && self.text(p).starts_with("delete"))
        });
        if written {
            return;
        }
        if let Some(e) = emit::env(self.rules, name) {
            self.emit(out, node, e);
        }
    }

    fn string_findings(&self, node: Node<'t>, up: Up<'t>, served: Option<&str>, out: &mut FileOutput) {
        // Import specifiers are not literals of interest.
        if up[0].is_some_and(|p| matches!(p.kind(), "import_statement" | "export_statement")) {
            return;
        }
        let content = string_content(node, self.src);
        let literal = plain_string(node, self.src);
        let in_context = literal.is_some() && self.in_model_context(up);
        for e in emit::literal(self.rules, &content, literal.as_deref(), in_context, served) {
            self.emit(out, node, e);
        }
    }

    fn in_model_context(&self, [parent, grand]: Up<'t>) -> bool {
        let Some(parent) = parent else { return false };
        let name = match parent.kind() {
            "pair" => parent.field("key").map(|k| self.text(k).trim_matches(['"', '\'']).to_string()),
            "variable_declarator" => parent.field("name").map(|n| self.text(n).to_string()),
            "assignment_expression" => parent.field("left").map(|n| self.text(n).to_string()),
            "arguments" => grand.and_then(|c| c.field("function")).map(|f| self.text(f).to_string()),
            _ => None,
        };
        name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.contains("model") || n.contains("deployment")
        })
    }

    /// What other modules import of this one ([`Front::module_exports`]), and each client
    /// property of an exported object literal (`return { openai, apiKey }` as `f().openai`).
    fn exports(&self, out: &mut FileOutput) {
        let ctx = Ctx::module(self.sym.root_id);
        for (key, val) in self.module_exports(&ctx, out) {
            let Val::Object(obj, c) = val else { continue };
            let mut cursor = obj.walk();
            let props: Vec<Node<'t>> = obj.named_children(&mut cursor).collect();
            for prop in props {
                let pname = match prop.kind() {
                    "shorthand_property_identifier" => self.text(prop).to_string(),
                    "pair" => match prop.field("key") {
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
        self.type_exports(&ctx, out);
        for (name, ty) in &self.typedefs {
            if let Some(Val::Path(p)) = self.resolve_doc_type(ty, &ctx, 0) {
                if self.is_vendor_path(&p) {
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
            Some(Val::Path(p)) if self.is_vendor_path(&p) => Some(p),
            _ => None,
        };
        for (name, body) in names {
            for (prop, t) in self.property_types(*body) {
                if let Some(p) = client(t) {
                    out.exports.push((format!("{name}.{prop}"), p));
                }
                let Some(f) = function_type(t) else { continue };
                let Some(params) = f.field("parameters") else { continue };
                let mut cursor = params.walk();
                let list: Vec<Node<'t>> =
                    params.named_children(&mut cursor).filter(|p| p.kind() != "comment").collect();
                for (i, param) in list.into_iter().enumerate() {
                    let Some(pt) = param.field("type") else { continue };
                    for (q, qt) in self.property_types(pt) {
                        if let Some(p) = client(qt) {
                            out.exports.push((format!("{name}.{prop}.#{i}.{q}"), p));
                        }
                    }
                }
            }
        }
        let Some(module) = self.self_module() else { return };
        let Some(scope) = self.sym.scopes.get(&self.sym.root_id) else { return };
        let mut funcs: Vec<(&String, Node<'t>)> = scope
            .iter()
            .filter_map(|(n, b)| match b.first().map(|b| &b.bind) {
                Some(Bind::Func(f)) => Some((n, *f)),
                _ => None,
            })
            .collect();
        funcs.sort_by_key(|(n, _)| n.as_str());
        for (name, f) in funcs {
            let Some(params) = f.field("parameters") else { continue };
            let mut cursor = params.walk();
            let list: Vec<Node<'t>> = params.named_children(&mut cursor).filter(|p| p.kind() != "comment").collect();
            for (i, param) in list.into_iter().enumerate() {
                let Some(t) = param.field("type").and_then(|t| t.named_child(0)) else { continue };
                let t = if t.kind() == "generic_type" { t.field("name").unwrap_or(t) } else { t };
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
        members.into_iter().filter_map(|m| Some((self.property_key(m.field("name")?), m.field("type")?))).collect()
    }

    /// This module's own path (`local:core/factory`), as other modules import it.
    fn self_module(&self) -> Option<Path> {
        let stem = strip_ext(&self.rel);
        let key = format!("local:{stem}");
        self.locals.has_module(&key).then(|| Path(vec![Seg { name: key, call: None }]))
    }
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
        match node.kind() {
            // `{ baseURL }` reads the name `baseURL`.
            "identifier" | "shorthand_property_identifier" => Shape::Name(self.text(node)),
            "this" => Shape::This,
            "super" => Shape::Super,
            "member_expression" => match (field("object"), field("property")) {
                (Some(o), Some(p)) => Shape::Member(o, self.text(p)),
                _ => Shape::Unknown,
            },
            "subscript_expression" => match (field("object"), field("index")) {
                (Some(object), Some(index)) => Shape::Index { object, index, generic: false },
                _ => Shape::Unknown,
            },
            "call_expression" => {
                let Some(callee) = field("function") else { return Shape::Unknown };
                let args = field("arguments");
                // `require("openai")` and `await import("openai")`.
                let is_require =
                    (callee.kind() == "identifier" && self.text(callee) == "require") || callee.kind() == "import";
                if let Some(spec) =
                    args.and_then(|a| a.named_child(0)).and_then(|a| self.string_lit(a)).filter(|_| is_require)
                {
                    return Shape::Load(spec);
                }
                // `this.createClient().catch((err) => { .. })`: the promise's own value (the
                // handler only answers a failure).
                if let Some(promise) = self.caught_promise(node) {
                    return Shape::Inner(promise);
                }
                // `promise.then((sdk) => new sdk.OpenAI())` gives what its callback returns.
                if let Some(callback) = self.then_callback(node) {
                    return Shape::Call { callee: callback, args: None, new: false, chain: Vec::new() };
                }
                Shape::Call { callee, args, new: false, chain: self.chain_operands(callee, args) }
            }
            "new_expression" => match field("constructor") {
                Some(callee) => Shape::Call { callee, args: field("arguments"), new: true, chain: Vec::new() },
                None => Shape::Unknown,
            },
            "await_expression"
            | "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression"
            | "type_assertion" => node.named_child(0).map_or(Shape::Unknown, Shape::Inner),
            // `client ?? new OpenAI()`, `a || b`.
            "binary_expression" => Shape::Either([field("left"), field("right")].into_iter().flatten().collect()),
            // `isTest ? mockModel : gateway.languageModel(...)`.
            "ternary_expression" => {
                Shape::Either([field("consequence"), field("alternative")].into_iter().flatten().collect())
            }
            "object" | "enum_body" => Shape::Object(node),
            k if is_function(k) => Shape::Function(node),
            _ => Shape::Unknown,
        }
    }

    fn text_shape(&self, v: Node<'t>, ctx: &Ctx) -> Text<'t> {
        if let Some(s) = self.string_lit(v) {
            return Text::Lit(s);
        }
        let field = |f: &'static str| v.field(f);
        match v.kind() {
            "parenthesized_expression" => v.named_child(0).map_or(Text::Unknown, Text::Inner),
            "augmented_assignment_expression" if self.appends(v) => match (field("left"), field("right")) {
                (Some(l), Some(r)) => Text::Concat(l, r),
                _ => Text::Unknown,
            },
            "binary_expression" => {
                let op = field("operator").map(|o| self.text(o));
                match (op, field("left"), field("right")) {
                    (Some("||" | "??"), _, Some(r)) => Text::Fallback(r),
                    (Some("+"), Some(l), Some(r)) => Text::Concat(l, r),
                    _ => Text::Unknown,
                }
            }
            "ternary_expression" => match (field("consequence"), field("alternative")) {
                (Some(a), Some(b)) => Text::Either(a, b),
                _ => Text::Unknown,
            },
            "identifier" | "shorthand_property_identifier" => Text::Name(self.text(v), v.start_byte()),
            "member_expression" => match (field("object"), field("property")) {
                (Some(o), Some(p)) if o.kind() == "this" => Text::Field(self.text(p)),
                // `this.options.apiHost`, where the class assigns it (`this.options.apiHost = ...`).
                (Some(o), Some(p)) if this_field(o, self.src).is_some() => {
                    let dotted = self.text(v).strip_prefix("this.").unwrap_or_default();
                    let class = ctx.class.and_then(|c| self.sym.classes.get(&c));
                    if class.is_some_and(|c| c.attrs.contains_key(dotted)) {
                        Text::Field(dotted)
                    } else {
                        Text::Member(o, self.text(p).to_string())
                    }
                }
                (Some(o), Some(p)) => Text::Member(o, self.text(p).to_string()),
                _ => Text::Unknown,
            },
            "subscript_expression" => match (field("object"), field("index").and_then(|i| self.string_lit(i))) {
                (Some(o), Some(key)) => Text::Member(o, key),
                _ => Text::Unknown,
            },
            _ => Text::Unknown,
        }
    }

    fn pieces(&self, v: Node<'t>) -> Pieces<'t> {
        let field = |f: &'static str| v.field(f);
        match v.kind() {
            "template_string" => {
                let mut parts = Vec::new();
                let mut cursor = v.walk();
                for c in v.named_children(&mut cursor) {
                    parts.push(match c.kind() {
                        "string_fragment" | "escape_sequence" => Piece::Text(self.text(c).to_string()),
                        "template_substitution" => Piece::Hole(c.named_child(0)),
                        _ => continue,
                    });
                }
                Pieces::Parts(parts)
            }
            "augmented_assignment_expression" if self.appends(v) => match (field("left"), field("right")) {
                (Some(l), Some(r)) => Pieces::Plus(l, r),
                _ => Pieces::Unknown,
            },
            "binary_expression" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Pieces::Plus(l, r),
                    _ => Pieces::Unknown,
                }
            }
            "new_expression" if field("constructor").is_some_and(|c| self.text(c) == "URL") => {
                let args = field("arguments");
                match args.and_then(|a| a.named_child(0)) {
                    Some(rel) => Pieces::Url(rel, args.and_then(|a| a.named_child(1))),
                    None => Pieces::Unknown,
                }
            }
            "identifier" | "shorthand_property_identifier" => Pieces::Name(self.text(v), v.start_byte()),
            "parenthesized_expression" | "await_expression" | "as_expression" | "non_null_expression" => {
                v.named_child(0).map_or(Pieces::Unknown, Pieces::Inner)
            }
            // `url.href`: the URL itself (host-keeping methods are the resolver's); `url.origin`
            // its scheme and host.
            "member_expression" if field("property").is_some_and(|p| self.text(p) == "href") => {
                field("object").map_or(Pieces::Unknown, Pieces::Inner)
            }
            "member_expression" if field("property").is_some_and(|p| self.text(p) == "origin") => {
                field("object").map_or(Pieces::Unknown, Pieces::Origin)
            }
            // `[base, path].join("/")`.
            "call_expression" if self.joined(v).is_some() => self.joined(v).map_or(Pieces::Unknown, Pieces::Parts),
            // `urlJoin(base, "/v1/models")` (the url-join packages): one `/` between parts.
            "call_expression"
                if field("function")
                    .is_some_and(|f| matches!(self.text(f), "urlJoin" | "urljoin" | "joinUrl" | "joinURL")) =>
            {
                let args = field("arguments");
                let mut cursor = v.walk();
                let parts: Vec<Node<'t>> = args
                    .map(|a| a.named_children(&mut cursor).filter(|n| n.kind() != "comment").collect())
                    .unwrap_or_default();
                if parts.is_empty() {
                    Pieces::Unknown
                } else {
                    Pieces::Join(parts)
                }
            }
            "call_expression" => field("function").map_or(Pieces::Unknown, |f| Pieces::Call(f, field("arguments"))),
            _ => Pieces::Unknown,
        }
    }

    fn params(&self, def: Node<'t>) -> Vec<&'t str> {
        let Some(params) = def.field("parameters").or_else(|| def.field("parameter")) else {
            return Vec::new();
        };
        if params.kind() == "identifier" {
            return vec![self.text(params)];
        }
        let mut cursor = params.walk();
        let list: Vec<Node<'t>> = params.named_children(&mut cursor).filter(|p| p.kind() != "comment").collect();
        list.into_iter()
            .map(|p| {
                let name = match p.kind() {
                    "required_parameter" | "optional_parameter" => p.field("pattern"),
                    "assignment_pattern" => p.field("left"),
                    _ => Some(p),
                };
                name.filter(|n| n.kind() == "identifier").map_or("", |n| self.text(n))
            })
            .collect()
    }

    fn assigned_props(&self, name: &str, ctx: &Ctx, at: usize) -> Vec<(String, Node<'t>, Ctx)> {
        let Some(props) = self.assigned.get(name) else { return Vec::new() };
        let function = |c: &Ctx| c.chain.iter().rev().find(|s| self.sym.funcs.contains_key(s)).copied();
        props
            .iter()
            .filter(|(_, _, c, pos)| *pos < at && function(c) == function(ctx))
            .map(|(prop, v, c, _)| (prop.clone(), *v, c.clone()))
            .collect()
    }

    fn param_props(&self, def: Node<'t>, index: usize) -> Option<ParamProps<'t>> {
        let params = def.field("parameters")?;
        let mut cursor = params.walk();
        let p = params.named_children(&mut cursor).filter(|p| p.kind() != "comment").nth(index)?;
        let pattern = match p.kind() {
            "required_parameter" | "optional_parameter" => p.field("pattern")?,
            "assignment_pattern" => p.field("left")?,
            _ => p,
        };
        if pattern.kind() != "object_pattern" {
            return None;
        }
        let (mut props, mut rest) = (Vec::new(), None);
        let mut cursor = pattern.walk();
        for prop in pattern.named_children(&mut cursor) {
            match prop.kind() {
                "rest_pattern" => rest = prop.named_child(0).filter(|n| n.kind() == "identifier").map(|n| self.text(n)),
                _ => {
                    if let Some((key, local)) = self.pattern_property(prop) {
                        props.push((key, self.text(local)));
                    }
                }
            }
        }
        Some((props, rest))
    }

    fn arg_nodes(&self, args: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        let mut cursor = args.walk();
        let list: Vec<Node<'t>> = args.named_children(&mut cursor).filter(|a| a.kind() != "comment").collect();
        list.into_iter().map(|a| (None, a)).collect()
    }

    fn entries(&self, obj: Node<'t>) -> Vec<Entry<'t>> {
        let mut cursor = obj.walk();
        let props: Vec<Node<'t>> = obj.named_children(&mut cursor).collect();
        props
            .into_iter()
            .filter_map(|p| match p.kind() {
                "shorthand_property_identifier" => Some(Entry::Shorthand(self.text(p).to_string(), p)),
                "pair" => Some(Entry::Pair(self.property_key(p.field("key")?), p.field("value")?)),
                "method_definition" => Some(Entry::Method(self.text(p.field("name")?).to_string(), p)),
                "enum_assignment" => Some(Entry::Pair(self.property_key(p.field("name")?), p.field("value")?)),
                "spread_element" => Some(Entry::Spread(p.named_child(0)?)),
                _ => None,
            })
            .collect()
    }

    fn string_lit(&self, n: Node<'t>) -> Option<String> {
        plain_string(n, self.src)
    }

    fn annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        self.resolve_annotation(t, ctx, depth)
    }

    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, callee: &Path) -> CallArgs {
        let mut out = CallArgs::default();
        let mut cursor = args.walk();
        // `initChatModel("gpt-4o", { modelProvider: "openai" })`: a constructor whose rule
        // reads the vendor from its arguments takes its options after the model, the
        // JavaScript spelling of Python's `init_chat_model("gpt-4o", model_provider="openai")`.
        let options_after_model = || {
            let rules = self.rules();
            rules
                .clients_constructed_by(LANG, &callee.dotted(callee.0.len()))
                .iter()
                .any(|&i| rules.clients[i].vendor_from.is_some())
        };
        let mut first_object = false;
        for (i, a) in args.named_children(&mut cursor).filter(|a| a.kind() != "comment").enumerate() {
            if a.kind() == "object" && i == 0 {
                first_object = true;
                self.object_keywords(a, ctx, "", depth, &mut out);
            } else if a.kind() == "object" && i == 1 && !first_object && options_after_model() {
                self.object_keywords(a, ctx, "", depth, &mut out);
            } else if i == 0 && a.kind() == "identifier" && depth < 8 {
                // An options object built beforehand: `const options = { model, prompt }; streamText(options)`.
                if let Some(Val::Object(obj, octx)) = self.resolve(a, ctx, depth + 1) {
                    self.object_keywords(obj, &octx, "", depth + 1, &mut out);
                }
                self.assigned_keywords(a, ctx, depth + 1, &mut out);
            }
            out.positional.push(self.arg_value(a, ctx, depth, true));
        }
        out
    }

    /// `process.env.X`, `process.env["X"]`, `import.meta.env.X`: the variable, with the
    /// framework prefixes (`NEXT_PUBLIC_`, `VITE_`, ...) that expose it to the browser.
    fn env_read(&self, node: Node<'t>, _ctx: &Ctx, _depth: u32) -> Option<String> {
        self.env_name(node)
    }

    fn module_root(&self, spec: &str) -> Path {
        self.module_path(spec)
    }

    fn is_getter(&self, m: Node<'t>) -> bool {
        let mut c = m.walk();
        let found = m.children(&mut c).any(|ch| ch.kind() == "get");
        found
    }

    fn special(&self, b: &Bind<'t>, depth: u32) -> Option<Val<'t>> {
        match b {
            Bind::AnnotIn(t, c, obj) => {
                self.sym.bindings.get_or((t.id(), 3), || match self.resolve_annotation(*t, c, depth + 1)? {
                    Val::Path(mut p)
                        if p.0.last().is_some_and(|s| s.call.as_deref().is_some_and(CallArgs::is_bare)) =>
                    {
                        let args = self.literal_options(*obj, c);
                        if let Some(last) = p.0.last_mut() {
                            last.call = Some(std::sync::Arc::new(args));
                        }
                        Some(Val::Path(p))
                    }
                    v => Some(v),
                })
            }
            Bind::Doc(t, c, id) => self.sym.bindings.get_or((*id, 2), || self.resolve_doc_type(t, c, depth + 1)),
            _ => None,
        }
    }

    /// An unbound name an HTTP library rule declares is the global (`fetch`, `window`).
    fn unbound(&self, name: &str, ctx: &Ctx) -> Option<Val<'t>> {
        let global = self
            .rules
            .http_clients
            .iter()
            .flat_map(|c| &c.modules)
            .any(|m| m == name || m.strip_prefix(name).is_some_and(|r| r.starts_with('.')));
        (global && self.lookup(name, ctx, usize::MAX).is_empty() && self.sym.unbound_everywhere(name))
            .then(|| Val::Path(Path::from_dotted(name)))
    }

    fn call_parts(&self, call: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        let f = call.field("function").or_else(|| call.field("constructor"))?;
        Some((f, call.field("arguments")))
    }

    /// A call on a receiver nothing in the file resolves: see `common::infer_operation`.
    fn inferred_call(&mut self, node: Node<'t>, f: Node<'t>, out: &mut FileOutput) -> Option<String> {
        let mut names: Vec<&'t str> = Vec::new();
        let mut cur = f;
        while cur.kind() == "member_expression" {
            names.push(self.text(cur.field("property")?));
            cur = cur.field("object")?;
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
                .lookup(base, &Ctx::module(self.sym.root_id), usize::MAX)
                .iter()
                .chain(self.sym.scopes.values().filter_map(|sc| sc.get(base)).flatten().collect::<Vec<_>>().iter())
                .any(|b| matches!(&b.bind, Bind::Expr(n, _) if matches!(n.kind(), "object" | "array")));
            if local_object {
                return None;
            }
        }
        // An LLM request names its model or messages in its options object.
        let llm_shaped = node.field("arguments").and_then(|a| a.named_child(0)).is_some_and(|o| {
            o.kind() == "object" && {
                let text = self.text(o);
                ["model", "messages", "modelId", "contents", "input"].iter().any(|k| text.contains(k))
            }
        });
        let built: Vec<String> = self.sym.clients.iter().map(|(d, _)| d.clone()).collect();
        let (def, op) = common::infer_operation(self.rules, LANG, &names, base, out, &built, llm_shaped)?;
        self.emit(out, node, emit::inferred_call(self.rules, def, op));
        Some(def.vendor.clone())
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

/// The elements of an array literal or array pattern by place: `None` for a hole
/// (`[, b]`), comments left out.
fn elements(list: Node<'_>) -> Vec<Option<Node<'_>>> {
    let mut out = Vec::new();
    let mut current = None;
    let mut c = list.walk();
    for ch in list.children(&mut c) {
        match ch.kind() {
            "[" | "]" | "comment" => {}
            "," => out.push(current.take()),
            _ if ch.is_named() => current = Some(ch),
            _ => {}
        }
    }
    if current.is_some() {
        out.push(current);
    }
    out
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
fn is_passed_on<'t>(node: Node<'t>, parent: Option<Node<'t>>) -> bool {
    let Some(parent) = parent else { return false };
    match parent.kind() {
        "arguments" | "return_statement" => true,
        "pair" => parent.field("value") == Some(node),
        _ => false,
    }
}

/// The field `n` reads when it is `this.field` (a plain name, no optional chaining).
fn this_field<'t>(n: Node<'t>, src: &'t str) -> Option<&'t str> {
    if n.kind() != "member_expression" || n.field("object")?.kind() != "this" {
        return None;
    }
    let prop = n.field("property")?;
    let text = &src[n.byte_range()];
    (text == format!("this.{}", &src[prop.byte_range()])).then(|| &src[prop.byte_range()])
}

/// The SDK module an entry-point subpath of it stands for: `openai/index`,
/// `openai/index.mjs`, `@anthropic-ai/sdk/client`, `openai/resources` export what the
/// package root exports, so `new OpenAI()` imported from them is the SDK's client; a built
/// file of an entry (`ollama/dist/browser.cjs`) is that entry (`ollama/browser`). Other
/// subpaths (`openai/realtime/ws`) are modules of their own and stay as written.
fn sdk_entry(rules: &RuleSet, spec: &str) -> Option<String> {
    const ENTRIES: &[&str] =
        &["index", "src/index", "dist/index", "lib/index", "client", "core", "resources", "resources/index"];
    // Where a package keeps the built files of its entries (`ollama/dist/browser.cjs` is the
    // `ollama/browser` entry).
    const BUILT: &[&str] = &["dist/", "lib/", "esm/", "cjs/", "build/", "dist/esm/", "dist/cjs/"];
    let modules = || rules.sdks.iter().filter(|s| s.ecosystem == LANG).flat_map(|s| s.modules.iter());
    let entry = modules()
        .filter_map(|m| {
            let rest = spec.strip_prefix(m.as_str())?.strip_prefix('/')?;
            ENTRIES.contains(&strip_ext(rest)).then(|| &spec[..m.len()])
        })
        .max_by_key(|m| m.len());
    if let Some(e) = entry {
        return Some(e.to_string());
    }
    let (package, rest) = match spec.strip_prefix('@') {
        Some(scoped) => {
            let (scope, rest) = scoped.split_once('/')?;
            let (name, rest) = rest.split_once('/')?;
            (&spec[..scope.len() + name.len() + 2], rest)
        }
        None => spec.split_once('/')?,
    };
    let rest = strip_ext(rest);
    let built = BUILT.iter().filter_map(|b| rest.strip_prefix(b)).map(|e| format!("{package}/{e}"));
    if let Some(b) = built.into_iter().find(|m| modules().any(|x| x == m)) {
        return Some(b);
    }
    // An ES module subpath of an SDK spelt with its file's extension (`@mistralai/mistralai/
    // funcs/fimComplete.js`, as ESM imports must be) is that subpath.
    let subpath = format!("{package}/{rest}");
    let under_sdk = || modules().any(|m| subpath.strip_prefix(m.as_str()).is_some_and(|r| r.starts_with('/')));
    (subpath.len() < spec.len() && under_sdk()).then_some(subpath)
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
