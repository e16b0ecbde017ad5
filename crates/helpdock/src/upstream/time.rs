//! The helpdesk's times: `YYYY-MM-DD HH:MM:SS` with no zone, in the helpdesk server's local time.
//! The proxy reads them in the configured zone and hands the browser RFC 3339 UTC instants.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// The zone the helpdesk writes its times in (`helpdesk_timezone`); UTC unless configured.
#[derive(Clone, Debug)]
pub struct HelpdeskTimeZone {
    name: String,
    zone: TimeZone,
}

impl Default for HelpdeskTimeZone {
    fn default() -> HelpdeskTimeZone {
        HelpdeskTimeZone {
            name: "UTC".to_owned(),
            zone: TimeZone::UTC,
        }
    }
}

impl HelpdeskTimeZone {
    /// The IANA zone `name` (`Europe/Berlin`), from the tz database built into the proxy; an
    /// unknown name is refused with a sentence saying so.
    pub fn named(name: &str) -> Result<HelpdeskTimeZone, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("the time zone name is empty".to_owned());
        }
        let zone = TimeZone::get(name).map_err(|_| {
            format!("{name:?} is not an IANA time zone name like Europe/Berlin or UTC")
        })?;
        Ok(HelpdeskTimeZone {
            name: name.to_owned(),
            zone,
        })
    }

    /// The zone's name as configured.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `local` (`2026-11-28 17:44:00`) as an RFC 3339 UTC instant (`2026-11-28T16:44:00Z`), or
    /// `None` when it is not such a time (empty, `0000-00-00 00:00:00`, garbage).
    ///
    /// A wall time the zone skips (spring forward) is moved forward by the gap's length; one the
    /// zone passes twice (fall back) is the earlier instant — the "compatible" rule of RFC 9557
    /// and of JavaScript's Temporal, so the answer never depends on the host.
    pub(crate) fn to_utc(&self, local: &str) -> Option<String> {
        let local = local.trim();
        if local.is_empty() {
            return None;
        }
        let parsed = DateTime::strptime("%Y-%m-%d %H:%M:%S", local)
            .ok()
            .and_then(|civil| self.zone.to_ambiguous_timestamp(civil).compatible().ok());
        match parsed {
            Some(instant) => Some(instant.to_string()),
            None => {
                // Not the value itself: the log holds no upstream text.
                tracing::warn!("a helpdesk time is not YYYY-MM-DD HH:MM:SS; sent as null");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HelpdeskTimeZone;

    fn zone(name: &str) -> HelpdeskTimeZone {
        HelpdeskTimeZone::named(name).expect("a known zone")
    }

    #[test]
    fn local_times_become_utc_instants() {
        let cases = [
            ("UTC", "2026-11-28 16:44:00", "2026-11-28T16:44:00Z"),
            (
                "Europe/Berlin",
                "2026-11-28 17:44:00",
                "2026-11-28T16:44:00Z",
            ),
            (
                "Europe/Berlin",
                "2026-07-01 12:00:00",
                "2026-07-01T10:00:00Z",
            ),
            (
                "America/New_York",
                "2026-03-07 12:00:00",
                "2026-03-07T17:00:00Z",
            ),
            (
                "America/New_York",
                "2026-03-09 12:00:00",
                "2026-03-09T16:00:00Z",
            ),
            (
                "Asia/Kolkata",
                "2026-01-01 00:00:00",
                "2025-12-31T18:30:00Z",
            ),
            (
                "Australia/Lord_Howe",
                "2026-01-15 10:00:00",
                "2026-01-14T23:00:00Z",
            ),
            // Surrounding whitespace is PHP's, not the time's.
            ("UTC", " 2026-11-28 16:44:00\n", "2026-11-28T16:44:00Z"),
        ];
        assert_all_utc(&cases);
    }

    /// Each (zone, helpdesk-local time, expected UTC instant) converts as expected.
    fn assert_all_utc(cases: &[(&str, &str, &str)]) {
        for (name, local, utc) in cases {
            assert_eq!(
                zone(name).to_utc(local).as_deref(),
                Some(*utc),
                "{name} {local}"
            );
        }
    }

    #[test]
    fn gaps_move_forward_and_overlaps_take_the_earlier_instant() {
        let cases = [
            // 2026-03-08 02:30 does not exist in New York (02:00 EST → 03:00 EDT): read as 03:30 EDT.
            (
                "America/New_York",
                "2026-03-08 02:30:00",
                "2026-03-08T07:30:00Z",
            ),
            // 2026-11-01 01:30 happens twice (EDT, then EST): the first, in EDT.
            (
                "America/New_York",
                "2026-11-01 01:30:00",
                "2026-11-01T05:30:00Z",
            ),
            // Berlin: 2026-03-29 02:30 is skipped, 2026-10-25 02:30 happens twice.
            (
                "Europe/Berlin",
                "2026-03-29 02:30:00",
                "2026-03-29T01:30:00Z",
            ),
            (
                "Europe/Berlin",
                "2026-10-25 02:30:00",
                "2026-10-25T00:30:00Z",
            ),
        ];
        assert_all_utc(&cases);
    }

    #[test]
    fn what_is_not_a_time_is_none() {
        for bad in [
            "",
            "   ",
            "0000-00-00 00:00:00",
            "2026-02-30 10:00:00",
            "2026-11-28",
            "2026-11-28T16:44:00Z",
            "28.11.2026 16:44",
            "2026-11-28 25:00:00",
            "<b>soon</b>",
        ] {
            assert_eq!(HelpdeskTimeZone::default().to_utc(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn zone_names_are_checked() {
        assert_eq!(HelpdeskTimeZone::default().name(), "UTC");
        assert_eq!(zone(" Europe/Berlin ").name(), "Europe/Berlin");
        for bad in [
            "",
            "  ",
            "Mars/Olympus",
            "CEST+1",
            "../etc/passwd",
            "Europe/",
        ] {
            assert!(HelpdeskTimeZone::named(bad).is_err(), "{bad:?}");
        }
    }
}
