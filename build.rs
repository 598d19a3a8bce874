//! Embeds every `rules/*.toml` file into the binary, in path order, so that
//! `lockin scan .` works from any directory with no configuration; and names the commit
//! the binary is built from (`LOCKIN_COMMIT`, for `lockin --version`).

use std::{env, fs, path::Path, process::Command};

/// `git rev-parse ARGS` in the crate's folder, if git and a repository are there (a
/// crates.io tarball has neither).
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("rev-parse").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    let commit = git(&["--short=10", "HEAD"]).unwrap_or_else(|| "unknown commit".into());
    println!("cargo:rustc-env=LOCKIN_COMMIT={commit}");
    // A new commit moves the branch's ref; checking out another branch moves HEAD.
    for path in ["HEAD".to_string()].into_iter().chain(git(&["--symbolic-full-name", "HEAD"])) {
        if let Some(p) = git(&["--git-path", &path]) {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    let dir = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<String> = fs::read_dir(dir)
        .expect("rules/ exists beside Cargo.toml")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    files.sort();
    let mut out = String::from("/// Embedded rule files: (path, contents), sorted by path.\n");
    out.push_str("pub const EMBEDDED_RULES: &[(&str, &str)] = &[\n");
    for name in &files {
        println!("cargo:rerun-if-changed=rules/{name}");
        let abs = fs::canonicalize(dir.join(name)).expect("rule file exists");
        out.push_str(&format!("    (\"rules/{name}\", include_str!({:?})),\n", abs.display().to_string()));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_rules.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
