"""OpenDocument text (.odt) from its content.xml, in the order a reader meets it.

Headings by their outline level, paragraphs, list items, table rows (cells joined with " · "),
sections, and text boxes after the paragraph that anchors them; the title is the document's
own (dc:title in meta.xml) when its first heading does not give it. The XML is read with lxml
rather than odfpy: odfpy's loader refuses a whole document when its styles.xml is malformed
(Pandoc 2.17 writes one with a namespace declared twice), which LibreOffice opens.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from indexer.ingest.dates import find_publication_date, is_date_line
from indexer.ingest.digest import HEADING, PARAGRAPH, Block, Digest, DigestError
from indexer.ingest.text import clean_line
from indexer.ingest.word import check_zip

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_SPACES = {f"{_TEXT}tab", f"{_TEXT}line-break", f"{_TEXT}s"}
_SKIPPED = {f"{_DRAW}frame", f"{_TEXT}note-citation", f"{_OFFICE}annotation"}


def read_odt(path: Path, doc_id: str) -> Digest:
    """A digest from an OpenDocument text; DigestError for a file that is not one."""
    check_zip(path)
    try:
        with zipfile.ZipFile(path) as archive:
            content = _xml(archive.read("content.xml"))
            meta = _xml(archive.read("meta.xml")) if "meta.xml" in archive.namelist() else None
    except KeyError as exc:
        raise DigestError("read_odt_no_content") from exc
    body = content.find(f"{_OFFICE}body/{_OFFICE}text") if content is not None else None
    if body is None:
        raise DigestError("read_odt_no_body")
    blocks = list(_walk(body))
    declared = meta.findtext(f".//{_TITLE}") if meta is not None else None
    title = _title(blocks, clean_line(declared or ""), path)
    date = find_publication_date([b.text for b in blocks[:4]])
    blocks = [b for b in blocks if not is_date_line(b.text)]
    return Digest(doc_id=doc_id, title=title, blocks=blocks, date=date)


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def _walk(element):
    for child in element:
        if child.tag == f"{_TEXT}h":
            level = int(child.get(f"{_TEXT}outline-level") or 1)
            yield from _paragraph(child, HEADING, max(level + 1, 2))
        elif child.tag == f"{_TEXT}p":
            yield from _paragraph(child, PARAGRAPH, 0)
        elif child.tag == f"{_TABLE}table-row":
            cells = [" ".join(b.text for b in _walk(cell)) for cell in child if cell.tag in _CELLS]
            text = " · ".join(dict.fromkeys(c for c in map(clean_line, cells) if c))
            if text:
                yield Block(PARAGRAPH, text)
        elif isinstance(child.tag, str) and child.tag not in _SKIPPED:
            yield from _walk(child)  # lists, sections, tables


def _paragraph(node, kind: str, level: int):
    """The paragraph's own text, then the text boxes anchored in it."""
    text = clean_line(_text(node))
    if text:
        yield Block(kind, text, level=level)
    for frame in node.iter(f"{_DRAW}frame"):
        for box in frame.iter(f"{_DRAW}text-box"):
            yield from _walk(box)


def _text(node) -> str:
    parts = [node.text or ""]
    for child in node:
        if child.tag in _SPACES:
            parts.append(" " * int(child.get(f"{_TEXT}c") or 1))
        elif child.tag not in _SKIPPED and isinstance(child.tag, str):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _title(blocks: list[Block], declared: str, path: Path) -> str:
    heading = next((i for i, b in enumerate(blocks) if b.kind == HEADING), None)
    if heading is not None and (not declared or blocks[heading].text == declared):
        return blocks.pop(heading).text
    return declared or path.stem.replace("-", " ")
