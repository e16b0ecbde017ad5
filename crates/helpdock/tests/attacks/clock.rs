//! The short-TTL proxy's clock, so a guest pass can be seen expiring without waiting for it.

use crate::proxy::Proxy;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How the short-TTL proxy's guest pass (TTL 60 s, the configurable minimum) gets old: with
/// libfaketime, that one process's wall clock is moved 2 hours ahead; without it, the suite
/// waits the minute out (install libfaketime to save it).
pub struct Clock {
    /// The file libfaketime reads the offset from, when the library is installed.
    offset_file: Option<PathBuf>,
}

const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

impl Clock {
    pub fn new(dir: &Path) -> Clock {
        let offset_file = Path::new(LIBFAKETIME).exists().then(|| {
            let file = dir.join("faketime-offset");
            std::fs::write(&file, "+0\n").expect("faketime offset");
            file
        });
        Clock { offset_file }
    }

    pub fn start(&self, config: &Path) -> Result<Proxy, String> {
        let Some(file) = &self.offset_file else {
            return Proxy::start(config);
        };
        let env: [(&str, &Path); 4] = [
            ("LD_PRELOAD", LIBFAKETIME.as_ref()),
            ("FAKETIME_TIMESTAMP_FILE", file),
            ("FAKETIME_NO_CACHE", "1".as_ref()),
            ("FAKETIME_DONT_FAKE_MONOTONIC", "1".as_ref()),
        ];
        Proxy::start_with(config, &env)
    }

    /// Makes the proxy's clock read more than the TTL past `since`.
    pub async fn pass(&self, since: Instant) {
        match &self.offset_file {
            Some(file) => std::fs::write(file, "+2h\n").expect("faketime offset"),
            None => {
                eprintln!("libfaketime not installed: waiting 61 s for a guest pass to expire");
                let ttl = Duration::from_secs(61);
                tokio::time::sleep(ttl.saturating_sub(since.elapsed())).await;
            }
        }
    }
}
