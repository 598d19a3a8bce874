//! Python rewrites on the tree-sitter-python tree: `OpenAI(...)`, `AsyncOpenAI(...)` and
//! LangChain's `ChatOpenAI(...)` get `base_url=os.environ.get(VAR, "<today's URL>")`
//! (`import os` added when the module has none), and `model="..."` arguments become a
//! module-level `MODEL_X = os.environ.get("LOCKIN_MODEL_X", "...")`.

use super::edit::{self, Edit};
use super::{base_url_env, calls_at, items, plain_literal, shown, text_of, Answers, Change, Request};
use crate::finding::Finding;
use std::collections::HashMap;
use tree_sitter::{Node, Parser, Tree};

/// The constructors rewritten and the keyword arguments that carry their base URL:
/// openai-python `OpenAI.__init__(*, base_url=...)`; langchain-openai `ChatOpenAI`'s
/// `openai_api_base` field has the alias `base_url`.
const CONSTRUCTORS: &[(&str, &[&str])] = &[
    ("openai.OpenAI", &["base_url"]),
    ("openai.AsyncOpenAI", &["base_url"]),
    ("langchain_openai.ChatOpenAI", &["base_url", "openai_api_base"]),
    ("langchain_openai.chat_models.ChatOpenAI", &["base_url", "openai_api_base"]),
    ("langchain_community.chat_models.ChatOpenAI", &["base_url", "openai_api_base"]),
];

/// Keyword arguments whose string is a model name chosen at a call site.
const MODEL_KEYWORDS: &[&str] = &["model", "model_name"];

fn parse(text: &str) -> Option<Tree> {
    let mut p = Parser::new();
    p.set_language(&tree_sitter_python::LANGUAGE.into()).expect("tree-sitter-python matches the tree-sitter ABI");
    p.parse(text, None)
}

pub(crate) fn rewrite<'f>(req: &Request<'_, 'f>) -> Answers<'f> {
    let text = req.text;
    let tree = parse(text).ok_or("not rewritten: the parser gave up")?;
    if let Some(why) = super::syntax_error(&tree) {
        return Err(why);
    }
    let root = tree.root_node();
    let module = Module::read(root, text);
    let q = super::quote_of(root, text);
    let nl = edit::newline(text);
    let (os, os_edit) = match &module.os {
        Some(name) => (name.clone(), None),
        None => ("os".to_string(), Some(Edit::insert(module.import_at, format!("import os{nl}")))),
    };
    let mut out = Vec::new();
    for site in &req.clients {
        let answer = client(req, root, &module, site.finding, site.at, &os, q).map(|c| {
            c.map(|mut c| {
                c.shared.extend(os_edit.clone());
                vec![c]
            })
            .unwrap_or_default()
        });
        out.push((site.finding, answer));
    }
    let declare = |name: &str, env: &str, literal: &str| format!("{name} = {os}.environ.get({q}{env}{q}, {literal})");
    let settings = super::Settings {
        at: module.constants_at,
        assigned: &module.assigned,
        nl,
        needs: os_edit.iter().cloned().collect(),
        declare: &declare,
    };
    for site in &req.models {
        let Some((string, literal)) = model_argument(root, text, site.at) else { continue };
        if let Some(change) = super::lift(site.finding, string, literal, &settings) {
            out.push((site.finding, Ok(vec![change])));
        }
    }
    Ok(out)
}

