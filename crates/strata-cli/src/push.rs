//! `strata push`: diff the live database against a desired schema and apply
//! the difference (checks and application in `strata_migrate::push`).

use crate::args::PushArgs;
use crate::config::{confirm_protected, Action, Project};
use crate::error::CliError;
use crate::load::{load_one, scope};
use crate::migrate::{from_migrate, tracking_table};
use crate::{warnings, Outcome};
use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use strata_config::SchemaSource;
use strata_migrate::{Target, Timeouts};

pub async fn run(args: PushArgs, project: &Project) -> Result<Outcome, CliError> {
    confirm_protected(&project.env, Action::Push, false)?;
    let tracking = tracking_table(args.tracking_table.as_deref(), project)?;
    let url = project.database_url()?;
    let to = desired_source(args.to.as_deref(), project)?;
    // The tracking table is the migrator's, not part of any app schema.
    let mut scope = scope(&args.sources);
    scope.tracking = Some(tracking.clone());
    let dev_url = args.sources.dev_url.as_deref();
    let desired = load_one("--to", &to, dev_url, &scope).await?;
    let live = load_one("--url", &url, None, &scope).await?;
    let target = Target {
        url,
        tracking,
        timeouts: Timeouts {
            lock_wait: args.lock_wait,
            ..Timeouts::default()
        },
    };

    let mut out = Outcome::default();
    out.stderr.extend(warnings::unsupported(&[
        ("--url", &live),
        ("--to", &desired),
    ]));
    let plan = strata_migrate::plan_push(&live, &desired).map_err(|e| from_migrate(e, "push"))?;
    if plan.statements.is_empty() {
        out.stdout = "nothing to push: the database matches\n".into();
        return Ok(out);
    }
    let violations = strata_migrate::violations(&target, &live, &plan)
        .await
        .map_err(|e| from_migrate(e, "push"))?;
    if !violations.is_empty() {
        return Err(from_migrate(
            strata_migrate::MigrateError::Violations { violations },
            "push",
        ));
    }
    if args.dry_run {
        let mut text = String::new();
        for s in &plan.statements {
            let note = if s.transactional {
                ""
            } else {
                "-- after the transaction\n"
            };
            let _ = writeln!(text, "{note}{};", s.sql.trim_end_matches(';'));
        }
        out.stdout = text;
        out.stderr.extend(warnings::destructive(&plan.changes));
        return Ok(out);
    }
    let accept =
        args.accept_data_loss || (!plan.destructive.is_empty() && confirmed(&plan.destructive));
    let report = strata_migrate::apply_push(&target, &plan, accept)
        .await
        .map_err(|e| from_migrate(e, "push"))?;
    let mut text = format!(
        "pushed {} statement(s) in one transaction ({} ms)\n",
        report.in_transaction, report.execution_ms
    );
    for sql in &report.after_transaction {
        let _ = writeln!(text, "ran after the transaction, outside one: {sql}");
    }
    out.stdout = text;
    out.stderr.extend(warnings::destructive(&plan.changes));
    Ok(out)
}

/// On a terminal, lists what would be lost and asks for `yes`. Without one
/// (CI, a pipe) there is nobody to ask: false.
fn confirmed(destructive: &[String]) -> bool {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return false;
    }
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "This push loses data:");
    for why in destructive {
        let _ = writeln!(stderr, "  - {why}");
    }
    let _ = write!(stderr, "Type `yes` to apply it: ");
    let _ = stderr.flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    answer.trim() == "yes"
}

/// The schema to push: `--to`, else strata.toml's `[schema]` SQL or snapshot.
fn desired_source(to: Option<&str>, project: &Project) -> Result<String, CliError> {
    if let Some(to) = to {
        return Ok(to.to_string());
    }
    match &project.config.schema {
        Some(SchemaSource::Sql(path) | SchemaSource::Snapshot(path)) => {
            Ok(path.to_string_lossy().into_owned())
        }
        Some(SchemaSource::App(_)) => Err(CliError::new(
            "strata::push::app_schema",
            "strata.toml's schema is the app's own binary, which this `strata` cannot read",
        )
        .help("run push through the app's `db` binary, or pass --to SRC")),
        _ => Err(CliError::new("strata::push::no_schema", "no schema to push")
            .help("pass --to SRC (a .sql file or folder, or a snapshot), or set [schema] sql = \"...\" in strata.toml")),
    }
}
