"""Queries that are a partner's name: which partner a query's words name in any form (linked
through the directory's identities), which typed words form the name, and which passages and
digests hold the whole of it (as typed, under one of its aliases, or attributed by the
directory).

A query is a name when a run of its words equals a name in the partner directory, or is two or
more capitalised words ("Xi'an Jiaotong University"). Passages holding the whole name rank
above those holding only some of its words ("University" alone), and only whole names are
marked; plain word queries are ranked and marked as before.
"""

from __future__ import annotations

import dataclasses
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from whoosh import query as wq

from indexer.index.nameforms import HAN, is_chinese_name, organisation_concept
from indexer.partners.aliases import PartnerNames
from indexer.search.highlight import Highlighter
from indexer.search.query import SEARCH_FIELDS, Group, ParsedQuery, Phrase, QueryError, Term

ATTRIBUTED = 1e-6  # a passage the directory attributes to the partner: found, not scored up
# (not 0: Whoosh reads a weight of 0 as none given, and scores 1.0)
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
    passage_ids: tuple[str, ...] = ()  # the passages the directory attributes to the partner
    _found: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)  # memo

    def marks(self) -> Highlighter:
        return Highlighter.of_phrases(list(self.phrases))

    def docnums(self, searcher, field: str = "content") -> set[int]:
        """Passages whose searched text holds a whole name (exact forms, or their stems)."""
        if field not in self._found:
            clauses = []
            for phrase in self.phrases:
                for forms in _forms(phrase):
                    if len(forms) == 1:
                        clauses.append(wq.Term(field, forms[0]))
                    else:
                        clauses.append(wq.Phrase(field, forms, slop=1))
            self._found[field] = frozenset(searcher.docs_for_query(wq.Or(clauses)))
        return set(self._found[field])

    def attributed(self, searcher) -> set[int]:
        """The passages the directory attributes to the partner."""
        return set(_attributed(searcher, self.passage_ids))

    def unmatched(self, searcher) -> wq.Query | None:
        """The attributed passages that hold none of its names as searched (the directory
        found it there in another form): matched anyway, scoring nothing of their own."""
        missing = self.attributed(searcher) - self.docnums(searcher)
        if not missing:
            return None
        ids = searcher.reader().column_reader("passage_id")
        found = wq.Or([wq.Term("passage_id", ids[docnum]) for docnum in sorted(missing)])
        return wq.ConstantScoreQuery(found, ATTRIBUTED)

    def passages(self, searcher) -> tuple[set[int], set[int]]:
        """(passages holding the name in their own heading or text, passages whose digest
        holds it, its title included)."""
        attributed = self.attributed(searcher)
        in_digest = self.docnums(searcher) | attributed
        in_title = self.docnums(searcher, "title") & in_digest
        marks = self.marks()
        own = (in_digest - in_title) | attributed
        for docnum in in_title - attributed:  # the title is part of every passage's text
            fields = searcher.stored_fields(docnum)
            if marks.has_match(f"{fields.get('heading', '')}\n{fields.get('text', '')}"):
                own.add(docnum)
        return own, in_digest


_ATTRIBUTED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_KEEPING = threading.Lock()
KEPT_PARTNERS = 32  # partners whose passage numbers a reader keeps, the latest searched


def _attributed(searcher, passage_ids: tuple[str, ...]) -> frozenset[int]:
    """The numbers of a partner's passages, looked up once per reader (a generation's) while
    the partner is among the KEPT_PARTNERS latest searched."""
    with _KEEPING:  # searches on other threads read the same reader
        kept = _ATTRIBUTED.setdefault(searcher.reader(), OrderedDict())
        found = kept.get(passage_ids)
        if found is not None:
            kept.move_to_end(passage_ids)
            return found
    ids = wq.Or([wq.Term("passage_id", pid) for pid in passage_ids])
    found = frozenset(searcher.docs_for_query(ids)) if passage_ids else frozenset()
    with _KEEPING:
        kept[passage_ids] = found
        if len(kept) > KEPT_PARTNERS:
            kept.popitem(last=False)
    return found


@dataclass(frozen=True)
class LinkedQuery:
    """The partner a query names (or None), the typed words naming it, and the partners
    offered instead when the words could name several."""

    partner: dict | None = None
    terms: tuple[Term, ...] = ()
    choices: tuple[dict, ...] = ()


def link_query(parsed: ParsedQuery, partners: PartnerNames, link: str = "") -> LinkedQuery:
    """Link a query to the partner its words name: link "" finds it, "none" never links, a
    slug links that partner (a partner page's search)."""
    if link == "none":
        return LinkedQuery()
    typed = plain_words(parsed)
    # A query of more words is a sentence ("The PRR MDA5 is a sensor of …"), never linked whole.
    linkable = 0 < len(typed) <= MAX_QUERY_WORDS
    found = partners.linker.links([word for word, _ in typed]) if linkable else []
    found.sort(key=lambda one: one.start - one.end)  # the longest run first
    if link:
        partner = partners.by_slug.get(link)
        if partner is None:
            raise QueryError(f"There is no partner {link!r}.")
        run = next((one for one in found if partner in one.partners), None)
        spans = typed[run.start : run.end] if run else typed
        return LinkedQuery(partner, tuple(t for _, terms in spans for t in terms))
    if not found:
        return LinkedQuery()
    best = found[0]
    if best.partner is None:
        return LinkedQuery(choices=best.partners)
    return LinkedQuery(best.partner, tuple(t for _, ts in typed[best.start : best.end] for t in ts))


def plain_words(parsed: ParsedQuery) -> list[tuple[str, tuple[Term, ...]]]:
    """The words of a query made of words only (no quotes, operators, fields or prefixes),
    as typed, each with its terms (浙江大学 one word of four terms); [] for any other query."""
    root = parsed.root
    children = root.children if isinstance(root, Group) and root.op == "soft" else (root,)
    if isinstance(root, Group) and (root.op != "soft" or root.excluded):
        return []
    typed: list[tuple[str, tuple[Term, ...]]] = []
    for child in children:
        if isinstance(child, Term) and not child.prefix and child.fields == SEARCH_FIELDS:
            typed.append((child.raw, (child,)))
        elif isinstance(child, Phrase) and child.joined and child.fields == SEARCH_FIELDS:
            if HAN.search(child.terms[0].raw):
                typed.append(("".join(t.raw for t in child.terms), child.terms))
            else:
                typed += [(t.raw, (t,)) for t in child.terms]
        else:
            return []
    return typed


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


def unknown_name_of(parsed: ParsedQuery, forms: dict[str, list[str]]) -> NameQuery | None:
    """A Chinese name the directory does not know, typed with organisation words
    ("Нанкинский университет"): the passages holding its name word in any script come first,
    never those holding only "университет"."""
    typed = plain_words(parsed)
    named = [terms[0] for word, terms in typed if len(terms) == 1 and is_chinese_name(word)]
    if len(named) != 1 or not any(organisation_concept(word.lower()) for word, _ in typed):
        return None
    term = named[0]
    spelled = [Phrase((Term(form, None),)) for form in forms.get(term.exact, ())]
    return NameQuery((Phrase((term,)), *spelled), frozenset())


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
