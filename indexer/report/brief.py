"""A partner brief as a Word document (python-docx): names, counts, timeline, co-mentioned
partners, then every mention in date order with the name marked in bold."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from indexer.ingest.text import xml_safe as safe
from indexer.locale import ENGLISH, Words
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
    co_mentioned: list[tuple[dict, int]]  # another partner (slug, name), the digests shared
    entries: list[dict] = field(default_factory=list)  # date, title, marked (Marked), url


def docx_bytes(brief: Brief, words: Words = ENGLISH) -> bytes:
    """The brief as Word writes it, in the reader's language."""
    import docx

    document = docx.Document()
    # Every text goes through safe(): python-docx refuses a character XML forbids.
    document.core_properties.title = safe(words("brief_title", name=brief.name))
    document.add_heading(safe(brief.name), level=0)
    if brief.names:
        document.add_paragraph(safe(f"{words('also_known_as')}: " + ", ".join(brief.names)))
    document.add_paragraph(" · ".join(_counts(brief, words)))
    document.add_heading(words("timeline"), level=1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = words("period"), words("mentions")
    for period in brief.periods:
        if period.count:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = words.period(period.label), str(period.count)
    if brief.co_mentioned:
        document.add_heading(words("co_mentioned"), level=1)
        for partner, count in brief.co_mentioned:
            document.add_paragraph(safe(f"{partner['name']} — {words('digests_n', n=count)}"),
                                   style="List Bullet")  # fmt: skip
    document.add_heading(words("every_mention"), level=1)
    for entry in brief.entries:
        dated = words.date(entry["date"]) or words("undated")
        document.add_heading(safe(f"{dated} · {entry['title']}"), level=2)
        _marked_paragraph(document, entry["marked"])
        document.add_paragraph(safe(entry["url"]))
        document.paragraphs[-1].runs[0].italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _counts(brief: Brief, words: Words) -> list[str]:
    """ "12 mentions · 5 digests · 6 June 2019 – 1 May 2024", as the page says it."""
    span = words.date(brief.first)
    if brief.last and brief.last != brief.first:
        span += " – " + words.date(brief.last)
    counts = [words("mentions_n", n=brief.mentions), words("digests_n", n=brief.digests)]
    return counts + ([span] if span else [])


def _marked_paragraph(document, marked: Marked) -> None:
    paragraph = document.add_paragraph()
    cursor = 0
    for start, end in marked.spans:
        paragraph.add_run(safe(marked.text[cursor:start]))
        paragraph.add_run(safe(marked.text[start:end])).bold = True
        cursor = end
    paragraph.add_run(safe(marked.text[cursor:]))
