//! Bounds on the work and the stack one file may take, shared by every front end.
//!
//! - Resolution (turning a name or expression into a canonical path) draws every step
//!   from one [`Budget`] per file, whatever path leads into the resolver (call arguments,
//!   environment reads, class members, annotations, fixtures, function results), and
//!   carries its depth through all of them; past [`MAX_DEPTH`] or [`MAX_STEPS`] a name
//!   stays unresolved, and an exhausted budget is the file's entry in `stats.errors`.
//! - A [`Memo`] resolves each binding once and is the cycle guard: a binding asked for
//!   while its own resolution is in progress (`text = f(text)`) resolves to nothing.
//! - Tree walks recurse once per level of the syntax tree, so a tree deeper than
//!   [`MAX_TREE_DEPTH`] (measured without recursion, [`tree_too_deep`]) is not walked:
//!   the file is scanned for imports and literals only, by the iterative [`preorder`].

use super::FileOutput;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::Hash;
use tree_sitter::Node;

/// Nesting of one resolution (a name bound to a call whose argument is a name bound to
/// ...) past which the value is left unresolved.
pub const MAX_DEPTH: u32 = 24;

/// Resolutions in progress at once (one frame of [`Budget::enter`] per expression being
/// resolved, whatever the `depth` callers pass): the structural bound on the resolver's
/// recursion. A cycle between resolving a name, its string value and a call's arguments
/// (`data = b64encode(data).decode()`) passes through a guarded frame on every turn, so it
/// ends here whether or not each caller counted its depth. 128 frames of the deepest
/// cycle take well under a quarter of a scanning thread's stack (`scan::STACK_SIZE`).
pub const MAX_NESTING: u32 = 128;

/// Resolution steps allowed per file. Ordinary files take a few hundred to a few
/// thousand; each binding is resolved once ([`Memo`]), so only pathological files reach it.
pub const MAX_STEPS: u64 = 500_000;

/// The deepest syntax tree the recursive walks of the tree-sitter front ends are given
/// (every level of nesting adds one or two: `((x))`, `a + b + c`, `f(() => ...)`, `<A<B>>`,
/// nested JSX). This is the one bound on their recursion; trees this deep fit in half the
/// scanning threads' stack (`scan::STACK_SIZE`) even unoptimised (a test checks it).
pub const MAX_TREE_DEPTH: usize = 1_000;

/// Source text past which a file is not parsed. A tree-sitter tree takes about 20 times
/// its text and the analysis about 10 more, so a 10 MiB generated file would take 300 MiB;
/// past this size the file is scanned line by line for string literals and environment
/// reads ([`super::common::scan_text`]) and named in `stats.errors`. Hand-written source
/// files are far smaller; what is larger is generated (data tables, bundles, protobufs).
pub const MAX_PARSE_BYTES: usize = 2 * 1024 * 1024;

/// Why `src` is too large to parse, if it is.
pub fn too_large(src: &str) -> Option<String> {
    (src.len() > MAX_PARSE_BYTES).then(|| {
        format!(
            "{} of source is over the {} MiB parse limit: only string literals and environment reads were scanned",
            crate::read::human(src.len() as u64),
            MAX_PARSE_BYTES / (1024 * 1024)
        )
    })
}

/// Bytes of source that the scanning threads analyse at once (more threads wait), so that
/// peak memory is about 30 times this, plus the rules, whatever the number of cores; a
/// single file larger than this (up to [`MAX_PARSE_BYTES`]) is analysed alone. At 2 MiB,
/// two of pydantic-ai's largest test files (0.5 to 1 MB) were analysed at once, and that
/// was most of its peak (issue 15: 62 MiB of heap in use, 28 MiB once detection ended).
pub const IN_FLIGHT_BYTES: usize = 1024 * 1024;

/// The bytes being analysed now, over all threads.
static IN_FLIGHT: std::sync::Mutex<usize> = std::sync::Mutex::new(0);
static RELEASED: std::sync::Condvar = std::sync::Condvar::new();

/// Held while a file of `weight` bytes is analysed; see [`IN_FLIGHT_BYTES`].
pub struct InFlight(usize);

/// Waits until `weight` more bytes may be analysed (at once when nothing else is).
pub fn in_flight(weight: usize) -> InFlight {
    let weight = weight.min(IN_FLIGHT_BYTES);
    let mut now = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
    while *now > 0 && *now + weight > IN_FLIGHT_BYTES {
        now = RELEASED.wait(now).unwrap_or_else(|e| e.into_inner());
    }
    *now += weight;
    InFlight(weight)
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut now = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
        *now -= self.0;
        RELEASED.notify_all();
    }
}

