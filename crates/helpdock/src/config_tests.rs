//! Config: precedence, token sources, and errors that name their key.

use super::*;
use std::collections::HashMap;
use std::io::Write;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

fn file_with(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(text.as_bytes()).expect("write");
    f
}

/// The one site every valid config needs; sites live only in the file.
pub(crate) const SITE: &str = "\n[[sites]]\nid = \"shop\"\norigins = [\"https://shop.example.com\"]\n\
                               identity_secret = \"shop-secret-0123456789\"\n";

fn load_err(file: Option<&Path>, env: &[(&str, &str)]) -> String {
    match Config::load(file, &env_of(env)) {
        Ok(c) => panic!("expected an error, got {c:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn env_alone_with_defaults() {
    let env = env_of(&[
        ("HELPDOCK_UPSTREAM_URL", "http://127.0.0.1:9/api"),
        ("HELPDOCK_UPSTREAM_TOKEN", "t0k"),
    ]);
    let sites = file_with(SITE);
    let c = Config::load(Some(sites.path()), &env).expect("valid");
    assert_eq!(c.upstream_url.as_str(), "http://127.0.0.1:9/api/");
    assert_eq!(c.upstream_token.expose(), "t0k");
    assert_eq!(c.upstream_timeout, DEFAULT_UPSTREAM_TIMEOUT);
    assert_eq!(c.listen.to_string(), DEFAULT_LISTEN);
    assert_eq!(
        c.public_url, None,
        "derived from the bound address at start"
    );
    assert_eq!(c.assets_dir, PathBuf::from("pkg"));
    assert!(!format!("{c:?}").contains("t0k"));
}

#[test]
fn env_overrides_file() {
    let f = file_with(&format!(
        "upstream_url = \"https://hd.example.com/api/\"\nupstream_token = \"from-file\"\n\
         listen = \"0.0.0.0:9000\"\nassets_dir = \"/srv/pkg\"\nupstream_timeout_secs = 3\n{SITE}"
    ));
    let c = Config::load(Some(f.path()), &env_of(&[])).expect("valid");
    assert_eq!(
        (
            c.upstream_url.as_str(),
            c.upstream_token.expose(),
            c.listen.port(),
            c.upstream_timeout.as_secs()
        ),
        ("https://hd.example.com/api/", "from-file", 9000, 3)
    );
    assert_eq!(c.assets_dir, PathBuf::from("/srv/pkg"));
    assert_eq!(c.public_url, None);
    let with_public = file_with(&format!(
        "upstream_url = \"https://hd.example.com/api/\"\nupstream_token = \"t\"\n\
         public_url = \"https://Support.Example.com/\"\n{SITE}"
    ));
    let c = Config::load(Some(with_public.path()), &env_of(&[])).expect("valid");
    let public = c.public_url.as_ref().map(PublicOrigin::as_str);
    assert_eq!(public, Some("https://support.example.com"));
    let env = [("HELPDOCK_PUBLIC_URL", "http://127.0.0.1:8080")];
    let c = Config::load(Some(with_public.path()), &env_of(&env)).expect("valid");
    let public = c.public_url.as_ref().map(PublicOrigin::as_str);
    assert_eq!(public, Some("http://127.0.0.1:8080"));
    let env = [
        ("HELPDOCK_LISTEN", "127.0.0.1:0"),
        ("HELPDOCK_UPSTREAM_TOKEN", "from-env"),
        ("HELPDOCK_ASSETS_DIR", "x"),
    ];
    let c = Config::load(Some(f.path()), &env_of(&env)).expect("valid");
    assert_eq!(
        (c.listen.port(), c.upstream_token.expose()),
        (0, "from-env")
    );
    assert_eq!(c.assets_dir, PathBuf::from("x"));
}

#[test]
fn token_files_lose_their_trailing_newline() {
    let token = file_with("s3cret\n");
    let path = token.path().display().to_string();
    let env = [
        ("HELPDOCK_UPSTREAM_URL", "http://h/api/"),
        ("HELPDOCK_UPSTREAM_TOKEN_FILE", path.as_str()),
    ];
    let sites = file_with(SITE);
    assert_eq!(
        Config::load(Some(sites.path()), &env_of(&env))
            .expect("valid")
            .upstream_token
            .expose(),
        "s3cret"
    );
    let f = file_with(&format!(
        "upstream_url = \"http://h/api/\"\nupstream_token_file = {path:?}\n{SITE}"
    ));
    assert_eq!(
        Config::load(Some(f.path()), &env_of(&[]))
            .expect("valid")
            .upstream_token
            .expose(),
        "s3cret"
    );
}

#[test]
fn errors_name_the_key() {
    let url = ("HELPDOCK_UPSTREAM_URL", "http://h/api/");
    let tok = ("HELPDOCK_UPSTREAM_TOKEN", "t");
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[tok], "HELPDOCK_UPSTREAM_URL"),
        (&[url], "HELPDOCK_UPSTREAM_TOKEN"),
        (
            &[("HELPDOCK_UPSTREAM_URL", "ftp://h/"), tok],
            "HELPDOCK_UPSTREAM_URL",
        ),
        (
            &[("HELPDOCK_UPSTREAM_URL", "not a url"), tok],
            "HELPDOCK_UPSTREAM_URL",
        ),
        (
            &[("HELPDOCK_UPSTREAM_URL", "http://u:p@h/api/"), tok],
            "HELPDOCK_UPSTREAM_URL",
        ),
        (
            &[url, ("HELPDOCK_UPSTREAM_TOKEN", "   ")],
            "HELPDOCK_UPSTREAM_TOKEN",
        ),
        (
            &[url, ("HELPDOCK_UPSTREAM_TOKEN", "a b")],
            "HELPDOCK_UPSTREAM_TOKEN",
        ),
        (
            &[url, tok, ("HELPDOCK_UPSTREAM_TOKEN_FILE", "/x")],
            "HELPDOCK_UPSTREAM_TOKEN",
        ),
        (
            &[url, ("HELPDOCK_UPSTREAM_TOKEN_FILE", "/nonexistent/tok")],
            "HELPDOCK_UPSTREAM_TOKEN_FILE",
        ),
        (
            &[url, tok, ("HELPDOCK_LISTEN", "localhost")],
            "HELPDOCK_LISTEN",
        ),
        (
            &[url, tok, ("HELPDOCK_UPSTREAM_TIMEOUT_SECS", "0")],
            "HELPDOCK_UPSTREAM_TIMEOUT_SECS",
        ),
        (
            &[url, tok, ("HELPDOCK_PUBLIC_URL", "support.example.com")],
            "HELPDOCK_PUBLIC_URL",
        ),
    ];
    for (env, key) in cases {
        let message = load_err(None, env);
        assert!(message.starts_with(key), "{env:?}: {message}");
    }
}

