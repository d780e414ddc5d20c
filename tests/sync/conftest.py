"""The sync tests' servers: a real coldsweat (Fever API) fed from a local feed server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from coldsweat_server import Coldsweat, ColdsweatUnavailable, start_coldsweat

from feed_server import conditional, rss, start_server, stop_server

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS_FEEDS = [
    ("Research", "atom10_long-technical-html_research-swtch.atom", "tech"),
    ("Miniflux commits", "atom10_github-commits_miniflux.xml", "tech"),
    ("Daring Fireball", "atom10_daringfireball_xml-base_relative-links.atom", ""),
]
GENERATED_ITEMS = 60  # more than one page of 50 items


@pytest.fixture(scope="session")
def coldsweat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coldsweat]:
    """coldsweat on 127.0.0.1 with one user subscribed to three corpus feeds and a generated
    one (in group "news"), each fetched by coldsweat from a local HTTP server."""
    folder = SHARED / "corpus" / "feeds"
    if not folder.is_dir():
        pytest.skip(f"corpus feeds not found at {folder} (expected beside the checkout)")
    feeds_server = start_server()
    try:
        feeds = []
        for title, name, group in CORPUS_FEEDS:
            route = f"/feeds/{name}"
            body = (folder / name).read_bytes()
            feeds_server.expect_request(route).respond_with_handler(conditional(body))
            feeds.append((title, feeds_server.url_for(route), group))
        generated = rss(GENERATED_ITEMS, title="Generated", prefix="generated")
        feeds_server.expect_request("/feeds/generated.xml").respond_with_handler(
            conditional(generated)
        )
        feeds.append(("Generated", feeds_server.url_for("/feeds/generated.xml"), "news"))
        try:
            server = start_coldsweat(tmp_path_factory.mktemp("coldsweat"), feeds)
        except ColdsweatUnavailable as error:
            pytest.skip(f"no coldsweat server for the sync tests: {error}")
    finally:
        stop_server(feeds_server)  # coldsweat has fetched them; the sync never does
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fever(coldsweat: Coldsweat) -> Coldsweat:
    """The coldsweat server with every item unread and unstarred."""
    coldsweat.reset_state()
    return coldsweat
