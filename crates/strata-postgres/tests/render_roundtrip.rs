//! Round trips on a real server: A and B are created by SQL in two
//! databases and introspected; `plan(A, B)` is applied to A's database, which
//! must then introspect equal to B (and re-diff empty); the down script must
//! bring it back to A.

use strata_postgres::introspect::introspect;
use strata_postgres::render::{plan, Migration};
use strata_postgres::server_version::{unmet_requirements, ServerVersion};
use strata_schema::{diff, Filter, RenameHint, RenameHints, Schema};
use strata_testkit::TestDatabase;
use tokio_postgres::Client;

async fn load(sql: &str) -> (TestDatabase, Client, Schema) {
    let db = TestDatabase::create().await;
    let client = db.connect().await;
    let sql = strata_testkit::for_server(sql).await;
    client
        .batch_execute(&sql)
        .await
        .unwrap_or_else(|e| panic!("setup SQL failed: {e:?}\n{sql}"));
    let schema = introspect(&client, &Filter::default()).await.unwrap();
    (db, client, schema)
}

async fn apply(client: &Client, script: &strata_postgres::render::Script, what: &str) {
    for s in &script.statements {
        client.batch_execute(&s.sql).await.unwrap_or_else(|e| {
            panic!(
                "{what} statement failed: {e:?}\n{}\n--- whole script:\n{}",
                s.sql,
                script.to_sql()
            )
        });
    }
}

/// Shows where two schemas differ (as JSON lines) for assertion messages.
fn difference(a: &Schema, b: &Schema) -> String {
    let a = serde_json::to_string_pretty(&a.column_order_insensitive()).unwrap();
    let b = serde_json::to_string_pretty(&b.column_order_insensitive()).unwrap();
    let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut out = String::new();
    for (i, (x, y)) in al.iter().zip(bl.iter()).enumerate() {
        if x != y {
            out.push_str(&format!("line {i}:\n  got:  {x}\n  want: {y}\n"));
            if out.len() > 3000 {
                break;
            }
        }
    }
    if al.len() != bl.len() {
        out.push_str(&format!("({} lines vs {} lines)\n", al.len(), bl.len()));
    }
    out
}

/// The whole invariant for one pair. `seed` runs on A's database before the
/// up script (data that the migration must carry).
async fn roundtrip(a_sql: &str, b_sql: &str, hints: &[&str], seed: &str) -> Migration {
    let (_db_a, client, a) = load(a_sql).await;
    let (_db_b, _cb, b) = load(b_sql).await;
    let hints = RenameHints::new(
        hints
            .iter()
            .map(|h| RenameHint::parse(h).unwrap())
            .collect(),
    );
    for s in [&a, &b] {
        let empty = diff(s, s, &RenameHints::default()).unwrap();
        assert!(empty.is_empty(), "diff(S, S) must be empty: {empty:#?}");
    }
    let m = plan(&a, &b, &hints).unwrap();
    if !seed.is_empty() {
        client.batch_execute(seed).await.unwrap();
    }
    apply(&client, &m.up, "up").await;
    let reached = introspect(&client, &Filter::default()).await.unwrap();
    assert!(
        reached.same_as(&b),
        "A + up must equal B:\n{}\n--- up:\n{}",
        difference(&reached, &b),
        m.up.to_sql()
    );
    let again = diff(&reached, &b, &RenameHints::default()).unwrap();
    assert!(again.is_empty(), "re-diff must be empty: {again:#?}");
    apply(&client, &m.down, "down").await;
    let back = introspect(&client, &Filter::default()).await.unwrap();
    assert!(
        back.same_as(&a),
        "B + down must equal A:\n{}\n--- down:\n{}",
        difference(&back, &a),
        m.down.to_sql()
    );
    m
}

