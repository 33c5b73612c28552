"""Reading the file: a CSV (UTF-8, comma or semicolon) or the first sheet of an XLSX workbook."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kpo.experts.importing.format import ImportFailed, RowError

MAX_ROWS = 200_000

XLSX_MAGIC = b"PK\x03\x04"


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The file's rows as lists of stripped strings, header first. Raises ImportFailed if unreadable."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFailed([RowError(None, "file", "Use a .csv or an .xlsx file.")])
    if not data.strip():
        raise ImportFailed([RowError(None, "file", "The file is empty.")])
    rows = _read_csv(data) if suffix == ".csv" else _read_xlsx(data)
    if len(rows) > MAX_ROWS + 1:
        raise ImportFailed([RowError(None, "file", f"The file has more than {MAX_ROWS} rows; split it.")])
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    not_csv = ImportFailed([RowError(None, "file", "The file is not a CSV text file.")])
    if b"\x00" in data:
        raise not_csv
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(
            [RowError(None, "file", "The file is not UTF-8 text; save it as CSV UTF-8.")]
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","  # Excel in Danish uses ";"
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise ImportFailed([RowError(None, "file", f"The file is not valid CSV ({error}).")]) from None


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    not_xlsx = ImportFailed([RowError(None, "file", "The file is not an Excel .xlsx workbook.")])
    if not data.startswith(XLSX_MAGIC):
        raise not_xlsx
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError):
        raise not_xlsx from None
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return value.isoformat()
        return date(value.year, value.month, value.day).isoformat()  # a spreadsheet's date: naive
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
