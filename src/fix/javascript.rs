//! JavaScript and TypeScript rewrites on the tree-sitter tree: `new OpenAI({...})` gets
//! `baseURL: process.env.VAR ?? "<today's URL>"`, LangChain's `new ChatOpenAI({...})` the
//! same inside `configuration: { baseURL }`, and `model: "..."` properties of a call's
//! options become a module-level `const MODEL_X = process.env.LOCKIN_MODEL_X ?? "..."`.

use super::edit::{self, Edit};
use super::{base_url_env, calls_at, items, plain_literal, shown, text_of, Answers, Change, Request};
use crate::finding::Finding;
use crate::lang::FileKind;
use std::collections::HashMap;
use tree_sitter::{Node, Parser, Tree};

/// How a constructor takes its base URL.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// openai-node `ClientOptions.baseURL`.
    BaseUrl,
    /// @langchain/openai `ChatOpenAIFields.configuration` (the OpenAI `ClientOptions`).
    Configuration,
}

const CONSTRUCTORS: &[(&str, Shape)] = &[
    ("openai.default", Shape::BaseUrl),
    ("openai.OpenAI", Shape::BaseUrl),
    // `const OpenAI = require("openai")`: the CommonJS module is the class.
    ("openai", Shape::BaseUrl),
    ("@langchain/openai.ChatOpenAI", Shape::Configuration),
];

/// Properties whose string is a model name chosen at a call site.
const MODEL_KEYS: &[&str] = &["model", "modelName"];

fn parse(text: &str, kind: FileKind) -> Option<Tree> {
    let lang: tree_sitter::Language = match kind {
        FileKind::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        FileKind::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        _ => tree_sitter_javascript::LANGUAGE.into(),
    };
    let mut p = Parser::new();
    p.set_language(&lang).expect("grammar matches the tree-sitter ABI");
    p.parse(text, None)
}

pub(crate) fn rewrite<'f>(req: &Request<'_, 'f>) -> Answers<'f> {
    let text = req.text;
    let tree = parse(text, req.kind).ok_or("not rewritten: the parser gave up")?;
    if let Some(why) = super::syntax_error(&tree) {
        return Err(why);
    }
    let root = tree.root_node();
    let module = Module::read(root, text);
    let q = super::quote_of(root, text);
    let nl = edit::newline(text);
    let mut out = Vec::new();
    for site in &req.clients {
        let answer = client(req, root, &module, site.finding, site.at, q).map(|c| c.into_iter().collect());
        out.push((site.finding, answer));
    }
    let declare = |name: &str, env: &str, literal: &str| format!("const {name} = process.env.{env} ?? {literal};");
    let settings = super::Settings {
        at: module.constants_at,
        assigned: &module.assigned,
        nl,
        needs: Vec::new(),
        declare: &declare,
    };
    for site in &req.models {
        let Some((string, literal)) = model_property(root, text, site.at) else { continue };
        if let Some(change) = super::lift(site.finding, string, literal, &settings) {
            out.push((site.finding, Ok(vec![change])));
        }
    }
    Ok(out)
}

