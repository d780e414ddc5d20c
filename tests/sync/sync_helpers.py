"""Writing a config with an ``[account]`` and running the command line against it."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

from newsreader.cli import main


def password_command(password: str) -> str:
    """A password_command printing ``password`` (run without a shell, so no quoting games)."""
    return shlex.join([sys.executable, "-c", f"print({password!r})"])


def write_config(folder: Path, url: str, username: str, password: str, timeout: float = 5) -> Path:
    path = folder / "feeds.toml"
    path.write_text(
        f"[settings]\nrefresh_on_start = false\ntimeout = {timeout}\n\n"
        f'[account]\nkind = "fever"\nurl = "{url}"\nusername = "{username}"\n'
        f"password_command = {json.dumps(password_command(password))}\n",
        "utf-8",
    )
    return path


def run(
    capsys: pytest.CaptureFixture[str], config: Path, db: Path, *args: str
) -> tuple[int, str, str]:
    """``newsreader --config CONFIG --db DB ARGS...``: (exit status, stdout, stderr)."""
    capsys.readouterr()
    status = main(["--config", str(config), "--db", str(db), *args])
    out, err = capsys.readouterr()
    return status, out, err
