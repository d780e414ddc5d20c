"""Opening links in the user's web browser, off the UI thread, saying what happened."""

from __future__ import annotations

from typing import Any

from textual.app import App

from newsreader.ingest.sanitize import clean_line, safe_link
from newsreader.tui import wording


def open_checked(app: App[Any], url: str) -> None:
    """Open ``url`` with ``app.open_url`` if it is an http(s) link; else say why not."""
    link = safe_link(url)
    if not link:
        app.notify("Only http and https links open in the browser.", severity="warning")
        return
    app.open_url(link)


def open_page(app: App[Any], link: str) -> None:
    """Open an article's web page, or say why it has none (a local file has none)."""
    if not safe_link(link):
        if link.lower().startswith("file:"):
            from urllib.parse import unquote, urlsplit

            name = unquote(urlsplit(link).path).rsplit("/", 1)[-1]
            app.notify(wording.local_file(name), markup=False)
        else:
            app.notify("This article has no web page to open.", severity="warning")
        return
    open_checked(app, link)


def launch(app: App[Any], url: str) -> None:
    """Open ``url`` in the web browser (in a thread worker), saying so, or why it could not."""
    app.run_worker(lambda: _launch(app, url), thread=True, group="browser", exit_on_error=False)


def _launch(app: App[Any], url: str) -> None:
    # webbrowser may run a program and wait for it: never on the UI thread.
    import webbrowser

    shown = clean_line(url, 200)
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        app.call_from_thread(
            app.notify,
            f"No web browser found (set $BROWSER). The link is:\n{shown}",
            title="Cannot open",
            severity="warning",
            markup=False,
            timeout=15,
        )
        return
    if type(browser) is webbrowser.GenericBrowser:
        # A terminal browser (lynx, w3m...) needs the terminal: lend it while it runs.
        app.call_from_thread(_open_in_terminal, app, browser, url)
        return
    try:
        opened = browser.open(url)
    except Exception:  # a browser that fails to start is reported, never a crash
        opened = False
    app.call_from_thread(_report, app, url, opened)


def _open_in_terminal(app: App[Any], browser: Any, url: str) -> None:
    from textual.app import SuspendNotSupported

    try:
        with app.suspend():
            opened = bool(browser.open(url))
    except SuspendNotSupported:
        opened = False
    _report(app, url, opened)


def _report(app: App[Any], url: str, opened: bool) -> None:
    shown = clean_line(url, 200)
    if opened:
        app.notify(shown, title="Opening", markup=False)
    else:
        app.notify(
            f"The web browser could not open:\n{shown}",
            title="Cannot open",
            severity="warning",
            markup=False,
            timeout=15,
        )
