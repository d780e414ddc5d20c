"""A plain-text article → its title, Markdown body, headings and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsreader.ingest.dates import find_published, is_date_line
from newsreader.ingest.plaintext.blocks import Kind, Unit, join_broken_lines, split_units
from newsreader.ingest.plaintext.detector import classify
from newsreader.ingest.plaintext.lines import INDENTED, ends_closed, is_bullet, is_quoted, words_of
from newsreader.ingest.plaintext.markdown import render
from newsreader.ingest.sanitize import clean_text
from newsreader.ingest.trailers import strip_trailer


@dataclass(frozen=True, slots=True)
class TextDocument:
    """A plain-text article converted to Markdown.

    Attributes:
        title: A title-like first line standing alone at the top of the text, else ``None``.
        markdown: The body as Markdown: blocks separated by blank lines, headings as
            ``## Heading``, lists as ``- item``, preformatted text fenced.
        headings: The detected section headings in order (not including the title).
        published: A date stated near the top of the text, timezone-aware UTC, else ``None``.
    """

    title: str | None
    markdown: str
    headings: list[str]
    published: datetime | None


def _find_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """The title and the lines after it: a title-like first line followed by a blank line."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        text = " ".join(line.split())
        rest = lines[index + 1 :]
        standalone = bool(rest) and not rest[0].strip() and any(r.strip() for r in rest)
        titleish = (
            len(text) <= 200
            and len(words_of(text)) <= 25
            and not ends_closed(text.rstrip("!"))
            and not is_bullet(text)
            and not is_quoted(text)
            and not INDENTED.match(line)
            and not is_date_line(text)
        )
        if standalone and titleish:
            return text, rest
        return None, lines[index:]
    return None, []


def title_from_file_name(file_name: str) -> str:
    """A title made from a file's name: "trump-putin-budapest.txt" -> "Trump Putin Budapest".

    Words in lower case get a capital; others ("iPhone", "NASA", "v2.1") stay as they are.
    """
    stem = file_name.rsplit("/", 1)[-1]
    if "." in stem.lstrip("."):
        stem = stem.rsplit(".", 1)[0]
    words = stem.replace("_", " ").replace("-", " ").split()
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in words) or file_name


def prepare(text: str) -> tuple[str | None, list[Unit], datetime | None]:
    """The title, the body's units (not yet classified) and the date of a plain text."""
    cleaned = clean_text(text)
    lines = [line.rstrip() for line in cleaned.split("\n")]
    published = find_published(lines)
    lines = strip_trailer(lines)
    title, body = _find_title(lines)
    return title, join_broken_lines(split_units(body)), published


def plain_text_to_document(text: str, *, file_name: str | None = None) -> TextDocument:
    """Convert a plain-text article to Markdown, detecting its title, headings and date.

    With ``file_name`` (the text is a file's), the document always has a title: a title
    line, else a heading opening the text (pasted text has no blank line under its title),
    else one made from the file's name; the article's first paragraph is never taken for it.
    """
    title, units, published = prepare(text)
    classify(units)
    if file_name is not None and title is None:
        if units and units[0].kind is Kind.HEADING:
            title = units.pop(0).text
        else:
            title = title_from_file_name(file_name)
    headings = [unit.text for unit in units if unit.kind is Kind.HEADING]
    return TextDocument(title=title, markdown=render(units), headings=headings, published=published)
