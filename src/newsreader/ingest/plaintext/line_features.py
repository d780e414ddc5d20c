"""Features of one line of plain text on its own: length, capitalisation, closing
punctuation, and the shapes of captions, credits, bylines, page furniture and code.

Used by :mod:`.features`, which adds what the line's neighbours and siblings say.
"""

from __future__ import annotations

import re

from newsreader.ingest.dates import is_date_line
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
PROSE_WORDS = 15

_NUMBER = re.compile(r"^(?:#\s?)?(\d{1,3})(?:[.):]|\s+[-–—])\s+(?=\S)")
# "Photograph: Agency", "Photo by Name", "Illustration by Name", "Image credit: ...".
CREDIT = re.compile(
    r"^(?:\(?\s*(?:photo(?:graph)?s?|images?|illustrations?|pictures?|credits?|source|video|"
    r"graphics?|maps?|charts?|artwork|artist|courtesy|top image|header image|main image)"
    r"(?:\s+(?:credit|courtesy))?\s*(?::|\bby\b|\bcourtesy\b|\bvia\b))",
    re.IGNORECASE,
)
# "(Artist: Name)", "(Photo: Agency)": a bracketed label and a name.
_BRACKET_LABEL = re.compile(r"^\(\s*[\w ]{2,24}:\s*[^()]{2,60}\)$")
# "Benoit Tessier/Reuters", "AP/Getty Images": names and an agency joined by a slash.
SLASH_CREDIT = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s?/\s?[A-Z][\w&.'’ -]{1,40}$")
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
LABEL_NUMBER = re.compile(r"^([A-Z][\w-]{1,15})\s+(\d{1,3}|[IVX]{1,4}|[A-Z])\s?[.:)–—-]\s*\S")
# What a caption names: "SeaMonkey logo", "Map of the region", "A screenshot of ...".
_CAPTION_NOUN = re.compile(
    r"\b(?:logo|map|photo(?:graph)?|picture|image|screenshot|screen\s?shot|diagram|chart|graph|"
    r"figure|fig\.|illustration|portrait|flag|seal|coat of arms|rendering|infographic|still|"
    r"poster|cover|view of|pictured|left|right|top|bottom|above|below)s?\b",
    re.IGNORECASE,
)
# "Portrait by George Del Barrio", "Photo courtesy of X": something made by a name.
BY_NAME = re.compile(
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
_CODE_MARKS = re.compile(r"[;{}=<>]|\w\(|^#|^//|\w_\w|\w\.\w+\(|^[\w.-]+/[\w./-]+$")
_CAMEL = re.compile(r"^[a-z]+[A-Z]\w*$|^[A-Z][a-z]+[A-Z][a-z]+[A-Z]\w*$")
_DASH_START = re.compile(r"^[–—-]\s*\S")


def end_mark(text: str) -> str:
    """The closing punctuation mark of ``text``, looking inside closing quotes."""
    stripped = text.rstrip()
    inner = stripped.rstrip(CLOSING_QUOTES + "*").rstrip()
    return inner[-1:] if inner else ""


def number_of(text: str) -> int | None:
    match = _NUMBER.match(text)
    return int(match.group(1)) if match else None


def _name_like(words: tuple[str, ...]) -> bool:
    """Two to four capitalised words and initials, as a person's name is written."""
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(w.strip(",")) for w in words)


def title_case(words: tuple[str, ...]) -> bool:
    return len(words) >= 2 and capitalised_ratio(words) >= 0.75


def line_features(
    text: str, title_like: bool | None = None, words: tuple[str, ...] | None = None
) -> dict[str, float]:
    """Features of one line on its own (``title_like``: :func:`.lines.is_title_like` of
    it, and ``words``: :func:`.lines.words_of` it, when known); only those that are not
    zero."""
    if words is None:
        words = words_of(text)
    n = len(words)
    end = end_mark(text)
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
        "title_case": float(title_case(words)),
        "capitalised": capitalised_ratio(words) if words else 0.0,
        "all_caps": float(len(letters) >= 3 and all(c.isupper() for c in letters)),
        "numbered": float(number_of(text) is not None),
        "quoted": float(is_quoted(text)),
        "bracketed": float(text[:1] in "([" and text[-1:] in ")]"),
        "credit": float(
            bool(CREDIT.match(text) or _BRACKET_LABEL.match(text) or SLASH_CREDIT.match(text))
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
        "by_name": float(bool(BY_NAME.search(text)) and n <= 10),
        "furniture_alone": float(bool(_FURNITURE_ALONE.match(text.strip(" .:!»›>")))),
        "common_section": float(bool(_COMMON_SECTION.match(text.strip(" :")))),
        "month_date": float(bool(_MONTH_DATE.search(text))),
        "code_marks": float(bool(_CODE_MARKS.search(text))),
        "camel_word": float(n == 1 and bool(_CAMEL.match(text))),
        "dash_start": float(bool(_DASH_START.match(text))),
        "comma_short": float("," in text and n <= 7),
        "colon_title": float(end == ":" and title_case(words)),
        "colon_sentence": float(end == ":" and n >= 3 and not title_case(words)),
        "label_number": float(bool(LABEL_NUMBER.match(text))),
    }
    return {name: value for name, value in f.items() if value}
