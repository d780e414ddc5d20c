"""Pictures of the open article, full screen: from a key on the article or the link picker."""

from __future__ import annotations

from newsreader.tui import browser
from newsreader.tui.screens.marking import MarkingScreen
from newsreader.tui.screens.picture import PictureScreen
from newsreader.tui.widgets.article_pane import ArticlePane


class PicturesScreen(MarkingScreen):
    """A screen that shows its article pane's pictures full screen (a base class)."""

    pane: ArticlePane

    def view_picture(self, url: str | None = None) -> None:
        """Show the picture at ``url`` (default: the one in view) full screen; with pictures
        off (``images = "off"``), open it in the browser instead."""
        pictures = self.pane.images
        urls = [address for _, address in pictures]
        index = urls.index(url) if url in urls else self.pane.picture_in_view()
        if not pictures:
            self.notify("The article has no pictures.", severity="warning")
            return
        loader = self.pane.loader
        if loader is None:
            browser.open_checked(self.app, urls[index])
            return
        pane_pictures = self.pane.pictures
        self.app.push_screen(
            PictureScreen(pictures, index, loader, pane_pictures.mode, pane_pictures.write)
        )

    def action_view_picture(self) -> None:
        self.view_picture()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view_picture":
            return True if self.pane.article is not None and self.pane.images else None
        return super().check_action(action, parameters)
