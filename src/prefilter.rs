//! Prefilter: which source files can hold a finding, decided from their bytes before any
//! parsing (tree-sitter parses at a few MB/s; this reads at hundreds of MB/s). Input: the
//! rule set (once) and a file's text; output: a [`Verdict`]. It must never rule out a file
//! the detectors would report something in: `--no-prefilter` turns it off and
//! `tests/prefilter.rs` scans every fixture both ways and compares the findings.
//!
//! Stage 1 is one Aho-Corasick automaton, built once from every literal the rules start
//! from, each tagged with the role that makes it evidence:
//!
//! - an environment variable name or a host: strong, a hit passes the file;
//! - a model name: written as the start of a string literal (`"gpt-4o`, `'claude-3-5-`),
//!   since a model finding is a whole string matched from its first character
//!   (`RuleSet::vendor_for_model`), and closed by a quote too when the rule names one
//!   exact model (`"o1"`); a glob that starts with a wildcard keeps its first fixed part
//!   anywhere. Strong;
//! - a package, module or client name: strong when it has structure (`@ai-sdk/openai`,
//!   `langchain_openai`), weak when it is a bare word (`together`, `mistral`, `rig`);
//! - a key prefix (`sk-`, `gsk_`): weak;
//! - a package name too short to search for alone, written whole in quotes (`"ai"`): weak.
//!
//! Stage 2 looks at weak hits only, at their surroundings, in a few bytes each: a bare name
//! counts where an import could be (after a quote, before `::`, on an `import`/`from`/`use`
//! line or inside the brackets one opens) and not inside a longer identifier; a key prefix
//! counts where `matcher::secrets_in` would start a key (no token character before it); a
//! quoted short package name counts right after `from`, `import`, `require(` or `import(`.
//! Prose ("pulls it all together"), identifiers (`origin` holding `rig`) and comments
//! after code do not pass.

use crate::ecosystem::Ecosystem;
use crate::rules::RuleSet;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// Files with more weak hits than this that stage 2 looked around and turned down are passed:
/// the check stays linear in the file's size.
const MAX_WEAK_HITS: usize = 2_000;
/// How far stage 2 looks back for the start of an import statement.
const LOOK_BACK: usize = 4 * 1024;

const STRONG: u8 = 1;
const IMPORT: u8 = 2;
const SECRET: u8 = 4;
const NAME: u8 = 8;
const CONTEXT: u8 = 16;
/// A short package name written whole in quotes (`"ai"`): evidence only as the module an
/// import, an export or a `require`/`import()` call names ([`module_specifier`]). As a plain
/// string (`trackEvent("ai", ...)`, `id_="ai"`) it was most of the AI-sparse tree's parsing.
const SPECIFIER: u8 = 32;
/// A bare name that also names a provider (a vendor id, a key of a client's
/// `vendor_prefixes`): written whole as a string (`model_provider="openai"`, a provider
/// table's `"mistral"` key) it may pick a vendor, so it counts there. Any other bare name
/// written whole as a string (`"haystack"` as a dict key) counts only as the module an
/// import, an export or a `require`/`import()` names.
const PROVIDER: u8 = 64;
/// The last fixed part of an API path (`/completion` of llama.cpp's `/completion`): evidence
/// where the path ends with it, not inside a longer one (`_data/completion/docker.txt`).
const PATH_END: u8 = 128;
/// How far before a context model's string its model-ish name is looked for.
const CONTEXT_BACK: usize = 1024;

/// A literal's roles in each ecosystem's files (index: [`Ecosystem::ALL`]'s order). A
/// package, module or client name is evidence only in the files of its own ecosystem: a
/// Java class `Firebase` says nothing about `import { x } from "firebase/app"` in a
/// TypeScript file, nor the Rust crate `genai`'s `Client` about `import http.client`. Hosts,
/// env var names, models, key prefixes and provider names count in every file.
type Roles = [u8; Ecosystem::ALL.len()];

/// Ecosystems whose generic module segments and class names (`Client` of the Rust crate
/// `genai.Client`, of `com.google.genai.Client`) are still searched: a Rust or Kotlin file
/// that reaches a vendor only through a trait's constant or an injected HTTP client provider
/// of another file is parsed today because it names a `Client`; the exports pass does not
/// find it yet (fixtures rust/config_base_url, kotlin/ktor_injected_client).
const KEEPS_GENERIC_NAMES: &[Ecosystem] = &[Ecosystem::Rust, Ecosystem::Java];

/// Module segments too common to stand for a module alone (`client` of `fireworks.client`,
/// `Client` of the Rust crate `genai.Client`): every import of the module spells its other
/// segments too, on the same line.
const GENERIC_SEGMENTS: &[&str] = &[
    "agents",
    "ai",
    "aio",
    "api",
    "apis",
    "base",
    "beta",
    "chat",
    "client",
    "clients",
    "cloud",
    "com",
    "common",
    "components",
    "core",
    "default",
    "embedders",
    "generators",
    "github",
    "google",
    "integrations",
    "io",
    "lib",
    "llm",
    "llms",
    "main",
    "model",
    "models",
    "net",
    "new",
    "org",
    "provider",
    "providers",
    "resources",
    "runtime",
    "sdk",
    "service",
    "services",
    "tools",
    "types",
    "utils",
    "v1",
    "v2",
    "v3",
    "vertex",
];

/// What the prefilter decided for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No literal of the rules occurs: ruled out by stage 1.
    NoLiteral,
    /// Only weak literals, none of them where it could matter: ruled out by stage 2.
    WeakOnly,
    /// Passed both stages: parse it.
    Pass,
}

/// The compiled literals and their roles.
#[derive(Debug, Clone)]
pub struct Prefilter {
    ac: Option<AhoCorasick>,
    roles: Vec<Roles>,
    /// Some rule has no literal of three characters or more: every file passes.
    open: bool,
}

