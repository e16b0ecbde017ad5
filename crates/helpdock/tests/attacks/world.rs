//! Everything the cases attack: the reference helpdesk (in process, so its call log is readable)
//! seeded with the upstream's traps, three `helpdock serve` processes in front of it, and the guest
//! passes and CLI-signed identity minted through them before the table runs.

use crate::case::Target;
use crate::clock::Clock;
use crate::http::{Answer, Req, send};
use crate::proxy::{self, BLOG_SECRET, GUEST_KEY_MAIN, GUEST_KEY_SHORT, Proxy, SHOP_SECRET};
use crate::sign;
use reference_helpdesk::{Helpdesk, Quirks, SEEDED_STAFF_EMAIL, SeedTicket};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

pub const VICTIM: &str = "victim@example.com";
pub const ATTACKER: &str = "mallory@example.net";
pub const GUEST: &str = "guest@example.org";
pub const STAFF: &str = SEEDED_STAFF_EMAIL;
/// Listed only once, by `list_cold_cache_hides_planted_ticket`, so no earlier case taught the
/// proxy who owns its tickets.
pub const COLD: &str = "cold@example.com";
/// Owns a ticket for the per-identity reply limit.
pub const LIMITED: &str = "limited@example.com";
/// A verified customer whose reply bucket an attacker tries to drain with a pass for her email.
pub const PASS_TARGET: &str = "pass-target@example.com";
/// A verified customer whose own refused replies must cost her nothing.
pub const REFUSED: &str = "refused@example.com";
/// Text only staff may read; no answer may contain it.
pub const INTERNAL_NOTE: &str = "INTERNAL-NOTE-do-not-show-c0ffee";
pub const INTERNAL_IP: &str = "10.9.8.7";

/// Ticket ids seeded straight into the helpdesk.
pub struct Seeds {
    /// The victim's own ticket, with a staff reply and internal columns filled.
    pub victim: u64,
    /// The victim's ticket whose `name` is the attacker's email (the upstream lists it to them).
    pub victim_named_attacker: u64,
    /// The attacker's ticket whose `name` is the victim's email (upstream shows it to the victim).
    pub attacker_named_victim: u64,
    pub attacker: u64,
    /// The guest's older ticket, made without the pass the guest holds.
    pub guest_old: u64,
    pub limited: u64,
    pub pass_target: u64,
    pub refused: u64,
    /// COLD's own ticket, and the attacker's ticket named after COLD.
    pub cold_own: u64,
    pub cold_planted: u64,
}

/// Credentials minted through the proxies during setup ("" when the mint failed).
#[derive(Default)]
pub struct Passes {
    /// Main proxy: the guest's pass and the one ticket it names.
    pub guest: String,
    pub guest_ticket: u64,
    /// Strict proxy (another guest-pass key), site shop.
    pub other_key: String,
    /// Strict proxy, site blog: same key, another site.
    pub blog: String,
    /// Short-TTL proxy: dead by the time the cases run.
    pub expiring: String,
    /// `helpdock sign` output for the victim (main config).
    pub cli_identity: String,
}

pub struct World {
    pub helpdesk: Helpdesk,
    pub main: Result<Proxy, String>,
    pub strict: Result<Proxy, String>,
    pub short: Result<Proxy, String>,
    /// The main proxy's settings with `trust_browser_email` on.
    pub trusting: Result<Proxy, String>,
    pub main_config: PathBuf,
    pub seeds: Seeds,
    pub passes: Passes,
    /// The short-TTL proxy's clock.
    clock: Clock,
    /// Setup steps as table rows: (name, Ok or why not).
    pub setup: Vec<(&'static str, Result<(), String>)>,
    /// Every answer received during setup, for the leak scan.
    pub setup_answers: Vec<Answer>,
    _dir: tempfile::TempDir,
}

impl World {
    pub async fn start() -> World {
        let quirks = Quirks {
            display_errors: true,
            ..Quirks::default()
        };
        let helpdesk =
            Helpdesk::open_with(None, proxy::TOKEN.to_owned(), quirks).expect("open helpdesk");
        let seeds = seed(&helpdesk);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind helpdesk");
        let upstream = listener.local_addr().expect("helpdesk addr");
        tokio::spawn(reference_helpdesk::serve(listener, helpdesk.clone()));

        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("assets")).expect("assets dir");
        std::fs::write(dir.path().join("assets/widget.js"), "/* loader */").expect("asset");
        // Beside, not inside, the assets dir: path tricks must never reach it.
        std::fs::write(dir.path().join("canary.txt"), "TRAVERSAL-CANARY").expect("canary");
        std::fs::write(dir.path().join("shop.secret"), format!("{SHOP_SECRET}\n")).expect("key");
        let strict_key = dir.path().join("strict-guest.key");
        std::fs::write(&strict_key, format!("{}\n", proxy::GUEST_KEY_STRICT)).expect("key");

