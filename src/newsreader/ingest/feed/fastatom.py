"""A fast reader for plain, well-formed Atom 1.0, giving what feedparser gives.

The companion of :mod:`newsreader.ingest.feed.fastrss` for Atom: lxml (no DTD, no entity,
no network) builds the entry mappings feedparser would build, with feedparser's own helpers
for dates, URL joining and the text fix-ups, and ``xml:base`` followed the way feedparser
follows it (each element's base joined onto its parent's; ids, links and the base recorded
for each text construct resolved against it).

Inline XHTML text constructs are written out as feedparser writes them
(:mod:`newsreader.ingest.feed.atom_xhtml`).

Anything outside that subset returns ``None`` and the caller uses feedparser: Atom 0.3, a
DOCTYPE, an encoding feedparser would not simply decode as declared, unusual inline XHTML,
base64 text constructs, ``content src=``, mixed content,
namespaces feedparser would name otherwise, elements feedparser treats specially that are
not handled here, repeated elements, or any parse error.
"""

from __future__ import annotations

from typing import Any

from feedparser.datetimes import _parse_date
from feedparser.urls import make_safe_absolute_uri

from newsreader.ingest.feed.atom_xhtml import inline_xhtml
from newsreader.ingest.feed.fastdoc import plain_root
from newsreader.ingest.feed.fastxml import (
    HTML_TYPES,
    NAMESPACES,
    Unsupported,
    check_declarations,
    check_unhandled,
    element_name,
    enclosures,
    fix_text,
    map_type,
    urljoin,
)

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
_XML = "{http://www.w3.org/XML/1998/namespace}"
_BASE, _LANG = _XML + "base", _XML + "lang"
# Text construct types read here; "xhtml" (inline markup) and others go to feedparser.
_TEXT_TYPES = {"": "text/plain", "text": "text/plain", "html": "text/html"}
# A ``media:description`` is read as an RSS description: HTML unless it says otherwise.
_DESCRIPTION_TYPES = {**_TEXT_TYPES, "": "text/html", "plain": "text/plain"}
_SINGLE = frozenset({"title", "summary", "content", "id", "updated", "published"})
_PERSON = frozenset({"name", "email", "uri"})
# Attribute names read from some element, or that change how feedparser reads one.
_READ_ATTRIBUTES = frozenset(
    {"rel", "type", "href", "url", "uri", "length", "base", "lang", "src", "mode", "term"}
)


