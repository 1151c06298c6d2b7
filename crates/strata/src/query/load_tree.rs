//! Turning the flat result of a relational load back into a tree.
//!
//! A load (see [`super::relations`]) returns every level's rows in one
//! result, one row per loaded row. Each level has its own run of columns
//! (NULL in the rows of other levels): `o` (its place among its
//! siblings, never NULL, so it tells a row's level), `p` (for a nested
//! level, the key the row matched in its parent level), one key per
//! level nested under it (what those rows match), then its columns.
//!
//! Children are grouped by their key's binary value, once per level; each
//! parent row's key then finds its group. Relation keys have the same
//! Rust type on both sides, so equal keys have equal bytes; a nested row
//! that finds no parent this way (a key type whose equal values can be
//! spelled differently, such as `numeric` with different scales) is an
//! error, never a silently missing row. [`LevelRow`] presents a row and
//! its children to [`FromRow`] as ordinary [`Cells`], so the same
//! decoding code reads a plain row and a nested one.

use super::cells::{Cells, RawCell};
use super::error::QueryError;
use super::row::FromRow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

/// How the levels of a load hang together, root first.
#[derive(Debug)]
pub(crate) struct LevelShape {
    /// The levels nested directly under this one, in declaration order
    /// (the order of the keys in this level's records).
    pub(crate) children: Vec<usize>,
    /// Whether rows come with a position `o` to sort siblings by.
    pub(crate) ordered: bool,
    /// Whether the level has a parent (and so a `p` column).
    pub(crate) nested: bool,
    /// Where the level's columns start (its `o`).
    pub(crate) at: usize,
    /// How many columns of its own its rows have.
    pub(crate) columns: usize,
}

impl LevelShape {
    /// Where the keys of the nested levels start.
    pub(crate) fn keys_at(&self) -> usize {
        self.at + 1 + usize::from(self.nested)
    }

    /// Where the row's own columns start.
    fn columns_at(&self) -> usize {
        self.keys_at() + self.children.len()
    }
}

fn raw(row: &Row, idx: usize) -> Result<Option<&[u8]>, QueryError> {
    Ok(row.cell::<RawCell<'_>>(idx)?.0)
}

/// How the rows of a statement's result become its output values.
#[derive(Debug)]
pub(crate) enum Shape {
    /// One output value per result row.
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
pub(crate) struct Tree<'r> {
    levels: &'r [LevelShape],
    result: &'r [Row],
    /// Per result row: its level.
    level_of: Vec<usize>,
    /// Per result row: its index among its level's rows.
    position: Vec<usize>,
    /// Per level: its rows (the root's in output order).
    by_level: Vec<Vec<usize>>,
    /// Per nested level: its rows grouped by key, each group in order.
    groups: Vec<Vec<Vec<usize>>>,
    /// Per nested level: for each row of its parent level (by position),
    /// the group its key found.
    found: Vec<Vec<Option<usize>>>,
}

/// FNV-1a: keys are a few bytes from our own server, so a hash that
/// resists chosen inputs (the default SipHash) buys nothing here.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A row's sibling position `o` within level `shape`.
fn rank(row: &Row, shape: &LevelShape) -> Result<i64, QueryError> {
    row.cell::<i64>(shape.at)
}

/// Sorts rows by their `o`.
fn sort_by_rank(
    rows: &mut Vec<usize>,
    result: &[Row],
    shape: &LevelShape,
) -> Result<(), QueryError> {
    let mut ranked = rows
        .iter()
        .map(|&i| rank(&result[i], shape).map(|o| (o, i)))
        .collect::<Result<Vec<_>, _>>()?;
    ranked.sort_unstable();
    *rows = ranked.into_iter().map(|(_, i)| i).collect();
    Ok(())
}

impl<'r> Tree<'r> {
    fn new(levels: &'r [LevelShape], result: &'r [Row]) -> Result<Self, QueryError> {
        let mut level_of = Vec::with_capacity(result.len());
        let mut by_level: Vec<Vec<usize>> = vec![Vec::new(); levels.len()];
        for (i, row) in result.iter().enumerate() {
            // A row belongs to the one level whose `o` is not NULL.
            let mut level = None;
            for (l, shape) in levels.iter().enumerate() {
                if raw(row, shape.at)?.is_some() {
                    level = Some(l);
                    break;
                }
            }
            let level = level.ok_or_else(|| malformed(format!("row {i} belongs to no level")))?;
            by_level[level].push(i);
            level_of.push(level);
        }
        if let Some(root) = levels.first().filter(|root| root.ordered) {
            sort_by_rank(&mut by_level[0], result, root)?;
        }
        // Positions in the final (sorted) order: `found` is indexed by them.
        let mut position = vec![0; result.len()];
        for rows in &by_level {
            for (at, &i) in rows.iter().enumerate() {
                position[i] = at;
            }
        }
        let mut groups = vec![Vec::new(); levels.len()];
        let mut found = vec![Vec::new(); levels.len()];
        for (parent, shape) in levels.iter().enumerate() {
            for (k, &child) in shape.children.iter().enumerate() {
                let (g, f) = group(levels, result, &by_level, parent, k, child)?;
                groups[child] = g;
                found[child] = f;
            }
        }
        Ok(Tree {
            levels,
            result,
            level_of,
            position,
            by_level,
            groups,
            found,
        })
    }

    fn roots<O: FromRow>(&self) -> Result<Vec<O>, QueryError> {
        let Some(roots) = self.by_level.first() else {
            return Ok(Vec::new());
        };
        roots
            .iter()
            .map(|&row| O::from_row(&LevelRow { tree: self, row }, &mut 0))
            .collect()
    }
}

/// Groups level `child`'s rows by key, and finds each row of `parent`
/// (whose key `k` they match) its group.
#[allow(clippy::type_complexity)]
fn group<'r>(
    levels: &[LevelShape],
    result: &'r [Row],
    by_level: &[Vec<usize>],
    parent: usize,
    k: usize,
    child: usize,
) -> Result<(Vec<Vec<usize>>, Vec<Option<usize>>), QueryError> {
    let shape = &levels[child];
    let mut index: HashMap<&'r [u8], usize, BuildHasherDefault<KeyHasher>> = HashMap::default();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in &by_level[child] {
        let key = raw(&result[i], shape.at + 1)?
            .ok_or_else(|| malformed(format!("a row at level {child} has no parent key")))?;
        let g = *index.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    if shape.ordered {
        for g in &mut groups {
            sort_by_rank(g, result, shape)?;
        }
    }
    let mut matched = vec![false; groups.len()];
    let key_at = levels[parent].keys_at() + k;
    let found = by_level[parent]
        .iter()
        .map(|&i| {
            let g = raw(&result[i], key_at)?.and_then(|key| index.get(key).copied());
            if let Some(g) = g {
                matched[g] = true;
            }
            Ok(g)
        })
        .collect::<Result<Vec<_>, QueryError>>()?;
    if let Some(g) = matched.iter().position(|m| !m) {
        return Err(malformed(format!(
            "{} row(s) at level {child} match no parent row by key bytes; \
             relation keys must be of a type whose equal values are stored alike \
             (integers, text, uuid; not numeric of varying scale or char(n))",
            groups[g].len()
        )));
    }
    Ok((groups, found))
}

