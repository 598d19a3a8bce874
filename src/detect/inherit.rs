//! Calls written in a base class whose subclasses live in other modules of the tree.
//!
//! A base builds its client from what its constructor is given and makes the calls
//! (`this.client = new OpenAI({ baseURL })` then `this.client.chat.completions.create(...)`;
//! Python's `self._client = OpenAI(base_url=url)` in `base_model.py`); each subclass, in its
//! own module, passes its provider's host up (`super({ ...options, baseURL: "https://..." })`,
//! `super().__init__(url="https://...")`). Neither module alone knows who serves the call.
//!
//! - Detection, base side ([`probed_call`]): a call on the instance inside a top-level class
//!   that no class of its own module extends is also resolved with the constructor's
//!   parameters standing for themselves ([`params`]). When the result holds a marker, the call
//!   is kept as a pending call headed `inherits:Class` (the findings as written are its
//!   fallback).
//! - Detection, subclass side ([`subclass_export`]): a top-level class extending a class of
//!   another module exports `extends:Sub`, the base's path called with what its constructor
//!   passes to `super`.
//! - Linking ([`resolve`]): the reverse index. Each subclass exported for the base's module
//!   and name fills the markers with its arguments; the call is reported under each vendor
//!   reached, naming the subclass, as a run-time choice when they are several
//!   ([`tables::per_vendor`]). A base that is not abstract is one more alternative, with the
//!   defaults its code gives. No subclass found: the findings as written.
//!
//! Input: resolved paths and exports; output: findings. It never reads another file.

use super::emit::Emit;
use super::path::{ArgValue, CallArgs, Path, Seg};
use super::resolve::{Bind, Ctx, Front, Shape, Val};
use super::tables::{self, Choice, Matched};
use super::{http, matcher, params, FileOutput, LocalModules, PendingCall};
use crate::rules::RuleSet;
use std::collections::HashMap;

/// Head of a pending call written in a base class: the class's name follows.
pub const INHERITED: &str = "inherits:";
/// Head of a pending call written in an abstract base class (never an instance of its own).
const INHERITED_ABSTRACT: &str = "inherits:abstract:";
/// Key of a subclass's export: the subclass's name follows; the value is the base's path,
/// called with what the subclass passes to `super`.
const EXTENDS: &str = "\0extends:";

/// Head of a pending call written in a top-level function whose callers in other modules
/// pass what decides who serves it (`sendChat(baseUrl, ...)` requesting `${baseUrl}/chat`);
/// the function's name follows.
const CALLED: &str = "inherits:called:";
/// Key of a caller's export: the function's path called with the caller's arguments.
const CALLS: &str = "\0calls:";

/// Head of a pending call written in a class that other modules build through its builder
/// (`MistralAiClient.builder().baseUrl(u).build()`): the names it is built under follow,
/// separated by `,` ([`Front::built_names`]).
const INHERITED_BUILT: &str = "inherits:built:";
/// Key of a builder chain's export: the qualified name of the class built follows; the value
/// is the chain's root called with its setters as keywords ([`built_export`]).
const BUILT: &str = "\0built:";

/// Caller side: a builder chain of a class of the tree (`MistralAiClient.builder()
/// .baseUrl("https://api.mistral.ai/v1")...build()`, lowered as the root called with its
/// setters as keywords), exported under the class's qualified name for the calls its instances
/// make from what the builder holds ([`probed_call`]), when a setter is given a URL.
pub fn built_export(class: &str, chain: Path) -> Option<(String, Path)> {
    let args = chain.0.last()?.call.as_deref()?;
    let url = args.keywords.iter().any(|(_, v)| v.text().is_some_and(|t| t.contains("://")));
    url.then(|| (format!("{BUILT}{class}"), chain))
}

/// Key of a function's export: a request it writes with its parameters standing for
/// themselves ([`probed_in_function`]); the function's name follows. Its callers in other
/// modules fill it ([`helper_requests`]).
const REQUEST: &str = "\0request:";

/// Subclasses of one base, or callers of one function, followed per call.
const MAX_SUBCLASSES: usize = tables::MAX_KEYS;

