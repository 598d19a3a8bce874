//! Raw HTTP calls: a request made with an HTTP library (`rules/http.toml`: `requests.post`,
//! `fetch`, `axios.create({ baseURL }).post`, `reqwest::Client::new().post`) whose URL names
//! a vendor's API. Input: a called canonical path whose arguments the front end has lowered
//! (a literal, or an [`ArgValue::Pattern`] with holes for the parts it cannot read). Output:
//! the `call` finding's [`Emit`]. The URL's host decides who serves the request (a vendor's
//! `hosts`, or a self-hosted server), its path the operation (each operation's `http`
//! patterns). Language-neutral; it words nothing itself (see [`super::emit::http_call`]).

use super::emit::{self, Emit};
use super::matcher::{self, is_reserved_host, is_self_hosted, Served};
use super::path::{ArgValue, CallArgs, Path, HOLE, SELF_HOSTED};
use crate::ecosystem::Ecosystem;
use crate::rules::{ClientDef, Operation, RequestObject, RuleSet};

pub use crate::rules::load::ANY_PATH;

/// Whether a function's name says it sends a request (`fetch`, `customFetch`, `_post`,
/// `makeRequest`, `streamSse`, `httpGet`): with a vendor API URL as its first argument, a
/// call of it is a request through the code's own wrapper ([`wrapped`]).
pub fn request_like(name: &str) -> bool {
    let name = name.trim_start_matches('_');
    let n = name.to_ascii_lowercase();
    let n = n.as_str();
    // What logs, checks, converts or fakes a request does not send one: a first word
    // (`logRequest`, `is_fetch`, `toFetchOptions`) says so.
    const NOT: &[&str] = &[
        "log", "debug", "trace", "print", "format", "parse", "validate", "is", "has", "to", "mock", "stub", "spy",
        "expect", "assert", "should", "prepare", "build", "require", "check", "ensure", "verify",
        // (SigV4 signing computes a request's headers: tensorzero's `sign_request("POST", url, ..)`.)
        "sign",
    ];
    let word_ends = |i: usize| name[i..].chars().next().is_none_or(|c| c.is_ascii_uppercase() || c == '_');
    if NOT.iter().any(|p| n.starts_with(p) && word_ends(p.len())) {
        return false;
    }
    // What serves, fakes or tests requests does not send one (`StreamingTestServer`, `MockFetch`).
    let words = matcher::name_words(name);
    if words.iter().any(|w| matches!(w.as_str(), "SERVER" | "TEST" | "TESTS" | "MOCK" | "FAKE" | "STUB" | "HANDLER")) {
        return false;
    }
    // A websocket opened on a vendor's API (`session.ConnectAsync(uri: new Uri("wss://api.openai.com/v1/realtime"))`).
    let connects = n.contains("connect") && !n.contains("disconnect");
    // What returns a client sends nothing (`HttpClientFactory.GetHttpClient(address)`).
    if n.ends_with("client") {
        return false;
    }
    ["fetch", "request", "post", "stream", "sse", "http", "send", "execute"].iter().any(|w| n.contains(w))
        || connects
        || matches!(n, "get" | "put" | "patch" | "call" | "invoke")
}

/// The request object (rules/http.toml `[[request_object]]`) that what `written` names makes:
/// a type constructed (`HttpPost`), a static factory (`URI.create`) or a builder's root
/// (`HttpRequest.newBuilder`, `okhttp3.Request.Builder`), as written. Every front end reads a
/// request object's URL through it.
pub fn request_object<'r>(rules: &'r RuleSet, lang: Ecosystem, written: &str) -> Option<&'r RequestObject> {
    rules.request_objects.iter().find(|r| r.ecosystem == lang && r.made_by_written(written))
}

/// Whether a function's name says it joins URL parts with one `/` between each (the
/// url-join packages' `urlJoin`, letta's `smart_urljoin`, `join_url`), case and `_` aside.
/// (Python's `urllib.parse.urljoin` resolves a reference instead: its lowering reads it first.)
pub fn joins_url(name: &str) -> bool {
    let n: String = name.chars().filter(|c| *c != '_').collect::<String>().to_ascii_lowercase();
    n.contains("urljoin") || n.contains("joinurl")
}

/// Whether a name (a receiver, or the first segment of a module path) is an HTTP mocking
/// library or a test's mock of one: a word `mock`/`mocks`/`fake`/`stub` in it
/// (`requests_mock`, `httpx_mock`, `respx_mock`, `fetchMock`, `mockServer`), or one of the
/// libraries that fake responses by URL: respx, responses, aioresponses, httpretty,
/// pytest_httpx (Python), nock, msw, fetch-mock (JavaScript).
pub fn mocking(name: &str) -> bool {
    const LIBRARIES: &[&str] =
        &["respx", "responses", "aioresponses", "httpretty", "pytest_httpx", "nock", "msw", "fetch-mock", "fetch_mock"];
    if LIBRARIES.contains(&name) {
        return true;
    }
    matcher::name_words(name).iter().any(|w| matches!(w.as_str(), "MOCK" | "MOCKS" | "MOCKED" | "FAKE" | "STUB"))
}

/// The call finding of a request through the code's own wrapper to `url`: only where the
/// URL names a vendor's host (or a self-hosted server, whose path must name an operation)
/// and a path under it (known or not: `${DASHSCOPE}/${chatPath(model)}`), never a bare host.
pub fn wrapped(rules: &RuleSet, url: &str) -> Option<Emit> {
    let Some(call) = classify(rules, url) else { return by_base_path(rules, url).or_else(|| configured(rules, url)) };
    // (`${host}${apiPath}`: a hole after the host is the path, unknown.)
    let bare = !call.shown.trim_end_matches('/').contains(['/', '…']);
    if bare && call.op.http.iter().any(|p| p == ANY_PATH) {
        return None;
    }
    Some(emit::http_call(rules, call.op, &call.served, &call.shown))
}