#[tokio::test]
async fn add_drop_and_rename_columns() {
    let a = "CREATE TABLE users (id int PRIMARY KEY, full_name text, age int)";
    let b = "CREATE TABLE users (id int PRIMARY KEY, name text, email text NOT NULL DEFAULT '')";
    let m = roundtrip(
        a,
        b,
        &["column:public.users.full_name=name"],
        "INSERT INTO users VALUES (1, 'Ann', 30)",
    )
    .await;
    let up = m.up.to_sql();
    assert!(
        up.contains("RENAME COLUMN \"full_name\" TO \"name\""),
        "{up}"
    );
    assert!(up.contains("DROP COLUMN \"age\""), "{up}");
    assert!(m.up.is_destructive());
    assert!(
        !m.down.is_reversible(),
        "re-adding age cannot restore its data"
    );
}

#[tokio::test]
async fn type_changes_with_using_casts() {
    let a = "CREATE TYPE mood AS ENUM ('sad', 'ok');
             CREATE TYPE mood2 AS ENUM ('sad', 'ok', 'happy');
             CREATE TABLE t (n text DEFAULT '1', m text, e mood DEFAULT 'ok', s varchar(20), arr text[])";
    let b = "CREATE TYPE mood AS ENUM ('sad', 'ok');
             CREATE TYPE mood2 AS ENUM ('sad', 'ok', 'happy');
             CREATE TABLE t (n int DEFAULT 2, m mood, e mood2 DEFAULT 'happy', s varchar(40), arr mood[])";
    let m = roundtrip(
        a,
        b,
        &[],
        "INSERT INTO t VALUES ('42', 'ok', 'sad', 'x', '{ok,sad}')",
    )
    .await;
    let up = m.up.to_sql();
    assert!(up.contains("USING \"n\"::integer"), "{up}");
    assert!(up.contains("USING \"e\"::text::public.mood2"), "{up}");
}

#[tokio::test]
async fn enum_values_added_renamed_and_removed() {
    let a = "CREATE TYPE mood AS ENUM ('sad', 'glad', 'meh');
             CREATE TABLE t (m mood DEFAULT 'sad', ms mood[])";
    // 'glad' renamed to 'happy' (hint), 'meh' removed, 'ok' added at the front.
    let b = "CREATE TYPE mood AS ENUM ('ok', 'sad', 'happy');
             CREATE TABLE t (m mood DEFAULT 'sad', ms mood[])";
    let m = roundtrip(
        a,
        b,
        &["enum_value:public.mood.glad=happy"],
        "INSERT INTO t VALUES ('glad', '{sad,glad}')",
    )
    .await;
    let up = m.up.to_sql();
    assert!(up.contains("RENAME VALUE 'glad' TO 'happy'"), "{up}");
    assert!(up.contains("__strata_old"), "{up}");
    assert!(m.up.is_destructive(), "removing 'meh' is destructive");

    // Only additions: ADD VALUE, not a rebuild.
    let a = "CREATE TYPE mood AS ENUM ('sad'); CREATE TABLE t (m mood)";
    let b = "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (m mood)";
    let (_db, client, sa) = load(a).await;
    let (_db_b, _c, sb) = load(b).await;
    let m = plan(&sa, &sb, &RenameHints::default()).unwrap();
    let up = m.up.to_sql();
    assert!(up.contains("ADD VALUE 'ok' AFTER 'sad'"), "{up}");
    assert!(up.contains("-- strata:no-transaction"), "{up}");
    assert!(!m.up.statements[0].transactional);
    apply(&client, &m.up, "up").await;
    assert!(introspect(&client, &Filter::default())
        .await
        .unwrap()
        .same_as(&sb));
}

#[tokio::test]
async fn view_on_a_changed_column_is_recreated() {
    let a = "CREATE TABLE t (id int, a int);
             CREATE VIEW v AS SELECT id, a FROM t;
             CREATE VIEW w AS SELECT a FROM v;
             CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
             COMMENT ON VIEW v IS 'keep me'";
    let b = "CREATE TABLE t (id int, a bigint);
             CREATE VIEW v AS SELECT id, a FROM t;
             CREATE VIEW w AS SELECT a FROM v;
             CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
             COMMENT ON VIEW v IS 'keep me'";
    roundtrip(a, b, &[], "INSERT INTO t VALUES (1, 2)").await;
}

