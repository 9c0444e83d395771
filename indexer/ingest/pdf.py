"""PDFs with a text layer through pdfminer.six: paragraphs back from lines, page debris gone.

pdfminer's layout analysis groups characters into text boxes and orders them (a second
column after the first). Each box is a paragraph, its lines joined back, a word hyphenated at a
line end rejoined. Lines repeated at the top or bottom of pages (running headers, footers) and
page numbers ("Page 2/3", "— 2 —", "2") are dropped. A box set in larger or bold type than the
body is a heading; the largest on the first page is the title (else the metadata's). A PDF
without text (a scan) is skipped with its reason; so are encrypted ones.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from indexer.ingest.dates import find_publication_date, is_date_line, parse_date
from indexer.ingest.digest import HEADING, PARAGRAPH, Block, Digest, DigestError
from indexer.ingest.text import clean_line

MAX_PAGES = 300
MAX_SECONDS = 60.0  # reading one PDF; past this it is skipped
HEADING_RATIO = 1.15  # a line this much larger than the body's type is a heading
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-—–\s]*\d{1,4}(?:\s*(?:/|of|из)\s*\d{1,4})?[-—–\s]*$",
                          re.IGNORECASE)  # fmt: skip
_EDGE_LINES = 2  # lines at the top and bottom of a page that may be running headers
PARAGRAPH_GAP = 0.9  # a gap between lines wider than this share of the type size: a new paragraph


@dataclass
class _Line:
    """One line of text: its page, type size, weight and vertical place (PDF points)."""

    page: int
    text: str
    size: float
    bold: bool
    top: float
    bottom: float
    left: float
    right: float
    edge: bool = False  # among the first or last lines of its page (a header's or footer's place)


@dataclass
class _Box:
    """Lines that make one paragraph or heading."""

    page: int
    lines: list[str]
    size: float
    bold: bool
    edge: bool


def read_pdf(path: Path, doc_id: str) -> Digest:
    """A digest from a PDF's text layer; DigestError for one that has none or is locked."""
    lines, metadata = _lines(path)
    if not any(line.text.strip() for line in lines):
        raise DigestError("scanned PDF without text (no text layer to read)")
    boxes = _paragraphs(_without_page_debris(lines))
    body = statistics.median([box.size for box in boxes if box.size]) if boxes else 0
    pairs = [(block, box) for box in boxes if (block := _block(box, body)).text]
    title = _title(pairs, metadata, path)
    blocks = [block for block, _ in pairs]
    date = find_publication_date([b.text for b in blocks[:4]]) or _metadata_date(metadata)
    blocks = [b for b in blocks if not is_date_line(b.text)]
    return Digest(doc_id=doc_id, title=title, blocks=blocks, date=date)


def _lines(path: Path) -> tuple[list[_Line], dict]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    started, found = time.monotonic(), []
    try:
        for number, page in enumerate(extract_pages(str(path), laparams=LAParams()), start=1):
            if number > MAX_PAGES or time.monotonic() - started > MAX_SECONDS:
                raise DigestError(f"longer than {MAX_PAGES} pages or {MAX_SECONDS:g} s to read")
            boxes = [item for item in page if isinstance(item, LTTextBox)]
            on_page = []
            for line in (ln for box in boxes for ln in box if isinstance(ln, LTTextLine)):
                chars = [c for c in line if isinstance(c, LTChar)]
                sizes = Counter(round(c.size, 1) for c in chars)
                bold = sum("bold" in c.fontname.lower() for c in chars) > len(chars) / 2
                size = sizes.most_common(1)[0][0] if sizes else 0.0
                text = line.get_text().rstrip("\n")
                on_page.append(_Line(number, text, size, bool(chars) and bold, line.y1, line.y0,
                                     line.x0, line.x1))  # fmt: skip
            on_page = _rejoined(on_page)
            if _one_column(on_page, page.width):  # top to bottom; columns keep pdfminer's order
                on_page.sort(key=lambda ln: (-round(ln.top), ln.left))
            by_height = sorted(on_page, key=lambda ln: -ln.top)
            for line in by_height[:_EDGE_LINES] + by_height[-_EDGE_LINES:]:
                line.edge = True
            found += on_page
        return found, _metadata(path)
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise DigestError("encrypted PDF: save it without a password") from exc
    except (PDFSyntaxError, PSException, TypeError, KeyError) as exc:
        raise DigestError(f"not a readable PDF ({exc.__class__.__name__})") from exc


