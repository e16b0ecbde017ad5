//! `[limits]` in the config file `helpdock serve` reads (docs/configuration.md).

use helpdock::config::Config;
use helpdock::perimeter::LimitsConfig;

const BASE: &str = r#"
upstream_url = "http://127.0.0.1:9/api/"
upstream_token = "tok-0123456789"

[[sites]]
id = "shop"
origins = ["https://shop.example.com"]
identity_secret = "shop-secret-0123456789"
"#;

fn load(limits: &str) -> Result<Config, String> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("helpdock.toml");
    std::fs::write(&path, format!("{BASE}\n{limits}")).expect("write");
    Config::load(Some(&path), &|_| None).map_err(|e| e.to_string())
}

#[test]
fn limits_are_read_and_default_when_absent() {
    let config = load("").expect("valid");
    assert_eq!(config.limits, LimitsConfig::default());
    let config = load("[limits]\ncreate_burst = 3\ntrusted_proxy_hops = 1\n").expect("valid");
    assert_eq!(config.limits.create_burst, 3);
    assert_eq!(config.limits.trusted_proxy_hops, 1);
    assert_eq!(config.limits.reply_per_hour, 120);
}

#[test]
fn bad_limits_stop_the_start_naming_the_key() {
    for (table, key) in [
        ("[limits]\ncreate_burst = 0\n", "limits.create_burst"),
        ("[limits]\nmin_fill_ms = 600000\n", "limits.min_fill_ms"),
        (
            "[limits]\ntrusted_proxy_hops = 99\n",
            "limits.trusted_proxy_hops",
        ),
        ("[limits]\nburst = 5\n", "burst"),
    ] {
        let err = load(table).expect_err(table);
        assert!(err.contains(key), "{table}: {err}");
    }
}
