"""Shared fixtures: the seed corpus, a real index built from it, paths to shared data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.index.build import update_index
from indexer.search.engine import SearchIndex
from tests.harness import CORPUS, FIXTURES, LiveServer, admin_server
from webapp import create_app


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the seed corpus that a test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    """A real index of the seed corpus, built once per test session."""
    index_dir = tmp_path_factory.mktemp("seed") / "index"
    update_index(CORPUS, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def web_corpus(tmp_path_factory) -> Path:
    """The seeds plus an HTML page with a source URL and a digest full of markup."""
    target = tmp_path_factory.mktemp("web") / "corpus"
    shutil.copytree(CORPUS, target)
    for name in ("page_with_nav_footer_scripts.html", "digest_with_markup.txt"):
        shutil.copy(FIXTURES / name, target / name)
    return target


@pytest.fixture(scope="session")
def web_index_dir(web_corpus: Path) -> Path:
    index_dir = web_corpus.parent / "index"
    update_index(web_corpus, index_dir)
    return index_dir


@pytest.fixture
def app(web_index_dir: Path):
    """The real app over a real index (Flask tutorial style)."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(web_index_dir)})
    yield app
    app.extensions["search_index"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(web_corpus: Path, tmp_path_factory):
    """One server for the session, building its own index on start like a new user's."""
    server = LiveServer(web_corpus, tmp_path_factory.mktemp("live") / "index")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory, request):
    """A server like `server` whose corpus and history belong to one test module alone."""
    server = admin_server(tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2]))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A server with uploads on (admin token) and the corpus watched."""
    server = admin_server(tmp_path_factory.mktemp("admin"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seed_index(seed_index_dir: Path) -> SearchIndex:
    index = SearchIndex(seed_index_dir)
    yield index
    index.close()


# A real headless Chromium (Debian's) for the browser tests.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: no background connections, no first-run or sync chatter.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run the README's test command (it installs it)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A desk-sized page that fails the test on any script error or console error."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    yield page
    context.close()
    assert not errors, errors
