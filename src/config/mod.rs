//! The policy file: `lockin.toml` (or `.lockin.toml`, or `[tool.lockin]` in
//! pyproject.toml), found by walking up from the scanned path, or named with `--config`.
//! Reads and type-checks it (`raw.rs`); every problem names the file, line, column and key.
//! Selectors are checked against the rule set later, by `policy::Policy::new`, since the
//! file itself may add rules. docs/configuration.md documents every key.

pub mod raw;

use crate::context::CodeContext;
use crate::error::Location;
use crate::finding::{Capability, Kind, Severity};
use crate::rules::substitutes::Scoring;
use raw::{RawAllow, RawConfig, RawDeny, RawPyproject};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// File names looked for in each folder, in this order (pyproject.toml only counts when it
/// has a `[tool.lockin]` table).
pub const FILE_NAMES: [&str; 3] = ["lockin.toml", ".lockin.toml", "pyproject.toml"];

/// A value and where it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// `lockin.toml:3:1`, or the command-line flag that set it.
    pub at: String,
}

/// A `deny` entry: findings it selects fail the policy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DenyEntry {
    /// Vendor id.
    pub vendor: Option<String>,
    /// Rule selector (docs/configuration.md "Selectors").
    pub rule: Option<String>,
    /// Capability.
    pub capability: Option<Capability>,
    /// Finding kind.
    pub kind: Option<Kind>,
    /// Why it is denied (printed with the failure).
    pub reason: Option<String>,
    /// What to use instead (printed with the failure).
    pub use_instead: Option<String>,
    /// Where it is written.
    pub at: Location,
}

/// An `allow` entry: findings it selects in these paths never fail the policy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllowEntry {
    /// Path globs, relative to the config file's folder.
    pub paths: Vec<String>,
    /// Vendor id (none: any).
    pub vendor: Option<String>,
    /// Rule selector (none: any).
    pub rule: Option<String>,
    /// Capability (none: any).
    pub capability: Option<Capability>,
    /// Kind (none: any).
    pub kind: Option<Kind>,
    /// Why.
    pub reason: Option<String>,
    /// Where it is written.
    pub at: Location,
}

/// Overrides of the rule set's `[scoring]` weights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoringOverride {
    /// Weight of concentration.
    pub concentration: Option<f64>,
    /// Weight of depth.
    pub depth: Option<f64>,
    /// Weight of exposure.
    pub exposure: Option<f64>,
    /// Weight of spread.
    pub spread: Option<f64>,
    /// Most the mitigations take off.
    pub mitigation: Option<f64>,
    /// Effort levels.
    pub effort_levels: Option<[f64; 3]>,
    /// Where `[scoring]` is.
    pub at: Option<Location>,
    /// Its key as written (`scoring`, or `tool.lockin.scoring` in pyproject.toml).
    pub key: String,
}

impl ScoringOverride {
    /// Applies the overrides to the rule set's weights and checks the result.
    pub fn apply(&self, s: &mut Scoring) -> Result<(), ConfigError> {
        let Some(at) = &self.at else { return Ok(()) };
        for (value, slot) in [
            (self.concentration, &mut s.concentration),
            (self.depth, &mut s.depth),
            (self.exposure, &mut s.exposure),
            (self.spread, &mut s.spread),
            (self.mitigation, &mut s.mitigation),
        ] {
            if let Some(v) = value {
                *slot = v;
            }
        }
        if let Some(l) = self.effort_levels {
            s.effort_levels = l;
        }
        s.check().map_err(|(key, message)| ConfigError {
            at: at.clone(),
            key: Some(format!("{}.{key}", self.key)),
            message,
        })
    }
}

