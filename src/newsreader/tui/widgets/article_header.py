"""What the article pane shows around the body: the header (title, source, author, date,
reading time, link) and the numbered links and attachments under it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import unquote, urlsplit

from rich.console import Group
from rich.text import Text

from newsreader.ingest.sanitize import safe_link
from newsreader.model import Article
from newsreader.render import describe_enclosure, reading_minutes
from newsreader.tui.screens.link_picker import PickerEntry
from newsreader.tui.text import long_date, plain


def article_header(article: Article, now: datetime) -> Group:
    """The title (starred or not), then source · author · date · reading time, then link."""
    title = plain(article.title or "(untitled)", style="bold")
    if article.starred:
        title = Text.assemble(("★ ", "bold yellow"), title)
    parts = [plain(article.feed_title)]
    # A blog's author is often the blog's own name: say it once.
    if article.author and article.author.strip().casefold() != (
        article.feed_title.strip().casefold()
    ):
        parts.append(plain(article.author, limit=120))
    parts.append(Text(long_date(article.published, now)))
    minutes = reading_minutes(article.word_count)
    parts.append(Text(f"{minutes}\u00a0min\u00a0read"))
    meta = Text(" · ", style="dim").join(parts)
    meta.stylize("dim")
    lines: list[Text] = [title, meta]
    for line in lines:
        line.end = "\n"
    link = safe_link(article.link)
    if link:
        lines.append(Text(link, style="underline", overflow="fold"))
    elif article.link.startswith("file:"):
        name = unquote(urlsplit(article.link).path).rsplit("/", 1)[-1]
        lines.append(plain(f"File: {name}", style="dim"))
    return Group(*lines)


def attachment_entries(article: Article | None) -> list[PickerEntry]:
    """``article``'s enclosures that can be opened (http/https), described."""
    if article is None:
        return []
    return [
        PickerEntry("attachment", describe_enclosure(e), e.url)
        for e in article.enclosures
        if safe_link(e.url)
    ]


def links_text(links: Sequence[str], attachments: Sequence[PickerEntry]) -> Text:
    """The numbered links, then the attachments (podcast episodes and the like)."""
    text = Text()
    if links:
        text.append("Links\n", style="bold")
        for number, url in enumerate(links, start=1):
            text.append(f"[{number}] ", style="bold")
            text.append_text(plain(url, style="dim"))
            text.append("\n")
    if attachments:
        text.append("\nAttachments\n" if links else "Attachments\n", style="bold")
        for entry in attachments:
            text.append(f"{entry.label} ", style="bold")
            text.append_text(plain(entry.url, style="dim"))
            text.append("\n")
    text.rstrip()
    return text
