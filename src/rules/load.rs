//! Reads rule files in path order, parses them (`raw.rs`), validates them and builds the
//! [`RuleSet`]. Every problem in every file is collected before giving up, each with the
//! file, line and column, and the rule and field once known.

use super::raw::{RawOperation, RawRuleFile};
use super::substitutes::{CapabilityInfo, Compat, ModelClass, OpenModel, Scoring, Server, Substitutes};
use super::{ClientDef, Docs, Framework, Interface, Operation, RequestObject, RuleSet, Sdk, Vendor};
use crate::ecosystem::Ecosystem;
use crate::error::{Location, Locator, RuleError, RuleErrors};
use rayon::prelude::*;
use regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// Where rules come from.
#[derive(Debug, Clone)]
pub enum RuleSource {
    /// The files compiled into the binary.
    Embedded,
    /// A directory of `*.toml` files, or one file.
    Path(PathBuf),
    /// One rule file's text, named `name` in messages (the fuzz targets load rules this way).
    Text {
        /// The file name shown in messages.
        name: String,
        /// The TOML text.
        text: String,
    },
}

/// The embedded rules alone. They are tested, so failure is a build defect.
pub fn load_embedded() -> RuleSet {
    load(&[RuleSource::Embedded]).expect("embedded rules are valid (tests/rules.rs)")
}

/// Loads and merges rule sources in order: a later file whose `[vendor]`/`[framework]` id
/// is already known replaces that earlier file whole; a later operation with a known id
/// replaces the earlier one.
pub fn load(sources: &[RuleSource]) -> Result<RuleSet, RuleErrors> {
    let mut errors = Vec::new();
    let mut files: Vec<LoadedFile> = Vec::new();
    for source in sources {
        let texts = match read_source(source) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let mut seen_here: HashMap<String, Location> = HashMap::new();
        // Parsing and checking a file needs nothing from the others: the files are parsed
        // on every core (start-up is most of a scan of a small tree), then merged in order,
        // their errors in the order one file after another gives.
        let parsed: Vec<(Option<LoadedFile>, Vec<RuleError>)> = texts
            .par_iter()
            .map(|(path, text)| {
                let mut found = Vec::new();
                let file = parse_file(path, text, &mut found);
                (file, found)
            })
            .collect();
        for (file, found) in parsed {
            errors.extend(found);
            let Some(file) = file else {
                continue;
            };
            // Duplicate ids within one source are errors; across sources, overrides.
            for (id, at) in file.ids() {
                if let Some(first) = seen_here.get(&id) {
                    errors.push(RuleError::DuplicateId { at, id, first: first.clone() });
                } else {
                    seen_here.insert(id, at);
                }
            }
            if let Some(pos) = files.iter().position(|f| f.owner_id == file.owner_id) {
                files.remove(pos);
            }
            let new_ops: Vec<String> = file.operations.iter().map(|o| o.id.clone()).collect();
            for f in &mut files {
                f.operations.retain(|o| !new_ops.contains(&o.id));
            }
            files.push(file);
        }
    }
    let portable: Vec<&Vendor> = files.iter().filter_map(|f| f.vendor.as_ref()).filter(|v| v.portable).collect();
    if portable.len() > 1 {
        errors.push(RuleError::Field {
            at: portable[1].source.clone(),
            subject: format!("vendor `{}`", portable[1].id),
            field: "portable",
            message: format!("only one vendor may be portable (also `{}`)", portable[0].id),
        });
    }
    let unknown: Vec<&Vendor> = files.iter().filter_map(|f| f.vendor.as_ref()).filter(|v| v.unknown_hosts).collect();
    if unknown.len() > 1 {
        errors.push(RuleError::Field {
            at: unknown[1].source.clone(),
            subject: format!("vendor `{}`", unknown[1].id),
            field: "unknown_hosts",
            message: format!("only one vendor may take unknown hosts (also `{}`)", unknown[0].id),
        });
    }
    let known_apis: Vec<String> = files.iter().flat_map(|f| f.operations.iter().map(|o| o.api.clone())).collect();
    for f in &files {
        for (c, at) in f.clients.iter().zip(&f.client_locations) {
            if !known_apis.contains(&c.api) {
                errors.push(RuleError::Field {
                    at: at.clone(),
                    subject: format!("client of `{}`", c.vendor),
                    field: "api",
                    message: format!("no operation declares api `{}`", c.api),
                });
            }
        }
    }
    for e in files.iter().flat_map(|f| &f.lifecycle) {
        if !files.iter().any(|f| f.vendor.as_ref().is_some_and(|v| v.id == e.vendor)) {
            errors.push(RuleError::Field {
                at: e.at.clone(),
                subject: format!("lifecycle model `{}`", e.models.first().map_or("", String::as_str)),
                field: "vendor",
                message: format!("unknown vendor `{}`", e.vendor),
            });
        }
    }
    if !errors.is_empty() {
        return Err(RuleErrors(errors));
    }
    let lifecycle: Vec<crate::lifecycle::Entry> = files.iter().flat_map(|f| f.lifecycle.iter().cloned()).collect();
    let (mut vendors, mut frameworks, mut sdks, mut clients, mut operations) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut request_objects = Vec::new();
    let mut interfaces = Vec::new();
    let mut subs = Substitutes::default();
    for f in &files {
        let Some(s) = &f.substitutes else { continue };
        if let Some(sc) = &s.scoring_set {
            subs.scoring = sc.clone();
        }
        subs.servers.extend(s.data.servers.clone());
        for c in &s.data.compat {
            subs.compat.retain(|x| x.api != c.api);
            subs.compat.push(c.clone());
        }
        subs.capabilities.extend(s.data.capabilities.clone());
        subs.classes.extend(s.data.classes.clone());
    }
    for f in files {
        vendors.extend(f.vendor);
        frameworks.extend(f.framework);
        sdks.extend(f.sdks);
        clients.extend(f.clients);
        request_objects.extend(f.request_objects);
        interfaces.extend(f.interfaces);
        operations.extend(f.operations);
    }
    let mut set = RuleSet::new(vendors, frameworks, sdks, clients, operations, subs);
    set.request_objects = request_objects;
    set.interfaces = interfaces;
    set.lifecycle = crate::lifecycle::Lifecycle::new(lifecycle);
    Ok(set)
}

