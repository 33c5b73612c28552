"""Staffing pages speak plainly: dates in the reader's language (never 12/07/2026 4:08 a.m.), the plan's
quality as "proven best" or "within X % of the best possible", the solver's terms behind a toggle."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kpo.staffing.models import StaffingRun
from kpo.staffing.selectors import plan_verdict
from kpo.work.models import Task
from tests.cast import Cast

pytestmark = pytest.mark.django_db
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|[ap]\.m\.")


@pytest.mark.parametrize(
    ("result", "words"),
    [
        ({"status": "optimal", "gap": 0.0}, "best possible plan"),
        ({"status": "feasible", "gap": 0.0234}, "within 2.3 % of the best possible"),
        ({"status": "feasible", "gap": 0.0000001}, "best possible plan"),
        ({"status": "feasible", "gap": None}, "is not known"),
        ({"status": "feasible", "gap": 5.0}, "is not known"),
    ],
)
def test_the_verdict_in_plain_words(result: dict[str, object], words: str) -> None:
    with translation.override("en"):
        assert words in plan_verdict(result)


def test_the_verdict_in_danish() -> None:
    with translation.override("da"):
        assert "2,3 %" in plan_verdict({"status": "feasible", "gap": 0.0234})


def test_run_pages_use_local_dates_and_keep_the_solver_behind_a_toggle(
    cast: Cast,
    staffable: list[Task],
    start_run: Callable[..., StaffingRun],
    client_for: Callable[[str], Client],
) -> None:
    run = start_run(staffable)
    pete = client_for("pete")
    detail = pete.get(reverse("staffing_run_detail", kwargs={"run_id": run.pk})).content.decode()
    verdict = re.search(r'<p id="plan-verdict">([^<]+)</p>', detail)
    assert verdict is not None and "best" in verdict.group(1)
    toggle = detail[detail.index("<summary>Technical detail</summary>") :]
    assert "Upper bound" in toggle and 'translate="no"' in toggle
    before_toggle = detail[: detail.index("<summary>Technical detail</summary>")]
    for jargon in ("Bound", "Gap", "HiGHS", "branch and bound", "LP"):
        assert jargon not in before_toggle, jargon
    runs = pete.get(reverse("staffing_runs")).content.decode()
    assert not US_DATE.search(runs) and not US_DATE.search(detail)
    pete.cookies["django_language"] = "da"
    danish = pete.get(reverse("staffing_run_detail", kwargs={"run_id": run.pk})).content.decode()
    assert "Teknisk" in danish and not US_DATE.search(danish)
