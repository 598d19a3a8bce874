//! Spring configuration (`application.yml`, `application-<profile>.yaml`, `application.properties`,
//! `bootstrap.*`): the `spring.ai.<provider>.*` keys that choose Spring AI's model provider and
//! its base URL. Input: the file's text; output: one `client` finding per provider prefix the
//! file configures (at its first key), served by the vendor its `base-url` names, and model
//! names among the values. The prefixes are the `language = "java"` client constructors that
//! start with `spring.ai.` (rules/*.toml), so a provider is data. YAML is flattened line by line
//! (nested mappings by indentation; lists and multi-line scalars are passed over); it never
//! evaluates `${...}` beyond reading a placeholder as the variable it names.

use super::emit;
use super::matcher;
use super::path::{ArgValue, CallArgs, Path, Seg};
use super::{FileOutput, LineIndex, Span};
use crate::ecosystem::Ecosystem;
use crate::rules::RuleSet;
use std::sync::Arc;

/// A flattened key, its value and the byte offset of its line.
type Entry = (String, String, usize);

/// Whether a (lower-case) file name is a Spring configuration file lockin reads:
/// `application.yml`, `application-<profile>.yaml`, `bootstrap.properties`, ...
pub fn is_config_name(lower: &str) -> bool {
    let Some((stem, ext)) = lower.rsplit_once('.') else { return false };
    matches!(ext, "yml" | "yaml" | "properties")
        && ["application", "bootstrap"]
            .iter()
            .any(|b| stem == *b || stem.strip_prefix(b).is_some_and(|r| r.starts_with('-')))
}

/// Whether a relative path is a Spring configuration file ([`is_config_name`]).
pub fn is_config_path(rel: &str) -> bool {
    is_config_name(&rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase())
}

/// The services Spring AI's auto-configuration registers for the chat provider a file
/// chooses, by the type a class asks for (spring-ai `ChatClientAutoConfiguration` gives a
/// `ChatClient.Builder` over the `ChatModel` bean, docs.spring.io/spring-ai/reference/api/chatclient.html).
const CHAT_SERVICES: [&str; 4] = ["ChatModel", "ChatClient.Builder", "StreamingChatModel", "ChatClient"];

/// The key that picks the chat provider when several starters are present (Spring AI 1.0,
/// docs.spring.io/spring-ai/reference/api/chat/openai-chat.html: `spring.ai.model.chat=openai`,
/// `none` to turn chat auto-configuration off).
const CHAT_SELECTOR: &str = "spring.ai.model.chat";

/// The root of Spring AI's configuration keys.
const SPRING_AI: &str = "spring.ai.";

/// The root of the LangChain4j Spring Boot starters' configuration keys (langchain4j/langchain4j-spring
/// at 7b54349, `langchain4j-<provider>-spring-boot-starter/.../Properties.java`: `PREFIX =
/// "langchain4j.open-ai"`, one nested property per model: `chatModel`, `streamingChatModel`,
/// `embeddingModel`, `imageModel`, ...).
const LANGCHAIN4J: &str = "langchain4j.";

/// The configuration key prefixes the Java client rules declare as constructors under `root`
/// (`spring.ai.openai`, `langchain4j.open-ai.chat-model`).
fn config_prefixes<'r>(rules: &'r RuleSet, root: &str) -> Vec<&'r str> {
    rules
        .clients
        .iter()
        .filter(|c| c.ecosystem == Ecosystem::Java)
        .flat_map(|c| c.constructors.iter())
        .filter(|k| k.starts_with(root))
        .map(String::as_str)
        .collect()
}

/// The `spring.ai.<provider>` key prefixes the Java client rules declare as constructors; a
/// model type's own prefix under a provider's (`spring.ai.openai.embedding`, [`MODEL_TYPES`]) is
/// not a provider.
fn provider_prefixes(rules: &RuleSet) -> Vec<&str> {
    let all = config_prefixes(rules, SPRING_AI);
    all.iter()
        .copied()
        .filter(|p| !all.iter().any(|q| p.strip_prefix(*q).is_some_and(|r| r.starts_with('.'))))
        .collect()
}

