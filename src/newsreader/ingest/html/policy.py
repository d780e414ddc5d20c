"""The one HTML sanitising policy, for feed entries and web pages alike.

nh3 (ammonia) with a strict allowlist: no scripts, styles, frames, forms, comments, event
handlers or non-http(s)/mailto URLs. Before it, a linear pre-pass flattens absurdly deep
nesting (the HTML5 tree builder in nh3 is quadratic in nesting depth); after it, an exact
depth limit on its well-formed output keeps markdownify (which recurses per element) safe.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from newsreader.ingest.sanitize import clean_text
from newsreader.ingest.urls import resolve_attribute

_ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big",
        "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd",
        "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "img",
        "ins", "kbd", "li", "main", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt",
        "ruby", "s", "samp", "section", "small", "span", "strike", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt",
        "u", "ul", "var", "wbr",
    }
)  # fmt: skip
# Removed together with everything inside them.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "template", "form", "textarea", "select", "button", "input", "title", "head",
        "svg", "annotation", "annotation-xml", "canvas", "audio", "video", "noembed",
        "noframes", "xmp", "plaintext", "dialog", "nav",
    }
)  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# -- depth limiting ------------------------------------------------------------------------

# Raw input: container tags nested deeper than this are removed (their content is kept)
# before nh3, whose HTML5 tree builder is quadratic in nesting depth.
MAX_INPUT_DEPTH = 128
# Sanitised HTML: elements deeper than this are unwrapped before markdownify, which
# recurses per element and looks up every element's ancestors. Real articles nest a few
# dozen levels at most.
MAX_DEPTH = 40
_TOKEN = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|textarea|title|xmp)\b[^>]*>.*?(?:</\1\s*>|$)"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL | re.IGNORECASE,
)
_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image",
    }
)  # fmt: skip
# Elements whose end tag is optional: they do not nest in practice, so they do not count
# towards the depth and are never removed.
_OPTIONAL_END = frozenset(
    {
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
        "optgroup", "rb", "rt", "rp", "rtc", "colgroup", "html", "head", "body",
    }
)  # fmt: skip


def limit_depth(html: str, max_depth: int, *, explicit_ends: bool = False) -> str:
    """``html`` with start/end tags beyond ``max_depth`` levels of nesting removed.

    A linear scan that only ever deletes tags. On raw input it is forgiving (elements with
    optional end tags are not counted) and whatever it gets wrong on broken markup is
    still sanitised by nh3 afterwards. With ``explicit_ends`` (nh3's serialisation, where
    every element is closed) it counts every element and is exact.
    """
    if html.count("<") <= max_depth:
        return html
    uncounted = _VOID if explicit_ends else _VOID | _OPTIONAL_END
    stack: list[str] = []
    dropped: dict[str, int] = {}
    cuts: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(html):
        name = match.group(3)
        if name is None:
            continue  # a comment or raw-text element: nothing nests inside
        name = name.lower()
        if name in uncounted:
            continue
        if match.group(2):  # end tag
            if dropped.get(name):
                dropped[name] -= 1
                cuts.append(match.span())
                continue
            for index in range(len(stack) - 1, -1, -1):
                if stack[index] == name:
                    del stack[index:]
                    break
        elif match.group(4).rstrip().endswith("/"):
            continue
        elif len(stack) >= max_depth:
            dropped[name] = dropped.get(name, 0) + 1
            cuts.append(match.span())
        else:
            stack.append(name)
    if not cuts:
        return html
    parts: list[str] = []
    position = 0
    for start, end in cuts:
        parts.append(html[position:start])
        position = end
    parts.append(html[position:])
    return "".join(parts)


@lru_cache(maxsize=2)
def _nh3_options(drop_forms: bool) -> dict[str, Any]:
    """Keyword arguments for ``nh3.clean`` (built once; nh3 only reads them)."""
    dropped = set(_DROPPED_WITH_CONTENT)
    if not drop_forms:
        dropped.discard("form")
    return {
        "tags": set(_ALLOWED_TAGS),
        "clean_content_tags": dropped,
        "attributes": {tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        "url_schemes": set(URL_SCHEMES),
        "link_rel": None,
        "strip_comments": True,
    }


_MATH_TAG = re.compile(
    r"<(/?)(?:math|semantics|mrow|mi|mo|mn|ms|mtext|mspace|msup|msub|msubsup|mfrac|msqrt|"
    r"mroot|mover|munder|munderover|mtable|mtr|mtd|mlabeledtr|mstyle|mpadded|mphantom|"
    r"menclose|mfenced|merror|maction|mglyph|mmultiscripts|mprescripts|none)\b",
    re.IGNORECASE,
)
_NOSCRIPT = re.compile(r"<noscript\b[^>]*>(.*?)(?:</noscript\s*>|$)", re.IGNORECASE | re.DOTALL)


def _noscript_images(match: re.Match[str]) -> str:
    """A <noscript> block's images (lazy-loading fallbacks); any other content is dropped."""
    inner = match.group(1)
    return inner if "<img" in inner.lower() else ""


