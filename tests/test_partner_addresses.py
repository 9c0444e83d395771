"""A partner's address, once published, keeps working: a new spelling, a rename or a merge
answers 301 with the partner's current address, for pages, feeds, exports and the API."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.index.build import update_index
from tests.harness import LiveServer

ROUTES = ("/partners/{}", "/partners/{}.atom", "/partners/{}.csv", "/api/partners/{}")


def write(corpus: Path, name: str, text: str) -> None:
    (corpus / name).write_text(text, encoding="utf-8")


@pytest.fixture
def moving(tmp_path):
    """A corpus served live, that the test changes and reindexes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "a.txt", "Visit\n2023-01-10\n\nA delegation of Xi'an Technological University "
          "came. Shandong Transport University sent greetings.\n")  # fmt: skip
    write(corpus, "partners.toml", '[[partner]]\nname = "Harbin Polytechnic University"\n'
          '[[partner]]\nname = "HIT"\n')  # fmt: skip
    write(corpus, "b.txt", "Centennial\n2020-06-05\n\nHarbin Polytechnic University and HIT "
          "celebrated.\n")  # fmt: skip
    update_index(corpus, tmp_path / "index")
    server = LiveServer(corpus, tmp_path / "index", quiet=True)
    yield server
    server.stop()


def moved_to(server: LiveServer, old: str, new: str) -> None:
    for route in ROUTES:
        status, headers, _ = server.get(route.format(old) + "?lang=ru")
        assert status == 301, route
        assert headers["Location"].endswith(route.format(new) + "?lang=ru")
        assert server.get(route.format(new))[0] == 200


def test_a_new_spelling_keeps_the_old_address(moving):
    assert moving.get("/partners/xi-an-technological-university")[0] == 200
    for n in range(3):  # the curly apostrophe becomes the most written spelling
        write(moving.corpus, f"c{n}.txt", f"News {n}\n2024-0{n + 1}-01\n\nXi’an Technological "
              "University signed an agreement.\n")  # fmt: skip
    update_index(moving.corpus, moving.index_dir)
    moved_to(moving, "xi-an-technological-university", "xian-technological-university")


def test_a_rename_and_a_merge_keep_the_old_addresses(moving):
    write(moving.corpus, "partners.toml", '[[partner]]\nname = "Harbin Institute of Technology"\n'
          'aliases = ["Harbin Polytechnic University", "HIT"]\n')  # fmt: skip
    update_index(moving.corpus, moving.index_dir)
    moved_to(moving, "harbin-polytechnic-university", "harbin-institute-of-technology")
    moved_to(moving, "hit", "harbin-institute-of-technology")
    write(
        moving.corpus,
        "partners.toml",
        '[[partner]]\nname = "HIT Harbin"\n'
        'aliases = ["Harbin Polytechnic University", "HIT", "Harbin Institute of Technology"]\n',
    )
    update_index(moving.corpus, moving.index_dir, rebuild=True)  # a rebuild keeps them too
    for old in ("harbin-polytechnic-university", "hit", "harbin-institute-of-technology"):
        moved_to(moving, old, "hit-harbin")


def test_a_split_gives_the_split_off_name_its_own_address(moving):
    write(moving.corpus, "partners.toml", '[[partner]]\nname = "Harbin Polytechnic University"\n'
          'aliases = ["HIT"]\n')  # fmt: skip
    update_index(moving.corpus, moving.index_dir)
    moved_to(moving, "hit", "harbin-polytechnic-university")
    write(moving.corpus, "partners.toml", '[[partner]]\nname = "Harbin Polytechnic University"\n'
          '[[partner]]\nname = "HIT"\n')  # fmt: skip
    update_index(moving.corpus, moving.index_dir)
    assert moving.get("/partners/hit")[0] == 200
    assert moving.get("/partners/harbin-polytechnic-university")[0] == 200
    assert moving.get("/partners/no-such-partner")[0] == 404
