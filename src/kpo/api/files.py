"""Files in and out of the API: uploads checked at the edge, downloads as attachments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kpo.core.uploads import ALLOWED_BINARY_TYPES
from kpo.work.services import Upload

MAX_NAME_BYTES = 200
DOWNLOAD_TYPES = tuple(
    sorted({*ALLOWED_BINARY_TYPES, "text/plain", "text/markdown", "application/octet-stream"})
)


def upload_from(file: UploadedFile, *, field: str = "file") -> Upload:
    """The service's Upload for a received file; a name the storage cannot keep is a 422 on `field`."""
    name = file.name or ""
    if not name or "\x00" in name or any(ord(char) < 32 for char in name):
        raise ValidationError({field: _("The file name is not valid.")})
    if len(name.encode("utf-8", errors="replace")) > MAX_NAME_BYTES:
        raise ValidationError(
            {field: _("The file name is longer than %(limit)s bytes.") % {"limit": MAX_NAME_BYTES}}
        )
    return Upload(stream=file, name=name)


def download_openapi(*media_types: str) -> dict[str, Any]:
    """`openapi_extra` documenting a download's 200: the file, in one of `media_types`."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {
                "description": "The file, as an attachment.",
                "content": {media_type: binary for media_type in media_types},
            }
        }
    }
