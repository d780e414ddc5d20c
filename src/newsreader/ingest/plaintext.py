"""Plain text → Markdown, with section headings, lists and code blocks detected.

Plain text comes in two shapes: saved text, with a blank line between paragraphs, and text
pasted from a browser, with one newline between paragraphs. Both are handled by the same
rules, which look at one line and its neighbours:

* a *heading* is a short, title-like line (at most 12 words and 100 characters, no closing
  punctuation other than "?", not starting with a bullet or a quote, not ending with a word
  such as "the" or "and" that would continue a sentence) that stands alone between
  paragraphs. A line that follows a paragraph ending with ":" is what that paragraph
  introduces (a caption, an example), and a line followed by one starting in lower case is a
  broken sentence; neither is a heading;
* a run of consecutive short lines is a list. Its first line may still be a heading when it
  looks unlike the items ("heading then list"), and so may its last line when a paragraph
  follows ("list then heading");
* lines starting with a bullet ("•", "-", "*", "1.", "a)") are list items, except that a lone
  numbered line between paragraphs ("1. Introduction") is a numbered heading;
* indented or code-like runs of lines (including drawn tables and SQL clauses, with a
  keyword line such as "SELECT" opening an indented clause), and tab-separated rows, are
  kept as they are in a fenced block;
* the title is a title-like first line followed by a blank line: pasted text, which has no
  blank lines, has no title, and its first line may be a heading;
* lines ending with "!" are not headings (captions and exclamations are more common than
  exclamatory headings), nor are lines ending with ":", except a reader's comment header
  ("Jane Doe wrote on December 24, 2020 at 3:53 am:"); nor are lines without a letter,
  lines carrying a URL, bracketed notes ("[figure 3]"), bylines and comment counts;
* a table of contents (a run of short lines most of which come back later as lines of
  their own, maybe with a "¶" permalink mark) is a list, its label ("Contents") is not a
  heading, and the lines it lists are headings wherever they stand. When the listed
  headings are nearly all in Title Case, other sentence-case headings are dropped as
  captions;

Page furniture after the article ("Leave a Reply", "Share this", "Related posts"...) is
dropped from the first such line to the end (see :func:`strip_trailer`). Everything else is
escaped so that it shows literally when rendered as Markdown.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum, auto
from functools import lru_cache

from newsreader.ingest.sanitize import clean_text


@dataclass(frozen=True, slots=True)
class TextDocument:
    """A plain-text article converted to Markdown.

    Attributes:
        title: A title-like first line standing alone at the top of the text, else ``None``.
        markdown: The body as Markdown: blocks separated by blank lines, headings as
            ``## Heading``, lists as ``- item``, preformatted text fenced.
        headings: The detected section headings in order (not including the title).
        published: A date stated near the top of the text, timezone-aware UTC, else ``None``.
    """

    title: str | None
    markdown: str
    headings: list[str]
    published: datetime | None


# --------------------------------------------------------------------------- line features

MAX_HEADING_WORDS = 14
# Lines of more words are prose, not list items (a Title Case heading may be longer).
MAX_ITEM_WORDS = 12
# Longer headings than this must be in Title Case (or be a question).
MAX_PLAIN_HEADING_WORDS = 8
MAX_HEADING_CHARS = 100

_QUOTES = "\"'“”‘’«»„‚‹›"
_OPENING_QUOTES = "\"'“‘«„‚‹"
_CLOSING_QUOTES = "\"'”’»›"
# Closing punctuation that ends a sentence or a clause; "?" is allowed in headings.
_CLOSING_PUNCTUATION = ".,;:!…"
_BULLET = re.compile(r"^[•◦▪▫‣⁃●○■□➢➤►▶→✓✔*+-]\s+")
_NUMBERED = re.compile(r"^(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]\s+(?=\S)")
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+[A-Z“\"‘']")
# Words a title does not end with: they continue a sentence broken over two lines.
_CONTINUATION_WORDS = frozenset(
    re.findall(
        r"\S+",
        """a an the and or but nor of to for with from by as at in on into onto than that which
    who whose whom is are was were be been being has have had do does did will would can could
    should may might must shall such via per its their our your my his her when while whereas
    whether because although though unless le la les de des du et ou un une au aux en par pour
    sur avec dans que qui""",
    )
)
# Words that stay in lower case in a Title Case heading.
_SMALL_WORDS = frozenset(
    re.findall(
        r"\S+",
        """a an the and or but nor of to for with from by as at in on into onto than that via
        per vs is are be if so up off out over is de la le les des du et en au aux un une""",
    )
)
_CODE_LINE = re.compile(
    r"""
    [;{}]\s*(?://.*)?$                            # ends with ; { } (maybe with a comment)
    | ^\s*(?://|/\*|\*/|[})\]]|<\?|\#!|\#include\b|@\w+\()
    | ^\s*(?:var|let|const|function|def|class|import|return|if|for|while|elif|else|try|except
           |catch|public|private|static|void|int|fn|func|package)\b[^.!?]*[=({:;]
    | ^\s*\$\s\S                                   # shell prompt
    | ^\s*(?:SELECT|FROM|WHERE|GROUP\ BY|ORDER\ BY|HAVING|LIMIT|JOIN|UNION|INSERT\ INTO
           |UPDATE|DELETE\ FROM|CREATE\ TABLE)(?:$|\s+[^A-Z\s])   # an SQL clause
    | ^\s*[\w.\[\]"']+\s*(?:\+|-|\*)?=\s*\S.*[;)\]}"']\s*$   # assignment
    | [│┃║┆┊]                                     # a column of a drawn table
    | ^[\s─━═┄┈┼╋╬┬┴├┤+|-]*[─━═┄┈┼╋╬][\s─━═┄┈┼╋╬┬┴├┤+|-]*$   # a rule of a drawn table
    """,
    re.VERBOSE,
)
# The header of a reader's comment: "Jane Doe wrote on December 24, 2020 at 3:53 am:".
_COMMENT_HEADER = re.compile(
    r"^[^.!?:\d]{2,60}\s(?:wrote|says|said|commented|replied)\s+(?:on|at)\s"
    r"(?=[^:]*\d)[^!?]{4,60}:$",
    re.IGNORECASE,
)
_INDENTED = re.compile(r"^(?:\t| {2,})\S")
_BYLINE = re.compile(
    r"^(?:by|par|posted by|written by|edited by|photo(?:graph)?s? by|(?:page |copy )?editors?:)\s",
    re.IGNORECASE,
)
# Page furniture inside the text: a comment count ("Comments (5 posted)", "12 comments").
_FURNITURE = re.compile(
    r"^(?:comments?\s*\(\d+(?:\s+\w+)?\)|\d+\s+(?:comments?|replies|responses))$", re.IGNORECASE
)
_HAS_URL = re.compile(r"\bhttps?://", re.IGNORECASE)
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


_WORD = re.compile(r"[^\s]*[^\W_][^\s]*")


@lru_cache(maxsize=4096)
def _words(line: str) -> tuple[str, ...]:
    """The words of ``line``, without stray punctuation tokens (dashes, "=", "&")."""
    return tuple(_WORD.findall(line))


def _strip_closing_quotes(line: str) -> str:
    return line.rstrip(_CLOSING_QUOTES + ")]»*").rstrip()


def _ends_closed(line: str) -> bool:
    """Whether ``line`` ends with closing punctuation (maybe inside quotes or brackets)."""
    stripped = line.rstrip()
    if stripped and stripped[-1] in _CLOSING_PUNCTUATION:
        return True
    inner = _strip_closing_quotes(stripped)
    return inner != stripped and bool(inner) and inner[-1] in _CLOSING_PUNCTUATION + "?"


def _is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def _is_numbered(line: str) -> bool:
    return bool(_NUMBERED.match(line))


def _is_quoted(line: str) -> bool:
    """A quotation: starts with a quote whose closing quote ends the line (or never comes)."""
    if not line or line[0] not in _OPENING_QUOTES:
        return False
    rest = line[1:]
    closing = [i for i, c in enumerate(rest) if c in _CLOSING_QUOTES]
    if not closing:
        return True
    # 'A-ha' moment: the quote closes early and the line goes on, so it is not a quotation.
    return closing[-1] >= len(rest.rstrip(_CLOSING_PUNCTUATION + " ")) - 1


def _is_short(line: str, max_words: int = MAX_HEADING_WORDS) -> bool:
    return len(line) <= MAX_HEADING_CHARS and len(_words(line)) <= max_words


def _capitalised_ratio(words: tuple[str, ...]) -> float:
    """The share of words starting with a capital or digit, small words ("of", "the") aside."""
    counted = [w for w in words if w.lower().strip(_QUOTES + "()[],:") not in _SMALL_WORDS]
    if not counted:
        return 0.0
    upper = sum(1 for w in counted if _capitalised(w))
    return upper / len(counted)


def _capitalised(word: str) -> bool:
    first = word.lstrip(_QUOTES + "([")[:1]
    return first.isupper() or first.isdigit()


def _title_like(line: str) -> bool:
    """Whether ``line`` could be a heading or title, judged on the line alone."""
    if _COMMENT_HEADER.match(line):
        return True
    if not line or not _is_short(line) or _ends_closed(line):
        return False
    if _is_bullet(line) or _is_quoted(line) or _INDENTED.match(line):
        return False
    words = _words(line)
    if not words:
        return False
    first = line.lstrip(_QUOTES + "(")[:1]
    if first.isalpha() and first.islower() and not _mixed_case_word(words[0]):
        return False
    if _last_word(line) in _CONTINUATION_WORDS:
        return False
    if not any(c.isalpha() for c in line):
        return False
    # An editor's note or placeholder ("[figure 3: ...]"), or a line carrying a link.
    if (line[0] == "[" and line[-1] == "]") or _HAS_URL.search(line):
        return False
    if _SENTENCE_BREAK.search(line) and not line.endswith("?"):
        return False
    if line.count(",") >= 2 and not line.endswith("?"):
        return False
    if (
        len(words) > MAX_PLAIN_HEADING_WORDS
        and not line.endswith("?")
        and _capitalised_ratio(words) < 0.7
    ):
        return False
    if _TRAILER_LINE.match(line) or _TRAILER_START.match(line):
        return False
    if _CODE_LINE.search(line) or "\t" in line:
        return False
    return not (_not_prose(line) or _URL_ONLY.match(line) or _is_date_line(line))


def _not_prose(line: str) -> bool:
    """A byline or a comment count: page furniture, neither heading nor list item."""
    return bool(_BYLINE.match(line) or _FURNITURE.match(line))


def _last_word(line: str) -> str:
    words = _words(line)
    return words[-1].strip(_QUOTES + "()[],").lower() if words else ""


def _mixed_case_word(word: str) -> bool:
    """ "iPhone", "eBay", "macOS": lower-case start but a capital inside."""
    return any(c.isupper() for c in word[1:])


def _starts_lower(line: str) -> bool:
    stripped = line.lstrip(_QUOTES + "(")
    return bool(stripped) and stripped[0].isalpha() and stripped[0].islower()


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO_DATE = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?\b"
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})\b", re.I
)
_DATE_LINE = re.compile(
    rf"^(?:(?:published|updated|posted|date|publié|mis à jour)(?:\s+on|\s+le)?\s*:?\s*)?"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*\.?,?\s+|(?:lun|mar|mer|jeu|ven|sam|dim)\w*\.?\s+)?"
    rf"(?:\d{{4}}-\d{{2}}-\d{{2}}\S*|(?:{_MONTH})\.?\s+\d{{1,2}}\w*,?\s+\d{{4}}"
    rf"|\d{{1,2}}\w*\.?\s+(?:{_MONTH})\.?,?\s+\d{{4}})"
    rf"(?:,?\s+(?:at|à)?\s*\d{{1,2}}[:h]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+\w{{2,5}})?)?$",
    re.I,
)
# How far down the text a publication date is looked for.
_DATE_SEARCH_LINES = 8


def _is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line.strip()))


def _make_date(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _parse_date(line: str) -> datetime | None:
    """The first date in ``line``, as UTC, or ``None``."""
    iso = _ISO_DATE.search(line)
    if iso:
        year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
        try:
            if iso[4] is None:
                return datetime(year, month, day, tzinfo=UTC)
            stamp = datetime(
                year, month, day, int(iso[4]), int(iso[5]), int(iso[6] or 0), tzinfo=UTC
            )
        except ValueError:
            return None
        zone = iso[7]
        if zone and zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            offset = sign * (int(digits[:2]) * 60 + int(digits[2:]))
            stamp -= timedelta(minutes=offset)
        return stamp
    mdy = _MONTH_DAY_YEAR.search(line)
    if mdy:
        return _make_date(int(mdy[3]), _MONTHS[mdy[1].lower()], int(mdy[2]))
    dmy = _DAY_MONTH_YEAR.search(line)
    if dmy:
        return _make_date(int(dmy[3]), _MONTHS[dmy[2].lower()], int(dmy[1]))
    return None


def _find_published(lines: list[str]) -> datetime | None:
    """A date stated in the first few non-blank lines: a date line, or "Published: ..."."""
    seen = 0
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > _DATE_SEARCH_LINES:
            break
        short = len(stripped) <= 200
        labelled = re.match(r"(?:published|updated|posted|date|publié|le)\b", stripped, re.I)
        if short and (labelled or _is_date_line(stripped) or len(_words(stripped)) <= 12):
            found = _parse_date(stripped)
            if found is not None:
                return found
    return None


# --------------------------------------------------------------------------- trailers

# A line that starts the trailer wherever it appears in the last two thirds of the text.
_TRAILER_START = re.compile(
    r"""^(?:
        leave\ a\ (?:reply|comment)
      | share\ this(?:\ (?:article|story|post|page|entry))?
      | share\ (?:this\ )?on\ \w+
      | related\ (?:posts?|articles?|stories|coverage|content|reading|links)
      | you\ (?:might|may)\ also\ like | more\ from\ \w+ | read\ more | recommended\ for\ you
      | you\ must\ be\ logged\ in\ to\ post\ a\ comment
      | (?:sign\ up|subscribe)\b.{0,60}\bnewsletters?\b.*
      | .{0,40}\bnewsletters?\b.{0,40}\b(?:sign\ up|subscribe)\b.*
      | get\ (?:our|the)\ .{0,40}newsletter.*
      | [\d.,]+\s*k?\s+shares?\b.*
      | (?:laisser|laissez)\ un\ commentaire | partager\ (?:cet\ article|sur\ \w+)
      | (?:à\ lire\ aussi|sur\ le\ même\ sujet|articles?\ similaires)
    )[\s:.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Lines that belong to a trailer only at the very end: walked back over from the end.
_TRAILER_LINE = re.compile(
    r"""^(?:
        (?:posted|published|written)\ by\b.{0,80}
      | (?:\d+|no|one|two|three)\ comments?:?
      | (?:post\ a|add\ a|view|show|load\ more)\ comments?
      | comments?(?:\ \(\d+\))?:? | reply | cancel\ reply | report | like | tweet | share
      | email | print | permalink | (?:older|newer)\ posts?(?:\ home)? | home
      | (?:labels|tags|filed\ under|categories|category|posted\ in)\s*:.{0,200}
      | email\ this.{0,200} | share\ (?:to|on)\ .{0,200}
      | (?:name|email|e-mail|website|comment|message)\s*\*?
      | your\ email\ address\ will\ not\ be\ published.{0,100}
      | required\ fields\ are\ marked.{0,20}
      | save\ my\ name.{0,200}
      | notify\ me\ of\ .{0,200}
      | (?:\w+\ ){0,3}(?:share|tweet|pin|email)(?:\s*/\s*\w+){1,6}
      | loading\.*
    )[\s:.!*]*$""",
    re.IGNORECASE | re.VERBOSE,
)


def strip_trailer(lines: list[str]) -> list[str]:
    """``lines`` without the page furniture that trails an article.

    The trailer starts at the first unmistakable marker ("Leave a Reply", "Share this",
    "Related posts", a newsletter sign-up, "2192 Shares / Share / Tweet"...) found after the
    first third of the text, and takes in the lines before it, and before the end, that
    belong to such furniture ("Posted by ...", "2 comments", "Post a comment", "Reply",
    comment-form fields). Everything from the start of the trailer to the end is dropped.
    """
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return []
    end = len(lines)
    earliest = nonblank[len(nonblank) // 3] if len(nonblank) >= 3 else nonblank[-1]
    for index in nonblank:
        if index >= earliest and _TRAILER_START.match(lines[index].strip()):
            end = index
            break
    # Walk back over furniture lines just before the cut (or the end of the text).
    start = end
    for index in reversed(nonblank):
        if index >= end:
            continue
        if index < earliest or not _TRAILER_LINE.match(lines[index].strip()):
            break
        start = index
    while start > 0 and not lines[start - 1].strip():
        start -= 1
    return lines[:start]


# --------------------------------------------------------------------------- structure


class _Kind(Enum):
    PARAGRAPH = auto()
    HEADING = auto()
    ITEM = auto()
    CODE = auto()


@dataclass(slots=True)
class _Unit:
    """A line of the body (or, for code, a block of lines) and what it was found to be."""

    text: str
    kind: _Kind
    blank_before: bool
    blank_after: bool
    short: bool = False  # a short line without closing punctuation: heading or list item
    title_like: bool = False
    lines: tuple[str, ...] = ()


def _is_code_like(line: str) -> bool:
    return bool(_INDENTED.match(line) or _CODE_LINE.search(line))


# A keyword line opening an indented clause of code ("SELECT", "GROUP BY", "BEGIN").
_CODE_KEYWORD = re.compile(r"[A-Z][A-Z_]+(?: [A-Z][A-Z_]+){0,2}")


def _code_lead(lines: list[str], i: int) -> bool:
    """Whether ``lines[i]`` is a keyword line directly followed by an indented code line."""
    return (
        i + 1 < len(lines)
        and bool(_CODE_KEYWORD.fullmatch(lines[i].strip()))
        and bool(_INDENTED.match(lines[i + 1]))
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
                if j + 1 < n and _is_code_like(lines[j + 1]) and _INDENTED.match(lines[j + 1]):
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
                and len(_words(line)) <= 8
                and re.search(r"[(){}\[\]=;\"']", line)
            ) or _code_lead(lines, j):
                j += 1
                continue
            break
        end = last_code + 1
        block = lines[i:end]
        code = [line for line in block if line.strip()]
        indented = sum(1 for line in code if _INDENTED.match(line))
        tabbed = sum(1 for line in code if "\t" in line.strip())
        codeish = sum(1 for line in code if _CODE_LINE.search(line))
        if len(code) >= 2 and (indented or codeish >= 2 or tabbed == len(code)):
            # A keyword line just before the block opens it ("SELECT" above its columns).
            if i > 0 and (not spans or spans[-1][1] < i) and _code_lead(lines, i - 1):
                i -= 1
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans


def _units(lines: list[str]) -> list[_Unit]:
    """The body's lines as units, with code spans folded into one unit each."""
    spans = _find_code(lines)
    units: list[_Unit] = []
    span_index = 0
    i = 0
    n = len(lines)
    while i < n:
        if span_index < len(spans) and spans[span_index][0] == i:
            start, end = spans[span_index]
            span_index += 1
            block = tuple(lines[start:end])
            units.append(
                _Unit(
                    "\n".join(block),
                    _Kind.CODE,
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
                _Unit(
                    text,
                    _Kind.PARAGRAPH,
                    blank_before=i == 0 or not lines[i - 1].strip(),
                    blank_after=i + 1 >= n or not lines[i + 1].strip(),
                )
            )
        i += 1
    return units


# Hard-wrapped prose: lines of at most this many characters, most of them nearly full.
_WRAP_WIDTH = 100
_WRAP_FILL = 0.7


def _join_broken_lines(units: list[_Unit]) -> list[_Unit]:
    """Join lines that break a sentence, or a hard-wrapped paragraph, into one paragraph.

    Only lines that follow each other without a blank line are joined: a line without
    closing punctuation followed by one starting in lower case ("...passed to the" /
    "constructor, so you may..."), and runs of lines wrapped at a fixed width, where the
    lines are nearly full and the next often starts in lower case.
    """
    joined: list[_Unit] = []
    run: list[_Unit] = []

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
        if unit.kind is _Kind.PARAGRAPH and not _is_bullet(unit.text):
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
    lower = sum(1 for line in lines[1:] if _starts_lower(line))
    return full >= 0.8 * (len(lines) - 1) and lower * 2 >= len(lines) - 1


def _append_joining(joined: list[_Unit], unit: _Unit) -> None:
    previous = joined[-1] if joined else None
    if (
        previous is not None
        and previous.kind is _Kind.PARAGRAPH
        and not previous.blank_after
        and 40 <= len(previous.text) <= _WRAP_WIDTH
        and not _ends_closed(previous.text)
        and not previous.text.endswith("?")
        and (_starts_lower(unit.text) or _last_word(previous.text) in _CONTINUATION_WORDS)
    ):
        previous.text = f"{previous.text} {unit.text}"
        previous.blank_after = unit.blank_after
        return
    joined.append(unit)


# Share of lines followed by a blank line above which paragraphs are taken to be separated
# by blank lines (saved text) rather than by single newlines (text pasted from a browser).
_BLANK_SEPARATED = 0.3


def _classify(units: list[_Unit]) -> None:
    """Mark each unit as paragraph, heading, list item or code (in place)."""
    for unit in units:
        if unit.kind is _Kind.CODE:
            continue
        # Short lines are headings or list items; a line that holds the end of a sentence
        # is a piece of prose, as is page furniture ("Reply").
        unit.short = (
            _is_short(unit.text, MAX_ITEM_WORDS)
            and not _ends_closed(unit.text)
            and not (_SENTENCE_BREAK.search(unit.text) and not unit.text.endswith("?"))
            and not _TRAILER_LINE.match(unit.text)
            and not _not_prose(unit.text)
        )
        unit.title_like = _title_like(unit.text)
        unit.short = unit.short or unit.title_like
        if _is_bullet(unit.text):
            unit.kind = _Kind.ITEM
    gaps = sum(1 for u in units[:-1] if u.blank_after)
    blank_separated = gaps > 0 and gaps >= _BLANK_SEPARATED * (len(units) - 1)
    _classify_numbered(units)
    # Openings shared by several short lines: a template ("Learn more about ..."), not titles.
    openings = Counter(_prefix(u.text) for u in units if u.short)
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
    _classify_contents(units)


# Permalink marks that documentation pages put after a heading ("Setting up¶").
_ANCHOR_MARKS = "¶§#🔗 "
# A table of contents lists at least this many of the headings that follow it.
_MIN_CONTENTS = 3


def _anchorless(text: str) -> str:
    return text.rstrip(_ANCHOR_MARKS).casefold()


def _classify_contents(units: list[_Unit]) -> None:
    """Find a table of contents and make the lines it lists into headings (in place).

    A table of contents is a run of short lines, most of which come back later as lines of
    their own: those later lines are the headings, the run is a list, and a short line just
    before the run ("Contents") is its label rather than a section heading.
    """
    n = len(units)
    later: dict[str, list[int]] = {}
    for index, unit in enumerate(units):
        if unit.kind is not _Kind.CODE and unit.short:
            later.setdefault(_anchorless(unit.text), []).append(index)
    contents: set[int] = set()
    i = 0
    while i < n:
        if not (units[i].short and units[i].kind in (_Kind.PARAGRAPH, _Kind.HEADING, _Kind.ITEM)):
            i += 1
            continue
        # The run, up to a line that repeats its first entry (the body has begun; the first
        # line may be a label, so the second counts as well).
        opening: set[str] = set()
        j = i
        while j < n and units[j].short and units[j].kind is not _Kind.CODE:
            key = _anchorless(units[j].text)
            if key in opening:
                break
            if j - i < 2:
                opening.add(key)
            if units[j].blank_after and not (j == i and i + 1 < n and units[i + 1].short):
                j += 1
                break
            j += 1
        matches = {
            k: next((m for m in later.get(_anchorless(units[k].text), []) if m >= j), None)
            for k in range(i, j)
        }
        found = {k: m for k, m in matches.items() if m is not None}
        # Headings are apart from each other; lines repeated together are a repeated block.
        targets = set(found.values())
        found = {k: m for k, m in found.items() if not {m - 1, m + 1} & targets}
        if len(found) < _MIN_CONTENTS or len(found) * 2 < j - i:
            i = max(j, i + 1)
            continue
        for k in range(i, j):
            units[k].kind = _Kind.ITEM
        label = i if i not in found else i - 1
        if 0 <= label < n and units[label].kind is not _Kind.CODE and label not in found:
            units[label].kind = _Kind.PARAGRAPH
        for m in found.values():
            units[m].kind = _Kind.HEADING
            contents.add(m)
        i = j
    _consistent_style(units, contents)


# A document whose headings are nearly all in Title Case ...
_TITLE_CASE_SHARE = 0.9
# ... judged on at least this many headings of two words or more ...
_MIN_STYLED = 6


def _title_case(text: str) -> bool | None:
    """Whether ``text`` is in Title Case; ``None`` for a single word, which could be either."""
    words = _words(_NUMBERED.sub("", text, count=1))
    counted = [w for w in words if w.lower().strip(_QUOTES + "()[],:") not in _SMALL_WORDS]
    if len(counted) < 2:
        return None
    return _capitalised_ratio(words) >= 0.75


def _consistent_style(units: list[_Unit], contents: set[int]) -> None:
    """Headings of one document share one style: drop sentence-case ones among Title Case.

    The style is that of the headings a table of contents confirmed. When nearly all of them
    are in Title Case, a heading in sentence case that the contents do not list is more likely
    a caption or a line of prose. (Without a table of contents the headings found are not a
    reliable enough reference: the sentence-case ones are the first to be missed.)
    """
    styles = [_title_case(units[i].text) for i in contents]
    styled = [style for style in styles if style is not None]
    if len(styled) < _MIN_STYLED or sum(styled) < _TITLE_CASE_SHARE * len(styled):
        return
    for index, unit in enumerate(units):
        if unit.kind is _Kind.HEADING and index not in contents and _title_case(unit.text) is False:
            unit.kind = _Kind.PARAGRAPH


def _classify_numbered(units: list[_Unit]) -> None:
    """A lone numbered line between paragraphs may be a heading; numbered runs are lists."""
    n = len(units)
    for i, unit in enumerate(units):
        if unit.kind is not _Kind.PARAGRAPH or not _is_numbered(unit.text):
            continue
        neighbours = [units[k] for k in (i - 1, i + 1) if 0 <= k < n]
        in_list = any(
            _is_numbered(u.text) or u.kind is _Kind.ITEM
            for u in neighbours
            if u.kind is not _Kind.CODE
        )
        if in_list or not _title_like_numbered(unit.text):
            unit.kind = _Kind.ITEM
        else:
            unit.title_like = True
            unit.short = True


def _prefix(line: str) -> str:
    """The first three words of ``line``, in lower case ("" for shorter lines)."""
    words = line.lower().split()
    return " ".join(words[:3]) if len(words) > 3 else ""


def _title_like_numbered(line: str) -> bool:
    rest = _NUMBERED.sub("", line, count=1).strip()
    return bool(rest) and _title_like(rest)


def _candidate(unit: _Unit) -> bool:
    return unit.kind is _Kind.PARAGRAPH and unit.short


def _context_allows(units: list[_Unit], i: int) -> bool:
    """Whether the neighbours of ``units[i]`` allow it to be a heading."""
    previous = units[i - 1] if i > 0 else None
    following = units[i + 1] if i + 1 < len(units) else None
    # What a paragraph ending with ":" introduces (a caption, an example) is not a heading.
    if previous is not None and previous.kind is not _Kind.CODE and previous.text.endswith(":"):
        return False
    # A sentence broken over two lines goes on in lower case (a short Title Case line is
    # still a heading when the paragraph after it starts with a name such as "iOS").
    if following is None or following.kind is _Kind.CODE or not _starts_lower(following.text):
        return True
    words = _words(units[i].text)
    return len(words) <= 3 and _capitalised_ratio(words) >= 0.7


def _ends_sentence(unit: _Unit) -> bool:
    """Whether ``unit`` is not a paragraph, or a paragraph whose last sentence is complete."""
    return unit.kind is not _Kind.PARAGRAPH or _ends_closed(unit.text) or unit.text.endswith("?")


def _heading_allowed(units: list[_Unit], i: int) -> bool:
    unit = units[i]
    return unit.title_like and not unit.text.endswith("?") and _context_allows(units, i)


def _classify_run(
    units: list[_Unit], start: int, end: int, blank_separated: bool, repeated: set[str]
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
            unit.kind = _Kind.HEADING
        return
    rest = list(range(start, end))
    # "List then heading", in pasted text: a title-like last line before a paragraph.
    last = run[-1]
    if (
        not blank_separated
        and following is not None
        and following.kind is _Kind.PARAGRAPH
        and not following.short
        and _heading_allowed(units, end - 1)
        and (
            (
                # Two short lines after a line of prose that does not end a sentence are
                # the end of a list whose items are longer lines.
                len(run) == 2 and (start == 0 or _ends_sentence(units[start - 1]))
            )
            or (
                len(_words(last.text))
                <= max(3, _median([len(_words(u.text)) for u in run[-_NEAR_ITEMS:]]))
                and _unlike_items(last, run[-_NEAR_ITEMS - 1 : -1])
            )
        )
    ):
        last.kind = _Kind.HEADING
        rest.pop()
        # Two short lines between paragraphs: a section and its first subsection, unless
        # the first is a line repeated through the text ("Learn more about ...").
        first = run[0]
        if (
            len(run) == 2
            and start > 0
            and units[start - 1].kind is _Kind.PARAGRAPH
            and not units[start - 1].short
            and len(_words(first.text)) <= 6
            and first.title_like
            and _context_allows(units, start)
            and _prefix(first.text) not in repeated
        ):
            first.kind = _Kind.HEADING
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
        and not (previous and previous.kind is not _Kind.CODE and previous.text.endswith(":"))
        and _unlike_items(first, [units[k] for k in rest[1 : _NEAR_ITEMS + 1]])
    ):
        first.kind = _Kind.HEADING
        rest.pop(0)
    # What is left is a list, unless a single line is left.
    if len(rest) >= 2:
        for k in rest:
            units[k].kind = _Kind.ITEM


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


def _unlike_items(candidate: _Unit, items: list[_Unit]) -> bool:
    """Whether ``candidate`` reads unlike the list ``items``: shorter, or styled differently."""
    if not items:
        return True
    words = len(_words(candidate.text))
    item_words = [len(_words(u.text)) for u in items]
    if words * 2 <= _median(item_words) and words <= 6 and _median(item_words) >= 3:
        return True
    cap = _capitalised_ratio(_words(candidate.text))
    # One-word items ("BBEdit", "Acorn") say nothing about the list's style.
    item_caps = [_capitalised_ratio(_words(u.text)) for u in items if len(_words(u.text)) > 1]
    title_case = cap >= 0.75 and words >= 2
    items_title_case = sum(1 for c in item_caps if c >= 0.75) > len(item_caps) / 2
    return title_case and not items_title_case and words <= 8


# --------------------------------------------------------------------------- Markdown output

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])|&(?=#?\w+;)")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+=-]|(\d{1,9})([.)]))")


def escape_markdown(text: str) -> str:
    """``text`` with Markdown syntax escaped, so that it renders literally."""
    escaped = _INLINE_SPECIAL.sub(lambda m: "\\" + m[0], text)
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


def _render(units: list[_Unit]) -> str:
    blocks: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            blocks.append("\n".join(items))
            items.clear()

    for unit in units:
        if unit.kind is _Kind.ITEM:
            text = _BULLET.sub("", unit.text, count=1)
            items.append("- " + escape_markdown(text))
            if unit.blank_after:
                flush()
            continue
        flush()
        if unit.kind is _Kind.HEADING:
            blocks.append("## " + _escape_heading(unit.text))
        elif unit.kind is _Kind.CODE:
            blocks.append(_fence(unit.lines))
        else:
            blocks.append(escape_markdown(unit.text))
    flush()
    return "\n\n".join(blocks)


def _find_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """The title and the lines after it: a title-like first line followed by a blank line."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        text = " ".join(line.split())
        rest = lines[index + 1 :]
        standalone = bool(rest) and not rest[0].strip() and any(r.strip() for r in rest)
        titleish = (
            len(text) <= 200
            and len(_words(text)) <= 25
            and not _ends_closed(text.rstrip("!"))
            and not _is_bullet(text)
            and not _is_quoted(text)
            and not _INDENTED.match(line)
            and not _is_date_line(text)
        )
        if standalone and titleish:
            return text, rest
        return None, lines[index:]
    return None, []


def plain_text_to_document(text: str) -> TextDocument:
    """Convert a plain-text article to Markdown, detecting its title, headings and date."""
    cleaned = clean_text(text)
    lines = [line.rstrip() for line in cleaned.split("\n")]
    published = _find_published(lines)
    lines = strip_trailer(lines)
    title, body = _find_title(lines)
    units = _join_broken_lines(_units(body))
    _classify(units)
    headings = [unit.text for unit in units if unit.kind is _Kind.HEADING]
    return TextDocument(
        title=title, markdown=_render(units), headings=headings, published=published
    )
