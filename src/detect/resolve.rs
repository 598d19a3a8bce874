//! The resolver: one symbol table and one set of resolution rules for every front end built
//! on tree-sitter (Python, JavaScript/TypeScript, and the languages to come).
//!
//! A front end *lowers* its syntax: pass 1 fills [`Symbols`] (scopes and their bindings,
//! classes with fields, methods and bases, functions with their returns), and during
//! resolution it says what each expression node is through a few small views: [`Shape`]
//! (a name, a member, a call, an index, alternatives, an object literal...), [`Text`] (how a
//! string is built) and [`Pieces`] (a template with holes). Everything else is written here,
//! once, as the provided methods of [`Front`]: lookup with shadowing, the value of a binding,
//! class members through bases, what a function returns, object literals and tables indexed
//! at run time, the strings and URL patterns arguments hold, and what a call node is (a
//! client construction, an SDK operation, a raw HTTP request, a call through a module of the
//! tree). Resolution is memoised per binding and per function and draws from the file's
//! [`Budget`], so it ends, and in time linear in the file.

use super::budget::{self, Budget, Memo, Positioned};
use super::emit::{self, Emit};
use super::http;
use super::inherit;
use super::matcher::{self, ModuleAttrs, Served};
use super::params;
use super::path::{ArgValue, CallArgs, Path, Seg, HOLE, SELF_HOSTED};
use super::tables::{self, Matched, Resolved, Tables};
use super::{FileOutput, LineIndex, LocalModules, ModuleStrings, ModuleValue, PendingCall, Span};
use crate::ecosystem::Ecosystem;
use crate::rules::{Interface, RuleSet};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use tree_sitter::Node;

/// Where an expression is evaluated: the scope chain (outermost first), the class whose
/// instance `this`/`self` is, and the name `self` has in a Python method.
#[derive(Clone)]
pub struct Ctx {
    /// Scope ids (node ids of the module, functions and blocks that open scopes).
    pub chain: Rc<[usize]>,
    /// The enclosing class.
    pub class: Option<usize>,
    /// The name of the instance parameter (`self`), where the language names it.
    pub self_name: Option<Rc<str>>,
}

impl Ctx {
    /// The module scope.
    pub fn module(root: usize) -> Ctx {
        Ctx { chain: Rc::from(vec![root]), class: None, self_name: None }
    }

    /// A scope opened by node `id` inside this one.
    pub fn enter(&self, id: usize) -> Ctx {
        let mut chain = self.chain.to_vec();
        chain.push(id);
        Ctx { chain: Rc::from(chain), class: self.class, self_name: self.self_name.clone() }
    }

    /// The innermost scope.
    pub fn scope(&self) -> usize {
        *self.chain.last().expect("a chain holds the module")
    }
}

/// The key of a value memoised per node, depth and context: node id, the depth it is asked
/// at (what is left of the depth bound decides what is found), scope chain, class, `self`.
pub type EnvKey = (usize, u32, Rc<[usize]>, Option<usize>, Option<Rc<str>>);