struct LoadedFile {
    owner_id: String,
    vendor: Option<Vendor>,
    framework: Option<Framework>,
    sdks: Vec<Sdk>,
    clients: Vec<ClientDef>,
    client_locations: Vec<Location>,
    request_objects: Vec<RequestObject>,
    interfaces: Vec<Interface>,
    operations: Vec<Operation>,
    substitutes: Option<LoadedSubstitutes>,
    lifecycle: Vec<crate::lifecycle::Entry>,
}

struct LoadedSubstitutes {
    scoring_set: Option<Scoring>,
    data: Substitutes,
}

impl LoadedFile {
    /// A file of data tables only (substitutes, lifecycle): no vendor, framework or rules.
    fn data(owner_id: String) -> LoadedFile {
        LoadedFile {
            owner_id,
            vendor: None,
            framework: None,
            sdks: Vec::new(),
            clients: Vec::new(),
            client_locations: Vec::new(),
            request_objects: Vec::new(),
            interfaces: Vec::new(),
            operations: Vec::new(),
            substitutes: None,
            lifecycle: Vec::new(),
        }
    }

    fn ids(&self) -> Vec<(String, Location)> {
        let mut ids: Vec<(String, Location)> =
            self.operations.iter().map(|o| (o.id.clone(), o.source.clone())).collect();
        if let Some(v) = &self.vendor {
            ids.push((format!("vendor:{}", v.id), v.source.clone()));
        }
        if let Some(f) = &self.framework {
            ids.push((format!("framework:{}", f.id), f.source.clone()));
        }
        ids
    }
}

fn read_source(source: &RuleSource) -> Result<Vec<(String, String)>, RuleError> {
    match source {
        RuleSource::Embedded => Ok(EMBEDDED_RULES.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()),
        RuleSource::Text { name, text } => Ok(vec![(name.clone(), text.clone())]),
        RuleSource::Path(path) => {
            let read = |p: &Path| {
                crate::read::text(p, crate::read::CONFIG_LIMIT)
                    .map_err(|source| RuleError::Read { path: p.to_path_buf(), source })
            };
            // A folder of rule files, or one file; `/proc`, `/sys` and `/dev` are neither.
            let special = std::fs::canonicalize(path).is_ok_and(|c| crate::read::is_special(&c));
            if !path.is_dir() || special {
                return Ok(vec![(path.display().to_string(), read(path)?)]);
            }
            let entries = std::fs::read_dir(path).map_err(|source| RuleError::Read { path: path.clone(), source })?;
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            paths.sort();
            paths.iter().map(|p| Ok((p.display().to_string(), read(p)?))).collect()
        }
    }
}

