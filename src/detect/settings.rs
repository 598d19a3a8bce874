//! Settings files of the scanned tree: the URL each environment variable is set to in
//! `.env` files (`.env`, `.env.example`, `.env.local`, `.env.production.example`, ...),
//! docker-compose `environment:` entries (list and map forms, `${VAR:-default}`), and
//! Kubernetes manifests and Helm values (`env: - name: X value: Y`, `X: value` maps).
//!
//! In: the settings files the walk lists ([`is_settings_file`]), read once before detection
//! ([`read`]). Out: a [`TreeEnv`], URL values by variable name, which the matcher consults
//! where a base URL is read from an environment variable ([`served_from_tree`]): the host the
//! tree sets it to decides who serves the client, before the variable's name does.
//!
//! Only URL-shaped values are kept, without user info, query or fragment: a key, a token or a
//! password is never read into the result, so it can never reach output. Lines are read one
//! by one (no YAML parser: Helm values and compose files hold templates that are not YAML
//! yet); a line that is not a setting is skipped, never an error.
//!
//! The detectors reach the tree's settings through a per-thread scope that [`super::detect`]
//! and [`super::resolve_pending`] open for each file ([`scoped`]), so every language's base
//! URL decision reads them in one place (`matcher::served_by_value`) without the settings
//! being threaded through each front end.

use super::matcher::{self, Served};
use super::path::HOLE;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A URL an environment variable is set to in a settings file of the tree.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SetUrl {
    /// The URL without user info, query or fragment (placeholders as [`HOLE`]).
    pub url: String,
    /// The settings file (relative path).
    pub file: String,
}

/// URL values of environment variables across the tree's settings files.
#[derive(Debug, Default, Clone)]
pub struct TreeEnv {
    urls: BTreeMap<String, Vec<SetUrl>>,
    /// `X: ${Y}` (and `${Y:-default}`, `$Y`) entries: X takes Y's values ([`TreeEnv::finish`]).
    aliases: Vec<(String, String)>,
}

/// How many steps of `X: ${Y}` aliases are followed (`A: ${B}`, `B: ${C}`, `C=https://...`).
const ALIAS_STEPS: usize = 4;

/// The largest settings file read.
const MAX_SETTINGS_FILE: u64 = 512 * 1024;

/// Whether a file (by its name and relative path) is a settings file read for environment
/// values: a `.env` file, a docker-compose file, or a YAML file (Kubernetes manifests and
/// Helm values have no fixed name). Lock files and CI workflows are not.
pub fn is_settings_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower == ".env" || lower.starts_with(".env.") {
        return true;
    }
    (lower.ends_with(".yml") || lower.ends_with(".yaml") || lower.ends_with(".properties")) && !lower.contains("lock.")
}

