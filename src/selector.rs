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
//! | `*` | every finding |
//!
//! A selector that names nothing the rule set knows is an error, so that a typo cannot
//! silently suppress or allow nothing. Pure: no I/O.

use crate::finding::{Capability, Finding};
use crate::rules::RuleSet;
use globset::{Glob, GlobMatcher};

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
        "unknown rule `{text}`: not a rule id, vendor, framework, vendor.capability or rule-id glob{hint} \
         (see `lockin rules list`)"
    ))
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
    }
}
