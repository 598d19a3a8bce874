//! Key-shaped tokens are never printed: every key shape lockin knows is planted (Python,
//! JavaScript, Rust, `.env`-like comments, URLs, headers, client constructors, a suppression
//! reason, a manifest that fails to parse), the tree is scanned in every format, with
//! `--write-baseline`, `check` with a failing policy and `--show-suppressed`, and no part of
//! any key's random body may appear in standard output, standard error or a written file.

mod common;

use common::{lockin_in, Tree};

/// A deterministic generator of key bodies (xorshift), so that failures reproduce.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// `n` characters of `alphabet`, with at least one digit when the alphabet has digits.
    fn body(&mut self, n: usize, alphabet: &str) -> String {
        let a: Vec<char> = alphabet.chars().collect();
        loop {
            let s: String = (0..n).map(|_| a[(self.next() % a.len() as u64) as usize]).collect();
            if !alphabet.contains('0') || s.chars().any(|c| c.is_ascii_digit()) {
                return s;
            }
        }
    }
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const HEX: &str = "0123456789abcdef";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A planted key: what is written, and the body that must never be printed.
struct Key {
    text: String,
    body: String,
}

fn key(prefix: &str, body: String) -> Key {
    Key { text: format!("{prefix}{body}"), body }
}

/// Every key shape of issue 12, one or more of each.
fn keys() -> Vec<Key> {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    vec![
        key("sk-", g.body(48, ALNUM)),                                          // 0 OpenAI legacy
        key("sk-proj-", g.body(120, TOKEN)),                                    // 1 OpenAI project
        key("sk-svcacct-", g.body(100, TOKEN)),                                 // 2 OpenAI service account
        key("sk-admin-", g.body(100, TOKEN)),                                   // 3 OpenAI admin
        key("sk-ant-api03-", g.body(93, TOKEN) + "AA"),                         // 4 Anthropic
        key("sk-ant-oat01-", g.body(93, TOKEN) + "AA"),                         // 5 Anthropic OAuth
        key("sk-ant-admin01-", g.body(93, TOKEN) + "AA"),                       // 6 Anthropic admin
        key("AIza", g.body(35, TOKEN)),                                         // 7 Google, after ?key=
        key("AKIA", g.body(16, UPPER)),                                         // 8 AWS access key
        key("ASIA", g.body(16, UPPER)),                                         // 9 AWS temporary access key
        key("", g.body(40, BASE64)),                                            // 10 AWS secret access key
        key("", g.body(32, HEX)),                                               // 11 Azure, .env comment
        key("", g.body(84, ALNUM)),                                             // 12 Azure 84, header
        key("", g.body(40, ALNUM)),                                             // 13 Cohere
        key("", g.body(32, ALNUM)),                                             // 14 Mistral
        key("gsk_", g.body(52, ALNUM)),                                         // 15 Groq
        key("tgp_v1_", g.body(43, TOKEN)),                                      // 16 Together
        key("", g.body(64, HEX)),                                               // 17 Together (older)
        key("sk-", g.body(32, HEX)),                                            // 18 DeepSeek
        key("hf_", g.body(34, LETTERS)),                                        // 19 Hugging Face
        key("xai-", g.body(80, ALNUM)),                                         // 20 xAI
        key("pplx-", g.body(48, ALNUM)),                                        // 21 Perplexity
        key("fw_", g.body(24, ALNUM)),                                          // 22 Fireworks
        key("sk-or-v1-", g.body(64, HEX)),                                      // 23 OpenRouter
        key("r8_", g.body(37, ALNUM)),                                          // 24 Replicate
        key("", g.body(40, TOKEN)),                                             // 25 Bearer
        key("sk-", g.body(48, ALNUM)),                                          // 26 ?api_key=
        key("sk-proj-", g.body(100, TOKEN)),                                    // 27 # OPENAI_API_KEY=
        key("sk-proj-test", g.body(40, ALNUM)),                                 // 28 contains "test"
        key("sk-abcd1234", g.body(40, ALNUM)),                                  // 29 contains "abcd", "1234"
        key("sk-proj-", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGh".into()), // 30 placeholder-shaped
        key("", g.body(32, ALNUM)),                                             // 31 token= query value
        key("ABSK", g.body(110, BASE64)),                                       // 32 Bedrock API key
        key("", g.body(40, ALNUM)),                                             // 33 JS apiKey property
        key("", g.body(40, ALNUM)),                                             // 34 Rust builder
        key("sk-ant-api03-", g.body(93, TOKEN) + "AA"),                         // 35 suppression reason
        key("sk-proj-", g.body(100, TOKEN)),                                    // 36 manifest parse error
    ]
}

/// The tree: every line that holds a key also holds a finding, so its snippet is printed.
fn plant(t: &Tree, k: &[Key]) {
    let t_ = |i: usize| k[i].text.as_str();
    let py = format!(
        r#"import openai
c0 = openai.OpenAI(api_key="{}")
c1 = openai.OpenAI(api_key='{}')
c2 = openai.OpenAI(api_key="{}")
c3 = openai.OpenAI(api_key="{}")
c4 = openai.OpenAI(api_key="{}")  # anthropic key by mistake
c5 = openai.OpenAI(api_key="{}")
c6 = openai.OpenAI(default_headers={{"x-api-key": "{}"}})
c7 = openai.OpenAI(base_url="https://generativelanguage.googleapis.com/v1beta/openai/?key={}")
c8 = openai.OpenAI()  # aws_access_key_id = "{}"
c9 = openai.OpenAI()  # AWS_ACCESS_KEY_ID={}
c10 = openai.OpenAI()  # aws_secret_access_key = "{}"
c11 = openai.OpenAI()  # AZURE_OPENAI_API_KEY={}
c12 = openai.OpenAI(default_headers={{"api-key": "{}"}})
c13 = openai.OpenAI()  # COHERE_API_KEY={}
c14 = openai.OpenAI(api_key="{}")
c15 = openai.OpenAI(api_key="{}", base_url="https://api.groq.com/openai/v1")
c16 = openai.OpenAI(api_key="{}")
c17 = openai.OpenAI(api_key="{}")
c18 = openai.OpenAI(api_key="{}", base_url="https://api.deepseek.com")
c19 = openai.OpenAI(api_key="{}")
c20 = openai.OpenAI(api_key="{}")
c21 = openai.OpenAI(api_key="{}")
c22 = openai.OpenAI(api_key="{}")
c23 = openai.OpenAI(api_key="{}")
c24 = openai.OpenAI(api_key="{}")
c25 = openai.OpenAI(default_headers={{"Authorization": "Bearer {}"}})
c26 = openai.OpenAI(base_url="https://api.openai.com/v1?api_key={}")
c27 = openai.OpenAI()  # OPENAI_API_KEY={}
c28 = openai.OpenAI(api_key="{}")
c29 = openai.OpenAI(api_key="{}")
c30 = openai.OpenAI(api_key="{}")
c31 = openai.OpenAI(base_url="https://api.openai.com/v1?token={}&x=1")
c32 = openai.OpenAI()  # AWS_BEARER_TOKEN_BEDROCK={}
c35 = openai.OpenAI()  # lockin: ignore[openai] rotated, was {}
"#,
        t_(0),
        t_(1),
        t_(2),
        t_(3),
        t_(4),
        t_(5),
        t_(6),
        t_(7),
        t_(8),
        t_(9),
        t_(10),
        t_(11),
        t_(12),
        t_(13),
        t_(14),
        t_(15),
        t_(16),
        t_(17),
        t_(18),
        t_(19),
        t_(20),
        t_(21),
        t_(22),
        t_(23),
        t_(24),
        t_(25),
        t_(26),
        t_(27),
        t_(28),
        t_(29),
        t_(30),
        t_(31),
        t_(32),
        t_(35),
    );
    t.write("app/keys.py", py);
    t.write(
        "web/client.ts",
        format!(
            "import OpenAI from \"openai\";\nconst mistral = new OpenAI({{ apiKey: \"{}\", baseURL: \"https://api.mistral.ai/v1\" }});\nconst c = new OpenAI({{ apiKey: \"{}\" }});\n",
            t_(33),
            t_(1)
        ),
    );
    t.write(
        "rs/src/main.rs",
        format!(
            "use async_openai::{{config::OpenAIConfig, Client}};\nfn main() {{ let c = Client::with_config(OpenAIConfig::new().with_api_key(\"{}\")); }}\n",
            t_(34)
        ),
    );
    // A manifest that does not parse, its broken line holding a key: the error may quote it.
    t.write("broken/pyproject.toml", format!("[project]\ndependencies = [\"openai\"\napi_key = \"{}\" =\n", t_(36)));
}

/// Panics if any 10 characters of a key's body appear in `out`.
fn assert_masked(what: &str, out: &str, keys: &[Key]) {
    for (i, k) in keys.iter().enumerate() {
        let chars: Vec<char> = k.body.chars().collect();
        for w in chars.windows(10) {
            let piece: String = w.iter().collect();
            assert!(
                !out.contains(&piece),
                "{what}: key {i} ({}…) shows `{piece}`:\n{out}",
                &k.text[..k.text.len().min(12)]
            );
        }
    }
}

#[test]
fn no_key_is_printed_in_any_output() {
    let keys = keys();
    assert!(keys.len() >= 30);
    let t = Tree::new();
    plant(&t, &keys);
    let mut runs = 0;
    let mut check = |what: &str, args: &[&str]| {
        let run = lockin_in(t.path(), args);
        run.completed();
        assert_masked(&format!("{what} stdout"), &String::from_utf8_lossy(&run.stdout), &keys);
        assert_masked(&format!("{what} stderr"), &run.stderr, &keys);
        runs += 1;
        run
    };
    for format in ["table", "json", "markdown", "sarif", "cyclonedx", "gitlab"] {
        let run = check(format, &["scan", ".", "--format", format, "--color", "never", "--show-suppressed"]);
        assert!(!run.stdout.is_empty(), "{format} printed nothing");
    }
    // The keys' lines are reported: masking, not losing findings, keeps them out.
    let json = check("json", &["scan", ".", "--format", "json"]).json();
    let snippets: Vec<&str> =
        json["findings"].as_array().unwrap().iter().filter_map(|f| f["snippet"].as_str()).collect();
    assert!(snippets.iter().filter(|s| s.contains("…[REDACTED]")).count() >= 30, "{snippets:#?}");
    assert!(snippets.iter().any(|s| s.contains("sk-proj-…[REDACTED]")), "the prefix stays: {snippets:#?}");
    let secrets = json["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "secret").count();
    assert!(secrets > 0, "real-looking keys are still reported as secrets");

    check("baseline", &["scan", ".", "--format", "json", "--write-baseline", "baseline.json"]);
    let baseline = std::fs::read_to_string(t.at("baseline.json")).unwrap();
    assert!(baseline.contains("REDACTED"), "{baseline}");
    assert_masked("baseline file", &baseline, &keys);

    let run = check("check", &["check", ".", "--fail-on", "low", "--no-config", "--color", "never"]);
    assert_eq!(run.code, Some(1), "the policy fails");
    check("check --show-suppressed", &["check", ".", "--fail-on", "info", "--show-suppressed", "--format", "table"]);

    // Reports written to files.
    let written = ["out.sarif", "out.md", "out.json"];
    check(
        "written reports",
        &[
            "scan", ".", "-f", "sarif", "-o", written[0], "-f", "markdown", "-o", written[1], "-f", "json", "-o",
            written[2],
        ],
    );
    for w in written {
        assert_masked(w, &std::fs::read_to_string(t.at(w)).unwrap(), &keys);
    }
    assert!(runs >= 10);
}