/// Spring AI's model types other than chat, each as the key under a provider's prefix its
/// properties live at, the interfaces a class asks for to be given it, and the key choosing
/// among providers (spring-projects/spring-ai, spring-ai-model `SpringAIModelProperties`:
/// `spring.ai.model.embedding`, `.image`, `.audio.transcription`, `.audio.speech`; the
/// interfaces `org.springframework.ai.embedding.EmbeddingModel`, `ai.image.ImageModel`,
/// `ai.audio.transcription.TranscriptionModel`, `ai.audio.tts.TextToSpeechModel` and the
/// 1.0-M `ai.openai.audio.speech.SpeechModel`). A provider's starter registers a model of a
/// type only when its auto-configuration has one (`OpenAiEmbeddingAutoConfiguration`,
/// `OpenAiImageAutoConfiguration`, `OpenAiAudioTranscriptionAutoConfiguration`,
/// `OpenAiAudioSpeechAutoConfiguration`, ...; auto-configurations/models/spring-ai-autoconfigure-model-<p>):
/// the rules say so by declaring the client `spring.ai.<p>.<type>` (CONFIG_PREFIX of that
/// auto-configuration's properties), which the provider's keys build.
const MODEL_TYPES: [(&str, &[&str], &str); 4] = [
    ("embedding", &["EmbeddingModel"], "spring.ai.model.embedding"),
    ("image", &["ImageModel"], "spring.ai.model.image"),
    ("audio.transcription", &["TranscriptionModel"], "spring.ai.model.audio.transcription"),
    ("audio.speech", &["TextToSpeechModel", "SpeechModel"], "spring.ai.model.audio.speech"),
];

/// What a configuration prefix registers for injection: per service type, the constructor
/// (a `.`-separated key) the registration is built as and the key that chooses among
/// Spring AI's providers for it (empty for LangChain4j, which configures each model on its
/// own key): Spring AI's chat services over the provider's own client, each model type the
/// rules declare under it ([`MODEL_TYPES`]), a LangChain4j model's interfaces ([`services_of`]).
fn registrations(rules: &RuleSet, prefix: &str) -> Vec<(&'static str, String, &'static str)> {
    if !prefix.starts_with(SPRING_AI) {
        return services_of(prefix).iter().map(|s| (*s, prefix.to_string(), "")).collect();
    }
    let mut out: Vec<_> = CHAT_SERVICES.iter().map(|s| (*s, prefix.to_string(), CHAT_SELECTOR)).collect();
    let declared = config_prefixes(rules, SPRING_AI);
    for (sub, services, selector) in MODEL_TYPES {
        let key = format!("{prefix}.{sub}");
        if declared.contains(&key.as_str()) {
            out.extend(services.iter().map(|s| (*s, key.clone(), selector)));
        }
    }
    out
}

/// A configuration key as a constructor call with `args` (`spring.ai.openai.embedding(..)`).
fn constructor_path(key: &str, args: Arc<CallArgs>) -> Path {
    let mut path = Path(key.split('.').map(|s| Seg { name: s.to_string(), call: None }).collect());
    if let Some(last) = path.0.last_mut() {
        last.call = Some(args);
    }
    path
}

/// The types a class asks for to be given the model a LangChain4j starter's
/// `langchain4j.<provider>.<model>` prefix sets up: the langchain4j-core interface its auto-configuration
/// registers that model as (`chat-model` a `ChatModel`, `streaming-chat-model` a
/// `StreamingChatModel`, `embedding-model` an `EmbeddingModel`, `image-model` an `ImageModel`;
/// the 0.x names `ChatLanguageModel` and `StreamingChatLanguageModel` too).
fn services_of(prefix: &str) -> &'static [&'static str] {
    match prefix.rsplit('.').next() {
        Some("chat-model") => &["ChatModel", "ChatLanguageModel"],
        Some("streaming-chat-model") => &["StreamingChatModel", "StreamingChatLanguageModel"],
        Some("embedding-model") => &["EmbeddingModel"],
        Some("image-model") => &["ImageModel"],
        _ => &[],
    }
}

