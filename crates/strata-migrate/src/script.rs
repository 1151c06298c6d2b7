//! A migration script: statements split at explicit breakpoints, with
//! directives.
//!
//! - `-- strata:breakpoint` on a line of its own separates statements. We never
//!   split SQL by guessing at semicolons: function bodies and DO blocks hold them.
//! - `-- strata:no-transaction` anywhere in a file (on a line of its own) runs
//!   the file outside a transaction, statement by statement, so that
//!   `CREATE INDEX CONCURRENTLY` and similar can run.

/// Line that separates two statements.
pub const BREAKPOINT: &str = "-- strata:breakpoint";
/// Line that makes a file run outside a transaction.
pub const NO_TRANSACTION: &str = "-- strata:no-transaction";
/// Start of the line the renderer writes above a down step that cannot bring
/// lost data back (`-- strata:irreversible <reason>`); `rollback` refuses
/// such a migration unless forced.
pub const IRREVERSIBLE: &str = "-- strata:irreversible";

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// Statements (or batches of statements), in order, never empty strings.
    pub statements: Vec<Statement>,
    /// `-- strata:no-transaction` was present.
    pub no_transaction: bool,
}

/// One chunk between breakpoints, with the 1-based line it starts at in the
/// file (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub line: usize,
}

/// Why a script was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScriptError {
    #[error(
        "line {line}: unknown directive `{directive}` (known: `{BREAKPOINT}`, `{NO_TRANSACTION}`)"
    )]
    UnknownDirective { line: usize, directive: String },
}

/// Parses a script's text.
///
/// ```
/// use strata_migrate::parse_script;
/// let s = parse_script("-- strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- strata:breakpoint\nDROP INDEX i;\n").unwrap();
/// assert!(s.no_transaction);
/// assert_eq!(s.statements.len(), 2);
/// assert_eq!(s.statements[1].line, 4);
/// ```
pub fn parse_script(text: &str) -> Result<Script, ScriptError> {
    let mut statements = Vec::new();
    let mut no_transaction = false;
    let mut current = String::new();
    let mut start_line = 1;
    let mut flush = |current: &mut String, start: usize| {
        if current.lines().any(is_sql) {
            statements.push(Statement {
                sql: current.trim().to_string(),
                line: start,
            });
        }
        current.clear();
    };
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let trimmed = line.trim();
        if let Some(directive) = trimmed.strip_prefix("-- strata:") {
            match directive.split_whitespace().next().unwrap_or("") {
                "breakpoint" => {
                    flush(&mut current, start_line);
                    start_line = number + 1;
                    continue;
                }
                "no-transaction" => {
                    no_transaction = true;
                    continue;
                }
                // Informational lines written by the renderer.
                "warning" | "irreversible" => {}
                _ => {
                    return Err(ScriptError::UnknownDirective {
                        line: number,
                        directive: trimmed.to_string(),
                    })
                }
            }
        }
        if current.is_empty() && trimmed.is_empty() {
            start_line = number + 1;
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    flush(&mut current, start_line);
    Ok(Script {
        statements,
        no_transaction,
    })
}

/// A line that holds SQL (not blank, not only a `--` comment).
fn is_sql(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with("--")
}
