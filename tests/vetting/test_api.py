"""The vetting API: records, transitions, credentials (list, create, verify, evidence), passport,
engagement requirements. Every response is checked against the OpenAPI schema by `call`."""

from __future__ import annotations

import io

import pytest

from kpo.vetting.models import Credential, EngagementRequirements, VettingRecord
from tests.api.conftest import Call
from tests.cast import Cast
from tests.vetting.helpers import PDF, take_to

pytestmark = pytest.mark.django_db


def _file(content: bytes = PDF, name: str = "msc.pdf") -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_the_pipeline_through_the_api(cast: Cast, call: Call) -> None:
    carol_id = cast.carol.expert_profile.pk
    base = f"/api/vetting/experts/{carol_id}"
    assert call("GET", base, "carol").json()["vetted_on_kpo"] is False
    started = call("POST", base, "carol", json={"note": "please"})
    assert started.status_code == 201 and started.json()["state"] == "applied"
    assert call("POST", base, "carol", json={}).status_code == 409  # already in vetting
    refused = call("POST", f"{base}/transitions", "pete", json={"state": "screening"})
    assert refused.status_code == 409
    assert refused.json()["errors"] == [
        {
            "field": "platform_terms_signed_on",
            "message": "The expert must sign the platform terms before screening starts.",
        }
    ]
    take_to(cast.erin.expert_profile, "applied", manager=cast.pete)  # (unrelated record: lists show both)
    from kpo.vetting.services.passport import terms_sign

    terms_sign(user=cast.carol, expert=cast.carol.expert_profile)
    moved = call(
        "POST", f"{base}/transitions", "pete", json={"state": "screening", "expected_state": "applied"}
    )
    assert moved.status_code == 200 and moved.json()["state"] == "screening"
    assert [h["to_state"] for h in moved.json()["history"]] == ["screening", "applied"]
    created = call(
        "POST",
        f"{base}/credentials",
        "carol",
        data={"kind": "degree", "level": "master", "title": "MSc", "file": _file()},
    )
    assert (
        created.status_code == 201
        and created.json()["status"] == "claimed"
        and created.json()["valid"] is False
    )
    credential_id = created.json()["id"]
    assert (
        call(
            "POST",
            f"/api/vetting/credentials/{credential_id}/verify",
            "carol",
            json={"method": "registry_check"},
        ).status_code
        == 403
    )
    verified = call(
        "POST", f"/api/vetting/credentials/{credential_id}/verify", "pete", json={"method": "registry_check"}
    )
    assert (
        verified.status_code == 200
        and verified.json()["valid"] is True
        and verified.json()["verified_by"] == "pete"
    )
    listed = call("GET", f"{base}/credentials", "carol").json()
    assert listed["count"] == 1
    evidence = call("GET", f"/api/vetting/credentials/{credential_id}/evidence", "pete")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF
    assert (
        call("POST", f"{base}/transitions", "pete", json={"state": "credentials_verified"}).status_code == 200
    )
    bad_score = call("POST", f"{base}/transitions", "pete", json={"state": "trial_scored", "trial_score": 7})
    assert bad_score.status_code == 422 and bad_score.json()["errors"][0]["field"] == "trial_score"
    no_score = call("POST", f"{base}/transitions", "pete", json={"state": "trial_scored"})
    assert no_score.status_code == 422 and no_score.json()["errors"][0]["field"] == "trial_score"
    assert (
        call(
            "POST", f"{base}/transitions", "pete", json={"state": "trial_scored", "trial_score": "4.0"}
        ).status_code
        == 200
    )
    active = call("POST", f"{base}/transitions", "pete", json={"state": "active"}).json()
    assert (
        active["state"] == "active"
        and active["profile_status"] == "active"
        and active["reverification_due_on"]
    )
    passport = call("GET", f"{base}/passport", "carol").json()
    assert passport["baseline_shortfalls"] == [] and passport["credentials"][0]["title"] == "MSc"
    records = call("GET", "/api/vetting/records?state=active", "pete").json()
    assert [r["expert"]["id"] for r in records["items"]] == [carol_id]
    assert call("GET", "/api/vetting/records", "quinn").json()["count"] == 0
    assert call("GET", "/api/vetting/records", "carol").json()["count"] == 1  # her own


def test_bad_credential_uploads_change_nothing(cast: Cast, call: Call) -> None:
    base = f"/api/vetting/experts/{cast.carol.expert_profile.pk}/credentials"
    disguised = call(
        "POST",
        base,
        "carol",
        data={
            "kind": "degree",
            "level": "phd",
            "title": "PhD",
            "file": _file(b"MZ\x90\x00binary", "phd.pdf"),
        },
    )
    assert disguised.status_code == 409 and disguised.json()["errors"][0]["field"] == "file"
    no_level = call("POST", base, "carol", data={"kind": "degree", "title": "PhD", "file": _file()})
    assert no_level.status_code == 422 and no_level.json()["errors"][0]["field"] == "level"
    bad_kind = call("POST", base, "carol", data={"kind": "diploma", "title": "PhD", "file": _file()})
    assert bad_kind.status_code == 422
    not_hers = call(
        "POST", base, "carol", data={"kind": "licence", "title": "PE", "degree_id": 999999, "file": _file()}
    )
    assert not_hers.status_code == 422 and not_hers.json()["errors"][0]["field"] == "degree"
    assert not Credential.objects.exists()


def test_outsiders_get_nothing(cast: Cast, call: Call) -> None:
    take_to(cast.carol.expert_profile, "applied", manager=cast.pete)
    base = f"/api/vetting/experts/{cast.carol.expert_profile.pk}"
    assert call("GET", base, "dave").status_code == 404  # sees the marketplace expert; her vetting is hidden
    assert call("GET", base, "quinn").status_code == 404  # another provider does not see her at all
    transition = {"state": "rejected", "comment": "x"}
    assert call("POST", f"{base}/transitions", "quinn", json=transition).status_code == 404
    assert call("POST", f"{base}/transitions", "rex", json=transition).status_code == 404
    assert (
        call("GET", f"/api/vetting/experts/{cast.ivan_profile.pk}", "dave").status_code == 404
    )  # A's own staff
    assert VettingRecord.objects.get().state == "applied"


def test_engagement_requirements(cast: Cast, call: Call) -> None:
    url = f"/api/vetting/engagements/{cast.engagement_a.pk}/requirements"
    assert call("GET", url, "pete").json()["set"] is False
    saved = call(
        "PUT",
        url,
        "alice",
        json={
            "min_degree_level": "phd",
            "required_trainings": ["GDPR", "gdpr"],
            "background_check_max_age_months": 12,
        },
    )
    assert saved.status_code == 200
    assert saved.json()["required_trainings"] == ["GDPR"] and saved.json()["set"] is True
    assert call("PUT", url, "bob", json={}).status_code == 403
    assert call("PUT", url, "alice", json={"background_check_max_age_months": 0}).status_code == 422
    assert call("PUT", url, "alice", json={"min_degree_level": "guru"}).status_code == 422
    assert call("GET", url, "dave").status_code == 404
    assert EngagementRequirements.objects.get().background_check_max_age_months == 12
