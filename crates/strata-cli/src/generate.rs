//! `strata generate`: the next migration folder, from the migrations'
//! newest snapshot to the code's schema (or `--to SRC`). The work is
//! `strata_migrate::generate`; here: the target, rename answers, output.

use crate::app::{is_app_source, load_side, no_app, App};
use crate::args::{GenerateArgs, PrefixArg};
use crate::config::Project;
use crate::error::{bad_rename, from_diff, CliError};
use crate::load::Scope;
use crate::{warnings, Outcome};
use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Write};
use std::time::SystemTime;
use strata_config::SchemaSource;
use strata_migrate::{draft, Draft, GenerateError, PossibleRename, PrefixStyle, WriteOptions};
use strata_schema::{RenameHint, RenameHints};

pub async fn run(
    args: GenerateArgs,
    app: Option<&App>,
    project: &Project,
) -> Result<Outcome, CliError> {
    let mut explicit = args
        .renames
        .iter()
        .map(|r| RenameHint::parse(r).map_err(|reason| bad_rename(r, reason)))
        .collect::<Result<Vec<_>, _>>()
        .map(RenameHints::new)?;
    // The app's schema when there is one, else strata.toml's [schema].
    let configured = match (&args.to, app, &project.config.schema) {
        (None, None, Some(SchemaSource::Sql(p) | SchemaSource::Snapshot(p))) => {
            Some(p.to_string_lossy().into_owned())
        }
        _ => None,
    };
    let to = args
        .to
        .as_deref()
        .or(configured.as_deref())
        .unwrap_or(crate::app::APP_SOURCE);
    let dev_url = args.dev_url.clone().or_else(|| project.shadow_url());
    if is_app_source(to) && app.is_none() {
        return Err(no_app(if args.to.is_some() {
            "--to app"
        } else {
            "generate"
        }));
    }
    let target = load_side("--to", to, app, dev_url.as_deref(), &Scope::default()).await?;
    // Renames declared in code apply only when the target is the code.
    let in_code = match app {
        Some(app) if is_app_source(to) => app.renames.clone(),
        _ => RenameHints::default(),
    };
    let dir = &project.migrations_dir(args.dir.clone());
    let mut plan = draft(dir, &target, &explicit, &in_code).map_err(from_generate)?;

    let mut out = Outcome::default();
    if !args.custom && !args.no_rename {
        let open = plan.possible_renames();
        if !open.is_empty() {
            if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
                for hint in ask(&open)? {
                    explicit.hints.push(hint);
                }
                plan = draft(dir, &target, &explicit, &in_code).map_err(from_generate)?;
            } else {
                out.stderr = unanswered(&open);
                out.exit = 2;
                return Ok(out);
            }
        }
    }
    if plan.is_empty() && !args.custom {
        out.stdout = format!(
            "No changes: the schema matches the newest migration{}; nothing written.\n",
            plan.state
                .head
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default()
        );
        return Ok(out);
    }
    let options = WriteOptions {
        name: args
            .name
            .clone()
            .unwrap_or_else(|| if args.custom { "custom" } else { "migration" }.into()),
        // strata.toml's prefix is the project's rule when there is one.
        style: args
            .prefix
            .map(|p| match p {
                PrefixArg::Index => PrefixStyle::Index,
                PrefixArg::Timestamp => PrefixStyle::Timestamp,
                PrefixArg::Date => PrefixStyle::Date,
            })
            .or(project
                .file
                .as_ref()
                .map(|_| project.config.migrations.prefix)),
        custom: args.custom,
        now: SystemTime::now(),
    };
    let written = plan.write(&options).map_err(from_generate)?;
    out.stdout = summary(&plan, &written, args.custom);
    if !args.custom {
        out.stderr.extend(warnings::risks(&plan.changes));
    }
    Ok(out)
}

/// What was written, in a few lines.
fn summary(plan: &Draft, written: &strata_migrate::Written, custom: bool) -> String {
    let path = written.path.display();
    if custom {
        return format!(
            "Created {path}/ for hand-written SQL: write it in up.sql and down.sql (the snapshot keeps the current schema).\n"
        );
    }
    // Counts per change kind, in first-seen order: `create_table ×2, add_column ×1`.
    let mut order: Vec<String> = Vec::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for c in &plan.changes {
        let kind = serde_json::to_value(&c.change)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
            .unwrap_or_else(|| "change".into());
        if !counts.contains_key(&kind) {
            order.push(kind.clone());
        }
        *counts.entry(kind).or_default() += 1;
    }
    let kinds: Vec<String> = order
        .iter()
        .map(|k| format!("{k} ×{}", counts[k]))
        .collect();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut text = format!(
        "Created {path}/: {} ({}); up.sql {}, down.sql {}.\n",
        plural(plan.changes.len(), "change"),
        kinds.join(", "),
        plural(written.up_statements, "statement"),
        plural(written.down_statements, "statement"),
    );
    if written.irreversible {
        text.push_str("down.sql cannot bring back data that up.sql destroys (see its `-- strata:irreversible` lines).\n");
    }
    text
}

/// Asks about each possible rename on the terminal; returns the accepted ones.
/// A dropped or added object that is part of an accepted rename is not asked about again.
fn ask(open: &[PossibleRename]) -> Result<Vec<RenameHint>, CliError> {
    let mut accepted: Vec<RenameHint> = Vec::new();
    let stdin = std::io::stdin();
    let mut stderr = std::io::stderr();
    for p in open {
        let taken = accepted.iter().any(|h| {
            h.kind == p.kind
                && (h.old == p.old
                    || (h.old[..h.old.len() - 1] == p.old[..p.old.len() - 1] && h.new == p.new))
        });
        if taken {
            continue;
        }
        let _ = write!(stderr, "Is {} a rename? [y/N] ", p.describe());
        let _ = stderr.flush();
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| {
            CliError::new(
                "strata::prompt",
                "could not read the answer from the terminal",
            )
            .causes([e.to_string()])
        })?;
        if matches!(line.trim(), "y" | "Y" | "yes") {
            accepted.push(p.hint());
        }
    }
    Ok(accepted)
}

/// The message for possible renames without a terminal to ask on.
fn unanswered(open: &[PossibleRename]) -> Vec<String> {
    let mut lines = vec![format!(
        "error: {} possible rename(s) need an answer, and there is no terminal to ask on:",
        open.len()
    )];
    for p in open {
        lines.push(format!(
            "  {}: if it is a rename, pass `--rename {}` (or put {} on the new one in code)",
            p.describe(),
            p.hint(),
            p.code_hint()
        ));
    }
    lines.push(
        "  help: if they are not renames (drop the old, add the new: its data is lost), pass `--no-rename`"
            .into(),
    );
    lines
}

/// A generate error as the user sees it.
pub(crate) fn from_generate(error: GenerateError) -> CliError {
    match error {
        GenerateError::Diff(e) => from_diff(e),
        GenerateError::Chain { dir, problems } => CliError::new(
            "strata::history",
            format!(
                "the migrations folder {} has problems; a new migration on top would hide them",
                dir.display()
            ),
        )
        .causes(problems.iter().map(|p| format!("{p}; fix: {}", p.fix())))
        .help(format!(
            "fix them (see `strata check --dir {}`), then run generate again",
            dir.display()
        )),
        GenerateError::BadName { .. } => {
            CliError::new("strata::name", error.to_string()).help("e.g. `--name add_users`")
        }
        GenerateError::Folder(e) => crate::check::from_folder(&e),
        other => CliError::new("strata::generate", other.to_string()),
    }
}
