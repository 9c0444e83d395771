"""Every place digest-search extends or patches Whoosh, in one module.

- `WriterCodec`: W3 as our writers use it, passage lengths read back from memory;
- `NamePositions`: the positions format fed straight from `words()`;
- `BM25FWithLengths`: BM25F reading field lengths from an in-memory array;
- `install()`: the one patch, made by the writer before a multi-process build, never at import:
  Whoosh's worker processes end when the build that forked them is killed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import weakref
from array import array
from collections import defaultdict
from pathlib import Path

from whoosh import multiproc, scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Positions
from whoosh.util.numeric import byte_to_length

from indexer.index.analysis import words

PR_SET_PDEATHSIG = 1  # prctl(2)


def open_index(generation: Path):
    """A generation's Whoosh index, read through file handles: through mmap Whoosh copies each
    segment file it opens into memory, and every thread's searcher mapped them again."""
    return FileStorage(str(generation), supports_mmap=False).open_index()


def create_index(generation: Path, schema):
    return FileStorage(str(generation), supports_mmap=False).create_index(schema)


def install() -> None:
    """Make Whoosh's writer processes die with their parent (once; idempotent)."""
    run = multiproc.SubWriterTask.run
    if getattr(run, "dies_with_parent", False):
        return

    def run_then(self):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        return run(self)

    run_then.dies_with_parent = True
    multiproc.SubWriterTask.run = run_then


class NamePositions(Positions):
    """Whoosh's positions format fed straight from words(): the postings NameAnalyzer's tokens
    give, without a Token object per token (a tenth of a build's writer time)."""

    def word_values(self, value, analyzer, **kwargs):
        positions = defaultdict(list)
        for pos, word in enumerate(words(value)):
            positions[word.exact].append(pos)
            if word.stem:
                positions[word.stem].append(pos)
        for text, found in positions.items():
            yield text, len(found), len(found) * self.field_boost, self.encode(found)


class BM25FWithLengths(scoring.BM25F):
    """BM25F with field lengths read once per segment instead of from disk for every match."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, scoring.WeightLengthScorer):
            scorer.dfl = field_lengths(searcher.reader(), fieldname).__getitem__
        return scorer


_LENGTHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def field_lengths(reader, fieldname: str) -> array:
    """Every passage's length in a field, as BM25F reads it (each reader belongs to one
    thread's searcher, so the cache needs no lock)."""
    cached = _LENGTHS.setdefault(reader, {})
    if fieldname not in cached:
        every = range(reader.doc_count_all())
        # Whoosh answers None, not the default, for an empty field (a passage with no heading).
        lengths = (reader.doc_field_length(n, fieldname, 1) or 0 for n in every)
        cached[fieldname] = array("I", lengths)
    return cached[fieldname]


_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


class WriterCodec(W3Codec):
    """W3, except that a writer writing its postings gets each passage's field length from an
    array: block statistics need one length per posting, and W3 read each from the file (a
    sixth of a build's writer time in a profile)."""

    def new_segment(self, storage, indexname):
        # The segment names the plain codec, which is what reads it: no index depends on this.
        return W3Codec().new_segment(storage, indexname)

    def per_document_reader(self, storage, segment):
        return _LengthsInMemory(storage, segment)


class _LengthsInMemory(W3PerDocReader):
    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._lengths: dict[str, object] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        if fieldname not in self._lengths:
            column = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._lengths[fieldname] = column.load() if column is not None else None
        lengths = self._lengths[fieldname]
        if lengths is None:
            return default
        return _LENGTH_OF_BYTE[lengths[docnum]] or None  # as W3 answers for an empty field
