"""The rows every export holds: each matching passage of a search, or each mention of a
partner, with the same columns in CSV, XLSX, JSON and feeds."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from indexer.ingest.digest import slugify
from indexer.locale import Message
from indexer.search.engine import SearchIndex

MAX_ROWS = 5000  # passages one export holds; beyond, it is cut and says so
COLUMNS = ("digest_id", "title", "date", "lang", "passage_id", "heading", "text", "url",
           "partners")  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One passage as exports show it; url is absolute when a base URL is known."""

    digest_id: str
    title: str
    date: str | None
    lang: str | None
    passage_id: str
    heading: str
    text: str
    url: str
    partners: str  # the names of the partners it mentions, "; " between them
    snippet: str = ""  # the marked snippet as plain text (feeds' summaries); not a column

    def values(self) -> list[str]:
        return [getattr(self, column) or "" for column in COLUMNS]

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k in COLUMNS}


@dataclass(frozen=True)
class Table:
    """Rows and whether the bound cut them (then total says how many there were)."""

    rows: list[Row]
    total: int
    title: Message  # "Search: …" or "Mentions of …", in any language
    subject: str  # what a file of it is named for: the query, or the partner's id

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)

    def note(self) -> Message:
        return Message("export_cut", shown=len(self.rows), total=self.total)

    def file_name(self, extension: str, day: dt.date) -> str:
        """What a file of it is called: "search-xian-2026-12-04.csv", "geely-2026-12-04.xlsx"."""
        return f"{slugify(self.subject)}-{day.isoformat()}.{extension}"


def search_rows(index: SearchIndex, q: str, filters: dict, base_url: str = "",
                bound: int = MAX_ROWS) -> Table:  # fmt: skip
    """Every passage matching a search (up to the bound), best first."""
    result = index.search(q, passages=True, limit=bound, filters=filters)
    names = _partner_names(index)
    rows = [
        Row(hit.doc_id, hit.title, hit.date, hit.lang, hit.passage_id, hit.heading, hit.text,
            base_url + hit.url, names(hit.passage_id), hit.snippet.plain("", ""))
        for hit in result.hits
    ]  # fmt: skip
    return Table(rows, result.total, Message("export_search", q=q), f"search {q}")


def partner_rows(index: SearchIndex, slug: str, base_url: str = "",
                 bound: int = MAX_ROWS) -> Table | None:  # fmt: skip
    """Every mention of a partner in date order, up to the bound (None for no such partner)."""
    partner = index.generation().partners.by_slug.get(slug)
    if partner is None:
        return None
    mentions = partner["passages"][:bound]
    texts = index.passages([m["passage_id"] for m in mentions])
    docs = index.generation().manifest.docs
    names = _partner_names(index)
    rows = []
    for mention in mentions:
        found = texts.get(mention["passage_id"], {})
        entry = docs.get(mention["doc_id"])
        url = f"{base_url}/doc/{mention['doc_id']}#{mention['passage_id']}"
        rows.append(Row(mention["doc_id"], found.get("title") or "", mention["date"],
                        entry.lang if entry else None, mention["passage_id"],
                        found.get("heading") or "", found.get("text") or "", url,
                        names(mention["passage_id"]), found.get("text") or ""))  # fmt: skip
    return Table(rows, len(partner["passages"]), Message("export_partner", name=partner["name"]),
                 slug)  # fmt: skip


def _partner_names(index: SearchIndex):
    partners = index.generation().partners

    def names(passage_id: str) -> str:
        slugs = partners.by_passage.get(passage_id, [])
        return "; ".join(partners.by_slug[s]["name"] for s in slugs if s in partners.by_slug)

    return names
