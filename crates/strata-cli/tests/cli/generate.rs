//! `strata generate`, `check` and `drop`, and the app binary: migrations
//! written from the code's schema (the example `db` binary) or from SQL
//! files, applied to a real server, and checked against the schema.

use crate::common::{assert_code, dev_url, path_str, strata, strata_env, Run, Scratch};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use strata_testkit::TestDatabase;

/// The example `db` binary (crates/strata-cli/examples/db.rs): an App
/// built from a hand-written schema. `cargo test` builds examples; when only
/// this test target was built, build it once here.
fn db_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        // target/debug/deps/cli-… -> target/debug/examples/db
        let examples = exe.parent().unwrap().parent().unwrap().join("examples");
        let bin = examples.join(format!("db{}", std::env::consts::EXE_SUFFIX));
        // `cargo test` builds the examples along with the tests; building it
        // here again (`-p strata-cli` resolves other features than the
        // workspace) would recompile half the dependency tree.
        if bin.exists() {
            return bin;
        }
        let status = Command::new(env!("CARGO"))
            .args(["build", "-q", "-p", "strata-cli", "--example", "db"])
            .status()
            .expect("cargo build --example db");
        assert!(status.success(), "building the example db binary failed");
        assert!(bin.exists(), "{} missing", bin.display());
        bin
    })
}

/// Runs the example app binary with `args` in `cwd`, schema `version`.
fn app(cwd: &Path, version: u32, args: &[&str]) -> Run {
    run_in(
        db_binary(),
        cwd,
        &[("STRATA_EXAMPLE_VERSION", &version.to_string())],
        args,
    )
}

/// Runs `program` in `cwd` with stdin closed (never a terminal).
fn run_in(program: &Path, cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("STRATA_DEV_URL")
        .env_remove("STRATA_APP")
        .env_remove("STRATA_DELEGATED")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        pid: 0,
    }
}

/// The migration folders under `dir`, sorted.
fn folders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn read(dir: &Path, folder: &str, file: &str) -> String {
    std::fs::read_to_string(dir.join(folder).join(file)).unwrap()
}

async fn apply(db: &TestDatabase, sql: &str) {
    db.connect().await.batch_execute(sql).await.unwrap();
}

