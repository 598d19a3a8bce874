//! Manifests: `requirements*.txt` (and the files they include with `-r`), `pyproject.toml`
//! (PEP 621, Poetry, uv, PEP 735 dependency groups), `Pipfile`, `setup.cfg`, `package.json`,
//! `Cargo.toml` (dependency tables, also per target and of a workspace), `go.mod` (`require`
//! lines and blocks, and the modules `replace` directives substitute; `go.sum` lists
//! checksums, not requirements, and is not read), `pom.xml`, `build.gradle(.kts)`, and NuGet's
//! `*.csproj`, `Directory.Packages.props` and `packages.config`. One
//! `dependency` finding on the line that declares an SDK package. TOML is read with a real
//! parser that keeps spans; requirement strings with the PEP 508 name rule.

use super::{emit, FileOutput, LineIndex, Span};
use crate::lang::FileKind;
use crate::rules::load::normalize_package;
use crate::rules::RuleSet;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Detects dependency declarations in one manifest.
pub fn detect(rel: &str, language: FileKind, text: &str, rules: &RuleSet, out: &mut FileOutput) {
    let lines = LineIndex::new(text);
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    match language {
        FileKind::Requirements => requirements(text, &mut found, &mut out.includes),
        FileKind::GoMod => go_mod(text, &mut found),
        FileKind::Pom => pom(text, &mut found),
        FileKind::Gradle => gradle(text, &mut found),
        FileKind::NuGet => nuget(text, &mut found),
        FileKind::SetupCfg => setup_cfg(text, &mut found),
        FileKind::PackageJson => {
            if let Err(e) = package_json(text, &mut found) {
                out.error = Some(e);
                return;
            }
        }
        FileKind::Toml | FileKind::Cargo => {
            let table = match DeTable::parse(text) {
                Ok(t) => t,
                Err(e) => {
                    let at = e.span().map(|s| lines.position(text, s.start)).unwrap_or((1, 1));
                    out.error = Some(format!("{}:{}: invalid TOML: {}", at.0, at.1, e.message().trim()));
                    return;
                }
            };
            if language == FileKind::Cargo {
                cargo(table.get_ref(), &mut found);
            } else if rel.rsplit('/').next() == Some("Pipfile") {
                pipfile(table.get_ref(), &mut found);
            } else {
                pyproject(table.get_ref(), text, &mut found);
            }
        }
        _ => {}
    }
    if matches!(language, FileKind::Pom | FileKind::Gradle) {
        let names: Vec<String> = found.iter().map(|(_, _, n)| n.clone()).collect();
        super::spring::starter_services(&names, rules, out);
    }
    for (start, end, name) in found {
        let normalized = normalize_package(&name);
        let Some(sdk) = rules.sdk_for_package(language.ecosystem(), &normalized) else {
            continue;
        };
        let span: Span = lines.span(text, start, end);
        // A Go module path, Maven coordinate or NuGet id is shown as written (PEP 503 names
        // are Python's; NuGet ids compare case-insensitively, so the normalised form matches).
        let shown = if matches!(language, FileKind::GoMod | FileKind::Pom | FileKind::Gradle | FileKind::NuGet) {
            &name
        } else {
            &normalized
        };
        out.emit(rules, lines.line_text(text, span.line), span, emit::dependency(rules, sdk, shown));
    }
}

/// XML text with its comments blanked out, byte offsets kept.
fn without_xml_comments(text: &str) -> String {
    let mut clean = text.as_bytes().to_vec();
    let mut from = 0;
    while let Some(i) = text[from..].find("<!--") {
        let start = from + i;
        let end = text[start..].find("-->").map_or(text.len(), |j| start + j + 3);
        clean[start..end].iter_mut().for_each(|b| *b = if *b == b'\n' { b'\n' } else { b' ' });
        from = end;
    }
    String::from_utf8_lossy(&clean).into_owned()
}

