//! Rendered scripts: statements with their classification, and the text form
//! written to `up.sql` / `down.sql`.
//!
//! Text form: each statement ends with `;`; statements are separated by a
//! line `-- strata:breakpoint`; above a statement, `-- strata:warning ...`
//! lines explain its risks, `-- strata:irreversible <reason>` marks a down
//! step that cannot bring back lost data, and `-- strata:no-transaction`
//! marks a statement that must run outside the migration's transaction.

use strata_schema::Classification;

/// One SQL statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement, without a trailing semicolon.
    pub sql: String,
    /// False when it must not share a transaction with what follows.
    pub transactional: bool,
    pub classification: Classification,
    /// Set on a down-script statement that recreates something whose data
    /// the up script destroyed: running it does not bring the data back.
    pub irreversible: Option<String>,
}

impl Statement {
    pub(crate) fn new(sql: String, classification: &Classification) -> Self {
        Self {
            sql,
            transactional: classification.non_transactional.is_none(),
            classification: classification.clone(),
            irreversible: None,
        }
    }
}

/// An ordered list of statements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    pub statements: Vec<Statement>,
}

impl Script {
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// True when no statement is marked irreversible.
    pub fn is_reversible(&self) -> bool {
        self.statements.iter().all(|s| s.irreversible.is_none())
    }

    /// True when some statement destroys data.
    pub fn is_destructive(&self) -> bool {
        self.statements
            .iter()
            .any(|s| s.classification.is_destructive())
    }

    /// The script as text (empty for an empty script). A change rendered as
    /// several statements carries its warnings once, above its first one.
    pub fn to_sql(&self) -> String {
        let mut out = String::new();
        let mut previous: Option<(&Classification, &Option<String>)> = None;
        for (i, s) in self.statements.iter().enumerate() {
            if i > 0 {
                out.push_str("-- strata:breakpoint\n");
            }
            let notes_of = (&s.classification, &s.irreversible);
            let repeated = previous == Some(notes_of);
            previous = Some(notes_of);
            if repeated {
                if !s.transactional {
                    out.push_str("-- strata:no-transaction\n");
                }
                out.push_str(s.sql.trim_end());
                out.push_str(";\n");
                continue;
            }
            let c = &s.classification;
            let notes = [
                ("destructive", &c.destructive),
                ("rewrites table", &c.rewrites_table),
                ("strong lock", &c.strong_lock),
                ("non-transactional", &c.non_transactional),
            ];
            for (kind, note) in notes {
                if let Some(note) = note {
                    out.push_str(&format!("-- strata:warning {kind}: {}\n", one_line(note)));
                }
            }
            if let Some(why) = &s.irreversible {
                out.push_str(&format!("-- strata:irreversible {}\n", one_line(why)));
            }
            if !s.transactional {
                out.push_str("-- strata:no-transaction\n");
            }
            out.push_str(s.sql.trim_end());
            out.push_str(";\n");
        }
        out
    }
}

/// Keeps a note on its comment line.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
