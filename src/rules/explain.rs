//! The documentation side of rules: the per-vendor kind rules (`openai.import`, ...) and
//! the text `lockin rules explain <id>` prints, in the manner of `ruff rule`.

use super::example::{fence, Example};
use super::{kind_rule_id, Docs, RuleInfo, Substitutes, Vendor};
use crate::finding::{Capability, Kind, Severity};
use std::fmt::Write as _;

/// The rule for one kind of finding of one vendor, with generated documentation and the
/// example [`super::example::kind_example`] made from the vendor's data.
pub fn kind_rule(v: &Vendor, kind: Kind, example: Option<Example>) -> RuleInfo {
    let n = &v.name;
    let (severity, message, what, why, instead) = match kind {
        Kind::Import => (
            Severity::Info,
            format!("{n} SDK imported"),
            format!("Finds imports of {n}'s SDK modules and of wrapper classes that call {n}."),
            "An import is where a dependency enters a module; the calls that follow are reported separately.".to_string(),
            "Import vendor SDKs only inside one adapter module that the rest of the code calls.".to_string(),
        ),
        Kind::Client => (
            Severity::Low,
            format!("{n} client constructed"),
            format!("Finds where a client of {n} is constructed, including framework wrappers."),
            "Each construction site decides which vendor, credentials and base URL the code talks to.".to_string(),
            "Construct clients in one place, with the base URL and model read from configuration.".to_string(),
        ),
        Kind::Dependency => (
            Severity::Low,
            format!("{n} SDK declared as a dependency"),
            format!("Finds {n}'s SDK packages declared in manifests (requirements.txt, pyproject.toml, Pipfile, setup.cfg)."),
            "A declared SDK is the dependency a migration has to remove.".to_string(),
            "Prefer a vendor-neutral client (an OpenAI-compatible SDK aimed at a configurable base URL, or LiteLLM).".to_string(),
        ),
        Kind::Model => (
            Severity::Low,
            format!("{n} model name"),
            format!("Finds string literals that name one of {n}'s hosted models."),
            "A hard-coded model name ties behaviour, prompts and costs to one vendor's model.".to_string(),
            "Read model names from configuration, and evaluate an open-weight model for the same task.".to_string(),
        ),
        Kind::Endpoint => (
            Severity::Medium,
            format!("{n} API endpoint URL"),
            format!(
                "Finds URLs of {n}'s API hosts ({}) in string literals. An OpenAI- or Anthropic-SDK client whose base URL is on one of these hosts is reported as served by {n}.",
                v.hosts.join(", ")
            ),
            "A hard-coded endpoint bypasses any configuration that could redirect traffic to another server.".to_string(),
            "Read the base URL from configuration so that it can point at a self-hosted OpenAI-compatible server.".to_string(),
        ),
        Kind::Env => (
            Severity::Low,
            format!("{n} credential or setting read from the environment"),
            format!("Finds reads of {n}'s environment variables ({}).", v.env.join(", ")),
            "Credentials and settings read for one vendor show where deployment depends on that vendor's account.".to_string(),
            "Name settings after the role (LLM_API_KEY, LLM_BASE_URL) rather than the vendor.".to_string(),
        ),
        Kind::Secret => (
            Severity::Critical,
            format!("Hard-coded {n} credential"),
            format!("Finds literals shaped like {n} API keys. The value is redacted in every output."),
            "A committed key is a leaked key, and it ties the code to one vendor account.".to_string(),
            "Revoke the key, then read credentials from the environment or a secret store.".to_string(),
        ),
        Kind::Call => unreachable!("call rules are operations"),
    };
    let (what, why) = if v.portable {
        (
            "Finds SDK usage aimed at a self-hosted OpenAI-compatible server (loopback, private and link-local addresses, internal and cluster names, the default port of a self-hosted server, or a base URL read from a variable named after one, such as OLLAMA_BASE_URL).".to_string(),
            "Not a lock-in risk: this code already moves with a base URL. It is reported so that the assessment can count it as portable.".to_string(),
        )
    } else if v.unknown_hosts {
        (
            "Finds SDK clients aimed at a public host that no rule names; the message names the host.".to_string(),
            "A hosted API the rules do not know yet is still someone else's service, so it counts as proprietary until a rule says otherwise.".to_string(),
        )
    } else {
        (what, why)
    };
    // A hosted open-weight model's substitute is the same model, self-hosted.
    let instead = if v.open_weights && matches!(kind, Kind::Model | Kind::Endpoint | Kind::Client) {
        format!("{instead} {n} serves open-weight models: the same weights run on vLLM, SGLang or Ollama behind the same OpenAI-compatible API.")
    } else {
        instead
    };
    RuleInfo {
        id: kind_rule_id(&v.id, kind),
        owner: v.id.clone(),
        owner_name: n.clone(),
        proprietary: v.proprietary,
        kind,
        capability: Capability::Other,
        severity: if v.portable { Severity::Info } else { severity },
        message,
        docs: {
            let Example { text: example, file: example_file } =
                example.unwrap_or(Example { text: String::new(), file: String::new() });
            Docs { what, why, example, example_file, instead }
        },
        source: v.source.clone(),
        api: None,
    }
}

