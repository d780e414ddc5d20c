"""Whole refreshes against a real local server: corpus feeds, 304s, failures, state kept."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import newsreader.ingest.feed as feed_module
import newsreader.refresh as refresh_module
from feed_server import conditional, endless, rss, serve_corpus
from newsreader.config import Config, load_config
from newsreader.context import sync_sources
from newsreader.ingest.feed import parse_feed
from newsreader.refresh import FeedOutcome, backoff_delay, refresh
from newsreader.store import ArticleFilter, Store

SETTINGS = "[settings]\nrefresh_on_start = false\ntimeout = 0.5\n"


def configure(
    tmp_path: Path, store: Store, urls: list[str], extra: str = "", *, timeout: float = 0.5
) -> Config:
    # A short timeout keeps the slow-server tests quick; tests of other things may relax it.
    settings = SETTINGS.replace("timeout = 0.5", f"timeout = {timeout}")
    lines = [settings + extra, "# my subscriptions"]
    for url in urls:
        lines += ["[[feeds]]", f'url = "{url}"  # kept', ""]
    path = tmp_path / "feeds.toml"
    path.write_text("\n".join(lines), "utf-8")
    config = load_config(path)
    sync_sources(store, config)
    return config


def requests_to(server: HTTPServer, path: str) -> int:
    """Requests for ``path`` only: a slow response of an earlier test may still land in the log."""
    return sum(1 for request, _ in server.log if request.path == path)


def outcome_for(outcomes: list[FeedOutcome], store: Store, url: str) -> FeedOutcome:
    feed = store.feed_by_url(url)
    assert feed is not None
    return next(o for o in outcomes if o.feed_id == feed.id)


async def test_corpus_refresh_then_all_not_modified(
    shared_dir: Path, server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    folder = shared_dir / "corpus" / "feeds"
    urls = serve_corpus(server, folder)
    config = configure(tmp_path, store, list(urls.values()), timeout=10)
    progress: list[tuple[int, int]] = []
    summary = await refresh(store, config, on_progress=lambda o, d, t: progress.append((d, t)))
    assert [d for d, _ in progress] == list(range(1, len(urls) + 1))
    failed = {o.feed_id for o in summary.failures}
    for name, url in urls.items():
        parsed = parse_feed((folder / name).read_bytes(), url)
        outcome = outcome_for(summary.outcomes, store, url)
        feed = store.feed_by_url(url)
        assert feed is not None
        if parsed.error:
            assert outcome.status == "error" and feed.last_error == parsed.error
            continue
        assert outcome.status == "ok", (name, outcome)
        assert outcome.counts.new == len({a.key for a in parsed.articles})
        assert store.count_articles(ArticleFilter(feed_id=feed.id)) == outcome.counts.new
        assert feed.etag and feed.last_modified
    assert len(failed) == 2  # the truncated JSON Feed and the JSON that is not a feed

    second = await refresh(store, config)
    statuses = {o.status for o in second.outcomes if o.feed_id not in failed}
    assert statuses == {"not modified"}
    assert second.new == second.updated == 0


async def test_read_and_starred_state_survive_updates(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    version = {"prefix": "item"}
    server.expect_request("/feed").respond_with_handler(
        conditional(lambda: rss(3, prefix="item").replace(b"Body", version["prefix"].encode()))
    )
    url = server.url_for("/feed")
    config = configure(tmp_path, store, [url])
    await refresh(store, config)
    ids = [a.id for a in store.list_articles()]
    feed_ids = {a.id for a in store.list_articles() if a.feed_title == "Test feed"}
    store.set_read(feed_ids, read=True)
    store.set_starred(list(feed_ids)[:1], starred=True)
    version["prefix"] = "Changed body"
    summary = await refresh(store, config)
    assert summary.updated == 3 and summary.new == 0
    after = {a.id: a for a in store.list_articles()}
    assert set(ids) == set(after)
    assert all(after[i].read for i in feed_ids)
    assert sum(after[i].starred for i in feed_ids) == 1


async def test_failures_are_per_feed_and_keep_cached_articles(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    healthy = {"ok": True}
    slow_served = threading.Event()

    def flaky(request: Request) -> Response:
        if healthy["ok"]:
            return Response(rss(4, title="Flaky"), content_type="application/rss+xml")
        return Response("broken", status=500)

    def slow(request: Request) -> Response:
        time.sleep(1.0)
        slow_served.set()
        return Response(rss(1))

    server.expect_request("/good").respond_with_data(rss(5, title="Good"))
    server.expect_request("/flaky").respond_with_handler(flaky)
    server.expect_request("/slow").respond_with_handler(slow)
    server.expect_request("/endless").respond_with_handler(lambda request: Response(endless()))
    server.expect_request("/html").respond_with_data("<html><body>no feed</body></html>")
    server.expect_request("/loop").respond_with_data("", status=301, headers={"Location": "/loop"})
    urls = {name: server.url_for(f"/{name}") for name in ("good", "flaky")}
    config = configure(tmp_path, store, list(urls.values()))
    await refresh(store, config)
    healthy["ok"] = False
    bad = {name: server.url_for(f"/{name}") for name in ("slow", "endless", "html", "loop")}
    bad["dead"] = "http://127.0.0.1:9/feed.xml"
    config = configure(tmp_path, store, [*urls.values(), *bad.values()], "max_bytes = 1\n" * 0)
    start = time.perf_counter()
    summary = await refresh(store, config, force=True)
    assert time.perf_counter() - start < 5
    assert summary.failed == 6
    flaky_feed = store.feed_by_url(urls["flaky"])
    assert flaky_feed is not None
    assert flaky_feed.last_status == "error" and "HTTP 500" in flaky_feed.last_error
    assert store.count_articles(ArticleFilter(feed_id=flaky_feed.id)) == 4  # cache kept
    for url in bad.values():
        feed = store.feed_by_url(url)
        assert feed is not None and feed.last_status == "error" and feed.last_error, url
    good = store.feed_by_url(urls["good"])
    assert good is not None and good.last_status in ("ok", "not modified")
    # The slow request outlives the refresh: let it end here, not in the next test's log.
    slow_served.wait(5)


async def test_gone_feeds_stop_being_fetched(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    server.expect_request("/gone").respond_with_data("", status=410)
    url = server.url_for("/gone")
    config = configure(tmp_path, store, [url])
    first = await refresh(store, config)
    assert first.outcomes[0].status == "gone" and "410" in first.outcomes[0].error
    second = await refresh(store, config)
    assert second.outcomes[0].status == "skipped"
    assert requests_to(server, "/gone") == 1
    forced = await refresh(store, config, force=True)
    assert forced.outcomes[0].status == "gone" and requests_to(server, "/gone") == 2


async def test_retry_after_is_honoured(server: HTTPServer, store: Store, tmp_path: Path) -> None:
    server.expect_request("/busy").respond_with_data("", status=429, headers={"Retry-After": "600"})
    url = server.url_for("/busy")
    config = configure(tmp_path, store, [url])
    await refresh(store, config)
    feed = store.feed_by_url(url)
    assert feed is not None and feed.next_fetch is not None
    assert 500 < (feed.next_fetch - datetime.now(UTC)).total_seconds() <= 600
    again = await refresh(store, config)
    assert again.outcomes[0].status == "skipped" and requests_to(server, "/busy") == 1


async def test_repeated_failures_back_off(server: HTTPServer, store: Store, tmp_path: Path) -> None:
    server.expect_request("/down").respond_with_data("", status=503)
    url = server.url_for("/down")
    config = configure(tmp_path, store, [url])
    await refresh(store, config)
    await refresh(store, config)  # the first failure is retried at once
    third = await refresh(store, config)
    assert third.outcomes[0].status == "skipped"
    feed = store.feed_by_url(url)
    assert feed is not None and feed.failures == 2 and feed.next_fetch is not None
    assert backoff_delay(1) is None
    delays = [backoff_delay(n) for n in range(2, 12)]
    assert delays == sorted(delays)  # type: ignore[type-var]


async def test_permanent_redirect_updates_cache_and_config(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    server.expect_request("/new").respond_with_data(rss(2))
    old, new = server.url_for("/old"), server.url_for("/new")
    config = configure(tmp_path, store, [old])
    summary = await refresh(store, config)
    assert summary.outcomes[0].status == "ok"
    assert store.feed_by_url(new) is not None and store.feed_by_url(old) is None
    text = config.path.read_text("utf-8")
    assert new in text and old not in text
    assert "# my subscriptions" in text and "# kept" in text
    # The next start sees the same URL in the config and the cache: nothing is duplicated.
    sync_sources(store, load_config(config.path))
    assert [f.url for f in store.feeds() if f.url.startswith("http")] == [new]


async def test_retention_keeps_starred_articles(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    count = {"n": 4}
    server.expect_request("/feed").respond_with_handler(lambda request: Response(rss(count["n"])))
    url = server.url_for("/feed")
    config = configure(tmp_path, store, [url], "retention = 3\n")
    await refresh(store, config)
    feed = store.feed_by_url(url)
    assert feed is not None
    assert store.count_articles(ArticleFilter(feed_id=feed.id)) == 3
    oldest = store.list_articles(ArticleFilter(feed_id=feed.id))[-1]
    store.set_starred([oldest.id], starred=True)
    count["n"] = 8
    await refresh(store, config)
    left = store.list_articles(ArticleFilter(feed_id=feed.id))
    assert len(left) == 4 and oldest.id in {a.id for a in left}


async def test_malformed_feed_is_stored_with_a_warning(
    shared_dir: Path, server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    data = (
        shared_dir / "corpus" / "feeds" / "malformed_rss20_truncated-unclosed-tags_invalid-date.xml"
    ).read_bytes()
    server.expect_request("/bad").respond_with_data(data)
    url = server.url_for("/bad")
    config = configure(tmp_path, store, [url])
    summary = await refresh(store, config)
    feed = store.feed_by_url(url)
    assert feed is not None and store.count_articles(ArticleFilter(feed_id=feed.id)) == 2
    assert feed.last_status == "ok" and feed.last_error.startswith("malformed XML")
    assert summary.failed == 0


async def test_undated_entries_keep_their_date(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    server.expect_request("/feed").respond_with_handler(lambda r: Response(rss(3, dated=False)))
    url = server.url_for("/feed")
    config = configure(tmp_path, store, [url])
    await refresh(store, config)
    before = {a.id: a.published for a in store.list_articles()}
    second = await refresh(store, config)
    assert second.updated == 0 and second.unchanged == 3
    assert {a.id: a.published for a in store.list_articles()} == before


async def test_file_feeds_and_stored_folders(store: Store, tmp_path: Path) -> None:
    feed = tmp_path / "local.xml"
    feed.write_bytes(rss(2, title="Local"))
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "note.md").write_text("# A note\n\nSome text.\n", "utf-8")
    config = configure(
        tmp_path, store, [feed.as_uri()], f'\n[[stored]]\npath = "{folder}"\ntitle = "Notes"\n'
    )
    sync_sources(store, config)
    summary = await refresh(store, config)
    by_title = {o.title: o for o in summary.outcomes}
    assert by_title["Local"].counts.new == 2
    assert by_title["Notes"].status == "ok" and by_title["Notes"].counts.new == 1


async def test_feed_ids_limit_the_refresh(server: HTTPServer, store: Store, tmp_path: Path) -> None:
    server.expect_request("/a").respond_with_data(rss(1, title="A"))
    server.expect_request("/b").respond_with_data(rss(1, title="B"))
    config = configure(tmp_path, store, [server.url_for("/a"), server.url_for("/b")])
    feed = store.feed_by_url(server.url_for("/b"))
    assert feed is not None
    summary = await refresh(store, config, feed_ids=[feed.id])
    assert [o.feed_id for o in summary.outcomes] == [feed.id]


async def test_a_few_large_feeds_are_parsed_in_worker_processes(
    server: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fewer feeds than start a pool by their number, but documents large enough in all:
    they are parsed in worker processes, not in threads of the refreshing process."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("the process pool needs two cores")
    documents = {f"/big{n}": rss(60, title=f"Big {n}") for n in range(3)}
    assert len(documents) < refresh_module.PROCESS_POOL_MIN_FEEDS
    monkeypatch.setattr(refresh_module, "PROCESS_POOL_MIN_BYTES", len(documents["/big0"]))

    def parsed_here(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed in the refreshing process, not in a worker")

    monkeypatch.setattr(feed_module, "parse_feed", parsed_here)
    for path, body in documents.items():
        server.expect_request(path).respond_with_data(body, content_type="application/rss+xml")
    config = configure(tmp_path, store, [server.url_for(path) for path in documents])
    summary = await refresh(store, config)
    assert (summary.failed, summary.new) == (0, 180)


async def test_a_few_small_feeds_start_no_worker_processes(
    server: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsreader.workers as workers_module

    started: list[bool] = []
    monkeypatch.setattr(workers_module, "start_pool", lambda: started.append(True))
    for n in range(3):
        server.expect_request(f"/small{n}").respond_with_data(rss(5, title=f"Small {n}"))
    config = configure(tmp_path, store, [server.url_for(f"/small{n}") for n in range(3)])
    summary = await refresh(store, config)
    assert (summary.failed, summary.new, started) == (0, 15, [])


async def test_without_a_pool_feeds_are_parsed_one_at_a_time(
    server: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More parsing threads would not parse faster (the GIL) but would each hold up the
    event loop (the app's keys): one thread parses, one feed after another."""
    running, most = [0], [0]
    lock = threading.Lock()
    parse = refresh_module.parse_changed

    def counted(*args: object) -> object:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.05)  # long enough for the other feeds' fetches to end meanwhile
            return parse(*args)  # type: ignore[arg-type]
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(refresh_module, "parse_changed", counted)
    for n in range(6):
        server.expect_request(f"/f{n}").respond_with_data(rss(3, title=f"F{n}"))
    config = configure(tmp_path, store, [server.url_for(f"/f{n}") for n in range(6)])
    summary = await refresh(store, config)
    assert (summary.failed, summary.new, most[0]) == (0, 18, 1)


