"""An engagement's glossary: kept by the client side (checked, audited), read by everyone on the
engagement, offered on the task page and beside the message box, and redacted wherever the provider side
would read the client's sensitive terms redacted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.glossary import services
from kpo.glossary.models import FORM_MAX_LENGTH, GlossaryTerm
from kpo.redaction.models import SensitiveTerm
from kpo.work.models import Task
from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _term(cast: Cast, english: str, danish: str, definition: str = "A definition.") -> GlossaryTerm:
    return services.glossary_term_create(
        user=cast.alice, engagement=cast.engagement_a, english=english, danish=danish, definition=definition
    )


def _glossary_url(cast: Cast) -> str:
    return reverse("glossary", kwargs={"engagement_id": cast.engagement_a.pk})


# --- keeping the glossary ----------------------------------------------------------------------------------


def test_the_client_side_adds_changes_and_removes_terms_audited(cast: Cast, client_for: Any) -> None:
    bob = client_for("bob")
    data = {"english": "  Cut-off   date ", "danish": "Skæringsdato", "definition": "The last day counted."}
    assert bob.post(_glossary_url(cast), data).status_code == 302
    term = GlossaryTerm.objects.get(engagement=cast.engagement_a)
    assert (term.english, term.danish, term.created_by) == ("Cut-off date", "Skæringsdato", cast.bob)
    edit = reverse("glossary_term_edit", kwargs={"glossary_term_id": term.pk})
    assert bob.get(edit).status_code == 200
    changed = {"english": "Cut-off date", "danish": "Skæringsdag", "definition": "The last day counted."}
    assert bob.post(edit, changed).status_code == 302
    term.refresh_from_db()
    assert term.danish == "Skæringsdag"
    delete = reverse("glossary_term_delete", kwargs={"glossary_term_id": term.pk})
    assert client_for("alice").post(delete).status_code == 302
    assert not GlossaryTerm.objects.exists()
    entries = AuditEntry.objects.filter(event="glossary_changed").order_by("seq")
    assert [e.details["action"] for e in entries] == ["add", "change", "delete"]
    assert entries[1].details["before"] == "Cut-off date / Skæringsdato"
    assert entries[1].details["after"] == "Cut-off date / Skæringsdag"
    assert {e.organisation_id for e in entries} == {cast.org_a.pk}


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"english": "   ", "danish": "Dato", "definition": "x"}, "english", "This field is required."),
        ({"english": "Date", "danish": "", "definition": "x"}, "danish", "This field is required."),
        ({"english": "Date", "danish": "Dato", "definition": ""}, "definition", "This field is required."),
        ({"english": "x" * (FORM_MAX_LENGTH + 1), "danish": "Dato", "definition": "x"}, "english", "at most"),
        ({"english": "Date", "danish": "Dato", "definition": "x" * 1001}, "definition", "at most"),
        ({"english": "---", "danish": "Dato", "definition": "x"}, "english", "at least one letter or digit"),
        ({"english": "TERM", "danish": "Dato", "definition": "x"}, "english", "already in this glossary"),
        ({"english": "Date", "danish": "udtryk", "definition": "x"}, "danish", "already in this glossary"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    cast: Cast, client_for: Any, data: dict[str, str], field: str, reason: str
) -> None:
    _term(cast, "Term", "Udtryk")
    response = client_for("alice").post(_glossary_url(cast), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert reason in body and f'id="id_{field}_errors"' in body
    assert GlossaryTerm.objects.count() == 1


def test_the_service_checks_again_whatever_the_caller(cast: Cast) -> None:
    _term(cast, "Exposure", "Eksponering")
    for kwargs, field in (
        ({"english": "exposure", "danish": "Risiko"}, "english"),
        ({"english": "Risk", "danish": "EKSPONERING"}, "danish"),
        ({"english": "Risk\x00", "danish": "Risiko", "definition": "ok"}, "english"),
        ({"english": "Risk", "danish": "Risiko", "definition": "bad\x07"}, "definition"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.glossary_term_create(
                user=cast.alice,
                engagement=cast.engagement_a,
                **{"definition": "Meaning.", **kwargs},  # type: ignore[arg-type]
            )
        assert field in refused.value.message_dict
    assert GlossaryTerm.objects.count() == 1
    other = services.glossary_term_create(
        user=cast.dave, engagement=cast.engagement_b, english="Exposure", danish="Eksponering", definition="x"
    )
    assert other.pk  # unique per engagement, not across engagements


def test_only_the_client_side_keeps_the_glossary(cast: Cast, client_for: Any) -> None:
    term = _term(cast, "Throughput", "Gennemløb")
    data = {"english": "Leak", "danish": "Læk", "definition": "x"}
    for who in ("aud", "pete", "carol", "rex"):
        client = client_for(who)
        assert client.get(_glossary_url(cast)).status_code == 200  # they read it
        assert client.post(_glossary_url(cast), data).status_code == 403
        edit = reverse("glossary_term_edit", kwargs={"glossary_term_id": term.pk})
        assert client.post(edit, data).status_code == 403
        delete = reverse("glossary_term_delete", kwargs={"glossary_term_id": term.pk})
        assert client.post(delete).status_code == 403
    for who in ("dave", "quinn", "erin", "ivan"):
        assert client_for(who).get(_glossary_url(cast)).status_code == 404
    assert list(GlossaryTerm.objects.values_list("english", flat=True)) == ["Throughput"]
    assert "Add a term" not in client_for("pete").get(_glossary_url(cast)).content.decode()


# --- where the glossary shows ------------------------------------------------------------------------------


def test_the_task_page_lists_the_terms_the_description_uses_first(cast: Cast, client_for: Any) -> None:
    Task.objects.filter(pk=cast.task_a.pk).update(
        description="Measure the line's gennemløb and its scrap rate."
    )
    _term(cast, "Availability", "Tilgængelighed", "Share of planned time the line runs.")
    _term(cast, "Scrap rate", "Kassationsrate", "Share of parts thrown away.")
    _term(cast, "Throughput", "Gennemløb", "Good parts per hour.")
    body = (
        client_for("carol").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    )
    panel = body.split('id="glossary"')[1].split("</section>")[0]
    assert "2 terms are used in this task" in panel
    order = [panel.index(word) for word in ("Scrap rate", "Throughput", "Availability")]
    assert order == sorted(order)  # used first (by English form), then the rest
    box = body.split('id="glossary-terms"')[1].split("</div>")[0]
    assert 'data-insert="Gennemløb"' in box and 'data-insert="Availability"' in box
    assert body.index('id="glossary-terms"') < body.index('id="id_msg-body"')  # beside the message box


def test_the_engagement_page_links_to_the_glossary(cast: Cast, client_for: Any) -> None:
    url = reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
    assert "Keep the glossary" in client_for("bob").get(url).content.decode()  # empty, but bob keeps it
    assert 'id="glossary-link"' not in client_for("pete").get(url).content.decode()  # nothing to read yet
    _term(cast, "Throughput", "Gennemløb")
    body = client_for("pete").get(url).content.decode()
    assert "1 term in English and Danish." in body and _glossary_url(cast) in body


# --- redaction wins ----------------------------------------------------------------------------------------


def _redaction_world(cast: Cast) -> GlossaryTerm:
    SensitiveTerm.objects.create(client=cast.org_a, term="Tailwind", category="product")
    Task.objects.filter(pk=cast.task_a.pk).update(description="Measure the Tailwind gearbox line.")
    _term(cast, "Availability", "Tilgængelighed", "Uptime share.")
    return _term(
        cast, "Tailwind gearbox", "Tailwind-gearkasse", "The gearbox of Tailwind; call +45 12 34 56 78."
    )


def test_a_term_holding_a_sensitive_term_is_redacted_for_the_provider_side(
    cast: Cast, client_for: Any
) -> None:
    _redaction_world(cast)
    task_url = reverse("task_detail", kwargs={"task_id": cast.task_a.pk})
    for who in ("pete", "carol", "rex"):
        for url in (task_url, _glossary_url(cast)):
            body = client_for(who).get(url).content.decode()
            assert "Tailwind" not in body, (who, url)
            assert "12 34 56 78" not in body
            assert "[PRODUCT-1] gearbox" in body and "Availability" in body
    carol = client_for("carol").get(task_url).content.decode()
    assert "Measure the [PRODUCT-1] gearbox line." in carol  # the same placeholder as the description
    assert "1 term is used in this task" in carol  # the term is used, as a placeholder, in the description
    for who in ("alice", "bob", "aud"):
        body = client_for(who).get(_glossary_url(cast)).content.decode()
        assert "Tailwind gearbox" in body and "Tailwind-gearkasse" in body


def test_the_api_redacts_as_the_pages_do(cast: Cast, call: Call) -> None:
    _redaction_world(cast)
    path = f"/api/engagements/{cast.engagement_a.pk}/glossary"
    provider = call("GET", path, "carol").json()["items"]
    assert [item["english"] for item in provider] == ["Availability", "[PRODUCT-1] gearbox"]
    assert "Tailwind" not in str(provider) and "12 34" not in str(provider)
    client = call("GET", path, "bob").json()["items"]
    assert [item["danish"] for item in client] == ["Tilgængelighed", "Tailwind-gearkasse"]


# --- the API -----------------------------------------------------------------------------------------------


def test_the_api_lists_creates_and_deletes_terms(cast: Cast, call: Call) -> None:
    path = f"/api/engagements/{cast.engagement_a.pk}/glossary"
    body = {"english": "Line", "danish": "Linje", "definition": "A production line."}
    created = call("POST", path, "alice", json=body)
    assert created.status_code == 201 and created.json()["english"] == "Line"
    duplicate = call("POST", path, "alice", json={**body, "english": "LINE"})
    assert duplicate.status_code == 422 and "english" in duplicate.text and "already" in duplicate.text
    assert call("POST", path, "alice", json={**body, "english": ""}).status_code == 422
    assert call("POST", path, "pete", json={**body, "english": "Other"}).status_code == 403
    assert call("POST", path, "dave", json={**body, "english": "Other"}).status_code == 404
    assert call("GET", path, "rex").json()["count"] == 1
    assert call("GET", path, "dave").status_code == 404
    term_path = f"/api/glossary-terms/{created.json()['id']}"
    assert call("DELETE", term_path, "carol").status_code == 403
    assert call("DELETE", term_path, "bob").status_code == 204
    assert call("GET", path, "alice").json()["count"] == 0
