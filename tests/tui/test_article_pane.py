"""Pilot tests of the article pane: the body drawn as lines off the UI thread, links that read
as text with numbers, the link picker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from tui_helpers import NOW

from newsreader.model import Enclosure, FeedKind, NewArticle
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]

BODY = """An opening paragraph about the [Certificate Transparency](https://www.certificate-transparency.org/)
project, see also <https://example.com/bare> and [https://example.org/same](https://example.org/same).

## Merkle [Trees](https://example.net/trees)

A jump [back to the top](#introduction) and a [local file](file:///etc/passwd).

### Small heading

- first item
- second item

> a quoted line

```
code line
```
"""


def add_article(store: Store, body: str, **extra: object) -> None:
    feed = store.ensure_feed("https://x.example/feed", "Feed", FeedKind.FEED)
    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key="a",
                title="An article",
                published=NOW - timedelta(hours=1),
                body=body,
                text=body,
                link="https://x.example/a",
                **extra,  # type: ignore[arg-type]
            )
        ],
    )


async def settle(app: NewsreaderApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def body_text(app: NewsreaderApp) -> list[str]:
    body = app.main.pane.long_body
    return [strip.text.rstrip() for strip in body.lines]


async def test_every_article_is_drawn_as_lines_without_markdown_widgets(
    store: Store, make_app: App
) -> None:
    add_article(store, BODY)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.main.pane
        assert not pane.query("Markdown"), "the body is laid out by the Markdown widget"
        lines = body_text(app)
        assert any("first item" in line and "•" in line for line in lines)
        assert any("a quoted line" in line for line in lines)
        assert any("code line" in line for line in lines)
        # Headings at known lines, each with a blank line before it (h3 as well as h2).
        labels = [label for _, label, _ in pane.long_body.headings]
        assert labels == ["Merkle Trees", "Small heading"]
        for _, _, row in pane.long_body.headings:
            assert lines[row - 1] == ""
        # Headings are drawn in their style: bold.
        row = pane.long_body.headings[0][2]
        assert any(seg.style is not None and seg.style.bold for seg in pane.long_body.lines[row])


async def test_links_read_as_text_with_numbers_and_are_listed_below(
    store: Store, make_app: App
) -> None:
    add_article(store, BODY)
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.main.pane
        text = "\n".join(body_text(app))
        assert "Certificate Transparency[1]" in text
        assert "certificate-transparency.org" not in text  # not inline: listed below
        assert text.count("https://example.org/same") == 1  # a link whose text is its URL
        # Only links leaving the page are numbered; an anchor and a file link are not.
        assert "back to the top" in text and "top[" not in text
        assert "local file" in text and "file:" not in text
        assert pane.links == [
            "https://www.certificate-transparency.org/",
            "https://example.com/bare",
            "https://example.org/same",
        ]
        # Headings carry no link clutter, in the body nor in the outline.
        outline = [str(option.prompt).strip() for option in pane.outline.options]
        assert outline == ["Merkle Trees", "Small heading"]
        assert "Merkle Trees" in text and "Trees[" not in text
        listed = str(pane.query_one("#article-links").render())
        assert "[1] https://www.certificate-transparency.org/" in listed


async def test_link_picker_opens_links_past_nine_by_number(store: Store, make_app: App) -> None:
    links = " ".join(f"[link {n}](https://example.com/{n})" for n in range(1, 13))
    add_article(
        store,
        f"Many links: {links}.\n\n![a chart](https://img.example/chart.png)\n",
        enclosures=(Enclosure("https://cdn.example/ep.mp3", "audio/mpeg", 42_100_000),),
    )
    app = make_app()
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("L")
        await pilot.pause()
        assert app.screen.id == "link-picker"
        picker = app.screen.query_one("#link-list")
        assert picker.option_count == 14  # type: ignore[attr-defined]
        await pilot.press("1", "1")
        await pilot.pause()
        assert opened == ["https://example.com/11"]
        assert app.screen.id != "link-picker"
        # The image and the attachment follow the links; Enter opens the highlighted one.
        await pilot.press("L", "down", "down", "enter")
        await pilot.pause()
        assert opened[-1] == "https://example.com/3"
        await pilot.press("L", "1", "4")
        await pilot.pause()
        assert opened[-1] == "https://cdn.example/ep.mp3"
        listed = str(app.main.pane.query_one("#article-links").render())
        assert "[audio/mpeg, 42.1 MB] https://cdn.example/ep.mp3" in listed


LONG_BODY = "\n\n".join(
    f"## Part {n}\n\n" + f"Sentence {n} of a long read. " * 30 for n in range(12)
)


async def test_j_k_g_G_scroll_the_article_from_its_body_and_its_outline(
    store: Store, make_app: App
) -> None:
    add_article(store, LONG_BODY)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.main.pane
        scroller = pane.scroller
        scroller.focus()
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroller.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroller.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert scroller.scroll_y == 0
        # From the outline, j moves the body too (the list's cursor stays).
        cursor = app.main.articles.cursor
        pane.outline.focus()
        await pilot.press("j", "j")
        await pilot.pause()
        assert scroller.scroll_y == 2
        assert app.main.articles.cursor == cursor


async def test_z_gives_the_article_the_whole_screen_with_a_capped_measure(
    store: Store, make_app: App
) -> None:
    add_article(store, LONG_BODY)
    app = make_app()
    async with app.run_test(size=(200, 45)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.main.pane
        assert app.main.articles.display and app.main.articles.region.width > 0
        await pilot.press("z")
        await settle(app, pilot)
        assert pane.region.width == 200
        assert app.main.articles.region.width == 0
        body = pane.long_body.region
        # About 80 columns of text, centred beside the outline.
        assert body.width <= 84
        room = pane.scroller.region
        assert room.width > 120
        assert abs((body.x - room.x) - (room.right - body.right)) <= 4
        await pilot.press("z")
        await pilot.pause()
        assert app.main.articles.region.width > 0


async def test_space_at_the_end_opens_the_next_unread_article(store: Store, make_app: App) -> None:
    feed = store.ensure_feed("https://x.example/feed", "Feed", FeedKind.FEED)
    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key=f"k{n}", title=f"Short {n}", published=NOW - timedelta(hours=n), body="Short."
            )
            for n in range(3)
        ],
    )
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        first = app.main.pane.article
        assert first is not None and first.title == "Short 0"
        await pilot.press("space")
        await settle(app, pilot)
        second = app.main.pane.article
        assert second is not None and second.title == "Short 1"


async def test_author_named_like_the_feed_is_said_once_and_no_rule_when_empty(
    store: Store, make_app: App
) -> None:
    feed = store.ensure_feed("https://x.example/feed", "DC Rainmaker", FeedKind.FEED)
    store.upsert_articles(
        feed.id,
        [NewArticle(key="a", title="A watch", published=NOW, body="Text.", author="DC Rainmaker")],
    )
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        header = app.main.pane.query_one("#article-header")
        assert header.styles.border_bottom[0] in ("", "none")  # nothing under the welcome text
        await pilot.press("enter")
        await settle(app, pilot)
        shown = [strip.text for strip in app.screen._compositor.render_strips()]  # type: ignore[attr-defined]
        meta = next(line for line in shown if "min\u00a0read" in line)
        assert meta.count("DC Rainmaker") == 1, meta
        assert header.styles.border_bottom[0] == "hkey"


async def test_attachment_plays_with_the_configured_player_url_as_one_argument(
    store: Store, make_app: App, tmp_path: Path
) -> None:
    import sys

    from tui_helpers import write_config

    record = tmp_path / "argv.json"
    script = tmp_path / "player.py"
    script.write_text(
        f"import json, sys\nopen({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
        "utf-8",
    )
    url = "https://cdn.example/ep 1.mp3?a=1;touch /tmp/x"
    add_article(store, "An episode.", enclosures=(Enclosure(url, "audio/mpeg", 1234),))
    config = write_config(tmp_path / "player.toml", player=f"{sys.executable} {script} --no-video")
    app = make_app(config)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("L", "enter")
        await settle(app, pilot)
        for _ in range(100):
            if record.exists():
                break
            await asyncio.sleep(0.05)
    assert json.loads(record.read_text("utf-8")) == ["--no-video", url]


async def test_search_words_are_marked_in_the_article_and_full_stop_comma_jump(
    store: Store, make_app: App
) -> None:
    filler = "\n\n".join(f"Plain paragraph {n} with nothing to find. " * 3 for n in range(25))
    add_article(
        store,
        f"The Tomahawk debate opens.\n\n{filler}\n\nMore about TOMAHAWKS later.\n\n{filler}\n\n"
        "A last tomahawk here.",
    )
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("slash", *"tomahawk")
        await pilot.pause(0.4)
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        body = app.main.pane.long_body
        scroller = app.main.pane.scroller
        lines = body.match_lines()
        assert len(lines) == 3

        def marked_cells(y: int) -> str:
            return "".join(
                seg.text
                for seg in body.render_line(y)
                if seg.style is not None and seg.style.bold and seg.style.bgcolor is not None
            )

        assert marked_cells(lines[0]).lower() == "tomahawk"
        # The rest of a marked line is drawn as before.
        assert body.render_line(lines[0]).text.rstrip() == body.lines[lines[0]].text.rstrip()
        assert "The Tomahawk debate opens." in body.render_line(lines[0]).text
        top = app.main.pane._y(body)
        await pilot.press("full_stop")
        await pilot.pause()
        assert scroller.scroll_y == top + lines[0] - 2
        await pilot.press("full_stop")
        await pilot.pause()
        assert scroller.scroll_y == top + lines[1] - 2
        await pilot.press("full_stop")
        await pilot.pause()
        assert scroller.scroll_y == min(scroller.max_scroll_y, top + lines[2] - 2)
        await pilot.press("comma")
        await pilot.pause()
        assert scroller.scroll_y == top + lines[1] - 2
        # Leaving the search leaves the article unmarked.
        await pilot.press("escape")
        await pilot.pause()
        assert body.match_lines() == []


async def test_clicking_a_link_opens_it_and_an_anchor_jumps(store: Store, make_app: App) -> None:
    filler = "\n\n".join(f"Paragraph {n} of filler text." for n in range(40))
    add_article(
        store,
        f"See [the spec](https://spec.example/) or [the end](#the-end).\n\n{filler}\n\n"
        "## The end\n\nDone.",
    )
    app = make_app()
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        body = app.main.pane.long_body
        row = next(y for y, strip in enumerate(body.lines) if "the spec" in strip.text)
        text = body.lines[row].text
        await pilot.click(body, offset=(text.index("the spec") + 2, row))
        await pilot.pause()
        assert opened == ["https://spec.example/"]
        await pilot.click(body, offset=(text.index("the end") + 2, row))
        await pilot.pause()
        heading = app.main.pane._heading_ys()[0]
        assert app.main.pane.scroller.scroll_y == min(app.main.pane.scroller.max_scroll_y, heading)
        assert opened == ["https://spec.example/"]
