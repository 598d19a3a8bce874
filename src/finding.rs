//! The unit of output: one [`Finding`] per place where the scanned code depends on a
//! vendor. Detectors produce findings; `scan()` sorts them once with [`Finding::sort_key`].
//! Nothing here does I/O.

use crate::ecosystem::Ecosystem;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a finding is evidence of (spec/report-json.md "Kinds").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The SDK module is imported.
    Import,
    /// A client object is constructed.
    Client,
    /// An API operation is invoked.
    Call,
    /// The SDK is declared in a manifest.
    Dependency,
    /// A vendor model name literal.
    Model,
    /// A vendor API URL literal.
    Endpoint,
    /// A vendor credential variable is read from the environment.
    Env,
    /// A credential literal in source (always redacted).
    Secret,
}

/// What the vendor is used for (spec/report-json.md `capability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// Chat and instruction following (incl. the Responses API).
    Chat,
    /// Legacy text completions and fill-in-the-middle.
    Completions,
    /// Embeddings and reranking inputs.
    Embeddings,
    /// Image generation and editing.
    Images,
    /// Speech to text and text to speech.
    Audio,
    /// Content moderation.
    Moderation,
    /// Fine-tuning jobs and tuned models.
    FineTuning,
    /// Assistants, threads, vector stores and other vendor-held agent state.
    Assistants,
    /// Batch jobs.
    Batch,
    /// Files stored at the vendor.
    Files,
    /// Realtime (low-latency voice) sessions.
    Realtime,
    /// Anything else.
    Other,
}

/// How serious a finding is, ordered from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Context only.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical (hard-coded credentials).
    Critical,
}

/// How hard a call site is to move to an open model (on `call` findings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Portability {
    /// Already aimed at a self-hosted OpenAI-compatible server.
    Portable,
    /// An open server offers the same API: moving is a configuration change.
    BaseUrlSwap,
    /// An open substitute exists but the request/response shapes differ.
    Adapter,
    /// State or features held by the vendor.
    NoOpenEquivalent,
}

macro_rules! display_as_serde {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // The serde name is the spec's word; Display prints the same string.
                let v = serde_json::to_value(self).map_err(|_| fmt::Error)?;
                f.write_str(v.as_str().ok_or(fmt::Error)?)
            }
        }
    )*};
}
display_as_serde!(Kind, Capability, Severity, Portability);

impl Capability {
    /// Every capability, in declaration order.
    pub const ALL: [Capability; 12] = [
        Capability::Chat,
        Capability::Completions,
        Capability::Embeddings,
        Capability::Images,
        Capability::Audio,
        Capability::Moderation,
        Capability::FineTuning,
        Capability::Assistants,
        Capability::Batch,
        Capability::Files,
        Capability::Realtime,
        Capability::Other,
    ];
}

/// One place in the scanned tree that depends on a vendor (spec/report-json.md "A finding").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id, e.g. `openai.chat-completions`.
    pub rule_id: String,
    /// Vendor id of who serves the request.
    pub vendor: String,
    /// What this is evidence of.
    pub kind: Kind,
    /// What the vendor is used for.
    pub capability: Capability,
    /// Source language (`python`, `toml`, `json`, ...).
    pub language: String,
    /// Path relative to the scan root, `/`-separated.
    pub path: String,
    /// 1-based start line.
    pub line: u32,
    /// 1-based start column, in Unicode characters.
    pub column: u32,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based end column, in Unicode characters.
    pub end_column: u32,
    /// The source line, trimmed, at most 200 characters, secrets redacted.
    pub snippet: String,
    /// Severity.
    pub severity: Severity,
    /// One sentence for a human.
    pub message: String,
    /// On `call` findings: how hard the call is to move.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub portability: Option<Portability>,
    /// The client's base URL comes from configuration (a scoring mitigation; not reported).
    #[serde(skip)]
    pub configurable: bool,
    /// Stable identity across line moves (rule id, path, normalised code, occurrence);
    /// baselines, SARIF `partialFingerprints` and GitLab Code Quality use it.
    #[serde(default)]
    pub fingerprint: String,
    /// What the finding is about, for reports that list things rather than places (the
    /// bill of materials); kept in memory, not in the JSON report.
    #[serde(skip)]
    pub subject: Option<Subject>,
    /// Inside test code the source itself marks (`#[cfg(test)] mod tests`, a `#[test]`
    /// function): its context is `test` whatever its path says.
    #[serde(skip)]
    pub test_code: bool,
}

/// The thing a finding names, structured: reports read it instead of parsing messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A package a manifest declares, by its normalised name.
    Package {
        /// Whose registry.
        ecosystem: Ecosystem,
        /// Normalised name (`openai`, `@anthropic-ai/sdk`, `async-openai`).
        name: String,
    },
    /// A model name in code.
    Model {
        /// The literal, control characters dropped, at most 80 characters.
        name: String,
        /// Id of the vendor whose model family it is (`anthropic` for a Claude id on Bedrock).
        family: String,
    },
    /// An SDK module the code imports.
    Module {
        /// Whose code.
        ecosystem: Ecosystem,
        /// The module as the rules name it (`openai`, `@anthropic-ai/sdk`, `async_openai`).
        name: String,
    },
}

impl Finding {
    /// The one order of findings (spec: path, line, column, rule id; then end position).
    pub fn sort_key(&self) -> (&str, u32, u32, &str, u32, u32, &str) {
        (&self.path, self.line, self.column, &self.rule_id, self.end_line, self.end_column, &self.vendor)
    }
}

/// A medium OpenAI chat call in `a.py` at line 1, for unit tests to adjust.
#[cfg(test)]
pub(crate) fn test_finding(rule_id: &str) -> Finding {
    Finding {
        rule_id: rule_id.into(),
        vendor: "openai".into(),
        kind: Kind::Call,
        capability: Capability::Chat,
        language: "python".into(),
        path: "a.py".into(),
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 2,
        snippet: String::new(),
        severity: Severity::Medium,
        message: String::new(),
        portability: None,
        configurable: false,
        fingerprint: String::new(),
        subject: None,
        test_code: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_spec_words() {
        assert_eq!(Capability::FineTuning.to_string(), "fine-tuning");
        assert_eq!(Portability::NoOpenEquivalent.to_string(), "no-open-equivalent");
        assert_eq!(Kind::Env.to_string(), "env");
    }

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Info < Severity::Low && Severity::High < Severity::Critical);
    }
}
