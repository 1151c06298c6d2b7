//! The query builder side by side with hand-written tokio-postgres, on the
//! school schema in a private test server:
//! `cargo bench -p strata --bench query`.
//!
//! - `build/*`: building a statement's SQL text and parameters alone
//!   (a select with a join, two conditions, order and limit);
//! - `one_by_key`, `rows_10k`, `join`, `three_levels`, `insert_100`:
//!   the same work as strata and as raw tokio-postgres (prepared
//!   statements, decoding by hand). For `three_levels` raw runs one query
//!   per level (users, their user_roles, those roles) and stitches the
//!   result, which is what Diesel and SeaORM do; strata sends one
//!   statement.

use chrono::NaiveDateTime;
use criterion::{criterion_group, criterion_main, Criterion};
use std::collections::HashMap;
use std::hint::black_box;
use strata::query::prelude::*;
use strata::query::{Connection, Executor};
use strata_example_school::*;
use tokio::runtime::Runtime;

const USERS: i32 = 10_000;

struct Fixture {
    _db: strata_testkit::TestDatabase,
    conn: Connection,
    raw: tokio_postgres::Client,
}

fn fixture(rt: &Runtime) -> Fixture {
    rt.block_on(async {
        let db = strata_testkit::TestDatabase::create().await;
        let client = db.connect().await;
        let declared = declared().unwrap();
        strata_testkit::create_schema(&client, &declared.schema).await;
        let conn = Connection::new(client);
        for chunk in 0..(USERS / 1_000) {
            let rows: Vec<NewUser> = (chunk * 1_000..(chunk + 1) * 1_000)
                .map(|i| NewUser::new(format!("sub-{i}"), format!("u{i}@example.com")).first_name(format!("F{i}")))
                .collect();
            User::insert_many(rows).execute(&conn).await.unwrap();
        }
        let roles: Vec<NewRole> = (0..10).map(|i| NewRole::new(format!("role {i}"))).collect();
        Role::insert_many(roles).execute(&conn).await.unwrap();
        // Every user gets three roles; then statistics, as a live database has
        // them (and no autovacuum running during the measurements).
        conn.client()
            .batch_execute(
                "INSERT INTO user_roles (user_id, role_id) \
                 SELECT u.id, r.id FROM users u JOIN roles r ON r.id % 10 IN (u.id % 10, (u.id + 1) % 10, (u.id + 2) % 10)",
            )
            .await
            .unwrap();
        conn.client().batch_execute("VACUUM ANALYZE").await.unwrap();
        let raw = db.connect().await;
        Fixture { _db: db, conn, raw }
    })
}

/// A user decoded by hand from a raw row.
fn raw_user(r: &tokio_postgres::Row) -> User {
    User {
        id: r.get(0),
        cognito_sub: r.get(1),
        email: r.get(2),
        first_name: r.get(3),
        last_name: r.get(4),
        created_at: r.get::<_, NaiveDateTime>(5),
        updated_at: r.get(6),
        last_sign_in_at: r.get(7),
    }
}

fn raw_role(r: &tokio_postgres::Row) -> Role {
    Role {
        id: r.get(0),
        name: r.get(1),
        description: r.get(2),
        is_system: r.get(3),
        created_at: r.get(4),
    }
}

/// A cell's bytes, whatever its type.
struct RawCell<'a>(&'a [u8]);

impl<'a> tokio_postgres::types::FromSql<'a> for RawCell<'a> {
    fn from_sql(
        _: &tokio_postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawCell(raw))
    }
    fn accepts(_: &tokio_postgres::types::Type) -> bool {
        true
    }
}

/// Reads every cell's bytes (no decoding): how many there are.
fn touch_cells(rows: &[tokio_postgres::Row]) -> usize {
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| r.get::<_, Option<RawCell>>(i).map_or(0, |c| c.0.len()))
                .sum::<usize>()
        })
        .sum()
}

const USER_COLUMNS: &str =
    "id, cognito_sub, email, first_name, last_name, created_at, updated_at, last_sign_in_at";

