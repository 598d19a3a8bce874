//! Every finding a detector reports is worded here. The rule id, kind, severity and message
//! of each kind of finding (import, client, call, dependency, model, endpoint, env, secret)
//! come from this one place whatever language found it: detectors resolve names and match
//! rules, then push the [`Emit`] a function of this module returns at the node they hold
//! ([`super::FileOutput::emit`]). Each finding also gets its [`Subject`], so that reports
//! read the package, model or module it is about instead of parsing its message.

use super::matcher::{self, CallMatch, ClientMatch, Served};
use super::path::Path;
use crate::ecosystem::Ecosystem;
use crate::finding::{Capability, Kind, Severity, Subject};
use crate::rules::{kind_rule_id, ClientDef, Operation, RuleSet, Sdk};

/// A finding to push at the node the caller holds.
#[derive(Debug, Clone)]
pub struct Emit {
    /// Rule id.
    pub rule_id: String,
    /// Vendor id of who serves it.
    pub vendor: String,
    /// Kind.
    pub kind: Kind,
    /// Capability.
    pub capability: Capability,
    /// Severity.
    pub severity: Severity,
    /// Message.
    pub message: String,
    /// What it is about, when that is a thing reports list.
    pub subject: Option<Subject>,
    /// The client's base URL comes from configuration (a scoring mitigation).
    pub configurable: bool,
}

impl Emit {
    /// The same finding with `suffix` added to its message.
    pub fn noting(mut self, suffix: &str) -> Emit {
        self.message.push_str(suffix);
        self
    }
}

/// Severity of the kinds whose severity the vendor alone decides: lower where the vendor is
/// not proprietary (a self-hosted server, an open-model host).
fn by_vendor(proprietary: bool, severity: Severity) -> Severity {
    if proprietary {
        severity
    } else {
        Severity::Info
    }
}

fn vendor_name<'r>(rules: &'r RuleSet, id: &'r str) -> &'r str {
    rules.vendor(id).map_or(id, |v| v.name.as_str())
}

/// `import openai`, `require("openai")`, `use async_openai::Client;`.
pub fn import(rules: &RuleSet, ecosystem: Ecosystem, vendor: &str, module: &str) -> Emit {
    Emit {
        rule_id: kind_rule_id(vendor, Kind::Import),
        vendor: vendor.to_string(),
        kind: Kind::Import,
        capability: Capability::Other,
        severity: Severity::Info,
        message: format!("{} SDK imported (`{module}`)", vendor_name(rules, vendor)),
        subject: Some(Subject::Module { ecosystem, name: module.to_string() }),
        configurable: false,
    }
}

/// A client construction: `OpenAI()`, `new Anthropic()`, `Client::with_config(...)`. A
/// framework's client chosen by a model string is reported under the vendor it names.
pub fn client(rules: &RuleSet, m: &ClientMatch<'_>, path: &Path) -> Emit {
    let name = rules.owner_name(&m.def.vendor);
    let ctor = path.dotted(path.0.len()).replace("..", ".").trim_end_matches('.').to_string();
    let (severity, message) =
        served_suffix(rules, &m.def.vendor, Severity::Low, format!("{name} client constructed (`{ctor}`)"), &m.served);
    Emit {
        rule_id: kind_rule_id(m.rule_vendor(rules), Kind::Client),
        vendor: m.served.vendor.clone(),
        kind: Kind::Client,
        capability: Capability::Other,
        severity,
        message,
        subject: None,
        configurable: m.served.configurable,
    }
}

/// A client a configuration file sets up (Spring AI's `spring.ai.openai.*` keys, `prefix`).
pub fn configured_client(rules: &RuleSet, m: &ClientMatch<'_>, prefix: &str) -> Emit {
    let name = rules.owner_name(&m.def.vendor);
    let text = format!("{name} client configured (`{prefix}.*`)");
    let (severity, message) = served_suffix(rules, &m.def.vendor, Severity::Low, text, &m.served);
    Emit { message, severity, ..client(rules, m, &Path::default()) }
}

