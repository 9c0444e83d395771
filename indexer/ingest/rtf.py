"""Rich Text Format (.rtf) through striprtf: its text, then read as plain text is.

The code page is the file's own (\\ansicpg1251), Unicode escapes as they are; striprtf ends
each table cell with "|", which becomes the " · " between a row's cells.
"""

from __future__ import annotations

import re

from indexer.ingest.digest import Digest, DigestError
from indexer.ingest.plaintext import plain_digest
from indexer.ingest.text import clean, codec_name

_CODE_PAGE = re.compile(r"\\ansicpg(\d+)")


def read_rtf(data: bytes, doc_id: str) -> Digest:
    """A digest from an RTF file's bytes; DigestError for one that is not RTF."""
    from striprtf.striprtf import rtf_to_text  # loaded when an RTF file is first met

    raw = data.decode("latin-1")  # 7-bit text; its \\'xx escapes name bytes of its code page
    if not raw.lstrip().startswith("{\\rtf"):
        raise DigestError("read_not_rtf")
    page = _CODE_PAGE.search(raw[:4096])
    encoding = (codec_name(f"cp{page[1]}") if page else None) or "cp1252"
    text = _rows(rtf_to_text(raw, encoding=encoding, errors="replace"))
    return plain_digest(clean(text), doc_id)


def _rows(text: str) -> str:
    """striprtf ends each table cell with "|", some writers putting each cell on a line of its
    own: a row's cells back on one line, joined with " · ". A line that begins with "|" goes on
    the row before it, unless that row ended with one."""
    rows: list[str] = []
    for line in text.split("\n"):
        if (
            line.lstrip().startswith("|")
            and rows
            and rows[-1].strip()
            and not (rows[-1].rstrip().endswith("|"))
        ):
            rows[-1] += line
        else:
            rows.append(line)
    return "\n".join(
        " · ".join(c.strip() for c in row.split("|") if c.strip()) if "|" in row else row
        for row in rows
    )
