//! C# detection with tree-sitter-c-sharp: a lowering onto the shared resolver ([`super::resolve`]).
//! Pass 1 (`collect`) records `using` directives (a namespace is searched for the names nothing
//! binds, as a Java wildcard import; `using A = B.C;` binds `A`; `using static` likewise),
//! classes with their fields and auto-properties (typed, initialised, or assigned in a
//! constructor), primary constructors (`class Svc(ChatClient client)`: parameters are fields),
//! methods and local functions with their returns, typed parameters (constructor injection),
//! locals (`var` included) and lambdas. Pass 2 (`visit`) hands every call, `using`, environment
//! read and string literal to the shared resolution.
//!
//! What C# adds, lowered here rather than taught to the matcher:
//! - named arguments (`new ChatClient(model: "gpt-4o", apiKey: key)`) are keyword arguments,
//!   and so are the assignments of an object initializer (`new OpenAIClientOptions { Endpoint
//!   = ... }`), passed on by an options object given as an argument (inline or through a
//!   local); a positional `new Uri(...)` is also the keyword `Uri` (an endpoint);
//! - target-typed `new(...)` takes the declared type of what it initialises;
//! - an extension method the rules name under a namespace the file uses
//!   (`builder.AddOpenAIChatCompletion(...)`, `client.AsIChatClient()`) is a call of that
//!   static method, whose first argument is the receiver; a statement that registers a
//!   service on a local builder (`builder.AddOpenAIChatCompletion(...);`) rebinds the builder
//!   to the registration, which returns it, so `builder.Build()` is a kernel of that vendor;
//! - a method of the file called by name takes its call sites' arguments as values of its
//!   parameters (`InvokePromptsAsync(kernel)` with the kernel built by the caller);
//! - `Environment.GetEnvironmentVariable("X")` is an environment read, and a configuration
//!   key (`configuration["OpenAI:Endpoint"]`, `GetValue<string>("...")`) a value set at run
//!   time under that name.

use super::emit;
use super::http;
use super::lower;
use super::path::{ArgValue, CallArgs, Path, Seg};
use super::resolve::{Bind, Callers, Core, Ctx, Front, FuncInfo, Piece, Pieces, Shape, Style, Symbols, Text, Val};
use super::{common, FileOutput, LineIndex, LocalModules};
use crate::detect::field::Field;
use crate::ecosystem::Ecosystem;
use crate::rules::RuleSet;
use std::cell::RefCell;
use std::collections::HashSet;
use tree_sitter::{Node, Parser, Tree};

const LANG: Ecosystem = Ecosystem::CSharp;

/// The vendor-neutral service types .NET code is given by dependency injection and calls
/// models through: Semantic Kernel's `Kernel` and AI service interfaces
/// (Microsoft.SemanticKernel.Abstractions: `IChatCompletionService`, `ITextGenerationService`,
/// `ITextEmbeddingGenerationService`, `ITextToImageService`) and Microsoft.Extensions.AI's
/// `IChatClient` and `IEmbeddingGenerator`. A class asking for one gets what the project
/// registers ([`super::SERVICE`]).
const SERVICES: &[&str] = &[
    "Kernel",
    "IChatCompletionService",
    "ITextGenerationService",
    "ITextEmbeddingGenerationService",
    "ITextToImageService",
    "IChatClient",
    "IEmbeddingGenerator",
];

/// Microsoft.Extensions.DependencyInjection's registration methods
/// (`ServiceCollectionServiceExtensions`, `ServiceCollectionDescriptorExtensions`): the type
/// argument names the service, the last argument is the instance or its factory.
const DI_METHODS: &[&str] = &[
    "AddSingleton",
    "AddScoped",
    "AddTransient",
    "AddKeyedSingleton",
    "AddKeyedScoped",
    "AddKeyedTransient",
    "TryAddSingleton",
    "TryAddScoped",
    "TryAddTransient",
];

/// An argument: its name when named (`model: "gpt-4o"`), and its value.
type Arg<'t> = (Option<&'t str>, Node<'t>);

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_c_sharp::LANGUAGE.into()).expect("tree-sitter-c-sharp matches the tree-sitter ABI");
        p
    });
}

/// How a file too large to parse is read (`common::scan_text`).
const CS_TEXT: common::TextSyntax =
    common::TextSyntax { comment: "//", quotes: b"\"", env_calls: &["GetEnvironmentVariable("] };

/// Reads the project-wide namespaces of the C# projects in `files` into `locals`: `global
/// using X;` in the files conventionally holding them (`GlobalUsings.cs`, `Usings.cs`,
/// `*Usings.cs`, and the singular `Using.cs`, `GlobalUsing.cs` some code bases use) and `<Using Include="X" />` in a `.csproj`. Other files' `global using`s are
/// not read before the scan (a file's own are, as `using`s).
///
/// It also indexes the C# files by project ([`LocalModules::add_csharp_projects`]).
pub fn read_global_usings(files: &[crate::walk::SourceFile], max_filesize: u64, locals: &mut LocalModules) {
    let mut projects = Vec::new();
    for f in files {
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        let usings_file =
            f.kind == crate::lang::FileKind::CSharp && (name.ends_with("Usings.cs") || name.ends_with("Using.cs"));
        let project = f.kind == crate::lang::FileKind::NuGet && name.ends_with(".csproj");
        if project {
            projects.push(f.rel.rsplit_once('/').map_or("", |(d, _)| d).to_string());
        }
        if !usings_file && !project {
            continue;
        }
        let Ok(text) = crate::read::text(&f.path, max_filesize) else { continue };
        locals.add_csharp_usings(&f.rel, global_usings(&text));
        if project {
            locals.add_csharp_references(&f.rel, project_references(&text));
        }
    }
    if files.iter().any(|f| f.kind == crate::lang::FileKind::CSharp) {
        locals.add_csharp_projects(&projects);
    }
}

/// The namespaces the .NET SDK a project names adds as implicit global usings
/// (learn.microsoft.com/dotnet/core/project-sdk/overview, "Implicit using directives"; on by
/// default in the templates since .NET 6): the web and worker SDKs add the hosting and
/// dependency-injection namespaces where ASP.NET Core and .NET Aspire integrations declare
/// their `builder.Add*(...)` extension methods.
/// Every one of them adds `System.Net.Http` (`HttpClient`).
fn implicit_usings(sdk: &str) -> &'static [&'static str] {
    match sdk {
        "Microsoft.NET.Sdk.Web" | "Microsoft.NET.Sdk.Worker" => &[
            "System.Net.Http",
            "Microsoft.Extensions.Configuration",
            "Microsoft.Extensions.DependencyInjection",
            "Microsoft.Extensions.Hosting",
            "Microsoft.Extensions.Logging",
        ],
        "Microsoft.NET.Sdk" => &["System.Net.Http"],
        _ => &[],
    }
}

/// The namespaces of `global using X;` lines and of `<Using Include="X" />` elements.
pub fn global_usings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("global using ") {
            let rest = rest.split(';').next().unwrap_or_default().trim_start_matches("static ").trim();
            if !rest.contains('=') && !rest.is_empty() {
                out.push(rest.trim_start_matches("global::").to_string());
            }
        } else if let Some(i) = line.find("<Project Sdk=\"") {
            let rest = &line[i + "<Project Sdk=\"".len()..];
            let sdk = rest.split('"').next().unwrap_or_default();
            out.extend(implicit_usings(sdk).iter().map(|n| n.to_string()));
        } else if let Some(i) = line.find("<Using Include=\"") {
            let rest = &line[i + "<Using Include=\"".len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].trim().to_string());
            }
        }
    }
    out
}

/// The `.csproj` paths a project file's `<ProjectReference Include="..\\Defaults\\Defaults.csproj" />`
/// elements name, as written (relative to its folder, `\\` or `/`).
pub fn project_references(text: &str) -> Vec<String> {
    const START: &str = "<ProjectReference Include=\"";
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(i) = line.find(START) else { continue };
        if let Some(path) = line[i + START.len()..].split('"').next().filter(|p| !p.is_empty()) {
            out.push(path.to_string());
        }
    }
    out
}

/// Detects everything in one C# source (`rel` says which project-wide usings apply).
pub fn detect(src: &str, rules: &RuleSet, rel: &str, locals: &LocalModules, out: &mut FileOutput) {
    let directives = blank_app_directives(src);
    let src = directives.as_deref().unwrap_or(src);
    // The grammar ends a preprocessor line (`#pragma warning restore X`) at a newline: a file
    // whose last line is one would read as a syntax error. Appending one moves no offset.
    let parse = |s: &str| {
        let owned;
        let text = if s.ends_with('\n') {
            s
        } else {
            owned = format!("{s}\n");
            &owned
        };
        PARSER.with(|p| p.borrow_mut().parse(text, None))
    };
    if let Some(tree) = common::parse_or_scan(src, rules, &CS_TEXT, parse, out) {
        detect_tree(&tree, src, rules, rel, locals, out);
    }
}

/// A file-based app (`dotnet run app.cs`, .NET 10; learn.microsoft.com/dotnet/core/sdk/file-based-apps)
/// opens with `#:package Name@1.0`, `#:property`, `#:sdk`, `#:project` directives (and maybe a `#!`
/// line), which the grammar does not know: read as an error, they hide the file's `using`s.
/// Those lines are blanked, byte for byte, so that every offset and column stays where it was.
fn blank_app_directives(src: &str) -> Option<String> {
    let head = src.trim_start_matches('\u{feff}');
    if !head.starts_with("#:") && !head.starts_with("#!") {
        return None;
    }
    let mut out = String::with_capacity(src.len());
    let mut code = false;
    for line in src.split_inclusive('\n') {
        let t = line.trim_start_matches('\u{feff}').trim_start();
        code = code || !(t.starts_with("#:") || t.starts_with("#!") || t.trim().is_empty());
        if code {
            out.push_str(line);
        } else {
            // One space per byte: a character of several bytes keeps its length.
            let body = line.trim_end_matches(['\n', '\r']);
            out.extend(std::iter::repeat_n(' ', body.len()));
            out.push_str(&line[body.len()..]);
        }
    }
    Some(out)
}

fn detect_tree(tree: &Tree, src: &str, rules: &RuleSet, rel: &str, locals: &LocalModules, out: &mut FileOutput) {
    let root = tree.root_node();
    let mut a = Analyzer {
        core: Core::new(src, rules, locals, LANG, root),
        namespaces: Vec::new(),
        known: known_names(rules),
        callers: Callers::default(),
        project: locals.csharp_project(rel).map(|p| Path(vec![Seg { name: p, call: None }])),
        types: Vec::new(),
        static_receivers: HashSet::new(),
        member_sets: Vec::new(),
        field_sets: Vec::new(),
    };
    let project: Vec<Path> = locals.csharp_usings(rel).into_iter().map(|n| a.module_root(n)).collect();
    a.namespaces.extend(project);
    let passes = lower::Passes::new(&CS_TEXT, Analyzer::collect, Analyzer::visit)
        .callers(|a| std::mem::take(&mut a.callers))
        .export(Analyzer::exports)
        .url_names();
    lower::run(&mut a, root, out, passes);
}

