"""A real Fever server for the sync tests and the benchmark: coldsweat from PyPI.

coldsweat runs in its own virtualenv (``.cache/coldsweat-venv`` in the checkout, ignored by
git), so its dependencies never mix with ours; it is built once and reused. The server is
set up with one user, subscribed to feeds from an OPML file (it fetches them itself, from a
local HTTP server) and run on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

CHECKOUT = Path(__file__).resolve().parents[2]
VENV = CHECKOUT / ".cache" / "coldsweat-venv"
REQUIREMENT = "coldsweat==0.10.2"
USER = "reader@example.com"
PASSWORD = "readerpassword1"


class ColdsweatUnavailable(Exception):
    """coldsweat could not be installed; the message says why."""


def coldsweat_command() -> Path:
    """The ``coldsweat`` program in its own virtualenv, installing it on first use."""
    program = VENV / "bin" / "coldsweat"
    marker = VENV / ".installed"
    if program.exists() and marker.exists() and marker.read_text() == REQUIREMENT:
        return program
    shutil.rmtree(VENV, ignore_errors=True)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    base = getattr(sys, "_base_executable", sys.executable)
    steps = [
        [base, "-m", "venv", str(VENV)],
        [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", REQUIREMENT],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ColdsweatUnavailable(f"{' '.join(step[:3])}: {error}") from None
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if "is ignored" not in line] or [
                "(no message)"
            ]
            raise ColdsweatUnavailable(f"{REQUIREMENT} cannot be installed: {errors[-1]}")
    marker.write_text(REQUIREMENT)
    return program


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_opml(path: Path, feeds: list[tuple[str, str, str]]) -> None:
    """``feeds``: (title, URL, group or "")."""
    groups: dict[str, list[str]] = {}
    for title, url, group in feeds:
        line = f'<outline type="rss" text={quoteattr(title)} xmlUrl={quoteattr(url)}/>'
        groups.setdefault(group, []).append(line)
    body = []
    for group, lines in groups.items():
        if group:
            body.append(f"<outline text={quoteattr(group)}>{''.join(lines)}</outline>")
        else:
            body.extend(lines)
    path.write_text(
        '<?xml version="1.0"?><opml version="1.0"><head><title>subs</title></head>'
        f"<body>{''.join(body)}</body></opml>",
        "utf-8",
    )


@dataclass
class Coldsweat:
    """A running coldsweat server."""

    process: subprocess.Popen[bytes]
    url: str  # the Fever endpoint
    database: Path

    def reset_state(self) -> None:
        """Every item unread and unsaved again."""
        with sqlite3.connect(self.database, timeout=30) as db:
            db.execute("DELETE FROM read")
            db.execute("DELETE FROM saved")
        db.close()

    def count(self, sql: str) -> int:
        with sqlite3.connect(self.database, timeout=30) as db:
            value = int(db.execute(sql).fetchone()[0])
        db.close()
        return value

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# Run by coldsweat's own interpreter when timing is asked for: every answer carries a
# Server-Timing header with the request's time in the app (wall and the thread's CPU, ms).
_TIMED_RUNNER = """
import sys, time
import flask
from coldsweat import create_app

app = create_app()


@app.before_request
def _started():
    flask.g.newsreader_started = (time.perf_counter(), time.thread_time())


@app.after_request
def _timed(response):
    wall, cpu = flask.g.newsreader_started
    response.headers["Server-Timing"] = (
        f"app;dur={(time.perf_counter() - wall) * 1000:.3f}, "
        f"cpu;dur={(time.thread_time() - cpu) * 1000:.3f}"
    )
    return response


app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
"""


def start_coldsweat(
    folder: Path, feeds: list[tuple[str, str, str]], log: Path | None = None, timed: bool = False
) -> Coldsweat:
    """Set up a coldsweat database in ``folder``, subscribe the user to ``feeds`` (fetched
    now, so they must be served already) and run the server."""
    program = coldsweat_command()
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "coldsweat.db"
    env = _environment(database)
    opml = folder / "subs.opml"
    write_opml(opml, feeds)
    with open(log or folder / "coldsweat.log", "ab") as output:
        for args in (["setup", USER, "-p", PASSWORD], ["import", "-f", str(opml), USER]):
            subprocess.run(
                [str(program), *args], env=env, stdout=output, stderr=output, check=True,
                timeout=900,
            )  # fmt: skip
    return run_coldsweat(folder, log, timed=timed)


def _environment(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_DATABASE_URL": f"sqlite:///{database}",
        "FLASK_SECRET_KEY": "test",
    }


def run_coldsweat(folder: Path, log: Path | None = None, timed: bool = False) -> Coldsweat:
    """Run coldsweat on the database set up in ``folder`` by :func:`start_coldsweat`. With
    ``timed``, each answer says how long the server spent on it (a ``Server-Timing`` header:
    ``app`` wall and ``cpu`` thread CPU time, in ms)."""
    program = coldsweat_command()
    database = folder / "coldsweat.db"
    port = free_port()
    if timed:
        command = [str(program.parent / "python"), "-c", _TIMED_RUNNER, str(port)]
    else:
        command = [str(program), "run", "-h", "127.0.0.1", "-p", str(port)]
    output = open(log or folder / "coldsweat.log", "ab")  # noqa: SIM115 - the server's log
    process = subprocess.Popen(command, env=_environment(database), stdout=output, stderr=output)
    server = Coldsweat(process, f"http://127.0.0.1:{port}/fever/", database)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ColdsweatUnavailable(f"coldsweat run exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise ColdsweatUnavailable("coldsweat run did not start listening within 30 s")
