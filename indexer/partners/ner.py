"""Organisation names a model tags in Russian text (natasha's news NER, shipped in its wheel).

The rules decide most names; the model is asked only where they cannot: a name whose only
capital is the one opening its sentence ("Даляньский политехнический университет и СПбПУ …")
may be a name or a phrase ("Российский университет — это …"). It costs milliseconds a sentence
and a second to load, so it is loaded on the first such sentence and asked about that one only.
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


@cache
def _tagger():
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    tagger, segmenter = NewsNERTagger(NewsEmbedding()), Segmenter()

    def organisations(sentence: str) -> tuple[tuple[int, int], ...]:
        doc = Doc(sentence)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        return tuple((span.start, span.stop) for span in doc.spans if span.type == "ORG")

    return organisations


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of text holding start…end, as offsets."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return (before[-1] if before else 0), (after.end() if after else len(text))


@lru_cache(maxsize=4096)
def _tagged(sentence: str) -> tuple[tuple[int, int], ...]:
    return _tagger()(sentence)


def tags_organisation(text: str, start: int, end: int) -> bool:
    """True when the model tags an organisation over text[start:end] (within its sentence)."""
    first, last = sentence_around(text, start, end)
    spans = _tagged(text[first:last])
    return any(s <= start - first and end - first <= e for s, e in spans)
