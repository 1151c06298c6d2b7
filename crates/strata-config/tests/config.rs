//! strata.toml, environments and .env files, read from real files.

use std::collections::HashMap;
use std::path::PathBuf;
use strata_config::{Config, ConfigError, PrefixStyle, SchemaSource, Selection};

/// A scratch project folder, removed when dropped.
struct Project(PathBuf);

impl Project {
    fn new(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("strata-config-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Project(dir)
    }
    fn write(&self, name: &str, text: &str) -> &Self {
        std::fs::write(self.0.join(name), text).unwrap();
        self
    }
    fn config(&self) -> Result<Config, ConfigError> {
        Config::load(&self.0.join("strata.toml"))
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |n| map.get(n).cloned()
}

fn select(name: Option<&str>) -> Selection {
    Selection {
        name: name.map(str::to_string),
        url: None,
    }
}

const FULL: &str = r#"
[schema]
sql = "schema/"

[migrations]
dir = "db/migrations"
prefix = "timestamp"
table = "ops.migrations"

[filter]
schemas = ["public", "app"]
tables = ["!tmp_*"]

[env.dev]
url = "${DATABASE_URL}"

[env.staging]
url = "postgres://app:${STAGING_PASSWORD}@staging.example.com/app?sslmode=require"

[env.prod]
url = "${PROD_DATABASE_URL}"
protected = true
"#;

#[test]
fn reads_every_section() {
    let p = Project::new("full");
    p.write("strata.toml", FULL);
    let c = p.config().unwrap();
    assert_eq!(c.schema, Some(SchemaSource::Sql(p.0.join("schema/"))));
    assert_eq!(c.migrations.dir, p.0.join("db/migrations"));
    assert_eq!(c.migrations.prefix, PrefixStyle::Timestamp);
    assert_eq!(c.migrations.table, "ops.migrations");
    assert_eq!(c.schemas, ["public", "app"]);
    assert_eq!(c.tables, ["!tmp_*"]);
    assert_eq!(c.environment_names(), ["dev", "prod", "staging"]);
}

#[test]
fn defaults_when_sections_are_missing() {
    let p = Project::new("empty");
    p.write("strata.toml", "");
    let c = p.config().unwrap();
    assert_eq!(c.schema, None);
    assert_eq!(c.migrations.dir, p.0.join("migrations"));
    assert_eq!(c.migrations.prefix, PrefixStyle::Index);
    assert_eq!(c.migrations.table, "strata.migrations");
    let env = c.environment(&select(None), &vars(&[])).unwrap();
    assert_eq!((env.name, env.url, env.protected), (None, None, false));
}

#[test]
fn selects_environments_by_flag_then_strata_env_then_default() {
    let p = Project::new("select");
    p.write("strata.toml", &format!("default_env = \"dev\"\n{FULL}"));
    let c = p.config().unwrap();
    let v = vars(&[
        ("DATABASE_URL", "postgres://localhost/dev"),
        ("PROD_DATABASE_URL", "postgres://prod/app"),
        ("STAGING_PASSWORD", "pw"),
    ]);
    let prod = c.environment(&select(Some("prod")), &v).unwrap();
    assert_eq!(prod.url.as_deref(), Some("postgres://prod/app"));
    assert!(prod.protected);
    let staging = c.environment(&select(Some("staging")), &v).unwrap();
    assert_eq!(
        staging.url.as_deref(),
        Some("postgres://app:pw@staging.example.com/app?sslmode=require")
    );
    assert!(!staging.protected);
    let by_default = c.environment(&select(None), &v).unwrap();
    assert_eq!(by_default.name.as_deref(), Some("dev"));
    let with_strata_env = vars(&[
        ("STRATA_ENV", "prod"),
        ("PROD_DATABASE_URL", "postgres://p/a"),
    ]);
    let by_var = c.environment(&select(None), &with_strata_env).unwrap();
    assert_eq!(by_var.name.as_deref(), Some("prod"));
    // --url overrides the URL but the environment stays protected.
    let overridden = c
        .environment(
            &Selection {
                name: Some("prod".into()),
                url: Some("postgres://other/x".into()),
            },
            &vars(&[]),
        )
        .unwrap();
    assert_eq!(overridden.url.as_deref(), Some("postgres://other/x"));
    assert!(overridden.protected);
}

#[test]
fn unknown_environment_lists_the_defined_ones() {
    let p = Project::new("unknown-env");
    p.write("strata.toml", FULL);
    let err = p
        .config()
        .unwrap()
        .environment(&select(Some("qa")), &vars(&[]))
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("unknown environment `qa`"), "{text}");
    assert!(text.contains("dev, prod, staging"), "{text}");
}

#[test]
fn undefined_variable_names_it_with_file_line_and_column() {
    let p = Project::new("undefined");
    p.write("strata.toml", FULL);
    let err = p
        .config()
        .unwrap()
        .environment(&select(Some("staging")), &vars(&[]))
        .unwrap_err();
    let ConfigError::UndefinedVariable { name, at, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(name, "STAGING_PASSWORD");
    // line 18 (FULL starts with a newline): url = "postgres://app:${STAGING_PASSWORD}@..."
    assert_eq!((at.line, at.column), (18, 23));
    assert!(
        err.to_string()
            .contains("strata.toml:18:23: environment variable `STAGING_PASSWORD` is not set"),
        "{err}"
    );
    // Other environments' variables are not needed to use one.
    let dev = p
        .config()
        .unwrap()
        .environment(
            &select(Some("dev")),
            &vars(&[("DATABASE_URL", "postgres://l/d")]),
        )
        .unwrap();
    assert_eq!(dev.url.as_deref(), Some("postgres://l/d"));
}

#[test]
fn unknown_keys_name_the_key_and_the_allowed_ones() {
    let p = Project::new("unknown-key");
    p.write(
        "strata.toml",
        "[migrations]\ndir = \"m\"\nprefx = \"index\"\n",
    );
    let err = p.config().unwrap_err();
    let (at, _) = err.location().unwrap();
    assert_eq!((at.line, at.column), (3, 1));
    let text = err.to_string();
    assert!(text.contains("strata.toml:3:1"), "{text}");
    assert!(text.contains("unknown field `prefx`"), "{text}");
    assert!(text.contains("`dir`, `prefix`, `table`"), "{text}");

    p.write("strata.toml", "[env.prod]\nurl = \"x\"\nprotect = true\n");
    let text = p.config().unwrap_err().to_string();
    assert!(text.contains("strata.toml:3:1"), "{text}");
    assert!(text.contains("`url`, `dev_url`, `protected`"), "{text}");

    p.write("strata.toml", "migration = 1\n");
    let text = p.config().unwrap_err().to_string();
    assert!(text.contains("unknown field `migration`"), "{text}");
    assert!(text.contains("`migrations`"), "{text}");
}

#[test]
fn wrong_values_say_what_is_expected() {
    let p = Project::new("wrong-values");
    p.write("strata.toml", "[migrations]\nprefix = \"weekly\"\n");
    let err = p.config().unwrap_err();
    let text = err.to_string();
    assert!(text.contains("strata.toml:2:10"), "{text}");
    assert!(
        text.contains("expected `index`, `timestamp` or `date`"),
        "{text}"
    );

    p.write("strata.toml", "[env.prod]\nprotected = \"yes\"\n");
    let text = p.config().unwrap_err().to_string();
    assert!(text.contains("strata.toml:2:13"), "{text}");
    assert!(text.contains("bool"), "{text}");

    p.write("strata.toml", "[schema]\nsql = \"a\"\nsnapshot = \"b\"\n");
    let text = p.config().unwrap_err().to_string();
    assert!(text.contains("exactly one of `sql`"), "{text}");

    p.write("strata.toml", "[env.dev]\nurl = \"x\n");
    let text = p.config().unwrap_err().to_string();
    assert!(text.contains("strata.toml:2:"), "{text}");

    p.write("strata.toml", "default_env = \"qa\"\n[env.dev]\n");
    let text = p.config().unwrap_err().to_string();
    assert!(text.contains("strata.toml:1:15"), "{text}");
    assert!(text.contains("dev"), "{text}");
}

#[test]
fn dotenv_files_fill_in_without_overriding() {
    let p = Project::new("dotenv");
    p.write("strata.toml", FULL)
        .write(".env", "DATABASE_URL=postgres://from-dotenv/dev\nPROD_DATABASE_URL=postgres://base/prod\nSTAGING_PASSWORD=base\n")
        .write(".env.prod", "PROD_DATABASE_URL=postgres://from-env-prod/app\n");
    let c = p.config().unwrap();
    let none = vars(&[]);
    let (dev, _) = c.load_environment(&select(Some("dev")), &none).unwrap();
    assert_eq!(dev.url.as_deref(), Some("postgres://from-dotenv/dev"));
    // .env.<env> wins over .env ...
    let (prod, files) = c.load_environment(&select(Some("prod")), &none).unwrap();
    assert_eq!(prod.url.as_deref(), Some("postgres://from-env-prod/app"));
    assert!(files.from_files().contains(&(
        "PROD_DATABASE_URL".into(),
        "postgres://from-env-prod/app".into()
    )));
    // ... and a variable already set wins over both.
    let set = vars(&[("PROD_DATABASE_URL", "postgres://process/app")]);
    let (prod, files) = c.load_environment(&select(Some("prod")), &set).unwrap();
    assert_eq!(prod.url.as_deref(), Some("postgres://process/app"));
    assert!(!files
        .from_files()
        .iter()
        .any(|(k, _)| k == "PROD_DATABASE_URL"));
    // STRATA_ENV may come from .env itself.
    p.write(".env", "STRATA_ENV=prod\n");
    let (picked, _) = c.load_environment(&select(None), &none).unwrap();
    assert_eq!(picked.name.as_deref(), Some("prod"));
    assert_eq!(picked.url.as_deref(), Some("postgres://from-env-prod/app"));
}

#[test]
fn finds_the_config_in_a_parent_folder() {
    let p = Project::new("find");
    p.write("strata.toml", "[migrations]\ndir = \"m\"\n");
    let sub = p.0.join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    let c = Config::find(&sub).unwrap().unwrap();
    assert_eq!(c.root, p.0);
    assert_eq!(c.migrations.dir, p.0.join("m"));
    let lonely = Project::new("find-none");
    assert!(Config::find(&lonely.0).unwrap().is_none());
}
