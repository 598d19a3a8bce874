//! `--format cyclonedx`: a CycloneDX 1.6 JSON AI bill of materials. Vendor SDKs declared
//! in manifests are `library` components with package URLs, the hosted model APIs of the
//! proprietary vendors seen are `services` (endpoints from the vendors' API hosts), and
//! the model names in the code are `machine-learning-model` components, each with the
//! places it was seen as evidence. Formatting only: the lists come from the report's
//! inventory and vendor summary.
//!
//! The output is deterministic: it has no `serialNumber` and no `metadata.timestamp`.
//! CycloneDX makes both optional and asks that a serial number be unique per generated
//! BOM, which neither a random nor a content-derived value can give while lockin keeps its
//! promise of byte-identical output for the same tree. Pipelines that need them can add
//! them when they publish the BOM (`cyclonedx-cli` or `jq`).

use super::inventory::Seen;
use super::{Context, Report};
use serde_json::{json, Value};
use std::io::{self, Write};

const ROOT_REF: &str = "lockin:scanned-project";

fn property(name: &str, value: impl ToString) -> Value {
    json!({ "name": name, "value": value.to_string() })
}

fn occurrences(seen: &[Seen]) -> Value {
    Value::Array(seen.iter().map(|s| json!({ "location": s.path, "line": s.line })).collect())
}

fn service_ref(vendor: &str) -> String {
    format!("lockin:service:{vendor}")
}

/// Builds the BOM as a JSON value.
pub fn bom(report: &Report, ctx: &Context) -> Value {
    let inv = &report.inventory;
    let mut components: Vec<Value> = Vec::new();
    let mut refs: Vec<String> = Vec::new();
    for p in &inv.packages {
        let purl = p.purl();
        // npm scopes are the component's group, as the npm tooling of CycloneDX writes them.
        let (group, name) = match p.name.strip_prefix('@').and_then(|s| s.split_once('/')) {
            Some((scope, name)) => (Some(format!("@{scope}")), name.to_string()),
            None => (None, p.name.clone()),
        };
        let mut c = json!({ "type": "library", "bom-ref": purl });
        if let Some(g) = group {
            c["group"] = json!(g);
        }
        c["name"] = json!(name);
        c["purl"] = json!(purl);
        c["description"] = json!(format!("{} SDK package", ctx.vendor_name(&p.vendor)));
        c["evidence"] = json!({ "occurrences": occurrences(&p.seen) });
        c["properties"] = json!([property("lockin:vendor", &p.vendor)]);
        refs.push(purl);
        components.push(c);
    }
    for m in &inv.models {
        let bom_ref = format!("lockin:model:{}:{}", m.family, m.name);
        let mut props = vec![property("lockin:model-family", &m.family)];
        props.extend(m.vendors.iter().map(|v| property("lockin:served-by", v)));
        components.push(json!({
            "type": "machine-learning-model",
            "bom-ref": bom_ref,
            "supplier": { "name": ctx.vendor_name(&m.family) },
            "name": m.name,
            "description": format!("{} model named in code, served by {}", ctx.vendor_name(&m.family),
                m.vendors.iter().map(|v| ctx.vendor_name(v)).collect::<Vec<_>>().join(", ")),
            "evidence": { "occurrences": occurrences(&m.seen) },
            "properties": props,
        }));
        refs.push(bom_ref);
    }
    let mut services: Vec<Value> = Vec::new();
    for v in report.vendors.iter().filter(|v| v.proprietary) {
        let info = ctx.vendor(&v.vendor);
        let name = ctx.vendor_name(&v.vendor);
        let hosts = info.map_or(&[][..], |i| i.hosts.as_slice());
        // Host globs (`*.openai.azure.com`) are not URIs: they go to properties.
        let endpoints: Vec<String> =
            hosts.iter().filter(|h| !h.contains(['*', '?'])).map(|h| format!("https://{h}")).collect();
        let mut props = vec![
            property("lockin:vendor", &v.vendor),
            property("lockin:call-sites", v.call_sites),
            property("lockin:findings", v.findings),
            property("lockin:share", v.share),
            property("lockin:risk", v.risk),
        ];
        props.extend(v.capabilities.iter().map(|c| property("lockin:capability", c)));
        props.extend(hosts.iter().filter(|h| h.contains(['*', '?'])).map(|h| property("lockin:host-pattern", h)));
        let mut s = json!({
            "bom-ref": service_ref(&v.vendor),
            "provider": { "name": name },
            "name": format!("{name} API"),
            "description": format!("Hosted model API of {name} (proprietary)"),
            "authenticated": true,
            "x-trust-boundary": true,
            "data": [{ "flow": "bi-directional", "classification": "prompts and model outputs" }],
            "properties": props,
        });
        if !endpoints.is_empty() {
            s["endpoints"] = json!(endpoints);
        }
        refs.push(service_ref(&v.vendor));
        services.push(s);
    }
    let tool = json!({
        "type": "application",
        "bom-ref": "lockin:tool",
        "name": report.tool.name,
        "version": report.tool.version,
    });
    let mut bom = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "tools": { "components": [tool] },
            "component": { "type": "application", "bom-ref": ROOT_REF, "name": report.root },
            "properties": [
                property("lockin:risk:score", report.risk.score),
                property("lockin:risk:grade", &report.risk.grade),
                property("lockin:risk:hhi", report.risk.hhi),
            ],
        },
        "components": components,
        "services": services,
        "dependencies": [{ "ref": ROOT_REF, "dependsOn": refs }],
    });
    if report.root.is_empty() {
        bom["metadata"]["component"]["name"] = json!(".");
    }
    bom
}

/// Writes the BOM as pretty JSON with a final newline.
pub fn render(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &bom(report, ctx)).map_err(io::Error::from)?;
    writeln!(out)
}
