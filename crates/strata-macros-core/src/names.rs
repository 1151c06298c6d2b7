//! Rust names to SQL names.

/// `UserRole` -> `user_role`, `HTTPServer` -> `http_server`, `InProgress` -> `in_progress`.
pub(crate) fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                _ => false,
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A field's name without a raw-identifier prefix (`r#type` -> `type`).
pub(crate) fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

/// Longest identifier PostgreSQL keeps; a longer one is truncated silently.
pub(crate) const MAX_IDENTIFIER_BYTES: usize = 63;

/// A user-given SQL name, checked for length.
pub(crate) fn checked(lit: &syn::LitStr) -> syn::Result<String> {
    let v = lit.value();
    if v.is_empty() {
        return Err(syn::Error::new(lit.span(), "a name cannot be empty"));
    }
    if v.len() > MAX_IDENTIFIER_BYTES {
        return Err(syn::Error::new(
            lit.span(),
            format!(
                "`{v}` is {} bytes long; PostgreSQL keeps only {MAX_IDENTIFIER_BYTES} and would silently truncate it: use a shorter name",
                v.len()
            ),
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases_like_a_person() {
        assert_eq!(snake_case("UserRole"), "user_role");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("InProgress"), "in_progress");
        assert_eq!(snake_case("Grade5"), "grade5");
        assert_eq!(snake_case("user"), "user");
    }
}
