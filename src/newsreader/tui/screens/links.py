"""Links of the open article: the browser, numbered links and the link picker."""

from __future__ import annotations

from textual import on

from newsreader.context import AppContext
from newsreader.tui import browser, wording
from newsreader.tui.screens.link_picker import LinkPicker, PickerEntry
from newsreader.tui.screens.pictures import PicturesScreen
from newsreader.tui.widgets.article_pane import ArticlePane


class LinksScreen(PicturesScreen):
    """A screen that opens the links of its article pane (a base class)."""

    ctx: AppContext

    def _open_url(self, url: str) -> None:
        browser.open_checked(self.app, url)

    def action_open_browser(self) -> None:
        target = self._target()
        if target is None:
            self.notify(wording.nothing_highlighted())
            return
        browser.open_page(self.app, target.link)

    def action_open_link(self, number: int) -> None:
        links = self.pane.links
        if 1 <= number <= len(links):
            self._open_url(links[number - 1])
        else:
            self.notify(wording.no_such_link(number, len(links)), severity="warning")

    def action_link_picker(self) -> None:
        entries = self.pane.picker_entries()
        if not entries:
            self.notify("The article has no links.", severity="warning")
            return

        def chosen(entry: PickerEntry | None) -> None:
            player = self.ctx.config.settings.player
            if entry is None:
                return
            if entry.kind == "image":
                self.view_picture(entry.url)
            elif entry.kind == "attachment" and player:
                browser.play(self.app, player, entry.url)
            else:
                self._open_url(entry.url)

        self.app.push_screen(LinkPicker(entries), chosen)

    @on(ArticlePane.LinkRequested)
    def _link_requested(self, event: ArticlePane.LinkRequested) -> None:
        self._open_url(event.url)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_article = self.pane.article is not None
        if action == "link_picker":
            return True if has_article else None
        if action == "open_link":
            # Enabled with any article open: a number past its links says so (never silent).
            return True if has_article else None
        return super().check_action(action, parameters)
