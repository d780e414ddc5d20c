"""Corruption sweep: how the commands behave on randomly damaged copies of a real cache.

Usage: ``python bench/corruption_sweep.py [--copies 100] [--articles 3000] [--seed 1]``

Builds a cache (a local feed refreshed, then ``--articles`` articles stored, a third read,
some starred), then for each copy overwrites 16 B to 4 KB at a random offset with random
bytes, asks ``integrity_check`` and ``quick_check`` about it, and runs ``list``, ``show``,
``mark``, ``refresh`` and ``feeds`` on their own copies of it. Counts, per command: exit 0 in
silence, exit 0 with a warning, refused with a message. Then ``repair`` on every corrupt copy:
how many articles and read/starred flags come back. Writes ``bench/results/corruption_sweep.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import shutil
import sqlite3
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
COMMANDS = [["list"], ["show", "{id}"], ["mark", "{id}", "--star"], ["refresh", "-q"], ["feeds"]]


def pragma(path: Path, name: str) -> bool:
    probe = path.with_name(path.name + ".probe")
    shutil.copyfile(path, probe)
    try:
        connection = sqlite3.connect(probe)
        try:
            return connection.execute(f"PRAGMA {name}").fetchall() == [("ok",)]
        except sqlite3.DatabaseError:
            return False
        finally:
            connection.close()
    finally:
        probe.unlink()


def run(config: Path, db: Path, args: list[str]) -> tuple[int, str]:
    from newsreader.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["--config", str(config), "--db", str(db), *args])
    return status, err.getvalue()


def build(folder: Path, articles: int) -> tuple[Path, Path, set[int], set[int]]:
    from newsreader.model import ContentType, NewArticle
    from newsreader.store import ArticleFilter, Store

    feed = folder / "local.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        + "".join(
            f"<item><title>L{n}</title><guid>l{n}</guid><description>b {n}</description></item>"
            for n in range(20)
        )
        + "</channel></rss>"
    )
    config = folder / "feeds.toml"
    config.write_text(f'[settings]\nrefresh_on_start = false\n[[feeds]]\nurl = "{feed}"\n')
    db = folder / "newsreader.db"
    run(config, db, ["refresh", "-q"])
    rng = random.Random(3)
    words = [
        "river",
        "harbour",
        "summit",
        "market",
        "storm",
        "budget",
        "court",
        "league",
        "museum",
        "bridge",
    ]
    store = Store.open(db)
    big = store.ensure_feed("https://big.example/rss", "Big")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    store.upsert_articles(
        big.id,
        [
            NewArticle(
                key=f"b{n}",
                title=" ".join(rng.choices(words, k=6)),
                published=start + timedelta(minutes=n),
                content="<p>" + " ".join(rng.choices(words, k=160)) + "</p>",
                content_type=ContentType.HTML,
                text=" ".join(rng.choices(words, k=100)),
            )
            for n in range(articles)
        ],
    )
    ids = [i for _, i in store.view_keys(ArticleFilter())]
    read, starred = set(rng.sample(ids, len(ids) // 3)), set(rng.sample(ids, 40))
    store.set_read(read)
    store.set_starred(starred)
    store.close()
    (folder / "newsreader.db.checked").unlink(missing_ok=True)
    return config, db, read, starred


def main() -> int:
    from newsreader.store import Store
    from newsreader.store.repair import repair_cache

    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sweep-"))
    config, db, read, starred = build(folder, args.articles)
    rng = random.Random(args.seed)
    article = min(read)
    outcome: dict[str, Counter[str]] = {c[0]: Counter() for c in COMMANDS}
    corrupt = quick_missed = 0
    repaired = {"articles": [], "read": [], "starred": []}
    for copy in range(args.copies):
        data = bytearray(db.read_bytes())
        size = rng.randint(16, 4096)
        offset = rng.randrange(0, len(data) - size)
        data[offset : offset + size] = rng.randbytes(size)
        damaged = folder / f"copy-{copy}.db"
        damaged.write_bytes(bytes(data))
        if pragma(damaged, "integrity_check"):
            damaged.unlink()
            continue
        corrupt += 1
        quick_missed += pragma(damaged, "quick_check")
        for command in COMMANDS:
            target = folder / f"run-{copy}-{command[0]}" / "newsreader.db"
            target.parent.mkdir()
            shutil.copyfile(damaged, target)
            status, err = run(config, target, [a.replace("{id}", str(article)) for a in command])
            said = "damaged" in err or "cannot be used" in err or "not a newsreader" in err
            kind = (
                "silent exit 0"
                if status == 0 and not said
                else ("exit 0 + warning" if status == 0 else "refused with message")
            )
            outcome[command[0]][kind] += 1
            shutil.rmtree(target.parent)
        with contextlib.suppress(Exception):
            repair_cache(damaged)
            store = Store.open_reader(damaged)
            rows = store.summaries(sorted(read | starred))
            repaired["articles"].append(store.count_articles())
            repaired["read"].append(sum(1 for i, s in rows.items() if s.read and i in read))
            repaired["starred"].append(
                sum(1 for i, s in rows.items() if s.starred and i in starred)
            )
            store.close()
        for leftover in folder.glob(f"copy-{copy}.db*"):
            leftover.unlink()
    result = {
        "copies": args.copies,
        "articles": args.articles + 22,
        "corrupt_by_integrity_check": corrupt,
        "passed_quick_check_but_corrupt (the check runs integrity_check)": quick_missed,
        "commands": {name: dict(counts) for name, counts in outcome.items()},
        "repairs": len(repaired["articles"]),
        "repair_min_articles": min(repaired["articles"], default=0),
        "repair_min_read": f"{min(repaired['read'], default=0)}/{len(read)}",
        "repair_min_starred": f"{min(repaired['starred'], default=0)}/{len(starred)}",
    }
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "corruption_sweep.json").write_text(json.dumps(result, indent=2))
    shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
