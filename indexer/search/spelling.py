"""Typo tolerance: close index words for rare query words, and a "did you mean" query."""

from __future__ import annotations

import bisect
import threading
from array import array
from collections import OrderedDict

from whoosh.automata.fsa import find_all_matches
from whoosh.codec.base import Automata

from indexer.index.analysis import words
from indexer.index.nameforms import is_chinese_name
from indexer.search.query import SEARCH_FIELDS, ParsedQuery

KEPT_WORD_LISTS = 64  # (segment, first letter) word lists kept in memory, the latest used
FEW_HITS = 2  # a word found in this many passages or fewer is also matched with typos
MAX_CORRECTIONS = 5
SHORT_QUERY = 4  # words; longer queries get typo tolerance only for words found nowhere


def max_edits(word: str) -> int:
    """Edit distance allowed for a word of this length: none for short words, up to 2."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def corrections(searcher, parsed: ParsedQuery, q: str,
                known: frozenset[str] = frozenset()) -> tuple[dict, str | None]:  # fmt: skip
    """Close index words for rare query words, and a corrected query when one finds more.

    Never corrected: numbers and years, and the words of names the partner directory knows
    (known: their exact forms), the acronyms the corpus defines ("ZTU") among them."""
    fuzzy: dict[str, list[str]] = {}
    suggestion = q
    terms = parsed.terms()
    # In a long query a rare word is most likely a real rare word, not a typo.
    few = FEW_HITS if len(terms) <= SHORT_QUERY else 0
    for term in terms:
        edits = max_edits(term.exact)
        if term.prefix or not edits or _kept(term, known):
            continue
        found = doc_frequency(searcher, term.exact)
        if found > few:
            continue
        close = _close_words(searcher, term.exact, edits)
        if close:
            fuzzy[term.exact] = [word for word, _ in close]
            best, best_count = close[0]
            if best_count > found and term.raw and not _same_word(best, term):
                suggestion = suggestion.replace(term.raw, _same_case(best, term.raw), 1)
    return fuzzy, (suggestion if suggestion != q else None)


def _kept(term, known: frozenset[str]) -> bool:
    """Numbers, names the directory knows, and Chinese names in any script (Шанхайским)."""
    digits = any(c.isdigit() for c in term.exact)
    return digits or term.exact in known or is_chinese_name(term.raw)


def _same_word(close: str, term) -> bool:
    """A close index word that is another form of the typed one (университета, университет)."""
    analysed = words(close)
    return bool(analysed) and analysed[0].stem is not None and analysed[0].stem == term.stem


def doc_frequency(searcher, exact: str) -> int:
    """In how many passages an exact form stands."""
    return max(searcher.doc_frequency(name, exact) for name in SEARCH_FIELDS)


def _close_words(searcher, exact: str, edits: int) -> list[tuple[str, int]]:
    """Index words within `edits` of exact (same first letter), most frequent first."""
    candidates = set()
    for segment, _ in searcher.reader().leaf_readers():
        for name in SEARCH_FIELDS:
            candidates.update(word_list(segment, name, exact[0]).within(exact, edits))
    candidates.discard(exact)
    ranked = sorted(
        ((w, doc_frequency(searcher, w)) for w in candidates), key=lambda x: (-x[1], x[0])
    )
    return ranked[:MAX_CORRECTIONS]


class WordList:
    """A segment's words that start with one letter, sorted, compactly in memory (one UTF-8
    blob and end offsets: 330 KB for the 14,000 "п" words of 33,000 news passages), walked with
    a Levenshtein automaton. Walking Whoosh's on-disk word list instead cost ~0.2 s per
    misspelled long word, mostly in file reads. Stems never start with a letter."""

    def __init__(self, segment, fieldname: str, first: str):
        self._blob = bytearray()
        self._ends = array("I")
        for word in segment.expand_prefix(fieldname, first):  # no list: ~50 bytes a word
            self._blob += word
            self._ends.append(len(self._blob))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> str:
        start = self._ends[i - 1] if i else 0
        return self._blob[start : self._ends[i]].decode()

    def first_from(self, text: str) -> str | None:
        """The first word at or after text (UTF-8 byte order is code point order)."""
        i = bisect.bisect_left(self, text)
        return self[i] if i < len(self) else None

    def within(self, exact: str, edits: int):
        """Words within `edits` of exact that share its first letter."""
        return find_all_matches(Automata.levenshtein_dfa(exact, edits, 1), self.first_from)


_word_lists: OrderedDict[tuple[str, str, str], WordList] = OrderedDict()
_word_lists_lock = threading.Lock()


def word_list(segment, fieldname: str, first: str) -> WordList:
    """A segment's words starting with `first`, read once for every thread (segments never
    change, and a typo seldom hits the first letter: corrections keep it)."""
    key = (segment.segment().segment_id(), fieldname, first)
    with _word_lists_lock:
        if key not in _word_lists:
            _word_lists[key] = WordList(segment, fieldname, first)
            while len(_word_lists) > KEPT_WORD_LISTS:
                _word_lists.popitem(last=False)
        _word_lists.move_to_end(key)
        return _word_lists[key]


def _same_case(word: str, like: str) -> str:
    """Spell a correction the way the user typed the original (Zhejang -> Zhejiang)."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
