//! Misuse of the query builder is a compile error with a message that says
//! the fix. Each `ui_query/*.rs` is one mistake; its `.stderr` is the exact
//! message (regenerate with `TRYBUILD=overwrite` and review the diff).

#[test]
fn invalid_queries_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui_query/*.rs");
}
