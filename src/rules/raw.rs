//! Plain serde mirror of a rule file (`rules/*.toml`). No validation beyond types and
//! known fields: `load.rs` turns these into the validated model in `mod.rs`.

use crate::finding::{Capability, Portability, Severity};
use serde::Deserialize;
use toml::Spanned;

/// One rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRuleFile {
    /// The vendor this file describes.
    pub vendor: Option<Spanned<RawVendor>>,
    /// Or the framework it describes.
    pub framework: Option<Spanned<RawFramework>>,
    /// SDK packages and modules.
    #[serde(default)]
    pub sdk: Vec<Spanned<RawSdk>>,
    /// Client constructors.
    #[serde(default)]
    pub client: Vec<Spanned<RawClient>>,
    /// Request objects of HTTP libraries (a framework file, rules/http.toml).
    #[serde(default)]
    pub request_object: Vec<Spanned<RawRequestObject>>,
    /// A framework's model interfaces (a framework file).
    #[serde(default)]
    pub interface: Vec<Spanned<RawInterface>>,
    /// API operations.
    #[serde(default)]
    pub operation: Vec<Spanned<RawOperation>>,
    /// Risk model weights (substitutes file).
    pub scoring: Option<Spanned<RawScoring>>,
    /// Open serving stacks (substitutes file).
    #[serde(default)]
    pub server: Vec<Spanned<RawServer>>,
    /// Which API shapes open servers speak (substitutes file).
    #[serde(default)]
    pub compat: Vec<Spanned<RawCompat>>,
    /// Open substitutes per capability (substitutes file).
    #[serde(default)]
    pub capability: Vec<Spanned<RawCapability>>,
    /// Deprecated and retired models (lifecycle file).
    #[serde(default)]
    pub model: Vec<Spanned<RawLifecycleModel>>,
    /// Open substitutes per class of model the code names (substitutes file).
    #[serde(default)]
    pub class: Vec<Spanned<RawClass>>,
}

/// `[[model]]` of `rules/lifecycle.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawLifecycleModel {
    pub vendor: Spanned<String>,
    pub models: Spanned<Vec<String>>,
    pub deprecated: Option<Spanned<toml::value::Datetime>>,
    pub retired: Option<Spanned<toml::value::Datetime>>,
    pub replacement: Option<Spanned<String>>,
    pub source: Option<Spanned<String>>,
}

/// `[[class]]`: calls naming one of `models` get these substitutes first.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawClass {
    pub id: String,
    pub capability: Option<Capability>,
    pub models: Vec<String>,
    #[serde(default)]
    pub same_weights: bool,
    pub why: String,
    pub migration: Option<String>,
    pub model: Vec<RawModel>,
}

/// `[scoring]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawScoring {
    pub concentration: f64,
    pub depth: f64,
    pub exposure: f64,
    pub spread: f64,
    pub mitigation: f64,
    pub effort_levels: Vec<f64>,
}

/// `[[server]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawServer {
    pub id: Spanned<String>,
    pub name: String,
    pub license: String,
    #[serde(default)]
    pub openai_routes: Vec<Capability>,
    #[serde(default)]
    pub notes: String,
}

/// `[[compat]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawCompat {
    pub api: String,
    pub capabilities: Vec<Capability>,
    pub servers: Vec<Spanned<String>>,
}

/// `[[capability]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawCapability {
    pub id: Capability,
    pub depth: f64,
    pub floor: Option<Portability>,
    pub migration: String,
    #[serde(default)]
    pub model: Vec<RawModel>,
    pub serving: RawServing,
}

/// `[[capability.model]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawModel {
    pub family: String,
    pub sizes: String,
    pub license: String,
    pub osi: bool,
    #[serde(default)]
    pub notes: String,
    /// Where the licence and sizes were checked (a model card); required in `[[class]]`.
    #[serde(default)]
    pub source: String,
}

/// `[capability.serving]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawServing {
    pub servers: Vec<Spanned<String>>,
}

