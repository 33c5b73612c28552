"""Outgoing e-mail: queued for the worker once the surrounding transaction commits, never sent inline.

A request or a service calls `queue_email`; the worker's `kpo.core.jobs.send_email` talks to the mail
server, so no SMTP call happens inside a request's transaction and a failing server is retried by the
worker instead of failing the request. Links in e-mails are absolute, built on settings.KPO_BASE_URL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction

from kpo.core.jobs import send_email

_PAUSED: ContextVar[bool] = ContextVar("kpo_mail_paused", default=False)


@contextmanager
def mail_paused() -> Iterator[None]:
    """Queue no e-mail inside this block (the demo world's made-up history e-mails nobody). Wrap the
    transaction in it, so what runs when the transaction commits is inside the block too."""
    token = _PAUSED.set(True)
    try:
        yield
    finally:
        _PAUSED.reset(token)


def absolute_url(path: str) -> str:
    """`path` ("/tasks/5/") as a link people can follow from an e-mail; a full URL stays as it is."""
    if not path or "://" in path:
        return path
    return f"{settings.KPO_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


def queue_email(*, to: Sequence[str], subject: str, body: str, html: str = "") -> None:
    """Have the worker send one e-mail (plain text, with `html` as an alternative when given) after the
    current transaction commits (at once outside a transaction); nothing is queued without a recipient
    or inside `mail_paused()`."""
    recipients = [address for address in to if address]
    if not recipients or _PAUSED.get():
        return
    one_line_subject = " ".join(subject.split())
    transaction.on_commit(
        lambda: send_email.enqueue(to=recipients, subject=one_line_subject, body=body, html=html)
    )
