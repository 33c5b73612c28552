"""Limits that keep a hostile file from costing minutes or gigabytes: checked before any work on it.

An Office file is a zip: its central directory is read first (member count, declared sizes), then
every member is actually inflated in chunks and counted, stopping as soon as a limit is passed
(declared sizes lie). The main document part of a DOCX is then read as a stream of XML events
counting characters per run, per paragraph and in the whole document, and elements. A PDF's
pages are counted; a text's characters are counted.

Every check raises ``OverLimit`` naming the limit, or ``UnreadableFile``; on success it returns what
it measured (the watermarker's work scales with the characters).
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from typing import IO

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MB = 1024 * 1024
_CHUNK = 256 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH, _RUN, _TEXT = f"{_W}p", f"{_W}r", f"{_W}t"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_STRICT_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


class Limit(StrEnum):
    PACKAGE_BYTES = "package_bytes"
    PACKAGE_PARTS = "package_parts"
    PART_BYTES = "part_bytes"
    RUN_CHARS = "run_chars"
    PARAGRAPH_CHARS = "paragraph_chars"
    DOCUMENT_CHARS = "document_chars"
    XML_ELEMENTS = "xml_elements"
    PDF_PAGES = "pdf_pages"


@dataclass(frozen=True)
class FileLimits:
    package_bytes: int = 100 * MB
    """All members of an Office file together, inflated."""
    package_parts: int = 2_000
    part_bytes: int = 50 * MB
    """One member of an Office file, inflated."""
    run_chars: int = 100_000
    paragraph_chars: int = 1_000_000
    document_chars: int = 10_000_000
    """Characters of a Word document's body, or of a text file."""
    xml_elements: int = 2_000_000
    """Elements of a Word document's main part (each costs memory once parsed)."""
    pdf_pages: int = 2_000

    def allowed(self, limit: Limit) -> int:
        value: int = getattr(self, limit.value)
        return value


class OverLimit(ValueError):
    """The file passes one of the limits."""

    def __init__(self, limit: Limit, allowed: int) -> None:
        super().__init__(f"{limit.value} over {allowed}")
        self.limit = limit
        self.allowed = allowed


class UnreadableFile(ValueError):
    """The file is damaged, encrypted or not of the kind it claims."""


@dataclass(frozen=True)
class Measured:
    inflated_bytes: int = 0
    parts: int = 0
    chars: int = 0
    pages: int = 0


def check_package(source: bytes | IO[bytes], limits: FileLimits) -> Measured:
    """Check an Office (zip) file: member count, declared then actual inflated sizes."""
    try:
        with zipfile.ZipFile(BytesIO(source) if isinstance(source, bytes) else source) as archive:
            members = archive.infolist()
            _check_directory(members, limits)
            total = 0
            for member in members:
                total = _inflate(archive, member, limits, total)
    except OverLimit:
        raise
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, ValueError) as error:
        raise UnreadableFile(f"not a readable Office file: {error}") from error
    return Measured(inflated_bytes=total, parts=len(members))


def _check_directory(members: list[zipfile.ZipInfo], limits: FileLimits) -> None:
    if len(members) > limits.package_parts:
        raise OverLimit(Limit.PACKAGE_PARTS, limits.package_parts)
    declared = 0
    for member in members:
        if member.file_size > limits.part_bytes:
            raise OverLimit(Limit.PART_BYTES, limits.part_bytes)
        declared += member.file_size
        if declared > limits.package_bytes:
            raise OverLimit(Limit.PACKAGE_BYTES, limits.package_bytes)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: FileLimits, total: int) -> int:
    """Inflate one member in chunks, counting; stop at the first limit passed. The new running total."""
    size = 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limits.part_bytes:
                raise OverLimit(Limit.PART_BYTES, limits.part_bytes)
            if total + size > limits.package_bytes:
                raise OverLimit(Limit.PACKAGE_BYTES, limits.package_bytes)
    return total + size


def check_docx(source: bytes | IO[bytes], limits: FileLimits) -> Measured:
    """Check a DOCX: the package, then the characters and elements of its main document part."""
    package = check_package(source, limits)
    try:
        with zipfile.ZipFile(BytesIO(source) if isinstance(source, bytes) else source) as archive:
            name = _main_part(archive)
            with archive.open(name) as stream:
                chars = _count_text(stream, limits)
    except OverLimit:
        raise
    except (KeyError, etree.LxmlError, zipfile.BadZipFile, zlib.error, ValueError) as error:
        raise UnreadableFile(f"not a readable Word document: {error}") from error
    return Measured(inflated_bytes=package.inflated_bytes, parts=package.parts, chars=chars)


def _main_part(archive: zipfile.ZipFile) -> str:
    with archive.open("_rels/.rels") as stream:
        root = etree.parse(stream, _safe_parser()).getroot()
    for relation in root:
        if relation.get("Type") in {_OFFICE_DOCUMENT, _STRICT_DOCUMENT}:
            target = relation.get("Target") or ""
            return posixpath.normpath(target.lstrip("/"))
    raise KeyError("the package names no main document")


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _count_text(stream: IO[bytes], limits: FileLimits) -> int:
    """Characters of ``w:t`` per run, per paragraph and in all; elements in all."""
    runs: list[int] = []
    paragraphs: list[int] = []
    total = 0
    elements = 0
    events = etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False
    )
    for event, element in events:
        if event == "start":
            elements += 1
            if elements > limits.xml_elements:
                raise OverLimit(Limit.XML_ELEMENTS, limits.xml_elements)
            if element.tag == _RUN:
                runs.append(0)
            elif element.tag == _PARAGRAPH:
                paragraphs.append(0)
            continue
        tag = element.tag
        if tag == _TEXT:
            count = len(element.text or "")
            total += count
            if runs:
                runs[-1] += count
                if runs[-1] > limits.run_chars:
                    raise OverLimit(Limit.RUN_CHARS, limits.run_chars)
            if paragraphs:
                paragraphs[-1] += count
                if paragraphs[-1] > limits.paragraph_chars:
                    raise OverLimit(Limit.PARAGRAPH_CHARS, limits.paragraph_chars)
            if total > limits.document_chars:
                raise OverLimit(Limit.DOCUMENT_CHARS, limits.document_chars)
        elif tag == _RUN and runs:
            runs.pop()
        elif tag == _PARAGRAPH and paragraphs:
            paragraphs.pop()
        if tag == _PARAGRAPH and not paragraphs:
            # a finished outermost paragraph is not needed again: free it and what came before
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return total


def check_text(data: bytes, limits: FileLimits) -> Measured:
    """Check a text file's characters (bytes that are not UTF-8 are the caller's concern)."""
    chars = len(data.decode("utf-8", errors="replace"))
    if chars > limits.document_chars:
        raise OverLimit(Limit.DOCUMENT_CHARS, limits.document_chars)
    return Measured(chars=chars)


def check_pdf(data: bytes, limits: FileLimits) -> Measured:
    """Check a PDF's page count (pypdf itself bounds how far one stream may inflate)."""
    try:
        reader = PdfReader(BytesIO(data))
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise UnreadableFile(f"not a readable PDF: {error}") from error
    if pages > limits.pdf_pages:
        raise OverLimit(Limit.PDF_PAGES, limits.pdf_pages)
    return Measured(pages=pages)
