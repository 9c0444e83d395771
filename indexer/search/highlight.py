"""Phrase-aware highlighting and sentence-bounded snippets, as text with marked spans."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from indexer.index.analysis import Word, words
from indexer.ingest.segment import split_sentences
from indexer.search.query import Group, ParsedQuery, Phrase, Term
from indexer.search.results import Marked

SNIPPET_CHARS = 260
# A snippet is looked for in this much of a passage at the most (passages written by this
# version hold ~3,000 characters; an index written before the bound may hold megabytes).
SNIPPET_SOURCE_CHARS = 20_000
# Words marked only as part of a matched run ("University of Technology"), never alone.
_FUNCTION_WORDS = frozenset(("a an and at by for from in of on or the to with и в на с по").split())


class Highlighter:
    """Marks what a query matched in a passage: phrases as a whole, other words one by one."""

    def __init__(self, parsed: ParsedQuery, fuzzy: dict | None = None):
        self.fuzzy = {k: set(v) for k, v in (fuzzy or {}).items()}
        self.strict: list[tuple[Term, ...]] = []  # quoted phrases: marked only whole
        self.runs: list[tuple[Term, ...]] = []  # word groups: marked as runs where they stand so
        self.singles: list[Term] = []
        self._collect(parsed.root)

    def _collect(self, node) -> None:
        if isinstance(node, Term):
            self.singles.append(node)
        elif isinstance(node, Phrase) and node.joined:  # "CHN-RUS": its words count alone too
            self.runs.append(node.terms)
            self.singles += node.terms
        elif isinstance(node, Phrase):
            self.strict.append(node.terms)
        elif isinstance(node, Group):
            loose = [child for child in node.children if isinstance(child, Term)]
            if len(loose) > 1:
                self.runs.append(tuple(loose))
            for child in node.children:
                self._collect(child)

    def matches(self, term: Term, word: Word) -> bool:
        if term.prefix:
            return word.exact.startswith(term.exact)
        return (
            word.exact == term.exact
            or (term.stem is not None and word.stem == term.stem)
            or word.exact in self.fuzzy.get(term.exact, ())
        )

    def spans(self, found: list[Word]) -> list[tuple[int, int]]:
        """Character spans to mark in a text already split into words."""
        marked: list[tuple[int, int]] = []
        covered: set[Term] = set()
        for sequence in self.strict:
            marked += self._sequence_spans(found, sequence, partial=False, covered=covered)
        for sequence in self.runs:
            marked += self._sequence_spans(found, sequence, partial=True, covered=covered)
        for term in self.singles:
            if term in covered or term.exact in _FUNCTION_WORDS:
                continue
            marked += [(w.start, w.end) for w in found if self.matches(term, w)]
        return _merge(marked)

    def _sequence_spans(self, found, sequence, *, partial, covered) -> list[tuple[int, int]]:
        """Runs of words matching consecutive query words (all of them unless partial)."""
        spans = []
        minimum = 2 if partial else len(sequence)
        for i in range(len(found)):
            for k in range(len(sequence)):
                length = 0
                while (
                    i + length < len(found)
                    and k + length < len(sequence)
                    and self.matches(sequence[k + length], found[i + length])
                ):
                    length += 1
                if length >= minimum:
                    spans.append((found[i].start, found[i + length - 1].end))
                    covered.update(sequence[k : k + length])
        return spans

    @classmethod
    def of_phrases(cls, phrases: list[Phrase]) -> Highlighter:
        """A highlighter for some phrases alone (another name of a partner)."""
        highlighter = cls(ParsedQuery(None))
        highlighter.strict = [p.terms for p in phrases]
        return highlighter

    @classmethod
    def combined(cls, first: Highlighter, others: list[Highlighter]) -> Highlighter:
        """One highlighter marking what any of several marks."""
        if not others:
            return first
        merged = cls(ParsedQuery(None), first.fuzzy)
        for part in (first, *others):
            merged.strict += part.strict
            merged.runs += part.runs
            merged.singles += part.singles
        return merged

    def without(self, terms) -> Highlighter:
        """The same marks but for some words, which then are marked only inside phrases."""
        kept = Highlighter(ParsedQuery(None), self.fuzzy)
        kept.strict = list(self.strict)
        kept.runs = [r for r in (tuple(t for t in run if t not in terms) for run in self.runs)
                     if len(r) > 1]  # fmt: skip
        kept.singles = [t for t in self.singles if t not in terms]
        return kept

    def has_match(self, text: str) -> bool:
        return bool(self.spans(words(text)))

    def full(self, text: str) -> Marked:
        """The whole text with every match marked."""
        return Marked(text, tuple(self.spans(words(text))))

    def snippet(self, text: str, max_chars: int = SNIPPET_CHARS) -> Marked:
        """The best sentence-bounded fragment of text, with its matches marked."""
        if len(text) > SNIPPET_SOURCE_CHARS:  # bounded work per hit, whatever the passage
            return replace(self.snippet(text[:SNIPPET_SOURCE_CHARS], max_chars), cut_after=True)
        spans = self.spans(words(text))
        if len(text) <= max_chars:
            return Marked(text, tuple(spans))
        start, end = _best_window(text, spans, max_chars)
        return cut(text, spans, start, end)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds, cursor = [], 0
    for sentence in split_sentences(text):
        start = text.find(sentence, cursor)
        if start < 0:
            continue
        bounds.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return bounds or [(0, len(text))]


def _best_window(text: str, spans, max_chars: int) -> tuple[int, int]:
    """The run of whole sentences, within max_chars, holding the most marks."""
    sentences = _sentence_bounds(text)
    starts, ends = [s for s, _ in spans], [e for _, e in spans]  # merged: both ascending

    def marks_in(start: int, end: int) -> int:  # by bisection: linear in sentences overall
        return max(0, bisect_right(ends, end) - bisect_left(starts, start))

    best = max(range(len(sentences)), key=lambda i: (marks_in(*sentences[i]), -i))
    start, end = sentences[best]
    before, after = best - 1, best + 1
    while True:  # grow by neighbouring sentences while they fit, the following one first
        if after < len(sentences) and sentences[after][1] - start <= max_chars:
            end = sentences[after][1]
            after += 1
        elif before >= 0 and end - sentences[before][0] <= max_chars:
            start = sentences[before][0]
            before -= 1
        else:
            break
    if end - start > max_chars:  # one sentence longer than a snippet: cut around its first mark
        first = next((s for s, _ in spans if start <= s < end), start)
        start = max(start, text.rfind(" ", start, max(first - max_chars // 3, start)) + 1)
        cut = text.rfind(" ", start, start + max_chars)
        end = cut if cut > start else start + max_chars
    return start, end


def cut(text: str, spans, start: int, end: int) -> Marked:
    """text[start:end] with the spans inside it, clipped to it."""
    inside = tuple(
        (max(s, start) - start, min(e, end) - start) for s, e in spans if e > start and s < end
    )
    return Marked(text[start:end], inside, cut_before=start > 0, cut_after=end < len(text))
