//! Rule examples: the file an example is written in, the line it points at, and the
//! examples of the per-vendor kind rules, generated from the vendor's own data (its first SDK
//! module and package, its first client constructor, model, host and variable) in the
//! language that SDK is for. Input: rule data; output: text. Nothing here scans; the test
//! `tests/rule_examples.rs` runs every example through the scanner.

use super::{ClientDef, RuleSet, Sdk, Vendor};
use crate::ecosystem::Ecosystem;
use crate::finding::Kind;

/// The file a source example of `e` is written in (`app.py`, `app.ts`, ...).
pub fn source_file(e: Ecosystem) -> &'static str {
    match e {
        Ecosystem::Python => "app.py",
        Ecosystem::JavaScript => "app.ts",
        Ecosystem::Rust => "main.rs",
        Ecosystem::Go => "main.go",
        Ecosystem::Java => "App.java",
        Ecosystem::CSharp => "Program.cs",
    }
}

/// The manifest a dependency example of `e` is written in.
pub fn manifest_file(e: Ecosystem) -> &'static str {
    match e {
        Ecosystem::Python => "requirements.txt",
        Ecosystem::JavaScript => "package.json",
        Ecosystem::Rust => "Cargo.toml",
        Ecosystem::Go => "go.mod",
        Ecosystem::Java => "pom.xml",
        Ecosystem::CSharp => "app.csproj",
    }
}

/// The language of a Markdown code fence for an example file (`python`, `toml`, ...).
pub fn fence(file: &str) -> &'static str {
    match file.rsplit_once('.').map_or(file, |(_, e)| e) {
        "py" => "python",
        "ts" => "typescript",
        "rs" => "rust",
        "go" | "mod" => "go",
        "java" => "java",
        "cs" => "csharp",
        "json" => "json",
        "toml" => "toml",
        "xml" | "csproj" => "xml",
        _ => "text",
    }
}

/// The 1-based line an example points at: its last line that is not only closing brackets,
/// a closing tag or a placeholder body (`}`, `});`, `</dependencies>`, `...`, `pass`, Go's
/// `_ = client`), so that a Go or Java example may close the function it needs and use its
/// variable, and a Python `with` have a body.
pub fn marked_line(example: &str) -> u32 {
    let lines: Vec<&str> = example.lines().collect();
    let closing = |l: &str| {
        let t = l.trim();
        t.starts_with("</")
            || t == "..."
            || t == "pass"
            || (t.starts_with("_ = ") && t[4..].chars().all(|c| c.is_alphanumeric() || c == '_'))
            || t.chars().all(|c| c.is_whitespace() || "})];,".contains(c))
    };
    let i = lines.iter().rposition(|l| !closing(l)).unwrap_or(0);
    i as u32 + 1
}

/// A generated example: its text and the file it is written in.
pub struct Example {
    /// The code.
    pub text: String,
    /// The file name (`app.py`, `package.json`).
    pub file: String,
}

impl Example {
    fn source(e: Ecosystem, text: String) -> Example {
        Example { text, file: source_file(e).to_string() }
    }
}

