"""Cut a digest into passages: paragraphs and captions carrying their section heading."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.ingest.digest import HEADING, Block, Digest
from indexer.ingest.text import shortened

MAX_WORDS = 120
MAX_CHARS = 3000  # a passage of 120 real words is ~800 characters; longer is one giant "word"
HEADING_SEPARATOR = " › "
MAX_HEADING_CHARS = 300  # of one heading in the section path every passage under it carries
# Longest run of characters before a boundary that can still be an abbreviation ("акад.").
_ABBREVIATION_TAIL = 12
_CLOSERS = "\"'»”’)"

# A sentence boundary: end punctuation, space, then an opening capital, digit or quote.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'»”’)]*\s+(?=[\"'«“(]?[A-ZА-ЯЁ0-9\u4e00-\u9fff])")
# Words whose final dot is not a sentence end: initials ("A.I."), titles, company suffixes.
_ABBREVIATION = re.compile(
    r"(?:\b[A-ZА-ЯЁ]\.|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Co|Ltd|Inc|Corp|No|vs|etc|e\.g|i\.e|г|гг|им|"
    r"т\.е|т\.д|ул|проф|акад)\.)$"
)


@dataclass(frozen=True)
class Passage:
    """A searchable unit of a digest, in reading order."""

    passage_id: str
    doc_id: str
    position: int
    kind: str
    heading: str
    text: str


def split_sentences(text: str) -> list[str]:
    """Split at sentence boundaries, never after initials or common abbreviations."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _after_abbreviation(text, start, match.start()):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _after_abbreviation(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends in an abbreviation; only its tail is looked at, so that
    splitting stays linear however many abbreviations a sentence holds."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in _CLOSERS):
        end -= 1
    # search(text, pos, endpos) sees the character before pos, so \b stays true at the cut.
    return _ABBREVIATION.search(text, max(start, end - _ABBREVIATION_TAIL), end) is not None


def split_long(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """Split a paragraph over max_words into chunks of whole sentences (words, as a last resort)."""
    if len(text.split()) <= max_words:
        return _char_chunks(text)
    chunks: list[list[str]] = [[]]
    for sentence in split_sentences(text):
        for piece in _word_chunks(sentence, max_words):
            size = sum(len(s.split()) for s in chunks[-1])
            if chunks[-1] and size + len(piece.split()) > max_words:
                chunks.append([])
            chunks[-1].append(piece)
    return [piece for chunk in chunks if chunk for piece in _char_chunks(" ".join(chunk))]


def _char_chunks(text: str) -> list[str]:
    """Text cut every MAX_CHARS characters (only ever needed for runs of letters without spaces)."""
    return [text[i : i + MAX_CHARS] for i in range(0, len(text), MAX_CHARS)] or [text]


def _word_chunks(sentence: str, max_words: int) -> list[str]:
    words = sentence.split()
    return [" ".join(words[i : i + max_words]) for i in range(0, len(words), max_words)]


def segment(digest: Digest) -> list[Passage]:
    """Passages of a digest in reading order, with stable ids `<doc_id>-p<n>`; each one bounded
    in size whatever its kind (a heading or caption of any length is split like a paragraph)."""
    passages: list[Passage] = []
    headings: list[Block] = []  # the open sections, outermost first
    unused: list[Block] = []  # open headings with no passage under them yet

    def add(kind: str, heading: str, text: str) -> None:
        for piece in split_long(text):
            number = len(passages) + 1
            passages.append(
                Passage(f"{digest.doc_id}-p{number}", digest.doc_id, number, kind, heading, piece)
            )

    for block in digest.blocks:
        if block.kind == HEADING:
            # A heading closed before anything was written under it stays searchable.
            for closed in [h for h in unused if h.level >= block.level]:
                add(HEADING, "", closed.text)
            headings = [h for h in headings if h.level < block.level] + [block]
            unused = [h for h in unused if h.level < block.level] + [block]
            continue
        unused = []
        path = HEADING_SEPARATOR.join(shortened(h.text, MAX_HEADING_CHARS) for h in headings)
        add(block.kind, path, block.text)
    for closed in unused:
        add(HEADING, "", closed.text)
    return passages