def clean_html(html: str, *, drop_forms: bool = True, base: str | None = None) -> str:
    """``html`` through the allowlist, with control characters removed from the result.

    With ``base``, relative URLs in links and images are made absolute against it. With
    ``drop_forms=False`` a <form> loses its tag but keeps its content (some pages wrap
    everything in one).
    """
    lowered = html.lower()
    if "<noscript" in lowered:
        # The HTML5 parser reads <noscript> as raw text; keep its images as real markup.
        html = _NOSCRIPT.sub(_noscript_images, html)
    if "<math" in lowered:
        # nh3 drops MathML elements with their content; as spans their text survives.
        html = _MATH_TAG.sub(r"<\1span", html)
    cleaner = _cleaner(drop_forms, resolve=bool(base))
    if cleaner is None:  # an nh3 without Cleaner: the options are converted at every call
        import nh3

        options = _nh3_options(drop_forms)
        if base:
            resolve: Callable[[str, str, str], str | None] = partial(_resolve, base)
            options = {**options, "attribute_filter": resolve}
        return clean_text(nh3.clean(html, **options))
    if not base:
        return clean_text(str(cleaner.clean(html)))
    _local.base = base
    try:
        return clean_text(str(cleaner.clean(html)))
    finally:
        _local.base = ""


# Each thread builds its own nh3 Cleaners once (building one converts the whole policy to
# nh3's own types, which cost more than cleaning a typical entry): one Cleaner is never used
# by two threads at once, and the base its URL filter resolves against is the thread's own.
_local = threading.local()


def _cleaner(drop_forms: bool, *, resolve: bool) -> Any:
    """This thread's nh3 Cleaner for the policy (``resolve``: with the URL filter that
    resolves against the thread's current base), or None if nh3 has no Cleaner."""
    cleaners: dict[tuple[bool, bool], Any] | None = getattr(_local, "cleaners", None)
    if cleaners is None:
        cleaners = _local.cleaners = {}
    key = (drop_forms, resolve)
    cleaner = cleaners.get(key)
    if cleaner is None:
        import nh3

        if not hasattr(nh3, "Cleaner"):
            return None
        options = _nh3_options(drop_forms)
        if resolve:
            options = {**options, "attribute_filter": _resolve_current}
        cleaner = cleaners[key] = nh3.Cleaner(**options)
    return cleaner


def _resolve_current(tag: str, attribute: str, value: str) -> str | None:
    return resolve_attribute(_local.base, attribute, value)


def _resolve(base: str, tag: str, attribute: str, value: str) -> str | None:
    return resolve_attribute(base, attribute, value)


def sanitise(html: str, drop_forms: bool = True) -> str:
    """``html`` sanitised and flattened to at most :data:`MAX_DEPTH` levels, for conversion."""
    return limit_depth(clean_html(html, drop_forms=drop_forms), MAX_DEPTH, explicit_ends=True)
