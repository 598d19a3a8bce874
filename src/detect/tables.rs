//! Values chosen at run time from a table: `providers[name]`, `FACTORIES[provider](...)`,
//! `CLIENTS[name].chat...`. A front end that meets a table literal indexed by a key it cannot
//! read notes the table here and leaves the value unknown; the call being reported is then
//! resolved again once per key of the table (with that key assumed), and reported under each
//! vendor it can reach, its message saying the provider is chosen at run time. Memoised
//! values remember the tables they went through ([`Tables::remember`]), so a call that reads
//! a cached value still knows them. Language-neutral: keys are node ids and strings.

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
    /// Report these matches (one per vendor); `of` is the table's size, 1 without a table.
    Report(Vec<Matched>, usize),
    /// The callee does not resolve: the front end may infer the call from the file's imports.
    Unresolved,
    /// A call through a module of the tree, resolved after every file is read.
    Pending(Path),
    /// Nothing to report.
    Nothing,
}

/// Resolves one call node: `attempt` matches it under the assumptions in force, `forget`
/// drops the front end's memoised values (computed under other assumptions) before and
/// after the entries of a table are tried.
pub fn resolve_call(tables: &Tables, forget: impl Fn(), attempt: impl Fn() -> Option<Matched>) -> Resolved {
    tables.start();
    let first = attempt();
    if first.as_ref().is_some_and(Matched::is_found) {
        return Resolved::Report(first.into_iter().collect(), 1);
    }
    if let Some((id, keys)) = tables.first() {
        let mut found = Vec::new();
        for key in &keys {
            forget();
            if let Some(m) = tables.assuming(id, key, &attempt).filter(Matched::is_found) {
                found.push(m);
            }
        }
        forget();
        if !found.is_empty() {
            return Resolved::Report(found, keys.len());
        }
    }
    match first {
        None => Resolved::Unresolved,
        Some(Matched::Pending(path)) => Resolved::Pending(path),
        Some(_) => Resolved::Nothing,
    }
}

/// The findings of matches to report, one per vendor served, after noting each match's
/// client in the front end's list (`common::note_client`); and the first vendor.
pub fn report(
    rules: &RuleSet,
    found: Vec<Matched>,
    of: usize,
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

/// The findings of one call node matched once, or once per entry of a table of `of`
/// entries: one per vendor served, each saying, when a table chose, which vendors the call
/// reaches. Also `(definition vendor, served)` of every match, for the file's client list.
pub fn per_vendor(rules: &RuleSet, found: Vec<Matched>, of: usize) -> (Vec<Emit>, Vec<(String, Served)>) {
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
    if of > 1 {
        let names: Vec<&str> =
            vendors.iter().map(|v| rules.vendor(v).map_or(v.as_str(), |x| x.name.as_str())).collect();
        let note = chosen_note(of, &names);
        emits = emits.into_iter().map(|e| e.noting(&note)).collect();
    }
    (emits, clients)
}

/// Entries of one table tried for a call.
pub const MAX_KEYS: usize = 16;

/// A table indexed at run time: the subscript node's id and the table's keys.
pub type Table = (usize, Vec<String>);

/// The tables met while resolving the current call, and the key assumed for one of them.
#[derive(Default)]
pub struct Tables {
    seen: RefCell<Vec<Table>>,
    assumed: RefCell<Option<(usize, String)>>,
    deps: RefCell<HashMap<(usize, u8), Vec<Table>>>,
}

impl Tables {
    /// Starts resolving a new call: forgets the tables the previous one met.
    pub fn start(&self) {
        self.seen.borrow_mut().clear();
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

    /// The first table the current call met.
    pub fn first(&self) -> Option<Table> {
        self.seen.borrow().first().cloned()
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
