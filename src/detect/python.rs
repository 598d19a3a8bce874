//! Python detection with tree-sitter-python. Two passes over one tree: `collect` records
//! bindings per scope (imports, assignments, `self.x` attributes, parameters with type
//! annotations, functions and their returns, classes), then `visit` resolves every call,
//! import, environment read and string literal to canonical paths and matches them
//! (matcher.rs). Tree-sitter queries cannot express scopes, so this walks the tree; the
//! walk is one `match` on node kinds. Produces findings, this module's exports (for
//! clients imported by other modules) and calls that need those exports.

use super::budget;
use super::emit;
use super::lower;
use super::matcher::{self, ModuleAttrs};
use super::path::{ArgValue, CallArgs, Path};
use super::resolve::{Bind, Callers, Core, Ctx, Entry, Front, FuncInfo, Piece, Pieces, Shape, Symbols, Text, Val};
use super::{common, up_of, FileOutput, LineIndex, LocalModules, ModuleStrings, Up};
use crate::detect::field::Field;
use crate::ecosystem::Ecosystem;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use tree_sitter::{Node, Parser, Tree};

const LANG: Ecosystem = Ecosystem::Python;

/// pydantic's settings base classes (pydantic-settings for v2, `pydantic.BaseSettings` in v1).
const SETTINGS_BASES: [&str; 4] = [
    "pydantic_settings.BaseSettings",
    "pydantic_settings.main.BaseSettings",
    "pydantic.BaseSettings",
    "pydantic.v1.BaseSettings",
];

/// How many syntax levels up a read looks for an `if x == "..."` that fixes its value.
const NARROWING_LEVELS: usize = 16;

/// How many local base classes are followed up to pydantic's `BaseSettings`.
const SETTINGS_BASE_STEPS: usize = 4;

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
    let mut a = Analyzer::new(src, rules, module, is_package, &out.rel, locals, root);
    let passes = lower::Passes::new(&PYTHON_TEXT, Analyzer::collect, Analyzer::visit)
        .callers(|a| std::mem::take(&mut a.callers))
        .prepare(Analyzer::collect_module_attrs)
        .export(Analyzer::exports)
        .literals(Analyzer::literals_only)
        .url_names();
    lower::run(&mut a, root, out, passes);
}

/// The methods of Python's `str` (docs.python.org/3/library/stdtypes.html, "String Methods").
const STR_METHODS: &[&str] = &[
    "capitalize",
    "casefold",
    "center",
    "count",
    "encode",
    "endswith",
    "expandtabs",
    "find",
    "format",
    "format_map",
    "index",
    "isalnum",
    "isalpha",
    "isascii",
    "isdecimal",
    "isdigit",
    "isidentifier",
    "islower",
    "isnumeric",
    "isprintable",
    "isspace",
    "istitle",
    "isupper",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "maketrans",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "translate",
    "upper",
    "zfill",
];

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

struct Analyzer<'t, 'a> {
    /// Source, rules and the symbol table ([`super::resolve::Core`]).
    core: Core<'t>,
    module: &'a str,
    is_package: bool,
    class_ids: HashSet<usize>,
    attr_assigns: Vec<(Node<'t>, Node<'t>, Ctx)>,
    module_attrs: ModuleAttrs,
    /// Keyword arguments that carry a client's base URL (`base_url` of the rules).
    base_url_keys: HashSet<&'a str>,
    /// Nesting of `client_arg` resolutions (a name bound to a call that passes itself).
    client_args: std::cell::Cell<u32>,
    /// This file's path in the tree.
    rel: String,
    /// Top-level module names a module of the tree shadows here (see `LocalModules::shadows`).
    shadowed: RefCell<HashMap<String, bool>>,
    /// [`Analyzer::narrowed`] by node id: it climbs a node's parents, and tree-sitter finds a
    /// parent by descending from the root, while resolution asks about one name many times.
    narrowings: RefCell<HashMap<usize, Option<String>>>,
    /// The ancestors of the node [`Analyzer::visit`] is at, nearest last: tree-sitter finds a
    /// node's parent by descending from the root, once per string and attribute of a file.
    ancestors: Vec<Node<'t>>,
    /// The names of the classes pass 1 has entered ([`Analyzer::enclosing_class_named`]: a
    /// class encloses the code that names it, so it is entered first). Most names are no
    /// class's, and are answered without climbing parents.
    class_names: HashSet<&'t str>,
    /// The file's functions and methods by name and their calls, bare (`helper(client)`) or
    /// on the instance or class (`self._embed(client, texts)`): [`super::resolve::bind_callers`]
    /// gives a parameter what its callers pass (a client built in one method, used in a
    /// helper method or a function nested in it).
    callers: Callers<'t>,
}

impl<'t: 'a, 'a> Analyzer<'t, 'a> {
    fn new(
        src: &'t str,
        rules: &'t RuleSet,
        module: &'a str,
        is_package: bool,
        rel: &str,
        locals: &'t LocalModules,
        root: Node<'t>,
    ) -> Self {
        Analyzer {
            core: Core::new(src, rules, locals, LANG, root),
            module,
            is_package,
            class_ids: HashSet::new(),
            attr_assigns: Vec::new(),
            module_attrs: ModuleAttrs::new(),
            base_url_keys: rules
                .clients
                .iter()
                .filter(|c| c.ecosystem == LANG)
                .flat_map(|c| c.base_url.iter().map(String::as_str))
                .collect(),
            client_args: std::cell::Cell::new(0),
            narrowings: RefCell::new(HashMap::new()),
            ancestors: Vec::new(),
            class_names: HashSet::new(),
            rel: rel.to_string(),
            shadowed: RefCell::new(HashMap::new()),
            callers: Callers { only: Some(HashSet::new()), ..Callers::default() },
        }
    }
}

/// The strings this module binds at its top level, its imports kept as references
/// ([`LocalModules::module_string`]); `None` when it cannot be parsed within budget.
pub fn module_strings(src: &str, rules: &RuleSet, rel: &str, locals: &LocalModules) -> Option<ModuleStrings> {
    if budget::too_large(src).is_some() || split_deep_indent(src).is_some() {
        return None;
    }
    let tree = parse(src)?;
    let root = tree.root_node();
    if budget::tree_too_deep(root).is_some() {
        return None;
    }
    let (module, is_package) = super::module_name(rel);
    let mut a = Analyzer::new(src, rules, &module, is_package, rel, locals, root);
    a.core.level = 0;
    a.collect(root, &Ctx::module(root.id()));
    a.sym.sort();
    Some(a.module_strings())
}

