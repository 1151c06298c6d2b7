//! strata.toml, environments and .env files as a user meets them: `strata
//! init`, `strata config`, errors with file:line:col, `--env` / STRATA_ENV /
//! `--url`, and completions.

use crate::common::{assert_code, strata_at, Scratch};

const CONFIG: &str = r#"[migrations]
dir = "db/migrations"

[env.dev]
url = "${DEV_URL:-postgres://localhost/dev}"

[env.staging]
url = "${STAGING_URL}"

[env.prod]
url = "${PROD_URL}"
protected = true
"#;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn init_creates_a_project_and_never_overwrites() {
    let dir = Scratch::new();
    let run = strata_at(&dir.0, &["init"], &[]);
    assert_code(&run, 0);
    assert!(run.stdout.contains("created"), "{}", run.stdout);
    for path in ["strata.toml", "migrations", "schema/schema.sql"] {
        assert!(dir.0.join(path).exists(), "{path} missing");
    }
    // The generated file is a valid config with its two example environments.
    let run = strata_at(&dir.0, &["config", "--format", "json"], &[]);
    assert_code(&run, 0);
    assert_eq!(
        json(&run.stdout)["environments"],
        serde_json::json!(["prod", "staging"])
    );

    // A second run keeps everything, including the user's edits.
    dir.write("strata.toml", "# mine\n");
    let run = strata_at(&dir.0, &["init"], &[]);
    assert_code(&run, 0);
    assert!(!run.stdout.contains("created"), "{}", run.stdout);
    assert!(run.stdout.contains("exists, kept"), "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.0.join("strata.toml")).unwrap(),
        "# mine\n"
    );
    assert!(!run.stdout.contains("Rust crate"));

    // In a Rust crate it says how to declare the schema in Rust.
    let krate = Scratch::new();
    krate.write("Cargo.toml", "[package]\nname = \"app\"\n");
    let run = strata_at(&krate.0, &["init"], &[]);
    assert_code(&run, 0);
    assert!(
        run.stdout.contains("This is a Rust crate"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("src/bin/db.rs"), "{}", run.stdout);
}

