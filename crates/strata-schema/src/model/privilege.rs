//! Privileges granted on an object (`GRANT ... TO role`).

use serde::{Deserialize, Serialize};

/// One privilege held by one grantee, as `aclexplode` reports it.
/// Privileges of the object's owner are implicit and not listed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Grant {
    /// Role name, or `PUBLIC`.
    pub grantee: String,
    /// `SELECT`, `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`, `REFERENCES`, `TRIGGER`,
    /// `USAGE`, `CREATE`, `EXECUTE`.
    pub privilege: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub with_grant_option: bool,
}
