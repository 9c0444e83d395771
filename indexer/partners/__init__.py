"""Partners: finding organisation names in digests, the directory of a generation (who is
mentioned where), the curated file `corpus/partners.toml`, and names at query time (aliases).
"""

from indexer.partners.aliases import SUMMARY_KEYS, PartnerNames
from indexer.partners.directory import build_directory, read_directory

__all__ = ["SUMMARY_KEYS", "PartnerNames", "build_directory", "read_directory"]
