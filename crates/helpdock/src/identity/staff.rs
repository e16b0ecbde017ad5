//! Who is staff: configured addresses and whole domains that may never act as a visitor, because
//! the helpdesk stores a reply sent with a staff email as the agent's own.

use helpdock_wire::validate::normalize_email;
use std::collections::BTreeSet;

/// Staff addresses and domains, normalised (lower case, no `@` before a domain).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffList {
    emails: BTreeSet<String>,
    domains: BTreeSet<String>,
}

impl StaffList {
    /// A list of already checked addresses and domains; both are normalised here again.
    pub fn new(
        emails: impl IntoIterator<Item = String>,
        domains: impl IntoIterator<Item = String>,
    ) -> StaffList {
        StaffList {
            emails: emails.into_iter().map(|e| normalize_email(&e)).collect(),
            domains: domains.into_iter().map(|d| normalize_domain(&d)).collect(),
        }
    }

    /// Whether `email` (any spelling) belongs to staff: listed itself, or at a listed domain or
    /// one of its subdomains.
    pub fn is_staff(&self, email: &str) -> bool {
        let email = normalize_email(email);
        if self.emails.contains(&email) {
            return true;
        }
        let Some((_, domain)) = email.rsplit_once('@') else {
            return false;
        };
        // A trailing dot is the same DNS name; it must not slip past the domain rule.
        let domain = domain.trim_end_matches('.');
        self.domains.iter().any(|d| {
            domain == d
                || domain
                    .strip_suffix(d.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }

    /// Whether no staff is configured.
    pub fn is_empty(&self) -> bool {
        self.emails.is_empty() && self.domains.is_empty()
    }
}

/// `@Helpdesk.Example.` → `helpdesk.example`.
pub fn normalize_domain(domain: &str) -> String {
    domain
        .trim()
        .trim_start_matches('@')
        .trim_end_matches('.')
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_domains_in_any_spelling() {
        let staff = StaffList::new(
            ["Agent@Helpdesk.Example".to_owned()],
            ["@Support.Example.COM".to_owned()],
        );
        let cases = [
            ("agent@helpdesk.example", true),
            (" AGENT@helpdesk.example ", true),
            ("other@helpdesk.example", false),
            ("bob@support.example.com", true),
            ("bob@eu.support.example.com", true),
            ("bob@support.example.com.", true),
            ("bob@notsupport.example.com", false),
            ("bob@support.example.com.evil.test", false),
            ("support.example.com@evil.test", false),
            ("ann@example.com", false),
            ("not-an-email", false),
        ];
        for (email, expected) in cases {
            assert_eq!(staff.is_staff(email), expected, "{email}");
        }
        assert!(!staff.is_empty());
        assert!(StaffList::default().is_empty());
    }
}
