from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from kpo.experts.models import Degree, EscoSkill, ExpertDomain, ExpertLanguage, ExpertProfile, ExpertSkill
from tests.cast import SECRET_A, Cast

pytestmark = pytest.mark.django_db


def expert_url(profile: ExpertProfile) -> str:
    return reverse("expert_detail", kwargs={"expert_id": profile.pk})


def test_directory_renders_what_each_user_may_see(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice").get(reverse("expert_list"))
    assert alice.status_code == 200
    body = alice.content.decode()
    assert "Carol Expert" in body and "Ivan Insider" in body and "India" in body
    dave = client_for("dave").get(reverse("expert_list")).content.decode()
    assert "Carol Expert" in dave and "Ivan Insider" not in dave and SECRET_A not in dave
    pete = client_for("pete").get(reverse("expert_list")).content.decode()
    assert "Erin Idle" in pete and "Ivan Insider" not in pete


def test_directory_filters(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    carol = cast.carol.expert_profile
    skill = EscoSkill.objects.order_by("id").first()
    assert skill is not None
    ExpertSkill.objects.create(expert=carol, skill=skill, proficiency=4)
    Degree.objects.create(expert=carol, level="phd", field="Mechanics", institution="IIT Bombay", year=2015)
    ExpertLanguage.objects.create(expert=carol, language="hi", level="native")
    ExpertDomain.objects.create(expert=carol, domain="data_analysis")
    client = client_for("alice")

    def names(**params: object) -> set[str]:
        body = client.get(reverse("expert_list"), params).content.decode()
        return {n for n in ("Carol Expert", "Rex Reviewer", "Erin Idle", "Ivan Insider") if n in body}

    assert names(skill=skill.pk) == {"Carol Expert"}
    assert names(degree="phd") == {"Carol Expert"}
    assert names(language="hi") == {"Carol Expert"}
    assert names(domain="data_analysis") == {"Carol Expert"}
    assert names(country="DK") == {"Ivan Insider"}
    assert names(q="reviewer") == {"Rex Reviewer"}
    assert names(q="analyst") == {"Rex Reviewer", "Erin Idle"}
    assert skill.label in client.get(reverse("expert_list"), {"skill": skill.pk}).content.decode()
    # nonsense filters are ignored, never a 500
    for params in (
        {"skill": "abc"},
        {"skill": "99999999999999999999999"},
        {"domain": "astrology"},
        {"country": "ZZ"},
        {"page": "-3"},
    ):
        assert client.get(reverse("expert_list"), params).status_code == 200, params


def test_skill_suggestions(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    skill = EscoSkill.objects.order_by("id").first()
    assert skill is not None
    client = client_for("bob")
    htmx = {"HTTP_HX_REQUEST": "true"}
    response = client.get(reverse("expert_list"), {"skill_q": skill.label[:12]}, **htmx)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<option value="{skill.pk}">' in body and "<html" not in body
    assert "Any skill" in client.get(reverse("expert_list"), {"skill_q": "a"}, **htmx).content.decode()
    assert "<html" in client.get(reverse("expert_list"), {"skill_q": "a"}).content.decode()
    assert Client().get(reverse("expert_list"), {"skill_q": "ab"}, **htmx).status_code == 302


def test_profile_and_cost_rate_visibility(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    carol = cast.carol.expert_profile
    ExpertProfile.objects.filter(pk=carol.pk).update(cost_rate=Decimal("31.50"))
    for name, sees_cost in (("pete", True), ("rex", True), ("alice", False), ("dave", False)):
        response = client_for(name).get(expert_url(carol))
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "Production engineer" in body and "€60.00" in body
        assert ("Cost rate" in body) is sees_cost, name
        assert ("31.50" in body) is sees_cost, name
    assert client_for("ops").get(expert_url(carol)).status_code == 404  # no standing access for operators


def test_internal_expert_profile_stays_inside_the_client(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("alice").get(expert_url(cast.ivan_profile)).status_code == 200
    for name in ("dave", "pete", "quinn"):
        response = client_for(name).get(expert_url(cast.ivan_profile))
        assert response.status_code == 404, name
        assert SECRET_A not in response.content.decode()
    assert client_for("alice").get("/experts/999999/").status_code == 404


def test_my_profile(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("carol").get(reverse("my_profile"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Carol Expert" in body and "your profile" in body and "Cost rate" in body
    assert client_for("bob").get(reverse("my_profile")).status_code == 404
    assert client_for("ops").get(reverse("my_profile")).status_code == 404


def test_expert_list_has_a_fixed_query_count(
    cast: Cast, client_for, django_assert_max_num_queries, settings
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("pete")
    settings.KPO_SESSION_IDLE_MINUTES = 0  # no "last seen" writes, which come once a minute
    client.get(reverse("expert_list"))  # the session's first request records when it began

    def count() -> int:
        with django_assert_max_num_queries(12) as captured:
            response = client.get(reverse("expert_list"))
        assert response.status_code == 200
        return len(captured.captured_queries)

    before = count()
    for n in range(30):
        user = User.objects.create(username=f"extra{n}", first_name="Extra", last_name=f"Expert {n:02d}")
        profile = ExpertProfile.objects.create(
            user=user,
            organisation=cast.provider_p,
            headline="Analyst",
            country="IN",
            time_zone="Asia/Kolkata",
            cost_rate=Decimal(20),
            bill_rate=Decimal(40),
            rate_currency="EUR",
        )
        ExpertLanguage.objects.create(expert=profile, language="en", level="C1")
        ExpertDomain.objects.create(expert=profile, domain="data_analysis")
    assert count() == before
    body = client.get(reverse("expert_list")).content.decode()
    assert "33 experts" in body and "Page 1 of 2" in body
