//! Masking of key-shaped tokens in text that comes from the scanned code. Input: any text
//! (a source line, a message, a suppression reason, an error). Output: the same text with
//! every token of a known key shape replaced by its kind prefix (`sk-proj-`, `AIza`, or
//! nothing) and `…[REDACTED]`. Masking does not judge whether a key looks real (entropy,
//! placeholder words): that only decides whether a `secret` finding is reported
//! ([`super::matcher::secrets_in`]); a token of a key's shape is never shown.
//!
//! Three kinds of shape:
//! - a vendor prefix at the start of a token followed by enough key characters
//!   ([`PREFIXES`]), wherever it stands;
//! - `Bearer <token>`;
//! - the value of a name holding `key`, `secret`, `token`, `password`, `credential` or
//!   `auth` (assignment, keyword argument, object property, header, query parameter,
//!   `.env` line, builder call) when it is random-looking: 16 characters or more with a
//!   digit, and not a dotted name, a call, or words in one case (`gpt-4o-mini-2024-07-18`,
//!   `OPENAI_API_KEY_2`). This covers keys with no prefix: Azure (32 hex, 84 characters),
//!   Cohere (40), Mistral (32), Together (64 hex), AWS secret access keys (40 base64).
//!
//! Linear in the text: one pass of each regular expression, and a key's body is read once.

use regex::Regex;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

/// What replaces a key's body.
pub const MASK: &str = "…[REDACTED]";

/// A vendor prefix: at least `min` body characters of `body` follow it.
struct Prefix {
    prefix: &'static str,
    min: usize,
    body: fn(char) -> bool,
    /// The generic `sk-` needs a digit or a capital in its body, or `sk-learn-...` names
    /// would be masked.
    mixed: bool,
}

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn upper_alnum(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn base64_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+/=".contains(c)
}

const fn p(prefix: &'static str, min: usize, body: fn(char) -> bool) -> Prefix {
    Prefix { prefix, min, body, mixed: false }
}

/// Key prefixes, longest first where one starts another. Formats from the vendors' key
/// documentation and SDKs, cross-checked with the gitleaks default rules
/// (gitleaks/gitleaks `config/gitleaks.toml`); minimum lengths are below the real ones so
/// that truncated or edited keys are masked too.
const PREFIXES: &[Prefix] = &[
    // Anthropic: `sk-ant-api03-` API keys, `sk-ant-admin01-` Admin API keys, `sk-ant-oat01-`
    // OAuth tokens (Claude Code), each 90+ characters of [A-Za-z0-9_-] ending in `AA`.
    p("sk-ant-api03-", 16, token_char),
    p("sk-ant-admin01-", 16, token_char),
    p("sk-ant-oat01-", 16, token_char),
    p("sk-ant-", 16, token_char),
    // OpenRouter: `sk-or-v1-` + 64 hex.
    p("sk-or-v1-", 16, token_char),
    // OpenAI project, service-account and admin keys (`sk-proj-`, `sk-svcacct-`, `sk-admin-`,
    // 100+ characters with `T3BlbkFJ` inside), legacy user keys `sk-` + 48 alphanumerics;
    // DeepSeek and Moonshot keys are `sk-` + 32 hex.
    p("sk-proj-", 16, token_char),
    p("sk-svcacct-", 16, token_char),
    p("sk-admin-", 16, token_char),
    Prefix { prefix: "sk-", min: 20, body: token_char, mixed: true },
    // Google API keys: `AIza` + 35 of [0-9A-Za-z_-].
    p("AIza", 30, token_char),
    // AWS access key ids: `AKIA` (long-term), `ASIA` (temporary), `ABIA`, `ACCA`, `A3T?` + 16
    // of [A-Z0-9] (IAM "Unique identifiers"). Bedrock API keys: `ABSK` + base64, or
    // `bedrock-api-key-` + base64 (short-term).
    p("AKIA", 16, upper_alnum),
    p("ASIA", 16, upper_alnum),
    p("ABIA", 16, upper_alnum),
    p("ACCA", 16, upper_alnum),
    p("ABSK", 60, base64_char),
    p("bedrock-api-key-", 60, base64_char),
    // Groq: `gsk_` + 52 alphanumerics.
    p("gsk_", 40, alnum),
    // Together AI: `tgp_v1_` + 43 of [A-Za-z0-9_-] (older keys are 64 hex: see the key context).
    p("tgp_v1_", 20, token_char),
    // Hugging Face user access tokens `hf_` + 34 letters; organization tokens `api_org_`.
    p("hf_", 30, alnum),
    p("api_org_", 30, alnum),
    // xAI: `xai-` + 80 alphanumerics. Perplexity: `pplx-` + 48. Fireworks: `fw_` + 24.
    // Replicate: `r8_` + 37.
    p("xai-", 40, alnum),
    p("pplx-", 40, alnum),
    p("fw_", 16, alnum),
    p("r8_", 30, alnum),
];

