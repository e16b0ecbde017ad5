//! `[state]` read and checked: the backend, and for Redis its URL (a secret: it may hold the
//! password) from `HELPDOCK_REDIS_URL(_FILE)` or the file's `redis_url(_file)`.

use super::{ConfigError, Env, FileConfig, SecretSources, load_secret};
use crate::state::StateBackend;

/// The state backend `fc` and `env` name; `HELPDOCK_STATE_BACKEND` wins over the file.
pub(super) fn state_backend(
    env: Env,
    fc: &FileConfig,
    file_key: &dyn Fn(&str) -> String,
) -> Result<StateBackend, ConfigError> {
    let (name, key) = match env("HELPDOCK_STATE_BACKEND") {
        Some(name) => (name, "HELPDOCK_STATE_BACKEND".to_owned()),
        None => (
            fc.state.backend.clone().unwrap_or_else(|| "memory".into()),
            file_key("state.backend"),
        ),
    };
    let sources = SecretSources {
        env_var: Some("HELPDOCK_REDIS_URL"),
        value: fc.state.redis_url.clone(),
        path: fc.state.redis_url_file.clone(),
        value_key: file_key("state.redis_url"),
        path_key: file_key("state.redis_url_file"),
    };
    let url = load_secret(env, sources)?;
    match (name.trim(), url) {
        ("memory", None) => Ok(StateBackend::Memory),
        ("memory", Some((_, url_key))) => Err(ConfigError::Invalid {
            key: url_key,
            message: "a Redis URL is set but the state backend is memory: set backend = \"redis\" \
                      or remove the URL"
                .into(),
        }),
        ("redis", Some((url, url_key))) => {
            let scheme = url.expose().split_once("://").map(|(s, _)| s);
            match scheme {
                Some("redis" | "rediss") => Ok(StateBackend::Redis { url }),
                // Never echo the URL: it may hold the password.
                _ => Err(ConfigError::Invalid {
                    key: url_key,
                    message: "must be a redis:// or rediss:// URL".into(),
                }),
            }
        }
        ("redis", None) => Err(ConfigError::Missing {
            key: "HELPDOCK_REDIS_URL (or redis_url / redis_url_file in [state])".into(),
            hint: "the Redis every proxy shares, e.g. redis://127.0.0.1:6379/0",
        }),
        (other, _) => Err(ConfigError::Invalid {
            key,
            message: format!("{other:?} is not a state backend: use memory or redis"),
        }),
    }
}
