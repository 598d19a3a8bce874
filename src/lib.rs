//! lockin audits a codebase for dependence on proprietary LLM vendors.
//!
//! ```text
//! paths ─walk─▶ files ─prefilter─▶ candidates ─detect─▶ findings ─link─▶ Detected
//!   ─filter─▶ Filtered ─assess─▶ Assessment ─judge─▶ Verdict ─assemble─▶ Report ─render─▶ bytes
//!                                     ▲
//!        rules/*.toml ─load+validate─▶ RuleSet
//! ```
//!
//! [`pipeline::run`] runs every stage (the CLI calls it too); [`scan::scan`] is the same
//! with no selection, baseline or policy; [`report::render`] formats the result.
#![warn(missing_docs)]

pub mod assess;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod context;
pub mod coverage;
pub mod detect;
pub mod ecosystem;
pub mod error;
pub mod finding;
pub mod fix;
pub mod git;
pub mod lang;
pub mod lifecycle;
pub mod merge;
pub mod pipeline;
pub mod plan;
pub mod policy;
pub mod prefilter;
pub mod read;
pub mod report;
pub mod rules;
pub mod scan;
pub mod score;
pub mod selector;
pub mod suppress;
pub mod walk;

pub use scan::{scan, ScanOptions};
