"""The vetting pages: queue, an expert's vetting (allowed actions only), forms with bad input, uploads,
the logged evidence download, the passport page and panels, engagement requirements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.experts.models import ExpertProfile
from kpo.vetting.models import (
    BackgroundCheck,
    Credential,
    EngagementRequirements,
    Reference,
    Training,
    VettingRecord,
)
from tests.cast import Cast
from tests.vetting.helpers import PDF, add_degree, take_to, today

pytestmark = pytest.mark.django_db


def _url(name: str, cast: Cast, who: str = "carol") -> str:
    return reverse(name, kwargs={"vetting_expert_id": cast.users()[who].expert_profile.pk})


def test_the_expert_applies_signs_and_adds_evidence(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    carol = client_for("carol")
    page = carol.get(_url("vetting_expert", cast)).content.decode()
    assert "Apply for vetting" in page and "Not vetted on kpo" in page
    assert carol.post(_url("vetting_start", cast), {"note": ""}).status_code == 302
    assert VettingRecord.objects.get(expert__user=cast.carol).state == "applied"
    assert carol.post(_url("vetting_terms_sign", cast)).status_code == 302
    signed_again = carol.post(_url("vetting_terms_sign", cast))
    assert signed_again.status_code == 400 and "already signed" in signed_again.content.decode()
    response = carol.post(
        _url("vetting_credential_add", cast),
        {"kind": "degree", "level": "master", "title": "MSc", "file": SimpleUploadedFile("msc.pdf", PDF)},
    )
    assert response.status_code == 302
    credential = Credential.objects.get(expert__user=cast.carol)
    assert credential.status == "claimed" and credential.content_type == "application/pdf"
    page = carol.get(_url("vetting_expert", cast)).content.decode()
    # the expert may withdraw, but sees no manager action and cannot verify her own credential
    assert (
        "Withdraw from vetting" in page and "Start screening" not in page and "Verify or reject" not in page
    )


def test_evidence_whose_content_does_not_match_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    carol = client_for("carol")
    for name, content in (
        ("diploma.pdf", b"MZ\x90\x00\x03\x00\x00\x00binary"),
        ("diploma.pdf", b"just text"),
        ("x.txt", b""),
    ):
        response = carol.post(
            _url("vetting_credential_add", cast),
            {"kind": "degree", "level": "master", "title": "MSc", "file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "not accepted" in body or "empty" in body
    assert not Credential.objects.exists()


def test_credential_form_names_each_bad_field(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    response = pete.post(
        _url("vetting_credential_add", cast),
        {
            "kind": "degree",
            "title": "MSc",
            "issued_on": (today() + dt.timedelta(days=3)).isoformat(),
            "file": SimpleUploadedFile("msc.pdf", PDF),
        },
    )
    assert response.status_code == 400
    assert "Say which level the degree is." in response.content.decode()
    response = pete.post(
        _url("vetting_credential_add", cast),
        {
            "kind": "licence",
            "title": "PE",
            "issued_on": "2020-01-01",
            "expires_on": "2019-01-01",
            "file": SimpleUploadedFile("pe.pdf", PDF),
        },
    )
    assert "The expiry date must be after the issue date." in response.content.decode()
    response = pete.post(_url("vetting_credential_add", cast), {"kind": "diploma", "title": ""})
    assert response.status_code == 400 and not Credential.objects.exists()


def test_the_manager_sees_only_the_allowed_transitions_and_moves_the_vetting(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    take_to(cast.carol.expert_profile, "applied", manager=cast.pete)
    pete = client_for("pete")
    page = pete.get(_url("vetting_expert", cast)).content.decode()
    assert "Start screening" in page and "Reject" in page and "Activate" not in page
    response = pete.post(
        _url("vetting_transition", cast), {"state": "screening", "expected_state": "applied"}
    )
    assert response.status_code == 400 and "sign the platform terms" in response.content.decode()
    assert VettingRecord.objects.get(expert__user=cast.carol).state == "applied"
    response = pete.post(_url("vetting_transition", cast), {"state": "rejected", "comment": "Fake"})
    assert response.status_code == 302
    assert VettingRecord.objects.get(expert__user=cast.carol).state == "rejected"


def test_verifying_a_credential_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    credential = add_degree(cast.carol.expert_profile, cast.carol)
    url = reverse("vetting_credential_verify", kwargs={"credential_id": credential.pk})
    assert (
        client_for("carol").post(url, {"method": "registry_check", "outcome": "verified"}).status_code == 403
    )
    pete = client_for("pete")
    response = pete.post(
        url, {"outcome": "rejected", "method": "document_review", "credential_id": credential.pk}
    )
    assert response.status_code == 400 and "Say why the credential is rejected." in response.content.decode()
    future = (today() + dt.timedelta(days=1)).isoformat()
    response = pete.post(url, {"outcome": "verified", "method": "registry_check", "verified_on": future})
    assert response.status_code == 400 and "This date is in the future." in response.content.decode()
    credential.refresh_from_db()
    assert credential.status == "claimed"
    response = pete.post(url, {"outcome": "verified", "method": "issuer_confirmation"})
    assert response.status_code == 302
    credential.refresh_from_db()
    assert (credential.status, credential.method, credential.verified_by) == (
        "verified",
        "issuer_confirmation",
        cast.pete,
    )


def test_evidence_is_served_only_through_the_logged_download(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    credential = add_degree(cast.carol.expert_profile, cast.carol)
    url = reverse("vetting_credential_evidence", kwargs={"credential_id": credential.pk})
    for outsider in ("alice", "dave", "erin", "quinn"):
        assert client_for(outsider).get(url).status_code == 404
    response = client_for("pete").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    entry = AuditEntry.objects.filter(event="download", object_type="credential").get()
    assert entry.object_id == str(credential.pk)


def test_passport_items_forms_refuse_bad_input(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    future = (today() + dt.timedelta(days=5)).isoformat()
    response = pete.post(
        _url("vetting_background_check_add", cast),
        {"provider": "SecureCheck", "checked_on": future, "result": "clear"},
    )
    assert response.status_code == 400 and "This date is in the future." in response.content.decode()
    response = pete.post(
        _url("vetting_background_check_add", cast),
        {"provider": "SecureCheck", "checked_on": "2026-01-05", "result": "spotless"},
    )
    assert response.status_code == 400
    response = pete.post(
        _url("vetting_reference_add", cast), {"name": "Ann", "relation": "manager", "outcome": "positive"}
    )
    assert (
        response.status_code == 400 and "Say when the reference was contacted." in response.content.decode()
    )
    response = pete.post(
        _url("vetting_training_add", cast),
        {"name": "GDPR", "completed_on": "2026-01-05", "expires_on": "2026-01-01"},
    )
    assert response.status_code == 400 and "after the completion date" in response.content.decode()
    assert not (BackgroundCheck.objects.exists() or Reference.objects.exists() or Training.objects.exists())
    assert (
        pete.post(
            _url("vetting_background_check_add", cast),
            {"provider": "SecureCheck", "checked_on": "2026-01-05", "result": "clear"},
        ).status_code
        == 302
    )
    # the expert records nothing about herself but her credentials and signature
    assert (
        client_for("carol")
        .post(_url("vetting_training_add", cast), {"name": "X", "completed_on": "2026-01-05"})
        .status_code
        == 403
    )


def test_the_queue_lists_by_stage_and_due_reverifications(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    take_to(cast.carol.expert_profile, "screening", manager=cast.pete)
    record = take_to(cast.erin.expert_profile, "active", manager=cast.pete)
    VettingRecord.objects.filter(pk=record.pk).update(reverification_due_on=today() - dt.timedelta(days=1))
    page = client_for("pete").get(reverse("vetting_queue")).content.decode()
    assert "Carol Expert" in page and "Erin Idle" in page and "overdue: not matchable" in page
    assert "1 expert was onboarded directly" in page  # rex
    quinn_page = client_for("quinn").get(reverse("vetting_queue")).content.decode()
    assert "Carol Expert" not in quinn_page
    assert (
        client_for("carol").get(reverse("vetting_queue"))["Location"].endswith(_url("vetting_expert", cast))
    )
    assert client_for("alice").get(reverse("vetting_queue")).status_code == 404


def test_the_policy_form(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    bad = pete.post(
        reverse("vetting_policy"),
        {"organisation": cast.provider_q.pk, "reverification_months": 6, "trial_pass_score": 3},
    )
    assert bad.status_code == 400
    bad = pete.post(
        reverse("vetting_policy"),
        {"organisation": cast.provider_p.pk, "reverification_months": 0, "trial_pass_score": 3},
    )
    assert bad.status_code == 400
    ok = pete.post(
        reverse("vetting_policy"),
        {"organisation": cast.provider_p.pk, "reverification_months": 6, "trial_pass_score": 3},
    )
    assert ok.status_code == 302
    assert "re-verify every 6 months" in pete.get(reverse("vetting_queue")).content.decode()


def test_the_passport_page_and_the_profile_panel(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    take_to(cast.carol.expert_profile, "active", manager=cast.pete)
    page = client_for("carol").get(_url("vetting_passport", cast)).content.decode()
    assert "MSc Industrial Engineering" in page and "Registry check" in page
    profile = reverse("expert_detail", kwargs={"expert_id": cast.carol.expert_profile.pk})
    for viewer in ("alice", "dave"):  # clients who may see the marketplace expert see the summary
        panel = client_for(viewer).get(profile).content.decode()
        assert "Compliance passport" in panel and "MSc Industrial Engineering" in panel
        assert "Vetting and passport" not in panel  # but no link into the vetting itself
    assert "Vetting and passport" in client_for("pete").get(profile).content.decode()
    rex = reverse("expert_detail", kwargs={"expert_id": ExpertProfile.objects.get(user=cast.rex).pk})
    assert "Not vetted on kpo" in client_for("pete").get(rex).content.decode()


def test_engagement_requirements_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("vetting_engagement_requirements", kwargs={"engagement_id": cast.engagement_a.pk})
    alice = client_for("alice")
    detail = alice.get(reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk}))
    assert "Set passport requirements" in detail.content.decode()
    bad = alice.post(url, {"require_platform_terms": "on", "background_check_max_age_months": "0"})
    assert bad.status_code == 400 and not EngagementRequirements.objects.exists()
    ok = alice.post(
        url,
        {
            "require_platform_terms": "on",
            "require_verified_credential": "on",
            "min_degree_level": "phd",
            "background_check_max_age_months": "12",
            "required_trainings": "GDPR basics\n gdpr   basics\nExport control",
        },
    )
    assert ok.status_code == 302
    saved = EngagementRequirements.objects.get()
    assert saved.training_list == ["GDPR basics", "Export control"] and saved.min_degree_level == "phd"
    assert client_for("bob").post(url, {"min_degree_level": "bachelor"}).status_code == 403
    assert (
        "a clear background check under 12 months old"
        in client_for("pete")
        .get(reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk}))
        .content.decode()
    )
    assert AuditEntry.objects.filter(event="vetting_changed", object_type="engagement").count() == 1


@pytest.mark.parametrize("hostile", ["%", "_", "x" * 101])
def test_the_queue_is_searched_by_name_or_email_and_says_when_it_is_cut(
    cast: Cast,
    client_for,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    hostile: str,
) -> None:
    take_to(cast.carol.expert_profile, "screening", manager=cast.pete)
    take_to(cast.erin.expert_profile, "active", manager=cast.pete)
    pete = client_for("pete")
    url = reverse("vetting_queue")
    by_name = pete.get(url, {"q": "carol exp"}).content.decode()
    assert 'role="search"' in by_name and "Carol Expert" in by_name and "Erin Idle" not in by_name
    by_email = pete.get(url, {"q": cast.erin.email.upper()}).content.decode()
    assert "Erin Idle" in by_email and "Carol Expert" not in by_email
    response = pete.get(url, {"q": hostile})
    assert response.status_code == 200
    body = response.content.decode()
    if len(hostile) > 100:  # named and ignored: the whole queue shows
        assert "errorlist" in body and "Carol Expert" in body and "Erin Idle" in body
    else:  # matched literally: nobody's name or e-mail holds it
        assert "No expert in vetting matches the search." in body and "Carol Expert" not in body
    monkeypatch.setattr("kpo.vetting.selectors.QUEUE_LIMIT", 1)
    monkeypatch.setattr("kpo.vetting.views.QUEUE_LIMIT", 1)
    cut = pete.get(url).content.decode()
    assert "More than 1 experts: the first 1 by name are shown." in cut
    assert "More than" not in pete.get(url, {"q": "erin"}).content.decode()
