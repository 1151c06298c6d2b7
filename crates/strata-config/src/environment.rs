//! Picking an environment and resolving its URLs.
//!
//! The name comes from `--env`, else `STRATA_ENV`, else `default_env` in
//! `strata.toml`; with none of these no environment is selected and the
//! commands use `--url` or the project's dev database. Variables come from
//! the process environment first, then `.env.<env>`, then `.env` (a file
//! never overrides a variable that is already set).

use crate::dotenv::DotEnv;
use crate::error::ConfigError;
use crate::file::Config;
use crate::interpolate::interpolate;
use crate::location::Location;
use toml::Spanned;

/// What the command line asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `--env NAME`.
    pub name: Option<String>,
    /// `--url URL`: overrides the environment's URL.
    pub url: Option<String>,
}

/// A resolved environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// The `[env.NAME]` used; `None` when no environment was selected.
    pub name: Option<String>,
    /// The database URL (interpolated, or `--url`); `None` means "the
    /// project's dev database".
    pub url: Option<String>,
    /// The server for throw-away shadow databases; `None` means the dev
    /// database's server.
    pub dev_url: Option<String>,
    /// Destructive commands need confirmation, `push` is refused.
    pub protected: bool,
}

/// The variables visible to `${VAR}`: the process environment, then the
/// `.env` files in order.
pub struct Variables<'a> {
    process: &'a dyn Fn(&str) -> Option<String>,
    files: Vec<DotEnv>,
}

impl<'a> Variables<'a> {
    /// Variables from `process` only.
    pub fn new(process: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            process,
            files: Vec::new(),
        }
    }

    /// Adds a `.env` file, looked up after the ones already added.
    pub fn with_file(mut self, file: DotEnv) -> Self {
        self.files.push(file);
        self
    }

    /// The value of `name`: the process's, else the first file's that sets it.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.process)(name).or_else(|| self.files.iter().find_map(|f| f.vars.get(name).cloned()))
    }

    /// The `.env` files' variables that the process does not set, for
    /// exporting to child processes (the app's own binary, `psql`).
    pub fn from_files(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for file in &self.files {
            for (k, v) in &file.vars {
                if (self.process)(k).is_none() && !out.iter().any(|(n, _)| n == k) {
                    out.push((k.clone(), v.clone()));
                }
            }
        }
        out
    }
}

impl Config {
    /// Loads `.env` and `.env.<env>` next to `strata.toml` and resolves the
    /// selected environment. Returns the variables too, so the caller can
    /// pass the files' ones to child processes.
    pub fn load_environment<'a>(
        &self,
        selection: &Selection,
        process: &'a dyn Fn(&str) -> Option<String>,
    ) -> Result<(Environment, Variables<'a>), ConfigError> {
        let base = DotEnv::load(&self.root.join(".env"))?;
        let name = selection
            .name
            .clone()
            .or_else(|| process("STRATA_ENV"))
            .or_else(|| base.vars.get("STRATA_ENV").cloned())
            .filter(|n| !n.is_empty());
        let mut vars = Variables::new(process);
        if let Some(name) = name
            .as_deref()
            .or(self.default_env.as_ref().map(|d| d.get_ref().as_str()))
        {
            // A file name from user input: only plain names, never a path.
            if name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                vars = vars.with_file(DotEnv::load(&self.root.join(format!(".env.{name}")))?);
            }
        }
        let vars = vars.with_file(base);
        let selection = Selection {
            name,
            url: selection.url.clone(),
        };
        let env = self.environment(&selection, &|n| vars.get(n))?;
        Ok((env, vars))
    }

    /// Resolves the selected environment with `lookup` for `${VAR}` (and
    /// `STRATA_ENV`). Pure: no files are read.
    pub fn environment(
        &self,
        selection: &Selection,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Environment, ConfigError> {
        let name = selection
            .name
            .clone()
            .or_else(|| lookup("STRATA_ENV"))
            .filter(|n| !n.is_empty())
            .or_else(|| self.default_env.as_ref().map(|d| d.get_ref().clone()));
        let dev_url = self.resolve(self.dev_url.as_ref(), lookup)?;
        let Some(name) = name else {
            return Ok(Environment {
                name: None,
                url: selection.url.clone(),
                dev_url,
                protected: false,
            });
        };
        let Some(spec) = self.environments.get(&name) else {
            return Err(ConfigError::UnknownEnvironment {
                name,
                path: self.path.clone(),
                available: self.environment_names(),
            });
        };
        let url = match &selection.url {
            Some(url) => Some(url.clone()),
            None => self.resolve(spec.url.as_ref(), lookup)?,
        };
        let env_dev_url = self.resolve(spec.dev_url.as_ref(), lookup)?;
        Ok(Environment {
            name: Some(name),
            url,
            dev_url: env_dev_url.or(dev_url),
            protected: spec.protected,
        })
    }

    /// Interpolates one value, pointing at the `${NAME}` in the file when a
    /// variable is missing.
    fn resolve(
        &self,
        value: Option<&Spanned<String>>,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<String>, ConfigError> {
        let Some(value) = value else {
            return Ok(None);
        };
        interpolate(value.get_ref(), lookup)
            .map(Some)
            .map_err(|(name, _)| {
                // The value's text in the file may differ from the parsed
                // string (escapes): find the reference in the file itself.
                let span = value.span();
                let raw = self.text.get(span.clone()).unwrap_or("");
                let start = raw
                    .find(&format!("${{{name}"))
                    .map_or(span.start, |i| span.start + i);
                let end = raw[start - span.start..]
                    .find('}')
                    .map_or(span.end, |i| start + i + 1);
                ConfigError::UndefinedVariable {
                    at: Location::of(&self.path, &self.text, start..end),
                    name,
                    text: self.text.clone(),
                }
            })
    }
}
