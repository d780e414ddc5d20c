"""Which short lines are section headings and which are list items."""

from __future__ import annotations

import re
from collections import Counter

from newsreader.ingest.plaintext.blocks import Kind, Unit
from newsreader.ingest.plaintext.contents import classify_contents
from newsreader.ingest.plaintext.lines import (
    MAX_HEADING_CHARS,
    MAX_ITEM_WORDS,
    NUMBERED,
    SENTENCE_BREAK,
    URL_ONLY,
    capitalised_ratio,
    ends_closed,
    is_bullet,
    is_comment_header,
    is_furniture,
    is_numbered,
    is_short,
    is_title_like,
    starts_lower,
    words_of,
)
from newsreader.ingest.trailers import TRAILER_LINE

# Share of lines followed by a blank line above which paragraphs are taken to be separated
# by blank lines (saved text) rather than by single newlines (text pasted from a browser).
_BLANK_SEPARATED = 0.1


def classify(units: list[Unit]) -> None:
    """Mark each unit as paragraph, heading, list item or code (in place)."""
    mark_all(units)
    classify_marked(units)


def mark_all(units: list[Unit]) -> None:
    """Mark the short, title-like, bulleted and numbered lines of ``units`` (in place)."""
    for unit in units:
        mark(unit)
    classify_numbered(units)


def classify_marked(units: list[Unit], contents: bool = True) -> None:
    """Decide headings and list items among units marked by :func:`mark_all` (in place);
    with ``contents``, the lines a table of contents lists are headings too."""
    blank_separated = is_blank_separated(units)
    # Openings shared by several short lines: a template ("Learn more about ..."), not titles.
    openings = Counter(opening_words(u.text) for u in units if u.short)
    repeated = {opening for opening, count in openings.items() if count >= 3 and opening}
    # Runs of short lines with no blank line between them.
    n = len(units)
    i = 0
    while i < n:
        if not _candidate(units[i]):
            i += 1
            continue
        j = i
        while j + 1 < n and _candidate(units[j + 1]) and not units[j].blank_after:
            j += 1
        _classify_run(units, i, j + 1, blank_separated, repeated)
        i = j + 1
    if contents:
        classify_contents(units)


def mark(unit: Unit) -> None:
    """Mark ``unit`` as short (a heading or list item) and title-like, or as a bulleted item."""
    if unit.kind is Kind.CODE:
        return
    text = unit.text
    if len(text) > MAX_HEADING_CHARS:
        # Too long for a heading or a list item (only a comment's header may be as long).
        unit.title_like = unit.short = is_comment_header(text)
    else:
        unit.title_like = is_title_like(text)
        # Short lines are headings or list items; a line that holds the end of a sentence
        # is a piece of prose, as is page furniture ("Reply").
        unit.short = unit.title_like or (
            is_short(text, MAX_ITEM_WORDS)
            and not ends_closed(text)
            and not (SENTENCE_BREAK.search(text) and not text.endswith("?"))
            and not TRAILER_LINE.match(text)
            and not is_furniture(text)
        )
    if is_bullet(text):
        unit.kind = Kind.ITEM


def is_blank_separated(units: list[Unit]) -> bool:
    """Whether paragraphs are separated by blank lines (saved text) rather than not (pasted)."""
    gaps = sum(1 for u in units[:-1] if u.blank_after)
    return gaps > 0 and gaps >= _BLANK_SEPARATED * (len(units) - 1)


def classify_numbered(units: list[Unit]) -> None:
    """A lone numbered line between paragraphs may be a heading; numbered runs are lists.

    Lone numbered lines that count on through the text ("1) ...", prose, "2) ...") are the
    sections of a numbered article: they are headings even when they end with "!" or "?".
    """
    n = len(units)
    lone: dict[int, int] = {}
    for i, unit in enumerate(units):
        if unit.kind is not Kind.PARAGRAPH or not is_numbered(unit.text):
            continue
        neighbours = [units[k] for k in (i - 1, i + 1) if 0 <= k < n]
        in_list = any(
            is_numbered(u.text) or u.kind is Kind.ITEM
            for u in neighbours
            if u.kind is not Kind.CODE
        )
        number = _number(unit.text)
        if not in_list and number is not None:
            lone[i] = number
        if in_list or not title_like_numbered(unit.text):
            unit.kind = Kind.ITEM
        else:
            unit.title_like = True
            unit.short = True
    numbers = set(lone.values())
    for i, number in lone.items():
        unit = units[i]
        rest = NUMBERED.sub("", unit.text, count=1).strip()
        counted = number - 1 in numbers or number + 1 in numbers
        if counted and unit.kind is Kind.ITEM and _section_title(rest):
            unit.kind = Kind.PARAGRAPH
            unit.title_like = True
            unit.short = True


def _number(line: str) -> int | None:
    """The number of a numbered line ("2. ...", "15) ..."), if it is one."""
    digits = line[: len(line) - len(line.lstrip("0123456789"))]
    return int(digits) if digits and is_numbered(line) else None


def _section_title(text: str) -> bool:
    """A numbered section's title: short, no sentence closed inside or at its end (but "!"
    and "?" are allowed at the end)."""
    stripped = text.rstrip("!?").rstrip()
    return (
        bool(stripped)
        and is_short(text)
        and not ends_closed(stripped)
        and not SENTENCE_BREAK.search(stripped)
    )


def opening_words(line: str) -> str:
    """The first three words of ``line``, in lower case ("" for shorter lines)."""
    words = line.lower().split()
    return " ".join(words[:3]) if len(words) > 3 else ""


def title_like_numbered(line: str) -> bool:
    rest = NUMBERED.sub("", line, count=1).strip()
    return bool(rest) and is_title_like(rest)


