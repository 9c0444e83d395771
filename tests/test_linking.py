"""Linking queries to partners: every form of a partner's name, never a near miss."""

import pytest

from indexer.partners.curated import key
from indexer.partners.linking import PartnerLinker, identities, one_typo_apart, query_words


def partner(name: str, *names: str) -> dict:
    return {
        "slug": name.lower().replace(" ", "-").replace("'", ""),
        "name": name,
        "names": list(names),
    }


DIRECTORY = [
    partner("Zhejiang University", "浙江大学"),
    partner("Xi'an Jiaotong University", "西安交通大学"),
    partner("Xi'an University of Technology", "西安理工大学"),
    partner("Xi'an Technological University"),
    partner("Shanghai University", "上海大学"),
    partner("Shanghai Maritime University"),
    partner("Shanghai Jiao Tong University"),
    partner("Qingdao University of Science and Technology"),
    partner("Qingdao Hengxing University of Science and Technology"),
    partner("Harbin Institute of Technology", "HIT", "Харбинский политехнический университет"),
    partner("Tsinghua University", "清华大学"),
    partner("Peking University"),
    partner("Jiangsu Normal University"),
    partner("Northwestern Polytechnical University"),
    partner("Ocean University of China"),
    partner("SINOPEC", "China Petrochemical Corporation"),
    partner("Geely", "吉利"),
    partner("Huawei"),
    partner("Shanxi University"),
    partner("Shaanxi Normal University"),
    partner("Moscow Technical University"),
]


def linker_of(partners: list[dict]) -> PartnerLinker:
    names = {key(n): p for p in reversed(partners) for n in [p["name"], *p["names"]]}
    return PartnerLinker(partners, names)


@pytest.fixture(scope="module")
def linker():
    return linker_of(DIRECTORY)


def linked(linker, q: str) -> list[str]:
    """The slugs of the partners the longest linked run names ([] when none)."""
    found = sorted(linker.links(query_words(q)), key=lambda link: link.start - link.end)
    return [p["slug"] for p in found[0].partners] if found else []


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        # Russian: Palladius declined, translated organisation words, Russian word order.
        ("Чжэцзянский университет", "zhejiang-university"),
        ("Университет Чжэцзян", "zhejiang-university"),
        ("Чжэцзянского университета", "zhejiang-university"),
        ("Сианьский университет Цзяотун", "xian-jiaotong-university"),
        ("Сианьский транспортный университет", "xian-jiaotong-university"),
        ("Шанхайский морской университет", "shanghai-maritime-university"),
        ("Шанхайского университета", "shanghai-university"),
        ("Шанхайский университет Цзяотун", "shanghai-jiao-tong-university"),
        ("Циндаоский университет науки и технологии",
         "qingdao-university-of-science-and-technology"),
        ("Харбинского политехнического университета", "harbin-institute-of-technology"),
        ("Университет Цинхуа", "tsinghua-university"),
        ("Пекинский университет", "peking-university"),
        ("Цзянсуский педагогический университет", "jiangsu-normal-university"),
        ("Северо-Западный политехнический университет", "northwestern-polytechnical-university"),
        ("Океанский университет Китая", "ocean-university-of-china"),
        ("Шаньсийский университет", "shanxi-university"),
        ("Шэньсийский педагогический университет", "shaanxi-normal-university"),
        ("Синопек", "sinopec"),
        ("Хуавэй", "huawei"),
        ("Хуавей", "huawei"),
        ("Синопеком", "sinopec"),
        # Characters, read with their organisation words.
        ("浙江大学", "zhejiang-university"),
        ("西安交通大学", "xian-jiaotong-university"),
        ("西安理工大学", "xian-university-of-technology"),
        ("上海海事大学", "shanghai-maritime-university"),
        ("青岛科技大学", "qingdao-university-of-science-and-technology"),
        ("西北工业大学", "northwestern-polytechnical-university"),
        ("中国海洋大学", "ocean-university-of-china"),
        ("北京大学", "peking-university"),
        ("吉利", "geely"),
        ("江苏师范大学", "jiangsu-normal-university"),
        # Latin: spacing, apostrophes, older romanizations, abbreviations, a typo.
        ("Zhejiang Univ.", "zhejiang-university"),
        ("Zhejang University", "zhejiang-university"),
        ("Xian Jiaotong University", "xian-jiaotong-university"),
        ("Xi'an Jiao Tong Univ", "xian-jiaotong-university"),
        ("Shanghai Jiaotong University", "shanghai-jiao-tong-university"),
        ("Qinghua University", "tsinghua-university"),
        ("Beijing University", "peking-university"),
        ("Harbin Inst. of Tech.", "harbin-institute-of-technology"),
        ("Qingdao Univ. of Sci. and Tech.", "qingdao-university-of-science-and-technology"),
        ("Sinopec", "sinopec"),
        ("HIT", "harbin-institute-of-technology"),
        ("visit of the Zhejiang University delegation", "zhejiang-university"),
    ],
)  # fmt: skip
def test_every_form_of_a_name_links_its_partner(linker, query, slug):
    assert linked(linker, query) == [slug]