fn parse_file(path: &str, text: &str, errors: &mut Vec<RuleError>) -> Option<LoadedFile> {
    let locator = Locator::new(path, text);
    let at = |offset: usize| locator.at(offset);
    let mut raw: RawRuleFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            errors.push(RuleError::Syntax { at: at(offset), message: e.message().trim().to_string() });
            return None;
        }
    };
    let before = errors.len();
    let mut field = |offset: usize, subject: String, field: &'static str, message: String| {
        errors.push(RuleError::Field { at: at(offset), subject, field, message });
    };
    let (raw_vendor, raw_framework) = (raw.vendor.take(), raw.framework.take());
    let (owner_id, vendor, framework) = match (raw_vendor, raw_framework) {
        (Some(v), None) => {
            let span = v.span();
            let v = v.into_inner();
            let id = v.id.get_ref().clone();
            check_id(&id, v.id.span().start, "vendor", &mut field);
            let subject = format!("vendor `{id}`");
            let mut secrets = Vec::new();
            for s in &v.secrets {
                match Regex::new(s.get_ref()) {
                    Ok(re) => secrets.push(re),
                    Err(e) => {
                        let reason =
                            e.to_string().lines().last().unwrap_or_default().trim_start_matches("error: ").to_string();
                        field(s.span().start, subject.clone(), "secrets", format!("invalid regex: {reason}"))
                    }
                }
            }
            let globs = [
                ("models", &v.models, false),
                ("context_models", &v.context_models, false),
                ("hosts", &v.hosts, true),
                ("app_hosts", &v.app_hosts, true),
            ];
            for (name, list, host) in globs {
                for m in list {
                    if m.get_ref().trim().is_empty() || m.get_ref().chars().all(|c| c == '*' || c == '?') {
                        field(m.span().start, subject.clone(), name, "a glob must contain a literal part".into());
                    } else if !super::glob_compiles(m.get_ref(), host) {
                        field(m.span().start, subject.clone(), name, "a glob too long to match".into());
                    }
                }
            }
            for e in &v.env {
                if e.get_ref().is_empty() || !e.get_ref().chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    field(e.span().start, subject.clone(), "env", format!("`{}` is not a variable name", e.get_ref()));
                }
            }
            // The unknown-host vendor may declare words too: of a name holding an endpoint the
            // user chooses, of no vendor (`openai_compatible.api_base`).
            if !v.portable && (!v.ports.is_empty() || (!v.env_words.is_empty() && !v.unknown_hosts)) {
                let which = if v.ports.is_empty() { "env_words" } else { "ports" };
                field(
                    span.start,
                    subject.clone(),
                    which,
                    "only the portable vendor declares self-hosted servers".into(),
                );
            }
            if v.unknown_hosts && (v.portable || !v.hosts.is_empty() || !v.app_hosts.is_empty()) {
                field(
                    span.start,
                    subject.clone(),
                    "unknown_hosts",
                    "the unknown-host vendor is not portable and has no hosts".into(),
                );
            }
            for p in &v.base_url_paths {
                // A path (`/openai/deployments/`) or a custom method (`:generateContent`).
                if !p.get_ref().starts_with(['/', ':']) || p.get_ref().len() < 4 {
                    field(
                        p.span().start,
                        subject.clone(),
                        "base_url_paths",
                        format!("`{}` is not a path of a few segments", p.get_ref()),
                    );
                }
            }
            for w in &v.env_words {
                if w.get_ref().is_empty() || !w.get_ref().chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                {
                    field(
                        w.span().start,
                        subject.clone(),
                        "env_words",
                        format!("`{}` is not an upper-case word", w.get_ref()),
                    );
                }
            }
            let vendor = Vendor {
                id: id.clone(),
                name: v.name,
                proprietary: v.proprietary,
                portable: v.portable,
                unknown_hosts: v.unknown_hosts,
                open_weights: v.open_weights,
                resource_endpoints: v.resource_endpoints,
                ports: v.ports,
                base_url_paths: v.base_url_paths.into_iter().map(|p| p.into_inner().to_ascii_lowercase()).collect(),
                headers: v.headers.into_iter().map(|h| h.into_inner().to_ascii_lowercase()).collect(),
                key_headers: v.key_headers.into_iter().map(|h| h.into_inner().to_ascii_lowercase()).collect(),
                env_words: v.env_words.into_iter().map(|w| w.into_inner()).collect(),
                hosts: v.hosts.into_iter().map(|h| h.into_inner().to_ascii_lowercase()).collect(),
                app_hosts: v.app_hosts.into_iter().map(|h| h.into_inner().to_ascii_lowercase()).collect(),
                env: v.env.into_iter().map(|e| e.into_inner()).collect(),
                models: v.models.into_iter().map(|m| m.into_inner()).collect(),
                context_models: v.context_models.into_iter().map(|m| m.into_inner()).collect(),
                secrets,
                docs: v.docs,
                source: at(span.start),
            };
            (id, Some(vendor), None)
        }
        (None, Some(f)) => {
            let span = f.span();
            let f = f.into_inner();
            let id = f.id.get_ref().clone();
            check_id(&id, f.id.span().start, "framework", &mut field);
            let fw = Framework {
                id: id.clone(),
                name: f.name,
                docs: f.docs,
                passthrough: f.passthrough,
                passthrough_args: f.passthrough_args,
                passthrough_methods: f.passthrough_methods,
                passthrough_defaults: f.passthrough_defaults,
                transparent: f.transparent,
                source: at(span.start),
            };
            (id, None, Some(fw))
        }
        (Some(v), Some(_)) => {
            field(
                v.span().start,
                "file".into(),
                "vendor",
                "a file declares either [vendor] or [framework], not both".into(),
            );
            return None;
        }
        (None, None) if !raw.model.is_empty() => {
            let lifecycle = lifecycle_entries(&raw, &at, &mut field);
            return Some(LoadedFile { lifecycle, ..LoadedFile::data(format!("lifecycle:{path}")) });
        }
        (None, None) => {
            if raw.scoring.is_none()
                && raw.capability.is_empty()
                && raw.server.is_empty()
                && raw.compat.is_empty()
                && raw.class.is_empty()
            {
                field(0, "file".into(), "vendor", "missing [vendor], [framework] or substitutes tables".into());
                return None;
            }
            let subs = substitutes(&raw, &mut field);
            return Some(LoadedFile { substitutes: Some(subs), ..LoadedFile::data(format!("substitutes:{path}")) });
        }
    };
    if raw.scoring.is_some() || !raw.capability.is_empty() || !raw.server.is_empty() || !raw.compat.is_empty() {
        field(0, format!("file of `{owner_id}`"), "capability", "substitutes tables belong in their own file".into());
    }
    if let Some(m) = raw.model.first() {
        field(
            m.span().start,
            format!("file of `{owner_id}`"),
            "model",
            "lifecycle tables belong in their own file".into(),
        );
    }
    let mut sdks = Vec::new();
    for s in raw.sdk {
        let s = s.into_inner();
        let ecosystem = check_ecosystem(&s.language, &owner_id, "sdk", &mut field);
        sdks.push(Sdk {
            vendor: owner_id.clone(),
            ecosystem,
            packages: s.packages.iter().map(|p| normalize_package(p)).collect(),
            modules: s.modules,
        });
    }
    let mut clients = Vec::new();
    let mut client_locations = Vec::new();
    for c in raw.client {
        let span = c.span();
        let c = c.into_inner();
        let ecosystem = check_ecosystem(&c.language, &owner_id, "client", &mut field);
        if vendor.is_none() && c.vendor_from.is_none() && c.requests.is_empty() {
            field(
                span.start,
                format!("client of `{owner_id}`"),
                "client",
                "only a [vendor] file declares clients (a [framework] only with `vendor_from` or `requests`)".into(),
            );
        }
        if vendor.is_some() && !c.requests.is_empty() {
            field(
                span.start,
                format!("client of `{owner_id}`"),
                "requests",
                "HTTP clients belong in a [framework] file (their vendor is the URL's)".into(),
            );
        }
        if c.run_time_calls && (c.vendor_from.is_none() || (c.modules.is_empty() && !c.vendor_per_call)) {
            field(
                span.start,
                format!("client of `{owner_id}`"),
                "run_time_calls",
                "only with `vendor_from` on `modules` or `vendor_per_call`".into(),
            );
        }
        if c.vendor_per_call && (c.vendor_from.is_none() || c.constructors.is_empty()) {
            field(
                span.start,
                format!("client of `{owner_id}`"),
                "vendor_per_call",
                "only with `vendor_from` on `constructors`".into(),
            );
        }
        if c.path_in_request && (c.requests.is_empty() || c.base_url.is_empty()) {
            field(
                span.start,
                format!("client of `{owner_id}`"),
                "path_in_request",
                "only with `requests` and `base_url`".into(),
            );
        }
        if c.resolves_uris && (c.requests.is_empty() || c.base_url.is_empty()) {
            field(
                span.start,
                format!("client of `{owner_id}`"),
                "resolves_uris",
                "only with `requests` and `base_url`".into(),
            );
        }
        if !c.sent_by.is_empty() && c.requests.is_empty() {
            field(span.start, format!("client of `{owner_id}`"), "sent_by", "only with `requests`".into());
        }
        if c.requests.iter().chain(&c.sent_by).any(|r| r.is_empty() || r.contains(['.', '(', ')', ' '])) {
            field(span.start, format!("client of `{owner_id}`"), "requests", "expected method names".into());
        }
        if c.constructors.is_empty() && c.modules.is_empty() {
            field(
                span.start,
                format!("client of `{owner_id}`"),
                "constructors",
                "needs `constructors` or `modules`".into(),
            );
        }
        client_locations.push(at(span.start));
        clients.push(ClientDef {
            vendor: owner_id.clone(),
            ecosystem,
            api: c.api.map_or_else(|| owner_id.clone(), |a| a.into_inner()),
            constructors: c.constructors,
            modules: c.modules,
            first_arg: c.first_arg,
            base_url: c.base_url,
            transparent: c.transparent,
            factories: c.factories,
            command_methods: c.command_methods,
            vendor_from: c.vendor_from,
            suffixes: c.suffixes,
            vendor_when: c.vendor_when,
            vendor_prefixes: c.vendor_prefixes,
            provider_from: c.provider_from,
            requests: c.requests,
            run_time_calls: c.run_time_calls,
            vendor_per_call: c.vendor_per_call,
            path_in_request: c.path_in_request,
            resolves_uris: c.resolves_uris,
            sent_by: c.sent_by,
        });
    }
    let mut request_objects = Vec::new();
    for r in raw.request_object {
        let span = r.span();
        let r = r.into_inner();
        let ecosystem = check_ecosystem(&r.language, &owner_id, "request_object", &mut field);
        if vendor.is_some() {
            field(
                span.start,
                format!("request object of `{owner_id}`"),
                "request_object",
                "request objects belong in a [framework] file (their vendor is the URL's)".into(),
            );
        }
        if r.made_by.is_empty() || r.made_by.iter().any(|m| m.is_empty() || m.contains(['(', ')', ' '])) {
            field(span.start, format!("request object of `{owner_id}`"), "made_by", "expected dotted names".into());
        }
        request_objects.push(RequestObject {
            ecosystem,
            made_by: r.made_by,
            url_setter: r.url_setter,
            url_position: r.url_position,
            url_keyword: r.url_keyword,
            joins: r.joins,
        });
    }
    let mut interfaces = Vec::new();
    for i in raw.interface {
        let span = i.span();
        let i = i.into_inner();
        let ecosystem = check_ecosystem(&i.language, &owner_id, "interface", &mut field);
        if vendor.is_some() {
            field(
                span.start,
                format!("interface of `{owner_id}`"),
                "interface",
                "interfaces belong in a [framework] file (their vendor is the implementation's)".into(),
            );
        }
        if i.types.is_empty() || i.types.iter().any(|t| t.is_empty() || t.contains(['(', ')', ' '])) {
            field(span.start, format!("interface of `{owner_id}`"), "types", "expected dotted names".into());
        }
        if i.apis.is_empty() {
            field(span.start, format!("interface of `{owner_id}`"), "apis", "expected client apis".into());
        }
        if i.compatible.as_ref().is_some_and(|c| c.is_empty() || c.contains(['(', ')', ' '])) {
            field(
                span.start,
                format!("interface of `{owner_id}`"),
                "compatible",
                "expected a dotted constructor".into(),
            );
        }
        interfaces.push(Interface {
            ecosystem,
            types: i.types,
            apis: i.apis,
            implemented_by: i.implemented_by,
            not_implemented_by: i.not_implemented_by,
            compatible: i.compatible,
        });
    }
    let mut operations = Vec::new();
    for op in raw.operation {
        let span = op.span();
        if let Some(op) = operation(&owner_id, op.into_inner(), span.start, &at, &mut field) {
            operations.push(op);
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(LoadedFile {
        owner_id,
        vendor,
        framework,
        sdks,
        clients,
        client_locations,
        request_objects,
        interfaces,
        operations,
        substitutes: None,
        lifecycle: Vec::new(),
    })
}

/// The `[[model]]` entries of a lifecycle file: a vendor, model ids, at least one date (a
/// day, no time), a replacement and the vendor's page as `source`, each checked.
fn lifecycle_entries(
    raw: &RawRuleFile,
    at: &dyn Fn(usize) -> Location,
    field: &mut FieldSink<'_>,
) -> Vec<crate::lifecycle::Entry> {
    use crate::lifecycle::{Date, Entry};
    let mut out = Vec::new();
    for m in &raw.model {
        let start = m.span().start;
        let m = m.get_ref();
        let subject = format!("lifecycle model `{}`", m.models.get_ref().first().map_or("", String::as_str));
        let mut ok = true;
        let mut date = |d: &Option<toml::Spanned<toml::value::Datetime>>, name: &'static str| {
            let d = d.as_ref()?;
            let parsed = (d.get_ref().time.is_none() && d.get_ref().offset.is_none())
                .then(|| Date::parse(&d.get_ref().to_string()))
                .flatten();
            if parsed.is_none() {
                field(d.span().start, subject.clone(), name, "expected a day, YYYY-MM-DD".into());
            }
            parsed
        };
        let (deprecated, retired) = (date(&m.deprecated, "deprecated"), date(&m.retired, "retired"));
        if m.deprecated.is_none() && m.retired.is_none() {
            field(start, subject.clone(), "retired", "needs `deprecated`, `retired` or both".into());
            ok = false;
        }
        if let (Some(d), Some(r)) = (deprecated, retired) {
            if d > r {
                field(start, subject.clone(), "deprecated", format!("{d} is after the retirement day {r}"));
                ok = false;
            }
        }
        if m.models.get_ref().is_empty() || m.models.get_ref().iter().any(|x| x.trim().is_empty()) {
            field(m.models.span().start, subject.clone(), "models", "expected model ids".into());
            ok = false;
        }
        let replacement = match &m.replacement {
            Some(r) if !r.get_ref().trim().is_empty() => r.get_ref().clone(),
            other => {
                let offset = other.as_ref().map_or(start, |r| r.span().start);
                field(offset, subject.clone(), "replacement", "missing: what the vendor recommends instead".into());
                ok = false;
                String::new()
            }
        };
        let source = match &m.source {
            Some(s) if s.get_ref().starts_with("https://") && s.get_ref().len() > "https://".len() + 3 => {
                s.get_ref().clone()
            }
            other => {
                let offset = other.as_ref().map_or(start, |s| s.span().start);
                field(offset, subject.clone(), "source", "missing: the vendor's deprecation page (https://...)".into());
                ok = false;
                String::new()
            }
        };
        if ok {
            out.push(Entry {
                vendor: m.vendor.get_ref().clone(),
                models: m.models.get_ref().iter().map(|x| x.trim().to_ascii_lowercase()).collect(),
                deprecated,
                retired,
                replacement,
                source,
                at: at(start),
            });
        }
    }
    out
}

