//! Strata's schema engine core: the schema model (IR), the snapshot format,
//! and the differ that turns two models into an ordered, classified list of
//! changes. Plain data and pure functions: nothing here does I/O, so every
//! part is testable without a server.

pub mod change;
pub mod diff;
pub mod filter;
pub mod model;
pub mod snapshot;

pub use change::{Change, Classification, ConstraintKind, EnumColumn, ObjectRef, PlannedChange};
pub use diff::{diff, spell, spell_qualified, DiffError, RenameHint, RenameHints, RenameKind};
pub use filter::Filter;
pub use model::*;
pub use snapshot::{Snapshot, SnapshotError, SNAPSHOT_VERSION};