#[tokio::test]
async fn foreign_key_cycle() {
    let b = "CREATE TABLE a (id int PRIMARY KEY, b_id int);
             CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);
             ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b DEFERRABLE INITIALLY DEFERRED";
    roundtrip("", b, &[], "").await;
}

#[tokio::test]
async fn primary_key_change_with_referencing_foreign_key() {
    let a = "CREATE TABLE p (id int PRIMARY KEY, code text NOT NULL);
             CREATE TABLE c (pid int REFERENCES p (id) ON DELETE CASCADE)";
    let b = "CREATE TABLE p (id int, code text NOT NULL, PRIMARY KEY (id, code), UNIQUE (id));
             CREATE TABLE c (pid int REFERENCES p (id) ON DELETE CASCADE)";
    roundtrip(
        a,
        b,
        &[],
        "INSERT INTO p VALUES (1, 'x'); INSERT INTO c VALUES (1)",
    )
    .await;
}

#[tokio::test]
async fn generated_and_identity_columns() {
    let a = "CREATE TABLE t (
               x int,
               g int GENERATED ALWAYS AS (x * 2) STORED,
               h int GENERATED ALWAYS AS (x + 1) STORED,
               i int NOT NULL,
               j int GENERATED ALWAYS AS IDENTITY,
               k bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10)
             )";
    let b = "CREATE TABLE t (
               x int,
               g int GENERATED ALWAYS AS (x * 3) STORED,
               h int,
               i int GENERATED BY DEFAULT AS IDENTITY,
               j int NOT NULL,
               k bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5)
             );
             CREATE INDEX t_g_idx ON t (g)";
    let version = strata_testkit::server_version().await;
    if version >= ServerVersion::major_number(13) {
        roundtrip(a, b, &[], "INSERT INTO t (x, i, k) VALUES (1, 1, 1)").await;
        return;
    }
    // PostgreSQL 12 cannot turn a generated column into a plain one: the
    // change is named as unmet, and the rest still round-trips.
    let (_a_db, _a_client, sa) = load(a).await;
    let (_b_db, _b_client, sb) = load(b).await;
    let changes = diff(&sa, &sb, &RenameHints::default()).unwrap();
    let unmet = unmet_requirements(changes.iter().map(|c| &c.change), version);
    assert_eq!(
        unmet.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["column public.t.h uses DROP EXPRESSION, which needs PostgreSQL 13 or newer"]
    );
    let b = b.replace("h int,", "h int GENERATED ALWAYS AS (x + 1) STORED,");
    roundtrip(a, &b, &[], "INSERT INTO t (x, i, k) VALUES (1, 1, 1)").await;
}

#[tokio::test]
async fn partitioned_tables() {
    let a = "CREATE TABLE events (id bigint, at date NOT NULL, kind text) PARTITION BY RANGE (at);
             CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')";
    let b = "CREATE TABLE events (id bigint, at date NOT NULL, kind text, extra int) PARTITION BY RANGE (at);
             CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
             CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
             CREATE TABLE events_rest PARTITION OF events DEFAULT;
             CREATE INDEX events_kind_idx ON events (kind)";
    roundtrip(
        a,
        b,
        &[],
        "INSERT INTO events VALUES (1, '2024-03-03', 'x')",
    )
    .await;
}

#[tokio::test]
async fn row_level_security_and_policies() {
    let a = "CREATE TABLE docs (id int, owner text)";
    let b = "CREATE TABLE docs (id int, owner text);
             ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
             ALTER TABLE docs FORCE ROW LEVEL SECURITY;
             CREATE POLICY own ON docs FOR SELECT USING (owner = current_user);
             CREATE POLICY ins ON docs AS RESTRICTIVE FOR INSERT TO public WITH CHECK (id > 0)";
    roundtrip(a, b, &[], "").await;
}

