"""Names in any script at query time: the index words a query word meets across scripts.

"Сиань" also searches "xian" (English digests) and "сианьский", "сиане" (Russian ones);
"Zhejiang" also "чжэцзян" and "чжэцзянского"; "Рудской" also "rudskoi" and "rudskoy". Only
spellings the index holds become clauses, at most MAX_FORMS a word, ranked below the word as
typed (Weights.name_form), so no query word explodes into hundreds of clauses.
"""

from __future__ import annotations

import weakref
from itertools import islice, product

from indexer.index.analysis import words
from indexer.index.nameforms import (
    CYRILLIC,
    HAN,
    hanzi_by_pinyin,
    is_chinese_name,
    modern_pinyin,
    pinyin_of_cyrillic,
    pinyin_syllables,
    spellings,
)
from indexer.search.query import Group, ParsedQuery, Phrase, terms_of
from indexer.search.spelling import doc_frequency

MAX_FORMS = 8  # other spellings one query word may add


def name_forms(searcher, parsed: ParsedQuery) -> dict[str, list[str]]:
    """For each query word with other spellings in the index: those index words.

    A name in characters is one word to a reader but one term a character to analysis
    (浙江: 浙, 江); its spellings (zhejiang, чжэцзян) are searched with its first character."""
    every = terms_of(parsed.root, excluded=True)  # NOT Сиань leaves out Xi'an too
    # One character alone reads too many ways (江 as Jiang, a person's name in 浙江): never.
    typed = [(t.exact, t.raw) for t in every if not t.prefix and t.raw and not HAN.search(t.raw)]
    typed += [(p.terms[0].exact, "".join(t.raw for t in p.terms)) for p in _han_names(parsed.root)]
    # Organisation words (university, институт) cross languages only in a name's company:
    # "government spending" stays English, "Сианьский технологический университет" does not.
    named = any(is_chinese_name(raw) for _, raw in typed)
    forms: dict[str, list[str]] = {}
    for exact, raw in typed:
        found = forms.setdefault(exact, [])
        for spelling in spellings(raw, organisations=named):
            analysed = words(spelling)
            if len(found) == MAX_FORMS or len(analysed) != 1 or analysed[0].exact == exact:
                continue
            if analysed[0].exact not in found and doc_frequency(searcher, analysed[0].exact):
                found.append(analysed[0].exact)
    return {exact: found for exact, found in forms.items() if found}


def _han_names(node):
    """Words typed in Chinese characters, which analysis split into one term a character."""
    if isinstance(node, Phrase) and node.joined and HAN.search(node.terms[0].raw):
        yield node
    elif isinstance(node, Group):
        for child in node.children:
            yield from _han_names(child)


def han_names(searcher, parsed: ParsedQuery) -> list[str]:
    """Names typed in Pinyin or Palladius as the characters digests may write them in
    (Zhejiang, Чжэцзян → 浙江):
    for each syllable the characters so read that the index holds (the 3 most frequent), and
    their sequences, at most MAX_FORMS a word, searched as phrases."""
    names: list[str] = []
    for term in parsed.terms():
        raw = term.raw
        if term.prefix or not raw[:1].isupper() or not is_chinese_name(raw) or HAN.search(raw):
            continue
        pinyin = pinyin_of_cyrillic(raw) if CYRILLIC.search(raw.lower()) else None
        syllables = pinyin_syllables(pinyin or modern_pinyin(raw.lower()) or raw)
        if not 1 < len(syllables) <= 4:
            continue
        present = [_held(searcher, syllable) for syllable in syllables]
        if all(present):
            names += islice(("".join(chars) for chars in product(*present)), MAX_FORMS)
    return names


_HELD: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _held(searcher, syllable: str) -> list[str]:
    """The characters read so that the index holds, the 3 in most passages first (looked up
    once per syllable and reader: a syllable has up to 364 characters)."""
    known = _HELD.setdefault(searcher.reader(), {})
    if syllable not in known:
        counted = [(doc_frequency(searcher, c), c) for c in hanzi_by_pinyin().get(syllable, "")]
        known[syllable] = [c for n, c in sorted(counted, reverse=True)[:3] if n]
    return known[syllable]
