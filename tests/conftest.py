"""Shared fixtures: the seed corpus, a real index built from it, paths to shared data."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from indexer.build import update_index
from indexer.search import SearchIndex

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"
ZJU_DOC = "2023-06-06-china-route-rector-visit"
SHANGHAI_DOC = "2023-10-25-shanghai-office-spring-summer-2023"
CLI = [sys.executable, "-m", "webapp.cli"]


def shared_data(name: str) -> Path:
    """A folder of ../shared/data, or skip the test with a clear message."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: this test needs the shared evaluation data")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the seed corpus that a test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("*.toml"))
    return target


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    """A real index of the seed corpus, built once per test session."""
    index_dir = tmp_path_factory.mktemp("seed") / "index"
    update_index(CORPUS, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def seed_index(seed_index_dir: Path) -> SearchIndex:
    index = SearchIndex(seed_index_dir)
    yield index
    index.close()