/// An operation called through a client that `served` serves.
pub fn operation(rules: &RuleSet, op: &Operation, served: &Served) -> Emit {
    let (severity, message) = served_suffix(rules, &op.owner, op.severity, op.message.clone(), served);
    Emit {
        rule_id: op.id.clone(),
        vendor: served.vendor.clone(),
        kind: Kind::Call,
        capability: op.capability,
        severity,
        message,
        subject: None,
        configurable: served.configurable,
    }
}

/// A matched call: `client.chat.completions.create(...)`.
pub fn call(rules: &RuleSet, m: &CallMatch<'_>) -> Emit {
    operation(rules, m.op, &m.served)
}

/// A request made with an HTTP library to a vendor's API (`super::http`): the operation its
/// URL path names, served by whoever owns the host; `shown` is host and path as written. A
/// path no operation names is a request to the host's vendor.
pub fn http_call(rules: &RuleSet, op: &Operation, served: &Served, shown: &str) -> Emit {
    let (default_vendor, base) = if op.http.iter().any(|p| p == super::http::ANY_PATH) {
        (served.vendor.as_str(), format!("{} API request over HTTP", vendor_name(rules, &served.vendor)))
    } else {
        (op.owner.as_str(), format!("{} over HTTP", op.message))
    };
    let (severity, message) = served_suffix(rules, default_vendor, op.severity, format!("{base} (`{shown}`)"), served);
    Emit {
        rule_id: op.id.clone(),
        vendor: served.vendor.clone(),
        kind: Kind::Call,
        capability: op.capability,
        severity,
        message,
        subject: None,
        configurable: false,
    }
}

/// A call on a receiver nothing resolves, whose operation an imported SDK offers
/// (`common::infer_operation`): served by the SDK's own vendor.
pub fn inferred_call(rules: &RuleSet, def: &ClientDef, op: &Operation) -> Emit {
    let served = Served::by(&def.vendor);
    operation(rules, op, &served).noting(&format!("; client inferred from the `{}` import in this file", def.vendor))
}

/// An SDK package a manifest declares (`name` normalised).
pub fn dependency(rules: &RuleSet, sdk: &Sdk, name: &str) -> Emit {
    let proprietary = rules.vendor(&sdk.vendor).is_none_or(|v| v.proprietary);
    Emit {
        rule_id: kind_rule_id(&sdk.vendor, Kind::Dependency),
        vendor: sdk.vendor.clone(),
        kind: Kind::Dependency,
        capability: Capability::Other,
        severity: by_vendor(proprietary, Severity::Low),
        message: format!("{} SDK `{name}` declared as a dependency", vendor_name(rules, &sdk.vendor)),
        subject: Some(Subject::Package { ecosystem: sdk.ecosystem, name: name.to_string() }),
        configurable: false,
    }
}

/// The finding of reading environment variable `name`, if a vendor declares it. Browser
/// build prefixes (`NEXT_PUBLIC_`, `VITE_`, ...) are looked through.
pub fn env(rules: &RuleSet, name: &str) -> Option<Emit> {
    let bare = ["NEXT_PUBLIC_", "VITE_", "REACT_APP_", "PUBLIC_", "EXPO_PUBLIC_", "NUXT_PUBLIC_"]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name);
    let v = rules.vendor_for_env(name).or_else(|| rules.vendor_for_env(bare))?;
    Some(Emit {
        rule_id: kind_rule_id(&v.id, Kind::Env),
        vendor: v.id.clone(),
        kind: Kind::Env,
        capability: Capability::Other,
        severity: by_vendor(v.proprietary, Severity::Low),
        message: format!("{} setting `{name}` read from the environment", v.name),
        subject: None,
        configurable: false,
    })
}