/// The example of a vendor's kind rule, or `None` when its data has nothing to show (the
/// secret rule shows the redacted form the reports print: a real key shape is not written
/// into documentation).
pub fn kind_example(rules: &RuleSet, v: &Vendor, kind: Kind) -> Option<Example> {
    let sdks: Vec<&Sdk> = rules.sdks.iter().filter(|s| s.vendor == v.id).collect();
    match kind {
        Kind::Import => {
            let s = sdks.iter().find(|s| !s.modules.is_empty())?;
            Some(Example::source(s.ecosystem, import(s.ecosystem, &s.modules[0])))
        }
        Kind::Dependency => {
            let s = sdks.iter().find(|s| !s.packages.is_empty())?;
            Some(Example {
                text: dependency(s.ecosystem, &s.packages[0]),
                file: manifest_file(s.ecosystem).to_string(),
            })
        }
        Kind::Client => {
            if let Some(c) = rules.clients.iter().find(|c| c.vendor == v.id && !c.constructors.is_empty()) {
                return Some(Example::source(c.ecosystem, construction(rules, c, "")));
            }
            // A vendor without a client of its own is named by a framework's model string
            // (`dspy.LM("groq/...")`), which makes a client of the vendor it names.
            let c = rules
                .clients
                .iter()
                .find(|c| c.vendor_from.is_some() && !c.constructors.is_empty() && rules.vendor(&c.vendor).is_none())?;
            let model = v.models.iter().find(|m| !m.contains(['*', '?', '/'])).map_or("model", String::as_str);
            Some(Example::source(c.ecosystem, construction(rules, c, &format!("\"{}/{model}\"", v.id))))
        }
        Kind::Model => {
            // A glob's wildcard stands for a version or size: the first spelling the vendor's
            // own globs name (`gpt-4o` of `gpt-4o*`, `gpt-4-1` of `gpt-4-*`).
            let name = v.models.iter().chain(&v.context_models).find_map(|m| {
                ["", "1", "latest"]
                    .into_iter()
                    .map(|w| m.replace('*', w).replace('?', "1"))
                    .find(|c| rules.vendor_for_model(c, true).is_some_and(|hit| hit.id == v.id))
            })?;
            Some(Example::source(Ecosystem::Python, format!("model = \"{name}\"")))
        }
        Kind::Endpoint => Some(Example::source(Ecosystem::Python, format!("BASE_URL = \"https://{}/v1\"", host(v)?))),
        Kind::Env => {
            let e = v.env.first()?;
            Some(Example::source(Ecosystem::Python, format!("import os\n\napi_key = os.environ[\"{e}\"]")))
        }
        Kind::Secret => Some(Example::source(Ecosystem::Python, "api_key = \"sk-proj-…[REDACTED]\"".to_string())),
        Kind::Call => None,
    }
}

/// A host of the vendor, its first without wildcards, else its first with each wildcard
/// standing for one label (`my-resource.openai.azure.com`).
fn host(v: &Vendor) -> Option<String> {
    v.hosts
        .iter()
        .find(|h| !h.contains(['*', '?']))
        .or(v.hosts.first())
        .map(|h| h.replace('*', "my-resource").replace('?', "1"))
}

/// `import openai`, `import * as sdk from "openai";`, ...
fn import(e: Ecosystem, module: &str) -> String {
    match e {
        Ecosystem::Python => format!("import {module}"),
        Ecosystem::JavaScript => format!("import * as sdk from \"{module}\";"),
        Ecosystem::Rust => format!("use {}::*;", module.replace('.', "::")),
        Ecosystem::Go => format!("package main\n\nimport \"{module}\""),
        Ecosystem::Java => format!("import {module}.*;"),
        Ecosystem::CSharp => format!("using {module};"),
    }
}

/// One manifest entry, with what the manifest needs around it.
fn dependency(e: Ecosystem, package: &str) -> String {
    match e {
        Ecosystem::Python => package.to_string(),
        Ecosystem::JavaScript => format!("{{ \"dependencies\": {{\n  \"{package}\": \"*\"\n}} }}"),
        Ecosystem::Rust => format!("[dependencies]\n{package} = \"*\""),
        Ecosystem::Go => format!("module example.com/app\n\nrequire {package} v1.0.0"),
        Ecosystem::Java => {
            let (g, a) = package.split_once(':').unwrap_or((package, package));
            format!("<dependencies>\n  <dependency><groupId>{g}</groupId><artifactId>{a}</artifactId></dependency>\n</dependencies>")
        }
        Ecosystem::CSharp => format!(
            "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>\n  <PackageReference Include=\"{package}\" Version=\"1.0.0\" />\n</ItemGroup></Project>"
        ),
    }
}