/// A loaded, type-checked policy file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file, as shown in messages.
    pub display: String,
    /// Its folder: relative paths in it are relative to this.
    pub dir: PathBuf,
    /// `fail_on`.
    pub fail_on: Option<Setting<Severity>>,
    /// `fail_on_retired`: fail when the code names a model its vendor has retired.
    pub fail_on_retired: Option<Setting<bool>>,
    /// `max_risk`.
    pub max_risk: Option<Setting<f64>>,
    /// `max_share`.
    pub max_share: Option<Setting<f64>>,
    /// `deny`.
    pub deny: Vec<DenyEntry>,
    /// `allow`.
    pub allow: Vec<AllowEntry>,
    /// `exclude` globs.
    pub exclude: Vec<String>,
    /// `include` globs.
    pub include: Vec<String>,
    /// `rules` folders, resolved against `dir`.
    pub rules: Vec<PathBuf>,
    /// `baseline`, resolved against `dir`.
    pub baseline: Option<PathBuf>,
    /// `[scoring]`.
    pub scoring: ScoringOverride,
    /// `[contexts]`: globs (relative to `dir`) that put paths in a context.
    pub contexts: Vec<(CodeContext, Vec<String>)>,
    /// `select`: selectors of the findings reported (none: every finding).
    pub select: Vec<Setting<String>>,
    /// `ignore`: selectors of findings never reported.
    pub ignore: Vec<Setting<String>>,
    /// `[per-path]`: a glob (relative to `dir`) and the selectors ignored in paths it matches.
    pub per_path: Vec<(String, Vec<Setting<String>>)>,
}

/// A problem in the policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Where.
    pub at: Location,
    /// The key (`deny[1].vendor`), if known.
    pub key: Option<String>,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(k) => write!(f, "{}: key `{k}`: {}", self.at, self.message),
            None => write!(f, "{}: {}", self.at, self.message),
        }
    }
}

/// Every problem found in a policy file, or the file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigErrors {
    /// I/O.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Syntax, unknown keys, wrong types, bad values.
    #[error("invalid configuration:\n{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<ConfigError>),
}

/// The policy file that applies to `start` (a file or folder): the first of
/// [`FILE_NAMES`] found in it or a parent folder.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let dir = if start.is_dir() { start.as_path() } else { start.parent()? };
    for d in dir.ancestors() {
        for name in FILE_NAMES {
            let p = d.join(name);
            // A policy file that is there but cannot be read (a FIFO, a dangling link) is
            // found, so that loading it fails and says why, rather than passing unseen.
            if std::fs::symlink_metadata(&p).is_err() || p.is_dir() {
                continue;
            }
            if name != "pyproject.toml" {
                return Some(p);
            }
            if crate::read::text(&p, crate::read::CONFIG_LIMIT).is_ok_and(|t| has_tool_lockin(&t)) {
                return Some(p);
            }
        }
    }
    None
}

fn has_tool_lockin(text: &str) -> bool {
    matches!(
        toml::from_str::<RawPyprojectProbe>(text),
        Ok(RawPyprojectProbe { tool: Some(ProbeTool { lockin: Some(_) }) })
    )
}

#[derive(serde::Deserialize)]
struct RawPyprojectProbe {
    tool: Option<ProbeTool>,
}

#[derive(serde::Deserialize)]
struct ProbeTool {
    lockin: Option<toml::Value>,
}

/// `path` as the user would write it: relative to the current folder (`lockin.toml`,
/// `../lockin.toml`) when they share a parent, else as given.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok().and_then(|c| std::fs::canonicalize(c).ok());
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let Some(cwd) = cwd.filter(|_| abs.is_absolute()) else { return path.to_string_lossy().into_owned() };
    let (a, c): (Vec<_>, Vec<_>) = (abs.components().collect(), cwd.components().collect());
    let common = a.iter().zip(&c).take_while(|(x, y)| x == y).count();
    let ups = c.len() - common;
    if common <= 1 || ups > 2 {
        return path.to_string_lossy().into_owned();
    }
    let mut parts: Vec<String> = vec!["..".to_string(); ups];
    parts.extend(a[common..].iter().map(|p| p.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

impl Config {
    /// Reads a policy file (`lockin.toml`, or the `[tool.lockin]` table of a pyproject.toml).
    pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
        let text = crate::read::text(path, crate::read::CONFIG_LIMIT)
            .map_err(|source| ConfigErrors::Read { path: path.into(), source })?;
        let display = display_path(path);
        let dir = std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| path.parent().map(Path::to_path_buf).unwrap_or_default());
        let pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        Config::parse(&text, &display, dir, pyproject)
    }

    /// Parses policy text; `display` names the file in messages, `dir` anchors its paths.
    pub fn parse(text: &str, display: &str, dir: PathBuf, pyproject: bool) -> Result<Config, ConfigErrors> {
        let raw = if pyproject {
            deserialize::<RawPyproject>(text, display).map(|p| p.tool.lockin.unwrap_or_default())
        } else {
            deserialize::<RawConfig>(text, display)
        }
        .map_err(|e| ConfigErrors::Invalid(vec![e]))?;
        let prefix = if pyproject { "tool.lockin." } else { "" };
        Validator { text, display, prefix, errors: Vec::new() }.config(raw, dir)
    }

    /// The commented starting file `lockin init` writes.
    pub fn template() -> &'static str {
        include_str!("template.toml")
    }
}

