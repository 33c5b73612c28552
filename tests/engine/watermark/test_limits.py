"""Limits on what a file may cost once opened: zip directory, actual inflation, characters, pages."""

from __future__ import annotations

import zipfile
from datetime import date
from io import BytesIO

import pytest

from kpo.demo.hostile_files import (
    IMAGE_NAME,
    inflated_image_docx,
    long_run_docx,
    many_parts_docx,
    normal_docx,
)
from kpo.engine.watermark import trace, watermark_docx
from kpo.engine.watermark.docx import document_text
from kpo.engine.watermark.limits import (
    MB,
    FileLimits,
    Limit,
    OverLimit,
    UnreadableFile,
    check_docx,
    check_package,
    check_pdf,
    check_text,
)
from kpo.engine.watermark.pdf import render_pdf

SMALL = FileLimits(
    package_bytes=8 * MB,
    package_parts=100,
    part_bytes=4 * MB,
    run_chars=10_000,
    paragraph_chars=30_000,
    document_chars=100_000,
    xml_elements=50_000,
    pdf_pages=3,
)


def _over(limit: Limit, check, data: bytes, limits: FileLimits = SMALL) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OverLimit) as caught:
        check(data, limits)
    assert caught.value.limit is limit and caught.value.allowed == limits.allowed(limit)


def test_an_ordinary_document_passes_and_is_measured() -> None:
    data = normal_docx(512 * 1024)
    measured = check_docx(data, FileLimits())
    assert measured.parts == len(zipfile.ZipFile(BytesIO(data)).infolist())
    assert measured.inflated_bytes > len(data) // 2
    assert measured.chars == len(document_text(data).replace("\n", ""))


def test_a_declared_huge_part_is_refused_from_the_directory() -> None:
    _over(Limit.PART_BYTES, check_package, inflated_image_docx(5 * MB))


def test_the_inflated_total_counts_every_part() -> None:
    limits = FileLimits(package_bytes=3 * MB, part_bytes=4 * MB)
    _over(Limit.PACKAGE_BYTES, check_package, inflated_image_docx(int(3.5 * MB)), limits)


def test_a_part_that_lies_about_its_size_is_never_inflated_past_the_lie() -> None:
    data = inflated_image_docx(20 * MB, lying=True)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert archive.getinfo(IMAGE_NAME).file_size == 1024  # the directory says 1 KB
    with pytest.raises(UnreadableFile):
        check_package(data, SMALL)


def test_too_many_parts() -> None:
    _over(Limit.PACKAGE_PARTS, check_package, many_parts_docx(150))


def test_characters_per_run_paragraph_and_document() -> None:
    _over(Limit.RUN_CHARS, check_docx, long_run_docx(10_001))
    assert check_docx(long_run_docx(10_000), SMALL).chars == 10_000
    several_runs = FileLimits(run_chars=10_000, paragraph_chars=25_000)
    _over(Limit.PARAGRAPH_CHARS, check_docx, _paragraph_of_runs(3, 9_000), several_runs)
    many_paragraphs = FileLimits(document_chars=50_000)
    _over(Limit.DOCUMENT_CHARS, check_docx, _paragraphs(6, 9_000), many_paragraphs)
    _over(Limit.XML_ELEMENTS, check_docx, _paragraphs(300, 10), FileLimits(xml_elements=500))


def _paragraph_of_runs(runs: int, chars: int) -> bytes:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    for _ in range(runs):
        paragraph.add_run("word " * (chars // 5))
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraphs(count: int, chars: int) -> bytes:
    import docx

    document = docx.Document()
    for _ in range(count):
        document.add_paragraph("text " * (chars // 5))
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def test_not_a_zip_or_not_a_word_document_is_unreadable() -> None:
    with pytest.raises(UnreadableFile):
        check_package(b"PK\x03\x04 not really", SMALL)
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableFile):
        check_docx(archive.getvalue(), SMALL)


def test_text_and_pdf() -> None:
    assert check_text("æøå".encode() * 10, SMALL).chars == 30
    _over(Limit.DOCUMENT_CHARS, check_text, b"x" * 100_001)
    assert check_pdf(render_pdf("line\n" * 100), SMALL).pages == 2
    _over(Limit.PDF_PAGES, check_pdf, render_pdf("line\n" * 400))
    with pytest.raises(UnreadableFile):
        check_pdf(b"%PDF-1.4\nnot really", SMALL)


def test_a_long_run_is_still_watermarked_and_traced() -> None:
    """The DOCX watermarker builds each run's text once (it was quadratic in a run's length)."""
    data = long_run_docx(60_000)
    marked = watermark_docx(data, 4242, "Carol Expert", date(2026, 1, 5))
    assert trace(marked, filename="brief.docx").code == 4242
    body = document_text(marked)
    assert trace(body[20_000:22_000]).code == 4242
