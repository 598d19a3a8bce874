//! The ecosystems lockin reads: a language family with its package registry. Rule files name
//! one per `[[sdk]]` and `[[client]]` (`language = "python"`), checked when rules load; file
//! kinds ([`crate::lang::FileKind`]) and findings' subjects carry it, so nothing downstream
//! guesses an ecosystem from a file name or a message.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A language family and its package registry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    /// Python (the default only of empty values built in tests): `.py`, notebooks; PyPI packages (requirements files, pyproject.toml, Pipfile, setup.cfg).
    #[default]
    Python,
    /// JavaScript and TypeScript; npm packages (package.json).
    JavaScript,
    /// Rust; crates (Cargo.toml).
    Rust,
    /// Go; modules (go.mod).
    Go,
    /// Java; Maven artifacts (pom.xml, build.gradle, build.gradle.kts).
    Java,
    /// C#; NuGet packages (`.csproj`, `Directory.Packages.props`, `packages.config`).
    CSharp,
}

impl Ecosystem {
    /// Every ecosystem, in the order rule files list them.
    pub const ALL: [Ecosystem; 6] =
        [Ecosystem::Python, Ecosystem::JavaScript, Ecosystem::Rust, Ecosystem::Go, Ecosystem::Java, Ecosystem::CSharp];

    /// The id rule files use (`python`, `javascript`, `rust`, `go`, `java`, `csharp`).
    pub fn id(self) -> &'static str {
        match self {
            Ecosystem::Python => "python",
            Ecosystem::JavaScript => "javascript",
            Ecosystem::Rust => "rust",
            Ecosystem::Go => "go",
            Ecosystem::Java => "java",
            Ecosystem::CSharp => "csharp",
        }
    }

    /// The ecosystem a rule file's id names.
    pub fn from_id(id: &str) -> Option<Ecosystem> {
        Ecosystem::ALL.into_iter().find(|e| e.id() == id)
    }

    /// The package URL type of its registry (`pypi`, `npm`, `cargo`, `golang`, `maven`, `nuget`).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Python => "pypi",
            Ecosystem::JavaScript => "npm",
            Ecosystem::Rust => "cargo",
            Ecosystem::Go => "golang",
            Ecosystem::Java => "maven",
            Ecosystem::CSharp => "nuget",
        }
    }

    /// The ids, for error messages: "python, javascript, rust, go, java, csharp".
    pub fn ids() -> String {
        Ecosystem::ALL.map(Ecosystem::id).join(", ")
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_registries_differ() {
        for e in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_id(e.id()), Some(e));
        }
        assert_eq!(Ecosystem::from_id("kotlin"), None);
        assert_eq!(Ecosystem::ids(), "python, javascript, rust, go, java, csharp");
        let purls: std::collections::BTreeSet<_> = Ecosystem::ALL.map(Ecosystem::purl_type).into();
        assert_eq!(purls.len(), 6);
    }
}