fn build(c: &mut Criterion) {
    c.bench_function("build/select_join_two_conditions_order_limit", |b| {
        b.iter(|| {
            User::select()
                .inner_join::<UserRole>()
                .on(User::ID.eq(UserRole::USER_ID))
                .columns((User::ID, User::EMAIL, UserRole::ROLE_ID))
                .filter(User::EMAIL.like(black_box("%@example.com")))
                .filter(UserRole::ROLE_ID.gt(black_box(3)))
                .order_by(User::EMAIL.desc())
                .limit(20)
                .build()
        })
    });
    c.bench_function("build/three_level_load", |b| {
        b.iter(|| {
            User::load()
                .filter(User::ID.eq(black_box(7)))
                .with(
                    has_many(User::ID, UserRole::USER_ID)
                        .with(belongs_to(UserRole::ROLE_ID, Role::ID)),
                )
                .build()
        })
    });
}

fn run(c: &mut Criterion) {
    let rt = Runtime::new().unwrap();
    let f = fixture(&rt);
    let (conn, raw) = (&f.conn, &f.raw);

    let mut g = c.benchmark_group("one_by_key");
    g.bench_function("strata", |b| {
        b.iter(|| {
            rt.block_on(
                User::select()
                    .filter(User::ID.eq(black_box(4242)))
                    .one(conn),
            )
            .unwrap()
        })
    });
    let stmt = rt
        .block_on(raw.prepare(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")))
        .unwrap();
    g.bench_function("tokio_postgres", |b| {
        b.iter(|| {
            raw_user(
                &rt.block_on(raw.query_one(&stmt, &[&black_box(4242)]))
                    .unwrap(),
            )
        })
    });
    g.finish();

    let mut g = c.benchmark_group("rows_10k");
    g.sample_size(20);
    g.bench_function("strata", |b| {
        b.iter(|| rt.block_on(User::select().all(conn)).unwrap())
    });
    let stmt = rt
        .block_on(raw.prepare(&format!("SELECT {USER_COLUMNS} FROM users")))
        .unwrap();
    g.bench_function("tokio_postgres", |b| {
        b.iter(|| {
            let rows = rt.block_on(raw.query(&stmt, &[])).unwrap();
            rows.iter().map(raw_user).collect::<Vec<_>>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("join");
    g.bench_function("strata", |b| {
        b.iter(|| {
            rt.block_on(
                User::select()
                    .inner_join::<UserRole>()
                    .on(User::ID.eq(UserRole::USER_ID))
                    .inner_join::<Role>()
                    .on(UserRole::ROLE_ID.eq(Role::ID))
                    .columns((User::EMAIL, Role::NAME))
                    .filter(User::ID.lt(black_box(200)))
                    .order_by(User::ID)
                    .all(conn),
            )
            .unwrap()
        })
    });
    let stmt = rt
        .block_on(raw.prepare(
            "SELECT u.email, r.name FROM users u JOIN user_roles ur ON u.id = ur.user_id \
             JOIN roles r ON ur.role_id = r.id WHERE u.id < $1 ORDER BY u.id",
        ))
        .unwrap();
    g.bench_function("tokio_postgres", |b| {
        b.iter(|| {
            let rows = rt.block_on(raw.query(&stmt, &[&black_box(200)])).unwrap();
            rows.iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
                .collect::<Vec<_>>()
        })
    });
    g.finish();

    // Users with their user_roles and each one's role: 100 users.
    let mut g = c.benchmark_group("three_levels");
    g.bench_function("strata_one_statement", |b| {
        b.iter(|| {
            rt.block_on(
                User::load()
                    .filter(User::ID.lte(black_box(100)))
                    .with(
                        has_many(User::ID, UserRole::USER_ID)
                            .with(belongs_to(UserRole::ROLE_ID, Role::ID)),
                    )
                    .all(conn),
            )
            .unwrap()
        })
    });
    // The same statement sent raw, its cells only touched: the floor for
    // the one-statement load (server, transfer and row parsing).
    let (load_sql, _) = User::load()
        .filter(User::ID.lte(100))
        .with(has_many(User::ID, UserRole::USER_ID).with(belongs_to(UserRole::ROLE_ID, Role::ID)))
        .build();
    let load_stmt = rt.block_on(raw.prepare(&load_sql)).unwrap();
    // And with the value written into the text: planned once, not per
    // execution, which shows what planning costs.
    let literal_stmt = rt
        .block_on(raw.prepare(&load_sql.replace("$1", "100")))
        .unwrap();
    g.bench_function("strata_sql_literal_sent_raw", |b| {
        b.iter(|| {
            let rows = rt.block_on(raw.query(&literal_stmt, &[])).unwrap();
            touch_cells(&rows)
        })
    });
    g.bench_function("strata_sql_sent_raw", |b| {
        b.iter(|| {
            let rows = rt
                .block_on(raw.query(&load_stmt, &[&black_box(100)]))
                .unwrap();
            touch_cells(&rows)
        })
    });
    let users_stmt = rt
        .block_on(raw.prepare(&format!("SELECT {USER_COLUMNS} FROM users WHERE id <= $1")))
        .unwrap();
    let links_stmt = rt
        .block_on(raw.prepare(
            "SELECT id, user_id, role_id, created_at, updated_at FROM user_roles WHERE user_id = ANY($1)",
        ))
        .unwrap();
    let roles_stmt = rt
        .block_on(raw.prepare(
            "SELECT id, name, description, is_system, created_at FROM roles WHERE id = ANY($1)",
        ))
        .unwrap();
    g.bench_function("tokio_postgres_query_per_level", |b| {
        b.iter(|| {
            rt.block_on(async {
                let users: Vec<User> = raw
                    .query(&users_stmt, &[&black_box(100)])
                    .await
                    .unwrap()
                    .iter()
                    .map(raw_user)
                    .collect();
                let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                let links: Vec<UserRole> = raw
                    .query(&links_stmt, &[&ids])
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| UserRole {
                        id: r.get(0),
                        user_id: r.get(1),
                        role_id: r.get(2),
                        created_at: r.get(3),
                        updated_at: r.get(4),
                    })
                    .collect();
                let role_ids: Vec<i32> = links.iter().map(|l| l.role_id).collect();
                let roles: HashMap<i32, Role> = raw
                    .query(&roles_stmt, &[&role_ids])
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| {
                        let role = raw_role(r);
                        (role.id, role)
                    })
                    .collect();
                let mut by_user: HashMap<i32, Vec<(UserRole, Option<Role>)>> = HashMap::new();
                for l in links {
                    let role = roles.get(&l.role_id).map(|r| Role {
                        id: r.id,
                        name: r.name.clone(),
                        description: r.description.clone(),
                        is_system: r.is_system,
                        created_at: r.created_at,
                    });
                    by_user.entry(l.user_id).or_default().push((l, role));
                }
                users
                    .into_iter()
                    .map(|u| {
                        let links = by_user.remove(&u.id).unwrap_or_default();
                        (u, links)
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    g.finish();

    let mut g = c.benchmark_group("insert_100");
    g.sample_size(30);
    let mut n = 0u64;
    g.bench_function("strata", |b| {
        b.iter(|| {
            n += 1;
            let rows: Vec<NewRole> = (0..100)
                .map(|i| NewRole::new(format!("s{n}-{i}")).description("bench"))
                .collect();
            rt.block_on(Role::insert_many(rows).execute(conn)).unwrap()
        })
    });
    let mut sql = String::from("INSERT INTO roles (name, description) VALUES ");
    for i in 0..100 {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
    }
    let stmt = rt.block_on(raw.prepare(&sql)).unwrap();
    g.bench_function("tokio_postgres", |b| {
        b.iter(|| {
            n += 1;
            let names: Vec<String> = (0..100).map(|i| format!("r{n}-{i}")).collect();
            let description = "bench".to_string();
            let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = Vec::new();
            for name in &names {
                params.push(name);
                params.push(&description);
            }
            rt.block_on(raw.execute(&stmt, &params)).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, build, run);
criterion_main!(benches);
