"""Config errors, and where in ``feeds.toml`` they are: a :class:`ConfigError` names the file,
the line and the key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NoReturn


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, line and key."""


_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")


def of_type(value: Any, expected: tuple[type, ...]) -> bool:
    """Whether a TOML value is one of ``expected`` (a bool is not taken for an int)."""
    if isinstance(value, bool) and bool not in expected:
        return False
    return isinstance(value, expected)


class Locator:
    """The text of one config file, to say on which line a bad key is."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, table: str, index: int | None, key: str | None) -> int | None:
        """The 1-based line of ``key`` in the ``index``-th ``[table]``/``[[table]]``."""
        seen = -1
        inside = table == ""
        for number, line in enumerate(self.lines, start=1):
            header = _TABLE_HEADER.match(line)
            if header and not line.lstrip().startswith("#"):
                name = header.group(1).strip().strip("\"'")
                if name == table:
                    seen += 1
                    inside = index is None or seen == index
                    if inside and key is None:
                        return number
                else:
                    inside = False
                continue
            if inside and key is not None:
                stripped = line.lstrip()
                if re.match(rf"[\"']?{re.escape(key)}[\"']?\s*=", stripped):
                    return number
        return None

    def fail(
        self, message: str, table: str, index: int | None = None, key: str | None = None
    ) -> NoReturn:
        """Raise a :class:`ConfigError` naming the file, line and key."""
        line = self.line_of(table, index, key)
        where = f"{self.path}, line {line}" if line else str(self.path)
        name = table if index is None else f"{table}[{index + 1}]"
        if key:
            name = f"{name}.{key}" if name else key
        raise ConfigError(f"{where}: {name}: {message}")

    def required_text(
        self, entry: dict[str, Any], key: str, table: str, index: int, missing: str
    ) -> str:
        """``entry[key]``, a string that is not blank, stripped; ``missing`` says why it is
        needed when it is absent or empty."""
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            self.fail(f"must be a string, got {value!r}", table, index, key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"missing or empty; {missing}", table, index, key if key in entry else None)
        return value.strip()

    def entries(self, entries: Any, table: str, allowed: tuple[str, ...]) -> list[dict[str, Any]]:
        """An array of tables (``[[table]]``) whose entries use only ``allowed`` keys."""
        if not isinstance(entries, list):
            self.fail(f"must be an array of tables ([[{table}]])", table)
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.fail("must be a table", table, index)
            for key in entry:
                if key not in allowed:
                    self.fail(f"unknown key (expected {', '.join(allowed)})", table, index, key)
        return entries
