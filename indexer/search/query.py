"""Parse what people type into a query tree; any string gives a query or a QueryError.

Syntax: plain words (ranked, no strict AND), "quoted phrases", OR (or |), AND, NOT x and -x,
prefix*, (grouping), field:value for title: heading: text:, and filters lang:, doc:, date:
(2023, 2023-06, 2023-06-01, 2023-01-01..2023-06-30), from: and to:.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from indexer.index.analysis import words
from indexer.ingest.language import LANGUAGES

MAX_WORDS = 64  # words beyond this are ignored: a query is not a document
MAX_DEPTH = 16  # deeper parentheses are read as plain grouping-free text
SEARCH_FIELDS = ("content",)
# text: is the passage's own text; the index searches it inside "content" (title, heading and
# text together), and compile.PassageTextOnly sets aside matches in the title or heading alone.
TEXT_ONLY = "text"
_FIELD_NAMES = {"title": "title", "heading": "heading", "text": TEXT_ONLY}
_YEAR = re.compile(r"(?:19|20)\d\d")


def indexed(field: str) -> str:
    """The Whoosh field a query field is searched in (text: inside content)."""
    return "content" if field == TEXT_ONLY else field


def is_year(node) -> bool:
    """A word typed as a bare year ("2017")."""
    return isinstance(node, Term) and _YEAR.fullmatch(node.exact) is not None


FILTER_FIELDS = ("lang", "doc", "date", "from", "to")

_TOKENS = re.compile(
    r'\s+|(?P<quote>"[^"]*"?)|(?P<open>\()|(?P<close>\))'
    r"|(?P<field>(?:title|heading|text|lang|doc|date|from|to):)(?=\S)"
    r'|(?P<neg>-)(?=[^\s\-"()])|(?P<word>[^\s"()]+)',
    re.IGNORECASE,
)
_OPERATORS = {"OR": "or", "|": "or", "||": "or", "AND": "and", "&&": "and", "NOT": "not"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


class QueryError(ValueError):
    """A query that cannot be searched; the message says what to change."""


@dataclass(frozen=True)
class Term:
    """One analysed word: its exact form and stem; prefix for `word*`."""

    exact: str
    stem: str | None
    fields: tuple[str, ...] = SEARCH_FIELDS
    prefix: bool = False
    raw: str = ""


@dataclass(frozen=True)
class Phrase:
    """Words that must stand together, in order (a quoted phrase, or "CHN-RUS"); joined when
    typed as one word, whose parts then also count alone in ranked queries."""

    terms: tuple[Term, ...]
    fields: tuple[str, ...] = SEARCH_FIELDS
    joined: bool = False


@dataclass(frozen=True)
class Group:
    """Children joined by `soft` (rank by how many match), `or`, or `and`."""

    op: str
    children: tuple
    excluded: tuple = ()


@dataclass
class ParsedQuery:
    """The scoring tree and the filters of one query."""

    root: Group | None
    filters: dict = field(default_factory=dict)
    words_used: int = 0

    def terms(self) -> list[Term]:
        """Every positive term, in query order."""
        return list(terms_of(self.root)) if self.root else []


def parse(text: str) -> ParsedQuery:
    """Parse a query string; raises QueryError only when nothing searchable remains."""
    parser = _Parser(_lex(text))
    root = parser.expression(depth=0)
    filters = parser.filters
    if root is None or not list(terms_of(root)):
        if root is not None or filters:
            raise QueryError(
                "Add at least one word to look for: filters and NOT alone match nothing."
            )
        raise QueryError('Type a word, a name or a "quoted phrase" to search for.')
    return ParsedQuery(root, filters, parser.words)


def _lex(text: str) -> list[tuple[str, str]]:
    """(kind, value) tokens; control characters are spaces, stray characters words."""
    text = "".join(c if c.isprintable() else " " for c in text)
    tokens = []
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        if kind == "word" and match.group() in _OPERATORS:
            tokens.append((_OPERATORS[match.group()], match.group()))
        elif kind:
            tokens.append((kind, match.group()))
    return tokens


class _Parser:
    """Recursive descent over the tokens; anything malformed degrades to plain words."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.at = 0
        self.filters: dict = {}
        self.words = 0

    def peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        self.at += 1
        return self.tokens[self.at - 1]

    def expression(self, depth: int) -> Group | None:
        """or-expression := sequence (OR sequence)*; stops at an unmatched ')' when nested."""
        alternatives = []
        while self.peek() is not None:
            if self.peek() == "close":
                if depth > 0:
                    break
                self.take()  # a stray ')' at top level is ignored
                continue
            if self.peek() == "or":
                self.take()
                continue
            sequence = self.sequence(depth)
            if sequence is not None:
                alternatives.append(sequence)
        if len(alternatives) > 1:
            return Group("or", tuple(alternatives))
        return alternatives[0] if alternatives else None

    def sequence(self, depth: int) -> Group | None:
        """Adjacent items: ranked together, AND making the next one required."""
        soft, required, excluded = [], [], []
        require_next = False
        while self.peek() not in (None, "or", "close"):
            kind = self.peek()
            if kind == "and":
                self.take()
                require_next = True
                continue
            negate = kind in ("neg", "not")
            if negate:
                self.take()
                if self.peek() in (None, "or", "close"):
                    break
            item = self.unary(depth)
            if item is None:
                continue
            if negate:
                excluded.append(item)
            elif require_next:
                if soft:
                    required.append(soft.pop())
                required.append(item)
            else:
                soft.append(item)
            require_next = False
        if required:
            soft.append(Group("and", tuple(required)))
        if not soft and not excluded:
            return None
        return Group("soft", tuple(soft), tuple(excluded))

    def unary(self, depth: int):
        kind, value = self.take()
        if kind == "open":
            inner = self.expression(depth + 1) if depth < MAX_DEPTH else None
            if self.peek() == "close":
                self.take()
            return inner
        if kind == "quote":
            return _phrase(value.strip('"'), SEARCH_FIELDS, self)
        if kind == "field":
            return self.field_value(value[:-1].lower())
        if kind in ("neg", "not", "and", "close"):
            return None
        return _word(value, SEARCH_FIELDS, self)

    def field_value(self, name: str):
        """The value after `name:`: a search restricted to a field, or a filter."""
        if self.peek() is None:
            return None
        kind, value = self.take()
        value = value.strip('"') if kind == "quote" else value
        if name in _FIELD_NAMES:
            return _phrase(value, (_FIELD_NAMES[name],), self)
        self.filters.update(_filter(name, value))
        return None


