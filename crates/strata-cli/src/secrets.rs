//! Passwords never reach the terminal: every password found in a URL given
//! to this run (flags or environment) is masked in anything printed to stderr,
//! whatever library error happened to carry it.

/// The passwords to mask, collected from URLs.
#[derive(Debug, Default, Clone)]
pub struct Secrets {
    words: Vec<String>,
}

impl Secrets {
    /// Remembers the password of `url` (userinfo or `password=` parameter),
    /// both as written and percent-decoded.
    pub fn add_url(&mut self, url: &str) {
        let Some(rest) = ["postgres://", "postgresql://"]
            .iter()
            .find_map(|s| url.strip_prefix(s))
        else {
            return;
        };
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            if let Some((_, password)) = userinfo.split_once(':') {
                self.add(password);
            }
        }
        if let Some((_, query)) = url.split_once('?') {
            for pair in query.split('&') {
                if let Some(password) = pair.strip_prefix("password=") {
                    self.add(password);
                }
            }
        }
    }

    fn add(&mut self, password: &str) {
        if password.is_empty() {
            return;
        }
        let decoded = percent_decode(password);
        for word in [password.to_string(), decoded] {
            if !word.is_empty() && !self.words.contains(&word) {
                self.words.push(word);
            }
        }
        // Longest first, so a password containing another is masked whole.
        self.words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    }

    /// `text` with every known password replaced by `****`.
    pub fn mask(&self, text: &str) -> String {
        self.words
            .iter()
            .fold(text.to_string(), |acc, w| acc.replace(w.as_str(), "****"))
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::Secrets;

    #[test]
    fn masks_userinfo_and_query_passwords() {
        let mut s = Secrets::default();
        s.add_url("postgres://app:s%40cret@db:5432/app?password=other");
        s.add_url("schema.sql");
        assert_eq!(
            s.mask("postgres://app:s%40cret@db a s@cret other"),
            "postgres://app:****@db a **** ****"
        );
    }
}
