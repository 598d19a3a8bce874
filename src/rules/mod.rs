//! The validated rule model everything after `load` uses: vendors, frameworks, SDKs,
//! client constructors and API operations, with the indexes matching needs. Built only by
//! [`load`]; nothing after loading checks a rule again.

pub mod example;
pub mod explain;
pub mod load;
pub mod raw;
pub mod substitutes;

use crate::ecosystem::Ecosystem;
use crate::error::Location;
use crate::finding::{Capability, Kind, Severity};
use regex::{Regex, RegexSet};
use std::collections::{BTreeMap, HashMap};

pub use load::{load, load_embedded, RuleSource};
pub use substitutes::Substitutes;

/// A vendor: who serves requests.
#[derive(Debug, Clone)]
pub struct Vendor {
    /// Id, e.g. `openai`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether depending on it is a lock-in risk.
    pub proprietary: bool,
    /// The vendor assigned to clients aimed at a self-hosted server.
    pub portable: bool,
    /// The vendor assigned to clients aimed at a public host no vendor lists.
    pub unknown_hosts: bool,
    /// Serves open-weight models (its substitute is the same model self-hosted).
    pub open_weights: bool,
    /// Its endpoints are the customer's own resources of this vendor (Azure OpenAI's
    /// `https://<resource>.openai.azure.com`): a client of its SDK whose endpoint is read at
    /// run time under a name that says nothing of the vendor is still served by it.
    pub resource_endpoints: bool,
    /// API host globs.
    pub hosts: Vec<String>,
    /// Host globs of the vendor's own consumer applications (`chatgpt.com`, `claude.ai`),
    /// whose private backends some code drives with a user's session: a request to one is
    /// served by the vendor, but a URL naming one in a string literal is a link, not an
    /// API endpoint ([`RuleSet::vendor_for_api_host`]).
    pub app_hosts: Vec<String>,
    /// Path markers that name the vendor when a base URL's host does not (`/openai/deployments/`
    /// behind `${endpoint}`), lower case.
    pub base_url_paths: Vec<String>,
    /// Request headers only this vendor's API takes (`anthropic-version`), lower case: a
    /// request carrying one, to a URL whose host is not in sight, is a call of this vendor.
    pub headers: Vec<String>,
    /// The vendor's credential header (`api-key`), lower case: it names the vendor only on
    /// a request whose URL path names an operation (other APIs share such names).
    pub key_headers: Vec<String>,
    /// Portable vendor only: default ports of self-hosted servers (Ollama's 11434, ...).
    pub ports: Vec<u16>,
    /// Portable vendor: upper-case words of environment variable names that name a
    /// self-hosted server (`OLLAMA`, `LMSTUDIO`; `LM_STUDIO` joins adjacent words). The
    /// unknown-host vendor: words of a name that says its endpoint is one the user sets, of
    /// no vendor (`COMPATIBLE`: `OPENAI_COMPATIBLE_BASE_URL` is not OpenAI's).
    pub env_words: Vec<String>,
    /// Credential and configuration variables.
    pub env: Vec<String>,
    /// Model-name globs.
    pub models: Vec<String>,
    /// Model-name globs reported only in a model context.
    pub context_models: Vec<String>,
    /// Credential literal patterns.
    pub secrets: Vec<Regex>,
    /// One paragraph for `rules explain`.
    pub docs: String,
    /// Where `[vendor]` is declared.
    pub source: Location,
}

/// How an HTTP library's request object (or URI) keeps the URL it is sent to
/// (`[[request_object]]` of rules/http.toml): a request built in one place and sent in another
/// (`client.send(request)`, `httpClient.execute(request)`) reads as a request to that URL.
#[derive(Debug, Clone)]
pub struct RequestObject {
    /// The ecosystem whose code builds it.
    pub ecosystem: Ecosystem,
    /// Qualified names of what makes one: a type constructed (`java.net.URI`), a static
    /// factory (`java.net.URI.create`) or a builder's root (`okhttp3.Request.Builder`,
    /// `java.net.http.HttpRequest.newBuilder`), matched by their class part as written
    /// ([`RequestObject::made_by_written`]).
    pub made_by: Vec<String>,
    /// The builder setter or initializer property that takes the URL (`uri`, `RequestUri`).
    pub url_setter: Option<String>,
    /// Where the constructor, factory or builder root takes the URL among its positional
    /// arguments (`new HttpRequestMessage(method, url)`: 1).
    pub url_position: usize,
    /// The name of the URL parameter when passed by name (`requestUri:`).
    pub url_keyword: Option<String>,
    /// The setter given two arguments joins them with one `/` (`url(baseUrl, path)`).
    pub joins: bool,
}

/// A framework's model interface (`[[interface]]`): code that calls a model through a value of
/// one of `types` (a parameter, field or return type: `ChatModel model`) calls whichever of the
/// framework's implementations (clients of `apis`) the scanned project builds.
#[derive(Debug, Clone)]
pub struct Interface {
    /// The ecosystem whose code declares the type.
    pub ecosystem: Ecosystem,
    /// Qualified names of the interface (`dev.langchain4j.model.chat.ChatModel`).
    pub types: Vec<String>,
    /// The `api` of the client definitions implementing it (`langchain4j`).
    pub apis: Vec<String>,
    /// Where only some classes of those apis implement it: the endings of their names
    /// (`StreamingChatModel`); empty, every class.
    pub implemented_by: Vec<String>,
    /// Endings of the names of those apis' classes that do not implement it.
    pub not_implemented_by: Vec<String>,
    /// The constructor of the framework's OpenAI-compatible implementation
    /// (`org.springframework.ai.openai.OpenAiChatModel`): a class implementing the interface
    /// that delegates to a value of it built elsewhere and names its own endpoint (`static final
    /// String BASE_URL = "https://api.baichuan-ai.com"`) calls that endpoint through it.
    pub compatible: Option<String>,
}

