//! Selectors name a set of findings, in inline suppressions (`lockin: ignore[...]`) and in
//! the policy file (`deny`, `allow`). One grammar for both:
//!
//! | selector | matches |
//! |---|---|
//! | `openai.chat-completions` | findings of that rule |
//! | `openai.*` | findings of rules whose id matches the glob |
//! | `anthropic` | findings served by that vendor (any rule, any kind) |
//! | `langchain` | findings of a framework's rules |
//! | `openai.chat` | findings served by that vendor for that capability |
//! | `model`, `kind:model` | findings of that kind (`import`, `client`, `call`, `dependency`, `model`, `endpoint`, `env`, `secret`) |
//! | `*` | every finding |
//!
//! A selector that names nothing the rule set knows is an error, so that a typo cannot
//! silently suppress or allow nothing. [`Selection`] compiles `--select`, `--ignore` and the
//! policy's `select`, `ignore` and `[per-path]` into the one question the filter stage asks:
//! is this finding reported at all? Pure: no I/O.

use crate::finding::{Capability, Finding, Kind};
use crate::rules::RuleSet;
use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};

/// A parsed selector.
#[derive(Debug, Clone)]
pub struct Selector {
    text: String,
    what: What,
}

#[derive(Debug, Clone)]
enum What {
    All,
    Rule(String),
    Glob(GlobMatcher),
    Vendor(String),
    Framework(String),
    VendorCapability(String, Capability),
    Kind(Kind),
}

impl Selector {
    /// Parses `text` against the rule set; the error says what was expected.
    pub fn parse(text: &str, rules: &RuleSet) -> Result<Selector, String> {
        let text = text.trim();
        let what = resolve(text, rules)?;
        Ok(Selector { text: text.to_string(), what })
    }

    /// The selector as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the finding is selected.
    pub fn matches(&self, f: &Finding) -> bool {
        match &self.what {
            What::All => true,
            What::Rule(id) => f.rule_id == *id,
            What::Glob(g) => g.is_match(&f.rule_id),
            What::Vendor(v) => f.vendor == *v,
            What::Framework(fw) => f.rule_id.strip_prefix(fw.as_str()).is_some_and(|r| r.starts_with('.')),
            What::VendorCapability(v, c) => f.vendor == *v && f.capability == *c,
            What::Kind(k) => f.kind == *k,
        }
    }
}

fn resolve(text: &str, rules: &RuleSet) -> Result<What, String> {
    if text.is_empty() {
        return Err("empty rule selector".into());
    }
    if text == "*" {
        return Ok(What::All);
    }
    if text.contains(['*', '?', '[', '{']) {
        let glob = Glob::new(text).map_err(|e| format!("invalid glob `{text}`: {}", e.kind()))?.compile_matcher();
        if !rules.rules().iter().any(|r| glob.is_match(&r.id)) {
            return Err(format!("`{text}` matches no rule id (see `lockin rules list`)"));
        }
        return Ok(What::Glob(glob));
    }
    if rules.has_rule(text) {
        return Ok(What::Rule(text.to_string()));
    }
    if rules.vendor(text).is_some() {
        return Ok(What::Vendor(text.to_string()));
    }
    if rules.frameworks.iter().any(|f| f.id == text) {
        return Ok(What::Framework(text.to_string()));
    }
    // A kind by its word (`model`) or spelled out (`kind:model`); vendors and rules win a tie.
    if let Ok(kind) = serde_json::from_value::<Kind>(text.strip_prefix("kind:").unwrap_or(text).into()) {
        return Ok(What::Kind(kind));
    }
    if let Some(kind) = text.strip_prefix("kind:") {
        return Err(format!(
            "unknown kind `{kind}`, expected one of import, client, call, dependency, model, endpoint, env, secret"
        ));
    }
    if let Some((vendor, cap)) = text.split_once('.') {
        if let (Some(_), Ok(cap)) = (rules.vendor(vendor), serde_json::from_value::<Capability>(cap.into())) {
            return Ok(What::VendorCapability(vendor.to_string(), cap));
        }
    }
    // The closest ids, as clap suggests subcommands.
    let mut close: Vec<(f64, String)> = rules
        .rules()
        .into_iter()
        .map(|r| (strsim::jaro_winkler(text, &r.id), r.id))
        .filter(|(score, id)| *score > 0.9 || id.starts_with(text))
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let close: Vec<String> = close.into_iter().take(3).map(|(_, id)| id).collect();
    let hint = if close.is_empty() { String::new() } else { format!("; did you mean `{}`?", close.join("`, `")) };
    Err(format!(
        "unknown rule `{text}`: not a rule id, vendor, framework, vendor.capability, kind or rule-id glob{hint} \
         (see `lockin rules list`)"
    ))
}

/// Which findings are reported at all: `select` (none: every finding), minus `ignore`,
/// minus the `[per-path]` entries whose globs match the finding's path. Like `exclude`,
/// and unlike suppressions and the baseline, a finding left out here is not scored either:
/// it is a choice of what to look for, not an acknowledgement of what was found.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    select: Vec<Selector>,
    ignore: Vec<Selector>,
    per_path: Vec<(GlobSet, Vec<Selector>)>,
    /// How finding paths map to paths relative to the policy file's folder.
    bases: Vec<crate::policy::PathBase>,
}

impl Selection {
    /// Every finding.
    pub fn all() -> Selection {
        Selection::default()
    }

