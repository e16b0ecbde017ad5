//! The Redis backend: one multiplexed connection (re-established by itself), every operation
//! bounded in time, and every read-modify-write one Lua script, so instances never race.
//!
//! Keys: `helpdock:<site>:idem:<scope>` (an idempotency record), `helpdock:<site>:rate:<action>:
//! <ip|visitor>:<id>` (a bucket). Scopes and visitors are SHA-256 digests: Redis holds no email,
//! no token and no identity secret.

use super::StateUnavailable;
use crate::secret::Secret;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Script, Value};
use std::sync::LazyLock;
use std::time::Duration;

/// One Redis round trip may take this long; beyond, the state counts as unavailable.
const OP_TIMEOUT: Duration = Duration::from_millis(1000);

/// Claims a key if nobody holds it; otherwise returns what is there.
/// KEYS[1] the record; ARGV[1] our pending value, ARGV[2] its lifetime in ms.
static CLAIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'run'} end
          local found = redis.call('GET', KEYS[1])
          if not found then return {'again'} end
          return {'found', found}",
    )
});

/// Replaces our pending value by ARGV[2] for ARGV[3] ms, or (ARGV[2] empty) deletes it — only if
/// the record is still ours (ARGV[1]): a claim taken over as stale belongs to another. Done
/// already (a retry after a lost reply) counts as done.
static FINISH: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"local now = redis.call('GET', KEYS[1])
          if ARGV[2] ~= '' and now == ARGV[2] then return 1 end
          if ARGV[2] == '' and not now then return 1 end
          if now ~= ARGV[1] then return 0 end
          if ARGV[2] == '' then redis.call('DEL', KEYS[1])
          else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
          return 1",
    )
});

/// GCRA on the server's clock: KEYS[1] holds the bucket's "full again" time in ms; ARGV[1] the
/// interval per request, ARGV[2] the tolerance (interval × (burst − 1)). Returns 0 when a token
/// was taken, else the ms to wait.
static TAKE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          local full = tonumber(redis.call('GET', KEYS[1]) or now)
          if full < now then full = now end
          local interval, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2])
          if full > now + tolerance then return full - now - tolerance end
          local next = full + interval
          redis.call('SET', KEYS[1], next, 'PX', next - now)
          return 0",
    )
});

/// What a claim found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Claimed {
    /// The key is ours now.
    Run,
    /// Someone holds it: their pending value or a stored answer.
    Found(String),
    /// It vanished between our two looks: claim again.
    Again,
}

/// A Redis every proxy instance shares; cheap to clone.
#[derive(Clone)]
pub struct SharedRedis {
    connection: ConnectionManager,
}

impl std::fmt::Debug for SharedRedis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: never shown.
        f.debug_struct("SharedRedis").finish_non_exhaustive()
    }
}

