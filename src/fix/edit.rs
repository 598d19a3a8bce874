//! Byte-range edits on a source text: applying a set of them, appending an item to a
//! delimited list (`f(a, b)`, `{ a: 1 }`) in the list's own layout, and mapping byte
//! offsets to the 1-based line and Unicode column the reports use. Pure text; knows no
//! language.

/// Replace `start..end` (bytes of the original text) with `text`; `start == end` inserts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// The new text.
    pub text: String,
}

impl Edit {
    /// An insertion at `at`.
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit { start: at, end: at, text: text.into() }
    }
}

/// Whether `edit` overlaps one of `taken` (two insertions at one point do not overlap).
pub fn overlaps(edit: &Edit, taken: &[Edit]) -> bool {
    taken.iter().any(|t| edit.start < t.end && t.start < edit.end || (edit.start == t.start && edit.end != t.end))
}

/// Applies non-overlapping edits; insertions at one point keep the order they are given in.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<(usize, &Edit)> = edits.iter().enumerate().collect();
    sorted.sort_by_key(|(i, e)| (e.start, e.end, *i));
    let mut out = String::with_capacity(text.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut at = 0;
    for (_, e) in sorted {
        debug_assert!(e.start >= at, "edits overlap");
        out.push_str(&text[at..e.start]);
        out.push_str(&e.text);
        at = e.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The byte where the line holding `at` starts.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The spaces and tabs that begin the line holding `at`.
pub fn indent_at(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let rest = &text[start..];
    &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
}

/// The newline the file uses (`\r\n` if its first line ends so).
pub fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Edits appending `item` to the list whose open delimiter is at byte `open` and close
/// delimiter at byte `close`, `items` being the byte ranges of its elements in order. A
/// list written one element per line gets a line indented like its last element, with a
/// trailing comma if the list has one; a one-line list gets `, item`; an empty one gets
/// `item` (`pad`: ` item ` between braces).
pub fn append_item(
    text: &str,
    open: usize,
    close: usize,
    items: &[(usize, usize)],
    item: &str,
    pad: bool,
) -> Vec<Edit> {
    let nl = newline(text);
    let Some(&(last_start, last_end)) = items.last() else {
        let inside = &text[open + 1..close];
        if inside.trim().is_empty() {
            let text = if pad { format!(" {item} ") } else { item.to_string() };
            return vec![Edit { start: open + 1, end: close, text }];
        }
        // Only comments inside: put the item first.
        return vec![Edit::insert(open + 1, if pad { format!(" {item}") } else { item.to_string() })];
    };
    let after = &text[last_end..close];
    let comma = after.find(',').filter(|i| after[..*i].trim().is_empty());
    let multiline = text[open..last_start].contains('\n') && text[line_start(text, close)..close].trim().is_empty();
    if multiline {
        let indent = indent_at(text, last_start);
        let at = line_start(text, close);
        return match comma {
            Some(_) => vec![Edit::insert(at, format!("{indent}{item},{nl}"))],
            None => vec![Edit::insert(last_end, ","), Edit::insert(at, format!("{indent}{item}{nl}"))],
        };
    }
    match comma {
        Some(i) => vec![Edit::insert(last_end + i + 1, format!(" {item},"))],
        None => vec![Edit::insert(last_end, format!(", {item}"))],
    }
}

/// Maps byte offsets to 1-based lines and 1-based columns in Unicode characters
/// (docs/report-json.md), and back.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'t str) -> Lines<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The byte of a 1-based line and character column, if the text has it.
    pub fn offset(&self, line: u32, column: u32) -> Option<usize> {
        let start = *self.starts.get((line as usize).checked_sub(1)?)?;
        let end = self.starts.get(line as usize).copied().unwrap_or(self.text.len());
        let chars = (column as usize).checked_sub(1)?;
        let line_text = &self.text[start..end];
        match line_text.char_indices().nth(chars) {
            Some((i, _)) => Some(start + i),
            None if line_text.chars().count() == chars => Some(end),
            None => None,
        }
    }

    /// The 1-based line and character column of a byte.
    pub fn position(&self, at: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|s| *s <= at);
        let start = self.starts[line - 1];
        let column = self.text[start..at].chars().count() + 1;
        (line as u32, column as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appended(text: &str, item: &str, pad: bool) -> String {
        let open = text.find(['(', '{']).unwrap();
        let close = text.rfind([')', '}']).unwrap();
        // Items: comma-separated words between the delimiters (test inputs have no nesting).
        let mut items = Vec::new();
        let mut at = open + 1;
        for part in text[open + 1..close].split(',') {
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                let s = at + part.find(trimmed).unwrap();
                items.push((s, s + trimmed.len()));
            }
            at += part.len() + 1;
        }
        apply(text, &append_item(text, open, close, &items, item, pad))
    }

    #[test]
    fn appends_to_empty_one_line_and_multi_line_lists() {
        assert_eq!(appended("f()", "x=1", false), "f(x=1)");
        assert_eq!(appended("{}", "x: 1", true), "{ x: 1 }");
        assert_eq!(appended("f(a=1)", "x=1", false), "f(a=1, x=1)");
        assert_eq!(appended("f(a=1,)", "x=1", false), "f(a=1, x=1,)");
        assert_eq!(appended("f(\n    a=1,\n)", "x=1", false), "f(\n    a=1,\n    x=1,\n)");
        assert_eq!(appended("f(\n    a=1\n)", "x=1", false), "f(\n    a=1,\n    x=1\n)");
        assert_eq!(appended("f(\r\n  a=1,\r\n)", "x=1", false), "f(\r\n  a=1,\r\n  x=1,\r\n)");
    }

    #[test]
    fn maps_offsets_in_characters() {
        let text = "é = 1\nab€c = 2\n";
        let lines = Lines::new(text);
        let at = lines.offset(2, 4).unwrap();
        assert_eq!(&text[at..at + 1], "c");
        assert_eq!(lines.position(at), (2, 4));
        assert_eq!(lines.offset(9, 1), None);
    }
}
