//! Language-neutral matching of canonical paths and literals against the rules: which
//! paths build clients, which calls are API operations, who serves a client (its base
//! URL), and which string literals are models, endpoints or secrets.

use super::path::{self, ArgValue, CallArgs, Path, HOLE};
use crate::ecosystem::Ecosystem;
use crate::rules::{ClientDef, Operation, RuleSet, Vendor};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Who serves a client, and why we think so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Served {
    /// Vendor id.
    pub vendor: String,
    /// The base URL came from configuration (environment or a variable).
    pub configurable: bool,
    /// The base URL literal (or template, holes as [`HOLE`]) that decided, if any.
    pub base_url: Option<String>,
    /// The environment variable the base URL is read from, when the code names it.
    pub setting: Option<String>,
    /// Where the tree's settings files set that variable, when they decided
    /// ([`super::settings::served_from_tree`]): a note for the message, hosts only.
    pub set_in: Option<String>,
    /// No vendor named: the model is read at run time ([`set_by_configuration`]). A table
    /// of models the call goes through may still name one per entry.
    pub model_at_run_time: bool,
}

impl Served {
    /// Served by `vendor` as the code is written (no base URL from configuration).
    pub fn by(vendor: &str) -> Served {
        Served { vendor: vendor.to_string(), ..Served::default() }
    }
}

/// A client construction.
#[derive(Debug, Clone)]
pub struct ClientMatch<'r> {
    /// The definition it matched.
    pub def: &'r ClientDef,
    /// Who serves it.
    pub served: Served,
}

impl ClientMatch<'_> {
    /// The vendor whose `client` rule reports it: the declaring vendor, or for a framework's
    /// client chosen by a model string (`dspy.LM("anthropic/...")`), the vendor it names.
    pub fn rule_vendor<'a>(&'a self, rules: &RuleSet) -> &'a str {
        if rules.vendor(&self.def.vendor).is_some() {
            &self.def.vendor
        } else {
            &self.served.vendor
        }
    }
}

/// A prefix of a path that is a client instance.
struct Instance<'r> {
    /// Segments up to and including the instance.
    end: usize,
    def: &'r ClientDef,
    served: Served,
    /// Built by a constructor call (not a module used as a ready client).
    constructed: bool,
}

/// An operation call.
#[derive(Debug, Clone)]
pub struct CallMatch<'r> {
    /// The operation.
    pub op: &'r Operation,
    /// The client it goes through.
    pub def: &'r ClientDef,
    /// Who serves it.
    pub served: Served,
}

/// Module attributes assigned in a file (`openai.api_base = "..."`), by module path.
pub type ModuleAttrs = HashMap<String, Vec<(String, ArgValue)>>;

/// Every prefix of `path` that is a client instance (a called constructor, or a module
/// that is a ready client), longest first.
fn instances<'r>(rules: &'r RuleSet, lang: Ecosystem, path: &Path, attrs: &ModuleAttrs) -> Vec<Instance<'r>> {
    let mut out = Vec::new();
    for end in (1..=path.0.len()).rev() {
        let seg = &path.0[end - 1];
        if seg.name.is_empty() {
            continue;
        }
        let dotted = path.dotted(end);
        if let Some(args) = &seg.call {
            // A definition whose `first_arg` holds is more specific than one without.
            let mut defs: Vec<usize> = rules.clients_constructed_by(lang, &dotted).to_vec();
            defs.sort_by_key(|&i| rules.clients[i].first_arg.is_empty());
            for i in defs {
                let d = &rules.clients[i];
                if !first_arg_ok(d, args) {
                    continue;
                }
                let served = match d.vendor_from {
                    // `new TokenJS()`: each operation call names its own provider.
                    Some(_) if d.vendor_per_call => Served::default(),
                    // `dspy.LM("anthropic/claude-...")`: the constructor's model string decides.
                    Some(_) => match served_by_choice(rules, lang, d, args) {
                        Some(s) => s,
                        None => continue,
                    },
                    None => match chained_settings(path, end, d) {
                        Some(set) => served_by_args(rules, d, &args.merged(&set)),
                        None => served_by_args(rules, d, args),
                    },
                };
                out.push(Instance { end, def: d, served, constructed: true });
            }
            // A ready client that is itself called: the Vercel AI SDK's `openai("gpt-4o")`.
            if !path.has_call_before(end - 1) {
                for &i in rules.module_clients(lang, &dotted) {
                    let d = &rules.clients[i];
                    if d.factories.iter().any(String::is_empty) {
                        let served = served_by_module(rules, d, &dotted, attrs);
                        out.push(Instance { end, def: d, served, constructed: false });
                    }
                }
            }
        } else if !path.has_call_before(end) {
            for &i in rules.module_clients(lang, &dotted) {
                let d = &rules.clients[i];
                let served = served_by_module(rules, d, &dotted, attrs);
                out.push(Instance { end, def: d, served, constructed: false });
            }
        }
    }
    out
}

/// The base URL a builder chain sets after the constructor (`OpenAIClient::builder()
/// .with_endpoint(url).with_api_key(k).build()`, async-anthropic's `Client::builder()
/// .base_url(url)`): each setter the client's `base_url` names, called with the value first,
/// as a keyword of that name, through the client's transparent methods; `None` when the
/// chain sets none.
fn chained_settings(path: &Path, end: usize, def: &ClientDef) -> Option<CallArgs> {
    let mut set = CallArgs::default();
    for seg in &path.0[end..] {
        let setter = def.base_url.contains(&seg.name);
        match seg.call.as_deref() {
            Some(args) if setter => {
                if let Some(v) = args.positional.first() {
                    set.keywords.push((seg.name.clone(), v.clone()));
                }
            }
            _ if def.transparent.contains(&seg.name) => {}
            _ => break,
        }
    }
    (!set.keywords.is_empty()).then_some(set)
}

/// Whether segment `i` of `path` after a client instance at `end` is a base URL setter of
/// its builder chain ([`chained_settings`]).
fn chained_setter(path: &Path, end: usize, i: usize, def: &ClientDef) -> bool {
    path.0[end..=i]
        .iter()
        .all(|s| def.transparent.contains(&s.name) || (s.call.is_some() && def.base_url.contains(&s.name)))
        && def.base_url.iter().any(|k| *k == path.0[i].name)
}

/// The names after a client instance, transparent segments, base URL setters of its builder
/// chain and `()`-of-a-call left out.
fn rest_of<'p>(path: &'p Path, end: usize, def: &ClientDef) -> Vec<&'p str> {
    path.0[end..]
        .iter()
        .enumerate()
        .filter(|(i, s)| !chained_setter(path, end, end + i, def) || s.name.is_empty())
        .map(|(_, s)| s.name.as_str())
        .filter(|s| !s.is_empty() && !def.transparent.iter().any(|t| t == s))
        .collect()
}

