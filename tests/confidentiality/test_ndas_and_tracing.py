"""NDAs (templates, versions, signing, the PDF record), the clearance rule, leak tracing, audit of levels."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kpo.audit.models import AuditEntry
from kpo.confidentiality import services
from kpo.confidentiality.models import NdaSignature, NdaVersion
from kpo.confidentiality.rules import clearance_rules
from kpo.confidentiality.tokens import document_url
from kpo.core.errors import DomainError
from kpo.matching.rule_registry import rules_for_task
from kpo.work import services as work_services
from kpo.work.models import Task
from tests.cast import SECRET_A, Cast
from tests.confidentiality.test_vault import BRIEF

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _sign_url(cast: Cast) -> str:
    return reverse("nda_sign", kwargs={"nda_template_id": cast.nda_a.pk})


# --- templates and versions -------------------------------------------------------------------------


def test_editing_the_text_makes_a_new_version_and_asks_everyone_to_sign_again(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    edit = reverse("nda_template_edit", kwargs={"nda_template_id": cast.nda_a.pk})
    assert alice.get(edit).status_code == 200
    response = alice.post(edit, {"title": "Acme NDA 2027", "text": "New terms.", "in_force": "on"})
    assert response.status_code == 302
    versions = list(NdaVersion.objects.filter(template=cast.nda_a).order_by("number"))
    assert [v.number for v in versions] == [1, 2] and versions[1].text == "New terms."
    assert versions[0].text.startswith("The recipient")  # the signed version is kept
    entry = AuditEntry.objects.get(event="nda_template_changed")
    assert entry.details["version"] == 2 and entry.details["new_version"] is True
    # carol signed version 1 only: her confidential material is locked again
    assert client_for("carol").get(document_url(cast.carol.pk, cast.document_a)).status_code == 404
    # saving the same text again changes no version
    alice.post(edit, {"title": "Acme NDA 2027", "text": "New terms.", "in_force": "on"})
    assert NdaVersion.objects.filter(template=cast.nda_a).count() == 2


def test_bad_template_input_names_the_field_and_changes_nothing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    edit = reverse("nda_template_edit", kwargs={"nda_template_id": cast.nda_a.pk})
    response = client_for("alice").post(edit, {"title": "", "text": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"title", "text"}
    assert NdaVersion.objects.filter(template=cast.nda_a).count() == 1
    # requesters and auditors read NDAs but do not change them
    assert client_for("bob").post(edit, {"title": "x", "text": "y"}).status_code == 403
    listing = reverse("nda_templates", kwargs={"organisation_id": cast.org_a.pk})
    assert client_for("aud").get(listing).status_code == 200
    assert client_for("aud").post(listing, {"title": "x", "text": "y"}).status_code == 403
    assert client_for("dave").get(listing).status_code == 404


def test_a_new_template_in_force_takes_the_old_one_out(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    listing = reverse("nda_templates", kwargs={"organisation_id": cast.org_a.pk})
    response = client_for("alice").post(
        listing, {"title": "Short NDA", "text": "Keep quiet.", "in_force": "on"}
    )
    assert response.status_code == 302
    cast.nda_a.refresh_from_db()
    assert not cast.nda_a.in_force
    assert client_for("carol").get(document_url(cast.carol.pk, cast.document_a)).status_code == 404


# --- signing ------------------------------------------------------------------------------------------


def test_an_expert_signs_in_the_browser(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    NdaSignature.objects.filter(signer=cast.carol).delete()
    carol = client_for("carol")
    page = carol.get(_sign_url(cast))
    assert page.status_code == 200 and SECRET_A in page.content.decode()
    version = NdaVersion.objects.get(template=cast.nda_a)
    wrong = carol.post(_sign_url(cast), {"typed_name": "Carol Someone", "version": version.pk})
    assert wrong.status_code == 400 and "Carol Expert" in wrong.content.decode()
    assert not NdaSignature.objects.filter(signer=cast.carol).exists()
    next_url = reverse("task_detail", kwargs={"task_id": cast.task_a.pk})
    signed = carol.post(
        _sign_url(cast),
        {"typed_name": "  carol   expert ", "version": version.pk, "next": next_url},
        REMOTE_ADDR="203.0.113.9",
    )
    assert signed.status_code == 302 and signed["Location"] == next_url
    signature = NdaSignature.objects.get(signer=cast.carol)
    assert signature.version == version and signature.ip == "203.0.113.9"
    assert signature.text_sha256 == services.text_sha256(version.text) == version.sha256
    entry = AuditEntry.objects.get(event="nda_signed")
    assert entry.details["sha256"] == version.sha256 and entry.actor_id == cast.carol.pk
    assert carol.get(document_url(cast.carol.pk, cast.document_a)).status_code == 200
    # signing twice, or an outdated version, is refused
    with pytest.raises(DomainError):
        services.nda_sign(user=cast.carol, version=version, typed_name="Carol Expert", ip=None)


def test_a_stale_version_in_the_form_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    NdaSignature.objects.filter(signer=cast.carol).delete()
    old = NdaVersion.objects.get(template=cast.nda_a)
    services.nda_template_save(
        user=cast.alice, client=cast.org_a, template=cast.nda_a, title="t", text="v2", in_force=True
    )
    response = client_for("carol").post(_sign_url(cast), {"typed_name": "Carol Expert", "version": old.pk})
    assert response.status_code == 400 and "changed while you read it" in response.content.decode()
    assert not NdaSignature.objects.filter(signer=cast.carol).exists()


def test_the_client_does_not_sign_and_outsiders_do_not_see(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    version = NdaVersion.objects.get(template=cast.nda_a)
    assert (
        client_for("alice")
        .post(_sign_url(cast), {"typed_name": "Alice Admin", "version": version.pk})
        .status_code
        == 403
    )
    for name in ("erin", "dave", "quinn", "ivan"):
        assert client_for(name).get(_sign_url(cast)).status_code == 404, name


def test_the_signed_record_is_a_pdf_for_the_signer_and_the_clients_admins(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    signature = NdaSignature.objects.get(signer=cast.carol)
    url = reverse("nda_signature_pdf", kwargs={"nda_signature_id": signature.pk})
    for name in ("carol", "alice", "aud"):
        response = client_for(name).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", name
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "Carol Expert" in text and signature.text_sha256 in text.replace("\n", "")
    for name in ("bob", "pete", "rex", "erin", "dave"):
        assert client_for(name).get(url).status_code == 404, name


def test_the_pdf_prints_the_signed_text_exactly(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    given = "\u00c6r\u00f8 \u2013 \u201c\u0141\u00f3d\u017a\u201d \u20ac 100 \u2014 \u2603"
    signature = NdaSignature.objects.get(signer=cast.carol)
    NdaVersion.objects.filter(pk=signature.version_id).update(text=given)
    NdaSignature.objects.filter(pk=signature.pk).update(typed_name="S\u00f8ren \u0141\u0105cki")
    url = reverse("nda_signature_pdf", kwargs={"nda_signature_id": signature.pk})
    text = PdfReader(io.BytesIO(client_for("carol").get(url).content)).pages[0].extract_text()
    assert given in text and "S\u00f8ren \u0141\u0105cki" in text and "?" not in text


# --- matching and staffing: clearance >= the task's level ---------------------------------------------


def test_the_clearance_rule_lists_the_few_below_the_level(cast: Cast) -> None:
    erin = cast.erin.expert_profile
    erin.clearance = "internal"
    erin.save()
    [rule] = clearance_rules(cast.task_a, timezone.now())  # confidential
    assert rule.name == "clearance" and not rule.allow and rule.listed == frozenset({erin.pk})
    assert "internal" in rule.details[erin.pk]
    cast.task_a.confidentiality = "restricted"
    [rule] = clearance_rules(cast.task_a, timezone.now())
    assert rule.allow and rule.listed == frozenset()
    assert "clearance" in [getattr(r, "name", "") for r in rules_for_task(cast.task_a, timezone.now())]
    cast.task_a.confidentiality = "public"
    assert clearance_rules(cast.task_a, timezone.now()) == []


def test_assigning_an_expert_below_the_task_level_is_refused(cast: Cast) -> None:
    task = Task.objects.create(
        engagement=cast.engagement_a,
        title="Restricted study",
        description="x",
        effort_hours=Decimal(4),
        due_at=timezone.now() + dt.timedelta(days=3),
        status="staffing",
        confidentiality="restricted",
        created_by=cast.bob,
    )
    with pytest.raises(DomainError) as caught:
        work_services.assignment_create(
            user=cast.pete, task=task, expert=cast.erin.expert_profile, role="maker", planned_hours=Decimal(4)
        )
    assert caught.value.field == "expert" and "clearance" in caught.value.message
    assert not task.assignments.exists()


# --- leak tracing ----------------------------------------------------------------------------------------


@pytest.fixture
def leaked(cast: Cast, client_for) -> tuple[bytes, int]:  # type: ignore[no-untyped-def]
    document = cast.document_a
    document.file.save("brief.txt", io.BytesIO(BRIEF.encode()), save=True)
    response = client_for("carol").get(document_url(cast.carol.pk, document))
    return b"".join(response.streaming_content), int(response["X-Kpo-Download"])


def test_trace_leak_names_the_recipient_of_a_file_and_of_pasted_text(
    cast: Cast, leaked, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    body, download_id = leaked
    path = tmp_path / "leak.txt"
    path.write_bytes(body)
    out = io.StringIO()
    call_command("trace_leak", str(path), stdout=out)
    text = out.getvalue()
    assert "Recipient: Carol Expert (carol" in text and f"Download: {download_id}," in text
    assert "Document: Brief (brief.txt)" in text
    assert float(text.split("Confidence: ")[1].split()[0]) >= 0.99
    assert "(certain: text channels" in text
    paragraph = body.decode().split("\n\n")[1]
    monkeypatch.setattr("sys.stdin", io.StringIO(paragraph))
    out = io.StringIO()
    call_command("trace_leak", "-", stdout=out)
    assert f"Download: {download_id}," in out.getvalue()


def test_trace_leak_says_when_there_is_no_fingerprint(tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "clean.txt"
    path.write_text(BRIEF)
    with pytest.raises(CommandError) as caught:
        call_command("trace_leak", str(path))
    assert "No fingerprint found" in str(caught.value) and caught.value.returncode == 1
    with pytest.raises(CommandError) as caught:
        call_command("trace_leak", str(tmp_path / "missing.pdf"))
    assert caught.value.returncode == 2


def test_the_trace_form_names_the_expert_to_the_clients_admin(cast: Cast, client_for, leaked) -> None:  # type: ignore[no-untyped-def]
    body, download_id = leaked
    url = reverse("leak_trace", kwargs={"organisation_id": cast.org_a.pk})
    paragraph = body.decode().split("\n\n")[0]
    page = client_for("alice").post(url, {"text": paragraph}).content.decode()
    assert re.search(r"This copy was downloaded by Carol Expert on \d{1,2} \w{3} \d{4} — certain\.", page)
    assert str(download_id) in page.split("Technical detail")[1]  # the download's number: behind the toggle
    entry = AuditEntry.objects.get(event="leak_traced")
    assert entry.details["named"] is True and entry.details["recipient"] == "carol"
    upload = SimpleUploadedFile("leak.txt", body)
    page = client_for("alice").post(url, {"file": upload}).content.decode()
    assert "This copy was downloaded by Carol Expert on" in page
    clean = client_for("alice").post(url, {"text": BRIEF}).content.decode()
    assert "No fingerprint found" in clean
    empty = client_for("alice").post(url, {"text": "  "})
    assert empty.status_code == 400 and "Upload a file or paste some text." in empty.content.decode()
    assert client_for("bob").get(url).status_code == 403
    assert client_for("dave").get(url).status_code == 404


def test_another_clients_admin_is_not_told_whose_download_it_was(cast: Cast, client_for, leaked) -> None:  # type: ignore[no-untyped-def]
    body, _download_id = leaked
    url = reverse("leak_trace", kwargs={"organisation_id": cast.org_b.pk})
    page = client_for("dave").post(url, {"text": body.decode()}).content.decode()
    assert "This copy was downloaded by" not in page and "(carol)" not in page
    assert "not from a download of your organisation" in page


# --- levels and clearances are audited ---------------------------------------------------------------------


def test_classification_changes_are_audited(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    work_services.engagement_update(user=cast.bob, engagement=cast.engagement_a, confidentiality="restricted")
    entry = AuditEntry.objects.get(event="classification_changed")
    assert entry.object_type == "engagement" and entry.details == {"from": "confidential", "to": "restricted"}
    url = reverse("document_classify", kwargs={"task_id": cast.task_a.pk, "document_id": cast.document_a.pk})
    assert client_for("alice").post(url, {"confidentiality": "internal"}).status_code == 302
    cast.document_a.refresh_from_db()
    assert cast.document_a.confidentiality == "internal"
    last = AuditEntry.objects.filter(event="classification_changed").last()
    assert last is not None and last.object_type == "task_document"
    # a requester may not; a bad level changes nothing
    client_for("bob").post(url, {"confidentiality": "public"})
    client_for("alice").post(url, {"confidentiality": "secret"})
    cast.document_a.refresh_from_db()
    assert cast.document_a.confidentiality == "internal"


def test_clearance_changes_are_audited(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    profile = cast.carol.expert_profile
    url = reverse("expert_clearance", kwargs={"expert_id": profile.pk})
    assert client_for("pete").post(url, {"clearance": "restricted"}).status_code == 302
    profile.refresh_from_db()
    assert profile.clearance == "restricted"
    entry = AuditEntry.objects.get(event="clearance_changed")
    assert entry.details == {"from": "confidential", "to": "restricted"} and entry.actor_id == cast.pete.pk
    client_for("carol").post(url, {"clearance": "public"})  # not her own to change
    profile.refresh_from_db()
    assert profile.clearance == "restricted"
    with pytest.raises(ValidationError):
        services.expert_clearance_set(user=cast.pete, expert=profile, clearance="top-secret")


def test_only_client_admins_set_a_level_at_upload(cast: Cast) -> None:
    upload = work_services.Upload(stream=io.BytesIO(b"notes"), name="notes.txt")
    with pytest.raises(DomainError) as caught:
        work_services.task_document_add(
            user=cast.bob, task=cast.task_a, title="n", upload=upload, confidentiality="restricted"
        )
    assert caught.value.field == "confidentiality"
    upload = work_services.Upload(stream=io.BytesIO(b"notes"), name="notes.txt")
    document = work_services.task_document_add(
        user=cast.alice, task=cast.task_a, title="n", upload=upload, confidentiality="restricted"
    )
    assert document.effective_confidentiality == "restricted"
