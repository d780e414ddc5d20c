"""HTML → sanitised Markdown, and saved web pages → their main article.

Feed entry HTML goes through these steps:

1. a linear pre-pass that flattens absurdly deep nesting (the HTML5 tree builder in nh3 is
   quadratic in nesting depth);
2. nh3 (ammonia) with a strict allowlist: no scripts, styles, frames, forms, comments,
   event handlers or non-http(s)/mailto URLs; then an exact depth limit on its well-formed
   output, because markdownify recurses per element and looks up every ancestor;
3. markdownify with a few conversions adjusted (absolute links only, tracking pixels
   dropped, empty headings dropped, code fences longer than any backtick run inside);
4. clean_text and whitespace tidying on the result.

Full pages first go through readability-lxml to find the article, then the same steps.
Heavy libraries are imported inside the functions so that importing this module is cheap.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit

from newsreader.ingest.dates import parse_datetime
from newsreader.ingest.markdown_text import markdown_to_text
from newsreader.ingest.sanitize import clean_line, clean_text

if TYPE_CHECKING:
    from bs4 import Tag
    from lxml.html import HtmlElement
    from markdownify import MarkdownConverter

__all__ = ["HtmlDocument", "extract_article", "html_to_markdown", "markdown_to_text"]

# --------------------------------------------------------------------------------------
# Sanitising
# --------------------------------------------------------------------------------------

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
_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# --------------------------------------------------------------------------------------
# Depth limiting
# --------------------------------------------------------------------------------------

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


def _limit_depth(html: str, max_depth: int, *, explicit_ends: bool = False) -> str:
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


# --------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------

_URL_STRIP = re.compile(r"[\t\n\r]")
_URL_UNSAFE = re.compile(r"[\x00-\x20()<>\"\\\x7f]")


def _http_base(base_url: str | None) -> str | None:
    """``base_url`` if relative URLs may be resolved against it (http/https only)."""
    if not base_url:
        return None
    base = _URL_STRIP.sub("", base_url).strip()
    parts = urlsplit(base)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return base
    return None


def _absolute_url(url: str | None, base: str | None, schemes: frozenset[str]) -> str | None:
    """``url`` made absolute and safe to put in Markdown, or None if it is not allowed."""
    if not url:
        return None
    url = _URL_STRIP.sub("", clean_text(url)).strip()
    if not url:
        return None
    try:
        if base is not None:
            url = urljoin(base, url)
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return None
    if scheme != "mailto" and not parts.netloc:
        return None
    # Percent-encode what would end a Markdown link destination early.
    return _URL_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), url)


# --------------------------------------------------------------------------------------
# Markdown conversion
# --------------------------------------------------------------------------------------

_BACKTICKS = re.compile(r"`+")
_ALT_UNSAFE = re.compile(r"([\[\]\\])")
_ALT_ESCAPE = r"\\\1"
_WHITESPACE = re.compile(r"\s+")
# Text that Markdown would read as markup: backticks, and "<" opening a tag or comment.
_INLINE_MARKUP = re.compile(r"(`|<(?=[A-Za-z/!?]))")
# A block marker at the start of a line: heading, quote, bullet, numbered item.
_BLOCK_MARKER = re.compile(r"(^[ \t]*)(#{1,6}(?=\s|$)|>|[-+*](?=\s)|\d{1,9}(?=[.)]\s))", re.M)


def _pixel_size(value: str | None) -> bool:
    """Whether a width/height attribute says 0 or 1 pixel (a tracking pixel)."""
    if value is None:
        return False
    value = value.strip().lower().removesuffix("px").strip()
    return value in ("0", "1")


def _escape_block_marker(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return f"{indent}{marker}\\"  # a numbered item is escaped before its dot
    return f"{indent}\\{marker}"


@lru_cache(maxsize=1)
def _converter_class() -> type[MarkdownConverter]:
    """The markdownify converter with this application's conversions."""
    from markdownify import BACKSLASH, MarkdownConverter

    class Converter(MarkdownConverter):  # type: ignore[misc]
        """ATX headings, '-' bullets, safe absolute URLs, no tracking pixels."""

        def __init__(self, base_url: str | None) -> None:
            super().__init__(
                heading_style="ATX",
                bullets="-",
                escape_misc=False,
                newline_style=BACKSLASH,
                strip_document="strip",
                autolinks=True,
                # Collapse all whitespace (newlines included) as a browser would, without
                # re-wrapping: pretty-printed inline markup must not split paragraphs.
                wrap=True,
                wrap_width=None,
            )
            self.base_url = base_url

        def escape(self, text: str, parent_tags: set[str]) -> str:
            # Escape only what would turn text into markup (emphasis, code, raw HTML, a
            # block marker at the start of a line), so "C++" and "1.5" stay readable.
            text = str(super().escape(text, parent_tags))
            if "_noformat" in parent_tags or not text:
                return text
            text = _INLINE_MARKUP.sub(r"\\\1", text)
            return _BLOCK_MARKER.sub(_escape_block_marker, text)

        def convert_dt(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            # CommonMark has no definition lists: a term is a bold line of its own...
            text = text.strip()
            return f"\n\n**{text}**\n\n" if text else ""

        def convert_dd(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            # ...and each definition a paragraph, so definitions never run together.
            text = text.strip()
            return f"\n\n{text}\n\n" if text else ""

        def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            href = _absolute_url(_attribute(el, "href"), self.base_url, _URL_SCHEMES)
            if href is None:
                return text
            el["href"] = href
            return str(super().convert_a(el, text, parent_tags))

        def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            if _pixel_size(_attribute(el, "width")) or _pixel_size(_attribute(el, "height")):
                return ""
            alt = _WHITESPACE.sub(" ", _attribute(el, "alt") or "").strip()
            if "_inline" in parent_tags:
                return alt
            src = _absolute_url(_attribute(el, "src"), self.base_url, frozenset({"http", "https"}))
            if src is None:
                return ""
            return f"![{_ALT_UNSAFE.sub(_ALT_ESCAPE, alt)}]({src})"

        def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
            if not text.strip():
                return ""
            return str(super().convert_hN(n, el, text, parent_tags))

        def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            # A "list" of cards with their own headings is layout, not a list: keep the
            # headings as headings rather than indenting them under a bullet.
            if el.find(_HEADING_TAGS) is not None:
                text = text.strip()
                return f"\n\n{text}\n\n" if text else ""
            return str(super().convert_li(el, text, parent_tags))

        def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            text = text.strip("\n")
            if not text.strip():
                return ""
            longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
            fence = "`" * max(3, longest + 1)
            return f"\n\n{fence}\n{text}\n{fence}\n\n"

    return Converter


def _attribute(el: Tag, name: str) -> str | None:
    value = el.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(value)
    return str(value)


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
        "url_schemes": set(_URL_SCHEMES),
        "link_rel": None,
        "strip_comments": True,
    }


# A line ending in an odd number of backslashes ends in a hard line break.
_HARD_BREAK = re.compile(r"(?<!\\)(?:\\\\)*\\$")
_FENCE_LINE = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}")


