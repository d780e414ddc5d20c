"""Request tracing for bench/sync.py: what each Fever call costs us and the server.

:class:`TracingTransport` records every request a :class:`~newsreader.sources.fever.FeverClient`
makes (its Fever command, when it started and ended here, and the server's own time from the
``Server-Timing`` header that a timed coldsweat adds: wall time in the app and the handling
thread's CPU). :func:`process_cpu` reads a process's CPU seconds from /proc.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import httpx


@dataclass(frozen=True, slots=True)
class Request:
    command: str  # e.g. "items since_id", "unread_item_ids", "mark item read"
    start: float  # time.perf_counter() here
    end: float
    server_ms: float  # wall time in the server's app (-1 if unknown)
    server_cpu_ms: float  # the server thread's CPU time (-1 if unknown)
    size: int  # bytes of the answer

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


def command_of(request: httpx.Request) -> str:
    """The Fever command a request carries, without its values (ids, since_id)."""
    names = [
        name
        for name, _ in parse_qsl(urlsplit(str(request.url)).query, keep_blank_values=True)
        if name != "api"
    ]
    form = dict(parse_qsl(request.content.decode("utf-8", "replace")))
    if "mark" in form:
        names.append(f"mark {form['mark']} {form.get('as', '')}")
    return " ".join(names) or "(check)"


def _timing(header: str, name: str) -> float:
    for part in header.split(","):
        label, _, rest = part.strip().partition(";")
        if label == name and rest.startswith("dur="):
            return float(rest[4:])
    return -1.0


class TracingTransport(httpx.HTTPTransport):
    """An httpx transport that records each request (thread-safe)."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Request] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start = time.perf_counter()
        response = super().handle_request(request)
        body = response.read()
        end = time.perf_counter()
        header = response.headers.get("server-timing", "")
        record = Request(
            command_of(request),
            start,
            end,
            _timing(header, "app"),
            _timing(header, "cpu"),
            len(body),
        )
        with self._lock:
            self.requests.append(record)
        return response

    def take(self) -> list[Request]:
        """The requests recorded since the last call."""
        with self._lock:
            taken, self.requests = self.requests, []
        return taken


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def by_command(requests: Sequence[Request], since: float) -> list[str]:
    """One line per Fever command: how many, when they ran (from ``since``), the time here
    (the sum and mean of each request's round trip) and in the server (sum of app wall and
    of thread CPU)."""
    groups: dict[str, list[Request]] = {}
    for request in sorted(requests, key=lambda r: r.start):
        groups.setdefault(request.command, []).append(request)
    lines = [
        f"    {'command':<34} {'n':>4} {'from':>7} {'to':>7} {'sum rt':>8} {'mean rt':>8} "
        f"{'server':>8} {'srv cpu':>8}"
    ]
    for command, group in groups.items():
        server = sum(r.server_ms for r in group if r.server_ms >= 0)
        cpu = sum(r.server_cpu_ms for r in group if r.server_cpu_ms >= 0)
        total = sum(r.ms for r in group)
        lines.append(
            f"    {command[:34]:<34} {len(group):>4} "
            f"{(group[0].start - since) * 1000:>5.0f}ms {(max(r.end for r in group) - since) * 1000:>5.0f}ms "
            f"{total:>6.0f}ms {total / len(group):>6.1f}ms {server:>6.0f}ms {cpu:>6.0f}ms"
        )
    return lines


def serial_costs(
    post: Callable[[str, dict[str, str]], None],
    transport: TracingTransport,
    calls: Sequence[tuple[str, str, dict[str, str]]],
    pid: int,
    repeat: int = 10,
) -> list[str]:
    """Each call (label, query, form) made ``repeat`` times, one at a time: the mean round
    trip here, the mean server app wall and thread CPU, and the server process's CPU per
    request (everything it did, HTTP parsing included)."""
    lines = [
        f"    {'call, one at a time':<34} {'rt':>8} {'server':>8} {'srv cpu':>8} {'proc cpu':>9}"
    ]
    for label, query, form in calls:
        transport.take()
        cpu = process_cpu(pid)
        for _ in range(repeat):
            post(query, form)
        used = (process_cpu(pid) - cpu) / repeat * 1000
        done = transport.take()
        lines.append(
            f"    {label[:34]:<34} {sum(r.ms for r in done) / len(done):>6.1f}ms "
            f"{sum(r.server_ms for r in done) / len(done):>6.1f}ms "
            f"{sum(r.server_cpu_ms for r in done) / len(done):>6.1f}ms {used:>7.1f}ms"
        )
    return lines


def concurrent_marks(
    post: Callable[[str, dict[str, str]], None],
    transport: TracingTransport,
    ids: Sequence[int],
    pid: int,
    widths: Sequence[int] = (1, 2, 4, 8),
) -> list[str]:
    """``ids`` marked read then unread again, at several numbers of requests at once: the
    wall time per mark, and the server's app wall and process CPU per mark."""
    lines = [
        f"    {'marks at once':<14} {'wall/mark':>10} {'server/mark':>12} {'proc cpu/mark':>14}"
    ]
    for width in widths:
        for state in ("read", "unread"):
            transport.take()
            cpu = process_cpu(pid)
            start = time.perf_counter()
            with ThreadPoolExecutor(width) as pool:
                list(
                    pool.map(
                        lambda i, s=state: post("", {"mark": "item", "as": s, "id": str(i)}), ids
                    )
                )
            wall = (time.perf_counter() - start) / len(ids) * 1000
            used = (process_cpu(pid) - cpu) / len(ids) * 1000
            done = transport.take()
            server = sum(r.server_ms for r in done) / len(done)
            lines.append(
                f"    {width:>3} ({state:<6})   {wall:>8.1f}ms {server:>10.1f}ms {used:>12.1f}ms"
            )
    return lines
