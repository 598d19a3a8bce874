//! A node's child by field name, without tree-sitter's search of the field names.
//!
//! `Node::child_by_field_name` looks the name up among the grammar's field names on every
//! call (`ts_language_field_id_for_name`: a `strncmp` per field, 30 to 60 per grammar), and
//! the front ends ask for fields on every node they look at: on pydantic-ai that search
//! was about a tenth of the CPU time (issue 15). [`Field::field`] asks once per thread,
//! grammar and name, then goes by the field's id.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::num::NonZeroU16;
use tree_sitter::Node;

/// A node's child by field name.
pub trait Field<'t> {
    /// The child of field `name` (as `child_by_field_name`).
    fn field(&self, name: &'static str) -> Option<Node<'t>>;
}

impl<'t> Field<'t> for Node<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>> {
        let language = self.language();
        // The grammar (`Language` hashes its pointer) and the name's address and length:
        // a literal is one address for the whole run.
        let mut grammar = WordHasher::default();
        (*language).hash(&mut grammar);
        let key = (grammar.finish(), name.as_ptr() as usize, name.len());
        let id = IDS.with(|ids| *ids.borrow_mut().entry(key).or_insert_with(|| language.field_id_for_name(name)));
        self.child_by_field_id(id?.get())
    }
}

/// Field ids by (grammar, name address, name length).
type FieldIds = HashMap<(u64, usize, usize), Option<NonZeroU16>, BuildHasherDefault<WordHasher>>;

thread_local! {
    static IDS: RefCell<FieldIds> = RefCell::new(HashMap::default());
}

/// A hasher for keys made of machine words (pointers, lengths): a multiply and a rotate
/// per word, where SipHash would cost more than the lookup it saves.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_child_as_by_name() {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse("def f(a):\n    return g(a, b=1)\n", None).unwrap();
        let mut stack = vec![tree.root_node()];
        let mut compared = 0;
        while let Some(n) = stack.pop() {
            for name in ["name", "parameters", "body", "function", "arguments", "value", "nonexistent"] {
                assert_eq!(n.field(name), n.child_by_field_name(name));
                compared += usize::from(n.child_by_field_name(name).is_some());
            }
            stack.extend((0..n.child_count()).filter_map(|i| n.child(i)));
        }
        assert!(compared >= 5, "{compared}");
    }

    #[test]
    fn grammars_apart() {
        // `body` has one id in Python's grammar and another in JavaScript's.
        let mut py = tree_sitter::Parser::new();
        py.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let mut js = tree_sitter::Parser::new();
        js.set_language(&tree_sitter_javascript::LANGUAGE.into()).unwrap();
        let a = py.parse("def f():\n    pass\n", None).unwrap();
        let b = js.parse("function f() { return 1 }", None).unwrap();
        let fa = a.root_node().child(0).unwrap();
        let fb = b.root_node().child(0).unwrap();
        for _ in 0..2 {
            assert_eq!(fa.field("body"), fa.child_by_field_name("body"));
            assert_eq!(fb.field("body"), fb.child_by_field_name("body"));
            assert!(fa.field("body").is_some() && fb.field("body").is_some());
        }
    }
}
