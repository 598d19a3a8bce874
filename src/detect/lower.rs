//! The driver every tree-sitter lowering runs: the same passes in the same order, written
//! once. A language names its passes ([`Passes`]); [`run`] checks the tree's depth, binds,
//! links the file's own callers, sorts the symbol table, finds, moves imports to the vendor
//! their clients point at, exports, and closes the budget.

use super::budget;
use super::common::{self, TextSyntax};
use super::resolve::{self, Callers, Ctx, Front};
use super::FileOutput;
use tree_sitter::Node;

/// A language's passes over one file's tree, for [`run`]: its analyzer's own methods.
pub struct Passes<'t, A> {
    /// How the file's literals are read when its tree is too deep for the passes.
    text: &'static TextSyntax,
    /// Pass 1: bindings (imports, assignments, parameters, classes, fields, types).
    bind: fn(&mut A, Node<'t>, &Ctx),
    /// Pass 2: the findings (the analyzer's `visit` from the root, nothing served yet).
    find: fn(&mut A, Node<'t>, &Ctx, Option<&str>, &mut FileOutput),
    /// The calls of the file's own functions pass 1 recorded ([`resolve::bind_callers`]).
    callers: Option<fn(&mut A) -> Callers<'t>>,
    /// Work between the passes, once the symbol table is sorted.
    prepare: Option<fn(&mut A)>,
    /// What other modules may import from this one.
    export: Option<fn(&A, &mut FileOutput)>,
    /// Work after the passes (Rust marks test code).
    finish: Option<fn(&A, Node<'t>, &mut FileOutput)>,
    /// A tree too deep for the passes: its literals, found without recursion (default: the
    /// text read line by line, [`common::scan_text`]).
    literals: Option<fn(&mut A, Node<'t>, &Ctx, &mut FileOutput)>,
    /// Whether the file's URL-holding top-level names are kept for importers the prefilter
    /// set aside ([`FileOutput::url_names`]).
    url_names: bool,
}

impl<'t, A: Front<'t>> Passes<'t, A> {
    /// The two passes every lowering has.
    pub fn new(
        text: &'static TextSyntax,
        bind: fn(&mut A, Node<'t>, &Ctx),
        find: fn(&mut A, Node<'t>, &Ctx, Option<&str>, &mut FileOutput),
    ) -> Self {
        Passes {
            text,
            bind,
            find,
            callers: None,
            prepare: None,
            export: None,
            finish: None,
            literals: None,
            url_names: false,
        }
    }
    /// With the file's own calls to bind to its functions' parameters.
    pub fn callers(self, f: fn(&mut A) -> Callers<'t>) -> Self {
        Passes { callers: Some(f), ..self }
    }
    /// With work between the passes.
    pub fn prepare(self, f: fn(&mut A)) -> Self {
        Passes { prepare: Some(f), ..self }
    }
    /// With what the module exports.
    pub fn export(self, f: fn(&A, &mut FileOutput)) -> Self {
        Passes { export: Some(f), ..self }
    }
    /// With work after the passes.
    pub fn finish(self, f: fn(&A, Node<'t>, &mut FileOutput)) -> Self {
        Passes { finish: Some(f), ..self }
    }
    /// With its own reading of a tree too deep for the passes.
    pub fn literals(self, f: fn(&mut A, Node<'t>, &Ctx, &mut FileOutput)) -> Self {
        Passes { literals: Some(f), ..self }
    }
    /// Keeping the module's URL-holding names for importers.
    pub fn url_names(self) -> Self {
        Passes { url_names: true, ..self }
    }
}

/// Runs a lowering's passes over the tree rooted at `root`.
pub fn run<'t, A: Front<'t>>(a: &mut A, root: Node<'t>, out: &mut FileOutput, p: Passes<'t, A>) {
    let ctx = Ctx::module(root.id());
    if let Some(why) = budget::tree_too_deep(root) {
        out.add_error(format!("{why}; {}", budget::LITERALS_ONLY));
        match p.literals {
            Some(f) => f(a, root, &ctx, out),
            None => common::scan_text(a.src(), a.rules(), a.lines(), p.text, out),
        }
    } else {
        bind(a, root, &ctx, &p);
        if let Some(f) = p.prepare {
            f(a);
        }
        (p.find)(a, root, &ctx, None, out);
        common::reassign_imports(a.rules(), &a.sym().clients, out);
        a.export_built(out);
        if let Some(f) = p.export {
            f(a, out);
        }
        if let Some(f) = p.finish {
            f(a, root, out);
        }
        if p.url_names {
            out.url_names = a.url_names(out);
        }
    }
    a.sym_mut().budget.finish(out);
}

/// Pass 1 alone: binds, links the file's own callers and sorts the symbol table; what [`run`]
/// does before it finds, and all a module read only for the names it exports needs.
pub fn bind<'t, A: Front<'t>>(a: &mut A, root: Node<'t>, ctx: &Ctx, p: &Passes<'t, A>) {
    (p.bind)(a, root, ctx);
    if let Some(f) = p.callers {
        let callers = f(a);
        resolve::bind_callers(a, callers);
    }
    a.sym_mut().sort();
}