/// The name a top-level class is bound to in its module.
pub fn class_name<'t, F: Front<'t> + ?Sized>(front: &F, class: usize) -> Option<String> {
    let sym = front.sym();
    let scope = sym.scopes.get(&sym.root_id)?;
    let mut names: Vec<&String> = scope
        .iter()
        .filter(|(_, binds)| binds.iter().any(|b| matches!(b.bind, Bind::Class(c) if c == class)))
        .map(|(n, _)| n)
        .collect();
    names.sort();
    names.first().map(|n| n.to_string())
}

/// Base side: the path of call `node` with what subclasses give its class standing for
/// itself, headed by `inherits:Class`, when a subclass of another module may decide who
/// serves it: the call is written in a top-level class that no class of this module extends,
/// and either goes through the instance (`this.client...`, `self._client...`) of a class
/// whose constructor takes parameters, or is written in an abstract class (whose methods
/// subclasses implement: `this.getBaseUrl()`); and the path holds a marker.
pub fn probed_call<'t, F: Front<'t> + ?Sized>(front: &F, node: tree_sitter::Node<'t>, ctx: &Ctx) -> Option<Path> {
    let Some(class) = ctx.class else { return probed_in_function(front, node, ctx) };
    let info = front.sym().classes.get(&class)?;
    let ctor = info.methods.get("constructor").or_else(|| info.methods.get("__init__")).copied();
    let (f, args) = front.call_parts(node)?;
    // A request through an HTTP library reads the instance's fields in its URL whatever its
    // receiver (`EventSources.createFactory(client)` held in a local, `factory.newEventSource(
    // new Request.Builder().url(apiHost).build(), listener)`).
    let http_request = || matches!(front.resolve(f, ctx, 0), Some(Val::Path(p)) if http::is_request(front.rules(), front.ecosystem(), &p));
    let through_ctor =
        ctor.is_some_and(|c| !front.probe_keys(c).is_empty()) && (front.on_this(f, ctx) || http_request());
    if !(through_ctor || info.is_abstract) || front.sym().inheriting.get().is_some() {
        return None;
    }
    let head = if info.is_abstract { INHERITED_ABSTRACT } else { INHERITED };
    if !front.subclasses_of(class, 0).is_empty() {
        return None;
    }
    let built = front.built_names(class);
    let name = if built.is_empty() { class_name(front, class)? } else { built.join(",") };
    let head = if built.is_empty() { head } else { INHERITED_BUILT };
    let resolve = || {
        let Some(Val::Path(callee)) = front.resolve(f, ctx, 0) else { return None };
        let args = args.map(|a| front.call_args(a, ctx, 0, &callee)).unwrap_or_default();
        callee.called(args)
    };
    front.sym().inheriting.set(Some(class));
    let path = match ctor {
        Some(c) if through_ctor => front.probing(c, resolve),
        _ => front.apart(resolve),
    };
    front.sym().inheriting.set(None);
    let path = path?;
    if !params::path_has_markers(&path) {
        return None;
    }
    let mut headed = vec![Seg { name: format!("{head}{name}"), call: None }];
    headed.extend(path.0);
    Some(Path(headed))
}

/// A request (`fetch`, the code's own `fetchSSE`) written in a top-level function, with the
/// function's parameters standing for themselves (by position in JavaScript, `#0`; by name
/// elsewhere), headed `inherits:called:f` when its path holds a marker: the callers of other
/// modules fill them ([`caller_export`]).
fn probed_in_function<'t, F: Front<'t> + ?Sized>(front: &F, node: tree_sitter::Node<'t>, ctx: &Ctx) -> Option<Path> {
    let (f, args) = front.call_parts(node)?;
    if !front.sym().probes.borrow().is_empty() {
        return None;
    }
    let request = front.callee_name(f, 0).is_some_and(http::request_like);
    let receiver = if request { None } else { Some(client_parameter(front, f, ctx)?) };
    let func = *ctx.chain.get(1)?;
    let sym = front.sym();
    let (name, def) = sym
        .scopes
        .get(&sym.root_id)?
        .iter()
        .filter_map(|(n, binds)| {
            binds.iter().find_map(|b| match b.bind {
                Bind::Func(d) if d.id() == func => Some((n, d)),
                _ => None,
            })
        })
        .min_by(|a, b| a.0.cmp(b.0))?;
    let js = front.ecosystem() == crate::ecosystem::Ecosystem::JavaScript;
    let keys: HashMap<String, String> = front
        .params(def)
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(i, p)| (p.to_string(), if js { format!("#{i}") } else { params::by_name_or_position(p, i) }))
        .collect();
    if keys.is_empty() || receiver.is_some_and(|r| !keys.contains_key(r)) {
        return None;
    }
    sym.probes.borrow_mut().push((func, keys));
    let path = front.apart(|| {
        let Some(Val::Path(callee)) = front.resolve(f, ctx, 0) else { return None };
        let args = args.map(|a| front.call_args(a, ctx, 0, &callee)).unwrap_or_default();
        callee.called(args)
    });
    sym.probes.borrow_mut().pop();
    let path = path.filter(|p| params::path_has_markers(p) || params::through_parameter(p))?;
    let mut headed = vec![Seg { name: format!("{CALLED}{name}"), call: None }];
    headed.extend(path.0);
    Some(Path(headed))
}

