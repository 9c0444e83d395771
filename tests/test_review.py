"""The review queue: only pairs with real evidence, best first, saying which name remains."""

from indexer.partners.curated import Curated
from indexer.partners.review import suggestions


def partner(name: str, mentions: int = 1, names=()) -> dict:
    slug = name.lower().replace(" ", "-")
    return {"slug": slug, "name": name, "names": list(names), "mentions": mentions}


TRUE_PAIRS = [
    (partner("ATURC", 2), partner("Association of Technical Universities of Russia and China")),
    (partner("Сианьский технологический университет"),
     partner("Xi'an Technological University", 5)),
    (partner("Tsinghua University", 9), partner("Tsingua University")),
]  # fmt: skip
FALSE_PAIRS = [
    (partner("Committee for Science and Higher Education of St. Petersburg"),
     partner("Committee on Foreign Relations of St. Petersburg")),
    (partner("Shanghai Transport University", names=["STU"]),
     partner("Association of Sino-Russian Technical Universities")),
    (partner("Shanghai University"), partner("Shanghai Maritime University")),
    (partner("Zhejiang University"), partner("Zhejiang Technical University")),
]  # fmt: skip


def test_only_pairs_with_evidence_best_first_each_saying_which_name_remains():
    partners = [p for pair in TRUE_PAIRS + FALSE_PAIRS for p in pair]
    found = suggestions(partners, Curated())
    assert [(s.one_name, s.other_name) for s in found] == [
        ("ATURC", "Association of Technical Universities of Russia and China"),
        ("Xi'an Technological University", "Сианьский технологический университет"),
        ("Tsinghua University", "Tsingua University"),
    ]
    assert [s.keeps for s in found] == [
        "'ATURC' remains: more mentions (2 against 1)",
        "'Xi'an Technological University' remains: more mentions (5 against 1)",
        "'Tsinghua University' remains: more mentions (9 against 1)",
    ]