impl Interface {
    /// Whether the class named `class` (simple name) of one of its apis implements it.
    pub fn implemented_by(&self, class: &str) -> bool {
        (self.implemented_by.is_empty() || self.implemented_by.iter().any(|e| class.ends_with(e.as_str())))
            && !self.not_implemented_by.iter().any(|e| class.ends_with(e.as_str()))
    }
}

impl RequestObject {
    /// Whether `written` (`HttpPost`, `okhttp3.Request.Builder`, `URI.create`, generics left
    /// out) names one of [`RequestObject::made_by`]: it ends with that name's class part (from
    /// its first capitalised segment after the package on; a .NET type's own name) at a
    /// segment boundary, so a bare `Builder` is no `Request.Builder`.
    pub fn made_by_written(&self, written: &str) -> bool {
        let written: String =
            written.split('<').next().unwrap_or(written).chars().filter(|c| !c.is_whitespace()).collect();
        self.made_by.iter().any(|m| {
            let parts: Vec<&str> = m.split('.').collect();
            let upper = |p: &&str| p.starts_with(|c: char| c.is_ascii_uppercase());
            // (.NET namespaces are capitalised too: there, the type's own name.)
            let i = match (1..parts.len()).find(|&i| upper(&parts[i]) && !upper(&parts[i - 1])) {
                Some(i) => i,
                None if parts.iter().all(upper) => parts.len() - 1,
                None => return false,
            };
            let class_part = parts[i..].join(".");
            written == class_part || written.ends_with(&format!(".{class_part}")) && m.ends_with(&written)
        })
    }
}

/// A framework that wraps vendors (LangChain, LlamaIndex).
#[derive(Debug, Clone)]
pub struct Framework {
    /// Id, e.g. `langchain`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One paragraph for `rules explain`.
    pub docs: String,
    /// Functions that return the client they are given (`instructor.from_openai(client)`).
    pub passthrough: Vec<String>,
    /// Keyword arguments that give a passthrough its client, in order of preference, when its
    /// first argument is not one (LlamaIndex's `VectorStoreIndex.from_documents(docs,
    /// embed_model=..)`, `RetrieverQueryEngine.from_args(retriever, llm=..)`).
    pub passthrough_args: Vec<String>,
    /// Methods of a value a passthrough made that give it another client through one of
    /// `passthrough_args` (`index.as_query_engine(llm=..)`); without one they are transparent.
    pub passthrough_methods: Vec<String>,
    /// Global settings a passthrough given no client falls back to, when the file assigns them
    /// (`Settings.llm = Ollama(..)` for `llama_index.core.Settings.llm`), in order of preference.
    pub passthrough_defaults: Vec<String>,
    /// Segments skipped when matching operations of every client of this framework's api
    /// (`with_retry`, `with_config`).
    pub transparent: Vec<String>,
    /// Where `[framework]` is declared.
    pub source: Location,
}

/// An SDK: packages manifests declare and modules code imports.
#[derive(Debug, Clone)]
pub struct Sdk {
    /// Owning vendor id.
    pub vendor: String,
    /// The ecosystem whose code imports it and whose manifests declare it.
    pub ecosystem: Ecosystem,
    /// Normalised package names.
    pub packages: Vec<String>,
    /// Import roots.
    pub modules: Vec<String>,
}

/// A way to obtain a client of an API.
#[derive(Debug, Clone)]
pub struct ClientDef {
    /// Default vendor (the declaring file's).
    pub vendor: String,
    /// The ecosystem whose code builds it.
    pub ecosystem: Ecosystem,
    /// API surface whose operations apply.
    pub api: String,
    /// Dotted constructor paths.
    pub constructors: Vec<String>,
    /// Modules that are a ready client.
    pub modules: Vec<String>,
    /// Allowed first arguments (empty: any).
    pub first_arg: Vec<String>,
    /// Keyword arguments that carry a base URL.
    pub base_url: Vec<String>,
    /// Segments skipped when matching operations.
    pub transparent: Vec<String>,
    /// Calls on the client that select a model: `client` findings (`""` = the client itself).
    pub factories: Vec<String>,
    /// Methods that take a command object (`send`).
    pub command_methods: Vec<String>,
    /// The argument whose client decides the vendor (`model`).
    pub vendor_from: Option<String>,
    /// Method-name suffixes of variants (`_async`): `chat.complete_async` is `chat.complete`.
    pub suffixes: Vec<String>,
    /// Module attributes that switch the vendor of a ready (module) client:
    /// `openai.api_type = "azure"` makes the 0.x module API Azure's.
    pub vendor_when: Vec<raw::RawVendorWhen>,
    /// With `vendor_from`: model-string prefixes that name a vendor (`gemini` → `google`).
    pub vendor_prefixes: BTreeMap<String, String>,
    /// With `vendor_from`: keyword arguments that name the provider on their own
    /// (`model_provider="openai"`), looked up like a prefix.
    pub provider_from: Vec<String>,
    /// For an HTTP library (`rules/http.toml`): the methods that send a request to the URL
    /// they are given (`post`, `get`; `__call__` is calling the client itself, `fetch(url)`).
    pub requests: Vec<String>,
    /// With `vendor_from` on `modules`: a call whose model is read at run time
    /// (`litellm.completion(**params)`) is still reported, under the unknown-host vendor
    /// ("vendor set by configuration"), instead of being left out.
    pub run_time_calls: bool,
    /// With `vendor_from` on `constructors`: the client built names no vendor; each
    /// operation call's own `vendor_from`/`provider_from` argument decides (token.js:
    /// `new TokenJS()`, then `chat.completions.create({ provider: "anthropic", .. })`).
    pub vendor_per_call: bool,
    /// With `requests` and `base_url`: every request goes to a path under the base URL that
    /// a request object gives (restclientgo's `client.Post(ctx, req, &resp)` requests
    /// `endpoint + req.Path()`), read as a path out of sight, not as no URL.
    pub path_in_request: bool,
    /// With `requests` and `base_url`: a relative request URI is resolved against the base
    /// URL as RFC 3986 section 5.2 does (.NET `HttpClient.BaseAddress`): `/v1/x` replaces the
    /// base's path, `x` its last segment unless the base ends in `/`. Otherwise the two are
    /// joined with one `/` between them (axios, httpx, got).
    pub resolves_uris: bool,
    /// With `requests`: the methods that send what a request method returns, when the code
    /// holds it in a variable first (OkHttp's `Call call = client.newCall(request);` sent by
    /// `call.execute()` or `call.enqueue(callback)`): the request is reported at that send.
    pub sent_by: Vec<String>,
}

