"""Terminal graphics: which mode the setting and the terminal's answers give, and what a
picture becomes in Kitty mode (the escapes sent, the placeholder lines) and in half-blocks."""

from __future__ import annotations

import base64
import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from PIL import Image
from textual.strip import Strip

from newsreader.tui.terminal_graphics import (
    HalfBlockRows,
    TerminalGraphics,
    detect_image_mode,
    fitted_cells,
    half_block_lines,
    kitty_lines,
    kitty_placeholder_strips,
    kitty_release,
    kitty_transmission,
)

PLACEHOLDER = chr(0x10EEEE)


def never_asked() -> TerminalGraphics:
    raise AssertionError("the terminal must not be asked")


def answering(**answer: bool) -> Callable[[], TerminalGraphics]:
    return lambda: TerminalGraphics(**answer)


class Preparing:
    def __init__(self, works: bool = True) -> None:
        self.calls = 0
        self.works = works

    def __call__(self) -> bool:
        self.calls += 1
        return self.works


def test_the_setting_chooses_unless_auto() -> None:
    assert detect_image_mode("off", {}, never_asked, Preparing()) == "off"
    blocks = Preparing()
    assert detect_image_mode("blocks", {}, never_asked, blocks) == "blocks"
    assert blocks.calls == 0  # nothing of textual-image is loaded for half-blocks
    for forced in ("kitty", "sixel"):
        ready = Preparing()
        assert detect_image_mode(forced, {}, never_asked, ready) == forced
        assert ready.calls == 1  # made ready while the terminal can answer its questions
        assert detect_image_mode(forced, {}, never_asked, Preparing(works=False)) == "blocks"


def test_detect_image_mode_honours_the_setting_and_tmux() -> None:
    assert detect_image_mode("off") == "off"
    assert detect_image_mode("kitty") == "kitty"
    assert detect_image_mode("sixel") == "sixel"
    assert detect_image_mode("blocks") == "blocks"
    assert detect_image_mode("auto", {"TMUX": "/tmp/tmux-0/default,1,0"}) == "blocks"
    # Not a terminal (the tests' stdout): textual-image finds no graphics protocol.
    assert detect_image_mode("auto", {"TERM": "xterm-256color"}) == "blocks"


def test_auto_follows_the_terminal_answer_and_never_asks_inside_tmux() -> None:
    env = {"TERM": "xterm-256color"}
    ready = Preparing()
    assert detect_image_mode("auto", env, answering(kitty=True), ready) == "kitty"
    assert detect_image_mode("auto", env, answering(sixel=True), ready) == "sixel"
    assert detect_image_mode("auto", env, answering(sixel=True, kitty=True), ready) == "sixel"
    assert ready.calls == 3
    assert detect_image_mode("auto", env, answering(), ready) == "blocks"
    assert ready.calls == 3  # not for half-blocks
    failing = Preparing(works=False)
    assert detect_image_mode("auto", env, answering(kitty=True), failing) == "blocks"
    tmux = {"TMUX": "/tmp/tmux-1/default,1,0"}
    assert detect_image_mode("auto", tmux, never_asked, ready) == "blocks"
    assert detect_image_mode("auto", {"TERM": "screen-256color"}, never_asked, ready) == "blocks"


CHILD = (
    "import sys\n"
    "from newsreader.tui.terminal_graphics import detect_image_mode\n"
    "mode = detect_image_mode('auto', {'TERM': 'xterm-kitty'})\n"
    "from newsreader.tui.terminal_graphics import cell_pixels\n"
    "sys.stderr.write(f'MODE={mode} CELL={cell_pixels(mode)}\\n')\n"
)