/// One row of a load: its own columns, then one cell per nested level.
pub(crate) struct LevelRow<'t, 'r> {
    tree: &'t Tree<'r>,
    row: usize,
}

impl LevelRow<'_, '_> {
    fn shape(&self) -> &LevelShape {
        &self.tree.levels[self.tree.level_of[self.row]]
    }
}

impl<'r> Cells for LevelRow<'_, 'r> {
    type Related<'b>
        = LevelRow<'b, 'r>
    where
        Self: 'b;
    type RelatedRows<'b>
        = LevelRows<'b, 'r>
    where
        Self: 'b;

    fn cell<'a, T: FromSql<'a>>(&'a self, idx: usize) -> Result<T, QueryError> {
        let shape = self.shape();
        if idx >= shape.columns {
            return Err(malformed(format!(
                "cell {idx} of a level with {} columns",
                shape.columns
            )));
        }
        self.tree.result[self.row].cell(shape.columns_at() + idx)
    }

    fn related<'b>(&'b self, idx: usize) -> Result<LevelRows<'b, 'r>, QueryError> {
        let shape = self.shape();
        let child = idx
            .checked_sub(shape.columns)
            .and_then(|k| shape.children.get(k))
            .ok_or_else(|| {
                malformed(format!(
                    "cell {idx} of a level with {} columns and {} nested levels",
                    shape.columns,
                    shape.children.len()
                ))
            })?;
        let group = self.tree.found[*child][self.tree.position[self.row]];
        let rows = group
            .map(|g| self.tree.groups[*child][g].as_slice())
            .unwrap_or_default();
        Ok(LevelRows {
            tree: self.tree,
            rows: rows.iter(),
        })
    }
}

/// The rows of a nested level under one parent row.
pub(crate) struct LevelRows<'t, 'r> {
    tree: &'t Tree<'r>,
    rows: std::slice::Iter<'t, usize>,
}

impl<'t, 'r> Iterator for LevelRows<'t, 'r> {
    type Item = LevelRow<'t, 'r>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rows.next().map(|&row| LevelRow {
            tree: self.tree,
            row,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}