fn deserialize<T: serde::de::DeserializeOwned>(text: &str, display: &str) -> Result<T, ConfigError> {
    let locate = |span: Option<Range<usize>>| Location::at_offset(display, text, span.map_or(0, |s| s.start));
    let de = toml::Deserializer::parse(text).map_err(|e| ConfigError {
        at: locate(e.span()),
        key: None,
        message: e.message().trim().to_string(),
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        // `Spanned` adds private segments to the path; the user never wrote them.
        let key = e.path().to_string().split('.').filter(|s| !s.starts_with("$__")).collect::<Vec<_>>().join(".");
        let inner = e.into_inner();
        ConfigError {
            at: locate(inner.span()),
            key: (key != "." && !key.is_empty()).then_some(key),
            message: inner.message().trim().to_string(),
        }
    })
}

struct Validator<'a> {
    text: &'a str,
    display: &'a str,
    prefix: &'static str,
    errors: Vec<ConfigError>,
}

impl Validator<'_> {
    fn at(&self, span: Range<usize>) -> Location {
        Location::at_offset(self.display, self.text, span.start)
    }

    fn error(&mut self, span: Range<usize>, key: String, message: impl Into<String>) {
        let at = self.at(span);
        self.errors.push(ConfigError { at, key: Some(format!("{}{key}", self.prefix)), message: message.into() });
    }

    fn config(mut self, raw: RawConfig, dir: PathBuf) -> Result<Config, ConfigErrors> {
        let mut c = Config { display: self.display.to_string(), dir: dir.clone(), ..Config::default() };
        if let Some(v) = &raw.fail_on {
            c.fail_on = Some(Setting { value: *v.get_ref(), at: self.at(v.span()).to_string() });
        }
        if let Some(v) = &raw.fail_on_retired {
            c.fail_on_retired = Some(Setting { value: *v.get_ref(), at: self.at(v.span()).to_string() });
        }
        if let Some(v) = &raw.max_risk {
            if !(0.0..=100.0).contains(v.get_ref()) {
                self.error(v.span(), "max_risk".into(), format!("{} is not a score in 0..100", v.get_ref()));
            }
            c.max_risk = Some(Setting { value: *v.get_ref(), at: self.at(v.span()).to_string() });
        }
        if let Some(v) = &raw.max_share {
            if !(0.0..=1.0).contains(v.get_ref()) {
                self.error(
                    v.span(),
                    "max_share".into(),
                    format!("{} is not a share in 0..1 (0.8 = 80 %)", v.get_ref()),
                );
            }
            c.max_share = Some(Setting { value: *v.get_ref(), at: self.at(v.span()).to_string() });
        }
        for (i, d) in raw.deny.iter().enumerate() {
            let at = self.at(d.span());
            let entry = match d.get_ref() {
                RawDeny::Selector(s) => DenyEntry { rule: Some(s.clone()), at, ..DenyEntry::default() },
                RawDeny::Entry(e) => {
                    if e.vendor.is_none() && e.rule.is_none() && e.capability.is_none() && e.kind.is_none() {
                        self.error(
                            d.span(),
                            format!("deny[{i}]"),
                            "name what is denied: vendor, rule, capability or kind",
                        );
                    }
                    DenyEntry {
                        vendor: e.vendor.clone(),
                        rule: e.rule.clone(),
                        capability: e.capability,
                        kind: e.kind,
                        reason: e.reason.clone(),
                        use_instead: e.use_instead.clone(),
                        at,
                    }
                }
            };
            c.deny.push(entry);
        }
        for (i, a) in raw.allow.iter().enumerate() {
            let at = self.at(a.span());
            let entry = match a.get_ref() {
                RawAllow::Path(p) => AllowEntry { paths: vec![p.clone()], at, ..AllowEntry::default() },
                RawAllow::Entry(e) => {
                    let mut paths = e.paths.clone();
                    paths.extend(e.modules.iter().flat_map(|m| module_globs(m)));
                    if paths.is_empty() {
                        self.error(
                            a.span(),
                            format!("allow[{i}]"),
                            "give `paths` (globs) or `modules` where it is allowed",
                        );
                    }
                    AllowEntry {
                        paths,
                        vendor: e.vendor.clone(),
                        rule: e.rule.clone(),
                        capability: e.capability,
                        kind: e.kind,
                        reason: e.reason.clone(),
                        at,
                    }
                }
            };
            for p in &entry.paths {
                if let Err(e) = globset::Glob::new(p) {
                    self.error(a.span(), format!("allow[{i}]"), format!("invalid glob `{p}`: {}", e.kind()));
                }
            }
            c.allow.push(entry);
        }
        for (key, list, out) in [("exclude", &raw.exclude, &mut c.exclude), ("include", &raw.include, &mut c.include)] {
            for (i, g) in list.iter().enumerate() {
                if let Err(e) = globset::Glob::new(g.get_ref()) {
                    self.error(g.span(), format!("{key}[{i}]"), format!("invalid glob: {}", e.kind()));
                }
                out.push(g.get_ref().clone());
            }
        }
        for (i, r) in raw.rules.iter().enumerate() {
            let p = dir.join(r.get_ref());
            if !p.exists() {
                self.error(r.span(), format!("rules[{i}]"), format!("{} does not exist", p.display()));
            }
            c.rules.push(p);
        }
        c.baseline = raw.baseline.as_ref().map(|b| dir.join(b.get_ref()));
        if let Some(x) = &raw.contexts {
            for (context, list) in [
                (CodeContext::Product, &x.product),
                (CodeContext::Test, &x.test),
                (CodeContext::Example, &x.example),
                (CodeContext::Script, &x.script),
                (CodeContext::Docs, &x.docs),
                (CodeContext::Generated, &x.generated),
            ] {
                for (i, g) in list.iter().enumerate() {
                    if let Err(e) = globset::Glob::new(g.get_ref()) {
                        self.error(g.span(), format!("contexts.{context}[{i}]"), format!("invalid glob: {}", e.kind()));
                    }
                }
                if !list.is_empty() {
                    c.contexts.push((context, list.iter().map(|g| g.get_ref().clone()).collect()));
                }
            }
        }
        let setting =
            |v: &toml::Spanned<String>| Setting { value: v.get_ref().clone(), at: self.at(v.span()).to_string() };
        c.select = raw.select.iter().map(setting).collect();
        c.ignore = raw.ignore.iter().map(setting).collect();
        let mut per_path = Vec::new();
        for (glob, list) in &raw.per_path {
            if let Err(e) = globset::Glob::new(glob) {
                per_path.push(Err((
                    list.span(),
                    format!("per-path.\"{glob}\""),
                    format!("invalid glob: {}", e.kind()),
                )));
            } else {
                per_path.push(Ok((glob.clone(), list.get_ref().iter().map(setting).collect())));
            }
        }
        for entry in per_path {
            match entry {
                Ok(e) => c.per_path.push(e),
                Err((span, key, message)) => self.error(span, key, message),
            }
        }
        if let Some(s) = &raw.scoring {
            let r = s.get_ref();
            c.scoring = ScoringOverride {
                concentration: r.concentration,
                depth: r.depth,
                exposure: r.exposure,
                spread: r.spread,
                mitigation: r.mitigation,
                effort_levels: r.effort_levels,
                at: Some(self.at(s.span())),
                key: format!("{}scoring", self.prefix),
            };
        }
        if self.errors.is_empty() {
            Ok(c)
        } else {
            Err(ConfigErrors::Invalid(self.errors))
        }
    }
}

