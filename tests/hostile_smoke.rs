//! The hostile-input harness itself: the good file alone has its findings.
mod common;

#[test]
fn the_good_file_alone_has_its_call() {
    let t = common::Tree::new();
    t.scan(&[]).assert_good_intact();
}
