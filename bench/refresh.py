"""Refresh benchmark: newsreader against newsboat on the same local feeds, same run.

Three workloads of 200 feeds, each served from 127.0.0.1 by ``../shared/tools/feedserver.py``
with 50 ms of latency per request (ETag/Last-Modified, 304 when unchanged, gzip), run with
a listen backlog of 128 and TCP_NODELAY, as servers are (``--nagle`` leaves Nagle's
algorithm on, as the shared server has it):

* ``synthetic``: 200 feeds x 50 articles of a few repeated paragraphs;
* ``genfeeds``: ``../shared/tools/genfeeds.py DIR 200 50 250``, 200 x 50 items of five
  paragraphs from a 4,000-word vocabulary;
* ``corpus``: the corpus feeds (``../shared/corpus/feeds``: RSS, Atom, RDF, JSON Feed, real
  HTML; those that do not read as feeds left out) repeated to 200.

Also measured, with the server still up: newsreader's HTTP client alone fetching every
feed (bodies read, nothing parsed) and asking for each again (304s), which is what the
network and the server allow before any reader's own work.

Per workload and round, each reader does a first refresh into an empty cache and a second
one with nothing changed, timed as whole commands (start-up included), newsboat
(``reload-threads 16``) and newsreader (``concurrency = per_host = 16``) alternating which
goes first. Medians of the rounds are reported, with the CPU time of every process of a
newsreader refresh (the refreshing process, the forkserver, each pool worker), newsboat's
CPU, the network floor (requests x latency / connections) and the single-threaded time to
parse and store the workload measured separately, and the load average.

The feed server gzips every 200 response at level 9 on the same two cores (3.8 s of CPU for
genfeeds' 18 MB, per reader's first refresh); ``--precompressed`` has it compress each file
once, before the rounds, as a server with precompressed files does.

Usage: .venv/bin/python bench/refresh.py [--rounds 3] [--workloads synthetic,genfeeds,corpus]
       [--precompressed] [--nagle]
Results are printed and written to bench/results/refresh.txt (refresh-precompressed.txt,
refresh-nagle.txt...).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refresh_support import (
    Served,
    cpu_of_tree,
    fetch_alone,
    make_feed,
    parse_and_store_cost,
    serve_folder,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SHARED = ROOT.parent / "shared"
FEEDS = 200
CONNECTIONS = 16


def write_workload(name: str, folder: Path) -> None:
    """Write the feeds of workload ``name`` into ``folder``."""
    folder.mkdir(parents=True)
    if name == "synthetic":
        for index in range(FEEDS):
            (folder / f"{index:03d}.xml").write_bytes(make_feed(index, 50))
    elif name == "genfeeds":
        tool = SHARED / "tools" / "genfeeds.py"
        subprocess.run(
            [sys.executable, str(tool), str(folder), str(FEEDS), "50", "250"], check=True
        )
    elif name == "corpus":
        from newsreader.ingest.feed import parse_feed

        # Only what reads as a feed: the corpus's deliberately broken documents are left out.
        corpus = [
            path
            for path in sorted((SHARED / "corpus" / "feeds").iterdir())
            if not parse_feed(path.read_bytes(), f"http://127.0.0.1/{path.name}").error
        ]
        for index in range(FEEDS):
            source = corpus[index % len(corpus)]
            shutil.copyfile(source, folder / f"{index:03d}_{source.name}")
    else:
        raise SystemExit(f"unknown workload {name}")


def prepare(
    name: str, folder: Path, latency: float, precompressed: bool = False, nagle: bool = False
) -> Served:
    """Write the workload's files into ``folder`` and start serving them."""
    write_workload(name, folder)
    tool = SHARED / "tools" / "feedserver.py"
    return serve_folder(tool, folder, latency, precompressed, nagle)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, dict[str, float], str]:
    """Wall time, CPU per process of the command's tree, and its output."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # The end is taken by a thread waiting for it: the CPU sampler only looks every 0.1 s,
    # which made every wall time up to 0.1 s too long.
    ended: list[float] = []

    def wait() -> None:
        process.wait()
        ended.append(time.perf_counter())

    waiter = threading.Thread(target=wait)
    waiter.start()
    cpu = cpu_of_tree(process)
    waiter.join()
    wall = ended[0] - start
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}):\n{out}\n{err}")
    return wall, cpu, out.strip()


def run_newsreader(urls: list[str], work: Path) -> list[tuple[float, dict[str, float], str]]:
    work.mkdir()
    lines = ["[settings]", "refresh_on_start = false"]
    lines += [f"concurrency = {CONNECTIONS}", f"per_host = {CONNECTIONS}", ""]
    for url in urls:
        lines += ["[[feeds]]", f'url = "{url}"', ""]
    (work / "feeds.toml").write_text("\n".join(lines))
    env = {**os.environ, "NEWSREADER_CONFIG": str(work / "feeds.toml")}
    env |= {"NEWSREADER_DB": str(work / "nr.db"), "HOME": str(work)}
    command = [sys.executable, "-m", "newsreader", "refresh", "--quiet"]
    return [timed(command, env), timed(command, env)]


def run_newsboat(urls: list[str], work: Path) -> list[tuple[float, dict[str, float], str]]:
    newsboat = shutil.which("newsboat")
    assert newsboat is not None
    work.mkdir()
    (work / "urls").write_text("".join(f"{url}\n" for url in urls))
    (work / "config").write_text(f"reload-threads {CONNECTIONS}\n")
    env = {**os.environ, "HOME": str(work)}
    command = [newsboat, "-u", str(work / "urls"), "-c", str(work / "cache.db")]
    command += ["-C", str(work / "config"), "-x", "reload"]
    return [timed(command, env), timed(command, env)]


def describe_cpu(samples: list[dict[str, float]]) -> str:
    """Median CPU seconds per process role over the rounds."""
    roles = sorted({role for sample in samples for role in sample})
    parts = [f"{role} {statistics.median(s.get(role, 0.0) for s in samples):.2f}" for role in roles]
    total = statistics.median(sum(s.values()) for s in samples)
    return ", ".join(parts) + f" (total {total:.2f} s)"


def workload(
    name: str,
    rounds: int,
    latency: float,
    tmp: Path,
    precompressed: bool = False,
    nagle: bool = False,
) -> list[str]:
    load_before = os.getloadavg()
    served = prepare(name, tmp / name / "feeds", latency, precompressed, nagle)
    try:
        urls = [f"{served.base}/{path.name}" for path in sorted(served.folder.iterdir())]
        ours: list[list[tuple[float, dict[str, float], str]]] = []
        theirs: list[list[tuple[float, dict[str, float], str]]] = []
        have_newsboat = shutil.which("newsboat") is not None
        for number in range(rounds):
            order = ["nr", "nb"] if number % 2 == 0 else ["nb", "nr"]
            for reader in order:
                place = tmp / name / f"{reader}{number}"
                if reader == "nr":
                    ours.append(run_newsreader(urls, place))
                elif have_newsboat:
                    theirs.append(run_newsboat(urls, place))
        alone = fetch_alone(urls, CONNECTIONS)
    finally:
        served.stop()
    cost = parse_and_store_cost(served.folder, served.base)
    load_after = os.getloadavg()
    floor = len(urls) * latency / CONNECTIONS
    first = statistics.median(r[0][0] for r in ours)
    again = statistics.median(r[1][0] for r in ours)
    lines = [
        f"== {name}: {len(urls)} feeds, {latency * 1000:.0f} ms latency, {rounds} round(s)"
        f"{', bodies gzipped once by the server' if precompressed else ''}"
        f"{', server with Nagle on' if nagle else ''}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after",
        f"newsreader: first {first:.2f} s, unchanged {again:.2f} s "
        f"(rounds: {', '.join(f'{r[0][0]:.2f}/{r[1][0]:.2f}' for r in ours)})",
        f"  {ours[0][0][2].splitlines()[-1] if ours[0][0][2] else ''}",
        f"  CPU first: {describe_cpu([r[0][1] for r in ours])}",
        f"  CPU unchanged: {describe_cpu([r[1][1] for r in ours])}",
    ]
    if theirs:
        nb_first = statistics.median(r[0][0] for r in theirs)
        nb_again = statistics.median(r[1][0] for r in theirs)
        lines += [
            f"newsboat:   first {nb_first:.2f} s, unchanged {nb_again:.2f} s "
            f"(rounds: {', '.join(f'{r[0][0]:.2f}/{r[1][0]:.2f}' for r in theirs)})",
            f"  CPU first: {describe_cpu([r[0][1] for r in theirs])}",
            f"  CPU unchanged: {describe_cpu([r[1][1] for r in theirs])}",
            f"ratio newsreader/newsboat: first {first / nb_first:.2f} (goal <= 0.50), "
            f"unchanged {again / nb_again:.2f} (goal <= 0.25)",
        ]
    else:
        lines.append("newsboat: skipped (not installed: apt-get install newsboat)")
    bound = floor + cost.parse + cost.store
    lines.append(
        f"fetching alone (newsreader's client, {CONNECTIONS} connections, nothing parsed, "
        f"in-process: no start-up): every feed {alone.full:.2f} s, every feed again "
        f"(304) {alone.unchanged:.2f} s"
    )
    if theirs:
        lines.append(
            f"  the goals in seconds: first refresh <= {0.5 * nb_first:.2f} s, unchanged "
            f"<= {0.25 * nb_again:.2f} s"
        )
    lines += [
        f"network floor {floor:.2f} s ({len(urls)} requests x {latency * 1000:.0f} ms / "
        f"{CONNECTIONS} connections) + single-threaded parse {cost.parse:.2f} s + store "
        f"{cost.store:.2f} s ({cost.articles} articles) = {bound:.2f} s; "
        f"first refresh / that = {first / bound:.2f} (goal <= 1.50)",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--workloads", default="synthetic,genfeeds,corpus")
    parser.add_argument(
        "--precompressed",
        action="store_true",
        help="the feed server gzips each file once (as with precompressed files) instead of "
        "at every request: its CPU then leaves the two readers' cores alone",
    )
    parser.add_argument(
        "--nagle",
        action="store_true",
        help="leave Nagle's algorithm on in the feed server, as the shared server has it "
        "(every 200 response of a kept-alive connection then waits for a delayed ack)",
    )
    args = parser.parse_args()
    lines = [
        f"refresh benchmark, {os.cpu_count()} CPU(s), "
        f"newsreader concurrency = per_host = {CONNECTIONS}, newsboat reload-threads "
        f"{CONNECTIONS}; times are whole commands; CPU in seconds per process"
    ]
    # An installed newsreader runs from bytecode; an editable checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module at every command instead.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    with tempfile.TemporaryDirectory(prefix="nr-bench-") as tmp:
        for name in args.workloads.split(","):
            block = workload(
                name, args.rounds, args.latency, Path(tmp), args.precompressed, args.nagle
            )
            print("\n".join(block), flush=True)
            lines += block
    text = "\n".join(lines)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "refresh" + ("-precompressed" if args.precompressed else "")
    name += "-nagle.txt" if args.nagle else ".txt"
    (RESULTS / name).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
