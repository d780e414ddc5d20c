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

import re
from collections import Counter
from collections.abc import Callable, Mapping

from newsreader.ingest.dates import is_date_line
from newsreader.ingest.plaintext.blocks import Kind, Unit
from newsreader.ingest.plaintext.lines import (
    BYLINE,
    CLOSING_QUOTES,
    COMMENT_HEADER,
    CONTINUATION_WORDS,
    HAS_URL,
    OPENING_QUOTES,
    SENTENCE_BREAK,
    capitalised_ratio,
    is_furniture,
    is_quoted,
    is_title_like,
    last_word,
    starts_lower,
    words_of,
)
from newsreader.ingest.trailers import TRAILER_LINE

# Lines of more words or characters than this are never headings.
MAX_CANDIDATE_WORDS = 20
MAX_CANDIDATE_CHARS = 160
# A paragraph of at least this many words is running prose.
_PROSE_WORDS = 15

_NUMBER = re.compile(r"^(?:#\s?)?(\d{1,3})(?:[.):]|\s+[-–—])\s+(?=\S)")
# "Photograph: Agency", "Photo by Name", "Illustration by Name", "Image credit: ...".
_CREDIT = re.compile(
    r"^(?:\(?\s*(?:photo(?:graph)?s?|images?|illustrations?|pictures?|credits?|source|video|"
    r"graphics?|maps?|charts?|artwork|artist|courtesy|top image|header image|main image)"
    r"(?:\s+(?:credit|courtesy))?\s*(?::|\bby\b|\bcourtesy\b|\bvia\b))",
    re.IGNORECASE,
)
# "(Artist: Name)", "(Photo: Agency)": a bracketed label and a name.
_BRACKET_LABEL = re.compile(r"^\(\s*[\w ]{2,24}:\s*[^()]{2,60}\)$")
# "Benoit Tessier/Reuters", "AP/Getty Images": names and an agency joined by a slash.
_SLASH_CREDIT = re.compile(
    r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s?/\s?[A-Z][\w&.'’ -]{1,40}$"
)
# "Gallery: … | 14 photos", "12 images".
_GALLERY = re.compile(
    r"(?:\|\s*)?\b\d+\s+(?:photos|images|pictures|slides|videos)\b|^(?:gallery|slideshow)\b",
    re.IGNORECASE,
)
# Words of a page's furniture rather than of an article's sections.
_FURNITURE_WORDS = re.compile(
    r"\b(?:view|print|pdf|download|subscribe|sign\s+(?:in|up)|log\s+in|advertisement|"
    r"click|tap|share|follow|newsletter|mode|menu|skip|loading|cookie)\b",
    re.IGNORECASE,
)
# Words of a byline's second line ("Contributing correspondent", "Staff writer").
_ROLE_WORDS = re.compile(
    r"\b(?:correspondent|editor|reporter|writer|contributor|columnist|staff|photographer|"
    r"producer|author|journalist|analyst|fellow|professor)s?\b",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?|[A-Z]\.|[A-Z][a-z]?[A-Z][a-z]+)$")
_INNER_SEPARATOR = re.compile(r"\S\s*(?::|\s[-–—]\s|\s\|\s)\s*\S")
_DIGIT = re.compile(r"\d")
# "Step 2: ...", "Algorithm 3. ...", "Part IV - ...": a label word and a number.
_LABEL_NUMBER = re.compile(r"^([A-Z][\w-]{1,15})\s+(\d{1,3}|[IVX]{1,4}|[A-Z])\s?[.:)–—-]\s*\S")
# What a caption names: "SeaMonkey logo", "Map of the region", "A screenshot of ...".
_CAPTION_NOUN = re.compile(
    r"\b(?:logo|map|photo(?:graph)?|picture|image|screenshot|screen\s?shot|diagram|chart|graph|"
    r"figure|fig\.|illustration|portrait|flag|seal|coat of arms|rendering|infographic|still|"
    r"poster|cover|view of|pictured|left|right|top|bottom|above|below)s?\b",
    re.IGNORECASE,
)
# "Portrait by George Del Barrio", "Photo courtesy of X": something made by a name.
_BY_NAME = re.compile(
    r"\b(?:by|courtesy(?: of)?|via|from)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}$"
)
# A word of page furniture standing alone ("Image", "Advertisement", "Learn more").
_FURNITURE_ALONE = re.compile(
    r"^(?:image|photo|video|audio|advertisement|ad|sponsored|reblog|reply|share|tweet|"
    r"learn more|read more|more|see more|continue reading|loading|close|menu|print|email|"
    r"previous|next|back to top|top)$",
    re.IGNORECASE,
)
# Section names that many articles share.
_COMMON_SECTION = re.compile(
    r"^(?:see also|references|external links|further reading|notes|sources|bibliography|"
    r"introduction|background|conclusions?|summary|overview|discussion|results|methods?|"
    r"acknowledge?ments|appendix|faq|frequently asked questions|related work|"
    r"what's next\??|next steps|getting started|wrap-?up|final thoughts|in conclusion|"
    r"the bottom line|bottom line|takeaways?|key takeaways|tl;?dr)$",
    re.IGNORECASE,
)
_MONTH_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
    r"\s+\d{4}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+\d{4}\b",
    re.IGNORECASE,
)
# Program text: calls, operators, comments, paths, identifiers joined by "_" or ".".
_CODE_MARKS = re.compile(r"[;{}=<>]|\w\(|\)$|^#|^//|\w_\w|\w\.\w+\(|^[\w.-]+/[\w./-]+$")
_CAMEL = re.compile(r"^[a-z]+[A-Z]\w*$|^[A-Z][a-z]+[A-Z][a-z]+[A-Z]\w*$")
_DASH_START = re.compile(r"^[–—-]\s*\S")