fn prefix_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let alternatives: Vec<String> = PREFIXES.iter().map(|p| regex::escape(p.prefix)).collect();
        Regex::new(&format!("(?:{})", alternatives.join("|"))).expect("valid regex")
    })
}

/// `Bearer <token>` (RFC 6750 §2.1 b64token characters).
fn bearer_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\bbearer[ \t]+([A-Za-z0-9_\-.~+/]{16,}=*)").expect("valid regex"))
}

/// A name holding a credential word, then what binds a value to it (`=`, `:`, `=>`, `:=`,
/// `(` of a builder or setter call, `,` of `setdefault("KEY", ...)`), then the value, maybe
/// quoted. The name is bounded so that a long run of name characters costs no more than
/// its length.
fn context_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"[A-Za-z0-9_.\-]{0,64}(?i:key|secret|token|passw|pwd|credential|auth)[A-Za-z0-9_\-]{0,64}["'\]]{0,2}[ \t]*(?::=|=>|=|:|\(|,)[ \t]*(?:[rbfRBF]?["'`])?([A-Za-z0-9_\-.~+/]+=*)"#,
        )
        .expect("valid regex")
    })
}

/// Whether a value bound to a credential name is a key rather than a reference to one.
fn random_value(value: &str, after: Option<char>) -> bool {
    if value.len() < 16 || !value.bytes().any(|b| b.is_ascii_digit()) || after == Some('(') {
        return false;
    }
    // A JSON web token.
    if value.starts_with("eyJ") {
        return true;
    }
    // `settings.openai_key2`, `self.cfg.API_KEY_1`: attribute access.
    let ident = |s: &str| {
        let mut c = s.chars();
        c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || f == '$')
            && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '$')
    };
    if value.contains('.') && value.split('.').all(ident) {
        return false;
    }
    // Words in one case each (`OPENAI_API_KEY_2`, `gpt-4o-2024-08-06`, `models/x-1.5`).
    let parts: Vec<&str> = value.split(['_', '-', '/', '.']).filter(|s| !s.is_empty()).collect();
    let one_case = |s: &str| !s.bytes().any(|b| b.is_ascii_uppercase()) || !s.bytes().any(|b| b.is_ascii_lowercase());
    !(parts.len() >= 2 && parts.iter().all(|s| one_case(s)))
}

/// Byte ranges of the key bodies in `text` (a vendor prefix in front of one stays out of
/// it): sorted, not overlapping.
pub fn key_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    // Vendor prefixes: find one, read its body once, go on after it.
    let re = prefix_regex();
    let mut at = 0;
    while let Some(m) = re.find_at(text, at) {
        at = m.end();
        if text[..m.start()].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let Some(shape) = PREFIXES.iter().find(|p| p.prefix == m.as_str()) else { continue };
        let body_len: usize = text[m.end()..].chars().take_while(|&c| (shape.body)(c)).map(char::len_utf8).sum();
        let body = &text[m.end()..m.end() + body_len];
        at = m.end() + body_len;
        let mixed_ok = !shape.mixed || body.bytes().any(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        if body.chars().count() >= shape.min && mixed_ok {
            out.push(m.end()..m.end() + body_len);
        }
    }
    for cap in bearer_regex().captures_iter(text) {
        let v = cap.get(1).expect("group 1");
        out.push(v.range());
    }
    for cap in context_regex().captures_iter(text) {
        let v = cap.get(1).expect("group 1");
        if random_value(v.as_str(), text[v.end()..].chars().next()) {
            // A vendor prefix stays shown, as it would without the context.
            let kept = PREFIXES.iter().find(|p| v.as_str().starts_with(p.prefix)).map_or(0, |p| p.prefix.len());
            out.push(v.start() + kept..v.end());
        }
    }
    merge(out)
}

/// Sorts ranges and joins those that overlap.
pub fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `text` with each range replaced by [`MASK`].
pub fn replace(text: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in ranges {
        out.push_str(&text[last..r.start]);
        out.push_str(MASK);
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

/// `text` with every key-shaped token masked (built-in shapes only: for text that no rule
/// set is at hand for, such as errors).
pub fn mask(text: &str) -> Cow<'_, str> {
    let ranges = key_ranges(text);
    if ranges.is_empty() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(replace(text, &ranges))
    }
}

/// Masks `s` in place.
pub fn mask_in_place(s: &mut String) {
    if let Cow::Owned(m) = mask(s) {
        *s = m;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(s: &str) -> String {
        mask(s).into_owned()
    }

    #[test]
    fn vendor_prefixes_keep_only_the_prefix() {
        let k = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
        assert_eq!(masked(&format!("OpenAI(api_key=\"{k}\")")), "OpenAI(api_key=\"sk-proj-…[REDACTED]\")");
        assert_eq!(masked("u = '?key=AIzaSyA1234567890abcdefghijklmnopqrstu'"), "u = '?key=AIza…[REDACTED]'");
        assert_eq!(masked("# OPENAI_API_KEY=sk-test1234abcd5678efgh9012ijkl"), "# OPENAI_API_KEY=sk-…[REDACTED]");
        assert_eq!(masked("AKIAIOSFODNN7EXAMPLE"), "AKIA…[REDACTED]");
        assert_eq!(masked("t = 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH'"), "t = 'hf_…[REDACTED]'");
    }

    #[test]
    fn keys_without_a_prefix_are_masked_in_a_key_context() {
        let hex = "0123456789abcdef0123456789abcdef";
        assert_eq!(masked(&format!("AZURE_OPENAI_API_KEY={hex}")), "AZURE_OPENAI_API_KEY=…[REDACTED]");
        assert_eq!(masked(&format!("headers={{\"api-key\": \"{hex}\"}}")), "headers={\"api-key\": \"…[REDACTED]\"}");
        assert_eq!(
            masked("aws_secret_access_key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'"),
            "aws_secret_access_key = '…[REDACTED]'"
        );
        assert_eq!(
            masked("h = {'Authorization': 'Bearer abcDEF123456ghiJKL789'}"),
            "h = {'Authorization': 'Bearer …[REDACTED]'}"
        );
        // Not in a key context, a hex string is ordinary code.
        assert_eq!(masked(&format!("digest = '{hex}'")), format!("digest = '{hex}'"));
    }

    #[test]
    fn references_to_keys_are_left_alone() {
        for line in [
            "client = OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])",
            "api_key=settings.openai_api_key_2024",
            "key: process.env.OPENAI_API_KEY_V2",
            "api_key=get_key_for_2024(user)",
            "secret_name = \"AZURE_OPENAI_KEY_2\"",
            "token_model = 'gpt-4o-mini-2024-07-18'",
            "import sklearn; x = 'sk-learn-is-a-package-name'",
            "task-0123456789abcdefghijABCDEFGH",
        ] {
            assert_eq!(masked(line), line);
        }
    }

    #[test]
    fn masking_is_idempotent_and_linear() {
        let once = masked("a = 'sk-ant-oat01-0123456789abcdefghijABCDEFGHIJ' key=0123456789abcdef0123");
        assert_eq!(masked(&once), once);
        // A long run of prefixes is one body, read once.
        let long = "sk-A".repeat(100_000);
        assert!(masked(&long).len() < 100);
    }
}
