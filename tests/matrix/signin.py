"""The authorisation matrix's entries for signing in: password reset (see tests/matrix/__init__.py)."""

from __future__ import annotations

from typing import Any

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.authz import PUBLIC, Rule
from tests.cast import Cast
from tests.matrix import MatrixPart


def _objects(cast: Cast) -> dict[str, Any]:
    return {"uidb64": urlsafe_base64_encode(force_bytes(cast.bob.pk))}


PART = MatrixPart(
    web={
        "password_reset": Rule(PUBLIC, self_service=True),
        "password_reset_done": Rule(PUBLIC),
        "password_reset_confirm": Rule(PUBLIC, self_service=True),  # the token is the credential
        "password_reset_complete": Rule(PUBLIC),
    },
    objects=_objects,
)
