"""The e-mail that goes with a notice: written in the recipient's language, linking to the page."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.template.loader import render_to_string
from django.urls import reverse

from kpo.core.mail import absolute_url, queue_email
from kpo.notices.models import Notice


def email_subject(what: str) -> str:
    return f"[kpo] {' '.join(what.split())}"[:200]


def notice_email_queue(*, user: AbstractBaseUser, notice: Notice, subject: str) -> None:
    """Queue the e-mail for `notice` to `user`. Call it with the recipient's language active: the
    subject and text are already in it, and the templates are rendered in it."""
    address = str(getattr(user, "email", "") or "")
    if not address:
        return
    full_name = getattr(user, "get_full_name", lambda: "")()
    context = {
        "name": full_name or user.get_username(),
        "text": notice.text,
        "link": absolute_url(notice.url),
        "preferences_link": absolute_url(reverse("email_preferences")),
    }
    queue_email(
        to=[address],
        subject=email_subject(subject or notice.text),
        body=render_to_string("notices/email/notice.txt", context),
        html=render_to_string("notices/email/notice.html", context),
    )