/// The fixed documentation headings of a rule.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    /// What it finds.
    pub what: String,
    /// Why it matters for lock-in.
    pub why: String,
    /// Code it matches: a few lines whose marked line ([`example::marked_line`]) produces the
    /// rule when scanned as [`Docs::example_file`].
    pub example: String,
    /// The file the example is written in (`app.py`, `app.ts`, `package.json`): its
    /// extension or name gives the language.
    pub example_file: String,
    /// What to do instead.
    pub instead: String,
}

/// An API operation: a `call` rule.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Rule id.
    pub id: String,
    /// Id of the declaring vendor or framework.
    pub owner: String,
    /// API surface.
    pub api: String,
    /// Capability.
    pub capability: Capability,
    /// Severity.
    pub severity: Severity,
    /// Paths after the client instance.
    pub on_client: Vec<String>,
    /// URL path patterns of the same operation called over HTTP (`/v1/chat/completions`,
    /// `/model/{id}/invoke`; `*` any path of the vendor's hosts): see `detect::http`.
    pub http: Vec<String>,
    /// Ports the `http` patterns need (empty: any): an API whose paths are common words
    /// (Ollama's `/api/chat`) is named by its default port as well.
    pub http_ports: Vec<u16>,
    /// One-line message.
    pub message: String,
    /// Documentation.
    pub docs: Docs,
    /// Where it is declared.
    pub source: Location,
}

/// Any rule, as listed by `lockin rules list` and explained by `lockin rules explain`.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    /// Rule id.
    pub id: String,
    /// Vendor or framework id.
    pub owner: String,
    /// Vendor or framework display name.
    pub owner_name: String,
    /// Whether the owner is a proprietary vendor (frameworks: false).
    pub proprietary: bool,
    /// Finding kind.
    pub kind: Kind,
    /// Capability (`other` for non-call kinds).
    pub capability: Capability,
    /// Severity.
    pub severity: Severity,
    /// Message.
    pub message: String,
    /// Documentation.
    pub docs: Docs,
    /// Where it is declared.
    pub source: Location,
    /// For call rules, the API surface.
    pub api: Option<String>,
}

/// The loaded, validated rules and their lookup indexes.
#[derive(Debug)]
pub struct RuleSet {
    /// Vendors sorted by id.
    pub vendors: Vec<Vendor>,
    /// Frameworks sorted by id.
    pub frameworks: Vec<Framework>,
    /// SDKs.
    pub sdks: Vec<Sdk>,
    /// Client definitions of SDKs and frameworks.
    pub clients: Vec<ClientDef>,
    /// HTTP libraries (`requests`, `fetch`, `reqwest`): clients with `requests`, kept apart
    /// from SDK clients so that they are never `import`, `client` or prefilter evidence.
    pub http_clients: Vec<ClientDef>,
    /// Request objects of HTTP libraries ([`RequestObject`]).
    pub request_objects: Vec<RequestObject>,
    /// Frameworks' model interfaces ([`Interface`]).
    pub interfaces: Vec<Interface>,
    /// Operations sorted by id.
    pub operations: Vec<Operation>,
    /// Open substitutes and scoring weights.
    pub substitutes: Substitutes,
    /// Deprecated and retired models (`rules/lifecycle.toml`).
    pub lifecycle: crate::lifecycle::Lifecycle,
    index: Index,
}

#[derive(Debug, Default)]
struct Index {
    vendor_by_id: HashMap<String, usize>,
    constructors: HashMap<(Ecosystem, String), Vec<usize>>,
    module_clients: HashMap<(Ecosystem, String), Vec<usize>>,
    operations: HashMap<(String, String), usize>,
    packages: HashMap<(Ecosystem, String), usize>,
    /// Each SDK module name: the first SDK that lists it and where ([`RuleSet::sdk_for_module`]).
    sdk_modules: HashMap<(Ecosystem, String), (usize, usize)>,
    env: HashMap<String, usize>,
    models: Ordered,
    context_models: Ordered,
    hosts: Ordered,
    /// Of `hosts`, how many lead the list as API hosts; the consumer applications' hosts
    /// follow them.
    api_hosts: usize,
    portable: Option<usize>,
    unknown_hosts: Option<usize>,
    passthrough: HashMap<String, usize>,
    http_constructors: HashMap<(Ecosystem, String), Vec<usize>>,
    http_modules: HashMap<(Ecosystem, String), Vec<usize>>,
    /// Model-class globs by index into `substitutes.classes`.
    classes: Vec<(usize, Regex)>,
}

