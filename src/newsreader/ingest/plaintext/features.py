"""Features of a candidate heading line: the line itself, its neighbours and its siblings.

Each short line that is not code or a bulleted item is a *candidate*. Its features are
numbers (mostly 0 or 1) named after what they say: the line's length, capitalisation and
closing punctuation, shapes that captions, credits, bylines and page furniture take
("Photograph: Agency", "Name/Agency", "(Artist: Name)", "Gallery: … | 14 photos"),
numbering and whether it runs on through the text, what stands before and after it, and
how the other lines of its run (consecutive short lines) and the document's other
candidates look. The weights that turn them into a decision
(:mod:`newsreader.ingest.plaintext.heading_weights`) are fitted on labelled articles by
logistic regression in ``bench/headings_fit.py``; :mod:`.detector` applies them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

from newsreader.ingest.plaintext.blocks import Kind, Unit
from newsreader.ingest.plaintext.line_features import (
    BY_NAME,
    CREDIT,
    LABEL_NUMBER,
    MAX_CANDIDATE_CHARS,
    MAX_CANDIDATE_WORDS,
    PROSE_WORDS,
    SLASH_CREDIT,
    end_mark,
    line_features,
    number_of,
    title_case,
)
from newsreader.ingest.plaintext.lines import CLOSING_QUOTES, ends_closed, starts_lower, words_of


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# Context features that mean something else in text without blank lines: each gets a copy
# that is on only in such ("pasted") text.
_SHAPED = (
    "list_follows",
    "list_precedes",
    "run_first_unlike",
    "run_last_before_prose",
    "prev_open",
    "run_1",
    "run_2",
    "run_3_plus",
    "run_first",
    "run_last",
    "prev_prose",
    "next_prose",
    "between_prose",
    "next_short_then_prose",
    "prev_short",
    "title_case",
    "words_1",
    "words_7_10",
    "end_question",
    "end_exclamation",
    "numbered_sequence",
    "shorter_than_run",
    "unlike_run",
)


def document_features(
    units: list[Unit],
    blank_separated: bool,
    wanted: Callable[[Unit], bool] = lambda unit: True,
    settled: Callable[[int], bool] | None = None,
    passed: list[int] | None = None,
) -> dict[int, dict[str, float]]:
    """The features of the candidates in ``units`` that are ``wanted``, by index (all the
    candidates count as siblings).

    A wanted candidate whose index is ``settled`` (its reading does not depend on its
    features) gets none: its index is appended to ``passed`` instead."""
    n = len(units)
    # Lines longer than a candidate count as prose without counting their words.
    # The words of each line that may be a candidate, split once (each is asked for often).
    words = [words_of(u.text) if len(u.text) <= MAX_CANDIDATE_CHARS else () for u in units]
    word_counts = [
        len(w) if len(u.text) <= MAX_CANDIDATE_CHARS else PROSE_WORDS + 50
        for u, w in zip(units, words, strict=True)
    ]
    titled: dict[int, bool] = {}

    def is_titled(k: int) -> bool:
        found = titled.get(k)
        if found is None:
            found = titled[k] = title_case(words[k])
        return found

    candidate = [
        u.kind is Kind.PARAGRAPH and len(u.text) <= MAX_CANDIDATE_CHARS and c <= MAX_CANDIDATE_WORDS
        for u, c in zip(units, word_counts, strict=True)
    ]
    candidates = [i for i in range(n) if candidate[i]]
    short = [candidate[k] and word_counts[k] < PROSE_WORDS for k in range(n)]
    prose = [units[k].kind is Kind.PARAGRAPH and word_counts[k] >= PROSE_WORDS for k in range(n)]
    # Runs of short lines with no blank line between them: the run each index belongs to.
    run_of: dict[int, tuple[int, int]] = {}
    i = 0
    while i < n:
        if not short[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and short[j + 1] and not units[j].blank_after:
            j += 1
        for k in range(i, j + 1):
            run_of[k] = (i, j + 1)
        i = j + 1
    numbers = {i: number_of(units[i].text) for i in candidates}
    numbered_at = {value: i for i, value in numbers.items() if value is not None}
    openings = Counter(opening(units[i].text) for i in candidates)
    standalone = [
        is_titled(i)
        for i in candidates
        if run_of.get(i, (i, i + 1))[1] - run_of.get(i, (i, i + 1))[0] == 1 and word_counts[i] >= 2
    ]
    title_share = sum(standalone) / len(standalone) if len(standalone) >= 4 else 0.5
    # "Step 1: ...", "Step 2: ...": label words whose numbers count on through the text.
    labelled: dict[int, tuple[str, str]] = {}
    for i in candidates:
        match = LABEL_NUMBER.match(units[i].text)
        if match:
            labelled[i] = (match.group(1).lower(), match.group(2))
    label_counts = Counter(label for label, _ in labelled.values())
    # Lines standing alone before prose, by their closing mark: a text's headings share one.
    isolated_ends: Counter[str] = Counter(
        end_mark(units[i].text)
        for i in candidates
        if run_of.get(i, (i, i + 1))[1] - run_of.get(i, (i, i + 1))[0] == 1
        and (i + 1 < n and prose[i + 1])
    )

    # The same, by a line's look (closing mark, Title Case, capitals, length): one text's
    # headings look alike, and unlike its captions and list items.
    isolated_styles: Counter[tuple[str, bool, bool, int]] = Counter(
        _style(units[i].text, is_titled(i), word_counts[i])
        for i in candidates
        if run_of.get(i, (i, i + 1))[1] - run_of.get(i, (i, i + 1))[0] == 1
        and (i + 1 < n and prose[i + 1])
    )

    def is_prose(k: int) -> bool:
        return 0 <= k < n and prose[k]

    def size_of(k: int) -> int:
        start, end = run_of.get(k, (k, k + 1))
        return end - start

    def is_short_at(k: int) -> bool:
        return 0 <= k < n and short[k]

    out: dict[int, dict[str, float]] = {}
    for i in candidates:
        if not wanted(units[i]):
            continue
        if settled is not None and settled(i):
            if passed is not None:
                passed.append(i)
            continue
        unit = units[i]
        f = line_features(unit.text, unit.title_like, words[i])
        if i in labelled:
            f["label_sequence"] = float(label_counts[labelled[i][0]] >= 2)
        own_end = end_mark(unit.text)
        if own_end in ":?!":
            f["same_end_siblings"] = float(isolated_ends[own_end] >= 3)
        own_look = _style(unit.text, is_titled(i), word_counts[i])
        alone_before_prose = size_of(i) == 1 and is_prose(i + 1)
        f["same_style_siblings"] = float(isolated_styles[own_look] - int(alone_before_prose) >= 2)
        neighbours = [
            units[k].text for k in (i - 1, i + 1) if 0 <= k < n and units[k].kind is not Kind.CODE
        ]
        f["next_to_credit"] = float(
            any(
                CREDIT.match(t) or SLASH_CREDIT.match(t) or BY_NAME.search(t)
                for t in neighbours
                if len(t) < 80
            )
        )
        previous = units[i - 1] if i > 0 else None
        following = units[i + 1] if i + 1 < n else None
        start, end = run_of.get(i, (i, i + 1))
        size = end - start
        siblings = [k for k in range(max(start, i - 10), min(end, i + 11)) if k != i]
        f["run_1"] = float(size == 1)
        f["run_2"] = float(size == 2)
        f["run_3_plus"] = float(size >= 3)
        f["run_first"] = float(size > 1 and i == start)
        f["run_last"] = float(size > 1 and i == end - 1)
        f["run_last_before_prose"] = float(size > 1 and i == end - 1 and is_prose(i + 1))
        f["prev_prose"] = float(is_prose(i - 1))
        f["next_prose"] = float(is_prose(i + 1))
        f["between_prose"] = f["prev_prose"] * f["next_prose"]
        f["prev_colon"] = float(
            previous is not None
            and previous.kind is not Kind.CODE
            and previous.text.rstrip().endswith(":")
        )
        f["next_lower"] = float(
            following is not None
            and following.kind is not Kind.CODE
            and starts_lower(following.text)
        )
        f["next_code"] = float(following is not None and following.kind is Kind.CODE)
        f["table_follows"] = float(table_follows(units, i))
        f["prev_code"] = float(previous is not None and previous.kind is Kind.CODE)
        f["next_item"] = float(following is not None and following.kind is Kind.ITEM)
        f["first"] = float(previous is None)
        f["last"] = float(following is None)
        f["prev_short"] = float(is_short_at(i - 1))
        f["prev_quote"] = float(
            previous is not None
            and previous.kind is Kind.PARAGRAPH
            and previous.text.rstrip()[-1:] in CLOSING_QUOTES
        )
        f["next_short_then_prose"] = float(is_short_at(i + 1) and is_prose(i + 2))
        if blank_separated:
            f["saved_glued_before"] = float(not unit.blank_before and previous is not None)
            f["saved_glued_after_short"] = float(not unit.blank_after and is_short_at(i + 1))
            f["saved_glued_after_prose"] = float(not unit.blank_after and is_prose(i + 1))
        f["list_follows"] = float(
            following is not None
            and (
                following.kind is Kind.ITEM
                or (is_short_at(i + 1) and is_short_at(i + 2) and not following.blank_after)
            )
        )
        if blank_separated:
            # Set apart by blank lines over a list whose items are not: the list's heading.
            f["saved_apart_over_list"] = float(
                bool(f["list_follows"])
                and unit.blank_after
                and (previous is None or previous.blank_after)
            )
        before = units[i - 2] if i > 1 else None
        f["list_precedes"] = float(
            is_short_at(i - 1)
            and is_short_at(i - 2)
            and before is not None
            and not before.blank_after
        )
        f["prev_open"] = float(
            previous is not None
            and previous.kind is Kind.PARAGRAPH
            and not is_short_at(i - 1)
            and end_mark(previous.text) not in ".…?!:\"')]"
        )
        f["end_colon_long"] = float(bool(f.get("end_colon")) and word_counts[i] >= 5)
        f["numbered_alone"] = float(bool(f.get("numbered")) and size == 1)
        own_title = is_titled(i)
        f["against_style"] = float(
            word_counts[i] >= 2
            and ((title_share >= 0.75 and not own_title) or (title_share <= 0.25 and own_title))
        )
        value = numbers[i]
        f["numbered_sequence"] = float(
            value is not None
            and any(abs(numbered_at.get(value + step, i) - i) > 1 for step in (-1, 1))
        )
        f["repeated_opening"] = float(
            openings[opening(unit.text)] >= 3 and bool(opening(unit.text))
        )
        if siblings:
            sibling_words = [float(word_counts[k]) for k in siblings]
            median = _median(sibling_words)
            own = word_counts[i]
            f["shorter_than_run"] = float(own * 2 <= median and median >= 3)
            f["longer_than_run"] = float(own >= 2 * median + 2)
            styles = [is_titled(k) for k in siblings]
            own_style = own_title
            f["unlike_run"] = float(own_style and sum(styles) * 2 < len(styles))
            f["run_first_unlike"] = float(
                bool(f["run_first"]) and bool(f["shorter_than_run"] or f["unlike_run"])
            )
            f["siblings_numbered"] = float(
                sum(1 for k in siblings if numbers.get(k) is not None) * 2 >= len(siblings)
            )
        if not blank_separated:
            f["pasted"] = 1.0
            for name in _SHAPED:
                if f.get(name):
                    f["pasted_" + name] = f[name]
        out[i] = f
    return out


# How many lines below a line a table's rows may start for the line to be the table's.
TABLE_REACH = 4


def table_follows(units: list[Unit], index: int) -> bool:
    """Whether a table's rows (cells separated by tabs) follow ``units[index]`` within
    :data:`TABLE_REACH` lines, none of them set apart by a blank line (but the line itself
    may be): the line names the table (a caption, a header row spanning the columns)
    rather than a section. A sentence between them (one that introduces the table) makes
    the line a section's heading again."""
    reach = 2 if units[index].blank_after else TABLE_REACH
    for k in range(index + 1, min(len(units), index + 1 + reach)):
        text = units[k].text
        if "\t" in text:
            return True
        if units[k].blank_after or ends_closed(text) or text.endswith("?"):
            return False
    return False


def _style(text: str, titled: bool, words: int) -> tuple[str, bool, bool, int]:
    """How a line looks: its closing mark, Title Case or not, all capitals or not, and
    its length in bands of words (1, 2-3, 4-6, 7 or more)."""
    end = end_mark(text)
    mark = end if end in ".:?!)" else ""
    caps = text.isupper() and sum(c.isalpha() for c in text) >= 3
    band = 0 if words <= 1 else 1 if words <= 3 else 2 if words <= 6 else 3
    return (mark, titled, caps, band)


def opening(text: str) -> str:
    """The first three words of ``text`` (two of a line of three), in lower case ("" for
    shorter lines): lines made from one template ("More than 5%", "More than 10%") share it."""
    words = text.lower().split()
    if len(words) == 3:
        return " ".join(words[:2])
    return " ".join(words[:3]) if len(words) > 3 else ""


def score(features: dict[str, float], weights: Mapping[str, float]) -> float:
    """The weighted sum of ``features``, with the ``bias`` weight: above 0, a heading."""
    total = weights.get("bias", 0.0)
    for name, value in features.items():
        if value:
            total += weights.get(name, 0.0) * value
    return total
