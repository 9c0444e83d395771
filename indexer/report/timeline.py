"""A partner's mentions over time, and the partners named in the same digests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

MONTHS_UP_TO = 3  # years the corpus covers: up to this, bars by month; beyond, by quarter


@dataclass(frozen=True)
class Period:
    """One bar: a month ("2023-06") or a quarter ("2023 Q2"), and its mentions."""

    label: str
    start: str  # its first day, ISO
    end: str  # its last day, ISO
    count: int

    @property
    def opens_year(self) -> bool:
        return self.start.endswith("-01-01")


def timeline(dates: list[str | None], first: str | None, last: str | None) -> list[Period]:
    """Mentions per month or quarter over the years the corpus covers (first..last dates)."""
    if not first or not last:
        return []
    years = range(int(first[:4]), int(last[:4]) + 1)
    by_month = len(years) <= MONTHS_UP_TO
    counts = Counter(_period(d, by_month) for d in dates if d)
    periods = []
    for year in years:
        for part in range(1, 13) if by_month else range(1, 5):
            label = f"{year}-{part:02d}" if by_month else f"{year} Q{part}"
            first_month, last_month = (part, part) if by_month else (3 * part - 2, 3 * part)
            periods.append(Period(label, f"{year}-{first_month:02d}-01",
                                  f"{year}-{last_month:02d}-{_last_day(year, last_month):02d}",
                                  counts[label]))  # fmt: skip
    return periods


def _period(date: str, by_month: bool) -> str:
    year, month = date[:4], int(date[5:7] or 1)
    return f"{year}-{month:02d}" if by_month else f"{year} Q{(month - 1) // 3 + 1}"


def _last_day(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def co_mentioned(partners: list[dict], slug: str, limit: int = 10) -> list[tuple[dict, int]]:
    """The partners named in the same digests as this one, with how many digests they share."""
    docs_of = {p["slug"]: {m["doc_id"] for m in p["passages"]} for p in partners}
    own = docs_of.get(slug, set())
    shared = Counter({other: len(docs & own) for other, docs in docs_of.items() if other != slug})
    by_slug = {p["slug"]: p for p in partners}
    return [(by_slug[s], n) for s, n in shared.most_common(limit) if n]
