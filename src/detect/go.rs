//! Go detection with tree-sitter-go: a lowering onto the shared resolver ([`super::resolve`]).
//! Pass 1 (`collect`) records imports (an import path is one segment with its major-version
//! suffix `/vN` left out, bound to its alias or package name), package-level and local
//! `var`, `const`, `:=` and `=` bindings (of a multi-value call, the first value), parameters
//! and struct fields with their types, methods by receiver type, functions with their returns
//! and result types, and field writes on variables (`config.BaseURL = ...`). Pass 2 (`visit`)
//! hands every call, import, environment read and string literal to the shared resolution.
//! Functional options (`option.WithBaseURL(url)`) and composite literals
//! (`genai.ClientConfig{...}`) become keyword arguments, so rules name them as Python
//! keywords. A name another file of the package declares (a receiver's type, a function, a
//! package-level client) is a path in the package (`go:<folder>`), resolved after every file
//! is read through what each file exports: its struct fields, methods and package-level names
//! that hold clients.

use super::emit;
use super::lower;
use super::path::{ArgValue, CallArgs, Path, Seg};
use super::resolve::{Bind, Callers, Core, Ctx, Front, FuncInfo, Piece, Pieces, Shape, Symbols, Text, Val};
use super::{budget, common, FileOutput, LineIndex, LocalModules};
use crate::detect::field::Field;
use crate::ecosystem::Ecosystem;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use tree_sitter::{Node, Parser, Tree};

const LANG: Ecosystem = Ecosystem::Go;

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_go::LANGUAGE.into()).expect("tree-sitter-go matches the tree-sitter ABI");
        p
    });
}

/// How a file too large to parse is read (`common::scan_text`).
const GO_TEXT: common::TextSyntax = common::TextSyntax { comment: "//", quotes: b"\"`", env_calls: &["Getenv("] };

/// Detects everything in one Go source.
pub fn detect(src: &str, rules: &RuleSet, locals: &LocalModules, out: &mut FileOutput) {
    let parse = |s: &str| PARSER.with(|p| p.borrow_mut().parse(s, None));
    if let Some(tree) = common::parse_or_scan(src, rules, &GO_TEXT, parse, out) {
        detect_tree(&tree, src, rules, locals, out);
    }
}

/// The strings one file of a package binds at its top level (`const APIBaseURL = "https://.."`,
/// a function's returned URL), for the package's other files ([`LocalModules::module_string`]):
/// a Go package is a folder, and a name one file declares is read in another.
pub fn module_strings(src: &str, rules: &RuleSet, rel: &str, locals: &LocalModules) -> Option<super::ModuleStrings> {
    if budget::too_large(src).is_some() {
        return None;
    }
    let tree = PARSER.with(|p| p.borrow_mut().parse(src, None))?;
    let root = tree.root_node();
    if budget::tree_too_deep(root).is_some() {
        return None;
    }
    let mut a = analyzer(src, rules, locals, rel, root);
    a.core.level = 0;
    let ctx = Ctx::module(root.id());
    a.collect_types(root, &ctx);
    a.collect(root, &ctx);
    a.sym.sort();
    let mut out = a.module_strings();
    // What the methods return, as `Type().method()` (how a receiver's method reads from
    // another file of the package, `gpt.FullUrl("chat/completions")`): the types this file
    // declares and those whose methods it declares for another file's type.
    let mut methods: Vec<(String, Node<'_>)> = Vec::new();
    for (t, class) in &a.types {
        for (m, def) in a.sym.classes.get(class).map(|c| c.methods.iter()).into_iter().flatten() {
            methods.push((format!("{t}().{m}"), *def));
        }
    }
    for (t, def) in &a.foreign_methods {
        if let Some(m) = def.field("name") {
            methods.push((format!("{t}().{}", a.text(m)), *def));
        }
    }
    methods.sort_by(|x, y| x.0.cmp(&y.0));
    for (key, def) in methods.into_iter().take(MAX_METHOD_STRINGS) {
        a.returns_under(def, &key, &mut out);
    }
    Some(out)
}

/// Methods whose returned strings one file gives its package ([`module_strings`]).
const MAX_METHOD_STRINGS: usize = 64;

fn analyzer<'t>(
    src: &'t str,
    rules: &'t RuleSet,
    locals: &'t LocalModules,
    rel: &str,
    root: Node<'t>,
) -> Analyzer<'t, 't> {
    let selectors = rules
        .clients
        .iter()
        .filter(|c| c.ecosystem == LANG)
        .flat_map(|c| c.first_arg.iter().map(String::as_str))
        .collect();
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let package = format!("{}{dir}", super::GO_PACKAGE);
    let package = locals.has_module(&package).then(|| Path(vec![Seg { name: package, call: None }]));
    Analyzer {
        package,
        core: Core::new(src, rules, locals, LANG, root),
        types: HashMap::new(),
        dot_imports: Vec::new(),
        writes: HashMap::new(),
        selectors,
        foreign_methods: Vec::new(),
        callers: Callers::default(),
    }
}

fn detect_tree(tree: &Tree, src: &str, rules: &RuleSet, locals: &LocalModules, out: &mut FileOutput) {
    let root = tree.root_node();
    let mut a = analyzer(src, rules, locals, out.rel(), root);
    let passes = lower::Passes::new(
        &GO_TEXT,
        |a, root, ctx| {
            a.collect_types(root, ctx);
            a.collect(root, ctx);
        },
        Analyzer::visit,
    )
    .callers(|a| std::mem::take(&mut a.callers))
    .export(Analyzer::exports)
    .url_names();
    lower::run(&mut a, root, out, passes);
}

/// An import path without its major-version suffix (`github.com/openai/openai-go/v3/option`
/// is `github.com/openai/openai-go/option`): rules name a module once for all its majors.
pub fn module_path(spec: &str) -> String {
    let major = |s: &str| s.len() >= 2 && s.starts_with('v') && s[1..].bytes().all(|b| b.is_ascii_digit());
    spec.split('/').filter(|s| !major(s)).collect::<Vec<_>>().join("/")
}

/// The name a package is imported under when not aliased: its last path element, as Go
/// SDKs name their packages (`openai-go` and `go-openai` are `openai`, `anthropic-sdk-go`
/// is `anthropic`, `cohere-go` is `cohere`).
fn package_name(spec: &str) -> String {
    let last = module_path(spec).rsplit('/').next().unwrap_or_default().to_string();
    let name = last.strip_prefix("go-").unwrap_or(&last);
    let name = name.strip_suffix("-go").unwrap_or(name);
    let name = name.strip_suffix("-sdk").unwrap_or(name);
    name.replace(['-', '.'], "_")
}

/// `config.BaseURL = url`: where, the field, the value and the scope it is read in.
type FieldWrite<'t> = (usize, &'t str, Node<'t>, Ctx);