impl Prefilter {
    /// Builds the automaton from every literal `rules` start from (ASCII case-insensitive).
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut lits = Literals::default();
        let mut dotted: Vec<(String, Ecosystem)> = Vec::new();
        // An SDK's modules, and the modules that are a ready client (`litellm`, whose
        // `from litellm import completion` no `[[sdk]]` names: a framework is no vendor's SDK);
        // an HTTP library's are no evidence (every file may import `requests`).
        // A JavaScript module's export is searched by the module, which every import names
        // (`@ai-sdk/google-vertex` of `@ai-sdk/google-vertex.vertex`, not the generic `vertex`;
        // `cohere-ai` of `cohere-ai.default`).
        let module = |c: &crate::rules::ClientDef, m: &str| -> String {
            if c.ecosystem != crate::ecosystem::Ecosystem::JavaScript {
                return m.to_string();
            }
            let from = m.rfind('/').unwrap_or(0);
            m[from..].find('.').map_or(m, |i| &m[..from + i]).to_string()
        };
        let ready = rules
            .clients
            .iter()
            .filter(|c| c.requests.is_empty())
            .flat_map(|c| c.modules.iter().map(move |m| (c.ecosystem, module(c, m))));
        let sdks = rules.sdks.iter().flat_map(|s| s.modules.iter().map(|m| (s.ecosystem, m.clone())));
        for (ecosystem, m) in sdks.chain(ready) {
            // A C# namespace is written whole in a `using` (`Google.Cloud.AIPlatform.V1`).
            let csharp = ecosystem == crate::ecosystem::Ecosystem::CSharp;
            match m.rsplit_once('.') {
                Some(_) if !csharp && !m.contains(['/', ':']) => dotted.push((m, ecosystem)),
                _ => lits.import(if csharp { &m } else { m.rsplit('.').next().unwrap_or(&m) }, ecosystem),
            }
        }
        for s in &rules.sdks {
            for p in &s.packages {
                lits.import(p, s.ecosystem);
            }
        }
        // A framework's model interface (`[[interface]]`), spelt whole by the import of a file
        // that calls a model through it and names no vendor (`import
        // dev.langchain4j.model.chat.ChatModel;` above `model.chat(messages)`).
        for i in &rules.interfaces {
            for t in &i.types {
                lits.add_in(t, STRONG, Some(i.ecosystem));
            }
        }
        for c in &rules.clients {
            for k in &c.constructors {
                // `boto3.client` is found by its module; a wrapper class by its first segment;
                // a Go constructor by its import path (`github.com/openai/openai-go.NewClient`:
                // the dots of a host are not segments).
                let from = k.rfind('/').unwrap_or(0);
                let mut end = k[from..].find('.').map_or(k.len(), |i| from + i);
                // A JavaScript package named like a file (`token.js.TokenJS`) by its whole name.
                if c.ecosystem == Ecosystem::JavaScript && k[end..].starts_with(".js.") {
                    end += 3;
                }
                // A Java constructor by its class (`com.openai.client.okhttp.OpenAIOkHttpClient.builder`:
                // `com` says nothing): the last segment that starts with a capital.
                // A generic class name (`com.google.genai.Client`) by its package's most
                // distinctive segment, which its import spells too.
                let java = (c.ecosystem == Ecosystem::Java)
                    .then(|| {
                        let class = k.split('.').rfind(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))?;
                        // (Not yet: see `KEEPS_GENERIC_NAMES`.)
                        let generic = !KEEPS_GENERIC_NAMES.contains(&c.ecosystem)
                            && GENERIC_SEGMENTS.contains(&class.to_ascii_lowercase().as_str());
                        let package = k.rfind(&format!(".{class}")).map_or("", |i| &k[..i]);
                        Some(if generic && !package.is_empty() { distinctive_segment(package) } else { class })
                    })
                    .flatten();
                // A C# class or extension method by its name, which a file calls without its
                // namespace (`builder.AddOpenAIChatCompletion(...)`): strong when distinctive.
                // A factory method (`PredictionServiceClient.Create`) names its class; a short
                // name (`Client`, `ChatClient`) is no evidence (the `using` of its namespace is).
                if c.ecosystem == crate::ecosystem::Ecosystem::CSharp {
                    let name = k
                        .rsplit('.')
                        .filter(|s| !s.starts_with("Create"))
                        .find(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
                        .unwrap_or(k);
                    if name.len() >= 12 {
                        lits.add_in(name, STRONG, Some(c.ecosystem));
                    }
                    continue;
                }
                lits.import(java.unwrap_or(&k[..end]), c.ecosystem);
            }
        }
        // A dotted module is searched by its most distinctive segment (`genai` of
        // `google.genai`, `fireworks` of `fireworks.client`), unless another of its segments
        // is searched already (`llama_index` of `llama_index.llms.vertex`): every import of
        // the module spells each segment, on an import line, and a generic one (`vertex`,
        // `github`, `client`) passed `import { vertex } from "./geometry"`, `"GitHub.com"`
        // and `import http.client`.
        // Shorter modules first, so that `a.b` is searched (or not) before `a.b.c` is looked
        // at, and never the other way round.
        dotted.sort_by(|(a, _), (b, _)| (a.matches('.').count(), a).cmp(&(b.matches('.').count(), b)));
        for (m, ecosystem) in &dotted {
            let searched = m.split('.').any(|s| {
                lits.map.get(&s.to_ascii_lowercase()).is_some_and(|r| r[*ecosystem as usize] & (STRONG | IMPORT) != 0)
            });
            if !searched && KEEPS_GENERIC_NAMES.contains(ecosystem) {
                lits.import(m.rsplit('.').next().unwrap_or(m), *ecosystem);
            } else if !searched {
                lits.import(distinctive_segment(m), *ecosystem);
            }
        }
        // Raw HTTP requests are found by their API path as well as by the vendor host: a
        // request to a self-hosted server (`http://localhost:8000/v1/chat/completions`) is a
        // call. The longest fixed part of each path pattern, when distinctive enough.
        for op in &rules.operations {
            for pattern in &op.http {
                let longest = pattern.split(['{', '}', '*']).max_by_key(|piece| piece.len()).unwrap_or_default();
                if longest.len() >= 9 && pattern.ends_with(longest) {
                    lits.add(longest, PATH_END);
                    // Also spelt after a base that ends with `/` (`withSlash(base) + "api/show"`),
                    // as a string's start, when two names remain.
                    let bare = longest.strip_prefix('/').filter(|b| b.len() >= 8 && b.contains('/'));
                    for quote in bare.map_or(&[][..], |_| &["\"", "'"][..]) {
                        lits.add(&format!("{quote}{}", bare.unwrap_or_default()), PATH_END);
                    }
                } else if longest.len() >= 9 {
                    lits.anywhere(longest);
                }
                // The same path written relative, as a whole string a helper joins onto a
                // configured base (`join(base, 'chat/completions')`). One word alone
                // (`"responses"`, `'completion'`) is any program's word (a dict key, an option:
                // it passed a tenth more of an AI-sparse tree's files to the parser), so it
                // counts only as a helper's last argument (`BuildApiUrl(endpoint, "responses")`)
                // or the path a URL is built from (`new URL("completion", this.apiBase)`).
                let relative = longest.trim_start_matches('/');
                if relative.len() >= 9 && pattern.ends_with(longest) {
                    for q in ['"', '\''] {
                        if relative.contains('/') {
                            lits.add(&format!("{q}{relative}{q}"), STRONG);
                        } else {
                            lits.add(&format!(", {q}{relative}{q})"), STRONG);
                            lits.add(&format!("url({q}{relative}{q},"), STRONG);
                        }
                    }
                }
            }
        }
        // And by a self-hosted server's own default port, where it is distinctive
        // (`http://localhost:11434` of Ollama; `:8000` is any server's).
        for op in &rules.operations {
            for port in op.http_ports.iter().filter(|p| **p >= 10_000) {
                lits.add(&format!(":{port}"), STRONG);
            }
        }
        // So is a vendor's own base path on a configured host (`{endpoint}/openai/deployments/`,
        // `http::by_base_path`).
        for v in &rules.vendors {
            // (The path part of an entry with a query: the query may be written apart.)
            let paths = v.base_url_paths.iter().map(|p| p.split('?').next().unwrap_or_default());
            for p in paths.filter(|p| p.starts_with('/') && p.len() >= 9) {
                lits.anywhere(p);
            }
        }
        // After every name is in: a provider flag on a name no rule imports is no literal.
        let providers = rules
            .vendors
            .iter()
            .map(|v| v.id.as_str())
            .chain(rules.clients.iter().flat_map(|c| c.vendor_prefixes.keys().map(String::as_str)));
        // A provider's name picks a vendor in any language (a Go provider table's
        // `"openai"`): its roles count in every ecosystem's files.
        for name in providers {
            if let Some(roles) = lits.map.get_mut(&name.to_ascii_lowercase()) {
                let all = roles.iter().fold(PROVIDER, |a, r| a | r);
                roles.fill(all);
            }
        }
        for v in &rules.vendors {
            for e in &v.env {
                lits.add(e, STRONG);
            }
            for h in v.hosts.iter().chain(&v.app_hosts) {
                lits.anywhere(h);
            }
            for m in &v.models {
                lits.model(m, STRONG);
            }
            for m in &v.context_models {
                lits.model(m, CONTEXT);
            }
            for s in &v.secrets {
                let re = s.as_str();
                let end = re.find(|c: char| "\\[(.*+?{|^$".contains(c)).unwrap_or(re.len());
                lits.add(&re[..end], SECRET);
            }
        }
        lits.build()
    }

    /// A prefilter of names that other modules export (`client`, `get_client`): a file
    /// passes when one occurs as a whole identifier, in its case (Python and JavaScript
    /// names are case-sensitive, and an importer spells the name it imports).
    pub fn of_names<I: IntoIterator<Item = S>, S: AsRef<str>>(names: I) -> Prefilter {
        // Kept in order (pattern i is names[i], for [`Prefilter::names_in`]); an empty name
        // matches nothing (`names_in` drops empty matches).
        let lits: Vec<String> = names.into_iter().map(|n| n.as_ref().to_string()).collect();
        if lits.iter().all(String::is_empty) {
            return Prefilter { ac: None, roles: Vec::new(), open: false };
        }
        let roles = vec![[NAME; Ecosystem::ALL.len()]; lits.len()];
        let ac = AhoCorasickBuilder::new().match_kind(MatchKind::Standard).build(&lits);
        let open = ac.is_err();
        Prefilter { ac: ac.ok(), roles, open }
    }

    /// Whether `text`, a file of any ecosystem, may hold a finding, and which stage said no.
    pub fn check(&self, text: &[u8]) -> Verdict {
        self.check_roles(text, |r| r.iter().fold(0, |a, b| a | b))
    }

    /// Whether `text`, a source file of `ecosystem`, may hold a finding.
    pub fn check_in(&self, text: &[u8], ecosystem: Ecosystem) -> Verdict {
        self.check_roles(text, |r| r[ecosystem as usize])
    }

    fn check_roles(&self, text: &[u8], role_of: impl Fn(&Roles) -> u8) -> Verdict {
        if self.open {
            return Verdict::Pass;
        }
        let Some(ac) = &self.ac else { return Verdict::NoLiteral };
        let mut any = false;
        let mut weak = 0;
        for m in ac.find_overlapping_iter(text) {
            if debug_hits() {
                eprintln!("prefilter hit {:?}", String::from_utf8_lossy(&text[m.start()..m.end()]));
            }
            let role = role_of(&self.roles[m.pattern().as_usize()]);
            if role == 0 {
                continue; // a name of another ecosystem's rules
            }
            any = true;
            if role & STRONG != 0 {
                return passed("strong", text, m.start(), m.end());
            }
            if role & PATH_END != 0 && text.get(m.end()).is_none_or(|&b| !ident(b) && b != b'/') {
                return passed("path", text, m.start(), m.end());
            }
            if role == PATH_END {
                continue;
            }
            let (start, end) = (m.start(), m.end());
            if role & NAME != 0 {
                if start < end && (start == 0 || !ident(text[start - 1])) && text.get(end).is_none_or(|&b| !ident(b)) {
                    return passed("name", text, m.start(), m.end());
                }
                continue;
            }
            if role & SECRET != 0 && key_start(text, start) {
                return passed("secret", text, m.start(), m.end());
            }
            if role & SPECIFIER != 0 && module_specifier(text, start) {
                return passed("specifier", text, m.start(), m.end());
            }
            if role == SPECIFIER {
                weak += 1;
                if weak > MAX_WEAK_HITS {
                    return passed("weak hits", text, m.start(), m.end());
                }
                continue;
            }
            let checked = if role & CONTEXT != 0 {
                if model_context(text, start) {
                    return passed("model context", text, m.start(), m.end());
                }
                true
            } else {
                false
            };
            // Inside a longer name (`origin`, `TogetherWith`, `googleapiclient`): a cheap no.
            let inside = (start > 0 && ident(text[start - 1])) || text.get(end).is_some_and(|&b| ident(b));
            if role & IMPORT != 0 && !inside {
                if import_context(text, start, end, role & PROVIDER != 0) {
                    return passed("import context", text, m.start(), m.end());
                }
            } else if !checked {
                continue;
            }
            weak += 1;
            if weak > MAX_WEAK_HITS {
                return passed("weak hits", text, m.start(), m.end());
            }
        }
        if any {
            Verdict::WeakOnly
        } else {
            Verdict::NoLiteral
        }
    }

    /// The indexes of the names of [`Prefilter::of_names`] that occur in `text` as whole
    /// identifiers, sorted.
    pub fn names_in(&self, text: &[u8]) -> Vec<usize> {
        let Some(ac) = &self.ac else { return Vec::new() };
        let mut out: Vec<usize> = ac
            .find_overlapping_iter(text)
            .filter(|m| {
                m.start() < m.end()
                    && (m.start() == 0 || !ident(text[m.start() - 1]))
                    && text.get(m.end()).is_none_or(|&b| !ident(b))
            })
            .map(|m| m.pattern().as_usize())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether `text` passes both stages.
    pub fn is_match(&self, text: &[u8]) -> bool {
        self.check(text) == Verdict::Pass
    }
}

