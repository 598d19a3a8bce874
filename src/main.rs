//! The `lockin` binary: everything lives in the library; this maps its status to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    lockin::cli::run(std::env::args_os()).into()
}