fn client(
    req: &Request<'_, '_>,
    root: Node<'_>,
    module: &Module,
    finding: &Finding,
    at: usize,
    q: char,
) -> Result<Option<Change>, String> {
    let text = req.text;
    let found = calls_at(root, at, &["new_expression"]).into_iter().find_map(|call| {
        let callee = call.child_by_field_name("constructor")?;
        let path = module.canonical(&super::dotted(callee, text, "member_expression", "property")?)?;
        CONSTRUCTORS.iter().find(|(c, _)| *c == path).map(|(_, shape)| (call, callee, *shape))
    });
    let Some((call, callee, shape)) = found else { return Ok(None) };
    let class = text_of(callee, text);
    let Some(args) = call.child_by_field_name("arguments") else {
        return Err(format!("left alone: `new {class}` has no argument list"));
    };
    let var = base_url_env(req.rules, &finding.vendor);
    let default = super::OPENAI_DEFAULT_BASE_URL;
    let env_read = |literal: &str| format!("process.env.{var} ?? {literal}");
    let new_property = match shape {
        Shape::BaseUrl => format!("baseURL: {}", env_read(&format!("{q}{default}{q}"))),
        Shape::Configuration => format!("configuration: {{ baseURL: {} }}", env_read(&format!("{q}{default}{q}"))),
    };
    let change = |description: String, edits: Vec<Edit>| Change {
        fingerprint: finding.fingerprint.clone(),
        line: finding.line,
        column: finding.column,
        description,
        edits,
        shared: Vec::new(),
    };
    let added = || format!("give `{class}` a base URL read from {var}, defaulting to the SDK's {default}");
    let list = items(args);
    let options = match list.as_slice() {
        [] if finding.vendor == "openai" => {
            let edits = vec![Edit::insert(args.start_byte() + 1, format!("{{ {new_property} }}"))];
            return Ok(Some(change(added(), edits)));
        }
        [] => return Err(format!("left alone: served by {} without a base URL option", finding.vendor)),
        [o, ..] if o.kind() == "object" => *o,
        [o, ..] => {
            return Err(format!("left alone: its options are `{}`, not an object literal", shown(text_of(*o, text))))
        }
    };
    let (object, key) = match shape {
        Shape::BaseUrl => (options, "baseURL"),
        Shape::Configuration => match property(options, text, "configuration")? {
            Some(c) if c.kind() == "object" => (c, "baseURL"),
            Some(c) => return Err(format!("left alone: its configuration comes from `{}`", shown(text_of(c, text)))),
            None => (options, "configuration"),
        },
    };
    match property(object, text, key)? {
        Some(value) if key == "baseURL" => {
            let literal = text_of(value, text);
            if !matches!(value.kind(), "string" | "template_string") || plain_literal(literal).is_none() {
                return Err(format!("left alone: its base URL comes from `{}`, not a literal", shown(literal)));
            }
            let edits = vec![Edit { start: value.start_byte(), end: value.end_byte(), text: env_read(literal) }];
            Ok(Some(change(format!("read the base URL of `{class}` from {var}, defaulting to {literal}"), edits)))
        }
        Some(_) => unreachable!("`configuration` is looked up before `baseURL`"),
        None if finding.vendor != "openai" => {
            Err(format!("left alone: served by {} without a base URL option", finding.vendor))
        }
        None => {
            let item = if key == "configuration" {
                new_property
            } else {
                format!("baseURL: {}", env_read(&format!("{q}{default}{q}")))
            };
            let props = items(object);
            let ranges: Vec<(usize, usize)> = props.iter().map(|n| (n.start_byte(), n.end_byte())).collect();
            let edits = edit::append_item(text, object.start_byte(), object.end_byte() - 1, &ranges, &item, true);
            Ok(Some(change(added(), edits)))
        }
    }
}

/// The value of property `key` of an object literal; an error when a spread may set it.
fn property<'t>(object: Node<'t>, text: &str, key: &str) -> Result<Option<Node<'t>>, String> {
    let mut found = None;
    for p in items(object) {
        match p.kind() {
            "spread_element" => {
                return Err(format!(
                    "left alone: its options spread `{}`, which may set the base URL",
                    shown(text_of(p, text))
                ))
            }
            "pair" => {
                let Some(k) = p.child_by_field_name("key") else { continue };
                let name = match k.kind() {
                    "string" => plain_literal(text_of(k, text)).unwrap_or_default(),
                    _ => text_of(k, text),
                };
                if name == key {
                    found = p.child_by_field_name("value");
                }
            }
            "shorthand_property_identifier" if text_of(p, text) == key => {
                return Err(format!("left alone: its `{key}` comes from a variable of the same name"));
            }
            _ => {}
        }
    }
    Ok(found)
}

/// The string of a `model: "..."` property of an object passed to a call, with its text.
fn model_property<'t>(root: Node<'t>, text: &'t str, at: usize) -> Option<(Node<'t>, &'t str)> {
    let mut string = root.descendant_for_byte_range(at, at)?;
    while !matches!(string.kind(), "string" | "template_string") {
        string = string.parent().filter(|p| p.start_byte() == at)?;
    }
    let pair = string.parent().filter(|p| p.kind() == "pair")?;
    if pair.child_by_field_name("value") != Some(string) {
        return None;
    }
    let key = pair.child_by_field_name("key")?;
    let key = match key.kind() {
        "string" => plain_literal(text_of(key, text))?,
        _ => text_of(key, text),
    };
    let in_call = pair.parent().and_then(|o| o.parent()).is_some_and(|a| a.kind() == "arguments");
    let literal = text_of(string, text);
    (MODEL_KEYS.contains(&key) && in_call && plain_literal(literal).is_some()).then_some((string, literal))
}

/// Imports (bound name -> module path), top-level constants, and where constants go.
struct Module {
    imports: HashMap<String, String>,
    assigned: Vec<String>,
    constants_at: usize,
}