/// [`Verdict::Pass`], and why, when `LOCKIN_DEBUG_PREFILTER` is set.
fn passed(why: &str, text: &[u8], start: usize, end: usize) -> Verdict {
    if debug_hits() {
        let line = memchr::memchr_iter(b'\n', &text[..start]).count() + 1;
        eprintln!("prefilter pass ({why}) at {:?} line {line}", String::from_utf8_lossy(&text[start..end]));
    }
    Verdict::Pass
}

/// Literals being collected, lower-cased, with their roles or-ed together.
#[derive(Default)]
struct Literals {
    map: std::collections::BTreeMap<String, Roles>,
    open: bool,
}

impl Literals {
    /// A literal that counts in every ecosystem's files.
    fn add(&mut self, lit: &str, role: u8) {
        self.add_in(lit, role, None);
    }

    /// A literal that counts in the files of `ecosystem` (`None`: every one).
    fn add_in(&mut self, lit: &str, role: u8, ecosystem: Option<Ecosystem>) {
        if lit.len() < 3 {
            // Nothing to search for: this rule could match any file.
            self.open = true;
            return;
        }
        let roles = self.map.entry(lit.to_ascii_lowercase()).or_default();
        match ecosystem {
            Some(e) => roles[e as usize] |= role,
            None => roles.iter_mut().for_each(|r| *r |= role),
        }
    }