#[test]
fn generate_without_an_app_or_source_says_how_to_point_at_the_schema() {
    let dir = Scratch::new();
    let run = strata(&["generate", "--dir", &dir.path("migrations")]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains("needs the code's schema"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--app")
            && run.stderr.contains("STRATA_APP")
            && run.stderr.contains("--to"),
        "{}",
        run.stderr
    );
    let snapshot = dir.write("x.json", &snapshot_json(&[]));
    let run = strata(&["diff", "--from", &snapshot, "--to", "app"]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("`--to app`"), "{}", run.stderr);
    assert!(!dir.0.join("migrations").exists());
}

#[tokio::test]
async fn app_binary_round_trip_on_a_real_server() {
    let db = TestDatabase::create().await;
    let work = Scratch::new();
    let cwd = &work.0;
    let migrations = cwd.join("migrations");

    // v1 through the prebuilt binary, delegating to the app.
    let bin = path_str(db_binary());
    let run = run_in(
        Path::new(env!("CARGO_BIN_EXE_strata")),
        cwd,
        &[("STRATA_EXAMPLE_VERSION", "1")],
        &["--app", &bin, "generate", "--name", "init"],
    );
    assert_code(&run, 0);
    assert!(run.stdout.contains("0001_init"), "{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(folders(&migrations), ["0001_init"]);
    let up1 = read(&migrations, "0001_init", "up.sql");
    assert!(up1.contains("CREATE TABLE \"public\".\"users\""), "{up1}");
    apply(&db, &up1).await;

    // The database now is the code's schema...
    let run = app(
        cwd,
        1,
        &["diff", "--from", db.url(), "--to", "app", "--exit-code"],
    );
    assert_code(&run, 0);
    assert_eq!(run.stdout, "");
    // ...and a second generate writes nothing.
    let run = app(cwd, 1, &["generate", "--name", "again"]);
    assert_code(&run, 0);
    assert!(run.stdout.contains("No changes"), "{}", run.stdout);
    assert_eq!(folders(&migrations), ["0001_init"]);

    // v2: a rename declared in code (no prompt, no flag) and an added column.
    let run = app(cwd, 2, &["generate", "--name", "rename"]);
    assert_code(&run, 0);
    assert_eq!(folders(&migrations), ["0001_init", "0002_rename"]);
    let up2 = read(&migrations, "0002_rename", "up.sql");
    assert!(
        up2.contains("RENAME COLUMN \"full_name\" TO \"name\""),
        "{up2}"
    );
    db.connect()
        .await
        .batch_execute("INSERT INTO users (id, full_name) VALUES (1, 'Ada')")
        .await
        .unwrap();
    apply(&db, &up2).await;
    let run = app(
        cwd,
        2,
        &["diff", "--from", db.url(), "--to", "app", "--exit-code"],
    );
    assert_code(&run, 0);
    // The rename kept the data.
    let row = db
        .connect()
        .await
        .query_one("SELECT name FROM users WHERE id = 1", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "Ada");
    // The hint stays in code after its migration: it no longer applies.
    let run = app(cwd, 2, &["generate"]);
    assert!(run.stdout.contains("No changes"), "{}", run.stdout);

    // down.sql returns the database to the previous state, then to empty.
    apply(&db, &read(&migrations, "0002_rename", "down.sql")).await;
    let v1 = path_str(&migrations.join("0001_init/snapshot.json"));
    let run = app(
        cwd,
        2,
        &["diff", "--from", db.url(), "--to", &v1, "--exit-code"],
    );
    assert_code(&run, 0);
    apply(&db, &read(&migrations, "0001_init", "down.sql")).await;
    let tables: i64 = db
        .connect()
        .await
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);

    let run = app(cwd, 2, &["check"]);
    assert_code(&run, 0);
    assert!(run.stdout.contains("no problems"), "{}", run.stdout);
}

const V1: &str = "CREATE TABLE users (id bigint PRIMARY KEY, full_name text NOT NULL);\n";
const V2: &str = "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);\n";

#[tokio::test]
async fn sql_source_round_trip_and_renames_without_a_terminal() {
    let db = TestDatabase::create().await;
    let work = Scratch::new();
    let dev = dev_url();
    let dir = work.path("migrations");
    let schema = work.write("schema.sql", V1);
    let generate = |extra: &[&str]| {
        let mut args = vec!["generate", "--dir", &dir, "--to", &schema];
        args.extend_from_slice(extra);
        strata_env(&args, &[("STRATA_DEV_URL", &dev)])
    };

    let run = generate(&["--name", "init"]);
    assert_code(&run, 0);
    let migrations = work.0.join("migrations");
    apply(&db, &read(&migrations, "0001_init", "up.sql")).await;
    let run = strata(&[
        "diff",
        "--from",
        db.url(),
        "--to",
        &schema,
        "--dev-url",
        &dev,
        "--exit-code",
    ]);
    assert_code(&run, 0);
    assert_eq!(run.stdout, "");
    let run = generate(&[]);
    assert_code(&run, 0);
    assert!(run.stdout.contains("No changes"), "{}", run.stdout);

    // A dropped and an added column: without a terminal, exit 2 naming the flag.
    std::fs::write(&schema, V2).unwrap();
    let run = generate(&["--name", "rename"]);
    assert_code(&run, 2);
    assert!(
        run.stderr
            .contains("--rename column:public.users.full_name=name"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("renamed_from = \"full_name\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--no-rename"), "{}", run.stderr);
    assert_eq!(folders(&migrations), ["0001_init"]);

    // Said with the flag: a rename.
    let run = generate(&[
        "--name",
        "rename",
        "--rename",
        "column:public.users.full_name=name",
    ]);
    assert_code(&run, 0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    apply(&db, &read(&migrations, "0002_rename", "up.sql")).await;
    let run = strata(&[
        "diff",
        "--from",
        db.url(),
        "--to",
        &schema,
        "--dev-url",
        &dev,
        "--exit-code",
    ]);
    assert_code(&run, 0);

    // Declared not a rename: a drop and an add, with a destructive warning.
    std::fs::write(&schema, V1).unwrap();
    let run = generate(&["--name", "swap", "--no-rename", "--prefix", "index"]);
    assert_code(&run, 0);
    assert!(
        run.stderr.contains("warning: destructive") && run.stderr.contains("name"),
        "{}",
        run.stderr
    );
    assert_eq!(
        folders(&migrations),
        ["0001_init", "0002_rename", "0003_swap"]
    );
    // down.sql of the rename brings the previous state back.
    std::fs::remove_dir_all(migrations.join("0003_swap")).unwrap();
    apply(&db, &read(&migrations, "0002_rename", "down.sql")).await;
    let run = strata(&[
        "diff",
        "--from",
        db.url(),
        "--to",
        &schema,
        "--dev-url",
        &dev,
        "--exit-code",
    ]);
    assert_code(&run, 0);
}

#[test]
fn check_reports_forks_and_edits_and_drop_removes_only_the_newest() {
    let work = Scratch::new();
    let dir = work.path("migrations");
    let v1 = work.write("v1.json", &snapshot_json(&["a"]));
    let v2 = work.write("v2.json", &snapshot_json(&["a", "b"]));
    let v3 = work.write("v3.json", &snapshot_json(&["a", "c"]));
    let gen = |to: &str, name: &str| {
        let run = strata(&["generate", "--dir", &dir, "--to", to, "--name", name]);
        assert_code(&run, 0);
    };
    gen(&v1, "a");
    gen(&v2, "b");
    let migrations = work.0.join("migrations");
    // A parallel branch: 0002_b moved aside, 0003_c generated on 0001_a, 0002_b back.
    std::fs::rename(migrations.join("0002_b"), work.0.join("b")).unwrap();
    let run = strata(&[
        "generate", "--dir", &dir, "--to", &v3, "--name", "c", "--prefix", "index",
    ]);
    assert_code(&run, 0);
    std::fs::rename(migrations.join("0002_c"), migrations.join("0003_c")).unwrap();
    std::fs::rename(work.0.join("b"), migrations.join("0002_b")).unwrap();

    let run = strata(&["check", "--dir", &dir]);
    assert_code(&run, 1);
    assert!(
        run.stderr
            .contains("`0002_b` and `0003_c` both follow `0001_a`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("fix:"), "{}", run.stderr);
    // The same for scripts.
    let run = strata(&["check", "--dir", &dir, "--format", "json"]);
    assert_code(&run, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let problems = doc["problems"].as_array().unwrap();
    assert!(problems.iter().any(|p| p["problem"]
        .as_str()
        .unwrap()
        .contains("`0002_b` and `0003_c` both follow `0001_a`")
        && !p["fix"].as_str().unwrap().is_empty()));
    // generate refuses to build on a forked history.
    let run = strata(&["generate", "--dir", &dir, "--to", &v3]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("strata check"), "{}", run.stderr);

    // drop: only the newest.
    let run = strata(&["drop", "--dir", &dir, "0002_b"]);
    assert_code(&run, 1);
    assert!(run.stderr.contains("`0003_c` is"), "{}", run.stderr);
    let run = strata(&["drop", "--dir", &dir]);
    assert_code(&run, 0);
    assert!(run.stdout.contains("0003_c"), "{}", run.stdout);
    assert_eq!(folders(&migrations), ["0001_a", "0002_b"]);
    let run = strata(&["check", "--dir", &dir]);
    assert_code(&run, 0);

    // An edited snapshot and a plain SQL folder (which is fine).
    let snap = migrations.join("0002_b/snapshot.json");
    let text = std::fs::read_to_string(&snap).unwrap();
    std::fs::write(&snap, text.replace("\"b\"", "\"z\"")).unwrap();
    work.write("migrations/0003_hand_written/up.sql", "SELECT 1;\n");
    let run = strata(&["check", "--dir", &dir]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains("`0002_b`: snapshot.json was edited"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("0003_hand_written"), "{}", run.stderr);
}

#[test]
fn date_prefixes_stay_ordered_within_a_day() {
    let work = Scratch::new();
    let dir = work.path("migrations");
    let v1 = work.write("v1.json", &snapshot_json(&["a"]));
    for name in ["one", "two"] {
        let run = strata(&[
            "generate", "--dir", &dir, "--to", &v1, "--custom", "--prefix", "date", "--name", name,
        ]);
        assert_code(&run, 0);
    }
    let names = folders(&work.0.join("migrations"));
    assert_eq!(names.len(), 2, "{names:?}");
    let one = names.iter().find(|n| n.ends_with("_one")).unwrap();
    let day = one.strip_suffix("_one").unwrap();
    assert!(names.contains(&format!("{day}-2_two")), "{names:?}");
    let run = strata(&["check", "--dir", &dir]);
    assert_code(&run, 0);
}

/// A snapshot with tables `public.<name>(id integer)`, built by `inspect`'s
/// format (no ids: a plain schema file).
fn snapshot_json(tables: &[&str]) -> String {
    let mut schema = strata_postgres::source::empty_database();
    for t in tables {
        schema.tables.push(strata_schema::Table::new(
            strata_schema::QualifiedName::new("public", *t),
            vec![strata_schema::Column {
                name: "id".into(),
                data_type: "integer".into(),
                not_null: true,
                default: None,
                identity: None,
                generated: None,
                collation: None,
                comment: None,
                grants: vec![],
            }],
        ));
    }
    strata_schema::Snapshot::new(schema).to_json()
}

#[test]
fn strata_app_env_delegates_and_passes_the_exit_code_through() {
    let work = Scratch::new();
    let bin = path_str(db_binary());
    let strata_bin = Path::new(env!("CARGO_BIN_EXE_strata"));
    let v1 = work.write("v1.json", &snapshot_json(&[]));
    // The app (version 2) differs from an empty schema: `diff --exit-code` exits 2,
    // and the SQL it prints comes through on stdout.
    let run = run_in(
        strata_bin,
        &work.0,
        &[("STRATA_APP", &bin), ("STRATA_EXAMPLE_VERSION", "2")],
        &["diff", "--from", &v1, "--to", "app", "--exit-code"],
    );
    assert_code(&run, 2);
    assert!(
        run.stdout.contains("CREATE TABLE \"public\".\"users\""),
        "{}",
        run.stdout
    );
    // An error in the app binary: exit 1 and its report on stderr.
    let run = run_in(
        strata_bin,
        &work.0,
        &[("STRATA_APP", &bin)],
        &["check", "--dir", "nowhere"],
    );
    assert_code(&run, 1);
    assert!(run.stderr.contains("nowhere"), "{}", run.stderr);
    // A command that does not run: a clear error naming it.
    let run = run_in(
        strata_bin,
        &work.0,
        &[("STRATA_APP", "/nonexistent/db")],
        &["check"],
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("/nonexistent/db"), "{}", run.stderr);
}

#[test]
fn strata_toml_app_delegates_every_command() {
    let work = Scratch::new();
    let bin = path_str(db_binary());
    work.write(
        "strata.toml",
        &format!("[schema]\napp = \"{}\"\n", bin.replace('\\', "\\\\")),
    );
    let v1 = work.write("v1.json", &snapshot_json(&[]));
    let strata_bin = Path::new(env!("CARGO_BIN_EXE_strata"));
    // The plain `strata` knows no code schema; through strata.toml's app it does.
    let run = run_in(
        strata_bin,
        &work.0,
        &[("STRATA_EXAMPLE_VERSION", "2")],
        &["diff", "--from", &v1, "--to", "app", "--exit-code"],
    );
    assert_code(&run, 2);
    assert!(
        run.stdout.contains("CREATE TABLE \"public\".\"users\""),
        "{}",
        run.stdout
    );
}