/// The call finding of a request to a URL whose host is out of sight (configured) and whose
/// path, right after the host, only one vendor's API has (`{endpoint}/openai/deployments/{d}/completions`,
/// Azure OpenAI's `base_url_paths`): that vendor's operation the path names, else its request
/// fallback. (A custom method alone, `:generateContent`, says which API, not who serves it: SAP
/// AI Core serves Gemini under `{base}/v2/inference/deployments/{d}/models/{m}:streamGenerateContent`.)
fn by_base_path(rules: &RuleSet, url: &str) -> Option<Emit> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.strip_prefix(HOLE)?;
    if !path.starts_with('/') {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    let prefix = |p: &String| p.starts_with('/') && crate::rules::base_path_names(&p.to_ascii_lowercase(), &lower);
    let vendor = rules.vendors.iter().find(|v| v.base_url_paths.iter().any(prefix))?;
    let path = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    let op = operation_for(rules, &vendor.id, path, false, None)?;
    let shown: String = format!("…{path}").replace(HOLE, "…").chars().filter(|c| !c.is_control()).take(120).collect();
    Some(emit::http_call(rules, op, &Served::by(&vendor.id), &shown))
}

/// The call finding of a request whose host only configuration decides (`${cfg.base}/chat/completions`,
/// the base a parameter, a field or a setting the resolver cannot follow) and whose path only
/// a model API has ([`model_api_path`]): the unknown-host vendor, "vendor set by
/// configuration", with the operation the path names. Never a guessed vendor: the code can
/// reach any server that speaks the API.
fn configured(rules: &RuleSet, url: &str) -> Option<Emit> {
    let path = out_of_sight_host(url)?;
    if !model_api_path(path, true) {
        return None;
    }
    let unknown = rules.unknown_host_vendor()?;
    let op =
        operation_for(rules, &unknown.id, path, false, None).filter(|op| !op.http.iter().any(|p| p == ANY_PATH))?;
    let served = Served { configurable: true, ..Served::by(&unknown.id) };
    Some(emit::http_call(rules, op, &served, &shown("…", path)))
}

/// Whether a URL's host is out of sight: the whole host a hole (`\0/chat/completions`,
/// `https://\0/v1`), not a host with a hole in it (`bedrock-runtime.\0.amazonaws.com`).
pub fn host_out_of_sight(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    end > 0 && rest[..end].chars().all(|c| c == HOLE)
}

/// The call finding of a request whose builder is made in one place and sent in another,
/// where its URL is out of sight (a `RequestBuilder` parameter sent): the request URLs the
/// file builds decide, when every one of them names one vendor's API (a path under its
/// host). Their operation when they agree on one, else the vendor's request fallback; none
/// when they name two vendors, or none.
pub fn sent_elsewhere(rules: &RuleSet, urls: &[String]) -> Option<Emit> {
    let calls: Vec<HttpCall> = urls
        .iter()
        .filter_map(|u| classify(rules, u))
        .filter(|c| c.shown.trim_end_matches('/').contains('/'))
        .collect();
    let first = calls.first()?;
    if calls.iter().any(|c| c.served.vendor != first.served.vendor) {
        return None;
    }
    if calls.iter().all(|c| c.op.id == first.op.id) {
        return Some(emit::http_call(rules, first.op, &first.served, &first.shown));
    }
    let fallback = rules.operations.iter().find(|o| o.http.iter().any(|p| p == ANY_PATH))?;
    let host = first.shown.split('/').next().unwrap_or_default();
    Some(emit::http_call(rules, fallback, &first.served, &format!("{host}/…")))
}

/// The call finding of a request through an HTTP library whose URL names no host lockin
/// knows (a configured endpoint, `format!("{}/v1/messages", self.endpoint)`), when what
/// the request carries names a vendor (`headers`, lower case, as sent on it): a header
/// only that vendor's API takes (`anthropic-version`), its credential header on a path
/// naming an operation (`api-key` with `/chat/completions`), or a path of its own behind the
/// variable host (`/openai/deployments/`). The operation is the path's, else the fallback.
pub fn marked(rules: &RuleSet, lang: Ecosystem, path: &Path, headers: &[String]) -> Option<Emit> {
    let url = request_url(rules, lang, path)?.1;
    // A known host, or a vendor's own path, decides by itself ([`request`]).
    if url.as_deref().is_some_and(|u| classify(rules, u).is_some() || by_base_path(rules, u).is_some()) {
        return None;
    }
    let mut url = url.unwrap_or_default();
    // A relative path joined onto a base out of sight (`base_url.join("chat/completions")`).
    if !url.contains("://") && !url.is_empty() && !url.starts_with(['/', HOLE]) {
        url.insert(0, '/');
    }
    let url_path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url.as_str(),
    };
    let url_path = url_path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    let names_op = |v: &crate::rules::Vendor| {
        operation_for(rules, &v.id, url_path, false, None).is_some_and(|op| !op.http.iter().any(|p| p == ANY_PATH))
    };
    let vendor = rules
        .vendors
        .iter()
        .find(|v| v.headers.iter().any(|h| headers.contains(h)))
        .or_else(|| rules.vendors.iter().find(|v| v.key_headers.iter().any(|h| headers.contains(h)) && names_op(v)))
        .or_else(|| rules.vendor_for_base_path(url_path))?;
    let op = operation_for(rules, &vendor.id, url_path, false, None)?;
    // The host is out of sight: shown as one `…`.
    let shown = format!("…{}", url_path.strip_prefix(HOLE).unwrap_or(url_path));
    let shown: String = shown.replace(HOLE, "…").chars().filter(|c| !c.is_control()).take(120).collect();
    Some(emit::http_call(rules, op, &Served::by(&vendor.id), &shown))
}

/// Whether `path` starts at an HTTP library (`urllib.request.Request`, `axios.create`).
pub fn is_library(rules: &RuleSet, lang: Ecosystem, path: &Path) -> bool {
    (1..=path.0.len()).any(|k| {
        !path.has_call_before(k) && {
            let dotted = path.dotted(k);
            !rules.http_modules(lang, &dotted).is_empty() || !rules.http_constructed_by(lang, &dotted).is_empty()
        }
    })
}

/// The call finding of `path` if it is a request through an HTTP library to a vendor's API.
pub fn request(rules: &RuleSet, lang: Ecosystem, path: &Path) -> Option<Emit> {
    let url = request_url(rules, lang, path)?.1?;
    let Some(call) = classify(rules, &url) else {
        return by_base_path(rules, &url).or_else(|| configured(rules, &url));
    };
    Some(emit::http_call(rules, call.op, &call.served, &call.shown))
}

