//! A migration ready to apply: its files, the checksum of its `up.sql`, and
//! its scripts parsed, so a bad directive fails before anything runs.

use crate::error::MigrateError;
use crate::prefix::order_key;
use crate::script::{parse_script, Script, IRREVERSIBLE};
use crate::{checksum, MigrationFiles};

/// One migration of the folder, parsed.
#[derive(Debug, Clone)]
pub struct Migration {
    /// The files as read.
    pub files: MigrationFiles,
    /// sha256 of `up.sql` ([`checksum`]), compared with the recorded one.
    pub checksum: String,
    /// `up.sql`, parsed.
    pub up: Script,
    /// `down.sql`, parsed, when present.
    pub down: Option<Script>,
}

impl Migration {
    /// The folder name: the migration's identity in the tracking table.
    pub fn name(&self) -> &str {
        &self.files.name
    }

    /// Checksum of the first `n` statements of `up.sql` (as parsed): what a
    /// partly applied no-transaction migration has already run. A file edited
    /// after a failure may resume as long as this part is unchanged.
    pub fn done_checksum(&self, n: usize) -> String {
        let done: Vec<&str> = self
            .up
            .statements
            .iter()
            .take(n)
            .map(|s| s.sql.as_str())
            .collect();
        checksum(&done.join("\n-- strata:breakpoint\n"))
    }

    /// Why `down.sql` cannot undo this migration, when it cannot: it is
    /// absent, or the renderer marked a step irreversible.
    pub fn irreversible(&self) -> Option<String> {
        match &self.files.down {
            None => Some("it has no down.sql".to_string()),
            Some(text) => text
                .lines()
                .map(str::trim)
                .find_map(|l| l.strip_prefix(IRREVERSIBLE))
                .map(|why| {
                    let why = why.trim();
                    if why.is_empty() {
                        "its down.sql is marked irreversible".to_string()
                    } else {
                        format!("its down.sql is marked irreversible: {why}")
                    }
                }),
        }
    }
}

/// Parses every migration's scripts (in the folder's order).
pub fn prepare(files: Vec<MigrationFiles>) -> Result<Vec<Migration>, MigrateError> {
    files
        .into_iter()
        .map(|files| {
            let parse = |file: &'static str, text: &str| {
                parse_script(text).map_err(|source| MigrateError::Script {
                    path: files.path.join(file),
                    source,
                })
            };
            let up = parse("up.sql", &files.up)?;
            let down = files
                .down
                .as_deref()
                .map(|d| parse("down.sql", d))
                .transpose()?;
            Ok(Migration {
                checksum: checksum(&files.up),
                up,
                down,
                files,
            })
        })
        .collect()
}

/// Sort key of a migration name: its prefix's order, then the name. Names
/// without a known prefix (a row written by another tool) sort last.
pub(crate) fn name_order(name: &str) -> ((u64, u64, u64, u64), String) {
    let key = crate::parse_folder_name(name)
        .map(|(prefix, _, _)| order_key(prefix))
        .unwrap_or((u64::MAX, u64::MAX, u64::MAX, u64::MAX));
    (key, name.to_string())
}