struct Analyzer<'t, 'a> {
    /// The package's path (`go:<folder>`) when the tree has its files.
    package: Option<Path>,
    /// Source, rules and the symbol table ([`super::resolve::Core`]).
    core: Core<'t>,
    /// Struct types declared in the file: their class ids.
    types: HashMap<&'t str, usize>,
    /// Packages imported with `.`: their names are unqualified.
    dot_imports: Vec<Path>,
    /// Fields written on a variable (`config.BaseURL = url`): by scope and name, each with
    /// its position, field, value and scope.
    writes: HashMap<(usize, &'t str), Vec<FieldWrite<'t>>>,
    /// Options that pick a client's backend (`first_arg` of the Go clients).
    selectors: HashSet<&'a str>,
    /// Methods of types another file declares: the type's name and the method.
    foreign_methods: Vec<(&'t str, Node<'t>)>,
    /// The file's functions and methods by name and their calls ([`resolve::bind_callers`]):
    /// a helper's `llms.Model` parameter holds the model its callers pass.
    callers: Callers<'t>,
}

impl<'t> std::ops::Deref for Analyzer<'t, '_> {
    type Target = Core<'t>;
    fn deref(&self) -> &Core<'t> {
        &self.core
    }
}

impl std::ops::DerefMut for Analyzer<'_, '_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.core
    }
}