/// Whether calling `callee` (a resolved callee, not yet called) is a request through an HTTP
/// library: its last name is one of a client's `requests` methods (`factory.newEventSource`
/// of `EventSources.createFactory(client)`), whatever its URL.
pub fn is_request(rules: &RuleSet, lang: Ecosystem, callee: &Path) -> bool {
    callee.called(CallArgs::default()).is_some_and(|p| request_url(rules, lang, &p).is_some())
}

/// The methods that send what calling `callee` returns when it is a request of an HTTP
/// library held in a variable first (rules/http.toml `sent_by`: OkHttp's `newCall(request)`,
/// sent by `execute()` or `enqueue(callback)`); empty otherwise.
pub fn sent_by<'r>(rules: &'r RuleSet, lang: Ecosystem, callee: &Path) -> &'r [String] {
    callee.called(CallArgs::default()).and_then(|p| request_url(rules, lang, &p)).map_or(&[], |(def, _)| &def.sent_by)
}

/// The URL a called path requests: the path ends in one of an HTTP client's `requests`
/// methods (or is the client itself called, `fetch(url)`), and its `url` argument or first
/// string argument is a literal or a pattern; a relative one is joined to the client's base
/// URL. `Some(None)`: a request whose URL is unknown. Also the client whose request it is.
fn request_url<'r>(rules: &'r RuleSet, lang: Ecosystem, path: &Path) -> Option<(&'r ClientDef, Option<String>)> {
    let n = path.0.len();
    let last = path.0.last()?;
    let args = last.call.as_ref()?;
    for end in (1..=n).rev() {
        let seg = &path.0[end - 1];
        if seg.name.is_empty() {
            continue;
        }
        let dotted = path.dotted(end);
        let mut found: Vec<(&ClientDef, Option<&CallArgs>)> = Vec::new();
        if let Some(ctor) = &seg.call {
            found.extend(
                rules.http_constructed_by(lang, &dotted).iter().map(|&i| (&rules.http_clients[i], Some(&**ctor))),
            );
        }
        if !path.has_call_before(end - 1) && (seg.call.is_none() || end == n) {
            found.extend(rules.http_modules(lang, &dotted).iter().map(|&i| (&rules.http_clients[i], None)));
        }
        for (def, ctor) in found {
            let rest: Vec<&str> = path.0[end..]
                .iter()
                .map(|s| s.name.as_str())
                .filter(|s| !s.is_empty() && !def.transparent.iter().any(|t| t == s))
                .collect();
            let method = match rest.as_slice() {
                // The module itself called (`fetch(url)`, `axios(config)`), not a constructor.
                [] if end == n && ctor.is_none() => "__call__",
                // The request method is the call being looked at, not a builder call after it.
                [m] if *m == last.name => m,
                _ => continue,
            };
            if !def.requests.iter().any(|r| r == method) {
                continue;
            }
            // A base URL in the request's own options (axios's per-request config
            // `request({ baseURL, url })`) wins over the client's.
            let own = def.base_url.iter().find_map(|k| args.keyword(k)?.text());
            let base = own.or_else(|| ctor.and_then(|a| def.base_url.iter().find_map(|k| a.argument(k)?.text())));
            // Node's `https.request({ hostname, path, .. })`: the host and the path apart.
            let parts = || {
                let host = args.keyword("hostname").or(args.keyword("host"))?.text()?;
                host_and_path(host, args.keyword("path")?.text()?)
            };
            let url = match url_argument(args) {
                Some(url) => url,
                None if base.is_none() && parts().is_some() => return Some((def, parts())),
                // Options with a base URL and no `url` request the base URL itself (axios's
                // `buildFullPath`).
                None if own.is_some() => "",
                // `client.post("", body)` on a client built with a base URL requests the base URL.
                None if base.is_some() && args.positional.first().and_then(ArgValue::text) == Some("") => "",
                // restclientgo's `client.Post(ctx, req, &resp)`: a path the request object gives.
                None if base.is_some() && def.path_in_request => HOLE_STR,
                // A request given nothing goes to its client's own URL (Unity's
                // `new UnityWebRequest(url, "POST")` sent by `SendWebRequest()`).
                None if base.is_some() && args.positional.is_empty() && args.keywords.is_empty() => "",
                None => return Some((def, None)),
            };
            return Some((
                def,
                Some(match base {
                    Some(base) if url.is_empty() => base.to_string(),
                    Some(base) if !has_scheme(url) && def.resolves_uris => resolve(url, base),
                    Some(base) if !has_scheme(url) => join(base, url),
                    _ => url.to_string(),
                }),
            ));
        }
    }
    None
}

/// The keys under which the HTTP client `p` makes or declares takes its base URL (.NET
/// `HttpClient`'s `BaseAddress`, rules/http.toml `base_url`): empty when `p` is no such
/// client.
pub fn base_url_keys<'r>(rules: &'r RuleSet, lang: Ecosystem, p: &Path) -> &'r [String] {
    if p.0.last().is_none_or(|s| s.call.is_none()) {
        return &[];
    }
    let defs = rules.http_constructed_by(lang, &p.dotted(p.0.len()));
    defs.iter().map(|&i| &rules.http_clients[i]).find(|d| !d.base_url.is_empty()).map_or(&[], |d| &d.base_url)
}

/// The base URL the HTTP client `p` makes was given (.NET `new HttpClient { BaseAddress = .. }`,
/// or the write after it, [`base_url_keys`]), when it is spelt.
pub fn client_base(rules: &RuleSet, lang: Ecosystem, p: &Path) -> Option<String> {
    let args = p.0.last()?.call.as_deref()?;
    base_url_keys(rules, lang, p).iter().find_map(|k| args.argument(k)?.text()).map(str::to_string)
}

/// [`HOLE`] as a string: a path out of sight.
const HOLE_STR: &str = "\u{0}";

/// The `url` keyword (an options object's `url`, Ktor's `urlString`), else the first
/// positional string that is not an HTTP method name (`requests.request("POST", url)`).
fn url_argument(args: &CallArgs) -> Option<&str> {
    if let Some(u) = ["url", "urlString"].iter().find_map(|k| args.keyword(k).and_then(ArgValue::text)) {
        return Some(u);
    }
    args.positional
        .iter()
        .filter_map(ArgValue::text)
        .find(|t| !t.is_empty() && !t.chars().all(|c| c.is_ascii_uppercase()))
}

