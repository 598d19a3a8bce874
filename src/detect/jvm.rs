//! What the JVM lowerings share ([`super::java`], [`super::kotlin`]): both read the same Maven
//! rules (`language = "java"` in rules/*.toml), so the vendor-neutral types Spring and
//! LangChain4j inject, builder chains lowered as one call whose setters are keywords,
//! configuration objects passed whole, fully qualified SDK names, `System.getenv`, Spring
//! `@Bean` methods, LangChain4j `@AiService` interfaces and model-name contexts are decided
//! here once. Input: a front end's nodes already classified by its grammar; output: the
//! values, keywords and exports the shared resolver ([`super::resolve`]) works with. Nothing
//! here walks a syntax tree.

use super::emit;
use super::path::{ArgValue, CallArgs, Path};
use super::resolve::{self, Ctx, Front, Val};
use super::{common, FileOutput};
use crate::ecosystem::Ecosystem;
use tree_sitter::Node;

/// The ecosystem whose rules Java and Kotlin files read.
pub const LANG: Ecosystem = Ecosystem::Java;

/// The vendor-neutral model types Spring injects and JVM code calls models through: Spring
/// AI's `ChatModel`, `StreamingChatModel`, `EmbeddingModel`, `ImageModel`, `TranscriptionModel`,
/// `TextToSpeechModel` (1.0-M `SpeechModel`), `ChatClient` and its
/// auto-configured `ChatClient.Builder` (org.springframework.ai.chat.model, .embedding,
/// .chat.client), and LangChain4j's `ChatModel`, `ChatLanguageModel`,
/// `StreamingChatLanguageModel`, `StreamingChatModel` and `EmbeddingModel` interfaces
/// (dev.langchain4j.model.chat, .embedding). A class asking for one gets what the project
/// registers (a `@Bean` method, or the provider `application.yml` configures; [`super::SERVICE`]).
pub const SERVICES: &[&str] = &[
    "ChatModel",
    "StreamingChatModel",
    "EmbeddingModel",
    "ImageModel",
    "TranscriptionModel",
    "TextToSpeechModel",
    "SpeechModel",
    "ChatClient",
    "ChatClient.Builder",
    "ChatLanguageModel",
    "StreamingChatLanguageModel",
    // Spring AI's `org.springframework.ai.vectorstore.VectorStore`, registered by a `@Bean` method
    // over the project's `EmbeddingModel` (rules/spring-ai.toml).
    "VectorStore",
];

/// LangChain4j's AI service builder (langchain4j `dev.langchain4j.service.AiServices`), as the
/// rules name it (rules/langchain4j.toml).
const AI_SERVICES_BUILDER: &str = "dev.langchain4j.service.AiServices.builder";

/// A method that ends a builder chain (`build`, `buildClient`, `buildAsyncClient`).
pub fn is_build(name: &str) -> bool {
    name.starts_with("build") && name != "builder"
}

/// A method or constructor that starts a builder chain (`X.builder()`, `new XBuilder()`,
/// Kotlin's `XBuilder()`).
pub fn is_builder_root(name: &str) -> bool {
    name == "builder" || name.ends_with("Builder")
}

/// The module key of the file of the tree that declares class `qualified`
/// (`ai.app.llm.client.WxClient` in `ai/app/llm/client/WxClient.java`, keyed with its extension).
/// A tree scanned from inside its packages (`llm/` of `src/main/java/ai/app`) keys its files
/// by the folders below the scan's root only: the package's leading names are dropped then,
/// while two of them remain (`llm.client.WxClient.java`), so that a bare class name never
/// stands for another package's class.
pub fn class_file(locals: &super::LocalModules, qualified: &str) -> Option<String> {
    let segs: Vec<&str> = qualified.split('.').collect();
    (0..segs.len().saturating_sub(2).max(1)).find_map(|skip| {
        let q = segs[skip..].join(".");
        ["java", "kt"].map(|ext| format!("{q}.{ext}")).into_iter().find(|k| locals.has_module(k))
    })
}

/// A call through a static method of a class of the tree (`com.acme.util.Clients.get()
/// .newCall(r)`, the class's path as imported), as the class's members are exported
/// ([`export_class_members`]: `service:Clients.get().newCall(r)`); `callee` itself otherwise.
pub fn static_path(locals: &super::LocalModules, callee: Path) -> Path {
    let segs = &callee.0;
    // (The class is the segment before the first call; a nested class's outer one is the file's.)
    let Some(k) = segs.iter().position(|s| s.call.is_some()) else { return callee };
    if k < 2 || !segs[k - 1].name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return callee;
    }
    if class_file(locals, &callee.dotted(k)).is_none() {
        return callee;
    }
    let mut out = resolve::service_path(&segs[k - 1].name);
    out.0.extend(segs[k..].iter().cloned());
    out
}

