"""Image benchmark: an article with 20 pictures, each a ~300 KB JPEG of 2000 x 1500 pixels.

The pictures are generated with Pillow and served from 127.0.0.1 with 50 ms of latency per
request (ETag and Last-Modified, 304 when unchanged; with ``?fresh`` in the URL the server
also sends ``Cache-Control: max-age=3600``). Every phase runs in its own process, so that its
peak memory (``ru_maxrss``) is its own:

- ``tui-none``: the article in the app's article pane (line-drawn body) in a headless
  Textual app, with pictures off (shown as "🌆 alt"): time to text on screen;
- ``tui-cold``: the same article with the pictures drawn in half-blocks over the rows the
  body keeps for them, empty cache: time to text on screen, time to all drawn;
- ``tui-warm``: again, with the cache from ``tui-cold`` (every picture revalidated: 20
  conditional GETs answered 304), the decoded copies read instead of the JPEGs;
- ``tui-warm-fresh``: again, pictures served with ``max-age`` and cached by a cold run
  first, so the warm run asks nobody;
- ``kitty-cold-fresh``, ``kitty-warm-fresh``: the same two in Kitty mode (cells of 10 x 20
  pixels: each picture sent as a PNG of up to 650 x 380 pixels);
- ``loader-*``: ``ImageLoader.load`` alone (no TUI) for a Kitty/Sixel-sized box of
  1000 x 400 pixels: cold, warm (304s) and warm-fresh, with tracemalloc's peak.

The phase process is set as the app's main screen sets it once it is up (threads hand the GIL
back within 1 ms; ``gc.freeze()``). Times run from the pane's ``show()`` to the first screen update holding the text ("text"), the
whole body ("body") and every picture of the body's current drawing ("all drawn"); each is
taken by the screen update itself (the wait does not poll the app's event loop, which would
force extra screen updates). CPU is the process's (all threads) until the last of them. Then
the pane is paged down to the end, each page timed to the screen update that shows it (a
picture's lines are made when first drawn: that work is in these pages). The pane has the
app's stylesheet, so its body is at most 84 columns wide (67 beside the outline).

Usage: .venv/bin/python bench/images.py [--images 20] [--latency 0.05] [--columns 100]
       [--repeat 1] [--quick]
Results are printed and written to bench/results/images.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)
PARAGRAPH = (
    "Officials said on Tuesday that the new measures would take effect next month, after a "
    "lengthy consultation with residents, businesses and local councils across the region. "
    "Critics argued the plan does too little, too late."
)


# -- the pictures and the server ------------------------------------------------------------


def make_jpeg(index: int) -> bytes:
    """A 2000 x 1500 JPEG of about 300 KB (noise over gradients, different every time)."""
    from PIL import Image

    noise = Image.effect_noise((500, 375), 20).resize((2000, 1500), Image.Resampling.BICUBIC)
    gradient = Image.linear_gradient("L").resize((2000, 1500))
    if index % 2:
        gradient = gradient.rotate(90, expand=False)
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=75)
    return out.getvalue()


def serve(pictures: list[bytes], latency: float) -> ThreadingHTTPServer:
    etags = ['"' + hashlib.sha1(body).hexdigest()[:16] + '"' for body in pictures]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(latency)
            path, _, query = self.path.partition("?")
            try:
                index = int(path.rsplit("/", 1)[-1].split(".")[0])
                body, etag = pictures[index], etags[index]
            except (ValueError, IndexError):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            cache = "max-age=3600" if "fresh" in query else "no-cache"
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Cache-Control", cache)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Cache-Control", cache)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def article(base: str, count: int, fresh: bool) -> str:
    parts = ["# Twenty pictures\n"]
    suffix = "?fresh" if fresh else ""
    for n in range(count):
        parts.append(f"## Section {n + 1}\n\n{PARAGRAPH}\n")
        parts.append(f'![Picture {n + 1}]({base}/{n}.jpg{suffix} "Caption of picture {n + 1}")\n')
        parts.append(f"{PARAGRAPH} {PARAGRAPH}\n")
    return "\n".join(parts)


# -- one phase, in its own process ----------------------------------------------------------


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def bench_article(markdown: str) -> Any:
    from datetime import UTC, datetime

    from newsreader.model import Article, ContentType

    return Article(
        id=1, feed_id=1, feed_title="Bench", key="a", title="Twenty pictures",
        link="https://news.example/a", author="", published=datetime(2026, 1, 1, tzinfo=UTC),
        updated=None, summary="", content=markdown, content_type=ContentType.MARKDOWN,
        body=markdown, word_count=len(markdown.split()), read=False, starred=False,
    )  # fmt: skip


async def tui_phase(
    markdown: str, images: bool, columns: int, cache_dir: Path, mode: str = "blocks"
) -> dict[str, float]:
    """The article in the app's own article pane (line-drawn body), pictures drawn in
    ``mode`` (Kitty: the escapes go to the headless driver, which drops them)."""
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal

    from newsreader.images.cache import ImageCache
    from newsreader.images.loader import ImageLoader
    from newsreader.tui.screens.main import SWITCH_SECONDS
    from newsreader.tui.widgets.article_pane import ArticlePane

    class ArticleApp(App[None]):
        CSS_PATH = str(ROOT / "src" / "newsreader" / "tui" / "newsreader.tcss")  # the app's

        def compose(self) -> ComposeResult:
            with Horizontal(id="main"):  # as in the app (the pane's width is 3fr of a row)
                yield ArticlePane(lambda: bench_article("").published, id="article")

    result: dict[str, float] = {}
    async with ImageLoader(ImageCache(cache_dir)) as loader:
        app = ArticleApp()
        async with app.run_test(size=(columns + 2, 50)) as pilot:
            pane = app.query_one(ArticlePane)
            pane.loader = loader.load if images else None
            pane.pictures.peek = loader.cached  # as the app does
            if hasattr(loader, "revalidate"):  # (to compare with code from before it)
                pane.pictures.revalidate = loader.revalidate
            pane.pictures.mode = mode
            pictures = pane.pictures
            drawn: dict[int, int] = {}  # picture index -> the body's drawing it was drawn in
            body = pane.long_body
            set_picture = body.set_picture
            render_line = body.render_line
            painted: list[float] = []
            loop = asyncio.get_running_loop()
            # Each moment is the screen update that shows it, set by the update itself (no
            # loop polls the app's event loop for it, which would force extra updates).
            text_shown: asyncio.Future[float] = loop.create_future()
            body_shown: asyncio.Future[float] = loop.create_future()
            all_shown: asyncio.Future[float] = loop.create_future()
            wanted = -1  # pictures to wait for (known once the article is shown)
            updates: list[asyncio.Future[float]] = []  # set by the next screen update

            def counted(index: int, *args: Any, **kwargs: Any) -> None:
                set_picture(index, *args, **kwargs)
                drawn[index] = body.generation

            def painting(y: int) -> Any:
                if body.lines and not painted:
                    painted.append(time.perf_counter())  # the first frame with the text
                return render_line(y)

            def done() -> int:
                now = sum(1 for g in drawn.values() if g == body.generation)
                return now + sum(1 for r in pictures.results.values() if not r.ok)

            display = app._display

            def displaying(screen: Any, update: Any) -> None:
                display(screen, update)
                now = time.perf_counter()
                if painted and not text_shown.done():
                    text_shown.set_result(now)
                if body.complete and body.lines and not body_shown.done():
                    body_shown.set_result(now)
                if wanted >= 0 and not all_shown.done() and done() >= wanted:
                    all_shown.set_result(now)
                while updates:
                    waiting = updates.pop()
                    if not waiting.done():
                        waiting.set_result(now)

            body.set_picture = counted  # type: ignore[method-assign]
            body.render_line = painting  # type: ignore[method-assign]
            app._display = displaying  # type: ignore[method-assign]
            await pilot.pause()
            # As the app's main screen does once it is up: threads give the UI thread the GIL
            # back within 1 ms, and the objects made so far are left out of collections.
            sys.setswitchinterval(SWITCH_SECONDS)
            gc.freeze()
            result["rss_before_mb"] = max_rss_mb()
            start = time.perf_counter()
            cpu = time.process_time()
            await pane.show(bench_article(markdown), markdown)
            wanted = len(pictures.placed)
            result["text_on_screen_s"] = await asyncio.wait_for(text_shown, 60) - start
            result["text_cpu_s"] = time.process_time() - cpu
            result["body_drawn_s"] = await asyncio.wait_for(body_shown, 60) - start
            if wanted:
                result["all_drawn_s"] = await asyncio.wait_for(all_shown, 60) - start
                result["failed"] = sum(1 for r in pictures.results.values() if not r.ok)
            result["cpu_s"] = time.process_time() - cpu
            # Then the reader pages down to the end: pictures' lines are made as they are
            # first drawn, so each page's update includes that work.
            scroller = pane.scroller
            pages: list[float] = []
            cpu = time.process_time()
            while scroller.scroll_y < scroller.max_scroll_y:
                update: asyncio.Future[float] = loop.create_future()
                updates.append(update)
                began = time.perf_counter()
                scroller.scroll_to(y=scroller.scroll_y + scroller.size.height, animate=False)
                pages.append(await asyncio.wait_for(update, 10) - began)
            result["pages"] = len(pages)
            result["page_max_s"] = max(pages, default=0.0)
            result["pages_cpu_s"] = time.process_time() - cpu
    result["rss_peak_mb"] = max_rss_mb()
    return result


async def loader_phase(urls: list[str], cache_dir: Path, traced: bool) -> dict[str, float]:
    import tracemalloc

    from newsreader.images.cache import ImageCache
    from newsreader.images.loader import ImageLoader

    if traced:
        tracemalloc.start()
    async with ImageLoader(ImageCache(cache_dir)) as loader:
        start = time.perf_counter()
        cpu = time.process_time()
        results = await asyncio.gather(*(loader.load(url, (1000, 400)) for url in urls))
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
    result = {
        "all_loaded_s": seconds,
        "cpu_s": cpu,
        "failed": sum(1 for result in results if not result.ok),
        "from_cache": sum(1 for result in results if result.from_cache),
        "rss_peak_mb": max_rss_mb(),
    }
    if traced:
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return result


def run_phase(args: argparse.Namespace) -> None:
    markdown = article(args.base, args.images, args.fresh)
    cache_dir = Path(args.cache)
    if args.phase.startswith("tui"):
        mode = "kitty" if args.phase.endswith("kitty") else "blocks"
        images = args.phase != "tui-none"
        result = asyncio.run(tui_phase(markdown, images, args.columns, cache_dir, mode))
    else:
        from newsreader.render import image_refs

        urls = [url for _alt, url in image_refs(markdown)]
        result = asyncio.run(loader_phase(urls, cache_dir, args.phase == "loader-traced"))
    print(json.dumps(result))


# -- the driver -----------------------------------------------------------------------------


def phase(
    args: argparse.Namespace, name: str, base: str, cache: Path, fresh: bool = False
) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--phase", name,
        "--base", base,
        "--cache", str(cache),
        "--images", str(args.images),
        "--columns", str(args.columns),
    ]  # fmt: skip
    if fresh:
        command.append("--fresh")
    out = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if out.returncode != 0:
        sys.exit(f"phase {name} failed:\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def repeated(
    args: argparse.Namespace, name: str, base: str, cache: Path, fresh: bool = False
) -> dict[str, Any]:
    """The run of ``--repeat`` runs with the median time to all drawn, with every run's."""
    runs = [phase(args, name, base, cache, fresh) for _ in range(max(1, args.repeat))]
    runs.sort(key=lambda run: run["all_drawn_s"])
    middle = dict(runs[len(runs) // 2])
    if len(runs) > 1:
        middle["runs_all_drawn_s"] = [run["all_drawn_s"] for run in runs]
        middle["runs_cpu_s"] = sorted(run["cpu_s"] for run in runs)
    return middle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--columns", type=int, default=100, help="width of the article pane")
    parser.add_argument(
        "--quick", action="store_true", help="only the half-block TUI runs (no Kitty, no loader)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each warm TUI phase this many times"
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--fresh", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return

    started = time.perf_counter()
    pictures = [make_jpeg(n) for n in range(args.images)]
    sizes = [len(body) for body in pictures]
    print(
        f"{args.images} JPEGs 2000 x 1500, {sum(sizes) / len(sizes) / 1024:.0f} KB on average "
        f"(made in {time.perf_counter() - started:.1f} s); latency {args.latency * 1000:.0f} ms; "
        f"pane {args.columns} columns"
    )
    server = serve(pictures, args.latency)
    base = f"http://127.0.0.1:{server.server_address[1]}/img"
    results: dict[str, Any] = {
        "images": args.images,
        "average_kb": sum(sizes) / len(sizes) / 1024,
        "latency_ms": args.latency * 1000,
        "columns": args.columns,
    }
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-images-") as folder:
        tui_cache = Path(folder) / "tui"
        fresh_cache = Path(folder) / "tui-fresh"
        loader_cache = Path(folder) / "loader"
        loader_fresh = Path(folder) / "loader-fresh"
        results["tui-none"] = phase(args, "tui-none", base, Path(folder) / "unused")
        results["tui-cold"] = phase(args, "tui-cold", base, tui_cache)
        results["tui-warm"] = repeated(args, "tui-warm", base, tui_cache)
        results["tui-cold-fresh"] = phase(args, "tui-cold", base, fresh_cache, fresh=True)
        results["tui-warm-fresh"] = repeated(args, "tui-warm", base, fresh_cache, fresh=True)
        results["cache_mb"] = sum(p.stat().st_size for p in tui_cache.iterdir()) / 1024 / 1024
        if args.quick:
            server.shutdown()
            report(args, results)
            return
        kitty_cache = Path(folder) / "tui-kitty"
        results["kitty-cold-fresh"] = phase(args, "tui-kitty", base, kitty_cache, fresh=True)
        results["kitty-warm-fresh"] = phase(args, "tui-kitty", base, kitty_cache, fresh=True)
        results["loader-cold-traced"] = phase(args, "loader-traced", base, Path(folder) / "t")
        results["loader-cold"] = phase(args, "loader", base, loader_cache)
        results["loader-warm"] = phase(args, "loader", base, loader_cache)
        results["loader-cold-fresh"] = phase(args, "loader", base, loader_fresh, fresh=True)
        results["loader-warm-fresh"] = phase(args, "loader", base, loader_fresh, fresh=True)
    server.shutdown()
    report(args, results)


def report(args: argparse.Namespace, results: dict[str, Any]) -> None:
    none = results["tui-none"]
    print(f"\nTUI, half-blocks, {args.columns}-column pane (headless Textual):")
    print(
        f"  {'run':<16}{'text':>9}{'body':>9}{'all drawn':>11}{'CPU':>9}"
        f"{'peak RSS':>10}{'+ vs none':>11}"
    )
    names = ("tui-none", "tui-cold", "tui-warm", "tui-cold-fresh", "tui-warm-fresh")
    for name in (*names, "kitty-cold-fresh", "kitty-warm-fresh"):
        if name not in results:
            continue
        row = results[name]

        def ms(key: str, row: dict[str, float] = row) -> str:
            return f"{row[key] * 1000:.0f} ms" if key in row else "-"

        extra = row["rss_peak_mb"] - none["rss_peak_mb"]
        print(
            f"  {name:<16}{ms('text_on_screen_s'):>9}{ms('body_drawn_s'):>9}{ms('all_drawn_s'):>11}"
            f"{ms('cpu_s'):>9}{row['rss_peak_mb']:>7.0f} MB{extra:>+8.0f} MB"
        )
        if row.get("pages"):
            print(
                f"  {'':<16}then {row['pages']:.0f} pages down: slowest {ms('page_max_s')}, "
                f"CPU {ms('pages_cpu_s')} in all"
            )
        if "runs_all_drawn_s" in row:
            each = ", ".join(f"{t * 1000:.0f}" for t in row["runs_all_drawn_s"])
            cpus = ", ".join(f"{t * 1000:.0f}" for t in row["runs_cpu_s"])
            print(f"  {'':<16}(median of all drawn: {each} ms; CPU {cpus} ms)")
    if "loader-cold" in results:
        report_loader(results)
    print(f"\ncache on disk after the TUI runs: {results['cache_mb']:.1f} MB")
    results["load_average"] = os.getloadavg()
    results["cpus"] = os.cpu_count()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "images.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"written to {RESULTS / 'images.json'}")


def report_loader(results: dict[str, Any]) -> None:
    print("\nImageLoader alone, box 1000 x 400 px (Kitty/Sixel size):")
    print(f"  {'run':<19}{'all loaded':>12}{'CPU':>9}{'from cache':>12}{'peak RSS':>11}")
    for name in ("loader-cold", "loader-warm", "loader-cold-fresh", "loader-warm-fresh"):
        row = results[name]
        print(
            f"  {name:<19}{row['all_loaded_s'] * 1000:>9.0f} ms{row['cpu_s'] * 1000:>6.0f} ms"
            f"{row['from_cache']:>12.0f}{row['rss_peak_mb']:>8.0f} MB"
        )
    traced = results["loader-cold-traced"]
    print(f"  tracemalloc peak of a cold load: {traced['tracemalloc_peak_mb']:.1f} MB")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
