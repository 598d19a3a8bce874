//! Honest coverage: files of languages lockin does not read (Ruby, PHP, Scala,
//! Swift, ...) and their manifests, counted by language, so that every report can
//! say "14 Swift files were not analysed" rather than "no dependencies found". Input: the
//! scanned roots and the walk options; output: counts per language (`stats.unsupported`).
//! Counted by [`crate::walk`]'s own walk (same ignore files, hidden files, default excludes
//! and globs), by name; it never reads a file.

use crate::lang::FileKind;
use crate::walk::{self, WalkOptions};
use std::collections::BTreeMap;
use std::path::Path;

/// The language of a file lockin does not read, by name: `swift` for `X.swift` and `Package.swift`.
pub fn unsupported_language(path: &Path) -> Option<&'static str> {
    if FileKind::from_path(path).is_some() {
        return None;
    }
    let name = path.file_name()?.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    let by_name = match lower.as_str() {
        "gemfile" | "gemfile.lock" => Some("ruby"),
        "composer.json" => Some("php"),
        "package.swift" => Some("swift"),
        "pubspec.yaml" => Some("dart"),
        "mix.exs" => Some("elixir"),
        "build.sbt" => Some("scala"),
        _ => None,
    };
    if by_name.is_some() {
        return by_name;
    }
    let ext = lower.rsplit_once('.')?.1;
    Some(match ext {
        "rb" => "ruby",
        "php" => "php",
        "swift" => "swift",
        "scala" => "scala",
        "dart" => "dart",
        "ex" | "exs" => "elixir",
        _ => return None,
    })
}

/// A language's name in a sentence: `Go`, `C#`.
pub fn display_name(language: &str) -> &str {
    match language {
        "go" => "Go",
        "java" => "Java",
        "kotlin" => "Kotlin",
        "csharp" => "C#",
        "ruby" => "Ruby",
        "php" => "PHP",
        "swift" => "Swift",
        "scala" => "Scala",
        "dart" => "Dart",
        "elixir" => "Elixir",
        other => other,
    }
}

/// Files of languages lockin does not read under the roots, counted per language. The scan
/// counts them during its own walk ([`walk::Walked::unsupported`]); this walks for them alone.
pub fn unsupported(roots: &[impl AsRef<Path>], opts: &WalkOptions) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for root in roots {
        for (language, n) in walk::walk_with_settings(root.as_ref(), opts).map(|w| w.unsupported).unwrap_or_default() {
            *counts.entry(language).or_default() += n;
        }
    }
    counts
}

/// `14 Go files and 2 Java files`, most files first.
pub fn sentence(counts: &BTreeMap<String, u64>) -> String {
    let mut v: Vec<(&String, &u64)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> =
        v.iter().map(|(l, n)| format!("{n} {} {}", display_name(l), if **n == 1 { "file" } else { "files" })).collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_by_name() {
        // Go is read (`go.sum` holds checksums, no requirements).
        assert_eq!(unsupported_language(Path::new("cmd/main.go")), None);
        assert_eq!(unsupported_language(Path::new("go.mod")), None);
        assert_eq!(unsupported_language(Path::new("go.sum")), None);
        // C# is read (sources, .csproj, Directory.Packages.props, packages.config).
        assert_eq!(unsupported_language(Path::new("App.cs")), None);
        assert_eq!(unsupported_language(Path::new("App.csproj")), None);
        // Kotlin is read (sources and scripts).
        assert_eq!(unsupported_language(Path::new("App.kt")), None);
        assert_eq!(unsupported_language(Path::new("settings.gradle.kts")), None);
        assert_eq!(unsupported_language(Path::new("App.swift")), Some("swift"));
        // Java is read (sources, pom.xml, build.gradle and build.gradle.kts).
        assert_eq!(unsupported_language(Path::new("pom.xml")), None);
        assert_eq!(unsupported_language(Path::new("src/App.java")), None);
        assert_eq!(unsupported_language(Path::new("app.py")), None);
        assert_eq!(unsupported_language(Path::new("README.md")), None);
    }

    #[test]
    fn sentences_put_the_largest_first() {
        let c: BTreeMap<String, u64> =
            [("java".to_string(), 2), ("go".to_string(), 14), ("ruby".to_string(), 1)].into();
        assert_eq!(sentence(&c), "14 Go files, 2 Java files and 1 Ruby file");
    }
}
