"""The named demo accounts: the cast that tests, the login page and the walkthrough use.

All share DEMO_PASSWORD. The seed hashes it once and reuses the hash for every account.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpo.demo.organisations import ORG_BY_SLUG

DEMO_PASSWORD = "kpo-demo-2026"
OPERATOR_ROLE = "operator"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    email: str
    role: str  # a membership role, or "operator" for the platform staff
    organisation_slug: str  # empty for the operator

    @property
    def organisation_name(self) -> str:
        return ORG_BY_SLUG[self.organisation_slug].name if self.organisation_slug else ""


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("alice", "Alice", "Kjær", "alice.kjaer@nordvind.example", "client_admin", "nordvind"),
    DemoAccount("bob", "Bob", "Sørensen", "bob.sorensen@nordvind.example", "requester", "nordvind"),
    DemoAccount("aud", "Aud", "Mikkelsen", "aud.mikkelsen@nordvind.example", "auditor", "nordvind"),
    DemoAccount("carol", "Carol", "D'Souza", "carol.dsouza@indus-insight.example", "expert", "indus-insight"),
    DemoAccount(
        "rita", "Rita", "Banerjee", "rita.banerjee@indus-insight.example", "reviewer", "indus-insight"
    ),
    DemoAccount(
        "priya", "Priya", "Raman", "priya.raman@indus-insight.example", "provider_manager", "indus-insight"
    ),
    DemoAccount(
        "piotr",
        "Piotr",
        "Zieliński",
        "piotr.zielinski@vistula-analytics.example",
        "provider_manager",
        "vistula-analytics",
    ),
    DemoAccount(
        "maria",
        "Maria",
        "Reyes",
        "maria.reyes@nordvind-manila.example",
        "provider_manager",
        "nordvind-manila",
    ),
    DemoAccount(
        "frank", "Frank", "Olesen", "frank.olesen@kpo-freelance.example", "provider_manager", "kpo-freelance"
    ),
    DemoAccount("dave", "Dave", "Lund", "dave.lund@kystbanken.example", "client_admin", "kystbanken"),
    DemoAccount("dina", "Dina", "Hansen", "dina.hansen@kystbanken.example", "requester", "kystbanken"),
    DemoAccount("ops", "Ole", "Pedersen", "ops@kpo.example", OPERATOR_ROLE, ""),
)


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role, organisation name) for every named demo account, for the login page."""
    return [(account.username, account.role, account.organisation_name) for account in DEMO_ACCOUNTS]


def demo_account(username: str) -> DemoAccount:
    for account in DEMO_ACCOUNTS:
        if account.username == username:
            return account
    raise KeyError(username)
