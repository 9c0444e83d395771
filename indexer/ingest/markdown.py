"""Markdown digests through markdown-it-py: headings from #, the text without its markup.

The source is parsed as written (its indentation is structure) and the rendered blocks are
cleaned. The first heading (or the first line) is the title; emphasis, code and link markup go,
link text stays; list items, table cells and code blocks become text, raw HTML its text; a file
of link definitions alone is a list of its links; a date alone on its line, in emphasis or not
("*6 March 2020*"), is the digest's date.
"""

from __future__ import annotations

from functools import cache
from itertools import pairwise

from indexer.ingest.dates import find_publication_date, is_date_line
from indexer.ingest.digest import HEADING, PARAGRAPH, Block, Digest, DigestError
from indexer.ingest.text import clean_line


@cache
def _parser():
    from markdown_it import MarkdownIt  # loaded when a Markdown digest is first met

    return MarkdownIt("commonmark").enable("table")


_BLOCK_OPENERS = {"paragraph_open", "heading_open", "th_open", "td_open"}


def parse_markdown(text: str, doc_id: str) -> Digest:
    """A digest from Markdown source."""
    env: dict = {}
    blocks = _blocks(_parser().parse(text, env)) or _references(env.get("references", {}))
    if not blocks:
        raise DigestError("read_no_text")
    title_at = next((i for i, b in enumerate(blocks) if b.kind == HEADING), 0)
    title = blocks.pop(title_at).text if blocks[title_at].kind == HEADING else blocks.pop(0).text
    date = find_publication_date([b.text for b in blocks[:3]])
    blocks = [b for b in blocks if not (date and is_date_line(b.text))]
    return Digest(doc_id=doc_id, title=title, blocks=blocks, date=date)


def _blocks(tokens) -> list[Block]:
    """Headings and paragraphs in reading order; a list item is a paragraph, so is a table
    row (its cells joined with " · ")."""
    found, level, row = [], 0, None
    for token, following in pairwise([*tokens, None]):
        if token.type in ("fence", "code_block", "html_block"):
            text = clean_line(_html_text(token.content) if token.type == "html_block"
                              else token.content)  # fmt: skip
            if text:
                found.append(Block(PARAGRAPH, text))
        elif token.type == "heading_open":
            level = int(token.tag[1:])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            if any(row):
                found.append(Block(PARAGRAPH, " · ".join(cell for cell in row if cell)))
            row = None
        if token.type in _BLOCK_OPENERS and following is not None and following.type == "inline":
            text = clean_line(_plain(following.children or []))
            if row is not None:
                row.append(text)
            elif text:
                kind = HEADING if token.type == "heading_open" else PARAGRAPH
                found.append(Block(kind, text, level=max(level, 2) if kind == HEADING else 0))
    return found


def _references(references: dict) -> list[Block]:
    """Link definitions with nothing else: one paragraph per link, its title and address."""
    return [Block(PARAGRAPH, clean_line(f"{ref.get('title') or label}: {ref.get('href', '')}"))
            for label, ref in references.items()]  # fmt: skip


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text(" ")


def _plain(children) -> str:
    """An inline token's text: words and link text, no markup."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain(child.children or []))
    return "".join(parts)