def _word(raw: str, fields: tuple[str, ...], parser: _Parser):
    """A typed word: a term, a prefix, or a phrase when analysis splits it ("CHN-RUS")."""
    prefix = raw.endswith("*") and len(raw.rstrip("*")) >= 2
    found = _phrase(raw.rstrip("*") if prefix else raw, fields, parser, joined=True)
    if prefix and isinstance(found, Term):
        return Term(found.exact, None, fields, prefix=True, raw=raw)
    return found


def _phrase(text: str, fields: tuple[str, ...], parser: _Parser, joined: bool = False):
    """Analysed words of text as a Term (one word), a Phrase (several) or None."""
    room = MAX_WORDS - parser.words
    terms = tuple(Term(w.exact, w.stem, fields, raw=text[w.start : w.end]) for w in words(text))
    terms = terms[: max(room, 0)]
    parser.words += len(terms)
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else Phrase(terms, fields, joined)


def _filter(name: str, value: str) -> dict:
    """A filter from `name:value`; raises QueryError for values that cannot mean anything."""
    if name == "lang":
        lang = value.lower()
        if lang not in LANGUAGES:
            raise QueryError(f"Unknown language {value!r}: use one of {', '.join(LANGUAGES)}.")
        return {"lang": lang}
    if name == "doc":
        return {"doc": value}
    if name == "from":
        return {"from": parse_date_bound(value, end=False)}
    if name == "to":
        return {"to": parse_date_bound(value, end=True)}
    low, _, high = value.partition("..")
    return {"from": parse_date_bound(low, end=False), "to": parse_date_bound(high or low, end=True)}


def name_phrase(name: str) -> Phrase | None:
    """A name as a phrase of its words (a partner's other name), or None when it has none."""
    terms = tuple(Term(w.exact, w.stem, raw=name) for w in words(name))
    return Phrase(terms) if terms else None


def parse_date_bound(value: str, *, end: bool) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD as the first (or, with end, the last) day it covers."""
    if not value:
        return None
    match = _DATE.match(value.strip())
    try:
        if not match:
            raise ValueError(value)
        year, month, day = (int(g) if g else None for g in match.groups())
        if day:
            return dt.date(year, month, day).isoformat()
        if month:
            first = dt.date(year, month, 1)
            if not end:
                return first.isoformat()
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return (following - dt.timedelta(days=1)).isoformat()
        return dt.date(year, 12 if end else 1, 31 if end else 1).isoformat()
    except ValueError:
        raise QueryError(
            f"Cannot read the date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD."
        ) from None


def terms_of(node, *, excluded: bool = False):
    """The terms of a tree: those a document may match, or (excluded) every term searched."""
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Phrase):
        yield from node.terms
    elif isinstance(node, Group):
        for child in (*node.children, *(node.excluded if excluded else ())):
            yield from terms_of(child, excluded=excluded)
