//! Where code lives: every finding's path is product code, a test, an example, a script,
//! documentation or generated code. Input: a `/`-separated relative path (and the policy's
//! `[contexts]` globs); output: a [`CodeContext`]. Decided by path conventions alone (pytest,
//! jest and vitest, Go `_test.go`, Rust `tests/` and `benches/`, `examples/`, `docs/`...);
//! nothing here reads a file. The score, the hotspots, the hard-to-move list and the
//! migration plan count the contexts a [`Contexts`] selects (product code by default).

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a finding's code lives (docs/report-json.md `findings[].context`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeContext {
    /// Everything not recognised as one of the others: the code that ships.
    Product,
    /// Tests, their fixtures and test data.
    Test,
    /// Examples, samples, demos, cookbooks and playgrounds.
    Example,
    /// Build, release and maintenance scripts, benchmarks, CI.
    Script,
    /// Documentation sources (and the notebooks and snippets they hold).
    Docs,
    /// Generated code.
    Generated,
}

impl CodeContext {
    /// Every context, in declaration order.
    pub const ALL: [CodeContext; 6] = [
        CodeContext::Product,
        CodeContext::Test,
        CodeContext::Example,
        CodeContext::Script,
        CodeContext::Docs,
        CodeContext::Generated,
    ];

    /// The word used in the report and the policy file.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeContext::Product => "product",
            CodeContext::Test => "test",
            CodeContext::Example => "example",
            CodeContext::Script => "script",
            CodeContext::Docs => "docs",
            CodeContext::Generated => "generated",
        }
    }

    /// The context named `word` (`product`, `test`, ...).
    pub fn parse(word: &str) -> Option<CodeContext> {
        CodeContext::ALL.into_iter().find(|c| c.as_str() == word)
    }
}

