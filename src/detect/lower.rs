//! The driver every tree-sitter lowering runs: the same passes in the same order, written
//! once. A language provides its passes ([`Lowering`]); [`run`] checks the tree's depth,
//! binds, links the file's own callers, sorts the symbol table, finds, moves imports to the
//! vendor their clients point at, exports, and closes the budget.

use super::budget;
use super::common::{self, TextSyntax};
use super::resolve::{self, Callers, Ctx, Front};
use super::FileOutput;
use tree_sitter::Node;

/// A language's passes over one file's tree, for [`run`].
pub trait Lowering<'t>: Front<'t> {
    /// How the file's literals are read when its tree is too deep for the passes.
    const TEXT: TextSyntax;
    /// Whether the file's URL-holding top-level names are kept for importers the prefilter
    /// set aside ([`FileOutput::url_names`]).
    const URL_NAMES: bool = false;

    /// Pass 1: bindings (imports, assignments, parameters, classes, fields, types).
    fn bind_file(&mut self, root: Node<'t>, ctx: &Ctx);
    /// The calls of the file's own functions pass 1 recorded ([`resolve::bind_callers`]).
    fn take_callers(&mut self) -> Option<Callers<'t>> {
        None
    }
    /// Work between the passes, once the symbol table is sorted.
    fn prepare(&mut self) {}
    /// Pass 2: the findings.
    fn find(&mut self, root: Node<'t>, ctx: &Ctx, out: &mut FileOutput);
    /// What other modules may import from this one.
    fn export(&self, _out: &mut FileOutput) {}
    /// Work after the passes (Rust marks test code).
    fn finish(&self, _root: Node<'t>, _out: &mut FileOutput) {}
    /// A tree too deep for the passes: its literals, found without recursion.
    fn literals_only(&mut self, _root: Node<'t>, _ctx: &Ctx, out: &mut FileOutput) {
        common::scan_text(self.src(), self.rules(), self.lines(), &Self::TEXT, out);
    }
}

/// Runs a lowering's passes over the tree rooted at `root`.
pub fn run<'t, L: Lowering<'t>>(a: &mut L, root: Node<'t>, out: &mut FileOutput) {
    let ctx = Ctx::module(root.id());
    if let Some(why) = budget::tree_too_deep(root) {
        out.add_error(format!("{why}; {}", budget::LITERALS_ONLY));
        a.literals_only(root, &ctx, out);
    } else {
        a.bind_file(root, &ctx);
        if let Some(callers) = a.take_callers() {
            resolve::bind_callers(a, callers);
        }
        a.sym_mut().sort();
        a.prepare();
        a.find(root, &ctx, out);
        common::reassign_imports(a.rules(), &a.sym().clients, out);
        a.export(out);
        a.finish(root, out);
        if L::URL_NAMES {
            out.url_names = a.url_names(out);
        }
    }
    a.sym_mut().budget.finish(out);
}
