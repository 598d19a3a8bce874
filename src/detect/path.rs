//! Canonical paths: what the resolve step turns an expression into, and what matching
//! reads. `from openai import OpenAI; c = OpenAI(); c.chat.completions.create()` becomes
//! `openai.OpenAI().chat.completions.create()`. Language-neutral.

use std::fmt;
use std::sync::Arc;

/// What is known statically about an argument value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// A string literal (or a name bound to one).
    Str(String),
    /// A value read from the environment: `os.getenv("OPENAI_BASE_URL")`.
    Env(String),
    /// A value that resolves to a canonical path (a client, a model object).
    Path(Path),
    /// A string built from literals and unknown parts (an f-string, a template, `format!`,
    /// a concatenation): the known text, each unknown part written as one [`HOLE`].
    Pattern(String),
    /// Anything else: a variable, a call, an f-string.
    Dynamic,
}

/// Stands for an unknown part inside [`ArgValue::Pattern`].
pub const HOLE: char = '\u{0}';

/// The host of a URL whose server the code names as a self-hosted one without spelling it
/// (`f"{self.base_url}/api/tags"` in a class `OllamaProvider`, `OLLAMA_HOST + "/api/chat"`):
/// a self-hosted server's host ([`super::matcher::is_self_hosted`]), shown as `…`.
pub const SELF_HOSTED: &str = "\u{4}";

/// Marks the host of a URL whose server is a setting the code names but does not spell
/// (`deepSeekConf.getApiHost() + "/chat/completions"` of a Spring `@ConfigurationProperties(prefix
/// = "deepseek")` class, `os.environ["DEEPSEEK_BASE_URL"] + "/chat/completions"`): the host is the
/// setting's name between two of these, and the name decides who serves it, as a variable's
/// name decides an SDK client's base URL ([`super::matcher::setting_host`]).
pub const SETTING: char = '\u{5}';

/// The name of a member chosen at run time (`getattr(client.chat.completions, endpoint)`,
/// `client.chat.completions[method]`): a call of it is the operation every method of that
/// resource names, when they all name one ([`crate::rules::RuleSet::operation_of_any`]).
pub const ANY_MEMBER: &str = "*";

impl ArgValue {
    /// The text of a string or pattern.
    pub fn text(&self) -> Option<&str> {
        match self {
            ArgValue::Str(s) | ArgValue::Pattern(s) => Some(s),
            _ => None,
        }
    }

    /// The string made of `parts` in order: a literal if every part is one, a pattern if
    /// some part is known, else `Dynamic`. Runs of unknown parts become one hole.
    pub fn concat(parts: impl IntoIterator<Item = ArgValue>) -> ArgValue {
        let (mut text, mut holes, mut known) = (String::new(), false, false);
        for p in parts {
            match p.text() {
                Some(t) => {
                    known |= !t.is_empty();
                    holes |= matches!(p, ArgValue::Pattern(_));
                    // `"https://" + base` where `base` already has its scheme (the code adds
                    // one only where it is missing): the URL is `base`.
                    if (text == "https://" || text == "http://")
                        && (t.starts_with("https://") || t.starts_with("http://"))
                    {
                        text.clear();
                    }
                    text.push_str(t);
                }
                None => {
                    holes = true;
                    if !text.ends_with(HOLE) {
                        text.push(HOLE);
                    }
                }
            }
        }
        match (known, holes) {
            (false, _) => ArgValue::Dynamic,
            (true, false) => ArgValue::Str(text),
            (true, true) => ArgValue::Pattern(text),
        }
    }
}

/// The arguments of one call, as far as matching needs them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallArgs {
    /// Positional arguments in order.
    pub positional: Vec<ArgValue>,
    /// Keyword arguments (or object-literal properties in JavaScript).
    pub keywords: Vec<(String, ArgValue)>,
    /// Base URL keywords whose string is the default of an environment read, with the
    /// variable (`os.environ.get("X", "https://...")`, `process.env.X ?? "https://..."`):
    /// the value wherever configuration does not override it, so configurable.
    pub env_defaults: Vec<(String, String)>,
    /// The value is only declared of the called type (a typed parameter or field,
    /// `config: LLMConfig`), not built here: its attributes are whatever the caller set,
    /// so the class's own defaults say nothing about them.
    pub declared: bool,
}

impl CallArgs {
    /// These arguments with the keywords of `more` after their own.
    pub fn merged(&self, more: &CallArgs) -> CallArgs {
        let mut out = self.clone();
        out.keywords.extend(more.keywords.iter().cloned());
        out
    }

