//! `embed_migrations!("migrations")`: reads a migrations folder at compile
//! time and expands to a `strata_migrate::embedded::EmbeddedMigrations` whose
//! files are `include_str!`ed, so the binary carries its migrations and
//! editing one rebuilds it. Use it through `strata_migrate::embed_migrations!`.
//!
//! The folder is read by the same code as at run time (`folder.rs` and
//! `prefix.rs` of strata-migrate, compiled in here): a bad folder name or two
//! folders with one prefix is a compile error with the same message.
//!
//! Adding a *new* folder does not by itself make cargo rebuild the crate
//! (only files already included are tracked): add
//! `println!("cargo:rerun-if-changed=migrations");` to the crate's build.rs.

#[allow(dead_code)]
#[path = "../../src/folder.rs"]
mod folder;
#[allow(dead_code)]
#[path = "../../src/prefix.rs"]
mod prefix;

use proc_macro::TokenStream;
use std::path::PathBuf;

/// Embeds the migrations folder at `path` (relative to the crate's
/// `Cargo.toml`). Expands to an expression of type
/// `strata_migrate::embedded::EmbeddedMigrations`.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    match expand(input) {
        Ok(code) => code,
        Err(message) => format!("::core::compile_error!({message:?})")
            .parse()
            .unwrap_or_default(),
    }
}

fn expand(input: TokenStream) -> Result<TokenStream, String> {
    let literal = input.to_string();
    let relative = parse_string_literal(literal.trim()).ok_or_else(|| {
        format!("embed_migrations! takes the folder as a string literal, e.g. embed_migrations!(\"migrations\"), not `{literal}`")
    })?;
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let dir = root.join(&relative);
    let migrations = folder::load_folder(&dir).map_err(|e| format!("embed_migrations!: {e}"))?;
    let mut entries = String::new();
    for m in &migrations {
        let include = |file: &str| {
            let path = m.path.join(file);
            format!("::core::include_str!({:?})", path.to_string_lossy())
        };
        let down = match m.down {
            Some(_) => format!("::core::option::Option::Some({})", include("down.sql")),
            None => "::core::option::Option::None".to_string(),
        };
        entries.push_str(&format!(
            "::strata_migrate::embedded::EmbeddedMigration {{ name: {:?}, up: {}, down: {down} }},",
            m.name,
            include("up.sql"),
        ));
    }
    format!("::strata_migrate::embedded::EmbeddedMigrations::new(&[{entries}])")
        .parse()
        .map_err(|e| format!("embed_migrations!: {e:?}"))
}

/// The value of a plain `"..."` literal (no raw strings needed for paths).
fn parse_string_literal(text: &str) -> Option<String> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                'n' => out.push('\n'),
                't' => out.push('\t'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}
