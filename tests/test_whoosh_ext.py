"""The writers' codec: the same index as Whoosh's W3 writes, read by the plain codec."""

import pytest
from whoosh import index
from whoosh.codec.whoosh3 import W3Codec

from indexer.index import corpus_files
from indexer.index.build import _fields
from indexer.index.schema import build_schema
from indexer.ingest.readers import read
from indexer.ingest.segment import segment
from indexer.whoosh_ext import WriterCodec
from tests.harness import CORPUS


def write(index_dir, **options):
    """The seed passages, written in one segment by a writer with these options."""
    index_dir.mkdir()
    ix = index.create_in(str(index_dir), build_schema())
    with ix.writer(**options) as writer:
        for path in corpus_files(CORPUS):
            for digest in read(path, CORPUS):
                for passage in segment(digest):
                    writer.add_document(**_fields(digest, passage, "en", "hash"))
    return ix


def postings(ix):
    """Every posting with its block's length statistics, as a searcher reads them."""
    found = {}
    with ix.searcher() as searcher:
        (leaf, _), *_ = searcher.reader().leaf_readers()
        for field, text in leaf.all_terms():
            matcher = leaf.postings(field, text)
            while matcher.is_active():
                stats = (matcher.block_min_length(), matcher.block_max_length())
                found[field, text, matcher.id()] = (matcher.weight(), matcher.value(), stats)
                matcher.next()
    return found


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("codec")
    return write(folder / "plain"), write(folder / "ours", codec=WriterCodec())


def test_postings_and_block_lengths_equal_the_plain_codecs(both):
    plain, ours = both
    expected = postings(plain)
    assert len(expected) > 1000 and postings(ours) == expected


def test_segments_name_the_plain_codec(both):
    _, ours = both
    (found,) = ours._segments()
    assert type(found.codec()) is W3Codec
