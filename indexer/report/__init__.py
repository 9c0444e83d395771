"""Reports: the rows of a search or of a partner's mentions, rendered as CSV, XLSX, JSON,
Atom feeds and a partner brief (.docx); a partner's timeline and co-mentioned partners."""

from indexer.report.brief import Brief, docx_bytes
from indexer.report.feed import atom_bytes
from indexer.report.rows import COLUMNS, MAX_ROWS, Row, Table, partner_rows, search_rows
from indexer.report.tables import csv_bytes, inert, json_bytes, xlsx_bytes
from indexer.report.timeline import Period, co_mentioned, timeline

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "Brief",
    "Period",
    "Row",
    "Table",
    "atom_bytes",
    "co_mentioned",
    "csv_bytes",
    "docx_bytes",
    "inert",
    "json_bytes",
    "partner_rows",
    "search_rows",
    "timeline",
    "xlsx_bytes",
]
