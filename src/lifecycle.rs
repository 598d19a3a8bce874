//! Model lifecycle as data: vendors' deprecated and retired models (`rules/lifecycle.toml`,
//! loaded and validated with the other rules) and the findings they give. Input: the
//! sorted findings of a scan and a date (`--as-of`, today by default); output: one
//! `lifecycle.deprecated` or `lifecycle.retired` finding beside each model finding whose
//! model the vendor has deprecated or retired by that date. Pure: the date is given, never
//! read here, so that the same tree and date give the same findings.

use crate::error::Location;
use crate::finding::{Capability, Finding, Kind, Severity, Subject};
use crate::rules::{Docs, RuleInfo};
use std::collections::HashMap;
use std::fmt;

/// Rule id of a model the vendor has deprecated (it still answers).
pub const DEPRECATED: &str = "lifecycle.deprecated";
/// Rule id of a model the vendor has retired (requests fail).
pub const RETIRED: &str = "lifecycle.retired";
/// The owner id of the lifecycle rules.
pub const OWNER: &str = "lifecycle";

/// A calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` (a real day of the Gregorian calendar).
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date { year: y.parse().ok()?, month: m.parse().ok()?, day: d.parse().ok()? };
        date.is_valid().then_some(date)
    }

    fn is_valid(self) -> bool {
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        (1..=12).contains(&self.month) && self.day >= 1 && self.day <= days[usize::from(self.month - 1)]
    }

    /// The day `days` days after 1970-01-01 (Howard Hinnant's civil_from_days).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Today in UTC, from the system clock (the CLI's default for `--as-of`).
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        Date::from_unix_days(secs.div_euclid(86_400))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One group of model ids a vendor retires together (`[[model]]` in `rules/lifecycle.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Vendor id whose service retires them.
    pub vendor: String,
    /// Model ids, lower case.
    pub models: Vec<String>,
    /// The day the vendor announced the deprecation, when its page gives one.
    pub deprecated: Option<Date>,
    /// The shutdown day, when announced.
    pub retired: Option<Date>,
    /// What the vendor recommends instead.
    pub replacement: String,
    /// The vendor's deprecation page.
    pub source: String,
    /// Where the entry is declared.
    pub at: Location,
}

/// Where a model stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Announced for retirement; still answers.
    Deprecated,
    /// Shut down: requests fail.
    Retired,
}

impl Entry {
    /// The model's status on `as_of`: retired from the shutdown day, deprecated from the
    /// announcement (at any earlier date when the page gives none), else nothing.
    pub fn status(&self, as_of: Date) -> Option<Status> {
        if self.retired.is_some_and(|r| as_of >= r) {
            return Some(Status::Retired);
        }
        match self.deprecated {
            Some(d) if as_of < d => None,
            _ => Some(Status::Deprecated),
        }
    }
}

/// Every lifecycle entry, indexed by `(vendor, model)`.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    /// Entries in file order.
    pub entries: Vec<Entry>,
    index: HashMap<(String, String), usize>,
}

impl Lifecycle {
    /// Indexes the entries; a later entry naming the same vendor and model wins.
    pub fn new(entries: Vec<Entry>) -> Lifecycle {
        let mut index = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for m in &e.models {
                index.insert((e.vendor.clone(), m.clone()), i);
            }
        }
        Lifecycle { entries, index }
    }

    /// The entry of a model id as code names it, looked up under each vendor in turn (the
    /// one that serves the call first, then the model family's owner).
    pub fn entry(&self, vendors: &[&str], name: &str) -> Option<&Entry> {
        let lower = name.trim().to_ascii_lowercase();
        // `openai/gpt-3.5-turbo` (LiteLLM), `models/gemini-2.5-pro` (Gemini REST names).
        let bare = lower.rsplit_once('/').map_or(lower.as_str(), |(_, m)| m);
        vendors.iter().find_map(|v| {
            let key = |m: &str| (v.to_string(), m.to_string());
            self.index.get(&key(&lower)).or_else(|| self.index.get(&key(bare))).map(|&i| &self.entries[i])
        })
    }

    /// The rule catalogue entries of the two lifecycle rules (none without entries).
    pub fn rules(&self) -> Vec<RuleInfo> {
        let Some(first) = self.entries.first() else { return Vec::new() };
        // Examples from the data: a model announced without a shutdown day stays deprecated,
        // and the earliest shutdown is long past.
        let example = |e: Option<&Entry>| {
            let model = e.unwrap_or(first).models.first().map_or("", String::as_str);
            format!("model = \"{model}\"")
        };
        let deprecated = example(self.entries.iter().find(|e| e.deprecated.is_some() && e.retired.is_none()));
        let retired = example(self.entries.iter().filter(|e| e.retired.is_some()).min_by_key(|e| e.retired));
        let rule = |id: &str, severity, message: &str, docs: Docs| RuleInfo {
            id: id.into(),
            owner: OWNER.into(),
            owner_name: "Model lifecycle".into(),
            proprietary: false,
            kind: Kind::Model,
            capability: Capability::Other,
            severity,
            message: message.into(),
            docs,
            source: first.at.clone(),
            api: None,
        };
        vec![
            rule(
                DEPRECATED,
                Severity::Medium,
                "Model the vendor has deprecated",
                Docs {
                    what: "Finds model names the vendor has announced for retirement (rules/lifecycle.toml, each entry citing the vendor's deprecation page), as of the scan's `--as-of` date.".into(),
                    why: "A deprecated model stops answering on a date the vendor sets: the team has to migrate on the vendor's schedule, not its own.".into(),
                    example: deprecated,
                    example_file: "app.py".into(),
                    instead: "Move to the replacement the finding names, or to an open model you serve yourself, before the retirement date.".into(),
                },
            ),
            rule(
                RETIRED,
                Severity::High,
                "Model the vendor has retired",
                Docs {
                    what: "Finds model names whose retirement date has passed as of the scan's `--as-of` date: requests naming them fail.".into(),
                    why: "A retired model is a broken call path today, or code that only runs because a fallback hides the failure.".into(),
                    example: retired,
                    example_file: "app.py".into(),
                    instead: "Replace the model with the replacement the finding names (or an open model served by your own gateway); `fail_on_retired = true` in lockin.toml gates on it.".into(),
                },
            ),
        ]
    }

    /// One lifecycle finding beside each model finding whose model is deprecated or retired
    /// on `as_of`, at the same place; the caller sorts.
    pub fn findings(&self, findings: &[Finding], as_of: Date) -> Vec<Finding> {
        let mut out = Vec::new();
        for f in findings.iter().filter(|f| f.kind == Kind::Model) {
            let Some(Subject::Model { name, family }) = &f.subject else { continue };
            let Some(entry) = self.entry(&[f.vendor.as_str(), family.as_str()], name) else { continue };
            let Some(status) = entry.status(as_of) else { continue };
            let (rule_id, severity, message) = match status {
                Status::Retired => (
                    RETIRED,
                    Severity::High,
                    format!(
                        "Model `{name}` was retired on {}: requests fail; replacement: {}",
                        entry.retired.map_or_else(String::new, |d| d.to_string()),
                        entry.replacement
                    ),
                ),
                Status::Deprecated => (
                    DEPRECATED,
                    Severity::Medium,
                    match entry.retired {
                        Some(r) => format!(
                            "Model `{name}` is deprecated and retires on {r}; replacement: {}",
                            entry.replacement
                        ),
                        None => format!(
                            "Model `{name}` is deprecated (no retirement date announced); replacement: {}",
                            entry.replacement
                        ),
                    },
                ),
            };
            out.push(Finding { rule_id: rule_id.into(), severity, message, fingerprint: String::new(), ..f.clone() });
        }
        out
    }

    /// `(deprecated, retired)` counts among findings.
    pub fn counts(findings: &[Finding]) -> (u64, u64) {
        let n = |id: &str| findings.iter().filter(|f| f.rule_id == id).count() as u64;
        (n(DEPRECATED), n(RETIRED))
    }

    /// The report header's sentence about them (table and Markdown), or nothing when the code
    /// names no deprecated or retired model.
    pub fn summary(findings: &[Finding]) -> Option<String> {
        let (deprecated, retired) = Lifecycle::counts(findings);
        if deprecated + retired == 0 {
            return None;
        }
        let uses = |n: u64| if n == 1 { "1 use".to_string() } else { format!("{n} uses") };
        Some(format!(
            "Model lifecycle: {} of retired models (requests fail), {} of deprecated models (the vendor sets the date); `--kind model` lists them.",
            uses(retired),
            uses(deprecated)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(deprecated: Option<&str>, retired: Option<&str>) -> Entry {
        Entry {
            vendor: "openai".into(),
            models: vec!["m".into()],
            deprecated: deprecated.and_then(Date::parse),
            retired: retired.and_then(Date::parse),
            replacement: "n".into(),
            source: "https://example.com".into(),
            at: Location { path: "lifecycle.toml".into(), line: 1, column: 1 },
        }
    }

    #[test]
    fn parses_real_days_only() {
        assert_eq!(Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(), Some("2024-02-29"));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("24-01-01"), None);
    }

    #[test]
    fn unix_days_hand_worked() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        // 2024-01-04 is day 19,726 after the epoch.
        assert_eq!(Date::from_unix_days(19_726).to_string(), "2024-01-04");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn status_follows_the_dates() {
        let e = entry(Some("2023-07-06"), Some("2024-01-04"));
        let on = |s| e.status(Date::parse(s).unwrap());
        assert_eq!(on("2023-07-05"), None);
        assert_eq!(on("2023-07-06"), Some(Status::Deprecated));
        assert_eq!(on("2024-01-03"), Some(Status::Deprecated));
        assert_eq!(on("2024-01-04"), Some(Status::Retired));
        // No announcement date: deprecated until retired; no retirement date: deprecated.
        assert_eq!(
            entry(None, Some("2024-01-04")).status(Date::parse("2000-01-01").unwrap()),
            Some(Status::Deprecated)
        );
        assert_eq!(
            entry(Some("2025-09-15"), None).status(Date::parse("2030-01-01").unwrap()),
            Some(Status::Deprecated)
        );
    }

    #[test]
    fn looks_up_by_vendor_then_family_and_strips_prefixes() {
        let lc = Lifecycle::new(vec![entry(None, Some("2024-01-04"))]);
        assert!(lc.entry(&["azure-openai", "openai"], "openai/M").is_some());
        assert!(lc.entry(&["azure-openai"], "m").is_none());
    }
}