/// A file read only for the strings it binds ([`super::ModuleStrings`]): parsed when within
/// the budget's size and depth.
pub fn parse_for_strings(
    src: &str,
    parse: impl FnOnce(&str) -> Option<tree_sitter::Tree>,
) -> Option<tree_sitter::Tree> {
    if super::budget::too_large(src).is_some() {
        return None;
    }
    let tree = parse(src)?;
    super::budget::tree_too_deep(tree.root_node()).is_none().then_some(tree)
}

/// Where a JVM path names a class of the tree, the module path of the file that declares it
/// ([`super::LocalModules::module_string`]): a JVM file is the module of the class it is
/// named after, keyed with its extension (`dev.app.data.ModelConstants.kt`), whose strings
/// are keyed from that class's name on (`ModelConstants.OPENAI_API_URL`). An imported class
/// (`dev.app.data.ModelConstants.OPENAI_API_URL`, a nested one `...ProviderSetting.OpenAI.baseUrl`)
/// is found by the longest package-and-class prefix a file of the tree has; a class of the
/// tree given by injection (`service:ModelConstants`, [`declared`]) by its name. A value
/// declared of the class (a typed parameter) reads the class's defaults, as it does in its
/// own file.
pub fn module_paths<'t, F: Front<'t> + ?Sized>(f: &F, path: &Path) -> Vec<Path> {
    use super::path::Seg;
    let mut out = vec![path.clone()];
    let segs = &path.0;
    let plain = |s: &Seg| Seg { name: s.name.clone(), call: s.call.clone().filter(|c| !c.declared) };
    let file = |module: &str| class_file(f.locals(), module);
    let moved = |key: String, class: &str, rest: &[Seg]| {
        let mut p = vec![Seg { name: key, call: None }, Seg { name: class.to_string(), call: None }];
        p.extend(rest.iter().map(plain));
        Path(p)
    };
    if let Some(name) = segs.first().and_then(|s| s.name.strip_prefix(super::SERVICE)) {
        if let Some(key) = file(name) {
            out.push(moved(key, name, &segs[1..]));
        }
        return out;
    }
    let upper = |s: &Seg| s.name.starts_with(|c: char| c.is_ascii_uppercase());
    for k in 1..segs.len() {
        if segs[..k - 1].iter().any(|s| s.call.is_some()) {
            break;
        }
        if !upper(&segs[k - 1]) {
            continue;
        }
        // (The outermost class of the prefix: the file's, its nested classes keyed under it.)
        if let Some(key) = file(&path.dotted(k)) {
            let mut p = moved(key, &segs[k - 1].name, &[]);
            p.0[1].call = plain(&segs[k - 1]).call;
            p.0.extend(segs[k..].iter().map(plain));
            out.push(p);
            break;
        }
    }
    out
}

/// The URL a request object (rules/http.toml `[[request_object]]`) is made from, read from
/// what Java and Kotlin both write: what makes it as written (`new HttpPost(u)`'s `HttpPost`,
/// `URI.create`, a builder's root `Request.Builder`), the root's positional arguments, and
/// the builder's setters in order with their arguments (empty for a constructor or factory).
/// The URL nodes a request object `v` is made from, its wrappers unwrapped a few deep
/// (`.uri(URI.create(url))`), with `once` the language's reading of one layer (Java's and
/// Kotlin's `request_target`).
pub fn unwrapped_request<'t>(v: Node<'t>, once: impl Fn(Node<'t>) -> Option<Vec<Node<'t>>>) -> Option<Vec<Node<'t>>> {
    let mut url = once(v)?;
    for _ in 0..4 {
        match url.as_slice() {
            [one] => match once(*one) {
                Some(inner) => url = inner,
                None => break,
            },
            _ => break,
        }
    }
    Some(url)
}

