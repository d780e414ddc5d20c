"""Full text for summary-only feeds: deciding, fetching through a refresh, caching, the command."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feed_server import conditional
from fulltext_feeds import Entry, article_page, configure, summary_feed
from newsreader.cli import main
from newsreader.config import ConfigError, load_config
from newsreader.context import sync_sources
from newsreader.fulltext import fetch_full_text, fetch_full_text_async
from newsreader.fulltext_policy import is_teaser, needs_full_text, page_allowed
from newsreader.refresh import refresh
from newsreader.render import article_markdown
from newsreader.store import ArticleFilter, Store

LONG = " ".join(["Plenty of words in a complete entry."] * 20)  # 140 words
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def ids_by_title(store: Store) -> dict[str, int]:
    return {a.title: a.id for a in store.list_articles(ArticleFilter(), limit=1000)}


def page_row(store: Store, article_id: int) -> tuple[str, str, int, str] | None:
    """(status, error, attempts, entry_text) of an article's page record."""
    with store.database.transaction() as db:
        row = db.execute(
            "SELECT status, error, attempts, entry_text FROM full_texts WHERE article_id = ?",
            (article_id,),
        ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]), int(row[2]), str(row[3]))


def serve_page(server: HTTPServer, path: str, html: str, hits: list[str] | None = None) -> str:
    server.expect_request(path).respond_with_handler(
        conditional(html.encode(), "text/html; charset=utf-8", hits=hits)
    )
    return server.url_for(path)


# -- deciding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A council weighs a plan for the old depot.",
        LONG + " The vote comes next month […]",
        LONG + " and then the committee left the room…",
        LONG + " Read more",
        LONG + " Read more »",
        LONG + " Continue reading →",
        LONG + ' Continue reading "Council weighs depot plan"',
        LONG + " [...] The post Council weighs depot plan appeared first on Example News.",
    ],
)
def test_teasers_are_recognised(text: str) -> None:
    assert is_teaser(text)
    assert needs_full_text("auto", text)


@pytest.mark.parametrize(
    "text",
    [
        LONG,
        LONG + " We read more books than ever, they said.",
        LONG + " The council said it would continue reading the submissions until May.",
    ],
)
def test_whole_entries_are_not_teasers(text: str) -> None:
    assert not is_teaser(text)
    assert not needs_full_text("auto", text)


def test_modes_true_and_false_ignore_the_text() -> None:
    assert needs_full_text(True, LONG)
    assert not needs_full_text(False, "Short. Read more")


def test_config_full_text_values(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[feeds]]\nurl = "https://a.example/feed"\nfull_text = "auto"\n'
        '[[feeds]]\nurl = "https://b.example/feed"\nfull_text = true\n'
        '[[feeds]]\nurl = "https://c.example/feed"\nfull_text = false\n'
        '[[feeds]]\nurl = "https://d.example/feed"\n',
        "utf-8",
    )
    modes = [feed.full_text for feed in load_config(path).feeds]
    assert modes == ["auto", True, False, False]