impl fmt::Display for CodeContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Folder names, matched case-insensitively against each folder of a path (outermost
/// first: `docs/examples/x.py` is documentation, `examples/x/tests/a.py` an example's test).
const FOLDERS: &[(&str, CodeContext)] = &[
    ("tests", CodeContext::Test),
    ("test", CodeContext::Test),
    ("__tests__", CodeContext::Test),
    ("__mocks__", CodeContext::Test),
    ("spec", CodeContext::Test),
    ("specs", CodeContext::Test),
    ("e2e", CodeContext::Test),
    ("integration-tests", CodeContext::Test),
    ("integration_tests", CodeContext::Test),
    ("testdata", CodeContext::Test),
    ("test-data", CodeContext::Test),
    ("test_data", CodeContext::Test),
    ("fixtures", CodeContext::Test),
    ("__fixtures__", CodeContext::Test),
    ("__snapshots__", CodeContext::Test),
    ("examples", CodeContext::Example),
    ("example", CodeContext::Example),
    ("samples", CodeContext::Example),
    ("sample", CodeContext::Example),
    ("demo", CodeContext::Example),
    ("demos", CodeContext::Example),
    ("cookbook", CodeContext::Example),
    ("cookbooks", CodeContext::Example),
    ("playground", CodeContext::Example),
    ("playgrounds", CodeContext::Example),
    ("tutorials", CodeContext::Example),
    ("quickstart", CodeContext::Example),
    ("quickstarts", CodeContext::Example),
    ("notebooks", CodeContext::Example),
    ("scripts", CodeContext::Script),
    ("script", CodeContext::Script),
    ("benchmarks", CodeContext::Script),
    ("benchmark", CodeContext::Script),
    ("benches", CodeContext::Script),
    ("bench", CodeContext::Script),
    (".github", CodeContext::Script),
    (".circleci", CodeContext::Script),
    ("ci", CodeContext::Script),
    ("docs", CodeContext::Docs),
    ("doc", CodeContext::Docs),
    ("documentation", CodeContext::Docs),
    ("website", CodeContext::Docs),
    ("generated", CodeContext::Generated),
    ("__generated__", CodeContext::Generated),
    ("gen", CodeContext::Generated),
];

/// The context of a relative, `/`-separated path by convention alone.
pub fn classify(path: &str) -> CodeContext {
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let name = parts.pop().unwrap_or("");
    if is_generated_name(name) {
        return CodeContext::Generated;
    }
    if is_test_name(name) {
        return CodeContext::Test;
    }
    for folder in &parts {
        if let Some((_, c)) = FOLDERS.iter().find(|(f, _)| f == folder) {
            return *c;
        }
    }
    // Maintenance entry points at the root of a Python project.
    if parts.is_empty() && matches!(name, "setup.py" | "noxfile.py" | "tasks.py" | "fabfile.py" | "dodo.py") {
        return CodeContext::Script;
    }
    CodeContext::Product
}

/// `test_x.py`, `x_test.py`, `conftest.py`, `x.test.ts`, `x.spec.tsx`, `x_test.go`, `x_test.rs`.
fn is_test_name(name: &str) -> bool {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    match ext {
        "py" | "ipynb" => stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest",
        "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" | "vue" | "svelte" => {
            [".test", ".spec", ".e2e", ".bench", ".stories"].iter().any(|s| stem.ends_with(s))
        }
        "go" | "rs" => stem.ends_with("_test"),
        _ => false,
    }
}

/// `x_pb2.py`, `x.generated.ts`, `x.gen.ts`, `x.min.js`.
fn is_generated_name(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.ends_with("_pb2")
        || stem.ends_with("_pb2_grpc")
        || stem.ends_with(".generated")
        || stem.ends_with(".gen")
        || stem.ends_with(".min")
        || stem.ends_with("_generated")
}

/// Maps a finding path to the path the policy's globs are written against.
type Rebase = std::sync::Arc<dyn Fn(&str) -> String + Send + Sync>;

/// The policy's `[contexts]` globs and which contexts the scores count. Built once per run.
#[derive(Clone)]
pub struct Contexts {
    /// `(context, glob text, matcher)`, from the policy file, globs against the path the
    /// policy sees (relative to its folder; see [`Contexts::with_rebase`]).
    overrides: Vec<(CodeContext, String, GlobSet)>,
    /// Turns a finding path into the path the policy's globs are written against.
    rebase: Option<Rebase>,
    /// The contexts the score, hotspots, hard-to-move list and migration plan count.
    scored: Vec<CodeContext>,
    /// With several roots scanned, finding paths start with the root as given: it is
    /// stripped before the conventions apply (a root under `/home/me/examples/` is not an
    /// example) and before modules are named.
    roots: Vec<String>,
}

impl Default for Contexts {
    fn default() -> Self {
        Contexts { overrides: Vec::new(), rebase: None, scored: vec![CodeContext::Product], roots: Vec::new() }
    }
}

impl Contexts {
    /// Product code only, no overrides.
    pub fn new() -> Contexts {
        Contexts::default()
    }

    /// Every context counts (`--context all`).
    pub fn all() -> Contexts {
        Contexts { scored: CodeContext::ALL.to_vec(), ..Contexts::default() }
    }

    /// Counts these contexts (at least one; empty means product code).
    pub fn scoring(mut self, scored: &[CodeContext]) -> Contexts {
        let mut s: Vec<CodeContext> = scored.to_vec();
        s.sort();
        s.dedup();
        if s.is_empty() {
            s.push(CodeContext::Product);
        }
        self.scored = s;
        self
    }

    /// Adds the policy's globs for a context; an invalid glob is an error with its text.
    pub fn with_globs(mut self, context: CodeContext, globs: &[String]) -> Result<Contexts, String> {
        for g in globs {
            let glob = Glob::new(g).map_err(|e| format!("invalid glob `{g}`: {e}"))?;
            let set = GlobSetBuilder::new().add(glob).build().map_err(|e| e.to_string())?;
            self.overrides.push((context, g.clone(), set));
        }
        Ok(self)
    }

    /// The prefixes finding paths carry when several roots are scanned (the roots as given).
    pub fn with_roots(mut self, roots: Vec<String>) -> Contexts {
        self.roots = roots;
        self
    }

    /// The root prefixes finding paths carry (none for a single root).
    pub fn roots(&self) -> &[String] {
        &self.roots
    }

    /// `path` without the root prefix it carries, if any.
    pub fn relative<'a>(&self, path: &'a str) -> &'a str {
        split_root(&self.roots, path).1
    }

    /// Matches the policy's globs against `rebase(path)` instead of the finding path.
    pub fn with_rebase(mut self, rebase: impl Fn(&str) -> String + Send + Sync + 'static) -> Contexts {
        self.rebase = Some(std::sync::Arc::new(rebase));
        self
    }

    /// The context of a finding path: the policy's glob that matches with the longest text
    /// (the most specific), else the conventions of [`classify`].
    pub fn of(&self, path: &str) -> CodeContext {
        if !self.overrides.is_empty() {
            let seen = self.rebase.as_ref().map_or_else(|| path.to_string(), |r| r(path));
            let best =
                self.overrides.iter().filter(|(_, _, m)| m.is_match(&seen)).max_by_key(|(_, text, _)| text.len());
            if let Some((c, _, _)) = best {
                return *c;
            }
        }
        classify(self.relative(path))
    }

    /// The context of a finding at `path`, `test_code` when the source marks it as test
    /// code (a Rust `#[cfg(test)]` module): the policy's globs first, then that mark, then
    /// the conventions.
    pub fn of_code(&self, path: &str, test_code: bool) -> CodeContext {
        match self.of(path) {
            CodeContext::Product if test_code && !self.overridden(path) => CodeContext::Test,
            c => c,
        }
    }

    /// Whether a policy glob decides the context of `path`.
    fn overridden(&self, path: &str) -> bool {
        if self.overrides.is_empty() {
            return false;
        }
        let seen = self.rebase.as_ref().map_or_else(|| path.to_string(), |r| r(path));
        self.overrides.iter().any(|(_, _, m)| m.is_match(&seen))
    }

    /// Whether findings at `path` count in the scores.
    pub fn counts(&self, path: &str) -> bool {
        self.scored.contains(&self.of(path))
    }

    /// Whether a finding at `path` ([`Contexts::of_code`]) counts in the scores.
    pub fn counts_code(&self, path: &str, test_code: bool) -> bool {
        self.scored.contains(&self.of_code(path, test_code))
    }

    /// The contexts that count, sorted.
    pub fn scored(&self) -> &[CodeContext] {
        &self.scored
    }

    /// Whether every context counts.
    pub fn counts_all(&self) -> bool {
        self.scored.len() == CodeContext::ALL.len()
    }
}

