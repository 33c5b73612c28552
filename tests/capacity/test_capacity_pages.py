"""The capacity page, its CSV and the API: who may read them, that they agree, fixed query counts, and
absences declared and removed (validated, audited)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.capacity.models import Absence
from kpo.experts.models import EscoSkill, ExpertProfile, ExpertSkill
from kpo.orgs.models import Membership
from kpo.work.models import Assignment, Task, TaskSkill
from tests.cast import Cast

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 23, 10, 0, tzinfo=dt.UTC)  # Tuesday of the Danish Easter week
MONDAY = dt.date(2027, 3, 22)
ROW = re.compile(
    r'<tr data-expert="(\d+)" data-week="([\d-]+)" data-capacity="([\d.]+)" '
    r'data-committed="([\d.]+)" data-free="([\d.]+)"'
)
CELL = re.compile(
    r'<g class="cap-cell" data-week="([\d-]+)" data-capacity="([\d.]+)" '
    r'data-committed="([\d.]+)" data-free="([\d.]+)"'
)

Rows = set[tuple[int, str, str, str, str]]


def page_rows(html: str) -> Rows:
    return {(int(e), w, c, m, f) for e, w, c, m, f in ROW.findall(html)}


def csv_rows(body: bytes) -> Rows:
    reader = csv.DictReader(io.StringIO(body.decode()))
    return {
        (int(r["expert_id"]), r["week_start"], r["capacity_hours"], r["committed_hours"], r["free_hours"])
        for r in reader
        if r["expert_id"]  # the team rows follow the experts'
    }


def api_rows(data: list[dict[str, Any]]) -> Rows:
    return {
        (
            r["expert_id"],
            r["week_start"],
            f"{r['capacity_hours']:.2f}",
            f"{r['committed_hours']:.2f}",
            f"{r['free_hours']:.2f}",
        )
        for r in data
    }


def _assign(expert: ExpertProfile, task: Task, hours: str, by: User) -> None:
    Assignment.objects.create(
        task=task, expert=expert, role="maker", planned_hours=Decimal(hours), assigned_by=by
    )


def _open_task(cast: Cast, title: str, due: dt.datetime, skill: EscoSkill, status: str = "submitted") -> Task:
    task = Task.objects.create(
        engagement=cast.engagement_a,
        title=title,
        description="Work",
        effort_hours=Decimal(10),
        due_at=due,
        status=status,
        created_by=cast.bob,
    )
    TaskSkill.objects.create(task=task, skill=skill, min_proficiency=2)
    return task


# --- access -------------------------------------------------------------------------------------------


def test_only_the_providers_managers_and_auditors_read_capacity(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page, export = reverse("capacity"), reverse("capacity_csv")
    api = f"/api/organisations/{cast.provider_p.pk}/capacity"
    assert client_for("pete").get(page).status_code == 200
    assert client_for("pete").get(api).status_code == 200
    for who in ("alice", "bob", "aud", "carol", "rex", "dave", "ivan"):  # clients and experts: no page
        client = client_for(who)
        assert client.get(page).status_code == 404, who
        assert client.get(export).status_code == 404, who
        assert client.get(api).status_code == 404, who
    # the other provider's manager sees their own page but never provider P
    quinn = client_for("quinn")
    assert quinn.get(api).status_code == 404
    assert cast.carol.get_full_name() not in quinn.get(page).content.decode()
    assert quinn.get(f"/api/organisations/{cast.provider_q.pk}/capacity").status_code == 200
    # a provider's auditor reads, without staffing links or absence forms
    auditor = User.objects.create_user("paul", first_name="Paul", last_name="Auditor")
    Membership.objects.create(user=auditor, organisation=cast.provider_p, role="auditor")
    client = Client()
    client.force_login(auditor)
    html = client.get(page).content.decode()
    assert cast.carol.get_full_name() in html
    assert "/staff/" not in html
    assert client.get(api).status_code == 200
    profile = client.get(reverse("expert_detail", kwargs={"expert_id": cast.carol.expert_profile.pk}))
    assert 'id="absences"' in profile.content.decode()
    assert (
        reverse("absence_create", kwargs={"expert_id": cast.carol.expert_profile.pk})
        not in profile.content.decode()
    )
    response = client.post(
        reverse("absence_create", kwargs={"expert_id": cast.carol.expert_profile.pk}),
        {"start": "2030-01-07", "end": "2030-01-08"},
    )
    assert response.status_code == 403
    assert not Absence.objects.exists()


def test_the_menu_offers_capacity_to_provider_managers_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for who, shown in (("pete", True), ("quinn", True), ("alice", False), ("carol", False), ("ops", False)):
        html = client_for(who).get(reverse("dashboard")).content.decode()
        assert (f'href="{reverse("capacity")}"' in html) is shown, who


def test_bad_weeks_are_refused_naming_the_field(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    for weeks in ("0", "27", "x", "1.5"):
        response = pete.get(f"/api/organisations/{cast.provider_p.pk}/capacity", {"weeks": weeks})
        assert response.status_code == 422, weeks
        assert [error["field"] for error in response.json()["errors"]] == ["weeks"]
        page = pete.get(reverse("capacity"), {"weeks": weeks})
        assert page.status_code == 200  # the page keeps 12 weeks and shows the field's error
        assert 'id="id_weeks"' in page.content.decode() and "has-error" in page.content.decode()
        assert len(page_rows(page.content.decode())) == 12 * 3  # carol, rex, erin
    assert len(pete.get(f"/api/organisations/{cast.provider_p.pk}/capacity", {"weeks": 26}).json()) == 26 * 3


# --- numbers --------------------------------------------------------------------------------------------


def test_committed_hours_reach_the_page_csv_and_api_alike(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        carol = cast.carol.expert_profile
        carol.country, carol.time_zone = "DK", "Europe/Copenhagen"
        carol.weekly_capacity_hours = Decimal(30)  # 6 hours a working day
        carol.save()
        Assignment.objects.filter(expert=carol).delete()  # only the assignment below
        skill = EscoSkill.objects.order_by("id").first()
        assert skill is not None
        task = _open_task(
            cast, "Easter analysis", dt.datetime(2027, 4, 2, 15, tzinfo=dt.UTC), skill, "in_progress"
        )
        # assigned on Tuesday 23 March: 23-24 March and 30 March-2 April are 6 Danish working days, 7 h each
        _assign(carol, task, "42", cast.pete)
        Absence.objects.create(
            expert=carol, start=dt.date(2027, 4, 5), end=dt.date(2027, 4, 6), declared_by=cast.carol
        )
        pete = client_for("pete")
        html = pete.get(reverse("capacity"), {"weeks": 3}).content.decode()
        body = pete.get(reverse("capacity_csv"), {"weeks": 3}).content
        data = pete.get(f"/api/organisations/{cast.provider_p.pk}/capacity", {"weeks": 3}).json()
    mine = sorted(row for row in page_rows(html) if row[0] == carol.pk)
    # capacity: 3, 4 and 3 working days (Maundy Thursday, Good Friday, Easter Monday, the absence) x 6 h;
    # the second week is booked beyond it, so nothing is free
    assert mine == [
        (carol.pk, "2027-03-22", "18.00", "14.00", "4.00"),
        (carol.pk, "2027-03-29", "24.00", "28.00", "0.00"),
        (carol.pk, "2027-04-05", "18.00", "0.00", "18.00"),
    ]
    assert page_rows(html) == csv_rows(body) == api_rows(data)
    cells = {(w, c, m, f) for w, c, m, f in CELL.findall(html)}
    assert ("2027-03-22", "18.00", "14.00", "4.00") in cells  # the heat map carries the same numbers


def test_the_bench_links_to_the_staffing_picker_of_a_task_needing_the_experts_skill(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        skill, other = EscoSkill.objects.order_by("id")[:2]
        ExpertSkill.objects.create(expert=cast.erin.expert_profile, skill=skill, proficiency=4)
        needing = _open_task(cast, "Needs the skill", NOW + dt.timedelta(days=20), skill)
        _open_task(cast, "Needs another skill", NOW + dt.timedelta(days=5), other)
        html = client_for("pete").get(reverse("capacity"), {"skill": skill.pk, "free": "4"}).content.decode()
    picker = reverse("staff_picker", kwargs={"task_id": needing.pk})
    assert f'href="{picker}?q=' in html
    assert cast.erin.get_full_name() in html
    assert cast.carol.get_full_name() not in html  # filtered out: no such skill


def test_the_page_takes_a_fixed_number_of_queries(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    skill = EscoSkill.objects.order_by("id").first()
    assert skill is not None
    with time_machine.travel(NOW, tick=False):
        pete = client_for("pete")
        _open_task(cast, "Open first", NOW + dt.timedelta(days=2), skill)  # so the small world has one too

    def count() -> int:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
            assert pete.get(reverse("capacity")).status_code == 200
        return len(queries)

    count()
    small = count()
    with time_machine.travel(NOW, tick=False):
        for index in range(15):
            user = User.objects.create_user(f"extra{index}", first_name="Extra", last_name=f"Expert {index}")
            expert = ExpertProfile.objects.create(
                user=user,
                organisation=cast.provider_p,
                headline="Analyst",
                country="IN",
                time_zone="Asia/Kolkata",
                cost_rate=Decimal(30),
                bill_rate=Decimal(60),
                rate_currency="EUR",
            )
            ExpertSkill.objects.create(expert=expert, skill=skill, proficiency=3)
            task = _open_task(
                cast, f"Task {index}", NOW + dt.timedelta(days=10 + index), skill, "in_progress"
            )
            _assign(expert, task, "12", cast.pete)
            Absence.objects.create(expert=expert, start=MONDAY, end=MONDAY, declared_by=user)
            _open_task(cast, f"Open {index}", NOW + dt.timedelta(days=3 + index), skill)
    assert count() == small
    with time_machine.travel(NOW, tick=False):
        html = pete.get(reverse("capacity")).content.decode()
    assert len(re.findall(r'<li data-expert="\d+">', html)) == 2 * 15  # each bench list shows 15
    assert re.search(r"and \d+ more: filter by skill or domain", html)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(small):
        assert pete.get(reverse("capacity_csv")).status_code == 200


# --- absences --------------------------------------------------------------------------------------------


def _declare(client: Client, expert: ExpertProfile, **fields: str) -> Any:
    return client.post(reverse("absence_create", kwargs={"expert_id": expert.pk}), fields)


def test_an_expert_and_their_manager_declare_and_remove_absences_audited(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    carol = cast.carol.expert_profile
    response = _declare(client_for("carol"), carol, start="2030-01-07", end="2030-01-11", reason="Leave")
    assert response.status_code == 302 and response["Location"].endswith("#absences")
    absence = Absence.objects.get()
    assert (absence.start, absence.end, absence.reason, absence.declared_by) == (
        dt.date(2030, 1, 7),
        dt.date(2030, 1, 11),
        "Leave",
        cast.carol,
    )
    entry = AuditEntry.objects.filter(event="absence_declared").get()
    assert entry.actor_id == cast.carol.pk and entry.organisation_id == cast.provider_p.pk
    assert (
        client_for("erin").post(reverse("absence_remove", kwargs={"absence_id": absence.pk})).status_code
        == 404
    )
    assert _declare(client_for("erin"), carol, start="2030-01-07", end="2030-01-07").status_code == 403
    assert _declare(client_for("alice"), carol, start="2030-01-07", end="2030-01-07").status_code in {
        403,
        404,
    }
    assert _declare(client_for("quinn"), carol, start="2030-01-07", end="2030-01-07").status_code == 404
    assert Absence.objects.count() == 1
    response = client_for("pete").post(reverse("absence_remove", kwargs={"absence_id": absence.pk}))
    assert response.status_code == 302
    assert not Absence.objects.exists()
    assert AuditEntry.objects.filter(event="absence_removed", actor_id=cast.pete.pk).count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"start": "2030-01-08", "end": "2030-01-07"}, "end", "before the first day"),
        ({"start": "2030-01-01", "end": "2031-06-01"}, "end", "at most 366 days"),
        ({"start": "", "end": "2030-01-07"}, "start", "required"),
        ({"start": "2030-02-30", "end": "2030-03-01"}, "start", "valid date"),
        ({"start": "2030-01-07", "end": "2030-01-07", "reason": "x" * 201}, "reason", "at most 200"),
    ],
)
def test_bad_absences_are_refused_naming_the_field(
    cast: Cast, client_for, fields: dict[str, str], field: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    response = _declare(client_for("pete"), cast.carol.expert_profile, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}"' in html and 'aria-invalid="true"' in html
    assert words in html
    assert not Absence.objects.exists()
    assert not AuditEntry.objects.filter(event="absence_declared").exists()


def test_absences_take_capacity_on_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        carol = cast.carol.expert_profile  # India: Holi (22 March) and Good Friday (26 March) are off
        carol.weekly_capacity_hours = Decimal("37.5")  # 7.5 hours a working day
        carol.save()
        Assignment.objects.filter(expert=carol).delete()  # capacity only
        pete = client_for("pete")
        before = {
            row
            for row in page_rows(pete.get(reverse("capacity"), {"weeks": 2}).content.decode())
            if row[0] == carol.pk
        }
        _declare(client_for("carol"), carol, start="2027-03-30", end="2027-03-31")
        after = {
            row
            for row in page_rows(pete.get(reverse("capacity"), {"weeks": 2}).content.decode())
            if row[0] == carol.pk
        }
    assert sorted(before) == [
        (carol.pk, "2027-03-22", "22.50", "0.00", "22.50"),
        (carol.pk, "2027-03-29", "37.50", "0.00", "37.50"),
    ]
    assert sorted(after) == [
        (carol.pk, "2027-03-22", "22.50", "0.00", "22.50"),
        (carol.pk, "2027-03-29", "22.50", "0.00", "22.50"),
    ]


def test_an_absence_late_in_a_long_window_moves_hours_into_the_weeks_shown(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        carol = cast.carol.expert_profile
        carol.country, carol.time_zone = "DK", "Europe/Copenhagen"
        carol.weekly_capacity_hours = Decimal(40)
        carol.save()
        Assignment.objects.filter(expert=carol).delete()
        skill = EscoSkill.objects.order_by("id").first()
        assert skill is not None
        task = _open_task(
            cast, "Long study", dt.datetime(2027, 5, 7, 15, tzinfo=dt.UTC), skill, "in_progress"
        )
        # 23 March-7 May has 30 Danish working days (Easter, Ascension off); absent 3-7 May leaves 26,
        # so 52 hours are 2 a day and this week's two days (23, 24 March) carry 4
        _assign(carol, task, "52", cast.pete)
        Absence.objects.create(
            expert=carol, start=dt.date(2027, 5, 3), end=dt.date(2027, 5, 7), declared_by=cast.carol
        )
        html = client_for("pete").get(reverse("capacity"), {"weeks": 1}).content.decode()
    assert {row for row in page_rows(html) if row[0] == carol.pk} == {
        (carol.pk, "2027-03-22", "24.00", "4.00", "20.00")
    }
