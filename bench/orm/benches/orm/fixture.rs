//! The database every contestant reads: a private database on the test
//! server with Diesel's benchmark schema, created from strata's declared
//! schema, filled once, and one connection per contestant.

use super::model::{declared, NewComment, NewPost, NewUser};
use super::model::{Comment, Post, User};
use diesel::Connection as _;
use sqlx::Connection as _;
use strata::query::prelude::*;
use strata::query::{Connection, Executor};
use tokio::runtime::Runtime;

/// Users overall (`rows_10k` reads them all).
pub const USERS: i32 = 10_000;
/// The first users have posts and comments: the users `three_levels` loads.
pub const WITH_POSTS: i32 = 100;
pub const POSTS_PER_USER: i32 = 5;
pub const COMMENTS_PER_POST: i32 = 2;
/// The user `one_by_key` reads.
pub const KEY: i32 = 4242;
/// The users `join` reads (inclusive): half with posts, half without, so
/// the left join returns rows with and without a post.
pub const JOIN_USERS: (i32, i32) = (51, 150);

/// The database (dropped last) and one connection per contestant.
pub struct Fixture {
    pub strata: Connection,
    pub raw: tokio_postgres::Client,
    pub diesel: diesel::PgConnection,
    pub sqlx: sqlx::PgConnection,
    _db: strata_testkit::TestDatabase,
}

/// The name, hair color, post title/body and comment text of the data: a
/// NULL every other row, so nullable columns decode both ways.
fn hair(i: i32) -> Option<String> {
    (i % 2 == 0).then(|| format!("hair {}", i % 7))
}

pub fn fixture(rt: &Runtime) -> Fixture {
    fixture_of(rt, USERS)
}

/// A database of its own holding only the users with posts, as Diesel's
/// association benchmark has it: its loads read every user, no filter.
pub fn small_fixture(rt: &Runtime) -> Fixture {
    fixture_of(rt, WITH_POSTS)
}

fn fixture_of(rt: &Runtime, users: i32) -> Fixture {
    rt.block_on(async {
        let db = strata_testkit::TestDatabase::create().await;
        let client = db.connect().await;
        let declared = declared().unwrap();
        strata_testkit::create_schema(&client, &declared.schema).await;
        let conn = Connection::new(client);
        // Serial ids follow insertion order: user i has id i, the posts of
        // user u are ids (u-1)*5+1 ..= u*5.
        for chunk in 0..(users + 999) / 1_000 {
            let rows: Vec<NewUser> = (chunk * 1_000 + 1..=((chunk + 1) * 1_000).min(users))
                .map(|i| {
                    let u = NewUser::new(format!("user {i}"));
                    match hair(i) {
                        Some(h) => u.hair_color(h),
                        None => u,
                    }
                })
                .collect();
            User::insert_many(rows).execute(&conn).await.unwrap();
        }
        let posts: Vec<NewPost> = (1..=WITH_POSTS)
            .flat_map(|u| (1..=POSTS_PER_USER).map(move |k| (u, k)))
            .map(|(u, k)| {
                let p = NewPost::new(u, format!("post {k} of user {u}"));
                match hair(k) {
                    Some(_) => p.body(format!("body of post {k} of user {u}")),
                    None => p,
                }
            })
            .collect();
        Post::insert_many(posts).execute(&conn).await.unwrap();
        let comments: Vec<NewComment> = (1..=WITH_POSTS * POSTS_PER_USER)
            .flat_map(|p| (1..=COMMENTS_PER_POST).map(move |k| (p, k)))
            .map(|(p, k)| NewComment::new(p, format!("comment {k} on post {p}")))
            .collect();
        Comment::insert_many(comments).execute(&conn).await.unwrap();
        // Statistics, as a live database has them; then the fill's dirty
        // pages written out, so no checkpoint lands in the measurements.
        // (Two statements: VACUUM cannot run in the implicit transaction of
        // a multi-statement query.)
        for sql in ["VACUUM ANALYZE", "CHECKPOINT"] {
            conn.client().batch_execute(sql).await.unwrap();
        }

        // With `ORM_BENCH_RTT_US`, every contestant talks to the server
        // through a link with that round trip (see `delay`).
        let url = match super::delay::rtt() {
            Some(rtt) => {
                let (host, port) = super::delay::server_of(db.url());
                let server = std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port))
                    .unwrap()
                    .next()
                    .unwrap();
                super::delay::through(db.url(), super::delay::start(server, rtt))
            }
            None => db.url().to_string(),
        };
        let strata = Connection::new(strata_testkit::connect_url(&url).await);
        let raw = strata_testkit::connect_url(&url).await;
        let diesel = diesel::PgConnection::establish(&url).unwrap();
        let sqlx = sqlx::PgConnection::connect(&url).await.unwrap();
        Fixture {
            strata,
            raw,
            diesel,
            sqlx,
            _db: db,
        }
    })
}
