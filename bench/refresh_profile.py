"""Where a refresh's CPU goes, stage by stage, for one workload of ``bench/refresh.py``.

Parses every feed of the workload in this process with each stage timed (the XML reader,
feedparser or the fast RSS, RDF or Atom reader; the JSON reader; keeping the entry HTML
(escape sequences out, relative URLs marked; nh3 only for forms); the plain text for the
index; the source hash), then stores the results into a fresh cache as a refresh
does (through its one writer, in its batches), and again with the search index's insert
trigger removed, which gives the share of indexing. Times are CPU seconds of this process
(``time.process_time``), so the load of the machine matters little.

Usage: .venv/bin/python bench/refresh_profile.py [--workloads synthetic,genfeeds,corpus]
Results are printed and written to bench/results/refresh_profile.txt.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import functools
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refresh import write_workload

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


class Stages:
    """CPU seconds per stage; a stage inside another is counted in the outer one only."""

    def __init__(self) -> None:
        self.seconds: collections.Counter[str] = collections.Counter()
        self._depth = 0

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return original(*args, **kwargs)
            self._depth += 1
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.process_time() - started
                self._depth -= 1

        setattr(owner, name, timed)


async def through_writer(
    cache: Any, feeds: list[Any], parsed: list[Any], titles: dict[int, str], store: Any
) -> None:
    """Store every parsed feed as a refresh does: through its one writer, in its batches."""
    from newsreader.batch_writer import BatchWriter

    writer = BatchWriter(cache)
    try:
        await asyncio.gather(
            *(
                writer.submit(
                    lambda target, feed=feed, result=result: store(
                        target, feed, result, None, None, None, False, titles
                    )
                )
                for feed, result in zip(feeds, parsed, strict=True)
            )
        )
    finally:
        writer.close()
    print(f"  ({writer.batches} writer batches)", flush=True)


def profile(name: str, tmp: Path) -> list[str]:
    import feedparser

    import newsreader.ingest.feed.fastrss as fastrss
    import newsreader.ingest.feed.jsonfeed as jsonfeed
    import newsreader.ingest.feed.xml as xml
    from newsreader.ingest.feed import parse_feed
    from newsreader.store import Store

    try:
        from newsreader.refresh_storing import store_parsed
    except ImportError:  # before refresh.py was split: to profile older code too
        from newsreader.refresh import store_parsed  # type: ignore[attr-defined,no-redef]

    folder = tmp / name
    write_workload(name, folder)
    bodies = [
        (f"http://127.0.0.1/{path.name}", path.read_bytes()) for path in sorted(folder.iterdir())
    ]
    stages = Stages()
    stages.wrap(feedparser, "parse", "XML through feedparser")
    stages.wrap(fastrss, "parse_rss", "XML through the fast RSS reader")
    try:
        import newsreader.ingest.feed.fastatom as fastatom

        stages.wrap(fastatom, "parse_atom", "XML through the fast Atom reader")
    except ImportError:  # before the Atom reader: to profile older code too
        pass
    try:
        import newsreader.ingest.feed.fastrdf as fastrdf

        stages.wrap(fastrdf, "parse_rdf", "XML through the fast RDF reader")
    except ImportError:  # before the RSS 1.0 reader: to profile older code too
        pass
    stages.wrap(jsonfeed.json, "loads", "JSON Feed decoding")
    for module in (xml, jsonfeed):
        stages.wrap(module, "html_fragment", "entry HTML kept (escapes out, relative URLs)")
        stages.wrap(module, "html_to_text", "plain text for the index")
    stages.wrap(jsonfeed, "source_hash", "source hash")
    # The XML entries' hash (before it, the whole entry's, through the same name as JSON's).
    stages.wrap(xml, "_entry_hash" if hasattr(xml, "_entry_hash") else "source_hash", "source hash")
    started = time.process_time()
    parsed = [parse_feed(body, url) for url, body in bodies]
    parse = time.process_time() - started
    articles = sum(len(result.articles) for result in parsed)
    started = time.process_time()
    for result in parsed:
        pickle.loads(pickle.dumps(result))
    handover = time.process_time() - started

    def store(drop_index: bool) -> float:
        with tempfile.TemporaryDirectory(prefix="nr-profile-") as place:
            cache = Store.open(Path(place) / "cache.db")
            if drop_index:
                with cache.database.transaction() as connection:
                    connection.execute("DROP TRIGGER articles_fts_insert")
            feeds = [cache.ensure_feed(url) for url, _ in bodies]
            titles = {feed.id: feed.title for feed in feeds}
            begun = time.process_time()
            asyncio.run(through_writer(cache, feeds, parsed, titles, store_parsed))
            spent = time.process_time() - begun
            cache.close()
            return spent

    stored = store(drop_index=False)
    unindexed = store(drop_index=True)
    lines = [
        f"== {name}: {len(bodies)} feeds, {articles} articles",
        f"parse, one process: {parse:.2f} s CPU ({parse / max(articles, 1) * 1000:.2f} ms "
        "per article)",
    ]
    for label, seconds in stages.seconds.most_common():
        lines.append(f"  {label:34} {seconds:6.2f} s  {seconds / parse * 100:5.1f} %")
    rest = parse - sum(stages.seconds.values())
    lines.append(
        f"  {'the rest (entries to articles)':34} {rest:6.2f} s  {rest / parse * 100:5.1f} %"
    )
    lines += [
        f"handing the results between processes (pickle both ways): {handover:.2f} s CPU",
        f"store, one writer: {stored:.2f} s CPU; without the search index {unindexed:.2f} s, "
        f"so indexing {stored - unindexed:.2f} s",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workloads", default="synthetic,genfeeds,corpus")
    args = parser.parse_args()
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nr-profile-") as tmp:
        for name in args.workloads.split(","):
            block = profile(name, Path(tmp))
            print("\n".join(block), flush=True)
            lines += block
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "refresh_profile.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
