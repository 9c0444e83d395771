"""Read HTML pages saved from the university site: metadata and main-content blocks."""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, Tag

from indexer.ingest.dates import find_publication_date, normalise_date
from indexer.ingest.digest import CAPTION, HEADING, PARAGRAPH, Block, Digest, DigestError
from indexer.ingest.plaintext import is_noise
from indexer.ingest.text import clean_line

_DROP = (
    "nav", "header", "footer", "aside", "script", "style", "form", "noscript", "iframe",
    "svg", "template", "button", "select", "textarea", "object", "embed", "head",
)  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
_LEAF_BLOCKS = {
    "p": PARAGRAPH, "li": PARAGRAPH, "td": PARAGRAPH, "th": PARAGRAPH, "dd": PARAGRAPH,
    "dt": PARAGRAPH, "blockquote": PARAGRAPH, "pre": PARAGRAPH, "address": PARAGRAPH,
    "figcaption": CAPTION, "caption": CAPTION,
}  # fmt: skip
_CONTAINERS = {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "figure"}
_SECTIONS = {"div", "section", "article", "main", "body", "center"}
_BLOCK_NAMES = [*_HEADINGS, *_LEAF_BLOCKS, *_CONTAINERS, *_SECTIONS, "br"]
_MAIN_SELECTORS = ("main", "article", "[role=main]", "#content", ".content", "body")
_MAX_DEPTH = 400  # deeper nesting is read as flat text, not recursed into


def parse_html(markup: str, doc_id: str) -> Digest:
    """Parse a page into a Digest; raises DigestError when it has no readable content."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "lxml")
    meta = _metadata(soup)
    for element in soup.find_all(string=lambda s: isinstance(s, Comment)):
        element.extract()
    for element in soup.find_all(_DROP):
        element.decompose()
    main = next((found for sel in _MAIN_SELECTORS if (found := soup.select_one(sel))), soup)
    blocks = _drop_title(_collect(main), meta["title"])
    title = meta["title"] or next((b.text for b in blocks if b.kind == HEADING), "")
    if not blocks and not title:
        raise DigestError("read_html_empty")
    date = meta["date"] or find_publication_date([b.text for b in blocks])
    blocks = [b for b in blocks if not is_noise(b.text)]
    return Digest(doc_id, title, blocks, date=date, url=meta["url"], language=meta["lang"])


def _metadata(soup: BeautifulSoup) -> dict:
    """Title, date, canonical URL and declared language from the page's markup."""
    h1 = soup.find("h1")
    time = soup.find("time", attrs={"datetime": True})
    canonical = soup.find("link", rel="canonical", href=True)
    html = soup.find("html")
    title = (
        (h1.get_text(" ") if h1 else "")
        or _meta(soup, "og:title")
        or (soup.title.get_text(" ") if soup.title else "")
    )
    return {
        "title": clean_line(title),
        "date": normalise_date(time["datetime"] if time else None)
        or normalise_date(_meta(soup, "article:published_time")),
        "url": (canonical["href"] if canonical else None) or _meta(soup, "og:url") or None,
        "lang": (html.get("lang") or None) if isinstance(html, Tag) else None,
    }


def _meta(soup: BeautifulSoup, name: str) -> str:
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    content = tag.get("content") if tag else None
    return content.strip() if isinstance(content, str) else ""


def _collect(root: Tag) -> list[Block]:
    """Blocks of a content tree in reading order; loose inline text becomes paragraphs."""
    blocks: list[Block] = []
    _walk(root, blocks, depth=0)
    return [b for b in blocks if b.text]


def _walk(element: Tag, blocks: list[Block], depth: int) -> None:
    inline: list[str] = []

    def flush() -> None:
        if inline:
            blocks.append(Block(PARAGRAPH, clean_line(" ".join(inline))))
            inline.clear()

    for child in element.children:
        if not isinstance(child, Tag):
            inline.append(str(child))
        elif child.name in _HEADINGS:
            flush()
            blocks.append(Block(HEADING, clean_line(child.get_text(" ")), _HEADINGS[child.name]))
        elif child.name in _LEAF_BLOCKS and not _has_blocks(child):
            flush()
            blocks.append(Block(_LEAF_BLOCKS[child.name], clean_line(child.get_text(" "))))
        elif child.name == "br":
            flush()
        elif _is_block(child) and depth < _MAX_DEPTH:
            flush()
            _walk(child, blocks, depth + 1)
        else:
            inline.append(child.get_text(" "))
    flush()


def _is_block(tag: Tag) -> bool:
    """Elements that start a new block rather than continuing the current line."""
    return tag.name in _CONTAINERS or tag.name in _SECTIONS or _has_blocks(tag)


def _has_blocks(tag: Tag) -> bool:
    """True when a tag holds headings or block elements (a <div> of paragraphs, say)."""
    return tag.find(_BLOCK_NAMES) is not None


def _drop_title(blocks: list[Block], title: str) -> list[Block]:
    """The h1 that gave the title is not repeated as the first heading."""
    if blocks and blocks[0].kind == HEADING and blocks[0].text == title:
        return blocks[1:]
    return blocks
