//! Execution: transactions (commit, rollback, savepoints), the statement
//! cache, streaming, and the connection pool, on a real server.

mod query_support;

use futures_util::TryStreamExt;
use query_support::*;
use strata::query::prelude::*;
use strata::query::{Connection, Executor, QueryError, StatementCache};
use strata_example_school::*;

/// Runs a transaction on `db` that inserts the role `name`, then waits on
/// the server for `sleep_s` seconds, and drops its future 200 ms in, as a
/// timeout around a request would. True when it was cut short.
async fn cut_short<E: Transactional>(db: &mut E, name: &str, sleep_s: u32) -> bool {
    tokio::time::timeout(
        std::time::Duration::from_millis(200),
        db.transaction(async |tx| {
            Role::insert(NewRole::new(name)).execute(tx).await?;
            tx.client()
                .batch_execute(&format!("SELECT pg_sleep({sleep_s})"))
                .await?;
            Ok::<_, QueryError>(())
        }),
    )
    .await
    .is_err()
}

async fn count_students(db: &Connection) -> i64 {
    Student::select().columns(count()).one(db).await.unwrap()
}

#[tokio::test]
async fn transaction_commits_on_ok() {
    let (_t, mut db) = school().await;
    let s = seed(&db).await;
    let student = s.students[0].id;
    let alice = s.alice.id;
    // Seed 004: intervention, its first session and a status change together.
    let id = db
        .transaction(async |tx| {
            let id = Intervention::insert(
                NewIntervention::new(student, InterventionType::Academic, date(2024, 3, 1), alice)
                    .status(InterventionStatus::Planned)
                    .title("Academic Support"),
            )
            .returning(Intervention::ID)
            .one(tx)
            .await?;
            InterventionSession::insert(
                NewInterventionSession::new(id, date(2024, 3, 2), alice)
                    .progress_notes("Initial session"),
            )
            .execute(tx)
            .await?;
            Student::update()
                .set(Student::STATUS, StudentStatus::Active)
                .filter(Student::ID.eq(student))
                .execute(tx)
                .await?;
            Ok::<_, QueryError>(id)
        })
        .await
        .unwrap();
    let sessions = InterventionSession::select()
        .filter(InterventionSession::INTERVENTION_ID.eq(id))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].progress_notes.as_deref(),
        Some("Initial session")
    );
}

#[derive(Debug)]
enum AppError {
    #[allow(dead_code)] // read through Debug when a test fails
    Db(QueryError),
    InvalidEmail,
}

impl From<QueryError> for AppError {
    fn from(e: QueryError) -> Self {
        AppError::Db(e)
    }
}

#[tokio::test]
async fn transaction_rolls_back_on_err() {
    let (_t, mut db) = school().await;
    let s = seed(&db).await;
    let role = s.teacher.id;
    let r = db
        .transaction(async |tx| {
            let user = User::insert(NewUser::new("sub-new", "no-at-sign"))
                .returning_all()
                .one(tx)
                .await?;
            UserRole::insert(NewUserRole::new(user.id, role))
                .execute(tx)
                .await?;
            if !user.email.contains('@') {
                return Err(AppError::InvalidEmail);
            }
            Ok(user)
        })
        .await;
    assert!(matches!(r, Err(AppError::InvalidEmail)));
    let found = User::select()
        .filter(User::COGNITO_SUB.eq("sub-new"))
        .optional(&db)
        .await
        .unwrap();
    assert!(found.is_none(), "the insert was rolled back");
    // A failing statement rolls back too, with the server's error.
    let r = db
        .transaction(async |tx| {
            Student::insert(NewStudent::new("S100", "A", "B", GradeLevel::First))
                .execute(tx)
                .await?;
            // Duplicate sis_id: unique violation.
            Student::insert(NewStudent::new("S001", "A", "B", GradeLevel::First))
                .execute(tx)
                .await?;
            Ok::<_, QueryError>(())
        })
        .await;
    assert!(matches!(r, Err(QueryError::Postgres(_))));
    assert_eq!(count_students(&db).await, 3);
}

#[tokio::test]
async fn nested_transactions_are_savepoints() {
    let (_t, mut db) = school().await;
    seed(&db).await;
    db.transaction(async |tx| {
        Student::insert(NewStudent::new("S200", "Outer", "One", GradeLevel::Second))
            .execute(tx)
            .await?;
        // The inner one fails: only its work is undone.
        let inner = tx
            .transaction(async |tx2| {
                Student::insert(NewStudent::new("S201", "Inner", "Two", GradeLevel::Second))
                    .execute(tx2)
                    .await?;
                Student::insert(NewStudent::new("S001", "Dup", "Key", GradeLevel::Second))
                    .execute(tx2)
                    .await?;
                Ok::<_, QueryError>(())
            })
            .await;
        assert!(inner.is_err());
        // A second savepoint that succeeds is kept.
        tx.transaction(async |tx2| {
            Student::insert(NewStudent::new(
                "S202",
                "Inner",
                "Three",
                GradeLevel::Second,
            ))
            .execute(tx2)
            .await
        })
        .await?;
        // The outer transaction goes on after the inner failure.
        Student::update()
            .set(Student::FIRST_NAME, "Outer!")
            .filter(Student::SIS_ID.eq("S200"))
            .execute(tx)
            .await?;
        Ok::<_, QueryError>(())
    })
    .await
    .unwrap();
    let ids: Vec<(String, String)> = Student::select()
        .columns((Student::SIS_ID, Student::FIRST_NAME))
        .filter(Student::GRADE_LEVEL.eq(GradeLevel::Second))
        .order_by(Student::SIS_ID)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        ids,
        [
            ("S200".to_string(), "Outer!".to_string()),
            ("S202".to_string(), "Inner".to_string())
        ]
    );
}

