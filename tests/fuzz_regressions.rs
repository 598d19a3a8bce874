//! Every crash the fuzz targets (fuzz/, docs/fuzzing.md) have found, replayed in-process
//! through the same entry point as its target: `tests/fuzz_regressions/<target>/<input>`
//! must return without a panic or an abort.

#[allow(dead_code)] // the AFL binary's helpers
#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions")
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// Replays every input of every target; returns how many.
fn replay() -> usize {
    let mut replayed = 0;
    for dir in sorted_entries(&root()) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let run = targets::target(&name).unwrap_or_else(|| panic!("{name}: not a fuzz target"));
        for input in sorted_entries(&dir).into_iter().filter(|p| p.is_file()) {
            eprintln!("replaying {}", input.display());
            targets::run_on_worker_stack(run, &std::fs::read(&input).unwrap());
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn folders_name_fuzz_targets() {
    // An input under a misspelt folder would never be replayed.
    for dir in sorted_entries(&root()) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(dir.is_dir() && targets::target(&name).is_some(), "{}: not a fuzz target folder", dir.display());
        let subfolders: Vec<PathBuf> = sorted_entries(&dir).into_iter().filter(|p| p.is_dir()).collect();
        assert!(subfolders.is_empty(), "inputs in subfolders are never replayed: {subfolders:?}");
    }
}

// The first input: issue 12's self-referring assignment through a call argument, which
// overflowed the Python resolver's stack.
#[test]
fn fixed_crashes_return() {
    assert!(replay() > 0, "no input under tests/fuzz_regressions/");
}