/// NuGet manifests: `<PackageReference Include="OpenAI" Version="2.1.0" />` (and `Update=`) in
/// a `.csproj`, `<PackageVersion Include="..." />` in `Directory.Packages.props` (central
/// package management), `<package id="..." version="..." />` in `packages.config`; located
/// at the package id. XML comments are skipped.
fn nuget(text: &str, found: &mut Vec<(usize, usize, String)>) {
    static ELEMENT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let element = ELEMENT.get_or_init(|| {
        regex::Regex::new(r#"(?is)<(?:PackageReference|PackageVersion|package)\b[^>]*?\b(?:Include|Update|id)\s*=\s*["']([^"']+)["']"#)
            .expect("a valid pattern")
    });
    let clean = without_xml_comments(text);
    for c in element.captures_iter(&clean) {
        let m = c.get(1).expect("the id group");
        found.push((m.start(), m.end(), m.as_str().trim().to_string()));
    }
}

/// `pom.xml`: each `<dependency>` (under `<dependencies>` or `<dependencyManagement>`, a
/// BOM import included) as `groupId:artifactId`, located at its `<artifactId>`. XML comments
/// are skipped; versions (and `<properties>` that hold them) name no package.
fn pom(text: &str, found: &mut Vec<(usize, usize, String)>) {
    let clean = without_xml_comments(text);
    let element = |block: &str, tag: &str| -> Option<(usize, String)> {
        let open = format!("<{tag}>");
        let start = block.find(&open)? + open.len();
        let end = start + block[start..].find("</")?;
        Some((start, block[start..end].trim().to_string()))
    };
    let mut from = 0;
    while let Some(i) = clean[from..].find("<dependency>") {
        let start = from + i;
        let end = clean[start..].find("</dependency>").map_or(clean.len(), |j| start + j);
        let block = &clean[start..end];
        from = end;
        let (Some((_, group)), Some((at, artifact))) = (element(block, "groupId"), element(block, "artifactId")) else {
            continue;
        };
        let at = start + at + block[at..].len() - block[at..].trim_start().len();
        found.push((at, at + artifact.len(), format!("{group}:{artifact}")));
    }
}

/// `build.gradle` and `build.gradle.kts`: each `"group:artifact:version"` string (in
/// `implementation(...)`, `api '...'`, `platform(...)` and the like) and each
/// `group: 'g', name: 'a'` map, located at the string.
fn gradle(text: &str, found: &mut Vec<(usize, usize, String)>) {
    static COORD: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static MAP: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let coord = COORD.get_or_init(|| {
        regex::Regex::new(r#"["']([A-Za-z0-9_.\-]+):([A-Za-z0-9_.\-]+)(?::[^"'\s]*)?["']"#).expect("a valid pattern")
    });
    let map = MAP.get_or_init(|| {
        regex::Regex::new(r#"group\s*[:=]\s*["']([A-Za-z0-9_.\-]+)["']\s*,\s*name\s*[:=]\s*["']([A-Za-z0-9_.\-]+)["']"#)
            .expect("a valid pattern")
    });
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split("//").next().unwrap_or_default();
        for c in coord.captures_iter(code) {
            let (g, a) = (&c[1], &c[2]);
            let m = c.get(0).expect("the whole match");
            found.push((offset + m.start() + 1, offset + m.end() - 1, format!("{g}:{a}")));
        }
        for c in map.captures_iter(code) {
            let m = c.get(0).expect("the whole match");
            found.push((offset + m.start(), offset + m.end(), format!("{}:{}", &c[1], &c[2])));
        }
        offset += line.len();
    }
}

/// `go.mod`: each module path a `require` names (`require x v1` or inside `require ( ... )`),
/// and the module a `replace` directive substitutes (`replace a => b v1`: `b`, unless it is
/// a local directory), with its byte range.
fn go_mod(text: &str, found: &mut Vec<(usize, usize, String)>) {
    let mut block: Option<&str> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.split("//").next().unwrap_or_default();
        let trimmed = line.trim();
        let (verb, rest) = match block {
            Some(_) if trimmed == ")" => {
                block = None;
                continue;
            }
            Some(verb) => (verb, line),
            None => {
                let Some((verb, rest)) = trimmed.split_once(char::is_whitespace) else { continue };
                if !matches!(verb, "require" | "replace") {
                    continue;
                }
                if rest.trim() == "(" {
                    block = Some(if verb == "require" { "require" } else { "replace" });
                    continue;
                }
                (verb, &line[line.find(verb).unwrap_or(0) + verb.len()..])
            }
        };
        let rest_at = start + (rest.as_ptr() as usize - raw.as_ptr() as usize);
        let target = match verb {
            "require" => rest,
            _ => match rest.split_once("=>") {
                Some((_, right)) => right,
                None => continue,
            },
        };
        let target_at = rest_at + (target.as_ptr() as usize - rest.as_ptr() as usize);
        let Some(name) = target.split_whitespace().next() else { continue };
        if name.starts_with('.') || name.starts_with('/') {
            continue;
        }
        let at = target_at + target.find(name).unwrap_or(0);
        found.push((at, at + name.len(), name.trim_matches('"').to_string()));
    }
}

/// The PEP 508 distribution name at the start of a requirement, as a byte range.
pub fn requirement_name(req: &str) -> Option<(usize, usize)> {
    let start = req.find(|c: char| !c.is_whitespace())?;
    let rest = &req[start..];
    if !rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c))).unwrap_or(rest.len());
    let name = rest[..len].trim_end_matches(['.', '-', '_']);
    Some((start, start + name.len()))
}