fn substitutes(raw: &RawRuleFile, field: &mut FieldSink<'_>) -> LoadedSubstitutes {
    let mut data = Substitutes::default();
    let scoring_set = raw.scoring.as_ref().map(|s| {
        let span = s.span();
        let s = s.get_ref();
        let levels = match s.effort_levels.as_slice() {
            [a, b, c] => [*a, *b, *c],
            _ => [0.0; 3],
        };
        let scoring = Scoring {
            concentration: s.concentration,
            depth: s.depth,
            exposure: s.exposure,
            spread: s.spread,
            mitigation: s.mitigation,
            effort_levels: levels,
        };
        match scoring.check() {
            Ok(()) => scoring,
            Err((name, message)) => {
                field(span.start, "scoring".into(), name, message);
                Scoring::default()
            }
        }
    });
    for s in &raw.server {
        let s = s.get_ref();
        data.servers.insert(
            s.id.get_ref().clone(),
            Server {
                id: s.id.get_ref().clone(),
                name: s.name.clone(),
                license: s.license.clone(),
                openai_routes: s.openai_routes.clone(),
                notes: s.notes.clone(),
            },
        );
    }
    let known = |id: &str| data.servers.contains_key(id);
    let mut unknown = Vec::new();
    for c in &raw.compat {
        let c = c.get_ref();
        unknown.extend(c.servers.iter().filter(|s| !known(s.get_ref())).cloned());
        data.compat.push(Compat {
            api: c.api.clone(),
            capabilities: c.capabilities.clone(),
            servers: c.servers.iter().map(|s| s.get_ref().clone()).collect(),
        });
    }
    for c in &raw.capability {
        let span = c.span();
        let c = c.get_ref();
        if !(1.0..=5.0).contains(&c.depth) {
            field(span.start, format!("capability `{}`", c.id), "depth", "expected a number from 1 to 5".into());
        }
        unknown.extend(c.serving.servers.iter().filter(|s| !known(s.get_ref())).cloned());
        data.capabilities.insert(
            c.id,
            CapabilityInfo {
                id: c.id,
                depth: c.depth,
                floor: c.floor,
                migration: c.migration.clone(),
                models: c.model.iter().map(open_model).collect(),
                servers: c.serving.servers.iter().map(|s| s.get_ref().clone()).collect(),
            },
        );
    }
    for s in unknown {
        field(s.span().start, "substitutes".into(), "servers", format!("unknown server `{}`", s.get_ref()));
    }
    for c in &raw.class {
        let start = c.span().start;
        let c = c.get_ref();
        let subject = format!("class `{}`", c.id);
        if c.models.is_empty() {
            field(start, subject.clone(), "models", "empty list".into());
        }
        if c.model.is_empty() {
            field(start, subject.clone(), "model", "name at least one substitute".into());
        }
        // A substitute is advice someone acts on: its licence and where it was checked.
        for m in c.model.iter().filter(|m| m.license.trim().is_empty() || m.source.trim().is_empty()) {
            field(start, subject.clone(), "model", format!("`{}` needs a licence and a source", m.family));
        }
        data.classes.push(ModelClass {
            id: c.id.clone(),
            capability: c.capability,
            models: c.models.clone(),
            same_weights: c.same_weights,
            why: c.why.clone(),
            migration: c.migration.clone(),
            substitutes: c.model.iter().map(open_model).collect(),
        });
    }
    LoadedSubstitutes { scoring_set, data }
}

