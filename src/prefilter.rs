//! Prefilter: one Aho-Corasick automaton over every literal the loaded rules mention
//! (module and package names, env var names, hosts, model prefixes, key prefixes). A file
//! with no hit is not parsed: tree-sitter parses at a few MB/s, this scans at GB/s.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A compiled set of literals.
#[derive(Debug, Clone)]
pub struct Prefilter {
    ac: Option<AhoCorasick>,
}

impl Prefilter {
    /// Builds the automaton (ASCII case-insensitive).
    pub fn new<I, S>(literals: I) -> Prefilter
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let lits: Vec<String> =
            literals.into_iter().map(|s| s.as_ref().to_string()).filter(|s| !s.is_empty()).collect();
        if lits.is_empty() {
            return Prefilter { ac: None };
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(&lits)
            .ok();
        Prefilter { ac }
    }

    /// Whether `bytes` contain any literal.
    pub fn is_match(&self, bytes: &[u8]) -> bool {
        self.ac.as_ref().is_some_and(|ac| ac.is_match(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_any_literal_ignoring_ascii_case() {
        let p = Prefilter::new(["openai", "ANTHROPIC_API_KEY"]);
        assert!(p.is_match(b"import OpenAI"));
        assert!(p.is_match(b"x = os.environ['anthropic_api_key']"));
        assert!(!p.is_match(b"import numpy"));
        assert!(!Prefilter::new(Vec::<String>::new()).is_match(b"openai"));
    }
}
