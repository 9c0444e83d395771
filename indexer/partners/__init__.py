"""Partners: finding organisation names in digests, the directory of a generation (who is
mentioned where), the curated file `corpus/partners.toml` and staff corrections to it, merges to
review, and names at query time (aliases). `editing` (staff corrections) writes through the
index's builder, so `indexer` exports it, not this package (which the builder imports).
"""

from indexer.partners.aliases import SUMMARY_KEYS, PartnerNames
from indexer.partners.curated import Curated, CuratedError
from indexer.partners.directory import build_directory, read_directory
from indexer.partners.review import Suggestion, suggestions

__all__ = [
    "SUMMARY_KEYS",
    "Curated",
    "CuratedError",
    "PartnerNames",
    "Suggestion",
    "build_directory",
    "read_directory",
    "suggestions",
]