fn open_model(m: &super::raw::RawModel) -> OpenModel {
    OpenModel {
        family: m.family.clone(),
        sizes: m.sizes.clone(),
        license: m.license.clone(),
        osi: m.osi,
        notes: m.notes.clone(),
        source: m.source.clone(),
    }
}

type FieldSink<'a> = dyn FnMut(usize, String, &'static str, String) + 'a;

fn operation(
    owner: &str,
    op: RawOperation,
    start: usize,
    at: &dyn Fn(usize) -> Location,
    field: &mut FieldSink<'_>,
) -> Option<Operation> {
    let id = op.id.get_ref().clone();
    let subject = format!("operation `{id}`");
    let before_ok = id.starts_with(&format!("{owner}.")) && is_kebab(&id[owner.len() + 1..]);
    if !before_ok {
        field(op.id.span().start, subject.clone(), "id", format!("expected `{owner}.<kebab-name>`"));
    }
    match (&op.on_client, &op.http) {
        (None, None) => field(start, subject.clone(), "on_client", "needs `on_client` or `http`".into()),
        (Some(on), _) if on.get_ref().is_empty() => {
            field(on.span().start, subject.clone(), "on_client", "empty list".into())
        }
        (_, Some(h)) if h.get_ref().is_empty() => field(h.span().start, subject.clone(), "http", "empty list".into()),
        _ => {}
    }
    if let Some(on) = &op.on_client {
        for p in on.get_ref() {
            if p.is_empty() || p.split('.').any(|s| s.is_empty() || s.contains(['(', ')', ' '])) {
                field(on.span().start, subject.clone(), "on_client", format!("`{p}` is not a dotted path"));
            }
        }
    }
    if let Some(h) = &op.http {
        for p in h.get_ref() {
            if let Err(why) = check_http_pattern(p) {
                field(h.span().start, subject.clone(), "http", format!("`{p}`: {why}"));
            }
        }
    }
    if !op.http_ports.is_empty() && op.http.is_none() {
        field(start, subject.clone(), "http_ports", "needs `http`".into());
    }
    if op.message.get_ref().trim().is_empty() || op.message.get_ref().ends_with('.') {
        field(op.message.span().start, subject.clone(), "message", "one line, not empty, no final period".into());
    }
    let docs = match op.docs {
        Some(d) => {
            let dspan = d.span();
            let d = d.into_inner();
            for (name, value) in [("what", &d.what), ("why", &d.why), ("example", &d.example), ("instead", &d.instead)]
            {
                if value.trim().is_empty() {
                    let name: &'static str = name;
                    field(dspan.start, subject.clone(), name, "empty documentation section".into());
                }
            }
            let language = match &d.example_language {
                None => Some(Ecosystem::Python),
                Some(l) => {
                    let e = Ecosystem::from_id(l.get_ref());
                    if e.is_none() {
                        let msg = format!("unknown language `{}`, expected one of {}", l.get_ref(), Ecosystem::ids());
                        field(l.span().start, subject.clone(), "example_language", msg);
                    }
                    e
                }
            };
            let example_file = language.map(super::example::source_file).unwrap_or_default().to_string();
            Docs { what: d.what, why: d.why, example: d.example, example_file, instead: d.instead }
        }
        None => {
            field(start, subject.clone(), "docs", "missing [operation.docs]".into());
            Docs::default()
        }
    };
    Some(Operation {
        source: at(op.id.span().start),
        api: op.api.unwrap_or_else(|| owner.to_string()),
        id,
        owner: owner.to_string(),
        capability: op.capability,
        severity: op.severity,
        on_client: op.on_client.map(|o| o.into_inner()).unwrap_or_default(),
        http: op.http.map(|h| h.into_inner()).unwrap_or_default(),
        http_ports: op.http_ports,
        message: op.message.into_inner(),
        docs,
    })
}

