"""Word documents (.docx) through python-docx, read in the order a reader meets them.

python-docx rather than mammoth-to-HTML: it gives Word's own paragraph styles (Title, Heading N,
Caption) and the core properties (title, created) directly, where the HTML route would keep
only what mammoth maps and drop the properties.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from indexer.ingest.dates import find_publication_date, is_date_line
from indexer.ingest.digest import CAPTION, HEADING, PARAGRAPH, Block, Digest, DigestError
from indexer.ingest.text import clean_line

MAX_INFLATED_BYTES = 50 * 1024 * 1024  # what a .docx may unpack to: a zip bomb stops here
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CONTAINERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"}


def read_docx(path: Path, doc_id: str) -> Digest:
    """A digest from a Word document; DigestError for a file that is not one or too big."""
    check_zip(path)
    import docx  # python-docx: loaded when a Word document is first met

    try:
        document = docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DigestError("read_not_word", reason=exc.__class__.__name__) from exc
    blocks = _blocks(document)
    title = _title(blocks, document, path)
    date = find_publication_date([b.text for b in blocks[:4]]) or _created(document)
    blocks = [b for b in blocks if not is_date_line(b.text)]
    return Digest(doc_id=doc_id, title=title, blocks=blocks, date=date)


def check_zip(path: Path) -> None:
    """Refuse what is not a zip, or what inflates past the limit, counting the bytes as they
    are inflated (the sizes an archive declares may lie), a megabyte at a time."""
    inflated = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    while chunk := member.read(1024 * 1024):
                        inflated += len(chunk)
                        if inflated > MAX_INFLATED_BYTES:
                            raise DigestError("read_word_inflates", mb=MAX_INFLATED_BYTES // 2**20)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise DigestError("read_not_word", reason=str(exc)) from exc


def _blocks(document) -> list[Block]:
    """Every paragraph in reading order: in tables (nested ones too), text boxes and content
    controls; headings and captions by their style."""
    return list(_walk(document.element.body, document))


def _walk(element, document):
    for child in element.iterchildren():
        if child.tag == f"{_W}p":
            yield from _paragraph(child, document)
        elif child.tag == f"{_W}tbl":
            yield from _table(child, document)
        elif child.tag in _CONTAINERS:  # content controls, custom XML, tracked insertions
            yield from _walk(child, document)


def _table(table, document):
    """A row is a paragraph of its cells' text joined with " · ", read from the XML cell by
    cell: no cell grid to map, so a table whose merged cells do not fit one is read too."""
    for row in table.iter(f"{_W}tr"):
        if _enclosing(row, f"{_W}tbl") is not table:
            continue  # a nested table's row: read inside its cell
        cells = [" ".join(b.text for b in _walk(cell, document)) for cell in _cells(row)]
        text = " · ".join(dict.fromkeys(c for c in map(clean_line, cells) if c))
        if text:
            yield Block(PARAGRAPH, text)


def _cells(row):
    return [cell for cell in row.iter(f"{_W}tc") if _enclosing(cell, f"{_W}tr") is row]


def _enclosing(element, tag: str):
    return next(element.iterancestors(tag), None)


def _paragraph(element, document):
    """The paragraph's own text, then the paragraphs of its text boxes (a box drawn twice, as
    DrawingML and as its VML fallback, is read once)."""
    from docx.text.paragraph import Paragraph

    every_box = list(element.iter(f"{_W}txbxContent"))
    inside = {node for box in every_box for node in box.iter()}  # held, so lxml keeps proxies
    boxes = [box for box in every_box if not _in_fallback(box, element)]
    text = clean_line("".join(_run_text(node) for node in element.iter() if node not in inside))
    if text:
        style = Paragraph(element, document).style
        yield _styled(text, (style.name if style is not None else "").lower())
    for box in boxes:
        if _enclosing(box, f"{_W}txbxContent") is None:  # a box inside a box: read with it
            yield from _walk(box, document)


def _run_text(node) -> str:
    if node.tag == f"{_W}t":
        return node.text or ""
    return " " if node.tag in (f"{_W}tab", f"{_W}br", f"{_W}cr") else ""


def _in_fallback(node, top) -> bool:
    """Inside a VML fallback between node and top (the paragraph being read)."""
    for ancestor in node.iterancestors():
        if ancestor is top:
            return False
        if ancestor.tag == _FALLBACK:
            return True
    return False


def _styled(text: str, style: str) -> Block:
    if style == "title":
        return Block(HEADING, text, level=1)
    if style.startswith("heading"):
        number = style.removeprefix("heading").strip()
        return Block(HEADING, text, level=max(int(number) + 1 if number.isdigit() else 2, 2))
    if style == "caption":
        return Block(CAPTION, text)
    return Block(PARAGRAPH, text)


def _title(blocks: list[Block], document, path: Path) -> str:
    """The Title paragraph, else the first heading, else the core title, else the file name.
    The block that gave it is taken out of the body."""
    for wanted in (1, None):
        for i, block in enumerate(blocks):
            if block.kind == HEADING and (wanted is None or block.level == wanted):
                return blocks.pop(i).text
    properties = document.core_properties
    placeholder = properties.last_modified_by == "python-docx"  # no core properties: its default
    title = "" if placeholder else clean_line(properties.title or "")
    return title or path.stem.replace("-", " ")


def _created(document) -> str | None:
    """The core properties' creation date; not python-docx's own template date (2013-12-23),
    which every document it makes without setting one carries."""
    properties = document.core_properties
    if properties.created is None or properties.author == "python-docx":
        return None
    return properties.created.date().isoformat()