/// The client a called path constructs, if any: a constructor call, or a model factory
/// called on a client (`openai("gpt-4o")`, `openai.chat("gpt-4o")` of the Vercel AI SDK).
pub fn construction<'r>(rules: &'r RuleSet, lang: Ecosystem, path: &Path) -> Option<ClientMatch<'r>> {
    if !path.is_call() {
        return None;
    }
    let n = path.0.len();
    let attrs = ModuleAttrs::new();
    for Instance { end, def, served, constructed } in instances(rules, lang, path, &attrs) {
        // A client whose vendor each call names is no vendor's client.
        if def.vendor_per_call {
            continue;
        }
        if end == n {
            // The constructor itself, or a ready client called as a model factory.
            if constructed || (def.vendor_from.is_none() && def.factories.iter().any(String::is_empty)) {
                return Some(ClientMatch { def, served });
            }
        }
        if end < n && !def.factories.is_empty() {
            let rest = rest_of(path, end, def).join(".");
            if def.factories.contains(&rest) {
                return Some(ClientMatch { def, served });
            }
        }
    }
    None
}

/// Whether a path goes through something the rules know: a client constructor, a module
/// client, an HTTP client, an SDK module (`openai.types`), or, for a package specifier, a
/// subpath of an SDK package (`@anthropic-ai/sdk/resources`). One definition for every front end.
pub fn is_vendor_path(rules: &RuleSet, lang: Ecosystem, p: &Path) -> bool {
    let full = p.dotted(p.0.len());
    // An SDK module of a prefix (`openai` of `openai.types`) is one of the whole path's: one
    // look at the whole path answers for every prefix.
    if rules.sdk_for_module(lang, &full).is_some() {
        return true;
    }
    let mut end = 0;
    p.0.iter().enumerate().any(|(i, seg)| {
        end += usize::from(i > 0) + seg.name.len();
        let d = &full[..end];
        !rules.clients_constructed_by(lang, d).is_empty()
            || !rules.module_clients(lang, d).is_empty()
            || !rules.http_constructed_by(lang, d).is_empty()
    }) || p.0.first().is_some_and(|s| sdk_for_specifier(rules, lang, &s.name).is_some())
}

/// The vendor whose SDK package is `spec` or a parent of it (`openai/helpers/zod`).
pub fn sdk_for_specifier(rules: &RuleSet, lang: Ecosystem, spec: &str) -> Option<String> {
    rules
        .sdks
        .iter()
        .filter(|s| s.ecosystem == lang)
        .flat_map(|s| s.modules.iter().map(move |m| (s, m)))
        .filter(|(_, m)| {
            spec == m.as_str() || (spec.starts_with(m.as_str()) && spec.as_bytes().get(m.len()) == Some(&b'/'))
        })
        .max_by_key(|(_, m)| m.len())
        .map(|(s, _)| s.vendor.clone())
}

/// Who serves the client behind a path (a client, or a model made by one), if any.
pub fn client_behind(rules: &RuleSet, lang: Ecosystem, path: &Path) -> Option<Served> {
    let attrs = ModuleAttrs::new();
    let n = path.0.len();
    // A module client is behind the path only when it is the path itself or makes the model
    // (`openai.chat("gpt-4o")`): `agents.extensions...LitellmModel(...)` is not the `agents` module's.
    instances(rules, lang, path, &attrs)
        .into_iter()
        .find(|i| {
            (i.def.vendor_from.is_none() || i.constructed)
                && !i.def.vendor_per_call
                && (i.constructed || i.end == n || !i.def.factories.is_empty())
        })
        .map(|i| i.served)
}

/// The operation a called path invokes, if any: the longest prefix that is a client
/// instance, then the rest (transparent segments removed) looked up in the client's API.
pub fn operation_call<'r>(
    rules: &'r RuleSet,
    lang: Ecosystem,
    path: &Path,
    attrs: &ModuleAttrs,
) -> Option<CallMatch<'r>> {
    if !path.is_call() {
        return None;
    }
    let n = path.0.len();
    let last_args = path.0[n - 1].call.clone().unwrap_or_default();
    for Instance { end, def, served, constructed } in instances(rules, lang, path, attrs) {
        // A transparent method called last (`agent.prompt(q).add_hook(h)`, `.with_retry()`)
        // is a setter on what came before: the call before it is the one reported.
        if end >= n || def.transparent.iter().any(|t| *t == path.0[n - 1].name) || chained_setter(path, end, n - 1, def)
        {
            continue;
        }
        let mut rest = rest_of(path, end, def);
        // After a wrapper's marker (`@instructor`), the wrapper's own operations apply; after
        // a wrapper of a wrapper (an agent over an `IChatClient` adapter), the outer one's.
        let mut api = def.api.as_str();
        while let Some(marker) = rest.first().and_then(|r| r.strip_prefix('@')) {
            api = marker;
            rest.remove(0);
            // The wrapper's own transparent methods (`.AsBuilder().UseLogging().Build()`).
            if let Some(f) = rules.frameworks.iter().find(|f| f.id == api) {
                rest.retain(|r| !f.transparent.iter().any(|t| t == r));
            }
        }
        let mut key = rest.join(".");
        if key.is_empty() {
            // The client object itself is called (`lm("Hello")` with `lm = dspy.LM(...)`).
            key = "__call__".to_string();
        }
        // `client.send(new ConverseCommand(...))`: the command names the operation.
        if rest.len() == 1 && def.command_methods.iter().any(|m| m == rest[0]) {
            if let Some(ArgValue::Path(cmd)) = last_args.positional.first() {
                if let Some(last) = cmd.0.iter().rev().find(|s| !s.name.is_empty()) {
                    key = format!("{}.{}", rest[0], last.name);
                }
            }
        }
        let unsuffixed = |k: &str| -> Option<&'r Operation> {
            rules.operation(api, k).or_else(|| {
                // `chat.complete_async` is the async variant of `chat.complete`.
                def.suffixes.iter().find_map(|sfx| k.strip_suffix(sfx.as_str()).and_then(|k| rules.operation(api, k)))
            })
        };
        let op = match key.strip_suffix(&format!(".{}", path::ANY_MEMBER)) {
            // `getattr(client.chat.completions, endpoint)(...)`: the resource's one operation.
            Some(resource) => rules.operation_of_any(api, resource),
            None => unsuffixed(&key),
        };
        let op = op.or_else(|| {
            // `kernel.InvokeAsync(function)`: a method taking what another call of the client
            // made is the operation of that pair (`Invoke.CreateFunctionFromPrompt`).
            let made = match last_args.positional.first() {
                Some(ArgValue::Path(made)) if rest.len() == 1 => made,
                _ => return None,
            };
            let made = made.0.iter().rev().find(|s| s.call.is_some() && !s.name.is_empty())?;
            let method = def.suffixes.iter().find_map(|sfx| rest[0].strip_suffix(sfx.as_str())).unwrap_or(rest[0]);
            rules.operation(api, &format!("{method}.{}", made.name))
        });
        // An API whose every method is an operation (an AI service implementing the
        // application's own interface: `assistant.chat(...)`).
        let op = op.or_else(|| (rest.len() == 1).then(|| rules.operation(api, "*")).flatten());
        let Some(op) = op else { continue };
        let served = match &def.vendor_from {
            // `generateText({ model: openai("gpt-4o") })`, `litellm.completion(model="anthropic/...")`:
            // the model passed to the call decides.
            Some(_) if !constructed || def.vendor_per_call => match served_by_choice(rules, lang, def, &last_args) {
                Some(s) => s,
                None => match set_by_configuration(rules, def, &last_args) {
                    Some(s) => s,
                    None => continue,
                },
            },
            _ => served,
        };
        return Some(CallMatch { op, def, served });
    }
    None
}