/// Bindings of one name a lookup tries before it gives up: real code rebinds a name a few
/// times; a file that rebinds it thousands of times to values that do not resolve
/// (`x = f(x)` in a loop unrolled by a generator) would otherwise cost the square of that.
pub const MAX_BINDINGS_TRIED: usize = 64;

/// Something bound at a byte position of the source.
pub trait Positioned {
    /// The byte offset where the binding takes effect.
    fn pos(&self) -> usize;
}

/// Sorts every list of bindings by position, once, so that [`candidates`] needs no sort.
pub fn sort_bindings<'a, B: Positioned + 'a>(lists: impl Iterator<Item = &'a mut Vec<B>>) {
    for list in lists {
        list.sort_by_key(Positioned::pos);
    }
}

/// The bindings of a name a lookup at `pos` tries, in order: those before `pos`, nearest
/// first, then those at or after it, latest first (a name bound later in a loop or a
/// function may hold that value at run time); with `pos` `None`, all, latest first. At most
/// [`MAX_BINDINGS_TRIED`]. `binds` is sorted by position ([`sort_bindings`]).
pub fn candidates<B: Positioned>(binds: &[B], pos: Option<usize>) -> impl Iterator<Item = &B> {
    let split = pos.map_or(binds.len(), |p| binds.partition_point(|b| b.pos() < p));
    let mut order = Vec::new();
    for part in [&binds[..split], &binds[split..]] {
        // Latest position first; bindings made at one position (`const x: T = value` binds
        // the value, then the type) in the order they were made. The sort is stable, so a
        // list keeps that order within a position and code may read its first binding.
        let mut end = part.len();
        while end > 0 && order.len() < MAX_BINDINGS_TRIED {
            let at = part[end - 1].pos();
            let start = part[..end].iter().rposition(|b| b.pos() != at).map_or(0, |i| i + 1);
            order.extend(&part[start..end]);
            end = start;
        }
    }
    order.truncate(MAX_BINDINGS_TRIED);
    order.into_iter()
}

/// The resolution budget of one file.
#[derive(Debug, Default)]
pub struct Budget {
    steps: Cell<u64>,
    nesting: Cell<u32>,
}

/// One resolution in progress ([`Budget::enter`]); dropping it leaves.
pub struct Nest<'b>(&'b Cell<u32>);

impl Drop for Nest<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

impl Budget {
    /// Enters one more nested resolution; `None` past [`MAX_NESTING`] or when the file's
    /// steps are spent (the caller then leaves the value unresolved).
    pub fn enter(&self, depth: u32) -> Option<Nest<'_>> {
        if self.nesting.get() >= MAX_NESTING || !self.step(depth) {
            return None;
        }
        self.nesting.set(self.nesting.get() + 1);
        Some(Nest(&self.nesting))
    }

    /// Takes one step of resolution at `depth`; `false` when the depth or the file's budget
    /// is spent (the caller then leaves the value unresolved).
    pub fn step(&self, depth: u32) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        steps <= MAX_STEPS
    }

    /// Steps taken (at most [`MAX_STEPS`]).
    pub fn steps(&self) -> u64 {
        self.steps.get().min(MAX_STEPS)
    }

    /// Adds the steps to `out` and, when the budget ran out, says so in its errors.
    pub fn finish(&self, out: &mut FileOutput) {
        out.resolution_steps += self.steps();
        if self.steps.get() > MAX_STEPS {
            out.add_error(format!("resolution budget exhausted after {MAX_STEPS} steps: findings may be incomplete"));
        }
    }
}

