"""Writes on matching settings. Keyword-only, atomic, validated (full_clean) before saving."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.core.errors import DomainError
from kpo.engine.matching import COMPONENTS
from kpo.matching.access import WEIGHTS_EDITORS
from kpo.matching.models import MatchingWeights
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import org_ids_with_roles


@transaction.atomic
def matching_weights_update(
    *, user: User, client: Organisation, weights: Mapping[str, float], min_skills_share: Decimal
) -> MatchingWeights:
    """Set a client's scoring weights (all seven components) and skills share. Client admins only.

    Validates: every component named once, numbers of 0 or more, not all zero; the share in 0..1.
    """
    if client.pk not in org_ids_with_roles(user, WEIGHTS_EDITORS):
        raise DomainError(_("Only the client's admins change its matching weights."))
    settings = MatchingWeights.objects.select_for_update().filter(client=client).first()
    if settings is None:
        settings = MatchingWeights(client=client)
    settings.client = client
    settings.weights = dict(weights)
    settings.min_skills_share = min_skills_share
    settings.updated_by = user
    settings.full_clean()
    settings.weights = {name: float(settings.weights[name]) for name in COMPONENTS}
    settings.save()
    return settings
