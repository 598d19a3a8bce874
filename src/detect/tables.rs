//! Values chosen at run time from a table: `providers[name]`, `FACTORIES[provider](...)`,
//! `CLIENTS[name].chat...`. A front end that meets a table literal indexed by a key it cannot
//! read notes the table here and leaves the value unknown; the call being reported is then
//! resolved again once per key of the table (with that key assumed), and reported under each
//! vendor it can reach, its message saying the provider is chosen at run time. Memoised
//! values remember the tables they went through ([`Tables::remember`]), so a call that reads
//! a cached value still knows them. Language-neutral: keys are node ids and strings.
//!
//! The same mechanism holds values that are several things at once: a builder with several
//! services registered on it (`builder.AddOpenAIChatCompletion(..).AddAzureOpenAITextToImage(..)`,
//! or two registration statements on one builder variable) is each of them. The front end
//! notes such a value as a choice of two (this registration, or what the builder held
//! before, [`Tables::note_several`]); the call is resolved once per combination of choices
//! ([`Tables::each_choice`]) and reported under each vendor a combination reaches, whether
//! or not the value as written (the latest registration) already matched. A value the code
//! picks at run time among alternatives it spells (a helper whose returns name different
//! hosts, [`Tables::choose`]) is tried the same way, each alternative once.

use super::emit::Emit;
use super::matcher::Served;
use super::path::Path;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::HashMap;

/// What one call node matched, under the assumptions in force.
pub enum Matched {
    /// A construction or an operation: its finding, the vendor of the client definition,
    /// and who serves it.
    Found(Emit, String, Served),
    /// A raw HTTP request to a vendor's API (`detect::http`): its finding.
    Request(Emit),
    /// A call through a module of the tree, resolved after every file is read.
    Pending(Path),
    /// A resolved callee that is neither.
    Nothing,
}

/// What to do with one call node, once resolved as written and, where it went through a
/// table indexed at run time, once per entry of that table.
pub enum Resolved {
    /// Report these matches (one per vendor), chosen as [`Choice`] says.
    Report(Vec<Matched>, Choice),
    /// The callee does not resolve: the front end may infer the call from the file's imports.
    Unresolved,
    /// A call through a module of the tree, resolved after every file is read.
    Pending(Path),
    /// Nothing to report.
    Nothing,
}

/// How the values a call was resolved with were chosen.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Choice {
    /// As written: one value.
    Written,
    /// One entry per run: a table of this many entries indexed at run time.
    Table(usize),
    /// All at once: several services registered on one builder.
    Together,
    /// One alternative per run: values the code picks among at run time.
    Alternatives,
}

/// Resolves one call node: `attempt` matches it under the assumptions in force, `forget`
/// drops the front end's memoised values (computed under other assumptions) before and
/// after the entries of a table, or the combinations of registrations, are tried.
pub fn resolve_call(tables: &Tables, forget: impl Fn(), attempt: impl Fn() -> Option<Matched>) -> Resolved {
    tables.start();
    let first = attempt();
    let table = tables.first();
    if tables.has_several() {
        let together = tables.has_registrations();
        let found = tables.each_choice(&forget, &attempt);
        forget();
        if !found.is_empty() {
            return Resolved::Report(found, if together { Choice::Together } else { Choice::Alternatives });
        }
    }
    // A model read at run time names no vendor: a table it is read from may name one per entry.
    let undecided = |m: &Matched| matches!(m, Matched::Found(_, _, s) if s.model_at_run_time);
    if first.as_ref().is_some_and(|m| m.is_found() && !(table.is_some() && undecided(m))) {
        return Resolved::Report(first.into_iter().collect(), Choice::Written);
    }
    if let Some((id, keys)) = table {
        let mut found = Vec::new();
        for key in &keys {
            forget();
            if let Some(m) = tables.assuming(id, key, &attempt).filter(Matched::is_found) {
                found.push(m);
            }
        }
        forget();
        if !found.is_empty() {
            return Resolved::Report(found, Choice::Table(keys.len()));
        }
    }
    match first {
        None => Resolved::Unresolved,
        Some(Matched::Pending(path)) => Resolved::Pending(path),
        Some(m) if m.is_found() => Resolved::Report(vec![m], Choice::Written),
        Some(_) => Resolved::Nothing,
    }
}

/// The findings of matches to report, one per vendor served, after noting each match's
/// client in the front end's list (`common::note_client`); and the first vendor.
pub fn report(
    rules: &RuleSet,
    found: Vec<Matched>,
    of: Choice,
    clients: &mut Vec<(String, Served)>,
) -> (Vec<Emit>, Option<String>) {
    let (emits, matched) = per_vendor(rules, found, of);
    for (def_vendor, served) in &matched {
        super::common::note_client(clients, def_vendor, served);
    }
    let first = emits.first().map(|e| e.vendor.clone());
    (emits, first)
}

