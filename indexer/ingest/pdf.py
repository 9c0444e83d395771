"""PDFs with a text layer through pdfminer.six: paragraphs back from lines, page debris gone.

pdfminer's layout analysis finds the lines, text in figures (form XObjects) and vertical
lines included; pdflayout puts them in reading order (columns, vertical CJK, table rows).
Lines that follow closely in the same type are a paragraph, a word hyphenated at a line end
rejoined, CJK lines joined without a space. A line at the same place at the top or bottom of
most pages (a running header or footer) is kept once; a page number at a page's edge ("Page
2/3", "— 2 —", "2") is dropped, a number anywhere else is text. A line set in larger or bold
type than the body is a heading. The title is the metadata's when it is a real one, else the
largest heading on the first page. A glyph no font maps to Unicode ("(cid:12)") is dropped and
the digest marked as partly unreadable. A PDF without text (a scan) is read by OCR when
Tesseract is installed (indexer/ingest/ocr.py); encrypted ones are skipped with their reason.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from indexer.ingest import ocr
from indexer.ingest.dates import find_publication_date, is_date_line, parse_date
from indexer.ingest.digest import HEADING, PARAGRAPH, Block, Digest, DigestError
from indexer.ingest.pdflayout import Line, reading_order, without_page_debris
from indexer.ingest.text import clean_line

MAX_PAGES = 300
MAX_SECONDS = 60.0  # reading one PDF; past this it is skipped
HEADING_RATIO = 1.15  # a line this much larger than the body's type is a heading
_EDGE_LINES = 2  # lines at the top and bottom of a page that may be running headers
PARAGRAPH_GAP = 0.9  # a gap between lines wider than this share of the type size: a new paragraph
_GLYPH_CODE = re.compile(r"\(cid:\d+\)")
_CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_PLACEHOLDER_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel) - .*|untitled.*|document\d*|title|slide \d+|"
    r".*\.(?:docx?|pdf|tex|dvi|rtf|odt|indd|qxd|pptx?|xlsx?|txt|html?))$",
    re.IGNORECASE,
)


@dataclass
class _Box:
    """Lines that make one paragraph or heading."""

    page: int
    lines: list[str]
    size: float
    bold: bool
    edge: bool


@dataclass(frozen=True)
class PageText:
    """What a PDF's text layer gives: its lines, metadata, and the pages without text."""

    lines: list[Line]
    metadata: dict
    pages: int
    empty_pages: list[int]
    unmapped: bool  # some glyphs had no Unicode


def read_pdf(path: Path, doc_id: str) -> Digest:
    """A digest from a PDF's text layer (pages without one read by OCR when it is installed);
    DigestError for one that has no text at all or is locked."""
    found = _lines(path)
    lines, from_ocr = found.lines, False
    if found.empty_pages and ocr.available():
        lines += ocr.pdf_pages(path, found.empty_pages)
        lines.sort(key=lambda line: line.page)  # stable: each page keeps its reading order
        from_ocr = len(found.empty_pages) * 2 > found.pages
    if not any(line.text.strip() for line in lines):
        raise DigestError("read_scan_no_text" if ocr.available() else "read_scan_no_ocr")
    digest = _digest(lines, found.metadata, path, doc_id)
    digest.from_ocr, digest.partly_unreadable = from_ocr, found.unmapped
    return digest


def read_image(path: Path, doc_id: str) -> Digest:
    """A digest from a scan or a photograph of a page, read by OCR."""
    if not ocr.available():
        raise DigestError("read_image_no_ocr")
    lines = reading_order(ocr.image_lines(path), width=ocr.page_width(path))
    if not lines:
        raise DigestError("read_image_no_text")
    digest = _digest(lines, {}, path, doc_id)
    digest.from_ocr = True
    return digest


def _digest(lines: list[Line], metadata: dict, path: Path, doc_id: str) -> Digest:
    boxes = _paragraphs(without_page_debris(lines))
    body = statistics.median([box.size for box in boxes if box.size] or [0])
    pairs = [(block, box) for box in boxes if (block := _block(box, body)).text]
    title = _title(pairs, metadata, path)
    blocks = [block for block, _ in pairs]
    date = find_publication_date([b.text for b in blocks[:4]]) or _metadata_date(metadata)
    blocks = [b for b in blocks if not is_date_line(b.text)]
    return Digest(doc_id=doc_id, title=title, blocks=blocks, date=date)


