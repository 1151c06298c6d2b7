//! `${VAR}` in config values: `${NAME}` is the variable's value (an error
//! when it is not set), `${NAME:-fallback}` falls back when it is unset or
//! empty, and `$$` is a literal `$`.

/// Replaces every `${NAME}` / `${NAME:-fallback}` in `text` using `lookup`.
/// On an unset variable returns its name and the byte offset of its `${`
/// in `text`.
///
/// ```
/// use strata_config::interpolate;
/// let vars = |n: &str| (n == "HOST").then(|| "db".to_string());
/// assert_eq!(interpolate("postgres://${HOST}/${DB:-app}", &vars).unwrap(), "postgres://db/app");
/// assert_eq!(interpolate("a $$ b", &vars).unwrap(), "a $ b");
/// assert_eq!(interpolate("x${NOPE}", &vars).unwrap_err(), ("NOPE".to_string(), 1));
/// ```
pub fn interpolate(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, (String, usize)> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut offset = 0;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            offset += i + 2;
            rest = tail;
            continue;
        }
        let Some(body_and_tail) = after.strip_prefix('{') else {
            // A lone `$` (e.g. in a password) stays as written.
            out.push('$');
            offset += i + 1;
            rest = after;
            continue;
        };
        let Some(close) = body_and_tail.find('}') else {
            out.push_str(&rest[i..]);
            return Ok(out);
        };
        let body = &body_and_tail[..close];
        let (name, fallback) = match body.split_once(":-") {
            Some((n, f)) => (n, Some(f)),
            None => (body, None),
        };
        match (
            lookup(name).filter(|v| fallback.is_none() || !v.is_empty()),
            fallback,
        ) {
            (Some(value), _) => out.push_str(&value),
            (None, Some(f)) => out.push_str(f),
            (None, None) => return Err((name.to_string(), offset + i)),
        }
        let consumed = i + 2 + close + 1;
        offset += consumed;
        rest = &rest[consumed..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::interpolate;

    #[test]
    fn fallbacks_and_literals() {
        let vars = |n: &str| match n {
            "EMPTY" => Some(String::new()),
            "U" => Some("app".to_string()),
            _ => None,
        };
        assert_eq!(interpolate("${EMPTY:-x}", &vars).unwrap(), "x");
        assert_eq!(interpolate("${EMPTY}", &vars).unwrap(), "");
        assert_eq!(interpolate("p$ss ${U}", &vars).unwrap(), "p$ss app");
        assert_eq!(interpolate("${U", &vars).unwrap(), "${U");
        assert_eq!(
            interpolate("$$${U}${MISSING}", &vars).unwrap_err(),
            ("MISSING".to_string(), 6)
        );
    }
}
