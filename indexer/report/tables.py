"""Exports as spreadsheets open them: CSV in UTF-8 with a BOM (Excel reads the Cyrillic and
Chinese right), XLSX with openpyxl; both safe against formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from indexer.ingest.text import xml_safe
from indexer.locale import ENGLISH, Words
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


def headers(words: Words) -> list[list[str]]:
    """The two header rows: the columns in the reader's words, then their ids for scripts."""
    return [[words(f"column_{column}") for column in COLUMNS], list(COLUMNS)]


def csv_bytes(table: Table, words: Words = ENGLISH) -> bytes:
    """The rows as CSV under the two header rows; a cut export ends with a line saying so."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerows(headers(words))
    for row in table.rows:
        writer.writerow([inert(value) for value in row.values()])
    if table.cut:
        writer.writerow([f"# {words.message(table.note())}"])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(table: Table, words: Words = ENGLISH) -> bytes:
    """The rows as an Excel workbook: two frozen header rows, dates as dates, set column
    widths, and a second sheet saying what the export holds (and that it was cut)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = words("sheet_passages")
    for header in headers(words):
        sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    dated = COLUMNS.index("date")
    for row in table.rows:
        values: list = [inert(value) for value in row.values()]
        values[dated] = _date_cell(row.date) or values[dated]
        sheet.append(values)
    for cell in sheet.iter_rows(min_row=3, min_col=dated + 1, max_col=dated + 1):
        cell[0].number_format = "yyyy-mm-dd"
    for number, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, number).column_letter].width = _WIDTHS[column]
    sheet.freeze_panes = "A3"
    about = book.create_sheet(words("sheet_about"))
    about.append([words("about_export"), inert(words.message(table.title))])
    about.append([words("about_rows"), len(table.rows)])
    about.append([words("about_total"), table.total])
    if table.cut:
        about.append([words("about_note"), words.message(table.note())])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _date_cell(date: str | None) -> dt.date | None:
    """A digest's ISO date as a date Excel sorts and filters by (None when it is not one)."""
    try:
        return dt.date.fromisoformat(date) if date else None
    except ValueError:
        return None


def json_bytes(table: Table, words: Words = ENGLISH) -> bytes:
    data = {"title": words.message(table.title), "total": table.total, "cut": table.cut,
            "rows": [row.to_json() for row in table.rows]}  # fmt: skip
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
