"""The ``[settings]`` table: what it holds and how it is checked."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from newsreader.config.errors import Locator, of_type

DEFAULT_THEME = "textual-dark"
IMAGE_MODES = ("auto", "kitty", "sixel", "blocks", "off")


@dataclass(frozen=True, slots=True)
class Settings:
    """The ``[settings]`` table."""

    refresh_on_start: bool = True
    theme: str = DEFAULT_THEME
    concurrency: int = 16
    per_host: int = 4
    timeout: float = 20.0
    retention: int | None = None
    show_outline: bool = True
    images: str = "auto"  # one of IMAGE_MODES
    prefetch_images: bool = False
    player: str = ""  # a command that plays attachments, e.g. "mpv" (run without a shell)


_TYPES: dict[str, tuple[type, ...]] = {
    "refresh_on_start": (bool,),
    "theme": (str,),
    "concurrency": (int,),
    "per_host": (int,),
    "timeout": (int, float),
    "retention": (int,),
    "show_outline": (bool,),
    "images": (str,),
    "prefetch_images": (bool,),
    "player": (str,),
}


def read_settings(where: Locator, table: Any) -> Settings:
    """The ``[settings]`` table checked: known keys, right types, sensible values."""
    if not isinstance(table, dict):
        where.fail("must be a table", "settings")
    defaults = Settings()
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _TYPES:
            where.fail(f"unknown setting (known: {', '.join(_TYPES)})", "settings", None, key)
        expected = _TYPES[key]
        if not of_type(value, expected):
            where.fail(
                f"must be {' or '.join(t.__name__ for t in expected)}, got {value!r}",
                "settings",
                None,
                key,
            )
        if key == "timeout" and not math.isfinite(value):
            where.fail(f"must be a finite number of seconds, got {value!r}", "settings", None, key)
        if key in ("concurrency", "per_host", "retention", "timeout") and value <= 0:
            where.fail(f"must be greater than 0, got {value!r}", "settings", None, key)
        if key == "images" and value not in IMAGE_MODES:
            where.fail(
                f"must be one of {', '.join(IMAGE_MODES)}, got {value!r}", "settings", None, key
            )
        values[key] = float(value) if key == "timeout" else value
    return Settings(**{**{k: getattr(defaults, k) for k in _TYPES}, **values})
