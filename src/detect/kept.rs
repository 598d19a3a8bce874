//! The findings of one file, packed while the rest of the tree is read. Input: the
//! [`Finding`]s a detector made; output: the same findings, equal field by field, when the
//! scan collects them after linking. It must not drop, reorder or change a finding.
//!
//! Every parsed file keeps its findings until the whole tree is read and linked (issue 15:
//! peak RSS). A [`Finding`] is eight strings, each its own allocation, and a file's findings
//! repeat most of them (its path, its language, a few rule ids and vendors). Packed, the
//! findings of a file are one run of bytes and one table of the distinct strings they use.

use super::pending::{Bytes, Cursor};
use super::spill::Stored;
use crate::ecosystem::Ecosystem;
use crate::finding::{Capability, Finding, Kind, Portability, Severity, Subject};
use std::collections::HashMap;

const KINDS: [Kind; 8] =
    [Kind::Import, Kind::Client, Kind::Call, Kind::Dependency, Kind::Model, Kind::Endpoint, Kind::Env, Kind::Secret];
const SEVERITIES: [Severity; 5] = [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical];
const PORTABILITIES: [Portability; 4] =
    [Portability::Portable, Portability::BaseUrlSwap, Portability::Adapter, Portability::NoOpenEquivalent];

/// Packed findings ([`Kept::pack`], [`Kept::unpack`]).
#[derive(Debug, Default)]
pub struct Kept {
    /// The findings, each a run of numbers (string indexes, positions, enum indexes), then
    /// the distinct strings they use, each written once; on disk until linking when long
    /// ([`super::spill`]).
    bytes: Stored,
    /// Where the strings start in `bytes`.
    strings_at: usize,
    /// How many findings are packed.
    len: usize,
    /// All the findings as they are, when one has a value the packing does not know (an
    /// enum variant added later).
    rest: Vec<Finding>,
}

impl Kept {
    /// Packs `findings` (in order).
    pub fn pack(findings: Vec<Finding>) -> Kept {
        let mut w = Writer::default();
        if !findings.iter().all(|f| w.finding(f)) {
            return Kept { rest: findings, ..Kept::default() };
        }
        let strings_at = w.bytes.0.len();
        let mut bytes = w.bytes.0;
        bytes.extend_from_slice(&w.strings.0);
        Kept { bytes: Stored::keep(bytes), strings_at, len: findings.len(), rest: Vec::new() }
    }

    /// How many findings are kept.
    pub fn len(&self) -> usize {
        self.len + self.rest.len()
    }

    /// Whether no finding is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The findings, as they were packed.
    pub fn unpack(self) -> Vec<Finding> {
        let mut table = Vec::new();
        let stored = self.bytes.bytes();
        let (bytes, strings) = stored.split_at(self.strings_at.min(stored.len()));
        let mut strings = Cursor(strings);
        while !strings.0.is_empty() {
            table.push(strings.str());
        }
        let mut r = Cursor(bytes);
        let mut out = Vec::with_capacity(self.len());
        for _ in 0..self.len {
            let mut s = || table.get(r.num()).cloned().unwrap_or_default();
            let (rule_id, vendor, language, path, snippet, message, fingerprint) = (s(), s(), s(), s(), s(), s(), s());
            let [line, column, end_line, end_column] = [r.num(), r.num(), r.num(), r.num()].map(|n| n as u32);
            let kind = KINDS[r.num() % KINDS.len()];
            let capability = Capability::ALL[r.num() % Capability::ALL.len()];
            let severity = SEVERITIES[r.num() % SEVERITIES.len()];
            let portability = r.num().checked_sub(1).map(|i| PORTABILITIES[i % PORTABILITIES.len()]);
            let flags = r.num();
            let subject = match r.num() {
                0 => None,
                tag => {
                    let mut s = || table.get(r.num()).cloned().unwrap_or_default();
                    let (a, b) = (s(), s());
                    let ecosystem = || Ecosystem::from_id(&a).unwrap_or_default();
                    Some(match tag {
                        1 => Subject::Package { ecosystem: ecosystem(), name: b },
                        2 => Subject::Model { name: a, family: b },
                        _ => Subject::Module { ecosystem: ecosystem(), name: b },
                    })
                }
            };
            out.push(Finding {
                rule_id,
                vendor,
                kind,
                capability,
                language,
                path,
                line,
                column,
                end_line,
                end_column,
                snippet,
                severity,
                message,
                portability,
                configurable: flags & 1 != 0,
                fingerprint,
                subject,
                test_code: flags & 2 != 0,
            });
        }
        out.extend(self.rest);
        out
    }
}

#[derive(Default)]
struct Writer {
    bytes: Bytes,
    strings: Bytes,
    /// The index of each string written to `strings`.
    seen: HashMap<String, usize>,
}

