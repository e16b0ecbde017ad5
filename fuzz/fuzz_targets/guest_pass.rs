//! Guest passes: opening any text never panics nor accepts a pass we did not issue; a pass we
//! issue (from any payload that decodes as one) opens to itself, if it is one the proxy would
//! accept at all (a header of at most 4 KiB naming at most `MAX_PASS_TICKETS` tickets).
#![no_main]

use helpdock::Secret;
use helpdock::identity::guest_pass::MAX_PASS_TICKETS;
use helpdock::identity::{GuestPass, GuestPassKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = GuestPassKey::new(Secret::new("fuzz-guest-pass-key-0123456789"));
    if let Ok(text) = std::str::from_utf8(data) {
        // Random bytes are never a MAC of ours.
        assert!(
            key.open(text, "shop", 0).is_err(),
            "opened a pass we never issued"
        );
    }
    if let Ok(pass) = serde_json::from_slice::<GuestPass>(data) {
        let issued = key.issue(&pass);
        let opened = key.open(&issued, &pass.site, 0);
        let acceptable =
            issued.len() <= 4096 && pass.tickets.len() <= MAX_PASS_TICKETS && pass.expires > 0;
        match (acceptable, &opened) {
            (true, Ok(back)) => assert_eq!(back, &pass),
            (true, Err(e)) => panic!("our own pass refused: {e}"),
            (false, _) => {}
        }
    }
});
