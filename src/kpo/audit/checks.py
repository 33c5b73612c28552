"""`kpo check`: the audit key is usable (a bad one would refuse every audited action at run time)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from kpo.audit.keys import existing_audit_key


def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        existing_audit_key()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="kpo.audit.E001")]
    except (OSError, UnicodeDecodeError) as error:
        return [Error(f"The audit key cannot be read: {error}", id="kpo.audit.E002")]
    return []
