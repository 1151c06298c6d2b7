//! `strata import drizzle` against folders and history written by the real
//! drizzle-kit and drizzle-orm migrator (Node.js, from the pinned packages in
//! `tests/drizzle/kit-*`; `npm ci` there first, nothing is downloaded here).
//!
//! Each test: drizzle-kit generates a first migration from a TypeScript
//! schema, drizzle's migrator applies it, the schema changes and drizzle-kit
//! generates a second one; then `strata import drizzle --url` must record
//! the first as applied without running it, and `strata migrate` must apply
//! only the second.

use crate::common::{assert_code, path_str, strata, Scratch};
use std::path::{Path, PathBuf};
use std::process::Command;
use strata_migrate::drizzle::{read_drizzle_folder, DrizzleLayout, DrizzleMigration};
use strata_testkit::TestDatabase;

/// The folder holding the package folders and the shared scripts.
fn drizzle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drizzle")
}

/// One pinned drizzle-kit + drizzle-orm + pg install.
struct Kit {
    /// `kit-0.31` or `kit-1.0`.
    package: PathBuf,
}

impl Kit {
    /// The package folder `name`, failing (not skipping) with what to
    /// install when Node.js or the packages are missing.
    fn new(name: &str) -> Kit {
        let package = drizzle_dir().join(name);
        let node = Command::new("node").arg("--version").output();
        assert!(
            matches!(&node, Ok(out) if out.status.success()),
            "these tests run the real drizzle-kit: install Node.js 18+ and npm \
             (e.g. `apt-get install nodejs npm`), then run `npm ci --prefix {}`",
            package.display()
        );
        for module in [
            "drizzle-kit/bin.cjs",
            "drizzle-orm/package.json",
            "pg/package.json",
        ] {
            assert!(
                package.join("node_modules").join(module).is_file(),
                "{} is missing node_modules/{module}: run `npm ci --prefix {}` (installs the pinned drizzle-kit, drizzle-orm and pg)",
                package.display(),
                package.display()
            );
        }
        Kit { package }
    }

