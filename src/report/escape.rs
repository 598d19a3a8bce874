//! Escaping for Markdown output. Input: text that may come from the scanned code (paths,
//! snippets, messages quoting string literals). Output: inline Markdown that renders as
//! exactly that text on GitHub, GitLab and CommonMark viewers: it cannot end a table
//! cell, open a link, emit HTML, start emphasis or mention anyone. It never decides
//! what to show, only how.

use std::fmt::Write as _;

/// Characters that are literal in a code span and harmless elsewhere: paths and snippets
/// made only of these are shown as `` `code` `` for readability in a plain viewer; any
/// other text is escaped character by character inside `<code>`.
fn plain_code(s: &str) -> bool {
    s.chars().all(|c| c.is_alphanumeric() || " /._-+=:,;(){}'\"$%^?!#~*".contains(c))
        && !s.starts_with(' ')
        && !s.ends_with(' ')
}

/// Whether `@` at byte `i` starts something a forge would turn into a mention (`@here`,
/// `@org/team`) or an e-mail link: a word character follows.
fn mention_at(s: &str, i: usize) -> bool {
    s[i + 1..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Bidirectional formatting characters: embeddings and overrides (U+202A–U+202E),
/// isolates (U+2066–U+2069), the marks U+200E, U+200F and U+061C. Shown in a file name or
/// snippet they reorder what a reader sees (CVE-2021-42574, "Trojan Source").
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether `c` is shown as its escape (`\u{202e}`) in human formats: control characters
/// (a tab aside) and bidirectional formatting characters.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t') || is_bidi(c)
}

/// Text from the scanned code for a terminal or plain text (table, verdict, warnings): a tab
/// becomes a space, control and bidirectional formatting characters are shown as `\u{202e}`,
/// so that no escape sequence reaches the terminal and nothing reorders the line.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push(' '),
            c if is_hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Inline text, safe in a table cell and in running text. Markdown punctuation (and a
/// `(` after `]`) is backslash-escaped (`\|` keeps GitHub tables whole), `<`, `>` and `&` become entities,
/// a word joiner (U+2060) after `@` stops mentions, and line breaks become spaces.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev = None;
    for (i, c) in s.char_indices() {
        match c {
            // `\](` would still read as `](` to a naive filter; `\]\(` reads as nothing.
            '(' if prev == Some(']') => out.push_str("\\("),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' if mention_at(s, i) => out.push_str("@\u{2060}"),
            '\n' | '\r' | '\t' => out.push(' '),
            // Shown as `\u{202e}` (Markdown-escaped), like the other human formats.
            c if is_hidden(c) => {
                let _ = write!(out, "\\\\u\\{{{:x}\\}}", c as u32);
            }
            c => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// Code (a path, a snippet, a rule id) shown in a monospace font, safe in a table cell.
pub fn code(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    if plain_code(s) {
        // Inside a code span nothing is markup, but GitHub still splits table cells on
        // `|`, which `plain_code` excludes.
        format!("`{s}`")
    } else {
        // Inline HTML: its content is Markdown again, so it is escaped like text.
        format!("<code>{}</code>", text(s))
    }
}

/// Splits a finding message into plain and `` `quoted` `` parts (`true` = quoted). A quote
/// opens after a space or `(` and closes at a backtick followed by the end, a space or
/// punctuation, so that a quoted literal holding backticks itself stays whole
/// (`` model `a-`b`-c` `` quotes `` a-`b`-c ``). Unclosed quotes are plain text.
pub fn split_quoted(s: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    let opens = |at: usize| at == 0 || s[..at].ends_with([' ', '(']);
    let closes = |at: usize| s[at + 1..].chars().next().is_none_or(|c| c.is_whitespace() || "),;.:".contains(c));
    while let Some(off) = s[i..].find('`') {
        let open = i + off;
        if !opens(open) {
            i = open + 1;
            continue;
        }
        let close = s[open + 1..].match_indices('`').map(|(j, _)| open + 1 + j).find(|&j| j > open + 1 && closes(j));
        let Some(close) = close else { break };
        if open > plain_from {
            parts.push((false, &s[plain_from..open]));
        }
        parts.push((true, &s[open + 1..close]));
        plain_from = close + 1;
        i = close + 1;
    }
    if plain_from < s.len() {
        parts.push((false, &s[plain_from..]));
    }
    parts
}

/// A finding message with its quoted names shown as code; everything escaped.
pub fn message(s: &str) -> String {
    split_quoted(s).into_iter().map(|(quoted, part)| if quoted { code(part) } else { text(part) }).collect()
}

/// Text for a SARIF message string (`message.text`, a plain-text `multiformatMessageString`):
/// SARIF 2.1.0 §3.11.5 gives `{` and `}` meaning (placeholders `{0}`; a literal brace is
/// written `{{`, `}}`), §3.11.6 gives `[` and `]` meaning (embedded links `[text](uri)`; a
/// literal bracket is written `\[`, `\]`). A backslash is doubled too, so that text
/// ending in `\` cannot undo the escape of the bracket after it.
pub fn sarif_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '{' => out.push_str("{{"),
            '}' => out.push_str("}}"),
            c => out.push(c),
        }
    }
    out
}

/// Text for a Mermaid label inside double quotes: only characters that cannot end the
/// label or the diagram.
pub fn mermaid_label(s: &str) -> String {
    s.chars().map(|c| if c.is_alphanumeric() || " .-_/()+".contains(c) { c } else { '_' }).collect()
}

/// Percent-encodes a relative path for a URL: unreserved characters and `/` stay.
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A link destination given by the user (`--link-base`): kept as is but for the
/// characters that would end a Markdown link destination or break out of it.
pub fn url_base(base: &str) -> String {
    let mut out = String::with_capacity(base.len());
    for c in base.trim_end_matches('/').chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            '`' => out.push_str("%60"),
            '|' => out.push_str("%7C"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_neutralises_markup() {
        let t = text("a|b `c` <script>x</script> @here [x](javascript:alert(1)) **y** __init__");
        for bad in ["<script>", "](javascript:", "@here", "**", "__"] {
            assert!(!t.contains(bad), "{bad} in {t}");
        }
        assert!(!t.replace("\\|", "").contains('|'), "{t}");
        assert!(!t.replace("\\`", "").contains('`'), "{t}");
    }

    #[test]
    fn messages_keep_their_quoted_names_as_code() {
        assert_eq!(message("OpenAI model `gpt-4o`"), "OpenAI model `gpt-4o`");
        assert_eq!(message("model `a|b` x"), "model <code>a\\|b</code> x");
        assert_eq!(message("odd ` tick"), "odd \\` tick");
        assert_eq!(message("model `a-`b`-c`, served by X"), "model <code>a-\\`b\\`-c</code>, served by X");
        assert_eq!(
            split_quoted("call (`x`); inferred from the `openai` import"),
            vec![
                (false, "call ("),
                (true, "x"),
                (false, "); inferred from the "),
                (true, "openai"),
                (false, " import")
            ]
        );
    }

    #[test]
    fn sarif_text_has_no_links_or_placeholders() {
        assert_eq!(sarif_text("model `[x](javascript:alert(1))` {0}"), "model `\\[x\\](javascript:alert(1))` {{0}}");
        assert_eq!(sarif_text("a\\[b"), "a\\\\\\[b");
    }

    #[test]
    fn hidden_characters_are_shown_escaped() {
        assert_eq!(visible("a\u{202e}b\u{1b}[31m\tc"), "a\\u{202e}b\\u{1b}[31m c");
        assert_eq!(text("x\u{2066}y"), "x\\\\u\\{2066\\}y");
        assert_eq!(code("evil\u{202e}txt.py"), "<code>evil\\\\u\\{202e\\}txt.py</code>");
    }

    #[test]
    fn mentions_need_a_word_character_after_the_at_sign() {
        assert_eq!(text("a @ b"), "a @ b");
        assert_eq!(text("@org/team"), "@\u{2060}org/team");
    }

    #[test]
    fn plain_paths_stay_readable() {
        assert_eq!(code("app/llm.py"), "`app/llm.py`");
        assert_eq!(code("app/__init__.py"), "`app/__init__.py`");
        assert_eq!(code("a|b`.py"), "<code>a\\|b\\`.py</code>");
        assert_eq!(code("pkgs/@scope/x.ts"), "<code>pkgs/@\u{2060}scope/x.ts</code>");
    }

    #[test]
    fn urls_are_percent_encoded() {
        assert_eq!(url_path("a b/@x|y.py"), "a%20b/%40x%7Cy.py");
        assert_eq!(url_base("https://h/o/r/blob/main/"), "https://h/o/r/blob/main");
        assert_eq!(url_base("https://h/x)y"), "https://h/x%29y");
    }

    #[test]
    fn mermaid_labels_cannot_close_the_quote() {
        assert_eq!(mermaid_label("a\"b;c"), "a_b_c");
    }
}