def _tidy(markdown: str) -> str:
    """Whitespace put in order outside code blocks.

    Trailing spaces go; runs of spaces inside a line become one; lines indented without
    being part of a list lose the indent (it would turn them into code blocks); at most one
    blank line in a row (two inside code).
    """
    lines: list[str] = []
    fence: str | None = None
    blank = 0
    in_list = False
    source = markdown.split("\n")
    for index, line in enumerate(source):
        line = line.rstrip()
        marker = _FENCE_LINE.match(line)
        if fence is None:
            if marker:
                fence = marker.group(1)
            else:
                if line.strip() == "\\":
                    line = ""  # a hard break alone on a line (<br><br>): a paragraph break
                elif line.endswith("\\") and _HARD_BREAK.search(line):
                    following = source[index + 1] if index + 1 < len(source) else ""
                    if following.strip() in ("", "\\"):
                        # A hard break before a blank line or the end: a stray backslash.
                        line = line[:-1].rstrip()
                if "  " in line:
                    line = _INNER_SPACES.sub(" ", line)
                if line[:1] in (" ", "\t"):
                    if not in_list:
                        line = line.lstrip()
                elif line:
                    in_list = _LIST_ITEM.match(line) is not None
            if not line:
                blank += 1
                if blank > 1:
                    continue
            else:
                blank = 0
        else:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
            blank = blank + 1 if not line else 0
            if blank > 2:
                continue
        lines.append(line)
    text = "\n".join(lines).strip("\n")
    return text + "\n" if text else ""


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


