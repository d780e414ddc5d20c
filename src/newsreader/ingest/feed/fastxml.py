"""What the fast feed readers share: reading a feed document safely with lxml.

:func:`plain_root` parses only what the fast readers can match feedparser on (UTF-8, no
DOCTYPE or entity, namespaces declared on the root); anything else is left to feedparser.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

_DECLARATION = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")


def safe_parser() -> etree.XMLParser:
    """An lxml parser that expands no entity, loads no DTD and fetches nothing."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        recover=False,
        load_dtd=False,
        remove_pis=True,
    )


def plain_root(
    data: bytes, content_type: str, opening: bytes, refused: tuple[bytes, ...] = ()
) -> Any | None:
    """The root element of a UTF-8 document whose root starts with ``opening``, parsed
    safely; ``None`` when feedparser should read it instead (another encoding, a DOCTYPE or
    an entity, one of the ``refused`` markers, namespaces declared below the root, or XML
    that does not parse)."""
    if not data.startswith(b"<?xml"):
        # Blank lines before the root are fine (not before a declaration: feedparser warns).
        data = data.lstrip(b" \t\r\n")
        if not data.startswith(opening):
            return None
    declared = _DECLARATION.match(data[:512])
    if declared is None:
        if "charset=" in content_type.lower():
            return None
    elif declared.group(1).lower() != b"utf-8":
        return None
    if any(marker in data for marker in (b"<!DOCTYPE", b"<!ENTITY", *refused)):
        return None
    try:
        root = etree.fromstring(data, safe_parser())
    except (etree.XMLSyntaxError, ValueError, UnicodeError, RecursionError):
        return None
    if data.count(b"xmlns") != len(root.nsmap) and _declared_below(root):
        return None
    return root


def _declared_below(root: Any) -> bool:
    """Whether an element below the root declares a namespace of its own (the word
    "xmlns" may also just be in the text)."""
    mapping = root.nsmap
    return any(element.nsmap != mapping for element in root.iter() if isinstance(element.tag, str))


def enclosures(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An entry's enclosures as feedparser lists them: its enclosure links, without "rel"."""
    return [
        {key: value for key, value in link.items() if key != "rel"}
        for link in links
        if link.get("rel") == "enclosure"
    ]
