"""Do partners' names find those partners first? Name queries over real and seed digests.

    python bench/name_ranking.py

Queries: every name of two words or more in the gold lists (tests/fixtures/*_organizations.toml),
searched as typed over the corpus it was read from (../shared/data/spbpu-news/, the seeds).
A digest is relevant when its text holds the name, or another name the gold list gives the same
organisation, as a phrase (exact words in order; the Russian and the English name of a partner
are one). Reports,
for grouped results (one per digest, the top 10): hit@1, MRR@10, and inversions, the queries
where a digest that does not hold the name ranks above one that does.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from indexer import SearchIndex, update_index  # noqa: E402
from indexer.index.analysis import exact_forms  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
CORPORA = {
    "spbpu-news": (ROOT.parent / "shared" / "data" / "spbpu-news", "spbpu_news_organizations.toml"),
    "seeds": (ROOT / "corpus", "seed_organizations.toml"),
}


def holds(text: list[str], name: list[str]) -> bool:
    n = len(name)
    return any(text[i : i + n] == name for i in range(len(text) - n + 1))


def measure(folder: Path, gold_file: str, work: Path) -> dict:
    """hit@1, MRR@10 and inversions of the gold names over one corpus."""
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    texts = {}
    for path in sorted(folder.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
        texts[path.stem] = exact_forms(path.read_text(encoding="utf-8"))
    shutil.copy(ROOT / "corpus" / "partners.toml", corpus / "partners.toml")
    update_index(corpus, work / "index")
    gold = tomllib.loads((FIXTURES / gold_file).read_text(encoding="utf-8"))["org"]
    queries = {n: [org["name"], *org.get("aliases", [])] for org in gold
               for n in [org["name"], *org.get("aliases", [])] if len(n.split()) >= 2}  # fmt: skip
    first = inversions = 0
    reciprocal = 0.0
    asked = 0
    with SearchIndex(work / "index") as index:
        for name, same in sorted(queries.items()):
            if not any(holds(text, exact_forms(name)) for text in texts.values()):
                continue  # a name these texts never write
            relevant = {doc for doc, text in texts.items()
                        if any(holds(text, exact_forms(n)) for n in same)}  # fmt: skip
            if not relevant:
                continue
            asked += 1
            ranked = [hit.doc_id for hit in index.search(name, limit=10).hits]
            ranks = [i for i, doc in enumerate(ranked) if doc in relevant]
            first += bool(ranks and ranks[0] == 0)
            reciprocal += 1 / (ranks[0] + 1) if ranks else 0.0
            last_relevant = max(ranks, default=-1)
            inversions += any(doc not in relevant for doc in ranked[:last_relevant])
    return {"queries": asked, "hit@1": round(first / asked, 3),
            "MRR@10": round(reciprocal / asked, 3), "inversions": inversions}  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for label, (folder, gold) in CORPORA.items():
            if not folder.is_dir():
                print(f"{label}: {folder} is absent, skipped")
                continue
            print(label, measure(folder, gold, Path(tmp) / label))


if __name__ == "__main__":
    main()
