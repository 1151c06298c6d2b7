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
    /// The snapshots read in full, in folder order: every readable one for
    /// [`Chain::read`], only the newest for [`Chain::read_head`].
    pub links: Vec<Link>,
    /// Forks, gaps, edited and unreadable snapshots; empty for a sound chain.
    pub problems: Vec<Problem>,
    /// (folder, id) of every readable snapshot, in folder order: the links.
    order: Vec<(String, String)>,
}

/// What [`Chain::read_head`] reads of an older snapshot: its place in the
/// chain, not its schema (serde skips the schema without building it).
#[derive(serde::Deserialize)]
struct Header {
    version: Option<u64>,
    #[serde(default)]
    id: String,
    #[serde(default)]
    parent: Option<String>,
}

impl Chain {
    /// Reads and verifies the whole chain from migrations in folder order:
    /// `(folder name, snapshot.json text)`, the text `None` for a folder
    /// without one. Every snapshot is parsed and its id checked (`check`).
    pub fn read<'a, I>(migrations: I) -> Chain
    where
        I: IntoIterator<Item = (&'a str, Option<&'a str>)>,
    {
        Self::read_with(migrations, true)
    }

    /// Like [`Chain::read`], but only the newest snapshot is parsed in full
    /// and checked against its id; older ones are read for their id and
    /// parent only, so forks and gaps are still found. What `generate`
    /// needs, at a cost that does not grow with the schema times the
    /// number of migrations.
    pub fn read_head<'a, I>(migrations: I) -> Chain
    where
        I: IntoIterator<Item = (&'a str, Option<&'a str>)>,
    {
        Self::read_with(migrations, false)
    }

    fn read_with<'a, I>(migrations: I, every: bool) -> Chain
    where
        I: IntoIterator<Item = (&'a str, Option<&'a str>)>,
    {
        let entries: Vec<(&str, &str)> = migrations
            .into_iter()
            .filter_map(|(name, text)| Some((name, text?)))
            .collect();
        let mut chain = Chain::default();
        // False after an unreadable snapshot: the next link's parent cannot
        // be checked, and reporting it as broken would only repeat the cause.
        let mut previous_known = true;
        for (i, (name, text)) in entries.iter().enumerate() {
            let full = every || i + 1 == entries.len();
            let read = if full {
                chain.read_full(name, text)
            } else {
                chain.read_header(name, text)
            };
            let Some((id, parent, snapshot)) = read else {
                previous_known = false;
                continue;
            };
            if previous_known {
                if let Some(problem) = chain.parent_problem(name, parent.as_deref()) {
                    chain.problems.push(problem);
                }
            }
            previous_known = true;
            chain.order.push((name.to_string(), id));
            if let Some(snapshot) = snapshot {
                chain.links.push(Link {
                    name: name.to_string(),
                    snapshot,
                });
            }
        }
        chain
    }

    /// Parses a snapshot and checks its id; `None` (with the problem
    /// recorded) when it cannot be read.
    fn read_full(
        &mut self,
        name: &str,
        text: &str,
    ) -> Option<(String, Option<String>, Option<Snapshot>)> {
        match Snapshot::from_json(text) {
            Ok(snapshot) => {
                let computed = snapshot_id(&snapshot.schema, snapshot.parent.as_deref());
                if snapshot.id != computed {
                    self.problems.push(Problem::EditedSnapshot {
                        folder: name.to_string(),
                        recorded: snapshot.id.clone(),
                        computed,
                    });
                }
                Some((snapshot.id.clone(), snapshot.parent.clone(), Some(snapshot)))
            }
            Err(SnapshotError::NewerVersion { found }) => {
                self.problems.push(Problem::NewerSnapshot {
                    folder: name.to_string(),
                    found,
                });
                None
            }
            Err(e) => {
                self.problems.push(Problem::UnreadableSnapshot {
                    folder: name.to_string(),
                    reason: e.to_string(),
                });
                None
            }
        }
    }

