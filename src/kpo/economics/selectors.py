"""Reading make-or-buy scenarios, and shaping a result for the page (tornado bar geometry)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from kpo.core.access import get_visible_or_404
from kpo.economics.models import MakeOrBuyScenario
from kpo.economics.services import SCENARIO_ROLES
from kpo.orgs.selectors import org_ids_with_roles


def scenarios_visible_to(user: User | AnonymousUser) -> QuerySet[MakeOrBuyScenario]:
    """Scenarios of the clients where ``user`` is an admin or a requester."""
    if not user.is_authenticated:
        return MakeOrBuyScenario.objects.none()
    ids = org_ids_with_roles(user, SCENARIO_ROLES)
    return MakeOrBuyScenario.objects.filter(client_id__in=ids).select_related("client", "created_by")


def access_scenario(user: User | AnonymousUser, scenario_id: object) -> MakeOrBuyScenario:
    """The one door for a scenario: others' answer 404."""
    return get_visible_or_404(scenarios_visible_to(user), scenario_id)


def tornado_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each tornado bar as left offset and width in percent of a shared axis (savings, or totals)."""
    bars = result.get("tornado") or []
    rows = []
    for bar in bars:
        savings = bar.get("low_savings") is not None and bar.get("high_savings") is not None
        low = Decimal(bar["low_savings"] if savings else bar["low_total"])
        high = Decimal(bar["high_savings"] if savings else bar["high_total"])
        rows.append({**bar, "low": low, "high": high, "measure": "savings" if savings else "total"})
    if not rows:
        return []
    least = min(min(r["low"], r["high"]) for r in rows)
    most = max(max(r["low"], r["high"]) for r in rows)
    if rows[0]["measure"] == "savings":
        least, most = min(least, Decimal(0)), max(most, Decimal(0))
    span = (most - least) or Decimal(1)
    for row in rows:
        start, end = sorted((row["low"], row["high"]))
        row["left"] = f"{((start - least) / span * 100):.1f}"
        row["width"] = f"{max((end - start) / span * 100, Decimal('0.5')):.1f}"
    zero = (Decimal(0) - least) / span * 100
    for row in rows:
        row["zero"] = f"{zero:.1f}" if least <= 0 <= most else ""
    return rows
