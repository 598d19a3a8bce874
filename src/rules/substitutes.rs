//! Open substitutes and the risk model's data, validated from `rules/substitutes.toml`:
//! scoring weights, serving stacks, which API shapes open servers speak, and per
//! capability the lock-in depth and the open models that replace it.

use crate::finding::{Capability, Portability};
use serde::Serialize;
use std::collections::BTreeMap;

/// Weights of the risk model (docs/scoring.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    /// Weight of concentration (how much of the LLM work a vendor holds).
    pub concentration: f64,
    /// Weight of lock-in depth by capability.
    pub depth: f64,
    /// Weight of exposure (files that use a vendor).
    pub exposure: f64,
    /// Weight of spread (modules that use a vendor).
    pub spread: f64,
    /// How much less a mitigated call (abstraction layer, configurable base URL) weighs (0..1).
    pub mitigation: f64,
    /// Effort points at which a migration becomes medium, large, very large.
    pub effort_levels: [f64; 3],
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            concentration: 0.35,
            depth: 0.25,
            exposure: 0.2,
            spread: 0.2,
            mitigation: 0.3,
            effort_levels: [5.0, 20.0, 60.0],
        }
    }
}

impl Scoring {
    /// Checks the invariants docs/scoring.md relies on; the error names the field.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let sum = self.concentration + self.depth + self.exposure + self.spread;
        let all = [self.concentration, self.depth, self.exposure, self.spread, self.mitigation];
        if all.iter().any(|w| !(0.0..=1.0).contains(w)) || (sum - 1.0).abs() > 1e-6 {
            return Err((
                "concentration",
                format!("weights must be in 0..1 and the four factors sum to 1 (they sum to {sum})"),
            ));
        }
        let [a, b, c] = self.effort_levels;
        if !(a < b && b < c) {
            return Err(("effort_levels", "three increasing numbers".into()));
        }
        Ok(())
    }
}

/// A self-hostable serving stack.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Server {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Licence.
    pub license: String,
    /// Capabilities it serves with OpenAI-compatible routes.
    pub openai_routes: Vec<Capability>,
    /// Other routes worth knowing.
    pub notes: String,
}

/// An open model that can replace a proprietary capability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenModel {
    /// Family.
    pub family: String,
    /// Sizes.
    pub sizes: String,
    /// Exact licence.
    pub license: String,
    /// Whether the licence is OSI-approved (false: restricted open weights).
    pub osi: bool,
    /// Caveats.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Where the licence and sizes were checked (not in the JSON contract).
    #[serde(skip)]
    pub source: String,
}

/// A class of model the code names (`gpt-4o-mini`: small; `o3`: reasoning), with the open
/// substitutes that fit it; or, with `same_weights`, an open-weight model a vendor hosts,
/// whose substitute is the same weights self-hosted.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelClass {
    /// Id (`small`, `reasoning`, `llama`, ...).
    pub id: String,
    /// The capability it applies to (none: any).
    pub capability: Option<Capability>,
    /// Model-name globs, case-insensitive.
    pub models: Vec<String>,
    /// The model is open-weight: self-host the same weights.
    pub same_weights: bool,
    /// One sentence: why these substitutes fit; it leads the migration path.
    pub why: String,
    /// Replaces the capability's migration path after `why` (none: keep it).
    pub migration: Option<String>,
    /// Substitutes, best first.
    pub substitutes: Vec<OpenModel>,
}

/// What lockin knows about moving one capability.
#[derive(Debug, Clone, PartialEq)]
pub struct CapabilityInfo {
    /// The capability.
    pub id: Capability,
    /// Lock-in depth, 1 (trivial swap) to 5 (no clean open substitute).
    pub depth: f64,
    /// A portability no call of this capability can be better than.
    pub floor: Option<Portability>,
    /// One-line migration path.
    pub migration: String,
    /// Open models.
    pub models: Vec<OpenModel>,
    /// Server ids that serve them.
    pub servers: Vec<String>,
}

/// An API surface whose calls of these capabilities open servers accept as they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Compat {
    /// API surface (`openai`, `anthropic`, ...).
    pub api: String,
    /// Capabilities.
    pub capabilities: Vec<Capability>,
    /// Server ids.
    pub servers: Vec<String>,
}

/// All substitutes data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Substitutes {
    /// Scoring weights.
    pub scoring: Scoring,
    /// Servers by id.
    pub servers: BTreeMap<String, Server>,
    /// Compatible API shapes.
    pub compat: Vec<Compat>,
    /// Capabilities.
    pub capabilities: BTreeMap<Capability, CapabilityInfo>,
    /// Model classes, in file order (the first that names a model wins).
    pub classes: Vec<ModelClass>,
}

impl Substitutes {
    /// Lock-in depth of a capability (2 when the data does not say).
    pub fn depth(&self, c: Capability) -> f64 {
        self.capabilities.get(&c).map_or(2.0, |i| i.depth)
    }

    /// How hard a call is to move: `portable` when a non-proprietary server already serves
    /// it; the capability's floor (`no-open-equivalent`) if it has one; `base-url-swap` when
    /// open servers speak this API for this capability; else `adapter`.
    pub fn portability(&self, api: &str, capability: Capability, proprietary: bool) -> Portability {
        if !proprietary {
            return Portability::Portable;
        }
        if let Some(floor) = self.capabilities.get(&capability).and_then(|i| i.floor) {
            return floor;
        }
        if self.compat.iter().any(|c| c.api == api && c.capabilities.contains(&capability)) {
            return Portability::BaseUrlSwap;
        }
        Portability::Adapter
    }

    /// Names of the servers that serve a capability.
    pub fn server_names(&self, c: Capability) -> Vec<String> {
        self.capabilities
            .get(&c)
            .map(|i| {
                i.servers.iter().map(|s| self.servers.get(s).map_or_else(|| s.clone(), |x| x.name.clone())).collect()
            })
            .unwrap_or_default()
    }
}