/// The URL a bare host and a path given apart name (`hostname: "api.openai.com"`,
/// `path: "/v1/chat/completions"`, as Node's `https.request` options and wrappers of it take
/// them): `https://host/path`, only when the host is a bare host name (no scheme, path or
/// hole) and the path is absolute.
pub fn host_and_path(host: &str, path: &str) -> Option<String> {
    let bare = !host.is_empty()
        && host.contains('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && !has_scheme(host);
    (bare && path.starts_with('/')).then(|| format!("https://{host}{path}"))
}

fn has_scheme(url: &str) -> bool {
    url.split_once("://").is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()))
}

/// `base` and a relative `path` as a client with a base URL combines them (axios, httpx,
/// got's `prefixUrl`): one `/` between them.
pub fn join(base: &str, path: &str) -> String {
    if path.is_empty() {
        return base.to_string();
    }
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

/// The keys an options object names a base URL by (axios's request config `baseURL`, got's
/// `prefixUrl`, and the spellings wrappers of them take).
pub const BASE_KEYS: &[&str] = &["baseURL", "baseUrl", "base_url", "prefixUrl"];

/// The URL an options object with a base URL and a URL requests: the URL joined to the base
/// when it is relative (axios's `buildFullPath`), the base alone without a URL.
pub fn with_base(base: Option<&str>, url: Option<&str>) -> Option<String> {
    match (base, url) {
        (Some(b), Some(u)) if !has_scheme(u) => Some(join(b, u)),
        (_, Some(u)) => Some(u.to_string()),
        (Some(b), None) => Some(b.to_string()),
        (None, None) => None,
    }
}

/// The origin of a URL (WHATWG `url.origin`): its scheme and host, without path, query or
/// fragment; none without a scheme.
pub fn origin(url: &str) -> Option<String> {
    if !has_scheme(url) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(format!("{scheme}://{}", &rest[..end]))
}

/// `new URL(relative, base)` (WHATWG URL resolution, enough of it for API paths): an
/// absolute `relative` wins, `/x` replaces the base's path, `x` replaces its last segment.
pub fn resolve(relative: &str, base: &str) -> String {
    if has_scheme(relative) {
        return relative.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else {
        return join(base, relative);
    };
    let cut = rest.find(['?', '#']).unwrap_or(rest.len());
    let rest = &rest[..cut];
    let host_end = rest.find('/').unwrap_or(rest.len());
    if relative.starts_with('/') {
        return format!("{scheme}://{}{relative}", &rest[..host_end]);
    }
    // A base ending in an API version (`https://api.cohere.ai/v2`) is that version's root:
    // code that writes one joins paths under it (it adds the `/` WHATWG would need), and no
    // API means `new URL("chat", ".../v2")` to drop its version.
    let last = rest.rsplit('/').next().unwrap_or_default();
    let versioned = last.len() >= 2
        && last.starts_with('v')
        && last[1..].starts_with(|c: char| c.is_ascii_digit())
        && last[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
    let dir = match rest.rfind('/') {
        _ if versioned && rest.len() > host_end => rest,
        Some(i) if i >= host_end => &rest[..=i],
        _ => rest,
    };
    let sep = if dir.ends_with('/') { "" } else { "/" };
    format!("{scheme}://{dir}{sep}{relative}")
}

/// What a request URL names: the operation, who serves it, and host and path to show.
#[derive(Debug)]
pub struct HttpCall<'r> {
    /// The operation its path names (or the fallback operation of any path).
    pub op: &'r Operation,
    /// Who serves it.
    pub served: Served,
    /// Host and path, an unknown part shown as `…`.
    pub shown: String,
}

/// The vendor of a host with holes: each hole a label (`bedrock-runtime.{region}.amazonaws.com`),
/// or, leading the host, the optional regional prefix of a label (`{prefix}aiplatform.googleapis.com`
/// with `prefix` `us-central1-` or empty) when the host with the prefix and without it are
/// both one vendor's (Vertex AI's `aiplatform.googleapis.com` and `*-aiplatform.googleapis.com`).
fn templated_host_vendor(rules: &RuleSet, host: &str) -> Option<String> {
    if let Some(v) = rules.vendor_for_host(&host.replace(HOLE, "x0")) {
        return Some(v.id.clone());
    }
    let rest = host.strip_prefix(HOLE).filter(|r| !r.starts_with(['.', '-']) && !r.contains(HOLE))?;
    let prefixed = rules.vendor_for_host(&format!("x0-{rest}"))?;
    let bare = rules.vendor_for_host(rest)?;
    (prefixed.id == bare.id).then(|| bare.id.clone())
}

/// The vendor operation a URL calls, if its host is a vendor's (or a self-hosted server's,
/// when its path names an operation). A URL whose host is unknown or only a hole names
/// none; so does one with no scheme, unless it starts with a vendor's own host and goes on
/// with a path (`api.anthropic.com/v1/...`, `${host}${apiPath}` with a host kept bare for
/// a helper that adds the scheme).
pub fn classify<'r>(rules: &'r RuleSet, url: &str) -> Option<HttpCall<'r>> {
    let url = url.trim();
    let (scheme, rest) = match url.split_once("://") {
        Some(parts) => parts,
        None => {
            let end = url.find(['/', HOLE])?;
            rules.vendor_for_host(&host_part(&url[..end]))?;
            ("https", url)
        }
    };
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "ws" | "wss") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (mut authority, mut path) = (&rest[..end], &rest[end..]);
    authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    // `${BASE}${path}` with `BASE = "https://api.openai.com"`: the host ends at the hole.
    if let Some(i) = authority.find(HOLE) {
        if i > 0 && rules.vendor_for_host(&host_part(&authority[..i])).is_some() {
            path = &rest[i..];
            authority = &authority[..i];
        }
    }
    // A server a setting names (`${deepseek.api-host}/chat/completions`): its name decides.
    if let Some(name) = matcher::setting_host(authority) {
        let served = matcher::served_by_setting(rules, name)?;
        let path = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
        let op = operation_for(rules, &served.vendor, path, false, None)?;
        return Some(HttpCall { op, served, shown: shown("…", path) });
    }
    let host = host_part(authority);
    if is_reserved_host(&host) {
        return None;
    }
    let port = if host == SELF_HOSTED { Some(0) } else { port_part(authority) };
    let (vendor, self_hosted) = if host.contains(HOLE) {
        // A templated host (`bedrock-runtime.{region}.amazonaws.com`): a hole stands for a
        // label; never self-hosted, since the holes may name any server.
        (templated_host_vendor(rules, &host)?, false)
    } else if let Some(v) = rules.vendor_for_host(&host) {
        (v.id.clone(), false)
    } else if is_self_hosted(&host) {
        (rules.portable_vendor()?.id.clone(), true)
    } else if model_api_path(path, false) && !host.is_empty() {
        // A public host no rule names, asked for a model API's own path: someone's hosted API.
        let unknown = rules.unknown_host_vendor()?;
        let path = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
        let op = operation_for(rules, &unknown.id, path, false, port)?;
        let served = Served { base_url: Some(format!("{scheme}://{authority}")), ..Served::by(&unknown.id) };
        return Some(HttpCall { op, served, shown: shown(&host, path) });
    } else {
        return None;
    };
    let path = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    let op = operation_for(rules, &vendor, path, self_hosted, port)?;
    Some(HttpCall { op, served: Served::by(&vendor), shown: shown(&host, path) })
}