/// The C# names the rules know: each client constructor and passthrough (`exact`), and
/// every dotted prefix of them and of the SDK namespaces (`prefixes`).
struct Known {
    exact: HashSet<String>,
    prefixes: HashSet<String>,
}

fn known_names(rules: &RuleSet) -> Known {
    let mut exact: HashSet<String> = HashSet::new();
    for c in rules.clients.iter().chain(&rules.http_clients).filter(|c| c.ecosystem == LANG) {
        exact.extend(c.constructors.iter().cloned());
    }
    // Passthroughs under a .NET namespace (`Microsoft.Extensions.AI.AsIChatClient`); Python's
    // and Java's start lower-case.
    let dotnet = |p: &&String| p.contains('.') && p.starts_with(|c: char| c.is_ascii_uppercase());
    exact.extend(rules.frameworks.iter().flat_map(|f| f.passthrough.iter()).filter(dotnet).cloned());
    let modules = rules.sdks.iter().filter(|s| s.ecosystem == LANG).flat_map(|s| s.modules.iter());
    let mut prefixes = HashSet::new();
    for name in exact.iter().chain(modules) {
        let mut at = 0;
        while let Some(i) = name[at..].find('.') {
            prefixes.insert(name[..at + i].to_string());
            at += i + 1;
        }
        prefixes.insert(name.clone());
    }
    Known { exact, prefixes }
}

struct Analyzer<'t> {
    /// Source, rules and the symbol table ([`super::resolve::Core`]).
    core: Core<'t>,
    /// Namespaces and types the file `using`s: names nothing binds are looked up there.
    namespaces: Vec<Path>,
    /// What the rules name in C#.
    known: Known,
    /// Methods, local functions and constructors by name, and the calls of those names
    /// (`Helper(x)`, `this.Helper(x)`, `: this(x)`): [`resolve::bind_callers`] gives their
    /// parameters the callers' arguments (`InvokePromptsAsync(kernel)`).
    callers: Callers<'t>,
    /// The file's project (`cs:<folder>`), whose other files' types it sees
    /// ([`LocalModules::csharp_project`]).
    project: Option<Path>,
    /// The types the file declares, with their class ids.
    types: Vec<(&'t str, usize)>,
    /// Names the file reads members of (`Clients` of `Clients.Create()`): of those nothing
    /// binds, the project's types.
    static_receivers: HashSet<&'t str>,
    /// Properties set on a local after it is made (`options.Endpoint = new Uri(url);`): the
    /// local's name, the property, the value: an options object's keywords ([`Self::options_keywords`]).
    member_sets: Vec<(&'t str, &'t str, Node<'t>)>,
    /// Properties set on a field of a class (`_http.BaseAddress = new Uri(url);` in a
    /// constructor or an `Initialize` method): the class, the field, the property, the value
    /// and its scope ([`Front::written_members`]).
    field_sets: Vec<(usize, &'t str, &'t str, Node<'t>, Ctx)>,
}

impl<'t> std::ops::Deref for Analyzer<'t> {
    type Target = Core<'t>;
    fn deref(&self) -> &Core<'t> {
        &self.core
    }
}

impl std::ops::DerefMut for Analyzer<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.core
    }
}

/// The id of the method, local function or lambda around `n`.
fn enclosing_function(n: Node<'_>) -> Option<usize> {
    let mut cur = n.parent();
    while let Some(p) = cur.filter(|p| !FUNCTIONS.contains(&p.kind())) {
        cur = p.parent();
    }
    cur.map(|m| m.id())
}

/// The property CommunityToolkit.Mvvm's `[ObservableProperty]` generates from a field:
/// `name`, `_name` and `m_name` give `Name` (learn.microsoft.com/dotnet/communitytoolkit/mvvm/
/// generators/errors/mvvmtk0014: such fields are named "lowerCamel", "_lowerCamel" or
/// "m_lowerCamel"); `None` when the name would not change.
fn generated_property(field: &str) -> Option<String> {
    let bare = field.strip_prefix("m_").or_else(|| field.strip_prefix('_')).unwrap_or(field);
    let mut chars = bare.chars();
    let first = chars.next().filter(|c| c.is_ascii_lowercase())?;
    Some(format!("{}{}", first.to_ascii_uppercase(), chars.as_str()))
}

/// SDK types a registration also answers to by their base type: `AddSingleton(new
/// AzureOpenAIClient(...))` is asked for as `OpenAIClient` (Azure/azure-sdk-for-net,
/// sdk/openai/Azure.AI.OpenAI/src/Custom/AzureOpenAIClient.cs: `public partial class
/// AzureOpenAIClient : OpenAIClient`).
const BASE_TYPES: [(&str, &str); 1] = [("AzureOpenAIClient", "OpenAIClient")];

const TYPES: [&str; 5] = [
    "class_declaration",
    "struct_declaration",
    "record_declaration",
    "interface_declaration",
    "record_struct_declaration",
];
const FUNCTIONS: [&str; 5] = [
    "method_declaration",
    "constructor_declaration",
    "local_function_statement",
    "lambda_expression",
    "anonymous_method_expression",
];

impl<'t> Analyzer<'t> {
    // ---------------------------------------------------------------- pass 1: bindings

    fn collect(&mut self, node: Node<'t>, ctx: &Ctx) {
        let kind = node.kind();
        if kind == "using_directive" {
            return self.collect_using(node, ctx);
        }
        if TYPES.contains(&kind) {
            return self.collect_class(node, ctx);
        }
        if FUNCTIONS.contains(&kind) {
            return self.collect_function(node, ctx);
        }
        match kind {
            "variable_declaration" => {
                let t = node.field("type");
                for d in self.declarators(node) {
                    self.bind_declarator(d, t, ctx);
                }
            }
            "foreach_statement" => {
                if let (Some(n), Some(t)) = (node.field("left"), node.field("type")) {
                    if n.kind() == "identifier" {
                        self.core.sym.bind(ctx, self.core.text_at(n), n.start_byte(), Bind::Annot(t, ctx.clone()));
                    }
                }
            }
            "assignment_expression" => {
                let op = node.field("operator").map(|o| self.text(o));
                if let (Some("=" | "??="), Some(l), Some(r)) = (op, node.field("left"), node.field("right")) {
                    // Object initializer entries are keywords of their construction, not bindings.
                    if node.parent().is_none_or(|p| p.kind() != "initializer_expression") {
                        self.bind_assignment(l, r, ctx);
                        self.note_member_set(l, r, ctx);
                    }
                }
            }
            "return_statement" | "arrow_expression_clause" => {
                if let (Some(value), Some(f)) = (node.named_child(0), self.core.sym.funcs.get_mut(&ctx.scope())) {
                    f.returns.push((value, ctx.clone()));
                }
            }
            "expression_statement" => self.collect_registration(node, ctx),
            "invocation_expression" => {
                let f = node.field("function");
                let name = match f.map(|f| (f.kind(), f)) {
                    Some(("identifier", f)) => Some(self.core.text_at(f)),
                    Some(("member_access_expression", f))
                        if f.field("expression").is_some_and(|o| o.kind() == "this") =>
                    {
                        f.field("name").map(|n| self.core.text_at(n))
                    }
                    _ => None,
                };
                if let (Some(name), Some(args)) = (name, node.field("arguments")) {
                    self.callers.call(name, args, ctx);
                }
            }
            // `Clients.Create(...)`: a name read as a type's static members.
            "member_access_expression" => {
                if let Some(e) = node.field("expression").filter(|e| e.kind() == "identifier") {
                    self.static_receivers.insert(self.core.text_at(e));
                }
            }
            // `new Generator(client)`: a call of the constructors of a class of the file.
            "object_creation_expression" => {
                let t = node.field("type").filter(|t| t.kind() == "identifier");
                if let (Some(t), Some(args)) = (t, node.field("arguments")) {
                    self.callers.call(self.core.text_at(t), args, ctx);
                }
            }
            _ => {}
        }
        self.collect_children(node, ctx);
    }

