"""Staff accounts over HTTP and in a browser: each person signs in as themselves, sessions end
on the server, wrong guesses wait longer and longer."""

import re
import subprocess

import pytest

from tests.harness import CLI, ROOT, STAFF, admin_server, multipart, upload
from tests.harness.staff import Staff, sign_in_page
from webapp import accounts
from webapp.accounts import StaffStore


@pytest.fixture
def site(tmp_path):
    server = admin_server(tmp_path)
    yield server
    server.stop()


def uploads_with(member: Staff, name: str) -> int:
    body, content_type = multipart(name, b"Signed in\n\nJMEV came.\n", csrf_token=member.csrf)
    headers = {**content_type, **member._headers()}
    return member.server.request("POST", "/admin/upload", body, headers)[0]


def test_a_cookie_copied_before_sign_out_is_refused_after_it(site):
    """The session was a signed cookie with no record: a copy still uploaded for 8 hours."""
    anna = Staff(site)
    copied = dict(anna.cookies)
    assert uploads_with(anna, "before.txt") == 201
    assert anna.post("/admin/logout")[0] == 302
    anna.cookies = copied
    assert uploads_with(anna, "after.txt") == 401
    assert anna.get("/admin/upload")[0] == 302  # sent to sign in again


def test_a_password_change_or_removal_ends_every_session_at_once(site):
    anna, elsewhere, boris = Staff(site), Staff(site), Staff(site, "Boris")
    status, _, _ = anna.post("/admin/password", current=STAFF["Anna"], new="anna-new-password")
    assert status == 302
    anna.csrf = anna._csrf("/admin/upload")  # a new session: the next page's form token
    assert uploads_with(anna, "kept.txt") == 201  # the session that changed it goes on
    assert uploads_with(elsewhere, "ended.txt") == 401
    done = subprocess.run([*CLI, "users", "remove", "Boris", "--index", str(site.index_dir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert uploads_with(boris, "gone.txt") == 401
    with pytest.raises(AssertionError, match="403"):
        Staff(site, "Boris")


def test_users_add_sets_a_password_from_the_cli(tmp_path):
    command = [*CLI, "users", "add", "Вера", "--password-stdin", "--index", str(tmp_path / "i")]
    done = subprocess.run(command, input="vera-password-3\n", cwd=ROOT, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    store = StaffStore.beside(tmp_path / "i")
    assert store.names() == ["Вера"] and store.check("Вера", "vera-password-3")
    stored = store._run("SELECT hash FROM staff")[0][0]
    assert stored.startswith("scrypt$") and "vera-password-3" not in stored
    short = subprocess.run([*CLI, "users", "add", "Ivan", *command[-3:]], input="short\n", cwd=ROOT,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert short.returncode == 2 and "at least 10 characters" in short.stderr


def test_wrong_guesses_wait_longer_and_longer_with_retry_after(site):
    """300 wrong tokens went through in 0.8 s with no delay, lockout or Retry-After."""
    anna = Staff(site)
    anna.post("/admin/logout")
    anna.csrf = anna._csrf("/admin/login")
    answers = [anna.post("/admin/login", name="Anna", password=f"guess {n}")
               for n in range(accounts.FREE_FAILURES + 1)]  # fmt: skip
    assert [a[0] for a in answers] == [403] * accounts.FREE_FAILURES + [429]
    assert int(answers[-1][1]["Retry-After"]) >= 1
    status, _, page = anna.post("/admin/login", name="Anna", password=STAFF["Anna"])
    assert status == 429 and "try again in" in page  # the right password waits too
    guesses = [upload(site, "x.txt", b"x", {"Authorization": f"Bearer guess-{n}"})[0]
               for n in range(3)]  # fmt: skip
    assert guesses == [429] * 3  # the same address: its guesses wait as well
    log = site.log.read_text(encoding="utf-8")
    assert "Anna signed in" in log and "failed sign-in as 'Anna'" in log


def test_delays_double_up_to_a_bound():
    delays = [accounts.delay(n) for n in range(accounts.FREE_FAILURES + 12)]
    assert delays[: accounts.FREE_FAILURES] == [0.0] * accounts.FREE_FAILURES
    assert delays[accounts.FREE_FAILURES :][:4] == [1.0, 2.0, 4.0, 8.0]
    assert accounts.delay(1000) == accounts.MAX_DELAY


@pytest.mark.parametrize("target", ["/partners\r\nSet-Cookie: x=1", "//evil.example", "/\\evil"])
def test_sign_in_and_undo_stay_on_this_site(site, target):
    """CR/LF in `next` answered 500; back=//evil.example on the undo form went off-site."""
    anna = Staff(site)
    anna.post("/admin/logout")
    anna.csrf = anna._csrf("/admin/login")
    status, reply, _ = anna.post("/admin/login", name="Anna", password=STAFF["Anna"],
                                 next=target)  # fmt: skip
    assert status == 302 and reply["Location"] == "/admin/upload"
    anna.csrf = anna._csrf("/admin/upload")
    status, reply, _ = anna.post("/partners/undo", back=target)
    assert status == 303 and reply["Location"] == "/partners"


@pytest.mark.browser
def test_sign_in_sign_out_and_throttling_in_the_browser(page, site, browser):
    page.goto(site.url + "/admin/upload")
    sign_in_page(page)
    page.wait_for_url("**/admin/upload")
    assert "Signed in as Anna" in page.inner_text("main")
    copied = page.context.cookies()
    page.get_by_role("button", name="Sign out").click()
    later = browser.new_context()
    later.add_cookies(copied)  # the cookie from before sign-out, in another browser
    old = later.new_page()
    old.goto(site.url + "/admin/upload")
    assert "/admin/login" in old.url
    later.close()
    # Refused sign-ins log their 403 and 429 in the console: a context of its own.
    guessing = browser.new_context()
    guesser = guessing.new_page()
    guesser.goto(site.url + "/admin/login")
    for number in range(accounts.FREE_FAILURES + 1):
        sign_in_page(guesser, "Anna", f"wrong {number}")
    assert re.search(r"try again in \d+ s", guesser.inner_text("[role=alert]"))
    guessing.close()
