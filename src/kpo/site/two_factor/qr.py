"""The set-up link as a QR code in inline SVG: no image request, no script."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, title: str) -> SafeString:
    code = segno.make(data, error="m")
    svg: str = code.svg_inline(scale=5, border=2, title=title, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308 - segno writes the markup; the title is escaped by segno
