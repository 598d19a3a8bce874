//! Jupyter notebooks: code cells are joined and scanned as Python; each finding is moved
//! back to the line of the `.ipynb` file that holds it, and its message names the cell.

use super::{python, FileOutput, LineIndex, LocalModules};
use serde_json::Value;

/// Where one line of the joined Python source stands in the notebook file.
#[derive(Debug, Clone, Copy)]
struct Origin {
    line: u32,
    column: u32,
    cell: usize,
}

/// Detects findings in a notebook's code cells.
pub fn detect(text: &str, rules: &crate::rules::RuleSet, rel: &str, locals: &LocalModules, out: &mut FileOutput) {
    let json: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            out.error = Some(format!("{}:{}: invalid notebook JSON: {e}", e.line(), e.column()));
            return;
        }
    };
    let Some(cells) = json.get("cells").and_then(Value::as_array) else {
        out.error = Some("notebook has no `cells` array".into());
        return;
    };
    let raw_lines = LineIndex::new(text);
    let mut source = String::new();
    let mut origins: Vec<Origin> = Vec::new();
    let (mut cursor, mut lost) = (0usize, false);
    for (i, cell) in cells.iter().enumerate() {
        if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
            continue;
        }
        // nbformat writes `source` as a list of lines (one JSON string per file line) or,
        // in some writers, as one string.
        let parts: Vec<&str> = match cell.get("source") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => {
                out.notes.push(format!("cell {}: `source` is neither a string nor a list of strings", i + 1));
                continue;
            }
        };
        // A `%%bash` (or any `%%`) cell magic makes the whole cell another language.
        let cell_magic = parts.first().is_some_and(|p| p.trim_start().starts_with("%%"));
        let mut in_shell = false;
        for part in parts {
            // The JSON string of this part, found forward from the last one: each byte of
            // the file is looked at once. Once one is not found, the rest are not sought.
            let found = if lost { None } else { find_literal(text, cursor, part) };
            match &found {
                Some((end, _)) => cursor = *end,
                None => lost = true,
            }
            for (j, piece) in part.split_inclusive('\n').enumerate() {
                let (line, column) = match &found {
                    Some((_, starts)) => raw_lines.position(text, starts[j]),
                    None => (raw_lines.position(text, cursor).0, 1),
                };
                let blank: String;
                let piece = if cell_magic {
                    blank = piece.chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
                    blank.as_str()
                } else {
                    piece
                };
                let code = piece.trim_end_matches('\n');
                // IPython magics and shell escapes are not Python, nor are their `\`
                // continuation lines.
                let shell = in_shell || code.trim_start().starts_with(['%', '!']);
                in_shell = shell && code.trim_end().ends_with('\\');
                let code = if shell { "#" } else { code };
                source.push_str(code);
                source.push('\n');
                origins.push(Origin { line, column, cell: i + 1 });
            }
        }
        source.push('\n');
        origins.push(Origin { line: raw_lines.position(text, cursor).0, column: 1, cell: i + 1 });
    }
    let (module, _) = super::module_name(rel);
    python::detect(&source, rules, &module, false, locals, out);
    let map = |line: u32| origins.get(line as usize - 1).copied();
    for f in &mut out.findings {
        if let Some(o) = map(f.line) {
            let same_line = f.end_line == f.line;
            f.message = format!("{} (cell {})", f.message, o.cell);
            f.column += o.column - 1;
            f.line = o.line;
            if let Some(e) = map(f.end_line) {
                f.end_line = e.line;
                f.end_column += if same_line { o.column - 1 } else { e.column - 1 };
            }
        }
    }
    // Cross-module calls from a notebook are not resolved: their positions are synthetic.
    out.pending.clear();
    out.exports.clear();
}

/// The first JSON string literal at or after byte `from` of `text` whose value is `want`:
/// the byte after its closing quote, and the byte where each line of `want` starts in it
/// (one per `split_inclusive('\n')` piece). Outside strings JSON has no `"`, so each
/// literal is read once, whatever escapes its writer chose.
fn find_literal(text: &str, from: usize, want: &str) -> Option<(usize, Vec<usize>)> {
    let b = text.as_bytes();
    let mut at = from;
    loop {
        let open = at + memchr::memchr(b'"', b.get(at..)?)?;
        let (end, starts) = match_literal(b, open, want.as_bytes());
        if starts.is_some() {
            return starts.map(|s| (end, s));
        }
        at = end;
    }
}

/// Reads the literal opening at `open`: the byte after it, and where `want`'s lines start
/// in it when its value is `want`.
fn match_literal(b: &[u8], open: usize, want: &[u8]) -> (usize, Option<Vec<usize>>) {
    let (mut i, mut k) = (open + 1, 0);
    let mut starts = Some(vec![i]);
    while i < b.len() {
        let mut buf = [0u8; 4];
        let (decoded, next): (&[u8], usize) = match b[i] {
            b'"' => return (i + 1, starts.filter(|_| k == want.len())),
            b'\\' => {
                let esc = b.get(i + 1).copied().unwrap_or(b'"');
                let simple = |c: u8| -> &'static [u8] {
                    match c {
                        b'n' => b"\n",
                        b't' => b"\t",
                        b'r' => b"\r",
                        b'b' => b"\x08",
                        b'f' => b"\x0c",
                        b'/' => b"/",
                        b'"' => b"\"",
                        _ => b"\\",
                    }
                };
                if esc == b'u' {
                    let (c, next) = unicode_escape(b, i);
                    (c.encode_utf8(&mut buf).as_bytes(), next)
                } else {
                    (simple(esc), i + 2)
                }
            }
            _ => (&b[i..=i], i + 1),
        };
        if starts.is_some() {
            if want.get(k..k + decoded.len()) == Some(decoded) {
                k += decoded.len();
                if decoded == b"\n" && k < want.len() {
                    if let Some(s) = starts.as_mut() {
                        s.push(next);
                    }
                }
            } else {
                starts = None;
            }
        }
        i = next;
    }
    (b.len(), None)
}

/// The character of the `\uXXXX` escape at `i` (a surrogate pair read whole) and the byte after it.
fn unicode_escape(b: &[u8], i: usize) -> (char, usize) {
    let hex = |at: usize| {
        b.get(at..at + 4).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let Some(first) = hex(i + 2) else { return (char::REPLACEMENT_CHARACTER, i + 2) };
    let second = (b.get(i + 6..i + 8) == Some(b"\\u")).then(|| hex(i + 8)).flatten();
    match second.filter(|s| (0xD800..0xDC00).contains(&first) && (0xDC00..0xE000).contains(s)) {
        Some(s) => (char::decode_utf16([first, s]).next().and_then(Result::ok).unwrap_or('\u{FFFD}'), i + 12),
        None => (char::from_u32(first as u32).unwrap_or(char::REPLACEMENT_CHARACTER), i + 6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_found_whatever_their_escapes() {
        let text = r#"{"a": "x", "s": "caf\u00e9\n\ud83d\ude00 = 1\n"}"#;
        let (end, starts) = find_literal(text, 0, "café\n😀 = 1\n").unwrap();
        assert_eq!(end, text.len() - 1);
        assert_eq!(starts, [text.find("caf").unwrap(), text.find("\\ud83d").unwrap()]);
        assert!(find_literal(text, 0, "café").is_none());
    }
}