#[test]
fn config_errors_show_file_line_column_and_what_is_expected() {
    let dir = Scratch::new();
    let path = dir.write(
        "strata.toml",
        "[migrations]\ndir = \"m\"\nprefx = \"index\"\n",
    );
    let run = strata_at(&dir.0, &["config"], &[]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains(&format!("{path}:3:1")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown field `prefx`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`dir`, `prefix`, `table`"),
        "{}",
        run.stderr
    );
    // The snippet underlines the key.
    assert!(
        run.stderr.contains("3 │ prefx = \"index\""),
        "{}",
        run.stderr
    );

    dir.write("strata.toml", "[migrations]\nprefix = \"weekly\"\n");
    let run = strata_at(&dir.0, &["config"], &[]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains(&format!("{path}:2:10")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("expected `index`, `timestamp` or `date`"),
        "{}",
        run.stderr
    );

    // Config errors stop every command that reads the project, diff too.
    let run = strata_at(&dir.0, &["diff", "--from", "a.json", "--to", "b.json"], &[]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains(&format!("{path}:2:10")),
        "{}",
        run.stderr
    );
}

#[test]
fn undefined_variables_are_named_with_their_position() {
    let dir = Scratch::new();
    let path = dir.write("strata.toml", CONFIG);
    let run = strata_at(&dir.0, &["--env", "staging", "config"], &[]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains(&format!(
            "{path}:8:8: environment variable `STAGING_URL` is not set"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(".env"),
        "the hint names .env: {}",
        run.stderr
    );
}

#[test]
fn environments_are_picked_by_flag_variable_and_url() {
    let dir = Scratch::new();
    dir.write("strata.toml", CONFIG);
    let show = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = args.to_vec();
        all.extend(["config", "--format", "json"]);
        let run = strata_at(&dir.0, &all, env);
        assert_code(&run, 0);
        json(&run.stdout)
    };
    // No environment selected: the dev database.
    let none = show(&[], &[]);
    assert_eq!(none["environment"], serde_json::Value::Null);
    assert_eq!(none["url"], serde_json::Value::Null);
    // A fallback in ${VAR:-...}.
    let dev = show(&["--env", "dev"], &[]);
    assert_eq!(dev["url"], "postgres://localhost/dev");
    // STRATA_ENV, with the password masked in the output.
    let prod = show(
        &[],
        &[
            ("STRATA_ENV", "prod"),
            (
                "PROD_URL",
                "postgres://app:Sup3rSecret@prod.example.com/app",
            ),
        ],
    );
    assert_eq!(prod["environment"], "prod");
    assert_eq!(prod["protected"], true);
    assert_eq!(prod["url"], "postgres://app:****@prod.example.com/app");
    // --env wins over STRATA_ENV; --url wins over the environment's URL.
    let flag = show(&["--env", "dev"], &[("STRATA_ENV", "prod")]);
    assert_eq!(flag["environment"], "dev");
    let url = show(&["--env", "prod", "--url", "postgres://elsewhere/x"], &[]);
    assert_eq!(url["url"], "postgres://elsewhere/x");
    assert_eq!(url["protected"], true);
    // Text output names the environment and marks it protected, no colour codes.
    let run = strata_at(
        &dir.0,
        &["config", "--env", "prod"],
        &[("PROD_URL", "postgres://app:Sup3rSecret@h/app")],
    );
    assert_code(&run, 0);
    assert!(run.stdout.contains("prod (protected)"), "{}", run.stdout);
    assert!(!run.stdout.contains("Sup3rSecret"), "{}", run.stdout);
    assert!(
        !run.stdout.contains('\x1b'),
        "NO_COLOR / not a terminal: {}",
        run.stdout
    );

    let run = strata_at(&dir.0, &["--env", "qa", "config"], &[]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains("unknown environment `qa`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("dev, prod, staging"), "{}", run.stderr);
}

#[test]
fn dotenv_files_are_loaded_without_overriding() {
    let dir = Scratch::new();
    dir.write("strata.toml", CONFIG);
    dir.write(
        ".env",
        "STAGING_URL=postgres://from-dotenv/staging\nPROD_URL=postgres://from-dotenv/prod\n",
    );
    dir.write(
        ".env.prod",
        "PROD_URL=postgres://app:Dotenv5ecret@from-env-prod/prod\n",
    );
    let url = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = args.to_vec();
        all.extend(["config", "--format", "json"]);
        let run = strata_at(&dir.0, &all, env);
        assert_code(&run, 0);
        assert!(!run.stdout.contains("Dotenv5ecret"), "{}", run.stdout);
        json(&run.stdout)["url"].as_str().unwrap().to_string()
    };
    assert_eq!(
        url(&["--env", "staging"], &[]),
        "postgres://from-dotenv/staging"
    );
    assert_eq!(
        url(&["--env", "prod"], &[]),
        "postgres://app:****@from-env-prod/prod"
    );
    assert_eq!(
        url(
            &["--env", "prod"],
            &[("PROD_URL", "postgres://process/prod")]
        ),
        "postgres://process/prod"
    );
    // STRATA_ENV may itself come from .env.
    dir.write(
        ".env",
        "STRATA_ENV=staging\nSTAGING_URL=postgres://picked/by-dotenv\n",
    );
    assert_eq!(url(&[], &[]), "postgres://picked/by-dotenv");

    // A broken .env line is reported with its position.
    let env_path = dir.write(".env", "STAGING_URL=ok\nnot a pair\n");
    let run = strata_at(&dir.0, &["config"], &[]);
    assert_code(&run, 1);
    assert!(
        run.stderr
            .contains(&format!("{env_path}:2:1: expected KEY=VALUE")),
        "{}",
        run.stderr
    );
}

#[test]
fn passwords_from_dotenv_are_masked() {
    let dir = Scratch::new();
    dir.write("strata.toml", CONFIG);
    dir.write(
        ".env.prod",
        "PROD_URL=postgres://app:Leak3dSecret@127.0.0.1:1/app\n",
    );
    let run = strata_at(
        &dir.0,
        &["--env", "prod", "config", "--format", "json"],
        &[],
    );
    assert_code(&run, 0);
    let masked = json(&run.stdout)["url"].as_str().unwrap().to_string();
    assert_eq!(masked, "postgres://app:****@127.0.0.1:1/app");
}

#[test]
fn completions_for_each_shell() {
    let dir = Scratch::new();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef strata"),
        ("fish", "complete -c strata"),
    ] {
        let run = strata_at(&dir.0, &["completions", shell], &[]);
        assert_code(&run, 0);
        assert!(
            run.stdout.contains(marker),
            "{shell}: {}",
            &run.stdout[..run.stdout.len().min(300)]
        );
        assert!(run.stdout.contains("dev"), "{shell} completes subcommands");
    }
    let run = strata_at(&dir.0, &["completions", "tcsh"], &[]);
    assert_code(&run, 1);
}

#[test]
fn every_command_has_help_with_examples() {
    use clap::CommandFactory;
    // Every command and subcommand the CLI defines, found from its own
    // definition, so a new command without examples fails here.
    fn paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut path = prefix.clone();
            path.push(sub.get_name().to_string());
            out.push(path.clone());
            paths(sub, path, out);
        }
    }
    let mut all = Vec::new();
    paths(&strata_cli::Cli::command(), Vec::new(), &mut all);
    assert!(all.len() > 20, "{all:?}");
    let dir = Scratch::new();
    for path in all {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let run = strata_at(&dir.0, &args, &[]);
        assert_code(&run, 0);
        assert!(run.stdout.contains("Example"), "{args:?}: {}", run.stdout);
    }
    let run = strata_at(&dir.0, &["--help"], &[]);
    assert!(run.stdout.contains("--env <NAME>"), "{}", run.stdout);
    assert!(run.stdout.contains("Exit codes"), "{}", run.stdout);
}

#[tokio::test]
async fn the_filter_of_strata_toml_applies_unless_flags_are_given() {
    let db = strata_testkit::TestDatabase::create().await;
    db.connect()
        .await
        .batch_execute("CREATE TABLE users (id int); CREATE TABLE tmp_import (id int);")
        .await
        .unwrap();
    let dir = Scratch::new();
    dir.write("strata.toml", "[filter]\ntables = [\"!tmp_*\"]\n");
    let run = strata_at(
        &dir.0,
        &["inspect", "--from", db.url(), "--format", "sql"],
        &[],
    );
    assert_code(&run, 0);
    assert!(run.stdout.contains("\"users\""), "{}", run.stdout);
    assert!(!run.stdout.contains("tmp_import"), "{}", run.stdout);
    let run = strata_at(
        &dir.0,
        &[
            "inspect",
            "--from",
            db.url(),
            "--format",
            "sql",
            "--table",
            "tmp_*",
        ],
        &[],
    );
    assert_code(&run, 0);
    assert!(run.stdout.contains("tmp_import"), "{}", run.stdout);
    assert!(!run.stdout.contains("\"users\""), "{}", run.stdout);
}
