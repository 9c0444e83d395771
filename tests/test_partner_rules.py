"""The rules that find organisations: what is a partner, what is ours, what is one name.

Each case is one a new user met on real SPbPU news (issue #17), written here in sentences of
our own in the same shape.
"""

from types import SimpleNamespace

import pytest

from indexer.partners.curated import Curated
from indexer.partners.english import abbreviates, find_definitions, find_introduced
from indexer.partners.names import Registry, find_names, partner_slug


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a person's name glued after the organisation's is cut off
        ("rector academician of the Russian Academy of Sciences Andrei RUDSKOI sent greetings",
         ["Russian Academy of Sciences"]),
        ("the Department of Theoretical Electrical Engineering A. G. Kalimov said",
         ["Department of Theoretical Electrical Engineering"]),
        ("Head of the Institute for Russia-China Strategic Cooperation of Tsinghua University and "
         "Director General of the HuaMan Innovation Park of Information Technology",
         ["Institute for Russia-China Strategic Cooperation", "Tsinghua University",
          "HuaMan Innovation Park of Information Technology"]),
        # a dash ends a name; a leading "For" is no part of one
        ("between the USSR and China — Leningrad Polytechnic Institute and Tsinghua University.",
         ["Leningrad Polytechnic Institute", "Tsinghua University"]),
        ("For Jiangsu Polytechnic University the visit was the first",
         ["Jiangsu Polytechnic University"]),
        # associations, networks, parks, bodies with "on", companies by their suffix
        ("member of the Association of Sino-Russian Technical Universities and the Belt&Road "
         "Science and Innovation Network.",
         ["Association of Sino-Russian Technical Universities",
          "Belt&Road Science and Innovation Network"]),
        ("between the Committee on Foreign Relations of St. Petersburg and the Office of Foreign "
         "Affairs of the People's Government of the city of Tangshan",
         ["Committee on Foreign Relations of St. Petersburg",
          "Office of Foreign Affairs of the People's Government of the city of Tangshan",
          "People's Government of the city of Tangshan"]),
        ("with our partner — Globus International Ltd. And now", ["Globus International Ltd."]),
        ("signed by the Hangzhou city government of Zhejiang province",
         ["Hangzhou city government"]),
        # "A and of B": two bodies, the connectors no part of either
        ("Teachers of Shanxi University and of Shaanxi Normal University joined",
         ["Shanxi University", "Shaanxi Normal University"]),
        # "A and B of the C": one body, with its owner beside it
        ("the Shanghai Institute of Photonics and Precision Mechanics of the Chinese Academy of "
         "Sciences, headed by",
         ["Shanghai Institute of Photonics and Precision Mechanics of the Chinese Academy of "
          "Sciences", "Chinese Academy of Sciences"]),
        # Russian: declined forms brought to the nominative
        ("Делегация посетила Чжэцзянский университет в Ханчжоу.", ["Чжэцзянский университет"]),
        ("открытие в Цзянсуском педагогическом университете (ЦПУ) состоялось",
         ["Цзянсуский педагогический университет"]),
        ("при поддержке Департамента науки и технологий провинции Цзянсу и города Сюйчжоу",
         ["Департамент науки и технологий провинции Цзянсу"]),
        ("делегацией муниципального правительства г. Тяньцзин Китайской Народной Республики",
         ["Муниципальное правительство г. Тяньцзин"]),
        ("председатель народного правительства района Уцин г. Тяньцзин Сюй Инъу",
         ["Народное правительство района Уцин"]),
        ("встретился с вице-президентом Университета Цинхуа Цзяном Пэйсюэ", ["Университет Цинхуа"]),
        ("переговоры с компанией «Мост дружбы» и корпорацией Huawei", ["Мост дружбы", "Huawei"]),
        # descriptions and pronouns name nobody
        ("Калининский район — это крупный промышленный центр Санкт-Петербурга.", []),
        ("университет и совместный институт провели встречу", []),
    ],
)  # fmt: skip
def test_find_names(text, names):
    assert find_names(text) == names


