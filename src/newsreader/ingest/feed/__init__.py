"""Feed documents (RSS 0.9x/1.0/2.0, RDF, Atom 0.3/1.0, JSON Feed 1.0/1.1) → articles.

* :mod:`.parse`: the entry point, :func:`parse_feed`;
* :mod:`.sniff`: a feed or a web page?
* :mod:`.xml`: the XML formats through feedparser, or the equivalent fast readers:
  :mod:`.fastrss` for plain RSS 2.0 and 0.9x, :mod:`.fastrdf` for plain RSS 1.0/0.90 and
  :mod:`.fastatom` for plain Atom 1.0; they read documents with :mod:`.fastdoc` and name
  and vet elements with :mod:`.fastxml`;
* :mod:`.jsonfeed`: JSON Feed;
* :mod:`.content`: entry HTML sanitised with the one policy, and its plain text;
* :mod:`.entry`: :class:`ParsedFeed`, and the one builder of an article from an entry.
"""

from newsreader.ingest.feed.content import html_to_text, sanitize_html
from newsreader.ingest.feed.entry import ParsedFeed
from newsreader.ingest.feed.parse import parse_feed
from newsreader.ingest.feed.sniff import is_json, looks_like_feed

__all__ = [
    "ParsedFeed",
    "html_to_text",
    "is_json",
    "looks_like_feed",
    "parse_feed",
    "sanitize_html",
]
