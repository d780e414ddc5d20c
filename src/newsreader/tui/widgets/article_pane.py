"""The article pane: header (title, source, author, date, reading time, link), an outline of
the sections, the Markdown body with styled headings, and numbered links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.ingest.sanitize import clean_text
from newsreader.model import Article
from newsreader.render import image_refs
from newsreader.tui.actions import Scope, bindings
from newsreader.tui.article_links import anchor_of, number_links
from newsreader.tui.screens.link_picker import PickerEntry
from newsreader.tui.text import plain
from newsreader.tui.widgets.article_header import article_header, attachment_entries, links_text
from newsreader.tui.widgets.article_pictures import ArticlePictures, Loader
from newsreader.tui.widgets.long_article import LongArticleBody, split_sections

OUTLINE_BESIDE_WIDTH = 90
OUTLINE_ABOVE_HEIGHT = 20

WELCOME = Text.assemble(
    ("No article open\n\n", "bold"),
    "Highlight an article and press Enter to read it here.\n",
    "Press ? for every key, Ctrl+P for the command palette.",
)


class ArticlePane(Vertical):
    """Shows one article; scrolls, jumps between sections and opens its links."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings(Scope.ARTICLE_PANE)]

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
        self.link_labels: list[str] = []
        self.images: list[tuple[str, str]] = []  # (alt, url) of each picture, for the picker
        # Pictures: drawn when on and a loader is given; fetched only when an article is opened.
        self.pictures = ArticlePictures(self, lambda: self.long_body)
        self._markdown = ""
        self.outline_wanted = True
        self.outline_forced = False
        self._section = -1
        self._section_scroll = -1.0
        self._resume_section = -1

    def compose(self) -> ComposeResult:
        yield OptionList(id="outline")
        with VerticalScroll(id="article-scroll"):
            yield Static(WELCOME, id="article-header")
            yield LongArticleBody(id="article-long-body")
            yield Static("", id="article-links")

    @property
    def scroller(self) -> VerticalScroll:
        return self.query_one("#article-scroll", VerticalScroll)

    @property
    def long_body(self) -> LongArticleBody:
        return self.query_one("#article-long-body", LongArticleBody)

    @property
    def drawn(self) -> Article | None:
        """The open article once the first lines of its body are on screen."""
        body = self.long_body
        return self.article if body.lines or body.complete else None

    @property
    def loader(self) -> Loader | None:
        """Loads the pictures (None: pictures are off, nothing is fetched)."""
        return self.pictures.loader

    @loader.setter
    def loader(self, loader: Loader | None) -> None:
        self.pictures.loader = loader

    @property
    def outline(self) -> OptionList:
        return self.query_one("#outline", OptionList)

    def on_mount(self) -> None:
        self.border_title = "Article"
        self.long_body.on_sections = self._long_sections
        self.long_body.on_restart = self._long_restart
        self.long_body.on_pictures = self.pictures.load
        self.long_body.on_drawing = self.pictures.prepare
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
        self.pictures.new_article(article.id)
        self.article = article
        marked, self.links, self.link_labels = number_links(clean_text(markdown))
        self.images = image_refs(marked)
        self.query_one("#article-header", Static).update(article_header(article, self.clock()))
        self.query_one("#article-links", Static).update(links_text(self.links, self.attachments))
        self.outline.clear_options()
        self._section = -1
        self._section_scroll = -1.0
        self._resume_section = -1
        self.scroller.scroll_home(animate=False)
        layout = self._layout_classes()
        self.add_class("-open")
        self._long_outline(marked)
        self._markdown = marked
        # When the scrollbar or the outline comes or goes, the body's width changes: it is
        # drawn once at its new width (after the layout) rather than twice.
        self._draw_body(after_layout=layout != self._layout_classes())

    def _layout_classes(self) -> tuple[bool, ...]:
        return tuple(self.has_class(c) for c in ("-open", "-outline-hidden", "-outline-beside"))

    def _draw_body(self, *, after_layout: bool = False) -> None:
        marked, captions = self.pictures.mark(self._markdown)
        columns = self.long_body.size.width or self.scroller.size.width - 2
        self.long_body.show(marked, captions, self.pictures.rows(columns), after_layout)

    def set_search(self, query: str) -> None:
        """Mark the words of ``query`` (the active search; "" for none) in the body."""
        from newsreader.tui.match_marks import query_pattern

        self.long_body.set_highlight(query_pattern(query) if query.strip() else None)

    def jump_to_match(self, *, forward: bool) -> bool:
        """Scroll the next (previous) line holding a search match to the top; False if none."""
        top = self._y(self.long_body)
        lines = [top + line for line in self.long_body.match_lines()]
        scroll_y = int(self.scroller.scroll_y)
        shown = scroll_y + 2  # a match is brought two lines below the top, with its context
        if forward:
            target = next((y for y in lines if y > shown), None)
        else:
            target = next((y for y in reversed(lines) if y < shown), None)
        if target is None:
            return False
        self.scroller.scroll_to(y=max(0, target - 2), animate=False, immediate=True)
        return True

    def toggle_pictures(self) -> bool:
        """Pictures on or off for this session (the open article is drawn again)."""
        self.pictures.on = not self.pictures.on
        if self.article is not None:
            self._draw_body()
        return self.pictures.on

    def picture_in_view(self) -> int:
        """The index (in :attr:`images`) of the first picture at or below the top of the
        view, else of the last one above it; 0 when there is none drawn inline."""
        urls = [url for _, url in self.images]
        body = self.long_body
        top = self.scroller.scroll_y - self._y(body)
        placed = sorted(
            (line, self.pictures.placed[index][0])
            for index, line in body.pictures.items()
            if index in self.pictures.placed
        )
        below = [url for line, url in placed if line + body.picture_rows > top]
        chosen = below[0] if below else (placed[-1][1] if placed else "")
        return urls.index(chosen) if chosen in urls else 0

    def update_state(self, article: Article) -> None:
        """Redraw the header after ``article``'s read/starred state changed."""
        if self.article is not None and self.article.id == article.id:
            self.article = article
            self.query_one("#article-header", Static).update(article_header(article, self.clock()))

    @property
    def attachments(self) -> list[PickerEntry]:
        """The open article's enclosures that can be opened (http/https), described."""
        return attachment_entries(self.article)

    def picker_entries(self) -> list[PickerEntry]:
        """Every link, image and attachment of the open article, links first (by number)."""
        entries = [
            PickerEntry("link", label, url)
            for label, url in zip(self.link_labels, self.links, strict=True)
        ]
        entries.extend(PickerEntry("image", alt, url) for alt, url in self.images)
        entries.extend(self.attachments)
        return entries

    # -- outline ----------------------------------------------------------------------------

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

    @on(LongArticleBody.LinkClicked)
    def _link_clicked(self, event: LongArticleBody.LinkClicked) -> None:
        event.stop()
        if event.href.startswith("#"):
            wanted = event.href[1:].lower()
            labels = [anchor_of(label) for _, label, _ in self.long_body.headings]
            if wanted in labels:
                self.jump_to(labels.index(wanted))
            return
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
        top = self._y(self.long_body)
        return [top + line for _, _, line in self.long_body.headings]

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
        elif index >= len(ys) and index < self.outline.option_count:
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

    def page_down(self) -> bool:
        """A page down; False when the article's end was already on screen."""
        scroller = self.scroller
        if scroller.scroll_y >= scroller.max_scroll_y and self.long_body.complete:
            return False
        scroller.scroll_page_down(animate=False)
        return True

    # j, k, g, G while the pane (its body or its outline) has the focus: the body scrolls.

    def action_scroll_down(self) -> None:
        self.scroller.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.scroller.scroll_up(animate=False)

    def action_scroll_top(self) -> None:
        self.scroller.scroll_home(animate=False)

    def action_scroll_bottom(self) -> None:
        self.scroller.scroll_end(animate=False)

    def page_up(self) -> None:
        self.scroller.scroll_page_up(animate=False)