impl RuleSet {
    fn new(
        mut vendors: Vec<Vendor>,
        mut frameworks: Vec<Framework>,
        sdks: Vec<Sdk>,
        mut clients: Vec<ClientDef>,
        mut operations: Vec<Operation>,
        substitutes: Substitutes,
    ) -> RuleSet {
        for f in &frameworks {
            for c in clients.iter_mut().filter(|c| c.api == f.id) {
                c.transparent.extend(f.transparent.iter().cloned());
            }
        }
        let (http_clients, clients): (Vec<ClientDef>, Vec<ClientDef>) =
            clients.into_iter().partition(|c| !c.requests.is_empty());
        vendors.sort_by(|a, b| a.id.cmp(&b.id));
        frameworks.sort_by(|a, b| a.id.cmp(&b.id));
        operations.sort_by(|a, b| a.id.cmp(&b.id));
        let mut index = Index::default();
        // Compiling the vendors' glob regexes is most of building the set: on every core.
        let compiled: Vec<[Vec<Regex>; 4]> = {
            use rayon::prelude::*;
            vendors
                .par_iter()
                .map(|v| {
                    [
                        globs_regexes(&v.models, false),
                        globs_regexes(&v.context_models, false),
                        globs_regexes(&v.hosts, true),
                        globs_regexes(&v.app_hosts, true),
                    ]
                })
                .collect()
        };
        let mut app_hosts = Vec::new();
        let (mut models_of, mut context_models_of, mut hosts_of) = (Vec::new(), Vec::new(), Vec::new());
        for ((i, v), [models, context_models, hosts, apps]) in vendors.iter().enumerate().zip(compiled) {
            index.vendor_by_id.insert(v.id.clone(), i);
            for e in &v.env {
                index.env.entry(e.clone()).or_insert(i);
            }
            models_of.extend(models.into_iter().map(|re| (i, re)));
            context_models_of.extend(context_models.into_iter().map(|re| (i, re)));
            hosts_of.extend(hosts.into_iter().map(|re| (i, re)));
            app_hosts.extend(apps.into_iter().map(|re| (i, re)));
            if v.portable {
                index.portable = Some(i);
            }
            if v.unknown_hosts {
                index.unknown_hosts = Some(i);
            }
        }
        index.api_hosts = hosts_of.len();
        hosts_of.extend(app_hosts);
        index.models = Ordered::new(models_of);
        index.context_models = Ordered::new(context_models_of);
        index.hosts = Ordered::new(hosts_of);
        for (i, c) in substitutes.classes.iter().enumerate() {
            index.classes.extend(globs_regexes(&c.models, false).into_iter().map(|re| (i, re)));
        }
        for (i, f) in frameworks.iter().enumerate() {
            for p in &f.passthrough {
                index.passthrough.insert(p.clone(), i);
            }
        }
        for (i, c) in clients.iter().enumerate() {
            for k in &c.constructors {
                index.constructors.entry((c.ecosystem, k.clone())).or_default().push(i);
            }
            for m in &c.modules {
                index.module_clients.entry((c.ecosystem, m.clone())).or_default().push(i);
            }
        }
        for (i, c) in http_clients.iter().enumerate() {
            for k in &c.constructors {
                index.http_constructors.entry((c.ecosystem, k.clone())).or_default().push(i);
            }
            for m in &c.modules {
                index.http_modules.entry((c.ecosystem, m.clone())).or_default().push(i);
            }
        }
        for (i, op) in operations.iter().enumerate() {
            for p in &op.on_client {
                index.operations.insert((op.api.clone(), p.clone()), i);
            }
        }
        for (i, s) in sdks.iter().enumerate() {
            for p in &s.packages {
                index.packages.insert((s.ecosystem, p.clone()), i);
            }
            for (j, m) in s.modules.iter().enumerate() {
                index.sdk_modules.entry((s.ecosystem, m.clone())).or_insert((i, j));
            }
        }
        RuleSet {
            vendors,
            frameworks,
            sdks,
            clients,
            http_clients,
            request_objects: Vec::new(),
            interfaces: Vec::new(),
            operations,
            substitutes,
            lifecycle: crate::lifecycle::Lifecycle::default(),
            index,
        }
    }

    /// The first model class of `rules/substitutes.toml` whose globs name `model` and that
    /// applies to `capability`.
    pub fn model_class(&self, model: &str, capability: Capability) -> Option<&substitutes::ModelClass> {
        let model = model.to_ascii_lowercase();
        self.index
            .classes
            .iter()
            .filter(|(i, re)| {
                self.substitutes.classes[*i].capability.is_none_or(|c| c == capability) && re.is_match(&model)
            })
            .map(|(i, _)| *i)
            .min()
            .map(|i| &self.substitutes.classes[i])
    }

