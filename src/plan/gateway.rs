//! Gateway and serving configs from a plan: a LiteLLM proxy `config.yaml` whose
//! `model_list` routes every model name the code uses to an open substitute on a
//! self-hosted server (`hosted_vllm/` or `ollama/` provider prefixes), and a Docker Compose
//! file running those servers (GPU reservations under `deploy.resources.reservations.devices`)
//! with the LiteLLM gateway in front. Formats: docs.litellm.ai/docs/proxy/configs and
//! docs.docker.com/compose/gpu-support (docs/migration.md). A capability with no open
//! equivalent gets a YAML comment, never an invented route. Strings are written as JSON
//! strings, which YAML reads as double-quoted scalars, so nothing from the scanned code can
//! break the file.

use super::{ModelRoute, Plan};
use crate::finding::Capability;
use crate::rules::RuleSet;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The self-hosted server the configs target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Server {
    /// vLLM's OpenAI-compatible server, one container per model.
    Vllm,
    /// Ollama, one container for every model.
    Ollama,
}

impl Server {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Server::Vllm => "vLLM",
            Server::Ollama => "Ollama",
        }
    }
}

/// Options of both configs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The serving stack.
    pub server: Server,
    /// Keep each vendor route as a fallback behind the open one.
    pub keep_vendor_fallback: bool,
}

/// The open model a server runs for a capability: the default substitute family of
/// `rules/substitutes.toml` under the id each server's model registry uses (Hugging Face
/// repository for vLLM, Ollama library tag). `None`: that server does not serve the
/// capability.
pub fn served_model(server: Server, capability: Capability) -> Option<&'static str> {
    use Capability::*;
    match (server, capability) {
        // Qwen3 (huggingface.co/Qwen/Qwen3-8B, ollama.com/library/qwen3).
        (Server::Vllm, Chat) => Some("Qwen/Qwen3-8B"),
        (Server::Ollama, Chat) => Some("qwen3:8b"),
        // Qwen2.5-Coder (huggingface.co/Qwen/Qwen2.5-Coder-7B-Instruct, ollama.com/library/qwen2.5-coder).
        (Server::Vllm, Completions) => Some("Qwen/Qwen2.5-Coder-7B-Instruct"),
        (Server::Ollama, Completions) => Some("qwen2.5-coder:7b"),
        // Qwen3-Embedding (huggingface.co/Qwen/Qwen3-Embedding-0.6B); nomic-embed-text
        // (ollama.com/library/nomic-embed-text), the second embeddings substitute.
        (Server::Vllm, Embeddings) => Some("Qwen/Qwen3-Embedding-0.6B"),
        (Server::Ollama, Embeddings) => Some("nomic-embed-text"),
        // Whisper large-v3 turbo (huggingface.co/openai/whisper-large-v3-turbo): vLLM's
        // /v1/audio/transcriptions; Ollama has no audio route.
        (Server::Vllm, Audio) => Some("openai/whisper-large-v3-turbo"),
        // Batch jobs run the chat model.
        (Server::Vllm, Batch) => Some("Qwen/Qwen3-8B"),
        (Server::Ollama, Batch) => Some("qwen3:8b"),
        _ => None,
    }
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A comment line's text: line breaks, control and bidi characters from the scanned code
/// shown escaped.
fn comment(s: &str) -> String {
    crate::report::escape::visible(s)
}

/// The vLLM service serving a model: one per distinct model, `vllm-<capability>`.
fn vllm_service(capability: Capability) -> String {
    format!("vllm-{capability}")
}

/// The distinct models the configs serve, by the capability that needs them (sorted).
fn served(plan: &Plan, server: Server) -> BTreeMap<Capability, &'static str> {
    plan.models
        .iter()
        .filter(|m| m.routable)
        .filter_map(|m| served_model(server, m.capability).map(|s| (m.capability, s)))
        .collect()
}

/// `hosted_vllm/<model>` on its vLLM service, or `ollama/<model>` on the Ollama service.
fn route(server: Server, capability: Capability, model: &str) -> (String, String) {
    match server {
        Server::Vllm => (format!("hosted_vllm/{model}"), format!("http://{}:8000/v1", vllm_service(capability))),
        Server::Ollama => (format!("ollama/{model}"), "http://ollama:11434".to_string()),
    }
}

/// LiteLLM's provider prefix for a vendor: its lockin id, except where LiteLLM names the
/// provider otherwise (docs.litellm.ai/docs/providers). The aliases `rules/litellm.toml` maps
/// to a vendor cannot decide it: `codestral/` serves only Codestral, `cohere_chat/` is a mode.
fn litellm_prefix(vendor: &str) -> &str {
    match vendor {
        "azure-openai" => "azure",
        "aws-bedrock" => "bedrock",
        "google" => "gemini",
        "fireworks" => "fireworks_ai",
        "together" => "together_ai",
        // docs.litellm.ai/docs/providers/dashscope: "set `dashscope/` as a prefix".
        "alibaba" => "dashscope",
        other => other,
    }
}

