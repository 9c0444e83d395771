"""The directory on real digests: the 31 SPbPU news items against a gold list made by reading
them (tests/fixtures/spbpu_news_organizations.toml), and the seeds against theirs."""

import sys
import tomllib

from tests.harness import ROOT, shared_data

sys.path.insert(0, str(ROOT / "bench"))
import partners as quality


def test_real_news_recall_no_wrong_merge_few_non_partners(tmp_path):
    shared_data("spbpu-news")
    found = quality.spbpu_news_quality(tmp_path)
    assert found.recall >= 0.9, found.missing
    assert found.merges == []
    assert found.not_partner_share <= 1 / 20, found.not_partners


def test_seeds_hold_too(tmp_path):
    found = quality.seed_quality(tmp_path)
    assert found.recall >= 0.9, found.missing
    assert found.merges == []
    assert found.not_partner_share <= 1 / 20, found.not_partners


def test_no_curated_entry_was_written_for_the_real_news():
    """corpus/partners.toml's partners and ignored names may be what the seeds need, never a
    name only the news has (our own university's names and kinds of unit are facts about us)."""
    news = " ".join(p.read_text(encoding="utf-8") for p in shared_data("spbpu-news").glob("*.txt"))
    seeds = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "corpus").glob("*.txt"))
    curated = tomllib.loads((ROOT / "corpus" / "partners.toml").read_text(encoding="utf-8"))
    names = [n for e in curated["partner"] for n in [e["name"], *e.get("aliases", [])]]
    names += curated["ignore"]["names"]
    only_news = [n for n in names if n in news and n not in seeds]
    assert only_news == []
