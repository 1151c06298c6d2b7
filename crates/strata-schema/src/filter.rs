//! Schema and table filters with `*` and `?` globs (as in `--schema 'app_*'`).

use crate::model::{QualifiedName, Schema};

/// Which schemas and tables a source should include.
///
/// An empty include list means "everything" (system schemas are always
/// excluded by the sources themselves).
///
/// ```
/// use strata_schema::{Filter, QualifiedName};
/// let f = Filter { schemas: vec!["app_*".into()], tables: vec!["!audit_*".into()] };
/// assert!(f.includes_schema("app_core"));
/// assert!(!f.includes_schema("public"));
/// assert!(!f.includes_table(&QualifiedName::new("app_core", "audit_log")));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Schema globs; a leading `!` excludes.
    pub schemas: Vec<String>,
    /// Table globs matched against `name` or `schema.name`; a leading `!` excludes.
    pub tables: Vec<String>,
}

impl Filter {
    pub fn includes_schema(&self, schema: &str) -> bool {
        matches_list(&self.schemas, &[schema])
    }

    pub fn includes_table(&self, table: &QualifiedName) -> bool {
        let qualified = table.to_string();
        self.includes_schema(&table.schema)
            && matches_list(&self.tables, &[table.name.as_str(), qualified.as_str()])
    }

    /// True when the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty() && self.tables.is_empty()
    }

    /// The part of `schema` this filter selects: schema globs select every
    /// object by its schema, table globs select tables and views (with their
    /// indexes, constraints, triggers and policies). Extensions installed in
    /// `pg_catalog` belong to no user schema and are always kept.
    ///
    /// The one definition of what a filter means: introspection and
    /// snapshot sources both end here.
    pub fn apply(&self, mut schema: Schema) -> Schema {
        if self.is_empty() {
            return schema;
        }
        let s = |name: &str| self.includes_schema(name);
        schema.namespaces.retain(|n| s(&n.name));
        schema
            .extensions
            .retain(|e| e.schema == "pg_catalog" || s(&e.schema));
        schema.enums.retain(|t| s(&t.name.schema));
        schema.domains.retain(|t| s(&t.name.schema));
        schema.composite_types.retain(|t| s(&t.name.schema));
        schema.sequences.retain(|q| s(&q.name.schema));
        schema.tables.retain(|t| self.includes_table(&t.name));
        schema.views.retain(|v| self.includes_table(&v.name));
        schema.functions.retain(|f| s(&f.name.schema));
        schema.unsupported.retain(|u| match (&u.schema, &u.table) {
            (Some(sc), Some(t)) => self.includes_table(&QualifiedName::new(sc, t)),
            (Some(sc), None) => s(sc),
            // Database-wide objects (event triggers, publications).
            (None, _) => true,
        });
        schema
    }
}

/// True when a candidate is matched by some positive pattern (or there is none)
/// and by no negative one.
fn matches_list(patterns: &[String], candidates: &[&str]) -> bool {
    let hit = |p: &str| candidates.iter().any(|c| glob_match(p, c));
    let mut positives = patterns.iter().filter(|p| !p.starts_with('!')).peekable();
    let included = positives.peek().is_none() || positives.any(|p| hit(p));
    let excluded = patterns.iter().filter_map(|p| p.strip_prefix('!')).any(hit);
    included && !excluded
}

/// `*` matches any run of characters, `?` exactly one.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            backtrack = Some((pi, ti));
            pi += 1;
        } else if let Some((star, matched)) = backtrack {
            pi = star + 1;
            ti = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("*", ""));
        assert!(glob_match("a*c", "abbbc"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match("*_log", "audit_log"));
        assert!(!glob_match("*_log", "audit_logs"));
    }
}
