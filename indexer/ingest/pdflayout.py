"""The reading order of a PDF page's lines: recursive XY-cut, columns and vertical CJK.

A page is cut where the widest empty band runs across it: a horizontal band (between a title
and the columns under it, between paragraphs) or a vertical gutter between columns of prose,
whichever is wider, and each part is cut again. A part no band crosses is read top to bottom,
and the pieces of one row (the cells of a table row) are one line joined with " · ". Vertical
text (Japanese, Chinese set in columns) is read column by column from the right. Page debris
goes: page numbers at a page's edge, and running headers and footers but once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_GUTTER = 6.0  # points: a narrower vertical gap is a space between words or cells
PROSE_WIDTH = 0.18  # a column of prose: its lines are this share of the page's width or more
CELL_SEPARATOR = " · "
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*|стр\.?\s*)?[-—–\s]*\d{1,4}(?:\s*(?:/|of|из)\s*\d{1,4})?[-—–\s]*$", re.IGNORECASE
)


@dataclass
class Line:
    """One line of text: its page, type size, weight and place (PDF points, y upwards)."""

    page: int
    text: str
    size: float
    bold: bool
    top: float
    bottom: float
    left: float
    right: float
    vertical: bool = False
    cells: bool = False  # the cells of a table row, joined: a paragraph of its own
    edge: bool = False  # among the first or last lines of its page (a header's or footer's place)


def reading_order(lines: list[Line], width: float) -> list[Line]:
    """The page's lines in the order a reader meets them."""
    if sum(line.vertical for line in lines) > len(lines) / 2:
        return sorted(lines, key=lambda ln: (-round(ln.right), -ln.top))
    return _cut(lines, width)


def _cut(lines: list[Line], width: float) -> list[Line]:
    if len(lines) < 2:
        return lines
    across = _widest_gap([(-ln.top, -ln.bottom) for ln in lines])
    down = _widest_gap([(ln.left, ln.right) for ln in lines])
    if down is not None and (down[0] < MIN_GUTTER or not _columns_of_prose(lines, down[1], width)):
        down = None
    if across is None and down is None:
        return _rows(lines)
    if down is not None and (across is None or down[0] > across[0]):
        at = down[1]
        first = [ln for ln in lines if ln.right <= at]
        second = [ln for ln in lines if ln.right > at]
    else:
        at = across[1]
        first = [ln for ln in lines if -ln.top < at]
        second = [ln for ln in lines if -ln.top >= at]
    return _cut(first, width) + _cut(second, width)


def _widest_gap(spans: list[tuple[float, float]]) -> tuple[float, float] | None:
    """The widest gap between the intervals (width, where the second side begins)."""
    best, reach = None, None
    for start, end in sorted(spans):
        if reach is not None and start > reach and (best is None or start - reach > best[0]):
            best = (start - reach, start)
        reach = end if reach is None else max(reach, end)
    return best


def _columns_of_prose(lines: list[Line], at: float, width: float) -> bool:
    """Both sides of a gutter hold several lines as wide as a column of text: not the cells
    of a table, whose rows are read across."""
    sides = ([ln for ln in lines if ln.right <= at], [ln for ln in lines if ln.right > at])
    return all(
        len(side) >= 3 and _median([ln.right - ln.left for ln in side]) >= PROSE_WIDTH * width
        for side in sides
    )


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _rows(lines: list[Line]) -> list[Line]:
    """Lines top to bottom; the pieces of one row joined left to right into one line."""
    rows: list[Line] = []
    for line in sorted(lines, key=lambda ln: (-round(ln.top), ln.left)):
        last = rows[-1] if rows else None
        if last is not None and _same_row(last, line):
            close = line.left - last.right < 1.5 * max(line.size, 1)  # pieces of one phrase
            joiner = " " if close else CELL_SEPARATOR
            last.text = f"{last.text.rstrip()}{joiner}{line.text.lstrip()}"
            last.right, last.bottom = max(last.right, line.right), min(last.bottom, line.bottom)
            last.size = max(last.size, line.size) if close else last.size
            last.cells = last.cells or not close
        else:
            rows.append(line)
    return rows


def _same_row(last: Line, line: Line) -> bool:
    """Side by side: the next piece starts right of the last and shares most of its height."""
    overlap = min(last.top, line.top) - max(last.bottom, line.bottom)
    return line.left >= last.right - 1 and overlap > 0.5 * min(
        last.top - last.bottom, line.top - line.bottom
    )


def without_page_debris(lines: list[Line]) -> list[Line]:
    """Drop page numbers at a page's edge, and keep once a line that stands at the same place
    at the edge of most pages (a running header or footer)."""
    pages = len({line.page for line in lines})
    found_on: dict[tuple, set[int]] = {}
    for line in (ln for ln in lines if ln.edge):
        found_on.setdefault(_place(line), set()).add(line.page)
    seen, kept = set(), []
    for line in lines:
        if line.edge and _is_page_number(line.text, pages):
            continue
        place = _place(line)
        running = pages > 1 and line.edge and len(found_on[place]) * 2 > pages
        if not (running and place in seen):
            kept.append(line)
        seen.add(place)
    return kept


def _is_page_number(text: str, pages: int) -> bool:
    """ "Page 2/3", "— 2 —", "2", but not a year alone at the foot of a short digest."""
    match = _PAGE_NUMBER.match(text.strip())
    bare = text.strip(" -—–").isdigit()
    return bool(match) and (not bare or int(text.strip(" -—–")) <= pages + 50)


def _place(line: Line) -> tuple[str, int]:
    """A line's shape and its height on the page, to a line's spacing."""
    return _shape(line.text), round(line.top / 12)


def _shape(text: str) -> str:
    """A line's text with its numbers blurred: "Digest 2023 — page 2" repeats as one shape."""
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())