/// Host and path as a message shows them (holes as `…`, at most 120 characters).
fn shown(host: &str, path: &str) -> String {
    format!("{host}{path}")
        .replace(HOLE, "…")
        .replace(SELF_HOSTED, "…")
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect()
}

/// Whether a URL path is one only a model API has (`/v1/chat/completions`,
/// `:generateContent`): to a public host no rule names, such a request is still a model call.
/// Shorter paths (`/messages`, `/models`, `/generate`) name many APIs, and speech paths
/// (`/v1/audio/speech`) as many text-to-speech services. To a host only configuration
/// decides (`configured`: `${cfg.base}/embeddings`, whatever the base holds), the paths the
/// OpenAI API puts under its version root are a model API's too, whichever server speaks it
/// (OpenAI API reference: `/embeddings`, `/audio/transcriptions`, `/audio/translations`,
/// `/audio/speech`, `/images/generations`, `/images/edits`, and the Responses API's
/// `/responses`, shinkai's `format!("{}{}", base_url, "/v1/responses")`); `/models` still
/// names many.
fn model_api_path(path: &str, configured: bool) -> bool {
    let p = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    const PATHS: &[&str] = &[
        "/chat/completions",
        "/v1/completions",
        "/v1/embeddings",
        "/images/generations",
        ":generateContent",
        ":streamGenerateContent",
        ":embedContent",
        ":batchEmbedContents",
    ];
    const CONFIGURED: &[&str] = &[
        "/embeddings",
        "/audio/transcriptions",
        "/audio/translations",
        "/audio/speech",
        "/images/edits",
        // (OpenAI's "Create image variation", POST /v1/images/variations, as edits.)
        "/images/variations",
        "/responses",
        "/responses/{id}",
        "/responses/{id}/cancel",
    ];
    if PATHS.iter().any(|s| p.ends_with(s) && (!s.starts_with(':') || p.len() > s.len())) {
        return true;
    }
    // Right under the configured root (`${base}/embeddings`, `${base}/v1/audio/speech`, a
    // background response polled at `${base}/v1/responses/${id}`), not a path of another API
    // that ends the same way (watsonx's `/ml/v1/text/embeddings`): the whole rest matches.
    let rest = under_version_root(p);
    let whole = |c: &&str| suffix_match(rest, c).is_some() && rest.matches('/').count() == c.matches('/').count();
    configured && CONFIGURED.iter().any(whole)
}

/// The path of a URL whose whole host is out of sight, without its leading holes and API
/// version (`\0/v1/responses` and `\0/responses` both `/responses`); `None` for a URL with a
/// host, or no path.
pub fn configured_path(url: &str) -> Option<&str> {
    Some(under_version_root(out_of_sight_host(url)?)).filter(|p| !p.is_empty())
}

/// The path (no query, no trailing `/`) of a URL whose whole host is out of sight (one hole
/// or several), not a host with a hole in it.
fn out_of_sight_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#'])?;
    if end == 0 || rest[..end].chars().any(|c| c != HOLE) {
        return None;
    }
    Some(rest[end..].split(['?', '#']).next().unwrap_or_default().trim_end_matches('/'))
}

/// A path without its leading segments that are out of sight or an API version
/// (`/\0/v1/embeddings` → `/embeddings`).
fn under_version_root(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix('/') {
        let end = rest.find('/').unwrap_or(rest.len());
        let seg = &rest[..end];
        let version = seg.len() >= 2
            && seg.starts_with('v')
            && seg[1..].starts_with(|c: char| c.is_ascii_digit())
            && seg.chars().all(|c| c.is_ascii_alphanumeric());
        if end == rest.len() || !(version || seg.chars().all(|c| c == HOLE)) {
            break;
        }
        p = &rest[end..];
    }
    p
}

/// The lower-case host of an authority (userinfo and port left out).
fn host_part(authority: &str) -> String {
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The explicit port of an authority (`localhost:11434`), if it has one.
fn port_part(authority: &str) -> Option<u16> {
    let after_host = match authority.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.1,
        None => authority,
    };
    after_host.rsplit_once(':')?.1.parse().ok()
}

/// How well an operation fits a request: own vendor, spoken by others, pattern length,
/// earlier in `[[compat]]`.
type Rank = (bool, bool, usize, std::cmp::Reverse<usize>);

