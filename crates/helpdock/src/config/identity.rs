//! The visitor-identity settings of `helpdock serve`: sites and their identity secrets, the guest
//! pass key and lifetime, staff addresses, and whether browser emails are believed.

use super::form::{FileForm, SiteForm};
use super::{ConfigError, Env, FileConfig, SecretSources, load_secret};
use crate::identity::StaffList;
use crate::identity::staff::normalize_domain;
use crate::secret::Secret;
use helpdock_wire::validate::{is_valid_email, normalize_email};
use reqwest::Url;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

/// A guest pass lasts this long unless told otherwise (30 days).
pub const DEFAULT_GUEST_PASS_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// Shorter passes would expire while a visitor waits for an answer.
const MIN_GUEST_PASS_TTL_SECS: u64 = 60;
/// Longer passes would outlive any reasonable interest in a ticket.
const MAX_GUEST_PASS_TTL_SECS: u64 = 365 * 24 * 3600;
/// HMAC keys shorter than this can be guessed offline from one signature.
pub const MIN_SECRET_CHARS: usize = 16;
/// Site ids travel in a header and in guest passes: short and plain.
const MAX_SITE_ID: usize = 64;

/// One `[[sites]]` table of the config file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSite {
    id: String,
    #[serde(default)]
    origins: Vec<String>,
    identity_secret: Option<Secret>,
    identity_secret_file: Option<PathBuf>,
    #[serde(default)]
    form: FileForm,
}

/// A site the proxy serves: a shop that embeds the widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteConfig {
    /// The script tag's `data-site`, sent as `X-Helpdock-Site`.
    pub id: String,
    /// Allowed browser origins, each exactly `scheme://host[:port]` as browsers send it.
    pub origins: Vec<String>,
    /// The HMAC key the site's backend signs visitor emails with.
    pub identity_secret: Secret,
    /// What the site's ticket form asks (`[sites.form]`); everything by default.
    pub form: SiteForm,
}

/// The identity part of [`super::Config`], checked.
pub(super) struct IdentitySettings {
    pub trust_browser_email: bool,
    pub guest_pass_secret: Option<Secret>,
    pub guest_pass_ttl: Duration,
    pub staff: StaffList,
    pub sites: Vec<SiteConfig>,
}

/// Reads and checks the identity settings; `file_key` adds " (in FILE)" to a key.
pub(super) fn identity_settings(
    env: Env,
    fc: &FileConfig,
    file_key: &dyn Fn(&str) -> String,
) -> Result<IdentitySettings, ConfigError> {
    let guest_pass_secret = load_secret(
        env,
        SecretSources {
            env_var: Some("HELPDOCK_GUEST_PASS_SECRET"),
            value: fc.guest_pass_secret.clone(),
            path: fc.guest_pass_secret_file.clone(),
            value_key: file_key("guest_pass_secret"),
            path_key: file_key("guest_pass_secret_file"),
        },
    )?
    .map(|(secret, key)| strong_secret(secret, &key))
    .transpose()?;
    let guest_pass_ttl = match fc.guest_pass_ttl_secs {
        None => DEFAULT_GUEST_PASS_TTL,
        Some(secs @ MIN_GUEST_PASS_TTL_SECS..=MAX_GUEST_PASS_TTL_SECS) => Duration::from_secs(secs),
        Some(_) => {
            return Err(ConfigError::Invalid {
                key: file_key("guest_pass_ttl_secs"),
                message: format!(
                    "must be from {MIN_GUEST_PASS_TTL_SECS} to {MAX_GUEST_PASS_TTL_SECS} seconds"
                ),
            });
        }
    };
    let staff = staff_list(fc, file_key)?;
    let sites = sites(&fc.sites, file_key)?;
    if let Some(guest) = &guest_pass_secret
        && let Some(site) = sites.iter().find(|s| s.identity_secret == *guest)
    {
        // One key for both would let a site's backend mint guest passes, and vice versa.
        return Err(ConfigError::Invalid {
            key: file_key("guest_pass_secret"),
            message: format!("must differ from the identity_secret of site {:?}", site.id),
        });
    }
    Ok(IdentitySettings {
        trust_browser_email: fc.trust_browser_email.unwrap_or(false),
        guest_pass_secret,
        guest_pass_ttl,
        staff,
        sites,
    })
}

