"""Queries that are a partner's name: which typed words form the name, and which passages and
digests hold the whole of it (as typed, or under one of its aliases).

A query is a name when a run of its words equals a name in the partner directory, or is two or
more capitalised words ("Xi'an Jiaotong University"). Passages holding the whole name rank
above those holding only some of its words ("University" alone), and only whole names are
marked; plain word queries are ranked and marked as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq

from indexer.partners.aliases import PartnerNames
from indexer.search.highlight import Highlighter
from indexer.search.query import Group, ParsedQuery, Phrase, Term

MAX_NAME_WORDS = 8
MAX_QUERY_WORDS = 8
_SMALL_WORDS = frozenset(
    "of and for the in on at de".split()
)  # longer queries are sentences ("The PRR MDA5 is a sensor of …"), not names


@dataclass(frozen=True)
class NameQuery:
    """The name a query holds: its phrases (as typed, then its aliases) and its typed words."""

    phrases: tuple[Phrase, ...]
    terms: frozenset[Term]

    def marks(self) -> Highlighter:
        return Highlighter.of_phrases(list(self.phrases))

    def docnums(self, searcher, field: str = "content") -> set[int]:
        """Passages whose searched text holds a whole name (exact forms, or their stems)."""
        clauses = []
        for phrase in self.phrases:
            for forms in _forms(phrase):
                if len(forms) == 1:
                    clauses.append(wq.Term(field, forms[0]))
                else:
                    clauses.append(wq.Phrase(field, forms, slop=1))
        return set(searcher.docs_for_query(wq.Or(clauses)))

    def passages(self, searcher) -> tuple[set[int], set[int]]:
        """(passages holding the name in their own heading or text, passages whose digest
        holds it, its title included)."""
        in_digest = self.docnums(searcher)
        in_title = self.docnums(searcher, "title") & in_digest
        marks = self.marks()
        own = in_digest - in_title
        for docnum in in_title:  # the title is part of every passage's searched text
            fields = searcher.stored_fields(docnum)
            if marks.has_match(f"{fields.get('heading', '')}\n{fields.get('text', '')}"):
                own.add(docnum)
        return own, in_digest


def name_of(parsed: ParsedQuery, partners: PartnerNames, aliases: list[Phrase]) -> NameQuery | None:
    """The name in a query, or None for plain word queries."""
    root = parsed.root
    if isinstance(root, Phrase) and not root.joined:
        return NameQuery((root, *aliases), frozenset(root.terms))
    if isinstance(root, Term):
        found = partners.find(root.raw) is not None
        return NameQuery((Phrase((root,)), *aliases), frozenset({root})) if found else None
    if not isinstance(root, Group) or root.op != "soft":
        return None
    terms = _words(root)
    if len(terms) > MAX_QUERY_WORDS:
        return None
    span = _directory_span(terms, partners) or _capitalised(terms, root)
    if span is None:
        return None
    typed = tuple(terms[span[0] : span[1]])
    return NameQuery((Phrase(typed), *aliases), frozenset(typed))


def _directory_span(terms: list[Term], partners: PartnerNames) -> tuple[int, int] | None:
    """The longest run of typed words that is a name in the directory."""
    for length in range(min(len(terms), MAX_NAME_WORDS), 0, -1):
        for start in range(len(terms) - length + 1):
            run = " ".join(t.raw for t in terms[start : start + length])
            if partners.find(run) is not None:
                return start, start + length
    return None


def _words(root: Group) -> list[Term]:
    """The typed words of a ranked query in order, those of "CHN-RUS" one by one."""
    found = []
    for child in root.children:
        if isinstance(child, Term) and not child.prefix:
            found.append(child)
        elif isinstance(child, Phrase) and child.joined:
            found += child.terms
    return found


def _capitalised(terms: list[Term], root: Group) -> tuple[int, int] | None:
    """The whole query, when it is two or more capitalised words, with small words between
    them ("Department of Energy Engineering"), and nothing else."""
    plain = all(isinstance(c, Term) or getattr(c, "joined", False) for c in root.children)
    if (
        not plain
        or len(terms) < 2
        or not (terms[0].raw[:1].isupper() and terms[-1].raw[:1].isupper())
    ):
        return None
    capital = all(t.raw[:1].isupper() or t.raw.lower() in _SMALL_WORDS for t in terms)
    return (0, len(terms)) if capital else None


def _forms(phrase: Phrase) -> list[list[str]]:
    """The phrase in exact forms, and in stems where they differ (declined Russian names)."""
    exact = [t.exact for t in phrase.terms]
    stems = [t.stem or t.exact for t in phrase.terms]
    return [exact] if stems == exact else [exact, stems]