#[tokio::test]
async fn index_variants() {
    let a = "CREATE TABLE t (id int, email text, tags text[], n int, doc jsonb);
             CREATE INDEX t_old ON t (n);
             CREATE INDEX t_changes ON t (n)";
    let b = "CREATE TABLE t (id int, email text, tags text[], n int, doc jsonb);
             CREATE UNIQUE INDEX t_email_lower ON t (lower(email)) WHERE n > 0;
             CREATE INDEX t_multi ON t (n DESC NULLS LAST, email COLLATE \"C\" text_pattern_ops) INCLUDE (id) WITH (fillfactor = 70);
             CREATE INDEX t_tags ON t USING gin (tags);
             CREATE INDEX t_doc ON t USING gin (doc jsonb_path_ops);
             CREATE INDEX t_changes ON t (n, id);
             CREATE UNIQUE INDEX t_nnd ON t (id) NULLS NOT DISTINCT";
    let m = roundtrip(a, b, &[], "").await;
    assert!(m
        .up
        .statements
        .iter()
        .any(|s| s.sql.starts_with("CREATE INDEX") && s.classification.takes_strong_lock()));
}

#[tokio::test]
async fn rename_table_index_constraint_view_enum_schema() {
    let a = "CREATE SCHEMA old_s;
             CREATE TYPE old_s.status AS ENUM ('a');
             CREATE TABLE old_s.people (id int CONSTRAINT people_pk PRIMARY KEY, s old_s.status);
             CREATE INDEX people_s_idx ON old_s.people (s);
             CREATE VIEW old_s.people_v AS SELECT id FROM old_s.people";
    let b = "CREATE SCHEMA new_s;
             CREATE TYPE new_s.state AS ENUM ('a');
             CREATE TABLE new_s.users (id int CONSTRAINT users_pk PRIMARY KEY, s new_s.state);
             CREATE INDEX users_s_idx ON new_s.users (s);
             CREATE VIEW new_s.users_v AS SELECT id FROM new_s.users";
    let m = roundtrip(
        a,
        b,
        &[
            "schema:old_s=new_s",
            "table:old_s.people=users",
            "enum:old_s.status=state",
            "index:old_s.people_s_idx=users_s_idx",
            "constraint:old_s.people.people_pk=users_pk",
            "view:old_s.people_v=users_v",
        ],
        "INSERT INTO old_s.people VALUES (1, 'a')",
    )
    .await;
    let up = m.up.to_sql();
    assert!(!up.contains("DROP TABLE"), "renames must not drop: {up}");
}

#[tokio::test]
async fn comments_everywhere() {
    let a = "CREATE TABLE t (id int CONSTRAINT t_pk PRIMARY KEY, a text);
             CREATE INDEX t_a ON t (a);
             COMMENT ON TABLE t IS 'old';
             COMMENT ON COLUMN t.a IS 'gone soon'";
    let b = "CREATE TABLE t (id int CONSTRAINT t_pk PRIMARY KEY, a text);
             CREATE INDEX t_a ON t (a);
             CREATE TYPE e AS ENUM ('x');
             CREATE SEQUENCE s;
             CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';
             COMMENT ON TABLE t IS 'it''s new';
             COMMENT ON COLUMN t.id IS 'key';
             COMMENT ON CONSTRAINT t_pk ON t IS 'pk';
             COMMENT ON INDEX t_a IS 'by a';
             COMMENT ON TYPE e IS 'enum';
             COMMENT ON SEQUENCE s IS 'seq';
             COMMENT ON FUNCTION f() IS 'fn';
             COMMENT ON SCHEMA public IS 'pub'";
    roundtrip(a, b, &[], "").await;
}

#[tokio::test]
async fn grants_and_revokes() {
    let role = format!("strata_reader_{}", std::process::id());
    let setup = format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role}; END IF; END $$;"
    );
    let a = format!("{setup} CREATE TABLE t (id int, secret text); GRANT SELECT ON t TO {role}; GRANT INSERT ON t TO PUBLIC");
    let b = format!(
        "{setup} CREATE TABLE t (id int, secret text); GRANT UPDATE ON t TO {role} WITH GRANT OPTION;
         GRANT SELECT (id) ON t TO PUBLIC; CREATE SEQUENCE s; GRANT USAGE ON SEQUENCE s TO {role};
         GRANT USAGE ON SCHEMA public TO {role}"
    );
    roundtrip(&a, &b, &[], "").await;
}