/// Python module `app.llm` → the globs of its file and package, at any depth (src layouts).
fn module_globs(module: &str) -> Vec<String> {
    let path = module.trim().replace('.', "/");
    vec![format!("**/{path}.py"), format!("**/{path}/**")]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<String>> {
        Config::parse(text, "lockin.toml", PathBuf::from("/repo"), false).map_err(|e| match e {
            ConfigErrors::Invalid(v) => v.iter().map(ToString::to_string).collect(),
            other => vec![other.to_string()],
        })
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            r#"
fail_on = "high"
max_risk = 60
max_share = 0.8
deny = ["anthropic", { vendor = "openai", reason = "contract ends", use_instead = "vLLM" }]
allow = ["scripts/**", { vendor = "openai", paths = ["src/llm/**"], modules = ["app.llm"] }]
exclude = ["tests/**"]
include = ["src/**"]
baseline = "lockin-baseline.json"

[scoring]
concentration = 0.5
depth = 0.1
"#,
        )
        .unwrap();
        assert_eq!(c.fail_on.as_ref().unwrap().value, Severity::High);
        assert_eq!(c.fail_on.unwrap().at, "lockin.toml:2:11");
        assert_eq!(c.max_risk.unwrap().value, 60.0);
        assert_eq!(c.deny.len(), 2);
        assert_eq!(c.deny[0].rule.as_deref(), Some("anthropic"));
        assert_eq!(c.deny[1].use_instead.as_deref(), Some("vLLM"));
        assert_eq!(c.deny[1].at.line, 5);
        assert_eq!(c.allow[1].paths, ["src/llm/**", "**/app/llm.py", "**/app/llm/**"]);
        assert_eq!(c.baseline, Some(PathBuf::from("/repo/lockin-baseline.json")));
        assert_eq!(c.scoring.concentration, Some(0.5));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse("fail_on = \"high\"\nfial_on = 1\n").unwrap_err();
        assert!(e[0].starts_with("lockin.toml:2:1:") && e[0].contains("fial_on"), "{e:?}");
        let e = parse("max_risk = \"sixty\"\n").unwrap_err();
        assert!(e[0].starts_with("lockin.toml:1:12: key `max_risk`:"), "{e:?}");
        let e = parse("fail_on = \"hihg\"\n").unwrap_err();
        assert!(e[0].contains("key `fail_on`") && e[0].contains("high"), "{e:?}");
        let e = parse("deny = [{ vendor = \"openai\", reasn = \"x\" }]\n").unwrap_err();
        assert!(e[0].starts_with("lockin.toml:1:") && e[0].contains("reasn"), "{e:?}");
        let e = parse("max_share = 80\n").unwrap_err();
        assert!(e[0].contains("key `max_share`") && e[0].contains("0..1"), "{e:?}");
        let e = parse("deny = [{ reason = \"why\" }]\n").unwrap_err();
        assert!(e[0].contains("key `deny[0]`"), "{e:?}");
    }

    #[test]
    fn pyproject_table_is_read_with_its_own_lines() {
        let text = "[project]\nname = \"x\"\n\n[tool.lockin]\nfail_on = \"medium\"\nbogus = 1\n";
        let e = Config::parse(text, "pyproject.toml", PathBuf::from("/r"), true).unwrap_err().to_string();
        assert!(e.contains("pyproject.toml:6:1") && e.contains("bogus"), "{e}");
        let ok = Config::parse("[tool.lockin]\nmax_risk = 10\n", "pyproject.toml", PathBuf::new(), true).unwrap();
        assert_eq!(ok.max_risk.unwrap().value, 10.0);
        assert!(has_tool_lockin("[tool.lockin]\n") && !has_tool_lockin("[tool.ruff]\n"));
    }

    #[test]
    fn reads_select_ignore_and_per_path() {
        let c = parse(
            "select = [\"openai\", \"call\"]\nignore = [\"openai.model\"]\n\n[per-path]\n\"tests/**\" = [\"*\"]\n",
        )
        .unwrap();
        let values = |l: &[Setting<String>]| l.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
        assert_eq!(values(&c.select), ["openai", "call"]);
        assert_eq!(c.select[1].at, "lockin.toml:1:21");
        assert_eq!(values(&c.ignore), ["openai.model"]);
        assert_eq!(c.per_path.len(), 1);
        assert_eq!((c.per_path[0].0.as_str(), values(&c.per_path[0].1)), ("tests/**", vec!["*".to_string()]));
        let e = parse("[per-path]\n\"a/[\" = [\"*\"]\n").unwrap_err();
        assert!(e[0].starts_with("lockin.toml:2:") && e[0].contains("per-path"), "{e:?}");
    }

    #[test]
    fn template_is_a_valid_config() {
        parse(Config::template()).unwrap();
    }
}
