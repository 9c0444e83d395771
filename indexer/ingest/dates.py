"""Find publication dates in the ways digests state them, and normalise them to ISO."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "января", "январь", "янв"),
            ("february", "feb", "февраля", "февраль", "фев"),
            ("march", "mar", "марта", "март", "мар"),
            ("april", "apr", "апреля", "апрель", "апр"),
            ("may", "мая", "май"),
            ("june", "jun", "июня", "июнь", "июн"),
            ("july", "jul", "июля", "июль", "июл"),
            ("august", "aug", "августа", "август", "авг"),
            ("september", "sep", "sept", "сентября", "сентябрь", "сен"),
            ("october", "oct", "октября", "октябрь", "окт"),
            ("november", "nov", "ноября", "ноябрь", "ноя"),
            ("december", "dec", "декабря", "декабрь", "дек"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-zА-Яа-яЁё]{3,9})\.?"
_PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d\d)[.\-/](?P<mon>\d\d?)[.\-/](?P<day>\d\d?)\b"),
    re.compile(r"\b(?P<day>\d\d?)[.\-/](?P<mon>\d\d?)[.\-/](?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<day>\d\d?)\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d\d?),?\s+(?P<year>(?:19|20)\d\d)\b"),
]
# Lines that announce a publication date: "Дата публикации: 2023.10.25", "Published: ...".
_LABEL = re.compile(
    r"^\s*(дата\s+публикации|опубликовано|дата|published(\s+on)?|publication\s+date|date)\s*:?",
    re.IGNORECASE,
)
_META_LINE_WORDS = 10


def parse_date(text: str) -> str | None:
    """Return the first complete date in text as yyyy-mm-dd, or None."""
    for match in _iter_dates(text):
        return match[0]
    return None


def _iter_dates(text: str):
    """Yield (iso, start, end) for every valid date in text, earliest first."""
    found = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            iso = _to_iso(m.groupdict())
            if iso:
                found.append((iso, m.start(), m.end()))
    yield from sorted(found, key=lambda f: f[1])


def _to_iso(parts: dict) -> str | None:
    """Build an ISO date from regex groups; None when the parts are not a real date."""
    month = parts.get("mon")
    if month is None:
        month = _MONTHS.get((parts.get("month") or "").lower())
        if month is None:
            return None
    try:
        return dt.date(int(parts["year"]), int(month), int(parts["day"])).isoformat()
    except ValueError:
        return None


def is_date_line(line: str) -> bool:
    """True for metadata lines that state a date: labelled, or short and opening with one."""
    if _LABEL.match(line) and parse_date(line):
        return True
    if len(line.split()) > _META_LINE_WORDS:
        return False
    first = next(_iter_dates(line), None)
    return first is not None and first[1] == 0


def find_publication_date(lines: list[str]) -> str | None:
    """The digest's publication date: a labelled line wins, then a short line opening with one."""
    labelled = [line for line in lines if _LABEL.match(line)]
    for line in labelled + [line for line in lines if is_date_line(line)]:
        iso = parse_date(line)
        if iso:
            return iso
    return None


def normalise_date(value: object) -> str | None:
    """Turn a date given by metadata (ISO string, timestamp, free text) into yyyy-mm-dd."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return parse_date(text)
