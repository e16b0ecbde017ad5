//! `helpdock serve`'s settings: a TOML file, overridden by `HELPDOCK_*` environment variables.
//! Every refusal names the key (or variable) at fault.

mod form;
mod identity;
mod state;

pub use form::SiteForm;
pub use identity::{DEFAULT_GUEST_PASS_TTL, MIN_SECRET_CHARS, SiteConfig};

use crate::catalog::CatalogConfig;
use crate::identity::StaffList;
use crate::operations::logs::LogFormat;
use crate::perimeter::{LimitsConfig, PublicOrigin};
use crate::secret::Secret;
use crate::server::ServerConfig;
use crate::state::StateBackend;
use crate::upstream::HelpdeskTimeZone;
use reqwest::Url;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the proxy listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The assets dir unless told otherwise, relative to the working directory.
pub const DEFAULT_ASSETS_DIR: &str = "pkg";
/// How long one upstream call may take unless told otherwise.
pub const DEFAULT_UPSTREAM_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest upstream timeout accepted; more would keep visitors waiting for nothing.
const MAX_TIMEOUT_SECS: u64 = 300;

/// Everything `helpdock serve` needs, checked.
#[derive(Clone, Debug)]
pub struct Config {
    /// The helpdesk's API base, always ending in `/`.
    pub upstream_url: Url,
    /// The helpdesk's API token.
    pub upstream_token: Secret,
    /// How long one upstream call may take.
    pub upstream_timeout: Duration,
    /// The zone the helpdesk writes its zone-less times in (UTC unless set).
    pub helpdesk_timezone: HelpdeskTimeZone,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// Where browsers reach the proxy; `None`: `http://` + the bound address (warned at start).
    pub public_url: Option<PublicOrigin>,
    /// The widget's files.
    pub assets_dir: PathBuf,
    /// Believe `X-Helpdock-Email` as the visitor's identity (intranets only).
    pub trust_browser_email: bool,
    /// The key guest passes are signed with; `None`: a random key per start.
    pub guest_pass_secret: Option<Secret>,
    /// How long a guest pass lasts.
    pub guest_pass_ttl: Duration,
    /// Addresses and domains that may never act as visitors.
    pub staff: StaffList,
    /// The sites this proxy serves (at least one, ids unique).
    pub sites: Vec<SiteConfig>,
    /// `[limits]`: rate limits, the bot check's timing, proxies to trust.
    pub limits: LimitsConfig,
    /// `[server]`: connection timeouts and the connection cap.
    pub server: ServerConfig,
    /// `[catalog]`: how long categories and custom fields are kept.
    pub catalog: CatalogConfig,
    /// Where `/metrics` is served; `None`: nowhere (and nothing is recorded).
    pub metrics_listen: Option<SocketAddr>,
    /// How log lines are written.
    pub log_format: LogFormat,
    /// `[state]`: where idempotency keys, rate limits and owners are kept.
    pub state: StateBackend,
}

/// A setting that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The config file is not valid TOML or has unknown keys or wrong types.
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    /// A required setting is absent.
    #[error("{key} is not set: {hint}")]
    Missing { key: String, hint: &'static str },
    /// A setting has an unusable value.
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
}

/// The TOML file's keys; all optional because the environment may supply them.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    upstream_url: Option<String>,
    upstream_token: Option<Secret>,
    upstream_token_file: Option<PathBuf>,
    upstream_timeout_secs: Option<u64>,
    helpdesk_timezone: Option<String>,
    listen: Option<String>,
    public_url: Option<String>,
    assets_dir: Option<PathBuf>,
    trust_browser_email: Option<bool>,
    guest_pass_secret: Option<Secret>,
    guest_pass_secret_file: Option<PathBuf>,
    guest_pass_ttl_secs: Option<u64>,
    staff_emails: Option<Vec<String>>,
    staff_domains: Option<Vec<String>>,
    #[serde(default)]
    sites: Vec<identity::FileSite>,
    #[serde(default)]
    limits: LimitsConfig,
    #[serde(default)]
    server: ServerConfig,
    #[serde(default)]
    catalog: CatalogConfig,
    metrics_listen: Option<String>,
    log_format: Option<String>,
    #[serde(default)]
    state: crate::state::FileState,
}

