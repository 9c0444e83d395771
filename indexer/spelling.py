"""Typo tolerance: close index words for rare query words, and a "did you mean" query."""

from __future__ import annotations

from .query import ParsedQuery
from .ranking import is_stem

FEW_HITS = 2  # a word found in this many passages or fewer is also matched with typos
MAX_CORRECTIONS = 5
SHORT_QUERY = 4  # words; longer queries get typo tolerance only for words found nowhere
_FIELDS = ("content",)


def max_edits(word: str) -> int:
    """Edit distance allowed for a word of this length: none for short words, up to 2."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def corrections(searcher, parsed: ParsedQuery, q: str) -> tuple[dict, str | None]:
    """Close index words for rare query words, and a corrected query when one finds more."""
    fuzzy: dict[str, list[str]] = {}
    suggestion = q
    terms = parsed.terms()
    # In a long query a rare word is most likely a real rare word, not a typo.
    few = FEW_HITS if len(terms) <= SHORT_QUERY else 0
    for term in terms:
        edits = max_edits(term.exact)
        if term.prefix or not edits:
            continue
        found = doc_frequency(searcher, term.exact)
        if found > few:
            continue
        close = _close_words(searcher, term.exact, edits)
        if close:
            fuzzy[term.exact] = [word for word, _ in close]
            best, best_count = close[0]
            if best_count > found and term.raw:
                suggestion = suggestion.replace(term.raw, _same_case(best, term.raw), 1)
    return fuzzy, (suggestion if suggestion != q else None)


def doc_frequency(searcher, exact: str) -> int:
    """In how many passages an exact form stands."""
    return max(searcher.doc_frequency(name, exact) for name in _FIELDS)


def _close_words(searcher, exact: str, edits: int) -> list[tuple[str, int]]:
    """Index words within `edits` of exact (same first letter), most frequent first."""
    candidates = set()
    # Per segment: a segment reader walks its word list with a Levenshtein automaton, while
    # a multi-segment reader falls back to measuring the distance to every word.
    for segment, _ in searcher.reader().leaf_readers():
        for name in _FIELDS:
            candidates.update(
                word
                for word in segment.terms_within(name, exact, edits, prefix=1)
                if word != exact and not is_stem(word)
            )
    ranked = sorted(
        ((w, doc_frequency(searcher, w)) for w in candidates), key=lambda x: (-x[1], x[0])
    )
    return ranked[:MAX_CORRECTIONS]


def _same_case(word: str, like: str) -> str:
    """Spell a correction the way the user typed the original (Zhejang -> Zhejiang)."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
