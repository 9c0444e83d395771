"""Digests ranked as whole texts, fused with their best passage."""

from indexer.index.build import update_index
from indexer.search.digestrank import DigestLengths
from indexer.search.engine import SearchIndex
from tests.harness import SHANGHAI_DOC, ZJU_DOC

FILLER = "The delegation also discussed exchange programmes and joint laboratories with partners."


def write(corpus, name: str, paragraphs: list[str]) -> None:
    (corpus / f"{name}.txt").write_text(f"{name.title()}\n\n" + "\n\n".join(paragraphs), "utf-8")


def test_a_digest_about_a_partner_throughout_ranks_above_one_mention(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "throughout", [f"A visit to Harbin. {FILLER} {FILLER}"] * 3)
    write(corpus, "once", ["Harbin was mentioned.", FILLER, FILLER])
    update_index(corpus, tmp_path / "index")
    with SearchIndex(tmp_path / "index") as index:
        passages = index.search("Harbin", passages=True).hits
        digests = index.search("Harbin").hits
    assert passages[0].doc_id == "once"  # the shortest passage wins alone
    assert [hit.doc_id for hit in digests] == ["throughout", "once"]
    assert digests[0].more_in_doc == 2
    assert digests[0].score > digests[1].score


def test_digest_lengths_after_a_change_equal_a_rebuild(corpus, tmp_path):
    update_index(corpus, tmp_path / "updated")
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text("utf-8") + "\n\nOne more paragraph.\n", "utf-8")
    update_index(corpus, tmp_path / "updated")  # the old passages are deleted, not merged
    update_index(corpus, tmp_path / "rebuilt")

    def lengths(index_dir):
        with SearchIndex(index_dir) as index:
            reader = index.searcher().reader()
            counted = DigestLengths(reader)
            doc_ids = reader.column_reader("doc_id")
            owners = {counted.owner[n]: doc_ids[n] for n in reader.all_doc_ids()}
            return {owners[i]: length for i, length in enumerate(counted.lengths)}

    assert lengths(tmp_path / "updated") == lengths(tmp_path / "rebuilt")


def test_a_digest_naming_the_rare_word_ranks_above_many_common_ones(web_index_dir):
    # "Zhejiang" once (Geely's page) against "University" in thirteen passages (Shanghai).
    with SearchIndex(web_index_dir) as index:
        ranked = [hit.doc_id for hit in index.search("Zhejiang University").hits]
    assert ranked == [ZJU_DOC, "page-with-nav-footer-scripts", SHANGHAI_DOC]
