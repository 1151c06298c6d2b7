//! Strata's query builder side by side with raw tokio-postgres, Diesel and
//! sqlx, in one criterion run, on the shapes of Diesel's own benchmark
//! (see README.md):
//! `cargo bench --manifest-path bench/orm/Cargo.toml`.
//!
//! Before each group every contestant runs once outside timing and the
//! results are compared: all of them do the same work and return the same
//! Rust values.

mod contest;
mod delay;
mod diesel_side;
mod fixture;
mod model;
mod sql_raw;
mod sqlx_side;
mod stitch;
mod strata_side;
mod tokio_pg;

use contest::contest;
use criterion::{criterion_group, criterion_main, Criterion};
use diesel::prelude::*;
use fixture::{fixture, COMMENTS_PER_POST, KEY, POSTS_PER_USER, USERS, WITH_POSTS};
use model::schema::{posts, users};
use model::{Tree, User};
use std::hint::black_box;
use strata::query::prelude::*;
use tokio::runtime::Runtime;

/// One runtime thread: the client and tokio-postgres' connection task (and
/// sqlx's inline connection) are polled on the thread that waits, as in a
/// request handler; no cross-thread wake-ups on 2 shared cores.
fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The tree in id order at every level (no contestant orders its levels,
/// as in Diesel's benchmark; the rows are the same, the order may differ).
fn sorted(mut t: Tree) -> Tree {
    t.sort_by_key(|(u, _)| u.id);
    for (_, posts) in &mut t {
        posts.sort_by_key(|(p, _)| p.id);
        for (_, comments) in posts {
            comments.sort_by_key(|c| c.id);
        }
    }
    t
}

fn by_id(mut v: Vec<User>) -> Vec<User> {
    v.sort_by_key(|u| u.id);
    v
}

/// Building a statement alone (no I/O): a select with a join, two
/// conditions, order and limit; and the three-level load.
fn build(c: &mut Criterion) {
    use model::{Post, User};
    if contest::paired_mode() {
        return;
    }
    let mut g = c.benchmark_group("build");
    g.bench_function("strata", |b| {
        b.iter(|| {
            User::select()
                .inner_join::<Post>()
                .on(User::ID.eq(Post::USER_ID))
                .columns((User::ID, User::NAME, Post::TITLE))
                .filter(User::NAME.like(black_box("%5%")))
                .filter(Post::ID.gt(black_box(3)))
                .order_by(User::NAME.desc())
                .limit(20)
                .build()
        })
    });
    let diesel_select = || {
        users::table
            .inner_join(posts::table)
            .select((users::id, users::name, posts::title))
            .filter(users::name.like(black_box("%5%")))
            .filter(posts::id.gt(black_box(3)))
            .order(users::name.desc())
            .limit(20)
    };
    g.bench_function("diesel_debug_query", |b| {
        b.iter(|| diesel::debug_query::<diesel::pg::Pg, _>(&diesel_select()).to_string())
    });
    g.bench_function("diesel_to_sql", |b| {
        b.iter(|| {
            use diesel::query_builder::{QueryBuilder as _, QueryFragment};
            let mut qb = diesel::pg::PgQueryBuilder::new();
            QueryFragment::<diesel::pg::Pg>::to_sql(&diesel_select(), &mut qb, &diesel::pg::Pg)
                .unwrap();
            qb.finish()
        })
    });
    g.bench_function("strata_three_level_load", |b| {
        b.iter(|| strata_side::three_levels_load().build())
    });
    g.finish();
}

fn run(c: &mut Criterion) {
    if std::env::var_os("ORM_BENCH_SQL").is_some() {
        // The load's SQL, to EXPLAIN or pgbench it by hand.
        println!("{}", strata_side::three_levels_load().to_sql());
        return;
    }
    let rt = runtime();
    let mut f = fixture(&rt);
    let raw = rt.block_on(tokio_pg::Raw::prepare(&f.raw));
    // The round trip every contestant pays per statement, as measured.
    let ping = rt.block_on(f.raw.prepare("SELECT 1")).unwrap();
    let mut trips: Vec<std::time::Duration> = (0..200)
        .map(|_| {
            let t = std::time::Instant::now();
            rt.block_on(f.raw.query_one(&ping, &[])).unwrap();
            t.elapsed()
        })
        .collect();
    trips.sort();
    println!(
        "round trip (SELECT 1, median of 200): {:.1} µs{}",
        trips[100].as_secs_f64() * 1e6,
        delay::rtt().map_or(String::new(), |r| format!(
            " through a link adding {} µs",
            r.as_micros()
        ))
    );

    // 1. One user by primary key.
    let expected = rt.block_on(strata_side::one_by_key(&f.strata, KEY));
    assert_eq!(expected.id, KEY);
    assert_eq!(
        rt.block_on(tokio_pg::one_by_key(&f.raw, &raw, KEY)),
        expected
    );
    assert_eq!(diesel_side::one_by_key(&mut f.diesel, KEY), expected);
    assert_eq!(
        rt.block_on(sqlx_side::one_by_key(&mut f.sqlx, KEY)),
        expected
    );
    contest(
        c,
        "one_by_key",
        3000,
        vec![
            (
                "strata",
                Box::new(|| {
                    black_box(rt.block_on(strata_side::one_by_key(&f.strata, black_box(KEY))));
                }),
            ),
            (
                "tokio_postgres",
                Box::new(|| {
                    black_box(rt.block_on(tokio_pg::one_by_key(&f.raw, &raw, black_box(KEY))));
                }),
            ),
            (
                "diesel",
                Box::new(|| {
                    black_box(diesel_side::one_by_key(&mut f.diesel, black_box(KEY)));
                }),
            ),
            (
                "sqlx",
                Box::new(|| {
                    black_box(rt.block_on(sqlx_side::one_by_key(&mut f.sqlx, black_box(KEY))));
                }),
            ),
        ],
    );

    // 2. Every user (10,000) into structs.
    let expected = by_id(rt.block_on(strata_side::rows_10k(&f.strata)));
    assert_eq!(expected.len(), USERS as usize);
    assert_eq!(
        by_id(rt.block_on(tokio_pg::rows_10k(&f.raw, &raw))),
        expected
    );
    assert_eq!(by_id(diesel_side::rows_10k(&mut f.diesel)), expected);
    assert_eq!(
        by_id(rt.block_on(sqlx_side::rows_10k(&mut f.sqlx))),
        expected
    );
    contest(
        c,
        "rows_10k",
        200,
        vec![
            (
                "strata",
                Box::new(|| {
                    black_box(rt.block_on(strata_side::rows_10k(&f.strata)));
                }),
            ),
            (
                "tokio_postgres",
                Box::new(|| {
                    black_box(rt.block_on(tokio_pg::rows_10k(&f.raw, &raw)));
                }),
            ),
            (
                "diesel",
                Box::new(|| {
                    black_box(diesel_side::rows_10k(&mut f.diesel));
                }),
            ),
            (
                "sqlx",
                Box::new(|| {
                    black_box(rt.block_on(sqlx_side::rows_10k(&mut f.sqlx)));
                }),
            ),
        ],
    );

    // 3. Users left-joined with their posts: (name, title) pairs.
    let expected = rt.block_on(strata_side::join(&f.strata));
    let (from, to) = fixture::JOIN_USERS;
    let with_posts = (WITH_POSTS - from + 1) * POSTS_PER_USER;
    assert_eq!(expected.len() as i32, with_posts + (to - WITH_POSTS));
    assert_eq!(
        expected.iter().filter(|(_, t)| t.is_none()).count() as i32,
        to - WITH_POSTS
    );
    assert_eq!(rt.block_on(tokio_pg::join(&f.raw, &raw)), expected);
    assert_eq!(diesel_side::join(&mut f.diesel), expected);
    assert_eq!(rt.block_on(sqlx_side::join(&mut f.sqlx)), expected);
    contest(
        c,
        "join",
        1000,
        vec![
            (
                "strata",
                Box::new(|| {
                    black_box(rt.block_on(strata_side::join(&f.strata)));
                }),
            ),
            (
                "tokio_postgres",
                Box::new(|| {
                    black_box(rt.block_on(tokio_pg::join(&f.raw, &raw)));
                }),
            ),
            (
                "diesel",
                Box::new(|| {
                    black_box(diesel_side::join(&mut f.diesel));
                }),
            ),
            (
                "sqlx",
                Box::new(|| {
                    black_box(rt.block_on(sqlx_side::join(&mut f.sqlx)));
                }),
            ),
        ],
    );

    // 4. 100 users -> their 500 posts -> those posts' 1,000 comments.
    let expected: Tree = sorted(strata_side::plain(
        rt.block_on(strata_side::three_levels(&f.strata)),
    ));
    assert_eq!(expected.len() as i32, WITH_POSTS);
    assert!(expected
        .iter()
        .all(|(_, ps)| ps.len() as i32 == POSTS_PER_USER
            && ps
                .iter()
                .all(|(_, cs)| cs.len() as i32 == COMMENTS_PER_POST)));
    assert_eq!(
        sorted(rt.block_on(tokio_pg::three_levels(&f.raw, &raw))),
        expected
    );
    assert_eq!(sorted(diesel_side::three_levels(&mut f.diesel)), expected);
    assert_eq!(
        sorted(rt.block_on(sqlx_side::three_levels(&mut f.sqlx))),
        expected
    );
    let strata_sql = rt.block_on(sql_raw::Prepared::new(
        &f.raw,
        strata_side::three_levels_load().build(),
    ));
    assert_eq!(
        sorted(rt.block_on(sql_raw::three_levels_by_hand(&strata_sql, &f.raw))),
        expected
    );
    let (rows, bytes) = rt.block_on(strata_sql.run(&f.raw));
    // One row per loaded row of every level: users, posts, comments.
    assert_eq!(
        rows as i32,
        WITH_POSTS * (1 + POSTS_PER_USER * (1 + COMMENTS_PER_POST))
    );
    assert!(bytes > 0);
    contest(
        c,
        "three_levels",
        400,
        vec![
            (
                "strata",
                Box::new(|| {
                    black_box(rt.block_on(strata_side::three_levels(&f.strata)));
                }),
            ),
            (
                "strata_sql_raw",
                Box::new(|| {
                    black_box(rt.block_on(strata_sql.run(&f.raw)));
                }),
            ),
            (
                "strata_sql_by_hand",
                Box::new(|| {
                    black_box(rt.block_on(sql_raw::three_levels_by_hand(&strata_sql, &f.raw)));
                }),
            ),
            (
                "tokio_postgres",
                Box::new(|| {
                    black_box(rt.block_on(tokio_pg::three_levels(&f.raw, &raw)));
                }),
            ),
            (
                "diesel",
                Box::new(|| {
                    black_box(diesel_side::three_levels(&mut f.diesel));
                }),
            ),
            (
                "sqlx",
                Box::new(|| {
                    black_box(rt.block_on(sqlx_side::three_levels(&mut f.sqlx)));
                }),
            ),
        ],
    );

    // 4a. Diesel's own association benchmark: a table of 100 users, every
    // one loaded with their posts and comments, no filter.
    let mut small = fixture::small_fixture(&rt);
    let small_raw = rt.block_on(tokio_pg::Raw::prepare(&small.raw));
    assert_eq!(
        sorted(strata_side::plain(
            rt.block_on(strata_side::three_levels_all(&small.strata))
        )),
        expected
    );
    assert_eq!(
        sorted(diesel_side::three_levels_all(&mut small.diesel)),
        expected
    );
    assert_eq!(
        sorted(rt.block_on(tokio_pg::three_levels_all(&small.raw, &small_raw))),
        expected
    );
    assert_eq!(
        sorted(rt.block_on(sqlx_side::three_levels_all(&mut small.sqlx))),
        expected
    );
    let strata_all_sql = rt.block_on(sql_raw::Prepared::new(
        &small.raw,
        strata_side::three_levels_all_load().build(),
    ));
    assert_eq!(
        sorted(rt.block_on(sql_raw::three_levels_by_hand(&strata_all_sql, &small.raw))),
        expected
    );
    contest(
        c,
        "three_levels_all",
        400,
        vec![
            (
                "strata",
                Box::new(|| {
                    black_box(rt.block_on(strata_side::three_levels_all(&small.strata)));
                }),
            ),
            (
                "strata_sql_raw",
                Box::new(|| {
                    black_box(rt.block_on(strata_all_sql.run(&small.raw)));
                }),
            ),
            (
                "strata_sql_by_hand",
                Box::new(|| {
                    black_box(
                        rt.block_on(sql_raw::three_levels_by_hand(&strata_all_sql, &small.raw)),
                    );
                }),
            ),
            (
                "tokio_postgres",
                Box::new(|| {
                    black_box(rt.block_on(tokio_pg::three_levels_all(&small.raw, &small_raw)));
                }),
            ),
            (
                "diesel",
                Box::new(|| {
                    black_box(diesel_side::three_levels_all(&mut small.diesel));
                }),
            ),
            (
                "sqlx",
                Box::new(|| {
                    black_box(rt.block_on(sqlx_side::three_levels_all(&mut small.sqlx)));
                }),
            ),
        ],
    );
    drop(small);

    // 4b. The same tree, the users chosen by a list of ids (a plan the
    // server can reuse): strata, its SQL sent raw, and Diesel.
    assert_eq!(
        sorted(strata_side::plain(
            rt.block_on(strata_side::three_levels_by_ids(&f.strata))
        )),
        expected
    );
    assert_eq!(
        sorted(diesel_side::three_levels_by_ids(&mut f.diesel)),
        expected
    );
    let strata_ids_sql = rt.block_on(sql_raw::Prepared::new(
        &f.raw,
        strata_side::three_levels_by_ids_load().build(),
    ));
    contest(
        c,
        "three_levels_by_ids",
        400,
        vec![
            (
                "strata",
                Box::new(|| {
                    black_box(rt.block_on(strata_side::three_levels_by_ids(&f.strata)));
                }),
            ),
            (
                "strata_sql_raw",
                Box::new(|| {
                    black_box(rt.block_on(strata_ids_sql.run(&f.raw)));
                }),
            ),
            (
                "diesel",
                Box::new(|| {
                    black_box(diesel_side::three_levels_by_ids(&mut f.diesel));
                }),
            ),
        ],
    );

    // 5. 100 users inserted in one statement, nothing returned. Last: it
    // grows the users table.
    let batch: Vec<(String, Option<String>)> = (0..100)
        .map(|i| {
            (
                format!("new user {i}"),
                (i % 2 == 0).then(|| format!("hair {i}")),
            )
        })
        .collect();
    let inserted = |f: &mut fixture::Fixture| -> Vec<(String, Option<String>)> {
        let mut last: Vec<User> = users::table
            .order(users::id.desc())
            .limit(100)
            .select(User::as_select())
            .load(&mut f.diesel)
            .unwrap();
        last.reverse();
        last.into_iter().map(|u| (u.name, u.hair_color)).collect()
    };
    assert_eq!(rt.block_on(strata_side::insert_100(&f.strata, &batch)), 100);
    assert_eq!(inserted(&mut f), batch);
    assert_eq!(rt.block_on(tokio_pg::insert_100(&f.raw, &raw, &batch)), 100);
    assert_eq!(inserted(&mut f), batch);
    assert_eq!(diesel_side::insert_100(&mut f.diesel, &batch), 100);
    assert_eq!(inserted(&mut f), batch);
    assert_eq!(rt.block_on(sqlx_side::insert_100(&mut f.sqlx, &batch)), 100);
    assert_eq!(inserted(&mut f), batch);
    contest(
        c,
        "insert_100",
        1000,
        vec![
            (
                "strata",
                Box::new(|| {
                    black_box(rt.block_on(strata_side::insert_100(&f.strata, &batch)));
                }),
            ),
            (
                "tokio_postgres",
                Box::new(|| {
                    black_box(rt.block_on(tokio_pg::insert_100(&f.raw, &raw, &batch)));
                }),
            ),
            (
                "diesel",
                Box::new(|| {
                    black_box(diesel_side::insert_100(&mut f.diesel, &batch));
                }),
            ),
            (
                "sqlx",
                Box::new(|| {
                    black_box(rt.block_on(sqlx_side::insert_100(&mut f.sqlx, &batch)));
                }),
            ),
        ],
    );
}

criterion_group!(benches, build, run);
criterion_main!(benches);
