"""The authorisation matrix's entries for notices and e-mail settings (see tests/matrix/__init__.py)."""

from __future__ import annotations

from tests.authz import SIGNED_IN, Rule
from tests.matrix import MatrixPart

PART = MatrixPart(
    web={
        "notice_list": Rule(SIGNED_IN, self_service=True),
        "notices_read": Rule(SIGNED_IN, self_service=True),
        "email_preferences": Rule(SIGNED_IN, self_service=True),
    },
    api={
        "get_email_preferences": Rule(SIGNED_IN, self_service=True),
        "update_email_preferences": Rule(
            SIGNED_IN, body={"language": "en", "categories": ["task_message"]}, self_service=True
        ),
    },
)
