"""The article pane: header (title, source, author, date, reading time, link), an outline of
the sections, the Markdown body with styled headings, and numbered links."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from rich.console import Group
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from newsreader.ingest.sanitize import clean_text, safe_link
from newsreader.model import Article
from newsreader.render import reading_minutes
from newsreader.tui.text import long_date, plain
from newsreader.tui.widgets.long_article import LongArticleBody, is_long, split_sections

# An inline Markdown link (not an image) whose target is an http(s) URL.
_LINK = re.compile(
    r"(?<!!)(\[(?:[^\[\]]|\\.)*\]\((<[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\))", re.IGNORECASE
)
OUTLINE_BESIDE_WIDTH = 90
OUTLINE_ABOVE_HEIGHT = 20

WELCOME = Text.assemble(
    ("No article open\n\n", "bold"),
    "Highlight an article and press Enter to read it here.\n",
    "Press ? for every key, Ctrl+P for the command palette.",
)


def number_links(markdown: str) -> tuple[str, list[str]]:
    """Mark each http(s) link in ``markdown`` with its number, e.g. ``text [1]``.

    Returns the marked Markdown and the link targets in order (a repeated target keeps its
    first number).
    """
    targets: list[str] = []

    def mark(match: re.Match[str]) -> str:
        target = match.group(2).strip("<>")
        if not target.lower().startswith(("http://", "https://")):
            return match.group(0)
        if target not in targets:
            targets.append(target)
        return f"{match.group(1)} \\[{targets.index(target) + 1}\\]"

    return _LINK.sub(mark, markdown), targets


class ArticleBody(Markdown):
    """The rendered article; link clicks are checked before anything opens."""


class ArticlePane(Vertical):
    """Shows one article; scrolls, jumps between sections and opens its links."""

    @dataclass
    class LinkRequested(Message):
        """The user clicked a link in the article."""

        url: str

    @dataclass
    class Shown(Message):
        """An article was laid out in the pane."""

        article: Article

    @dataclass
    class _Show(Message):
        article: Article
        markdown: str

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.article: Article | None = None
        self.links: list[str] = []
        self.outline_wanted = True
        self.outline_forced = False
        self._section = -1
        self._section_scroll = -1.0
        self._resume_section = -1

    def compose(self) -> ComposeResult:
        yield OptionList(id="outline")
        with VerticalScroll(id="article-scroll"):
            yield Static(WELCOME, id="article-header")
            yield ArticleBody(id="article-body", open_links=False)
            yield LongArticleBody(id="article-long-body")
            yield Static("", id="article-links")

    @property
    def scroller(self) -> VerticalScroll:
        return self.query_one("#article-scroll", VerticalScroll)

    @property
    def body(self) -> ArticleBody:
        return self.query_one("#article-body", ArticleBody)

    @property
    def long_body(self) -> LongArticleBody:
        return self.query_one("#article-long-body", LongArticleBody)

    @property
    def is_long(self) -> bool:
        """Whether the open article is drawn by the long-article body."""
        return self.long_body.display

    @property
    def outline(self) -> OptionList:
        return self.query_one("#outline", OptionList)

    def on_mount(self) -> None:
        self.border_title = "Article"
        self.long_body.display = False
        self.long_body.on_sections = self._long_sections
        self.long_body.on_restart = self._long_restart
        self._place_outline()

    # -- showing ----------------------------------------------------------------------------

    def show_soon(self, article: Article, markdown: str) -> None:
        """Display ``article`` once this pane gets to it (its queue, not the caller's)."""
        self.post_message(self._Show(article, markdown))

    @on(_Show)
    async def _show(self, event: _Show) -> None:
        event.stop()
        await self.show(event.article, event.markdown)
        self.post_message(self.Shown(event.article))

    async def show(self, article: Article, markdown: str) -> None:
        """Display ``article`` with its body ``markdown``."""
        self.article = article
        marked, self.links = number_links(clean_text(markdown))
        self.query_one("#article-header", Static).update(self._header(article))
        self.query_one("#article-links", Static).update(self._links_text())
        self.outline.clear_options()
        self._section = -1
        self._section_scroll = -1.0
        self._resume_section = -1
        self.scroller.scroll_home(animate=False)
        long = is_long(marked)
        # A long article keeps its scrollbar from the start, so its width never changes.
        self.set_class(long, "-long")
        if long:
            # Hundreds of sections take the Markdown widget minutes to lay out.
            await self.body.update("")
            self.body.display = False
            self.long_body.display = True
            self._long_outline(marked)
            self.long_body.show(marked)
        else:
            self.long_body.clear()
            self.long_body.display = False
            self.body.display = True
            await self.body.update(marked)
        self.scroller.scroll_home(animate=False)

    def update_state(self, article: Article) -> None:
        """Redraw the header after ``article``'s read/starred state changed."""
        if self.article is not None and self.article.id == article.id:
            self.article = article
            self.query_one("#article-header", Static).update(self._header(article))

    def _header(self, article: Article) -> Group:
        title = plain(article.title or "(untitled)", style="bold")
        if article.starred:
            title = Text.assemble(("★ ", "bold yellow"), title)
        parts = [plain(article.feed_title)]
        if article.author:
            parts.append(plain(article.author, limit=120))
        parts.append(Text(long_date(article.published, self.clock())))
        minutes = reading_minutes(article.word_count)
        parts.append(Text(f"{minutes}\u00a0min\u00a0read"))
        meta = Text(" · ", style="dim").join(parts)
        meta.stylize("dim")
        lines: list[Text] = [title, meta]
        for line in lines:
            line.end = "\n"
        link = safe_link(article.link)
        if link:
            lines.append(Text(link, style="underline", overflow="fold"))
        elif article.link.startswith("file:"):
            name = unquote(urlsplit(article.link).path).rsplit("/", 1)[-1]
            lines.append(plain(f"File: {name}", style="dim"))
        return Group(*lines)

    def _links_text(self) -> Text:
        if not self.links:
            return Text("")
        text = Text("Links\n", style="bold")
        for number, url in enumerate(self.links, start=1):
            text.append(f"[{number}] ", style="bold")
            text.append(url + "\n", style="dim")
        text.rstrip()
        return text

    # -- outline ----------------------------------------------------------------------------

    @on(Markdown.TableOfContentsUpdated)
    def _contents(self, event: Markdown.TableOfContentsUpdated) -> None:
        event.stop()
        if self.is_long:
            return  # The long-article body fills the outline itself.
        options = []
        top = min((level for level, _, _ in event.table_of_contents), default=1)
        for level, label, block_id in event.table_of_contents:
            prompt = Text("  " * (level - top), end="")
            prompt.append_text(plain(label))
            options.append(Option(prompt, id=block_id))
        self.outline.clear_options()
        self.outline.add_options(options)
        self._place_outline()

    def _long_outline(self, markdown: str) -> None:
        """The outline of a long article, before its body is drawn (so its width is known)."""
        headings = [(s.level, s.label) for s in split_sections(markdown) if s.level]
        top = min((level for level, _ in headings), default=1)
        options = []
        for index, (level, label) in enumerate(headings):
            prompt = Text("  " * (level - top), end="")
            prompt.append_text(plain(label))
            options.append(Option(prompt, id=f"section-{index}"))
        self.outline.add_options(options)
        self._place_outline()

    def _long_sections(self, added: list[tuple[int, str, int]]) -> None:
        """More of a long article was drawn: jump to a section that was waiting for it."""
        if 0 <= self._resume_section < len(self.long_body.headings):
            self.jump_to(self._resume_section)

    def _long_restart(self) -> None:
        """The long article is drawn again at a new width: come back to the same section."""
        if self._section >= 0 and self._section_scroll == self.scroller.scroll_y:
            self._resume_section = self._section

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.post_message(self.LinkRequested(event.href))

    @on(OptionList.OptionSelected, "#outline")
    def _outline_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.jump_to(event.option_index)

    def toggle_outline(self) -> None:
        shown = not self.has_class("-outline-hidden")
        self.outline_wanted = not shown
        self.outline_forced = not shown
        self._place_outline()

    def _place_outline(self) -> None:
        beside = self.size.width >= OUTLINE_BESIDE_WIDTH
        # Above the body, the outline only fits when the pane is tall enough to read below it.
        fits = beside or self.size.height >= OUTLINE_ABOVE_HEIGHT or self.outline_forced
        shown = self.outline_wanted and fits and self.outline.option_count > 0
        self.set_class(not shown, "-outline-hidden")
        self.set_class(beside, "-outline-beside")

    def on_resize(self, event: events.Resize) -> None:
        self._place_outline()

    # -- moving -----------------------------------------------------------------------------

    def _headings(self) -> list[Widget]:
        return list(self.body.query("MarkdownHeader"))

    def _y(self, widget: Widget) -> int:
        """``widget``'s top in the scroller's virtual space."""
        # Virtual regions do not depend on the scroll position, so this stays right between
        # a scroll and the next screen update (keys pressed in quick succession).
        scroller = self.scroller
        y = 0
        node: Widget | None = widget
        while node is not None and node is not scroller:
            y += node.virtual_region.y
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None
        return y

    def _heading_ys(self) -> list[int]:
        """Each section heading's top in the scroller's virtual space."""
        if self.is_long:
            top = self._y(self.long_body)
            return [top + line for _, _, line in self.long_body.headings]
        return [self._y(heading) for heading in self._headings()]

    def _current_section(self, ys: list[int]) -> int:
        scroll_y = self.scroller.scroll_y
        if self._section_scroll == scroll_y and 0 <= self._section < len(ys):
            return self._section
        current = -1
        for index, y in enumerate(ys):
            if y <= scroll_y + 1:
                current = index
        return current

    def jump_to(self, index: int) -> None:
        """Scroll section ``index`` to the top (before the first: to the article's top)."""
        ys = self._heading_ys()
        scroller = self.scroller
        if index < 0:
            scroller.scroll_home(animate=False)
            self._section = -1
        elif index >= len(ys) and self.is_long and index < self.outline.option_count:
            # Not drawn yet: go there as soon as it is.
            self._resume_section = index
            self.outline.highlighted = index
            return
        elif index < len(ys):
            self._resume_section = -1
            y = ys[index]
            scroller.scroll_to(y=y, animate=False, immediate=True)
            self._section = index
            self.outline.highlighted = index
            if scroller.scroll_y != y and scroller.max_scroll_y < y:
                # Lines were just added and the scroller does not know its new height yet:
                # scroll again once it does (the article's end cannot come to the top, though).
                self.call_after_refresh(self._scroll_again, index, y, scroller.scroll_y)
        self._section_scroll = scroller.scroll_y

    def _scroll_again(self, index: int, y: int, scrolled: float) -> None:
        scroller = self.scroller
        if self._section == index and scroller.scroll_y == scrolled:
            scroller.scroll_to(y=y, animate=False, immediate=True)
            self._section_scroll = scroller.scroll_y

    def next_section(self) -> bool:
        """Jump to the next section heading; False when there is none."""
        ys = self._heading_ys()
        target = self._current_section(ys) + 1
        if target >= len(ys):
            return False
        self.jump_to(target)
        return True

    def previous_section(self) -> bool:
        """Jump to the start of this section, or the previous one when already there."""
        ys = self._heading_ys()
        current = self._current_section(ys)
        if current < 0:
            if self.scroller.scroll_y <= 0:
                return False
            self.jump_to(-1)
            return True
        remembered = self._section_scroll == self.scroller.scroll_y
        at_heading = remembered or ys[current] >= self.scroller.scroll_y - 1
        self.jump_to(current - 1 if at_heading else current)
        return True

    def page_down(self) -> None:
        self.scroller.scroll_page_down(animate=False)

    def page_up(self) -> None:
        self.scroller.scroll_page_up(animate=False)