/// Values computed once per key. A key asked for again while its own computation is in
/// progress has no value: that is how self-referring bindings (`text = f(text)`,
/// `self.url = quote(self.url)`, `x = x.trim()`) end instead of recursing.
#[derive(Debug)]
pub struct Memo<K, V> {
    map: RefCell<HashMap<K, Option<V>>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo { map: RefCell::new(HashMap::new()) }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> Memo<K, V> {
    /// The value of `key`, computed by `f` the first time.
    pub fn get_or(&self, key: K, f: impl FnOnce() -> Option<V>) -> Option<V> {
        if let Some(v) = self.map.borrow().get(&key) {
            return v.clone();
        }
        self.map.borrow_mut().insert(key.clone(), None);
        let v = f();
        self.map.borrow_mut().insert(key, v.clone());
        v
    }

    /// Runs `f` with an empty memo and puts the earlier values back after it: values computed
    /// under other assumptions (a function's parameters bound to one call's arguments)
    /// neither reach `f` nor outlive it.
    pub fn apart<R>(&self, f: impl FnOnce() -> R) -> R {
        let saved = self.replace(HashMap::new());
        let r = f();
        self.replace(saved);
        r
    }

    /// Puts `values` in place of the memoised values and returns those: a resolution made
    /// under other assumptions (a constructor's parameters probed) keeps its own, and the
    /// values in progress outside it are put back after it.
    pub fn replace(&self, values: HashMap<K, Option<V>>) -> HashMap<K, Option<V>> {
        std::mem::replace(&mut *self.map.borrow_mut(), values)
    }

    /// Forgets one value (computed under an assumption that holds no longer).
    pub fn remove(&self, key: &K) {
        self.map.borrow_mut().remove(key);
    }

    /// Forgets every value (between resolutions made under different assumptions; never
    /// while a computation is in progress).
    pub fn clear(&self) {
        self.map.borrow_mut().clear();
    }
}

/// Why a syntax tree is too deep for the recursive walks, if it is; measured with a
/// cursor, without recursion, stopping at the limit. A subtree with too few nodes to reach
/// the limit (tree-sitter keeps each node's count of visible descendants, the nodes a cursor
/// visits) is not entered: on ordinary code only the nodes near the root are visited.
pub fn tree_too_deep(root: Node<'_>) -> Option<String> {
    let mut cursor = root.walk();
    let mut depth = 0usize;
    loop {
        // The deepest node below this one is at most its descendant count (itself included)
        // less one level further down.
        let shallow = depth + cursor.node().descendant_count() <= MAX_TREE_DEPTH + 1;
        if !shallow && cursor.goto_first_child() {
            depth += 1;
            if depth > MAX_TREE_DEPTH {
                return Some(format!("syntax nested over {MAX_TREE_DEPTH} levels deep"));
            }
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return None;
            }
            depth -= 1;
        }
    }
}

