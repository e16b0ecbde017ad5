//! The HTTP surface: CORS, sites, paths, methods, and the upstream as an untrusted text source.

use crate::case::{Case, Target::*, as_email, header_absent, header_is, hides, no_call};
use crate::http::{Answer, Req};
use crate::world::{VICTIM, World, key, ticket};
use reference_helpdesk::Fault;

const CATEGORIES: &str = "/api/ticket_categories.php";
const LIST: &str = "/api/tickets_list.php";
const CREATE: &str = "/api/tickets_create.php";

/// A browser's preflight for a POST with the widget's headers.
fn preflight(origin: &str) -> Req {
    Req::new("OPTIONS", CREATE)
        .without("X-Helpdock-Site")
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,idempotency-key,x-helpdock-site,x-helpdock-identity",
        )
}

/// A path the six endpoints do not have: 404, nothing upstream.
fn unknown(name: &'static str, path: &str) -> Case {
    Case::new(name, Main, Req::get(path))
        .expect(404, "not_found")
        .upstream(no_call())
}

/// A known path with another method: 405, nothing upstream.
fn wrong_method(name: &'static str, method: &str, path: &str) -> Case {
    Case::new(name, Main, Req::new(method, path))
        .expect(405, "method_not_allowed")
        .upstream(no_call())
}

/// An asset path trying to climb out of the assets dir: a 404 of any shape, no canary.
fn traversal(name: &'static str, path: &str) -> Case {
    Case::new(name, Main, Req::get(path).without("Origin"))
        .expect(404, "not_found")
        .expect(404, "")
        .upstream(no_call())
        .check(hides("TRAVERSAL-CANARY".to_owned()))
}

fn allow_headers_complete(answers: &[Answer]) -> Result<(), String> {
    let got = crate::case::last(answers)
        .header("access-control-allow-headers")
        .unwrap_or("")
        .to_ascii_lowercase();
    let want = [
        "content-type",
        "idempotency-key",
        "x-helpdock-site",
        "x-helpdock-identity",
        "x-helpdock-guest-pass",
        "x-helpdock-email",
    ];
    match want
        .iter()
        .find(|h| !got.split(',').any(|g| g.trim() == **h))
    {
        Some(missing) => Err(format!("Allow-Headers {got:?} lacks {missing}")),
        None => Ok(()),
    }
}

