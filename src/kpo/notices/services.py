"""Sending and reading notices, and a user's choices about them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kpo.core.errors import DomainError
from kpo.notices.emails import notice_email_queue
from kpo.notices.kinds import CATEGORY_CODES
from kpo.notices.models import Notice, NoticePreferences
from kpo.notices.selectors import email_language, preferences_by_user, wants_email

Text = str | Callable[[], str]
"""A text, or a function that writes it in the active language (each recipient's own)."""


def _written(text: Text) -> str:
    return text() if callable(text) else str(text)


def _in_every_language(text: Text) -> dict[str, str]:
    """A text given as a function, written in every language kpo speaks (a plain text: nothing), so the
    notice reads in the language its reader uses when they open it, not only the one it was sent in."""
    if not callable(text):
        return {}
    written: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            written[code] = text()[:500]
    return written


def notice_send(
    *,
    users: Iterable[AbstractBaseUser],
    kind: str,
    text: Text,
    url: str = "",
    key: str = "",
    now: dt.datetime | None = None,
    subject: Text = "",
) -> list[Notice]:
    """One notice per user (each user once). With a `key`, a user who already has a notice with that
    key gets no second one (e.g. "budget-80:engagement-7"), so repeated checks do not repeat notices.

    Each new notice is also e-mailed (by the worker, after the commit) to a user who has an address and
    has not turned that kind of e-mail off. Give `text` and `subject` (default: the text) as functions
    to have them written in each recipient's language."""
    when = now or timezone.now()
    recipients: list[AbstractBaseUser] = []
    seen: set[int] = set()
    for user in users:
        if user.pk is not None and user.pk not in seen:
            seen.add(user.pk)
            recipients.append(user)
    preferences = preferences_by_user(seen)
    sent: list[Notice] = []
    texts = _in_every_language(text)
    with transaction.atomic():
        for user in recipients:
            if key and Notice.objects.filter(user_id=user.pk, key=key).exists():
                continue
            chosen = preferences.get(user.pk)
            with translation.override(email_language(chosen)):
                notice = Notice.objects.create(
                    user_id=user.pk,
                    kind=kind,
                    text=_written(text)[:500],
                    texts=texts,
                    url=url[:300],
                    key=key,
                    created_at=when,
                )
                if wants_email(chosen, kind):
                    notice_email_queue(user=user, notice=notice, subject=_written(subject))
            sent.append(notice)
    return sent


def notices_mark_read(*, user: AbstractBaseUser, now: dt.datetime | None = None) -> int:
    """Mark every unread notice of `user` read; returns how many."""
    return Notice.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=now or timezone.now())


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(
            _("%(value)s is not a language kpo speaks.") % {"value": repr(language)}, field="language"
        )


@transaction.atomic
def preferences_save(
    *, user: AbstractBaseUser, language: str, email_categories: Collection[str]
) -> NoticePreferences:
    """Store the language of the user's e-mails and the e-mail categories they want (the others are
    turned off; a category added later is on until they turn it off)."""
    _check_language(language)
    unknown = sorted(set(email_categories) - set(CATEGORY_CODES))
    if unknown:
        raise DomainError(
            _("%(value)s is not a kind of e-mail.") % {"value": repr(unknown[0])}, field="email_categories"
        )
    preferences, _created = NoticePreferences.objects.select_for_update().get_or_create(user_id=user.pk)
    preferences.language = language
    preferences.muted_categories = [code for code in CATEGORY_CODES if code not in set(email_categories)]
    preferences.save()
    return preferences


def language_remember_unless_chosen(*, user: AbstractBaseUser, language: str) -> None:
    """At sign-in: the language the person is reading kpo in becomes their e-mails' language, unless they
    chose one before (someone who picks Danish on the sign-in page is e-mailed in Danish)."""
    if language in dict(settings.LANGUAGES):
        NoticePreferences.objects.filter(user_id=user.pk, language="").update(language=language)
        NoticePreferences.objects.get_or_create(user_id=user.pk, defaults={"language": language})


def language_remember(*, user: AbstractBaseUser, language: str) -> None:
    """Remember the language the user switched the site to, for their e-mails; an unknown one is ignored."""
    if language in dict(settings.LANGUAGES):
        NoticePreferences.objects.update_or_create(user_id=user.pk, defaults={"language": language})
