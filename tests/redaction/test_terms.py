"""Sensitive terms: the service's rules, the pages and the API, and the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.redaction.models import MAX_TERMS_PER_CLIENT, SensitiveTerm
from kpo.redaction.services import sensitive_term_create, sensitive_term_delete, sensitive_term_update
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_client_admin_declares_a_term_and_the_audit_trail_records_it(cast: Cast) -> None:
    term = sensitive_term_create(
        user=cast.alice, client=cast.org_a, term="  Project   Falcon ", category="product"
    )
    assert term.term == "Project Falcon"  # spaces squeezed
    entry = AuditEntry.objects.get(event="redaction_changed")
    assert entry.actor_id == cast.alice.pk and entry.organisation_id == cast.org_a.pk
    assert entry.details == {"action": "created", "category": "product"}
    assert "Falcon" not in str(entry.details)  # auditors need not learn the code name

    sensitive_term_update(user=cast.alice, sensitive_term=term, category="customer")
    sensitive_term_delete(user=cast.alice, sensitive_term=term)
    actions = list(AuditEntry.objects.order_by("seq").values_list("details__action", flat=True))
    assert actions == ["created", "updated", "deleted"]
    assert not SensitiveTerm.objects.exists()


@pytest.mark.parametrize(
    ("term", "field", "reason"),
    [
        ("", "term", "Enter a term."),
        ("   ", "term", "Enter a term."),
        ("x", "term", "at least 2 characters"),
        ("x" * 101, "term", "at most 100 characters"),
        ("--", "term", "at least one letter or digit"),
    ],
)
def test_bad_terms_are_refused_naming_the_field(cast: Cast, term: str, field: str, reason: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        sensitive_term_create(user=cast.alice, client=cast.org_a, term=term, category="product")
    assert reason in " ".join(errors_of(excinfo)[field])
    assert not SensitiveTerm.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_duplicate_term_is_refused_without_regard_to_case(cast: Cast) -> None:
    sensitive_term_create(user=cast.alice, client=cast.org_a, term="Falcon", category="product")
    with pytest.raises(ValidationError) as excinfo:
        sensitive_term_create(user=cast.alice, client=cast.org_a, term="FALCON", category="person")
    assert "already declared" in errors_of(excinfo)["term"][0]
    # another client may declare the same word
    sensitive_term_create(user=cast.dave, client=cast.org_b, term="Falcon", category="product")
    assert SensitiveTerm.objects.count() == 2


def test_renaming_a_term_onto_another_is_refused(cast: Cast) -> None:
    sensitive_term_create(user=cast.alice, client=cast.org_a, term="Falcon", category="product")
    hawk = sensitive_term_create(user=cast.alice, client=cast.org_a, term="Hawk", category="product")
    with pytest.raises(ValidationError) as excinfo:
        sensitive_term_update(user=cast.alice, sensitive_term=hawk, term="falcon")
    assert "term" in errors_of(excinfo)
    hawk.refresh_from_db()
    assert hawk.term == "Hawk"
    sensitive_term_update(user=cast.alice, sensitive_term=hawk, term="HAWK")  # its own name, other case
    hawk.refresh_from_db()
    assert hawk.term == "HAWK"


def test_bad_category_and_provider_organisations_are_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError) as excinfo:
        sensitive_term_create(user=cast.alice, client=cast.org_a, term="Falcon", category="secret")
    assert "category" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        sensitive_term_create(user=cast.pete, client=cast.provider_p, term="Falcon", category="product")
    assert "client" in errors_of(excinfo)


def test_a_client_has_at_most_so_many_terms(cast: Cast) -> None:
    SensitiveTerm.objects.bulk_create(
        SensitiveTerm(client=cast.org_a, term=f"term {n}", category="other")
        for n in range(MAX_TERMS_PER_CLIENT)
    )
    with pytest.raises(ValidationError) as excinfo:
        sensitive_term_create(user=cast.alice, client=cast.org_a, term="one more", category="other")
    assert "at most" in errors_of(excinfo)["term"][0]


# --- pages -------------------------------------------------------------------------------------------


def test_the_admin_adds_changes_and_removes_terms_on_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    url = reverse("sensitive_terms", kwargs={"organisation_id": cast.org_a.pk})
    response = alice.post(url, {"term": "Falcon", "category": "product", "note": "next gearbox"})
    assert response.status_code == 302
    page = alice.get(url).content.decode()
    assert "Falcon" in page and "next gearbox" in page and "Add a term" in page
    term = SensitiveTerm.objects.get()

    response = alice.post(url, {"term": "falcon", "category": "person"})
    assert response.status_code == 400
    assert "already declared" in response.content.decode()
    assert SensitiveTerm.objects.count() == 1

    response = alice.post(url, {"term": "", "category": "product"})
    assert response.status_code == 400 and SensitiveTerm.objects.count() == 1

    edit = reverse("sensitive_term_edit", kwargs={"sensitive_term_id": term.pk})
    assert alice.get(edit).status_code == 200
    assert alice.post(edit, {"term": "Falcon II", "category": "product"}).status_code == 302
    term.refresh_from_db()
    assert term.term == "Falcon II"
    assert alice.post(edit, {"term": "x" * 101, "category": "product"}).status_code == 400

    delete = reverse("sensitive_term_delete", kwargs={"sensitive_term_id": term.pk})
    assert alice.post(delete).status_code == 302
    assert not SensitiveTerm.objects.exists()


def test_requesters_and_auditors_read_the_terms_but_change_nothing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    term = sensitive_term_create(user=cast.alice, client=cast.org_a, term="Falcon", category="product")
    url = reverse("sensitive_terms", kwargs={"organisation_id": cast.org_a.pk})
    for name in ("bob", "aud"):
        visitor = client_for(name)
        page = visitor.get(url)
        assert page.status_code == 200 and "Falcon" in page.content.decode()
        assert "Add a term" not in page.content.decode()
        assert visitor.post(url, {"term": "Hawk", "category": "product"}).status_code == 403
        edit = reverse("sensitive_term_edit", kwargs={"sensitive_term_id": term.pk})
        assert visitor.post(edit, {"term": "Hawk", "category": "product"}).status_code == 403
        delete = reverse("sensitive_term_delete", kwargs={"sensitive_term_id": term.pk})
        assert visitor.post(delete).status_code == 403
    assert list(SensitiveTerm.objects.values_list("term", flat=True)) == ["Falcon"]


def test_the_provider_side_and_other_clients_never_see_the_terms(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    term = sensitive_term_create(user=cast.alice, client=cast.org_a, term="Falcon", category="product")
    for name in ("pete", "carol", "rex", "ivan", "dave", "quinn"):
        visitor = client_for(name)
        url = reverse("sensitive_terms", kwargs={"organisation_id": cast.org_a.pk})
        assert visitor.get(url).status_code == 404, name
        edit = reverse("sensitive_term_edit", kwargs={"sensitive_term_id": term.pk})
        assert visitor.get(edit).status_code == 404, name
    # a provider has no such page, not even for its own manager
    own = reverse("sensitive_terms", kwargs={"organisation_id": cast.provider_p.pk})
    assert client_for("pete").get(own).status_code == 404


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_manages_terms(cast: Cast, call) -> None:  # type: ignore[no-untyped-def]
    base = f"/api/organisations/{cast.org_a.pk}/sensitive-terms"
    created = call("post", base, "alice", json={"term": "Falcon", "category": "product", "note": "gearbox"})
    assert created.status_code == 201
    body = created.json()
    assert body["term"] == "Falcon" and body["category"] == "product" and body["client_id"] == cast.org_a.pk

    listed = call("get", base, "bob")
    assert listed.status_code == 200 and [t["term"] for t in listed.json()["items"]] == ["Falcon"]

    one = f"/api/sensitive-terms/{body['id']}"
    assert call("get", one, "aud").json()["note"] == "gearbox"
    patched = call("patch", one, "alice", json={"category": "customer"})
    assert patched.status_code == 200 and patched.json()["category"] == "customer"
    assert patched.json()["term"] == "Falcon"

    assert call("patch", one, "bob", json={"category": "person"}).status_code == 403
    assert call("delete", one, "aud").status_code == 403
    assert call("delete", one, "alice").status_code == 204
    assert call("get", one, "alice").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"term": "", "category": "product"}, "term"),
        ({"term": "   ", "category": "product"}, "term"),
        ({"term": "x" * 101, "category": "product"}, "term"),
        ({"term": "Falcon", "category": "secret"}, "category"),
        ({"category": "product"}, "term"),
        ({"term": "a\x00b", "category": "product"}, "term"),
    ],
)
def test_the_api_refuses_bad_terms_naming_the_field(
    cast: Cast, call, payload: dict[str, str], field: str
) -> None:  # type: ignore[no-untyped-def]
    response = call("post", f"/api/organisations/{cast.org_a.pk}/sensitive-terms", "alice", json=payload)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not SensitiveTerm.objects.exists()


def test_the_api_refuses_a_duplicate_naming_the_field(cast: Cast, call) -> None:  # type: ignore[no-untyped-def]
    base = f"/api/organisations/{cast.org_a.pk}/sensitive-terms"
    assert call("post", base, "alice", json={"term": "Falcon"}).status_code == 201
    response = call("post", base, "alice", json={"term": "falcon", "category": "person"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "term"
    assert SensitiveTerm.objects.count() == 1


def test_other_tenants_get_404_from_the_api(cast: Cast, call) -> None:  # type: ignore[no-untyped-def]
    term = sensitive_term_create(user=cast.alice, client=cast.org_a, term="Falcon", category="product")
    for name in ("dave", "carol", "pete"):
        assert call("get", f"/api/organisations/{cast.org_a.pk}/sensitive-terms", name).status_code == 404
        assert call("get", f"/api/sensitive-terms/{term.pk}", name).status_code == 404
        assert call("delete", f"/api/sensitive-terms/{term.pk}", name).status_code == 404
    assert SensitiveTerm.objects.count() == 1
