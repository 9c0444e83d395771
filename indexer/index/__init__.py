"""Building and keeping the index: analysis and schema, generations on disk with the one writer
lock, planning and writing a build, changes to the corpus folder, and watching it.

Every build is written aside into a new generation and switched to atomically; readers never
see a half-written index.
"""

from indexer.index.build import update_index
from indexer.index.corpus import (
    CorpusWriter,
    Duplicate,
    IdConflict,
    Removed,
    UnknownDigest,
    UnsupportedType,
    catch_up,
)
from indexer.index.manifest import Manifest
from indexer.index.plan import Summary, corpus_files
from indexer.index.store import (
    IndexBusy,
    NoIndex,
    current_generation,
    read_manifest,
    writer_lock,
)
from indexer.index.watch import CorpusWatcher

__all__ = [
    "CorpusWatcher",
    "CorpusWriter",
    "Duplicate",
    "IdConflict",
    "IndexBusy",
    "Manifest",
    "NoIndex",
    "Removed",
    "Summary",
    "UnknownDigest",
    "UnsupportedType",
    "catch_up",
    "corpus_files",
    "current_generation",
    "read_manifest",
    "update_index",
    "writer_lock",
]
