"""`newsreader show` lists an article's attachments (podcast episodes and the like)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from newsreader.model import Enclosure, FeedKind, NewArticle
from newsreader.store import Store


def test_show_prints_the_attachments(isolated_home: Path) -> None:
    Path(os.environ["NEWSREADER_CONFIG"]).write_text(
        "[settings]\nrefresh_on_start = false\n", "utf-8"
    )
    store = Store.open(Path(os.environ["NEWSREADER_DB"]))
    feed = store.ensure_feed("https://pod.example/feed", "A podcast", FeedKind.FEED)
    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key="e1",
                title="Episode 1",
                published=datetime(2026, 11, 1, tzinfo=UTC),
                body="Notes.",
                enclosures=(
                    Enclosure("https://pod.example/e1.mp3", "audio/mpeg", 42_100_000),
                    Enclosure("file:///etc/passwd", "text/plain", 10),
                ),
            )
        ],
    )
    article_id = store.list_articles()[0].id
    store.close()
    shown = subprocess.run(
        [sys.executable, "-m", "newsreader", "show", str(article_id)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert "Attachments:\n[audio/mpeg, 42.1 MB] https://pod.example/e1.mp3" in shown.stdout
    assert "passwd" not in shown.stdout