/// The parameter an SDK call goes through (`client` of `createStream(client: OpenAI, ...)`
/// calling `client.chat.completions.create(...)`): the name its receiver starts from, when
/// the call as written is a vendor's (a parameter typed as a client). Each caller's client
/// then decides who serves it ([`params::fill`]).
fn client_parameter<'t, F: Front<'t> + ?Sized>(front: &F, f: tree_sitter::Node<'t>, ctx: &Ctx) -> Option<&'t str> {
    let mut cur = f;
    let root = loop {
        match front.shape(cur, ctx) {
            Shape::Member(obj, _) => cur = obj,
            Shape::Name(n) => break n,
            _ => return None,
        }
    };
    matches!(front.resolve(f, ctx, 0), Some(Val::Path(p)) if front.is_vendor_path(&p)).then_some(root)
}

/// Caller side: a call of a function of another module of the tree given a URL or an API
/// path (`sendChat("https://open.bigmodel.cn/api/paas/v4", ...)`), exported for the requests
/// that function writes with its parameters ([`probed_in_function`]).
pub fn caller_export(path: &Path, locals: &LocalModules) -> Option<(String, Path)> {
    let k = module_split(locals, path)?;
    let args = path.0[k].call.as_deref()?;
    // A URL, an API path, or a client the caller built (`createStream(new OpenAI({ baseURL }))`).
    let given = |v: &ArgValue| match v {
        // (One built with arguments: a bare instance, a typed parameter, says no more than the
        // callee's own type.)
        ArgValue::Path(p) => {
            !locals.is_local_path(p) && p.0.iter().any(|s| s.call.as_deref().is_some_and(|a| !a.is_bare()))
        }
        v => v.text().is_some_and(|t| t.contains("://") || t.starts_with('/')),
    };
    if !args.positional.iter().chain(args.keywords.iter().map(|(_, v)| v)).any(given) {
        return None;
    }
    Some((format!("{CALLS}{}", path.0[k].name), path.clone()))
}

/// Function side: the request a call kept for the function's callers writes
/// ([`probed_in_function`], headed `inherits:called:f`), exported for callers that link
/// through the function ([`helper_requests`]).
pub fn request_export(path: &Path) -> Option<(String, Path)> {
    let (head, rest) = path.0.split_first()?;
    let f = head.name.strip_prefix(CALLED)?;
    Some((format!("{REQUEST}{f}"), Path(rest.to_vec())))
}

/// Caller side: a call of a function of another module of the tree that sends a request
/// built from what it is given (letta's `openai_get_model_list_async(self.base_url)`
/// requesting `smart_urljoin(url, "models")`): each request the function exports
/// ([`request_export`]) filled with the call's arguments, when that reaches a vendor's API
/// that its defaults alone do not. The caller decides who serves the request, so the
/// caller's line is a call too (as a call of the code's own request wrapper is,
/// `Front::wrapped_request`); the function's own line keeps its findings per caller. Raw
/// HTTP requests only.
pub fn helper_requests(
    out: &FileOutput,
    path: &Path,
    exports: &HashMap<String, Vec<(String, Path)>>,
    rules: &RuleSet,
    locals: &LocalModules,
) -> Vec<Matched> {
    let Some(k) = module_split(locals, path) else { return Vec::new() };
    let seg = &path.0[k];
    let Some(args) = seg.call.as_deref() else { return Vec::new() };
    let key = format!("{REQUEST}{}", seg.name);
    let mut found = Vec::new();
    for file in locals.files(&path.dotted(k)) {
        let Some(list) = exports.get(file) else { continue };
        for (_, written) in list.iter().filter(|(n, _)| *n == key) {
            let given = filled(written, args);
            if given == filled(written, &CallArgs::default()) {
                continue;
            }
            let note = format!(" (sent through `{}` of {file})", seg.name);
            // (Raw HTTP only: an SDK call through a client the caller passes is reported
            // where the helper makes it, under each caller's vendor.)
            let request = matched(rules, out, &given).filter(|m| matches!(m, Matched::Request(_)));
            found.extend(request.map(|m| noted(m, &note)));
        }
    }
    found.truncate(MAX_SUBCLASSES);
    found
}

/// Key of a call through a class of the tree (`service:SharedHttp.client().newCall(r)`, a
/// static method or an injected instance): the class's name follows.
const USES: &str = "\0uses:";

/// Caller side: a call through the members a class of the tree exports (a static method,
/// [`super::jvm::static_path`]), noted so that the class's file is read for them
/// ([`called_module`]) though it spells nothing the prefilter looks for (an OkHttp client
/// provider).
pub fn class_use(path: &Path, locals: &LocalModules) -> Option<(String, Path)> {
    let class = path.0.first()?.name.strip_prefix(super::SERVICE)?;
    super::jvm::class_file(locals, class)?;
    Some((format!("{USES}{class}"), Path::from_dotted(class)))
}

/// The module a caller's export ([`caller_export`]) calls into, or whose class a builder
/// chain builds with a URL ([`built_export`]: `WxClient.builder().apiHost("https://..")`, the
/// class sending to its field with no URL of its own spelt): its files must be read for the
/// requests they write, whatever the prefilter made of them.
pub fn called_module(key: &str, path: &Path, locals: &LocalModules) -> Option<String> {
    if let Some(class) = key.strip_prefix(BUILT).or_else(|| key.strip_prefix(USES)) {
        return super::jvm::class_file(locals, class);
    }
    key.strip_prefix(CALLS)?;
    Some(path.dotted(module_split(locals, path)?))
}

/// While a class is probed for its subclasses ([`probed_call`]), a method it calls on its
/// own instance (`await this.getAPIURL()`) returns what each subclass's returns: a marker
/// keyed `this.getAPIURL()`, whose default is what the class's own method returns.
pub fn method_marker<'t, F: Front<'t> + ?Sized>(
    front: &F,
    callee: tree_sitter::Node<'t>,
    ctx: &Ctx,
) -> Option<ArgValue> {
    let class = front.sym().inheriting.get().filter(|c| ctx.class == Some(*c))?;
    let Shape::Member(obj, name) = front.shape(callee, ctx) else { return None };
    if !matches!(front.shape(obj, ctx), Shape::This) {
        return None;
    }
    let own = front.sym().classes.get(&class).and_then(|i| i.methods.get(name)).copied();
    let default = own.and_then(|def| front.call_value(def, None, ctx, 1)).and_then(|v| v.text().map(str::to_string));
    Some(ArgValue::Str(params::marker(&method_key(name), default.as_deref().unwrap_or_default())))
}

/// The keyword a method's value fills markers under.
fn method_key(name: &str) -> String {
    format!("this.{name}()")
}

/// Subclass side: what a top-level class `name` extending a class of another module of the
/// tree exports for that base's calls ([`resolve`]): the base's path called with what its
/// constructor passes to `super`, and, keyed by [`method_key`], the string each of its
/// methods returns (`getBaseUrl() { return "https://api.deepseek.com" }`).
pub fn subclass_export<'t, F: Front<'t> + ?Sized>(front: &F, name: &str, class: usize) -> Option<(String, Path)> {
    let info = front.sym().classes.get(&class)?;
    let base = info.bases.iter().find_map(|(b, c)| match front.resolve(*b, c, 1) {
        Some(Val::Path(p)) if module_split(front.locals(), &p).is_some() => Some(p),
        _ => None,
    })?;
    let mut passed = match &info.super_args {
        Some((args, actx)) => front.call_args(*args, actx, 1, &Path::default()),
        None => CallArgs::default(),
    };
    let mut methods: Vec<(&String, &tree_sitter::Node<'t>)> =
        info.methods.iter().filter(|(m, _)| !matches!(m.as_str(), "constructor" | "__init__")).collect();
    methods.sort_by(|a, b| a.0.cmp(b.0));
    let ctx = Ctx::module(front.sym().root_id);
    for (m, def) in methods.into_iter().take(MAX_METHODS) {
        if let Some(v) = front.call_value(*def, None, &ctx, 1).filter(|v| v.text().is_some()) {
            passed.keywords.push((method_key(m), v));
        }
    }
    if passed.is_bare() {
        return None;
    }
    Some((format!("{EXTENDS}{name}"), base.called(passed)?))
}

/// Methods of one subclass whose returns are read.
const MAX_METHODS: usize = 32;

/// Where the module part of a class path ends: `local:./base.Base` and `app.models.base.Base`
/// name class `Base` of a module of the tree; the index of the class segment.
fn module_split(locals: &LocalModules, p: &Path) -> Option<usize> {
    let k = p.0.len().checked_sub(1)?;
    (k >= 1 && !p.has_call_before(k) && locals.has_module(&p.dotted(k))).then_some(k)
}

/// The subclasses (and callers) other modules of the tree declare, by the class (or
/// function) they extend (or call) and the kind of link: built once per scan from the
/// exports ([`subclass_export`]), so that linking a call costs the subclasses of its own
/// class, not every export of the tree (a scan of many repositories side by side spent
/// most of its time walking them).
#[derive(Default)]
pub struct Subclasses {
    by_class: HashMap<(&'static str, String), Vec<Subclass>>,
}

struct Subclass {
    name: String,
    file: String,
    /// The module the extended class is in (its key in [`LocalModules`]).
    module: String,
    args: CallArgs,
}

impl Subclasses {
    /// Indexes `exports`, file by file in name order (the order findings are reported in).
    pub fn new(exports: &HashMap<String, Vec<(String, Path)>>, locals: &LocalModules) -> Self {
        let mut files: Vec<&String> = exports.keys().collect();
        files.sort();
        let mut by_class: HashMap<(&'static str, String), Vec<Subclass>> = HashMap::new();
        for file in files {
            for (key, p) in &exports[file] {
                if let Some(class) = key.strip_prefix(BUILT) {
                    let Some(args) = p.0.last().and_then(|s| s.call.as_deref()) else { continue };
                    let name = class.rsplit('.').next().unwrap_or(class).to_string();
                    let sub = Subclass { name, file: file.clone(), module: String::new(), args: args.clone() };
                    by_class.entry((BUILT, class.to_string())).or_default().push(sub);
                    continue;
                }
                let Some((prefix, sub)) =
                    [CALLS, EXTENDS].into_iter().find_map(|x| key.strip_prefix(x).map(|s| (x, s)))
                else {
                    continue;
                };
                let Some(k) = module_split(locals, p) else { continue };
                let seg = &p.0[k];
                by_class.entry((prefix, seg.name.clone())).or_default().push(Subclass {
                    name: sub.to_string(),
                    file: file.clone(),
                    module: p.dotted(k),
                    args: seg.call.as_deref().cloned().unwrap_or_default(),
                });
            }
        }
        Subclasses { by_class }
    }
}

/// Linking: a call written in a base class ([`probed_call`]) reported under each subclass
/// that other modules of the tree declare ([`subclass_export`]); else its fallback.
pub fn resolve(out: &mut FileOutput, call: &PendingCall, index: &Subclasses, rules: &RuleSet, locals: &LocalModules) {
    let Some((head, rest)) = call.path.0.split_first() else { return };
    // A function is no instance of its own: only what its callers give counts.
    let (class, abstract_, prefix) = if let Some(f) = head.name.strip_prefix(CALLED) {
        (f, true, CALLS)
    } else if let Some(c) = head.name.strip_prefix(INHERITED_BUILT) {
        // (Built only through its builder: what the builders give decides.)
        (c, true, BUILT)
    } else if let Some(c) = head.name.strip_prefix(INHERITED_ABSTRACT) {
        (c, true, EXTENDS)
    } else {
        (head.name.strip_prefix(INHERITED).unwrap_or_default(), false, EXTENDS)
    };
    let written = Path(rest.to_vec());
    let mut subclasses: Vec<(&str, &str, CallArgs)> = Vec::new();
    // A built class is named by its qualified names (its own and its bases'), a subclass by
    // its base's name in the base's module.
    let names: Vec<&str> = if prefix == BUILT { class.split(',').collect() } else { vec![class] };
    for name in names {
        for s in index.by_class.get(&(prefix, name.to_string())).map_or(&[][..], Vec::as_slice) {
            if prefix == BUILT || locals.files(&s.module).contains(&out.rel) {
                subclasses.push((s.name.as_str(), s.file.as_str(), s.args.clone()));
            }
        }
    }
    subclasses.truncate(MAX_SUBCLASSES);
    let mut found: Vec<Matched> = Vec::new();
    if !abstract_ && !subclasses.is_empty() {
        found.extend(matched(rules, out, &filled(&written, &CallArgs::default())));
    }
    let defaults = filled(&written, &CallArgs::default());
    let mut own = false;
    for (sub, file, args) in &subclasses {
        // One that fills nothing gives only the defaults: nothing of its own (and what the
        // prefilter may leave unread, a module naming no vendor, never changes a finding).
        let path = filled(&written, args);
        if path == defaults {
            continue;
        }
        own = true;
        let note = match prefix {
            CALLS => format!(" (`{sub}` called from {file})"),
            BUILT => format!(" (`{sub}` built in {file})"),
            _ => format!(" (through subclass `{sub}` of {file})"),
        };
        found.extend(matched(rules, out, &path).map(|m| noted(m, &note)));
    }
    // No subclass passes anything of its own: the call as written (with every client its
    // branches may build, where the probe followed one) stands.
    if !own || !found.iter().any(Matched::is_found) {
        out.findings.extend(call.fallback.iter().cloned());
        return;
    }
    let line = out.snippet_at(call.span.line);
    let (emits, _) = tables::per_vendor(rules, found, Choice::Alternatives);
    for e in emits {
        out.emit(rules, &line, call.span, e);
    }
}

/// `written` with its markers filled from `args` ([`params::fill`]); a `/` doubled where a
/// joined part filled in begins or ends with one (`urlJoin(this.getBaseUrl(), "/v1")`) is one.
fn filled(written: &Path, args: &CallArgs) -> Path {
    let mut p = params::fill(written, args);
    for seg in &mut p.0 {
        let Some(call) = seg.call.as_deref() else { continue };
        let mut call = call.clone();
        for v in call.positional.iter_mut().chain(call.keywords.iter_mut().map(|(_, v)| v)) {
            if let ArgValue::Str(t) | ArgValue::Pattern(t) = v {
                if let Some((scheme, rest)) = t.split_once("://") {
                    let mut rest = rest.to_string();
                    while rest.contains("//") {
                        rest = rest.replace("//", "/");
                    }
                    *t = format!("{scheme}://{rest}");
                }
            }
        }
        seg.call = Some(std::sync::Arc::new(call));
    }
    p
}

/// What a filled path is: an operation of a vendor's client, or a request to a vendor's API.
fn matched(rules: &RuleSet, out: &FileOutput, path: &Path) -> Option<Matched> {
    let no_attrs = matcher::ModuleAttrs::new();
    if let Some(m) = matcher::operation_call(rules, out.ecosystem, path, &no_attrs) {
        let e = super::emit::call(rules, &m);
        return Some(Matched::Found(e, m.def.vendor.clone(), m.served));
    }
    if let Some(e) = http::request(rules, out.ecosystem, path) {
        return Some(Matched::Request(e));
    }
    // Sent through the code's own wrapper (`fetchSSE(url, ...)`) to a vendor's API.
    // (`const fetcher = getUniversalFetch(); fetcher(url)`: the call's result called, named
    // by the function that made it.)
    let (last, named) = match path.0.as_slice() {
        [.., named, last] if last.name.is_empty() => (last, named),
        [.., last] => (last, last),
        [] => return None,
    };
    if !http::request_like(&named.name) {
        return None;
    }
    let args = last.call.as_deref()?;
    let url = args.keyword("url").or_else(|| args.positional.first())?.text()?;
    let e = http::wrapped(rules, url)?;
    Some(Matched::Request(e.noting(&format!(" (sent through `{}`)", named.name))))
}

/// `m` with `note` added to its finding's message.
fn noted(m: Matched, note: &str) -> Matched {
    let add = |e: Emit| e.noting(note);
    match m {
        Matched::Found(e, v, s) => Matched::Found(add(e), v, s),
        Matched::Request(e) => Matched::Request(add(e)),
        other => other,
    }
}
