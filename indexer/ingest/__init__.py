"""Reading digests: one reader per format turns a file into `Digest`s (typed blocks of text);
decoding, dates and language are found here, and `segment` cuts a digest into `Passage`s.

A new format is a reader class in `readers.py` with `extensions` and `read(path, doc_id)`.
"""

from indexer.ingest.digest import Block, Digest, DigestError, Skipped, record_id, slugify
from indexer.ingest.language import LANGUAGES, UNDETERMINED
from indexer.ingest.readers import MAX_FILE_BYTES, SUPPORTED, is_supported, read, source_name
from indexer.ingest.segment import HEADING_SEPARATOR, Passage, segment
from indexer.ingest.text import clean_line

__all__ = [
    "HEADING_SEPARATOR",
    "LANGUAGES",
    "MAX_FILE_BYTES",
    "SUPPORTED",
    "UNDETERMINED",
    "Block",
    "Digest",
    "DigestError",
    "Passage",
    "Skipped",
    "clean_line",
    "is_supported",
    "read",
    "record_id",
    "segment",
    "slugify",
    "source_name",
]