/// The `http` pattern that matches any path on a vendor's host (the fallback operation).
pub const ANY_PATH: &str = "*";

/// Checks one `http` pattern of an operation: `*`, or a path suffix starting with `/` or
/// `:` (`/v1/chat/completions`, `/model/{id}/invoke`, `:generateContent`).
fn check_http_pattern(p: &str) -> Result<(), String> {
    if p == ANY_PATH {
        return Ok(());
    }
    if !p.starts_with(['/', ':']) {
        return Err("expected a URL path starting with `/` or `:`, or `*`".into());
    }
    if p.contains(|c: char| c.is_whitespace() || "?#*".contains(c)) {
        return Err("no spaces, query, fragment or `*` inside a path".into());
    }
    let mut open = false;
    for c in p.chars() {
        match c {
            '{' if open => return Err("nested `{`".into()),
            '{' => open = true,
            '}' if !open => return Err("`}` without `{`".into()),
            '}' => open = false,
            '/' if open => return Err("a `{name}` stands for part of one segment".into()),
            _ => {}
        }
    }
    if open {
        return Err("unclosed `{`".into());
    }
    Ok(())
}

fn check_id(id: &str, offset: usize, what: &str, field: &mut FieldSink<'_>) {
    if !is_kebab(id) {
        field(offset, format!("{what} `{id}`"), "id", "expected a lower-case kebab-case id".into());
    }
}