        let shop_inline = proxy::site(
            "shop",
            "https://shop.example",
            &format!("identity_secret = \"{SHOP_SECRET}\""),
        );
        let main_settings = proxy::Settings {
            sites: shop_inline.clone(),
            guest_key_line: format!("guest_pass_secret = \"{GUEST_KEY_MAIN}\""),
            guest_pass_ttl_secs: 3600,
            burst: 1000,
            per_hour: 100_000,
            trusted_proxy_hops: 0,
            trust_browser_email: false,
            server: crate::slow_clients::MAIN_SERVER.to_owned(),
        };
        let main_config = proxy::write_config(dir.path(), "main", upstream, &main_settings);
        let trusting = proxy::Settings {
            trust_browser_email: true,
            ..main_settings
        };
        let trusting_config = proxy::write_config(dir.path(), "trusting", upstream, &trusting);
        let strict_sites = proxy::site(
            "shop",
            "https://shop.example",
            &format!(
                "identity_secret_file = \"{}\"",
                dir.path().join("shop.secret").display()
            ),
        ) + &proxy::site(
            "blog",
            "https://blog.example",
            &format!("identity_secret = \"{BLOG_SECRET}\""),
        );
        let strict_config = proxy::write_config(
            dir.path(),
            "strict",
            upstream,
            &proxy::Settings {
                sites: strict_sites,
                guest_key_line: format!("guest_pass_secret_file = \"{}\"", strict_key.display()),
                guest_pass_ttl_secs: 3600,
                burst: 2,
                per_hour: 1,
                trusted_proxy_hops: 1,
                trust_browser_email: false,
                server: crate::slow_clients::STRICT_SERVER.to_owned(),
            },
        );
        let short_config = proxy::write_config(
            dir.path(),
            "short",
            upstream,
            &proxy::Settings {
                sites: shop_inline,
                guest_key_line: format!("guest_pass_secret = \"{GUEST_KEY_SHORT}\""),
                guest_pass_ttl_secs: 60,
                burst: 1000,
                per_hour: 100_000,
                trusted_proxy_hops: 0,
                trust_browser_email: false,
                server: String::new(),
            },
        );
        let clock = Clock::new(dir.path());
        let mut world = World {
            helpdesk,
            main: Proxy::start(&main_config),
            strict: Proxy::start(&strict_config),
            short: clock.start(&short_config),
            trusting: Proxy::start(&trusting_config),
            main_config,
            seeds,
            passes: Passes::default(),
            clock,
            setup: Vec::new(),
            setup_answers: Vec::new(),
            _dir: dir,
        };
        world.mint().await;
        world
    }

    pub fn addr(&self, target: Target) -> Result<SocketAddr, String> {
        let proxy = match target {
            Target::Main => &self.main,
            Target::Strict => &self.strict,
            Target::ShortTtl => &self.short,
            Target::Trusting => &self.trusting,
        };
        proxy.as_ref().map(|p| p.addr).map_err(Clone::clone)
    }

    /// A valid, shop-signed identity for `email`, good for an hour.
    pub fn id(&self, email: &str) -> String {
        sign::identity(SHOP_SECRET, email, Some(sign::now() + 3600))
    }

    /// Mints guest passes and checks `helpdock sign` against the documented HMAC; then lets the
    /// short-TTL proxy's pass expire.
    async fn mint(&mut self) {
        let minted = Instant::now();
        let short = self
            .guest_create(Target::ShortTtl, "shop", "expiring@example.org")
            .await;
        let short = short.map(|(pass, _)| self.passes.expiring = pass);
        self.note("mint expiring pass (ttl 60 s)", short);
        let main = self.guest_create(Target::Main, "shop", GUEST).await;
        let main =
            main.map(|(pass, id)| (self.passes.guest, self.passes.guest_ticket) = (pass, id));
        self.note("mint guest pass (main)", main);
        let other = self
            .guest_create(Target::Strict, "shop", "otherkey@example.org")
            .await;
        let other = other.map(|(pass, _)| self.passes.other_key = pass);
        self.note("mint pass under another key", other);
        let blog = self
            .guest_create(Target::Strict, "blog", "blogger@example.org")
            .await;
        let blog = blog.map(|(pass, _)| self.passes.blog = pass);
        self.note("mint pass for another site", blog);
        let cli = self.cli_agrees();
        self.note("helpdock sign == documented HMAC", cli);
        self.clock.pass(minted).await;
    }

    fn note(&mut self, name: &'static str, result: Result<(), String>) {
        self.setup.push((name, result));
    }

