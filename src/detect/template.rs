//! Format strings read as templates with holes, written once for every language that has
//! them: printf verbs (Go's `fmt.Sprintf("%s/chat", base)`, Python's `"%s/chat" % base`)
//! and braces (Rust's `format!("{}/chat/{model}", base)`, Python's
//! `"{}/chat/completions".format(base)`).

use super::resolve::Piece;
use std::collections::HashMap;
use tree_sitter::Node;

/// A printf format (`%s`, `%d`, `%v`, `%-10s`; `%%` is a percent sign): literal text and
/// holes, the `i`-th verb taking `args[i]`.
pub fn printf<'t>(format: &str, args: &[Node<'t>]) -> Vec<Piece<'t>> {
    let mut parts = Vec::new();
    let (mut text, mut next) = (String::new(), 0);
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            text.push('%');
            continue;
        }
        // Flags and width up to the verb letter.
        while chars.next_if(|c| !c.is_ascii_alphabetic()).is_some() {}
        chars.next();
        parts.push(Piece::Text(std::mem::take(&mut text)));
        parts.push(Piece::Hole(args.get(next).copied()));
        next += 1;
    }
    parts.push(Piece::Text(text));
    parts
}

/// A brace format (`{}`, `{0}`, `{name}`, `{:>8}`; `{{` and `}}` are braces): literal text
/// and holes, `{}` taking the next positional argument, `{name}` the named one, else the
/// name read at byte `at` (Rust's inline arguments).
pub fn braces<'t>(
    format: &str,
    positional: &[Option<Node<'t>>],
    named: &HashMap<&str, Option<Node<'t>>>,
    at: usize,
) -> Vec<Piece<'t>> {
    let mut parts = Vec::new();
    let (mut text, mut next) = (String::new(), 0);
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut spec = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    spec.push(c);
                }
                // `{0:>8}`, Python's `{base!r}`.
                let arg = spec.split([':', '!']).next().unwrap_or("").trim();
                parts.push(Piece::Text(std::mem::take(&mut text)));
                if arg.is_empty() {
                    parts.push(Piece::Hole(positional.get(next).copied().flatten()));
                    next += 1;
                } else if let Ok(i) = arg.parse::<usize>() {
                    parts.push(Piece::Hole(positional.get(i).copied().flatten()));
                } else if let Some(n) = named.get(arg) {
                    parts.push(Piece::Hole(*n));
                } else {
                    parts.push(Piece::Name(arg.to_string(), at));
                }
            }
            c => text.push(c),
        }
    }
    parts.push(Piece::Text(text));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(parts: &[Piece<'_>]) -> String {
        parts
            .iter()
            .map(|p| match p {
                Piece::Text(s) => s.clone(),
                Piece::Hole(_) => "<hole>".into(),
                Piece::Name(n, _) => format!("<{n}>"),
            })
            .collect()
    }

    #[test]
    fn printf_verbs_are_holes() {
        assert_eq!(texts(&printf("%s/chat/completions?x=100%%", &[])), "<hole>/chat/completions?x=100%");
        assert_eq!(texts(&printf("%-10s:%05d/v1", &[])), "<hole>:<hole>/v1");
    }

    #[test]
    fn brace_arguments_are_holes_or_names() {
        let named = HashMap::new();
        assert_eq!(texts(&braces("{}/chat/{model}", &[], &named, 0)), "<hole>/chat/<model>");
        assert_eq!(texts(&braces("{{x}}{0:>8}{base!r}", &[], &named, 0)), "{x}<hole><base>");
    }
}