def test_config_full_text_rejects_other_values(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('[[feeds]]\nurl = "https://a.example/feed"\nfull_text = "yes"\n', "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "full_text" in message and "line 3" in message and "auto" in message


# -- refresh ----------------------------------------------------------------------------------


async def test_refresh_fetches_pages_of_summaries_only(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    teaser_hits: list[str] = []
    whole_hits: list[str] = []
    teaser = serve_page(
        server, "/post/depot", article_page("Council weighs depot plan"), teaser_hits
    )
    whole = serve_page(server, "/post/whole", article_page("A whole entry"), whole_hits)
    entries = [
        Entry("depot", "Council weighs depot plan", teaser, "The council weighs a plan. Read more"),
        Entry("whole", "A whole entry", whole, LONG),
    ]
    feed = server.url_for("/feed.xml")
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed(entries), content_type="application/rss+xml"
    )
    config = configure(tmp_path, store, [(feed, "auto")])

    summary = await refresh(store, config)

    assert not summary.failures
    assert teaser_hits == ["200"] and whole_hits == []
    ids = ids_by_title(store)
    article = store.article(ids["Council weighs depot plan"])
    assert article is not None
    body = article_markdown(store, article)
    # The page's own structure comes through as Markdown.
    assert "## What the residents said" in body
    assert "### The numbers behind it" in body
    assert "- Parking near the school" in body
    assert "> We were never asked" in body
    assert "```\ntotal = sum(costs)  # 1.2 million\n```" in body
    assert f"![Chart of the costs]({server.url_for('/images/chart.png')})" in body
    # Its navigation, ads and comments do not.
    for junk in ("Leave a Reply", "Advertisement", "Weather", "casino", "Cookie settings"):
        assert junk not in body, junk
    # The entry's own text is kept, and the article's reading time and search use the page.
    assert article.summary == "The council weighs a plan. Read more"
    assert "The council weighs a plan" in article.content
    row = page_row(store, article.id)
    assert row is not None and row[0] == "ok" and row[3] == "The council weighs a plan. Read more"
    assert article.word_count > 150
    hits = store.search("consultation")
    assert [hit.article.id for hit in hits] == [article.id]
    # The whole entry was left as the feed sent it.
    other = store.article(ids["A whole entry"])
    assert other is not None and page_row(store, other.id) is None
    assert article_markdown(store, other).strip() == LONG


async def test_full_text_true_and_false(server: HTTPServer, store: Store, tmp_path: Path) -> None:
    hits: list[str] = []
    page = serve_page(server, "/post/a", article_page("Always"), hits)
    for name in ("always", "never", "unset"):
        body = summary_feed([Entry(name, f"Post {name}", page, LONG)], title=name)
        server.expect_request(f"/{name}.xml").respond_with_data(
            body, content_type="application/rss+xml"
        )
    config = configure(
        tmp_path,
        store,
        [
            (server.url_for("/always.xml"), True),
            (server.url_for("/never.xml"), False),
            (server.url_for("/unset.xml"), None),
        ],
    )
    await refresh(store, config)
    ids = ids_by_title(store)
    assert hits == ["200"]
    assert page_row(store, ids["Post always"]) is not None
    assert page_row(store, ids["Post never"]) is None
    assert page_row(store, ids["Post unset"]) is None


async def test_pages_are_cached_and_shown_again_after_the_entry_changes(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    hits: list[str] = []
    page = serve_page(server, "/post/depot", article_page("Council weighs depot plan"), hits)
    description = ["The council weighs a plan. Read more"]

    def feed_body() -> bytes:
        entry = Entry("depot", "Council weighs depot plan", page, description[0])
        return summary_feed([entry])

    server.expect_request("/feed.xml").respond_with_handler(conditional(feed_body))
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), "auto")])
    await refresh(store, config)
    assert hits == ["200"]
    article_id = ids_by_title(store)["Council weighs depot plan"]

    # The feed corrects its summary: the entry is stored again, and the page's text stays
    # shown without fetching the page again.
    description[0] = "The council weighs a revised plan. Read more"
    await refresh(store, config)
    assert hits == ["200"]
    article = store.article(article_id)
    assert article is not None
    assert article.summary == "The council weighs a revised plan. Read more"
    assert "## What the residents said" in article_markdown(store, article)
    row = page_row(store, article_id)
    assert row is not None and row[3] == "The council weighs a revised plan. Read more"

    # Asking again does not fetch again, unless forced; forced, it asks conditionally.
    assert (await fetch_full_text_async(store, config, article_id)).status == "cached"
    assert hits == ["200"]
    result = await fetch_full_text_async(store, config, article_id, force=True)
    assert result.status == "not modified" and result.words > 150
    assert hits == ["200", "304"]
    article = store.article(article_id)
    assert article is not None and "## What the residents said" in article_markdown(store, article)


async def test_failures_keep_the_summary_and_are_retried_a_few_times(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    missing = server.url_for("/post/missing")
    server.expect_request("/post/missing").respond_with_data("gone", status=404)
    pdf = server.url_for("/post/paper.pdf")
    server.expect_request("/post/paper.pdf").respond_with_data(
        b"%PDF-1.4", content_type="application/pdf"
    )
    entries = [
        Entry("missing", "Missing page", missing, "A page that is not there. Read more"),
        Entry("pdf", "A paper", pdf, "A paper in PDF. Read more"),
    ]
    counter = [0]

    def feed_body() -> bytes:
        counter[0] += 1  # a changing feed, so that every refresh stores it
        return summary_feed(entries, title=f"Summaries {counter[0]}")

    server.expect_request("/feed.xml").respond_with_handler(conditional(feed_body))
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), "auto")])
    for _ in range(4):
        await refresh(store, config)
    ids = ids_by_title(store)
    missing_row = page_row(store, ids["Missing page"])
    assert missing_row is not None
    assert missing_row[:3] == ("error", "HTTP 404 Not Found", 3)
    pdf_row = page_row(store, ids["A paper"])
    assert pdf_row is not None and pdf_row[0] == "error" and "not a web page" in pdf_row[1]
    article = store.article(ids["Missing page"])
    assert article is not None
    assert article_markdown(store, article).strip() == "A page that is not there. Read more"


