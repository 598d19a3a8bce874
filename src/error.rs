//! Error types, one enum per stage, with their context stored in the variant
//! (STYLE.md §4). `anyhow` lives only in the CLI.

use std::fmt;
use std::path::PathBuf;

/// A 1-based position in a file, displayed as `path:line:column`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// File path as the user would recognise it (`rules/openai.toml`).
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Location {
    /// The location of byte `offset` within `text`.
    pub fn at_offset(path: &str, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() as u32 + 1;
        Location { path: path.to_string(), line, column }
    }
}

/// Locations of many offsets in one text: its line starts found once, so that each offset
/// costs a binary search and its own line, not a walk from the start of the text (the rule
/// files locate every vendor, client and model entry they load).
pub struct Locator<'a> {
    path: &'a str,
    text: &'a str,
    /// Byte offset of every `\n`.
    newlines: Vec<usize>,
}

impl<'a> Locator<'a> {
    /// A locator of offsets in `text`, named `path`.
    pub fn new(path: &'a str, text: &'a str) -> Locator<'a> {
        Locator { path, text, newlines: newline_offsets(text) }
    }

    /// The location of byte `offset`, as [`Location::at_offset`] gives it.
    pub fn at(&self, offset: usize) -> Location {
        let end = floor_char_boundary(self.text, offset.min(self.text.len()));
        let before = self.newlines.partition_point(|&i| i < end);
        let line_start = before.checked_sub(1).map_or(0, |i| self.newlines[i] + 1);
        let column = self.text[line_start..end].chars().count() as u32 + 1;
        Location { path: self.path.to_string(), line: before as u32 + 1, column }
    }
}

fn newline_offsets(text: &str) -> Vec<usize> {
    text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect()
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// A problem in a rule file. Loading collects every one before giving up.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax or shape error (unknown field, wrong type, unknown variant).
    #[error("{at}: {message}")]
    Syntax {
        /// Where.
        at: Location,
        /// The parser's message.
        message: String,
    },
    /// A field has a value the rule model rejects.
    #[error("{at}: {subject}: field `{field}`: {message}")]
    Field {
        /// Where.
        at: Location,
        /// `operation `openai.x``, `vendor `openai``, ...
        subject: String,
        /// The field name.
        field: &'static str,
        /// What was expected.
        message: String,
    },
    /// Two rules share an id.
    #[error("{at}: duplicate rule id `{id}` (first at {first})")]
    DuplicateId {
        /// The second declaration.
        at: Location,
        /// The id.
        id: String,
        /// The first declaration.
        first: Location,
    },
}

/// Every problem found while loading rules.
#[derive(Debug)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

/// A problem that stops a scan (bad root path). Per-file problems are not errors: they go
/// to `stats.errors` and the scan goes on.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// A root path given on the command line does not exist.
    #[error("{}: no such file or directory", path.display())]
    MissingRoot {
        /// The path.
        path: PathBuf,
    },
    /// An `--include`/`--exclude` glob is malformed.
    #[error("invalid glob `{glob}`: {message}")]
    Glob {
        /// The glob.
        glob: String,
        /// Why.
        message: String,
    },
    /// `--changed-since`: git could not say which files changed.
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets_in_characters() {
        let text = "a = 1\né = \"x\"\n";
        let at = Location::at_offset("f.toml", text, text.find('"').unwrap());
        assert_eq!((at.line, at.column), (2, 5));
        assert_eq!(at.to_string(), "f.toml:2:5");
    }

    #[test]
    fn a_locator_agrees_with_at_offset_everywhere() {
        let text = "a = 1\né = \"x\"\n\n[t]\nk = 'ü'";
        let locator = Locator::new("f.toml", text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(locator.at(offset), Location::at_offset("f.toml", text, offset), "offset {offset}");
        }
    }
}