/// Reads the settings files `files` (relative path, path on disk), in the given order. A file
/// that cannot be read, is larger than 512 KiB or is not UTF-8 is skipped.
pub fn read(files: &[(String, std::path::PathBuf)]) -> TreeEnv {
    let mut env = TreeEnv::default();
    for (rel, path) in files {
        let Ok(meta) = std::fs::metadata(path) else { continue };
        if !meta.is_file() || meta.len() > MAX_SETTINGS_FILE {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        // Only a URL (`://`) or a variable passed on (`$`) is kept: a file with neither (most
        // YAML of a tree: CI, playbooks, fixtures) is not read line by line.
        if memchr::memmem::find(text.as_bytes(), b"://").is_none() && memchr::memchr(b'$', text.as_bytes()).is_none() {
            continue;
        }
        env.add_file(rel, &text);
    }
    env.finish();
    env
}

impl TreeEnv {
    /// Adds the settings of one file's text; `rel` decides how it is read.
    pub fn add_file(&mut self, rel: &str, text: &str) {
        let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
        let mut pairs = if name == ".env" || name.starts_with(".env.") {
            dotenv_pairs(text)
        } else if name.ends_with(".properties") {
            Vec::new()
        } else {
            yaml_pairs(text)
        };
        // Property keys (`openai.baseUrl=https://...` of a `.properties` file, nested YAML keys
        // joined with dots: Spring's `application.yml`), read where code asks for a property by
        // its key ([`TreeEnv::property`]). A dotted key is never an environment variable's name.
        let properties = if name.ends_with(".properties") {
            super::spring::properties(text)
        } else if name.ends_with(".yml") || name.ends_with(".yaml") {
            super::spring::yaml(text)
        } else {
            Vec::new()
        };
        pairs.extend(properties.into_iter().filter(|(k, _, _)| is_property_key(k)).map(|(k, v, _)| (k, v)));
        for (key, raw) in pairs {
            if let Some(other) = aliased(&raw).filter(|other| *other != key) {
                self.aliases.push((key.clone(), other));
            }
            if let Some(url) = url_value(&raw) {
                self.urls.entry(key).or_default().push(SetUrl { url, file: rel.to_string() });
            }
        }
    }

    /// Gives each alias `X: ${Y}` the URLs `Y` is set to anywhere in the tree (compose passing
    /// a `.env` value on under another name), a bounded number of steps; then sorts and
    /// deduplicates, so that the answer depends only on the files.
    pub fn finish(&mut self) {
        self.aliases.sort();
        self.aliases.dedup();
        for _ in 0..ALIAS_STEPS {
            let mut grew = false;
            for (name, other) in &self.aliases {
                let Some(from) = self.urls.get(other).cloned() else { continue };
                let list = self.urls.entry(name.clone()).or_default();
                for set in from {
                    if !list.contains(&set) {
                        list.push(set);
                        grew = true;
                    }
                }
            }
            if !grew {
                break;
            }
        }
        for list in self.urls.values_mut() {
            list.sort();
            list.dedup();
        }
    }

    /// The URLs `name` is set to, sorted by URL then file.
    pub fn urls(&self, name: &str) -> &[SetUrl] {
        self.urls.get(name).map_or(&[], Vec::as_slice)
    }

    /// The URL a property key (`anthropic.baseUrl`, `spring.ai.openai.base-url`) is set to in
    /// the tree's `.properties` and YAML files, when every file that sets it agrees on its host.
    pub fn property(&self, key: &str) -> Option<&SetUrl> {
        if !is_property_key(key) {
            return None;
        }
        let set = self.urls(key);
        let first = set.first()?;
        let host = |u: &str| u.split_once("://").map(|(_, r)| r.split('/').next().unwrap_or(r).to_string());
        set.iter().all(|s| host(&s.url) == host(&first.url)).then_some(first)
    }

    /// Whether no settings file set any variable to a URL.
    pub fn is_empty(&self) -> bool {
        self.urls.is_empty()
    }
}

thread_local! {
    /// The settings of the tree the file this thread scans belongs to.
    static TREE: RefCell<Option<Arc<TreeEnv>>> = const { RefCell::new(None) };
}

/// Runs `f` with `env` as the tree's settings on this thread (restoring the previous ones
/// after, so scopes nest).
pub fn scoped<T>(env: &Arc<TreeEnv>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Arc<TreeEnv>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            TREE.with(|t| *t.borrow_mut() = previous);
        }
    }
    let _restore = Restore(TREE.with(|t| t.replace(Some(env.clone()))));
    f()
}

/// The tree's settings in scope on this thread, to carry into a thread a detector starts
/// ([`carried`]).
pub fn current() -> Option<Arc<TreeEnv>> {
    TREE.with(|t| t.borrow().clone())
}

/// Runs `f` with `tree` (from [`current`] on the starting thread) in scope.
pub fn carried<T>(tree: Option<Arc<TreeEnv>>, f: impl FnOnce() -> T) -> T {
    match tree {
        Some(env) => scoped(&env, f),
        None => f(),
    }
}

/// Who serves a base URL read from environment variable `name`, when the tree's settings
/// files set it to URLs: the vendor of their host (a hosted vendor, a self-hosted server, an
/// unknown public host). Values naming several vendors: the first proprietary one serves it,
/// and the note names each. `None` when no settings file sets `name` to a URL.
pub fn served_from_tree(rules: &RuleSet, name: &str) -> Option<Served> {
    TREE.with(|t| {
        let tree = t.borrow();
        let set = tree.as_ref()?.urls(name);
        served_by_urls(rules, name, set)
    })
}

