"""How well the partner directory holds on real digests: recall, wrong merges, non-partners.

    python bench/partners.py [--holdout]

Indexes ../shared/data/spbpu-news/ (31 real items) and the seed corpus, each with the shipped
corpus/partners.toml, and scores the directory against the gold lists in tests/fixtures/
(`spbpu_news_organizations.toml`, `seed_organizations.toml`). A found partner is right when one
of its names equals one of a gold organisation's names (after `key`); it merges two when its names
meet two gold organisations; a gold organisation is recalled when a partner carries one of its
names or units. Optional gold entries (units of partners, cut names) count neither way.

With --holdout, the news is also scored in the two halves of bench/name_ranking.py's written
rule (the items in sorted order alternately: even positions developed on, odd ones held out),
each half indexed alone and scored against the gold organisations its texts name.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from name_ranking import halves, holds, stems  # noqa: E402

from indexer.index import store  # noqa: E402
from indexer.index.build import update_index  # noqa: E402
from indexer.partners.directory import read_directory  # noqa: E402
from indexer.partners.names import CURATED_FILE, key  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SPBPU_NEWS = ROOT.parent / "shared" / "data" / "spbpu-news"


@dataclass(frozen=True)
class Quality:
    """The directory of one corpus scored against its gold list."""

    entries: int  # partners mentioned at least once
    recall: float
    missing: list[str]
    merges: list[str]  # entries whose names meet two gold organisations
    not_partners: list[str]  # entries that meet no gold organisation

    @property
    def not_partner_share(self) -> float:
        return len(self.not_partners) / max(self.entries, 1)


def gold_list(name: str) -> list[dict]:
    return tomllib.loads((FIXTURES / name).read_text(encoding="utf-8"))["org"]


def score(partners: list[dict], gold: list[dict]) -> Quality:
    """Score directory entries (name, names) against gold organisations (name, aliases)."""
    gold_keys = [{key(n) for n in [org["name"], *org.get("aliases", [])]} for org in gold]
    required = [i for i, org in enumerate(gold) if not org.get("optional")]
    recalled, merges, not_partners = set(), [], []
    for partner in partners:
        found = {key(n) for n in [partner["name"], *partner["names"]]}
        met = [i for i, g in enumerate(gold_keys) if found & g]
        units = {key(n) for n in partner.get("units", ())}  # found, as the partner's units
        recalled.update(met, (i for i, g in enumerate(gold_keys) if units & g))
        if len(met) > 1:
            merges.append(f"{partner['name']} = " + " + ".join(gold[i]["name"] for i in met))
        elif not met:
            not_partners.append(partner["name"])
    missing = [gold[i]["name"] for i in required if i not in recalled]
    recall = 1 - len(missing) / len(required)
    return Quality(len(partners), recall, missing, merges, not_partners)


def directory_of(texts: list[Path], work: Path, curated: Path | None) -> list[dict]:
    """Index these digest files with the curated file, and read back the directory."""
    corpus, index_dir = work / "corpus", work / "index"
    corpus.mkdir(parents=True)
    for path in texts:
        shutil.copy(path, corpus / path.name)
    if curated is not None:
        shutil.copy(curated, corpus / CURATED_FILE)
    update_index(corpus, index_dir)
    partners = read_directory(store.current_generation(index_dir))["partners"]
    return [p for p in partners if p["mentions"]]  # curated entries these texts never name


def spbpu_news_quality(work: Path, curated: Path | None = ROOT / "corpus" / CURATED_FILE,
                       texts: list[Path] | None = None) -> Quality:  # fmt: skip
    """The news directory scored; for some of the items, against the gold they name."""
    gold = gold_list("spbpu_news_organizations.toml")
    if texts is None:
        texts = halves(SPBPU_NEWS)["all"]
    else:
        gold = named_in(gold, texts)
    return score(directory_of(texts, work, curated), gold)


def named_in(gold: list[dict], texts: list[Path]) -> list[dict]:
    """The gold list for some texts: organisations none of them names (a name's words in
    order, any case) count neither way."""
    read = [stems(path.read_text(encoding="utf-8")) for path in texts]
    names = [[s for s in (stems(n) for n in [org["name"], *org.get("aliases", [])]) if s]
             for org in gold]  # fmt: skip
    named = [any(holds(text, form) for text in read for form in forms) for forms in names]
    return [org if hit else {**org, "optional": True} for org, hit in zip(gold, named, strict=True)]


def seed_quality(work: Path, curated: Path | None = ROOT / "corpus" / CURATED_FILE):
    texts = sorted((ROOT / "corpus").glob("*.txt"))
    return score(directory_of(texts, work, curated), gold_list("seed_organizations.toml"))


def _report(label: str, quality: Quality) -> None:
    print(f"\n## {label}: {quality.entries} entries, recall {quality.recall:.2f}, "
          f"{len(quality.merges)} wrong merges, not partners {len(quality.not_partners)} "
          f"({quality.not_partner_share:.1%})")  # fmt: skip
    for title, items in (("missing", quality.missing), ("merges", quality.merges),
                         ("not partners", quality.not_partners)):  # fmt: skip
        if items:
            print(f"- {title}: " + "; ".join(items))


def main() -> None:
    if not SPBPU_NEWS.is_dir():
        sys.exit(f"{SPBPU_NEWS} is absent: the real news items are needed for this benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        if "--holdout" in sys.argv[1:]:
            for half, texts in halves(SPBPU_NEWS).items():
                if half != "all":
                    quality = spbpu_news_quality(Path(tmp) / half, texts=texts)
                    _report(f"spbpu-news, {half} ({len(texts)} items)", quality)
        _report("spbpu-news", spbpu_news_quality(Path(tmp) / "news"))
        _report("seeds", seed_quality(Path(tmp) / "seeds"))


if __name__ == "__main__":
    main()
