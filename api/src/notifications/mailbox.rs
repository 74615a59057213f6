//! Reading the mail folder the file transport writes (`MAIL_DIR`): what the
//! demo shows as "sent mail" and what tests open links from.

use std::path::{Path, PathBuf};

use base64::Engine;

/// A delivered email, decoded.
#[derive(Debug, Clone)]
pub struct DeliveredEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// The `.eml` files of a mail folder, oldest first, decoded.
pub fn read(dir: &Path) -> Vec<DeliveredEmail> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    files.sort();
    files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).map(|raw| parse(&raw)).collect()
}

/// Parses a message as the sender writes it: headers, a blank line, a base64 body.
pub fn parse(raw: &str) -> DeliveredEmail {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let header = |name: &str| {
        head.split("\r\n")
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let body = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| body.to_owned());
    DeliveredEmail { to: header("To"), subject: header("Subject"), body }
}

/// Tokens of the links to `page` (e.g. `/confirm-email`) in emails to `to`, oldest first.
pub fn link_tokens(dir: &Path, to: &str, page: &str) -> Vec<String> {
    let marker = format!("{page}?token=");
    read(dir)
        .into_iter()
        .filter(|m| m.to.contains(to))
        .filter_map(|m| {
            let start = m.body.find(&marker)? + marker.len();
            Some(m.body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect())
        })
        .collect()
}