    /// The vendor with this id.
    pub fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.index.vendor_by_id.get(id).map(|&i| &self.vendors[i])
    }

    /// The vendor assigned to clients aimed at a self-hosted server, if any is declared.
    pub fn portable_vendor(&self) -> Option<&Vendor> {
        self.index.portable.map(|i| &self.vendors[i])
    }

    /// The vendor assigned to clients aimed at a public host no vendor lists, if declared.
    pub fn unknown_host_vendor(&self) -> Option<&Vendor> {
        self.index.unknown_hosts.map(|i| &self.vendors[i])
    }

    /// Client definitions whose constructor is `path` (dotted, no call markers).
    pub fn clients_constructed_by(&self, ecosystem: Ecosystem, path: &str) -> &[usize] {
        self.index.constructors.get(&(ecosystem, path.to_string())).map_or(&[], Vec::as_slice)
    }

    /// The framework model interface named `qualified` in `lang` ([`Interface`]).
    pub fn interface(&self, lang: Ecosystem, qualified: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| i.ecosystem == lang && i.types.iter().any(|t| t == qualified))
    }

    /// Whether clients of `api` implement a framework model interface of `lang`.
    pub fn implements_interface(&self, lang: Ecosystem, api: &str) -> bool {
        self.interfaces.iter().any(|i| i.ecosystem == lang && i.apis.iter().any(|a| a == api))
    }

    /// For a passthrough whose framework declares operations of its own api (Instructor's
    /// `create`), the marker segment (`@instructor`) put after the wrapped client.
    pub fn passthrough_marker(&self, path: &str) -> Option<String> {
        let f = &self.frameworks[*self.index.passthrough.get(path)?];
        self.operations.iter().any(|o| o.api == f.id).then(|| format!("@{}", f.id))
    }

    /// Whether `method` sets the base URL of some client of `ecosystem` on the client itself
    /// (openai_dive's `client.set_base_url(url)`): a statement calling it changes who serves
    /// what the client sends after it.
    pub fn is_base_url_setter(&self, ecosystem: Ecosystem, method: &str) -> bool {
        !method.starts_with('#')
            && self.clients.iter().any(|c| c.ecosystem == ecosystem && c.base_url.iter().any(|b| b == method))
    }

    /// Whether calling `path` returns the client passed as its first argument.
    pub fn is_passthrough(&self, path: &str) -> bool {
        self.index.passthrough.contains_key(path)
    }

    /// The keyword arguments that may carry the client of passthrough `path`, in order of
    /// preference (empty: its first argument does).
    pub fn passthrough_args(&self, path: &str) -> &[String] {
        self.index.passthrough.get(path).map_or(&[], |i| self.frameworks[*i].passthrough_args.as_slice())
    }

    /// The global settings passthrough `path` falls back to when given no client.
    pub fn passthrough_defaults(&self, path: &str) -> &[String] {
        self.index.passthrough.get(path).map_or(&[], |i| self.frameworks[*i].passthrough_defaults.as_slice())
    }

    /// For a call of `method` on a value wrapped behind marker `@<framework>` (`marker`
    /// without its `@`): the framework's `passthrough_args` when `method` is one of its
    /// `passthrough_methods` (`index.as_query_engine(llm=..)`).
    pub fn passthrough_method(&self, marker: &str, method: &str) -> Option<&[String]> {
        let f = self.frameworks.iter().find(|f| f.id == marker)?;
        f.passthrough_methods.iter().any(|m| m == method).then_some(f.passthrough_args.as_slice())
    }

    /// Client definitions for which module `path` is a ready client.
    pub fn module_clients(&self, ecosystem: Ecosystem, path: &str) -> &[usize] {
        self.index.module_clients.get(&(ecosystem, path.to_string())).map_or(&[], Vec::as_slice)
    }

    /// HTTP client definitions built by calling `path` (`requests.Session`, `reqwest.Client.new`).
    pub fn http_constructed_by(&self, ecosystem: Ecosystem, path: &str) -> &[usize] {
        self.index.http_constructors.get(&(ecosystem, path.to_string())).map_or(&[], Vec::as_slice)
    }

    /// HTTP client definitions that module `path` is (`requests`, `fetch`, `axios`).
    pub fn http_modules(&self, ecosystem: Ecosystem, path: &str) -> &[usize] {
        self.index.http_modules.get(&(ecosystem, path.to_string())).map_or(&[], Vec::as_slice)
    }

    /// The operation with this rule id.
    pub fn operation_by_id(&self, id: &str) -> Option<&Operation> {
        self.operations.binary_search_by(|o| o.id.as_str().cmp(id)).ok().map(|i| &self.operations[i])
    }

    /// The operation of `api` whose `on_client` contains `path`.
    pub fn operation(&self, api: &str, path: &str) -> Option<&Operation> {
        self.index.operations.get(&(api.to_string(), path.to_string())).map(|&i| &self.operations[i])
    }

    /// The one operation that every method of resource `prefix` of `api` names
    /// (`chat.completions` → `create`, `parse`, `stream` are all chat completions), for a
    /// method chosen at run time; `None` when the resource has no method or several operations.
    pub fn operation_of_any(&self, api: &str, prefix: &str) -> Option<&Operation> {
        let mut found: Option<usize> = None;
        for ((a, key), &i) in &self.index.operations {
            let method = match key.strip_prefix(prefix).and_then(|k| k.strip_prefix('.')) {
                Some(m) if a == api && !m.contains('.') => m,
                _ => continue,
            };
            debug_assert!(!method.is_empty());
            match found {
                Some(j) if self.operations[j].id != self.operations[i].id => return None,
                _ => found = Some(i),
            }
        }
        found.map(|i| &self.operations[i])
    }

    /// The SDK that declares package `name` (already normalised).
    pub fn sdk_for_package(&self, ecosystem: Ecosystem, name: &str) -> Option<&Sdk> {
        self.index.packages.get(&(ecosystem, name.to_string())).map(|&i| &self.sdks[i])
    }

    /// The SDK whose module is `module` or a parent of it, longest module first.
    pub fn sdk_for_module(&self, ecosystem: Ecosystem, module: &str) -> Option<(&Sdk, &str)> {
        // The module itself, then each parent (`a.b` of `a.b.c`), longest first: the first
        // listed is the longest match (the first SDK to list it, as a scan of every SDK's
        // modules would find).
        let mut candidate = module;
        loop {
            if let Some(&(i, j)) = self.index.sdk_modules.get(&(ecosystem, candidate.to_string())) {
                let s = &self.sdks[i];
                return Some((s, s.modules[j].as_str()));
            }
            candidate = &candidate[..candidate.rfind('.')?];
        }
    }

    /// The vendor that reads environment variable `name`.
    pub fn vendor_for_env(&self, name: &str) -> Option<&Vendor> {
        self.index.env.get(name).map(|&i| &self.vendors[i])
    }

    /// The vendor whose model globs match the whole literal. `in_context` also allows the
    /// ambiguous `context_models`. URLs, globs, paths and file names are never models.
    pub fn vendor_for_model(&self, literal: &str, in_context: bool) -> Option<&Vendor> {
        if literal.len() > 120
            || literal.contains(char::is_whitespace)
            || literal.contains("://")
            || literal.contains('*')
        {
            return None;
        }
        // `vendor/model` is a model id; deeper paths only when a glob says so
        // (`accounts/fireworks/models/*`), or in a model argument, where a router's
        // provider prefix comes before an id with its own organisation
        // (`nvidia_nim/meta/llama3-70b-instruct` for LiteLLM).
        let deep = !in_context && literal.matches('/').count() > 1;
        let ext = literal.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if ext.is_some_and(|e| {
            matches!(
                e.as_str(),
                "py" | "md"
                    | "json"
                    | "png"
                    | "jpg"
                    | "jpeg"
                    | "txt"
                    | "csv"
                    | "yaml"
                    | "yml"
                    | "ts"
                    | "js"
                    | "html"
                    | "pdf"
            )
        }) {
            return None;
        }
        let lower = literal.to_ascii_lowercase();
        let deep_glob = |i: usize| self.vendors[i].models.iter().any(|g| g.matches('/').count() > 1);
        let hit = self.index.models.first(&lower, |i| !deep || deep_glob(i));
        let hit = hit.or_else(|| in_context.then(|| self.index.context_models.first(&lower, |_| true)).flatten());
        hit.map(|i| &self.vendors[i])
    }

    /// The vendor whose hosts include `host` (lower-case, no port): its API hosts, or the
    /// hosts of its own applications (`app_hosts`), whose requests it serves too.
    pub fn vendor_for_host(&self, host: &str) -> Option<&Vendor> {
        self.index.hosts.first(host, |_| true).map(|i| &self.vendors[i])
    }

    /// The vendor whose API hosts include `host`: what a URL in a string literal is an
    /// endpoint of (a link to a vendor's application is none).
    pub fn vendor_for_api_host(&self, host: &str) -> Option<&Vendor> {
        self.index.hosts.first_of(host, self.index.api_hosts, |_| true).map(|i| &self.vendors[i])
    }

    /// The vendor one of whose `base_url_paths` occurs in `url` (compared in lower case).
    pub fn vendor_for_base_path(&self, url: &str) -> Option<&Vendor> {
        let lower = url.to_ascii_lowercase();
        // The path right after the host: `${endpoint}/openai/v1` is Azure's, a gateway's
        // `${origin}/gateway/openai/v1` is not.
        let rest = lower.split_once("://").map_or(lower.as_str(), |(_, r)| r);
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        // A custom method (`:generateContent`) ends a path wherever the path is.
        let names = |p: &str| if p.starts_with(':') { lower.contains(p) } else { base_path_names(p, path) };
        self.vendors.iter().find(|v| v.base_url_paths.iter().any(|p| names(&p.to_ascii_lowercase())))
    }

    /// Every literal that may reveal a vendor, for the prefilter.
    pub fn literals(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in &self.sdks {
            for m in &s.modules {
                out.push(m.rsplit('.').next().unwrap_or(m).to_string());
            }
            out.extend(s.packages.iter().cloned());
        }
        for c in &self.clients {
            for k in &c.constructors {
                // `boto3.client` is found by its module; a wrapper class by its last segment.
                out.push(k.split('.').next().unwrap_or(k).to_string());
            }
        }
        for v in &self.vendors {
            out.extend(v.env.iter().cloned());
            for h in v.hosts.iter().chain(&v.app_hosts) {
                out.extend(literal_part(h));
            }
            for m in v.models.iter().chain(&v.context_models) {
                out.extend(literal_part(m));
            }
            for s in &v.secrets {
                out.extend(regex_prefix(s.as_str()));
            }
        }
        out.retain(|l| l.len() >= 3);
        out.sort();
        out.dedup();
        out
    }

    /// Every rule: the operations plus the per-vendor kind rules, sorted by id.
    pub fn rules(&self) -> Vec<RuleInfo> {
        let mut out: Vec<RuleInfo> = Vec::new();
        for op in &self.operations {
            let (owner_name, proprietary) = self.owner(&op.owner);
            out.push(RuleInfo {
                id: op.id.clone(),
                owner: op.owner.clone(),
                owner_name,
                proprietary,
                kind: Kind::Call,
                capability: op.capability,
                severity: op.severity,
                message: op.message.clone(),
                docs: op.docs.clone(),
                source: op.source.clone(),
                api: Some(op.api.clone()),
            });
        }
        for v in &self.vendors {
            for kind in self.kinds_of(v) {
                out.push(explain::kind_rule(v, kind, example::kind_example(self, v, kind)));
            }
        }
        out.extend(self.lifecycle.rules());
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<RuleInfo> {
        self.rules().into_iter().find(|r| r.id == id)
    }

    /// The display name of a vendor or framework id (the id itself if unknown).
    pub fn owner_name(&self, id: &str) -> String {
        self.owner(id).0
    }

    fn owner(&self, id: &str) -> (String, bool) {
        if id == crate::lifecycle::OWNER {
            return ("Model lifecycle".into(), false);
        }
        if let Some(v) = self.vendor(id) {
            return (v.name.clone(), v.proprietary);
        }
        let name = self.frameworks.iter().find(|f| f.id == id).map_or(id, |f| &f.name);
        (name.to_string(), false)
    }

    /// The kinds of rule a vendor's data supports.
    fn kinds_of(&self, v: &Vendor) -> Vec<Kind> {
        let sdks = self.sdks.iter().filter(|s| s.vendor == v.id);
        let (mut modules, mut packages) = (false, false);
        for s in sdks {
            modules |= !s.modules.is_empty();
            packages |= !s.packages.is_empty();
        }
        // A framework's client chosen by a model string (`dspy.LM("...")`) may be any vendor's.
        let chosen = self
            .clients
            .iter()
            .any(|c| c.vendor_from.is_some() && !c.constructors.is_empty() && self.vendor(&c.vendor).is_none());
        let clients = self.clients.iter().any(|c| c.vendor == v.id) || v.portable || chosen;
        let mut kinds = Vec::new();
        let mut push = |on: bool, k: Kind| {
            if on {
                kinds.push(k)
            }
        };
        push(modules || v.portable, Kind::Import);
        push(clients, Kind::Client);
        push(packages, Kind::Dependency);
        push(!v.models.is_empty() || !v.context_models.is_empty(), Kind::Model);
        push(!v.hosts.is_empty(), Kind::Endpoint);
        push(!v.env.is_empty(), Kind::Env);
        push(!v.secrets.is_empty(), Kind::Secret);
        kinds
    }

    /// Whether a rule id exists (for suppressions and policy checks).
    pub fn has_rule(&self, id: &str) -> bool {
        self.rules().iter().any(|r| r.id == id)
    }

    /// Operations grouped by API, for documentation.
    pub fn apis(&self) -> BTreeMap<&str, Vec<&Operation>> {
        let mut m: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
        for op in &self.operations {
            m.entry(op.api.as_str()).or_default().push(op);
        }
        m
    }
}