@pytest.mark.parametrize(
    "query",
    [
        "Zhejiang", "浙江", "University", "университет", "Университет науки и технологии",
        "Jiaotong University", "Qingdao University", "Technical University", "Shaanxi University",
        "Shanghai Transport", "Maritime University", "Институт", "school of marxism",
    ],
)  # fmt: skip
def test_a_place_or_organisation_words_alone_link_nothing(linker, query):
    assert linked(linker, query) == []


@pytest.mark.parametrize(
    ("query", "not_this"),
    [
        ("Xi'an Jiaotong University", "xian-university-of-technology"),
        ("Xi'an University of Technology", "xian-jiaotong-university"),
        ("Qingdao University of Science and Technology",
         "qingdao-hengxing-university-of-science-and-technology"),
        ("Qingdao Hengxing University of Science and Technology",
         "qingdao-university-of-science-and-technology"),
        ("Shanghai University", "shanghai-maritime-university"),
        ("Shanghai Maritime University", "shanghai-university"),
        ("Шанхайский университет", "shanghai-maritime-university"),
        ("Shanxi University", "shaanxi-normal-university"),
        ("Shaanxi Normal University", "shanxi-university"),
        ("Moscow Technical University", "harbin-institute-of-technology"),
        ("Shanghai Jiao Tong University", "xian-jiaotong-university"),
    ],
)  # fmt: skip
def test_partners_sharing_words_stay_apart(linker, query, not_this):
    slugs = linked(linker, query)
    assert slugs and not_this not in slugs


def test_a_query_that_names_either_of_two_partners_names_both(linker):
    # "Technology" and "Technological" are one concept: the directory holds both names.
    assert sorted(linked(linker, "Xian Univ. of Technology")) == [
        "xian-technological-university",
        "xian-university-of-technology",
    ]


def test_a_name_one_letter_off_is_met_only_outside_pinyin(linker):
    # Shanxi and Shaanxi are a letter apart and two provinces: no typo meets the other.
    assert linked(linker, "Shaanxi University") == []
    assert linked(linker, "Zhejang University") == ["zhejiang-university"]


def test_several_partners_in_one_query_are_linked_apart(linker):
    links = linker.links(query_words("Zhejiang University and Geely"))
    assert [(link.start, link.end, link.partner["slug"]) for link in links] == [
        (0, 2, "zhejiang-university"),
        (3, 4, "geely"),
    ]


def test_small_words_or_organisation_words_alone_have_no_identity():
    assert identities(query_words("of the and")) == ()
    assert identities(query_words("University")) == ()


def test_a_name_of_organisation_words_only_is_met_by_a_whole_query_only():
    linker = linker_of([partner("Технический университет"), partner("Russian Academy of Sciences")])
    assert linked(linker, "Сианьский технологический университет") == []
    assert linked(linker, "Российская академия наук") == ["russian-academy-of-sciences"]


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("zhejang", "zhejiang", True), ("sinopek", "sinopec", True),
        ("univeristy", "university", True), ("shanxi", "shaanxi", True), ("ab", "ba", True),
        ("abcd", "badc", False),
        ("abc", "abcde", False), ("kitten", "sitting", False), ("abcdef", "abcxyf", False),
    ],
)  # fmt: skip
def test_one_typo_apart_is_one_edit_or_one_swap(a, b, apart):
    assert one_typo_apart(a, b) is apart
    assert one_typo_apart(b, a) is apart
