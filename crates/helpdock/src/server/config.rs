//! `[server]`: how long a connection may take over each part of a request, and how many may be
//! open at once — so slow or idle clients cannot hold the proxy's sockets and memory.

use serde::Deserialize;
use std::time::Duration;

/// The `[server]` table of the config file; every key is optional.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Seconds from waiting for a request to having all its headers (a trickle counts as slow).
    pub header_read_timeout_secs: u64,
    /// Seconds to receive a whole request body, from its headers on.
    pub body_read_timeout_secs: u64,
    /// Seconds a connection may stay silent with no request in progress (keep-alive included).
    pub idle_timeout_secs: u64,
    /// Seconds from a request's headers to its answer; beyond, `504 upstream_timeout`.
    pub request_timeout_secs: u64,
    /// Connections served at once; more wait in the listen queue until one closes.
    pub max_connections: u32,
    /// Seconds a stopping proxy (SIGTERM, Ctrl-C) gives requests in flight to finish before it
    /// exits anyway.
    pub shutdown_timeout_secs: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            header_read_timeout_secs: 10,
            body_read_timeout_secs: 30,
            idle_timeout_secs: 30,
            // Above two upstream calls at their own timeout (ownership check, then the write).
            request_timeout_secs: 60,
            max_connections: 1024,
            // Above one upstream call at its default timeout; under Kubernetes' default 30 s grace.
            shutdown_timeout_secs: 25,
        }
    }
}

/// Longer than an hour is no timeout at all, and would hide a typo (minutes for seconds).
const MAX_TIMEOUT_SECS: u64 = 3600;
/// Beyond the file descriptors a host gives a process; a larger value is a misreading.
const MAX_CONNECTIONS: u32 = 65_536;

impl ServerConfig {
    /// Checks every value is within its range; the error names the key.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let timeouts = [
            ("header_read_timeout_secs", self.header_read_timeout_secs),
            ("body_read_timeout_secs", self.body_read_timeout_secs),
            ("idle_timeout_secs", self.idle_timeout_secs),
            ("request_timeout_secs", self.request_timeout_secs),
            ("shutdown_timeout_secs", self.shutdown_timeout_secs),
        ];
        for (key, value) in timeouts {
            if !(1..=MAX_TIMEOUT_SECS).contains(&value) {
                return Err((key, range_message(MAX_TIMEOUT_SECS, value)));
            }
        }
        if !(1..=MAX_CONNECTIONS).contains(&self.max_connections) {
            let value = self.max_connections.into();
            return Err((
                "max_connections",
                range_message(MAX_CONNECTIONS.into(), value),
            ));
        }
        Ok(())
    }

    /// Time allowed for a request's headers.
    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_secs)
    }

    /// Time allowed for a whole request body.
    pub fn body_read_timeout(&self) -> Duration {
        Duration::from_secs(self.body_read_timeout_secs)
    }

    /// Silence allowed between requests.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_secs)
    }

    /// Time allowed from headers to answer.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// Time allowed, once told to stop, for requests in flight.
    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout_secs)
    }
}

fn range_message(max: u64, value: u64) -> String {
    format!("must be a whole number from 1 to {max}, not {value}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones_and_valid() {
        let parsed: ServerConfig = toml::from_str("").expect("empty table");
        assert_eq!(parsed, ServerConfig::default());
        let d = ServerConfig::default();
        assert_eq!(
            (
                d.header_read_timeout_secs,
                d.body_read_timeout_secs,
                d.idle_timeout_secs,
                d.request_timeout_secs,
                d.max_connections,
                d.shutdown_timeout_secs
            ),
            (10, 30, 30, 60, 1024, 25)
        );
        assert_eq!(d.validate(), Ok(()));
    }

    #[test]
    fn out_of_range_values_name_their_key() {
        let cases = [
            ("header_read_timeout_secs = 0", "header_read_timeout_secs"),
            ("body_read_timeout_secs = 3601", "body_read_timeout_secs"),
            ("idle_timeout_secs = 0", "idle_timeout_secs"),
            ("request_timeout_secs = 0", "request_timeout_secs"),
            ("max_connections = 0", "max_connections"),
            ("shutdown_timeout_secs = 0", "shutdown_timeout_secs"),
        ];
        for (toml_line, key) in cases {
            let config: ServerConfig = toml::from_str(toml_line).expect(key);
            assert_eq!(config.validate().map_err(|e| e.0), Err(key));
        }
        assert!(toml::from_str::<ServerConfig>("idle_timeout = 5").is_err());
    }
}