/// Who serves a client whose vendor is chosen by an argument (`vendor_from`, `provider_from`)
/// of `args`: the vendor a `provider_from` keyword names, else the one behind the
/// `vendor_from` argument (or the first positional one): a model string, or a client or model
/// object. A base URL among `base_url` arguments wins. When nothing names a vendor, a vendor
/// file's client is its own vendor's (the SDK's default); a framework's is `None`.
fn served_by_choice(rules: &RuleSet, lang: Ecosystem, def: &ClientDef, args: &CallArgs) -> Option<Served> {
    let base_url = def.base_url.iter().find_map(|k| args.argument(k));
    match base_url {
        Some(ArgValue::Str(_)) => {
            return Some(with_env_default(rules, served_by_value(rules, def, base_url, &[]), def, args))
        }
        // `base_url=os.getenv("OLLAMA_BASE_URL")`: decides when the name or template says who.
        Some(ArgValue::Env(_) | ArgValue::Pattern(_)) => {
            let s = served_by_value(rules, def, base_url, &[]);
            // A name that says no vendor leaves the choice to the model.
            let unnamed = rules.unknown_host_vendor().is_some_and(|u| u.id == s.vendor && s.base_url.is_none());
            if s.vendor != def.vendor && !unnamed {
                return Some(s);
            }
        }
        _ => {}
    }
    let configurable = base_url.is_some();
    let named = |vendor: String| Some(Served { vendor, configurable, ..Served::default() });
    for k in &def.provider_from {
        if let Some(ArgValue::Str(p)) = args.keyword(k) {
            if let Some(v) = vendor_of_prefix(rules, def, p) {
                return named(v);
            }
        }
    }
    let key = def.vendor_from.as_deref().unwrap_or_default();
    let value = args.keyword(key).or(args.positional.first());
    // Else another argument holding a client or model object (`AiServices.create(Assistant.class,
    // model)`, `.streamingChatModel(model)`).
    let client_arg = |v: &&ArgValue| matches!(v, ArgValue::Path(p) if client_behind(rules, lang, p).is_some());
    let value = match value {
        Some(ArgValue::Str(_) | ArgValue::Path(_)) => value,
        _ => args.keywords.iter().map(|(_, v)| v).chain(args.positional.iter()).find(client_arg).or(value),
    };
    let found = match value {
        Some(ArgValue::Str(m)) => vendor_of_model_string(rules, def, m).and_then(named),
        // A client or model object decides; a known one whose vendor cannot be read
        // (`LitellmModel(model=name)`) is not the SDK's default either.
        Some(ArgValue::Path(p)) => match client_behind(rules, lang, p) {
            Some(s) => return Some(s),
            None if !rules.clients_constructed_by(lang, &p.dotted(p.0.len())).is_empty() => return None,
            None => None,
        },
        _ => None,
    };
    // Nothing names a vendor (no model, an unknown name, one read at run time): the SDK's default.
    found.or_else(|| {
        rules.vendor(&def.vendor).map(|v| Served { vendor: v.id.clone(), configurable, ..Served::default() })
    })
}

/// Who serves a call of a `run_time_calls` client whose model names no vendor because it is
/// read at run time (`litellm.completion(**params)`, `model=cfg.model`,
/// `model=os.getenv("LLM_MODEL")`): the unknown-host vendor, configurable, "vendor set by
/// configuration". A literal model no rule knows is not read at run time: `None`.
fn set_by_configuration(rules: &RuleSet, def: &ClientDef, args: &CallArgs) -> Option<Served> {
    if !def.run_time_calls {
        return None;
    }
    let key = def.vendor_from.as_deref().unwrap_or_default();
    let setting = match args.keyword(key).or(args.positional.first()) {
        Some(ArgValue::Env(name)) => Some(name.clone()),
        // `f"anthropic/{name}"`: the written prefix still names the vendor.
        Some(ArgValue::Pattern(p)) => {
            let prefix = p.split_once(['/', ':']).map(|(prefix, _)| prefix).filter(|x| !x.contains(HOLE));
            if let Some(vendor) =
                prefix.and_then(|x| vendor_of_prefix(rules, def, x).or_else(|| vendor_of_glob(rules, x)))
            {
                return Some(Served::by(&vendor));
            }
            None
        }
        Some(ArgValue::Dynamic | ArgValue::Path(_)) | None => None,
        Some(_) => return None,
    };
    let vendor = rules.unknown_host_vendor()?.id.clone();
    Some(Served { vendor, configurable: true, setting, model_at_run_time: true, ..Served::default() })
}

/// The vendor a provider key names: one of the client's `vendor_prefixes`, else a vendor id.
fn vendor_of_prefix(rules: &RuleSet, def: &ClientDef, prefix: &str) -> Option<String> {
    if let Some(v) = def.vendor_prefixes.get(prefix).filter(|v| !v.is_empty()) {
        return Some(v.clone());
    }
    rules.vendor(prefix).map(|v| v.id.clone())
}

/// The vendor a string spelt as a provider key names: a key of the `vendor_prefixes` of one
/// of `lang`'s clients whose vendor comes from an argument (`"azure_openai"`, `"google-genai"`
/// of LangChain's `modelProvider`), else a vendor id (`"anthropic"`).
pub fn names_provider(rules: &RuleSet, lang: Ecosystem, key: &str) -> Option<String> {
    if key.is_empty() || key.len() > 40 {
        return None;
    }
    let prefixed = rules
        .clients
        .iter()
        .filter(|c| c.ecosystem == lang && !c.provider_from.is_empty())
        .find_map(|c| c.vendor_prefixes.get(key).filter(|v| !v.is_empty()));
    prefixed.cloned().or_else(|| rules.vendor(key).map(|v| v.id.clone()))
}

/// The vendor one of whose model globs is `prefix/*` (`nvidia_nim/*`: LiteLLM's provider
/// key for NVIDIA's hosted NIM), for a model built as `f"{prefix}/{name}"`: the same vendor
/// a written `prefix/some-model` is given.
fn vendor_of_glob(rules: &RuleSet, prefix: &str) -> Option<String> {
    let glob = format!("{prefix}/*");
    rules.vendors.iter().find(|v| v.models.iter().any(|g| g.eq_ignore_ascii_case(&glob))).map(|v| v.id.clone())
}

/// The vendor a model string names: a `prefix/` or `prefix:` that is a vendor id or one
/// of the client's `vendor_prefixes` (`gemini/` → google, `ollama/` → openai-compatible;
/// a prefix mapped to `""` is looked past: `litellm/anthropic/claude-...`), else the vendor
/// whose model names match.
fn vendor_of_model_string(rules: &RuleSet, def: &ClientDef, model: &str) -> Option<String> {
    if let Some((prefix, rest)) = model.split_once(['/', ':']) {
        if def.vendor_prefixes.get(prefix).is_some_and(String::is_empty) {
            return vendor_of_model_string(rules, def, rest);
        }
        if let Some(v) = vendor_of_prefix(rules, def, prefix) {
            return Some(v);
        }
    }
    rules.vendor_for_model(model, true).map(|v| v.id.clone())
}

