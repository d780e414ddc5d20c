"""Tests on one line of plain text: is it short, closed, a bullet, quoted, title-like?"""

from __future__ import annotations

import re
from functools import lru_cache

from newsreader.ingest.dates import is_date_line
from newsreader.ingest.trailers import TRAILER_LINE, TRAILER_START

MAX_HEADING_WORDS = 14
# Lines of more words are prose, not list items (a Title Case heading may be longer).
MAX_ITEM_WORDS = 12
# Longer headings than this must be in Title Case (or be a question).
MAX_PLAIN_HEADING_WORDS = 8
MAX_HEADING_CHARS = 100

QUOTES = "\"'“”‘’«»„‚‹›"
OPENING_QUOTES = "\"'“‘«„‚‹"
CLOSING_QUOTES = "\"'”’»›"
# Closing punctuation that ends a sentence or a clause; "?" is allowed in headings.
CLOSING_PUNCTUATION = ".,;:!…"
BULLET = re.compile(r"^[•◦▪▫‣⁃●○■□➢➤►▶→✓✔*+-]\s+")
NUMBERED = re.compile(r"^(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]\s+(?=\S)")
SENTENCE_BREAK = re.compile(r"[.!?…]\s+[A-Z“\"‘']")
# Marks that open a footnote or a reference rather than a title.
_NOTE_MARKS = frozenset("^†‡")
_DASH_LED = re.compile(r"^[–—―]\s*\S")
# A label word and a number closed by a period: "Algorithm 2. ", "Part IV. " (not a
# single capital, which is more often a middle name's initial: "Sergej P. Koroljow").
_LABEL_PERIOD = re.compile(r"^[A-Z][\w-]{1,15}\s+(?:\d{1,3}|[IVX]{2,4})\.\s+")
# Words a title does not end with: they continue a sentence broken over two lines.
CONTINUATION_WORDS = frozenset(
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
SMALL_WORDS = frozenset(
    re.findall(
        r"\S+",
        """a an the and or but nor of to for with from by as at in on into onto than that via
        per vs is are be if so up off out over is de la le les des du et en au aux un une""",
    )
)
# Lines of program text, judged from their start (see is_code_line for the others).
_CODE_START = re.compile(
    r"""
    \s*(?://|/\*|\*/|[})\]]|<\?|\#!|\#include\b|@\w+\()
    | \s*(?:var|let|const|function|def|class|import|return|if|for|while|elif|else|try|except
           |catch|public|private|static|void|int|fn|func|package)\b[^.!?]*[=({:;]
    | \s*\$\s\S                                   # shell prompt
    | \s*(?:SELECT|FROM|WHERE|GROUP\ BY|ORDER\ BY|HAVING|LIMIT|JOIN|UNION|INSERT\ INTO
           |UPDATE|DELETE\ FROM|CREATE\ TABLE)(?:$|\s+[^A-Z\s])   # an SQL clause
    | \s*[\w.\[\]"']+\s*(?:\+|-|\*)?=\s*\S.*[;)\]}"']\s*$   # assignment
    | [\s─━═┄┈┼╋╬┬┴├┤+|-]*[─━═┄┈┼╋╬][\s─━═┄┈┼╋╬┬┴├┤+|-]*$   # a rule of a drawn table
    """,
    re.VERBOSE,
)
# ";", "{" or "}" followed by a line comment to the end of the line.
_CODE_COMMENT_END = re.compile(r"[;{}]\s*//.*$")
# A column of a drawn table.
_TABLE_COLUMN = re.compile(r"[│┃║┆┊]")


def is_code_line(line: str) -> bool:
    """Whether ``line`` looks like program text, a drawn table or an SQL clause."""
    if line.rstrip()[-1:] in (";", "{", "}"):
        return True  # ends with ; { }
    if "//" in line and _CODE_COMMENT_END.search(line):
        return True
    if not line.isascii() and _TABLE_COLUMN.search(line):
        return True
    return _CODE_START.match(line) is not None


# The header of a reader's comment: "Jane Doe wrote on December 24, 2020 at 3:53 am:".
COMMENT_HEADER = re.compile(
    r"^[^.!?:\d]{2,60}\s(?:wrote|says|said|commented|replied)\s+(?:on|at)\s"
    r"(?=[^:]*\d)[^!?]{4,60}:$",
    re.IGNORECASE,
)
INDENTED = re.compile(r"^(?:\t| {2,})\S")
BYLINE = re.compile(
    r"^(?:by|par|posted by|written by|edited by|photo(?:graph)?s? by|(?:page |copy )?editors?:)\s",
    re.IGNORECASE,
)
# Image captions' credits and page furniture, which stand alone like headings:
# "Photograph: Agency", "Illustration by Name", "Image credit: ...", "(Artist: Name)",
# "Benoit Tessier/Reuters", "View PDF/Print Mode", "Gallery: ... | 14 photos", and the
# second line of a byline ("Contributing correspondent", "Staff writer").
_CREDIT = re.compile(
    r"""^(?:
        (?:photo(?:graph)?s?|images?|illustrations?|pictures?|credits?|artwork|video)
          (?:\ credits?)?\s*(?::|\ by\ (?-i:[A-Z])|\ courtesy\b).*
      | \(\s*[\w ]{2,24}:\s*[^()]{2,60}\)
      | [A-Z][\w.'’-]*(?:\ [A-Z][\w.'’-]*){1,3}/[A-Z][\w&.'’-]*(?:\ [A-Z][\w&.'’-]*){0,3}
      | (?:gallery|slideshow)\b.*
      | .*\|\s*\d+\s+(?:photos|images|pictures|slides)
      | (?:\w+\ )?(?:correspondent|staff\ writer|reporter|columnist|contributor)s?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Page furniture inside the text: a comment count ("Comments (5 posted)", "12 comments"),
# or a link to other articles ("Related Posts: Sea Otter 2017 Roundup").
FURNITURE = re.compile(
    r"^(?:comments?\s*\(\d+(?:\s+\w+)?\)|\d+\s+(?:comments?|replies|responses))$"
    r"|^(?:related|relevant|recommended|similar|more)\s+(?:posts?|articles?|stories|reading)"
    r"\s*:\s+\S",
    re.IGNORECASE,
)
# A date line (:func:`newsreader.ingest.dates.is_date_line`) has a year.
_YEAR = re.compile(r"\d{4}")
# A path or an address alone ("/Users/me/src", "rsc.io/quote", ".../v1.0.0.zip"), or a
# markup tag ("<!-- Load when visible -->", "</IfModule>"): program text, not a title.
_PATH_OR_MARKUP = re.compile(r"^(?:[/.~]\S*/\S*|[^\s/]*\.[^\s/]*/\S*|<[!/?a-zA-Z].*>)$")
# A label and a file's name, a path or an address ("Filename: src/main.rs", "Source:
# https://..."): a reference to what follows, not a title.
_LABELLED_FILE = re.compile(
    r"^[^:]{1,20}:\s+(?:\S*/\S*|[\w.-]+\.(?:rs|py|js|ts|go|c|h|cc|cpp|java|rb|php|sh|toml|json|"
    r"ya?ml|md|txt|html?|css|xml|ini|cfg|conf|lock))$"
)
_FURNITURE_WORD = re.compile(
    r"^(?:image|photo|advertisement|ad|sponsored(?: content)?|promoted|reblog|pin it|tweet|"
    r"share|reply|email|print|learn more|read more|see more|continue reading|back to top)$",
    re.IGNORECASE,
)
# What an embedded post or a profile card shows beside its text: a handle ("Follow
# @name", "@name") or when it was posted ("45 minutes ago via Twitter for iPhone").
SOCIAL = re.compile(
    r"(?:^|\s)@\w{2,}|^\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b",
    re.IGNORECASE,
)
HAS_URL = re.compile(r"\bhttps?://", re.IGNORECASE)
URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


_WORD = re.compile(r"[^\s]*[^\W_][^\s]*")
_CLAUSES = re.compile(r"\w;\s+\w")


@lru_cache(maxsize=4096)
def words_of(line: str) -> tuple[str, ...]:
    """The words of ``line``, without stray punctuation tokens (dashes, "=", "&")."""
    return tuple(_WORD.findall(line))


def strip_closing_quotes(line: str) -> str:
    return line.rstrip(CLOSING_QUOTES + ")]»*").rstrip()


def ends_closed(line: str) -> bool:
    """Whether ``line`` ends with closing punctuation (maybe inside quotes or brackets)."""
    stripped = line.rstrip()
    if stripped and stripped[-1] in CLOSING_PUNCTUATION:
        return True
    inner = strip_closing_quotes(stripped)
    return inner != stripped and bool(inner) and inner[-1] in CLOSING_PUNCTUATION + "?"


_BULLETS = "•◦▪▫‣⁃●○■□➢➤►▶→✓✔*+-"


def is_bullet(line: str) -> bool:
    # The first character is looked at first: most lines are not bulleted.
    return line[:1] in _BULLETS and bool(BULLET.match(line))


def is_numbered(line: str) -> bool:
    # A numbered line has "." or ")" within its first five characters.
    head = line[1:5]
    return ("." in head or ")" in head) and bool(NUMBERED.match(line))


def is_quoted(line: str) -> bool:
    """A quotation: starts with a quote whose closing quote ends the line (or never comes)."""
    if not line or line[0] not in OPENING_QUOTES:
        return False
    rest = line[1:]
    closing = [i for i, c in enumerate(rest) if c in CLOSING_QUOTES]
    if not closing:
        return True
    # 'A-ha' moment: the quote closes early and the line goes on, so it is not a quotation.
    return closing[-1] >= len(rest.rstrip(CLOSING_PUNCTUATION + " ")) - 1


def is_short(line: str, max_words: int = MAX_HEADING_WORDS) -> bool:
    return len(line) <= MAX_HEADING_CHARS and len(words_of(line)) <= max_words


@lru_cache(maxsize=4096)
def capitalised_ratio(words: tuple[str, ...]) -> float:
    """The share of words starting with a capital or digit, small words ("of", "the") aside."""
    counted = [w for w in words if w.lower().strip(QUOTES + "()[],:") not in SMALL_WORDS]
    if not counted:
        return 0.0
    upper = sum(1 for w in counted if capitalised(w))
    return upper / len(counted)


def capitalised(word: str) -> bool:
    first = word.lstrip(QUOTES + "([")[:1]
    return first.isupper() or first.isdigit()


def is_title_like(line: str) -> bool:
    """Whether ``line`` could be a heading or title, judged on the line alone."""
    if is_comment_header(line):
        return True
    if not line or not is_short(line) or (ends_closed(line) and not _teaser(line)):
        return False
    return _title_like_short(line)


def _teaser(line: str) -> bool:
    """Whether ``line`` ends with an ellipsis that closes no sentence: a heading that
    leads on into its section ("Finally...", "Seven event types at one go…")."""
    if line.endswith("…"):
        rest = line[:-1]
    elif line.endswith("...") and not line.endswith("...."):
        rest = line[:-3]
    else:
        return False
    rest = rest.rstrip()
    return bool(rest) and not ends_closed(rest) and len(words_of(rest)) >= 2


def is_comment_header(line: str) -> bool:
    """Whether ``line`` is the header of a reader's comment (:data:`COMMENT_HEADER`)."""
    # The pattern ends with ":" and is tried only on lines that do (it backtracks on others).
    return line[-2:].rstrip("\n")[-1:] == ":" and COMMENT_HEADER.match(line) is not None


def _title_like_short(line: str) -> bool:
    """:func:`is_title_like` for a short line without closing punctuation that is not a
    comment's header."""
    if is_bullet(line) or is_quoted(line) or INDENTED.match(line):
        return False
    words = words_of(line)
    if not words:
        return False
    first = line.lstrip(QUOTES + "(")[:1]
    if first.isalpha() and first.islower() and not _mixed_case_word(words[0]):
        return False
    # A note's back-reference ("^ Persona, Mozilla", "† Died in office"), or a line led by
    # a dash: a list item ("– Apnea") or a quotation's author ("— Bobbie & Ray").
    if first in _NOTE_MARKS or _DASH_LED.match(line):
        return False
    if last_word(line) in CONTINUATION_WORDS:
        return False
    if not (first.isalpha() or any(c.isalpha() for c in line)):
        return False
    # An editor's note or placeholder ("[figure 3: ...]"), or a line carrying a link.
    if (line[0] == "[" and line[-1] == "]") or ("://" in line and HAS_URL.search(line)):
        return False
    if SENTENCE_BREAK.search(_unlabelled(line)) and not line.endswith("?"):
        return False
    if line.count(",") >= 2 and not line.endswith("?"):
        return False
    # Two clauses joined by a semicolon ("Latency shot up; what else happened?"): a sentence.
    if ";" in line and _CLAUSES.search(line):
        return False
    if (
        len(words) > MAX_PLAIN_HEADING_WORDS
        and not line.endswith("?")
        and capitalised_ratio(words) < 0.7
    ):
        return False
    if TRAILER_LINE.match(line) or TRAILER_START.match(line):
        return False
    if is_code_line(line) or "\t" in line or is_credit(line) or is_furniture_word(line):
        return False
    if _PATH_OR_MARKUP.match(line) or ("@" in line and SOCIAL.search(line)):
        return False
    if ":" in line and _LABELLED_FILE.match(line):
        return False
    if line[:1].isdigit() and SOCIAL.match(line):
        return False
    return not (
        is_furniture(line)
        or URL_ONLY.match(line)
        or (_YEAR.search(line) is not None and is_date_line(line))
    )


def _unlabelled(line: str) -> str:
    """``line`` without a leading label and number closed by a period ("Algorithm 2. "),
    whose period ends no sentence."""
    match = _LABEL_PERIOD.match(line)
    return line[match.end() :] if match else line


def is_furniture(line: str) -> bool:
    """A byline or a comment count: page furniture, neither heading nor list item."""
    return bool(BYLINE.match(line) or FURNITURE.match(line))


def is_furniture_word(line: str) -> bool:
    """A word of page furniture standing alone where a picture, an advertisement or a
    sharing button was ("Image", "Advertisement", "Reblog"): never a heading."""
    return len(line) <= 24 and bool(_FURNITURE_WORD.match(line.strip(" .:!»›>")))


def is_credit(line: str) -> bool:
    """An image credit, a caption label or a byline's second line: never a heading."""
    return bool(_CREDIT.match(line))


def last_word(line: str) -> str:
    words = words_of(line)
    return words[-1].strip(QUOTES + "()[],").lower() if words else ""


def _mixed_case_word(word: str) -> bool:
    """ "iPhone", "eBay", "macOS": lower-case start but a capital inside."""
    return any(c.isupper() for c in word[1:])


def starts_lower(line: str) -> bool:
    stripped = line.lstrip(QUOTES + "(")
    return bool(stripped) and stripped[0].isalpha() and stripped[0].islower()