def test_companies_the_text_introduces():
    assert find_introduced("ties with Huawei (PRC). Presently, the company") == ["Huawei"]
    assert find_introduced("The organizer was «Friendship Bridge» company, a partner") == [
        "Friendship Bridge"
    ]
    assert find_introduced("within the framework of the ATURC network") == ["ATURC"]
    assert find_introduced("visited Hangzhou (China) and Xi'an (PRC)") == []  # places


def test_definitions_take_acronyms_never_places_or_rankings():
    assert find_definitions("the Kyrgyz-Russian Slavic University (KRSU) headed by") == [
        ("Kyrgyz-Russian Slavic University", "KRSU")
    ]
    assert find_definitions("the Shanghai Jiao Tong University (SJTU; PRC). The") == [
        ("Shanghai Jiao Tong University", "SJTU")
    ]
    text = ("Xi'an Jiaotong University (Xi'an), Zhejiang University (P.R.China), Tsinghua "
            "University (QS20) and Zhejiang University (Hangzhou)")  # fmt: skip
    assert find_definitions(text) == []
    assert abbreviates("ЦПУ", "Цзянсуский педагогический университет")
    assert not abbreviates("PRC", "Zhejiang University")


def registry(*docs: list[str], definitions=(), units=("Institute of …", "… Office")) -> Registry:
    """A registry over digests naming these organisations (no index needed)."""
    reg = Registry(Curated(units=units))
    for number, orgs in enumerate(docs):
        entry = SimpleNamespace(orgs=orgs, ours=[], theirs=[], forms={},
                                definitions=list(definitions) if number == 0 else [])  # fmt: skip
        reg.add(f"doc-{number}", entry)
    return reg


def partners(reg: Registry) -> dict[str, set[str]]:
    return {p.name: p.names for p in reg.partners()}


def test_merges_only_on_evidence():
    reg = registry(
        ["Tsinghua University", "China Tsinghua University", "Tsingua University"],
        ["Xi'an Jiaotong University", "Northwestern Polytechnical University"],
        ["Университет Цинхуа", "Russian Academy of Sciences Andrei RUDSKOI",
         "Russian Academy of Sciences"],
        definitions=[("Xi'an Jiaotong University", "Xi'an", "p1"),
                     ("Tsinghua University", "QS20", "p1")],
    )  # fmt: skip
    found = partners(reg)
    assert found["Tsinghua University"] == {
        "Tsinghua University", "Tsingua University", "Университет Цинхуа"
    }  # fmt: skip
    assert found["Xi'an Jiaotong University"] == {"Xi'an Jiaotong University"}
    assert found["Russian Academy of Sciences"] == {"Russian Academy of Sciences"}
    evidence = {e["how"] for p in reg.partners() for e in p.evidence}
    assert evidence == {"typo", "script"}


def test_our_own_units_events_and_places_are_not_partners():
    reg = registry([
        "Institute of Energy and Transport Systems", "SPbPU Representative Office",
        "Peter the Great St. Petersburg Polytechnic University", "Our University",
        "International Polytechnic Summer School", "China Education Expo",
        "Institute of Energy and Transport Systems Supports Educational Focus",
        "Shanghai Office", "Tangshan Experimental School", "Ocean University of China",
    ])  # fmt: skip
    assert set(partners(reg)) == {"Tangshan Experimental School", "Ocean University of China"}


def test_a_unit_with_another_owner_is_theirs():
    reg = registry(["Institute of Photonics and Precision Mechanics"])
    reg.theirs.add("instituteofphotonicsandprecisionmechanics")
    assert set(partners(reg)) == {"Institute of Photonics and Precision Mechanics"}