impl Writer {
    /// Writes `f`, or returns false (writing nothing) when one of its values is not known.
    fn finding(&mut self, f: &Finding) -> bool {
        let position = |all: &[_], v| all.iter().position(|x| *x == v);
        let (Some(kind), Some(capability), Some(severity)) =
            (position(&KINDS, f.kind), Capability::ALL.iter().position(|c| *c == f.capability), {
                SEVERITIES.iter().position(|s| *s == f.severity)
            })
        else {
            return false;
        };
        let portability = match f.portability {
            None => 0,
            Some(p) => match PORTABILITIES.iter().position(|x| *x == p) {
                Some(i) => i + 1,
                None => return false,
            },
        };
        let subject = match &f.subject {
            None => None,
            Some(Subject::Package { ecosystem, name }) => Some((1, ecosystem.id(), name.as_str())),
            Some(Subject::Model { name, family }) => Some((2, name.as_str(), family.as_str())),
            Some(Subject::Module { ecosystem, name }) => Some((3, ecosystem.id(), name.as_str())),
        };
        for s in [&f.rule_id, &f.vendor, &f.language, &f.path, &f.snippet, &f.message, &f.fingerprint] {
            self.string(s);
        }
        for n in [f.line, f.column, f.end_line, f.end_column] {
            self.bytes.num(n as usize);
        }
        for n in [kind, capability, severity, portability] {
            self.bytes.num(n);
        }
        self.bytes.num(usize::from(f.configurable) | usize::from(f.test_code) << 1);
        match subject {
            None => self.bytes.num(0),
            Some((tag, a, b)) => {
                self.bytes.num(tag);
                self.string(a);
                self.string(b);
            }
        }
        true
    }

    /// Writes the index of `s`, storing it first if new.
    fn string(&mut self, s: &str) {
        let next = self.seen.len();
        let i = match self.seen.get(s) {
            Some(&i) => i,
            None => {
                self.strings.str(s);
                self.seen.insert(s.to_string(), next);
                next
            }
        };
        self.bytes.num(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(line: u32) -> Finding {
        Finding {
            rule_id: "openai.chat-completions".into(),
            vendor: "openai".into(),
            kind: Kind::Call,
            capability: Capability::Chat,
            language: "python".into(),
            path: "app/llm.py".into(),
            line,
            column: 5,
            end_line: line + 2,
            end_column: 70_000,
            snippet: "client.chat.completions.create(model=\"gpt-4o\")".into(),
            severity: Severity::Medium,
            message: "OpenAI Chat Completions call — é".into(),
            portability: None,
            configurable: false,
            fingerprint: String::new(),
            subject: None,
            test_code: false,
        }
    }

    #[test]
    fn findings_come_back_equal_and_in_order() {
        let mut all = Vec::new();
        for (i, kind) in KINDS.iter().enumerate() {
            let mut f = finding(i as u32 + 1);
            f.kind = *kind;
            f.capability = Capability::ALL[i % Capability::ALL.len()];
            f.severity = SEVERITIES[i % SEVERITIES.len()];
            f.portability = (i > 0).then(|| PORTABILITIES[i % PORTABILITIES.len()]);
            f.configurable = i % 2 == 0;
            f.test_code = i % 3 == 0;
            f.fingerprint = format!("{i:016x}");
            f.subject = match i % 4 {
                0 => None,
                1 => Some(Subject::Package { ecosystem: Ecosystem::ALL[i % 6], name: "@ai-sdk/openai".into() }),
                2 => Some(Subject::Model { name: "gpt-4o".into(), family: "openai".into() }),
                _ => Some(Subject::Module { ecosystem: Ecosystem::ALL[i % 6], name: "openai".into() }),
            };
            all.push(f);
        }
        for ecosystem in Ecosystem::ALL {
            let mut f = finding(100);
            f.subject = Some(Subject::Package { ecosystem, name: String::new() });
            all.push(f);
        }
        let kept = Kept::pack(all.clone());
        assert_eq!(kept.len(), all.len());
        assert_eq!(kept.unpack(), all);
        assert!(Kept::pack(Vec::new()).unpack().is_empty());
    }

    #[test]
    fn every_value_of_every_field_is_known() {
        for c in Capability::ALL {
            let mut f = finding(1);
            f.capability = c;
            assert_eq!(Kept::pack(vec![f.clone()]).unpack(), vec![f]);
        }
        // A packed finding's strings are stored once per file.
        let kept = Kept::pack((1..=50).map(finding).collect());
        let strings = kept.bytes.bytes().len() - kept.strings_at;
        assert!(strings < 200, "{strings}");
        assert!(kept.rest.is_empty());
    }
}