fn first_arg_ok(def: &ClientDef, args: &CallArgs) -> bool {
    if def.first_arg.is_empty() {
        return true;
    }
    let value = args.positional.first().or_else(|| args.keyword("service_name"));
    match value {
        Some(ArgValue::Str(s)) => def.first_arg.contains(s),
        // A value built by a named path: Rust's `Client::with_config(AzureConfig::new())`.
        Some(ArgValue::Path(p)) => def.first_arg.iter().any(|a| built_by(p, a)),
        _ => false,
    }
}

/// Whether `path`'s names up to its first call are `name` or start with `name.`:
/// `async_openai.config.AzureConfig.new().with_api_base()` is built by
/// `async_openai.config.AzureConfig`.
fn built_by(path: &Path, name: &str) -> bool {
    let upto = path.0.iter().position(|s| s.call.is_some()).map_or(path.0.len(), |i| i + 1);
    let dotted = path.dotted(upto);
    dotted == name || dotted.strip_prefix(name).is_some_and(|r| r.starts_with('.'))
}

/// Marks `served` configurable when the base URL argument of `args` is the default of an
/// environment read (`os.environ.get("X", "https://...")`): the literal decides who serves
/// it, and setting the variable moves it.
fn with_env_default(rules: &RuleSet, mut served: Served, def: &ClientDef, args: &CallArgs) -> Served {
    let key = def.base_url.iter().find(|k| args.argument(k).is_some());
    if let Some((_, var)) = key.and_then(|k| args.env_defaults.iter().find(|(name, _)| name == k)) {
        // The tree's settings files set the variable: their value, not the code's default, is used.
        if let Some(s) = super::settings::served_from_tree(rules, var) {
            return s;
        }
        served.configurable = true;
        served.setting.get_or_insert_with(|| var.clone());
    }
    served
}

fn served_by_args(rules: &RuleSet, def: &ClientDef, args: &CallArgs) -> Served {
    let value = def.base_url.iter().find_map(|k| args.argument(k));
    // The other arguments (`apiKey: process.env.AZURE_OPENAI_KEY`) may say who a base URL
    // read at run time points at.
    let others: Vec<&ArgValue> = args
        .keywords
        .iter()
        .filter(|(k, _)| !def.base_url.contains(k))
        .map(|(_, v)| v)
        .chain(&args.positional)
        .collect();
    with_env_default(rules, served_by_value(rules, def, value, &others), def, args)
}

fn served_by_module(rules: &RuleSet, def: &ClientDef, module: &str, attrs: &ModuleAttrs) -> Served {
    let assigned = attrs.get(module).map_or(&[][..], Vec::as_slice);
    for w in &def.vendor_when {
        let hit =
            assigned.iter().rev().find(|(k, _)| *k == w.attribute).is_some_and(
                |(_, v)| matches!(v, ArgValue::Str(s) if w.values.iter().any(|x| x.eq_ignore_ascii_case(s))),
            );
        if hit {
            return Served::by(&w.vendor);
        }
    }
    let value =
        attrs.get(module).and_then(|list| list.iter().rev().find(|(k, _)| def.base_url.contains(k)).map(|(_, v)| v));
    served_by_value(rules, def, value, &[])
}

/// Who serves a client whose base URL argument is `value` (`None`: not passed), `others`
/// being the constructor's other arguments. Three answers for a URL the code names: a
/// vendor whose `hosts` hold its host, a self-hosted server (the portable vendor), or an
/// unknown public host (the unknown-host vendor). A base URL read from the environment is
/// decided by the variable's name; one read at run time by anything else in the call
/// that names a vendor, else it is the SDK's own vendor, marked configurable.
fn served_by_value(rules: &RuleSet, def: &ClientDef, value: Option<&ArgValue>, others: &[&ArgValue]) -> Served {
    let run_time = || hinted(rules, def, others).unwrap_or_else(|| def_served(def, true));
    // `${process.env.OPENAI_BASE_URL}/v1`: the server the setting names, configurable.
    let setting = value.and_then(ArgValue::text).and_then(authority_of).and_then(|(host, _)| {
        let name = setting_host(&host)?;
        served_by_setting(rules, name)
    });
    if let Some(served) = setting {
        return served;
    }
    match value {
        Some(ArgValue::Str(url)) => match vendor_for_base_url(rules, url) {
            Some(vendor) => Served { vendor, base_url: Some(url.clone()), ..Served::default() },
            // A relative path (`/api/openai`, the app's own proxy) says nothing.
            None => def_served(def, false),
        },
        Some(ArgValue::Env(name)) => {
            // The tree's `.env`, compose or Kubernetes files set it: the host they name decides.
            if let Some(s) = super::settings::served_from_tree(rules, name) {
                return s;
            }
            // A name that says nothing of who serves it (`GENERIC_OPEN_AI_BASE_PATH`,
            // `FOUNDRY_BASE_PATH`) is an endpoint set by configuration whose vendor no rule
            // can tell: the unknown-host vendor, not a proprietary SDK's. Only the SDK vendor's
            // own variable (`OPENAI_BASE_URL`) keeps its vendor; a self-hosted server's SDK
            // (Ollama's) stays portable; an SDK whose endpoints are the customer's resources of
            // its vendor keeps that vendor (Azure OpenAI's `config["endpoint"]`).
            let proprietary_sdk = rules.vendor(&def.vendor).is_some_and(|v| v.proprietary && !v.resource_endpoints);
            let unnamed = proprietary_sdk && !names_vendor_first(rules, name, &def.vendor);
            let vendor = vendor_for_env_base_url(rules, name)
                .or_else(|| hinted(rules, def, others).map(|s| s.vendor))
                .or_else(|| rules.unknown_host_vendor().filter(|_| unnamed).map(|v| v.id.clone()))
                .unwrap_or_else(|| def.vendor.clone());
            Served { vendor, configurable: true, setting: Some(name.clone()), ..Served::default() }
        }
        // `https://bedrock-mantle.${region}.api.aws/v1`: the known part of the host decides.
        Some(ArgValue::Pattern(url)) => match vendor_for_base_url(rules, url) {
            Some(vendor) => Served { vendor, base_url: Some(url.clone()), ..Served::default() },
            None => run_time(),
        },
        // A client passed in its place (`async_client=AsyncOpenAI(base_url=...)`): its server.
        Some(ArgValue::Path(p)) => construction(rules, def.ecosystem, p).map_or_else(run_time, |m| m.served),
        Some(ArgValue::Dynamic) => run_time(),
        None => def_served(def, false),
    }
}

fn def_served(def: &ClientDef, configurable: bool) -> Served {
    Served { vendor: def.vendor.clone(), configurable, ..Served::default() }
}

/// Who the other arguments of a client whose base URL is read at run time name: a
/// variable of another proprietary vendor (`apiKey: process.env.AZURE_OPENAI_KEY`) or of a
/// self-hosted server (`LMSTUDIO_API_KEY`).
fn hinted(rules: &RuleSet, def: &ClientDef, others: &[&ArgValue]) -> Option<Served> {
    others.iter().find_map(|v| match v {
        ArgValue::Env(name) => vendor_for_env_base_url(rules, name)
            .filter(|vendor| *vendor != def.vendor)
            .map(|vendor| Served { vendor, configurable: true, ..Served::default() }),
        _ => None,
    })
}

