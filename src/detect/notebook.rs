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
    let mut cursor = 0usize;
    for (i, cell) in cells.iter().enumerate() {
        if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
            continue;
        }
        // nbformat writes `source` as a list of lines (one JSON string per file line) or,
        // in some writers, as one string.
        let mut parts: Vec<String> = match cell.get("source") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            _ => continue,
        };
        // A `%%bash` (or any `%%`) cell magic makes the whole cell another language.
        let cell_magic = parts.first().is_some_and(|p| p.trim_start().starts_with("%%"));
        if cell_magic {
            parts = parts.iter().map(|p| p.chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect()).collect();
        }
        let mut in_shell = false;
        for part in parts {
            // Locate the JSON string of this part in the file, searching forward.
            let encoded = serde_json::to_string(&part).unwrap_or_default();
            let start = text[cursor..].find(&encoded).map(|at| cursor + at);
            if let Some(pos) = start {
                cursor = pos + encoded.len();
            }
            // Inside the JSON string, each code line starts after the escaped lines before it.
            let mut offset_in_string = 1; // the opening quote
            for piece in part.split_inclusive('\n') {
                let (line, column) = match start {
                    Some(pos) => {
                        let (l, c) = raw_lines.position(text, pos);
                        (l, c + offset_in_string as u32)
                    }
                    None => (raw_lines.position(text, cursor).0, 1),
                };
                let escaped = serde_json::to_string(piece).unwrap_or_default();
                offset_in_string += escaped.chars().count().saturating_sub(2);
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
