"""Cleaning untrusted text before it is stored or shown.

Text from feeds and files may carry terminal escape sequences (SGR, OSC 8/52, DCS...),
C0/C1 control characters and invisible direction overrides. None of them may reach the
screen. Rich/Textual markup is not removed here (it is legitimate text such as "[PATCH]"):
views must show every string as text, never parse it as markup.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/APC/PM/SOS strings up to BEL or
# ST (ESC \), and two-character escapes. The 8-bit forms use C1 introducers.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]            # CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])     # OSC, DCS, SOS, PM, APC
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?       #   ... up to BEL or ST
    | \x1b[ -/]*[0-~]                             # other two-character escapes
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Direction overrides/isolates and other invisible format characters that can disguise text.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_LINE_SEPARATORS = re.compile(r"[\u2028\u2029\u0085]")
_WHITESPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Remove escape sequences, control and invisible characters; keep tabs and newlines."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _LINE_SEPARATORS.sub("\n", text)
    return _INVISIBLE.sub("", text)


def clean_line(text: str, limit: int = 1000) -> str:
    """Clean text meant for one line (a title, an author): whitespace collapsed, length capped."""
    line = _WHITESPACE.sub(" ", clean_text(text)).strip()
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


_SAFE_SCHEMES = ("http://", "https://")


def safe_link(url: str) -> str:
    """``url`` if it is an http(s) URL, else an empty string (javascript:, data:, file:...)."""
    url = clean_line(url, limit=4000).strip()
    if url.lower().startswith(_SAFE_SCHEMES):
        return url
    return ""
