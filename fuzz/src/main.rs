//! The AFL binary: `lockin-fuzz TARGET` fuzzes one target of `lib.rs` in AFL's persistent
//! mode; `lockin-fuzz --list` prints the target names. Run through `scripts/fuzz.sh`.

fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    if name == "--list" {
        for (n, _) in lockin_fuzz::TARGETS {
            println!("{n}");
        }
        return;
    }
    let Some(target) = lockin_fuzz::target(&name) else {
        eprintln!("usage: lockin-fuzz TARGET | --list");
        std::process::exit(2);
    };
    lockin_fuzz::prepare();
    // No abort-on-panic hook: a panic the library catches (one file's error) is not a
    // crash; one that escapes the target is, since `fuzz_nohook!` aborts on it.
    afl::fuzz_nohook!(|data: &[u8]| {
        lockin_fuzz::run_on_worker_stack(target, data);
    });
}