fn requirements(text: &str, found: &mut Vec<(usize, usize, String)>, includes: &mut Vec<String>) {
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        // A comment starts at `#` preceded by whitespace or at the start of the line.
        let line = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(i) => &raw[..i],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        };
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(opt) = trimmed.strip_prefix('-') {
            let (flag, value) = opt.split_once([' ', '=', '\t']).unwrap_or((opt, ""));
            if matches!(flag, "r" | "-requirement" | "c" | "-constraint") && !value.trim().is_empty() {
                includes.push(value.trim().to_string());
            }
            // `-e git+https://...#egg=openai`
            if let Some(i) = trimmed.find("#egg=") {
                let name_start = line_start + raw.find("#egg=").unwrap_or(i) + 5;
                let name: String =
                    trimmed[i + 5..].chars().take_while(|c| c.is_ascii_alphanumeric() || "._-".contains(*c)).collect();
                found.push((name_start, name_start + name.len(), name));
            }
            continue;
        }
        if trimmed.contains("://") && !trimmed.contains(" @ ") {
            continue;
        }
        if let Some((s, e)) = requirement_name(line) {
            found.push((line_start + s, line_start + e, line[s..e].to_string()));
        }
    }
}

fn setup_cfg(text: &str, found: &mut Vec<(usize, usize, String)>) {
    // INI: in [options] `install_requires =` / `setup_requires =` and every key of
    // [options.extras_require], values continue on indented lines.
    let mut section = String::new();
    let mut in_value = false;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end();
        let t = line.trim_start();
        if t.starts_with('[') {
            section = t.trim_matches(['[', ']']).trim().to_ascii_lowercase();
            in_value = false;
            continue;
        }
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        let (value, value_off) = if !indented {
            let Some((key, value)) = line.split_once(['=', ':']) else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            in_value = (section == "options"
                && matches!(key.as_str(), "install_requires" | "setup_requires" | "tests_require"))
                || section == "options.extras_require";
            (value, line.len() - value.len())
        } else {
            (line, 0)
        };
        if !in_value {
            continue;
        }
        for part in split_keep_offsets(value, ';').into_iter().take(1) {
            if let Some((s, e)) = requirement_name(part.1) {
                let base = line_start + value_off + part.0;
                found.push((base + s, base + e, part.1[s..e].to_string()));
            }
        }
    }
}

/// `package.json`: every package of `dependencies`, `devDependencies`,
/// `peerDependencies` and `optionalDependencies`. serde_json checks the file; the key is
/// then located in the text inside its section's braces.
fn package_json(text: &str, found: &mut Vec<(usize, usize, String)>) -> Result<(), String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{}:{}: invalid package.json: {e}", e.line(), e.column()))?;
    for section in ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] {
        let Some(deps) = json.get(section).and_then(|d| d.as_object()) else { continue };
        let Some((start, end)) = section_range(text, section) else { continue };
        for name in deps.keys() {
            let quoted = serde_json::to_string(name).unwrap_or_default();
            let mut from = start;
            while let Some(i) = text[from..end].find(&quoted).map(|i| from + i) {
                // A key is followed by `:`.
                if text[i + quoted.len()..end].trim_start().starts_with(':') {
                    found.push((i + 1, i + quoted.len() - 1, name.clone()));
                    break;
                }
                from = i + quoted.len();
            }
        }
    }
    Ok(())
}