/// Detects the Spring AI providers one configuration file sets up.
pub fn detect(rel: &str, text: &str, rules: &RuleSet, out: &mut FileOutput) {
    let lines = LineIndex::new(text);
    let keys = if rel.ends_with(".properties") { properties(text) } else { yaml(text) };
    let mut prefixes = provider_prefixes(rules);
    prefixes.extend(config_prefixes(rules, LANGCHAIN4J));
    // Per prefix (longest that matches), its keys in order.
    let mut found: Vec<(&str, Vec<&Entry>)> = Vec::new();
    for entry in &keys {
        let key = entry.0.as_str();
        let best = prefixes
            .iter()
            .filter(|p| key.strip_prefix(**p).is_some_and(|r| r.starts_with('.')))
            .max_by_key(|p| p.len());
        if let Some(p) = best {
            match found.iter_mut().find(|(q, _)| q == p) {
                Some((_, list)) => list.push(entry),
                None => found.push((p, vec![entry])),
            }
        }
        let model_key = key.rsplit('.').next().is_some_and(|k| k.contains("model") || k.contains("deployment"));
        if key.starts_with(SPRING_AI) || key.starts_with(LANGCHAIN4J) {
            let span = span_at(text, &lines, entry);
            for e in emit::literal(rules, &entry.1, Some(&entry.1), model_key, None) {
                out.emit(rules, lines.line_text(text, span.line), span, e);
            }
        }
    }
    // The prefixes a selector key (`spring.ai.model.chat=openai`) leaves chosen for its model type.
    let configured: Vec<&str> = found.iter().map(|(p, _)| *p).collect();
    let chosen = |selector: &str| -> Vec<&str> {
        let selected = keys.iter().find(|(k, _, _)| !selector.is_empty() && k == selector).map(|(_, v, _)| squash(v));
        match &selected {
            // The selector chooses among Spring AI's providers only.
            Some(v) => {
                let selected =
                    |p: &&str| !p.starts_with(SPRING_AI) || squash(&p[SPRING_AI.len()..]).starts_with(v.as_str());
                configured.iter().copied().filter(selected).collect()
            }
            None => configured.clone(),
        }
    };
    // The prefix that alone, among those chosen, sets up a service of each type.
    let only = |prefix: &str, service: &str, selector: &str| {
        chosen(selector)
            .into_iter()
            .filter(|p| registrations(rules, p).iter().any(|r| r.0 == service))
            .collect::<Vec<_>>()
            == [prefix]
    };
    for (prefix, entries) in found {
        let mut args = CallArgs::default();
        for (key, value, _) in &entries {
            args.keywords.push((key[prefix.len() + 1..].to_string(), value_of(value)));
        }
        let args = Arc::new(args);
        let path = constructor_path(prefix, args.clone());
        let Some(m) = matcher::construction(rules, Ecosystem::Java, &path) else { continue };
        let span = span_at(text, &lines, entries[0]);
        out.emit(rules, lines.line_text(text, span.line), span, emit::configured_client(rules, &m, prefix));
        // The provider chosen for each model type, when the file chooses exactly one: what
        // Spring injects where a class asks for a `ChatModel`, a `ChatClient.Builder`, an
        // `EmbeddingModel`, ... LangChain4j configures each model on its own key
        // (`chat-model`, `streaming-chat-model`).
        for (service, key, selector) in registrations(rules, prefix) {
            if only(prefix, service, selector) {
                out.exports.push((format!("{}{service}", super::SERVICE), constructor_path(&key, args.clone())));
            }
        }
        // The bean the starter registers it as, for an `@AiService` that names it.
        if let Some(bean) = starter_bean(prefix) {
            out.exports.push((format!("{}{}{bean}", super::SERVICE, super::jvm::BEAN), path.clone()));
        }
    }
}

/// The name of the bean a LangChain4j starter registers for a configured model: its
/// auto-configuration's `@Bean` method, the prefix's segments after `langchain4j` in camel
/// case (`langchain4j.open-ai.chat-model` → `openAiChatModel`; langchain4j/langchain4j-spring
/// at 7b54349, `langchain4j-open-ai-spring-boot-starter/.../AutoConfig.java`: `@Bean
/// OpenAiChatModel openAiChatModel(Properties properties)`, and so for each starter).
fn starter_bean(prefix: &str) -> Option<String> {
    let rest = prefix.strip_prefix(LANGCHAIN4J)?;
    let mut bean = String::new();
    for (i, word) in rest.split(['.', '-']).filter(|w| !w.is_empty()).enumerate() {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            bean.push(if i == 0 { first.to_ascii_lowercase() } else { first.to_ascii_uppercase() });
            bean.extend(chars);
        }
    }
    (!bean.is_empty()).then_some(bean)
}

/// Whether a relative path is a Maven or Gradle build file (`pom.xml`, `build.gradle`,
/// `build.gradle.kts`), whose Spring AI starter may choose the provider ([`starter_services`]).
pub fn is_build_path(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name == "pom.xml" || name == "build.gradle" || name == "build.gradle.kts"
}

