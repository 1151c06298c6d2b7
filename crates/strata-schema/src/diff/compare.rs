//! Equality of objects with their comments left out: comments are diffed on
//! their own (`COMMENT ON`), so a changed comment must not recreate an index
//! or a constraint.

use crate::model::{ForeignKey, Index, Policy};

/// An object that carries a comment.
pub(crate) trait Commented: Clone + PartialEq {
    fn comment(&self) -> &Option<String>;
    fn comment_mut(&mut self) -> &mut Option<String>;
}

macro_rules! commented {
    ($($t:ty),*) => {$(
        impl Commented for $t {
            fn comment(&self) -> &Option<String> {
                &self.comment
            }
            fn comment_mut(&mut self) -> &mut Option<String> {
                &mut self.comment
            }
        }
    )*};
}
commented!(Index, ForeignKey, Policy);

/// `a == b`, comments aside. Clones only when the comments differ (rare),
/// because the differ compares every index and key of every table.
pub(crate) fn same_but_comment<T: Commented>(a: &T, b: &T) -> bool {
    if a.comment() == b.comment() {
        return a == b;
    }
    let (mut a, mut b) = (a.clone(), b.clone());
    *a.comment_mut() = None;
    *b.comment_mut() = None;
    a == b
}
