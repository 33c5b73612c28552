"""Wording variants on the client's side: review, approve or lock (audited), copies that differ in their
words, and a retyped copy traced back to its downloader."""

from __future__ import annotations

import io
import random

import pytest
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.confidentiality.models import Download, WordingReview
from kpo.confidentiality.tokens import document_url
from kpo.confidentiality.tracing import leak_trace_for_client
from kpo.engine.watermark import normalise
from tests.cast import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

BRIEF_EN = (
    "Revenue in the advisory segment grew by 12 % in the third quarter, ahead of the budget. "
    "Operating costs were kept in check, although travel and recruitment ran above plan. "
    "We recommend that the steering committee approves the revised staffing plan before March. "
    "The main risk is churn among senior analysts, which we mitigate with retention bonuses.\n\n"
    "Competitor pricing in the Nordic region has fallen, and we expect pressure on margins next year. "
    "The data room contains the signed agreements, the model and the management presentation. "
    "The findings are preliminary and must not be shared outside the project group. "
    "Three of the five workstreams are on schedule, and the remaining two have recovery plans. "
    "A detailed breakdown by client and by expert is attached as an appendix to this memo.\n"
)
BRIEF_DA = (
    "Omsætningen inden for rådgivning steg med 12 % i tredje kvartal, hvilket er over budgettet. "
    "Driftsomkostningerne blev holdt nede, selv om rejser og rekruttering lå over planen. "
    "Vi anbefaler, at styregruppen godkender den reviderede bemandingsplan inden marts. "
    "Den største risiko er udskiftning blandt erfarne analytikere, som vi imødegår med bonusser. "
    "Konkurrenternes priser i Norden er faldet, og vi forventer pres på marginerne næste år. "
    "Datarummet indeholder de underskrevne aftaler, modellen og ledelsespræsentationen. "
    "Resultaterne er foreløbige og må ikke deles uden for projektgruppen.\n"
)


def _content(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def _brief(cast: Cast, text: str = BRIEF_EN):  # type: ignore[no-untyped-def]
    document = cast.document_a
    document.file.save("brief.md", io.BytesIO(text.encode()), save=True)
    document.original_name = "brief.md"
    document.content_type = "text/markdown"
    document.save()
    return document


def _url(document) -> str:  # type: ignore[no-untyped-def]
    return reverse("document_wording", kwargs={"task_id": document.task_id, "document_id": document.pk})


def _retype(text: str, seed: int = 3) -> str:
    """Typed again by hand: every invisible mark gone, one typo per 50 characters."""
    plain = list(" ".join(normalise(text).split()))
    rng = random.Random(seed)
    letters = [i for i, c in enumerate(plain) if c.isalpha()]
    for i in rng.sample(letters, len(plain) // 50):
        plain[i] = "x" if plain[i] != "x" else "y"
    return "".join(plain)


def test_the_client_admin_sees_the_choice_points_and_the_cost_of_locking(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast)
    page = client_for("alice").get(_url(document))
    assert page.status_code == 200
    html = page.content.decode()
    assert "in the third quarter" in html and "in Q3" in html  # a point, with its alternative
    assert 'id="wording-approve"' in html and 'id="wording-lock"' in html
    assert "no longer does" in html  # what locking costs, in plain words
    assert "Not reviewed" in html


def test_the_auditor_reads_the_page_without_deciding_and_others_are_kept_out(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast)
    html = client_for("aud").get(_url(document)).content.decode()
    assert "in Q3" in html and 'id="wording-approve"' not in html
    assert client_for("bob").get(_url(document)).status_code == 403
    assert client_for("carol").get(_url(document)).status_code in {403, 404}
    assert client_for("dave").get(_url(document)).status_code == 404
    response = client_for("aud").post(_url(document), {"decision": "approved"})
    assert response.status_code == 302 and not WordingReview.objects.exists()


def test_a_bad_decision_changes_nothing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast)
    response = client_for("alice").post(_url(document), {"decision": "publish"}, follow=True)
    assert response.status_code == 200
    assert "Choose to approve the variants or to lock the document." in response.content.decode()
    assert not WordingReview.objects.exists()


def test_approved_variants_make_each_copy_trace_even_when_retyped(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast)
    client_for("alice").post(_url(document), {"decision": "approved"})
    review = WordingReview.objects.get()
    assert (review.status, review.language, review.sha256) == ("approved", "en", document.sha256)
    entry = AuditEntry.objects.filter(event="classification_changed").latest("seq")
    assert entry.details["wording"] == "approved" and entry.details["points"] == review.points > 10
    body = _content(client_for("carol").get(document_url(cast.carol.pk, document))).decode()
    download = Download.objects.get()
    visible = normalise(body)
    assert visible.split("\n\n")[0] != BRIEF_EN.split("\n\n")[0]  # the words themselves differ
    retyped = _retype(body.split("\n\n")[1])
    report = leak_trace_for_client(user=cast.alice, organisation=cast.org_a, text=retyped)
    assert report.download == download
    assert "wording" in report.result.channels_found
    assert AuditEntry.objects.filter(event="leak_traced").latest("seq").details["named"] is True


def test_danish_variants_trace_too(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast, BRIEF_DA)
    client_for("alice").post(_url(document), {"decision": "approved"})
    assert WordingReview.objects.get().language == "da"
    body = _content(client_for("carol").get(document_url(cast.carol.pk, document))).decode()
    retyped = _retype(body.split("\n\n")[0])
    report = leak_trace_for_client(user=cast.alice, organisation=cast.org_a, text=retyped)
    assert report.download == Download.objects.get()


def test_locked_legal_text_keeps_every_word_and_a_retyped_copy_names_nobody(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast)
    client_for("alice").post(_url(document), {"decision": "locked"})
    assert WordingReview.objects.get().status == "locked"
    body = _content(client_for("carol").get(document_url(cast.carol.pk, document))).decode()
    assert normalise(body).startswith(BRIEF_EN.split("\n\n")[0])
    retyped = _retype(body.split("\n\n")[1])
    report = leak_trace_for_client(user=cast.alice, organisation=cast.org_a, text=retyped)
    assert report.download is None


def test_an_unmarked_retyped_original_names_nobody(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast)
    client_for("alice").post(_url(document), {"decision": "approved"})
    for name in ("carol",):
        client_for(name).get(document_url(cast.users()[name].pk, document))
    report = leak_trace_for_client(user=cast.alice, organisation=cast.org_a, text=_retype(BRIEF_EN))
    assert report.download is None


def test_a_changed_file_gets_no_variants_until_reviewed_again(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast)
    client_for("alice").post(_url(document), {"decision": "approved"})
    WordingReview.objects.update(sha256="f" * 64)  # a file other than the one reviewed
    body = _content(client_for("carol").get(document_url(cast.carol.pk, document))).decode()
    assert normalise(body).startswith(BRIEF_EN.split("\n\n")[0])
    assert "changed since it was reviewed" in client_for("alice").get(_url(document)).content.decode()