impl<'t> Analyzer<'t, '_> {
    // ---------------------------------------------------------------- pass 1: bindings

    /// Struct types first: methods and composite literals refer to them from anywhere.
    fn collect_types(&mut self, root: Node<'t>, ctx: &Ctx) {
        budget::preorder(root, |n| match n.kind() {
            "type_spec" => {
                if let (Some(name), Some(t)) = (n.field("name"), n.field("type")) {
                    if t.kind() == "struct_type" {
                        let name = self.text(name);
                        self.types.insert(name, n.id());
                        self.sym.bind(ctx, name, 0, Bind::Class(n.id()));
                        self.sym.classes.entry(n.id()).or_default();
                    }
                }
                true
            }
            _ => true,
        });
    }

    fn pos(&self, ctx: &Ctx, node: Node<'t>) -> usize {
        // Package-level declarations are visible in the whole package, whatever their order.
        if ctx.scope() == self.sym.root_id {
            0
        } else {
            node.start_byte()
        }
    }

    fn collect(&mut self, node: Node<'t>, ctx: &Ctx) {
        match node.kind() {
            "import_spec" => {
                let Some(spec) = node.field("path").and_then(|p| self.string_lit(p)) else { return };
                // A package of the tree (`github.com/acme/app/internal/config`) is its folder's
                // path, so its constants and functions are read as the package's own files'
                // are; a vendor's SDK stays the SDK, even where the tree vendors its source.
                let local = || {
                    let sdk = super::matcher::sdk_for_specifier(self.rules, LANG, &module_path(&spec)).is_some();
                    let dir = (!sdk).then(|| self.locals.go_package(&spec)).flatten()?;
                    Some(Path(vec![Seg { name: dir, call: None }]))
                };
                let path = local().unwrap_or_else(|| self.module_root(&spec));
                match node.field("name") {
                    Some(n) if n.kind() == "dot" => self.dot_imports.push(path),
                    Some(n) if n.kind() == "blank_identifier" => {}
                    Some(n) => self.core.sym.bind(ctx, self.core.text_at(n), 0, Bind::Import(path)),
                    None => self.sym.bind(ctx, &package_name(&spec), 0, Bind::Import(path)),
                }
                return;
            }
            "function_declaration" | "method_declaration" | "func_literal" => {
                self.collect_function(node, ctx);
                return;
            }
            "type_spec" => {
                self.collect_struct(node, ctx);
                return;
            }
            "var_spec" | "const_spec" => {
                let mut cursor = node.walk();
                let names: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
                let values = node.field("value").map(|v| self.list(v)).unwrap_or_default();
                let pos = self.pos(ctx, node);
                self.bind_list(&names, &values, ctx, pos);
                if let (Some(t), true) = (node.field("type"), values.is_empty()) {
                    for n in names {
                        self.core.sym.bind(ctx, self.core.text_at(n), pos, Bind::Annot(t, ctx.clone()));
                    }
                }
            }
            "short_var_declaration" | "assignment_statement" => {
                let op = node.field("operator").map(|o| self.text(o));
                if matches!(op, None | Some("=")) {
                    let left = node.field("left").map(|l| self.list(l)).unwrap_or_default();
                    let right = node.field("right").map(|r| self.list(r)).unwrap_or_default();
                    let pos = self.pos(ctx, node);
                    self.bind_list(&left, &right, ctx, pos);
                }
            }
            "composite_literal" => self.collect_literal(node, ctx),
            // `for i, v := range xs`: names of this scope whose values are not followed.
            "range_clause" => {
                for l in node.field("left").map(|l| self.list(l)).unwrap_or_default() {
                    self.core.sym.bind(ctx, self.core.text_at(l), node.start_byte(), Bind::Expr(node, ctx.clone()));
                }
            }
            // `summarize(ctx, llm)`, `s.ask(llm)`: a call of a function or method of the file.
            "call_expression" => {
                let name = node.field("function").and_then(|f| match f.kind() {
                    "identifier" => Some(f),
                    "selector_expression" => f.field("field"),
                    _ => None,
                });
                if let (Some(name), Some(args)) = (name, node.field("arguments")) {
                    self.callers.call(self.core.text_at(name), args, ctx);
                }
            }
            "return_statement" => {
                let first = node.named_child(0).and_then(|l| self.list(l).into_iter().next());
                if let (Some(value), Some(f)) = (first, self.sym.funcs.get_mut(&ctx.scope())) {
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

    /// The expressions of an expression list (or the one expression).
    fn list(&self, n: Node<'t>) -> Vec<Node<'t>> {
        if n.kind() != "expression_list" {
            return vec![n];
        }
        let mut cursor = n.walk();
        let v: Vec<Node<'t>> = n.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
        v
    }

    /// `a, b := x, y` binds pairwise; `client, err := f()` binds the first value.
    fn bind_list(&mut self, left: &[Node<'t>], right: &[Node<'t>], ctx: &Ctx, pos: usize) {
        for (i, l) in left.iter().enumerate() {
            let value = if right.len() == left.len() {
                right[i]
            } else if i == 0 && right.len() == 1 {
                right[0]
            } else {
                continue;
            };
            match l.kind() {
                "identifier" if self.text(*l) != "_" => {
                    self.core.sym.bind(ctx, self.core.text_at(*l), pos, Bind::Expr(value, ctx.clone()));
                }
                "selector_expression" => {
                    let (Some(obj), Some(field)) = (l.field("operand"), l.field("field")) else {
                        continue;
                    };
                    if obj.kind() != "identifier" {
                        continue;
                    }
                    let (obj, field) = (self.text(obj), self.text(field));
                    match ctx.class {
                        // `s.client = openai.NewClient()` in a method of `s`'s type.
                        Some(class) if ctx.self_name.as_deref() == Some(obj) => {
                            self.sym.bind_attr(class, field, pos, Bind::Expr(value, ctx.clone()));
                        }
                        _ => {
                            // `p := &azure{}; p.oc = openai.NewClientWithConfig(cfg); return p`:
                            // a constructor function filling a new instance of a struct of the
                            // file sets the field every method of the type reads.
                            if let Some(class) = self.local_instance(obj, ctx, l.start_byte()) {
                                self.sym.bind_attr(class, field, pos, Bind::Expr(value, ctx.clone()));
                            }
                            self.writes.entry((ctx.scope(), obj)).or_default().push((
                                l.start_byte(),
                                field,
                                value,
                                ctx.clone(),
                            ))
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The struct type of this file that local `name` of the innermost scope holds a new
    /// instance of before `at` (`p := &azure{..}`, `var p azure`, `p := new(azure)`).
    fn local_instance(&self, name: &str, ctx: &Ctx, at: usize) -> Option<usize> {
        let binds = self.sym.scopes.get(&ctx.scope())?.get(name)?;
        let nearest = binds.iter().filter(|b| b.pos < at).max_by_key(|b| b.pos)?;
        let t = match &nearest.bind {
            Bind::Expr(v, _) => match composite(*v) {
                Some(lit) => lit.field("type")?,
                // `new(azure)`
                None if v.kind() == "call_expression" && v.field("function").is_some_and(|f| self.text(f) == "new") => {
                    v.field("arguments")?.named_child(0)?
                }
                None => return None,
            },
            Bind::Annot(t, _) => *t,
            _ => return None,
        };
        self.types.get(self.text(t).trim_start_matches('*')).copied()
    }

    /// `http.NewRequest(method, url, body)`, `http.NewRequestWithContext(ctx, method, url,
    /// body)`: the URL the request is sent to (rules/http.toml `[[request_object]]`,
    /// [`http::request_object`]), so that `client.Do(req)` reads as a request to it.
    fn request_url(&self, v: Node<'t>) -> Option<Node<'t>> {
        let (f, args) = (v.kind() == "call_expression").then(|| (v.field("function"), v.field("arguments")))?;
        let object = super::http::request_object(self.rules, LANG, self.text(f?))?;
        self.list_args(args?).get(object.url_position).copied()
    }

    /// The calls of the function around `made` (a request object's maker, `req, err :=
    /// http.NewRequest(..)`) after it that may send what it makes: a `Do` given the variable
    /// it is assigned to (`client.Do(req)`), also after the variable is assigned again
    /// (`req = req.WithContext(ctx)`), in a closure of the function too; the variable must
    /// still hold what `made` made there (a later `req, _ := http.NewRequest(..)` in a loop
    /// makes another request). In written order.
    fn sent_by(&self, made: Node<'t>, ctx: &Ctx) -> Vec<Node<'t>> {
        let mut up = made.parent();
        while let Some(p) = up.filter(|p| p.kind() == "expression_list") {
            up = p.parent();
        }
        let Some(assign) =
            up.filter(|p| matches!(p.kind(), "short_var_declaration" | "assignment_statement" | "var_spec"))
        else {
            return Vec::new();
        };
        let left = assign.field("left").or_else(|| assign.field("name"));
        let Some(var) = left.and_then(|l| if l.kind() == "identifier" { Some(l) } else { l.named_child(0) }) else {
            return Vec::new();
        };
        let var = self.text(var);
        let bodies = ["function_declaration", "method_declaration", "func_literal"];
        common::later_calls(assign, made, &bodies, "call_expression", |n| {
            let method =
                n.field("function").filter(|f| f.kind() == "selector_expression").and_then(|f| f.field("field"));
            let given = n.field("arguments").is_some_and(|a| self.list_args(a).iter().any(|a| self.text(*a) == var));
            method.is_some_and(|m| self.text(m) == "Do") && given && self.holds(var, made, ctx, n.start_byte())
        })
    }

    /// Whether variable `var` read at `pos` holds the request `made` made: its binding there
    /// is `made`, or a copy of what it held before (`req = req.WithContext(ctx)`, `req.Clone(ctx)`).
    fn holds(&self, var: &str, made: Node<'t>, ctx: &Ctx, pos: usize) -> bool {
        let mut pos = pos;
        for _ in 0..8 {
            // (A request made in the other branch of an `if` is not this one's successor:
            // `if body != nil { req, err = http.NewRequest(..) } else { req, err = http.NewRequest(..) }`.)
            let binds = self.lookup(var, ctx, pos);
            let b = binds.iter().find(|b| !matches!(&b.bind, Bind::Expr(v, _) if *v != made && other_branch(*v, made)));
            let Some(b) = b.map(|b| (b.pos, b.bind.clone())) else { return false };
            let Bind::Expr(value, _) = b.1 else { return false };
            if value == made {
                return true;
            }
            let copied = value
                .field("function")
                .filter(|f| value.kind() == "call_expression" && f.kind() == "selector_expression")
                .and_then(|f| f.field("operand"))
                .is_some_and(|o| self.text(o) == var);
            if !copied || b.0 >= pos {
                return false;
            }
            pos = b.0;
        }
        false
    }

    /// `&Svc{client: openai.NewClient()}`: the field of a local struct holds the value.
    fn collect_literal(&mut self, node: Node<'t>, ctx: &Ctx) {
        let Some(class) = node.field("type").and_then(|t| self.types.get(self.text(t)).copied()) else {
            return;
        };
        for (key, value) in self.keyed(node) {
            self.sym.bind_attr(class, key, value.start_byte(), Bind::Expr(value, ctx.clone()));
        }
    }

    /// The `key: value` elements of a composite literal (or of its body).
    fn keyed(&self, lit: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
        let body = if lit.kind() == "literal_value" { Some(lit) } else { lit.field("body") };
        let Some(body) = body else { return Vec::new() };
        let mut cursor = body.walk();
        let elements: Vec<Node<'t>> =
            body.named_children(&mut cursor).filter(|e| e.kind() == "keyed_element").collect();
        elements
            .into_iter()
            .filter_map(|e| {
                let key = e.field("key").or_else(|| e.named_child(0))?;
                let value = e.field("value").or_else(|| e.named_child(1))?;
                Some((self.text(key).trim(), value.named_child(0).unwrap_or(value)))
            })
            .collect()
    }

    /// A struct type's fields, with their types; an embedded field is also a base.
    fn collect_struct(&mut self, node: Node<'t>, ctx: &Ctx) {
        let Some(&class) = node.field("name").and_then(|n| self.types.get(self.text(n))) else { return };
        let Some(list) = node.field("type").and_then(|t| t.named_child(0)) else { return };
        let mut cursor = list.walk();
        let fields: Vec<Node<'t>> =
            list.named_children(&mut cursor).filter(|f| f.kind() == "field_declaration").collect();
        for f in fields {
            let Some(t) = f.field("type") else { continue };
            self.function_type(t, ctx);
            let mut cursor = f.walk();
            let names: Vec<&'t str> = f.children_by_field_name("name", &mut cursor).map(|n| self.text(n)).collect();
            if names.is_empty() {
                // `type Svc struct { *openai.Client }`: the client's members are the struct's.
                self.sym.classes.entry(class).or_default().bases.push((t, ctx.clone()));
                let last = self.text(t).rsplit(['.', '*']).next().unwrap_or_default();
                self.sym.bind_attr(class, last, 0, Bind::Annot(t, ctx.clone()));
            }
            for name in names {
                // At position 0: an assignment elsewhere (`&Svc{client: ...}`) says more.
                self.sym.bind_attr(class, name, 0, Bind::Annot(t, ctx.clone()));
            }
        }
    }

    /// A struct field's function type (`clientFn func(context.Context) (anthropic.Client,
    /// error)`) is a function whose result is its declared first result: calling the field
    /// gives an instance of that type, whatever function literal is stored in it. (Not a
    /// parameter's: the functions its callers pass say more, `NewAzure` passing one that
    /// builds an Azure configuration where the type names only `ClientConfig`.)
    fn function_type(&mut self, t: Node<'t>, ctx: &Ctx) {
        if t.kind() != "function_type" {
            return;
        }
        let result = t.field("result").and_then(|r| match r.kind() {
            "parameter_list" => r.named_child(0).and_then(|p| p.field("type")),
            _ => Some(r),
        });
        if let Some(result) = result {
            let info = FuncInfo { returns: Vec::new(), annotation: Some((result, ctx.clone())), class: None };
            self.sym.funcs.insert(t.id(), info);
        }
    }

    fn receiver(&self, node: Node<'t>) -> Option<Node<'t>> {
        node.field("receiver").and_then(|r| r.named_child(0))
    }

    /// The context inside a function, method or function literal: a method's receiver is
    /// the instance of its type.
    fn inner_ctx(&self, node: Node<'t>, ctx: &Ctx) -> Ctx {
        let mut inner = ctx.enter(node.id());
        if let Some(recv) = self.receiver(node) {
            let t = recv.field("type").map(|t| self.text(t).trim_start_matches('*'));
            let t = t.map(|t| t.split('[').next().unwrap_or(t).trim());
            inner.class = t.and_then(|t| self.types.get(t).copied());
            inner.self_name = recv.field("name").map(|n| Rc::from(self.text(n)));
        }
        inner
    }

    fn collect_function(&mut self, node: Node<'t>, ctx: &Ctx) {
        let inner = self.inner_ctx(node, ctx);
        // A receiver whose type another file of the package declares.
        if let (None, Some(recv), Some(package)) = (inner.class, self.receiver(node), &self.package) {
            if let (Some(n), Some(t)) = (recv.field("name"), recv.field("type")) {
                let t = self.text(t).trim_start_matches('*');
                let t = t.split('[').next().unwrap_or(t).trim();
                if let Some(p) = package.member(t).called(CallArgs::default()) {
                    self.core.sym.bind(&inner, self.core.text_at(n), n.start_byte(), Bind::Typed(p));
                }
                self.foreign_methods.push((t, node));
            }
        }
        if let Some(name) = node.field("name") {
            self.callers.def(self.core.text_at(name), node);
            match (node.kind(), inner.class) {
                ("method_declaration", Some(class)) => {
                    let name = self.text(name).to_string();
                    self.sym.classes.entry(class).or_default().methods.insert(name, node);
                }
                ("function_declaration", _) => self.core.sym.bind(ctx, self.core.text_at(name), 0, Bind::Func(node)),
                _ => {}
            }
        }
        // `func f() (*openai.Client, error)`: the first result's type.
        let result = node.field("result").and_then(|r| match r.kind() {
            "parameter_list" => r.named_child(0).and_then(|p| p.field("type")),
            _ => Some(r),
        });
        let info = FuncInfo { returns: Vec::new(), annotation: result.map(|t| (t, ctx.clone())), class: inner.class };
        self.sym.funcs.insert(node.id(), info);
        let lists = [node.field("parameters"), node.field("result")];
        for params in lists.into_iter().flatten().filter(|l| l.kind() == "parameter_list") {
            let mut cursor = params.walk();
            let list: Vec<Node<'t>> = params.named_children(&mut cursor).collect();
            for p in list {
                let Some(t) = p.field("type") else { continue };
                let mut cursor = p.walk();
                let names: Vec<Node<'t>> = p.children_by_field_name("name", &mut cursor).collect();
                for n in names {
                    self.core.sym.bind(&inner, self.core.text_at(n), p.start_byte(), Bind::Annot(t, ctx.clone()));
                }
            }
        }
        if let Some(body) = node.field("body") {
            self.collect(body, &inner);
        }
    }

    // ---------------------------------------------------------------- arguments

    /// `option.WithBaseURL(url)`: an option function and its first argument.
    fn option(&self, a: Node<'t>, ctx: &Ctx, depth: u32) -> Option<(String, ArgValue)> {
        // Bounded by the resolver's own depth, not a shorter one: a client built in one function
        // and kept in a struct field (`cl := openai.NewClient(option.WithBaseURL(..))`,
        // `&Provider{client: cl}`) is read through the field, the name and the call.
        if a.kind() != "call_expression" || depth > super::budget::MAX_DEPTH {
            return None;
        }
        let Some(Val::Path(p)) = self.resolve(a.field("function")?, ctx, depth + 1) else { return None };
        let name = &p.0.last()?.name;
        if !name.starts_with("With") {
            return None;
        }
        let first = a.field("arguments").and_then(|args| self.list_args(args).into_iter().next());
        // `vertex.WithGoogleAuth(ctx, region, project)` takes no URL: its name is enough.
        let value = first.map_or(ArgValue::Dynamic, |f| self.arg_value(f, ctx, depth + 1, false));
        Some((name.clone(), value))
    }

    /// The elements a slice variable is given: `[]T{a, b}` and `append(s, c, d)` bindings.
    fn slice_elements(&self, var: Option<Node<'t>>, ctx: &Ctx) -> Vec<Node<'t>> {
        let Some(var) = var.filter(|v| v.kind() == "identifier") else { return Vec::new() };
        let mut out = Vec::new();
        for b in self.lookup(self.text(var), ctx, usize::MAX) {
            let Bind::Expr(n, _) = &b.bind else { continue };
            match n.kind() {
                "composite_literal" => {
                    let Some(body) = n.field("body") else { continue };
                    let mut cursor = body.walk();
                    out.extend(body.named_children(&mut cursor).filter_map(|e| e.named_child(0)));
                }
                "call_expression" if n.field("function").is_some_and(|f| self.text(f) == "append") => {
                    let args = n.field("arguments").map(|a| self.list_args(a)).unwrap_or_default();
                    out.extend(args.into_iter().skip(1));
                }
                _ => {}
            }
        }
        out
    }

    fn is_context(&self, a: Node<'t>, ctx: &Ctx, depth: u32) -> bool {
        match self.resolve(a, ctx, depth + 1) {
            Some(Val::Path(p)) => p.0.first().is_some_and(|s| s.name == "context"),
            _ => a.kind() == "identifier" && self.text(a) == "ctx",
        }
    }

    fn list_args(&self, args: Node<'t>) -> Vec<Node<'t>> {
        let mut cursor = args.walk();
        let v: Vec<Node<'t>> = args.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
        v
    }

    /// The fields of a composite literal as keyword arguments, nested ones dotted
    /// (`HTTPOptions.BaseURL`).
    fn literal_keywords(&self, lit: Node<'t>, ctx: &Ctx, prefix: &str, depth: u32, out: &mut Vec<(String, ArgValue)>) {
        for (key, value) in self.keyed(lit) {
            let name = if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") };
            if let (Some(inner), true) = (composite(value), prefix.is_empty()) {
                self.literal_keywords(inner, ctx, &name, depth, out);
            }
            out.push((name, self.arg_value(value, ctx, depth, true)));
        }
    }

    /// Fields written on variable `name` before `at` (`config.BaseURL = "..."`), nearest last.
    fn writes_before(&self, name: &str, at: usize, ctx: &Ctx) -> Vec<(&'t str, Node<'t>, Ctx)> {
        let mut found = Vec::new();
        for scope in ctx.chain.iter() {
            for (pos, field, value, c) in self.writes.get(&(*scope, name)).into_iter().flatten() {
                if *pos < at || *scope != ctx.scope() {
                    found.push((*field, *value, c.clone()));
                }
            }
        }
        found
    }

    // ---------------------------------------------------------------- pass 2: findings

    fn visit(&mut self, node: Node<'t>, ctx: &Ctx, served: Option<&str>, out: &mut FileOutput) {
        let mut served = served.map(str::to_string);
        let mut inner = None;
        match node.kind() {
            "import_spec" => return self.import_finding(node, out),
            "call_expression" => {
                if let Some(s) = self.call_findings(node, ctx, out) {
                    served = Some(s);
                }
                if let Some(name) = self.env_read(node, ctx, 0) {
                    if let Some(e) = emit::env(self.rules, &name) {
                        self.emit(out, node, e);
                    }
                }
            }
            "interpreted_string_literal" | "raw_string_literal" => {
                return self.string_findings(node, served.as_deref(), out)
            }
            "function_declaration" | "method_declaration" | "func_literal" => inner = Some(self.inner_ctx(node, ctx)),
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

    fn import_finding(&self, node: Node<'t>, out: &mut FileOutput) {
        let Some(spec) = node.field("path").and_then(|p| self.string_lit(p)) else { return };
        if let Some(vendor) = super::matcher::sdk_for_specifier(self.rules, LANG, &module_path(&spec)) {
            self.emit(out, node, emit::import(self.rules, LANG, &vendor, &spec));
        }
    }

    fn string_findings(&self, node: Node<'t>, served: Option<&str>, out: &mut FileOutput) {
        // Import paths and struct tags are not literals of interest.
        if node.parent().is_some_and(|p| matches!(p.kind(), "import_spec" | "field_declaration")) {
            return;
        }
        let Some(content) = self.string_lit(node) else { return };
        let in_context = self.in_model_context(node, 0);
        for e in emit::literal(self.rules, &content, Some(&content), in_context, served) {
            self.emit(out, node, e);
        }
    }

    /// A literal is clearly a model name as the value of a `Model`-like field, variable or
    /// constant, or the argument of a `*Model*` function (`client.GenerativeModel("...")`,
    /// `openai.WithModel("...")`), also through a wrapper (`aws.String("...")`).
    fn in_model_context(&self, node: Node<'t>, depth: u32) -> bool {
        let Some(parent) = node.parent() else { return false };
        let name = match parent.kind() {
            "literal_element" => parent
                .parent()
                .filter(|k| k.kind() == "keyed_element" && k.named_child(0) != Some(parent))
                .and_then(|k| k.named_child(0))
                .map(|k| self.text(k)),
            "expression_list" => parent.parent().and_then(|s| match s.kind() {
                "var_spec" | "const_spec" => s.field("name").map(|n| self.text(n)),
                "short_var_declaration" | "assignment_statement" => s.field("left").map(|n| self.text(n)),
                _ => None,
            }),
            "argument_list" => {
                let call = parent.parent();
                let f = call.and_then(|c| c.field("function")).map(|f| self.text(f));
                if f.is_some_and(model_named) {
                    return true;
                }
                return depth < 2 && call.is_some_and(|c| self.in_model_context(c, depth + 1));
            }
            _ => None,
        };
        name.is_some_and(model_named)
    }

    /// The canonical path of a name a dot import brings in (`. "github.com/.../genai"`).
    /// Else a name another file of the package declares.
    fn unbound_name(&self, name: &str) -> Option<Val<'t>> {
        if is_builtin(name) || !self.sym.unbound_everywhere(name) {
            return None;
        }
        let dotted = self.dot_imports.iter().find(|p| self.is_vendor_path(p)).or(self.dot_imports.first());
        dotted.or(self.package.as_ref()).map(|p| Val::Path(p.member(name)))
    }

    /// What other files of the package may read: package-level names and functions, and the
    /// fields and methods of struct types, that hold or return a vendor's client
    /// (`Service().client`, `newClient()`).
    fn exports(&self, out: &mut FileOutput) {
        if self.package.is_none() {
            return;
        }
        let ctx = Ctx::module(self.sym.root_id);
        let mut found: Vec<(String, Option<Val<'t>>)> = Vec::new();
        if let Some(scope) = self.sym.scopes.get(&self.sym.root_id) {
            for name in scope.keys() {
                let binds = self.lookup(name, &ctx, usize::MAX);
                match binds.first().map(|b| &b.bind) {
                    Some(Bind::Func(def)) => found.push((format!("{name}()"), self.function_result(*def, 0))),
                    Some(Bind::Import(_) | Bind::Class(_)) => {}
                    _ => found.push((name.clone(), self.first_resolved(binds, 0))),
                }
            }
        }
        for (t, class) in &self.types {
            found.extend(self.type_exports(t, *class, false));
            // An embedded field's value (`type OpenAI struct { *requests.HTTPClient }` given
            // `requests.NewClient(url)`): the instance's promoted methods are its, so a method
            // another file of the package calls on the instance (`b.NewRequest(..)`) is the
            // value's.
            let bases = self.sym.classes.get(class).map(|i| i.bases.clone()).unwrap_or_default();
            for (b, _) in bases {
                let field = self.text(b).rsplit(['.', '*']).next().unwrap_or_default();
                let assigned = self
                    .sym
                    .classes
                    .get(class)
                    .and_then(|i| i.attrs.get(field))
                    .is_some_and(|binds| binds.iter().any(|b| matches!(b.bind, Bind::Expr(..))));
                if assigned {
                    found.push((format!("{t}()"), self.class_member(*class, field, 0, 0)));
                }
            }
        }
        for (t, def) in &self.foreign_methods {
            if let Some(m) = def.field("name") {
                found.push((format!("{t}().{}()", self.text(m)), self.function_result(*def, 0)));
            }
        }
        self.export_vendor_paths(found, out);
    }
}

/// The composite literal an expression is (`T{...}`, `&T{...}`), if any.
fn composite(n: Node<'_>) -> Option<Node<'_>> {
    match n.kind() {
        "composite_literal" => Some(n),
        "unary_expression" => composite(n.field("operand")?),
        "parenthesized_expression" => composite(n.named_child(0)?),
        _ => None,
    }
}

/// Go's predeclared names: never another file's.
fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "append"
            | "cap"
            | "clear"
            | "close"
            | "complex"
            | "copy"
            | "delete"
            | "imag"
            | "len"
            | "make"
            | "max"
            | "min"
            | "new"
            | "panic"
            | "print"
            | "println"
            | "real"
            | "recover"
            | "nil"
            | "true"
            | "false"
            | "iota"
            | "any"
            | "bool"
            | "byte"
            | "comparable"
            | "error"
            | "rune"
            | "string"
            | "uintptr"
            | "int"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "float32"
            | "float64"
            | "complex64"
            | "complex128"
            | "_"
    )
}

fn model_named(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("model") || n.contains("deployment") || n.contains("engine")
}

/// The text of a Go string literal: raw strings as written, interpreted ones with their
/// common escapes decoded.
fn string_text(node: Node<'_>, src: &str) -> Option<String> {
    let mut s = String::new();
    let mut cursor = node.walk();
    for c in node.named_children(&mut cursor) {
        let t = &src[c.byte_range()];
        match c.kind() {
            "interpreted_string_literal_content" | "raw_string_literal_content" => s.push_str(t),
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
    Some(s)
}

// -------------------------------------------------------------------- the lowering

impl<'t> Front<'t> for Analyzer<'t, '_> {
    fn core(&self) -> &Core<'t> {
        &self.core
    }

    fn sym_mut(&mut self) -> &mut Symbols<'t> {
        &mut self.core.sym
    }

    fn lines(&self) -> &LineIndex {
        &self.core.lines
    }

    fn shape(&self, node: Node<'t>, ctx: &Ctx) -> Shape<'t> {
        let field = |f: &'static str| node.field(f);
        let inner = |n: Option<Node<'t>>| n.map_or(Shape::Unknown, Shape::Inner);
        match node.kind() {
            "identifier" => {
                let name = self.text(node);
                if ctx.class.is_some() && ctx.self_name.as_deref() == Some(name) {
                    Shape::This
                } else {
                    Shape::Name(name)
                }
            }
            "package_identifier" | "type_identifier" => Shape::Name(self.text(node)),
            "selector_expression" => match (field("operand"), field("field")) {
                (Some(o), Some(f)) => Shape::Member(o, self.text(f)),
                _ => Shape::Unknown,
            },
            "qualified_type" => match (field("package"), field("name")) {
                (Some(p), Some(n)) => Shape::Member(p, self.text(n)),
                _ => Shape::Unknown,
            },
            "call_expression" => match field("function") {
                Some(callee) => Shape::Call { callee, args: field("arguments"), new: false, chain: Vec::new() },
                None => Shape::Unknown,
            },
            // `openai.ClientConfig{BaseURL: url}`, `&Svc{...}`: the type called with its fields.
            "composite_literal" => match field("type") {
                Some(callee) => Shape::Call { callee, args: field("body"), new: false, chain: Vec::new() },
                None => Shape::Unknown,
            },
            "parenthesized_expression" | "pointer_type" => inner(node.named_child(0)),
            "unary_expression" if field("operator").is_some_and(|o| matches!(self.text(o), "&" | "*")) => {
                inner(field("operand"))
            }
            "type_assertion_expression" => inner(field("operand")),
            "generic_type" => inner(field("type")),
            "index_expression" => match (field("operand"), field("index")) {
                (Some(object), Some(index)) => Shape::Index { object, index, generic: false },
                _ => Shape::Unknown,
            },
            "func_literal" => Shape::Function(node),
            _ => Shape::Unknown,
        }
    }

    fn text_shape(&self, v: Node<'t>, ctx: &Ctx) -> Text<'t> {
        let field = |f: &'static str| v.field(f);
        if let Some(url) = self.request_url(v) {
            return Text::Inner(url);
        }
        match v.kind() {
            "interpreted_string_literal" | "raw_string_literal" => self.string_lit(v).map_or(Text::Unknown, Text::Lit),
            "parenthesized_expression" => v.named_child(0).map_or(Text::Unknown, Text::Inner),
            "binary_expression" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Text::Concat(l, r),
                    _ => Text::Unknown,
                }
            }
            "identifier" => Text::Name(self.text(v), v.start_byte()),
            "selector_expression" => match (field("operand"), field("field")) {
                (Some(o), Some(f)) if ctx.self_name.as_deref() == Some(self.text(o)) => Text::Field(self.text(f)),
                // `if opts.URL == "" { opts.URL = DefaultURL }` before: the value written is
                // the field's wherever the caller does not set it.
                (Some(o), Some(f)) if o.kind() == "identifier" => {
                    let f = self.text(f);
                    let written = self.writes_before(self.text(o), v.start_byte(), ctx);
                    match written.into_iter().rev().find(|(field, ..)| *field == f) {
                        Some((_, value, _)) if value.start_byte() != v.start_byte() => Text::Fallback(value),
                        _ => Text::Unknown,
                    }
                }
                _ => Text::Unknown,
            },
            _ => Text::Unknown,
        }
    }

    fn pieces(&self, v: Node<'t>) -> Pieces<'t> {
        let field = |f: &'static str| v.field(f);
        if let Some(url) = self.request_url(v) {
            return Pieces::Inner(url);
        }
        match v.kind() {
            "interpreted_string_literal" | "raw_string_literal" => {
                self.string_lit(v).map_or(Pieces::Unknown, |s| Pieces::Parts(vec![Piece::Text(s)]))
            }
            "binary_expression" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Pieces::Plus(l, r),
                    _ => Pieces::Unknown,
                }
            }
            "parenthesized_expression" => v.named_child(0).map_or(Pieces::Unknown, Pieces::Inner),
            "identifier" => Pieces::Name(self.text(v), v.start_byte()),
            // `fmt.Sprintf("%s/chat/completions", base)`: the format with its verbs as holes.
            "call_expression" if field("function").is_some_and(|f| self.text(f) == "fmt.Sprintf") => {
                let args = field("arguments").map(|a| self.list_args(a)).unwrap_or_default();
                let Some(format) = args.first().and_then(|f| self.string_lit(*f)) else { return Pieces::Unknown };
                Pieces::Parts(super::template::printf(&format, &args[1..]))
            }
            // `url.JoinPath(base, "/v1/messages")`: the elements joined by slashes;
            // `net.JoinHostPort(host, port)`: `host:port`.
            "call_expression"
                if field("function").is_some_and(|f| matches!(self.text(f), "url.JoinPath" | "net.JoinHostPort")) =>
            {
                let args = field("arguments").map(|a| self.list_args(a)).unwrap_or_default();
                let sep = if field("function").is_some_and(|f| self.text(f) == "url.JoinPath") { "/" } else { ":" };
                let mut parts = Vec::new();
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        parts.push(Piece::Text(sep.to_string()));
                    }
                    match self.string_lit(*a) {
                        Some(s) if i > 0 && sep == "/" => {
                            parts.push(Piece::Text(s.trim_start_matches('/').to_string()))
                        }
                        _ => parts.push(Piece::Hole(Some(*a))),
                    }
                }
                if parts.is_empty() {
                    Pieces::Unknown
                } else {
                    Pieces::Parts(parts)
                }
            }
            "call_expression" => field("function").map_or(Pieces::Unknown, |f| Pieces::Call(f, field("arguments"))),
            _ => Pieces::Unknown,
        }
    }

    fn params(&self, def: Node<'t>) -> Vec<&'t str> {
        let Some(params) = def.field("parameters") else { return Vec::new() };
        let mut names = Vec::new();
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            let mut c = p.walk();
            names.extend(p.children_by_field_name("name", &mut c).map(|n| self.text(n)));
        }
        names
    }

    fn arg_nodes(&self, args: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        self.list_args(args).into_iter().map(|a| (None, a)).collect()
    }

    fn string_lit(&self, n: Node<'t>) -> Option<String> {
        match n.kind() {
            "interpreted_string_literal" | "raw_string_literal" => string_text(n, self.src),
            _ => None,
        }
    }

    /// `*openai.Client`, `openai.Client`, `*Svc`: an instance of the type.
    fn annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.sym.budget.step(depth) {
            return None;
        }
        match t.kind() {
            "pointer_type" | "parenthesized_type" => self.annotation(t.named_child(0)?, ctx, depth + 1),
            "generic_type" => self.annotation(t.field("type")?, ctx, depth + 1),
            "function_type" => self.sym.funcs.contains_key(&t.id()).then_some(Val::Func(t)),
            "qualified_type" | "type_identifier" => match self.resolve(t, ctx, depth + 1)? {
                Val::Path(p) => p.declared().map(Val::Path),
                Val::Class(c) => Some(Val::Instance(c)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Positional arguments; option calls (`option.WithBaseURL(url)`), the fields of a
    /// composite literal, the fields a configuration variable was given before the call and
    /// those of the configuration value passed are keywords. Options are unordered: one that
    /// picks the backend (`bedrock.WithLoadDefaultConfig(ctx)`) is put first, where
    /// `first_arg` looks.
    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, callee: &Path) -> CallArgs {
        let mut out = CallArgs::default();
        if args.kind() == "literal_value" {
            self.literal_keywords(args, ctx, "", depth, &mut out.keywords);
            return out;
        }
        let objects = self.is_vendor_path(callee);
        for a in self.list_args(args) {
            // A `context.Context` carries no configuration: `llms.GenerateFromSinglePrompt(ctx,
            // llm, prompt)` passes the model first, as `vendor_from` reads it.
            if self.is_context(a, ctx, depth) {
                continue;
            }
            if let Some(kw) = self.option(a, ctx, depth) {
                out.keywords.push(kw);
            }
            if a.kind() == "variadic_argument" {
                // `NewClient(opts...)`: the options the slice is built from, whatever branch
                // appends them, as keywords (they decide the base URL, not the backend).
                for o in self.slice_elements(a.named_child(0), ctx) {
                    out.keywords.extend(self.option(o, ctx, depth));
                }
                continue;
            }
            if let Some(lit) = composite(a) {
                self.literal_keywords(lit, ctx, "", depth, &mut out.keywords);
            }
            if a.kind() == "identifier" {
                let mut written: Vec<(String, ArgValue)> = self
                    .writes_before(self.text(a), a.start_byte(), ctx)
                    .into_iter()
                    .map(|(field, v, c)| (field.to_string(), self.arg_value(v, &c, depth + 1, false)))
                    .collect();
                // `if url != "" { cfg.BaseURL = url } else { cfg.BaseURL = groqURL }`: the
                // literal is the value wherever configuration does not override it, and so is a
                // template (`fmt.Sprintf("https://bedrock-mantle.%s.api.aws/v1", region)`).
                written.sort_by_key(|(_, v)| match v {
                    ArgValue::Str(_) => 0,
                    ArgValue::Pattern(_) => 1,
                    _ => 2,
                });
                out.keywords.extend(written);
            }
            let value = self.arg_value(a, ctx, depth, objects);
            if let ArgValue::Path(p) = &value {
                // A configuration value passed whole (`NewClientWithConfig(config)`) gives its fields.
                if let Some(inner) = p.0.last().and_then(|s| s.call.as_ref()) {
                    if composite(a).is_none() && a.kind() != "call_expression" {
                        out.keywords.extend(inner.keywords.iter().cloned());
                    }
                }
            }
            out.positional.push(value);
        }
        let selects = |v: &ArgValue| match v {
            ArgValue::Path(p) => {
                let upto = p.0.iter().position(|s| s.call.is_some()).map_or(p.0.len(), |i| i + 1);
                self.selectors.contains(p.dotted(upto).as_str())
            }
            _ => false,
        };
        if let Some(i) = out.positional.iter().position(selects) {
            let v = out.positional.remove(i);
            out.positional.insert(0, v);
        }
        out
    }

    /// `os.Getenv("X")`, `os.LookupEnv("X")`.
    fn env_read(&self, n: Node<'t>, ctx: &Ctx, depth: u32) -> Option<String> {
        if n.kind() != "call_expression" {
            return None;
        }
        let key = n.field("arguments").and_then(|a| self.list_args(a).into_iter().next())?;
        let name = self.string_lit(key)?;
        let Some(Val::Path(p)) = self.resolve(n.field("function")?, ctx, depth + 1) else { return None };
        matches!(p.dotted(p.0.len()).as_str(), "os.Getenv" | "os.LookupEnv" | "syscall.Getenv").then_some(name)
    }

    fn module_root(&self, spec: &str) -> Path {
        Path(vec![Seg { name: module_path(spec), call: None }])
    }

    fn is_getter(&self, _method: Node<'t>) -> bool {
        false
    }

    fn unbound(&self, name: &str, _ctx: &Ctx) -> Option<Val<'t>> {
        self.unbound_name(name)
    }

    fn first_arg(&self, args: Node<'t>) -> Option<Node<'t>> {
        self.list_args(args).into_iter().next()
    }

    fn sends_of(&self, made: Node<'t>, ctx: &Ctx) -> Vec<Node<'t>> {
        self.sent_by(made, ctx)
    }

    /// The calls that may send what call `made` returns (rules/http.toml `sent_by`): the
    /// methods chained on it (`cli.NewRequest("GET", "/models").Into(&out).RunContext(ctx)`),
    /// then, where the chain's result is held in a variable (`req := cli.NewRequest(..)
    /// .JSONBody(body)`), the methods called on that variable later in the function
    /// (`req.RunContext(ctx)`), in written order.
    fn result_calls(&self, made: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
        let mut out = Vec::new();
        let mut cur = made;
        // `made.M(..)`: a selector on the result, called.
        while let Some(sel) =
            cur.parent().filter(|p| p.kind() == "selector_expression" && p.field("operand") == Some(cur))
        {
            let Some(call) = sel.parent().filter(|c| c.kind() == "call_expression" && c.field("function") == Some(sel))
            else {
                break;
            };
            if let Some(m) = sel.field("field") {
                out.push((self.text(m), call));
            }
            cur = call;
        }
        let mut up = cur.parent();
        while let Some(p) = up.filter(|p| p.kind() == "expression_list") {
            up = p.parent();
        }
        let assign = up.filter(|p| matches!(p.kind(), "short_var_declaration" | "assignment_statement" | "var_spec"));
        let var = assign
            .and_then(|a| a.field("left").or_else(|| a.field("name")))
            .and_then(|l| if l.kind() == "identifier" { Some(l) } else { l.named_child(0) })
            .filter(|l| l.kind() == "identifier")
            .map(|l| self.text(l));
        if let (Some(assign), Some(var)) = (assign, var) {
            let bodies = ["function_declaration", "method_declaration", "func_literal"];
            let on_var = |n: Node<'t>| {
                n.field("function").filter(|f| f.kind() == "selector_expression").is_some_and(|f| {
                    f.field("operand").is_some_and(|o| o.kind() == "identifier" && self.text(o) == var)
                })
            };
            for n in common::later_calls(assign, cur, &bodies, "call_expression", on_var) {
                if let Some(m) = n.field("function").and_then(|f| f.field("field")) {
                    out.push((self.text(m), n));
                }
            }
        }
        out
    }

    /// The standard library's `strings` package, as the file imports it.
    fn string_package(&self, obj: Node<'t>, ctx: &Ctx) -> bool {
        obj.kind() == "identifier"
            && self
                .lookup(self.text(obj), ctx, obj.start_byte())
                .first()
                .is_some_and(|b| matches!(&b.bind, Bind::Import(p) if p.0.len() == 1 && p.0[0].name == "strings"))
    }

    fn call_parts(&self, call: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        (call.kind() == "call_expression").then(|| Some((call.field("function")?, call.field("arguments"))))?
    }

    /// A call on a receiver nothing in the file resolves: see `common::infer_operation`.
    fn inferred_call(&mut self, node: Node<'t>, f: Node<'t>, out: &mut FileOutput) -> Option<String> {
        let mut names: Vec<&'t str> = Vec::new();
        let mut cur = f;
        while cur.kind() == "selector_expression" {
            names.push(self.text(cur.field("field")?));
            cur = cur.field("operand")?;
        }
        let base = if cur.kind() == "identifier" { self.text(cur) } else { "" };
        names.reverse();
        // A package qualifier is no receiver.
        if names.len() < 2
            && self
                .lookup(base, &Ctx::module(self.sym.root_id), usize::MAX)
                .iter()
                .any(|b| matches!(b.bind, Bind::Import(_)))
        {
            return None;
        }
        let llm_shaped = node.field("arguments").is_some_and(|a| {
            let t = self.text(a);
            ["Model", "Messages", "model", "messages"].iter().any(|k| t.contains(k))
        });
        let built: Vec<String> = self.sym.clients.iter().map(|(d, _)| d.clone()).collect();
        let (def, op) = common::infer_operation(self.rules, LANG, &names, base, out, &built, llm_shaped)?;
        self.emit(out, node, emit::inferred_call(self.rules, def, op));
        Some(def.vendor.clone())
    }
}

/// Whether `a` and `b` lie in different branches of one `if` (its consequence and its
/// alternative): at run time only one of them is made.
fn other_branch(a: Node<'_>, b: Node<'_>) -> bool {
    let mut ancestors = Vec::new();
    let mut up = b.parent();
    while let Some(n) = up {
        ancestors.push(n.id());
        up = n.parent();
    }
    let mut child = a;
    let mut up = a.parent();
    while let Some(n) = up {
        if ancestors.contains(&n.id()) {
            let branch = |f: &'static str| n.field(f).map(|c| c.id());
            let (ca, cb) = (Some(child.id()), branch("consequence"));
            // `a` under one branch and `b` under the other.
            return n.kind() == "if_statement"
                && ((ca == cb && branch("alternative").is_some_and(|alt| ancestors.contains(&alt)))
                    || (ca == branch("alternative") && cb.is_some_and(|c| ancestors.contains(&c))));
        }
        child = n;
        up = n.parent();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_versions_are_left_out_and_packages_named() {
        assert_eq!(module_path("github.com/openai/openai-go/v3/option"), "github.com/openai/openai-go/option");
        assert_eq!(
            module_path("github.com/aws/aws-sdk-go-v2/service/bedrockruntime"),
            "github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
        );
        assert_eq!(package_name("github.com/openai/openai-go/v3"), "openai");
        assert_eq!(package_name("github.com/sashabaranov/go-openai"), "openai");
        assert_eq!(package_name("github.com/anthropics/anthropic-sdk-go"), "anthropic");
        assert_eq!(package_name("github.com/cohere-ai/cohere-go/v2/client"), "client");
        assert_eq!(package_name("google.golang.org/genai"), "genai");
    }
}
