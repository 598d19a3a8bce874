//! Constructor parameters followed symbolically. A class that builds its client from what
//! its constructor is given (`this.client = new OpenAI({ baseURL: options.baseURL })`) is
//! probed: its members are resolved with the constructor's parameters standing for
//! themselves, as *markers* inside the strings of the result
//! (`openai.OpenAI(baseURL=⟨baseURL⟩)`). A subclass that passes values up
//! (`super({ ...options, baseURL: "https://api.x.ai/v1" })`), in the same module or, through
//! the module's exports, in another, fills the markers with its arguments ([`fill`]); a marker
//! nobody fills takes the default the code gives it (`options.baseURL || "https://..."`).
//!
//! Language-neutral: a marker is text inside an [`ArgValue`], keyed by the keyword argument
//! that fills it (`baseURL`, `config.baseURL` of a nested options object) or by a position
//! (`#1`). Nothing outside resolution and the cross-module pass ever sees one: [`fill`] runs
//! wherever a probed value is used.

use super::path::{ArgValue, CallArgs, Path, Seg, HOLE};
use std::sync::Arc;

/// Opens and closes a marker.
pub const PARAM: char = '\u{1}';
/// Separates a marker's key from its default.
const DEFAULT: char = '\u{2}';

/// The head of the path a parameter object resolves to while its class is probed.
const PROBE: &str = "\u{1}param";

/// The path parameter `key` resolves to while its class is probed: the parameter object
/// itself for an empty key (`options` of `constructor(options)`), else the property it
/// destructures (`baseURL` of `constructor({ baseURL })`).
pub fn probe_path(key: &str) -> Path {
    let mut p = Path(vec![Seg { name: PROBE.to_string(), call: None }]);
    p.0.extend(key.split('.').filter(|k| !k.is_empty()).map(|k| Seg { name: k.to_string(), call: None }));
    p
}

/// The key of member `name` of a probed parameter's path (`config.baseURL`), if `p` is one.
pub fn probe_key(p: &Path, name: &str) -> Option<String> {
    let (head, rest) = p.0.split_first()?;
    if head.name != PROBE || rest.iter().any(|s| s.call.is_some()) {
        return None;
    }
    // (A member of a parameter is a keyword of what the caller passes by that name.)
    let mut key: Vec<&str> = rest.iter().map(|s| s.name.split(EITHER).next().unwrap_or_default()).collect();
    key.push(name);
    Some(key.join("."))
}

/// Separates a parameter's name from its position in a marker's key ([`by_name_or_position`]).
const EITHER: &str = "|#";

/// The key of a marker a caller fills by the parameter's name or by its position `i`
/// (Python's `f(url)` called `f(base)` or `f(url=base)`).
pub fn by_name_or_position(name: &str, i: usize) -> String {
    format!("{name}{EITHER}{i}")
}

/// The text a parameter's value is while its class is probed.
pub fn marker(key: &str, default: &str) -> String {
    format!("{PARAM}{key}{DEFAULT}{default}{PARAM}")
}

/// `s`, a marker alone, with `default` as its default (`options.baseURL || "https://..."`).
pub fn with_default(s: &str, default: &str) -> Option<String> {
    let (key, _) = whole_marker(s)?;
    Some(marker(key, default))
}

/// Separates the alternatives of a module string: the URLs a function's returns name when
/// they name different servers (`switch (dialect)` returning each provider's URL). Which one
/// a call gets is chosen at run time ([`super::tables::Tables::choose`]).
pub const ALTERNATIVE: char = '\u{3}';

/// `s` with its markers filled from `args` (none: their defaults), as an argument value: a
/// pattern where holes are left.
pub fn fill_text(s: &str, args: &CallArgs) -> ArgValue {
    let v = if s.contains(HOLE) { ArgValue::Pattern(s.to_string()) } else { ArgValue::Str(s.to_string()) };
    fill_value(&v, args)
}

/// Whether a string holds a marker.
pub fn has_marker(s: &str) -> bool {
    s.contains(PARAM)
}

/// Whether a string, filled with no argument, starts with text: it starts with none of the
/// markers, or with one that has a default (`⟨access.host␂https://api.x.com⟩⟨#2␂⟩`, from
/// `(access.host || DEFAULT_HOST) + apiPath`).
pub fn leads_with_text(s: &str) -> bool {
    let Some(inner) = s.strip_prefix(PARAM) else { return true };
    let Some(end) = inner.find(PARAM) else { return false };
    inner[..end].split_once(DEFAULT).is_some_and(|(_, d)| !d.is_empty() && !d.starts_with(HOLE))
}

