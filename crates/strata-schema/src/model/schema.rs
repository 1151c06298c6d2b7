//! The whole schema: every object kind the engine models, in a stable order.

use super::function::Function;
use super::name::QualifiedName;
use super::namespace::{Extension, Namespace};
use super::sequence::Sequence;
use super::table::Table;
use super::types::{CompositeType, Domain, EnumType};
use super::unsupported::Unsupported;
use super::view::View;
use serde::{Deserialize, Serialize};

/// A PostgreSQL schema model: the only thing the differ sees.
///
/// Every list is kept sorted by name ([`Schema::normalize`]) so that two models
/// of the same database compare equal and serialize to the same JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<Namespace>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub composite_types: Vec<CompositeType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<Sequence>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<Table>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// Objects seen but not modelled; reported, never diffed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<Unsupported>,
}

impl Schema {
    /// Sorts every list into the canonical order (by qualified name, then by
    /// the name of each nested object). Column order is left as declared.
    pub fn normalize(&mut self) {
        self.namespaces.sort_by(|a, b| a.name.cmp(&b.name));
        self.extensions.sort_by(|a, b| a.name.cmp(&b.name));
        self.enums.sort_by(|a, b| a.name.cmp(&b.name));
        self.domains.sort_by(|a, b| a.name.cmp(&b.name));
        for d in &mut self.domains {
            d.checks.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.composite_types.sort_by(|a, b| a.name.cmp(&b.name));
        self.sequences.sort_by(|a, b| a.name.cmp(&b.name));
        self.tables.sort_by(|a, b| a.name.cmp(&b.name));
        for t in &mut self.tables {
            t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
            t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
            t.checks.sort_by(|a, b| a.name.cmp(&b.name));
            t.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
            t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            t.triggers.sort_by(|a, b| a.name.cmp(&b.name));
            t.policies.sort_by(|a, b| a.name.cmp(&b.name));
            t.grants.sort();
            for c in &mut t.columns {
                c.grants.sort();
            }
        }
        self.views.sort_by(|a, b| a.name.cmp(&b.name));
        for v in &mut self.views {
            v.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            v.column_comments.sort();
            v.grants.sort();
        }
        for n in &mut self.namespaces {
            n.grants.sort();
        }
        for s in &mut self.sequences {
            s.grants.sort();
        }
        self.functions
            .sort_by(|a, b| (&a.name, &a.arguments).cmp(&(&b.name, &b.arguments)));
        for f in &mut self.functions {
            f.grants.sort();
        }
        self.unsupported.sort();
    }

    /// A copy with every table's columns sorted by name. Column order is not
    /// significant to the differ (PostgreSQL appends added columns), so two
    /// schemas describe the same database when their copies are equal.
    pub fn column_order_insensitive(&self) -> Schema {
        let mut copy = self.clone();
        for t in &mut copy.tables {
            t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
        copy
    }

    /// True when both describe the same database: column order aside, and
    /// the `public` schema's stock grants of any server version taken as the
    /// same ([`Namespace::has_stock_public_grants`]).
    pub fn same_as(&self, other: &Schema) -> bool {
        let comparable = |s: &Schema| {
            let mut copy = s.column_order_insensitive();
            for n in &mut copy.namespaces {
                if n.has_stock_public_grants() {
                    n.grants.retain(|g| g.privilege == "USAGE");
                }
            }
            copy
        };
        comparable(self) == comparable(other)
    }

    /// The table of that name.
    ///
    /// Normalized schemas (the differ's input) are sorted by name, so this
    /// tries a binary search first: the differ looks tables up inside
    /// per-table loops, which would be quadratic on large schemas. An
    /// unsorted list still gives the right answer through the linear
    /// fallback.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        find_sorted(&self.tables, name, |t| &t.name)
    }

    /// The view or materialized view of that name (see [`Schema::table`]).
    pub fn view(&self, name: &QualifiedName) -> Option<&View> {
        find_sorted(&self.views, name, |v| &v.name)
    }

    /// The free-standing sequence of that name (see [`Schema::table`]): one
    /// per serial column, so as many as there are tables.
    pub fn sequence(&self, name: &QualifiedName) -> Option<&Sequence> {
        find_sorted(&self.sequences, name, |s| &s.name)
    }
}

/// Binary search in a list that is usually sorted by `key`, then a linear
/// scan when that misses (the list may not be sorted). A hit of the binary
/// search is always a true match, so the fallback only costs on misses.
fn find_sorted<'a, T>(
    items: &'a [T],
    name: &QualifiedName,
    key: impl Fn(&T) -> &QualifiedName,
) -> Option<&'a T> {
    match items.binary_search_by(|item| key(item).cmp(name)) {
        Ok(i) => Some(&items[i]),
        Err(_) => items.iter().find(|item| key(item) == name),
    }
}
