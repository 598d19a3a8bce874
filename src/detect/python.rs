//! Python detection with tree-sitter-python. Two passes over one tree: `collect` records
//! bindings per scope (imports, assignments, `self.x` attributes, parameters with type
//! annotations, functions and their returns, classes), then `visit` resolves every call,
//! import, environment read and string literal to canonical paths and matches them
//! (matcher.rs). Tree-sitter queries cannot express scopes, so this walks the tree; the
//! walk is one `match` on node kinds. Produces findings, this module's exports (for
//! clients imported by other modules) and calls that need those exports.

use super::budget::{self, Budget, Memo};
use super::emit::{self, Emit};
use super::matcher::{self, ModuleAttrs, Served};
use super::path::{ArgValue, CallArgs, Path};
use super::tables::{self, Matched, Resolved, Tables};
use super::{common, http, FileOutput, LineIndex, LocalModules, PendingCall, Span};
use crate::ecosystem::Ecosystem;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use tree_sitter::{Node, Parser, Tree};

const LANG: Ecosystem = Ecosystem::Python;

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_python::LANGUAGE.into()).expect("tree-sitter-python matches the tree-sitter ABI");
        p
    });
}

/// Parses Python source; `None` only if tree-sitter gives up (timeout, cancellation).
pub fn parse(src: &str) -> Option<Tree> {
    PARSER.with(|p| p.borrow_mut().parse(src, None))
}

/// Detects everything in one Python source. `module` is the file's dotted module name.
pub fn detect(src: &str, rules: &RuleSet, module: &str, is_package: bool, locals: &LocalModules, out: &mut FileOutput) {
    if let Some(why) = budget::too_large(src) {
        out.add_error(why);
        common::scan_text(src, rules, &LineIndex::new(src), &PYTHON_TEXT, out);
        return;
    }
    // Lines nested deeper than the grammar's scanner can hold are kept from the parser.
    let cut = split_deep_indent(src);
    let src = cut.as_ref().map_or(src, |(shallow, _)| shallow.as_str());
    if let Some((_, deep)) = &cut {
        out.add_error(format!(
            "indentation nested over {MAX_INDENT_LEVELS} levels deep: those lines were scanned for string literals and environment reads only"
        ));
        common::scan_text(deep, rules, &LineIndex::new(deep), &PYTHON_TEXT, out);
    }
    let Some(tree) = parse(src) else {
        out.add_error("tree-sitter could not parse the file".into());
        return;
    };
    let root = tree.root_node();
    if root.has_error() {
        out.syntax_errors = true;
    }
    let mut a = Analyzer {
        src,
        rules,
        lines: LineIndex::new(src),
        module,
        is_package,
        locals,
        scopes: HashMap::new(),
        classes: HashMap::new(),
        funcs: HashMap::new(),
        class_ids: HashSet::new(),
        attr_assigns: Vec::new(),
        module_attrs: ModuleAttrs::new(),
        root_id: root.id(),
        clients: Vec::new(),
        results: Memo::default(),
        bindings: Memo::default(),
        tables: Tables::default(),
        budget: Budget::default(),
        base_url_keys: rules
            .clients
            .iter()
            .filter(|c| c.ecosystem == LANG)
            .flat_map(|c| c.base_url.iter().map(String::as_str))
            .collect(),
        client_args: std::cell::Cell::new(0),
        rel: out.rel.clone(),
        shadowed: RefCell::new(HashMap::new()),
    };
    let ctx = Ctx { chain: Rc::from(vec![root.id()]), class: None, self_name: None };
    if let Some(why) = budget::tree_too_deep(root) {
        out.add_error(format!("{why}; {}", budget::LITERALS_ONLY));
        a.literals_only(root, &ctx, out);
    } else {
        a.collect(root, &ctx);
        budget::sort_bindings(a.scopes.values_mut().flat_map(|s| s.values_mut()));
        budget::sort_bindings(a.classes.values_mut().flat_map(|c| c.attrs.values_mut()));
        a.collect_module_attrs();
        a.visit(root, &ctx, None, out);
        a.reassign_imports(out);
        a.exports(out);
    }
    a.budget.finish(out);
}

/// Distinct indentation levels, nested, past which a line is not given to the parser:
/// tree-sitter-python's scanner keeps its indent stack in a 1 KiB state buffer and aborts
/// the process (a C assertion) when it overflows, from about 500 levels.
pub const MAX_INDENT_LEVELS: usize = 256;

/// How lines kept from the parser are read (`common::scan_text`).
const PYTHON_TEXT: common::TextSyntax =
    common::TextSyntax { comment: "#", quotes: b"\"'", env_calls: &["getenv(", "environ[", "environ.get("] };

/// When some lines are nested more than [`MAX_INDENT_LEVELS`] deep: the source with those
/// lines blanked, and the source with every other line blanked (same byte offsets, same
/// lines). A cheap line scan that counts every more-indented line as a level, which
/// over-counts (continuation lines, comments, strings) on the safe side.
fn split_deep_indent(src: &str) -> Option<(String, String)> {
    let mut stack: Vec<usize> = vec![0];
    let mut deep_lines: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_start_matches([' ', '\t', '\x0c']);
        if body.trim().is_empty() {
            continue;
        }
        // Widths as the grammar's scanner counts them (a tab is 8, a form feed restarts).
        let width = line[..line.len() - body.len()].bytes().fold(0usize, |w, b| match b {
            b'\t' => w + 8,
            b'\x0c' => 0,
            _ => w + 1,
        });
        while stack.len() > 1 && *stack.last().unwrap_or(&0) > width {
            stack.pop();
        }
        if *stack.last().unwrap_or(&0) < width {
            stack.push(width);
        }
        if stack.len() - 1 > MAX_INDENT_LEVELS {
            deep_lines.push((start, offset));
        }
    }
    if deep_lines.is_empty() {
        return None;
    }
    let blank = |bytes: &mut [u8]| bytes.iter_mut().filter(|b| **b != b'\n').for_each(|b| *b = b' ');
    let mut shallow = src.as_bytes().to_vec();
    let mut deep = vec![b' '; src.len()];
    let mut prev = 0;
    for &(a, b) in &deep_lines {
        deep[a..b].copy_from_slice(&src.as_bytes()[a..b]);
        blank(&mut shallow[a..b]);
        // Keep the line breaks of the other lines in `deep`.
        deep[prev..a].iter_mut().zip(&src.as_bytes()[prev..a]).for_each(|(d, s)| {
            if *s == b'\n' {
                *d = b'\n';
            }
        });
        prev = b;
    }
    deep[prev..].iter_mut().zip(&src.as_bytes()[prev..]).for_each(|(d, s)| {
        if *s == b'\n' {
            *d = b'\n';
        }
    });
    // Whole lines are replaced, so both stay UTF-8.
    Some((String::from_utf8(shallow).ok()?, String::from_utf8(deep).ok()?))
}

/// Where an expression is evaluated: the scope chain (outermost first), and the class
/// whose `self` is in scope.
#[derive(Clone)]
struct Ctx {
    chain: Rc<[usize]>,
    class: Option<usize>,
    self_name: Option<Rc<str>>,
}

