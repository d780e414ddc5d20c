"""Rich's Markdown with one parser per thread.

``rich.markdown.Markdown`` makes a new markdown-it parser for every text it is given (half a
millisecond); the article body is rendered a section at a time, so an article paid for a
parser per section. :class:`ReusedParserMarkdown` reads the text the same way with a parser
made once per thread.
"""

from __future__ import annotations

import threading

from markdown_it import MarkdownIt
from rich.markdown import Markdown


class ReusedParserMarkdown(Markdown):
    """``Markdown(markup, code_theme, hyperlinks=...)`` with a parser made once per thread."""

    _parsers = threading.local()

    def __init__(self, markup: str, code_theme: str = "monokai", hyperlinks: bool = True):
        # As Markdown.__init__ (its other arguments left at their defaults).
        parser = getattr(self._parsers, "parser", None)
        if parser is None:
            parser = self._parsers.parser = MarkdownIt().enable("strikethrough").enable("table")
        self.markup = markup
        self.parsed = parser.parse(markup)
        self.code_theme = code_theme
        self.justify = None
        self.style = "none"
        self.hyperlinks = hyperlinks
        self.inline_code_lexer = None
        self.inline_code_theme = code_theme