/// Structural bytes of a JSON text outside strings, with the nesting depth before each.
fn structure(text: &str) -> impl Iterator<Item = (usize, u8, i32)> + '_ {
    let bytes = text.as_bytes();
    let (mut i, mut depth, mut in_string) = (0usize, 0i32, false);
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (at, b) = (i, bytes[i]);
            i += 1;
            if in_string {
                match b {
                    b'\\' => i += 1,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            let before = depth;
            match b {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth -= 1,
                b'"' => in_string = true,
                _ => continue,
            }
            return Some((at, b, before));
        }
        None
    })
}

/// The byte range of the object that follows the top-level key `"section":`.
fn section_range(text: &str, section: &str) -> Option<(usize, usize)> {
    let key = format!("\"{section}\"");
    let (key_at, ..) = structure(text).find(|&(at, b, depth)| {
        b == b'"' && depth == 1 && text[at..].starts_with(&key) && text[at + key.len()..].trim_start().starts_with(':')
    })?;
    let open = key_at + text[key_at..].find('{')?;
    let (close, ..) = structure(text).find(|&(at, b, depth)| at > open && b == b'}' && depth == 2)?;
    Some((open, close))
}

fn split_keep_offsets(s: &str, sep: char) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c == sep {
            out.push((start, &s[start..i]));
            start = i + 1;
        }
    }
    out.push((start, &s[start..]));
    out
}

type Table<'i> = DeTable<'i>;

fn get<'a, 'i>(t: &'a Table<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v)
}

fn table<'a, 'i>(t: &'a Table<'i>, key: &str) -> Option<&'a Table<'i>> {
    match get(t, key)?.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

/// Each string of an array is a PEP 508 requirement.
fn requirement_array(v: &Spanned<DeValue<'_>>, text: &str, found: &mut Vec<(usize, usize, String)>) {
    let DeValue::Array(items) = v.get_ref() else {
        return;
    };
    for item in items {
        if let DeValue::String(s) = item.get_ref() {
            let span = item.span();
            // The span includes the quote; find the name inside the raw literal.
            let raw = &text[span.start..span.end.min(text.len())];
            let inner = raw.get(1..).unwrap_or("");
            if let Some((a, b)) = requirement_name(inner) {
                if inner[a..b] == s[..(b - a).min(s.len())] {
                    found.push((span.start + 1 + a, span.start + 1 + b, inner[a..b].to_string()));
                }
            }
        }
    }
}

/// Each key of a table is a package name (Poetry, Pipfile).
fn key_table(t: &Table<'_>, found: &mut Vec<(usize, usize, String)>) {
    for (k, _) in t.iter() {
        let span = k.span();
        found.push((span.start, span.end, k.get_ref().to_string()));
    }
}

fn pyproject(root: &Table<'_>, text: &str, found: &mut Vec<(usize, usize, String)>) {
    if let Some(project) = table(root, "project") {
        if let Some(deps) = get(project, "dependencies") {
            requirement_array(deps, text, found);
        }
        if let Some(opt) = table(project, "optional-dependencies") {
            for (_, v) in opt.iter() {
                requirement_array(v, text, found);
            }
        }
    }
    if let Some(groups) = table(root, "dependency-groups") {
        for (_, v) in groups.iter() {
            requirement_array(v, text, found);
        }
    }
    let Some(tool) = table(root, "tool") else {
        return;
    };
    if let Some(poetry) = table(tool, "poetry") {
        for key in ["dependencies", "dev-dependencies"] {
            if let Some(t) = table(poetry, key) {
                key_table(t, found);
            }
        }
        if let Some(groups) = table(poetry, "group") {
            for (_, g) in groups.iter() {
                if let DeValue::Table(g) = g.get_ref() {
                    if let Some(t) = table(g, "dependencies") {
                        key_table(t, found);
                    }
                }
            }
        }
    }
    if let Some(uv) = table(tool, "uv") {
        for key in ["dev-dependencies", "constraint-dependencies", "override-dependencies"] {
            if let Some(v) = get(uv, key) {
                requirement_array(v, text, found);
            }
        }
    }
    if let Some(pdm) = table(tool, "pdm").and_then(|p| table(p, "dev-dependencies")) {
        for (_, v) in pdm.iter() {
            requirement_array(v, text, found);
        }
    }
}

/// `Cargo.toml`: the keys of `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`
/// (and their old `_` spellings), the same under `[target.<cfg>]`, and
/// `[workspace.dependencies]`. A renamed dependency (`oai = { package = "async-openai" }`)
/// counts under its package name, located at its key.
fn cargo(root: &Table<'_>, found: &mut Vec<(usize, usize, String)>) {
    const SECTIONS: [&str; 5] =
        ["dependencies", "dev-dependencies", "build-dependencies", "dev_dependencies", "build_dependencies"];
    let deps = |t: &Table<'_>, found: &mut Vec<(usize, usize, String)>| {
        for section in SECTIONS {
            let Some(d) = table(t, section) else { continue };
            for (k, v) in d.iter() {
                let span = k.span();
                let package = match v.get_ref() {
                    DeValue::Table(spec) => match get(spec, "package").map(|p| p.get_ref()) {
                        Some(DeValue::String(p)) => Some(p.to_string()),
                        _ => None,
                    },
                    _ => None,
                };
                found.push((span.start, span.end, package.unwrap_or_else(|| k.get_ref().to_string())));
            }
        }
    };
    deps(root, found);
    if let Some(targets) = table(root, "target") {
        for (_, t) in targets.iter() {
            if let DeValue::Table(t) = t.get_ref() {
                deps(t, found);
            }
        }
    }
    if let Some(ws) = table(root, "workspace") {
        deps(ws, found);
    }
}