/// The kind rule id of a vendor: `openai.import`.
pub fn kind_rule_id(vendor: &str, kind: Kind) -> String {
    format!("{vendor}.{kind}")
}

/// One case-insensitive, anchored regex for a list of globs (`*` any run, `?` one char).
/// Host globs match only host characters.
/// Globs per regex: one regex for a whole long list would pass the regex size limit (a
/// custom rule file's thousands of model names).
const GLOBS_PER_REGEX: usize = 256;

/// The pattern of one glob, lower case: `*` any run (in a host, of host characters), `?` one.
fn glob_pattern(glob: &str, host: bool) -> String {
    let any = if host { "[a-z0-9.-]*" } else { ".*" };
    let one = if host { "[a-z0-9-]" } else { "." };
    let mut s = String::new();
    for ch in glob.to_ascii_lowercase().chars() {
        match ch {
            '*' => s.push_str(any),
            '?' => s.push_str(one),
            c => s.push_str(&regex::escape(&c.to_string())),
        }
    }
    s
}

/// Regexes tried in order, each owned by a vendor: one pass of a [`RegexSet`] over a text
/// finds every regex that matches, and the first of them (in rule order) wins, as trying each
/// in turn would (a string literal was tried against some 150 regexes one by one: a large
/// part of a scan of a test-heavy tree, issue 15).
#[derive(Debug, Default)]
struct Ordered {
    /// All of `regexes` at once; `None` (each tried in turn) when the set is too large.
    set: Option<RegexSet>,
    regexes: Vec<(usize, Regex)>,
}

