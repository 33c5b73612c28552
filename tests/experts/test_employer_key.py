"""Employment.employer_key is set by every writer, also those that skip save() (EmploymentQuerySet)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat

from kpo.experts.models import Employment, ExpertProfile
from tests.cast import Cast


def expert(cast: Cast) -> ExpertProfile:
    return ExpertProfile.objects.get(user=cast.users()["erin"])


def keys(profile: ExpertProfile) -> dict[str, str]:
    return dict(Employment.objects.filter(expert=profile).values_list("employer", "employer_key"))


def test_bulk_create_sets_the_key(cast: Cast) -> None:
    profile = expert(cast)
    Employment.objects.filter(expert=profile).delete()
    Employment.objects.bulk_create(
        [
            Employment(expert=profile, employer="Rival Bank A/S", start=dt.date(2019, 1, 1)),
            Employment(expert=profile, employer="Ørsted  ApS", start=dt.date(2021, 1, 1)),
        ]
    )
    assert keys(profile) == {"Rival Bank A/S": "rival bank", "Ørsted  ApS": "orsted"}


def test_bulk_update_of_the_employer_updates_the_key(cast: Cast) -> None:
    profile = expert(cast)
    job = Employment.objects.create(expert=profile, employer="Harbour Analytics", start=dt.date(2019, 1, 1))
    job.employer = "RIVAL-BANK, Ltd."
    assert Employment.objects.bulk_update([job], ["employer"]) == 1
    job.refresh_from_db()
    assert job.employer_key == "rival bank"


def test_update_to_a_literal_name_updates_the_key_and_an_expression_is_refused(cast: Cast) -> None:
    profile = expert(cast)
    job = Employment.objects.create(expert=profile, employer="Harbour Analytics", start=dt.date(2019, 1, 1))
    Employment.objects.filter(pk=job.pk).update(employer="Rival Bank A/S")
    job.refresh_from_db()
    assert (job.employer, job.employer_key) == ("Rival Bank A/S", "rival bank")
    with pytest.raises(TypeError, match="literal name"):
        Employment.objects.filter(pk=job.pk).update(employer=Concat(F("employer"), Value(" Holding")))
    job.refresh_from_db()
    assert job.employer == "Rival Bank A/S"
    # Updates that leave the employer alone keep the key.
    Employment.objects.filter(pk=job.pk).update(title="Quant")
    job.refresh_from_db()
    assert job.employer_key == "rival bank"
