//! Migrations on disk: a folder per migration (`<prefix>_<name>/` holding
//! `up.sql`, optional `down.sql` and `snapshot.json`), ordered by prefix, with
//! a pinned checksum and explicit statement breakpoints and directives.
//!
//! This layer reads files and parses text; it never talks to a database.

pub mod checksum;
pub mod folder;
pub mod prefix;
pub mod script;

pub use checksum::checksum;
pub use folder::{load_folder, FolderError, MigrationFiles};
pub use prefix::{parse_folder_name, PrefixStyle};
pub use script::{parse_script, Script, ScriptError, BREAKPOINT, NO_TRANSACTION};