    /// Reads a snapshot's id and parent only.
    fn read_header(
        &mut self,
        name: &str,
        text: &str,
    ) -> Option<(String, Option<String>, Option<Snapshot>)> {
        let unreadable = |reason: String| Problem::UnreadableSnapshot {
            folder: name.to_string(),
            reason,
        };
        match serde_json::from_str::<Header>(text) {
            Ok(Header {
                version: Some(v), ..
            }) if v > u64::from(strata_schema::SNAPSHOT_VERSION) => {
                self.problems.push(Problem::NewerSnapshot {
                    folder: name.to_string(),
                    found: u32::try_from(v).unwrap_or(u32::MAX),
                });
                None
            }
            Ok(Header { version: None, .. }) => {
                self.problems
                    .push(unreadable(SnapshotError::MissingVersion.to_string()));
                None
            }
            Ok(h) => Some((h.id, h.parent, None)),
            Err(e) => {
                self.problems.push(unreadable(format!(
                    "malformed snapshot JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                )));
                None
            }
        }
    }

    /// The newest link: its schema is the folder's current state.
    pub fn head(&self) -> Option<&Link> {
        self.links.last()
    }

    /// Whether a snapshot with this parent may follow the links read so far.
    fn parent_problem(&self, name: &str, parent: Option<&str>) -> Option<Problem> {
        let previous = self.order.last();
        if parent == previous.map(|(_, id)| id.as_str()) {
            return None;
        }
        // The parent is an older link (or the start): someone else added a
        // migration on top of it as well. The other branch is the link that
        // follows that parent.
        let fork_at = match parent {
            None => Some(None),
            Some(parent) => self.order.iter().position(|(_, id)| id == parent).map(Some),
        };
        match fork_at {
            Some(at) => {
                let other = at.map_or(0, |i| i + 1);
                Some(Problem::Fork {
                    parent: at.map(|i| self.order[i].0.clone()),
                    first: self.order[other].0.clone(),
                    second: name.to_string(),
                })
            }
            None => Some(Problem::BrokenChain {
                folder: name.to_string(),
                parent: parent.unwrap_or("").to_string(),
                previous: previous.map(|(folder, _)| folder.clone()),
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

    #[test]
    fn read_head_parses_only_the_newest_but_still_finds_forks() {
        let a = chained_snapshot(schema(&["a"]), None);
        let b = chained_snapshot(schema(&["a", "b"]), Some(a.id.clone()));
        let c = chained_snapshot(schema(&["a", "c"]), Some(a.id.clone()));
        let edited_a = json(&a).replace("\"a\"", "\"z\"");
        let (jb, jc) = (json(&b), json(&c));
        let linear = [
            ("0001_a", Some(edited_a.as_str())),
            ("0002_b", Some(jb.as_str())),
        ];
        // An edit of an older snapshot is `check`'s to find, not generate's.
        let head = Chain::read_head(linear);
        assert!(head.problems.is_empty(), "{:?}", head.problems);
        assert_eq!(head.links.len(), 1);
        assert_eq!(head.head().unwrap().snapshot, b);
        assert!(matches!(
            &Chain::read(linear).problems[..],
            [Problem::EditedSnapshot { .. }]
        ));
        let forked = Chain::read_head([
            ("0001_a", Some(edited_a.as_str())),
            ("0002_b", Some(jb.as_str())),
            ("0003_c", Some(jc.as_str())),
        ]);
        assert!(
            matches!(&forked.problems[..], [Problem::Fork { parent: Some(p), .. }] if p == "0001_a"),
            "{:?}",
            forked.problems
        );
        let newer = json(&a).replace("\"version\": 1", "\"version\": 7");
        let chain = Chain::read_head([
            ("0001_a", Some(newer.as_str())),
            ("0002_b", Some(jb.as_str())),
        ]);
        assert!(matches!(
            &chain.problems[..],
            [Problem::NewerSnapshot { found: 7, .. }]
        ));
    }
}
