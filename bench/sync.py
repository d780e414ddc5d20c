"""Sync benchmark: newsreader against a real Fever server (coldsweat) on 127.0.0.1.

coldsweat (installed in its own virtualenv, see tests/sync/coldsweat_server.py) is
subscribed to synthetic feeds (``../shared/tools/genfeeds.py``, served from local files)
and fetches them itself. Then, in the same run:

- plain httpx downloads every item page (``?api&items&since_id=N``, 50 items each, paging
  as a client must), before and after the first sync;
- a first sync into an empty cache (feeds, every item page, parsing, sanitising, storing,
  the unread/saved id lists);
- a second sync with 100 local changes to send and 100 changes made on the server;
- a third sync with nothing changed;
- the server's floor for the second sync: plain httpx making the same requests (100 marks,
  eight at a time, beside the id lists) with no work here;
- each Fever call timed one at a time, and marks at 1, 2, 4 and 8 at once.

Goal: first sync <= 1.5x the plain download; second sync < 1 s.

Every request is traced (its Fever command, its round trip here, and the server's own wall
and CPU time from the Server-Timing header of a timed coldsweat), and the CPU of both sides is
read: this process (httpx, JSON, the sync's threads), the page-storing worker (turning items
into articles, storing them) and the server process.

Usage: .venv/bin/python bench/sync.py [--feeds 100] [--items 100] [--keep DIR]
(``--keep DIR`` sets coldsweat up in DIR once and reuses it on later runs.)
Results are printed and written to bench/results/sync.txt.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
GENFEEDS = ROOT.parent / "shared" / "tools" / "genfeeds.py"
sys.path.insert(0, str(ROOT / "tests" / "sync"))

from coldsweat_server import (  # noqa: E402
    PASSWORD,
    USER,
    Coldsweat,
    run_coldsweat,
    start_coldsweat,
)
from sync_trace import (  # noqa: E402
    TracingTransport,
    by_command,
    concurrent_marks,
    process_cpu,
    serial_costs,
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def plain_download(
    url: str, pages: list[list[dict[str, object]]] | None = None
) -> tuple[float, int, int]:
    """Every item page with plain httpx: (seconds, items, bytes); the pages are appended to
    ``pages`` when given."""
    import httpx

    key = hashlib.md5(f"{USER}:{PASSWORD}".encode()).hexdigest()
    since = items = size = 0
    start = time.perf_counter()
    with httpx.Client(timeout=60) as client:
        while True:
            response = client.post(f"{url}?api&items&since_id={since}", data={"api_key": key})
            response.raise_for_status()
            size += len(response.content)
            page = response.json()["items"]
            if not page:
                break
            if pages is not None:
                pages.append(page)
            items += len(page)
            since = max(item["id"] for item in page)
    return time.perf_counter() - start, items, size


def plain_marks(url: str, ids: list[int]) -> float:
    """Seconds for plain httpx to undo the server-side changes (the first half of ``ids``
    read, the second half saved), eight requests at a time."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    key = hashlib.md5(f"{USER}:{PASSWORD}".encode()).hexdigest()
    with httpx.Client(timeout=60) as client:
        half = set(ids[: len(ids) // 2])

        def mark(item: int) -> None:
            state = "unread" if item in half else "unsaved"
            form = {"api_key": key, "mark": "item", "as": state, "id": str(item)}
            client.post(f"{url}?api", data=form).raise_for_status()

        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(mark, ids))
        return time.perf_counter() - start


def plain_second_sync(url: str, top: int, read: list[int], saved: list[int]) -> float:
    """Seconds for plain httpx to make the requests of a second sync, as it makes them, with
    no work here: the new items above ``top``, then ``read`` marked read and ``saved`` saved
    (eight at a time) alongside the unread and saved lists (one request)."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    key = hashlib.md5(f"{USER}:{PASSWORD}".encode()).hexdigest()
    with httpx.Client(timeout=60) as client:

        def post(query: str, form: dict[str, str]) -> None:
            client.post(f"{url}?api{query}", data={"api_key": key, **form}).raise_for_status()

        start = time.perf_counter()
        post(f"&items&since_id={top}", {})
        with ThreadPoolExecutor(1) as lists, ThreadPoolExecutor(8) as marks:
            listing = lists.submit(post, "&unread_item_ids&saved_item_ids", {})
            forms = [{"mark": "item", "as": "read", "id": str(i)} for i in read] + [
                {"mark": "item", "as": "saved", "id": str(i)} for i in saved
            ]
            list(marks.map(lambda form: post("", form), forms))
            listing.result()
        return time.perf_counter() - start


def store_only(
    path: Path, backend: object, pages: list[list[dict[str, object]]]
) -> tuple[float, float]:
    """Turn downloaded item pages into articles and store them, as a sync does, without the
    network: (seconds, CPU seconds)."""
    from newsreader.sources.fever import FeverClient, _item
    from newsreader.store import Store, sync_state
    from newsreader.sync_items import server_feeds, store_pages_here

    assert isinstance(backend, FeverClient)
    store = Store.open(path)
    groups, feeds = backend.groups_and_feeds()
    feed_ids = sync_state.save_feeds(store, server_feeds(groups, feeds))
    items = [tuple(_item(entry) for entry in page) for page in pages]
    start, cpu = time.perf_counter(), time.process_time()
    for page in items:
        store_pages_here(store, feed_ids, [page])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    store.close()
    return elapsed, cpu


def coldsweat_for(args: argparse.Namespace, folder: Path) -> tuple[Coldsweat, str]:
    """A timed coldsweat subscribed to the generated feeds (set up in ``folder``, or reused
    from ``--keep``), and a line saying what it holds."""
    place = args.keep or folder
    marker = place / "coldsweat" / f"ready-{args.feeds}x{args.items}"
    if marker.exists():
        server = run_coldsweat(place / "coldsweat", timed=True)
        server.reset_state()
        return server, "(reused)"
    feeds_dir = folder / "feeds"
    subprocess.run(
        [sys.executable, str(GENFEEDS), str(feeds_dir), str(args.feeds), str(args.items)],
        check=True,
    )
    files = sorted(feeds_dir.iterdir())
    http = serve(feeds_dir)
    base = f"http://127.0.0.1:{http.server_address[1]}"
    start = time.perf_counter()
    if args.keep:
        shutil.rmtree(place / "coldsweat", ignore_errors=True)
    server = start_coldsweat(
        place / "coldsweat",
        [(f"Synthetic {i}", f"{base}/{p.name}", f"group {i % 5}") for i, p in enumerate(files)],
        timed=True,
    )
    http.shutdown()
    marker.touch()
    return server, f"(set up and fetched in {time.perf_counter() - start:.0f} s)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=100, help="items per feed")
    parser.add_argument("--keep", type=Path, help="set coldsweat up here once, then reuse it")
    args = parser.parse_args()
    if not GENFEEDS.exists():
        print(f"bench/sync.py: {GENFEEDS} not found (../shared beside the checkout)")
        return 2

    from newsreader.sources.fever import FeverClient
    from newsreader.store import Store, sync_state
    from newsreader.sync import SyncProgress, SyncReport, run_sync

    lines: list[str] = []

    def report(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    with tempfile.TemporaryDirectory(prefix="newsreader-bench-sync-") as temp:
        folder = Path(temp)
        server, how = coldsweat_for(args, folder)
        pid = server.process.pid
        try:
            entries = server.count("SELECT count(*) FROM entries")
            report(f"coldsweat: {args.feeds} feeds, {entries} items {how}")
            plain_download(server.url)  # warm coldsweat's caches; not counted
            cpu, own_cpu = process_cpu(pid), time.process_time()
            before, items, size = plain_download(server.url)
            plain_cpu = (process_cpu(pid) - cpu, time.process_time() - own_cpu)
            report(
                f"plain httpx, item pages:   {before:6.2f} s  ({items} items, {size / 1e6:.1f} MB; "
                f"CPU: httpx and JSON {plain_cpu[1]:.2f} s, server process {plain_cpu[0]:.2f} s)"
            )

            store = Store.open(folder / "cache.db")
            transport = TracingTransport()
            backend = FeverClient(server.url, USER, PASSWORD, timeout=60, transport=transport)
            stages: dict[str, float] = {}
            cpu_used: dict[str, tuple[float, float]] = {}  # sync: (server, ours)

            def timed_sync(label: str) -> tuple[SyncReport, float]:
                """One sync, with where its time went."""
                stages.clear()
                transport.take()
                server_cpu, own_cpu = process_cpu(pid), time.process_time()
                start = time.perf_counter()

                def progress(step: SyncProgress) -> None:
                    stages.setdefault(step.stage, time.perf_counter() - start)

                done = run_sync(store, backend, progress)
                elapsed = time.perf_counter() - start
                server_cpu, own_cpu = process_cpu(pid) - server_cpu, time.process_time() - own_cpu
                cpu_used[label] = (server_cpu, own_cpu + sum(done.cpu.values()))
                requests = transport.take()
                report(
                    f"  {label}: {elapsed:.2f} s wall; CPU: this process {own_cpu:.2f} s, "
                    + "".join(f"{k} {v:.2f} s, " for k, v in done.cpu.items())
                    + f"server process {server_cpu:.2f} s; "
                    f"{len(requests)} requests, server app time "
                    f"{sum(r.server_ms for r in requests) / 1000:.2f} s"
                )
                report(
                    "    stages start at: "
                    + ", ".join(f"{stage} {at:.2f} s" for stage, at in stages.items())
                )
                for line in by_command(requests, start):
                    report(line)
                return done, elapsed

            first, first_time = timed_sync("first sync")
            pages: list[list[dict[str, object]]] = []
            after, _, _ = plain_download(server.url, pages)
            report(f"plain httpx, again:        {after:6.2f} s")
            baseline = statistics.mean([before, after])
            report(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            report(
                f"first sync, empty cache:   {first_time:6.2f} s  ({first.new_items} new articles, "
                f"{first_time / baseline:.2f}x the plain download; goal <= 1.5x)"
            )

            server_cpu, own_cpu = cpu_used["first sync"]
            report(
                f"  CPU, ours + server's: first sync {own_cpu:.2f} + {server_cpu:.2f} s, plain "
                f"download {plain_cpu[1]:.2f} + {plain_cpu[0]:.2f} s: "
                f"{(own_cpu + server_cpu) / sum(plain_cpu):.2f}x (what the wall-time ratio "
                "tends to when the cores are busy with other work)"
            )
            local_only = store_only(folder / "store-only.db", backend, pages)
            report(
                f"  the same items turned into articles and stored, no network, one thread: "
                f"{local_only[0]:.2f} s ({local_only[1]:.2f} s CPU)"
            )

            # 100 changes each way: 50 read + 50 starred here, 50 read + 50 saved there.
            with store.database.transaction() as db:
                mapping = db.execute(
                    "SELECT remote_id, article_id FROM sync_items ORDER BY remote_id"
                ).fetchall()
            local = [article for _, article in mapping[:100]]
            store.set_read(local[:50])
            store.set_starred(local[50:])
            remote = [rid for rid, _ in mapping[200:300]]
            for rid in remote[:50]:
                backend.mark(rid, "read", True)
            for rid in remote[50:]:
                backend.mark(rid, "starred", True)
            assert sync_state.queue_size(store) == 100
            second, second_time = timed_sync("second sync")
            report(
                f"second sync, 100 each way: {second_time:6.2f} s  ({second.pushed} sent, "
                f"{second.pulled_changes} received; goal < 1 s)"
            )
            _, third_time = timed_sync("third sync")
            report(f"third sync, no changes:    {third_time:6.2f} s")
            marks = plain_marks(server.url, remote)
            report(f"  plain httpx sending 100 marks, 8 at a time: {marks:.2f} s")
            top = max(rid for rid, _ in mapping)
            others = [rid for rid, _ in mapping[400:500]]
            cpu = process_cpu(pid)
            replay = plain_second_sync(server.url, top, others[:50], others[50:])
            report(
                f"  plain httpx making the second sync's requests (100 marks beside the lists): "
                f"{replay:.2f} s (server process CPU {process_cpu(pid) - cpu:.2f} s)"
            )

            report("what each call costs, one at a time (10 each; rt = round trip here):")

            def post(query: str, form: dict[str, str]) -> None:
                backend._call(query, form)

            calls: list[tuple[str, str, dict[str, str]]] = [
                ("check (auth only)", "", {}),
                ("groups&feeds", "groups&feeds", {}),
                ("items since_id=top (empty)", f"items&since_id={top}", {}),
                ("items since_id=0 (50 items)", "items&since_id=0", {}),
                ("unread_item_ids", "unread_item_ids", {}),
                ("saved_item_ids", "saved_item_ids", {}),
                ("unread_item_ids&saved_item_ids", "unread_item_ids&saved_item_ids", {}),
            ]
            for line in serial_costs(post, transport, calls, pid):
                report(line)
            report("marking 40 items read, then unread again, n requests at once:")
            for line in concurrent_marks(post, transport, remote[:40], pid):
                report(line)
            backend.close()
            store.close()
        finally:
            server.stop()

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sync.txt").write_text("\n".join(lines) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
