"""Reading a user's notices."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from kpo.notices.kinds import category_of
from kpo.notices.models import Notice, NoticePreferences


def notices_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Notice]:
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(user_id=user.pk)


def unread_count(user: AbstractBaseUser | AnonymousUser) -> int:
    return notices_for(user).filter(read_at__isnull=True).count()


def preferences_of(user: AbstractBaseUser | AnonymousUser) -> NoticePreferences:
    """The user's stored preferences, or the defaults (every e-mail, the installation's language)."""
    if not user.is_authenticated:
        return NoticePreferences(language="", muted_categories=[])
    stored = NoticePreferences.objects.filter(user_id=user.pk).first()
    return stored or NoticePreferences(user_id=user.pk, language="", muted_categories=[])


def preferences_by_user(user_ids: Iterable[int]) -> dict[int, NoticePreferences]:
    """The stored preferences of these users by account id (users without any are missing)."""
    return {p.user_id: p for p in NoticePreferences.objects.filter(user_id__in=list(user_ids))}


def email_language(preferences: NoticePreferences | None) -> str:
    """The language a user's e-mails are written in: their stored choice, else the installation's."""
    if preferences is not None and preferences.language in dict(settings.LANGUAGES):
        return preferences.language
    return str(settings.LANGUAGE_CODE)


def wants_email(preferences: NoticePreferences | None, kind: str) -> bool:
    """Whether a user with these preferences receives e-mail for notices of `kind` (yes by default)."""
    return preferences is None or category_of(kind) not in (preferences.muted_categories or [])