impl<'t> Analyzer<'t, '_> {
    /// The dictionary a comprehension copies entry by entry (`{k: v for k, v in
    /// d.items() if ...}`: `d`), if it is one: its pair is the loop's own key and value.
    fn copied_dict(&self, node: Node<'t>) -> Option<Node<'t>> {
        let body = node.field("body").filter(|b| b.kind() == "pair")?;
        let mut cursor = node.walk();
        let clauses: Vec<Node<'t>> = node.named_children(&mut cursor).filter(|c| c.kind() == "for_in_clause").collect();
        let [clause] = clauses.as_slice() else { return None };
        let left = clause.field("left")?;
        let mut cursor = left.walk();
        let names: Vec<&str> = left.named_children(&mut cursor).map(|n| self.text(n)).collect();
        let [key, value] = names.as_slice() else { return None };
        if self.text(body.field("key")?) != *key || self.text(body.field("value")?) != *value {
            return None;
        }
        let right = clause.field("right").filter(|r| r.kind() == "call")?;
        let callee = right.field("function").filter(|f| f.kind() == "attribute")?;
        let items = callee.field("attribute").is_some_and(|a| self.text(a) == "items");
        let no_args = right.field("arguments").is_some_and(|a| a.named_child_count() == 0);
        (items && no_args).then(|| callee.field("object")).flatten()
    }

    /// The parts of `"/".join([a, b])`: the elements with the separator between them.
    fn joined(&self, call: Node<'t>) -> Option<Vec<Piece<'t>>> {
        let f = call.field("function").filter(|f| f.kind() == "attribute")?;
        if self.text(f.field("attribute")?) != "join" {
            return None;
        }
        let sep = self.string_lit(f.field("object")?)?;
        let list =
            call.field("arguments").and_then(|a| a.named_child(0)).filter(|l| matches!(l.kind(), "list" | "tuple"))?;
        let mut parts = Vec::new();
        let mut cursor = list.walk();
        for (i, e) in list.named_children(&mut cursor).filter(|e| e.kind() != "comment").enumerate() {
            if i > 0 {
                parts.push(Piece::Text(sep.clone()));
            }
            parts.push(Piece::Hole(Some(e)));
        }
        Some(parts)
    }

    /// The parts of `"{}/chat/{model}".format(base, model=m)`: the format with its fields as
    /// holes ([`super::template::braces`]).
    fn formatted(&self, call: Node<'t>) -> Option<Vec<Piece<'t>>> {
        let f = call.field("function").filter(|f| f.kind() == "attribute")?;
        if self.text(f.field("attribute")?) != "format" {
            return None;
        }
        let format = plain_string(f.field("object")?, self.src)?;
        let args = self.arg_nodes(call.field("arguments")?);
        let positional: Vec<Option<Node<'t>>> =
            args.iter().filter(|(k, _)| k.is_none()).map(|(_, n)| Some(*n)).collect();
        let named: HashMap<&str, Option<Node<'t>>> =
            args.iter().filter_map(|(k, n)| k.map(|k| (k, Some(*n)))).collect();
        // A field with no argument is not a name in scope (unlike an f-string's).
        let parts = super::template::braces(&format, &positional, &named, call.start_byte());
        Some(
            parts
                .into_iter()
                .map(|p| match p {
                    Piece::Name(..) => Piece::Hole(None),
                    p => p,
                })
                .collect(),
        )
    }

    /// The text of a plain one-part string literal (`"create"`), borrowed from the source.
    fn literal_name(&self, node: Node<'t>) -> Option<&'t str> {
        if node.kind() != "string" {
            return None;
        }
        let mut cursor = node.walk();
        let parts: Vec<Node<'t>> = node
            .named_children(&mut cursor)
            .filter(|c| c.kind() != "string_start" && c.kind() != "string_end")
            .collect();
        match parts.as_slice() {
            [c] if c.kind() == "string_content" => Some(self.text(*c)),
            _ => None,
        }
    }
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

    fn bind_target(&mut self, target: Node<'t>, ctx: &Ctx, pos: usize, bind: Bind<'t>) {
        match target.kind() {
            "identifier" => {
                let name = self.text(target).to_string();
                self.sym.bind(ctx, &name, pos, bind);
            }
            "attribute" => {
                let (Some(obj), Some(attr)) = (target.field("object"), target.field("attribute")) else {
                    return;
                };
                let is_self = obj.kind() == "identifier" && ctx.self_name.as_deref() == Some(self.text(obj));
                if let Some(class) = ctx.class.filter(|_| is_self).or_else(|| self.enclosing_class_named(obj)) {
                    let attr = self.text(attr).to_string();
                    self.sym.bind_attr(class, &attr, pos, bind);
                } else if let Bind::Expr(value, _) = bind {
                    // `openai.api_base = "..."`: resolved after pass 1, once imports are known.
                    self.attr_assigns.push((target, value, ctx.clone()));
                }
            }
            // `values["api_base"] = get_from_dict_or_env(...)` in a pydantic validator sets
            // the model's field `api_base`.
            "subscript" => {
                let (Some(obj), Some(key)) = (target.field("value"), target.field("subscript")) else {
                    return;
                };
                let Some(class) = ctx.class else { return };
                if obj.kind() != "identifier" || !self.is_validator_input(obj) {
                    return;
                }
                if let Some(field) = plain_string(key, self.src).filter(|f| !f.is_empty()) {
                    self.sym.bind_attr(class, &field, pos, bind);
                }
            }
            _ => {}
        }
    }

    /// The class whose own code `obj` names (`Service.client = Anthropic()` in a method of
    /// `class Service`, a client shared by every instance): the attribute is the class's.
    fn enclosing_class_named(&self, obj: Node<'t>) -> Option<usize> {
        if obj.kind() != "identifier" {
            return None;
        }
        let name = self.text(obj);
        if !self.class_names.contains(name) {
            return None;
        }
        let mut cur = obj.parent();
        while let Some(n) = cur {
            if n.kind() == "class_definition" && n.field("name").is_some_and(|c| self.text(c) == name) {
                return Some(n.id());
            }
            cur = n.parent();
        }
        None
    }

    /// Whether a name is the values parameter of a pydantic validator that runs before the
    /// model is built (`@model_validator(mode="before")`, v1 `@root_validator(pre=True)`,
    /// LangChain's `@pre_init`), or the `**kwargs` of a constructor: the dict of field values
    /// it may set (https://docs.pydantic.dev/latest/concepts/validators/#model-validators).
    fn is_validator_input(&self, name: Node<'t>) -> bool {
        let mut cur = name;
        let def = loop {
            match cur.parent() {
                Some(p) if p.kind() == "function_definition" => break p,
                Some(p) if p.kind() == "class_definition" => return false,
                Some(p) => cur = p,
                None => return false,
            }
        };
        let validator = ["model_validator", "root_validator", "pre_init"].iter().any(|d| self.has_decorator(def, d));
        if validator {
            return self.params(def).contains(&self.text(name));
        }
        // `def __init__(self, **kwargs)` that fills `kwargs[...]` before `super().__init__(**kwargs)`.
        let is_init = def.field("name").is_some_and(|n| self.text(n) == "__init__");
        let Some(params) = def.field("parameters").filter(|_| is_init) else { return false };
        let mut cursor = params.walk();
        // (`**kwargs: Any` wraps the pattern in a typed parameter.)
        let found = params.named_children(&mut cursor).any(|p| {
            let p = if p.kind() == "typed_parameter" { p.named_child(0).unwrap_or(p) } else { p };
            p.kind() == "dictionary_splat_pattern" && p.named_child(0).is_some_and(|n| self.text(n) == self.text(name))
        });
        found
    }

    fn collect(&mut self, node: Node<'t>, ctx: &Ctx) {
        if node.kind() == "call" {
            self.note_caller(node, ctx);
        }
        match node.kind() {
            "import_statement" | "import_from_statement" => {
                for (local, path) in self.import_bindings(node) {
                    self.sym.bind(ctx, &local, node.start_byte(), Bind::Import(path));
                }
                return;
            }
            "assignment" => {
                self.collect_assignment(node, ctx);
            }
            "named_expression" => {
                if let (Some(name), Some(value)) = (node.field("name"), node.field("value")) {
                    self.bind_target(name, ctx, node.start_byte(), Bind::Expr(value, ctx.clone()));
                }
            }
            "with_item" => {
                if let Some(value) = node.field("value") {
                    if value.kind() == "as_pattern" {
                        let expr = value.named_child(0);
                        let target = value.field("alias").and_then(|t| t.named_child(0));
                        if let (Some(expr), Some(target)) = (expr, target) {
                            self.bind_target(target, ctx, node.start_byte(), Bind::Expr(expr, ctx.clone()));
                        }
                    }
                }
            }
            // `super().__init__(base_url=...)` in a constructor.
            "call" if ctx.class.is_some() && self.is_super_init(node) => {
                if let (Some(class), Some(args)) = (ctx.class, node.field("arguments")) {
                    self.sym.classes.entry(class).or_default().super_args.get_or_insert((args, ctx.clone()));
                }
            }
            "return_statement" | "yield" => {
                if let (Some(value), Some(&fid)) = (node.named_child(0), ctx.chain.last()) {
                    if let Some(f) = self.sym.funcs.get_mut(&fid) {
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

    /// Notes a call of the file's own function or method (`helper(client)`,
    /// `self._embed(client, texts)`) for [`super::resolve::bind_callers`], and the object the
    /// call is made on (`client.embed(...)`, `client.chat.completions.create(...)`), unless
    /// the method is a string's. Only parameters of those names are bound, as in JavaScript:
    /// a URL handed to the code's own request wrapper (`connect_sse(client, "POST", url)`,
    /// `f"{base_url.rstrip('/')}/models"`) is read at its call sites, not inside the wrapper,
    /// and a method passed by reference (`create=client.chat.completions.create`) is reported
    /// where it is passed.
    fn note_caller(&mut self, node: Node<'t>, ctx: &Ctx) {
        if let (Some(name), Some(args)) = (self.own_callee(node, ctx), node.field("arguments")) {
            self.callers.call(name, args, ctx);
        }
        // The object a method chain starts from, and the first method or attribute read on it.
        let (mut root, mut first) = (node.field("function"), None);
        for _ in 0..8 {
            match root {
                Some(r) if r.kind() == "attribute" => {
                    first = r.field("attribute");
                    root = r.field("object");
                }
                _ => break,
            }
        }
        // A string's own method (`base_url.rstrip("/")`) says the name holds text, such as a URL.
        let text_method = first.is_some_and(|m| STR_METHODS.contains(&self.text(m)));
        if let (Some(r), Some(_), false) = (root.filter(|r| r.kind() == "identifier"), first, text_method) {
            let name = self.text(r);
            self.callers.only.get_or_insert_default().insert(name);
        }
        if let Some(own) = self.request_url_name(node) {
            self.callers.own.insert(own);
        }
    }

    /// The bare name a raw HTTP request is sent to, with the function it is read in
    /// (`client.post(endpoint_url, headers=h, json=payload)`, `requests.request("POST", url,
    /// json=data)`, `session.get(url=u, timeout=30)`): a helper's URL parameter, bound to its
    /// callers' arguments
    /// ([`super::resolve::bind_callers`]) so the request inside the helper is read with the
    /// URLs its callers pass, as Go's and Rust's helpers are. Only a call of a request method
    /// that also passes a request's keyword (`headers`, `json`, `data`, ...) or `url=` counts:
    /// `settings.get(key)` says nothing of a URL. A helper named like a request (`_post`,
    /// `send_json`) is a wrapper whose URL is read at its call sites
    /// ([`super::resolve::Front::wrapped_request`]): its parameter stays unbound.
    fn request_url_name(&self, call: Node<'t>) -> Option<(usize, &'t str)> {
        const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "request", "stream"];
        const KEYWORDS: &[&str] = &["headers", "json", "data", "params", "timeout", "files", "content", "auth"];
        let f = call.field("function").filter(|f| f.kind() == "attribute")?;
        let verb = self.text(f.field("attribute")?);
        if !VERBS.contains(&verb) {
            return None;
        }
        let args = call.field("arguments")?;
        let mut cursor = args.walk();
        let mut positional = Vec::new();
        let (mut url, mut requestish) = (None, false);
        for a in args.named_children(&mut cursor) {
            match a.kind() {
                "keyword_argument" => {
                    let key = a.field("name").map(|n| self.text(n)).unwrap_or_default();
                    if key == "url" {
                        url = a.field("value");
                        requestish = true;
                    }
                    requestish |= KEYWORDS.contains(&key);
                }
                "comment" => {}
                _ => positional.push(a),
            }
        }
        // `request("POST", url, ..)` and `stream("POST", url, ..)` name the method first.
        let by_method =
            matches!(verb, "request" | "stream") && positional.first().is_some_and(|a| a.kind() == "string");
        let url = url.or_else(|| positional.get(usize::from(by_method)).copied())?;
        if !requestish || url.kind() != "identifier" {
            return None;
        }
        // The nearest enclosing function (the walk up is bounded by the tree's depth).
        let mut up = call.parent();
        while let Some(n) = up {
            if n.kind() == "function_definition" {
                let name = n.field("name").map(|f| self.text(f)).unwrap_or_default();
                return (!super::http::request_like(name)).then(|| (n.id(), self.text(url)));
            }
            up = n.parent();
        }
        None
    }

    /// The name a call gives one of the file's own functions or methods by: bare
    /// (`helper(x)`), or on the instance, the class or the enclosing class by name
    /// (`self.m(x)`, `cls.m(x)`, `Service.m(x)`); `None` for a method of any other object.
    fn own_callee(&self, call: Node<'t>, ctx: &Ctx) -> Option<&'t str> {
        let f = call.field("function")?;
        match f.kind() {
            "identifier" => Some(self.text(f)),
            "attribute" => {
                let obj = f.field("object").filter(|o| o.kind() == "identifier")?;
                let recv = self.text(obj);
                let own = ctx.self_name.as_deref() == Some(recv)
                    || recv == "cls"
                    || self.enclosing_class_named(obj).is_some();
                own.then(|| f.field("attribute").map(|a| self.text(a))).flatten()
            }
            _ => None,
        }
    }

    fn collect_assignment(&mut self, node: Node<'t>, ctx: &Ctx) {
        // `a = b = value` nests assignments in `right`; every left binds to the last right.
        let mut lefts = Vec::new();
        let mut cur = node;
        let mut annotation = None;
        loop {
            if let Some(l) = cur.field("left") {
                lefts.push(l);
            }
            if annotation.is_none() {
                annotation = cur.field("type");
            }
            match cur.field("right") {
                Some(r) if r.kind() == "assignment" => cur = r,
                other => {
                    let pos = node.start_byte();
                    for l in lefts {
                        // `url, headers = build(...)`: each name is that item of what the call
                        // returns (`return url, headers`); `a, b = x, y` binds each.
                        if matches!(l.kind(), "pattern_list" | "tuple_pattern") {
                            let mut cursor = l.walk();
                            let names: Vec<Node<'t>> = l.named_children(&mut cursor).collect();
                            if names.iter().any(|n| !matches!(n.kind(), "identifier" | "attribute")) {
                                continue;
                            }
                            let items = other.map(|r| self.tuple_items(r)).unwrap_or_default();
                            // (Not a name the call is given: `state, x = step(state)` in a loop
                            // would be followed once per use, each through the whole callee.)
                            let args = other.and_then(|r| r.field("arguments")).map_or("", |a| self.text(a));
                            let given: Vec<bool> = names
                                .iter()
                                .map(|n| {
                                    args.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == self.text(*n))
                                })
                                .collect();
                            for (i, name) in names.into_iter().enumerate() {
                                match other {
                                    Some(r) if r.kind() == "call" && given[i] => {}
                                    Some(r) if r.kind() == "call" => {
                                        self.bind_target(name, ctx, pos, Bind::Member(r, ctx.clone(), format!("#{i}")))
                                    }
                                    _ if items.len() > i => {
                                        self.bind_target(name, ctx, pos, Bind::Expr(items[i], ctx.clone()))
                                    }
                                    _ => {}
                                }
                            }
                            continue;
                        }
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
        if let Some(name) = node.field("name") {
            self.callers.def(self.text(name), node);
            let name = self.text(name).to_string();
            if let Some(class) = ctx.class.filter(|c| ctx.chain.last() == Some(c)) {
                self.sym.classes.entry(class).or_default().methods.insert(name, node);
            } else {
                self.sym.bind(ctx, &name, node.start_byte(), Bind::Func(node));
            }
        }
        // A method's body sees the module and enclosing functions, not the class body.
        let in_class_body = ctx.class.is_some() && ctx.chain.last() == ctx.class.as_ref();
        let mut chain: Vec<usize> = ctx.chain.iter().copied().filter(|s| !self.class_ids.contains(s)).collect();
        chain.push(id);
        let params = node.field("parameters");
        let self_name = self.self_param(node, ctx, in_class_body);
        let inner = Ctx { chain: Rc::from(chain), class: ctx.class, self_name };
        self.sym.funcs.insert(
            id,
            FuncInfo {
                returns: Vec::new(),
                annotation: node.field("return_type").map(|t| (t, ctx.clone())),
                class: ctx.class,
            },
        );
        if let Some(params) = params {
            let mut cursor = params.walk();
            for p in params.named_children(&mut cursor) {
                let name = p.field("name").or_else(|| p.named_child(0)).filter(|n| n.kind() == "identifier");
                let Some(name) = name else { continue };
                if let Some(t) = p.field("type") {
                    self.bind_target(name, &inner, p.start_byte(), Bind::Annot(t, ctx.clone()));
                }
                if let Some(v) = p.field("value") {
                    self.bind_target(name, &inner, p.start_byte(), Bind::Expr(v, ctx.clone()));
                }
            }
            // pytest injects fixtures by parameter name.
            if self.is_test_file() {
                let mut cursor = params.walk();
                for p in params.named_children(&mut cursor).filter(|p| p.kind() == "identifier") {
                    let name = self.text(p).to_string();
                    if !matches!(name.as_str(), "self" | "cls") {
                        self.sym.bind(&inner, &name, p.start_byte(), Bind::Fixture(name.clone()));
                    }
                }
            }
        }
        if let Some(body) = node.field("body") {
            self.collect(body, &inner);
        }
    }

    /// `super().__init__(...)` or `super(Cls, self).__init__(...)`.
    fn is_super_init(&self, call: Node<'t>) -> bool {
        let Some(f) = call.field("function").filter(|f| f.kind() == "attribute") else { return false };
        let init = f.field("attribute").is_some_and(|a| self.text(a) == "__init__");
        let on_super = f
            .field("object")
            .is_some_and(|o| o.kind() == "call" && o.field("function").is_some_and(|s| self.text(s) == "super"));
        init && on_super
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
        let p = def.field("parameters")?.named_child(0)?;
        let p = match p.kind() {
            "identifier" => p,
            "typed_parameter" | "default_parameter" | "typed_default_parameter" => {
                p.field("name").or_else(|| p.named_child(0))?
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

    /// The local classes from `class` up its local bases (at most [`SETTINGS_BASE_STEPS`]), when
    /// one of them derives from pydantic's `BaseSettings`.
    fn settings_chain(&self, class: usize, depth: u32) -> Option<Vec<usize>> {
        let mut chain = vec![class];
        for _ in 0..SETTINGS_BASE_STEPS {
            let info = self.sym.classes.get(chain.last()?)?;
            let mut next = None;
            for (b, c) in &info.bases {
                match self.resolve(*b, c, depth + 1) {
                    Some(Val::Path(p)) if SETTINGS_BASES.contains(&p.dotted(p.0.len()).as_str()) => return Some(chain),
                    Some(Val::Class(id)) if next.is_none() && !chain.contains(&id) => next = Some(id),
                    _ => {}
                }
            }
            chain.push(next?);
        }
        None
    }

    /// A keyword argument's string literal of a call (`Field(alias="X")`,
    /// `SettingsConfigDict(env_prefix="APP_")`) or an entry of a dict literal.
    fn literal_option(&self, v: Node<'t>, keys: &[&str]) -> Option<String> {
        let literal = |n: Node<'t>| if n.kind() == "string" { plain_string(n, self.src) } else { None };
        match v.kind() {
            "call" => {
                let args = v.field("arguments")?;
                self.arg_nodes(args)
                    .into_iter()
                    .find_map(|(k, n)| k.filter(|k| keys.contains(k)).and_then(|_| literal(n)))
            }
            "dictionary" => self.entries(v).into_iter().find_map(|e| match e {
                Entry::Pair(k, n) if keys.contains(&k.as_str()) => literal(n),
                _ => None,
            }),
            _ => None,
        }
    }

    /// Whether a call is pydantic's `Field(...)`.
    fn is_pydantic_field(&self, call: Node<'t>, ctx: &Ctx) -> bool {
        let Some(f) = call.field("function") else { return false };
        matches!(self.resolve(f, ctx, 1), Some(Val::Path(p)) if matches!(p.dotted(p.0.len()).as_str(), "pydantic.Field" | "pydantic.fields.Field"))
    }

    /// The `env_prefix` of a settings class: `model_config = SettingsConfigDict(env_prefix=...)`
    /// (or a dict), a v1 inner `class Config: env_prefix = ...`, or a class keyword.
    fn env_prefix(&self, class: usize) -> Option<String> {
        let info = self.sym.classes.get(&class)?;
        let keyword = info.bases.iter().find_map(|(b, _)| {
            let is_prefix =
                b.kind() == "keyword_argument" && b.field("name").is_some_and(|n| self.text(n) == "env_prefix");
            b.field("value").filter(|_| is_prefix).and_then(|v| plain_string(v, self.src))
        });
        let config = || {
            info.attrs.get("model_config")?.iter().find_map(|b| match &b.bind {
                Bind::Expr(v, _) => self.literal_option(*v, &["env_prefix"]),
                _ => None,
            })
        };
        let inner = || {
            info.attrs.get("Config")?.iter().find_map(|b| match &b.bind {
                Bind::Class(id) => {
                    self.sym.classes.get(id)?.attrs.get("env_prefix")?.iter().find_map(|b| match &b.bind {
                        Bind::Expr(v, _) if v.kind() == "string" => plain_string(*v, self.src),
                        _ => None,
                    })
                }
                _ => None,
            })
        };
        keyword.or_else(config).or_else(inner)
    }

    fn collect_class(&mut self, node: Node<'t>, ctx: &Ctx) {
        let id = node.id();
        self.class_ids.insert(id);
        if let Some(name) = node.field("name") {
            self.class_names.insert(self.text(name));
            let name = self.text(name).to_string();
            self.sym.bind(ctx, &name, node.start_byte(), Bind::Class(id));
        }
        let src = self.core.src;
        let info = self.sym.classes.entry(id).or_default();
        if let Some(bases) = node.field("superclasses") {
            let mut cursor = bases.walk();
            for b in bases.named_children(&mut cursor) {
                // `class Base(ABC)`, `metaclass=ABCMeta`: a base, never an instance of its own.
                let text = &src[b.byte_range()];
                info.is_abstract |= matches!(text, "ABC" | "abc.ABC") || text.ends_with("=ABCMeta");
                info.bases.push((b, ctx.clone()));
            }
        }
        let mut chain: Vec<usize> = ctx.chain.to_vec();
        chain.push(id);
        let inner = Ctx { chain: Rc::from(chain), class: Some(id), self_name: None };
        if let Some(body) = node.field("body") {
            self.collect(body, &inner);
            // Class-body assignments are class attributes, visible through `self`.
            if let Some(scope) = self.sym.scopes.remove(&id) {
                let info = self.sym.classes.entry(id).or_default();
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
                        if let (Some(n), Some(a)) = (item.field("name"), item.field("alias")) {
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
                "aliased_import" => match (item.field("name"), item.field("alias")) {
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
        let m = node.field("module_name")?;
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
            let (Some(obj), Some(attr)) = (target.field("object"), target.field("attribute")) else {
                continue;
            };
            if let Some(Val::Path(p)) = self.resolve(obj, &ctx, 0) {
                if !p.has_call_before(p.0.len()) {
                    // A client object too (`Settings.llm = Ollama(..)`, a framework's default).
                    let v = self.arg_value(value, &ctx, 0, true);
                    let attr = self.text(attr).to_string();
                    self.module_attrs.entry(p.dotted(p.0.len())).or_default().push((attr, v));
                }
            }
        }
    }

    // ---------------------------------------------------------------- resolution

    /// A fixture defined in this file, else one a `conftest.py` of the tree exports.
    fn fixture(&self, name: &str, depth: u32) -> Option<Val<'t>> {
        let local = self.sym.scopes.get(&self.sym.root_id).and_then(|s| s.get(name)).and_then(|binds| {
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

    /// A type annotation as the instance it describes: `OpenAI`, `Optional[OpenAI]`,
    /// `OpenAI | None`, `"OpenAI"`.
    fn resolve_annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.sym.budget.step(depth) {
            return None;
        }
        match t.kind() {
            "type" | "parenthesized_expression" => self.resolve_annotation(t.named_child(0)?, ctx, depth + 1),
            "identifier" | "attribute" => match self.resolve(t, ctx, depth + 1)? {
                Val::Path(p) => p.declared().map(Val::Path),
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
                        Val::Path(p) => p.declared().map(Val::Path),
                        Val::Class(c) => Some(Val::Instance(c)),
                        _ => None,
                    }
                })
            }
            _ => None,
        }
    }

    /// The arguments of a call; `objects`: also resolve client and model objects passed as
    /// arguments (only for calls into an SDK, where a rule may read them).
    fn keyword_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, objects: bool) -> CallArgs {
        let mut out = CallArgs::default();
        let mut splats = Vec::new();
        let mut cursor = args.walk();
        for a in args.named_children(&mut cursor) {
            match a.kind() {
                "keyword_argument" => {
                    if let (Some(n), Some(v)) = (a.field("name"), a.field("value")) {
                        let name = self.text(n);
                        let mut value = self.arg_value(v, ctx, depth, objects);
                        if value == ArgValue::Dynamic && self.base_url_keys.contains(name) {
                            value = self.client_arg(v, ctx, depth).unwrap_or(value);
                        }
                        if value == ArgValue::Dynamic {
                            self.nested_keywords(name, v, ctx, depth, &mut out);
                        }
                        self.push_keyword(name.to_string(), value, v, ctx, &mut out);
                    }
                }
                "dictionary_splat" => splats.extend(a.named_child(0)),
                "comment" | "list_splat" => {}
                _ => out.positional.push(self.arg_value(a, ctx, depth, objects)),
            }
        }
        for s in splats {
            self.splat_keywords(s, ctx, depth, objects, &mut out);
        }
        out
    }

    /// The entries of a dict spread into a call (`AsyncOpenAI(**kwargs)`, `**self._client_kwargs()`,
    /// `**dict(base_url=...)`, spreads inside it followed: [`Front::spread_entries`]) as keyword
    /// arguments; a keyword written out wins.
    fn splat_keywords(&self, splat: Node<'t>, ctx: &Ctx, depth: u32, objects: bool, out: &mut CallArgs) {
        let Some(Val::Object(o, oc)) = self.resolve(splat, ctx, depth + 1) else { return };
        for (e, c) in self.spread_entries(o, &oc, depth + 1) {
            let Entry::Pair(k, v) = e else { continue };
            if out.keyword(&k).is_none() {
                let value = self.arg_value(v, &c, depth, objects);
                self.push_keyword(k, value, v, &c, out);
            }
        }
    }

    /// Adds keyword argument `name` (written as `v`); a base URL that is an environment
    /// variable's default (`os.environ.get("X", "https://...")`) also notes the variable.
    fn push_keyword(&self, name: String, value: ArgValue, v: Node<'t>, ctx: &Ctx, out: &mut CallArgs) {
        if matches!(value, ArgValue::Str(_)) && self.base_url_keys.contains(name.as_str()) {
            if let Some(var) = self.env_value(v, ctx, 0) {
                out.env_defaults.push((name.clone(), var));
            }
        }
        out.keywords.push((name, value));
    }

    /// The module a call imports at run time and returns: `importlib.import_module("openai")`,
    /// `__import__("openai")` (the top package of a dotted name, as Python's `__import__`
    /// returns it without `fromlist`), or a project's own lazy-import helper, a function whose
    /// name says it imports (`attempt_import_or_raise("openai")`, `guard_import("openai")`,
    /// `import_optional_dependency("openai")`), called with the module's dotted name first.
    /// The helper's body is often in a module the scan does not hold; its name and the
    /// module-name argument say what it returns.
    fn run_time_import(&self, call: Node<'t>) -> Option<String> {
        let callee = call.field("function")?;
        let name = match callee.kind() {
            "identifier" => self.text(callee),
            "attribute" => self.text(callee.field("attribute")?),
            _ => return None,
        };
        if !name.to_ascii_lowercase().contains("import") {
            return None;
        }
        let args = call.field("arguments")?;
        let first = args.named_child(0)?;
        let module = plain_string(first, self.src)?;
        let valid = !module.is_empty()
            && module.split('.').all(|p| {
                p.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
        if !valid {
            return None;
        }
        let mut cursor = args.walk();
        let with_fromlist = args.named_children(&mut cursor).count() > 1;
        Some(match name {
            "__import__" if !with_fromlist => module.split('.').next().unwrap_or(&module).to_string(),
            _ => module,
        })
    }

    /// Whether `f` is the builtin `name` (written bare, not bound in scope).
    fn is_builtin(&self, f: Node<'t>, name: &str, ctx: &Ctx) -> bool {
        f.kind() == "identifier" && self.text(f) == name && self.lookup(name, ctx, f.start_byte()).is_empty()
    }

    /// The literal a name or attribute equals where it is read: inside `if x == "https://..."`
    /// (or `elif`), `x` is that string (SambaNova's client built only `if self._url ==
    /// "https://api.sambanova.ai/v1"`). The nearest enclosing tests, a few levels up;
    /// computed once per node.
    fn narrowed(&self, v: Node<'t>) -> Option<String> {
        if let Some(known) = self.narrowings.borrow().get(&v.id()) {
            return known.clone();
        }
        let found = self.narrowed_uncached(v);
        self.narrowings.borrow_mut().insert(v.id(), found.clone());
        found
    }

    fn narrowed_uncached(&self, v: Node<'t>) -> Option<String> {
        let written = self.text(v);
        let mut child = v;
        for _ in 0..NARROWING_LEVELS {
            let parent = child.parent()?;
            if matches!(parent.kind(), "function_definition" | "class_definition" | "module") {
                return None;
            }
            let body = parent.field("consequence");
            if matches!(parent.kind(), "if_statement" | "elif_clause") && body.is_some_and(|b| b.id() == child.id()) {
                let test = parent.field("condition")?;
                if let Some(s) = self.equals_literal(test, written) {
                    return Some(s);
                }
            }
            child = parent;
        }
        None
    }

    /// The string `written == "..."` (either side) tests for.
    fn equals_literal(&self, test: Node<'t>, written: &str) -> Option<String> {
        if test.kind() != "comparison_operator" || test.named_child_count() != 2 {
            return None;
        }
        let mut cursor = test.walk();
        let is_eq = test.children(&mut cursor).any(|c| !c.is_named() && c.kind() == "==");
        let (a, b) = (test.named_child(0)?, test.named_child(1)?);
        let literal = |n: Node<'t>| if n.kind() == "string" { plain_string(n, self.src) } else { None };
        match (is_eq, self.text(a) == written, self.text(b) == written) {
            (true, true, _) => literal(b),
            (true, _, true) => literal(a),
            _ => None,
        }
    }

    /// The entries of a dict passed as keyword `name` that the rules read as a base URL,
    /// dotted (`ModelInference(credentials={"url": ...})` is `credentials.url`).
    fn nested_keywords(&self, name: &str, v: Node<'t>, ctx: &Ctx, depth: u32, out: &mut CallArgs) {
        let prefix = format!("{name}.");
        if !self.base_url_keys.iter().any(|k| k.starts_with(&prefix)) {
            return;
        }
        let Some(Val::Object(o, c)) = self.resolve(v, ctx, depth + 1) else { return };
        for e in self.entries(o) {
            if let Entry::Pair(k, n) = e {
                let key = format!("{prefix}{k}");
                if self.base_url_keys.contains(key.as_str()) {
                    out.keywords.push((key, self.arg_value(n, &c, depth, false)));
                }
            }
        }
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

    /// `os.getenv("X")`, `os.environ.get("X")`, `os.environ["X"]`, LangChain's
    /// `get_from_dict_or_env(values, "key", "X", default)` and `get_from_env("key", "X")`:
    /// the variable and its literal.
    fn env_var(&self, node: Node<'t>, ctx: &Ctx, depth: u32) -> Option<(String, Node<'t>)> {
        let (target, key) = match node.kind() {
            "call" => {
                let f = node.field("function")?;
                let Some(Val::Path(p)) = self.resolve(f, ctx, depth + 1) else { return None };
                let i = env_argument(&p.dotted(p.0.len()))?;
                let args = self.arg_nodes(node.field("arguments")?);
                let positional: Vec<Node<'t>> = args.into_iter().filter(|(k, _)| k.is_none()).map(|(_, n)| n).collect();
                (None, *positional.get(i)?)
            }
            "subscript" => (node.field("value"), node.field("subscript")?),
            _ => return None,
        };
        if key.kind() != "string" {
            return None;
        }
        if let Some(target) = target {
            let Some(Val::Path(p)) = self.resolve(target, ctx, depth + 1) else { return None };
            if p.dotted(p.0.len()) != "os.environ" {
                return None;
            }
        }
        Some((plain_string(key, self.src)?, key))
    }

    /// The default of an environment read ([`Analyzer::env_var`]) or of a dict lookup
    /// (`credentials.get("base_url", "https://...")`): the value wherever configuration
    /// leaves the key unset.
    fn read_default(&self, call: Node<'t>, ctx: &Ctx) -> Option<Node<'t>> {
        let args = self.arg_nodes(call.field("arguments")?);
        let keyword = args.iter().find(|(k, _)| *k == Some("default")).map(|(_, n)| *n);
        let positional: Vec<Node<'t>> = args.iter().filter(|(k, _)| k.is_none()).map(|(_, n)| *n).collect();
        if self.env_var(call, ctx, 0).is_some() {
            let f = call.field("function")?;
            let Some(Val::Path(p)) = self.resolve(f, ctx, 1) else { return None };
            let i = env_argument(&p.dotted(p.0.len()))?;
            return keyword.or_else(|| positional.get(i + 1).copied());
        }
        // `d.get("key", default)` on anything but the environment (read above).
        let f = call.field("function")?;
        let is_get = f.kind() == "attribute" && f.field("attribute").is_some_and(|a| self.text(a) == "get");
        match positional.as_slice() {
            [key, default] if is_get && keyword.is_none() && key.kind() == "string" && default.kind() != "none" => {
                Some(*default)
            }
            _ => None,
        }
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
                self.sym.bind(ctx, &local, 0, Bind::Import(path));
            }
            self.import_findings(node, out);
        }
        budget::preorder(root, |n| match n.kind() {
            "call" | "subscript" => {
                self.env_finding(n, n.parent(), ctx, out);
                true
            }
            // (And an f-string's holes, below.)
            "string" => {
                self.string_findings(n, up_of(n), None, out);
                true
            }
            _ => true,
        });
    }

    fn visit(&mut self, node: Node<'t>, ctx: &Ctx, served: Option<&str>, out: &mut FileOutput) {
        let mut served = served.map(str::to_string);
        let mut inner_ctx = None;
        let up = super::up_in(&self.ancestors);
        match node.kind() {
            "import_statement" | "import_from_statement" => self.import_findings(node, out),
            "call" => {
                if let Some(s) = self.call_findings(node, ctx, out) {
                    served = Some(s);
                }
                self.env_finding(node, up[0], ctx, out);
                self.loaded_import_finding(node, out);
            }
            "subscript" => self.env_finding(node, up[0], ctx, out),
            "attribute" if is_passed_on(node, up, self.src) => self.reference_finding(node, ctx, out),
            "string" => {
                self.string_findings(node, up, served.as_deref(), out);
                // An f-string's holes are code: `f"Bearer {os.environ['GROQ_API_KEY']}"` reads a key.
                self.ancestors.push(node);
                for hole in super::common::children_of_kind(node, "interpolation") {
                    self.visit(hole, ctx, served.as_deref(), out);
                }
                self.ancestors.pop();
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
        self.ancestors.push(node);
        for child in children {
            self.visit(child, ctx, served.as_deref(), out);
        }
        self.ancestors.pop();
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
        let class = self.sym.funcs.get(&node.id()).and_then(|f| f.class).or(ctx.class);
        Ctx { chain: Rc::from(chain), class, self_name }
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

    /// An SDK module imported at run time (`openai = attempt_import_or_raise("openai")`) is
    /// an import of that SDK, as the `import` statement it stands for would be.
    fn loaded_import_finding(&self, node: Node<'t>, out: &mut FileOutput) {
        let Some(module) = self.run_time_import(node) else { return };
        if self.is_shadowed(&Path::from_dotted(&module)) {
            return;
        }
        if let Some((sdk, _)) = self.rules.sdk_for_module(LANG, &module) {
            self.emit(out, node, emit::import(self.rules, LANG, &sdk.vendor, &module));
        }
    }

    fn env_finding(&self, node: Node<'t>, parent: Option<Node<'t>>, ctx: &Ctx, out: &mut FileOutput) {
        // `os.environ["K"] = ...` writes the variable; only reads are findings.
        if parent.is_some_and(|p| p.kind() == "assignment" && p.field("left") == Some(node)) {
            return;
        }
        let Some((name, _)) = self.env_var(node, ctx, 0) else { return };
        if let Some(e) = emit::env(self.rules, &name) {
            self.emit(out, node, e);
        }
    }

    fn string_findings(&self, node: Node<'t>, up: Up<'t>, served: Option<&str>, out: &mut FileOutput) {
        if is_docstring(up) {
            return;
        }
        let content = string_content(node, self.src);
        let literal = plain_string(node, self.src);
        let in_context = literal.is_some() && self.in_model_context(up[0]);
        for e in emit::literal(self.rules, &content, literal.as_deref(), in_context, served) {
            self.emit(out, node, e);
        }
    }

    /// A literal is clearly a model name when it is the value of a `model`-like keyword,
    /// dictionary key or variable.
    fn in_model_context(&self, parent: Option<Node<'t>>) -> bool {
        let Some(parent) = parent else {
            return false;
        };
        let name = match parent.kind() {
            "keyword_argument" => parent.field("name").map(|n| self.text(n).to_string()),
            "pair" => parent.field("key").and_then(|k| plain_string(k, self.src)),
            "assignment" | "typed_default_parameter" | "default_parameter" => {
                parent.field("left").or_else(|| parent.field("name")).map(|n| self.text(n).to_string())
            }
            _ => None,
        };
        name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.contains("model") || n == "engine" || n.contains("deployment")
        })
    }

    /// What other modules import of this one ([`Front::module_exports`]).
    fn exports(&self, out: &mut FileOutput) {
        let ctx = Ctx { chain: Rc::from(vec![self.sym.root_id]), class: None, self_name: None };
        self.module_exports(&ctx, out);
    }
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

    fn module_attrs(&self) -> Option<&ModuleAttrs> {
        Some(&self.module_attrs)
    }

    fn shape(&self, node: Node<'t>, ctx: &Ctx) -> Shape<'t> {
        let field = |f: &'static str| node.field(f);
        let children = || {
            let mut cursor = node.walk();
            let c: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
            c
        };
        match node.kind() {
            "identifier" => {
                let name = self.text(node);
                if ctx.class.is_some() && ctx.self_name.as_deref() == Some(name) {
                    Shape::This
                } else {
                    Shape::Name(name)
                }
            }
            "attribute" => match (field("object"), field("attribute")) {
                (Some(o), Some(a)) => Shape::Member(o, self.text(a)),
                _ => Shape::Unknown,
            },
            // `super()` and `super(Cls, self)` in a method.
            "call" if ctx.class.is_some() && field("function").is_some_and(|f| self.text(f) == "super") => Shape::Super,
            // `getattr(client.chat.completions, "create")`, or with a name chosen at run time.
            "call" if field("function").is_some_and(|f| self.text(f) == "getattr") => {
                let args: Vec<Node<'t>> = match field("arguments") {
                    Some(a) => {
                        let mut cursor = a.walk();
                        let list = a.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
                        list
                    }
                    None => Vec::new(),
                };
                match (args.first(), args.get(1)) {
                    (Some(&object), Some(&name)) if object.kind() != "keyword_argument" => {
                        Shape::Member(object, self.literal_name(name).unwrap_or(super::path::ANY_MEMBER))
                    }
                    _ => Shape::Unknown,
                }
            }
            // `dict(base_url=..., api_key=...)`: a dict whose entries are the keyword arguments.
            "call" if field("function").is_some_and(|f| self.is_builtin(f, "dict", ctx)) => {
                field("arguments").map_or(Shape::Unknown, Shape::Object)
            }
            "call" => {
                // `importlib.import_module("openai")`, `attempt_import_or_raise("openai")`: the module.
                if let Some(module) = self.run_time_import(node) {
                    return Shape::Load(module);
                }
                match field("function") {
                    Some(callee) => Shape::Call { callee, args: field("arguments"), new: false, chain: Vec::new() },
                    None => Shape::Unknown,
                }
            }
            "await" | "parenthesized_expression" => node.named_child(0).map_or(Shape::Unknown, Shape::Inner),
            // `CLIENTS["openai"]`, `FACTORIES[provider]`; a generic class with its type
            // arguments (`Agent[Context](...)`) is the class.
            "subscript" => match (field("value"), field("subscript")) {
                (Some(object), Some(index)) => Shape::Index {
                    object,
                    index,
                    generic: matches!(index.kind(), "identifier" | "attribute" | "subscript" | "none"),
                },
                _ => Shape::Unknown,
            },
            // `prompt | llm | parser` is a runnable of the model in it.
            "binary_operator" if field("operator").is_some_and(|o| self.text(o) == "|") => Shape::Pipeline(children()),
            "boolean_operator" => Shape::Either([field("left"), field("right")].into_iter().flatten().collect()),
            "conditional_expression" => {
                let c = children();
                Shape::Either([c.first().copied(), c.get(2).copied()].into_iter().flatten().collect())
            }
            "dictionary" => Shape::Object(node),
            // `{k: v for k, v in params.items() if v is not None}`: a filtered copy of
            // `params`, holding its entries.
            "dictionary_comprehension" => self.copied_dict(node).map_or(Shape::Unknown, Shape::Inner),
            _ => Shape::Unknown,
        }
    }

    fn text_shape(&self, v: Node<'t>, ctx: &Ctx) -> Text<'t> {
        let field = |f: &'static str| v.field(f);
        if matches!(v.kind(), "identifier" | "attribute") {
            if let Some(s) = self.narrowed(v) {
                return Text::Lit(s);
            }
        }
        match v.kind() {
            "string" => plain_string(v, self.src).map_or(Text::Unknown, Text::Lit),
            "parenthesized_expression" => v.named_child(0).map_or(Text::Unknown, Text::Inner),
            "boolean_operator" if field("operator").is_some_and(|o| self.text(o) == "or") => {
                field("right").map_or(Text::Unknown, Text::Fallback)
            }
            "binary_operator" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Text::Concat(l, r),
                    _ => Text::Unknown,
                }
            }
            "conditional_expression" => {
                let mut cursor = v.walk();
                let parts: Vec<Node<'t>> = v.named_children(&mut cursor).collect();
                match (parts.first(), parts.get(2)) {
                    (Some(a), Some(b)) => Text::Either(*a, *b),
                    _ => Text::Unknown,
                }
            }
            // `os.getenv("X", "https://...")`, `credentials.get("base_url", "https://...")`:
            // the default wherever the variable or key is unset.
            "call" if self.env_var(v, ctx, 0).is_some() || self.read_default(v, ctx).is_some() => {
                self.read_default(v, ctx).map_or(Text::Unknown, Text::Fallback)
            }
            // `Field("https://...", description=...)`, `Field(default=...)`: pydantic's default.
            "call" if self.is_pydantic_field(v, ctx) => {
                let args = field("arguments").map(|a| self.arg_nodes(a)).unwrap_or_default();
                let default = args.iter().find(|(k, _)| matches!(k, None | Some("default"))).map(|(_, n)| *n);
                default.map_or(Text::Unknown, Text::Fallback)
            }
            "identifier" => Text::Name(self.text(v), v.start_byte()),
            "attribute" => match (field("object"), field("attribute")) {
                (Some(o), Some(a)) if ctx.self_name.as_deref() == Some(self.text(o)) => Text::Field(self.text(a)),
                (Some(o), Some(a)) => Text::Member(o, self.text(a).to_string()),
                _ => Text::Unknown,
            },
            "subscript" => match (field("value"), field("subscript")) {
                (Some(o), Some(i)) => match self.string_lit(i) {
                    Some(key) => Text::Member(o, key),
                    // `URLS[model]`: any entry.
                    None if matches!(i.kind(), "identifier" | "attribute" | "subscript" | "call") => Text::AnyEntry(o),
                    None => Text::Unknown,
                },
                _ => Text::Unknown,
            },
            _ => Text::Unknown,
        }
    }

    fn pieces(&self, v: Node<'t>) -> Pieces<'t> {
        let field = |f: &'static str| v.field(f);
        match v.kind() {
            "string" => {
                let mut parts = Vec::new();
                let mut cursor = v.walk();
                for c in v.named_children(&mut cursor) {
                    parts.push(match c.kind() {
                        "string_content" => Piece::Text(self.text(c).to_string()),
                        "interpolation" => Piece::Hole(c.field("expression").or_else(|| c.named_child(0))),
                        _ => continue,
                    });
                }
                Pieces::Parts(parts)
            }
            "binary_operator" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Pieces::Plus(l, r),
                    _ => Pieces::Unknown,
                }
            }
            "parenthesized_expression" => v.named_child(0).map_or(Pieces::Unknown, Pieces::Inner),
            // `f"{base}{path}" if path.startswith("/") else f"{base}/{path}"`: either branch.
            "conditional_expression" => {
                let mut cursor = v.walk();
                let parts: Vec<Node<'t>> = v.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
                match (parts.first(), parts.get(2)) {
                    (Some(a), Some(b)) => Pieces::Branches(vec![*a, *b]),
                    _ => Pieces::Unknown,
                }
            }
            "identifier" => Pieces::Name(self.text(v), v.start_byte()),
            // `str(url)`: the URL itself.
            "call" if field("function").is_some_and(|f| self.text(f) == "str") => {
                field("arguments").and_then(|a| a.named_child(0)).map_or(Pieces::Unknown, Pieces::Inner)
            }
            // `urljoin(base, path)`.
            "call"
                if field("function")
                    .is_some_and(|f| matches!(self.text(f), "urljoin" | "parse.urljoin" | "urllib.parse.urljoin")) =>
            {
                let args = field("arguments");
                match (args.and_then(|a| a.named_child(0)), args.and_then(|a| a.named_child(1))) {
                    (Some(base), Some(rel)) => Pieces::Url(rel, Some(base)),
                    _ => Pieces::Unknown,
                }
            }
            // `"/".join([base, path])`.
            "call" if self.joined(v).is_some() => self.joined(v).map_or(Pieces::Unknown, Pieces::Parts),
            // `"{}/chat/completions".format(base)`, `"{base}/v1".format(base=url)`.
            "call" if self.formatted(v).is_some() => self.formatted(v).map_or(Pieces::Unknown, Pieces::Parts),
            // `"%s/chat/completions" % base`, `"%s/%s" % (base, path)`.
            "binary_operator" if field("operator").is_some_and(|o| self.text(o) == "%") => {
                let Some(format) = field("left").and_then(|l| plain_string(l, self.src)) else {
                    return Pieces::Unknown;
                };
                let Some(right) = field("right") else { return Pieces::Unknown };
                let args: Vec<Node<'t>> = if right.kind() == "tuple" {
                    let mut cursor = right.walk();
                    let list = right.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
                    list
                } else {
                    vec![right]
                };
                Pieces::Parts(super::template::printf(&format, &args))
            }
            "call" => field("function").map_or(Pieces::Unknown, |f| Pieces::Call(f, field("arguments"))),
            _ => Pieces::Unknown,
        }
    }

    fn params(&self, def: Node<'t>) -> Vec<&'t str> {
        let Some(params) = def.field("parameters") else { return Vec::new() };
        let mut cursor = params.walk();
        let list: Vec<Node<'t>> = params.named_children(&mut cursor).collect();
        let mut names: Vec<&'t str> = list
            .into_iter()
            .filter_map(|p| {
                let n = match p.kind() {
                    "identifier" => Some(p),
                    "typed_parameter" | "default_parameter" | "typed_default_parameter" => {
                        p.field("name").or_else(|| p.named_child(0))
                    }
                    _ => None,
                };
                n.filter(|n| n.kind() == "identifier").map(|n| self.text(n))
            })
            .collect();
        if names.first().is_some_and(|n| matches!(*n, "self" | "cls")) {
            names.remove(0);
        }
        names
    }

    fn arg_nodes(&self, args: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        let mut cursor = args.walk();
        let list: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
        list.into_iter()
            .filter_map(|a| match a.kind() {
                "keyword_argument" => Some((Some(self.text(a.field("name")?)), a.field("value")?)),
                "comment" | "list_splat" | "dictionary_splat" => None,
                _ => Some((None, a)),
            })
            .collect()
    }

    fn tuple_items(&self, n: Node<'t>) -> Vec<Node<'t>> {
        let n = if n.kind() == "parenthesized_expression" { n.named_child(0).unwrap_or(n) } else { n };
        if !matches!(n.kind(), "expression_list" | "tuple") {
            return Vec::new();
        }
        let mut cursor = n.walk();
        let items: Vec<Node<'t>> = n.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect();
        items
    }

    fn entries(&self, dict: Node<'t>) -> Vec<Entry<'t>> {
        let mut cursor = dict.walk();
        let items: Vec<Node<'t>> = dict.named_children(&mut cursor).collect();
        items
            .into_iter()
            .filter_map(|p| match p.kind() {
                "pair" => Some(Entry::Pair(plain_string(p.field("key")?, self.src)?, p.field("value")?)),
                // `dict(base_url=..., **other)`: the arguments of the call are its entries.
                "keyword_argument" => Some(Entry::Pair(self.text(p.field("name")?).to_string(), p.field("value")?)),
                "dictionary_splat" => Some(Entry::Spread(p.named_child(0)?)),
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

    /// Client and model objects among the arguments are resolved only for calls into an
    /// SDK, where a rule may read them.
    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, callee: &Path) -> CallArgs {
        self.keyword_args(args, ctx, depth, self.is_vendor_path(callee))
    }

    fn env_read(&self, n: Node<'t>, ctx: &Ctx, depth: u32) -> Option<String> {
        self.env_var(n, ctx, depth).map(|(name, _)| name)
    }

    fn module_root(&self, spec: &str) -> Path {
        Path::from_dotted(spec)
    }

    /// A `@property` reads like an attribute: its value is what it returns.
    fn is_getter(&self, def: Node<'t>) -> bool {
        self.has_decorator(def, "property")
    }

    /// pydantic-settings fills a field from the environment variable named after it, with the
    /// class's `env_prefix`, or from its `alias`/`validation_alias` (no prefix then; v1: `env=`),
    /// case-insensitively; a default is used when the variable is unset
    /// (https://docs.pydantic.dev/latest/concepts/pydantic_settings/, "Usage" and
    /// "Environment variable names").
    fn settings_env(&self, class: usize, name: &str, depth: u32) -> Option<String> {
        let chain = self.settings_chain(class, depth)?;
        let field = chain.iter().find_map(|c| self.sym.classes.get(c)?.attrs.get(name))?;
        let alias = field.iter().find_map(|b| match &b.bind {
            Bind::Expr(v, _) => self.literal_option(*v, &["validation_alias", "alias", "env"]),
            _ => None,
        });
        if let Some(alias) = alias {
            return Some(alias.to_ascii_uppercase());
        }
        let prefix = chain.iter().find_map(|c| self.env_prefix(*c)).unwrap_or_default();
        Some(format!("{prefix}{name}").to_ascii_uppercase())
    }

    fn special(&self, b: &Bind<'t>, depth: u32) -> Option<Val<'t>> {
        match b {
            Bind::Fixture(name) => self.fixture(name, depth),
            _ => None,
        }
    }

    fn first_arg(&self, args: Node<'t>) -> Option<Node<'t>> {
        let first = args.named_child(0)?;
        if first.kind() == "keyword_argument" {
            first.field("value")
        } else {
            Some(first)
        }
    }

    fn call_parts(&self, call: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        Some((call.field("function")?, call.field("arguments")))
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

    /// A call on a receiver nothing in the file resolves: see `common::infer_operation`.
    fn inferred_call(&mut self, node: Node<'t>, f: Node<'t>, out: &mut FileOutput) -> Option<String> {
        let mut names: Vec<&'t str> = Vec::new();
        let mut cur = f;
        while cur.kind() == "attribute" {
            names.push(self.text(cur.field("attribute")?));
            cur = cur.field("object")?;
        }
        let base = if cur.kind() == "identifier" { self.text(cur) } else { "" };
        names.reverse();
        // An LLM request names its model or messages; an SMS `messages.create(body=...)` does not.
        let llm_shaped = node.field("arguments").is_some_and(|a| {
            let mut cursor = a.walk();
            let found = a.named_children(&mut cursor).any(|k| {
                k.kind() == "keyword_argument"
                    && k.field("name").is_some_and(|n| {
                        matches!(self.text(n), "model" | "messages" | "modelId" | "model_id" | "contents" | "input")
                    })
            });
            found
        });
        let built: Vec<String> = self.sym.clients.iter().map(|(d, _)| d.clone()).collect();
        let (def, op) = common::infer_operation(self.rules, LANG, &names, base, out, &built, llm_shaped)?;
        self.emit(out, node, emit::inferred_call(self.rules, def, op));
        Some(def.vendor.clone())
    }
}

/// An attribute handed to someone else rather than called or read further: a call
/// argument, a keyword argument's value, or a returned value.
fn is_passed_on<'t>(node: Node<'t>, [parent, grand]: Up<'t>, src: &str) -> bool {
    let Some(parent) = parent else { return false };
    match parent.kind() {
        // Looked at, not called: `getattr(client.chat.completions.create, "__wrapped__")`,
        // `inspect.signature(client.messages.create)`.
        "argument_list" => !grand
            .and_then(|call| call.field("function"))
            .is_some_and(|f| INTROSPECTION.contains(&&src[f.byte_range()])),
        "return_statement" => true,
        "keyword_argument" => parent.field("value") == Some(node),
        _ => false,
    }
}

/// Builtins and helpers that look at a function without calling it.
const INTROSPECTION: &[&str] = &[
    "getattr",
    "hasattr",
    "setattr",
    "isinstance",
    "callable",
    "id",
    "type",
    "repr",
    "print",
    "inspect.signature",
    "inspect.iscoroutinefunction",
    "asyncio.iscoroutinefunction",
];

/// Which argument of a call of `callee` names an environment variable: `os.getenv("X")`,
/// and LangChain's helpers (langchain_core/utils/env.py: `get_from_dict_or_env(data, key,
/// env_key, default=None)`, `get_from_env(key, env_key, default=None)`), whose `default` is
/// the argument after it.
fn env_argument(callee: &str) -> Option<usize> {
    let name = callee.rsplit('.').next().unwrap_or_default();
    let langchain = ["langchain_core.", "langchain.", "langchain_community."].iter().any(|p| callee.starts_with(p));
    match callee {
        "os.getenv" | "os.environ.get" | "os.environ.setdefault" | "os.getenvb" => Some(0),
        _ if langchain && name == "get_from_dict_or_env" => Some(2),
        _ if langchain && name == "get_from_env" => Some(1),
        _ => None,
    }
}

/// For `import a.b.c`, the full dotted name (the binding is only `a`).
fn full_import_name<'t>(a: &Analyzer<'t, '_>, node: Node<'t>, first: &str) -> String {
    let mut cursor = node.walk();
    for item in node.children_by_field_name("name", &mut cursor) {
        let name = match item.kind() {
            "aliased_import" => item.field("name").map(|n| a.text(n)),
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

fn dotted(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '\\').collect()
}

/// Whether the string whose parent and grandparent are `up` is a docstring (alone, or
/// concatenated, in an expression statement).
fn is_docstring([parent, grand]: Up<'_>) -> bool {
    let statement = match parent {
        Some(p) if p.kind() == "concatenated_string" => grand,
        p => p,
    };
    statement.is_some_and(|p| p.kind() == "expression_statement" && p.named_child_count() == 1)
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