/// A constructor or factory gives the argument at its URL position; a builder the last URL
/// setter's argument (both, where the setter joins a base and a path), else its root's.
/// `None` when `written` makes no request object.
pub fn request_url<'t>(
    rules: &crate::rules::RuleSet,
    written: &str,
    root: &[Node<'t>],
    setters: Option<&[(&'t str, Vec<Node<'t>>)]>,
) -> Option<Vec<Node<'t>>> {
    let object = super::http::request_object(rules, LANG, written)?;
    let at = |args: &[Node<'t>], i: usize| args.get(i).map(|n| vec![*n]);
    let Some(setters) = setters else {
        return object.url_setter.is_none().then(|| at(root, object.url_position)).flatten();
    };
    let setter = object.url_setter.as_deref()?;
    match setters.iter().rev().find(|(name, _)| *name == setter) {
        Some((_, args)) if object.joins && args.len() == 2 => Some(args.clone()),
        Some((_, args)) => at(args, 0),
        None => at(root, object.url_position),
    }
}

/// A builder chain read root first: the root call's arguments and each setter with its
/// argument (`.baseUrl(u)`, `.endpoint(e)`).
pub struct Chain<'t> {
    /// The root's arguments (`AzureOpenAiChatModel.builder()`, `new OpenAIClientBuilder(x)`).
    pub root: Vec<(Option<&'t str>, Node<'t>)>,
    /// The setters, in order: name and first argument.
    pub setters: Vec<(&'t str, Option<Node<'t>>)>,
}

/// The arguments of a call of `callee`: `args` as written (named ones are keywords); for a
/// builder chain's `build()`, the root's arguments and each setter a keyword named after it,
/// then `args` positional. A configuration object passed whole gives its own keywords.
pub fn call_args<'t, F: Front<'t> + ?Sized>(
    f: &F,
    chain: Option<Chain<'t>>,
    args: Vec<(Option<&'t str>, Node<'t>)>,
    ctx: &Ctx,
    depth: u32,
    callee: &Path,
) -> CallArgs {
    let mut out = CallArgs::default();
    let objects = f.is_vendor_path(callee);
    let Some(chain) = chain else {
        for (k, a) in args {
            push_named(f, k, a, ctx, depth, objects, &mut out);
        }
        return out;
    };
    for (k, a) in chain.root {
        push_named(f, k, a, ctx, depth, objects, &mut out);
    }
    for (name, a) in chain.setters {
        let value = match a {
            Some(a) => push_arg(f, a, ctx, depth, true, &mut out),
            None => ArgValue::Dynamic,
        };
        out.keywords.push((name.to_string(), value));
    }
    for (_, a) in args {
        let v = f.arg_value(a, ctx, depth, objects);
        out.positional.push(v);
    }
    out
}

fn push_named<'t, F: Front<'t> + ?Sized>(
    f: &F,
    k: Option<&'t str>,
    a: Node<'t>,
    ctx: &Ctx,
    depth: u32,
    objects: bool,
    out: &mut CallArgs,
) {
    let v = push_arg(f, a, ctx, depth, objects, out);
    match k {
        Some(k) => out.keywords.push((k.to_string(), v)),
        None => out.positional.push(v),
    }
}

/// One argument's value; a configuration object built by a builder or a constructor
/// (`.openAiApi(OpenAiApi.builder().baseUrl(u).build())`, `host = OpenAIHost(baseUrl = u)`)
/// also gives its keywords.
fn push_arg<'t, F: Front<'t> + ?Sized>(
    f: &F,
    a: Node<'t>,
    ctx: &Ctx,
    depth: u32,
    objects: bool,
    out: &mut CallArgs,
) -> ArgValue {
    let value = f.arg_value(a, ctx, depth, objects);
    if let ArgValue::Path(p) = &value {
        if let Some(inner) = p.0.last().and_then(|s| s.call.as_ref()) {
            if super::matcher::client_behind(f.rules(), LANG, p).is_none() {
                out.keywords.extend(inner.keywords.iter().cloned());
            }
        }
    }
    value
}

/// `System.getenv` (or `java.lang.System.getenv`), as written.
pub fn is_getenv(object: Option<&str>, name: &str) -> bool {
    name == "getenv" && matches!(object, Some("System" | "java.lang.System"))
}

/// The default a configuration read falls back to: `Optional.ofNullable(..).orElse(d)`,
/// `System.getenv().getOrDefault("X", d)`, `props.getProperty("k", d)`.
pub fn fallback_arg<'t>(method: &str, args: &[Node<'t>]) -> Option<Node<'t>> {
    match (method, args) {
        ("orElse", [d]) => Some(*d),
        ("getOrDefault" | "getProperty", [_, d]) => Some(*d),
        _ => None,
    }
}