    /// The arguments of a value declared of a type, not constructed ([`CallArgs::declared`]).
    pub fn declared() -> CallArgs {
        CallArgs { declared: true, ..CallArgs::default() }
    }

    /// No argument at all (a bare construction, or a declared type).
    pub fn is_bare(&self) -> bool {
        self.positional.is_empty() && self.keywords.is_empty() && self.env_defaults.is_empty()
    }

    /// A keyword argument's value.
    pub fn keyword(&self, name: &str) -> Option<&ArgValue> {
        self.keywords.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The argument a rule names: `#N` is the positional argument N (from 0), anything else
    /// a keyword (`base_url = ["#0"]`: `Client::new_with_endpoint(endpoint, key)`).
    pub fn argument(&self, name: &str) -> Option<&ArgValue> {
        match name.strip_prefix('#').and_then(|i| i.parse::<usize>().ok()) {
            Some(i) => self.positional.get(i),
            None => self.keyword(name),
        }
    }
}

/// One segment of a path: a name, and the call that follows it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    /// Attribute or module name.
    pub name: String,
    /// Present when the segment is called: `OpenAI()`.
    pub call: Option<Arc<CallArgs>>,
}

/// A canonical path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Seg>);

impl Path {
    /// A path of uncalled segments from a dotted name.
    pub fn from_dotted(dotted: &str) -> Path {
        Path(dotted.split('.').filter(|s| !s.is_empty()).map(|s| Seg { name: s.to_string(), call: None }).collect())
    }

    /// This path followed by `.name`.
    pub fn member(&self, name: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Seg { name: name.to_string(), call: None });
        p
    }

    /// A value declared of this type, not built ([`CallArgs::declared`]).
    pub fn declared(&self) -> Option<Path> {
        self.called(CallArgs::declared())
    }

    /// This path, called with `args`.
    pub fn called(&self, args: CallArgs) -> Option<Path> {
        let mut p = self.clone();
        let last = p.0.last_mut()?;
        if last.call.is_some() {
            // Calling a call's result (`createOpenAI(...)("gpt-4o")`): a segment with no name.
            p.0.push(Seg { name: String::new(), call: Some(Arc::new(args)) });
            return Some(p);
        }
        last.call = Some(Arc::new(args));
        Some(p)
    }

    /// Whether the last segment is called.
    pub fn is_call(&self) -> bool {
        self.0.last().is_some_and(|s| s.call.is_some())
    }

    /// The dotted names of the first `n` segments, call markers left out.
    pub fn dotted(&self, n: usize) -> String {
        let mut s = String::new();
        for (i, seg) in self.0.iter().take(n).enumerate() {
            if i > 0 {
                s.push('.');
            }
            s.push_str(&seg.name);
        }
        s
    }

    /// Whether any of the first `n` segments is called.
    pub fn has_call_before(&self, n: usize) -> bool {
        self.0.iter().take(n).any(|s| s.call.is_some())
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(&seg.name)?;
            if seg.call.is_some() {
                f.write_str("()")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concatenates_into_patterns() {
        let s = |t: &str| ArgValue::Str(t.to_string());
        assert_eq!(ArgValue::concat([s("a"), s("b")]), s("ab"));
        assert_eq!(
            ArgValue::concat([s("https://x/"), ArgValue::Dynamic, ArgValue::Dynamic, s("/y")]),
            ArgValue::Pattern(format!("https://x/{HOLE}/y"))
        );
        assert_eq!(ArgValue::concat([ArgValue::Dynamic, s("")]), ArgValue::Dynamic);
        // A scheme added to a URL that has one already: the URL.
        assert_eq!(ArgValue::concat([s("https://"), s("https://api.moonshot.ai")]), s("https://api.moonshot.ai"));
        assert_eq!(ArgValue::concat([s("https://"), s("api.moonshot.ai")]), s("https://api.moonshot.ai"));
    }

    #[test]
    fn displays_calls() {
        let p = Path::from_dotted("openai.OpenAI").called(CallArgs::default()).unwrap();
        let p = p.member("chat").member("create").called(CallArgs::default()).unwrap();
        assert_eq!(p.to_string(), "openai.OpenAI().chat.create()");
        assert_eq!(p.dotted(2), "openai.OpenAI");
        assert!(p.has_call_before(2));
        assert!(!p.has_call_before(1));
    }
}
