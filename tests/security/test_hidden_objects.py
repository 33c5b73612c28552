"""404 hides that an object exists (issue 14, last bullet; docs/architecture.md: 404 across tenants, 403
for visible-but-not-writable): an expert's vetting and a provider's rate-card line answered 403 to people
who may not open them, telling them the object was there."""

from __future__ import annotations

from typing import Any

import pytest

from kpo.orgs.models import Membership
from tests.api.conftest import Call, call, token_for  # noqa: F401  (the API fixtures)
from tests.cast import Cast
from tests.matrix.commercials import _objects as commercial_objects
from tests.matrix.vetting import objects as vetting_objects

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

NOT_CAROLS_VETTING = ("alice", "bob", "aud", "rex", "erin", "ivan", "dave", "quinn")


@pytest.mark.parametrize("who", NOT_CAROLS_VETTING)
def test_someone_who_sees_the_expert_but_not_the_vetting_gets_404(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
    who: str,
) -> None:
    expert_id = vetting_objects(cast)["vetting_expert_id"]
    browser = client_for(who)
    for suffix in ("", "passport/"):
        assert browser.get(f"/vetting/experts/{expert_id}/{suffix}").status_code == 404
    assert browser.post(f"/vetting/experts/{expert_id}/start/").status_code == 404
    for path in (f"/api/vetting/experts/{expert_id}", f"/api/vetting/experts/{expert_id}/passport"):
        answer = call("GET", path, who)
        assert answer.status_code == 404 and answer.json()["detail"] == "Not found."


def test_the_expert_sees_her_vetting_but_may_not_run_it(cast: Cast, client_for: Any) -> None:
    expert_id = vetting_objects(cast)["vetting_expert_id"]
    carol = client_for("carol")
    assert carol.get(f"/vetting/experts/{expert_id}/").status_code == 200
    assert client_for("pete").get(f"/vetting/experts/{expert_id}/").status_code == 200


@pytest.mark.parametrize("who", ["alice", "bob", "aud", "dave", "carol", "rex"])
def test_a_rate_card_line_is_hidden_from_all_but_its_provider(
    cast: Cast,
    client_for: Any,
    call: Call,  # noqa: F811
    who: str,
) -> None:
    line_id = commercial_objects(cast)["rate_line_id"]
    assert client_for(who).post(f"/rate-cards/{line_id}/end/", {"last_day": "2026-12-31"}).status_code == 404
    answer = call("POST", f"/api/rate-cards/{line_id}/end", who, json={"last_day": "2026-12-31"})
    assert answer.status_code == 404


def test_the_providers_auditor_sees_the_line_but_may_not_end_it(cast: Cast, client_for: Any) -> None:
    Membership.objects.create(organisation=cast.provider_p, user=cast.erin, role="auditor")
    line_id = commercial_objects(cast)["rate_line_id"]
    assert (
        client_for("erin").post(f"/rate-cards/{line_id}/end/", {"last_day": "2026-12-31"}).status_code == 403
    )
    assert (
        client_for("pete").post(f"/rate-cards/{line_id}/end/", {"last_day": "2026-12-31"}).status_code == 302
    )
