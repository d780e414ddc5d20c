"""Stored articles: plain text, Markdown and HTML files on disk, imported or scanned.

Each file becomes one :class:`NewArticle` whose key is the file's path, so importing or
rescanning the same file again updates its text but never its read/starred state.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsreader.ingest.dates import parse_datetime
from newsreader.model import ContentType, FeedKind, NewArticle, UpsertCounts
from newsreader.store import Store

SUFFIXES: dict[str, ContentType] = {
    ".txt": ContentType.TEXT,
    ".text": ContentType.TEXT,
    ".md": ContentType.MARKDOWN,
    ".markdown": ContentType.MARKDOWN,
    ".html": ContentType.HTML,
    ".htm": ContentType.HTML,
}
IMPORTED_URL = "stored:imported"
IMPORTED_TITLE = "Imported articles"
BUNDLED_URL = "stored:guide"
BUNDLED_TITLE = "newsreader guide"
MAX_FILE_BYTES = 20 * 1024 * 1024


class StoredFileError(Exception):
    """A file cannot be imported; the message names the file and the reason."""


@dataclass
class ImportReport:
    """What importing or scanning files did."""

    counts: UpsertCounts = field(default_factory=UpsertCounts)
    errors: list[str] = field(default_factory=list)
    files: int = 0


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StoredFileError(f"{path}: not a text file (binary content)")
    for encoding in (
        ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",)
    ):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_ATX_TITLE = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\n|\Z)")
_SETEXT_TITLE = re.compile(r"\A\s*([^\n]+)\n=+[ \t]*(?:\n|\Z)")


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple ``key: value`` front matter (YAML subset) and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[match.end() :]


def _title_from_text(text: str, path: Path) -> str:
    for line in text.splitlines():
        words = re.sub(r"[#*_`>\[\]]", " ", line).split()
        if words:
            title = " ".join(words[:12])
            return title + ("…" if len(words) > 12 else "")
    return path.stem.replace("-", " ").replace("_", " ").strip() or path.name


def read_article_file(path: Path, key: str | None = None) -> NewArticle:
    """Read one article file into an article.

    Raises:
        StoredFileError: the file is missing, unreadable, too big, binary or of an
            unsupported type.
    """
    from newsreader.ingest.markdown_text import markdown_to_text
    from newsreader.ingest.sanitize import clean_line, sanitize_markdown

    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise StoredFileError(f"{path}: unsupported file type (use {', '.join(sorted(SUFFIXES))})")
    try:
        stat = path.stat()
        if stat.st_size > MAX_FILE_BYTES:
            raise StoredFileError(f"{path}: too big ({stat.st_size} bytes, at most 20 MB)")
        data = path.read_bytes()
    except StoredFileError:
        raise
    except OSError as error:
        raise StoredFileError(f"{path}: cannot read: {error.strerror or error}") from None
    text = _decode(data, path)
    file_time = datetime.fromtimestamp(stat.st_mtime, UTC)
    title: str | None = None
    author = ""
    published: datetime | None = None

    if kind is ContentType.TEXT:
        from newsreader.ingest.plaintext import plain_text_to_document

        document = plain_text_to_document(text, file_name=path.name)
        title, body, published = document.title, document.markdown, document.published
    elif kind is ContentType.MARKDOWN:
        fields, body = _front_matter(sanitize_markdown(text))
        title = fields.get("title") or None
        author = fields.get("author", "")
        published = parse_datetime(fields.get("date", "") or fields.get("published", ""))
        heading = _ATX_TITLE.match(body) or _SETEXT_TITLE.match(body)
        if heading:
            title = title or heading.group(1).strip()
            if heading.group(1).strip() == title:
                body = body[heading.end() :]
        body = body.strip() + "\n"
    else:
        from newsreader.ingest.html import extract_article

        page = extract_article(text, path.resolve().as_uri())
        title, body, published = page.title, page.markdown, page.published
        author = page.author or ""

    plain = markdown_to_text(body)
    title = clean_line(title or _title_from_text(plain, path))
    return NewArticle(
        key=key or str(path.resolve()),
        title=title,
        published=published or file_time,
        updated=file_time,
        content=body,
        content_type=ContentType.MARKDOWN,
        body=body,
        text=plain,
        author=clean_line(author),
        link=path.resolve().as_uri(),
        summary=clean_line(plain, limit=300),
    )


def iter_article_files(root: Path) -> Iterator[Path]:
    """Every supported file under ``root`` (or ``root`` itself), hidden files skipped."""
    if root.is_file():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                yield Path(folder) / name


def _read_all(paths: Iterable[tuple[Path, str]], report: ImportReport) -> list[NewArticle]:
    articles: list[NewArticle] = []
    for path, key in paths:
        report.files += 1
        try:
            articles.append(read_article_file(path, key))
        except StoredFileError as error:
            report.errors.append(str(error))
    return articles


def import_paths(store: Store, paths: Iterable[Path]) -> ImportReport:
    """Import files and folders into the "Imported articles" source.

    Unreadable files are reported in the result and skipped; the rest are stored.
    """
    report = ImportReport()
    found: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            report.errors.append(f"{path}: no such file or folder")
            continue
        if path.is_file() and path.suffix.lower() not in SUFFIXES:
            report.errors.append(
                f"{path}: unsupported file type (use {', '.join(sorted(SUFFIXES))})"
            )
            continue
        found.extend((file, str(file.resolve())) for file in iter_article_files(path))
    articles = _read_all(found, report)
    if articles:
        feed = store.ensure_feed(IMPORTED_URL, IMPORTED_TITLE, FeedKind.STORED)
        report.counts = store.upsert_articles(feed.id, articles)
    return report


def scan_folder(store: Store, feed_id: int, root: Path) -> ImportReport:
    """Bring a stored-article folder's source up to date: new, changed and removed files.

    Files that cannot be read keep whatever the cache had for them. Removed files' articles
    are dropped unless starred. A missing folder is an error and removes nothing.
    """
    report = ImportReport()
    if not root.is_dir():
        report.errors.append(f"{root}: folder not found")
        return report
    found = [(path, str(path.relative_to(root))) for path in iter_article_files(root)]
    articles = _read_all(found, report)
    failed = {key for path, key in found if key not in {a.key for a in articles}}
    report.counts = store.upsert_articles(feed_id, articles, remove_missing=True, keep=failed)
    return report


def import_bundled(store: Store) -> ImportReport:
    """Import the articles that ship with newsreader (the guide) into their own source."""
    from importlib import resources

    report = ImportReport()
    folder = resources.files("newsreader.data").joinpath("articles")
    with resources.as_file(folder) as root:
        found = [(path, path.name) for path in iter_article_files(Path(root))]
        articles = _read_all(found, report)
    feed = store.ensure_feed(BUNDLED_URL, BUNDLED_TITLE, FeedKind.STORED, tags=())
    report.counts = store.upsert_articles(feed.id, articles, remove_missing=True)
    return report
