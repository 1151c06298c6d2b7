//! `strata push`: diff the live database against a desired schema and apply
//! the difference (checks and application in `strata_migrate::push`).

use crate::args::PushArgs;
use crate::error::CliError;
use crate::load::{filter, load_one};
use crate::migrate::from_migrate;
use crate::{warnings, Outcome};
use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use strata_migrate::{Target, Timeouts, TrackingTable};

pub async fn run(args: PushArgs) -> Result<Outcome, CliError> {
    let tracking = TrackingTable::parse(&args.tracking_table).ok_or_else(|| {
        CliError::new(
            "strata::push::tracking_table",
            format!(
                "--tracking-table `{}` is not SCHEMA.TABLE",
                args.tracking_table
            ),
        )
        .help("write it as SCHEMA.TABLE, e.g. --tracking-table strata.migrations")
    })?;
    // The tracking table is the migrator's, not part of any app schema.
    let mut filter = filter(&args.sources);
    filter.schemas.push(format!("!{}", tracking.schema));
    let dev_url = args.sources.dev_url.as_deref();
    let desired = load_one("--to", &args.to, dev_url, &filter).await?;
    let live = load_one("--url", &args.url, None, &filter).await?;
    let target = Target {
        url: args.url.clone(),
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
