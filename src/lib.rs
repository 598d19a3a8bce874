//! lockin audits a codebase for dependence on proprietary LLM vendors.
//!
//! ```text
//! paths ─walk─▶ files ─prefilter─▶ candidates ─detect─▶ findings ─sort─▶ score ─▶ Report ─render─▶ bytes
//!                                     ▲
//!        rules/*.toml ─load+validate─▶ RuleSet
//! ```
//!
//! [`scan::scan`] runs the pipeline; [`report::render`] formats the result.
#![warn(missing_docs)]

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
pub mod merge;
pub mod lifecycle;
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
