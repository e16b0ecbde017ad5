//! A retry of a create or reply whose first answer was lost (a timeout, a broken connection, a
//! 5xx after the write was sent): the helpdesk may have stored it, and SupportEngine has no
//! idempotency of its own. So before writing again, the proxy looks for what the lost attempt
//! would have written — same owner, same text, written since that attempt began — and answers
//! with it. Cost: one `tickets_list.php` plus one `ticket_view.php` per candidate (a create), or
//! one `ticket_view.php` (a reply), only on such retries (docs/operations.md, "Lost answers").

use crate::error::ApiError;
use crate::ownership::OwnerDigest;
use crate::perimeter::LostAnswer;
use crate::upstream::Upstream;
use helpdock_wire::{NewTicket, ReplyId, TicketId};
use std::time::{Duration, UNIX_EPOCH};

/// Slack for the helpdesk's clock, its whole-second times and a time zone set to the minute.
const CLOCK_SLACK: Duration = Duration::from_secs(120);
/// Candidates viewed at most; more tickets with one subject in minutes is not a lost answer.
const MAX_CANDIDATES: usize = 5;

/// The ticket the lost attempt filed for `ticket` (whose `user_email` is already decided), if
/// the helpdesk has it.
pub(super) async fn find_filed_ticket(
    upstream: &Upstream,
    ticket: &NewTicket,
    lost: LostAnswer,
) -> Result<Option<TicketId>, ApiError> {
    let email = &ticket.user_email;
    let list = upstream.list_tickets(email).await?;
    let candidates = list
        .tickets
        .iter()
        .filter(|t| t.subject.trim() == ticket.subject.trim())
        .filter(|t| written_since(t.created_at.as_deref(), lost))
        .take(MAX_CANDIDATES);
    for candidate in candidates {
        let viewed = match upstream.view_ticket(candidate.id, email).await {
            Ok(viewed) => viewed,
            Err(ApiError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        // The list matches names too: the row's own email decides, as everywhere.
        if OwnerDigest::of(&viewed.owner_email) == OwnerDigest::of(email)
            && viewed.thread.ticket.message.trim() == ticket.message.trim()
        {
            return Ok(Some(candidate.id));
        }
    }
    Ok(None)
}

/// The reply the lost attempt added to `ticket_id` as `email` with `message`, if stored.
pub(super) async fn find_sent_reply(
    upstream: &Upstream,
    ticket_id: TicketId,
    email: &str,
    message: &str,
    lost: LostAnswer,
) -> Result<Option<ReplyId>, ApiError> {
    let viewed = upstream.view_ticket(ticket_id, email).await?;
    Ok(viewed
        .thread
        .replies
        .iter()
        .rev()
        .find(|r| {
            !r.from_staff
                && r.message.trim() == message.trim()
                && written_since(r.created_at.as_deref(), lost)
        })
        .map(|r| r.id))
}

/// Whether a row's `created_at` (RFC 3339) is at or after the lost attempt's start, give or take
/// [`CLOCK_SLACK`]. A row without a readable time is taken as a candidate: text and owner must
/// still match.
fn written_since(created_at: Option<&str>, lost: LostAnswer) -> bool {
    let Some(created) = created_at.and_then(|t| t.parse::<jiff::Timestamp>().ok()) else {
        return true;
    };
    let since = lost
        .since
        .checked_sub(CLOCK_SLACK)
        .unwrap_or(UNIX_EPOCH)
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    created.as_second() >= i64::try_from(since).unwrap_or(i64::MAX)
}

/// Counts what a retry after a lost answer found (docs/operations.md).
pub(super) fn count(action: &'static str, found: bool) {
    let result = if found { "found" } else { "not_found" };
    metrics::counter!("helpdock_lost_answers_total", "action" => action, "result" => result)
        .increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lost_at(unix: u64) -> LostAnswer {
        let at = UNIX_EPOCH + Duration::from_secs(unix);
        LostAnswer {
            since: at,
            settled: at,
        }
    }

    #[test]
    fn rows_written_after_the_attempt_began_are_candidates() {
        // 2026-12-03T08:00:00Z
        let lost = lost_at(1_796_284_800);
        assert!(written_since(Some("2026-12-03T08:00:05Z"), lost));
        assert!(
            written_since(Some("2026-12-03T07:59:00Z"), lost),
            "within the slack"
        );
        assert!(!written_since(Some("2026-12-03T07:50:00Z"), lost));
        assert!(written_since(None, lost));
        assert!(written_since(Some("yesterday"), lost));
    }
}
