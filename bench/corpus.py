"""Build the benchmark corpus from ../shared/data, and the benchmark queries.

BBC articles are copied as `.txt` (title line, blank-line paragraphs); the Russian articles are
written as `.jsonl` (their single-newline paragraphs become blank-line ones). `scale` repeats
the whole corpus under new ids.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
BBC = DATA / "bbc-news-fulltext" / "bbc"
RUSSIAN = DATA / "ru-news-rt-ng"
PARTNER_QUERIES = ["Zhejiang University", "Xi'an", "SINOPEC", "Geely", "ZTU", "Changxing",
                   "3+2", "CHN-RUS"]  # fmt: skip
QUERY_COUNT = 200
SEED = 20261121
_STOP = frozenset("a an the of in on to and or for with at by from is are was as it its".split())


def available() -> bool:
    return BBC.is_dir() and RUSSIAN.is_dir()


def build_corpus(target: Path, scale: int = 1) -> Path:
    """Write the corpus once into target (kept between runs); returns the folder."""
    done = target / ".complete"
    if done.exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for copy in range(scale):
        suffix = f"-{copy}" if copy else ""
        for path in sorted(BBC.glob("*/*.txt")):
            data = path.read_bytes()
            (target / f"bbc-{path.parent.name}-{path.stem}{suffix}.txt").write_bytes(data)
        for source in sorted(RUSSIAN.glob("*.jsonlines")):
            _write_russian(source, target / f"{source.stem}{suffix}.jsonl", suffix)
    done.touch()
    return target


def _write_russian(source: Path, target: Path, suffix: str) -> None:
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for number, line in enumerate(lines):
            record = json.loads(line)
            paragraphs = [p.strip() for p in record.get("content", "").split("\n") if p.strip()]
            out.write(json.dumps({
                "id": f"{source.stem}-{number}{suffix}", "title": record.get("title", ""),
                "text": "\n\n".join(paragraphs), "url": record.get("url"), "lang": "ru",
            }, ensure_ascii=False) + "\n")  # fmt: skip


def headlines() -> list[str]:
    titles = [
        p.read_text(encoding="latin-1").split("\n", 1)[0] for p in sorted(BBC.glob("*/*.txt"))
    ]
    for source in sorted(RUSSIAN.glob("*.jsonlines")):
        with open(source, encoding="utf-8") as lines:
            titles += [json.loads(line).get("title", "") for line in lines]
    return [t for t in titles if t.strip()]


def queries() -> list[str]:
    """200 one-to-three-word queries from the headlines (fixed seed), then the partner queries."""
    rng = random.Random(SEED)
    titles = headlines()
    drawn: list[str] = []
    while len(drawn) < QUERY_COUNT:
        words = [w.strip(".,:;!?\"'«»()") for w in rng.choice(titles).split()]
        words = [w for w in words if w and w.lower() not in _STOP]
        if words:
            size = min(rng.randint(1, 3), len(words))
            start = rng.randrange(len(words) - size + 1)
            drawn.append(" ".join(words[start : start + size]))
    return drawn + PARTNER_QUERIES
