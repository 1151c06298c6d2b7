//! Migrations compiled into the app binary ([`crate::embed_migrations!`]),
//! applied at startup with the same lock, checksums and transactions as
//! `strata migrate`.
//!
//! ```no_run
//! // The folder, relative to the crate's Cargo.toml (usually "migrations").
//! static MIGRATIONS: strata_migrate::embedded::EmbeddedMigrations =
//!     strata_migrate::embed_migrations!("tests/fixtures/embedded");
//!
//! # async fn startup(database_url: &str) -> Result<(), strata_migrate::MigrateError> {
//! let report = MIGRATIONS.run(&strata_migrate::Target::new(database_url)).await?;
//! # Ok(()) }
//! ```

use crate::{
    migrate, prepare, MigrateError, MigrateReport, Migration, MigrationFiles, RunOptions, Target,
};
use std::path::PathBuf;

/// One embedded migration folder.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedMigration {
    /// Folder name.
    pub name: &'static str,
    /// Text of up.sql.
    pub up: &'static str,
    /// Text of down.sql, when the folder has one.
    pub down: Option<&'static str>,
}

/// The migrations of a folder, in the folder's order.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedMigrations {
    migrations: &'static [EmbeddedMigration],
}

impl EmbeddedMigrations {
    /// Used by the macro's expansion.
    pub const fn new(migrations: &'static [EmbeddedMigration]) -> Self {
        EmbeddedMigrations { migrations }
    }

    /// The folder names, in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.migrations.iter().map(|m| m.name)
    }

    /// Parsed, as [`crate::load`] gives them for a folder on disk. `path` of
    /// each is its folder name (there is no file on disk).
    pub fn migrations(&self) -> Result<Vec<Migration>, MigrateError> {
        let files = self
            .migrations
            .iter()
            .map(|m| {
                // The macro only embeds names that parsed at compile time.
                let (prefix, style, _) = crate::parse_folder_name(m.name).ok_or_else(|| {
                    crate::FolderError::BadName {
                        path: PathBuf::from(m.name),
                        name: m.name.to_string(),
                    }
                })?;
                Ok(MigrationFiles {
                    name: m.name.to_string(),
                    prefix: prefix.to_string(),
                    style,
                    path: PathBuf::from(m.name),
                    up: m.up.to_string(),
                    down: m.down.map(str::to_string),
                    snapshot: None,
                })
            })
            .collect::<Result<Vec<_>, MigrateError>>()?;
        prepare(files)
    }

    /// Applies the pending ones (see [`crate::migrate`]).
    pub async fn run(&self, target: &Target) -> Result<MigrateReport, MigrateError> {
        self.run_with(target, &RunOptions::default()).await
    }

    /// Applies the pending ones with options.
    pub async fn run_with(
        &self,
        target: &Target,
        options: &RunOptions,
    ) -> Result<MigrateReport, MigrateError> {
        migrate(target, &self.migrations()?, options).await
    }
}
