//! Migration folder names: `<prefix>_<name>`, in one of three prefix styles
//! that teams use today (an index, a timestamp, a date).

use std::fmt;

/// How migration prefixes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixStyle {
    /// `0001`, `0002`, ... (four digits or more).
    Index,
    /// `20261122143022` (UTC, to the second).
    Timestamp,
    /// `2026-11-22`, with `-2`, `-3` ... for more than one a day.
    Date,
}

impl PrefixStyle {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "index" => Some(Self::Index),
            "timestamp" => Some(Self::Timestamp),
            "date" => Some(Self::Date),
            _ => None,
        }
    }
}

impl fmt::Display for PrefixStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Index => "index",
            Self::Timestamp => "timestamp",
            Self::Date => "date",
        })
    }
}

/// Splits a folder name into (prefix, style, title). `None` when the name
/// does not start with a prefix of a known style followed by `_`.
///
/// ```
/// use strata_migrate::{parse_folder_name, PrefixStyle};
/// assert_eq!(parse_folder_name("0003_add_users"), Some(("0003", PrefixStyle::Index, "add_users")));
/// assert_eq!(parse_folder_name("2026-11-22-2_fix"), Some(("2026-11-22-2", PrefixStyle::Date, "fix")));
/// assert_eq!(parse_folder_name("20261122143022_init"), Some(("20261122143022", PrefixStyle::Timestamp, "init")));
/// assert_eq!(parse_folder_name("add_users"), None);
/// ```
pub fn parse_folder_name(name: &str) -> Option<(&str, PrefixStyle, &str)> {
    let (prefix, title) = name.split_once('_')?;
    if title.is_empty() {
        return None;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let style = if digits(prefix) && prefix.len() == 14 {
        PrefixStyle::Timestamp
    } else if digits(prefix) && prefix.len() >= 4 && prefix.len() < 14 {
        PrefixStyle::Index
    } else if is_date_prefix(prefix) {
        PrefixStyle::Date
    } else {
        return None;
    };
    Some((prefix, style, title))
}

/// `YYYY-MM-DD` or `YYYY-MM-DD-N`.
fn is_date_prefix(prefix: &str) -> bool {
    let parts: Vec<&str> = prefix.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        [y, m, d, n] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// Sort key that orders prefixes of one style correctly (`2026-11-22-10`
/// after `2026-11-22-9`, `10000` after `9999`).
pub fn order_key(prefix: &str) -> (u64, u64, u64, u64) {
    let nums: Vec<u64> = prefix
        .split('-')
        .map(|p| p.parse().unwrap_or(u64::MAX))
        .collect();
    (
        nums.first().copied().unwrap_or(0),
        nums.get(1).copied().unwrap_or(0),
        nums.get(2).copied().unwrap_or(0),
        nums.get(3).copied().unwrap_or(0),
    )
}
