"""Reading dates written in documents: ISO 8601 and e-mail (RFC 2822) styles."""

from __future__ import annotations

import re
from datetime import UTC, datetime

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
