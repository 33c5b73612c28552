"""Need-to-know, single-use links, watermarked and logged downloads, through the web and the API."""

from __future__ import annotations

import io

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.confidentiality import tokens
from kpo.confidentiality.models import Download, NdaSignature, UsedDownloadToken
from kpo.confidentiality.tokens import document_url, version_url
from kpo.engine.watermark import normalise, trace
from kpo.work.models import Assignment
from tests.api.conftest import Call
from tests.cast import SECRET_A, Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

BRIEF = (
    f"The {SECRET_A} programme measures every gearbox on line four. The first paragraph sets out "
    "what the client wants to learn, why it matters to the plant, and which figures must never leave "
    "the team. The second half lists the sensors, their sampling rates and the people to ask.\n\n"
    "Throughput fell by six percent after the new housings arrived, and nobody has explained why yet; "
    "the study should find out whether the bearings, the lubricant or the operators are the cause."
)


def _content(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def brief(cast: Cast):  # type: ignore[no-untyped-def]
    """Client A's brief as a longer text document, so a paragraph of it carries a whole fingerprint."""
    document = cast.document_a
    document.file.save("brief.txt", io.BytesIO(BRIEF.encode()), save=True)
    return document


def _denials() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event="access_denied").order_by("seq"))


def test_an_assigned_cleared_signed_expert_gets_a_copy_watermarked_for_her(
    cast: Cast, client_for, brief
) -> None:  # type: ignore[no-untyped-def]
    response = client_for("carol").get(document_url(cast.carol.pk, brief))
    assert response.status_code == 200
    body = _content(response)
    assert body != BRIEF.encode() and normalise(body.decode()).startswith(BRIEF[:40])
    assert "prepared for Carol Expert" in normalise(body.decode())
    download = Download.objects.get()
    assert (download.user, download.document, download.watermarked) == (cast.carol, brief, True)
    assert download.client == cast.org_a and download.ip == "127.0.0.1" and download.channel == "web"
    assert int(response["X-Kpo-Download"]) == download.pk
    # a single paragraph copied out of her copy names her download
    paragraph = normalise(body.decode()).split("\n\n")[0]
    assert paragraph.startswith("The Zephyr")
    copied = body.decode().split("\n\n")[0]
    assert trace(copied).code == download.pk
    entry = AuditEntry.objects.get(event="download")
    assert entry.details["download"] == download.pk and entry.details["watermarked"] is True


