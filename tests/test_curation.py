"""Staff corrections to the partner directory: the file, the directory and the search follow
each one; two staff at once lose nothing; bad input is refused with its reason."""

import functools
import shutil
import tomllib

import pytest

from indexer import (
    Curated,
    CuratedEditor,
    CuratedError,
    EditError,
    History,
    PartnerRef,
    SearchIndex,
    suggestions,
    update_index,
)
from indexer.index import store
from indexer.partners.directory import read_directory
from tests.harness import CORPUS, at_once, upload, wait_until
from tests.harness.staff import Staff, sign_in_page
from tests.harness.writes import bearer

ZJU = PartnerRef("Zhejiang University", ("ZJU", "Чжэцзянский университет", "浙江大学"))


@pytest.fixture
def site(tmp_path):
    """A copy of the seed corpus with its index, and an editor of its partners.toml."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    update_index(tmp_path / "corpus", tmp_path / "index")
    return CuratedEditor(tmp_path / "corpus", tmp_path / "index", author="Anna")


def directory(editor: CuratedEditor) -> dict[str, dict]:
    partners = read_directory(store.current_generation(editor.index_dir))["partners"]
    return {p["name"]: p for p in partners}


def curated_text(editor: CuratedEditor) -> str:
    return editor.path.read_text(encoding="utf-8")


def test_a_new_name_is_kept_in_the_file_and_found_at_once(site):
    before = curated_text(site)
    site.add_name(ZJU, "Zheda")
    text = curated_text(site)
    assert text.startswith(before.split("\n[own]")[0])  # the comments and the order stay
    assert "Zheda" in directory(site)["Zhejiang University"]["names"]
    with SearchIndex(site.index_dir) as index:
        zheda = {h.passage_id for h in index.search("Zheda", passages=True, limit=50).hits}
        zju = {h.passage_id for h in index.search('"Zhejiang University"', passages=True,
                                                   limit=50).hits}  # fmt: skip
    assert zheda and zheda >= zju


def test_rename_merge_split_and_mark(site):
    site.rename(ZJU, "Zhejiang University (Zheda)")
    found = directory(site)
    assert "Zhejiang University" in found["Zhejiang University (Zheda)"]["names"]

    school = PartnerRef("School of Industry")
    site.merge(school, PartnerRef("Binzhou Polytechnic"))
    found = directory(site)
    assert "School of Industry" not in found
    assert "School of Industry" in found["Binzhou Polytechnic"]["names"]

    site.split(PartnerRef("Binzhou Polytechnic", ("School of Industry",)), "School of Industry")
    assert "School of Industry" in directory(site)

    site.mark(PartnerRef("Urban Agricultural Institute"), "own")
    site.mark(PartnerRef("School of Economics"), "ignore")
    found = directory(site)
    assert "Urban Agricultural Institute" not in found and "School of Economics" not in found
    curated = tomllib.loads(curated_text(site))
    assert "Urban Agricultural Institute" in curated["own"]["names"]
    assert "School of Economics" in curated["ignore"]["names"]


def test_merging_back_and_forth_leaves_one_partner(site):
    """A merge is not a pointer: merging A into B, then B into A, leaves one partner."""
    school, college = PartnerRef("School of Industry"), PartnerRef("Binzhou Polytechnic")
    site.merge(school, college)
    site.merge(PartnerRef("Binzhou Polytechnic", ("School of Industry",)), school)
    found = directory(site)
    merged = [p for p in found.values() if {"School of Industry", "BinZhou Polytechnic"}
              <= {p["name"], *p["names"]}]  # fmt: skip
    assert len(merged) == 1 and tomllib.loads(curated_text(site))


def test_a_split_name_stays_apart_although_the_text_defines_it(site):
    """ZTU is defined in the text as Zhejiang Technical University's acronym; split off, it
    stays a partner of its own."""
    ztu = directory(site)["Zhejiang Technical University"]
    site.split(PartnerRef(ztu["name"], tuple(ztu["names"])), "ZTU")
    found = directory(site)
    assert "ZTU" in found and "ZTU" not in found["Zhejiang Technical University"]["names"]


def test_undo_puts_back_the_last_change(site):
    before = curated_text(site)
    site.add_name(ZJU, "Zheda")
    site.undo()
    assert curated_text(site) == before
    assert "Zheda" not in directory(site)["Zhejiang University"]["names"]
    with pytest.raises(EditError, match="no change to undo"):
        site.undo()  # Anna's only change is undone


def test_a_dismissed_suggestion_is_not_suggested_again(site):
    partners = list(directory(site).values())
    first = suggestions(partners, Curated.load(site.corpus))[0]
    site.dismiss(first.one_name, first.other_name)
    again = suggestions(partners, Curated.load(site.corpus))
    assert (first.one, first.other) not in {(s.one, s.other) for s in again}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda e: e.merge(ZJU, PartnerRef("Zhejiang University")), "itself"),
        (lambda e: e.split(ZJU, "Zhejiang University"), "main name"),
        (lambda e: e.split(ZJU, "Tsinghua University"), "not one of"),
        (lambda e: e.add_name(ZJU, "   "), "empty"),
        (lambda e: e.add_name(ZJU, "x" * 501), "500"),
        (lambda e: e.mark(ZJU, "partner"), "marked"),
    ],
)
def test_impossible_corrections_are_refused_and_change_nothing(site, change, reason):
    before = curated_text(site)
    with pytest.raises(EditError, match=reason):
        change(site)
    assert curated_text(site) == before
    assert History(site.corpus).changes() == []


def test_a_broken_file_keeps_the_last_good_directory_and_names_the_line(site):
    site.add_name(ZJU, "Zheda")
    site.path.write_text(curated_text(site) + "\n[[partner]\nname = oops\n", encoding="utf-8")
    update_index(site.corpus, site.index_dir)
    kept = read_directory(store.current_generation(site.index_dir))
    assert "line" in kept["curated_error"]
    assert "Zheda" in {n for p in kept["partners"] for n in p["names"]}
    with pytest.raises(CuratedError, match="line"):
        site.add_name(ZJU, "Zhe Da")


@pytest.mark.parametrize(
    "broken, reason",
    [
        ("[own]\nnames = 5\n", "[own] names must be a list"),
        ('[[partner]]\nname = "X"\naliases = ["Y", 3]\n', "names in quotes"),
        ("partner = 1\n", "partner must be a list"),
        ("[review]\ndismissed = [[\"A\"]]\n", "pairs of names"),
    ],
)  # fmt: skip
def test_a_wrong_type_keeps_the_last_good_directory_and_says_what(site, broken, reason):
    site.add_name(ZJU, "Zheda")
    site.path.write_text(broken, encoding="utf-8")
    update_index(site.corpus, site.index_dir)
    kept = read_directory(store.current_generation(site.index_dir))
    assert reason in kept["curated_error"]
    assert "Zheda" in {n for p in kept["partners"] for n in p["names"]}
    with pytest.raises(CuratedError, match="correct the file first"):
        site.add_name(ZJU, "Zhe Da")
    assert site.path.read_text(encoding="utf-8") == broken  # a refused change writes nothing


def test_a_file_saved_in_cp1251_is_named_not_a_500(site):
    site.path.write_bytes('[[partner]]\nname = "Чжэцзянский университет"\n'.encode("cp1251"))
    update_index(site.corpus, site.index_dir)
    kept = read_directory(store.current_generation(site.index_dir))
    assert "not UTF-8" in kept["curated_error"]
    with pytest.raises(CuratedError, match="UTF-8"):
        site.add_name(ZJU, "Zhe Da")


def test_control_characters_never_reach_a_name(site):
    site.add_name(ZJU, "Zhe\x01da\uffff")
    assert "Zheda" in directory(site)["Zhejiang University"]["names"]
    assert "\\u0001" not in curated_text(site) and "\x01" not in curated_text(site)


def test_many_changes_at_once_lose_none(site):
    names = [f"Zhejiang alias {n}" for n in range(6)]
    at_once([functools.partial(site.add_name, ZJU, n) for n in names])
    assert set(names) <= set(directory(site)["Zhejiang University"]["names"])


def test_two_staff_saving_at_once_over_http_lose_nothing(staff_server):
    staff = [Staff(staff_server), Staff(staff_server)]
    replies = []

    def save(member: Staff, name: str) -> None:
        replies.append(member.post("/partners/zhejiang-university/names", name=name)[0])

    at_once([functools.partial(save, s, f"Zheda {n}") for n, s in enumerate(staff)])
    assert replies == [303, 303]
    curated = (staff_server.corpus / "partners.toml").read_text(encoding="utf-8")
    assert "Zheda 0" in curated and "Zheda 1" in curated
    _, partner = staff_server.json("/api/partners/zhejiang-university")
    assert {"Zheda 0", "Zheda 1"} <= set(partner["names"])
    assert staff_server.total("Zheda 1") >= staff_server.total('"Zhejiang University"') > 0


def test_markup_in_a_name_is_text_everywhere(staff_server):
    member = Staff(staff_server)
    member.post("/partners/zhejiang-university/names", name="<b>Zheda</b> <script>x()</script>")
    _, page = member.get("/partners/zhejiang-university")
    assert "<script>x()" not in page and "&lt;script&gt;x()" in page
    _, listing = member.get("/partners")
    assert "<b>Zheda" not in listing


def test_corrections_need_a_session_and_its_token(staff_server):
    status, _, _ = staff_server.request(
        "POST", "/partners/zhejiang-university/names", b"name=x",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert status == 401
    member = Staff(staff_server)
    member.csrf = "forged"
    assert member.post("/partners/zhejiang-university/names", name="x")[0] == 400


def test_an_upload_beside_a_wrongly_typed_file_is_indexed_once(staff_server):
    path = staff_server.corpus / "partners.toml"
    good = path.read_text(encoding="utf-8")
    try:
        path.write_text("[own]\nnames = 5\n", encoding="utf-8")
        text = "Geely and a typed wrong file\n1 March 2024\n\nGeely signed a wrong-type pact."
        status, _ = upload(staff_server, "wrong-type.txt", text.encode(), bearer())
        assert status == 201
        assert staff_server.total('"wrong-type pact"') == 1
        assert "[own] names" in staff_server.json("/api/health")[1]["partners_error"]
        assert Staff(staff_server).post("/partners/review/dismiss", one="A", other="B")[0] != 500
    finally:
        path.write_text(good, encoding="utf-8")
        update_index(staff_server.corpus, staff_server.index_dir)


def test_a_broken_file_is_named_on_the_page(staff_server):
    path = staff_server.corpus / "partners.toml"
    good = path.read_text(encoding="utf-8")
    try:
        path.write_text(good + "\n[[partner]\n", encoding="utf-8")
        member = Staff(staff_server)

        def shown() -> bool:
            return "cannot be read" in member.get("/partners/zhejiang-university")[1]

        wait_until(shown, what="the page naming the broken partners.toml")
        for listed in ("/partners", "/", "/search?q=Geely", "/partners/review"):
            assert "line" in member.get(listed)[1], listed
        assert "line" in staff_server.json("/api/health")[1]["partners_error"]
        status, reply, _ = member.post("/partners/zhejiang-university/names", name="Zhe")
        assert status == 303
        assert "correct the file first" in member.get(reply["Location"])[1]
    finally:
        path.write_text(good, encoding="utf-8")
        update_index(staff_server.corpus, staff_server.index_dir)


@pytest.mark.browser
def test_every_correction_in_the_browser(page, staff_server):
    """Sign in, then on partner pages: add a name, rename, merge (search as you type), split,
    mark, undo; on the review list, dismiss. Each checked in the file, the page and search."""
    url, curated = staff_server.url, staff_server.corpus / "partners.toml"
    page.goto(url + "/admin/login?next=/partners/tsinghua-university")
    sign_in_page(page)
    page.wait_for_url("**/partners/tsinghua-university")

    page.get_by_label("Another name (any script)").fill("Qinghua Daxue")
    page.get_by_role("button", name="Add", exact=True).click()
    assert "Qinghua Daxue" in page.locator(".names").inner_text()
    assert "Qinghua Daxue" in curated.read_text(encoding="utf-8")
    assert staff_server.total("Qinghua Daxue") == staff_server.total("Tsinghua") > 0

    page.get_by_label("Name", exact=True).fill("Tsinghua University (Beijing)")
    page.get_by_role("button", name="Rename").click()
    assert page.locator("h1").inner_text() == "Tsinghua University (Beijing)"

    page.goto(url + "/partners/school-of-industry")
    merge = page.get_by_label("Merge into")
    merge.press_sequentially("Binzhou Poly")
    page.locator("#merge-options option[value='BinZhou Polytechnic']").wait_for(state="attached")
    merge.fill("BinZhou Polytechnic")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Merge", exact=True).click()
    assert "School of Industry" in asked[0] and page.url.endswith("/partners/school-of-industry")
    page.once("dialog", lambda dialog: dialog.accept())  # a merge is confirmed first
    page.get_by_role("button", name="Merge", exact=True).click()
    page.wait_for_url("**/partners/binzhou-polytechnic")
    assert "School of Industry" in page.locator(".names").inner_text()

    page.get_by_label("Make a partner of its own").select_option("School of Industry")
    page.get_by_role("button", name="Split off").click()
    assert "is now a partner of its own" in page.locator(".notice").inner_text()
    assert (
        "School of Industry"
        not in staff_server.json("/api/partners/binzhou-polytechnic")[1]["names"]
    )
    assert staff_server.json("/api/partners/school-of-industry")[0] == 200

    page.goto(url + "/partners/urban-agricultural-institute")
    page.get_by_role("button", name="Our own unit").click()
    page.wait_for_url("**/partners")
    assert page.locator("#partners").get_by_text("Urban Agricultural Institute").count() == 0
    page.goto(url + "/partners/binzhou-polytechnic")
    page.get_by_role("button", name="Undo my last change").click()
    page.wait_for_url("**/partners/binzhou-polytechnic")
    assert staff_server.json("/api/partners/urban-agricultural-institute")[0] == 200

    page.goto(url + "/partners/school-of-economics")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Not an organisation").click()
    page.wait_for_url("**/partners")
    assert (
        "School of Economics"
        in tomllib.loads(curated.read_text(encoding="utf-8"))["ignore"]["names"]
    )
    assert staff_server.json("/api/partners/school-of-economics")[0] == 404

    page.goto(url + "/partners/review")
    accepted = page.locator("ol.suggestions > li").first
    one, other = accepted.locator("a").all_inner_texts()
    assert f"“{one}” remains" in accepted.locator(".remains").inner_text()
    colours = [accepted.get_by_role("button", name=name).evaluate(
        "button => getComputedStyle(button).backgroundColor") for name in
        ("Merge into the first", "Keep apart")]  # fmt: skip
    assert colours[0] != colours[1]  # merging and keeping apart never look the same
    page.once("dialog", lambda dialog: dialog.accept())
    accepted.get_by_role("button", name="Merge into the first").click()
    assert "Merged" in page.locator(".notice").inner_text()
    _, merged = staff_server.json("/api/partners")
    holding = [p for p in merged["partners"] if {one, other} <= {p["name"], *p["names"]}]
    assert len(holding) == 1  # the two are one partner now, in the directory and the file
    assert staff_server.total(f'"{other}"') >= 1

    first = page.locator("ol.suggestions > li").first
    pair = first.locator("a").all_inner_texts()
    first.get_by_role("button", name="Keep apart").click()
    assert "it will not be suggested again" in page.locator(".notice").inner_text()
    assert pair not in [li.locator("a").all_inner_texts()
                        for li in page.locator("ol.suggestions > li").all()]  # fmt: skip


def test_the_correction_panel_is_in_the_page_not_in_its_title(staff_server):
    """The panel was once included in the title block as well as in the page."""
    _, page = Staff(staff_server).get("/partners/zhejiang-university")
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "Zhejiang University · Digest search"
    assert page.count('class="curation"') == 1
