//! The snapshot chain: every migration folder that holds a `snapshot.json`
//! records the schema after it and the id of the snapshot before it, so the
//! folder's history is a linked list that needs no central journal file.
//!
//! Two branches that each add a migration on top of the same parent show up
//! as a fork; an edited snapshot no longer matches its id; a deleted
//! migration leaves a gap. Folders without `snapshot.json` (hand-written SQL)
//! are not links: the chain skips them.
//!
//! ## The snapshot id (pinned)
//!
//! `id = lower-hex sha256("strata-snapshot-v1\n" + parent + "\n" + schema)`,
//! where `parent` is the parent's id (empty for the first snapshot) and
//! `schema` is the compact JSON (`serde_json::to_string`) of the normalized
//! schema. The id depends on the content only, not on the file's layout:
//! re-indenting a snapshot keeps its id, changing any object changes it.
//! Including the parent makes two equal schemas reached by different
//! histories distinct, so a re-parented snapshot is noticed too.

use crate::check::Problem;
use sha2::{Digest, Sha256};
use strata_schema::{Schema, Snapshot, SnapshotError};

/// Domain tag of the id hash; a new id scheme gets a new tag.
const ID_TAG: &str = "strata-snapshot-v1";

/// The id of a snapshot holding `schema` whose parent is `parent`.
///
/// ```
/// use strata_migrate::snapshot_id;
/// use strata_schema::Schema;
/// let first = snapshot_id(&Schema::default(), None);
/// assert_eq!(first.len(), 64);
/// assert_ne!(snapshot_id(&Schema::default(), Some(&first)), first);
/// ```
pub fn snapshot_id(schema: &Schema, parent: Option<&str>) -> String {
    let mut schema = schema.clone();
    schema.normalize();
    normalized_id(&schema, parent)
}

/// [`snapshot_id`] of a schema already normalized (no copy).
fn normalized_id(schema: &Schema, parent: Option<&str>) -> String {
    // Serializing plain data with string keys cannot fail.
    let json = serde_json::to_string(schema).unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(ID_TAG.as_bytes());
    hasher.update(b"\n");
    hasher.update(parent.unwrap_or("").as_bytes());
    hasher.update(b"\n");
    hasher.update(json.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Wraps `schema` in a snapshot that follows `parent`, with its id set.
pub fn chained_snapshot(schema: Schema, parent: Option<String>) -> Snapshot {
    let mut snapshot = Snapshot::new(schema);
    snapshot.id = normalized_id(&snapshot.schema, parent.as_deref());
    snapshot.parent = parent;
    snapshot
}

/// One link: a migration folder and the snapshot it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The folder name, e.g. `0003_add_users`.
    pub name: String,
    pub snapshot: Snapshot,
}

/// The chain as read from a folder, and what is wrong with it.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    /// Every readable snapshot, in folder order.
    pub links: Vec<Link>,
    /// Forks, gaps, edited and unreadable snapshots; empty for a sound chain.
    pub problems: Vec<Problem>,
}

impl Chain {
    /// Reads the chain from migrations in folder order: `(folder name,
    /// snapshot.json text)`, the text `None` for a folder without one.
    pub fn read<'a, I>(migrations: I) -> Chain
    where
        I: IntoIterator<Item = (&'a str, Option<&'a str>)>,
    {
        let mut chain = Chain::default();
        // False after an unreadable snapshot: the next link's parent cannot
        // be checked, and reporting it as broken would only repeat the cause.
        let mut previous_known = true;
        for (name, text) in migrations {
            let Some(text) = text else { continue };
            let snapshot = match Snapshot::from_json(text) {
                Ok(s) => s,
                Err(SnapshotError::NewerVersion { found }) => {
                    chain.problems.push(Problem::NewerSnapshot {
                        folder: name.to_string(),
                        found,
                    });
                    previous_known = false;
                    continue;
                }
                Err(e) => {
                    chain.problems.push(Problem::UnreadableSnapshot {
                        folder: name.to_string(),
                        reason: e.to_string(),
                    });
                    previous_known = false;
                    continue;
                }
            };
            let computed = snapshot_id(&snapshot.schema, snapshot.parent.as_deref());
            if snapshot.id != computed {
                chain.problems.push(Problem::EditedSnapshot {
                    folder: name.to_string(),
                    recorded: snapshot.id.clone(),
                    computed,
                });
            }
            if previous_known {
                if let Some(problem) = chain.parent_problem(name, snapshot.parent.as_deref()) {
                    chain.problems.push(problem);
                }
            }
            previous_known = true;
            chain.links.push(Link {
                name: name.to_string(),
                snapshot,
            });
        }
        chain
    }

    /// The newest link: its schema is the folder's current state.
    pub fn head(&self) -> Option<&Link> {
        self.links.last()
    }