fn served_by_urls(rules: &RuleSet, name: &str, set: &[SetUrl]) -> Option<Served> {
    // (vendor, the first URL naming it, files) in URL order.
    let mut vendors: Vec<(String, &SetUrl, Vec<&str>)> = Vec::new();
    for s in set {
        let Some(vendor) = matcher::vendor_for_base_url(rules, &s.url) else { continue };
        match vendors.iter_mut().find(|(v, _, _)| *v == vendor) {
            Some((_, _, files)) => files.push(&s.file),
            None => vendors.push((vendor, s, vec![&s.file])),
        }
    }
    let proprietary = |v: &str| rules.vendor(v).is_some_and(|v| v.proprietary);
    let chosen = vendors.iter().find(|(v, _, _)| proprietary(v)).or(vendors.first())?;
    let shown: Vec<String> = vendors
        .iter()
        .map(|(_, s, files)| {
            let files: Vec<String> = files.iter().map(|f| format!("`{f}`")).collect();
            format!("{} in {}", shown_host(&s.url), files.join(", "))
        })
        .collect();
    let note = if vendors.len() > 1 {
        format!("`{name}` is set to several hosts in the tree: {}", shown.join("; "))
    } else {
        format!("`{name}` is set to {}", shown.join("; "))
    };
    Some(Served {
        vendor: chosen.0.clone(),
        configurable: true,
        base_url: Some(chosen.1.url.clone()),
        setting: Some(name.to_string()),
        set_in: Some(note),
        model_at_run_time: false,
    })
}

/// The host of a kept URL, a placeholder shown as `…`.
fn shown_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    host.replace(HOLE, "…")
}

/// `KEY=value` pairs of a `.env` file (`export KEY=value`, quoted values, `# comments`).
fn dotenv_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if let Some(pair) = assignment(line) {
            out.push(pair);
        }
    }
    out
}

/// `KEY=value` with an environment variable name as key; an unquoted value ends at ` #`.
fn assignment(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    if !is_env_name(key) {
        return None;
    }
    let value = value.trim();
    let value = if value.starts_with(['"', '\'']) {
        value
    } else {
        value.split_once(" #").map_or(value, |(v, _)| v).trim_end()
    };
    Some((key.to_string(), value.to_string()))
}

/// A property key: dotted words (`openai.baseUrl`, `spring.ai.openai.base-url`), never an
/// environment variable's name.
fn is_property_key(key: &str) -> bool {
    key.contains('.')
        && !key.starts_with('.')
        && !key.ends_with('.')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// The URL the tree's property files set `key` to, in the scope of this thread's scan
/// ([`TreeEnv::property`]).
pub fn property(key: &str) -> Option<SetUrl> {
    TREE.with(|t| t.borrow().as_ref()?.property(key).cloned())
}

/// An environment variable name: letters, digits and `_`, not starting with a digit, with
/// an upper-case letter and no lower-case one (`OPENAI_BASE_URL`; `baseUrl` is a YAML key).
fn is_env_name(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && key.chars().any(|c| c.is_ascii_uppercase())
}

/// Settings in a YAML file, read line by line: compose list items (`- KEY=value`), maps with
/// environment-variable keys (`KEY: value`, compose and Helm), and Kubernetes `env` entries
/// (`- name: KEY` with `value: ...` in the same item).
fn yaml_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // The `name:` of the Kubernetes entry being read, and the column of its keys.
    let mut entry: Option<(String, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (item, body) = match trimmed.strip_prefix("- ") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        // The column where this line's key starts (after a list dash).
        let column = line.len() - body.len();
        if entry.as_ref().is_some_and(|(_, c)| column < *c || (item && column <= *c)) {
            entry = None;
        }
        if item {
            if let Some(pair) = assignment(unquote(body)) {
                out.push(pair);
                continue;
            }
        }
        let Some((key, value)) = body.split_once(':') else { continue };
        let key = unquote(key.trim());
        let value = value.trim();
        match key {
            "name" if is_env_name(unquote(value)) => entry = Some((unquote(value).to_string(), column)),
            "value" => {
                if let Some((name, c)) = entry.take() {
                    if c == column {
                        out.push((name, value.to_string()));
                    }
                }
            }
            _ if is_env_name(key) && !value.is_empty() => out.push((key.to_string(), value.to_string())),
            _ => {}
        }
    }
    out
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The variable a setting's value passes on: `${Y}`, `${Y:-default}`, `${Y-default}`, `$Y`.
fn aliased(raw: &str) -> Option<String> {
    let v = unquote(raw.trim()).trim();
    let name = match v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        Some(inner) => inner.split([':', '-', '=', '?']).next().unwrap_or(inner),
        None => v.strip_prefix('$')?,
    };
    is_env_name(name).then(|| name.to_string())
}

