//! Inline suppressions: `# lockin: ignore[rule, ...] reason` (also after `//`, `/*`,
//! `<!--`, `--` or `;`) silences the named findings that start on its own line or on the
//! next line, and those nested in what it silenced (the model argument of a multi-line call).
//! The reason is required and every name must be a known selector (`selector.rs`); a
//! suppression that breaks either rule is reported and silences nothing it cannot name,
//! and one that silences nothing at all is reported as unused.
//!
//! `parse` reads comments from a file's text (any language: the marker is matched on
//! lines, so manifests and notebooks work too); `apply` splits findings into reported and
//! suppressed. No I/O.

use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::selector::Selector;
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One `lockin: ignore` comment as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: u32,
    /// 1-based column of `lockin`.
    pub column: u32,
    /// The names between the brackets; `None` when there are no brackets.
    pub selectors: Option<Vec<String>>,
    /// The reason after the brackets, if any.
    pub reason: Option<String>,
}

/// A suppressed finding and the comment that suppressed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suppressed {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// The comment.
    pub suppression: SuppressedBy,
}

/// Where and why a finding was suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuppressedBy {
    /// 1-based line of the comment.
    pub line: u32,
    /// The reason given.
    pub reason: String,
}

/// A suppression comment that is wrong or useless.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    /// Relative path.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:#|//|/\*|<!--|--|;)\s*(lockin\s*:\s*ignore)\b(\[[^\]\n]*\]?)?([^\n]*)").expect("valid regex")
});

/// Finds every `lockin: ignore` comment in `text`. `json_strings`: the text is a notebook,
/// whose source lines are JSON strings (the reason stops at `\n` or the closing quote).
pub fn parse(text: &str, json_strings: bool) -> Vec<Suppression> {
    if memchr::memmem::find(text.as_bytes(), b"lockin").is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if !line.contains("lockin") {
            continue;
        }
        let Some(c) = MARKER.captures(line) else { continue };
        let at = c.get(1).expect("group 1 always matches");
        let selectors = c.get(2).map(|m| {
            let inner = m.as_str().trim_start_matches('[').trim_end_matches(']');
            inner.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
        });
        let mut rest = c.get(3).map_or("", |m| m.as_str());
        if json_strings {
            rest = rest.split(['"']).next().unwrap_or("");
            rest = rest.split("\\n").next().unwrap_or("");
        }
        let reason = clean_reason(rest);
        out.push(Suppression {
            line: i as u32 + 1,
            column: line[..at.start()].chars().count() as u32 + 1,
            selectors,
            reason: (!reason.is_empty()).then_some(reason),
        });
    }
    out
}

/// The reason without comment closers and leading separators (`-- legacy` → `legacy`).
fn clean_reason(rest: &str) -> String {
    let r = rest.trim();
    let r = r.strip_suffix("*/").or_else(|| r.strip_suffix("-->")).unwrap_or(r).trim();
    r.trim_start_matches(['-', ':', '—', '–', ' ']).trim().to_string()
}

/// Findings split by the suppressions of their files.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings no valid suppression names.
    pub reported: Vec<Finding>,
    /// Findings a valid suppression names.
    pub suppressed: Vec<Suppressed>,
    /// Suppressions without a reason, without rule names, naming unknown rules, or unused.
    pub problems: Vec<Problem>,
}