/// The argument a check or normalisation returns (`ensureNotBlank(builder.baseUrl, "baseUrl")`):
/// java.util.Objects' `requireNonNull(x[, ..])` and `requireNonNullElse(x, d)` (the first, a
/// value given), Guava's `Preconditions.checkNotNull(x[, ..])`, LangChain4j's
/// `ValidationUtils.ensureNotNull(x, name)`, `ensureNotBlank`, `ensureNotEmpty` and
/// `Utils.ensureTrailingForwardSlash(url)` (langchain4j-core, dev.langchain4j.internal: each
/// returns its argument, the last with a `/` added when it has none, which a base URL given
/// here is read without).
pub fn passthrough_arg<'t>(method: &str, args: &[Node<'t>]) -> Option<Node<'t>> {
    const RETURN_FIRST: &[&str] = &[
        "requireNonNull",
        "requireNonNullElse",
        "checkNotNull",
        "ensureNotNull",
        "ensureNotBlank",
        "ensureNotEmpty",
        "ensureTrailingForwardSlash",
    ];
    RETURN_FIRST.contains(&method).then(|| args.first().copied()).flatten()
}

/// The value of a name no scope binds: a member of an enclosing class (no `this.` needed),
/// else a class a wildcard import brings in, else the first segment of a fully qualified SDK
/// name (`com.openai.client.okhttp.OpenAIOkHttpClient.builder()`).
pub fn unbound<'t, F: Front<'t> + ?Sized>(f: &F, wildcards: &[Path], name: &str, ctx: &Ctx) -> Option<Val<'t>> {
    if let Some(v) = f.enclosing_member(name, ctx) {
        return Some(v);
    }
    if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        if let Some(p) = wildcards.iter().map(|w| w.member(name)).find(|p| f.is_vendor_path(p)) {
            return Some(Val::Path(p));
        }
    }
    let root = format!("{name}.");
    let sdk_root =
        f.rules().sdks.iter().filter(|s| s.ecosystem == LANG).any(|s| s.modules.iter().any(|m| m.starts_with(&root)));
    sdk_root.then(|| Val::Path(f.module_root(name)))
}

/// The value of a declared type (`OpenAIClient client`, `client: OpenAIClient`) that
/// `resolved` gives: a class or interface of the scanned tree is whatever the project
/// registers for it (an `@AiService` interface, a `@Bean` method); an SDK type an instance; a
/// vendor-neutral type ([`SERVICES`]) what the container injects.
pub fn declared<'t, F: Front<'t> + ?Sized>(
    f: &F,
    written: &str,
    resolved: Option<Val<'t>>,
    class: Option<usize>,
) -> Option<Val<'t>> {
    let name = written.rsplit('.').next().unwrap_or(written);
    if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        // A JVM file's module key keeps its extension (`com.acme.Agent.java`, `Agent.kt`); a
        // qualified name is looked up as [`class_file`] keys it, so that a tree scanned from
        // inside its packages (`service/llm/` of `com.acme.service.llm`) still knows its classes.
        let file =
            |module: &str| ["java", "kt"].iter().any(|ext| !f.locals().files(&format!("{module}.{ext}")).is_empty());
        let local = match &resolved {
            None => file(name),
            Some(Val::Path(p)) => class_file(f.locals(), &p.dotted(p.0.len())).is_some(),
            _ => false,
        };
        if local {
            return Some(Val::Path(resolve::service_path(name)));
        }
    }
    let v = match resolved {
        Some(Val::Path(p)) => p.declared().map(Val::Path),
        Some(Val::Class(c)) => Some(Val::Instance(c)),
        _ => None,
    };
    f.injected(written, v, SERVICES, class)
}

/// A Spring `@Bean` method (`@Bean ChatModel chatModel() { return OpenAiChatModel.builder()...build(); }`):
/// what its body returns, exported for the classes of the project that ask for its declared
/// type when that is vendor-neutral ([`SERVICES`]), and under its bean name (the method's name,
/// `bean:chatModel`) for the `@AiService` interfaces that name their model
/// ([`export_ai_service`]; [`super::SERVICE`]).
pub fn export_bean<'t, F: Front<'t> + ?Sized>(
    f: &F,
    declared: &str,
    name: &str,
    method: Node<'t>,
    out: &mut FileOutput,
) {
    let Some(info) = f.sym().funcs.get(&method.id()) else { return };
    let value = f.best(info.returns.iter().map(|(n, c)| f.resolve(*n, c, 0)));
    if SERVICES.contains(&declared) {
        f.export_service(declared, value.clone(), out);
    }
    f.export_service(&format!("{BEAN}{name}"), value, out);
}