/// What a host says about who serves it.
#[derive(Debug, Clone, Copy)]
pub enum HostClass<'r> {
    /// One of a vendor's `hosts`.
    Vendor(&'r Vendor),
    /// A server the team runs: loopback, private and link-local addresses, internal and
    /// cluster names, a self-hosted server's default port.
    SelfHosted,
    /// A public host no rule names.
    Unknown,
}

/// The setting a URL's host stands for ([`super::path::SETTING`]): `Some("deepseek.api-host")`
/// for the host `\u{5}deepseek.api-host\u{5}`.
pub fn setting_host(host: &str) -> Option<&str> {
    let name = host.strip_prefix(super::path::SETTING)?.strip_suffix(super::path::SETTING)?;
    (!name.is_empty()).then_some(name)
}

/// The host a URL's server has when it is the setting `name` (a variable, a configuration key)
/// whose name, or whose value in the tree's settings files, says who serves it: `None` when
/// neither names a proprietary vendor (a credential, `LLM_BASE_URL`, a self-hosted server's
/// variable, an endpoint of no vendor's), and for a name that could not stand in a host.
pub fn setting_server(rules: &RuleSet, name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 80 || names_credential(name) || name.contains(['/', '?', '#', '@', ':', HOLE]) {
        return None;
    }
    let served = served_by_setting(rules, name)?;
    // Only a name that is the vendor's address (`DEEPSEEK_API_BASE`, `deepseek.api-host`), not
    // another service under the vendor's prefix (`AZURE_CONTENT_SAFETY_ENDPOINT`).
    if served.set_in.is_none() && !names_vendor_address(rules, name) {
        return None;
    }
    let vendor = rules.vendor(&served.vendor)?;
    (vendor.proprietary && !vendor.unknown_hosts).then(|| format!("{0}{name}{0}", super::path::SETTING))
}

/// Whether a setting's name is a vendor's own variable, or a vendor's prefix followed only by
/// words of an address (`MISTRAL_BASE`, `deepseek.api-host`): the vendor's server, not another
/// of its services.
fn names_vendor_address(rules: &RuleSet, name: &str) -> bool {
    if rules.vendor_for_env(name).is_some() {
        return true;
    }
    const ADDRESS: [&str; 10] = ["API", "BASE", "URL", "URI", "HOST", "ENDPOINT", "ADDR", "ADDRESS", "SERVER", "ROOT"];
    let upper = as_variable(name);
    rules.vendors.iter().filter(|v| v.proprietary).flat_map(|v| v.env.iter()).any(|e| {
        let stem = e.split('_').next().unwrap_or_default();
        let rest = upper.strip_prefix(stem).and_then(|r| r.strip_prefix('_'));
        stem.len() >= 3 && rest.is_some_and(|r| !r.is_empty() && r.split('_').all(|w| ADDRESS.contains(&w)))
    })
}

/// A setting's name spelt as an environment variable: a configuration key `deepseek.api-host`
/// as `DEEPSEEK_API_HOST`.
fn as_variable(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// Who serves a server set by the setting `name`: the host the tree's settings files set it
/// to, else the vendor its name names ([`vendor_for_env_base_url`]); configurable.
pub fn served_by_setting(rules: &RuleSet, name: &str) -> Option<Served> {
    if let Some(s) = super::settings::served_from_tree(rules, name) {
        return Some(s);
    }
    let vendor = vendor_for_env_base_url(rules, name)?;
    Some(Served { vendor, configurable: true, setting: Some(name.to_string()), ..Served::default() })
}

/// The class of a base URL (a literal, or a template whose unknown parts are [`HOLE`]s,
/// each standing for one or more DNS labels); `None` when it names no host (a relative
/// path, or a host that is only a hole on no known port).
pub fn classify_base_url<'r>(rules: &'r RuleSet, url: &str) -> Option<HostClass<'r>> {
    let (host, port) = authority_of(url)?;
    if let Some(name) = setting_host(&host) {
        let vendor = rules.vendor(&served_by_setting(rules, name)?.vendor)?;
        return Some(if vendor.portable {
            HostClass::SelfHosted
        } else if vendor.unknown_hosts {
            HostClass::Unknown
        } else {
            HostClass::Vendor(vendor)
        });
    }
    let port_self_hosted = port.is_some_and(|p| rules.portable_vendor().is_some_and(|v| v.ports.contains(&p)));
    let known = host.chars().any(|c| c != HOLE && c != '.');
    if !known {
        return port_self_hosted.then_some(HostClass::SelfHosted);
    }
    if host.contains(HOLE) {
        // A hole stands for one label or several: probe both.
        for probe in [host.replace(HOLE, "x0"), host.replace(HOLE, "x0.x0")] {
            if let Some(v) = rules.vendor_for_host(&probe) {
                return Some(HostClass::Vendor(v));
            }
        }
        let probe = host.replace(HOLE, "x0");
        if is_self_hosted(&probe) && probe.contains('.') || port_self_hosted {
            return Some(HostClass::SelfHosted);
        }
        // `https://${sub}.example.com`: a public domain, else nothing to go on.
        return probe.trim_start_matches("x0.").contains('.').then_some(HostClass::Unknown);
    }
    if let Some(v) = rules.vendor_for_host(&host) {
        return Some(HostClass::Vendor(v));
    }
    if is_self_hosted(&host) || port_self_hosted {
        return Some(HostClass::SelfHosted);
    }
    Some(HostClass::Unknown)
}

/// Whether a base URL (or a request URL) names a vendor's host or a self-hosted server: a
/// value that may be chosen at run time among others of that kind.
pub fn names_a_server(rules: &RuleSet, url: &str) -> bool {
    matches!(classify_base_url(rules, url), Some(HostClass::Vendor(_) | HostClass::SelfHosted))
}

/// The vendor a base URL points at: a vendor whose hosts include its host, else the
/// portable vendor for a self-hosted server, else a vendor whose `base_url_paths` it holds,
/// else the unknown-host vendor (the portable one when no rule file declares it). `None`
/// when the URL names no host and no vendor's path.
pub fn vendor_for_base_url(rules: &RuleSet, url: &str) -> Option<String> {
    let class = classify_base_url(rules, url);
    // A host that says nothing (`${endpoint}`) or no rule knows: a vendor's distinctive path
    // (`/openai/deployments/` is Azure OpenAI's) still names it.
    if matches!(class, None | Some(HostClass::Unknown)) && url.contains('/') {
        if let Some(v) = rules.vendor_for_base_path(url) {
            return Some(v.id.clone());
        }
    }
    match class? {
        HostClass::Vendor(v) => Some(v.id.clone()),
        HostClass::SelfHosted => rules.portable_vendor().map(|v| v.id.clone()),
        HostClass::Unknown => rules.unknown_host_vendor().or(rules.portable_vendor()).map(|v| v.id.clone()),
    }
}

/// Whether an environment variable's name says it holds a credential (`GROQ_API_KEY`,
/// `HF_TOKEN`, `AZURE_CLIENT_SECRET`), not where a server is.
pub fn names_credential(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["_KEY", "_TOKEN", "_SECRET", "_PASSWORD"].iter().any(|s| upper.ends_with(s))
        || upper.contains("API_KEY")
        || upper.contains("ACCESS_KEY")
}

