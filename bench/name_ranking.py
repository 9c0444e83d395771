"""Does any name of a partner find that partner first? Queries by kind over the real news.

    python bench/name_ranking.py

Queries: bench/name_queries.toml, written from the partners' own names in every script (not
from the news): Russian (declined, translated), characters, Latin variants (spacing, older
romanizations, a typo) and abbreviations. A digest is relevant when it holds one of the
partner's names there, its words in order (stems, so any Russian case). Reported per kind, for
grouped results (one per digest): hit@1, recall@10, and how many queries were linked to a
partner. The news (../shared/data/spbpu-news/) is split by a fixed rule, the items in sorted
order alternately: the even ones were developed on, the odd ones held out and only measured.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from indexer import SearchIndex, update_index  # noqa: E402
from indexer.index.analysis import words  # noqa: E402

NEWS = ROOT.parent / "shared" / "data" / "spbpu-news"
QUERIES = Path(__file__).with_name("name_queries.toml")
KINDS = ("russian", "characters", "latin", "abbreviations")


def stems(text: str) -> list[str]:
    return [w.stem or w.exact for w in words(text)]


def holds(text: list[str], name: list[str]) -> bool:
    n = len(name)
    return any(text[i : i + n] == name for i in range(len(text) - n + 1))


def halves(folder: Path) -> dict[str, list[Path]]:
    """The written rule: sorted items, even positions developed on, odd ones held out."""
    items = sorted(p for p in folder.glob("*.txt") if p.name != "PROVENANCE.txt")
    return {"developed on": items[0::2], "held out": items[1::2], "all": items}


def measure(items: list[Path], work: Path) -> dict[str, dict]:
    """hit@1, recall@10 and links per kind of query over one index of these items."""
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    texts = {}
    for path in items:
        shutil.copy(path, corpus / path.name)
        texts[path.stem] = stems(path.read_text(encoding="utf-8"))
    shutil.copy(ROOT / "corpus" / "partners.toml", corpus / "partners.toml")
    update_index(corpus, work / "index")
    totals: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    with SearchIndex(work / "index") as index:
        for partner in tomllib.loads(QUERIES.read_text(encoding="utf-8"))["partner"]:
            names = [stems(name) for name in partner["names"]]
            relevant = {d for d, text in texts.items() if any(holds(text, n) for n in names)}
            if not relevant:
                continue  # the partner is not in these items
            for kind in KINDS:
                for q in partner[kind]:
                    result = index.search(q, limit=10)
                    ranked = [hit.doc_id for hit in result.hits]
                    score = totals[kind]
                    score["queries"] += 1
                    score["hit@1"] += bool(ranked) and ranked[0] in relevant
                    score["recall@10"] += len(relevant & set(ranked)) / min(len(relevant), 10)
                    score["linked"] += result.partner is not None
                    if not ranked or ranked[0] not in relevant:
                        score.setdefault("missed", []).append(q)
    return {kind: _averaged(totals[kind]) for kind in KINDS}


def _averaged(score: dict) -> dict:
    n = score["queries"] or 1
    shown = {"queries": int(score["queries"])}
    shown |= {k: round(score[k] / n, 3) for k in ("hit@1", "recall@10", "linked")}
    return shown | ({"missed": score["missed"]} if score.get("missed") else {})


def main() -> None:
    if not NEWS.is_dir():
        print(f"{NEWS} is absent: this benchmark needs the shared SPbPU news")
        return
    with tempfile.TemporaryDirectory() as tmp:
        for label, items in halves(NEWS).items():
            print(f"{label} ({len(items)} items)")
            for kind, score in measure(items, Path(tmp) / label.replace(" ", "-")).items():
                print(f"  {kind:14} {score}")


if __name__ == "__main__":
    main()
