"""Search migrations on caches written by older schemas: headings filled and the index
rebuilt (6), prefix indexes added (7), the 3-character one dropped (8)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsreader.model import NewArticle
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


def test_a_version_6_cache_gets_prefix_indexes_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v6.db"
    with monkeypatch.context() as patch:
        patch.setattr(connection, "MIGRATIONS", schema.MIGRATIONS[:6])
        patch.setattr(connection, "SCHEMA_VERSION", 6)
        old = Store.open(path)
        feed = old.ensure_feed("https://e.org/f", "E")
        old.upsert_articles(
            feed.id,
            [
                NewArticle(
                    key=str(n),
                    title=f"Harbour {n}",
                    published=datetime(2026, 1, 1 + n, tzinfo=UTC),
                    text=f"harbours and hardware {n}",
                )
                for n in range(5)
            ],
        )
        before = [h.article.title for h in old.search_query(compile_query("ha*"))]
        old.close()

    def fts_sql(raw: sqlite3.Connection) -> str:
        row = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()
        return str(row[0])

    raw = sqlite3.connect(path)
    assert "prefix" not in fts_sql(raw)
    raw.close()
    with monkeypatch.context() as patch:  # up to version 7 (8 follows in the next test)
        patch.setattr(connection, "MIGRATIONS", schema.MIGRATIONS[:7])
        patch.setattr(connection, "SCHEMA_VERSION", 7)
        store = Store.open(path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 7
    assert "prefix = '2 3'" in fts_sql(raw)
    assert [h.article.title for h in store.search_query(compile_query("ha*"))] == before
    assert len(before) == 5
    # The triggers came back: new and changed articles are indexed.
    store.upsert_articles(
        feed.id,
        [NewArticle(key="new", title="Tugboat", published=datetime(2026, 2, 1, tzinfo=UTC))],
    )
    assert [h.article.title for h in store.search_query(compile_query("tu*"))] == ["Tugboat"]
    raw.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.close()
    raw.close()


def test_a_version_7_cache_keeps_only_the_two_character_prefix_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v7.db"
    queries = ["ha*", "har*", "hard*", "tu*", "harbours", '"and hardware"']
    with monkeypatch.context() as patch:
        patch.setattr(connection, "MIGRATIONS", schema.MIGRATIONS[:7])
        patch.setattr(connection, "SCHEMA_VERSION", 7)
        old = Store.open(path)
        feed = old.ensure_feed("https://e.org/f", "E")
        old.upsert_articles(
            feed.id,
            [
                NewArticle(
                    key=str(n),
                    title=f"Harbour {n}" if n % 2 else f"Tugboat {n}",
                    published=datetime(2026, 1, 1 + n, tzinfo=UTC),
                    text=f"harbours and hardware {n}" if n % 3 else "tides",
                )
                for n in range(9)
            ],
        )
        before = {q: [h.article.title for h in old.search_query(compile_query(q))] for q in queries}
        old.close()
    store = Store.open(path)
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        (sql,) = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()
        assert "prefix = '2'" in sql and "'2 3'" not in sql
        after = {
            q: [h.article.title for h in store.search_query(compile_query(q))] for q in queries
        }
        assert after == before
        assert all(after[q] for q in queries)
        # The triggers came back: a new article is found by its 3-letter prefix.
        store.upsert_articles(
            feed.id,
            [NewArticle(key="new", title="Lighthouse", published=datetime(2026, 2, 1, tzinfo=UTC))],
        )
        assert [h.article.title for h in store.search_query(compile_query("lig*"))] == [
            "Lighthouse"
        ]
        raw.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        store.close()
        raw.close()
