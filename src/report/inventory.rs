//! The inventory behind the bill of materials: which vendor SDK packages the manifests
//! declare and which model names the code holds, each with where it was seen. Input:
//! sorted findings and the rule set; output: sorted lists. Findings carry the package or
//! model name only in their message (`` OpenAI SDK `openai` declared as a dependency ``),
//! so it is read back here, once, and checked against the rule set's packages.

use super::escape::split_quoted;
use crate::finding::{Finding, Kind};
use crate::rules::RuleSet;
use std::collections::BTreeMap;

/// A package registry, as package URLs name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ecosystem {
    /// PyPI: requirements files, pyproject.toml, Pipfile, setup.cfg.
    Pypi,
    /// npm: package.json.
    Npm,
}

impl Ecosystem {
    /// The package URL type (`pypi`, `npm`).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Pypi => "pypi",
            Ecosystem::Npm => "npm",
        }
    }

    /// The ecosystem of a manifest finding's `language`, and the SDK language of the rules.
    fn of(language: &str) -> Option<(Ecosystem, &'static str)> {
        match language {
            "requirements" | "toml" | "ini" => Some((Ecosystem::Pypi, "python")),
            "json" => Some((Ecosystem::Npm, "javascript")),
            _ => None,
        }
    }
}

/// Where something was seen: `path`, 1-based `line`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seen {
    /// Relative path.
    pub path: String,
    /// 1-based line.
    pub line: u32,
}

/// A vendor SDK declared in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Registry.
    pub ecosystem: Ecosystem,
    /// Normalised name (`openai`, `@anthropic-ai/sdk`).
    pub name: String,
    /// Vendor id of the findings.
    pub vendor: String,
    /// Manifest lines that declare it, sorted.
    pub seen: Vec<Seen>,
}

impl Package {
    /// The package URL: `pkg:pypi/openai`, `pkg:npm/%40anthropic-ai/sdk`.
    pub fn purl(&self) -> String {
        // purl-spec: the npm scope is the namespace and its `@` is percent-encoded.
        let name = match self.name.strip_prefix('@') {
            Some(rest) => format!("%40{rest}"),
            None => self.name.clone(),
        };
        format!("pkg:{}/{name}", self.ecosystem.purl_type())
    }
}

/// A model name found in the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The literal (`gpt-4o`, `anthropic.claude-3-haiku-20240307-v1:0`).
    pub name: String,
    /// Id of the vendor whose model family it is (the rule's owner: `anthropic`).
    pub family: String,
    /// Vendor ids that serve it in this code (`aws-bedrock` for a Claude id on Bedrock).
    pub vendors: Vec<String>,
    /// Where it is named, sorted.
    pub seen: Vec<Seen>,
}

/// Packages and models, sorted by (ecosystem, name) and (name, family).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// Vendor SDK packages.
    pub packages: Vec<Package>,
    /// Model names.
    pub models: Vec<Model>,
}

/// The first `` `quoted` `` part of a model or dependency message (a literal holding
/// backticks itself stays whole: see [`split_quoted`]).
fn quoted(message: &str) -> Option<&str> {
    split_quoted(message).into_iter().find_map(|(q, part)| (q && !part.is_empty()).then_some(part))
}

/// The package a dependency finding names: the quoted name in its message when the rule
/// set knows it, else the longest package of the finding's vendor that the snippet
/// contains.
fn package_name(f: &Finding, language: &str, rules: &RuleSet) -> Option<String> {
    if let Some(q) = quoted(&f.message) {
        if rules.sdk_for_package(language, q).is_some() {
            return Some(q.to_string());
        }
    }
    let snippet = f.snippet.to_ascii_lowercase().replace('_', "-");
    rules
        .sdks
        .iter()
        .filter(|s| s.language == language && s.vendor == f.vendor)
        .flat_map(|s| s.packages.iter())
        .filter(|p| snippet.contains(p.as_str()))
        .max_by_key(|p| p.len())
        .cloned()
}

impl Inventory {
    /// Collects packages from `dependency` findings and models from `model` findings.
    pub fn new(findings: &[Finding], rules: &RuleSet) -> Inventory {
        let mut packages: BTreeMap<(Ecosystem, String), Package> = BTreeMap::new();
        let mut models: BTreeMap<(String, String), Model> = BTreeMap::new();
        for f in findings {
            let seen = Seen { path: f.path.clone(), line: f.line };
            match f.kind {
                Kind::Dependency => {
                    let Some((ecosystem, language)) = Ecosystem::of(&f.language) else {
                        continue;
                    };
                    let Some(name) = package_name(f, language, rules) else {
                        continue;
                    };
                    packages
                        .entry((ecosystem, name.clone()))
                        .or_insert_with(|| Package { ecosystem, name, vendor: f.vendor.clone(), seen: Vec::new() })
                        .seen
                        .push(seen);
                }
                Kind::Model => {
                    let Some(name) = quoted(&f.message) else {
                        continue;
                    };
                    let family = f.rule_id.split('.').next().unwrap_or(&f.vendor).to_string();
                    let m = models.entry((name.to_string(), family.clone())).or_insert_with(|| Model {
                        name: name.to_string(),
                        family,
                        vendors: Vec::new(),
                        seen: Vec::new(),
                    });
                    if !m.vendors.contains(&f.vendor) {
                        m.vendors.push(f.vendor.clone());
                    }
                    m.seen.push(seen);
                }
                _ => {}
            }
        }
        let mut packages: Vec<Package> = packages.into_values().collect();
        let mut models: Vec<Model> = models.into_values().collect();
        for p in &mut packages {
            p.seen.sort();
            p.seen.dedup();
        }
        for m in &mut models {
            m.vendors.sort();
            m.seen.sort();
            m.seen.dedup();
        }
        Inventory { packages, models }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_quoted_name() {
        assert_eq!(quoted("OpenAI model `gpt-4o`, served by Azure OpenAI"), Some("gpt-4o"));
        assert_eq!(quoted("no name"), None);
        assert_eq!(quoted("empty ``"), None);
        assert_eq!(quoted("OpenAI model `a-`b`-c`"), Some("a-`b`-c"));
    }

    #[test]
    fn npm_scopes_are_percent_encoded_in_purls() {
        let p = |e, n: &str| Package { ecosystem: e, name: n.into(), vendor: "x".into(), seen: vec![] }.purl();
        assert_eq!(p(Ecosystem::Npm, "@anthropic-ai/sdk"), "pkg:npm/%40anthropic-ai/sdk");
        assert_eq!(p(Ecosystem::Pypi, "openai"), "pkg:pypi/openai");
    }
}