    /// A package, module or client name: strong when it has structure. A name too short
    /// to search for (the Vercel AI SDK's `ai`) is searched as an import names it:
    /// `"ai"`, `'ai/rsc'`, `import ai`, `from ai `.
    fn import(&mut self, name: &str, ecosystem: Ecosystem) {
        let e = Some(ecosystem);
        if !name.is_empty() && name.len() < 3 {
            for q in ['"', '\'', '`'] {
                self.add_in(&format!("{q}{name}{q}"), SPECIFIER, e);
                self.add_in(&format!("{q}{name}/"), STRONG, e);
            }
            self.add_in(&format!("import {name}"), IMPORT, e);
            self.add_in(&format!("from {name} "), IMPORT, e);
            return;
        }
        let structured = name.len() >= 6 && name.contains(['-', '_', '/', '@', '.']);
        self.add_in(name, if structured { STRONG } else { IMPORT }, e);
    }

    /// A glob matched anywhere in a string (a host): its longest fixed part (every fixed
    /// part must be in the text for the glob to match, and the longest is the rarest:
    /// `ark.*.volces.com` is searched as `volces.com`, never as `ark`, which half of all
    /// files hold in `mark` or `dark`).
    fn anywhere(&mut self, glob: &str) {
        let parts: Vec<&str> = glob.split(['*', '?']).map(|s| s.trim_matches('.')).collect();
        match parts.iter().max_by_key(|s| s.len()) {
            Some(p) => self.add(p, STRONG),
            None => self.open = true,
        }
    }

    /// A model glob, matched against a whole string literal from its first character;
    /// `role` is [`CONTEXT`] for a model named only in a model context (`model="o1"`).
    fn model(&mut self, glob: &str, role: u8) {
        if glob.starts_with(['*', '?']) {
            return self.anywhere(glob);
        }
        let lead = glob.split(['*', '?']).next().unwrap_or(glob);
        let exact = lead.len() == glob.len();
        for q in ['"', '\'', '`'] {
            let close = if exact { q.to_string() } else { String::new() };
            self.add(&format!("{q}{lead}{close}"), role);
        }
    }

    fn build(self) -> Prefilter {
        if self.open || self.map.is_empty() {
            return Prefilter { ac: None, roles: Vec::new(), open: self.open };
        }
        if std::env::var_os("LOCKIN_DEBUG_PREFILTER").is_some_and(|v| v == "literals") {
            for (lit, roles) in &self.map {
                eprintln!("prefilter literal {roles:?} {lit:?}");
            }
        }
        let (lits, roles): (Vec<String>, Vec<Roles>) = self.map.into_iter().unzip();
        // A full DFA: overlapping search gets no literal prefilter of its own, and the
        // DFA's one lookup per byte keeps stage 1 a small part of a scan (a few MB, built once).
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&lits);
        // Too large an automaton (a rules folder of a million literals) rules nothing out.
        let open = ac.is_err();
        Prefilter { ac: ac.ok(), roles, open }
    }
}

/// `LOCKIN_DEBUG_PREFILTER` set: print each stage-1 hit (read once; the environment is
/// locked and searched on every lookup, and stage 1 has thousands of hits on a tree).
pub fn debug_hits() -> bool {
    static DEBUG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("LOCKIN_DEBUG_PREFILTER").is_some())
}

