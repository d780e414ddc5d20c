"""An entry's pictures given beside its HTML, for entries whose own HTML has none: a
Mastodon post's pictures (Media RSS ``media:content``), a news item's photo beside a
text-only summary (there, or as an image ``enclosure``), else its thumbnail
(``media:thumbnail``: a YouTube video's, a BBC story's).

Left out: files that are not pictures; icons and authors' avatars (WordPress gives each
post its author's Gravatar as a ``media:content`` picture, GitHub each commit its author's
picture as a thumbnail 30 pixels wide: a picture said to be under 100 pixels wide or high is
taken for one); and smaller copies of a picture (the same address with other query
parameters, such as ``?width=140`` beside ``?width=460``: the widest is kept). Of
thumbnails, only the widest is shown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from newsreader.ingest.feed.entry import non_negative_int
from newsreader.ingest.sanitize import clean_line
from newsreader.ingest.urls import join_url, safe_link

# Where feedparser (as :mod:`.media_descriptions` makes it) keeps the raw text of a file's
# own ``media:description``: a picture's alt text.
FILE_DESCRIPTION = "newsreader_description"
ALT_CHARS = 1000
ICON_PIXELS = 100  # a picture said to be narrower or lower is an icon or an avatar
MAX_PICTURES = 20  # per entry (Mastodon allows 4 a post)

_AVATAR = re.compile(r"^https?://(?:[\w-]+\.)*gravatar\.com/avatar/", re.IGNORECASE)
_PICTURE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.IGNORECASE)


def is_picture(attrs: Mapping[str, Any]) -> bool:
    """Whether a ``media:content``'s attributes name a picture: ``medium="image"``, else an
    ``image/...`` type, else (both are optional) a picture file's name."""
    medium = str(attrs.get("medium") or "").strip().lower()
    if medium:
        return medium == "image"
    kind = str(attrs.get("type") or "").strip().lower()
    if kind:
        return kind.startswith("image/")
    return _PICTURE_FILE.search(_without_query(str(attrs.get("url") or ""))) is not None


def media_pictures(
    entry: Mapping[str, Any], url: str, attached: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(address, alt text) of each picture among the entry's ``media_content``, in order,
    else of each picture ``attached`` (its image enclosures' safe addresses), else of its
    widest thumbnail."""
    files = [item for item in _items(entry.get("media_content")) if is_picture(item)]
    pictures = _pictures(files, url) or _pictures([{"url": a} for a in attached], url)
    if pictures:
        return [(address, alt) for _, address, alt in pictures[:MAX_PICTURES]]
    thumbnails = _pictures(_items(entry.get("media_thumbnail")), url)
    widest = max(thumbnails, key=lambda found: found[0], default=None)  # (the first of them)
    return [] if widest is None else [widest[1:]]


def _items(value: Any) -> list[Mapping[str, Any]]:
    """The mappings of a list feedparser made (anything else: none)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _pictures(items: list[Mapping[str, Any]], url: str) -> list[tuple[int, str, str]]:
    """(width, address, alt text) of each picture of ``items`` shown, in order: icons and
    avatars left out, the widest of the copies of one picture kept."""
    found: dict[str, tuple[int, str, str]] = {}  # address less its query -> (width, ...)
    for item in items:
        address = safe_link(join_url(url, str(item.get("url") or "")))
        if not address or _AVATAR.match(address):
            continue
        width = non_negative_int(item.get("width")) or 0
        if 0 < width < ICON_PIXELS or 0 < (non_negative_int(item.get("height")) or 0) < ICON_PIXELS:
            continue
        described = item.get(FILE_DESCRIPTION)
        alt = clean_line(html.unescape(described), ALT_CHARS) if isinstance(described, str) else ""
        same = _without_query(address)
        if same not in found or width > found[same][0]:
            found[same] = (width, address, alt)
    return list(found.values())


def _without_query(address: str) -> str:
    return address.split("?", 1)[0].split("#", 1)[0]


def pictures_html(pictures: list[tuple[str, str]]) -> str:
    """The pictures as HTML to add after an entry's own."""
    return "".join(
        f'<p><img src="{html.escape(address)}" alt="{html.escape(alt)}"></p>'
        for address, alt in pictures
    )


def file_descriptions(entry: Mapping[str, Any]) -> str:
    """The entry's files' own descriptions (entities read), one paragraph each."""
    return "\n\n".join(
        html.unescape(item[FILE_DESCRIPTION])
        for item in _items(entry.get("media_content"))
        if isinstance(item.get(FILE_DESCRIPTION), str)
    )
