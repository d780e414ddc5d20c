"""The subscription commands, run in-process against a local server: refresh, add, remove, OPML."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from feed_server import conditional, rss
from newsreader.cli import main
from newsreader.sources.opml import parse_opml

CONFIG = """# My own notes about this file.
[settings]
refresh_on_start = false
timeout = 0.5  # short, for tests

# Subscriptions below.
"""


@pytest.fixture
def config(isolated_home: Path) -> Path:
    path = Path(os.environ["NEWSREADER_CONFIG"])
    path.write_text(CONFIG, "utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def feeds_json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    status, out, _ = run(capsys, "feeds", "--json")
    assert status == 0
    return [f for f in json.loads(out) if f["kind"] == "feed"]


def test_add_discovers_the_feed_of_a_page(
    server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = (
        "<!doctype html><html><head><title>Blog</title>"
        '<link rel="alternate" type="application/rss+xml" title="Posts" href="/posts.xml">'
        "</head><body>Hello</body></html>"
    )
    server.expect_request("/").respond_with_data(page, content_type="text/html")
    server.expect_request("/posts.xml").respond_with_handler(
        conditional(rss(3, title="Blog posts"))
    )
    status, out, err = run(capsys, "add", server.url_for("/"), "--tag", "blogs", "--tag", "friends")
    assert status == 0, err
    feed_url = server.url_for("/posts.xml")
    assert f"found the feed {feed_url}" in out
    text = config.read_text("utf-8")
    assert "# My own notes about this file." in text and "# short, for tests" in text
    assert feed_url in text and 'tags = ["blogs", "friends"]' in text
    assert 'title = "Blog posts"' in text
    [feed] = feeds_json(capsys)
    assert feed["url"] == feed_url and feed["total"] == 3 and feed["unread"] == 3
    assert feed["status"] == "ok" and feed["tags"] == ["blogs", "friends"]
    status, _, err = run(capsys, "add", feed_url)
    assert status == 1 and "already subscribed" in err


def test_add_tries_common_paths_and_reports_pages_without_feeds(
    server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.expect_request("/blog").respond_with_data("<html><body>no links</body></html>")
    server.expect_request("/feed").respond_with_data(rss(1, title="Found by path"))
    status, _, err = run(capsys, "add", server.url_for("/blog"))
    assert status == 0, err
    assert server.url_for("/feed") in config.read_text("utf-8")
    server.clear()
    server.expect_request("/nothing").respond_with_data("<html><body>none</body></html>")
    status, _, err = run(capsys, "add", server.url_for("/nothing"))
    assert status == 1 and "no feed found" in err


def test_refresh_reports_each_feed_and_names_failures(
    server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.expect_request("/good").respond_with_handler(conditional(rss(4, title="Good news")))
    server.expect_request("/bad").respond_with_data("nope", status=500)
    with config.open("a", encoding="utf-8") as out:
        out.write(f'[[feeds]]\nurl = "{server.url_for("/good")}"\n\n')
        out.write(f'[[feeds]]\nurl = "{server.url_for("/bad")}"\ntitle = "Broken"\n')
    status, out, err = run(capsys, "refresh")
    assert status == 1
    assert "ok           Good news: 4 new" in out
    assert "error        Broken: HTTP 500" in out
    assert "4 new, 0 updated, 0 unchanged, 1 failed" in out
    assert "failed: Broken" in err and server.url_for("/bad") in err
    broken = next(f for f in feeds_json(capsys) if f["title"] == "Broken")
    assert broken["status"] == "error" and "HTTP 500" in str(broken["error"])
    assert "next_fetch" in broken

    status, out, _ = run(capsys, "refresh", "--feed", "Good news")
    assert status == 0 and "not modified" in out and "Broken" not in out


def test_remove(server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server.expect_request("/a").respond_with_data(rss(2, title="Keep me"))
    server.expect_request("/b").respond_with_data(rss(2, title="Drop me"))
    with config.open("a", encoding="utf-8") as out:
        for name in ("a", "b"):
            out.write(f'[[feeds]]\nurl = "{server.url_for("/" + name)}"  # feed {name}\n\n')
    assert run(capsys, "refresh")[0] == 0
    status, out, err = run(capsys, "remove", "Drop me")
    assert status == 0, err
    text = config.read_text("utf-8")
    assert server.url_for("/b") not in text and "# feed a" in text
    assert [f["title"] for f in feeds_json(capsys)] == ["Keep me"]
    status, _, err = run(capsys, "remove", "no such feed")
    assert status == 1 and "no feed matches" in err


def test_opml_import_export_round_trip(
    shared_dir: Path, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = shared_dir / "corpus" / "opml" / "netnewswire_subscriptions_nested-folders.opml"
    status, out, err = run(capsys, "opml", "import", str(source))
    assert status == 0, err
    assert "imported 207 feed(s)" in out
    assert "# My own notes about this file." in config.read_text("utf-8")
    exported = tmp_path / "out.opml"
    assert run(capsys, "opml", "export", str(exported))[0] == 0
    before = {f.url: (f.title, f.tags) for f in parse_opml(source.read_bytes()).feeds}
    after = {f.url: (f.title, f.tags) for f in parse_opml(exported.read_bytes()).feeds}
    assert after == before
    status, out, _ = run(capsys, "opml", "import", str(source))
    assert "imported 0 feed(s)" in out and "207 already subscribed" in out


def test_opml_import_refuses_hostile_files(
    shared_dir: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = shared_dir / "corpus" / "malicious" / "rss20_billion-laughs_lol9.xml"
    status, _, err = run(capsys, "opml", "import", str(hostile))
    assert status == 1 and "entities" in err
    assert config.read_text("utf-8") == CONFIG


def test_add_without_refresh_works_offline(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "http://127.0.0.1:9/offline.xml"  # nothing listens on the discard port
    status, out, err = run(capsys, "add", url, "--no-refresh", "--tag", "later")
    assert status == 0, err
    assert "not fetched now" in out  # --no-refresh fetches nothing, not even to discover
    assert f'url = "{url}"' in config.read_text("utf-8")
    (feed,) = [f for f in feeds_json(capsys) if f["url"] == url]
    assert feed["status"] == "never fetched" and feed["total"] == 0
    status, _, err = run(capsys, "refresh")
    assert status == 1 and "offline.xml" in err
    status, _, err = run(capsys, "add", "http://127.0.0.1:9/other.xml")
    assert status == 1 and "cannot fetch" in err  # without --no-refresh nothing is added
    assert "other.xml" not in config.read_text("utf-8")


def test_remove_delete_reports_the_articles_it_deleted(
    server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.expect_request("/a").respond_with_data(rss(3, title="Doomed"))
    with config.open("a", encoding="utf-8") as out:
        out.write(f'[[feeds]]\nurl = "{server.url_for("/a")}"\n')
    assert run(capsys, "refresh")[0] == 0
    status, out, err = run(capsys, "remove", "Doomed", "--delete")
    assert status == 0, err
    assert out == "removed Doomed and its 3 cached articles\n"
    status, out, _ = run(capsys, "list", "--json")
    assert all(a["feed"] != "Doomed" for a in json.loads(out))


def test_opml_without_feeds_says_so_and_fails(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.opml"
    empty.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head>'
        '<body><outline text="Folder"/></body></opml>',
        "utf-8",
    )
    status, out, err = run(capsys, "opml", "import", str(empty))
    assert status == 1 and out == ""
    assert err == f"newsreader: error: {empty} held no feeds; nothing was imported\n"
    assert config.read_text("utf-8") == CONFIG


def test_opml_folders_are_named_by_their_text(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="Blogs" title="should be ignored">'
        '<outline text="A" xmlUrl="https://a.example/feed"/></outline></body></opml>',
        "utf-8",
    )
    assert run(capsys, "opml", "import", str(opml))[0] == 0
    assert 'tags = ["Blogs"]' in config.read_text("utf-8")


def test_add_without_refresh_fetches_nothing(
    server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.expect_request("/page").respond_with_data(rss(1, title="Never asked"))
    status, out, err = run(capsys, "add", server.url_for("/page"), "--no-refresh")
    assert status == 0, err
    assert server.log == []  # not even to discover a feed
    assert f'url = "{server.url_for("/page")}"' in config.read_text("utf-8")
    assert "not fetched now" in out


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed.xml", "unsupported URL scheme 'ftp:'"),
        ("gopher://example.org/", "unsupported URL scheme 'gopher:'"),
        ("http://", "not a usable URL: 'http://' (it needs a host name"),
        ("https://exa mple.org/feed", "not a usable URL"),
        ("http://example.org:99999/feed", "not a usable URL"),
    ],
)
def test_add_refuses_urls_it_cannot_fetch_in_its_own_words(
    config: Path, capsys: pytest.CaptureFixture[str], url: str, message: str
) -> None:
    for extra in ((), ("--no-refresh",)):
        status, out, err = run(capsys, "add", url, *extra)
        assert status == 1 and out == ""
        assert err.startswith("newsreader: error: ") and message in err, err
        assert err.count("\n") == 1 and "redirected" not in err
    assert config.read_text("utf-8") == CONFIG


def test_feed_names_stay_unique(
    server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        server.expect_request(f"/{name}").respond_with_data(rss(1, title="Hacker News"))
    status, out, err = run(capsys, "add", server.url_for("/a"))
    assert status == 0, err
    status, out, err = run(capsys, "add", server.url_for("/b"))
    assert status == 0, err
    assert (
        "another feed is already called 'Hacker News'; this one is named 'Hacker News (2)'" in out
    )
    assert sorted(f["title"] for f in feeds_json(capsys)) == ["Hacker News", "Hacker News (2)"]

    server.expect_request("/c").respond_with_data(rss(1, title="Other"))
    status, out, err = run(capsys, "add", server.url_for("/c"), "--title", "hacker news")
    assert status == 1 and out == ""
    assert "a feed is already called 'hacker news' (id" in err and "choose another --title" in err
    assert server.url_for("/c") not in config.read_text("utf-8")


def test_feed_titles_found_on_refresh_stay_unique(
    server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        server.expect_request(f"/{name}").respond_with_data(rss(1, title="Same Name"))
        assert run(capsys, "add", server.url_for(f"/{name}"), "--no-refresh")[0] == 0
    assert run(capsys, "refresh")[0] == 0
    assert sorted(f["title"] for f in feeds_json(capsys)) == ["Same Name", "Same Name (2)"]


def test_commands_taking_a_name_take_the_id_and_refuse_ambiguous_names(
    server: HTTPServer, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        server.expect_request(f"/{name}").respond_with_data(rss(2, title=f"Feed {name}"))
    with config.open("a", encoding="utf-8") as out:  # two names made equal by hand
        for name in ("a", "b"):
            out.write(f'[[feeds]]\nurl = "{server.url_for("/" + name)}"\ntitle = "Twin"\n\n')
    assert run(capsys, "refresh")[0] == 0
    ids = sorted(int(str(f["id"])) for f in feeds_json(capsys))
    for args in (("list", "--feed", "twin"), ("refresh", "--feed", "Twin"), ("remove", "Twin")):
        status, _, err = run(capsys, *args)
        assert status == 1
        assert f"'{args[-1]}' names 2 feeds: id {ids[0]} (" in err and f"id {ids[1]} (" in err
        assert "give the feed's id" in err
    status, out, _ = run(capsys, "list", "--feed", str(ids[1]), "--json")
    assert status == 0 and {a["feed_id"] for a in json.loads(out)} == {ids[1]}
    status, _, err = run(capsys, "list", "--feed", "nothing like it")
    assert status == 1 and "give a feed's id, URL or name" in err
    status, out, err = run(capsys, "remove", str(ids[0]))
    assert status == 0, err
    assert server.url_for("/a") not in config.read_text("utf-8")