/// The vendor an environment variable holding a base URL names: a vendor that declares it
/// (`AZURE_OPENAI_ENDPOINT`), a self-hosted server its words name (`OLLAMA_BASE_URL`,
/// `LM_STUDIO_BASE_PATH`: the portable vendor's `env_words`), or a vendor whose variables
/// share its prefix (`DEEPSEEK_BASE_URL` next to `DEEPSEEK_API_KEY`). Browser build
/// prefixes (`NEXT_PUBLIC_`, `VITE_`) are looked through.
pub fn vendor_for_env_base_url(rules: &RuleSet, name: &str) -> Option<String> {
    let bare = ["NEXT_PUBLIC_", "VITE_", "REACT_APP_", "PUBLIC_", "EXPO_PUBLIC_", "NUXT_PUBLIC_"]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name);
    if let Some(v) = rules.vendor_for_env(name).or_else(|| rules.vendor_for_env(bare)) {
        return Some(v.id.clone());
    }
    let portable = rules.portable_vendor()?;
    if names_self_hosted(rules, bare) {
        return Some(portable.id.clone());
    }
    // `OPENAI_COMPATIBLE_BASE_URL`: an endpoint of the user's choosing, not OpenAI's.
    if names_no_vendor(rules, bare) {
        return rules.unknown_host_vendor().map(|v| v.id.clone());
    }
    let upper = as_variable(bare);
    const SUFFIXES: [&str; 8] =
        ["_API_KEY", "_API_BASE", "_BASE_URL", "_API_TOKEN", "_ENDPOINT", "_API_HOST", "_TOKEN", "_KEY"];
    let mut best: Option<(usize, &Vendor)> = None;
    for v in rules.vendors.iter().filter(|v| v.proprietary) {
        for e in &v.env {
            let Some(stem) = SUFFIXES.iter().find_map(|s| e.strip_suffix(s)) else { continue };
            let prefix = format!("{stem}_");
            if stem.len() >= 3 && upper.starts_with(&prefix) && best.is_none_or(|(n, _)| prefix.len() > n) {
                best = Some((prefix.len(), v));
            }
        }
    }
    best.map(|(_, v)| v.id.clone())
}

/// Whether a name (an environment variable, a field: `LMSTUDIO_BASE_PATH`,
/// `self.config.vllm_base_url`) has a word, or up to three adjacent words, among the
/// portable vendor's `env_words`: it holds a self-hosted server's URL.
pub fn names_self_hosted(rules: &RuleSet, name: &str) -> bool {
    rules.portable_vendor().is_some_and(|v| has_words(&v.env_words, name))
}

/// Whether a name (`OPENAI_COMPATIBLE_BASE_URL`, `openai_compatible.api_base`) has a word
/// among the unknown-host vendor's `env_words` and one saying it is an address: it holds an
/// endpoint the user sets that speaks a vendor's API without being the vendor's, so no rule
/// can tell who serves it.
pub fn names_no_vendor(rules: &RuleSet, name: &str) -> bool {
    // (A name of something else, `self.custom_headers`, says nothing of where requests go.)
    const ENDPOINT: [&str; 8] = ["URL", "URI", "BASE", "ENDPOINT", "HOST", "ADDR", "ADDRESS", "SERVER"];
    rules.unknown_host_vendor().is_some_and(|v| has_words(&v.env_words, name))
        && name_words(name).iter().any(|w| ENDPOINT.contains(&w.as_str()))
}

/// Whether `name` has a word, or up to three adjacent words joined, among `words`.
fn has_words(words: &[String], name: &str) -> bool {
    if words.is_empty() {
        return false;
    }
    let split = name_words(name);
    (0..split.len()).any(|i| (i + 1..=split.len().min(i + 3)).any(|j| words.contains(&split[i..j].concat())))
}

/// Whether a field's name, upper case, is a variable a vendor declares
/// (`fireworks_api_key` is `FIREWORKS_API_KEY`).
pub fn names_vendor_variable(rules: &RuleSet, field: &str) -> bool {
    field.contains('_') && rules.vendor_for_env(&field.to_ascii_uppercase()).is_some()
}

/// Whether a setting's name starts with a vendor's id, separators and case aside
/// (`AzureOpenAI:Endpoint` and `AZURE_OPENAI_ENDPOINT` name `azure-openai`; `OPENAI_PROXY` names
/// `openai`; `GENERIC_OPEN_AI_BASE_PATH` names no vendor), or with the first word of one of
/// the variables the vendor's own SDK reads (Cohere's `CO_API_KEY`: `CO_BASE_URL` is Cohere's).
fn names_vendor_first(rules: &RuleSet, name: &str, vendor: &str) -> bool {
    let id: String = vendor.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_uppercase();
    let words = name_words(name);
    let own_prefix = || {
        let first = words.first();
        rules.vendor(vendor).is_some_and(|v| v.env.iter().any(|e| name_words(e).first() == first))
    };
    !id.is_empty() && (words.concat().starts_with(&id) || own_prefix())
}

/// The words of a name, upper case: split at anything not a letter or digit and at camelCase
/// humps (`parseLMStudioBasePath` → PARSE LM STUDIO BASE PATH, `ollama_base_url` → OLLAMA
/// BASE URL).
pub(crate) fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        // `aB` starts a word at B; so does `ABc` at B (the end of an acronym).
        let hump = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase() || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if hump && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_uppercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Host (lower case, holes kept) and port of a base URL; `None` without a host.
fn authority_of(url: &str) -> Option<(String, Option<u16>)> {
    let url = url.trim();
    let rest = match url.split_once("://") {
        Some((scheme, rest)) if !scheme.contains(['/', HOLE]) => rest,
        // `/api/openai`, `./v1`: a path on the app's own server.
        _ if url.starts_with(['/', '.']) => return None,
        _ => url,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest[..end].rsplit_once('@').map_or(&rest[..end], |(_, a)| a);
    // (A server named by a setting, [`setting_host`]: the name as written.)
    if setting_host(authority).is_some() {
        return Some((authority.to_string(), None));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').unwrap_or((v6, ""));
        (h, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h, Some(p)),
            _ => (authority, None),
        }
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    // (A self-hosted server named but not spelt, [`super::path::SELF_HOSTED`]: `${process.env
    // .OLLAMA_API_URL}/v1` as a client's base URL.)
    let valid = !host.is_empty()
        && (host == super::path::SELF_HOSTED
            || host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c) || c == HOLE));
    valid.then(|| (host, port.and_then(|p| p.parse().ok())))
}

