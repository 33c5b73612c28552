"""Active content: what a PDF or an Office file can run or fetch when it is opened.

A PDF is cleaned: document and page actions (``/OpenAction``, ``/AA``), JavaScript and embedded
files in the name tree, actions of annotations and form fields other than plain links, file
attachment annotations and XFA forms are removed (``clean_pdf`` on bytes, ``inert_writer`` for a
reader whose copy is about to be changed).

An Office file (DOCX, XLSX, PPTX) is not cleaned but judged (``office_active_content``): macros
(a VBA project, a macro-enabled content type, ActiveX controls), relationships to anything outside
the package except plain hyperlinks (remote templates, images, OLE links, frames), imported chunks
(``altChunk``), attached templates, external workbook and DDE links, and DDE fields are each a
reason to refuse the file.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from enum import StrEnum
from io import BytesIO
from typing import IO

from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, PdfObject

_SAFE_ACTIONS = frozenset({"/URI", "/GoTo"})
_NAME_TREE_ACTIVE = ("/JavaScript", "/EmbeddedFiles")
_CATALOG_ACTIVE = ("/OpenAction", "/AA")
_MAX_FIELD_DEPTH = 32
_PDF_ERRORS = (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError, AttributeError)

_HYPERLINK = "/relationships/hyperlink"
_ALT_CHUNK = "/relationships/aFChunk"
_ATTACHED_TEMPLATE = "/relationships/attachedTemplate"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DDE = re.compile(r"\bDDE(AUTO)?\b", re.IGNORECASE)
_MACRO_TYPES = ("macroenabled", "vbaproject", "ms-office.activex")


class PdfCleaningError(ValueError):
    """The PDF could not be read or written back without its active content."""


class ActiveContent(StrEnum):
    MACROS = "macros"
    EXTERNAL_RELATIONSHIP = "external_relationship"
    ALT_CHUNK = "alt_chunk"
    ATTACHED_TEMPLATE = "attached_template"
    EXTERNAL_LINK = "external_link"
    DDE_FIELD = "dde_field"


# -- PDF -----------------------------------------------------------------------------------------


def pdf_active_content(data: bytes) -> list[str]:
    """What `data` holds that runs or is embedded (empty for a clean PDF); raises PdfCleaningError."""
    return inert_writer(_read(data))[1]


def clean_pdf(data: bytes) -> bytes:
    """`data` without its active content (the same bytes if it had none); raises PdfCleaningError."""
    writer, removed = inert_writer(_read(data))
    if not removed:
        return data
    return _written(writer)


def inert_writer(reader: PdfReader) -> tuple[PdfWriter, list[str]]:
    """A writer holding `reader`'s document without its active content, and what was removed (as
    PDF names). Raises PdfCleaningError."""
    try:
        writer = PdfWriter(clone_from=reader)
        removed = _strip(writer)
        if removed:
            # what was cut off is still among the writer's objects: a second copy takes only
            # what the document still reaches
            writer = PdfWriter(clone_from=PdfReader(BytesIO(_written(writer))))
    except PdfCleaningError:
        raise
    except _PDF_ERRORS as error:
        raise PdfCleaningError(f"not a readable PDF: {error}") from error
    return writer, removed


def _read(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(BytesIO(data))
        encrypted = reader.is_encrypted
    except _PDF_ERRORS as error:
        raise PdfCleaningError(f"not a readable PDF: {error}") from error
    if encrypted:
        raise PdfCleaningError("the PDF is encrypted")
    return reader


def _written(writer: PdfWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _strip(writer: PdfWriter) -> list[str]:
    removed: list[str] = []
    root = writer.root_object
    for key in _CATALOG_ACTIVE:
        if key in root:
            del root[NameObject(key)]
            removed.append(key)
    names = _resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject):
        for key in _NAME_TREE_ACTIVE:
            if key in names:
                del names[NameObject(key)]
                removed.append(key)
    form = _resolve(root.get("/AcroForm"))
    if isinstance(form, DictionaryObject):
        if "/XFA" in form:
            del form[NameObject("/XFA")]
            removed.append("/XFA")
        fields = _resolve(form.get("/Fields"))
        if isinstance(fields, ArrayObject):
            for field in fields:
                removed.extend(_strip_field(_resolve(field), 0))
    for page in writer.pages:
        if "/AA" in page:
            del page[NameObject("/AA")]
            removed.append("/AA")
        removed.extend(_strip_annotations(page))
    return removed


def _resolve(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if value is not None else None


def _strip_annotations(page: DictionaryObject) -> list[str]:
    annotations = _resolve(page.get("/Annots"))
    if not isinstance(annotations, ArrayObject):
        return []
    removed: list[str] = []
    kept = ArrayObject()
    for reference in annotations:
        annotation = _resolve(reference)
        if isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") == "/FileAttachment":
            removed.append("/FileAttachment")
            continue
        if isinstance(annotation, DictionaryObject):
            removed.extend(_strip_actions(annotation))
        kept.append(reference)
    if removed:
        page[NameObject("/Annots")] = kept
    return removed


def _strip_field(field: PdfObject | None, depth: int) -> list[str]:
    if not isinstance(field, DictionaryObject) or depth > _MAX_FIELD_DEPTH:
        return []
    removed = _strip_actions(field)
    kids = _resolve(field.get("/Kids"))
    if isinstance(kids, ArrayObject):
        for kid in kids:
            removed.extend(_strip_field(_resolve(kid), depth + 1))
    return removed


def _strip_actions(holder: DictionaryObject) -> list[str]:
    """Drop `holder`'s additional actions and any action that is not a plain link or jump."""
    removed: list[str] = []
    if "/AA" in holder:
        del holder[NameObject("/AA")]
        removed.append("/AA")
    action = _resolve(holder.get("/A"))
    if action is None:
        return removed
    kind = action.get("/S") if isinstance(action, DictionaryObject) else None
    if kind in _SAFE_ACTIONS and isinstance(action, DictionaryObject):
        if "/Next" in action:
            del action[NameObject("/Next")]
            removed.append("/Next")
    else:
        del holder[NameObject("/A")]
        removed.append(str(kind or "/A"))
    return removed


