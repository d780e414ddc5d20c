"""Plain text of a Markdown body, for the full-text index, summaries and word counts.

Regex passes only (no Markdown parser), written so that each pattern starts with a literal
the regex engine can scan for quickly: a megabyte converts in a few tens of milliseconds.
The result keeps one line per heading, paragraph line, list item and code line, with a
blank line between blocks; markup characters, link URLs and HTML tags are dropped.
"""

from __future__ import annotations

import html
import re

from newsreader.ingest.markdown_syntax import (
    FENCE_LINE_AFTER_NEWLINE,
    IMAGE_SIMPLE,
    INLINE_LINK_SIMPLE,
    REFERENCE_LINK,
)

# Backslash escapes are swapped for private-use characters while the markup is removed,
# so that no pattern needs a look-behind for "\", then swapped back.
_PRIVATE = re.compile(r"[\ue000-\ue07f]")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_RESTORE = re.compile(r"[\ue021-\ue07e]")

# Line-start patterns match from the preceding "\n" (the text is given a leading one).
_REFERENCE_DEFINITION = re.compile(r"\n[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S[^\n]*")
_RULE = re.compile(r"\n[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})(?=\n)")
_TABLE_DELIMITER_ROW = re.compile(r"\n[ \t]*\|?[ \t]*:?-+:?[ \t]*\|[-:| \t]*(?=\n)")
_SETEXT_UNDERLINE = re.compile(r"\n[ \t]{0,3}(?:=+|-+)[ \t]*(?=\n)")
# Block prefixes: blockquote markers, heading hashes, list bullets and numbers (possibly
# inside quotes), and a task-list box.
_LINE_PREFIX = re.compile(
    r"\n[ \t]*(?:>[ \t]?)*[ \t]*(?:#{1,6}(?=[ \t\n])[ \t]*|[-*+][ \t]+(?:\[[ xX]\][ \t]+)?"
    r"|\d{1,9}[.)][ \t]+)?"
)
_CLOSING_HASHES = re.compile(r" #+[ \t]*(?=\n)")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^<>\s]+)>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|!--.*?--)>", re.DOTALL)
_MARKERS = re.compile(r"[*`]+")
_STRIKE = re.compile(r"~~+")
_UNDERSCORES = re.compile(r"_+")
_MULTIPLE_SPACES = re.compile(r"  +")
_HARD_BREAK = re.compile(r"\\\n")
_BLANK_LINES = re.compile(r"\n\n\n+")


def _hide(match: re.Match[str]) -> str:
    return chr(0xE000 + ord(match.group(1)))


def _underscores(match: re.Match[str]) -> str:
    """Emphasis underscores go; those inside a word (snake_case) stay."""
    start, end = match.span()
    text = match.string
    inside = start > 0 and text[start - 1].isalnum() and end < len(text) and text[end].isalnum()
    return match.group(0) if inside else ""


def _reveal(match: re.Match[str]) -> str:
    return chr(ord(match.group(0)) - 0xE000)


def markdown_to_text(markdown: str) -> str:
    """The plain text of ``markdown``: no markup characters, link URLs dropped.

    Headings, paragraph lines, list items and code lines each stay on a line of their own;
    blocks are separated by a single blank line.
    """
    if not markdown or not markdown.strip():
        return ""
    text = "\n" + markdown.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    if _PRIVATE.search(text):
        text = _PRIVATE.sub("", text)
    text = _HARD_BREAK.sub("\n", text)
    if "\\" in text:
        text = _ESCAPE.sub(_hide, text)
    if "```" in text or "~~~" in text:
        text = FENCE_LINE_AFTER_NEWLINE.sub("\n", text)
    if "]:" in text:
        text = _REFERENCE_DEFINITION.sub("\n", text)
    if "|" in text:
        text = _TABLE_DELIMITER_ROW.sub("\n", text)
    if "--" in text or "**" in text or "__" in text or "* *" in text:
        text = _RULE.sub("\n", text)
    if "\n=" in text or "\n-" in text or "\n " in text:
        text = _SETEXT_UNDERLINE.sub("\n", text)
    text = _LINE_PREFIX.sub("\n", text)
    if " #" in text:
        text = _CLOSING_HASHES.sub("", text)
    if "](" in text:
        text = IMAGE_SIMPLE.sub(r"\1", text)
        text = INLINE_LINK_SIMPLE.sub(r"\1", text)
    if "][" in text:
        text = REFERENCE_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _HTML_TAG.sub("", text)
    text = _MARKERS.sub("", text)
    if "~~" in text:
        text = _STRIKE.sub("", text)
    if "_" in text:
        text = _UNDERSCORES.sub(_underscores, text)
    if "|" in text:
        text = text.replace("|", " ")
    text = _RESTORE.sub(_reveal, text)
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\t", " ").replace("\u00a0", " ")
    text = _MULTIPLE_SPACES.sub(" ", text)
    text = "\n".join([line.strip(" ") for line in text.split("\n")])
    text = _BLANK_LINES.sub("\n\n", text).strip("\n")
    return text + "\n" if text else ""