def _sanitise(html: str, drop_forms: bool = True) -> str:
    """``html`` through the nh3 allowlist, with entity-encoded control characters removed."""
    lowered = html.lower()
    if "<noscript" in lowered:
        # The HTML5 parser reads <noscript> as raw text; keep its images as real markup.
        html = _NOSCRIPT.sub(_noscript_images, html)
    if "<math" in lowered:
        # nh3 drops MathML elements with their content; as spans their text survives.
        html = _MATH_TAG.sub(r"<\1span", html)
    import nh3

    cleaned = clean_text(nh3.clean(html, **_nh3_options(drop_forms)))
    return _limit_depth(cleaned, MAX_DEPTH, explicit_ends=True)


def _plain_fallback(cleaned_html: str) -> str:
    """Text of ``cleaned_html`` as escaped paragraphs, for when conversion gives up."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(cleaned_html, "html.parser")
    text = soup.get_text("\n")
    paragraphs = [_WHITESPACE.sub(" ", part).strip() for part in re.split(r"\n\s*\n", text)]
    from markdownify import MarkdownConverter

    escape = MarkdownConverter(escape_misc=True).escape
    return "\n\n".join(escape(part, set()) for part in paragraphs if part)


def _convert(cleaned_html: str, base_url: str | None) -> str:
    converter = _converter_class()(base_url)
    try:
        return str(converter.convert(cleaned_html))
    except RecursionError:
        return _plain_fallback(cleaned_html)


def html_to_markdown(html: str, base_url: str | None = None) -> str:
    """Convert an HTML fragment (feed entry content) to sanitised Markdown.

    Headings become ATX headings, lists use ``-``; links are made absolute against
    ``base_url`` and kept only for http, https and mailto (otherwise only their text is
    kept); images become ``![alt](src)`` for http(s) sources, minus tracking pixels.
    Scripts, styles, frames, forms, comments and event handlers are removed, and the result
    carries no control characters or terminal escape sequences. Arbitrarily deep nesting
    is flattened rather than crashing.

    Args:
        html: the HTML fragment.
        base_url: the URL that relative links and image sources are resolved against.

    Returns:
        The Markdown, ending in a newline, or an empty string for empty input.
    """
    if not html or not html.strip():
        return ""
    html = _limit_depth(clean_text(html), MAX_INPUT_DEPTH)
    base = _http_base(base_url)
    markdown = _convert(_sanitise(html), base)
    if not markdown.strip() and "<form" in html.lower():
        # Some pages wrap everything in one <form>; keep the content rather than nothing.
        markdown = _convert(_sanitise(html, drop_forms=False), base)
    return _tidy(clean_text(markdown))


# --------------------------------------------------------------------------------------
# Whole pages
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HtmlDocument:
    """The article found in an HTML page."""

    title: str | None
    markdown: str
    author: str | None
    published: datetime | None  # timezone-aware


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LIST_TAGS = frozenset({"ul", "ol"})
_LIST_LINK_DENSITY = 0.9  # a list with more of its text in links than this is a menu
_DOCUMENT_MARKERS = re.compile(r"<(?:html|body|head)[\s>]|<!doctype\s", re.IGNORECASE)

# Headings that start a page's trailer rather than more of the article.
_TRAILER_HEADING = re.compile(
    r"""^(?:
        leave\ a\ (?:reply|comment|response)|post\ a\ comment|add\ (?:a\ )?comment
        |write\ a\ comment|join\ the\ (?:discussion|conversation)|reader\ comments
        |comments(?:\ \(\d+\))?|(?:\d+|one|no)\ (?:comments?|responses?|replies|reactions)(?:\ (?:on|to)\ .*)?
        |(?:\d+|one)\ thoughts?\ on\ .*|(?:\d+\ )?responses\ to\ .*
        |share(?:\ this)?(?:\ (?:article|post|story|page))?(?:\ on\ .*)?
        |related(?:\ (?:posts?|articles?|stories|content|coverage|reading|links))?
        |(?:you\ )?(?:may|might)\ also\ (?:like|enjoy)|more\ (?:stories|articles)\ from\ .*
        |recommended\ (?:for\ you|reading|articles)|read\ next|post\ navigation|posts\ navigation
        |subscribe(?:\ to\ (?:our|the)\ newsletter)?|sign\ up\ for\ (?:our|the)\ newsletter
    )[\s:.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$", re.MULTILINE)


def _heading_text(markdown_heading: str) -> str:
    """Plain text of a Markdown heading's content, whitespace collapsed."""
    return _WHITESPACE.sub(" ", markdown_to_text(markdown_heading)).strip()


def _normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _drop_trailer(markdown: str) -> str:
    """``markdown`` cut before the first comment/share/related-posts heading."""
    for match in _HEADING_LINE.finditer(markdown):
        if match.start() == 0:
            continue
        text = _heading_text(match.group(2))
        if _TRAILER_HEADING.match(text):
            return markdown[: match.start()].rstrip() + "\n"
    return markdown


def _drop_title_heading(markdown: str, title: str | None) -> str:
    """``markdown`` without the h1 (or first heading) that only repeats ``title``."""
    if not title:
        return markdown
    wanted = _normalise(title)
    for match in _HEADING_LINE.finditer(markdown):
        level = len(match.group(1))
        text = _normalise(_heading_text(match.group(2)))
        if text and (text == wanted or (level == 1 and len(text) > 8 and text in wanted)):
            before = markdown[: match.start()]
            if level == 1 or not before.strip():
                return _tidy(before + markdown[match.end() :])
        if level == 1 or match.start() > 0:
            break
    return markdown


def _meta(doc: HtmlElement, *keys: str) -> str | None:
    """The first non-empty content of a <meta> whose property/name/itemprop is in ``keys``."""
    wanted = {key.lower() for key in keys}
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        content = meta.get("content")
        if not content or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key in wanted and key not in found:
                found[key] = content.strip()
    for key in keys:
        if key.lower() in found:
            return found[key.lower()]
    return None


def _json_ld(doc: HtmlElement) -> list[dict[str, Any]]:
    """The JSON-LD objects in the page (graphs flattened), ignoring invalid blocks."""
    objects: list[dict[str, Any]] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        pending = data if isinstance(data, list) else [data]
        while pending and len(objects) < 100:
            item = pending.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    pending.extend(graph)
            elif isinstance(item, list):
                pending.extend(item)
    return objects


def _ld_name(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [name for name in (_ld_name(item) for item in value) if name]
        return ", ".join(names) or None
    return None


def _published(doc: HtmlElement, ld: list[dict[str, Any]]) -> datetime | None:
    candidates: list[str | None] = [
        _meta(
            doc,
            "article:published_time",
            "og:article:published_time",
            "datePublished",
            "date",
            "DC.date",
            "DC.date.issued",
            "dcterms.date",
            "dcterms.created",
            "DC.date.created",
            "pubdate",
            "publish-date",
            "sailthru.date",
            "parsely-pub-date",
        )
    ]
    candidates.extend(str(item["datePublished"]) for item in ld if item.get("datePublished"))
    for time in doc.iter("time"):
        if time.get("datetime"):
            candidates.append(time.get("datetime"))
            break
    for value in candidates:
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed
    return None


_BYLINE_PREFIX = re.compile(
    r"^(?:(?:view\ all\ posts|posted|written|published|words)\ by|by|von|par|por)[\s:]+",
    re.IGNORECASE,
)


def _author(doc: HtmlElement, ld: list[dict[str, Any]]) -> str | None:
    candidates: list[str | None] = [_meta(doc, "author", "article:author", "DC.creator")]
    candidates.extend(_ld_name(item.get("author")) for item in ld if item.get("author"))
    for xpath in (
        "//*[@rel='author']",
        "//*[@itemprop='author']",
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
    ):
        for element in doc.xpath(xpath)[:1]:
            candidates.append(element.text_content())
    for value in candidates:
        if not value:
            continue
        author = clean_line(value, limit=200)
        author = _BYLINE_PREFIX.sub("", author)
        if author and not re.match(r"https?://", author) and len(author) <= 100:
            return author
    return None


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·•/]\s+|\s+::\s+")


def _title(doc: HtmlElement, ld: list[dict[str, Any]]) -> str | None:
    """The article title: og:title, the <title> (minus a site name), JSON-LD or the h1."""
    headings = [
        clean_line(h.text_content()) for h in doc.iter("h1", "h2") if h.text_content().strip()
    ]
    normalised_headings = {_normalise(h) for h in headings}
    for value in (
        _meta(doc, "og:title", "twitter:title"),
        *(str(item["headline"]) for item in ld if isinstance(item.get("headline"), str)),
    ):
        if value and clean_line(value):
            return clean_line(value)
    element = doc.find(".//title")
    page_title = clean_line(element.text_content()) if element is not None else ""
    if page_title:
        if _normalise(page_title) in normalised_headings:
            return page_title
        site = _normalise(_meta(doc, "og:site_name", "application-name") or "")
        parts = _TITLE_SEPARATORS.split(page_title)
        if len(parts) > 1:
            for part in parts:
                if _normalise(part) in normalised_headings:
                    return part.strip()
            kept = [part for part in parts if _normalise(part) != site] if site else parts
            if kept and len(kept) < len(parts):
                return " - ".join(kept).strip()
        return page_title
    for heading in doc.iter("h1"):
        text = clean_line(heading.text_content())
        if text:
            return text
    return None


def _parse_page(html: str) -> HtmlElement | None:
    import lxml.html
    from lxml.etree import ParserError

    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def _main_content(html: str, url: str | None) -> str:
    """The HTML of the page's main content, as readability-lxml finds it."""
    from readability import Document
    from readability.readability import Unparseable

    class ArticleDocument(Document):  # type: ignore[misc]
        """readability-lxml's Document, keeping more of the article's own headings.

        readability-lxml drops every heading whose link density is above a third, which
        loses the section headings of most documentation and blog engines (permalinks,
        "¶" anchors, linked section titles).
        """

        def class_weight(self, e: HtmlElement) -> float:
            # Heading ids are slugs of the heading text ("use-median", "metadata"), not
            # page furniture: judging them by readability's "media|meta|related" patterns
            # drops real sections.
            if e.tag in _HEADING_TAGS and e.get("id") is not None:
                ident = e.attrib.pop("id")
                try:
                    return float(super().class_weight(e))
                finally:
                    e.set("id", ident)
            return float(super().class_weight(e))

        def get_link_density(self, elem: HtmlElement) -> float:
            if elem.tag in _HEADING_TAGS:
                return 0.0
            density = float(super().get_link_density(elem))
            if self._cleaning and elem.tag in _LIST_TAGS and density < _LIST_LINK_DENSITY:
                # As Readability.js does, a list in the article is not dropped for its links
                # (changelogs, credits, "bug 123 fixed" items), unless it is nothing but links
                # (menus, share bars) or the page marks it as furniture.
                return min(density, 0.2)
            return density

        _cleaning = False

        def sanitize(self, *args: Any, **kwargs: Any) -> Any:
            self._cleaning = True
            try:
                return super().sanitize(*args, **kwargs)
            finally:
                self._cleaning = False

    base = _http_base(url)
    try:
        return str(ArticleDocument(html, url=base).summary(html_partial=True))
    except (Unparseable, ValueError):
        return ""


def extract_article(html: str, url: str | None = None) -> HtmlDocument:
    """A saved web page → its main article as sanitised Markdown, with metadata.

    Navigation, sidebars, comment sections, share bars and "Leave a Reply" forms are left
    out; the article's own h2-h6 headings keep their levels, and an h1 that repeats the
    title is dropped. An HTML fragment (no html/head/body markup) is converted whole.

    Args:
        html: the page's HTML.
        url: the page's address, for resolving relative links (only http(s) are used).

    Returns:
        The title (og:title, <title> or the first h1), Markdown body, author and
        publication date (timezone-aware) when the page states them.
    """
    html = clean_text(html or "")
    if not html.strip():
        return HtmlDocument(title=None, markdown="", author=None, published=None)
    html = _limit_depth(html, 200)
    is_document = bool(_DOCUMENT_MARKERS.search(html[:20000]))
    doc = _parse_page(html)
    title = author = None
    published = None
    if doc is not None:
        ld = _json_ld(doc)
        title = _title(doc, ld)
        author = _author(doc, ld)
        published = _published(doc, ld)
    markdown = ""
    if is_document:
        content = _main_content(html, url)
        if content.strip():
            markdown = html_to_markdown(content, url)
    if not markdown.strip():
        markdown = html_to_markdown(html, url)
    markdown = _drop_trailer(markdown)
    markdown = _drop_title_heading(markdown, title)
    if title is None:
        first = _HEADING_LINE.search(markdown)
        if first and len(first.group(1)) == 1:
            title = _heading_text(first.group(2)) or None
            markdown = _drop_title_heading(markdown, title)
    return HtmlDocument(
        title=clean_line(title) if title else None,
        markdown=markdown,
        author=author,
        published=published,
    )