/// How a file registering a service for injection ranks: code 0, configuration 1, a build
/// file's starter 2. Of a project's registrations, only those of the lowest rank apply: a
/// `@Bean` wins over `application.yml`, which wins over the starter alone.
pub fn registration_rank(rel: &str) -> u8 {
    if is_config_path(rel) {
        1
    } else if is_build_path(rel) {
        2
    } else {
        0
    }
}

/// The chat provider a Maven or Gradle build chooses by its Spring AI starter alone, when it
/// names exactly one: `org.springframework.ai:spring-ai-starter-model-<provider>` (Spring AI
/// 1.0), the earlier `spring-ai-<provider>-spring-boot-starter`, or a vendor's own
/// `spring-ai-<vendor>-starter-<provider>` (Spring AI Alibaba's `spring-ai-alibaba-starter-dashscope`).
/// Spring Boot auto-configures that provider's `ChatModel` and a `ChatClient.Builder` over it
/// (docs.spring.io/spring-ai/reference/getting-started.html, "Add dependencies"; the starter is
/// enough, the API key coming from the environment), so its services are exported as a
/// configuration file's are, ranked below one ([`registration_rank`]). `coordinates` are
/// `group:artifact` names as the manifest reads them.
pub fn starter_services(coordinates: &[String], rules: &RuleSet, out: &mut FileOutput) {
    vector_store_starter(coordinates, out);
    let prefixes = provider_prefixes(rules);
    let mut chosen: Vec<&str> = Vec::new();
    for coordinate in coordinates {
        let artifact = coordinate.rsplit(':').next().unwrap_or(coordinate);
        let provider = if let Some(p) = artifact.strip_prefix("spring-ai-starter-model-") {
            p
        } else if let Some(p) = artifact.strip_prefix("spring-ai-").and_then(|a| a.strip_suffix("-spring-boot-starter"))
        {
            p
        } else if let Some((_, p)) = artifact.strip_prefix("spring-ai-").and_then(|a| a.split_once("-starter-")) {
            p
        } else {
            continue;
        };
        let provider = squash(provider);
        let prefix = prefixes
            .iter()
            .filter(|p| {
                let tail = squash(&p[SPRING_AI.len()..]);
                !tail.is_empty() && provider.starts_with(&tail)
            })
            .max_by_key(|p| p.len());
        if let Some(p) = prefix {
            if !chosen.contains(p) {
                chosen.push(p);
            }
        }
    }
    let [prefix] = chosen[..] else { return };
    let args = Arc::new(CallArgs::default());
    if matcher::construction(rules, Ecosystem::Java, &constructor_path(prefix, args.clone())).is_some() {
        for (service, key, _) in registrations(rules, prefix) {
            out.exports.push((format!("{}{service}", super::SERVICE), constructor_path(&key, args.clone())));
        }
    }
}

/// The vector store a Spring AI vector store starter auto-configures: `spring-ai-starter-vector-store-<db>`
/// (Spring AI 1.0, docs.spring.io/spring-ai/reference/api/vectordbs/pgvector.html "Auto-configuration":
/// `org.springframework.ai:spring-ai-starter-vector-store-pgvector`) or the earlier
/// `spring-ai-<db>-store-spring-boot-starter` registers a `VectorStore` over the project's
/// `EmbeddingModel` bean, which embeds what it adds and searches. Exported as the rules' vector
/// store over that service ([`VECTOR_STORE`]): its vendor is the embedding model's, read when
/// linking; none where the project registers no embedding model.
fn vector_store_starter(coordinates: &[String], out: &mut FileOutput) {
    let starter = coordinates.iter().any(|c| {
        let artifact = c.rsplit(':').next().unwrap_or(c);
        artifact.starts_with("spring-ai-starter-vector-store-")
            || (artifact.starts_with("spring-ai-") && artifact.ends_with("-store-spring-boot-starter"))
    });
    if !starter {
        return;
    }
    let model = Path(vec![Seg { name: format!("{}EmbeddingModel", super::SERVICE), call: None }]);
    let args =
        CallArgs { keywords: vec![("embeddingModel".to_string(), ArgValue::Path(model))], ..CallArgs::default() };
    out.exports.push((format!("{}VectorStore", super::SERVICE), constructor_path(VECTOR_STORE, Arc::new(args))));
}

/// The constructor rules/spring-ai.toml declares for a vector store auto-configured over the
/// project's embedding model (`vendor_from = "embeddingModel"`).
const VECTOR_STORE: &str = "org.springframework.ai.vectorstore.VectorStore";

