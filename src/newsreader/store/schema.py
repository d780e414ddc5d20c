"""The cache's schema, as a list of migrations applied in order (``PRAGMA user_version``)."""

from __future__ import annotations

# The triggers that keep the search index in step with the articles (migrations 6 and 7
# make the index anew and add them again).
FTS_TRIGGERS = """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, author, headings, text)
        VALUES (new.id, new.title, new.author, new.headings, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, author, headings, text)
        VALUES ('delete', old.id, old.title, old.author, old.headings, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, author, headings, text
        ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, author, headings, text)
        VALUES ('delete', old.id, old.title, old.author, old.headings, old.text);
        INSERT INTO articles_fts (rowid, title, author, headings, text)
        VALUES (new.id, new.title, new.author, new.headings, new.text);
    END;
"""

# Each entry moves the schema from version N to N+1. Never edit a released entry; add one.
MIGRATIONS: list[str] = [
    # 1: feeds, articles with read/starred state, FTS5 index kept in sync by triggers.
    """
    CREATE TABLE feeds (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,
        title         TEXT NOT NULL DEFAULT '',
        kind          TEXT NOT NULL DEFAULT 'feed',
        tags          TEXT NOT NULL DEFAULT '',
        site_link     TEXT NOT NULL DEFAULT '',
        etag          TEXT,
        last_modified TEXT,
        last_status   TEXT NOT NULL DEFAULT '',
        last_error    TEXT NOT NULL DEFAULT '',
        last_fetched  REAL,
        next_fetch    REAL,
        failures      INTEGER NOT NULL DEFAULT 0,
        active        INTEGER NOT NULL DEFAULT 1,
        retention     INTEGER
    );

    CREATE TABLE articles (
        id           INTEGER PRIMARY KEY,
        feed_id      INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key          TEXT NOT NULL,
        hash         TEXT NOT NULL DEFAULT '',
        title        TEXT NOT NULL DEFAULT '',
        author       TEXT NOT NULL DEFAULT '',
        link         TEXT NOT NULL DEFAULT '',
        published    REAL NOT NULL,
        updated      REAL,
        summary      TEXT NOT NULL DEFAULT '',
        content      TEXT NOT NULL DEFAULT '',
        content_type TEXT NOT NULL DEFAULT 'markdown',
        body         TEXT,
        text         TEXT NOT NULL DEFAULT '',
        word_count   INTEGER NOT NULL DEFAULT 0,
        enclosures   TEXT NOT NULL DEFAULT '',
        read         INTEGER NOT NULL DEFAULT 0,
        read_at      REAL,
        starred      INTEGER NOT NULL DEFAULT 0,
        starred_at   REAL,
        first_seen   REAL NOT NULL,
        UNIQUE (feed_id, key)
    );
    CREATE INDEX articles_published ON articles (published DESC, id DESC);
    CREATE INDEX articles_feed_published ON articles (feed_id, published DESC, id DESC);
    CREATE INDEX articles_unread ON articles (read, published DESC, id DESC);
    CREATE INDEX articles_starred ON articles (starred) WHERE starred = 1;

    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, author, text,
        content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, author, text)
        VALUES (new.id, new.title, new.author, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, author, text)
        VALUES ('delete', old.id, old.title, old.author, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, author, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, author, text)
        VALUES ('delete', old.id, old.title, old.author, old.text);
        INSERT INTO articles_fts (rowid, title, author, text)
        VALUES (new.id, new.title, new.author, new.text);
    END;

    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: list indexes that cover keyset paging: each holds the (published, id) order and the
    # columns the shared filter reads (feed_id, read), so a page, a view's keys or a count
    # walks one index without visiting the table.
    """
    DROP INDEX articles_published;
    DROP INDEX articles_feed_published;
    DROP INDEX articles_unread;
    DROP INDEX articles_starred;
    CREATE INDEX articles_listing ON articles (published DESC, id DESC, feed_id, read);
    CREATE INDEX articles_feed_listing ON articles (feed_id, published DESC, id DESC, read);
    CREATE INDEX articles_unread_listing ON articles (read, published DESC, id DESC, feed_id);
    CREATE INDEX articles_starred_listing ON articles (published DESC, id DESC, feed_id, read)
        WHERE starred = 1;
    """,
    # 3: the list indexes also hold ``starred``, so a page row reads only the head of its
    # table record (read and starred sit behind the long text columns), and the starred
    # index covers its own condition (SQLite preferred scanning a wider index before).
    """
    DROP INDEX articles_listing;
    DROP INDEX articles_feed_listing;
    DROP INDEX articles_unread_listing;
    DROP INDEX articles_starred_listing;
    CREATE INDEX articles_listing
        ON articles (published DESC, id DESC, feed_id, read, starred);
    CREATE INDEX articles_feed_listing
        ON articles (feed_id, published DESC, id DESC, read, starred);
    CREATE INDEX articles_unread_listing
        ON articles (read, published DESC, id DESC, feed_id, starred);
    CREATE INDEX articles_starred_listing
        ON articles (published DESC, id DESC, feed_id, read, starred) WHERE starred = 1;
    """,
    # 4: the pages fetched for the full text of articles whose feed sends only a summary.
    # The article's own body, text and word count are kept here while the page's text is
    # shown in their place, so either can be shown again.
    """
    CREATE TABLE full_texts (
        article_id    INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        url           TEXT NOT NULL DEFAULT '',
        status        TEXT NOT NULL,
        markdown      TEXT,
        text          TEXT NOT NULL DEFAULT '',
        word_count    INTEGER NOT NULL DEFAULT 0,
        error         TEXT NOT NULL DEFAULT '',
        etag          TEXT,
        last_modified TEXT,
        attempts      INTEGER NOT NULL DEFAULT 0,
        fetched       REAL NOT NULL,
        entry_saved   INTEGER NOT NULL DEFAULT 0,
        entry_body    TEXT,
        entry_text    TEXT NOT NULL DEFAULT '',
        entry_words   INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 5: syncing with a feed server: which feeds and articles are the server's (by its ids),
    # the queue of local read/starred changes not yet sent, and the sync's own settings.
    """
    CREATE TABLE sync_feeds (
        feed_id    INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
        remote_id  INTEGER NOT NULL UNIQUE,
        remote_url TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE sync_items (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        remote_id  INTEGER NOT NULL UNIQUE
    );
    CREATE TABLE sync_queue (
        remote_id  INTEGER NOT NULL,
        field      TEXT NOT NULL,
        value      INTEGER NOT NULL,
        changed_at REAL NOT NULL,
        PRIMARY KEY (remote_id, field)
    );
    CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 6: search. Section headings get their own index column, ranked between titles and
    # text (``headings`` holds an article's Markdown ``#`` lines, filled by
    # ``newsreader_headings``, a function the writer registers); filters may hide articles
    # (``hidden``), which every view leaves out, so the list indexes hold it too and stay
    # covering. ``articles_search`` gives a search's matches their state and date by id
    # without reading the table's long rows (their tail would cost an overflow page each).
    """
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    ALTER TABLE articles ADD COLUMN headings TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    UPDATE articles SET headings = newsreader_headings(body, content, content_type)
        WHERE instr(coalesce(body, content), '#') OR instr(content, '<h');
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, author, headings, text,
        content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    """
    + FTS_TRIGGERS
    + """
    DROP INDEX articles_listing;
    DROP INDEX articles_feed_listing;
    DROP INDEX articles_unread_listing;
    DROP INDEX articles_starred_listing;
    CREATE INDEX articles_listing
        ON articles (published DESC, id DESC, feed_id, read, starred, hidden);
    CREATE INDEX articles_feed_listing
        ON articles (feed_id, published DESC, id DESC, read, starred, hidden);
    CREATE INDEX articles_unread_listing
        ON articles (read, published DESC, id DESC, feed_id, starred, hidden);
    CREATE INDEX articles_starred_listing
        ON articles (published DESC, id DESC, feed_id, read, starred, hidden)
        WHERE starred = 1;
    CREATE INDEX articles_search ON articles (id, feed_id, published, read, starred, hidden);
    """,
    # 7: prefix indexes for prefixes of 2 and 3 characters, so ``ha*`` or a search bar's
    # half-typed word reads one list instead of merging those of every word it starts
    # (70 ms and more at 100,000 articles, against under 1 ms). Longer prefixes start few
    # words and stay cheap without. The index grows by about 1.4 times its size.
    """
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, author, headings, text,
        content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    """
    + FTS_TRIGGERS,
    # 8: the prefix index for 2 characters only. The 3-character one cost 40 % of all the
    # indexing (a refresh's largest CPU cost in its writer: 28 s against 17 s to index
    # 100,000 articles), and 3 letters start few enough words that FTS5 merges their lists
    # fast: on English text the worst (``con``, 257 words) reads its newest 50 in 12 ms
    # instead of under 1 ms; ranked, 95-170 ms either way. ``bench/search_prefix.py``.
    """
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, author, headings, text,
        content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    """
    + FTS_TRIGGERS,
]

SCHEMA_VERSION = len(MIGRATIONS)