    /// Findings any of `select` names (an empty list selects every finding), except those
    /// any of `ignore` names.
    pub fn new(select: Vec<Selector>, ignore: Vec<Selector>) -> Selection {
        Selection { select, ignore, ..Selection::default() }
    }

    /// Per-path globs are written relative to the policy file's folder; these map finding
    /// paths there ([`crate::policy::policy_path`]).
    pub fn with_bases(mut self, bases: Vec<crate::policy::PathBase>) -> Selection {
        self.bases = bases;
        self
    }

    /// Also leaves out what `ignore` names in paths matching `globs`.
    pub fn ignore_in(mut self, globs: &[String], ignore: Vec<Selector>) -> Result<Selection, String> {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            b.add(Glob::new(g).map_err(|e| format!("invalid glob `{g}`: {}", e.kind()))?);
        }
        self.per_path.push((b.build().map_err(|e| e.to_string())?, ignore));
        Ok(self)
    }

    /// Whether nothing is left out.
    pub fn is_all(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty() && self.per_path.is_empty()
    }

    /// Whether the finding is reported (and scored).
    pub fn keeps(&self, f: &Finding) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s.matches(f)))
            && !self.ignore.iter().any(|s| s.matches(f))
            && (self.per_path.is_empty() || {
                let path = crate::policy::policy_path(&self.bases, &f.path);
                !self.per_path.iter().any(|(globs, sel)| globs.is_match(&path) && sel.iter().any(|s| s.matches(f)))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::test_finding;
    use crate::rules::load_embedded;

    fn finding(rule_id: &str, vendor: &str, capability: Capability) -> Finding {
        Finding { vendor: vendor.into(), capability, ..test_finding(rule_id) }
    }

    #[test]
    fn every_form_selects_what_it_names() {
        let rules = load_embedded();
        let openai_chat = finding("openai.chat-completions", "openai", Capability::Chat);
        let groq_chat = finding("openai.chat-completions", "groq", Capability::Chat);
        let claude = finding("anthropic.messages", "anthropic", Capability::Chat);
        let sel = |t: &str| Selector::parse(t, &rules).unwrap();
        assert!(sel("openai.chat-completions").matches(&groq_chat));
        assert!(sel("openai.*").matches(&groq_chat) && !sel("openai.*").matches(&claude));
        assert!(sel("openai").matches(&openai_chat) && !sel("openai").matches(&groq_chat));
        assert!(sel("openai.chat").matches(&openai_chat) && !sel("openai.chat").matches(&groq_chat));
        assert!(sel("anthropic").matches(&claude));
        assert!(sel("*").matches(&claude));
        let chain = finding("langchain.chat-model", "openai", Capability::Chat);
        assert!(sel("langchain").matches(&chain) && !sel("langchain").matches(&openai_chat));
        let model = Finding { kind: Kind::Model, ..finding("openai.model", "openai", Capability::Chat) };
        assert!(sel("model").matches(&model) && sel("kind:model").matches(&model));
        assert!(!sel("call").matches(&model) && sel("kind:call").matches(&Finding { kind: Kind::Call, ..model }));
    }

    #[test]
    fn selection_selects_then_ignores_then_ignores_per_path() {
        let rules = load_embedded();
        let sel = |t: &str| Selector::parse(t, &rules).unwrap();
        let at = |f: Finding, path: &str| Finding { path: path.into(), ..f };
        let call = Finding { kind: Kind::Call, ..finding("openai.chat-completions", "openai", Capability::Chat) };
        let model = Finding { kind: Kind::Model, ..finding("openai.model", "openai", Capability::Chat) };
        let claude = Finding { kind: Kind::Call, ..finding("anthropic.messages", "anthropic", Capability::Chat) };
        assert!(Selection::all().keeps(&model) && Selection::all().is_all());
        let s = Selection::new(vec![sel("openai")], vec![sel("model")]);
        assert!(s.keeps(&call) && !s.keeps(&model) && !s.keeps(&claude));
        let s = Selection::all().ignore_in(&["tests/**".into()], vec![sel("call")]).unwrap();
        assert!(!s.keeps(&at(call.clone(), "tests/test_a.py")) && s.keeps(&at(call.clone(), "src/a.py")));
        assert!(s.keeps(&at(model, "tests/x.py")));
        // Several roots: the globs are matched below the policy file's folder.
        let bases = vec![crate::policy::PathBase { finding_prefix: "svc".into(), from_config: Some("svc".into()) }];
        let s = Selection::all().ignore_in(&["svc/tests/**".into()], vec![sel("*")]).unwrap().with_bases(bases);
        assert!(!s.keeps(&at(call.clone(), "svc/tests/t.py")) && s.keeps(&at(call, "svc/src/a.py")));
        assert!(Selection::all().ignore_in(&["a/[".into()], Vec::new()).is_err());
    }

    #[test]
    fn unknown_names_are_errors_with_hints() {
        let rules = load_embedded();
        let e = Selector::parse("openai.chat-complet", &rules).unwrap_err();
        assert!(e.contains("did you mean `openai.chat-completions`"), "{e}");
        let e = Selector::parse("openai.fine-tune", &rules).unwrap_err();
        assert!(e.contains("did you mean `openai.fine-tuning`"), "{e}");
        assert!(Selector::parse("nosuchvendor", &rules).is_err());
        assert!(Selector::parse("nosuch.*", &rules).is_err());
        assert!(Selector::parse("", &rules).is_err());
        let e = Selector::parse("kind:modle", &rules).unwrap_err();
        assert!(e.contains("unknown kind `modle`"), "{e}");
    }
}
