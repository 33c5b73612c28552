"""Fixed reference points of the demo world, so the same seed always gives the same data."""

from __future__ import annotations

from datetime import UTC, date, datetime

REFERENCE_DATE = date(2026, 11, 23)  # "today" in the demo world, a Monday
REFERENCE_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEFAULT_SEED = 2026
DEFAULT_EXPERTS = 2000
MIN_EXPERTS = 10
BATCH_SIZE = 5000
