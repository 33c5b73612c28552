"""The main navigation: every link opens for the user who sees it, no page a user may open is left out of
their menus, the current page is marked, and asking the menus does not count as using a break-glass grant."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import resolve, reverse

from kpo.audit.models import AuditEntry
from kpo.orgs.events import Event
from tests.break_glass import approved_break_glass
from tests.cast import Cast

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')


def nav_links(client: Client, url: str = "/") -> dict[str, bool]:
    """The main menu's links on a page: URL -> marked as the current page."""
    response = client.get(url)
    assert response.status_code == 200, url
    found = NAV.search(response.content.decode())
    assert found is not None
    return {href: bool(current) for href, current, _label in LINK.findall(found.group(0))}


EVERYONE = {"dashboard", "engagement_list", "task_list", "expert_list", "token_list"}
MEMBER = EVERYONE | {"organisation_detail"}
CLIENT_SIDE = MEMBER | {
    "dispute_list",
    "rate_cards",
    "sensitive_terms",
    "compliance_settings",
    "overflow_pool",
    "talent_benches",
}
EXPECTED = {
    "alice": CLIENT_SIDE
    | {
        "client_commercials",
        "make_or_buy",
        "vault_overview",
        "matching_weights",
        "quality_dashboard",
        "demand_forecast",
    },
    "bob": CLIENT_SIDE | {"make_or_buy"},
    "aud": CLIENT_SIDE | {"vault_overview", "audit_log", "quality_dashboard"},
    "pete": MEMBER
    | {
        "staffing_runs",
        "dispute_list",
        "vetting_queue",
        "rate_cards",
        "quality_dashboard",
        "capacity",
        "overflow_pool",
        "demand_forecast",
    },
    "carol": MEMBER | {"my_profile", "my_conflicts", "vetting_expert"},
    "ops": EVERYONE | {"dispute_list"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_reaches_its_pages_and_every_link_opens(cast: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(name)
    links = nav_links(client)
    assert {resolve(href).url_name for href in links} == EXPECTED[name]
    for href in links:
        assert client.get(href).status_code == 200, (name, href)


# lists that answer everyone signed in but hold something only for their menus' holders: staffing runs
# (providers' managers), disputes (the engagements' readers, mediating operators), rate cards (providers'
# readers and their clients' readers)
EMPTY_FOR_OTHERS = {"/staffing/", "/disputes/", "/rate-cards/"}


def test_no_page_a_user_may_open_is_missing_from_their_menus(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """Every page without an id in its address that anyone's menu offers: whoever it opens for has it."""
    everyone = {
        name: client_for(name) for name in ("alice", "bob", "pete", "carol", "rex", "aud", "dave", "ops")
    }
    offered = {name: nav_links(client) for name, client in everyone.items()}
    shared = {href for links in offered.values() for href in links if not re.search(r"/\d+/", href)}
    for name, client in everyone.items():
        for href in sorted(shared):
            response = client.get(href)
            if href in EMPTY_FOR_OTHERS:
                continue
            if response.status_code == 200 and not response.has_header("Location"):
                assert href in offered[name], (name, href)
            else:
                assert href not in offered[name], (name, href)


def test_the_current_page_and_its_menu_are_marked(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    links = nav_links(alice, reverse("rate_cards"))
    assert [href for href, current in links.items() if current] == [reverse("rate_cards")]
    body = alice.get(reverse("rate_cards")).content.decode()
    menu = body.split('<summary class="current">', 1)[1].split("</details>", 1)[0]
    assert reverse("rate_cards") in menu and reverse("make_or_buy") in menu
    task_page = nav_links(alice, reverse("task_detail", args=[cast.task_a.pk]))
    assert [href for href, current in task_page.items() if current] == [reverse("task_list")]


def test_error_pages_mark_nothing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("bob").get(reverse("task_detail", args=[cast.task_b.pk]))
    assert response.status_code == 404
    assert 'aria-current="page"' not in response.content.decode()


def test_asking_the_menus_is_not_a_break_glass_use(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    approved_break_glass(cast.ops, cast.org_a)
    ops = client_for("ops")
    used = AuditEntry.objects.filter(event=Event.BREAK_GLASS_USED)
    before = used.count()
    links = nav_links(ops, reverse("token_list"))
    assert reverse("audit_log") in links  # the grant makes the operator the client's auditor
    assert used.count() == before
    assert ops.get(reverse("audit_log")).status_code == 200
    assert used.count() == before + 1  # opening the page is a use
