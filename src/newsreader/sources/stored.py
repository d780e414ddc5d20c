"""Stored articles: reading plain text, Markdown and HTML files on disk into articles.

Each file becomes one :class:`NewArticle` whose key is the file's path, so importing or
rescanning the same file again updates its text but never its read/starred state. Nothing
here writes to the cache: :mod:`newsreader.importing` stores what is read here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsreader.ingest.dates import parse_datetime
from newsreader.model import ContentType, NewArticle, UpsertCounts
from newsreader.sources.bounded import (
    NotRegularFileError,
    TooLargeError,
    not_regular_reason,
    read_regular_file,
)

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

    Only regular files are read (a FIFO, device or socket, or a link to one, is refused
    without being opened for reading), never more than 20 MB, whatever the file claims.

    Raises:
        StoredFileError: the file is missing, unreadable, too big, binary, not a regular
            file or of an unsupported type.
    """
    from newsreader.ingest.markdown_text import markdown_to_text
    from newsreader.ingest.sanitize import clean_line, sanitize_markdown

    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise StoredFileError(f"{path}: unsupported file type (use {', '.join(sorted(SUFFIXES))})")
    try:
        data, stat = read_regular_file(path, MAX_FILE_BYTES)
    except NotRegularFileError as error:
        raise StoredFileError(f"{error}; skipped") from None
    except TooLargeError:
        raise StoredFileError(
            f"{path}: too big (over {MAX_FILE_BYTES} bytes, at most 20 MB)"
        ) from None
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
    """Every supported file under ``root`` (or ``root`` itself), hidden files skipped.

    Links to folders are not followed (no loops); what is not a regular file (a FIFO, a
    device, a link loop) is yielded too, so that reading it reports it by name.
    """
    if not root.is_dir():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                yield Path(folder) / name


def read_files(paths: Iterable[tuple[Path, str]], report: ImportReport) -> list[NewArticle]:
    """Read each ``(path, key)`` into an article; files that cannot be read go to ``report``."""
    articles: list[NewArticle] = []
    for path, key in paths:
        report.files += 1
        try:
            articles.append(read_article_file(path, key))
        except StoredFileError as error:
            report.errors.append(str(error))
    return articles


def _key(path: Path) -> str:
    """A file's absolute path, links resolved when they can be (a link loop cannot)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" (Python 3.11-3.12)
        return str(path.absolute())


def import_candidates(path: Path) -> tuple[list[tuple[Path, str]], str | None]:
    """The files importing ``path`` reads, each with its key, or why it cannot be imported.

    A folder gives its supported files; a regular file of a supported type gives itself. A
    FIFO, device, socket, link loop or missing path gives nothing and a message naming it.
    A link loop or special file *inside* a folder is listed, so that reading it reports it.
    """
    try:
        is_dir = path.is_dir()
        reason = None if is_dir else not_regular_reason(path)
    except OSError as error:
        if not path.is_symlink():
            return [], f"{path}: no such file or folder"
        reason = f"cannot read: {error.strerror or error}"  # a dangling link or a loop
    if reason is not None:
        return [], f"{path}: {reason}; nothing imported from it"
    if not is_dir and path.suffix.lower() not in SUFFIXES:
        return [], f"{path}: unsupported file type (use {', '.join(sorted(SUFFIXES))})"
    return [(file, _key(file)) for file in iter_article_files(path)], None
