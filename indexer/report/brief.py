"""A partner brief as a Word document (python-docx): names, counts, timeline, co-mentioned
partners, then every mention in date order with the name marked in bold."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from indexer.ingest.text import xml_safe as safe
from indexer.report.timeline import Period
from indexer.search.results import Marked


@dataclass
class Brief:
    """What a brief says about one partner; the page and the .docx render the same."""

    name: str
    names: list[str]
    mentions: int
    digests: int
    first: str | None
    last: str | None
    periods: list[Period]
    co_mentioned: list[tuple[dict, int]]
    entries: list[dict] = field(default_factory=list)  # date, title, marked (Marked), url


def docx_bytes(brief: Brief) -> bytes:
    import docx

    document = docx.Document()
    # Every text goes through safe(): python-docx refuses a character XML forbids.
    document.core_properties.title = safe(f"Partner brief: {brief.name}")
    document.add_heading(safe(brief.name), level=0)
    if brief.names:
        document.add_paragraph(safe("Also known as: " + ", ".join(brief.names)))
    span = f", {brief.first} – {brief.last}" if brief.first and brief.first != brief.last else (
        f", {brief.first}" if brief.first else "")  # fmt: skip
    document.add_paragraph(f"{brief.mentions} mentions in {brief.digests} digests{span}.")
    document.add_heading("Mentions over time", level=1)
    busy = [p for p in brief.periods if p.count]
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "period", "mentions"
    for period in busy:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = period.label, str(period.count)
    if brief.co_mentioned:
        document.add_heading("Named in the same digests", level=1)
        for partner, count in brief.co_mentioned:
            document.add_paragraph(safe(f"{partner['name']}: {count} digests"), style="List Bullet")
    document.add_heading("Every mention", level=1)
    for entry in brief.entries:
        document.add_heading(safe(f"{entry['date'] or 'undated'} · {entry['title']}"), level=2)
        _marked_paragraph(document, entry["marked"])
        document.add_paragraph(safe(entry["url"]))
        document.paragraphs[-1].runs[0].italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _marked_paragraph(document, marked: Marked) -> None:
    paragraph = document.add_paragraph()
    cursor = 0
    for start, end in marked.spans:
        paragraph.add_run(safe(marked.text[cursor:start]))
        paragraph.add_run(safe(marked.text[start:end])).bold = True
        cursor = end
    paragraph.add_run(safe(marked.text[cursor:]))
