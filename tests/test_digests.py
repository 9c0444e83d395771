"""Staff add, replace and delete digests: a file already indexed is refused with a link to
its digest (409) unless "replace" is chosen; a digest is replaced or deleted from its
document view, and the deletion undone; all over HTTP to a running server."""

import itertools
import re

import pytest

from tests.harness import upload
from tests.harness.staff import Staff, sign_in_page
from tests.harness.writes import bearer

VISIT = b"Hongqi visit\n\nThe Hongqi delegation came to the Polytechnic in May.\n"


def test_the_same_file_twice_is_refused_with_a_link_to_its_digest(staff_server):
    status, first = upload(staff_server, "hongqi.txt", VISIT, bearer())
    assert status == 201
    doc_id = first["digests"][0]["doc_id"]
    status, again = upload(staff_server, "hongqi copy.txt", VISIT, bearer())
    assert status == 409 and again["error"]["code"] == "duplicate"
    assert f"/doc/{doc_id}" in again["error"]["message"]
    assert staff_server.total("Hongqi") == 1  # listed once
    assert not (staff_server.corpus / "hongqi-copy.txt").exists()


def test_an_upload_page_duplicate_links_the_digest_in_russian(staff_server):
    anna = Staff(staff_server)
    anna.get("/admin/upload?ui=ru")
    data = b"Dongfeng visit\n\nDongfeng engineers met the Institute.\n"
    status, _, page = anna.send_file("/admin/upload", "dongfeng.txt", data)
    assert status == 201
    status, _, page = anna.send_file("/admin/upload", "dongfeng (1).txt", data)
    assert status == 409
    assert re.search(r'уже есть в поиске:\s*<a href="/doc/dongfeng">', page)
    assert staff_server.total("Dongfeng") == 1


def test_replace_makes_an_upload_the_new_version_of_its_digest(staff_server):
    anna = Staff(staff_server)
    status, _, _ = anna.send_file("/admin/upload", "chery.txt", b"Chery visit\n\nChery came.\n")
    assert status == 201
    newer = b"Chery visit\n\nChery and Omoda engineers came.\n"
    status, _, page = anna.send_file("/admin/upload", "chery.txt", newer, replace="1")
    assert status == 201, page
    assert staff_server.total("Omoda") == 1 and staff_server.total("Chery") == 1
    assert not (staff_server.corpus / "chery-2.txt").exists()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_digest_deleted_from_its_page_can_be_undone(staff_server, language):
    words = {
        "ru": (
            "Дайджест «Baic visit» удалён.",
            "Отменить удаление",
            "Дайджест «Baic visit» восстановлен.",
        ),
        "en": ("Deleted «Baic visit».", "Undo the deletion", "«Baic visit» is back."),
    }
    deleted, undo, back = words[language]
    text = f"Baic visit\n\nBaic{language} delegates came.\n".encode()
    status, made = upload(staff_server, f"baic {language}.txt", text, bearer())
    doc_id = made["digests"][0]["doc_id"]
    anna = Staff(staff_server)
    _, page = anna.get(f"/doc/{doc_id}?ui={language}")
    assert f'action="/admin/digests/{doc_id}/delete"' in page and "data-confirm=" in page
    status, reply, _ = anna.post(f"/admin/digests/{doc_id}/delete")
    assert status == 302 and staff_server.total(f"Baic{language}") == 0
    _, page = anna.get(reply["Location"])
    assert deleted in page and undo in page
    status, reply, _ = anna.post("/admin/digests/undo")
    assert status == 302 and reply["Location"].endswith(f"/doc/{doc_id}")
    _, page = anna.get(reply["Location"])
    assert back in page
    assert staff_server.total(f"Baic{language}") == 1
    status, reply, _ = anna.post("/admin/digests/undo")  # nothing left to undo
    _, page = anna.get(reply["Location"])
    assert ("Нет вашего удаления" if language == "ru" else "no deletion of yours") in page


def test_a_digest_is_replaced_from_its_page(staff_server):
    _, made = upload(staff_server, "gac.txt", b"GAC visit\n\nGAC came.\n", bearer())
    doc_id = made["digests"][0]["doc_id"]
    anna = Staff(staff_server)
    status, reply, _ = anna.send_file(f"/admin/digests/{doc_id}/replace", "any name.txt",
                                      b"GAC visit\n\nGAC and Aion came.\n")  # fmt: skip
    assert status == 302 and reply["Location"].endswith(f"/doc/{doc_id}")
    assert staff_server.total("Aion") == 1


def test_visitors_see_no_admin_links_and_staff_do(staff_server):
    _, _, body = staff_server.get("/")
    page = body.decode()
    assert "/admin/upload" not in page and "/partners/review" not in page
    assert 'href="/admin/login"' in page
    _, page = Staff(staff_server).get("/")
    assert "/admin/upload" in page and "/partners/review" in page and "/history" in page


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ru", "en"])
def test_delete_and_undo_in_a_browser(page, staff_server, language):
    name = f"byd-{language}"
    upload(staff_server, f"{name}.txt", f"BYD visit\n\nBYD{language} came.\n".encode(), bearer())
    page.goto(f"{staff_server.url}/admin/login?ui={language}&next=/doc/{name}")
    sign_in_page(page)
    page.wait_for_url(f"**/doc/{name}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role(
        "button", name={"ru": "Удалить дайджест", "en": "Delete this digest"}[language]
    ).click()
    page.wait_for_url(re.compile(r"/(search)?(\?.*)?$"))
    assert staff_server.total(f"BYD{language}") == 0
    page.get_by_role(
        "button", name={"ru": "Отменить удаление", "en": "Undo the deletion"}[language]
    ).click()
    page.wait_for_url(f"**/doc/{name}")
    assert staff_server.total(f"BYD{language}") == 1
    nav = page.locator("nav.site-nav a")
    boxes = [nav.nth(i).bounding_box() for i in range(nav.count())]
    assert len(boxes) >= 4 and boxes[0]["y"] == boxes[1]["y"]  # one row on a desk
    assert all(
        b["x"] - (a["x"] + a["width"]) >= 8 or b["y"] > a["y"] for a, b in itertools.pairwise(boxes)
    )