/// What a vendor is, in one word for `rules list --vendors`: `self-hosted` (the portable
/// vendor), `unknown` (the unknown-host vendor), `open-weights` (a hosted vendor of open
/// models) or `proprietary`.
pub fn vendor_kind(v: &Vendor) -> &'static str {
    if v.portable {
        "self-hosted"
    } else if v.unknown_hosts {
        "unknown"
    } else if v.open_weights {
        "open-weights"
    } else if v.proprietary {
        "proprietary"
    } else {
        "open"
    }
}

/// The JSON form of a vendor (`rules list --vendors --format json`).
pub fn vendor_json(v: &Vendor) -> serde_json::Value {
    serde_json::json!({
        "id": v.id,
        "name": v.name,
        "proprietary": v.proprietary,
        "open_weights": v.open_weights,
        "kind": vendor_kind(v),
        "hosts": v.hosts,
        "env": v.env,
        "models": v.models,
        "source": v.source.to_string(),
    })
}

/// The text of `lockin rules explain <id>`.
pub fn explain_text(rule: &RuleInfo, subs: &Substitutes) -> String {
    let mut s = String::new();
    let owner = if rule.proprietary { format!("{} (proprietary)", rule.owner_name) } else { rule.owner_name.clone() };
    let _ = writeln!(s, "# {}\n", rule.id);
    let _ =
        writeln!(s, "{owner} · {} · {} · severity {} · {}\n", rule.kind, rule.capability, rule.severity, rule.source);
    let _ = writeln!(s, "{}\n", rule.message);
    for (title, body) in [
        ("What it does", &rule.docs.what),
        ("Why it matters", &rule.docs.why),
        ("Example", &rule.docs.example),
        ("Instead", &rule.docs.instead),
    ] {
        let _ = writeln!(s, "## {title}\n");
        if title == "Example" {
            let _ = writeln!(s, "```{}\n{body}\n```\n", fence(&rule.docs.example_file));
        } else {
            let _ = writeln!(s, "{body}\n");
        }
    }
    if let (Kind::Call, Some(api)) = (rule.kind, &rule.api) {
        let _ = writeln!(s, "## Open substitutes\n");
        let portability = subs.portability(api, rule.capability, true);
        let _ = writeln!(s, "Portability of these calls: {portability}.\n");
        if let Some(info) = subs.capabilities.get(&rule.capability) {
            for m in &info.models {
                let class = if m.osi { "OSI" } else { "restricted open weights" };
                let notes = if m.notes.is_empty() { String::new() } else { format!("; {}", m.notes) };
                let _ = writeln!(s, "- {} ({}): {}, {class}{notes}", m.family, m.sizes, m.license);
            }
            let _ = writeln!(s, "\nServed by: {}.\n", subs.server_names(rule.capability).join(", "));
            let _ = writeln!(s, "Migration: {}\n", info.migration);
        }
    }
    s.trim_end().to_string() + "\n"
}

/// The JSON form of a rule (`rules list --format json`, `rules explain --format json`).
pub fn rule_json(rule: &RuleInfo) -> serde_json::Value {
    serde_json::json!({
        "id": rule.id,
        "vendor": rule.owner,
        "vendor_name": rule.owner_name,
        "proprietary": rule.proprietary,
        "kind": rule.kind,
        "capability": rule.capability,
        "severity": rule.severity,
        "message": rule.message,
        "source": rule.source.to_string(),
        "api": rule.api,
        "docs": {
            "what": rule.docs.what,
            "why": rule.docs.why,
            "example": rule.docs.example,
            "example_file": rule.docs.example_file,
            "instead": rule.docs.instead,
        },
    })
}
