"""digest-search as a library: read digests (`ingest`), index them (`index`), find partners
(`partners`) and search them (`search`). The CLI and the web app use only these names.
"""

from indexer.index import (
    CorpusWatcher,
    CorpusWriter,
    IdConflict,
    IndexBusy,
    Manifest,
    NoIndex,
    Summary,
    UnknownDigest,
    UnsupportedType,
    catch_up,
    current_generation,
    read_manifest,
    update_index,
)
from indexer.ingest import (
    HEADING_SEPARATOR,
    LANGUAGES,
    MAX_FILE_BYTES,
    SUPPORTED,
    DigestError,
    clean_line,
    read,
)
from indexer.partners import SUMMARY_KEYS, Curated, CuratedError, suggestions
from indexer.partners.editing import CuratedEditor, EditError, PartnerRef
from indexer.partners.history import Change, History
from indexer.search import (
    Highlighter,
    Looser,
    Marked,
    QueryError,
    SearchIndex,
    SearchResult,
    looser,
    parse,
    parse_date_bound,
)

__all__ = [
    "HEADING_SEPARATOR",
    "LANGUAGES",
    "MAX_FILE_BYTES",
    "SUMMARY_KEYS",
    "SUPPORTED",
    "Change",
    "CorpusWatcher",
    "CorpusWriter",
    "Curated",
    "CuratedEditor",
    "CuratedError",
    "DigestError",
    "EditError",
    "Highlighter",
    "History",
    "IdConflict",
    "IndexBusy",
    "Looser",
    "Manifest",
    "Marked",
    "NoIndex",
    "PartnerRef",
    "QueryError",
    "SearchIndex",
    "SearchResult",
    "Summary",
    "UnknownDigest",
    "UnsupportedType",
    "catch_up",
    "clean_line",
    "current_generation",
    "looser",
    "parse",
    "parse_date_bound",
    "read",
    "read_manifest",
    "suggestions",
    "update_index",
]
