//! Migrations on disk: a folder per migration (`<prefix>_<name>/` holding
//! `up.sql`, optional `down.sql` and `snapshot.json`), ordered by prefix, with
//! a pinned checksum and explicit statement breakpoints and directives.
//!
//! The snapshots form a chain ([`chain`]): each names its parent, so
//! [`check`] finds parallel branches and edited history without a journal
//! file, and [`generate`] writes the next migration from the newest snapshot
//! to the code's schema.
//!
//! This layer reads and writes files and parses text; it never talks to a database.

pub mod ambiguity;
pub mod chain;
pub mod check;
pub mod checksum;
pub mod drop;
pub mod folder;
pub mod generate;
pub mod prefix;
pub mod script;

pub use ambiguity::{possible_renames, PossibleRename};
pub use chain::{chained_snapshot, snapshot_id, Chain, Link};
pub use check::{check, Problem};
pub use checksum::checksum;
pub use drop::{drop_newest, DropError};
pub use folder::{load_folder, FolderError, MigrationFiles};
pub use generate::{current_state, draft, Draft, GenerateError, State, WriteOptions, Written};
pub use prefix::{parse_folder_name, PrefixStyle};
pub use script::{parse_script, Script, ScriptError, BREAKPOINT, NO_TRANSACTION};