#[derive(Clone)]
enum Bind<'t> {
    Import(Path),
    Expr(Node<'t>, Ctx),
    Annot(Node<'t>, Ctx),
    Func(Node<'t>),
    Class(usize),
    /// A test parameter named after a pytest fixture: the fixture's value.
    Fixture(String),
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
    class: Option<usize>,
}

#[derive(Clone)]
enum Val<'t> {
    Path(Path),
    Func(Node<'t>),
    Class(usize),
    Instance(usize),
}

struct Analyzer<'t, 'a> {
    src: &'t str,
    rules: &'a RuleSet,
    lines: LineIndex,
    module: &'a str,
    is_package: bool,
    locals: &'a LocalModules,
    scopes: HashMap<usize, HashMap<String, Vec<Binding<'t>>>>,
    classes: HashMap<usize, ClassInfo<'t>>,
    funcs: HashMap<usize, FuncInfo<'t>>,
    class_ids: HashSet<usize>,
    attr_assigns: Vec<(Node<'t>, Node<'t>, Ctx)>,
    module_attrs: ModuleAttrs,
    root_id: usize,
    /// (client definition vendor, served) of every construction found, for `reassign_imports`.
    clients: Vec<(String, Served)>,
    /// Memoised `function_result` per function node.
    results: Memo<usize, Val<'t>>,
    /// Memoised values of bindings, by (value node, 0) or (annotation node, 1).
    bindings: Memo<(usize, u8), Val<'t>>,
    /// The file's resolution budget: every path into `resolve` draws from it.
    budget: Budget,
    /// Keyword arguments that carry a client's base URL (`base_url` of the rules).
    base_url_keys: HashSet<&'a str>,
    /// Nesting of `client_arg` resolutions (a name bound to a call that passes itself).
    client_args: std::cell::Cell<u32>,
    /// This file's path in the tree.
    rel: String,
    /// Top-level module names a module of the tree shadows here (see `LocalModules::shadows`).
    shadowed: RefCell<HashMap<String, bool>>,
    /// Dicts indexed by a run-time key (`CLIENTS[name]`): see [`super::tables`].
    tables: Tables,
}

impl<'t> Analyzer<'t, '_> {
    fn text(&self, n: Node<'t>) -> &'t str {
        &self.src[n.byte_range()]
    }

    /// Whether `path` starts at a module of the tree that hides an installed package of the
    /// same name (`from agents import Agent` with a local `agents/`): no SDK rule applies.
    fn is_shadowed(&self, path: &Path) -> bool {
        let Some(top) = path.0.first().map(|s| s.name.as_str()) else { return false };
        if let Some(&hit) = self.shadowed.borrow().get(top) {
            return hit;
        }
        let hit = self.locals.shadows(&self.rel, top);
        self.shadowed.borrow_mut().insert(top.to_string(), hit);
        hit
    }

    // ---------------------------------------------------------------- pass 1: bindings

    fn bind(&mut self, ctx: &Ctx, name: &str, b: Binding<'t>) {
        let scope = *ctx.chain.last().expect("chain has the module");
        self.scopes.entry(scope).or_default().entry(name.to_string()).or_default().push(b);
    }

    fn bind_target(&mut self, target: Node<'t>, ctx: &Ctx, pos: usize, bind: Bind<'t>) {
        match target.kind() {
            "identifier" => {
                let name = self.text(target).to_string();
                self.bind(ctx, &name, Binding { pos, bind });
            }
            "attribute" => {
                let (Some(obj), Some(attr)) =
                    (target.child_by_field_name("object"), target.child_by_field_name("attribute"))
                else {
                    return;
                };
                let is_self = obj.kind() == "identifier" && ctx.self_name.as_deref() == Some(self.text(obj));
                if let (true, Some(class)) = (is_self, ctx.class) {
                    let attr = self.text(attr).to_string();
                    self.classes.entry(class).or_default().attrs.entry(attr).or_default().push(Binding { pos, bind });
                } else if let Bind::Expr(value, _) = bind {
                    // `openai.api_base = "..."`: resolved after pass 1, once imports are known.
                    self.attr_assigns.push((target, value, ctx.clone()));
                }
            }
            _ => {}
        }
    }

    fn collect(&mut self, node: Node<'t>, ctx: &Ctx) {
        match node.kind() {
            "import_statement" | "import_from_statement" => {
                for (local, path) in self.import_bindings(node) {
                    self.bind(ctx, &local, Binding { pos: node.start_byte(), bind: Bind::Import(path) });
                }
                return;
            }
            "assignment" => {
                self.collect_assignment(node, ctx);
            }
            "named_expression" => {
                if let (Some(name), Some(value)) = (node.child_by_field_name("name"), node.child_by_field_name("value"))
                {
                    self.bind_target(name, ctx, node.start_byte(), Bind::Expr(value, ctx.clone()));
                }
            }
            "with_item" => {
                if let Some(value) = node.child_by_field_name("value") {
                    if value.kind() == "as_pattern" {
                        let expr = value.named_child(0);
                        let target = value.child_by_field_name("alias").and_then(|t| t.named_child(0));
                        if let (Some(expr), Some(target)) = (expr, target) {
                            self.bind_target(target, ctx, node.start_byte(), Bind::Expr(expr, ctx.clone()));
                        }
                    }
                }
            }
            "return_statement" | "yield" => {
                if let (Some(value), Some(&fid)) = (node.named_child(0), ctx.chain.last()) {
                    if let Some(f) = self.funcs.get_mut(&fid) {
                        f.returns.push((value, ctx.clone()));
                    }
                }
            }
            "function_definition" => {
                self.collect_function(node, ctx);
                return;
            }
            "class_definition" => {
                self.collect_class(node, ctx);
                return;
            }
            "lambda" => return,
            _ => {}
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.collect(child, ctx);
        }
    }

    fn collect_assignment(&mut self, node: Node<'t>, ctx: &Ctx) {
        // `a = b = value` nests assignments in `right`; every left binds to the last right.
        let mut lefts = Vec::new();
        let mut cur = node;
        let mut annotation = None;
        loop {
            if let Some(l) = cur.child_by_field_name("left") {
                lefts.push(l);
            }
            if annotation.is_none() {
                annotation = cur.child_by_field_name("type");
            }
            match cur.child_by_field_name("right") {
                Some(r) if r.kind() == "assignment" => cur = r,
                other => {
                    let pos = node.start_byte();
                    for l in lefts {
                        if let Some(r) = other {
                            self.bind_target(l, ctx, pos, Bind::Expr(r, ctx.clone()));
                        }
                        if let Some(t) = annotation {
                            self.bind_target(l, ctx, pos, Bind::Annot(t, ctx.clone()));
                        }
                    }
                    return;
                }
            }
        }
    }

    fn collect_function(&mut self, node: Node<'t>, ctx: &Ctx) {
        let id = node.id();
        if let Some(name) = node.child_by_field_name("name") {
            let name = self.text(name).to_string();
            if let Some(class) = ctx.class.filter(|c| ctx.chain.last() == Some(c)) {
                self.classes.entry(class).or_default().methods.insert(name, node);
            } else {
                self.bind(ctx, &name, Binding { pos: node.start_byte(), bind: Bind::Func(node) });
            }
        }
        // A method's body sees the module and enclosing functions, not the class body.
        let in_class_body = ctx.class.is_some() && ctx.chain.last() == ctx.class.as_ref();
        let mut chain: Vec<usize> = ctx.chain.iter().copied().filter(|s| !self.class_ids.contains(s)).collect();
        chain.push(id);
        let params = node.child_by_field_name("parameters");
        let self_name = self.self_param(node, ctx, in_class_body);
        let inner = Ctx { chain: Rc::from(chain), class: ctx.class, self_name };
        self.funcs.insert(
            id,
            FuncInfo {
                returns: Vec::new(),
                annotation: node.child_by_field_name("return_type").map(|t| (t, ctx.clone())),
                class: ctx.class,
            },
        );
        if let Some(params) = params {
            let mut cursor = params.walk();
            for p in params.named_children(&mut cursor) {
                let name =
                    p.child_by_field_name("name").or_else(|| p.named_child(0)).filter(|n| n.kind() == "identifier");
                let Some(name) = name else { continue };
                if let Some(t) = p.child_by_field_name("type") {
                    self.bind_target(name, &inner, p.start_byte(), Bind::Annot(t, ctx.clone()));
                }
                if let Some(v) = p.child_by_field_name("value") {
                    self.bind_target(name, &inner, p.start_byte(), Bind::Expr(v, ctx.clone()));
                }
            }
            // pytest injects fixtures by parameter name.
            if self.is_test_file() {
                let mut cursor = params.walk();
                for p in params.named_children(&mut cursor).filter(|p| p.kind() == "identifier") {
                    let name = self.text(p).to_string();
                    if !matches!(name.as_str(), "self" | "cls") {
                        self.bind(&inner, &name, Binding { pos: p.start_byte(), bind: Bind::Fixture(name.clone()) });
                    }
                }
            }
        }
        if let Some(body) = node.child_by_field_name("body") {
            self.collect(body, &inner);
        }
    }

    fn is_test_file(&self) -> bool {
        let last = self.module.rsplit('.').next().unwrap_or("");
        last.starts_with("test_")
            || last.ends_with("_test")
            || last == "conftest"
            || self.module.split('.').any(|p| p == "tests")
    }

    /// The name `self` goes by in a function: the first parameter of a method that is not
    /// a `@staticmethod`; inside nested functions, the enclosing method's.
    fn self_param(&self, def: Node<'t>, ctx: &Ctx, in_class_body: bool) -> Option<Rc<str>> {
        if !in_class_body {
            return ctx.self_name.clone();
        }
        if self.has_decorator(def, "staticmethod") {
            return None;
        }
        let p = def.child_by_field_name("parameters")?.named_child(0)?;
        let p = match p.kind() {
            "identifier" => p,
            "typed_parameter" | "default_parameter" | "typed_default_parameter" => {
                p.child_by_field_name("name").or_else(|| p.named_child(0))?
            }
            _ => return None,
        };
        (p.kind() == "identifier").then(|| Rc::from(self.text(p)))
    }

    fn has_decorator(&self, def: Node<'t>, name: &str) -> bool {
        def.parent().filter(|p| p.kind() == "decorated_definition").is_some_and(|p| {
            let mut cursor = p.walk();
            let found = p.named_children(&mut cursor).any(|d| d.kind() == "decorator" && self.text(d).contains(name));
            found
        })
    }

    fn collect_class(&mut self, node: Node<'t>, ctx: &Ctx) {
        let id = node.id();
        self.class_ids.insert(id);
        if let Some(name) = node.child_by_field_name("name") {
            let name = self.text(name).to_string();
            self.bind(ctx, &name, Binding { pos: node.start_byte(), bind: Bind::Class(id) });
        }
        let info = self.classes.entry(id).or_default();
        if let Some(bases) = node.child_by_field_name("superclasses") {
            let mut cursor = bases.walk();
            for b in bases.named_children(&mut cursor) {
                info.bases.push((b, ctx.clone()));
            }
        }
        let mut chain: Vec<usize> = ctx.chain.to_vec();
        chain.push(id);
        let inner = Ctx { chain: Rc::from(chain), class: Some(id), self_name: None };
        if let Some(body) = node.child_by_field_name("body") {
            self.collect(body, &inner);
            // Class-body assignments are class attributes, visible through `self`.
            if let Some(scope) = self.scopes.remove(&id) {
                let info = self.classes.entry(id).or_default();
                for (name, binds) in scope {
                    info.attrs.entry(name).or_default().extend(binds);
                }
            }
        }
    }

    /// `(local name, canonical path)` for each name an import statement binds.
    fn import_bindings(&self, node: Node<'t>) -> Vec<(String, Path)> {
        let mut out = Vec::new();
        let mut cursor = node.walk();
        if node.kind() == "import_statement" {
            for item in node.children_by_field_name("name", &mut cursor) {
                match item.kind() {
                    "dotted_name" => {
                        // `import google.generativeai` binds `google`.
                        let full = self.text(item);
                        let first = full.split('.').next().unwrap_or(full).trim();
                        out.push((first.to_string(), Path::from_dotted(first)));
                    }
                    "aliased_import" => {
                        if let (Some(n), Some(a)) =
                            (item.child_by_field_name("name"), item.child_by_field_name("alias"))
                        {
                            out.push((self.text(a).to_string(), Path::from_dotted(&dotted(self.text(n)))));
                        }
                    }
                    _ => {}
                }
            }
            return out;
        }
        let Some(module) = self.import_source(node) else {
            return out;
        };
        for item in node.children_by_field_name("name", &mut cursor) {
            let (name, alias) = match item.kind() {
                "dotted_name" => (self.text(item), self.text(item)),
                "aliased_import" => match (item.child_by_field_name("name"), item.child_by_field_name("alias")) {
                    (Some(n), Some(a)) => (self.text(n), self.text(a)),
                    _ => continue,
                },
                _ => continue,
            };
            let full = if module.is_empty() { dotted(name) } else { format!("{module}.{}", dotted(name)) };
            out.push((alias.trim().to_string(), Path::from_dotted(&full)));
        }
        out
    }

    /// The absolute module of `from X import ...`, resolving relative imports.
    fn import_source(&self, node: Node<'t>) -> Option<String> {
        let m = node.child_by_field_name("module_name")?;
        if m.kind() != "relative_import" {
            return Some(dotted(self.text(m)));
        }
        let text = self.text(m);
        let dots = text.chars().take_while(|&c| c == '.').count();
        let rest = dotted(&text[dots..]);
        let mut parts: Vec<&str> = self.module.split('.').filter(|s| !s.is_empty()).collect();
        // `.` is the current package: the module itself for `__init__.py`, else its parent.
        let drop = if self.is_package { dots - 1 } else { dots };
        for _ in 0..drop {
            parts.pop();
        }
        let mut base = parts.join(".");
        if !rest.is_empty() {
            if !base.is_empty() {
                base.push('.');
            }
            base.push_str(&rest);
        }
        Some(base)
    }

    fn collect_module_attrs(&mut self) {
        let assigns = std::mem::take(&mut self.attr_assigns);
        for (target, value, ctx) in assigns {
            let (Some(obj), Some(attr)) =
                (target.child_by_field_name("object"), target.child_by_field_name("attribute"))
            else {
                continue;
            };
            if let Some(Val::Path(p)) = self.resolve(obj, &ctx, 0) {
                if !p.has_call_before(p.0.len()) {
                    let v = self.arg_value(value, &ctx, 0, false);
                    let attr = self.text(attr).to_string();
                    self.module_attrs.entry(p.dotted(p.0.len())).or_default().push((attr, v));
                }
            }
        }
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
            Bind::Expr(n, ctx) => {
                let mark = self.tables.mark();
                let v = self.bindings.get_or((n.id(), 0), || self.resolve(*n, ctx, depth + 1));
                self.tables.remember((n.id(), 0), mark);
                v
            }
            Bind::Annot(t, ctx) => self.bindings.get_or((t.id(), 1), || self.resolve_annotation(*t, ctx, depth + 1)),
            Bind::Func(f) => Some(Val::Func(*f)),
            Bind::Class(c) => Some(Val::Class(*c)),
            Bind::Fixture(name) => self.fixture(name, depth),
        }
    }

    /// A fixture defined in this file, else one a `conftest.py` of the tree exports.
    fn fixture(&self, name: &str, depth: u32) -> Option<Val<'t>> {
        let local = self.scopes.get(&self.root_id).and_then(|s| s.get(name)).and_then(|binds| {
            binds.iter().find_map(|b| match b.bind {
                Bind::Func(def) if self.has_decorator(def, "fixture") => Some(def),
                _ => None,
            })
        });
        match local {
            Some(def) => self.function_result(def, depth + 1),
            None => Path::from_dotted("conftest").member(name).called(CallArgs::default()).map(Val::Path),
        }
    }

    fn first_resolved(&self, binds: Vec<&Binding<'t>>, depth: u32) -> Option<Val<'t>> {
        binds.into_iter().find_map(|b| self.resolve_binding(b, depth))
    }

    /// A type annotation as the instance it describes: `OpenAI`, `Optional[OpenAI]`,
    /// `OpenAI | None`, `"OpenAI"`.
    fn resolve_annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.budget.step(depth) {
            return None;
        }
        match t.kind() {
            "type" | "parenthesized_expression" => self.resolve_annotation(t.named_child(0)?, ctx, depth + 1),
            "identifier" | "attribute" => match self.resolve(t, ctx, depth + 1)? {
                Val::Path(p) => p.called(CallArgs::default()).map(Val::Path),
                Val::Class(c) => Some(Val::Instance(c)),
                _ => None,
            },
            "generic_type" | "subscript" => {
                // Only wrappers are unwrapped: `Optional[OpenAI]` is an OpenAI client,
                // `list[OpenAI]` or `Provider[AsyncOpenAI]` is not.
                let mut cursor = t.walk();
                let children: Vec<Node<'t>> = t.named_children(&mut cursor).collect();
                let base = *children.first()?;
                let base_name = self.text(base).rsplit('.').next().unwrap_or("");
                if matches!(
                    base_name,
                    "Optional" | "Union" | "Annotated" | "Required" | "NotRequired" | "Final" | "ClassVar"
                ) {
                    children[1..].iter().find_map(|c| self.resolve_annotation(*c, ctx, depth + 1))
                } else {
                    self.resolve_annotation(base, ctx, depth + 1)
                }
            }
            "binary_operator" | "type_parameter" | "union_type" => {
                let mut cursor = t.walk();
                let children: Vec<Node<'t>> = t.named_children(&mut cursor).collect();
                children.into_iter().find_map(|c| {
                    if matches!(self.text(c), "None" | "Optional") {
                        return None;
                    }
                    self.resolve_annotation(c, ctx, depth + 1)
                })
            }
            // `client: "AsyncAnthropic"` or `"OpenAI | None"` (imports under TYPE_CHECKING).
            "string" => {
                let text = plain_string(t, self.src)?;
                text.split('|').map(str::trim).filter(|p| *p != "None" && !p.is_empty()).find_map(|part| {
                    let part = part.trim_start_matches("Optional[").trim_end_matches(']');
                    let mut segs = part.split('.');
                    let first = segs.next()?;
                    let mut v = self.first_resolved(self.lookup(first, ctx, t.start_byte()), depth + 1)?;
                    for seg in segs {
                        v = match v {
                            Val::Path(p) => Val::Path(p.member(seg)),
                            _ => return None,
                        };
                    }
                    match v {
                        Val::Path(p) => p.called(CallArgs::default()).map(Val::Path),
                        Val::Class(c) => Some(Val::Instance(c)),
                        _ => None,
                    }
                })
            }
            _ => None,
        }
    }

    fn resolve(&self, node: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        // One budget per file keeps pathological code linear; past it, names stay unresolved.
        if !self.budget.step(depth) {
            return None;
        }
        match node.kind() {
            "identifier" => {
                let name = self.text(node);
                if let (Some(s), Some(c)) = (&ctx.self_name, ctx.class) {
                    if &**s == name {
                        return Some(Val::Instance(c));
                    }
                }
                self.first_resolved(self.lookup(name, ctx, node.start_byte()), depth)
            }
            "attribute" => {
                let obj = node.child_by_field_name("object")?;
                let attr = self.text(node.child_by_field_name("attribute")?);
                match self.resolve(obj, ctx, depth + 1)? {
                    Val::Path(p) => Some(Val::Path(p.member(attr))),
                    Val::Instance(c) | Val::Class(c) => self.class_member(c, attr, depth, 0),
                    Val::Func(_) => None,
                }
            }
            "call" => {
                let f = node.child_by_field_name("function")?;
                match self.resolve(f, ctx, depth + 1)? {
                    Val::Path(p) if self.rules.is_passthrough(&p.dotted(p.0.len())) => {
                        // `instructor.from_openai(OpenAI())` is the client it wraps, seen through
                        // the wrapper's own operations when it declares some.
                        let first = node.child_by_field_name("arguments")?.named_child(0)?;
                        let first = if first.kind() == "keyword_argument" {
                            first.child_by_field_name("value")?
                        } else {
                            first
                        };
                        let inner = self.resolve(first, ctx, depth + 1)?;
                        match (inner, self.rules.passthrough_marker(&p.dotted(p.0.len()))) {
                            (Val::Path(w), Some(marker)) => Some(Val::Path(w.member(&marker))),
                            (v, _) => Some(v),
                        }
                    }
                    Val::Path(p) => {
                        let args = node
                            .child_by_field_name("arguments")
                            .map(|a| self.call_args(a, ctx, depth + 1, is_vendor_path(self.rules, &p)))
                            .unwrap_or_default();
                        p.called(args).map(Val::Path)
                    }
                    Val::Func(def) => self.function_result(def, depth),
                    Val::Class(c) => Some(Val::Instance(c)),
                    Val::Instance(_) => None,
                }
            }
            "await" | "parenthesized_expression" => self.resolve(node.named_child(0)?, ctx, depth + 1),
            "subscript" => {
                // A dict of clients or factories: `CLIENTS["openai"]`, `FACTORIES[provider]`.
                if let Some(v) = self.table_entry(node, ctx, depth) {
                    return v;
                }
                // A generic class with its type arguments (`Agent[Context](...)`) is the class.
                let index = node.child_by_field_name("subscript")?;
                if !matches!(index.kind(), "identifier" | "attribute" | "subscript" | "none") {
                    return None;
                }
                self.resolve(node.child_by_field_name("value")?, ctx, depth + 1)
            }
            // `prompt | llm | parser` is a runnable of the model in it.
            "binary_operator" if node.child_by_field_name("operator").is_some_and(|o| self.text(o) == "|") => {
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                children.into_iter().find_map(|c| match self.resolve(c, ctx, depth + 1) {
                    Some(Val::Path(p)) if is_vendor_path(self.rules, &p) => Some(Val::Path(p)),
                    _ => None,
                })
            }
            "boolean_operator" => {
                let l = node.child_by_field_name("left");
                let r = node.child_by_field_name("right");
                [r, l].into_iter().flatten().find_map(|n| self.resolve(n, ctx, depth + 1))
            }
            "conditional_expression" => {
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                let picked = [children.first().copied(), children.get(2).copied()];
                picked.into_iter().flatten().find_map(|n| self.resolve(n, ctx, depth + 1))
            }
            _ => None,
        }
    }

    /// What calling a local function gives, computed once per function: recursion and
    /// functions with many returns would otherwise make resolution exponential.
    fn function_result(&self, def: Node<'t>, depth: u32) -> Option<Val<'t>> {
        let mark = self.tables.mark();
        let v = self.results.get_or(def.id(), || self.function_result_uncached(def, depth));
        self.tables.remember((def.id(), u8::MAX), mark);
        v
    }

    /// `table[key]` on a dict literal (or a name bound to one): the entry of a literal key,
    /// or of the key assumed for this subscript; with a key known only at run time, the
    /// table is noted (the call is then resolved once per key) and the value is unknown.
    fn table_entry(&self, node: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Option<Val<'t>>> {
        let value = node.child_by_field_name("value")?;
        let index = node.child_by_field_name("subscript")?;
        let (table, tctx) = match value.kind() {
            "dictionary" => (value, ctx.clone()),
            "identifier" => {
                self.lookup(self.text(value), ctx, value.start_byte()).into_iter().find_map(|b| match &b.bind {
                    Bind::Expr(n, c) if n.kind() == "dictionary" => Some((*n, c.clone())),
                    _ => None,
                })?
            }
            _ => return None,
        };
        let entries: Vec<(String, Node<'t>)> = {
            let mut cursor = table.walk();
            let pairs: Vec<Node<'t>> = table.named_children(&mut cursor).filter(|p| p.kind() == "pair").collect();
            pairs
                .into_iter()
                .filter_map(|p| {
                    Some((plain_string(p.child_by_field_name("key")?, self.src)?, p.child_by_field_name("value")?))
                })
                .collect()
        };
        let key = match plain_string(index, self.src).or_else(|| self.tables.assumed(node.id())) {
            Some(k) => k,
            None => {
                self.tables.note(node.id(), entries.into_iter().map(|(k, _)| k).collect());
                return Some(None);
            }
        };
        let v = entries.into_iter().find(|(k, _)| *k == key).and_then(|(_, v)| self.resolve(v, &tctx, depth + 1));
        Some(v)
    }

    fn function_result_uncached(&self, def: Node<'t>, depth: u32) -> Option<Val<'t>> {
        let info = self.funcs.get(&def.id())?;
        // Of several returns, the first that reaches a vendor wins (`if proxy: return wrap(x)`
        // then `return OpenAI()`), else the first that resolves at all.
        let mut first = None;
        for (n, c) in &info.returns {
            match self.resolve(*n, c, depth + 1) {
                Some(Val::Path(p)) if is_vendor_path(self.rules, &p) => return Some(Val::Path(p)),
                Some(Val::Func(_)) | None => {}
                Some(v) => {
                    if first.is_none() {
                        first = Some(v);
                    }
                }
            }
        }
        let body = first;
        let annotation = || info.annotation.as_ref().and_then(|(t, c)| self.resolve_annotation(*t, c, depth + 1));
        match body {
            // `-> AsyncOpenAI` says more than a body path that reaches no vendor.
            Some(Val::Path(p)) if !is_vendor_path(self.rules, &p) => annotation().or(Some(Val::Path(p))),
            None => annotation(),
            v => v,
        }
    }

    fn class_member(&self, class: usize, attr: &str, depth: u32, inherit: u32) -> Option<Val<'t>> {
        let info = self.classes.get(&class)?;
        if let Some(binds) = info.attrs.get(attr) {
            if let Some(v) = self.first_resolved(budget::candidates(binds, None).collect(), depth + 1) {
                return Some(v);
            }
        }
        if let Some(m) = info.methods.get(attr) {
            // A `@property` reads like an attribute: its value is what it returns.
            if self.is_property(*m) {
                return self.function_result(*m, depth + 1);
            }
            return Some(Val::Func(*m));
        }
        if inherit > 4 {
            return None;
        }
        info.bases.iter().find_map(|(b, c)| match self.resolve(*b, c, depth + 1) {
            Some(Val::Class(base)) => self.class_member(base, attr, depth + 1, inherit + 1),
            // `class Rag(Anthropic)`: `self.messages` is the client's.
            Some(Val::Path(p)) if is_vendor_path(self.rules, &p) => {
                p.called(CallArgs::default()).map(|i| Val::Path(i.member(attr)))
            }
            _ => None,
        })
    }

    fn is_property(&self, def: Node<'t>) -> bool {
        self.has_decorator(def, "property")
    }

    /// The arguments of a call; `objects`: also resolve client and model objects passed as
    /// arguments (only for calls into an SDK, where a rule may read them).
    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, objects: bool) -> CallArgs {
        let mut out = CallArgs::default();
        let mut cursor = args.walk();
        for a in args.named_children(&mut cursor) {
            match a.kind() {
                "keyword_argument" => {
                    if let (Some(n), Some(v)) = (a.child_by_field_name("name"), a.child_by_field_name("value")) {
                        let name = self.text(n);
                        let mut value = self.arg_value(v, ctx, depth, objects);
                        if value == ArgValue::Dynamic && self.base_url_keys.contains(name) {
                            value = self.client_arg(v, ctx, depth).unwrap_or(value);
                        }
                        out.keywords.push((name.to_string(), value));
                    }
                }
                "comment" | "list_splat" | "dictionary_splat" => {}
                _ => out.positional.push(self.arg_value(a, ctx, depth, objects)),
            }
        }
        out
    }

    fn arg_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32, objects: bool) -> ArgValue {
        if let Some(s) = self.string_value(v, ctx, 0) {
            return ArgValue::Str(s);
        }
        // `os.getenv("X") or "https://..."` and `os.getenv("X", "https://...")`: the
        // literal is the value wherever the environment does not override it.
        if v.kind() == "boolean_operator" {
            if let Some(s) = v.child_by_field_name("right").and_then(|r| self.string_value(r, ctx, 0)) {
                return ArgValue::Str(s);
            }
        }
        if v.kind() == "call" && self.env_read(v, ctx, depth).is_some() {
            let default = v.child_by_field_name("arguments").and_then(|a| a.named_child(1));
            if let Some(s) = default.and_then(|d| self.string_value(d, ctx, 0)) {
                return ArgValue::Str(s);
            }
        }
        if let Some((name, _)) = self.env_read(v, ctx, depth) {
            return ArgValue::Env(name);
        }
        if let Some(p) = self.pattern_value(v, ctx, depth) {
            return p;
        }
        // A client or model object passed on (`Runner.run(agent, ...)` with `agent = Agent(...)`).
        if objects && matches!(v.kind(), "identifier" | "attribute" | "call" | "await") {
            if let Some(Val::Path(p)) = self.resolve(v, ctx, depth + 1) {
                if is_vendor_path(self.rules, &p) {
                    return ArgValue::Path(p);
                }
            }
        }
        ArgValue::Dynamic
    }

    /// A string built from parts (an f-string, `a + b`, or a name bound to one): its known
    /// text with holes, for request URLs.
    fn pattern_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<ArgValue> {
        if depth > 6 || !self.budget.step(depth) {
            return None;
        }
        let part = |n: Option<Node<'t>>| n.map_or(ArgValue::Dynamic, |n| self.arg_value(n, ctx, depth + 1, false));
        let value = match v.kind() {
            "string" => {
                let mut parts = Vec::new();
                let mut cursor = v.walk();
                for c in v.named_children(&mut cursor) {
                    parts.push(match c.kind() {
                        "string_content" => ArgValue::Str(self.text(c).to_string()),
                        "interpolation" => part(c.child_by_field_name("expression").or_else(|| c.named_child(0))),
                        _ => continue,
                    });
                }
                ArgValue::concat(parts)
            }
            "binary_operator" if v.child_by_field_name("operator").is_some_and(|o| self.text(o) == "+") => {
                ArgValue::concat([part(v.child_by_field_name("left")), part(v.child_by_field_name("right"))])
            }
            "parenthesized_expression" => part(v.named_child(0)),
            "identifier" => {
                let binds = self.lookup(self.text(v), ctx, v.start_byte());
                let (n, c) = binds.into_iter().find_map(|b| match &b.bind {
                    Bind::Expr(n, c) if n.id() != v.id() => Some((*n, c.clone())),
                    _ => None,
                })?;
                matches!(n.kind(), "string" | "binary_operator")
                    .then(|| self.pattern_value(n, &c, depth + 1))
                    .flatten()?
            }
            _ => return None,
        };
        value.text().is_some().then_some(value)
    }

    /// A client construction passed where the rules expect a base URL: Semantic Kernel's
    /// `OpenAIChatCompletion(async_client=AsyncOpenAI(base_url=...))` is served by whoever
    /// serves that client (see `matcher::served_by_value`).
    fn client_arg(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<ArgValue> {
        if self.client_args.get() >= 2 {
            return None;
        }
        self.client_args.set(self.client_args.get() + 1);
        let resolved = self.resolve(v, ctx, depth + 1);
        self.client_args.set(self.client_args.get() - 1);
        match resolved {
            Some(Val::Path(p)) if matcher::construction(self.rules, LANG, &p).is_some() => Some(ArgValue::Path(p)),
            _ => None,
        }
    }

    /// The string an expression holds where the code says it: a plain literal; the literal
    /// fallback of `a or "..."`, `os.getenv("X", "...")` or `a if c else "..."` (the value
    /// wherever configuration does not override it); `a + b` when both sides are known; a
    /// name bound to one of these. At most a few names deep.
    fn string_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<String> {
        if depth > 4 || !self.budget.step(depth) {
            return None;
        }
        match v.kind() {
            "string" => plain_string(v, self.src),
            "parenthesized_expression" => self.string_value(v.named_child(0)?, ctx, depth + 1),
            // `os.getenv("X") or ""`: an empty fallback says nothing; the variable decides.
            "boolean_operator" if v.child_by_field_name("operator").is_some_and(|o| self.text(o) == "or") => {
                self.string_value(v.child_by_field_name("right")?, ctx, depth + 1).filter(|s| !s.is_empty())
            }
            "binary_operator" if v.child_by_field_name("operator").is_some_and(|o| self.text(o) == "+") => {
                let left = self.string_value(v.child_by_field_name("left")?, ctx, depth + 1)?;
                Some(left + &self.string_value(v.child_by_field_name("right")?, ctx, depth + 1)?)
            }
            "conditional_expression" => {
                let mut cursor = v.walk();
                let parts: Vec<Node<'t>> = v.named_children(&mut cursor).collect();
                let branch = |n: Option<&Node<'t>>| n.and_then(|n| self.string_value(*n, ctx, depth + 1));
                matcher::either_value(self.rules, branch(parts.first()), branch(parts.get(2)))
            }
            "call" if self.env_read(v, ctx, depth).is_some() => {
                let default = v.child_by_field_name("arguments")?.named_child(1)?;
                self.string_value(default, ctx, depth + 1).filter(|s| !s.is_empty())
            }
            "identifier" => self.lookup(self.text(v), ctx, v.start_byte()).into_iter().find_map(|b| match &b.bind {
                Bind::Expr(n, c) => self.string_value(*n, c, depth + 1),
                _ => None,
            }),
            _ => None,
        }
    }

    /// `os.getenv("X")`, `os.environ.get("X")`, `os.environ["X"]`: the variable and its literal.
    fn env_read(&self, node: Node<'t>, ctx: &Ctx, depth: u32) -> Option<(String, Node<'t>)> {
        let (target, key) = match node.kind() {
            "call" => {
                let f = node.child_by_field_name("function")?;
                let arg = node.child_by_field_name("arguments")?.named_child(0)?;
                (f, arg)
            }
            "subscript" => (node.child_by_field_name("value")?, node.child_by_field_name("subscript")?),
            _ => return None,
        };
        if key.kind() != "string" {
            return None;
        }
        let Some(Val::Path(p)) = self.resolve(target, ctx, depth + 1) else {
            return None;
        };
        let path = p.dotted(p.0.len());
        let ok = match node.kind() {
            "call" => matches!(path.as_str(), "os.getenv" | "os.environ.get" | "os.environ.setdefault" | "os.getenvb"),
            _ => path == "os.environ",
        };
        if !ok {
            return None;
        }
        Some((plain_string(key, self.src)?, key))
    }

    // ---------------------------------------------------------------- pass 2: findings

    /// A tree too deep for `collect` and `visit`: its imports, environment reads and string
    /// literals, found without recursion (`budget::preorder`); imports bind at the top.
    fn literals_only(&mut self, root: Node<'t>, ctx: &Ctx, out: &mut FileOutput) {
        let mut imports = Vec::new();
        budget::preorder(root, |n| match n.kind() {
            "import_statement" | "import_from_statement" => {
                imports.push(n);
                false
            }
            _ => true,
        });
        for node in imports {
            for (local, path) in self.import_bindings(node) {
                self.bind(ctx, &local, Binding { pos: 0, bind: Bind::Import(path) });
            }
            self.import_findings(node, out);
        }
        budget::preorder(root, |n| match n.kind() {
            "call" | "subscript" => {
                self.env_finding(n, ctx, out);
                true
            }
            "string" => {
                self.string_findings(n, None, out);
                false
            }
            _ => true,
        });
    }

    fn visit(&mut self, node: Node<'t>, ctx: &Ctx, served: Option<&str>, out: &mut FileOutput) {
        let mut served = served.map(str::to_string);
        let mut inner_ctx = None;
        match node.kind() {
            "import_statement" | "import_from_statement" => self.import_findings(node, out),
            "call" => {
                if let Some(s) = self.call_findings(node, ctx, out) {
                    served = Some(s);
                }
                self.env_finding(node, ctx, out);
            }
            "subscript" => self.env_finding(node, ctx, out),
            "attribute" if is_passed_on(node) => self.reference_finding(node, ctx, out),
            "string" => {
                self.string_findings(node, served.as_deref(), out);
                return;
            }
            "function_definition" | "class_definition" => {
                inner_ctx = Some(self.inner_ctx(node, ctx));
            }
            _ => {}
        }
        let ctx = inner_ctx.as_ref().unwrap_or(ctx);
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.visit(child, ctx, served.as_deref(), out);
        }
    }

    /// The context inside a function or class body, computed as `collect` did.
    fn inner_ctx(&self, node: Node<'t>, ctx: &Ctx) -> Ctx {
        if node.kind() == "class_definition" {
            let mut chain = ctx.chain.to_vec();
            chain.push(node.id());
            return Ctx { chain: Rc::from(chain), class: Some(node.id()), self_name: None };
        }
        let in_class_body = ctx.class.is_some() && ctx.chain.last() == ctx.class.as_ref();
        let mut chain: Vec<usize> = ctx.chain.iter().copied().filter(|s| !self.class_ids.contains(s)).collect();
        chain.push(node.id());
        let self_name = self.self_param(node, ctx, in_class_body);
        let class = self.funcs.get(&node.id()).and_then(|f| f.class).or(ctx.class);
        Ctx { chain: Rc::from(chain), class, self_name }
    }

    fn span(&self, node: Node<'t>) -> Span {
        self.lines.span(self.src, node.start_byte(), node.end_byte())
    }

    fn emit(&self, out: &mut FileOutput, node: Node<'t>, e: Emit) {
        let span = self.span(node);
        out.emit(self.rules, self.lines.line_text(self.src, span.line), span, e);
    }

    fn import_findings(&self, node: Node<'t>, out: &mut FileOutput) {
        let mut vendors: Vec<(String, String)> = Vec::new();
        let mut add = |vendor: &str, module: String| {
            if !vendors.iter().any(|(v, _)| v == vendor) {
                vendors.push((vendor.to_string(), module));
            }
        };
        let from = if node.kind() == "import_from_statement" { self.import_source(node) } else { None };
        for (_, path) in self.import_bindings(node) {
            if self.is_shadowed(&path) {
                continue;
            }
            let full = path.dotted(path.0.len());
            let full = if node.kind() == "import_statement" { full_import_name(self, node, &full) } else { full };
            let ctor = self
                .rules
                .clients_constructed_by(LANG, &full)
                .iter()
                .map(|&i| &self.rules.clients[i])
                // A framework's constructor (`dspy.LM`) is no vendor's SDK.
                .find(|d| d.first_arg.is_empty() && self.rules.vendor(&d.vendor).is_some());
            if let Some(def) = ctor {
                add(&def.vendor, from.clone().unwrap_or_else(|| full.clone()));
            } else if let Some((sdk, _)) = self.rules.sdk_for_module(LANG, &full) {
                add(&sdk.vendor, full.clone());
            } else if let Some((sdk, _)) = from.as_deref().and_then(|m| self.rules.sdk_for_module(LANG, m)) {
                add(&sdk.vendor, from.clone().unwrap_or_default());
            }
        }
        for (vendor, module) in vendors {
            self.emit(out, node, emit::import(self.rules, LANG, &vendor, &module));
        }
    }

    /// Client and call findings of one call node; returns who serves it when it matched,
    /// so that model literals among its arguments take that vendor.
    fn call_findings(&mut self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) -> Option<String> {
        let f = node.child_by_field_name("function")?;
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
    /// does not resolve (the caller may infer it from the file's imports). Only a call of a
    /// path is a construction or an operation; calling a local function that returns a
    /// client is neither (its `return` line is where the client is built).
    fn match_call(&self, node: Node<'t>, f: Node<'t>, ctx: &Ctx) -> Option<Matched> {
        let callee = match self.resolve(f, ctx, 0)? {
            Val::Path(callee) => callee,
            _ => return Some(Matched::Nothing),
        };
        if self.rules.is_passthrough(&callee.dotted(callee.0.len())) {
            return Some(Matched::Nothing);
        }
        let objects = is_vendor_path(self.rules, &callee);
        let args =
            node.child_by_field_name("arguments").map(|a| self.call_args(a, ctx, 0, objects)).unwrap_or_default();
        let Some(path) = callee.called(args) else { return Some(Matched::Nothing) };
        if self.is_shadowed(&path) {
            return Some(if self.locals.is_local_path(&path) { Matched::Pending(path) } else { Matched::Nothing });
        }
        if let Some(m) = matcher::construction(self.rules, LANG, &path) {
            let e = emit::client(self.rules, &m, &path);
            return Some(Matched::Found(e, m.def.vendor.clone(), m.served));
        }
        if let Some(m) = matcher::operation_call(self.rules, LANG, &path, &self.module_attrs) {
            // Calls through a module client count like constructions for the import's vendor.
            let e = emit::call(self.rules, &m);
            return Some(Matched::Found(e, m.def.vendor.clone(), m.served));
        }
        if let Some(e) = http::request(self.rules, LANG, &path) {
            return Some(Matched::Request(e));
        }
        Some(if self.locals.is_local_path(&path) { Matched::Pending(path) } else { Matched::Nothing })
    }

    /// A call on a receiver nothing in the file resolves: see `common::infer_operation`.
    fn inferred_call(&mut self, node: Node<'t>, f: Node<'t>, out: &mut FileOutput) -> Option<String> {
        let mut names: Vec<&'t str> = Vec::new();
        let mut cur = f;
        while cur.kind() == "attribute" {
            names.push(self.text(cur.child_by_field_name("attribute")?));
            cur = cur.child_by_field_name("object")?;
        }
        let base = if cur.kind() == "identifier" { self.text(cur) } else { "" };
        names.reverse();
        // An LLM request names its model or messages; an SMS `messages.create(body=...)` does not.
        let llm_shaped = node.child_by_field_name("arguments").is_some_and(|a| {
            let mut cursor = a.walk();
            let found = a.named_children(&mut cursor).any(|k| {
                k.kind() == "keyword_argument"
                    && k.child_by_field_name("name").is_some_and(|n| {
                        matches!(self.text(n), "model" | "messages" | "modelId" | "model_id" | "contents" | "input")
                    })
            });
            found
        });
        let built: Vec<String> = self.clients.iter().map(|(d, _)| d.clone()).collect();
        let (def, op) = common::infer_operation(self.rules, LANG, &names, base, out, &built, llm_shaped)?;
        self.emit(out, node, emit::inferred_call(self.rules, def, op));
        Some(def.vendor.clone())
    }

    /// An operation passed on uncalled (`patch(create=client.messages.create)`,
    /// `functools.partial(client.converse, ...)`, `return client.embeddings.create`) is
    /// called by whoever receives it: the reference is the call site.
    fn reference_finding(&mut self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) {
        let Some(Val::Path(p)) = self.resolve(node, ctx, 0) else { return };
        if self.is_shadowed(&p) {
            return;
        }
        let Some(path) = p.called(CallArgs::default()) else { return };
        if let Some(m) = matcher::operation_call(self.rules, LANG, &path, &self.module_attrs) {
            self.emit(out, node, emit::call(self.rules, &m).noting(" (passed on as a reference)"));
        }
    }

    fn env_finding(&self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) {
        // `os.environ["K"] = ...` writes the variable; only reads are findings.
        if node.parent().is_some_and(|p| p.kind() == "assignment" && p.child_by_field_name("left") == Some(node)) {
            return;
        }
        let Some((name, _)) = self.env_read(node, ctx, 0) else { return };
        if let Some(e) = emit::env(self.rules, &name) {
            self.emit(out, node, e);
        }
    }

    fn string_findings(&self, node: Node<'t>, served: Option<&str>, out: &mut FileOutput) {
        if is_docstring(node) {
            return;
        }
        let content = string_content(node, self.src);
        let literal = plain_string(node, self.src);
        let in_context = literal.is_some() && self.in_model_context(node);
        for e in emit::literal(self.rules, &content, literal.as_deref(), in_context, served) {
            self.emit(out, node, e);
        }
    }

    /// A literal is clearly a model name when it is the value of a `model`-like keyword,
    /// dictionary key or variable.
    fn in_model_context(&self, node: Node<'t>) -> bool {
        let Some(parent) = node.parent() else {
            return false;
        };
        let name = match parent.kind() {
            "keyword_argument" => parent.child_by_field_name("name").map(|n| self.text(n).to_string()),
            "pair" => parent.child_by_field_name("key").and_then(|k| plain_string(k, self.src)),
            "assignment" | "typed_default_parameter" | "default_parameter" => parent
                .child_by_field_name("left")
                .or_else(|| parent.child_by_field_name("name"))
                .map(|n| self.text(n).to_string()),
            _ => None,
        };
        name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.contains("model") || n == "engine" || n.contains("deployment")
        })
    }

    /// An SDK imported here whose clients all point at one other vendor is that vendor's
    /// import too.
    fn reassign_imports(&self, out: &mut FileOutput) {
        common::reassign_imports(self.rules, &self.clients, out);
    }

    /// Module-level names bound to vendor clients, and module-level functions returning
    /// them, for other modules that import them.
    fn exports(&self, out: &mut FileOutput) {
        let ctx = Ctx { chain: Rc::from(vec![self.root_id]), class: None, self_name: None };
        let Some(scope) = self.scopes.get(&self.root_id) else {
            return;
        };
        let mut names: Vec<&String> = scope.keys().collect();
        names.sort();
        for name in names {
            let binds = self.lookup(name, &ctx, usize::MAX);
            let (key, val) = match binds.first().map(|b| &b.bind) {
                Some(Bind::Func(def)) => (format!("{name}()"), self.function_result(*def, 0)),
                Some(Bind::Import(_)) => continue,
                _ => (name.clone(), self.first_resolved(binds, 0)),
            };
            if let Some(Val::Path(p)) = val {
                if is_vendor_path(self.rules, &p) {
                    out.exports.push((key, p));
                }
            }
        }
    }
}