    fn collect_children(&mut self, node: Node<'t>, ctx: &Ctx) {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.collect(child, ctx);
        }
    }

    /// `using A.B;` and `using static A.B.C;` are searched for names nothing binds;
    /// `using X = A.B.C;` binds `X`.
    fn collect_using(&mut self, node: Node<'t>, ctx: &Ctx) {
        let Some((alias, target)) = self.using_parts(node) else { return };
        let path = self.module_root(&target);
        match alias {
            Some(a) => self.sym.bind(ctx, a, 0, Bind::Import(path)),
            None => self.namespaces.push(path),
        }
    }

    /// The alias (if any) and the dotted target of a `using` directive.
    fn using_parts(&self, node: Node<'t>) -> Option<(Option<&'t str>, String)> {
        let alias = node.field("name").map(|n| self.text(n));
        let mut cursor = node.walk();
        let target = node
            .named_children(&mut cursor)
            .filter(|k| Some(*k) != node.field("name"))
            .find(|k| matches!(k.kind(), "qualified_name" | "identifier" | "generic_name" | "alias_qualified_name"))?;
        let text: String = self.text(target).chars().filter(|c| !c.is_whitespace()).collect();
        let text = text.strip_prefix("global::").unwrap_or(&text).to_string();
        Some((alias, text))
    }

    fn declarators(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut cursor = node.walk();
        let v: Vec<Node<'t>> = node.named_children(&mut cursor).filter(|c| c.kind() == "variable_declarator").collect();
        v
    }

    /// The initial value of a declarator (`x = value`).
    fn declarator_value(d: Node<'t>) -> Option<Node<'t>> {
        let name = d.field("name");
        let mut cursor = d.walk();
        let v = d
            .named_children(&mut cursor)
            .find(|c| Some(*c) != name && !matches!(c.kind(), "bracketed_argument_list" | "tuple_pattern"));
        v
    }

    /// `T x = value;`: the value, and the declared type where the value says nothing.
    fn bind_declarator(&mut self, d: Node<'t>, t: Option<Node<'t>>, ctx: &Ctx) {
        let Some(n) = d.field("name") else { return self.bind_tuple_declarator(d, ctx) };
        let name = self.core.text_at(n);
        let pos = d.start_byte();
        if let Some(t) = t.filter(|t| t.kind() != "implicit_type") {
            self.core.sym.bind(ctx, name, pos, Bind::Annot(t, ctx.clone()));
        }
        if let Some(v) = Self::declarator_value(d) {
            self.core.sym.bind(ctx, name, pos + 1, Bind::Expr(v, ctx.clone()));
        }
    }

    /// `var (agent, _) = factory.Create(..);`: each name is that item of the tuple the call
    /// returns (`#i`, read by the shared resolver through the callee's returns, or through
    /// what another file exports as the method's `.#i`), or of a tuple written there.
    fn bind_tuple_declarator(&mut self, d: Node<'t>, ctx: &Ctx) {
        let mut cursor = d.walk();
        let Some(pattern) = d.named_children(&mut cursor).find(|c| c.kind() == "tuple_pattern") else { return };
        let Some(v) = Self::declarator_value(d) else { return };
        let mut cursor = pattern.walk();
        let names: Vec<Option<Node<'t>>> =
            pattern.named_children(&mut cursor).filter(|c| c.kind() != "comment").map(Some).collect();
        self.bind_tuple_items(&names, v, d.start_byte() + 1, ctx);
    }

    /// `(string url, string key) = GetEndpointAndKey(..);` and `(url, _) = ..;`: a
    /// deconstructing assignment binds its names as a tuple declaration does.
    fn bind_deconstruction(&mut self, l: Node<'t>, r: Node<'t>, pos: usize, ctx: &Ctx) {
        let mut cursor = l.walk();
        let names: Vec<Option<Node<'t>>> = l
            .named_children(&mut cursor)
            .filter(|a| a.kind() == "argument")
            .map(|a| {
                let item = a.named_child(a.named_child_count().saturating_sub(1))?;
                match item.kind() {
                    "declaration_expression" => item.field("name"),
                    _ => Some(item),
                }
            })
            .collect();
        self.bind_tuple_items(&names, r, pos, ctx);
    }

    /// Binds each name of `names` (an `identifier`; others are discards or nested patterns)
    /// to that item of the tuple `v` is: of a tuple written there, else `#i` of what the call
    /// returns (read by the shared resolver through the callee's returns, or through what
    /// another file exports as the method's `.#i`).
    fn bind_tuple_items(&mut self, names: &[Option<Node<'t>>], v: Node<'t>, pos: usize, ctx: &Ctx) {
        let v = if v.kind() == "await_expression" { v.named_child(0).unwrap_or(v) } else { v };
        let items = self.tuple_items(v);
        for (i, n) in names.iter().enumerate() {
            let Some(n) = n.filter(|n| n.kind() == "identifier") else { continue };
            let bind = match items.get(i) {
                Some(item) => Bind::Expr(*item, ctx.clone()),
                None if v.kind() == "invocation_expression" => Bind::Member(v, ctx.clone(), format!("#{i}")),
                None => continue,
            };
            self.core.sym.bind(ctx, self.core.text_at(n), pos, bind);
        }
    }

    /// A type no scope binds and no namespace of the rules declares, named as a class of
    /// the project would be (`AgentFactory factory` given by injection): an instance of
    /// that type, whose members another file of the project may export (`AgentFactory().m()`).
    fn project_type(&self, t: Node<'t>) -> Option<Val<'t>> {
        if t.kind() != "identifier" {
            return None;
        }
        let name = self.core.text_at(t);
        let project = self.project.as_ref()?;
        let typed = name.starts_with(|c: char| c.is_ascii_uppercase()) && !SERVICES.contains(&name);
        (typed && self.sym.unbound_everywhere(name)).then(|| project.member(name).declared()).flatten().map(Val::Path)
    }

    /// `x = v`, `this.client = v`, and in a method `client = v` where `client` is a field.
    fn bind_assignment(&mut self, l: Node<'t>, r: Node<'t>, ctx: &Ctx) {
        let pos = l.start_byte();
        match l.kind() {
            "tuple_expression" => self.bind_deconstruction(l, r, pos, ctx),
            "identifier" => {
                let name = self.core.text_at(l);
                // C# declares every local: a name assigned in a class that no local or
                // parameter binds is a member, the class's own or a base's of another file
                // (`Url = url;` in a constructor, `Url` a property a base class declares or a
                // source generator writes from `[ObservableProperty] string _url`).
                let local = !self.core.sym.lookup(name, ctx, pos).is_empty();
                self.core.sym.bind(ctx, name, pos, Bind::Expr(r, ctx.clone()));
                let field = |c: &usize| self.sym.classes.get(c).is_some_and(|i| i.attrs.contains_key(name)) || !local;
                if let Some(class) = ctx.class.filter(field) {
                    self.sym.bind_attr(class, name, pos, Bind::Expr(r, ctx.clone()));
                }
            }
            "member_access_expression" => {
                let (Some(o), Some(f), Some(class)) = (l.field("expression"), l.field("name"), ctx.class) else {
                    return;
                };
                if o.kind() == "this" {
                    let f = self.core.text_at(f);
                    self.sym.bind_attr(class, f, pos, Bind::Expr(r, ctx.clone()));
                }
            }
            _ => {}
        }
    }

    /// The value the same method last assigned to `o.F` before `read` (`if
    /// (string.IsNullOrEmpty(options.Address)) options.Address = "https://...";`): where the
    /// caller left it unset, what the code reads there.
    fn member_set_before(&self, o: Node<'t>, f: Node<'t>, read: Node<'t>) -> Option<Node<'t>> {
        if o.kind() != "identifier" {
            return None;
        }
        self.member_set_named(self.text(o), self.text(f), read)
    }

    /// [`Self::member_set_before`] by the local's and the property's names.
    fn member_set_named(&self, o: &str, f: &str, read: Node<'t>) -> Option<Node<'t>> {
        let here = enclosing_function(read)?;
        self.member_sets
            .iter()
            .filter(|(so, sf, r)| *so == o && *sf == f && r.end_byte() <= read.start_byte())
            .filter(|(_, _, r)| enclosing_function(*r) == Some(here))
            .map(|(_, _, r)| *r)
            .next_back()
    }

    /// Whether `name` read at `pos` is a local or a parameter: C# declares every one, so a
    /// name that only assignments bind (`_http = new HttpClient();` in the method) is a field.
    fn declared_local(&self, name: &str, ctx: &Ctx, pos: usize) -> bool {
        let assigned = |b: &Bind<'t>| matches!(b, Bind::Expr(n, _) if n.parent().is_some_and(|p| p.kind() == "assignment_expression"));
        self.core.sym.lookup(name, ctx, pos).iter().any(|b| !assigned(&b.bind))
    }

    /// `options.Endpoint = value;` on a local (not `this`): noted for the options object.
    /// On a field of the class (`_http.BaseAddress = new Uri(url);`, `this._http.BaseAddress
    /// = ..`, the field no local hides): noted for every method of the class that reads it.
    fn note_member_set(&mut self, l: Node<'t>, r: Node<'t>, ctx: &Ctx) {
        if l.kind() != "member_access_expression" {
            return;
        }
        let (Some(o), Some(f)) = (l.field("expression"), l.field("name")) else { return };
        // `options!.Address = ...`: the variable itself.
        let o = if o.kind() == "postfix_unary_expression" { o.named_child(0).unwrap_or(o) } else { o };
        let f = self.core.text_at(f);
        let field = match o.kind() {
            "identifier" => {
                let name = self.core.text_at(o);
                self.member_sets.push((name, f, r));
                (!self.declared_local(name, ctx, o.start_byte())).then_some(name)
            }
            "member_access_expression" if o.field("expression").is_some_and(|t| t.kind() == "this") => {
                o.field("name").map(|n| self.core.text_at(n))
            }
            _ => None,
        };
        if let (Some(name), Some(class)) = (field, ctx.class) {
            self.field_sets.push((class, name, f, r, ctx.clone()));
        }
    }

    /// `builder.AddOpenAIChatCompletion(...);` (or `builder.Services.AddLogging().AddOpenAIChatCompletion(...)`)
    /// registers a service on `builder`: from here on, `builder` is that registration, which
    /// returns what it was called on.
    fn collect_registration(&mut self, node: Node<'t>, ctx: &Ctx) {
        let Some(call) = node.named_child(0).filter(|c| c.kind() == "invocation_expression") else { return };
        let Some(f) = call.field("function") else { return };
        let Some(mut root) = self.extension_receiver(f) else { return };
        for _ in 0..16 {
            root = match root.kind() {
                "member_access_expression" => root.field("expression"),
                "invocation_expression" => root.field("function"),
                _ => break,
            }
            .unwrap_or(root);
        }
        if root.kind() == "identifier" {
            let name = self.core.text_at(root);
            self.core.sym.bind(ctx, name, node.start_byte(), Bind::Expr(call, ctx.clone()));
        }
    }

    /// A class: its name, fields and properties (typed at position 0, so an assignment says
    /// more), primary constructor parameters, methods, base class and body.
    fn collect_class(&mut self, node: Node<'t>, ctx: &Ctx) {
        let id = node.id();
        if let Some(n) = node.field("name") {
            self.core.sym.bind(ctx, self.core.text_at(n), 0, Bind::Class(id));
            self.types.push((self.core.text_at(n), id));
        }
        self.sym.classes.entry(id).or_default();
        let mut inner = ctx.enter(id);
        inner.class = Some(id);
        inner.self_name = None;
        let mut cursor = node.walk();
        let kids: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for k in &kids {
            match k.kind() {
                // `class Svc(ChatClient client)`: the parameters are in scope in every member.
                "parameter_list" => {
                    for (name, t) in self.parameters(*k) {
                        self.sym.bind_attr(id, name, 0, Bind::Annot(t, ctx.clone()));
                    }
                    for (name, v) in self.parameter_defaults(*k) {
                        self.sym.bind_attr(id, name, 0, Bind::Expr(v, ctx.clone()));
                    }
                }
                "base_list" => {
                    if let Some(base) = k.named_child(0) {
                        let base = match base.kind() {
                            "primary_constructor_base_type" => base.field("type").unwrap_or(base),
                            _ => base,
                        };
                        self.sym.classes.entry(id).or_default().bases.push((base, ctx.clone()));
                    }
                }
                _ => {}
            }
        }
        let Some(body) = node.field("body") else { return };
        let mut cursor = body.walk();
        let members: Vec<Node<'t>> = body.named_children(&mut cursor).collect();
        for m in &members {
            match m.kind() {
                "field_declaration" | "event_field_declaration" => {
                    let mut c = m.walk();
                    let decl = m.named_children(&mut c).find(|k| k.kind() == "variable_declaration");
                    let Some(decl) = decl else { continue };
                    let t = decl.field("type");
                    let observable = self.observable(*m);
                    for d in self.declarators(decl) {
                        let Some(n) = d.field("name") else { continue };
                        let field = self.core.text_at(n);
                        // `[ObservableProperty] private string _url = "..";`: also the property
                        // the MVVM Toolkit generates from it (`Url`).
                        let generated = observable.then(|| generated_property(field)).flatten();
                        for name in std::iter::once(field).chain(generated.as_deref()) {
                            if let Some(t) = t.filter(|t| t.kind() != "implicit_type") {
                                self.sym.bind_attr(id, name, 0, Bind::Annot(t, inner.clone()));
                            }
                            if let Some(v) = Self::declarator_value(d) {
                                self.sym.bind_attr(id, name, v.start_byte(), Bind::Expr(v, inner.clone()));
                            }
                        }
                    }
                }
                "property_declaration" => {
                    let Some(n) = m.field("name") else { continue };
                    let name = self.core.text_at(n);
                    if let Some(t) = m.field("type") {
                        self.sym.bind_attr(id, name, 0, Bind::Annot(t, inner.clone()));
                    }
                    // `{ get; } = value` and `=> value`.
                    if let Some(v) = m.field("value") {
                        let v = if v.kind() == "arrow_expression_clause" { v.named_child(0).unwrap_or(v) } else { v };
                        self.sym.bind_attr(id, name, v.start_byte(), Bind::Expr(v, inner.clone()));
                    }
                }
                "method_declaration" => {
                    if let Some(n) = m.field("name") {
                        let name = self.text(n).to_string();
                        self.sym.classes.entry(id).or_default().methods.insert(name, *m);
                    }
                }
                _ => {}
            }
        }
        for m in members {
            let mut c = m.walk();
            let decl = m.named_children(&mut c).find(|k| k.kind() == "variable_declaration");
            // A field of a service type (`Kernel _kernel`) reads what the project registers,
            // as a parameter of that type does, whatever the constructor assigns.
            let service = decl.and_then(|d| d.field("type")).is_some_and(|t| SERVICES.contains(&self.type_name(t)));
            if m.kind() == "field_declaration" && !service {
                // Lambdas and object creations in initialisers. A field is a member of the
                // class (bound above), not a name of the class's scope: bound there, it would
                // hide what the class's methods assign to it (`_http = new HttpClient { .. }`
                // in the constructor, read in another method).
                for d in decl.map(|d| self.declarators(d)).unwrap_or_default() {
                    if let Some(v) = Self::declarator_value(d) {
                        self.collect(v, &inner);
                    }
                }
            } else if matches!(m.kind(), "field_declaration" | "property_declaration") {
                self.collect_children(m, &inner);
            } else {
                self.collect(m, &inner);
            }
        }
    }

    /// Whether a field declaration carries CommunityToolkit.Mvvm's `[ObservableProperty]`.
    fn observable(&self, decl: Node<'t>) -> bool {
        let mut cursor = decl.walk();
        let lists: Vec<Node<'t>> = decl.named_children(&mut cursor).filter(|c| c.kind() == "attribute_list").collect();
        lists.into_iter().any(|l| {
            let mut c = l.walk();
            let attrs: Vec<Node<'t>> = l.named_children(&mut c).filter(|a| a.kind() == "attribute").collect();
            attrs.into_iter().filter_map(|a| a.field("name")).any(|n| {
                let n = self.text(n).rsplit('.').next().unwrap_or_default();
                matches!(n, "ObservableProperty" | "ObservablePropertyAttribute")
            })
        })
    }

    /// The parameters of a `parameter_list` that have a default value: name and value.
    fn parameter_defaults(&self, params: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
        let mut out = Vec::new();
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor).filter(|p| p.kind() == "parameter") {
            let (Some(n), t) = (p.field("name"), p.field("type")) else { continue };
            let mut c = p.walk();
            let value = p
                .named_children(&mut c)
                .filter(|k| k.id() != n.id() && Some(k.id()) != t.map(|t| t.id()))
                .find(|k| !matches!(k.kind(), "attribute_list" | "modifier" | "preproc_if_in_attribute_list"));
            if let Some(v) = value {
                out.push((self.text(n), v));
            }
        }
        out
    }

    /// The typed parameters of a `parameter_list`: name and type.
    fn parameters(&self, params: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
        let mut out = Vec::new();
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor).filter(|p| p.kind() == "parameter") {
            if let (Some(n), Some(t)) = (p.field("name"), p.field("type")) {
                out.push((self.text(n), t));
            }
        }
        out
    }

    fn collect_function(&mut self, node: Node<'t>, ctx: &Ctx) {
        let inner = ctx.enter(node.id());
        let annotation = node.field("returns").or(node.field("type")).map(|t| (t, ctx.clone()));
        self.sym.funcs.insert(node.id(), FuncInfo { returns: Vec::new(), annotation, class: ctx.class });
        if let Some(n) = node.field("name") {
            let name = self.core.text_at(n);
            self.callers.def(name, node);
            if node.kind() == "local_function_statement" {
                self.core.sym.bind(ctx, name, 0, Bind::Func(node));
            }
            // `: this(SkClientBuilder.Build(config), ...)`: a call of the class's constructors,
            // evaluated among this constructor's parameters.
            let mut cursor = node.walk();
            let init = node.named_children(&mut cursor).find(|c| c.kind() == "constructor_initializer");
            if let Some(init) = init.filter(|i| self.text(*i).trim_start_matches(':').trim_start().starts_with("this"))
            {
                let mut c = init.walk();
                let args = init.named_children(&mut c).find(|a| a.kind() == "argument_list");
                if let Some(args) = args {
                    self.callers.call(name, args, &inner);
                }
            }
        }
        if let Some(params) = node.field("parameters") {
            // An untyped lambda parameter (`client => client.X()`) shadows the names outside:
            // bound to itself, it has no value.
            let mut cursor = params.walk();
            let untyped: Vec<Node<'t>> = match params.kind() {
                "implicit_parameter" => vec![params],
                _ => params
                    .named_children(&mut cursor)
                    .filter(|p| p.kind() == "parameter" && p.field("type").is_none())
                    .filter_map(|p| p.field("name"))
                    .collect(),
            };
            for n in untyped {
                let name = self.core.text_at(n);
                self.core.sym.bind(&inner, name, 0, Bind::Expr(n, inner.clone()));
            }
            if params.kind() == "parameter_list" {
                for (name, t) in self.parameters(params) {
                    self.core.sym.bind(&inner, name, 0, Bind::Annot(t, ctx.clone()));
                }
                // `string url = "https://api.openai.com"`: what a caller that leaves it out gives.
                for (name, v) in self.parameter_defaults(params) {
                    self.core.sym.bind(&inner, name, 0, Bind::Expr(v, ctx.clone()));
                }
            }
        }
        if let Some(body) = node.field("body") {
            if node.kind() == "lambda_expression" && body.kind() != "block" {
                if let Some(f) = self.sym.funcs.get_mut(&node.id()) {
                    f.returns.push((body, inner.clone()));
                }
            }
            self.collect(body, &inner);
        }
    }

    /// What the other files of the project may read: the static members (and, through an
    /// instance, the members) of the file's types that hold or return a vendor's client
    /// (`Utils.CreateChatClient()`, `SkClientBuilder.BuildChatClient()`).
    fn exports(&self, out: &mut FileOutput) {
        if self.project.is_none() {
            return;
        }
        let mut found = Vec::new();
        for (t, class) in &self.types {
            found.extend(self.type_exports(t, *class, true));
            found.extend(self.type_exports(t, *class, false));
        }
        self.export_vendor_paths(found, out);
    }

    // ---------------------------------------------------------------- lowering helpers

    /// For `x.M(...)` where `M` is an extension method the rules name under a namespace the
    /// file uses: `x`, the receiver that is its first argument.
    fn extension_receiver(&self, f: Node<'t>) -> Option<Node<'t>> {
        if f.kind() != "member_access_expression" {
            return None;
        }
        let name = self.method_name(f.field("name")?);
        self.extension(name)?;
        f.field("expression")
    }

    /// The static path of extension method `name`, if a used namespace declares it.
    fn extension(&self, name: &str) -> Option<Path> {
        self.namespaces.iter().map(|n| n.member(name)).find(|p| self.known.exact.contains(&p.dotted(p.0.len())))
    }

    /// A registration for injection (`builder.Services.AddOpenAIChatClient(...)`,
    /// `services.AddSingleton<IChatClient>(sp => ...)`, `AddChatClient(client)`), exported for
    /// the classes of the project that ask for the service ([`super::SERVICE`]). A connector
    /// registration the rules name registers Semantic Kernel's and Microsoft.Extensions.AI's
    /// service types (which of them answers a call is decided by the operation matched).
    fn export_registration(&self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) {
        let Some(f) = node.field("function").filter(|f| f.kind() == "member_access_expression") else {
            return;
        };
        let Some(name_node) = f.field("name") else { return };
        if self.adds_to(node).is_some() {
            let v = self.registered(node, ctx, 0);
            for key in SERVICES {
                self.export_service(key, v.clone(), out);
            }
            return;
        }
        let name = self.method_name(name_node);
        let key = match name {
            "AddChatClient" | "AddKeyedChatClient" => Some("IChatClient"),
            "AddEmbeddingGenerator" | "AddKeyedEmbeddingGenerator" => Some("IEmbeddingGenerator"),
            _ if DI_METHODS.contains(&name) => None,
            _ => return,
        };
        // `AddSingleton<IChatClient>(...)`: the type argument names the service.
        let type_arg = (name_node.kind() == "generic_name")
            .then(|| name_node.named_child(1))
            .flatten()
            .and_then(|l| l.named_child(0));
        let Some(args) = node.field("arguments") else { return };
        // `builder.AddOpenAIClient("chat").AddChatClient()`: what it is called on, registered
        // as the Microsoft.Extensions.AI service it adapts to (as `AsIChatClient()` does).
        let on_receiver = key.is_some() && self.args_of(args).0.iter().all(|(_, v)| self.string_lit(*v).is_some());
        let Some(value) = (if on_receiver {
            f.field("expression")
        } else {
            self.args_of(args).0.pop().map(|(_, v)| v).or_else(|| f.field("expression"))
        }) else {
            return;
        };
        // `AddSingleton(new OpenAIClient(key))`: the instance's type names the service.
        let constructed = (value.kind() == "object_creation_expression")
            .then(|| value.field("type"))
            .flatten()
            .map(|t| self.type_name(t));
        let Some(key) = key.or_else(|| type_arg.map(|t| self.type_name(t))).or(constructed) else { return };
        // A factory `sp => expr` (or `sp => { ...; return expr; }`) registers what it returns.
        let mut registered = match value.field("body").filter(|_| value.kind() == "lambda_expression") {
            Some(b) if b.kind() == "block" => {
                let returns = self.sym.funcs.get(&value.id()).map(|f| f.returns.clone()).unwrap_or_default();
                self.best(returns.iter().map(|(n, c)| self.resolve(*n, c, 0)))
            }
            Some(b) => self.resolve(b, ctx, 0),
            None => self.resolve(value, ctx, 0),
        };
        if on_receiver {
            let marker = self.rules().passthrough_marker("Microsoft.Extensions.AI.AsIChatClient");
            if let (Some(Val::Path(p)), Some(marker)) = (&registered, marker) {
                if !p.0.iter().any(|s| s.name.starts_with('@')) {
                    registered = Some(Val::Path(p.member(&marker)));
                }
            }
        }
        for (t, base) in BASE_TYPES {
            if key == t {
                self.export_service(base, registered.clone(), out);
            }
        }
        self.export_service(key, registered, out);
    }

    /// A variable declared as a service type and given a client (`IChatClient chat = new
    /// AzureOpenAIClient(...).GetChatClient(d).AsIChatClient();`) is what the program passes to
    /// the classes that ask for the service (`new TicketSummarizer(chat)`, a base class's
    /// `IChatClient` field a subclass sets): exported as a registration of that service, which
    /// [`super::SERVICE`] lookups take only within the project, and, when several files of it
    /// register one, only in each file's own.
    fn export_declared(&self, node: Node<'t>, ctx: &Ctx, out: &mut FileOutput) {
        let Some(t) = node.child_by_field_name("type") else { return };
        let key = self.type_name(t);
        if !SERVICES.contains(&key) {
            return;
        }
        for d in self.declarators(node) {
            let Some(v) = Self::declarator_value(d) else { continue };
            // `useAzure ? Utils.CreateAzureClient(e).AsChatClient(d) : new OllamaApiClient(uri)`:
            // each branch, as the program may take either.
            let values = match self.shape(v, ctx) {
                Shape::Either(alts) => alts,
                _ => vec![v],
            };
            for v in values {
                match self.resolve(v, ctx, 0) {
                    // A helper of another file of the project (`Utils.CreateAzureClient(e)`) is
                    // read where the registration is used, after every file.
                    Some(Val::Path(p)) if self.project.as_ref().is_some_and(|h| p.0.first() == h.0.first()) => {
                        out.exports.push((format!("{}{key}", super::SERVICE), p));
                    }
                    value => self.export_service(key, value, out),
                }
            }
        }
    }

    /// A type's name as a service is asked for: `IChatClient` of `Microsoft.Extensions.AI.IChatClient`,
    /// `IEmbeddingGenerator` of `IEmbeddingGenerator<string, Embedding<float>>`.
    fn type_name(&self, t: Node<'t>) -> &'t str {
        match t.kind() {
            "qualified_name" => t.field("name").map_or("", |n| self.type_name(n)),
            "generic_name" => t.named_child(0).map_or("", |i| self.text(i)),
            "nullable_type" => t.field("type").map_or("", |n| self.type_name(n)),
            _ => self.text(t),
        }
    }

    /// `Name` of `Name` or `Name<T>`.
    fn method_name(&self, n: Node<'t>) -> &'t str {
        match n.kind() {
            "generic_name" => n.named_child(0).map_or("", |i| self.text(i)),
            _ => self.text(n),
        }
    }

    /// The declared type a target-typed `new(...)` builds: of the variable, field, property or
    /// parameter default it initialises, or of the method it is returned from.
    fn target_type(&self, node: Node<'t>) -> Option<Node<'t>> {
        let mut cur = node.parent()?;
        for _ in 0..4 {
            match cur.kind() {
                // `_api = new(auth);`: the type the assigned field or local is declared with.
                "assignment_expression" => {
                    let left = cur.field("left")?;
                    let name = match left.kind() {
                        "identifier" => left,
                        "member_access_expression" if left.field("expression").is_some_and(|e| e.kind() == "this") => {
                            left.field("name")?
                        }
                        _ => return None,
                    };
                    return self.declared_type(self.text(name), cur);
                }
                "variable_declarator" => {
                    let decl = cur.parent()?;
                    return decl.field("type").filter(|t| t.kind() != "implicit_type");
                }
                "property_declaration" | "parameter" => return cur.field("type"),
                "equals_value_clause" | "arrow_expression_clause" | "parenthesized_expression" => {}
                "return_statement" => {
                    let mut f = cur.parent();
                    while let Some(n) = f {
                        if FUNCTIONS.contains(&n.kind()) {
                            return n.field("returns").or(n.field("type"));
                        }
                        f = n.parent();
                    }
                    return None;
                }
                _ => return None,
            }
            cur = cur.parent()?;
        }
        None
    }

    /// The type a local declared before `at` in an enclosing block, or a field or property
    /// of the enclosing type, is declared with (not `var`).
    fn declared_type(&self, name: &str, at: Node<'t>) -> Option<Node<'t>> {
        let declares = |decl: Node<'t>| {
            let t = decl.field("type").filter(|t| t.kind() != "implicit_type")?;
            let named =
                self.declarators(decl).into_iter().any(|d| d.field("name").is_some_and(|n| self.text(n) == name));
            named.then_some(t)
        };
        let variables = |n: Node<'t>| {
            let mut c = n.walk();
            let found = n.named_children(&mut c).find(|k| k.kind() == "variable_declaration");
            found
        };
        let mut cur = at.parent();
        while let Some(scope) = cur {
            let mut c = scope.walk();
            let members: Vec<Node<'t>> = scope.named_children(&mut c).collect();
            let found = match scope.kind() {
                "block" => members
                    .into_iter()
                    .filter(|m| m.kind() == "local_declaration_statement" && m.start_byte() < at.start_byte())
                    .find_map(|m| declares(variables(m)?)),
                "declaration_list" => members.into_iter().find_map(|m| match m.kind() {
                    "field_declaration" => declares(variables(m)?),
                    "property_declaration" if m.field("name").is_some_and(|n| self.text(n) == name) => m.field("type"),
                    _ => None,
                }),
                _ => None,
            };
            if found.is_some() || matches!(scope.kind(), "declaration_list") {
                return found;
            }
            cur = scope.parent();
        }
        None
    }

    /// A call node's callee, its argument node (the argument list of an invocation, the
    /// creation itself for `new`, whose initializer also holds arguments) and whether it is
    /// a `new`.
    fn call_of(&self, node: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>, bool)> {
        match node.kind() {
            "invocation_expression" => Some((node.field("function")?, node.field("arguments"), false)),
            "object_creation_expression" => Some((node.field("type")?, Some(node), true)),
            "implicit_object_creation_expression" => Some((self.target_type(node)?, Some(node), true)),
            _ => None,
        }
    }

    /// The argument list and initializer of an argument node ([`Self::call_of`]).
    fn arg_parts(&self, args: Node<'t>) -> (Option<Node<'t>>, Option<Node<'t>>) {
        match args.kind() {
            "argument_list" => (Some(args), None),
            "object_creation_expression" => (args.field("arguments"), args.field("initializer")),
            "implicit_object_creation_expression" => {
                let mut cursor = args.walk();
                let kids: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
                let list = kids.iter().find(|k| k.kind() == "argument_list").copied();
                (list, kids.into_iter().find(|k| k.kind() == "initializer_expression"))
            }
            _ => (None, None),
        }
    }

    /// The arguments (named ones with their name) and the initializer entries (`Prop = v`)
    /// of an argument node.
    fn args_of(&self, args: Node<'t>) -> (Vec<Arg<'t>>, Vec<(&'t str, Node<'t>)>) {
        let (list, init) = self.arg_parts(args);
        let mut out = Vec::new();
        if let Some(list) = list {
            let mut cursor = list.walk();
            for a in list.named_children(&mut cursor).filter(|a| a.kind() == "argument") {
                let name = a.field("name").map(|n| self.text(n));
                let mut c = a.walk();
                let value = a.named_children(&mut c).filter(|k| Some(*k) != a.field("name")).last();
                if let Some(v) = value {
                    out.push((name, v));
                }
            }
        }
        let mut entries = Vec::new();
        if let Some(init) = init {
            let mut cursor = init.walk();
            for e in init.named_children(&mut cursor).filter(|e| e.kind() == "assignment_expression") {
                if let (Some(l), Some(r)) = (e.field("left"), e.field("right")) {
                    if l.kind() == "identifier" {
                        entries.push((self.text(l), r));
                    }
                }
            }
        }
        (out, entries)
    }

    /// The keywords an options object passed as an argument gives (`new OpenAIClientOptions
    /// { Endpoint = new Uri(url) }`, inline or through a local), unless it is itself a client.
    fn options_keywords(&self, v: Node<'t>, ctx: &Ctx, depth: u32, out: &mut CallArgs) {
        // The file's budget bounds the depth, not a small constant: a call reached through a
        // local (`var chat = new OpenAIClient(key, options).GetChatClient(m); chat.CompleteChat(..)`)
        // reads its options several levels below the construction itself.
        if !self.sym.budget.step(depth) {
            return;
        }
        match v.kind() {
            "object_creation_expression" | "implicit_object_creation_expression" => {
                if let Some(Val::Path(p)) = self.resolve(v, ctx, depth + 1) {
                    if super::matcher::client_behind(self.rules, LANG, &p).is_some() {
                        return;
                    }
                }
                for (k, value) in self.args_of(v).1 {
                    let value = self.arg_value(value, ctx, depth + 1, true);
                    out.keywords.push((k.to_string(), value));
                }
            }
            "identifier" => {
                let name = self.text(v);
                let found = self.lookup(name, ctx, v.start_byte()).into_iter().find_map(|b| match &b.bind {
                    Bind::Expr(n, c) if n.start_byte() > v.end_byte() || n.end_byte() < v.start_byte() => {
                        Some((*n, c.clone()))
                    }
                    _ => None,
                });
                if let Some((n, c)) = found {
                    self.options_keywords(n, &c, depth + 1, out);
                    // Properties set on it between its making and this use.
                    let sets = self.member_sets.iter().filter(|(o, _, r)| {
                        *o == name && r.start_byte() > n.end_byte() && r.end_byte() < v.start_byte()
                    });
                    for (_, k, value) in sets {
                        let value = self.arg_value(*value, &c, depth + 1, true);
                        out.keywords.push((k.to_string(), value));
                    }
                }
            }
            _ => {}
        }
    }

    /// `new Uri("...")`, `new System.Uri(...)`, `new UriBuilder(url)`: its string argument.
    fn uri_arg(&self, v: Node<'t>) -> Option<Node<'t>> {
        let written = match v.kind() {
            "object_creation_expression" => v.field("type"),
            "implicit_object_creation_expression" => self.target_type(v),
            _ => None,
        };
        let args = self.args_of(v).0;
        match written.map(|t| self.type_name(t)) {
            Some("Uri" | "System.Uri") => {}
            // (`new UriBuilder(scheme, host, ..)` names no URL.)
            Some("UriBuilder" | "System.UriBuilder") if args.len() == 1 => {}
            _ => return None,
        }
        args.first().map(|(_, n)| *n)
    }

    /// The URL a `UriBuilder` gives (`builder.Uri`, `builder.Uri.ToString()`,
    /// `builder.Uri.AbsoluteUri`, `builder.ToString()`, System.UriBuilder): the URL it was
    /// made from, with the `Path` the same method set on it before (`if (builder.Path == "/")
    /// builder.Path = "/v1/chat/completions";`) or its initializer sets (`new UriBuilder(url) {
    /// Path = ".." }`) in place of that URL's path. Also a `Uri`'s own string
    /// (`uri.AbsoluteUri`, `uri.ToString()`).
    fn uri_builder_url(&self, v: Node<'t>) -> Option<Pieces<'t>> {
        let object = match v.kind() {
            "member_access_expression" => {
                let name = self.text(v.field("name")?);
                matches!(name, "Uri" | "AbsoluteUri" | "OriginalString").then(|| v.field("expression"))??
            }
            "invocation_expression" => {
                let f = v.field("function").filter(|f| f.kind() == "member_access_expression")?;
                let empty = v.field("arguments").is_some_and(|a| a.named_child_count() == 0);
                (empty && f.field("name").is_some_and(|n| self.text(n) == "ToString"))
                    .then(|| f.field("expression"))??
            }
            _ => return None,
        };
        let path = match object.kind() {
            "identifier" => self.member_set_named(self.text(object), "Path", v),
            "object_creation_expression" | "implicit_object_creation_expression" => {
                self.args_of(object).1.into_iter().find(|(k, _)| *k == "Path").map(|(_, n)| n)
            }
            _ => None,
        };
        Some(match path {
            Some(path) => Pieces::Url(path, Some(object)),
            None => Pieces::Inner(object),
        })
    }

    /// `new HttpRequestMessage(HttpMethod.Post, url)`, `new HttpRequestMessage { RequestUri =
    /// new Uri(url), .. }`: the URL it is sent to (rules/http.toml `[[request_object]]`,
    /// [`http::request_object`]), so that `httpClient.SendAsync(request)` reads as a request to it.
    fn request_uri(&self, v: Node<'t>) -> Option<Node<'t>> {
        let written = match v.kind() {
            "object_creation_expression" => v.field("type").map(|t| self.type_name(t)),
            "implicit_object_creation_expression" => self.target_type(v).map(|t| self.type_name(t)),
            _ => None,
        }?;
        let object = http::request_object(self.rules, LANG, written)?;
        let (args, entries) = self.args_of(v);
        let named = object.url_keyword.as_deref().and_then(|k| args.iter().find(|(n, _)| *n == Some(k)));
        let positional = args.iter().filter(|(k, _)| k.is_none()).nth(object.url_position);
        let set = object.url_setter.as_deref().and_then(|k| entries.iter().find(|(n, _)| *n == k));
        named.or(positional).map(|(_, n)| *n).or_else(|| set.map(|(_, n)| *n))
    }

    /// A local holding a `new Uri(...)` (`var endpoint = new Uri(url); new OpenAIClient(endpoint,
    /// key)`): its argument, as [`Self::uri_arg`].
    fn uri_local(&self, v: Node<'t>, ctx: &Ctx) -> Option<Node<'t>> {
        if v.kind() != "identifier" {
            return None;
        }
        let binds = self.sym.lookup(self.text(v), ctx, v.start_byte());
        match &binds.first().filter(|b| b.pos < v.start_byte())?.bind {
            Bind::Expr(n, _) => self.uri_arg(*n),
            _ => None,
        }
    }

    /// Whether callee `f` is a static method of a type named as written (`Urls.Complete`):
    /// a member of a capitalised name that no scope binds.
    fn static_call(&self, f: Node<'t>) -> bool {
        let Some(o) = f.field("expression").filter(|_| f.kind() == "member_access_expression") else { return false };
        let name = self.text(o);
        o.kind() == "identifier"
            && name.starts_with(|c: char| c.is_ascii_uppercase())
            && self.sym.unbound_everywhere(name)
    }

    /// `string.Empty` (`String.Empty`, `System.String.Empty`): the empty string, which a
    /// request relative to an `HttpClient`'s `BaseAddress` often names
    /// (`client.PostAsync(string.Empty, content)` requests the base address itself).
    fn empty_string(&self, v: Node<'t>) -> Option<String> {
        let spelt = v.kind() == "member_access_expression"
            && matches!(self.text(v), "string.Empty" | "String.Empty" | "System.String.Empty");
        spelt.then(String::new)
    }

    /// A configuration key read (`configuration["OpenAI:Endpoint"]`,
    /// `config.GetValue<string>("OpenAI:Endpoint")`, `GetConnectionString("openai")`).
    fn config_key(&self, n: Node<'t>) -> Option<String> {
        let configish = |o: Node<'t>| {
            let t = self.text(o).to_ascii_lowercase();
            t.contains("config") || t.contains("settings") || t.ends_with("section")
        };
        match n.kind() {
            "element_access_expression" => {
                let object = n.field("expression")?;
                let sub = n.field("subscript")?;
                if !configish(object) {
                    return None;
                }
                let key = sub.named_child(0)?.named_child(0)?;
                self.string_lit(key)
            }
            "invocation_expression" => {
                let f = n.field("function")?;
                if f.kind() != "member_access_expression" || !configish(f.field("expression")?) {
                    return None;
                }
                let name = self.method_name(f.field("name")?);
                if !matches!(name, "GetValue" | "GetConnectionString" | "GetSection") {
                    return None;
                }
                let (args, _) = self.args_of(n.field("arguments")?);
                self.string_lit(args.first()?.1)
            }
            _ => None,
        }
    }

    // ---------------------------------------------------------------- pass 2: findings

    fn visit(&mut self, node: Node<'t>, ctx: &Ctx, served: Option<&str>, out: &mut FileOutput) {
        let mut served = served.map(str::to_string);
        let mut inner = None;
        let kind = node.kind();
        match kind {
            "using_directive" => return self.import_finding(node, out),
            "comment" | "preproc_region" | "preproc_endregion" | "preproc_pragma" => return,
            "invocation_expression" | "object_creation_expression" | "implicit_object_creation_expression" => {
                let before = (out.findings.len(), out.pending.len());
                if let Some(s) = self.call_findings(node, ctx, out) {
                    served = Some(s);
                }
                if kind == "invocation_expression" && before == (out.findings.len(), out.pending.len()) {
                    self.marked_request(node, ctx, out);
                }
                self.export_registration(node, ctx, out);
                if let Some(name) = self.env_read(node, ctx, 0) {
                    if let Some(e) = emit::env(self.rules, &name) {
                        self.emit(out, node, e);
                    }
                }
            }
            "string_literal" | "verbatim_string_literal" | "raw_string_literal" => {
                return self.string_findings(node, served.as_deref(), out)
            }
            "variable_declaration" => self.export_declared(node, ctx, out),
            _ if TYPES.contains(&kind) => {
                let mut c = ctx.enter(node.id());
                c.class = Some(node.id());
                c.self_name = None;
                inner = Some(c);
            }
            _ if FUNCTIONS.contains(&kind) => inner = Some(ctx.enter(node.id())),
            _ => {}
        }
        let ctx = inner.as_ref().unwrap_or(ctx);
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.visit(child, ctx, served.as_deref(), out);
        }
    }

    /// A request to a configured endpoint (`$"{this._endpoint}/v1/messages"`) that reported
    /// nothing, whose headers say whose API it speaks: a vendor's own header (`anthropic-version`)
    /// or its credential header on an operation's path ([`http::marked`]). Only a call of an
    /// HTTP library's request method (`SendAsync`, `PostAsync`) is read.
    fn marked_request(&self, call: Node<'t>, ctx: &Ctx, out: &mut FileOutput) {
        let Some(f) = call.field("function").filter(|f| f.kind() == "member_access_expression") else { return };
        let Some(name) = f.field("name") else { return };
        if !http::request_like(self.text(name)) {
            return;
        }
        let Some(Val::Path(p)) = self.resolve(f, ctx, 0) else { return };
        let headers = self.request_headers(call, ctx);
        if headers.is_empty() {
            return;
        }
        let args = call.field("arguments").map(|a| self.call_args(a, ctx, 0, &p)).unwrap_or_default();
        let Some(path) = p.called(args) else { return };
        if let Some(e) = http::marked(self.rules, LANG, &path, &headers) {
            self.emit(out, call, e);
        }
    }

    /// The header names (lower case) set where `call` sends its request: `X.Headers.Add(name,
    /// ..)` or `TryAddWithoutValidation` in the method that sends it and in the methods of its
    /// class that method calls (`AddApiKeyHeader(request, key)`), and the class's client
    /// defaults (`_http.DefaultRequestHeaders.Add(name, ..)`, usually in its constructor).
    fn request_headers(&self, call: Node<'t>, ctx: &Ctx) -> Vec<String> {
        let up = |kinds: &[&str]| {
            let mut cur = call.parent();
            while let Some(n) = cur.filter(|n| !kinds.contains(&n.kind())) {
                cur = n.parent();
            }
            cur
        };
        let (Some(method), Some(class)) =
            (up(&["method_declaration", "constructor_declaration", "local_function_statement"]), up(&TYPES))
        else {
            return Vec::new();
        };
        let mut headers = Vec::new();
        let mut called = Vec::new();
        self.header_adds(method, false, ctx, &mut headers, &mut called);
        let mut cursor = class.walk();
        let body = class.field("body");
        let members: Vec<Node<'t>> = body.map(|b| b.named_children(&mut cursor).collect()).unwrap_or_default();
        for m in members {
            let helper = m.kind() == "method_declaration"
                && m.field("name").is_some_and(|n| called.contains(&self.text(n)))
                && m.id() != method.id();
            let mut ignored = Vec::new();
            self.header_adds(m, !helper, ctx, &mut headers, &mut ignored);
        }
        headers.sort();
        headers.dedup();
        headers
    }

    /// The header names `node` adds (only a client's `DefaultRequestHeaders` with `defaults`),
    /// and the names of the methods of the class it calls unqualified, walked without recursion.
    /// A header added in one branch of a choice (`if (type == "Anthropic") { ..
    /// "anthropic-version" .. } else { .. Bearer .. }`, a `switch` section) marks one provider
    /// of several, not the request: it is left out.
    fn header_adds(&self, node: Node<'t>, defaults: bool, ctx: &Ctx, out: &mut Vec<String>, called: &mut Vec<&'t str>) {
        let mut stack = vec![(node, false)];
        let mut seen = 0;
        while let Some((n, chosen)) = stack.pop() {
            seen += 1;
            if seen > 20_000 {
                break;
            }
            if n.kind() == "invocation_expression" && !chosen {
                match n.field("function") {
                    Some(f) if f.kind() == "identifier" => called.push(self.text(f)),
                    Some(f) if f.kind() == "member_access_expression" => {
                        let adds =
                            f.field("name").is_some_and(|m| matches!(self.text(m), "Add" | "TryAddWithoutValidation"));
                        let on = f.field("expression").and_then(|e| e.field("name")).map(|h| self.text(h));
                        let headers = if defaults {
                            on == Some("DefaultRequestHeaders")
                        } else {
                            matches!(on, Some("Headers" | "DefaultRequestHeaders"))
                        };
                        if adds && headers {
                            let first = n.field("arguments").and_then(|a| self.args_of(a).0.first().map(|(_, v)| *v));
                            if let Some(h) = first.and_then(|a| self.string_value(a, ctx, 0)) {
                                out.push(h.to_ascii_lowercase());
                            }
                        }
                    }
                    _ => {}
                }
            }
            let choice = match n.kind() {
                "if_statement" => n.field("alternative").is_some(),
                "switch_section" | "switch_expression_arm" | "conditional_expression" => true,
                _ => false,
            };
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor).map(|c| (c, chosen || choice)));
        }
    }

    fn import_finding(&self, node: Node<'t>, out: &mut FileOutput) {
        let Some((_, target)) = self.using_parts(node) else { return };
        if let Some((sdk, _)) = self.rules.sdk_for_module(LANG, &target) {
            self.emit(out, node, emit::import(self.rules, LANG, &sdk.vendor, &target));
        }
    }

    fn string_findings(&self, node: Node<'t>, served: Option<&str>, out: &mut FileOutput) {
        // Attribute arguments (`[Description("...")]`) and configuration keys are not values.
        if node.parent().and_then(|p| p.parent()).is_some_and(|p| p.kind() == "attribute_argument_list") {
            return;
        }
        let Some(content) = self.string_lit(node) else { return };
        let in_context = self.in_model_context(node);
        for e in emit::literal(self.rules, &content, Some(&content), in_context, served) {
            self.emit(out, node, e);
        }
    }

    /// A literal is clearly a model name as a `model:`-like named argument or initializer
    /// entry (`Model = "..."`, `modelId: "..."`, `deploymentName: "..."`), the first argument
    /// of a `*Model*`/`Get*Client` method, or the value of a variable or constant named so.
    fn in_model_context(&self, node: Node<'t>) -> bool {
        let Some(parent) = node.parent() else { return false };
        let name = match parent.kind() {
            "argument" => parent.field("name").map(|n| self.text(n)).or_else(|| {
                let call = parent.parent()?.parent()?;
                let f = call.field("function")?;
                let n = if f.kind() == "member_access_expression" { f.field("name")? } else { f };
                Some(self.method_name(n))
                    .filter(|n| n.starts_with("Get") && n.ends_with("Client") || n.contains("Model"))
            }),
            "variable_declarator" => parent.field("name").map(|n| self.text(n)),
            "assignment_expression" => parent.field("left").map(|n| self.text(n)),
            _ => None,
        };
        name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.contains("model") || n.contains("deployment") || (n.starts_with("get") && n.ends_with("client"))
        })
    }
}

/// The text of a C# string literal (regular, verbatim `@"..."` or raw `"""..."""`), common
/// escapes decoded.
fn string_text(node: Node<'_>, src: &str) -> String {
    let text = &src[node.byte_range()];
    match node.kind() {
        "verbatim_string_literal" => text.trim_start_matches('@').trim_matches('"').replace("\"\"", "\""),
        "raw_string_literal" => {
            let mut cursor = node.walk();
            let s = node
                .named_children(&mut cursor)
                .filter(|c| c.kind() == "raw_string_content")
                .map(|c| &src[c.byte_range()])
                .collect::<String>();
            s
        }
        _ => {
            let mut s = String::new();
            let mut cursor = node.walk();
            for c in node.named_children(&mut cursor) {
                let t = &src[c.byte_range()];
                match c.kind() {
                    "string_literal_content" => s.push_str(t),
                    "escape_sequence" => s.push_str(match t {
                        "\\n" => "\n",
                        "\\t" => "\t",
                        "\\\"" => "\"",
                        "\\\\" => "\\",
                        other => other,
                    }),
                    _ => {}
                }
            }
            s
        }
    }
}

// -------------------------------------------------------------------- the lowering

impl<'t> Front<'t> for Analyzer<'t> {
    fn core(&self) -> &Core<'t> {
        &self.core
    }

    fn sym_mut(&mut self) -> &mut Symbols<'t> {
        &mut self.core.sym
    }

    fn lines(&self) -> &LineIndex {
        &self.core.lines
    }

    fn shape(&self, node: Node<'t>, _ctx: &Ctx) -> Shape<'t> {
        let field = |f: &'static str| node.field(f);
        let inner = |n: Option<Node<'t>>| n.map_or(Shape::Unknown, Shape::Inner);
        match node.kind() {
            "identifier" => Shape::Name(self.text(node)),
            "generic_name" => node.named_child(0).map_or(Shape::Unknown, |n| Shape::Name(self.text(n))),
            "this" => Shape::This,
            "base" => Shape::Super,
            "qualified_name" => match (field("qualifier"), field("name")) {
                (Some(q), Some(n)) => Shape::Member(q, self.method_name(n)),
                _ => Shape::Unknown,
            },
            "member_access_expression" => match (field("expression"), field("name")) {
                // An extension method is a static call: the receiver is its first argument.
                (Some(_), Some(n)) if self.extension(self.method_name(n)).is_some() => Shape::Name(self.method_name(n)),
                (Some(o), Some(n)) => Shape::Member(o, self.method_name(n)),
                _ => Shape::Unknown,
            },
            // `client?.Method()`: the condition's member.
            "conditional_access_expression" => {
                let binding = node.named_child(1).filter(|b| b.kind() == "member_binding_expression");
                match (field("condition"), binding.and_then(|b| b.field("name"))) {
                    (Some(o), Some(n)) => Shape::Member(o, self.method_name(n)),
                    _ => Shape::Unknown,
                }
            }
            "invocation_expression" | "object_creation_expression" | "implicit_object_creation_expression" => {
                match self.call_of(node) {
                    Some((callee, args, new)) => Shape::Call { callee, args, new, chain: Vec::new() },
                    None => Shape::Unknown,
                }
            }
            "nullable_type" => inner(field("type")),
            "parenthesized_expression" | "await_expression" | "postfix_unary_expression" => inner(node.named_child(0)),
            "cast_expression" => inner(field("value")),
            "conditional_expression" => match (field("consequence"), field("alternative")) {
                (Some(a), Some(b)) => Shape::Either(vec![a, b]),
                _ => Shape::Unknown,
            },
            "binary_expression" if field("operator").is_some_and(|o| self.text(o) == "??") => {
                match (field("left"), field("right")) {
                    (Some(a), Some(b)) => Shape::Either(vec![a, b]),
                    _ => Shape::Unknown,
                }
            }
            "lambda_expression" | "anonymous_method_expression" => Shape::Function(node),
            _ => Shape::Unknown,
        }
    }

    fn text_shape(&self, v: Node<'t>, ctx: &Ctx) -> Text<'t> {
        let field = |f: &'static str| v.field(f);
        if let Some(s) = self.string_lit(v).or_else(|| self.empty_string(v)) {
            return Text::Lit(s);
        }
        if let Some(a) = self.uri_arg(v).or_else(|| self.request_uri(v)) {
            // (A `UriBuilder` given its `Path` is read as a pattern: [`Self::pieces`].)
            if self.args_of(v).1.iter().any(|(k, _)| *k == "Path") && self.uri_arg(v).is_some() {
                return Text::Unknown;
            }
            return Text::Inner(a);
        }
        if let Some(Pieces::Inner(o)) = self.uri_builder_url(v) {
            return Text::Inner(o);
        }
        match v.kind() {
            "parenthesized_expression" => v.named_child(0).map_or(Text::Unknown, Text::Inner),
            "binary_expression" => match (field("operator").map(|o| self.text(o)), field("left"), field("right")) {
                (Some("+"), Some(l), Some(r)) => Text::Concat(l, r),
                (Some("??"), Some(_), Some(r)) => Text::Fallback(r),
                _ => Text::Unknown,
            },
            "conditional_expression" => match (field("consequence"), field("alternative")) {
                (Some(a), Some(b)) => Text::Either(a, b),
                _ => Text::Unknown,
            },
            // A property or field of the class read without `this.` (`new UriBuilder(Url)`).
            "identifier" => {
                let name = self.text(v);
                let declares =
                    ctx.class.and_then(|c| self.sym.classes.get(&c)).is_some_and(|i| i.attrs.contains_key(name));
                if declares && self.sym.lookup(name, ctx, v.start_byte()).is_empty() {
                    Text::Field(name)
                } else {
                    Text::Name(name, v.start_byte())
                }
            }
            "member_access_expression" => match (field("expression"), field("name")) {
                (Some(o), Some(f)) if o.kind() == "this" => Text::Field(self.text(f)),
                (Some(o), Some(f)) => self.member_set_before(o, f, v).map_or(Text::Unknown, Text::Fallback),
                _ => Text::Unknown,
            },
            // `options?.Address`.
            "conditional_access_expression" => {
                let binding = v.named_child(1).filter(|b| b.kind() == "member_binding_expression");
                match (field("condition"), binding.and_then(|b| b.field("name"))) {
                    (Some(o), Some(f)) => self.member_set_before(o, f, v).map_or(Text::Unknown, Text::Fallback),
                    _ => Text::Unknown,
                }
            }
            _ => Text::Unknown,
        }
    }

    fn pieces(&self, v: Node<'t>) -> Pieces<'t> {
        let field = |f: &'static str| v.field(f);
        if let Some(s) = self.string_lit(v).or_else(|| self.empty_string(v)) {
            return Pieces::Parts(vec![Piece::Text(s)]);
        }
        if let Some(a) = self.uri_arg(v).or_else(|| self.request_uri(v)) {
            // `new UriBuilder(url) { Path = "/v1/chat/completions" }`: that path on the URL.
            let path = self.args_of(v).1.into_iter().find(|(k, _)| *k == "Path").map(|(_, n)| n);
            return match path.filter(|_| self.uri_arg(v).is_some()) {
                Some(path) => Pieces::Url(path, Some(a)),
                None => Pieces::Inner(a),
            };
        }
        if let Some(p) = self.uri_builder_url(v) {
            return p;
        }
        match v.kind() {
            // `$"{baseUrl}/chat/completions"`.
            "interpolated_string_expression" => {
                let mut parts = Vec::new();
                let mut cursor = v.walk();
                for c in v.named_children(&mut cursor) {
                    match c.kind() {
                        "string_content" => parts.push(Piece::Text(self.text(c).to_string())),
                        // `{expr,align:format}`: the expression, between its braces (named
                        // `interpolation_brace` nodes, so not the first named child).
                        "interpolation" => {
                            let mut inner = c.walk();
                            let expr = c.named_children(&mut inner).find(|e| e.kind() != "interpolation_brace");
                            parts.push(Piece::Hole(expr));
                        }
                        _ => {}
                    }
                }
                Pieces::Parts(parts)
            }
            "binary_expression" if field("operator").is_some_and(|o| self.text(o) == "+") => {
                match (field("left"), field("right")) {
                    (Some(l), Some(r)) => Pieces::Plus(l, r),
                    _ => Pieces::Unknown,
                }
            }
            "parenthesized_expression" => v.named_child(0).map_or(Pieces::Unknown, Pieces::Inner),
            // `root.EndsWith("/v1") ? $"{root}/{resource}" : $"{root}/v1/{resource}"`.
            "conditional_expression" => match (field("consequence"), field("alternative")) {
                (Some(a), Some(b)) => Pieces::Branches(vec![a, b]),
                _ => Pieces::Unknown,
            },
            "identifier" => Pieces::Name(self.text(v), v.start_byte()),
            // `string.Format(AddressTemplate, address, model)`: the composite format's items.
            "invocation_expression"
                if field("function").is_some_and(|f| {
                    matches!(self.text(f), "string.Format" | "String.Format" | "System.String.Format")
                }) =>
            {
                let args: Vec<Node<'t>> = field("arguments")
                    .map(|a| self.args_of(a).0.into_iter().filter(|(n, _)| n.is_none()).map(|(_, v)| v).collect())
                    .unwrap_or_default();
                match args.split_first() {
                    Some((format, rest)) => Pieces::Format(*format, rest.to_vec(), Style::Braces),
                    None => Pieces::Unknown,
                }
            }
            // A method of the class (`BuildWebsocketUri(key, "v1beta")`) may build the URL,
            // and so may a static method of a type (`AutoTranslateUrl.Complete(url, DefaultUrl)`).
            "invocation_expression" => match field("function") {
                Some(f) if f.kind() == "identifier" => Pieces::Call(f, field("arguments")),
                Some(f) if self.static_call(f) => Pieces::Call(f, field("arguments")),
                _ => Pieces::Unknown,
            },
            _ => Pieces::Unknown,
        }
    }

    /// The properties set on a local or parameter in the same method before the read
    /// (`var http = new HttpClient(); http.BaseAddress = new Uri(url);`), or on a field of
    /// the class (`_http`, `this._http`) in any of its methods.
    fn written_members(&self, obj: Node<'t>, ctx: &Ctx) -> Vec<(String, Node<'t>, Ctx)> {
        let field = match obj.kind() {
            "identifier" => {
                let name = self.text(obj);
                if self.declared_local(name, ctx, obj.start_byte()) {
                    let here = enclosing_function(obj);
                    return self
                        .member_sets
                        .iter()
                        .filter(|(o, _, r)| *o == name && r.end_byte() <= obj.start_byte())
                        .filter(|(_, _, r)| enclosing_function(*r) == here)
                        .map(|(_, f, r)| (f.to_string(), *r, ctx.clone()))
                        .collect();
                }
                name
            }
            "member_access_expression" if obj.field("expression").is_some_and(|t| t.kind() == "this") => {
                match obj.field("name") {
                    Some(n) => self.text(n),
                    None => return Vec::new(),
                }
            }
            _ => return Vec::new(),
        };
        let Some(class) = ctx.class else { return Vec::new() };
        self.field_sets
            .iter()
            .filter(|(c, f, ..)| *c == class && *f == field)
            .map(|(_, _, p, r, c)| (p.to_string(), *r, c.clone()))
            .collect()
    }

    fn params(&self, def: Node<'t>) -> Vec<&'t str> {
        match def.field("parameters") {
            Some(p) if p.kind() == "parameter_list" => self.parameters(p).into_iter().map(|(n, _)| n).collect(),
            _ => Vec::new(),
        }
    }

    fn arg_nodes(&self, args: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
        self.args_of(args).0
    }

    fn string_lit(&self, n: Node<'t>) -> Option<String> {
        matches!(n.kind(), "string_literal" | "verbatim_string_literal" | "raw_string_literal")
            .then(|| string_text(n, self.src))
    }

    /// `ChatClient`, `OpenAI.Chat.ChatClient`, `ChatClient?`: an instance.
    fn annotation(&self, t: Node<'t>, ctx: &Ctx, depth: u32) -> Option<Val<'t>> {
        if !self.sym.budget.step(depth) {
            return None;
        }
        match t.kind() {
            "nullable_type" => self.annotation(t.field("type")?, ctx, depth + 1),
            "identifier" | "qualified_name" | "generic_name" => {
                let v = match self.resolve(t, ctx, depth + 1) {
                    Some(Val::Path(p)) => p.declared().map(Val::Path),
                    Some(Val::Class(c)) => Some(Val::Instance(c)),
                    None => self.project_type(t),
                    _ => None,
                };
                self.injected(self.type_name(t), v, SERVICES, ctx.class)
            }
            _ => None,
        }
    }

    /// Positional and named arguments, the initializer's entries as keywords, the keywords
    /// of options objects passed, and a positional `new Uri(...)` as the keyword `Uri`.
    fn call_args(&self, args: Node<'t>, ctx: &Ctx, depth: u32, callee: &Path) -> CallArgs {
        let mut out = CallArgs::default();
        let objects = self.is_vendor_path(callee);
        let (list, entries) = self.args_of(args);
        for (name, a) in list {
            let value = self.arg_value(a, ctx, depth, objects);
            match name {
                Some(k) => out.keywords.push((k.to_string(), value)),
                None if self.uri_arg(a).or_else(|| self.uri_local(a, ctx)).is_some() => {
                    out.keywords.push(("Uri".to_string(), value.clone()));
                    // An endpoint whose value is not known is still an endpoint (`first_arg =
                    // ["System.Uri"]`: Azure.AI.OpenAI 1.x's `new OpenAIClient(new Uri(e), cred)`).
                    let value = match value {
                        ArgValue::Dynamic => self
                            .module_root("System.Uri")
                            .called(CallArgs::default())
                            .map_or(ArgValue::Dynamic, ArgValue::Path),
                        v => v,
                    };
                    out.positional.push(value);
                }
                None => out.positional.push(value),
            }
            self.options_keywords(a, ctx, depth, &mut out);
        }
        for (k, v) in entries {
            let value = self.arg_value(v, ctx, depth, true);
            out.keywords.push((k.to_string(), value));
            self.options_keywords(v, ctx, depth, &mut out);
        }
        out
    }

    /// `Environment.GetEnvironmentVariable("X")`; a configuration key read is a value set at
    /// run time under that key ([`Analyzer::config_key`]).
    fn env_read(&self, n: Node<'t>, _ctx: &Ctx, _depth: u32) -> Option<String> {
        if let Some(key) = self.config_key(n) {
            return Some(key);
        }
        if n.kind() != "invocation_expression" {
            return None;
        }
        let f = n.field("function")?;
        let name = match f.kind() {
            "member_access_expression" => {
                let object = self.text(f.field("expression")?);
                if !matches!(object, "Environment" | "System.Environment") {
                    return None;
                }
                self.method_name(f.field("name")?)
            }
            _ => return None,
        };
        if name != "GetEnvironmentVariable" {
            return None;
        }
        let (args, _) = self.args_of(n.field("arguments")?);
        self.string_lit(args.first()?.1)
    }

    fn module_root(&self, spec: &str) -> Path {
        Path(spec.split('.').map(|s| Seg { name: s.trim().to_string(), call: None }).collect())
    }

    fn is_getter(&self, _method: Node<'t>) -> bool {
        false
    }

    /// `(agent, tools)`: the items of a tuple literal (a named item's value).
    fn tuple_items(&self, n: Node<'t>) -> Vec<Node<'t>> {
        if n.kind() != "tuple_expression" {
            return Vec::new();
        }
        let mut cursor = n.walk();
        let items: Vec<Node<'t>> = n
            .named_children(&mut cursor)
            .filter(|a| a.kind() == "argument")
            .filter_map(|a| a.named_child(a.named_child_count().saturating_sub(1)))
            .collect();
        items
    }

    /// A name no scope binds: a field, property or method of the enclosing class (or an
    /// outer one), else a name the rules know under a namespace the file uses, else the root
    /// of a fully qualified SDK name (`OpenAI.Chat.ChatClient`).
    fn unbound(&self, name: &str, ctx: &Ctx) -> Option<Val<'t>> {
        if let Some(v) = self.enclosing_member(name, ctx) {
            return Some(v);
        }
        // Of the used namespaces that declare it, the shortest: with `using Azure.AI.OpenAI;`
        // and `using OpenAI;`, `OpenAIClient` is `OpenAI.OpenAIClient` (Azure.AI.OpenAI 2.x
        // has none; 1.x files use no `OpenAI` namespace).
        let found = self
            .namespaces
            .iter()
            .map(|n| n.member(name))
            .filter(|p| self.known.prefixes.contains(&p.dotted(p.0.len())))
            .min_by_key(|p| p.0.len());
        if let Some(p) = found {
            return Some(Val::Path(p));
        }
        if self.known.prefixes.contains(name) {
            return Some(Val::Path(self.module_root(name)));
        }
        // A type another file of the project declares (`SkClientBuilder.BuildChatClient(...)`,
        // `Utils.CreateChatClient()`): read through what that file exports.
        let project = self.project.as_ref()?;
        let static_use = name.starts_with(|c: char| c.is_ascii_uppercase()) && self.static_receivers.contains(name);
        (static_use && self.sym.unbound_everywhere(name)).then(|| Val::Path(project.member(name)))
    }

    /// The first argument; of an extension method, the receiver.
    fn first_arg(&self, args: Node<'t>) -> Option<Node<'t>> {
        let receiver = args
            .parent()
            .filter(|c| c.kind() == "invocation_expression")
            .and_then(|c| c.field("function"))
            .and_then(|f| self.extension_receiver(f));
        receiver.or_else(|| self.args_of(args).0.first().map(|(_, n)| *n))
    }

    fn call_parts(&self, call: Node<'t>) -> Option<(Node<'t>, Option<Node<'t>>)> {
        self.call_of(call).map(|(callee, args, _)| (callee, args))
    }

    /// `provider.GetRequiredService<IChatClient>()` (and `GetService`, the keyed forms):
    /// Microsoft.Extensions.DependencyInjection's service locator, asked for a type.
    fn located(&self, call: Node<'t>) -> Option<&'t str> {
        let f = call.field("function").filter(|_| call.kind() == "invocation_expression")?;
        let name = f.field("name").filter(|n| n.kind() == "generic_name")?;
        let method = self.method_name(name);
        if !matches!(method, "GetRequiredService" | "GetService" | "GetRequiredKeyedService" | "GetKeyedService") {
            return None;
        }
        let t = name.named_child(1)?.named_child(0)?;
        Some(self.type_name(t))
    }

    /// A registration extension method the rules name (`builder.AddOpenAIChatCompletion(...)`,
    /// `services.AddAzureOpenAIChatClient(...)`): .NET's `Add*` registrations return the
    /// builder they are called on, which keeps its earlier registrations.
    fn adds_to(&self, call: Node<'t>) -> Option<Node<'t>> {
        let f = call.field("function").filter(|_| call.kind() == "invocation_expression")?;
        let name = self.method_name(f.field("name")?);
        if !name.starts_with("Add") {
            return None;
        }
        self.extension_receiver(f)
    }

    /// A call on a receiver nothing in the file resolves: see `common::infer_operation`.
    fn inferred_call(&mut self, node: Node<'t>, f: Node<'t>, out: &mut FileOutput) -> Option<String> {
        if node.kind() != "invocation_expression" || f.kind() != "member_access_expression" {
            return None;
        }
        let mut names: Vec<&'t str> = Vec::new();
        let mut cur = f;
        for _ in 0..16 {
            match cur.kind() {
                "member_access_expression" => {
                    names.push(self.method_name(cur.field("name")?));
                    cur = cur.field("expression")?;
                }
                "invocation_expression" => cur = cur.field("function")?,
                "await_expression" | "parenthesized_expression" => cur = cur.named_child(0)?,
                _ => break,
            }
        }
        let base = if cur.kind() == "identifier" { self.text(cur) } else { "" };
        names.reverse();
        // A type name is no receiver.
        if base.starts_with(|c: char| c.is_ascii_uppercase()) && !base.starts_with('_') {
            return None;
        }
        let llm_shaped = node.field("arguments").is_some_and(|a| {
            let t = self.text(a);
            ["model", "messages", "Model", "Messages", "prompt"].iter().any(|k| t.contains(k))
        });
        let built: Vec<String> = self.sym.clients.iter().map(|(d, _)| d.clone()).collect();
        let (def, op) = common::infer_operation(self.rules, LANG, &names, base, out, &built, llm_shaped)?;
        self.emit(out, node, emit::inferred_call(self.rules, def, op));
        Some(def.vendor.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_global_usings_and_project_usings() {
        let text = "global using System; // why\nglobal using static Azure.AI.OpenAI.X;\nglobal using Sk = Microsoft.SemanticKernel;\nusing OpenAI;\n  <Using Include=\"Microsoft.SemanticKernel\" />\n";
        assert_eq!(global_usings(text), ["System", "Azure.AI.OpenAI.X", "Microsoft.SemanticKernel"]);
    }
}
