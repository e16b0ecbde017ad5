//! Helpdesk answers through every decoder the proxy has: the first byte picks the script (of
//! `helpdock::fuzzing::SCRIPTS`), the rest is its answer's body, read in a zone with daylight
//! saving time (so skipped and doubled wall times come up).
#![no_main]

use helpdock::HelpdeskTimeZone;
use helpdock::fuzzing::{SCRIPTS, decode_answer};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ZONE: LazyLock<HelpdeskTimeZone> =
    LazyLock::new(|| HelpdeskTimeZone::named("Europe/Berlin").expect("zone"));

fuzz_target!(|data: &[u8]| {
    let Some((pick, body)) = data.split_first() else {
        return;
    };
    let script = SCRIPTS[usize::from(*pick) % SCRIPTS.len()];
    decode_answer(script, body, &ZONE);
});
