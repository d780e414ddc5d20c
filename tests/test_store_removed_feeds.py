"""A removed (inactive) feed's articles stay cached but show nowhere; adding it back shows
them once, with their state."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from feed_server import rss
from newsreader.cli import main
from newsreader.model import FeedKind, NewArticle
from newsreader.store import ArticleFilter, Store

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
KEPT = "https://kept.example/feed"
GONE = "https://gone.example/feed"


def make(key: str, minutes: int) -> NewArticle:
    return NewArticle(
        key=key,
        title=f"Zebra {key}",
        published=T0 + timedelta(minutes=minutes),
        text=f"zebra crossing {key}",
    )


@pytest.fixture
def removed(store: Store) -> tuple[Store, int]:
    """Two feeds with three articles each, then the second removed from the config."""
    kept = store.ensure_feed(KEPT, "Kept", tags=["animals"])
    gone = store.ensure_feed(GONE, "Gone", tags=["animals"])
    store.upsert_articles(kept.id, [make(f"k{i}", i * 2) for i in range(3)])
    store.upsert_articles(gone.id, [make(f"g{i}", i * 2 + 1) for i in range(3)])
    store.set_starred([a.id for a in store.list_articles() if a.feed_id == gone.id][:1])
    store.deactivate_feeds_except([KEPT], FeedKind.FEED)
    return store, gone.id


def test_removed_feed_articles_show_in_no_list_count_or_search(
    removed: tuple[Store, int],
) -> None:
    store, gone = removed
    views = [
        ArticleFilter(),
        ArticleFilter(unread=True),
        ArticleFilter(starred=True),
        ArticleFilter(tag="animals"),
        ArticleFilter(feed_id=gone),
        ArticleFilter(feed_ids=(gone,)),
    ]
    for where in views:
        shown = [a.feed_id for a in store.list_articles(where)]
        assert gone not in shown, where
        assert gone not in [a.feed_id for a in store.page(where)], where
        assert store.count_articles(where) == len(shown), where
        assert len(store.view_keys(where)) == len(shown), where
        assert all(h.article.feed_id != gone for h in store.search('"zebra"', where))
        walked = store.neighbour_unread(where, None)
        assert walked is None or walked.feed_id != gone
    assert store.count_articles(ArticleFilter()) == 3
    assert len(store.search('"zebra"')) == 3
    assert [f.url for f in store.feeds()] == [KEPT]


def test_mark_all_read_leaves_removed_feed_articles_alone(removed: tuple[Store, int]) -> None:
    store, gone = removed
    marked = store.mark_all_read(ArticleFilter())
    assert len(marked) == 3
    store.ensure_feed(GONE, "Gone")
    assert store.count_articles(ArticleFilter(feed_id=gone, unread=True)) == 3


def test_readding_a_removed_feed_shows_its_articles_once_with_state(
    removed: tuple[Store, int],
) -> None:
    store, gone = removed
    again = store.ensure_feed(GONE, "Gone again")
    assert again.id == gone and again.active
    listed = store.list_articles()
    assert len(listed) == 6 and len({a.id for a in listed}) == 6
    assert sum(a.starred for a in listed if a.feed_id == gone) == 1
    assert store.count_articles() == 6


@pytest.fixture
def config(isolated_home: Path) -> Path:
    path = Path(os.environ["NEWSREADER_CONFIG"])
    path.write_text("[settings]\nrefresh_on_start = false\ntimeout = 0.5\n", "utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    status = main([*args, "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_cli_remove_hides_articles_and_add_brings_them_back_once(
    server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.expect_request("/a").respond_with_data(rss(2, title="Stays"))
    server.expect_request("/b").respond_with_data(rss(3, title="Leaves"))
    with config.open("a", encoding="utf-8") as out:
        for name in ("a", "b"):
            out.write(f'[[feeds]]\nurl = "{server.url_for("/" + name)}"\n\n')
    assert main(["refresh"]) == 0
    capsys.readouterr()
    before = [a for a in run_json(capsys, "list") if a["feed"] in ("Stays", "Leaves")]
    assert len(before) == 5

    assert main(["remove", "Leaves"]) == 0
    capsys.readouterr()
    after = run_json(capsys, "list")
    assert "Leaves" not in {a["feed"] for a in after}
    assert "Stays" in {a["feed"] for a in after}
    word = str(before[0]["title"]).split()[0]
    found = {h["feed"] for h in run_json(capsys, "search", word)}
    assert "Stays" in found and "Leaves" not in found

    assert main(["add", server.url_for("/b"), "--no-refresh"]) == 0
    capsys.readouterr()
    back = [a for a in run_json(capsys, "list") if a["feed"] == "Leaves"]
    assert len(back) == 3 and len({a["id"] for a in back}) == 3
