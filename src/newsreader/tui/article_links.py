"""An article's Markdown made ready to read: numbered links, pictures marked, anchors.

Pure text functions (no Textual): the article pane calls them before drawing the body. The
pictures' URLs (:func:`~newsreader.render.image_refs`) are read below the views, where a
refresh that fetches pictures ahead finds them too.
"""

from __future__ import annotations

import re

from newsreader.ingest.markdown_syntax import (
    INLINE_IMAGE,
    LINK_TARGET,
    LINK_TEXT_CHAR,
    unescape,
)
from newsreader.ingest.sanitize import safe_link
from newsreader.tui.widgets.long_article import PICTURE_MARK

# An inline Markdown link (not an image, not an escaped "\[" as in an alt text's "\[2024\]"):
# its text, which may hold balanced brackets ("a [b] c", but not a picture: a linked
# picture stays a picture), and its target.
_LINK = re.compile(
    rf"(?<![!\\])\[((?:{LINK_TEXT_CHAR}|(?<!!)\[{LINK_TEXT_CHAR}*\])*)\]{LINK_TARGET}"
)
_AUTOLINK = re.compile(r"(?<!\()<(https?://[^<>\s]+)>", re.IGNORECASE)
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def number_links(markdown: str) -> tuple[str, list[str], list[str]]:
    """Mark each link that leaves the page with its number: ``[text\\[1\\]](url)``.

    Only http(s) links are numbered (a repeated target keeps its first number); ``#anchor``
    links stay links (they jump within the article); links of other schemes become their
    text, and so do links in headings (which read as titles, in the outline too). Returns the
    marked Markdown, the numbered targets in order and each one's (first) text.
    """
    targets: list[str] = []
    labels: list[str] = []

    def mark(match: re.Match[str]) -> str:
        text, target = match.group(1), match.group(2).strip("<>")
        if target.startswith("#"):
            return match.group(0)
        if not target.lower().startswith(("http://", "https://")) or not safe_link(target):
            return text
        if target not in targets:
            targets.append(target)
            labels.append(unescape(text))
        return f"[{text}\\[{targets.index(target) + 1}\\]](<{target}>)"

    lines: list[str] = []
    fence = ""
    for line in markdown.split("\n"):
        if fence:
            if line.strip().startswith(fence):
                fence = ""
        elif match := _FENCE_LINE.match(line):
            fence = match.group(1)
        elif _HEADING_LINE.match(line):
            line = _LINK.sub(r"\1", line)
        else:
            line = _AUTOLINK.sub(lambda m: f"[{m.group(1)}](<{m.group(1)}>)", line)
            line = _LINK.sub(mark, line)
        lines.append(line)
    return "\n".join(lines), targets, labels


def mark_pictures(markdown: str) -> tuple[str, dict[int, tuple[str, str]]]:
    """Each http(s) ``![alt](url)`` outside code replaced by a picture marker; returns the
    marked Markdown and (URL, alt) by picture index."""
    pictures: dict[int, tuple[str, str]] = {}

    def mark(match: re.Match[str]) -> str:
        alt, url = unescape(match.group(1)), match.group(2).strip("<>")
        if not url.lower().startswith(("http://", "https://")) or not safe_link(url):
            return match.group(0)
        index = len(pictures)
        pictures[index] = (url, alt)
        return PICTURE_MARK.format(index)

    lines: list[str] = []
    fence = ""
    for line in markdown.split("\n"):
        if fence:
            if line.strip().startswith(fence):
                fence = ""
        elif match := _FENCE_LINE.match(line):
            fence = match.group(1)
        elif "![" in line:
            line = INLINE_IMAGE.sub(mark, line)
        lines.append(line)
    return "\n".join(lines), pictures


def anchor_of(label: str) -> str:
    """The ``#anchor`` a heading of ``label`` answers to (GitHub's way of making them)."""
    kept = re.sub(r"[^\w\- ]", "", label.strip().lower())
    return kept.replace(" ", "-")