impl Matched {
    /// Whether it is something to report.
    pub fn is_found(&self) -> bool {
        matches!(self, Matched::Found(..) | Matched::Request(_))
    }
}

/// The findings of one call node matched once, once per entry of a table, or once per
/// combination of registrations: one per vendor served, each saying, when a table chose or
/// several registrations reach it, which vendors the call reaches. Also `(definition vendor,
/// served)` of every match, for the file's client list.
pub fn per_vendor(rules: &RuleSet, found: Vec<Matched>, of: Choice) -> (Vec<Emit>, Vec<(String, Served)>) {
    let mut vendors: Vec<String> = Vec::new();
    let mut emits = Vec::new();
    let mut clients = Vec::new();
    for m in found {
        let e = match m {
            Matched::Found(e, def_vendor, served) => {
                clients.push((def_vendor, served));
                e
            }
            Matched::Request(e) => e,
            Matched::Pending(_) | Matched::Nothing => continue,
        };
        if !vendors.contains(&e.vendor) {
            vendors.push(e.vendor.clone());
            emits.push(e);
        }
    }
    let mut names: Vec<&str> =
        vendors.iter().map(|v| rules.vendor(v).map_or(v.as_str(), |x| x.name.as_str())).collect();
    // Named in one order whatever order resolution met them in.
    names.sort_unstable();
    let note = match of {
        Choice::Table(n) if n > 1 => Some(chosen_note(n, &names)),
        Choice::Together if names.len() > 1 => Some(together_note(&names)),
        Choice::Alternatives if names.len() > 1 => Some(alternatives_note(&names)),
        _ => None,
    };
    if let Some(note) = note {
        emits = emits.into_iter().map(|e| e.noting(&note)).collect();
    }
    (emits, clients)
}

/// Entries of one table tried for a call.
pub const MAX_KEYS: usize = 16;

/// A table indexed at run time: the subscript node's id and the table's keys.
pub type Table = (usize, Vec<String>);

/// Combinations of choices tried for one call (each a resolution of the call): enough for a
/// client picked among three whose base URL field is picked among a dozen (langroid's
/// `self.client` and `self.api_base`), counting the partial combinations tried on the way.
pub const MAX_COMBINATIONS: usize = 48;

/// The tables met while resolving the current call, and the key assumed for one of them;
/// the values holding several registrations met, and the one chosen for each.
#[derive(Default)]
pub struct Tables {
    seen: RefCell<Vec<Table>>,
    assumed: RefCell<Option<(usize, String)>>,
    deps: RefCell<HashMap<(usize, u8), Vec<Table>>>,
    /// Nodes noted by [`Tables::note_several`] (their keys are [`SEVERAL`]).
    chosen: RefCell<Vec<(usize, usize)>>,
}

/// The keys of a value that is one registration or what its builder held before.
const SEVERAL: [&str; 2] = ["\0this", "\0before"];

/// The prefix of the keys of a value chosen among alternatives ([`Tables::choose`]).
const ALTERNATIVE: &str = "\0alternative";

impl Tables {
    /// Starts resolving a new call: forgets the tables the previous one met.
    pub fn start(&self) {
        self.seen.borrow_mut().clear();
    }

    /// Notes that node `node` is a registration made on a builder that may hold others: it
    /// is this registration (choice 0) and what the builder held before (choice 1). Returns
    /// the choice in force, if one is.
    pub fn note_several(&self, node: usize) -> Option<usize> {
        if let Some(&(_, c)) = self.chosen.borrow().iter().find(|(id, _)| *id == node) {
            return Some(c);
        }
        self.seen.borrow_mut().push((node, SEVERAL.iter().map(|k| k.to_string()).collect()));
        None
    }

    /// Whether the current call met a value holding several registrations or alternatives.
    pub fn has_several(&self) -> bool {
        self.seen.borrow().iter().any(is_several)
    }

    /// Whether the current call met a value holding several registrations.
    fn has_registrations(&self) -> bool {
        self.seen.borrow().iter().any(|t| t.1.first().is_some_and(|k| k == SEVERAL[0]))
    }

    /// Notes that value `id` is one of `n` alternatives the code picks among at run time (a
    /// helper whose returns name different hosts); returns the one in force, if one is. The
    /// call is then resolved once per alternative ([`Tables::each_choice`]).
    pub fn choose(&self, id: usize, n: usize) -> Option<usize> {
        if let Some(&(_, c)) = self.chosen.borrow().iter().find(|(x, _)| *x == id) {
            return Some(c);
        }
        let keys = (0..n.min(MAX_KEYS)).map(|i| format!("{ALTERNATIVE}{i}")).collect();
        self.seen.borrow_mut().push((id, keys));
        None
    }