pub fn cases(w: &World) -> Vec<Case> {
    let own_origin = w
        .addr(Main)
        .map(|a| format!("http://{a}"))
        .unwrap_or_default();
    vec![
        // --- CORS
        Case::new(
            "cors_disallowed_origin",
            Main,
            Req::get(CATEGORIES).header("Origin", "https://evil.example"),
        )
        .expect(403, "forbidden_origin")
        .upstream(no_call())
        .check(header_absent("access-control-allow-origin")),
        Case::new(
            "cors_disallowed_origin_with_identity",
            Main,
            Req::get(LIST)
                .identity(&w.id(VICTIM))
                .header("Origin", "https://evil.example"),
        )
        .expect(403, "forbidden_origin")
        .upstream(no_call()),
        Case::new(
            "cors_preflight_disallowed_origin",
            Main,
            preflight("https://evil.example"),
        )
        .expect(403, "forbidden_origin")
        .upstream(no_call())
        .check(header_absent("access-control-allow-origin")),
        Case::new(
            "cors_preflight_allowed_origin",
            Main,
            preflight("https://shop.example"),
        )
        .expect(204, "")
        .upstream(no_call())
        .check(header_is(
            "access-control-allow-origin",
            "https://shop.example",
        ))
        .check(header_is("access-control-allow-methods", "GET, POST"))
        .check(header_is("access-control-max-age", "600"))
        .check(header_is("vary", "origin"))
        .check(header_absent("access-control-allow-credentials"))
        .check(allow_headers_complete),
        Case::new(
            "cors_allowed_get_without_credentials",
            Main,
            Req::get(CATEGORIES),
        )
        .expect(200, "")
        .check(header_is(
            "access-control-allow-origin",
            "https://shop.example",
        ))
        .check(header_is(
            "access-control-expose-headers",
            "retry-after, x-request-id",
        ))
        .check(header_absent("access-control-allow-credentials")),
        Case::new(
            "cors_proxy_own_origin_allowed",
            Main,
            Req::get(CATEGORIES).header("Origin", &own_origin),
        )
        .expect(200, ""),
        Case::new(
            "cors_origin_suffix_trick",
            Main,
            Req::get(CATEGORIES).header("Origin", "https://shop.example.evil.example"),
        )
        .expect(403, "forbidden_origin")
        .upstream(no_call()),
        Case::new(
            "cors_origin_scheme_downgrade",
            Main,
            Req::get(CATEGORIES).header("Origin", "http://shop.example"),
        )
        .expect(403, "forbidden_origin")
        .upstream(no_call()),
        Case::new(
            "cors_origin_null",
            Main,
            Req::get(CATEGORIES).header("Origin", "null"),
        )
        .expect(403, "forbidden_origin")
        .upstream(no_call()),
        Case::new(
            "cors_origin_of_another_site",
            Strict,
            Req::get(CATEGORIES).header("Origin", "https://blog.example"),
        )
        .expect(403, "forbidden_origin")
        .upstream(no_call()),
        // --- sites
        Case::new(
            "site_header_missing_with_two_sites",
            Strict,
            Req::get(CATEGORIES).without("X-Helpdock-Site"),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "site_header_missing_on_list_with_two_sites",
            Strict,
            Req::get(LIST)
                .identity(&w.id(VICTIM))
                .without("X-Helpdock-Site"),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        Case::new(
            "site_header_unknown",
            Main,
            Req::get(CATEGORIES).header("X-Helpdock-Site", "admin"),
        )
        .expect(400, "bad_request")
        .upstream(no_call()),
        // --- paths: exactly six endpoints, nothing else reaches the upstream
        unknown("path_upstream_script_not_offered", "/api/admin.php"),
        unknown("path_dotdot_segment", "/api/x/../ticket_categories.php"),
        unknown(
            "path_encoded_dotdot",
            "/api/%2e%2e/api/ticket_categories.php",
        ),
        unknown("path_trailing_slash", "/api/ticket_categories.php/"),
        unknown("path_case_variant", "/api/Ticket_Categories.PHP"),
        unknown("path_double_slash", "/api//ticket_categories.php"),
        unknown("path_semicolon_suffix", "/api/ticket_categories.php;.js"),
        unknown("path_nul_suffix", "/api/ticket_categories.php%00.js"),
        traversal("assets_dotdot_traversal", "/../canary.txt"),
        traversal("assets_encoded_traversal", "/%2e%2e/canary.txt"),
        traversal("assets_encoded_slash_traversal", "/..%2fcanary.txt"),
        // --- methods
        wrong_method("method_get_on_create", "GET", CREATE),
        wrong_method("method_delete_on_list", "DELETE", LIST),
        wrong_method("method_put_on_reply", "PUT", "/api/ticket_reply.php"),
        wrong_method("method_post_on_categories", "POST", CATEGORIES),
        wrong_method(
            "method_trace_on_view",
            "TRACE",
            "/api/ticket_view.php?ticket_id=1",
        ),
        // A request id lands in log lines: markup or oversize ones are replaced, never echoed.
        Case::new(
            "request_id_with_markup_replaced",
            Main,
            Req::get(CATEGORIES).header("X-Request-Id", "<script>alert(1)</script>"),
        )
        .expect(200, "")
        .check(|a| match crate::case::last(a).header("x-request-id") {
            Some(id)
                if id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                Ok(())
            }
            other => Err(format!("X-Request-Id: {other:?}")),
        }),
        // --- the upstream is an untrusted text source
        Case::new(
            "upstream_html_error_not_forwarded",
            Main,
            Req::get(LIST).identity(&w.id(VICTIM)),
        )
        .fault(Fault::DatabaseDown)
        .expect(502, "upstream_unavailable")
        .upstream(as_email(VICTIM))
        .check(hides("Fatal".to_owned()))
        .check(hides("/var/www".to_owned())),
        Case::new(
            "upstream_crash_on_create_not_forwarded",
            Main,
            Req::post(CREATE, ticket("crash@example.org")).key(&key()),
        )
        .fault(Fault::DatabaseDown)
        .expect(502, "upstream_unavailable")
        .check(hides("PDOException".to_owned())),
        Case::new(
            "view_markup_served_as_json",
            Main,
            Req::get(&format!(
                "/api/ticket_view.php?ticket_id={}",
                w.seeds.victim
            ))
            .identity(&w.id(VICTIM)),
        )
        .expect(200, "")
        .check(|a| match crate::case::last(a).header("content-type") {
            Some(t) if t.starts_with("application/json") => Ok(()),
            t => Err(format!("Content-Type {t:?}")),
        }),
    ]
}