class _Scope:
    """The ``xml:base`` and ``xml:lang`` in force at an element, as feedparser tracks them."""

    __slots__ = ("_safe", "base", "lang")

    def __init__(self, base: str, lang: str | None, safe: dict[tuple[str, str], str]) -> None:
        self.base, self.lang, self._safe = base, lang, safe

    def enter(self, element: Any) -> tuple[_Scope, dict[str, str]]:
        """The scope inside ``element``, and its attributes as feedparser reports them."""
        attrs: dict[str, str] = {}
        base, lang = self.base, self.lang
        for key, value in element.attrib.items():
            if key == _BASE:
                attrs["xml:base"] = value
                pair = (base, value)
                joined = self._safe.get(pair)
                if joined is None:
                    joined = self._safe[pair] = make_safe_absolute_uri(base, value) or base
                base = joined
            elif key == _LANG:
                attrs["xml:lang"] = value
                lang = value or None
            elif key[0] == "{":
                # One in a namespace feedparser does not know goes by its local name (a
                # thread count on a link): harmless unless it takes a name that is read.
                uri, local = key[1:].split("}", 1)
                local = local.lower()
                if uri.lower() in NAMESPACES or local in attrs or local in _READ_ATTRIBUTES:
                    raise Unsupported("namespaced attribute")
                attrs[local] = value
            else:
                key = key.lower()
                if key in ("base", "lang"):
                    raise Unsupported("base or lang attribute")
                attrs[key] = value.lower() if key in ("rel", "type") else value
        if base is self.base and lang is self.lang:
            return self, attrs
        return _Scope(base, lang, self._safe), attrs

    def value(self, element: Any, resolve: bool = False) -> str:
        if len(element):
            raise Unsupported("mixed content")
        output = (element.text or "").strip()
        if resolve and output:
            output = urljoin(self.base, output)
        return fix_text(output)

    def text(self, element: Any, types: dict[str, str] = _TEXT_TYPES) -> tuple[str, dict[str, Any]]:
        """A text construct (title, summary, content) and its detail; ``types`` maps the
        ``type`` attributes read here to feedparser's (``""``: none given)."""
        scope, attrs = self.enter(element)
        kind = attrs.pop("type", "")
        attrs.pop("xml:base", None)
        attrs.pop("xml:lang", None)
        if attrs:
            raise Unsupported("unusual text construct")
        if kind == "xhtml":
            kind, output = "application/xhtml+xml", fix_text(inline_xhtml(element))
        elif kind in types:
            kind, output = types[kind], scope.value(element)
        else:
            raise Unsupported("unusual text construct")
        language = scope.lang.replace("_", "-") if scope.lang else scope.lang
        return output, {"type": kind, "language": language, "base": scope.base, "value": output}

    def link(self, element: Any, context: dict[str, Any], in_entry: bool) -> None:
        scope, attrs = self.enter(element)
        if len(element) or (element.text or "").strip():
            raise Unsupported("link content")
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        href = attrs.get("url", attrs.get("uri", attrs.get("href")))
        context.setdefault("links", []).append(attrs)
        if href:
            attrs.pop("url", None)
            attrs.pop("uri", None)
            attrs["href"] = href
        if "href" in attrs:  # even empty: it is then the base
            attrs["href"] = urljoin(scope.base, attrs["href"])
            if attrs["rel"] == "alternate" and map_type(attrs["type"]) in HTML_TYPES:
                context["link"] = attrs["href"]
            return
        # No href (an empty url or uri): feedparser reads the link from the text, empty.
        context["link"] = ""
        if not in_entry:
            attrs["href"] = ""

    def date(self, element: Any, key: str, context: dict[str, Any]) -> None:
        scope, attrs = self.enter(element)
        if set(attrs) - {"xml:base", "xml:lang"}:
            raise Unsupported("date attributes")
        value = scope.value(element)
        context[key] = value
        context[key + "_parsed"] = _parse_date(value)

    def ident(self, element: Any, context: dict[str, Any]) -> None:
        """``<id>``: resolved like a permalink guid, and the link when none came before."""
        scope, attrs = self.enter(element)
        if set(attrs) - {"xml:base", "xml:lang"}:
            raise Unsupported("id attributes")
        value = scope.value(element, resolve=True)
        context["id"] = value
        context.setdefault("guidislink", "link" not in context)
        context.setdefault("link", value)

    def person(self, element: Any, context: dict[str, Any] | None) -> None:
        """``<author>`` (``context`` is where it goes) or ``<contributor>`` (``None``)."""
        scope, attrs = self.enter(element)
        if set(attrs) - {"xml:base", "xml:lang"} or (element.text or "").strip():
            raise Unsupported("unusual person")
        detail: dict[str, Any] = {}
        for child in element:
            name = element_name(child)
            if (child.tail or "").strip():
                raise Unsupported("mixed content")
            if name not in _PERSON:  # (Blogger's gd:image: stored apart, not read)
                check_unhandled(name, child)
                continue
            if name in detail:
                raise Unsupported(f"person element {name}")
            inner, child_attrs = scope.enter(child)
            if set(child_attrs) - {"xml:base", "xml:lang"}:
                raise Unsupported("person attributes")
            if name == "uri":
                detail["href"] = inner.value(child, resolve=True)
            else:
                if len(child):
                    raise Unsupported("mixed content")
                detail[name] = (child.text or "").strip()  # not fixed up: feedparser's way
        if context is None:
            return
        context.setdefault("authors", []).append(detail)
        if detail:
            context.setdefault("author_detail", {}).update(detail)
        who, email = detail.get("name"), detail.get("email")
        context["author"] = f"{who} ({email})" if who and email else who or email or ""

    def leaf(self, element: Any) -> None:
        """An element not read (subtitle, rights, generator): plain text at most."""
        scope, attrs = self.enter(element)
        if attrs.get("type", "text") not in _TEXT_TYPES:
            raise Unsupported("unusual text construct")
        scope.value(element)


def _category(scope: _Scope, element: Any) -> None:
    """``<category term=...>``: not read, but text in it could upset feedparser's tags."""
    scope.enter(element)
    if len(element) or (element.text or "").strip():
        raise Unsupported("category content")


def _shared(
    scope: _Scope, name: str, element: Any, target: dict[str, Any], *, in_entry: bool
) -> bool:
    """Read an element that the feed and its entries both have into ``target``; ``False``
    when ``name`` is not one of them."""
    if name == "link":
        scope.link(element, target, in_entry=in_entry)
    elif name == "id":
        scope.ident(element, target)
    elif name in ("updated", "published"):
        scope.date(element, name, target)
    elif name == "author":
        scope.person(element, target)
    elif name == "contributor":
        scope.person(element, None)
    elif name == "category":
        _category(scope, element)
    else:
        return False
    return True