async def test_worker_processes_parse_and_one_writer_stores(
    server: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a process pool, workers parse, the refreshing process stores; all state is kept."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("the process pool needs two cores")
    monkeypatch.setattr(refresh_module, "PROCESS_POOL_MIN_FEEDS", 1)

    def parsed_here(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed in the refreshing process, not in a worker")

    monkeypatch.setattr(feed_module, "parse_feed", parsed_here)
    version = {"text": "Body"}
    server.expect_request("/dated").respond_with_handler(
        conditional(lambda: rss(5, title="Dated").replace(b"Body", version["text"].encode()))
    )
    server.expect_request("/undated").respond_with_handler(
        lambda r: Response(rss(3, title="Undated", dated=False))
    )
    dated, undated = server.url_for("/dated"), server.url_for("/undated")
    config = configure(tmp_path, store, [dated, undated], "retention = 4\n")
    first = await refresh(store, config)
    assert first.failed == 0 and first.new == 8
    assert {o.title for o in first.outcomes} == {"Dated", "Undated"}
    feed = store.feed_by_url(dated)
    assert feed is not None and feed.title == "Dated" and feed.last_status == "ok"
    assert feed.etag and feed.site_link == "https://example.org/"
    assert store.count_articles(ArticleFilter(feed_id=feed.id)) == 4
    kept = [a.id for a in store.list_articles(ArticleFilter(feed_id=feed.id))]
    store.set_read(kept, read=True)
    store.set_starred(kept[:1], starred=True)
    before = {a.id: a.published for a in store.list_articles() if a.feed_title == "Undated"}

    version["text"] = "Changed"
    second = await refresh(store, config)
    assert second.failed == 0 and second.updated == 4 and second.unchanged == 3
    assert store.count_articles(ArticleFilter(feed_id=feed.id)) == 4  # the pruned one again
    after = {a.id: a for a in store.list_articles(ArticleFilter(feed_id=feed.id))}
    assert set(after) == set(kept) and all(a.read for a in after.values())
    assert after[kept[0]].starred
    now_undated = {a.id: a.published for a in store.list_articles() if a.feed_title == "Undated"}
    assert now_undated == before
