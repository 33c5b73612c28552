"""Outgoing e-mail: queued for the worker once the surrounding transaction commits, never sent inline.

A request or a service calls `queue_email`; the worker's `kpo.core.jobs.send_email` talks to the mail
server, so no SMTP call happens inside a request's transaction and a failing server is retried by the
worker instead of failing the request. Links in e-mails are absolute, built on settings.KPO_BASE_URL.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from kpo.core.jobs import send_email


def absolute_url(path: str) -> str:
    """`path` ("/tasks/5/") as a link people can follow from an e-mail; a full URL stays as it is."""
    if not path or "://" in path:
        return path
    return f"{settings.KPO_BASE_URL.rstrip('/')}/{path.lstrip('/')}"


def queue_email(*, to: Sequence[str], subject: str, body: str, html: str = "") -> None:
    """Have the worker send one e-mail (plain text, with `html` as an alternative when given) after the
    current transaction commits (at once outside a transaction); nothing is queued without a recipient."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    one_line_subject = " ".join(subject.split())
    transaction.on_commit(
        lambda: send_email.enqueue(to=recipients, subject=one_line_subject, body=body, html=html)
    )