/// Loopback, private and link-local addresses, `localhost`, `.local`/`.internal`/cluster
/// names and single-label hosts (a container's service name): a server the team runs.
pub fn is_self_hosted(host: &str) -> bool {
    use std::net::IpAddr;
    if let Ok(ip) = host.parse::<IpAddr>() {
        return match ip {
            IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified(),
            IpAddr::V6(v6) => {
                v6.is_loopback()
                    || v6.is_unspecified()
                    || (v6.segments()[0] & 0xfe00) == 0xfc00
                    || (v6.segments()[0] & 0xffc0) == 0xfe80
            }
        };
    }
    host == "localhost"
        || host == super::path::SELF_HOSTED
        || [".localhost", ".local", ".internal", ".lan", ".svc", ".cluster.local", ".docker.internal", ".home.arpa"]
            .iter()
            .any(|s| host.ends_with(s))
        || (!host.is_empty() && !host.contains('.') && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// Whether a host is reserved for documentation and testing and so serves no one: the
/// second-level names `example.com`, `example.net`, `example.org` (RFC 2606 section 3) and the
/// top-level names `.example`, `.test`, `.invalid` (RFC 2606 section 2, RFC 6761 section 6),
/// with every name under them. A request to one is a placeholder in a test or a sample
/// (`http://example.com/v1/chat/completions` handed to a middleware under test), never a
/// vendor's call. (`localhost`, reserved too, is a server the user runs: [`is_self_hosted`].)
pub fn is_reserved_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let under = |name: &str| host.strip_suffix(name).is_some_and(|rest| rest.is_empty() || rest.ends_with('.'));
    ["example.com", "example.net", "example.org"].iter().any(|n| under(n))
        || ["example", "test", "invalid"].iter().any(|t| under(t))
}

/// Of the two strings a conditional may hold (`c ? a : b`, `a if c else b`), the one that
/// names a proprietary vendor's host, so that a call is reported where any branch reaches a
/// vendor; else `otherwise` (the else branch), else `then`.
pub fn either_value(rules: &RuleSet, then: Option<String>, otherwise: Option<String>) -> Option<String> {
    let proprietary = |s: &String| host_of(s).and_then(|h| rules.vendor_for_host(&h)).is_some_and(|v| v.proprietary);
    match (then, otherwise) {
        (Some(t), Some(o)) if proprietary(&t) && !proprietary(&o) => Some(t),
        (t, o) => o.or(t),
    }
}

/// Of the strings a name may hold (its bindings, nearest first), the first that names a
/// proprietary vendor's host, else the first.
pub fn proprietary_first(rules: &RuleSet, values: impl Iterator<Item = String>) -> Option<String> {
    let mut first = None;
    for v in values {
        if host_of(&v).and_then(|h| rules.vendor_for_host(&h)).is_some_and(|d| d.proprietary) {
            return Some(v);
        }
        first.get_or_insert(v);
    }
    first
}

/// The lower-case host of a URL (`https://api.openai.com/v1` → `api.openai.com`); also
/// accepts `host:port/path` without a scheme.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = if let Some(stripped) = authority.strip_prefix('[') {
        stripped.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    let host = host.to_ascii_lowercase();
    let valid = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c));
    valid.then_some(host)
}

/// Every vendor host named by a URL inside a string literal (`https://api.openai.com/v1`,
/// `wss://...`), or the literal itself when it is exactly a vendor host.
pub fn endpoints_in<'r>(rules: &'r RuleSet, text: &str) -> Vec<&'r Vendor> {
    // A URL inside prose ("Connection to https://... timed out") is a mention, not an endpoint.
    if text.trim().contains(char::is_whitespace) {
        return Vec::new();
    }
    static URL: OnceLock<Regex> = OnceLock::new();
    let re = URL.get_or_init(|| Regex::new(r"(?i)\b(?:https?|wss?)://([a-z0-9.-]+)").expect("valid regex"));
    let mut out: Vec<&Vendor> = Vec::new();
    for cap in re.captures_iter(text) {
        let host = cap[1].to_ascii_lowercase();
        if let Some(v) = rules.vendor_for_api_host(host.trim_end_matches('.')) {
            if !out.iter().any(|o| o.id == v.id) {
                out.push(v);
            }
        }
    }
    if out.is_empty() && !text.contains(char::is_whitespace) {
        if let Some(v) = rules.vendor_for_api_host(&text.to_ascii_lowercase()) {
            out.push(v);
        }
    }
    out
}

/// Secret literals inside a string: (vendor, byte range) for each match.
pub fn secrets_in<'r>(rules: &'r RuleSet, text: &str) -> Vec<(&'r Vendor, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    for v in &rules.vendors {
        for re in &v.secrets {
            for m in re.find_iter(text) {
                // Inside base64 or a longer token the match is a coincidence.
                let token = |c: char| c.is_ascii_alphanumeric() || "+/=_-".contains(c);
                let before = text[..m.start()].chars().next_back().is_some_and(token);
                let after = text[m.end()..].chars().next().is_some_and(token);
                if before || after {
                    continue;
                }
                if !looks_like_placeholder(m.as_str())
                    && !out.iter().any(|(_, r): &(&Vendor, std::ops::Range<usize>)| r.start == m.start())
                {
                    out.push((v, m.range()));
                }
            }
        }
    }
    out.sort_by_key(|(_, r)| r.start);
    out
}

/// Documentation placeholders (`sk-xxxx...`, `sk-your-key-here`) are not secrets.
fn looks_like_placeholder(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if ["xxxx", "your", "example", "placeholder", "dummy", "fake", "test", "1234", "abcd", "<", "..."]
        .iter()
        .any(|p| lower.contains(p))
    {
        return true;
    }
    // Real keys are random: many distinct characters, digits and letters mixed. Look past
    // the kind prefix (`sk-proj-`, `sk-ant-api03-`): keys may contain `-` themselves.
    let tail = match s.match_indices('-').nth(1) {
        Some((i, _)) if i <= 14 => &s[i + 1..],
        _ => s.split_once('-').map_or(s, |(_, t)| t),
    };
    let distinct = {
        let mut c: Vec<char> = tail.chars().collect();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    distinct < 10 || !tail.chars().any(|c| c.is_ascii_digit()) || !tail.chars().any(|c| c.is_ascii_alphabetic())
}

/// `text` with every key-shaped token masked: the built-in shapes ([`super::keys`]) and
/// every match of a vendor's `secrets` patterns, placeholder or not, each shown as its kind
/// (`sk-proj-`, `sk-ant-`) and `…[REDACTED]`. A match inside a longer token is masked to
/// the token's end.
pub fn redact<'t>(rules: &RuleSet, text: &'t str) -> std::borrow::Cow<'t, str> {
    let mut ranges = super::keys::key_ranges(text);
    let key_char = |c: char| c.is_ascii_alphanumeric() || "_-+/=".contains(c);
    for v in &rules.vendors {
        for re in &v.secrets {
            for m in re.find_iter(text) {
                let start =
                    m.start() + m.as_str().chars().take(prefix_len(m.as_str())).map(char::len_utf8).sum::<usize>();
                let end =
                    m.end() + text[m.end()..].chars().take_while(|&c| key_char(c)).map(char::len_utf8).sum::<usize>();
                ranges.push(start..end);
            }
        }
    }
    if ranges.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(super::keys::replace(text, &super::keys::merge(ranges)))
}

