"""Recover a digest's structure from plain text: headings, paragraphs, captions."""

from __future__ import annotations

import re

from indexer.ingest.dates import find_publication_date, is_date_line
from indexer.ingest.digest import CAPTION, HEADING, PARAGRAPH, Block, Digest, DigestError
from indexer.ingest.text import clean_line

# A sentence ends with . ! ? … (or : ;), possibly followed by closing quotes or brackets.
_TERMINAL = re.compile(r"[.!?…:;][\"'»”’)\]]*$")
# Abbreviations that end a line without ending a sentence ("... Research Institute Co.").
_NON_TERMINAL = re.compile(r"\b(?:Co|Ltd|Inc|Corp|No|St|Mr|Mrs|Dr|Prof|vs)\.$")
_LINK_ONLY = re.compile(r"^(?:\[[^\]]*\]\([^)]*\)\s*)+$|^(?:https?://|www\.)\S+$")
_NAVIGATION = re.compile(
    r"^(print version|версия для печати|back to news|read more|share|поделиться|"
    r"подробнее|назад|перейти к новостям|все новости|>>.*)$",
    re.IGNORECASE,
)
_MD_HEADING = re.compile(r"^(#{1,4})\s+(.*?)\s*#*$")
_MD_LIST = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_HEADING_MAX_WORDS = 16  # a heading alone in its block
_LEAD_HEADING_MAX_WORDS = 6  # a heading opening a block of captions ("At Zhejiang University")
_TOP_LEVEL = 2


def ends_sentence(line: str) -> bool:
    """True when a line ends with sentence-final punctuation (not an abbreviation)."""
    return bool(_TERMINAL.search(line)) and not _NON_TERMINAL.search(line)


def is_noise(line: str) -> bool:
    """Navigation, link-only and date metadata lines that are not part of the text."""
    stripped = line.strip()
    return bool(_LINK_ONLY.match(stripped) or _NAVIGATION.match(stripped) or is_date_line(stripped))


def split_blocks(text: str) -> list[list[str]]:
    """Group non-empty, non-noise lines into blank-line separated blocks."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if blocks[-1]:
                blocks.append([])
        elif not is_noise(line):
            blocks[-1].append(line)
    return [block for block in blocks if block]


def _starts_lowercase(line: str) -> bool:
    return line[:1].islower()


def join_broken(blocks: list[list[str]]) -> list[list[str]]:
    """Re-join paragraphs cut by a page break: one ends mid-sentence, the next starts lowercase."""
    joined: list[list[str]] = []
    for block in blocks:
        if joined and not ends_sentence(joined[-1][-1]) and _starts_lowercase(block[0]):
            joined[-1] = [*joined[-1][:-1], joined[-1][-1] + " " + block[0], *block[1:]]
        else:
            joined.append(list(block))
    return [_unwrap(block) for block in joined]


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines of prose back into one line each."""
    units = [lines[0]]
    for line in lines[1:]:
        if not ends_sentence(units[-1]) and _starts_lowercase(line):
            units[-1] += " " + line
        else:
            units.append(line)
    return units


def classify(block: list[str]) -> list[Block]:
    """Type each line of a block as heading, paragraph or caption."""
    typed = []
    for index, line in enumerate(block):
        heading = _MD_HEADING.match(line)
        if heading:
            typed.append(Block(HEADING, heading.group(2), level=len(heading.group(1))))
        elif _MD_LIST.match(line) or ends_sentence(line):
            typed.append(Block(PARAGRAPH, _MD_LIST.sub("", line)))
        elif _looks_like_heading(line, alone=len(block) == 1, first=index == 0):
            typed.append(Block(HEADING, line, level=0))
        else:
            typed.append(Block(CAPTION, line))
    return typed


def _looks_like_heading(line: str, *, alone: bool, first: bool) -> bool:
    """A short unpunctuated line is a heading; a longer one, or one among lines, a caption."""
    words = len(line.split())
    if ", " in line:
        return False
    if alone:
        return words <= _HEADING_MAX_WORDS
    return first and words <= _LEAD_HEADING_MAX_WORDS


def assign_levels(blocks: list[Block]) -> list[Block]:
    """Give plain-text headings levels: a heading right under another heading is its child."""
    leveled = []
    previous: Block | None = None
    for block in blocks:
        if block.kind == HEADING and block.level == 0:
            nested = previous is not None and previous.kind == HEADING
            level = min(previous.level + 1, 6) if nested else _TOP_LEVEL
            block = Block(HEADING, block.text, level)
        leveled.append(block)
        previous = block
    return leveled


def parse_body(text: str) -> list[Block]:
    """Blocks of a plain-text body in reading order."""
    typed = [b for block in join_broken(split_blocks(text)) for b in classify(block)]
    return assign_levels(typed)


def plain_digest(text: str, doc_id: str) -> Digest:
    """The first line is the title, the rest the body (plain text, RTF's text)."""
    lines = [line.strip() for line in text.split("\n")]
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        raise DigestError("read_no_text")
    body = lines[first + 1 :]
    return Digest(doc_id=doc_id, title=clean_line(lines[first].lstrip("#")),
                  blocks=parse_body("\n".join(body)), date=find_publication_date(body))  # fmt: skip
