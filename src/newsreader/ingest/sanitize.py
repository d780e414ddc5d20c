"""Cleaning untrusted text before it is stored or shown.

Text from feeds and files may carry terminal escape sequences (SGR, OSC 8/52, DCS...),
C0/C1 control characters and invisible direction overrides. None of them may reach the
screen. Rich/Textual markup is not removed here (it is legitimate text such as "[PATCH]"):
views must show every string as text, never parse it as markup.
"""

from __future__ import annotations

import re

from newsreader.ingest.markdown_syntax import AUTOLINK, FENCE, LINK

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
# What every escape sequence starts with: ESC or a C1 introducer (CSI, OSC, DCS, SOS, PM, APC).
_ESCAPE_START = re.compile(r"[\x1b\x90\x98\x9b\x9d\x9e\x9f]")
# C0 controls except tab and newline, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Direction overrides/isolates and other invisible format characters that can disguise text.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_LINE_SEPARATORS = re.compile(r"[\u2028\u2029\u0085]")


# Characters that clean_text removes or rewrites; most text has none, and is returned as is.
_UNCLEAN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029"
    "\u2060-\u2064\u2066-\u2069\ufeff\r\x85]"
)

_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"


def clean_text(text: str) -> str:
    """Remove escape sequences, control and invisible characters; keep tabs and newlines."""
    if not text:
        return ""
    # Plain ASCII with nothing but printable characters, tabs and newlines: checked in C
    # (deleting those bytes leaves nothing), several times faster than the search below,
    # which it answers the same for ASCII text.
    if text.isascii() and not text.encode("ascii").translate(None, _PLAIN_ASCII):
        return text
    if _UNCLEAN.search(text) is None:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ESCAPE_START.search(text):
        text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _LINE_SEPARATORS.sub("\n", text)
    return _INVISIBLE.sub("", text)


def clean_line(text: str, limit: int = 1000) -> str:
    """Clean text meant for one line (a title, an author): whitespace collapsed, length capped."""
    if not text:
        return ""
    return capped(" ".join(clean_text(text).split()), limit)


def capped(line: str, limit: int) -> str:
    """A line that is clean already (:func:`clean_line`'s or another such function's
    output: no escape or control character, whitespace collapsed) capped at ``limit``
    characters as :func:`clean_line` caps it; ``clean_line(line, limit)`` at no cost."""
    if len(line) > limit:
        return line[: limit - 1].rstrip() + "…"
    return line


_SAFE_SCHEMES = ("http://", "https://")


def safe_link(url: str) -> str:
    """``url`` if it is an http(s) URL, else an empty string (javascript:, data:, file:...)."""
    url = clean_line(url, limit=4000).strip()
    if url.lower().startswith(_SAFE_SCHEMES):
        return url
    return ""


# -- Markdown written by others -------------------------------------------------------------

_MD_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$")
_MD_DROP_BLOCK = re.compile(r"<(script|style|iframe|object|embed)\b.*?(?:</\1\s*>|$)", re.I | re.S)
# Raw HTML: comments and tags (an autolink such as <https://...> is not a tag).
_MD_HTML = re.compile(
    r"<!--.*?(?:-->|$)|</?(?![A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*>)[A-Za-z][^<>]*>", re.S
)
_SAFE_MD_SCHEMES = ("http:", "https:", "mailto:")


def _safe_target(url: str) -> bool:
    """Links may be http(s), mailto or relative (no scheme); nothing else."""
    url = url.strip()
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return scheme is None or url.lower().startswith(_SAFE_MD_SCHEMES)


def _sanitize_inline(text: str) -> str:
    def link(match: re.Match[str]) -> str:
        if _safe_target(match.group(3)):
            return match.group(0)
        return match.group(2)  # keep the words, drop the target (and the image)

    text = LINK.sub(link, text)
    text = AUTOLINK.sub(lambda m: m.group(0) if _safe_target(m.group(1)) else "", text)
    return _MD_HTML.sub("", text)


def _sanitize_prose(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in _MD_DROP_BLOCK.sub("", "\n".join(lines)).split("\n"):
        reference = _MD_REFERENCE.match(line)
        if reference:
            if _safe_target(reference.group(1)):
                out.append(line)
            continue
        pieces: list[str] = []
        last = 0
        for span in _MD_CODE_SPAN.finditer(line):
            pieces.append(_sanitize_inline(line[last : span.start()]))
            pieces.append(span.group(0))
            last = span.end()
        pieces.append(_sanitize_inline(line[last:]))
        out.append("".join(pieces))
    return out


def sanitize_markdown(markdown: str) -> str:
    """Markdown from a file, made safe to render: clean text, only http(s)/mailto/relative
    links, no raw HTML (scripts and embeds dropped with their content, other tags removed and
    their text kept). Code blocks
    and code spans are left as written."""
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in clean_text(markdown).split("\n"):
        marker = FENCE.match(line)
        if fence is None and not marker:
            prose.append(line)
            continue
        if fence is None:
            out.extend(_sanitize_prose(prose))
            prose = []
            fence = marker.group(1) if marker else None
        elif marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
            fence = None
        out.append(line)
    out.extend(_sanitize_prose(prose))
    return "\n".join(out)
