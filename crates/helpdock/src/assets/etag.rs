//! Strong `ETag`s for the widget's files: the first 16 hex digits of the SHA-256 of the bytes on
//! the wire, so the brotli, gzip and raw answers of one file each have their own (they are different
//! bytes), and a browser revalidating its copy gets a `304` with no body. Computed when the proxy
//! starts and kept in memory; a file replaced on disk later (a deploy into the same directory) is
//! hashed again on its first request, found by its length and modification time.

use axum::http::header::{CONTENT_LENGTH, CONTENT_RANGE, LAST_MODIFIED};
use axum::http::{HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};
use std::time::SystemTime;

/// The tags of the files under one directory, by file path.
#[derive(Debug)]
pub(super) struct EntityTags {
    dir: PathBuf,
    known: RwLock<HashMap<PathBuf, Known>>,
}

/// One file's tag and what the file was when it was hashed.
#[derive(Clone, Debug)]
struct Known {
    len: u64,
    modified: SystemTime,
    tag: HeaderValue,
}

impl EntityTags {
    /// Hashes every file directly in `dir` (a missing or unreadable one is hashed when asked for).
    pub(super) fn new(dir: &Path) -> EntityTags {
        let mut known = HashMap::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            let (Ok(modified), Ok(bytes)) = (meta.modified(), std::fs::read(&path)) else {
                continue;
            };
            if meta.is_file() && bytes.len() as u64 == meta.len() {
                let tag = tag_of(&bytes);
                known.insert(
                    path,
                    Known {
                        len: meta.len(),
                        modified,
                        tag,
                    },
                );
            }
        }
        EntityTags {
            dir: dir.to_owned(),
            known: RwLock::new(known),
        }
    }

    /// The tag of the answer `served` (its headers) to a request for `url_path`, in `encoding`
    /// (`Content-Encoding`: `br`, `gzip`, or `None` for the file itself). `None` when the path is
    /// not a plain file name of ours, or when the file on disk is no longer the one served (it was
    /// replaced meanwhile: better no tag than a tag for other bytes).
    pub(super) async fn tag(
        &self,
        url_path: &str,
        encoding: Option<&str>,
        served: &HeaderMap,
    ) -> Option<HeaderValue> {
        let suffix = match encoding {
            None => "",
            Some("br") => ".br",
            Some("gzip") => ".gz",
            Some(_) => return None,
        };
        let file = self
            .dir
            .join(format!("{}{suffix}", plain_relative_path(url_path)?));
        let meta = tokio::fs::metadata(&file).await.ok()?;
        let modified = meta.modified().ok()?;
        if !meta.is_file() || !is_what_was_served(served, meta.len(), modified) {
            return None;
        }
        let cached = self
            .known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&file)
            .filter(|k| (k.len, k.modified) == (meta.len(), modified))
            .map(|k| k.tag.clone());
        if cached.is_some() {
            return cached;
        }
        let bytes = tokio::fs::read(&file).await.ok()?;
        let after = tokio::fs::metadata(&file).await.ok()?;
        if bytes.len() as u64 != meta.len() || after.modified().ok() != Some(modified) {
            return None;
        }
        let tag = tag_of(&bytes);
        let known = Known {
            len: meta.len(),
            modified,
            tag: tag.clone(),
        };
        self.known
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(file, known);
        Some(tag)
    }
}