#[tokio::test]
async fn statements_are_prepared_once_per_shape() {
    let (_t, db) = school().await;
    seed(&db).await;
    let before = db.statement_cache().len();
    for sub in ["sub-alice", "sub-bob", "nobody"] {
        User::select()
            .filter(User::COGNITO_SUB.eq(sub))
            .optional(&db)
            .await
            .unwrap();
    }
    assert_eq!(
        db.statement_cache().len(),
        before + 1,
        "one shape, three values"
    );
    User::select()
        .filter(User::EMAIL.eq("x"))
        .optional(&db)
        .await
        .unwrap();
    assert_eq!(db.statement_cache().len(), before + 2, "another shape");
}

#[tokio::test]
async fn the_statement_cache_is_bounded_and_evicts_the_least_recently_used() {
    let (t, _db) = school().await;
    let db = Connection::with_cache(t.connect().await, StatementCache::with_capacity(2));
    let by_sub = || User::select().filter(User::COGNITO_SUB.eq("x"));
    let by_email = || User::select().filter(User::EMAIL.eq("x"));
    let by_id = || User::select().filter(User::ID.eq(1));
    by_sub().optional(&db).await.unwrap();
    by_email().optional(&db).await.unwrap();
    by_sub().optional(&db).await.unwrap(); // by_email is now the oldest
    by_id().optional(&db).await.unwrap();
    assert_eq!(db.statement_cache().len(), 2);
    assert_eq!(db.statement_cache().capacity(), 2);
    // The server holds only what the cache holds: the evicted statement
    // was closed when its last handle went away.
    // (A simple query, which prepares nothing itself.)
    let prepared = db
        .client()
        .simple_query("SELECT count(*) FROM pg_prepared_statements")
        .await
        .unwrap();
    let count = prepared.iter().find_map(|m| match m {
        tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
        _ => None,
    });
    assert_eq!(count.as_deref(), Some("2"));
    // The evicted shape prepares again and runs.
    assert_eq!(by_email().all(&db).await.unwrap().len(), 0);
    assert_eq!(db.statement_cache().len(), 2);
}

#[tokio::test]
async fn streaming_a_large_result() {
    let (_t, db) = school().await;
    for chunk in 0..5 {
        let rows: Vec<NewRole> = (chunk * 2_000..(chunk + 1) * 2_000)
            .map(|i| NewRole::new(format!("role {i}")))
            .collect();
        Role::insert_many(rows).execute(&db).await.unwrap();
    }
    let mut stream = Box::pin(
        Role::select()
            .columns((Role::ID, Role::NAME))
            .order_by(Role::ID)
            .stream(&db)
            .await
            .unwrap(),
    );
    let mut n = 0usize;
    let mut last = 0;
    while let Some((id, name)) = stream.try_next().await.unwrap() {
        assert!(id > last);
        assert_eq!(name, format!("role {n}"));
        last = id;
        n += 1;
    }
    assert_eq!(n, 10_000);
}

#[tokio::test]
async fn pooled_connections_run_queries_and_transactions() {
    let (t, db) = school().await;
    seed(&db).await;
    let pool = strata::query::pool(t.url(), 4).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let c = strata::query::connection(&pool).await.unwrap();
            User::select()
                .filter(User::COGNITO_SUB.eq("sub-bob"))
                .one(&c)
                .await
                .unwrap()
                .email
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), "bob@school.org");
    }
    assert!(pool.status().size <= 4);
    let mut c = strata::query::connection(&pool).await.unwrap();
    let r = c
        .transaction(async |tx| {
            Role::insert(NewRole::new("pooled")).execute(tx).await?;
            Err::<(), _>(QueryError::NoRow)
        })
        .await;
    assert!(r.is_err());
    assert_eq!(roles_named(&c, "pooled").await, 0);
}

