//! `lockin plan`: the real binary over fixtures. The JSON plan matches docs/plan.schema.json,
//! the CSV parses back row for row, the effort is the report's own (one estimate), and the
//! LiteLLM and Compose files parse back with a YAML parser and route every model the scan
//! found; where `litellm` or `docker compose` is installed they accept the files too.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

const AS_OF: &str = "2026-12-06";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lockin(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lockin")).args(args).current_dir(root()).output().expect("lockin runs");
    assert!(out.status.success(), "lockin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn plan(case: &str, extra: &[&str]) -> String {
    let path = format!("fixtures/{case}");
    let mut args = vec!["plan", path.as_str(), "--as-of", AS_OF];
    args.extend_from_slice(extra);
    lockin(&args)
}

fn json(case: &str) -> Value {
    serde_json::from_str(&plan(case, &["--format", "json"])).expect("JSON plan")
}

fn yaml(text: &str) -> Yaml {
    YamlLoader::load_from_str(text).expect("valid YAML").into_iter().next().expect("one document")
}

const CASES: [&str; 4] =
    ["python/openai_app", "python/model_lifecycle", "typescript/model_lifecycle", "python/cohere_bedrock_mistral"];

#[test]
fn json_plans_match_the_published_schema() {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(root().join("docs/plan.schema.json")).unwrap())
        .expect("schema is JSON");
    let validator = jsonschema::options().build(&schema).expect("the schema is valid");
    for case in CASES {
        let v = json(case);
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{case}: {}", errors.join("\n"));
    }
    let mut bad = json("python/openai_app");
    bad["files"][0]["groups"][0]["items"][0]["portability"] = "easy".into();
    assert!(!validator.is_valid(&bad), "the schema rejects an unknown portability");
}

/// The plan's effort is the report's: per vendor and capability, its call sites' points sum
/// to the recommendation's effort points, and its days are those points at ¼–1 day each.
#[test]
fn effort_is_the_reports_own_estimate() {
    let report: Value =
        serde_json::from_str(&lockin(&["scan", "fixtures/python/openai_app", "--as-of", AS_OF, "--format", "json"]))
            .unwrap();
    let plan = json("python/openai_app");
    let mut sums: std::collections::BTreeMap<(String, String), f64> = Default::default();
    for file in plan["files"].as_array().unwrap() {
        for g in file["groups"].as_array().unwrap() {
            for i in g["items"].as_array().unwrap() {
                let key = (i["vendor"].as_str().unwrap().to_string(), g["capability"].as_str().unwrap().to_string());
                *sums.entry(key).or_default() += i["effort_points"].as_f64().unwrap();
                let p = i["effort_points"].as_f64().unwrap();
                assert_eq!(i["engineer_days"]["low"].as_f64().unwrap(), p * 0.25);
                assert_eq!(i["engineer_days"]["high"].as_f64().unwrap(), p);
            }
        }
    }
    let recs = report["recommendations"].as_array().unwrap();
    assert_eq!(sums.len(), recs.len(), "one group of call sites per recommendation");
    for r in recs {
        let key = (r["vendor"].as_str().unwrap().to_string(), r["capability"].as_str().unwrap().to_string());
        assert_eq!(sums[&key], r["effort"]["points"].as_f64().unwrap(), "{key:?}");
    }
    let total: f64 = sums.values().sum();
    assert_eq!(plan["summary"]["effort_points"].as_f64().unwrap(), total);
}

#[test]
fn csv_parses_back_one_row_per_call_site() {
    let text = plan("python/openai_app", &["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, lockin::plan::render::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV row")).collect();
    let plan = json("python/openai_app");
    assert_eq!(rows.len() as u64, plan["summary"]["call_sites"].as_u64().unwrap());
    // A change text with commas and quotes survives the round trip.
    let first = &plan["files"][0]["groups"][0]["items"][0];
    assert_eq!(&rows[0][8], first["change"].as_str().unwrap());
    assert!(rows.iter().all(|r| r.len() == header.len()));
}

#[test]
fn markdown_plan_snapshot() {
    insta::assert_snapshot!("plan__python__model_lifecycle__markdown", plan("python/model_lifecycle", &[]));
}

