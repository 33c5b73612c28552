"""The authorisation matrix's entries for two-factor authentication (see tests/matrix/__init__.py)."""

from __future__ import annotations

from tests.authz import OBJECT, SIGNED_IN, Rule
from tests.matrix import MatrixPart

PART = MatrixPart(
    web={
        "two_factor_code": Rule(SIGNED_IN, self_service=True),
        "two_factor": Rule(SIGNED_IN, self_service=True),
        "two_factor_recovery_codes": Rule(SIGNED_IN, self_service=True),
        "two_factor_off": Rule(SIGNED_IN, self_service=True),
        "organisation_two_factor": Rule(OBJECT),
    },
)