/// The operation whose `http` pattern matches the end of `path`: an operation of the host's
/// own vendor first, then one of an API surface other servers speak (`[[compat]]` in
/// substitutes: the OpenAI API on Groq), then the longest pattern. On a vendor's host a path no pattern names is
/// the fallback operation; on a self-hosted server it is no call, and a one-segment pattern
/// (`/models`) counts only under `/v1`.
/// An operation with `http_ports` matches only a URL on one of them (`port`, its explicit port).
fn operation_for<'r>(
    rules: &'r RuleSet,
    vendor: &str,
    path: &str,
    self_hosted: bool,
    port: Option<u16>,
) -> Option<&'r Operation> {
    // Ties go to the surface listed first in `[[compat]]` (OpenAI's `/v1/models` on LM Studio).
    let mut best: Option<(Rank, &Operation)> = None;
    let mut fallback = None;
    // (Port 0: a server the code names without its address, [`SELF_HOSTED`]: any port.)
    let on_port = |o: &Operation| o.http_ports.is_empty() || port.is_some_and(|p| p == 0 || o.http_ports.contains(&p));
    for op in rules.operations.iter().filter(|o| !o.http.is_empty() && on_port(o)) {
        for p in &op.http {
            if p == ANY_PATH {
                fallback.get_or_insert(op);
                continue;
            }
            let Some(score) = suffix_match(path, p) else { continue };
            // (A one-segment path on a self-hosted server counts only on the port its
            // operation names, spelt in the URL: llama.cpp's `/completion` on 8080.)
            let on_named_port = port.is_some_and(|p| p != 0 && op.http_ports.contains(&p));
            if self_hosted
                && p.matches('/').count() < 2
                && !path.starts_with("/v1/")
                && !path.contains("/v1/")
                && !on_named_port
            {
                continue;
            }
            let own = op.owner == vendor || op.api == vendor;
            let compat = rules.substitutes.compat.iter().position(|c| c.api == op.api);
            let rank = (own, compat.is_some(), score, std::cmp::Reverse(compat.unwrap_or(usize::MAX)));
            if best.is_none_or(|(r, _)| rank > r) {
                best = Some((rank, op));
            }
        }
    }
    match best {
        Some((_, op)) => Some(op),
        None if !self_hosted && !credential_exchange(path) && !web_asset(path) => fallback,
        None => None,
    }
}

/// Whether a path no operation names is a sign-in or key exchange (`/oauth/2.0/token`,
/// `/api/v1/auth/keys`): a request to the vendor's host, but no model call.
fn credential_exchange(path: &str) -> bool {
    path.split('/').any(|s| {
        matches!(
            s.to_ascii_lowercase().as_str(),
            "oauth" | "oauth2" | "auth" | "token" | "tokens" | "login" | "authorize"
        )
    })
}