def test_a_page_with_less_than_the_entry_keeps_the_entry(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    page = serve_page(
        server, "/post/stub", "<html><body><article><p>Just a stub.</p></article></body></html>"
    )
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed([Entry("stub", "Stub", page, LONG)]), content_type="application/rss+xml"
    )
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), False)])
    asyncio.run(refresh(store, config))
    article_id = ids_by_title(store)["Stub"]
    result = fetch_full_text(store, config, article_id)
    assert result.status == "short"
    article = store.article(article_id)
    assert article is not None and article_markdown(store, article).strip() == LONG


def test_a_forced_fetch_that_fails_keeps_the_text_fetched_before(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    html = [article_page("Council weighs depot plan")]

    def handler(request: Request) -> Response:
        if not html[0]:
            return Response("down", status=500)
        return Response(html[0], content_type="text/html")

    server.expect_request("/post/depot").respond_with_handler(handler)
    page = server.url_for("/post/depot")
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed([Entry("depot", "Depot", page, "Short. Read more")]),
        content_type="application/rss+xml",
    )
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), False)])
    asyncio.run(refresh(store, config))
    article_id = ids_by_title(store)["Depot"]
    assert fetch_full_text(store, config, article_id).status == "ok"
    html[0] = ""
    failed = fetch_full_text(store, config, article_id, force=True)
    assert failed.status == "error" and "500" in failed.error
    article = store.article(article_id)
    assert article is not None and "## What the residents said" in article_markdown(store, article)


def test_a_page_over_the_size_cap_is_refused(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    big = article_page("Huge", extra="<p>" + "padding " * 800_000 + "</p>")
    page = serve_page(server, "/post/huge", big)
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed([Entry("huge", "Huge", page, "Short. Read more")]),
        content_type="application/rss+xml",
    )
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), False)])
    asyncio.run(refresh(store, config))
    article_id = ids_by_title(store)["Huge"]
    result = fetch_full_text(store, config, article_id)
    assert result.status == "error" and "too large" in result.error
    article = store.article(article_id)
    assert article is not None and article_markdown(store, article).strip() == "Short. Read more"


async def test_pages_keep_to_the_per_host_limit(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    busy = [0, 0]  # now, most at once
    lock = threading.Lock()

    def slow(request: Request) -> Response:
        with lock:
            busy[0] += 1
            busy[1] = max(busy[1], busy[0])
        time.sleep(0.15)
        with lock:
            busy[0] -= 1
        return Response(article_page(request.path), content_type="text/html")

    server.expect_request(re.compile(r"^/post/\d+$")).respond_with_handler(slow)
    entries = [
        Entry(str(n), f"Post {n}", server.url_for(f"/post/{n}"), "Short. Read more")
        for n in range(12)
    ]
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed(entries), content_type="application/rss+xml"
    )
    path = tmp_path / "feeds.toml"
    path.write_text(
        "[settings]\nper_host = 2\nconcurrency = 8\n"
        f'[[feeds]]\nurl = "{server.url_for("/feed.xml")}"\nfull_text = "auto"\n',
        "utf-8",
    )
    config = load_config(path)
    sync_sources(store, config)
    await refresh(store, config)
    with store.database.transaction() as db:
        done = db.execute("SELECT count(*) FROM full_texts WHERE status = 'ok'").fetchone()[0]
    assert done == 12
    assert busy[1] == 2


async def test_hostile_pages_cannot_inject_escapes(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    hostile = article_page(
        "Escapes", extra="<p>Red \x1b[31malert\x1b[0m and [bold red]markup[/] and \x9b2J.</p>"
    )
    page = serve_page(server, "/post/escapes", hostile)
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed([Entry("esc", "Escapes", page, "Short. Read more")]),
        content_type="application/rss+xml",
    )
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), "auto")])
    await refresh(store, config)
    article = store.article(ids_by_title(store)["Escapes"])
    assert article is not None
    body = article_markdown(store, article)
    assert "alert" in body and not CONTROL.search(body)


# -- the command ------------------------------------------------------------------------------


