//! DNS rebinding: a page at `http://evil.test:PORT` whose name the attacker points at the proxy
//! is same-origin to itself, so the browser sends `Host: evil.test:PORT` (and, for a GET, often no
//! `Origin` at all). The proxy's own name comes from its configuration, so such a request reads
//! the widget's public files and nothing else, whoever it claims to be.

use crate::case::{Case, Target, Target::*, header_is, no_call};
use crate::http::Req;
use crate::world::{VICTIM, World, key, ticket};

const LIST: &str = "/api/tickets_list.php";
const CREATE: &str = "/api/tickets_create.php";

/// `evil.test` on the port of `target`'s proxy: the name the rebinding page is served under.
fn evil(w: &World, target: Target) -> String {
    let port = w.addr(target).map(|a| a.port()).unwrap_or_default();
    format!("evil.test:{port}")
}

/// `req` as the rebinding page sends it: addressed to `evil`, from `http://evil`.
fn rebound(req: Req, evil: &str) -> Req {
    req.header("Host", evil)
        .header("Origin", &format!("http://{evil}"))
}

/// A request for the API under a foreign name: `403 forbidden_origin`, nothing upstream.
fn refused(name: &'static str, on: Target, req: Req) -> Case {
    Case::new(name, on, req)
        .expect(403, "forbidden_origin")
        .upstream(no_call())
}

pub fn cases(w: &World) -> Vec<Case> {
    let trusting = evil(w, Trusting);
    let main = evil(w, Main);
    let own = own_of(w, Main);
    vec![
        // The attack, in each identity mode.
        refused(
            "rebinding_trusted_email_reads_nothing",
            Trusting,
            rebound(Req::get(LIST), &trusting).header("X-Helpdock-Email", VICTIM),
        ),
        // A same-origin GET: browsers send no Origin, so only the Host tells.
        refused(
            "rebinding_same_origin_get_without_origin",
            Trusting,
            rebound(Req::get(LIST), &trusting)
                .without("Origin")
                .header("X-Helpdock-Email", VICTIM),
        ),
        refused(
            "rebinding_verified_identity_reads_nothing",
            Main,
            rebound(Req::get(LIST), &main).identity(&w.id(VICTIM)),
        ),
        refused(
            "rebinding_guest_pass_reads_nothing",
            Main,
            rebound(Req::get(LIST), &main).pass(&w.passes.guest),
        ),
        refused(
            "rebinding_create_refused",
            Main,
            rebound(Req::post(CREATE, ticket(VICTIM)).key(&key()), &main),
        ),
        // Two Host headers, ours first or second: neither may decide alone.
        refused(
            "rebinding_second_host_header",
            Trusting,
            Req::get(LIST)
                .without("Origin")
                .header("Host", &own_of(w, Trusting))
                .also("Host", &trusting)
                .header("X-Helpdock-Email", VICTIM),
        ),
        refused(
            "rebinding_first_host_header",
            Trusting,
            Req::get(LIST)
                .without("Origin")
                .header("Host", &trusting)
                .also("Host", &own_of(w, Trusting))
                .header("X-Helpdock-Email", VICTIM),
        ),
        // An absolute-form request line names its own authority, whatever the Host says.
        refused(
            "rebinding_absolute_form_uri",
            Trusting,
            Req::get(&format!("http://{trusting}{LIST}"))
                .without("Origin")
                .header("Host", &own_of(w, Trusting))
                .header("X-Helpdock-Email", VICTIM),
        ),
        // The widget's files are public under any name.
        Case::new(
            "rebinding_widget_files_still_served",
            Main,
            rebound(Req::get("/widget.js"), &main),
        )
        .expect(200, "")
        .upstream(no_call())
        .check(header_is("access-control-allow-origin", "*")),
        // Addressed by its own name, the same call is the proxy's own page's.
        Case::new(
            "rebinding_own_name_still_served",
            Main,
            Req::get(LIST)
                .header("Host", &own)
                .header("Origin", &format!("http://{own}"))
                .identity(&w.id(VICTIM)),
        )
        .expect(200, ""),
    ]
}

/// `127.0.0.1:PORT` of `target`'s proxy: the name it is configured (by default) to answer by.
fn own_of(w: &World, target: Target) -> String {
    w.addr(target).map(|a| a.to_string()).unwrap_or_default()
}