def _rejoined(lines: list[_Line]) -> list[_Line]:
    """Pieces of one line that layout analysis set apart, side by side again (never across
    a column gutter: the gap must be under one and a half times the type size)."""
    joined: list[_Line] = []
    for line in sorted(lines, key=lambda ln: (-round(ln.top), ln.left)):
        last = joined[-1] if joined else None
        if (last is not None and abs(last.top - line.top) < 0.3 * max(line.size, 1)
                and 0 <= line.left - last.right < 1.5 * max(line.size, 1)):  # fmt: skip
            last.text, last.right = f"{last.text.rstrip()} {line.text.lstrip()}", line.right
        else:
            joined.append(line)
    return joined


def _paragraphs(lines: list[_Line]) -> list[_Box]:
    """Lines into paragraphs: the next line joins when it has the same type and follows
    closely below (a wider gap, a new size or weight, a new page begins a paragraph)."""
    boxes: list[_Box] = []
    previous = None
    for line in lines:
        same = (
            previous is not None and line.page == previous.page and line.bold == previous.bold
            and abs(line.size - previous.size) < 0.5
            and 0 <= previous.bottom - line.top <= PARAGRAPH_GAP * max(line.size, 1)
        )  # fmt: skip
        if same:
            boxes[-1].lines.append(line.text)
        else:
            boxes.append(_Box(line.page, [line.text], line.size, line.bold, line.edge))
        previous = line
    return boxes


def _one_column(lines: list[_Line], width: float) -> bool:
    """False when a quarter of the lines each stand in the left and in the right half."""
    left = sum(line.right < width / 2 for line in lines)
    right = sum(line.left > width / 2 for line in lines)
    return min(left, right) < len(lines) / 4


def _metadata(path: Path) -> dict:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    with open(path, "rb") as handle:
        info = PDFDocument(PDFParser(handle)).info
    found = {}
    for entry in info:
        for key in ("Title", "CreationDate"):
            value = entry.get(key)
            if isinstance(value, bytes):  # PDF strings: UTF-16 with a byte-order mark, or Latin-1
                unicode = value[:2] in (b"\xfe\xff", b"\xff\xfe")
                value = value.decode("utf-16" if unicode else "latin-1", "replace")
            if isinstance(value, str) and value.strip():
                found[key] = value.strip()
    return found


def _without_page_debris(lines: list[_Line]) -> list[_Line]:
    """Drop page numbers, and lines repeated at the edges of two pages or more."""
    pages = len({line.page for line in lines})
    edges = Counter(_shape(line.text) for line in lines if line.edge)
    return [
        line for line in lines
        if not _PAGE_NUMBER.match(line.text.strip())
        and not (pages > 1 and line.edge and edges[_shape(line.text)] > 1)
    ]  # fmt: skip


def _shape(text: str) -> str:
    """A line's text with its numbers blurred: "Digest 2023 — page 2" repeats as one shape."""
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _block(box: _Box, body: float) -> Block:
    text = _joined(box.lines)
    larger = body and box.size >= body * HEADING_RATIO
    short = len(text) <= 150 and not text.endswith((".", ",", ";"))
    if short and (larger or (box.bold and box.size >= body)):
        return Block(HEADING, text, level=2)
    return Block(PARAGRAPH, text)


def _joined(lines: list[str]) -> str:
    """Lines back into one paragraph: "informa-" + "tion" is "information"."""
    text = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if text.endswith("-") and line[:1].islower() and text[-2:-1].isalpha():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return clean_line(text)


def _title(pairs: list[tuple[Block, _Box]], metadata: dict, path: Path) -> str:
    """The largest heading on the first page (taken out of the body), else the metadata's
    title, else the file name."""
    headings = [pair for pair in pairs if pair[1].page == 1 and pair[0].kind == HEADING]
    if headings:
        largest = max(headings, key=lambda pair: pair[1].size)
        pairs.remove(largest)
        return largest[0].text
    return clean_line(metadata.get("Title", "")) or path.stem.replace("-", " ")


def _metadata_date(metadata: dict) -> str | None:
    """D:20200306… as 2020-03-06."""
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", metadata.get("CreationDate", ""))
    return parse_date(f"{match[1]}-{match[2]}-{match[3]}") if match else None
