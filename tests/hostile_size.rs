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
