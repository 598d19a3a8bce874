//! The serde mirror of `lockin.toml` (and of `[tool.lockin]` in pyproject.toml): plain
//! serde, unknown keys rejected, positions kept with `Spanned`. `config/mod.rs` turns it
//! into [`super::Config`].

use crate::finding::{Capability, Kind, Severity};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;
use toml::Spanned;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawConfig {
    pub fail_on: Option<Spanned<Severity>>,
    pub fail_on_retired: Option<Spanned<bool>>,
    pub max_risk: Option<Spanned<f64>>,
    pub max_share: Option<Spanned<f64>>,
    #[serde(default)]
    pub deny: Vec<Spanned<RawDeny>>,
    #[serde(default)]
    pub allow: Vec<Spanned<RawAllow>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    #[serde(default)]
    pub rules: Vec<Spanned<String>>,
    pub baseline: Option<Spanned<String>>,
    pub scoring: Option<Spanned<RawScoring>>,
    pub contexts: Option<RawContexts>,
    #[serde(default)]
    pub select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// `[per-path]`: `"tests/**" = ["model", "openai.chat"]`.
    #[serde(default, rename = "per-path")]
    pub per_path: std::collections::BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
}

/// `[contexts]`: path globs per context, overriding the path conventions.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawContexts {
    #[serde(default)]
    pub product: Vec<Spanned<String>>,
    #[serde(default)]
    pub test: Vec<Spanned<String>>,
    #[serde(default)]
    pub example: Vec<Spanned<String>>,
    #[serde(default)]
    pub script: Vec<Spanned<String>>,
    #[serde(default)]
    pub docs: Vec<Spanned<String>>,
    #[serde(default)]
    pub generated: Vec<Spanned<String>>,
}

/// pyproject.toml: only `[tool.lockin]` is read; everything else is someone else's.
#[derive(Debug, Default, Deserialize)]
#[allow(missing_docs)]
pub struct RawPyproject {
    #[serde(default)]
    pub tool: RawTool,
}

/// `[tool]`.
#[derive(Debug, Default, Deserialize)]
#[allow(missing_docs)]
pub struct RawTool {
    pub lockin: Option<RawConfig>,
}

/// A `deny` entry: a selector string, or a table.
#[derive(Debug)]
#[allow(missing_docs)]
pub enum RawDeny {
    Selector(String),
    Entry(RawDenyEntry),
}

/// `{ vendor = "openai", reason = "...", use_instead = "..." }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawDenyEntry {
    pub vendor: Option<String>,
    pub rule: Option<String>,
    pub capability: Option<Capability>,
    pub kind: Option<Kind>,
    pub reason: Option<String>,
    pub use_instead: Option<String>,
}

/// An `allow` entry: a path glob, or a table.
#[derive(Debug)]
#[allow(missing_docs)]
pub enum RawAllow {
    Path(String),
    Entry(RawAllowEntry),
}

/// `{ vendor = "openai", paths = ["src/llm/**"], reason = "the adapter" }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawAllowEntry {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub modules: Vec<String>,
    pub vendor: Option<String>,
    pub rule: Option<String>,
    pub capability: Option<Capability>,
    pub kind: Option<Kind>,
    pub reason: Option<String>,
}

/// `[scoring]`: any subset of the rule set's weights.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawScoring {
    pub concentration: Option<f64>,
    pub depth: Option<f64>,
    pub exposure: Option<f64>,
    pub spread: Option<f64>,
    pub mitigation: Option<f64>,
    pub effort_levels: Option<[f64; 3]>,
}

/// A string or a table, with the table's own unknown-key errors kept.
macro_rules! string_or_table {
    ($ty:ident, $string:ident, $entry:ident, $table:ident, $expecting:literal) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, s: &str) -> Result<$ty, E> {
                        Ok($ty::$string(s.to_string()))
                    }
                    fn visit_map<M: MapAccess<'de>>(self, m: M) -> Result<$ty, M::Error> {
                        $table::deserialize(de::value::MapAccessDeserializer::new(m)).map($ty::$entry)
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

string_or_table!(
    RawDeny,
    Selector,
    Entry,
    RawDenyEntry,
    "a rule selector string or a table with vendor, rule, capability, kind, reason, use_instead"
);
string_or_table!(
    RawAllow,
    Path,
    Entry,
    RawAllowEntry,
    "a path glob or a table with paths, modules, vendor, rule, capability, kind, reason"
);
