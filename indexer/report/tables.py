"""Exports as spreadsheets open them: CSV in UTF-8 with a BOM (Excel reads the Cyrillic and
Chinese right), XLSX with openpyxl; both safe against formula injection."""

from __future__ import annotations

import csv
import io
import json

from indexer.ingest.text import xml_safe
from indexer.report.rows import COLUMNS, Table

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_WIDTHS = {"digest_id": 28, "title": 40, "date": 12, "lang": 6, "passage_id": 32,
           "heading": 30, "text": 80, "url": 40, "partners": 30}  # fmt: skip
MAX_CELL = 32_000  # characters: Excel holds 32,767 in a cell


def inert(value: str) -> str:
    """A cell no spreadsheet runs (one beginning like a formula gets a leading apostrophe) and
    every spreadsheet takes (no character XML forbids)."""
    value = xml_safe(value)[:MAX_CELL]
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_bytes(table: Table) -> bytes:
    """The rows as CSV; a cut export ends with a line saying so."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in table.rows:
        writer.writerow([inert(value) for value in row.values()])
    if table.cut:
        writer.writerow([f"# {table.note()}"])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    """The rows as an Excel workbook: a frozen header row, set column widths, and a second
    sheet saying what the export holds (and that it was cut, when it was)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "passages"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([inert(value) for value in row.values()])
    for number, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, number).column_letter].width = _WIDTHS[column]
    sheet.freeze_panes = "A2"
    about = book.create_sheet("about")
    about.append(["export", inert(table.title)])
    about.append(["passages", len(table.rows)])
    about.append(["of", table.total])
    if table.cut:
        about.append(["note", table.note()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def json_bytes(table: Table) -> bytes:
    data = {"title": table.title, "total": table.total, "cut": table.cut,
            "rows": [row.to_json() for row in table.rows]}  # fmt: skip
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