    /// The matches of the current call under every combination of the registrations it
    /// meets (at most [`MAX_COMBINATIONS`] tried): a call reaches each registration its
    /// value holds that serves it. Depth first, this registration before the earlier ones.
    pub fn each_choice(&self, forget: &impl Fn(), attempt: &impl Fn() -> Option<Matched>) -> Vec<Matched> {
        self.each_choice_of(forget, attempt, Matched::is_found)
    }

    /// What `attempt` gives under every combination of the choices it meets (as
    /// [`Tables::each_choice`]), those `keep` accepts.
    pub fn each_choice_of<T>(
        &self,
        forget: &impl Fn(),
        attempt: &impl Fn() -> Option<T>,
        keep: impl Fn(&T) -> bool,
    ) -> Vec<T> {
        let mut stack: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
        let mut found = Vec::new();
        let mut tries = 0;
        while let Some(choice) = stack.pop() {
            if tries == MAX_COMBINATIONS {
                break;
            }
            tries += 1;
            forget();
            self.start();
            *self.chosen.borrow_mut() = choice.clone();
            let m = attempt();
            let open = self
                .seen
                .borrow()
                .iter()
                .find(|t| is_several(t) && !choice.iter().any(|c| c.0 == t.0))
                .map(|t| (t.0, t.1.len()));
            self.chosen.borrow_mut().clear();
            match open {
                Some((id, n)) => {
                    for k in (0..n).rev() {
                        let mut next = choice.clone();
                        next.push((id, k));
                        stack.push(next);
                    }
                }
                None => found.extend(m.filter(&keep)),
            }
        }
        found
    }

    /// The key assumed for the subscript `node`, if its table is being tried.
    pub fn assumed(&self, node: usize) -> Option<String> {
        self.assumed.borrow().as_ref().filter(|(id, _)| *id == node).map(|(_, k)| k.clone())
    }

    /// Notes that subscript `node` indexes a table with `keys` at run time. Noted even when
    /// already seen: a memoised value records what was noted while it was computed.
    pub fn note(&self, node: usize, keys: Vec<String>) {
        self.seen.borrow_mut().push((node, keys.into_iter().take(MAX_KEYS).collect()));
    }

    /// The first table indexed at run time the current call met.
    pub fn first(&self) -> Option<Table> {
        self.seen.borrow().iter().find(|t| !is_several(t)).cloned()
    }

    /// Resolves with `key` assumed for subscript `node`.
    pub fn assuming<T>(&self, node: usize, key: &str, f: impl FnOnce() -> T) -> T {
        *self.assumed.borrow_mut() = Some((node, key.to_string()));
        let v = f();
        *self.assumed.borrow_mut() = None;
        v
    }

    /// A mark to pass to [`Tables::remember`] after computing a memoised value.
    pub fn mark(&self) -> usize {
        self.seen.borrow().len()
    }

    /// After computing or reading the memoised value `key`: records the tables noted since
    /// `mark` as its own, or notes its known tables again.
    pub fn remember(&self, key: (usize, u8), mark: usize) {
        let mut seen = self.seen.borrow_mut();
        let mut deps = self.deps.borrow_mut();
        if seen.len() > mark {
            deps.entry(key).or_insert_with(|| seen[mark..].to_vec());
        } else if let Some(known) = deps.get(&key) {
            for t in known {
                if !seen.iter().any(|(id, _)| *id == t.0) {
                    seen.push(t.clone());
                }
            }
        }
    }
}

/// Whether a noted table is a value holding several registrations or alternatives.
fn is_several(t: &Table) -> bool {
    t.1.first().is_some_and(|k| k == SEVERAL[0] || k.starts_with(ALTERNATIVE))
}

/// The note a call reaching several registrations of one builder carries.
fn together_note(names: &[&str]) -> String {
    format!(" (this call reaches several registered services: {})", names.join(", "))
}

/// The note a call reaching one of several alternatives the code picks at run time carries.
fn alternatives_note(names: &[&str]) -> String {
    format!(" (provider chosen at run time; this call reaches {})", names.join(", "))
}

/// The note a call resolved through a table of `of` entries carries: which vendors
/// (by name) it reaches.
fn chosen_note(of: usize, names: &[&str]) -> String {
    format!(" (provider chosen at run time from a table of {of} entries; this call reaches {})", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_value_brings_back_its_tables() {
        let t = Tables::default();
        t.start();
        let mark = t.mark();
        t.note(7, vec!["openai".into(), "anthropic".into()]);
        t.remember((1, 0), mark);
        assert_eq!(t.first().map(|x| x.0), Some(7));
        t.start();
        assert!(t.first().is_none());
        // Read again from the memo: nothing is noted, the value's tables come back.
        let mark = t.mark();
        t.remember((1, 0), mark);
        assert_eq!(t.first(), Some((7, vec!["openai".to_string(), "anthropic".to_string()])));
        assert_eq!(t.assuming(7, "openai", || t.assumed(7)), Some("openai".to_string()));
        assert_eq!(t.assumed(7), None);
    }
}