/// The ecosystem a table's `language` names; an unknown one is a field error (the rule
/// set then does not load, so the placeholder returned is never used).
fn check_ecosystem(lang: &toml::Spanned<String>, owner: &str, table: &str, field: &mut FieldSink<'_>) -> Ecosystem {
    Ecosystem::from_id(lang.get_ref()).unwrap_or_else(|| {
        field(
            lang.span().start,
            format!("{table} of `{owner}`"),
            "language",
            format!("unknown language `{}`, expected one of {}", lang.get_ref(), Ecosystem::ids()),
        );
        Ecosystem::Python
    })
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// PEP 503 normalisation: lower-case, runs of `-_.` become `-`.
pub fn normalize_package(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_package_names() {
        assert_eq!(normalize_package("Google_GenerativeAI"), "google-generativeai");
        assert_eq!(normalize_package("llama.index--llms"), "llama-index-llms");
    }

    #[test]
    fn kebab_ids() {
        assert!(is_kebab("chat-completions"));
        assert!(!is_kebab("Chat"));
        assert!(!is_kebab("a_b"));
    }
}

#[cfg(test)]
mod http_pattern_tests {
    use super::check_http_pattern;

    #[test]
    fn checks_http_patterns() {
        assert!(check_http_pattern("/model/{id}/invoke").is_ok());
        assert!(check_http_pattern(":generateContent").is_ok());
        assert!(check_http_pattern("*").is_ok());
        assert!(check_http_pattern("v1/chat").is_err());
        assert!(check_http_pattern("/model/{id/x}").is_err());
        assert!(check_http_pattern("/a?b").is_err());
    }
}