/// The rewrite of one client construction: `Ok(None)` when the finding is not at a
/// construction this codemod knows (nothing to say), `Err` with the reason it is left alone.
fn client(
    req: &Request<'_, '_>,
    root: Node<'_>,
    module: &Module,
    finding: &Finding,
    at: usize,
    os: &str,
    q: char,
) -> Result<Option<Change>, String> {
    let text = req.text;
    let found = calls_at(root, at, &["call"]).into_iter().find_map(|call| {
        let callee = call.child_by_field_name("function")?;
        let path = module.canonical(&super::dotted(callee, text, "attribute", "attribute")?)?;
        CONSTRUCTORS.iter().find(|(c, _)| *c == path).map(|(_, keys)| (call, path, *keys))
    });
    let Some((call, path, keys)) = found else { return Ok(None) };
    let class = path.rsplit('.').next().unwrap_or_default();
    let Some(args) = call.child_by_field_name("arguments").filter(|a| a.kind() == "argument_list") else {
        return Err(format!("left alone: `{class}` is not called with an argument list"));
    };
    let list = items(args);
    if list.iter().any(|a| matches!(a.kind(), "list_splat" | "dictionary_splat")) {
        return Err(format!(
            "left alone: `{class}` takes arguments spread from elsewhere (`*`/`**`), which may set the base URL"
        ));
    }
    let keyword = list.iter().find_map(|a| {
        let name = a.child_by_field_name("name")?;
        (a.kind() == "keyword_argument" && keys.contains(&text_of(name, text)))
            .then(|| a.child_by_field_name("value"))?
    });
    let base = |vendor: &str| finding_base(req, vendor);
    match keyword {
        Some(value) => {
            let literal = text_of(value, text);
            if value.kind() != "string" || plain_literal(literal).is_none() {
                return Err(format!("left alone: its base URL comes from `{}`, not a literal", shown(literal)));
            }
            let var = base(&finding.vendor);
            Ok(Some(Change {
                fingerprint: finding.fingerprint.clone(),
                line: finding.line,
                column: finding.column,
                description: format!("read the base URL of `{class}` from {var}, defaulting to {literal}"),
                edits: vec![Edit {
                    start: value.start_byte(),
                    end: value.end_byte(),
                    text: format!("{os}.environ.get({q}{var}{q}, {literal})"),
                }],
                shared: Vec::new(),
            }))
        }
        None if finding.vendor != "openai" => {
            Err(format!("left alone: served by {} without a base URL argument", finding.vendor))
        }
        None => {
            let var = base("openai");
            let url = super::OPENAI_DEFAULT_BASE_URL;
            let mut read = format!("{os}.environ.get({q}{var}{q}, {q}{url}{q})");
            // langchain-openai reads OPENAI_API_BASE first (`openai_api_base` has
            // `default_factory=from_env("OPENAI_API_BASE")`), then the SDK OPENAI_BASE_URL.
            if path.starts_with("langchain") {
                read = format!("{os}.environ.get({q}OPENAI_API_BASE{q}, {read})");
            }
            let item = format!("base_url={read}");
            let edits = edit::append_item(text, args.start_byte(), args.end_byte() - 1, &ranges(&list), &item, false);
            Ok(Some(Change {
                fingerprint: finding.fingerprint.clone(),
                line: finding.line,
                column: finding.column,
                description: format!("give `{class}` a base URL read from {var}, defaulting to the SDK's {url}"),
                edits,
                shared: Vec::new(),
            }))
        }
    }
}

fn finding_base(req: &Request<'_, '_>, vendor: &str) -> String {
    base_url_env(req.rules, vendor)
}

fn ranges(list: &[Node<'_>]) -> Vec<(usize, usize)> {
    list.iter().map(|n| (n.start_byte(), n.end_byte())).collect()
}

/// The string of a `model="..."` keyword argument of a call starting at `at`, with its text.
fn model_argument<'t>(root: Node<'t>, text: &'t str, at: usize) -> Option<(Node<'t>, &'t str)> {
    let mut string = root.descendant_for_byte_range(at, at)?;
    while string.kind() != "string" {
        string = string.parent().filter(|p| p.start_byte() == at)?;
    }
    let keyword = string.parent().filter(|p| p.kind() == "keyword_argument")?;
    let name = text_of(keyword.child_by_field_name("name")?, text);
    let in_call = keyword.parent().is_some_and(|p| p.kind() == "argument_list");
    let literal = text_of(string, text);
    (MODEL_KEYWORDS.contains(&name) && in_call && plain_literal(literal).is_some()).then_some((string, literal))
}

