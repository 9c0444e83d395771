"""The `digest-search` commands: exit statuses, summary lines, the JSON contract."""

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from tests.harness import CLI, FIXTURES, RESULT_FIELDS, ROOT, SEARCH_FIELDS
from webapp.cli import cli


@pytest.fixture
def runner():
    return CliRunner()


def test_index_prints_a_summary_and_exits_0(runner, corpus, tmp_path):
    result = runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(tmp_path / "i")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "added 2, updated 0, removed 0, unchanged 0, skipped 0, passages 43,"
    )


def test_index_names_skipped_files_and_exits_3(runner, corpus, tmp_path):
    shutil.copy(FIXTURES / "binary.txt", corpus / "binary.txt")
    result = runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(tmp_path / "i")])
    assert result.exit_code == 3
    assert "skipped 1," in result.output
    assert "skipped binary.txt: binary file" in result.output


def test_environment_variables_give_the_defaults(runner, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_SEARCH_CORPUS", str(corpus))
    monkeypatch.setenv("DIGEST_SEARCH_INDEX", str(tmp_path / "env-index"))
    assert runner.invoke(cli, ["index"]).exit_code == 0
    assert (tmp_path / "env-index" / "CURRENT").exists()


@pytest.mark.parametrize(
    "args", [["index", "--no-such-option"], ["index", "--corpus", "/no/such/folder"], ["search"]]
)
def test_usage_errors_exit_2(runner, args):
    assert runner.invoke(cli, args).exit_code == 2


def test_search_without_an_index_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(cli, ["search", "Geely", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "run `digest-search index` first" in result.output


def test_search_json_contract(runner, seed_index_dir):
    result = runner.invoke(cli, ["search", "SPbPU", "--index", str(seed_index_dir), "--json"])
    data = json.loads(result.output)
    assert set(data) == set(SEARCH_FIELDS)
    assert data["query"] == "SPbPU" and data["total"] == 2 and data["suggestion"] is None
    assert len(data["results"]) == 2
    for hit in data["results"]:
        assert set(hit) == RESULT_FIELDS
        assert hit["url"] == f"/doc/{hit['doc_id']}#{hit['passage_id']}"
        assert "<mark>SPbPU</mark>" in hit["snippet"]
    assert data["results"][0]["more_in_doc"] > 0


def test_limit_counts_digests_unless_passages(runner, seed_index_dir):
    args = ["search", "SPbPU", "--index", str(seed_index_dir), "--json", "--limit", "1"]
    grouped = json.loads(runner.invoke(cli, args).output)
    passages = json.loads(runner.invoke(cli, [*args, "--passages"]).output)
    assert grouped["total"] == 2 and len(grouped["results"]) == 1
    assert passages["total"] > 20 and len(passages["results"]) == 1
    assert passages["results"][0]["more_in_doc"] == 0


def test_json_lines_reads_queries_from_stdin(runner, seed_index_dir):
    result = runner.invoke(
        cli,
        ["search", "--json-lines", "--index", str(seed_index_dir), "--limit", "3"],
        input='Geely\n\nSINOPEC\n"unbalanced\n',
    )
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["query"] for line in lines] == ["Geely", "SINOPEC", '"unbalanced']
    assert lines[0]["results"][0]["doc_id"].endswith("china-route-rector-visit")
    assert lines[2]["total"] == 0


def test_bad_query_is_a_json_error(runner, seed_index_dir):
    result = runner.invoke(cli, ["search", "lang:xx", "--index", str(seed_index_dir), "--json"])
    assert json.loads(result.output)["error"]["code"] == "bad_query"


def test_the_installed_command_runs(seed_index_dir):
    done = subprocess.run(
        [*CLI, "search", "Xi'an", "--index", str(seed_index_dir)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "[Xi'an]" in done.stdout and "[Xi’an]" in done.stdout


def test_a_second_index_says_up_to_date(runner, corpus, tmp_path):
    args = ["index", "--corpus", str(corpus), "--index", str(tmp_path / "i")]
    runner.invoke(cli, args)
    again = runner.invoke(cli, args)
    assert again.exit_code == 0 and again.output.startswith("up to date: 2 digests, 43 passages")


def test_a_missing_corpus_names_the_folder_the_option_and_the_variable(runner, tmp_path):
    result = runner.invoke(cli, ["index", "--corpus", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert str(tmp_path / "nowhere") in result.output
    assert "--corpus" in result.output and "DIGEST_SEARCH_CORPUS" in result.output


def test_search_says_what_it_counts_and_gives_absolute_links(runner, seed_index_dir):
    result = runner.invoke(cli, ["search", "Geely", "--index", str(seed_index_dir),
                                 "--base-url", "https://search.example/"])  # fmt: skip
    first = result.output.splitlines()[0]
    assert first.startswith(("1 digest found", "2 digests found")), first
    assert "   https://search.example/doc/" in result.output
    passages = runner.invoke(cli, ["search", "Geely", "--passages", "--index", str(seed_index_dir)])
    assert " passages found" in passages.output.splitlines()[0]


def test_partners_lists_labelled_columns_with_first_and_last(runner, seed_index_dir):
    result = runner.invoke(cli, ["partners", "--index", str(seed_index_dir)])
    header, first = result.output.splitlines()[:2]
    assert header.split()[:4] == ["mentions", "digests", "first", "last"]
    assert len([w for w in first.split() if w[:2] == "20" and len(w) == 10]) == 2


def test_search_names_the_partner_it_searched_and_link_none_searches_words(runner, seed_index_dir):
    index = ["--index", str(seed_index_dir)]
    linked = runner.invoke(cli, ["search", "Университет Чжэцзян", *index])
    assert "Results for the partner Zhejiang University" in linked.output
    words = runner.invoke(
        cli, ["search", "Университет Чжэцзян", "--link", "none", "--json", *index]
    )
    assert json.loads(words.output)["partner"] is None


def test_export_of_a_partner_alone_holds_its_mentions(runner, seed_index_dir, tmp_path):
    index = ["--index", str(seed_index_dir)]
    partners = json.loads(runner.invoke(cli, ["partners", "--json", *index]).output)["partners"]
    zju = next(p for p in partners if p["slug"] == "zhejiang-university")
    out = tmp_path / "zju.csv"
    result = runner.invoke(cli, ["export", "--partner", "zhejiang-university", "--output",
                                 str(out), *index])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {zju['mentions']} passages to {out}.\n"
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("digest_id,") and len(lines) - 2 == zju["mentions"]
    missing = runner.invoke(cli, ["export", "--partner", "no-such-partner", *index])
    assert missing.exit_code == 2 and "There is no partner 'no-such-partner'." in missing.output
    bare = runner.invoke(cli, ["export", *index])
    assert bare.exit_code == 2 and "Give a QUERY, or --partner ID" in bare.output


def test_an_xlsx_export_refuses_a_terminal(seed_index_dir):
    import os
    import pty

    main, terminal = pty.openpty()
    done = subprocess.run([*CLI, "export", "Geely", "--format", "xlsx", "--index",
                           str(seed_index_dir)], stdout=terminal, stderr=subprocess.PIPE,
                          cwd=ROOT, text=True)  # fmt: skip
    os.close(terminal)
    os.close(main)
    assert done.returncode == 2
    assert "Error: An XLSX file is not for a terminal: give --output FILE." in done.stderr


def test_a_missing_index_is_said_once(runner, tmp_path):
    result = runner.invoke(cli, ["export", "Geely", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output.count("digest-search index") == 1
    assert result.output.startswith("Error: There is no index in ")


def test_a_search_that_finds_nothing_says_what_to_try(runner, seed_index_dir):
    result = runner.invoke(cli, ["search", '"Zhejiang Geely unclosed', "--index",
                                 str(seed_index_dir)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert 'Nothing was found for “"Zhejiang Geely unclosed”.' in result.output
    assert (
        "Search the words without the quotes: digest-search search 'Zhejiang Geely unclosed'"
        in result.output
    )
    assert "digest-search search 'Zhejiang OR Geely OR unclosed'" in result.output
