"""Hostile-input sweep: how each input class is handled, with worst time and worst memory.

Usage: ``python bench/hardening.py [--quick]`` (``PYTHONPATH=OTHER/src`` measures other code)

Every case runs ``newsreader`` (or a small fetch) in a fresh process under a 3 GiB address
space limit and a timeout, on 127.0.0.1 only, and records its wall time, its peak memory
(max RSS from ``wait4``) and whether it failed: hung (timeout), crashed (MemoryError, a
traceback, exit 70), left processes behind, or did something it must not. Prints a table
and writes JSON to ``bench/results/hardening-DATE.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gzip
import json
import os
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

MEMORY_LIMIT = 3 * 1024**3
TIMEOUT = 15.0


@dataclass
class Case:
    kind: str
    name: str
    seconds: float
    max_rss_mb: float
    failed: bool
    detail: str


def gzip_zeros(size: int) -> bytes:
    step = 1024 * 1024
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = b"\0" * step
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // step):
        crc = zlib.crc32(zeros, crc)
    return (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        + first
        + block * (size // step - 1)
        + deflate.flush(zlib.Z_FINISH)
        + struct.pack("<II", crc, size & 0xFFFFFFFF)
    )


class Server:
    """Routes path -> (status, headers, body or a callable that waits then answers)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.release = threading.Event()
        routes, release = self.routes, self.release

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, headers, body = routes.get(self.path, (404, {}, b""))
                if self.path.startswith("/hang"):
                    release.wait(60)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(
    args: list[str], env: dict[str, str], stdin: int | None = subprocess.DEVNULL
) -> tuple[float, float, int | None, str]:
    """Seconds, max RSS (MB), exit status (None: killed at the timeout) and output."""
    with tempfile.TemporaryFile() as out:
        started = time.monotonic()
        process = subprocess.Popen(
            args,
            stdin=stdin,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=limit_memory,
            start_new_session=True,
        )
        timer = threading.Timer(TIMEOUT, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    code = None if seconds >= TIMEOUT - 0.05 and process.returncode == -9 else process.returncode
    return seconds, usage.ru_maxrss / 1024, code, text


def verdict(code: int | None, text: str, ok: Callable[[int, str], bool]) -> tuple[bool, str]:
    if code is None:
        return True, f"hung: killed after {TIMEOUT:g} s"
    for bad in ("MemoryError", "Traceback", "RecursionError", "unexpected"):
        if bad in text:
            return True, f"exit {code}: {bad}"
    if not ok(code, text):
        lines = [line for line in text.strip().splitlines() if line.strip()]
        return True, f"exit {code}: {lines[-1][:90] if lines else ''}"
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return False, f"exit {code}: {lines[-1][:90] if lines else ''}"


class Sweep:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cases: list[Case] = []
        self.home = root / "home"

    def env(self, config: str) -> dict[str, str]:
        home = Path(tempfile.mkdtemp(dir=self.root))
        (home / "feeds.toml").write_text(
            "[settings]\nrefresh_on_start = false\ntimeout = 5\n" + config, "utf-8"
        )
        return {
            **os.environ,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home),
            "XDG_DATA_HOME": str(home),
            "XDG_CACHE_HOME": str(home),
            "NEWSREADER_CONFIG": str(home / "feeds.toml"),
            "NEWSREADER_DB": str(home / "newsreader.db"),
        }

    def cli(
        self,
        kind: str,
        name: str,
        args: list[str],
        ok: Callable[[int, str], bool],
        config: str = "",
        env: dict[str, str] | None = None,
    ) -> str:
        environment = env or self.env(config)
        seconds, rss, code, text = run([sys.executable, "-m", "newsreader", *args], environment)
        failed, detail = verdict(code, text, ok)
        self.cases.append(Case(kind, name, seconds, rss, failed, detail))
        return text


FETCH = r"""
import asyncio, sys
from newsreader.sources.feeds import Fetcher, FetchLimits
async def main():
    async with Fetcher(FetchLimits(timeout=20)) as fetcher:
        result = await fetcher.fetch(sys.argv[1])
    print(result.error or f"ok {len(result.body)} bytes")
asyncio.run(main())
"""


def compressed(sweep: Sweep, server: Server, quick: bool) -> None:
    size = (256 if quick else 1024) * 1024 * 1024
    inner = gzip_zeros(size)
    for layers in (1, 2, 3):
        body = inner
        for _ in range(layers - 1):
            body = gzip.compress(body, 9)
        path = f"/bomb{layers}"
        encoding = ", ".join(["gzip"] * layers)
        server.routes[path] = (200, {"Content-Encoding": encoding}, body)
        seconds, rss, code, text = run([sys.executable, "-c", FETCH, server.url(path)], os.environ)
        failed, detail = verdict(code, text, lambda c, t: "too large" in t)
        failed = failed or seconds > 5
        name = f"{encoding}: {len(body)} B holding {size >> 20} MiB of zeros"
        sweep.cases.append(Case("compressed bodies", name, seconds, rss, failed, detail))


