"""The line-drawn body takes a picture's lines as they are drawn: lines below the screen are
not made until the reader scrolls to them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.strip import Strip

from newsreader.tui.widgets.long_article import PICTURE_MARK, LongArticleBody


class CountingLines(Sequence[Strip]):
    """A picture's lines that note which were asked for."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.asked: set[int] = set()

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, row: int) -> Strip:  # type: ignore[override]
        self.asked.add(row)
        return Strip([Segment(f"picture row {row}")])


class BodyApp(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="scroller"):
            yield LongArticleBody(id="body")


async def test_picture_lines_are_made_only_when_drawn() -> None:
    app = BodyApp()
    async with app.run_test(size=(60, 12)) as pilot:
        body = app.query_one(LongArticleBody)
        text = "\n\n".join(f"Paragraph {n}." for n in range(3))
        markdown = f"{text}\n\n{PICTURE_MARK.format(0)}\n\n{PICTURE_MARK.format(1)}\n\nThe end."
        body.show(markdown, {0: "first", 1: "second"}, picture_rows=8)
        await pilot.pause()
        assert sorted(body.pictures) == [0, 1]
        first, second = CountingLines(8), CountingLines(8)
        body.set_picture(0, first)
        body.set_picture(1, second)
        await pilot.pause()
        # The screen shows the paragraphs and the top of the first picture only.
        assert first.asked and first.asked != set(range(8))
        assert second.asked == set()
        top = body.pictures[0]
        shown = [body.render_line(top + row).text for row in sorted(first.asked)]
        assert shown[0].startswith("picture row 0")
        app.query_one("#scroller", VerticalScroll).scroll_end(animate=False)
        await pilot.pause()
        assert second.asked  # drawn now that it is on the screen
        assert body.line(body.pictures[1] + 7).text == "picture row 7"
