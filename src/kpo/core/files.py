"""Serving a stored file: always as an attachment, with its checked content type, never sniffed or cached."""

from __future__ import annotations

import io

from django.http import FileResponse, Http404

from kpo.core.models import StoredFile


def serve_stored(
    stored: StoredFile, *, content: bytes | None = None, text_charset: bool = False
) -> FileResponse:
    """`stored` as a download: `content` when given (a watermarked copy, say), else the file in storage.

    `text_charset` adds "; charset=utf-8" to a text/* type. A file missing from storage is a 404.
    Callers check access and log the download first.
    """
    content_type = stored.content_type
    if text_charset and content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    if content is not None:
        handle: object = io.BytesIO(content)
    else:
        try:
            handle = stored.file.open("rb")
        except (FileNotFoundError, OSError, ValueError) as error:
            raise Http404("The file is missing.") from error
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
