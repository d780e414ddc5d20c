"""Stored articles: files and folders of plain text, Markdown and HTML."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from newsreader.importing import import_bundled, import_paths, scan_folder
from newsreader.model import FeedKind
from newsreader.render import article_markdown, headings
from newsreader.sources.stored import BUNDLED_URL, read_article_file
from newsreader.store import ArticleFilter, Store

SEED_SECTIONS = [
    "Context of the Trump-Putin Talks",
    "Escalating Violence in Ukraine",
    "The Tomahawk Missile Debate",
    "Strategic Implications and Diplomatic Pressure",
]


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: A note\nauthor: Ann Writer\ndate: 2026-11-20T08:30:00Z\n---\n\n"
        "Intro paragraph.\n\n## First part\n\nText.\n",
        "utf-8",
    )
    article = read_article_file(path)
    assert article.title == "A note"
    assert article.author == "Ann Writer"
    assert article.published == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert article.body is not None and "## First part" in article.body
    assert "First part" in article.text and "##" not in article.text


def test_markdown_title_from_first_heading_and_file_time(tmp_path: Path) -> None:
    path = tmp_path / "post.markdown"
    path.write_text("# The real title\n\nBody text here.\n", "utf-8")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    article = read_article_file(path)
    assert article.title == "The real title"
    assert article.body is not None and not article.body.startswith("#")
    assert article.published == datetime.fromtimestamp(1_700_000_000, UTC)


def test_seed_article_renders_its_sections(store: Store, shared_dir: Path) -> None:
    seed = shared_dir / "fixtures" / "stored" / "trump-putin-budapest.txt"
    report = import_paths(store, [seed])
    assert report.errors == [] and report.counts.new == 1
    (summary,) = store.list_articles()
    article = store.article(summary.id)
    assert article is not None
    markdown = article_markdown(store, article)
    assert [h.text for h in headings(markdown)] == SEED_SECTIONS
    for section in SEED_SECTIONS:
        assert f"## {section}\n" in markdown
    assert "Leave a Reply" not in markdown
    for line in seed.read_text("utf-8").splitlines():
        line = line.strip()
        if line and line not in SEED_SECTIONS and line != "Leave a Reply":
            assert line in markdown.replace("\\", ""), f"paragraph lost: {line[:60]}"
    # No title line: the title comes from the file's name, and the opening paragraph stays
    # in the body once.
    assert summary.title == "Trump Putin Budapest"
    opening = "United States President Donald Trump has announced plans"
    assert markdown.count(opening) == 1 and markdown.startswith(opening)


def test_reimport_keeps_state_and_updates_text(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text("# Story\n\nFirst version.\n", "utf-8")
    import_paths(store, [path])
    (summary,) = store.list_articles()
    store.set_read([summary.id])
    store.set_starred([summary.id])
    again = import_paths(store, [path])
    assert again.counts.unchanged == 1
    path.write_text("# Story\n\nSecond version.\n", "utf-8")
    changed = import_paths(store, [path])
    assert changed.counts.updated == 1
    article = store.article(summary.id)
    assert article is not None and article.read and article.starred
    assert article.body is not None and "Second version." in article.body


def test_bad_files_are_reported_and_the_rest_imported(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.md").write_text("# Good\n\nFine.\n", "utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "ignored.pdf").write_bytes(b"%PDF")
    report = import_paths(store, [folder, tmp_path / "missing.txt", tmp_path / "x.pdf"])
    assert [a.title for a in store.list_articles()] == ["Good"]
    joined = "\n".join(report.errors)
    assert "binary.txt: not a text file" in joined
    assert "dangling.txt: cannot read" in joined
    assert "missing.txt: no such file or folder" in joined
    assert "x.pdf: no such file or folder" in joined
    assert "ignored.pdf" not in joined


def test_folder_scan_new_changed_removed(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text("# A\n\none\n", "utf-8")
    (folder / "sub" / "b.md").write_text("# B\n\ntwo\n", "utf-8")
    (folder / "c.md").write_text("# C\n\nthree\n", "utf-8")
    (folder / ".hidden.md").write_text("# Hidden\n", "utf-8")
    feed = store.ensure_feed(folder.as_uri(), "Folder", FeedKind.STORED)
    first = scan_folder(store, feed.id, folder)
    assert (first.counts.new, first.errors) == (3, [])
    starred = next(a for a in store.list_articles() if a.title == "C")
    store.set_starred([starred.id])
    (folder / "a.md").write_text("# A\n\none, edited\n", "utf-8")
    (folder / "sub" / "b.md").unlink()
    (folder / "c.md").unlink()
    (folder / "d.md").write_text("# D\n\nfour\n", "utf-8")
    second = scan_folder(store, feed.id, folder)
    assert (second.counts.new, second.counts.updated, second.counts.removed) == (1, 1, 1)
    assert sorted(a.title for a in store.list_articles()) == ["A", "C", "D"]


def test_unreadable_file_keeps_its_cached_article(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    path = folder / "a.md"
    path.write_text("# A\n\none\n", "utf-8")
    feed = store.ensure_feed(folder.as_uri(), "Folder", FeedKind.STORED)
    scan_folder(store, feed.id, folder)
    path.write_bytes(b"\x00" * 50)
    report = scan_folder(store, feed.id, folder)
    assert report.errors and "a.md" in report.errors[0]
    assert [a.title for a in store.list_articles()] == ["A"]


def test_missing_folder_removes_nothing(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\none\n", "utf-8")
    feed = store.ensure_feed(folder.as_uri(), "Folder", FeedKind.STORED)
    scan_folder(store, feed.id, folder)
    (folder / "a.md").unlink()
    folder.rmdir()
    report = scan_folder(store, feed.id, folder)
    assert report.errors == [f"{folder}: folder not found"]
    assert store.count_articles() == 1


def test_bundled_guide_has_sections(store: Store) -> None:
    report = import_bundled(store)
    assert report.errors == [] and report.counts.new >= 2
    feed = store.feed_by_url(BUNDLED_URL)
    assert feed is not None
    titles = {a.title: a.id for a in store.list_articles(ArticleFilter(feed_id=feed.id))}
    assert "Welcome to newsreader" in titles
    welcome = store.article(titles["Welcome to newsreader"])
    assert welcome is not None
    sections = [h.text for h in headings(article_markdown(store, welcome))]
    for name in ("Moving around", "Feeds", "Search", "Your own article files"):
        assert name in sections
    offline = store.article(titles["Reading offline with newsreader"])
    assert offline is not None
    markdown = article_markdown(store, offline)
    assert [h.text for h in headings(markdown)] == [
        "How the cache works",
        "When the network is down",
        "Plain-text articles",
    ]
    assert "Leave a Reply" not in markdown


def test_pasted_text_title_line_becomes_the_title(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_text(
        "Trump to Meet Putin in Budapest\n"
        "United States President Donald Trump has announced plans to meet Russian President "
        "Vladimir Putin in Budapest, Hungary, for talks on the ongoing war in Ukraine.\n"
        "Context of the Talks\n"
        "The phone call comes a day before Trump is scheduled to meet Ukrainian President "
        "Volodymyr Zelenskyy at the White House.\n",
        "utf-8",
    )
    article = read_article_file(path)
    assert article.title == "Trump to Meet Putin in Budapest"
    assert article.body is not None
    assert [h.text for h in headings(article.body)] == ["Context of the Talks"]
    assert article.body.startswith("United States President")
