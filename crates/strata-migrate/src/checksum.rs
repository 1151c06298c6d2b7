//! The pinned migration checksum.
//!
//! sha256 over the file text with line endings normalized to `\n`, so a
//! checkout with CRLF line endings (Windows, `core.autocrlf`) does not look
//! like an edited migration. Nothing else is normalized: any other edit,
//! whitespace included, changes what runs and must be noticed.

use sha2::{Digest, Sha256};

/// Lower-case hex sha256 of `text` with `\r\n` read as `\n`.
///
/// ```
/// use strata_migrate::checksum;
/// assert_eq!(checksum("a\r\nb"), checksum("a\nb"));
/// assert_ne!(checksum("a\nb"), checksum("a\nb "));
/// ```
pub fn checksum(text: &str) -> String {
    let normalized = text.replace("\r\n", "\n");
    let digest = Sha256::digest(normalized.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
