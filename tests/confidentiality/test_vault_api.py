"""The vault in the API: NDAs (templates, versions, signatures), the download log and leak tracing, with
the pages' rules, the same audit entries, clear 4xx answers for bad input and fixed query counts."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.confidentiality.models import Download, NdaSignature, NdaTemplate, NdaVersion
from kpo.confidentiality.tokens import document_url
from kpo.orgs.services import api_token_create
from tests.api.conftest import Call
from tests.cast import SECRET_A, Cast
from tests.confidentiality.test_vault import BRIEF

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _errors(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {e["field"]: e["message"] for e in response.json()["errors"]}


# --- templates and versions ---------------------------------------------------------------------------


def test_the_clients_admins_and_auditors_list_its_ndas(cast: Cast, call: Call) -> None:
    path = f"/api/organisations/{cast.org_a.pk}/ndas"
    for who in ("alice", "aud"):
        response = call("GET", path, who)
        assert response.status_code == 200, who
        (item,) = response.json()["items"]
        assert item["title"] == "Acme mutual NDA" and item["in_force"] is True
        assert item["current_version"]["number"] == 1 and item["client"]["id"] == cast.org_a.pk
    assert call("GET", path, "bob").status_code == 403
    assert call("GET", path, "dave").status_code == 404
    assert call("GET", path, "carol").status_code == 404


def test_an_admin_creates_an_nda_and_a_new_version_audited(cast: Cast, call: Call) -> None:
    path = f"/api/organisations/{cast.org_a.pk}/ndas"
    created = call("POST", path, "alice", json={"title": "Stricter NDA", "text": "Keep it all secret."})
    assert created.status_code == 201
    template = NdaTemplate.objects.get(pk=created.json()["id"])
    cast.nda_a.refresh_from_db()
    assert template.in_force and not cast.nda_a.in_force  # one in force per client
    assert AuditEntry.objects.filter(event="nda_template_changed", object_id=str(template.pk)).exists()

    versions = f"/api/ndas/{template.pk}/versions"
    added = call("POST", versions, "alice", json={"text": "Keep it all secret, always."})
    assert added.status_code == 201 and added.json()["number"] == 2
    same = call("POST", versions, "alice", json={"text": "Keep it all secret, always."})
    assert same.status_code == 409 and "text" in _errors(same)
    listed = call("GET", versions, "aud").json()["items"]
    assert [v["number"] for v in listed] == [2, 1]
    assert call("GET", versions, "carol").status_code == 403  # she reads the NDA, not its record
    assert call("GET", versions, "dave").status_code == 404

    patched = call("PATCH", f"/api/ndas/{template.pk}", "alice", json={"in_force": False, "title": "Old NDA"})
    assert patched.status_code == 200 and patched.json()["in_force"] is False
    assert patched.json()["title"] == "Old NDA" and patched.json()["current_version"]["number"] == 2
    assert NdaVersion.objects.filter(template=template).count() == 2  # the text did not change


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "text": "x"}, "title"),
        ({"title": "NDA", "text": "   "}, "text"),
        ({"title": "NDA", "text": "bad\x00text"}, "text"),
        ({"title": "NDA", "text": "x" * 50_001}, "text"),
        ({"title": "x" * 201, "text": "x"}, "title"),
    ],
)
def test_bad_nda_input_names_the_field_and_changes_nothing(
    cast: Cast, call: Call, body: dict[str, str], field: str
) -> None:
    before = NdaTemplate.objects.count()
    response = call("POST", f"/api/organisations/{cast.org_a.pk}/ndas", "alice", json=body)
    assert response.status_code == 422 and field in _errors(response)
    assert NdaTemplate.objects.count() == before


def test_only_admins_change_ndas_and_read_only_tokens_change_nothing(cast: Cast, call: Call) -> None:
    path = f"/api/organisations/{cast.org_a.pk}/ndas"
    body = {"title": "Mine", "text": "Mine."}
    assert call("POST", path, "aud", json=body).status_code == 403
    assert call("POST", f"/api/ndas/{cast.nda_a.pk}/versions", "bob", json={"text": "New"}).status_code == 403
    assert call("PATCH", f"/api/ndas/{cast.nda_a.pk}", "pete", json={"title": "Mine"}).status_code == 403
    read_only = api_token_create(user=cast.alice, name="reader", read_only=True)[1]
    assert call("POST", path, None, json=body, token=read_only).status_code == 403
    assert call("GET", path, None, token=read_only).status_code == 200
    assert NdaTemplate.objects.count() == 1


def test_an_expert_with_a_need_to_know_reads_and_signs_the_current_version(cast: Cast, call: Call) -> None:
    template = f"/api/ndas/{cast.nda_a.pk}"
    read = call("GET", template, "carol").json()
    assert read["signed_by_me"] is True and read["may_sign"] is False and read["current_version"]["text"]
    new = call("POST", f"{template}/versions", "alice", json={"text": "Version two of the agreement."}).json()
    assert call("GET", template, "carol").json()["may_sign"] is True

    sign = f"{template}/signatures"
    wrong_name = call("POST", sign, "carol", json={"version_id": new["id"], "typed_name": "Someone Else"})
    assert wrong_name.status_code == 422 and "typed_name" in _errors(wrong_name)
    old = NdaVersion.objects.get(template=cast.nda_a, number=1)
    stale = call("POST", sign, "carol", json={"version_id": old.pk, "typed_name": "Carol Expert"})
    assert stale.status_code == 409 and "version" in _errors(stale)
    foreign = call("POST", sign, "carol", json={"version_id": 10**9, "typed_name": "Carol Expert"})
    assert foreign.status_code == 422 and "version_id" in _errors(foreign)
    signed = call("POST", sign, "carol", json={"version_id": new["id"], "typed_name": "carol  expert"})
    assert signed.status_code == 201
    body = signed.json()
    assert (body["version"], body["signer"], body["ip"]) == (2, "carol", "127.0.0.1")
    assert AuditEntry.objects.filter(event="nda_signed", object_id=str(body["id"])).exists()
    again = call("POST", sign, "carol", json={"version_id": new["id"], "typed_name": "Carol Expert"})
    assert again.status_code == 409
    client_side = call("POST", sign, "alice", json={"version_id": new["id"], "typed_name": "Alice Admin"})
    assert client_side.status_code == 403
    assert call("POST", sign, "erin", json={"version_id": new["id"], "typed_name": "Erin"}).status_code == 404

    # the signer sees their own signatures; the client's admins and auditors see everyone's
    mine = call("GET", sign, "carol").json()["items"]
    assert {s["signer"] for s in mine} == {"carol"} and len(mine) == 2
    everyone = call("GET", sign, "aud").json()["items"]
    assert {s["signer"] for s in everyone} == {"carol", "rex", "pete"}
    record = call("GET", f"/api/nda-signatures/{body['id']}", "alice")
    assert record.status_code == 200 and record.json()["text_sha256"] == new["sha256"]
    assert call("GET", f"/api/nda-signatures/{body['id']}", "rex").status_code == 404
    pdf = call("GET", f"/api/nda-signatures/{body['id']}/pdf", "carol")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )


# --- the download log -----------------------------------------------------------------------------------


@pytest.fixture
def brief(cast: Cast):  # type: ignore[no-untyped-def]
    document = cast.document_a
    document.file.save("brief.txt", io.BytesIO(BRIEF.encode()), save=True)
    return document


def _downloads(cast: Cast, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        Download.objects.create(
            at=now - dt.timedelta(minutes=i + 1),
            user=cast.rex,
            client=cast.org_a,
            task=cast.task_a,
            title="Old brief",
            file_name=f"old-{i}.txt",
            sha256="0" * 64,
            recipient="Rex Reviewer",
            channel="api",
            watermarked=True,
        )


def test_the_download_log_is_filtered_and_paginated(cast: Cast, call: Call, client_for, brief) -> None:  # type: ignore[no-untyped-def]
    assert client_for("carol").get(document_url(cast.carol.pk, brief)).status_code == 200
    assert client_for("bob").get(document_url(cast.bob.pk, brief)).status_code == 200
    _downloads(cast, 3)
    path = f"/api/organisations/{cast.org_a.pk}/downloads"
    everything = call("GET", path, "aud").json()
    assert everything["count"] == 5
    newest = everything["items"][0]
    assert newest["task"] == {"id": cast.task_a.pk, "name": cast.task_a.title}
    assert newest["document_id"] == brief.pk and newest["channel"] == "web"
    web = call("GET", f"{path}?channel=web&watermarked=true", "alice").json()
    assert [item["user"] for item in web["items"]] == ["carol"]
    assert call("GET", f"{path}?q=rex%20reviewer", "alice").json()["count"] == 3
    assert call("GET", f"{path}?limit=2&offset=1", "alice").json()["items"][0]["file_name"] == "brief.txt"
    since = (timezone.now() - dt.timedelta(seconds=30)).isoformat()
    assert call("GET", path, "alice", data={"since": since}).json()["count"] == 2
    assert call("GET", f"{path}?task={cast.draft_a.pk}", "alice").json()["count"] == 0
    bad = call("GET", f"{path}?channel=fax", "alice")
    assert bad.status_code == 422 and "channel" in _errors(bad)
    assert call("GET", path, "bob").status_code == 403
    for outsider in ("dave", "carol", "pete"):
        response = call("GET", path, outsider)
        assert response.status_code == 404 and SECRET_A.encode() not in response.content


def test_the_download_log_answers_in_a_fixed_number_of_queries(
    cast: Cast, call: Call, django_assert_max_num_queries: Callable[..., object]
) -> None:
    path = f"/api/organisations/{cast.org_a.pk}/downloads"
    call("GET", "/api/me", "alice")  # the token's first use also records last_used_at
    _downloads(cast, 1)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert call("GET", path, "alice").status_code == 200
        return len(queries)

    few = count()
    _downloads(cast, 20)
    User.objects.filter(pk=cast.rex.pk).update(first_name="Rex")  # nothing cached on the rows
    assert count() == few <= 10


# --- leak tracing ---------------------------------------------------------------------------------------


@pytest.fixture
def leaked(cast: Cast, client_for, brief) -> tuple[bytes, int]:  # type: ignore[no-untyped-def]
    response = client_for("carol").get(document_url(cast.carol.pk, brief))
    return b"".join(response.streaming_content), int(response["X-Kpo-Download"])


def test_a_trace_of_pasted_text_or_a_file_names_the_download_audited(cast: Cast, call: Call, leaked) -> None:  # type: ignore[no-untyped-def]
    body, download_id = leaked
    path = f"/api/organisations/{cast.org_a.pk}/traces"
    paragraph = body.decode().split("\n\n")[0]
    text = call("POST", path, "alice", json={"text": paragraph})
    assert text.status_code == 200
    found = text.json()
    assert found["named"] is True and found["download"]["id"] == download_id
    assert found["download"]["recipient"] == "Carol Expert" and found["confidence"] >= 0.99
    assert "zero-width" in found["channels"]
    upload = SimpleUploadedFile("leak.txt", body, content_type="text/plain")
    by_file = call("POST", path, "alice", data={"file": upload})
    assert by_file.status_code == 200 and by_file.json()["download"]["id"] == download_id
    entries = list(AuditEntry.objects.filter(event="leak_traced").order_by("seq"))
    assert [e.details["input"] for e in entries] == ["text", "file"]
    assert all(e.details["named"] and e.details["recipient"] == "carol" for e in entries)
    clean = call("POST", path, "alice", json={"text": BRIEF}).json()
    assert clean["named"] is False and clean["fingerprint_found"] is False and clean["download"] is None


def test_another_clients_admin_learns_only_that_it_is_not_theirs(cast: Cast, call: Call, leaked) -> None:  # type: ignore[no-untyped-def]
    body, _download_id = leaked
    response = call(
        "POST", f"/api/organisations/{cast.org_b.pk}/traces", "dave", json={"text": body.decode()}
    )
    assert response.status_code == 200
    found = response.json()
    assert found["outside_scope"] is True and found["named"] is False and found["download"] is None
    assert found["detail"] == "" and found["confidence"] == 0
    assert b"carol" not in response.content.lower() and SECRET_A.encode() not in response.content


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"json": {"text": "   "}}, "text"),
        ({"json": {"text": "a\x00b"}}, "text"),
        ({"json": {"text": "x" * 200_001}}, "text"),
        ({"json": {}}, "text"),
        ({"data": "not json", "content_type": "application/json"}, "__all__"),
        ({"data": {"other": "x"}}, "file"),
        ({"data": {"file": SimpleUploadedFile("empty.txt", b"")}}, "file"),
    ],
)
def test_bad_trace_input_names_the_field_and_traces_nothing(
    cast: Cast, call: Call, kwargs: dict[str, object], field: str
) -> None:
    response = call("POST", f"/api/organisations/{cast.org_a.pk}/traces", "alice", **kwargs)
    assert response.status_code == 422, response.content
    assert field in _errors(response)
    assert not AuditEntry.objects.filter(event="leak_traced").exists()


def test_a_trace_file_is_bounded_in_size_and_checked_by_content(cast: Cast, call: Call, settings) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/organisations/{cast.org_a.pk}/traces"
    settings.KPO_MAX_UPLOAD_BYTES = 1000
    big = call("POST", path, "alice", data={"file": SimpleUploadedFile("leak.txt", b"x" * 1001)})
    assert big.status_code == 422 and "upload limit" in _errors(big)["file"]
    settings.KPO_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
    # named .txt, but its content says Word: a broken package is refused before it is opened
    fake = call(
        "POST", path, "alice", data={"file": SimpleUploadedFile("leak.txt", b"PK\x03\x04word/broken")}
    )
    assert fake.status_code == 422 and "file" in _errors(fake)
    assert not AuditEntry.objects.filter(event="leak_traced").exists()


def test_only_the_clients_admins_trace(cast: Cast, call: Call) -> None:
    path = f"/api/organisations/{cast.org_a.pk}/traces"
    assert call("POST", path, "aud", json={"text": "Leak"}).status_code == 403
    assert call("POST", path, "bob", json={"text": "Leak"}).status_code == 403
    assert call("POST", path, "pete", json={"text": "Leak"}).status_code == 404
    read_only = api_token_create(user=cast.alice, name="reader", read_only=True)[1]
    assert call("POST", path, None, json={"text": "Leak"}, token=read_only).status_code == 403
    assert not AuditEntry.objects.filter(event="leak_traced").exists()
    assert NdaSignature.objects.count() == 3