/// Model names of the scan (the JSON report's model findings of proprietary vendors).
fn scanned_models(case: &str) -> std::collections::BTreeSet<String> {
    let plan = json(case);
    plan["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_string()).collect()
}

fn model_list(doc: &Yaml) -> Vec<&Yaml> {
    doc["model_list"].as_vec().map(|v| v.iter().collect()).unwrap_or_default()
}

#[test]
fn litellm_config_routes_every_model_of_the_scan() {
    for case in CASES {
        for server in ["vllm", "ollama"] {
            let text = plan(case, &["--emit", "litellm", "--server", server]);
            let doc = yaml(&text);
            let plan = json(case);
            for m in plan["models"].as_array().unwrap() {
                let name = m["name"].as_str().unwrap();
                let routes: Vec<&Yaml> =
                    model_list(&doc).into_iter().filter(|e| e["model_name"].as_str() == Some(name)).collect();
                if routes.is_empty() {
                    // Not routed only with a comment saying why.
                    assert!(
                        text.contains(&format!("# not routed: {name} ")),
                        "{case} {server}: {name} is neither routed nor explained:\n{text}"
                    );
                    // Either no open equivalent, or this server has no model for the capability.
                    let why = if m["routable"].as_bool().unwrap() { "model serves" } else { "has no open equivalent" };
                    assert!(text.contains(why), "{case} {server}: {name}: {text}");
                    continue;
                }
                let model = routes[0]["litellm_params"]["model"].as_str().unwrap();
                let prefix = if server == "vllm" { "hosted_vllm/" } else { "ollama/" };
                assert!(model.starts_with(prefix), "{case}: {name} -> {model}");
                assert!(routes[0]["litellm_params"]["api_base"].as_str().unwrap().starts_with("http://"));
            }
            assert_eq!(
                plan["models"].as_array().unwrap().len(),
                scanned_models(case).len(),
                "one entry per model name"
            );
        }
    }
}

#[test]
fn no_open_equivalent_is_a_comment_not_a_route() {
    let text = plan("python/openai_app", &["--emit", "litellm"]);
    let doc = yaml(&text);
    for name in ["gpt-realtime", "gpt-4o-mini-2024-07-18"] {
        assert!(model_list(&doc).iter().all(|e| e["model_name"].as_str() != Some(name)), "{name} is routed");
        assert!(text.contains(&format!("# not routed: {name} (openai): ")), "{name}");
    }
}

#[test]
fn vendor_fallback_keeps_the_vendor_route_behind_the_open_one() {
    let doc = yaml(&plan("python/openai_app", &["--emit", "litellm", "--keep-vendor-fallback"]));
    let entry = |name: &str| model_list(&doc).into_iter().find(|e| e["model_name"].as_str() == Some(name)).cloned();
    let vendor = entry("gpt-4.1-vendor").expect("a vendor route");
    assert_eq!(vendor["litellm_params"]["model"].as_str(), Some("openai/gpt-4.1"));
    assert_eq!(vendor["litellm_params"]["api_key"].as_str(), Some("os.environ/OPENAI_API_KEY"));
    let fallbacks = doc["router_settings"]["fallbacks"].as_vec().expect("fallbacks");
    assert!(fallbacks.iter().any(|f| f["gpt-4.1"][0].as_str() == Some("gpt-4.1-vendor")));
    // Without the flag, no vendor route.
    let plain = yaml(&plan("python/openai_app", &["--emit", "litellm"]));
    assert!(model_list(&plain).iter().all(|e| !e["model_name"].as_str().unwrap().ends_with("-vendor")));
}

#[test]
fn compose_serves_every_route_with_gpus_and_the_gateway_in_front() {
    let litellm = yaml(&plan("python/openai_app", &["--emit", "litellm"]));
    let compose = yaml(&plan("python/openai_app", &["--emit", "compose"]));
    let services = compose["services"].as_hash().expect("services");
    let gateway = &compose["services"]["litellm"];
    let depends: Vec<&str> = gateway["depends_on"].as_vec().unwrap().iter().filter_map(Yaml::as_str).collect();
    for e in model_list(&litellm) {
        let base = e["litellm_params"]["api_base"].as_str().unwrap();
        let host = base.trim_start_matches("http://").split(':').next().unwrap();
        let service = services.get(&Yaml::String(host.into())).unwrap_or_else(|| panic!("no service {host}"));
        assert!(depends.contains(&host), "the gateway waits for {host}");
        let device = &service["deploy"]["resources"]["reservations"]["devices"][0];
        assert_eq!(device["capabilities"][0].as_str(), Some("gpu"));
        assert_eq!(device["driver"].as_str(), Some("nvidia"));
        let command: Vec<&str> = service["command"].as_vec().unwrap().iter().filter_map(Yaml::as_str).collect();
        let served = e["litellm_params"]["model"].as_str().unwrap().trim_start_matches("hosted_vllm/");
        assert!(command.contains(&served), "{host} serves {served}: {command:?}");
    }
    let ollama = yaml(&plan("python/openai_app", &["--emit", "compose", "--server", "ollama"]));
    let pull = ollama["services"]["ollama-pull"]["command"][0].as_str().unwrap();
    for e in model_list(&yaml(&plan("python/openai_app", &["--emit", "litellm", "--server", "ollama"]))) {
        let m = e["litellm_params"]["model"].as_str().unwrap().trim_start_matches("ollama/");
        assert!(pull.contains(&format!("ollama pull {m}")), "{m} is pulled: {pull}");
    }
}

/// `docker compose config` accepts the file, where Docker Compose is installed.
#[test]
fn docker_compose_accepts_the_file() {
    let ok = Command::new("docker").args(["compose", "version"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        println!("skipped: docker compose not installed (`docker compose version` failed)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("compose.yaml"), plan("python/openai_app", &["--emit", "compose"])).unwrap();
    std::fs::write(dir.path().join("litellm-config.yaml"), plan("python/openai_app", &["--emit", "litellm"])).unwrap();
    let out = Command::new("docker").args(["compose", "config", "--quiet"]).current_dir(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// LiteLLM's own Router accepts the model list and resolves every route's provider, where
/// a Python with `litellm` is found (`LITELLM_PYTHON`, else `python3`).
#[test]
fn litellm_accepts_the_config() {
    let python = std::env::var("LITELLM_PYTHON").unwrap_or_else(|_| "python3".into());
    let has = Command::new(&python)
        .args(["-c", "import litellm, yaml"])
        .env("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        println!("skipped: litellm not installed for {python} (pip install litellm, or set LITELLM_PYTHON)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for server in ["vllm", "ollama"] {
        let path = dir.path().join(format!("{server}.yaml"));
        std::fs::write(
            &path,
            plan("python/openai_app", &["--emit", "litellm", "--server", server, "--keep-vendor-fallback"]),
        )
        .unwrap();
        let script = r#"
import sys, yaml, litellm
cfg = yaml.safe_load(open(sys.argv[1]))
litellm.Router(model_list=cfg["model_list"], fallbacks=cfg.get("router_settings", {}).get("fallbacks"))
for d in cfg["model_list"]:
    p = d["litellm_params"]
    provider = litellm.get_llm_provider(p["model"], api_base=p.get("api_base"))[1]
    want = sys.argv[2] if not d["model_name"].endswith("-vendor") else "openai"
    assert provider == want, (d["model_name"], provider)
print(len(cfg["model_list"]))
"#;
        let want = if server == "vllm" { "hosted_vllm" } else { "ollama" };
        let out = Command::new(&python)
            .args(["-c", script, path.to_str().unwrap(), want])
            .env("LITELLM_LOCAL_MODEL_COST_MAP", "True")
            .output()
            .unwrap();
        assert!(out.status.success(), "{server}: {}", String::from_utf8_lossy(&out.stderr));
        let n: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        assert!(n > 0, "{server}: routes");
    }
}

#[test]
fn the_same_tree_gives_the_same_plan() {
    for format in ["markdown", "json", "csv"] {
        assert_eq!(plan("python/openai_app", &["--format", format]), plan("python/openai_app", &["--format", format]));
    }
    let _ = Path::new(".");
}