/// The URL a setting's value holds, kept without user info, query or fragment; `None` for
/// anything that is not an `http(s)` URL (keys, tokens, names, numbers). A compose default
/// (`${VAR:-https://...}`) is the value; placeholders in the host (`<resource>`,
/// `{{ .Values.host }}`, `${REGION}`) become [`HOLE`]s.
pub fn url_value(raw: &str) -> Option<String> {
    let mut v = unquote(raw.trim()).trim();
    // `${VAR:-default}`, `${VAR-default}`, `${VAR:=default}`: the default.
    if let Some(inner) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        let at = inner.find([':', '-', '='])?;
        v = unquote(inner[at..].trim_start_matches([':', '-', '=', '?']));
    }
    let lower = v.get(..8)?.to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return None;
    };
    let rest = &v[scheme_len..];
    let end = rest.find(|c: char| c.is_whitespace() || c == '?' || c == '#').unwrap_or(rest.len());
    let rest = &rest[..end];
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = placeholders_to_holes(authority);
    // (`%s` stays: a printf format the code fills, `String.format(base, resource)`.)
    if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || ".-_:[]%".contains(c) || c == HOLE) {
        return None;
    }
    Some(format!("{}{host}{}", &v[..scheme_len].to_ascii_lowercase(), placeholders_to_holes(path)))
}

