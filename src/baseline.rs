//! Fingerprints and baselines. A fingerprint names a finding by what it is, not where it
//! is: rule id, path, the code on its line with whitespace removed, and its occurrence
//! among findings with the same three (the 2nd identical call in a file is `…:2`). Lines
//! moving, re-indenting or reformatting spaces leave it unchanged; editing the line itself
//! or moving it to another file makes a new finding.
//!
//! A baseline file records the fingerprints of the findings known when it was written, as
//! sorted JSON with one finding per line, so that it diffs well in review. Nothing here
//! scans or renders.

use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The code of a finding as fingerprints see it: its snippet without whitespace.
pub fn normalized_code(f: &Finding) -> String {
    f.snippet.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Sets `fingerprint` on every finding. `findings` must be in report order (sorted), so
/// that occurrences count from the top of each file.
pub fn assign(findings: &mut [Finding]) {
    let mut seen: HashMap<(String, String, String), u32> = HashMap::new();
    for f in findings.iter_mut() {
        let code = normalized_code(f);
        let n = seen.entry((f.rule_id.clone(), f.path.clone(), code.clone())).or_insert(0);
        *n += 1;
        f.fingerprint = fingerprint(&f.rule_id, &f.path, &code, *n);
    }
}

/// 64-bit FNV-1a of the parts, as 16 hex digits: small, stable across platforms and
/// Rust versions (unlike `std`'s hasher), and enough to tell findings apart in a repository.
fn fingerprint(rule_id: &str, path: &str, code: &str, occurrence: u32) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule_id, path, code, &occurrence.to_string()] {
        for b in part.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Path relative to the scan root.
    pub path: String,
    /// Rule id.
    pub rule_id: String,
    /// The code (whitespace removed), for reviewers; matching uses the fingerprint.
    pub code: String,
    /// The fingerprint.
    pub fingerprint: String,
}

/// A baseline file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version, 1.
    pub lockin_baseline: u32,
    /// Recorded findings, sorted.
    pub findings: Vec<Entry>,
}

/// A baseline that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// I/O.
    #[error("cannot read baseline {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Not a baseline file.
    #[error("{}:{line}:{column}: not a lockin baseline: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
}

impl Baseline {
    /// The baseline of these findings.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Baseline {
        let set: BTreeSet<Entry> = findings
            .into_iter()
            .map(|f| Entry {
                path: f.path.clone(),
                rule_id: f.rule_id.clone(),
                code: normalized_code(f),
                fingerprint: f.fingerprint.clone(),
            })
            .collect();
        Baseline { lockin_baseline: 1, findings: set.into_iter().collect() }
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = crate::read::text(path, crate::read::CONFIG_LIMIT)
            .map_err(|source| BaselineError::Read { path: path.into(), source })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| BaselineError::Parse {
            path: path.into(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        if b.lockin_baseline != 1 {
            return Err(BaselineError::Parse {
                path: path.into(),
                line: 1,
                column: 1,
                message: format!("unsupported version {} (this lockin writes 1)", b.lockin_baseline),
            });
        }
        Ok(b)
    }

    /// The file text: sorted, one finding per line, stable across runs.
    pub fn to_text(&self) -> String {
        let mut out = String::from("{\n  \"lockin_baseline\": 1,\n  \"findings\": [");
        for (i, e) in self.findings.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&serde_json::to_string(e).expect("strings serialize"));
        }
        out.push_str(if self.findings.is_empty() { "]\n}\n" } else { "\n  ]\n}\n" });
        out
    }

    /// The recorded fingerprints.
    pub fn fingerprints(&self) -> HashSet<&str> {
        self.findings.iter().map(|e| e.fingerprint.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::test_finding;

    fn finding(path: &str, line: u32, snippet: &str) -> Finding {
        Finding {
            path: path.into(),
            line,
            end_line: line,
            snippet: snippet.into(),
            ..test_finding("openai.chat-completions")
        }
    }

    #[test]
    fn fingerprints_ignore_lines_and_spacing_but_count_occurrences() {
        let mut a = vec![finding("a.py", 3, "c.create(model = 'x')"), finding("a.py", 9, "c.create(model='x')")];
        let mut b = vec![finding("a.py", 30, "c.create(model='x')")];
        assign(&mut a);
        assign(&mut b);
        assert_ne!(a[0].fingerprint, a[1].fingerprint, "second occurrence differs");
        assert_eq!(a[0].fingerprint, b[0].fingerprint, "moved and respaced: same");
        assert_eq!(a[0].fingerprint.len(), 16);
        let mut c = vec![finding("b.py", 3, "c.create(model='x')")];
        assign(&mut c);
        assert_ne!(a[0].fingerprint, c[0].fingerprint, "other file: new");
    }

    #[test]
    fn baseline_text_round_trips_sorted() {
        let mut fs = vec![finding("z.py", 1, "x()"), finding("a.py", 2, "y( )")];
        assign(&mut fs);
        let b = Baseline::of(&fs);
        let text = b.to_text();
        assert!(text.find("a.py").unwrap() < text.find("z.py").unwrap());
        assert_eq!(text.lines().filter(|l| l.contains("fingerprint")).count(), 2);
        let back: Baseline = serde_json::from_str(&text).unwrap();
        assert_eq!(back, b);
        assert!(back.fingerprints().contains(fs[0].fingerprint.as_str()));
        assert_eq!(Baseline::of(&[]).to_text(), "{\n  \"lockin_baseline\": 1,\n  \"findings\": []\n}\n");
    }
}
