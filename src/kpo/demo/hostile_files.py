"""Hostile Office files for tests and benchmarks: small on disk, huge once opened.

* ``long_run_docx``: one paragraph whose single run holds millions of characters (compresses ~150:1).
* ``inflated_image_docx``: a linked image part of zeros that inflates to hundreds of MB; with
  ``lying=True`` the zip's headers declare a small size for it.
* ``many_parts_docx``: thousands of tiny parts.
* ``normal_docx``: an ordinary document of about the given size (prose and one incompressible image).

Large members are written in chunks, so building a 400 MB member never holds it in memory.
"""

from __future__ import annotations

import random
import struct
import zipfile
from io import BytesIO

import docx

IMAGE_NAME = "word/media/image1.png"
_IMAGE_REL = (
    '<Relationship Id="rIdHostile1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
    'Target="media/image1.png"/>'
)
_CHUNK = 1024 * 1024
_WORDS = [
    "the",
    "client",
    "asks",
    "which",
    "supplier",
    "delivers",
    "the",
    "bearings",
    "on",
    "time",
    "and",
    "why",
    "the",
    "housings",
    "failed",
    "inspection",
    "in",
    "spring",
    "while",
    "the",
    "sensors",
    "kept",
    "their",
    "sampling",
    "rate",
    "across",
    "every",
    "shift",
    "of",
    "line",
    "four",
]


def _document(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _prose(chars: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    words: list[str] = []
    length = 0
    while length < chars:
        word = rng.choice(_WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:chars]


def long_run_docx(chars: int = 8_000_000) -> bytes:
    """A DOCX whose one paragraph is one run of ``chars`` characters of ordinary words."""
    pattern = _prose(4096)
    text = (pattern + " ") * (chars // (len(pattern) + 1) + 1)
    return _document([text[:chars]])


def _copy_with(
    base: bytes, extra: dict[str, bytes] | None = None, *, link_image: bool = True
) -> tuple[BytesIO, zipfile.ZipFile]:
    """A new zip holding ``base``'s members (with ``link_image``, rels patched to link the image), open for
    more members."""
    out = BytesIO()
    target = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(BytesIO(base)) as source:
        for item in source.infolist():
            data = source.read(item.filename)
            if link_image and item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", _IMAGE_REL.encode() + b"</Relationships>")
            if item.filename == "[Content_Types].xml" and b'Extension="png"' not in data:
                data = data.replace(
                    b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>'
                )
            target.writestr(item.filename, data)
    for name, data in (extra or {}).items():
        target.writestr(name, data)
    return out, target


def inflated_image_docx(size: int = 400 * 1024 * 1024, *, lying: bool = False) -> bytes:
    """A short DOCX linking an image part of ``size`` zero bytes (a few hundred KB compressed).

    ``lying``: the local and central headers declare the image as 1 KB.
    """
    out, target = _copy_with(_document(["A short letter with one picture."]))
    info = zipfile.ZipInfo(IMAGE_NAME, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    zeros = bytes(_CHUNK)
    with target.open(info, "w", force_zip64=False) as member:
        written = 0
        while written < size:
            piece = zeros[: min(_CHUNK, size - written)]
            member.write(piece)
            written += len(piece)
    target.close()
    data = out.getvalue()
    return _declare_size(data, IMAGE_NAME, 1024) if lying else data


def _declare_size(data: bytes, name: str, declared: int) -> bytes:
    """Overwrite the uncompressed size of member ``name`` in its local and central headers."""
    patched = bytearray(data)
    encoded = name.encode()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    struct.pack_into("<I", patched, local + 22, declared)
    central = 0
    while True:
        central = patched.find(b"PK\x01\x02", central)
        if central < 0:
            raise ValueError(f"no central header for {name}")
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if bytes(patched[central + 46 : central + 46 + name_length]) == encoded:
            break
        central += 4
    struct.pack_into("<I", patched, central + 24, declared)
    return bytes(patched)


def many_parts_docx(parts: int = 5000) -> bytes:
    """A DOCX with ``parts`` extra tiny members (custom XML parts nobody links)."""
    extra = {f"customXml/hostile{number}.xml": b"<a/>" for number in range(parts)}
    out, target = _copy_with(_document(["A document with a great many parts."]), extra, link_image=False)
    target.close()
    return out.getvalue()


def normal_docx(size: int = 1024 * 1024, seed: int = 11) -> bytes:
    """An ordinary DOCX of about ``size`` bytes: prose paragraphs and one incompressible image."""
    rng = random.Random(seed)
    paragraphs = [_prose(600, seed=seed + number) for number in range(max(1, size // 8000))]
    base = _document(paragraphs)
    image = rng.randbytes(max(0, size - len(base)))
    out, target = _copy_with(base, {IMAGE_NAME: image})
    target.close()
    return out.getvalue()
