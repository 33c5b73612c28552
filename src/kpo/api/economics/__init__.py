"""The economics app's API: commercials (rate cards, time approval, invoices, budgets) and make-or-buy
scenarios (one router)."""

from __future__ import annotations

from ninja import Router

from kpo.api.economics import commercials, make_or_buy

router = Router()
for part in (commercials, make_or_buy):
    router.add_router("", part.router)