/// The vendor's credential variable (the first its rules name).
fn key_env(rules: &RuleSet, vendor: &str) -> Option<String> {
    rules.vendor(vendor).and_then(|v| v.env.first().cloned())
}

/// The LiteLLM proxy `config.yaml`.
pub fn litellm(plan: &Plan, rules: &RuleSet, opts: Options) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "# LiteLLM proxy config written by `lockin plan --emit litellm` for {}.", comment(&plan.root));
    let _ = writeln!(y, "# Every model name the code uses is routed to an open model on a self-hosted server;");
    let _ = writeln!(
        y,
        "# point the clients' base URL at this proxy (http://localhost:4000). docs/migration.md explains it."
    );
    let _ = writeln!(y, "model_list:");
    let mut fallbacks: Vec<(String, String)> = Vec::new();
    let mut unrouted: Vec<&ModelRoute> = Vec::new();
    for m in &plan.models {
        let target = served_model(opts.server, m.capability).filter(|_| m.routable);
        let Some(model) = target else {
            unrouted.push(m);
            continue;
        };
        let (litellm_model, api_base) = route(opts.server, m.capability, model);
        let _ = writeln!(y, "  # {} ({}), used for {}", comment(&m.name), comment(&m.vendors.join(", ")), m.capability);
        let _ = writeln!(y, "  - model_name: {}", quote(&m.name));
        let _ = writeln!(y, "    litellm_params:");
        let _ = writeln!(y, "      model: {}", quote(&litellm_model));
        let _ = writeln!(y, "      api_base: {}", quote(&api_base));
        let mode = match m.capability {
            Capability::Embeddings => "embedding",
            Capability::Completions => "completion",
            Capability::Audio => "audio_transcription",
            _ => "chat",
        };
        let _ = writeln!(y, "    model_info:");
        let _ = writeln!(y, "      mode: {}", quote(mode));
        if opts.keep_vendor_fallback {
            if let Some(vendor) = m.vendors.first() {
                let fallback = format!("{}-vendor", m.name);
                let _ = writeln!(y, "  # the vendor route, used only when the open route fails");
                let _ = writeln!(y, "  - model_name: {}", quote(&fallback));
                let _ = writeln!(y, "    litellm_params:");
                // A name that already carries LiteLLM's provider (`gemini/gemini-2.0-flash`)
                // keeps it; one prefixed with lockin's vendor id where LiteLLM names the
                // provider otherwise (`alibaba/qwen-max`) trades it for LiteLLM's.
                let prefix = litellm_prefix(vendor);
                let bare = match m.name.strip_prefix(vendor).and_then(|r| r.strip_prefix('/')) {
                    Some(rest) if prefix != vendor => rest,
                    _ => m.name.as_str(),
                };
                let model =
                    if bare.starts_with(&format!("{prefix}/")) { bare.to_string() } else { format!("{prefix}/{bare}") };
                let _ = writeln!(y, "      model: {}", quote(&model));
                if let Some(env) = key_env(rules, vendor) {
                    let _ = writeln!(y, "      api_key: {}", quote(&format!("os.environ/{env}")));
                }
                fallbacks.push((m.name.clone(), fallback));
            }
        }
    }
    if plan.models.iter().all(|m| unrouted.iter().any(|u| u.name == m.name)) {
        let _ = writeln!(y, "  []");
    }
    for m in &unrouted {
        let why = if m.routable {
            format!(
                "no {} model serves {} here; see `lockin plan` for the substitute",
                opts.server.name(),
                m.capability
            )
        } else {
            format!("{} has no open equivalent: not routed (keep the vendor call or rebuild it)", m.capability)
        };
        let _ = writeln!(y, "# not routed: {} ({}): {why}", comment(&m.name), comment(&m.vendors.join(", ")));
    }
    if !fallbacks.is_empty() {
        let _ = writeln!(y, "router_settings:");
        let _ = writeln!(y, "  fallbacks:");
        for (name, fallback) in &fallbacks {
            let _ = writeln!(y, "    - {}: [{}]", quote(name), quote(fallback));
        }
    }
    y
}