/// What the codemod needs of a module: its imports (name -> dotted path), the name `os` is
/// bound to, names assigned at top level, and where to insert `import os` and constants.
struct Module {
    imports: HashMap<String, String>,
    os: Option<String>,
    assigned: Vec<String>,
    import_at: usize,
    constants_at: usize,
}

impl Module {
    fn read(root: Node<'_>, text: &str) -> Module {
        let mut m = Module { imports: HashMap::new(), os: None, assigned: Vec::new(), import_at: 0, constants_at: 0 };
        let mut first_statement = None;
        let mut last_import_end = None;
        let mut after_preamble = 0;
        let mut cursor = root.walk();
        for child in root.named_children(&mut cursor) {
            match child.kind() {
                "comment" => {}
                "future_import_statement" => after_preamble = super::next_line(text, child.end_byte()),
                // A docstring.
                "expression_statement" if first_statement.is_none() && is_docstring(child) => {
                    after_preamble = super::next_line(text, child.end_byte());
                }
                kind => {
                    if first_statement.is_none() {
                        first_statement = Some(child.start_byte());
                    }
                    if matches!(kind, "import_statement" | "import_from_statement") {
                        last_import_end = Some(super::next_line(text, child.end_byte()));
                    }
                    if kind == "expression_statement" {
                        if let Some(a) = child.named_child(0).filter(|a| a.kind() == "assignment") {
                            if let Some(left) = a.child_by_field_name("left").filter(|l| l.kind() == "identifier") {
                                m.assigned.push(text_of(left, text).to_string());
                            }
                        }
                    }
                }
            }
        }
        m.import_at = first_statement.unwrap_or(after_preamble.min(text.len()));
        m.constants_at = last_import_end.unwrap_or(m.import_at).min(text.len());
        m.collect_imports(root, text);
        m
    }

    /// Import statements anywhere in the module (inside `try:` too), iteratively.
    fn collect_imports(&mut self, root: Node<'_>, text: &str) {
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "import_statement" => {
                    let mut c = n.walk();
                    for name in n.children_by_field_name("name", &mut c) {
                        let (path, alias) = aliased(name, text);
                        if path == "os" && n.parent().is_some_and(|p| p.kind() == "module") {
                            self.os = Some(alias.clone().unwrap_or_else(|| "os".into()));
                        }
                        match alias {
                            Some(a) => self.imports.insert(a, path),
                            None => {
                                let first = path.split('.').next().unwrap_or_default().to_string();
                                self.imports.insert(first.clone(), first)
                            }
                        };
                    }
                }
                "import_from_statement" => {
                    let Some(module) = n.child_by_field_name("module_name") else { continue };
                    if module.kind() == "relative_import" {
                        continue;
                    }
                    let module = text_of(module, text);
                    let mut c = n.walk();
                    for name in n.children_by_field_name("name", &mut c) {
                        let (path, alias) = aliased(name, text);
                        let bound = alias.unwrap_or_else(|| path.clone());
                        self.imports.insert(bound, format!("{module}.{path}"));
                    }
                }
                "function_definition" | "class_definition" => {}
                _ => {
                    let mut c = n.walk();
                    stack.extend(n.named_children(&mut c));
                }
            }
        }
    }

    /// `openai.OpenAI` for `OpenAI` bound by `from openai import OpenAI`.
    fn canonical(&self, dotted: &str) -> Option<String> {
        super::canonical(&self.imports, dotted)
    }
}

/// `(dotted name, alias)` of an import's name node.
fn aliased(node: Node<'_>, text: &str) -> (String, Option<String>) {
    if node.kind() == "aliased_import" {
        let name = node.child_by_field_name("name").map(|n| text_of(n, text).to_string()).unwrap_or_default();
        let alias = node.child_by_field_name("alias").map(|n| text_of(n, text).to_string());
        (name, alias)
    } else {
        (text_of(node, text).to_string(), None)
    }
}

fn is_docstring(node: Node<'_>) -> bool {
    node.named_child(0).is_some_and(|s| s.kind() == "string")
}