#[test]
fn file_errors_name_the_key_and_never_the_token() {
    let f = file_with(
        "upstream_url = \"http://h/api/\"\nupstream_token = \"hush\"\nlisten = \"nope\"\n",
    );
    let message = load_err(Some(f.path()), &[]);
    assert!(message.starts_with("listen (in "), "{message}");
    let f = file_with("upstream_url = \"http://h/api/\"\nupstream_tokn = \"hush\"\n");
    let message = load_err(Some(f.path()), &[]);
    assert!(
        message.contains("upstream_tokn") && !message.contains("hush"),
        "{message}"
    );
    let f = file_with("upstream_url = \"http://h/api/\"\nupstream_token = 5\n");
    let message = load_err(Some(f.path()), &[]);
    assert!(message.contains("upstream_token"), "{message}");
    assert!(
        load_err(Some(Path::new("/nonexistent/helpdock.toml")), &[])
            .contains("cannot read config file")
    );
}

#[test]
fn toml_syntax_errors_do_not_quote_the_line() {
    let f = file_with("upstream_url = \"http://h/api/\"\nupstream_token = \"hush-hush\n");
    let message = load_err(Some(f.path()), &[]);
    assert!(
        message.contains("line 2") && message.contains("upstream_token"),
        "{message}"
    );
    assert!(!message.contains("hush-hush"), "{message}");
}

#[test]
fn helpdesk_timezone_defaults_to_utc_and_names_its_key() {
    let url = ("HELPDOCK_UPSTREAM_URL", "http://127.0.0.1:9/api");
    let token = ("HELPDOCK_UPSTREAM_TOKEN", "t0k");
    let sites = file_with(SITE);
    let c = Config::load(Some(sites.path()), &env_of(&[url, token])).expect("valid");
    assert_eq!(c.helpdesk_timezone.name(), "UTC");

    let f = file_with(&format!("helpdesk_timezone = \"Europe/Berlin\"\n{SITE}"));
    let c = Config::load(Some(f.path()), &env_of(&[url, token])).expect("valid");
    assert_eq!(c.helpdesk_timezone.name(), "Europe/Berlin");
    let zone = ("HELPDOCK_HELPDESK_TIMEZONE", "America/New_York");
    let c = Config::load(Some(f.path()), &env_of(&[url, token, zone])).expect("env wins");
    assert_eq!(c.helpdesk_timezone.name(), "America/New_York");

    let bad = ("HELPDOCK_HELPDESK_TIMEZONE", "Mars/Olympus");
    let message = load_err(Some(sites.path()), &[url, token, bad]);
    assert!(
        message.starts_with("HELPDOCK_HELPDESK_TIMEZONE:"),
        "{message}"
    );
    assert!(message.contains("Mars/Olympus"), "{message}");
    let f = file_with(&format!("helpdesk_timezone = \"CET+1\"\n{SITE}"));
    let message = load_err(Some(f.path()), &[url, token]);
    assert!(message.starts_with("helpdesk_timezone (in "), "{message}");
}

#[test]
fn server_settings_are_read_and_checked() {
    let base = "upstream_url = \"http://h/api/\"\nupstream_token = \"t\"\n";
    let f = file_with(&format!("{base}{SITE}\n[server]\nidle_timeout_secs = 5\n"));
    let c = Config::load(Some(f.path()), &env_of(&[])).expect("valid");
    assert_eq!(c.server.idle_timeout_secs, 5);
    assert_eq!(
        c.server.max_connections,
        ServerConfig::default().max_connections
    );
    let f = file_with(&format!("{base}{SITE}\n[server]\nmax_connections = 0\n"));
    let message = load_err(Some(f.path()), &[]);
    assert!(
        message.starts_with("server.max_connections (in "),
        "{message}"
    );
}
