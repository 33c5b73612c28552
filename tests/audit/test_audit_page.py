"""The audit page: details as readable lines, the chain's stored verification status, filters, links to
the objects the viewer may open, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kpo.audit.details import DetailLine, detail_lines
from kpo.audit.jobs import verify_audit_chain
from kpo.audit.models import AuditEntry, ChainVerification
from kpo.audit.services import audit
from kpo.audit.verification import ChainState, chain_status, verify_and_record
from tests.cast import Cast, issued_invoice

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


def _line(lines: list[DetailLine], label: str) -> DetailLine:
    return next(line for line in lines if line.label == label)


# --- details -------------------------------------------------------------------------------------------


def test_a_status_change_reads_old_to_new_in_words() -> None:
    with translation.override("en"):
        lines = detail_lines("transition", {"from": "in_review", "to": "delivered", "comment": "Looks good"})
    assert lines[0] == DetailLine("Status", "Delivered", old="In review")
    assert _line(lines, "Comment") == DetailLine("Comment", "Looks good", verbatim=True)
    with translation.override("da"):
        danish = detail_lines("transition", {"from": "in_review", "to": "delivered"})
    assert danish[0].label == "Status" and danish[0].changed
    assert danish[0].value != "delivered" and danish[0].old != "in_review"


def test_a_classification_change_reads_in_words() -> None:
    with translation.override("en"):
        lines = detail_lines("classification_changed", {"from": "internal", "to": "restricted"})
    assert lines == [DetailLine("Classification", "Restricted", old="Internal")]


def test_roles_changed_and_privileges_changed_read_as_changes() -> None:
    with translation.override("en"):
        roles = detail_lines(
            "membership_role_changed",
            {"user": "bob", "roles": [["requester"], ["client_admin", "requester"]]},
        )
        privileges = detail_lines(
            "user_privileges_changed",
            {"user": "bob", "changes": {"is_staff": [False, True], "email": ["a", "b"]}},
        )
        settings = detail_lines(
            "org_settings_changed",
            {"changes": {"time_zone": ["Europe/Copenhagen", "UTC"], "description": "changed"}},
        )
    assert roles == [
        DetailLine("Person", "bob", verbatim=True),
        DetailLine("Roles", "Client admin, Requester", old="Requester"),
    ]
    assert DetailLine("Operator", "yes", old="no") in privileges
    assert DetailLine("E-mail", "b", old="a") in privileges
    assert settings == [
        DetailLine("Time zone", "UTC", old="Europe/Copenhagen"),
        DetailLine("Description", "changed"),
    ]


def test_instants_show_in_the_viewers_time_zone_and_dates_in_their_language() -> None:
    details = {"operator": "ops", "hours": 4, "expires_at": "2026-12-07T23:30:00+00:00"}
    with translation.override("en"), timezone.override(KOLKATA):
        lines = detail_lines("break_glass_approved", details)
        credential = detail_lines("credential_verified", {"verified_on": "2026-12-31", "expires_on": None})
    assert _line(lines, "Expires").value == "8 Dec 2026, 05:00 IST"
    assert _line(lines, "Hours").value == "4"
    assert credential == [DetailLine("Verified on", "31 Dec 2026"), DetailLine("Expires", "—")]
    with translation.override("da"), timezone.override(KOLKATA):
        assert detail_lines("credential_verified", {"verified_on": "2026-12-31"})[0].value == "31. dec. 2026"


def test_downloads_budgets_and_odd_details() -> None:
    sha = "05e51df955014ab6b301c1d1958e026866a5f97b2ca9d2dd37ce20ed87e3f166"
    with translation.override("en"):
        download = detail_lines(
            "download", {"file": "brief.md", "sha256": sha, "watermarked": True, "channel": "api"}
        )
        budget = detail_lines("budget_alert", {"threshold": 80, "percent": "80.7", "currency": "DKK"})
        assert detail_lines("login", {}) == []
        assert detail_lines("login", ["not", "a", "dict"]) == [
            DetailLine("Details", "['not', 'a', 'dict']", verbatim=True)
        ]
        unknown = detail_lines("admin_action", {"some_new_key": "x" * 500, "nested": {"a": 1}})
    assert _line(download, "Checksum (SHA-256)").value == "05e51df95501…"
    assert _line(download, "Watermarked").value == "yes"
    assert _line(download, "Channel").value == "API"
    assert _line(budget, "Threshold (%)").value == "80"
    assert _line(budget, "Share used (%)").value == "80.7"
    assert (
        _line(unknown, "some new key").value.endswith("…")
        and len(_line(unknown, "some new key").value) == 300
    )
    assert _line(unknown, "nested").value == "a: 1"


# --- verification status -------------------------------------------------------------------------------


def test_the_status_is_not_verified_until_a_check_ran(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert chain_status().state == ChainState.UNVERIFIED
    body = client_for("aud").get(reverse("audit_log")).content.decode()
    assert "has not been verified yet" in body


def test_a_verified_chain_names_its_last_entry_and_when(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    audit(cast.bob, "download", ("task", cast.task_a.pk), cast.org_a, {"file": "a.txt"})
    head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    result = verify_audit_chain.call()
    assert result["ok"] is True
    status = chain_status()
    assert (status.state, status.seq) == (ChainState.VERIFIED, head)
    body = client_for("aud").get(reverse("audit_log")).content.decode()
    assert f"Chain verified up to entry {head}, checked" in body
    assert "flash-success" in body


def test_a_broken_chain_shows_in_red_at_its_first_bad_entry(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        audit(cast.bob, "download", ("task", cast.task_a.pk), cast.org_a, {"file": f"{n}.txt"})
    verify_and_record()
    bad = AuditEntry.objects.order_by("seq")[1]
    AuditEntry.objects.filter(pk=bad.pk).update(details={"file": "forged.txt"})
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=io.StringIO())  # the command records what it found too
    status = chain_status()
    assert (status.state, status.seq) == (ChainState.BROKEN, bad.seq)
    assert ChainVerification.objects.count() == 2
    body = client_for("aud").get(reverse("audit_log")).content.decode()
    assert f"The chain is broken at entry {bad.seq}." in body
    assert 'class="flash flash-error chain-status" role="alert"' in body
    later = AuditEntry.objects.filter(organisation=cast.org_a, seq__gte=bad.seq).count()
    assert later >= 2 and body.count("not trusted") == later  # the bad entry and every one after it


def test_the_page_reads_the_latest_stored_check_in_a_fixed_number_of_queries(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    older = timezone.now() - dt.timedelta(hours=2)
    ChainVerification.objects.create(at=older, ok=False, first_bad_seq=7, reason="x")
    ChainVerification.objects.create(at=timezone.now(), ok=True, head_seq=42)
    assert chain_status().seq == 42
    client = client_for("aud")
    audit(cast.bob, "transition", ("task", cast.task_a.pk), cast.org_a, {"from": "draft", "to": "submitted"})
    audit(cast.bob, "download", ("engagement", cast.task_a.engagement_id), cast.org_a, {"n": 0})
    _page_queries(client)  # the first request of a session writes it
    few = _page_queries(client)
    for n in range(40):
        audit(
            cast.bob, "transition", ("task", cast.task_a.pk), cast.org_a, {"from": "draft", "to": "submitted"}
        )
        audit(cast.bob, "download", ("engagement", cast.task_a.engagement_id), cast.org_a, {"n": n})
    assert _page_queries(client) == few
    assert "Chain verified up to entry 42" in _body(client)


def _page_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("audit_log")).status_code == 200
    return len(queries)


# --- filters and links ---------------------------------------------------------------------------------


def _entries(cast: Cast) -> None:
    audit(cast.bob, "transition", ("task", cast.task_a.pk), cast.org_a, {"from": "draft", "to": "submitted"})
    audit(cast.alice, "download", ("task_document", 1), cast.org_a, {"file": "alice-file.txt"})
    audit(
        cast.alice,
        "download",
        ("task_document", 2),
        cast.org_a,
        {"file": "old-file.txt"},
        at=dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.UTC),  # 1 February in Copenhagen
    )


def _body(client: Client, **query: str) -> str:
    response = client.get(reverse("audit_log"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_filters_by_actor_action_object_and_days_on_the_viewers_calendar(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _entries(cast)
    client = client_for("aud")
    assert "alice-file.txt" in _body(client) and "Submitted" in _body(client)
    by_actor = _body(client, actor="bob")
    assert "Submitted" in by_actor and "alice-file.txt" not in by_actor
    assert "alice-file.txt" in _body(client, actor=cast.alice.get_full_name())  # "first last"
    assert "alice-file.txt" not in _body(client, event="transition")
    assert "Submitted" not in _body(client, kind="task_document")
    february = _body(client, since="2025-02-01", until="2025-02-01")  # Copenhagen, the auditor's zone
    assert "old-file.txt" in february and "alice-file.txt" not in february
    assert "old-file.txt" not in _body(client, since="2025-01-31", until="2025-01-31")


@pytest.mark.parametrize(
    "query",
    [
        {"actor": "%"},
        {"actor": "_"},
        {"actor": "x" * 5000},
        {"since": "not a date"},
        {"since": "2025-02-30"},
        {"since": "0001-01-01"},
        {"since": "2026-05-01", "until": "2026-04-01"},
        {"event": "'; DROP TABLE"},
        {"kind": "<script>"},
        {"page": "999999999999999999999"},
        {"page": "-1"},
    ],
)
def test_bad_filter_values_are_named_and_never_fail(cast: Cast, client_for, query: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    _entries(cast)
    response = client_for("aud").get(reverse("audit_log"), query)
    assert response.status_code == 200
    body = response.content.decode()
    if query.get("actor") in {"%", "_"}:  # matched as themselves: nobody's name holds them
        assert "alice-file.txt" not in body and "No entries match." in body
    elif "page" not in query:  # the field says what is wrong; the list is shown without that filter
        assert "errorlist" in body and "alice-file.txt" in body


def test_objects_link_to_their_pages_only_for_viewers_who_may_open_them(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _entries(cast)
    task_url = reverse("task_detail", kwargs={"task_id": cast.task_a.pk})
    assert f'href="{task_url}"' in _body(client_for("aud"))
    audit(cast.bob, "transition", ("task", 10**9), cast.org_a, {"from": "draft", "to": "submitted"})
    assert f'href="{reverse("task_detail", kwargs={"task_id": 10**9})}"' not in _body(client_for("aud"))


def test_invoices_link_for_their_client_auditor(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    invoice = issued_invoice(cast)
    audit(
        cast.pete,
        "download",
        ("invoice", invoice.pk),
        cast.org_a,
        {"number": invoice.number, "format": "pdf"},
    )
    body = _body(client_for("aud"))
    assert f'href="{reverse("invoice_detail", kwargs={"invoice_id": invoice.pk})}"' in body


def test_the_export_keeps_the_filters(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _entries(cast)
    response = client_for("aud").get(reverse("audit_export"), {"actor": "bob"})
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "transition" in text and "alice-file.txt" not in text
