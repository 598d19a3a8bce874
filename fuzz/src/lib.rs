//! The fuzz targets: one per front end of lockin, each taking arbitrary bytes and calling
//! the library's public entry points as a scan would (text decoded lossily, detection, the
//! cross-module pass). Shared by the AFL binary (`fuzz/src/main.rs`, driven by
//! `scripts/fuzz.sh`) and by the regression test that replays every crash ever found
//! (`tests/fuzz_regressions.rs`, which includes this file with `#[path]`), so both run the
//! same code. Nothing here may depend on AFL.

use lockin::config::Config;
use lockin::detect::{self, LocalModules};
use lockin::lang::FileKind;
use lockin::policy::Policy;
use lockin::rules::{self, RuleSet, RuleSource};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The stack of the scanner's worker threads: an input that overflows it here overflows it
/// in a scan.
pub const STACK: usize = lockin::scan::STACK_SIZE;

/// A fuzz target: takes any bytes, returns unless lockin has a bug.
pub type Target = fn(&[u8]);

/// Every target, by the name `scripts/fuzz.sh` and `tests/fuzz_regressions/<name>/` use.
pub const TARGETS: &[(&str, Target)] = &[
    ("python", python),
    ("javascript", javascript),
    ("rust", rust),
    ("notebook", notebook),
    ("requirements", requirements),
    ("toml", toml_manifest),
    ("setup_cfg", setup_cfg),
    ("package_json", package_json),
    ("cargo", cargo),
    ("go", go),
    ("go_mod", go_mod),
    ("java", java),
    ("pom", pom),
    ("gradle", gradle),
    ("csharp", csharp),
    ("nuget", nuget),
    ("spring", spring),
    ("rules", rule_file),
    ("policy", policy),
];

/// The target called `name`.
pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// Runs `f` on `data` on a thread with the scanner's stack; a panic escaping the library
/// is resumed here, so the caller sees it (AFL: a crash; a test: a failure).
pub fn run_on_worker_stack(f: Target, data: &[u8]) {
    let joined = std::thread::scope(|s| {
        std::thread::Builder::new().stack_size(STACK).spawn_scoped(s, || f(data)).expect("a thread").join()
    });
    if let Err(panic) = joined {
        std::panic::resume_unwind(panic);
    }
}

/// Loads what every input shares before the first one, so that AFL sees the same path
/// for the same input from the first run on.
pub fn prepare() {
    embedded();
}

/// The embedded rules, loaded once per process.
fn embedded() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(rules::load_embedded)
}

/// Bytes as the scanner decodes a file: UTF-8, invalid sequences replaced.
fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Detects `data` as the file `rel` in a tree of `tree` files (each given the same text),
/// then runs the cross-module pass over their outputs, as `scan` does.
fn detect_in_tree(data: &[u8], language: FileKind, rel: &str, tree: &[&str]) {
    let rules = embedded();
    let text = text(data);
    let locals = LocalModules::new(tree.iter().copied());
    let mut outputs: Vec<_> = std::iter::once(rel)
        .chain(tree.iter().copied().filter(|r| *r != rel))
        .map(|r| detect::detect(r, language, &text, rules, &locals))
        .collect();
    detect::resolve_pending(&mut outputs, rules, &locals);
}

/// Python source. Two copies of the file in two folders of one tree, so that each
/// imports the other's exports in the cross-module pass (issue 12's colliding names).
pub fn python(data: &[u8]) {
    detect_in_tree(data, FileKind::Python, "a/app.py", &["a/app.py", "b/app.py"]);
}

/// JavaScript, TypeScript, TSX or a `.vue` component, chosen by the first byte (modulo 4:
/// the seeds start with `0`, `1`, `2` or `3`); the rest is the source.
pub fn javascript(data: &[u8]) {
    let Some((&kind, src)) = data.split_first() else { return };
    let (language, rel) = match kind % 4 {
        0 => (FileKind::JavaScript, "src/app.js"),
        1 => (FileKind::TypeScript, "src/app.ts"),
        2 => (FileKind::Tsx, "src/app.tsx"),
        _ => (FileKind::Component, "src/App.vue"),
    };
    detect_in_tree(src, language, rel, &[rel, "src/index.ts"]);
}