impl fmt::Debug for Contexts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let globs: Vec<(CodeContext, &str)> = self.overrides.iter().map(|(c, g, _)| (*c, g.as_str())).collect();
        f.debug_struct("Contexts").field("overrides", &globs).field("scored", &self.scored).finish()
    }
}

impl PartialEq for Contexts {
    fn eq(&self, other: &Contexts) -> bool {
        self.scored == other.scored
            && self.roots == other.roots
            && self.overrides.len() == other.overrides.len()
            && self.overrides.iter().zip(&other.overrides).all(|(a, b)| a.0 == b.0 && a.1 == b.1)
    }
}

/// `(root prefix, rest)` of a finding path: the longest root it starts with, else `("", path)`.
pub fn split_root<'a>(roots: &[String], path: &'a str) -> (&'a str, &'a str) {
    roots
        .iter()
        .filter(|r| {
            !r.is_empty() && path.len() > r.len() && path.starts_with(r.as_str()) && path.as_bytes()[r.len()] == b'/'
        })
        .max_by_key(|r| r.len())
        .map_or(("", path), |r| (&path[..r.len()], &path[r.len() + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CodeContext::*;

    #[test]
    fn python_tests_by_pytest_conventions() {
        assert_eq!(classify("tests/test_app.py"), Test);
        assert_eq!(classify("pkg/test_client.py"), Test);
        assert_eq!(classify("pkg/client_test.py"), Test);
        assert_eq!(classify("pkg/conftest.py"), Test);
        assert_eq!(classify("pkg/testing_utils.py"), Product);
        assert_eq!(classify("src/app/llm.py"), Product);
    }

    #[test]
    fn javascript_tests_by_jest_and_vitest_conventions() {
        assert_eq!(classify("src/client.test.ts"), Test);
        assert_eq!(classify("src/client.spec.tsx"), Test);
        assert_eq!(classify("packages/openai/src/__tests__/chat.ts"), Test);
        assert_eq!(classify("packages/openai/src/chat.ts"), Product);
        assert_eq!(classify("packages/openai/src/contest.ts"), Product);
    }

    #[test]
    fn go_and_rust_tests() {
        assert_eq!(classify("pkg/client_test.go"), Test);
        assert_eq!(classify("tests/integration.rs"), Test);
        assert_eq!(classify("benches/scan.rs"), Script);
        assert_eq!(classify("src/lib.rs"), Product);
    }

    #[test]
    fn examples_scripts_docs_generated() {
        assert_eq!(classify("examples/chat/main.py"), Example);
        assert_eq!(classify("cookbook/rag.ipynb"), Example);
        assert_eq!(classify("scripts/release.py"), Script);
        assert_eq!(classify("setup.py"), Script);
        assert_eq!(classify("docs/src/guide.ipynb"), Docs);
        assert_eq!(classify("api/v1/service_pb2.py"), Generated);
        assert_eq!(classify("web/app.min.js"), Generated);
    }

    #[test]
    fn the_outermost_folder_decides() {
        assert_eq!(classify("docs/examples/x.py"), Docs);
        assert_eq!(classify("examples/app/tests/helpers.py"), Example);
        // A test file's name beats its folder.
        assert_eq!(classify("examples/app/test_app.py"), Test);
        assert_eq!(classify("Tests/App.py"), Test);
    }

    #[test]
    fn policy_globs_override_and_the_most_specific_wins() {
        let c = Contexts::new()
            .with_globs(Example, &["examples/**".into()])
            .unwrap()
            .with_globs(Product, &["examples/reference-app/**".into()])
            .unwrap();
        assert_eq!(c.of("examples/reference-app/llm.py"), Product);
        assert_eq!(c.of("examples/other/llm.py"), Example);
        assert!(c.counts("examples/reference-app/llm.py"));
        assert!(!c.counts("tests/test_x.py"));
        assert!(Contexts::all().counts("tests/test_x.py"));
    }

    #[test]
    fn root_prefixes_are_not_conventions() {
        let c = Contexts::new().with_roots(vec!["/home/me/examples/app".into(), "tests".into()]);
        assert_eq!(c.of("/home/me/examples/app/src/llm.py"), Product);
        assert_eq!(c.of("tests/unit/x.py"), Product);
        assert_eq!(c.of("tests/tests/x.py"), Test);
    }

    #[test]
    fn globs_match_the_rebased_path() {
        let c = Contexts::new().with_globs(Test, &["svc/qa/**".into()]).unwrap().with_rebase(|p| format!("svc/{p}"));
        assert_eq!(c.of("qa/check.py"), Test);
    }
}