def _entry(scope: _Scope, element: Any) -> dict[str, Any]:
    scope, attrs = scope.enter(element)
    if set(attrs) - {"xml:base", "xml:lang"}:
        raise Unsupported("entry attributes")
    entry: dict[str, Any] = {}
    seen: set[str] = set()
    for child in element:
        name = element_name(child)
        if name in _SINGLE:
            if name in seen:
                raise Unsupported(f"repeated {name}")
            seen.add(name)
        if name == "title":
            entry["title"], entry["title_detail"] = scope.text(child)
        elif name == "summary":
            value, detail = scope.text(child)
            entry["summary"], entry["summary_detail"] = value, detail
        elif name == "content":
            value, detail = scope.text(child)
            entry.setdefault("content", []).append(detail)
            entry.setdefault("summary", value)
        elif name == "rights":
            scope.leaf(child)
        elif name == "media:group":
            _media_group(scope, child, entry, element)
        elif name in _MEDIA_FILES:
            _media_file(scope, child, entry, name)
        elif not _shared(scope, name, child, entry, in_entry=True):
            check_unhandled(name, child)
    entry["enclosures"] = enclosures(entry.get("links", []))
    return entry


def _media_group(scope: _Scope, group: Any, entry: dict[str, Any], parent: Any) -> None:
    """A ``media:group`` (a YouTube video's): feedparser reads its children as the entry's.

    Its ``media:title`` is ignored after the entry's own non-empty title (feedparser keeps
    the title nearest the entry); its ``media:description`` is the entry's summary when the
    entry has no summary or content of its own (with either, which of them wins depends on
    their order: left to feedparser)."""
    scope, attrs = scope.enter(group)
    if attrs or (group.text or "").strip():
        raise Unsupported("unusual media:group")
    for child in group:
        name = element_name(child)
        if (child.tail or "").strip():
            raise Unsupported("mixed content")
        if name == "media:title":
            if not entry.get("title"):
                raise Unsupported("media:title before the entry's title")
            scope.text(child)
        elif name == "media:description":
            if "summary" in entry or any(
                element_name(other) in ("summary", "content") for other in parent
            ):
                raise Unsupported("media:description beside a summary or content")
            entry["summary"], entry["summary_detail"] = scope.text(child, _DESCRIPTION_TYPES)
        elif name in _MEDIA_FILES:
            _media_file(scope, child, entry, name)
        else:
            check_unhandled(name, child)


# An entry's media files (their attributes), which feedparser lists as the entry's.
_MEDIA_FILES = {"media:content": "media_content", "media:thumbnail": "media_thumbnail"}


def _media_file(scope: _Scope, element: Any, entry: dict[str, Any], name: str) -> None:
    if len(element) or (element.text or "").strip():
        raise Unsupported(f"{name} with content")
    entry.setdefault(_MEDIA_FILES[name], []).append(scope.enter(element)[1])


def parse_atom(data: bytes, url: str, content_type: str = "") -> dict[str, Any] | None:
    """feedparser's result (the parts newsreader reads) for a plain Atom 1.0 document, or
    ``None`` when the document should go through feedparser."""
    plain = plain_root(data, content_type, b"<feed")
    if plain is None:
        return None
    try:
        check_declarations(plain.declarations, (ATOM, XHTML))
        if any(prefix and NAMESPACES.get(uri.lower()) == "" for prefix, uri in plain.declarations):
            raise Unsupported("a prefix for a namespace feedparser reads unprefixed")
        parsed = _document(plain.root, plain.encoding, url)
    except (Unsupported, ValueError, UnicodeError, RecursionError):
        return None
    if plain.warning is not None:
        parsed.update(bozo=True, bozo_exception=plain.warning)
    return parsed


def _document(root: Any, encoding: str, url: str) -> dict[str, Any]:
    if root.tag != "{" + ATOM + "}feed":
        raise Unsupported("not Atom 1.0")
    base = make_safe_absolute_uri("", url) or make_safe_absolute_uri(url) or ""
    base = make_safe_absolute_uri(base, base) or base if base else ""
    if not base:
        raise Unsupported("no base URL")
    scope, attrs = _Scope(base, None, {}).enter(root)
    if set(attrs) - {"xml:base", "xml:lang"}:
        raise Unsupported("feed attributes")
    feed: dict[str, Any] = {}
    if scope.lang:
        feed["language"] = scope.lang.replace("_", "-")
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for child in root:
        name = element_name(child)
        if name == "entry":
            entries.append(_entry(scope, child))
            continue
        if name in _SINGLE or name in ("subtitle", "rights", "generator"):
            if name in seen:
                raise Unsupported(f"repeated {name}")
            seen.add(name)
        if name == "title":
            feed["title"], feed["title_detail"] = scope.text(child)
        elif name in ("subtitle", "rights", "generator"):
            scope.leaf(child)
        elif name in ("summary", "content"):
            raise Unsupported(f"feed {name}")
        elif not _shared(scope, name, child, feed, in_entry=False):
            check_unhandled(name, child)
    return {"feed": feed, "entries": entries, "version": "atom10", "encoding": encoding}
