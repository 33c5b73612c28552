"""The shortlist and why-not selectors: the engine's answers with names, for one viewer."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.translation import override

from kpo.engine.matching import shortlist, why_not
from kpo.matching.index_cache import cache, expert_index
from kpo.matching.records import task_requirements
from kpo.matching.selectors import affinities_for, shortlist_for_task, why_not_for
from tests.cast import Cast
from tests.matching.helpers import give_skill, impossible_task, more_experts

pytestmark = pytest.mark.django_db


def test_the_selector_agrees_with_the_engine(cast: Cast) -> None:
    give_skill(cast, "rex", "erin", "ivan")
    now = timezone.now()
    mine = shortlist_for_task(cast.task_a, 10, now=now)
    engine = shortlist(expert_index(now), task_requirements(cast.task_a, now), n=10)
    assert [row.entry.expert_id for row in mine.rows] == engine.expert_ids
    assert [row.entry.total for row in mine.rows] == [entry.total for entry in engine.entries]
    assert (
        mine.rows[0].expert.name == "Ivan Insider"
        and mine.rows[0].expert.organisation_name == cast.org_a.name
    )
    assert mine.message == "3 of 4 experts are eligible. Excluded by: skills 1."


def test_hiding_the_clients_staff(cast: Cast) -> None:
    give_skill(cast, "ivan")
    result = shortlist_for_task(cast.task_a, now=timezone.now(), sees_client_staff=False)
    assert result.rows == () and result.hidden_client_staff == 1
    assert result.emptied_by == "client_staff_hidden"
    assert "Only the client's own staff qualify" in result.advice


def test_the_affinity_seam_is_neutral_for_now(cast: Cast) -> None:
    assert affinities_for(cast.task_a) is None
    give_skill(cast, "erin")
    row = shortlist_for_task(cast.task_a, now=timezone.now()).rows[0]
    assert row.lines[0].component == "affinity" and row.lines[0].value == 0.5
    assert row.lines[0].text == "not computed yet: neutral for everyone"


def test_why_not_agrees_with_the_engine(cast: Cast) -> None:
    task = impossible_task(cast)
    now = timezone.now()
    answer = why_not_for(task, cast.carol.expert_profile, now=now)
    engine = why_not(expert_index(now), task_requirements(task, now), cast.carol.expert_profile.pk)
    assert [f.rule for f in answer.failures] == [f.rule for f in engine] == ["skills"]
    assert answer.failures[0].detail == "holds 0 of the 1 required skills at the level asked; 1 needed"
    assert answer.failures[0].label == "Skills"


def test_why_not_for_an_expert_newer_than_the_index(cast: Cast) -> None:
    expert_index()
    (newcomer,) = more_experts(cast, 1)
    with cache()._lock:  # the index is being rebuilt elsewhere: the previous one is served meanwhile
        answer = why_not_for(cast.task_a, newcomer, now=timezone.now())
    assert answer.eligible and answer.assessment.expert_id == newcomer.pk


def test_texts_follow_the_language(cast: Cast) -> None:
    give_skill(cast, "erin")
    with override("da"):
        result = shortlist_for_task(cast.task_a, now=timezone.now())
        assert result.rows and result.message  # renders in Danish (translations may lag behind)


def test_the_advice_names_the_smallest_relaxation_and_what_it_restores(cast: Cast) -> None:
    result = shortlist_for_task(cast.task_a, now=timezone.now(), sees_client_staff=False)
    assert result.eligible == 0 and result.relax_rules == ("skills",)
    assert result.relax_restores == 2  # rex and erin, once they need not hold the skill
    assert "Relax skills: 2 experts would then be eligible." in result.advice
