//! The inventory behind the bill of materials: which vendor SDK packages the manifests
//! declare and which model names the code holds, each with where it was seen. Input:
//! sorted findings, whose structured [`Subject`] names the package (with its ecosystem) or
//! the model; output: sorted lists.

pub use crate::ecosystem::Ecosystem;
use crate::finding::{Finding, Subject};
use std::collections::BTreeMap;

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

impl Inventory {
    /// Collects packages from `dependency` findings and models from `model` findings, by
    /// their subjects.
    pub fn new(findings: &[Finding]) -> Inventory {
        let mut packages: BTreeMap<(Ecosystem, String), Package> = BTreeMap::new();
        let mut models: BTreeMap<(String, String), Model> = BTreeMap::new();
        for f in findings {
            let seen = Seen { path: f.path.clone(), line: f.line };
            match &f.subject {
                Some(Subject::Package { ecosystem, name }) => {
                    packages
                        .entry((*ecosystem, name.clone()))
                        .or_insert_with(|| Package {
                            ecosystem: *ecosystem,
                            name: name.clone(),
                            vendor: f.vendor.clone(),
                            seen: Vec::new(),
                        })
                        .seen
                        .push(seen);
                }
                Some(Subject::Model { name, family }) => {
                    let m = models.entry((name.clone(), family.clone())).or_insert_with(|| Model {
                        name: name.clone(),
                        family: family.clone(),
                        vendors: Vec::new(),
                        seen: Vec::new(),
                    });
                    if !m.vendors.contains(&f.vendor) {
                        m.vendors.push(f.vendor.clone());
                    }
                    m.seen.push(seen);
                }
                Some(Subject::Module { .. }) | None => {}
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
    fn npm_scopes_are_percent_encoded_in_purls() {
        let p = |e, n: &str| Package { ecosystem: e, name: n.into(), vendor: "x".into(), seen: vec![] }.purl();
        assert_eq!(p(Ecosystem::JavaScript, "@anthropic-ai/sdk"), "pkg:npm/%40anthropic-ai/sdk");
        assert_eq!(p(Ecosystem::Python, "openai"), "pkg:pypi/openai");
        assert_eq!(p(Ecosystem::Rust, "async-openai"), "pkg:cargo/async-openai");
    }
}
