//! Turning the flat result of a relational load back into a tree.
//!
//! A load (see [`super::relations`]) returns every level's rows in one
//! result, one row per loaded row. Each level has its own run of columns
//! (NULL in the rows of other levels): `o` (its place among its
//! siblings, when ordered), the key a nested row matched in its parent
//! level (never NULL in its own rows, so it tells a row's level), the
//! key each level nested under it matches, then its columns. A key that
//! is one of the level's columns is not sent twice: [`LevelShape`] says
//! where each one is.
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

/// How the levels of a load hang together, root first, and where each
/// one's cells are in a result row (absolute column positions).
#[derive(Debug)]
pub(crate) struct LevelShape {
    /// The levels nested directly under this one, in declaration order.
    pub(crate) children: Vec<usize>,
    /// The rank `o` to sort siblings by, when the level is ordered.
    pub(crate) rank_at: Option<usize>,
    /// For a nested level: the key its rows matched in the parent level.
    /// Never NULL in the level's own rows, always NULL in the others', so
    /// it also tells a row's level.
    pub(crate) parent_key_at: Option<usize>,
    /// Per nested level (as `children`): the key its rows match.
    pub(crate) keys_at: Vec<usize>,
    /// Where the row's own columns start.
    pub(crate) columns_at: usize,
    /// How many columns of its own its rows have.
    pub(crate) columns: usize,
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
    /// Per result row: its index among its level's rows.
    position: Vec<usize>,
    /// Per level: its rows (the root's in output order).
    by_level: Vec<Vec<usize>>,
    /// Per nested level: its rows grouped by key.
    groups: Vec<Groups>,
}

/// A nested level's rows grouped by the key they matched: one flat list,
/// group after group (each in order), so a thousand parents cost a few
/// allocations, not a thousand.
#[derive(Default)]
struct Groups {
    /// The rows, group after group.
    rows: Vec<usize>,
    /// Where each group starts in `rows`, and one past the last group.
    starts: Vec<usize>,
    /// Per row of the parent level (by position): the group its key found.
    found: Vec<Option<usize>>,
}

impl Groups {
    /// The rows under the parent row at `position`.
    fn of(&self, position: usize) -> &[usize] {
        match self.found.get(position).copied().flatten() {
            Some(g) => &self.rows[self.starts[g]..self.starts[g + 1]],
            None => &[],
        }
    }
}

/// A relation key as the server sent it: up to eight bytes (the integer
/// keys) as one number, so grouping compares numbers; longer ones (uuid,
/// text) as their bytes.
#[derive(PartialEq, Eq, Hash)]
enum Key<'r> {
    Short(u64, u8),
    Long(&'r [u8]),
}

impl<'r> Key<'r> {
    fn of(bytes: &'r [u8]) -> Key<'r> {
        // int4 and int8 read straight (no copy through a buffer, which
        // the processor then reloads at another width).
        if let Ok(b) = <[u8; 4]>::try_from(bytes) {
            return Key::Short(u64::from(u32::from_le_bytes(b)), 4);
        }
        if let Ok(b) = <[u8; 8]>::try_from(bytes) {
            return Key::Short(u64::from_le_bytes(b), 8);
        }
        match u8::try_from(bytes.len()) {
            Ok(len @ 0..=8) => {
                let mut b = [0u8; 8];
                b[..bytes.len()].copy_from_slice(bytes);
                Key::Short(u64::from_le_bytes(b), len)
            }
            _ => Key::Long(bytes),
        }
    }
}

/// FNV-1a for bytes, a multiply for numbers: keys come from our own
/// server, so a hash that resists chosen inputs (the default SipHash)
/// buys nothing here.
#[derive(Default)]
struct KeyHasher(u64);

impl KeyHasher {
    fn mix(&mut self, n: u64) {
        self.0 = (self.0 ^ n)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
}

impl Hasher for KeyHasher {
    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    fn write_isize(&mut self, n: isize) {
        self.mix(n as u64);
    }

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

/// Sorts rows by their rank `o` in column `rank_at`.
fn sort_by_rank(rows: &mut [usize], result: &[Row], rank_at: usize) -> Result<(), QueryError> {
    let mut ranked = rows
        .iter()
        .map(|&i| result[i].cell::<i64>(rank_at).map(|o| (o, i)))
        .collect::<Result<Vec<_>, _>>()?;
    ranked.sort_unstable();
    for (slot, (_, i)) in rows.iter_mut().zip(ranked) {
        *slot = i;
    }
    Ok(())
}

impl<'r> Tree<'r> {
    fn new(levels: &'r [LevelShape], result: &'r [Row]) -> Result<Self, QueryError> {
        let mut by_level: Vec<Vec<usize>> = vec![Vec::new(); levels.len()];
        let has_parent_key = |row: &Row, level: usize| match levels[level].parent_key_at {
            Some(at) => raw(row, at).map(|cell| cell.is_some()),
            None => Ok(false),
        };
        let mut last = 0;
        for (i, row) in result.iter().enumerate() {
            // A nested row is the one whose parent key is not NULL; a
            // root row has none. Rows come level by level in practice,
            // so the last row's level is tried first.
            let mut level = 0;
            if last != 0 && has_parent_key(row, last)? {
                level = last;
            } else {
                for l in 1..levels.len() {
                    if l != last && has_parent_key(row, l)? {
                        level = l;
                        break;
                    }
                }
            }
            last = level;
            by_level[level].push(i);
        }
        if let Some(rank_at) = levels.first().and_then(|root| root.rank_at) {
            sort_by_rank(&mut by_level[0], result, rank_at)?;
        }
        // Positions in the final (sorted) order: `found` is indexed by them.
        let mut position = vec![0; result.len()];
        for rows in &by_level {
            for (at, &i) in rows.iter().enumerate() {
                position[i] = at;
            }
        }
        let mut groups: Vec<Groups> = (0..levels.len()).map(|_| Groups::default()).collect();
        for (parent, shape) in levels.iter().enumerate() {
            for (k, &child) in shape.children.iter().enumerate() {
                groups[child] = group(levels, result, &by_level, parent, k, child)?;
            }
        }
        Ok(Tree {
            levels,
            result,
            position,
            by_level,
            groups,
        })
    }