/// `[vendor]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawVendor {
    pub id: Spanned<String>,
    pub name: String,
    pub proprietary: bool,
    #[serde(default)]
    pub portable: bool,
    #[serde(default)]
    pub unknown_hosts: bool,
    #[serde(default)]
    pub open_weights: bool,
    #[serde(default)]
    pub resource_endpoints: bool,
    #[serde(default)]
    pub hosts: Vec<Spanned<String>>,
    #[serde(default)]
    pub app_hosts: Vec<Spanned<String>>,
    #[serde(default)]
    pub base_url_paths: Vec<Spanned<String>>,
    #[serde(default)]
    pub headers: Vec<Spanned<String>>,
    #[serde(default)]
    pub key_headers: Vec<Spanned<String>>,
    #[serde(default)]
    pub ports: Vec<u16>,
    #[serde(default)]
    pub env_words: Vec<Spanned<String>>,
    #[serde(default)]
    pub env: Vec<Spanned<String>>,
    #[serde(default)]
    pub models: Vec<Spanned<String>>,
    #[serde(default)]
    pub context_models: Vec<Spanned<String>>,
    #[serde(default)]
    pub secrets: Vec<Spanned<String>>,
    #[serde(default)]
    pub docs: String,
}

/// `[framework]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawFramework {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub passthrough: Vec<String>,
    #[serde(default)]
    pub passthrough_args: Vec<String>,
    #[serde(default)]
    pub passthrough_methods: Vec<String>,
    #[serde(default)]
    pub passthrough_defaults: Vec<String>,
    #[serde(default)]
    pub transparent: Vec<String>,
    #[serde(default)]
    pub docs: String,
}

/// `[[sdk]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawSdk {
    pub language: Spanned<String>,
    #[serde(default)]
    pub packages: Vec<String>,
    #[serde(default)]
    pub modules: Vec<String>,
}

/// `[[client]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawClient {
    pub language: Spanned<String>,
    pub api: Option<Spanned<String>>,
    #[serde(default)]
    pub constructors: Vec<String>,
    #[serde(default)]
    pub modules: Vec<String>,
    #[serde(default)]
    pub first_arg: Vec<String>,
    #[serde(default)]
    pub base_url: Vec<String>,
    #[serde(default)]
    pub transparent: Vec<String>,
    #[serde(default)]
    pub factories: Vec<String>,
    #[serde(default)]
    pub command_methods: Vec<String>,
    pub vendor_from: Option<String>,
    #[serde(default)]
    pub suffixes: Vec<String>,
    #[serde(default)]
    pub vendor_when: Vec<RawVendorWhen>,
    #[serde(default)]
    pub vendor_prefixes: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub provider_from: Vec<String>,
    #[serde(default)]
    pub requests: Vec<String>,
    #[serde(default)]
    pub run_time_calls: bool,
    #[serde(default)]
    pub vendor_per_call: bool,
    #[serde(default)]
    pub path_in_request: bool,
    #[serde(default)]
    pub resolves_uris: bool,
    #[serde(default)]
    pub sent_by: Vec<String>,
}

/// `[[request_object]]` of rules/http.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawRequestObject {
    pub language: Spanned<String>,
    pub made_by: Vec<String>,
    pub url_setter: Option<String>,
    #[serde(default)]
    pub url_position: usize,
    pub url_keyword: Option<String>,
    #[serde(default)]
    pub joins: bool,
}

/// `[[interface]]` of a framework file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawInterface {
    pub language: Spanned<String>,
    pub types: Vec<String>,
    pub apis: Vec<String>,
    #[serde(default)]
    pub implemented_by: Vec<String>,
    #[serde(default)]
    pub not_implemented_by: Vec<String>,
    #[serde(default)]
    pub compatible: Option<String>,
}

/// `vendor_when = [{ attribute = "api_type", values = ["azure"], vendor = "azure-openai" }]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawVendorWhen {
    pub attribute: String,
    pub values: Vec<String>,
    pub vendor: String,
}

/// `[[operation]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawOperation {
    pub id: Spanned<String>,
    pub api: Option<String>,
    pub capability: Capability,
    pub severity: Severity,
    pub on_client: Option<Spanned<Vec<String>>>,
    pub http: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub http_ports: Vec<u16>,
    pub message: Spanned<String>,
    pub docs: Option<Spanned<RawDocs>>,
}

/// `[operation.docs]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawDocs {
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub example: String,
    /// The language the example is written in (`python` when absent).
    pub example_language: Option<Spanned<String>>,
    #[serde(default)]
    pub instead: String,
}
