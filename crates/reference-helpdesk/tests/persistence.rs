//! A database file outlives the process: tickets survive, and re-seeding adds nothing.

mod common;

use reference_helpdesk::{Helpdesk, HelpdeskError, SeedTicket};

#[tokio::test]
async fn tickets_and_replies_survive_a_reopen_and_seeding_is_idempotent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("helpdesk.sqlite");
    let id = {
        let hd = common::serve_on_free_port(
            Helpdesk::open(Some(&path), common::TOKEN.to_owned()).expect("open"),
        )
        .await;
        let id = hd.create("Persisted", "p@shop.example", &[]).await;
        let form = [
            ("ticket_id", id.as_str()),
            ("user_email", "p@shop.example"),
            ("message", "later"),
        ];
        assert_eq!(
            hd.post_form("ticket_reply.php", &form).await.ok_json()["success"],
            true
        );
        id
    };

    // A second open of the same file, while the first still serves, sees the same data.
    let hd = common::serve_on_free_port(
        Helpdesk::open(Some(&path), common::TOKEN.to_owned()).expect("reopen"),
    )
    .await;
    let view = hd.view(&id, "p@shop.example").await;
    assert_eq!(view["ticket"]["subject"], "Persisted");
    assert_eq!(view["replies"][0]["message"], "later");
    let categories = hd.get("ticket_categories.php", &[]).await.ok_json();
    assert_eq!(
        categories["categories"].as_array().map(Vec::len),
        Some(3),
        "{categories}"
    );
    let fields = hd.get("ticket_custom_fields.php", &[]).await.ok_json();
    assert_eq!(
        fields["fields"].as_array().map(Vec::len),
        Some(2),
        "{fields}"
    );
    let next = hd
        .helpdesk
        .seed_ticket(SeedTicket::new("s", "m", "p@shop.example"))
        .expect("seed");
    assert_eq!(next.0, 2, "ids continue after the reopen");
}

#[test]
fn unopenable_path_is_an_open_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("missing-dir").join("helpdesk.sqlite");
    match Helpdesk::open(Some(&path), "t".to_owned()) {
        Err(HelpdeskError::Open { path: reported, .. }) => assert_eq!(reported, path),
        other => panic!("expected an open error, got {other:?}"),
    }
}