    /// Creates a ticket as a guest of `site`; returns the pass and the ticket id.
    async fn guest_create(
        &mut self,
        target: Target,
        site: &str,
        email: &str,
    ) -> Result<(String, u64), String> {
        let origin = format!("https://{site}.example");
        let req = Req::post("/api/tickets_create.php", ticket(email))
            .header("X-Helpdock-Site", site)
            .header("Origin", &origin)
            .key(&key());
        let answer = send(self.addr(target)?, &req).await;
        self.setup_answers.push(answer.clone());
        let body = answer.json();
        match (
            answer.status,
            body["guest_pass"].as_str(),
            body["ticket_id"].as_u64(),
        ) {
            (201, Some(pass), Some(id)) => Ok((pass.to_owned(), id)),
            _ => Err(format!("{} {}", answer.status, answer.body)),
        }
    }

    /// `helpdock sign` with and without `--expires` names the same email and signature as ours.
    fn cli_agrees(&mut self) -> Result<(), String> {
        let expires = sign::now() + 3600;
        let with = proxy::cli_sign(
            &self.main_config,
            &[VICTIM, "--site", "shop", "--expires", &expires.to_string()],
        )?;
        let want = sign::signature(SHOP_SECRET, VICTIM, Some(expires));
        compare_cli(&with, Some(expires), &want)?;
        let without = proxy::cli_sign(&self.main_config, &[VICTIM, "--site", "shop"])?;
        let pairs = decode_pairs(&without);
        let expires = pairs.iter().find(|(k, _)| k == "expires");
        let expires = expires.and_then(|(_, v)| v.parse().ok());
        compare_cli(
            &without,
            expires,
            &sign::signature(SHOP_SECRET, VICTIM, expires),
        )?;
        self.passes.cli_identity = with;
        Ok(())
    }
}

fn compare_cli(line: &str, expires: Option<u64>, signature: &str) -> Result<(), String> {
    let pairs = decode_pairs(line);
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let ok = get("email").map(|e| sign::normalise(&e)) == Some(VICTIM.to_owned())
        && get("expires") == expires.map(|e| e.to_string())
        && get("signature").as_deref() == Some(signature);
    match ok {
        true => Ok(()),
        false => Err(format!(
            "CLI printed {line:?}, expected signature {signature}"
        )),
    }
}

/// `a=b&c=d` with percent- and plus-decoding.
pub fn decode_pairs(query: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{query}"))
        .map(|url| {
            url.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// A fresh idempotency key.
pub fn key() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "attack-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A ticket that passes every rule (seeded categories and custom fields), sent by a person.
pub fn ticket(email: &str) -> Value {
    json!({
        "subject": "Grinder arrived broken",
        "message": "The burr is cracked.",
        "user_email": email,
        "name": "Pat Doe",
        "priority": "high",
        "category_id": 2,
        "custom_fields": {"1": "ORD-1001", "2": "Pro"},
        "elapsed_ms": 4000
    })
}

/// `ticket(email)` with `key` replaced by `value` (`Null` removes it).
pub fn ticket_with(email: &str, key: &str, value: Value) -> Value {
    let mut body = ticket(email);
    let map = body.as_object_mut().expect("object");
    match value {
        Value::Null => map.remove(key),
        value => map.insert(key.to_owned(), value),
    };
    body
}

fn seed(helpdesk: &Helpdesk) -> Seeds {
    let put = |subject: &str, email: &str, name: Option<&str>| {
        let mut ticket = SeedTicket::new(subject, "Please help.", email);
        ticket.name = name.map(str::to_owned);
        helpdesk.seed_ticket(ticket).expect("seed").0 as u64
    };
    let mut victim = SeedTicket::new(
        "Victim: refund",
        "<img src=x onerror=alert(1)> card 4242",
        VICTIM,
    );
    victim.name = Some("Vic Tim".to_owned());
    victim.internal_note = Some(INTERNAL_NOTE.to_owned());
    victim.ip_address = Some(INTERNAL_IP.to_owned());
    let victim = helpdesk.seed_ticket(victim).expect("seed");
    helpdesk
        .add_reply_as(victim, STAFF, "Staff: refund issued")
        .expect("staff reply");
    Seeds {
        victim: victim.0 as u64,
        victim_named_attacker: put("Victim: named after mallory", VICTIM, Some(ATTACKER)),
        attacker_named_victim: put("Mallory: planted for the victim", ATTACKER, Some(VICTIM)),
        attacker: put("Mallory: own ticket", ATTACKER, Some("Mallory")),
        guest_old: put("Guest: older ticket", GUEST, None),
        limited: put("Limited: reply target", LIMITED, None),
        pass_target: put("Pass target: own ticket", PASS_TARGET, None),
        refused: put("Refused: own ticket", REFUSED, None),
        cold_own: put("Cold: own ticket", COLD, None),
        cold_planted: put("Mallory: planted for cold", ATTACKER, Some(COLD)),
    }
}