/// `<name>`, `{{ expr }}`, `${VAR}` and `{name}` become one [`HOLE`] each.
fn placeholders_to_holes(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(['<', '{', '$']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let close = match tail.as_bytes()[0] {
            b'<' => tail.find('>').map(|j| j + 1),
            b'{' if tail.starts_with("{{") => tail.find("}}").map(|j| j + 2),
            b'{' => tail.find('}').map(|j| j + 1),
            _ if tail.starts_with("${") => tail.find('}').map(|j| j + 1),
            _ => None,
        };
        match close {
            Some(j) => {
                if !out.ends_with(HOLE) {
                    out.push(HOLE);
                }
                rest = &tail[j..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(files: &[(&str, &str)]) -> TreeEnv {
        let mut env = TreeEnv::default();
        for (rel, text) in files {
            env.add_file(rel, text);
        }
        env.finish();
        env
    }

    fn urls(env: &TreeEnv, name: &str) -> Vec<String> {
        env.urls(name).iter().map(|s| format!("{} {}", s.url, s.file)).collect()
    }

    #[test]
    fn reads_dotenv_assignments_and_keeps_only_urls() {
        let env = env_of(&[(
            ".env.example",
            "# comment\nexport OPENAI_BASE_URL=\"https://api.groq.com/openai/v1\"\nOPENAI_API_KEY=sk-proj-abcdefghijklmnop\n\
             LLM_URL=http://user:secret@localhost:11434/v1?token=abc # local\nMODEL=gpt-4o\nlower_case=https://x.example.com\n",
        )]);
        assert_eq!(urls(&env, "OPENAI_BASE_URL"), ["https://api.groq.com/openai/v1 .env.example"]);
        assert_eq!(urls(&env, "LLM_URL"), ["http://localhost:11434/v1 .env.example"]);
        // Keys and other values are never kept.
        assert!(env.urls("OPENAI_API_KEY").is_empty());
        assert!(env.urls("MODEL").is_empty());
        assert!(env.urls("lower_case").is_empty());
    }

    #[test]
    fn reads_compose_lists_maps_and_defaults() {
        let compose = "services:\n  app:\n    environment:\n      - OLLAMA_URL=http://ollama:11434\n      - \"A_URL=https://a.example.com\"\n  \
                       worker:\n    environment:\n      LLM_BASE_URL: ${LLM_BASE_URL:-https://api.together.xyz/v1}\n      \
                       OTHER_URL: ${OTHER_URL}\n      API_KEY: ${API_KEY:-changeme}\n";
        let env = env_of(&[("docker-compose.yml", compose)]);
        assert_eq!(urls(&env, "OLLAMA_URL"), ["http://ollama:11434 docker-compose.yml"]);
        assert_eq!(urls(&env, "A_URL"), ["https://a.example.com docker-compose.yml"]);
        assert_eq!(urls(&env, "LLM_BASE_URL"), ["https://api.together.xyz/v1 docker-compose.yml"]);
        assert!(env.urls("OTHER_URL").is_empty());
        assert!(env.urls("API_KEY").is_empty());
    }

    #[test]
    fn compose_aliases_take_the_values_of_the_variable_they_name() {
        // See: issue 14 (compose values that point at another variable).
        let compose = "services:\n  api:\n    environment:\n      OPENAI_BASE_URL: ${LLM_URL}\n      \
                       EMBED_URL: ${EMBED_HOST:-http://tei:8080}\n      SELF_URL: ${SELF_URL}\n      \
                       KEY_URL: ${NO_SUCH_VAR}\n  worker:\n    environment:\n      - CHAT_URL=$OPENAI_BASE_URL\n";
        let env = env_of(&[
            ("docker-compose.yml", compose),
            (".env", "LLM_URL=https://api.deepseek.com/v1\nEMBED_HOST=https://api.jina.ai/v1\n"),
        ]);
        assert_eq!(urls(&env, "OPENAI_BASE_URL"), ["https://api.deepseek.com/v1 .env"]);
        // Through two aliases, and a default next to the variable's own value.
        assert_eq!(urls(&env, "CHAT_URL"), ["https://api.deepseek.com/v1 .env"]);
        assert_eq!(urls(&env, "EMBED_URL"), ["http://tei:8080 docker-compose.yml", "https://api.jina.ai/v1 .env"]);
        assert!(env.urls("SELF_URL").is_empty());
        assert!(env.urls("KEY_URL").is_empty());
    }

    #[test]
    fn reads_kubernetes_env_entries() {
        let manifest = "spec:\n  containers:\n    - name: api\n      env:\n        - name: OPENAI_BASE_URL\n          value: \"http://vllm.ml.svc.cluster.local:8000/v1\"\n        \
                        - name: OPENAI_API_KEY\n          valueFrom:\n            secretKeyRef:\n              name: llm\n        \
                        - name: OTHER\n        - value: https://stray.example.com\n";
        let env = env_of(&[("deploy/k8s/api.yaml", manifest)]);
        assert_eq!(urls(&env, "OPENAI_BASE_URL"), ["http://vllm.ml.svc.cluster.local:8000/v1 deploy/k8s/api.yaml"]);
        assert!(env.urls("OTHER").is_empty());
        assert!(env.urls("OPENAI_API_KEY").is_empty());
    }

    #[test]
    fn reads_property_keys_of_properties_and_yaml_files() {
        let props =
            "# hosts\nanthropic.baseUrl=https://api.anthropic.com\nazure.baseUrl = https://%s.openai.azure.com\n\
                     app.name=gateway\nOPENAI_BASE_URL=https://api.groq.com/openai/v1\n";
        let yaml = "spring:\n  ai:\n    openai:\n      base-url: ${OPENAI_URL:https://api.deepseek.com}\n";
        let env = env_of(&[("src/main/resources/llm.properties", props), ("src/main/resources/application.yml", yaml)]);
        let url = |k: &str| env.property(k).map(|s| s.url.clone());
        assert_eq!(url("anthropic.baseUrl").as_deref(), Some("https://api.anthropic.com"));
        // (A printf host stays for the code's `String.format` to fill.)
        assert_eq!(url("azure.baseUrl").as_deref(), Some("https://%s.openai.azure.com"));
        assert_eq!(url("spring.ai.openai.base-url").as_deref(), Some("https://api.deepseek.com"));
        // Not URLs, not set, or not a property key.
        assert_eq!(url("app.name"), None);
        assert_eq!(url("openai.baseUrl"), None);
        assert_eq!(url("OPENAI_BASE_URL"), None);
        // Files that disagree on the host decide nothing.
        let two = env_of(&[
            ("a.properties", "x.url=https://api.openai.com\n"),
            ("b.properties", "x.url=https://api.mistral.ai\n"),
        ]);
        assert!(two.property("x.url").is_none());
    }

    #[test]
    fn placeholders_in_hosts_are_holes() {
        assert_eq!(
            url_value("https://<your-resource>.openai.azure.com/").as_deref(),
            Some("https://\u{0}.openai.azure.com/")
        );
        assert_eq!(url_value("{{ .Values.url }}"), None);
        assert_eq!(url_value("not a url"), None);
        assert_eq!(url_value("https:// spaced"), None);
        assert_eq!(url_value("sk-ant-api03-xxxxxxxx"), None);
    }

    #[test]
    fn settings_files_by_name() {
        for yes in [
            ".env",
            ".env.example",
            ".env.local",
            ".env.production.example",
            "values.yaml",
            "compose.yml",
            "llm.properties",
        ] {
            assert!(is_settings_file(yes), "{yes}");
        }
        for no in ["env.py", "pnpm-lock.yaml", "app.env.ts", ".envrc"] {
            assert!(!is_settings_file(no), "{no}");
        }
    }
}
