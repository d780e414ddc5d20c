"""A very long article (hundreds of sections with tables and code): it opens without
freezing the screen, and section jumps and the outline bring each heading to the top."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from newsreader.importing import import_paths
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]
SECTIONS = 600


def long_markdown(sections: int = SECTIONS) -> str:
    """About 850 KB of Markdown: a heading, prose, a table, a code block and a list each."""
    parts = ["# A very long article\n\nAn introduction.\n"]
    for n in range(1, sections + 1):
        parts.append(f"## Section {n}\n")
        parts.append(f"Paragraph text for section {n} that wraps over several lines. " * 12)
        rows = "".join(f"| row {r} | {r * n} | a note about row {r} |\n" for r in range(n % 5 + 2))
        parts.append("| Name | Value | Notes |\n|---|---|---|\n" + rows)
        if n % 2 == 0:
            code = "".join(f"def f_{n}_{i}(x):\n    return x * {i}  # comment\n" for i in range(6))
            parts.append(f"```python\n{code}```\n")
        parts.append("- item one\n- item two with more words\n- item three\n")
        parts.append(f"Closing words for section {n}, with more text to read. " * 4)
    return "\n".join(parts) + "\n"


def article_lines(app: NewsreaderApp) -> list[str]:
    """The text on the screen in the article's scrolling region, top to bottom."""
    region = app.main.pane.scroller.region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    return [strip.crop(region.x, region.right - 1).text for strip in strips]


def top_line(app: NewsreaderApp) -> str:
    return article_lines(app)[0]


async def wait_for(condition: Callable[[], bool], seconds: float) -> float:
    """Wait (letting the app run) until ``condition`` holds; returns the time it took."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, f"not within {seconds} s"
        await asyncio.sleep(0.02)
    return time.monotonic() - start


async def test_long_article_jumps_land_on_each_heading(
    store: Store, make_app: App, tmp_path: Path
) -> None:
    source = tmp_path / "long.md"
    source.write_text(long_markdown(), "utf-8")
    assert source.stat().st_size > 800_000
    assert not import_paths(store, [source]).errors
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        app.main.open_article(app.main.articles.current.id)
        # The start of the article shows promptly, while the rest is still being drawn (its
        # title is in the header, so its first heading is Section 1).
        await wait_for(lambda: "Section 1" in [line.strip() for line in article_lines(app)], 3)
        app.set_focus(app.main.pane.scroller)
        # Jumps right after opening, then while the rest arrives.
        for n in range(1, 6):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert top_line(app).strip() == f"Section {n}", top_line(app)
        await wait_for(lambda: len(app.main.pane._heading_ys()) == SECTIONS, 8)
        await pilot.pause()
        for n in range(6, 12):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert top_line(app).strip() == f"Section {n}", (n, top_line(app))
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert top_line(app).strip() == "Section 9"
        # Far into the article, from the outline.
        app.main.pane.outline.highlighted = 399
        app.main.pane.outline.action_select()
        await pilot.pause()
        assert top_line(app).strip() == "Section 400"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert top_line(app).strip() == "Section 401"


async def test_text_of_a_long_article_can_be_selected(
    store: Store, make_app: App, tmp_path: Path
) -> None:
    # Textual asks a widget for its selected text through ``get_selection``, which calls
    # ``Widget._render``: a worker of that name once made it fail with a TypeError.
    from textual.selection import Selection

    source = tmp_path / "long.md"
    source.write_text(long_markdown(40), "utf-8")
    assert not import_paths(store, [source]).errors
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        app.main.open_article(app.main.articles.current.id)
        body = app.main.pane.long_body
        await wait_for(lambda: body.display and body.complete and bool(body.lines), 10)
        await pilot.pause()
        selected = body.get_selection(Selection(None, None))
        assert selected is not None
        assert "Section 1" in selected[0] and "Section 40" in selected[0]
        # Dragging the mouse over the body selects its text on the screen.
        await pilot.mouse_down(body, offset=(0, 0))
        await pilot.hover(body, offset=(30, 6))
        await pilot.mouse_up(body, offset=(30, 6))
        await pilot.pause()
        text = app.screen.get_selected_text()
        assert text is not None and "Section 1" in text, text