/// The members of class `name` of the tree (id `class`) that hold or return a vendor's client,
/// exported for the classes given an instance of it ([`declared`]: a class of the tree is
/// `service:Name`): a `@Component` factory whose `create(settings)` builds the configured
/// provider's `ChatModel`, called as `factory.create(settings).call(prompt)` in another file
/// (`service:ModelFactory.create()`; [`super::SERVICE`]).
/// A method that builds one of several vendors' clients (`switch (settings.kind()) { case
/// OPENAI -> openAi(); case ANTHROPIC -> anthropic(); }`) exports each
/// ([`Front::each_alternative`]).
pub fn export_class_members<'t, F: Front<'t> + ?Sized>(f: &F, name: &str, class: usize, out: &mut FileOutput) {
    let Some(info) = f.sym().classes.get(&class) else { return };
    let head = format!("{}{name}", super::SERVICE);
    let attrs: Vec<String> = info.attrs.keys().cloned().collect();
    // A method that returns nothing (`void`, a Kotlin `Unit` block) exports nothing.
    let returns = |def: &Node<'t>| f.sym().funcs.get(&def.id()).is_some_and(|i| !i.returns.is_empty());
    let methods: Vec<(String, Node<'t>)> =
        info.methods.iter().filter(|(_, def)| returns(def)).map(|(m, def)| (m.clone(), *def)).collect();
    let mut found: Vec<(String, Option<Val<'t>>)> =
        attrs.into_iter().map(|a| (format!("{head}.{a}"), f.class_member(class, &a, 0, 0))).collect();
    let mut later = Vec::new();
    // A method declared to return a framework's model interface (`ChatModel chat(String id)`
    // returning `chat.get(id)` of a `Map<String, ChatModel>`, or what another class of the tree
    // gives): its value is followed after every file ([`super::SERVICE`]), ending at each
    // implementation the project builds. A method returning anything else (the text a call
    // of the model gave) is no model.
    let service = |p: &Path| p.0.first().is_some_and(|h| h.name.starts_with(super::SERVICE));
    let annotation = |def: &Node<'t>| {
        let t = f.sym().funcs.get(&def.id()).and_then(|i| i.annotation.clone());
        t.and_then(|(t, c)| f.annotation(t, &c, 0))
    };
    let model = |def: &Node<'t>| match annotation(def) {
        Some(Val::Path(p)) => p.0.len() == 1 && service(&p) && p.0[0].name.contains(super::INTERFACE),
        _ => false,
    };
    // (The class's own name, in its own file, is the class.)
    let own = |def: &Node<'t>| match annotation(def) {
        Some(Val::Instance(c)) => c == class,
        Some(Val::Path(p)) => p.0.len() == 1 && p.0[0].name == head,
        _ => false,
    };
    for (m, def) in methods {
        let key = format!("{head}.{m}()");
        // A method declared to return the class itself (a singleton's `static ClientCache
        // getInstance()`, a fluent setter): an instance of the class, whose members its callers
        // go on to call (`ClientCache.getInstance().getClient(id).prompt()`).
        if own(&def) {
            out.exports.push((key, resolve::service_path(name)));
            continue;
        }
        if model(&def) {
            if let Some(Val::Path(p)) = f.function_result(def, 0).filter(|v| matches!(v, Val::Path(p) if service(p))) {
                out.exports.push((key, p));
                continue;
            }
        }
        let (first, others) = f.alternative_exports(&key, f.each_alternative(|| f.function_result(def, 0)));
        found.push((key, first));
        later.extend(others);
    }
    f.export_vendor_paths(found, out);
    out.exports.extend(later);
}

/// The service key prefix of a Spring bean named in code (`bean:openAiChatModel`).
pub const BEAN: &str = "bean:";

/// The value of `key = "..."` in an annotation's text (`chatModel = "openAiChatModel"`).
fn annotation_string<'a>(annotation: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = annotation;
    while let Some(i) = rest.find(key) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + key.len()..].trim_start();
        rest = &rest[i + key.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(value) = after.strip_prefix('=').map(str::trim_start).and_then(|v| v.strip_prefix('"')) else {
            continue;
        };
        return value.split('"').next();
    }
    None
}

