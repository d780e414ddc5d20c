"""The article body's Markdown reuses one parser per thread and reads text as Rich does."""

from __future__ import annotations

import io
import threading

from rich.console import Console
from rich.markdown import Markdown

from newsreader.tui.widgets.markdown_parser import ReusedParserMarkdown
from newsreader.tui.widgets.markdown_sections import _Markdown

TEXT = """# Title

Some *emphasis*, **strong**, ~~struck~~ and `code`, a [link](https://example.com/a).

| a | b |
|---|---|
| 1 | 2 |

```python
print("hi")
```

> quoted

1. one
2. two
"""


def lines(markdown: Markdown) -> list[str]:
    console = Console(width=60, file=io.StringIO(), color_system="truecolor", force_terminal=True)
    rendered = console.render_lines(markdown, console.options, pad=False)
    return ["".join(f"{s.text}{s.style!r}" for s in line) for line in rendered]


class _PlainHeadings(_Markdown):
    """Rich's own construction (a new parser), with the body's elements."""

    def __init__(self, markup: str) -> None:
        Markdown.__init__(self, markup, code_theme="monokai", hyperlinks=True)


def test_the_parser_reads_as_rich_does_and_is_made_once_per_thread() -> None:
    mine = _Markdown(TEXT)
    rich = _PlainHeadings(TEXT)
    assert vars(mine) == vars(rich)
    assert lines(mine) == lines(rich)
    parser = ReusedParserMarkdown._parsers.parser
    _Markdown("more")
    assert ReusedParserMarkdown._parsers.parser is parser
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(_Markdown(TEXT).parsed))
    thread.start()
    thread.join()
    assert other == [rich.parsed]


def test_a_picture_shown_as_its_alt_text_reads_without_escapes() -> None:
    # Pictures hidden (i) or not drawn: the alt text is shown, as the reader wrote it.
    console = Console(width=60, file=io.StringIO(), color_system=None)
    markdown = "![A gradient \\[test\\]](https://img.example/g.png)\n"
    console.print(_Markdown(markdown))
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert "A gradient [test]" in shown and "\\" not in shown