/// Whether a path no operation names is a web page's asset or its CDN's own endpoint
/// (`/_next/static/app.js`, `/favicon.ico`, Cloudflare's `/cdn-cgi/trace` on any site it
/// fronts): a request to the vendor's host, above all to its application's (`chatgpt.com`),
/// but no API call.
fn web_asset(path: &str) -> bool {
    const EXTENSIONS: &[&str] =
        &["js", "mjs", "css", "map", "html", "htm", "ico", "png", "jpg", "jpeg", "gif", "svg", "webp", "woff", "woff2"];
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    let extension = last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    path.trim_start_matches('/').split('/').next() == Some("cdn-cgi")
        || extension.is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

/// Whether `pattern` matches the end of `path`, and how many literal characters it matched.
/// A `{name}` matches the rest of one path segment (at least one character, a hole too); a
/// pattern starting with `:` needs a segment before it (`models/gemini:generateContent`).
fn suffix_match(path: &str, pattern: &str) -> Option<usize> {
    let mut tokens: Vec<Option<&str>> = Vec::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        if i > 0 {
            tokens.push(Some(&rest[..i]));
        }
        tokens.push(None);
        let close = rest[i..].find('}')? + i;
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        tokens.push(Some(rest));
    }
    let mut text = path;
    let mut score = 0;
    for t in tokens.iter().rev() {
        match t {
            Some(lit) => {
                text = text.strip_suffix(lit)?;
                score += lit.len();
            }
            None => {
                let start = text.rfind('/').map_or(0, |i| i + 1);
                if start == text.len() {
                    return None;
                }
                text = &text[..start];
            }
        }
    }
    if pattern.starts_with(':') && (text.is_empty() || text.ends_with('/')) {
        return None;
    }
    Some(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_path_suffixes() {
        assert_eq!(suffix_match("/v1/chat/completions", "/chat/completions"), Some(17));
        assert_eq!(suffix_match("/v1/chat/completions", "/v1/completions"), None);
        assert!(suffix_match("/model/anthropic.claude-3:0/invoke", "/model/{id}/invoke").is_some());
        assert!(suffix_match(&format!("/model/{HOLE}/converse"), "/model/{id}/converse").is_some());
        assert!(suffix_match("/model//invoke", "/model/{id}/invoke").is_none());
        assert!(suffix_match("/v1beta/models/gemini-pro:generateContent", ":generateContent").is_some());
        assert!(suffix_match("/:generateContent", ":generateContent").is_none());
    }

    #[test]
    fn request_objects_are_named_by_their_class_part() {
        let rules = crate::rules::load_embedded();
        let j = Ecosystem::Java;
        for written in ["HttpPost", "okhttp3.Request.Builder", "Request.Builder", "URI.create", "java.net.URI"] {
            assert!(request_object(&rules, j, written).is_some(), "{written}");
        }
        assert!(request_object(&rules, j, "HttpRequest.builder").is_some_and(|o| o.joins));
        for written in ["Builder", "com.other.HttpPost", "HttpRequest", "Request"] {
            assert!(request_object(&rules, j, written).is_none(), "{written}");
        }
        let message = request_object(&rules, Ecosystem::CSharp, "HttpRequestMessage").expect("a request object");
        assert_eq!((message.url_position, message.url_setter.as_deref()), (1, Some("RequestUri")));
    }

    #[test]
    fn mocking_names() {
        for n in ["requests_mock", "httpx_mock", "respx_mock", "fetchMock", "mockServer", "respx", "msw", "nock"] {
            assert!(mocking(n), "{n}");
        }
        for n in ["requests", "httpx", "session", "client", "hammock", "mockingbird_api", "http", "stubborn"] {
            assert!(!mocking(n), "{n}");
        }
    }

    #[test]
    fn request_like_names() {
        for n in [
            "fetch",
            "customFetch",
            "_post",
            "makeRequest",
            "streamSse",
            "httpGet",
            "send",
            "get",
            "fetchWithRetry",
            "ConnectAsync",
            "execute",
            "executeWithRetry",
        ] {
            assert!(request_like(n), "{n}");
        }
        for n in [
            "logRequest",
            "isRequest",
            "toFetchOptions",
            "mockFetch",
            "parse",
            "URL",
            "includes",
            "getUrl",
            "prepareStreamResponse",
            "buildRequest",
            "StreamingTestServer",
            "streamHandler",
            "disconnect",
            "isConnected",
            "requireHttpsBaseUrl",
            "checkHttpUrl",
            "GetHttpClient",
        ] {
            assert!(!request_like(n), "{n}");
        }
    }

    #[test]
    fn credential_exchanges_are_no_calls() {
        let rules = crate::rules::load_embedded();
        assert!(classify(&rules, "https://aip.baidubce.com/oauth/2.0/token?grant_type=client_credentials").is_none());
        assert!(classify(&rules, "https://openrouter.ai/api/v1/auth/keys").is_none());
        // A path no operation names, but no sign-in: still a request to the vendor.
        assert!(classify(&rules, "https://openrouter.ai/api/v1/credits").is_some());
    }

    #[test]
    fn an_applications_pages_and_assets_are_no_calls() {
        let rules = crate::rules::load_embedded();
        // The ChatGPT application's private backend is OpenAI's (`app_hosts`)...
        let call = classify(&rules, "https://chatgpt.com/backend-api/conversation").expect("a request to OpenAI");
        assert_eq!(call.served.vendor, "openai");
        // ...its scripts and its CDN's trace endpoint are not calls.
        assert!(classify(&rules, "https://chatgpt.com/_next/static/abc/_ssgManifest.js").is_none());
        assert!(classify(&rules, "https://chat.openai.com/cdn-cgi/trace").is_none());
        assert!(classify(&rules, "https://api.openai.com/favicon.ico?v=2").is_none());
    }

    #[test]
    fn an_origin_is_scheme_and_host() {
        assert_eq!(
            origin("https://generativelanguage.googleapis.com").as_deref(),
            Some("https://generativelanguage.googleapis.com")
        );
        assert_eq!(origin("https://api.openai.com/v1/chat?x=1").as_deref(), Some("https://api.openai.com"));
        assert_eq!(origin("http://localhost:11434#a").as_deref(), Some("http://localhost:11434"));
        assert_eq!(origin("api.openai.com/v1"), None);
    }

    #[test]
    fn resolves_relative_urls_like_new_url() {
        assert_eq!(resolve("messages", "https://api.anthropic.com/v1/"), "https://api.anthropic.com/v1/messages");
        // A version root keeps its version (the code joins under it); other bases lose their last segment.
        assert_eq!(resolve("messages", "https://api.anthropic.com/v1"), "https://api.anthropic.com/v1/messages");
        assert_eq!(resolve("chat", "https://api.cohere.ai/v2"), "https://api.cohere.ai/v2/chat");
        assert_eq!(resolve("x", "https://h.com/a/b"), "https://h.com/a/x");
        assert_eq!(resolve("x", "https://h.com/video"), "https://h.com/x");
        assert_eq!(resolve("/v1/x", "https://h.com/a/b"), "https://h.com/v1/x");
        assert_eq!(resolve("https://o.com/x", "https://h.com/"), "https://o.com/x");
        assert_eq!(join("https://h.com/v1/", "/models"), "https://h.com/v1/models");
    }

    #[test]
    fn a_configured_host_with_a_vendors_own_path_is_that_vendors() {
        let rules = crate::rules::load_embedded();
        let azure = format!("{HOLE}/openai/deployments/{HOLE}/chat/completions?api-version=2024-10-21");
        let e = wrapped(&rules, &azure).expect("a call");
        assert_eq!((e.rule_id.as_str(), e.vendor.as_str()), ("openai.chat-completions", "azure-openai"));
        let e = wrapped(&rules, &format!("https://{HOLE}/openai/deployments/{HOLE}/completions")).expect("a call");
        assert_eq!(e.vendor, "azure-openai");
        // A path many servers have, or the vendor's path under another service's prefix: the
        // vendor is set by configuration (unknown-host), never guessed.
        let unknown = |url: String| wrapped(&rules, &url).map(|e| e.vendor);
        assert_eq!(unknown(format!("{HOLE}/v1/chat/completions")).as_deref(), Some("unknown-host"));
        let gateway = format!("{HOLE}/gateway/openai/deployments/{HOLE}/chat/completions");
        assert_eq!(unknown(gateway).as_deref(), Some("unknown-host"));
        // SAP AI Core's deployment path names it, whichever model API it serves under it.
        let sap = format!("{HOLE}/v2/inference/deployments/{HOLE}/models/gemini-2.5-pro:streamGenerateContent");
        assert_eq!(unknown(sap).as_deref(), Some("sap-ai-core"));
    }

    #[test]
    fn a_host_reserved_for_examples_serves_no_call() {
        let rules = crate::rules::load_embedded();
        let vendor = |url: &str| classify(&rules, url).map(|c| c.served.vendor.clone());
        for url in [
            "http://example.com/v1/chat/completions",
            "https://api.example.org/v1/embeddings",
            "https://llm.example/v1/chat/completions",
            "https://gateway.test/v1/chat/completions",
            "https://nowhere.invalid/v1/chat/completions",
        ] {
            assert_eq!(vendor(url), None, "{url}");
        }
        // Names that merely contain the reserved words are anyone's.
        assert_eq!(vendor("https://example.company.com/v1/chat/completions").as_deref(), Some("unknown-host"));
        assert_eq!(vendor("https://api.latest.dev/v1/chat/completions").as_deref(), Some("unknown-host"));
        assert_eq!(vendor("https://api.openai.com/v1/chat/completions").as_deref(), Some("openai"));
    }

    #[test]
    fn a_configured_host_counts_the_openai_paths_right_under_its_root() {
        let rules = crate::rules::load_embedded();
        let vendor = |url: String| wrapped(&rules, &url).map(|e| (e.rule_id, e.vendor));
        let embeddings = Some(("openai.embeddings".to_string(), "unknown-host".to_string()));
        assert_eq!(vendor(format!("{HOLE}/embeddings")), embeddings);
        assert_eq!(vendor(format!("https://{HOLE}/v1/embeddings")), embeddings);
        assert_eq!(vendor(format!("{HOLE}/{HOLE}/audio/speech")).map(|v| v.0).as_deref(), Some("openai.audio"));
        // Another API's path that ends the same way, a path many services have, an app route.
        assert!(vendor(format!("{HOLE}/ml/v1/text/embeddings?version=2023-05-29")).is_none());
        assert!(vendor(format!("{HOLE}/models")).is_none());
        assert!(vendor(format!("{HOLE}/api/settings")).is_none());
        // A public host no rule names still needs a model API's own path.
        assert!(vendor("https://example.com/v1/audio/speech".to_string()).is_none());
        // A background response polled and cancelled by its id; not another resource under it.
        let responses = Some("openai.responses");
        assert_eq!(vendor(format!("{HOLE}/v1/responses/{HOLE}")).map(|v| v.0).as_deref(), responses);
        assert_eq!(vendor(format!("{HOLE}/v1/responses/{HOLE}/cancel")).map(|v| v.0).as_deref(), responses);
        assert!(vendor(format!("{HOLE}/v1/responses/{HOLE}/archive")).is_none());
    }

    #[test]
    fn a_configured_path_leaves_out_the_hidden_host_and_the_version() {
        assert_eq!(configured_path(&format!("{HOLE}/v1/responses")), Some("/responses"));
        assert_eq!(configured_path(&format!("https://{HOLE}/responses?x=1")), Some("/responses"));
        assert_eq!(configured_path("https://api.openai.com/v1/responses"), None);
        assert_eq!(configured_path(&format!("{HOLE}")), None);
    }

    #[test]
    fn a_builder_sent_elsewhere_takes_the_one_vendor_of_the_files_urls() {
        let rules = crate::rules::load_embedded();
        let urls = |u: &[&str]| u.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let e = sent_elsewhere(&rules, &urls(&["https://api.anthropic.com/v1/messages"])).expect("a call");
        assert_eq!((e.rule_id.as_str(), e.vendor.as_str()), ("anthropic.messages", "anthropic"));
        let two_ops = urls(&["https://api.cohere.com/v2/chat", "https://api.cohere.com/v2/embed"]);
        let e = sent_elsewhere(&rules, &two_ops).expect("a call");
        assert_eq!((e.rule_id.as_str(), e.vendor.as_str()), ("http.request", "cohere"));
        let two_vendors =
            urls(&["https://api.openai.com/v1/chat/completions", "https://api.anthropic.com/v1/messages"]);
        assert!(sent_elsewhere(&rules, &two_vendors).is_none());
        assert!(sent_elsewhere(&rules, &urls(&["https://api.github.com/repos"])).is_none());
    }

    #[test]
    fn what_a_request_carries_names_a_configured_endpoints_vendor() {
        let rules = crate::rules::load_embedded();
        let post = |url: ArgValue| {
            let args = CallArgs { positional: vec![url], ..CallArgs::default() };
            Path::from_dotted("reqwest").member("post").called(args).expect("a call")
        };
        let h = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let e = marked(&rules, Ecosystem::Rust, &post(ArgValue::Dynamic), &h(&["anthropic-version"])).expect("a call");
        assert_eq!(e.vendor, "anthropic");
        let chat = post(ArgValue::Pattern(format!("{HOLE}/chat/completions")));
        let e = marked(&rules, Ecosystem::Rust, &chat, &h(&["api-key"])).expect("a call");
        assert_eq!((e.rule_id.as_str(), e.vendor.as_str()), ("openai.chat-completions", "azure-openai"));
        // `api-key` on a path that names no operation: another service's key.
        let upsert = post(ArgValue::Pattern(format!("{HOLE}/vectors/upsert")));
        assert!(marked(&rules, Ecosystem::Rust, &upsert, &h(&["api-key"])).is_none());
        // A known host decides on its own (`request`), and no marker names nothing.
        let known = post(ArgValue::Str("https://api.openai.com/v1/chat/completions".into()));
        assert!(marked(&rules, Ecosystem::Rust, &known, &h(&["anthropic-version"])).is_none());
        assert!(marked(&rules, Ecosystem::Rust, &chat, &h(&["content-type"])).is_none());
    }

    #[test]
    fn classifies_by_host_then_path() {
        let rules = crate::rules::load_embedded();
        let c = classify(&rules, "https://api.openai.com/v1/chat/completions").expect("a call");
        assert_eq!((c.op.id.as_str(), c.served.vendor.as_str()), ("openai.chat-completions", "openai"));
        let c = classify(&rules, "https://api.groq.com/openai/v1/chat/completions").expect("a call");
        assert_eq!((c.op.id.as_str(), c.served.vendor.as_str()), ("openai.chat-completions", "groq"));
        let c = classify(&rules, &format!("https://bedrock-runtime.{HOLE}.amazonaws.com/model/{HOLE}/converse"))
            .expect("a call");
        assert_eq!(c.op.id, "aws-bedrock.converse");
        let c = classify(&rules, &format!("https://api.anthropic.com{HOLE}")).expect("a call");
        assert_eq!((c.op.id.as_str(), c.served.vendor.as_str()), ("http.request", "anthropic"));
        let c = classify(&rules, "http://localhost:11434/v1/chat/completions").expect("a call");
        assert_eq!(c.served.vendor, "openai-compatible");
        let c = classify(&rules, "http://localhost:1234/v1/models").expect("a call");
        assert_eq!(c.op.id, "openai.models");
        assert!(classify(&rules, "http://localhost:3000/api/users").is_none());
        // Ollama's native paths count on its default port only (`http_ports`).
        let c = classify(&rules, "http://localhost:11434/api/chat").expect("a call");
        assert_eq!(
            (c.op.id.as_str(), c.served.vendor.as_str()),
            ("openai-compatible.ollama-chat", "openai-compatible")
        );
        assert!(classify(&rules, "http://localhost:3000/api/chat").is_none());
        assert!(classify(&rules, "http://localhost/api/generate").is_none());
        assert!(classify(&rules, "http://[::1]:11434/api/embed").is_some());
        assert!(classify(&rules, "http://localhost:3000/models").is_none());
        assert!(classify(&rules, &format!("http://{HOLE}:8000/v1/chat/completions")).is_none());
        assert!(classify(&rules, "https://api.github.com/repos").is_none());
        assert!(classify(&rules, "https://platform.openai.com/docs").is_none());
        assert!(classify(&rules, &format!("{HOLE}/v1/chat/completions")).is_none());
    }
}
