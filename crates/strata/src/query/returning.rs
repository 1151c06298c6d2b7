//! The `RETURNING` clause shared by INSERT, UPDATE and DELETE.

use super::expr::{write_list, Node};
use super::select::{write_all_columns, Selection};
use super::sql_writer::SqlWriter;

pub(crate) enum Returning {
    Nothing,
    /// Every column of the table, in declaration order.
    All(&'static str, &'static [&'static str]),
    Columns(Vec<Node>),
}

impl Returning {
    pub(crate) fn columns<Q, I, S: Selection<Q, I>>(selection: S) -> Self {
        let mut nodes = Vec::new();
        selection.push_columns(&mut nodes);
        Returning::Columns(nodes)
    }

    pub(crate) fn write(self, w: &mut SqlWriter) {
        match self {
            Returning::Nothing => {}
            Returning::All(table, columns) => {
                w.push(" RETURNING ");
                write_all_columns(w, table, columns);
            }
            Returning::Columns(nodes) => {
                w.push(" RETURNING ");
                write_list(nodes, w);
            }
        }
    }
}
