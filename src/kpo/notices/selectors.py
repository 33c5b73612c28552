"""Reading a user's notices."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from kpo.notices.models import Notice


def notices_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Notice]:
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(user_id=user.pk)


def unread_count(user: AbstractBaseUser | AnonymousUser) -> int:
    return notices_for(user).filter(read_at__isnull=True).count()