/// Whether any argument along a path holds a marker.
pub fn path_has_markers(p: &Path) -> bool {
    p.0.iter()
        .filter_map(|s| s.call.as_deref())
        .any(|a| a.positional.iter().chain(a.keywords.iter().map(|(_, v)| v)).any(|v| v.text().is_some_and(has_marker)))
}

/// Whether `p` goes through a parameter's value itself (`client.chat.completions.create(...)`
/// with `client` a parameter): headed by the parameter's probe path.
pub fn through_parameter(p: &Path) -> bool {
    p.0.first().is_some_and(|s| s.name == PROBE && s.call.is_none()) && p.0.get(1).is_some_and(|s| s.call.is_none())
}

/// `p` with every marker filled from `args`, the arguments the class was built with: the
/// keyword of the marker's key, or the positional argument it names; else its default. A
/// path through a parameter's value ([`through_parameter`]) given a client (an argument
/// that is a path) continues from that client's path.
pub fn fill(p: &Path, args: &CallArgs) -> Path {
    let mut out = received(p, args).unwrap_or_else(|| p.clone());
    for seg in &mut out.0 {
        let Some(call) = seg.call.as_deref() else { continue };
        let mut call = call.clone();
        for v in call.positional.iter_mut().chain(call.keywords.iter_mut().map(|(_, v)| v)) {
            *v = fill_value(v, args);
        }
        seg.call = Some(Arc::new(call));
    }
    out
}

/// [`fill`] of a path through a parameter's value: the argument's path in its place.
fn received(p: &Path, args: &CallArgs) -> Option<Path> {
    if !through_parameter(p) {
        return None;
    }
    let ArgValue::Path(given) = argument(&p.0[1].name, "", args) else { return None };
    let mut out = given;
    out.0.extend(p.0[2..].iter().cloned());
    Some(out)
}

/// A marker alone: its key and default.
fn whole_marker(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix(PARAM)?.strip_suffix(PARAM)?;
    if inner.contains(PARAM) {
        return None;
    }
    inner.split_once(DEFAULT)
}

/// What fills the marker `key`: the argument, else the default.
fn argument(key: &str, default: &str, args: &CallArgs) -> ArgValue {
    let at = |i: &str| i.parse::<usize>().ok().and_then(|i| args.positional.get(i));
    let given = match key.strip_prefix('#') {
        Some(i) => at(i),
        // A parameter passed by name or by position (`url|#0` of Python's `def f(url)`).
        None => match key.split_once(EITHER) {
            Some((name, i)) => args.keyword(name).or_else(|| at(i)),
            None => args.keyword(key),
        },
    };
    match given {
        Some(v) if *v != ArgValue::Dynamic => v.clone(),
        _ if !default.is_empty() => ArgValue::Str(default.to_string()),
        _ => ArgValue::Dynamic,
    }
}