def run_in_fake_terminal(sixel: bool, kitty: bool, queries: list[str]) -> str:
    """Run the real detection in a child on a pseudo-terminal that answers like a terminal
    speaking Sixel and/or Kitty graphics; returns what the child found."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    # 80 x 24 cells, size in pixels unknown (asked with an escape sequence then).
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    answered = 0  # how far the queries in ``seen`` have been answered
    query = re.compile(rb"\x1b_G[^\x1b]*a=q[^\x1b]*\x1b\\|\x1b\[c|\x1b\[16t")
    deadline = time.monotonic() + 60
    try:
        while child.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            for match in query.finditer(seen, answered):
                asked = match.group(0)
                answered = match.end()
                queries.append(asked[:4].decode())
                if asked == b"\x1b[c":
                    os.write(master, b"\x1b[?62;4;22c" if sixel else b"\x1b[?62;22c")
                elif asked == b"\x1b[16t":
                    os.write(master, b"\x1b[6;20;10t")
                elif kitty:
                    os.write(master, b"\x1b_Gi=31;OK\x1b\\")
        _, err = child.communicate(timeout=60)
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
    found = re.search(r"MODE=.*", err.decode())
    assert found, err.decode()
    return found.group(0)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_auto_detection_asks_a_real_pseudo_terminal() -> None:
    # Only its own answers: a Kitty terminal, a Sixel one, one with neither.
    queries: list[str] = []
    assert run_in_fake_terminal(False, True, queries) == "MODE=kitty CELL=(10, 20)"
    queries.clear()
    assert run_in_fake_terminal(True, False, queries) == "MODE=sixel CELL=(10, 20)"
    queries.clear()
    assert run_in_fake_terminal(False, False, queries) == "MODE=blocks CELL=(1, 2)"
    # One round trip, the Kitty query first: nothing left waiting for an answer never sent.
    assert queries == ["\x1b_Gi", "\x1b[c"]


def small_image() -> Image.Image:
    image = Image.new("RGB", (20, 40), (255, 0, 0))
    image.paste((0, 0, 255), (0, 20, 20, 40))
    return image


def test_kitty_transmission_sends_the_picture_then_places_it() -> None:
    sent = kitty_transmission(small_image(), 1234, 2, 2)
    commands = re.findall(r"\x1b_G([^;\x1b]*)(?:;([^\x1b]*))?\x1b\\", sent)
    # Nothing but Kitty graphics commands: every escape is one of them.
    assert "".join(f"\x1b_G{k}{';' + p if p else ''}\x1b\\" for k, p in commands) == sent
    first_keys, _ = commands[0]
    assert first_keys.startswith("a=t,f=24,s=20,v=40,t=d,i=1234,q=2")
    pixels = base64.b64decode("".join(p for _, p in commands[:-1]))
    decoded = Image.frombytes("RGB", (20, 40), pixels)
    assert decoded.getpixel((5, 5)) == (255, 0, 0)
    assert decoded.getpixel((5, 35)) == (0, 0, 255)
    # A picture with transparency keeps it.
    clear = Image.new("RGBA", (2, 1), (0, 255, 0, 0))
    sent = kitty_transmission(clear, 5, 1, 1)
    assert sent.startswith("\x1b_Ga=t,f=32,s=2,v=1,t=d,i=5,q=2,m=0;")
    payload = sent.split(";", 1)[1].split("\x1b", 1)[0]
    assert base64.b64decode(payload) == bytes([0, 255, 0, 0]) * 2
    assert commands[-1] == ("a=p,U=1,i=1234,c=2,r=2,q=2", "")
    assert kitty_release(1234) == "\x1b_Ga=d,d=I,i=1234,q=2\x1b\\"


def test_a_large_kitty_picture_is_sent_in_chunks_of_4096() -> None:
    noisy = Image.effect_noise((300, 300), 80).convert("RGB")
    sent = kitty_transmission(noisy, 7, 30, 15)
    payloads = re.findall(r"\x1b_G([^;\x1b]*);([^\x1b]*)\x1b\\", sent)
    assert len(payloads) > 2
    assert all(len(p) <= 4096 for _, p in payloads)
    more = [dict(key.split("=") for key in keys.split(","))["m"] for keys, _ in payloads]
    assert more == ["1"] * (len(payloads) - 1) + ["0"]


def test_kitty_placeholders_name_the_picture_by_colour_and_each_cell() -> None:
    strips = kitty_placeholder_strips(0x0A0B0C, 3, 2)
    assert len(strips) == 2
    assert all(strip.cell_length == 3 for strip in strips)
    for strip in strips:
        (segment,) = list(strip)
        assert segment.style is not None and segment.style.color is not None
        assert segment.style.color.get_truecolor() == (0x0A, 0x0B, 0x0C)
        assert segment.text.count(PLACEHOLDER) == 3
    # Row and column diacritics differ from cell to cell.
    cells = [strip.text.split(PLACEHOLDER)[1:] for strip in strips]
    assert len({cell for row in cells for cell in row}) == 6


def test_kitty_lines_pair_escapes_with_placeholders_of_the_same_id() -> None:
    lines = kitty_lines(small_image(), 2, 2)
    style = next(iter(lines.strips[0])).style
    assert style is not None and style.color is not None
    red, green, blue = style.color.get_truecolor()
    assert (red << 16) | (green << 8) | blue == lines.image_id
    assert f"i={lines.image_id}," in lines.escapes
    assert lines.release == kitty_release(lines.image_id)
    other = kitty_lines(small_image(), 2, 2)
    assert other.image_id != lines.image_id


def test_half_blocks_and_fitted_cells() -> None:
    assert fitted_cells(small_image(), "blocks", 80, 20) == (20, 20)
    assert fitted_cells(small_image(), "blocks", 10, 5) == (10, 5)
    lines = half_block_lines(small_image(), 20, 20)
    assert lines.escapes == ""
    assert len(lines.strips) == 20
    assert all("\x1b" not in strip.text for strip in lines.strips)


def test_half_block_lines_are_made_when_first_drawn() -> None:
    """A picture's lines are made one at a time, when asked for, and made once."""
    image = Image.new("RGB", (4, 4), (255, 0, 0))
    image.paste((0, 0, 255), (0, 1, 4, 2))  # the lower pixel of the first row's cells
    rows = half_block_lines(image, 4, 2).strips
    assert isinstance(rows, HalfBlockRows)
    made: list[int] = []
    make = rows._line

    def counted(row: int) -> Strip:
        made.append(row)
        return make(row)

    rows._line = counted  # type: ignore[method-assign]
    first = rows[0]
    assert made == [0]
    assert rows[0] is first and rows[-2] is first
    assert made == [0]
    (segment,) = list(first)
    assert segment.text == "▀▀▀▀"
    assert segment.style is not None and segment.style.color and segment.style.bgcolor
    assert segment.style.color.get_truecolor() == (255, 0, 0)
    assert segment.style.bgcolor.get_truecolor() == (0, 0, 255)
    assert [strip.text for strip in rows[0:2]] == ["▀▀▀▀", "▀▀▀▀"]
    assert made == [0, 1]
    with pytest.raises(IndexError):
        rows[2]