#[tokio::test]
async fn domains_sequences_functions_triggers() {
    let a = "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
             CREATE SEQUENCE counter INCREMENT 2;
             CREATE TABLE t (id int, e email, n bigint DEFAULT nextval('counter'));
             CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.id := NEW.id + 1; RETURN NEW; END $$;
             CREATE FUNCTION ret() RETURNS int LANGUAGE sql AS 'select 1';
             CREATE TRIGGER t_bump BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump()";
    let b = "CREATE DOMAIN email AS text NOT NULL DEFAULT 'x@y' CONSTRAINT email_dot CHECK (VALUE LIKE '%.%');
             CREATE SEQUENCE counter INCREMENT 5 CACHE 10;
             CREATE SEQUENCE other;
             CREATE TABLE t (id int, e email, n bigint DEFAULT nextval('other'));
             CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.id := NEW.id + 2; RETURN NEW; END $$;
             CREATE FUNCTION ret() RETURNS bigint LANGUAGE sql AS 'select 2::bigint';
             CREATE TRIGGER t_bump BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION bump();
             ALTER TABLE t DISABLE TRIGGER t_bump";
    roundtrip(a, b, &[], "").await;
}

#[tokio::test]
async fn new_schema_with_everything_from_nothing() {
    let b = "CREATE SCHEMA app;
             CREATE TYPE app.mood AS ENUM ('a', 'b');
             CREATE TYPE app.pair AS (x int, y text);
             CREATE TABLE app.users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, mood app.mood NOT NULL DEFAULT 'a', p app.pair, email text UNIQUE, CHECK (id > 0));
             CREATE TABLE app.posts (id serial PRIMARY KEY, user_id bigint REFERENCES app.users ON DELETE CASCADE, body text COLLATE \"C\");
             CREATE UNLOGGED TABLE app.cache (k text PRIMARY KEY, v text) WITH (fillfactor = 50);
             CREATE VIEW app.user_posts AS SELECT u.id, count(p.id) AS n FROM app.users u LEFT JOIN app.posts p ON p.user_id = u.id GROUP BY u.id;
             CREATE MATERIALIZED VIEW app.stats AS SELECT count(*) AS n FROM app.posts WITH NO DATA";
    roundtrip("", b, &[], "").await;
}

#[tokio::test]
#[ignore = "prints a plan for eyeballing"]
async fn print_plan() {
    let (_d, _c, a) = load("CREATE TYPE mood AS ENUM ('sad', 'glad', 'meh'); CREATE TABLE t (m mood DEFAULT 'sad', ms mood[]); CREATE VIEW v AS SELECT m FROM t").await;
    let (_d2, _c2, b) = load("CREATE TYPE mood AS ENUM ('ok', 'sad', 'happy'); CREATE TABLE t (m mood DEFAULT 'sad', ms mood[]); CREATE VIEW v AS SELECT m FROM t").await;
    println!("{}", serde_json::to_string_pretty(&a).unwrap());
    let hints = RenameHints::new(vec![
        RenameHint::parse("enum_value:public.mood.glad=happy").unwrap()
    ]);
    let m = plan(&a, &b, &hints).unwrap();
    println!("{}\n=====\n{}", m.up.to_sql(), m.down.to_sql());
}

/// A first migration is planned from an empty model (no `public` schema in
/// it) and applied to a fresh database, which already has `public`.
#[tokio::test]
async fn first_migration_from_an_empty_model() {
    let (_db_b, _cb, b) =
        load("CREATE TABLE t (id int PRIMARY KEY); CREATE TYPE e AS ENUM ('x')").await;
    let m = plan(&Schema::default(), &b, &RenameHints::default()).unwrap();
    let db = TestDatabase::create().await;
    let client = db.connect().await;
    apply(&client, &m.up, "up").await;
    let reached = introspect(&client, &Filter::default()).await.unwrap();
    assert!(reached.same_as(&b), "{}", difference(&reached, &b));
}
