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


def read_docx(path: Path, doc_id: str) -> Digest:
    """A digest from a Word document; DigestError for a file that is not one or too big."""
    _check_zip(path)
    import docx  # python-docx: loaded when a Word document is first met

    try:
        document = docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DigestError(f"not a readable Word document ({exc.__class__.__name__})") from exc
    blocks = list(_blocks(document))
    title = _title(blocks, document, path)
    date = find_publication_date([b.text for b in blocks[:4]]) or _created(document)
    blocks = [b for b in blocks if not is_date_line(b.text)]
    return Digest(doc_id=doc_id, title=title, blocks=blocks, date=date)


def _check_zip(path: Path) -> None:
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
                            raise DigestError(
                                f"its XML inflates past the {MAX_INFLATED_BYTES // 2**20} MB a "
                                "digest may hold"
                            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise DigestError(f"not a readable Word document ({exc})") from exc


def _blocks(document):
    """Paragraphs and tables in reading order, headings and captions by their style."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            block = _paragraph(Paragraph(element, document))
            if block is not None:
                yield block
        elif element.tag == f"{_W}tbl":
            for row in Table(element, document).rows:
                cells = [clean_line(cell.text) for cell in row.cells]
                text = " · ".join(dict.fromkeys(c for c in cells if c))  # merged cells repeat
                if text:
                    yield Block(PARAGRAPH, text)


def _paragraph(paragraph) -> Block | None:
    text = clean_line(paragraph.text)
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "").lower()
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
    return clean_line(document.core_properties.title or "") or path.stem.replace("-", " ")


def _created(document) -> str | None:
    """The core properties' creation date; not python-docx's own template date (2013-12-23),
    which every document it makes without setting one carries."""
    properties = document.core_properties
    if properties.created is None or properties.author == "python-docx":
        return None
    return properties.created.date().isoformat()