/// `"` + the first 16 hex digits of the SHA-256 of `bytes` + `"`.
fn tag_of(bytes: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(bytes);
    let hex = hex::encode(&digest[..8]);
    HeaderValue::from_str(&format!("\"{hex}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

/// `url_path` without its leading `/` when every segment is a plain file name (`[A-Za-z0-9._-]`,
/// not `.` or `..`), as every file the build writes is; other names get no tag.
fn plain_relative_path(url_path: &str) -> Option<&str> {
    let relative = url_path.strip_prefix('/')?;
    relative
        .split('/')
        .all(|segment| {
            !matches!(segment, "" | "." | "..")
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        })
        .then_some(relative)
}

/// Whether the answer's `Last-Modified` and length (`Content-Length`, or a range answer's total)
/// are those of a file of `len` bytes modified at `modified`.
fn is_what_was_served(served: &HeaderMap, len: u64, modified: SystemTime) -> bool {
    let text = |name| served.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let served_len = match text(CONTENT_RANGE) {
        Some(range) => range
            .rsplit('/')
            .next()
            .and_then(|total| total.parse().ok()),
        None => text(CONTENT_LENGTH).and_then(|l| l.parse::<u64>().ok()),
    };
    served_len == Some(len) && text(LAST_MODIFIED) == Some(&httpdate::fmt_http_date(modified))
}

/// Whether an `If-None-Match` value names `tag` (or is `*`): then the browser's copy is current.
/// Compared weakly, as RFC 9110 asks for this header: `W/"x"` names `"x"`.
pub(super) fn none_match_names(if_none_match: &HeaderValue, tag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else {
        return false;
    };
    let tag = tag.to_str().unwrap_or_default();
    list.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == tag
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::{CONTENT_LENGTH, CONTENT_RANGE, LAST_MODIFIED};

    #[test]
    fn a_tag_is_a_quoted_short_hash_of_the_bytes() {
        let tag = tag_of(b"/* loader */");
        let text = tag.to_str().expect("ascii");
        assert_eq!(text.len(), 18, "{text}");
        assert!(text.starts_with('"') && text.ends_with('"'), "{text}");
        assert_eq!(tag, tag_of(b"/* loader */"));
        assert_ne!(tag, tag_of(b"/* loader 2 */"));
    }

    #[test]
    fn only_plain_file_names_get_tags() {
        for (path, relative) in [
            ("/widget.js", Some("widget.js")),
            ("/history.0123abcd.wasm", Some("history.0123abcd.wasm")),
            ("/sub/dir/file.css", Some("sub/dir/file.css")),
            ("/", None),
            ("/a//b", None),
            ("/../etc/passwd", None),
            ("/./widget.js", None),
            ("/widget%2Ejs", None),
            ("/wid get.js", None),
            ("widget.js", None),
        ] {
            assert_eq!(plain_relative_path(path), relative, "{path}");
        }
    }

    #[test]
    fn if_none_match_names_the_tag_weakly_or_by_star() {
        let tag = HeaderValue::from_static("\"0123456789abcdef\"");
        for (header, names) in [
            ("\"0123456789abcdef\"", true),
            ("W/\"0123456789abcdef\"", true),
            ("\"other\", \"0123456789abcdef\"", true),
            ("*", true),
            ("\"other\"", false),
            ("0123456789abcdef", false),
            ("", false),
        ] {
            assert_eq!(
                none_match_names(&HeaderValue::from_static(header), &tag),
                names,
                "{header}"
            );
        }
    }

    #[test]
    fn the_answer_must_be_the_file_now_on_disk() {
        let modified = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let date = httpdate::fmt_http_date(modified);
        let answer = |pairs: &[(axum::http::HeaderName, &str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.insert(name, HeaderValue::from_str(value).expect("value"));
            }
            headers
        };
        let full = answer(&[(CONTENT_LENGTH, "12"), (LAST_MODIFIED, &date)]);
        assert!(is_what_was_served(&full, 12, modified));
        assert!(!is_what_was_served(&full, 13, modified), "another length");
        let later = modified + std::time::Duration::from_secs(1);
        assert!(!is_what_was_served(&full, 12, later), "modified since");
        let range = answer(&[
            (CONTENT_LENGTH, "2"),
            (CONTENT_RANGE, "bytes 0-1/12"),
            (LAST_MODIFIED, &date),
        ]);
        assert!(is_what_was_served(&range, 12, modified), "a range's total");
        assert!(!is_what_was_served(
            &answer(&[(CONTENT_LENGTH, "12")]),
            12,
            modified
        ));
    }
}
