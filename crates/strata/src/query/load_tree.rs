//! Turning the flat result of a relational load back into a tree.
//!
//! A load (see [`super::relations`]) returns every level's rows in one
//! result, one row per loaded row: `l` (the level, numbered in the order
//! the levels are declared, root first), `n` (the row's number within its
//! level, 1, 2, ... with no gaps), `p` (the parent row's `n`), `o` (its
//! place among its siblings, when the level is ordered) and `r` (its
//! columns as one record). Because the numbers are dense, grouping is
//! array indexing, not hashing; each level's rows are bucketed by parent
//! once, then [`LevelRow`] presents a row and its children to
//! [`FromRow`] as ordinary [`Cells`], so the same decoding code reads a
//! plain row and a nested one.

use super::cells::{Cells, Record};
use super::error::QueryError;
use super::row::FromRow;
use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

/// How the levels of a load hang together, root first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LevelShape {
    /// The levels nested directly under this one, in declaration order.
    pub(crate) children: Vec<usize>,
    /// Whether siblings come with a position `o` to sort by.
    pub(crate) ordered: bool,
}

/// How the rows of a statement's result become its output values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Shape {
    /// One output value per result row.
    #[default]
    Rows,
    /// A relational load: levels as described, root first.
    Tree(Vec<LevelShape>),
}

impl Shape {
    /// Decodes a whole result.
    pub(crate) fn decode<O: FromRow>(&self, rows: &[Row]) -> Result<Vec<O>, QueryError> {
        match self {
            Shape::Rows => rows.iter().map(O::decode_row).collect(),
            Shape::Tree(levels) => Tree::new(levels, rows)?.roots(),
        }
    }
}

fn malformed(reason: String) -> QueryError {
    QueryError::MalformedLoad(reason)
}

/// The rows of one result, grouped by level and by parent.
struct Tree<'r> {
    levels: &'r [LevelShape],
    /// Per result row: its level, its `n` and its columns.
    rows: Vec<(usize, usize, Record<'r>)>,
    /// Per level: the result rows in `n` order (the root's output order).
    by_n: Vec<Vec<usize>>,
    /// Per level: where each parent's children start in `children`
    /// (indexed by the parent's `n - 1`, one extra entry at the end).
    starts: Vec<Vec<usize>>,
    /// Per level: result rows grouped by parent, in sibling order.
    children: Vec<Vec<usize>>,
}

fn cell<'a, T: FromSql<'a>>(row: &'a Row, idx: usize) -> Result<T, QueryError> {
    row.cell(idx)
}

impl<'r> Tree<'r> {
    fn new(levels: &'r [LevelShape], result: &'r [Row]) -> Result<Self, QueryError> {
        let mut parent_of = vec![None; levels.len()];
        for (l, level) in levels.iter().enumerate() {
            for &c in &level.children {
                parent_of[c] = Some(l);
            }
        }
        let mut rows = Vec::with_capacity(result.len());
        let mut links = Vec::with_capacity(result.len());
        let mut counts = vec![0usize; levels.len()];
        for row in result {
            let level: i32 = cell(row, 0)?;
            let n: i64 = cell(row, 1)?;
            let p: Option<i64> = cell(row, 2)?;
            let o: Option<i64> = cell(row, 3)?;
            let record: Record<'r> = cell(row, 4)?;
            let level = usize::try_from(level)
                .ok()
                .filter(|l| *l < levels.len())
                .ok_or_else(|| malformed(format!("level {level} is not in the load")))?;
            let n = usize::try_from(n)
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| malformed(format!("row number {n} at level {level}")))?;
            counts[level] = counts[level].max(n);
            rows.push((level, n, record));
            links.push((p, o.unwrap_or(0)));
        }
        let mut by_n: Vec<Vec<usize>> = counts.iter().map(|c| vec![usize::MAX; *c]).collect();
        for (i, (level, n, _)) in rows.iter().enumerate() {
            by_n[*level][n - 1] = i;
        }
        if let Some((level, _)) = by_n
            .iter()
            .enumerate()
            .find(|(_, rows)| rows.contains(&usize::MAX))
        {
            return Err(malformed(format!("row numbers at level {level} have gaps")));
        }
        // Counting sort by parent: count, prefix sums, place.
        let mut starts: Vec<Vec<usize>> = (0..levels.len())
            .map(|l| vec![0; parent_of[l].map_or(0, |p| counts[p]) + 1])
            .collect();
        for (i, (level, _, _)) in rows.iter().enumerate() {
            let Some(parent) = parent_of[*level] else {
                continue;
            };
            let p = links[i]
                .0
                .and_then(|p| usize::try_from(p).ok())
                .filter(|p| (1..=counts[parent]).contains(p))
                .ok_or_else(|| malformed(format!("a row at level {level} has no parent row")))?;
            starts[*level][p] += 1;
        }
        for s in &mut starts {
            for i in 1..s.len() {
                s[i] += s[i - 1];
            }
        }
        let mut fill: Vec<Vec<usize>> = starts.clone();
        let mut children: Vec<Vec<usize>> = counts.iter().map(|c| vec![0; *c]).collect();
        for (i, (level, _, _)) in rows.iter().enumerate() {
            if parent_of[*level].is_some() {
                let p = links[i].0.unwrap_or(1) as usize;
                let at = &mut fill[*level][p - 1];
                children[*level][*at] = i;
                *at += 1;
            }
        }
        for (l, level) in levels.iter().enumerate() {
            if level.ordered {
                for w in starts[l].windows(2) {
                    children[l][w[0]..w[1]].sort_unstable_by_key(|i| links[*i].1);
                }
            }
        }
        Ok(Tree {
            levels,
            rows,
            by_n,
            starts,
            children,
        })
    }

    fn roots<O: FromRow>(&self) -> Result<Vec<O>, QueryError> {
        let Some(roots) = self.by_n.first() else {
            return Ok(Vec::new());
        };
        roots
            .iter()
            .map(|&row| {
                O::from_row(
                    &LevelRow {
                        tree: self,
                        level: 0,
                        row,
                    },
                    &mut 0,
                )
            })
            .collect()
    }
}

/// One row of a load: its own columns, then one cell per nested level.
struct LevelRow<'t, 'r> {
    tree: &'t Tree<'r>,
    level: usize,
    row: usize,
}

impl<'r> Cells for LevelRow<'_, 'r> {
    type Related<'b>
        = LevelRow<'b, 'r>
    where
        Self: 'b;

    fn cell<'a, T: FromSql<'a>>(&'a self, idx: usize) -> Result<T, QueryError> {
        self.tree.rows[self.row].2.cell(idx)
    }

    fn related<'b>(&'b self, idx: usize) -> Result<Vec<LevelRow<'b, 'r>>, QueryError> {
        let (_, n, record) = &self.tree.rows[self.row];
        let child = idx
            .checked_sub(record.len())
            .and_then(|k| self.tree.levels[self.level].children.get(k))
            .ok_or_else(|| {
                malformed(format!(
                    "cell {idx} of a level with {} columns and {} nested levels",
                    record.len(),
                    self.tree.levels[self.level].children.len()
                ))
            })?;
        let starts = &self.tree.starts[*child];
        Ok(self.tree.children[*child][starts[n - 1]..starts[*n]]
            .iter()
            .map(|&row| LevelRow {
                tree: self.tree,
                level: *child,
                row,
            })
            .collect())
    }
}
