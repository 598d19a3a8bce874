//! Honest coverage: files of languages lockin does not read (Kotlin, Ruby, PHP,
//! Swift, ...) and their manifests, counted by language, so that every report can
//! say "14 Kotlin files were not analysed" rather than "no dependencies found". Input: the
//! scanned roots and the walk options; output: counts per language (`stats.unsupported`).
//! Walks like [`crate::walk`] (same ignore files, hidden files, default excludes and globs)
//! but only looks at names; it never reads a file.

use crate::lang::FileKind;
use crate::walk::{self, WalkOptions, DEFAULT_EXCLUDES};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::path::Path;

/// The language of a file lockin does not read, by name: `kotlin` for `X.kt` and `settings.gradle.kts`.
pub fn unsupported_language(path: &Path) -> Option<&'static str> {
    if FileKind::from_path(path).is_some() {
        return None;
    }
    let name = path.file_name()?.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    let by_name = match lower.as_str() {
        "settings.gradle.kts" => Some("kotlin"),
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
        "kt" | "kts" => "kotlin",
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

fn globset(globs: &[String]) -> Option<GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).ok()?);
    }
    b.build().ok()
}

/// Files of languages lockin does not read under the roots, counted per language.
pub fn unsupported(roots: &[impl AsRef<Path>], opts: &WalkOptions) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for root in roots {
        let root = root.as_ref();
        if root.is_file() {
            if let Some(l) = unsupported_language(root) {
                *counts.entry(l.to_string()).or_default() += 1;
            }
            continue;
        }
        let (mut include, mut exclude) = (opts.include.clone(), opts.exclude.clone());
        if let Some(a) = &opts.anchored {
            let prefix = walk::anchor_prefix(&a.dir, root);
            exclude.extend(walk::rebase_globs(&a.exclude, prefix.as_deref()));
            if include.is_empty() {
                include = walk::rebase_globs(&a.include, prefix.as_deref());
            }
        }
        let (include, exclude) = (globset(&include), globset(&exclude));
        let mut builder = ignore::WalkBuilder::new(root);
        builder
            .hidden(!opts.hidden)
            .follow_links(opts.follow_links)
            .git_ignore(!opts.no_ignore)
            .git_global(false)
            .git_exclude(!opts.no_ignore)
            .ignore(!opts.no_ignore)
            .parents(!opts.no_ignore)
            .require_git(false);
        let no_default = opts.no_default_excludes;
        let root_buf = root.to_path_buf();
        let exclude_dirs = exclude.clone();
        builder.filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            if e.file_type().is_some_and(|t| t.is_dir()) && !no_default {
                let name = e.file_name().to_string_lossy();
                if DEFAULT_EXCLUDES.contains(&name.as_ref())
                    || name.ends_with(".egg-info")
                    || e.path().join("pyvenv.cfg").is_file()
                {
                    return false;
                }
            }
            !exclude_dirs.as_ref().is_some_and(|ex| ex.is_match(walk::relative(&root_buf, e.path())))
        });
        for entry in builder.build().flatten() {
            if entry.file_type().is_none_or(|t| !t.is_file()) {
                continue;
            }
            let Some(language) = unsupported_language(entry.path()) else { continue };
            if include.as_ref().is_some_and(|inc| !inc.is_match(walk::relative(root, entry.path()))) {
                continue;
            }
            *counts.entry(language.to_string()).or_default() += 1;
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
        assert_eq!(unsupported_language(Path::new("App.kt")), Some("kotlin"));
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