/// A value and the key it came from, so an error can name it.
struct Setting<T> {
    value: T,
    key: String,
}

/// Looks up an environment variable; injected so tests need not touch the process environment.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, for [`Config::load`].
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// What `helpdock sign` needs of the configuration: the sites and the staff, nothing upstream.
#[derive(Debug)]
pub struct SigningConfig {
    /// The sites, with their identity secrets (checked as for `serve`).
    pub sites: Vec<SiteConfig>,
    /// Addresses that may never act as visitors.
    pub staff: StaffList,
}

impl SigningConfig {
    /// Reads the identity settings of `file` (if any) and the environment, checked as `serve`
    /// checks them; the upstream settings may be absent.
    pub fn load(file: Option<&Path>, env: Env) -> Result<SigningConfig, ConfigError> {
        let fc = file.map(read_file).transpose()?.unwrap_or_default();
        let file_key = file_key_in(file);
        let identity = identity::identity_settings(env, &fc, &file_key)?;
        Ok(SigningConfig {
            sites: identity.sites,
            staff: identity.staff,
        })
    }
}

/// Names a setting of `file` in errors: `key (in FILE)`.
fn file_key_in(file: Option<&Path>) -> impl Fn(&str) -> String {
    let suffix = file
        .map(|p| format!(" (in {})", p.display()))
        .unwrap_or_default();
    move |key: &str| format!("{key}{suffix}")
}

impl Config {
    /// Reads `file` (if any), applies the environment on top, and checks every value.
    pub fn load(file: Option<&Path>, env: Env) -> Result<Config, ConfigError> {
        let fc = file.map(read_file).transpose()?.unwrap_or_default();
        let file_key = file_key_in(file);
        let pick = |var: &str, key: &str, from_file: Option<String>| {
            env(var)
                .map(|value| Setting {
                    value,
                    key: var.to_owned(),
                })
                .or_else(|| {
                    from_file.map(|value| Setting {
                        value,
                        key: file_key(key),
                    })
                })
        };
        let url = pick(
            "HELPDOCK_UPSTREAM_URL",
            "upstream_url",
            fc.upstream_url.clone(),
        )
        .ok_or(ConfigError::Missing {
            key: "HELPDOCK_UPSTREAM_URL (or upstream_url in the config file)".into(),
            hint: "the helpdesk's API base, e.g. https://helpdesk.example.com/api/",
        })?;
        let token = upstream_token(env, &fc, &file_key)?;
        let timeout = pick(
            "HELPDOCK_UPSTREAM_TIMEOUT_SECS",
            "upstream_timeout_secs",
            fc.upstream_timeout_secs.map(|s| s.to_string()),
        );
        let zone = pick(
            "HELPDOCK_HELPDESK_TIMEZONE",
            "helpdesk_timezone",
            fc.helpdesk_timezone.clone(),
        );
        let listen = pick("HELPDOCK_LISTEN", "listen", fc.listen.clone());
        let public_url = pick("HELPDOCK_PUBLIC_URL", "public_url", fc.public_url.clone());
        let metrics_listen = pick(
            "HELPDOCK_METRICS_LISTEN",
            "metrics_listen",
            fc.metrics_listen.clone(),
        );
        let log_format = pick("HELPDOCK_LOG_FORMAT", "log_format", fc.log_format.clone());
        let assets = pick(
            "HELPDOCK_ASSETS_DIR",
            "assets_dir",
            fc.assets_dir.as_ref().map(|p| p.display().to_string()),
        );
        let upstream_url = parse_upstream_url(url)?;
        let upstream_timeout = timeout
            .map(parse_timeout)
            .transpose()?
            .unwrap_or(DEFAULT_UPSTREAM_TIMEOUT);
        let helpdesk_timezone = zone
            .map(|setting| {
                HelpdeskTimeZone::named(&setting.value).map_err(|message| ConfigError::Invalid {
                    key: setting.key,
                    message,
                })
            })
            .transpose()?
            .unwrap_or_default();
        let listen = listen_from(listen)?;
        let public_url = public_url
            .map(|setting| {
                PublicOrigin::parse(&setting.value).map_err(|message| ConfigError::Invalid {
                    key: setting.key,
                    message,
                })
            })
            .transpose()?;
        let metrics_listen = metrics_listen
            .map(|setting| listen_from(Some(setting)))
            .transpose()?;
        let log_format = log_format
            .map(|setting| {
                setting
                    .value
                    .parse()
                    .map_err(|message| ConfigError::Invalid {
                        key: setting.key,
                        message,
                    })
            })
            .transpose()?
            .unwrap_or_default();
        if metrics_listen.is_some_and(|m| m == listen && m.port() != 0) {
            return Err(ConfigError::Invalid {
                key: file_key("metrics_listen"),
                message: "must differ from listen: metrics are never served on the widget's origin"
                    .into(),
            });
        }
        let state = state::state_backend(env, &fc, &file_key)?;
        let identity = identity::identity_settings(env, &fc, &file_key)?;
        fc.limits.validate().map_err(|e| ConfigError::Invalid {
            key: file_key(&format!("limits.{}", e.key)),
            message: e.message,
        })?;
        fc.server
            .validate()
            .map_err(|(key, message)| ConfigError::Invalid {
                key: file_key(&format!("server.{key}")),
                message,
            })?;
        fc.catalog
            .validate()
            .map_err(|(key, message)| ConfigError::Invalid {
                key: file_key(&format!("catalog.{key}")),
                message,
            })?;
        Ok(Config {
            upstream_url,
            upstream_token: token,
            upstream_timeout,
            helpdesk_timezone,
            listen,
            public_url,
            assets_dir: assets.map_or_else(
                || PathBuf::from(DEFAULT_ASSETS_DIR),
                |s| PathBuf::from(s.value),
            ),
            trust_browser_email: identity.trust_browser_email,
            guest_pass_secret: identity.guest_pass_secret,
            guest_pass_ttl: identity.guest_pass_ttl,
            staff: identity.staff,
            sites: identity.sites,
            limits: fc.limits.clone(),
            server: fc.server.clone(),
            catalog: fc.catalog.clone(),
            metrics_listen,
            log_format,
            state,
        })
    }
}