impl SharedRedis {
    /// Connects to `url`; fails when Redis cannot be reached now (the proxy will not start on a
    /// state it cannot use). Later outages are survived: the connection comes back by itself.
    pub async fn connect(url: &Secret) -> Result<SharedRedis, String> {
        // redis's own errors may quote the URL, password included: never pass them on.
        let client = redis::Client::open(url.expose())
            .map_err(|e| format!("the Redis URL is not usable ({:?})", e.kind()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(OP_TIMEOUT)
            .set_response_timeout(OP_TIMEOUT)
            .set_number_of_retries(2)
            .set_max_delay(500);
        let connecting = ConnectionManager::new_with_config(client, config);
        let connection = match tokio::time::timeout(OP_TIMEOUT * 5, connecting).await {
            Ok(Ok(connection)) => connection,
            Ok(Err(e)) => return Err(format!("cannot reach Redis ({:?})", e.kind())),
            Err(_) => return Err("cannot reach Redis (timed out)".into()),
        };
        let shared = SharedRedis { connection };
        shared
            .ping()
            .await
            .map_err(|e| format!("Redis does not answer: {e}"))?;
        Ok(shared)
    }

    /// `PING`: whether Redis answers now.
    pub async fn ping(&self) -> Result<(), StateUnavailable> {
        let mut connection = self.connection.clone();
        let cmd = redis::cmd("PING");
        bounded("PING", async move {
            cmd.query_async::<String>(&mut connection).await
        })
        .await
        .map(drop)
    }

    /// `GET key`: its value, if any.
    pub(crate) async fn get(&self, key: &str) -> Result<Option<String>, StateUnavailable> {
        let mut connection = self.connection.clone();
        let mut cmd = redis::cmd("GET");
        cmd.arg(key);
        bounded("GET", async move { cmd.query_async(&mut connection).await }).await
    }

    /// `SET key value PX lifetime`.
    pub(crate) async fn set(
        &self,
        key: &str,
        value: &str,
        lifetime: Duration,
    ) -> Result<(), StateUnavailable> {
        let mut connection = self.connection.clone();
        let mut cmd = redis::cmd("SET");
        cmd.arg(key).arg(value).arg("PX").arg(millis(lifetime));
        bounded("SET", async move {
            cmd.query_async::<()>(&mut connection).await
        })
        .await
    }

    /// Claims the idempotency record `key` with `pending` for `lifetime`.
    pub(crate) async fn claim(
        &self,
        key: &str,
        pending: &str,
        lifetime: Duration,
    ) -> Result<Claimed, StateUnavailable> {
        let mut connection = self.connection.clone();
        let mut call = CLAIM.key(key);
        call.arg(pending).arg(millis(lifetime));
        let answer: Vec<Value> =
            bounded(
                "claim",
                async move { call.invoke_async(&mut connection).await },
            )
            .await?;
        match answer.as_slice() {
            [Value::BulkString(tag)] if tag == b"run" => Ok(Claimed::Run),
            [Value::BulkString(tag)] if tag == b"again" => Ok(Claimed::Again),
            [Value::BulkString(tag), Value::BulkString(found)] if tag == b"found" => {
                Ok(Claimed::Found(String::from_utf8_lossy(found).into_owned()))
            }
            other => Err(StateUnavailable(format!(
                "claim: unexpected answer of {} values",
                other.len()
            ))),
        }
    }

    /// Stores `answer` under `key` for `lifetime` (or with `None` deletes it), if the record is
    /// still our `pending` one; whether it was.
    pub(crate) async fn finish(
        &self,
        key: &str,
        pending: &str,
        answer: Option<&str>,
        lifetime: Duration,
    ) -> Result<bool, StateUnavailable> {
        let mut connection = self.connection.clone();
        let mut call = FINISH.key(key);
        call.arg(pending)
            .arg(answer.unwrap_or(""))
            .arg(millis(lifetime));
        let done: i64 = bounded(
            "finish",
            async move { call.invoke_async(&mut connection).await },
        )
        .await?;
        Ok(done == 1)
    }

    /// Takes a token from the bucket `key` (GCRA: `interval` per request, `tolerance` ahead),
    /// or says how long until one is there.
    pub(crate) async fn take(
        &self,
        key: &str,
        interval: Duration,
        tolerance: Duration,
    ) -> Result<Result<(), Duration>, StateUnavailable> {
        let mut connection = self.connection.clone();
        let mut call = TAKE.key(key);
        call.arg(millis(interval)).arg(millis(tolerance));
        let wait: u64 = bounded(
            "take",
            async move { call.invoke_async(&mut connection).await },
        )
        .await?;
        Ok(match wait {
            0 => Ok(()),
            ms => Err(Duration::from_millis(ms)),
        })
    }
}

/// `op` within [`OP_TIMEOUT`]; any failure is the state being unavailable.
async fn bounded<T>(
    what: &str,
    op: impl Future<Output = redis::RedisResult<T>>,
) -> Result<T, StateUnavailable> {
    match tokio::time::timeout(OP_TIMEOUT, op).await {
        Ok(Ok(value)) => Ok(value),
        // The kind and code only: a message could quote a key or a value.
        Ok(Err(e)) => Err(StateUnavailable(format!(
            "Redis {what}: {:?} {}",
            e.kind(),
            e.code().unwrap_or("")
        ))),
        Err(_) => Err(StateUnavailable(format!("Redis {what}: timed out"))),
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}
