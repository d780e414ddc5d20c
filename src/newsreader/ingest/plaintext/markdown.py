"""Classified units → Markdown, with everything else escaped so that it shows literally."""

from __future__ import annotations

import re

from newsreader.ingest.plaintext.blocks import Kind, Unit
from newsreader.ingest.plaintext.lines import BULLET

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])|&(?=#?\w+;)")
_SPECIAL_CHAR = re.compile(r"[\\`*_\[\]<>~|&]")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+=-]|(\d{1,9})([.)]))")


def escape_markdown(text: str) -> str:
    """``text`` with Markdown syntax escaped, so that it renders literally."""
    # Most lines have nothing to escape: one scan for the characters says so quickly.
    escaped = (
        _INLINE_SPECIAL.sub(lambda m: "\\" + m[0], text) if _SPECIAL_CHAR.search(text) else text
    )
    match = _LINE_START_SPECIAL.match(escaped)
    if match:
        if match[3]:
            escaped = f"{match[1]}{match[3]}\\{match[4]}{escaped[match.end() :]}"
        else:
            escaped = f"{match[1]}\\{match[2]}{escaped[match.end() :]}"
    return escaped


def _escape_heading(text: str) -> str:
    # A heading's closing "#"s would be taken as markup: escape every "#" not yet escaped.
    return re.sub(r"(?<!\\)#", r"\\#", escape_markdown(text))


def _fence(lines: tuple[str, ...]) -> str:
    body = "\n".join(line.expandtabs(8).rstrip() for line in lines).strip("\n")
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"


def render(units: list[Unit]) -> str:
    blocks: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            blocks.append("\n".join(items))
            items.clear()

    for unit in units:
        if unit.kind is Kind.ITEM:
            text = BULLET.sub("", unit.text, count=1)
            items.append("- " + escape_markdown(text))
            if unit.blank_after:
                flush()
            continue
        flush()
        if unit.kind is Kind.HEADING:
            blocks.append("## " + _escape_heading(unit.text))
        elif unit.kind is Kind.CODE:
            blocks.append(_fence(unit.lines))
        else:
            blocks.append(escape_markdown(unit.text))
    flush()
    return "\n\n".join(blocks)
