//! Large and repetitive sources: the work a file costs is bounded (counted in resolution
//! steps and bytes, never in time), and a file too large to parse still gives its literals.
mod common;

use common::Tree;

#[test]
fn a_source_over_the_parse_limit_is_scanned_for_literals() {
    let t = Tree::new();
    let mut src = String::from("import openai\nMODEL = \"gpt-4o\"\n");
    while src.len() < 2_600_000 {
        src.push_str("def f(x):\n    return [x + i for i in range(10) if i % 3]\n\n");
    }
    t.write("generated.py", &src);
    let s = t.scan(&[]);
    s.assert_good_intact();
    let errors = s.assert_error("generated.py").join("; ");
    assert!(errors.contains("parse limit"), "{errors}");
    let found = s.findings_in("generated.py");
    assert!(found.iter().any(|(_, line, rule)| *line == 2 && rule == "openai.model"), "{found:?}");
    assert_eq!(s.json["stats"]["bytes_scanned"].as_u64(), Some((src.len() + common::GOOD_PY.len()) as u64));
}

/// `client` bound again in every block, `x` rebound to something that never resolves:
/// resolution stays linear in the number of blocks.
fn rebinding(blocks: usize) -> String {
    let mut src = String::from("import openai\n");
    for _ in 0..blocks {
        src.push_str("client = openai.OpenAI()\n");
        src.push_str("r = client.chat.completions.create(model=\"gpt-4o\", messages=[])\n");
        src.push_str("x = helper(x)\nx.run()\n");
    }
    src
}

fn steps_and_calls(blocks: usize) -> (u64, usize) {
    let t = Tree::empty();
    t.write("many.py", rebinding(blocks));
    let s = t.scan(&[]);
    assert!(s.errors_for("many.py").is_empty(), "{:?}", s.errors_for("many.py"));
    let calls = s.findings_in("many.py").iter().filter(|(_, _, r)| r == "openai.chat-completions").count();
    (s.json["stats"]["resolution_steps"].as_u64().unwrap(), calls)
}

#[test]
fn a_name_rebound_thousands_of_times_costs_linear_work() {
    let (small, small_calls) = steps_and_calls(500);
    let (large, large_calls) = steps_and_calls(4_000);
    assert_eq!((small_calls, large_calls), (500, 4_000), "every call is found");
    // Eight times the blocks: about eight times the steps, not sixty-four.
    assert!(large <= small * 9, "resolution steps grew faster than the input: {small} -> {large}");
}

/// A base URL from a name bound `k` times, each value built from a name bound `k` times,
/// three levels deep (`v3 = wrap0(v2)`, `v3 = wrap1(v2)`, ...), none an environment read:
/// the question "which variable is it?" meets every binding of a level again from each
/// binding of the level above.
fn rebound_env(k: usize) -> String {
    let mut src = String::from("import openai\n\nv0 = compute()\n");
    for level in 1..=3 {
        for j in 0..k {
            src.push_str(&format!("v{level} = wrap{j}(v{})\n", level - 1));
        }
    }
    src.push_str("client = openai.OpenAI(base_url=v3)\n");
    src
}

fn env_steps(k: usize) -> u64 {
    let t = Tree::empty();
    t.write("env.py", rebound_env(k));
    let s = t.scan(&[]);
    assert!(s.errors_for("env.py").is_empty(), "{:?}", s.errors_for("env.py"));
    let clients = s.findings_in("env.py").iter().filter(|(_, _, r)| r == "openai.client").count();
    assert_eq!(clients, 1, "the client is found");
    s.json["stats"]["resolution_steps"].as_u64().unwrap()
}

#[test]
fn a_variable_behind_names_rebound_in_branches_costs_linear_work() {
    // Each level's bindings are asked about once per depth (the memo of `env_value`), not
    // once per binding of the level above: twice the bindings, about twice the steps (the
    // walk without the memo took 6,884 and 47,196 steps: the cube).
    let (small, large) = (env_steps(8), env_steps(16));
    assert!(large <= small * 3, "resolution steps grew faster than the input: {small} -> {large}");
}
