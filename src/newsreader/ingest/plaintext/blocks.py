"""The body's lines as units: paragraphs, code blocks, and lines broken mid-sentence joined."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, auto

from newsreader.ingest.plaintext.lines import (
    CONTINUATION_WORDS,
    INDENTED,
    URL_ONLY,
    ends_closed,
    is_bullet,
    is_code_line,
    last_word,
    starts_lower,
    words_of,
)


class Kind(Enum):
    PARAGRAPH = auto()
    HEADING = auto()
    ITEM = auto()
    CODE = auto()


@dataclass(slots=True)
class Unit:
    """A line of the body (or, for code, a block of lines) and what it was found to be."""

    text: str
    kind: Kind
    blank_before: bool
    blank_after: bool
    short: bool = False  # a short line without closing punctuation: heading or list item
    title_like: bool = False
    lines: tuple[str, ...] = ()


def _is_code_like(line: str) -> bool:
    return bool(INDENTED.match(line) or is_code_line(line))


# A keyword line opening an indented clause of code ("SELECT", "GROUP BY", "BEGIN").
_CODE_KEYWORD = re.compile(r"[A-Z][A-Z_]+(?: [A-Z][A-Z_]+){0,2}")


def _code_lead(lines: list[str], i: int) -> bool:
    """Whether ``lines[i]`` is a keyword line directly followed by an indented code line."""
    return (
        i + 1 < len(lines)
        and bool(_CODE_KEYWORD.fullmatch(lines[i].strip()))
        and bool(INDENTED.match(lines[i + 1]))
        and _is_code_like(lines[i + 1])
    )


def _find_code(lines: list[str]) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of lines to keep preformatted: code, indented text, tables.

    A span is a run of at least two code-like lines (indented, tab-separated, or looking
    like program text) with at least one indented or two code-like lines; a single blank
    line or a non-code line between code lines does not end it.
    """
    spans: list[tuple[int, int]] = []
    n = len(lines)
    i = 0
    while i < n:
        if not lines[i].strip() or not (_is_code_like(lines[i]) or "\t" in lines[i].strip()):
            i += 1
            continue
        j = i + 1
        last_code = i
        while j < n:
            line = lines[j]
            if not line.strip():
                if j + 1 < n and _is_code_like(lines[j + 1]) and INDENTED.match(lines[j + 1]):
                    j += 1
                    continue
                if j + 1 < n and _is_code_like(lines[j + 1]) and _is_code_like(lines[j - 1]):
                    j += 1
                    continue
                break
            if _is_code_like(line) or ("\t" in line.strip() and "\t" in lines[last_code]):
                last_code = j
                j += 1
                continue
            # A short line between code lines ("reqHeaders.append(...", a closing "})").
            if (
                j + 1 < n
                and _is_code_like(lines[j + 1])
                and len(words_of(line)) <= 8
                and re.search(r"[(){}\[\]=;\"']", line)
            ) or _code_lead(lines, j):
                j += 1
                continue
            break
        end = last_code + 1
        block = lines[i:end]
        code = [line for line in block if line.strip()]
        indented = sum(1 for line in code if INDENTED.match(line))
        tabbed = sum(1 for line in code if "\t" in line.strip())
        codeish = sum(1 for line in code if is_code_line(line))
        if len(code) >= 2 and (indented or codeish >= 2 or tabbed == len(code)):
            # A keyword line just before the block opens it ("SELECT" above its columns).
            if i > 0 and (not spans or spans[-1][1] < i) and _code_lead(lines, i - 1):
                i -= 1
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans


def split_units(lines: list[str]) -> list[Unit]:
    """The body's lines as units, with code spans folded into one unit each."""
    spans = _find_code(lines)
    units: list[Unit] = []
    span_index = 0
    i = 0
    n = len(lines)
    while i < n:
        if span_index < len(spans) and spans[span_index][0] == i:
            start, end = spans[span_index]
            span_index += 1
            block = tuple(lines[start:end])
            units.append(
                Unit(
                    "\n".join(block),
                    Kind.CODE,
                    blank_before=start == 0 or not lines[start - 1].strip(),
                    blank_after=end >= n or not lines[end].strip(),
                    lines=block,
                )
            )
            i = end
            continue
        raw = lines[i]
        text = " ".join(raw.split())
        if text:
            units.append(
                Unit(
                    text,
                    Kind.PARAGRAPH,
                    blank_before=i == 0 or not lines[i - 1].strip(),
                    blank_after=i + 1 >= n or not lines[i + 1].strip(),
                )
            )
        i += 1
    return units


# Hard-wrapped prose: lines of at most this many characters, most of them nearly full.
_WRAP_WIDTH = 100
_WRAP_FILL = 0.7


def join_broken_lines(units: list[Unit]) -> list[Unit]:
    """Join lines that break a sentence, or a hard-wrapped paragraph, into one paragraph.

    Only lines that follow each other without a blank line are joined: a line without
    closing punctuation followed by one starting in lower case ("...passed to the" /
    "constructor, so you may..."), and runs of lines wrapped at a fixed width, where the
    lines are nearly full and the next often starts in lower case.
    """
    joined: list[Unit] = []
    run: list[Unit] = []

    def flush() -> None:
        if len(run) >= 2 and _hard_wrapped([u.text for u in run]):
            first = run[0]
            first.text = " ".join(u.text for u in run)
            first.blank_after = run[-1].blank_after
            joined.append(first)
        else:
            for unit in run:
                _append_joining(joined, unit)
        run.clear()

    for unit in units:
        if unit.kind is Kind.PARAGRAPH and not is_bullet(unit.text):
            if run and run[-1].blank_after:
                flush()
            run.append(unit)
            continue
        flush()
        joined.append(unit)
    flush()
    return joined


def _hard_wrapped(lines: list[str]) -> bool:
    widest = max(len(line) for line in lines)
    if not 40 <= widest <= _WRAP_WIDTH:
        return False
    full = sum(1 for line in lines[:-1] if len(line) >= _WRAP_FILL * widest)
    lower = sum(1 for line in lines[1:] if starts_lower(line))
    return full >= 0.8 * (len(lines) - 1) and lower * 2 >= len(lines) - 1


def _append_joining(joined: list[Unit], unit: Unit) -> None:
    previous = joined[-1] if joined else None
    if (
        previous is not None
        and previous.kind is Kind.PARAGRAPH
        and not previous.blank_after
        and 40 <= len(previous.text) <= _WRAP_WIDTH
        and not ends_closed(previous.text)
        and not previous.text.endswith("?")
        and (starts_lower(unit.text) or last_word(previous.text) in CONTINUATION_WORDS)
        # An address alone on its line ("https://...") goes on no sentence: a list of links.
        and not URL_ONLY.match(unit.text)
        and not URL_ONLY.match(previous.text)
    ):
        previous.text = f"{previous.text} {unit.text}"
        previous.blank_after = unit.blank_after
        return
    joined.append(unit)
