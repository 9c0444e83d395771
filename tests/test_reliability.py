"""Quick versions of the reliability runs (`python bench/soak.py` runs the long ones)."""

import pytest

from tests.harness import bounded, faults, reliability, writes


def test_the_markup_check_sees_what_a_digest_could_inject():
    page = ('<p>ok <mark>Zhejiang</mark></p><img src=x onerror="alert(1)">'
            '<a href=" javascript:alert(1)">x</a><script>alert(1)</script>'
            '<mark class="x">m</mark>')  # fmt: skip
    assert reliability.markup_problems(page) == [
        "<img> element", "<img onerror=…>", "<a href=' javascript:alert(1)'>",
        "a script that is not ours", "<mark> with attributes {'class': 'x'}",
    ]  # fmt: skip
    assert reliability.markup_problems('<script src="/static/app.js"></script><p>a</p>') == []


def test_hostile_files_are_skipped_or_indexed_safely(tmp_path):
    figures = reliability.hostile_files(tmp_path, count=520, quick=True)
    assert figures["skipped with a reason"] > 100 and figures["indexed"] > 300  # both outcomes
    assert figures["failures"] == []


def test_generated_queries_over_http_keep_the_documented_shape(live_server):
    figures = reliability.query_fuzz(live_server, examples=2000)
    assert figures["queries tried"] == 2000
    assert figures["failures"] == []


def test_searches_during_updates_all_come_from_one_complete_generation(tmp_path):
    figures = faults.load_with_updates(tmp_path, seconds=10, clients=8, digests=40)
    assert figures["index runs during the load"] >= 2
    assert figures["failures"] == []


def test_killed_indexers_lose_nothing(tmp_path):
    figures = faults.kills(tmp_path, count=5, digests=40)
    assert figures["failures"] == []


@pytest.mark.parametrize("tmpfs", [True, False], ids=["tmpfs-if-possible", "injected-enospc"])
def test_a_full_disk_keeps_the_previous_index(tmp_path, tmpfs):
    figures = faults.disk_full(tmp_path, tmpfs=tmpfs)
    if figures.get("skipped"):
        pytest.skip(f"a real full disk needs a tmpfs: {figures['full disk']} (run as root)")
    assert "No space left on device" in figures["message"]
    assert figures["failures"] == []


@pytest.mark.slow
def test_mixed_writes_from_eight_clients_lose_nothing(tmp_path):
    """Threads of one worker wrote at once: 25 of 100 uploads answered 500 and a passage was
    indexed twice; an export could take over a digest's id."""
    figures = writes.mixed_writes(tmp_path, clients=8, operations=100)
    assert figures["failures"] == []


@pytest.mark.slow
def test_slow_clients_do_not_starve_the_health_probe(live_server):
    """24 connections sending their headers a byte at a time held every gthread thread."""
    assert writes.slow_clients(live_server, connections=24)["failures"] == []


@pytest.mark.slow
def test_expensive_queries_at_once_leave_the_probe_answering(live_server):
    assert writes.expensive_queries(live_server, at_once=12)["failures"] == []


@pytest.mark.slow
def test_hostile_uploads_while_clients_search_keep_every_search_in_its_budget(tmp_path):
    """One upload made every search hang for minutes; a 14 KB PDF held the writer for minutes."""
    figures = bounded.hostile_uploads(tmp_path, clients=4)
    assert figures["failures"] == [], figures
