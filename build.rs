//! Embeds every `rules/*.toml` file into the binary, in path order, so that
//! `lockin scan .` works from any directory with no configuration.

use std::{env, fs, path::Path};

fn main() {
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