def _candidate(unit: Unit) -> bool:
    return unit.kind is Kind.PARAGRAPH and unit.short


def _context_allows(units: list[Unit], i: int) -> bool:
    """Whether the neighbours of ``units[i]`` allow it to be a heading."""
    previous = units[i - 1] if i > 0 else None
    following = units[i + 1] if i + 1 < len(units) else None
    # What a paragraph ending with ":" introduces (a caption, an example) is not a heading.
    if previous is not None and previous.kind is not Kind.CODE and previous.text.endswith(":"):
        return False
    # A sentence broken over two lines goes on in lower case (a short Title Case line is
    # still a heading when the paragraph after it starts with a name such as "iOS").
    if following is None or following.kind is Kind.CODE or not starts_lower(following.text):
        return True
    words = words_of(units[i].text)
    return len(words) <= 3 and capitalised_ratio(words) >= 0.7


def _ends_sentence(unit: Unit) -> bool:
    """Whether ``unit`` is not a paragraph, or a paragraph whose last sentence is complete."""
    return unit.kind is not Kind.PARAGRAPH or ends_closed(unit.text) or unit.text.endswith("?")


def _heading_allowed(units: list[Unit], i: int) -> bool:
    unit = units[i]
    return unit.title_like and not unit.text.endswith("?") and _context_allows(units, i)


def _classify_run(
    units: list[Unit], start: int, end: int, blank_separated: bool, repeated: set[str]
) -> None:
    """Decide headings and list items in ``units[start:end]``, a run of short lines."""
    run = units[start:end]
    following = units[end] if end < len(units) else None
    if len(run) == 1:
        unit = run[0]
        # In text with blank lines between paragraphs, a heading is set apart from the
        # paragraph before it; a short line glued to one closes it ("Learn more about X").
        apart = not blank_separated or (
            unit.blank_before
            and (unit.blank_after or (following is not None and not following.short))
        )
        if unit.title_like and apart and following is not None and _context_allows(units, start):
            unit.kind = Kind.HEADING
        return
    rest = list(range(start, end))
    # "List then heading", in pasted text: a title-like last line before a paragraph.
    last = run[-1]
    if (
        not blank_separated
        and following is not None
        and following.kind is Kind.PARAGRAPH
        and not following.short
        and _heading_allowed(units, end - 1)
        and (
            (
                # Two short lines after a line of prose that does not end a sentence are
                # the end of a list whose items are longer lines.
                len(run) == 2 and (start == 0 or _ends_sentence(units[start - 1]))
            )
            or (
                len(words_of(last.text))
                <= max(3, _median([len(words_of(u.text)) for u in run[-_NEAR_ITEMS:]]))
                and _unlike_items(last, run[-_NEAR_ITEMS - 1 : -1])
            )
        )
    ):
        last.kind = Kind.HEADING
        rest.pop()
        # Two short lines between paragraphs: a section and its first subsection, unless
        # the first is a line repeated through the text ("Learn more about ...").
        first = run[0]
        if (
            len(run) == 2
            and start > 0
            and units[start - 1].kind is Kind.PARAGRAPH
            and not units[start - 1].short
            and len(words_of(first.text)) <= 6
            and first.title_like
            and _context_allows(units, start)
            and opening_words(first.text) not in repeated
        ):
            first.kind = Kind.HEADING
            rest.pop()
    # "Heading then list": a title-like first line that does not read like the items
    # (which may start in lower case).
    first = run[0]
    previous = units[start - 1] if start > 0 else None
    if (
        len(rest) >= 3
        and (first.blank_before or not blank_separated)
        and first.title_like
        and not first.text.endswith("?")
        and not (previous and previous.kind is not Kind.CODE and previous.text.endswith(":"))
        and _unlike_items(first, [units[k] for k in rest[1 : _NEAR_ITEMS + 1]])
    ):
        first.kind = Kind.HEADING
        rest.pop(0)
    # What is left is a list, unless a single line is left.
    if len(rest) >= 2:
        for k in rest:
            units[k].kind = Kind.ITEM


# A label and its value on one line: "Company: Google".
_LABEL_VALUE = re.compile(r"^[^:]{1,30}:\s+\S")
# How many neighbouring list items a heading candidate is compared with.
_NEAR_ITEMS = 20


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def _unlike_items(candidate: Unit, items: list[Unit]) -> bool:
    """Whether ``candidate`` reads unlike the list ``items``: shorter, or styled differently."""
    if not items:
        return True
    # Items that pair a label with a value ("Company: Google", "Website: google.com") under
    # a line that does not: the box's title.
    paired = sum(1 for u in items if _LABEL_VALUE.match(u.text))
    if paired * 2 > len(items) and ":" not in candidate.text:
        return True
    # Items that are addresses alone ("https://...", "www.example.org") under a line of
    # words: the list's name ("Sources & links", "Further reading").
    addresses = sum(1 for u in items if URL_ONLY.match(u.text))
    if addresses * 2 > len(items) and not URL_ONLY.match(candidate.text):
        return True
    words = len(words_of(candidate.text))
    item_words = [len(words_of(u.text)) for u in items]
    if words * 2 <= _median(item_words) and words <= 6 and _median(item_words) >= 3:
        return True
    cap = capitalised_ratio(words_of(candidate.text))
    # One-word items ("BBEdit", "Acorn") say nothing about the list's style.
    item_caps = [capitalised_ratio(words_of(u.text)) for u in items if len(words_of(u.text)) > 1]
    title_case = cap >= 0.75 and words >= 2
    items_title_case = sum(1 for c in item_caps if c >= 0.75) > len(item_caps) / 2
    return title_case and not items_title_case and words <= 8