/// A provider's name without separators or case (`azure-openai`, `azure.openai` -> `azureopenai`).
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// A value as an argument: `${OPENAI_BASE_URL}` is that variable, `${X:http://...}` its default.
fn value_of(v: &str) -> ArgValue {
    match v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        Some(inner) => match inner.split_once(':') {
            Some((_, default)) if !default.is_empty() => ArgValue::Str(default.to_string()),
            Some((name, _)) => ArgValue::Env(name.to_string()),
            None => ArgValue::Env(inner.to_string()),
        },
        None => ArgValue::Str(v.to_string()),
    }
}

fn span_at(text: &str, lines: &LineIndex, entry: &Entry) -> Span {
    let line_end = text[entry.2..].find('\n').map_or(text.len(), |i| entry.2 + i);
    lines.span(text, entry.2, line_end)
}

/// `key=value`, `key: value` and `key value` lines of a `.properties` file: (key, value, offset).
pub(crate) fn properties(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset + (line.len() - line.trim_start().len());
        offset += line.len();
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with('!') {
            continue;
        }
        let cut = t.find(['=', ':']).or_else(|| t.find(char::is_whitespace));
        let (k, v) = cut.map_or((t, ""), |i| (&t[..i], &t[i + 1..]));
        out.push((k.trim().to_string(), unquote(v.trim()), start));
    }
    out
}

/// The scalar keys of a YAML file, nested mappings joined with dots: (key, value, offset).
pub(crate) fn yaml(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let start = offset + indent;
        offset += line.len();
        let t = line.trim();
        if t == "---" {
            stack.clear();
            continue;
        }
        if t.is_empty() || t.starts_with('#') || t.starts_with('-') {
            continue;
        }
        let Some((k, v)) = t.split_once(':') else { continue };
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let key = unquote(k.trim());
        let full = stack.iter().map(|(_, k)| k.as_str()).chain([key.as_str()]).collect::<Vec<_>>().join(".");
        let v = v.split(" #").next().unwrap_or_default().trim();
        if v.is_empty() || v == "|" || v == ">" {
            stack.push((indent, key));
        } else {
            out.push((full, unquote(v), start));
        }
    }
    out
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let q = s.len() >= 2 && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')));
    if q {
        s[1..s.len() - 1].to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn starter_beans_are_named_as_their_auto_configurations_name_them() {
        assert_eq!(super::starter_bean("langchain4j.open-ai.chat-model").as_deref(), Some("openAiChatModel"));
        let bean = super::starter_bean("langchain4j.ollama.streaming-chat-model");
        assert_eq!(bean.as_deref(), Some("ollamaStreamingChatModel"));
        assert_eq!(super::starter_bean("spring.ai.openai"), None);
    }
    use super::*;

    #[test]
    fn flattens_yaml_and_properties() {
        let y = "spring:\n  ai:\n    openai:\n      base-url: \"http://localhost:11434\" # local\n      chat:\n        options:\n          model: gpt-4o\n";
        let keys: Vec<(String, String)> = yaml(y).into_iter().map(|(k, v, _)| (k, v)).collect();
        assert_eq!(
            keys,
            [
                ("spring.ai.openai.base-url".to_string(), "http://localhost:11434".to_string()),
                ("spring.ai.openai.chat.options.model".to_string(), "gpt-4o".to_string())
            ]
        );
        let p =
            "# c\nspring.ai.anthropic.api-key=${ANTHROPIC_API_KEY}\nspring.ai.ollama.base-url: http://ollama:11434\n";
        let keys: Vec<String> = properties(p).into_iter().map(|(k, _, _)| k).collect();
        assert_eq!(keys, ["spring.ai.anthropic.api-key", "spring.ai.ollama.base-url"]);
        assert!(matches!(value_of("${OPENAI_BASE_URL}"), ArgValue::Env(n) if n == "OPENAI_BASE_URL"));
        assert!(matches!(value_of("${X:https://api.groq.com/openai}"), ArgValue::Str(_)));
    }

    #[test]
    fn recognises_spring_config_names() {
        for n in
            ["application.yml", "application.yaml", "application.properties", "application-dev.yml", "bootstrap.yml"]
        {
            assert!(is_config_name(n), "{n}");
        }
        for n in ["applications.yml", "application.json", "app.yml", "application-dev.txt"] {
            assert!(!is_config_name(n), "{n}");
        }
    }
}
