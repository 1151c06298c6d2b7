//! Running one case on a real server: load both states into fresh databases,
//! diff, apply the diff to the current database, and check that it reached
//! the desired state three ways (our model, `pg_dump`, a second diff).

use crate::case::{Case, StatesCompare};
use crate::dump;
use crate::engine;
use crate::error::server_error;
use crate::outcome::Outcome;
use crate::rename;
use std::collections::HashSet;
use std::path::PathBuf;
use strata_testkit::TestDatabase;

/// What every case needs to know about the server.
#[derive(Debug, Clone)]
pub struct ServerInfo {
    /// `server_version_num`, e.g. 150018.
    pub version_num: u32,
    /// Extensions the server can install (`pg_available_extensions`).
    pub available_extensions: HashSet<String>,
    /// Folder of `pg_dump`.
    pub bin_dir: Option<PathBuf>,
}

impl ServerInfo {
    /// Asks the server (through its `postgres` database).
    pub async fn query(
        client: &tokio_postgres::Client,
        bin_dir: Option<PathBuf>,
    ) -> Result<Self, String> {
        let version: String = client
            .query_one("SELECT current_setting('server_version_num')", &[])
            .await
            .map_err(|e| server_error(&e))?
            .get(0);
        let version_num = version
            .parse()
            .map_err(|_| format!("unexpected server_version_num `{version}`"))?;
        let available_extensions = client
            .query(
                "SELECT name::text FROM pg_catalog.pg_available_extensions",
                &[],
            )
            .await
            .map_err(|e| server_error(&e))?
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect();
        Ok(Self {
            version_num,
            available_extensions,
            bin_dir,
        })
    }
}

/// Why a case is not run here, if it is not.
pub fn skip_reason(case: &Case, server: &ServerInfo) -> Option<String> {
    if case.offline_only {
        return Some("offline-only upstream (never run against a server)".into());
    }
    if let Some(min) = case.min_server_version {
        if min > server.version_num {
            return Some(format!(
                "needs server version {min}, server is {}",
                server.version_num
            ));
        }
    }
    let missing: Vec<&str> = case
        .requires_extensions
        .iter()
        .filter(|e| !server.available_extensions.contains(*e))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Some(format!("extension not available: {}", missing.join(", ")));
    }
    None
}

/// Runs one case (roles must already exist). Never panics on a case's
/// content; a failure is an [`Outcome::Fail`] whose reason starts with the
/// stage that failed.
pub async fn run_case(case: &Case, server: &ServerInfo) -> Outcome {
    if let Some(reason) = skip_reason(case, server) {
        return Outcome::Skip(reason);
    }
    let (current_db, desired_db) = tokio::join!(TestDatabase::create(), TestDatabase::create());
    let outcome = run_in(case, server, &current_db, &desired_db).await;
    // Dropping a TestDatabase blocks (it drops the database on the server):
    // keep that off the async workers.
    let _ = tokio::task::spawn_blocking(move || drop((current_db, desired_db))).await;
    outcome
}

async fn run_in(
    case: &Case,
    server: &ServerInfo,
    current_db: &TestDatabase,
    desired_db: &TestDatabase,
) -> Outcome {
    // Each file runs as one batch on its own session (the files may SET
    // search_path); introspection then uses fresh sessions.
    let (loaded_current, loaded_desired) = tokio::join!(
        load_sql(current_db, &case.current_sql),
        load_sql(desired_db, &case.desired_sql)
    );
    if let Err(e) = loaded_current {
        return Outcome::fail(format!("current.sql fails to load: {e}"));
    }
    if let Err(e) = loaded_desired {
        return Outcome::fail(format!("desired.sql fails to load: {e}"));
    }
    let (current, desired) = match tokio::try_join!(
        engine::introspect(current_db),
        engine::introspect(desired_db)
    ) {
        Ok(pair) => pair,
        Err(e) => return Outcome::fail(format!("introspection fails: {e}")),
    };

    let hints = if case.rename_hints {
        rename::hints_from_sql(&case.desired_sql, &current, &desired)
    } else {
        Default::default()
    };
    let up = match engine::plan_up(&current, &desired, &hints) {
        Ok(up) => up,
        Err(e) => return Outcome::fail(format!("diff fails: {e}")),
    };
    // The corpus's "equal" is its own tool's view (sqldef ignores some
    // objects, e.g. type comments). The server decides: when the two
    // databases dump identically the diff must be empty; when they do not,
    // the diff must reach desired like any other case (checked below).
    if case.states_compare == StatesCompare::Equal && !up.is_empty() {
        let bin_dir = server.bin_dir.as_deref();
        let dumps = tokio::try_join!(
            dump::pg_dump(bin_dir, current_db.url()),
            dump::pg_dump(bin_dir, desired_db.url())
        );
        let really_equal = match dumps {
            Ok((current, desired)) => {
                dump::compare(&dump::normalize(&current), &dump::normalize(&desired)).is_none()
            }
            Err(e) => return Outcome::fail(crate::outcome::one_line(&e)),
        };
        if let Some(first) = up.first().filter(|_| really_equal) {
            return Outcome::fail(format!(
                "equal states give a non-empty diff ({} statements): `{}`",
                up.len(),
                crate::outcome::one_line(&first.sql)
            ));
        }
    }

    let client = current_db.connect().await;
    if let Err(e) = engine::apply(&client, &up).await {
        return Outcome::fail(format!("diff emits invalid SQL: {e}"));
    }
    drop(client);

    let after = match engine::introspect(current_db).await {
        Ok(s) => s,
        Err(e) => return Outcome::fail(format!("introspection after apply fails: {e}")),
    };
    if let Some(diff) = crate::compare::first_difference(&after, &desired) {
        return Outcome::fail(format!("model differs after apply: {diff}"));
    }

    let bin_dir = server.bin_dir.as_deref();
    let (actual_dump, expected_dump) = match tokio::try_join!(
        dump::pg_dump(bin_dir, current_db.url()),
        dump::pg_dump(bin_dir, desired_db.url())
    ) {
        Ok(pair) => pair,
        Err(e) => return Outcome::fail(crate::outcome::one_line(&e)),
    };
    if let Some(diff) = dump::compare(
        &dump::normalize(&actual_dump),
        &dump::normalize(&expected_dump),
    ) {
        return Outcome::fail(format!("pg_dump differs after apply: {diff}"));
    }

    match engine::plan_up(&after, &desired, &Default::default()) {
        Ok(again) if again.is_empty() => Outcome::Pass,
        Ok(again) => Outcome::fail(format!(
            "second diff not empty ({} statements): `{}`",
            again.len(),
            crate::outcome::one_line(&again[0].sql)
        )),
        Err(e) => Outcome::fail(format!("second diff fails: {e}")),
    }
}

/// Loads a state file as one batch. Several statements in one batch run in an
/// implicit transaction, which some statements refuse (`CREATE INDEX
/// CONCURRENTLY`, SQLSTATE 25001); the batch was rolled back whole, so the
/// file is then run statement by statement on one session, as psql would.
async fn load_sql(db: &TestDatabase, sql: &str) -> Result<(), String> {
    let client = db.connect().await;
    match client.batch_execute(sql).await {
        Ok(()) => Ok(()),
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::ACTIVE_SQL_TRANSACTION) => {
            for statement in dump::split_statements(sql) {
                if statement.trim().is_empty() {
                    continue;
                }
                client
                    .batch_execute(&statement)
                    .await
                    .map_err(|e| server_error(&e))?;
            }
            Ok(())
        }
        Err(e) => Err(server_error(&e)),
    }
}
