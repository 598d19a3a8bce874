//! Which detector reads a file, decided from its name alone.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// The kinds of file lockin reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    /// `.py`, `.pyi`, `.pyw`.
    Python,
    /// Jupyter notebooks: code cells are scanned as Python.
    Notebook,
    /// `requirements*.txt` and files they include.
    Requirements,
    /// `pyproject.toml`, `Pipfile`.
    Toml,
    /// `setup.cfg`.
    SetupCfg,
    /// `.js`, `.jsx`, `.mjs`, `.cjs`.
    JavaScript,
    /// `.ts`, `.mts`, `.cts` (not `.d.ts`).
    TypeScript,
    /// `.tsx`.
    Tsx,
    /// `.vue` and `.svelte` single-file components: their `<script>` blocks.
    Component,
    /// `package.json`.
    PackageJson,
    /// `.rs`.
    Rust,
    /// `Cargo.toml`.
    Cargo,
}

impl Language {
    /// The language of a file, or `None` when lockin does not read it.
    pub fn from_path(path: &Path) -> Option<Language> {
        // A name that is not UTF-8 is judged, and later shown, lossily: never dropped.
        let name = path.file_name()?.to_string_lossy();
        let name = name.as_ref();
        let lower = name.to_ascii_lowercase();
        if lower == "pyproject.toml" || name == "Pipfile" {
            return Some(Language::Toml);
        }
        if lower == "setup.cfg" {
            return Some(Language::SetupCfg);
        }
        if lower == "package.json" {
            return Some(Language::PackageJson);
        }
        if name == "Cargo.toml" {
            return Some(Language::Cargo);
        }
        // Type declarations describe APIs; they call nothing.
        if lower.ends_with(".d.ts") || lower.ends_with(".d.mts") || lower.ends_with(".d.cts") {
            return None;
        }
        if is_requirements_name(&lower) {
            return Some(Language::Requirements);
        }
        match name.rsplit_once('.').filter(|(stem, _)| !stem.is_empty())?.1 {
            "py" | "pyw" | "pyi" => Some(Language::Python),
            "ipynb" => Some(Language::Notebook),
            "js" | "jsx" | "mjs" | "cjs" => Some(Language::JavaScript),
            "ts" | "mts" | "cts" => Some(Language::TypeScript),
            "tsx" => Some(Language::Tsx),
            "vue" | "svelte" => Some(Language::Component),
            "rs" => Some(Language::Rust),
            _ => None,
        }
    }

    /// The name findings carry in their `language` field.
    pub fn finding_language(self) -> &'static str {
        match self {
            Language::Python | Language::Notebook => "python",
            Language::Requirements => "requirements",
            Language::Toml | Language::Cargo => "toml",
            Language::SetupCfg => "ini",
            Language::JavaScript => "javascript",
            Language::TypeScript | Language::Tsx | Language::Component => "typescript",
            Language::PackageJson => "json",
            Language::Rust => "rust",
        }
    }

    /// The rule-file `language` whose SDKs apply to this file.
    pub fn sdk_language(self) -> &'static str {
        match self {
            Language::Python | Language::Notebook | Language::Requirements | Language::Toml | Language::SetupCfg => {
                "python"
            }
            Language::Rust | Language::Cargo => "rust",
            _ => "javascript",
        }
    }

    /// Whether files of this language are source code (counted for exposure, prefiltered).
    pub fn is_source(self) -> bool {
        !matches!(
            self,
            Language::Requirements | Language::Toml | Language::SetupCfg | Language::PackageJson | Language::Cargo
        )
    }
}

/// `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/base.txt`
/// is handled by the include logic and by the walk (`requirements` directory).
fn is_requirements_name(lower: &str) -> bool {
    (lower.starts_with("requirements") || lower.ends_with("requirements.txt"))
        && (lower.ends_with(".txt") || lower.ends_with(".in"))
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.finding_language())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_manifests_and_sources() {
        let l = |p: &str| Language::from_path(Path::new(p));
        assert_eq!(l("a/b.py"), Some(Language::Python));
        assert_eq!(l("requirements-dev.txt"), Some(Language::Requirements));
        assert_eq!(l("dev-requirements.txt"), Some(Language::Requirements));
        assert_eq!(l("requirements.in"), Some(Language::Requirements));
        assert_eq!(l("pyproject.toml"), Some(Language::Toml));
        assert_eq!(l("Pipfile"), Some(Language::Toml));
        assert_eq!(l("nb.ipynb"), Some(Language::Notebook));
        assert_eq!(l("notes.txt"), None);
        assert_eq!(l("Cargo.toml"), Some(Language::Cargo));
        assert_eq!(l("crates/core/Cargo.toml"), Some(Language::Cargo));
        assert_eq!(l("src/main.rs"), Some(Language::Rust));
        assert_eq!(l("web/app.tsx"), Some(Language::Tsx));
        assert_eq!(l("types/openai.d.ts"), None);
        assert_eq!(l("lib/openai.mts"), Some(Language::TypeScript));
        assert_eq!(l("package.json"), Some(Language::PackageJson));
    }
}
