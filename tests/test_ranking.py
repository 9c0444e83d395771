"""BM25F as the index is searched: Lucene's idf, field lengths read once per segment."""

import shutil

import pytest
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage

from indexer.index.build import update_index
from indexer.index.store import current_generation
from indexer.search.compile import LuceneBM25F, weighting
from tests.harness import CORPUS


class DiskLengths(LuceneBM25F):
    """The same model with Whoosh's own scorer, which reads each length from disk."""

    def scorer(self, searcher, fieldname, text, qf=1):
        return scoring.BM25F.scorer(self, searcher, fieldname, text, qf)


@pytest.fixture(scope="module")
def two_segments(tmp_path_factory):
    """The seeds, then one more digest: an index of two segments."""
    corpus = tmp_path_factory.mktemp("ranking") / "corpus"
    shutil.copytree(CORPUS, corpus)
    update_index(corpus, corpus.parent / "index")
    (corpus / "extra.txt").write_text("Extra\n\nZhejiang and China, exhibitions again.\n", "utf-8")
    update_index(corpus, corpus.parent / "index")
    return FileStorage(str(current_generation(corpus.parent / "index"))).open_index()


CASES = [("content", "zhejiang"), ("content", "~univers"), ("heading", "exhibitions")]


@pytest.mark.parametrize(("field", "word"), CASES)
def test_lengths_read_once_score_as_whoosh_reads_them(two_segments, field, word):
    query = wq.Term(field, word)
    model = DiskLengths(B=0.6, K1=1.2)
    with (
        two_segments.searcher(weighting=weighting()) as ours,
        two_segments.searcher(weighting=model) as disk,
    ):
        expected = [(hit.docnum, round(hit.score, 9)) for hit in disk.search(query, limit=None)]
        found = [(hit.docnum, round(hit.score, 9)) for hit in ours.search(query, limit=None)]
        assert len(ours.reader().leaf_readers()) == 2
    assert expected and found == expected
