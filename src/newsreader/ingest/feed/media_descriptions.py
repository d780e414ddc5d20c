"""feedparser, reading a ``media:description`` inside ``media:content`` as its file's.

feedparser reads every ``media:description`` as the entry's own description: before the
entry's description, as its summary, and after it, as its content. Inside a
``media:content`` it describes that one file: a picture's alt text, which Mastodon sends for
every picture of a post. The article then showed the alt text instead of the post, and took
its title from it. Importing this module makes feedparser keep such a description with its
file, as the raw text under ``FILE_DESCRIPTION`` in the file's ``media_content`` item (a
picture's alt text, and the article's text when the entry has none of its own: a post that
is a picture); one of a ``media:group`` (a YouTube video's) is the entry's description
still.

The fast readers send every item with such a description to feedparser, so both read it
alike.
"""

from __future__ import annotations

from typing import Any

import feedparser
from feedparser.namespaces import mediarss

from newsreader.ingest.feed.media_pictures import FILE_DESCRIPTION

__all__ = ["feedparser"]

_MARK = "newsreader_media_description"  # on feedparser's element stack while one is read

_HANDLERS = ("_start_media_content", "_start_media_description", "_end_media_description")
_original: dict[str, Any] = {name: getattr(mediarss.Namespace, name, None) for name in _HANDLERS}
_end_content = getattr(mediarss.Namespace, "_end_media_content", None)  # (none in 6.0)


def _start_media_content(parser: Any, attrs: dict[str, str]) -> None:
    _original["_start_media_content"](parser, attrs)
    parser.newsreader_media_files = getattr(parser, "newsreader_media_files", 0) + 1


def _end_media_content(parser: Any) -> None:
    # (Without this method feedparser would pop an element of this name, which it never
    # pushed: nothing.)
    parser.newsreader_media_files = max(0, getattr(parser, "newsreader_media_files", 0) - 1)
    if _end_content is not None:
        _end_content(parser)


def _start_media_description(parser: Any, attrs: dict[str, str]) -> None:
    if getattr(parser, "newsreader_media_files", 0):
        parser.push(_MARK, 0)  # its text is gathered there
    else:
        _original["_start_media_description"](parser, attrs)


def _end_media_description(parser: Any) -> None:
    if parser.elementstack and parser.elementstack[-1][0] == _MARK:
        text = parser.pop(_MARK)  # (as it came: entities not read)
        files = parser._get_context().get("media_content")
        if text and files:
            files[-1].setdefault(FILE_DESCRIPTION, text)
    else:
        _original["_end_media_description"](parser)


# Only where feedparser has the handlers this builds on (it has since 6.0); elsewhere it reads
# such descriptions as it always did, and the tests of this module say so.
if all(_original.values()):
    mediarss.Namespace._start_media_content = _start_media_content
    mediarss.Namespace._end_media_content = _end_media_content
    mediarss.Namespace._start_media_description = _start_media_description
    mediarss.Namespace._end_media_description = _end_media_description