/// The Docker Compose file: the servers with their models, ports and GPU reservations, and
/// the LiteLLM gateway in front (its config mounted from `./litellm-config.yaml`).
pub fn compose(plan: &Plan, rules: &RuleSet, opts: Options) -> String {
    let gpu = "    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: \"nvidia\"\n              count: 1\n              capabilities: [\"gpu\"]\n";
    let mut y = String::new();
    let _ = writeln!(y, "# Docker Compose file written by `lockin plan --emit compose` for {}.", comment(&plan.root));
    let _ = writeln!(
        y,
        "# Serves the open substitutes and the LiteLLM gateway on http://localhost:4000; write the gateway"
    );
    let _ = writeln!(y, "# config beside it with `lockin plan --emit litellm -o litellm-config.yaml`.");
    let _ = writeln!(y, "services:");
    let models = served(plan, opts.server);
    let mut depends: Vec<String> = Vec::new();
    let mut volumes: Vec<&str> = Vec::new();
    match opts.server {
        Server::Vllm => {
            let mut port = 8000;
            let mut seen: BTreeMap<&str, String> = BTreeMap::new();
            for (cap, model) in &models {
                let service = vllm_service(*cap);
                if seen.insert(model, service.clone()).is_some() && *cap == Capability::Batch {
                    continue;
                }
                let _ = writeln!(y, "  {service}:");
                let _ = writeln!(y, "    image: \"vllm/vllm-openai:latest\"");
                let _ = writeln!(y, "    command: [\"--model\", {}, \"--port\", \"8000\"]", quote(model));
                let _ = writeln!(y, "    ports: [{}]", quote(&format!("{port}:8000")));
                let _ = writeln!(y, "    environment:");
                let _ = writeln!(y, "      HF_TOKEN: \"${{HF_TOKEN:-}}\"");
                let _ = writeln!(y, "    volumes: [\"hf-cache:/root/.cache/huggingface\"]");
                let _ = writeln!(y, "    ipc: \"host\"");
                y.push_str(gpu);
                depends.push(service);
                port += 1;
            }
            volumes.push("hf-cache");
        }
        Server::Ollama => {
            let _ = writeln!(y, "  ollama:");
            let _ = writeln!(y, "    image: \"ollama/ollama:latest\"");
            let _ = writeln!(y, "    ports: [\"11434:11434\"]");
            let _ = writeln!(y, "    volumes: [\"ollama:/root/.ollama\"]");
            y.push_str(gpu);
            let mut pulls: Vec<&str> = models.values().copied().collect();
            pulls.sort_unstable();
            pulls.dedup();
            if !pulls.is_empty() {
                let script: Vec<String> = pulls.iter().map(|m| format!("ollama pull {m}")).collect();
                let _ = writeln!(y, "  # pulls the models once the server is up, then exits");
                let _ = writeln!(y, "  ollama-pull:");
                let _ = writeln!(y, "    image: \"ollama/ollama:latest\"");
                let _ = writeln!(y, "    environment:");
                let _ = writeln!(y, "      OLLAMA_HOST: \"ollama:11434\"");
                let _ = writeln!(y, "    entrypoint: [\"/bin/sh\", \"-c\"]");
                let _ = writeln!(y, "    command: [{}]", quote(&script.join(" && ")));
                let _ = writeln!(y, "    depends_on: [\"ollama\"]");
            }
            depends.push("ollama".into());
            volumes.push("ollama");
        }
    }
    let _ = writeln!(y, "  litellm:");
    let _ = writeln!(y, "    image: \"ghcr.io/berriai/litellm:main-stable\"");
    let _ = writeln!(y, "    command: [\"--config\", \"/app/config.yaml\", \"--port\", \"4000\"]");
    let _ = writeln!(y, "    ports: [\"4000:4000\"]");
    let _ = writeln!(y, "    volumes: [\"./litellm-config.yaml:/app/config.yaml:ro\"]");
    if opts.keep_vendor_fallback {
        let mut envs: Vec<String> =
            plan.models.iter().filter_map(|m| m.vendors.first()).filter_map(|v| key_env(rules, v)).collect();
        envs.sort();
        envs.dedup();
        if !envs.is_empty() {
            let _ = writeln!(y, "    environment:");
            for e in envs {
                let _ = writeln!(y, "      {e}: {}", quote(&format!("${{{e}:-}}")));
            }
        }
    }
    let deps: Vec<String> = depends.iter().map(|d| quote(d)).collect();
    let _ = writeln!(y, "    depends_on: [{}]", deps.join(", "));
    for m in plan.models.iter().filter(|m| !m.routable) {
        let _ = writeln!(y, "# no open equivalent, nothing served: {} ({})", comment(&m.name), m.capability);
    }
    let _ = writeln!(y, "volumes:");
    for v in volumes {
        let _ = writeln!(y, "  {v}: {{}}");
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn litellm_prefixes_are_litellms_provider_names() {
        let prefix = litellm_prefix;
        assert_eq!(prefix("openai"), "openai");
        assert_eq!(prefix("anthropic"), "anthropic");
        assert_eq!(prefix("azure-openai"), "azure");
        assert_eq!(prefix("aws-bedrock"), "bedrock");
        assert_eq!(prefix("google"), "gemini");
        assert_eq!(prefix("cohere"), "cohere");
        assert_eq!(prefix("mistral"), "mistral");
        // See: a real config's vendor fallback `fireworks/...`, which LiteLLM refuses.
        assert_eq!(prefix("fireworks"), "fireworks_ai");
        assert_eq!(prefix("together"), "together_ai");
        assert_eq!(prefix("alibaba"), "dashscope");
    }
}