    fn roots<O: FromRow>(&self) -> Result<Vec<O>, QueryError> {
        let Some(roots) = self.by_level.first() else {
            return Ok(Vec::new());
        };
        roots
            .iter()
            .map(|&row| {
                let shape = &self.levels[0];
                O::from_row(
                    &LevelRow {
                        tree: self,
                        row,
                        shape,
                    },
                    &mut 0,
                )
            })
            .collect()
    }
}

/// Groups level `child`'s rows by key, and finds each row of `parent`
/// (whose key `k` they match) its group.
fn group(
    levels: &[LevelShape],
    result: &[Row],
    by_level: &[Vec<usize>],
    parent: usize,
    k: usize,
    child: usize,
) -> Result<Groups, QueryError> {
    let shape = &levels[child];
    let key_of_row = shape
        .parent_key_at
        .ok_or_else(|| malformed(format!("level {child} has no parent key")))?;
    let rows = &by_level[child];
    let mut index: HashMap<Key<'_>, usize, BuildHasherDefault<KeyHasher>> =
        HashMap::with_capacity_and_hasher(rows.len(), BuildHasherDefault::default());
    // Each row's group, and each group's size.
    let mut group_of = Vec::with_capacity(rows.len());
    let mut sizes: Vec<usize> = Vec::new();
    for &i in rows {
        let key = raw(&result[i], key_of_row)?
            .ok_or_else(|| malformed(format!("a row at level {child} has no parent key")))?;
        let g = *index.entry(Key::of(key)).or_insert_with(|| {
            sizes.push(0);
            sizes.len() - 1
        });
        sizes[g] += 1;
        group_of.push(g);
    }
    let mut starts = Vec::with_capacity(sizes.len() + 1);
    let mut at = 0;
    for size in &sizes {
        starts.push(at);
        at += size;
    }
    starts.push(at);
    // Rows placed group by group, each group in result order.
    let mut next = starts.clone();
    let mut flat = vec![0; rows.len()];
    for (&i, &g) in rows.iter().zip(&group_of) {
        flat[next[g]] = i;
        next[g] += 1;
    }
    if let Some(rank_at) = shape.rank_at {
        for g in 0..sizes.len() {
            sort_by_rank(&mut flat[starts[g]..starts[g + 1]], result, rank_at)?;
        }
    }
    let mut matched = vec![false; sizes.len()];
    let key_at = levels[parent].keys_at[k];
    let found = by_level[parent]
        .iter()
        .map(|&i| {
            let g = raw(&result[i], key_at)?.and_then(|key| index.get(&Key::of(key)).copied());
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
            sizes[g]
        )));
    }
    Ok(Groups {
        rows: flat,
        starts,
        found,
    })
}

/// One row of a load: its own columns, then one cell per nested level.
pub(crate) struct LevelRow<'t, 'r> {
    tree: &'t Tree<'r>,
    /// Its index in the result.
    row: usize,
    /// Its level's shape.
    shape: &'r LevelShape,
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
        let shape = self.shape;
        if idx >= shape.columns {
            return Err(malformed(format!(
                "cell {idx} of a level with {} columns",
                shape.columns
            )));
        }
        self.tree.result[self.row].cell(shape.columns_at + idx)
    }

    fn related<'b>(&'b self, idx: usize) -> Result<LevelRows<'b, 'r>, QueryError> {
        let shape = self.shape;
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
        let rows = self.tree.groups[*child].of(self.tree.position[self.row]);
        Ok(LevelRows {
            tree: self.tree,
            shape: &self.tree.levels[*child],
            rows: rows.iter(),
        })
    }
}

/// The rows of a nested level under one parent row.
pub(crate) struct LevelRows<'t, 'r> {
    tree: &'t Tree<'r>,
    shape: &'r LevelShape,
    rows: std::slice::Iter<'t, usize>,
}

impl<'t, 'r> Iterator for LevelRows<'t, 'r> {
    type Item = LevelRow<'t, 'r>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rows.next().map(|&row| LevelRow {
            tree: self.tree,
            row,
            shape: self.shape,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::Key;

    /// Two keys are the same exactly when their bytes are: whatever the
    /// length, and with trailing zero bytes (a short key is padded).
    #[test]
    fn keys_are_equal_exactly_when_their_bytes_are() {
        let mut samples: Vec<Vec<u8>> = Vec::new();
        for len in 0..=17 {
            samples.push(vec![0; len]);
            samples.push((1..=len as u8).collect());
            let mut last_set = vec![0; len];
            if let Some(b) = last_set.last_mut() {
                *b = 7;
            }
            samples.push(last_set);
        }
        for a in &samples {
            for b in &samples {
                assert_eq!(Key::of(a) == Key::of(b), a == b, "{a:?} vs {b:?}");
            }
        }
    }
}
