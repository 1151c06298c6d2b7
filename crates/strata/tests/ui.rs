//! Invalid declarations are compile errors that point at the attribute and
//! say the fix. Each `ui/*.rs` is one mistake; its `.stderr` is the exact
//! message (regenerate with `TRYBUILD=overwrite` and review the diff).

#[test]
fn invalid_declarations_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