def test_the_client_gets_the_original_still_logged(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    for name in ("alice", "bob", "aud"):
        user = cast.users()[name]
        response = client_for(name).get(document_url(user.pk, brief))
        assert response.status_code == 200, name
        assert _content(response) == BRIEF.encode()
    assert Download.objects.filter(watermarked=False).count() == 3


def _refused(client: Client, url: str) -> None:
    before = len(_denials())
    response = client.get(url)
    assert response.status_code == 404
    assert SECRET_A.encode() not in _content(response)
    assert len(_denials()) == before + 1


def test_without_the_nda_nothing_opens_and_the_attempt_is_logged(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    NdaSignature.objects.filter(signer=cast.carol).delete()
    _refused(client_for("carol"), document_url(cast.carol.pk, brief))
    assert _denials()[-1].details["reason"] == "nda" and _denials()[-1].actor_id == cast.carol.pk
    assert not Download.objects.exists()
    page = (
        client_for("carol").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    )
    assert "Locked" in page and "Sign the client" in page
    assert reverse("nda_sign", kwargs={"nda_template_id": cast.nda_a.pk}) in page


def test_public_material_needs_no_nda(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    NdaSignature.objects.filter(signer=cast.carol).delete()
    brief.confidentiality = "internal"
    brief.save()
    assert client_for("carol").get(document_url(cast.carol.pk, brief)).status_code == 200


def test_without_clearance_nothing_opens(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    brief.confidentiality = "restricted"
    brief.save()
    _refused(client_for("carol"), document_url(cast.carol.pk, brief))
    assert _denials()[-1].details["reason"] == "clearance"
    profile = cast.carol.expert_profile
    profile.clearance = "restricted"
    profile.save()
    assert client_for("carol").get(document_url(cast.carol.pk, brief)).status_code == 200


@pytest.mark.parametrize("status", ["accepted", "cancelled"])
def test_access_ends_when_the_task_closes(cast: Cast, client_for, brief, status: str) -> None:  # type: ignore[no-untyped-def]
    cast.task_a.status = status
    cast.task_a.save()
    _refused(client_for("carol"), document_url(cast.carol.pk, brief))
    assert _denials()[-1].details["reason"] == "task_closed"
    # the client keeps its material
    assert client_for("bob").get(document_url(cast.bob.pk, brief)).status_code == 200


def test_access_ends_when_the_assignment_is_removed(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    Assignment.objects.filter(task=cast.task_a, expert__user=cast.carol).delete()
    _refused(client_for("carol"), document_url(cast.carol.pk, brief))


def test_unassigned_people_and_outsiders_get_a_logged_404(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    for name in ("erin", "dave", "quinn", "ivan", "ops"):
        _refused(client_for(name), document_url(cast.users()[name].pk, brief))
    assert _denials()[-1].organisation_id == cast.org_a.pk


def test_a_version_follows_the_same_rule(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = version_url(cast.carol.pk, cast.task_a.pk, cast.version_a)
    assert client_for("carol").get(url).status_code == 200
    NdaSignature.objects.filter(signer=cast.carol).delete()
    _refused(client_for("carol"), version_url(cast.carol.pk, cast.task_a.pk, cast.version_a))


# --- the single-use links -------------------------------------------------------------------------------


def test_a_link_works_once(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    url = document_url(cast.carol.pk, brief)
    carol = client_for("carol")
    assert carol.get(url).status_code == 200
    again = carol.get(url)
    assert again.status_code == 403 and b"already used" in again.content
    assert _denials()[-1].details["reason"] == "link_reused"
    assert Download.objects.count() == 1 and UsedDownloadToken.objects.count() == 1


def test_forged_and_foreign_links_fail(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    carol = client_for("carol")
    base = reverse("document_download", kwargs={"task_id": cast.task_a.pk, "document_id": brief.pk})
    token = tokens.make_token(cast.carol.pk, "document", brief.pk)
    for bad in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # tampered signature
        tokens.make_token(cast.rex.pk, "document", brief.pk),  # rex's link
        tokens.make_token(cast.carol.pk, "version", brief.pk),  # another kind of file
        tokens.make_token(cast.carol.pk, "document", brief.pk + 1),  # another document
        signing.dumps({"u": cast.carol.pk, "k": "document", "o": brief.pk, "n": "x"}, salt="other"),
        "garbage",
    ):
        response = carol.get(base, {"t": bad})
        assert response.status_code == 403, bad
        assert _denials()[-1].details["reason"] == "link_forged"
    assert not Download.objects.exists()


def test_a_missing_or_expired_link_sends_back_to_the_task(cast: Cast, client_for, brief, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    base = reverse("document_download", kwargs={"task_id": cast.task_a.pk, "document_id": brief.pk})
    response = client_for("carol").get(base)
    assert response.status_code == 302 and response["Location"].endswith("#documents")
    url = document_url(cast.carol.pk, brief)
    monkeypatch.setattr(tokens, "TOKEN_MAX_AGE", -1)
    response = client_for("carol").get(url)
    assert response.status_code == 302
    assert _denials()[-1].details["reason"] == "link_expired"
    assert not Download.objects.exists()


def test_the_task_page_links_carry_tokens_and_locks_show_reasons(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    page = client_for("carol").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk}))
    body = page.content.decode()
    assert f"/documents/{brief.pk}/download?t=" in body
    assert "Confidentiality" in body and "watermarked for you" in body
    cast.carol.expert_profile.clearance = "internal"
    cast.carol.expert_profile.save()
    body = (
        client_for("carol").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    )
    assert (
        "Your clearance is below this material" in body
        and "/download?t=" not in body.split("deliverables")[0]
    )


# --- the API: the same rule, no link token, still logged and watermarked ---------------------------------


def test_api_downloads_are_watermarked_and_logged(cast: Cast, call: Call, brief) -> None:
    path = f"/api/tasks/{cast.task_a.pk}/documents/{brief.pk}/download"
    response = call("GET", path, "carol")
    assert response.status_code == 200
    body = _content(response)
    download = Download.objects.get()
    assert download.channel == "api" and download.watermarked
    assert trace(body, filename="brief.txt").code == download.pk
    NdaSignature.objects.filter(signer=cast.carol).delete()
    refused = call("GET", path, "carol")
    assert refused.status_code == 404 and SECRET_A.encode() not in refused.content
    assert _denials()[-1].details["reason"] == "nda"
    assert call("GET", path, "erin").status_code == 404


def test_an_unwatermarkable_pdf_is_not_released(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    document = cast.document_a
    document.original_name, document.content_type = "broken.pdf", "application/pdf"
    document.file.save("broken.pdf", ContentFile(b"%PDF-1.4\nnot really"), save=True)
    response = client_for("carol").get(document_url(cast.carol.pk, document))
    assert response.status_code == 302
    assert not Download.objects.exists()
    assert _denials()[-1].details["reason"] == "watermark_failed"
    assert client_for("bob").get(document_url(cast.bob.pk, document)).status_code == 200


def test_other_formats_are_served_unchanged_but_logged(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    document = cast.document_a
    document.original_name, document.content_type = "data.csv", "text/plain"
    document.file.save("data.csv", ContentFile(b"a,b\n1,2\n"), save=True)
    response = client_for("carol").get(document_url(cast.carol.pk, document))
    assert _content(response) == b"a,b\n1,2\n"
    assert Download.objects.get().watermarked is False


def test_a_manager_without_profile_holds_the_default_clearance(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    assert client_for("pete").get(document_url(cast.pete.pk, brief)).status_code == 200
    brief.confidentiality = "restricted"
    brief.save()
    assert client_for("pete").get(document_url(cast.pete.pk, brief)).status_code == 404


def test_text_is_redacted_for_the_provider_side_before_watermarking(cast: Cast, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    from kpo.redaction.services import sensitive_term_create

    sensitive_term_create(user=cast.alice, client=cast.org_a, term="line four", category="product")
    carol_copy = normalise(_content(client_for("carol").get(document_url(cast.carol.pk, brief))).decode())
    assert "line four" not in carol_copy and "[" in carol_copy
    bob_copy = _content(client_for("bob").get(document_url(cast.bob.pk, brief))).decode()
    assert "line four" in bob_copy  # the client keeps the original
