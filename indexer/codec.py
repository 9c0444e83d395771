"""Whoosh's W3 codec as our writers use it: passage lengths read back from memory."""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

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
