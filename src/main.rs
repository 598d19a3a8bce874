//! The `lockin` binary: everything lives in the library; this maps its status to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    few_arenas();
    lockin::cli::run(std::env::args_os()).into()
}

/// glibc gives each thread that allocates its own malloc arena, up to eight per core, and
/// an arena keeps what its thread freed: with the scanning threads, the main thread and the
/// files each thread analysed, peak RSS was 15-25% above the heap's own peak. Two arenas
/// keep that overhead small at no measurable cost in time (issue 15: peak RSS).
fn few_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; it is called before any
    // thread is started.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