/// What a name is bound to.
#[derive(Clone)]
pub enum Bind<'t> {
    /// An import: the canonical path.
    Import(Path),
    /// An assigned value.
    Expr(Node<'t>, Ctx),
    /// A type annotation: an instance of the type.
    Annot(Node<'t>, Ctx),
    /// A function declaration.
    Func(Node<'t>),
    /// A class declaration (its id).
    Class(usize),
    /// `const { a: b } = expr`: `b` is `expr.a`.
    Member(Node<'t>, Ctx, String),
    /// A value whose path is known without resolving (a parameter typed by a type another
    /// module declares).
    Typed(Path),
    /// A type written in a JSDoc comment, and the id of the node it is bound at (the memo
    /// key). Resolved by the front end ([`Front::special`]).
    Doc(String, Ctx, usize),
    /// A type annotation read where an options object gives the instance its settings.
    /// Resolved by the front end.
    AnnotIn(Node<'t>, Ctx, Node<'t>),
    /// A test parameter named after a pytest fixture. Resolved by the front end.
    Fixture(String),
}

/// A binding at a byte position.
#[derive(Clone)]
pub struct Binding<'t> {
    /// Where it takes effect.
    pub pos: usize,
    /// What it binds.
    pub bind: Bind<'t>,
}

impl Positioned for Binding<'_> {
    fn pos(&self) -> usize {
        self.pos
    }
}

/// A class: attributes assigned in its body or through `this`/`self`, methods, bases.
#[derive(Default)]
pub struct ClassInfo<'t> {
    /// Fields and attributes, by name.
    pub attrs: HashMap<String, Vec<Binding<'t>>>,
    /// Methods, by name.
    pub methods: HashMap<String, Node<'t>>,
    /// Base classes, as written, with the scope they are read in.
    pub bases: Vec<(Node<'t>, Ctx)>,
    /// Interfaces the class implements where the language writes them apart from its base
    /// class (Java's `implements ChatModel`), with the scope they are read in.
    pub interfaces: Vec<(Node<'t>, Ctx)>,
    /// The arguments the constructor passes to the base's (`super({ configuration: { baseURL } })`,
    /// `super().__init__(base_url=...)`): an SDK base is built with them.
    pub super_args: Option<(Node<'t>, Ctx)>,
    /// Declared abstract: never an instance of its own, only of its subclasses.
    pub is_abstract: bool,
}

/// A function: what its `return`s give and its declared return type.
#[derive(Default)]
pub struct FuncInfo<'t> {
    /// Returned expressions (an arrow function's body expression included).
    pub returns: Vec<(Node<'t>, Ctx)>,
    /// The return type annotation.
    pub annotation: Option<(Node<'t>, Ctx)>,
    /// The class it is a method of.
    pub class: Option<usize>,
}

/// The value of an expression.
#[derive(Clone)]
pub enum Val<'t> {
    /// A path rooted at an import (an SDK module, a module of the tree, a global).
    Path(Path),
    /// A local function.
    Func(Node<'t>),
    /// A local class.
    Class(usize),
    /// An instance of a local class.
    Instance(usize),
    /// An object or dict literal: its properties are resolved where read.
    Object(Node<'t>, Ctx),
}

/// The symbol table of one file, and the state resolution keeps.
pub struct Symbols<'t> {
    /// Bindings per scope id, per name, sorted by position once collected.
    pub scopes: HashMap<usize, HashMap<String, Vec<Binding<'t>>>>,
    /// Classes by id.
    pub classes: HashMap<usize, ClassInfo<'t>>,
    /// Functions by node id.
    pub funcs: HashMap<usize, FuncInfo<'t>>,
    /// The module's node id.
    pub root_id: usize,
    /// Memoised function results.
    pub results: Memo<usize, Val<'t>>,
    /// Memoised binding values, by (node id, kind of binding).
    pub bindings: Memo<(usize, u8), Val<'t>>,
    /// Memoised answers of [`Front::env_value`], by node, depth and context: one question
    /// branches through bindings, alternatives and arguments that meet again (a name bound
    /// in several branches to values built from one variable), and without the memo each
    /// meeting is walked again, exponentially in the depth.
    pub envs: Memo<EnvKey, String>,
    /// Memoised answers of [`Front::pattern_value`], keyed as [`Symbols::envs`]: a URL built
    /// from calls of calls is asked again from every argument list it is nested in.
    pub patterns: Memo<EnvKey, ArgValue>,
    /// The file's resolution budget: every path into resolution draws from it.
    pub budget: Budget,
    /// Tables indexed by a run-time key (see [`super::tables`]).
    pub tables: Tables,
    /// (client definition vendor, served) of every construction found.
    pub clients: Vec<(String, Served)>,
    /// Argument values of the local functions whose result is being evaluated as a string
    /// ([`Front::call_value`]): the function's node id and its parameters' values.
    pub frames: RefCell<Vec<(usize, HashMap<String, ArgValue>)>>,
    /// Constructors being probed ([`Front::probed`]): the constructor's node id and, by
    /// parameter name, the key its value stands for ([`params::probe_path`]).
    pub probes: RefCell<Vec<(usize, HashMap<String, String>)>>,
    /// The classes of the file that extend each class and pass values up to it, computed once.
    pub subclasses: RefCell<Option<HashMap<usize, Vec<usize>>>>,
    /// The class probed for what subclasses of other modules give it ([`inherit`]).
    pub inheriting: std::cell::Cell<Option<usize>>,
    /// The fields whose assignments [`Front::field_alternative`] is weighing (class id,
    /// field): an assignment that reads the field again, under another receiver name
    /// (`cs.messages = append(cs.messages, m)` beside `c.messages = append(c.messages, m)`),
    /// finds it in progress instead of weighing them all again.
    pub weighing: RefCell<Vec<(usize, String)>>,
    /// Constructions of a framework model interface's implementations found (`OpenAiChatModel
    /// .builder()...build()`), exported for the calls through the interface in the project
    /// ([`super::IMPLEMENTATION`]).
    pub built: RefCell<Vec<(String, Path)>>,
    /// The classes whose constructor's `super(...)` arguments are being read
    /// ([`Front::class_member`]): an argument that reads a member of the class again (a
    /// parameter rebound after the call, `lang = self.lang_map.get(lang)`) finds it in
    /// progress instead of reading the arguments again, one level deeper each time.
    pub passing: RefCell<Vec<usize>>,
    /// The subclasses whose base's constructor is being probed for them ([`Front::class_member`]):
    /// `self` in the base's methods is then that subclass's instance, not one of the base's
    /// subclasses chosen at run time ([`Front::this_instance`]).
    pub instances: RefCell<Vec<usize>>,
}

impl<'t> Symbols<'t> {
    /// An empty table for the module whose root node has id `root_id`.
    pub fn new(root_id: usize) -> Symbols<'t> {
        Symbols {
            scopes: HashMap::new(),
            classes: HashMap::new(),
            funcs: HashMap::new(),
            root_id,
            results: Memo::default(),
            bindings: Memo::default(),
            envs: Memo::default(),
            patterns: Memo::default(),
            budget: Budget::default(),
            tables: Tables::default(),
            clients: Vec::new(),
            frames: RefCell::new(Vec::new()),
            probes: RefCell::new(Vec::new()),
            subclasses: RefCell::new(None),
            inheriting: std::cell::Cell::new(None),
            weighing: RefCell::new(Vec::new()),
            built: RefCell::new(Vec::new()),
            passing: RefCell::new(Vec::new()),
            instances: RefCell::new(Vec::new()),
        }
    }

    /// Binds `name` in the innermost scope of `ctx`.
    pub fn bind(&mut self, ctx: &Ctx, name: &str, pos: usize, bind: Bind<'t>) {
        let scope = ctx.scope();
        self.scopes.entry(scope).or_default().entry(name.to_string()).or_default().push(Binding { pos, bind });
    }

    /// Binds attribute `name` of class `class`.
    pub fn bind_attr(&mut self, class: usize, name: &str, pos: usize, bind: Bind<'t>) {
        self.classes.entry(class).or_default().attrs.entry(name.to_string()).or_default().push(Binding { pos, bind });
    }

    /// Sorts every list of bindings once, after pass 1.
    pub fn sort(&mut self) {
        budget::sort_bindings(self.scopes.values_mut().flat_map(|s| s.values_mut()));
        budget::sort_bindings(self.classes.values_mut().flat_map(|c| c.attrs.values_mut()));
    }

    /// The bindings of `name` a read at `pos` in `ctx` may see: those of the innermost scope
    /// that binds it ([`budget::candidates`]).
    pub fn lookup(&self, name: &str, ctx: &Ctx, pos: usize) -> Vec<&Binding<'t>> {
        let mut found = Vec::new();
        for (i, scope) in ctx.chain.iter().rev().enumerate() {
            let Some(binds) = self.scopes.get(scope).and_then(|s| s.get(name)) else { continue };
            found.extend(budget::candidates(binds, if i == 0 { Some(pos) } else { None }));
            // A read before every binding of its own scope (`let client = &client;` reads
            // the one outside) also tries the enclosing scopes' bindings, after these.
            if i > 0 || binds.iter().any(|b| b.pos < pos) {
                break;
            }
        }
        found
    }

    /// The value of parameter `name` where `ctx` is inside the function whose result is
    /// being evaluated.
    pub fn argument(&self, name: &str, ctx: &Ctx) -> Option<ArgValue> {
        let frames = self.frames.borrow();
        let (func, values) = frames.last()?;
        if !ctx.chain.contains(func) {
            return None;
        }
        values.get(name).cloned()
    }

    /// The path parameter `name` stands for where `ctx` is inside the constructor being
    /// probed ([`Front::probed`]), unless a scope inside the constructor binds it again.
    pub fn probe(&self, name: &str, ctx: &Ctx) -> Option<Path> {
        let probes = self.probes.borrow();
        let (func, keys) = probes.last()?;
        let key = keys.get(name)?;
        let at = ctx.chain.iter().position(|s| s == func)?;
        let rebound = ctx.chain[at + 1..].iter().any(|s| self.scopes.get(s).is_some_and(|sc| sc.contains_key(name)));
        (!rebound).then(|| params::probe_path(key))
    }

    /// Whether no scope of the file binds `name` (a global).
    pub fn unbound_everywhere(&self, name: &str) -> bool {
        !self.scopes.values().any(|sc| sc.contains_key(name))
    }

    /// Forgets memoised values (computed under other assumptions).
    pub fn forget(&self) {
        self.results.clear();
        self.bindings.clear();
        self.envs.clear();
        self.patterns.clear();
    }

    /// Whether a value computed now holds wherever it is asked again: not while a function's
    /// parameters are bound to one call's arguments or a constructor or class is probed.
    fn settled(&self) -> bool {
        self.frames.borrow().is_empty() && self.probes.borrow().is_empty() && self.inheriting.get().is_none()
    }
}

/// What every front end holds: its source and rules, and the symbol table it fills. A
/// front end's analyzer dereferences to it, so `self.rules` and `self.sym` read alike in
/// every language.
pub struct Core<'t> {
    /// The source.
    pub src: &'t str,
    /// The rules.
    pub rules: &'t RuleSet,
    /// The file's line index.
    pub lines: LineIndex,
    /// The modules of the scanned tree.
    pub locals: &'t LocalModules,
    /// The ecosystem whose rules apply.
    pub ecosystem: Ecosystem,
    /// The symbol table and resolution state.
    pub sym: Symbols<'t>,
    /// The tree's root.
    pub root: Node<'t>,
    /// The nodes around each binding node asked for ([`Core::ancestry`]).
    ancestries: RefCell<HashMap<usize, Rc<Ancestry<'t>>>>,
    /// How many modules deep string constants imported from modules of the tree are
    /// followed ([`LocalModules::module_string`]): none in a module read for its constants,
    /// so one read never causes another.
    pub level: u8,
}

/// The modules deep a file's imported string constants are followed: its imports, and
/// what they re-export.
pub const STRING_LEVELS: u8 = 2;

impl<'t> Core<'t> {
    /// The text of a node (for use while the symbol table is borrowed mutably).
    pub fn text_at(&self, n: Node<'t>) -> &'t str {
        &self.src[n.byte_range()]
    }

    /// The state of a file about to be collected, whose tree's root is `root`.
    pub fn new(
        src: &'t str,
        rules: &'t RuleSet,
        locals: &'t LocalModules,
        ecosystem: Ecosystem,
        root: Node<'t>,
    ) -> Self {
        Core {
            src,
            rules,
            lines: LineIndex::new(src),
            locals,
            ecosystem,
            sym: Symbols::new(root.id()),
            root,
            ancestries: RefCell::default(),
            level: STRING_LEVELS,
        }
    }

    /// The nodes around node `n` ([`Ancestry::of`]), computed once per node: a binding is
    /// weighed against every read of its name.
    pub fn ancestry(&self, n: Node<'t>) -> Rc<Ancestry<'t>> {
        if let Some(a) = self.ancestries.borrow().get(&n.id()) {
            return a.clone();
        }
        let a = Rc::new(Ancestry::of(self.root, n));
        self.ancestries.borrow_mut().insert(n.id(), a.clone());
        a
    }
}

/// What an expression node is, as far as resolution cares.
pub enum Shape<'t> {
    /// A name to look up.
    Name(&'t str),
    /// `this`, or `self` in a method: the instance of the enclosing class.
    This,
    /// `super` (`super()` in Python): the enclosing class's base, as an instance.
    Super,
    /// `object.name`.
    Member(Node<'t>, &'t str),
    /// `object[index]`. `generic`: when `object` is no table, the value is `object`'s (a
    /// generic type with its arguments, `Agent[Context]`).
    Index {
        /// The indexed expression.
        object: Node<'t>,
        /// The index.
        index: Node<'t>,
        /// Whether the index may be a type argument.
        generic: bool,
    },
    /// A call (`new` included): the callee, the argument list, and, for runnable chains
    /// (`prompt.pipe(llm)`), the operands whose model the result is.
    Call {
        /// The callee.
        callee: Node<'t>,
        /// The argument list.
        args: Option<Node<'t>>,
        /// A `new` expression (calling a local function with `new` gives nothing known).
        new: bool,
        /// Operands of a runnable chain, tried first.
        chain: Vec<Node<'t>>,
    },
    /// A module loaded by a call (`require("openai")`, `await import("openai")`).
    Load(String),
    /// The value of the inner expression (parentheses, `await`, casts).
    Inner(Node<'t>),
    /// One of several values (`a || b`, `a ?? b`, `a or b`, the branches of a conditional).
    Either(Vec<Node<'t>>),
    /// A runnable pipeline (`prompt | llm | parser`): the model in it.
    Pipeline(Vec<Node<'t>>),
    /// An object or dict literal.
    Object(Node<'t>),
    /// A function expression.
    Function(Node<'t>),
    /// Nothing resolution follows.
    Unknown,
}

/// How an expression builds a string.
pub enum Text<'t> {
    /// A literal.
    Lit(String),
    /// The inner expression's.
    Inner(Node<'t>),
    /// The non-empty fallback of `a || "x"`, `a ?? "x"`, `a or "x"`, `os.getenv("X", "x")`:
    /// the value wherever configuration does not override it.
    Fallback(Node<'t>),
    /// `a + b` with both sides known.
    Concat(Node<'t>, Node<'t>),
    /// The branches of a conditional: the one a proprietary host names ([`matcher::either_value`]).
    Either(Node<'t>, Node<'t>),
    /// A name bound to one of these.
    Name(&'t str, usize),
    /// A field of the instance (`this.baseURL`, `self.base_url`) every assignment agrees on.
    Field(&'t str),
    /// A property of an object, a class, an enum or an imported module (`Moonshot.ChatPath`,
    /// `constants.BASE_URL`, `PATHS["chat"]`).
    Member(Node<'t>, String),
    /// An entry of a table read with a key known only at run time (`URLS[model]`): the
    /// value when every entry names the same host.
    AnyEntry(Node<'t>),
    /// Not a string the code spells.
    Unknown,
}

/// One part of a template.
pub enum Piece<'t> {
    /// Literal text.
    Text(String),
    /// An interpolated expression.
    Hole(Option<Node<'t>>),
    /// A name read at a byte position with no node of its own (Rust's inline format
    /// arguments, `format!("{base_url}/chat")`).
    Name(String, usize),
}

/// How an expression builds a string with holes (a request URL).
pub enum Pieces<'t> {
    /// A template or f-string.
    Parts(Vec<Piece<'t>>),
    /// `a + b`.
    Plus(Node<'t>, Node<'t>),
    /// `new URL(path, base)`.
    Url(Node<'t>, Option<Node<'t>>),
    /// `url.origin`: the scheme and host of the URL the expression is ([`http::origin`]).
    Origin(Node<'t>),
    /// A name bound to one of these.
    Name(&'t str, usize),
    /// The inner expression's.
    Inner(Node<'t>),
    /// A call of a local function that builds one (`this._getEndpoint("chat/completions")`):
    /// the callee and the argument list.
    Call(Node<'t>, Option<Node<'t>>),
    /// `urlJoin(base, path, ...)`: the parts joined with one `/` between each.
    Join(Vec<Node<'t>>),
    /// The branches of an `if` chain or a `match`, one of which runs: the string they agree
    /// on, else the first one's when every branch is a URL of one vendor's API (the vendor is
    /// the same whichever runs).
    Branches(Vec<Node<'t>>),
    /// A format whose format string is any expression (.NET's `string.Format(Template,
    /// base, model)`, `Template` a constant; Java's `String.format(BASE_URL, resource)`): the
    /// format read, then each `{0}` the argument it numbers ([`super::template::braces`]), or
    /// with `printf` each `%s` the next argument ([`super::template::printf`]).
    Format(Node<'t>, Vec<Node<'t>>, Style),
    /// None of these.
    Unknown,
}

/// How a [`Pieces::Format`] string marks its arguments.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `{0}`, `{1}` (.NET composite format).
    Braces,
    /// `%s`, `%d` (printf).
    Printf,
}

/// Other branches' assignments of a name [`Front::pattern_value`] weighs beside the nearest.
const MAX_BRANCH_VALUES: usize = 4;

/// How deep in a value's reading the branches of a name are still weighed.
const MAX_BRANCH_DEPTH: u32 = 3;

/// The nodes from the root down to a position, each with the field its parent holds it
/// in: what [`Ancestry::exclusive`] compares. Built by descending with a cursor (tree-sitter's
/// `parent()` walks down from the root each time).
pub struct Ancestry<'t>(Vec<(Node<'t>, Option<&'static str>)>);

impl<'t> Ancestry<'t> {
    /// The nodes around node `n` of the tree under `root`, outermost first, down to `n`, each
    /// with the field its parent holds it in.
    pub fn of(root: Node<'t>, n: Node<'t>) -> Ancestry<'t> {
        let mut cursor = root.walk();
        let mut chain = vec![(root, None)];
        while cursor.node().id() != n.id() && cursor.goto_first_child_for_byte(n.start_byte()).is_some() {
            chain.push((cursor.node(), cursor.field_name()));
        }
        Ancestry(chain)
    }

    /// Whether a read at byte `pos` and the node this chain leads to lie in different
    /// branches of one conditional ([`Ancestry::exclusive`] with the read's chain, without
    /// descending the tree again: the read leaves this chain at the deepest of its nodes that
    /// holds `pos`, and only that node's children that hold each matter).
    pub fn exclusive_with(&self, pos: usize) -> bool {
        let holds = |n: &Node<'_>| n.start_byte() <= pos && pos < n.end_byte();
        let Some(i) = self.0.iter().rposition(|(n, _)| holds(n)) else { return false };
        let (parent, Some(mine)) = (self.0[i].0, self.0.get(i + 1)) else { return false };
        if !is_branch(parent, mine) {
            return false;
        }
        let mut cursor = parent.walk();
        if cursor.goto_first_child_for_byte(pos).is_none() {
            return false;
        }
        let read = (cursor.node(), cursor.field_name());
        read.0.id() != mine.0.id() && is_branch(parent, &read)
    }

    /// Whether this position and `other` lie in different branches of one conditional
    /// (`if`/`else`, the cases of a `switch` or `match`, the arms of a `when`), neither in its
    /// condition or an initialiser: at run time only one of them runs.
    pub fn exclusive(&self, other: &Ancestry<'t>) -> bool {
        let common = self.0.iter().zip(&other.0).take_while(|(a, b)| a.0.id() == b.0.id()).count();
        match (self.0.get(common), other.0.get(common)) {
            (Some(a), Some(b)) if common > 0 => {
                let parent = self.0[common - 1].0;
                is_branch(parent, a) && is_branch(parent, b)
            }
            _ => false,
        }
    }
}

/// Whether a node, held in `parent`'s `field`, is one branch of a conditional: the body an
/// `if` runs or its `else`, a case of a `switch`/`match`/`when`/`select`.
fn is_branch(parent: Node<'_>, (n, field): &(Node<'_>, Option<&'static str>)) -> bool {
    if matches!(field, Some("consequence" | "alternative")) {
        return true;
    }
    // Kotlin's `if` holds its two bodies in no field (only the condition has one).
    if field.is_none()
        && n.is_named()
        && parent.kind() == "if_expression"
        && parent.child_by_field_name("consequence").is_none()
    {
        return true;
    }
    let k = n.kind();
    k.contains("case")
        || k.ends_with("_arm")
        || k == "switch_section"
        || k == "when_entry"
        || k == "switch_default"
        || k == "switch_rule"
        || k == "switch_block_statement_group"
}

/// How many literals deep [`Front::spread_entries`] follows spreads (`{ ...a }`, `a = { ...b }`).
const SPREAD_LEVELS: u32 = 4;

/// How many levels of classes declared in a class [`Front::module_strings`] reads
/// (`ProviderSetting.OpenAI.baseUrl`: one).
const MAX_NESTED_CLASSES: u32 = 2;

/// Levels of subclasses [`Front::descends`] looks down (as `class_member` follows bases).
const MAX_INHERIT_LEVELS: usize = 5;

/// One entry of an object or dict literal.
pub enum Entry<'t> {
    /// `key: value`, `"key": value`.
    Pair(String, Node<'t>),
    /// `{ key }`: the name `key` in the literal's scope, read at the node.
    Shorthand(String, Node<'t>),
    /// `{ key() { ... } }`.
    Method(String, Node<'t>),
    /// `...other`, `**other`.
    Spread(Node<'t>),
}

/// A destructured parameter: each property's key and the local name it binds, and the name
/// of the rest (`{ baseURL, apiKey: key, ...rest }`).
pub type ParamProps<'t> = (Vec<(String, &'t str)>, Option<&'t str>);

/// A front end: the lowering a language provides, and resolution written once for all.
pub trait Front<'t> {
    // ------------------------------------------------------------ what the front end holds

    /// What every front end holds ([`Core`]).
    fn core(&self) -> &Core<'t>;
    /// The symbol table, to note clients.
    fn sym_mut(&mut self) -> &mut Symbols<'t>;
    /// The symbol table.
    fn sym(&self) -> &Symbols<'t> {
        &self.core().sym
    }
    /// The rules.
    fn rules(&self) -> &'t RuleSet {
        self.core().rules
    }
    /// The modules of the scanned tree.
    fn locals(&self) -> &'t LocalModules {
        self.core().locals
    }
    /// The ecosystem whose rules apply.
    fn ecosystem(&self) -> Ecosystem {
        self.core().ecosystem
    }
    /// The source.
    fn src(&self) -> &'t str {
        self.core().src
    }
    /// The file's line index (`&self.core.lines`).
    fn lines(&self) -> &LineIndex;
    /// Module attributes set in the file (`openai.api_base = ...`).
    fn module_attrs(&self) -> Option<&ModuleAttrs> {
        None
    }

    // ------------------------------------------------------------ the lowering

    /// What an expression is.
    fn shape(&self, n: Node<'t>, ctx: &Ctx) -> Shape<'t>;
    /// How an expression builds a string.
    fn text_shape(&self, n: Node<'t>, ctx: &Ctx) -> Text<'t>;
    /// How an expression builds a string with holes.
    fn pieces(&self, n: Node<'t>) -> Pieces<'t>;
    /// The items of a tuple a function returns (Python's `return url, headers`), in order;
    /// none for anything else.
    fn tuple_items(&self, _n: Node<'t>) -> Vec<Node<'t>> {
        Vec::new()
    }
    /// The entries of an object or dict literal, in source order.
    fn entries(&self, _obj: Node<'t>) -> Vec<Entry<'t>> {
        // A language without object or dict literals (Go, Java, Kotlin, C#, Rust) has none.
        Vec::new()
    }
    /// A plain string literal's text.
    fn string_lit(&self, n: Node<'t>) -> Option<String>;
    /// A type annotation as the value it describes.
    fn annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>>;
    /// The arguments of a call to `callee`.
    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, callee: &Path) -> CallArgs;
    /// The environment variable an expression reads.
    fn env_read(&self, n: Node<'t>, ctx: &Ctx, depth: u32) -> Option<String>;
    /// The canonical root of a module specifier.
    fn module_root(&self, spec: &str) -> Path;
    /// Whether a method reads like an attribute (a getter, a `@property`).
    fn is_getter(&self, method: Node<'t>) -> bool;
    /// The environment variable or configuration key a settings class fills its field `name`
    /// from, `name` also a getter of it (Python's pydantic `BaseSettings`, Java's Spring
    /// `@ConfigurationProperties`); `None` for any other class.
    fn settings_env(&self, _class: usize, _name: &str, _depth: u32) -> Option<String> {
        None
    }
    /// The properties written on local variable `name` (`settings.apiURL = "https://..."`) in
    /// the function around `at`, before it: (property, value, the value's scope), in written
    /// order. A front end that notes such writes answers; the others have none.
    fn assigned_props(&self, _name: &str, _ctx: &Ctx, _at: usize) -> Vec<(String, Node<'t>, Ctx)> {
        Vec::new()
    }
    /// The properties the code sets on the object `obj` names after making it
    /// (`client.BaseAddress = new Uri(url);`): (property, value, the value's scope), in
    /// written order. By default the properties written on a local before the read
    /// ([`Front::assigned_props`]); a front end whose fields are set in one method and read in
    /// another (a constructor or an `Initialize` method) adds a field's.
    fn written_members(&self, obj: Node<'t>, ctx: &Ctx) -> Vec<(String, Node<'t>, Ctx)> {
        match self.shape(obj, ctx) {
            Shape::Name(name) => self.assigned_props(name, ctx, obj.start_byte()),
            _ => Vec::new(),
        }
    }
    /// The value of a binding only this front end makes ([`Bind::Doc`], [`Bind::AnnotIn`],
    /// [`Bind::Fixture`]).
    fn special(&self, _b: &Bind<'t>, _depth: u32) -> Option<Val<'t>> {
        None
    }
    /// The context one of several values ([`Shape::Either`]) is read in: the scope its branch
    /// opens where the branch binds names of its own (a Rust `match` arm or `if let` binding
    /// what a variant carries, `Keys::Compatible(settings) => { let config = ..; .. }`), so a
    /// function's result read from outside sees them as the branch's own code does; `ctx`
    /// elsewhere.
    fn branch_ctx(&self, _branch: Node<'t>, ctx: &Ctx) -> Ctx {
        ctx.clone()
    }
    /// The value of a name no scope binds (a global).
    fn unbound(&self, _name: &str, _ctx: &Ctx) -> Option<Val<'t>> {
        None
    }
    /// The names under which other modules of the tree build class `class` through its
    /// builder (`MistralAiClient.builder().baseUrl(u).build()`, Java's qualified names of the
    /// class and of its bases): a call its instance makes from what the builder is given is
    /// linked with each builder chain ([`inherit::probed_call`]). None where a language builds
    /// no instances that way.
    fn built_names(&self, _class: usize) -> Vec<String> {
        Vec::new()
    }
    /// The paths a module's binding may be read under: `path` itself, and for Rust the same
    /// name through the module's glob re-exports (`pub use defaults::*`).
    fn module_paths(&self, path: &Path) -> Vec<Path> {
        vec![path.clone()]
    }
    /// The calls that may send the request object (rules/http.toml `[[request_object]]`) made
    /// by call `made` (Go's `client.Do(req)` after `req, err := http.NewRequest(..)`): where a
    /// language's request object is also a client's request (Go's `NewRequest`), a request
    /// sent by one of them is reported where it is sent, not where it is made
    /// ([`Front::sent_request`]). None where a language has no such calls.
    fn sends_of(&self, _made: Node<'t>, _ctx: &Ctx) -> Vec<Node<'t>> {
        Vec::new()
    }
    /// The calls made later, in the same body, on the variable call `made`'s result is
    /// assigned to, with their method names (`call.execute()` after `Call call =
    /// client.newCall(request);`): where an HTTP library's request returns what another
    /// method sends (rules/http.toml `sent_by`), the request is reported at that send
    /// ([`Front::sent_at`]). None by default.
    fn result_calls(&self, _made: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
        Vec::new()
    }
    /// The path a call through a class of the tree is linked under: Java's static methods
    /// (`HttpClientProvider.getClient().newCall(request)`, `OpenAIClient.getInstance()
    /// .streamChatCompletion(..)`) are exported as the class's members ([`super::SERVICE`]).
    /// The path itself by default.
    fn static_path(&self, callee: Path) -> Path {
        callee
    }
    /// The method a call of an object calls, where the language has one (Kotlin's `invoke`).
    fn call_operator(&self) -> Option<&'static str> {
        None
    }
    /// Whether `obj` names the language's package of string functions, which take the string
    /// as their first argument (Go's `strings`): [`Front::kept_string`] reads
    /// `strings.TrimSuffix(base, "/")` as `base`. None by default.
    fn string_package(&self, _obj: Node<'t>, _ctx: &Ctx) -> bool {
        false
    }
    /// Whether a path starts at a module of the tree that hides an installed package.
    fn is_shadowed(&self, _path: &Path) -> bool {
        false
    }
    /// The first argument of an argument list (the value of a keyword argument).
    fn first_arg(&self, args: Node<'t>) -> Option<Node<'t>> {
        args.named_child(0)
    }
    /// The names of a function's parameters, in order (`self`/`cls` of a method left out).
    fn params(&self, _def: Node<'t>) -> Vec<&'t str> {
        Vec::new()
    }
    /// Parameter `index` of a function when it is destructured (`{ baseURL, apiKey: key,
    /// ...rest }`): each property's key and the local name it binds, and the name of the
    /// rest. None by default.
    fn param_props(&self, _def: Node<'t>, _index: usize) -> Option<ParamProps<'t>> {
        None
    }
    /// The arguments of an argument list: keyword name (if any) and value.
    fn arg_nodes(&self, _args: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        Vec::new()
    }
    /// A call node's callee and argument list.
    fn call_parts(&self, call: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)>;

    /// Whether a binding made at node `bound` is out of sight where `read` reads its name,
    /// though both sit in one scope (Rust's `for` pattern names, bound only in the loop's
    /// body: a read after the loop is another binding's).
    fn out_of_sight(&self, _bound: Node<'t>, _read: Node<'t>) -> bool {
        false
    }

    /// The string a member nothing in sight sets is taken to hold (`self.config.base_url`
    /// typed in another file: the one default base URL the file spells; a generic
    /// parameter's associated constant: its implementors'), read on `obj` (`None`: the
    /// instance).
    fn unset_field(&self, _obj: Option<Node<'t>>, _name: &str) -> Option<String> {
        None
    }

    /// Whether a request [`Front::wrapped_request`] found is an HTTP library's own request
    /// method on a client nothing types (`self.provider.client.post(url)`), not the code's
    /// wrapper: reported as a request, without naming a wrapper.
    fn library_request(&self, _call: Node<'t>) -> bool {
        false
    }
    /// A call that registers a service on a builder and returns the builder (`.NET`'s
    /// `builder.AddOpenAIChatCompletion(...)`): the builder, whose earlier registrations the
    /// result still holds. None by default.
    fn adds_to(&self, _call: Node<'t>) -> Option<Node<'t>> {
        None
    }
    /// A call that asks a service container for a service by type (`sp.GetRequiredService<IChatClient>()`):
    /// the type's name. None by default.
    fn located(&self, _call: Node<'t>) -> Option<&'t str> {
        None
    }
    /// A call on a receiver nothing resolves, inferred from the file's imports.
    fn inferred_call(&mut self, call: Node<'t>, callee: Node<'t>, out: &mut FileOutput) -> Option<String>;

    // ------------------------------------------------------------ provided: the resolver

    /// The text of a node.
    fn text(&self, n: Node<'t>) -> &'t str {
        &self.src()[n.byte_range()]
    }

    /// The span of a node.
    fn span(&self, n: Node<'t>) -> Span {
        self.lines().span(self.src(), n.start_byte(), n.end_byte())
    }

    /// Where a call is reported: a call whose callee runs over several lines (`client` /
    /// `.chat()` / `.create(p)` / `.await`) at the line its method is named on (`.create(`), as
    /// people point to it; it still ends where the call ends. Any other node where it starts.
    /// The callee's last token is the method's name in every grammar (a member access's
    /// name, Java's `name` field itself); when it is no name (`f(a)\n(b)`, `m::<T>`), the
    /// call's start stands.
    fn call_span(&self, n: Node<'t>) -> Span {
        let whole = self.span(n);
        let Some((f, _)) = self.call_parts(n) else { return whole };
        if f.end_position().row == n.start_position().row {
            return whole;
        }
        let mut name = f;
        // Down the callee's last children: bounded by the tree's depth, no recursion.
        while let Some(last) = name.child(name.child_count().wrapping_sub(1)) {
            name = last;
        }
        if !name.is_named() || name.end_byte() > n.end_byte() || name.start_byte() < n.start_byte() {
            return whole;
        }
        self.lines().span(self.src(), name.start_byte(), n.end_byte())
    }

    /// The span a finding made at `n` is reported at: a call's at [`Front::call_span`].
    fn finding_span(&self, n: Node<'t>, e: &Emit) -> Span {
        if e.kind == crate::finding::Kind::Call {
            self.call_span(n)
        } else {
            self.span(n)
        }
    }

    /// Adds a finding at a node.
    fn emit(&self, out: &mut FileOutput, n: Node<'t>, e: Emit) {
        let span = self.finding_span(n, &e);
        out.emit(self.rules(), self.lines().line_text(self.src(), span.line), span, e);
    }

    /// Whether a path reaches a vendor rule (a client or a vendor module).
    fn is_vendor_path(&self, p: &Path) -> bool {
        matcher::is_vendor_path(self.rules(), self.ecosystem(), p)
    }

    /// Whether the arguments of a call of `p` can change what it matches: a call into an SDK,
    /// an HTTP library or a module of the tree. Others (`json.dumps(x)`, `path.join(a, b)`)
    /// match nothing whatever their arguments, so they are not evaluated.
    fn args_matter(&self, p: &Path) -> bool {
        let (rules, lang, locals) = (self.rules(), self.ecosystem(), self.locals());
        self.is_vendor_path(p)
            || locals.is_local_path(p)
            || locals.is_local_module_path(p)
            || (1..=p.0.len())
                .any(|end| !p.has_call_before(end - 1) && !rules.http_modules(lang, &p.dotted(end)).is_empty())
    }

    /// The bindings of a name a read at a position may see: those of the innermost scope
    /// that binds it ([`Symbols::lookup`]), but for assignments in another branch of a
    /// conditional the read is in (`match` arms that each `let client = ...`: a read in one
    /// arm sees its own; weighing them all made the work grow with the square of the arms).
    fn lookup(&self, name: &str, ctx: &Ctx, pos: usize) -> Vec<&Binding<'t>> {
        let found = self.sym().lookup(name, ctx, pos);
        if found.len() < 2 || pos >= self.src().len() {
            return found;
        }
        let seen: Vec<&Binding<'t>> = found
            .iter()
            .copied()
            .filter(|b| match &b.bind {
                Bind::Expr(n, _) | Bind::Member(n, _, _) | Bind::Annot(n, _) => {
                    !self.core().ancestry(*n).exclusive_with(pos)
                }
                _ => true,
            })
            .collect();
        // (Read in a branch no binding of the scope is in: as before, all of them.)
        if seen.is_empty() {
            found
        } else {
            seen
        }
    }

    /// The value of a name read at `pos`.
    fn resolve_name(&self, name: &str, ctx: &Ctx, pos: usize, depth: u32) -> Option<Val<'t>> {
        self.first_resolved(self.lookup(name, ctx, pos), depth)
    }

    /// Item `#i` of what a call of a local function returns (`return self.azure_client,
    /// model[6:]` in one branch, `return self.client, model` in another): of the items, the
    /// best, or each client when they are served by different vendors ([`Front::best_or_each`]).
    fn returned_item(&self, call: Node<'t>, ctx: &Ctx, key: &str, depth: u32) -> Option<Val<'t>> {
        let i = key[1..].parse::<usize>().ok()?;
        let (f, _) = self.call_parts(call)?;
        let Some(Val::Func(def)) = self.resolve(f, ctx, depth + 1) else { return None };
        self.item_returned(def, i, call.id(), depth)
    }

    /// Item `i` of the tuples function `def` returns (the best of them, or each where
    /// [`Front::best_or_each`] is asked for each; `id` keys that choice).
    fn item_returned(&self, def: Node<'t>, i: usize, id: usize, depth: u32) -> Option<Val<'t>> {
        let returns = self.sym().funcs.get(&def.id())?.returns.clone();
        let items: Vec<Option<Val<'t>>> = returns
            .iter()
            .map(|(r, c)| match self.tuple_items(*r).get(i) {
                Some(item) => self.resolve(*item, c, depth + 1),
                None => None,
            })
            .collect();
        self.best_or_each(id, items, &[])
    }

    /// A binding's value, computed once.
    fn resolve_binding(&self, b: &Binding<'t>, depth: u32) -> Option<Val<'t>> {
        let sym = self.sym();
        match &b.bind {
            Bind::Import(p) | Bind::Typed(p) => Some(Val::Path(p.clone())),
            Bind::Expr(n, c) => self.cached((n.id(), 0), || self.resolve(*n, c, depth + 1)),
            Bind::Annot(t, c) => sym.bindings.get_or((t.id(), 1), || self.annotation(*t, c, depth + 1)),
            Bind::Func(f) => Some(Val::Func(*f)),
            Bind::Class(c) => Some(Val::Class(*c)),
            Bind::Member(n, c, name) => {
                // `client, model = self._pick(name)`: that item of each tuple the function returns.
                if let Some(v) = name.starts_with('#').then(|| self.returned_item(*n, c, name, depth + 1)).flatten() {
                    return Some(v);
                }
                let v = self.cached((n.id(), 0), || self.resolve(*n, c, depth + 1))?;
                self.member_of(v, name, depth + 1)
            }
            Bind::Doc(..) | Bind::AnnotIn(..) | Bind::Fixture(_) => self.special(&b.bind, depth),
        }
    }

    /// A binding's value, computed once, and the run-time tables it went through noted
    /// again on every use, so that a call reading a cached value still knows them.
    fn cached(&self, key: (usize, u8), f: impl FnOnce() -> Option<Val<'t>>) -> Option<Val<'t>> {
        let sym = self.sym();
        let mark = sym.tables.mark();
        let v = sym.bindings.get_or(key, f);
        sym.tables.remember(key, mark);
        v
    }

    /// The value of a name from its bindings, nearest first: the first a vendor serves, as
    /// a variable assigned in two branches may hold either ([`Front::best`]).
    fn first_resolved(&self, binds: Vec<&Binding<'t>>, depth: u32) -> Option<Val<'t>> {
        // A builder the nearest statement registered a service on holds that registration
        // and what it held before it ([`Front::registration`]), not any other binding.
        let registered = |b: &Binding<'t>| matches!(&b.bind, Bind::Expr(n, _) if self.adds_to(*n).is_some());
        if binds.len() == 1 || binds.first().is_some_and(|b| registered(b)) {
            return self.resolve_binding(binds[0], depth);
        }
        // Only assigned values are alternatives: a declared type (`private client: OpenAI`)
        // says what the value is, not who serves it.
        let id = binds.iter().find_map(|b| match &b.bind {
            Bind::Expr(n, _) => Some(n.id()),
            _ => None,
        });
        let assigned: Vec<bool> = binds.iter().map(|b| matches!(b.bind, Bind::Expr(..) | Bind::Member(..))).collect();
        let vals: Vec<Option<Val<'t>>> = binds.into_iter().map(|b| self.resolve_binding(b, depth)).collect();
        match id {
            Some(id) => self.best_or_each(id, vals, &assigned),
            None => self.best(vals.into_iter()),
        }
    }

    /// Of alternative values, the best ([`Front::best`]), unless those `alternative` are
    /// clients served by different vendors (`self.client = AzureOpenAI(...)` in one branch,
    /// `OpenAI()` in the other; `a if azure else b`; a factory's returns): then the code picks
    /// one at run time, and a call through it is resolved once per client
    /// ([`tables::Tables::choose`], keyed `id`) and reported under each vendor. An empty
    /// `alternative` makes every value one.
    fn best_or_each(&self, id: usize, vals: Vec<Option<Val<'t>>>, alternative: &[bool]) -> Option<Val<'t>> {
        let served = |v: &Val<'t>| match v {
            Val::Path(p) => matcher::client_behind(self.rules(), self.ecosystem(), p).map(|s| s.vendor),
            _ => None,
        };
        let mut clients: Vec<Val<'t>> = Vec::new();
        let mut vendors: Vec<String> = Vec::new();
        let counted = vals.iter().enumerate().filter(|(i, _)| alternative.get(*i).copied().unwrap_or(true));
        for v in counted.filter_map(|(_, v)| v.as_ref()) {
            if let Some(vendor) = served(v) {
                if !vendors.contains(&vendor) && clients.len() < tables::MAX_KEYS {
                    vendors.push(vendor);
                    clients.push(v.clone());
                }
            }
        }
        if clients.len() < 2 {
            // Objects that name different providers (a helper returning `{ modelProvider:
            // "openai", ... }` in one branch and `{ modelProvider: "ollama", baseUrl }` in
            // another): the code picks one at run time, as it picks one of several clients,
            // and every property its callers read follows that one choice.
            let objects = vals.iter().enumerate().filter(|(i, _)| alternative.get(*i).copied().unwrap_or(true));
            let objects = objects.filter_map(|(_, v)| match v {
                Some(Val::Object(node, _)) => Some(*node),
                _ => None,
            });
            if let Some(chosen) = self.chosen_object(id, objects) {
                return vals.into_iter().flatten().find(|v| matches!(v, Val::Object(n, _) if *n == chosen));
            }
            return self.best(vals.into_iter());
        }
        match self.sym().tables.choose(id, clients.len()) {
            Some(i) => clients.into_iter().nth(i),
            None => self.best(vals.into_iter()),
        }
    }

    /// Of object literals the code picks among at run time (`objects`: a function's returns),
    /// those that name different providers ([`Front::providers_named`]), the first of each,
    /// are alternatives ([`tables::Tables::choose`], keyed `id`): the one in force when the
    /// choice is being tried, else `None` (the choice noted when there are two or more).
    fn chosen_object(&self, id: usize, objects: impl Iterator<Item = Node<'t>>) -> Option<Node<'t>> {
        let mut distinct: Vec<Node<'t>> = Vec::new();
        let mut named: Vec<Vec<(String, String)>> = Vec::new();
        for o in objects {
            let providers = self.providers_named(o);
            if !providers.is_empty() && !named.contains(&providers) && distinct.len() < tables::MAX_KEYS {
                named.push(providers);
                distinct.push(o);
            }
        }
        if distinct.len() < 2 {
            return None;
        }
        self.sym().tables.choose(id, distinct.len()).map(|i| distinct[i])
    }

    /// The properties of object literal `obj` spelt as a provider key or a vendor id
    /// (`modelProvider: "anthropic"`, [`matcher::names_provider`]), with that vendor.
    fn providers_named(&self, obj: Node<'t>) -> Vec<(String, String)> {
        self.entries(obj)
            .into_iter()
            .take(MAX_TABLE_ENTRIES)
            .filter_map(|e| match e {
                Entry::Pair(k, n) => {
                    let s = self.string_lit(n)?;
                    matcher::names_provider(self.rules(), self.ecosystem(), &s).map(|v| (k, v))
                }
                _ => None,
            })
            .collect()
    }

    /// What `compute` gives, and, where it met values the code picks among at run time
    /// ([`Front::best_or_each`]), what it gives under each other choice that is another
    /// path: a module's export that is one of several clients (a factory returning
    /// `AzureOpenAI(...)` or `OpenAI(...)`), for the modules that import it.
    fn each_alternative(&self, compute: impl Fn() -> Option<Val<'t>>) -> Vec<Val<'t>> {
        self.each_alternative_of(compute, |_| true)
    }

    /// [`Front::each_alternative`], unless what `compute` gives as written is not `wanted`:
    /// then nothing, without weighing the other choices (nothing as written may still be a
    /// table's entry under each key).
    fn each_alternative_of(
        &self,
        compute: impl Fn() -> Option<Val<'t>>,
        wanted: impl Fn(&Val<'t>) -> bool,
    ) -> Vec<Val<'t>> {
        let tables = &self.sym().tables;
        tables.start();
        let mut out: Vec<Val<'t>> = compute().into_iter().collect();
        if out.first().is_some_and(|v| !wanted(v)) {
            return Vec::new();
        }
        let table = tables.first();
        let is_path = |v: &Val<'t>| matches!(v, Val::Path(_));
        let mut others = Vec::new();
        if tables.has_several() {
            others = tables.each_choice_of(&|| self.sym().forget(), &compute, is_path);
            self.sym().forget();
        }
        // A table indexed with a key known only at run time (`const make = PROVIDERS[id];
        // return make()`): the value under each entry's key, each a vendor's path.
        if let Some((id, keys)) = table {
            for key in &keys {
                self.sym().forget();
                if let Some(v @ Val::Path(_)) = tables.assuming(id, key, &compute) {
                    others.push(v);
                }
            }
            self.sym().forget();
        }
        for v in others {
            let new = |o: &Val<'t>| !matches!((o, &v), (Val::Path(a), Val::Path(b)) if a == b);
            if out.iter().all(new) {
                out.push(v);
            }
        }
        out
    }

    /// The first of `vals` ([`Front::each_alternative`]), for the front end to export as it
    /// does any value, and the exports of `key` for each later value that is a vendor's path,
    /// to push after it.
    fn alternative_exports(&self, key: &str, vals: Vec<Val<'t>>) -> (Option<Val<'t>>, Vec<(String, Path)>) {
        let mut vals = vals.into_iter();
        let first = vals.next();
        let others = vals
            .filter_map(|v| match v {
                Val::Path(p) if self.is_vendor_path(&p) => Some((key.to_string(), p)),
                _ => None,
            })
            .collect();
        (first, others)
    }

    /// Of alternative values (the branches of `a ? b : c`, a function's returns, a name's
    /// bindings), the first that a vendor serves (a client or a model object), else the
    /// first vendor path, else the first local one, else the first value: a mock or a local
    /// helper in one branch does not hide the SDK in another.
    fn best(&self, vals: impl Iterator<Item = Option<Val<'t>>>) -> Option<Val<'t>> {
        let rank = |v: &Val<'t>| match v {
            // A service the container injects is what is left when nothing else says.
            Val::Path(p) if p.0.first().is_some_and(|h| h.name.starts_with(super::SERVICE)) => 0,
            Val::Path(p) if matcher::client_behind(self.rules(), self.ecosystem(), p).is_some() => 3,
            Val::Path(p) if self.is_vendor_path(p) => 2,
            Val::Path(p) if self.locals().is_local_path(p) || self.locals().is_local_module_path(p) => 1,
            Val::Object(..) | Val::Instance(_) | Val::Class(_) => 1,
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

    /// The value of an expression.
    fn resolve(&self, node: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        // One budget per file keeps pathological code linear and the recursion bounded;
        // past it, names stay unresolved.
        let _nest = self.sym().budget.enter(depth)?;
        match self.shape(node, ctx) {
            Shape::Name(name) => match self.probe_at(name, ctx, node) {
                Some(p) => Some(Val::Path(p)),
                None => self.resolve_name(name, ctx, node.start_byte(), depth).or_else(|| self.unbound(name, ctx)),
            },
            Shape::This => ctx.class.map(|c| Val::Instance(self.this_instance(c, depth, ctx))),
            // `super.embedQuery(texts)` in a class extending an SDK or framework class.
            Shape::Super => {
                let class = ctx.class?;
                let info = self.sym().classes.get(&class)?;
                info.bases.iter().find_map(|(b, c)| match self.resolve(*b, c, depth + 1)? {
                    Val::Class(base) => Some(Val::Instance(base)),
                    Val::Path(p) => self.base_instance(class, &p, depth).map(Val::Path),
                    _ => None,
                })
            }
            Shape::Member(obj, name) => {
                let v = self.resolve(obj, ctx, depth + 1)?;
                let v = self.configured_after(obj, v, ctx, depth);
                self.member_of(v, name, depth)
            }
            Shape::Index { object, index, generic } => self.index(node, object, index, generic, ctx, depth),
            Shape::Call { .. } if self.adds_to(node).is_some() => self.registration(node, ctx, depth),
            Shape::Call { .. } if self.located(node).is_some() => {
                // `sp.GetRequiredService<IChatClient>()`: the container's service, unless the
                // receiver is itself a vendor's (`kernel.GetRequiredService<...>()`).
                let v = self.called_value(node, ctx, depth);
                let client = |v: &Val<'t>| matches!(v, Val::Path(p) if self.is_vendor_path(p));
                match v {
                    Some(v) if client(&v) => Some(v),
                    _ => Some(Val::Path(service_path(self.located(node)?))),
                }
            }
            Shape::Call { .. } => self.called_value(node, ctx, depth),
            Shape::Load(spec) => Some(Val::Path(self.module_root(&spec))),
            Shape::Inner(n) => self.resolve(n, ctx, depth + 1),
            Shape::Either(alts) => {
                let vals = alts.into_iter().map(|n| self.resolve(n, &self.branch_ctx(n, ctx), depth + 1)).collect();
                self.best_or_each(node.id(), vals, &[])
            }
            Shape::Pipeline(parts) => self.vendor_among(&parts, ctx, depth),
            Shape::Object(n) => Some(Val::Object(n, ctx.clone())),
            Shape::Function(n) => Some(Val::Func(n)),
            Shape::Unknown => None,
        }
    }

    /// An HTTP client whose base URL the code sets after making it (.NET's `client.BaseAddress
    /// = new Uri(url);` on a local, or on a field in the constructor or an `Initialize` method
    /// while another method sends `client.PostAsync(string.Empty, body)`): that write is its
    /// construction's keyword, as an initializer's (`new HttpClient { BaseAddress = .. }`)
    /// is ([`Front::written_members`], [`http::base_url_keys`]). A construction that names
    /// its base URL keeps it; of several writes, the last.
    fn configured_after(&self, obj: Node<'t>, v: Val<'t>, ctx: &Ctx, depth: u32) -> Val<'t> {
        let Val::Path(p) = &v else { return v };
        let keys = http::base_url_keys(self.rules(), self.ecosystem(), p);
        let Some(args) = p.0.last().and_then(|s| s.call.as_deref()) else { return v };
        if keys.is_empty() || keys.iter().any(|k| args.argument(k).is_some()) {
            return v;
        }
        let written = self.written_members(obj, ctx).into_iter().rfind(|(k, ..)| keys.contains(k));
        let Some((key, value, c)) = written else { return v };
        let mut args = args.clone();
        args.keywords.push((key, self.arg_value(value, &c, depth + 1, false)));
        let mut p = p.clone();
        if let Some(last) = p.0.last_mut() {
            last.call = Some(std::sync::Arc::new(args));
        }
        Val::Path(p)
    }

    /// The value of call `node` ([`Shape::Call`]).
    fn called_value(&self, node: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        match self.shape(node, ctx) {
            Shape::Call { callee, args, new, chain } => {
                // A runnable chain is a runnable of the model inside it.
                if let Some(v) = self.vendor_among(&chain, ctx, depth) {
                    return Some(v);
                }
                // The callee is part of the call's own syntax (`a.b` of `a.b()`): no binding is
                // crossed, so it costs no depth; a chain of N methods costs N, not 2N (nesting
                // and the file's steps still bound it).
                let callee_value = self.resolve(callee, ctx, depth);
                if !matches!(&callee_value, Some(Val::Path(p)) if self.is_vendor_path(p)) {
                    if let Some(m) = args.and_then(|a| self.loaded_module(a, ctx, depth)) {
                        return Some(m);
                    }
                }
                match callee_value? {
                    Val::Path(p) if self.rules().is_passthrough(&p.dotted(p.0.len())) => {
                        // `instructor.from_openai(OpenAI())` (or `new ChatClientBuilder(inner)`)
                        // is the client it wraps, seen through the wrapper's own operations when
                        // it declares some. A framework object built around a model given by
                        // keyword (`VectorStoreIndex.from_documents(docs, embed_model=..)`) is
                        // that model; with none given, nothing (the framework's configured
                        // default decides, which the call does not say).
                        let dotted = p.dotted(p.0.len());
                        let keys = self.rules().passthrough_args(&dotted);
                        let inner = if keys.is_empty() {
                            self.resolve(self.first_arg(args?)?, ctx, depth + 1)?
                        } else {
                            let defaults = self.rules().passthrough_defaults(&dotted);
                            match args.and_then(|a| self.carried_client(a, keys, ctx, depth)) {
                                Some(v) => v,
                                // `Settings.llm = Ollama(..)` earlier in the file.
                                None if self.set_default(defaults).is_some() => self.set_default(defaults)?,
                                // Still the framework's object: a method of it may be given a
                                // model (`index.as_query_engine(llm=..)`).
                                None => self.called(p, args, ctx, depth)?,
                            }
                        };
                        match (inner, self.rules().passthrough_marker(&dotted)) {
                            // Wrapped once is enough (`new ChatClientBuilder(client.AsIChatClient())`).
                            (Val::Path(w), Some(marker)) if !w.0.iter().any(|s| s.name == marker) => {
                                Some(Val::Path(w.member(&marker)))
                            }
                            (v, _) => Some(v),
                        }
                    }
                    // `index.as_query_engine(llm=Ollama(..))`: a method of a framework object that
                    // takes another model is that model's; without one, the object's own.
                    Val::Path(p) if self.passthrough_method(&p).is_some() => {
                        let keys = self.passthrough_method(&p).unwrap_or_default();
                        let marker = p.0.iter().rev().find(|s| s.name.starts_with('@')).map(|s| s.name.clone());
                        match (args.and_then(|a| self.carried_client(a, keys, ctx, depth)), marker) {
                            (Some(Val::Path(w)), Some(marker)) if !w.0.iter().any(|s| s.name == marker) => {
                                Some(Val::Path(w.member(&marker)))
                            }
                            (Some(v), _) => Some(v),
                            (None, _) => self.called(p, args, ctx, depth),
                        }
                    }
                    Val::Path(p) => self.called(p, args, ctx, depth),
                    Val::Func(def) if !new => {
                        let plain = self.function_result(def, depth);
                        // Only a result that the arguments may change is evaluated again.
                        let open = match &plain {
                            Some(Val::Path(p)) => p.0.iter().filter_map(|s| s.call.as_deref()).any(|a| {
                                a.positional
                                    .iter()
                                    .chain(a.keywords.iter().map(|(_, v)| v))
                                    .any(|v| *v == ArgValue::Dynamic)
                            }),
                            Some(_) => false,
                            None => true,
                        };
                        match args {
                            Some(a) if open && depth < 8 => self.bound_result(def, a, ctx, depth).or(plain),
                            _ => plain,
                        }
                    }
                    Val::Class(c) => Some(Val::Instance(c)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The client a framework object is given among `args`: the first keyword of `keys` (in
    /// their order) whose value is a vendor's client, else a first positional argument that is one.
    /// A value another module of the tree gives (`embed_model=models.embedding_model()`) may
    /// be one: the cross-module pass reads it.
    fn carried_client(&self, args: Node<'t>, keys: &[String], ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        let nodes = self.arg_nodes(args);
        let client = |a: Node<'t>| match self.resolve(a, ctx, depth + 1) {
            Some(Val::Path(p)) if self.is_vendor_path(&p) || self.locals().is_local_path(&p) => Some(Val::Path(p)),
            _ => None,
        };
        keys.iter()
            .find_map(|k| nodes.iter().find(|(n, _)| *n == Some(k.as_str())).and_then(|(_, a)| client(*a)))
            .or_else(|| nodes.first().filter(|(n, _)| n.is_none()).and_then(|(_, a)| client(*a)))
    }

    /// The first of a framework's global settings (`llama_index.core.Settings.llm`) the file
    /// assigns a vendor's client to (`Settings.llm = Ollama(..)`, [`Front::module_attrs`]).
    fn set_default(&self, defaults: &[String]) -> Option<Val<'t>> {
        let attrs = self.module_attrs()?;
        defaults.iter().find_map(|d| {
            let (object, attr) = d.rsplit_once('.')?;
            attrs.get(object)?.iter().rev().find_map(|(a, v)| match v {
                ArgValue::Path(p) if a == attr && self.is_vendor_path(p) => Some(Val::Path(p.clone())),
                _ => None,
            })
        })
    }

    /// For a call of a method on a value behind a framework's marker (`@llamaindex`): the
    /// framework's `passthrough_args` when the method is one of its `passthrough_methods`.
    fn passthrough_method(&self, p: &Path) -> Option<&'t [String]> {
        let method = &p.0.last()?.name;
        let marker = p.0.iter().rev().find_map(|s| s.name.strip_prefix('@'))?;
        self.rules().passthrough_method(marker, method)
    }

    /// The vendor's SDK module a loader passed to a helper loads (`loadPeer("cohere-ai",
    /// () => import("cohere-ai"))`, `lazyImport(() => require("openai"))`): a helper handed
    /// a function that loads a module lazily gives that module. Only a module (or a member
    /// of one) counts, never what a callback computes with it (`retry(() => client.send(..))`).
    fn loaded_module(&self, args: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        self.arg_nodes(args).into_iter().take(MAX_LOADER_ARGS).find_map(|(_, a)| {
            let Shape::Function(def) = self.shape(a, ctx) else { return None };
            let info = self.sym().funcs.get(&def.id())?;
            let (ret, rctx) = info.returns.first().cloned()?;
            match self.shape(ret, &rctx) {
                Shape::Load(_) => match self.resolve(ret, &rctx, depth + 1)? {
                    Val::Path(p) if self.is_vendor_path(&p) && p.0.iter().all(|s| s.call.is_none()) => {
                        Some(Val::Path(p))
                    }
                    _ => None,
                },
                _ => None,
            }
        })
    }

    /// What calling local function `def` with these arguments gives when its result depends
    /// on them (`make_client("bedrock-runtime")` returning `boto3.client(service_name)`):
    /// evaluated with its parameters bound, apart from the memoised values (computed
    /// without them). Only a vendor's client counts.
    fn bound_result(&self, def: Node<'t>, args: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        let values = self.bind_params(def, Some(args), ctx, depth);
        if values.values().all(|v| matches!(v, ArgValue::Dynamic)) {
            return None;
        }
        let sym = self.sym();
        sym.frames.borrow_mut().push((def.id(), values));
        // Apart from the memoised values, computed without the parameters bound.
        let v = self.apart(|| self.function_result_uncached(def, depth + 1));
        sym.frames.borrow_mut().pop();
        v.filter(|v| matches!(v, Val::Path(p) if self.is_vendor_path(p)))
    }

    /// The values of a local function's parameters at a call: keyword arguments by name,
    /// positional ones in order.
    fn bind_params(&self, def: Node<'t>, args: Option<Node<'t>>, ctx: &Ctx, depth: u32) -> HashMap<String, ArgValue> {
        let params = self.params(def);
        let mut values = HashMap::new();
        for (i, (key, a)) in args.map(|a| self.arg_nodes(a)).unwrap_or_default().into_iter().enumerate() {
            let name = match key {
                Some(k) => k,
                None => match params.get(i) {
                    Some(p) => *p,
                    None => continue,
                },
            };
            values.insert(name.to_string(), self.arg_value(a, ctx, depth + 1, false));
        }
        values
    }

    /// A registration on a builder that returns the builder (`builder.AddOpenAIChatCompletion(...)`,
    /// [`Front::adds_to`]): this registration and every one the builder held before. Noted as
    /// a choice ([`tables::Tables::note_several`]), so a call reaching it is resolved once per
    /// registration; as written, the best of them ([`Front::best`]: the latest a vendor serves).
    fn registration(&self, node: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        let builder = self.adds_to(node)?;
        let this = || self.registered(node, ctx, depth);
        // What the builder held just before: of a name, its nearest binding (a builder made
        // again from scratch holds none of the earlier registrations).
        let before = || match self.shape(builder, ctx) {
            Shape::Name(name) => {
                let binds = self.lookup(name, ctx, builder.start_byte());
                binds.first().filter(|b| b.pos < builder.start_byte()).and_then(|b| self.resolve_binding(b, depth + 1))
            }
            _ => self.resolve(builder, ctx, depth + 1),
        };
        match self.sym().tables.note_several(node.id()) {
            Some(0) => this(),
            Some(_) => before(),
            None => self.best([this(), before()].into_iter()),
        }
    }

    /// The value of a declaration of type `written` (a parameter, a field): `value`, what the
    /// type resolved to, unless it is no client and `written` is one of the vendor-neutral
    /// types the language's frameworks inject (`services`: `Kernel`, `IChatClient`,
    /// `ChatModel`...): then the service of that type the project registers, read after every
    /// file ([`super::SERVICE`]).
    fn injected(
        &self,
        written: &str,
        value: Option<Val<'t>>,
        services: &[&str],
        class: Option<usize>,
    ) -> Option<Val<'t>> {
        if let Some(delegate) = class.and_then(|c| self.delegate(c, &value)) {
            return delegate;
        }
        let client = |v: &Val<'t>| match v {
            Val::Path(p) => matcher::client_behind(self.rules(), self.ecosystem(), p).is_some(),
            _ => true,
        };
        if value.as_ref().is_some_and(client) || !services.contains(&written) {
            return value;
        }
        // A framework's model interface (`dev.langchain4j.model.chat.ChatModel`): the service
        // names it, for the implementations the project builds when it registers none.
        let qualified = match &value {
            Some(Val::Path(p))
                if p.0.iter().all(|s| s.call.is_none() || s.call.as_ref().is_some_and(|a| a.declared)) =>
            {
                Some(p.dotted(p.0.len()))
            }
            _ => None,
        };
        match qualified.filter(|q| self.rules().interface(self.ecosystem(), q).is_some()) {
            Some(q) => Some(Val::Path(Path(vec![Seg {
                name: format!("{}{written}{}{q}", super::SERVICE, super::INTERFACE),
                call: None,
            }]))),
            None => Some(Val::Path(service_path(written))),
        }
    }

    /// A value declared in class `class` (a field, a constructor's parameter) that is a model
    /// of a framework interface the class itself implements: the class is a decorator
    /// (`class BaiChuanChatModel implements ChatModel { private final OpenAiChatModel delegate; }`),
    /// and its calls on the value are calls of whatever the value is built from elsewhere, not
    /// of the class's default vendor nor of every implementation the project builds. Where the
    /// class names its own endpoint ([`Front::own_endpoint`]), the value is the framework's
    /// client built with it (a vendor's class keeps its own, the interface is its OpenAI-compatible
    /// implementation, rules `compatible`); else nothing. `None` when the value is no such model.
    fn delegate(&self, class: usize, value: &Option<Val<'t>>) -> Option<Option<Val<'t>>> {
        let Some(Val::Path(p)) = value else { return None };
        let (rules, lang) = (self.rules(), self.ecosystem());
        let declared = |p: &Path| p.0.iter().all(|s| s.call.as_ref().is_none_or(|a| a.declared));
        if !declared(p) {
            return None;
        }
        let client = matcher::construction(rules, lang, p).filter(|m| rules.implements_interface(lang, &m.def.api));
        let interface = rules.interface(lang, &p.dotted(p.0.len()));
        if client.is_none() && interface.is_none() {
            return None;
        }
        self.implemented_interface(class)?;
        let Some(url) = self.own_endpoint(class) else { return Some(None) };
        let (base, key) = match (&client, interface) {
            (Some(m), _) => (p.clone(), m.def.base_url.first()),
            (None, Some(i)) => {
                let Some(ctor) = &i.compatible else { return Some(None) };
                let base = Path::from_dotted(ctor);
                let def = matcher::construction(rules, lang, &base.declared()?);
                (base, def.and_then(|m| m.def.base_url.first()))
            }
            (None, None) => return Some(None),
        };
        let Some(key) = key else { return Some(None) };
        let mut args = CallArgs::declared();
        args.keywords.push((key.clone(), ArgValue::Str(url)));
        let mut base = base;
        if let Some(last) = base.0.last_mut() {
            last.call = None;
        }
        Some(base.called(args).map(Val::Path))
    }

    /// The framework model interface (rules `[[interface]]`) class `class` implements or
    /// extends (`implements ChatModel`), read through the language's type syntax.
    fn implemented_interface(&self, class: usize) -> Option<&'t Interface> {
        let info = self.sym().classes.get(&class)?;
        let types: Vec<(Node<'t>, Ctx)> = info.bases.iter().chain(&info.interfaces).cloned().collect();
        types.into_iter().find_map(|(t, ctx)| {
            let Some(Val::Path(p)) = self.annotation(t, &ctx, 1) else { return None };
            let head = p.0.first().filter(|_| p.0.len() == 1)?;
            let (_, q) = head.name.strip_prefix(super::SERVICE)?.split_once(super::INTERFACE)?;
            self.rules().interface(self.ecosystem(), q)
        })
    }

    /// The endpoint a class names for itself: the URL its own fields hold (`static final
    /// String BASE_URL = "https://api.baichuan-ai.com"`), when every URL they hold is an API
    /// host of one vendor (a first and a second version of one API). None when they hold no
    /// URL, or one of a host no vendor serves, or hosts of several vendors.
    fn own_endpoint(&self, class: usize) -> Option<String> {
        let info = self.sym().classes.get(&class)?;
        let mut names: Vec<&String> = info.attrs.keys().collect();
        names.sort();
        let mut found: Option<(String, String)> = None;
        for name in names {
            for b in &info.attrs[name] {
                let Bind::Expr(n, ctx) = &b.bind else { continue };
                let Some(url) = self.string_value(*n, ctx, 1) else { continue };
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    continue;
                }
                let vendor = matcher::host_of(&url).and_then(|h| self.rules().vendor_for_api_host(&h))?;
                match &found {
                    Some((v, _)) if *v != vendor.id => return None,
                    Some(_) => {}
                    None => found = Some((vendor.id.clone(), url)),
                }
            }
        }
        found.map(|(_, url)| url)
    }

    /// Exports the constructions of framework model interfaces' implementations the file made
    /// ([`Symbols::built`]), each under its api ([`super::IMPLEMENTATION`]).
    fn export_built(&self, out: &mut FileOutput) {
        for (api, p) in self.sym().built.borrow().iter() {
            out.exports.push((format!("{}{api}", super::IMPLEMENTATION), p.clone()));
        }
    }

    /// Exports a registration for injection under type `key` (`IChatClient`, `ChatModel`):
    /// `value`, when it is a client or itself an injected service.
    fn export_service(&self, key: &str, value: Option<Val<'t>>, out: &mut FileOutput) {
        let Some(Val::Path(p)) = value else { return };
        let service = |v: &ArgValue| matches!(v, ArgValue::Path(q) if q.0.first().is_some_and(|h| h.name.starts_with(super::SERVICE)));
        let injected = p.0.first().is_some_and(|h| h.name.starts_with(super::SERVICE));
        // A framework's client over a service the container injects (`@Bean VectorStore
        // vectorStore(EmbeddingModel m) { return SimpleVectorStore.builder(m).build(); }`): its
        // vendor is the service's, read when linking.
        let over_service = || {
            self.is_vendor_path(&p)
                && p.0
                    .iter()
                    .filter_map(|s| s.call.as_deref())
                    .any(|a| a.positional.iter().chain(a.keywords.iter().map(|(_, v)| v)).any(service))
        };
        if injected || matcher::client_behind(self.rules(), self.ecosystem(), &p).is_some() || over_service() {
            out.exports.push((format!("{}{key}", super::SERVICE), p));
        }
    }

    /// What other files may read of class `class`, declared as type `t`: each field's value
    /// and each method's result, keyed `T().field` and `T().m()` as an instance's members, or
    /// `T.field` and `T.m()` as a type's static ones (`static_members`).
    fn type_exports(&self, t: &str, class: usize, static_members: bool) -> Vec<(String, Option<Val<'t>>)> {
        let Some(info) = self.sym().classes.get(&class) else { return Vec::new() };
        let head = if static_members { t.to_string() } else { format!("{t}()") };
        let attrs = info.attrs.keys().map(|a| (format!("{head}.{a}"), self.class_member(class, a, 0, 0)));
        let mut found: Vec<(String, Option<Val<'t>>)> = attrs.collect();
        let mut methods: Vec<(&String, &Node<'t>)> = info.methods.iter().collect();
        methods.sort_by_key(|(m, _)| m.as_str());
        // Each value a method may return (a factory's `switch` over providers: each vendor's
        // client, [`Front::each_alternative`]) is exported under its key, first first.
        let mut each = |key: String, vals: Vec<Val<'t>>| {
            let (first, others) = self.alternative_exports(&key, vals);
            found.push((key, first));
            found.extend(others.into_iter().map(|(k, p)| (k, Some(Val::Path(p)))));
        };
        for (m, def) in methods {
            each(format!("{head}.{m}()"), self.each_alternative(|| self.function_result(*def, 0)));
            // A method returning a tuple (`(agent, tools)`): each item, as `T().m().#i`, for
            // the files that take it apart (`var (agent, _) = factory.m(..)`).
            let returns = self.sym().funcs.get(&def.id()).map(|f| f.returns.clone()).unwrap_or_default();
            let width = returns.iter().map(|(r, _)| self.tuple_items(*r).len()).max().unwrap_or(0);
            for i in 0..width {
                each(format!("{head}.{m}().#{i}"), self.each_alternative(|| self.item_returned(*def, i, def.id(), 0)));
            }
        }
        found
    }

    /// Exports, in key order, the values of `found` that are paths through a vendor's SDK.
    fn export_vendor_paths(&self, mut found: Vec<(String, Option<Val<'t>>)>, out: &mut FileOutput) {
        found.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, val) in found {
            if let Some(Val::Path(p)) = val {
                if self.is_vendor_path(&p) {
                    out.exports.push((key, p));
                }
            }
        }
    }

    /// What registration call `node` registers, without what its builder held before.
    fn registered(&self, node: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        match self.shape(node, ctx) {
            Shape::Call { callee, args, .. } => match self.resolve(callee, ctx, depth + 1)? {
                Val::Path(p) => self.called(p, args, ctx, depth),
                _ => None,
            },
            _ => None,
        }
    }

    /// Path `p` called with the argument list `args` (read when they matter to the rules).
    fn called(&self, p: Path, args: Option<Node<'t>>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        // An injected instance of a class of the tree called like a function (Kotlin's
        // `networkClient()`): the class's call operator (`operator fun invoke()`), exported
        // as its method ([`super::SERVICE`]).
        let injected = p.0.len() == 1 && p.0[0].call.is_none() && p.0[0].name.starts_with(super::SERVICE);
        let p = match self.call_operator() {
            Some(op) if injected => p.member(op),
            _ => p,
        };
        let args = match args {
            Some(a) if self.args_matter(&p) => self.call_args(a, ctx, depth + 1, &p),
            _ => CallArgs::default(),
        };
        p.called(args).map(Val::Path)
    }

    /// The first of some expressions whose value is a vendor path.
    fn vendor_among(&self, nodes: &[Node<'t>], ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        nodes.iter().find_map(|c| match self.resolve(*c, ctx, depth + 1) {
            Some(Val::Path(p)) if self.is_vendor_path(&p) => Some(Val::Path(p)),
            _ => None,
        })
    }

    /// `object[index]`: an entry of a table (the literal key's, or the key assumed for this
    /// node; with a key known only at run time the table is noted, so the call is resolved
    /// once per key, and the value is unknown); a member of a path by a literal key; with
    /// `generic`, the object itself.
    fn index(
        &self,
        node: Node<'t>,
        object: Node<'t>,
        index: Node<'t>,
        generic: bool,
        ctx: &Ctx,
        depth: u32,
    ) -> Option<Val<'t>> {
        let key = self.string_lit(index);
        match (self.resolve(object, ctx, depth + 1)?, key) {
            (Val::Object(table, tctx), key) => match key.or_else(|| self.sym().tables.assumed(node.id())) {
                Some(k) => self.object_property(table, &tctx, &k, depth + 1),
                None => {
                    let keys = self
                        .entries(table)
                        .into_iter()
                        .filter_map(|e| match e {
                            Entry::Pair(k, _) | Entry::Shorthand(k, _) | Entry::Method(k, _) => Some(k),
                            Entry::Spread(_) => None,
                        })
                        .collect();
                    self.sym().tables.note(node.id(), keys);
                    None
                }
            },
            (v @ Val::Path(_), Some(k)) => self.member_of(v, &k, depth),
            // `client.chat.completions[method]`: a method chosen at run time.
            (Val::Path(p), None) if !generic && self.is_vendor_path(&p) => {
                Some(Val::Path(p.member(super::path::ANY_MEMBER)))
            }
            (v, None) if generic => Some(v),
            _ => None,
        }
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

    /// The value of property `name` of an object literal, resolved in the literal's scope;
    /// a later entry overrides an earlier one, spreads included.
    fn object_property(&self, obj: Node<'t>, ctx: &Ctx, name: &str, depth: u32) -> Option<Val<'t>> {
        if !self.sym().budget.step(depth) {
            return None;
        }
        for e in self.entries(obj).into_iter().rev() {
            match e {
                Entry::Pair(k, v) if k == name => return self.resolve(v, ctx, depth + 1),
                Entry::Shorthand(k, n) if k == name => return self.resolve_name(name, ctx, n.start_byte(), depth + 1),
                Entry::Method(k, m) if k == name => return Some(Val::Func(m)),
                Entry::Spread(n) => {
                    if let Some(Val::Object(o, c)) = self.resolve(n, ctx, depth + 1) {
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

    /// The entries of an object literal (a JS object, a Python dict or `dict(...)`) with the
    /// objects it spreads in (`...defaults`, `**base`) followed a few levels, each with the scope
    /// its value is read in, in written order and one per key: the last written wins, as at
    /// run time (`{ ...config, apiKey }`, `{ baseURL: x, ...overrides }`). A spread that is no
    /// object literal (a parameter, a call's result) adds nothing.
    fn spread_entries(&self, obj: Node<'t>, ctx: &Ctx, depth: u32) -> Vec<(Entry<'t>, Ctx)> {
        let mut out: Vec<(Entry<'t>, Ctx)> = Vec::new();
        // A stack read from its end: the literal's entries reversed, a spread replaced by its own.
        let mut todo: Vec<(Entry<'t>, Ctx, u32)> =
            self.entries(obj).into_iter().rev().map(|e| (e, ctx.clone(), 0)).collect();
        while let Some((e, c, level)) = todo.pop() {
            let key = match &e {
                Entry::Pair(k, _) | Entry::Shorthand(k, _) | Entry::Method(k, _) => k.clone(),
                Entry::Spread(n) => {
                    if level < SPREAD_LEVELS && self.sym().budget.step(depth) {
                        if let Some(Val::Object(o, oc)) = self.resolve(*n, &c, depth + 1) {
                            todo.extend(self.entries(o).into_iter().rev().map(|e| (e, oc.clone(), level + 1)));
                        }
                    }
                    continue;
                }
            };
            out.retain(
                |(x, _)| !matches!(x, Entry::Pair(k, _) | Entry::Shorthand(k, _) | Entry::Method(k, _) if *k == key),
            );
            out.push((e, c));
        }
        out
    }

    /// A name no scope binds, read inside a class of a language whose members need no
    /// `this.` (Java, C#): an attribute or method of the enclosing class, else of an outer one.
    fn enclosing_member(&self, name: &str, ctx: &Ctx) -> Option<Val<'t>> {
        let class = ctx.class?;
        let classes = &self.sym().classes;
        let declares =
            |c: &usize| classes.get(c).is_some_and(|i| i.attrs.contains_key(name) || i.methods.contains_key(name));
        let outer = ctx.chain.iter().rev().copied().filter(|s| *s != class && classes.contains_key(s));
        let c = std::iter::once(class).chain(outer).find(declares)?;
        self.class_member(c, name, 0, 0)
    }

    /// A class member: an attribute, a getter's result, a method; else a base's (a local
    /// class, or an SDK client the class extends: `class Rag extends Anthropic`).
    fn class_member(&self, class: usize, attr: &str, depth: u32, inherit: u32) -> Option<Val<'t>> {
        let info = self.sym().classes.get(&class)?;
        if let Some(binds) = info.attrs.get(attr) {
            if let Some(v) = self.first_resolved(budget::candidates(binds, None).collect(), depth + 1) {
                return Some(v);
            }
        }
        if let Some(m) = info.methods.get(attr) {
            if self.is_getter(*m) {
                return self.function_result(*m, depth + 1);
            }
            return Some(Val::Func(*m));
        }
        if inherit > 4 {
            return None;
        }
        // A base that is also a field of the instance (Go's embedded field, `type OpenAI struct
        // { *requests.HTTPClient }`, named after its type): its members are those of the value
        // assigned to it (`&OpenAI{HTTPClient: requests.NewClient(url)}`), when one is.
        for (b, _) in &info.bases {
            let field = self.text(*b).rsplit(['.', '*']).next().unwrap_or_default();
            let Some(binds) = info.attrs.get(field) else { continue };
            let assigned: Vec<&Binding<'t>> =
                budget::candidates(binds, None).filter(|b| matches!(b.bind, Bind::Expr(..))).collect();
            if assigned.is_empty() {
                continue;
            }
            if let Some(m) = self.first_resolved(assigned, depth + 1).and_then(|v| self.member_of(v, attr, depth + 1)) {
                return Some(m);
            }
        }
        // What the constructor passes to the base's (`super({ ...options, baseURL })`).
        let passed = || match &info.super_args {
            Some((a, c)) if depth < 8 && !self.sym().passing.borrow().contains(&class) => {
                self.sym().passing.borrow_mut().push(class);
                let args = self.call_args(*a, c, depth + 1, &Path::default());
                self.sym().passing.borrow_mut().pop();
                Some(args)
            }
            _ => None,
        };
        info.bases.iter().find_map(|(b, c)| match self.resolve(*b, c, depth + 1) {
            // A member the base builds from its constructor's parameters, built with what
            // this class passes up.
            Some(Val::Class(base)) => {
                match (passed(), self.as_instance(class, || self.probed(base, attr, depth + 1))) {
                    (Some(args), Some(Val::Path(p))) if params::path_has_markers(&p) => {
                        Some(Val::Path(params::fill(&p, &args)))
                    }
                    _ => self.class_member(base, attr, depth + 1, inherit + 1),
                }
            }
            Some(Val::Path(p)) if self.is_vendor_path(&p) => {
                self.base_instance(class, &p, depth).map(|i| Val::Path(i.member(attr)))
            }
            // A class of another module of the tree, built with what this class passes up,
            // or, when this class has no constructor of its own, with what its callers pass
            // (unknown here: the base's defaults): its member is read from that module's
            // exports (`Base().client`).
            Some(Val::Path(p)) if self.locals().is_local_module_path(&p) => {
                let own_ctor = info.methods.contains_key("constructor") || info.methods.contains_key("__init__");
                let args = match passed() {
                    Some(a) => a,
                    None if !own_ctor => CallArgs::default(),
                    None => return None,
                };
                Some(Val::Path(p.called(args)?.member(attr)))
            }
            _ => None,
        })
    }

    /// The instance `this` is in a method of `class`: where subclasses of this module pass
    /// values up to it (`super({ baseURL: "https://api.fireworks.ai/inference/v1" })`), one
    /// of them, chosen at run time ([`tables::Tables::choose`]), or the class itself unless
    /// it is abstract; as written, the class. In a method other than the constructor (`ctx`
    /// is in it), a subclass that overrides the method never runs it: not among them.
    fn this_instance(&self, class: usize, depth: u32, ctx: &Ctx) -> usize {
        // In a base's constructor probed for a subclass: that subclass.
        let probed_for = self.sym().instances.borrow().last().copied();
        if let Some(sub) = probed_for.filter(|s| *s != class && self.descends(*s, class, depth)) {
            return sub;
        }
        let subs = self.subclasses_of(class, depth);
        if subs.is_empty() {
            return class;
        }
        let abstract_ = self.sym().classes.get(&class).is_some_and(|c| c.is_abstract);
        let mut choices: Vec<usize> = if abstract_ { Vec::new() } else { vec![class] };
        choices.extend(subs.into_iter().take(tables::MAX_KEYS - 1));
        if choices.len() < 2 {
            return choices.first().copied().unwrap_or(class);
        }
        let Some(i) = self.sym().tables.choose(class, choices.len()) else { return class };
        let chosen = choices.get(i).copied().unwrap_or(class);
        // A subclass that overrides this method never runs it: the choice stands for one
        // that does (the one list of choices, keyed by the class, stays the same for every
        // method, so reads of `self` in one call agree).
        let method = || self.enclosing_method(class, ctx).filter(|m| !matches!(m.as_str(), "constructor" | "__init__"));
        let overrides = |c: &usize, name: &str| {
            *c != class && self.sym().classes.get(c).is_some_and(|i| i.methods.contains_key(name))
        };
        match method() {
            Some(name) if overrides(&chosen, &name) => {
                choices.into_iter().find(|c| !overrides(c, &name)).unwrap_or(class)
            }
            _ => chosen,
        }
    }

    /// The name of the method of `class` that `ctx` is in, if any.
    fn enclosing_method(&self, class: usize, ctx: &Ctx) -> Option<String> {
        let info = self.sym().classes.get(&class)?;
        // (A decorated method's scope is its definition's, inside the decorated node.)
        let opens = |m: &Node<'t>| {
            ctx.chain.contains(&m.id())
                || m.child_by_field_name("definition").is_some_and(|d| ctx.chain.contains(&d.id()))
        };
        info.methods.iter().find(|(_, m)| opens(m)).map(|(name, _)| name.clone())
    }

    /// `f` evaluated with `self` standing for an instance of `class` in the methods of its
    /// bases ([`Front::this_instance`]).
    fn as_instance<T>(&self, class: usize, f: impl FnOnce() -> T) -> T {
        self.sym().instances.borrow_mut().push(class);
        let v = f();
        self.sym().instances.borrow_mut().pop();
        v
    }

    /// Whether `class` extends `base` through classes of this module that pass values up
    /// ([`Front::subclasses_of`]), at most a few levels down.
    fn descends(&self, class: usize, base: usize, depth: u32) -> bool {
        let mut level = vec![base];
        for _ in 0..MAX_INHERIT_LEVELS {
            let next: Vec<usize> = level.iter().flat_map(|b| self.subclasses_of(*b, depth)).collect();
            if next.contains(&class) {
                return true;
            }
            if next.is_empty() {
                return false;
            }
            level = next;
        }
        false
    }

    /// The classes of this module that extend `class` and pass values to its constructor.
    fn subclasses_of(&self, class: usize, depth: u32) -> Vec<usize> {
        if let Some(map) = self.sym().subclasses.borrow().as_ref() {
            return map.get(&class).cloned().unwrap_or_default();
        }
        let mut ids: Vec<usize> = self.sym().classes.keys().copied().collect();
        ids.sort_unstable();
        let mut map: HashMap<usize, Vec<usize>> = HashMap::new();
        for id in ids {
            let info = &self.sym().classes[&id];
            if info.super_args.is_none() {
                continue;
            }
            for (b, c) in &info.bases {
                if let Some(Val::Class(base)) = self.resolve(*b, c, depth + 1) {
                    if base != id {
                        map.entry(base).or_default().push(id);
                    }
                }
            }
        }
        let found = map.get(&class).cloned().unwrap_or_default();
        *self.sym().subclasses.borrow_mut() = Some(map);
        found
    }

    /// Member `attr` of local class `class` with its constructor's parameters standing for
    /// themselves ([`params`]): what a subclass passes up fills them. Resolved apart from
    /// the memoised values, which hold what the parameters are as written.
    fn probed(&self, class: usize, attr: &str, depth: u32) -> Option<Val<'t>> {
        let info = self.sym().classes.get(&class)?;
        let ctor = info.methods.get("constructor").or_else(|| info.methods.get("__init__"))?;
        self.probing(*ctor, || self.class_member(class, attr, depth + 1, 0))
    }

    /// `f` evaluated with the parameters of function `def` standing for themselves
    /// ([`params`]), apart from the memoised values; None when `def` has no parameters to
    /// follow or is being probed already.
    fn probing<T>(&self, def: Node<'t>, f: impl FnOnce() -> Option<T>) -> Option<T> {
        let sym = self.sym();
        if sym.probes.borrow().iter().any(|(f, _)| *f == def.id()) {
            return None;
        }
        let keys = self.probe_keys(def);
        if keys.is_empty() {
            return None;
        }
        sym.probes.borrow_mut().push((def.id(), keys));
        let v = self.apart(f);
        sym.probes.borrow_mut().pop();
        v
    }

    /// [`Symbols::probe`] of `name` read at `read`, unless the probed function's body
    /// assigned it before (`url = smart_urljoin(url, "models")`, then `get(url)`): that
    /// value, which may itself read the parameter.
    fn probe_at(&self, name: &str, ctx: &Ctx, read: Node<'t>) -> Option<Path> {
        let sym = self.sym();
        let p = sym.probe(name, ctx)?;
        let func = sym.probes.borrow().last().map(|(f, _)| *f)?;
        let binds = sym.scopes.get(&func).and_then(|sc| sc.get(name));
        let assigned = binds.is_some_and(|bs| {
            bs.iter().any(|b| {
                matches!(&b.bind, Bind::Expr(n, c) if c.chain.contains(&func) && b.pos < read.start_byte() && !encloses(*n, read))
            })
        });
        (!assigned).then_some(p)
    }

    /// `f` evaluated apart from the memoised values, which are restored after.
    fn apart<T>(&self, f: impl FnOnce() -> T) -> T {
        let sym = self.sym();
        let saved = (
            sym.results.replace(HashMap::new()),
            sym.bindings.replace(HashMap::new()),
            sym.envs.replace(HashMap::new()),
            sym.patterns.replace(HashMap::new()),
        );
        let v = f();
        sym.results.replace(saved.0);
        sym.bindings.replace(saved.1);
        sym.envs.replace(saved.2);
        sym.patterns.replace(saved.3);
        v
    }

    /// The key each parameter of function `def` stands for while it is probed: the first
    /// is the options object whose properties are keyword arguments (`constructor(options)`,
    /// or destructured: `{ baseURL, ...rest }`); a later one is read by position; a named
    /// parameter of a language with keyword arguments (Python's `base_url`) by its name or
    /// its position.
    fn probe_keys(&self, def: Node<'t>) -> HashMap<String, String> {
        let mut keys = HashMap::new();
        let ctor = &def;
        for (i, name) in self.params(*ctor).into_iter().enumerate() {
            // The first parameter is the options object whose properties are keyword
            // arguments (`constructor(options)`); a later one is read by position; a named
            // parameter (Python's `base_url`) by its name.
            let js = self.ecosystem() == Ecosystem::JavaScript;
            let key = match (i, name) {
                (_, "") => None,
                (0, _) if js => Some(String::new()),
                (i, _) if js => Some(format!("#{i}")),
                // (`super().__init__(url, ...)` passes it by position.)
                (i, n) => Some(params::by_name_or_position(n, i)),
            };
            if let Some(key) = key {
                keys.insert(name.to_string(), key);
            }
            if i == 0 {
                if let Some((props, rest)) = self.param_props(*ctor, 0) {
                    for (key, local) in props {
                        keys.insert(local.to_string(), key);
                    }
                    if let Some(rest) = rest {
                        keys.insert(rest.to_string(), String::new());
                    }
                }
            }
        }
        keys
    }

    /// Of the values a function may return (`call_value`, a module function's URL), the
    /// one in force: where they name different servers, every one a vendor or a
    /// self-hosted server, the code picks at run time, and the call is resolved once per
    /// value ([`tables::Tables::choose`], keyed `id`); else the first. A host no rule knows
    /// among them keeps the first, as written. A value that spells only a path after a host
    /// out of sight (`return strings.TrimSuffix(os.Getenv("X_BASE_URL"), "/") +
    /// "/chat/completions"` before `return defaultURL`) is configuration overriding the
    /// others, as a branch of `Pieces::Branches` is: the spelt hosts decide, if any.
    fn one_of(&self, id: usize, mut values: Vec<ArgValue>) -> Option<ArgValue> {
        // (A host a setting names, [`super::path::SETTING`], is configuration too.)
        let hosted =
            |v: &ArgValue| v.text().is_some_and(|t| !http::host_out_of_sight(t) && !t.contains(super::path::SETTING));
        if values.iter().any(hosted) {
            values.retain(hosted);
        }
        let host = |v: &ArgValue| {
            let text = match v.text() {
                Some(t) if params::has_marker(t) => params::fill_text(t, &CallArgs::default()).text()?.to_string(),
                Some(t) => t.to_string(),
                None => return None,
            };
            matcher::host_of(text.split(HOLE).next().unwrap_or_default())
        };
        let mut distinct: Vec<ArgValue> = Vec::new();
        let mut hosts: Vec<Option<String>> = Vec::new();
        for v in values.into_iter().take(tables::MAX_KEYS) {
            let h = host(&v);
            if !hosts.contains(&h) {
                hosts.push(h);
                distinct.push(v);
            }
        }
        let served = |v: &ArgValue| {
            let text = v.text().map(|t| params::fill_text(t, &CallArgs::default()));
            let head =
                text.as_ref().and_then(|t| t.text()).map(|t| t.split(HOLE).next().unwrap_or_default().to_string());
            matches!(
                head.and_then(|h| matcher::classify_base_url(self.rules(), &h)),
                Some(matcher::HostClass::Vendor(_) | matcher::HostClass::SelfHosted)
            )
        };
        if distinct.len() < 2 || !distinct.iter().all(served) {
            return distinct.into_iter().next();
        }
        match self.sym().tables.choose(id, distinct.len()) {
            Some(i) => distinct.into_iter().nth(i),
            None => distinct.into_iter().next(),
        }
    }

    /// Whether a module-level value is worth exporting: a vendor path, or a path into
    /// another module of the tree (a re-export, resolved when that module's exports are known).
    fn exportable(&self, p: &Path) -> bool {
        let locals = self.locals();
        self.is_vendor_path(p)
            || locals.is_local_path(p)
            || locals.is_local_module_path(p)
            || (p.0.len() == 1 && locals.has_module(&p.0[0].name))
    }

    /// What other modules import of this one, for every language: each top-level name bound
    /// to a vendor path (`name`), each top-level function's result (`name()`, also through
    /// an alias, `const f = g`), each class's client attributes (`name().attr`, which a
    /// subclass in another module reads), the SDK class it extends and what it passes up
    /// ([`inherit::subclass_export`]); a value picked at run time is exported once per
    /// alternative. Returns the other values (an object literal), keyed, for the front end.
    fn module_exports(&self, ctx: &Ctx, out: &mut FileOutput) -> Vec<(String, Val<'t>)> {
        let mut names: Vec<&String> =
            self.sym().scopes.get(&self.sym().root_id).map(|s| s.keys().collect()).unwrap_or_default();
        names.sort();
        let mut rest = Vec::new();
        for name in names {
            let binds = self.lookup(name, ctx, usize::MAX);
            let (key, vals) = match binds.first().map(|b| &b.bind) {
                Some(Bind::Func(def)) => (format!("{name}()"), self.each_alternative(|| self.function_result(*def, 0))),
                Some(Bind::Class(id)) => {
                    self.class_exports(name, *id, out);
                    out.exports.extend(self.exported_class(name, *id));
                    out.exports.extend(inherit::subclass_export(self, name, *id));
                    continue;
                }
                Some(Bind::Import(_)) => continue,
                _ => {
                    let vals = self.each_alternative(|| self.first_resolved(binds.clone(), 0));
                    match vals.first() {
                        // `module.exports = initializeClient`, `f = g`: the function's result.
                        Some(Val::Func(def)) => {
                            let def = *def;
                            (format!("{name}()"), self.each_alternative(|| self.function_result(def, 0)))
                        }
                        _ => (name.clone(), vals),
                    }
                }
            };
            let (val, others) = self.alternative_exports(&key, vals);
            match val {
                Some(Val::Path(p)) if self.exportable(&p) => out.exports.push((key, p)),
                Some(Val::Class(c)) => {
                    out.exports.extend(self.exported_class(name, c));
                    out.exports.extend(inherit::subclass_export(self, name, c));
                }
                Some(v) => rest.push((key, v)),
                None => {}
            }
            out.exports.extend(others);
        }
        rest
    }

    /// What other modules read of class `class`, exported as `name`: each attribute holding
    /// a vendor client, as `name().attr`, built from the constructor's parameters as markers
    /// that the importer's arguments fill ([`params`]; `super({ ...options, baseURL })` of a
    /// subclass in another module).
    ///
    /// Each method that returns a client is exported as `name().m()`, once per client it may
    /// return (`_create_client` building `AzureOpenAI(...)` or `OpenAI(...)`), for a subclass
    /// of another module that calls `self._create_client(...)`.
    fn class_exports(&self, name: &str, class: usize, out: &mut FileOutput) {
        let Some(info) = self.sym().classes.get(&class) else { return };
        let client = |p: &Path| matcher::client_behind(self.rules(), self.ecosystem(), p).is_some();
        let mut attrs: Vec<&String> = info.attrs.keys().collect();
        attrs.sort();
        let mut push = |key: String, vals: Vec<Val<'t>>| {
            let (first, others) = self.alternative_exports(&key, vals);
            if let Some(Val::Path(p)) = first {
                if client(&p) {
                    out.exports.push((key, p));
                    out.exports.extend(others.into_iter().filter(|(_, p)| client(p)));
                }
            }
        };
        // Alternatives are sought only for what is a client as written: most members are not.
        let is_client = |v: &Val<'t>| matches!(v, Val::Path(p) if client(p));
        for attr in attrs {
            // As written first (memoised): the probe, with the constructor's parameters
            // standing for themselves, is worth it only for a client.
            if !self.class_member(class, attr, 0, 0).is_some_and(|v| is_client(&v)) {
                continue;
            }
            let member = || self.probed(class, attr, 0).or_else(|| self.class_member(class, attr, 0, 0));
            push(format!("{name}().{attr}"), self.each_alternative_of(member, is_client));
        }
        let mut methods: Vec<(&String, &Node<'t>)> = info.methods.iter().collect();
        methods.sort_by(|a, b| a.0.cmp(b.0));
        for (m, def) in methods {
            if matches!(m.as_str(), "constructor" | "__init__") || self.is_getter(*def) {
                continue;
            }
            let def = *def;
            push(format!("{name}().{m}()"), self.each_alternative_of(|| self.function_result(def, 0), is_client));
        }
    }

    /// The instance of SDK class `base` a local class extends, built with what its
    /// constructor passes to `super` (a subclass of `ChatOpenAI` that sets Fireworks' base
    /// URL is served by Fireworks).
    fn base_instance(&self, class: usize, base: &Path, depth: u32) -> Option<Path> {
        let args = match &self.sym().classes.get(&class)?.super_args {
            Some((a, c)) if depth < 8 => self.call_args(*a, c, depth + 1, base),
            _ => CallArgs::default(),
        };
        base.called(args)
    }

    /// What another module of the tree gets when it imports top-level class `name`
    /// (`class ZhiPuModelAPI(ZhipuAI)`, `export class TracedOpenAI extends OpenAI`): the SDK
    /// class it extends, directly or through local classes, as the export `name`, so that
    /// `ZhiPuModelAPI(api_key=...)` there is that SDK's client built with the importer's
    /// arguments. A class whose constructor passes its own arguments to the SDK base
    /// (`super().__init__(base_url="https://api.fireworks.ai/...")`) exports the instance it
    /// builds as `name()` instead: its base URL, not the importer's, decides who serves it.
    fn exported_class(&self, name: &str, class: usize) -> Option<(String, Path)> {
        let mut class = class;
        for _ in 0..4 {
            let info = self.sym().classes.get(&class)?;
            let mut local = None;
            for (b, c) in &info.bases {
                match self.resolve(*b, c, 1) {
                    Some(Val::Path(p)) if self.is_vendor_path(&p) => {
                        return match info.super_args {
                            None => Some((name.to_string(), p)),
                            Some(_) => Some((format!("{name}()"), self.base_instance(class, &p, 1)?)),
                        };
                    }
                    // A local base passes the importer's arguments on only when this class
                    // does not build it itself.
                    Some(Val::Class(base)) if base != class && info.super_args.is_none() => {
                        local = local.or(Some(base))
                    }
                    _ => {}
                }
            }
            class = local?;
        }
        None
    }

    /// What calling a local function gives, computed once per function: recursion and
    /// functions with many returns would otherwise make resolution exponential.
    fn function_result(&self, def: Node<'t>, depth: u32) -> Option<Val<'t>> {
        let sym = self.sym();
        let mark = sym.tables.mark();
        let v = sym.results.get_or(def.id(), || self.function_result_uncached(def, depth));
        sym.tables.remember((def.id(), u8::MAX), mark);
        v
    }

    /// Of several returns (`if test: return mock` then `return OpenAI()`), the best
    /// ([`Front::best`]); the declared return type where the body says nothing about a
    /// vendor (`-> AsyncOpenAI` says more than a path that reaches none).
    fn function_result_uncached(&self, def: Node<'t>, depth: u32) -> Option<Val<'t>> {
        let info = self.sym().funcs.get(&def.id())?;
        let returns = info.returns.iter().map(|(n, c)| match self.resolve(*n, c, depth + 1) {
            Some(Val::Func(_)) | None => None,
            v => v,
        });
        let body = self.best_or_each(def.id(), returns.collect(), &[]);
        let annotation = || info.annotation.as_ref().and_then(|(t, c)| self.annotation(*t, c, depth + 1));
        // A service the container injects (`chatClient.prompt()` on an injected client) is
        // resolved after every file: it says more than the declared type.
        let injected = |p: &Path| p.0.first().is_some_and(|h| h.name.starts_with(super::SERVICE));
        match body {
            Some(Val::Path(p)) if !self.is_vendor_path(&p) && !injected(&p) => annotation().or(Some(Val::Path(p))),
            None => annotation(),
            v => v,
        }
    }

    // ------------------------------------------------------------ provided: values of arguments

    /// The string an expression holds where the code says it ([`Text`]). At most a few
    /// names deep.
    fn string_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<String> {
        if depth > 4 {
            return None;
        }
        let _nest = self.sym().budget.enter(depth)?;
        if let Some(o) = self.kept_string(v, ctx) {
            let s = self.string_value(o, ctx, depth + 1);
            return if self.strips_slash(v, ctx) { s.map(|s| s.trim_end_matches('/').to_string()) } else { s };
        }
        match self.text_shape(v, ctx) {
            Text::Lit(s) => Some(s),
            Text::Inner(n) => self.string_value(n, ctx, depth + 1),
            // `process.env.X ?? ""`: an empty fallback says nothing; the variable decides.
            Text::Fallback(n) => {
                let fallback = self.string_value(n, ctx, depth + 1).filter(|s| !s.is_empty());
                // `options.baseURL || "https://..."` in a constructor being probed: the
                // parameter, with the literal as its default; a parameter itself with a
                // fallback this instance does not spell (`base_url or self.envs["OPENAI_BASE_URL"]`
                // where a subclass's own `envs` lacks the key): the parameter alone, what a
                // subclass passes up. (A property of one, `access.host || env.HOST || DEFAULT`,
                // keeps the default its chain spells.)
                if !self.sym().probes.borrow().is_empty() {
                    if let Shape::Either(alts) = self.shape(v, ctx) {
                        let bare = |a: Node<'t>| matches!(self.shape(a, ctx), Shape::Name(p) if self.probe_at(p, ctx, a).is_some());
                        let param = alts.into_iter().filter(|a| *a != n).find_map(|a| {
                            let default = match &fallback {
                                Some(f) => f.as_str(),
                                None if bare(a) => "",
                                None => return None,
                            };
                            params::with_default(&self.string_value(a, ctx, depth + 1)?, default)
                        });
                        if param.is_some() {
                            return param;
                        }
                    }
                }
                fallback
            }
            Text::Concat(l, r) => {
                let joined = ArgValue::concat([
                    ArgValue::Str(self.string_value(l, ctx, depth + 1)?),
                    ArgValue::Str(self.string_value(r, ctx, depth + 1)?),
                ]);
                joined.text().map(str::to_string)
            }
            Text::Either(a, b) => matcher::either_value(
                self.rules(),
                self.string_value(a, ctx, depth + 1),
                self.string_value(b, ctx, depth + 1),
            ),
            Text::Name(name, _) if self.probe_at(name, ctx, v).is_some() => {
                let p = self.probe_at(name, ctx, v)?;
                let (last, head) = p.0.split_last()?;
                params::probe_key(&Path(head.to_vec()), &last.name).map(|k| params::marker(&k, ""))
            }
            Text::Name(name, _) if self.sym().argument(name, ctx).is_some() => match self.sym().argument(name, ctx)? {
                ArgValue::Str(s) => Some(s),
                _ => None,
            },
            // Of the values a name may hold here, one that names a proprietary host (any
            // branch that reaches a vendor), else the nearest non-empty one.
            Text::Name(name, pos) => {
                let values = self.lookup(name, ctx, pos).into_iter().take(8).filter_map(|b| match &b.bind {
                    Bind::Expr(n, c) if !encloses(*n, v) && !self.out_of_sight(*n, v) => {
                        self.string_value(*n, c, depth + 1)
                    }
                    Bind::Import(p) => self.imported_string(p),
                    // `const { url } = access(...)`. The call's value is the binding's,
                    // computed once ([`Front::resolve_binding`]): its memo is also the guard
                    // against a call whose arguments read this name again (`onText = newOnText`
                    // after `const { newOnText } = wrap(onText)`, `wrap` in another module),
                    // which [`Front::arg_value`] reads from depth 0 again.
                    Bind::Member(n, c, key) if !encloses(*n, v) => {
                        let called = self.cached((n.id(), 0), || self.resolve(*n, c, depth + 1))?;
                        self.member_string(called, key, v, depth)
                    }
                    _ => None,
                });
                // `let url = ""` before the branches that set it says nothing.
                matcher::proprietary_first(self.rules(), values.filter(|s| !s.is_empty()))
            }
            Text::Field(name) => {
                ctx.class.and_then(|c| self.field_string(c, name, v, depth, 0)).or_else(|| self.unset_field(None, name))
            }
            Text::Member(obj, name) => self
                .resolve(obj, ctx, depth + 1)
                .and_then(|o| self.member_string(o, &name, v, depth))
                .or_else(|| self.unset_field(Some(obj), &name)),
            Text::AnyEntry(obj) => {
                let Val::Object(table, tctx) = self.resolve(obj, ctx, depth + 1)? else { return None };
                let mut values = self.entries(table).into_iter().take(MAX_TABLE_ENTRIES).map(|e| match e {
                    Entry::Pair(_, n) => self.string_value(n, &tctx, depth + 1),
                    _ => None,
                });
                let first = values.next()??;
                let host = matcher::host_of(&first).filter(|_| first.contains("://"))?;
                values.all(|s| s.is_some_and(|s| matcher::host_of(&s).as_ref() == Some(&host))).then_some(first)
            }
            Text::Unknown => self.property_read(v, ctx),
        }
    }

    /// The URL a call given a property key reads (`PropertiesLoader.getValue("openai.baseUrl")`,
    /// `env.getProperty("spring.ai.openai.base-url")`): the value the tree's `.properties` or
    /// YAML files set that key to ([`super::settings::property`]), when the key is a literal
    /// dotted name and the files agree on its host. Whatever reads the files, the key decides.
    fn property_read(&self, v: Node<'t>, ctx: &Ctx) -> Option<String> {
        let Shape::Call { args: Some(args), new: false, .. } = self.shape(v, ctx) else { return None };
        let (None, first) = *self.arg_nodes(args).first()? else { return None };
        let key = self.string_lit(first)?;
        super::settings::property(&key).map(|set| set.url)
    }

    /// The string property `name` of a value read at `read`: an object literal's entry, a
    /// class's field, or what a module of the tree binds there (a constant, or what a
    /// function it declares returns: `mistralAccess(key).url`).
    fn member_string(&self, val: Val<'t>, name: &str, read: Node<'t>, depth: u32) -> Option<String> {
        match val {
            Val::Object(o, c) => self.entries(o).into_iter().find_map(|e| match e {
                Entry::Pair(k, val) | Entry::Shorthand(k, val) if k == name => self.string_value(val, &c, depth + 1),
                _ => None,
            }),
            Val::Class(c) | Val::Instance(c) => self.field_string(c, name, read, depth, 0),
            Val::Path(p) => match params::probe_key(&p, name) {
                Some(key) => Some(params::marker(&key, "")),
                None => self.imported_string(&p.member(name)),
            },
            Val::Func(_) => None,
        }
    }

    /// The URL pattern property `name` of a value ([`Front::member_string`], with holes):
    /// `{ url: host + apiPath }` returned by an access helper.
    fn member_pattern(&self, val: Val<'t>, name: &str, depth: u32) -> Option<ArgValue> {
        match val {
            Val::Object(o, c) => self.entries(o).into_iter().find_map(|e| match e {
                Entry::Pair(k, val) | Entry::Shorthand(k, val) if k == name => self.pattern_value(val, &c, depth + 1),
                _ => None,
            }),
            Val::Path(p) => self.imported_pattern(&p.member(name)),
            // `self.url = f"{self.base_url}/{self.account_id}/ai/run/{self.model}"`: the
            // pattern the class assigns to the field, when it assigns one.
            Val::Class(c) | Val::Instance(c) => {
                let info = self.sym().classes.get(&c)?;
                let Some(attrs) = info.attrs.get(name) else {
                    // `@property def _api_url(self): return f"{self.base_url}/v1/chat-completions/{m}"`
                    // (NAVER's chat model): what the getter returns, when its returns name one
                    // host (the paths may differ: the operation is the same API's).
                    let m = info.methods.get(name).filter(|m| self.is_getter(**m))?;
                    // (Each return read as an argument is: `return os.environ.get("X") or
                    // "https://..."` and `return conf().get("base", "https://...")` too.)
                    let returns = self.sym().funcs.get(&m.id())?.returns.clone();
                    let mut patterns = returns
                        .iter()
                        .map(|(n, c)| self.arg_value(*n, c, depth + 1, false))
                        .filter(|v| v.text().is_some());
                    let first = patterns.next()?;
                    let host = |p: &ArgValue| p.text().and_then(matcher::host_of);
                    return patterns.all(|p| host(&p) == host(&first)).then_some(first);
                };
                let binds: Vec<(Node<'t>, Ctx)> = attrs
                    .iter()
                    .filter_map(|b| match &b.bind {
                        Bind::Expr(n, ctx) => Some((*n, ctx.clone())),
                        _ => None,
                    })
                    .collect();
                let mut patterns = binds.into_iter().filter_map(|(n, ctx)| self.pattern_value(n, &ctx, depth + 1));
                let first = patterns.next()?;
                patterns.all(|p| p == first).then_some(first)
            }
            _ => None,
        }
    }

    /// The URL a helper this file cannot see returns when given one as its first argument:
    /// that URL, or a vendor's bare host made that host's URL. Given a value read at run time
    /// first and one URL after it (`AutoTranslateUrl.Complete(settings.ChatGptUrl,
    /// DefaultUrl)`, `OrDefault(configured, "https://api.mistral.ai/v1")`), the helper returns
    /// the setting or, where it is unset, that URL: one of a URL out of sight and a spelt one,
    /// which is the spelt one's, as `configured ?? url` is.
    fn helper_url(&self, args: Node<'t>, ctx: &Ctx, depth: u32) -> Option<ArgValue> {
        let first = self.first_arg(args)?;
        let url = self.arg_value(first, ctx, depth + 1, false);
        let host = |t: &str| {
            let after = t.split_once("://").map_or("", |(_, a)| a);
            let host: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || ".-".contains(*c)).collect();
            host.contains('.') || host == "localhost"
        };
        match url.text() {
            Some(t) if host(t) => Some(url),
            // `fixupHost(host || "api.anthropic.com")`: the helper adds the scheme.
            Some(t) if !t.contains("://") && self.rules().vendor_for_host(t).is_some() => {
                Some(ArgValue::Str(format!("https://{t}")))
            }
            Some(_) => None,
            None => {
                // Positional arguments spelt as a URL from their start (not a description
                // that mentions one: `Field(..., description="e.g. http://localhost:30000")`).
                let rest = self.arg_nodes(args).into_iter().filter(|(k, n)| k.is_none() && n.id() != first.id());
                let url = |t: &str| (t.starts_with("https://") || t.starts_with("http://")) && host(t);
                let urls: Vec<ArgValue> = rest
                    .take(MAX_HELPER_ARGS)
                    .map(|(_, n)| self.arg_value(n, ctx, depth + 1, false))
                    .filter(|v| v.text().is_some_and(url))
                    .collect();
                match urls.as_slice() {
                    [only] => Some(only.clone()),
                    _ => None,
                }
            }
        }
    }

    /// What a call of `p`, a function another module of the tree declares, returns, given
    /// the argument list `args`.
    fn returned_by_module(&self, p: &Path, args: Option<Node<'t>>, ctx: &Ctx, depth: u32) -> Option<ArgValue> {
        if !self.locals().is_local_path(p) {
            return None;
        }
        // Most calls into the tree's modules return nothing a rule reads: ask the module
        // first, and value the arguments (each a resolution of its own) only when what it
        // returns has parameters to fill.
        let text = self.imported_text(&p.called(CallArgs::default())?)?;
        let args = match args {
            Some(a) if depth < PATTERN_DEPTH && params::has_marker(&text) => self.call_args(a, ctx, depth + 1, p),
            _ => CallArgs::default(),
        };
        self.filled_import(&p.called(args)?, &text)
    }

    /// The string a module of the tree binds where `path` names it
    /// (`local:app/constant.MOONSHOT_BASE_URL`, `app.settings.Moonshot.ChatPath`); a URL
    /// pattern with holes (a function's return) is [`Front::imported_pattern`]'s.
    fn imported_string(&self, path: &Path) -> Option<String> {
        match self.imported_pattern(path)? {
            ArgValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// What a module of the tree binds where `path` names it, holes included
    /// (`local:lib/access.apiUrl(...)`: the URL pattern the function returns).
    ///
    /// A function's parameters are filled with the arguments the path calls it with
    /// (`ollamaAccess(access, "/api/chat").url`, [`params`]); a function whose returns name
    /// different servers is each of them, chosen at run time ([`Front::one_of`]).
    fn imported_pattern(&self, path: &Path) -> Option<ArgValue> {
        let s = self.imported_text(path)?;
        self.filled_import(path, &s)
    }

    /// The text a module of the tree binds where `path` names it, parameter markers and
    /// alternatives unfilled ([`Front::imported_pattern`]).
    fn imported_text(&self, path: &Path) -> Option<String> {
        match self.core().level {
            0 => None,
            hops => self.module_paths(path).iter().find_map(|p| self.locals().module_string(p, self.rules(), hops)),
        }
    }

    /// [`Front::imported_text`] `s` filled with the arguments `path` calls it with.
    fn filled_import(&self, path: &Path, s: &str) -> Option<ArgValue> {
        let args = path.0.iter().rev().find_map(|seg| seg.call.as_deref()).cloned().unwrap_or_default();
        let values: Vec<ArgValue> = s.split(params::ALTERNATIVE).map(|alt| params::fill_text(alt, &args)).collect();
        if values.len() == 1 {
            return values.into_iter().next();
        }
        // The same key from every call site of the function: its names, not its arguments.
        let key = path.0.iter().map(|seg| seg.name.as_str()).collect::<Vec<_>>().join(".");
        let id = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        self.one_of(id as usize | (1 << (usize::BITS - 1)), values)
    }

    /// The strings this module binds at its top level: names bound to strings, and the
    /// string properties of objects and enums two levels deep (`Moonshot.ChatPath`), by
    /// their last binding; what it imports and re-exports as it is.
    fn module_strings(&self) -> ModuleStrings {
        let root = self.sym().root_id;
        let mut out = HashMap::new();
        let Some(scope) = self.sym().scopes.get(&root) else { return out };
        let mut names: Vec<&String> = scope.keys().collect();
        names.sort();
        let mut functions = Vec::new();
        for name in names {
            let Some(b) = scope[name].last() else { continue };
            match &b.bind {
                // Functions after every constant (below), so that their budget is the rest.
                Bind::Expr(n, c) if matches!(self.shape(*n, c), Shape::Function(_)) => functions.push((name, *n)),
                Bind::Func(def) => functions.push((name, *def)),
                Bind::Expr(n, c) => {
                    self.strings_under(*n, c, name, 0, &mut out);
                    // `settings = Settings()`: the string fields of that instance, for the
                    // modules that import `settings` and read `settings.base_url`.
                    if let Some(Val::Instance(class)) = self.resolve(*n, c, 1) {
                        self.instance_strings(class, *n, name, &mut out);
                    }
                }
                // Class constants (`class Mistral: BASE = "https://..."`), nested classes' too.
                Bind::Class(id) => self.class_strings(*id, name, &mut out),
                Bind::Import(p) => {
                    out.insert(name.clone(), ModuleValue::Import(p.clone()));
                }
                _ => {}
            }
        }
        for (name, def) in functions {
            self.returns_under(def, name, &mut out);
        }
        out
    }

    /// [`Front::module_strings`] of class `class` bound as `name`: its constants and field
    /// initialisers (`name.attr`), and those of the classes declared in it, a few levels deep
    /// (`ProviderSetting.OpenAI.baseUrl`, a JVM sealed class's cases).
    fn class_strings(&self, class: usize, name: &str, out: &mut ModuleStrings) {
        let mut todo = vec![(class, name.to_string(), 0)];
        while let Some((id, name, level)) = todo.pop() {
            let Some(info) = self.sym().classes.get(&id) else { continue };
            let mut attrs: Vec<&String> = info.attrs.keys().collect();
            attrs.sort();
            for attr in attrs {
                // The last assignment (`base_url: str = URL` binds its annotation too).
                let assigned = info.attrs[attr].iter().rev().find(|b| matches!(b.bind, Bind::Expr(..)));
                if let Some(Bind::Expr(n, c)) = assigned.map(|b| &b.bind) {
                    // An empty placeholder says nothing (as in [`Front::field_string`]).
                    if let Some(s) = self.string_value(*n, c, 0).filter(|s| !s.is_empty()) {
                        out.insert(format!("{name}.{attr}"), ModuleValue::Str(s));
                    }
                }
            }
            if level >= MAX_NESTED_CLASSES {
                continue;
            }
            let Some(scope) = self.sym().scopes.get(&id) else { continue };
            let mut nested: Vec<(&String, usize)> = scope
                .iter()
                .filter_map(|(n, binds)| match binds.last().map(|b| &b.bind) {
                    Some(Bind::Class(inner)) => Some((n, *inner)),
                    _ => None,
                })
                .collect();
            nested.sort();
            todo.extend(nested.into_iter().map(|(n, inner)| (inner, format!("{name}.{n}"), level + 1)));
        }
    }

    /// The string fields of an instance of local class `class` bound at the top level as
    /// `name` (`settings.base_url`), each as its class declares it ([`Front::field_string`]).
    fn instance_strings(&self, class: usize, read: Node<'t>, name: &str, out: &mut ModuleStrings) {
        let Some(info) = self.sym().classes.get(&class) else { return };
        let mut attrs: Vec<&String> = info.attrs.keys().collect();
        attrs.sort();
        for attr in attrs {
            let key = format!("{name}.{attr}");
            if out.contains_key(&key) {
                continue;
            }
            if let Some(s) = self.field_string(class, attr, read, 0, 0) {
                out.insert(key, ModuleValue::Str(s));
            }
        }
    }

    /// The top-level names of a module holding a vendor's URL: computed where the module
    /// spells a vendor URL literal (an endpoint finding), for the importers the prefilter
    /// set aside ([`FileOutput::url_names`]).
    fn url_names(&self, out: &FileOutput) -> Vec<String> {
        if !out.findings.iter().any(|f| f.kind == crate::finding::Kind::Endpoint) {
            return Vec::new();
        }
        let rules = self.rules();
        let mut names: Vec<String> = self
            .module_strings()
            .into_iter()
            .filter(|(k, v)| match v {
                // The host of a pattern ends at its first hole (`https://api.x.com{path}`).
                // A function of this module that returns a URL whose host it takes from
                // elsewhere (`llmsFixupHost(access.host || DEFAULT_HOST)` of another module)
                // may return its vendor's: its importers are read too.
                ModuleValue::Str(v) => v.split(params::ALTERNATIVE).any(|alt| {
                    let filled = params::fill_text(alt, &CallArgs::default());
                    let text = filled.text().unwrap_or_default();
                    let head = text.split(HOLE).next().unwrap_or_default();
                    matcher::host_of(head).and_then(|h| rules.vendor_for_host(&h)).is_some()
                        || (k.contains('(') && head.contains("://") && matcher::host_of(head).is_none())
                }),
                ModuleValue::Import(_) => false,
            })
            .map(|(k, _)| k.split(['.', '(']).next().unwrap_or(&k).to_string())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// [`Front::module_strings`] of a function: the URL (pattern) it returns, as `name()`,
    /// and the URL properties of an object it returns, as `name().url`; its parameters are
    /// markers a caller's arguments fill ([`params`]). A key whose returns name different
    /// servers (`switch (dialect)` returning each provider's URL) holds each, chosen at run
    /// time ([`params::ALTERNATIVE`]), when every one is a vendor's or a self-hosted server;
    /// with a host no rule knows among them it is left out.
    fn returns_under(&self, def: Node<'t>, name: &str, out: &mut ModuleStrings) {
        let returned = || Some(self.returned_strings(def, name));
        let found = self.probing(def, returned).or_else(returned).unwrap_or_default();
        let host = |s: &str| {
            let filled = params::fill_text(s, &CallArgs::default());
            filled.text().and_then(|t| matcher::host_of(t.split(HOLE).next().unwrap_or_default()))
        };
        let served = |s: &str| {
            let filled = params::fill_text(s, &CallArgs::default());
            let head = filled.text().map(|t| t.split(HOLE).next().unwrap_or_default().to_string());
            matches!(
                head.and_then(|h| matcher::classify_base_url(self.rules(), &h)),
                Some(matcher::HostClass::Vendor(_) | matcher::HostClass::SelfHosted)
            )
        };
        let mut keys: Vec<&String> = found.iter().map(|(k, _)| k).collect();
        keys.dedup();
        for k in keys {
            if out.contains_key(k) {
                continue;
            }
            let mut values: Vec<&str> = Vec::new();
            let mut hosts = Vec::new();
            for (_, s) in found.iter().filter(|(k2, _)| k2 == k) {
                let h = host(s);
                if !hosts.contains(&h) {
                    hosts.push(h);
                    values.push(s);
                }
            }
            // Different servers, each a vendor or self-hosted: each, chosen at run time.
            if values.len() == 1 || values.iter().all(|s| served(s)) {
                out.insert(k.clone(), ModuleValue::Str(values.join(&params::ALTERNATIVE.to_string())));
            }
        }
    }

    /// The URL (pattern) strings function `def`, exported as `name`, returns, keyed as
    /// [`Front::returns_under`] says.
    fn returned_strings(&self, def: Node<'t>, name: &str) -> Vec<(String, String)> {
        let Some(info) = self.sym().funcs.get(&def.id()) else { return Vec::new() };
        let key = format!("{name}()");
        let mut found: Vec<(String, String)> = Vec::new();
        // (A value that starts with a hole, a parameter returned, says nothing; a parameter
        // with a default, `access.host || DEFAULT_HOST`, says its default.)
        let pattern = |v: Node<'t>, c: &Ctx| {
            self.string_value(v, c, 0)
                .or_else(|| self.pattern_value(v, c, 0).and_then(|p| p.text().map(str::to_string)))
                .filter(|s| !s.is_empty() && !s.starts_with(HOLE) && params::leads_with_text(s))
        };
        for (n, c) in info.returns.iter().take(16) {
            if let Some(s) = pattern(*n, c) {
                found.push((key.clone(), s));
                continue;
            }
            // Of the objects one return merges, the first to give a key decides it.
            let mut given: Vec<String> = Vec::new();
            for (o, c) in self.merged_objects(*n, c) {
                for e in self.entries(o) {
                    let (Entry::Pair(k, v) | Entry::Shorthand(k, v)) = e else { continue };
                    let k = format!("{key}.{k}");
                    if given.contains(&k) {
                        continue;
                    }
                    if let Some(s) = pattern(v, &c) {
                        given.push(k.clone());
                        found.push((k, s));
                    }
                }
            }
            // A settings object filled in before it is returned (`if (!settings.apiURL)
            // settings.apiURL = DEFAULT_URL; return settings`): each property's written value
            // is what a caller reads when the stored settings leave it unset; the last write wins.
            if let Shape::Name(var) = self.shape(*n, c) {
                let mut written: Vec<(String, String)> = Vec::new();
                for (prop, v, vc) in self.assigned_props(var, c, n.start_byte()) {
                    let k = format!("{key}.{prop}");
                    written.retain(|(w, _)| *w != k);
                    if !given.contains(&k) {
                        if let Some(s) = pattern(v, &vc) {
                            written.push((k, s));
                        }
                    }
                }
                found.extend(written);
            }
        }
        found
    }

    /// The object literals a returned value takes its properties from, the one that wins
    /// first: the literal itself, or the objects a defaults merge combines
    /// (`defaults(options, defaultConfig)`, `Object.assign({}, defaults, options)`), whose
    /// literal entries hold wherever the run-time object leaves a key unset.
    fn merged_objects(&self, v: Node<'t>, ctx: &Ctx) -> Vec<(Node<'t>, Ctx)> {
        match self.shape(v, ctx) {
            Shape::Object(o) => vec![(o, ctx.clone())],
            Shape::Call { callee, args: Some(args), new: false, .. } => {
                let Some(Val::Path(p)) = self.resolve(callee, ctx, 1) else { return Vec::new() };
                let Some(first_wins) = merge_order(&p.dotted(p.0.len())) else { return Vec::new() };
                let mut objects: Vec<(Node<'t>, Ctx)> = self
                    .arg_nodes(args)
                    .into_iter()
                    .filter(|(k, _)| k.is_none())
                    .take(MAX_MERGED)
                    .filter_map(|(_, a)| match self.resolve(a, ctx, 1) {
                        Some(Val::Object(o, c)) => Some((o, c)),
                        _ => None,
                    })
                    .collect();
                if !first_wins {
                    objects.reverse();
                }
                objects
            }
            _ => Vec::new(),
        }
    }

    /// [`Front::module_strings`] of one value.
    fn strings_under(&self, v: Node<'t>, ctx: &Ctx, key: &str, depth: u32, out: &mut ModuleStrings) {
        if let Some(s) = self.string_value(v, ctx, 0) {
            out.insert(key.to_string(), ModuleValue::Str(s));
            return;
        }
        if depth >= 2 {
            return;
        }
        if let Shape::Object(o) = self.shape(v, ctx) {
            for e in self.entries(o) {
                if let Entry::Pair(k, val) = e {
                    self.strings_under(val, ctx, &format!("{key}.{k}"), depth + 1, out);
                }
            }
        }
    }

    /// The string a string method is called on where the method keeps its host
    /// (`base.trim()`, `url.rstrip("/")`, `url.slice(0, -1)`: [`keeps_host`]).
    /// Also the argument of a conversion to text (`String(url)`, `str(url)`).
    fn kept_string(&self, v: Node<'t>, ctx: &Ctx) -> Option<Node<'t>> {
        let Shape::Call { callee, args, .. } = self.shape(v, ctx) else { return None };
        match self.shape(callee, ctx) {
            // Go's `strings.TrimSuffix(base, "/")`: a package function given the string first.
            Shape::Member(obj, method) if self.string_package(obj, ctx) => {
                let given: Vec<Node<'t>> = self.arg_nodes(args?).into_iter().map(|(_, n)| n).collect();
                (keeps_host_of_package(method) && given.len() <= 2).then(|| given.first().copied())?
            }
            Shape::Member(obj, method) => {
                let first = args.and_then(|a| self.first_arg(a)).map(|a| self.text(a));
                keeps_host(method, first).then_some(obj)
            }
            Shape::Name(name @ ("String" | "str")) if self.lookup(name, ctx, callee.start_byte()).is_empty() => {
                match self.arg_nodes(args?).as_slice() {
                    [(None, a)] => Some(*a),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether a string method [`Front::kept_string`] reads through removes the trailing
    /// slashes of its string (`base.trim_end_matches('/')`, `url.rstrip("/")`,
    /// `url.replace(/\/+$/, "")`): `format!("{base}/chat")` then has one slash.
    fn strips_slash(&self, v: Node<'t>, ctx: &Ctx) -> bool {
        let Shape::Call { callee, args: Some(args), .. } = self.shape(v, ctx) else { return false };
        let Shape::Member(obj, method) = self.shape(callee, ctx) else { return false };
        // `strings.TrimSuffix(base, "/")`, `strings.TrimRight(base, "/")`: the cut set second.
        if self.string_package(obj, ctx) {
            let second = self.arg_nodes(args).get(1).map(|(_, a)| self.text(*a));
            return matches!(method, "TrimSuffix" | "TrimRight") && second.is_some_and(|s| s.trim_matches('"') == "/");
        }
        let Some(first) = self.first_arg(args).map(|a| self.text(a)) else { return false };
        match method {
            "trim_end_matches" | "rstrip" | "removesuffix" | "TrimEnd" => first.trim_matches(['\'', '"']) == "/",
            "replace" | "replaceAll" => matches!(first.trim_end_matches(['g', 'i']), r"/\/+$/" | r"/\/$/"),
            _ => false,
        }
    }

    /// The string field `name` of a class holds where the code says it: the one string its
    /// assignments give (`apiBase = "https://..."` and `this.apiBase = config.apiBase ??
    /// this.apiBase` agree; an assignment from configuration alone says nothing), else the
    /// property of that name in a defaults object the class declares (`static defaultOptions
    /// = { apiBase: "https://..." }`), else a local base class's.
    fn field_string(&self, class: usize, name: &str, read: Node<'t>, depth: u32, inherit: u32) -> Option<String> {
        let info = self.sym().classes.get(&class)?;
        let mut found: Option<String> = None;
        for b in info.attrs.get(name).into_iter().flatten() {
            let Bind::Expr(n, c) = &b.bind else { continue };
            if encloses(*n, read) {
                continue;
            }
            // Values that differ only by a trailing slash agree (`if (!base.endsWith("/"))
            // base += "/"` normalises it): the one with the slash is what is read.
            // An empty placeholder (`base_url: str = Field(default="")`, filled in by a
            // validator) says nothing, as `let url = ""` before the branches that set it.
            // Two hosts of one vendor (01.AI's China and global hosts, chosen by region) agree
            // on who serves it.
            let vendor = |u: &str| matcher::host_of(u).and_then(|h| self.rules().vendor_for_host(&h)).map(|v| &v.id);
            match (self.string_value(*n, c, depth + 1).filter(|s| !s.is_empty()), &found) {
                (Some(s), Some(f))
                    if s.trim_end_matches('/') != f.trim_end_matches('/')
                        && (vendor(&s).is_none() || vendor(&s) != vendor(f)) =>
                {
                    return None
                }
                (Some(s), Some(f)) if s.ends_with('/') && !f.ends_with('/') => found = Some(s),
                (Some(s), None) => found = Some(s),
                _ => {}
            }
        }
        if found.is_some() {
            return found;
        }
        let mut fields: Vec<&String> = info.attrs.keys().filter(|k| k.as_str() != name).collect();
        fields.sort();
        for field in fields {
            for b in &info.attrs[field] {
                let Bind::Expr(n, c) = &b.bind else { continue };
                if !matches!(self.shape(*n, c), Shape::Object(_)) {
                    continue;
                }
                for e in self.entries(*n) {
                    if let Entry::Pair(k, v) = e {
                        if k == name {
                            if let Some(s) = self.string_value(v, c, depth + 1) {
                                return Some(s);
                            }
                        }
                    }
                }
            }
        }
        if inherit >= 4 {
            return None;
        }
        info.bases.iter().find_map(|(b, c)| match self.resolve(*b, c, depth + 1) {
            Some(Val::Class(base)) if base != class => self.field_string(base, name, read, depth + 1, inherit + 1),
            _ => None,
        })
    }

    /// `parts` joined with one `/` between each (`urlJoin(base, "/v1/models")`).
    fn joined_value(&self, parts: Vec<Node<'t>>, ctx: &Ctx, depth: u32) -> Option<ArgValue> {
        let mut joined: Option<String> = None;
        for n in parts {
            let v = self.arg_value(n, ctx, depth + 1, false);
            let t = v.text()?;
            joined = Some(joined.map_or_else(|| t.to_string(), |j| http::join(&j, t)));
        }
        let joined = joined?;
        Some(if joined.contains(HOLE) { ArgValue::Pattern(joined) } else { ArgValue::Str(joined) })
    }

    /// A string built from parts (a template, an f-string, `a + b`, `new URL(path, base)`,
    /// or a name bound to one): its known text with holes, for request URLs.
    ///
    /// Memoised per node, depth and context while no parameter is bound, as
    /// [`Front::env_value`] is.
    fn pattern_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<ArgValue> {
        self.memoised(&self.sym().patterns, u8::MAX - 2, v, ctx, depth, || self.pattern_value_at(v, ctx, depth))
    }

    /// [`Front::pattern_value`], computed.
    fn pattern_value_at(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<ArgValue> {
        // (Deep enough for a URL built by a method from what another method returns:
        // `fetch(this.buildUrl(path).toString())`, `buildUrl` joining `this.getApiBase()`.)
        if depth > PATTERN_DEPTH {
            return None;
        }
        let _nest = self.sym().budget.enter(depth)?;
        if let Some(o) = self.kept_string(v, ctx) {
            let value = self.pattern_value(o, ctx, depth + 1);
            return match value {
                Some(ArgValue::Str(s)) if self.strips_slash(v, ctx) => {
                    Some(ArgValue::Str(s.trim_end_matches('/').into()))
                }
                Some(ArgValue::Pattern(s)) if self.strips_slash(v, ctx) => {
                    Some(ArgValue::Pattern(s.trim_end_matches('/').into()))
                }
                v => v,
            };
        }
        let part = |n: Option<Node<'t>>| n.map_or(ArgValue::Dynamic, |n| self.arg_value(n, ctx, depth + 1, false));
        let pieces = match self.pieces(v) {
            Pieces::Format(format, args, Style::Printf) => {
                Pieces::Parts(super::template::printf(&self.string_value(format, ctx, depth + 1)?, &args))
            }
            Pieces::Format(format, args, Style::Braces) => {
                let format = self.string_value(format, ctx, depth + 1)?;
                let positional: Vec<Option<Node<'t>>> = args.into_iter().map(Some).collect();
                Pieces::Parts(super::template::braces(&format, &positional, &HashMap::new(), 0))
            }
            pieces => pieces,
        };
        let value = match pieces {
            Pieces::Parts(parts) => {
                // The URL's start: the first piece that is not empty text (a brace format
                // starting with a hole, `"{}/v1/chat/completions"`, has an empty text first).
                let start = parts.iter().position(|p| !matches!(p, Piece::Text(s) if s.is_empty())).unwrap_or(0);
                ArgValue::concat(parts.into_iter().enumerate().map(|(i, p)| match p {
                    Piece::Text(s) => ArgValue::Str(s),
                    // The server, named as a self-hosted one but not spelt.
                    Piece::Hole(Some(n)) if i == start => {
                        let value = part(Some(n));
                        if self.names_self_hosted_server(&value, ctx) {
                            ArgValue::Str(format!("http://{SELF_HOSTED}"))
                        } else if let Some(host) = self.setting_server(&value) {
                            // A vendor's server a setting names (`${DEEPSEEK_BASE_URL}/chat/completions`).
                            ArgValue::Str(format!("https://{host}"))
                        } else {
                            value
                        }
                    }
                    Piece::Hole(n) => part(n),
                    Piece::Name(name, pos) => self.sym().argument(&name, ctx).unwrap_or_else(|| {
                        let binds = self.lookup(&name, ctx, pos);
                        // A property of the enclosing class nothing else binds (Kotlin's
                        // `"$apiUrl/chat/completions"` in a method).
                        let field = || ctx.class.and_then(|c| self.field_string(c, &name, v, depth + 1, 0));
                        if let Some(s) = self.implicit_field(&name, v, ctx).then(field).flatten() {
                            return ArgValue::Str(s);
                        }
                        let bound = binds.into_iter().find_map(|b| match &b.bind {
                            Bind::Expr(n, c) => Some(self.arg_value(*n, c, depth + 1, false)),
                            Bind::Import(p) => self.imported_pattern(p),
                            _ => None,
                        });
                        bound.unwrap_or(ArgValue::Dynamic)
                    }),
                }))
            }
            Pieces::Plus(l, r) => {
                let (left, right) = (part(Some(l)), part(Some(r)));
                // The server, named as a self-hosted one but not spelt (`withSlash(settings
                // .getOllamaUrl()) + "api/show"`), as in a template above.
                let unspelt = left.text().is_none_or(|t| t.starts_with(HOLE));
                let server = || {
                    self.names_self_hosted_server(&left, ctx)
                        || self.names_self_hosted_server(&ArgValue::Dynamic, ctx)
                        || self.self_hosted_helper(l, ctx).is_some()
                        // (`String baseUrl = withSlash(settings.getOllamaUrl());` before.)
                        || self.aliased(l, ctx).is_some_and(|(n, c)| n != l && self.self_hosted_helper(n, &c).is_some())
                };
                let sep = if right.text().is_some_and(|t| t.starts_with(['/', '?'])) { "" } else { "/" };
                if unspelt && server() {
                    ArgValue::concat([ArgValue::Str(format!("http://{SELF_HOSTED}{sep}")), right])
                } else if let Some(host) = self.setting_server(&left) {
                    // A vendor's server a setting names (`conf.getApiHost() + "/chat/completions"`
                    // of a `@ConfigurationProperties(prefix = "deepseek")` class).
                    ArgValue::concat([ArgValue::Str(format!("https://{host}{sep}")), right])
                } else {
                    ArgValue::concat([left, right])
                }
            }
            Pieces::Url(rel, base) => {
                let rel = part(Some(rel));
                match part(base).text() {
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
            Pieces::Name(name, _) if self.sym().argument(name, ctx).is_some() => self.sym().argument(name, ctx)?,
            Pieces::Origin(n) => {
                let origin = http::origin(part(Some(n)).text()?)?;
                if origin.contains(HOLE) {
                    ArgValue::Pattern(origin)
                } else {
                    ArgValue::Str(origin)
                }
            }
            Pieces::Join(parts) => self.joined_value(parts, ctx, depth)?,
            Pieces::Branches(branches) => {
                let values: Vec<ArgValue> = branches.into_iter().map(|n| part(Some(n))).collect();
                // A branch whose value is out of sight (a configured endpoint: `if let Some(u) =
                // &self.endpoint { u.to_string() } else { format!("https://bedrock-runtime.{r}.amazonaws.com") }`)
                // overrides the others as `endpoint.unwrap_or(default)` does: the branches
                // spelt decide, when they name a vendor's API.
                // A branch that spells only a path after a host out of sight (`strings.TrimSuffix(
                // os.Getenv("X_BASE_URL"), "/") + "/chat/completions"`) is configuration too,
                // unless every branch is.
                let hosted = |v: &&ArgValue| {
                    v.text().is_some_and(|t| !http::host_out_of_sight(t) && !t.contains(super::path::SETTING))
                };
                let mut spelt: Vec<ArgValue> = values.iter().filter(hosted).cloned().collect();
                if spelt.is_empty() {
                    spelt = values.iter().filter(|v| v.text().is_some()).cloned().collect();
                }
                let configured = spelt.len() < values.len();
                let first = spelt.first()?.clone();
                let text = first.text()?;
                if !configured && spelt.iter().all(|v| v.text() == Some(text)) {
                    first
                } else if !configured
                    && spelt.iter().all(|v| {
                        v.text().and_then(http::configured_path) == http::configured_path(text)
                            && http::configured_path(text).is_some()
                    })
                {
                    // Branches that only place one path under a configured root differently
                    // (`root.EndsWith("/v1") ? $"{root}/{r}" : $"{root}/v1/{r}"`): that path.
                    first
                } else {
                    let vendor = http::classify(self.rules(), text)?.served.vendor;
                    let same = |v: &ArgValue| {
                        v.text()
                            .and_then(|t| http::classify(self.rules(), t))
                            .is_some_and(|c| c.served.vendor == vendor)
                    };
                    if !spelt.iter().all(same) {
                        return None;
                    }
                    first
                }
            }
            // `this.getBaseUrl()` in a base class probed for its subclasses: what they return.
            Pieces::Call(callee, _) if inherit::method_marker(self, callee, ctx).is_some() => {
                inherit::method_marker(self, callee, ctx)?
            }
            Pieces::Call(callee, args) => match self.resolve(callee, ctx, depth + 1) {
                Some(Val::Func(def)) => self
                    .call_value(def, args, ctx, depth + 1)
                    .or_else(|| self.property_read(v, ctx).map(ArgValue::Str))?,
                // A function another module of the tree declares: what it returns, its
                // parameters as holes (`apiUrl("chat/completions")` of `lib/urls`).
                Some(Val::Path(p)) => match self.returned_by_module(&p, args, ctx, depth) {
                    Some(v) => v,
                    // A helper this file cannot see named for joining URL parts
                    // (`smart_urljoin(url, "models")` of a utilities module out of the tree).
                    None if p.0.last().is_some_and(|s| http::joins_url(&s.name)) => {
                        let parts = self.arg_nodes(args?).into_iter().filter(|(k, _)| k.is_none()).map(|(_, n)| n);
                        self.joined_value(parts.collect(), ctx, depth)?
                    }
                    // A helper this file cannot see given an absolute URL (`gatewayUrl(url)`,
                    // `withProxy(url)`) returns a URL of the same service. (An HTTP library's
                    // request object, `Request(url)`, is a request of its own.)
                    None if !self.is_vendor_path(&p) && !http::is_library(self.rules(), self.ecosystem(), &p) => {
                        let helper = args.and_then(|a| self.helper_url(a, ctx, depth));
                        helper.or_else(|| self.property_read(v, ctx).map(ArgValue::Str))?
                    }
                    None => return None,
                },
                _ => ArgValue::Str(self.property_read(v, ctx)?),
            },
            Pieces::Name(name, pos) => {
                let binds = self.lookup(name, ctx, pos);
                // A name no scope of the file binds, that another file of the module declares
                // (a Go package's `const APIBaseURL` in a sibling file): what that file binds.
                if binds.is_empty() {
                    return match self.unbound(name, ctx)? {
                        Val::Path(p) => self.imported_pattern(&p),
                        _ => None,
                    };
                }
                let usable = |b: &&Binding<'t>| match &b.bind {
                    Bind::Expr(n, _) | Bind::Member(n, _, _) => !encloses(*n, v) && !self.out_of_sight(*n, v),
                    _ => false,
                };
                let mut usable_binds = binds.into_iter().filter(usable);
                let bound = usable_binds.next()?.bind.clone();
                // Assigned in each branch of a conditional (`switch platform { case Azure: url =
                // ..; case OpenAI: url = .. }; return url`): each branch's value, the one in
                // force chosen at run time ([`Front::one_of`]). A name met deep inside another
                // value is read at its nearest assignment: weighing every branch of every name a
                // value passes through grows with their product (a `let client` and a `let mut
                // builder` in each of a `match`'s eight arms spent a file's whole step budget,
                // and its raw HTTP call was lost).
                let weigh = depth < MAX_BRANCH_DEPTH;
                if let (true, Bind::Expr(first, fc)) = (weigh, &bound) {
                    let at = self.core().ancestry(*first);
                    let others: Vec<(Node<'t>, Ctx)> = usable_binds
                        .take(MAX_BRANCH_VALUES)
                        .filter_map(|b| match &b.bind {
                            Bind::Expr(n, c) if at.exclusive(&self.core().ancestry(*n)) => Some((*n, c.clone())),
                            _ => None,
                        })
                        .collect();
                    if !others.is_empty() {
                        let values: Vec<ArgValue> = std::iter::once((*first, fc.clone()))
                            .chain(others)
                            .map(|(n, c)| self.arg_value(n, &c, depth + 1, false))
                            .filter(|v| v.text().is_some())
                            .collect();
                        return self.one_of(first.id(), values);
                    }
                }
                let (n, c) = match bound {
                    Bind::Expr(n, c) => (n, c),
                    // `const { url } = access(...)`: that property of what the call returns.
                    Bind::Member(n, c, key) => {
                        // A local function called here: its parameters bound to the arguments.
                        if let Shape::Call { callee, args, new: false, .. } = self.shape(n, &c) {
                            if let Some(Val::Func(def)) = self.resolve(callee, &c, depth + 1) {
                                return self.call_value_of(def, args, &c, depth + 1, Some(&key));
                            }
                        }
                        return self.member_pattern(self.resolve(n, &c, depth + 1)?, &key, depth + 1);
                    }
                    _ => return None,
                };
                match self.pieces(n) {
                    // `let url = endpoint;`, a parameter bound to its caller's `url`: what
                    // that name holds where it is read ([`Front::aliased`]).
                    Pieces::Name(..) => {
                        let (n, c) = self.aliased(n, &c)?;
                        self.arg_value(n, &c, depth + 1, false)
                    }
                    Pieces::Parts(_)
                    | Pieces::Plus(..)
                    | Pieces::Url(..)
                    | Pieces::Origin(_)
                    | Pieces::Call(..)
                    | Pieces::Join(_)
                    | Pieces::Format(..)
                    | Pieces::Branches(_) => self.arg_value(n, &c, depth + 1, false),
                    // `const base = await this.getBaseUrl()`: what the awaited call returns;
                    // never a response (`const resp = await this.fetch(url)`).
                    Pieces::Inner(inner)
                        if !matches!(self.pieces(inner), Pieces::Call(f, _)
                            if self.callee_name(f, 0).is_some_and(http::request_like)) =>
                    {
                        self.arg_value(n, &c, depth + 1, false)
                    }
                    _ => return None,
                }
            }
            Pieces::Inner(n) => part(Some(n)),
            // (Read into `Parts` above.)
            Pieces::Format(..) => return None,
            // `access.url`, `mistralAccess(key).url`: a property holding a URL pattern.
            Pieces::Unknown => match self.shape(v, ctx) {
                Shape::Member(obj, name) => self.member_pattern(self.resolve(obj, ctx, depth + 1)?, name, depth + 1)?,
                Shape::Call { .. } => ArgValue::Str(self.property_read(v, ctx)?),
                _ => return None,
            },
        };
        value.text().is_some().then_some(value)
    }

    /// What a name another name is bound to holds (`handle_streaming_response(client, url,
    /// ..)` binding the helper's `url` to the caller's, itself `let url = format!(..)`): the
    /// value of its nearest binding before the read, followed through further names. Only
    /// bindings made before the read: a later one (`let url = format!("{}/v1", url)` after
    /// `if let Some(url) = url`) builds on this value and would be read in a circle.
    fn aliased(&self, n: Node<'t>, ctx: &Ctx) -> Option<(Node<'t>, Ctx)> {
        let (mut cur, mut c) = (n, ctx.clone());
        for _ in 0..MAX_ALIASES {
            let Pieces::Name(name, pos) = self.pieces(cur) else { return Some((cur, c)) };
            if self.sym().argument(name, &c).is_some() {
                return Some((cur, c));
            }
            let (next, nc) =
                self.lookup(name, &c, pos).into_iter().filter(|b| b.pos < pos).find_map(|b| match &b.bind {
                    Bind::Expr(v, vc) if !encloses(*v, cur) && !self.out_of_sight(*v, cur) => Some((*v, vc.clone())),
                    _ => None,
                })?;
            (cur, c) = (next, nc);
        }
        None
    }

    /// The string a call of local function `def` returns, with its parameters bound to the
    /// call's arguments (`_getEndpoint("chat/completions")` returning `new URL(endpoint,
    /// this.apiBase)`): the first return whose value is known.
    fn call_value(&self, def: Node<'t>, args: Option<Node<'t>>, ctx: &Ctx, depth: u32) -> Option<ArgValue> {
        self.call_value_of(def, args, ctx, depth, None)
    }

    /// [`Front::call_value`], or with `key` the property of that name of the object the
    /// call returns (`const { url } = access(key, "/v1/messages")`).
    fn call_value_of(
        &self,
        def: Node<'t>,
        args: Option<Node<'t>>,
        ctx: &Ctx,
        depth: u32,
        key: Option<&str>,
    ) -> Option<ArgValue> {
        let values = self.bind_params(def, args, ctx, depth);
        let mut returns: Vec<(Node<'t>, Ctx)> = self.sym().funcs.get(&def.id())?.returns.clone();
        // Returns naming different providers, one picked at run time ([`Front::chosen_object`]):
        // a property read follows the return chosen, as every other read of the result does.
        if key.is_some_and(|k| !k.starts_with('#')) {
            let object = |(n, c): &(Node<'t>, Ctx)| match self.shape(*n, c) {
                Shape::Object(o) => Some(o),
                _ => None,
            };
            if let Some(chosen) = self.chosen_object(def.id(), returns.iter().filter_map(object)) {
                returns.retain(|r| object(r) == Some(chosen));
            }
        }
        self.sym().frames.borrow_mut().push((def.id(), values));
        let value = |n: Node<'t>, c: &Ctx| match key {
            None => Some(self.arg_value(n, c, depth + 1, false)),
            // `url, headers = endpoint_and_headers(...)`: that item of the returned tuple.
            Some(key) if key.starts_with('#') => {
                let item = key[1..].parse::<usize>().ok().and_then(|i| self.tuple_items(n).get(i).copied())?;
                Some(self.arg_value(item, c, depth + 1, false))
            }
            Some(key) => match self.shape(n, c) {
                Shape::Object(o) => self.entries(o).into_iter().find_map(|e| match e {
                    Entry::Pair(k, v) | Entry::Shorthand(k, v) if k == key => {
                        Some(self.arg_value(v, c, depth + 1, false))
                    }
                    _ => None,
                }),
                _ => None,
            },
        };
        let found: Vec<ArgValue> =
            returns.iter().filter_map(|(n, c)| value(*n, c)).filter(|v| v.text().is_some()).collect();
        self.sym().frames.borrow_mut().pop();
        self.one_of(def.id(), found)
    }

    /// The environment variable a value comes from, through names, instance fields,
    /// fallbacks and helpers that take it (`this.basePath` set from `process.env.LMSTUDIO_BASE_PATH`,
    /// `parseBasePath(process.env.X)`, `os.environ.get("X") or other`): the variable's name
    /// then says who serves a base URL (`matcher`).
    ///
    /// Memoised per node, depth and context ([`Symbols::envs`]): the depth is part of the
    /// key, so a value is the one the walk without the memo finds (within one walk a node
    /// met again is met deeper; a node asked again from the top while its own answer is in
    /// progress, through a cycle of resolution, has none, as with the binding memo).
    fn env_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<String> {
        self.memoised(&self.sym().envs, u8::MAX - 1, v, ctx, depth, || self.env_value_at(v, ctx, depth))
    }

    /// `f`, the answer for node `v` asked at `depth` in `ctx`, memoised in `memo` by node,
    /// depth and context while no parameter is bound or constructor probed ([`EnvKey`]); the
    /// run-time tables it went through are noted again on every use, under `(v, tag)`.
    fn memoised<V: Clone>(
        &self,
        memo: &Memo<EnvKey, V>,
        tag: u8,
        v: Node<'t>,
        ctx: &Ctx,
        depth: u32,
        f: impl FnOnce() -> Option<V>,
    ) -> Option<V> {
        let sym = self.sym();
        if !sym.settled() {
            return f();
        }
        let key = (v.id(), depth, ctx.chain.clone(), ctx.class, ctx.self_name.clone());
        let mark = sym.tables.mark();
        let found = memo.get_or(key, f);
        sym.tables.remember((v.id(), tag), mark);
        found
    }

    /// [`Front::env_value`], computed.
    fn env_value_at(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<String> {
        if let Some(name) = self.env_read(v, ctx, depth) {
            return Some(name);
        }
        if depth > 6 {
            return None;
        }
        let _nest = self.sym().budget.enter(depth)?;
        let from_bindings = |binds: Vec<&Binding<'t>>| {
            binds.into_iter().find_map(|b| match &b.bind {
                Bind::Expr(n, c) if !encloses(*n, v) => self.env_value(*n, c, depth + 1),
                _ => None,
            })
        };
        match self.shape(v, ctx) {
            Shape::Inner(n) => self.env_value(n, ctx, depth + 1),
            Shape::Either(alts) => {
                alts.into_iter().find_map(|n| self.env_value(n, &self.branch_ctx(n, ctx), depth + 1))
            }
            Shape::Name(name) => from_bindings(self.lookup(name, ctx, v.start_byte())),
            Shape::Member(obj, name) if matches!(self.shape(obj, ctx), Shape::This) => {
                // A field whose server is chosen at run time: what the chosen assignment reads.
                if let Some((_, (n, c))) = self.field_alternative(v, ctx, depth) {
                    return self.env_value(n, &c, depth + 1);
                }
                let attrs = &self.sym().classes.get(&ctx.class?)?.attrs;
                // A field set per branch to different vendors' variables (langroid's
                // `self.api_key`: `GROQ_API_KEY` in one branch, `GEMINI_API_KEY` in another)
                // names none of them as written: which one is read follows the branch taken.
                let read: Vec<String> = budget::candidates(attrs.get(name)?, None)
                    .filter_map(|b| match &b.bind {
                        Bind::Expr(n, c) if !encloses(*n, v) => self.env_value(*n, c, depth + 1),
                        _ => None,
                    })
                    .take(tables::MAX_KEYS)
                    .collect();
                let mut vendors: Vec<String> =
                    read.iter().filter_map(|e| matcher::vendor_for_env_base_url(self.rules(), e)).collect();
                vendors.sort();
                vendors.dedup();
                if vendors.len() > 1 {
                    return None;
                }
                read.into_iter().next()
            }
            // A settings object's field: `settings.llm_base_url` of `settings = Settings()` whose
            // constructor reads the variable, `config.baseURL` of an object literal.
            Shape::Member(obj, name) => {
                let found = match self.resolve(obj, ctx, depth + 1) {
                    Some(Val::Object(o, c)) => self.entries(o).into_iter().rev().find_map(|e| match e {
                        Entry::Pair(k, n) | Entry::Shorthand(k, n) if k == name => self.env_value(n, &c, depth + 1),
                        _ => None,
                    }),
                    Some(Val::Instance(class)) => {
                        let attrs = &self.sym().classes.get(&class)?.attrs;
                        let read = attrs.get(name).and_then(|b| from_bindings(budget::candidates(b, None).collect()));
                        read.or_else(|| self.settings_env(class, name, depth + 1))
                    }
                    _ => None,
                };
                // A settings field named as a vendor's variable (`model_settings.fireworks_api_key`:
                // pydantic's `BaseSettings` reads it from `FIREWORKS_API_KEY`) is that variable.
                found.or_else(|| matcher::names_vendor_variable(self.rules(), name).then(|| name.to_ascii_uppercase()))
            }
            // A helper given the variable (`parseBasePath(process.env.X)`, `new URL(process.env.X)`),
            // unless it is an SDK call.
            Shape::Call { callee, args, .. } => {
                // `process.env.X?.replace(/\/+$/, "")`, `os.environ["X"].rstrip("/")`: the variable.
                if let Some(obj) = self.kept_string(v, ctx) {
                    return self.env_value(obj, ctx, depth + 1);
                }
                // A settings object's getter (`conf.getApiHost()` of a Spring
                // `@ConfigurationProperties` class): the setting it reads.
                if let Shape::Member(obj, name) = self.shape(callee, ctx) {
                    if args.is_none_or(|a| self.arg_nodes(a).is_empty()) {
                        if let Some(Val::Instance(class)) = self.resolve(obj, ctx, depth + 1) {
                            if let Some(setting) = self.settings_env(class, name, depth + 1) {
                                return Some(setting);
                            }
                        }
                    }
                }
                match self.resolve(callee, ctx, depth + 1) {
                    Some(Val::Path(p)) if self.is_vendor_path(&p) => return None,
                    // `api_key = self._get_api_key(config)` returning `model_settings.zai_api_key`:
                    // what the code's own helper returns.
                    Some(Val::Func(def)) => {
                        let returns = self.sym().funcs.get(&def.id()).map(|f| f.returns.clone()).unwrap_or_default();
                        let read = returns.into_iter().find_map(|(n, c)| self.env_value(n, &c, depth + 1));
                        if read.is_some() {
                            return read;
                        }
                    }
                    _ => {}
                }
                self.arg_nodes(args?).into_iter().find_map(|(_, a)| self.env_value(a, ctx, depth + 1))
            }
            _ => None,
        }
    }

    /// What an argument holds: a string, a URL pattern, an environment variable, or (with
    /// `objects`) a client or model object, or a value of a module of the tree, passed on.
    fn arg_value(&self, v: Node<'t>, ctx: &Ctx, depth: u32, objects: bool) -> ArgValue {
        if let Some((chosen, _)) = self.field_alternative(v, ctx, depth) {
            return chosen;
        }
        if let Some(s) = self.string_value(v, ctx, 0) {
            return ArgValue::Str(s);
        }
        // A pattern whose host is a hole says less than the variable the value comes from
        // (`parseBasePath(process.env.LMSTUDIO_BASE_PATH)` building `${origin}/v1`).
        let pattern = if depth <= PATTERN_DEPTH { self.pattern_value(v, ctx, depth) } else { None };
        match pattern {
            Some(p) if !p.text().is_some_and(|t| t.starts_with(HOLE)) => return p,
            _ => {}
        }
        if let Some(name) = self.env_value(v, ctx, 0) {
            // A helper named after a self-hosted server says more than a variable whose name
            // says nothing (`parseLMStudioBasePath(process.env.EMBEDDING_BASE_PATH)`).
            if matcher::vendor_for_env_base_url(self.rules(), &name).is_none() {
                if let Some(helper) = self.self_hosted_helper(v, ctx) {
                    return ArgValue::Env(helper);
                }
            }
            return ArgValue::Env(name);
        }
        if let Some(p) = pattern {
            return p;
        }
        if objects && depth < 16 {
            if let Some(Val::Path(p)) = self.resolve(v, ctx, depth + 1) {
                let locals = self.locals();
                // (A framework's model interface the code is handed, `ChatClient.builder(model)`
                // with a `ChatModel model` parameter, is read after every file as each
                // implementation the project builds.)
                let interface =
                    p.0.len() == 1 && p.0[0].name.starts_with(super::SERVICE) && p.0[0].name.contains(super::INTERFACE);
                if self.is_vendor_path(&p) || locals.is_local_path(&p) || locals.is_local_module_path(&p) || interface {
                    return ArgValue::Path(p);
                }
            }
        }
        // A field or name read at run time that says it holds a self-hosted server's URL
        // (mem0's `self.config.lmstudio_base_url`, `vllm_base_url`), or an endpoint of no
        // vendor (`openai_compatible.api_base`): its name decides, as a variable's does; the
        // message names it as written.
        if matches!(self.shape(v, ctx), Shape::Member(..) | Shape::Name(_)) {
            let text = self.text(v);
            let rules = self.rules();
            if text.len() <= 80 && (matcher::names_self_hosted(rules, text) || matcher::names_no_vendor(rules, text)) {
                return ArgValue::Env(text.to_string());
            }
        }
        // So does a helper's (`settings.ollamaBaseUrl()`).
        self.self_hosted_helper(v, ctx).map_or(ArgValue::Dynamic, ArgValue::Env)
    }

    /// A field of this class that its assignments point at different servers (langroid's
    /// `self.api_base`, set per model prefix to Gemini's URL, OpenRouter's, DeepSeek's, a
    /// local server's or left to configuration): the code picks one at run time, so the
    /// value is each of them, the call resolved once per server ([`tables::Tables::choose`],
    /// keyed by the field's first assignment) and reported under each vendor, as a client
    /// field assigned in several branches is ([`Front::best_or_each`]). An assignment that
    /// reads the field itself (`self.api_base = "http://" + self.api_base`) only normalises
    /// another. `None` unless a choice is being tried: the value as written is then left to
    /// the rest of [`Front::arg_value`]. Also the assignment chosen, for what else it says
    /// (the variable whose default it is).
    fn field_alternative(&self, v: Node<'t>, ctx: &Ctx, depth: u32) -> Option<(ArgValue, (Node<'t>, Ctx))> {
        if depth > PATTERN_DEPTH {
            return None;
        }
        let Shape::Member(obj, name) = self.shape(v, ctx) else { return None };
        if !matches!(self.shape(obj, ctx), Shape::This) {
            return None;
        }
        let binds = self.sym().classes.get(&ctx.class?)?.attrs.get(name)?;
        if binds.len() < 2 {
            return None;
        }
        let _nest = self.sym().budget.enter(depth)?;
        let field = (ctx.class?, name.to_string());
        if self.sym().weighing.borrow().contains(&field) {
            return None;
        }
        self.sym().weighing.borrow_mut().push(field);
        let own = format!("{}.{name}", self.text(obj));
        let mut id = None;
        let mut servers: Vec<(Option<String>, ArgValue, (Node<'t>, Ctx))> = Vec::new();
        for b in budget::candidates(binds, None) {
            let Bind::Expr(n, c) = &b.bind else { continue };
            // An assignment that reads the field itself (`self.api_base = "http://" +
            // self.api_base`), under the reader's receiver name or its own method's.
            let reads_itself = |recv: &str| self.text(*n).contains(&format!("{recv}.{name}"));
            if encloses(*n, v) || self.text(*n).contains(&own) || c.self_name.as_deref().is_some_and(reads_itself) {
                continue;
            }
            id = Some(id.map_or(n.id(), |i: usize| i.min(n.id())));
            let value = self.arg_value(*n, c, depth + 1, false);
            let server = self.server_of(&value);
            if servers.len() < tables::MAX_KEYS && servers.iter().all(|(s, ..)| *s != server) {
                servers.push((server, value, (*n, c.clone())));
            }
        }
        self.sym().weighing.borrow_mut().pop();
        if servers.iter().filter(|(s, ..)| s.is_some()).count() < 2 {
            return None;
        }
        let i = self.sym().tables.choose(id?, servers.len())?;
        servers.into_iter().nth(i).map(|(_, value, at)| (value, at))
    }

    /// The vendor serving a base URL value names (a URL's host, a variable's name or what
    /// the tree's settings files set it to), `None` for a value read at run time. A
    /// credential's name (`GROQ_API_KEY`) names no server: a key field set per branch next
    /// to the base URL (langroid's `self.api_key`) follows the server the base URL picks,
    /// it does not pick one (as a choice of its own it would pair every key with every URL).
    fn server_of(&self, value: &ArgValue) -> Option<String> {
        let rules = self.rules();
        match value {
            ArgValue::Str(url) | ArgValue::Pattern(url) if url.contains("://") => {
                matcher::vendor_for_base_url(rules, url)
            }
            ArgValue::Env(name) if matcher::names_credential(name) => None,
            ArgValue::Env(name) => super::settings::served_from_tree(rules, name)
                .map(|s| s.vendor)
                .or_else(|| matcher::vendor_for_env_base_url(rules, name)),
            _ => None,
        }
    }

    /// Whether the start of a URL whose value is `value` is a self-hosted server's address
    /// the code names without spelling it: a variable or field its name says holds one
    /// (`OLLAMA_HOST`, `self.config.lmstudio_base_url`, as [`Front::arg_value`] reads them),
    /// or a value set at run time in a class its name says is a client of one (`self.base_url`
    /// of letta's `OllamaProvider`, a parameter `base_url` of a method of `LMStudioClient`).
    fn names_self_hosted_server(&self, value: &ArgValue, ctx: &Ctx) -> bool {
        let rules = self.rules();
        let Some(portable) = rules.portable_vendor() else { return false };
        match value {
            ArgValue::Env(name) => matcher::vendor_for_env_base_url(rules, name).is_some_and(|v| v == portable.id),
            // (Whatever the hole is: `self.base_url`, the instance's settings, a request's
            // `getBaseUrl()` in a class named after the server, `OllamaFimProvider`.)
            ArgValue::Dynamic => ctx
                .class
                .and_then(|c| inherit::class_name(self, c))
                .is_some_and(|c| matcher::names_self_hosted(rules, &c)),
            _ => false,
        }
    }

    /// The host standing for the server a setting holds ([`super::path::SETTING`]), when a URL
    /// starts with `value` read from a variable or configuration key whose name (or whose value
    /// in the tree's settings files) names a proprietary vendor's server: `DEEPSEEK_BASE_URL`,
    /// `deepseek.api-host`. `None` for anything else: a value read at run time that names
    /// nothing stays a hole, "vendor set by configuration".
    fn setting_server(&self, value: &ArgValue) -> Option<String> {
        match value {
            ArgValue::Env(name) => matcher::setting_server(self.rules(), name),
            _ => None,
        }
    }

    /// The callee of a call whose name, camelCase humps split, says a self-hosted server
    /// (`parseLMStudioBasePath(x)`, `settings.ollamaBaseUrl()`), unless the call builds an SDK
    /// object (`LitellmModel(...)`, `localModel()` returning a client: those decide by themselves).
    fn self_hosted_helper(&self, v: Node<'t>, ctx: &Ctx) -> Option<String> {
        let Shape::Call { callee, args, .. } = self.shape(v, ctx) else { return None };
        let text = self.text(callee);
        if text.len() > 80 {
            return None;
        }
        if !matcher::names_self_hosted(self.rules(), text) {
            // A helper given one such URL (`withSlash(settings.getOllamaUrl())`) normalises it.
            let [(None, arg)] = self.arg_nodes(args?)[..] else { return None };
            let inner = match self.shape(arg, ctx) {
                Shape::Call { callee, .. } => self.text(callee),
                Shape::Member(..) | Shape::Name(_) => self.text(arg),
                _ => return None,
            };
            let named = inner.len() <= 80 && matcher::names_self_hosted(self.rules(), inner);
            return named.then(|| self.text(arg).to_string());
        }
        let sdk_object = matches!(self.resolve(v, ctx, 1), Some(Val::Path(p)) if self.is_vendor_path(&p));
        (!sdk_object).then(|| text.to_string())
    }

    // ------------------------------------------------------------ provided: call sites

    /// What a call node is, resolved under the current assumptions: `None` when its callee
    /// does not resolve (the caller may infer it from the file's imports). Only a call of a
    /// path is a construction or an operation; calling a local function that returns a
    /// client is neither (its `return` line is where the client is built).
    fn match_call(&self, node: Node<'t>, ctx: &Ctx) -> Option<Matched> {
        let (f, args) = self.call_parts(node)?;
        let callee = match self.resolve(f, ctx, 0)? {
            Val::Path(p) => self.static_path(p),
            _ => return Some(Matched::Nothing),
        };
        let rules = self.rules();
        if rules.is_passthrough(&callee.dotted(callee.0.len())) {
            return Some(Matched::Nothing);
        }
        if !self.args_matter(&callee) {
            return Some(Matched::Nothing);
        }
        let args = args.map(|a| self.call_args(a, ctx, 0, &callee)).unwrap_or_default();
        let Some(path) = callee.called(args) else { return Some(Matched::Nothing) };
        let locals = self.locals();
        if self.is_shadowed(&path) {
            return Some(if locals.is_local_path(&path) { Matched::Pending(path) } else { Matched::Nothing });
        }
        let lang = self.ecosystem();
        if let Some(m) = matcher::construction(rules, lang, &path) {
            // A vendor's implementation of a framework model interface (not a framework client
            // over another model, `vendor_from`), for the calls through the interface.
            if m.def.vendor_from.is_none() && rules.implements_interface(lang, &m.def.api) {
                let mut built = self.sym().built.borrow_mut();
                if built.len() < MAX_BUILT && !built.iter().any(|(_, p)| *p == path) {
                    built.push((m.def.api.clone(), path.clone()));
                }
            }
            let e = emit::client(rules, &m, &path);
            return Some(Matched::Found(e, m.def.vendor.clone(), m.served));
        }
        let empty = ModuleAttrs::new();
        if let Some(m) = matcher::operation_call(rules, lang, &path, self.module_attrs().unwrap_or(&empty)) {
            // Calls through a module client count like constructions for the import's vendor.
            let mut e = emit::call(rules, &m);
            if path.0.last().is_some_and(|s| s.name == super::path::ANY_MEMBER) {
                e = e.noting(" (method named at run time)");
            }
            return Some(Matched::Found(e, m.def.vendor.clone(), m.served));
        }
        if let Some(e) = http::request(rules, lang, &path) {
            if self.sent_request(node, ctx, &callee) {
                return Some(Matched::Nothing);
            }
            return Some(Matched::Request(e));
        }
        // A call that passes a value of a module of the tree may be resolved through it.
        let local_arg = path.0.last().and_then(|s| s.call.as_ref()).is_some_and(|a| {
            a.keywords.iter().any(
                |(_, v)| matches!(v, ArgValue::Path(p) if locals.is_local_path(p) || locals.is_local_module_path(p)),
            )
        });
        // A vendor's call given a model the project injects or returns from its own methods
        // (`AiServices.builder(A.class).chatLanguageModel(registry.chat(id))`): read through
        // what the service may be, after every file.
        let service_arg = path.0.iter().filter_map(|s| s.call.as_ref()).any(|a| {
            let service = |v: &ArgValue| matches!(v, ArgValue::Path(p) if p.0.first().is_some_and(|h| h.name.starts_with(super::SERVICE)));
            a.keywords.iter().any(|(_, v)| service(v)) || a.positional.iter().any(service)
        });
        let pending = locals.is_local_path(&path) || local_arg || (service_arg && self.is_vendor_path(&path));
        Some(if pending { Matched::Pending(path) } else { Matched::Nothing })
    }

    /// Whether call `node` of `callee` makes a request object (rules/http.toml
    /// `[[request_object]]`, Go's `http.NewRequest`) that one of its sends
    /// ([`Front::sends_of`]) requests as an HTTP request: that send is the request's finding,
    /// the call that made it none. The sends are matched as calls themselves (one level: a
    /// send makes no request object).
    fn sent_request(&self, node: Node<'t>, ctx: &Ctx, callee: &Path) -> bool {
        if http::request_object(self.rules(), self.ecosystem(), &callee.dotted(callee.0.len())).is_none() {
            return false;
        }
        self.sends_of(node, ctx)
            .into_iter()
            .any(|send| send != node && matches!(self.match_call(send, ctx), Some(Matched::Request(_))))
    }

    /// Where the request object that call `node` makes (Go's `http.NewRequest`) is sent
    /// ([`Front::sends_of`]) when that send is no request of its own (a `h.httpClient.Do(req)`
    /// whose client does not resolve): its finding is reported there, at the send.
    fn sent_at(&self, node: Node<'t>, ctx: &Ctx) -> Option<Node<'t>> {
        if let Some(send) = self.result_sent_at(node, ctx) {
            return Some(send);
        }
        // (The sends first: a language without them resolves nothing more.)
        let send = self.sends_of(node, ctx).into_iter().find(|send| *send != node)?;
        let (f, _) = self.call_parts(node)?;
        let Some(Val::Path(callee)) = self.resolve(f, ctx, 0) else { return None };
        http::request_object(self.rules(), self.ecosystem(), &callee.dotted(callee.0.len()))?;
        Some(send)
    }

    /// Where what request `node` returns is sent, when the code holds it in a variable first
    /// (OkHttp's `Call call = client.newCall(request);` then `call.execute()`: rules/http.toml
    /// `sent_by`, [`Front::result_calls`]): the first such send.
    fn result_sent_at(&self, node: Node<'t>, ctx: &Ctx) -> Option<Node<'t>> {
        // (The syntax first: most calls are held in no variable sent later.)
        let later = self.result_calls(node);
        if later.is_empty() {
            return None;
        }
        let (f, _) = self.call_parts(node)?;
        let Some(Val::Path(callee)) = self.resolve(f, ctx, 0) else { return None };
        let sends = http::sent_by(self.rules(), self.ecosystem(), &callee);
        later.into_iter().find(|(m, _)| sends.iter().any(|s| s == m)).map(|(_, n)| n)
    }

    /// Where a call through a module of the tree is sent when it ends in a request method of
    /// an HTTP library whose result another method sends (rules/http.toml `sent_by`) and the
    /// code sends it later ([`Front::result_calls`]: `req := b.NewRequest(..)` of a client
    /// another file builds, then `req.RunContext(ctx)`): the request is reported there if
    /// linking makes it one.
    fn pending_sent_at(&self, node: Node<'t>, path: &Path) -> Option<Node<'t>> {
        let method = path.0.last()?.name.as_str();
        let later = self.result_calls(node);
        if later.is_empty() {
            return None;
        }
        let lang = self.ecosystem();
        let clients = self.rules().http_clients.iter().filter(|c| c.ecosystem == lang);
        let sends: Vec<&String> =
            clients.filter(|c| c.requests.iter().any(|r| r == method)).flat_map(|c| c.sent_by.iter()).collect();
        later.into_iter().find(|(m, _)| sends.iter().any(|s| s.as_str() == *m)).map(|(_, n)| n)
    }

    /// Client and call findings of one call node; returns who serves it when it matched,
    /// so that model literals among its arguments take that vendor. A call written in a base
    /// class that subclasses of other modules may build ([`inherit::probed_call`]) is kept
    /// for linking, its findings as written being the fallback.
    fn call_findings(&mut self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) -> Option<String> {
        let Some(path) = inherit::probed_call(self, node, ctx) else {
            return self.written_call_findings(node, ctx, out);
        };
        let (before, pending) = (out.findings.len(), out.pending.len());
        let first = self.written_call_findings(node, ctx, out);
        // Resolved through another module as written (a wrapper it exports): that stands,
        // and what subclasses give is added.
        let fallback = if out.pending.len() == pending { out.findings.split_off(before) } else { Vec::new() };
        out.exports.extend(inherit::request_export(&path));
        let at = self.result_sent_at(node, ctx).unwrap_or(node);
        out.pending.push(PendingCall { path, span: self.call_span(at), fallback });
        first
    }

    /// [`Front::call_findings`] as the call is written.
    fn written_call_findings(&mut self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) -> Option<String> {
        let resolved = tables::resolve_call(&self.sym().tables, || self.sym().forget(), || self.match_call(node, ctx));
        match resolved {
            Resolved::Report(found, of) => {
                let mut clients = std::mem::take(&mut self.sym_mut().clients);
                let (emits, first) = tables::report(self.rules(), found, of, &mut clients);
                self.sym_mut().clients = clients;
                let at = self.sent_at(node, ctx).unwrap_or(node);
                emits.into_iter().for_each(|e| self.emit(out, at, e));
                first
            }
            _ if self.wrapped_request(node, ctx, out) => None,
            Resolved::Unresolved => {
                let (f, _) = self.call_parts(node)?;
                self.inferred_call(node, f, out)
            }
            Resolved::Pending(path) => {
                // What the call would be taken for without the other module, kept in case it
                // says nothing (`this.client.chat...` of a base class it does not export).
                let before = out.findings.len();
                if let Some((f, _)) = self.call_parts(node).filter(|(f, _)| self.on_this(*f, ctx)) {
                    self.inferred_call(node, f, out);
                }
                let fallback = out.findings.split_off(before);
                out.exports.extend(inherit::caller_export(&path, self.locals()));
                out.exports.extend(inherit::class_use(&path, self.locals()));
                let at = self.pending_sent_at(node, &path).unwrap_or(node);
                out.pending.push(PendingCall { path, span: self.call_span(at), fallback });
                None
            }
            Resolved::Nothing => None,
        }
    }

    /// Whether an expression is a member of the instance (`this.client.chat.completions.create`,
    /// or a field read without `this` where the language allows it: [`Front::implicit_field`]).
    fn on_this(&self, n: Node<'t>, ctx: &Ctx) -> bool {
        let mut cur = n;
        for _ in 0..16 {
            match self.shape(cur, ctx) {
                Shape::Member(obj, _) => cur = obj,
                Shape::This => return true,
                Shape::Name(name) => return self.implicit_field(name, cur, ctx),
                _ => return false,
            }
        }
        false
    }

    /// Whether `name`, read at `at` with no receiver, is a field of the enclosing class
    /// (Java's `httpClient.execute(request)` in a method): none by default.
    fn implicit_field(&self, _name: &str, _at: Node<'t>, _ctx: &Ctx) -> bool {
        false
    }

    /// A request through the code's own wrapper (`this.fetch(url)`, `customFetch(opts)(url)`,
    /// `fetchWithRetry(url)`, `self._post(url)`): a call whose callee is named like a request
    /// and whose first argument is a URL naming a vendor's API operation (host and path,
    /// [`http::wrapped`]). Reported with the wrapper's name; `true` when it was.
    fn wrapped_request(&self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) -> bool {
        let Some((f, Some(args))) = self.call_parts(node) else { return false };
        let Some(name) = self.callee_name(f, 0).filter(|n| http::request_like(n)) else { return false };
        if self.mocks_requests(f, ctx) {
            return false;
        }
        // What makes an HTTP library's client or request (`new UnityWebRequest(url, "POST")`,
        // `UnityWebRequest.Post(url, form)`) sends nothing: its send is the request.
        if let Some(Val::Path(p)) = self.resolve(f, ctx, 0) {
            if !self.rules().http_constructed_by(self.ecosystem(), &p.dotted(p.0.len())).is_empty() {
                return false;
            }
        }
        let Some(first) = self.first_arg(args) else { return false };
        // `settings.get("https://...", None)`: a lookup keyed by the URL, with a default.
        let defaulted = self
            .arg_nodes(args)
            .get(1)
            .is_some_and(|(k, n)| k.is_none() && matches!(self.text(*n), "None" | "null" | "undefined"));
        if name == "get" && defaulted {
            return false;
        }
        // `fetchJson({ url, headers })`: the options object's URL, joined to its base URL
        // when it has one (`new HttpRequestBuilder({ method, baseURL })`, an axios request
        // config: [`http::with_base`]).
        let text = |n: Node<'t>| self.arg_value(n, ctx, 0, false).text().map(str::to_string);
        let (first, options) = match self.shape(first, ctx) {
            Shape::Object(o) => {
                let entries = self.entries(o);
                let value = |keys: &[&str]| {
                    entries.iter().find_map(|e| match e {
                        Entry::Pair(k, v) | Entry::Shorthand(k, v) if keys.contains(&k.as_str()) => Some(*v),
                        _ => None,
                    })
                };
                let (url, base) = (value(&["url", "uri", "URL"]), value(http::BASE_KEYS));
                let Some(node) = url.or(base) else { return false };
                (node, http::with_base(base.and_then(text).as_deref(), url.and_then(text).as_deref()))
            }
            _ => (first, None),
        };
        // `connect_sse(client, "POST", url)`, `self._call(client.post, url)`: a later
        // positional argument may be the URL (never of a `get`, whose second argument is a
        // lookup's default, nor of a class: `httpx.Request("POST", url)` builds a request
        // object, which tests hand to mocks, and sends nothing).
        let constructor = name.starts_with(|c: char| c.is_ascii_uppercase());
        let later = self.arg_nodes(args).into_iter().filter(|(k, _)| k.is_none()).map(|(_, n)| n).skip(1);
        let later = later.take(if name == "get" || constructor { 0 } else { WRAPPED_URL_ARGS });
        let found = options.and_then(|url| http::wrapped(self.rules(), &url)).or_else(|| {
            std::iter::once(first).chain(later).find_map(|n| text(n).and_then(|url| http::wrapped(self.rules(), &url)))
        });
        // `httpsPost("api.openai.com", "/v1/chat/completions", ..)`: a host and the path
        // under it, given apart (Node's `https.request({ hostname, path })` inside).
        let found = found.or_else(|| {
            let positional: Vec<Node<'t>> =
                self.arg_nodes(args).into_iter().filter(|(k, _)| k.is_none()).map(|(_, n)| n).take(2).collect();
            let [host, path] = positional.as_slice() else { return None };
            let host = self.arg_value(*host, ctx, 0, false);
            let path = self.arg_value(*path, ctx, 0, false);
            let url = http::host_and_path(host.text()?, path.text()?)?;
            http::wrapped(self.rules(), &url)
        });
        // `Responses.SendRequestAsync(request, httpClient, ..)`: an HTTP client handed to the
        // wrapper, whose base URL (given when it was made or written after) names a vendor's
        // API, is where the wrapper sends. (Not a name as plain as `Invoke`: a delegate handed
        // the request to edit it, `EditRequest?.Invoke(request, body)`, sends nothing.)
        let plain = matches!(name.to_ascii_lowercase().as_str(), "get" | "put" | "patch" | "call" | "invoke");
        let found = found.or_else(|| {
            if plain {
                return None;
            }
            let positional = self.arg_nodes(args).into_iter().filter(|(k, _)| k.is_none()).map(|(_, n)| n);
            positional.take(1 + WRAPPED_URL_ARGS).find_map(|n| {
                let v = self.resolve(n, ctx, 0)?;
                let Val::Path(p) = self.configured_after(n, v, ctx, 0) else { return None };
                http::wrapped(self.rules(), &http::client_base(self.rules(), self.ecosystem(), &p)?)
            })
        });
        let Some(e) = found else { return false };
        let e = if self.library_request(node) { e } else { e.noting(&format!(" (sent through `{name}`)")) };
        self.emit(out, node, e);
        // A function of this file: its own request may stand for this one.
        if let Some(Val::Func(def)) = self.resolve(f, ctx, 0) {
            let lines = def.start_position().row as u32 + 1..=def.end_position().row as u32 + 1;
            if let Some(f) = out.findings.last() {
                out.through_helpers.push((f.line, f.column, lines));
            }
        }
        true
    }

    /// Whether a callee belongs to an HTTP mocking library, which registers a fake response
    /// for a URL and sends nothing: its receiver is named as one (`requests_mock.post(url)`,
    /// `httpx_mock`, `respx_mock`, `fetchMock`, [`http::mocking`]) or resolves into one's
    /// module (`http.post(url, resolver)` with `http` from `msw`, `respx.post(url)`).
    fn mocks_requests(&self, f: Node<'t>, ctx: &Ctx) -> bool {
        if let Some(Val::Path(p)) = self.resolve(f, ctx, 0) {
            if p.0.first().is_some_and(|s| http::mocking(&s.name)) {
                return true;
            }
        }
        let mut n = f;
        for _ in 0..6 {
            match self.shape(n, ctx) {
                Shape::Member(object, _) => {
                    if let Shape::Name(r) = self.shape(object, ctx) {
                        return http::mocking(r);
                    }
                    n = object;
                }
                Shape::Call { callee, .. } => n = callee,
                Shape::Inner(i) => n = i,
                _ => return false,
            }
        }
        false
    }

    /// The name a callee is called by: `fetch`, `this.fetch` → `fetch`, `customFetch(o)` →
    /// `customFetch`.
    fn callee_name(&self, f: Node<'t>, depth: u32) -> Option<&'t str> {
        if depth > 4 {
            return None;
        }
        match self.shape(f, &Ctx::module(self.sym().root_id)) {
            Shape::Name(n) | Shape::Member(_, n) => Some(n),
            Shape::Call { callee, .. } => self.callee_name(callee, depth + 1),
            Shape::Inner(n) => self.callee_name(n, depth + 1),
            _ => None,
        }
    }

    /// An operation passed on uncalled (`retry(client.messages.create)`,
    /// `functools.partial(client.converse, ...)`, `return client.embeddings.create`) is
    /// called by whoever receives it: the reference is the call site.
    fn reference_finding(&mut self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) {
        let Some(Val::Path(p)) = self.resolve(node, ctx, 0) else { return };
        if self.is_shadowed(&p) {
            return;
        }
        let Some(path) = p.called(CallArgs::default()) else { return };
        let empty = ModuleAttrs::new();
        let attrs = self.module_attrs().unwrap_or(&empty);
        if let Some(m) = matcher::operation_call(self.rules(), self.ecosystem(), &path, attrs) {
            self.emit(out, node, emit::call(self.rules(), &m).noting(" (passed on as a reference)"));
            return;
        }
        // An HTTP library's request method handed to a helper with the URL beside it
        // (`self._call_client(client.post, url, json=data)`, a retry wrapper): the helper
        // makes that request.
        let Some(list) = node.parent() else { return };
        let Some((_, Some(args))) = list.parent().and_then(|call| self.call_parts(call)) else { return };
        if args != list {
            return;
        }
        let Some(request) = p.called(self.call_args(args, ctx, 0, &p)) else { return };
        if let Some(e) = http::request(self.rules(), self.ecosystem(), &request) {
            self.emit(out, node, e.noting(" (passed on as a reference)"));
        }
    }
}

/// Constructions of interface implementations kept per file ([`Symbols::built`]).
const MAX_BUILT: usize = 32;

/// The path of the service of type `written` a class is given by injection (`service:IChatClient`).
pub fn service_path(written: &str) -> Path {
    Path(vec![Seg { name: format!("{}{written}", super::SERVICE), call: None }])
}

/// The calls of a file's own functions by name, gathered in pass 1 ([`bind_callers`]).
#[derive(Default)]
pub struct Callers<'t> {
    /// Functions and methods by name (overloads and methods of several types share one).
    pub defs: HashMap<&'t str, Vec<Node<'t>>>,
    /// Calls of a name (`helper(llm)`, `this.Helper(x)`) with their argument lists, in order.
    pub calls: Vec<(&'t str, Node<'t>, Ctx)>,
    /// When set, only parameters of these names are bound (JavaScript: a parameter the file
    /// calls or constructs, `resolver(cfg)`, `new ModelClass(config)`; a URL handed to the
    /// code's own request wrapper is read at its call site, not inside the wrapper).
    pub only: Option<HashSet<&'t str>>,
    /// Parameters bound besides [`Callers::only`], each of one function only (the id of its
    /// definition): a helper's URL parameter its own request is sent to (Python's
    /// `client.post(endpoint_url, json=body)` in `_run(endpoint_url, body)`), which a
    /// parameter of the same name elsewhere (a request wrapper's `url`) is not.
    pub own: HashSet<(usize, &'t str)>,
}

impl<'t> Callers<'t> {
    /// Notes function `def` called `name`.
    pub fn def(&mut self, name: &'t str, def: Node<'t>) {
        self.defs.entry(name).or_default().push(def);
    }

    /// Notes a call of `name` with argument list `args` (none when it has no arguments).
    pub fn call(&mut self, name: &'t str, args: Node<'t>, ctx: &Ctx) {
        if args.named_child_count() > 0 {
            self.calls.push((name, args, ctx.clone()));
        }
    }
}

/// Call sites followed per function name ([`bind_callers`]).
pub const MAX_CALLERS: usize = 8;

/// Binds the parameters of a file's functions to the arguments of their first
/// [`MAX_CALLERS`] calls in the file, at position 0 in the function's scope: a helper whose
/// parameter is typed by an interface (`llms.Model`, `ChatModel`, `IChatClient`) is given the
/// client its callers pass, and [`Front::best`] prefers it to the type. Arguments are matched
/// by keyword, else by position ([`Front::params`], [`Front::arg_nodes`]).
pub fn bind_callers<'t, F: Front<'t> + ?Sized>(front: &mut F, callers: Callers<'t>) {
    let mut seen: HashMap<&'t str, usize> = HashMap::new();
    for (name, args, ctx) in callers.calls {
        let Some(defs) = callers.defs.get(name) else { continue };
        let n = seen.entry(name).or_default();
        *n += 1;
        if *n > MAX_CALLERS {
            continue;
        }
        let list = front.arg_nodes(args);
        for def in defs {
            let params = front.params(*def);
            let scope = Ctx::module(def.id());
            for (i, (key, value)) in list.iter().enumerate() {
                let param = match key {
                    Some(k) => params.iter().find(|p| *p == k),
                    None => params.get(i),
                };
                let bound = |p: &&&'t str| {
                    callers.only.as_ref().is_none_or(|o| o.contains(**p)) || callers.own.contains(&(def.id(), **p))
                };
                if let Some(p) = param.filter(bound) {
                    front.sym_mut().bind(&scope, p, 0, Bind::Expr(*value, ctx.clone()));
                }
            }
        }
    }
}

/// How deep a URL pattern is followed through names, calls and joins; the file's step
/// budget bounds the work.
const PATTERN_DEPTH: u32 = 10;

/// How many arguments of a merge (`defaults(options, defaultConfig)`) are read as objects.
const MAX_MERGED: usize = 4;

/// Arguments after the first a helper out of sight is read for a URL ([`Front::helper_url`]).
const MAX_HELPER_ARGS: usize = 4;

/// How many names bound to names [`Front::aliased`] follows.
const MAX_ALIASES: usize = 8;

/// How many positional arguments after the first a request wrapper's URL is looked for in.
const WRAPPED_URL_ARGS: usize = 3;

/// How many arguments of a call are looked at for a module loader ([`Front::loaded_module`]).
const MAX_LOADER_ARGS: usize = 4;

/// How many entries of a table read with a run-time key are compared ([`Text::AnyEntry`]).
const MAX_TABLE_ENTRIES: usize = 64;

/// How a merge function combines its object arguments, by its resolved name: `Some(true)`
/// when the first object's keys win (lodash `defaults(object, ...sources)` fills only what is
/// unset), `Some(false)` when later ones do (`Object.assign`, lodash `assign`/`merge`); `None`
/// for any other function. (lodash 4 docs: _.defaults, _.defaultsDeep, _.assign, _.merge;
/// MDN: Object.assign.)
fn merge_order(callee: &str) -> Option<bool> {
    let (module, name) = callee.rsplit_once('.')?;
    let lodash = matches!(module, "lodash" | "lodash-es" | "lodash.default" | "underscore");
    match name {
        "defaults" | "defaultsDeep" if lodash => Some(true),
        "assign" | "merge" if lodash => Some(false),
        "assign" if module == "Object" => Some(false),
        _ => None,
    }
}

/// Whether a function of a language's string package ([`Front::string_package`]) returns
/// its first argument with at most its ends trimmed, so that a URL keeps its host: Go's
/// `strings.TrimSuffix(s, suffix)`, `TrimRight(s, cutset)`, `TrimSpace(s)`
/// (https://pkg.go.dev/strings).
pub fn keeps_host_of_package(function: &str) -> bool {
    matches!(function, "TrimSuffix" | "TrimRight" | "TrimSpace")
}

/// Whether calling string method `method` (its first argument's source `first`) keeps the
/// host of the URL it is called on: trimming whitespace or a trailing slash, converting,
/// slicing from the start, replacing with an end-anchored pattern.
pub fn keeps_host(method: &str, first: Option<&str>) -> bool {
    match method {
        "trim" | "trimEnd" | "trimStart" | "trimRight" | "toString" | "valueOf" | "strip" | "rstrip" | "lstrip"
        | "removesuffix" => true,
        // Rust's `str` (`api_base.trim_end_matches('/')`).
        "trim_end" | "trim_start" | "trim_end_matches" => true,
        // C#'s `string` (`options.Address.TrimEnd('/')`).
        "Trim" | "TrimEnd" | "TrimStart" | "ToString" => true,
        "slice" | "substring" | "substr" => first == Some("0"),
        "replace" | "replaceAll" => {
            first.is_some_and(|f| f.starts_with('/') && f.trim_end_matches(['g', 'i']).ends_with("$/"))
        }
        _ => false,
    }
}

/// Whether `read` lies within `value`: in `data = encode(data)`, the `data` read on the
/// right is the earlier binding, not the one being made.
fn encloses(value: Node<'_>, read: Node<'_>) -> bool {
    value.start_byte() <= read.start_byte() && read.end_byte() <= value.end_byte()
}

#[cfg(test)]
mod tests {
    use super::keeps_host;

    #[test]
    fn string_methods_that_keep_a_host() {
        for (m, first) in [
            ("trim", None),
            ("rstrip", Some("\"/\"")),
            ("slice", Some("0")),
            ("replace", Some(r"/\/+$/")),
            ("replace", Some(r"/\/$/g")),
            ("trim_end_matches", Some("'/'")),
            ("TrimEnd", Some("'/'")),
        ] {
            assert!(keeps_host(m, first), "{m}({first:?})");
        }
        for (m, first) in [
            ("slice", Some("8")),
            ("replace", Some("\"api.openai.com\"")),
            ("replace", Some(r"/^https:\/\/[^/]+/")),
            ("toUpperCase", None),
            ("split", Some("\"/\"")),
        ] {
            assert!(!keeps_host(m, first), "{m}({first:?})");
        }
    }

    /// Whether the leaves spelt `AAA` and `BBB` of `src` lie in different branches of one
    /// conditional ([`super::Ancestry::exclusive`]).
    fn apart(lang: tree_sitter::Language, src: &str) -> bool {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&lang).unwrap();
        let tree = parser.parse(src, None).unwrap();
        let root = tree.root_node();
        let leaf = |text: &str| {
            let mut found = None;
            super::budget::preorder(root, |n| {
                if found.is_none() && n.child_count() == 0 && &src[n.byte_range()] == text {
                    found = Some(n);
                }
                found.is_none()
            });
            found.unwrap_or_else(|| panic!("{text} in {src}"))
        };
        let (a, b) = (leaf("AAA"), leaf("BBB"));
        let exclusive = super::Ancestry::of(root, a).exclusive(&super::Ancestry::of(root, b));
        assert_eq!(exclusive, super::Ancestry::of(root, b).exclusive(&super::Ancestry::of(root, a)), "{src}");
        // A read at one leaf's position against the other's chain, as `Front::lookup` asks.
        assert_eq!(exclusive, super::Ancestry::of(root, b).exclusive_with(a.start_byte()), "{src}");
        assert_eq!(exclusive, super::Ancestry::of(root, a).exclusive_with(b.start_byte()), "{src}");
        exclusive
    }

    #[test]
    fn branches_of_one_conditional_are_exclusive() {
        let py = || tree_sitter_python::LANGUAGE.into();
        assert!(apart(py(), "if c:\n    x = AAA\nelif d:\n    x = BBB\n"));
        assert!(apart(py(), "if c:\n    x = AAA\nelse:\n    x = BBB\n"));
        assert!(apart(py(), "match p:\n    case 1:\n        x = AAA\n    case _:\n        x = BBB\n"));
        assert!(!apart(py(), "if c:\n    x = AAA\nx = BBB\n"));
        assert!(!apart(py(), "if c:\n    x = AAA\n    y = BBB\n"));
        assert!(!apart(py(), "try:\n    x = AAA\nexcept E:\n    x = BBB\n"));
        assert!(!apart(py(), "if AAA:\n    x = BBB\n"));

        let go = || tree_sitter_go::LANGUAGE.into();
        assert!(apart(go(), "package p\nfunc f() { switch p { case 1: x := AAA; case 2: x := BBB } }"));
        assert!(apart(go(), "package p\nfunc f() { if c { x = AAA } else { x = BBB } }"));
        // An `if`'s initialiser runs before either branch.
        assert!(!apart(go(), "package p\nfunc f() { if x := AAA; x != nil { y := BBB } }"));

        let rust = || tree_sitter_rust::LANGUAGE.into();
        assert!(apart(rust(), "fn f() { match p { 1 => { let x = AAA; } _ => { let x = BBB; } } }"));
        assert!(apart(rust(), "fn f() { if c { AAA } else if d { BBB } }"));
        assert!(!apart(rust(), "fn f() { let x = AAA; match x { _ => BBB } }"));

        let js = || tree_sitter_javascript::LANGUAGE.into();
        assert!(apart(js(), "switch (p) { case 1: x = AAA; break; default: x = BBB }"));
        assert!(!apart(js(), "if (c) { x = AAA } x = BBB"));

        let java = || tree_sitter_java::LANGUAGE.into();
        assert!(apart(java(), "class C { void f() { switch (p) { case 1: x = AAA; break; default: x = BBB; } } }"));
        assert!(apart(java(), "class C { void f() { if (c) { x = AAA; } else { x = BBB; } } }"));
        assert!(!apart(java(), "class C { void f() { try { x = AAA; } catch (E e) { x = BBB; } } }"));

        let cs = || tree_sitter_c_sharp::LANGUAGE.into();
        assert!(apart(
            cs(),
            "class C { void F() { switch (p) { case 1: x = AAA; break; default: x = BBB; break; } } }"
        ));
        assert!(apart(cs(), "class C { void F() { if (c) { x = AAA; } else { x = BBB; } } }"));

        let kt = || tree_sitter_kotlin_ng::LANGUAGE.into();
        assert!(apart(kt(), "fun f() { when (p) { 1 -> x = AAA\n else -> x = BBB } }"));
        assert!(apart(kt(), "fun f() { if (c) { x = AAA } else { x = BBB } }"));
    }
}
