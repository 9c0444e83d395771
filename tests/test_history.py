"""The history of corrections: every change recorded with who, when, what and the file before;
undo takes back one person's own last change and refuses when someone else's later change, or a
hand edit, touched the same partner."""

import functools
import json
import shutil
import tomllib

import pytest

from indexer import CuratedEditor, EditError, History, PartnerRef, update_index
from indexer.index import store
from indexer.partners.directory import read_directory
from tests.harness import CORPUS, at_once
from tests.harness.staff import Staff, sign_in_page

ZJU = PartnerRef("Zhejiang University", ("ZJU", "Чжэцзянский университет", "浙江大学"))
TSINGHUA = PartnerRef("Tsinghua University")


@pytest.fixture
def corpus(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    update_index(tmp_path / "corpus", tmp_path / "index")
    return tmp_path / "corpus"


def person(corpus, name: str) -> CuratedEditor:
    return CuratedEditor(corpus, corpus.parent / "index", author=name)


def names_of(corpus, partner: str) -> list[str]:
    partners = read_directory(store.current_generation(corpus.parent / "index"))["partners"]
    return next(p["names"] for p in partners if p["name"] == partner)


def text(corpus) -> str:
    return (corpus / "partners.toml").read_text(encoding="utf-8")


def test_undo_takes_back_ones_own_change_not_the_last_one(corpus):
    """Undo was one global level: A adds, B adds, A undoes, and B's name was gone."""
    anna, boris = person(corpus, "Anna"), person(corpus, "Boris")
    anna.add_name(ZJU, "Zheda")
    boris.add_name(TSINGHUA, "Qinghua Daxue")
    anna.undo()
    assert "Zheda" not in names_of(corpus, "Zhejiang University")
    assert "Qinghua Daxue" in names_of(corpus, "Tsinghua University")
    with pytest.raises(EditError, match="no change to undo"):
        anna.undo()
    boris.undo()
    assert "Qinghua Daxue" not in names_of(corpus, "Tsinghua University")


def test_undo_refuses_when_someone_else_changed_the_partner_since(corpus):
    anna, boris = person(corpus, "Anna"), person(corpus, "Boris")
    anna.add_name(ZJU, "Zheda")
    boris.rename(ZJU, "Zhejiang University (Hangzhou)")
    before = text(corpus)
    with pytest.raises(EditError, match=r"Boris changed 'Zhejiang University' .*change 2"):
        anna.undo()
    assert text(corpus) == before  # refused: nothing written, nothing recorded
    assert len(History(corpus).changes()) == 2
    boris.undo()  # once Boris has taken his back, Anna's can go too
    anna.undo()
    assert "Zheda" not in names_of(corpus, "Zhejiang University")


def test_undo_refuses_when_a_hand_edit_touched_the_partner_and_keeps_other_hand_edits(corpus):
    anna = person(corpus, "Anna")
    anna.add_name(ZJU, "Zheda")
    path = corpus / "partners.toml"
    path.write_text(text(corpus).replace('"Zheda"', '"Zheda", "Zhe Da"'), encoding="utf-8")
    with pytest.raises(EditError, match="by hand"):
        anna.undo()
    path.write_text(text(corpus).replace(', "Zhe Da"', "") + "\n# a note by hand\n",
                    encoding="utf-8")  # fmt: skip
    anna.undo()
    assert "Zheda" not in text(corpus) and "# a note by hand" in text(corpus)


def test_every_change_is_recorded_with_who_when_what_and_the_file_before(corpus):
    anna, boris = person(corpus, "Anna"), person(corpus, "Boris")
    original = text(corpus)
    anna.add_name(ZJU, "Zheda")
    after_first = text(corpus)
    boris.mark(PartnerRef("Urban Agricultural Institute"), "own")
    anna.undo()
    history = History(corpus)
    first, second, third = history.changes()
    assert (first.author, first.action, first.subject, first.detail) == (
        "Anna", "add_name", "Zhejiang University", "Zheda")  # fmt: skip
    assert history.text(first.before) == original and history.text(first.after) == after_first
    assert second.author == "Boris" and "Urban Agricultural Institute" in second.names
    assert (third.action, third.undoes, third.author) == ("undo", 1, "Anna")
    assert third.at >= second.at >= first.at and first.at.endswith("+00:00")
    assert [c.number for c in history.about(["ZJU"])] == [3, 1]
    lines = (corpus / ".partners-history" / "changes.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["number"] for line in lines.splitlines()] == [1, 2, 3]


def test_undoing_two_changes_in_turn_gives_back_the_file(corpus):
    anna = person(corpus, "Anna")
    original = text(corpus)
    anna.rename(ZJU, "Zhejiang University (Hangzhou)")
    anna.add_name(PartnerRef("Zhejiang University (Hangzhou)"), "Zheda")
    anna.undo()
    anna.undo()
    assert text(corpus) == original


def test_a_renamed_entry_goes_back_in_place_with_others_changes_kept(corpus):
    anna, boris = person(corpus, "Anna"), person(corpus, "Boris")
    order = [p["name"] for p in tomllib.loads(text(corpus))["partner"]]
    anna.rename(ZJU, "Zhejiang University (Hangzhou)")
    boris.add_name(TSINGHUA, "Qinghua Daxue")
    anna.undo()
    entries = tomllib.loads(text(corpus))["partner"]
    assert [p["name"] for p in entries][: len(order)] == order
    assert "Qinghua Daxue" in text(corpus)


def test_a_line_cut_short_by_a_crash_is_left_out_and_the_next_appended(corpus):
    anna = person(corpus, "Anna")
    anna.add_name(ZJU, "Zheda")
    log = corpus / ".partners-history" / "changes.jsonl"
    with open(log, "a", encoding="utf-8") as handle:
        handle.write('{"number": 2, "at": "2026-')
    anna.add_name(ZJU, "Zhe Da")
    assert [c.detail for c in History(corpus).changes()] == ["Zheda", "Zhe Da"]


def test_changes_from_many_threads_are_all_recorded_once(corpus):
    people = [person(corpus, name) for name in ("Anna", "Boris", "Vera")]
    at_once(
        [
            functools.partial(p.add_name, ZJU, f"Zhejiang alias {n}")
            for n, p in enumerate(people * 2)
        ]
    )
    changes = History(corpus).changes()
    assert sorted(c.number for c in changes) == list(range(1, 7))
    assert {c.detail for c in changes} == {f"Zhejiang alias {n}" for n in range(6)}


def test_history_over_http_with_markup_escaped_and_the_file_before(staff_server):
    anna = Staff(staff_server, "Anna")
    anna.post("/partners/zhejiang-university/names", name="<b>Zheda</b>")
    status, _, body = staff_server.get("/partners/history")
    page = body.decode()
    assert status == 200 and "&lt;b&gt;Zheda&lt;/b&gt;" in page and "<b>Zheda" not in page
    _, data = staff_server.json("/api/partners/history")
    newest = data["changes"][0]
    assert (newest["author"], newest["action"]) == ("Anna", "add_name")
    assert newest["partner"]["slug"] == "zhejiang-university"
    status, _, body = staff_server.get(newest["before_url"])
    assert status == 200 and b"<b>Zheda</b>" not in body and b"[[partner]]" in body
    assert staff_server.get("/partners/history/9999/before.toml")[0] == 404
    partner = staff_server.get("/partners/zhejiang-university")[2].decode()
    assert "Corrections to this partner" in partner and "&lt;b&gt;Zheda" in partner


@pytest.mark.browser
def test_two_people_each_undo_their_own_change_in_the_browser(staff_server, browser):
    """Anna and Boris in two browsers: Anna's undo leaves Boris's change; when Boris has
    changed the partner Anna changed, her undo is refused with his name, and nothing moves."""
    url = staff_server.url
    pages = {}
    for name in ("Anna", "Boris"):
        pages[name] = browser.new_context().new_page()
        pages[name].goto(url + "/admin/login?next=/partners/tsinghua-university")
        sign_in_page(pages[name], name)
        pages[name].wait_for_url("**/partners/tsinghua-university")
    anna, boris = pages["Anna"], pages["Boris"]
    assert boris.get_by_role("button", name="Undo my last change").count() == 0  # none yet
    anna.get_by_label("Another name (any script)").fill("Qinghua Daxue")
    anna.get_by_role("button", name="Add", exact=True).click()
    boris.goto(url + "/partners/binzhou-polytechnic")
    boris.get_by_label("Another name (any script)").fill("Binzhou Zhiye Jishu Xueyuan")
    boris.get_by_role("button", name="Add", exact=True).click()

    anna.get_by_role("button", name="Undo my last change").click()
    assert "Your last change was undone" in anna.locator(".notice").inner_text()
    assert "Qinghua Daxue" not in staff_server.json("/api/partners/tsinghua-university")[1]["names"]
    boris.reload()
    assert "Binzhou Zhiye Jishu Xueyuan" in boris.locator(".names").inner_text()
    history = anna.locator("ol.changes").inner_text()
    assert "Anna" in history and "undone by" in history

    anna.goto(url + "/partners/binzhou-polytechnic")
    anna.get_by_label("Name", exact=True).fill("Binzhou Polytechnic College")
    anna.get_by_role("button", name="Rename").click()
    boris.goto(url + "/partners/binzhou-polytechnic-college")
    boris.get_by_role("button", name="Undo my last change").click()
    notice = boris.locator(".notice").inner_text()
    assert "Anna changed" in notice and "Ask Anna to undo it first" in notice
    assert boris.locator("h1").inner_text() == "Binzhou Polytechnic College"

    boris.goto(url + "/partners/history?ui=ru")
    assert "Исправления" in boris.locator("h1").inner_text()
    assert "переименовал(а)" in boris.locator("ol.changes").inner_text()