#[tokio::test]
async fn a_pooled_connection_is_not_reused_inside_a_dropped_transaction() {
    let (t, db) = school().await;
    seed(&db).await;
    let pool = strata::query::Pool::builder(
        strata::query::PoolManager::new(t.url())
            .unwrap()
            .statement_cache_capacity(2),
    )
    .max_size(1)
    .build()
    .unwrap();
    {
        let mut c = strata::query::connection(&pool).await.unwrap();
        // The timeout drops the transaction's future between BEGIN and
        // COMMIT, while its statement still runs on the server.
        assert!(cut_short(&mut c, "cancelled", 30).await);
        assert!(c.transaction_left_open());
    }
    // The pool's only connection again: its running statement was
    // cancelled (no 30 s wait) and its transaction rolled back, so even
    // this connection no longer sees the row it inserted.
    let reused = std::time::Instant::now();
    let c = strata::query::connection(&pool).await.unwrap();
    assert!(reused.elapsed() < std::time::Duration::from_secs(20));
    assert!(!c.transaction_left_open());
    assert_eq!(roles_named(&c, "cancelled").await, 0);
    let open: bool = strata::query::raw::<(bool,)>("SELECT now() <> statement_timestamp()")
        .one(&c)
        .await
        .unwrap()
        .0;
    assert!(
        open,
        "outside a transaction each statement has its own now()"
    );

    // Its statement cache is the bounded one the manager was given.
    assert_eq!(c.statement_cache().capacity(), 2);
    // Three statement shapes (one, two and three conditions).
    Role::select()
        .filter(Role::NAME.eq("a"))
        .all(&c)
        .await
        .unwrap();
    Role::select()
        .filter(Role::NAME.eq("a"))
        .filter(Role::ID.gt(0))
        .all(&c)
        .await
        .unwrap();
    Role::select()
        .filter(Role::NAME.eq("a"))
        .filter(Role::ID.gt(0))
        .filter(Role::IS_SYSTEM.eq(false))
        .all(&c)
        .await
        .unwrap();
    assert_eq!(c.statement_cache().len(), 2);
}

/// How many roles are named `name`, as `db` sees them.
async fn roles_named<E: Executor>(db: &E, name: &str) -> i64 {
    Role::select()
        .columns(count())
        .filter(Role::NAME.eq(name))
        .one(db)
        .await
        .unwrap()
}

/// The roles named `name` as another connection sees them (committed).
async fn committed_roles(t: &strata_testkit::TestDatabase, name: &str) -> i64 {
    roles_named(&Connection::new(t.connect().await), name).await
}

#[tokio::test]
async fn a_dropped_transaction_is_rolled_back_not_committed_by_the_next() {
    let (t, mut db) = school().await;
    seed(&db).await;
    assert!(cut_short(&mut db, "half-done", 1).await);
    assert!(db.transaction_left_open());
    // The next transaction commits its own work only.
    db.transaction(async |tx| {
        Role::insert(NewRole::new("whole")).execute(tx).await?;
        Ok::<_, QueryError>(())
    })
    .await
    .unwrap();
    assert!(!db.transaction_left_open());
    assert_eq!(committed_roles(&t, "half-done").await, 0);
    assert_eq!(committed_roles(&t, "whole").await, 1);

    // A plain statement after a dropped transaction runs outside it.
    assert!(cut_short(&mut db, "half-done", 1).await);
    Role::insert(NewRole::new("alone"))
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(committed_roles(&t, "alone").await, 1);
    assert_eq!(committed_roles(&t, "half-done").await, 0);
}

#[tokio::test]
async fn a_dropped_savepoint_rolls_back_the_transaction_around_it() {
    let (t, mut db) = school().await;
    seed(&db).await;
    let r = db
        .transaction(async |tx| {
            Role::insert(NewRole::new("outer")).execute(tx).await?;
            assert!(
                cut_short(tx, "inner", 1).await,
                "the savepoint was cut short"
            );
            Ok::<_, QueryError>("the closure itself succeeded")
        })
        .await;
    assert!(
        matches!(r, Err(QueryError::InnerTransactionAbandoned)),
        "{r:?}"
    );
    assert!(!db.transaction_left_open());
    assert_eq!(committed_roles(&t, "outer").await, 0);
    assert_eq!(committed_roles(&t, "inner").await, 0);
    // The connection is usable again, outside any transaction.
    Role::insert(NewRole::new("after"))
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(committed_roles(&t, "after").await, 1);
}

#[tokio::test]
async fn a_pool_connects_as_the_cli_does_tls_as_asked_and_passwords_masked() {
    let (t, _db) = school().await;
    // The test server has TLS off: asked for, it is refused, and said so.
    let sep = if t.url().contains('?') { '&' } else { '?' };
    let pool = strata::query::pool(&format!("{}{sep}sslmode=require", t.url()), 1).unwrap();
    let err = strata::query::connection(&pool)
        .await
        .err()
        .expect("TLS refused");
    let text = err.to_string();
    assert!(
        text.to_lowercase().contains("tls") || text.to_lowercase().contains("ssl"),
        "{text}"
    );
    // A server that is not there: the error names the URL, never the password.
    let pool = strata::query::pool("postgres://app:s3cret-pw@127.0.0.1:1/app", 1).unwrap();
    let text = strata::query::connection(&pool)
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(text.contains("127.0.0.1:1"), "{text}");
    assert!(!text.contains("s3cret-pw"), "{text}");
    // A URL that cannot be read fails when the pool is made.
    let err = strata::query::pool(
        "postgres://app:s3cret-pw@127.0.0.1:1/app?sslmode=sometimes",
        1,
    )
    .err()
    .expect("a bad sslmode");
    assert!(!err.to_string().contains("s3cret-pw"), "{err}");
    assert!(err.to_string().contains("sslmode"), "{err}");
}
