"""One row of a kept list (a talent bench's members, an engagement's overflow providers): who or what
is on it, since when and by whom, and where to post to take it off (templates/includes/listed.html)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User


@dataclass(frozen=True)
class Listed:
    name: str
    sub: str
    added_at: dt.datetime
    added_by: User
    url: str = ""
    column: str = ""
    remove_url: str = ""
