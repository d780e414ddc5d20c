"""Which articles get their page fetched, and which pages may be fetched.

A feed's ``full_text`` setting says always (``true``), never (``false``, the default) or
``"auto"``: when the entry's own text is under :data:`TEASER_WORDS` words or ends like a
teaser ("…", "Read more", "Continue reading"). A feed on a public address cannot send the
reader to a page on a private one.
"""

from __future__ import annotations

import re
from typing import Literal

from newsreader.config import Config

TEASER_WORDS = 80  # an entry shorter than this is taken for a summary ("auto")

FullTextMode = bool | Literal["auto"]

# The end of an entry that only introduces its article.
_TEASER_END = re.compile(
    r"""(?:…|\.\.\.|\[\s*(?:…|\.\.\.)\s*\]
        |\b(?:read|see)\ (?:the\ )?(?:more|rest|full\ (?:story|article|post))
        |\b(?:continue|keep)\ reading
            (?:\s+["“‘'].{1,200}?["”’']|\b.{0,200}?[→»›])?  # the title, quoted or with an arrow
    )[\s\W]*$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
# WordPress's footer after the excerpt: "The post X appeared first on Y."
_WORDPRESS_FOOTER = re.compile(r"\s*The post .{1,300} appeared first on .{1,200}$", re.DOTALL)


def is_teaser(text: str, words: int | None = None) -> bool:
    """Whether an entry's text looks like a summary of an article rather than the article."""
    count = len(text.split()) if words is None else words
    if count < TEASER_WORDS:
        return True
    tail = _WORDPRESS_FOOTER.sub("", text.rstrip()[-600:])
    return bool(_TEASER_END.search(tail[-200:]))


def needs_full_text(mode: FullTextMode, text: str, words: int | None = None) -> bool:
    """Whether a feed set to ``mode`` should fetch the page of an entry with this text."""
    if mode == "auto":
        return is_teaser(text, words)
    return bool(mode)


def feed_mode(config: Config, feed_url: str) -> FullTextMode:
    """The ``full_text`` setting of the configured feed at ``feed_url`` (false if unlisted)."""
    for entry in config.feeds:
        if entry.url == feed_url:
            return entry.full_text
    return False


def web_link(link: str) -> bool:
    return link.lower().startswith(("http://", "https://"))


def private_host(url: str) -> bool:
    """Whether ``url`` names a loopback, private or local host, judged without DNS.

    A local file (a feed read from disk) counts as private: it is the user's own.
    """
    from newsreader.sources.addresses import private_url

    return not web_link(url) or private_url(url)


def page_allowed(feed_url: str, link: str) -> bool:
    """Whether an article's page may be fetched: a feed on a public host cannot send the
    reader to a private one (a router's admin page, a service on localhost)."""
    return private_host(feed_url) or not private_host(link)
