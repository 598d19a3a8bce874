//! Unified diffs of a file before and after the codemod (`similar`), headed `a/PATH` and
//! `b/PATH` as `git apply` and `patch -p1` read them.

use similar::TextDiff;

/// The unified diff of `old` and `new`, three lines of context; empty when they are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let mut out = diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_with_headers_and_nothing_for_equal_texts() {
        assert_eq!(unified("a.py", "x\n", "x\n"), "");
        let d = unified("a.py", "a\nb\n", "a\nc\n");
        assert!(d.starts_with("--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n"), "{d}");
        assert!(d.contains("-b\n+c\n"), "{d}");
    }
}