def test_fetch_text_command(
    server: HTTPServer, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = serve_page(server, "/post/depot", article_page("Council weighs depot plan"))
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed([Entry("depot", "Depot", page, "Short. Read more")]),
        content_type="application/rss+xml",
    )
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), False)])
    asyncio.run(refresh(store, config))
    article_id = ids_by_title(store)["Depot"]
    assert store.path is not None
    args = ["--config", str(config.path), "--db", str(store.path)]

    assert main([*args, "fetch-text", str(article_id)]) == 0
    out = capsys.readouterr().out
    assert re.match(rf"{article_id}: full text fetched, \d+ words from {re.escape(page)}\n", out)
    words = re.search(r"(\d+) words", out)
    assert words is not None
    assert main([*args, "fetch-text", str(article_id)]) == 0
    again = capsys.readouterr().out
    assert "fetched before" in again and f"{words.group(1)} words" in again
    assert main([*args, "show", str(article_id)]) == 0
    assert "## What the residents said" in capsys.readouterr().out

    assert main([*args, "fetch-text", "99999"]) == 1
    assert "no article with id 99999" in capsys.readouterr().err


def test_the_migration_keeps_existing_articles(tmp_path: Path) -> None:
    from newsreader.store.schema import MIGRATIONS

    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("PRAGMA user_version = 1")
    db.execute("PRAGMA application_id = 1314018116")
    db.execute("INSERT INTO feeds (url, title) VALUES ('https://a.example/feed', 'A')")
    db.execute(
        "INSERT INTO articles (feed_id, key, title, published, first_seen) "
        "VALUES (1, 'k', 'Kept', 0, 0)"
    )
    db.commit()
    db.close()
    store = Store.open(path)
    try:
        assert [a.title for a in store.list_articles()] == ["Kept"]
        assert page_row(store, 1) is None
    finally:
        store.close()


def test_link_heavy_lists_of_the_article_are_kept_and_menus_are_not() -> None:
    from newsreader.ingest.html import extract_article

    changelog = (
        "<h4>Fission</h4><ul><li>Neil has patches up to "
        '<a href="https://bugs.example/1">improve the behaviour of the tab unloader</a>, and '
        '<a href="https://bugs.example/2">show UI when subframes crash</a></li>'
        '<li>Gijs <a href="https://bugs.example/3">fixed some flicker at start-up</a></li></ul>'
        '<ul><li><a href="/share/twitter">Share on Twitter</a></li>'
        '<li><a href="/share/facebook">Share on Facebook</a></li></ul>'
    )
    page = extract_article(article_page("Weekly notes", extra=changelog), "https://e.org/p")
    assert "- Neil has patches up to [improve the behaviour" in page.markdown
    assert "fixed some flicker at start-up" in page.markdown
    assert "Share on Twitter" not in page.markdown


@pytest.mark.parametrize(
    ("feed", "link", "allowed"),
    [
        ("https://news.example/feed", "https://news.example/story/1", True),
        ("https://news.example/feed", "http://192.168.1.1/admin", False),
        ("https://news.example/feed", "http://127.1:8080/", False),
        ("https://news.example/feed", "http://2130706433/", False),
        ("https://news.example/feed", "http://[::1]/", False),
        ("https://news.example/feed", "http://router.local/", False),
        ("https://news.example/feed", "http://localhost:631/", False),
        ("http://127.0.0.1:8000/feed", "http://127.0.0.1:8000/post", True),
        ("http://127.0.0.1:8000/feed", "https://news.example/story/1", True),
        ("file:///home/me/feed.xml", "http://10.0.0.5/wiki/page", True),
    ],
)
def test_public_feeds_cannot_send_the_reader_to_private_pages(
    feed: str, link: str, allowed: bool
) -> None:
    assert page_allowed(feed, link) is allowed


async def test_a_public_feeds_link_to_a_private_page_is_not_fetched(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    from newsreader.fulltext import FullTextJob
    from newsreader.sources.feeds import Fetcher
    from newsreader.store.fulltext import PageState

    hits: list[str] = []
    link = serve_page(server, "/admin", article_page("Router admin"), hits)
    config = configure(tmp_path, store, [])
    state = PageState(
        article_id=1,
        feed_id=1,
        link=link,
        feed_url="https://news.example/feed",
        entry_text="Short. Read more",
        entry_words=3,
    )
    async with Fetcher() as fetcher, FullTextJob(store, config, fetcher) as job:
        result = await job.fetch(state)
    assert result.status == "error" and "private" in result.error
    assert hits == []