impl Ordered {
    fn new(regexes: Vec<(usize, Regex)>) -> Ordered {
        let set =
            regex::RegexSetBuilder::new(regexes.iter().map(|(_, re)| re.as_str())).size_limit(64 << 20).build().ok();
        Ordered { set, regexes }
    }

    /// The owner of the first regex matching `text` whose owner `keep` accepts.
    fn first(&self, text: &str, keep: impl Fn(usize) -> bool) -> Option<usize> {
        self.first_of(text, self.regexes.len(), keep)
    }

    /// [`Ordered::first`] among the first `n` regexes.
    fn first_of(&self, text: &str, n: usize, keep: impl Fn(usize) -> bool) -> Option<usize> {
        let owners = |k: usize| self.regexes[k].0;
        match &self.set {
            Some(set) if !self.regexes.is_empty() => {
                set.matches(text).iter().take_while(|&k| k < n).map(owners).find(|&i| keep(i))
            }
            _ => self.regexes[..n].iter().find(|(i, re)| keep(*i) && re.is_match(text)).map(|(i, _)| *i),
        }
    }
}

fn anchored(patterns: &[String]) -> Option<Regex> {
    Regex::new(&format!("^(?:{})$", patterns.join("|"))).ok()
}

/// Glob length (bytes) within which a glob always compiles, whatever its characters (the
/// test `short_globs_always_compile` compiles the largest such patterns).
const SHORT_GLOB: usize = 256;

