"""End to end: the installed ``newsreader`` command driven through tmux like a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
SEED = "fixtures/stored/trump-putin-budapest.txt"
HEADING = "The Tomahawk Missile Debate"


def newsreader_command() -> str:
    beside = Path(sys.executable).parent / "newsreader"
    found = str(beside) if beside.exists() else shutil.which("newsreader")
    if not found:
        pytest.skip("the newsreader command is not installed (pip install -e .)")
    return found


class Terminal:
    """One tmux server with one window running a command."""

    def __init__(self, env: dict[str, str], size: tuple[int, int] = (120, 35)) -> None:
        self.socket = f"newsreader-e2e-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.size = size

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert TMUX is not None
        return subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, env=self.env
        )

    def start(self, command: str) -> None:
        width, height = self.size
        result = self.tmux("new-session", "-d", "-x", str(width), "-y", str(height), command)
        assert result.returncode == 0, result.stderr

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p").stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def running(self) -> bool:
        return self.tmux("has-session").returncode == 0

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{screen}")

    def wait_until_exit(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                return
            time.sleep(0.1)
        raise AssertionError(f"the app did not quit; the screen shows:\n{self.screen()}")

    def kill(self) -> None:
        self.tmux("kill-server")


def notices(screen: str) -> str:
    """The text of the notifications on ``screen`` (drawn at the right, behind a ``▌``)."""
    parts = [line.split("▌")[-1].strip(" │╯─") for line in screen.splitlines() if "▌" in line]
    return " ".join(part for part in parts if part)


def list_cell(screen: str, title: str) -> str:
    """The article list's cell of the row listing ``title``."""
    row = next(line for line in screen.splitlines() if title in line)
    return next(cell for cell in row.split("│") if title in cell)


# The first size is where the end-to-end test was written; at 80x24 the feed list and the
# outline are hidden by the layout.
SIZES = [(120, 35), (80, 24)]


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def terminal(
    isolated_home: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Terminal]:
    config = tmp_path / "feeds.toml"
    config.write_text("[settings]\nrefresh_on_start = false\n", "utf-8")
    env = {
        **os.environ,
        "NEWSREADER_CONFIG": str(config),
        "NEWSREADER_DB": str(tmp_path / "cache.db"),
        "TERM": "xterm-256color",
    }
    env.pop("TMUX", None)
    term = Terminal(env, request.param)
    yield term
    term.kill()


def test_read_jump_star_quit_and_relaunch(terminal: Terminal, shared_dir: Path) -> None:
    command = newsreader_command()
    imported = subprocess.run(
        [command, "import", str(shared_dir / SEED)],
        capture_output=True,
        text=True,
        env=terminal.env,
    )
    assert imported.returncode == 0, imported.stderr

    terminal.start(command)
    terminal.wait_for(lambda s: "All articles" in s and "1 of " in s, "the article list")
    # Find the seed article with the search bar, open it.
    terminal.keys("/")
    terminal.wait_for(lambda s: "Clear search" in s, "the search bar")
    terminal.keys("-l", "zelenskyy")
    terminal.wait_for(lambda s: "Search: zelenskyy" in s and "1 of 1" in s, "search results")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "⏎ Open" in s, "the results list")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Imported articles ·" in s, "the open article")
    # The outline lists the heading once; it is in view in the body when it shows twice.
    # At 80x24 the outline is left out (the body needs the rows): the body shows it once.
    narrow = terminal.size[0] < 100
    if narrow:
        assert terminal.screen().count(HEADING) == 0
    wanted = 1 if narrow else 2
    for _ in range(8):
        if terminal.screen().count(HEADING) >= wanted:
            break
        terminal.keys("]")
        time.sleep(0.3)
    screen = terminal.wait_for(lambda s: s.count(HEADING) >= wanted, "the Tomahawk section")
    body_line = [line for line in screen.splitlines() if HEADING in line][-1]
    assert body_line.index(HEADING) > 0
    terminal.keys("s")
    terminal.wait_for(
        lambda s: any("★" in line and "Trump Putin Budapest" in line for line in s.splitlines()),
        "the star in the list",
    )
    terminal.keys("q")
    terminal.wait_until_exit()

    listed = subprocess.run(
        [command, "list", "--starred", "--json"], capture_output=True, text=True, env=terminal.env
    )
    starred = json.loads(listed.stdout)
    assert len(starred) == 1 and "Trump" in starred[0]["title"]
    assert starred[0]["read"] is True

    terminal.start(command)
    screen = terminal.wait_for(lambda s: "All articles" in s, "the relaunched app")
    seed_row = list_cell(screen, "Trump Putin Budapest")
    assert "★" in seed_row
    assert "●" not in seed_row  # read: no unread dot in the list column
    terminal.keys("q")
    terminal.wait_until_exit()


