//! What a file is (source of an ecosystem and dialect, a manifest format, a notebook),
//! decided from its name alone; it picks the detector that reads it.

use crate::ecosystem::Ecosystem;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// The kinds of file lockin reads: sources of each ecosystem and dialect, notebooks, and
/// manifest formats. [`FileKind::ecosystem`] says whose SDKs and packages apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
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
    /// `.go`.
    Go,
    /// `go.mod` (`go.sum` lists checksums, not requirements).
    GoMod,
    /// `.java`.
    Java,
    /// `.kt`, `.kts` (not `build.gradle.kts`, a manifest): read with the Java rules.
    Kotlin,
    /// `pom.xml`.
    Pom,
    /// `build.gradle`, `build.gradle.kts`.
    Gradle,
    /// `.cs`.
    CSharp,
    /// `.csproj`, `Directory.Packages.props`, `packages.config`: NuGet package references.
    NuGet,
    /// Spring configuration (`application.yml`, `application-<profile>.properties`,
    /// `bootstrap.yml`): the `spring.ai.*` keys.
    SpringConfig,
}

impl FileKind {
    /// The language of a file, or `None` when lockin does not read it.
    pub fn from_path(path: &Path) -> Option<FileKind> {
        // A name that is not UTF-8 is judged, and later shown, lossily: never dropped.
        let name = path.file_name()?.to_string_lossy();
        let name = name.as_ref();
        let lower = name.to_ascii_lowercase();
        if lower == "pyproject.toml" || name == "Pipfile" {
            return Some(FileKind::Toml);
        }
        if lower == "setup.cfg" {
            return Some(FileKind::SetupCfg);
        }
        if lower == "package.json" {
            return Some(FileKind::PackageJson);
        }
        if name == "Cargo.toml" {
            return Some(FileKind::Cargo);
        }
        if name == "go.mod" {
            return Some(FileKind::GoMod);
        }
        if name == "pom.xml" {
            return Some(FileKind::Pom);
        }
        if name == "build.gradle" || name == "build.gradle.kts" {
            return Some(FileKind::Gradle);
        }
        if lower.ends_with(".csproj") || lower == "directory.packages.props" || lower == "packages.config" {
            return Some(FileKind::NuGet);
        }
        if crate::detect::spring::is_config_name(&lower) {
            return Some(FileKind::SpringConfig);
        }
        // Type declarations describe APIs; they call nothing.
        if lower.ends_with(".d.ts") || lower.ends_with(".d.mts") || lower.ends_with(".d.cts") {
            return None;
        }
        if is_requirements_name(&lower) {
            return Some(FileKind::Requirements);
        }
        match name.rsplit_once('.').filter(|(stem, _)| !stem.is_empty())?.1 {
            "py" | "pyw" | "pyi" => Some(FileKind::Python),
            "ipynb" => Some(FileKind::Notebook),
            "js" | "jsx" | "mjs" | "cjs" => Some(FileKind::JavaScript),
            "ts" | "mts" | "cts" => Some(FileKind::TypeScript),
            "tsx" => Some(FileKind::Tsx),
            "vue" | "svelte" => Some(FileKind::Component),
            "rs" => Some(FileKind::Rust),
            "go" => Some(FileKind::Go),
            "java" => Some(FileKind::Java),
            "kt" | "kts" => Some(FileKind::Kotlin),
            "cs" => Some(FileKind::CSharp),
            _ => None,
        }
    }