/// Every node under `root`, parents before children, without recursion. `f` returns
/// whether to descend into the node's children.
pub fn preorder<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if f(node) && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// What the walk of a file too deep for the recursive walks scanned.
pub const LITERALS_ONLY: &str = "only imports, string literals and environment reads were scanned";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_bounded_whatever_depth_callers_pass() {
        fn nest(b: &Budget) -> u32 {
            // Every level passes depth 0, as a caller that restarts counting would.
            match b.enter(0) {
                Some(_g) => 1 + nest(b),
                None => 0,
            }
        }
        let b = Budget::default();
        assert_eq!(nest(&b), MAX_NESTING);
        assert!(b.enter(0).is_some(), "leaving every level frees them");
    }

    #[test]
    fn a_key_in_progress_has_no_value() {
        let memo: Memo<u32, u32> = Memo::default();
        let inner = memo.get_or(1, || memo.get_or(1, || Some(7)).or(Some(3)));
        assert_eq!(inner, Some(3));
        assert_eq!(memo.get_or(1, || Some(9)), Some(3), "computed once");
    }

    #[test]
    fn candidates_are_nearest_first_and_keep_the_order_of_one_position() {
        struct B(usize, char);
        impl Positioned for B {
            fn pos(&self) -> usize {
                self.0
            }
        }
        // Made in this order: `x` at 10 is bound to its value, then to its type.
        let mut list = vec![B(30, 'c'), B(10, 'v'), B(10, 't'), B(20, 'b')];
        sort_bindings(std::iter::once(&mut list));
        let at = |pos| candidates(&list, pos).map(|b| b.1).collect::<String>();
        assert_eq!(at(Some(25)), "bvtc", "before 25 nearest first, then the later one");
        assert_eq!(at(None), "cbvt", "latest first; one position in the order made");
    }

    #[test]
    fn the_budget_ends_and_counts() {
        let b = Budget::default();
        assert!(!b.step(MAX_DEPTH + 1));
        assert_eq!(b.steps(), 0, "a step past the depth is not taken");
        let taken = (0..MAX_STEPS + 5).filter(|_| b.step(0)).count() as u64;
        assert_eq!(taken, MAX_STEPS);
        let mut out = FileOutput::default();
        b.finish(&mut out);
        assert_eq!(out.resolution_steps, MAX_STEPS);
        assert!(out.error.as_deref().is_some_and(|e| e.contains("resolution budget exhausted")));
    }

    #[test]
    fn depth_is_measured_without_recursion() {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let shallow = p.parse("x = (1)\n", None).unwrap();
        assert_eq!(tree_too_deep(shallow.root_node()), None);
        let n = MAX_TREE_DEPTH + 10;
        let deep = p.parse(format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)), None).unwrap();
        assert!(tree_too_deep(deep.root_node()).is_some());
        let mut count = 0;
        preorder(deep.root_node(), |_| {
            count += 1;
            true
        });
        assert!(count > n);
    }

    /// The deepest node's depth, by visiting every node.
    fn full_depth(root: Node<'_>) -> usize {
        let (mut cursor, mut depth, mut deepest) = (root.walk(), 0, 0);
        loop {
            if cursor.goto_first_child() {
                depth += 1;
                deepest = deepest.max(depth);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return deepest;
                }
                depth -= 1;
            }
        }
    }

    /// Skipping the subtrees too small to reach the limit changes no answer: around the
    /// limit, for nesting alone and nesting inside ordinary statements.
    #[test]
    fn small_subtrees_are_skipped_exactly() {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let mut seen = [false, false];
        for n in (MAX_TREE_DEPTH - 8)..(MAX_TREE_DEPTH + 3) {
            for wrap in ["x = {}\n", "def f():\n    if a:\n        return g({})\n\ny = 2\n"] {
                let nested = format!("{}1{}", "(".repeat(n), ")".repeat(n));
                let tree = p.parse(wrap.replace("{}", &nested), None).unwrap();
                let over = full_depth(tree.root_node()) > MAX_TREE_DEPTH;
                seen[usize::from(over)] = true;
                assert_eq!(tree_too_deep(tree.root_node()).is_some(), over, "{n} levels in {wrap:?}");
            }
        }
        assert_eq!(seen, [true, true], "both answers are met around the limit");
    }

    /// The deepest trees the recursive walks are given fit in half the scanning threads'
    /// stack (`scan::STACK_SIZE`) even in an unoptimised build, whose frames are several
    /// times larger (it needs between 4 and 8 MiB): for each shape of nesting, the input
    /// just under [`MAX_TREE_DEPTH`] is detected on such a thread.
    #[test]
    fn trees_just_under_the_limit_fit_the_scanning_stack() {
        let search = std::thread::Builder::new().stack_size(crate::scan::STACK_SIZE / 2).spawn(deepest_walked);
        search.unwrap().join().unwrap();
    }

    fn deepest_walked() {
        use crate::lang::FileKind;
        type Shape = (&'static str, FileKind, fn(usize) -> String);
        let shapes: [Shape; 10] = [
            ("x.py", FileKind::Python, |n| format!("import openai\nx = {}1{}\n", "(".repeat(n), ")".repeat(n))),
            ("x.py", FileKind::Python, |n| format!("import openai\nx = {}1{}\n", "f(".repeat(n), ")".repeat(n))),
            ("x.py", FileKind::Python, |n| format!("import openai\nx = {}\n", vec!["'s'"; n].join(" + "))),
            ("x.py", FileKind::Python, |n| format!("import openai\nx = {}1{}\n", "[".repeat(n), "]".repeat(n))),
            ("x.js", FileKind::JavaScript, |n| {
                format!("import OpenAI from 'openai';\nconst f = {}1;\n", "() => ".repeat(n))
            }),
            ("x.js", FileKind::JavaScript, |n| {
                format!("import OpenAI from 'openai';\nx = {}1{};\n", "f(".repeat(n), ")".repeat(n))
            }),
            ("x.js", FileKind::JavaScript, |n| {
                format!("import OpenAI from 'openai';\nconst {}a{} = x;\n", "[".repeat(n), "]".repeat(n))
            }),
            ("x.js", FileKind::JavaScript, |n| {
                format!("import OpenAI from 'openai';\n{}{}\n", "function f() {".repeat(n), "}".repeat(n))
            }),
            ("x.ts", FileKind::TypeScript, |n| {
                format!("import OpenAI from 'openai';\ntype T = {}number{};\n", "A<".repeat(n), ">".repeat(n))
            }),
            ("x.tsx", FileKind::Tsx, |n| {
                format!("import OpenAI from 'openai';\nconst x = {}1{};\n", "<a>{".repeat(n), "}</a>".repeat(n))
            }),
        ];
        let rules = crate::rules::load_embedded();
        let locals = super::super::LocalModules::default();
        for (rel, language, shape) in shapes {
            let cut = |n: usize| {
                let out = super::super::detect(rel, language, &shape(n), &rules, &locals);
                assert!(out.findings.iter().any(|f| f.line == 1), "{rel}: the import at {n} levels");
                out.error.is_some_and(|e| e.contains("nested over"))
            };
            // Down to the largest nesting still walked (not cut at `lo`, cut at `hi`).
            let (mut lo, mut hi) = (1, MAX_TREE_DEPTH + 1);
            assert!(cut(hi), "{rel}: {hi} levels are cut");
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if cut(mid) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            assert!(!cut(lo) && lo * 4 > MAX_TREE_DEPTH, "{rel}: walked up to {lo} levels");
        }
    }
}
