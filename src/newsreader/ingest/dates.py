"""Every date this program reads: ISO 8601 and e-mail (RFC 2822) strings in feeds and pages,
feedparser's time tuples, and dates written in running text ("March 3, 2021", "3 mars
2021", "Published: 2021-03-03") near the top of a plain-text article."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

_WORD = re.compile(r"[^\s]*[^\W_][^\s]*")
_ISO_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def parse_datetime(value: object) -> datetime | None:
    """A timezone-aware datetime from an ISO 8601 or RFC 2822 string (UTC if no zone).

    Anything else (not a string, empty, unreadable) gives ``None``.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        match = _ISO_PREFIX.match(value)
        if match:
            try:
                parsed = datetime.fromisoformat(match.group(0))
            except ValueError:
                parsed = None
    if parsed is None:
        from email.utils import parsedate_to_datetime

        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def from_time_tuple(value: Sequence[int] | None) -> datetime | None:
    """A UTC datetime from a ``time.struct_time``-like tuple (feedparser's ``*_parsed``)."""
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in value[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


# -- dates written in running text ---------------------------------------------------------

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


def is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line.strip()))


def _make_date(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def find_date(line: str) -> datetime | None:
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


def find_published(lines: list[str]) -> datetime | None:
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
        if short and (labelled or is_date_line(stripped) or len(_WORD.findall(stripped)) <= 12):
            found = find_date(stripped)
            if found is not None:
                return found
    return None