def test_keys_reach_the_pane_they_are_for_in_a_real_terminal(
    terminal: Terminal, shared_dir: Path
) -> None:
    """Tab, Shift+Tab (BTab), f, and a word typed right after z and /, as a terminal sends them."""
    command = newsreader_command()
    imported = subprocess.run(
        [command, "import", str(shared_dir / SEED)],
        capture_output=True,
        text=True,
        env=terminal.env,
    )
    assert imported.returncode == 0, imported.stderr
    narrow = terminal.size[0] < 100
    terminal.start(command)
    screen = terminal.wait_for(lambda s: "All articles" in s and "1 of " in s, "the article list")
    assert ("╭─ Feeds" in screen) is not narrow
    # The seed is the newest article: open it. It has no numbered links: 7 says so.
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Imported articles ·" in s, "the open article")
    terminal.keys("7")
    terminal.wait_for(lambda s: "7 is not one of them" in notices(s), "why 7 did nothing")
    # One write: z, / and a word. The word must land in the search bar, the results listed.
    terminal.keys("-l", "z/tomahawk")
    screen = terminal.wait_for(lambda s: "Search: tomahawk" in s, "the search results")
    assert screen.splitlines()[-2].split("▌")[0].strip() == "tomahawk"  # the bar holds it
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "╭─ All articles" in s, "the list again")
    if not narrow:
        terminal.keys("f")  # hide the feed list, to show it again with the keys
        terminal.wait_for(lambda s: "╭─ Feeds" not in s, "the feed list hidden")
    terminal.keys("f")
    terminal.wait_for(lambda s: "╭─ Feeds" in s, "the feed list")
    # f gave the feed list the keys: j moves in it (the list shows the view).
    terminal.keys("j")
    terminal.wait_for(lambda s: "╭─ Unread" in s, "the Unread view")
    terminal.keys("Tab")  # to the article list ...
    time.sleep(0.3)
    terminal.keys("BTab")  # ... and back to the feed list with Shift+Tab
    time.sleep(0.3)
    terminal.keys("j")
    terminal.wait_for(lambda s: "╭─ Starred" in s, "the Starred view (Shift+Tab reached the feeds)")
    terminal.keys("q")
    terminal.wait_until_exit()


def test_a_mastodon_post_reads_as_the_post_with_its_picture(
    terminal: Terminal, server: HTTPServer
) -> None:
    """A post's picture with its alt text (media:content, media:description) read from a
    local server and shown in the app: the post is the article, the picture comes after."""
    from io import BytesIO

    from PIL import Image

    picture = BytesIO()
    Image.new("RGB", (160, 100), (40, 90, 160)).save(picture, format="PNG")
    server.expect_request("/cat.png").respond_with_data(picture.getvalue(), "image/png")
    alt = "A photo of a cat on a windowsill"
    feed = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        "<channel><title>Ann</title><link>https://m.example/@ann</link><item>"
        "<guid>https://m.example/@ann/1</guid><link>https://m.example/@ann/1</link>"
        "<pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate>"
        "<description>&lt;p&gt;Look at my cat!&lt;/p&gt;</description>"
        f'<media:content url="{server.url_for("/cat.png")}" type="image/png" medium="image">'
        f'<media:description type="plain">{alt}</media:description></media:content>'
        "</item></channel></rss>"
    )
    server.expect_request("/ann.rss").respond_with_data(feed, content_type="application/rss+xml")
    config = Path(terminal.env["NEWSREADER_CONFIG"])
    config.write_text(
        config.read_text("utf-8") + f'\n[[feeds]]\nurl = "{server.url_for("/ann.rss")}"\n',
        "utf-8",
    )
    command = newsreader_command()
    refreshed = subprocess.run(
        [command, "refresh"], capture_output=True, text=True, env=terminal.env
    )
    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr

    terminal.start(command)
    screen = terminal.wait_for(lambda s: "Look at my cat!" in s, "the post in the list")
    assert alt not in screen  # not the post's title
    terminal.keys("/")
    terminal.wait_for(lambda s: "Clear search" in s, "the search bar")
    terminal.keys("-l", "cat")
    terminal.wait_for(lambda s: "Search: cat" in s, "the search results")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "⏎ Open" in s, "the results list")
    terminal.keys("Enter")
    screen = terminal.wait_for(lambda s: "🖼" in s and alt in s, "the picture and its alt text")
    body = screen[screen.index("https://m.example/@ann/1") :]
    assert body.index("Look at my cat!") < body.index(alt)  # the post, then its picture
    assert screen.count(alt) == 1  # the alt text is the picture's caption, not a paragraph
    terminal.keys("q")
    terminal.wait_until_exit()