/// `HELPDOCK_LISTEN`, or the default address.
pub fn listen_from_env(env: Env) -> Result<SocketAddr, ConfigError> {
    listen_from(env("HELPDOCK_LISTEN").map(|value| Setting {
        value,
        key: "HELPDOCK_LISTEN".into(),
    }))
}

/// `HELPDOCK_ASSETS_DIR`, or the default directory.
pub fn assets_dir_from_env(env: Env) -> PathBuf {
    env("HELPDOCK_ASSETS_DIR").map_or_else(|| PathBuf::from(DEFAULT_ASSETS_DIR), PathBuf::from)
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::ReadFile {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_owned(),
        message: describe_toml_error(&text, &e),
    })
}

/// toml's message with the line and key it concerns, but without toml's excerpt of the file:
/// that line may be the token's.
fn describe_toml_error(text: &str, err: &toml::de::Error) -> String {
    let Some(span) = err.span() else {
        return err.message().to_owned();
    };
    let line_no = text[..span.start.min(text.len())].matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    let key = line.split_once('=').map(|(k, _)| k.trim()).filter(|k| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    });
    match key {
        Some(key) => format!("line {line_no}, key {key}: {}", err.message()),
        None => format!("line {line_no}: {}", err.message()),
    }
}

/// The token from, in order: `HELPDOCK_UPSTREAM_TOKEN`, `HELPDOCK_UPSTREAM_TOKEN_FILE`, the file's
/// `upstream_token`, the file's `upstream_token_file`. Two sources at one level are a mistake.
fn upstream_token(
    env: Env,
    fc: &FileConfig,
    file_key: &dyn Fn(&str) -> String,
) -> Result<Secret, ConfigError> {
    const VAR: &str = "HELPDOCK_UPSTREAM_TOKEN";
    let sources = SecretSources {
        env_var: Some(VAR),
        value: fc.upstream_token.clone(),
        path: fc.upstream_token_file.clone(),
        value_key: file_key("upstream_token"),
        path_key: file_key("upstream_token_file"),
    };
    let (token, key) = load_secret(env, sources)?.ok_or_else(|| ConfigError::Missing {
        key: format!("{VAR} (or {VAR}_FILE, or upstream_token in the config file)"),
        hint: "the helpdesk's API token",
    })?;
    // It travels in a header: anything but visible ASCII would be refused there, or worse, mangled.
    if !token.expose().chars().all(|c| c.is_ascii_graphic()) {
        return Err(ConfigError::Invalid {
            key,
            message: "the token may only hold visible ASCII characters".into(),
        });
    }
    Ok(token)
}