fn pipfile(root: &Table<'_>, found: &mut Vec<(usize, usize, String)>) {
    for key in ["packages", "dev-packages"] {
        if let Some(t) = table(root, key) {
            key_table(t, found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names() {
        let n = |s: &str| requirement_name(s).map(|(a, b)| s[a..b].to_string());
        assert_eq!(n("openai[datalib]>=1.0; python_version>'3.8'").as_deref(), Some("openai"));
        assert_eq!(n("  google-generativeai==0.8").as_deref(), Some("google-generativeai"));
        assert_eq!(n("anthropic @ https://x/y.whl").as_deref(), Some("anthropic"));
        assert_eq!(n("-r base.txt"), None);
    }

    #[test]
    fn package_json_keys_are_located_in_their_section() {
        let text = "{\n  \"name\": \"openai-demo\",\n  \"dependencies\": {\n    \"openai\": \"^4\",\n    \"zod\": \"^3\"\n  }\n}\n";
        let mut found = Vec::new();
        package_json(text, &mut found).unwrap();
        assert_eq!(found.len(), 2);
        let (s, e, name) = &found[0];
        assert_eq!((&text[*s..*e], name.as_str()), ("openai", "openai"));
        assert!(package_json("{ nope", &mut found).is_err());
    }

    #[test]
    fn cargo_dependencies_of_every_table() {
        let text = "[package]\nname = \"x\"\n[dependencies]\nasync-openai = \"0.28\"\n\
                    oai = { package = \"async-openai\", version = \"0.20\" }\n\
                    [target.'cfg(unix)'.dev-dependencies]\ntokio = \"1\"\n\
                    [workspace.dependencies.serde]\nversion = \"1\"\n";
        let root = DeTable::parse(text).unwrap();
        let mut found = Vec::new();
        cargo(root.get_ref(), &mut found);
        let names: Vec<(&str, &str)> = found.iter().map(|(s, e, n)| (&text[*s..*e], n.as_str())).collect();
        assert_eq!(
            names,
            vec![("async-openai", "async-openai"), ("oai", "async-openai"), ("tokio", "tokio"), ("serde", "serde")]
        );
    }

    #[test]
    fn requirements_follow_includes_and_skip_comments() {
        let mut found = Vec::new();
        let mut inc = Vec::new();
        requirements("# openai\n-r base.txt\nopenai>=1 # pinned\n", &mut found, &mut inc);
        assert_eq!(inc, vec!["base.txt".to_string()]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].2, "openai");
    }
}
