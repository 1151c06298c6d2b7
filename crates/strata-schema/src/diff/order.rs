//! Dependency-aware ordering: changes are collected into phases, and the
//! phases run in a fixed order that respects PostgreSQL's dependencies.
//!
//! The order, in short: renames; then everything that goes away, dependents
//! first (triggers and policies, views, foreign keys, other constraints and
//! indexes, columns, tables); then what is created, dependencies first
//! (schemas and extensions, types, sequences, functions, tables, columns,
//! constraints and indexes, all foreign keys once every table exists so that
//! cycles work, views, triggers, policies); then comments and grants; and last
//! the objects that others may have used until then (functions, sequences,
//! types, extensions, schemas).

use crate::change::{Change, Classification, PlannedChange};

/// When a change runs, relative to the others. Declaration order is run order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    Renames,
    DropTriggersPolicies,
    DropViews,
    /// Functions whose result type changes (dropped, then created again).
    DropReplacedFunctions,
    DropForeignKeys,
    DropConstraintsIndexes,
    DropColumns,
    DropTables,
    CreateSchemas,
    Types,
    Sequences,
    EarlyFunctions,
    /// Domains and composite types (after the functions their checks call).
    Domains,
    /// Functions whose signature or body uses a new domain or composite type.
    TypedFunctions,
    CreateTables,
    AlterTables,
    AlterColumns,
    AddConstraintsIndexes,
    AddForeignKeys,
    LateFunctions,
    CreateViews,
    ViewIndexes,
    TriggersPolicies,
    SequenceOwners,
    Comments,
    Grants,
    DropSequences,
    /// Functions that use a domain or composite type being dropped.
    DropTypedFunctions,
    DropComposites,
    DropTypes,
    /// After the domains (their checks may call functions), before the enums
    /// (functions may take them as arguments).
    DropFunctions,
    DropEnums,
    DropExtensions,
    DropSchemas,
}

/// Changes collected by phase.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    entries: Vec<(Phase, PlannedChange)>,
}

impl Plan {
    pub(crate) fn push(&mut self, phase: Phase, change: Change, classification: Classification) {
        self.entries.push((
            phase,
            PlannedChange {
                change,
                classification,
            },
        ));
    }

    pub(crate) fn safe(&mut self, phase: Phase, change: Change) {
        self.push(phase, change, Classification::safe());
    }

    /// The changes in run order; within a phase, in the order pushed.
    pub(crate) fn finish(mut self) -> Vec<PlannedChange> {
        // Stable sort keeps each phase's own (already dependency-ordered) order.
        self.entries.sort_by_key(|(phase, _)| *phase);
        self.entries.into_iter().map(|(_, c)| c).collect()
    }
}

/// Orders items so that each comes after those it depends on; `depends(a, b)`
/// says `a` needs `b`. Cycles (which the server would refuse anyway) keep
/// their input order.
pub(crate) fn topological<T>(items: Vec<T>, depends: impl Fn(&T, &T) -> bool) -> Vec<T> {
    let n = items.len();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let before = order.len();
        for i in 0..n {
            if placed[i] {
                continue;
            }
            let ready = (0..n).all(|j| j == i || placed[j] || !depends(&items[i], &items[j]));
            if ready {
                placed[i] = true;
                order.push(i);
            }
        }
        if order.len() == before {
            // A cycle: place the rest as they come.
            for (i, p) in placed.iter_mut().enumerate() {
                if !*p {
                    *p = true;
                    order.push(i);
                }
            }
        }
    }
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
