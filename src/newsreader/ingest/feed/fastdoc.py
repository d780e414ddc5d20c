"""Reading a feed document for the fast readers: safely with lxml, and only where they can
match feedparser.

:func:`plain_root` parses only UTF-8 or another ASCII-compatible encoding declared as
feedparser reads it, without DOCTYPE or entity, and well-formed XML (whitespace before the
declaration aside, read as feedparser's loose parser reads it); anything else is left to
feedparser. It never loads a DTD, expands an entity or touches the network.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from xml.sax import SAXParseException
from xml.sax.xmlreader import Locator

from feedparser.encodings import RE_XML_DECLARATION, RE_XML_PI_ENCODING
from lxml import etree

_DECLARATION = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")


def safe_parser() -> etree.XMLParser:
    """An lxml parser that expands no entity, loads no DTD and fetches nothing.

    Comments and processing instructions are dropped as it reads (the text on either side of
    one joined): feedparser's XML parser never reports them either."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        recover=False,
        load_dtd=False,
        remove_pis=True,
        remove_comments=True,
    )


class Plain(NamedTuple):
    """A document the fast readers may read: its root element, its encoding as feedparser
    names it, every namespace declaration in it (prefix, URI), and the warning feedparser
    gives for it ("" when none)."""

    root: Any
    encoding: str
    declarations: frozenset[tuple[str | None, str]]
    warning: BaseException | None


def plain_root(
    data: bytes, content_type: str, opening: bytes, refused: tuple[bytes, ...] = ()
) -> Plain | None:
    """A document whose root starts with ``opening``, parsed safely; ``None`` when
    feedparser should read it instead (an encoding it would read otherwise, a DOCTYPE or an
    entity, one of the ``refused`` markers, or XML that does not parse).

    Whitespace before the XML declaration is taken off: feedparser's strict parser refuses
    the document, and its loose parser reads it (declared UTF-8, and without the references
    it keeps as they are) as the strict one reads it without (the warning it gives is
    returned with the root)."""
    warning = None
    if not data.startswith(b"<?xml"):
        stripped = data.lstrip(b" \t\r\n")
        if stripped.startswith(b"<?xml"):
            if not _loose_reads_as_strict(stripped):
                return None
            warning = _declaration_not_at_start(data[: len(data) - len(stripped)])
        elif not stripped.startswith(opening):
            return None
        data = stripped
    declared = _DECLARATION.match(data[:512])
    encoding = "utf-8"
    if warning is not None and (declared is None or declared.group(1).lower() != b"utf-8"):
        return None  # (feedparser reads no encoding from a declaration that is not first)
    if declared is None:
        if "charset=" in content_type.lower():
            return None
    elif declared.group(1).lower() != b"utf-8":
        transcoded = _transcoded(data, declared.group(1))
        if transcoded is None:
            return None
        data, encoding = transcoded
    if any(marker in data for marker in (b"<!DOCTYPE", b"<!ENTITY", *refused)):
        return None
    try:
        root = etree.fromstring(data, safe_parser())
    except (etree.XMLSyntaxError, ValueError, UnicodeError, RecursionError):
        return None
    declarations = frozenset(root.nsmap.items())
    if data.count(b"xmlns") != len(root.nsmap):  # (the word may also just be in the text)
        declarations = _declarations(root)
    return Plain(root, encoding, declarations, warning)


_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.DOTALL)
# References to the characters XML escapes, which feedparser's loose parser keeps as they are
# in most elements (and decodes only "&amp;" in attributes), where the strict parser decodes
# them; and any numeric reference (its handling differs again).
_KEPT_BY_LOOSE = re.compile(rb"&(?:lt|gt|amp|quot|apos|#[0-9]+|#[xX][0-9a-fA-F]+);")


def _loose_reads_as_strict(data: bytes) -> bool:
    """Whether feedparser's loose parser reads ``data`` as its strict one would: no
    reference that it keeps as written, outside CDATA sections, but "&amp;" in a tag."""
    outside = _CDATA.sub(b"", data) if b"<![CDATA[" in data else data
    for found in _KEPT_BY_LOOSE.finditer(outside):
        start = found.start()
        if found.group() != b"&amp;" or outside.rfind(b"<", 0, start) < outside.rfind(
            b">", 0, start
        ):
            return False
    return True


def _declaration_not_at_start(prefix: bytes) -> BaseException:
    """The error expat (feedparser's strict parser) reports for an XML declaration after
    ``prefix`` (whitespace): at its line (CR LF and a lone CR are line breaks too) and
    column."""
    lines = prefix.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    # feedparser puts a declaration of its own on a line before the document's.
    return SAXParseException(
        "XML or text declaration not at start of entity",
        None,
        _At(len(lines) + 1, len(lines[-1])),
    )


class _At(Locator):
    """A place in a document without a name, for :class:`SAXParseException`."""

    def __init__(self, line: int, column: int) -> None:
        self._line, self._column = line, column

    def getLineNumber(self) -> int:
        return self._line

    def getColumnNumber(self) -> int:
        return self._column


def _declarations(root: Any) -> frozenset[tuple[str | None, str]]:
    """Every namespace declaration in the document, at the root or below it."""
    found: set[tuple[str | None, str]] = set()
    for element in root.iter():
        if isinstance(element.tag, str):
            found.update(element.nsmap.items())
    return frozenset(found)


_ASCII = bytes(range(128))


def _transcoded(data: bytes, declared: bytes) -> tuple[bytes, str] | None:
    """A document declared in another encoding than UTF-8, as feedparser reads it: decoded
    with the declared codec (GB2312 as GB18030, its superset) and its declaration replaced by
    a UTF-8 one; with the name feedparser gives the encoding. ``None`` when feedparser would
    not simply decode it so (it reads another name from the declaration, the codec is
    unknown or not a superset of ASCII, or the bytes do not decode)."""
    found = RE_XML_PI_ENCODING.match(data)
    name = declared.decode("ascii").lower()
    if found is None or found.group(1).lower() != declared.lower():
        return None
    if name == "gb2312":
        name = "gb18030"
    try:
        if _ASCII.decode(name) != _ASCII.decode("ascii"):
            return None
        text = data.decode(name)
    except (LookupError, UnicodeError, ValueError):
        return None
    text = RE_XML_DECLARATION.sub("<?xml version='1.0' encoding='utf-8'?>", text)
    return text.encode("utf-8"), name
