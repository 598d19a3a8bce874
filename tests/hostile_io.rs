//! Hostile inputs for reading (issue 12, items 2, 3 and 6): special files wherever they are
//! reached, includes that leave the tree, limits counted while reading, odd encodings and
//! names, large and one-line files. Each case scans a tree that also holds the good file and
//! checks that the scan completes, the good file keeps its findings and the hostile file is
//! named in `stats.errors`. Work is bounded by the bytes the report counts, never by time.
mod common;

use common::{lockin_in, Scan, Tree, GOOD_PY};
use serde_json::Value;

/// The good file's call, to plant in hostile files.
const CALL: &str =
    "import openai\nclient = openai.OpenAI()\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n";

fn stat(s: &Scan, key: &str) -> u64 {
    s.json["stats"][key].as_u64().unwrap_or_else(|| panic!("stats.{key}: {}", s.json["stats"]))
}

/// Lines of the findings of `rule` in `path`.
fn lines_of(s: &Scan, path: &str, rule: &str) -> Vec<u64> {
    s.findings_in(path).into_iter().filter(|(_, _, r)| r == rule).map(|(_, l, _)| l).collect()
}

const CHAT: &str = "openai.chat-completions";

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let ok = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs").success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_tree_is_refused_unopened() {
    let t = Tree::new();
    mkfifo(&t.at("pipe.py"));
    mkfifo(&t.at("requirements.txt"));
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert!(s.assert_error("pipe.py")[0].contains("a FIFO"), "{:?}", s.errors_for("pipe.py"));
    s.assert_error("requirements.txt");
    assert_eq!(stat(&s, "files_skipped"), 2);
}