def _lines(path: Path) -> PageText:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    started, found, empty, unmapped, number = time.monotonic(), [], [], False, 0
    try:
        for number, page in enumerate(
            extract_pages(str(path), laparams=LAParams(all_texts=True)), start=1
        ):  # fmt: skip (all_texts: text in figures too)
            if number > MAX_PAGES or time.monotonic() - started > MAX_SECONDS:
                raise DigestError("read_pdf_long", pages=MAX_PAGES, seconds=f"{MAX_SECONDS:g}")
            on_page = _page_lines(page, number)
            if _set_vertically(on_page):  # read again with vertical lines: columns of CJK
                vertical = LAParams(all_texts=True, detect_vertical=True)
                (page,) = extract_pages(str(path), page_numbers=[number - 1], laparams=vertical)
                on_page = _page_lines(page, number)
            unmapped = unmapped or any(_GLYPH_CODE.search(line.text) for line in on_page)
            for line in on_page:
                line.text = _GLYPH_CODE.sub("", line.text)
            on_page = reading_order([ln for ln in on_page if ln.text.strip()], page.width)
            if not on_page:
                empty.append(number)
            by_height = sorted(on_page, key=lambda ln: -ln.top)
            for line in by_height[:_EDGE_LINES] + by_height[-_EDGE_LINES:]:
                line.edge = True
            found += on_page
        return PageText(found, _metadata(path), number, empty, unmapped)
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise DigestError("read_pdf_encrypted") from exc
    except (PDFSyntaxError, PSException, TypeError, KeyError) as exc:
        raise DigestError("read_not_pdf", reason=exc.__class__.__name__) from exc


def _set_vertically(lines: list[Line]) -> bool:
    """Most lines are single CJK characters, alone or spaced apart: the characters of vertical
    text (detecting vertical lines everywhere would stack a Latin drop cap on the letter
    below it)."""
    spaced = [ln for ln in lines if ln.text.strip()]
    single = sum(all(len(t) == 1 and _CJK_CHAR.match(t) for t in ln.text.split()) for ln in spaced)
    return bool(spaced) and single * 2 > len(spaced)


def _page_lines(page, number: int) -> list[Line]:
    """Every text line of a page, in figures too, with its type size and weight."""
    from pdfminer.layout import LTChar, LTTextLine, LTTextLineVertical

    lines = []
    for line in _text_lines(page, LTTextLine):
        chars = [c for c in line if isinstance(c, LTChar)]
        sizes = Counter(round(c.size, 1) for c in chars)
        bold = bool(chars) and sum("bold" in c.fontname.lower() for c in chars) > len(chars) / 2
        size = sizes.most_common(1)[0][0] if sizes else 0.0
        text = line.get_text().replace("\n", "" if isinstance(line, LTTextLineVertical) else " ")
        lines.append(Line(number, text.strip(), size, bold, line.y1, line.y0, line.x0, line.x1,
                          vertical=isinstance(line, LTTextLineVertical)))  # fmt: skip
    return lines


def _text_lines(container, kind):
    """Lines anywhere below a layout item: in text boxes and in figures."""
    for item in container:
        if isinstance(item, kind):
            yield item
        elif hasattr(item, "__iter__") and not isinstance(item, str):
            yield from _text_lines(item, kind)


def _paragraphs(lines: list[Line]) -> list[_Box]:
    """Lines into paragraphs: the next line joins when it has the same type and follows
    closely below (a wider gap, a new size or weight, a new page begins a paragraph)."""
    boxes: list[_Box] = []
    previous = None
    for line in lines:
        size = max(line.size, 1)
        same = (
            previous is not None and line.page == previous.page and line.bold == previous.bold
            and abs(line.size - previous.size) < 0.5
            and not (line.vertical or line.cells or previous.cells)
            and -0.3 * size <= previous.bottom - line.top <= PARAGRAPH_GAP * size
        )  # fmt: skip
        if same:
            boxes[-1].lines.append(line.text)
        else:
            boxes.append(_Box(line.page, [line.text], line.size, line.bold, line.edge))
        previous = line
    return boxes


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
    return _CJK_SPACE.sub("", clean_line(text))


def _title(pairs: list[tuple[Block, _Box]], metadata: dict, path: Path) -> str:
    """The metadata's title when it is a real one (not a file name, not "Untitled"), else the
    largest heading on the first page that holds a word (not a drop cap, not arXiv's margin
    stamp), else the file name. A heading that gave it is taken out of the body."""
    declared = clean_line(metadata.get("Title", ""))
    real = sum(c.isalpha() for c in declared) >= 3 and not _PLACEHOLDER_TITLE.match(declared)
    if real and declared.lower() != path.stem.lower():
        for pair in pairs[:3]:
            if pair[0].kind == HEADING and pair[0].text.lower() == declared.lower():
                pairs.remove(pair)
        return declared
    headings = [pair for pair in pairs if pair[1].page == 1 and pair[0].kind == HEADING
                and sum(c.isalpha() for c in pair[0].text) >= 3]  # fmt: skip
    if headings:
        largest = max(headings, key=lambda pair: pair[1].size)
        pairs.remove(largest)
        return largest[0].text
    return path.stem.replace("-", " ")


def _metadata_date(metadata: dict) -> str | None:
    """D:20200306… as 2020-03-06."""
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", metadata.get("CreationDate", ""))
    return parse_date(f"{match[1]}-{match[2]}-{match[3]}") if match else None
