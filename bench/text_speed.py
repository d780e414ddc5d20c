"""Text conversion speed on large and pathological inputs (what the unit tests check for
correctness only): Markdown → plain text for the search index, and plain text → Markdown for
a constructed 1 MB article and a 1 MB single line.

Usage: ``python bench/text_speed.py [--runs 5]``; prints the best and median of each and
writes them to ``bench/results/text_speed.txt``. Goals: each under 0.5 s for 1 MB.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from newsreader.ingest.markdown_text import markdown_to_text
from newsreader.ingest.plaintext import plain_text_to_document

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results" / "text_speed.txt"

MARKDOWN_BLOCK = (
    "## A heading\n\nA paragraph with **bold**, *emphasis*, a [link](https://e.com/x) "
    "and `code`, snake_case_words, escaped \\* and \\_ characters.\n\n"
    "- a list item\n- another [item](https://e.com/y)\n\n"
    "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```\ncode line\n```\n\n"
)
LONG = (
    "Officials said on Tuesday that the new measures would take effect next month, after a "
    "lengthy consultation with residents, businesses and local councils across the region."
)
PLAIN_BLOCK = "\n".join(
    [LONG, "A Section Heading", "first item here\nsecond item\nthird", LONG, "code();"]
)


def _time(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Best and median wall time, and best CPU time, of ``runs`` calls."""
    times = []
    cpu = []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return min(times), statistics.median(times), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    markdown = (MARKDOWN_BLOCK * (1_000_000 // len(MARKDOWN_BLOCK) + 1))[:1_000_000]
    plain = (PLAIN_BLOCK + "\n") * (1_000_000 // (len(PLAIN_BLOCK) + 1) + 1)
    one_line = "word " * 200_000
    cases: list[tuple[str, Callable[[], object]]] = [
        ("markdown_to_text, 1 MB", lambda: markdown_to_text(markdown)),
        ("plain text → Markdown, 1 MB of paragraphs", lambda: plain_text_to_document(plain)),
        ("plain text → Markdown, 1 MB on one line", lambda: plain_text_to_document(one_line)),
    ]
    lines = [f"{'case':<45} {'best':>9} {'median':>9} {'best CPU':>9}"]
    for name, action in cases:
        best, median, cpu = _time(action, args.runs)
        lines.append(
            f"{name:<45} {best * 1000:>7.0f}ms {median * 1000:>7.0f}ms {cpu * 1000:>7.0f}ms"
        )
    report = "\n".join(lines)
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report + "\n", "utf-8")


if __name__ == "__main__":
    main()
