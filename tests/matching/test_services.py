"""Writes on a client's matching weights: admins only, validated, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpo.core.errors import DomainError
from kpo.engine.matching import COMPONENTS
from kpo.matching.models import MatchingWeights, default_weights, weights_problem
from kpo.matching.services import matching_weights_update
from tests.cast import Cast

pytestmark = pytest.mark.django_db

WEIGHTS = dict.fromkeys(COMPONENTS, 1.0)


def test_admins_set_the_weights_and_change_them_again(cast: Cast) -> None:
    saved = matching_weights_update(
        user=cast.alice, client=cast.org_a, weights=WEIGHTS, min_skills_share=Decimal("0.25")
    )
    assert saved.weights == WEIGHTS and saved.min_skills_share == Decimal("0.25")
    again = matching_weights_update(
        user=cast.alice, client=cast.org_a, weights={**WEIGHTS, "cost": 4}, min_skills_share=Decimal(1)
    )
    assert again.pk == saved.pk and MatchingWeights.objects.count() == 1
    assert MatchingWeights.objects.get().weights["cost"] == 4.0
    assert again.score_weights.normalised()["cost"] == pytest.approx(0.4)


@pytest.mark.parametrize("who", ["bob", "aud", "pete", "dave"])
def test_only_the_clients_admins(cast: Cast, who: str) -> None:
    with pytest.raises(DomainError):
        matching_weights_update(
            user=cast.users()[who], client=cast.org_a, weights=WEIGHTS, min_skills_share=Decimal("0.5")
        )
    assert not MatchingWeights.objects.exists()


@pytest.mark.parametrize(
    ("weights", "share", "field"),
    [
        ({**WEIGHTS, "cost": -1.0}, Decimal("0.5"), "weights"),
        (dict.fromkeys(COMPONENTS, 0.0), Decimal("0.5"), "weights"),
        ({**WEIGHTS, "charm": 1.0}, Decimal("0.5"), "weights"),
        ({"skills": 1.0}, Decimal("0.5"), "weights"),
        ({**WEIGHTS, "skills": float("nan")}, Decimal("0.5"), "weights"),
        (WEIGHTS, Decimal("1.01"), "min_skills_share"),
        (WEIGHTS, Decimal("-0.1"), "min_skills_share"),
    ],
)
def test_bad_input_changes_nothing(cast: Cast, weights: dict[str, float], share: Decimal, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        matching_weights_update(user=cast.alice, client=cast.org_a, weights=weights, min_skills_share=share)
    assert field in raised.value.message_dict
    assert not MatchingWeights.objects.exists()


def test_weights_belong_to_clients(cast: Cast) -> None:
    with pytest.raises(ValidationError) as raised:
        MatchingWeights(client=cast.provider_p, weights=WEIGHTS, min_skills_share=Decimal("0.5")).full_clean()
    assert "client" in raised.value.message_dict


def test_operators_do_not_change_a_clients_weights(cast: Cast) -> None:
    with pytest.raises(DomainError):
        matching_weights_update(
            user=cast.ops, client=cast.org_a, weights=WEIGHTS, min_skills_share=Decimal("0.5")
        )
    assert not MatchingWeights.objects.exists()


def test_weights_problem() -> None:
    assert weights_problem(default_weights()) is None
    assert weights_problem([1, 2]) == "The weights must be an object of numbers by component."
    assert weights_problem({**WEIGHTS, "cost": True}) == "The weight cost must be a number."
    assert weights_problem({**WEIGHTS, "cost": 5000}) == "The weight cost must be at most 1000."
    assert weights_problem(dict.fromkeys(COMPONENTS, 0)) == "At least one weight must be more than zero."