/// The segment of a dotted module that stands for it best: the longest that is not
/// generic, else the last.
fn distinctive_segment(module: &str) -> &str {
    let generic = |s: &str| s.len() < 3 || GENERIC_SEGMENTS.contains(&s.to_ascii_lowercase().as_str());
    module
        .split('.')
        .filter(|s| !generic(s))
        .max_by_key(|s| s.len())
        .unwrap_or_else(|| module.rsplit('.').next().unwrap_or(module))
}

fn ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// `matcher::secrets_in` ignores a key inside a longer token: one must not follow a token
/// character.
fn key_start(text: &[u8], start: usize) -> bool {
    start == 0 || !(text[start - 1].is_ascii_alphanumeric() || b"+/=_-".contains(&text[start - 1]))
}

/// Whether a bare package or module name at `start..end` stands where an import names it.
/// Written whole as a string, a name that is no `provider` counts only as a module specifier.
fn import_context(text: &[u8], start: usize, end: usize, provider: bool) -> bool {
    let before = if start == 0 { b' ' } else { text[start - 1] };
    let after = text.get(end).copied().unwrap_or(b' ');
    let quote = |b: u8| matches!(b, b'"' | b'\'' | b'`');
    if quote(before) && quote(after) && !provider {
        return module_specifier(text, start - 1); // `require("haystack")`, not `{"haystack": ...}`
    }
    if quote(before) && matches!(after, b'"' | b'\'' | b'`' | b'/' | b'.' | b':') {
        return true; // `require("openai")`, `"openai/resources"`, `"google.genai"`, `"groq::llama-3"`
    }
    if text[end..].starts_with(b"::") {
        return true; // `rig::providers`
    }
    let floor = start.saturating_sub(LOOK_BACK);
    if import_line(text, line_start(text, start, floor), start) {
        return true;
    }
    // Inside the brackets of `from x import (` or `use rig::{` opened on an earlier line.
    let mut depth = 0usize;
    let mut i = start;
    while i > floor {
        i -= 1;
        match text[i] {
            b')' | b'}' => depth += 1,
            b'(' | b'{' if depth == 0 => return import_list_opener(&text[line_start(text, i, floor)..i]),
            b'(' | b'{' => depth -= 1,
            _ => {}
        }
    }
    false
}

/// Whether the string whose opening quote is at `quote` is the module of an import or an
/// export (`from "ai"`, `import "ai"`), a `require("ai")` or an `import("ai")`: the only
/// places the detectors load a module by its name (javascript.rs `Shape::Load`, the import
/// and export statements). A comment just before the string (`import(/* chunk */ "ai")`)
/// passes too, unread.
fn module_specifier(text: &[u8], quote: usize) -> bool {
    let before = |end: usize| text[..end].trim_ascii_end();
    let mut head = before(quote);
    if head.ends_with(b"*/") {
        return true;
    }
    let call = head.ends_with(b"(");
    if call {
        head = before(head.len() - 1);
    }
    let word_end = |w: &[u8]| head.ends_with(w) && (head.len() == w.len() || !ident(head[head.len() - w.len() - 1]));
    if call {
        word_end(b"require") || word_end(b"import")
    } else {
        word_end(b"from") || word_end(b"import")
    }
}

/// A model named only in a model context is reported where the keyword, key, variable or
/// function just before its string says `model`, `engine` or `deployment`
/// (`in_model_context` of the detectors, `model_named` for Rust).
fn model_context(text: &[u8], start: usize) -> bool {
    let window = &text[start.saturating_sub(CONTEXT_BACK)..start];
    let lower = window.to_ascii_lowercase();
    [&b"model"[..], b"engine", b"deployment"].iter().any(|w| memchr::memmem::find(&lower, w).is_some())
}

/// The start of the logical line holding `at` (Python's `\` continuations joined), not
/// before `floor`.
fn line_start(text: &[u8], at: usize, floor: usize) -> usize {
    let mut s = at;
    loop {
        while s > floor && text[s - 1] != b'\n' {
            s -= 1;
        }
        // A line ending in `\` continues into this one.
        let prev = text[floor..s].strip_suffix(b"\n").map(|t| t.strip_suffix(b"\r").unwrap_or(t));
        match prev {
            Some(p) if p.ends_with(b"\\") => s -= 1,
            _ => return s,
        }
    }
}

/// Whether `text[from..to]` reads like the start of an import statement in Python,
/// JavaScript/TypeScript, Rust or C# (`using`): a statement of the line (its start, or after
/// a `;` or a `:` as in `if TYPE_CHECKING: import openai`) opens with an import keyword, or
/// the line calls `import(...)`. The word `import` inside a string or a comment after code
/// (`'boto import found, use boto3'`) is not enough.
fn import_line(text: &[u8], from: usize, to: usize) -> bool {
    let line = &text[from..to];
    // The rest of the line, for the words prose starts sentences with too: a docstring's
    // "from the datetime ..." or "using the client ..." is no statement.
    let end = memchr::memchr(b'\n', &text[to..]).map_or(text.len(), |i| to + i);
    let whole = &text[from..end];
    let words = [&b"pub use "[..], b"pub(crate) use ", b"extern crate ", b"export "];
    // Each statement of the line before `to`, with the rest of the line after its start.
    let statement = |at: usize| {
        let s = line[at..].trim_ascii_start();
        // (`line` is the head of `whole`: the rest after a word at `s` is read in `whole`.)
        let after = |w: &[u8]| s.strip_prefix(w).map(|_| whole[line.len() - s.len() + w.len()..].trim_ascii_start());
        // Python: `from x import y` is one logical line.
        if after(b"from ").is_some() {
            return memchr::memmem::find(whole, b" import").is_some();
        }
        // Rust `use a::b;`, C# `using A.B;`: a path, then its end.
        if let Some(rest) = after(b"use ").or_else(|| after(b"using ")).or_else(|| after(b"global using ")) {
            let rest = rest.strip_prefix(b"static ").unwrap_or(rest);
            let name = rest.iter().take_while(|&&b| ident(b) || b == b'.' || b == b':').count();
            return name > 0
                && (rest[..name].contains(&b':')
                    || rest[name..].trim_ascii_start().first().is_none_or(|b| b";={".contains(b)));
        }
        words.iter().any(|w| s.starts_with(w)) || (s.starts_with(b"import") && s.get(6).is_none_or(|&b| !ident(b)))
    };
    let starts = std::iter::once(0).chain(memchr::memchr2_iter(b';', b':', line).map(|i| i + 1));
    starts.into_iter().any(statement) || dynamic_import(line)
}

