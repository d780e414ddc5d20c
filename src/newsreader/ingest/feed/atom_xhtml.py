"""Inline XHTML in an Atom text construct (``type="xhtml"``), as feedparser writes it out.

feedparser's strict parser turns the elements of such a construct back into markup: each
start tag with its attributes (names lower-cased, ``rel`` and ``type`` values lower-cased,
values escaped), each end tag written out even for an empty element (``<br></br>``), text
escaped; then it takes off the one ``<div>`` that wraps it all. :func:`inline_xhtml` gives
that same string for the simple, common shape (only whitespace around one XHTML ``<div>``,
only XHTML elements inside, no attribute in another namespace than ``xml:``), and refuses
anything else (:class:`~newsreader.ingest.feed.fastxml.Unsupported`).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from newsreader.ingest.feed.fastxml import Unsupported

_XHTML = "{http://www.w3.org/1999/xhtml}"
_XML = "{http://www.w3.org/XML/1998/namespace}"
_QUOTE = {'"': "&quot;"}
# feedparser has handlers for these XHTML elements (``<body>`` is content of its own).
_HANDLED = frozenset({"body"})


def inline_xhtml(construct: Any) -> str:
    """The markup feedparser gives for the inline XHTML of ``construct`` (before its final
    fix-ups of the text), or :class:`Unsupported`."""
    if (construct.text or "").strip() or len(construct) != 1:
        raise Unsupported("inline XHTML not in one div")
    (div,) = construct
    if div.tag != _XHTML + "div" or (div.tail or "").strip() or div.attrib or div.prefix:
        raise Unsupported("inline XHTML not in one plain div")
    pieces: list[str] = []
    _inner(div, pieces)
    return "".join(pieces).strip()


def _inner(element: Any, pieces: list[str]) -> None:
    if element.text:
        pieces.append(escape(element.text))
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(_XHTML):
            raise Unsupported("inline XHTML holding another kind of node")
        name = tag[len(_XHTML) :].lower()
        if name in _HANDLED or child.nsmap != element.nsmap:
            raise Unsupported(f"inline XHTML element {name}")
        pieces.append(f"<{name}{_attributes(child)}>")
        _inner(child, pieces)
        pieces.append(f"</{name}>")
        if child.tail:
            pieces.append(escape(child.tail))


def _attributes(element: Any) -> str:
    """An element's attributes as feedparser writes them, in document order."""
    found: dict[str, str] = {}
    for key, value in element.attrib.items():
        if key[0] == "{":
            if not key.startswith(_XML):
                raise Unsupported("inline XHTML attribute in another namespace")
            key = "xml:" + key[len(_XML) :]
        found[key.lower()] = value
    return "".join(
        f' {key}="{escape(value.lower() if key in ("rel", "type") else value, _QUOTE)}"'
        for key, value in found.items()
    )
