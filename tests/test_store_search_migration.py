"""Migration 4 on a cache written by the previous schema: headings filled, index rebuilt."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsreader.search import compile_query
from newsreader.store import Store, connection, schema


def test_an_older_cache_gets_headings_and_its_index_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    with monkeypatch.context() as patch:
        patch.setattr(connection, "MIGRATIONS", schema.MIGRATIONS[:3])
        patch.setattr(connection, "SCHEMA_VERSION", 3)
        Store.open(path).close()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO feeds (id, url, title) VALUES (1, 'https://e.org/f', 'E')")
    for number, (title, body, content_type) in enumerate(
        [
            ("Summit", "Intro.\n\n## The Tomahawk Missile Debate\n\nText.", "markdown"),
            ("Page", None, "html"),
            ("Plain", "No heading here, tomahawk once.", "markdown"),
        ]
    ):
        content = "<h2>Harbour <b>news</b></h2><p>x</p>" if body is None else body
        raw.execute(
            "INSERT INTO articles (feed_id, key, title, published, content, content_type, "
            "body, text, first_seen) VALUES (1, ?, ?, ?, ?, ?, ?, ?, 0)",
            (str(number), title, 1000.0 + number, content, content_type, body, body or "x"),
        )
    raw.commit()
    raw.close()

    store = Store.open(path)
    raw = sqlite3.connect(path)
    headings = dict(raw.execute("SELECT title, headings FROM articles").fetchall())
    assert headings == {
        "Summit": "The Tomahawk Missile Debate",
        "Page": "Harbour news",
        "Plain": "",
    }
    hits = store.search_query(compile_query("tomahawk"))
    assert [hit.article.title for hit in hits] == ["Summit", "Plain"]
    assert [h.article.title for h in store.search_query(compile_query("harbour"))] == ["Page"]
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    store.close()