/// Whether a bracket that `line` leads up to opens the names of an import or an export:
/// `from x import (`, `import {`, `import type {`, `import X, {`, `export {`,
/// `export type {`, `use a::{`. Not a declaration's body (`export interface State {`),
/// whose comments and members only mention words.
fn import_list_opener(line: &[u8]) -> bool {
    let stmt = line.rsplit(|&b| b == b';').next().unwrap_or(line).trim_ascii();
    let word = |w: &[u8]| stmt.starts_with(w) && stmt.get(w.len()).is_none_or(|&b| !ident(b));
    let rest = |w: &[u8]| stmt[w.len()..].trim_ascii();
    if word(b"from") {
        return stmt.ends_with(b" import");
    }
    if word(b"import") {
        return !rest(b"import").contains(&b'=');
    }
    if word(b"export") {
        return matches!(rest(b"export"), b"" | b"type");
    }
    let rust_use = [&b"use "[..], b"pub use ", b"pub(crate) use "].iter().any(|w| stmt.starts_with(w));
    rust_use && stmt.ends_with(b"::")
}

/// Whether `line` calls `import(...)` (`const m = await import("./openai")`).
fn dynamic_import(line: &[u8]) -> bool {
    memchr::memmem::find_iter(line, b"import")
        .any(|i| (i == 0 || !ident(line[i - 1])) && line[i + 6..].trim_ascii_start().starts_with(b"("))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        crate::rules::load::load_embedded()
    }

    #[test]
    fn short_package_names_are_searched_as_imports() {
        let p = Prefilter::new(&rules());
        assert_eq!(p.check(b"import { generateText } from \"ai\";"), Verdict::Pass);
        assert_eq!(p.check(b"import { useChat } from 'ai/react';"), Verdict::Pass);
        assert_eq!(p.check(b"const ai = 1; // ai"), Verdict::NoLiteral);
        assert_eq!(p.check(b"export { streamText } from 'ai'"), Verdict::Pass);
        assert_eq!(p.check(b"import {\n  generateText,\n} from\n  `ai`;"), Verdict::Pass);
        assert_eq!(p.check(b"const { generateText } = require ( \"ai\" );"), Verdict::Pass);
        assert_eq!(p.check(b"const sdk = await import(\"ai\");"), Verdict::Pass);
        assert_eq!(p.check(b"const sdk = await import(/* webpackChunkName: 'x' */ \"ai\");"), Verdict::Pass);
        assert_eq!(p.check(b"import \"ai\";"), Verdict::Pass);
    }

    // See: issue 15 (excalidraw's App.tsx and sqlalchemy's test_types.py were parsed for it).
    #[test]
    fn a_short_package_name_as_a_plain_string_is_no_import() {
        let p = Prefilter::new(&rules());
        assert_eq!(p.check(b"trackEvent(\"ai\", \"generate (start)\", \"d2c\");"), Verdict::WeakOnly);
        assert_eq!(p.check(b"    (True, \"native\"), id_=\"ai\", argnames=\"native\""), Verdict::WeakOnly);
        assert_eq!(p.check(b"if (tool.type === 'ai') { reimport('ai') }"), Verdict::WeakOnly);
        assert_eq!(p.check(b"const mode = myrequire(\"ai\");"), Verdict::WeakOnly);
    }

    #[test]
    fn embedded_rules_leave_the_prefilter_closed() {
        let p = Prefilter::new(&rules());
        assert!(!p.open, "every embedded rule has a literal to search for");
        assert_eq!(p.check(b"import numpy\nprint('hello')\n"), Verdict::NoLiteral);
    }

    #[test]
    fn a_host_glob_is_searched_by_its_longest_part() {
        let mut lits = Literals::default();
        lits.anywhere("ark.*.volces.com");
        assert!(lits.map.contains_key("volces.com") && !lits.map.contains_key("ark"), "{:?}", lits.map);
    }

    #[test]
    fn strong_literals_pass_anywhere() {
        let p = Prefilter::new(&rules());
        assert_eq!(p.check(b"key = os.environ['OPENAI_API_KEY']"), Verdict::Pass);
        assert_eq!(p.check(b"url = 'https://API.OPENAI.COM/v1'"), Verdict::Pass);
        assert_eq!(p.check(b"import { x } from '@ai-sdk/openai'"), Verdict::Pass);
        assert_eq!(p.check(b"m = \"gpt-4o-mini\""), Verdict::Pass);
        assert_eq!(p.check(b"MODEL = 'o1'"), Verdict::Pass, "an exact two-letter model, quoted");
        assert_eq!(p.check(b"client.create(\n    model=\"command\",\n)"), Verdict::Pass);
    }

    #[test]
    fn model_names_count_only_at_the_start_of_a_string() {
        let p = Prefilter::new(&rules());
        assert_ne!(p.check(b"# compare with gpt-4o and o1 here\nx = 1\n"), Verdict::Pass);
        assert_ne!(p.check(b"const x = \"my-gpt-4o\";"), Verdict::Pass);
        assert_ne!(p.check(b"s = 'o1 is a model'"), Verdict::Pass, "exact models need the closing quote");
    }

    #[test]
    fn bare_names_pass_only_where_an_import_names_them() {
        let p = Prefilter::new(&rules());
        for code in [
            &b"import together\n"[..],
            b"from google import genai\n",
            b"from google import (\n    genai,\n)\n",
            b"import os, \\\n    together\n",
            b"const m = require('together-ai')\n",
            b"let c = rig::providers::openai::Client::from_env();\n",
            b"use rig::{\n    completion::Prompt,\n};\n",
            b"if x:\n    import openai\n",
        ] {
            assert_eq!(p.check(code), Verdict::Pass, "{}", String::from_utf8_lossy(code));
        }
        for code in [
            &b"# we put it all together here\nx = 1\n"[..],
            b"const origin = trigger(right);\n",
            b"def f():\n    return mistral + command\n",
            b"x = compute(together)  # not an import\n",
            b"import googleapiclient\n",
            b"def f():\n    \"\"\"Together with the rest.\"\"\"\n",
            b"tasks = [{'action': 'command', 'args': 'ls'}]\n",
        ] {
            // Ruled out by either stage: no searched literal, or only weak ones.
            let v = p.check(code);
            assert!(matches!(v, Verdict::WeakOnly | Verdict::NoLiteral), "{v:?}: {}", String::from_utf8_lossy(code));
        }
    }

    // See: issue 15 (excalidraw's CommandPalette.tsx was parsed, and App.tsx read for its
    // strings, for `"haystack"` as a key of an object).
    #[test]
    fn a_framework_name_written_whole_as_a_string_counts_only_as_a_module() {
        let p = Prefilter::new(&rules());
        assert_eq!(p.check(b"const icons = {\n  \"haystack\": HaystackIcon,\n};\n"), Verdict::WeakOnly);
        assert_eq!(p.check(b"KEYWORDS = ['haystack', 'needle']\n"), Verdict::WeakOnly);
        assert_eq!(p.check(b"const h = require(\"haystack\");\n"), Verdict::Pass);
        assert_eq!(p.check(b"export * from 'haystack';\n"), Verdict::Pass);
        // A provider's name picks a vendor wherever it is a whole string.
        assert_eq!(p.check(b"llm = make(model_provider=\"mistralai\")\n"), Verdict::Pass);
        assert_eq!(p.check(b"PROVIDERS = {'together': build}\n"), Verdict::Pass);
        // Forms other than a whole string are unchanged.
        assert_eq!(p.check(b"x = 'haystack.components.generators'\n"), Verdict::Pass);
    }

    // See: issue 15 (requests' test_requests.py passed on `"GitHub.com"`, excalidraw's
    // bucketFill.ts on `vertex`, ansible's validate_modules on a message string).
    #[test]
    fn a_generic_last_segment_of_a_module_is_not_searched_alone() {
        let p = Prefilter::new(&rules());
        // Neither `vertex` nor `github` is searched at all.
        assert_eq!(p.check(b"import { vertex } from \"./geometry\";\n"), Verdict::NoLiteral);
        assert_eq!(p.check(b"headers = {\"server\": \"GitHub.com\"}\n"), Verdict::NoLiteral);
        // Every import of such a module spells a segment that is searched.
        assert_eq!(p.check(b"from fireworks.client import Fireworks\n"), Verdict::Pass);
        assert_eq!(p.check(b"import dev.langchain4j.model.github.GitHubModelsChatModel;\n"), Verdict::Pass);
        assert_eq!(p.check(b"from google import genai\n"), Verdict::Pass);
    }

    // See: issue 15 (excalidraw's types.ts passed on "together" in a doc comment of
    // `export interface AppProps {`).
    #[test]
    fn only_an_import_list_is_an_import_context() {
        let p = Prefilter::new(&rules());
        for code in [
            &b"from x import (\n    a,\n    together,\n)\n"[..],
            b"import {\n  a,\n  together,\n} from './x';\n",
            b"import type {\n  together } from './x';\n",
            b"export {\n  together,\n} from './x';\n",
            b"use rig::{\n    completion::Prompt,\n};\n",
        ] {
            assert_eq!(p.check(code), Verdict::Pass, "{}", String::from_utf8_lossy(code));
        }
        for code in [
            &b"export interface AppProps {\n  /** rendered together with its dialogs */\n  x: number;\n}\n"[..],
            b"export function f() {\n  // put together\n}\n",
            b"import x from './y'; const z = f(\n  together,\n);\n",
        ] {
            assert_eq!(p.check(code), Verdict::WeakOnly, "{}", String::from_utf8_lossy(code));
        }
    }

    #[test]
    fn names_count_only_in_their_own_ecosystems_files() {
        let p = Prefilter::new(&rules());
        // `Firebase` is a Java class of the rules, `client` a segment of a Python module's.
        assert_eq!(
            p.check_in(b"import { initializeApp } from \"firebase/app\";\n", Ecosystem::JavaScript),
            Verdict::NoLiteral
        );
        assert_eq!(p.check_in(b"import http.client\n", Ecosystem::Python), Verdict::NoLiteral);
        assert_eq!(p.check_in(b"import { token } from './auth';\n", Ecosystem::JavaScript), Verdict::NoLiteral);
        // Each still passes where its rules read it.
        assert_eq!(p.check_in(b"from fireworks.client import Fireworks\n", Ecosystem::Python), Verdict::Pass);
        assert_eq!(p.check_in(b"use genai::Client;\n", Ecosystem::Rust), Verdict::Pass);
        assert_eq!(p.check_in(b"import { TokenJS } from 'token.js';\n", Ecosystem::JavaScript), Verdict::Pass);
        // Provider names and hosts count everywhere.
        assert_eq!(p.check_in(b"var providers = map[string]int{\"openai\": 1}\n", Ecosystem::Go), Verdict::Pass);
        assert_eq!(p.check_in(b"String u = \"https://api.anthropic.com/v1\";\n", Ecosystem::Java), Verdict::Pass);
    }

    // See: issue 15 (sqlalchemy's sqlite/base.py passed on a docstring line "from the
    // datetime. Can't be specified together with ...").
    #[test]
    fn prose_that_starts_like_an_import_is_no_import() {
        let p = Prefilter::new(&rules());
        for code in [
            &b"    '''\n     from the datetime. Can't be specified together with it\n'''\n"[..],
            b"# using together with the cache\n",
            b"    use together for both\n",
        ] {
            assert_eq!(p.check(code), Verdict::WeakOnly, "{}", String::from_utf8_lossy(code));
        }
        for code in [
            &b"from together import Together\n"[..],
            b"from x import (together,\n  y)\n",
            b"use together::Client;\n",
            b"use together;\n",
            b"using Together.AI;\n",
        ] {
            assert_eq!(p.check(code), Verdict::Pass, "{}", String::from_utf8_lossy(code));
        }
    }

    #[test]
    fn the_word_import_counts_only_where_a_statement_starts() {
        let p = Prefilter::new(&rules());
        assert_eq!(p.check(b"    'msg': 'boto import found, new modules should use boto3',\n"), Verdict::WeakOnly);
        assert_eq!(p.check(b"x = 1  # we import together here\n"), Verdict::WeakOnly);
        assert_eq!(p.check(b"if TYPE_CHECKING: import together\n"), Verdict::Pass);
        assert_eq!(p.check(b"import os; import together\n"), Verdict::Pass);
        assert_eq!(p.check(b"    import together as t\n"), Verdict::Pass);
        assert_eq!(p.check(b"const m = await import(together);\n"), Verdict::Pass);
    }

    // See: issue 15 (ansible's `_data/completion/docker.txt` passed on llama.cpp's `/completion`).
    #[test]
    fn an_api_path_counts_where_it_ends() {
        let p = Prefilter::new(&rules());
        assert_eq!(p.check(b"url = f\"{base}/completion\"\n"), Verdict::Pass);
        assert_eq!(p.check(b"fetch(`${host}/completion?x=1`)\n"), Verdict::Pass);
        assert_ne!(p.check(b"p = 'test/_data/completion/docker.txt'\n"), Verdict::Pass);
        assert_ne!(p.check(b"c = '/completions_cache'\n"), Verdict::Pass);
    }

    #[test]
    fn key_prefixes_pass_only_where_a_key_can_start() {
        let p = Prefilter::new(&rules());
        assert_eq!(p.check(b"task-runner disk-usage"), Verdict::WeakOnly);
        assert_eq!(p.check(b"k = \"sk-abcdefghijklmnopqrstuvwxyz012345678901234567\""), Verdict::Pass);
    }

    #[test]
    fn many_turned_down_hits_pass_the_file() {
        let p = Prefilter::new(&rules());
        let text = "x = together\n".repeat(MAX_WEAK_HITS + 1);
        assert_eq!(p.check(text.as_bytes()), Verdict::Pass);
    }

    #[test]
    fn exported_names_match_whole_identifiers() {
        let p = Prefilter::of_names(["make_client", "client"]);
        assert!(p.is_match(b"from app.llm import make_client"));
        assert!(p.is_match(b"import app.llm as l\nl.client.chat()"));
        assert!(!p.is_match(b"from app.llm import MAKE_CLIENT"));
        assert!(!p.is_match(b"http_client = make_clients()"));
        assert!(!Prefilter::of_names(Vec::<String>::new()).is_match(b"openai"));
    }
}

