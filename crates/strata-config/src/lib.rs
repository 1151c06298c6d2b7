//! Strata's project configuration: `strata.toml`, its named environments,
//! `${VAR}` interpolation and `.env` / `.env.<env>` files.
//!
//! Pure apart from reading the config and `.env` files: the process
//! environment is passed in as a lookup function, so every rule here is
//! testable without touching global state, and nothing here talks to a
//! database.
//!
//! ```
//! use strata_config::{Config, Selection};
//! let config = Config::parse(
//!     "strata.toml".as_ref(),
//!     "[env.prod]\nurl = \"${PROD_URL}\"\nprotected = true\n".to_string(),
//! ).unwrap();
//! let vars = |name: &str| (name == "PROD_URL").then(|| "postgres://db/app".to_string());
//! let env = config.environment(&Selection { name: Some("prod".into()), url: None }, &vars).unwrap();
//! assert_eq!(env.url.as_deref(), Some("postgres://db/app"));
//! assert!(env.protected);
//! ```

mod dotenv;
mod environment;
mod error;
mod file;
mod interpolate;
mod location;

pub use dotenv::{parse_dotenv, DotEnv};
pub use environment::{Environment, Selection, Variables};
pub use error::ConfigError;
pub use file::{Config, Migrations, SchemaSource, CONFIG_FILE, DEFAULT_TRACKING_TABLE};
pub use interpolate::interpolate;
pub use location::Location;
pub use strata_migrate::PrefixStyle;