#[cfg(target_os = "linux")]
#[test]
fn followed_links_to_kernel_files_and_devices_are_refused() {
    let t = Tree::new();
    std::os::unix::fs::symlink("/proc/self/status", t.at("status.py")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", t.at("zero.py")).unwrap();
    std::os::unix::fs::symlink("/proc/self/pagemap", t.at("requirements.txt")).unwrap();
    let s = t.scan(&["--follow"]);
    s.assert_good_intact();
    assert!(s.assert_error("status.py")[0].contains("virtual file"));
    assert!(s.assert_error("zero.py")[0].contains("character device"));
    s.assert_error("requirements.txt");
    assert_eq!(stat(&s, "bytes_scanned"), GOOD_PY.len() as u64);
}

#[cfg(unix)]
#[test]
fn includes_are_read_only_inside_the_tree_and_bounded() {
    let outer = Tree::empty();
    outer.write("outside.txt", "anthropic\n");
    let t = outer.at("repo");
    outer.write("repo/good.py", GOOD_PY);
    outer.write("repo/sub/dev.txt", "openai==1.0\n");
    let big = std::fs::File::create(t.join("big.txt")).unwrap();
    big.set_len(3 << 30).unwrap(); // sparse: 3 GiB reported, nothing written
    let host = std::env::temp_dir().canonicalize().unwrap().join("lockin-hostile-io-abs.txt");
    std::fs::write(&host, "cohere\n").unwrap();
    outer.write(
        "repo/requirements.txt",
        format!(
            "-r /proc/kmsg\n-r /proc/self/pagemap\n-r ../outside.txt\n-r {}\n-r big.txt\n-r sub/dev.txt\n-r missing.txt\n",
            host.display()
        ),
    );
    let run = lockin_in(&t, &["scan", ".", "--format", "json", "--max-filesize", "1000000"]);
    run.completed();
    let s = Scan { json: run.json(), run };
    s.assert_good_intact();
    let errors = s.assert_error("requirements.txt");
    for written in ["/proc/kmsg", "/proc/self/pagemap", "../outside.txt", "missing.txt"] {
        assert!(errors.iter().any(|e| e.starts_with(&format!("`-r {written}`"))), "{written}: {errors:?}");
    }
    assert!(errors.iter().any(|e| e.contains(&host.display().to_string()) && e.contains("outside")));
    assert!(s.assert_error("big.txt")[0].contains("--max-filesize"));
    // The include inside the tree is read, under its own name.
    assert!(!s.findings_in("sub/dev.txt").is_empty(), "{}", s.json["findings"]);
    let vendors: Vec<&str> =
        s.json["findings"].as_array().unwrap().iter().filter_map(|f| f["vendor"].as_str()).collect();
    assert!(!vendors.contains(&"anthropic") && !vendors.contains(&"cohere"), "{vendors:?}");
    // Read: the good file, requirements.txt and sub/dev.txt; nothing of the rest.
    let reqs = std::fs::metadata(t.join("requirements.txt")).unwrap().len();
    assert_eq!(stat(&s, "bytes_scanned"), GOOD_PY.len() as u64 + reqs + "openai==1.0\n".len() as u64);
    std::fs::remove_file(host).ok();
}

#[test]
fn files_over_the_limit_are_skipped_and_named() {
    let t = Tree::new();
    let f = std::fs::File::create(t.at("huge.py")).unwrap();
    f.set_len(20 << 20).unwrap();
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert!(s.assert_error("huge.py")[0].contains("--max-filesize"));
    assert_eq!(stat(&s, "files_skipped"), 1);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_are_reported() {
    let t = Tree::new();
    std::fs::create_dir(t.at("a")).unwrap();
    std::os::unix::fs::symlink("..", t.at("a/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.py", t.at("gone.py")).unwrap();
    let s = t.scan(&["--follow"]);
    s.assert_good_intact();
    s.assert_error("a/loop");
    s.assert_error("gone.py");
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    let p = t.write("locked.py", CALL);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let s = t.scan(&[]);
    s.assert_good_intact();
    // As root (CI containers) mode 000 does not stop reading: the file is then scanned.
    if std::fs::read(&p).is_err() {
        assert!(s.assert_error("locked.py")[0].contains("cannot read"));
    } else {
        assert_eq!(lines_of(&s, "locked.py", CHAT), [3]);
    }
}

#[test]
fn five_hundred_folders_deep() {
    let t = Tree::new();
    let rel = format!("{}deep.py", "d/".repeat(500));
    t.write(&rel, CALL);
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert_eq!(lines_of(&s, &rel, CHAT), [3]);
}

#[test]
fn a_hundred_thousand_tiny_files() {
    let t = Tree::new();
    for i in 0..100_000 {
        let dir = t.at(&format!("m{}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir(&dir).unwrap();
        }
        std::fs::write(dir.join(format!("f{i}.py")), "x = 1\n").unwrap();
    }
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert_eq!(stat(&s, "files_scanned"), 100_001);
    assert_eq!(stat(&s, "bytes_scanned"), 600_000 + GOOD_PY.len() as u64);
}

#[test]
fn a_hundred_thousand_imports() {
    let t = Tree::new();
    let mut src = String::from(CALL);
    for i in 0..100_000 {
        src.push_str(&format!("import mod{i}\n"));
    }
    src.push_str("client.embeddings.create(model=\"text-embedding-3-small\", input=\"x\")\n");
    t.write("imports.py", &src);
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert_eq!(lines_of(&s, "imports.py", CHAT), [3]);
    assert_eq!(lines_of(&s, "imports.py", "openai.embeddings"), [100_004]);
    assert_eq!(stat(&s, "bytes_scanned"), (src.len() + GOOD_PY.len()) as u64);
}

#[cfg(unix)]
#[test]
fn odd_file_names_are_scanned_under_their_names() {
    use std::os::unix::ffi::OsStrExt;
    let t = Tree::new();
    for name in ["new\nline.py", "-dash.py", "with space.py"] {
        t.write(name, CALL);
    }
    std::fs::write(t.path().join(std::ffi::OsStr::from_bytes(b"bad\xff.py")), CALL).unwrap();
    let s = t.scan(&[]);
    s.assert_good_intact();
    for name in ["new\nline.py", "-dash.py", "with space.py", "bad\u{FFFD}.py"] {
        assert_eq!(lines_of(&s, name, CHAT), [3], "{name:?}");
    }
}

#[test]
fn binary_and_invalid_utf8_files() {
    let t = Tree::new();
    t.write("nul.py", [CALL.as_bytes(), b"\0\x01\x02"].concat());
    // No NUL, not UTF-8: read lossily, scanned, and said.
    t.write("latin1.py", [CALL.as_bytes(), b"# caf\xe9\n"].concat());
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert!(s.assert_error("nul.py")[0].contains("binary"));
    assert!(s.findings_in("nul.py").is_empty());
    assert!(s.assert_error("latin1.py")[0].contains("invalid UTF-8"));
    assert_eq!(lines_of(&s, "latin1.py", CHAT), [3]);
    assert_eq!(stat(&s, "files_skipped"), 1);
}

#[test]
fn crlf_and_lone_cr_line_ends() {
    let t = Tree::new();
    let body = format!("# one\n{CALL}");
    t.write("crlf.py", body.replace('\n', "\r\n"));
    t.write("cr.py", body.replace('\n', "\r"));
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert_eq!(lines_of(&s, "crlf.py", CHAT), [4]);
    assert_eq!(lines_of(&s, "cr.py", CHAT), [4]);
}

#[test]
fn empty_files() {
    let t = Tree::new();
    for name in ["empty.py", "empty.ts", "empty.rs", "requirements.txt", "empty.ipynb", "package.json"] {
        t.write(name, "");
    }
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert_eq!(stat(&s, "files_scanned"), 7);
    // Empty JSON is not a notebook nor a manifest, and says so.
    s.assert_error("empty.ipynb");
    s.assert_error("package.json");
}

#[test]
fn a_byte_order_mark_loses_nothing() {
    let t = Tree::new();
    t.write("requirements.txt", "\u{FEFF}openai==1.0\nanthropic\n");
    t.write("bom.py", format!("\u{FEFF}{CALL}"));
    let s = t.scan(&[]);
    s.assert_good_intact();
    let deps: Vec<u64> = s.findings_in("requirements.txt").into_iter().map(|(_, l, _)| l).collect();
    assert_eq!(deps, [1, 2]);
    assert_eq!(lines_of(&s, "bom.py", CHAT), [3]);
    assert!(s.errors_for("requirements.txt").is_empty());
}

#[test]
fn utf16_sources_are_decoded_and_scanned() {
    let t = Tree::new();
    let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(CALL.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(CALL.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    t.write("le.py", le);
    t.write("be.py", be);
    let s = t.scan(&[]);
    s.assert_good_intact();
    for f in ["le.py", "be.py"] {
        assert_eq!(lines_of(&s, f, CHAT), [3], "{f}");
        assert!(s.assert_error(f)[0].contains("UTF-16"));
    }
}

#[test]
fn a_two_megabyte_line() {
    let t = Tree::new();
    // Few findings (redacting each one's snippet is another matter), far along the line.
    let mut src = String::from("import openai; client = openai.OpenAI(); ");
    for i in 0..20 {
        src.push_str(&"x = 'é'; ".repeat(10_000));
        src.push_str(&format!("client.chat.completions.create(model=\"gpt-4o\", messages=[{i}]); "));
    }
    t.write("long.py", &src);
    let s = t.scan(&[]);
    s.assert_good_intact();
    let calls = src.matches("create(").count();
    let found = s.findings_in("long.py").iter().filter(|(_, l, r)| r == CHAT && *l == 1).count();
    assert_eq!(found, calls);
    // The last call's column counts characters (each `é` is one), not bytes.
    let last = s.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "long.py" && f["rule_id"] == CHAT)
        .map(|f| f["column"].as_u64().unwrap())
        .max()
        .unwrap();
    let at = src.rfind("client.chat").unwrap();
    assert_eq!(last, src[..at].chars().count() as u64 + 1);
    assert_eq!(stat(&s, "bytes_scanned"), (src.len() + GOOD_PY.len()) as u64);
}

/// A notebook of `cells` code cells, each calling the API, on one line with `\u` escapes.
fn one_line_notebook(cells: usize) -> String {
    let cell = |i: usize| {
        format!(
            r#"{{"cell_type": "code", "metadata": {{}}, "outputs": [], "source": ["c{i} = openai.OpenAI()  # caf\u00e9 \ud83d\ude00\n", "c{i}.chat.completions.create(model=\"gpt-4o\", messages=[])\n"]}}"#
        )
    };
    let first = r#"{"cell_type": "code", "source": "import openai\n"}"#.to_string();
    let cells: Vec<String> = std::iter::once(first).chain((0..cells).map(cell)).collect();
    format!("{{\"cells\": [{}], \"metadata\": {{}}, \"nbformat\": 4, \"nbformat_minor\": 5}}", cells.join(", "))
}

#[test]
fn a_large_one_line_notebook() {
    let t = Tree::new();
    let nb = one_line_notebook(20_000);
    t.write("big.ipynb", &nb);
    let s = t.scan(&[]);
    s.assert_good_intact();
    let found: Vec<&Value> = s.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "big.ipynb" && f["rule_id"] == CHAT)
        .collect();
    assert_eq!(found.len(), 20_000);
    // Each on line 1, at the column of its own source string.
    let want: Vec<u64> = nb.match_indices(".chat").map(|(i, _)| nb[..i].rfind('"').unwrap() as u64 + 2).collect();
    let mut got: Vec<u64> = found.iter().map(|f| f["column"].as_u64().unwrap()).collect();
    got.sort();
    assert_eq!(got, want);
    assert!(found.iter().all(|f| f["line"] == 1));
    assert_eq!(stat(&s, "bytes_scanned"), (nb.len() + GOOD_PY.len()) as u64);
}

#[test]
fn malformed_notebooks() {
    let t = Tree::new();
    t.write("not_json.ipynb", "{\"cells\": [");
    t.write("no_list.ipynb", "{\"cells\": {\"a\": 1}}");
    t.write(
        "bad_source.ipynb",
        r#"{"cells": [{"cell_type": "code", "source": 42}, {"cell_type": "code", "source": ["import openai\n", 7]}]}"#,
    );
    let s = t.scan(&[]);
    s.assert_good_intact();
    for f in ["not_json.ipynb", "no_list.ipynb", "bad_source.ipynb"] {
        s.assert_error(f);
    }
}

#[test]
fn malformed_manifests() {
    let t = Tree::new();
    t.write("pyproject.toml", "[project\ndependencies = [\"openai\"");
    t.write("package.json", "{\"dependencies\": {\"openai\": ");
    t.write("Cargo.toml", "[dependencies\nasync-openai = ");
    t.write("a/Cargo.toml", "dependencies = 3\n[dependencies]\nx = { version = [] }\n");
    t.write("Pipfile", "[packages\nopenai = \"*\"");
    t.write("setup.cfg", "[options\ninstall_requires =\n    openai\n\x7f[[[\n");
    t.write("b/package.json", "[1, 2, 3]");
    let s = t.scan(&[]);
    s.assert_good_intact();
    for f in ["pyproject.toml", "package.json", "Cargo.toml", "a/Cargo.toml", "Pipfile"] {
        s.assert_error(f);
    }
}

#[test]
fn an_unclosed_script_block_is_read_to_the_end() {
    let t = Tree::new();
    let js = "import OpenAI from \"openai\";\nconst client = new OpenAI();\nawait client.chat.completions.create({ model: \"gpt-4o\", messages: [] });\n";
    t.write("App.vue", format!("<template><p/></template>\n<script>\n{js}"));
    let s = t.scan(&[]);
    s.assert_good_intact();
    assert!(s.assert_error("App.vue")[0].contains("not closed"));
    assert_eq!(lines_of(&s, "App.vue", CHAT), [5]);
}

/// A policy problem: exit 2 and a message naming `what`.
fn assert_bad_policy(t: &Tree, args: &[&str], what: &str) {
    let mut all = vec!["scan", ".", "--format", "json"];
    all.extend_from_slice(args);
    let run = lockin_in(t.path(), &all);
    assert_eq!(run.code, Some(2), "stderr:\n{}", run.stderr);
    assert!(run.stderr.contains(what), "{what} not named:\n{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_policy_file_linked_to_a_fifo() {
    let t = Tree::new();
    mkfifo(&t.at("pipe"));
    std::os::unix::fs::symlink("pipe", t.at("lockin.toml")).unwrap();
    assert_bad_policy(&t, &[], "lockin.toml");
    assert_bad_policy(&t, &["--config", "pipe"], "pipe");
}

#[cfg(target_os = "linux")]
#[test]
fn policy_paths_to_kernel_files() {
    let t = Tree::new();
    t.write("lockin.toml", "baseline = \"/dev/zero\"\n");
    assert_bad_policy(&t, &[], "/dev/zero");
    t.write("lockin.toml", "rules = [\"/proc\"]\n");
    assert_bad_policy(&t, &[], "/proc");
    t.write("lockin.toml", "rules = [\"/proc/self/pagemap\"]\n");
    assert_bad_policy(&t, &[], "/proc/self/pagemap");
    std::fs::remove_file(t.at("lockin.toml")).unwrap();
    assert_bad_policy(&t, &["--rules", "/dev/zero"], "/dev/zero");
    assert_bad_policy(&t, &["--baseline", "/proc/self/status"], "/proc/self/status");
}