/// Whether a glob compiles alone (the loader reports one that does not: it would match nothing).
/// A short one is not compiled to find out: the thousands of model and host globs of the
/// rules took a large part of start-up each compiled alone (issue 15).
pub(crate) fn glob_compiles(glob: &str, host: bool) -> bool {
    glob.len() <= SHORT_GLOB || anchored(&[glob_pattern(glob, host)]).is_some()
}

/// Regexes matching the whole of any of `globs`, case-insensitively for lower-case input: one
/// per [`GLOBS_PER_REGEX`] globs, and one per glob in a chunk too large for one regex, so
/// that no list is too long to match. A glob too large alone ([`glob_compiles`]) is left out.
fn globs_regexes(globs: &[String], host: bool) -> Vec<Regex> {
    let mut out = Vec::new();
    for chunk in globs.chunks(GLOBS_PER_REGEX) {
        let patterns: Vec<String> = chunk.iter().map(|g| glob_pattern(g, host)).collect();
        match anchored(&patterns) {
            Some(re) => out.push(re),
            None => out.extend(patterns.iter().filter_map(|p| anchored(std::slice::from_ref(p)))),
        }
    }
    out
}

/// Whether a `base_url_paths` entry (lower case) names `path`, the lower-case text after a
/// URL's host: `path` starts with the entry, and, for an entry with a query part
/// (`/openai/v1?api-version=`), the URL's query holds that part too.
pub fn base_path_names(entry: &str, path: &str) -> bool {
    match entry.split_once('?') {
        Some((prefix, query)) => {
            path.starts_with(prefix) && path.split_once('?').is_some_and(|(_, q)| q.contains(query))
        }
        None => path.starts_with(entry),
    }
}

#[cfg(test)]
fn globs_regex(globs: &[String], host: bool) -> Option<Regex> {
    let mut all = globs_regexes(globs, host);
    assert!(all.len() <= 1, "a short list is one regex");
    all.pop()
}

/// The longest run of a glob without wildcards.
fn literal_part(glob: &str) -> Option<String> {
    glob.split(['*', '?']).max_by_key(|s| s.len()).map(|s| s.trim_matches('.').to_string())
}

/// A regex's literal prefix (`sk-ant-` of `sk-ant-(api03|...)`).
fn regex_prefix(re: &str) -> Option<String> {
    let end = re.find(|c: char| "\\[(.*+?{|^$".contains(c)).unwrap_or(re.len());
    Some(re[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_with_a_query_part_need_it() {
        assert!(base_path_names("/openai/deployments/", "/openai/deployments/gpt/chat/completions"));
        assert!(!base_path_names("/openai/deployments/", "/gateway/openai/deployments/gpt"));
        let v1 = "/openai/v1?api-version=";
        assert!(base_path_names(v1, "/openai/v1/video/generations/jobs?api-version=preview"));
        assert!(base_path_names(v1, "/openai/v1/chat/completions?x=1&api-version=2025-04-01"));
        assert!(!base_path_names(v1, "/openai/v1/chat/completions"));
        assert!(!base_path_names(v1, "/openai/v1"));
    }

    #[test]
    fn short_globs_always_compile() {
        // The largest pattern per character is `?` outside a host (any character, in UTF-8).
        for (c, host) in [("?", false), ("*", false), ("?", true), ("*", true), ("é", false)] {
            let glob = c.repeat(SHORT_GLOB / c.len());
            assert!(anchored(&[glob_pattern(&glob, host)]).is_some(), "{c} x {}", glob.len());
        }
    }

    #[test]
    fn globs_anchor_and_ignore_case() {
        let re = globs_regex(&["gpt-4o*".into(), "whisper-1".into()], false).unwrap();
        assert!(re.is_match("gpt-4o-mini"));
        assert!(re.is_match("whisper-1"));
        assert!(!re.is_match("my-gpt-4o"));
        assert!(!re.is_match("whisper-12"));
    }

    #[test]
    fn host_globs_match_subdomains_only() {
        let re = globs_regex(&["*.openai.azure.com".into()], true).unwrap();
        assert!(re.is_match("my-res.openai.azure.com"));
        assert!(!re.is_match("openai.azure.com.evil/x"));
        assert!(!re.is_match("evilopenai.azure.com"));
    }

    #[test]
    fn long_model_lists_still_match() {
        // 200,000 names: far past what one regex may hold.
        let globs: Vec<String> = (0..200_000).map(|i| format!("custom-model-{i:06}-*")).collect();
        let res = globs_regexes(&globs, false);
        assert!(res.len() > 1);
        for probe in ["custom-model-000000-x", "custom-model-123456-x", "custom-model-199999-y"] {
            assert!(res.iter().any(|re| re.is_match(probe)), "{probe}");
        }
        assert!(!res.iter().any(|re| re.is_match("custom-model-200000-x")));
    }

    #[test]
    fn prefilter_literals_come_from_globs_and_regexes() {
        assert_eq!(literal_part("*.openai.azure.com").as_deref(), Some("openai.azure.com"));
        assert_eq!(regex_prefix("sk-ant-(api03)-x").as_deref(), Some("sk-ant-"));
    }
}