fn fill_value(v: &ArgValue, args: &CallArgs) -> ArgValue {
    let Some(s) = v.text().filter(|s| has_marker(s)) else { return v.clone() };
    if let Some((key, default)) = whole_marker(s) {
        return argument(key, default, args);
    }
    // Markers inside a longer string (`${baseURL}/chat/completions`): each filled, text kept.
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find(PARAM) {
        parts.push(ArgValue::Str(rest[..start].to_string()));
        let after = &rest[start + 1..];
        let Some(end) = after.find(PARAM) else { break };
        let (key, default) = after[..end].split_once(DEFAULT).unwrap_or((&after[..end], ""));
        parts.push(argument(key, default, args));
        rest = &after[end + 1..];
    }
    parts.push(ArgValue::Str(rest.replace(PARAM, "")));
    // A hole already in the text stays a hole.
    let parts = parts.into_iter().map(|p| match p {
        ArgValue::Str(t) if t.contains(HOLE) => ArgValue::Pattern(t),
        p => p,
    });
    ArgValue::concat(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str) -> Path {
        let args = CallArgs { keywords: vec![("baseURL".into(), ArgValue::Str(base.into()))], ..CallArgs::default() };
        Path::from_dotted("openai.OpenAI").called(args).expect("a path")
    }

    fn given(key: &str, v: ArgValue) -> CallArgs {
        CallArgs { keywords: vec![(key.into(), v)], ..CallArgs::default() }
    }

    #[test]
    fn a_marker_takes_the_argument_else_its_default() {
        let m = marker("openAiBaseUrl", "https://api.openai.com/v1");
        let p = client(&m);
        assert!(path_has_markers(&p));
        let x = given("openAiBaseUrl", ArgValue::Str("https://api.x.ai/v1".into()));
        assert_eq!(fill(&p, &x), client("https://api.x.ai/v1"));
        assert_eq!(fill(&p, &CallArgs::default()), client("https://api.openai.com/v1"));
        // A value the code reads at run time leaves the default in force.
        assert_eq!(fill(&p, &given("openAiBaseUrl", ArgValue::Dynamic)), client("https://api.openai.com/v1"));
        let env = given("openAiBaseUrl", ArgValue::Env("XAI_BASE_URL".into()));
        let filled = fill(&p, &env);
        assert_eq!(
            filled.0[1].call.as_ref().and_then(|a| a.keyword("baseURL").cloned()),
            Some(ArgValue::Env("XAI_BASE_URL".into()))
        );
    }

    #[test]
    fn a_marker_inside_a_url_keeps_the_path() {
        let p = client(&format!("{}/chat/completions", marker("baseURL", "")));
        let x = given("baseURL", ArgValue::Str("https://api.deepseek.com".into()));
        assert_eq!(fill(&p, &x), client("https://api.deepseek.com/chat/completions"));
        let unknown = fill(&p, &CallArgs::default());
        let v = unknown.0[1].call.as_ref().and_then(|a| a.keyword("baseURL").cloned());
        assert_eq!(v, Some(ArgValue::Pattern(format!("{HOLE}/chat/completions"))));
    }

    #[test]
    fn a_client_parameter_takes_the_callers_client() {
        let mut through = probe_path("#0");
        through.0.extend(Path::from_dotted("chat.completions.create").0);
        let through = Path(through.0).called(CallArgs::default()).expect("a path");
        assert!(through_parameter(&through));
        assert!(!through_parameter(&client("https://api.openai.com/v1")));
        let given = CallArgs {
            positional: vec![ArgValue::Path(client("https://openrouter.ai/api/v1"))],
            ..CallArgs::default()
        };
        let filled = fill(&through, &given);
        assert_eq!(filled.dotted(filled.0.len()), "openai.OpenAI.chat.completions.create");
        assert_eq!(filled.0[1], client("https://openrouter.ai/api/v1").0[1]);
        // A caller passing a string, or nothing, leaves the path as written.
        let text = CallArgs { positional: vec![ArgValue::Str("x".into())], ..CallArgs::default() };
        assert_eq!(fill(&through, &text), through);
        assert_eq!(fill(&through, &CallArgs::default()), through);
    }

    #[test]
    fn probe_paths_name_their_keys() {
        assert_eq!(probe_key(&probe_path(""), "baseURL").as_deref(), Some("baseURL"));
        assert_eq!(probe_key(&probe_path("config"), "baseURL").as_deref(), Some("config.baseURL"));
        assert_eq!(probe_key(&Path::from_dotted("openai.OpenAI"), "baseURL"), None);
        assert_eq!(with_default(&marker("a", ""), "x"), Some(marker("a", "x")));
        assert_eq!(with_default("https://a", "x"), None);
        assert!(leads_with_text("https://a"));
        assert!(leads_with_text(&format!("{}{}", marker("#0.host", "https://a"), marker("#1", ""))));
        assert!(!leads_with_text(&format!("{}/v1", marker("#0", ""))));
        // Positional markers.
        let p = client(&marker("#1", ""));
        let args = CallArgs {
            positional: vec![ArgValue::Dynamic, ArgValue::Str("https://api.groq.com/openai/v1".into())],
            ..CallArgs::default()
        };
        assert_eq!(fill(&p, &args), client("https://api.groq.com/openai/v1"));
        // By name or by position.
        let p = client(&marker(&by_name_or_position("url", 1), ""));
        assert_eq!(fill(&p, &args), client("https://api.groq.com/openai/v1"));
        let named = given("url", ArgValue::Str("https://api.x.ai/v1".into()));
        assert_eq!(fill(&p, &named), client("https://api.x.ai/v1"));
    }
}
