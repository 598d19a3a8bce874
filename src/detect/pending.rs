//! The pending calls of one file, packed between detection and linking. Input: the
//! [`PendingCall`]s a detector pushed; output: the same calls, equal field by field, when
//! [`crate::detect::resolve_pending`] asks for them. It must not drop or change a call.
//!
//! Every parsed file keeps its pending calls until the whole tree is read (only then are the
//! exports known), so on an AI-heavy tree they are most of what grows with the tree (issue 15:
//! peak RSS). A [`Path`] is a tree of small allocations: a vector of segments, a `String` per
//! name, an `Arc<CallArgs>` per call with vectors of arguments inside. Packed, a call is a run
//! of bytes in one buffer per file, and the arguments of a call that several pending paths
//! share (`agent = Agent(...)`, then `agent.run()` and `agent.run_sync()`) are stored once
//! and shared again when unpacked.

use super::path::{ArgValue, CallArgs, Path, Seg};
use super::spill::Stored;
use super::{PendingCall, Span};
use crate::finding::Finding;
use std::collections::HashMap;
use std::sync::Arc;

/// Packed pending calls ([`Packed::pack`], [`Packed::unpack`]).
#[derive(Debug, Default)]
pub struct Packed {
    /// The calls (each its span, then its path), then the distinct call arguments the
    /// paths refer to, by index; on disk until linking when long ([`super::spill`]).
    bytes: Stored,
    /// Where the arguments start in `bytes`.
    args_at: usize,
    /// How many calls `calls` holds.
    len: usize,
    /// The few calls that carry findings to fall back on (by index), kept as they are.
    fallbacks: Vec<(usize, Vec<Finding>)>,
}

const NO_CALL: u32 = 0;

impl Packed {
    /// Packs `calls` (in order).
    pub fn pack(calls: &[PendingCall]) -> Packed {
        let mut w = Writer::default();
        for c in calls {
            let Span { line, column, end_line, end_column } = c.span;
            for n in [line, column, end_line, end_column] {
                w.calls.num(n as usize);
            }
            w.path(&c.path, false);
        }
        let fallbacks = calls
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.fallback.is_empty())
            .map(|(i, c)| (i, c.fallback.clone()))
            .collect();
        let args_at = w.calls.0.len();
        let mut bytes = w.calls.0;
        bytes.extend_from_slice(&w.args.0);
        Packed { bytes: Stored::keep(bytes), args_at, len: calls.len(), fallbacks }
    }

    /// How many calls are packed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The bytes the packed calls take.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    /// Whether no call is packed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The calls, as they were packed.
    pub fn unpack(&self) -> Vec<PendingCall> {
        let bytes = self.bytes.bytes();
        let (calls, args) = bytes.split_at(self.args_at.min(bytes.len()));
        let mut r = Reader { calls: Cursor(calls), args: Cursor(args), shared: Vec::new() };
        let mut fallbacks = self.fallbacks.iter().peekable();
        (0..self.len)
            .map(|i| {
                let mut n = || r.calls.num() as u32;
                let span = Span { line: n(), column: n(), end_line: n(), end_column: n() };
                let fallback = match fallbacks.next_if(|(j, _)| *j == i) {
                    Some((_, f)) => f.clone(),
                    None => Vec::new(),
                };
                PendingCall { span, path: r.path(false), fallback }
            })
            .collect()
    }
}

/// Bytes being written: numbers as LEB128, strings as their length and bytes (also the
/// packed findings of [`super::kept`]).
#[derive(Default)]
pub(super) struct Bytes(pub(super) Vec<u8>);

impl Bytes {
    pub(super) fn num(&mut self, mut n: usize) {
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(low);
                return;
            }
            self.0.push(low | 0x80);
        }
    }

    pub(super) fn str(&mut self, s: &str) {
        self.num(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
}

#[derive(Default)]
struct Writer {
    calls: Bytes,
    args: Bytes,
    /// Arguments already stored, by address: index + 1 (0 is "not called").
    seen: HashMap<*const CallArgs, u32>,
    count: u32,
}

impl Writer {
    /// A path, into `args` when it is an argument's value (`inner`), else into `calls`.
    fn path(&mut self, p: &Path, inner: bool) {
        let mut segs = Vec::with_capacity(p.0.len());
        for s in &p.0 {
            let id = s.call.as_ref().map_or(NO_CALL, |a| self.call_args(a));
            segs.push((s.name.as_str(), id));
        }
        let out = if inner { &mut self.args } else { &mut self.calls };
        out.num(segs.len());
        for (name, id) in segs {
            out.str(name);
            out.num(id as usize);
        }
    }

    /// The index (+ 1) of `a` among the stored arguments, storing it first if new. The
    /// calls inside its path arguments are stored before it, so that reading the arguments
    /// in order never meets an index not yet read. (Recursion as deep as the nesting of the
    /// paths, which the derived `Clone`, `PartialEq` and `Drop` of [`Path`] share.)
    fn call_args(&mut self, a: &Arc<CallArgs>) -> u32 {
        if let Some(&id) = self.seen.get(&Arc::as_ptr(a)) {
            return id;
        }
        for v in a.positional.iter().chain(a.keywords.iter().map(|(_, v)| v)) {
            if let ArgValue::Path(p) = v {
                for c in p.0.iter().filter_map(|s| s.call.as_ref()) {
                    self.call_args(c);
                }
            }
        }
        self.args.num(a.positional.len());
        for v in &a.positional {
            self.value(v);
        }
        self.args.num(a.keywords.len());
        for (k, v) in &a.keywords {
            self.args.str(k);
            self.value(v);
        }
        self.args.num(a.env_defaults.len());
        for (k, v) in &a.env_defaults {
            self.args.str(k);
            self.args.str(v);
        }
        self.args.num(usize::from(a.declared));
        self.count += 1;
        self.seen.insert(Arc::as_ptr(a), self.count);
        self.count
    }

    fn value(&mut self, v: &ArgValue) {
        match v {
            ArgValue::Str(s) => {
                self.args.num(0);
                self.args.str(s);
            }
            ArgValue::Env(s) => {
                self.args.num(1);
                self.args.str(s);
            }
            ArgValue::Path(p) => {
                self.args.num(2);
                self.path(p, true);
            }
            ArgValue::Pattern(s) => {
                self.args.num(3);
                self.args.str(s);
            }
            ArgValue::Dynamic => self.args.num(4),
        }
    }
}

pub(super) struct Cursor<'a>(pub(super) &'a [u8]);

