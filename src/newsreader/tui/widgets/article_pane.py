"""The article pane: header (title, source, author, date, reading time, link), an outline of
the sections, the Markdown body with styled headings, and numbered links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import unquote, urlsplit

from rich.console import Group
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.ingest.sanitize import clean_line, clean_text, safe_link
from newsreader.model import Article
from newsreader.render import describe_enclosure, reading_minutes
from newsreader.tui.actions import Scope, bindings
from newsreader.tui.article_links import anchor_of, image_refs, mark_pictures, number_links
from newsreader.tui.screens.link_picker import PickerEntry
from newsreader.tui.text import long_date, plain
from newsreader.tui.widgets.long_article import LongArticleBody, split_sections

if TYPE_CHECKING:
    from newsreader.images.loader import ImageResult

#: Loads one picture: (url, box in pixels) -> result (``ImageLoader.load`` fits).
Loader = Callable[[str, tuple[int, int]], Awaitable["ImageResult"]]
PICTURE_MAX_ROWS = 20

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
        self.images: list[tuple[str, str]] = []
        # Pictures: drawn (as half-blocks) when on and a loader is given; fetched only here,
        # when an article is opened.
        self.pictures_on = True
        self.loader: Loader | None = None
        self._pictures: dict[int, tuple[str, str]] = {}
        self._markdown = ""
        self._picture_results: dict[str, ImageResult] = {}
        self._picture_loading: set[str] = set()
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
    def outline(self) -> OptionList:
        return self.query_one("#outline", OptionList)

    def on_mount(self) -> None:
        self.border_title = "Article"
        self.long_body.on_sections = self._long_sections
        self.long_body.on_restart = self._long_restart
        self.long_body.on_pictures = self._load_pictures
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
        if self.article is None or self.article.id != article.id:
            self._picture_results = {}
            self._picture_loading = set()
        self.article = article
        marked, self.links, self.link_labels = number_links(clean_text(markdown))
        self.images = image_refs(marked)
        self.query_one("#article-header", Static).update(self._header(article))
        self.query_one("#article-links", Static).update(self._links_text())
        self.outline.clear_options()
        self._section = -1
        self._section_scroll = -1.0
        self._resume_section = -1
        self.scroller.scroll_home(animate=False)
        self.add_class("-open")
        self._long_outline(marked)
        self._markdown = marked
        self._draw_body()

    def _draw_body(self) -> None:
        marked = self._markdown
        self._pictures = {}
        if self.pictures_on and self.loader is not None:
            marked, self._pictures = mark_pictures(marked)
        captions = {index: clean_line(alt, 200) for index, (_, alt) in self._pictures.items()}
        self.long_body.show(marked, captions, self._picture_rows())

    def _picture_rows(self) -> int:
        columns = max(10, self.long_body.size.width or self.scroller.size.width - 2)
        return max(4, min(PICTURE_MAX_ROWS, round(columns * 9 / 16 / 2)))

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
        self.pictures_on = not self.pictures_on
        if self.article is not None:
            self._draw_body()
        return self.pictures_on

    def _load_pictures(self, placed: list[tuple[int, int]]) -> None:
        """Pictures got their place in the body: draw each, loading it once per article."""
        loader = self.loader
        if loader is None:
            return
        for index, _ in placed:
            picture = self._pictures.get(index)
            if picture is None:
                continue
            result = self._picture_results.get(picture[0])
            if result is not None:
                self._draw_picture(index, picture, result)
            elif picture[0] not in self._picture_loading:
                self._picture_loading.add(picture[0])
                self.run_worker(
                    self._load_picture(loader, index, picture),
                    group="pictures",
                    exit_on_error=False,
                )

    async def _load_picture(self, loader: Loader, index: int, picture: tuple[str, str]) -> None:
        article_id = self.article.id if self.article else None
        body = self.long_body
        columns = max(1, body.size.width - 2)
        result = await loader(picture[0], (columns, body.picture_rows * 2))
        if self.article is None or self.article.id != article_id:
            return  # another article since
        self._picture_loading.discard(picture[0])
        self._picture_results[picture[0]] = result
        if self._pictures.get(index) == picture:
            self._draw_picture(index, picture, result)

    def _draw_picture(self, index: int, picture: tuple[str, str], result: ImageResult) -> None:
        from newsreader.tui.image_view import picture_strips

        body = self.long_body
        alt = picture[1]
        if result.decoded is None:
            reason = clean_line(result.error or "not available", 120)
            body.drop_picture(index, f"🖼 {clean_line(alt, 200)} ({reason})")
            return
        image = result.decoded.image
        columns = max(1, body.size.width - 2)
        rows = body.picture_rows
        width, height = max(1, image.width), max(1, (image.height + 1) // 2)
        body.set_picture(index, picture_strips(image, min(width, columns), min(height, rows)))

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
        # A blog's author is often the blog's own name: say it once.
        if article.author and article.author.strip().casefold() != (
            article.feed_title.strip().casefold()
        ):
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
        """The numbered links, then the attachments (podcast episodes and the like)."""
        text = Text()
        if self.links:
            text.append("Links\n", style="bold")
            for number, url in enumerate(self.links, start=1):
                text.append(f"[{number}] ", style="bold")
                text.append_text(plain(url, style="dim"))
                text.append("\n")
        attachments = self.attachments
        if attachments:
            text.append("\nAttachments\n" if self.links else "Attachments\n", style="bold")
            for entry in attachments:
                text.append(f"{entry.label} ", style="bold")
                text.append_text(plain(entry.url, style="dim"))
                text.append("\n")
        text.rstrip()
        return text

    @property
    def attachments(self) -> list[PickerEntry]:
        """The open article's enclosures that can be opened (http/https), described."""
        if self.article is None:
            return []
        return [
            PickerEntry("attachment", describe_enclosure(e), e.url)
            for e in self.article.enclosures
            if safe_link(e.url)
        ]

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