def special_files(sweep: Sweep) -> None:
    folder = sweep.root / "hostile"
    folder.mkdir()
    (folder / "good.md").write_text("# Good\n\ntext\n", "utf-8")
    os.mkfifo(folder / "pipe.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    only_fifo = sweep.root / "fifo-folder"
    only_fifo.mkdir()
    (only_fifo / "good.md").write_text("# Good\n\ntext\n", "utf-8")
    os.mkfifo(only_fifo / "pipe.md")
    fifo_feed = sweep.root / "feed.xml"
    os.mkfifo(fifo_feed)
    fifo_opml = sweep.root / "list.opml"
    os.mkfifo(fifo_opml)
    kind = "special files"
    sweep.cli(
        kind,
        "refresh: FIFO in a [[stored]] folder",
        ["refresh"],
        lambda c, t: "1 new" in t and "pipe.md" in t,
        f'[[stored]]\npath = "{only_fifo}"\n',
    )
    sweep.cli(kind, "import DIR with a FIFO", ["import", str(only_fifo)], lambda c, t: "1 new" in t)
    sweep.cli(
        kind,
        "import DIR with a link to /dev/zero",
        ["import", str(folder)],
        lambda c, t: "1 new" in t and "zero.md" in t,
    )
    for name in ("pipe.md", "zero.md"):
        sweep.cli(
            kind,
            f"import {name} directly",
            ["import", str(folder / name)],
            lambda c, t: c != 0 and "not a regular file" in t,
        )
    sweep.cli(
        kind,
        'refresh: url = "file:///dev/zero"',
        ["refresh"],
        lambda c, t: "not a regular file" in t,
        '[[feeds]]\nurl = "file:///dev/zero"\n',
    )
    sweep.cli(
        kind,
        "refresh: a FIFO as feed path",
        ["refresh"],
        lambda c, t: "not a regular file" in t,
        f'[[feeds]]\nurl = "{fifo_feed}"\n',
    )
    for target in ("/dev/zero", str(fifo_opml)):
        sweep.cli(
            kind,
            f"opml import {Path(target).name}",
            ["opml", "import", target],
            lambda c, t: c != 0 and "not a regular file" in t,
        )


def links_and_opml(sweep: Sweep) -> None:
    folder = sweep.root / "loops"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\ntext\n", "utf-8")
    (folder / "b.md").symlink_to(folder / "b.md")
    sweep.cli(
        "symlink loops",
        "import DIR with a link loop",
        ["import", str(folder)],
        lambda c, t: "1 new" in t,
    )
    deep = sweep.root / "deep.opml"
    depth = 1000
    deep.write_bytes(
        b'<opml version="2.0"><body>'
        + b'<outline text="f">' * depth
        + b'<outline text="x" xmlUrl="https://deep.example/feed"/>'
        + b"</outline>" * depth
        + b"</body></opml>"
    )
    env = sweep.env("")
    sweep.cli(
        "deep OPML",
        "opml import, 1,000 levels",
        ["opml", "import", str(deep)],
        lambda c, t: c == 0,
        env=env,
    )
    sweep.cli("deep OPML", "opml export after it", ["opml", "export"], lambda c, t: c == 0, env=env)
    private = [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:6379/",
        "http://localhost:8080/feed",
        "http://[::1]/feed",
        "http://10.0.0.7/rss",
        "http://2130706433/feed",
    ]
    listing = sweep.root / "private.opml"
    listing.write_text(
        '<opml version="2.0"><body>'
        + "".join(f'<outline text="p{n}" xmlUrl="{url}"/>' for n, url in enumerate(private))
        + "</body></opml>",
        "utf-8",
    )
    env = sweep.env("")
    sweep.cli(
        "private addresses",
        "opml import of 6 private targets",
        ["opml", "import", str(listing)],
        lambda c, t: True,
        env=env,
    )
    config = Path(env["NEWSREADER_CONFIG"]).read_text("utf-8")
    subscribed = sum(url in config for url in private)
    case = sweep.cases[-1]
    case.failed = subscribed > 0
    case.detail = f"{subscribed} of {len(private)} subscribed without --allow-private"


def group_members(pgid: int) -> list[int]:
    members = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    members.append(int(name))
    return members


def orphans(sweep: Sweep, server: Server) -> None:
    if not sys.platform.startswith("linux"):
        return
    from feed_server_rss import rss  # type: ignore[import-not-found]

    lines = ["concurrency = 64", "per_host = 64", ""]
    for n in range(6):
        server.routes[f"/fast{n}"] = (200, {"Content-Type": "application/xml"}, rss(30, n))
        lines += ["[[feeds]]", f'url = "{server.url(f"/fast{n}")}"', ""]
    for n in range(24):
        server.routes[f"/hang{n}"] = (200, {}, rss(1, 100 + n))
        lines += ["[[feeds]]", f'url = "{server.url(f"/hang{n}")}"', ""]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(36, 1, 0, 0, 0)  # a child subreaper: orphans come here to be reaped
    for signum in (signal.SIGKILL, signal.SIGTERM, signal.SIGHUP):
        env = sweep.env("\n".join(lines))  # the first lines extend [settings]
        process = subprocess.Popen(
            [sys.executable, "-m", "newsreader", "refresh"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while len(group_members(process.pid)) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        peak = sum(rss_of(pid) for pid in group_members(process.pid))
        eof = threading.Event()
        assert process.stdout is not None
        stdout = process.stdout
        threading.Thread(target=read_to_eof, args=(stdout, eof), daemon=True).start()
        started = time.monotonic()
        os.kill(process.pid, signum)
        process.wait()
        gone_after: float | None = None
        while time.monotonic() - started < 10:
            with contextlib.suppress(ChildProcessError):
                while os.waitpid(-1, os.WNOHANG)[0]:
                    pass
            if not group_members(process.pid):
                gone_after = time.monotonic() - started
                break
            time.sleep(0.05)
        survivors = group_members(process.pid)
        pipe = eof.wait(max(0.0, 3 - (time.monotonic() - started)))
        for pid in survivors:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        failed = gone_after is None or gone_after > 3 or not pipe
        detail = (
            f"{len(survivors)} process(es) alive after 10 s"
            if gone_after is None
            else f"group gone after {gone_after:.1f} s; stdout EOF within 3 s: {pipe}"
        )
        sweep.cases.append(
            Case(
                "orphans",
                f"{signal.Signals(signum).name} mid-refresh, 30 due feeds",
                gone_after if gone_after is not None else 10.0,
                peak,
                failed,
                detail,
            )
        )
    libc.prctl(36, 0, 0, 0, 0)


def read_to_eof(stream: IO[bytes], done: threading.Event) -> None:
    while stream.read(65536):
        pass
    done.set()


def rss_of(pid: int) -> float:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def write_rss_module(root: Path) -> None:
    (root / "feed_server_rss.py").write_text(
        "def rss(items, n):\n"
        "    parts = ''.join(f'<item><title>t{n}-{i}</title><guid>g{n}-{i}</guid>'\n"
        "                    f'<description>body {i}</description></item>' for i in range(items))\n"
        "    return (f'<rss version=\"2.0\"><channel><title>F{n}</title>{parts}'\n"
        "            '</channel></rss>').encode()\n",
        "utf-8",
    )
    sys.path.insert(0, str(root))


def table(cases: list[Case]) -> Iterator[str]:
    yield "| input class | cases | failures | worst time | worst memory |"
    yield "|---|---|---|---|---|"
    kinds = list(dict.fromkeys(case.kind for case in cases))
    for kind in kinds:
        group = [case for case in cases if case.kind == kind]
        failures = sum(case.failed for case in group)
        worst_time = max(case.seconds for case in group)
        worst_rss = max(case.max_rss_mb for case in group)
        yield f"| {kind} | {len(group)} | {failures} | {worst_time:.1f} s | {worst_rss:.0f} MB |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="256 MiB bombs instead of 1 GiB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_rss_module(root)
        sweep = Sweep(root)
        server = Server()
        try:
            compressed(sweep, server, args.quick)
            special_files(sweep)
            links_and_opml(sweep)
            orphans(sweep, server)
        finally:
            server.close()
    for case in sweep.cases:
        mark = "FAIL" if case.failed else "ok  "
        print(
            f"{mark} {case.kind:18} {case.name:48} {case.seconds:6.1f} s "
            f"{case.max_rss_mb:7.0f} MB  {case.detail}"
        )
    print()
    print("\n".join(table(sweep.cases)))
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = results / f"hardening-{stamp}.json"
    target.write_text(
        json.dumps(
            {
                "pythonpath": os.environ.get("PYTHONPATH", ""),
                "cases": [asdict(c) for c in sweep.cases],
            },
            indent=2,
        ),
        "utf-8",
    )
    print(f"\nwritten to {target}")


if __name__ == "__main__":
    main()