/// Where one secret may come from: an environment variable and its `_FILE` twin (which win), or
/// the config file's value and `_file` keys.
struct SecretSources<'a> {
    env_var: Option<&'a str>,
    value: Option<Secret>,
    path: Option<PathBuf>,
    value_key: String,
    path_key: String,
}

/// The secret and the key it came from, `None` if no source is set; two sources at one level,
/// an unreadable file or a blank value are errors naming the key.
fn load_secret(env: Env, sources: SecretSources) -> Result<Option<(Secret, String)>, ConfigError> {
    let env_pair = sources.env_var.map(|var| {
        let file_var = format!("{var}_FILE");
        (
            env(var).map(Secret::new),
            env(&file_var).map(PathBuf::from),
            var.to_owned(),
            file_var,
        )
    });
    let (value, path, value_key, path_key) = match env_pair {
        Some(pair) if pair.0.is_some() || pair.1.is_some() => pair,
        _ => (
            sources.value,
            sources.path,
            sources.value_key,
            sources.path_key,
        ),
    };
    let (secret, key) = match (value, path) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::Invalid {
                key: value_key,
                message: format!("set either it or {path_key}, not both"),
            });
        }
        (Some(secret), None) => (secret, value_key),
        (None, Some(path)) => (read_token_file(&path, &path_key)?, path_key),
        (None, None) => return Ok(None),
    };
    if secret.is_blank() {
        return Err(ConfigError::Invalid {
            key,
            message: "the secret is empty".into(),
        });
    }
    Ok(Some((secret, key)))
}

/// A token file's content without its trailing newline (as `echo tok > file` leaves it).
fn read_token_file(path: &Path, key: &str) -> Result<Secret, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Invalid {
        key: key.to_owned(),
        message: format!("cannot read {}: {e}", path.display()),
    })?;
    Ok(Secret::new(text.trim_end_matches(['\n', '\r'])))
}

fn parse_upstream_url(setting: Setting<String>) -> Result<Url, ConfigError> {
    let invalid = |message: &str| ConfigError::Invalid {
        key: setting.key.clone(),
        message: message.to_owned(),
    };
    let mut url =
        Url::parse(setting.value.trim()).map_err(|e| invalid(&format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid("must be an http:// or https:// URL with a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not hold credentials; the token is configured separately",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    // Scripts are joined onto the base: without the slash, `.../api` + `x.php` would be `.../x.php`.
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn parse_timeout(setting: Setting<String>) -> Result<Duration, ConfigError> {
    match setting.value.trim().parse::<u64>() {
        Ok(secs @ 1..=MAX_TIMEOUT_SECS) => Ok(Duration::from_secs(secs)),
        _ => Err(ConfigError::Invalid {
            key: setting.key,
            message: format!("must be a whole number of seconds from 1 to {MAX_TIMEOUT_SECS}"),
        }),
    }
}

fn listen_from(setting: Option<Setting<String>>) -> Result<SocketAddr, ConfigError> {
    let Some(setting) = setting else {
        return DEFAULT_LISTEN.parse().map_err(|_| ConfigError::Invalid {
            key: "listen".into(),
            message: "the built-in default is invalid".into(),
        });
    };
    setting
        .value
        .trim()
        .parse()
        .map_err(|_| ConfigError::Invalid {
            key: setting.key,
            message: format!("{:?} is not an address like 127.0.0.1:8080", setting.value),
        })
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