/// A LangChain4j Spring Boot AI service: an interface annotated `@AiService`
/// (langchain4j/langchain4j-spring at 7b54349, langchain4j-spring-boot-starter
/// `dev.langchain4j.service.spring.AiServicesAutoConfig`) is registered as a bean built by
/// `AiServices` over the project's `ChatModel` and `StreamingChatModel` beans (automatic
/// wiring, the default). Exported for the classes that ask for interface `name`, as
/// `AiServices.builder(T.class).chatModel(..).streamingChatModel(..).build()` over those
/// injected services ([`super::SERVICE`]). `annotation` is the text of the annotation:
/// `@AiService(wiringMode = EXPLICIT, chatModel = "openAiChatModel")` names its beans, given by
/// a `@Bean` method of that name or by the starter configured for it ([`BEAN`]).
pub fn export_ai_service<'t, F: Front<'t> + ?Sized>(f: &F, name: &str, annotation: &str, out: &mut FileOutput) {
    let explicit = annotation.contains("EXPLICIT");
    let mut args = CallArgs::default();
    for (key, service) in [("chatModel", "ChatModel"), ("streamingChatModel", "StreamingChatModel")] {
        let service = match annotation_string(annotation, key) {
            Some(bean) if explicit => format!("{BEAN}{bean}"),
            _ if explicit => continue,
            _ => service.to_string(),
        };
        args.keywords.push((key.to_string(), ArgValue::Path(resolve::service_path(&service))));
    }
    if args.keywords.is_empty() {
        return;
    }
    // Pushed as it is: its vendor is known only once the injected models are.
    if let Some(value) = f.module_root(AI_SERVICES_BUILDER).called(args) {
        out.exports.push((format!("{}{name}", super::SERVICE), value));
    }
}

/// `import com.openai.client.OpenAIClient`: a finding when an SDK declares the package.
pub fn import_finding<'t, F: Front<'t> + ?Sized>(f: &F, node: Node<'t>, spec: &str, out: &mut FileOutput) {
    if let Some((sdk, _)) = f.rules().sdk_for_module(LANG, spec) {
        f.emit(out, node, emit::import(f.rules(), LANG, &sdk.vendor, spec));
    }
}

/// A literal's findings (model names, hosts); `named` is the method, parameter, variable or
/// field it is given to: a model name is certain there when that name says `model` or
/// `deployment` (`.modelName("gpt-4o")`, `modelName = "gemini-pro"`, `val MODEL = "..."`).
pub fn literal<'t, F: Front<'t> + ?Sized>(
    f: &F,
    node: Node<'t>,
    content: &str,
    named: Option<&str>,
    served: Option<&str>,
    out: &mut FileOutput,
) {
    let in_context = named.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n.contains("model") || n.contains("deployment")
    });
    for e in emit::literal(f.rules(), content, Some(content), in_context, served) {
        f.emit(out, node, e);
    }
}

/// A call on a receiver nothing in the file resolves (`names`: the chain from `base`, last the
/// method), inferred from the file's imports: see `common::infer_operation`. `args` is the
/// text of the argument list.
pub fn inferred_call<'t, F: Front<'t> + ?Sized>(
    f: &F,
    node: Node<'t>,
    names: &[&str],
    base: &str,
    args: &str,
    out: &mut FileOutput,
) -> Option<String> {
    // A class name is no receiver.
    if base.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let llm_shaped = ["model", "messages", "Model", "Messages", "prompt"].iter().any(|k| args.contains(k));
    let built: Vec<String> = f.sym().clients.iter().map(|(d, _)| d.clone()).collect();
    let (def, op) = common::infer_operation(f.rules(), LANG, names, base, out, &built, llm_shaped)?;
    f.emit(out, node, emit::inferred_call(f.rules(), def, op));
    Some(def.vendor.clone())
}

#[cfg(test)]
mod tests {
    use super::annotation_string;

    #[test]
    fn reads_named_strings_of_an_annotation() {
        let a = r#"@AiService(wiringMode = AiServiceWiringMode.EXPLICIT,chatModel = "openAiChatModel")"#;
        assert_eq!(annotation_string(a, "chatModel"), Some("openAiChatModel"));
        assert_eq!(annotation_string(a, "streamingChatModel"), None);
        let b = r#"@AiService(wiringMode = EXPLICIT, streamingChatModel="ollamaStreamingChatModel")"#;
        assert_eq!(annotation_string(b, "streamingChatModel"), Some("ollamaStreamingChatModel"));
        // `chatModel` inside `streamingChatModel` is not the key.
        assert_eq!(annotation_string(b, "chatModel"), None);
    }
}
