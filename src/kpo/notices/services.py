"""Sending and reading notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kpo.notices.models import Notice


def notice_send(
    *,
    users: Iterable[AbstractBaseUser],
    kind: str,
    text: str,
    url: str = "",
    key: str = "",
    now: dt.datetime | None = None,
) -> list[Notice]:
    """One notice per user (each user once). With a `key`, a user who already has a notice with that
    key gets no second one (e.g. "budget-80:engagement-7"), so repeated checks do not repeat notices."""
    when = now or timezone.now()
    sent: list[Notice] = []
    seen: set[int] = set()
    with transaction.atomic():
        for user in users:
            if user.pk is None or user.pk in seen:
                continue
            seen.add(user.pk)
            if key and Notice.objects.filter(user_id=user.pk, key=key).exists():
                continue
            sent.append(
                Notice.objects.create(
                    user_id=user.pk, kind=kind, text=text[:500], url=url[:300], key=key, created_at=when
                )
            )
    return sent


def notices_mark_read(*, user: AbstractBaseUser, now: dt.datetime | None = None) -> int:
    """Mark every unread notice of `user` read; returns how many."""
    return Notice.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=now or timezone.now())
