"""search, list --query, saved searches and filters through feeds.toml and the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from test_cli import OFFLINE_CONFIG, run

FOLDER_ARTICLES = {
    "budapest.md": "# Summit in Budapest\n\nLeaders meet in Budapest.\n\n"
    "## The Tomahawk Missile Debate\n\nKyiv asks for missiles.\n",
    "football.md": "# Football results\n\nThe match ended in a draw. Sponsored content.\n",
    "garden.md": "# Spring garden\n\nPlant tulips in autumn; kyiv gardens bloom.\n",
}


@pytest.fixture
def folder_config(isolated_home: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in FOLDER_ARTICLES.items():
        (folder / name).write_text(text, "utf-8")
    path = Path(os.environ["NEWSREADER_CONFIG"])
    path.write_text(
        OFFLINE_CONFIG
        + "# my notes on the folder\n"
        + f'[[stored]]\npath = "{folder}"\ntitle = "Notes"\n\n'
        + '[[search]]\nname = "Ukraine"\nquery = "kyiv OR ukraine"\n\n'
        + '[[filter]]\nquery = "sponsored"\naction = "hide"\n\n'
        + '[[filter]]\nquery = "title:garden"\naction = "star"\n',
        "utf-8",
    )
    return path


def test_refresh_applies_filters_to_new_articles_and_says_so(folder_config: Path) -> None:
    refreshed = run("refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    assert "1 hidden by filters" in refreshed.stdout
    assert "1 starred by filters" in refreshed.stdout
    titles = [a["title"] for a in json.loads(run("list", "--json").stdout)]
    assert "Football results" not in titles and "Summit in Budapest" in titles
    hidden = json.loads(run("search", "is:hidden", "--json").stdout)
    assert [h["title"] for h in hidden] == ["Football results"]
    starred = json.loads(run("list", "--starred", "--json").stdout)
    assert [a["title"] for a in starred] == ["Spring garden"]
    # The next refresh finds nothing new, so filters report nothing.
    again = run("refresh")
    assert "by filters" not in again.stdout


def test_filter_apply_changes_the_whole_cache(folder_config: Path) -> None:
    text = folder_config.read_text("utf-8")
    folder_config.write_text(text.replace("[[filter]]", "[[unused]]"), "utf-8")
    assert run("refresh").returncode == 2  # an unknown table is a config error
    folder_config.write_text(text.split("[[filter]]")[0], "utf-8")
    assert "by filters" not in run("refresh").stdout
    folder_config.write_text(text, "utf-8")
    listed = run("filter")
    assert listed.returncode == 0 and "hide   sponsored  (1 article visible)" in listed.stdout
    applied = run("filter", "--apply")
    assert applied.returncode == 0, applied.stderr
    assert "1 hidden by filters, 1 starred by filters" in applied.stdout
    assert "nothing changed" in run("filter", "--apply").stdout


def test_search_json_snippet_sort_and_list_query(folder_config: Path) -> None:
    assert run("refresh").returncode == 0
    hits = json.loads(run("search", '"tomahawk missile"', "--json").stdout)
    assert hits[0]["title"] == "Summit in Budapest"  # the heading, above the guide's mention
    assert "**Tomahawk Missile**" in hits[0]["snippet"]
    by_date = json.loads(run("search", "kyiv", "--sort", "date", "--json").stdout)
    assert {h["title"] for h in by_date} == {"Summit in Budapest", "Spring garden"}
    prefix = json.loads(run("search", "tuli*", "--json").stdout)
    assert [h["title"] for h in prefix] == ["Spring garden"]
    listed = json.loads(run("list", "--query", "kyiv -missiles", "--json").stdout)
    assert [a["title"] for a in listed] == ["Spring garden"]
    qualifiers = json.loads(run("search", "feed:notes is:starred", "--json").stdout)
    assert [a["title"] for a in qualifiers] == ["Spring garden"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("is:bogus", "is:bogus: expected one of"),
        ("since:whenever", "expected a date"),
        ("feed:", "feed: needs a value"),
    ],
)
def test_bad_query_is_one_line_and_non_zero(folder_config: Path, query: str, message: str) -> None:
    for args in (("search", query), ("list", "--query", query)):
        result = run(*args)
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and message in result.stderr
        assert "Traceback" not in result.stderr


def test_hostile_queries_never_trace(folder_config: Path) -> None:
    for query in ('"unbalanced', "((kyiv", "NEAR(", "kyiv OR", "- * ) ^", "x" * 100_000):
        result = run("search", query, "--json")
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr and "OperationalError" not in result.stderr


def test_saved_searches_listed_added_and_removed_with_comments_kept(folder_config: Path) -> None:
    assert run("refresh").returncode == 0
    listed = json.loads(run("searches", "--json").stdout)
    assert listed == [{"name": "Ukraine", "query": "kyiv OR ukraine", "unread": 2}]
    added = run("searches", "--add", "Stars", "is:starred")
    assert added.returncode == 0, added.stderr
    text = folder_config.read_text("utf-8")
    assert "# my notes on the folder" in text and 'name = "Stars"' in text
    bad = run("searches", "--add", "Broken", "is:nonsense")
    assert bad.returncode == 1 and "bad query" in bad.stderr
    duplicate = run("searches", "--add", "ukraine", "kyiv")
    assert duplicate.returncode == 1 and "already" in duplicate.stderr
    counts = {s["name"]: s["unread"] for s in json.loads(run("searches", "--json").stdout)}
    assert counts == {"Ukraine": 2, "Stars": 1}
    assert run("searches", "--remove", "STARS").returncode == 0
    assert 'name = "Stars"' not in folder_config.read_text("utf-8")
    assert "# my notes on the folder" in folder_config.read_text("utf-8")
    missing = run("searches", "--remove", "Nope")
    assert missing.returncode == 1 and "no saved search named" in missing.stderr