    /// The name findings carry in their `language` field.
    pub fn finding_language(self) -> &'static str {
        match self {
            FileKind::Python | FileKind::Notebook => "python",
            FileKind::Requirements => "requirements",
            FileKind::Toml | FileKind::Cargo => "toml",
            FileKind::SetupCfg => "ini",
            FileKind::JavaScript => "javascript",
            FileKind::TypeScript | FileKind::Tsx | FileKind::Component => "typescript",
            FileKind::PackageJson => "json",
            FileKind::Rust => "rust",
            FileKind::Go => "go",
            FileKind::GoMod => "go-mod",
            FileKind::Java => "java",
            FileKind::Kotlin => "kotlin",
            FileKind::Pom => "xml",
            FileKind::Gradle => "gradle",
            FileKind::CSharp => "csharp",
            FileKind::NuGet => "xml",
            FileKind::SpringConfig => "spring-config",
        }
    }

    /// The ecosystem whose SDKs and packages apply to this file.
    pub fn ecosystem(self) -> Ecosystem {
        match self {
            FileKind::Python | FileKind::Notebook | FileKind::Requirements | FileKind::Toml | FileKind::SetupCfg => {
                Ecosystem::Python
            }
            FileKind::JavaScript
            | FileKind::TypeScript
            | FileKind::Tsx
            | FileKind::Component
            | FileKind::PackageJson => Ecosystem::JavaScript,
            FileKind::Rust | FileKind::Cargo => Ecosystem::Rust,
            FileKind::Go | FileKind::GoMod => Ecosystem::Go,
            FileKind::Java | FileKind::Kotlin | FileKind::Pom | FileKind::Gradle | FileKind::SpringConfig => {
                Ecosystem::Java
            }
            FileKind::CSharp | FileKind::NuGet => Ecosystem::CSharp,
        }
    }

    /// Whether this is a manifest (declares packages) rather than code.
    pub fn is_manifest(self) -> bool {
        !self.is_source()
    }

    /// Whether files of this language are source code (counted for exposure, prefiltered).
    pub fn is_source(self) -> bool {
        !matches!(
            self,
            FileKind::Requirements
                | FileKind::Toml
                | FileKind::SetupCfg
                | FileKind::PackageJson
                | FileKind::Cargo
                | FileKind::GoMod
                | FileKind::Pom
                | FileKind::Gradle
                | FileKind::NuGet
                | FileKind::SpringConfig
        )
    }
}

/// `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/base.txt`
/// is handled by the include logic and by the walk (`requirements` directory).
fn is_requirements_name(lower: &str) -> bool {
    (lower.starts_with("requirements") || lower.ends_with("requirements.txt"))
        && (lower.ends_with(".txt") || lower.ends_with(".in"))
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.finding_language())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_manifests_and_sources() {
        let l = |p: &str| FileKind::from_path(Path::new(p));
        assert_eq!(l("a/b.py"), Some(FileKind::Python));
        assert_eq!(l("requirements-dev.txt"), Some(FileKind::Requirements));
        assert_eq!(l("dev-requirements.txt"), Some(FileKind::Requirements));
        assert_eq!(l("requirements.in"), Some(FileKind::Requirements));
        assert_eq!(l("pyproject.toml"), Some(FileKind::Toml));
        assert_eq!(l("Pipfile"), Some(FileKind::Toml));
        assert_eq!(l("nb.ipynb"), Some(FileKind::Notebook));
        assert_eq!(l("notes.txt"), None);
        assert_eq!(l("Cargo.toml"), Some(FileKind::Cargo));
        assert_eq!(l("crates/core/Cargo.toml"), Some(FileKind::Cargo));
        assert_eq!(l("src/main.rs"), Some(FileKind::Rust));
        assert_eq!(l("web/app.tsx"), Some(FileKind::Tsx));
        assert_eq!(l("types/openai.d.ts"), None);
        assert_eq!(l("lib/openai.mts"), Some(FileKind::TypeScript));
        assert_eq!(l("package.json"), Some(FileKind::PackageJson));
        assert_eq!(l("cmd/api/main.go"), Some(FileKind::Go));
        assert_eq!(l("go.mod"), Some(FileKind::GoMod));
        assert_eq!(l("go.sum"), None);
        assert_eq!(l("src/main/java/App.java"), Some(FileKind::Java));
        assert_eq!(l("pom.xml"), Some(FileKind::Pom));
        assert_eq!(l("build.gradle.kts"), Some(FileKind::Gradle));
        assert_eq!(l("src/main/kotlin/App.kt"), Some(FileKind::Kotlin));
        assert_eq!(l("settings.gradle.kts"), Some(FileKind::Kotlin));
        assert_eq!(l("src/Api/Chat.cs"), Some(FileKind::CSharp));
        assert_eq!(l("src/Api/Api.csproj"), Some(FileKind::NuGet));
        assert_eq!(l("Directory.Packages.props"), Some(FileKind::NuGet));
        assert_eq!(l("packages.config"), Some(FileKind::NuGet));
        assert_eq!(l("Directory.Build.props"), None);
        assert_eq!(l("src/main/resources/application-dev.yml"), Some(FileKind::SpringConfig));
        assert_eq!(l("application.properties"), Some(FileKind::SpringConfig));
        assert_eq!(l("config.yml"), None);
    }
}