    /// Whether a snapshot with this parent may follow the links read so far.
    fn parent_problem(&self, name: &str, parent: Option<&str>) -> Option<Problem> {
        let previous = self.links.last();
        if parent == previous.map(|l| l.snapshot.id.as_str()) {
            return None;
        }
        // The parent is an older link (or the start): someone else added a
        // migration on top of it as well. The other branch is the link that
        // follows that parent.
        let fork_at = match parent {
            None => Some(None),
            Some(id) => self
                .links
                .iter()
                .position(|l| l.snapshot.id == id)
                .map(Some),
        };
        match fork_at {
            Some(at) => {
                let other = at.map_or(0, |i| i + 1);
                Some(Problem::Fork {
                    parent: at.map(|i| self.links[i].name.clone()),
                    first: self.links[other].name.clone(),
                    second: name.to_string(),
                })
            }
            None => Some(Problem::BrokenChain {
                folder: name.to_string(),
                parent: parent.unwrap_or("").to_string(),
                previous: previous.map(|l| l.name.clone()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::{Column, QualifiedName, Table};

    fn schema(tables: &[&str]) -> Schema {
        let mut s = Schema::default();
        for t in tables {
            s.tables.push(Table::new(
                QualifiedName::new("public", *t),
                vec![Column {
                    name: "id".into(),
                    data_type: "integer".into(),
                    not_null: true,
                    default: None,
                    identity: None,
                    generated: None,
                    collation: None,
                    comment: None,
                    grants: vec![],
                }],
            ));
        }
        s
    }

    fn json(s: &Snapshot) -> String {
        s.to_json()
    }

    #[test]
    fn a_linear_chain_is_sound_and_skips_plain_sql_folders() {
        let a = chained_snapshot(schema(&["a"]), None);
        let b = chained_snapshot(schema(&["a", "b"]), Some(a.id.clone()));
        let (ja, jb) = (json(&a), json(&b));
        let chain = Chain::read([
            ("0001_a", Some(ja.as_str())),
            ("0002_hand_written", None),
            ("0003_b", Some(jb.as_str())),
        ]);
        assert!(chain.problems.is_empty(), "{:?}", chain.problems);
        assert_eq!(chain.head().unwrap().name, "0003_b");
        assert_eq!(chain.head().unwrap().snapshot.schema, b.schema);
    }

    #[test]
    fn the_id_ignores_layout_but_not_content() {
        let a = chained_snapshot(schema(&["a"]), None);
        let compact = serde_json::to_string(&a).unwrap();
        assert!(Chain::read([("0001_a", Some(compact.as_str()))])
            .problems
            .is_empty());
        let edited = json(&a).replace("\"a\"", "\"z\"");
        let chain = Chain::read([("0001_a", Some(edited.as_str()))]);
        assert!(
            matches!(&chain.problems[..], [Problem::EditedSnapshot { folder, .. }] if folder == "0001_a"),
            "{:?}",
            chain.problems
        );
    }

    #[test]
    fn two_children_of_one_parent_are_a_fork() {
        let a = chained_snapshot(schema(&["a"]), None);
        let b = chained_snapshot(schema(&["a", "b"]), Some(a.id.clone()));
        let c = chained_snapshot(schema(&["a", "c"]), Some(a.id.clone()));
        let (ja, jb, jc) = (json(&a), json(&b), json(&c));
        let chain = Chain::read([
            ("0001_a", Some(ja.as_str())),
            ("0002_b", Some(jb.as_str())),
            ("0003_c", Some(jc.as_str())),
        ]);
        assert_eq!(
            chain.problems,
            [Problem::Fork {
                parent: Some("0001_a".into()),
                first: "0002_b".into(),
                second: "0003_c".into(),
            }]
        );
        // Two roots: both start the chain.
        let d = chained_snapshot(schema(&["d"]), None);
        let jd = json(&d);
        let chain = Chain::read([("0001_a", Some(ja.as_str())), ("0002_d", Some(jd.as_str()))]);
        assert!(matches!(
            &chain.problems[..],
            [Problem::Fork { parent: None, .. }]
        ));
    }

    #[test]
    fn a_missing_parent_breaks_the_chain() {
        let a = chained_snapshot(schema(&["a"]), None);
        let b = chained_snapshot(schema(&["a", "b"]), Some(a.id.clone()));
        let c = chained_snapshot(schema(&["a", "b", "c"]), Some(b.id.clone()));
        let (ja, jc) = (json(&a), json(&c));
        let chain = Chain::read([("0001_a", Some(ja.as_str())), ("0003_c", Some(jc.as_str()))]);
        assert!(
            matches!(&chain.problems[..], [Problem::BrokenChain { folder, previous: Some(p), .. }]
                if folder == "0003_c" && p == "0001_a"),
            "{:?}",
            chain.problems
        );
    }

    #[test]
    fn unreadable_and_newer_snapshots_are_reported_once() {
        let a = chained_snapshot(schema(&["a"]), None);
        let b = chained_snapshot(schema(&["a", "b"]), Some(a.id.clone()));
        let newer = json(&a).replace("\"version\": 1", "\"version\": 99");
        let jb = json(&b);
        let chain = Chain::read([
            ("0001_a", Some(newer.as_str())),
            ("0002_b", Some(jb.as_str())),
            ("0003_x", Some("{ not json")),
        ]);
        assert!(
            matches!(&chain.problems[..], [
                Problem::NewerSnapshot { found: 99, .. },
                Problem::UnreadableSnapshot { folder, .. },
            ] if folder == "0003_x"),
            "{:?}",
            chain.problems
        );
    }
}