    /// Runs `drizzle-kit generate` in `work` on `schema` (a file in
    /// tests/drizzle), writing to `work/drizzle`.
    fn generate(&self, work: &Scratch, schema: &str) {
        std::fs::copy(drizzle_dir().join(schema), work.0.join("schema.ts")).unwrap();
        let before = migration_files(&work.0.join("drizzle"));
        // The schema imports drizzle-orm: NODE_PATH lets it resolve from the
        // package folder although the scratch folder is elsewhere.
        let out = Command::new("node")
            .arg(self.package.join("node_modules/drizzle-kit/bin.cjs"))
            .args([
                "generate",
                "--dialect=postgresql",
                "--schema=schema.ts",
                "--out=drizzle",
            ])
            .env("NODE_PATH", self.package.join("node_modules"))
            .current_dir(&work.0)
            .output()
            .expect("run drizzle-kit");
        // drizzle-kit exits 0 even when the schema fails to load: count files.
        let after = migration_files(&work.0.join("drizzle"));
        assert!(
            out.status.success() && after == before + 1,
            "drizzle-kit generate ({schema}) wrote no migration\n--- stdout\n{}\n--- stderr\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `drizzle-kit up` on `work/drizzle`: drizzle-kit 1.0 turns a 0.x
    /// journal folder into its own layout, in place.
    fn up(&self, work: &Scratch) {
        let out = Command::new("node")
            .arg(self.package.join("node_modules/drizzle-kit/bin.cjs"))
            .args(["up", "--dialect=postgresql", "--out=drizzle"])
            .current_dir(&work.0)
            .output()
            .expect("run drizzle-kit up");
        assert!(
            out.status.success() && !work.0.join("drizzle/meta/_journal.json").exists(),
            "drizzle-kit up did not convert the folder\n--- stdout\n{}\n--- stderr\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Applies `folder` with drizzle-orm's node-postgres migrator.
    fn migrate(&self, folder: &Path, url: &str) {
        let out = Command::new("node")
            .arg(drizzle_dir().join("migrate.mjs"))
            .arg(&self.package)
            .arg(folder)
            .arg(url)
            .output()
            .expect("run drizzle's migrator");
        assert!(
            out.status.success(),
            "drizzle's migrator failed\n--- stdout\n{}\n--- stderr\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// How many migration SQL files drizzle-kit has written under `dir` (both
/// layouts: `NNNN_tag.sql`, `<timestamp>_<name>/migration.sql`).
fn migration_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let p = e.path();
            p.extension().is_some_and(|x| x == "sql") || p.join("migration.sql").is_file()
        })
        .count()
}

/// drizzle's history table, in insertion order: (hash, created_at, name
/// where the table has that column).
async fn drizzle_history(db: &TestDatabase) -> Vec<(String, i64, Option<String>)> {
    let client = db.connect().await;
    let has_name: bool = client
        .query_one(
            "SELECT EXISTS (SELECT FROM information_schema.columns
                            WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations'
                              AND column_name = 'name')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let sql = if has_name {
        "SELECT hash, created_at, name FROM drizzle.__drizzle_migrations ORDER BY id"
    } else {
        "SELECT hash, created_at, NULL::text FROM drizzle.__drizzle_migrations ORDER BY id"
    };
    client
        .query(sql, &[])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// The rows of the application tables, as text.
async fn app_rows(db: &TestDatabase) -> Vec<String> {
    db.connect()
        .await
        .query(
            "SELECT format('%s %s %s', id, email, role) FROM users
             UNION ALL SELECT format('post %s %s %s', id, author_id, title) FROM posts
             ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The states `strata status --format json` reports, by migration name.
fn states(url: &str, dir: &str) -> Vec<(String, String)> {
    let run = strata(&["status", "--url", url, "--dir", dir, "--format", "json"]);
    assert_code(&run, 0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    json["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                m["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The whole adoption story: `kit` writes and applies the first migration
/// and writes the second; `upgrade`, when given, is a drizzle-kit 1.0 that
/// then converts the folder (`drizzle-kit up`) before Strata imports it.
/// `history_names`: whether `kit`'s migrator records the migration's name.
async fn adopt(kit: &str, history_names: bool, upgrade: Option<&str>) {
    let kit = Kit::new(kit);
    let upgrade = upgrade.map(Kit::new);
    let db = TestDatabase::create().await;
    let work = Scratch::new();
    let folder = work.0.join("drizzle");

    kit.generate(&work, "schema-1.ts");
    kit.migrate(&folder, db.url());
    let first = read_drizzle_folder(&folder).unwrap().migrations;
    assert_eq!(first.len(), 1);
    let first: DrizzleMigration = first.into_iter().next().unwrap();

    // What the real migrator wrote: sha256 of the file as read, and the
    // journal's `when` (0.x) or the folder's UTC timestamp (1.0) in ms.
    let history = drizzle_history(&db).await;
    let name = history_names.then(|| first.name.clone());
    assert_eq!(
        history,
        [(first.hash.clone(), first.when.unwrap(), name)],
        "drizzle's history for {}",
        first.name
    );

    // The team keeps working on drizzle's schema.
    db.connect()
        .await
        .batch_execute(
            "INSERT INTO users (email, role) VALUES ('ada@example.com', 'admin'), ('bob@example.com', DEFAULT);
             INSERT INTO posts (author_id, title) VALUES (1, 'hello');",
        )
        .await
        .unwrap();
    let rows = app_rows(&db).await;
    assert_eq!(rows.len(), 3, "{rows:?}");

    // The schema changes; drizzle-kit writes the second migration (1.0
    // names folders by the second: never the same one as the first).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    kit.generate(&work, "schema-2.ts");
    let both = read_drizzle_folder(&folder).unwrap().migrations;
    assert_eq!(both.len(), 2);
    assert_eq!(both[0], first);
    let both = match &upgrade {
        Some(upgrade) => {
            upgrade.up(&work);
            let upgraded = read_drizzle_folder(&folder).unwrap();
            assert_eq!(upgraded.layout, DrizzleLayout::Folders);
            upgraded.migrations
        }
        None => both,
    };
    let (first, second) = (both[0].clone(), both[1].name.clone());

    let out = work.path("migrations");
    let import = strata(&[
        "import",
        "drizzle",
        &path_str(&folder),
        "--out",
        &out,
        "--url",
        db.url(),
    ]);
    assert_code(&import, 0);
    assert!(import.stdout.contains("imported 2"), "{}", import.stdout);
    assert!(
        import.stdout.contains(&format!(
            "recorded as applied (drizzle had applied them): {}\n",
            first.name
        )),
        "{}",
        import.stdout
    );
    // Nothing ran: drizzle's history and the data are as they were.
    assert_eq!(drizzle_history(&db).await, history);
    assert_eq!(app_rows(&db).await, rows);

    assert_eq!(
        states(db.url(), &out),
        [
            (first.name.clone(), "applied".to_string()),
            (second.clone(), "pending".to_string())
        ]
    );

    let migrate = strata(&["migrate", "--url", db.url(), "--dir", &out]);
    assert_code(&migrate, 0);
    assert!(
        migrate.stdout.contains(&format!("applied {second}")),
        "{}",
        migrate.stdout
    );
    assert!(!migrate.stdout.contains(&first.name), "{}", migrate.stdout);
    assert_eq!(app_rows(&db).await, rows);
    let client = db.connect().await;
    client
        .batch_execute(
            "INSERT INTO users (email, role, bio) VALUES ('cy@example.com', 'guest', 'new');
             INSERT INTO comments (post_id, body) VALUES (1, 'first!');",
        )
        .await
        .expect("the second migration's column, enum value and table");
    assert_eq!(
        states(db.url(), &out),
        [
            (first.name.clone(), "applied".to_string()),
            (second, "applied".to_string())
        ]
    );

    let again = strata(&["migrate", "--url", db.url(), "--dir", &out]);
    assert_code(&again, 0);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);
}

#[tokio::test]
async fn real_drizzle_kit_0_31_project_adopts_strata_without_rerunning() {
    adopt("kit-0.31", false, None).await;
}

#[tokio::test]
async fn real_drizzle_kit_1_0_project_adopts_strata_without_rerunning() {
    adopt("kit-1.0", true, None).await;
}

/// A 0.x project that ran `drizzle-kit up` (1.0) before switching: its
/// history has millisecond `created_at`s and no names, its folders
/// second-precision names.
#[tokio::test]
async fn real_drizzle_kit_0_31_project_upgraded_to_1_0_adopts_strata() {
    adopt("kit-0.31", false, Some("kit-1.0")).await;
}

/// drizzle-kit 1.0 project where a branch's migration was merged after a
/// newer one was applied: drizzle-orm 1.0 goes by recorded names, so the
/// branch's migration is not applied although it is older than the newest
/// applied one. Strata must not record it, and reports it out of order.
#[tokio::test]
async fn real_drizzle_kit_1_0_branch_migration_merged_late_stays_pending() {
    let kit = Kit::new("kit-1.0");
    let db = TestDatabase::create().await;
    let work = Scratch::new();
    let folder = work.0.join("drizzle");
    let second = std::time::Duration::from_millis(1100);

    kit.generate(&work, "schema-1.ts");
    // The branch: its migration is written, then kept off main.
    std::thread::sleep(second);
    kit.generate(&work, "schema-2.ts");
    let branch = read_drizzle_folder(&folder).unwrap().migrations[1]
        .name
        .clone();
    let parked = work.0.join("parked");
    std::fs::rename(folder.join(&branch), &parked).unwrap();
    // Main moves on and drizzle's migrator applies it.
    std::thread::sleep(second);
    kit.generate(&work, "schema-3.ts");
    kit.migrate(&folder, db.url());
    std::fs::rename(&parked, folder.join(&branch)).unwrap();

    let names: Vec<String> = read_drizzle_folder(&folder)
        .unwrap()
        .migrations
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(names.len(), 3);
    assert_eq!(names[1], branch);
    let recorded: Vec<Option<String>> = drizzle_history(&db)
        .await
        .into_iter()
        .map(|(_, _, name)| name)
        .collect();
    assert_eq!(
        recorded,
        [Some(names[0].clone()), Some(names[2].clone())],
        "drizzle records names"
    );

    let out = work.path("migrations");
    let import = strata(&[
        "import",
        "drizzle",
        &path_str(&folder),
        "--out",
        &out,
        "--url",
        db.url(),
    ]);
    assert_code(&import, 0);
    assert!(
        import.stdout.contains(&format!(
            "recorded as applied (drizzle had applied them): {}, {}\n",
            names[0], names[2]
        )),
        "{}",
        import.stdout
    );
    assert_eq!(
        states(db.url(), &out),
        [
            (names[0].clone(), "applied".to_string()),
            (branch.clone(), "out_of_order".to_string()),
            (names[2].clone(), "applied".to_string()),
        ]
    );

    let refused = strata(&["migrate", "--url", db.url(), "--dir", &out]);
    assert_code(&refused, 1);
    assert!(refused.stderr.contains(&branch), "{}", refused.stderr);
    let migrate = strata(&[
        "migrate",
        "--url",
        db.url(),
        "--dir",
        &out,
        "--allow-out-of-order",
    ]);
    assert_code(&migrate, 0);
    assert!(
        migrate.stdout.contains(&format!("applied {branch}")),
        "{}",
        migrate.stdout
    );
    db.connect()
        .await
        .batch_execute("INSERT INTO tags (label) VALUES ('a'); INSERT INTO comments (post_id, body) SELECT id, 'x' FROM posts;")
        .await
        .expect("both branches' tables");
}

/// A 0.x project upgraded with `drizzle-kit up`, imported from a checkout
/// that lacks a migration the database has: refused (as drizzle-orm 1.0's
/// migrator refuses it), naming the history rows, and nothing is written.
#[tokio::test]
async fn real_upgraded_history_the_folder_lacks_is_refused() {
    let (kit, upgrade) = (Kit::new("kit-0.31"), Kit::new("kit-1.0"));
    let db = TestDatabase::create().await;
    let work = Scratch::new();
    let folder = work.0.join("drizzle");
    kit.generate(&work, "schema-1.ts");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    kit.generate(&work, "schema-2.ts");
    kit.migrate(&folder, db.url());
    assert_eq!(drizzle_history(&db).await.len(), 2);
    upgrade.up(&work);
    let newest = read_drizzle_folder(&folder).unwrap().migrations[1]
        .name
        .clone();
    std::fs::remove_dir_all(folder.join(newest)).unwrap();

    let out = work.path("migrations");
    let import = strata(&[
        "import",
        "drizzle",
        &path_str(&folder),
        "--out",
        &out,
        "--url",
        db.url(),
    ]);
    assert_code(&import, 1);
    assert!(
        import
            .stderr
            .contains("drizzle.__drizzle_migrations records 1 migration(s) (ids 2)"),
        "{}",
        import.stderr
    );
    assert!(import.stderr.contains("checkout"), "{}", import.stderr);
    assert!(!work.0.join("migrations").exists());
}