# -- Office --------------------------------------------------------------------------------------


def office_active_content(source: bytes | IO[bytes]) -> ActiveContent | None:
    """The first reason an Office file would run or fetch something when opened, or None.

    Call after the size limits are checked (``limits.check_package``): every relationship part and
    every Word part is parsed. Raises ValueError for a file that is not a readable package."""
    try:
        with zipfile.ZipFile(BytesIO(source) if isinstance(source, bytes) else source) as archive:
            return _package_reason(archive)
    except (zipfile.BadZipFile, zlib.error, KeyError, etree.LxmlError, EOFError, RuntimeError) as error:
        raise ValueError(f"not a readable Office file: {error}") from error
    finally:
        if not isinstance(source, bytes):
            source.seek(0)


def _package_reason(archive: zipfile.ZipFile) -> ActiveContent | None:
    names = archive.namelist()
    lowered = [name.lower() for name in names]
    if any(name.endswith(("vbaproject.bin", "vbadata.xml")) or "/activex/" in name for name in lowered):
        return ActiveContent.MACROS
    if "[content_types].xml" in lowered:
        types = archive.read(names[lowered.index("[content_types].xml")]).decode("utf-8", "replace").lower()
        if any(marker in types for marker in _MACRO_TYPES):
            return ActiveContent.MACROS
    if any(name.startswith("xl/externallinks/") for name in lowered):
        return ActiveContent.EXTERNAL_LINK
    for name in names:
        if name.lower().endswith(".rels"):
            reason = _relationships_reason(archive.read(name))
            if reason is not None:
                return reason
    for name in names:
        if (
            name.lower().startswith("word/")
            and name.lower().endswith(".xml")
            and _has_dde(archive.read(name))
        ):
            return ActiveContent.DDE_FIELD
    return None


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _relationships_reason(data: bytes) -> ActiveContent | None:
    root = etree.fromstring(data, _safe_parser())
    for relation in root:
        kind = str(relation.get("Type") or "")
        if kind.endswith(_ALT_CHUNK):
            return ActiveContent.ALT_CHUNK
        if kind.endswith(_ATTACHED_TEMPLATE):
            return ActiveContent.ATTACHED_TEMPLATE
        external = str(relation.get("TargetMode") or "").lower() == "external"
        if external and not kind.endswith(_HYPERLINK):
            return ActiveContent.EXTERNAL_RELATIONSHIP
    return None


def _has_dde(data: bytes) -> bool:
    if b"instr" not in data:
        return False
    root = etree.fromstring(data, _safe_parser())
    codes: list[str] = []
    for paragraph in root.iter(f"{_W}p"):
        simple = " ".join(str(field.get(f"{_W}instr") or "") for field in paragraph.iter(f"{_W}fldSimple"))
        complex_ = "".join(text.text or "" for text in paragraph.iter(f"{_W}instrText"))
        codes.append(f"{simple} {complex_}")
    return any(_DDE.search(code) for code in codes)
