"""The shapes every reader returns: a digest made of typed blocks of text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from indexer.locale import Message

HEADING = "heading"
PARAGRAPH = "paragraph"
CAPTION = "caption"


@dataclass(frozen=True)
class Block:
    """One unit of a digest in reading order; headings carry a level (2 = top section)."""

    kind: str
    text: str
    level: int = 0


@dataclass
class Digest:
    """A news digest as read from one file (or one JSON line)."""

    doc_id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    date: str | None = None  # ISO yyyy-mm-dd
    url: str | None = None
    language: str | None = None  # declared by the source, if any
    source: str = ""  # the corpus-relative path it came from
    from_ocr: bool = False  # its text was read from page images by OCR
    partly_unreadable: bool = False  # some of its glyphs map to no character (a PDF's fonts)


@dataclass(frozen=True)
class Skipped:
    """A digest (a file, or one record of a file) that could not be read, and why: in
    English (reason: logs, the CLI, the manifest) and in any language (said: pages)."""

    source: str
    reason: str
    said: Message | None = field(default=None, compare=False)

    @classmethod
    def because(cls, source: str, key: str, **values) -> Skipped:
        said = Message(key, **values)
        return cls(source, str(said), said)


class DigestError(ValueError):
    """A digest that cannot be read, and why, by catalogue key: English in str(), any
    language through said."""

    def __init__(self, key: str, **values):
        self.said = Message(key, **values)
        super().__init__(str(self.said))


_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ("a b v g d e e zh z i i k l m n o p r s t u f h ts ch sh sch _ y _ e yu ya").split(),
        strict=True,
    )
)
_CYRILLIC.update({"ъ": "", "ь": ""})
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def slugify(name: str) -> str:
    """A readable, URL-safe id: lowercase ASCII words joined by hyphens."""
    name = "".join(_CYRILLIC.get(c, c) for c in name.lower()).replace("-", " ")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:100].strip("-")
    return slug or "digest"


def record_id(value: object) -> str:
    """A record's own id when it is already URL-safe (SciFact's "4983"), else its slug."""
    text = str(value).strip()
    return text if _SAFE_ID.match(text) and ".." not in text else slugify(text)