/// Keep the key's kind (`sk-proj-`, `sk-ant-`) and nothing of the random part.
fn prefix_len(secret: &str) -> usize {
    let dashes: Vec<usize> = secret.match_indices('-').map(|(i, _)| i + 1).take(2).collect();
    match dashes.as_slice() {
        [_, second] if *second <= 8 => *second,
        [first, ..] => *first,
        [] => 4.min(secret.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        assert_eq!(host_of("https://api.openai.com/v1").as_deref(), Some("api.openai.com"));
        assert_eq!(host_of("http://localhost:11434/v1").as_deref(), Some("localhost"));
        assert_eq!(host_of("http://[::1]:8000").as_deref(), Some("::1"));
        assert_eq!(host_of("vllm:8000/v1").as_deref(), Some("vllm"));
        assert_eq!(host_of("").as_deref(), None);
    }

    #[test]
    fn base_urls_have_three_answers() {
        let rules = crate::rules::load_embedded();
        let v = |url: &str| vendor_for_base_url(&rules, url);
        // A vendor's host, literal or templated (a hole stands for one or more labels).
        assert_eq!(v("https://api.moonshot.ai/v1").as_deref(), Some("moonshot"));
        assert_eq!(v(&format!("https://bedrock-mantle.{HOLE}.api.aws/v1")).as_deref(), Some("aws-bedrock"));
        assert_eq!(v(&format!("https://{HOLE}.openai.azure.com/openai/v1")).as_deref(), Some("azure-openai"));
        // Self-hosted: private and link-local addresses, internal names, default ports.
        for url in [
            "http://10.0.0.5/v1",
            "http://169.254.1.1/v1",
            "http://[fd00::1]:8000/v1",
            "http://vllm.default.svc.cluster.local/v1",
            "http://gpu.example.com:11434",
            &format!("http://{HOLE}:30000/v1"),
            &format!("http://{HOLE}.svc.cluster.local/v1"),
        ] {
            assert_eq!(v(url).as_deref(), Some("openai-compatible"), "{url}");
        }
        // A public host no rule names is not portable.
        assert_eq!(v("https://llm.acme-inference.com/v1").as_deref(), Some("unknown-host"));
        // A vendor's path behind a host that says nothing.
        assert_eq!(v(&format!("{HOLE}/openai/deployments/{HOLE}")).as_deref(), Some("azure-openai"));
        // Only right after the host: a gateway's `${origin}/gateway/openai/v1` is not Azure's (chatbox).
        assert_eq!(v(&format!("{HOLE}/gateway/openai/v1")), None);
        // Nothing to go on: a relative path, a host that is only a hole.
        assert_eq!(v("/api/openai"), None);
        assert_eq!(v(&format!("{HOLE}/v1")), None);
        assert_eq!(v(&format!("https://{HOLE}/v1")), None);
    }

    #[test]
    fn env_names_decide_who_a_base_url_points_at() {
        let rules = crate::rules::load_embedded();
        let v = |name: &str| vendor_for_env_base_url(&rules, name);
        for name in ["OLLAMA_BASE_URL", "LMSTUDIO_BASE_PATH", "LM_STUDIO_URL", "LOCAL_AI_BASE_PATH", "VLLM_API_BASE"] {
            assert_eq!(v(name).as_deref(), Some("openai-compatible"), "{name}");
        }
        assert_eq!(v("TEXT_GEN_WEB_UI_BASE_PATH").as_deref(), Some("openai-compatible"));
        assert_eq!(v("NVIDIA_NIM_LLM_BASE_PATH").as_deref(), Some("openai-compatible"));
        // A vendor's own variable, or one sharing its prefix.
        assert_eq!(v("AZURE_OPENAI_ENDPOINT").as_deref(), Some("azure-openai"));
        assert_eq!(v("DEEPSEEK_BASE_URL").as_deref(), Some("deepseek"));
        assert_eq!(v("NEXT_PUBLIC_MOONSHOT_BASE_URL").as_deref(), Some("moonshot"));
        // Words inside a longer word do not count; an unknown name says nothing.
        assert_eq!(v("LOCALE"), None);
        assert_eq!(v("GENERIC_OPEN_AI_BASE_PATH"), None);
        // An OpenAI-compatible endpoint is not OpenAI's, whatever prefix it shares.
        assert_eq!(v("OPENAI_COMPATIBLE_BASE_URL").as_deref(), Some("unknown-host"));
        assert!(names_no_vendor(&rules, "openai_compatible.api_base"));
        assert!(!names_no_vendor(&rules, "settings.api_base"));
        assert!(!names_no_vendor(&rules, "INCOMPATIBLE_MODE"));
        assert!(names_no_vendor(&rules, "config.custom.apiUrl"));
        assert!(names_no_vendor(&rules, "customBaseUrl"));
        assert!(!names_no_vendor(&rules, "CUSTOMER_API_URL"));
        assert!(!names_no_vendor(&rules, "self.custom_headers"));
    }

    #[test]
    fn provider_keys_name_vendors() {
        let rules = crate::rules::load_embedded();
        let js = Ecosystem::JavaScript;
        // LangChain.js `initChatModel` keys, and vendor ids.
        assert_eq!(names_provider(&rules, js, "azure_openai").as_deref(), Some("azure-openai"));
        assert_eq!(names_provider(&rules, js, "google-genai").as_deref(), Some("google"));
        assert_eq!(names_provider(&rules, js, "ollama").as_deref(), Some("openai-compatible"));
        assert_eq!(names_provider(&rules, js, "anthropic").as_deref(), Some("anthropic"));
        assert_eq!(names_provider(&rules, js, "ready"), None);
        assert_eq!(names_provider(&rules, js, ""), None);
    }

    #[test]
    fn names_are_split_at_camel_humps() {
        assert_eq!(name_words("parseLMStudioBasePath"), ["PARSE", "LM", "STUDIO", "BASE", "PATH"]);
        assert_eq!(name_words("self.config.vllm_base_url"), ["SELF", "CONFIG", "VLLM", "BASE", "URL"]);
        assert_eq!(name_words("OLLAMA_BASE_URL"), ["OLLAMA", "BASE", "URL"]);
        let rules = crate::rules::load_embedded();
        assert!(names_self_hosted(&rules, "ollamaBaseUrl"));
        assert!(names_self_hosted(&rules, "parseLMStudioBasePath"));
        // A word inside a longer one still does not count (`locale` is not `local`).
        assert!(!names_self_hosted(&rules, "localeBaseUrl"));
        assert!(!names_self_hosted(&rules, "parseFoundryBasePath"));
        assert!(names_vendor_first(&rules, "AzureOpenAI:Endpoint", "azure-openai"));
        assert!(names_vendor_first(&rules, "OPENAI_PROXY_URL", "openai"));
        assert!(!names_vendor_first(&rules, "GENERIC_OPEN_AI_BASE_PATH", "openai"));
        assert!(!names_vendor_first(&rules, "LLM_BASE_URL", "openai"));
        // Cohere's SDK reads `CO_API_KEY` and `CO_API_URL`: `CO_BASE_URL` is its kind of name.
        assert!(names_vendor_first(&rules, "CO_BASE_URL", "cohere"));
        assert!(!names_vendor_first(&rules, "CONFIG_BASE_URL", "cohere"));
    }

    #[test]
    fn placeholders_are_not_secrets() {
        assert!(looks_like_placeholder("sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(looks_like_placeholder("sk-your-api-key-here-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assert!(!looks_like_placeholder("sk-proj-Q9fA7kL2mN4pR6sT8vW0yZ1bC3dE5gH7jK9mP2rS4uV6xY8zA0cE2"));
    }
}