/// An attribute handed to someone else rather than called or read further: a call
/// argument, a keyword argument's value, or a returned value.
fn is_passed_on(node: Node<'_>) -> bool {
    let Some(parent) = node.parent() else { return false };
    match parent.kind() {
        "argument_list" | "return_statement" => true,
        "keyword_argument" => parent.child_by_field_name("value") == Some(node),
        _ => false,
    }
}

/// For `import a.b.c`, the full dotted name (the binding is only `a`).
fn full_import_name<'t>(a: &Analyzer<'t, '_>, node: Node<'t>, first: &str) -> String {
    let mut cursor = node.walk();
    for item in node.children_by_field_name("name", &mut cursor) {
        let name = match item.kind() {
            "aliased_import" => item.child_by_field_name("name").map(|n| a.text(n)),
            _ => Some(a.text(item)),
        };
        if let Some(n) = name {
            let d = dotted(n);
            if d == first || d.starts_with(&format!("{first}.")) {
                return d;
            }
        }
    }
    first.to_string()
}

/// Whether a path goes through something the rules know (an SDK module or a constructor).
pub fn is_vendor_path(rules: &RuleSet, p: &Path) -> bool {
    (1..=p.0.len()).any(|end| {
        let d = p.dotted(end);
        !rules.clients_constructed_by(LANG, &d).is_empty()
            || !rules.module_clients(LANG, &d).is_empty()
            || rules.sdk_for_module(LANG, &d).is_some()
    })
}