/// Rust source.
pub fn rust(data: &[u8]) {
    detect_in_tree(data, FileKind::Rust, "src/main.rs", &["src/main.rs"]);
}

/// Go source: two files of one package, so that each reads the other's exports.
pub fn go(data: &[u8]) {
    detect_in_tree(data, FileKind::Go, "llm/a.go", &["llm/a.go", "llm/b.go"]);
}

/// A Java source.
pub fn java(data: &[u8]) {
    detect_in_tree(data, FileKind::Java, "src/App.java", &["src/App.java"]);
}

/// `pom.xml`.
pub fn pom(data: &[u8]) {
    detect_in_tree(data, FileKind::Pom, "pom.xml", &[]);
}

/// `build.gradle`.
pub fn gradle(data: &[u8]) {
    detect_in_tree(data, FileKind::Gradle, "build.gradle", &[]);
}

/// A C# source.
pub fn csharp(data: &[u8]) {
    detect_in_tree(data, FileKind::CSharp, "src/Program.cs", &["src/Program.cs"]);
}

/// A `.csproj`.
pub fn nuget(data: &[u8]) {
    detect_in_tree(data, FileKind::NuGet, "App.csproj", &[]);
}

/// A Spring `application.yml`.
pub fn spring(data: &[u8]) {
    detect_in_tree(data, FileKind::SpringConfig, "src/main/resources/application.yml", &[]);
}

/// `go.mod`.
pub fn go_mod(data: &[u8]) {
    detect_in_tree(data, FileKind::GoMod, "go.mod", &[]);
}

/// A Jupyter notebook.
pub fn notebook(data: &[u8]) {
    detect_in_tree(data, FileKind::Notebook, "explore.ipynb", &["explore.ipynb"]);
}

/// A requirements file (its `-r` includes are listed, never read).
pub fn requirements(data: &[u8]) {
    detect_in_tree(data, FileKind::Requirements, "requirements.txt", &[]);
}

/// The TOML manifests: the same text as `pyproject.toml` and as `Pipfile`.
pub fn toml_manifest(data: &[u8]) {
    detect_in_tree(data, FileKind::Toml, "pyproject.toml", &[]);
    detect_in_tree(data, FileKind::Toml, "Pipfile", &[]);
}

/// `setup.cfg`.
pub fn setup_cfg(data: &[u8]) {
    detect_in_tree(data, FileKind::SetupCfg, "setup.cfg", &[]);
}

/// `package.json`.
pub fn package_json(data: &[u8]) {
    detect_in_tree(data, FileKind::PackageJson, "package.json", &[]);
}

/// `Cargo.toml`.
pub fn cargo(data: &[u8]) {
    detect_in_tree(data, FileKind::Cargo, "Cargo.toml", &[]);
}

/// A user's rule file, loaded alone as `--rules` would load it; when it is valid, its rule
/// set also compiles its literals and scans a small file, so odd rules reach the matchers.
pub fn rule_file(data: &[u8]) {
    let source = RuleSource::Text { name: "rules/fuzz.toml".into(), text: text(data) };
    let Ok(set) = rules::load(&[source]) else { return };
    let sample = "import openai\nclient = openai.OpenAI(api_key=\"sk-proj-0123\")\nclient.chat.completions.create(model=\"gpt-4o\")\n";
    let _ = lockin::prefilter::Prefilter::new(&set).check(sample.as_bytes());
    let locals = LocalModules::new(["app.py"]);
    detect::detect("app.py", FileKind::Python, sample, &set, &locals);
}

/// A policy file, as `lockin.toml` and as the `[tool.lockin]` table of a pyproject.toml,
/// each then compiled against the embedded rules as `scan` does.
pub fn policy(data: &[u8]) {
    let text = text(data);
    for (name, pyproject) in [("lockin.toml", false), ("pyproject.toml", true)] {
        let Ok(config) = Config::parse(&text, name, PathBuf::from("/repo"), pyproject) else { continue };
        let mut scoring = embedded().substitutes.scoring.clone();
        let _ = config.scoring.apply(&mut scoring);
        let _ = Policy::new(Some(&config), None, embedded(), Vec::new());
    }
}