fn staff_list(
    fc: &FileConfig,
    file_key: &dyn Fn(&str) -> String,
) -> Result<StaffList, ConfigError> {
    let emails = fc.staff_emails.clone().unwrap_or_default();
    for (i, email) in emails.iter().enumerate() {
        if !is_valid_email(&normalize_email(email)) {
            return Err(ConfigError::Invalid {
                key: file_key(&format!("staff_emails[{i}]")),
                message: format!("{email:?} is not an email address"),
            });
        }
    }
    let domains = fc.staff_domains.clone().unwrap_or_default();
    for (i, domain) in domains.iter().enumerate() {
        // A domain is valid when an address at it would be.
        if !is_valid_email(&format!("staff@{}", normalize_domain(domain))) {
            return Err(ConfigError::Invalid {
                key: file_key(&format!("staff_domains[{i}]")),
                message: format!("{domain:?} is not a domain name like helpdesk.example"),
            });
        }
    }
    Ok(StaffList::new(emails, domains))
}

fn sites(
    file_sites: &[FileSite],
    file_key: &dyn Fn(&str) -> String,
) -> Result<Vec<SiteConfig>, ConfigError> {
    if file_sites.is_empty() {
        return Err(ConfigError::Missing {
            key: file_key("[[sites]]"),
            hint: "configure at least one site (id, origins, identity_secret or identity_secret_file)",
        });
    }
    let mut seen = BTreeSet::new();
    let mut sites = Vec::with_capacity(file_sites.len());
    for (i, site) in file_sites.iter().enumerate() {
        let key = |field: &str| file_key(&format!("sites[{i}].{field}"));
        let id = site.id.trim().to_owned();
        let id_ok = !id.is_empty()
            && id.len() <= MAX_SITE_ID
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            return Err(ConfigError::Invalid {
                key: key("id"),
                message: format!(
                    "{:?} must be 1 to {MAX_SITE_ID} of A-Z a-z 0-9 - _",
                    site.id
                ),
            });
        }
        if !seen.insert(id.clone()) {
            return Err(ConfigError::Invalid {
                key: key("id"),
                message: format!("duplicate site id {id:?}"),
            });
        }
        let origins = site
            .origins
            .iter()
            .enumerate()
            .map(|(j, origin)| parse_origin(origin, &key(&format!("origins[{j}]"))))
            .collect::<Result<Vec<_>, _>>()?;
        let sources = SecretSources {
            env_var: None,
            value: site.identity_secret.clone(),
            path: site.identity_secret_file.clone(),
            value_key: key("identity_secret"),
            path_key: key("identity_secret_file"),
        };
        let (secret, secret_key) =
            load_secret(&|_| None, sources)?.ok_or_else(|| ConfigError::Missing {
                key: key("identity_secret"),
                hint: "the HMAC key the site's backend signs visitor emails with \
                       (or identity_secret_file)",
            })?;
        let identity_secret = strong_secret(secret, &secret_key)?;
        if let Some(other) = sites
            .iter()
            .find(|s: &&SiteConfig| s.identity_secret == identity_secret)
        {
            // Signatures name no site: each site would accept the other's visitors.
            return Err(ConfigError::Invalid {
                key: secret_key,
                message: format!(
                    "must differ from the identity_secret of site {:?}",
                    other.id
                ),
            });
        }
        let form = site.form.check(&|field| key(&format!("form.{field}")))?;
        sites.push(SiteConfig {
            id,
            origins,
            identity_secret,
            form,
        });
    }
    Ok(sites)
}

/// Refuses empty and short HMAC keys.
fn strong_secret(secret: Secret, key: &str) -> Result<Secret, ConfigError> {
    if secret.expose().trim().chars().count() < MIN_SECRET_CHARS {
        return Err(ConfigError::Invalid {
            key: key.to_owned(),
            message: format!(
                "must be at least {MIN_SECRET_CHARS} characters (e.g. `openssl rand -hex 32`)"
            ),
        });
    }
    Ok(secret)
}

/// `https://Shop.example.com:443/` → `https://shop.example.com`: exactly what a browser sends
/// as `Origin`, so CORS can compare strings.
fn parse_origin(origin: &str, key: &str) -> Result<String, ConfigError> {
    let invalid = || ConfigError::Invalid {
        key: key.to_owned(),
        message: format!("{origin:?} is not an origin like https://shop.example.com"),
    };
    let url = Url::parse(origin.trim()).map_err(|_| invalid())?;
    let plain = matches!(url.scheme(), "http" | "https")
        // Exact hosts only: a wildcard would read as a promise this check does not keep.
        && url.host_str().is_some_and(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-[]:".contains(c))
        })
        && url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        // `Url` adds the "/" itself; any other path was typed and means a misunderstanding.
        && !origin.trim().trim_end_matches('/').ends_with(':');
    if !plain {
        return Err(invalid());
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
#[path = "identity_tests.rs"]
mod tests;