fn dotted(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '\\').collect()
}

fn is_docstring(node: Node<'_>) -> bool {
    let mut n = node;
    if let Some(p) = n.parent().filter(|p| p.kind() == "concatenated_string") {
        n = p;
    }
    n.parent().is_some_and(|p| p.kind() == "expression_statement" && p.named_child_count() == 1)
}

/// The text of a string literal without its quotes or prefix; interpolations are kept
/// as written (enough for URL and secret scanning).
fn string_content(node: Node<'_>, src: &str) -> String {
    let mut s = String::new();
    let mut cursor = node.walk();
    for c in node.named_children(&mut cursor) {
        if matches!(c.kind(), "string_content" | "escape_sequence" | "interpolation") {
            s.push_str(&src[c.byte_range()]);
        }
    }
    s
}

/// A string literal with no interpolation, decoded enough for names and URLs.
fn plain_string(node: Node<'_>, src: &str) -> Option<String> {
    if node.kind() != "string" {
        return None;
    }
    let mut s = String::new();
    let mut cursor = node.walk();
    for c in node.named_children(&mut cursor) {
        match c.kind() {
            "string_content" => s.push_str(&src[c.byte_range()]),
            "interpolation" => return None,
            "escape_sequence" => s.push_str(&src[c.byte_range()]),
            _ => {}
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize, indent: impl Fn(usize) -> String) -> String {
        let mut s = String::from("import openai\n");
        for i in 0..levels {
            s.push_str(&format!("{}def f():\n", indent(i)));
        }
        s.push_str(&format!("{}x = \"gpt-4o\"\n", indent(levels)));
        s
    }

    #[test]
    fn deep_indentation_is_cut_and_lines_are_kept() {
        assert!(split_deep_indent(&nested(MAX_INDENT_LEVELS, |i| " ".repeat(i))).is_none());
        let src = nested(MAX_INDENT_LEVELS + 5, |i| " ".repeat(i));
        let (shallow, deep) = split_deep_indent(&src).expect("cut");
        assert_eq!((shallow.len(), deep.len()), (src.len(), src.len()));
        assert_eq!(shallow.lines().count(), src.lines().count());
        assert_eq!(deep.lines().count(), src.lines().count());
        assert!(shallow.starts_with("import openai\n") && deep.trim_end().ends_with("x = \"gpt-4o\""));
        assert!(!shallow.contains("gpt-4o") && !deep.contains("import"));
    }

    #[test]
    fn indentation_is_measured_as_the_grammar_does() {
        // Level i is 8 * i columns, written alternately as spaces and as tabs (a tab is 8):
        // nested for the grammar, though the count of bytes goes up and down.
        let src = nested(MAX_INDENT_LEVELS + 1, |i| match i % 2 {
            0 => " ".repeat(8 * i),
            _ => "\t".repeat(i),
        });
        assert!(split_deep_indent(&src).is_some());
    }
}