impl Cursor<'_> {
    pub(super) fn num(&mut self) -> usize {
        let (mut n, mut shift) = (0usize, 0);
        while let Some((&b, rest)) = self.0.split_first() {
            self.0 = rest;
            n |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        n
    }

    pub(super) fn str(&mut self) -> String {
        let len = self.num().min(self.0.len());
        let (s, rest) = self.0.split_at(len);
        self.0 = rest;
        // Written from a `&str` by `Bytes::str`: always UTF-8.
        String::from_utf8_lossy(s).into_owned()
    }
}

struct Reader<'a> {
    calls: Cursor<'a>,
    args: Cursor<'a>,
    /// Arguments read so far, in order (index + 1 is what paths refer to them by).
    shared: Vec<Arc<CallArgs>>,
}

impl Reader<'_> {
    fn path(&mut self, inner: bool) -> Path {
        let n = if inner { self.args.num() } else { self.calls.num() };
        let mut segs = Vec::with_capacity(n);
        for _ in 0..n {
            let (name, id) = if inner {
                (self.args.str(), self.args.num() as u32)
            } else {
                (self.calls.str(), self.calls.num() as u32)
            };
            let call = (id != NO_CALL).then(|| self.call_args(id));
            segs.push(Seg { name, call });
        }
        Path(segs)
    }

    /// The arguments stored under index `id` (+ 1), reading every stored one up to it.
    fn call_args(&mut self, id: u32) -> Arc<CallArgs> {
        while self.shared.len() < id as usize {
            let positional = (0..self.args.num()).map(|_| self.value()).collect();
            let keywords = (0..self.args.num()).map(|_| (self.args.str(), self.value())).collect();
            let env_defaults = (0..self.args.num()).map(|_| (self.args.str(), self.args.str())).collect();
            let declared = self.args.num() != 0;
            self.shared.push(Arc::new(CallArgs { positional, keywords, env_defaults, declared }));
        }
        self.shared.get(id as usize - 1).cloned().unwrap_or_default()
    }

    fn value(&mut self) -> ArgValue {
        match self.args.num() {
            0 => ArgValue::Str(self.args.str()),
            1 => ArgValue::Env(self.args.str()),
            2 => ArgValue::Path(self.path(true)),
            3 => ArgValue::Pattern(self.args.str()),
            _ => ArgValue::Dynamic,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::path;
    use super::*;

    fn called(name: &str, args: &Arc<CallArgs>) -> Seg {
        Seg { name: name.into(), call: Some(args.clone()) }
    }

    fn span(line: u32) -> Span {
        Span { line, column: 300, end_line: line + 1, end_column: 1 }
    }

    #[test]
    fn calls_come_back_equal_and_in_order() {
        let inner = Arc::new(CallArgs { positional: vec![ArgValue::Str("gpt-4o".into())], ..CallArgs::default() });
        let model = Path(vec![Seg { name: "local:lib/models".into(), call: None }, called("pick", &inner)]);
        let agent = Arc::new(CallArgs {
            positional: vec![ArgValue::Path(model.clone()), ArgValue::Dynamic],
            keywords: vec![
                ("base_url".into(), ArgValue::Pattern(format!("https://{}/v1", path::HOLE))),
                ("api_key".into(), ArgValue::Env("OPENAI_API_KEY".into())),
                ("model".into(), ArgValue::Path(model)),
                ("prompt".into(), ArgValue::Str("é".repeat(200))),
            ],
            env_defaults: vec![("base_url".into(), "BASE".into())],
            declared: false,
        });
        let typed = Arc::new(CallArgs::declared());
        let calls = vec![
            PendingCall {
                span: span(1),
                path: Path(vec![called("app.llm.Agent", &agent), called("run", &typed)]),
                fallback: Vec::new(),
            },
            PendingCall {
                span: span(70_000),
                path: Path(vec![Seg { name: String::new(), call: None }]),
                fallback: Vec::new(),
            },
            PendingCall {
                span: span(2),
                path: Path(vec![called("app.llm.Agent", &agent), called("run_sync", &typed)]),
                fallback: Vec::new(),
            },
            PendingCall { span: span(3), path: Path(Vec::new()), fallback: Vec::new() },
        ];
        let packed = Packed::pack(&calls);
        assert_eq!(packed.len(), 4);
        let back = packed.unpack();
        assert_eq!(back.len(), calls.len());
        for (a, b) in calls.iter().zip(&back) {
            assert_eq!(a.span, b.span);
            assert_eq!(a.path, b.path);
        }
        // Arguments two calls shared are stored once and shared again.
        let (first, third) = (back[0].path.0[0].call.as_ref().unwrap(), back[2].path.0[0].call.as_ref().unwrap());
        assert!(Arc::ptr_eq(first, third));
        assert!(Packed::pack(&[]).unpack().is_empty());
    }
}