/// Import and construction of a client by its first constructor (`from openai import
/// OpenAI` / `client = OpenAI()`), with its required first argument if it has one, else `arg`.
fn construction(rules: &RuleSet, c: &ClientDef, arg: &str) -> String {
    let path = &c.constructors[0];
    let arg = c.first_arg.first().map_or_else(|| arg.to_string(), |a| format!("\"{a}\""));
    let module = module_of(rules, c.ecosystem, path);
    let rest = path.strip_prefix(module).map_or(path.as_str(), |r| r.trim_start_matches('.'));
    let head = rest.split('.').next().unwrap_or(rest);
    let called = |name: &str| {
        let new = name.rsplit('.').next().is_some_and(|l| l.starts_with(|c: char| c.is_ascii_uppercase()));
        (new, name.to_string())
    };
    match c.ecosystem {
        Ecosystem::Python => {
            if rest.is_empty() || !head.starts_with(|c: char| c.is_ascii_uppercase()) {
                let call = if rest.is_empty() { module.to_string() } else { format!("{module}.{rest}") };
                format!("import {module}\n\nclient = {call}({arg})")
            } else {
                format!("from {module} import {head}\n\nclient = {rest}({arg})")
            }
        }
        Ecosystem::JavaScript => {
            let (new, name) = called(rest);
            let new = if new { "new " } else { "" };
            if rest.is_empty() {
                format!("const sdk = require(\"{module}\");\n\nconst client = new sdk({arg});")
            } else if head == "default" {
                let name = name.replacen("default", "Client", 1);
                format!("import Client from \"{module}\";\n\nconst client = {new}{name}({arg});")
            } else {
                format!("import {{ {head} }} from \"{module}\";\n\nconst client = {new}{name}({arg});")
            }
        }
        Ecosystem::Rust => {
            let name = rest.replace('.', "::");
            let first = name.split("::").next().unwrap_or(&name);
            format!("use {}::{first};\n\nfn main() {{\n    let client = {name}({arg});\n}}", module.replace('.', "::"))
        }
        Ecosystem::Go => {
            let pkg = go_name(module);
            format!("package main\n\nimport \"{module}\"\n\nfunc main() {{\n\tclient := {pkg}.{rest}({arg})\n\t_ = client\n}}")
        }
        Ecosystem::Java => {
            let class = path.rsplit('.').find(|s| s.starts_with(|c: char| c.is_ascii_uppercase())).unwrap_or(head);
            let import = path.split_once(&format!(".{class}")).map_or(path.as_str(), |(m, _)| m);
            let (new, name) = called(rest);
            let call = if new && !name.contains('.') { format!("new {name}({arg})") } else { format!("{name}({arg})") };
            format!(
                "import {import}.{class};\n\nclass App {{\n    void run() {{\n        var client = {call};\n    }}\n}}"
            )
        }
        Ecosystem::CSharp => {
            let (_, name) = called(rest);
            format!("using {module};\n\nvar client = new {name}({arg});")
        }
    }
}

/// The module part of a dotted constructor path: the longest SDK module of its ecosystem
/// that prefixes it, else (Python, Go, C#) everything before its first capitalised segment.
fn module_of<'a>(rules: &RuleSet, e: Ecosystem, path: &'a str) -> &'a str {
    let known = rules
        .sdks
        .iter()
        .filter(|s| s.ecosystem == e)
        .flat_map(|s| &s.modules)
        .filter(|m| path.len() > m.len() && path.starts_with(m.as_str()) && path.as_bytes()[m.len()] == b'.')
        .map(|m| m.len())
        .max();
    if let Some(n) = known {
        return &path[..n];
    }
    let mut end = 0;
    for (i, seg) in path.split('.').enumerate() {
        if seg.starts_with(|c: char| c.is_ascii_uppercase()) && i > 0 {
            break;
        }
        end += seg.len() + usize::from(i > 0);
    }
    let end = if end >= path.len() { path.rfind('.').unwrap_or(path.len()) } else { end };
    &path[..end]
}

/// The name an unaliased Go import is known by: its last element without `go-`, `-go`, `-sdk`.
fn go_name(module: &str) -> String {
    let last = module.rsplit('/').next().unwrap_or(module);
    last.trim_start_matches("go-").trim_end_matches("-go").trim_end_matches("-sdk").replace('-', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_line_skips_closing_lines() {
        assert_eq!(marked_line("a\nb"), 2);
        assert_eq!(marked_line("func main() {\n\tx()\n}"), 2);
        assert_eq!(marked_line("<dependencies>\n  <dependency/>\n</dependencies>\n"), 2);
        assert_eq!(marked_line("one"), 1);
        assert_eq!(marked_line("func main() {\n\tclient := x.New()\n\t_ = client\n}"), 2);
        assert_eq!(marked_line("with x() as s:\n    ..."), 1);
    }

    #[test]
    fn fences_follow_the_file() {
        assert_eq!(fence("app.py"), "python");
        assert_eq!(fence("go.mod"), "go");
        assert_eq!(fence("requirements.txt"), "text");
    }
}