def test_slugs_for_every_script_are_readable_and_unique():
    assert partner_slug("浙江大学") == "zhejiangdaxue"
    assert partner_slug("Сианьский технологический университет").startswith("sianskii-")
    reg = registry(["浙江大学", "清华大学"], ["浙江 大学"])
    slugs = [p.slug for p in reg.partners()]
    assert len(set(slugs)) == len(slugs) and "digest" not in slugs


def registry_of(*texts: str, units=("Institute of …", "Department of …", "Институт …")):
    """A registry over digests of these texts, read by the directory's own candidate finder."""
    from indexer.index.manifest import DocEntry
    from indexer.partners.directory import Candidates

    reg = Registry(Curated(units=units))
    for number, text in enumerate(texts):
        candidates, entry = Candidates(), DocEntry("t", None, None, "s", "h")
        candidates.read(text, f"p{number}")
        candidates.fill(entry)
        reg.add(f"doc-{number}", entry)
    return reg


def test_a_unit_of_our_unit_is_ours_and_a_unit_of_a_partner_is_its_unit():
    reg = registry_of(
        "Head of the Department of High Voltage Engineering of the Institute of Energy met "
        "Professor Wang of the School of Marxism of Tsinghua University.",
        "Делегацию возглавил руководитель Института стратегического сотрудничества Россия-Китай "
        "Университета Цинхуа.",
    )
    found = {p.name: p for p in reg.partners()}
    assert set(found) == {"Tsinghua University"}
    assert found["Tsinghua University"].units == {
        "School of Marxism", "Институт стратегического сотрудничества Россия-Китай"
    }  # fmt: skip


def test_our_state_is_not_a_partner_and_an_office_of_a_government_is():
    reg = registry_of(
        "The agreement follows the instructions of the Government of Russia. We met the Office "
        "of Foreign Affairs of the People's Government of the city of Tangshan.",
        "Соглашение находится в контексте поручений Правительства России.",
    )
    assert "Office of Foreign Affairs of the People's Government of the city of Tangshan" in {
        p.name for p in reg.partners()
    }
    assert not {"Government of Russia", "Правительство России"} & {p.name for p in reg.partners()}


def test_a_unit_the_text_follows_with_our_name_is_ours():
    reg = registry_of(
        "a round table at the Supply Center for International Activity, SPbPU in order to "
        "discuss cooperation with Zhejiang University, SPbPU's partner."
    )
    assert {p.name for p in reg.partners()} == {"Zhejiang University"}


def test_russian_names_shaped_otherwise_are_found():
    reg = registry_of(
        "Даляньский политехнический университет и СПбПУ подписали соглашение.",
        "Ректор встретился с коллегами из Харбинского политехнического университета; в "
        "делегацию вошёл директор Института аспирантуры Цзиньпин НИ.",
    )
    assert {p.name for p in reg.partners()} == {
        "Даляньский политехнический университет", "Харбинский политехнический университет"
    }  # fmt: skip


def test_derived_and_translated_words_merge_distinct_words_never():
    reg = registry(
        ["Northwestern Polytechnic University", "Joint Polytechnic Institute"],
        ["Northwestern Polytechnical University", "Совместный политехнический институт"],
        ["Xi'an Jiaotong University", "Xi'an Technological University", "Research Institute"],
        ["Научно-исследовательский институт"],
    )
    found = partners(reg)
    assert len(found) == 4  # the two generic institutes name nobody
    assert {"Northwestern Polytechnic University", "Northwestern Polytechnical University"} in [
        set(names) for names in found.values()
    ]
    assert {"Joint Polytechnic Institute", "Совместный политехнический институт"} in [
        set(names) for names in found.values()
    ]


def test_a_russian_name_staff_give_is_looked_up_in_every_case():
    reg = Registry(Curated(partners=(("Harbin Polytechnic University",
                                      ("Харбинский политехнический университет",)),)))  # fmt: skip
    (harbin,) = reg.partners()
    assert {"Харбинского политехнического университета",
            "Харбинском политехническом университете"} <= harbin.searched  # fmt: skip