/// Splits `findings` (sorted) by `suppressions` (per relative path). A suppression
/// applies to findings that start on its line or on the next one.
pub fn apply(findings: Vec<Finding>, suppressions: &BTreeMap<String, Vec<Suppression>>, rules: &RuleSet) -> Applied {
    struct Valid<'a> {
        line: u32,
        selectors: Vec<Selector>,
        reason: &'a str,
        used: bool,
        column: u32,
        /// The last line of the statements it silenced: findings nested in them (the model
        /// argument of a multi-line call) are silenced too.
        reach: u32,
    }
    let mut applied = Applied::default();
    let mut valid: BTreeMap<&str, Vec<Valid>> = BTreeMap::new();
    for (path, list) in suppressions {
        for s in list {
            let problem = |message: String| Problem { path: path.clone(), line: s.line, column: s.column, message };
            let Some(names) = &s.selectors else {
                applied.problems.push(problem(
                    "suppression names no rule: write `lockin: ignore[rule-id] reason` (see `lockin rules list`)"
                        .into(),
                ));
                continue;
            };
            if names.is_empty() {
                applied.problems.push(problem("suppression names no rule between the brackets".into()));
                continue;
            }
            let mut selectors = Vec::new();
            for name in names {
                match Selector::parse(name, rules) {
                    Ok(sel) => selectors.push(sel),
                    Err(e) => applied.problems.push(problem(format!("suppression: {e}"))),
                }
            }
            let Some(reason) = &s.reason else {
                applied.problems.push(problem(format!(
                    "suppression of `{}` gives no reason: write why after the brackets; it suppresses nothing until then",
                    names.join(", ")
                )));
                continue;
            };
            if !selectors.is_empty() {
                valid.entry(path.as_str()).or_default().push(Valid {
                    line: s.line,
                    selectors,
                    reason,
                    used: false,
                    column: s.column,
                    reach: 0,
                });
            }
        }
    }
    for f in findings {
        let hit = valid.get_mut(f.path.as_str()).and_then(|list| {
            list.iter_mut().find(|v| {
                let near = v.line == f.line || v.line + 1 == f.line || (v.line < f.line && f.line <= v.reach);
                near && v.selectors.iter().any(|s| s.matches(&f))
            })
        });
        match hit {
            Some(v) => {
                v.used = true;
                v.reach = v.reach.max(f.end_line);
                let by = SuppressedBy { line: v.line, reason: v.reason.to_string() };
                applied.suppressed.push(Suppressed { finding: f, suppression: by });
            }
            None => applied.reported.push(f),
        }
    }
    for (path, list) in valid {
        for v in list.into_iter().filter(|v| !v.used) {
            let names: Vec<&str> = v.selectors.iter().map(Selector::text).collect();
            applied.problems.push(Problem {
                path: path.to_string(),
                line: v.line,
                column: v.column,
                message: format!(
                    "unused suppression: no `{}` finding on this line or the next; remove it",
                    names.join(", ")
                ),
            });
        }
    }
    applied.problems.sort();
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::test_finding;

    #[test]
    fn parses_every_comment_style() {
        let text = "x = 1  # lockin: ignore[openai.chat-completions, anthropic] legacy job\n\
                    // lockin:ignore[openai] -- kept for the demo\n\
                    /* lockin: ignore[*] vendored code */\n\
                    # lockin: ignore[openai.embeddings]\n\
                    # lockin: ignore because\n\
                    s = \"lockin is a tool\"\n";
        let s = parse(text, false);
        assert_eq!(s.len(), 5);
        assert_eq!(s[0].selectors.as_deref(), Some(&["openai.chat-completions".to_string(), "anthropic".into()][..]));
        assert_eq!(s[0].reason.as_deref(), Some("legacy job"));
        assert_eq!((s[0].line, s[0].column), (1, 10));
        assert_eq!(s[1].reason.as_deref(), Some("kept for the demo"));
        assert_eq!(s[2].reason.as_deref(), Some("vendored code"));
        assert_eq!(s[3].reason, None);
        assert_eq!(s[4].selectors, None);
    }

    #[test]
    fn notebook_reasons_stop_at_the_json_string() {
        let text = "    \"r = c.chat.completions.create()  # lockin: ignore[openai] demo cell\\n\",\n";
        let s = parse(text, true);
        assert_eq!(s[0].reason.as_deref(), Some("demo cell"));
    }

    fn finding(rule_id: &str, line: u32, end_line: u32) -> Finding {
        Finding { line, end_line, ..test_finding(rule_id) }
    }

    fn split(text: &str, findings: Vec<Finding>) -> (Vec<u32>, Vec<u32>, Vec<String>) {
        let rules = crate::rules::load_embedded();
        let map = BTreeMap::from([("a.py".to_string(), parse(text, false))]);
        let a = apply(findings, &map, &rules);
        (
            a.reported.iter().map(|f| f.line).collect(),
            a.suppressed.iter().map(|s| s.finding.line).collect(),
            a.problems.iter().map(|p| format!("{}: {}", p.line, p.message)).collect(),
        )
    }

    #[test]
    fn applies_to_its_line_the_next_and_what_they_contain() {
        let text = "# lockin: ignore[openai] legacy\nr = c.chat.completions.create(\n    model=\"gpt-4o\",\n)\nx = 1\n";
        let calls = vec![
            finding("openai.chat-completions", 2, 4),
            finding("openai.model", 3, 3),
            finding("openai.model", 5, 5),
        ];
        let (reported, suppressed, problems) = split(text, calls);
        assert_eq!((reported, suppressed), (vec![5], vec![2, 3]));
        assert!(problems.is_empty(), "{problems:?}");
        // A selector of the call alone leaves the nested model finding reported.
        let text = text.replace("ignore[openai]", "ignore[openai.chat-completions]");
        let (reported, suppressed, _) =
            split(&text, vec![finding("openai.chat-completions", 2, 4), finding("openai.model", 3, 3)]);
        assert_eq!((reported, suppressed), (vec![3], vec![2]));
    }

    #[test]
    fn bad_suppressions_silence_nothing_and_are_reported() {
        let text = "r = c.create()  # lockin: ignore[openai.chat-completions]\n# lockin: ignore missing brackets\ny = c.create()\n# lockin: ignore[cohere] unused\n";
        let (reported, suppressed, problems) =
            split(text, vec![finding("openai.chat-completions", 1, 1), finding("openai.chat-completions", 3, 3)]);
        assert_eq!((reported, suppressed), (vec![1, 3], vec![]));
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("1: suppression of `openai.chat-completions` gives no reason"));
        assert!(problems[1].starts_with("2: suppression names no rule"));
        assert!(problems[2].starts_with("4: unused suppression"));
    }
}
