"""Engine messages keep a date as a date: ISO in English(), a `Day` again after a round trip through JSON."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from kpo.engine.messages import Day, Figure, from_json, message, to_json


def test_a_day_survives_storage_and_reads_as_iso_in_english() -> None:
    stated = message(
        "1 %(source)s = %(rate)s %(target)s (%(when)s)",
        source="EUR",
        rate=Figure(Decimal("7.4735")),
        target="DKK",
        when=message("ECB reference rate of %(date)s", date=Day(dt.date(2026, 10, 30))),
    )
    stored = json.loads(json.dumps(to_json(stated)))
    assert stored["params"]["when"]["message"]["params"]["date"] == {"day": "2026-10-30"}
    back = from_json(stored)
    assert back == stated
    assert back.english() == "1 EUR = 7.4735 DKK (ECB reference rate of 2026-10-30)"
