"""Publication dates in the forms digests state them."""

import pytest

from indexer.ingest.dates import find_publication_date, is_date_line, normalise_date, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Дата публикации: 2023.10.25", "2023-10-25"),
        ("6 June 2023 International activities 357", "2023-06-06"),
        ("June 6, 2023", "2023-06-06"),
        ("25 октября 2023 г.", "2023-10-25"),
        ("14.03.2024", "2024-03-14"),
        ("2024-02-30", None),
        ("no date here", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_labelled_line_wins_over_dates_in_text():
    lines = ["On May 30, 2023 the delegation arrived.", "Дата публикации: 2023.10.25"]
    assert find_publication_date(lines) == "2023-10-25"


def test_event_dates_in_sentences_are_not_metadata():
    assert not is_date_line("On the afternoon of May 30, 2023, a delegation from SPbPU visited")
    assert find_publication_date(["On the afternoon of May 30, 2023, a delegation came."]) is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [("2024-05-20T10:00:00+03:00", "2024-05-20"), ("5 June 2023", "2023-06-05"), (None, None)],
)
def test_normalise_metadata_dates(value, iso):
    assert normalise_date(value) == iso
