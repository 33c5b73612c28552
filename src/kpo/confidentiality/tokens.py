"""Signed, short-lived, single-use download links for the task page.

A link carries ``?t=<token>``, a ``django.core.signing`` value binding the user, the kind of file
(document or deliverable version), its id and a random nonce; it expires after
``TOKEN_MAX_AGE`` seconds. Spending it records the nonce (``UsedDownloadToken``), so the same
link opened twice is refused; a forged, tampered or foreign token fails the signature or the
binding. Nothing is written when a link is rendered.
"""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kpo.confidentiality.models import UsedDownloadToken
from kpo.work.models import DeliverableVersion, TaskDocument

SALT = "kpo.vault.download"
TOKEN_MAX_AGE = 15 * 60
PARAM = "t"


class TokenProblem(StrEnum):
    MISSING = "missing"
    EXPIRED = "expired"
    FORGED = "forged"
    REUSED = "reused"


class TokenError(Exception):
    def __init__(self, problem: TokenProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def make_token(user_id: int, kind: str, object_id: int) -> str:
    return signing.dumps({"u": user_id, "k": kind, "o": object_id, "n": secrets.token_urlsafe(12)}, salt=SALT)


def document_url(user_id: int, document: TaskDocument) -> str:
    url = reverse("document_download", kwargs={"task_id": document.task_id, "document_id": document.pk})
    return f"{url}?{PARAM}={make_token(user_id, 'document', document.pk)}"


def version_url(user_id: int, task_id: int, version: DeliverableVersion) -> str:
    url = reverse(
        "version_download",
        kwargs={"task_id": task_id, "deliverable_id": version.deliverable_id, "version_id": version.pk},
    )
    return f"{url}?{PARAM}={make_token(user_id, 'version', version.pk)}"


def spend_token(token: str | None, *, user_id: int, kind: str, object_id: int) -> None:
    """Check the token for this user and file and mark it used; raise TokenError otherwise."""
    if not token:
        raise TokenError(TokenProblem.MISSING)
    try:
        value = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise TokenError(TokenProblem.EXPIRED) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise TokenError(TokenProblem.FORGED) from error
    if (
        not isinstance(value, dict)
        or value.get("u") != user_id
        or value.get("k") != kind
        or value.get("o") != object_id
        or not isinstance(value.get("n"), str)
    ):
        raise TokenError(TokenProblem.FORGED)
    now = timezone.now()
    try:
        with transaction.atomic():
            UsedDownloadToken.objects.create(nonce=value["n"][:64], user_id=user_id, used_at=now)
    except IntegrityError as error:
        raise TokenError(TokenProblem.REUSED) from error
    # spent nonces older than any live token can go
    UsedDownloadToken.objects.filter(used_at__lt=now - dt.timedelta(seconds=TOKEN_MAX_AGE * 2)).delete()
