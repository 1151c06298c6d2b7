//! The versioned JSON snapshot format: a [`Schema`] with a header.
//!
//! Stable key order and sorted lists make snapshots diff-friendly in review;
//! reading one back gives exactly the same model (round trip).

use crate::model::Schema;
use serde::{Deserialize, Serialize};

/// The snapshot format version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// A schema as stored on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Format version; a newer one is refused rather than misread.
    pub version: u32,
    /// Dialect the schema was taken from (`postgresql`).
    pub dialect: String,
    /// Id of this snapshot (set by the migrations layer; empty for plain `inspect`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Id of the snapshot this one follows in a migrations folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub schema: Schema,
}

/// Why a snapshot could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    #[error("malformed snapshot JSON at line {line}, column {column}: {message}")]
    Malformed {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("snapshot format version {found} is newer than this Strata understands (up to {SNAPSHOT_VERSION}); upgrade Strata")]
    NewerVersion { found: u32 },
    #[error("snapshot field `version` is missing or not a number")]
    MissingVersion,
    #[error("snapshot dialect `{0}` is not supported (expected `postgresql`)")]
    Dialect(String),
}

impl Snapshot {
    /// Wraps a schema (normalized) in a snapshot header.
    pub fn new(mut schema: Schema) -> Self {
        schema.normalize();
        Self {
            version: SNAPSHOT_VERSION,
            dialect: "postgresql".into(),
            id: String::new(),
            parent: None,
            schema,
        }
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parses a snapshot, checking the version before the body so that a file
    /// from a newer Strata is reported as such and not as a field error.
    ///
    /// ```
    /// use strata_schema::{Schema, Snapshot};
    /// let s = Snapshot::new(Schema::default());
    /// assert_eq!(Snapshot::from_json(&s.to_json()).unwrap(), s);
    /// ```
    pub fn from_json(text: &str) -> Result<Self, SnapshotError> {
        let malformed = |e: serde_json::Error| SnapshotError::Malformed {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        };
        // Only the version field is built here (the rest is skipped, not
        // turned into a JSON tree: snapshots of large schemas are megabytes).
        #[derive(Deserialize)]
        struct Header {
            version: Option<serde_json::Value>,
        }
        let header: Header = serde_json::from_str(text).map_err(malformed)?;
        let version = header
            .version
            .and_then(|v| v.as_u64())
            .ok_or(SnapshotError::MissingVersion)?;
        if version > u64::from(SNAPSHOT_VERSION) {
            return Err(SnapshotError::NewerVersion {
                found: u32::try_from(version).unwrap_or(u32::MAX),
            });
        }
        let snap: Snapshot = serde_json::from_str(text).map_err(malformed)?;
        if snap.dialect != "postgresql" {
            return Err(SnapshotError::Dialect(snap.dialect));
        }
        Ok(snap)
    }
}
