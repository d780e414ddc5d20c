"""HTML → sanitised Markdown, and saved web pages → their main article.

* :mod:`.policy`: the one sanitising policy (nh3 allowlist, depth limits);
* :mod:`.convert`: sanitised HTML → Markdown (markdownify, adjusted);
* :mod:`.page`: a whole page → its article (readability-lxml), trailer and title dropped;
* :mod:`.metadata`: a page's title, author and date.

URL handling is in :mod:`newsreader.ingest.urls`. Heavy libraries are imported inside the
functions, so importing this package is cheap.
"""

from newsreader.ingest.html.convert import html_to_markdown
from newsreader.ingest.html.page import HtmlDocument, extract_article
from newsreader.ingest.markdown_text import markdown_to_text

__all__ = ["HtmlDocument", "extract_article", "html_to_markdown", "markdown_to_text"]