def is_candidate(unit: Unit) -> bool:
    """Whether ``unit`` could be a heading at all: a short line, not code or a bullet."""
    if unit.kind is not Kind.PARAGRAPH or len(unit.text) > MAX_CANDIDATE_CHARS:
        return False
    return len(words_of(unit.text)) <= MAX_CANDIDATE_WORDS


def _end(text: str) -> str:
    """The closing punctuation mark of ``text``, looking inside closing quotes."""
    stripped = text.rstrip()
    inner = stripped.rstrip(CLOSING_QUOTES + "*").rstrip()
    return inner[-1:] if inner else ""


def _number(text: str) -> int | None:
    match = _NUMBER.match(text)
    return int(match.group(1)) if match else None


def _name_like(words: tuple[str, ...]) -> bool:
    """Two to four capitalised words and initials, as a person's name is written."""
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(w.strip(",")) for w in words)


def _title_case(words: tuple[str, ...]) -> bool:
    return len(words) >= 2 and capitalised_ratio(words) >= 0.75


def line_features(text: str, title_like: bool | None = None) -> dict[str, float]:
    """Features of one line on its own (``title_like``: :func:`.lines.is_title_like` of
    it, when known); only those that are not zero."""
    words = words_of(text)
    n = len(words)
    end = _end(text)
    letters = [c for c in text if c.isalpha()]
    stripped = text.lstrip(OPENING_QUOTES + "(")
    f: dict[str, float] = {
        "words_1": float(n == 1),
        "words_2_3": float(2 <= n <= 3),
        "words_4_6": float(4 <= n <= 6),
        "words_7_10": float(7 <= n <= 10),
        "words_11_14": float(11 <= n <= 14),
        "words_15_plus": float(n >= 15),
        "chars_over_80": float(len(text) > 80),
        "end_period": float(end in ".…"),
        "end_comma": float(end in ",;"),
        "end_colon": float(end == ":"),
        "end_question": float(end == "?"),
        "end_exclamation": float(end == "!"),
        "end_bracket": float(end in ")]"),
        "starts_lower": float(starts_lower(text)),
        "starts_digit": float(stripped[:1].isdigit()),
        "title_case": float(_title_case(words)),
        "capitalised": capitalised_ratio(words) if words else 0.0,
        "all_caps": float(len(letters) >= 3 and all(c.isupper() for c in letters)),
        "numbered": float(_number(text) is not None),
        "quoted": float(is_quoted(text)),
        "bracketed": float(text[:1] in "([" and text[-1:] in ")]"),
        "credit": float(
            bool(_CREDIT.match(text) or _BRACKET_LABEL.match(text) or _SLASH_CREDIT.match(text))
        ),
        "gallery": float(bool(_GALLERY.search(text))),
        "furniture_words": float(bool(_FURNITURE_WORDS.search(text)) and n <= 8),
        "byline": float(bool(BYLINE.match(text))),
        "role": float(bool(_ROLE_WORDS.search(text)) and n <= 5),
        "name_like": float(_name_like(words)),
        "has_digit": float(bool(_DIGIT.search(text))),
        "date": float(is_date_line(text)),
        "url": float(bool(HAS_URL.search(text))),
        "comment_header": float(bool(COMMENT_HEADER.match(text))),
        "furniture": float(bool(TRAILER_LINE.match(text)) or is_furniture(text)),
        "continues": float(last_word(text) in CONTINUATION_WORDS),
        "sentence_break": float(bool(SENTENCE_BREAK.search(text))),
        "commas_2": float(text.count(",") >= 2),
        "inner_separator": float(bool(_INNER_SEPARATOR.search(text))),
        "tab": float("\t" in text),
        "title_like": float(is_title_like(text) if title_like is None else title_like),
        "caption_noun": float(bool(_CAPTION_NOUN.search(text)) and n <= 12),
        "by_name": float(bool(_BY_NAME.search(text)) and n <= 10),
        "furniture_alone": float(bool(_FURNITURE_ALONE.match(text.strip(" .:!»›>")))),
        "common_section": float(bool(_COMMON_SECTION.match(text.strip(" :")))),
        "month_date": float(bool(_MONTH_DATE.search(text))),
        "code_marks": float(bool(_CODE_MARKS.search(text))),
        "camel_word": float(n == 1 and bool(_CAMEL.match(text))),
        "dash_start": float(bool(_DASH_START.match(text))),
        "comma_short": float("," in text and n <= 7),
        "colon_title": float(end == ":" and _title_case(words)),
        "colon_sentence": float(end == ":" and n >= 3 and not _title_case(words)),
        "label_number": float(bool(_LABEL_NUMBER.match(text))),
    }
    return {name: value for name, value in f.items() if value}


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
) -> dict[int, dict[str, float]]:
    """The features of the candidates in ``units`` that are ``wanted``, by index (all the
    candidates count as siblings)."""
    n = len(units)
    # Lines longer than a candidate count as prose without counting their words.
    word_counts = [
        len(words_of(u.text)) if len(u.text) <= MAX_CANDIDATE_CHARS else _PROSE_WORDS + 50
        for u in units
    ]
    candidate = [
        u.kind is Kind.PARAGRAPH and len(u.text) <= MAX_CANDIDATE_CHARS and c <= MAX_CANDIDATE_WORDS
        for u, c in zip(units, word_counts, strict=True)
    ]
    candidates = [i for i in range(n) if candidate[i]]
    short = [candidate[k] and word_counts[k] < _PROSE_WORDS for k in range(n)]
    prose = [units[k].kind is Kind.PARAGRAPH and word_counts[k] >= _PROSE_WORDS for k in range(n)]
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
    numbers = {i: _number(units[i].text) for i in candidates}
    numbered_at = {value: i for i, value in numbers.items() if value is not None}
    openings = Counter(_opening(units[i].text) for i in candidates)
    standalone = [
        _title_case(words_of(units[i].text))
        for i in candidates
        if run_of.get(i, (i, i + 1))[1] - run_of.get(i, (i, i + 1))[0] == 1
        and len(words_of(units[i].text)) >= 2
    ]
    title_share = sum(standalone) / len(standalone) if len(standalone) >= 4 else 0.5
    # "Step 1: ...", "Step 2: ...": label words whose numbers count on through the text.
    labelled: dict[int, tuple[str, str]] = {}
    for i in candidates:
        match = _LABEL_NUMBER.match(units[i].text)
        if match:
            labelled[i] = (match.group(1).lower(), match.group(2))
    label_counts = Counter(label for label, _ in labelled.values())
    # Lines standing alone before prose, by their closing mark: a text's headings share one.
    isolated_ends: Counter[str] = Counter(
        _end(units[i].text)
        for i in candidates
        if run_of.get(i, (i, i + 1))[1] - run_of.get(i, (i, i + 1))[0] == 1
        and (i + 1 < n and prose[i + 1])
    )

    def is_prose(k: int) -> bool:
        return 0 <= k < n and prose[k]

    def is_short_at(k: int) -> bool:
        return 0 <= k < n and short[k]

    out: dict[int, dict[str, float]] = {}
    for i in candidates:
        if not wanted(units[i]):
            continue
        unit = units[i]
        f = line_features(unit.text, unit.title_like)
        if i in labelled:
            f["label_sequence"] = float(label_counts[labelled[i][0]] >= 2)
        own_end = _end(unit.text)
        if own_end in ":?!":
            f["same_end_siblings"] = float(isolated_ends[own_end] >= 3)
        neighbours = [
            units[k].text for k in (i - 1, i + 1) if 0 <= k < n and units[k].kind is not Kind.CODE
        ]
        f["next_to_credit"] = float(
            any(
                _CREDIT.match(t) or _SLASH_CREDIT.match(t) or _BY_NAME.search(t)
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
            and _end(previous.text) not in ".…?!:\"')]"
        )
        f["end_colon_long"] = float(bool(f.get("end_colon")) and len(words_of(unit.text)) >= 5)
        f["numbered_alone"] = float(bool(f.get("numbered")) and size == 1)
        own_title = _title_case(words_of(unit.text))
        f["against_style"] = float(
            len(words_of(unit.text)) >= 2
            and ((title_share >= 0.75 and not own_title) or (title_share <= 0.25 and own_title))
        )
        value = numbers[i]
        f["numbered_sequence"] = float(
            value is not None
            and any(abs(numbered_at.get(value + step, i) - i) > 1 for step in (-1, 1))
        )
        f["repeated_opening"] = float(
            openings[_opening(unit.text)] >= 3 and bool(_opening(unit.text))
        )
        if siblings:
            sibling_words = [float(word_counts[k]) for k in siblings]
            median = _median(sibling_words)
            own = word_counts[i]
            f["shorter_than_run"] = float(own * 2 <= median and median >= 3)
            f["longer_than_run"] = float(own >= 2 * median + 2)
            styles = [_title_case(words_of(units[k].text)) for k in siblings]
            own_style = _title_case(words_of(unit.text))
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


def _opening(text: str) -> str:
    """The first three words of ``text``, in lower case ("" for shorter lines)."""
    words = text.lower().split()
    return " ".join(words[:3]) if len(words) > 3 else ""


def score(features: dict[str, float], weights: Mapping[str, float]) -> float:
    """The weighted sum of ``features``, with the ``bias`` weight: above 0, a heading."""
    total = weights.get("bias", 0.0)
    for name, value in features.items():
        if value:
            total += weights.get(name, 0.0) * value
    return total