impl Module {
    fn read(root: Node<'_>, text: &str) -> Module {
        let mut m = Module { imports: HashMap::new(), assigned: Vec::new(), constants_at: 0 };
        let mut first_statement = None;
        let mut last_import_end = None;
        let mut cursor = root.walk();
        for child in root.named_children(&mut cursor) {
            match child.kind() {
                "comment" | "hash_bang_line" => continue,
                "expression_statement" if first_statement.is_none() && is_directive(child) => continue,
                "import_statement" => {
                    m.import(child, text);
                    last_import_end = Some(super::next_line(text, child.end_byte()));
                }
                "lexical_declaration" | "variable_declaration" => {
                    let requires = m.declaration(child, text);
                    if requires {
                        last_import_end = Some(super::next_line(text, child.end_byte()));
                    }
                }
                "export_statement" => {
                    if let Some(d) = child.child_by_field_name("declaration") {
                        m.declaration(d, text);
                    }
                }
                _ => {}
            }
            first_statement.get_or_insert(child.start_byte());
        }
        m.constants_at = last_import_end.or(first_statement).unwrap_or(text.len());
        m
    }

    fn import(&mut self, stmt: Node<'_>, text: &str) {
        let Some(source) = stmt.child_by_field_name("source").and_then(|s| plain_literal(text_of(s, text))) else {
            return;
        };
        let mut c = stmt.walk();
        let Some(clause) = stmt.named_children(&mut c).find(|n| n.kind() == "import_clause") else { return };
        let mut c = clause.walk();
        for part in clause.named_children(&mut c) {
            match part.kind() {
                "identifier" => {
                    self.imports.insert(text_of(part, text).into(), format!("{source}.default"));
                }
                "namespace_import" => {
                    let mut c = part.walk();
                    let id = part.named_children(&mut c).find(|n| n.kind() == "identifier");
                    if let Some(id) = id {
                        self.imports.insert(text_of(id, text).into(), source.into());
                    }
                }
                "named_imports" => {
                    let mut c = part.walk();
                    for spec in part.named_children(&mut c).filter(|n| n.kind() == "import_specifier") {
                        let Some(name) = spec.child_by_field_name("name") else { continue };
                        let bound = spec.child_by_field_name("alias").unwrap_or(name);
                        self.imports.insert(text_of(bound, text).into(), format!("{source}.{}", text_of(name, text)));
                    }
                }
                _ => {}
            }
        }
    }

    /// `const X = require("m")`, `const { A, B: C } = require("m")`, and top-level names;
    /// whether the declaration requires a module.
    fn declaration(&mut self, decl: Node<'_>, text: &str) -> bool {
        let mut requires = false;
        let mut c = decl.walk();
        for d in decl.named_children(&mut c).filter(|n| n.kind() == "variable_declarator") {
            let Some(name) = d.child_by_field_name("name") else { continue };
            if name.kind() == "identifier" {
                self.assigned.push(text_of(name, text).into());
            }
            let required = d.child_by_field_name("value").filter(|v| v.kind() == "call_expression").and_then(|v| {
                let f = v.child_by_field_name("function")?;
                let args = v.child_by_field_name("arguments")?;
                let arg = args.named_child(0)?;
                (text_of(f, text) == "require").then(|| plain_literal(text_of(arg, text)))?
            });
            let Some(module) = required else { continue };
            requires = true;
            match name.kind() {
                "identifier" => {
                    self.imports.insert(text_of(name, text).into(), module.into());
                }
                "object_pattern" => {
                    let mut c = name.walk();
                    for p in name.named_children(&mut c) {
                        match p.kind() {
                            "shorthand_property_identifier_pattern" => {
                                let n = text_of(p, text);
                                self.imports.insert(n.into(), format!("{module}.{n}"));
                            }
                            "pair_pattern" => {
                                let (Some(k), Some(v)) = (p.child_by_field_name("key"), p.child_by_field_name("value"))
                                else {
                                    continue;
                                };
                                self.imports.insert(text_of(v, text).into(), format!("{module}.{}", text_of(k, text)));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        requires
    }

    fn canonical(&self, dotted: &str) -> Option<String> {
        super::canonical(&self.imports, dotted)
    }
}

/// `"use strict";` and other directive prologue strings.
fn is_directive(node: Node<'_>) -> bool {
    node.named_child(0).is_some_and(|s| s.kind() == "string")
}
