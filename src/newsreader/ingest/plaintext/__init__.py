"""Plain text → Markdown, with the title, section headings, lists and code blocks found.

Plain text comes in two shapes: saved text, with a blank line between paragraphs, and text
pasted from a browser, with one newline between paragraphs. The modules here:

* :mod:`.lines`: tests on one line (short, closed by punctuation, a bullet, title-like...);
* :mod:`.blocks`: the body's lines as units, code and tables fenced, broken lines joined;
* :mod:`.headings`: hand-written rules: which short lines are headings and which are list items;
* :mod:`.features`: features of a candidate heading line, its neighbours and its siblings;
* :mod:`.detector`: headings from fitted weights (:mod:`.heading_weights`, fitted by
  ``bench/headings_fit.py``) combined with the rules, per text shape;
* :mod:`.contents`: tables of contents, whose entries are headings wherever they stand;
* :mod:`.markdown`: the units as escaped Markdown;
* :mod:`.document`: the whole conversion, with the title and date.

Page furniture after the article is dropped first (:func:`newsreader.ingest.trailers.strip_trailer`).
"""

from newsreader.ingest.plaintext.document import (
    TextDocument,
    plain_text_to_document,
    title_from_file_name,
)
from newsreader.ingest.plaintext.markdown import escape_markdown
from newsreader.ingest.trailers import strip_trailer

__all__ = [
    "TextDocument",
    "escape_markdown",
    "plain_text_to_document",
    "strip_trailer",
    "title_from_file_name",
]
