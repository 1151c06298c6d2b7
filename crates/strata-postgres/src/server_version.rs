//! The server's version, and which planned changes need a newer server than
//! the one connected to.
//!
//! Strata supports PostgreSQL 12 and newer. Introspection reads every
//! supported version (catalog columns that older servers lack are replaced by
//! their value there); a push that uses a feature the server does not have
//! is refused before anything runs ([`unmet_requirements`]), rather than
//! failing halfway with a syntax error.

use std::fmt;
use strata_schema::{Change, Table};

/// A server version as `server_version_num` spells it: `150004` is 15.4.
///
/// ```
/// use strata_postgres::server_version::ServerVersion;
/// let v = ServerVersion::from_num(140023).unwrap();
/// assert_eq!(v.major(), 14);
/// assert_eq!(v.to_string(), "14.23");
/// assert!(v >= ServerVersion::OLDEST_SUPPORTED);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerVersion(pub i32);

impl ServerVersion {
    /// The oldest server Strata supports: PostgreSQL 12.
    pub const OLDEST_SUPPORTED: ServerVersion = ServerVersion(120000);

    /// The version from `server_version_num`. `None` for numbers below 10.0
    /// (which used a three-part scheme Strata does not read).
    pub fn from_num(num: i32) -> Option<ServerVersion> {
        (num >= 100000).then_some(ServerVersion(num))
    }

    /// The version from the text of `server_version_num`, as the server
    /// sends it (`"150004"`). `None` when it is not such a number.
    pub fn parse(text: &str) -> Option<ServerVersion> {
        text.trim().parse().ok().and_then(Self::from_num)
    }

    /// The major version: 15 for 15.4.
    pub const fn major(self) -> i32 {
        self.0 / 10000
    }

    /// The first version of major `major`: `major_number(15)` is 15.0.
    pub const fn major_number(major: i32) -> ServerVersion {
        ServerVersion(major * 10000)
    }

    /// Whether Strata supports this server ([`Self::OLDEST_SUPPORTED`] or newer).
    pub fn is_supported(self) -> bool {
        self >= Self::OLDEST_SUPPORTED
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major(), self.0 % 10000)
    }
}

/// A feature a planned change uses that the server lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmetRequirement {
    /// What uses it, e.g. `unique accounts_email_key on public.accounts`.
    pub object: String,
    /// The feature, as SQL spells it: `NULLS NOT DISTINCT`.
    pub feature: &'static str,
    /// The first major version that has it.
    pub since: i32,
}

impl fmt::Display for UnmetRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} uses {}, which needs PostgreSQL {} or newer",
            self.object, self.feature, self.since
        )
    }
}

/// The features `changes` use that a server of `version` lacks, in plan
/// order. Empty when the server can run them all.
///
/// ```
/// use strata_postgres::server_version::{unmet_requirements, ServerVersion};
/// use strata_schema::{Change, QualifiedName};
/// let drop = Change::DropExpression {
///     table: QualifiedName::new("public", "t"),
///     column: "total".into(),
/// };
/// let unmet = unmet_requirements([&drop], ServerVersion(120022));
/// assert_eq!(
///     unmet[0].to_string(),
///     "column public.t.total uses DROP EXPRESSION, which needs PostgreSQL 13 or newer"
/// );
/// assert!(unmet_requirements([&drop], ServerVersion(130000)).is_empty());
/// ```
pub fn unmet_requirements<'a>(
    changes: impl IntoIterator<Item = &'a Change>,
    version: ServerVersion,
) -> Vec<UnmetRequirement> {
    let mut unmet = Vec::new();
    let mut need = |object: String, feature: &'static str, since: i32| {
        if version < ServerVersion::major_number(since) {
            unmet.push(UnmetRequirement {
                object,
                feature,
                since,
            });
        }
    };
    for change in changes {
        match change {
            Change::CreateTable { table } => table_requirements(table, &mut need),
            Change::AddUnique { table, unique } => {
                let object = || format!("unique {} on {table}", unique.name);
                nulls_not_distinct(unique.nulls_not_distinct, object, &mut need)
            }
            Change::CreateIndex { table, index } => {
                let object = || format!("index {} on {table}", index.name);
                nulls_not_distinct(index.nulls_not_distinct, object, &mut need)
            }
            Change::DropExpression { table, column } => {
                need(format!("column {table}.{column}"), "DROP EXPRESSION", 13)
            }
            _ => {}
        }
    }
    unmet
}

/// What a new table's constraints and indexes need.
fn table_requirements(table: &Table, need: &mut impl FnMut(String, &'static str, i32)) {
    for unique in &table.uniques {
        let object = || format!("unique {} on {}", unique.name, table.name);
        nulls_not_distinct(unique.nulls_not_distinct, object, need);
    }
    for index in &table.indexes {
        let object = || format!("index {} on {}", index.name, table.name);
        nulls_not_distinct(index.nulls_not_distinct, object, need);
    }
}

/// NULLS NOT DISTINCT, on a unique constraint or a unique index: 15.
fn nulls_not_distinct(
    used: bool,
    object: impl FnOnce() -> String,
    need: &mut impl FnMut(String, &'static str, i32),
) {
    if used {
        need(object(), "NULLS NOT DISTINCT", 15);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::{Deferrable, QualifiedName, UniqueConstraint};

    fn unique(nulls_not_distinct: bool) -> Change {
        Change::AddUnique {
            table: QualifiedName::new("public", "accounts"),
            unique: UniqueConstraint {
                name: "accounts_email_key".into(),
                columns: vec!["email".into()],
                include: vec![],
                nulls_not_distinct,
                deferrable: Deferrable::default(),
                comment: None,
            },
        }
    }

    #[test]
    fn versions_read_and_print_as_the_server_does() {
        assert_eq!(ServerVersion::from_num(90624), None);
        assert_eq!(ServerVersion::parse("150004"), Some(ServerVersion(150004)));
        assert_eq!(ServerVersion::parse("15.4"), None);
        let v = ServerVersion::from_num(120022).unwrap();
        assert_eq!((v.major(), v.to_string()), (12, "12.22".to_string()));
        assert!(v.is_supported());
        assert!(!ServerVersion(110000).is_supported());
        assert!(ServerVersion(150000) >= ServerVersion::major_number(15));
    }

    #[test]
    fn nulls_not_distinct_needs_15() {
        let unmet = unmet_requirements(&[unique(true)], ServerVersion(140023));
        assert_eq!(
            unmet.iter().map(|u| u.to_string()).collect::<Vec<_>>(),
            ["unique accounts_email_key on public.accounts uses NULLS NOT DISTINCT, which needs PostgreSQL 15 or newer"]
        );
        assert!(unmet_requirements(&[unique(true)], ServerVersion(150000)).is_empty());
        assert!(unmet_requirements(&[unique(false)], ServerVersion(120000)).is_empty());
    }
}
