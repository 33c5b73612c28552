"""CSV that spreadsheet programs open as data: a cell starting with =, +, @, a tab or a carriage return (or
with - and not a number) would be read as a formula (CSV injection), so it is prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

FORMULA_STARTS = frozenset({"=", "+", "@", "\t", "\r"})


def safe_cell(value: object) -> object:
    """`value` as a spreadsheet reads it as data: text that would start a formula gets an apostrophe."""
    if not isinstance(value, str):
        return value
    if value[:1] in FORMULA_STARTS or (value[:1] == "-" and not _numeric(value)):
        return "'" + value
    return value


def csv_safe(text: str) -> str:
    """CSV `text` with every cell made safe (`safe_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in csv.reader(io.StringIO(text)):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def _numeric(cell: str) -> bool:
    try:
        Decimal(cell)
    except InvalidOperation:
        return False
    return True
