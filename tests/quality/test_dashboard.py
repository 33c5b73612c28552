"""The quality dashboard: who sees it, and each rate against a hand count (see dashboard_world.py)."""

from __future__ import annotations

import csv
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpo.core.nav import nav_for
from tests.cast import Cast
from tests.quality.dashboard_world import NOW, build_world, cph, delivered_task

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

URL = reverse("quality_dashboard")
MAX_QUERIES = 14  # session, user, memberships, unread notices; the figures take eight or nine
CSV_URL = reverse("quality_dashboard_csv")


class _Signed:
    """A signed-in user's requests, each made at NOW (signing in at NOW too: sessions time out)."""

    def __init__(self, client_for, who: str) -> None:  # type: ignore[no-untyped-def]
        self.client_for, self.who = client_for, who

    def get(self, url: str, params: dict[str, str]):  # type: ignore[no-untyped-def]
        with time_machine.travel(NOW, tick=False):
            return self.client_for(self.who).get(url, params)


def _get(signed, url: str = URL, **params: str):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        return signed.get(url, params)


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, name
    return match.group(1).strip()


def _csv(signed, **params: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    response = _get(signed, CSV_URL, **params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_who_sees_the_dashboard(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for who in ("alice", "aud", "pete", "dave", "quinn"):
        assert _get(_Signed(client_for, who)).status_code == 200, who
    for who in ("bob", "carol", "rex", "erin", "ivan", "ops"):
        assert _get(_Signed(client_for, who)).status_code == 404, who
        assert _get(_Signed(client_for, who), CSV_URL).status_code == 404, who
    anonymous = _get(Client())
    assert anonymous.status_code == 302


def test_menu_entry_follows_the_door(cast: Cast) -> None:
    def has_link(user) -> bool:  # type: ignore[no-untyped-def]
        return any(link.url == URL for group in nav_for(user) for link in group.links)

    assert all(has_link(getattr(cast, who)) for who in ("alice", "aud", "pete"))
    assert not any(has_link(getattr(cast, who)) for who in ("bob", "carol", "erin"))


def test_overall_rates_match_the_hand_count(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    build_world(cast)
    for who in ("alice", "pete", "aud"):  # A's client side and P's provider side see the same four tasks
        html = _get(_Signed(client_for, who)).content.decode()
        assert _figure(html, "tasks") == "4", who
        assert _figure(html, "on_time") == "75 %", who  # t1, t3, t4 of four
        assert _figure(html, "rework") == "50 %", who  # t2 (client), t3 (reviewer)
        assert _figure(html, "rating") == "3.67", who  # (5 + 2 + 4) / 3
        assert _figure(html, "review") == "3.50", who  # (4.0 + 2.0 + 4.5) / 3
        assert "indicative only" in html  # four tasks are fewer than five
    dave = _get(_Signed(client_for, "dave")).content.decode()
    assert (
        _figure(dave, "tasks") == "1"
        and _figure(dave, "on_time") == "0 %"
        and _figure(dave, "rating") == "1.00"
    )


def test_outsiders_see_none_of_a_and_p(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    build_world(cast)
    for who in ("dave", "quinn"):
        for by in ("provider", "client", "expert"):
            html = _get(_Signed(client_for, who), by=by).content.decode()
            for name in (cast.org_a.name, cast.provider_p.name, cast.carol.get_full_name()):
                assert name not in html, (who, by, name)
            rows = _csv(_Signed(client_for, who), by=by)
            assert sum(int(row["tasks"]) for row in rows) == (1 if by != "expert" else 0), (who, by)


def test_rates_per_domain_expert_and_provider(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    build_world(cast)
    alice = _Signed(client_for, "alice")
    domains = {row["key"]: row for row in _csv(alice, by="domain")}
    assert set(domains) == {"technical_analysis", "data_analysis"}
    tech, data = domains["technical_analysis"], domains["data_analysis"]
    assert (tech["tasks"], tech["on_time"], tech["reworked"]) == ("3", "2", "2")
    assert (tech["on_time_rate"], tech["rework_rate"], tech["mean_rating"], tech["mean_review"]) == (
        "0.667",
        "0.667",
        "3.67",
        "3.50",
    )
    assert (data["tasks"], data["on_time_rate"], data["rework_rate"], data["mean_rating"]) == (
        "1",
        "1.000",
        "0.000",
        "",
    )
    assert tech["enough_tasks"] == "no"
    experts = {row["name"]: row for row in _csv(alice, by="expert")}
    carol, erin = cast.carol.get_full_name(), cast.erin.get_full_name()
    assert experts[carol]["tasks"] == "4" and experts[carol]["on_time"] == "3"
    assert (experts[erin]["tasks"], experts[erin]["reworked"], experts[erin]["mean_review"]) == (
        "1",
        "1",
        "3.25",
    )
    providers = _csv(_Signed(client_for, "pete"), by="client")
    assert [(row["name"], row["tasks"]) for row in providers] == [(cast.org_a.name, "4")]


def test_months_on_the_installation_calendar(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    build_world(cast)
    html = _get(_Signed(client_for, "alice")).content.decode()
    months = re.findall(r'<tr data-month="(\d{4}-\d\d)">', html)
    assert months[0] == "2026-04" and months[-1] == "2027-03" and len(months) == 12
    february = html.split('data-month="2027-02"')[1].split("</tr>")[0]
    assert ">3 <" in february or ">3<" in february  # t1, t2 and t4 (31 Jan 23:30 UTC is 1 Feb in Copenhagen)
    assert "67 %" in february and "33 %" in february  # on time 2 of 3, reworked 1 of 3
    january = html.split('data-month="2027-01"')[1].split("</tr>")[0]
    assert "\u2013" in january  # no tasks: a dash
    assert '<svg class="line-chart"' in html and "<title>" in html


def test_filters_period_domain_and_provider(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    world = build_world(cast)
    alice = _Signed(client_for, "alice")
    assert _figure(_get(alice, months="24").content.decode(), "tasks") == "5"  # with the old one
    assert _figure(_get(alice, months="3").content.decode(), "tasks") == "4"  # January to March
    assert _figure(_get(alice, domain="data_analysis").content.decode(), "tasks") == "1"
    assert _figure(_get(alice, provider=str(cast.provider_p.pk)).content.decode(), "tasks") == "4"
    assert _figure(_get(alice, client=str(cast.org_a.pk)).content.decode(), "tasks") == "4"
    assert world.data_engagement.domain == "data_analysis"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"months": "abc"}, "Period"),
        ({"months": "5"}, "Period"),
        ({"provider": "999999"}, "Provider"),
        ({"domain": "astrology"}, "Domain"),
        ({"by": "weather"}, "Rates per"),
        ({"sort": "price"}, "Sort by"),
    ],
)
def test_bad_filters_are_named_and_defaults_apply(cast: Cast, client_for, params, field) -> None:  # type: ignore[no-untyped-def]
    build_world(cast)
    response = _get(_Signed(client_for, "alice"), **params)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"<li>{field}: " in html and "Select a valid choice" in html
    assert _figure(html, "tasks") == "4"
    csv_response = _get(_Signed(client_for, "alice"), CSV_URL, **params)
    assert csv_response.status_code == 400 and csv_response.content.decode().startswith(f"{field}: ")


def test_another_providers_id_is_not_a_choice(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    build_world(cast)
    response = _get(_Signed(client_for, "alice"), provider=str(cast.provider_q.pk))
    assert response.status_code == 400
    assert _figure(response.content.decode(), "tasks") == "4"  # Q's work does not appear


def test_csv_is_spreadsheet_safe(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    build_world(cast)
    cast.erin.first_name, cast.erin.last_name = "=HYPERLINK(1)", "x"
    cast.erin.save()
    names = [row["name"] for row in _csv(_Signed(client_for, "alice"), by="expert")]
    assert "'=HYPERLINK(1) x" in names and not any(name.startswith("=") for name in names)


def test_sorting_and_paging_experts(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    build_world(cast)
    alice = _Signed(client_for, "alice")
    by_rework = [row["name"] for row in _csv(alice, by="expert", sort="-rework")]
    assert by_rework == [cast.erin.get_full_name(), cast.carol.get_full_name()]  # 100 % before 25 %
    by_name = [row["name"] for row in _csv(alice, by="expert", sort="name")]
    assert by_name == sorted(by_name, key=str.casefold)
    html = _get(alice, by="expert", page="99").content.decode()
    assert cast.carol.get_full_name() in html  # an out-of-range page shows the last one


def test_fixed_number_of_queries(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    world = build_world(cast)
    with time_machine.travel(NOW, tick=False):
        signed_in = client_for("alice")

    def count(by: str) -> int:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
            assert signed_in.get(URL, {"by": by}).status_code == 200
        return len(queries)

    count("provider")  # the first request fills the per-process caches
    small = {by: count(by) for by in ("provider", "expert")}
    experts = [cast.carol.expert_profile, cast.erin.expert_profile, cast.ivan_profile]
    for index in range(30):
        delivered_task(
            cast,
            world.data_engagement,
            f"more {index}",
            delivered=cph(2026, 4 + index % 9, 3),
            due=cph(2026, 4 + index % 9, 4),
            makers=experts[: 1 + index % 3],
            changes=index % 2 == 0,
            stars=[3, 4],
            reviews=[("pass", 3.0)],
        )
    assert {by: count(by) for by in ("provider", "expert")} == small
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(MAX_QUERIES):
        assert signed_in.get(URL, {"by": "expert"}).status_code == 200


def test_the_dashboard_links_to_it(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for who, linked in (("alice", True), ("pete", True), ("bob", False), ("carol", False)):
        html = client_for(who).get(reverse("dashboard")).content.decode()
        assert (f'href="{URL}' in html) is linked, who


def test_danish_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    build_world(cast)
    with time_machine.travel(NOW, tick=False):
        client = client_for("alice")
        client.cookies["django_language"] = "da"
        html = client.get(URL, {"by": "domain"}).content.decode()
    assert "Kvalitet, omarbejde og levering til tiden" in html and "Pr. fagområde" in html
    assert _figure(html, "rating") == "3,67" and _figure(html, "review") == "3,50"
    assert 'cx="' in html and not re.search(r'(?:cx|cy|x|y|d)="[^"]*\d,\d', html)  # SVG numbers stay "1.5"