/// Why a source file looks generated or minified, or `None` when a person wrote it:
/// a minified name (`app.min.js`, `x.bundle.js`), a generated-code marker near the top
/// (`@generated`, `DO NOT EDIT`, `Code generated by`), a source map comment near the end,
/// or lines as long as a minifier writes them (JavaScript and TypeScript: the longest over
/// 2,000 bytes and the mean over 300). Notebooks and manifests are never called generated.
pub fn generated(path: &std::path::Path, language: crate::lang::FileKind, text: &str) -> Option<&'static str> {
    use crate::lang::FileKind;
    if !language.is_source() || language == FileKind::Notebook {
        return None;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let script = matches!(language, FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx);
    if script && (name.contains(".min.") || name.contains("-min.") || name.contains(".bundle.")) {
        return Some("minified (by its name)");
    }
    let head = &text.as_bytes()[..floor_char(text, 1024.min(text.len()))];
    let markers: [&[u8]; 4] = [b"@generated", b"DO NOT EDIT", b"Code generated by", b"<auto-generated"];
    if markers.iter().any(|m| memchr::memmem::find(head, m).is_some()) {
        return Some("generated (a generated-code marker)");
    }
    let tail = &text.as_bytes()[text.len().saturating_sub(1024)..];
    if script && memchr::memmem::find(tail, b"sourceMappingURL=").is_some() {
        return Some("generated (a source map comment)");
    }
    if script && text.len() > 2000 {
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let longest = text.as_bytes().split(|&b| b == b'\n').max_by_key(|l| l.len()).unwrap_or_default();
        // Minified code is dense in punctuation; a long line of base64 or text (a test's
        // screenshot, a data URL) is not, and the code around it was written by hand.
        let code = longest.iter().filter(|b| b";{}()=,".contains(b)).count();
        if longest.len() > 2000 && text.len() / lines > 300 && code * 50 > longest.len() {
            return Some("minified (long lines)");
        }
    }
    None
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod generated_tests {
    use super::generated;
    use crate::lang::FileKind;
    use std::path::Path;

    #[test]
    fn minified_and_marked_files_are_generated() {
        let js = FileKind::JavaScript;
        let line = "function f(a,b){return a(b,{c:1});}".repeat(150);
        assert!(generated(Path::new("w.js"), js, &line).is_some(), "one long line");
        assert!(generated(Path::new("app.min.js"), js, "import OpenAI from 'openai'").is_some());
        assert!(generated(Path::new("a.py"), FileKind::Python, "# @generated by protoc\nimport x\n").is_some());
        assert!(generated(Path::new("a.js"), js, "f()\n//# sourceMappingURL=a.js.map\n").is_some());
    }

    #[test]
    fn written_files_are_not_generated() {
        let js = FileKind::JavaScript;
        let code = "import OpenAI from 'openai';\nconst c = new OpenAI();\n".repeat(200);
        assert!(generated(Path::new("a.js"), js, &code).is_none());
        // One long data line in a file of ordinary lines.
        let mixed =
            format!("{}const img = \"{}\";\n{}", "let a = 1;\n".repeat(400), "A".repeat(3000), "f();\n".repeat(10));
        assert!(generated(Path::new("a.ts"), FileKind::TypeScript, &mixed).is_none());
        // Test data: a screenshot as base64 on one line.
        let data = format!("export const SHOT = [\n  {{ image: \"{}\" }},\n];\n", "iVBORw0KGgo".repeat(2000));
        assert!(generated(Path::new("inputs.ts"), FileKind::TypeScript, &data).is_none());
        let notebook = format!("{{\"cells\": [\"{}\"]}}", "x".repeat(9000));
        assert!(generated(Path::new("a.ipynb"), FileKind::Notebook, &notebook).is_none());
    }
}