/// Secrets, endpoints and model names in one string literal. `content` is its text
/// (interpolations kept as written), `literal` its value when it has no interpolation,
/// `served` the vendor of the call whose arguments hold it.
pub fn literal(
    rules: &RuleSet,
    content: &str,
    literal: Option<&str>,
    in_model_context: bool,
    served: Option<&str>,
) -> Vec<Emit> {
    let mut out = Vec::new();
    if content.is_empty() {
        return out;
    }
    for (v, _) in matcher::secrets_in(rules, content) {
        out.push(Emit {
            rule_id: kind_rule_id(&v.id, Kind::Secret),
            vendor: v.id.clone(),
            kind: Kind::Secret,
            capability: Capability::Other,
            severity: Severity::Critical,
            message: format!("Hard-coded {} credential (redacted)", v.name),
            subject: None,
            configurable: false,
        });
    }
    for v in matcher::endpoints_in(rules, content) {
        out.push(Emit {
            rule_id: kind_rule_id(&v.id, Kind::Endpoint),
            vendor: v.id.clone(),
            kind: Kind::Endpoint,
            capability: Capability::Other,
            severity: by_vendor(v.proprietary, Severity::Medium),
            message: format!("{} API endpoint in a string literal", v.name),
            subject: None,
            configurable: false,
        });
    }
    let Some(literal) = literal else { return out };
    if let Some(v) = rules.vendor_for_model(literal, in_model_context) {
        let vendor = served.unwrap_or(&v.id);
        let proprietary = rules.vendor(vendor).is_none_or(|x| x.proprietary);
        let via = if vendor != v.id {
            rules.vendor(vendor).map_or(String::new(), |x| format!(", served by {}", x.name))
        } else {
            String::new()
        };
        let safe: String = literal.chars().filter(|c| !c.is_control()).take(80).collect();
        out.push(Emit {
            rule_id: kind_rule_id(&v.id, Kind::Model),
            vendor: vendor.to_string(),
            kind: Kind::Model,
            capability: Capability::Other,
            severity: by_vendor(proprietary, Severity::Low),
            message: format!("{} model `{safe}`{via}", v.name),
            subject: Some(Subject::Model { name: safe, family: v.id.clone() }),
            configurable: false,
        });
    }
    out
}

/// Says who serves a client or call when that is not the vendor whose SDK it is: a
/// self-hosted server (severity info), another vendor, a public host no rule names, or a
/// base URL from configuration ("configurable: set X to move").
fn served_suffix(
    rules: &RuleSet,
    default_vendor: &str,
    severity: Severity,
    base: String,
    served: &Served,
) -> (Severity, String) {
    let Some(v) = rules.vendor(&served.vendor) else {
        return (severity, base);
    };
    let shown = served.base_url.as_deref().map(shown_host).unwrap_or_default();
    // Where the tree's settings files set the variable (hosts and files only, never a value).
    let set_in = served.set_in.as_ref().map_or(String::new(), |n| format!("; {n}"));
    let from = match &served.setting {
        Some(name) => format!("; configurable: set `{name}` to move{set_in}"),
        None if served.configurable && served.base_url.is_none() => "; base URL set at run time (configurable)".into(),
        None => String::new(),
    };
    if !v.proprietary {
        let at = if shown.is_empty() { String::new() } else { format!(" ({shown})") };
        let from = served.setting.as_ref().map_or(String::new(), |n| format!(", base URL from `{n}`{set_in}"));
        return (Severity::Info, format!("{base}, aimed at a self-hosted OpenAI-compatible server{at}{from}"));
    }
    if v.unknown_hosts {
        // No host written: the endpoint (or the model choosing it) is set by configuration
        // under a name that says no vendor.
        if shown.is_empty() {
            let by = served.setting.as_ref().map_or(String::new(), |n| format!(" (`{n}`{set_in})"));
            return (severity, format!("{base}, vendor set by configuration{by}: no rule can tell who serves it"));
        }
        let host = format!("`{shown}`");
        return (
            severity,
            format!("{base}, served by {host}, a host no rule names (add it to a vendor's `hosts` if it is a hosted service){from}"),
        );
    }
    if served.vendor != default_vendor {
        return (severity, format!("{base}, served by {}{from}", v.name));
    }
    (severity, format!("{base}{from}"))
}

/// The host of a base URL as written, an unknown part shown as `…`.
fn shown_host(url: &str) -> String {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].rsplit_once('@').map_or(&rest[..end], |(_, h)| h);
    // The port is dropped unless it is all that is known (`http://${host}:8080`).
    let host = match host.rsplit_once(':') {
        Some((h, port))
            if !h.contains(':')
                && port.chars().all(|c| c.is_ascii_digit())
                && h.chars().any(|c| c != super::path::HOLE) =>
        {
            h
        }
        _ => host,
    };
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
        .replace(super::path::HOLE, "…")
        .chars()
        .filter(|c| !c.is_control())
        .take(80)
        .collect()
}
